//! Client reads (section 8 of the paper, dissertation 6.4), from fixed seeds: ReadIndex
//! returns the latest acknowledged write, waits for an entry of the leader's own term,
//! and never answers from a leader cut off in a minority; a local read there is stale,
//! and the linearizability checker says so with its evidence.

mod common;
use common::*;
use raft_playground::raft::{MS, NodeEvent, NodeId, ReadMode};
use raft_playground::sim::linearizability::OpId;
use raft_playground::sim::{
    EventKind, Intervention, Invariant, ReadFailure, ReadFate, Sim, SimConfig, WriteFate,
    WriteTarget,
};

fn read(sim: &mut Sim, to: WriteTarget, key: &str, mode: ReadMode) -> u64 {
    apply(
        sim,
        Intervention::ClientRead {
            to,
            key: key.into(),
            mode,
        },
    );
    sim.reads().last().expect("the read").id
}

fn fate(sim: &Sim, id: u64) -> ReadFate {
    sim.reads()[id as usize - 1].fate
}

fn acknowledged(sim: &Sim) -> bool {
    matches!(
        sim.writes().last().map(|w| w.fate),
        Some(WriteFate::Acknowledged { .. })
    )
}

/// A settled 5-server cluster where x = 1 is acknowledged.
fn with_x_1(seed: u64, no_op: bool) -> (Sim, NodeId) {
    let mut config = SimConfig::with_seed(5, seed);
    config.raft.no_op = no_op;
    let mut sim = Sim::new(config).expect("valid configuration");
    let leader = elect(&mut sim, 2 * SECOND);
    write(&mut sim, WriteTarget::Leader, "SET x 1");
    assert!(sim.run_until_condition(SECOND, acknowledged));
    (sim, leader)
}

/// The old leader and one follower cut off from the other three, which elect a leader
/// and acknowledge x = 2. Returns the run, the old leader and the new one.
fn partitioned_after_x_2(seed: u64) -> (Sim, NodeId, NodeId) {
    let (mut sim, old) = with_x_1(seed, false);
    let buddy = (old + 1) % 5;
    let majority: Vec<NodeId> = (0..5).filter(|&s| s != old && s != buddy).collect();
    apply(
        &mut sim,
        Intervention::Partition(vec![vec![old, buddy], majority.clone()]),
    );
    assert!(sim.run_until_condition(2 * SECOND, |s| {
        majority
            .iter()
            .any(|&m| s.node(m).role == raft_playground::raft::Role::Leader)
    }));
    let new = *majority
        .iter()
        .find(|&&m| sim.node(m).role == raft_playground::raft::Role::Leader)
        .expect("a new leader");
    write(&mut sim, WriteTarget::Server(new), "SET x 2");
    assert!(sim.run_until_condition(SECOND, acknowledged));
    // The old leader still believes it leads (no CheckQuorum).
    assert_eq!(sim.node(old).role, raft_playground::raft::Role::Leader);
    assert_safe(&sim);
    (sim, old, new)
}

#[test]
fn read_index_returns_the_latest_acknowledged_write() {
    let (mut sim, leader) = with_x_1(41, false);
    let id = read(&mut sim, WriteTarget::Leader, "x", ReadMode::ReadIndex);
    // Not at once: the leader first hears from a majority.
    assert_eq!(fate(&sim, id), ReadFate::Pending { leader });
    sim.run_for(100 * MS);
    assert!(
        matches!(fate(&sim, id), ReadFate::Answered { value: Some(1), leader: l, .. } if l == leader),
        "{:?}",
        fate(&sim, id)
    );
    assert!(sim.trace().iter().any(|e| matches!(
        e.kind,
        EventKind::Node {
            event: NodeEvent::ReadIndexNoted { read, .. },
            ..
        } if read == id
    )));
    // A key nobody wrote reads as no value.
    let none = read(
        &mut sim,
        WriteTarget::Leader,
        "nothing",
        ReadMode::ReadIndex,
    );
    sim.run_for(100 * MS);
    assert!(matches!(
        fate(&sim, none),
        ReadFate::Answered { value: None, .. }
    ));
    assert_safe(&sim);
}

#[test]
fn a_follower_redirects_a_read_to_its_leader() {
    let (mut sim, leader) = with_x_1(42, false);
    let follower = (leader + 1) % 5;
    let id = read(
        &mut sim,
        WriteTarget::Server(follower),
        "x",
        ReadMode::ReadIndex,
    );
    assert_eq!(sim.reads()[0].redirected_to, Some(leader));
    sim.run_for(100 * MS);
    assert!(matches!(
        fate(&sim, id),
        ReadFate::Answered { value: Some(1), .. }
    ));
    assert_safe(&sim);
}

