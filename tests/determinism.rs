//! The same seed and the same interventions give the same run, event for event; the
//! state survives a clone and a serde round trip unchanged.

mod common;
use common::*;
use raft_playground::raft::MS;
use raft_playground::sim::{Intervention, Sim, WriteTarget};

/// A run with crashes, a partition, loss and writes, driven only by virtual time.
fn scripted_run(seed: u64) -> Sim {
    let mut sim = cluster(5, seed);
    apply(&mut sim, Intervention::SetLoss { permille: 50 });
    apply(&mut sim, Intervention::SetDuplication { permille: 20 });
    sim.run_until(700 * MS);
    write(&mut sim, WriteTarget::Leader, "SET a 1");
    sim.run_until(900 * MS);
    apply(
        &mut sim,
        Intervention::Partition(vec![vec![0, 1], vec![2, 3, 4]]),
    );
    write(&mut sim, WriteTarget::Server(0), "SET b 2");
    write(&mut sim, WriteTarget::Server(3), "SET c 3");
    sim.run_until(2000 * MS);
    apply(&mut sim, Intervention::Heal);
    apply(&mut sim, Intervention::Crash(2));
    sim.run_until(3000 * MS);
    apply(&mut sim, Intervention::Restart(2));
    sim.run_until(4000 * MS);
    sim
}

#[test]
fn two_runs_with_the_same_seed_and_interventions_have_identical_traces() {
    for seed in [1, 2, 42, 1234] {
        let a = scripted_run(seed);
        let b = scripted_run(seed);
        assert!(a.trace().len() > 500, "a real run, not an idle one");
        assert_eq!(a.trace(), b.trace(), "seed {seed}");
        let json_a = serde_json::to_string(a.trace()).unwrap();
        let json_b = serde_json::to_string(b.trace()).unwrap();
        assert_eq!(json_a, json_b, "byte for byte");
        assert_safe(&a);
    }
    assert_ne!(
        scripted_run(1).trace(),
        scripted_run(2).trace(),
        "another seed is another run"
    );
}

#[test]
fn a_clone_and_a_serde_copy_continue_exactly_like_the_original() {
    let mut original = scripted_run(9);
    let mut cloned = original.clone();
    let json = serde_json::to_string(&original).unwrap();
    let mut restored: Sim = serde_json::from_str(&json).unwrap();
    for sim in [&mut original, &mut cloned, &mut restored] {
        apply(sim, Intervention::Crash(0));
        write(sim, WriteTarget::Leader, "SET d 4");
        sim.run_for(2000 * MS);
    }
    assert_eq!(original.trace(), cloned.trace());
    assert_eq!(original.trace(), restored.trace());
    assert_eq!(original.servers(), restored.servers());
    assert_safe(&original);
}
