//! The trace: every event of a run with its virtual time, and the one formatter that
//! turns an event into a plain sentence for tests, the event log and exports.

use serde::{Deserialize, Serialize};

use super::{
    DropReason, Intervention, Links, MsgId, ReadFailure, RejectReason, Violation, WriteTarget,
};
use crate::raft::{
    AppendReason, ClientOutcome, LogIndex, Message, NodeEvent, NodeId, ReadId, ReadMode, Role,
    SnapshotOutcome, Term, Time, VoteReason, WhyNotLeader, WriteId, membership::ConfigChange,
    server_name as name,
};

/// What happened to a client write at one moment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ClientEvent {
    /// The client sent the write to `server`; the server answered `outcome`.
    Submitted {
        server: NodeId,
        outcome: ClientOutcome,
    },
    Rejected(RejectReason),
    /// The leader applied the entry and answered the client.
    Acknowledged {
        leader: NodeId,
        index: LogIndex,
    },
    /// The entry was committed by a later leader; nobody answered the client.
    CommittedUnacknowledged {
        index: LogIndex,
    },
    /// Another entry was committed at its index.
    Lost {
        index: LogIndex,
    },
}

/// What happened to a client read at one moment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReadEvent {
    /// The client sent the read to `server`; the server answered `outcome`.
    Submitted {
        server: NodeId,
        outcome: ClientOutcome,
    },
    Rejected(RejectReason),
    /// The leader answered the client.
    Answered {
        leader: NodeId,
        key: String,
        value: Option<i64>,
        applied: LogIndex,
        mode: ReadMode,
    },
    /// The leader could not answer.
    Failed {
        leader: NodeId,
        why: ReadFailure,
    },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum EventKind {
    Send {
        id: MsgId,
        from: NodeId,
        to: NodeId,
        msg: Message,
        deliver_at: Time,
        duplicate: bool,
    },
    Deliver {
        id: MsgId,
        from: NodeId,
        to: NodeId,
        msg: Message,
    },
    Drop {
        id: MsgId,
        from: NodeId,
        to: NodeId,
        msg: Message,
        reason: DropReason,
        /// When the message left and when it would have arrived: where it was lost.
        #[serde(default)]
        sent_at: Time,
        #[serde(default)]
        deliver_at: Time,
    },
    Node {
        node: NodeId,
        event: NodeEvent,
    },
    Client {
        write: WriteId,
        event: ClientEvent,
    },
    Read {
        read: ReadId,
        event: ReadEvent,
    },
    Intervention(Intervention),
    Violation(Violation),
}

/// One event of the run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TraceEvent {
    pub time: Time,
    pub kind: EventKind,
}

/// `1234567` µs as `1234.567 ms`.
pub fn format_time(t: Time) -> String {
    format!("{}.{:03} ms", t / 1000, t % 1000)
}

pub fn rpc_name(msg: &Message) -> String {
    match msg {
        Message::RequestVote(m) => format!("RequestVote (term {})", m.term),
        Message::RequestVoteReply(m) => {
            format!(
                "vote reply (term {}, {})",
                m.term,
                if m.vote_granted { "granted" } else { "denied" }
            )
        }
        Message::AppendEntries(m) if m.entries.is_empty() => format!("heartbeat (term {})", m.term),
        Message::AppendEntries(m) => {
            let n = m.entries.len();
            format!(
                "AppendEntries (term {}, {n} entr{})",
                m.term,
                if n == 1 { "y" } else { "ies" }
            )
        }
        Message::AppendEntriesReply(m) => {
            format!(
                "AppendEntries reply (term {}, {})",
                m.term,
                if m.success { "success" } else { "failure" }
            )
        }
        Message::PreVote(m) => format!("PreVote (for term {})", m.term),
        Message::PreVoteReply(m) => format!(
            "pre-vote reply (term {}, {})",
            m.term,
            if m.vote_granted { "yes" } else { "no" }
        ),
        Message::TimeoutNow(m) => format!("TimeoutNow (term {})", m.term),
        Message::InstallSnapshot(m) => format!(
            "InstallSnapshot (term {}, snapshot up to index {})",
            m.term, m.snapshot.last_included_index
        ),
        Message::InstallSnapshotReply(m) if m.match_index > 0 => format!(
            "InstallSnapshot reply (term {}, has index {})",
            m.term, m.match_index
        ),
        Message::InstallSnapshotReply(m) => {
            format!("InstallSnapshot reply (term {}, refused)", m.term)
        }
    }
}

