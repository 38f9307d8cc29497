//! The features beyond Figure 2, each shown by the scenario it exists for, from fixed
//! seeds: the disruptive server with and without PreVote (dissertation 9.6), a leader in
//! a minority with and without CheckQuorum (6.2), and leader stickiness. Every switch
//! off is the paper's Raft, unchanged: the other test files check that.

mod common;
use common::*;
use raft_playground::raft::{MS, NodeEvent, NodeId, Role, Term, VoteReason};
use raft_playground::sim::{EventKind, Intervention, Sim, SimConfig};

fn cluster_with(seed: u64, pre_vote: bool, check_quorum: bool) -> Sim {
    let mut config = SimConfig::with_seed(5, seed);
    config.raft.pre_vote = pre_vote;
    config.raft.check_quorum = check_quorum;
    Sim::new(config).expect("valid configuration")
}

fn node_events(sim: &Sim) -> impl Iterator<Item = (NodeId, &NodeEvent)> {
    sim.trace().iter().filter_map(|e| match &e.kind {
        EventKind::Node { node, event } => Some((*node, event)),
        _ => None,
    })
}

/// A cluster with a settled leader, then one follower cut off for three seconds and
/// healed, then two more seconds: what a server that lost its network does to the
/// others when it comes back. Returns the run, the leader and its term before, and
/// the follower's term just before the heal.
fn disruptive_server(pre_vote: bool) -> (Sim, NodeId, Term, Term) {
    let mut sim = cluster_with(11, pre_vote, false);
    let leader = elect(&mut sim, 2 * SECOND);
    sim.run_for(SECOND);
    assert_eq!(sim.leader(), Some(leader), "a settled leader");
    let term = sim.node(leader).current_term;
    let cut_off = (leader + 1) % 5;
    apply(&mut sim, Intervention::Isolate(cut_off));
    sim.run_for(3 * SECOND);
    let cut_off_term = sim.node(cut_off).current_term;
    apply(&mut sim, Intervention::Heal);
    sim.run_for(2 * SECOND);
    assert_safe(&sim);
    (sim, leader, term, cut_off_term)
}

#[test]
fn without_pre_vote_a_server_back_from_a_partition_deposes_a_healthy_leader() {
    let (sim, leader, term, cut_off_term) = disruptive_server(false);
    // Alone, it timed out again and again, a term each time.
    assert!(cut_off_term > term + 5, "{cut_off_term} after {term}");
    // Back, its high term reached the others: the healthy leader had to step down, and
    // the cluster moved on to a term at least as high as the returning server's.
    let now = sim.leader().expect("a leader again");
    assert!(sim.node(now).current_term >= cut_off_term);
    assert!(
        node_events(&sim).any(|(n, e)| n == leader
            && matches!(
                e,
                NodeEvent::RoleChanged {
                    from: Role::Leader,
                    to: Role::Follower,
                    ..
                }
            )),
        "the leader was deposed"
    );
}

#[test]
fn with_pre_vote_the_server_back_from_a_partition_leaves_the_leader_and_term_alone() {
    let (sim, leader, term, cut_off_term) = disruptive_server(true);
    // Alone, it asked again and again, and never raised its term.
    assert_eq!(cut_off_term, term, "PreVote kept its term");
    let asked = node_events(&sim)
        .filter(|(_, e)| matches!(e, NodeEvent::PreVoteStarted { .. }))
        .count();
    assert!(asked >= 5, "{asked} pre-votes");
    // Back, nothing changes: the same leader in the same term.
    assert_eq!(sim.leader(), Some(leader));
    assert_eq!(sim.node(leader).current_term, term);
    assert!(sim.servers().iter().all(|s| s.node.current_term == term));
    // Nobody stood for election after the leader's: every pre-vote was refused.
    let later = node_events(&sim)
        .filter(|(_, e)| {
            matches!(e, NodeEvent::RoleChanged { to: Role::Candidate, term: t, .. } if *t > term)
        })
        .count();
    assert_eq!(later, 0);
}

#[test]
fn pre_vote_is_refused_while_the_leader_is_heard_and_granted_once_it_is_gone() {
    let mut sim = cluster_with(3, true, false);
    let leader = elect(&mut sim, 2 * SECOND);
    sim.run_for(SECOND);
    let term = sim.node(leader).current_term;
    // A follower times out by hand: the others still hear the leader, so they say no,
    // and it stays a follower in the same term.
    let asker = (leader + 2) % 5;
    apply(&mut sim, Intervention::Timeout(asker));
    sim.run_for(100 * MS);
    let refusals: Vec<VoteReason> = node_events(&sim)
        .filter_map(|(_, e)| match e {
            NodeEvent::PreVoteCast {
                candidate,
                granted: false,
                reason,
                ..
            } if *candidate == asker => Some(reason.clone()),
            _ => None,
        })
        .collect();
    assert!(refusals.len() >= 3, "{refusals:?}");
    assert!(
        refusals.iter().all(|r| matches!(
            r,
            VoteReason::LeaderRecentlyHeard { leader: l, .. } if *l == leader
        ) || *r == VoteReason::StillLeading),
        "{refusals:?}"
    );
    assert_eq!(sim.leader(), Some(leader));
    assert_eq!(sim.node(asker).current_term, term);
    // The leader crashes: after the shortest election timeout the others grant, and a
    // new leader is elected in the next term exactly (no term was wasted).
    apply(&mut sim, Intervention::Crash(leader));
    let next = elect(&mut sim, 2 * SECOND);
    assert_ne!(next, leader);
    assert_eq!(sim.node(next).current_term, term + 1);
    assert!(
        node_events(&sim).any(|(_, e)| matches!(e, NodeEvent::PreVoteCast { granted: true, .. }))
    );
    assert_safe(&sim);
}

