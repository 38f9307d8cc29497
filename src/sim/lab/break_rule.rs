//! "Break a rule": with one rule of Figure 2 switched off ([`crate::raft::broken`]),
//! search seeded random fault schedules until the safety checker fires, then shrink the
//! schedule that did it to a small run a class can step through.
//!
//! A schedule is the run's configuration and a list of interventions at virtual times:
//! crashes and restarts, partitions and heals, lost messages, forced timeouts and client
//! writes. Schedule `k` of a search from seed `s` is the same whichever rule is broken,
//! so "with every rule kept, the same schedules find nothing" compares like with like.
//!
//! Shrinking removes one intervention at a time, the last first, keeping each removal
//! after which the same invariant still breaks, until no removal is kept; the run then
//! ends at the violation. The result is a [`RunScript`] paused one event before it.

use rand_core::SeedableRng;

use crate::raft::{BrokenRule, Command, MS, Rng, Time, uniform};
use crate::sim::{Intervention, Invariant, RunScript, Sim, SimConfig, Violation, WriteTarget};

/// How long a schedule's faults go on.
pub const SCHEDULE_LENGTH: Time = 4_000 * MS;
/// Most passes of the shrinker over a schedule.
const SHRINK_PASSES: usize = 4;

/// One fault schedule: what a run starts from and what is done to it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Schedule {
    pub config: SimConfig,
    pub steps: Vec<(Time, Intervention)>,
}

/// Schedule number `k` of a search from `seed`, with `rule` broken.
pub fn schedule(seed: u64, k: u64, rule: Option<BrokenRule>) -> Schedule {
    let schedule_seed = seed.wrapping_mul(1_000_003).wrapping_add(k);
    let mut r = Rng::seed_from_u64(schedule_seed ^ 0xB4EA_C0DE);
    let servers: u8 = if uniform(&mut r, 0, 2) == 0 { 5 } else { 3 };
    let mut config = SimConfig::with_seed(servers, schedule_seed % 1_000_000_000);
    config.raft.broken = rule;
    // Short timeouts and a busy network: more elections, more chances per second.
    config.raft.election_timeout_min = 60 * MS;
    config.raft.election_timeout_max = 120 * MS;
    config.raft.heartbeat_interval = 20 * MS;
    config.net.latency_min = 2 * MS;
    config.net.latency_max = uniform(&mut r, 4, 25) * MS;
    let mut steps = Vec::new();
    let mut at = 0;
    let mut writes = 0;
    while at < SCHEDULE_LENGTH {
        at += uniform(&mut r, 2, 60) * MS;
        let server = uniform(&mut r, 0, u64::from(servers) - 1) as u8;
        let step = match uniform(&mut r, 0, 17) {
            0..=3 => Intervention::Crash(server),
            4..=7 => Intervention::Restart(server),
            8 => {
                let cut = uniform(&mut r, 1, u64::from(servers) / 2) as usize;
                let mut ids: Vec<u8> = (0..servers).collect();
                for i in (1..ids.len()).rev() {
                    ids.swap(i, uniform(&mut r, 0, i as u64) as usize);
                }
                Intervention::Partition(vec![ids[..cut].to_vec(), ids[cut..].to_vec()])
            }
            9 => Intervention::Isolate(server),
            10 => Intervention::Heal,
            11 => Intervention::Timeout(server),
            12 => Intervention::SetLoss {
                permille: [0, 0, 100, 300][uniform(&mut r, 0, 3) as usize],
            },
            _ => {
                writes += 1;
                Intervention::ClientWrite {
                    to: WriteTarget::Leader,
                    command: Command::Set {
                        key: format!("k{}", writes % 3).into(),
                        value: writes,
                    },
                }
            }
        };
        steps.push((at, step));
    }
    Schedule { config, steps }
}

/// What running a schedule found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    /// The first broken invariant, if any.
    pub violation: Option<Violation>,
    /// Events processed when it broke (or in all).
    pub events: u64,
    /// The interventions applied before it broke (refused ones are left out).
    pub applied: Vec<(Time, Intervention)>,
    /// Terms started in the run (how many elections it took): the cost of the liveness
    /// rule.
    pub terms: u64,
    /// Whether an intervention (the last applied) broke it, rather than an event.
    pub by_intervention: bool,
}

