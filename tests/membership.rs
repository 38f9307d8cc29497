//! Membership changes, one server at a time (dissertation chapter 4), from fixed seeds:
//! a cluster grows from three servers to five, each new server learning first; a second
//! change waits for the first; the leader removes itself and steps down; a server cut
//! off while it is removed does not disrupt the cluster; a leader crashes while it adds
//! a server; and removed servers keep their ids.

mod common;
use common::*;
use raft_playground::raft::{ConfigChange, MS, Membership, NodeEvent, NodeId, Role};
use raft_playground::sim::{Intervention, Sim, WriteTarget};

fn voters(ids: &[NodeId]) -> Membership {
    Membership {
        voters: ids.iter().copied().collect(),
        learners: Default::default(),
    }
}

/// Every member of the leader's configuration has applied the leader's whole log.
fn members_caught_up(sim: &Sim) -> bool {
    let Some(l) = sim.leader() else { return false };
    let leader = sim.node(l);
    let m = leader.membership();
    leader.commit_index == leader.log.last_index()
        && sim.servers().iter().all(|s| {
            !m.is_member(s.node.id)
                || (s.up
                    && s.node.last_applied == leader.commit_index
                    && s.node.log.last_index() == leader.log.last_index())
        })
}

/// Elects a leader and commits a write of its term: a leader changes the configuration
/// only once an entry of its own term is committed.
fn elect_and_write(sim: &mut Sim) -> NodeId {
    let leader = elect(sim, 2 * SECOND);
    write(sim, WriteTarget::Leader, "SET x 1");
    sim.run_for(200 * MS);
    leader
}

/// Adds a server and waits until it votes.
fn add_and_promote(sim: &mut Sim) -> NodeId {
    let id = sim.server_count();
    apply(sim, Intervention::AddServer);
    assert!(
        sim.run_until_condition(3 * SECOND, |s| s.leader().is_some_and(|l| s
            .node(l)
            .membership()
            .voters
            .contains(&id)
            && s.node(l).commit_index >= s.node(l).log.config_index())),
        "S{} was not promoted",
        id + 1
    );
    id
}

#[test]
fn three_servers_grow_to_five_one_at_a_time_each_learning_first() {
    let mut sim = cluster(3, 51);
    let leader = elect(&mut sim, 2 * SECOND);
    write(&mut sim, WriteTarget::Leader, "SET x 1");
    sim.run_for(200 * MS);
    let since = sim.trace().len();
    let s4 = add_and_promote(&mut sim);
    assert_eq!(s4, 3);
    let events = node_events_since(&sim, since);
    // First a learner, then a catch-up round shorter than an election timeout, then a voter.
    let order: Vec<&NodeEvent> = events
        .iter()
        .filter(|(n, e)| {
            *n == leader
                && matches!(
                    e,
                    NodeEvent::ConfigChangeProposed { .. } | NodeEvent::CatchUpRound { .. }
                )
        })
        .map(|(_, e)| e)
        .collect();
    assert!(
        matches!(
            order.as_slice(),
            [
                NodeEvent::ConfigChangeProposed {
                    change: ConfigChange::AddLearner(3),
                    ..
                },
                NodeEvent::CatchUpRound {
                    learner: 3,
                    caught_up: true,
                    ..
                },
                NodeEvent::ConfigChangeProposed {
                    change: ConfigChange::Promote(3),
                    ..
                }
            ]
        ),
        "{order:?}"
    );
    let s5 = add_and_promote(&mut sim);
    assert_eq!(s5, 4);
    let l = sim.node(sim.leader().expect("a leader"));
    assert_eq!(l.membership(), voters(&[0, 1, 2, 3, 4]));
    assert_eq!(l.majority(), 3);
    write(&mut sim, WriteTarget::Leader, "SET x 2");
    assert!(sim.run_until_condition(2 * SECOND, members_caught_up));
    assert!(sim.servers().iter().all(|s| s.node.kv.get("x") == Some(2)));
    assert_safe(&sim);
}