/// A leader partitioned with one follower (a minority of five), for `for_ms`.
fn leader_in_a_minority(check_quorum: bool) -> (Sim, NodeId) {
    let mut sim = cluster_with(5, false, check_quorum);
    let leader = elect(&mut sim, 2 * SECOND);
    sim.run_for(SECOND);
    let friend = (leader + 1) % 5;
    let others: Vec<NodeId> = (0..5).filter(|&s| s != leader && s != friend).collect();
    apply(
        &mut sim,
        Intervention::Partition(vec![vec![leader, friend], others]),
    );
    (sim, leader)
}

#[test]
fn without_check_quorum_a_leader_in_a_minority_leads_forever() {
    let (mut sim, leader) = leader_in_a_minority(false);
    sim.run_for(5 * SECOND);
    assert_eq!(role(&sim, leader), Role::Leader);
    // The majority elected another leader meanwhile: two leaders, in different terms.
    assert!(sim.leaders().len() >= 2, "{:?}", sim.leaders());
    assert_safe(&sim);
}

#[test]
fn with_check_quorum_a_leader_in_a_minority_steps_down_within_an_election_timeout() {
    let (mut sim, leader) = leader_in_a_minority(true);
    let cut_at = sim.now();
    let timeout = sim.config().raft.election_timeout_min;
    assert!(sim.run_until_condition(2 * timeout, |s| role(s, leader) != Role::Leader));
    let stepped_down_after = sim.now() - cut_at;
    assert!(stepped_down_after <= 2 * timeout, "{stepped_down_after} µs");
    let lost: Vec<&NodeEvent> = node_events(&sim)
        .filter(|(n, e)| *n == leader && matches!(e, NodeEvent::QuorumLost { .. }))
        .map(|(_, e)| e)
        .collect();
    assert_eq!(lost.len(), 1);
    let NodeEvent::QuorumLost { heard_from, .. } = lost[0] else {
        unreachable!()
    };
    assert!(
        heard_from.len() <= 1,
        "{heard_from:?}: only its friend, if any"
    );
    // Healed, the cluster has one leader again.
    apply(&mut sim, Intervention::Heal);
    sim.run_for(2 * SECOND);
    assert_eq!(sim.leaders().len(), 1);
    assert_safe(&sim);
}

