//! CheckQuorum and leader stickiness (Ongaro's dissertation, section 6.2; etcd's
//! `CheckQuorum`). Two rules that keep leadership where a majority is:
//!
//! - A leader that has not heard from a majority (itself included) within an election
//!   timeout steps down. Without it, a leader cut off in a minority believes it leads
//!   forever, and takes writes it can never commit.
//! - A server that heard from its leader within the shortest election timeout (or the
//!   leader itself) ignores RequestVote and PreVote from others, without adopting their
//!   term, and says why: a server that cannot reach the leader cannot start a new term
//!   among those that can (a removed server, say). It does not stop a server that was
//!   cut off and comes back with a high term: its answer to the leader's next heartbeat
//!   carries that term, and the leader adopts it, as etcd's does. PreVote is what keeps
//!   such a server from raising its term at all ([`crate::raft::pre_vote`]).
//!
//! The switch is [`crate::raft::RaftConfig::check_quorum`].

use super::{Message, Node, NodeEvent, NodeId, RequestVoteReply, Rng, Time};

impl Node {
    /// The leader's periodic check: did a majority answer since the last one?
    pub(super) fn check_quorum(&mut self, now: Time, rng: &mut Rng) {
        let heard_from: Vec<NodeId> = std::mem::take(&mut self.recent_active)
            .into_iter()
            .collect();
        let heard: std::collections::BTreeSet<NodeId> = heard_from.iter().copied().collect();
        let voters = self.voters_among(&heard) + usize::from(self.is_voter(self.id));
        if voters >= self.majority() {
            self.quorum_check_at = Some(now.saturating_add(self.config.election_timeout_min));
            return;
        }
        self.emit(NodeEvent::QuorumLost {
            term: self.current_term,
            heard_from,
        });
        self.leader_id = None;
        self.become_follower(now, rng);
    }

    /// Leader stickiness: a RequestVote or PreVote for a higher term while this server
    /// believes its leader alive is answered no, in this server's own term, and changes
    /// nothing here. Returns whether `msg` was such an election (and so is handled).
    pub(super) fn ignores_election(&mut self, now: Time, from: NodeId, msg: &Message) -> bool {
        // Once the cluster's configuration has changed, always: a server removed from
        // it must not disrupt it (dissertation 4.2.3).
        if !self.config.check_quorum && self.log.membership().is_none() {
            return false;
        }
        let (m, pre_vote) = match msg {
            Message::RequestVote(m) => (m, false),
            Message::PreVote(m) => (m, true),
            _ => return false,
        };
        // An election in this server's own term or an older one: the ordinary rules.
        // One the leader started by handing over (leadership transfer) is not ignored.
        if m.term <= self.current_term || m.transfer {
            return false;
        }
        let Some(reason) = self.leader_alive(now) else {
            return false;
        };
        let event = if pre_vote {
            NodeEvent::PreVoteCast {
                candidate: m.candidate_id,
                term: m.term,
                granted: false,
                reason: reason.clone(),
            }
        } else {
            NodeEvent::VoteCast {
                candidate: m.candidate_id,
                term: self.current_term,
                granted: false,
                reason: reason.clone(),
            }
        };
        self.emit(event);
        let reply = RequestVoteReply {
            term: self.current_term,
            vote_granted: false,
            reason,
        };
        self.send(
            from,
            if pre_vote {
                Message::PreVoteReply(reply)
            } else {
                Message::RequestVoteReply(reply)
            },
        );
        true
    }
}
