//! The lab's "break a rule": one rule of Figure 2 switched off, for seeing why it is
//! there. Each is a real change in the node, made where the rule is kept (the places
//! call [`Node::breaks`]); the node says when the broken rule changed what it did, with a
//! [`NodeEvent::RuleBroken`], so the event log shows the step that went wrong. Off (the
//! default) the node is Figure 2 exactly.
//!
//! | rule | what the node does instead | what can go wrong |
//! |---|---|---|
//! | [`BrokenRule::VoteWithoutLogCheck`] | grants a vote without section 5.4.1's "at least as up to date" check | a leader without a committed entry (Leader Completeness) |
//! | [`BrokenRule::CommitEarlierTerm`] | a leader commits an entry of an earlier term by counting replicas | Figure 8: a committed entry overwritten (Leader Completeness, State Machine Safety) |
//! | [`BrokenRule::KeepRoleOnHigherTerm`] | a leader that sees a higher term (not from that term's leader) adopts it but stays leader | two leaders in one term (Election Safety) |
//! | [`BrokenRule::ForgetVoteOnRestart`] | `votedFor` is not persisted: a restarted server forgets its vote | two votes in one term, two leaders (Election Safety) |
//! | [`BrokenRule::OverwriteWithoutTruncate`] | a conflicting entry is overwritten in place, the entries after it kept | logs that disagree below a matching entry (Log Matching) |
//! | [`BrokenRule::NoTimerResetOnVote`] | granting a vote does not restart the election timer | only liveness: more elections, no unsafe state |

use serde::{Deserialize, Serialize};

use super::{LogIndex, Node, NodeEvent, NodeId, Role, Term};

/// One rule of Figure 2, switched off ([`crate::raft::RaftConfig::broken`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum BrokenRule {
    /// RequestVote receiver, step 2: the vote is granted whatever the candidate's log.
    VoteWithoutLogCheck,
    /// Rules for leaders: commitIndex advances to an entry of an earlier term once a
    /// majority holds it (the paper's Figure 8 shows why it must not).
    CommitEarlierTerm,
    /// Rules for all servers: a higher term is adopted, but a leader does not convert to
    /// follower (unless the message is the new term's leader's AppendEntries or
    /// InstallSnapshot, whose own rules make it one: there the break changes nothing).
    KeepRoleOnHigherTerm,
    /// Persistent state: `votedFor` is kept in memory only, so a crash forgets it.
    ForgetVoteOnRestart,
    /// AppendEntries receiver, step 3: a conflicting entry is replaced, but the entries
    /// that follow it are not deleted.
    OverwriteWithoutTruncate,
    /// Rules for followers: granting a vote does not restart the election timer.
    NoTimerResetOnVote,
}

impl BrokenRule {
    /// Every rule the lab can break, in the order the page lists them.
    pub const ALL: [BrokenRule; 6] = [
        BrokenRule::VoteWithoutLogCheck,
        BrokenRule::CommitEarlierTerm,
        BrokenRule::KeepRoleOnHigherTerm,
        BrokenRule::ForgetVoteOnRestart,
        BrokenRule::OverwriteWithoutTruncate,
        BrokenRule::NoTimerResetOnVote,
    ];

    /// Whether breaking it can make the safety checker fire; the timer rule only costs
    /// elections (liveness), never safety.
    pub fn is_about_safety(self) -> bool {
        self != BrokenRule::NoTimerResetOnVote
    }

    /// A short name for links and the URL (`#/lab/break/vote-without-log-check`).
    pub fn slug(self) -> &'static str {
        match self {
            BrokenRule::VoteWithoutLogCheck => "vote-without-log-check",
            BrokenRule::CommitEarlierTerm => "commit-earlier-term",
            BrokenRule::KeepRoleOnHigherTerm => "keep-role-on-higher-term",
            BrokenRule::ForgetVoteOnRestart => "forget-vote-on-restart",
            BrokenRule::OverwriteWithoutTruncate => "overwrite-without-truncate",
            BrokenRule::NoTimerResetOnVote => "no-timer-reset-on-vote",
        }
    }

    pub fn from_slug(slug: &str) -> Option<BrokenRule> {
        BrokenRule::ALL.into_iter().find(|r| r.slug() == slug)
    }
}

/// What a server did that the rule it breaks forbids: the event log's evidence.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Breach {
    /// It voted for `candidate` in `term` although its own log is more up to date.
    VotedForLessUpToDate { candidate: NodeId, term: Term },
    /// As leader of `term`, it committed entry `index` of the earlier `entry_term` by
    /// counting replicas.
    CommittedEarlierTerm {
        index: LogIndex,
        entry_term: Term,
        term: Term,
    },
    /// It adopted the higher `term` and stayed `role` (leader).
    KeptRole { role: Role, term: Term },
    /// It restarted without its vote for `voted_for` in `term`.
    ForgotVote { voted_for: NodeId, term: Term },
    /// It overwrote the conflicting entry `index` and kept the `kept` entries after it.
    KeptEntriesAfterConflict { index: LogIndex, kept: u64 },
    /// It voted for `candidate` in `term` without restarting its election timer.
    VotedWithoutTimerReset { candidate: NodeId, term: Term },
}

impl Breach {
    /// The rule this breaks.
    pub fn rule(&self) -> BrokenRule {
        match self {
            Breach::VotedForLessUpToDate { .. } => BrokenRule::VoteWithoutLogCheck,
            Breach::CommittedEarlierTerm { .. } => BrokenRule::CommitEarlierTerm,
            Breach::KeptRole { .. } => BrokenRule::KeepRoleOnHigherTerm,
            Breach::ForgotVote { .. } => BrokenRule::ForgetVoteOnRestart,
            Breach::KeptEntriesAfterConflict { .. } => BrokenRule::OverwriteWithoutTruncate,
            Breach::VotedWithoutTimerReset { .. } => BrokenRule::NoTimerResetOnVote,
        }
    }
}

impl Node {
    /// Whether this run breaks `rule`.
    pub(super) fn breaks(&self, rule: BrokenRule) -> bool {
        self.config.broken == Some(rule)
    }

    /// Says that the broken rule made this server do what Figure 2 forbids.
    pub(super) fn broke(&mut self, breach: Breach) {
        self.emit(NodeEvent::RuleBroken(breach));
    }
}
