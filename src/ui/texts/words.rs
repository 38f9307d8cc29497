//! Every text the page builds from the simulator's state, in the reader's language: the
//! inspector's (field, value) rows named with the paper's words, the quorum meter, role
//! words, event sentences, refusals and the scenario gallery's captions. Pure, so it is
//! unit-tested natively. English sentences about events come from `sim::trace` (the
//! trace file's format); their Chinese counterparts from [`crate::ui::words_zh`].

use crate::raft::{AppendReason, BrokenRule, Message, Node, NodeId, Role, VoteReason, server_name};
use crate::raft::{MS, Time};
use crate::sim::{
    Context, EventKind, InFlight, Intervention, Invariant, Sim, Violation, format_time,
};
use crate::ui::geometry::{ServerLook, VoteState};
use crate::ui::lang::Lang;
use crate::ui::words_zh as zh;

/// One row of the inspector: `key` is the paper's (or an English) name, stable for tests
/// and the page's `data-field`; `label` is what the reader sees.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Field {
    pub key: &'static str,
    pub label: &'static str,
    pub value: String,
}

/// A row named by a Figure 2 identifier: the same in both languages.
fn paper(key: &'static str, value: String) -> Field {
    Field {
        key,
        label: key,
        value,
    }
}

/// A row named in words.
fn worded(key: &'static str, zh: &'static str, lang: Lang, value: String) -> Field {
    Field {
        key,
        label: lang.pick(key, zh),
        value,
    }
}

/// The sentence for one event in the event log, without its time. `seq` is the event's
/// number in the page's run (as `Playground::recent_events` gives it): the words fit the
/// run, so a lone server is not said to ask "the others" for votes, and a partition
/// names the groups the links really form after it, earlier cuts included.
pub fn event_sentence(lang: Lang, sim: &Sim, seq: u64, kind: &EventKind) -> String {
    let ctx = Context {
        forgets_vote: sim.config().raft.broken == Some(BrokenRule::ForgetVoteOnRestart),
        keeps_conflicts: sim.config().raft.broken == Some(BrokenRule::OverwriteWithoutTruncate),
        servers: Some(sim.config().servers),
        links_after: match kind {
            EventKind::Intervention(Intervention::Partition(_)) => sim.links_after(seq),
            _ => None,
        },
    };
    match lang {
        Lang::En => crate::sim::describe_in(kind, &ctx),
        Lang::Zh => zh::describe_in(kind, &ctx),
    }
}

/// An intervention as the event log says it, outside any run (a list of what a lab's
/// schedule does, in a run breaking `rule`).
pub fn intervention_words(lang: Lang, i: &Intervention, rule: Option<BrokenRule>) -> String {
    let kind = EventKind::Intervention(i.clone());
    let ctx = Context {
        forgets_vote: rule == Some(BrokenRule::ForgetVoteOnRestart),
        ..Context::default()
    };
    match lang {
        Lang::En => crate::sim::describe_in(&kind, &ctx),
        Lang::Zh => zh::describe_in(&kind, &ctx),
    }
}

/// `RequestVote (term 3)` / `RequestVote（任期 3）`, `heartbeat (term 3)` / `心跳（任期 3）`.
pub fn rpc_name(lang: Lang, msg: &Message) -> String {
    match lang {
        Lang::En => crate::sim::rpc_name(msg),
        Lang::Zh => zh::rpc_name(msg),
    }
}

/// [`rpc_name`] inside a sentence (in Chinese, spaced only before a Latin name).
pub fn rpc_phrase(lang: Lang, msg: &Message) -> String {
    match lang {
        Lang::En => crate::sim::rpc_name(msg),
        Lang::Zh => zh::rpc_phrase(msg),
    }
}

pub fn vote_reason(lang: Lang, reason: &VoteReason, candidate: NodeId) -> String {
    match lang {
        Lang::En => crate::sim::vote_reason(reason, candidate),
        Lang::Zh => zh::vote_reason(reason, candidate),
    }
}

pub fn append_reason(lang: Lang, reason: &AppendReason) -> String {
    match lang {
        Lang::En => crate::sim::append_reason(reason),
        Lang::Zh => zh::append_reason(reason),
    }
}

/// Something the simulator or the command parser refused, for a notice.
pub fn refusal(lang: Lang, text: &str) -> String {
    match lang {
        Lang::En => text.to_string(),
        Lang::Zh => zh::refusal(text),
    }
}

/// A safety property's name (the paper's Figure 3).
pub fn invariant_name(lang: Lang, invariant: Invariant) -> &'static str {
    match lang {
        Lang::En => invariant.name(),
        Lang::Zh => zh::invariant_name(invariant),
    }
}

/// A violation's evidence in the reader's language: a stale read's, and the checker's
/// other sentences where their shape is known (the lab's counterexamples make them a
/// lesson); any other as the checker wrote it.
pub fn violation_detail(lang: Lang, v: &Violation) -> String {
    match (lang, &v.stale) {
        (Lang::Zh, Some(stale)) => zh::stale_read(stale),
        (Lang::Zh, None) => zh::violation_detail(&v.detail),
        (Lang::En, _) => v.detail.clone(),
    }
}

/// A leader's leadership transfer under way, for the inspector: to whom, how far, and
/// when it gives up.
pub fn transfer_field(lang: Lang, node: &Node, up: bool, now: Time) -> Option<Field> {
    let t = node.transfer.filter(|_| up && node.role == Role::Leader)?;
    let target = server_name(t.target);
    let left = format!("{:.1}", t.deadline.saturating_sub(now) as f64 / MS as f64);
    let value = match (lang, t.timeout_now_sent) {
        (Lang::En, false) => format!(
            "to {target}: bringing its log up to date (matchIndex {} of {}); takes no client requests; gives up in {left} ms",
            node.match_index[t.target as usize],
            node.log.last_index()
        ),
        (Lang::En, true) => {
            format!("to {target}: TimeoutNow sent, waiting for its election; gives up in {left} ms")
        }
        (Lang::Zh, false) => format!(
            "移交给 {target}：正在补齐它的日志（matchIndex {} / {}）；不接受客户端请求；{left} 毫秒后放弃",
            node.match_index[t.target as usize],
            node.log.last_index()
        ),
        (Lang::Zh, true) => {
            format!("移交给 {target}：已发送 TimeoutNow，等待它发起选举；{left} 毫秒后放弃")
        }
    };
    Some(Field {
        key: "transfer",
        label: lang.pick("leadership transfer", "领导权移交"),
        value,
    })
}

/// A leader's ReadIndex reads not answered yet, for the inspector: each with what it
/// waits for.
pub fn pending_reads_field(lang: Lang, node: &Node, up: bool) -> Option<Field> {
    if !up || node.role != Role::Leader || node.pending_reads.is_empty() {
        return None;
    }
    let majority = node.majority();
    let each: Vec<String> = node
        .pending_reads
        .iter()
        .map(|r| match (lang, r.index) {
            (Lang::En, None) => format!(
                "#{} ({}): waits for an entry of term {} to commit",
                r.id, r.key, node.current_term
            ),
            (Lang::En, Some(index)) => format!(
                "#{} ({}) at index {index}: {} of {majority} servers confirmed this leader",
                r.id,
                r.key,
                r.acks.len()
            ),
            (Lang::Zh, None) => format!(
                "#{}（{}）：等待任期 {} 的一个条目提交",
                r.id, r.key, node.current_term
            ),
            (Lang::Zh, Some(index)) => format!(
                "#{}（{}），索引 {index}：{majority} 台中已有 {} 台确认这个领导者",
                r.id,
                r.key,
                r.acks.len()
            ),
        })
        .collect();
    Some(Field {
        key: "pending-reads",
        label: lang.pick("reads waiting", "等待中的读取"),
        value: each.join(lang.pick("; ", "；")),
    })
}

