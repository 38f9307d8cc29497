//! The lab's Figure 16 (section 9.3 of the paper), with the page's own code: the medians
//! of the paper's ranges, the 150–150 ms pathology, the safety checker through every
//! trial, and a trial that reopens as the same run.

use raft_playground::raft::MS;
use raft_playground::sim::Sim;
use raft_playground::sim::lab::figure16::{
    BOTTOM_PANEL, Experiment, Range, Setup, Summary, TOP_PANEL, paper_median_ms, run_to_crash,
    run_trial, trial_script,
};

/// Runs `trials` trials of each of `ranges` with the paper's setup.
fn experiment(ranges: &[Range], trials: u32) -> Experiment {
    let mut e = Experiment::new(Setup::paper(), ranges.to_vec(), |_| trials);
    while !e.run_slice(200_000) {}
    assert_eq!(e.error, None);
    for trials in &e.results {
        assert!(
            trials.iter().all(|t| !t.violation),
            "the safety checker fired"
        );
    }
    e
}

#[test]
fn medians_from_150_155_up_are_within_a_quarter_of_the_papers() {
    // The acceptance: every range of the top panel from 150–155 ms up, and the
    // bottom panel's ranges whose medians the paper's curves show clearly.
    let ranges: Vec<Range> = TOP_PANEL[2..]
        .iter()
        .chain(&BOTTOM_PANEL[1..4])
        .copied()
        .collect();
    let e = experiment(&ranges, 200);
    for (range, trials) in e.ranges.iter().zip(&e.results) {
        let summary = Summary::of(trials);
        let paper = paper_median_ms(*range).expect("the paper has a median") * MS;
        let p50 = summary
            .p50
            .expect("every trial of these ranges elects a leader");
        println!(
            "{:>11}: median {} ms (paper {} ms), p90 {} ms, max {:?} ms",
            range.label(),
            p50 / MS,
            paper / MS,
            summary.p90.unwrap_or(0) / MS,
            summary.max.map(|m| m / MS)
        );
        assert_eq!(summary.unfinished, 0, "{}", range.label());
        assert!(
            p50 * 4 >= paper * 3 && p50 * 4 <= paper * 5,
            "{}: median {} ms, the paper's {} ms",
            range.label(),
            p50 / MS,
            paper / MS
        );
    }
}

#[test]
fn with_no_randomness_elections_take_seconds_or_never_end() {
    let e = experiment(&[TOP_PANEL[0], TOP_PANEL[5]], 20);
    let (fixed, random) = (Summary::of(&e.results[0]), Summary::of(&e.results[1]));
    println!("150–150 ms: {fixed:?}\n150–300 ms: {random:?}");
    // The paper: "elections took longer than 10 s". Here most trials end at the limit.
    assert!(fixed.unfinished * 2 > fixed.trials, "{fixed:?}");
    assert_eq!(fixed.p50, None);
    // One split vote after another: the trials that did end took many terms.
    assert!(
        e.results[0]
            .iter()
            .all(|t| t.without_leader.is_none() || t.terms > 1)
    );
    assert_eq!(random.unfinished, 0);
    assert!(random.max.is_some_and(|m| m < Setup::paper().limit / 10));
}

#[test]
fn short_timeouts_elect_fast_and_the_no_split_vote_estimate_is_a_lower_bound_on_the_mean() {
    let setup = Setup::paper();
    let e = experiment(&BOTTOM_PANEL, 100);
    let mut previous = 0;
    for (range, trials) in e.ranges.iter().zip(&e.results) {
        let s = Summary::of(trials);
        let mean = s.mean.expect("trials finished");
        let expected = setup.expected_without_split_votes(*range);
        println!(
            "{:>11}: mean {} ms, no-split-vote estimate {} ms",
            range.label(),
            mean / MS,
            expected / MS
        );
        // Split votes only add time: the mean is at least about the estimate (one
        // broadcast time of slack for the draws of a hundred trials).
        assert!(
            mean + setup.broadcast_time() >= expected,
            "{}",
            range.label()
        );
        // Longer timeouts, longer elections.
        assert!(s.p50.unwrap_or(0) >= previous, "{}", range.label());
        previous = s.p50.unwrap_or(0);
    }
    // 12–24 ms: the paper averaged 35 ms; the worst of its thousand trials took 152 ms.
    let fastest = Summary::of(&e.results[0]);
    assert!(fastest.mean.is_some_and(|m| m < 60 * MS), "{fastest:?}");
}

