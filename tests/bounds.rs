//! The bounds of `sim::bounds`, checked the same way on every path a run can arrive by:
//! a reset, an intervention, a share link, a trace file. Whatever is accepted replays
//! within the event budget; whatever is not is refused with the bound named, before the
//! run is touched. Tests count events, never time.

mod common;
use common::*;
use raft_playground::raft::{Command, MS, Rng, Time, uniform};
use raft_playground::sim::bounds::{estimated_events, events_per_second};
use raft_playground::sim::{
    Agreement, InitialState, Intervention, MAX_DUPLICATE_PERMILLE, MAX_ENTRIES_PER_APPEND,
    MAX_INITIAL_TERM, MAX_LATENCY_HEARTBEATS, MAX_PLAYHEAD, MAX_REPLAY_EVENTS, MAX_SERVERS,
    MIN_HEARTBEAT, RunScript, SCRIPT_VERSION, ScriptStep, Sim, SimConfig, WriteTarget, decode_link,
    encode_link, export_json, import_trace,
};
use rand_core::SeedableRng;

/// A script that opens with `config` and nothing else, up to `playhead`.
fn script_of(config: SimConfig, playhead: Time) -> RunScript {
    RunScript {
        version: SCRIPT_VERSION,
        config,
        initial: Vec::new(),
        steps: Vec::new(),
        playhead,
        playhead_events: None,
    }
}

/// A trace file whose script is `script` and whose events are left empty: what the
/// importer does with it depends on the script alone.
fn trace_of(script: &RunScript) -> String {
    format!(
        "{{\"format\":\"raft-playground-trace\",\"version\":1,\"script\":{},\"first_event\":0,\"events\":[]}}",
        serde_json::to_string(script).unwrap()
    )
}

/// The refusal of `script` through a link and through a trace file, which must agree.
fn refused_everywhere(script: &RunScript) -> String {
    let by_link = decode_link(&encode_link(script))
        .and_then(|s| Sim::replay(&s))
        .map(|_| ())
        .expect_err("the link was accepted");
    let by_trace = import_trace(&trace_of(script))
        .map(|_| ())
        .expect_err("the trace was accepted");
    assert_eq!(by_link, by_trace, "a link and a trace are refused alike");
    by_link
}

fn storm_config() -> SimConfig {
    // Finding 5's link: every setting was within the old bounds.
    let mut c = SimConfig::with_seed(9, 1);
    c.raft.heartbeat_interval = 10 * MS;
    c.net.latency_min = MS;
    c.net.latency_max = 60_000 * MS;
    c.net.duplicate_permille = 1000;
    c
}

/// The busiest configuration within the bounds: nine servers, the shortest heartbeat,
/// election timeouts just above it (elections without end), the longest latency the
/// heartbeat allows and the most duplication.
fn worst_config() -> SimConfig {
    let mut c = SimConfig::with_seed(MAX_SERVERS, 5);
    c.raft.heartbeat_interval = MIN_HEARTBEAT;
    c.raft.election_timeout_min = MIN_HEARTBEAT + MS;
    c.raft.election_timeout_max = MIN_HEARTBEAT + 2 * MS;
    c.raft.max_entries_per_append = MAX_ENTRIES_PER_APPEND;
    c.net.latency_min = MS;
    c.net.latency_max = MIN_HEARTBEAT * MAX_LATENCY_HEARTBEATS;
    c.net.duplicate_permille = MAX_DUPLICATE_PERMILLE;
    c
}