/// The newest client reads, newest first, each with its answer: what a client asked
/// and got. `(text, stale)`: a read the linearizability checker caught is marked, with
/// the write it missed.
pub fn recent_reads(lang: Lang, sim: &Sim, at_most: usize) -> Vec<(String, bool)> {
    use crate::sim::linearizability::OpId;
    use crate::sim::{ReadFailure, ReadFate};
    let stale = sim.violation().and_then(|v| v.stale.as_ref());
    sim.reads()
        .iter()
        .rev()
        .take(at_most)
        .map(|r| {
            let mode = match (lang, r.mode) {
                (_, crate::raft::ReadMode::ReadIndex) => "ReadIndex",
                (Lang::En, crate::raft::ReadMode::Local) => "local",
                (Lang::Zh, crate::raft::ReadMode::Local) => "本地",
            };
            let asked = match lang {
                Lang::En => format!("#{} {} ({mode})", r.id, r.key),
                Lang::Zh => format!("#{} {}（{mode}）", r.id, r.key),
            };
            let caught = stale.filter(|s| s.read == OpId::Read(r.id));
            let fate = match (r.fate, lang) {
                (ReadFate::Pending { leader }, Lang::En) => {
                    format!("waiting at {}", server_name(leader))
                }
                (ReadFate::Pending { leader }, Lang::Zh) => {
                    format!("在 {} 等待中", server_name(leader))
                }
                (ReadFate::Answered { leader, value, .. }, _) => {
                    let got = match (value, lang) {
                        (Some(v), _) => format!("{} = {v}", r.key),
                        (None, Lang::En) => "no value".to_string(),
                        (None, Lang::Zh) => "无值".to_string(),
                    };
                    let missed = caught.and_then(|s| match s.missed {
                        Some(OpId::Write(w)) => Some(w),
                        _ => None,
                    });
                    match (lang, caught.is_some(), missed) {
                        (Lang::En, false, _) => format!("{got} from {}", server_name(leader)),
                        (Lang::Zh, false, _) => format!("{} 回答 {got}", server_name(leader)),
                        (Lang::En, true, Some(w)) => format!(
                            "{got} from {}: stale ✗ (missed write #{w})",
                            server_name(leader)
                        ),
                        (Lang::En, true, None) => {
                            format!("{got} from {}: stale ✗", server_name(leader))
                        }
                        (Lang::Zh, true, Some(w)) => format!(
                            "{} 回答 {got}：过期 ✗（漏掉了写入 #{w}）",
                            server_name(leader)
                        ),
                        (Lang::Zh, true, None) => {
                            format!("{} 回答 {got}：过期 ✗", server_name(leader))
                        }
                    }
                }
                (ReadFate::Failed { leader, why }, Lang::En) => format!(
                    "no answer: {} {}",
                    server_name(leader),
                    match why {
                        ReadFailure::SteppedDown => "stepped down",
                        ReadFailure::LeaderCrashed => "crashed",
                    }
                ),
                (ReadFate::Failed { leader, why }, Lang::Zh) => format!(
                    "没有回答：{} {}",
                    server_name(leader),
                    match why {
                        ReadFailure::SteppedDown => "已下台",
                        ReadFailure::LeaderCrashed => "已宕机",
                    }
                ),
                (ReadFate::Rejected(_), Lang::En) => "refused".to_string(),
                (ReadFate::Rejected(_), Lang::Zh) => "被拒绝".to_string(),
            };
            (format!("{asked} → {fate}"), caught.is_some())
        })
        .collect()
}

/// `true` and `false` of a Figure 2 field, as a reader says them.
fn yes_no(lang: Lang, value: bool) -> String {
    match lang {
        Lang::En => value.to_string(),
        Lang::Zh => if value { "是" } else { "否" }.to_string(),
    }
}

