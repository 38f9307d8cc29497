//! Log replication (section 5.3) and the safety argument (section 5.4): writes commit
//! in order everywhere, lagging followers catch up, the paper's Figures 7 and 8, and
//! partitions whose minority writes are rolled back.

mod common;
use common::*;
use raft_playground::raft::{MS, NodeEvent, RaftConfig, Role};
use raft_playground::sim::{
    EventKind, FIGURE_7_LOGS, Intervention, Sim, SimConfig, WriteFate, WriteTarget,
};

#[test]
fn writes_commit_on_every_live_server_in_order() {
    let mut sim = cluster(5, 21);
    let leader = elect(&mut sim, 2 * SECOND);
    for i in 1..=20 {
        write(
            &mut sim,
            WriteTarget::Leader,
            &format!("SET k{} {i}", i % 3),
        );
        sim.run_for(30 * MS);
    }
    sim.run_for(SECOND);
    let expected: Vec<String> = (1..=20).map(|i| format!("SET k{} {i}", i % 3)).collect();
    for s in sim.servers() {
        let commands: Vec<String> = s
            .node
            .log
            .entries()
            .iter()
            .map(|e| e.command.to_string())
            .collect();
        assert_eq!(
            commands,
            expected,
            "S{} has the writes in order",
            s.node.id + 1
        );
        assert_eq!(s.node.commit_index, 20);
        assert_eq!(s.node.last_applied, 20);
        assert_eq!(s.node.kv.get("k0"), Some(18));
        assert_eq!(s.node.kv.get("k1"), Some(19));
        assert_eq!(s.node.kv.get("k2"), Some(20));
    }
    for w in sim.writes() {
        assert!(
            matches!(w.fate, WriteFate::Acknowledged { .. }),
            "write #{} is {:?}",
            w.id,
            w.fate
        );
    }
    assert_eq!(sim.leader(), Some(leader));
    assert_safe(&sim);
}

#[test]
fn a_write_sent_to_a_follower_is_redirected_to_the_leader() {
    let mut sim = cluster(5, 4);
    let leader = elect(&mut sim, 2 * SECOND);
    sim.run_for(100 * MS);
    let follower = (0..5).find(|&s| s != leader).unwrap();
    write(&mut sim, WriteTarget::Server(follower), "SET z 9");
    sim.run_for(SECOND);
    let w = &sim.writes()[0];
    assert_eq!(w.redirected_to, Some(leader));
    assert!(matches!(w.fate, WriteFate::Acknowledged { index: 1, .. }));
    assert!(sim.trace().iter().any(|e| {
        e.sentence()
            .contains("is not the leader and redirects the client")
    }));
    assert_safe(&sim);
}

#[test]
fn a_follower_that_missed_many_entries_catches_up_after_restart() {
    let mut sim = cluster(5, 5);
    let leader = elect(&mut sim, 2 * SECOND);
    let lagging = (0..5).find(|&s| s != leader).unwrap();
    apply(&mut sim, Intervention::Crash(lagging));
    for i in 0..60 {
        write(&mut sim, WriteTarget::Leader, &format!("SET x {i}"));
        sim.run_for(10 * MS);
    }
    sim.run_for(SECOND);
    assert_eq!(
        sim.node(leader).commit_index,
        60,
        "four of five commit without the crashed one"
    );
    apply(&mut sim, Intervention::Restart(lagging));
    assert_eq!(
        sim.node(lagging).commit_index,
        0,
        "a restarted server has forgotten its commit index"
    );
    sim.run_for(2 * SECOND);
    assert_eq!(sim.node(lagging).log, sim.node(leader).log);
    assert_eq!(
        sim.node(lagging).commit_index,
        60,
        "and re-learned it from the leader"
    );
    assert_eq!(sim.node(lagging).kv.get("x"), Some(59));
    assert_safe(&sim);
}

/// The paper's Figure 7 with the leader as S1 and followers (a)–(f) as S2–S7.
fn figure_7(fast_backup: bool) -> Sim {
    let config = SimConfig {
        raft: RaftConfig {
            fast_backup,
            ..RaftConfig::default()
        },
        ..SimConfig::with_seed(7, 8)
    };
    let mut sim = Sim::new(config).unwrap();
    // Leader, then followers (a) to (f), as in the figure.
    for (id, log) in FIGURE_7_LOGS.iter().enumerate() {
        sim.set_persistent_state(id as u8, 7, None, log).unwrap();
    }
    // S1 times out first and becomes the leader of term 8, as in the figure.
    apply(&mut sim, Intervention::Timeout(0));
    sim.run_until_condition(SECOND, |s| s.leader() == Some(0));
    assert_eq!(sim.leader(), Some(0));
    assert_eq!(sim.node(0).current_term, 8);
    sim
}