#[test]
fn each_configuration_bound_is_refused_by_name_by_a_reset_a_link_and_a_trace() {
    type Change = fn(&mut SimConfig);
    let cases: Vec<(Change, &str)> = vec![
        (|c| c.servers = 10, "1 to 9 servers, not 10"),
        (
            |c| c.raft.heartbeat_interval = MS,
            "heartbeats every 5 ms or more",
        ),
        (
            |c| {
                c.net.storage_min = 2 * MS;
                c.net.storage_max = MS;
            },
            "the stable-storage write time is an empty range",
        ),
        (
            |c| c.net.storage_max = 990 * MS,
            "latency and a stable-storage write together take at most 20 heartbeat intervals (1000 ms)",
        ),
        (
            |c| c.raft.max_entries_per_append = 1_000_000_000,
            "1 to 64 entries, not 1000000000",
        ),
        (
            |c| c.raft.max_entries_per_append = 65,
            "1 to 64 entries, not 65",
        ),
        (
            |c| c.raft.max_entries_per_append = 0,
            "1 to 64 entries, not 0",
        ),
        (
            |c| c.net.latency_max = 60_000 * MS,
            "latency is at most 20 heartbeat intervals (1000 ms), not 60000 ms",
        ),
        (
            |c| c.net.latency_max = u64::MAX,
            "latency must be a range between 1 ms and 60 s",
        ),
        (
            |c| c.net.duplicate_permille = 1000,
            "duplication is at most 500 in a thousand, not 1000",
        ),
        (
            |c| c.net.loss_permille = 1001,
            "loss is at most 1000 in a thousand, not 1001",
        ),
    ];
    for (change, bound) in cases {
        let mut config = SimConfig::with_seed(5, 3);
        change(&mut config);
        let by_reset = Sim::new(config.clone()).map(|_| ()).unwrap_err();
        assert!(by_reset.contains(bound), "{by_reset} (wanted {bound})");
        assert_eq!(refused_everywhere(&script_of(config, 1_000 * MS)), by_reset);
    }
}

#[test]
fn finding_5_the_storm_link_is_refused_before_any_work() {
    let error = refused_everywhere(&script_of(storm_config(), 10_000 * MS));
    assert!(
        error.contains("latency is at most 20 heartbeat intervals"),
        "{error}"
    );
    // Within the latency bound it is still refused, for its duplication.
    let mut c = storm_config();
    c.net.latency_max = 200 * MS;
    let error = refused_everywhere(&script_of(c, 10_000 * MS));
    assert!(error.contains("duplication is at most 500"), "{error}");
}

