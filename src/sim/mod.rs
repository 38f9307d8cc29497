//! The deterministic cluster simulator: a virtual clock, an event queue of messages in
//! flight, a network that can lose, duplicate, reorder and partition, crashes and
//! restarts, client writes, a trace of every event, and a safety checker after each one.
//!
//! Everything random comes from one seeded generator, so the same seed and the same
//! interventions at the same virtual times give the same run, event for event.

pub mod bounds;
mod client;
mod export;
mod intervention;
pub mod lab;
pub mod linearizability;
mod network;
mod reads;
mod safety;
mod scenarios;
mod share;
pub mod tour;
mod trace;

use rand_core::SeedableRng;
use serde::{Deserialize, Serialize};

pub use bounds::{
    MAX_DUPLICATE_PERMILLE, MAX_ENTRIES_PER_APPEND, MAX_INITIAL_LOG, MAX_INITIAL_TERM, MAX_LATENCY,
    MAX_LATENCY_HEARTBEATS, MAX_LINK_LEN, MAX_LOSS_PERMILLE, MAX_PLAYHEAD, MAX_REPLAY_EVENTS,
    MAX_SERVERS, MAX_STEPS, MAX_TIMEOUT, MAX_TRACE_BYTES, MIN_HEARTBEAT, MIN_LATENCY,
};
pub use client::{
    ClientRead, ClientWrite, ReadFailure, ReadFate, RejectReason, WriteFate, WriteTarget,
    order_stamp,
};
pub use export::{
    Agreement, TRACE_FORMAT, TRACE_VERSION, TraceDocument, TraceFile, export_json, import_trace,
    read_trace,
};
pub use intervention::Intervention;
pub use network::{DropReason, InFlight, InFlightQueue, Links, MsgId, NetConfig};
pub use safety::{Invariant, SafetyChecker, Violation};
pub use scenarios::{FIGURE_7_LOGS, SCENARIOS, scenario};
pub use share::{
    OLDEST_SCRIPT_VERSION, RunScript, SCRIPT_VERSION, ScriptStep, base64url_encode, decode_link,
    encode_link,
};
pub use trace::{
    ClientEvent, Context, EventKind, PartitionOutcome, ReadEvent, TraceEvent, append_reason,
    describe, describe_in, format_time, rpc_name, term_of, vote_reason,
};

use crate::raft::{
    ClientOutcome, Command, Entry, Log, LogIndex, Message, Node, NodeEvent, NodeId, Output,
    RaftConfig, Rng, Role, SharedVec, Term, Time, WriteId, uniform,
};

/// Everything that defines a run before anyone touches it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SimConfig {
    pub servers: u8,
    pub seed: u64,
    pub raft: RaftConfig,
    pub net: NetConfig,
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            servers: 5,
            seed: 1,
            raft: RaftConfig::default(),
            net: NetConfig::default(),
        }
    }
}

impl SimConfig {
    pub fn with_seed(servers: u8, seed: u64) -> SimConfig {
        SimConfig {
            servers,
            seed,
            ..SimConfig::default()
        }
    }

    /// Checks the numbers a person (or a share link) could get wrong: see [`bounds`].
    pub fn validate(&self) -> Result<(), String> {
        bounds::check_config(self)
    }

    /// Whether a page older than the lab could not replay this configuration: stable
    /// storage writes that take time (see [`NetConfig::storage_max`]), a broken rule.
    pub fn uses_version_4(&self) -> bool {
        self.net.storage_max > 0 || self.raft.broken.is_some()
    }
}

/// One server slot: the Raft node and whether it is running.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Server {
    pub node: Node,
    pub up: bool,
}

/// One server's persistent state as prepared before a run (see [`Sim::set_persistent_state`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InitialState {
    pub server: NodeId,
    pub current_term: Term,
    pub voted_for: Option<NodeId>,
    pub log_terms: Vec<Term>,
}

/// What the next event will be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Next {
    Deliver,
    Timer(NodeId),
}