pub fn vote_reason(reason: &VoteReason, candidate: NodeId) -> String {
    match reason {
        VoteReason::Granted => {
            format!(
                "it has not voted in this term and {}'s log is at least as up to date as its own",
                name(candidate)
            )
        }
        VoteReason::GrantedWithoutLogCheck {
            voter_last_term,
            voter_last_index,
        } => format!(
            "it has not voted in this term; its own log (last entry term {voter_last_term}, index {voter_last_index}) is more up to date than {}'s, but this run breaks the rule that would refuse",
            name(candidate)
        ),
        VoteReason::GrantedAgain => {
            "it already voted for this candidate (a repeated request)".to_string()
        }
        VoteReason::StaleTerm { voter_term } => {
            format!("the candidate's term is older than its own term {voter_term}")
        }
        VoteReason::AlreadyVoted { for_candidate } => {
            format!("already voted for {}", name(*for_candidate))
        }
        VoteReason::LogNotUpToDate {
            voter_last_term,
            voter_last_index,
        } => format!(
            "its own log is more up to date (last entry: index {voter_last_index}, term {voter_last_term})"
        ),
        VoteReason::LeaderRecentlyHeard { leader, ago } => format!(
            "it heard from its leader {} {} ago, within the shortest election timeout, so the leader is alive",
            name(*leader),
            format_time(*ago)
        ),
        VoteReason::StillLeading => "it is itself the leader of its term".to_string(),
        VoteReason::PreVoteNotAhead { voter_term } => {
            format!("the proposed term is not above its own term {voter_term}")
        }
        VoteReason::PreVoteGranted => format!(
            "it has heard from no leader of its term within the shortest election timeout, and {}'s log is at least as up to date as its own",
            name(candidate)
        ),
    }
}

pub fn append_reason(reason: &AppendReason) -> String {
    match reason {
        AppendReason::Accepted => "the logs match".to_string(),
        AppendReason::StaleTerm { follower_term } => {
            format!("the sender's term is older than its own term {follower_term}")
        }
        AppendReason::MissingEntry {
            prev_log_index,
            follower_last_index,
        } => {
            format!("no entry at index {prev_log_index} (its log ends at {follower_last_index})")
        }
        AppendReason::TermMismatch {
            prev_log_index,
            expected_term,
            found_term,
        } => {
            format!(
                "the entry at index {prev_log_index} has term {found_term}, not {expected_term}"
            )
        }
    }
}

fn drop_reason(reason: DropReason) -> &'static str {
    match reason {
        DropReason::Lost => "the network lost it",
        DropReason::LinkCut => "the link is cut",
        DropReason::ReceiverDown => "the receiver is down",
        DropReason::SenderCrashed => "the sender crashed",
        DropReason::ReceiverCrashed => "the receiver crashed",
        DropReason::DroppedByUser => "it was dropped by hand",
    }
}

fn why_not_leader(server: NodeId, why: WhyNotLeader) -> String {
    match why {
        WhyNotLeader::ElectionInProgress => {
            format!("{} is a candidate: an election is under way", name(server))
        }
        WhyNotLeader::NoKnownLeader => format!("{} knows no leader", name(server)),
        WhyNotLeader::Transferring { to } => format!(
            "{} is handing its leadership to {} and takes no requests meanwhile",
            name(server),
            name(to)
        ),
    }
}

