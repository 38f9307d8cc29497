use std::fmt;

use serde::{Deserialize, Serialize};

use super::{LogIndex, SharedVec, Term};

/// A client's request, as the state machine will apply it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Command {
    Set {
        key: String,
        value: i64,
    },
    Del {
        key: String,
    },
    /// The empty entry a new leader appends with the no-op switch on (section 8 of the
    /// paper): it changes no key; it is there so that the leader has an entry of its own
    /// term to commit. No client can write one.
    Noop,
}

/// The longest key a command may name.
pub const MAX_KEY_LEN: usize = 16;

impl Command {
    /// Parses `SET x 5` or `DEL x` (case-insensitive verbs, keys of letters, digits and `_`).
    pub fn parse(text: &str) -> Result<Command, String> {
        let words: Vec<&str> = text.split_whitespace().collect();
        let command = match words.as_slice() {
            [verb, key, value] if verb.eq_ignore_ascii_case("set") => {
                check_key(key)?;
                let value = value
                    .parse::<i64>()
                    .map_err(|_| format!("'{}' is not a whole number", shown(value)))?;
                Command::Set {
                    key: key.to_string(),
                    value,
                }
            }
            [verb, key] if verb.eq_ignore_ascii_case("del") => Command::Del {
                key: key.to_string(),
            },
            _ => return Err("write a command as SET x 5 or DEL x".to_string()),
        };
        command.validate()?;
        Ok(command)
    }

    /// The rules every command obeys, however it arrives (typed, in a link, in a trace
    /// file, in a scenario): a key of 1 to [`MAX_KEY_LEN`] ASCII letters, digits or `_`.
    /// Any whole number fits in a value.
    pub fn validate(&self) -> Result<(), String> {
        match self {
            Command::Set { key, .. } | Command::Del { key } => check_key(key),
            Command::Noop => {
                Err("a client cannot write a no-op: only a new leader appends one".into())
            }
        }
    }
}

/// A key as a client names it, in a write or a read.
pub fn check_key(key: &str) -> Result<(), String> {
    let valid = !key.is_empty()
        && key.len() <= MAX_KEY_LEN
        && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if valid {
        Ok(())
    } else {
        Err(format!(
            "'{}' is not a key: use up to {MAX_KEY_LEN} letters, digits or _",
            shown(key)
        ))
    }
}

/// A rejected word as a refusal may quote it: at most 20 characters, with control and
/// direction-changing characters written as escapes, so that a hostile key in a link
/// cannot flood or reorder the notice that refuses it.
fn shown(word: &str) -> String {
    let mut out: String = word
        .chars()
        .take(20)
        .flat_map(|c| {
            let plain = c.is_alphanumeric() || c.is_ascii_punctuation() || c == ' ';
            let escaped: Vec<char> = if plain && !is_bidi_control(c) {
                vec![c]
            } else {
                c.escape_unicode().collect()
            };
            escaped
        })
        .collect();
    if word.chars().nth(20).is_some() {
        out.push('…');
    }
    out
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{061c}')
}

impl fmt::Display for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Command::Set { key, value } => write!(f, "SET {key} {value}"),
            Command::Del { key } => write!(f, "DEL {key}"),
            Command::Noop => write!(f, "no-op"),
        }
    }
}

/// Which client write an entry carries, so the simulator can tell the client's fate.
pub type WriteId = u64;

/// One log entry: the term of the leader that created it, and the command.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Entry {
    pub term: Term,
    pub command: Command,
    /// The client write this entry came from (entries set up by a scenario have none).
    pub write: Option<WriteId>,
}

/// The replicated log, indexed from 1 as in the paper.
///
/// Invariant: terms never decrease along the log.
///
/// Copies of a log (the timeline's checkpoints) share its older entries.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Log {
    entries: SharedVec<Entry>,
}

