//! The paper's Figure 16 (section 9.3): how long a cluster is without a leader after the
//! leader crashes, for several ranges of election timeouts. Each trial is an ordinary
//! run of this simulator, with the sandbox's node and safety checker, so any trial opens
//! in the sandbox as a share link would.
//!
//! The paper's setup, and how each part is made here:
//! - five servers, a broadcast time of about 15 ms: a one-way latency of 2–4 ms and a
//!   stable-storage write of 5–13 ms before every vote and log reply (see
//!   [`Setup::paper`] for why those numbers);
//! - the leader crashes at a uniformly random moment within a heartbeat interval (half the
//!   shortest election timeout) right after a heartbeat, which synchronised the followers'
//!   timers: within the part of the interval after that heartbeat (and the write below)
//!   arrived, since this simulator loses a crashed server's messages on the wire;
//! - the logs differ so that two of the four survivors cannot win: with that heartbeat on
//!   the wire, the leader is cut off from S4 and S5 for an instant in which a client write
//!   reaches only S2 and S3 (a partition, the write, a heal: three interventions at one
//!   virtual instant, all in the trial's script);
//! - a trial ends when a server becomes leader, or at [`Setup::limit`] without one.

use rand_core::SeedableRng;

use crate::raft::{Command, MS, NodeId, Rng, Time, uniform};
use crate::sim::{Intervention, RunScript, Sim, SimConfig, WriteTarget};

/// A range of election timeouts, in milliseconds, as the paper names them (150–300).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Range {
    pub min_ms: u64,
    pub max_ms: u64,
}

impl Range {
    pub const fn new(min_ms: u64, max_ms: u64) -> Range {
        Range { min_ms, max_ms }
    }

    /// "150–300 ms".
    pub fn label(self) -> String {
        format!("{}–{} ms", self.min_ms, self.max_ms)
    }

    /// The heartbeat interval of the paper's runs: half the shortest timeout.
    pub fn heartbeat(self) -> Time {
        self.min_ms * MS / 2
    }
}

/// The top panel of Figure 16: a little randomness goes a long way.
pub const TOP_PANEL: [Range; 6] = [
    Range::new(150, 150),
    Range::new(150, 151),
    Range::new(150, 155),
    Range::new(150, 175),
    Range::new(150, 200),
    Range::new(150, 300),
];

/// The bottom panel: shorter timeouts, shorter elections (down to where the broadcast
/// time gets in the way).
pub const BOTTOM_PANEL: [Range; 5] = [
    Range::new(12, 24),
    Range::new(25, 50),
    Range::new(50, 100),
    Range::new(100, 200),
    Range::new(150, 300),
];

/// The paper's trials per range (1,000; 100 for 150–150 ms, whose elections take seconds).
pub fn paper_trials(range: Range) -> u32 {
    if range.min_ms == range.max_ms {
        100
    } else {
        1000
    }
}

/// The medians read from the paper's curves, in ms (approximate: read off a printed
/// plot). 150–150 ms has none: its elections took longer than 10 s.
pub fn paper_median_ms(range: Range) -> Option<u64> {
    Some(match (range.min_ms, range.max_ms) {
        (150, 151) => 1199,
        (150, 155) => 287,
        (150, 175) => 141,
        (150, 200) => 147,
        (150, 300) => 171,
        (12, 24) => 30,
        (25, 50) => 43,
        (50, 100) => 67,
        (100, 200) => 120,
        _ => return None,
    })
}

/// How the trials are run. [`Setup::paper`] is the paper's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Setup {
    /// One-way latency, drawn per message.
    pub latency: (Time, Time),
    /// The stable-storage write before a vote or a log reply leaves.
    pub storage: (Time, Time),
    /// Two of the four survivors lack the newest entry, so they cannot win.
    pub uneven_logs: bool,
    /// A trial without a leader this long after the crash is stopped and counted as
    /// "no leader within the limit".
    pub limit: Time,
    /// Every trial's seed is derived from this one, the range and the trial's number.
    pub seed: u64,
}