fn reject_reason(reason: RejectReason) -> String {
    match reason {
        RejectReason::ServerDown(s) => format!("{} is down", name(s)),
        RejectReason::NotLeader(s, why) => why_not_leader(s, why),
        RejectReason::NoLeader => "there is no leader right now".to_string(),
    }
}

fn role_name(role: Role) -> &'static str {
    role.name()
}

fn group_names(group: &[NodeId]) -> String {
    group
        .iter()
        .map(|&n| name(n))
        .collect::<Vec<_>>()
        .join(", ")
}

/// What a sentence about an event may need beyond the event: the cluster's size (a lone
/// server has no others to ask for votes) and, for a partition, the links as they stood
/// right after it (cut on top of earlier cuts, they can form more groups than it names).
/// Without it ([`describe`]) the sentences say what the event alone says.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Context {
    pub servers: Option<NodeId>,
    pub links_after: Option<Links>,
    /// The run breaks the lab's rule that `votedFor` survives a crash: a restart keeps
    /// the term and the log, not the vote.
    pub forgets_vote: bool,
    /// The run breaks the lab's rule that a conflict deletes what follows: an accepted
    /// AppendEntries matched at its previous entry, not necessarily beyond.
    pub keeps_conflicts: bool,
}

impl Context {
    /// A lone server: its own vote is the whole majority.
    pub fn alone(&self) -> bool {
        self.servers == Some(1)
    }

    /// What a partition that named the groups `named` really left, from the links
    /// after it.
    pub fn partition_outcome(&self, named: &[Vec<NodeId>]) -> PartitionOutcome {
        let (Some(links), Some(n)) = (&self.links_after, self.servers) else {
            return PartitionOutcome::Unknown;
        };
        match links.groups(n) {
            Some(mut groups) => {
                // In the order it named them, where it can: a split that left just the
                // groups it named reads as it was asked for.
                let asked = |s: &NodeId| named.iter().position(|g| g.contains(s));
                groups.sort_by_key(|g| {
                    let first_asked = g.iter().filter_map(asked).min();
                    (first_asked.unwrap_or(usize::MAX), g[0])
                });
                PartitionOutcome::Groups(groups)
            }
            None => {
                let mut groups = named.to_vec();
                let rest: Vec<NodeId> = (0..n)
                    .filter(|s| !named.iter().flatten().any(|x| x == s))
                    .collect();
                if !rest.is_empty() {
                    groups.push(rest);
                }
                PartitionOutcome::OneWayCuts(groups)
            }
        }
    }
}

/// What the network looks like after a partition, for its sentence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PartitionOutcome {
    /// These groups talk within and are cut from one another, both ways.
    Groups(Vec<Vec<NodeId>>),
    /// One-way cuts made earlier leave no clean groups; these are the groups it named
    /// (the servers it did not name as one more).
    OneWayCuts(Vec<Vec<NodeId>>),
    /// The links are not known: only the groups it named.
    Unknown,
}

/// `{S1, S2}, {S3, S4} and {S5}`.
fn group_list(groups: &[Vec<NodeId>]) -> String {
    let named: Vec<String> = groups
        .iter()
        .map(|g| format!("{{{}}}", group_names(g)))
        .collect();
    match named.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => named.concat(),
    }
}

fn partition(named: &[Vec<NodeId>], ctx: &Context) -> String {
    match ctx.partition_outcome(named) {
        PartitionOutcome::Groups(groups) if groups.len() == 1 => {
            "the network is not split: every server can still reach every other".to_string()
        }
        PartitionOutcome::Groups(groups) => {
            format!("the network splits into {}", group_list(&groups))
        }
        PartitionOutcome::OneWayCuts(groups) => format!(
            "the links between {} are cut; links cut earlier stay cut",
            group_list(&groups)
        ),
        // What the event alone says: the groups asked for.
        PartitionOutcome::Unknown => format!(
            "the network splits into {}",
            named
                .iter()
                .map(|g| format!("{{{}}}", group_names(g)))
                .collect::<Vec<_>>()
                .join(" and ")
        ),
    }
}

