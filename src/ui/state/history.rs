//! Time travel. The run's history is its recorded interventions (the tape) plus copies of
//! the simulator every [`CHECKPOINT_EVERY`] of virtual time; the simulator is
//! deterministic, so any moment is rebuilt by taking the checkpoint before it and
//! replaying the tape up to it. Playing from the past replays the tape; acting in the
//! past forks: the later history is dropped and the new one recorded.

use crate::raft::{MS, NodeEvent, NodeId, Role, Term, Time};
use crate::sim::bounds::{MAX_REPLAY_EVENTS, over_budget};
use crate::sim::{EventKind, Intervention, ScriptStep, Sim};

/// Virtual time between checkpoints: a seek in the last ten minutes replays at most this much.
pub const CHECKPOINT_EVERY: Time = 5_000 * MS;

/// Every checkpoint of the last ten virtual minutes is kept, so a seek anywhere in them
/// replays at most [`CHECKPOINT_EVERY`] (issue 16: a seek in a 10-minute run within 2 ms;
/// a checkpoint shares its older log with the others and costs about 50 KB).
const DENSE_CHECKPOINTS: u64 = 120;

/// Older ones thin out: one a minute until they are a hundred minutes old, one every ten
/// minutes until a thousand, and so on. A run of `n` checkpoints keeps about
/// `120 + 90 log10(n / 120)` of them, so memory grows with the logarithm of the run's
/// length, not the length; a seek far back replays longer from a sparser checkpoint.
const FIRST_SPARSE_SPACING: u64 = 12;

/// Whether checkpoint number `k` is still kept when number `newest` is the latest.
/// Spacings divide one another (1, 12, 120, ...), so a checkpoint dropped once would
/// never be kept later.
fn keeps(k: u64, newest: u64) -> bool {
    let age = newest.saturating_sub(k);
    let mut spacing = 1;
    let mut next_spacing = FIRST_SPARSE_SPACING;
    let mut span = DENSE_CHECKPOINTS;
    while age >= span {
        spacing = next_spacing;
        next_spacing = next_spacing.saturating_mul(10);
        span = span.saturating_mul(10);
    }
    k.is_multiple_of(spacing)
}

/// At most this many events pass between two readings of the trace for marks: one event
/// records a few trace events (a heartbeat to eight followers, nine), far fewer than
/// the [`crate::ui::playground::TRACE_KEPT`] a page keeps.
const SCAN_EVERY: u64 = 256;

/// Something worth a marker on the timeline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MarkKind {
    Leader {
        node: NodeId,
        term: Term,
    },
    Crash(NodeId),
    Restart(NodeId),
    /// A partition, an isolation or a cut link.
    NetworkCut,
    Heal,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mark {
    pub at: Time,
    pub kind: MarkKind,
}

#[derive(Clone, Debug)]
pub struct History {
    /// Every intervention of the recorded run, with its time and event count.
    steps: Vec<ScriptStep>,
    /// How far the recorded run reaches.
    horizon: Time,
    /// `(k, sim)`: the run at time `k * CHECKPOINT_EVERY`, oldest first, thinned as the
    /// run grows (see [`DENSE_CHECKPOINTS`]); the start (`k = 0`) is always kept.
    checkpoints: Vec<(u64, Sim)>,
    /// The number of the next checkpoint to take.
    next_checkpoint: u64,
    marks: Vec<Mark>,
    /// Trace events already scanned for marks (by position in the whole run).
    scanned: u64,
}

impl History {
    /// The history of a run that starts at `sim` (time 0), with `steps` recorded ahead
    /// of it up to `horizon` (a share link), or nothing recorded yet.
    pub fn new(sim: &Sim, steps: Vec<ScriptStep>, horizon: Time) -> History {
        History {
            steps,
            horizon,
            checkpoints: vec![(0, sim.checkpoint())],
            next_checkpoint: 1,
            marks: Vec::new(),
            scanned: 0,
        }
    }