/// A whole simulated cluster. `Clone` for checkpoints, serde for exports.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Sim {
    /// The settings now: the network controls (SetLoss, SetLatency, SetDuplication)
    /// change them as the run goes.
    config: SimConfig,
    /// The settings the run started with: with the interventions, the whole run. A link or
    /// a trace must carry these, not the current ones, or it replays a different run.
    #[serde(default)]
    start_config: SimConfig,
    now: Time,
    rng: Rng,
    servers: Vec<Server>,
    /// Messages on the wire, sorted by delivery time, then by id.
    in_flight: InFlightQueue,
    next_msg_id: MsgId,
    links: Links,
    /// Every client write, by id (`writes[id - 1]`); shared with copies (checkpoints).
    writes: SharedVec<ClientWrite>,
    /// Every client read, by id (`reads[id - 1]`). Left out while there is none, so runs
    /// without reads are written as before reads existed.
    #[serde(default, skip_serializing_if = "SharedVec::is_empty")]
    reads: SharedVec<ClientRead>,
    /// For each write (by id), when it was sent and acknowledged as an [`order_stamp`]:
    /// what orders it against reads. Kept apart from `writes` so that `state_digest`
    /// (which old links' fixtures pin) stays as it was; a whole `Sim` written as JSON
    /// (tests only) does carry it.
    #[serde(default)]
    write_stamps: SharedVec<(u64, Option<u64>)>,
    /// Whether an intervention is being applied (for [`order_stamp`]).
    #[serde(skip)]
    in_intervention: bool,
    /// Writes that may still be pending, as (the index each was appended at, its id): only
    /// these can be lost when another entry is applied at their index (scanning every
    /// write ever made would grow with the run). The index is kept here so that an
    /// applied entry with no other write pending at its index (nearly every one) reads
    /// no write at all.
    #[serde(default)]
    pending_writes: Vec<(LogIndex, WriteId)>,
    trace: Vec<TraceEvent>,
    record_trace: bool,
    /// Keep only about this many of the newest trace events (a long-running page).
    #[serde(default)]
    trace_limit: Option<usize>,
    /// How many of the oldest events were forgotten because of `trace_limit`.
    #[serde(default)]
    trace_forgotten: u64,
    /// Every intervention with the virtual time it was applied at: with the seed, the whole run.
    interventions: SharedVec<(Time, Intervention)>,
    /// For each intervention, how many events had been processed when it was applied:
    /// with the time, it pins the intervention between two simultaneous events.
    #[serde(default)]
    intervention_events: SharedVec<u64>,
    /// Servers whose persistent state was set up before the run (scenarios such as
    /// Figure 7): part of the run's script.
    #[serde(default)]
    initial: Vec<InitialState>,
    checker: SafetyChecker,
    check_safety: bool,
    violation: Option<Violation>,
    events: u64,
    #[serde(skip)]
    outputs: Vec<Output>,
}

impl Sim {
    /// A cluster of fresh followers at time 0, each with its own random election timeout.
    pub fn new(config: SimConfig) -> Result<Sim, String> {
        config.validate()?;
        let mut rng = Rng::seed_from_u64(config.seed);
        let servers = (0..config.servers)
            .map(|id| Server {
                node: Node::new(id, config.servers, config.raft.clone(), 0, &mut rng),
                up: true,
            })
            .collect();
        Ok(Sim {
            now: 0,
            rng,
            servers,
            in_flight: InFlightQueue::default(),
            next_msg_id: 1,
            links: Links::default(),
            writes: SharedVec::new(),
            reads: SharedVec::new(),
            write_stamps: SharedVec::new(),
            in_intervention: false,
            pending_writes: Vec::new(),
            trace: Vec::new(),
            record_trace: true,
            trace_limit: None,
            trace_forgotten: 0,
            interventions: SharedVec::new(),
            intervention_events: SharedVec::new(),
            initial: Vec::new(),
            checker: SafetyChecker::new(config.servers as usize),
            check_safety: true,
            violation: None,
            events: 0,
            outputs: Vec::new(),
            start_config: config.clone(),
            config,
        })
    }

    /// Stop recording the trace (long benchmark runs; the safety checker still runs).
    pub fn set_record_trace(&mut self, on: bool) {
        self.record_trace = on;
    }

    /// Keep only the newest `limit` trace events or more (up to twice as many, so that
    /// trimming costs little per event). `None` keeps everything.
    pub fn set_trace_limit(&mut self, limit: Option<usize>) {
        self.trace_limit = limit;
    }

    /// A copy of this run without its trace: what the timeline keeps as a checkpoint.
    pub fn checkpoint(&self) -> Sim {
        // Field by field, to skip copying the trace only to drop it.
        Sim {
            config: self.config.clone(),
            start_config: self.start_config.clone(),
            now: self.now,
            rng: self.rng.clone(),
            servers: self.servers.clone(),
            in_flight: self.in_flight.clone(),
            next_msg_id: self.next_msg_id,
            links: self.links.clone(),
            writes: self.writes.clone(),
            reads: self.reads.clone(),
            write_stamps: self.write_stamps.clone(),
            in_intervention: false,
            pending_writes: self.pending_writes.clone(),
            trace: Vec::new(),
            record_trace: self.record_trace,
            trace_limit: self.trace_limit,
            trace_forgotten: self.trace_forgotten + self.trace.len() as u64,
            interventions: self.interventions.clone(),
            intervention_events: self.intervention_events.clone(),
            initial: self.initial.clone(),
            checker: self.checker.clone(),
            check_safety: self.check_safety,
            violation: self.violation.clone(),
            events: self.events,
            outputs: Vec::new(),
        }
    }

    /// Takes from `older`, an earlier copy of this very run, the trace lines this one
    /// does not have: a run rebuilt from a checkpoint starts its trace empty, but the
    /// events before the checkpoint are the same ones (the simulator is deterministic),
    /// so the event log keeps them across a step back or a seek.
    pub fn adopt_trace_prefix(&mut self, older: &Sim) {
        if older.trace_forgotten >= self.trace_forgotten {
            return;
        }
        let missing = (self.trace_forgotten - older.trace_forgotten) as usize;
        let Some(prefix) = older.trace.get(..missing) else {
            return;
        };
        let mut trace = prefix.to_vec();
        trace.append(&mut self.trace);
        self.trace = trace;
        self.trace_forgotten = older.trace_forgotten;
        self.trace_limit = older.trace_limit;
    }

