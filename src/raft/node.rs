//! One Raft server. Every rule of Figure 2 lives in this file, in the order the
//! paper gives them: role transitions first (`become_*`), then the two RPC
//! handlers and their replies, then the leader's commit rule and applying. The rules
//! of the features beyond Figure 2, each a switch of [`RaftConfig`] that is off by
//! default, live in files of their own ([`super::pre_vote`], [`super::check_quorum`],
//! [`super::no_op`]), as do leadership transfer ([`super::transfer`]) and reads
//! ([`super::read_index`]); the role transitions they make are here with the others.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::{
    AppendEntries, AppendEntriesReply, AppendReason, Command, Entry, KvStore, Log, LogIndex,
    MAX_TERM, Message, NodeId, RaftConfig, ReadId, ReadMode, RequestVote, RequestVoteReply, Rng,
    SnapshotOutcome, Term, Time, VoteReason, WriteId, membership::CatchUp, read_index::PendingRead,
    transfer::Transfer, uniform,
};
use super::{Breach, BrokenRule, ConfigChange, Membership};

/// The three roles of section 5.1, and PreVote's pre-candidate (dissertation 9.6).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Role {
    Follower,
    Candidate,
    Leader,
    /// A server that timed out with PreVote on: it asks whether it could win before it
    /// raises its term; only a majority of yeses makes it a candidate.
    PreCandidate,
}

impl Role {
    pub fn name(self) -> &'static str {
        match self {
            Role::Follower => "follower",
            Role::Candidate => "candidate",
            Role::Leader => "leader",
            Role::PreCandidate => "pre-candidate",
        }
    }
}

/// Something the node decided that a student may want to see, with its reason.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum NodeEvent {
    /// The election timer ran out; the node starts an election for `term`.
    ElectionTimeout {
        term: Term,
    },
    /// The election timer ran out, but the node's term is already [`MAX_TERM`]: rather
    /// than wrap around to term 0 it starts no election and waits for another timeout.
    TermLimitReached {
        term: Term,
    },
    /// The lab's broken rule made the node do what Figure 2 forbids
    /// ([`crate::raft::broken`]).
    RuleBroken(Breach),
    /// A message carried a higher term, so the node adopted it (and reverts to follower).
    TermAdopted {
        term: Term,
        from: NodeId,
    },
    RoleChanged {
        from: Role,
        to: Role,
        term: Term,
    },
    /// The node answered a RequestVote.
    VoteCast {
        candidate: NodeId,
        term: Term,
        granted: bool,
        reason: VoteReason,
    },
    /// The node answered an AppendEntries.
    AppendHandled {
        leader: NodeId,
        term: Term,
        success: bool,
        reason: AppendReason,
        entries: usize,
    },
    /// Conflicting entries were deleted from `from_index` on (Figure 2, AppendEntries rule 3).
    EntriesDeleted {
        from_index: LogIndex,
        count: usize,
    },
    /// A leader appended a client's command to its own log.
    ClientEntryAppended {
        index: LogIndex,
        term: Term,
    },
    CommitAdvanced {
        from: LogIndex,
        to: LogIndex,
    },
    /// The entry at `index` was applied to the key-value state machine.
    Applied {
        index: LogIndex,
        entry: Entry,
    },
    /// The election timer ran out with PreVote on: the node asks its peers whether they
    /// would vote for it in `term`, without raising its own term yet.
    PreVoteStarted {
        term: Term,
    },
    /// The node answered a PreVote for `term` (the candidate's proposed term).
    PreVoteCast {
        candidate: NodeId,
        term: Term,
        granted: bool,
        reason: VoteReason,
    },
    /// CheckQuorum: the leader heard from fewer than a majority in an election timeout
    /// (only from `heard_from`), so it steps down rather than lead a minority.
    QuorumLost {
        term: Term,
        heard_from: Vec<NodeId>,
    },
    /// A new leader appended its no-op entry at `index` (the no-op switch).
    NoOpAppended {
        index: LogIndex,
        term: Term,
    },
    /// The leader was asked to hand its leadership to `target`: it takes no more writes
    /// and brings `target`'s log up to date.
    TransferStarted {
        target: NodeId,
        term: Term,
    },
    /// `target`'s log matches the leader's up to `match_index`, its last entry: the
    /// leader tells it to start an election now.
    TimeoutNowSent {
        target: NodeId,
        term: Term,
        match_index: LogIndex,
    },
    /// The transfer did not end within an election timeout: the leader takes writes again.
    TransferAbandoned {
        target: NodeId,
        term: Term,
        timeout_now_sent: bool,
    },
    /// The leader `leader` handed over: this server starts an election for `term` at once.
    TimeoutNowReceived {
        leader: NodeId,
        term: Term,
    },
    /// A ReadIndex read waits: no entry of the leader's `term` is committed yet, so the
    /// leader does not know the latest commit index (Figure 8).
    ReadWaitsForTermCommit {
        read: ReadId,
        term: Term,
    },
    /// The leader noted its commit `index` for a ReadIndex read and sent heartbeat
    /// round `round` to confirm it still leads.
    ReadIndexNoted {
        read: ReadId,
        index: LogIndex,
        round: u64,
    },
    /// The leader answered a read of `key` from its state machine, which had applied the
    /// log up to `applied`.
    ReadAnswered {
        read: ReadId,
        key: String,
        value: Option<i64>,
        applied: LogIndex,
        mode: ReadMode,
    },
    /// The leader stepped down (now in `term`) before it could answer a ReadIndex read.
    ReadFailed {
        read: ReadId,
        term: Term,
    },
    /// Log compaction: the server wrote its state machine down as a snapshot up to
    /// `index` (of `term`) and dropped the `compacted` entries it replaces.
    SnapshotTaken {
        index: LogIndex,
        term: Term,
        compacted: usize,
    },
    /// The leader needs to send `to` the entry at `next_index`, which it compacted
    /// away: it sends its snapshot up to `index` instead.
    SnapshotSent {
        to: NodeId,
        index: LogIndex,
        term: Term,
        next_index: LogIndex,
    },
    /// The leader appended a configuration entry at `index`: `change` makes `config`
    /// the cluster's configuration from this entry on.
    ConfigChangeProposed {
        index: LogIndex,
        term: Term,
        change: ConfigChange,
        config: Membership,
    },
    /// A catch-up round of the learner `learner` ended after `took`: `caught_up` when
    /// it took less than the shortest election timeout (dissertation 4.2.1).
    CatchUpRound {
        learner: NodeId,
        round: u32,
        took: Time,
        caught_up: bool,
    },
    /// The leader's removal (the configuration at `index`) committed: it steps down.
    LeftCluster {
        term: Term,
        index: LogIndex,
    },
    /// The server answered an InstallSnapshot from `leader` with a snapshot up to
    /// `index` (of `term`).
    SnapshotHandled {
        leader: NodeId,
        index: LogIndex,
        term: Term,
        outcome: SnapshotOutcome,
    },
}

