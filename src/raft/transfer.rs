//! Leadership transfer (Ongaro's dissertation, section 3.10; etcd's `MsgTransferLeader`):
//! a person asks the leader to hand its leadership to a chosen server, say before taking
//! the leader down for maintenance, so that no election timeout is wasted.
//!
//! 1. The leader stops taking client writes, so the target can catch up with a log that
//!    no longer grows.
//! 2. It brings the target's log up to date with ordinary AppendEntries.
//! 3. Once the target's log matches its own, it sends TimeoutNow.
//! 4. The target starts an election at once, without waiting for its timer and without a
//!    pre-vote. Its RequestVote says it comes from a transfer, so voters that still hear
//!    from the old leader do not ignore it (CheckQuorum's leader stickiness). With the
//!    most up-to-date log and the first higher term, it normally wins; the old leader
//!    steps down when it sees that term.
//!
//! A transfer that has not ended (the old leader deposed) within an election timeout is
//! abandoned, and the leader takes writes again: the target may be down or cut off.
//!
//! Not a switch: nothing changes unless a person asks for a transfer.

use serde::{Deserialize, Serialize};

use super::{Message, Node, NodeEvent, NodeId, Rng, Role, Time, TimeoutNow};

/// A leader's transfer under way.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transfer {
    pub target: NodeId,
    pub started_at: Time,
    /// When the leader gives up and takes writes again.
    pub deadline: Time,
    /// Whether TimeoutNow has been sent (once the target's log caught up).
    pub timeout_now_sent: bool,
}

/// Why a leader refused to start a transfer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TransferRefused {
    NotLeader,
    /// The target is the leader itself.
    ToItself,
    /// A transfer to this server is already under way.
    AlreadyTransferring {
        to: NodeId,
    },
    /// The target does not vote in the leader's configuration (a learner, or a server
    /// removed): it may not lead.
    NotVoter,
}

impl Node {
    /// A person asks this leader to hand its leadership to `target`.
    pub fn transfer_leadership(
        &mut self,
        target: NodeId,
        now: Time,
    ) -> Result<(), TransferRefused> {
        if self.role != Role::Leader {
            return Err(TransferRefused::NotLeader);
        }
        if target == self.id {
            return Err(TransferRefused::ToItself);
        }
        if let Some(t) = self.transfer {
            return Err(TransferRefused::AlreadyTransferring { to: t.target });
        }
        if !self.is_voter(target) {
            return Err(TransferRefused::NotVoter);
        }
        self.track(target);
        // An election timeout: as long as the target would have taken to time out by
        // itself (etcd's bound).
        let deadline = now.saturating_add(self.config.election_timeout_min);
        self.transfer = Some(Transfer {
            target,
            started_at: now,
            deadline,
            timeout_now_sent: false,
        });
        self.emit(NodeEvent::TransferStarted {
            target,
            term: self.current_term,
        });
        if !self.send_timeout_now_if_caught_up(target) && self.in_flight_to[target as usize] == 0 {
            // Catch the target up now rather than at the next heartbeat.
            self.send_append_entries(target);
        }
        Ok(())
    }

    /// Sends TimeoutNow once the target's log is as long as this leader's. Returns whether
    /// it was sent (now or before).
    pub(super) fn send_timeout_now_if_caught_up(&mut self, from: NodeId) -> bool {
        let Some(t) = self.transfer.filter(|t| t.target == from) else {
            return false;
        };
        if t.timeout_now_sent {
            return true;
        }
        let last = self.log.last_index();
        if self.match_index[from as usize] < last {
            return false;
        }
        self.transfer = Some(Transfer {
            timeout_now_sent: true,
            ..t
        });
        self.emit(NodeEvent::TimeoutNowSent {
            target: from,
            term: self.current_term,
            match_index: last,
        });
        self.send(
            from,
            Message::TimeoutNow(TimeoutNow {
                term: self.current_term,
                leader_id: self.id,
            }),
        );
        true
    }

    /// The leader's transfer timer ran out before the transfer ended: abandon it.
    pub(super) fn abandon_transfer_if_due(&mut self, now: Time) {
        if let Some(t) = self.transfer.filter(|t| now >= t.deadline) {
            self.transfer = None;
            self.emit(NodeEvent::TransferAbandoned {
                target: t.target,
                term: self.current_term,
                timeout_now_sent: t.timeout_now_sent,
            });
        }
    }

    /// TimeoutNow from the leader of this server's term: start an election at once.
    pub(super) fn handle_timeout_now(&mut self, now: Time, m: TimeoutNow, rng: &mut Rng) {
        // From an older term, or to a leader (of a newer term): nothing to do. A
        // candidate or pre-candidate of this term starts the next term at once, as a
        // follower would. (A TimeoutNow that arrives after its leader gave up the
        // transfer still starts an election, as in etcd: the target cannot tell.)
        if m.term != self.current_term || self.role == Role::Leader {
            return;
        }
        // A learner, or a server removed, stands for nothing, whoever asks.
        if !self.is_voter(self.id) {
            return;
        }
        // At the term limit a server starts no election at all (see `Node::tick`).
        if self.current_term >= super::MAX_TERM {
            return;
        }
        self.emit(NodeEvent::TimeoutNowReceived {
            leader: m.leader_id,
            term: self.current_term + 1,
        });
        self.start_election(now, rng, true);
    }
}