#[test]
fn a_trial_is_a_run_that_reopens_paused_at_the_crash() {
    let setup = Setup::paper();
    let range = TOP_PANEL[5];
    let first = run_trial(&setup, range, 7).expect("runs");
    assert_eq!(run_trial(&setup, range, 7), Ok(first));
    assert_ne!(
        run_trial(&setup, range, 8).map(|t| t.crash_at),
        Ok(first.crash_at)
    );

    let script = trial_script(&setup, range, 7).expect("runs");
    // Stable-storage writes that take time are what version 4 added.
    assert_eq!(script.version, 4);
    assert_eq!(script.playhead, first.crash_at);
    let reopened = Sim::replay(&script).expect("replays");
    let (original, _) = run_to_crash(&setup, range, 7).expect("runs");
    assert_eq!(reopened.state_digest(), original.state_digest());
    // Paused right after the crash: the leader is down, nobody leads yet.
    assert_eq!(reopened.leader(), None);
    // The setup's three instants are in the script: the partition, the write, the heal.
    assert_eq!(script.steps.len(), 5, "{:?}", script.steps);
    // Opened in the sandbox, it goes on to the same election.
    let mut sandbox = reopened;
    assert!(sandbox.run_until_condition(setup.limit, |s| s.leader().is_some()));
    assert_eq!(
        Some(sandbox.now() - first.crash_at),
        first.without_leader,
        "the sandbox shows the trial's election"
    );
}

#[test]
fn two_survivors_cannot_win_when_the_logs_are_uneven() {
    let setup = Setup::paper();
    for number in 0..20 {
        let (mut sim, _) = run_to_crash(&setup, TOP_PANEL[5], number).expect("runs");
        assert!(sim.run_until_condition(setup.limit, |s| s.leader().is_some()));
        let leader = sim.leader().expect("elected");
        assert!(leader == 1 || leader == 2, "S{} won", leader + 1);
    }
}

#[test]
fn the_csv_has_a_line_per_trial() {
    let e = experiment(&[BOTTOM_PANEL[2]], 5);
    let csv = e.csv();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 6);
    assert!(lines[0].starts_with("range_min_ms,range_max_ms,trial,seed,"));
    assert!(lines[1].starts_with("50,100,0,"));
    assert_eq!(e.progress(), (5, 5));
}

#[test]
fn answers_leave_after_the_stable_storage_write_and_requests_do_not_wait() {
    use raft_playground::raft::Message;
    use raft_playground::sim::{EventKind, SimConfig};
    let mut config = SimConfig::with_seed(5, 4);
    config.net.storage_min = 30 * MS;
    config.net.storage_max = 40 * MS;
    let mut sim = Sim::new(config.clone()).expect("valid");
    sim.run_for(3_000 * MS);
    let (mut answers, mut requests) = (0, 0);
    for e in sim.trace() {
        if let EventKind::Send {
            msg, deliver_at, ..
        } = &e.kind
        {
            let took = deliver_at - e.time;
            if msg.follows_a_write() {
                answers += 1;
                assert!((40 * MS..=60 * MS).contains(&took), "{msg:?} took {took}");
            } else {
                requests += 1;
                assert!(took <= 20 * MS, "{msg:?} took {took}");
            }
            if matches!(msg, Message::RequestVoteReply(_)) {
                assert!(took >= 40 * MS);
            }
        }
    }
    assert!(answers > 10 && requests > 10);
    assert!(sim.leader().is_some());
    assert_eq!(sim.violation(), None);
    // Without the setting, a run is written as before it existed (the v1 and v2
    // fixtures of tests/migration.rs pin that such runs replay identically).
    let mut plain = Sim::new(SimConfig::with_seed(5, 4)).expect("valid");
    plain.run_for(2_000 * MS);
    let script = plain.script();
    assert_eq!(script.version, 1);
    assert!(
        !serde_json::to_string(&script)
            .expect("json")
            .contains("storage")
    );
    assert!(
        serde_json::to_string(&sim.script())
            .expect("json")
            .contains("\"storage_max\":40000")
    );
}
