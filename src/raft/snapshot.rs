//! Log compaction (section 7 of the paper, Figure 12 and 13; MIT 6.5840's lab 3D).
//!
//! A log that grows forever would fill any disk. Once a server has applied
//! [`crate::raft::RaftConfig::snapshot_every`] entries beyond its last snapshot, it
//! writes its state machine down as a [`Snapshot`] (with the index and term of the last
//! entry it includes) and drops those entries from its log. Each server does this on
//! its own, from committed entries only.
//!
//! A leader that must send a follower an entry it no longer has (the follower was down
//! while the leader compacted) sends its snapshot instead: **InstallSnapshot**, in one
//! message (the paper's chunks are not needed here). The follower keeps the entries that
//! follow the snapshot if its log has the snapshot's last entry, and otherwise discards
//! its whole log; then it resets its state machine to the snapshot's state.
//!
//! The snapshot is persistent state: a restarted server starts from it, with its
//! commit and apply indexes at its last included index.
//!
//! The switch is `snapshot_every` (0, the default, never compacts: the paper's Figure 2).

use serde::{Deserialize, Serialize};

use super::{KvStore, LogIndex, Message, Node, NodeEvent, NodeId, Rng, Term};

/// A server's state machine as of one log index: what replaces the log up to it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snapshot {
    pub last_included_index: LogIndex,
    pub last_included_term: Term,
    /// The key-value state after applying every entry up to `last_included_index`.
    pub state: KvStore,
    /// The configuration as of `last_included_index`, if the cluster's membership ever
    /// changed (left out otherwise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub membership: Option<super::Membership>,
}

/// Invoked by the leader to send a follower its snapshot (Figure 13, InstallSnapshot RPC,
/// in one chunk).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstallSnapshot {
    pub term: Term,
    pub leader_id: NodeId,
    pub snapshot: Snapshot,
    /// As in AppendEntries: the leader's latest ReadIndex round, so that an answer
    /// confirms its leadership for the reads of that round.
    #[serde(default, skip_serializing_if = "super::is_zero")]
    pub read_round: u64,
}

/// The answer to an [`InstallSnapshot`]: the follower's term and, when it took the
/// snapshot (or had it already), the index its log now matches the leader's up to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstallSnapshotReply {
    pub term: Term,
    /// 0 when refused (a stale leader).
    pub match_index: LogIndex,
    #[serde(default, skip_serializing_if = "super::is_zero")]
    pub read_round: u64,
}

/// What a follower did with a snapshot it was sent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SnapshotOutcome {
    /// It reset its state machine to the snapshot, keeping `kept` log entries that
    /// follow the snapshot and discarding `discarded` that did not match it.
    Installed { kept: usize, discarded: usize },
    /// It had committed that far already: nothing to install.
    AlreadyCommitted { commit_index: LogIndex },
    /// The sender's term is older than the follower's: a stale leader.
    StaleTerm { follower_term: Term },
}

impl Node {
    /// Turns log compaction on (a snapshot every `every` applied entries) or off (0), as
    /// an intervention for every server at once. A running server already past the
    /// threshold takes its snapshot now (`running`); one that is down, after it restarts.
    pub fn set_snapshot_every(&mut self, every: u64, running: bool) {
        self.config.snapshot_every = every;
        if running {
            self.take_snapshot_if_due();
        }
    }

    /// After applying: compacts the log once `snapshot_every` entries were applied
    /// beyond the last snapshot (the switch is off when it is 0).
    pub(super) fn take_snapshot_if_due(&mut self) {
        let every = self.config.snapshot_every;
        if every == 0 || self.last_applied < self.log.snapshot_index().saturating_add(every) {
            return;
        }
        let index = self.last_applied;
        let Some(term) = self.log.term_at(index) else {
            return;
        };
        let compacted = self.log.compact(Snapshot {
            last_included_index: index,
            last_included_term: term,
            state: self.kv.clone(),
            membership: None,
        });
        self.emit(NodeEvent::SnapshotTaken {
            index,
            term,
            compacted,
        });
    }

    /// Instead of AppendEntries: `to` needs an entry this leader compacted away.
    pub(super) fn send_snapshot(&mut self, to: NodeId) {
        let Some(snapshot) = self.log.snapshot().cloned() else {
            return;
        };
        self.emit(NodeEvent::SnapshotSent {
            to,
            index: snapshot.last_included_index,
            term: snapshot.last_included_term,
            next_index: self.next_index[to as usize],
        });
        self.in_flight_to[to as usize] = snapshot.last_included_index;
        self.send(
            to,
            Message::InstallSnapshot(InstallSnapshot {
                term: self.current_term,
                leader_id: self.id,
                snapshot,
                read_round: self.read_round,
            }),
        );
    }

    /// InstallSnapshot receiver implementation (Figure 13).
    pub(super) fn handle_install_snapshot(
        &mut self,
        now: super::Time,
        from: NodeId,
        m: InstallSnapshot,
        rng: &mut Rng,
    ) {
        let index = m.snapshot.last_included_index;
        let term = m.snapshot.last_included_term;
        // 1. Reply immediately if term < currentTerm.
        if m.term < self.current_term {
            let outcome = SnapshotOutcome::StaleTerm {
                follower_term: self.current_term,
            };
            return self.answer_snapshot(from, index, term, outcome, 0, m.read_round);
        }
        // As for AppendEntries: the sender leads this term.
        self.become_follower(now, rng);
        self.leader_id = Some(m.leader_id);
        self.reset_election_timer(now, rng);
        self.heard_from_leader_at = Some(now);

        if index <= self.commit_index {
            // Committed entries are the leader's too: the log already matches up to `index`.
            let outcome = SnapshotOutcome::AlreadyCommitted {
                commit_index: self.commit_index,
            };
            return self.answer_snapshot(from, index, term, outcome, index, m.read_round);
        }
        // 6. If an existing entry has the same index and term as the snapshot's last
        //    included entry, retain the entries following it. 7. Otherwise discard the
        //    entire log. 8. Reset the state machine using the snapshot's contents.
        self.kv = m.snapshot.state.clone();
        let (kept, discarded) = self.log.install(m.snapshot);
        self.commit_index = index;
        self.last_applied = index;
        let outcome = SnapshotOutcome::Installed { kept, discarded };
        self.answer_snapshot(from, index, term, outcome, index, m.read_round);
    }

    fn answer_snapshot(
        &mut self,
        leader: NodeId,
        index: LogIndex,
        term: Term,
        outcome: SnapshotOutcome,
        match_index: LogIndex,
        read_round: u64,
    ) {
        self.emit(NodeEvent::SnapshotHandled {
            leader,
            index,
            term,
            outcome,
        });
        self.send(
            leader,
            Message::InstallSnapshotReply(InstallSnapshotReply {
                term: self.current_term,
                match_index,
                read_round,
            }),
        );
    }

    /// The leader learns that `from` holds the snapshot: like a successful AppendEntries.
    pub(super) fn handle_install_snapshot_reply(&mut self, from: NodeId, m: InstallSnapshotReply) {
        if self.role != super::Role::Leader || m.term != self.current_term {
            return;
        }
        self.read_round_answered(from, m.read_round);
        if m.match_index == 0 {
            return;
        }
        self.follower_matches(from, m.match_index);
    }
}
