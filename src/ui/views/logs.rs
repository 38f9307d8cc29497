//! Every server's log side by side: one row per server, one column per index, coloured by
//! term; committed entries solid, uncommitted ones hatched; the commit index marked; each
//! server's key-value state; and the leader's quorum meter.

use yew::prelude::*;

use crate::raft::{Command, Role, server_name};
use crate::ui::geometry::first_shown_index;
use crate::ui::lang::Lang;
use crate::ui::log_cell::{CellEntry, LogCell};
use crate::ui::playground::{Action, Selection};
use crate::ui::store::PanelProps;
use crate::ui::words::{config_words, kv_words, no_quorum, quorum_meter, recent_reads};

/// The cells of a row's shown indexes that its snapshot replaced, as one block: "snapshot
/// up to index 40, term 3". Nothing when the snapshot is older than the first column.
fn snapshot_block(lang: Lang, node: &crate::raft::Node, first: u64, last: u64) -> Option<Html> {
    let s = node.log.snapshot()?;
    let through = s.last_included_index;
    if through < first {
        return None;
    }
    let columns = through.min(last) - first + 1;
    let (index, term) = (through, s.last_included_term);
    let long = match lang {
        Lang::En => format!(
            "snapshot up to index {index}, term {term}: {}",
            kv_words(&s.state)
        ),
        Lang::Zh => format!("快照：到索引 {index}，任期 {term}：{}", kv_words(&s.state)),
    };
    // Narrow blocks say only the index; the title and the inspector say the rest.
    let short = match (lang, columns) {
        (Lang::En, 1..=2) => format!("≤{index}"),
        (Lang::Zh, 1..=2) => format!("≤{index}"),
        (Lang::En, _) => format!("snapshot ≤ {index} · t{term}"),
        (Lang::Zh, _) => format!("快照 ≤ {index} · 任期 {term}"),
    };
    Some(html! {
        <td key="snapshot" class="snapshot" colspan={columns.to_string()} title={long.clone()} aria-label={long}
            data-node-id={node.id.to_string()} data-snapshot-index={index.to_string()} data-snapshot-term={term.to_string()}>
            { short }
        </td>
    })
}

/// Columns shown at once; older entries scroll out on the left.
const COLUMNS: u64 = 24;
/// From this many index columns on, the table is marked `many` (narrower slots when
/// presenting).
const MANY_COLUMNS: usize = 10;

