//! Log compaction (section 7 of the paper), shown by the scenarios it exists for, from
//! fixed seeds: a follower that was down while the others compacted gets a snapshot
//! instead of entries; a restarted server starts from its own snapshot; a follower that
//! crashed before any snapshot returns after two; a snapshot in flight when its leader
//! crashes; and with compaction off nothing changes.

mod common;
use common::*;
use raft_playground::raft::{MS, NodeEvent, NodeId, SnapshotOutcome};
use raft_playground::sim::{EventKind, Intervention, Sim, SimConfig, WriteTarget};

fn compacting(servers: u8, seed: u64, every: u64) -> Sim {
    let mut config = SimConfig::with_seed(servers, seed);
    config.raft.snapshot_every = every;
    Sim::new(config).expect("valid configuration")
}

fn write_many(sim: &mut Sim, from: i64, count: i64) {
    for v in from..from + count {
        write(sim, WriteTarget::Leader, &format!("SET k{} {v}", v % 3));
        sim.run_for(20 * MS);
    }
    sim.run_for(300 * MS);
    assert_safe(sim);
}

/// Whether an InstallSnapshot is on its way to `follower`.
fn snapshot_to(sim: &Sim, follower: NodeId) -> bool {
    sim.in_flight().iter().any(|m| {
        m.to == follower && matches!(m.msg, raft_playground::raft::Message::InstallSnapshot(_))
    })
}

/// Every running server has applied the leader's whole log and holds its state.
fn caught_up(sim: &Sim) -> bool {
    let Some(l) = sim.leader() else { return false };
    let leader = sim.node(l);
    sim.servers().iter().filter(|s| s.up).all(|s| {
        s.node.last_applied == leader.commit_index
            && s.node.log.last_index() == leader.log.last_index()
            && s.node.kv == leader.kv
    })
}

#[test]
fn a_follower_that_was_down_gets_the_leaders_snapshot_instead_of_entries() {
    let mut sim = compacting(3, 41, 8);
    let leader = elect(&mut sim, 2 * SECOND);
    let follower = (leader + 1) % 3;
    write_many(&mut sim, 1, 2);
    apply(&mut sim, Intervention::Crash(follower));
    write_many(&mut sim, 3, 20);
    // The leader compacted past what the follower has.
    let l = sim.node(leader);
    assert!(l.log.snapshot_index() >= 16, "{:?}", l.log.snapshot());
    assert!(sim.node(follower).log.last_index() < l.log.snapshot_index());
    let since = sim.trace().len();
    apply(&mut sim, Intervention::Restart(follower));
    assert!(sim.run_until_condition(2 * SECOND, caught_up));
    let events = node_events_since(&sim, since);
    let sent = events.iter().find_map(|(n, e)| match e {
        NodeEvent::SnapshotSent { to, index, .. } if *n == leader && *to == follower => {
            Some(*index)
        }
        _ => None,
    });
    let index = sent.expect("the leader sends its snapshot");
    assert!(events.iter().any(|(n, e)| *n == follower
        && matches!(e, NodeEvent::SnapshotHandled { index: i, outcome: SnapshotOutcome::Installed { .. }, .. } if *i == index)));
    // Only the entries after the snapshot travel as entries: none at or before it.
    let old_entries_sent = sim.trace()[since..].iter().any(|e| match &e.kind {
        EventKind::Deliver {
            msg: raft_playground::raft::Message::AppendEntries(a),
            to,
            ..
        } => *to == follower && !a.entries.is_empty() && a.prev_log_index < index,
        _ => false,
    });
    assert!(!old_entries_sent);
    assert_eq!(sim.node(follower).kv, sim.node(leader).kv);
    assert_safe(&sim);
}

#[test]
fn a_restarted_server_starts_from_its_own_snapshot() {
    let mut sim = compacting(3, 42, 8);
    let leader = elect(&mut sim, 2 * SECOND);
    write_many(&mut sim, 1, 12);
    let follower = (leader + 2) % 3;
    let snapshot = sim
        .node(follower)
        .log
        .snapshot()
        .cloned()
        .expect("the follower compacted");
    apply(&mut sim, Intervention::Crash(follower));
    apply(&mut sim, Intervention::Restart(follower));
    // Before it hears from anyone: its state machine is the snapshot's, committed up to it.
    let node = sim.node(follower);
    assert_eq!(node.kv, snapshot.state);
    assert_eq!(node.commit_index, snapshot.last_included_index);
    assert_eq!(node.last_applied, snapshot.last_included_index);
    assert!(sim.run_until_condition(2 * SECOND, caught_up));
    assert_safe(&sim);
}

#[test]
fn a_follower_that_crashed_before_any_snapshot_returns_after_two() {
    let mut sim = compacting(5, 43, 5);
    let leader = elect(&mut sim, 2 * SECOND);
    let follower = (leader + 3) % 5;
    write_many(&mut sim, 1, 3);
    apply(&mut sim, Intervention::Crash(follower));
    assert!(sim.node(follower).log.snapshot().is_none());
    let since = sim.trace().len();
    write_many(&mut sim, 4, 8);
    let taken = node_events_since(&sim, since)
        .iter()
        .filter(|(n, e)| *n == leader && matches!(e, NodeEvent::SnapshotTaken { .. }))
        .count();
    assert!(taken >= 2, "the leader took {taken} snapshots");
    apply(&mut sim, Intervention::Restart(follower));
    assert!(sim.run_until_condition(2 * SECOND, caught_up));
    let f = sim.node(follower);
    assert!(f.log.snapshot_index() >= 10, "{:?}", f.log.snapshot());
    assert_safe(&sim);
}

