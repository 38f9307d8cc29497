//! The event log's and the inspector's sentences in Simplified Chinese: the counterpart,
//! variant for variant, of the English formatter in `sim::trace` (which stays English:
//! exported trace files and golden tests read it). The RPC names and Figure 2's field
//! names stay the paper's identifiers; the words around them are Chinese.
//!
//! Every match here is exhaustive, like the English one, so a new event kind does not
//! compile until it has a Chinese sentence too.

use crate::raft::{
    AppendReason, ClientOutcome, Message, NodeEvent, NodeId, ReadMode, Role, SnapshotOutcome,
    VoteReason, WhyNotLeader, server_name as name,
};
use crate::sim::linearizability::{OpId, Stale};
use crate::sim::{
    ClientEvent, Context, DropReason, EventKind, Intervention, Invariant, PartitionOutcome,
    ReadEvent, ReadFailure, RejectReason, WriteTarget,
};

/// `RequestVote（任期 3）`, `心跳（任期 3）`, `投票回复（任期 4，同意）`, …
pub fn rpc_name(msg: &Message) -> String {
    match msg {
        Message::RequestVote(m) => format!("RequestVote（任期 {}）", m.term),
        Message::RequestVoteReply(m) => format!(
            "投票回复（任期 {}，{}）",
            m.term,
            if m.vote_granted { "同意" } else { "拒绝" }
        ),
        Message::AppendEntries(m) if m.entries.is_empty() => format!("心跳（任期 {}）", m.term),
        Message::AppendEntries(m) => format!(
            "AppendEntries（任期 {}，{} 个条目）",
            m.term,
            m.entries.len()
        ),
        Message::AppendEntriesReply(m) => format!(
            "AppendEntries 回复（任期 {}，{}）",
            m.term,
            if m.success { "成功" } else { "失败" }
        ),
        Message::PreVote(m) => format!("PreVote（为任期 {}）", m.term),
        Message::PreVoteReply(m) => format!(
            "预投票回复（任期 {}，{}）",
            m.term,
            if m.vote_granted {
                "愿意"
            } else {
                "不愿意"
            }
        ),
        Message::TimeoutNow(m) => format!("TimeoutNow（任期 {}）", m.term),
        Message::InstallSnapshot(m) => format!(
            "InstallSnapshot（任期 {}，快照到索引 {}）",
            m.term, m.snapshot.last_included_index
        ),
        Message::InstallSnapshotReply(m) if m.match_index > 0 => format!(
            "InstallSnapshot 回复（任期 {}，已有索引 {}）",
            m.term, m.match_index
        ),
        Message::InstallSnapshotReply(m) => {
            format!("InstallSnapshot 回复（任期 {}，拒绝）", m.term)
        }
    }
}

/// The RPC's name inside a sentence, right after a Chinese word: a space only before
/// the paper's Latin names (`的 RequestVote（任期 3）`, `的心跳（任期 3）`).
pub fn rpc_phrase(msg: &Message) -> String {
    let name = rpc_name(msg);
    if name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        format!(" {name}")
    } else {
        name
    }
}

/// Why a server granted or denied its vote (the English `sim::vote_reason`).
pub fn vote_reason(reason: &VoteReason, candidate: NodeId) -> String {
    match reason {
        VoteReason::Granted => format!(
            "它在这个任期还没有投过票，而且 {} 的日志至少和它自己的一样新",
            name(candidate)
        ),
        VoteReason::GrantedWithoutLogCheck {
            voter_last_term,
            voter_last_index,
        } => format!(
            "它在这个任期还没有投过票；它自己的日志（最后一条：任期 {voter_last_term}，位置 {voter_last_index}）比 {} 的更新，但这次运行违反了本该拒绝的规则",
            name(candidate)
        ),
        VoteReason::GrantedAgain => "它已经投票给了这位候选人（重复的请求）".to_string(),
        VoteReason::StaleTerm { voter_term } => {
            format!("候选人的任期比它自己的任期 {voter_term} 更旧")
        }
        VoteReason::AlreadyVoted { for_candidate } => {
            format!("它已经投票给了 {}", name(*for_candidate))
        }
        VoteReason::LogNotUpToDate {
            voter_last_term,
            voter_last_index,
        } => format!(
            "它自己的日志更新（最后一个条目：索引 {voter_last_index}，任期 {voter_last_term}）"
        ),
        VoteReason::LeaderRecentlyHeard { leader, ago } => format!(
            "它在 {} 前收到过领导者 {} 的消息，还在最短选举超时之内，所以领导者还活着",
            crate::sim::format_time(*ago),
            name(*leader)
        ),
        VoteReason::StillLeading => "它自己就是当前任期的领导者".to_string(),
        VoteReason::PreVoteNotAhead { voter_term } => {
            format!("提议的任期并不高于它自己的任期 {voter_term}")
        }
        VoteReason::PreVoteGranted => format!(
            "它在最短选举超时内没有收到过本任期领导者的消息，而且 {} 的日志至少和它自己的一样新",
            name(candidate)
        ),
    }
}

/// Why a follower accepted or rejected an AppendEntries (the English `sim::append_reason`).
pub fn append_reason(reason: &AppendReason) -> String {
    match reason {
        AppendReason::Accepted => "日志匹配".to_string(),
        AppendReason::StaleTerm { follower_term } => {
            format!("发送者的任期比它自己的任期 {follower_term} 更旧")
        }
        AppendReason::MissingEntry {
            prev_log_index,
            follower_last_index,
        } => format!("索引 {prev_log_index} 处没有条目（它的日志只到索引 {follower_last_index}）"),
        AppendReason::TermMismatch {
            prev_log_index,
            expected_term,
            found_term,
        } => format!("索引 {prev_log_index} 处的条目任期是 {found_term}，而不是 {expected_term}"),
    }
}

fn drop_reason(reason: DropReason) -> &'static str {
    match reason {
        DropReason::Lost => "网络把它丢了",
        DropReason::LinkCut => "链路已断开",
        DropReason::ReceiverDown => "接收者已宕机",
        DropReason::SenderCrashed => "发送者宕机了",
        DropReason::ReceiverCrashed => "接收者宕机了",
        DropReason::DroppedByUser => "它被手动丢弃",
    }
}

fn why_not_leader(server: NodeId, why: WhyNotLeader) -> String {
    match why {
        WhyNotLeader::ElectionInProgress => {
            format!("{} 是候选人：选举正在进行", name(server))
        }
        WhyNotLeader::NoKnownLeader => format!("{} 不知道谁是领导者", name(server)),
        WhyNotLeader::Transferring { to } => format!(
            "{} 正在把领导权移交给 {}，这期间不接受请求",
            name(server),
            name(to)
        ),
    }
}

fn reject_reason(reason: RejectReason) -> String {
    match reason {
        RejectReason::ServerDown(s) => format!("{} 已宕机", name(s)),
        RejectReason::NotLeader(s, why) => why_not_leader(s, why),
        RejectReason::NoLeader => "现在没有领导者".to_string(),
    }
}

/// 跟随者, 候选人, 领导者.
pub fn role_name(role: Role) -> &'static str {
    match role {
        Role::Follower => "跟随者",
        Role::Candidate => "候选人",
        Role::Leader => "领导者",
        Role::PreCandidate => "预候选人",
    }
}

/// The five properties of the paper's Figure 3, plus the client's promise.
pub fn invariant_name(invariant: Invariant) -> &'static str {
    match invariant {
        Invariant::ElectionSafety => "选举安全",
        Invariant::LeaderAppendOnly => "领导者只追加",
        Invariant::LogMatching => "日志匹配",
        Invariant::LeaderCompleteness => "领导者完整性",
        Invariant::StateMachineSafety => "状态机安全",
        Invariant::AcknowledgedWriteKept => "已确认的写入不会丢失",
        Invariant::Linearizability => "读取可线性化",
        Invariant::OneServerAtATime => "配置每次只变一台服务器",
    }
}

fn group_names(group: &[NodeId]) -> String {
    group
        .iter()
        .map(|&n| name(n))
        .collect::<Vec<_>>()
        .join("、")
}

/// `{S1、S2}、{S3、S4} 和 {S5}`.
fn group_list(groups: &[Vec<NodeId>]) -> String {
    let named: Vec<String> = groups
        .iter()
        .map(|g| format!("{{{}}}", group_names(g)))
        .collect();
    match named.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} 和 {last}", rest.join("、")),
        _ => named.concat(),
    }
}