/// What the node asks its environment to do.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Output {
    Send { to: NodeId, msg: Message },
    Event(NodeEvent),
}

/// Why a server that is not the leader cannot take a client write.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum WhyNotLeader {
    /// It is a candidate: an election is under way and there is no leader yet.
    ElectionInProgress,
    /// It is a follower that has not heard from a leader in its term.
    NoKnownLeader,
    /// It is the leader, but handing its leadership to `to` (leadership transfer).
    Transferring { to: NodeId },
}

/// The answer a server gives a client that asks it to write.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ClientOutcome {
    /// The leader appended the command; it will be acknowledged once committed.
    Appended {
        index: LogIndex,
        term: Term,
    },
    /// The leader took a read; the answer comes when it is ready ([`NodeEvent::ReadAnswered`]).
    ReadAccepted,
    /// A follower points the client at the leader it knows.
    Redirect {
        leader: NodeId,
    },
    Rejected(WhyNotLeader),
}

/// One Raft server's whole state (Figure 2, "State").
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Node {
    pub id: NodeId,
    /// Servers are numbered `0..cluster_size`; every other one is a peer.
    pub cluster_size: u8,
    pub config: RaftConfig,

    // Persistent state on all servers: survives a crash.
    /// Latest term this server has seen. Invariant: never decreases.
    pub current_term: Term,
    /// The candidate that received this server's vote in `current_term`, if any.
    pub voted_for: Option<NodeId>,
    pub log: Log,

    // Volatile state on all servers: lost in a crash.
    /// Highest log index known to be committed. Invariant: `last_applied <= commit_index <= log.last_index()`.
    pub commit_index: LogIndex,
    /// Highest log index applied to `kv`.
    pub last_applied: LogIndex,
    pub role: Role,
    /// The leader of `current_term` as far as this server knows, for redirecting clients.
    pub leader_id: Option<NodeId>,
    /// The state machine that committed entries are applied to.
    pub kv: KvStore,
    /// When a follower or candidate times out and starts an election.
    pub election_deadline: Time,
    /// The randomised duration that `election_deadline` was drawn with (for drawing the timer).
    pub election_timeout: Time,
    /// When a leader next sends heartbeats.
    pub heartbeat_deadline: Time,

    // Volatile state on candidates.
    /// Who granted this candidate its vote in `current_term` (itself included).
    pub votes_granted: BTreeSet<NodeId>,
    /// Who denied it.
    pub votes_denied: BTreeSet<NodeId>,

    // Volatile state on leaders, indexed by server id (the leader's own slot is unused).
    /// For each server, index of the next log entry to send. Invariant: `match_index < next_index`.
    pub next_index: Vec<LogIndex>,
    /// For each server, highest log index known to be replicated there.
    pub match_index: Vec<LogIndex>,
    /// For each server, the last index carried by an AppendEntries still awaiting its
    /// reply (0: none). Not in Figure 2: it keeps one batch of entries in flight per
    /// follower (as etcd's progress tracking does), so that each new write and each reply
    /// does not start another stream of AppendEntries. Heartbeats still resend, so a lost
    /// batch is retried. Invariant: 0 or `>= next_index`.
    #[serde(default)]
    pub in_flight_to: Vec<LogIndex>,

    // Volatile state of the switches beyond Figure 2 (empty while they are off, and then
    // left out of the serialized state, so runs with every switch off are unchanged).
    /// When this server last heard from the leader of its term (PreVote, CheckQuorum).
    /// Kept whatever the switches, so a switch turned on mid-run knows at once that a
    /// leader is alive. (Volatile, and part of the state a copy continues from.)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub heard_from_leader_at: Option<Time>,
    /// A leader's peers heard from since its last quorum check (CheckQuorum).
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub recent_active: BTreeSet<NodeId>,
    /// When a leader next checks that it heard from a majority (CheckQuorum).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quorum_check_at: Option<Time>,
    /// A leader's leadership transfer under way.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transfer: Option<Transfer>,
    /// A leader's ReadIndex reads not answered yet, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pending_reads: Vec<PendingRead>,
    /// The latest ReadIndex heartbeat round (0: none yet).
    #[serde(default, skip_serializing_if = "super::is_zero")]
    pub read_round: u64,
    /// The configuration this server started with, before its log names one
    /// ([`crate::raft::membership`]). None: it is one of the servers the cluster started
    /// with, all voting. A server added later starts knowing none: it votes for nobody
    /// and stands for nothing until its log makes it a member.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub initial_membership: Option<Membership>,
    /// A leader's catch-up of a new server before it may vote.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub catch_up: Option<CatchUp>,

    #[serde(skip)]
    outputs: Vec<Output>,
}

