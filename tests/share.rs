//! Share links: a run goes into a link and comes back identical; a malformed or hostile
//! link gets an error message, never a panic, and never a long replay.

mod common;
use common::*;
use raft_playground::raft::{Command, MS, Rng, uniform};
use raft_playground::sim::{
    Intervention, RunScript, SCRIPT_VERSION, Sim, SimConfig, WriteTarget, base64url_encode,
    decode_link, encode_link,
};
use rand_core::SeedableRng;

/// The whole observable state, trace included, as one string.
fn digest(sim: &Sim) -> String {
    serde_json::to_string(sim).expect("a simulator serialises")
}

fn random_run(seed: u64) -> Sim {
    let mut r = Rng::seed_from_u64(seed);
    let n = [3u8, 5, 7][uniform(&mut r, 0, 2) as usize];
    let mut sim = cluster(n, seed);
    for k in 0..uniform(&mut r, 0, 12) {
        // Sometimes a step to an exact event, sometimes a stretch of time.
        if uniform(&mut r, 0, 1) == 0 {
            for _ in 0..uniform(&mut r, 1, 30) {
                sim.step();
            }
        } else {
            sim.run_for(uniform(&mut r, 1, 400) * MS);
        }
        let s = uniform(&mut r, 0, n as u64 - 1) as u8;
        let i = match uniform(&mut r, 0, 9) {
            0 => Intervention::Crash(s),
            1 => Intervention::Restart(s),
            2 => Intervention::Timeout(s),
            3 => Intervention::AlignTimers,
            4 => Intervention::Isolate(s),
            5 => Intervention::Heal,
            // The network controls change the settings mid-run: the link must still
            // carry the ones the run started with (issue 12, finding 1).
            6 => Intervention::SetLoss {
                permille: uniform(&mut r, 0, 500) as u16,
            },
            7 => {
                let min = uniform(&mut r, 1, 40) * MS;
                Intervention::SetLatency {
                    min,
                    max: min + uniform(&mut r, 0, 40) * MS,
                }
            }
            8 => Intervention::SetDuplication {
                permille: uniform(&mut r, 0, 300) as u16,
            },
            _ => Intervention::ClientWrite {
                to: WriteTarget::Leader,
                command: Command::Set {
                    key: "x".into(),
                    value: k as i64,
                },
            },
        };
        let _ = sim.apply(i);
    }
    sim.run_for(uniform(&mut r, 0, 500) * MS);
    sim
}

#[test]
fn a_run_and_its_link_replay_to_the_identical_state_for_many_seeds() {
    for seed in 0..300 {
        let sim = random_run(seed);
        assert_safe(&sim);
        let link = encode_link(&sim.script());
        let script = decode_link(&link).unwrap_or_else(|e| panic!("seed {seed}: {e}"));
        let replayed = Sim::replay(&script).unwrap_or_else(|e| panic!("seed {seed}: {e}"));
        assert_eq!(digest(&replayed), digest(&sim), "seed {seed}");
    }
}

fn valid_link() -> String {
    encode_link(&random_run(7).script())
}

fn must_fail(input: &str) {
    if let Ok(script) = decode_link(input) {
        assert!(
            Sim::replay(&script).is_err(),
            "accepted: {}",
            &input[..input.len().min(80)]
        );
    }
}

fn script_with(f: impl FnOnce(&mut RunScript)) -> String {
    let mut script = random_run(7).script();
    f(&mut script);
    encode_link(&script)
}