/// The English `sim::trace` partition sentence: the groups the links really form.
fn partition(named: &[Vec<NodeId>], ctx: &Context) -> String {
    match ctx.partition_outcome(named) {
        PartitionOutcome::Groups(groups) if groups.len() == 1 => {
            "网络没有被分开：每台服务器仍能联系到其他所有服务器".to_string()
        }
        PartitionOutcome::Groups(groups) => format!("网络分区为 {}", group_list(&groups)),
        PartitionOutcome::OneWayCuts(groups) => format!(
            "{} 之间的链路被断开；之前断开的链路仍然断开",
            group_list(&groups)
        ),
        PartitionOutcome::Unknown => format!(
            "网络分区为 {}",
            named
                .iter()
                .map(|g| format!("{{{}}}", group_names(g)))
                .collect::<Vec<_>>()
                .join(" 和 ")
        ),
    }
}

fn intervention(i: &Intervention, ctx: &Context) -> String {
    match i {
        Intervention::Crash(n) => format!("{} 宕机", name(*n)),
        Intervention::Restart(n) if ctx.forgets_vote => format!(
            "{} 重启，保留它的任期和日志，但不保留投票（这次运行违反的规则）",
            name(*n)
        ),
        Intervention::Restart(n) => format!("{} 重启，保留它的任期、投票和日志", name(*n)),
        Intervention::Timeout(n) => format!("{} 的选举计时器被设为立即到期", name(*n)),
        Intervention::AlignTimers => "所有选举计时器被对齐，将同时到期".to_string(),
        Intervention::SpreadTimers => "选举计时器被错开".to_string(),
        Intervention::ClientWrite {
            to: WriteTarget::Leader,
            command,
        } => format!("客户端向领导者发送 {command}"),
        Intervention::ClientWrite {
            to: WriteTarget::Server(n),
            command,
        } => format!("客户端向 {} 发送 {command}", name(*n)),
        Intervention::CutLink { from, to } => {
            format!("从 {} 到 {} 的链路被断开", name(*from), name(*to))
        }
        Intervention::RestoreLink { from, to } => {
            format!("从 {} 到 {} 的链路已恢复", name(*from), name(*to))
        }
        Intervention::Isolate(n) => format!("{} 与其他所有服务器断开了连接", name(*n)),
        Intervention::Partition(groups) => partition(groups, ctx),
        Intervention::Heal => "网络恢复：所有链路重新连通".to_string(),
        Intervention::DropMessage(id) => format!("消息 #{id} 被手动丢弃"),
        Intervention::SetLoss { permille } => {
            format!("丢包率设为 {:.1}%", *permille as f64 / 10.0)
        }
        Intervention::SetDuplication { permille } => {
            format!("消息重复率设为 {:.1}%", *permille as f64 / 10.0)
        }
        Intervention::SetLatency { min, max } => format!(
            "单向延迟设为 {}–{} ms",
            *min as f64 / 1000.0,
            *max as f64 / 1000.0
        ),
        Intervention::SetFeatures {
            pre_vote,
            check_quorum,
            no_op,
        } => format!(
            "Raft 特性：PreVote {}，CheckQuorum {}，领导者 no-op {}",
            if *pre_vote { "开启" } else { "关闭" },
            if *check_quorum { "开启" } else { "关闭" },
            if *no_op { "开启" } else { "关闭" }
        ),
        Intervention::ClientRead { to, key, mode } => format!(
            "客户端从{}读取 {key}（{}）",
            match to {
                WriteTarget::Server(s) => format!(" {} ", name(*s)),
                WriteTarget::Leader => "领导者".to_string(),
            },
            read_mode(*mode)
        ),
        Intervention::TransferLeadership { to } => {
            format!("领导者被要求把领导权移交给 {}", name(*to))
        }
        Intervention::AddServer => "一台新服务器启动，领导者被要求把它加入集群".to_string(),
        Intervention::RemoveServer(id) => format!("领导者被要求把 {} 移出集群", name(*id)),
        Intervention::SetCompaction { snapshot_every: 0 } => {
            "关闭日志压缩：服务器保留所有日志条目".to_string()
        }
        Intervention::SetCompaction { snapshot_every } => {
            format!("开启日志压缩：每台服务器每应用 {snapshot_every} 个条目就做一次快照")
        }
    }
}

/// How a read is served, in a few words (the English `sim::read_mode`).
pub fn read_mode(mode: ReadMode) -> &'static str {
    match mode {
        ReadMode::ReadIndex => "ReadIndex",
        ReadMode::Local => "本地读取",
    }
}

/// A value as a read returns it.
pub fn read_value(value: Option<i64>) -> String {
    value.map_or("无值".to_string(), |v| v.to_string())
}

/// What a server did under the lab's broken rule, and which rule of Figure 2 forbids it.
fn breach_words(n: &str, breach: &crate::raft::Breach) -> String {
    use crate::raft::Breach;
    match breach {
        Breach::VotedForLessUpToDate { candidate, term } => format!(
            "{n} 违反规则：它在任期 {term} 投票给 {c}，尽管 {c} 的日志不如它自己的新（第 5.4.1 节的检查被关掉了）",
            c = name(*candidate)
        ),
        Breach::CommittedEarlierTerm {
            index,
            entry_term,
            term,
        } => format!(
            "{n} 违反规则：作为任期 {term} 的领导者，它靠数副本提交了任期 {entry_term} 的条目 {index}（图 8 说明了为什么不可以）"
        ),
        Breach::KeptRole { role, term } => {
            format!(
                "{n} 违反规则：它采用任期 {term}，却仍是{}",
                role_name(*role)
            )
        }
        Breach::ForgotVote { voted_for, term } => format!(
            "{n} 违反规则：它重启后忘了自己在任期 {term} 投给 {} 的票（votedFor 没有写入稳定存储）",
            name(*voted_for)
        ),
        Breach::KeptEntriesAfterConflict { index, kept } => {
            format!("{n} 违反规则：它覆盖了冲突的条目 {index}，却保留了其后的 {kept} 个条目")
        }
        Breach::VotedWithoutTimerReset { candidate, term } => format!(
            "{n} 违反规则：它在任期 {term} 投票给 {}，却没有重启选举计时器",
            name(*candidate)
        ),
    }
}