impl Node {
    /// A fresh server that starts as a follower in term 0 with an empty log.
    pub fn new(id: NodeId, cluster_size: u8, config: RaftConfig, now: Time, rng: &mut Rng) -> Node {
        let n = cluster_size as usize;
        let mut node = Node {
            id,
            cluster_size,
            config,
            current_term: 0,
            voted_for: None,
            log: Log::default(),
            commit_index: 0,
            last_applied: 0,
            role: Role::Follower,
            leader_id: None,
            kv: KvStore::default(),
            election_deadline: 0,
            election_timeout: 0,
            heartbeat_deadline: 0,
            votes_granted: BTreeSet::new(),
            votes_denied: BTreeSet::new(),
            next_index: vec![1; n],
            match_index: vec![0; n],
            in_flight_to: vec![0; n],
            heard_from_leader_at: None,
            recent_active: BTreeSet::new(),
            quorum_check_at: None,
            transfer: None,
            pending_reads: Vec::new(),
            read_round: 0,
            initial_membership: None,
            catch_up: None,
            outputs: Vec::new(),
        };
        node.reset_election_timer(now, rng);
        node
    }

    /// A server added to a running cluster: it knows no configuration yet, so it waits
    /// for the leader to send it one (it joins as a learner).
    pub fn joining(id: NodeId, config: RaftConfig, now: Time, rng: &mut Rng) -> Node {
        let mut node = Node::new(id, id + 1, config, now, rng);
        node.initial_membership = Some(Membership::default());
        node
    }

    /// Recovery after a crash: the persistent state (term, vote, log) is kept,
    /// everything volatile starts over. The commit index is re-learned from a leader.
    /// A snapshot is persistent too: the state machine starts from it, and the entries
    /// it replaced count as committed and applied (section 7).
    pub fn restart(&mut self, now: Time, rng: &mut Rng) {
        let n = self.slots();
        if self.breaks(BrokenRule::ForgetVoteOnRestart)
            && let Some(voted_for) = self.voted_for.take()
        {
            // The broken rule: votedFor was kept in memory only.
            self.outputs.clear();
            self.broke(Breach::ForgotVote {
                voted_for,
                term: self.current_term,
            });
        }
        self.commit_index = self.log.snapshot_index();
        self.last_applied = self.log.snapshot_index();
        self.role = Role::Follower;
        self.leader_id = None;
        self.kv = self
            .log
            .snapshot()
            .map_or_else(KvStore::default, |s| s.state.clone());
        self.votes_granted.clear();
        self.votes_denied.clear();
        self.next_index = vec![1; n];
        self.match_index = vec![0; n];
        self.in_flight_to = vec![0; n];
        self.heard_from_leader_at = None;
        self.recent_active.clear();
        self.quorum_check_at = None;
        self.transfer = None;
        self.pending_reads.clear();
        self.read_round = 0;
        self.catch_up = None;
        // What a crashed server had not said yet is lost; what its restart says is kept.
        self.outputs
            .retain(|o| matches!(o, Output::Event(NodeEvent::RuleBroken(_))));
        self.reset_election_timer(now, rng);
    }

    /// Turns the switches beyond Figure 2 on or off at `now` (an intervention: the run's
    /// configuration changes for every server at once).
    /// (A leader already elected appends no no-op when that switch turns on: the no-op is
    /// what a leader does when it is elected.)
    pub fn set_features(&mut self, pre_vote: bool, check_quorum: bool, no_op: bool, now: Time) {
        self.config.pre_vote = pre_vote;
        self.config.check_quorum = check_quorum;
        self.config.no_op = no_op;
        self.recent_active.clear();
        self.quorum_check_at = (check_quorum && self.role == Role::Leader)
            .then(|| now.saturating_add(self.config.election_timeout_min));
    }

    /// The outputs produced since the last call, in the order they were decided.
    pub fn take_outputs(&mut self) -> Vec<Output> {
        std::mem::take(&mut self.outputs)
    }

    /// Moves the outputs into `buffer` without allocating a new vector.
    pub fn drain_outputs_into(&mut self, buffer: &mut Vec<Output>) {
        if buffer.is_empty() {
            // Swapped rather than copied (an output is over a hundred bytes): the usual
            // case, once per event.
            std::mem::swap(buffer, &mut self.outputs);
        } else {
            buffer.append(&mut self.outputs);
        }
    }

    /// When this server's next timer fires: the heartbeat for a leader, the election timeout otherwise.
    pub fn timer_deadline(&self) -> Time {
        match self.role {
            Role::Leader => self
                .heartbeat_deadline
                .min(self.quorum_check_at.unwrap_or(Time::MAX))
                .min(self.transfer.map_or(Time::MAX, |t| t.deadline)),
            _ => self.election_deadline,
        }
    }

    pub(super) fn emit(&mut self, event: NodeEvent) {
        self.outputs.push(Output::Event(event));
    }

    pub(super) fn send(&mut self, to: NodeId, msg: Message) {
        self.outputs.push(Output::Send { to, msg });
    }

    pub(super) fn reset_election_timer(&mut self, now: Time, rng: &mut Rng) {
        self.election_timeout = uniform(
            rng,
            self.config.election_timeout_min,
            self.config.election_timeout_max,
        );
        self.election_deadline = now.saturating_add(self.election_timeout);
    }

    /// Sets the election timer by hand (the "align" and "spread" interventions, scenarios).
    pub fn set_election_timer(&mut self, now: Time, timeout: Time) {
        self.election_timeout = timeout;
        self.election_deadline = now.saturating_add(timeout);
    }

    // ----- Role transitions: the only places `role` changes. -----