    pub fn horizon(&self) -> Time {
        self.horizon
    }

    pub fn marks(&self) -> &[Mark] {
        &self.marks
    }

    /// The marks to draw on a timeline of `slots` equal parts: within a part, only the
    /// newest mark of each kind (a leader, a crash, a restart, a cut, a heal), with how
    /// many marks of that kind it stands for. A day-long run with a crash every few
    /// minutes keeps its timeline to a few hundred elements, however long it grows.
    pub fn marks_shown(&self, slots: u64) -> Vec<(&Mark, usize)> {
        let horizon = self.horizon.max(1);
        let slot_of = |m: &Mark| {
            (u128::from(m.at) * u128::from(slots.max(1)) / u128::from(horizon))
                .min(u128::from(slots.max(1)) - 1)
        };
        let kind_of = |m: &Mark| match m.kind {
            MarkKind::Leader { .. } => 0,
            MarkKind::Crash(_) => 1,
            MarkKind::Restart(_) => 2,
            MarkKind::NetworkCut => 3,
            MarkKind::Heal => 4,
        };
        let mut shown: Vec<(&Mark, usize)> = Vec::new();
        let mut newest = std::collections::BTreeMap::new();
        for m in &self.marks {
            match newest.entry((slot_of(m), kind_of(m))) {
                std::collections::btree_map::Entry::Occupied(e) => {
                    let (mark, count) = &mut shown[*e.get()];
                    *mark = m;
                    *count += 1;
                }
                std::collections::btree_map::Entry::Vacant(e) => {
                    e.insert(shown.len());
                    shown.push((m, 1));
                }
            }
        }
        // In time order, as a screen reader browses the list.
        shown.sort_by_key(|(m, _)| m.at);
        shown
    }

    /// How many checkpoints are kept.
    pub fn checkpoint_count(&self) -> usize {
        self.checkpoints.len()
    }

    /// The kept checkpoints, oldest first (for measuring what the timeline holds).
    pub fn checkpoints(&self) -> impl Iterator<Item = &Sim> {
        self.checkpoints.iter().map(|(_, c)| c)
    }

    /// Whether `sim` is replaying recorded history rather than making new history.
    pub fn in_past(&self, sim: &Sim) -> bool {
        sim.now() < self.horizon || sim.interventions().len() < self.steps.len()
    }

    /// Runs `sim` to `target`: replaying the tape while in the past, recording at the
    /// frontier, taking checkpoints on the way.
    pub fn advance(&mut self, sim: &mut Sim, target: Time) -> Result<(), String> {
        self.advance_to(sim, target, None)
    }

    /// [`History::advance`], stopping after `events` events in all when given: a
    /// moment in the middle of a busy microsecond (the tour's checkpoints).
    pub fn advance_to(
        &mut self,
        sim: &mut Sim,
        target: Time,
        events: Option<u64>,
    ) -> Result<(), String> {
        let budget = sim.events_processed().saturating_add(MAX_REPLAY_EVENTS);
        match self.advance_slice(sim, target, events, budget)? {
            true => Ok(()),
            false => Err(over_budget()),
        }
    }

    /// One slice of [`History::advance_to`]: it pauses, returning `Ok(false)`, once
    /// `pause_at` events have been processed in all, and called again goes on where it
    /// paused (see [`Sim::follow_slice`]); `Ok(true)` once `target` is reached.
    pub fn advance_slice(
        &mut self,
        sim: &mut Sim,
        target: Time,
        events: Option<u64>,
        pause_at: u64,
    ) -> Result<bool, String> {
        loop {
            let boundary = self.next_checkpoint * CHECKPOINT_EVERY;
            let until = target.min(boundary);
            let stop = if until == target { events } else { None };
            // The marks are read from the trace, which keeps only its newest events:
            // read them every few events, before the trace forgets them.
            let scan_at = pause_at.min(sim.events_processed().saturating_add(SCAN_EVERY));
            let reached_until = sim.follow_slice(&self.steps, until, stop, scan_at)?;
            self.reached(sim);
            if !reached_until {
                if sim.events_processed() >= pause_at {
                    return Ok(false);
                }
                continue;
            }
            if sim.now() >= boundary {
                self.take_checkpoint(sim);
            }
            if sim.now() >= target {
                return Ok(true);
            }
        }
    }