impl Setup {
    /// The paper's setup. Its broadcast time, "roughly 15 ms", is a request's way out, the
    /// receiver's write to stable storage, and the answer's way back. How it splits
    /// matters: the one-way latency decides whether a candidate's request reaches the
    /// others before their own timers fire (a split vote), while the write only delays the
    /// answers. On the paper's LAN the disk took most of it; 2–4 ms of latency each way and
    /// a 5–13 ms write (3 + 9 + 3 = 15 ms on average) give medians within a few percent of
    /// the paper's from 150–155 ms up (the table in `docs/benchmarks.md`). With 5–6 ms of
    /// latency and a short write the same 15 ms gave 150–155 ms a median of 900 ms, not 287.
    pub fn paper() -> Setup {
        Setup {
            latency: (2 * MS, 4 * MS),
            storage: (5 * MS, 13 * MS),
            uneven_logs: true,
            limit: 10_000 * MS,
            seed: 1,
        }
    }

    /// The mean broadcast time of this setup: out, write, back.
    pub fn broadcast_time(&self) -> Time {
        self.latency.0 + self.latency.1 + (self.storage.0 + self.storage.1) / 2
    }

    /// The run a trial of `range` starts from.
    pub fn config(&self, range: Range, trial: u32) -> SimConfig {
        let mut config = SimConfig::with_seed(5, self.trial_seed(range, trial));
        config.raft.election_timeout_min = range.min_ms * MS;
        config.raft.election_timeout_max = range.max_ms * MS;
        config.raft.heartbeat_interval = range.heartbeat();
        config.net.latency_min = self.latency.0;
        config.net.latency_max = self.latency.1;
        config.net.storage_min = self.storage.0;
        config.net.storage_max = self.storage.1;
        config
    }

    /// A seed of its own for every trial (SplitMix64's mixing of the three numbers), so
    /// trials do not share their randomness and any one can be run again alone.
    pub fn trial_seed(&self, range: Range, trial: u32) -> u64 {
        let mut z = self
            .seed
            .wrapping_add(range.min_ms.wrapping_mul(0x9E37_79B9_7F4A_7C15))
            .wrapping_add(range.max_ms.wrapping_mul(0xBF58_476D_1CE4_E5B9))
            .wrapping_add(u64::from(trial).wrapping_mul(0x94D0_49BB_1331_11EB));
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        (z ^ (z >> 31)) % 1_000_000_000
    }

    /// The expected time without a leader when no vote splits (our derivation, in the
    /// spirit of the dissertation's section 9.3 analysis): the followers' timers restart
    /// when the last heartbeat arrives (one latency after it left), the first of the `k`
    /// survivors that can win times out after the least of `k` uniform draws from the
    /// range, `a + (b − a)/(k + 1)`, and its election takes one broadcast time. The crash
    /// came on average half a heartbeat after that heartbeat left.
    pub fn expected_without_split_votes(&self, range: Range) -> Time {
        let k = if self.uneven_logs { 2 } else { 4 };
        let (a, b) = (range.min_ms * MS, range.max_ms * MS);
        let latency = (self.latency.0 + self.latency.1) / 2;
        (latency + a + (b - a) / (k + 1) + self.broadcast_time())
            .saturating_sub(range.heartbeat() / 2)
    }
}

/// What one trial measured.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Trial {
    /// Its number within its range (what runs it again).
    pub number: u32,
    /// When the leader crashed (virtual time of the trial's run).
    pub crash_at: Time,
    /// How long the cluster was without a leader; `None`: longer than the limit.
    pub without_leader: Option<Time>,
    /// How many terms it took: 1 when the first election won.
    pub terms: u64,
    /// Whether the safety checker found anything (it never should).
    pub violation: bool,
    /// Events the trial's run processed, setup included.
    pub events: u64,
}

/// The first leader: S1, timed out at once so every trial starts the same way.
const FIRST_LEADER: NodeId = 0;

