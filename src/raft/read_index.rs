//! Client reads (section 8 of the paper; Ongaro's dissertation, section 6.4; etcd's
//! `read_only.go`). A read changes nothing, so it needs no log entry, but a leader that
//! answers from its own state may no longer be the leader: another may have been elected
//! and taken writes it has not heard of. Two ways to read, chosen per read:
//!
//! - **ReadIndex** (safe): the leader notes its commit index as the read's index, then
//!   confirms it is still the leader with a round of heartbeats answered by a majority
//!   (every AppendEntries carries the round, every answer echoes it), then answers once
//!   it has applied up to that index. A leader that has no entry of its own term
//!   committed yet does not know the latest commit index (Figure 8): it waits for one
//!   first (its no-op, with that switch on; otherwise the next write).
//! - **Local** (fast, unsafe): the leader answers from its own state at once. A leader
//!   cut off in a minority answers with values the majority may have overwritten: a stale
//!   read, which the simulator's linearizability checker catches.
//!
//! Followers redirect reads as they redirect writes. A leader that steps down fails the
//! reads it has not answered. Not a switch: nothing changes unless a client reads.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::{ClientOutcome, LogIndex, Node, NodeEvent, NodeId, Role, WhyNotLeader};

/// A client read's identity, handed out by the simulator as 1, 2, 3, …
pub type ReadId = u64;

/// How a read is served.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ReadMode {
    ReadIndex,
    Local,
}

/// A ReadIndex read the leader has not answered yet.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingRead {
    pub id: ReadId,
    pub key: String,
    /// The commit index noted for it; None while the leader waits for an entry of its
    /// own term to commit.
    pub index: Option<LogIndex>,
    /// The heartbeat round that confirms it (0 while waiting for the index).
    pub round: u64,
    /// Who answered a heartbeat of that round or a later one (the leader included).
    pub acks: BTreeSet<NodeId>,
}

impl Node {
    /// A client asks this server to read `key`.
    pub fn client_read(&mut self, key: String, read: ReadId, mode: ReadMode) -> ClientOutcome {
        match self.role {
            Role::Leader if self.transfer.is_some() => {
                ClientOutcome::Rejected(WhyNotLeader::Transferring {
                    to: self.transfer.map_or(self.id, |t| t.target),
                })
            }
            Role::Leader => {
                match mode {
                    ReadMode::Local => self.answer_read(read, key, ReadMode::Local),
                    ReadMode::ReadIndex => {
                        if !self.own_term_committed() {
                            self.emit(NodeEvent::ReadWaitsForTermCommit {
                                read,
                                term: self.current_term,
                            });
                        }
                        self.pending_reads.push(PendingRead {
                            id: read,
                            key,
                            index: None,
                            round: 0,
                            acks: BTreeSet::new(),
                        });
                        self.note_read_indexes();
                    }
                }
                ClientOutcome::ReadAccepted
            }
            Role::Follower => match self.leader_id {
                Some(leader) => ClientOutcome::Redirect { leader },
                None => ClientOutcome::Rejected(WhyNotLeader::NoKnownLeader),
            },
            Role::Candidate => ClientOutcome::Rejected(WhyNotLeader::ElectionInProgress),
            Role::PreCandidate => ClientOutcome::Rejected(WhyNotLeader::NoKnownLeader),
        }
    }

    /// Whether an entry of this leader's term is committed: only then does it know the
    /// latest commit index (Figure 8), which a ReadIndex read needs.
    pub(super) fn own_term_committed(&self) -> bool {
        self.log.term_at(self.commit_index) == Some(self.current_term)
    }

    /// Gives every read still without an index the commit index, once an entry of this
    /// leader's term is committed, and starts a heartbeat round to confirm them.
    pub(super) fn note_read_indexes(&mut self) {
        if !self.pending_reads.iter().any(|r| r.index.is_none()) {
            return;
        }
        if !self.own_term_committed() {
            return;
        }
        self.read_round += 1;
        let (round, index, me) = (self.read_round, self.commit_index, self.id);
        let mut noted = Vec::new();
        for r in self.pending_reads.iter_mut().filter(|r| r.index.is_none()) {
            r.index = Some(index);
            r.round = round;
            r.acks = BTreeSet::from([me]);
            noted.push(r.id);
        }
        for read in noted {
            self.emit(NodeEvent::ReadIndexNoted { read, index, round });
        }
        // An AppendEntries to every peer now, carrying the round (not waiting for the
        // heartbeat timer).
        for peer in self.peers() {
            self.send_append_entries(peer);
        }
        self.answer_confirmed_reads();
    }

    /// A follower answered an AppendEntries of `round`: it still takes this leader as
    /// leader, so every read of that round or an earlier one has one more confirmation.
    pub(super) fn read_round_answered(&mut self, from: NodeId, round: u64) {
        if round == 0 || self.pending_reads.is_empty() {
            return;
        }
        for r in self
            .pending_reads
            .iter_mut()
            .filter(|r| r.round != 0 && r.round <= round)
        {
            r.acks.insert(from);
        }
        self.answer_confirmed_reads();
    }

    /// Answers, in order, every read that a majority confirmed and whose index is applied.
    pub(super) fn answer_confirmed_reads(&mut self) {
        let majority = self.majority();
        let applied = self.last_applied;
        let pending = std::mem::take(&mut self.pending_reads);
        let (ready, waiting): (Vec<PendingRead>, Vec<PendingRead>) =
            pending.into_iter().partition(|r| {
                r.index.is_some_and(|i| i <= applied)
                    && r.round != 0
                    && self.voters_among(&r.acks) >= majority
            });
        self.pending_reads = waiting;
        for r in ready {
            self.answer_read(r.id, r.key, ReadMode::ReadIndex);
        }
    }

    fn answer_read(&mut self, read: ReadId, key: String, mode: ReadMode) {
        let value = self.kv.get(&key);
        self.emit(NodeEvent::ReadAnswered {
            read,
            key,
            value,
            applied: self.last_applied,
            mode,
        });
    }

    /// A leader that steps down fails the reads it has not answered: it can no longer
    /// tell whether its state is current.
    pub(super) fn fail_pending_reads(&mut self) {
        for r in std::mem::take(&mut self.pending_reads) {
            self.emit(NodeEvent::ReadFailed {
                read: r.id,
                term: self.current_term,
            });
        }
    }
}