    /// How many of the oldest trace events were forgotten because of the trace limit.
    pub fn trace_forgotten(&self) -> u64 {
        self.trace_forgotten
    }

    /// Turn the safety checker off: only for measuring the simulator's raw speed.
    pub fn set_check_safety(&mut self, on: bool) {
        self.check_safety = on;
    }

    // ----- Queries -----

    pub fn config(&self) -> &SimConfig {
        &self.config
    }

    /// The settings this run started with (before any network control was changed).
    pub fn start_config(&self) -> &SimConfig {
        &self.start_config
    }

    pub fn now(&self) -> Time {
        self.now
    }

    pub fn servers(&self) -> &[Server] {
        &self.servers
    }

    pub fn node(&self, id: NodeId) -> &Node {
        &self.servers[id as usize].node
    }

    /// Whether server `id` holds the entry of term `term` at `index`: in its log, or in
    /// its snapshot when the entry committed at `index` is of that term (a snapshot keeps
    /// the state committed entries made, not the entries).
    pub fn holds_entry(&self, id: NodeId, index: LogIndex, term: Term) -> bool {
        let log = &self.node(id).log;
        if log.is_compacted(index) && index < log.snapshot_index() {
            self.checker
                .committed_entry(index)
                .is_some_and(|e| e.term == term)
        } else {
            log.term_at(index) == Some(term)
        }
    }

    /// How many server slots the run has: the servers it started with and every one
    /// added since (removed ones keep their slot and their id).
    pub fn server_count(&self) -> u8 {
        self.servers.len() as u8
    }

    /// A new server, S(n+1), running and knowing no configuration yet.
    fn add_server_slot(&mut self) {
        let id = self.server_count();
        let node = Node::joining(id, self.config.raft.clone(), self.now, &mut self.rng);
        self.servers.push(Server { node, up: true });
        self.checker.server_added();
    }

    /// The configuration in force: the leader's, or without one the newest any running
    /// server's log holds.
    pub fn membership(&self) -> crate::raft::Membership {
        match self.leader() {
            Some(l) => self.node(l).membership(),
            None => self
                .servers
                .iter()
                .filter(|s| s.up)
                .max_by_key(|s| s.node.log.config_index().max(s.node.log.snapshot_index()))
                .map_or_else(
                    || crate::raft::Membership::first(self.config.servers),
                    |s| s.node.membership(),
                ),
        }
    }

    pub fn is_up(&self, id: NodeId) -> bool {
        self.servers[id as usize].up
    }

    /// The messages on the wire, the next to arrive first.
    pub fn in_flight(&self) -> &InFlightQueue {
        &self.in_flight
    }

    pub fn links(&self) -> &Links {
        &self.links
    }

    /// The links as they stood right after the intervention recorded as trace event
    /// number `seq` (counted from the run's first event, forgotten ones included),
    /// rebuilt from the run's interventions: what a partition really split the network
    /// into, on top of the cuts made before it. `None` if the trace no longer holds that
    /// event or it is no intervention.
    pub fn links_after(&self, seq: u64) -> Option<Links> {
        let at = usize::try_from(seq.checked_sub(self.trace_forgotten)?).ok()?;
        let event = self.trace.get(at)?;
        let EventKind::Intervention(wanted) = &event.kind else {
            return None;
        };
        // The same intervention can be applied twice at one instant: count which one.
        let same = |e: &TraceEvent| e.time == event.time && e.kind == event.kind;
        let earlier = self.trace[..at]
            .iter()
            .rev()
            .take_while(|e| e.time == event.time)
            .filter(|e| same(e))
            .count();
        let mut links = Links::default();
        let mut seen = 0;
        let mut servers = self.config.servers;
        for (time, i) in &self.interventions {
            if matches!(i, Intervention::AddServer) {
                servers += 1;
            }
            links.apply(i, servers);
            if *time == event.time && i == wanted {
                if seen == earlier {
                    return Some(links);
                }
                seen += 1;
            }
        }
        None
    }

    pub fn writes(&self) -> &SharedVec<ClientWrite> {
        &self.writes
    }

    /// Every client read, oldest first.
    pub fn reads(&self) -> &SharedVec<ClientRead> {
        &self.reads
    }

    pub fn trace(&self) -> &[TraceEvent] {
        &self.trace
    }

    pub fn interventions(&self) -> &SharedVec<(Time, Intervention)> {
        &self.interventions
    }

    /// The first broken invariant, if the checker ever found one.
    pub fn violation(&self) -> Option<&Violation> {
        self.violation.as_ref()
    }

    /// How many events (deliveries, drops, timer firings) have been processed.
    pub fn events_processed(&self) -> u64 {
        self.events
    }

    /// The leader of each term, as elected so far.
    pub fn leaders_by_term(&self) -> &std::collections::BTreeMap<Term, NodeId> {
        self.checker.leaders_by_term()
    }

    /// The running server that leads the highest term, if any. (A deposed leader that
    /// has not heard of the newer term yet still believes it leads; it is not returned.)
    pub fn leader(&self) -> Option<NodeId> {
        self.servers
            .iter()
            .filter(|s| s.up && s.node.role == Role::Leader)
            .max_by_key(|s| s.node.current_term)
            .map(|s| s.node.id)
    }