/// Runs `schedule` until its last intervention has had a schedule's length of time to
/// act, or until the safety checker fires.
pub fn run(schedule: &Schedule) -> Result<Outcome, String> {
    let mut sim = Sim::new(schedule.config.clone())?;
    sim.set_record_trace(false);
    let mut applied = Vec::new();
    let mut by_intervention = false;
    let broke = |s: &Sim| s.violation().is_some();
    for (at, step) in &schedule.steps {
        if sim.run_until_condition(at.saturating_sub(sim.now()), broke) {
            break;
        }
        // A step that makes no sense at that moment (restart a running server) is
        // skipped, as a click on a disabled button would be.
        if sim.apply(step.clone()).is_ok() {
            applied.push((*at, step.clone()));
        }
        if broke(&sim) {
            by_intervention = true;
            break;
        }
    }
    if !broke(&sim) {
        let end = schedule.steps.last().map_or(0, |(at, _)| *at) + SCHEDULE_LENGTH / 4;
        sim.run_until_condition(end.saturating_sub(sim.now()), broke);
    }
    Ok(Outcome {
        violation: sim.violation().cloned(),
        events: sim.events_processed(),
        applied,
        terms: sim
            .servers()
            .iter()
            .map(|s| s.node.current_term)
            .max()
            .unwrap_or(0),
        by_intervention,
    })
}

/// Removes interventions from a schedule while the same invariant still breaks, a slice
/// at a time (a page shrinks between frames): the last one first, keeping each removal
/// that still breaks it, pass after pass until a pass removes nothing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shrinker {
    invariant: Invariant,
    /// The smallest schedule found so far, and what its run found.
    pub best: Schedule,
    pub outcome: Outcome,
    /// The next step to try removing is the one before this.
    next: usize,
    passes: usize,
    removed_in_pass: bool,
    pub done: bool,
}

impl Shrinker {
    pub fn new(schedule: &Schedule, invariant: Invariant) -> Result<Shrinker, String> {
        let outcome = run(schedule)?;
        if outcome.violation.as_ref().map(|v| v.invariant) != Some(invariant) {
            return Err("the schedule does not break the invariant".into());
        }
        // Only what was applied before the violation can matter.
        let best = Schedule {
            config: schedule.config.clone(),
            steps: outcome.applied.clone(),
        };
        Ok(Shrinker {
            invariant,
            next: best.steps.len(),
            best,
            outcome,
            passes: 0,
            removed_in_pass: false,
            done: false,
        })
    }

    /// Tries removals until at least `events` events were simulated or it is done;
    /// returns whether it is done.
    pub fn run_slice(&mut self, events: u64) -> Result<bool, String> {
        let mut spent = 0;
        while spent < events && !self.done {
            if self.next == 0 {
                self.passes += 1;
                if !self.removed_in_pass || self.passes >= SHRINK_PASSES {
                    self.done = true;
                    break;
                }
                self.removed_in_pass = false;
                self.next = self.best.steps.len();
                continue;
            }
            self.next -= 1;
            let mut candidate = self.best.clone();
            candidate.steps.remove(self.next);
            let outcome = run(&candidate)?;
            spent += outcome.events.max(1);
            if outcome.violation.as_ref().map(|v| v.invariant) == Some(self.invariant) {
                candidate.steps = outcome.applied.clone();
                self.best = candidate;
                self.outcome = outcome;
                self.removed_in_pass = true;
                self.next = self.next.min(self.best.steps.len());
            }
        }
        Ok(self.done)
    }
}

/// Shrinks `schedule` at once (see [`Shrinker`]): the smallest schedule found and its
/// outcome.
pub fn shrink(schedule: &Schedule, invariant: Invariant) -> Result<(Schedule, Outcome), String> {
    let mut shrinker = Shrinker::new(schedule, invariant)?;
    while !shrinker.run_slice(u64::MAX)? {}
    Ok((shrinker.best, shrinker.outcome))
}