/// Runs trial `number` of `range` up to the moment its leader crashes (included): the
/// run the sandbox opens, paused there. Returns it with the crashed leader's term.
pub fn run_to_crash(setup: &Setup, range: Range, number: u32) -> Result<(Sim, u64), String> {
    let mut sim = Sim::new(setup.config(range, number))?;
    sim.set_record_trace(false);
    let mut rng = Rng::seed_from_u64(setup.trial_seed(range, number) ^ 0x5EED);
    sim.apply(Intervention::Timeout(FIRST_LEADER))?;
    let settle = range.max_ms * MS;
    if !sim.run_until_condition(setup.limit, |s| s.leader().is_some()) {
        return Err(format!(
            "{}: no first leader within the limit",
            range.label()
        ));
    }
    // Every follower hears a few heartbeats and, with uneven logs, has every entry.
    sim.run_for(settle);
    // The heartbeat that synchronises the followers' timers: the next one the leader
    // sends. A leader deposed meanwhile (short timeouts) hands the trial to the next.
    let mut leader = None;
    for _ in 0..100 {
        let Some(l) = sim.leader() else {
            sim.run_until_condition(setup.limit, |s| s.leader().is_some());
            continue;
        };
        let heartbeat_at = sim.node(l).timer_deadline();
        sim.run_until(heartbeat_at);
        if sim.leader() == Some(l) {
            leader = Some((l, heartbeat_at));
            break;
        }
    }
    let (leader, heartbeat_at) =
        leader.ok_or_else(|| format!("{}: the leader never held a heartbeat", range.label()))?;
    if setup.uneven_logs {
        // The two highest ids but the leader's (S4 and S5 unless one of them leads).
        let short: Vec<NodeId> = (0..5).rev().filter(|&s| s != leader).take(2).collect();
        let long: Vec<NodeId> = (0..5).filter(|s| !short.contains(s)).collect();
        sim.apply(Intervention::Partition(vec![long.clone(), short]))?;
        sim.apply(Intervention::ClientWrite {
            to: WriteTarget::Server(leader),
            command: Command::Set {
                key: "x".into(),
                value: i64::from(number),
            },
        })?;
        sim.apply(Intervention::Heal)?;
    }
    // A crashed server's messages still on the wire are lost in this simulator (on a real
    // network they would arrive), so the crash waits until the heartbeat, and the write,
    // have arrived: else the timers were not synchronised, or all four could win. The
    // time without a leader is counted from the crash.
    let arrived = sim
        .in_flight()
        .iter()
        .filter(|m| m.from == leader)
        .map(|m| m.deliver_at)
        .max()
        .unwrap_or(heartbeat_at);
    sim.run_until(arrived.min(heartbeat_at + range.heartbeat().saturating_sub(1)));
    // Uniformly within the rest of the heartbeat interval.
    let earliest = sim.now() - heartbeat_at;
    let last = range.heartbeat().saturating_sub(1).max(earliest);
    let offset = uniform(&mut rng, earliest, last);
    sim.run_until(heartbeat_at + offset);
    let term = sim.node(leader).current_term;
    sim.apply(Intervention::Crash(leader))?;
    Ok((sim, term))
}

/// Runs trial `number` of `range` to its end.
pub fn run_trial(setup: &Setup, range: Range, number: u32) -> Result<Trial, String> {
    let (mut sim, term) = run_to_crash(setup, range, number)?;
    let crash_at = sim.now();
    let elected = sim.run_until_condition(setup.limit, |s| s.leader().is_some());
    let terms = sim
        .leader()
        .map_or(0, |l| sim.node(l).current_term.saturating_sub(term));
    Ok(Trial {
        number,
        crash_at,
        without_leader: elected.then(|| sim.now() - crash_at),
        terms,
        violation: sim.violation().is_some(),
        events: sim.events_processed(),
    })
}

/// Trial `number` of `range` as the script of its run paused at the crash: what a click
/// on the plot opens in the sandbox.
pub fn trial_script(setup: &Setup, range: Range, number: u32) -> Result<RunScript, String> {
    run_to_crash(setup, range, number).map(|(sim, _)| sim.script())
}

/// The figures the page shows for one range, from its trials.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Summary {
    pub trials: usize,
    /// Trials with no leader within the limit.
    pub unfinished: usize,
    /// Percentiles and the maximum; `None` when the trial at that rank had no leader
    /// within the limit.
    pub p50: Option<Time>,
    pub p90: Option<Time>,
    pub p99: Option<Time>,
    pub max: Option<Time>,
    /// The mean of the finished trials.
    pub mean: Option<Time>,
}

/// The trials from the fastest election to the slowest; those without a leader within
/// the limit last (longer than any time).
pub fn ranked(trials: &[Trial]) -> Vec<&Trial> {
    let mut ranked: Vec<&Trial> = trials.iter().collect();
    ranked.sort_by_key(|t| (t.without_leader.is_none(), t.without_leader, t.number));
    ranked
}