    /// One event, with the same bookkeeping as [`History::advance`].
    pub fn step(&mut self, sim: &mut Sim) -> Result<bool, String> {
        // A recorded intervention due before the next event is replayed first.
        let next = sim.next_event_time();
        let due = self
            .steps
            .get(sim.interventions().len())
            .filter(|s| s.after_events <= sim.events_processed() && next.is_none_or(|t| s.at <= t));
        if let Some(step) = due {
            // Only the intervention: an event due at the same instant (a timer it set
            // to fire now) is the next step, as it was when the run was made.
            let (at, events) = (step.at, sim.events_processed());
            self.advance_to(sim, at, Some(events))?;
            return Ok(true);
        }
        let Some(t) = next else { return Ok(false) };
        // Checkpoints fall on exact times: reach the boundary before stepping past it.
        let boundary = self.next_checkpoint * CHECKPOINT_EVERY;
        if t > boundary {
            self.advance(sim, boundary)?;
        }
        sim.step();
        self.reached(sim);
        Ok(true)
    }

    /// Records a future for the run, from its present: `steps` (this run's own so far,
    /// then more) up to `horizon`. Playing then replays them, as after a rewind: the
    /// tour plans each step's actions this way and plays them live.
    pub fn plan(&mut self, sim: &Sim, steps: Vec<ScriptStep>, horizon: Time) -> Result<(), String> {
        let done = sim.interventions().len();
        if steps.len() < done || sim.script().steps[..] != steps[..done] {
            return Err("the planned run does not continue this one".into());
        }
        self.steps = steps;
        self.horizon = horizon.max(sim.now());
        Ok(())
    }

    /// Takes checkpoint number `next_checkpoint` of `sim` (at its time) and thins the
    /// older ones.
    fn take_checkpoint(&mut self, sim: &Sim) {
        let newest = self.next_checkpoint;
        self.checkpoints.push((newest, sim.checkpoint()));
        self.next_checkpoint += 1;
        self.checkpoints.retain(|(k, _)| keeps(*k, newest));
    }

    /// The run exactly as it was at `t` (clamped to the recorded history), replayed from
    /// the newest checkpoint at or before it.
    pub fn seek(&self, t: Time) -> Result<Sim, String> {
        let (mut sim, t) = self.seek_start(t);
        sim.follow(&self.steps, t)?;
        Ok(sim)
    }

    /// Where a seek to `t` starts: the newest checkpoint at or before it, and the moment
    /// to follow the tape to from there (`t` clamped to the recorded history).
    pub fn seek_start(&self, t: Time) -> (Sim, Time) {
        let t = t.min(self.horizon);
        let k = t / CHECKPOINT_EVERY;
        let (_, start) = self
            .checkpoints
            .iter()
            .rev()
            .find(|(c, _)| *c <= k)
            .unwrap_or(&self.checkpoints[0]);
        (start.clone(), t)
    }

    /// The run just before event `events + 1`, rebuilt from the newest checkpoint that
    /// has not passed it: Step back. The recorded future is kept, so Step and Play
    /// replay it.
    pub fn before_event(&self, events: u64) -> Result<Sim, String> {
        let mut sim = self.before_event_start(events)?;
        sim.follow_events(&self.steps, events)?;
        Ok(sim)
    }

