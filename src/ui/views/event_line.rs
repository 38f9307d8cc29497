//! One line of the event log: its virtual time and its sentence, edged in its term's
//! colour.
//!
//! A component of its own so that a new event adds one line: the lines already shown
//! have equal props and Yew skips them without comparing their elements (the log keeps
//! up to 80 lines, 50 while playing, and is redrawn at every panel refresh). While a fast
//! run replaces most lines, the log keys them by place instead, and a line's element is
//! rewritten with the next event's words (`geometry::reuse_log_lines`).

use yew::prelude::*;

use crate::raft::Time;
use crate::sim::format_time;

#[derive(Properties, PartialEq)]
pub struct LineProps {
    /// `drop`, `intervention`, `client`, `violation`, `breach` or empty.
    pub class: &'static str,
    pub colour: &'static str,
    pub time: Time,
    pub sentence: String,
}

#[function_component(EventLine)]
pub fn event_line(props: &LineProps) -> Html {
    html! {
        <li class={props.class} style={format!("border-left-color:{}", props.colour)}>
            <time>{ format_time(props.time) }</time>{ " " }{ props.sentence.clone() }
        </li>
    }
}