#[test]
fn a_new_leader_answers_read_index_only_once_an_entry_of_its_term_is_committed() {
    for no_op in [false, true] {
        let mut config = SimConfig::with_seed(3, 43);
        config.raft.no_op = no_op;
        let mut sim = Sim::new(config).expect("valid configuration");
        let leader = elect(&mut sim, 2 * SECOND);
        let id = read(&mut sim, WriteTarget::Leader, "x", ReadMode::ReadIndex);
        sim.run_for(300 * MS);
        let waited = sim.trace().iter().any(|e| {
            matches!(e.kind, EventKind::Node { event: NodeEvent::ReadWaitsForTermCommit { read, .. }, .. } if read == id)
        });
        if no_op {
            // The no-op commits at once: the read is answered without a write.
            assert!(matches!(
                fate(&sim, id),
                ReadFate::Answered { value: None, .. }
            ));
        } else {
            // Without it the leader has nothing of its term committed: the read waits
            // until a write of its term commits, and then sees that write.
            assert!(waited);
            assert_eq!(fate(&sim, id), ReadFate::Pending { leader });
            write(&mut sim, WriteTarget::Leader, "SET x 7");
            sim.run_for(300 * MS);
            assert!(matches!(
                fate(&sim, id),
                ReadFate::Answered { value: Some(7), .. }
            ));
        }
        assert_safe(&sim);
    }
}

#[test]
fn a_local_read_at_a_partitioned_old_leader_is_stale_and_the_checker_says_which_write_it_missed() {
    let (mut sim, old, _) = partitioned_after_x_2(44);
    let id = read(&mut sim, WriteTarget::Server(old), "x", ReadMode::Local);
    // Answered at once, from the old leader's own state: x = 1.
    assert!(matches!(
        fate(&sim, id),
        ReadFate::Answered { value: Some(1), .. }
    ));
    let v = sim.violation().expect("the stale read is caught");
    assert_eq!(v.invariant, Invariant::Linearizability);
    let stale = v.stale.as_ref().expect("evidence");
    assert_eq!(stale.read, OpId::Read(id));
    assert_eq!(stale.returned, Some(1));
    let x2 = sim.writes().last().expect("x = 2").id;
    assert_eq!(stale.missed, Some(OpId::Write(x2)));
    assert_eq!(stale.missed_value, Some(Some(2)));
    assert!(v.detail.contains(&format!("write #{x2}")), "{}", v.detail);
}

#[test]
fn read_index_at_a_partitioned_old_leader_never_answers_and_fails_when_it_steps_down() {
    let (mut sim, old, _) = partitioned_after_x_2(44);
    let id = read(&mut sim, WriteTarget::Server(old), "x", ReadMode::ReadIndex);
    sim.run_for(2 * SECOND);
    // Only one other server answers its heartbeats: never a majority.
    assert_eq!(fate(&sim, id), ReadFate::Pending { leader: old });
    apply(&mut sim, Intervention::Heal);
    sim.run_for(SECOND);
    assert_eq!(
        fate(&sim, id),
        ReadFate::Failed {
            leader: old,
            why: ReadFailure::SteppedDown
        }
    );
    assert_safe(&sim);
    // Asked again, the cluster's leader answers with the write the old one missed.
    let again = read(&mut sim, WriteTarget::Leader, "x", ReadMode::ReadIndex);
    sim.run_for(200 * MS);
    assert!(matches!(
        fate(&sim, again),
        ReadFate::Answered { value: Some(2), .. }
    ));
    assert_safe(&sim);
}

#[test]
fn a_leader_that_crashes_answers_none_of_its_reads() {
    let (mut sim, leader) = with_x_1(45, false);
    let id = read(&mut sim, WriteTarget::Leader, "x", ReadMode::ReadIndex);
    apply(&mut sim, Intervention::Crash(leader));
    assert_eq!(
        fate(&sim, id),
        ReadFate::Failed {
            leader,
            why: ReadFailure::LeaderCrashed
        }
    );
    sim.run_for(SECOND);
    assert_safe(&sim);
}

#[test]
fn a_read_refused_by_a_leader_handing_over_is_refused_once_with_the_reason() {
    let (mut sim, leader) = with_x_1(46, false);
    let target = (leader + 1) % 5;
    apply(&mut sim, Intervention::Isolate(target));
    apply(&mut sim, Intervention::TransferLeadership { to: target });
    let since = sim.trace().len();
    let id = read(&mut sim, WriteTarget::Leader, "x", ReadMode::ReadIndex);
    let refusals: Vec<String> = sim.trace()[since..]
        .iter()
        .filter(|e| matches!(e.kind, EventKind::Read { .. }))
        .map(|e| e.sentence())
        .collect();
    assert_eq!(refusals.len(), 1, "{refusals:?}");
    assert!(
        refusals[0].contains(&format!("read #{id} is refused"))
            && refusals[0].contains("handing its leadership"),
        "{refusals:?}"
    );
    assert_safe(&sim);
}
