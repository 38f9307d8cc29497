//! Cluster membership changes, one server at a time (section 6 of the paper; Ongaro's
//! dissertation, chapter 4; etcd keeps the same rules in `confchange/` and `quorum/`).
//!
//! * The configuration is part of the log: a `Config` entry names the voting servers
//!   and the learners. A server uses the newest configuration in its log, committed or
//!   not (dissertation 4.1); a snapshot keeps the configuration as of its last entry.
//! * One server is added or removed at a time, so any majority of the old configuration
//!   and any majority of the new one share a server: two leaders cannot be elected in
//!   one term by disjoint majorities. A leader refuses a second change while one is
//!   uncommitted, and says why.
//! * A new leader changes nothing until an entry of its own term is committed (the fix
//!   Ongaro posted to raft-dev in 2015 for a bug in the one-at-a-time rule).
//! * **Adding** (4.2.1): the new server first joins as a learner: it receives entries
//!   (or a snapshot) but does not vote and is not counted. The leader replicates to it in
//!   rounds, each round up to the leader's last entry when the round began; once a round
//!   takes less than the shortest election timeout, the learner is close enough to
//!   current, and the leader proposes the configuration that makes it a voter.
//! * **Removing** (4.2.2): the leader proposes the configuration without the server and
//!   keeps sending to it until the change commits, so that it learns it was removed and
//!   stops taking part. A leader that removes itself leads on without counting itself
//!   and steps down once the change commits.
//! * A removed server that never heard of its removal times out and asks for votes in
//!   ever higher terms. Servers that heard from their leader within the shortest election
//!   timeout ignore such a request (the dissertation's rule, 4.2.3, as CheckQuorum's leader
//!   stickiness does): once the cluster's configuration has changed, always.
//!
//! Not a switch: nothing changes until a person adds or removes a server. Server ids are
//! stable: S6 is S6 forever, also after S3 was removed.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::{Command, Entry, LogIndex, Node, NodeEvent, NodeId, Role, Time, server_name};

/// Which servers vote and which only learn.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Membership {
    pub voters: BTreeSet<NodeId>,
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub learners: BTreeSet<NodeId>,
}

impl Membership {
    /// The servers a cluster started with: `0..servers`, all voting.
    pub fn first(servers: u8) -> Membership {
        Membership {
            voters: (0..servers).collect(),
            learners: BTreeSet::new(),
        }
    }

    pub fn is_member(&self, id: NodeId) -> bool {
        self.voters.contains(&id) || self.learners.contains(&id)
    }

    /// How many voting servers make a majority.
    pub fn majority(&self) -> usize {
        self.voters.len() / 2 + 1
    }

    /// How many voters two configurations do not share: a single-server change is 1.
    pub fn voters_changed(&self, other: &Membership) -> usize {
        self.voters.symmetric_difference(&other.voters).count()
    }
}

/// One change of the configuration.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ConfigChange {
    /// The server joins as a learner.
    AddLearner(NodeId),
    /// The learner, caught up, becomes a voter.
    Promote(NodeId),
    /// The server leaves the cluster.
    Remove(NodeId),
}

/// Why a leader refused a change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ChangeRefused {
    NotLeader,
    /// The change at `index` is not committed yet: one change at a time.
    Pending {
        index: LogIndex,
    },
    /// A learner is still catching up before it becomes a voter.
    CatchingUp {
        learner: NodeId,
    },
    AlreadyMember,
    NotMember,
    /// The last voter cannot remove itself.
    LastVoter,
    /// No entry of the leader's own term is committed yet. Without this rule, found after
    /// the dissertation (Ongaro, raft-dev, 2015), two leaders of different terms could
    /// each add a different server to the same configuration: two configurations two
    /// servers apart, with majorities that need not overlap.
    TermNotCommitted,
}