fn node_event(node: NodeId, event: &NodeEvent, ctx: &Context) -> String {
    let n = name(node);
    match event {
        NodeEvent::RoleChanged {
            to: Role::Candidate,
            term,
            ..
        } if ctx.alone() => format!(
            "{n} 成为任期 {term} 的候选人并投票给自己：集群中只有它一台，它自己的一票就是多数派"
        ),
        NodeEvent::RoleChanged {
            to: Role::Leader,
            term,
            ..
        } if ctx.alone() => {
            format!("{n} 凭自己的一票（一台服务器的多数派）成为任期 {term} 的领导者")
        }
        NodeEvent::ElectionTimeout { term } => {
            format!("{n} 的选举超时已到，期间没有收到领导者的消息；它为任期 {term} 发起选举")
        }
        NodeEvent::TermLimitReached { term } => {
            format!("{n} 的选举超时已到，但它的任期 {term} 已是任期的上限：它不发起选举")
        }
        NodeEvent::TermAdopted { term, from } => {
            format!("{n} 从 {} 处看到任期 {term}，采用这个任期", name(*from))
        }
        NodeEvent::RuleBroken(breach) => breach_words(&n, breach),
        NodeEvent::RoleChanged { from, to, term } => match to {
            Role::Candidate => {
                format!("{n} 成为任期 {term} 的候选人，投票给自己并向其他服务器请求投票")
            }
            Role::Leader => format!("{n} 获得多数派的选票，成为任期 {term} 的领导者"),
            Role::Follower => format!("{n} 在任期 {term} 从{}退为跟随者", role_name(*from)),
            Role::PreCandidate => format!(
                "{n} 在任期 {term} 成为预候选人：它先问其他服务器是否愿意投票给它，而不提高自己的任期"
            ),
        },
        NodeEvent::VoteCast {
            candidate,
            term,
            granted: true,
            reason,
        } => {
            let why = match reason {
                // What it believes: it forgot a vote it may have cast before a crash.
                VoteReason::Granted if ctx.forgets_vote => format!(
                    "它没有这个任期的投票记录（这次运行中崩溃会忘掉投票），而且 {} 的日志至少和它自己的一样新",
                    name(*candidate)
                ),
                _ => vote_reason(reason, *candidate),
            };
            format!("{n} 在任期 {term} 把选票投给 {}：{why}", name(*candidate))
        }
        NodeEvent::VoteCast {
            candidate,
            term,
            granted: false,
            reason,
        } => {
            let why = match reason {
                VoteReason::AlreadyVoted { for_candidate } if *for_candidate == node => {
                    "它已经投票给了自己".to_string()
                }
                _ => vote_reason(reason, *candidate),
            };
            format!("{n} 在任期 {term} 拒绝投票给 {}：{why}", name(*candidate))
        }
        NodeEvent::AppendHandled {
            leader,
            success: true,
            entries: 0,
            ..
        } => format!(
            "{n} 接受来自 {} 的心跳，并重置它的选举计时器",
            name(*leader)
        ),
        NodeEvent::AppendHandled {
            leader,
            success: true,
            entries,
            ..
        } => format!(
            "{n} 接受来自 {} 的 {entries} 个条目：{}",
            name(*leader),
            if ctx.keeps_conflicts {
                "它的日志在这些条目之前的那一条处匹配（这次运行中冲突之后的条目会被保留）"
            } else {
                "日志匹配"
            }
        ),
        NodeEvent::AppendHandled {
            leader,
            success: false,
            reason,
            ..
        } => format!(
            "{n} 拒绝来自 {} 的 AppendEntries：{}",
            name(*leader),
            append_reason(reason)
        ),
        NodeEvent::EntriesDeleted { from_index, count } => {
            format!("{n} 从索引 {from_index} 起删除 {count} 个冲突的条目")
        }
        NodeEvent::ClientEntryAppended { index, term } => {
            format!("{n} 在任期 {term} 把客户端的命令追加到索引 {index}，尚未提交")
        }
        NodeEvent::CommitAdvanced { from, to } => {
            format!("{n} 把它的提交索引从 {from} 推进到 {to}")
        }
        NodeEvent::Applied { index, entry } => {
            format!("{n} 把条目 {index}（{}）应用到它的状态机", entry.command)
        }
        NodeEvent::PreVoteStarted { term } => format!(
            "{n} 的选举超时已到，期间没有收到领导者的消息；在提高任期之前，它先问其他服务器是否愿意在任期 {term} 投票给它"
        ),
        NodeEvent::PreVoteCast {
            candidate,
            term,
            granted: true,
            reason,
        } => format!(
            "{n} 愿意在任期 {term} 投票给 {}：{}（它自己的任期不变）",
            name(*candidate),
            vote_reason(reason, *candidate)
        ),
        NodeEvent::PreVoteCast {
            candidate,
            term,
            granted: false,
            reason,
        } => format!(
            "{n} 不愿意在任期 {term} 投票给 {}：{}",
            name(*candidate),
            vote_reason(reason, *candidate)
        ),
        NodeEvent::NoOpAppended { index, term } => format!(
            "{n} 刚成为领导者，在索引 {index} 处追加一个属于它的任期 {term} 的空操作（no-op）条目：一旦它到达多数派，它之前的所有条目都随之提交"
        ),
        NodeEvent::QuorumLost { term, heard_from } if heard_from.is_empty() => format!(
            "{n} 在上一个选举超时内没有收到任何其他服务器的回复，不到多数派：它不再担任任期 {term} 的领导者"
        ),
        NodeEvent::QuorumLost { term, heard_from } => format!(
            "{n} 在上一个选举超时内只收到了 {} 的回复，不到多数派：它不再担任任期 {term} 的领导者",
            heard_from
                .iter()
                .map(|&id| name(id))
                .collect::<Vec<_>>()
                .join("、")
        ),
        NodeEvent::TransferStarted { target, term } => format!(
            "任期 {term} 的领导者 {n} 开始把领导权移交给 {}：它不再接受客户端请求，并把 {} 的日志补齐",
            name(*target),
            name(*target)
        ),
        NodeEvent::TimeoutNowSent {
            target,
            match_index,
            ..
        } => format!(
            "{} 的日志与 {n} 的一致，直到它的最后一个条目（索引 {match_index}）：{n} 向它发送 TimeoutNow",
            name(*target)
        ),
        NodeEvent::TransferAbandoned {
            target,
            timeout_now_sent,
            ..
        } => format!(
            "{n} 在一个选举超时后放弃把领导权移交给 {}{}；它重新接受客户端请求",
            name(*target),
            if *timeout_now_sent {
                "：发出 TimeoutNow 后没有发生选举"
            } else {
                "：它的日志始终没有补齐"
            }
        ),
        NodeEvent::TimeoutNowReceived { leader, term } => format!(
            "{n} 收到来自 {} 的 TimeoutNow：它不等计时器，立即为任期 {term} 发起选举",
            name(*leader)
        ),
        NodeEvent::ReadWaitsForTermCommit { read, term } => format!(
            "读取 #{read} 需要等待：{n} 的任期 {term} 还没有任何条目被提交，所以 {n} 不知道最新的提交索引"
        ),
        NodeEvent::ReadIndexNoted { read, index, .. } => format!(
            "{n} 为读取 #{read} 记下它的提交索引 {index}，并发送一轮心跳，确认自己仍是领导者"
        ),
        NodeEvent::ReadAnswered {
            read,
            key,
            value,
            applied,
            mode: ReadMode::ReadIndex,
        } => format!(
            "多数派确认 {n} 仍是领导者：它回答读取 #{read}：{key} = {}（已应用到索引 {applied}）",
            read_value(*value)
        ),
        NodeEvent::ReadAnswered {
            read,
            key,
            value,
            applied,
            mode: ReadMode::Local,
        } => format!(
            "{n} 不询问任何服务器，立即用自己的状态回答读取 #{read}：{key} = {}（已应用到索引 {applied}）",
            read_value(*value)
        ),
        NodeEvent::ReadFailed { read, term } => {
            format!("{n} 已不再是领导者（任期 {term}）：读取 #{read} 得不到回答")
        }
        NodeEvent::SnapshotTaken {
            index,
            term,
            compacted,
        } => format!(
            "{n} 为它的状态机做了一个到索引 {index}（任期 {term}）的快照，并删去快照取代的 {compacted} 个日志条目"
        ),
        NodeEvent::SnapshotSent {
            to,
            index,
            next_index,
            ..
        } => format!(
            "{} 需要条目 {next_index}，而 {n} 已把它压缩进快照：{n} 改为向它发送到索引 {index} 的 InstallSnapshot",
            name(*to)
        ),
        NodeEvent::SnapshotHandled {
            leader,
            index,
            outcome,
            ..
        } => snapshot_outcome(&n, name(*leader), *index, outcome),
        NodeEvent::ConfigChangeProposed {
            index,
            change,
            config,
            ..
        } => {
            let what = match change {
                crate::raft::ConfigChange::AddLearner(id) => {
                    format!("把 {} 作为学习者加入：它接收日志，但还不投票", name(*id))
                }
                crate::raft::ConfigChange::Promote(id) => {
                    format!("让已经跟上的 {} 成为投票成员", name(*id))
                }
                crate::raft::ConfigChange::Remove(id) => format!("移除 {}", name(*id)),
            };
            let voters: Vec<String> = config.voters.iter().map(|v| name(*v)).collect();
            format!(
                "{n} 在索引 {index} 追加一个配置条目，{what}；从这个条目起，{} 投票，多数派是 {} 台",
                voters.join("、"),
                config.majority()
            )
        }
        NodeEvent::CatchUpRound {
            learner,
            round,
            took,
            caught_up,
        } => format!(
            "{} 的第 {round} 轮追赶用了 {}{}",
            name(*learner),
            crate::sim::format_time(*took),
            if *caught_up {
                "，少于最短选举超时：它已足够接近最新，可以投票了"
            } else {
                "：太慢了，还要再追一轮"
            }
        ),
        NodeEvent::LeftCluster { term, index } => {
            format!("{n} 在索引 {index} 的移除已经提交：它不再担任任期 {term} 的领导者，离开集群")
        }
    }
}

