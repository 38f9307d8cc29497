//! The control bar, grouped by what the controls act on: time, the cluster, the network.

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::raft::{Command, MS, ReadMode};
use crate::sim::{Intervention, WriteTarget};
use crate::ui::geometry::{LATENCIES, LOSS_MAX_PERCENT, SPEED_MAX_EXP, SPEED_MIN_EXP, speed_label};
use crate::ui::lang::Lang;
use crate::ui::playground::Action;
use crate::ui::store::PanelProps;
use crate::ui::timeline::Timeline;
use crate::ui::words::{refusal, speed_words};

#[function_component(Controls)]
pub fn controls(props: &PanelProps) -> Html {
    let p = props.view.get();
    let lang = p.lang;
    let d = &props.dispatch;
    let emit = |action: Action| {
        let d = d.clone();
        Callback::from(move |_: MouseEvent| d.emit(action.clone()))
    };
    let speed = {
        let d = d.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(input) = e.target_dyn_into::<HtmlInputElement>()
                && let Ok(v) = input.value().parse::<f64>()
            {
                d.emit(Action::SetSpeed(v));
            }
        })
    };
    let write_input = use_node_ref();
    // A refused command marks its field invalid (and points at the notice that says why)
    // until it is edited.
    let invalid = use_state(|| false);
    let write = {
        let (d, input, invalid) = (d.clone(), write_input.clone(), invalid.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(input) = input.cast::<HtmlInputElement>() else {
                return;
            };
            let text = input.value();
            if text.trim().is_empty() {
                d.emit(Action::WriteToLeader);
                return;
            }
            match Command::parse(&text) {
                Ok(command) => {
                    invalid.set(false);
                    d.emit(Action::Do(Intervention::ClientWrite {
                        to: WriteTarget::Leader,
                        command,
                    }))
                }
                Err(e) => {
                    invalid.set(true);
                    d.emit(Action::Notify(refusal(lang, &e)))
                }
            }
        })
    };
    let loss = {
        let d = d.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(input) = e.target_dyn_into::<HtmlInputElement>()
                && let Ok(percent) = input.value().parse::<u16>()
            {
                d.emit(Action::Do(Intervention::SetLoss {
                    permille: percent.min(LOSS_MAX_PERCENT) * 10,
                }));
            }
        })
    };
    let latency = {
        let d = d.clone();
        Callback::from(move |e: Event| {
            if let Some(select) = e.target_dyn_into::<HtmlSelectElement>()
                && let Some(&(min, max)) = select
                    .value()
                    .parse::<usize>()
                    .ok()
                    .and_then(|k| LATENCIES.get(k))
            {
                d.emit(Action::Do(Intervention::SetLatency {
                    min: min * MS,
                    max: max * MS,
                }));
            }
        })
    };
    let raft = &p.sim.config().raft;
    let now = (raft.pre_vote, raft.check_quorum, raft.no_op);
    // Each switch sends the whole set, so a click changes exactly the one it names.
    let feature = |set: fn(bool, Switches) -> Switches| {
        let d = d.clone();
        Callback::from(move |e: Event| {
            if let Some(input) = e.target_dyn_into::<HtmlInputElement>() {
                let (pre_vote, check_quorum, no_op) = set(input.checked(), now);
                d.emit(Action::Do(Intervention::SetFeatures {
                    pre_vote,
                    check_quorum,
                    no_op,
                }));
            }
        })
    };
    let (pre_vote, check_quorum, no_op) = now;
    // The presets: the paper's Figure 2 (every switch off) and etcd's defaults (all on).
    let preset = {
        let d = d.clone();
        Callback::from(move |e: Event| {
            if let Some(select) = e.target_dyn_into::<HtmlSelectElement>() {
                let on = match select.value().as_str() {
                    "paper" => false,
                    "etcd" => true,
                    _ => return,
                };
                d.emit(Action::Do(Intervention::SetFeatures {
                    pre_vote: on,
                    check_quorum: on,
                    no_op: on,
                }));
            }
        })
    };
    // Log compaction: how many applied entries between snapshots (0: never).
    let snapshot_every = raft.snapshot_every;
    let compaction = {
        let d = d.clone();
        Callback::from(move |e: Event| {
            if let Some(select) = e.target_dyn_into::<HtmlSelectElement>()
                && let Ok(every) = select.value().parse::<u64>()
            {
                d.emit(Action::Do(Intervention::SetCompaction {
                    snapshot_every: every,
                }));
            }
        })
    };
    let preset_now = match now {
        // The lab's counterexamples: not the paper's node, whatever the switches say.
        _ if raft.broken.is_some() => "broken",
        (false, false, false) => "paper",
        (true, true, true) => "etcd",
        _ => "custom",
    };
    let read_mode = {
        let d = d.clone();
        Callback::from(move |e: Event| {
            if let Some(select) = e.target_dyn_into::<HtmlSelectElement>() {
                let mode = match select.value().as_str() {
                    "local" => ReadMode::Local,
                    _ => ReadMode::ReadIndex,
                };
                d.emit(Action::SetReadMode(mode));
            }
        })
    };
    let read_key = p.read_key();
    let net = &p.sim.config().net;
    let loss_percent = net.loss_permille / 10;
    let latency_now = (net.latency_min / MS, net.latency_max / MS);

    html! {
        <footer class="controls">
            <Timeline view={props.view.clone()} dispatch={props.dispatch.clone()} />
            <div class="group" role="group" aria-label={lang.pick("Time", "时间")}>
                <button class="play" onclick={emit(Action::TogglePlay)}
                    aria-label={if p.playing { lang.pick("Pause", "暂停") } else { lang.pick("Play", "播放") }}
                    title={lang.pick("Play / pause (Space)", "播放 / 暂停（空格键）")}>
                    { if p.playing { lang.pick("❚❚ Pause", "❚❚ 暂停") } else { lang.pick("▶ Play", "▶ 播放") } }
                </button>
                <button onclick={emit(Action::StepBack)} aria-label={lang.pick("Step back one event", "退回一个事件")}
                    title={lang.pick("Undo exactly one event (← or B)", "撤销一个事件（← 或 B）")}>
                    { lang.pick("← Back", "← 退回") }
                </button>
                <button onclick={emit(Action::Step)} aria-label={lang.pick("Step one event", "单步：处理一个事件")}
                    title={lang.pick("Process exactly one event (→ or N)", "只处理一个事件（→ 或 N）")}>
                    { lang.pick("Step →", "单步 →") }
                </button>
                <label class="speed">
                    <span>{ lang.pick("speed", "速度") }</span>
                    <input type="range" min={SPEED_MIN_EXP.to_string()} max={SPEED_MAX_EXP.to_string()} step="0.05"
                        value={p.speed_exp.to_string()} oninput={speed} onpointerup={let_go()} aria-label={lang.pick("Speed", "速度")}
                        aria-valuetext={speed_words(lang, p.speed())} />
                    <output data-speed={p.speed().to_string()} aria-live="off">{ speed_label(p.speed()) }</output>
                </label>
                <span class="events" title={lang.pick("Events processed so far", "到目前为止处理过的事件数")}>
                    { match lang {
                        Lang::En => format!("event {}", p.sim.events_processed()),
                        Lang::Zh => format!("事件 {}", p.sim.events_processed()),
                    } }
                </span>
                <button class="presenter-toggle" onclick={emit(Action::TogglePresenter)}
                    title={lang.pick("Large, dark view for a projector (P)", "适合投影的大字体深色视图（P）")}>
                    { if p.presenter { lang.pick("Exit presenter", "退出演示") } else { lang.pick("Presenter", "演示模式") } }
                </button>
            </div>
            <div class="group" role="group" aria-label={lang.pick("Cluster actions", "集群操作")}>
                <form class="write" onsubmit={write}>
                    <label for="leader-write">{ lang.pick("command", "命令") }</label>
                    <input id="leader-write" ref={write_input} placeholder="SET x 5" aria-label={lang.pick("Command for the leader", "发给领导者的命令")} size="9"
                        aria-invalid={invalid.then_some("true")} aria-describedby={(*invalid && p.notice.is_some()).then_some("notice")}
                        oninput={let invalid = invalid.clone(); Callback::from(move |_: InputEvent| invalid.set(false))} />
                    <button type="submit" title={lang.pick(
                        "Client write to the leader (C); empty for a generated value",
                        "向领导者发送客户端写入（C）；留空则自动生成一个值",
                    )}>{ lang.pick("Write to leader", "写入领导者") }</button>
                </form>
                <button class="read" onclick={emit(Action::ReadFromLeader)}
                    title={lang.pick(
                        format!("Client read of {read_key} from the leader (R)"),
                        format!("从领导者读取 {read_key}（R）"),
                    )}>
                    { lang.pick(format!("Read {read_key}"), format!("读取 {read_key}")) }
                </button>
                <select class="read-mode" onchange={read_mode} onkeydown={menu_keys()} aria-label={lang.pick("How to read", "读取方式")}>
                    <option value="read-index" selected={p.read_mode == ReadMode::ReadIndex}>{ "ReadIndex" }</option>
                    <option value="local" selected={p.read_mode == ReadMode::Local}>{ lang.pick("local (unsafe)", "本地（不安全）") }</option>
                </select>
                <button onclick={emit(Action::Do(Intervention::AlignTimers))}
                    title={lang.pick("Align timers: provokes a split vote (A)", "对齐计时器：引发选票瓜分（A）")}>
                    { lang.pick("Align timers", "对齐计时器") }
                </button>
                <button onclick={emit(Action::Do(Intervention::SpreadTimers))}
                    title={lang.pick("Spread timers: avoids a split vote (T)", "错开计时器：避免选票瓜分（T）")}>
                    { lang.pick("Spread timers", "错开计时器") }
                </button>
            </div>
            <div class="group" role="group" aria-label={lang.pick("Network", "网络")}>
                <button onclick={emit(Action::SplitLeaderInMinority)}
                    title={lang.pick(
                        "Cut the cluster in two; the leader ends up in the minority",
                        "把集群切成两半，领导者落在少数派一侧",
                    )}>
                    { lang.pick("Split", "网络分区") }
                </button>
                <button onclick={emit(Action::Do(Intervention::Heal))} title={lang.pick("Restore every link (H)", "恢复所有链路（H）")}>
                    { lang.pick("Heal", "恢复网络") }
                </button>
                // Membership: a new server starts and the leader adds it, as a learner first.
                <button class="add-server" onclick={emit(Action::Do(Intervention::AddServer))}
                    title={lang.pick(
                        "Start a new server and ask the leader to add it: it learns the log first, then votes",
                        "启动一台新服务器并请领导者把它加入集群：它先学习日志，再参与投票",
                    )}>
                    { lang.pick("Add server", "加入服务器") }
                </button>
                <label>
                    <span>{ lang.pick("loss", "丢包") }</span>
                    <input type="range" min="0" max={LOSS_MAX_PERCENT.to_string()} step="5" value={loss_percent.to_string()} oninput={loss} onpointerup={let_go()}
                        aria-label={lang.pick("Message loss percent", "丢包率（百分比）")} aria-valuetext={format!("{loss_percent}%")} />
                    <output aria-live="off">{ format!("{loss_percent}%") }</output>
                </label>
                <label>
                    <span>{ lang.pick("latency", "延迟") }</span>
                    <select onchange={latency} onkeydown={menu_keys()} aria-label={lang.pick("Latency", "延迟")}>
                        { for LATENCIES.iter().enumerate().map(|(k, &(min, max))| html! {
                            <option value={k.to_string()} selected={(min, max) == latency_now}>{ format!("{min}–{max} ms") }</option>
                        }) }
                        // A run's own latency (a lab trial's, a link's) when no choice is it.
                        if !LATENCIES.contains(&latency_now) {
                            <option value="now" selected=true>{ format!("{}–{} ms", latency_now.0, latency_now.1) }</option>
                        }
                    </select>
                </label>
                if net.storage_max > 0 {
                    <span class="storage-write">{ match lang {
                        Lang::En => format!("+ a {}–{} ms disk write before each answer", net.storage_min / MS, net.storage_max / MS),
                        Lang::Zh => format!("+ 每次应答前写盘 {}–{} 毫秒", net.storage_min / MS, net.storage_max / MS),
                    } }</span>
                }
            </div>
            // Raft beyond the paper's Figure 2: each a switch of the run, off by default.
            <div class="group features" role="group" aria-label={lang.pick("Raft features", "Raft 特性")}>
                <span class="group-name" aria-hidden="true">{ lang.pick("Raft features", "Raft 特性") }</span>
                <select onchange={preset} onkeydown={menu_keys()} aria-label={lang.pick("Raft preset", "Raft 预设")}>
                    <option value="paper" selected={preset_now == "paper"}>{ lang.pick("Paper (Figure 2)", "论文（图 2）") }</option>
                    <option value="etcd" selected={preset_now == "etcd"}>{ lang.pick("As etcd runs it", "像 etcd 那样") }</option>
                    if preset_now == "custom" {
                        <option value="custom" selected=true disabled=true>{ lang.pick("Custom", "自定义") }</option>
                    }
                    if preset_now == "broken" {
                        <option value="broken" selected=true disabled=true>{ lang.pick("Figure 2, one rule broken", "图 2，违反一条规则") }</option>
                    }
                </select>
                <label title={lang.pick(PRE_VOTE_HELP.0, PRE_VOTE_HELP.1)}>
                    <input type="checkbox" checked={pre_vote} aria-describedby="pre-vote-help"
                        onchange={feature(|on, (_, cq, no)| (on, cq, no))} />
                    <span>{ "PreVote" }</span>
                </label>
                <label title={lang.pick(CHECK_QUORUM_HELP.0, CHECK_QUORUM_HELP.1)}>
                    <input type="checkbox" checked={check_quorum} aria-describedby="check-quorum-help"
                        onchange={feature(|on, (pv, _, no)| (pv, on, no))} />
                    <span>{ "CheckQuorum" }</span>
                </label>
                <label title={lang.pick(NO_OP_HELP.0, NO_OP_HELP.1)}>
                    <input type="checkbox" checked={no_op} aria-describedby="no-op-help"
                        onchange={feature(|on, (pv, cq, _)| (pv, cq, on))} />
                    <span>{ lang.pick("leader no-op", "领导者 no-op") }</span>
                </label>
                // The one-line explanations, read after each switch's name.
                <label title={lang.pick(COMPACTION_HELP.0, COMPACTION_HELP.1)}>
                    <span>{ lang.pick("Snapshots", "快照") }</span>
                    <select class="compaction" onchange={compaction} onkeydown={menu_keys()} aria-describedby="compaction-help">
                        { for SNAPSHOT_CHOICES.iter().map(|&every| html! {
                            <option value={every.to_string()} selected={every == snapshot_every}>
                                { snapshot_choice(lang, every) }
                            </option>
                        }) }
                        if !SNAPSHOT_CHOICES.contains(&snapshot_every) {
                            <option value={snapshot_every.to_string()} selected=true>{ snapshot_choice(lang, snapshot_every) }</option>
                        }
                    </select>
                </label>
                <span id="compaction-help" class="visually-hidden">{ lang.pick(COMPACTION_HELP.0, COMPACTION_HELP.1) }</span>
                <span id="pre-vote-help" class="visually-hidden">{ lang.pick(PRE_VOTE_HELP.0, PRE_VOTE_HELP.1) }</span>
                <span id="check-quorum-help" class="visually-hidden">{ lang.pick(CHECK_QUORUM_HELP.0, CHECK_QUORUM_HELP.1) }</span>
                <span id="no-op-help" class="visually-hidden">{ lang.pick(NO_OP_HELP.0, NO_OP_HELP.1) }</span>
            </div>
        </footer>
    }
}