#[test]
fn a_second_change_waits_until_the_first_is_committed_and_the_refusal_says_why() {
    let mut sim = cluster(3, 52);
    elect(&mut sim, 2 * SECOND);
    // A leader just elected has committed nothing of its own term: it waits.
    let early = sim
        .apply(Intervention::AddServer)
        .expect_err("no entry of its term yet");
    assert!(
        early.contains("no entry of its own term is committed"),
        "{early}"
    );
    assert_eq!(sim.server_count(), 3);
    write(&mut sim, WriteTarget::Leader, "SET x 1");
    sim.run_for(200 * MS);
    apply(&mut sim, Intervention::AddServer);
    let refused = sim
        .apply(Intervention::AddServer)
        .expect_err("one change at a time");
    assert!(
        refused.contains("configuration change at index") || refused.contains("catching up"),
        "{refused}"
    );
    // Removing the learner itself waits for its configuration to commit.
    let removal = sim
        .apply(Intervention::RemoveServer(3))
        .expect_err("one change at a time");
    assert!(removal.contains("refuses"), "{removal}");
    // And the playground keeps three voters.
    let too_few = sim
        .apply(Intervention::RemoveServer(1))
        .expect_err("three voters stay");
    assert!(
        too_few.contains("keeps at least 3 voting servers"),
        "{too_few}"
    );
    assert_eq!(
        sim.server_count(),
        4,
        "the refused addition started no server"
    );
    assert_safe(&sim);
}

#[test]
fn a_leader_that_removes_itself_commits_the_change_steps_down_and_the_rest_elect_another() {
    let mut sim = cluster(5, 53);
    let leader = elect(&mut sim, 2 * SECOND);
    write(&mut sim, WriteTarget::Leader, "SET x 1");
    sim.run_for(200 * MS);
    let since = sim.trace().len();
    apply(&mut sim, Intervention::RemoveServer(leader));
    assert!(sim.run_until_condition(3 * SECOND, |s| s.leader().is_some_and(|l| l != leader)));
    let events = node_events_since(&sim, since);
    assert!(
        events
            .iter()
            .any(|(n, e)| *n == leader && matches!(e, NodeEvent::LeftCluster { .. }))
    );
    let new = sim.leader().expect("a new leader");
    assert_eq!(
        sim.node(new).majority(),
        3,
        "four voters: a majority is three"
    );
    assert!(!sim.node(new).membership().is_member(leader));
    // The removed server never stands for election again, and S-ids stay stable.
    let since = sim.trace().len();
    write(&mut sim, WriteTarget::Leader, "SET x 2");
    sim.run_for(3 * SECOND);
    assert!(
        node_events_since(&sim, since)
            .iter()
            .all(|(n, e)| *n != leader || !matches!(e, NodeEvent::ElectionTimeout { .. }))
    );
    assert_eq!(sim.node(leader).role, Role::Follower);
    assert!(members_caught_up(&sim));
    assert_safe(&sim);
}

#[test]
fn a_server_removed_while_cut_off_does_not_disrupt_the_cluster_when_it_returns() {
    let mut sim = cluster(5, 54);
    let leader = elect_and_write(&mut sim);
    let gone = (leader + 2) % 5;
    apply(&mut sim, Intervention::Isolate(gone));
    apply(&mut sim, Intervention::RemoveServer(gone));
    assert!(sim.run_until_condition(SECOND, |s| {
        let l = s.node(leader);
        l.commit_index >= l.log.config_index()
    }));
    // Cut off, it never heard of its removal: it times out in ever higher terms.
    sim.run_for(2 * SECOND);
    assert!(sim.node(gone).current_term > sim.node(leader).current_term);
    let term = sim.node(leader).current_term;
    apply(&mut sim, Intervention::Heal);
    sim.run_for(3 * SECOND);
    // The others heard their leader within the shortest election timeout: they ignore it.
    assert_eq!(sim.leader(), Some(leader));
    assert_eq!(sim.node(leader).current_term, term);
    write(&mut sim, WriteTarget::Leader, "SET x 3");
    assert!(sim.run_until_condition(2 * SECOND, members_caught_up));
    assert_safe(&sim);
}

