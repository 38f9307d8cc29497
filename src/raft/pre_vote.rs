//! PreVote (Ongaro's dissertation, section 9.6): a server whose election timer runs out
//! first asks its peers whether they *would* vote for it in the next term, and raises
//! its term only if a majority says yes. A server cut off from the others (or a lagging
//! one) then cannot win the pre-vote, so it never inflates its term and never deposes
//! a healthy leader when it comes back: the disruptive server of section 9.6.
//!
//! A peer grants a pre-vote for `term` when three things hold, each a reason when not:
//! `term` is above its own (it never adopts that term: a pre-vote changes nothing on
//! the voter), it has not heard from a leader within the shortest election timeout,
//! and the asker's log is at least as up to date as its own (section 5.4.1's rule).
//!
//! The switch is [`crate::raft::RaftConfig::pre_vote`]; the pre-candidate's role
//! transitions are in [`crate::raft::Node`]'s file with the others.

use super::{Message, Node, NodeEvent, NodeId, RequestVote, RequestVoteReply, Rng, Role};
use super::{Time, VoteReason};

impl Node {
    /// A PreVote from `from`: would this server vote for it in `m.term`?
    pub(super) fn handle_pre_vote(&mut self, now: Time, from: NodeId, m: RequestVote) {
        let reason = if m.term <= self.current_term {
            VoteReason::PreVoteNotAhead {
                voter_term: self.current_term,
            }
        } else if let Some(alive) = self.leader_alive(now) {
            alive
        } else if let Some(behind) = self.log_behind(&m) {
            behind
        } else {
            VoteReason::PreVoteGranted
        };
        let granted = reason == VoteReason::PreVoteGranted;
        self.emit(NodeEvent::PreVoteCast {
            candidate: m.candidate_id,
            term: m.term,
            granted,
            reason: reason.clone(),
        });
        // A yes names the term it is for, so the asker counts it only for that round (a
        // late or duplicated yes from an earlier round must not count); a no is in the
        // voter's own term, so a server in a higher term brings the asker up to it.
        self.send(
            from,
            Message::PreVoteReply(RequestVoteReply {
                term: if granted { m.term } else { self.current_term },
                vote_granted: granted,
                reason,
            }),
        );
    }

    /// An answer to this server's PreVote: a majority of yeses starts the real election.
    pub(super) fn handle_pre_vote_reply(
        &mut self,
        now: Time,
        from: NodeId,
        m: RequestVoteReply,
        rng: &mut Rng,
    ) {
        // After the pre-vote was decided (or given up for a leader's heartbeat), nothing.
        if self.role != Role::PreCandidate {
            return;
        }
        if m.vote_granted {
            // A yes for another round (an earlier term's, late or duplicated) says nothing
            // about this one.
            if m.term != self.current_term.saturating_add(1) {
                return;
            }
            self.votes_granted.insert(from);
            self.votes_denied.remove(&from);
            self.become_candidate_if_pre_elected(now, rng);
        } else if m.term <= self.current_term && !self.votes_granted.contains(&from) {
            self.votes_denied.insert(from);
        }
    }

    /// Whether this server believes a leader is alive: it is one that still leads with
    /// CheckQuorum, or it heard from the leader of its term within the shortest election
    /// timeout. The reason a pre-vote (and, with CheckQuorum, an election) is refused.
    pub(super) fn leader_alive(&self, now: Time) -> Option<VoteReason> {
        if self.role == Role::Leader {
            return Some(VoteReason::StillLeading);
        }
        let leader = self.leader_id?;
        let at = self.heard_from_leader_at?;
        let ago = now.saturating_sub(at);
        (ago < self.config.election_timeout_min)
            .then_some(VoteReason::LeaderRecentlyHeard { leader, ago })
    }
}