/// Every field of a message in flight, in Figure 2's names.
pub fn message_fields(lang: Lang, m: &InFlight) -> Vec<Field> {
    let mut rows = vec![
        worded("message", "消息", lang, rpc_name(lang, &m.msg)),
        worded(
            "from → to",
            "从 → 到",
            lang,
            format!("{} → {}", server_name(m.from), server_name(m.to)),
        ),
        worded("sent at", "发送于", lang, format_time(m.sent_at)),
        worded("arrives at", "到达于", lang, format_time(m.deliver_at)),
    ];
    if m.lost {
        rows.push(worded(
            "network",
            "网络",
            lang,
            lang.pick(
                "will be lost on the way (message loss)",
                "会在途中丢失（丢包）",
            )
            .to_string(),
        ));
    }
    let reason = |text: String| worded("reason", "原因", lang, text);
    match &m.msg {
        Message::RequestVote(v) | Message::PreVote(v) => {
            rows.push(paper("term", v.term.to_string()));
            rows.push(paper("candidateId", server_name(v.candidate_id)));
            rows.push(paper("lastLogIndex", v.last_log_index.to_string()));
            rows.push(paper("lastLogTerm", v.last_log_term.to_string()));
        }
        Message::TimeoutNow(t) => {
            rows.push(paper("term", t.term.to_string()));
            rows.push(paper("leaderId", server_name(t.leader_id)));
        }
        Message::RequestVoteReply(r) | Message::PreVoteReply(r) => {
            rows.push(paper("term", r.term.to_string()));
            rows.push(paper("voteGranted", yes_no(lang, r.vote_granted)));
            rows.push(reason(vote_reason(lang, &r.reason, m.to)));
        }
        Message::AppendEntries(a) => {
            rows.push(paper("term", a.term.to_string()));
            rows.push(paper("leaderId", server_name(a.leader_id)));
            rows.push(paper("prevLogIndex", a.prev_log_index.to_string()));
            rows.push(paper("prevLogTerm", a.prev_log_term.to_string()));
            let entries = if a.entries.is_empty() {
                lang.pick("none (heartbeat)", "无（心跳）").to_string()
            } else {
                a.entries
                    .iter()
                    .enumerate()
                    .map(|(k, e)| {
                        let index = a.prev_log_index + 1 + k as u64;
                        match lang {
                            Lang::En => format!("{index}: {} (term {})", e.command, e.term),
                            Lang::Zh => format!("{index}：{}（任期 {}）", e.command, e.term),
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(lang.pick(", ", "，"))
            };
            rows.push(paper("entries", entries));
            rows.push(paper("leaderCommit", a.leader_commit.to_string()));
        }
        Message::InstallSnapshot(i) => {
            rows.push(paper("term", i.term.to_string()));
            rows.push(paper("leaderId", server_name(i.leader_id)));
            rows.push(paper(
                "lastIncludedIndex",
                i.snapshot.last_included_index.to_string(),
            ));
            rows.push(paper(
                "lastIncludedTerm",
                i.snapshot.last_included_term.to_string(),
            ));
            rows.push(paper("data", kv_words(&i.snapshot.state)));
        }
        Message::InstallSnapshotReply(r) => {
            rows.push(paper("term", r.term.to_string()));
            rows.push(worded(
                "has the log up to",
                "日志已一致到",
                lang,
                if r.match_index > 0 {
                    lang.pick("index ", "索引 ").to_string() + &r.match_index.to_string()
                } else {
                    lang.pick("refused (stale leader)", "拒绝（过期的领导者）")
                        .to_string()
                },
            ));
        }
        Message::AppendEntriesReply(r) => {
            rows.push(paper("term", r.term.to_string()));
            rows.push(paper("success", yes_no(lang, r.success)));
            rows.push(paper("matchIndex", r.match_index.to_string()));
            rows.push(reason(append_reason(lang, &r.reason)));
            if let Some(t) = r.conflict_term {
                rows.push(paper("conflictTerm", t.to_string()));
            }
            if !r.success {
                rows.push(paper("conflictIndex", r.conflict_index.to_string()));
            }
        }
    }
    rows
}

/// A configuration in words: "configuration: S1, S2 and S3 vote; S4 learns".
pub fn config_words(lang: Lang, m: &crate::raft::Membership) -> String {
    let voters: Vec<NodeId> = m.voters.iter().copied().collect();
    let learners: Vec<NodeId> = m.learners.iter().copied().collect();
    match lang {
        Lang::En => {
            let mut s = format!(
                "configuration: {} vote",
                names(lang, voters.iter().copied())
            );
            if !learners.is_empty() {
                s += &format!("; {} learn", names(lang, learners.iter().copied()));
            }
            s
        }
        Lang::Zh => {
            let mut s = format!("配置：{} 投票", names(lang, voters.iter().copied()));
            if !learners.is_empty() {
                s += &format!("；{} 学习", names(lang, learners.iter().copied()));
            }
            s
        }
    }
}

/// A server's place in the configuration, where it is not a voter.
pub fn member_word(lang: Lang, member: crate::ui::geometry::Member) -> &'static str {
    use crate::ui::geometry::Member;
    match member {
        Member::Voter => lang.pick("voter", "投票成员"),
        Member::Learner => lang.pick("learner", "学习者"),
        Member::Outside => lang.pick("not a member", "非成员"),
    }
}

/// A state machine's keys and values as the page writes them: `x=1 y=2`, or `∅`.
pub fn kv_words(kv: &crate::raft::KvStore) -> String {
    if kv.values.is_empty() {
        "∅".to_string()
    } else {
        kv.values
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// A server's Figure 2 state, as the inspector lists it. A crashed server keeps only
/// its persistent state (currentTerm, votedFor, log): its volatile state is shown as
/// lost, though the simulator holds the old values until the restart resets them.
pub fn server_fields(lang: Lang, node: &Node, up: bool) -> Vec<Field> {
    let lost = || lang.pick("lost in the crash", "随宕机丢失").to_string();
    let mut rows = vec![
        worded(
            "state",
            "状态",
            lang,
            if up {
                role_word(lang, node.role).to_string()
            } else {
                lang.pick("down (crashed)", "已宕机").to_string()
            },
        ),
        paper("currentTerm", node.current_term.to_string()),
        paper(
            "votedFor",
            node.voted_for
                .map(server_name)
                .unwrap_or_else(|| lang.pick("null", "无").to_string()),
        ),
        worded(
            "log length",
            "日志长度",
            lang,
            node.log.last_index().to_string(),
        ),
        paper(
            "commitIndex",
            if up {
                node.commit_index.to_string()
            } else {
                lost()
            },
        ),
        paper(
            "lastApplied",
            if up {
                node.last_applied.to_string()
            } else {
                lost()
            },
        ),
    ];
    // Membership: the configuration this server uses, once the cluster's ever changed.
    if node.log.membership().is_some() || node.initial_membership.is_some() {
        rows.push(worded(
            "configuration",
            "配置",
            lang,
            config_words(lang, &node.membership()),
        ));
    }
    if let Some(c) = node.catch_up.filter(|_| up && node.role == Role::Leader) {
        rows.push(worded(
            "catching up",
            "追赶中",
            lang,
            match lang {
                Lang::En => format!(
                    "{}, round {}: until it holds index {}",
                    server_name(c.learner),
                    c.round,
                    c.round_end
                ),
                Lang::Zh => format!(
                    "{}，第 {} 轮：直到它拥有索引 {}",
                    server_name(c.learner),
                    c.round,
                    c.round_end
                ),
            },
        ));
    }
    // Log compaction: what replaced the start of the log (persistent, like the log).
    if let Some(s) = node.log.snapshot() {
        rows.push(worded(
            "snapshot",
            "快照",
            lang,
            match lang {
                Lang::En => format!(
                    "up to index {} (term {}): {}",
                    s.last_included_index,
                    s.last_included_term,
                    kv_words(&s.state)
                ),
                Lang::Zh => format!(
                    "到索引 {}（任期 {}）：{}",
                    s.last_included_index,
                    s.last_included_term,
                    kv_words(&s.state)
                ),
            },
        ));
    }
    if let Some(leader) = node.leader_id.filter(|_| up && node.role == Role::Follower) {
        rows.push(worded(
            "knows leader",
            "已知的领导者",
            lang,
            server_name(leader),
        ));
    }
    if node.role == Role::Candidate && up {
        rows.push(worded(
            "votes granted",
            "已获得的选票",
            lang,
            names(lang, node.votes_granted.iter().copied()),
        ));
        rows.push(worded(
            "votes denied",
            "被拒绝的选票",
            lang,
            names(lang, node.votes_denied.iter().copied()),
        ));
    }
    rows
}

/// Which of [`server_fields`]' keys are volatile (Figure 2: lost in a crash).
pub fn is_volatile(key: &str) -> bool {
    matches!(
        key,
        "commitIndex"
            | "lastApplied"
            | "knows leader"
            | "votes granted"
            | "votes denied"
            | "catching up"
    )
}

/// A running server's timer in numbers, as the ring around it draws it: the election
/// timer's time left of its randomised total, or a leader's time to its next heartbeat.
pub fn timer_field(lang: Lang, node: &Node, up: bool, now: crate::raft::Time) -> Option<Field> {
    if !up {
        return None;
    }
    let ms = |t: crate::raft::Time| format!("{:.1}", t as f64 / crate::raft::MS as f64);
    Some(match node.role {
        Role::Leader => {
            let left = ms(node.heartbeat_deadline.saturating_sub(now));
            let every = ms(node.config.heartbeat_interval);
            worded(
                "heartbeat timer",
                "心跳计时器",
                lang,
                match lang {
                    Lang::En => format!("next in {left} of {every} ms"),
                    Lang::Zh => format!("{left} 毫秒后发送（每 {every} 毫秒一次）"),
                },
            )
        }
        Role::Follower | Role::Candidate | Role::PreCandidate => {
            let left = ms(node.election_deadline.saturating_sub(now));
            let total = ms(node.election_timeout);
            worded(
                "election timer",
                "选举计时器",
                lang,
                match lang {
                    Lang::En => format!("{left} of {total} ms left"),
                    Lang::Zh => format!("剩余 {left} 毫秒（共 {total} 毫秒）"),
                },
            )
        }
    })
}

/// With PreVote or CheckQuorum on, when a running follower (or candidate) last heard its
/// leader, and whether that is within the shortest election timeout: what decides
/// whether it holds the leader alive and refuses an election.
pub fn leader_heard_field(
    lang: Lang,
    node: &Node,
    up: bool,
    now: crate::raft::Time,
) -> Option<Field> {
    if !up || node.role == Role::Leader || !(node.config.pre_vote || node.config.check_quorum) {
        return None;
    }
    let ms = |t: crate::raft::Time| format!("{:.1}", t as f64 / crate::raft::MS as f64);
    let value = match (node.leader_id, node.heard_from_leader_at) {
        (Some(leader), Some(at)) => {
            let ago = now.saturating_sub(at);
            let shortest = node.config.election_timeout_min;
            let (ago, limit) = (ms(ago), ms(shortest));
            let alive = now.saturating_sub(at) < shortest;
            match (lang, alive) {
                (Lang::En, true) => format!(
                    "{}, {ago} ms ago: within the shortest election timeout ({limit} ms), so it holds the leader alive",
                    server_name(leader)
                ),
                (Lang::En, false) => format!(
                    "{}, {ago} ms ago: longer than the shortest election timeout ({limit} ms)",
                    server_name(leader)
                ),
                (Lang::Zh, true) => format!(
                    "{}，{ago} 毫秒前：在最短选举超时（{limit} 毫秒）之内，所以它认为领导者还活着",
                    server_name(leader)
                ),
                (Lang::Zh, false) => format!(
                    "{}，{ago} 毫秒前：已超过最短选举超时（{limit} 毫秒）",
                    server_name(leader)
                ),
            }
        }
        // A candidate, a pre-candidate, or a server that adopted a newer term: whoever
        // leads, it follows nobody now.
        _ => lang
            .pick("it knows of no leader now", "它现在不知道谁是领导者")
            .to_string(),
    };
    Some(worded(
        "heard from its leader",
        "上次收到领导者消息",
        lang,
        value,
    ))
}

/// For a leader: each follower's nextIndex and matchIndex.
pub fn leader_progress(node: &Node) -> Vec<(NodeId, u64, u64)> {
    if node.role != Role::Leader {
        return Vec::new();
    }
    (0..node.cluster_size)
        .filter(|&p| p != node.id)
        .map(|p| (p, node.next_index[p as usize], node.match_index[p as usize]))
        .collect()
}

/// The line under the logs: for each running leader (two while a partition keeps a
/// deposed one, the newest term first), how many servers store its newest entry, whether
/// it is committed and, where it differs, how many of those copies the leader has
/// confirmed (itself and its matchIndex): what it counts to commit. The logs above show
/// the stored copies, so the line states them always and the leader's count beside them
/// when it lags: "4 of 5 servers hold its entry at index 2; S1 has confirmed only 2 of
/// them so far (itself and its matchIndex) → not committed: …". `None` without a leader.
pub fn quorum_meter(lang: Lang, sim: &Sim) -> Option<String> {
    let mut leaders = sim.leaders();
    leaders.sort_by_key(|&l| std::cmp::Reverse(sim.node(l).current_term));
    let newest = sim.node(*leaders.first()?).current_term;
    let parts: Vec<String> = leaders
        .iter()
        .map(|&l| leader_quorum(lang, sim, l, sim.node(l).current_term < newest))
        .collect();
    Some(parts.join(lang.pick(" ", "")))
}

/// One leader's part of [`quorum_meter`]; `deposed` when a newer term has a leader.
fn leader_quorum(lang: Lang, sim: &Sim, id: NodeId, deposed: bool) -> String {
    let node = sim.node(id);
    let leader = server_name(id);
    let term = node.current_term;
    let leads = match (lang, deposed) {
        (Lang::En, false) => format!("{leader} leads term {term}"),
        (Lang::En, true) => format!("{leader} still believes it leads term {term}"),
        (Lang::Zh, false) => format!("{leader} 是任期 {term} 的领导者"),
        (Lang::Zh, true) => format!("{leader} 仍以为自己是任期 {term} 的领导者"),
    };
    let index = node.log.last_index();
    if index == 0 {
        return match lang {
            Lang::En => {
                format!("{leads}; its log is empty, so there is nothing to commit yet.")
            }
            Lang::Zh => format!("{leads}；它的日志是空的，所以还没有可以提交的条目。"),
        };
    }
    // The voting servers of the leader's configuration (every server, unless the
    // membership changed): only they count towards a majority.
    let voters = node.membership().voters;
    let n = voters.len();
    // Every voter whose log holds this very entry (same index, same term: by Log
    // Matching, the same entry), running or not: the rows of the logs above.
    let entry_term = node.log.term_at(index).unwrap_or(0);
    let stored = voters
        .iter()
        .filter(|&&id| sim.holds_entry(id, index, entry_term))
        .count();
    let confirmed = node.replica_count(index);
    let committed = node.commit_index >= index;
    let majority = node.majority();
    // Servers that have committed this very entry: a leader that crashed after its
    // commit, or followers it told, while this leader cannot count it yet.
    let knowers: Vec<String> = sim
        .servers()
        .iter()
        .filter(|s| s.node.commit_index >= index && sim.holds_entry(s.node.id, index, entry_term))
        .map(|s| server_name(s.node.id))
        .collect();
    let earlier = lang.pick(
        "from an earlier term, it commits only with an entry of this term",
        "它来自较早的任期，只能随本任期的条目一起提交",
    );
    let verdict = if committed {
        lang.pick("committed", "已提交").to_string()
    } else if !knowers.is_empty() {
        let by = knowers.join(lang.pick(" and ", " 和 "));
        // Why this leader cannot count it yet: only an entry of an earlier term waits
        // for one of this term; its own entry just waits for acknowledgements.
        let why = if entry_term != term {
            earlier
        } else {
            lang.pick(
                "the acknowledgements have not reached it",
                "确认消息还没有到达它",
            )
        };
        match lang {
            Lang::En => format!("committed by {by}, but {leader} does not know it yet: {why}"),
            Lang::Zh => format!("已由 {by} 提交，但 {leader} 还不知道：{why}"),
        }
    } else if entry_term != term {
        match lang {
            Lang::En => format!("not committed: {earlier}"),
            Lang::Zh => format!("未提交：{earlier}"),
        }
    } else {
        match lang {
            Lang::En => format!("not committed yet: needs {majority}"),
            Lang::Zh => format!("尚未提交：需要 {majority} 台"),
        }
    };
    // Once the membership changed, some servers drawn may not vote: say whose count it is.
    let voting = node.log.membership().is_some();
    let held = match lang {
        Lang::En => format!(
            "{stored} of {n} {}{} its entry at index {index}",
            if voting { "voting " } else { "" },
            match (n, stored) {
                (1, _) => "server holds",
                (_, 1) => "servers holds",
                _ => "servers hold",
            }
        ),
        Lang::Zh => format!(
            "{n} 台{}服务器中有 {stored} 台拥有它在索引 {index} 处的条目",
            if voting { "投票" } else { "" }
        ),
    };
    // The leader's own count lags while acknowledgements are on their way, and starts
    // from itself alone when it has just been elected. It can only run ahead of the
    // logs for a deposed leader whose follower a newer leader has since overwritten.
    // Once committed, the count no longer decides anything: "committed; S2 has confirmed
    // only 1" read as a contradiction right after a lesson on majorities.
    let count = match (confirmed.cmp(&stored), lang) {
        _ if committed => None,
        (std::cmp::Ordering::Equal, _) => None,
        (std::cmp::Ordering::Less, Lang::En) => Some(format!(
            "{leader} has confirmed only {confirmed} of them so far (itself, and the followers whose matchIndex has reached {index})"
        )),
        (std::cmp::Ordering::Less, Lang::Zh) => Some(format!(
            "{leader} 目前只确认了其中 {confirmed} 台（它自己，以及 matchIndex 已达到 {index} 的跟随者）"
        )),
        (std::cmp::Ordering::Greater, Lang::En) => Some(format!(
            "{leader} still counts {confirmed} (its matchIndex is out of date)"
        )),
        (std::cmp::Ordering::Greater, Lang::Zh) => Some(format!(
            "{leader} 仍算作 {confirmed} 台（它的 matchIndex 已过时）"
        )),
    };
    // A lagging count explains a verdict still to come, so it goes before it; beside a
    // commit already made (learned as a follower, say), it comes after.
    match (lang, count, committed) {
        (Lang::En, None, _) => format!("{leads}: {held} → {verdict}."),
        (Lang::En, Some(c), true) => format!("{leads}: {held} → {verdict}; {c}."),
        (Lang::En, Some(c), false) => format!("{leads}: {held}; {c} → {verdict}."),
        (Lang::Zh, None, _) => format!("{leads}：{held} → {verdict}。"),
        (Lang::Zh, Some(c), true) => format!("{leads}：{held} → {verdict}；{c}。"),
        (Lang::Zh, Some(c), false) => format!("{leads}：{held}；{c}→ {verdict}。"),
    }
}

/// What the page says when no server leads.
pub fn no_quorum(lang: Lang) -> &'static str {
    lang.pick(
        "Quorum: no leader, so nothing can commit.",
        "多数派：没有领导者，所以什么都无法提交。",
    )
}

/// A server's accessible name: first what its glyph shows ("S1 candidate T2", WCAG
/// 2.5.3: a name begins with the visible text), then what a sighted reader gets from
/// its shape and colour: the votes, or how far its log reaches.
pub fn server_label(lang: Lang, look: &ServerLook) -> String {
    labelled(lang, look, None)
}

/// The name of a server whose glyph also shows its timer as a number (reduced motion):
/// "S1 follower T1 87 ms: log up to 4, …", in the order the glyph shows them.
pub fn server_label_timed(lang: Lang, look: &ServerLook) -> String {
    labelled(lang, look, timer_number(lang, look))
}

/// A server's timer as a number beside its ring ("87 ms"): the time left to its election
/// timeout, or a leader's to its next heartbeat. None when down (no ring).
pub fn timer_number(lang: Lang, look: &ServerLook) -> Option<String> {
    let ms = look.timer_left_ms;
    look.up
        .then(|| lang.pick(format!("{ms} ms"), format!("{ms} 毫秒")))
}

fn labelled(lang: Lang, look: &ServerLook, timer: Option<String>) -> String {
    let name = server_name(look.id);
    let role = if !look.up {
        down_word(lang)
    } else if look.role == Role::Follower && look.member != crate::ui::geometry::Member::Voter {
        member_word(lang, look.member)
    } else {
        role_word(lang, look.role)
    };
    let shown = match timer {
        Some(timer) => format!("{name} {role} T{} {timer}", look.term),
        None => format!("{name} {role} T{}", look.term),
    };
    let granted = look
        .votes
        .iter()
        .filter(|(_, v)| *v == VoteState::Granted)
        .count();
    let denied = look
        .votes
        .iter()
        .filter(|(_, v)| *v == VoteState::Denied)
        .count();
    let (last, commit) = (look.last_index, look.commit_index);
    match (lang, look.up, look.role) {
        (Lang::En, false, _) => format!("{shown}: crashed, log up to {last} kept on disk"),
        (Lang::Zh, false, _) => format!("{shown}：已宕机，磁盘上保留日志到 {last}"),
        (Lang::En, true, Role::Candidate) => format!(
            "{shown}: {granted} of {} votes granted, {denied} denied",
            look.votes.len()
        ),
        (Lang::Zh, true, Role::Candidate) => format!(
            "{shown}：{} 票中已获得 {granted} 票，被拒绝 {denied} 票",
            look.votes.len()
        ),
        (Lang::En, true, _) => format!("{shown}: log up to {last}, committed up to {commit}"),
        (Lang::Zh, true, _) => format!("{shown}：日志到 {last}，已提交到 {commit}"),
    }
}

/// follower, candidate, leader (跟随者, 候选人, 领导者).
pub fn role_word(lang: Lang, role: Role) -> &'static str {
    match lang {
        Lang::En => role.name(),
        Lang::Zh => zh::role_name(role),
    }
}

/// What a crashed server is called on its glyph.
pub fn down_word(lang: Lang) -> &'static str {
    lang.pick("down", "宕机")
}

/// A candidate's view of one vote.
pub fn vote_word(lang: Lang, vote: VoteState) -> &'static str {
    match vote {
        VoteState::Granted => lang.pick("granted", "同意"),
        VoteState::Denied => lang.pick("denied", "拒绝"),
        VoteState::Pending => lang.pick("pending", "等待回复"),
    }
}