    /// Every running server that believes it is a leader (more than one during a partition).
    pub fn leaders(&self) -> Vec<NodeId> {
        self.servers
            .iter()
            .filter(|s| s.up && s.node.role == Role::Leader)
            .map(|s| s.node.id)
            .collect()
    }

    /// The highest index committed anywhere so far.
    pub fn committed_len(&self) -> LogIndex {
        self.checker.committed_len()
    }

    /// When the next event happens, if anything is scheduled at all.
    pub fn next_event_time(&self) -> Option<Time> {
        self.peek().map(|(t, _)| t)
    }

    fn peek(&self) -> Option<(Time, Next)> {
        let message = self
            .in_flight
            .first()
            .map(|m| (m.deliver_at, Next::Deliver));
        // The earliest timer of a running server, the lowest id on a tie. A plain loop:
        // this runs once per event.
        let mut earliest: Option<(Time, NodeId)> = None;
        for s in &self.servers {
            if s.up {
                let at = (s.node.timer_deadline().max(self.now), s.node.id);
                if earliest.is_none_or(|e| at < e) {
                    earliest = Some(at);
                }
            }
        }
        let timer = earliest.map(|(t, id)| (t, Next::Timer(id)));
        match (message, timer) {
            // On a tie the message goes first: it was scheduled before the timer fired.
            (Some(m), Some(t)) => Some(if m.0 <= t.0 { m } else { t }),
            (m, t) => m.or(t),
        }
    }

    // ----- Running -----

    /// Processes the next event. Returns false when nothing is scheduled (every server is down).
    pub fn step(&mut self) -> bool {
        match self.peek() {
            Some(next) => {
                self.process(next);
                true
            }
            None => false,
        }
    }

    fn process(&mut self, (time, next): (Time, Next)) {
        self.now = time;
        self.events += 1;
        match next {
            Next::Deliver => {
                if let Some(m) = self.in_flight.pop_first() {
                    self.deliver(m);
                }
            }
            Next::Timer(id) => {
                let now = self.now;
                let server = &mut self.servers[id as usize];
                server.node.tick(now, &mut self.rng);
                self.process_outputs(id);
            }
        }
    }

    /// Processes every event up to and including `time`, then sets the clock to `time`.
    pub fn run_until(&mut self, time: Time) {
        // One look at the queue per event: this loop is the simulator's hot path.
        while let Some(next) = self.peek() {
            if next.0 > time {
                break;
            }
            self.process(next);
        }
        self.now = self.now.max(time);
    }

    /// Runs for `duration` of virtual time.
    pub fn run_for(&mut self, duration: Time) {
        self.run_until(self.now + duration);
    }

    /// Runs until `done` holds (checked after each event) or `limit` of virtual time has
    /// passed. Returns whether `done` held.
    pub fn run_until_condition(&mut self, limit: Time, mut done: impl FnMut(&Sim) -> bool) -> bool {
        let end = self.now + limit;
        loop {
            if done(self) {
                return true;
            }
            match self.next_event_time() {
                Some(t) if t <= end => {
                    self.step();
                }
                _ => {
                    self.now = end;
                    return done(self);
                }
            }
        }
    }

    fn record(&mut self, kind: EventKind) {
        if self.record_trace {
            self.trace.push(TraceEvent {
                time: self.now,
                kind,
            });
            if let Some(limit) = self.trace_limit
                && self.trace.len() > limit.saturating_mul(2).max(1)
            {
                let forget = self.trace.len() - limit;
                self.trace.drain(..forget);
                self.trace_forgotten += forget as u64;
            }
        }
    }

    fn deliver(&mut self, m: InFlight) {
        let reason = if m.lost {
            Some(DropReason::Lost)
        } else if self.links.is_cut(m.from, m.to) {
            Some(DropReason::LinkCut)
        } else if !self.servers[m.to as usize].up {
            Some(DropReason::ReceiverDown)
        } else {
            None
        };
        if let Some(reason) = reason {
            self.record(EventKind::Drop {
                id: m.id,
                from: m.from,
                to: m.to,
                msg: m.msg,
                reason,
                sent_at: m.sent_at,
                deliver_at: m.deliver_at,
            });
            return;
        }
        if self.record_trace {
            self.record(EventKind::Deliver {
                id: m.id,
                from: m.from,
                to: m.to,
                msg: m.msg.clone(),
            });
        }
        let now = self.now;
        self.servers[m.to as usize]
            .node
            .step(now, m.from, m.msg, &mut self.rng);
        self.process_outputs(m.to);
    }

    /// Carries out what node `id` asked for: messages onto the wire, events into the
    /// trace and the checker, client writes' fates updated.
    fn process_outputs(&mut self, id: NodeId) {
        let mut outputs = std::mem::take(&mut self.outputs);
        self.servers[id as usize]
            .node
            .drain_outputs_into(&mut outputs);
        for output in outputs.drain(..) {
            match output {
                Output::Send { to, msg } => self.send(id, to, msg),
                Output::Event(event) => self.node_event(id, event),
            }
        }
        self.outputs = outputs;
        self.check_server(id);
    }

