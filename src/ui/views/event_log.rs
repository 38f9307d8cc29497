//! The event log: newest first, with virtual timestamps, in plain words; every rejection
//! with its reason. Idle heartbeats are hidden unless asked for.

use yew::prelude::*;
use yew::virtual_dom::Key;

use crate::raft::NodeEvent;
use crate::sim::{EventKind, term_of};
use crate::ui::event_line::EventLine;
use crate::ui::geometry::{reuse_log_lines, term_colour};
use crate::ui::lab_text::{rule_broken_means, rule_title};
use crate::ui::playground::Action;
use crate::ui::store::PanelProps;
use crate::ui::words::{event_sentence, invariant_name, violation_detail};

/// Lines kept on screen; older ones are in the trace.
const LINES: usize = 80;
/// Lines kept while the run plays: more than a 1080-line screen shows, fewer than when
/// paused. At 10× every refresh brings a whole screen of new events, and each line kept
/// is redrawn ten times a second, though nobody can scroll to it (issue 16). Paused, the
/// log grows back to [`LINES`] for reading.
const LINES_PLAYING: usize = 50;

#[function_component(EventLog)]
pub fn event_log(props: &PanelProps) -> Html {
    let p = props.view.get();
    let lang = p.lang;
    // The newest event drawn last time, and whether its lines were keyed by place: only
    // for the choice of keys below (`reuse_log_lines`), read nowhere else.
    let drawn = use_mut_ref(|| (None::<u64>, false));
    let lines = p.recent_events(if p.playing { LINES_PLAYING } else { LINES });
    let reuse = {
        let (newest, was_reusing) = *drawn.borrow();
        let fresh = lines
            .iter()
            .take_while(|(seq, _)| newest.is_none_or(|n| *seq > n))
            .count();
        reuse_log_lines(p.playing, was_reusing, fresh, lines.len())
    };
    *drawn.borrow_mut() = (lines.first().map(|(seq, _)| *seq), reuse);
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
            if let Some(rule) = p.sim.config().raft.broken {
                // The lab's broken rule: said wherever the run goes (a shared link too).
                <div class="broken-rule" role="note">
                    <strong>{ lang.pick("A rule is broken in this run: ", "这次运行违反了一条规则：") }</strong>
                    { rule_title(lang, rule) }{ lang.pick(". ", "。") }{ rule_broken_means(lang, rule) }
                    if let Some(next) = p.next_violation() {
                        <p class="next-violation">
                            { lang.pick("The next event breaks ", "下一个事件将破坏") }
                            <strong>{ invariant_name(lang, next.invariant) }</strong>{ lang.pick(": ", "：") }
                            { violation_detail(lang, &next) }
                            { lang.pick(". Step (→) to see it.", "。单步（→）即可看到。") }
                        </p>
                    }
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
                { for lines.into_iter().enumerate().map(|(place, (seq, e))| {
                    let colour = term_of(&e.kind).map(term_colour).unwrap_or("transparent");
                    let class = match &e.kind {
                        EventKind::Drop { .. } => "drop",
                        EventKind::Intervention(_) => "intervention",
                        EventKind::Client { .. } | EventKind::Read { .. } => "client",
                        EventKind::Violation(_) => "violation",
                        EventKind::Node { event: NodeEvent::RuleBroken(_), .. } => "breach",
                        _ => "",
                    };
                    // Two kinds of key that never meet: a place is `p3`, an event its number.
                    let key = if reuse { Key::from(format!("p{place}")) } else { Key::from(seq) };
                    html! {
                        <EventLine {key} {class} {colour} time={e.time} sentence={event_sentence(lang, &p.sim, seq, &e.kind)} />
                    }
                }) }
            </ol>
        </section>
    }
}