#[test]
fn the_busiest_link_within_the_bounds_replays_its_longest_playhead_within_the_budget() {
    let config = worst_config();
    assert_eq!(Sim::new(config.clone()).map(|_| ()), Ok(()));
    // The longest playhead its estimate allows, to the millisecond...
    let fits = |playhead: Time| estimated_events(&script_of(config.clone(), playhead));
    let (mut lo, mut hi) = (0, MAX_PLAYHEAD / MS);
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        if fits(mid * MS) <= MAX_REPLAY_EVENTS {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    let longest = lo * MS;
    assert!(
        longest < MAX_PLAYHEAD,
        "the busiest settings are limited by the budget"
    );
    // ...replays, within the estimate and so within the budget...
    let sim = Sim::replay(&script_of(config.clone(), longest))
        .unwrap_or_else(|e| panic!("refused at its longest playhead {longest} µs: {e}"));
    assert_safe(&sim);
    assert!(sim.events_processed() <= fits(longest));
    assert!(sim.events_processed() <= MAX_REPLAY_EVENTS);
    // ...and a millisecond more is refused before any event, naming the budget.
    let error = refused_everywhere(&script_of(config.clone(), longest + MS));
    assert!(
        error.contains(&format!(
            "more than the {MAX_REPLAY_EVENTS} a replay may take"
        )),
        "{error}"
    );
    assert!(
        error.contains(&events_per_second(&config).to_string()),
        "{error}"
    );
}

#[test]
fn an_hour_of_the_busiest_run_the_page_itself_makes_stays_within_the_budget() {
    // Nine servers, 40-80 ms latency, half the messages lost, an intervention every
    // 0.36 s (ten thousand in the hour): what the page's own controls allow at most.
    let mut config = SimConfig::with_seed(9, 1);
    config.net.latency_min = 40 * MS;
    config.net.latency_max = 80 * MS;
    config.net.loss_permille = 500;
    let hour = 3_600_000 * MS;
    let mut script = script_of(config, hour);
    script.steps = (0..10_000)
        .map(|k| ScriptStep {
            at: k * 360 * MS,
            after_events: 0,
            intervention: Intervention::ClientWrite {
                to: WriteTarget::Leader,
                command: Command::parse("SET x 1").unwrap(),
            },
        })
        .collect();
    let estimate = estimated_events(&script);
    assert!(estimate <= MAX_REPLAY_EVENTS, "{estimate}");
    // And a whole day with every default, the longest playhead, stays below it.
    let default_day = estimated_events(&script_of(SimConfig::with_seed(5, 1), MAX_PLAYHEAD));
    assert!(default_day <= MAX_REPLAY_EVENTS, "{default_day}");
}

#[test]
fn finding_7_a_prepared_term_beyond_the_bound_is_refused_on_every_path() {
    for term in [u64::MAX, u64::MAX - 1, MAX_INITIAL_TERM + 1] {
        let mut script = script_of(SimConfig::with_seed(3, 1), 2_000 * MS);
        script.initial = (0..3)
            .map(|server| InitialState {
                server,
                current_term: term,
                voted_for: None,
                log_terms: vec![1, term],
            })
            .collect();
        let error = refused_everywhere(&script);
        assert!(
            error.contains(&format!(
                "a prepared server's term is at most {MAX_INITIAL_TERM}, not {term}"
            )),
            "{error}"
        );
        let mut sim = cluster(3, 1);
        assert!(sim.set_persistent_state(0, term, None, &[]).is_err());
    }
}

#[test]
fn servers_prepared_at_the_highest_term_elect_a_leader_in_the_next_one_safely() {
    let mut script = script_of(SimConfig::with_seed(5, 2), 3_000 * MS);
    script.initial = (0..5)
        .map(|server| InitialState {
            server,
            current_term: MAX_INITIAL_TERM,
            voted_for: Some(server),
            log_terms: vec![1, MAX_INITIAL_TERM],
        })
        .collect();
    let sim = Sim::replay(&decode_link(&encode_link(&script)).unwrap()).unwrap();
    assert_safe(&sim);
    let leader = sim.leader().expect("a leader is elected");
    assert!(sim.node(leader).current_term > MAX_INITIAL_TERM);
    for s in sim.servers() {
        assert!(s.node.current_term >= MAX_INITIAL_TERM, "no term went down");
    }
    assert!(sim.leaders_by_term().keys().all(|&t| t > MAX_INITIAL_TERM));
}

/// Keys finding 8 slipped through links and trace files.
fn hostile_keys() -> Vec<String> {
    vec![
        "<b>x</b>".into(),
        "a\0b".into(),
        "\u{202e}x".into(),
        "k".repeat(17_000),
        String::new(),
        "x y".into(),
        "ключ".into(),
        "k".repeat(17),
    ]
}

#[test]
fn finding_8_commands_obey_the_same_key_rules_on_every_path() {
    for key in hostile_keys() {
        let commands = [
            Command::Set {
                key: key.as_str().into(),
                value: 1,
            },
            Command::Del {
                key: key.as_str().into(),
            },
        ];
        for command in commands {
            let typed = Command::parse(&command.to_string());
            assert!(typed.is_err(), "typed {command:?} was accepted");
            let rule = command.validate().unwrap_err();
            assert!(rule.contains("is not a key"), "{rule}");
            // The refusal quotes a short, inert excerpt of the key.
            assert!(rule.chars().count() < 100, "{rule}");
            assert!(
                !rule
                    .chars()
                    .any(|c| c.is_control() || ('\u{202a}'..='\u{202e}').contains(&c)),
                "{rule:?}"
            );
            // As an intervention on the page, in a link, in a trace file.
            let mut sim = cluster(3, 1);
            sim.run_for(1_000 * MS);
            let before = sim.state_digest();
            let write = Intervention::ClientWrite {
                to: WriteTarget::Leader,
                command,
            };
            assert_eq!(sim.apply(write.clone()), Err(rule.clone()));
            assert_eq!(sim.state_digest(), before, "the run is unchanged");
            let mut script = script_of(SimConfig::with_seed(3, 1), 2_000 * MS);
            script.steps.push(ScriptStep {
                at: 1_000 * MS,
                after_events: sim.events_processed(),
                intervention: write,
            });
            assert_eq!(
                refused_everywhere(&script),
                format!("intervention 1: {rule}")
            );
        }
    }
    // Every key the rules allow still works, at the longest length.
    let longest = "k".repeat(16);
    assert!(Command::parse(&format!("SET {longest} -9223372036854775808")).is_ok());
    assert!(Command::parse("del A_1").is_ok());
}

#[test]
fn network_interventions_are_refused_by_the_same_bounds_and_change_nothing() {
    let mut sim = cluster(5, 1);
    sim.run_for(500 * MS);
    let before = sim.state_digest();
    let cases = [
        (
            Intervention::SetDuplication { permille: 501 },
            "duplication is at most 500 in a thousand, not 501",
        ),
        (
            Intervention::SetLoss { permille: 2000 },
            "loss is at most 1000 in a thousand, not 2000",
        ),
        (
            Intervention::SetLatency {
                min: MS,
                max: 1_001 * MS,
            },
            "latency is at most 20 heartbeat intervals (1000 ms), not 1001 ms",
        ),
        (
            Intervention::Partition(vec![vec![]; 10]),
            "a partition has at most 9 groups, not 10",
        ),
    ];
    for (i, bound) in cases {
        assert_eq!(sim.apply(i), Err(bound.to_string()));
        assert_eq!(sim.state_digest(), before);
    }
    for ok in [
        Intervention::SetDuplication { permille: 500 },
        Intervention::SetLoss { permille: 1000 },
        Intervention::SetLatency {
            min: MS,
            max: 1_000 * MS,
        },
    ] {
        assert_eq!(sim.apply(ok), Ok(()));
    }
}

#[test]
fn a_trace_with_no_events_says_so() {
    let mut sim = cluster(5, 4);
    sim.run_for(2_000 * MS);
    let json = export_json(&sim);
    let start = json.find("\"events\":[").unwrap() + "\"events\":[".len();
    let empty = format!("{}]}}", &json[..start]);
    let error = import_trace(&empty).map(|_| ()).unwrap_err();
    assert!(
        error.starts_with("the trace lists no events, but its run has "),
        "{error}"
    );
    // A run with no events at all exports an empty list, and that imports as a match.
    let fresh = cluster(5, 4);
    let (_, agreement) = import_trace(&export_json(&fresh)).unwrap();
    assert_eq!(agreement, Agreement::Identical { events: 0 });
}

/// A configuration drawn anywhere within the bounds.
fn random_config(r: &mut Rng) -> SimConfig {
    let mut c = SimConfig::with_seed(
        uniform(r, 1, MAX_SERVERS as u64) as u8,
        uniform(r, 0, 1 << 40),
    );
    c.raft.heartbeat_interval = uniform(r, 10, 100) * MS;
    c.raft.election_timeout_min = c.raft.heartbeat_interval + uniform(r, 1, 300) * MS;
    c.raft.election_timeout_max = c.raft.election_timeout_min + uniform(r, 0, 300) * MS;
    c.raft.max_entries_per_append = uniform(r, 1, MAX_ENTRIES_PER_APPEND as u64) as usize;
    c.raft.fast_backup = uniform(r, 0, 1) == 1;
    let most = c.raft.heartbeat_interval * MAX_LATENCY_HEARTBEATS;
    c.net.latency_min = uniform(r, MS, most);
    c.net.latency_max = uniform(r, c.net.latency_min, most);
    c.net.loss_permille = [0, 0, uniform(r, 0, 1000)][uniform(r, 0, 2) as usize] as u16;
    c.net.duplicate_permille = uniform(r, 0, MAX_DUPLICATE_PERMILLE as u64) as u16;
    c
}

/// A short run of `config` with random interventions, network changes included.
fn random_run(r: &mut Rng, config: SimConfig) -> Sim {
    let n = config.servers;
    let heartbeat = config.raft.heartbeat_interval;
    let mut sim = Sim::new(config).unwrap();
    for k in 0..uniform(r, 0, 10) {
        sim.run_for(uniform(r, 1, 400) * MS);
        let s = uniform(r, 0, n as u64 - 1) as u8;
        let i = match uniform(r, 0, 8) {
            0 => Intervention::Crash(s),
            1 => Intervention::Restart(s),
            2 => Intervention::Timeout(s),
            3 => Intervention::Isolate(s),
            4 => Intervention::Heal,
            5 => Intervention::SetLoss {
                permille: uniform(r, 0, 1000) as u16,
            },
            6 => Intervention::SetDuplication {
                permille: uniform(r, 0, MAX_DUPLICATE_PERMILLE as u64) as u16,
            },
            7 => {
                let max = uniform(r, MS, heartbeat * MAX_LATENCY_HEARTBEATS);
                Intervention::SetLatency {
                    min: uniform(r, MS, max),
                    max,
                }
            }
            _ => Intervention::ClientWrite {
                to: WriteTarget::Leader,
                command: Command::Set {
                    key: format!("k{}", k % 3).into(),
                    value: k as i64,
                },
            },
        };
        let _ = sim.apply(i);
    }
    sim.run_for(uniform(r, 0, 10_000) * MS);
    sim
}

#[test]
fn random_links_within_the_bounds_replay_within_their_estimate() {
    let mut r = Rng::seed_from_u64(12);
    for case in 0..400 {
        let config = random_config(&mut r);
        assert_eq!(Sim::new(config.clone()).map(|_| ()), Ok(()), "case {case}");
        let sim = random_run(&mut r, config);
        assert_safe(&sim);
        let script = decode_link(&encode_link(&sim.script())).unwrap();
        let estimate = estimated_events(&script);
        assert!(
            sim.events_processed() <= estimate,
            "case {case}: {} events, estimated {estimate}: {:?}",
            sim.events_processed(),
            script.config
        );
        // Every run, network controls used or not, replays to the identical state (a link
        // carries the settings the run started with: issue 12, finding 1).
        let replayed = Sim::replay(&script).unwrap_or_else(|e| panic!("case {case}: {e}"));
        assert_eq!(replayed.state_digest(), sim.state_digest(), "case {case}");
        assert_eq!(
            replayed.config(),
            sim.config(),
            "case {case}: the settings now"
        );
    }
}

#[test]
fn random_links_out_of_the_bounds_are_refused_naming_the_bound() {
    let mut r = Rng::seed_from_u64(13);
    for case in 0..300 {
        let mut config = random_config(&mut r);
        let bound = match uniform(&mut r, 0, 5) {
            0 => {
                config.servers = uniform(&mut r, 10, 255) as u8;
                format!("1 to 9 servers, not {}", config.servers)
            }
            1 => {
                config.raft.max_entries_per_append = uniform(&mut r, 65, u64::MAX >> 1) as usize;
                format!(
                    "1 to 64 entries, not {}",
                    config.raft.max_entries_per_append
                )
            }
            2 => {
                config.net.duplicate_permille = uniform(&mut r, 501, 65_535) as u16;
                format!(
                    "duplication is at most 500 in a thousand, not {}",
                    config.net.duplicate_permille
                )
            }
            3 => {
                config.net.loss_permille = uniform(&mut r, 1001, 65_535) as u16;
                format!(
                    "loss is at most 1000 in a thousand, not {}",
                    config.net.loss_permille
                )
            }
            4 => {
                let most = config.raft.heartbeat_interval * MAX_LATENCY_HEARTBEATS;
                config.net.latency_max = uniform(&mut r, most + MS, 60_000 * MS) / MS * MS;
                format!(
                    "latency is at most 20 heartbeat intervals ({} ms), not {} ms",
                    most / MS,
                    config.net.latency_max / MS
                )
            }
            _ => {
                config.raft.heartbeat_interval = uniform(&mut r, 0, MIN_HEARTBEAT - 1);
                format!("heartbeats every {} ms or more", MIN_HEARTBEAT / MS)
            }
        };
        let error = refused_everywhere(&script_of(config, uniform(&mut r, 0, 60_000) * MS));
        assert!(
            error.contains(&bound),
            "case {case}: {error} (wanted {bound})"
        );
    }
}