fn snapshot_outcome(n: &str, leader: String, index: u64, outcome: &SnapshotOutcome) -> String {
    match outcome {
        SnapshotOutcome::Installed { kept, discarded } => {
            let log = match (kept, discarded) {
                (0, 0) => "快照之后它的日志里没有别的条目".to_string(),
                (0, d) => format!("它的日志里没有快照的最后一个条目，所以它丢弃全部 {d} 个条目"),
                (k, _) => format!("它保留快照之后的 {k} 个条目"),
            };
            format!("{n} 安装了 {leader} 到索引 {index} 的快照：它的状态机换成快照里的状态，{log}")
        }
        SnapshotOutcome::AlreadyCommitted { commit_index } => {
            format!("{n} 忽略 {leader} 到索引 {index} 的快照：它已经提交到索引 {commit_index}")
        }
        SnapshotOutcome::StaleTerm { follower_term } => {
            format!("{n} 拒绝 {leader} 的快照：{leader} 的任期比它自己的任期 {follower_term} 更旧")
        }
    }
}

fn read_event(read: u64, event: &ReadEvent) -> String {
    match event {
        ReadEvent::Submitted { server, outcome } => match outcome {
            ClientOutcome::ReadAccepted | ClientOutcome::Appended { .. } => {
                format!("读取 #{read} 到达领导者 {}", name(*server))
            }
            ClientOutcome::Redirect { leader } => format!(
                "读取 #{read}：{} 不是领导者，它把客户端重定向到 {}",
                name(*server),
                name(*leader)
            ),
            ClientOutcome::Rejected(why) => {
                format!("读取 #{read} 被拒绝：{}", why_not_leader(*server, *why))
            }
        },
        ReadEvent::Rejected(reason) => {
            format!("读取 #{read} 被拒绝：{}", reject_reason(*reason))
        }
        ReadEvent::Answered {
            leader, key, value, ..
        } => format!(
            "客户端从 {} 得到读取 #{read} 的结果：{key} = {}",
            name(*leader),
            read_value(*value)
        ),
        ReadEvent::Failed { leader, why } => format!(
            "读取 #{read} 得不到回答：{}",
            match why {
                ReadFailure::SteppedDown => format!("{} 先下台了", name(*leader)),
                ReadFailure::LeaderCrashed => format!("{} 先宕机了", name(*leader)),
            }
        ),
    }
}

/// The stale read a violation names, as the checker found it.
pub fn stale_read(stale: &Stale) -> String {
    let read = match stale.read {
        OpId::Read(id) | OpId::Write(id) => id,
    };
    let missed = match (stale.missed, stale.missed_value) {
        (Some(OpId::Write(w)), Some(v)) => format!(
            "；写入 #{w}（值 {}）在这次读取开始之前就已确认",
            read_value(v)
        ),
        _ => String::new(),
    };
    format!(
        "读取 #{read} 得到的 {} 是过期的：没有任何一种读写顺序能解释它{missed}",
        read_value(stale.returned)
    )
}

fn client_event(write: u64, event: &ClientEvent) -> String {
    match event {
        ClientEvent::Submitted { server, outcome } => match outcome {
            ClientOutcome::Appended { index, .. } => format!(
                "写入 #{write} 到达领导者 {}，它把写入放在索引 {index}",
                name(*server)
            ),
            ClientOutcome::ReadAccepted => format!("写入 #{write} 到达 {}", name(*server)),
            ClientOutcome::Redirect { leader } => format!(
                "写入 #{write}：{} 不是领导者，它把客户端重定向到 {}",
                name(*server),
                name(*leader)
            ),
            ClientOutcome::Rejected(why) => {
                format!("写入 #{write} 被拒绝：{}", why_not_leader(*server, *why))
            }
        },
        ClientEvent::Rejected(reason) => {
            format!("写入 #{write} 被拒绝：{}", reject_reason(*reason))
        }
        ClientEvent::Acknowledged { leader, index } => format!(
            "写入 #{write} 在索引 {index} 处提交；{} 回复客户端：成功",
            name(*leader)
        ),
        ClientEvent::CommittedUnacknowledged { index } => {
            format!("写入 #{write} 由后来的领导者在索引 {index} 处提交；客户端始终没有收到回复")
        }
        ClientEvent::Lost { index } => {
            format!("写入 #{write} 丢失了：索引 {index} 处提交的是另一个条目")
        }
    }
}

/// The plain sentence for one event, without its time (the English `sim::describe`).
pub fn describe(kind: &EventKind) -> String {
    describe_in(kind, &Context::default())
}

/// [`describe`], in words that fit the run (the English `sim::describe_in`).
pub fn describe_in(kind: &EventKind, ctx: &Context) -> String {
    match kind {
        EventKind::Send {
            id,
            from,
            to,
            msg,
            duplicate,
            ..
        } => format!(
            "{} 向 {} 发送{}（#{id}{}）",
            name(*from),
            name(*to),
            rpc_phrase(msg),
            if *duplicate {
                "，网络多复制了一份"
            } else {
                ""
            }
        ),
        EventKind::Deliver { id, from, to, msg } => format!(
            "{} 收到来自 {} 的{}（#{id}）",
            name(*to),
            name(*from),
            rpc_phrase(msg)
        ),
        EventKind::Drop {
            id,
            from,
            to,
            msg,
            reason,
            ..
        } => format!(
            "{} 发往 {} 的{}被丢弃（#{id}）：{}",
            name(*from),
            name(*to),
            rpc_phrase(msg),
            drop_reason(*reason)
        ),
        EventKind::Node { node, event } => node_event(*node, event, ctx),
        EventKind::Client { write, event } => client_event(*write, event),
        EventKind::Read { read, event } => read_event(*read, event),
        EventKind::Intervention(i) => intervention(i, ctx),
        // A stale read is a lesson, not a bug: its evidence is told in Chinese.
        EventKind::Violation(v) if v.stale.is_some() => format!(
            "安全性被违反：{}：{}",
            invariant_name(v.invariant),
            v.stale.as_ref().map(stale_read).unwrap_or_default()
        ),
        // The checker's evidence, in Chinese where its shape is known (the lab's
        // counterexamples make it a lesson); as the checker wrote it otherwise.
        EventKind::Violation(v) => format!(
            "安全性被违反：{}：{}",
            invariant_name(v.invariant),
            violation_detail(&v.detail)
        ),
    }
}

