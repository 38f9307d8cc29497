//! The two RPCs of Figure 2 and their replies. Replies carry the reason for their
//! answer, so that a student who asks "why was my vote denied?" gets an answer
//! from the data itself.

use serde::{Deserialize, Serialize};

use super::{Entry, InstallSnapshot, InstallSnapshotReply, LogIndex, NodeId, Term, Time};

/// Invoked by candidates to gather votes (Figure 2, RequestVote RPC).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestVote {
    pub term: Term,
    pub candidate_id: NodeId,
    pub last_log_index: LogIndex,
    pub last_log_term: Term,
    /// Sent because the leader handed its leadership over (TimeoutNow): a voter that
    /// believes that leader alive must not ignore it (leadership transfer,
    /// [`crate::raft::transfer`]). Left out when false, as every election before it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub transfer: bool,
}

/// Why a vote was granted or denied.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum VoteReason {
    /// Not voted yet in this term and the candidate's log is at least as up to date.
    Granted,
    /// Already granted the vote to this same candidate (a duplicate request).
    GrantedAgain,
    /// The candidate's term is older than the voter's.
    StaleTerm { voter_term: Term },
    /// Only one vote per term, and it went to someone else.
    AlreadyVoted { for_candidate: NodeId },
    /// The voter's log is more up to date than the candidate's (section 5.4.1).
    LogNotUpToDate {
        voter_last_term: Term,
        voter_last_index: LogIndex,
    },
    /// The voter heard from its leader `ago` ago, within the shortest election timeout:
    /// the leader is alive, so the election is ignored (PreVote's rule, and CheckQuorum's
    /// leader stickiness; dissertation 9.6 and 6.2). The voter keeps its term.
    LeaderRecentlyHeard { leader: NodeId, ago: Time },
    /// The voter is itself the leader of its term: a leader is alive. (With CheckQuorum
    /// a leader that stops hearing from a majority steps down, so it is one that does.)
    StillLeading,
    /// A pre-vote for a term that is not above the voter's own.
    PreVoteNotAhead { voter_term: Term },
    /// Granted although the voter's log is more up to date than the candidate's: the lab's
    /// broken rule ([`crate::raft::BrokenRule::VoteWithoutLogCheck`]) skips the check.
    GrantedWithoutLogCheck {
        voter_last_term: Term,
        voter_last_index: LogIndex,
    },
    /// A pre-vote granted: the voter heard from no leader of its term within the shortest
    /// election timeout, and the asker's log is at least as up to date as its own. (Whom
    /// it voted for does not matter: a pre-vote is no vote.)
    PreVoteGranted,
}

/// The answer to a [`RequestVote`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestVoteReply {
    pub term: Term,
    pub vote_granted: bool,
    pub reason: VoteReason,
}

/// Invoked by the leader to replicate log entries; with no entries it is a heartbeat
/// (Figure 2, AppendEntries RPC).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppendEntries {
    pub term: Term,
    pub leader_id: NodeId,
    pub prev_log_index: LogIndex,
    pub prev_log_term: Term,
    pub entries: Vec<Entry>,
    pub leader_commit: LogIndex,
    /// The leader's latest ReadIndex round when it sent this ([`crate::raft::read_index`]):
    /// an answer that echoes it confirms the leader was still leading after every read
    /// of that round arrived. 0 (no read yet) is left out, as in every run before reads.
    #[serde(default, skip_serializing_if = "super::is_zero")]
    pub read_round: u64,
}

/// Why AppendEntries was accepted or rejected.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AppendReason {
    /// The log matched at prevLogIndex; entries (if any) are now in the follower's log.
    Accepted,
    /// The leader's term is older than the follower's: it is a stale leader.
    StaleTerm { follower_term: Term },
    /// The follower's log is too short to have an entry at prevLogIndex.
    MissingEntry {
        prev_log_index: LogIndex,
        follower_last_index: LogIndex,
    },
    /// The follower has an entry at prevLogIndex, but of another term.
    TermMismatch {
        prev_log_index: LogIndex,
        expected_term: Term,
        found_term: Term,
    },
}