impl Log {
    pub fn from_entries(entries: Vec<Entry>) -> Log {
        Log {
            entries: entries.into(),
        }
    }

    pub fn last_index(&self) -> LogIndex {
        self.entries.len() as LogIndex
    }

    /// The term of the last entry, 0 for an empty log.
    pub fn last_term(&self) -> Term {
        self.entries.last().map_or(0, |e| e.term)
    }

    /// The entry at `index` (1-based), if the log has one.
    pub fn get(&self, index: LogIndex) -> Option<&Entry> {
        if index == 0 {
            return None;
        }
        self.entries.get(index as usize - 1)
    }

    /// The term at `index`; index 0 has term 0, past the end there is none.
    pub fn term_at(&self, index: LogIndex) -> Option<Term> {
        if index == 0 {
            Some(0)
        } else {
            self.get(index).map(|e| e.term)
        }
    }

    /// The entries from `from` (1-based) to the end, at most `max` of them.
    pub fn slice_from(&self, from: LogIndex, max: usize) -> Vec<Entry> {
        let start = (from.max(1) as usize - 1).min(self.entries.len());
        let end = (start + max).min(self.entries.len());
        self.entries.to_vec_range(start, end)
    }

    pub fn entries(&self) -> &SharedVec<Entry> {
        &self.entries
    }

    pub fn append(&mut self, entry: Entry) -> LogIndex {
        self.entries.push(entry);
        self.last_index()
    }

    /// Deletes the entry at `index` and all that follow it (Figure 2, AppendEntries rule 3).
    pub fn truncate_from(&mut self, index: LogIndex) {
        self.entries.truncate(index.max(1) as usize - 1);
    }

    /// The first index holding `term`, used for the conflict hint.
    pub fn first_index_of_term(&self, term: Term) -> Option<LogIndex> {
        self.entries
            .iter()
            .position(|e| e.term == term)
            .map(|i| i as LogIndex + 1)
    }

    /// The last index holding `term`, used by the leader to skip a conflicting term.
    pub fn last_index_of_term(&self, term: Term) -> Option<LogIndex> {
        self.entries
            .iter()
            .rposition(|e| e.term == term)
            .map(|i| i as LogIndex + 1)
    }

    /// Section 5.4.1: a log is at least as up to date as (`last_term`, `last_index`)
    /// when its last term is higher, or equal with an index at least as large.
    pub fn is_up_to_date(
        last_term: Term,
        last_index: LogIndex,
        than_term: Term,
        than_index: LogIndex,
    ) -> bool {
        last_term > than_term || (last_term == than_term && last_index >= than_index)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_parse_and_print_back() {
        let set = Command::parse("set x 5").unwrap();
        assert_eq!(
            set,
            Command::Set {
                key: "x".into(),
                value: 5
            }
        );
        assert_eq!(set.to_string(), "SET x 5");
        assert_eq!(Command::parse("DEL y").unwrap().to_string(), "DEL y");
        assert!(Command::parse("SET x five").is_err());
        assert!(Command::parse("PUT x 1").is_err());
        assert!(Command::parse("SET x-y 1").is_err());
        assert!(Command::parse("").is_err());
    }

    #[test]
    fn log_is_indexed_from_one() {
        let mut log = Log::default();
        assert_eq!(log.term_at(0), Some(0));
        assert_eq!(log.term_at(1), None);
        for term in [1, 1, 2] {
            log.append(Entry {
                term,
                command: Command::Del { key: "k".into() },
                write: None,
            });
        }
        assert_eq!(log.last_index(), 3);
        assert_eq!(log.last_term(), 2);
        assert_eq!(log.first_index_of_term(1), Some(1));
        assert_eq!(log.last_index_of_term(1), Some(2));
        assert_eq!(log.slice_from(2, 10).len(), 2);
        assert_eq!(log.slice_from(4, 10).len(), 0);
        log.truncate_from(2);
        assert_eq!(log.last_index(), 1);
    }
}