    fn change_role(&mut self, to: Role) {
        if self.role != to {
            let from = self.role;
            self.role = to;
            self.emit(NodeEvent::RoleChanged {
                from,
                to,
                term: self.current_term,
            });
        }
    }

    /// Rules for all servers: a higher term makes a server adopt it and become a follower.
    fn adopt_term(&mut self, term: Term, from: NodeId, now: Time, rng: &mut Rng, keep_role: bool) {
        debug_assert!(term > self.current_term);
        self.current_term = term;
        self.voted_for = None;
        self.emit(NodeEvent::TermAdopted { term, from });
        if keep_role {
            // The broken rule: it stays leader, now of the newer term.
            self.broke(Breach::KeptRole {
                role: self.role,
                term,
            });
            return;
        }
        self.leader_id = None;
        self.become_follower(now, rng);
    }

    pub(super) fn become_follower(&mut self, now: Time, rng: &mut Rng) {
        let was_leader = self.role == Role::Leader;
        if was_leader {
            // A leader had no election timer running; a follower needs one.
            self.reset_election_timer(now, rng);
            self.recent_active.clear();
            self.quorum_check_at = None;
            self.transfer = None;
            self.catch_up = None;
        }
        self.votes_granted.clear();
        self.votes_denied.clear();
        self.change_role(Role::Follower);
        if was_leader {
            // Said after the step down, which is why they fail.
            self.fail_pending_reads();
        }
    }

    /// PreVote: on election timeout, ask the peers whether they would vote for this
    /// server in the next term, keeping its own term (dissertation 9.6). Only called
    /// with `current_term < MAX_TERM` (see [`Node::tick`]).
    fn become_pre_candidate(&mut self, now: Time, rng: &mut Rng) {
        self.leader_id = None;
        self.votes_granted = BTreeSet::from([self.id]);
        self.votes_denied.clear();
        self.change_role(Role::PreCandidate);
        self.reset_election_timer(now, rng);
        let request = RequestVote {
            term: self.current_term + 1,
            candidate_id: self.id,
            last_log_index: self.log.last_index(),
            last_log_term: self.log.last_term(),
            transfer: false,
        };
        for peer in self.voting_peers() {
            self.send(peer, Message::PreVote(request.clone()));
        }
        self.become_candidate_if_pre_elected(now, rng);
    }

    /// A pre-candidate that a majority would vote for starts the real election.
    pub(super) fn become_candidate_if_pre_elected(&mut self, now: Time, rng: &mut Rng) {
        if self.role == Role::PreCandidate
            && self.voters_among(&self.votes_granted) >= self.majority()
        {
            self.start_election(now, rng, false);
        }
    }

    /// Rules for followers and candidates: on election timeout, start an election.
    /// `transfer`: started by the leader's TimeoutNow (leadership transfer).
    /// Only called with `current_term < MAX_TERM` (see [`Node::tick`]).
    pub(super) fn start_election(&mut self, now: Time, rng: &mut Rng, transfer: bool) {
        debug_assert!(self.current_term < MAX_TERM);
        self.current_term += 1;
        self.voted_for = Some(self.id);
        self.leader_id = None;
        self.votes_granted = BTreeSet::from([self.id]);
        self.votes_denied.clear();
        self.change_role(Role::Candidate);
        self.reset_election_timer(now, rng);
        let request = RequestVote {
            term: self.current_term,
            candidate_id: self.id,
            last_log_index: self.log.last_index(),
            last_log_term: self.log.last_term(),
            transfer,
        };
        for peer in self.voting_peers() {
            self.send(peer, Message::RequestVote(request.clone()));
        }
        self.become_leader_if_elected(now);
    }

    fn become_leader_if_elected(&mut self, now: Time) {
        if self.role == Role::Candidate && self.voters_among(&self.votes_granted) >= self.majority()
        {
            self.become_leader(now);
        }
    }

    /// Rules for leaders: upon election, send initial empty AppendEntries to each
    /// server, and keep sending them during idle periods.
    fn become_leader(&mut self, now: Time) {
        self.change_role(Role::Leader);
        self.leader_id = Some(self.id);
        self.recent_active.clear();
        self.quorum_check_at = self
            .config
            .check_quorum
            .then(|| now.saturating_add(self.config.election_timeout_min));
        let next = self.log.last_index() + 1;
        let slots = self.slots();
        self.next_index = vec![next; slots];
        self.match_index = vec![0; slots];
        self.in_flight_to = vec![0; slots];
        if self.config.no_op {
            // After nextIndex is set, so the first AppendEntries carries it.
            self.append_no_op();
        }
        // A learner its predecessor was catching up: this leader takes over.
        self.resume_catch_up(now);
        self.broadcast_append_entries(now);
        // A leader alone commits its no-op at once.
        self.advance_commit_index();
    }

    // ----- Inputs -----

    /// The clock moved to `now`: fire whichever timer is due.
    pub fn tick(&mut self, now: Time, rng: &mut Rng) {
        if self.role == Role::Leader && self.quorum_check_at.is_some_and(|at| now >= at) {
            self.check_quorum(now, rng);
        }
        if self.role == Role::Leader {
            self.abandon_transfer_if_due(now);
        }
        match self.role {
            Role::Leader if now >= self.heartbeat_deadline => self.broadcast_append_entries(now),
            Role::Follower | Role::Candidate | Role::PreCandidate
                if now >= self.election_deadline && !self.is_voter(self.id) =>
            {
                // A learner, or a server removed from the cluster: it stands for nothing.
                self.reset_election_timer(now, rng);
            }
            Role::Follower | Role::Candidate | Role::PreCandidate
                if now >= self.election_deadline =>
            {
                match self.current_term.checked_add(1).filter(|&t| t <= MAX_TERM) {
                    Some(term) if self.config.pre_vote => {
                        self.emit(NodeEvent::PreVoteStarted { term });
                        self.become_pre_candidate(now, rng);
                    }
                    Some(term) => {
                        self.emit(NodeEvent::ElectionTimeout { term });
                        self.start_election(now, rng, false);
                    }
                    None => {
                        // A term that wrapped would go down: Election Safety and every
                        // "newer term wins" rule would break. Stay, and say why.
                        self.emit(NodeEvent::TermLimitReached {
                            term: self.current_term,
                        });
                        self.reset_election_timer(now, rng);
                    }
                }
            }
            _ => {}
        }
    }