fn intervention(i: &Intervention, ctx: &Context) -> String {
    match i {
        Intervention::Crash(n) => format!("{} crashes", name(*n)),
        Intervention::Restart(n) if ctx.forgets_vote => format!(
            "{} restarts with its term and log, but not its vote (the rule broken in this run)",
            name(*n)
        ),
        Intervention::Restart(n) => format!("{} restarts with its term, vote and log", name(*n)),
        Intervention::Timeout(n) => format!("{}'s election timer is made to run out now", name(*n)),
        Intervention::AlignTimers => {
            "all election timers are aligned to run out together".to_string()
        }
        Intervention::SpreadTimers => "election timers are spread apart".to_string(),
        Intervention::ClientWrite {
            to: WriteTarget::Leader,
            command,
        } => format!("a client sends {command} to the leader"),
        Intervention::ClientWrite {
            to: WriteTarget::Server(n),
            command,
        } => {
            format!("a client sends {command} to {}", name(*n))
        }
        Intervention::CutLink { from, to } => {
            format!("the link from {} to {} is cut", name(*from), name(*to))
        }
        Intervention::RestoreLink { from, to } => {
            format!("the link from {} to {} is restored", name(*from), name(*to))
        }
        Intervention::Isolate(n) => format!("{} is cut off from every other server", name(*n)),
        Intervention::Partition(groups) => partition(groups, ctx),
        Intervention::Heal => "the network heals: every link works again".to_string(),
        Intervention::DropMessage(id) => format!("message #{id} is dropped by hand"),
        Intervention::SetLoss { permille } => {
            format!("message loss set to {:.1}%", *permille as f64 / 10.0)
        }
        Intervention::SetDuplication { permille } => {
            format!("message duplication set to {:.1}%", *permille as f64 / 10.0)
        }
        Intervention::SetLatency { min, max } => {
            format!(
                "one-way latency set to {}–{} ms",
                *min as f64 / 1000.0,
                *max as f64 / 1000.0
            )
        }
        Intervention::SetFeatures {
            pre_vote,
            check_quorum,
            no_op,
        } => format!(
            "Raft features: PreVote {}, CheckQuorum {}, leader no-op {}",
            if *pre_vote { "on" } else { "off" },
            if *check_quorum { "on" } else { "off" },
            if *no_op { "on" } else { "off" }
        ),
        Intervention::ClientRead { to, key, mode } => format!(
            "a client reads {key} ({}) from {}",
            read_mode(*mode),
            match to {
                WriteTarget::Server(s) => name(*s),
                WriteTarget::Leader => "the leader".to_string(),
            }
        ),
        Intervention::TransferLeadership { to } => {
            format!(
                "the leader is asked to hand its leadership to {}",
                name(*to)
            )
        }
        Intervention::AddServer => {
            "a new server starts, and the leader is asked to add it to the cluster".to_string()
        }
        Intervention::RemoveServer(id) => {
            format!(
                "the leader is asked to remove {} from the cluster",
                name(*id)
            )
        }
        Intervention::SetCompaction { snapshot_every: 0 } => {
            "log compaction off: servers keep every log entry".to_string()
        }
        Intervention::SetCompaction { snapshot_every } => format!(
            "log compaction on: each server takes a snapshot every {snapshot_every} applied entr{}",
            if *snapshot_every == 1 { "y" } else { "ies" }
        ),
    }
}

/// How a read is served, in a few words.
pub fn read_mode(mode: ReadMode) -> &'static str {
    match mode {
        ReadMode::ReadIndex => "ReadIndex",
        ReadMode::Local => "local read",
    }
}

/// A value as a read returns it.
pub fn read_value(value: Option<i64>) -> String {
    value.map_or("no value".to_string(), |v| v.to_string())
}