/// Where percentile `p` of `n` ranked items is (nearest rank: the first at or below which
/// `p` % lie).
fn nearest_rank(p: usize, n: usize) -> usize {
    ((p * n).div_ceil(100).max(1) - 1).min(n.saturating_sub(1))
}

/// The trial at percentile `p`.
pub fn at_percentile(trials: &[Trial], p: usize) -> Option<&Trial> {
    ranked(trials).get(nearest_rank(p, trials.len())).copied()
}

impl Summary {
    pub fn of(trials: &[Trial]) -> Summary {
        // Ranked once: the page summarises every range at every frame of a run.
        let times: Vec<Option<Time>> = ranked(trials).iter().map(|t| t.without_leader).collect();
        let rank = |p: usize| times.get(nearest_rank(p, times.len())).copied().flatten();
        let finished: Vec<Time> = times.iter().flatten().copied().collect();
        Summary {
            trials: times.len(),
            unfinished: times.len() - finished.len(),
            p50: rank(50),
            p90: rank(90),
            p99: rank(99),
            max: times.last().copied().flatten(),
            mean: (!finished.is_empty())
                .then(|| finished.iter().sum::<Time>() / finished.len() as Time),
        }
    }
}

/// Trials of several ranges, run a slice at a time so that a page stays responsive.
#[derive(Clone, Debug)]
pub struct Experiment {
    pub setup: Setup,
    pub ranges: Vec<Range>,
    /// Trials per range, by range (the paper's counts by default).
    pub trials: Vec<u32>,
    /// The trials run so far, by range.
    pub results: Vec<Vec<Trial>>,
    /// The first error a trial met (none is expected; the run stops there).
    pub error: Option<String>,
}

impl Experiment {
    pub fn new(setup: Setup, ranges: Vec<Range>, trials: impl Fn(Range) -> u32) -> Experiment {
        let counts = ranges.iter().map(|&r| trials(r)).collect();
        let results = ranges.iter().map(|_| Vec::new()).collect();
        Experiment {
            setup,
            ranges,
            trials: counts,
            results,
            error: None,
        }
    }

    /// Trials done and planned, over every range.
    pub fn progress(&self) -> (u64, u64) {
        let done = self.results.iter().map(|r| r.len() as u64).sum();
        let all = self.trials.iter().map(|&n| u64::from(n)).sum();
        (done, all)
    }

    pub fn is_done(&self) -> bool {
        self.error.is_some() || self.next().is_none()
    }

    /// The range and number of the next trial to run.
    fn next(&self) -> Option<(usize, u32)> {
        self.results
            .iter()
            .zip(&self.trials)
            .position(|(r, &n)| (r.len() as u32) < n)
            .map(|k| (k, self.results[k].len() as u32))
    }

    /// Runs trials until at least `events` simulator events were processed (or all are
    /// done); returns whether all are done. A slice ends between trials.
    pub fn run_slice(&mut self, events: u64) -> bool {
        let mut spent = 0;
        while spent < events && self.error.is_none() {
            let Some((k, number)) = self.next() else {
                break;
            };
            match run_trial(&self.setup, self.ranges[k], number) {
                Ok(trial) => {
                    spent += trial.events;
                    self.results[k].push(trial);
                }
                Err(e) => self.error = Some(e),
            }
        }
        self.is_done()
    }

    /// Whether every trial of range `k` has run.
    pub fn range_done(&self, k: usize) -> bool {
        self.results
            .get(k)
            .zip(self.trials.get(k))
            .is_some_and(|(r, &n)| r.len() as u32 >= n)
    }

    /// Every trial as CSV, one line each, with a header.
    pub fn csv(&self) -> String {
        let mut out = String::from(
            "range_min_ms,range_max_ms,trial,seed,crash_at_ms,without_leader_ms,terms\n",
        );
        for (range, trials) in self.ranges.iter().zip(&self.results) {
            for t in trials {
                let without = t.without_leader.map_or_else(|| "none".to_string(), ms3);
                out.push_str(&format!(
                    "{},{},{},{},{},{},{}\n",
                    range.min_ms,
                    range.max_ms,
                    t.number,
                    self.setup.trial_seed(*range, t.number),
                    ms3(t.crash_at),
                    without,
                    t.terms
                ));
            }
        }
        out
    }
}

/// Milliseconds with three decimals (the clock counts microseconds).
fn ms3(t: Time) -> String {
    format!("{}.{:03}", t / MS, t % MS)
}