    /// A message from `from` arrived at `now`.
    pub fn step(&mut self, now: Time, from: NodeId, msg: Message, rng: &mut Rng) {
        // CheckQuorum's leader stickiness answers an election before its term is adopted.
        if self.ignores_election(now, from, &msg) {
            return;
        }
        if self.role == Role::Leader {
            // A server this leader has no slot for yet (one added, or one it knew only
            // from a snapshot's configuration).
            self.track(from);
        }
        // A PreVote's term, and a yes to one, is the term its asker would stand in, not
        // one anybody reached.
        let proposed = match &msg {
            Message::PreVote(_) => true,
            Message::PreVoteReply(m) => m.vote_granted,
            _ => false,
        };
        if msg.term() > self.current_term && !proposed {
            // The lab's broken rule keeps a leader leading in the newer term, unless the
            // message comes from that term's leader (it steps down for it anyway, as the
            // AppendEntries and InstallSnapshot rules say): only where the break changes
            // what the leader does.
            let keep_role = self.breaks(BrokenRule::KeepRoleOnHigherTerm)
                && self.role == Role::Leader
                && !matches!(msg, Message::AppendEntries(_) | Message::InstallSnapshot(_));
            self.adopt_term(msg.term(), from, now, rng, keep_role);
        }
        // CheckQuorum's sign of life: a follower's answer to this leader's AppendEntries.
        if self.role == Role::Leader
            && self.config.check_quorum
            && match &msg {
                Message::AppendEntriesReply(m) => m.term == self.current_term,
                Message::InstallSnapshotReply(m) => m.term == self.current_term,
                _ => false,
            }
        {
            self.recent_active.insert(from);
        }
        match msg {
            Message::RequestVote(m) => self.handle_request_vote(now, from, m, rng),
            Message::RequestVoteReply(m) => self.handle_request_vote_reply(now, from, m),
            Message::AppendEntries(m) => self.handle_append_entries(now, from, m, rng),
            Message::AppendEntriesReply(m) => {
                self.handle_append_entries_reply(from, m);
                self.advance_catch_up(now);
            }
            Message::PreVote(m) => self.handle_pre_vote(now, from, m),
            Message::PreVoteReply(m) => self.handle_pre_vote_reply(now, from, m, rng),
            Message::TimeoutNow(m) => self.handle_timeout_now(now, m, rng),
            Message::InstallSnapshot(m) => self.handle_install_snapshot(now, from, m, rng),
            Message::InstallSnapshotReply(m) => {
                self.handle_install_snapshot_reply(from, m);
                self.advance_catch_up(now);
            }
        }
        self.step_down_if_removed(now, rng);
    }

    /// A client asks this server to write `command`.
    pub fn client_write(&mut self, command: Command, write: WriteId) -> ClientOutcome {
        match self.role {
            Role::Leader if self.transfer.is_some() => {
                ClientOutcome::Rejected(WhyNotLeader::Transferring {
                    to: self.transfer.map_or(self.id, |t| t.target),
                })
            }
            Role::Leader => {
                let term = self.current_term;
                let index = self.log.append(Entry {
                    term,
                    command,
                    write: Some(write),
                });
                self.emit(NodeEvent::ClientEntryAppended { index, term });
                // Replicate at once rather than at the next heartbeat, so the write is not
                // delayed; a follower with a batch already in flight gets this entry in the
                // next batch, sent when that one is answered.
                for peer in self.peers() {
                    if self.in_flight_to[peer as usize] == 0 {
                        self.send_append_entries(peer);
                    }
                }
                self.advance_commit_index();
                ClientOutcome::Appended { index, term }
            }
            Role::Follower => match self.leader_id {
                Some(leader) => ClientOutcome::Redirect { leader },
                None => ClientOutcome::Rejected(WhyNotLeader::NoKnownLeader),
            },
            Role::Candidate => ClientOutcome::Rejected(WhyNotLeader::ElectionInProgress),
            Role::PreCandidate => ClientOutcome::Rejected(WhyNotLeader::NoKnownLeader),
        }
    }

    // ----- RequestVote -----

