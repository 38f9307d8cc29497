//! The event log: newest first, with virtual timestamps, in plain words; every rejection
//! with its reason. Idle heartbeats are hidden unless asked for.

use yew::prelude::*;

use crate::sim::{EventKind, format_time, term_of};
use crate::ui::geometry::term_colour;
use crate::ui::playground::Action;
use crate::ui::store::PanelProps;
use crate::ui::words::{event_sentence, invariant_name, violation_detail};

/// Lines kept on screen; older ones are in the trace.
const LINES: usize = 80;

#[function_component(EventLog)]
pub fn event_log(props: &PanelProps) -> Html {
    let p = props.view.get();
    let lang = p.lang;
    let toggle = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_| dispatch.emit(Action::ToggleMessagesInLog))
    };
    html! {
        <section class="event-log" aria-label={lang.pick("Event log", "事件日志")}>
            if let Some(v) = p.sim.violation() {
                // The checker's evidence (`detail`) is for whoever fixes the bug: as written;
                // a stale read's is a lesson, told in the reader's language.
                <div class="violation" role="alert">
                    { lang.pick("Safety violation: ", "安全性被违反：") }
                    { invariant_name(lang, v.invariant) }{ lang.pick(": ", "：") }{ violation_detail(lang, v) }
                </div>
            }
            <header>
                <h2>{ lang.pick("Event log", "事件日志") }</h2>
                <label>
                    <input type="checkbox" checked={p.messages_in_log} onchange={toggle} />
                    { lang.pick(" every message", " 显示每条消息") }
                </label>
            </header>
            // Focusable, so a keyboard can scroll it (WCAG 2.1.1).
            <ol tabindex="0" aria-label={lang.pick("Events, newest first", "事件，最新的在前")}>
                { for p.recent_events(LINES).into_iter().map(|(seq, e)| {
                    let colour = term_of(&e.kind).map(term_colour).unwrap_or("transparent");
                    let class = match &e.kind {
                        EventKind::Drop { .. } => "drop",
                        EventKind::Intervention(_) => "intervention",
                        EventKind::Client { .. } | EventKind::Read { .. } => "client",
                        EventKind::Violation(_) => "violation",
                        _ => "",
                    };
                    html! {
                        <li key={seq} class={class} style={format!("border-left-color:{colour}")}>
                            <time>{ format_time(e.time) }</time>{ " " }{ event_sentence(lang, &p.sim, seq, &e.kind) }
                        </li>
                    }
                }) }
            </ol>
        </section>
    }
}