/// The switches beyond Figure 2: (PreVote, CheckQuorum, leader no-op).
type Switches = (bool, bool, bool);

/// What each switch does, in one line (English, Chinese).
const PRE_VOTE_HELP: (&str, &str) = (
    "PreVote: a server that times out first asks whether it could win, and raises its term only if a majority says yes (dissertation 9.6)",
    "PreVote：超时的服务器先询问自己能否胜出，只有多数派愿意时才提高任期（博士论文 9.6 节）",
);
const CHECK_QUORUM_HELP: (&str, &str) = (
    "CheckQuorum: a leader that stops hearing from a majority steps down, and servers that hear their leader ignore elections (dissertation 6.2)",
    "CheckQuorum：收不到多数派回复的领导者会退位，能收到领导者消息的服务器会忽略选举（博士论文 6.2 节）",
);

/// Log compaction's thresholds the menu offers (0: off, the paper's Figure 2).
const SNAPSHOT_CHOICES: [u64; 4] = [0, 4, 8, 16];

/// One choice of the snapshot menu, in words.
fn snapshot_choice(lang: Lang, every: u64) -> String {
    match (lang, every) {
        (Lang::En, 0) => "off".to_string(),
        (Lang::Zh, 0) => "关闭".to_string(),
        (Lang::En, n) => format!("every {n} entries"),
        (Lang::Zh, n) => format!("每 {n} 个条目"),
    }
}

