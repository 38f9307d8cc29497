use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::raft::{MS, Message, NodeId, Time};

/// Identifies one message for its whole flight (and the copy a duplication makes).
pub type MsgId = u64;

/// How the simulated network behaves. Reordering needs no switch: two messages on one
/// link with different latencies arrive in the other order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NetConfig {
    /// One-way latency is drawn uniformly from `latency_min..=latency_max` for every message.
    pub latency_min: Time,
    pub latency_max: Time,
    /// Chance in a thousand that a message is lost.
    pub loss_permille: u16,
    /// Chance in a thousand that a message is delivered twice.
    pub duplicate_permille: u16,
}

impl Default for NetConfig {
    /// 10–20 ms one way: election timeouts of 150–300 ms are then 10–20× the latency,
    /// as the Raft thesis recommends.
    fn default() -> Self {
        NetConfig {
            latency_min: 10 * MS,
            latency_max: 20 * MS,
            loss_permille: 0,
            duplicate_permille: 0,
        }
    }
}

/// A message on the wire, with the times the animation draws it from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InFlight {
    pub id: MsgId,
    pub from: NodeId,
    pub to: NodeId,
    pub msg: Message,
    pub sent_at: Time,
    pub deliver_at: Time,
    /// The network will lose it: it travels, and vanishes instead of arriving.
    pub lost: bool,
}

/// Why a message did not arrive.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DropReason {
    /// Random loss, at the configured rate.
    Lost,
    /// The link from sender to receiver is cut (a partition or an isolated server).
    LinkCut,
    /// The receiver was down when the message arrived.
    ReceiverDown,
    /// The sender crashed while the message was in flight: its connections died with it.
    SenderCrashed,
    /// The receiver crashed while the message was in flight.
    ReceiverCrashed,
    /// Someone dropped this very message by hand.
    DroppedByUser,
}

/// Which directed links are cut. A partition cuts both directions of every link
/// between groups; a one-way cut leaves the other direction working.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Links {
    cut: BTreeSet<(NodeId, NodeId)>,
}

impl Links {
    pub fn is_cut(&self, from: NodeId, to: NodeId) -> bool {
        !self.cut.is_empty() && self.cut.contains(&(from, to))
    }

    pub fn cut(&mut self, from: NodeId, to: NodeId) {
        if from != to {
            self.cut.insert((from, to));
        }
    }

    pub fn restore(&mut self, from: NodeId, to: NodeId) {
        self.cut.remove(&(from, to));
    }

    pub fn heal(&mut self) {
        self.cut.clear();
    }

    pub fn cut_links(&self) -> impl Iterator<Item = (NodeId, NodeId)> + '_ {
        self.cut.iter().copied()
    }

    pub fn is_empty(&self) -> bool {
        self.cut.is_empty()
    }
}
