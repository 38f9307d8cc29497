//! The paper's Figure 16 in the browser: the setup in words (from the settings the trials
//! use), the form, the progress of the run with Cancel, the two panels' plots, and the
//! table (the plots' text alternative) with each range's percentiles, the paper's median
//! and the no-split-vote estimate, and links to the trials that made them.

use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::raft::MS;
use crate::sim::lab::figure16::{
    BOTTOM_PANEL, Range, Setup, Summary, TOP_PANEL, at_percentile, paper_median_ms,
};
use crate::ui::lab::{LabAction, TIME_MODELS, Trials, fraction, ms_label};
use crate::ui::lang::Lang;
use crate::ui::playground::Action;
use crate::ui::plot::Axis;
use crate::ui::store::PanelProps;
use crate::ui::views::lab::cdf_plot::{CdfPlot, Curve};

#[function_component(Figure16)]
pub fn figure16(props: &PanelProps) -> Html {
    let p = props.view.get();
    let lang = p.lang;
    let f = &p.lab.figure16;
    let setup = &f.setup;
    let trials_changed = {
        let d = props.dispatch.clone();
        Callback::from(move |e: Event| {
            if let Some(select) = e.target_dyn_into::<HtmlSelectElement>()
                && let Some(t) = Trials::from_value(&select.value())
            {
                d.emit(Action::Lab(LabAction::SetTrials(t)));
            }
        })
    };
    // Opening a trial is following its share link: Back returns here.
    let open_trial = {
        let (view, d) = (props.view.clone(), props.dispatch.clone());
        Callback::from(move |(range, number): (Range, u32)| {
            let link = view.get().lab.trial_link(range, number);
            match link {
                Ok(link) => {
                    if let Some(w) = web_sys::window() {
                        let _ = w.location().set_hash(link.trim_start_matches('#'));
                    }
                }
                Err(e) => d.emit(Action::Notify(e)),
            }
        })
    };
    let export = {
        let view = props.view.clone();
        let d = props.dispatch.clone();
        Callback::from(move |_| {
            let csv = view.get().lab.figure16.experiment.as_ref().map(|e| e.csv());
            if let Some(csv) = csv
                && crate::ui::top_bar::download(&csv, "figure-16-trials.csv", "text/csv").is_none()
            {
                d.emit(Action::Notify(
                    lang.pick(
                        "The browser refused to save the file.",
                        "浏览器拒绝保存文件。",
                    )
                    .into(),
                ));
            }
        })
    };
    let model_changed = {
        let d = props.dispatch.clone();
        Callback::from(move |e: Event| {
            if let Some(select) = e.target_dyn_into::<HtmlSelectElement>()
                && let Ok(k) = select.value().parse::<usize>()
            {
                d.emit(Action::Lab(LabAction::SetTimeModel(k)));
            }
        })
    };
    let running = f.running;
    let experiment = f.experiment.as_ref();
    let (done, all) = experiment.map_or((0, 0), |e| e.progress());
    let checkbox = |range: Range| {
        let checked = f.chosen.contains(&range);
        html! {
            <label class="range-choice">
                <input type="checkbox" checked={checked} disabled={running}
                    onchange={super::on::<Event>(&props.dispatch, LabAction::ToggleRange(range))} />
                { format!(" {}", range.label()) }
            </label>
        }
    };
    // The words about the trials describe the setup they ran with (the form's, before
    // any ran): the form may have changed since.
    let ran = experiment.map_or(setup, |e| &e.setup);
    let limit_s = ran.limit / (1000 * MS);
    // The curves each panel shows: the ranges of that panel that have run (or are running).
    let curves_of = |panel: &[Range]| -> Vec<Curve> {
        let mut curves: Vec<Curve> = experiment
            .map(|e| {
                e.ranges
                    .iter()
                    .zip(&e.results)
                    .filter(|(r, trials)| panel.contains(r) && !trials.is_empty())
                    .map(|(r, trials)| Curve {
                        range: *r,
                        trials: trials.clone(),
                        // By place in its panel, and 150–300 ms (in both) the same in both.
                        style: if *r == TOP_PANEL[5] {
                            5
                        } else {
                            panel.iter().position(|p| p == r).unwrap_or(0)
                        },
                    })
                    .collect()
            })
            .unwrap_or_default();
        // In the panel's own order (its legend reads as the paper's).
        curves.sort_by_key(|c| panel.iter().position(|r| *r == c.range));
        curves
    };
    let (top, bottom) = (curves_of(&TOP_PANEL), curves_of(&BOTTOM_PANEL));
    // A rate over less than half a second of frames says little: none is shown then.
    let speed = (f.elapsed_ms >= 500.0).then(|| done as f64 * 1000.0 / f.elapsed_ms);
    html! {
        <section class="lab-experiment figure16" aria-labelledby="figure16-title">
            <h2 id="figure16-title" tabindex="-1">{ lang.pick("How long does an election take? The paper's Figure 16", "一次选举要多久？论文的图 16") }</h2>
            <p class="lab-setup">{ setup_words(lang, ran, experiment.is_some()) }</p>
            <form class="lab-form" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
                <fieldset>
                    <legend>{ lang.pick("Election timeouts: the top panel", "选举超时：上图") }</legend>
                    { for TOP_PANEL.into_iter().map(checkbox) }
                </fieldset>
                <fieldset>
                    <legend>{ lang.pick("…and the bottom panel", "……以及下图") }</legend>
                    { for BOTTOM_PANEL.into_iter().filter(|r| !TOP_PANEL.contains(r)).map(checkbox) }
                </fieldset>
                <fieldset class="setup">
                    <legend>{ lang.pick("Setup", "设置") }</legend>
                    <label>
                        { lang.pick("trials per range ", "每个范围的试验次数 ") }
                        <select onchange={trials_changed} disabled={running} onkeydown={crate::ui::controls::menu_keys()}>
                            { for Trials::CHOICES.into_iter().map(|t| html! {
                                <option value={t.value()} selected={t == f.trials}>{ trials_label(lang, t) }</option>
                            }) }
                        </select>
                    </label>
                    <label>
                        { lang.pick("time ", "时间模型 ") }
                        <select onchange={model_changed} disabled={running} onkeydown={crate::ui::controls::menu_keys()}>
                            { for TIME_MODELS.iter().enumerate().map(|(k, &(latency, storage))| html! {
                                <option value={k.to_string()} selected={(latency, storage) == (setup.latency, setup.storage)}>
                                    { time_model_label(lang, k, latency, storage) }
                                </option>
                            }) }
                        </select>
                    </label>
                    <label>
                        <input type="checkbox" checked={setup.uneven_logs} disabled={running}
                            onchange={super::on::<Event>(&props.dispatch, LabAction::SetUnevenLogs(!setup.uneven_logs))} />
                        { lang.pick(" two of the four survivors lack the newest entry (they cannot win)", " 四台幸存者中有两台缺少最新条目（它们无法当选）") }
                    </label>
                </fieldset>
                <div class="lab-run">
                    if running {
                        <button type="button" class="cancel" onclick={super::on::<MouseEvent>(&props.dispatch, LabAction::Cancel)}>{ lang.pick("Cancel (Esc)", "取消（Esc）") }</button>
                    } else {
                        <button type="button" class="run primary" disabled={f.chosen.is_empty()} onclick={super::on::<MouseEvent>(&props.dispatch, LabAction::RunFigure16)}>
                            { lang.pick("Run the trials", "运行试验") }
                        </button>
                    }
                    if experiment.is_some() {
                        <progress max="1000" value={((fraction(done, all) * 1000.0).round()).to_string()}
                            aria-label={lang.pick("Trials done", "已完成的试验")}></progress>
                        <span class="lab-progress" role={(!running).then_some("status")}>{ progress_line(lang, done, all, running, speed) }</span>
                    }
                </div>
            </form>
            if let Some(e) = &experiment.and_then(|e| e.error.clone()) {
                <p class="lab-notice" role="alert">{ e }</p>
            }
            if !top.is_empty() || !bottom.is_empty() {
                <div class="cdf-panels">
                    if !top.is_empty() {
                        <CdfPlot title={lang.pick("Top panel: a little randomness goes a long way", "上图：一点随机性就大有作用")} axis={Axis::TOP}
                            curves={top} lang={lang} on_pick={open_trial.clone()} />
                    }
                    if !bottom.is_empty() {
                        <CdfPlot title={lang.pick("Bottom panel: shorter timeouts, shorter elections", "下图：超时越短，选举越快")} axis={Axis::BOTTOM}
                            curves={bottom} lang={lang} on_pick={open_trial.clone()} />
                    }
                </div>
                <p class="lab-hint">{ lang.pick("Click a curve to open that trial in the sandbox, paused at the crash; the table's buttons do the same from the keyboard.", "点击曲线可在沙盒中打开该次试验，停在崩溃的那一刻；表格里的按钮也能用键盘做到。") }</p>
            }
            if let Some(e) = experiment {
                <table class="lab-table">
                    <caption>{ match lang {
                        Lang::En => format!("Time without a leader after the crash, in ms; the mean is over the trials that elected one. Estimate: the expected time if no vote splits. For timeouts from a to b ms, the first of the {k} servers that can win times out a + (b − a)/{k1} ms after the last heartbeat reached it (one latency after it left), and its election takes one broadcast time; the crash came on average half a heartbeat after that heartbeat left.", k = if ran.uneven_logs { 2 } else { 4 }, k1 = if ran.uneven_logs { 3 } else { 5 }),
                        Lang::Zh => format!("崩溃后无领导者的时长（毫秒）；平均值只算选出了领导者的试验。估计值：假设没有分票时的期望。超时范围为 a 到 b 毫秒时，{k} 台能当选的服务器中第一台在最后一次心跳到达后（心跳发出后一个延迟）a + (b − a)/{k1} 毫秒超时，它的选举再用一次广播时间；崩溃平均发生在那次心跳发出后半个心跳间隔。", k = if ran.uneven_logs { 2 } else { 4 }, k1 = if ran.uneven_logs { 3 } else { 5 }),
                    } }</caption>
                    <thead><tr>
                        <th scope="col">{ lang.pick("timeouts", "超时范围") }</th>
                        <th scope="col">{ lang.pick("trials", "试验") }</th>
                        <th scope="col">{ lang.pick("no leader in time", "限时内未选出") }</th>
                        <th scope="col">{ "p50" }</th>
                        <th scope="col">{ lang.pick("paper's p50", "论文 p50") }</th>
                        <th scope="col">{ "p90" }</th>
                        <th scope="col">{ "p99" }</th>
                        <th scope="col">{ lang.pick("max", "最大") }</th>
                        <th scope="col">{ lang.pick("mean", "平均") }</th>
                        <th scope="col">{ lang.pick("estimate", "估计") }</th>
                        <th scope="col">{ lang.pick("open a trial", "打开试验") }</th>
                    </tr></thead>
                    <tbody>
                        { for e.ranges.iter().zip(&e.results).enumerate().map(|(k, (range, trials))| {
                            let s = Summary::of(trials);
                            let range = *range;
                            let finished = e.range_done(k);
                            let beyond = |t: Option<u64>| if s.trials > 0 && t.is_none() { lang.pick(format!("> {limit_s} s"), format!("> {limit_s} 秒")) } else { ms_label(t) };
                            let open = |p: usize, label: &'static str| {
                                at_percentile(trials, p).map(|t| {
                                    let (open_trial, number) = (open_trial.clone(), t.number);
                                    html! {
                                        <button type="button" class="open-trial" onclick={Callback::from(move |_| open_trial.emit((range, number)))}
                                            aria-label={format!("{label} {}", range.label())}>{ label }</button>
                                    }
                                })
                            };
                            html! {
                                <tr class={classes!((!finished).then_some("in-progress"))} data-range={range.label()}>
                                    <th scope="row">{ range.label() }</th>
                                    <td>{ if finished { s.trials.to_string() } else { format!("{} / {}", s.trials, e.trials[k]) } }</td>
                                    <td>{ s.unfinished }</td>
                                    <td class="p50">{ beyond(s.p50) }</td>
                                    <td>{ paper_median_ms(range).map_or_else(|| lang.pick("> 10 s", "> 10 秒").to_string(), |m| m.to_string()) }</td>
                                    <td>{ beyond(s.p90) }</td>
                                    <td>{ beyond(s.p99) }</td>
                                    <td>{ beyond(s.max) }</td>
                                    <td>{ ms_label(s.mean) }</td>
                                    <td>{ ms_label(Some(ran.expected_without_split_votes(range))) }</td>
                                    <td class="open-trials">
                                        { for open(50, lang.pick("median", "中位数")) }
                                        { for open(100, lang.pick("slowest", "最慢")) }
                                    </td>
                                </tr>
                            }
                        }) }
                    </tbody>
                </table>
                <button type="button" class="export-csv" onclick={export} disabled={done == 0}>
                    { lang.pick("Export CSV (every trial)", "导出 CSV（每次试验）") }
                </button>
            }
        </section>
    }
}

