//! Simulator speed: events per second for five servers under steady client writes,
//! the wall time to simulate one virtual hour and a storm of messages, seeks on the
//! timeline, and the time to open a tour step. `make bench` (or `cargo bench --bench sim`).

use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use raft_playground::raft::{Command, MS, Rng, Time, uniform};
use raft_playground::sim::{Intervention, Sim, SimConfig, WriteTarget};
use raft_playground::ui::history::History;
use rand_core::SeedableRng;

/// Five servers, one client write to the leader every `every` of virtual time.
fn steady_writes(duration: Time, every: Time, check_safety: bool) -> Sim {
    steady_writes_with(duration, every, check_safety, (false, false, false))
}

/// [`steady_writes`] with the switches beyond Figure 2: (PreVote, CheckQuorum, no-op).
fn steady_writes_with(
    duration: Time,
    every: Time,
    check_safety: bool,
    (pre_vote, check_quorum, no_op): (bool, bool, bool),
) -> Sim {
    let mut config = SimConfig::with_seed(5, 42);
    config.raft.pre_vote = pre_vote;
    config.raft.check_quorum = check_quorum;
    config.raft.no_op = no_op;
    writes_to(config, duration, every, check_safety, |_, _| {})
}

/// A run of `config` with a client write to the leader every `every`; `after_write` may
/// act on the run after each (write number, from 1).
fn writes_to(
    config: SimConfig,
    duration: Time,
    every: Time,
    check_safety: bool,
    mut after_write: impl FnMut(&mut Sim, i64),
) -> Sim {
    let mut sim = Sim::new(config).expect("valid config");
    sim.set_record_trace(false);
    sim.set_check_safety(check_safety);
    let mut value = 0;
    while sim.now() < duration {
        sim.run_for(every);
        value += 1;
        let command = Command::Set {
            key: format!("k{}", value % 8).into(),
            value,
        };
        let _ = sim.apply(Intervention::ClientWrite {
            to: WriteTarget::Leader,
            command,
        });
        after_write(&mut sim, value);
    }
    sim
}

fn events_per_second(c: &mut Criterion) {
    // Events in 60 virtual seconds with a write every 10 ms, counted once up front.
    let events = steady_writes(60_000 * MS, 10 * MS, true).events_processed();
    let mut group = c.benchmark_group("five_servers_write_every_10ms_60s");
    group.throughput(Throughput::Elements(events));
    group.sample_size(10);
    group.bench_function("with_safety_checker", |b| {
        b.iter(|| steady_writes(60_000 * MS, 10 * MS, true))
    });
    group.bench_function("without_safety_checker", |b| {
        b.iter(|| steady_writes(60_000 * MS, 10 * MS, false))
    });
    group.finish();
}

fn one_virtual_hour(_c: &mut Criterion) {
    if !wanted("one_virtual_hour") {
        return;
    }
    // Too long for criterion's sampling: measured once, printed.
    let start = Instant::now();
    let sim = steady_writes(3_600_000 * MS, 100 * MS, true);
    let wall = start.elapsed();
    println!(
        "one virtual hour, 5 servers, a write every 100 ms, safety checker on: {:.2} s wall, {} events ({:.2} M events/s)",
        wall.as_secs_f64(),
        sim.events_processed(),
        sim.events_processed() as f64 / wall.as_secs_f64() / 1e6
    );
    // What each switch beyond Figure 2 costs, on the same run (best of three each).
    for (name, switches) in [
        ("every switch off", (false, false, false)),
        ("PreVote", (true, false, false)),
        ("CheckQuorum", (false, true, false)),
        ("leader no-op", (false, false, true)),
        ("all three", (true, true, true)),
    ] {
        let (mut best, mut events) = (f64::MAX, 0);
        for _ in 0..3 {
            let start = Instant::now();
            let sim = steady_writes_with(3_600_000 * MS, 100 * MS, true, switches);
            best = best.min(start.elapsed().as_secs_f64());
            events = sim.events_processed();
        }
        println!(
            "  {name}: {best:.2} s wall, {events} events ({:.2} M events/s)",
            events as f64 / best / 1e6
        );
    }
}

