//! The lab's "break a rule": for each safety rule of Figure 2, the search from a fixed
//! seed finds a run that breaks an invariant, and the shrunk run still does and reopens
//! one event before it; with every rule kept, the same schedules break nothing.

use raft_playground::raft::{BrokenRule, NodeEvent};
use raft_playground::sim::lab::break_rule::{Search, run, schedule};
use raft_playground::sim::{EventKind, Invariant, Sim};
use raft_playground::ui::lang::Lang;
use raft_playground::ui::words::violation_detail;

/// Schedules every search may try: the searches below need from a handful to a few
/// hundred of them.
const BUDGET: u64 = 2_000;

fn search(rule: Option<BrokenRule>) -> Search {
    let mut search = Search::new(rule, 1, BUDGET);
    while !search.run_slice(500_000) {}
    assert_eq!(search.error, None);
    search
}

#[test]
fn every_safety_rule_broken_is_found_shrunk_and_reopened_just_before_the_violation() {
    for rule in BrokenRule::ALL.into_iter().filter(|r| r.is_about_safety()) {
        let s = search(Some(rule));
        let found = s
            .found
            .clone()
            .unwrap_or_else(|| panic!("{rule:?}: nothing found"));
        println!(
            "{rule:?}: schedule {} of {} tried, {} steps shrunk to {}: {} — {}",
            found.schedule_number,
            s.tried,
            found.original_steps,
            found.shrunk.steps.len(),
            found.violation.invariant.name(),
            found.violation.detail
        );
        assert!(found.shrunk.steps.len() < found.original_steps);
        // The shrunk run still breaks the same invariant, the same way.
        let again = run(&found.shrunk).expect("runs");
        assert_eq!(again.violation.as_ref(), Some(&found.violation));
        let expected = match rule {
            BrokenRule::KeepRoleOnHigherTerm | BrokenRule::ForgetVoteOnRestart => {
                vec![Invariant::ElectionSafety]
            }
            BrokenRule::OverwriteWithoutTruncate => vec![
                Invariant::LogMatching,
                Invariant::LeaderCompleteness,
                Invariant::StateMachineSafety,
            ],
            _ => vec![Invariant::LeaderCompleteness, Invariant::StateMachineSafety],
        };
        assert!(expected.contains(&found.violation.invariant), "{rule:?}");
        // The evidence is told in Chinese too (the lab makes it the lesson).
        let zh = violation_detail(Lang::Zh, &found.violation);
        assert!(zh != found.violation.detail && zh.contains("任期"), "{zh}");
        // Reopened: the run is paused before the violation, and the next event is it; the
        // rule's breaches are in the trace by then (the one that breaks it may come with
        // the violating event itself).
        let mut sandbox = Sim::replay(&found.script).expect("replays");
        assert_eq!(sandbox.config().raft.broken, Some(rule));
        assert_eq!(sandbox.violation(), None);
        assert!(sandbox.step());
        let breaches = sandbox
            .trace()
            .iter()
            .filter(|e| {
                matches!(&e.kind, EventKind::Node { event: NodeEvent::RuleBroken(b), .. } if b.rule() == rule)
            })
            .count();
        assert!(breaches > 0, "{rule:?}: no breach in the trace");
        assert_eq!(sandbox.violation(), Some(&found.violation), "{rule:?}");
    }
}

#[test]
fn counterexamples_from_other_seeds_reopen_with_every_step_one_event_before() {
    // Three more seeds per safety rule: the reopened run applies every step the shrunk
    // run applied, and one more step (or, when a step broke it, none) shows the same
    // violation.
    for rule in BrokenRule::ALL.into_iter().filter(|r| r.is_about_safety()) {
        for seed in 2..=4 {
            let mut s = Search::new(Some(rule), seed, BUDGET);
            while !s.run_slice(500_000) {}
            let Some(found) = s.found else {
                panic!("{rule:?} seed {seed}: nothing in {BUDGET} schedules");
            };
            let outcome = run(&found.shrunk).expect("runs");
            let steps: Vec<_> = found
                .script
                .steps
                .iter()
                .map(|st| (st.at, st.intervention.clone()))
                .collect();
            assert_eq!(steps, outcome.applied, "{rule:?} seed {seed}");
            let mut sandbox = Sim::replay(&found.script).expect("replays");
            if outcome.by_intervention {
                assert_eq!(sandbox.violation(), Some(&found.violation));
            } else {
                assert_eq!(sandbox.violation(), None);
                assert!(sandbox.step());
                assert_eq!(
                    sandbox.violation(),
                    Some(&found.violation),
                    "{rule:?} seed {seed}"
                );
            }
        }
    }
}

#[test]
fn with_every_rule_kept_the_same_schedules_break_nothing() {
    let intact = search(None);
    assert_eq!(intact.found, None);
    assert_eq!(intact.tried, BUDGET);
    // The same schedules: only the rule differs.
    let broken = schedule(1, 17, Some(BrokenRule::VoteWithoutLogCheck));
    let kept = schedule(1, 17, None);
    assert_eq!(broken.steps, kept.steps);
    assert_eq!(broken.config.seed, kept.config.seed);
}

#[test]
fn the_timer_rule_costs_elections_not_safety() {
    let broken = search(Some(BrokenRule::NoTimerResetOnVote));
    let intact = search(None);
    assert_eq!(
        broken.found, None,
        "not resetting the timer is never unsafe"
    );
    println!(
        "terms over {} runs: {} with the timer rule broken, {} with every rule kept",
        BUDGET, broken.terms, intact.terms
    );
    assert!(broken.terms > intact.terms);
}