impl ChangeRefused {
    /// The refusal as the page says it.
    pub fn reason(self, leader: NodeId, id: NodeId) -> String {
        let (l, s) = (server_name(leader), server_name(id));
        match self {
            ChangeRefused::NotLeader => format!("{l} is not the leader"),
            ChangeRefused::Pending { index } => format!(
                "{l} refuses: its configuration change at index {index} is not committed yet, and configurations change one server at a time"
            ),
            ChangeRefused::CatchingUp { learner } => format!(
                "{l} refuses: {} is still catching up as a learner, one change at a time",
                server_name(learner)
            ),
            ChangeRefused::AlreadyMember => format!("{s} is already in the cluster"),
            ChangeRefused::NotMember => format!("{s} is not in the cluster"),
            ChangeRefused::LastVoter => format!("{s} is the last voting server"),
            ChangeRefused::TermNotCommitted => format!(
                "{l} refuses: no entry of its own term is committed yet (write something first, or turn on the leader's no-op)"
            ),
        }
    }
}

/// A leader's catch-up of a learner (dissertation 4.2.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatchUp {
    pub learner: NodeId,
    /// Rounds started so far (the first is 1).
    pub round: u32,
    /// The leader's last index when the round began: the round ends when the learner
    /// holds it.
    pub round_end: LogIndex,
    pub round_started: Time,
}

/// Bit `id` set for every server of a set: the hot paths (counting replies) need no
/// allocation.
fn mask(ids: impl IntoIterator<Item = NodeId>) -> u32 {
    ids.into_iter()
        .filter(|&id| id < 32)
        .fold(0, |m, id| m | (1 << id))
}

/// The servers of a mask, lowest id first. One step per server rather than one per bit:
/// the leader counts replicas with it after every reply.
fn ids(mut mask: u32) -> impl Iterator<Item = NodeId> + Clone {
    std::iter::from_fn(move || {
        (mask != 0).then(|| {
            let id = mask.trailing_zeros() as NodeId;
            mask &= mask - 1;
            id
        })
    })
}

impl Node {
    /// The configuration this server uses: the newest in its log (or snapshot), else the
    /// one it started with.
    pub fn membership(&self) -> Membership {
        self.or_first(self.named_at(None))
    }

    /// The configuration this server's log puts in force at `index`.
    pub fn membership_at(&self, index: LogIndex) -> Membership {
        self.or_first(self.named_at(Some(index)))
    }

    /// The configuration this server names, the newest (`None`) or in force at an index:
    /// its log's, else the one it started with. `None`: it is one of the cluster's first
    /// servers and its log names none, so `0..cluster_size` all vote.
    fn named_at(&self, index: Option<LogIndex>) -> Option<&Membership> {
        match index {
            None => self.log.membership(),
            Some(i) => self.log.membership_at(i),
        }
        .or(self.initial_membership.as_ref())
    }

    fn or_first(&self, named: Option<&Membership>) -> Membership {
        named
            .cloned()
            .unwrap_or_else(|| Membership::first(self.cluster_size))
    }

    /// The servers of a configuration as bits, learners too or not (without allocating:
    /// the hot paths count replies with it).
    fn bits(&self, named: Option<&Membership>, learners: bool) -> u32 {
        match named {
            Some(m) if learners => mask(m.voters.iter().chain(&m.learners).copied()),
            Some(m) => mask(m.voters.iter().copied()),
            None => (1u32 << self.cluster_size) - 1,
        }
    }

    fn voter_mask(&self) -> u32 {
        self.bits(self.named_at(None), false)
    }

    /// Whether `id` votes in this server's configuration.
    pub fn is_voter(&self, id: NodeId) -> bool {
        id < 32 && self.voter_mask() & (1 << id) != 0
    }

    /// How many servers make a majority of the voters.
    pub fn majority(&self) -> usize {
        self.voter_mask().count_ones() as usize / 2 + 1
    }

    /// How many of `ids` are voters (a candidate's granted votes, a read's acks).
    pub fn voters_among(&self, ids: &BTreeSet<NodeId>) -> usize {
        let voters = self.voter_mask();
        (mask(ids.iter().copied()) & voters).count_ones() as usize
    }