/// What a server did under the lab's broken rule, and which rule of Figure 2 forbids it.
fn breach_words(n: &str, breach: &crate::raft::Breach) -> String {
    use crate::raft::Breach;
    match breach {
        Breach::VotedForLessUpToDate { candidate, term } => format!(
            "{n} breaks a rule: it votes for {c} in term {term} although {c}'s log is less up to date than its own (section 5.4.1's check is off)",
            c = name(*candidate)
        ),
        Breach::CommittedEarlierTerm {
            index,
            entry_term,
            term,
        } => format!(
            "{n} breaks a rule: as leader of term {term} it commits entry {index} of term {entry_term} by counting replicas (Figure 8 shows why it must not)"
        ),
        Breach::KeptRole { role, term } => format!(
            "{n} breaks a rule: it adopts term {term} but stays {}",
            role.name()
        ),
        Breach::ForgotVote { voted_for, term } => format!(
            "{n} breaks a rule: it restarts without its vote for {} in term {term} (votedFor was not on stable storage)",
            name(*voted_for)
        ),
        Breach::KeptEntriesAfterConflict { index, kept } => format!(
            "{n} breaks a rule: it overwrites the conflicting entry {index} and keeps the {kept} entries after it"
        ),
        Breach::VotedWithoutTimerReset { candidate, term } => format!(
            "{n} breaks a rule: it votes for {} in term {term} without restarting its election timer",
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
            "{n} becomes a candidate for term {term} and votes for itself: alone in the cluster, its own vote is a majority"
        ),
        NodeEvent::RoleChanged {
            to: Role::Leader,
            term,
            ..
        } if ctx.alone() => {
            format!("{n} becomes leader for term {term} with its own vote, a majority of one")
        }
        NodeEvent::ElectionTimeout { term } => {
            format!(
                "{n}'s election timeout elapsed without hearing from a leader; it starts an election for term {term}"
            )
        }
        NodeEvent::TermLimitReached { term } => format!(
            "{n}'s election timeout elapsed, but its term {term} is the highest a term may be: it starts no election"
        ),
        NodeEvent::TermAdopted { term, from } => {
            format!("{n} sees term {term} from {} and adopts it", name(*from))
        }
        NodeEvent::RuleBroken(breach) => breach_words(&n, breach),
        NodeEvent::RoleChanged { from, to, term } => match to {
            Role::Candidate => format!(
                "{n} becomes a candidate for term {term}, votes for itself and asks the others"
            ),
            Role::Leader => format!("{n} wins a majority and becomes leader for term {term}"),
            Role::Follower => format!(
                "{n} steps down from {} to follower in term {term}",
                role_name(*from)
            ),
            Role::PreCandidate => format!(
                "{n} becomes a pre-candidate in term {term}: it asks the others whether they would vote for it, without raising its term"
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
                    "it has no vote of this term on record (votes are forgotten in a crash in this run) and {}'s log is at least as up to date as its own",
                    name(*candidate)
                ),
                _ => vote_reason(reason, *candidate),
            };
            format!(
                "{n} grants its vote to {} in term {term}: {why}",
                name(*candidate)
            )
        }
        NodeEvent::VoteCast {
            candidate,
            term,
            granted: false,
            reason,
        } => {
            let why = match reason {
                // A candidate that already voted for itself.
                VoteReason::AlreadyVoted { for_candidate } if *for_candidate == node => {
                    "it already voted for itself".to_string()
                }
                _ => vote_reason(reason, *candidate),
            };
            format!(
                "{n} denies its vote to {} in term {term}: {why}",
                name(*candidate)
            )
        }
        NodeEvent::AppendHandled {
            leader,
            success: true,
            entries: 0,
            ..
        } => {
            format!(
                "{n} accepts the heartbeat from {} and resets its election timer",
                name(*leader)
            )
        }
        NodeEvent::AppendHandled {
            leader,
            success: true,
            entries,
            ..
        } => {
            format!(
                "{n} accepts {entries} entr{} from {}: {}",
                if *entries == 1 { "y" } else { "ies" },
                name(*leader),
                if ctx.keeps_conflicts {
                    "its log matches at the entry before them (what follows a conflict is kept in this run)"
                } else {
                    "the logs match"
                }
            )
        }
        NodeEvent::AppendHandled {
            leader,
            success: false,
            reason,
            ..
        } => {
            format!(
                "{n} rejects AppendEntries from {}: {}",
                name(*leader),
                append_reason(reason)
            )
        }
        NodeEvent::EntriesDeleted { from_index, count } => format!(
            "{n} deletes {count} conflicting entr{} from index {from_index} on",
            if *count == 1 { "y" } else { "ies" }
        ),
        NodeEvent::ClientEntryAppended { index, term } => {
            format!("{n} appends the client's command at index {index} in term {term}, uncommitted")
        }
        NodeEvent::CommitAdvanced { from, to } => {
            format!("{n} advances its commit index from {from} to {to}")
        }
        NodeEvent::Applied { index, entry } => {
            format!(
                "{n} applies entry {index} ({}) to its state machine",
                entry.command
            )
        }
        NodeEvent::PreVoteStarted { term } => format!(
            "{n}'s election timeout elapsed without hearing from a leader; before raising its term it asks whether the others would vote for it in term {term}"
        ),
        NodeEvent::PreVoteCast {
            candidate,
            term,
            granted: true,
            reason,
        } => format!(
            "{n} would vote for {} in term {term}: {} (its own term does not change)",
            name(*candidate),
            vote_reason(reason, *candidate)
        ),
        NodeEvent::PreVoteCast {
            candidate,
            term,
            granted: false,
            reason,
        } => format!(
            "{n} would not vote for {} in term {term}: {}",
            name(*candidate),
            vote_reason(reason, *candidate)
        ),
        NodeEvent::NoOpAppended { index, term } => format!(
            "{n}, newly leader, appends a no-op entry of its term {term} at index {index}: once it reaches a majority, it commits every entry before it"
        ),
        NodeEvent::QuorumLost { term, heard_from } => format!(
            "{n} heard from {} in the last election timeout, not a majority: it steps down as leader of term {term}",
            if heard_from.is_empty() {
                "no other server".to_string()
            } else {
                group_names(heard_from)
            }
        ),
        NodeEvent::TransferStarted { target, term } => format!(
            "{n}, leader of term {term}, starts handing its leadership to {}: it takes no more client requests and brings {}'s log up to date",
            name(*target),
            name(*target)
        ),
        NodeEvent::TimeoutNowSent {
            target,
            match_index,
            ..
        } => format!(
            "{}'s log matches {n}'s up to its last entry, index {match_index}: {n} sends it TimeoutNow",
            name(*target)
        ),
        NodeEvent::TransferAbandoned {
            target,
            timeout_now_sent,
            ..
        } => format!(
            "{n} gives up handing its leadership to {} after an election timeout{}; it takes client requests again",
            name(*target),
            if *timeout_now_sent {
                ": no election followed its TimeoutNow"
            } else {
                ": its log never caught up"
            }
        ),
        NodeEvent::TimeoutNowReceived { leader, term } => format!(
            "{n} receives TimeoutNow from {}: it starts an election for term {term} at once, without waiting for its timer",
            name(*leader)
        ),
        NodeEvent::ReadWaitsForTermCommit { read, term } => format!(
            "read #{read} waits: no entry of {n}'s term {term} is committed yet, so {n} does not know the latest commit index"
        ),
        NodeEvent::ReadIndexNoted { read, index, .. } => format!(
            "{n} notes its commit index {index} for read #{read} and sends a heartbeat round to confirm it still leads"
        ),
        NodeEvent::ReadAnswered {
            read,
            key,
            value,
            applied,
            mode: ReadMode::ReadIndex,
        } => format!(
            "a majority confirmed {n} still leads: it answers read #{read}: {key} = {} (applied up to index {applied})",
            read_value(*value)
        ),
        NodeEvent::ReadAnswered {
            read,
            key,
            value,
            applied,
            mode: ReadMode::Local,
        } => format!(
            "{n} answers read #{read} from its own state at once, without asking anyone: {key} = {} (applied up to index {applied})",
            read_value(*value)
        ),
        NodeEvent::ReadFailed { read, term } => {
            format!("{n} is no longer leader (term {term}): read #{read} gets no answer")
        }
        NodeEvent::SnapshotTaken {
            index,
            term,
            compacted,
        } => format!(
            "{n} takes a snapshot of its state machine up to index {index} (term {term}) and drops the {compacted} log entr{} it replaces",
            if *compacted == 1 { "y" } else { "ies" }
        ),
        NodeEvent::SnapshotSent {
            to,
            index,
            next_index,
            ..
        } => format!(
            "{} needs entry {next_index}, which {n} has compacted into its snapshot: {n} sends it InstallSnapshot up to index {index}",
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
                ConfigChange::AddLearner(id) => format!(
                    "to add {} as a learner: it receives the log but does not vote yet",
                    name(*id)
                ),
                ConfigChange::Promote(id) => format!("to make {}, caught up, a voter", name(*id)),
                ConfigChange::Remove(id) => format!("to remove {}", name(*id)),
            };
            format!(
                "{n} appends a configuration entry at index {index} {what}; from it on, {} vote{} and a majority is {}",
                group_names(&config.voters.iter().copied().collect::<Vec<_>>()),
                if config.voters.len() == 1 { "s" } else { "" },
                config.majority()
            )
        }
        NodeEvent::CatchUpRound {
            learner,
            round,
            took,
            caught_up,
        } => format!(
            "{}'s catch-up round {round} took {}{}",
            name(*learner),
            format_time(*took),
            if *caught_up {
                ", less than the shortest election timeout: it is close enough to current to vote"
            } else {
                ": too slow, another round follows"
            }
        ),
        NodeEvent::LeftCluster { term, index } => format!(
            "{n}'s removal at index {index} is committed: it steps down as leader of term {term} and leaves the cluster"
        ),
    }
}