#[function_component(Logs)]
pub fn logs(props: &PanelProps) -> Html {
    let p = props.view.get();
    let lang = p.lang;
    let sim = &p.sim;
    let longest = sim
        .servers()
        .iter()
        .map(|s| s.node.log.last_index())
        .max()
        .unwrap_or(0);
    let first = first_shown_index(longest, COLUMNS);
    // One more column when a follower is caught up: its nextIndex is the next free slot.
    let next_free = sim
        .leader()
        .map(|l| sim.node(l).log.last_index() + 1)
        .unwrap_or(0);
    let last = longest.max(first + 7).max(next_free);
    let indexes: Vec<u64> = (first..=last).collect();

    // The leader's view of each follower (Figure 2's nextIndex and matchIndex), marked in
    // that follower's row as RaftScope does.
    let leader = sim.leader().map(|l| sim.node(l));
    let rows = sim.servers().iter().map(|s| {
        let node = &s.node;
        let id = node.id;
        let onclick = {
            let dispatch = props.dispatch.clone();
            Callback::from(move |_| dispatch.emit(Action::Select(Selection::Server(id))))
        };
        // The state machine is volatile: a crashed server's is gone until it restarts
        // and applies its committed entries again.
        let kv = if !s.up {
            lang.pick("lost while down", "宕机时丢失").to_string()
        } else {
            kv_words(&node.kv)
        };
        let progress = leader
            .filter(|l| l.id != id && s.up)
            .map(|l| (l.id, l.next_index[id as usize], l.match_index[id as usize]));
        let role = if !s.up { lang.pick("down", "宕机") } else { crate::ui::words::role_word(lang, node.role) };
        html! {
            <tr class={classes!("log-row", (!s.up).then_some("down"), (s.up && node.role == Role::Leader).then_some("leader"))}
                data-node-id={id.to_string()}
                data-match-index={progress.map(|p| p.2.to_string())} data-next-index={progress.map(|p| p.1.to_string())}>
                // Every cell keyed, the name and the state machine too: Yew matches an
                // unkeyed list by position from its end, so one new column used to rebuild
                // the whole row (every cell removed and made again) on every write.
                { for std::iter::once(html! {
                <th key="name" scope="row">
                    <button class="row-name" onclick={onclick}
                        aria-label={lang.pick(format!("{}, {role}: inspect", server_name(id)), format!("{}，{role}：查看", server_name(id)))}>
                        { server_name(id) }
                    </button>
                </th>
                })
                // A compacted prefix is one block: the snapshot that replaced it.
                .chain(snapshot_block(lang, node, first, last))
                .chain(indexes.iter().filter(|&&i| !node.log.is_compacted(i)).map(|&i| {
                    let entry = node.log.get(i).map(|e| CellEntry {
                        term: e.term,
                        command: match &e.command {
                            Command::Config(m) => config_words(lang, m),
                            other => other.to_string(),
                        },
                        short: match &e.command {
                            // Against the configuration before it in this log, or the one
                            // the run started with (a server added later knew none).
                            Command::Config(m) => config_change_short(
                                &node.log.membership_at(i.saturating_sub(1)).cloned()
                                    .unwrap_or_else(|| crate::raft::Membership::first(sim.start_config().servers)),
                                m,
                            ),
                            other => short(lang, &other.to_string()),
                        },
                        committed: s.up.then_some(i <= node.commit_index),
                        commit_mark: s.up && i == node.commit_index,
                        noop: e.command == Command::Noop,
                        config: matches!(e.command, Command::Config(_)),
                    });
                    let match_of = progress.filter(|p| i == p.2 && i > 0).map(|p| p.0);
                    let next_of = progress.filter(|p| i == p.1).map(|p| p.0);
                    html! { <LogCell key={i} {lang} node={id} index={i} {entry} {match_of} {next_of} /> }
                }))
                .chain(std::iter::once(html! {
                <td key="kv" class={classes!("kv", (!s.up).then_some("lost"))} data-kv={kv.clone()}>{ kv }</td>
                })) }
            </tr>
        }
    });

    // While the tour asks a question, the meter would answer it: it waits for Next.
    let predicting = p
        .tour
        .as_ref()
        .is_some_and(|t| t.arrived && t.open_question().is_some());
    let meter = if predicting {
        Some(
            lang.pick(
                "Quorum: shown after your prediction.",
                "多数派：预测之后再揭晓。",
            )
            .to_string(),
        )
    } else {
        quorum_meter(lang, sim)
    };
    // The newest client reads with their answers (the event log has every one).
    let reads = recent_reads(lang, sim, 3);
    html! {
        <div class="logs">
            <div class="logs-scroll">
                // Many columns: presenter mode draws narrower slots, so more fit beside the
                // cluster (the snapshots chapter shows 14 at 1920×1080).
                <table class={classes!((indexes.len() >= MANY_COLUMNS).then_some("many"))}>
                    <thead>
                        <tr>
                            <th scope="col">{ lang.pick("log", "日志") }</th>
                            { for indexes.iter().map(|i| html! { <th scope="col" class="index">{ i }</th> }) }
                            <th scope="col" class="kv">{ lang.pick("state machine", "状态机") }</th>
                        </tr>
                    </thead>
                    <tbody>{ for rows }</tbody>
                </table>
            </div>
            <div class="logs-foot">
            <p class="quorum">
                { meter.unwrap_or_else(|| no_quorum(lang).to_string()) }
            </p>
            if !reads.is_empty() {
                <p class="reads">
                    <span class="label">{ lang.pick("Reads: ", "读取：") }</span>
                    { for reads.into_iter().enumerate().map(|(k, (text, stale))| html! {
                        <>
                            if k > 0 { { " · " } }
                            <span class={classes!(stale.then_some("stale"))}>{ text }</span>
                        </>
                    }) }
                </p>
            }
            if sim.servers().iter().any(|s| !s.up && s.node.log.last_index() > 0) {
                <p class="legend">
                    <span class="stored-key"></span>
                    { lang.pick(
                        " on a down server's disk: whether committed was lost with its commitIndex",
                        " 宕机服务器磁盘上的条目：它是否已提交，随 commitIndex 一起丢失了",
                    ) }
                </p>
            }
            if let Some(l) = leader {
                <p class="legend">
                    <span class="marker-key">{ "m" }</span>{ " matchIndex " }
                    <span class="marker-key">{ "n" }</span>{ " nextIndex " }
                    { match lang {
                        Lang::En => format!("(what {} knows of each follower)", server_name(l.id)),
                        Lang::Zh => format!("（{} 所知道的每个跟随者的进度）", server_name(l.id)),
                    } }
                </p>
            }
            </div>
        </div>
    }
}

/// `SET x 12` as `x=12`, `DEL x` as `del x` (`删 x`): short enough for a log cell.
/// A configuration entry in a cell: what it changed from the configuration before it
/// in the same log: "+S4" (joins as a learner), "S4✓" (now votes), "−S3" (removed).
fn config_change_short(
    before: &crate::raft::Membership,
    after: &crate::raft::Membership,
) -> String {
    let joined = after.learners.difference(&before.learners).next();
    let promoted = after.voters.difference(&before.voters).next();
    let left = before
        .voters
        .iter()
        .chain(&before.learners)
        .find(|id| !after.is_member(**id));
    match (joined, promoted, left) {
        (_, Some(id), _) => format!("{}✓", server_name(*id)),
        (Some(id), _, _) => format!("+{}", server_name(*id)),
        (_, _, Some(id)) => format!("−{}", server_name(*id)),
        _ => "conf".to_string(),
    }
}

fn short(lang: Lang, command: &str) -> String {
    let parts: Vec<&str> = command.split_whitespace().collect();
    match parts.as_slice() {
        ["SET", key, value] => format!("{key}={value}"),
        ["DEL", key] => format!("{} {key}", lang.pick("del", "删")),
        _ => command.to_string(),
    }
}