/// The setup in words: the time model, the crash, the logs and the limit.
fn setup_words(lang: Lang, setup: &Setup, ran: bool) -> String {
    let (l0, l1) = (setup.latency.0 / MS, setup.latency.1 / MS);
    let (s0, s1) = (setup.storage.0 / MS, setup.storage.1 / MS);
    let broadcast = setup.broadcast_time() / MS;
    let paper = (setup.latency, setup.storage) == TIME_MODELS[0];
    let limit_s = setup.limit / (1000 * MS);
    let logs = setup.uneven_logs;
    match lang {
        Lang::En => {
            let mut w = String::from(if ran {
                "These trials are runs of this simulator: five servers, "
            } else {
                "Each trial is a run of this simulator: five servers, "
            });
            w.push_str(&if s1 > 0 {
                format!("a one-way latency of {l0}–{l1} ms and a stable-storage write of {s0}–{s1} ms before each vote and log reply (a broadcast time of about {broadcast} ms{}). ", if paper { ", as in the paper" } else { "" })
            } else {
                format!("a one-way latency of {l0}–{l1} ms and no stable-storage write (a broadcast time of about {broadcast} ms). ")
            });
            w.push_str("The leader crashes at a random moment within a heartbeat interval (half the shortest timeout) after a heartbeat that synchronised the followers' timers, once that heartbeat has arrived (a crashed server's messages in flight are lost here). ");
            if logs {
                w.push_str("Two of the four survivors lack the newest entry, so they cannot win. ");
            }
            w.push_str(&format!(
                "A trial ends when a new leader exists, or after {limit_s} s without one."
            ));
            w
        }
        Lang::Zh => {
            let mut w = String::from(if ran {
                "这些试验都是这个模拟器的运行：五台服务器，"
            } else {
                "每次试验都是这个模拟器的一次运行：五台服务器，"
            });
            w.push_str(&if s1 > 0 {
                format!("单程延迟 {l0}–{l1} 毫秒，每次投票和日志应答前要写稳定存储 {s0}–{s1} 毫秒（广播时间约 {broadcast} 毫秒{}）。", if paper { "，与论文相同" } else { "" })
            } else {
                format!("单程延迟 {l0}–{l1} 毫秒，不写稳定存储（广播时间约 {broadcast} 毫秒）。")
            });
            w.push_str("领导者在一次让跟随者计时器同步的心跳之后、一个心跳间隔（最短超时的一半）内的随机时刻崩溃，但要等那次心跳送达之后（这里崩溃的服务器尚在途中的消息会丢失）。");
            if logs {
                w.push_str("四台幸存者中有两台缺少最新条目，因此无法当选。");
            }
            w.push_str(&format!(
                "出现新领导者时试验结束；{limit_s} 秒内没有领导者也结束。"
            ));
            w
        }
    }
}

