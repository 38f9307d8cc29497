//! The page's two languages. Every string a person reads is written twice, side by
//! side at the place it is used (`lang.pick("leader", "领导者")`), so a missing
//! translation is a compile error, not a blank.

/// English or Simplified Chinese.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    #[default]
    En,
    Zh,
}

/// Where the page remembers the reader's choice.
pub const STORAGE_KEY: &str = "raft-playground-lang";

impl Lang {
    /// The English or the Chinese of one thing.
    pub fn pick<T>(self, en: T, zh: T) -> T {
        match self {
            Lang::En => en,
            Lang::Zh => zh,
        }
    }

    /// The `lang` attribute of the page (and the value kept in local storage).
    pub fn code(self) -> &'static str {
        self.pick("en", "zh-CN")
    }

    /// The language a stored choice or a browser's language tag asks for: any `zh…`
    /// tag (zh, zh-CN, zh-Hans-SG, and also zh-TW, whose readers read Simplified
    /// better than English) is Chinese; anything else is English.
    pub fn from_tag(tag: &str) -> Lang {
        if tag.trim().to_ascii_lowercase().starts_with("zh") {
            Lang::Zh
        } else {
            Lang::En
        }
    }

    /// The other language (the toggle).
    pub fn other(self) -> Lang {
        self.pick(Lang::Zh, Lang::En)
    }

    /// The toggle's label: each language written in itself.
    pub fn own_name(self) -> &'static str {
        self.pick("English", "中文")
    }
}

/// The page's language at start: the stored choice if there is one, else the
/// browser's first preferred language.
pub fn initial(stored: Option<&str>, browser: Option<&str>) -> Lang {
    match stored.filter(|s| !s.trim().is_empty()) {
        Some(s) => Lang::from_tag(s),
        None => browser.map(Lang::from_tag).unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stored_choice_wins_over_the_browser_and_zh_tags_mean_chinese() {
        assert_eq!(initial(None, Some("zh-CN")), Lang::Zh);
        assert_eq!(initial(None, Some("zh-Hans-SG")), Lang::Zh);
        assert_eq!(initial(None, Some("en-GB")), Lang::En);
        assert_eq!(initial(None, Some("fr")), Lang::En);
        assert_eq!(initial(None, None), Lang::En);
        assert_eq!(initial(Some("en"), Some("zh-CN")), Lang::En);
        assert_eq!(initial(Some("zh-CN"), Some("en-US")), Lang::Zh);
        assert_eq!(initial(Some(""), Some("zh")), Lang::Zh);
        assert_eq!(Lang::Zh.other(), Lang::En);
        assert_eq!(Lang::from_tag(Lang::Zh.code()), Lang::Zh);
        assert_eq!(Lang::En.pick(1, 2), 1);
    }
}
