//! The `?` panel: every shortcut in one place.

use yew::prelude::*;

use super::playground::Action;

/// Keys and what they do, shared with the README's keyboard map.
pub const SHORTCUTS: [(&str, &str); 9] = [
    ("Space", "play / pause"),
    ("→ or N", "step: process exactly one event"),
    ("C", "client write to the leader"),
    ("A", "align timers (provokes a split vote)"),
    ("T", "spread timers (avoids a split vote)"),
    ("H", "heal the network"),
    ("Esc", "close the inspector"),
    ("?", "show or hide this panel"),
    ("click", "a server or a message to inspect it"),
];

#[derive(Properties, PartialEq)]
pub struct HelpProps {
    pub dispatch: Callback<Action>,
}

#[function_component(Help)]
pub fn help(props: &HelpProps) -> Html {
    let close = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_| dispatch.emit(Action::ToggleHelp))
    };
    html! {
        <div class="help" role="dialog" aria-label="Keyboard shortcuts">
            <h2>{ "Keyboard shortcuts" }</h2>
            <table>
                { for SHORTCUTS.iter().map(|(key, what)| html! {
                    <tr><td><kbd>{ *key }</kbd></td><td>{ *what }</td></tr>
                }) }
            </table>
            <button onclick={close} aria-label="Close shortcuts">{ "Close" }</button>
        </div>
    }
}