fn time_model_label(lang: Lang, k: usize, latency: (u64, u64), storage: (u64, u64)) -> String {
    let broadcast = Setup {
        latency,
        storage,
        ..Setup::paper()
    }
    .broadcast_time()
        / MS;
    let (l0, l1, s0, s1) = (
        latency.0 / MS,
        latency.1 / MS,
        storage.0 / MS,
        storage.1 / MS,
    );
    let paper = k == 0;
    match (lang, storage.1 > 0) {
        (Lang::En, true) => format!(
            "{l0}–{l1} ms latency + a {s0}–{s1} ms disk write (broadcast ≈ {broadcast} ms{})",
            if paper { ", the paper's" } else { "" }
        ),
        (Lang::En, false) => {
            format!("{l0}–{l1} ms latency, no disk write (broadcast ≈ {broadcast} ms)")
        }
        (Lang::Zh, true) => format!(
            "延迟 {l0}–{l1} 毫秒 + 写盘 {s0}–{s1} 毫秒（广播约 {broadcast} 毫秒{}）",
            if paper { "，与论文相同" } else { "" }
        ),
        (Lang::Zh, false) => format!("延迟 {l0}–{l1} 毫秒，不写盘（广播约 {broadcast} 毫秒）"),
    }
}

fn trials_label(lang: Lang, t: Trials) -> String {
    match (t, lang) {
        (Trials::Paper, Lang::En) => "the paper's: 1,000 (100 for 150–150 ms)".into(),
        (Trials::Paper, Lang::Zh) => "与论文相同：1000 次（150–150 毫秒为 100 次）".into(),
        (Trials::Each(n), _) => n.to_string(),
    }
}

fn progress_line(
    lang: Lang,
    done: u64,
    all: u64,
    running: bool,
    per_second: Option<f64>,
) -> String {
    let rate = per_second.map_or_else(String::new, |r| match lang {
        Lang::En => format!(" ({} a second)", r.round() as u64),
        Lang::Zh => format!("（每秒 {} 次）", r.round() as u64),
    });
    match (lang, running, done == all) {
        (Lang::En, true, _) => format!("{done} of {all} trials{rate}"),
        (Lang::Zh, true, _) => format!("已完成 {done} / {all} 次试验{rate}"),
        (Lang::En, false, true) => format!("All {all} trials done{rate}."),
        (Lang::Zh, false, true) => format!("全部 {all} 次试验已完成{rate}。"),
        (Lang::En, false, false) => format!("Stopped after {done} of {all} trials."),
        (Lang::Zh, false, false) => format!("已在 {done} / {all} 次试验后停止。"),
    }
}