#[test]
fn ten_thousand_malformed_links_each_get_an_error_and_no_panic() {
    let valid = valid_link();
    let mut r = Rng::seed_from_u64(99);
    let mut tried = 0;
    // Truncated links.
    for cut in (1..valid.len()).step_by(valid.len() / 2000 + 1) {
        must_fail(&valid[..cut]);
        tried += 1;
    }
    // Garbage of every length, in and out of the base64url alphabet.
    while tried < 9_000 {
        let len = uniform(&mut r, 0, 300) as usize;
        let garbage: String = (0..len)
            .map(|_| char::from(uniform(&mut r, 32, 126) as u8))
            .collect();
        must_fail(&garbage);
        tried += 1;
    }
    // Well-formed JSON with hostile contents.
    let hostile = [
        script_with(|s| s.version = SCRIPT_VERSION + 1),
        script_with(|s| s.playhead = u64::MAX),
        script_with(|s| s.config.servers = 0),
        script_with(|s| s.config.net.latency_max = u64::MAX),
        script_with(|s| s.config.raft.election_timeout_min = 0),
        script_with(|s| {
            s.steps.push(raft_playground::sim::ScriptStep {
                at: 1,
                after_events: 0,
                intervention: Intervention::Crash(200),
            })
        }),
        script_with(|s| {
            s.steps.push(raft_playground::sim::ScriptStep {
                at: s.playhead,
                after_events: u64::MAX,
                intervention: Intervention::Heal,
            })
        }),
        script_with(|s| {
            s.steps.insert(
                0,
                raft_playground::sim::ScriptStep {
                    at: 5 * MS,
                    after_events: 0,
                    intervention: Intervention::DropMessage(123_456),
                },
            )
        }),
        encode_link_of_json(r#"{"version":1}"#),
        encode_link_of_json(r#"{"version":1,"config":{"servers":99999999999999999999}}"#),
        encode_link_of_json("[]"),
        "A".repeat(300_000),
    ];
    for _ in 0..1_000 {
        for h in &hostile {
            must_fail(h);
            tried += 1;
        }
        if tried >= 10_000 {
            break;
        }
    }
    assert!(tried >= 10_000);
}

fn encode_link_of_json(json: &str) -> String {
    base64url_encode(json.as_bytes())
}

#[test]
fn a_link_made_mid_event_pins_interventions_between_simultaneous_events() {
    // Step event by event, intervene, and the replay still matches exactly.
    let mut sim = Sim::new(SimConfig::with_seed(5, 4)).unwrap();
    for _ in 0..37 {
        sim.step();
    }
    sim.apply(Intervention::Crash(2)).unwrap();
    for _ in 0..5 {
        sim.step();
    }
    let replayed = Sim::replay(&decode_link(&encode_link(&sim.script())).unwrap()).unwrap();
    assert_eq!(digest(&replayed), digest(&sim));
}

#[test]
fn a_run_paused_with_an_event_due_now_reopens_before_that_event() {
    // "Time out now" sets a timer to the current microsecond: the event is due, not done.
    let mut sim = Sim::new(SimConfig::with_seed(5, 4)).unwrap();
    sim.run_for(40 * MS);
    sim.apply(Intervention::Timeout(2)).unwrap();
    let replayed = Sim::replay(&decode_link(&encode_link(&sim.script())).unwrap()).unwrap();
    assert_eq!(digest(&replayed), digest(&sim));
    let (imported, agreement) =
        raft_playground::sim::import_trace(&raft_playground::sim::export_json(&sim)).unwrap();
    assert!(
        matches!(agreement, raft_playground::sim::Agreement::Identical { .. }),
        "{agreement:?}"
    );
    assert_eq!(imported.events_processed(), sim.events_processed());
}

#[test]
fn links_asking_for_runaway_timings_are_refused() {
    for bad in [
        script_with(|s| s.config.raft.heartbeat_interval = 1),
        script_with(|s| {
            s.config.raft.election_timeout_min = u64::MAX;
            s.config.raft.election_timeout_max = u64::MAX;
        }),
        script_with(|s| {
            s.config.net.latency_min = 1;
            s.config.net.latency_max = 1;
        }),
    ] {
        let script = decode_link(&bad).unwrap();
        let error = Sim::replay(&script).unwrap_err();
        assert!(
            error.contains("heartbeat") || error.contains("latency"),
            "{error}"
        );
    }
}