#[test]
fn a_search_is_deterministic_and_its_counterexample_opens_as_a_link() {
    let a = search(Some(BrokenRule::KeepRoleOnHigherTerm));
    let b = search(Some(BrokenRule::KeepRoleOnHigherTerm));
    assert_eq!(a, b);
    // In small slices (as a page's frames run it, shrinking included) it finds the same.
    let mut sliced = Search::new(Some(BrokenRule::CommitEarlierTerm), 1, BUDGET);
    let mut slices = 0;
    while !sliced.run_slice(2_000) {
        slices += 1;
    }
    let whole = search(Some(BrokenRule::CommitEarlierTerm));
    assert!(slices > 10);
    assert_eq!(sliced.found, whole.found);
    let script = a.found.expect("found").script;
    // A broken rule is what version 4 added to links.
    assert_eq!(script.version, 4);
    let link = raft_playground::sim::encode_link(&script);
    let decoded = raft_playground::sim::decode_link(&link).expect("decodes");
    assert_eq!(decoded, script);
    // A trace file of it carries the broken rule too, and reopens identically.
    let sim = Sim::replay(&script).expect("replays");
    let (imported, agreement) =
        raft_playground::sim::import_trace(&raft_playground::sim::export_json(&sim))
            .expect("imports");
    assert!(
        matches!(agreement, raft_playground::sim::Agreement::Identical { .. }),
        "{agreement:?}"
    );
    assert_eq!(
        imported.config().raft.broken,
        Some(BrokenRule::KeepRoleOnHigherTerm)
    );
    assert_eq!(imported.state_digest(), sim.state_digest());
}

#[test]
fn a_restart_in_a_run_that_forgets_votes_is_not_said_to_keep_the_vote() {
    use raft_playground::sim::Intervention;
    use raft_playground::ui::words::{event_sentence, intervention_words};
    let s = search(Some(BrokenRule::ForgetVoteOnRestart));
    let found = s.found.expect("found");
    let mut sandbox = Sim::replay(&found.script).expect("replays");
    assert!(sandbox.step());
    let restarts: Vec<(u64, EventKind)> = sandbox
        .trace()
        .iter()
        .enumerate()
        .filter(|(_, e)| matches!(e.kind, EventKind::Intervention(Intervention::Restart(_))))
        .map(|(k, e)| (k as u64 + sandbox.trace_forgotten(), e.kind.clone()))
        .collect();
    assert!(!restarts.is_empty());
    for (seq, kind) in &restarts {
        let en = event_sentence(Lang::En, &sandbox, *seq, kind);
        let zh = event_sentence(Lang::Zh, &sandbox, *seq, kind);
        assert!(
            en.contains("not its vote") && !en.contains("term, vote and log"),
            "{en}"
        );
        assert!(zh.contains("不保留投票"), "{zh}");
    }
    // The lab's list of the shrunk steps says the same; with every rule kept, the vote is kept.
    let restart = Intervention::Restart(0);
    let rule = Some(BrokenRule::ForgetVoteOnRestart);
    assert!(intervention_words(Lang::En, &restart, rule).contains("not its vote"));
    assert!(intervention_words(Lang::En, &restart, None).contains("term, vote and log"));
}

#[test]
fn a_vote_granted_without_the_log_check_gives_that_as_its_reason() {
    use raft_playground::raft::{Breach, VoteReason};
    let s = search(Some(BrokenRule::VoteWithoutLogCheck));
    let mut sandbox = Sim::replay(&s.found.expect("found").script).expect("replays");
    assert!(sandbox.step());
    let mut votes_without_check = 0;
    let mut breaches = 0;
    for e in sandbox.trace() {
        match &e.kind {
            EventKind::Node {
                event:
                    NodeEvent::VoteCast {
                        reason: VoteReason::GrantedWithoutLogCheck { .. },
                        granted,
                        ..
                    },
                ..
            } => {
                assert!(granted);
                votes_without_check += 1;
            }
            EventKind::Node {
                event: NodeEvent::RuleBroken(Breach::VotedForLessUpToDate { .. }),
                ..
            } => breaches += 1,
            _ => {}
        }
    }
    assert!(breaches > 0);
    assert_eq!(
        votes_without_check, breaches,
        "each such vote is said as such"
    );
}

#[test]
fn votes_and_accepted_entries_are_told_as_the_broken_rule_has_them() {
    use raft_playground::ui::words::event_sentence;
    for (rule, must_not, must) in [
        (
            BrokenRule::ForgetVoteOnRestart,
            "it has not voted in this term",
            "no vote of this term on record",
        ),
        (
            BrokenRule::OverwriteWithoutTruncate,
            ": the logs match",
            "its log matches at the entry before them",
        ),
    ] {
        let s = search(Some(rule));
        let mut sandbox = Sim::replay(&s.found.expect("found").script).expect("replays");
        assert!(sandbox.step());
        let sentences: Vec<String> = sandbox
            .trace()
            .iter()
            .enumerate()
            .map(|(k, e)| {
                event_sentence(
                    Lang::En,
                    &sandbox,
                    k as u64 + sandbox.trace_forgotten(),
                    &e.kind,
                )
            })
            .collect();
        assert!(sentences.iter().all(|t| !t.contains(must_not)), "{rule:?}");
        assert!(sentences.iter().any(|t| t.contains(must)), "{rule:?}");
        let zh: Vec<String> = sandbox
            .trace()
            .iter()
            .enumerate()
            .map(|(k, e)| {
                event_sentence(
                    Lang::Zh,
                    &sandbox,
                    k as u64 + sandbox.trace_forgotten(),
                    &e.kind,
                )
            })
            .collect();
        assert!(zh.iter().any(|t| t.contains("这次运行")), "{rule:?}");
    }
}
