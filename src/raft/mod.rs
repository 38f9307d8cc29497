//! The Raft node: a pure, sans-IO state machine that follows Figure 2 of
//! Ongaro and Ousterhout, "In Search of an Understandable Consensus Algorithm".
//!
//! A [`Node`] is driven from outside: [`Node::step`] hands it a message,
//! [`Node::tick`] tells it the time, [`Node::client_write`] hands it a client
//! command. It never sends anything itself: what it wants done (send a message,
//! report a vote, a commit, a role change) is pushed as [`Output`] data that the
//! caller (the simulator) takes with [`Node::take_outputs`]. That is what lets
//! the same code be animated, replayed and checked.

pub mod broken;
pub mod check_quorum;
mod config;
mod kv;
mod log;
pub mod membership;
mod message;
pub mod no_op;
mod node;
pub mod pre_vote;
mod random;
pub mod read_index;
mod shared;
pub mod snapshot;
pub mod transfer;

pub use broken::{Breach, BrokenRule};
pub use config::RaftConfig;
pub use kv::{KvKey, KvStore};
pub use log::{Command, Entry, Key, Log, MAX_KEY_LEN, WriteId, check_key};
pub use membership::{ChangeRefused, ConfigChange, Membership};
pub use message::{
    AppendEntries, AppendEntriesReply, AppendReason, Message, RequestVote, RequestVoteReply,
    TimeoutNow, VoteReason,
};
pub use node::{ClientOutcome, Node, NodeEvent, Output, Role, WhyNotLeader};
pub use random::{Rng, uniform};
pub use read_index::{PendingRead, ReadId, ReadMode};
pub use shared::SharedVec;
pub use snapshot::{InstallSnapshot, InstallSnapshotReply, Snapshot, SnapshotOutcome};
pub use transfer::{Transfer, TransferRefused};

/// A server's identity, 0-based inside the code and shown as S1, S2, … to people.
pub type NodeId = u8;
/// A Raft term: the logical clock that orders elections.
pub type Term = u64;
/// The highest term a server may reach: a server in this term refuses to start another
/// election rather than wrap around to term 0. It is 2^53 − 1, the largest integer a
/// JavaScript number holds exactly, so terms in exported JSON stay exact everywhere.
pub const MAX_TERM: Term = (1 << 53) - 1;
/// A position in the replicated log; the first entry has index 1, index 0 means "before the log".
pub type LogIndex = u64;
/// Virtual time in microseconds. The node never reads a clock; it is told the time.
pub type Time = u64;

/// A number left out of links and traces while it is 0 (a field added after runs were
/// written without it, so those runs are still written byte for byte as before).
pub(crate) fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// One millisecond in [`Time`] units.
pub const MS: Time = 1_000;

/// The name a person sees for a server: `S1` for id 0.
pub fn server_name(id: NodeId) -> String {
    format!("S{}", id as u32 + 1)
}