/// What the speed slider says to a screen reader instead of its raw exponent ("-1.8"):
/// the rate against real time, as the label beside it shows it ("1/63×").
pub fn speed_words(lang: Lang, speed: f64) -> String {
    let shown = crate::ui::geometry::speed_label(speed);
    match (lang, shown.strip_prefix("1/")) {
        (Lang::En, Some(_)) => format!("{shown}: slower than real time"),
        (Lang::Zh, Some(_)) => format!("{shown}：比真实时间慢"),
        (Lang::En, None) if shown == "1×" => format!("{shown}: real time"),
        (Lang::Zh, None) if shown == "1×" => format!("{shown}：真实时间"),
        (Lang::En, None) => format!("{shown}: faster than real time"),
        (Lang::Zh, None) => format!("{shown}：比真实时间快"),
    }
}

/// What the timeline slider says instead of its raw number of virtual microseconds
/// ("634356"): where the playhead is, out of how much was recorded.
pub fn timeline_position(lang: Lang, now: crate::raft::Time, horizon: crate::raft::Time) -> String {
    use crate::ui::playground::clock_label;
    match lang {
        Lang::En => format!("{} of {} recorded", clock_label(now), clock_label(horizon)),
        Lang::Zh => format!("{} / 已记录 {}", clock_label(now), clock_label(horizon)),
    }
}

