use serde::{Deserialize, Serialize};

use super::{MsgId, WriteTarget};
use crate::raft::{Command, NodeId, ReadMode, Time};

/// Everything a person (or a scenario) can do to a running cluster. Interventions are
/// data so that a run is fully described by its seed plus the list of interventions
/// with their times: that is what replays, share links and forks are made of.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Intervention {
    /// The server stops: volatile state is lost, messages to and from it are dropped.
    Crash(NodeId),
    /// The server comes back with its persistent state (term, vote, log).
    Restart(NodeId),
    /// The server's election timer runs out now.
    Timeout(NodeId),
    /// Every follower's and candidate's timer is set to run out at the same moment: a split vote.
    AlignTimers,
    /// Timers are spread evenly over the timeout range, so one server times out well first.
    SpreadTimers,
    ClientWrite {
        to: WriteTarget,
        command: Command,
    },
    /// Cut the link from one server to another (one way).
    CutLink {
        from: NodeId,
        to: NodeId,
    },
    RestoreLink {
        from: NodeId,
        to: NodeId,
    },
    /// Cut every link to and from this server.
    Isolate(NodeId),
    /// Split the cluster: links between different groups are cut both ways.
    /// Servers not named in any group form a group of their own.
    Partition(Vec<Vec<NodeId>>),
    /// Restore every link.
    Heal,
    /// Drop one message that is in flight.
    DropMessage(MsgId),
    SetLoss {
        permille: u16,
    },
    SetDuplication {
        permille: u16,
    },
    SetLatency {
        min: Time,
        max: Time,
    },
    /// Turns the features beyond Figure 2 on or off for every server at once (see
    /// [`crate::raft::RaftConfig`]): PreVote, and CheckQuorum with leader stickiness.
    SetFeatures {
        pre_vote: bool,
        check_quorum: bool,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        no_op: bool,
    },
    /// A client reads `key`, by ReadIndex or from the leader's state at once (see
    /// [`crate::raft::read_index`]).
    ClientRead {
        to: WriteTarget,
        key: String,
        mode: ReadMode,
    },
    /// The leader hands its leadership to `to` (see [`crate::raft::transfer`]).
    TransferLeadership {
        to: NodeId,
    },
    /// Log compaction for every server: a snapshot each time `snapshot_every` entries
    /// were applied beyond the last one; 0 turns it off (see [`crate::raft::snapshot`]).
    SetCompaction {
        snapshot_every: u64,
    },
    /// A new server (the next id, S(n+1)) starts, and the leader adds it to the cluster:
    /// first as a learner, then as a voter once it caught up (see
    /// [`crate::raft::membership`]).
    AddServer,
    /// The leader removes this server from the cluster (itself, too).
    RemoveServer(NodeId),
}

impl Intervention {
    /// Whether a page older than log compaction could not read this intervention: a
    /// script with one is written as version 3.
    pub fn needs_version_3(&self) -> bool {
        matches!(
            self,
            Intervention::SetCompaction { .. }
                | Intervention::AddServer
                | Intervention::RemoveServer(_)
        )
    }

    /// Whether a page older than reads, transfers and the feature switches could not
    /// read this intervention: a script with one is written as version 2.
    pub fn needs_version_2(&self) -> bool {
        matches!(
            self,
            Intervention::SetFeatures { .. }
                | Intervention::ClientRead { .. }
                | Intervention::TransferLeadership { .. }
        )
    }
}