    fn send(&mut self, from: NodeId, to: NodeId, msg: Message) {
        let duplicate = self.config.net.duplicate_permille > 0
            && uniform(&mut self.rng, 0, 999) < u64::from(self.config.net.duplicate_permille);
        // An answer leaves once the stable-storage write before it is done (one write for
        // both copies of a duplicated one). Drawn after the rest and only when writes take
        // time, so runs without the setting draw exactly as before it existed.
        let net = &self.config.net;
        let sent_at = if net.storage_max > 0 && msg.follows_a_write() {
            let (lo, hi) = (net.storage_min, net.storage_max);
            self.now + uniform(&mut self.rng, lo, hi)
        } else {
            self.now
        };
        if duplicate {
            self.put_on_wire(from, to, msg.clone(), false, sent_at);
            self.put_on_wire(from, to, msg, true, sent_at);
        } else {
            self.put_on_wire(from, to, msg, false, sent_at);
        }
    }

    fn put_on_wire(
        &mut self,
        from: NodeId,
        to: NodeId,
        msg: Message,
        duplicate: bool,
        sent_at: Time,
    ) {
        let id = self.next_msg_id;
        self.next_msg_id += 1;
        let net = &self.config.net;
        let (latency_min, latency_max, loss) =
            (net.latency_min, net.latency_max, net.loss_permille);
        let latency = uniform(&mut self.rng, latency_min, latency_max);
        let lost = loss > 0 && uniform(&mut self.rng, 0, 999) < u64::from(loss);
        let deliver_at = sent_at + latency;
        if self.record_trace {
            self.record(EventKind::Send {
                id,
                from,
                to,
                msg: msg.clone(),
                deliver_at,
                duplicate,
            });
        }
        if self.links.is_cut(from, to) {
            // A cut link carries nothing: the message dies at the sender's end.
            self.record(EventKind::Drop {
                id,
                from,
                to,
                msg,
                reason: DropReason::LinkCut,
                sent_at: self.now,
                deliver_at: self.now,
            });
            return;
        }
        let flight = InFlight {
            id,
            from,
            to,
            msg,
            sent_at,
            deliver_at,
            lost,
        };
        self.in_flight.insert(flight);
    }

    fn fail(&mut self, violation: Violation) {
        if self.violation.is_none() {
            self.record(EventKind::Violation(violation.clone()));
            self.violation = Some(violation);
        }
    }

    fn check_server(&mut self, id: NodeId) {
        if self.check_safety
            && let Err(v) = self.checker.check_server(self.now, id, &self.servers)
        {
            self.fail(v);
        }
    }

    fn check_all_servers(&mut self) {
        for id in 0..self.server_count() {
            self.check_server(id);
        }
    }

    fn node_event(&mut self, id: NodeId, event: NodeEvent) {
        if self.check_safety
            && let Err(v) = self.checker.observe(self.now, id, &event, &self.servers)
        {
            self.fail(v);
        }
        if let NodeEvent::Applied { index, entry } = &event
            && let Some(write) = entry.write
        {
            self.write_applied(id, *index, write);
        }
        if let NodeEvent::Applied { index, entry } = &event {
            self.other_writes_lost(*index, entry.write);
        }
        // The client hears of a read's end after the leader's own event, in the trace too.
        let read_done = reads::ReadDone::of(&event);
        if self.record_trace {
            // Only when recording: building the trace event moves the whole node event
            // (72 bytes) once more, for every event, to drop it unread.
            self.record(EventKind::Node { node: id, event });
        }
        if let Some(done) = read_done {
            self.read_done(id, done);
        }
    }

    /// Server `id` applied the entry of `write` at `index`: the write is committed, and if
    /// `id` is the leader that took it, it answers the client.
    fn write_applied(&mut self, id: NodeId, index: LogIndex, write: WriteId) {
        // Write ids are handed out as 1, 2, 3, …: the id is the position plus one.
        let at = (write as usize).wrapping_sub(1);
        let Some(w) = self.writes.get(at).filter(|w| w.id == write) else {
            return;
        };
        let node = &self.servers[id as usize].node;
        let (fate, event) = match w.fate {
            WriteFate::Pending { leader, term, .. }
                if leader == id && node.role == Role::Leader && node.current_term == term =>
            {
                (
                    WriteFate::Acknowledged {
                        index,
                        at: self.now,
                    },
                    ClientEvent::Acknowledged { leader: id, index },
                )
            }
            WriteFate::Pending { .. } | WriteFate::Lost { .. } => (
                WriteFate::Committed { index },
                ClientEvent::CommittedUnacknowledged { index },
            ),
            // Read before writing: changing a write shared with a checkpoint copies it.
            _ => return,
        };
        if let Some(w) = self.writes.get_mut(at) {
            w.fate = fate;
        }
        // Pending no more.
        self.pending_writes.retain(|&(_, id)| id != write);
        if let (ClientEvent::Acknowledged { .. }, Some(stamps)) =
            (&event, self.write_stamps.get_mut(at))
        {
            stamps.1 = Some(order_stamp(self.events, self.in_intervention));
        }
        if let ClientEvent::Acknowledged { .. } = event
            && self.check_safety
            && let Err(v) = self.checker.acknowledged(self.now, write, index)
        {
            self.fail(v);
        }
        self.record(EventKind::Client { write, event });
    }

