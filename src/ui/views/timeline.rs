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
use crate::ui::words::timeline_position;

/// The timeline is drawn in this many parts, each with at most one mark of each kind
/// (see [`crate::ui::history::History::marks_shown`]): about one mark width apart on a
/// projector, so nothing visible is lost and a long run's timeline stays small.
const MARK_SLOTS: u64 = 200;

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
    let marks = p
        .history
        .marks_shown(MARK_SLOTS)
        .into_iter()
        .map(|(m, count)| {
            let left = format!("left:{:.2}%", m.at as f64 * 100.0 / horizon as f64);
            // Each kind has its own shape (CSS), so colour never carries it alone (WCAG
            // 1.4.1): a leader is a diamond in its term's colour, a crash a cross, a restart
            // a triangle, a cut a split bar, a heal a dot.
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
            let said = match (lang, count) {
                (Lang::En, 1) => format!("{at}: {title}"),
                (Lang::Zh, 1) => format!("{at}：{title}"),
                (Lang::En, _) => {
                    format!("{at}: {title} (the last of {count} such moments close together)")
                }
                (Lang::Zh, _) => {
                    format!("{at}：{title}（附近共有 {count} 个这样的时刻，这是最后一个）")
                }
            };
            html! {
                <li class={class} style={format!("{left};--c:{colour}")} title={said.clone()}>
                    <span class="visually-hidden">{ said }</span>
                </li>
            }
        });
    html! {
        <div class={classes!("timeline", in_past.then_some("past"))}>
            <div class="track">
                // A list a screen reader can browse: what happened when (the marks' names).
                <ol class="marks" aria-label={lang.pick("Moments in the run", "运行中的关键时刻")}>{ for marks }</ol>
                <input type="range" min="0" max={horizon.to_string()} step="any" value={now.to_string()}
                    onpointerup={crate::ui::controls::let_go()}
                    oninput={seek} aria-label={lang.pick("Timeline", "时间线")}
                    aria-valuetext={timeline_position(lang, now, horizon)} />
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