#[test]
fn with_check_quorum_servers_that_hear_their_leader_ignore_an_election_yet_that_alone_does_not_save_the_leader()
 {
    let mut sim = cluster_with(8, false, true);
    let leader = elect(&mut sim, 2 * SECOND);
    sim.run_for(SECOND);
    let term = sim.node(leader).current_term;
    // A follower times out by hand and asks for votes in a higher term.
    let candidate = (leader + 3) % 5;
    apply(&mut sim, Intervention::Timeout(candidate));
    let asked_at = sim.now();
    sim.run_until_condition(40 * MS, |_| false);
    let ignored: Vec<(NodeId, VoteReason)> = node_events(&sim)
        .filter_map(|(n, e)| match e {
            NodeEvent::VoteCast {
                candidate: c,
                granted: false,
                reason,
                term: t,
            } if *c == candidate && *t == term => Some((n, reason.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(
        ignored.len(),
        4,
        "every other server ignored it: {ignored:?}"
    );
    for (voter, reason) in &ignored {
        if *voter == leader {
            assert_eq!(*reason, VoteReason::StillLeading);
        } else {
            assert!(
                matches!(reason, VoteReason::LeaderRecentlyHeard { leader: l, ago } if *l == leader && *ago < sim.config().raft.election_timeout_min),
                "{reason:?}"
            );
        }
    }
    // Each ignored it in its own term (the filter above), without adopting the
    // candidate's. But stickiness alone does not keep the leader: its next heartbeat
    // reaches the candidate, whose answer carries the higher term, and the leader
    // adopts it. The dissertation's cure for that is PreVote (the test above).
    assert!(sim.now() > asked_at);
    sim.run_for(SECOND);
    assert!(node_events(&sim).any(|(n, e)| n == leader
        && matches!(e, NodeEvent::TermAdopted { from, term: t } if *from == candidate && *t > term)));
    assert_safe(&sim);
}

#[test]
fn switching_the_features_mid_run_changes_every_server_and_is_recorded() {
    let mut sim = cluster(5, 4);
    let leader = elect(&mut sim, 2 * SECOND);
    apply(
        &mut sim,
        Intervention::SetFeatures {
            pre_vote: true,
            check_quorum: true,
            no_op: false,
        },
    );
    assert!(sim.config().raft.pre_vote && sim.config().raft.check_quorum);
    assert!(
        sim.servers()
            .iter()
            .all(|s| s.node.config.pre_vote && s.node.config.check_quorum)
    );
    // The leader's quorum check starts at once, and passes while the network is whole.
    sim.run_for(2 * SECOND);
    assert_eq!(sim.leader(), Some(leader));
    // The start is still the paper's: a link replays the switch as an intervention.
    assert!(!sim.start_config().raft.pre_vote);
    let replayed = Sim::replay(&sim.script()).expect("replays");
    assert_eq!(replayed.state_digest(), sim.state_digest());
    assert_safe(&sim);
}

#[test]
fn pre_vote_switched_on_mid_run_knows_at_once_that_the_leader_is_alive() {
    let mut sim = cluster(5, 6);
    let leader = elect(&mut sim, 2 * SECOND);
    sim.run_for(SECOND);
    let term = sim.node(leader).current_term;
    apply(
        &mut sim,
        Intervention::SetFeatures {
            pre_vote: true,
            check_quorum: false,
            no_op: false,
        },
    );
    // At once, before any heartbeat since the switch: the others heard the leader
    // moments ago, so they refuse, and nobody's term moves.
    let asker = (leader + 1) % 5;
    apply(&mut sim, Intervention::Timeout(asker));
    sim.run_for(30 * MS);
    assert!(
        !node_events(&sim).any(|(_, e)| matches!(e, NodeEvent::PreVoteCast { granted: true, .. }))
    );
    assert!(sim.servers().iter().all(|s| s.node.current_term == term));
    assert_eq!(sim.leader(), Some(leader));
    assert_safe(&sim);
}

/// Three servers that saw terms 1 and 2 come and go: S1 and S2 hold entries of terms 1
/// and 2, S3 only the first; nothing is committed. S1 is made to time out.
fn earlier_terms_uncommitted(no_op: bool) -> Sim {
    let mut config = SimConfig::with_seed(3, 21);
    config.raft.no_op = no_op;
    let mut sim = Sim::new(config).expect("valid configuration");
    for (id, log) in [(0, &[1, 2][..]), (1, &[1, 2]), (2, &[1])] {
        sim.set_persistent_state(id, 2, None, log)
            .expect("a valid prepared state");
    }
    apply(&mut sim, Intervention::Timeout(0));
    sim
}

#[test]
fn without_the_no_op_entries_of_earlier_terms_wait_for_a_client_write() {
    let mut sim = earlier_terms_uncommitted(false);
    assert_eq!(elect(&mut sim, SECOND), 0);
    sim.run_for(2 * SECOND);
    // Replicated to every server, yet not committed: none is of the leader's term 3.
    assert!(sim.servers().iter().all(|s| s.node.log.last_index() == 2));
    assert_eq!(sim.node(0).commit_index, 0);
    assert_safe(&sim);
}

#[test]
fn with_the_no_op_a_new_leader_commits_the_earlier_terms_entries_at_once() {
    let mut sim = earlier_terms_uncommitted(true);
    assert_eq!(elect(&mut sim, SECOND), 0);
    let elected_at = sim.now();
    // Its first AppendEntries carries the no-op at index 3, of its term.
    let term = sim.node(0).current_term;
    assert_eq!(
        sim.node(0).log.get(3).map(|e| e.command.clone()),
        Some(raft_playground::raft::Command::Noop)
    );
    assert_eq!(sim.node(0).log.term_at(3), Some(term));
    assert!(sim.run_until_condition(SECOND, |s| {
        s.servers().iter().all(|x| x.node.last_applied == 3)
    }));
    // One round trip, not a client's write: the earlier terms' entries committed with it.
    assert!(
        sim.now() - elected_at < 100 * MS,
        "{} µs",
        sim.now() - elected_at
    );
    assert!(
        node_events(&sim)
            .any(|(n, e)| n == 0 && matches!(e, NodeEvent::NoOpAppended { index: 3, .. }))
    );
    // The no-op changes no key: every state machine is what entries 1 and 2 alone make.
    let mut expected = raft_playground::raft::KvStore::default();
    for index in 1..=2 {
        expected.apply(&sim.node(0).log.get(index).expect("an entry").command);
    }
    assert!(sim.servers().iter().all(|s| s.node.kv == expected));
    // And no client hears of it.
    assert!(sim.writes().is_empty());
    assert_safe(&sim);
}

#[test]
fn no_client_can_write_a_no_op() {
    let mut sim = cluster(3, 1);
    elect(&mut sim, 2 * SECOND);
    let refused = sim.apply(Intervention::ClientWrite {
        to: raft_playground::sim::WriteTarget::Leader,
        command: raft_playground::raft::Command::Noop,
    });
    assert!(refused.is_err_and(|e| e.contains("cannot write a no-op")));
}