    /// Where [`History::before_event`] starts: the newest checkpoint before the event.
    pub fn before_event_start(&self, events: u64) -> Result<Sim, String> {
        // Strictly before: a checkpoint taken at a 5 s mark may hold exactly `events`
        // events with its clock already at the mark, later than the moment wanted.
        self.checkpoints
            .iter()
            .rev()
            .map(|(_, c)| c)
            .find(|c| c.events_processed() < events)
            .or(self.checkpoints.first().map(|(_, c)| c))
            .cloned()
            .ok_or_else(|| "no checkpoint is that early".to_string())
    }

    /// The recorded interventions: what a replay follows.
    pub fn steps(&self) -> &[ScriptStep] {
        &self.steps
    }

    /// An intervention was just applied to `sim`. At the frontier it joins the tape; in
    /// the past it forks: the recorded future after this moment is dropped.
    pub fn recorded(&mut self, sim: &Sim) {
        let now = sim.now();
        self.steps = sim.script().steps;
        self.horizon = now;
        // Keep only checkpoints strictly before this moment (and the start): one taken
        // at this very time may already hold the old history's events or actions here.
        let keep = now.div_ceil(CHECKPOINT_EVERY).max(1);
        self.checkpoints.retain(|(k, _)| *k < keep);
        self.next_checkpoint = keep;
        self.marks.retain(|m| m.at <= now);
        // Scan again from the intervention just recorded: the new history's events
        // take the positions the old history's had.
        let forgotten = sim.trace_forgotten();
        if let Some(k) = sim
            .trace()
            .iter()
            .rposition(|e| matches!(e.kind, EventKind::Intervention(_)))
        {
            self.scanned = forgotten + k as u64;
        }
        self.reached(sim);
    }

