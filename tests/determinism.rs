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

/// Runs whose every event is pinned: a hash of the whole trace and the event count, for
/// the plain sandbox, the switches beyond Figure 2 with reads, compaction with servers
/// added and removed, a lab trial (stable-storage writes) and a run that breaks a rule.
/// Work that makes the simulator faster (issue 16) must leave these exactly as they are:
/// if one changes, the same seed no longer gives the same run, and every link breaks.
fn pinned_runs() -> Vec<(&'static str, Sim)> {
    use raft_playground::raft::{BrokenRule, ReadMode};
    use raft_playground::sim::SimConfig;
    use raft_playground::sim::lab::break_rule::Search;
    use raft_playground::sim::lab::figure16::{Setup, TOP_PANEL, run_to_crash};
    let mut features = SimConfig::with_seed(5, 7);
    features.raft.pre_vote = true;
    features.raft.check_quorum = true;
    features.raft.no_op = true;
    let mut features = Sim::new(features).expect("valid");
    for k in 0..20u64 {
        features.run_for(150 * MS);
        write(
            &mut features,
            WriteTarget::Leader,
            &format!("SET k{} {k}", k % 3),
        );
        let _ = features.apply(Intervention::ClientRead {
            to: WriteTarget::Leader,
            key: format!("k{}", k % 3),
            mode: ReadMode::ReadIndex,
        });
        if k == 8 {
            let _ = features.apply(Intervention::Isolate(0));
        }
        if k == 12 {
            let _ = features.apply(Intervention::Heal);
        }
    }
    let mut growing = SimConfig::with_seed(3, 11);
    growing.raft.snapshot_every = 4;
    let mut growing = Sim::new(growing).expect("valid");
    for k in 0..30u64 {
        growing.run_for(100 * MS);
        write(&mut growing, WriteTarget::Leader, &format!("SET g {k}"));
        if k == 10 || k == 20 {
            let _ = growing.apply(Intervention::AddServer);
        }
        if k == 25 {
            let leader = growing.leader().unwrap_or(0);
            let _ = growing.apply(Intervention::RemoveServer(leader));
        }
    }
    growing.run_for(2_000 * MS);
    let (mut trial, _) = run_to_crash(&Setup::paper(), TOP_PANEL[5], 3).expect("runs");
    trial.set_record_trace(true);
    let trial = Sim::replay(&trial.script()).expect("replays");
    // The search's counterexample for a leader that keeps its role, one step past it.
    let mut search = Search::new(Some(BrokenRule::KeepRoleOnHigherTerm), 1, 100);
    while !search.run_slice(100_000) {}
    let mut broken = Sim::replay(&search.found.expect("found").script).expect("replays");
    broken.step();
    // Each run does what its name says.
    assert_eq!(growing.server_count(), 5);
    assert!(growing.node(0).log.snapshot_index() > 0);
    assert!(trial.config().net.storage_max > 0 && !trial.is_up(0));
    assert!(broken.trace().iter().any(|e| matches!(
        &e.kind,
        raft_playground::sim::EventKind::Node {
            event: raft_playground::raft::NodeEvent::RuleBroken(_),
            ..
        }
    )));
    vec![
        ("seed 1, crashes, a partition, loss", scripted_run(1)),
        ("seed 42, crashes, a partition, loss", scripted_run(42)),
        ("PreVote, CheckQuorum, no-op, ReadIndex reads", features),
        ("compaction, two servers added, the leader removed", growing),
        ("a Figure 16 trial to its crash", trial),
        (
            "a leader that keeps its role on a higher term, to the violation",
            broken,
        ),
    ]
}

#[test]
fn pinned_runs_replay_event_for_event() {
    // Written by this test's first run, on the code of issue 15 (dad7b5b).
    let pinned: [(u64, &str); 6] = [
        (656, "1660b28d7437c97d"),
        (619, "fbcf2d0c57fb5485"),
        (786, "bafc1f9d7fab9510"),
        (841, "7f98c756524fc5d9"),
        (66, "f64406b3a299e889"),
        (139, "f3e4134d1b022833"),
    ];
    let runs = pinned_runs();
    for (name, sim) in &runs {
        println!(
            "({}, \"{}\"), // {name}",
            sim.events_processed(),
            trace_fnv64(sim)
        );
    }
    for ((name, sim), (events, hash)) in runs.into_iter().zip(pinned) {
        assert_eq!(
            (sim.events_processed(), trace_fnv64(&sim).as_str()),
            (events, hash),
            "{name}"
        );
        if sim.config().raft.broken.is_none() {
            assert_safe(&sim);
        } else {
            assert!(
                sim.violation().is_some(),
                "the broken rule's run breaks Election Safety"
            );
        }
    }
}
