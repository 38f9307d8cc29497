use serde::{Deserialize, Serialize};

use super::{MS, Time};

/// The timing knobs of Raft, with the defaults a teacher can trust: election timeouts
/// drawn from 150–300 ms as the paper suggests, heartbeats every 50 ms.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RaftConfig {
    /// Lower bound of the randomised election timeout.
    pub election_timeout_min: Time,
    /// Upper bound of the randomised election timeout.
    pub election_timeout_max: Time,
    /// How often a leader sends AppendEntries when it has nothing new to send.
    pub heartbeat_interval: Time,
    /// Most entries one AppendEntries carries, so that a far-behind follower
    /// catches up in visible batches rather than one huge message.
    pub max_entries_per_append: usize,
    /// Use the follower's conflict hint to skip back a whole term at a time
    /// (section 5.3 of the paper, "the protocol can be optimized"); when false,
    /// `next_index` backs off by one per rejection as in Figure 2.
    pub fast_backup: bool,
    /// PreVote (dissertation 9.6, [`crate::raft::pre_vote`]): a server that times out
    /// first asks whether it could win before it raises its term. Off: the paper.
    #[serde(default, skip_serializing_if = "is_off")]
    pub pre_vote: bool,
    /// CheckQuorum and leader stickiness (dissertation 6.2, [`crate::raft::check_quorum`]):
    /// a leader that stops hearing from a majority steps down, and a server that heard
    /// from its leader within the shortest election timeout ignores elections. Off: the
    /// paper.
    #[serde(default, skip_serializing_if = "is_off")]
    pub check_quorum: bool,
    /// The leader's no-op (section 8 of the paper, [`crate::raft::no_op`]): a new leader
    /// appends an empty entry of its own term at once, so entries of earlier terms commit
    /// without waiting for a client's write. Off: the paper's Figure 2.
    #[serde(default, skip_serializing_if = "is_off")]
    pub no_op: bool,
    /// Log compaction (section 7, [`crate::raft::snapshot`]): a server takes a snapshot
    /// each time it has applied this many entries beyond its last one. 0: never, as in
    /// Figure 2.
    #[serde(default, skip_serializing_if = "super::is_zero")]
    pub snapshot_every: u64,
    /// The lab's "break a rule" ([`crate::raft::broken`]): one rule of Figure 2 the
    /// servers do not keep. None: every rule kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub broken: Option<super::BrokenRule>,
}

/// A switch that is off is left out of links and traces, so runs with every switch off
/// are written exactly as before the switches existed.
fn is_off(on: &bool) -> bool {
    !*on
}

impl Default for RaftConfig {
    fn default() -> Self {
        RaftConfig {
            election_timeout_min: 150 * MS,
            election_timeout_max: 300 * MS,
            heartbeat_interval: 50 * MS,
            max_entries_per_append: 16,
            fast_backup: true,
            pre_vote: false,
            check_quorum: false,
            no_op: false,
            snapshot_every: 0,
            broken: None,
        }
    }
}