    /// Extends the horizon and collects marks from events not seen yet.
    fn reached(&mut self, sim: &Sim) {
        if sim.interventions().len() >= self.steps.len() {
            self.horizon = self.horizon.max(sim.now());
        }
        // Trace positions are the same in a replay as in the original run, so events seen
        // before are skipped, and replayed marks are recognised as already known.
        let first = sim.trace_forgotten();
        let start = self.scanned.saturating_sub(first) as usize;
        for e in sim.trace().iter().skip(start) {
            let kind = match &e.kind {
                EventKind::Node {
                    node,
                    event:
                        NodeEvent::RoleChanged {
                            to: Role::Leader,
                            term,
                            ..
                        },
                } => Some(MarkKind::Leader {
                    node: *node,
                    term: *term,
                }),
                EventKind::Intervention(Intervention::Crash(id)) => Some(MarkKind::Crash(*id)),
                EventKind::Intervention(Intervention::Restart(id)) => Some(MarkKind::Restart(*id)),
                EventKind::Intervention(
                    Intervention::Partition(_)
                    | Intervention::Isolate(_)
                    | Intervention::CutLink { .. },
                ) => Some(MarkKind::NetworkCut),
                EventKind::Intervention(Intervention::Heal) => Some(MarkKind::Heal),
                _ => None,
            };
            if let Some(kind) = kind {
                let mark = Mark { at: e.time, kind };
                // Marks come in time order: a replayed one can only match one as late.
                let known = self
                    .marks
                    .iter()
                    .rev()
                    .take_while(|m| m.at >= mark.at)
                    .any(|m| *m == mark);
                if !known {
                    self.marks.push(mark);
                }
            }
        }
        self.scanned = first + sim.trace().len() as u64;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::raft::Command;
    use crate::sim::{SimConfig, WriteTarget};

    /// A client write of `x = value` to the leader, recorded when the cluster takes it.
    pub(super) fn write_x(sim: &mut Sim, history: &mut History, value: i64) {
        let command = Command::Set {
            key: "x".into(),
            value,
        };
        if sim
            .apply(Intervention::ClientWrite {
                to: WriteTarget::Leader,
                command,
            })
            .is_ok()
        {
            history.recorded(sim);
        }
    }

    fn state(sim: &Sim) -> String {
        sim.state_digest()
    }

    /// A 30-second run with writes, a crash and a partition; the state at every second.
    fn recorded_run() -> (Sim, History, Vec<(Time, String)>) {
        let mut sim = Sim::new(SimConfig::with_seed(5, 12)).unwrap();
        let mut history = History::new(&sim, Vec::new(), 0);
        let mut states = vec![(0, state(&sim))];
        for second in 1..=30u64 {
            for k in 0..4 {
                history
                    .advance(&mut sim, (second - 1) * 1000 * MS + (k + 1) * 250 * MS)
                    .unwrap();
                write_x(&mut sim, &mut history, (second * 4 + k) as i64);
            }
            if second == 7 || second == 19 {
                let leader = sim.leader().unwrap_or(0);
                sim.apply(Intervention::Crash(leader)).unwrap();
                history.recorded(&sim);
            }
            if second == 12 {
                sim.apply(Intervention::Partition(vec![vec![0, 1], vec![2, 3, 4]]))
                    .unwrap();
                history.recorded(&sim);
            }
            if second == 15 {
                sim.apply(Intervention::Heal).unwrap();
                history.recorded(&sim);
            }
            history.step(&mut sim).unwrap();
            states.push((sim.now(), state(&sim)));
        }
        (sim, history, states)
    }

    #[test]
    fn seeking_shows_the_run_exactly_as_it_was() {
        let (end, history, states) = recorded_run();
        assert!(end.violation().is_none());
        for (t, expected) in &states {
            let sim = history.seek(*t).unwrap();
            assert_eq!(&state(&sim), expected, "at {t} µs");
        }
        assert!(
            history
                .marks()
                .iter()
                .any(|m| matches!(m.kind, MarkKind::Crash(_)))
        );
        assert!(
            history
                .marks()
                .iter()
                .any(|m| matches!(m.kind, MarkKind::Leader { .. }))
        );
        assert!(history.marks().iter().any(|m| m.kind == MarkKind::Heal));
    }

    #[test]
    fn a_crowded_timeline_draws_one_mark_per_kind_and_part_standing_for_all() {
        let (_, history, _) = recorded_run();
        let all = history.marks().len();
        let wide = history.marks_shown(10_000);
        assert_eq!(wide.len(), all, "a wide timeline draws every mark");
        for slots in [1, 3, 10] {
            let shown = history.marks_shown(slots);
            assert!(
                shown.len() <= 5 * slots as usize,
                "{slots}: {}",
                shown.len()
            );
            assert_eq!(shown.iter().map(|(_, n)| n).sum::<usize>(), all);
            // Each drawn mark is the newest of its kind in its part.
            for (mark, _) in &shown {
                assert!(history.marks().contains(mark));
            }
        }
        let one = history.marks_shown(1);
        let crashes = history
            .marks()
            .iter()
            .filter(|m| matches!(m.kind, MarkKind::Crash(_)))
            .collect::<Vec<_>>();
        let (last_crash, count) = one
            .iter()
            .find(|(m, _)| matches!(m.kind, MarkKind::Crash(_)))
            .expect("a crash");
        assert_eq!(*count, crashes.len());
        assert_eq!(Some(last_crash), crashes.last());
    }

    #[test]
    fn playing_from_the_past_replays_the_recorded_run() {
        let (end, mut history, states) = recorded_run();
        let (t, _) = states[5];
        let mut sim = history.seek(t).unwrap();
        assert!(history.in_past(&sim));
        history.advance(&mut sim, end.now()).unwrap();
        assert_eq!(state(&sim), state(&end));
        assert!(!history.in_past(&sim));
    }

    #[test]
    fn acting_in_the_past_forks_and_the_old_future_is_gone() {
        let (end, mut history, states) = recorded_run();
        let (t, _) = states[10];
        let mut sim = history.seek(t).unwrap();
        let marks_before = history.marks().len();
        sim.apply(Intervention::Crash(4)).unwrap();
        history.recorded(&sim);
        assert_eq!(
            history.horizon(),
            t,
            "the recorded future after the fork is dropped"
        );
        assert!(history.marks().len() < marks_before);
        assert!(history.marks().iter().all(|m| m.at <= t));
        assert!(
            history
                .marks()
                .iter()
                .any(|m| m.at == t && m.kind == MarkKind::Crash(4)),
            "the fork's own crash is marked"
        );
        history.advance(&mut sim, end.now()).unwrap();
        assert_ne!(state(&sim), state(&end), "a new history");
        assert!(sim.violation().is_none());
        // Seeking within the new history works like before.
        let again = history.seek(t + 2_000 * MS).unwrap();
        assert!(!again.is_up(4));
    }
}

#[cfg(test)]
mod thinning_tests {
    use super::*;
    use crate::sim::SimConfig;