const COMPACTION_HELP: (&str, &str) = (
    "Snapshots (log compaction): each server writes its state machine down and drops the log entries it replaces; a follower too far behind gets the leader's snapshot (paper, section 7)",
    "快照（日志压缩）：每台服务器把状态机写成快照，并删去快照取代的日志条目；落后太多的跟随者会收到领导者的快照（论文第 7 节）",
);

const NO_OP_HELP: (&str, &str) = (
    "Leader no-op: a new leader appends an empty entry of its own term at once, so entries of earlier terms commit without waiting for a client (paper, section 8)",
    "领导者 no-op：新领导者立即追加一个属于自己任期的空条目，这样更早任期的条目无需等待客户端写入就能提交（论文第 8 节）",
);

/// A slider dragged with the mouse gives the keyboard back when it is let go: → then
/// steps and Space plays, instead of moving the slider. (From the keyboard, Tab leaves it.)
pub fn let_go() -> Callback<PointerEvent> {
    Callback::from(|e: PointerEvent| {
        if let Some(el) = e.target_dyn_into::<web_sys::HtmlElement>() {
            let _ = el.blur();
        }
    })
}

/// A closed menu ignores the keys that would change it on the spot (arrows, Home, End,
/// type-ahead letters): the choice is made in the opened list (Space, Enter or Alt+↓
/// opens it) and applied once committed, so arrowing never replaces the run (WCAG 3.2.2).
pub fn menu_keys() -> Callback<KeyboardEvent> {
    Callback::from(|e: KeyboardEvent| {
        let key = e.key();
        let moves = matches!(
            key.as_str(),
            "ArrowUp"
                | "ArrowDown"
                | "ArrowLeft"
                | "ArrowRight"
                | "Home"
                | "End"
                | "PageUp"
                | "PageDown"
        ) || (key.chars().count() == 1 && key != " ");
        if moves && !e.alt_key() {
            e.prevent_default();
        }
    })
}
