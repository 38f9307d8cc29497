//! The `?` panel: every shortcut in one place.

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;
use yew::prelude::*;

use super::lang::Lang;
use super::playground::Action;

/// Keys and what they do, in English and Chinese; the README's keyboard map says the same.
pub const SHORTCUTS: [[(&str, &str); 2]; 9] = [
    [("Space", "play / pause"), ("空格", "播放 / 暂停")],
    [
        ("→ or N", "step: process exactly one event"),
        ("→ 或 N", "单步：只处理一个事件"),
    ],
    [
        ("C", "client write to the leader"),
        ("C", "向领导者发送客户端写入"),
    ],
    [
        ("A", "align timers (provokes a split vote)"),
        ("A", "对齐计时器（引发选票瓜分）"),
    ],
    [
        ("T", "spread timers (avoids a split vote)"),
        ("T", "错开计时器（避免选票瓜分）"),
    ],
    [("H", "heal the network"), ("H", "恢复网络")],
    [("Esc", "close the inspector"), ("Esc", "关闭检查器")],
    [
        ("?", "show or hide this panel"),
        ("?", "显示或隐藏这个面板"),
    ],
    [
        ("click", "a server or a message to inspect it"),
        ("点击", "一台服务器或一条消息，查看它的详情"),
    ],
];

#[derive(Properties, PartialEq)]
pub struct HelpProps {
    pub dispatch: Callback<Action>,
    /// The page's language. Without it the panel reads the language the page is
    /// written in (the `lang` of `<html>`, which the root keeps in step) and follows it.
    #[prop_or_default]
    pub lang: Option<Lang>,
}

#[function_component(Help)]
pub fn help(props: &HelpProps) -> Html {
    let page_lang = use_page_lang();
    let lang = props.lang.unwrap_or(page_lang);
    let close = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_| dispatch.emit(Action::ToggleHelp))
    };
    html! {
        <div class="help" role="dialog" aria-label={lang.pick("Keyboard shortcuts", "键盘快捷键")}>
            <h2>{ lang.pick("Keyboard shortcuts", "键盘快捷键") }</h2>
            <table>
                { for SHORTCUTS.iter().map(|[en, zh]| {
                    let (key, what) = lang.pick(en, zh);
                    html! { <tr><td><kbd>{ *key }</kbd></td><td>{ *what }</td></tr> }
                }) }
            </table>
            <button onclick={close} aria-label={lang.pick("Close shortcuts", "关闭快捷键面板")}>
                { lang.pick("Close", "关闭") }
            </button>
        </div>
    }
}

fn page_root() -> Option<web_sys::Element> {
    web_sys::window()?.document()?.document_element()
}

fn page_lang() -> Lang {
    page_root()
        .and_then(|root| root.get_attribute("lang"))
        .map(|tag| Lang::from_tag(&tag))
        .unwrap_or_default()
}

/// The language of `<html lang>`, re-rendering whenever it changes (the root sets it just
/// after the render that switched languages, so a read during that render is one step old).
#[hook]
fn use_page_lang() -> Lang {
    let seen = use_state(page_lang);
    {
        let seen = seen.clone();
        use_effect_with((), move |_| {
            let watch = || {
                let root = page_root()?;
                let changed = Closure::<dyn FnMut()>::new(move || seen.set(page_lang()));
                let observer =
                    web_sys::MutationObserver::new(changed.as_ref().unchecked_ref()).ok()?;
                let options = web_sys::MutationObserverInit::new();
                options.set_attribute_filter(&js_sys::Array::of1(&"lang".into()));
                observer.observe_with_options(&root, &options).ok()?;
                Some((observer, changed))
            };
            let watching = watch();
            move || {
                if let Some((observer, _changed)) = watching {
                    observer.disconnect();
                }
            }
        });
    }
    page_lang()
}