/// The simulator's and the parser's refusals (English `String`s written in `sim` and
/// `raft`), each English pattern with its Chinese sentence. `{}` in the English marks a
/// part that is carried over (itself translated, so nested refusals read Chinese too);
/// `{0}`, `{1}` in the Chinese say where. More specific patterns come first.
const REFUSALS: &[(&str, &str)] = &[
    // Commands typed into a write field (raft::Command::parse).
    (
        "'{}' is not a key: use up to 16 letters, digits or _",
        "“{0}”不是合法的键：键最多 16 个字符，只能用字母、数字或 _",
    ),
    ("'{}' is not a whole number", "“{0}”不是整数"),
    // Leadership transfer (sim::Sim::validate).
    (
        "no server is leading: there is no leadership to hand over",
        "现在没有领导者：没有可以移交的领导权",
    ),
    (
        "S{} is already handing its leadership to S{}",
        "S{0} 已经在把领导权移交给 S{1}",
    ),
    ("S{} is already the leader", "S{0} 已经是领导者"),
    (
        "S{} does not vote in its configuration: it starts no election",
        "S{0} 在它的配置中没有投票权：它不会发起选举",
    ),
    (
        "S{} does not vote in the cluster's configuration: it may not lead",
        "S{0} 在集群的配置中没有投票权：它不能成为领导者",
    ),
    // Membership changes (raft::ChangeRefused::reason, sim::Sim::validate).
    (
        "no server is leading: only a leader can add a server",
        "现在没有领导者：只有领导者才能加入服务器",
    ),
    (
        "no server is leading: only a leader can remove a server",
        "现在没有领导者：只有领导者才能移除服务器",
    ),
    (
        "a cluster has at most {} servers",
        "一个集群最多有 {0} 台服务器",
    ),
    (
        "the playground keeps at least {} voting servers: removing S{} would leave {}",
        "演练场至少保留 {0} 台投票服务器：移除 S{1} 后只剩 {2} 台",
    ),
    (
        "S{} refuses: its configuration change at index {} is not committed yet, and configurations change one server at a time",
        "S{0} 拒绝：它在索引 {1} 的配置变更还没有提交，而配置每次只能变一台服务器",
    ),
    (
        "S{} refuses: S{} is still catching up as a learner, one change at a time",
        "S{0} 拒绝：S{1} 作为学习者还在追赶，每次只能有一个变更",
    ),
    (
        "S{} refuses: no entry of its own term is committed yet (write something first, or turn on the leader's no-op)",
        "S{0} 拒绝：它自己任期的条目还没有被提交（先写入一些内容，或打开领导者 no-op）",
    ),
    ("S{} is already in the cluster", "S{0} 已经在集群中"),
    ("S{} is not in the cluster", "S{0} 不在集群中"),
    ("S{} is the last voting server", "S{0} 是最后一台投票服务器"),
    ("S{} is not the leader", "S{0} 不是领导者"),
    (
        "write a command as SET x 5 or DEL x",
        "命令的写法是 SET x 5 或 DEL x",
    ),
    // Interventions the simulator refuses (Sim::apply).
    (
        "there is no server S{} in a cluster of {}",
        "这个集群只有 {1} 台服务器，没有 S{0}",
    ),
    ("there is no server S{}", "没有服务器 S{0}"),
    ("S{} is already down", "S{0} 已经宕机了"),
    ("S{} is already running", "S{0} 已经在运行了"),
    (
        "S{} is the leader: leaders have no election timer",
        "S{0} 是领导者：领导者没有选举计时器",
    ),
    ("S{} is down", "S{0} 已宕机"),
    ("S{} is in two groups", "S{0} 同时出现在两个分组里"),
    ("a server has no link to itself", "服务器没有通向自己的链路"),
    ("message #{} is not in flight", "消息 #{0} 已不在途中"),
    (
        "loss is at most {} in a thousand, not {}",
        "丢包率最多是千分之 {0}，而不是千分之 {1}",
    ),
    (
        "duplication is at most {} in a thousand, not {}",
        "重复率最多是千分之 {0}，而不是千分之 {1}",
    ),
    (
        "a partition has at most {} groups, not {}",
        "网络分区最多分成 {0} 组，而不是 {1} 组",
    ),
    (
        "latency must be a range between 1 ms and 60 s",
        "延迟必须是 1 ms 到 60 秒之间的一个范围",
    ),
    (
        "the stable-storage write time is an empty range",
        "稳定存储的写入时间范围是空的",
    ),
    (
        "latency and a stable-storage write together take at most {} heartbeat intervals ({} ms)",
        "延迟加上一次稳定存储写入，最多只能是 {0} 个心跳间隔（{1} 毫秒）",
    ),
    (
        "latency is at most {} heartbeat intervals ({} ms), not {} ms",
        "延迟最多是 {0} 个心跳间隔（{1} ms），而不是 {2} ms",
    ),
    // A configuration (a reset, a link or a trace file).
    (
        "a cluster has 1 to {} servers, not {}",
        "集群应有 1 到 {0} 台服务器，而不是 {1} 台",
    ),
    (
        "the election timeout range is empty",
        "选举超时的范围是空的",
    ),
    (
        "heartbeats must come more often than the shortest election timeout",
        "心跳间隔必须比最短的选举超时还短",
    ),
    (
        "heartbeats every {} ms or more and election timeouts up to {} s",
        "心跳间隔至少 {0} ms，选举超时最长 {1} 秒",
    ),
    (
        "an AppendEntries carries 1 to {} entries, not {}",
        "一条 AppendEntries 携带 1 到 {0} 个条目，而不是 {1} 个",
    ),
    (
        "a server's log can only be set up before the run starts",
        "服务器的日志只能在运行开始之前设置",
    ),
    (
        "log terms must not decrease and not exceed the current term",
        "日志条目的任期不能递减，也不能超过当前任期",
    ),
    (
        "a prepared server's term is at most {}, not {}",
        "预设服务器的任期最多为 {0}，而不是 {1}",
    ),
    (
        "a prepared server has at most {} log entries, not {}",
        "预设的服务器最多有 {0} 个日志条目，而不是 {1} 个",
    ),
    (
        "a prepared server votes for a server of the cluster",
        "预设的服务器只能投票给集群中的服务器",
    ),
    // Share links (sim::share).
    ("the link carries no run", "链接里没有运行记录"),
    (
        "the link is too long to be a Raft Playground run",
        "链接太长，不可能是 Raft Playground 的运行记录",
    ),
    (
        "the link is damaged (it is not valid base64url)",
        "链接已损坏（编码无效）",
    ),
    // The parser's own detail is for developers; the reader gets the gist.
    (
        "the link is damaged or incomplete ({})",
        "链接已损坏或不完整",
    ),
    (
        "the link prepares more servers than the cluster has",
        "链接预设的服务器比集群里的还多",
    ),
    (
        "this link is from version {} of Raft Playground; this page reads version {}",
        "这个链接来自 Raft Playground 的第 {0} 版；本页面读取的是第 {1} 版",
    ),
    (
        "the run lasts longer than 24 virtual hours",
        "这次运行超过 24 个虚拟小时",
    ),
    (
        "the run holds more than {} interventions",
        "这次运行包含超过 {0} 次干预",
    ),
    (
        "an intervention lies beyond the link's playhead",
        "有一次干预位于链接的播放位置之后",
    ),
    ("intervention {} is out of order", "第 {0} 次干预的顺序不对"),
    (
        "intervention {} does not fit this run",
        "第 {0} 次干预与这次运行对不上",
    ),
    ("intervention {}: {}", "第 {0} 次干预：{1}"),
    // The work a replay may do (sim::bounds).
    (
        "replaying this run would take about {} events, more than the {} a replay may take (about {} events per virtual second at its settings)",
        "重放这次运行大约需要 {0} 个事件，超过了一次重放最多允许的 {1} 个（按它的设置，每个虚拟秒约 {2} 个事件）",
    ),
    (
        "replaying this run takes more than the {} events a replay may take",
        "重放这次运行需要的事件超过了一次重放最多允许的 {0} 个",
    ),
    // Trace files (sim::export).
    (
        "the file is too large to be a Raft Playground trace",
        "文件太大，不可能是 Raft Playground 的轨迹文件",
    ),
    (
        "the file is not a JSON trace document ({})",
        "这个文件不是 JSON 格式的轨迹文档",
    ),
    (
        "the file is JSON but not a Raft Playground trace",
        "这个文件是 JSON，但不是 Raft Playground 的轨迹文件",
    ),
    (
        "the trace is version {}; this page reads version {}",
        "这个轨迹文件是第 {0} 版；本页面读取的是第 {1} 版",
    ),
    ("the trace has no version", "这个轨迹文件没有版本号"),
    (
        "the trace lists no events, but its run has {}: the file is incomplete",
        "轨迹文件里没有任何事件，但它的运行有 {0} 个事件：文件不完整",
    ),
    (
        "the trace is damaged or incomplete ({})",
        "轨迹文件已损坏或不完整",
    ),
];

/// A refusal from the simulator or the command parser, in Chinese. A text no pattern
/// knows (an internal error nobody should see) is returned as it is.
pub fn refusal(text: &str) -> String {
    for (en, zh) in REFUSALS {
        if let Some(parts) = captures(en, text) {
            let mut out = (*zh).to_string();
            for (k, part) in parts.iter().enumerate() {
                out = out.replace(&format!("{{{k}}}"), &refusal(part));
            }
            return out;
        }
    }
    text.to_string()
}

/// The safety checker's evidence, in Chinese where its shape is known (the lab's
/// counterexamples make these the lesson); anything else stays as the checker wrote it.
pub fn violation_detail(text: &str) -> String {
    for (en, zh) in VIOLATIONS {
        if let Some(parts) = captures(en, text) {
            let mut out = (*zh).to_string();
            for (k, part) in parts.iter().enumerate() {
                out = out.replace(&format!("{{{k}}}"), part);
            }
            return out;
        }
    }
    text.to_string()
}

/// The checker's sentences (`src/sim/safety.rs`) and their Chinese.
const VIOLATIONS: &[(&str, &str)] = &[
    (
        "{} and {} are both leaders of term {}",
        "{0} 和 {1} 都是任期 {2} 的领导者",
    ),
    (
        "{} leads term {} without entry {} ({}), committed in term {}",
        "{0} 领导任期 {1}，日志里却没有任期 {4} 已提交的条目 {2}（{3}）",
    ),
    (
        "leader {} of term {} lacks committed entry {}",
        "任期 {1} 的领导者 {0} 缺少已提交的条目 {2}",
    ),
    (
        "{} applies {} at index {}, but {} was applied there before",
        "{0} 在位置 {2} 应用了 {1}，但那里之前应用的是 {3}",
    ),
    (
        "{} applies {} at index {}, where write #{} was acknowledged",
        "{0} 在位置 {2} 应用了 {1}，而那里已确认的是写入 #{3}",
    ),
    (
        "{} has {} at index {} term {} after an entry of term {}, but a log seen earlier had {} there after an entry of term {}",
        "{0} 在位置 {2} 有任期 {3} 的 {1}（前一条是任期 {4}），但之前见过的一份日志在那里是 {5}（前一条是任期 {6}）",
    ),
    (
        "write #{} was acknowledged at index {} before it was committed there",
        "写入 #{0} 在位置 {1} 提交之前就被确认了",
    ),
    (
        "leader {} deleted entries from index {}",
        "领导者 {0} 从位置 {1} 起删除了条目",
    ),
];