fn snapshot_outcome(n: &str, leader: String, index: LogIndex, outcome: &SnapshotOutcome) -> String {
    match outcome {
        SnapshotOutcome::Installed { kept, discarded } => {
            let log = match (kept, discarded) {
                (0, 0) => "its log had nothing after it".to_string(),
                (0, d) => format!(
                    "its log did not have the snapshot's last entry, so it discards its {d} entr{}",
                    if *d == 1 { "y" } else { "ies" }
                ),
                (k, _) => format!(
                    "it keeps the {k} entr{} that follow the snapshot",
                    if *k == 1 { "y" } else { "ies" }
                ),
            };
            format!(
                "{n} installs {leader}'s snapshot up to index {index}: its state machine is now the snapshot's, and {log}"
            )
        }
        SnapshotOutcome::AlreadyCommitted { commit_index } => format!(
            "{n} ignores {leader}'s snapshot up to index {index}: it has committed up to index {commit_index} already"
        ),
        SnapshotOutcome::StaleTerm { follower_term } => format!(
            "{n} refuses {leader}'s snapshot: {leader}'s term is older than its own term {follower_term}"
        ),
    }
}

fn read_event(read: ReadId, event: &ReadEvent) -> String {
    match event {
        ReadEvent::Submitted { server, outcome } => match outcome {
            ClientOutcome::ReadAccepted | ClientOutcome::Appended { .. } => {
                format!("read #{read} reaches leader {}", name(*server))
            }
            ClientOutcome::Redirect { leader } => format!(
                "read #{read}: {} is not the leader and redirects the client to {}",
                name(*server),
                name(*leader)
            ),
            ClientOutcome::Rejected(why) => {
                format!("read #{read} is refused: {}", why_not_leader(*server, *why))
            }
        },
        ReadEvent::Rejected(reason) => {
            format!("read #{read} is refused: {}", reject_reason(*reason))
        }
        ReadEvent::Answered {
            leader, key, value, ..
        } => format!(
            "the client gets {key} = {} from {} for read #{read}",
            read_value(*value),
            name(*leader)
        ),
        ReadEvent::Failed { leader, why } => format!(
            "read #{read} gets no answer: {}",
            match why {
                ReadFailure::SteppedDown => format!("{} stepped down first", name(*leader)),
                ReadFailure::LeaderCrashed => format!("{} crashed first", name(*leader)),
            }
        ),
    }
}