/// The answer to an [`AppendEntries`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppendEntriesReply {
    pub term: Term,
    pub success: bool,
    pub reason: AppendReason,
    /// On success, the index of the last entry the request covered; the leader sets
    /// `match_index` to it. (Replies may arrive late or twice, so the reply says
    /// what it acknowledges rather than the leader guessing.)
    pub match_index: LogIndex,
    /// The prevLogIndex of the request this answers.
    pub prev_log_index: LogIndex,
    /// On a mismatch: the conflicting term, if the follower has an entry there.
    pub conflict_term: Option<Term>,
    /// On a mismatch: the first index of `conflict_term` in the follower's log, or its
    /// last index + 1 when the entry is missing. Lets the leader skip back a term at a time.
    pub conflict_index: LogIndex,
    /// The [`AppendEntries::read_round`] of the request this answers.
    #[serde(default, skip_serializing_if = "super::is_zero")]
    pub read_round: u64,
}

/// Sent by a leader that hands its leadership to `to`, once `to`'s log is as long as
/// its own: "start an election now" (dissertation 3.10; [`crate::raft::transfer`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeoutNow {
    pub term: Term,
    pub leader_id: NodeId,
}

/// Everything one server can send another.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Message {
    RequestVote(RequestVote),
    RequestVoteReply(RequestVoteReply),
    AppendEntries(AppendEntries),
    AppendEntriesReply(AppendEntriesReply),
    /// "Would you vote for me in `term`?", asked before raising one's own term
    /// (dissertation 9.6). `term` is the term the sender would stand in; the receiver
    /// never adopts it.
    PreVote(RequestVote),
    /// The answer to a [`Message::PreVote`]: a yes in the term it is for, a no in the
    /// voter's own term.
    PreVoteReply(RequestVoteReply),
    /// Leadership transfer: the leader tells the chosen server to start an election at
    /// once, without waiting for its timer (and without a pre-vote).
    TimeoutNow(TimeoutNow),
    /// Log compaction: the leader sends a follower its snapshot, because the entries
    /// the follower needs are in it (Figure 13; [`crate::raft::snapshot`]).
    InstallSnapshot(InstallSnapshot),
    InstallSnapshotReply(InstallSnapshotReply),
}

impl Message {
    /// Whether a server sends this only after writing to stable storage: a vote changes
    /// votedFor, an AppendEntries or InstallSnapshot changes the log (Figure 2's
    /// "persistent state ... updated on stable storage before responding to RPCs").
    pub fn follows_a_write(&self) -> bool {
        matches!(
            self,
            Message::RequestVoteReply(_)
                | Message::AppendEntriesReply(_)
                | Message::InstallSnapshotReply(_)
        )
    }

    /// The sender's term, which every message carries (Figure 2, "Rules for Servers").
    pub fn term(&self) -> Term {
        match self {
            Message::RequestVote(m) => m.term,
            Message::RequestVoteReply(m) => m.term,
            Message::AppendEntries(m) => m.term,
            Message::AppendEntriesReply(m) => m.term,
            Message::PreVote(m) => m.term,
            Message::PreVoteReply(m) => m.term,
            Message::TimeoutNow(m) => m.term,
            Message::InstallSnapshot(m) => m.term,
            Message::InstallSnapshotReply(m) => m.term,
        }
    }

    /// A short name for the message kind, as people and the DOM see it.
    pub fn kind(&self) -> &'static str {
        match self {
            Message::RequestVote(_) => "request-vote",
            Message::RequestVoteReply(m) if m.vote_granted => "vote-granted",
            Message::RequestVoteReply(_) => "vote-denied",
            Message::AppendEntries(m) if m.entries.is_empty() => "heartbeat",
            Message::AppendEntries(_) => "append-entries",
            Message::AppendEntriesReply(m) if m.success => "append-ok",
            Message::AppendEntriesReply(_) => "append-rejected",
            Message::PreVote(_) => "pre-vote",
            Message::PreVoteReply(m) if m.vote_granted => "pre-vote-granted",
            Message::PreVoteReply(_) => "pre-vote-denied",
            Message::TimeoutNow(_) => "timeout-now",
            Message::InstallSnapshot(_) => "install-snapshot",
            Message::InstallSnapshotReply(m) if m.match_index > 0 => "snapshot-ok",
            Message::InstallSnapshotReply(_) => "snapshot-rejected",
        }
    }
}