/// The parts of `text` standing where `template` has `{}`, if `text` has its shape.
fn captures<'a>(template: &str, text: &'a str) -> Option<Vec<&'a str>> {
    let mut pieces = template.split("{}");
    let mut rest = text.strip_prefix(pieces.next()?)?;
    let pieces: Vec<&str> = pieces.collect();
    let mut parts = Vec::new();
    for (k, piece) in pieces.iter().enumerate() {
        let at = if k + 1 == pieces.len() {
            rest.strip_suffix(piece).map(str::len)?
        } else {
            rest.find(piece)?
        };
        parts.push(&rest[..at]);
        rest = &rest[at + piece.len()..];
    }
    // With no `{}` nothing may follow; with one, the last piece ended the text.
    (!pieces.is_empty() || rest.is_empty()).then_some(parts)
}

/// ASCII-letter runs of three or more that are not on `allowed`: English left in a
/// Chinese text. Shared by the tests of the Chinese words.
#[cfg(test)]
pub(crate) fn stray_english<'a>(text: &'a str, allowed: &[&str]) -> Vec<&'a str> {
    text.split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| w.len() >= 3 && !allowed.contains(w))
        .collect()
}

/// The paper's identifiers and the command verbs, which stay as they are in Chinese.
#[cfg(test)]
pub(crate) const IDENTIFIERS: &[&str] = &[
    "RequestVote",
    "PreVote",
    "CheckQuorum",
    "TimeoutNow",
    "ReadIndex",
    "InstallSnapshot",
    "AppendEntries",
    "Raft",
    "Playground",
    "JSON",
    "SET",
    "DEL",
    "CONFIG",
    "term",
    "currentTerm",
    "votedFor",
    "commitIndex",
    "lastApplied",
    "nextIndex",
    "matchIndex",
    "candidateId",
    "lastLogIndex",
    "lastLogTerm",
    "leaderId",
    "prevLogIndex",
    "prevLogTerm",
    "entries",
    "leaderCommit",
    "voteGranted",
    "success",
    "conflictTerm",
    "conflictIndex",
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::raft::{
        AppendEntries, AppendEntriesReply, Command, Entry, RequestVote, RequestVoteReply,
        TimeoutNow,
    };
    use crate::sim::{
        Sim, SimConfig, TraceEvent, Violation, decode_link, describe as english, import_trace,
    };

    fn chinese(text: &str) {
        assert!(!text.trim().is_empty(), "an empty sentence");
        let stray = stray_english(text, IDENTIFIERS);
        assert!(stray.is_empty(), "English {stray:?} in “{text}”");
        assert!(
            text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "no Chinese in “{text}”"
        );
    }

    fn entry(term: u64) -> Entry {
        Entry {
            term,
            command: Command::Set {
                key: "x".into(),
                value: 5,
            },
            write: None,
        }
    }

    /// One message of every kind and outcome.
    fn messages() -> Vec<Message> {
        let vote_reasons = [
            VoteReason::Granted,
            VoteReason::GrantedAgain,
            VoteReason::GrantedWithoutLogCheck {
                voter_last_term: 3,
                voter_last_index: 7,
            },
            VoteReason::StaleTerm { voter_term: 5 },
            VoteReason::AlreadyVoted { for_candidate: 2 },
            VoteReason::LogNotUpToDate {
                voter_last_term: 3,
                voter_last_index: 7,
            },
            VoteReason::LeaderRecentlyHeard {
                leader: 0,
                ago: 42_500,
            },
            VoteReason::StillLeading,
            VoteReason::PreVoteNotAhead { voter_term: 6 },
            VoteReason::PreVoteGranted,
        ];
        let append_reasons = [
            AppendReason::Accepted,
            AppendReason::StaleTerm { follower_term: 5 },
            AppendReason::MissingEntry {
                prev_log_index: 9,
                follower_last_index: 4,
            },
            AppendReason::TermMismatch {
                prev_log_index: 4,
                expected_term: 3,
                found_term: 2,
            },
        ];
        let mut all = vec![Message::RequestVote(RequestVote {
            term: 4,
            candidate_id: 1,
            last_log_index: 3,
            last_log_term: 2,
            transfer: false,
        })];
        let mut pre_votes = vec![Message::PreVote(RequestVote {
            term: 5,
            candidate_id: 1,
            last_log_index: 3,
            last_log_term: 2,
            transfer: false,
        })];
        for (k, reason) in vote_reasons.into_iter().enumerate() {
            let reply = RequestVoteReply {
                term: 4,
                vote_granted: k < 2 || reason == VoteReason::PreVoteGranted,
                reason,
            };
            // The paper's five reasons answer RequestVote; all of them answer PreVote.
            if k < 5 {
                all.push(Message::RequestVoteReply(reply.clone()));
            }
            pre_votes.push(Message::PreVoteReply(reply));
        }
        for entries in [vec![], vec![entry(4)], vec![entry(3), entry(4)]] {
            all.push(Message::AppendEntries(AppendEntries {
                term: 4,
                leader_id: 0,
                prev_log_index: 2,
                prev_log_term: 2,
                entries,
                leader_commit: 2,
                read_round: 0,
            }));
        }
        for (k, reason) in append_reasons.into_iter().enumerate() {
            all.push(Message::AppendEntriesReply(AppendEntriesReply {
                term: 4,
                success: k == 0,
                reason,
                match_index: 3,
                prev_log_index: 2,
                conflict_term: Some(2),
                conflict_index: 2,
                read_round: 1,
            }));
        }
        all.extend(pre_votes);
        all.push(Message::TimeoutNow(TimeoutNow {
            term: 4,
            leader_id: 0,
        }));
        let snapshot = crate::raft::Snapshot {
            last_included_index: 8,
            last_included_term: 2,
            state: Default::default(),
            membership: None,
        };
        all.push(Message::InstallSnapshot(crate::raft::InstallSnapshot {
            term: 4,
            leader_id: 0,
            snapshot,
            read_round: 0,
        }));
        for match_index in [0, 8] {
            all.push(Message::InstallSnapshotReply(
                crate::raft::InstallSnapshotReply {
                    term: 4,
                    match_index,
                    read_round: 0,
                },
            ));
        }
        all
    }

    /// One event of every kind, node event, client event, drop reason and intervention.
    fn every_event_kind() -> Vec<EventKind> {
        let mut all = Vec::new();
        for msg in messages() {
            for duplicate in [false, true] {
                all.push(EventKind::Send {
                    id: 7,
                    from: 0,
                    to: 1,
                    msg: msg.clone(),
                    deliver_at: 100,
                    duplicate,
                });
            }
            all.push(EventKind::Deliver {
                id: 7,
                from: 0,
                to: 1,
                msg: msg.clone(),
            });
            for reason in [
                DropReason::Lost,
                DropReason::LinkCut,
                DropReason::ReceiverDown,
                DropReason::SenderCrashed,
                DropReason::ReceiverCrashed,
                DropReason::DroppedByUser,
            ] {
                all.push(EventKind::Drop {
                    id: 7,
                    from: 0,
                    to: 1,
                    msg: msg.clone(),
                    reason,
                    sent_at: 0,
                    deliver_at: 100,
                });
            }
        }
        let mut node_events = vec![
            NodeEvent::ElectionTimeout { term: 3 },
            NodeEvent::TermLimitReached { term: 9 },
            NodeEvent::TermAdopted { term: 3, from: 2 },
            NodeEvent::RuleBroken(crate::raft::Breach::VotedForLessUpToDate {
                candidate: 1,
                term: 4,
            }),
            NodeEvent::RuleBroken(crate::raft::Breach::CommittedEarlierTerm {
                index: 2,
                entry_term: 2,
                term: 4,
            }),
            NodeEvent::RuleBroken(crate::raft::Breach::KeptRole {
                role: Role::Leader,
                term: 5,
            }),
            NodeEvent::RuleBroken(crate::raft::Breach::ForgotVote {
                voted_for: 0,
                term: 3,
            }),
            NodeEvent::RuleBroken(crate::raft::Breach::KeptEntriesAfterConflict {
                index: 4,
                kept: 2,
            }),
            NodeEvent::RuleBroken(crate::raft::Breach::VotedWithoutTimerReset {
                candidate: 2,
                term: 6,
            }),
            NodeEvent::EntriesDeleted {
                from_index: 3,
                count: 2,
            },
            NodeEvent::ClientEntryAppended { index: 3, term: 2 },
            NodeEvent::CommitAdvanced { from: 1, to: 3 },
            NodeEvent::Applied {
                index: 3,
                entry: entry(2),
            },
            NodeEvent::PreVoteStarted { term: 5 },
            NodeEvent::NoOpAppended { index: 4, term: 5 },
            // CheckQuorum's leader stickiness answers RequestVote with these two.
            NodeEvent::VoteCast {
                candidate: 1,
                term: 4,
                granted: false,
                reason: VoteReason::LeaderRecentlyHeard {
                    leader: 0,
                    ago: 42_500,
                },
            },
            NodeEvent::VoteCast {
                candidate: 1,
                term: 4,
                granted: false,
                reason: VoteReason::StillLeading,
            },
            NodeEvent::QuorumLost {
                term: 4,
                heard_from: vec![],
            },
            NodeEvent::QuorumLost {
                term: 4,
                heard_from: vec![1],
            },
            NodeEvent::TransferStarted { target: 1, term: 4 },
            NodeEvent::TimeoutNowSent {
                target: 1,
                term: 4,
                match_index: 7,
            },
            NodeEvent::TransferAbandoned {
                target: 1,
                term: 4,
                timeout_now_sent: false,
            },
            NodeEvent::TransferAbandoned {
                target: 1,
                term: 4,
                timeout_now_sent: true,
            },
            NodeEvent::TimeoutNowReceived { leader: 0, term: 5 },
            NodeEvent::ReadWaitsForTermCommit { read: 2, term: 4 },
            NodeEvent::ReadIndexNoted {
                read: 2,
                index: 6,
                round: 1,
            },
            NodeEvent::ReadFailed { read: 2, term: 5 },
            NodeEvent::SnapshotTaken {
                index: 8,
                term: 2,
                compacted: 8,
            },
            NodeEvent::SnapshotSent {
                to: 2,
                index: 8,
                term: 2,
                next_index: 3,
            },
        ];
        for outcome in [
            crate::raft::SnapshotOutcome::Installed {
                kept: 0,
                discarded: 0,
            },
            crate::raft::SnapshotOutcome::Installed {
                kept: 0,
                discarded: 3,
            },
            crate::raft::SnapshotOutcome::Installed {
                kept: 2,
                discarded: 0,
            },
            crate::raft::SnapshotOutcome::AlreadyCommitted { commit_index: 9 },
            crate::raft::SnapshotOutcome::StaleTerm { follower_term: 5 },
        ] {
            node_events.push(NodeEvent::SnapshotHandled {
                leader: 0,
                index: 8,
                term: 2,
                outcome,
            });
        }
        for mode in [ReadMode::ReadIndex, ReadMode::Local] {
            for value in [Some(5), None] {
                node_events.push(NodeEvent::ReadAnswered {
                    read: 2,
                    key: "x".into(),
                    value,
                    applied: 6,
                    mode,
                });
            }
        }
        for (from, to) in [
            (Role::Follower, Role::PreCandidate),
            (Role::PreCandidate, Role::Candidate),
            (Role::PreCandidate, Role::Follower),
            (Role::Follower, Role::Candidate),
            (Role::Candidate, Role::Leader),
            (Role::Candidate, Role::Follower),
            (Role::Leader, Role::Follower),
        ] {
            node_events.push(NodeEvent::RoleChanged { from, to, term: 3 });
        }
        for msg in messages() {
            match msg {
                Message::RequestVoteReply(r) => node_events.push(NodeEvent::VoteCast {
                    candidate: 1,
                    term: 4,
                    granted: r.vote_granted,
                    reason: r.reason,
                }),
                Message::PreVoteReply(r) => node_events.push(NodeEvent::PreVoteCast {
                    candidate: 1,
                    term: 5,
                    granted: r.vote_granted,
                    reason: r.reason,
                }),
                Message::AppendEntriesReply(r) => {
                    for entries in [0, 1, 3] {
                        node_events.push(NodeEvent::AppendHandled {
                            leader: 0,
                            term: 4,
                            success: r.success,
                            reason: r.reason.clone(),
                            entries,
                        });
                    }
                }
                _ => {}
            }
        }
        all.extend(
            node_events
                .into_iter()
                .map(|event| EventKind::Node { node: 2, event }),
        );
        let client_events = [
            ClientEvent::Submitted {
                server: 0,
                outcome: ClientOutcome::Appended { index: 3, term: 2 },
            },
            ClientEvent::Submitted {
                server: 1,
                outcome: ClientOutcome::Redirect { leader: 0 },
            },
            ClientEvent::Submitted {
                server: 1,
                outcome: ClientOutcome::Rejected(WhyNotLeader::ElectionInProgress),
            },
            ClientEvent::Submitted {
                server: 1,
                outcome: ClientOutcome::Rejected(WhyNotLeader::NoKnownLeader),
            },
            ClientEvent::Rejected(RejectReason::ServerDown(3)),
            ClientEvent::Rejected(RejectReason::NotLeader(3, WhyNotLeader::ElectionInProgress)),
            ClientEvent::Rejected(RejectReason::NoLeader),
            ClientEvent::Acknowledged {
                leader: 0,
                index: 3,
            },
            ClientEvent::CommittedUnacknowledged { index: 3 },
            ClientEvent::Lost { index: 3 },
        ];
        all.extend(
            client_events
                .into_iter()
                .map(|event| EventKind::Client { write: 4, event }),
        );
        let read_events = [
            ReadEvent::Submitted {
                server: 0,
                outcome: ClientOutcome::ReadAccepted,
            },
            ReadEvent::Submitted {
                server: 1,
                outcome: ClientOutcome::Redirect { leader: 0 },
            },
            ReadEvent::Submitted {
                server: 0,
                outcome: ClientOutcome::Rejected(WhyNotLeader::Transferring { to: 2 }),
            },
            ReadEvent::Rejected(RejectReason::NoLeader),
            ReadEvent::Answered {
                leader: 0,
                key: "x".into(),
                value: Some(3),
                applied: 4,
                mode: ReadMode::Local,
            },
            ReadEvent::Failed {
                leader: 0,
                why: ReadFailure::SteppedDown,
            },
            ReadEvent::Failed {
                leader: 0,
                why: ReadFailure::LeaderCrashed,
            },
        ];
        all.extend(
            read_events
                .into_iter()
                .map(|event| EventKind::Read { read: 2, event }),
        );
        all.push(EventKind::Violation(Violation {
            invariant: Invariant::Linearizability,
            time: 5,
            detail: "read #2 of x answered 1 by S1 is stale".into(),
            stale: Some(Stale {
                read: OpId::Read(2),
                returned: Some(1),
                missed: Some(OpId::Write(3)),
                missed_value: Some(Some(2)),
            }),
        }));
        let command = Command::Set {
            key: "x".into(),
            value: 5,
        };
        let interventions = [
            Intervention::Crash(0),
            Intervention::Restart(0),
            Intervention::Timeout(0),
            Intervention::AlignTimers,
            Intervention::SpreadTimers,
            Intervention::ClientWrite {
                to: WriteTarget::Leader,
                command: command.clone(),
            },
            Intervention::ClientWrite {
                to: WriteTarget::Server(2),
                command,
            },
            Intervention::CutLink { from: 0, to: 1 },
            Intervention::RestoreLink { from: 0, to: 1 },
            Intervention::Isolate(3),
            Intervention::Partition(vec![vec![0, 1], vec![2, 3, 4]]),
            Intervention::Heal,
            Intervention::DropMessage(9),
            Intervention::SetLoss { permille: 150 },
            Intervention::SetDuplication { permille: 5 },
            Intervention::SetLatency {
                min: 10_000,
                max: 20_000,
            },
            Intervention::SetFeatures {
                pre_vote: true,
                check_quorum: false,
                no_op: false,
            },
            Intervention::SetFeatures {
                pre_vote: false,
                check_quorum: true,
                no_op: true,
            },
            Intervention::ClientRead {
                to: WriteTarget::Leader,
                key: "x".into(),
                mode: ReadMode::ReadIndex,
            },
            Intervention::ClientRead {
                to: WriteTarget::Server(1),
                key: "x".into(),
                mode: ReadMode::Local,
            },
            Intervention::TransferLeadership { to: 2 },
            Intervention::SetCompaction { snapshot_every: 8 },
            Intervention::SetCompaction { snapshot_every: 0 },
            Intervention::AddServer,
            Intervention::RemoveServer(2),
        ];
        all.extend(interventions.into_iter().map(EventKind::Intervention));
        all
    }

    #[test]
    fn every_event_kind_has_a_chinese_sentence_without_english_words() {
        let all = every_event_kind();
        assert!(all.len() > 100, "{} kinds", all.len());
        for kind in &all {
            let zh = describe(kind);
            chinese(&zh);
            assert_ne!(zh, english(kind));
        }
        for msg in messages() {
            chinese(&rpc_name(&msg));
        }
    }

    #[test]
    fn the_sentences_keep_the_papers_names_and_the_numbers() {
        let heartbeat = &messages()[6];
        assert_eq!(rpc_name(heartbeat), "心跳（任期 4）");
        let reply = &messages()[1];
        assert_eq!(rpc_name(reply), "投票回复（任期 4，同意）");
        assert_eq!(rpc_name(&messages()[0]), "RequestVote（任期 4）");
        assert_eq!(
            rpc_name(&messages()[8]),
            "AppendEntries（任期 4，2 个条目）"
        );
        let drop = describe(&EventKind::Drop {
            id: 97,
            from: 4,
            to: 0,
            msg: heartbeat.clone(),
            reason: DropReason::ReceiverDown,
            sent_at: 0,
            deliver_at: 9,
        });
        assert_eq!(
            drop,
            "S5 发往 S1 的心跳（任期 4）被丢弃（#97）：接收者已宕机"
        );
        let deliver = describe(&EventKind::Deliver {
            id: 3,
            from: 1,
            to: 0,
            msg: messages()[0].clone(),
        });
        assert_eq!(deliver, "S1 收到来自 S2 的 RequestVote（任期 4）（#3）");
        let split = describe(&EventKind::Intervention(Intervention::Partition(vec![
            vec![0, 1],
            vec![2, 3, 4],
        ])));
        assert_eq!(split, "网络分区为 {S1、S2} 和 {S3、S4、S5}");
    }

    #[test]
    fn a_real_run_reads_in_chinese_event_by_event() {
        let mut sim = Sim::new(SimConfig::with_seed(5, 7)).unwrap();
        sim.run_until_condition(5_000_000, |s| s.leader().is_some());
        let leader = sim.leader().unwrap();
        for i in [
            Intervention::ClientWrite {
                to: WriteTarget::Leader,
                command: Command::parse("SET y 2").unwrap(),
            },
            Intervention::SetLoss { permille: 200 },
            Intervention::Crash(leader),
        ] {
            sim.apply(i).unwrap();
            sim.run_for(400_000);
        }
        let events: Vec<&TraceEvent> = sim.trace().iter().collect();
        assert!(events.len() > 50);
        for e in events {
            chinese(&describe(&e.kind));
        }
    }

    #[test]
    fn the_violation_line_names_the_property_in_chinese() {
        let line = describe(&EventKind::Violation(Violation {
            invariant: Invariant::LogMatching,
            time: 5,
            detail: "evidence".into(),
            stale: None,
        }));
        assert!(line.starts_with("安全性被违反：日志匹配："), "{line}");
    }

    #[test]
    fn refusals_a_reader_can_cause_read_in_chinese() {
        let mut sim = Sim::new(SimConfig::with_seed(5, 7)).unwrap();
        sim.run_until_condition(5_000_000, |s| s.leader().is_some());
        let leader = sim.leader().unwrap();
        let mut texts = vec![
            sim.apply(Intervention::Timeout(leader)).unwrap_err(),
            sim.apply(Intervention::Restart(leader)).unwrap_err(),
            sim.apply(Intervention::Crash(9)).unwrap_err(),
            sim.apply(Intervention::DropMessage(99_999)).unwrap_err(),
            sim.apply(Intervention::CutLink { from: 1, to: 1 })
                .unwrap_err(),
            sim.apply(Intervention::SetLoss { permille: 2000 })
                .unwrap_err(),
            Command::parse("PUT x").unwrap_err(),
            Command::parse("SET x 5.5").unwrap_err(),
            Command::parse("SET x-y 5").unwrap_err(),
            decode_link("").unwrap_err(),
            decode_link("!!!").unwrap_err(),
            decode_link("eyJ4Ijo").unwrap_err(),
            import_trace("{").unwrap_err(),
            import_trace("{\"format\": \"x\"}").unwrap_err(),
            import_trace("{\"format\": \"raft-playground-trace\"}").unwrap_err(),
        ];
        // Membership: too early (nothing of the leader's term committed), then one change
        // at a time.
        texts.push(sim.apply(Intervention::AddServer).unwrap_err());
        sim.apply(Intervention::ClientWrite {
            to: WriteTarget::Leader,
            command: Command::parse("SET x 1").unwrap(),
        })
        .unwrap();
        sim.run_for(300_000);
        sim.apply(Intervention::AddServer).unwrap();
        texts.push(sim.apply(Intervention::AddServer).unwrap_err());
        texts.push(sim.apply(Intervention::RemoveServer(1)).unwrap_err());
        // S6, a learner: it may neither lead nor time out.
        texts.push(
            sim.apply(Intervention::TransferLeadership { to: 5 })
                .unwrap_err(),
        );
        texts.push(sim.apply(Intervention::Timeout(5)).unwrap_err());
        sim.apply(Intervention::Crash(leader)).unwrap();
        texts.push(sim.apply(Intervention::Crash(leader)).unwrap_err());
        texts.push(sim.apply(Intervention::Timeout(leader)).unwrap_err());
        for text in texts {
            let zh = refusal(&text);
            chinese(&zh);
        }
        assert_eq!(
            refusal("intervention 3: S2 is already down"),
            "第 3 次干预：S2 已经宕机了"
        );
        assert_eq!(refusal("something new"), "something new");
    }

    #[test]
    fn the_bounds_refusals_read_in_chinese() {
        let mut sim = Sim::new(SimConfig::with_seed(5, 7)).unwrap();
        let mut config = SimConfig::with_seed(5, 7);
        config.raft.max_entries_per_append = 1_000_000_000;
        let mut texts = vec![
            sim.apply(Intervention::SetDuplication { permille: 1000 })
                .unwrap_err(),
            sim.apply(Intervention::SetLatency {
                min: 1_000,
                max: 60_000_000,
            })
            .unwrap_err(),
            sim.apply(Intervention::Partition(vec![vec![]; 10]))
                .unwrap_err(),
            sim.set_persistent_state(0, u64::MAX, None, &[]).unwrap_err(),
            sim.set_persistent_state(0, 5, None, &[1; 1001]).unwrap_err(),
            sim.set_persistent_state(0, 5, Some(7), &[]).unwrap_err(),
            Sim::new(config).map(|_| ()).unwrap_err(),
            crate::sim::bounds::over_budget(),
            "replaying this run would take about 7000000 events, more than the 6000000 a replay may take (about 9000 events per virtual second at its settings)".into(),
            "the trace lists no events, but its run has 12: the file is incomplete".into(),
        ];
        let mut config = SimConfig::with_seed(5, 7);
        config.net.loss_permille = 1001;
        texts.push(Sim::new(config).map(|_| ()).unwrap_err());
        for text in texts {
            let zh = refusal(&text);
            assert_ne!(zh, text, "no Chinese for: {text}");
            chinese(&zh);
        }
    }

    #[test]
    fn patterns_match_whole_texts_only() {
        assert_eq!(captures("S{} is down", "S2 is down"), Some(vec!["2"]));
        assert_eq!(captures("S{} is down", "S2 is already down"), None);
        assert_eq!(captures("abc", "abc"), Some(vec![]));
        assert_eq!(captures("abc", "abcd"), None);
        assert_eq!(
            captures("intervention {}: {}", "intervention 3: a: b"),
            Some(vec!["3", "a: b"])
        );
    }
}
