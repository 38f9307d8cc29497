use serde::{Deserialize, Serialize};

use crate::raft::{Command, LogIndex, NodeId, ReadId, ReadMode, Term, Time, WhyNotLeader, WriteId};

/// Where a client sends a write: to one chosen server, or straight to whoever leads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum WriteTarget {
    Server(NodeId),
    Leader,
}

/// Why a write never made it into a leader's log.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RejectReason {
    ServerDown(NodeId),
    NotLeader(NodeId, WhyNotLeader),
    /// The client asked for the leader, and no server is leading right now.
    NoLeader,
}

/// What became of a client write: the question a student asks after every partition.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum WriteFate {
    /// In `leader`'s log at `index` in `term`, not yet committed.
    Pending {
        leader: NodeId,
        index: LogIndex,
        term: Term,
    },
    /// Committed at `index`, but the leader that took it could not answer the client
    /// (it crashed or lost its leadership first).
    Committed {
        index: LogIndex,
    },
    /// Committed at `index`, and the leader told the client so. Must never be lost.
    Acknowledged {
        index: LogIndex,
        at: Time,
    },
    /// Another entry was committed at its index: the write is gone (it was never acknowledged).
    Lost {
        index: LogIndex,
    },
    Rejected(RejectReason),
}

/// One client write and its fate.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientWrite {
    pub id: WriteId,
    pub command: Command,
    pub submitted_at: Time,
    /// The server the client first asked.
    pub first_server: Option<NodeId>,
    /// A follower's redirect the client followed, if any.
    pub redirected_to: Option<NodeId>,
    pub fate: WriteFate,
}

/// Why a read that a leader took was never answered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReadFailure {
    /// The leader stepped down before it could confirm its leadership (ReadIndex).
    SteppedDown,
    /// The leader crashed first.
    LeaderCrashed,
}

/// What became of a client read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReadFate {
    /// `leader` took it and has not answered yet (a ReadIndex read being confirmed).
    Pending {
        leader: NodeId,
    },
    /// `leader` answered `value`, from a state machine that had applied the log up to
    /// `applied`.
    Answered {
        leader: NodeId,
        value: Option<i64>,
        applied: LogIndex,
        at: Time,
    },
    Failed {
        leader: NodeId,
        why: ReadFailure,
    },
    Rejected(RejectReason),
}

/// One client read of a key and its fate.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientRead {
    pub id: ReadId,
    pub key: String,
    pub mode: ReadMode,
    pub submitted_at: Time,
    /// When it was sent and answered in the client's order of things ([`order_stamp`]).
    pub sent_stamp: u64,
    pub answered_stamp: Option<u64>,
    pub first_server: Option<NodeId>,
    pub redirected_to: Option<NodeId>,
    pub fate: ReadFate,
}

/// Where a client's request or answer falls among everything else, finer than time: many
/// events share a microsecond, and what a person does between two events comes after
/// the first. `events` processed so far, doubled, plus one inside an intervention. The
/// linearizability checker orders operations by it: a write acknowledged by an event
/// and a read sent by the next intervention, in the same microsecond, are not concurrent.
pub fn order_stamp(events: u64, in_intervention: bool) -> u64 {
    events.saturating_mul(2) + u64::from(in_intervention)
}
