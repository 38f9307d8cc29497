//! The timeline: a scrubber over the whole recorded run, with markers for elections
//! (coloured by term), crashes, restarts, network cuts and heals. Dragging shows the
//! cluster exactly as it was; acting in the past starts a new history from there.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::raft::server_name;
use crate::ui::geometry::term_colour;
use crate::ui::history::MarkKind;
use crate::ui::lang::Lang;
use crate::ui::playground::{Action, clock_label};
use crate::ui::store::PanelProps;

#[function_component(Timeline)]
pub fn timeline(props: &PanelProps) -> Html {
    let p = props.view.get();
    let lang = p.lang;
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
                match lang {
                    Lang::En => format!("{} leader of term {term}", server_name(*node)),
                    Lang::Zh => format!("{} 成为任期 {term} 的领导者", server_name(*node)),
                },
            ),
            MarkKind::Crash(id) => (
                "mark crash",
                "#b3261e",
                format!("{} {}", server_name(*id), lang.pick("crashed", "宕机")),
            ),
            MarkKind::Restart(id) => (
                "mark restart",
                "#1a7f37",
                format!("{} {}", server_name(*id), lang.pick("restarted", "重启")),
            ),
            MarkKind::NetworkCut => (
                "mark cut",
                "#7a4a00",
                lang.pick("network cut", "网络断开").to_string(),
            ),
            MarkKind::Heal => (
                "mark heal",
                "#0072B2",
                lang.pick("network healed", "网络恢复").to_string(),
            ),
        };
        let at = clock_label(m.at);
        html! {
            <span class={class} style={format!("{left};background:{colour}")}
                title={lang.pick(format!("{at}: {title}"), format!("{at}：{title}"))}></span>
        }
    });
    html! {
        <div class={classes!("timeline", in_past.then_some("past"))}>
            <div class="track">
                <div class="marks" aria-hidden="true">{ for marks }</div>
                <input type="range" min="0" max={horizon.to_string()} step="any" value={now.to_string()}
                    onpointerup={crate::ui::controls::let_go()}
                    oninput={seek} aria-label={lang.pick("Timeline", "时间线")} />
            </div>
            <span class="where" data-horizon={horizon.to_string()}>
                { match (lang, in_past) {
                    (Lang::En, true) => format!("replaying the recorded run: {} of {} · acting here starts a new history", clock_label(now), clock_label(horizon)),
                    (Lang::Zh, true) => format!("正在回放记录的运行：{} / {} · 在这里操作会开始一段新的历史", clock_label(now), clock_label(horizon)),
                    (Lang::En, false) => format!("live · {} recorded", clock_label(horizon)),
                    (Lang::Zh, false) => format!("实时 · 已记录 {}", clock_label(horizon)),
                } }
            </span>
        </div>
    }
}
