//! Trace export and import: a run survives the round trip through JSON, a tampered file
//! is reported as differing from its replay, and malformed files get an error, never a panic.

mod common;
use common::*;
use raft_playground::raft::{MS, Rng, uniform};
use raft_playground::sim::{Agreement, Intervention, Sim, export_json, import_trace};
use rand_core::SeedableRng;

fn digest(sim: &Sim) -> String {
    sim.state_digest()
}

fn run(seed: u64) -> Sim {
    let mut sim = cluster(5, seed);
    sim.set_trace_limit(Some(500));
    sim.run_for(700 * MS);
    let _ = sim.apply(Intervention::Crash((seed % 5) as u8));
    sim.run_for(900 * MS);
    let _ = sim.apply(Intervention::Restart((seed % 5) as u8));
    sim.run_for(300 * MS);
    sim
}

#[test]
fn export_then_import_gives_the_identical_state_for_many_seeds() {
    for seed in 0..100 {
        let sim = run(seed);
        assert_safe(&sim);
        let (back, agreement) =
            import_trace(&export_json(&sim)).unwrap_or_else(|e| panic!("seed {seed}: {e}"));
        assert_eq!(digest(&back), digest(&sim), "seed {seed}");
        assert!(
            matches!(agreement, Agreement::Identical { events } if events == sim.trace().len()),
            "seed {seed}: {agreement:?}"
        );
    }
}

#[test]
fn a_run_whose_network_settings_changed_exports_a_trace_that_reimports_exactly() {
    // Issue 12, finding 1: the loss and latency controls used mid-run.
    for seed in 0..40 {
        let mut sim = cluster(5, seed);
        sim.set_trace_limit(Some(500));
        sim.run_for(400 * MS);
        sim.apply(Intervention::SetLatency {
            min: 30 * MS,
            max: 60 * MS,
        })
        .unwrap();
        sim.run_for(500 * MS);
        sim.apply(Intervention::SetLoss { permille: 200 }).unwrap();
        sim.run_for(600 * MS);
        assert_safe(&sim);
        let (back, agreement) = import_trace(&export_json(&sim)).unwrap();
        assert!(
            matches!(agreement, Agreement::Identical { .. }),
            "seed {seed}: {agreement:?}"
        );
        assert_eq!(digest(&back), digest(&sim), "seed {seed}");
        assert_eq!(back.config(), sim.config(), "seed {seed}: the settings now");
        assert_eq!(back.start_config(), sim.start_config(), "seed {seed}");
    }
}

#[test]
fn a_trace_whose_settings_do_not_replay_its_events_is_never_called_a_match() {
    // A file written with the settings of the end of the run as its start (what the
    // page wrote before issue 12): its replay is another run, and the import says so.
    let mut sim = cluster(5, 3);
    sim.run_for(400 * MS);
    sim.apply(Intervention::SetLatency {
        min: 30 * MS,
        max: 60 * MS,
    })
    .unwrap();
    sim.run_for(2000 * MS);
    let text = export_json(&sim).replacen(
        "\"latency_min\":10000,\"latency_max\":20000",
        "\"latency_min\":30000,\"latency_max\":60000",
        1,
    );
    assert_ne!(text, export_json(&sim), "the file was altered");
    match import_trace(&text) {
        // Refused ("intervention 1 does not fit this run", or "not the run that was
        // shared") or reported as differing: both honest.
        Err(e) => assert!(
            e.contains("does not fit") || e.contains("not the run that was shared"),
            "{e}"
        ),
        Ok((_, agreement)) => assert!(
            matches!(agreement, Agreement::Differs { .. }),
            "{agreement:?}"
        ),
    }
}

#[test]
fn a_tampered_trace_is_reported_as_differing_from_its_replay() {
    let sim = run(3);
    let json = export_json(&sim);
    // One event per line after the header line: change the time of the eleventh.
    let mut lines: Vec<String> = json.lines().map(str::to_string).collect();
    let line = &mut lines[1 + 10];
    let comma = line.find(',').unwrap();
    *line = format!("{{\"time\":1{}", &line[comma..]);
    let (_, agreement) = import_trace(&lines.join("\n")).unwrap();
    match agreement {
        Agreement::Differs {
            index, recorded, ..
        } => {
            assert_eq!(index, sim.trace_forgotten() + 10);
            assert!(recorded.starts_with("{\"time\":1,"), "{recorded}");
        }
        other => panic!("not reported: {other:?}"),
    }
}

#[test]
fn ten_thousand_malformed_trace_files_each_get_an_error_and_no_panic() {
    let json = export_json(&run(5));
    let mut r = Rng::seed_from_u64(5);
    let mut tried = 0;
    // Every cut short of the closing brace (a cut in the trailing newline is still whole).
    for cut in (0..json.trim_end().len()).step_by(json.len() / 4000 + 1) {
        assert!(
            import_trace(&json[..cut]).is_err(),
            "a file cut at {cut} was accepted"
        );
        tried += 1;
    }
    let version = json.replacen("\"version\":1", "\"version\":99", 1);
    assert!(import_trace(&version).unwrap_err().contains("version 99"));
    let foreign = json.replacen("raft-playground-trace", "something-else", 1);
    assert!(
        import_trace(&foreign)
            .unwrap_err()
            .contains("not a Raft Playground trace")
    );
    let server = json.replacen("\"Crash\":0", "\"Crash\":77", 1);
    assert!(import_trace(&server).is_err());
    let huge = json.replacen("\"playhead\":", "\"playhead\":99999999999999999999", 1);
    assert!(import_trace(&huge).is_err());
    while tried < 10_000 {
        let len = uniform(&mut r, 0, 200) as usize;
        let garbage: String = (0..len)
            .map(|_| char::from(uniform(&mut r, 32, 126) as u8))
            .collect();
        assert!(import_trace(&garbage).is_err());
        tried += 1;
    }
    let ten_mb = "{".repeat(10 * 1024 * 1024);
    assert!(import_trace(&ten_mb).is_err());
}