/// Issue 14: the same hour with log compaction (a snapshot every 8 applied entries), and
/// with servers added and removed, against the run with both off (best of three each).
fn compaction_and_membership(_c: &mut Criterion) {
    if !wanted("compaction_and_membership") {
        return;
    }
    let run = |snapshot_every: u64, membership: bool| {
        let mut config = SimConfig::with_seed(5, 42);
        config.raft.snapshot_every = snapshot_every;
        let sim = writes_to(config, 3_600_000 * MS, 100 * MS, true, |sim, value| {
            // Every virtual minute, add a server (S6, S7, S8, S9: ids are never reused) or
            // remove the one added last, so five or six servers vote throughout.
            if membership && value % 600 == 0 {
                let voters = sim.membership().voters;
                let change = if voters.len() > 5 {
                    voters.iter().copied().max().map(Intervention::RemoveServer)
                } else {
                    (sim.server_count() < 9).then_some(Intervention::AddServer)
                };
                if let Some(change) = change {
                    let _ = sim.apply(change);
                }
            }
        });
        assert!(sim.violation().is_none());
        sim
    };
    for (name, every, membership) in [
        ("compaction off", 0, false),
        ("a snapshot every 8 entries", 8, false),
        ("a snapshot every 1,000 entries", 1000, false),
        ("S6 to S9 added and removed, one a minute", 0, true),
    ] {
        let (mut best, mut events) = (f64::MAX, 0);
        for _ in 0..3 {
            let start = Instant::now();
            let sim = run(every, membership);
            best = best.min(start.elapsed().as_secs_f64());
            events = sim.events_processed();
        }
        println!(
            "one virtual hour, 5 servers, a write every 100 ms, safety checker on, {name}: {best:.2} s wall, {events} events ({:.2} M events/s)",
            events as f64 / best / 1e6
        );
    }
}

fn message_storm(_c: &mut Criterion) {
    if !wanted("message_storm") {
        return;
    }
    // Issue 12, finding 5: the busiest network the bounds allow. Nine servers, heartbeats
    // every 10 ms, latency 1-200 ms (20 heartbeats), half the messages duplicated, a
    // write every 10 ms. (Before the bounds, 60 s of latency and 100 % duplication put
    // 43,984 messages on the wire: 4.2-4.8 s with the O(n) queue, 0.04-0.06 s with this
    // one.) Measured once, printed.
    let mut config = SimConfig::with_seed(9, 7);
    config.raft.heartbeat_interval = 10 * MS;
    config.net.latency_min = MS;
    config.net.latency_max = 200 * MS;
    config.net.duplicate_permille = 500;
    let mut sim = Sim::new(config).expect("valid config");
    sim.set_trace_limit(Some(5_000));
    let start = Instant::now();
    let mut most = 0;
    let mut value = 0;
    while sim.now() < 60_000 * MS {
        sim.run_for(10 * MS);
        most = most.max(sim.in_flight().len());
        value += 1;
        let _ = sim.apply(Intervention::ClientWrite {
            to: WriteTarget::Leader,
            command: Command::Set {
                key: format!("k{}", value % 8).into(),
                value,
            },
        });
    }
    let wall = start.elapsed();
    println!(
        "message storm within the bounds, 9 servers, 10 ms heartbeats, latency 1-200 ms, 50 % duplication, a write every 10 ms, 60 virtual s: {:.2} s wall, {} events, up to {} messages in flight",
        wall.as_secs_f64(),
        sim.events_processed(),
        most
    );
}

fn seek_in_a_ten_minute_run(_c: &mut Criterion) {
    if !wanted("seek_in_a_ten_minute_run") {
        return;
    }
    // The timeline's job: rebuild any moment of a 10-minute run (a write every 100 ms).
    let mut sim = Sim::new(SimConfig::with_seed(5, 42)).expect("valid config");
    sim.set_trace_limit(Some(5_000));
    let mut history = History::new(&sim, Vec::new(), 0);
    let mut value = 0;
    while sim.now() < 600_000 * MS {
        let next = sim.now() + 100 * MS;
        history.advance(&mut sim, next).expect("recorded run");
        value += 1;
        let command = Command::Set {
            key: format!("k{}", value % 8).into(),
            value,
        };
        if sim
            .apply(Intervention::ClientWrite {
                to: WriteTarget::Leader,
                command,
            })
            .is_ok()
        {
            history.recorded(&sim);
        }
    }
    let mut rng = Rng::seed_from_u64(1);
    let mut times: Vec<f64> = (0..200)
        .map(|_| {
            let t = uniform(&mut rng, 0, history.horizon());
            let start = Instant::now();
            let seen = history.seek(t).expect("seek");
            let took = start.elapsed().as_secs_f64() * 1000.0;
            assert_eq!(seen.now(), t);
            took
        })
        .collect();
    times.sort_by(f64::total_cmp);
    println!(
        "seek to 200 random points of a 10-minute 5-server run with a write every 100 ms: median {:.2} ms, p95 {:.2} ms, max {:.2} ms",
        times[100], times[190], times[199]
    );
}