    /// Every server this one sends to: the members of its configuration, and while the
    /// newest change is uncommitted, those of the configuration before it too (so that
    /// a server being removed hears of its removal). Itself left out.
    pub(super) fn peers(&self) -> impl Iterator<Item = NodeId> + use<> {
        let mut members = self.bits(self.named_at(None), true);
        if let Some(index) = self.change_pending() {
            members |= self.bits(self.named_at(Some(index - 1)), true);
        }
        ids(members & !(1 << self.id))
    }

    /// The voters other than this server: whom an election asks.
    pub(super) fn voting_peers(&self) -> impl Iterator<Item = NodeId> + Clone + use<> {
        ids(self.voter_mask() & !(1u32 << self.id))
    }

    /// Makes room in the leader's per-server vectors for server `id`.
    pub(super) fn track(&mut self, id: NodeId) {
        let n = id as usize + 1;
        if self.next_index.len() < n {
            let next = self.log.last_index() + 1;
            self.next_index.resize(n, next);
            self.match_index.resize(n, 0);
            self.in_flight_to.resize(n, 0);
        }
    }

    /// The servers any configuration in this log or the first one names, for the
    /// leader's vectors.
    pub(super) fn slots(&self) -> usize {
        let named = self
            .log
            .configs()
            .flat_map(|m| m.voters.iter().chain(&m.learners))
            .chain(
                self.log
                    .snapshot()
                    .and_then(|s| s.membership.as_ref())
                    .into_iter()
                    .flat_map(|m| m.voters.iter().chain(&m.learners)),
            )
            .map(|&id| id as usize + 1)
            .max()
            .unwrap_or(0);
        named
            .max(self.cluster_size as usize)
            .max(self.id as usize + 1)
    }

    /// Whether the newest configuration in the log is not committed yet.
    fn change_pending(&self) -> Option<LogIndex> {
        let index = self.log.config_index();
        (index > self.commit_index).then_some(index)
    }

    fn may_change(&self) -> Result<Membership, ChangeRefused> {
        if self.role != Role::Leader {
            return Err(ChangeRefused::NotLeader);
        }
        if let Some(index) = self.change_pending() {
            return Err(ChangeRefused::Pending { index });
        }
        if !self.own_term_committed() {
            return Err(ChangeRefused::TermNotCommitted);
        }
        Ok(self.membership())
    }

    /// Whether this leader would add server `id` now, or why not.
    pub fn can_add_server(&self, id: NodeId) -> Result<Membership, ChangeRefused> {
        let m = self.may_change()?;
        if let Some(c) = self.catch_up {
            return Err(ChangeRefused::CatchingUp { learner: c.learner });
        }
        if m.is_member(id) {
            return Err(ChangeRefused::AlreadyMember);
        }
        Ok(m)
    }

    /// Whether this leader would remove server `id` now, or why not.
    pub fn can_remove_server(&self, id: NodeId) -> Result<Membership, ChangeRefused> {
        let m = self.may_change()?;
        if !m.is_member(id) {
            return Err(ChangeRefused::NotMember);
        }
        if m.voters.len() == 1 && m.voters.contains(&id) {
            return Err(ChangeRefused::LastVoter);
        }
        // (A learner still catching up does not block this: its configuration entry is
        // committed, and its promotion is a change of its own, proposed later.)
        Ok(m)
    }

    /// A person asks this leader to add server `id`: it joins as a learner first.
    pub fn add_server(&mut self, id: NodeId, now: Time) -> Result<(), ChangeRefused> {
        let mut m = self.can_add_server(id)?;
        m.learners.insert(id);
        self.track(id);
        self.next_index[id as usize] = self.log.last_index() + 1;
        self.match_index[id as usize] = 0;
        self.in_flight_to[id as usize] = 0;
        self.propose(m, ConfigChange::AddLearner(id));
        // The first round ends when the learner holds everything up to this entry.
        self.catch_up = Some(CatchUp {
            learner: id,
            round: 1,
            round_end: self.log.last_index(),
            round_started: now,
        });
        Ok(())
    }