#[test]
fn figure_7_every_follower_ends_identical_to_the_leader() {
    let mut sim = figure_7(true);
    sim.run_for(2 * SECOND);
    // Nothing of term 8 yet, so nothing is committed by counting replicas (Figure 8's rule),
    // and (c) and (d) keep their extra entries: nothing conflicts with them yet.
    assert_eq!(sim.node(0).commit_index, 0);
    assert_eq!(log_terms(&sim, 4), vec![1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 7, 7]);
    // The leader's first entry of term 8, at index 11, conflicts with (c)'s and (d)'s extras.
    write(&mut sim, WriteTarget::Leader, "SET x 100");
    sim.run_for(SECOND);
    let leader_log = log_terms(&sim, 0);
    assert_eq!(leader_log, vec![1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 8]);
    for s in sim.servers() {
        assert_eq!(
            log_terms(&sim, s.node.id),
            leader_log,
            "S{} ends identical to the leader",
            s.node.id + 1
        );
        assert_eq!(
            s.node.commit_index,
            11,
            "S{} commits everything up to the new entry",
            s.node.id + 1
        );
        assert_eq!(s.node.kv.get("x"), Some(100));
    }
    assert_safe(&sim);
}

/// Counts the AppendEntries the leader had rejected before every follower matched.
fn rejections_until_logs_match(mut sim: Sim) -> usize {
    write(&mut sim, WriteTarget::Leader, "SET x 100");
    let leader_log = log_terms(&sim, 0);
    assert!(sim.run_until_condition(5 * SECOND, |s| {
        (1..7).all(|id| log_terms(s, id) == leader_log)
    }));
    assert_safe(&sim);
    sim.trace()
        .iter()
        .filter(|e| {
            matches!(
                e.kind,
                EventKind::Node {
                    event: NodeEvent::AppendHandled { success: false, .. },
                    ..
                }
            )
        })
        .count()
}

#[test]
fn the_conflict_hint_backs_up_in_fewer_round_trips() {
    let slow = rejections_until_logs_match(figure_7(false));
    let fast = rejections_until_logs_match(figure_7(true));
    // Figure 2's one-at-a-time back-off: (b) needs 6, (e) 3, (f) 7 rejections, and more.
    assert!(slow >= 16, "one step per rejection: {slow}");
    assert!(
        fast < slow / 2,
        "skipping a term per rejection: {fast} against {slow}"
    );
}

#[test]
fn figure_8_an_old_term_entry_on_a_majority_is_not_committed_by_counting() {
    // (c) of Figure 8: index 2 holds term 2 on S1 and S2; S5 has term 3 there.
    let mut sim = cluster(5, 9);
    sim.set_persistent_state(0, 3, None, &[1, 2]).unwrap();
    sim.set_persistent_state(1, 3, None, &[1, 2]).unwrap();
    sim.set_persistent_state(2, 3, None, &[1]).unwrap();
    sim.set_persistent_state(3, 3, None, &[1]).unwrap();
    sim.set_persistent_state(4, 3, None, &[1, 3]).unwrap();
    apply(&mut sim, Intervention::Crash(4));
    apply(&mut sim, Intervention::Timeout(0));
    assert!(sim.run_until_condition(SECOND, |s| s.leader() == Some(0)));
    assert_eq!(sim.node(0).current_term, 4);
    sim.run_for(SECOND);
    // The term-2 entry is now on S1, S2, S3 and S4: a majority. It is still not committed.
    for id in 0..4 {
        assert_eq!(log_terms(&sim, id), vec![1, 2]);
    }
    assert_eq!(sim.node(0).replica_count(2), 4);
    assert_eq!(
        sim.node(0).commit_index,
        0,
        "a leader never commits an older term's entry by counting"
    );

    // (d): S1 crashes; S5, whose last term 3 is newer, can win and overwrite index 2.
    apply(&mut sim, Intervention::Crash(0));
    apply(&mut sim, Intervention::Restart(4));
    apply(&mut sim, Intervention::Timeout(4));
    assert!(sim.run_until_condition(SECOND, |s| s.leader() == Some(4)));
    write(&mut sim, WriteTarget::Leader, "SET y 1");
    sim.run_for(SECOND);
    for id in 1..5 {
        assert_eq!(
            log_terms(&sim, id),
            vec![1, 3, sim.node(4).current_term],
            "S{}",
            id + 1
        );
        assert_eq!(sim.node(id).commit_index, 3);
    }
    // Safe: the replaced entry was never applied anywhere.
    assert_safe(&sim);
}

