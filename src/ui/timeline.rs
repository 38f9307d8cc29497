//! The timeline: a scrubber over the whole recorded run, with markers for elections
//! (coloured by term), crashes, restarts, network cuts and heals. Dragging shows the
//! cluster exactly as it was; acting in the past starts a new history from there.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::geometry::term_colour;
use super::history::MarkKind;
use super::playground::{Action, clock_label};
use super::store::PanelProps;
use crate::raft::server_name;

#[function_component(Timeline)]
pub fn timeline(props: &PanelProps) -> Html {
    let p = props.view.get();
    let horizon = p.history.horizon().max(p.sim.now()).max(1);
    let now = p.sim.now();
    let in_past = p.history.in_past(&p.sim);
    let seek = {
        let d = props.dispatch.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(input) = e.target_dyn_into::<HtmlInputElement>()
                && let Ok(t) = input.value().parse::<f64>()
            {
                d.emit(Action::Seek(t.max(0.0) as u64));
            }
        })
    };
    let marks = p.history.marks().iter().map(|m| {
        let left = format!("left:{:.2}%", m.at as f64 * 100.0 / horizon as f64);
        let (class, colour, title) = match &m.kind {
            MarkKind::Leader { node, term } => (
                "mark leader",
                term_colour(*term),
                format!("{} leader of term {term}", server_name(*node)),
            ),
            MarkKind::Crash(id) => (
                "mark crash",
                "#b3261e",
                format!("{} crashed", server_name(*id)),
            ),
            MarkKind::Restart(id) => (
                "mark restart",
                "#1a7f37",
                format!("{} restarted", server_name(*id)),
            ),
            MarkKind::NetworkCut => ("mark cut", "#7a4a00", "network cut".to_string()),
            MarkKind::Heal => ("mark heal", "#0072B2", "network healed".to_string()),
        };
        html! {
            <span class={class} style={format!("{left};background:{colour}")}
                title={format!("{}: {title}", clock_label(m.at))}></span>
        }
    });
    html! {
        <div class={classes!("timeline", in_past.then_some("past"))}>
            <div class="track">
                <div class="marks" aria-hidden="true">{ for marks }</div>
                <input type="range" min="0" max={horizon.to_string()} step="any" value={now.to_string()}
                    oninput={seek} aria-label="Timeline" />
            </div>
            <span class="where" data-horizon={horizon.to_string()}>
                { if in_past {
                    format!("replaying the recorded run: {} of {} · acting here starts a new history", clock_label(now), clock_label(horizon))
                } else {
                    format!("live · {} recorded", clock_label(horizon))
                } }
            </span>
        </div>
    }
}