    /// A person asks this leader to remove server `id` (itself included).
    pub fn remove_server(&mut self, id: NodeId) -> Result<(), ChangeRefused> {
        let mut m = self.can_remove_server(id)?;
        // Removing the learner being caught up ends its catch-up.
        if self.catch_up.is_some_and(|c| c.learner == id) {
            self.catch_up = None;
        }
        m.voters.remove(&id);
        m.learners.remove(&id);
        self.propose(m, ConfigChange::Remove(id));
        Ok(())
    }

    /// Appends the configuration entry and replicates it at once, as a client write is.
    fn propose(&mut self, config: Membership, change: ConfigChange) {
        let term = self.current_term;
        let index = self.log.append(Entry {
            term,
            command: Command::Config(Box::new(config.clone())),
            write: None,
        });
        self.emit(NodeEvent::ConfigChangeProposed {
            index,
            term,
            change,
            config,
        });
        for peer in self.peers() {
            self.track(peer);
            if self.in_flight_to[peer as usize] == 0 {
                self.send_append_entries(peer);
            }
        }
        self.advance_commit_index();
    }

    /// A new leader whose configuration has a learner catches it up, from a first round.
    pub(super) fn resume_catch_up(&mut self, now: Time) {
        self.catch_up = self.membership().learners.first().map(|&learner| CatchUp {
            learner,
            round: 1,
            round_end: self.log.last_index(),
            round_started: now,
        });
    }

    /// After a reply: a learner that finished a catch-up round quickly enough becomes a
    /// voter; a slow round starts another (dissertation 4.2.1).
    pub(super) fn advance_catch_up(&mut self, now: Time) {
        let Some(c) = self.catch_up.filter(|_| self.role == Role::Leader) else {
            return;
        };
        let learner = c.learner as usize;
        if self.match_index.get(learner).copied().unwrap_or(0) < c.round_end
            || self.change_pending().is_some()
            || !self.own_term_committed()
        {
            return;
        }
        let took = now.saturating_sub(c.round_started);
        let caught_up = took < self.config.election_timeout_min;
        self.emit(NodeEvent::CatchUpRound {
            learner: c.learner,
            round: c.round,
            took,
            caught_up,
        });
        if caught_up {
            self.catch_up = None;
            let mut m = self.membership();
            m.learners.remove(&c.learner);
            m.voters.insert(c.learner);
            self.propose(m, ConfigChange::Promote(c.learner));
        } else {
            self.catch_up = Some(CatchUp {
                round: c.round + 1,
                round_end: self.log.last_index(),
                round_started: now,
                ..c
            });
        }
    }

    /// A leader whose removal committed steps down (dissertation 4.2.2).
    pub(super) fn step_down_if_removed(&mut self, now: Time, rng: &mut super::Rng) {
        if self.role != Role::Leader || self.change_pending().is_some() {
            return;
        }
        if self
            .log
            .membership()
            .is_some_and(|m| !m.voters.contains(&self.id))
        {
            self.emit(NodeEvent::LeftCluster {
                term: self.current_term,
                index: self.log.config_index(),
            });
            self.leader_id = None;
            self.become_follower(now, rng);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_single_server_change_changes_one_voter() {
        let three = Membership::first(3);
        let mut four = three.clone();
        four.voters.insert(3);
        assert_eq!(three.voters_changed(&four), 1);
        assert_eq!((three.majority(), four.majority()), (2, 3));
        let mut other_three = four.clone();
        other_three.voters.remove(&0);
        assert_eq!(three.voters_changed(&other_three), 2);
        assert_eq!(ids(mask([0, 2, 5])).collect::<Vec<_>>(), vec![0, 2, 5]);
    }
}