#[test]
fn a_leader_that_crashes_while_it_adds_a_server_leaves_a_cluster_that_still_works() {
    let mut sim = cluster(3, 55);
    let leader = elect(&mut sim, 2 * SECOND);
    write(&mut sim, WriteTarget::Leader, "SET x 1");
    sim.run_for(200 * MS);
    apply(&mut sim, Intervention::AddServer);
    sim.run_for(5 * MS);
    apply(&mut sim, Intervention::Crash(leader));
    assert!(sim.run_until_condition(3 * SECOND, |s| s.leader().is_some_and(|l| l != leader)));
    apply(&mut sim, Intervention::Restart(leader));
    write(&mut sim, WriteTarget::Leader, "SET x 2");
    // Whether the learner's configuration survived or not, every member catches up, and
    // a learner that survived is caught up and promoted by the new leader.
    assert!(sim.run_until_condition(5 * SECOND, |s| {
        members_caught_up(s)
            && s.leader()
                .is_some_and(|l| s.node(l).membership().learners.is_empty())
    }));
    assert_safe(&sim);
}

#[test]
fn leadership_is_never_handed_to_a_server_that_does_not_vote() {
    // Found in review: a transfer to a removed server made it leader of a cluster it was
    // no longer in; and one to a server the leader had no slot for panicked.
    let mut sim = cluster(5, 58);
    let leader = elect_and_write(&mut sim);
    let gone = (leader + 1) % 5;
    apply(&mut sim, Intervention::RemoveServer(gone));
    assert!(sim.run_until_condition(SECOND, |s| {
        let l = s.node(leader);
        l.commit_index >= l.log.config_index()
    }));
    let refused = sim
        .apply(Intervention::TransferLeadership { to: gone })
        .expect_err("a removed server may not lead");
    assert!(refused.contains("does not vote"), "{refused}");
    // A server added, removed and compacted away: still refused, no panic.
    let mut config = raft_playground::sim::SimConfig::with_seed(3, 59);
    config.raft.snapshot_every = 1;
    let mut sim2 = Sim::new(config).expect("valid configuration");
    elect_and_write(&mut sim2);
    let s4 = add_and_promote(&mut sim2);
    apply(&mut sim2, Intervention::RemoveServer(s4));
    sim2.run_for(SECOND);
    write(&mut sim2, WriteTarget::Leader, "SET x 2");
    sim2.run_for(SECOND);
    let l = sim2.leader().expect("a leader");
    apply(&mut sim2, Intervention::Crash(l));
    assert!(sim2.run_until_condition(3 * SECOND, |s| s.leader().is_some_and(|n| n != l)));
    assert!(
        sim2.apply(Intervention::TransferLeadership { to: s4 })
            .is_err()
    );
    assert_safe(&sim);
    assert_safe(&sim2);
}

#[test]
fn compaction_and_membership_together_a_new_server_catches_up_by_snapshot() {
    let mut config = raft_playground::sim::SimConfig::with_seed(3, 56);
    config.raft.snapshot_every = 4;
    let mut sim = Sim::new(config).expect("valid configuration");
    elect(&mut sim, 2 * SECOND);
    for v in 1..=12 {
        write(&mut sim, WriteTarget::Leader, &format!("SET x {v}"));
        sim.run_for(20 * MS);
    }
    sim.run_for(300 * MS);
    let since = sim.trace().len();
    let s4 = add_and_promote(&mut sim);
    assert!(
        node_events_since(&sim, since)
            .iter()
            .any(|(n, e)| *n == s4 && matches!(e, NodeEvent::SnapshotHandled { .. }))
    );
    assert!(sim.run_until_condition(2 * SECOND, members_caught_up));
    assert_eq!(sim.node(s4).kv.get("x"), Some(12));
    // The snapshot carries the configuration: a restarted new server still knows it.
    apply(&mut sim, Intervention::Crash(s4));
    apply(&mut sim, Intervention::Restart(s4));
    assert!(sim.node(s4).membership().voters.contains(&s4));
    assert_safe(&sim);
}

#[test]
fn membership_changes_are_in_the_link_as_version_3_and_replay_identically() {
    let mut sim = cluster(3, 57);
    elect_and_write(&mut sim);
    add_and_promote(&mut sim);
    apply(&mut sim, Intervention::RemoveServer(1));
    sim.run_for(SECOND);
    let script = sim.script();
    assert_eq!(script.version, 3);
    let replayed = Sim::replay(&script).expect("replays");
    assert_eq!(replayed.state_digest(), sim.state_digest());
    assert_safe(&sim);
}