    /// A pending write whose index now holds another committed entry is lost for good.
    fn other_writes_lost(&mut self, index: LogIndex, applied: Option<WriteId>) {
        let other_at_index = |&(i, id): &(LogIndex, WriteId)| i == index && applied != Some(id);
        // The usual case, decided from the list alone (this runs for every entry every
        // server applies).
        if !self.pending_writes.iter().any(other_at_index) {
            return;
        }
        let writes = &self.writes;
        let lost: Vec<WriteId> = self
            .pending_writes
            .iter()
            .filter(|&p| other_at_index(p))
            .map(|&(_, id)| id)
            .filter(|&id| {
                writes.get(id as usize - 1).is_some_and(
                    |w| matches!(w.fate, WriteFate::Pending { index: i, .. } if i == index),
                )
            })
            .collect();
        for &id in &lost {
            if let Some(w) = self.writes.get_mut(id as usize - 1) {
                w.fate = WriteFate::Lost { index };
            }
        }
        let writes = &self.writes;
        self.pending_writes.retain(|&(_, id)| {
            writes
                .get(id as usize - 1)
                .is_some_and(|w| matches!(w.fate, WriteFate::Pending { .. }))
        });
        for write in lost {
            self.record(EventKind::Client {
                write,
                event: ClientEvent::Lost { index },
            });
        }
    }

    // ----- Interventions -----

    /// Applies an intervention now. An invalid one (an unknown server, a message that is
    /// no longer in flight) is refused with a reason and changes nothing.
    pub fn apply(&mut self, intervention: Intervention) -> Result<(), String> {
        self.validate(&intervention)?;
        self.in_intervention = true;
        self.apply_valid(intervention);
        self.in_intervention = false;
        Ok(())
    }

    fn apply_valid(&mut self, intervention: Intervention) {
        if self.record_trace {
            // Not cloned for nothing when the trace is off (a benchmark's write loop).
            self.record(EventKind::Intervention(intervention.clone()));
        }
        self.interventions.push((self.now, intervention.clone()));
        self.intervention_events.push(self.events);
        if matches!(intervention, Intervention::AddServer) {
            self.add_server_slot();
        }
        self.links.apply(&intervention, self.server_count());
        // A client write changes only the server that takes it, checked as it does so
        // (`process_outputs`): checking every server again after each write (a benchmark
        // writes every 10 ms) would look at unchanged state.
        let others_unchanged = matches!(intervention, Intervention::ClientWrite { .. });
        let now = self.now;
        match intervention {
            Intervention::AddServer => {
                let id = self.server_count() - 1;
                if let Some(leader) = self.leader() {
                    let _ = self.servers[leader as usize].node.add_server(id, now);
                    self.process_outputs(leader);
                }
            }
            Intervention::RemoveServer(id) => {
                if let Some(leader) = self.leader() {
                    let _ = self.servers[leader as usize].node.remove_server(id);
                    self.process_outputs(leader);
                }
            }
            Intervention::Crash(id) => {
                self.reads_lost_in_crash(id);
                self.servers[id as usize].up = false;
                let gone = self.in_flight.remove_where(|m| m.from == id || m.to == id);
                for m in gone {
                    let reason = if m.from == id {
                        DropReason::SenderCrashed
                    } else {
                        DropReason::ReceiverCrashed
                    };
                    self.record(EventKind::Drop {
                        id: m.id,
                        from: m.from,
                        to: m.to,
                        msg: m.msg,
                        reason,
                        sent_at: m.sent_at,
                        deliver_at: m.deliver_at,
                    });
                }
            }
            Intervention::Restart(id) => {
                let server = &mut self.servers[id as usize];
                server.up = true;
                server.node.restart(now, &mut self.rng);
                // A restart says nothing, unless a broken rule made it forget a vote.
                self.process_outputs(id);
            }
            Intervention::Timeout(id) => {
                let node = &mut self.servers[id as usize].node;
                node.set_election_timer(now, 0);
            }
            Intervention::AlignTimers => {
                let timeout = self.config.raft.election_timeout_min;
                for s in self
                    .servers
                    .iter_mut()
                    .filter(|s| s.up && s.node.role != Role::Leader)
                {
                    s.node.set_election_timer(now, timeout);
                }
            }
            Intervention::SpreadTimers => {
                let (lo, hi) = (
                    self.config.raft.election_timeout_min,
                    self.config.raft.election_timeout_max,
                );
                let waiting: Vec<usize> = (0..self.servers.len())
                    .filter(|&i| self.servers[i].up && self.servers[i].node.role != Role::Leader)
                    .collect();
                let steps = waiting.len().saturating_sub(1).max(1) as u64;
                for (k, &i) in waiting.iter().enumerate() {
                    let timeout = lo + (hi - lo) * k as u64 / steps;
                    self.servers[i].node.set_election_timer(now, timeout);
                }
            }
            Intervention::ClientWrite { to, command } => self.client_write(to, command),
            // Done above, by the one rule both the run and the event log's words use.
            Intervention::CutLink { .. }
            | Intervention::RestoreLink { .. }
            | Intervention::Isolate(_)
            | Intervention::Partition(_)
            | Intervention::Heal => {}
            Intervention::DropMessage(id) => {
                if let Some(m) = self.in_flight.remove(id) {
                    self.record(EventKind::Drop {
                        id,
                        from: m.from,
                        to: m.to,
                        msg: m.msg,
                        reason: DropReason::DroppedByUser,
                        sent_at: m.sent_at,
                        deliver_at: m.deliver_at,
                    });
                }
            }
            Intervention::SetLoss { permille } => self.config.net.loss_permille = permille,
            Intervention::SetDuplication { permille } => {
                self.config.net.duplicate_permille = permille
            }
            Intervention::SetLatency { min, max } => {
                self.config.net.latency_min = min;
                self.config.net.latency_max = max;
            }
            Intervention::ClientRead { to, key, mode } => self.client_read(to, key, mode),
            Intervention::TransferLeadership { to } => {
                // Validated: there is a leader, and it is not transferring already.
                if let Some(leader) = self.leader() {
                    let _ = self.servers[leader as usize]
                        .node
                        .transfer_leadership(to, now);
                    self.process_outputs(leader);
                }
            }
            Intervention::SetCompaction { snapshot_every } => {
                self.config.raft.snapshot_every = snapshot_every;
                for id in 0..self.server_count() {
                    let server = &mut self.servers[id as usize];
                    // A server that is down compacts once it runs again.
                    server.node.set_snapshot_every(snapshot_every, server.up);
                    if server.up {
                        self.process_outputs(id);
                    }
                }
            }
            Intervention::SetFeatures {
                pre_vote,
                check_quorum,
                no_op,
            } => {
                self.config.raft.pre_vote = pre_vote;
                self.config.raft.check_quorum = check_quorum;
                self.config.raft.no_op = no_op;
                let now = self.now;
                for server in &mut self.servers {
                    server.node.set_features(pre_vote, check_quorum, no_op, now);
                }
            }
        }
        if !others_unchanged {
            self.check_all_servers();
        }
    }