#[test]
fn a_minority_leader_keeps_its_write_uncommitted_and_loses_it_on_heal() {
    let mut sim = cluster(5, 12);
    let old = elect(&mut sim, 2 * SECOND);
    write(&mut sim, WriteTarget::Leader, "SET x 1");
    sim.run_for(SECOND);
    let minority = vec![old, (old + 1) % 5];
    let majority: Vec<u8> = (0..5).filter(|s| !minority.contains(s)).collect();
    apply(
        &mut sim,
        Intervention::Partition(vec![minority.clone(), majority.clone()]),
    );

    write(&mut sim, WriteTarget::Server(old), "SET x 2");
    let new = {
        assert!(sim.run_until_condition(3 * SECOND, |s| {
            s.leaders().iter().any(|l| majority.contains(l))
        }));
        *sim.leaders().iter().find(|l| majority.contains(l)).unwrap()
    };
    assert_eq!(
        role(&sim, old),
        Role::Leader,
        "the old leader does not know it was replaced"
    );
    assert!(
        sim.node(new).current_term > sim.node(old).current_term,
        "two leaders, in different terms"
    );
    write(&mut sim, WriteTarget::Server(new), "SET x 3");
    sim.run_for(SECOND);
    assert!(
        matches!(
            sim.writes()[2].fate,
            WriteFate::Acknowledged { index: 2, .. }
        ),
        "the majority write commits"
    );
    // The minority write sits uncommitted in the old leader's log; since the majority
    // committed another entry at its index, it is already doomed.
    assert_eq!(
        sim.node(old).log.get(2).map(|e| e.command.to_string()),
        Some("SET x 2".into())
    );
    assert_eq!(
        sim.node(old).commit_index,
        1,
        "the minority write cannot commit"
    );
    assert!(
        matches!(sim.writes()[1].fate, WriteFate::Lost { index: 2 }),
        "{:?}",
        sim.writes()[1].fate
    );

    apply(&mut sim, Intervention::Heal);
    sim.run_for(SECOND);
    assert_eq!(
        role(&sim, old),
        Role::Follower,
        "the old leader steps down on hearing the higher term"
    );
    for s in sim.servers() {
        assert_eq!(s.node.kv.get("x"), Some(3), "S{}", s.node.id + 1);
        assert_eq!(s.node.log, sim.node(new).log);
    }
    let rollback = sim
        .trace()
        .iter()
        .any(|e| matches!(e.kind, EventKind::Node { node, event: NodeEvent::EntriesDeleted { .. } } if node == old));
    if !rollback {
        for e in sim.trace().iter().filter(|e| e.server() == Some(old)) {
            eprintln!("{}", e.sentence());
        }
    }
    assert!(
        rollback,
        "the old leader's uncommitted entry is rolled back"
    );
    assert_safe(&sim);
}

#[test]
fn a_steady_stream_of_writes_keeps_one_batch_in_flight_per_follower() {
    // Five servers, a write every 10 ms for 20 virtual seconds: far faster than a round
    // trip. Each follower has at most one batch of entries in flight (plus heartbeats and
    // replies), so the traffic stays flat however long the log grows.
    let mut sim = cluster(5, 8);
    elect(&mut sim, 2 * SECOND);
    let mut most_in_flight = 0;
    for i in 0..2000 {
        sim.run_for(10 * MS);
        most_in_flight = most_in_flight.max(sim.in_flight().len());
        write(
            &mut sim,
            WriteTarget::Leader,
            &format!("SET k{} {i}", i % 8),
        );
    }
    sim.run_for(SECOND);
    assert_safe(&sim);
    assert!(
        most_in_flight <= 24,
        "{most_in_flight} messages in flight at once"
    );
    let leader = sim.leader().expect("still a leader");
    assert_eq!(sim.node(leader).commit_index, 2000);
    assert!(sim.servers().iter().all(|s| s.node.last_applied == 2000));
    let appends = sim
        .trace()
        .iter()
        .filter(|e| matches!(&e.kind, EventKind::Send { msg: raft_playground::raft::Message::AppendEntries(a), .. } if !a.entries.is_empty()))
        .count();
    // Batching: fewer entry-carrying AppendEntries than (writes × followers).
    assert!(
        appends < 2000 * 4,
        "{appends} AppendEntries with entries for 8000 entry copies"
    );
}
