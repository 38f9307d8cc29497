//! The `?` panel: every shortcut in one place.

use yew::prelude::*;

use crate::ui::lang::Lang;
use crate::ui::playground::Action;

/// Keys and what they do, in English and Chinese; the README's keyboard map says the same.
pub const SHORTCUTS: [[(&str, &str); 2]; 14] = [
    [
        (
            "Space",
            "play / pause; on a button reached with Tab: press it",
        ),
        ("空格", "播放 / 暂停；在用 Tab 到达的按钮上：按下它"),
    ],
    [
        (
            "Enter",
            "press the focused button; on a server or a message: inspect it",
        ),
        ("回车", "按下有焦点的按钮；在服务器或消息上：查看它"),
    ],
    [
        (
            "← → ↑ ↓",
            "on a server: the next or previous server; on a message (paused): the next message",
        ),
        (
            "← → ↑ ↓",
            "在服务器上：移到下一台或上一台服务器；在消息上（暂停时）：移到下一条消息",
        ),
    ],
    [
        (
            "→ or N",
            "step: process exactly one event (in the tour: next)",
        ),
        ("→ 或 N", "单步：只处理一个事件（导览中：下一步）"),
    ],
    [
        ("← or B", "step back one event (in the tour: back)"),
        ("← 或 B", "退回一个事件（导览中：上一步）"),
    ],
    [
        (
            "P",
            "presenter mode: large type for a projector (tour and sandbox)",
        ),
        ("P", "演示模式：适合投影的大字体（导览和沙盒都可用）"),
    ],
    [
        ("C", "client write to the leader"),
        ("C", "向领导者发送客户端写入"),
    ],
    [
        (
            "R",
            "client read from the leader of the key written last (ReadIndex or local, as chosen)",
        ),
        (
            "R",
            "从领导者读取最近写入的键（按所选方式：ReadIndex 或本地读取）",
        ),
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
    [
        (
            "Esc",
            "close this panel, else leave presenter mode, else close the inspector",
        ),
        ("Esc", "关闭这个面板，否则退出演示模式，否则关闭检查器"),
    ],
    [
        ("?", "show or hide this panel"),
        ("?", "显示或隐藏这个面板"),
    ],
    [
        (
            "click or Tab",
            "a server or a message (Tab reaches messages while paused) to inspect it",
        ),
        (
            "点击或 Tab",
            "一台服务器或一条消息（暂停时 Tab 可以到达消息），查看它的详情",
        ),
    ],
];

#[derive(Properties, PartialEq)]
pub struct HelpProps {
    pub dispatch: Callback<Action>,
    pub lang: Lang,
    /// Whether single-key shortcuts are on.
    pub shortcuts: bool,
}

#[function_component(Help)]
pub fn help(props: &HelpProps) -> Html {
    let lang = props.lang;
    let close = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_| dispatch.emit(Action::ToggleHelp))
    };
    let toggle = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: Event| dispatch.emit(Action::ToggleShortcuts))
    };
    // A modal dialog (WAI-ARIA): the focus moves in when it opens, Tab keeps it inside,
    // and it goes back to where it was when the dialog closes (else to the ? button:
    // `use_focus_returns` in app.rs).
    let close_button = use_node_ref();
    let dialog = use_node_ref();
    // What had the focus when the dialog opened (read while rendering, before the effect
    // below moves it): it gets the focus back when the dialog closes.
    let opener = use_mut_ref(|| {
        web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.active_element())
    });
    {
        let close_button = close_button.clone();
        use_effect_with((), move |_| {
            if let Some(b) = close_button.cast::<web_sys::HtmlElement>() {
                let _ = b.focus();
            }
            move || {
                if let Some(el) = opener.borrow().as_ref().filter(|el| el.is_connected()) {
                    crate::ui::focus::focus(el);
                }
            }
        });
    }
    let keys = {
        let dialog = dialog.clone();
        Callback::from(move |e: KeyboardEvent| {
            if let Some(d) = dialog.cast::<web_sys::Element>() {
                crate::ui::focus::keep_tab_inside(&e, &d);
            }
        })
    };
    html! {
        <div class="help" role="dialog" aria-modal="true" aria-label={lang.pick("Keyboard shortcuts", "键盘快捷键")}
            ref={dialog} onkeydown={keys}>
            <h2>{ lang.pick("Keyboard shortcuts", "键盘快捷键") }</h2>
            <label class="shortcuts-switch">
                <input type="checkbox" checked={props.shortcuts} onchange={toggle} />
                { lang.pick(
                    " Single-key shortcuts (letters, Space, ?): off helps speech input; the arrows and Esc always work",
                    " 单键快捷键（字母、空格、?）：关闭后便于语音输入；方向键和 Esc 始终可用",
                ) }
            </label>
            <table>
                { for SHORTCUTS.iter().map(|[en, zh]| {
                    let (key, what) = lang.pick(en, zh);
                    html! { <tr><td><kbd>{ *key }</kbd></td><td>{ *what }</td></tr> }
                }) }
            </table>
            <button ref={close_button} onclick={close} aria-label={lang.pick("Close shortcuts", "关闭快捷键面板")}>
                { lang.pick("Close", "关闭") }
            </button>
        </div>
    }
}
