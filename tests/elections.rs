//! Leader election (section 5.2): one leader per term, re-election after a crash, no
//! leader without a majority, split votes that resolve.

mod common;
use common::*;
use raft_playground::raft::{NodeEvent, Role, VoteReason};
use raft_playground::sim::{EventKind, Intervention};

#[test]
fn five_servers_elect_one_leader_and_agree_on_its_term() {
    for seed in 0..50 {
        let mut sim = cluster(5, seed);
        let leader = elect(&mut sim, 2 * SECOND);
        let term = sim.node(leader).current_term;
        // Give the heartbeats time to reach everyone.
        sim.run_for(200 * raft_playground::raft::MS);
        for s in sim.servers() {
            assert_eq!(
                s.node.current_term,
                term,
                "seed {seed}: S{} is in another term",
                s.node.id + 1
            );
            let expected = if s.node.id == leader {
                Role::Leader
            } else {
                Role::Follower
            };
            assert_eq!(s.node.role, expected, "seed {seed}");
            assert_eq!(
                s.node.leader_id,
                Some(leader),
                "seed {seed}: everyone knows the leader"
            );
        }
        // Nothing fails, so heartbeats keep everyone quiet: no further election for 10 s.
        let elections = elections_started(&sim);
        sim.run_for(10 * SECOND);
        assert_eq!(
            elections_started(&sim),
            elections,
            "seed {seed}: an election happened with no failure"
        );
        assert_eq!(sim.leader(), Some(leader));
        assert_safe(&sim);
    }
}

#[test]
fn a_crashed_leader_is_replaced_in_a_higher_term_and_returns_as_follower() {
    let mut sim = cluster(5, 7);
    let old = elect(&mut sim, 2 * SECOND);
    let old_term = sim.node(old).current_term;
    write(&mut sim, common_leader(), "SET x 1");
    sim.run_for(SECOND);

    apply(&mut sim, Intervention::Crash(old));
    let new = elect(&mut sim, 2 * SECOND);
    assert_ne!(new, old);
    assert!(
        sim.node(new).current_term > old_term,
        "the new leader's term is higher"
    );

    write(&mut sim, common_leader(), "SET x 2");
    sim.run_for(SECOND);
    apply(&mut sim, Intervention::Restart(old));
    sim.run_for(SECOND);
    assert_eq!(
        role(&sim, old),
        Role::Follower,
        "the old leader comes back as a follower"
    );
    assert_eq!(sim.node(old).current_term, sim.node(new).current_term);
    assert_eq!(sim.node(old).log, sim.node(new).log, "and catches up");
    assert_eq!(sim.node(old).kv.get("x"), Some(2));
    assert_safe(&sim);
}

fn common_leader() -> raft_playground::sim::WriteTarget {
    raft_playground::sim::WriteTarget::Leader
}

#[test]
fn without_a_majority_there_is_no_leader_and_no_commit_until_it_returns() {
    let mut sim = cluster(5, 3);
    let leader = elect(&mut sim, 2 * SECOND);
    // Crash the leader and two followers: two of five servers remain.
    let mut crashed = vec![leader];
    crashed.extend((0..5).filter(|&s| s != leader).take(2));
    for &s in &crashed {
        apply(&mut sim, Intervention::Crash(s));
    }
    let committed = sim.committed_len();
    let survivor = (0..5).find(|s| !crashed.contains(s)).unwrap();
    write(
        &mut sim,
        raft_playground::sim::WriteTarget::Server(survivor),
        "SET y 1",
    );
    sim.run_for(5 * SECOND);
    assert_eq!(sim.leader(), None, "two of five cannot elect a leader");
    assert!(elections_started(&sim) > 3, "they keep trying");
    assert_eq!(sim.committed_len(), committed, "nothing commits");

    apply(&mut sim, Intervention::Restart(crashed[1]));
    let leader = elect(&mut sim, 3 * SECOND);
    write(
        &mut sim,
        raft_playground::sim::WriteTarget::Server(leader),
        "SET y 2",
    );
    sim.run_for(SECOND);
    assert_eq!(
        sim.committed_len(),
        committed + 1,
        "with three of five the write commits"
    );
    assert_safe(&sim);
}

#[test]
fn aligned_timers_split_the_vote_and_randomised_timeouts_resolve_it() {
    let mut split_votes = 0;
    for seed in 0..20 {
        let mut sim = cluster(4, seed);
        let leader = elect(&mut sim, 2 * SECOND);
        apply(&mut sim, Intervention::Crash(leader));
        apply(&mut sim, Intervention::AlignTimers);
        let start = sim.trace().len();
        let term_before = sim
            .servers()
            .iter()
            .map(|s| s.node.current_term)
            .max()
            .unwrap();
        let new = elect(&mut sim, 3 * SECOND);
        let rounds = sim.node(new).current_term - term_before;
        // All three live servers time out together, each votes for itself: nobody wins the first round.
        assert!(
            rounds >= 2,
            "seed {seed}: the aligned round cannot elect a leader"
        );
        assert!(rounds <= 6, "seed {seed}: {rounds} rounds is not 'a few'");
        let denied_already_voted = sim.trace()[start..]
            .iter()
            .filter(|e| {
                matches!(
                    &e.kind,
                    EventKind::Node {
                        event: NodeEvent::VoteCast {
                            granted: false,
                            reason: VoteReason::AlreadyVoted { .. },
                            ..
                        },
                        ..
                    }
                )
            })
            .count();
        assert!(
            denied_already_voted >= 2,
            "seed {seed}: candidates deny each other (already voted for themselves)"
        );
        split_votes += 1;
        assert_safe(&sim);
    }
    assert_eq!(split_votes, 20);
}

#[test]
fn a_candidate_with_a_shorter_log_is_denied() {
    let mut sim = cluster(3, 11);
    // S1 has more entries than S2; S2 times out first and asks S1 for a vote.
    sim.set_persistent_state(0, 2, None, &[1, 2]).unwrap();
    sim.set_persistent_state(1, 2, None, &[1]).unwrap();
    sim.set_persistent_state(2, 2, None, &[1]).unwrap();
    apply(&mut sim, Intervention::Timeout(1));
    sim.run_for(100 * raft_playground::raft::MS);
    let denial = sim.trace().iter().find_map(|e| match &e.kind {
        EventKind::Node {
            node: 0,
            event:
                NodeEvent::VoteCast {
                    candidate: 1,
                    granted: false,
                    reason,
                    ..
                },
        } => Some(reason.clone()),
        _ => None,
    });
    assert_eq!(
        denial,
        Some(VoteReason::LogNotUpToDate {
            voter_last_term: 2,
            voter_last_index: 2
        })
    );
    let sentence = sim
        .trace()
        .iter()
        .map(|e| e.sentence())
        .find(|s| s.contains("S1 denies its vote to S2"))
        .expect("the denial is in the trace");
    assert!(
        sentence.contains("its own log is more up to date"),
        "{sentence}"
    );
    // S3 grants: S2's log is as up to date as its own, so S2 still wins with 2 of 3.
    assert_eq!(sim.leader(), Some(1));
    assert_safe(&sim);
}
