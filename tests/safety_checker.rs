//! The checker itself: it must name a broken invariant when shown one. (Every other
//! test relies on its silence, so its silence must mean something.)

mod common;
use common::*;
use raft_playground::raft::{Command, Entry, NodeEvent, Role};
use raft_playground::sim::{Intervention, Invariant, SafetyChecker};

#[test]
fn two_logs_with_the_same_entry_but_different_histories_break_log_matching() {
    let mut sim = cluster(3, 1);
    sim.set_persistent_state(0, 3, None, &[1, 3]).unwrap();
    assert!(sim.violation().is_none());
    // Index 2 has term 3 in both logs, but the entries before it differ: impossible in Raft.
    sim.set_persistent_state(1, 3, None, &[2, 3]).unwrap();
    let v = sim.violation().expect("the checker fires");
    assert_eq!(v.invariant, Invariant::LogMatching);
    assert!(v.detail.contains("S2"), "{}", v.detail);
}

#[test]
fn two_leaders_in_one_term_break_election_safety() {
    let sim = cluster(3, 1);
    let mut checker = SafetyChecker::new(3);
    let elected = NodeEvent::RoleChanged {
        from: Role::Candidate,
        to: Role::Leader,
        term: 4,
    };
    assert!(checker.observe(10, 0, &elected, sim.servers()).is_ok());
    let v = checker.observe(20, 1, &elected, sim.servers()).unwrap_err();
    assert_eq!(v.invariant, Invariant::ElectionSafety);
    assert_eq!(v.detail, "S1 and S2 are both leaders of term 4");
}

#[test]
fn two_different_entries_applied_at_one_index_break_state_machine_safety() {
    let sim = cluster(3, 1);
    let mut checker = SafetyChecker::new(3);
    let entry = |v| Entry {
        term: 1,
        command: Command::Set {
            key: "x".into(),
            value: v,
        },
        write: None,
    };
    assert!(
        checker
            .observe(
                1,
                0,
                &NodeEvent::Applied {
                    index: 1,
                    entry: entry(1)
                },
                sim.servers()
            )
            .is_ok()
    );
    assert!(
        checker
            .observe(
                2,
                1,
                &NodeEvent::Applied {
                    index: 1,
                    entry: entry(1)
                },
                sim.servers()
            )
            .is_ok()
    );
    let v = checker
        .observe(
            3,
            2,
            &NodeEvent::Applied {
                index: 1,
                entry: entry(2),
            },
            sim.servers(),
        )
        .unwrap_err();
    assert_eq!(v.invariant, Invariant::StateMachineSafety);
}

#[test]
fn a_leader_that_lacks_a_committed_entry_breaks_leader_completeness() {
    let sim = cluster(3, 1);
    let mut checker = SafetyChecker::new(3);
    let entry = Entry {
        term: 1,
        command: Command::Set {
            key: "x".into(),
            value: 1,
        },
        write: None,
    };
    checker
        .observe(1, 0, &NodeEvent::Applied { index: 1, entry }, sim.servers())
        .unwrap();
    // S3's log is empty, yet it becomes leader of a later term.
    let v = checker
        .observe(
            2,
            2,
            &NodeEvent::RoleChanged {
                from: Role::Candidate,
                to: Role::Leader,
                term: 5,
            },
            sim.servers(),
        )
        .unwrap_err();
    assert_eq!(v.invariant, Invariant::LeaderCompleteness);
}

#[test]
fn a_leader_deleting_entries_breaks_leader_append_only() {
    let mut sim = cluster(3, 2);
    let leader = elect(&mut sim, 2 * SECOND);
    let mut checker = SafetyChecker::new(3);
    let v = checker
        .observe(
            1,
            leader,
            &NodeEvent::EntriesDeleted {
                from_index: 1,
                count: 1,
            },
            sim.servers(),
        )
        .unwrap_err();
    assert_eq!(v.invariant, Invariant::LeaderAppendOnly);
    // And a refused intervention changes nothing.
    assert!(sim.apply(Intervention::Crash(7)).is_err());
    assert!(sim.apply(Intervention::Restart(leader)).is_err());
    assert_safe(&sim);
}