    /// RequestVote receiver implementation (Figure 2).
    fn handle_request_vote(&mut self, now: Time, from: NodeId, m: RequestVote, rng: &mut Rng) {
        let reason = if m.term < self.current_term {
            // 1. Reply false if term < currentTerm.
            VoteReason::StaleTerm {
                voter_term: self.current_term,
            }
        } else if let Some(other) = self.voted_for.filter(|&v| v != m.candidate_id) {
            // 2. ...if votedFor is null or candidateId...
            VoteReason::AlreadyVoted {
                for_candidate: other,
            }
        } else if let Some(behind) = self.log_behind(&m)
            && !self.breaks(BrokenRule::VoteWithoutLogCheck)
        {
            // ...and candidate's log is at least as up-to-date as receiver's log, grant vote.
            behind
        } else if self.voted_for == Some(m.candidate_id) {
            VoteReason::GrantedAgain
        } else if self.log_behind(&m).is_some() {
            // Only with the lab's broken rule: the check above was skipped.
            VoteReason::GrantedWithoutLogCheck {
                voter_last_term: self.log.last_term(),
                voter_last_index: self.log.last_index(),
            }
        } else {
            VoteReason::Granted
        };
        let granted = matches!(
            reason,
            VoteReason::Granted
                | VoteReason::GrantedAgain
                | VoteReason::GrantedWithoutLogCheck { .. }
        );
        let term = self.current_term;
        let candidate = m.candidate_id;
        if granted {
            self.voted_for = Some(candidate);
            // Granting a vote resets the election timer (Rules for Servers, Followers).
            if !self.breaks(BrokenRule::NoTimerResetOnVote) {
                self.reset_election_timer(now, rng);
            }
        }
        self.emit(NodeEvent::VoteCast {
            candidate,
            term,
            granted,
            reason: reason.clone(),
        });
        if matches!(reason, VoteReason::GrantedWithoutLogCheck { .. }) {
            self.broke(Breach::VotedForLessUpToDate { candidate, term });
        }
        if granted && self.breaks(BrokenRule::NoTimerResetOnVote) {
            self.broke(Breach::VotedWithoutTimerReset { candidate, term });
        }
        self.send(
            from,
            Message::RequestVoteReply(RequestVoteReply {
                term: self.current_term,
                vote_granted: granted,
                reason,
            }),
        );
    }

    /// Section 5.4.1's election restriction, shared by RequestVote and PreVote: the
    /// reason to refuse `m` when this server's log is more up to date than the asker's.
    pub(super) fn log_behind(&self, m: &RequestVote) -> Option<VoteReason> {
        let (last_term, last_index) = (self.log.last_term(), self.log.last_index());
        (!Log::is_up_to_date(m.last_log_term, m.last_log_index, last_term, last_index)).then_some(
            VoteReason::LogNotUpToDate {
                voter_last_term: last_term,
                voter_last_index: last_index,
            },
        )
    }

    fn handle_request_vote_reply(&mut self, now: Time, from: NodeId, m: RequestVoteReply) {
        // Replies from an older election, or arriving after the election was decided, change nothing.
        if self.role != Role::Candidate || m.term != self.current_term {
            return;
        }
        if m.vote_granted {
            self.votes_granted.insert(from);
            self.votes_denied.remove(&from);
            self.become_leader_if_elected(now);
        } else if !self.votes_granted.contains(&from) {
            self.votes_denied.insert(from);
        }
    }

    // ----- AppendEntries -----

    pub(super) fn send_append_entries(&mut self, to: NodeId) {
        // Invariant: next_index >= 1, so this never goes below index 0.
        self.track(to);
        let mut next = self.next_index[to as usize];
        if self.log.is_compacted(next) {
            // The entry the follower needs is in this leader's snapshot (section 7). Ask
            // first, with an AppendEntries that starts right after the snapshot (its
            // prevLogIndex is the snapshot's last entry): a follower that lacks that entry
            // says so, and only then does the snapshot travel (in the reply's handler),
            // rather than with every heartbeat to a server that may be down.
            next = self.log.first_index();
        }
        let prev_log_index = next.saturating_sub(1);
        let msg = AppendEntries {
            term: self.current_term,
            leader_id: self.id,
            prev_log_index,
            prev_log_term: self.log.term_at(prev_log_index).unwrap_or(0),
            entries: self
                .log
                .slice_from(next, self.config.max_entries_per_append),
            leader_commit: self.commit_index,
            read_round: self.read_round,
        };
        if !msg.entries.is_empty() {
            self.in_flight_to[to as usize] =
                prev_log_index.saturating_add(msg.entries.len() as LogIndex);
        }
        self.send(to, Message::AppendEntries(msg));
    }

    fn broadcast_append_entries(&mut self, now: Time) {
        for peer in self.peers() {
            self.send_append_entries(peer);
        }
        self.heartbeat_deadline = now.saturating_add(self.config.heartbeat_interval);
    }