/// What the progress bar says while a link or a trace opens, or a moment is rebuilt:
/// what is being done, and how much of it, from the work in progress itself.
pub fn loading_line(lang: Lang, loading: &crate::ui::loading::Loading) -> String {
    use crate::ui::loading::Loaded;
    use crate::ui::playground::clock_label;
    let percent = (loading.progress() * 100.0).floor() as u32;
    match (lang, loading.what) {
        (Lang::En, Loaded::Link) => format!("Opening the shared run: {percent}% replayed."),
        (Lang::Zh, Loaded::Link) => format!("正在打开分享的运行：已回放 {percent}%。"),
        (Lang::En, Loaded::Trace) => format!("Importing the trace: {percent}% replayed."),
        (Lang::Zh, Loaded::Trace) => format!("正在导入轨迹：已回放 {percent}%。"),
        (Lang::En, Loaded::Moment(Some(t))) => {
            format!(
                "Rebuilding the run at {}: {percent}% replayed.",
                clock_label(t)
            )
        }
        (Lang::Zh, Loaded::Moment(Some(t))) => {
            format!("正在重建 {} 时的运行：已回放 {percent}%。", clock_label(t))
        }
        (Lang::En, Loaded::Moment(None)) => {
            format!("Going back one event: {percent}% replayed.")
        }
        (Lang::Zh, Loaded::Moment(None)) => format!("正在退回一个事件：已回放 {percent}%。"),
    }
}

fn names(lang: Lang, ids: impl Iterator<Item = NodeId>) -> String {
    let v: Vec<String> = ids.map(server_name).collect();
    if v.is_empty() {
        lang.pick("none", "无").to_string()
    } else {
        v.join(lang.pick(", ", "、"))
    }
}

/// Each gallery scenario (by its link name): a short title for the menu, and what the
/// page says when it opens, in English and Chinese.
struct ScenarioWords {
    name: &'static str,
    title: [&'static str; 2],
    caption: [&'static str; 2],
}

const SCENARIO_WORDS: [ScenarioWords; 7] = [
    ScenarioWords {
        name: "split-vote",
        title: ["Split vote", "选票瓜分"],
        caption: [
            "Every timer was aligned, so all five servers time out together and vote for themselves. Press Play: nobody wins this term; randomised timeouts settle the next one.",
            "所有计时器都被对齐了，于是五台服务器同时超时，各自投票给自己。按下播放：这个任期没有人胜出；随机化的超时会让下一个任期分出胜负。",
        ],
    },
    ScenarioWords {
        name: "leader-crash",
        title: ["Leader crash", "领导者宕机"],
        caption: [
            "The leader has just crashed. Press Play and watch the followers' timers run out and a new election in a higher term.",
            "领导者刚刚宕机。按下播放，看跟随者的计时器耗尽，并在更高的任期里开始新的选举。",
        ],
    },
    ScenarioWords {
        name: "partition-heal",
        title: ["Partition and heal", "网络分区与恢复"],
        caption: [
            "The old leader is cut off with a minority and holds an uncommitted write; the majority has a new leader and a committed write. Press H to heal and watch the rollback.",
            "旧的领导者和少数派一起被隔开，手里有一个未提交的写入；多数派有了新的领导者和一个已提交的写入。按 H 恢复网络，看未提交的写入被回滚。",
        ],
    },
    ScenarioWords {
        name: "follower-behind",
        title: ["A follower far behind", "远远落后的跟随者"],
        caption: [
            "S5 missed 30 writes while it was down and has just restarted. Press Play: the leader backs up nextIndex until the logs match, then sends the rest.",
            "S5 宕机期间错过了 30 次写入，刚刚重启。按下播放：领导者把 nextIndex 逐步往回退，直到日志匹配，再把其余的条目发过去。",
        ],
    },
    ScenarioWords {
        name: "figure-7",
        title: ["The paper's Figure 7", "论文图 7"],
        caption: [
            "S1 has just become leader of term 8 over followers with missing, extra and conflicting entries. Press Play, then C: every log ends identical to the leader's.",
            "S1 刚成为任期 8 的领导者，而跟随者的日志里有缺失的、多余的和冲突的条目。按下播放，再按 C：每个日志最终都和领导者的完全一样。",
        ],
    },
    ScenarioWords {
        name: "figure-8",
        title: ["The paper's Figure 8", "论文图 8"],
        caption: [
            "S1 leads term 4 and has copied its term-2 entry at index 2 to a majority, yet does not commit it: a leader commits by counting only entries of its own term. Crash S1, restart S5 and make it time out: S5, whose last term is 3, can win and overwrite index 2, safely, since it was never committed.",
            "S1 领导任期 4，已把索引 2 处任期 2 的条目复制到了多数派，却不提交它：领导者只通过统计自己任期的条目来提交。让 S1 宕机，重启 S5 并让它超时：最后一个任期为 3 的 S5 可以胜出并覆盖索引 2，这是安全的，因为那个条目从未提交。",
        ],
    },
    ScenarioWords {
        name: "stale-leader",
        title: ["A stale leader", "过时的领导者"],
        caption: [
            "S4 still believes it leads term 1, but the majority, cut off from it, elected S1 leader of term 2. Press H to heal: S4 sees the higher term and steps down.",
            "S4 仍以为自己是任期 1 的领导者，但与它断开的多数派已经选出 S1 作为任期 2 的领导者。按 H 恢复网络：S4 看到更高的任期，随即退位。",
        ],
    },
];

fn scenario_words(name: &str) -> Option<&'static ScenarioWords> {
    SCENARIO_WORDS.iter().find(|w| w.name == name)
}

/// A scenario's short title (also its label in the Scenarios menu).
pub fn scenario_title(lang: Lang, name: &str) -> Option<&'static str> {
    scenario_words(name).map(|w| lang.pick(w.title[0], w.title[1]))
}

/// What a scenario shows and what to do next, in one or two sentences.
pub fn scenario_caption(lang: Lang, name: &str) -> Option<&'static str> {
    scenario_words(name).map(|w| lang.pick(w.caption[0], w.caption[1]))
}