    fn validate(&self, intervention: &Intervention) -> Result<(), String> {
        bounds::check_intervention(intervention, &self.config)?;
        let n = self.server_count();
        let known = |id: NodeId| {
            if id < n {
                Ok(())
            } else {
                Err(format!(
                    "there is no server S{} in a cluster of {n}",
                    id as u32 + 1
                ))
            }
        };
        match intervention {
            Intervention::Crash(id) => {
                known(*id)?;
                if !self.is_up(*id) {
                    return Err(format!("S{} is already down", id + 1));
                }
            }
            Intervention::Restart(id) => {
                known(*id)?;
                if self.is_up(*id) {
                    return Err(format!("S{} is already running", id + 1));
                }
            }
            Intervention::Timeout(id) => {
                known(*id)?;
                if !self.is_up(*id) {
                    return Err(format!("S{} is down", id + 1));
                }
                if self.node(*id).role == Role::Leader {
                    return Err(format!(
                        "S{} is the leader: leaders have no election timer",
                        id + 1
                    ));
                }
                if !self.node(*id).is_voter(*id) {
                    return Err(format!(
                        "S{} does not vote in its configuration: it starts no election",
                        id + 1
                    ));
                }
            }
            Intervention::ClientWrite {
                to: WriteTarget::Server(id),
                ..
            }
            | Intervention::ClientRead {
                to: WriteTarget::Server(id),
                ..
            }
            | Intervention::Isolate(id) => known(*id)?,
            Intervention::AddServer => {
                if n >= MAX_SERVERS {
                    return Err(format!("a cluster has at most {MAX_SERVERS} servers"));
                }
                let leader = self
                    .leader()
                    .ok_or("no server is leading: only a leader can add a server")?;
                self.node(leader)
                    .can_add_server(n)
                    .map_err(|why| why.reason(leader, n))?;
            }
            Intervention::RemoveServer(id) => {
                known(*id)?;
                let leader = self
                    .leader()
                    .ok_or("no server is leading: only a leader can remove a server")?;
                let voters = self.node(leader).membership().voters;
                if voters.contains(id) && voters.len() <= bounds::MIN_VOTERS {
                    return Err(format!(
                        "the playground keeps at least {} voting servers: removing S{} would leave {}",
                        bounds::MIN_VOTERS,
                        id + 1,
                        voters.len() - 1
                    ));
                }
                self.node(leader)
                    .can_remove_server(*id)
                    .map_err(|why| why.reason(leader, *id))?;
            }
            Intervention::TransferLeadership { to } => {
                known(*to)?;
                let Some(leader) = self.leader() else {
                    return Err("no server is leading: there is no leadership to hand over".into());
                };
                if leader == *to {
                    return Err(format!("S{} is already the leader", to + 1));
                }
                if let Some(t) = self.node(leader).transfer {
                    return Err(format!(
                        "S{} is already handing its leadership to S{}",
                        leader + 1,
                        t.target + 1
                    ));
                }
                if !self.node(leader).is_voter(*to) {
                    return Err(format!(
                        "S{} does not vote in the cluster's configuration: it may not lead",
                        to + 1
                    ));
                }
            }
            Intervention::CutLink { from, to } | Intervention::RestoreLink { from, to } => {
                known(*from)?;
                known(*to)?;
                if from == to {
                    return Err("a server has no link to itself".into());
                }
            }
            Intervention::Partition(groups) => {
                let mut seen = Vec::new();
                for &id in groups.iter().flatten() {
                    known(id)?;
                    if seen.contains(&id) {
                        return Err(format!("S{} is in two groups", id + 1));
                    }
                    seen.push(id);
                }
            }
            Intervention::DropMessage(id) => {
                if self.in_flight.get(*id).is_none() {
                    return Err(format!("message #{id} is not in flight"));
                }
            }
            Intervention::ClientWrite {
                to: WriteTarget::Leader,
                ..
            }
            | Intervention::ClientRead {
                to: WriteTarget::Leader,
                ..
            }
            | Intervention::SetLoss { .. }
            | Intervention::SetDuplication { .. }
            | Intervention::SetLatency { .. }
            | Intervention::SetFeatures { .. }
            | Intervention::SetCompaction { .. }
            | Intervention::AlignTimers
            | Intervention::SpreadTimers
            | Intervention::Heal => {}
        }
        Ok(())
    }