    /// AppendEntries receiver implementation (Figure 2).
    fn handle_append_entries(&mut self, now: Time, from: NodeId, m: AppendEntries, rng: &mut Rng) {
        let reject =
            |node: &Node, reason: AppendReason, conflict_term, conflict_index| AppendEntriesReply {
                term: node.current_term,
                success: false,
                reason,
                match_index: 0,
                prev_log_index: m.prev_log_index,
                conflict_term,
                conflict_index,
                read_round: m.read_round,
            };
        // 1. Reply false if term < currentTerm.
        if m.term < self.current_term {
            let reply = reject(
                self,
                AppendReason::StaleTerm {
                    follower_term: self.current_term,
                },
                None,
                0,
            );
            return self.answer_append(from, m.entries.len(), reply);
        }
        // The sender is the leader of our term: a candidate gives up, and the timer restarts.
        self.become_follower(now, rng);
        self.leader_id = Some(m.leader_id);
        self.reset_election_timer(now, rng);
        self.heard_from_leader_at = Some(now);

        // 2. Reply false if log doesn't contain an entry at prevLogIndex whose term matches prevLogTerm.
        // An index inside this server's snapshot is committed, so it matches the leader's.
        let prev_term = if self.log.is_compacted(m.prev_log_index) {
            Some(m.prev_log_term)
        } else {
            self.log.term_at(m.prev_log_index)
        };
        match prev_term {
            None => {
                let last = self.log.last_index();
                let reason = AppendReason::MissingEntry {
                    prev_log_index: m.prev_log_index,
                    follower_last_index: last,
                };
                let reply = reject(self, reason, None, last.saturating_add(1));
                return self.answer_append(from, m.entries.len(), reply);
            }
            Some(found) if found != m.prev_log_term => {
                let reason = AppendReason::TermMismatch {
                    prev_log_index: m.prev_log_index,
                    expected_term: m.prev_log_term,
                    found_term: found,
                };
                let first = self
                    .log
                    .first_index_of_term(found)
                    .unwrap_or(m.prev_log_index);
                let reply = reject(self, reason, Some(found), first);
                return self.answer_append(from, m.entries.len(), reply);
            }
            Some(_) => {}
        }

        // 3. If an existing entry conflicts with a new one (same index, different terms),
        //    delete the existing entry and all that follow it.
        // 4. Append any new entries not already in the log.
        // An entry that is already there is kept: a late or duplicated AppendEntries
        // must not cut off entries that a newer one added.
        let count = m.entries.len();
        // The first entry the broken rule replaced in place, if any.
        let mut overwritten = None;
        for (offset, entry) in m.entries.into_iter().enumerate() {
            let index = m
                .prev_log_index
                .saturating_add(1)
                .saturating_add(offset as LogIndex);
            if self.log.is_compacted(index) {
                // Already in this server's snapshot (committed, so the same entry).
                continue;
            }
            match self.log.term_at(index) {
                Some(term) if term == entry.term => continue,
                Some(_) if self.breaks(BrokenRule::OverwriteWithoutTruncate) => {
                    // The broken rule: the conflicting entry is replaced in place and the
                    // entries after it stay.
                    self.log.overwrite(index, entry);
                    overwritten.get_or_insert(index);
                }
                Some(_) => {
                    let deleted = (self.log.last_index() - index + 1) as usize;
                    self.log.truncate_from(index);
                    self.emit(NodeEvent::EntriesDeleted {
                        from_index: index,
                        count: deleted,
                    });
                    self.log.append(entry);
                }
                None => {
                    self.log.append(entry);
                }
            }
        }
        let last_new_index = m.prev_log_index.saturating_add(count as LogIndex);
        if let Some(index) = overwritten
            && self.log.last_index() > last_new_index
        {
            // Said once, and only when entries that Figure 2 deletes are still there.
            self.broke(Breach::KeptEntriesAfterConflict {
                index,
                kept: self.log.last_index() - last_new_index,
            });
        }

        // 5. If leaderCommit > commitIndex, set commitIndex = min(leaderCommit, index of last new entry).
        if m.leader_commit > self.commit_index {
            let new_commit = m.leader_commit.min(last_new_index);
            if new_commit > self.commit_index {
                self.set_commit_index(new_commit);
            }
        }
        let reply = AppendEntriesReply {
            term: self.current_term,
            success: true,
            reason: AppendReason::Accepted,
            match_index: last_new_index,
            prev_log_index: m.prev_log_index,
            conflict_term: None,
            conflict_index: 0,
            read_round: m.read_round,
        };
        self.answer_append(from, count, reply);
    }

    fn answer_append(&mut self, leader: NodeId, entries: usize, reply: AppendEntriesReply) {
        self.emit(NodeEvent::AppendHandled {
            leader,
            term: self.current_term,
            success: reply.success,
            reason: reply.reason.clone(),
            entries,
        });
        self.send(leader, Message::AppendEntriesReply(reply));
    }

    fn handle_append_entries_reply(&mut self, from: NodeId, m: AppendEntriesReply) {
        if self.role != Role::Leader || m.term != self.current_term {
            return;
        }
        let peer = from as usize;
        // Any answer in this term, success or not, says the follower still takes this
        // server as its leader: a confirmation for the ReadIndex reads of its round.
        self.read_round_answered(from, m.read_round);
        if m.success {
            self.follower_matches(from, m.match_index);
        } else {
            // A rejection of a request at or below what the follower already matched is
            // stale (reordered or duplicated): it says nothing new.
            if m.prev_log_index <= self.match_index[peer] {
                return;
            }
            // If AppendEntries fails because of log inconsistency: decrement nextIndex and retry.
            let hinted = if self.config.fast_backup {
                match m.conflict_term {
                    Some(term) => self
                        .log
                        .last_index_of_term(term)
                        .map_or(m.conflict_index, |i| i + 1),
                    None => m.conflict_index,
                }
            } else {
                m.prev_log_index
            };
            let next = hinted
                .min(m.prev_log_index)
                .max(self.match_index[peer].saturating_add(1))
                .max(1);
            if self.log.is_compacted(next) {
                // What the follower lacks is in the snapshot: send it (again, if the
                // last one was lost).
                self.next_index[peer] = next;
                self.send_snapshot(from);
            } else if next < self.next_index[peer] {
                self.next_index[peer] = next;
                self.in_flight_to[peer] = 0;
                self.send_append_entries(from);
            }
        }
    }

    /// If successful: update nextIndex and matchIndex for the follower (an AppendEntries
    /// or an InstallSnapshot reply said its log matches this leader's up to `match_index`).
    pub(super) fn follower_matches(&mut self, from: NodeId, match_index: LogIndex) {
        let peer = from as usize;
        if match_index > self.match_index[peer] {
            self.match_index[peer] = match_index;
        }
        self.next_index[peer] = self.next_index[peer].max(self.match_index[peer].saturating_add(1));
        self.advance_commit_index();
        // A reply that does not cover the batch in flight (an older heartbeat's, say)
        // leaves that batch to be answered; otherwise send the next batch, if any.
        if self.match_index[peer] >= self.in_flight_to[peer] {
            self.in_flight_to[peer] = 0;
            if self.next_index[peer] <= self.log.last_index() {
                self.send_append_entries(from);
            }
        }
        self.send_timeout_now_if_caught_up(from);
    }

    // ----- Commit and apply -----