#[test]
fn a_snapshot_lost_with_its_crashed_leader_comes_again_from_the_next_leader() {
    let mut sim = compacting(5, 44, 6);
    let leader = elect(&mut sim, 2 * SECOND);
    let follower = (leader + 1) % 5;
    apply(&mut sim, Intervention::Crash(follower));
    write_many(&mut sim, 1, 15);
    apply(&mut sim, Intervention::Restart(follower));
    // While the leader's snapshot is on its way, the leader crashes: the snapshot is
    // dropped with it.
    let snapshot_on_the_wire = |s: &Sim| snapshot_to(s, follower);
    assert!(sim.run_until_condition(SECOND, snapshot_on_the_wire));
    let since = sim.trace().len();
    apply(&mut sim, Intervention::Crash(leader));
    assert!(!snapshot_on_the_wire(&sim));
    assert!(sim.node(follower).log.snapshot().is_none());
    assert!(sim.run_until_condition(3 * SECOND, |s| s.leader().is_some_and(|l| l != leader)));
    let next = sim.leader().expect("a new leader");
    write_many(&mut sim, 16, 4);
    assert!(sim.run_until_condition(3 * SECOND, caught_up));
    // The new leader had compacted too: the follower got its snapshot.
    assert!(node_events_since(&sim, since).iter().any(|(n, e)| *n == follower
        && matches!(e, NodeEvent::SnapshotHandled { leader: l, outcome: SnapshotOutcome::Installed { .. }, .. } if *l == next)));
    apply(&mut sim, Intervention::Restart(leader));
    assert!(sim.run_until_condition(3 * SECOND, caught_up));
    assert_safe(&sim);
}

#[test]
fn a_snapshot_from_a_deposed_leader_is_refused_by_the_newer_term() {
    let mut sim = compacting(3, 45, 4);
    let leader = elect(&mut sim, 2 * SECOND);
    let follower = (leader + 1) % 3;
    apply(&mut sim, Intervention::Crash(follower));
    write_many(&mut sim, 1, 10);
    apply(&mut sim, Intervention::Restart(follower));
    // The follower times out while the old leader's snapshot is on its way: the
    // snapshot arrives in an older term than the follower's own, and is refused.
    let snapshot_on_the_wire = |s: &Sim| snapshot_to(s, follower);
    assert!(sim.run_until_condition(SECOND, snapshot_on_the_wire));
    let since = sim.trace().len();
    apply(&mut sim, Intervention::Timeout(follower));
    assert!(sim.run_until_condition(SECOND, |s| !snapshot_on_the_wire(s)));
    assert!(
        node_events_since(&sim, since)
            .iter()
            .any(|(n, e)| *n == follower
                && matches!(
                    e,
                    NodeEvent::SnapshotHandled {
                        outcome: SnapshotOutcome::StaleTerm { .. },
                        ..
                    }
                ))
    );
    // Its log is behind, so it cannot win; a leader of the newer term brings it up to date.
    assert!(sim.run_until_condition(3 * SECOND, |s| s.leader().is_some()));
    assert_ne!(sim.leader(), Some(follower));
    write_many(&mut sim, 11, 6);
    assert!(sim.run_until_condition(3 * SECOND, caught_up));
    assert_safe(&sim);
}

#[test]
fn turning_compaction_on_mid_run_compacts_at_once_and_is_written_as_version_3() {
    let mut sim = cluster(3, 46);
    elect(&mut sim, 2 * SECOND);
    write_many(&mut sim, 1, 10);
    assert_eq!(sim.script().version, 1);
    apply(&mut sim, Intervention::SetCompaction { snapshot_every: 4 });
    assert!(
        sim.servers()
            .iter()
            .all(|s| s.node.log.snapshot_index() >= 8)
    );
    assert_eq!(sim.script().version, 3);
    let replayed = Sim::replay(&sim.script()).expect("the script replays");
    assert_eq!(replayed.state_digest(), sim.state_digest());
    // Off again: logs grow from their snapshots and no new snapshot is taken.
    apply(&mut sim, Intervention::SetCompaction { snapshot_every: 0 });
    let before = sim.node(0).log.snapshot_index();
    write_many(&mut sim, 11, 10);
    assert_eq!(sim.node(0).log.snapshot_index(), before);
    assert!(
        sim.apply(Intervention::SetCompaction {
            snapshot_every: 100_000
        })
        .is_err()
    );
    assert_safe(&sim);
}

#[test]
fn with_compaction_off_no_server_takes_a_snapshot() {
    let mut sim = cluster(5, 47);
    elect(&mut sim, 2 * SECOND);
    write_many(&mut sim, 1, 30);
    assert!(
        sim.servers()
            .iter()
            .all(|s| s.node.log.snapshot().is_none())
    );
    assert!(sim.trace().iter().all(|e| !matches!(
        e.kind,
        EventKind::Node {
            event: NodeEvent::SnapshotTaken { .. },
            ..
        }
    )));
    assert_safe(&sim);
}
