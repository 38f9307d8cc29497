//! Leadership transfer (dissertation 3.10), shown by the scenarios it exists for, from
//! fixed seeds: a hand-over with no election timeout wasted, a leader that takes no
//! writes while it hands over, a lagging target caught up first, a transfer to a server
//! that is down abandoned after an election timeout, and a hand-over that CheckQuorum's
//! leader stickiness does not block.

mod common;
use common::*;
use raft_playground::raft::{MS, NodeEvent, NodeId, WhyNotLeader};
use raft_playground::sim::{
    EventKind, Intervention, RejectReason, Sim, SimConfig, WriteFate, WriteTarget,
};

fn settled(seed: u64, check_quorum: bool, pre_vote: bool) -> (Sim, NodeId) {
    let mut config = SimConfig::with_seed(5, seed);
    config.raft.check_quorum = check_quorum;
    config.raft.pre_vote = pre_vote;
    let mut sim = Sim::new(config).expect("valid configuration");
    let leader = elect(&mut sim, 2 * SECOND);
    write(&mut sim, WriteTarget::Leader, "SET x 1");
    write(&mut sim, WriteTarget::Leader, "SET y 2");
    sim.run_for(500 * MS);
    assert_safe(&sim);
    (sim, leader)
}

#[test]
fn a_transfer_hands_leadership_to_the_chosen_server_without_waiting_for_a_timeout() {
    let (mut sim, leader) = settled(31, false, false);
    let target = (leader + 2) % 5;
    let term = sim.node(leader).current_term;
    let since = sim.trace().len();
    let started = sim.now();
    apply(&mut sim, Intervention::TransferLeadership { to: target });
    // Well within the shortest election timeout (150 ms): nobody waited for a timer.
    assert!(
        sim.run_until_condition(100 * MS, |s| s.leader() == Some(target)),
        "{} leads after 100 ms",
        sim.leader()
            .map_or("nobody".into(), raft_playground::raft::server_name)
    );
    assert!(sim.now() - started < sim.config().raft.election_timeout_min);
    assert_eq!(sim.node(target).current_term, term + 1);
    let events = node_events_since(&sim, since);
    assert!(events.contains(&(leader, NodeEvent::TransferStarted { target, term })));
    assert!(events.iter().any(|(n, e)| *n == leader
        && matches!(e, NodeEvent::TimeoutNowSent { target: t, .. } if *t == target)));
    assert!(events.contains(&(
        target,
        NodeEvent::TimeoutNowReceived {
            leader,
            term: term + 1
        }
    )));
    assert!(
        !events
            .iter()
            .any(|(_, e)| matches!(e, NodeEvent::ElectionTimeout { .. })),
        "no election timer ran out"
    );
    // The new leader has every entry: its log is the old leader's.
    sim.run_for(300 * MS);
    assert_eq!(log_terms(&sim, target)[..2], log_terms(&sim, leader)[..2]);
    assert_eq!(sim.leader(), Some(target));
    assert_safe(&sim);
}

#[test]
fn a_leader_handing_over_takes_no_writes_and_says_why() {
    let (mut sim, leader) = settled(32, false, false);
    let target = (leader + 1) % 5;
    // Cut the target off, so the hand-over cannot finish at once.
    apply(&mut sim, Intervention::Isolate(target));
    apply(&mut sim, Intervention::TransferLeadership { to: target });
    write(&mut sim, WriteTarget::Server(leader), "SET x 9");
    let refused = sim.writes().last().expect("the write").fate;
    assert_eq!(
        refused,
        WriteFate::Rejected(RejectReason::NotLeader(
            leader,
            WhyNotLeader::Transferring { to: target }
        ))
    );
    // A second transfer while one is under way is refused, with the reason.
    let second = sim.apply(Intervention::TransferLeadership {
        to: (leader + 3) % 5,
    });
    assert!(
        second
            .as_ref()
            .is_err_and(|e| e.contains("already handing its leadership")),
        "{second:?}"
    );
    assert_safe(&sim);
}

#[test]
fn a_lagging_target_is_caught_up_before_it_is_told_to_time_out() {
    let (mut sim, leader) = settled(33, false, false);
    let target = (leader + 1) % 5;
    apply(&mut sim, Intervention::Crash(target));
    for k in 0..6 {
        write(&mut sim, WriteTarget::Leader, &format!("SET z {k}"));
    }
    sim.run_for(300 * MS);
    apply(&mut sim, Intervention::Restart(target));
    assert!(sim.node(target).log.last_index() < sim.node(leader).log.last_index());
    let since = sim.trace().len();
    let last = sim.node(leader).log.last_index();
    apply(&mut sim, Intervention::TransferLeadership { to: target });
    assert!(sim.run_until_condition(SECOND, |s| s.leader() == Some(target)));
    let sent = node_events_since(&sim, since)
        .into_iter()
        .find_map(|(_, e)| match e {
            NodeEvent::TimeoutNowSent { match_index, .. } => Some(match_index),
            _ => None,
        });
    assert_eq!(
        sent,
        Some(last),
        "TimeoutNow only once the target had every entry"
    );
    assert!(sim.node(target).log.last_index() >= last);
    assert_safe(&sim);
}

#[test]
fn a_transfer_to_a_server_that_is_down_is_abandoned_after_an_election_timeout() {
    let (mut sim, leader) = settled(34, false, false);
    let target = (leader + 1) % 5;
    apply(&mut sim, Intervention::Crash(target));
    let since = sim.trace().len();
    let started = sim.now();
    apply(&mut sim, Intervention::TransferLeadership { to: target });
    sim.run_for(sim.config().raft.election_timeout_min + 10 * MS);
    let abandoned = sim.trace()[since..].iter().find_map(|e| match &e.kind {
        EventKind::Node {
            event: NodeEvent::TransferAbandoned { target: t, .. },
            ..
        } if *t == target => Some(e.time),
        _ => None,
    });
    assert_eq!(
        abandoned,
        Some(started + sim.config().raft.election_timeout_min),
        "abandoned after exactly an election timeout"
    );
    // The leader kept its leadership, and takes writes again.
    assert_eq!(sim.leader(), Some(leader));
    assert!(sim.node(leader).transfer.is_none());
    write(&mut sim, WriteTarget::Leader, "SET x 5");
    sim.run_for(200 * MS);
    assert!(matches!(
        sim.writes().last().expect("the write").fate,
        WriteFate::Acknowledged { .. }
    ));
    assert_safe(&sim);
}

#[test]
fn a_hand_over_is_not_ignored_by_leader_stickiness() {
    // CheckQuorum's followers ignore elections while their leader is alive, and PreVote
    // would make the target ask first: a transfer's election skips both.
    let (mut sim, leader) = settled(35, true, true);
    let target = (leader + 4) % 5;
    let term = sim.node(leader).current_term;
    apply(&mut sim, Intervention::TransferLeadership { to: target });
    assert!(sim.run_until_condition(100 * MS, |s| s.leader() == Some(target)));
    assert_eq!(sim.node(target).current_term, term + 1);
    assert!(
        !sim.trace()
            .iter()
            .any(|e| matches!(&e.kind, EventKind::Node { node, event: NodeEvent::PreVoteStarted { .. } } if *node == target)),
        "no pre-vote for a hand-over"
    );
    assert_safe(&sim);
}