/// The plain sentence for one event, without its time.
pub fn describe(kind: &EventKind) -> String {
    describe_in(kind, &Context::default())
}

/// [`describe`], in words that fit the run the event belongs to.
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
            "{} sends {} to {} (#{id}{})",
            name(*from),
            rpc_name(msg),
            name(*to),
            if *duplicate {
                ", duplicated by the network"
            } else {
                ""
            }
        ),
        EventKind::Deliver { id, from, to, msg } => {
            format!(
                "{} receives {} from {} (#{id})",
                name(*to),
                rpc_name(msg),
                name(*from)
            )
        }
        EventKind::Drop {
            id,
            from,
            to,
            msg,
            reason,
            ..
        } => format!(
            "{} from {} to {} is dropped (#{id}): {}",
            rpc_name(msg),
            name(*from),
            name(*to),
            drop_reason(*reason)
        ),
        EventKind::Node { node, event } => node_event(*node, event, ctx),
        EventKind::Client { write, event } => match event {
            ClientEvent::Submitted { server, outcome } => match outcome {
                ClientOutcome::ReadAccepted => format!("write #{write} reaches {}", name(*server)),
                ClientOutcome::Appended { index, .. } => {
                    format!(
                        "write #{write} reaches leader {}, which puts it at index {index}",
                        name(*server)
                    )
                }
                ClientOutcome::Redirect { leader } => format!(
                    "write #{write}: {} is not the leader and redirects the client to {}",
                    name(*server),
                    name(*leader)
                ),
                ClientOutcome::Rejected(why) => format!(
                    "write #{write} is refused: {}",
                    why_not_leader(*server, *why)
                ),
            },
            ClientEvent::Rejected(reason) => {
                format!("write #{write} is refused: {}", reject_reason(*reason))
            }
            ClientEvent::Acknowledged { leader, index } => {
                format!(
                    "write #{write} is committed at index {index}; {} answers the client: success",
                    name(*leader)
                )
            }
            ClientEvent::CommittedUnacknowledged { index } => format!(
                "write #{write} is committed at index {index} by a later leader; the client never got an answer"
            ),
            ClientEvent::Lost { index } => {
                format!("write #{write} is lost: another entry was committed at index {index}")
            }
        },
        EventKind::Read { read, event } => read_event(*read, event),
        EventKind::Intervention(i) => intervention(i, ctx),
        EventKind::Violation(v) => {
            format!("SAFETY VIOLATION: {}: {}", v.invariant.name(), v.detail)
        }
    }
}

impl TraceEvent {
    /// `[1234.567 ms] S3 grants its vote to S2 in term 4: ...`
    pub fn sentence(&self) -> String {
        format!("[{}] {}", format_time(self.time), describe(&self.kind))
    }

    /// The server this event is about, if one (for filtering and highlighting).
    pub fn server(&self) -> Option<NodeId> {
        match &self.kind {
            EventKind::Send { from, .. } => Some(*from),
            EventKind::Deliver { to, .. } => Some(*to),
            EventKind::Drop { to, .. } => Some(*to),
            EventKind::Node { node, .. } => Some(*node),
            _ => None,
        }
    }
}

/// The term a message or event is about, used to colour it.
pub fn term_of(kind: &EventKind) -> Option<Term> {
    match kind {
        EventKind::Send { msg, .. }
        | EventKind::Deliver { msg, .. }
        | EventKind::Drop { msg, .. } => Some(msg.term()),
        EventKind::Node {
            event: NodeEvent::RoleChanged { term, .. },
            ..
        } => Some(*term),
        _ => None,
    }
}