/// The run of `schedule` as a script paused one event before its violation: what the
/// sandbox opens, so that one step shows it. (When an intervention itself broke it, the
/// script ends with that intervention, the violation already shown.)
pub fn script_before_violation(schedule: &Schedule) -> Result<RunScript, String> {
    let outcome = run(schedule)?;
    if outcome.violation.is_none() {
        return Err("the schedule breaks nothing".into());
    }
    let mut sim = Sim::new(schedule.config.clone())?;
    // Every step applied came before the violating event, at the same point of the run
    // as in `run` (after every event up to its time).
    for (at, step) in &outcome.applied {
        sim.run_until(*at);
        sim.apply(step.clone())?;
    }
    if !outcome.by_intervention {
        let before = outcome.events.saturating_sub(1);
        sim.run_until_condition(SCHEDULE_LENGTH * 2, |s| s.events_processed() >= before);
    }
    Ok(sim.script())
}

/// A counterexample: a schedule that breaks an invariant, before and after shrinking.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Counterexample {
    /// Its number among the search's schedules.
    pub schedule_number: u64,
    /// Interventions the schedule applied before the violation (refused ones left out).
    pub original_steps: usize,
    pub shrunk: Schedule,
    pub violation: Violation,
    /// The shrunk run paused just before the violation.
    pub script: RunScript,
}

/// A search for a counterexample, run a slice at a time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Search {
    pub rule: Option<BrokenRule>,
    pub seed: u64,
    /// Schedules to try at most.
    pub budget: u64,
    /// Schedules tried so far.
    pub tried: u64,
    /// Events simulated so far (for runs per second).
    pub events: u64,
    /// Terms started over all runs (the liveness rule's cost).
    pub terms: u64,
    pub found: Option<Counterexample>,
    /// A schedule that broke an invariant, being shrunk: its number, how many steps it
    /// applied, and the shrinker.
    pub shrinking: Option<(u64, usize, Shrinker)>,
    pub error: Option<String>,
}

impl Search {
    pub fn new(rule: Option<BrokenRule>, seed: u64, budget: u64) -> Search {
        Search {
            rule,
            seed,
            budget,
            tried: 0,
            events: 0,
            terms: 0,
            found: None,
            shrinking: None,
            error: None,
        }
    }

    pub fn is_done(&self) -> bool {
        self.found.is_some()
            || self.error.is_some()
            || (self.tried >= self.budget && self.shrinking.is_none())
    }

    /// Tries schedules until at least `events` events were simulated, one is found and
    /// shrunk, or the budget is spent; returns whether the search is over. Shrinking goes
    /// on a slice at a time too.
    pub fn run_slice(&mut self, events: u64) -> bool {
        let mut spent = 0;
        while spent < events && !self.is_done() {
            if let Some((k, original_steps, shrinker)) = self.shrinking.as_mut() {
                match shrinker.run_slice(events - spent) {
                    // The slice is spent.
                    Ok(false) => spent = events,
                    Ok(true) => {
                        let (k, original_steps) = (*k, *original_steps);
                        let best = shrinker.best.clone();
                        let violation = shrinker.outcome.violation.clone();
                        self.shrinking = None;
                        match (violation, script_before_violation(&best)) {
                            (Some(violation), Ok(script)) => {
                                self.found = Some(Counterexample {
                                    schedule_number: k,
                                    original_steps,
                                    shrunk: best,
                                    violation,
                                    script,
                                })
                            }
                            (None, _) => {
                                self.error = Some("the shrunk schedule breaks nothing".into())
                            }
                            (_, Err(e)) => self.error = Some(e),
                        }
                    }
                    Err(e) => self.error = Some(e),
                }
                continue;
            }
            let k = self.tried;
            let s = schedule(self.seed, k, self.rule);
            self.tried += 1;
            match run(&s) {
                Ok(outcome) => {
                    spent += outcome.events;
                    self.events += outcome.events;
                    self.terms += outcome.terms;
                    if let Some(v) = &outcome.violation {
                        match Shrinker::new(&s, v.invariant) {
                            Ok(shrinker) => {
                                self.shrinking = Some((k, outcome.applied.len(), shrinker));
                            }
                            Err(e) => self.error = Some(e),
                        }
                    }
                }
                Err(e) => self.error = Some(e),
            }
        }
        self.is_done()
    }

    /// While shrinking a schedule that broke an invariant: how many interventions it
    /// has left.
    pub fn shrinking_steps(&self) -> Option<usize> {
        self.shrinking.as_ref().map(|(_, _, s)| s.best.steps.len())
    }
}