    /// A client sends `command`; a follower's redirect is followed once.
    fn client_write(&mut self, to: WriteTarget, command: Command) {
        let id = self.writes.len() as WriteId + 1;
        self.write_stamps
            .push((order_stamp(self.events, self.in_intervention), None));
        let first = match to {
            WriteTarget::Server(s) => Some(s),
            WriteTarget::Leader => self.leader(),
        };
        let mut write = ClientWrite {
            id,
            command: command.clone(),
            submitted_at: self.now,
            first_server: first,
            redirected_to: None,
            fate: WriteFate::Rejected(RejectReason::NoLeader),
        };
        let Some(mut server) = first else {
            self.writes.push(write);
            self.record(EventKind::Client {
                write: id,
                event: ClientEvent::Rejected(RejectReason::NoLeader),
            });
            return;
        };
        for hop in 0..2 {
            if !self.is_up(server) {
                write.fate = WriteFate::Rejected(RejectReason::ServerDown(server));
                self.record(EventKind::Client {
                    write: id,
                    event: ClientEvent::Rejected(RejectReason::ServerDown(server)),
                });
                break;
            }
            let outcome = self.servers[server as usize]
                .node
                .client_write(command.clone(), id);
            if self.record_trace {
                self.record(EventKind::Client {
                    write: id,
                    event: ClientEvent::Submitted {
                        server,
                        outcome: outcome.clone(),
                    },
                });
            }
            match outcome {
                ClientOutcome::Appended { index, term } => {
                    write.fate = WriteFate::Pending {
                        leader: server,
                        index,
                        term,
                    };
                    self.pending_writes.push((index, write.id));
                    self.writes.push(write);
                    self.process_outputs(server);
                    return;
                }
                ClientOutcome::Redirect { leader } if hop == 0 => {
                    write.redirected_to = Some(leader);
                    server = leader;
                }
                ClientOutcome::Redirect { .. } => {
                    // A second redirect: the cluster is mid-change; the client gives up.
                    write.fate = WriteFate::Rejected(RejectReason::NoLeader);
                    break;
                }
                ClientOutcome::Rejected(why) => {
                    write.fate = WriteFate::Rejected(RejectReason::NotLeader(server, why));
                    break;
                }
                // A node answers a write with one of the above; this one is for reads.
                ClientOutcome::ReadAccepted => break,
            }
        }
        self.writes.push(write);
    }

    // ----- Scenario set-up -----

    /// Replaces a server's persistent state, for scenarios such as the paper's Figure 7.
    /// Only allowed before anything has happened (time 0, no interventions).
    pub fn set_persistent_state(
        &mut self,
        id: NodeId,
        current_term: Term,
        voted_for: Option<NodeId>,
        log_terms: &[Term],
    ) -> Result<(), String> {
        if id >= self.config.servers {
            return Err(format!("there is no server S{}", id as u32 + 1));
        }
        if self.now != 0 || !self.interventions.is_empty() || self.events != 0 {
            return Err("a server's log can only be set up before the run starts".into());
        }
        bounds::check_initial(self.config.servers, current_term, voted_for, log_terms)?;
        self.initial.retain(|i| i.server != id);
        self.initial.push(InitialState {
            server: id,
            current_term,
            voted_for,
            log_terms: log_terms.to_vec(),
        });
        let entries = log_terms
            .iter()
            .enumerate()
            .map(|(i, &term)| Entry {
                term,
                command: Command::Set {
                    key: "x".into(),
                    value: (i + 1) as i64,
                },
                write: None,
            })
            .collect();
        let node = &mut self.servers[id as usize].node;
        node.current_term = current_term;
        node.voted_for = voted_for;
        node.log = Log::from_entries(entries);
        self.checker.log_replaced(id);
        self.check_server(id);
        Ok(())
    }
}