/// The notice shown when a scenario opens: its title, then its caption.
pub fn scenario_notice(lang: Lang, name: &str) -> Option<String> {
    let (title, caption) = (scenario_title(lang, name)?, scenario_caption(lang, name)?);
    Some(match lang {
        Lang::En => format!("{title}. {caption}"),
        Lang::Zh => format!("{title}：{caption}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::raft::{Command, MS};
    use crate::sim::{Intervention, SCENARIOS, Sim, SimConfig, WriteTarget};
    use crate::ui::words_zh::{IDENTIFIERS, stray_english};

    const BOTH: [Lang; 2] = [Lang::En, Lang::Zh];

    #[test]
    fn the_inspector_says_when_a_follower_last_heard_its_leader_once_a_switch_needs_it() {
        let mut sim = Sim::new(SimConfig::with_seed(5, 4)).expect("valid");
        sim.run_until_condition(2_000 * MS, |s| s.leader().is_some());
        sim.run_for(200 * MS);
        let leader = sim.leader().expect("a leader");
        let follower = (leader + 1) % 5;
        // The paper's Raft has no use for it: no row.
        assert!(leader_heard_field(Lang::En, sim.node(follower), true, sim.now()).is_none());
        sim.apply(Intervention::SetFeatures {
            pre_vote: true,
            check_quorum: false,
            no_op: false,
        })
        .expect("switches");
        let node = sim.node(follower);
        let ago = sim.now() - node.heard_from_leader_at.expect("heard");
        let field = leader_heard_field(Lang::En, node, true, sim.now()).expect("a row");
        assert_eq!(
            field.value,
            format!(
                "{}, {:.1} ms ago: within the shortest election timeout (150.0 ms), so it holds the leader alive",
                server_name(leader),
                ago as f64 / MS as f64
            )
        );
        // Cut off for a while, it no longer does.
        sim.apply(Intervention::Isolate(follower))
            .expect("isolates");
        sim.run_for(140 * MS);
        let later = sim.now() + 20 * MS;
        for lang in BOTH {
            let text = leader_heard_field(lang, sim.node(follower), true, later)
                .expect("a row")
                .value;
            if lang == Lang::En {
                assert!(
                    text.contains("longer than the shortest election timeout"),
                    "{text}"
                );
            } else {
                assert!(stray_english(&text, IDENTIFIERS).is_empty(), "{text}");
            }
        }
        // Not for the leader, nor for a server that is down.
        assert!(leader_heard_field(Lang::En, sim.node(leader), true, later).is_none());
        assert!(leader_heard_field(Lang::En, sim.node(follower), false, later).is_none());
    }

    fn elected() -> Sim {
        let mut sim = Sim::new(SimConfig::with_seed(5, 3)).unwrap();
        assert!(sim.run_until_condition(5000 * MS, |s| s.leader().is_some()));
        sim
    }

    #[test]
    fn sliders_speak_rates_and_times_not_raw_numbers() {
        assert_eq!(speed_words(Lang::En, 0.01), "1/100×: slower than real time");
        assert_eq!(speed_words(Lang::En, 1.0), "1×: real time");
        assert_eq!(speed_words(Lang::Zh, 10.0), "10×：比真实时间快");
        assert_eq!(
            timeline_position(Lang::En, 634_356, 1_000_000),
            "634.3 ms of 1000.0 ms recorded"
        );
        assert_eq!(
            timeline_position(Lang::Zh, 634_356, 1_000_000),
            "634.3 ms / 已记录 1000.0 ms"
        );
    }

    fn value<'a>(rows: &'a [Field], key: &str) -> &'a str {
        &rows.iter().find(|f| f.key == key).unwrap().value
    }

    /// Chinese words with no English left in them but the paper's identifiers.
    fn chinese(text: &str) {
        assert!(!text.trim().is_empty(), "an empty text");
        let stray = stray_english(text, IDENTIFIERS);
        assert!(stray.is_empty(), "English {stray:?} in “{text}”");
    }

    #[test]
    fn a_vote_request_lists_its_figure_2_fields() {
        let mut sim = Sim::new(SimConfig::with_seed(5, 3)).unwrap();
        sim.run_until_condition(5000 * MS, |s| !s.in_flight().is_empty());
        let rows = message_fields(Lang::En, sim.in_flight().first().unwrap());
        let keys: Vec<_> = rows.iter().map(|f| f.key).collect();
        for k in [
            "term",
            "candidateId",
            "lastLogIndex",
            "lastLogTerm",
            "sent at",
            "arrives at",
        ] {
            assert!(keys.contains(&k), "{k} missing from {keys:?}");
        }
        let zh = message_fields(Lang::Zh, sim.in_flight().first().unwrap());
        assert_eq!(
            zh.iter().map(|f| f.key).collect::<Vec<_>>(),
            keys,
            "the same fields, the same stable keys"
        );
        assert_eq!(zh[2].label, "发送于");
        assert_eq!(zh[4].label, "term", "Figure 2's names stay the paper's");
    }

    #[test]
    fn an_append_with_entries_lists_them_with_their_indexes() {
        let mut sim = elected();
        sim.apply(Intervention::ClientWrite {
            to: WriteTarget::Leader,
            command: Command::parse("SET x 5").unwrap(),
        })
        .unwrap();
        sim.run_until_condition(1000 * MS, |s| {
            s.in_flight()
                .iter()
                .any(|m| matches!(&m.msg, Message::AppendEntries(a) if !a.entries.is_empty()))
        });
        let m = sim
            .in_flight()
            .iter()
            .find(|m| matches!(&m.msg, Message::AppendEntries(a) if !a.entries.is_empty()))
            .expect("entries on the wire");
        let rows = message_fields(Lang::En, m);
        let entries = value(&rows, "entries");
        assert!(entries.starts_with("1: SET x 5 (term "), "{entries}");
        let rows = message_fields(Lang::Zh, m);
        let entries = value(&rows, "entries");
        assert!(entries.starts_with("1：SET x 5（任期 "), "{entries}");
    }

    #[test]
    fn the_quorum_meter_counts_replicas_of_the_newest_entry() {
        let mut sim = elected();
        let leader = sim.leader().unwrap();
        let empty = quorum_meter(Lang::En, &sim).unwrap();
        assert!(empty.contains("nothing to commit yet"), "{empty}");
        chinese(&quorum_meter(Lang::Zh, &sim).unwrap());
        sim.apply(Intervention::ClientWrite {
            to: WriteTarget::Leader,
            command: Command::parse("SET x 5").unwrap(),
        })
        .unwrap();
        let text = quorum_meter(Lang::En, &sim).unwrap();
        assert!(
            text.ends_with(
                "1 of 5 servers holds its entry at index 1 → not committed yet: needs 3."
            ),
            "{text}"
        );
        let text = quorum_meter(Lang::Zh, &sim).unwrap();
        assert!(
            text.ends_with("5 台服务器中有 1 台拥有它在索引 1 处的条目 → 尚未提交：需要 3 台。"),
            "{text}"
        );
        sim.run_for(500 * MS);
        let text = quorum_meter(Lang::En, &sim).unwrap();
        assert!(
            text.ends_with("5 of 5 servers hold its entry at index 1 → committed."),
            "{text}"
        );
        let text = quorum_meter(Lang::Zh, &sim).unwrap();
        assert!(text.ends_with("→ 已提交。"), "{text}");
        assert_eq!(leader_progress(sim.node(leader)).len(), 4);
        assert!(
            leader_progress(sim.node(leader))
                .iter()
                .all(|&(_, next, matched)| next == 2 && matched == 1)
        );
        sim.apply(Intervention::Crash(leader)).unwrap();
        assert_eq!(quorum_meter(Lang::En, &sim), None, "no leader, no line");
    }

    /// The line under the logs at a tour step, as the page shows it.
    fn meter_at(lang: Lang, chapter: &str, step: usize) -> String {
        let c = crate::sim::tour::chapter_index(chapter).unwrap();
        let sim = crate::sim::tour::build(c, step).unwrap();
        quorum_meter(lang, &sim).unwrap()
    }

    #[test]
    fn the_meter_says_how_many_store_the_entry_and_how_many_the_leader_has_confirmed() {
        // Figure 8, after S1 copied its term-2 entry: four logs hold it, but only S2's
        // acknowledgement has reached S1 so far.
        let text = meter_at(Lang::En, "figure-8", 1);
        assert_eq!(
            text,
            "S1 leads term 4: 4 of 5 servers hold its entry at index 2; S1 has confirmed only 2 of them so far (itself, and the followers whose matchIndex has reached 2) → not committed: from an earlier term, it commits only with an entry of this term."
        );
        assert_eq!(
            meter_at(Lang::Zh, "figure-8", 1),
            "S1 是任期 4 的领导者：5 台服务器中有 4 台拥有它在索引 2 处的条目；S1 目前只确认了其中 2 台（它自己，以及 matchIndex 已达到 2 的跟随者）→ 未提交：它来自较早的任期，只能随本任期的条目一起提交。"
        );
        // A leader elected a moment ago has heard from nobody yet, but it learned the
        // entry's commit as a follower: committed, and nothing more (its count would read
        // "committed with 1 confirmed", a contradiction to a student).
        let text = meter_at(Lang::En, "leader-crash", 2);
        assert_eq!(
            text,
            "S2 leads term 2: 5 of 5 servers hold its entry at index 1 → committed."
        );
        chinese(&meter_at(Lang::Zh, "leader-crash", 2));
        // When the leader knows of every copy, one number says it.
        assert_eq!(
            meter_at(Lang::En, "log-replication", 4),
            "S4 leads term 1: 5 of 5 servers hold its entry at index 1 → committed."
        );
    }

    #[test]
    fn an_entry_a_crashed_leader_committed_reads_committed_by_it_not_uncommitted() {
        // Figure 8's end: S1 committed index 3 and crashed; S3 leads term 7 and cannot
        // count it yet. "Not committed" would deny what the caption rightly says.
        let last = 6; // The second ending's last step (the no-op ending follows).
        assert_eq!(
            meter_at(Lang::En, "figure-8", last),
            "S3 leads term 7: 5 of 5 servers hold its entry at index 3; S3 has confirmed only 4 of them so far (itself, and the followers whose matchIndex has reached 3) → committed by S1, but S3 does not know it yet: from an earlier term, it commits only with an entry of this term."
        );
        let zh = meter_at(Lang::Zh, "figure-8", last);
        assert!(zh.contains("→ 已由 S1 提交，但 S3 还不知道"), "{zh}");
        chinese(&zh);
    }

    #[test]
    fn during_a_partition_the_meter_speaks_of_both_leaders_newest_term_first() {
        // The partition's answer step is about the old leader's write: the line says
        // what became of it, and what the new leader has.
        let text = meter_at(Lang::En, "partition", 4);
        assert_eq!(
            text,
            "S5 leads term 2; its log is empty, so there is nothing to commit yet. S2 still believes it leads term 1: 2 of 5 servers hold its entry at index 1 → not committed yet: needs 3."
        );
        let zh = meter_at(Lang::Zh, "partition", 4);
        assert!(zh.contains("S2 仍以为自己是任期 1 的领导者"), "{zh}");
        chinese(&zh);
    }

    #[test]
    fn a_lone_server_is_not_said_to_ask_others_or_win_a_majority_of_them() {
        // The tour's first chapter: one server elects itself.
        let sim = crate::sim::tour::build(0, 0).unwrap();
        let en: Vec<String> = logged(Lang::En, &sim).into_iter().map(|(_, s)| s).collect();
        let zh: Vec<String> = logged(Lang::Zh, &sim).into_iter().map(|(_, s)| s).collect();
        assert!(
            en.iter()
                .any(|s| s == "S1 becomes a candidate for term 1 and votes for itself: alone in the cluster, its own vote is a majority"),
            "{en:#?}"
        );
        assert!(
            en.iter()
                .any(|s| s == "S1 becomes leader for term 1 with its own vote, a majority of one")
        );
        for s in &en {
            assert!(
                !s.contains("the others") && !s.contains("wins a majority"),
                "{s}"
            );
        }
        for s in &zh {
            chinese(s);
            assert!(
                !s.contains("其他服务器") && !s.contains("获得多数派的选票"),
                "{s}"
            );
        }
        // Three servers: the candidate does ask the others.
        let sim = crate::sim::tour::build(0, 3).unwrap();
        let en: Vec<String> = logged(Lang::En, &sim).into_iter().map(|(_, s)| s).collect();
        assert!(
            en.iter()
                .any(|s| s.ends_with("votes for itself and asks the others"))
        );
        assert!(
            en.iter()
                .any(|s| s.contains("wins a majority and becomes leader"))
        );
    }

    #[test]
    fn a_second_split_names_the_groups_the_links_really_leave() {
        // Split the leader into a minority, let the majority elect its own leader, then
        // split that one off too, as the Split button does twice: three groups are left,
        // though the second partition names two.
        let mut sim = elected();
        let first = crate::ui::playground::minority_with_leader(5, sim.leader());
        sim.apply(Intervention::Partition(first)).unwrap();
        assert!(sim.run_until_condition(5000 * MS, |s| s.leaders().len() == 2));
        let second = crate::ui::playground::minority_with_leader(5, sim.leader());
        sim.apply(Intervention::Partition(second)).unwrap();
        let splits: Vec<(EventKind, String)> = logged(Lang::En, &sim)
            .into_iter()
            .filter(|(k, _)| matches!(k, EventKind::Intervention(Intervention::Partition(_))))
            .collect();
        assert_eq!(
            splits[0].1,
            "the network splits into {S1, S2} and {S3, S4, S5}"
        );
        assert_eq!(
            crate::sim::describe(&splits[1].0),
            "the network splits into {S3, S4} and {S1, S2, S5}",
            "what the event alone says"
        );
        assert_eq!(
            splits[1].1,
            "the network splits into {S3, S4}, {S1, S2} and {S5}"
        );
        assert_eq!(
            sim.links().groups(5),
            Some(vec![vec![0, 1], vec![2, 3], vec![4]])
        );
        let zh = logged(Lang::Zh, &sim);
        assert!(
            zh.iter()
                .any(|(_, s)| s == "网络分区为 {S3、S4}、{S1、S2} 和 {S5}"),
            "{zh:#?}"
        );
        // Servers it does not name form one more group, named after those it does.
        sim.apply(Intervention::Heal).unwrap();
        sim.apply(Intervention::Partition(vec![vec![4]])).unwrap();
        let (_, last) = logged(Lang::En, &sim).pop().unwrap();
        assert_eq!(last, "the network splits into {S5} and {S1, S2, S3, S4}");
        // A one-way cut leaves no clean groups: the words say which links were cut.
        sim.apply(Intervention::Heal).unwrap();
        sim.apply(Intervention::CutLink { from: 0, to: 1 }).unwrap();
        sim.apply(Intervention::Partition(vec![vec![3, 4]]))
            .unwrap();
        let (_, last) = logged(Lang::En, &sim).pop().unwrap();
        assert_eq!(
            last,
            "the links between {S4, S5} and {S1, S2, S3} are cut; links cut earlier stay cut"
        );
        chinese(&logged(Lang::Zh, &sim).pop().unwrap().1);
    }

    #[test]
    fn a_servers_name_begins_with_what_its_glyph_shows_then_adds_its_state() {
        use crate::ui::geometry::server_look;
        let mut sim = elected();
        sim.run_for(200 * MS);
        let leader = sim.leader().unwrap();
        let n = sim.servers().len();
        for s in sim.servers() {
            let look = server_look(
                &s.node,
                s.up,
                n,
                sim.now(),
                crate::ui::geometry::Member::Voter,
            );
            let role = role_word(Lang::En, s.node.role);
            let shown = format!("{} {role} T{}", server_name(s.node.id), s.node.current_term);
            let label = server_label(Lang::En, &look);
            assert!(label.starts_with(&shown), "{label}");
            assert!(label.contains(&format!("log up to {}", s.node.log.last_index())));
            let zh = server_label(Lang::Zh, &look);
            assert!(zh.starts_with(&format!(
                "{} {} T",
                server_name(s.node.id),
                role_word(Lang::Zh, s.node.role)
            )));
            chinese(&zh);
        }
        sim.apply(Intervention::Crash(leader)).unwrap();
        let node = sim.node(leader);
        let look = server_look(
            node,
            false,
            n,
            sim.now(),
            crate::ui::geometry::Member::Voter,
        );
        let label = server_label(Lang::En, &look);
        assert!(
            label.starts_with(&format!("{} down T", server_name(leader))),
            "{label}"
        );
        assert!(label.contains("kept on disk"));
        // A candidate's name counts its votes, which its dots show by colour.
        let mut sim = Sim::new(SimConfig::with_seed(5, 3)).unwrap();
        assert!(sim.run_until_condition(5000 * MS, |s| {
            s.servers()
                .iter()
                .any(|x| x.node.role == Role::Candidate && x.node.votes_granted.len() >= 2)
        }));
        let c = sim
            .servers()
            .iter()
            .find(|x| x.node.role == Role::Candidate)
            .unwrap();
        let look = server_look(
            &c.node,
            true,
            n,
            sim.now(),
            crate::ui::geometry::Member::Voter,
        );
        let label = server_label(Lang::En, &look);
        assert!(
            label.contains(&format!(
                "{} of 5 votes granted",
                c.node.votes_granted.len()
            )),
            "{label}"
        );
    }

    #[test]
    fn a_timer_shown_as_a_number_is_the_time_left_and_part_of_the_name() {
        use crate::ui::geometry::server_look;
        let mut sim = elected();
        sim.run_for(3 * MS);
        let n = sim.servers().len();
        for s in sim.servers() {
            let look = server_look(
                &s.node,
                s.up,
                n,
                sim.now(),
                crate::ui::geometry::Member::Voter,
            );
            let deadline = match s.node.role {
                Role::Leader => s.node.heartbeat_deadline,
                _ => s.node.election_deadline,
            };
            let left = (deadline - sim.now()) / MS;
            assert_eq!(timer_number(Lang::En, &look), Some(format!("{left} ms")));
            assert_eq!(timer_number(Lang::Zh, &look), Some(format!("{left} 毫秒")));
            let shown = format!(
                "{} {} T{} {left} ms: ",
                server_name(s.node.id),
                role_word(Lang::En, s.node.role),
                s.node.current_term
            );
            let label = server_label_timed(Lang::En, &look);
            assert!(label.starts_with(&shown), "{label}");
        }
        sim.apply(Intervention::Crash(1)).unwrap();
        let look = server_look(
            sim.node(1),
            false,
            n,
            sim.now(),
            crate::ui::geometry::Member::Voter,
        );
        assert_eq!(
            timer_number(Lang::En, &look),
            None,
            "a down server has no ring"
        );
        assert_eq!(
            server_label_timed(Lang::En, &look),
            server_label(Lang::En, &look)
        );
    }

    #[test]
    fn a_crashed_server_reads_as_down() {
        let mut sim = elected();
        sim.apply(Intervention::Crash(1)).unwrap();
        let rows = server_fields(Lang::En, sim.node(1), sim.is_up(1));
        assert_eq!(rows[0].value, "down (crashed)");
        let rows = server_fields(Lang::Zh, sim.node(1), sim.is_up(1));
        assert_eq!((rows[0].label, rows[0].value.as_str()), ("状态", "已宕机"));
    }

    #[test]
    fn a_crashed_server_keeps_its_persistent_state_and_loses_its_volatile_state() {
        let mut sim = elected();
        sim.run_for(100 * MS);
        let before = sim.node(1).clone();
        assert!(
            before.leader_id.is_some(),
            "S2 knows the leader before the crash"
        );
        sim.apply(Intervention::Crash(1)).unwrap();
        let rows = server_fields(Lang::En, sim.node(1), false);
        let value = |key: &str| rows.iter().find(|f| f.key == key).map(|f| f.value.clone());
        // Figure 2: currentTerm, votedFor and log[] are persistent.
        assert_eq!(value("currentTerm"), Some(before.current_term.to_string()));
        assert_eq!(
            value("log length"),
            Some(before.log.last_index().to_string())
        );
        // commitIndex and lastApplied are volatile: not shown as if still known.
        assert_eq!(value("commitIndex").as_deref(), Some("lost in the crash"));
        assert_eq!(value("lastApplied").as_deref(), Some("lost in the crash"));
        assert_eq!(value("knows leader"), None);
        assert!(
            rows.iter()
                .all(|f| !is_volatile(f.key) || f.value == "lost in the crash")
        );
        assert_eq!(timer_field(Lang::En, sim.node(1), false, sim.now()), None);
        let zh = server_fields(Lang::Zh, sim.node(1), false);
        assert!(zh.iter().any(|f| f.value == "随宕机丢失"));
    }

    #[test]
    fn the_timer_field_says_what_the_ring_draws() {
        let sim = elected();
        let now = sim.now();
        let leader = sim.leader().unwrap();
        let l = sim.node(leader);
        let f = timer_field(Lang::En, l, true, now).unwrap();
        assert_eq!(f.key, "heartbeat timer");
        assert!(f.value.ends_with(&format!(
            "of {:.1} ms",
            l.config.heartbeat_interval as f64 / MS as f64
        )));
        let follower = (leader + 1) % 5;
        let node = sim.node(follower);
        let f = timer_field(Lang::En, node, true, now).unwrap();
        let left = (node.election_deadline - now) as f64 / MS as f64;
        let total = node.election_timeout as f64 / MS as f64;
        assert_eq!(f.value, format!("{left:.1} of {total:.1} ms left"));
        // The same fraction the ring around the server shows.
        let fraction = crate::ui::geometry::timer_fraction(node, now);
        assert!((fraction - left / total).abs() < 1e-9);
        chinese(&timer_field(Lang::Zh, node, true, now).unwrap().value);
    }

    #[test]
    fn every_inspector_row_and_role_reads_in_chinese() {
        let mut sim = Sim::new(SimConfig::with_seed(5, 3)).unwrap();
        let mut seen = std::collections::BTreeSet::new();
        // A run with elections, writes and losses: every kind of message and server state.
        sim.apply(Intervention::SetLoss { permille: 100 }).unwrap();
        for k in 0..400 {
            sim.run_for(5 * MS);
            if k % 40 == 0 {
                let _ = sim.apply(Intervention::ClientWrite {
                    to: WriteTarget::Leader,
                    command: Command::parse("DEL x").unwrap(),
                });
            }
            if k == 200
                && let Some(l) = sim.leader()
            {
                sim.apply(Intervention::Crash(l)).unwrap();
            }
            for m in sim.in_flight() {
                seen.insert(m.msg.kind());
                for f in message_fields(Lang::Zh, m) {
                    chinese(f.label);
                    chinese(&f.value);
                }
            }
            for s in sim.servers() {
                for f in server_fields(Lang::Zh, &s.node, s.up) {
                    chinese(f.label);
                    if !f.value.chars().all(|c| c.is_ascii_digit()) {
                        chinese(&f.value);
                    }
                }
            }
            if let Some(text) = quorum_meter(Lang::Zh, &sim) {
                chinese(&text);
            }
        }
        assert!(seen.len() >= 4, "{seen:?}");
        for role in [Role::Follower, Role::Candidate, Role::Leader] {
            chinese(role_word(Lang::Zh, role));
            assert_eq!(role_word(Lang::En, role), role.name());
        }
        for vote in [VoteState::Granted, VoteState::Denied, VoteState::Pending] {
            chinese(vote_word(Lang::Zh, vote));
            assert_eq!(vote_word(Lang::En, vote), vote.word());
        }
        chinese(down_word(Lang::Zh));
        chinese(no_quorum(Lang::Zh));
    }

    #[test]
    fn every_scenario_has_a_title_and_a_caption_in_both_languages() {
        assert_eq!(SCENARIOS.len(), SCENARIO_WORDS.len());
        for name in SCENARIOS {
            for lang in BOTH {
                let title = scenario_title(lang, name).unwrap_or_default();
                let caption = scenario_caption(lang, name).unwrap_or_default();
                assert!(!title.is_empty() && !caption.is_empty(), "{name} {lang:?}");
                assert!(scenario_notice(lang, name).unwrap().starts_with(title));
            }
            chinese(scenario_title(Lang::Zh, name).unwrap());
            chinese(scenario_caption(Lang::Zh, name).unwrap());
        }
        assert_eq!(scenario_title(Lang::En, "no-such-thing"), None);
    }

    /// Every event of a run with the sentence the event log shows for it.
    fn logged(lang: Lang, sim: &Sim) -> Vec<(EventKind, String)> {
        let first = sim.trace_forgotten();
        sim.trace()
            .iter()
            .enumerate()
            .map(|(i, e)| {
                let seq = first + i as u64;
                (e.kind.clone(), event_sentence(lang, sim, seq, &e.kind))
            })
            .collect()
    }

    #[test]
    fn event_sentences_and_refusals_follow_the_language() {
        let mut sim = elected();
        sim.apply(Intervention::Heal).unwrap();
        let (kind, en) = logged(Lang::En, &sim).pop().unwrap();
        assert_eq!(
            en,
            crate::sim::describe(&kind),
            "English is the trace's own sentence"
        );
        chinese(&logged(Lang::Zh, &sim).pop().unwrap().1);
        assert_eq!(refusal(Lang::En, "S2 is down"), "S2 is down");
        assert_eq!(refusal(Lang::Zh, "S2 is down"), "S2 已宕机");
        for invariant in [Invariant::ElectionSafety, Invariant::AcknowledgedWriteKept] {
            chinese(invariant_name(Lang::Zh, invariant));
        }
    }
}

#[cfg(test)]
mod read_words {
    use super::*;
    use crate::raft::ReadMode;
    use crate::sim::tour::{build, chapter_index};

    #[test]
    fn the_reads_line_says_each_reads_answer_and_marks_the_stale_one() {
        let c = chapter_index("stale-reads").expect("chapter");
        let stale = build(c, 3).expect("step 4");
        let en = recent_reads(Lang::En, &stale, 3);
        let r = stale.reads().last().expect("a read");
        assert_eq!(r.mode, ReadMode::Local);
        let x2 = stale.writes().last().expect("x = 2").id;
        assert_eq!(
            en,
            vec![(
                format!("#1 x (local) → x = 1 from S5: stale ✗ (missed write #{x2})"),
                true
            )]
        );
        let zh = recent_reads(Lang::Zh, &stale, 3);
        assert_eq!(
            zh,
            vec![(
                format!("#1 x（本地） → S5 回答 x = 1：过期 ✗（漏掉了写入 #{x2}）"),
                true
            )]
        );
        let end = build(c, 5).expect("step 6");
        let lines: Vec<String> = recent_reads(Lang::En, &end, 3)
            .into_iter()
            .map(|(text, stale)| {
                assert!(!stale);
                text
            })
            .collect();
        assert_eq!(lines.len(), 2);
        assert!(
            lines[0].starts_with("#2 x (ReadIndex) → x = 2 from S"),
            "{lines:?}"
        );
        assert_eq!(lines[1], "#1 x (ReadIndex) → no answer: S5 stepped down");
    }
}