fn tour_back_and_deep_links(_c: &mut Criterion) {
    if !wanted("tour_back_and_deep_links") {
        return;
    }
    // Back and a deep link rebuild a tour step from its chapter's seed and open the page
    // on it (a replay with checkpoints): the slowest step of all 47 is what a reader waits.
    use raft_playground::sim::tour::CHAPTERS;
    use raft_playground::ui::playground::Playground;
    let mut times: Vec<(f64, String)> = Vec::new();
    for (c, chapter) in CHAPTERS.iter().enumerate() {
        for k in 0..chapter.steps.len() {
            let start = Instant::now();
            for _ in 0..10 {
                Playground::at_tour_step(c, k).expect("tour step");
            }
            let took = start.elapsed().as_secs_f64() * 100.0;
            times.push((took, format!("{}/{}", chapter.id, k + 1)));
        }
    }
    times.sort_by(|a, b| a.0.total_cmp(&b.0));
    let (slowest, which) = times.last().cloned().unwrap_or_default();
    println!(
        "open a tour step (Back, deep link), native: median {:.2} ms, slowest {:.2} ms ({which}), over {} steps",
        times[times.len() / 2].0,
        slowest,
        times.len()
    );
}

fn reads_and_the_linearizability_checker(_c: &mut Criterion) {
    if !wanted("reads_and_the_linearizability_checker") {
        return;
    }
    // A teacher's read-heavy run: one virtual minute of 5 servers, a write every 100 ms
    // and a ReadIndex read every 100 ms, all on one key (so every answer is checked
    // against the whole history of that key, the checker's worst case in a run).
    use raft_playground::raft::{Command, MS, ReadMode};
    use raft_playground::sim::linearizability::{self, Verdict};
    use raft_playground::sim::{Intervention, Sim, SimConfig, WriteTarget};
    let run = |reads: bool| {
        let mut sim = Sim::new(SimConfig::with_seed(5, 7)).expect("valid");
        sim.set_record_trace(false);
        let start = Instant::now();
        for k in 0..600_i64 {
            sim.run_for(50 * MS);
            let _ = sim.apply(Intervention::ClientWrite {
                to: WriteTarget::Leader,
                command: Command::Set {
                    key: "x".into(),
                    value: k,
                },
            });
            sim.run_for(50 * MS);
            if reads {
                let _ = sim.apply(Intervention::ClientRead {
                    to: WriteTarget::Leader,
                    key: "x".into(),
                    mode: ReadMode::ReadIndex,
                });
            }
        }
        assert!(sim.violation().is_none());
        (start.elapsed().as_secs_f64(), sim)
    };
    let (without, _) = run(false);
    let (with, sim) = run(true);
    let ops = sim.history_of("x");
    let start = Instant::now();
    let verdict = linearizability::check(None, &ops, 10_000_000);
    let once = start.elapsed().as_secs_f64() * 1000.0;
    assert_eq!(verdict, Verdict::Linearizable);
    println!(
        "one virtual minute, 5 servers, a write every 100 ms: {:.3} s wall; with a ReadIndex read of the same key every 100 ms, each checked for linearizability: {:.3} s wall; checking the final history of {} operations once: {:.2} ms",
        without,
        with,
        ops.len(),
        once
    );
}