    /// Rules for leaders: if there exists an N > commitIndex such that a majority of
    /// matchIndex[i] >= N, and log[N].term == currentTerm, set commitIndex = N.
    /// The term check is what Figure 8 is about: an entry of an earlier term is
    /// never committed by counting replicas.
    pub(super) fn advance_commit_index(&mut self) {
        // The highest index a majority of the voters holds (the leader holds its whole
        // log, unless it is removing itself). The count of voters holding an index only
        // falls just past a follower's match index, so the last index and those are the
        // only candidates: a few counts, rather than one count for every index from the
        // last one down (this runs after every reply a leader gets).
        let last = self.log.last_index();
        let majority = self.majority();
        let me = usize::from(self.is_voter(self.id));
        let peers = self.voting_peers();
        let mut n = self.commit_index;
        for candidate in std::iter::once(last).chain(peers.clone().map(|p| self.matched(p))) {
            if candidate <= n || candidate > last {
                continue;
            }
            let mut holders = me;
            for p in peers.clone() {
                if self.matched(p) >= candidate {
                    holders += 1;
                }
            }
            if holders >= majority {
                n = candidate;
            }
        }
        if n == self.commit_index {
            return;
        }
        let entry_term = self.log.term_at(n).unwrap_or(0);
        if entry_term != self.current_term {
            // Terms never decrease along the log, so no index below `n` is of this term
            // either: nothing commits by counting replicas (Figure 8).
            if !self.breaks(BrokenRule::CommitEarlierTerm) {
                return;
            }
            self.broke(Breach::CommittedEarlierTerm {
                index: n,
                entry_term,
                term: self.current_term,
            });
        }
        self.set_commit_index(n);
    }

    /// The leader's match index for server `p` (0 without a slot for it).
    fn matched(&self, p: NodeId) -> LogIndex {
        self.match_index.get(p as usize).copied().unwrap_or(0)
    }

    /// How many servers (the leader included) the leader knows to hold `index`.
    pub fn replica_count(&self, index: LogIndex) -> usize {
        if self.role != Role::Leader {
            return 0;
        }
        let here = usize::from(self.log.last_index() >= index && self.is_voter(self.id));
        here + self
            .voting_peers()
            .filter(|&p| {
                self.match_index
                    .get(p as usize)
                    .is_some_and(|&m| m >= index)
            })
            .count()
    }

    fn set_commit_index(&mut self, to: LogIndex) {
        let from = self.commit_index;
        self.commit_index = to;
        self.emit(NodeEvent::CommitAdvanced { from, to });
        // All servers: if commitIndex > lastApplied, apply log[lastApplied+1].
        while self.last_applied < self.commit_index {
            self.last_applied += 1;
            let Some(entry) = self.log.get(self.last_applied).cloned() else {
                break;
            };
            self.kv.apply(&entry.command);
            self.emit(NodeEvent::Applied {
                index: self.last_applied,
                entry,
            });
        }
        self.take_snapshot_if_due();
        if self.role == Role::Leader && !self.pending_reads.is_empty() {
            self.note_read_indexes();
            self.answer_confirmed_reads();
        }
    }
}

#[cfg(test)]
mod tests {
    use rand_core::SeedableRng;

    use super::*;
    use crate::raft::MS;

    fn node_in_term(term: Term) -> (Node, Rng) {
        let mut rng = Rng::seed_from_u64(1);
        let mut node = Node::new(0, 3, RaftConfig::default(), 0, &mut rng);
        node.current_term = term;
        (node, rng)
    }

    /// Fires the election timer `times` times; returns the terms seen after each.
    fn time_out(node: &mut Node, rng: &mut Rng, times: usize) -> Vec<Term> {
        (0..times)
            .map(|_| {
                let now = node.election_deadline;
                node.tick(now, rng);
                node.current_term
            })
            .collect()
    }

    #[test]
    fn a_server_in_the_highest_term_starts_no_election_and_never_wraps() {
        let (mut node, mut rng) = node_in_term(MAX_TERM - 1);
        let terms = time_out(&mut node, &mut rng, 4);
        assert_eq!(terms, vec![MAX_TERM; 4]);
        let events: Vec<NodeEvent> = node
            .take_outputs()
            .into_iter()
            .filter_map(|o| match o {
                Output::Event(e) => Some(e),
                Output::Send { .. } => None,
            })
            .collect();
        assert!(events.contains(&NodeEvent::ElectionTimeout { term: MAX_TERM }));
        let refused = events
            .iter()
            .filter(|e| **e == NodeEvent::TermLimitReached { term: MAX_TERM })
            .count();
        assert_eq!(refused, 3, "{events:?}");
        // It still answers the leader of its term and keeps its timer running.
        assert!(node.election_deadline > 0);
    }

    #[test]
    fn terms_beyond_the_limit_never_wrap_to_zero() {
        for term in [MAX_TERM, MAX_TERM + 1, u64::MAX - 1, u64::MAX] {
            let (mut node, mut rng) = node_in_term(term);
            let terms = time_out(&mut node, &mut rng, 3);
            assert!(terms.iter().all(|&t| t == term), "{term}: {terms:?}");
            assert_eq!(node.role, Role::Follower);
        }
    }

    #[test]
    fn index_arithmetic_at_the_edges_saturates() {
        let (mut node, mut rng) = node_in_term(1);
        // A heartbeat whose previous index is the largest there is: rejected, no panic.
        node.step(
            10 * MS,
            1,
            Message::AppendEntries(AppendEntries {
                term: 1,
                leader_id: 1,
                prev_log_index: LogIndex::MAX,
                prev_log_term: 1,
                entries: Vec::new(),
                leader_commit: LogIndex::MAX,
                read_round: 0,
            }),
            &mut rng,
        );
        assert_eq!(node.commit_index, 0);
        // Timers far in the future stay there rather than wrap to the past.
        node.set_election_timer(Time::MAX - 5, 10);
        assert_eq!(node.election_deadline, Time::MAX);
    }
}