    #[test]
    fn checkpoints_thin_out_logarithmically_and_a_dropped_one_stays_dropped() {
        let mut kept: Vec<u64> = vec![0];
        let mut ever_dropped = std::collections::BTreeSet::new();
        for newest in 1..=20_000u64 {
            kept.push(newest);
            kept.retain(|&k| {
                let keep = keeps(k, newest);
                if !keep {
                    ever_dropped.insert(k);
                }
                keep
            });
            assert!(kept.iter().all(|k| !ever_dropped.contains(k)));
            // The last ten minutes are dense: a seek there replays at most 5 s.
            let dense = newest.saturating_sub(DENSE_CHECKPOINTS - 1);
            assert!((dense..=newest).all(|k| kept.contains(&k)), "at {newest}");
        }
        // 20,000 checkpoints (a bit over 27 virtual hours): the start, 120 of the last
        // ten minutes, then at most 90 or so of each ten-times-sparser spacing.
        assert!(kept.len() <= 1 + 120 + 91 * 3, "{} kept", kept.len());
        assert_eq!(kept[0], 0, "the start is always kept");
    }

    /// Twenty virtual minutes with a write every 2 s and a crash at minute 3: seeks and
    /// steps back into the thinned past rebuild the run exactly.
    #[test]
    fn seeking_into_the_thinned_past_shows_the_run_exactly_as_it_was() {
        let minute = 60_000 * MS;
        let mut sim = Sim::new(SimConfig::with_seed(5, 3)).unwrap();
        sim.set_trace_limit(Some(5_000));
        let mut history = History::new(&sim, Vec::new(), 0);
        // Moments after an instant's interventions: what a seek to that instant shows,
        // and a step back to just before the next event.
        let mut states = Vec::new();
        let mut value = 0;
        while sim.now() < 20 * minute {
            let next = sim.now() + 2_000 * MS;
            history.advance(&mut sim, next).unwrap();
            let sample = sim.now() % (17_000 * MS) < 2_000 * MS;
            value += 1;
            tests::write_x(&mut sim, &mut history, value);
            if sim.now() == 3 * minute {
                sim.apply(Intervention::Crash(sim.leader().unwrap_or(0)))
                    .unwrap();
                history.recorded(&sim);
            }
            if sample {
                states.push((sim.now(), sim.events_processed(), sim.state_digest()));
            }
        }
        assert!(sim.violation().is_none());
        assert!(
            // The last ten minutes dense, the first ten one a minute, and the start.
            history.checkpoint_count() <= 132,
            "{} of 241 checkpoints kept",
            history.checkpoint_count()
        );
        assert!(states.len() > 30);
        for (t, events, digest) in &states {
            assert_eq!(
                &history.seek(*t).unwrap().state_digest(),
                digest,
                "at {t} µs"
            );
            let back = history.before_event(*events).unwrap();
            assert_eq!(&back.state_digest(), digest, "step back to event {events}");
        }
    }
}