fn the_lab(_c: &mut Criterion) {
    if !wanted("the_lab") {
        return;
    }
    use raft_playground::raft::BrokenRule;
    use raft_playground::sim::lab::break_rule::Search;
    use raft_playground::sim::lab::figure16::{Experiment, Setup, TOP_PANEL, paper_trials};
    // Figure 16's top panel as the paper ran it: 5,100 trials (1,000 per range, 100 for
    // 150–150 ms, whose trials mostly run to the 10 s limit).
    let start = Instant::now();
    let mut e = Experiment::new(Setup::paper(), TOP_PANEL.to_vec(), paper_trials);
    while !e.run_slice(1_000_000) {}
    let took = start.elapsed().as_secs_f64();
    let events: u64 = e.results.iter().flatten().map(|t| t.events).sum();
    let (trials, _) = e.progress();
    println!(
        "lab, Figure 16's top panel with the paper's trial counts: {trials} trials in {took:.2} s ({:.0} trials/s, {events} events)",
        trials as f64 / took
    );
    // Break a rule: the search over 2,000 schedules with every rule kept (nothing found,
    // every schedule run to its end), and the searches that find each safety rule.
    let start = Instant::now();
    let mut search = Search::new(None, 1, 2_000);
    while !search.run_slice(1_000_000) {}
    let took = start.elapsed().as_secs_f64();
    println!(
        "lab, break a rule, every rule kept: {} schedules in {took:.2} s ({:.0} runs/s, {} events)",
        search.tried,
        search.tried as f64 / took,
        search.events
    );
    for rule in BrokenRule::ALL.into_iter().filter(|r| r.is_about_safety()) {
        let start = Instant::now();
        let mut search = Search::new(Some(rule), 1, 2_000);
        while !search.run_slice(1_000_000) {}
        let found = search.found.as_ref().map_or(0, |f| f.shrunk.steps.len());
        println!(
            "lab, break a rule, {rule:?}: found after {} runs, shrunk to {found} interventions, {:.3} s with the shrinking",
            search.tried,
            start.elapsed().as_secs_f64()
        );
    }
}

/// Issue 16's measurement: one virtual hour of five servers with a client write to the
/// leader every 10 virtual ms, trace off, the safety checker off and on (best of three
/// each). Filter with `cargo bench --bench sim -- issue_16`.
fn issue_16_one_virtual_hour(_c: &mut Criterion) {
    if !wanted("issue_16_one_virtual_hour") {
        return;
    }
    for (name, check_safety) in [("safety checker off", false), ("safety checker on", true)] {
        let (mut best, mut best_cpu, mut events) = (f64::MAX, f64::MAX, 0);
        for _ in 0..3 {
            let (start, cpu) = (Instant::now(), cpu_seconds());
            let sim = steady_writes(3_600_000 * MS, 10 * MS, check_safety);
            best = best.min(start.elapsed().as_secs_f64());
            best_cpu = best_cpu.min(cpu_seconds() - cpu);
            events = sim.events_processed();
        }
        println!(
            "issue 16: one virtual hour, 5 servers, a write every 10 ms, trace off, {name}: {best:.3} s wall ({best_cpu:.2} s CPU), {events} events ({:.2} M events/s)",
            events as f64 / best / 1e6
        );
    }
}

/// The CPU time this thread has used, in seconds (Linux; 0 elsewhere): on a shared
/// machine the wall time also counts the time other work held the processor.
fn cpu_seconds() -> f64 {
    // Fields 14 and 15 of /proc/thread-self/stat (after the command in parentheses):
    // user and system time, in clock ticks of 1/100 s.
    let Ok(stat) = std::fs::read_to_string("/proc/thread-self/stat") else {
        return 0.0;
    };
    let after = stat.rsplit(')').next().unwrap_or_default();
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<f64>().ok());
    // After the command, field 3 (the state) is at 0, so fields 14 and 15 are at 11 and 12.
    ticks(11).unwrap_or(0.0) / 100.0 + ticks(12).unwrap_or(0.0) / 100.0
}

/// Whether the benchmark `name` runs: the measurements printed once (not criterion's
/// sampled ones) honour a filter given as `cargo bench --bench sim -- FILTER` too.
fn wanted(name: &str) -> bool {
    let filters: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    filters.is_empty() || filters.iter().any(|f| name.contains(f.as_str()))
}

criterion_group! {
    name = benches;
    config = Criterion::default().measurement_time(Duration::from_secs(10));
    targets = issue_16_one_virtual_hour, the_lab, events_per_second, one_virtual_hour, compaction_and_membership, message_storm, seek_in_a_ten_minute_run, tour_back_and_deep_links, reads_and_the_linearizability_checker
}
criterion_main!(benches);
