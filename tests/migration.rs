//! Old runs keep opening: real share links and trace files written by older builds of
//! the page open with the current code and replay to the identical run: the same moment,
//! the same event count, the same events one by one and the same servers, messages,
//! writes and reads.
//!
//! - Version 1 (tests/fixtures/v1/README.md): written before the PreVote/CheckQuorum
//!   switches existed, by commit 9683a51.
//! - Version 2 (tests/fixtures/v2/README.md): runs with the feature switches (PreVote,
//!   CheckQuorum, the leader's no-op; turned mid-run or on from the start), client reads
//!   (ReadIndex and local, one of them stale) and leadership transfer, written by commit
//!   74946d6, the last before log compaction.
//! - Version 3 (tests/fixtures/v3/README.md): runs with log compaction (snapshots switched
//!   on mid-run or on from the start, a follower caught up by the leader's snapshot) and
//!   membership changes (servers added, a follower removed, the leader removing itself),
//!   written by commit 5e23f48, the last before the lab's settings.
//!
//! The fixtures are never regenerated with newer code: they are what people already hold.

mod common;
use common::*;
use raft_playground::sim::{Agreement, Sim, decode_link, import_trace, read_trace};
use raft_playground::ui::playground::{Action, Playground, link_in_fragment};
use serde_json::Value;

/// One fixture: the file as the old page wrote it, and the old run's `state_digest()`.
struct Fixture {
    name: &'static str,
    text: &'static str,
    digest: &'static str,
}

macro_rules! fixture {
    ($dir:literal, $name:literal, $ext:literal) => {
        Fixture {
            name: $name,
            text: include_str!(concat!("fixtures/", $dir, "/", $name, $ext)),
            digest: include_str!(concat!("fixtures/", $dir, "/", $name, ".digest.json")),
        }
    };
}

/// The fixtures one old version of the page wrote, as its manifest lists them.
struct Version {
    version: u64,
    /// Share links, each as the page's address bar had it after Copy link (`#/run/…`).
    links: &'static [Fixture],
    /// Trace files, each as the page's Export trace saved it.
    traces: &'static [Fixture],
    manifest: &'static str,
    /// Fields of a server's state that this version's code never wrote; every other
    /// field must be equal.
    server_fields_added: &'static [&'static str],
}

const V1: Version = Version {
    version: 1,
    links: &[
        fixture!("v1", "link-1-scenario-figure-8", ".link"),
        fixture!("v1", "link-2-scenario-partition-heal", ".link"),
        fixture!("v1", "link-3-tour-leader-crash-then-sandbox", ".link"),
        fixture!(
            "v1",
            "link-4-3-servers-crash-restart-drop-seek-fork",
            ".link"
        ),
        fixture!("v1", "link-5-7-servers-network", ".link"),
        fixture!("v1", "link-6-5-servers-steps-and-step-backs", ".link"),
        fixture!("v1", "link-7-scenario-figure-7", ".link"),
    ],
    traces: &[
        fixture!("v1", "trace-1-3-servers-crash-restart", ".json"),
        fixture!("v1", "trace-2-5-servers-lossy-partition", ".json"),
        fixture!("v1", "trace-3-scenario-split-vote", ".json"),
        fixture!("v1", "trace-4-7-servers-cut-link-drop-align", ".json"),
    ],
    manifest: include_str!("fixtures/v1/manifest.json"),
    server_fields_added: &SERVER_FIELDS_ADDED_SINCE_V1,
};

const V2: Version = Version {
    version: 2,
    links: &[
        fixture!("v2", "link-1-5-servers-etcd-preset-mid-run-split", ".link"),
        fixture!(
            "v2",
            "link-2-tour-minority-leader-check-quorum-then-sandbox",
            ".link"
        ),
        fixture!("v2", "link-3-3-servers-stale-local-read", ".link"),
        fixture!("v2", "link-4-7-servers-transfer-and-reads", ".link"),
        fixture!("v2", "link-5-tour-figure-8-no-op-then-sandbox", ".link"),
        fixture!("v2", "link-6-tour-stale-reads-then-sandbox", ".link"),
    ],
    traces: &[
        fixture!(
            "v2",
            "trace-1-3-servers-pre-vote-check-quorum-switches",
            ".json"
        ),
        fixture!(
            "v2",
            "trace-2-tour-disruptive-server-pre-vote-then-sandbox",
            ".json"
        ),
        fixture!("v2", "trace-3-7-servers-no-op-reads-transfer", ".json"),
    ],
    manifest: include_str!("fixtures/v2/manifest.json"),
    server_fields_added: &SERVER_FIELDS_ADDED_SINCE_V2,
};

const V3: Version = Version {
    version: 3,
    links: &[
        fixture!(
            "v3",
            "link-1-3-servers-compaction-snapshot-to-restarted-follower",
            ".link"
        ),
        fixture!("v3", "link-2-tour-snapshots-then-sandbox", ".link"),
        fixture!("v3", "link-3-7-servers-add-then-remove-the-leader", ".link"),
        fixture!(
            "v3",
            "link-4-tour-growing-the-cluster-then-sandbox",
            ".link"
        ),
        fixture!(
            "v3",
            "link-5-tour-removing-the-leader-then-sandbox",
            ".link"
        ),
    ],
    traces: &[
        fixture!(
            "v3",
            "trace-1-5-servers-compaction-isolated-follower-remove-add",
            ".json"
        ),
        fixture!(
            "v3",
            "trace-2-3-servers-grow-and-remove-the-leader",
            ".json"
        ),
        fixture!(
            "v3",
            "trace-3-5-servers-etcd-preset-compaction-remove-crashed-leader",
            ".json"
        ),
    ],
    manifest: include_str!("fixtures/v3/manifest.json"),
    server_fields_added: &SERVER_FIELDS_ADDED_SINCE_V3,
};

/// Fields of a server's state that version 1 never wrote. `heard_from_leader_at` came
/// with PreVote and CheckQuorum (4a3fb39): kept whatever the switches, it is volatile
/// bookkeeping that no rule reads while they are off, and it is not part of a link or a
/// trace. Anything else new in the state fails these tests.
const SERVER_FIELDS_ADDED_SINCE_V1: [&str; 1] = ["heard_from_leader_at"];

/// Fields of a server's state that version 2 never wrote: none. Log compaction added a
/// log's snapshot and the switch `snapshot_every`, but both are left out of the state
/// while unused, so a run without compaction has exactly the state version 2 had.
const SERVER_FIELDS_ADDED_SINCE_V2: [&str; 0] = [];

/// Fields of a server's state that version 3 never wrote: none. The lab (version 4) added
/// a broken rule to the Raft settings and stable-storage writes to the network's, but both
/// are left out of the state while unused, so a run without them has exactly the state
/// version 3 had.
const SERVER_FIELDS_ADDED_SINCE_V3: [&str; 0] = [];

/// What the old code recorded about the end of the fixture's run (see the manifest).
struct Expected {
    now: u64,
    events: u64,
    trace_events: u64,
    trace_fnv64: String,
    /// Trace files only: how many events the file lists.
    events_in_file: Option<u64>,
    /// The safety checker's finding in the old run, as JSON (a stale read shown on
    /// purpose), or `None`: the old run was safe.
    violation: Option<Value>,
}

fn expected(v: &Version, name: &str) -> Expected {
    let manifest: Value = serde_json::from_str(v.manifest).expect("the manifest is JSON");
    assert_eq!(
        manifest["script_version"], v.version,
        "the manifest's version"
    );
    let entries = manifest["fixtures"].as_array().expect("a list of fixtures");
    let listed: Vec<&str> = entries.iter().filter_map(|e| e["name"].as_str()).collect();
    let read: Vec<&str> = v.links.iter().chain(v.traces).map(|f| f.name).collect();
    assert_eq!(
        listed, read,
        "this test reads every fixture the manifest lists"
    );
    let e = entries
        .iter()
        .find(|e| e["name"] == name)
        .unwrap_or_else(|| panic!("{name} is not in the manifest"));
    let number = |field: &str| {
        e[field]
            .as_u64()
            .unwrap_or_else(|| panic!("{name}: no {field}"))
    };
    Expected {
        now: number("now"),
        events: number("events"),
        trace_events: number("trace_events"),
        trace_fnv64: e["trace_fnv64"].as_str().expect("a hash").to_string(),
        events_in_file: e["events_in_file"].as_u64(),
        violation: e.get("violation").cloned(),
    }
}

/// The first place two JSON values differ, as a path, or `None` when they are equal.
fn first_difference(old: &Value, new: &Value, path: &str) -> Option<String> {
    match (old, new) {
        (Value::Object(a), Value::Object(b)) => a
            .keys()
            .chain(b.keys().filter(|k| !a.contains_key(*k)))
            .find_map(|k| match (a.get(k), b.get(k)) {
                (Some(x), Some(y)) => first_difference(x, y, &format!("{path}.{k}")),
                (x, y) => Some(format!("{path}.{k}: old {x:?}, new {y:?}")),
            }),
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => a
            .iter()
            .zip(b)
            .enumerate()
            .find_map(|(i, (x, y))| first_difference(x, y, &format!("{path}[{i}]"))),
        _ if old == new => None,
        _ => Some(format!(
            "{path}: old {}, new {}",
            trunc(&old.to_string()),
            trunc(&new.to_string())
        )),
    }
}

fn trunc(s: &str) -> String {
    s.chars().take(300).collect()
}

/// The old run's digest and `sim`'s are the same state: every server, message in flight,
/// client write and read, but for the fields the old version never had.
fn assert_same_state(v: &Version, name: &str, old_digest: &str, sim: &Sim) {
    let old: Value = serde_json::from_str(old_digest).expect("the old digest is JSON");
    let mut new: Value = serde_json::from_str(&sim.state_digest()).expect("a digest is JSON");
    // (now, events, servers, in flight, writes), followed by the reads when there are any:
    // ((now, events, servers, in flight, writes), reads).
    let state = if sim.reads().is_empty() {
        &mut new
    } else {
        &mut new[0]
    };
    for server in state[2].as_array_mut().expect("the servers").iter_mut() {
        if let Some(node) = server.get_mut("node").and_then(Value::as_object_mut) {
            for &field in v.server_fields_added {
                node.remove(field);
            }
        }
    }
    if let Some(difference) = first_difference(&old, &new, "digest") {
        panic!("{name}: the state differs from the old run's at {difference}");
    }
}

/// The safety checker says of `sim` what it said of the old run: nothing, or the same
/// finding (the stale local read a fixture shows on purpose), at the same moment.
fn assert_same_verdict(name: &str, sim: &Sim, want: &Expected) {
    match &want.violation {
        None => assert_safe(sim),
        Some(old) => {
            let new = sim
                .violation()
                .map(|v| serde_json::to_value(v).expect("JSON"));
            assert_eq!(new.as_ref(), Some(old), "{name}: the checker's finding");
        }
    }
}

/// The moment, the events processed and every trace event of `sim`, a whole replay,
/// against what the old code recorded.
fn assert_same_run(name: &str, sim: &Sim, want: &Expected) {
    assert_eq!(sim.now(), want.now, "{name}: the playhead");
    assert_eq!(
        sim.events_processed(),
        want.events,
        "{name}: events processed"
    );
    assert_eq!(
        sim.trace_forgotten(),
        0,
        "{name}: a whole replay keeps its trace"
    );
    assert_eq!(
        sim.trace().len() as u64,
        want.trace_events,
        "{name}: trace events"
    );
    assert_eq!(
        trace_fnv64(sim),
        want.trace_fnv64,
        "{name}: the trace's events"
    );
}

/// The text after `#/run/` in a saved link.
fn payload(link: &Fixture) -> &'static str {
    link_in_fragment(link.text.trim()).unwrap_or_else(|| panic!("{}: not a #/run/ link", link.name))
}

/// Opens `action` (a link or a trace) in a fresh page, a slice per frame as the page
/// does, until it is done.
fn open_in_page(action: Action) -> Playground {
    let mut p = Playground::new(1, 3).expect("a page");
    p.apply(action);
    for _ in 0..10_000 {
        if p.loading.is_none() {
            return p;
        }
        p.apply(Action::Frame { elapsed_ms: 16.7 });
    }
    panic!("still loading after 10,000 frames");
}

/// Every link of `v`, decoded and replayed whole by [`Sim::replay`]: the identical run.
fn links_replay_to_the_identical_run(v: &Version) {
    for link in v.links {
        let name = link.name;
        let script = decode_link(payload(link)).unwrap_or_else(|e| panic!("{name}: {e}"));
        let sim = Sim::replay(&script).unwrap_or_else(|e| panic!("{name}: {e}"));
        let want = expected(v, name);
        assert_same_verdict(name, &sim, &want);
        assert_same_run(name, &sim, &want);
        assert_same_state(v, name, link.digest, &sim);
    }
}

/// Every link of `v`, opened in a fresh page as its address would: paused at the moment
/// it was shared, in the identical state.
fn links_open_in_the_page_paused_where_shared(v: &Version) {
    for link in v.links {
        let name = link.name;
        let p = open_in_page(Action::OpenLink(payload(link).to_string()));
        assert_eq!(
            p.notice.as_deref(),
            Some("Opened the shared run, paused where it was shared."),
            "{name}"
        );
        assert!(!p.playing, "{name}: opens paused");
        let want = expected(v, name);
        assert_same_verdict(name, &p.sim, &want);
        assert_eq!(p.sim.now(), want.now, "{name}");
        assert_eq!(p.sim.events_processed(), want.events, "{name}");
        assert_same_state(v, name, link.digest, &p.sim);
    }
}

/// Every trace file of `v`, imported: its recorded events all match the replay, which
/// ends in the identical state; and its script replayed whole is the identical run.
fn trace_files_reimport_as_a_match(v: &Version) {
    for trace in v.traces {
        let name = trace.name;
        let want = expected(v, name);
        let (sim, agreement) = import_trace(trace.text).unwrap_or_else(|e| panic!("{name}: {e}"));
        let listed = want.events_in_file.expect("a trace lists its events") as usize;
        assert_eq!(
            agreement,
            Agreement::Identical { events: listed },
            "{name}: every recorded event equals the replay's"
        );
        assert_same_verdict(name, &sim, &want);
        assert_eq!(sim.now(), want.now, "{name}");
        assert_eq!(sim.events_processed(), want.events, "{name}");
        assert_same_state(v, name, trace.digest, &sim);
        // The whole replay of its script, event by event, as the old code had it.
        let file = read_trace(trace.text).unwrap_or_else(|e| panic!("{name}: {e}"));
        let whole = Sim::replay(&file.script).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_same_verdict(name, &whole, &want);
        assert_same_run(name, &whole, &want);
    }
}

/// Every trace file of `v`, imported in a fresh page: it says the events match exactly.
fn trace_files_import_in_the_page_as_a_match(v: &Version) {
    for trace in v.traces {
        let name = trace.name;
        let want = expected(v, name);
        let p = open_in_page(Action::ImportTrace(trace.text.to_string()));
        let listed = want.events_in_file.expect("a trace lists its events");
        let notice = p.notice.as_deref().unwrap_or_default();
        assert!(
            notice.starts_with(&format!(
                "Imported the trace: its {listed} recorded events match the replay exactly."
            )),
            "{name}: {notice}"
        );
        assert_same_verdict(name, &p.sim, &want);
        assert_eq!(p.sim.now(), want.now, "{name}");
        assert_eq!(p.sim.events_processed(), want.events, "{name}");
        assert_same_state(v, name, trace.digest, &p.sim);
    }
}

/// Every link of `v` says its own version, and is read as that version.
fn links_are_read_as_their_version(v: &Version) {
    for link in v.links {
        let script = decode_link(payload(link)).unwrap_or_else(|e| panic!("{}: {e}", link.name));
        assert_eq!(u64::from(script.version), v.version, "{}", link.name);
    }
}

/// Every trace file of `v` says its own version, and so does its script.
fn trace_files_are_read_as_their_version(v: &Version) {
    for trace in v.traces {
        let name = trace.name;
        let head: Value = serde_json::from_str(trace.text).expect("a trace is JSON");
        assert_eq!(head["version"], v.version, "{name}: the file's version");
        let file = read_trace(trace.text).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            u64::from(file.script.version),
            v.version,
            "{name}: its script's version"
        );
    }
}

#[test]
fn every_real_version_1_link_replays_to_the_identical_run() {
    links_replay_to_the_identical_run(&V1);
}

#[test]
fn every_real_version_1_link_opens_in_the_page_paused_where_it_was_shared() {
    links_open_in_the_page_paused_where_shared(&V1);
}

#[test]
fn every_real_version_1_trace_file_reimports_as_a_match() {
    trace_files_reimport_as_a_match(&V1);
}

#[test]
fn every_real_version_1_trace_file_imports_in_the_page_as_a_match() {
    trace_files_import_in_the_page_as_a_match(&V1);
}

#[test]
fn a_version_1_link_is_read_as_version_1() {
    links_are_read_as_their_version(&V1);
}

#[test]
fn a_version_1_trace_file_is_read_as_version_1() {
    trace_files_are_read_as_their_version(&V1);
}

#[test]
fn every_real_version_2_link_replays_to_the_identical_run() {
    links_replay_to_the_identical_run(&V2);
}

#[test]
fn every_real_version_2_link_opens_in_the_page_paused_where_it_was_shared() {
    links_open_in_the_page_paused_where_shared(&V2);
}

#[test]
fn every_real_version_2_trace_file_reimports_as_a_match() {
    trace_files_reimport_as_a_match(&V2);
}

#[test]
fn every_real_version_2_trace_file_imports_in_the_page_as_a_match() {
    trace_files_import_in_the_page_as_a_match(&V2);
}

#[test]
fn a_version_2_link_is_read_as_version_2() {
    links_are_read_as_their_version(&V2);
}

#[test]
fn a_version_2_trace_file_is_read_as_version_2() {
    trace_files_are_read_as_their_version(&V2);
}

#[test]
fn every_real_version_3_link_replays_to_the_identical_run() {
    links_replay_to_the_identical_run(&V3);
}

#[test]
fn every_real_version_3_link_opens_in_the_page_paused_where_it_was_shared() {
    links_open_in_the_page_paused_where_shared(&V3);
}

#[test]
fn every_real_version_3_trace_file_reimports_as_a_match() {
    trace_files_reimport_as_a_match(&V3);
}

#[test]
fn every_real_version_3_trace_file_imports_in_the_page_as_a_match() {
    trace_files_import_in_the_page_as_a_match(&V3);
}

#[test]
fn a_version_3_link_is_read_as_version_3() {
    links_are_read_as_their_version(&V3);
}

#[test]
fn a_version_3_trace_file_is_read_as_version_3() {
    trace_files_are_read_as_their_version(&V3);
}

/// Every script a version's fixtures hold: its links', then its traces'.
fn scripts_of(version: &Version) -> Vec<raft_playground::sim::RunScript> {
    version
        .links
        .iter()
        .map(|l| decode_link(payload(l)).expect("decodes"))
        .chain(
            version
                .traces
                .iter()
                .map(|t| read_trace(t.text).expect("reads").script),
        )
        .collect()
}

/// Every intervention of `scripts`, in order.
fn steps_of(
    scripts: &[raft_playground::sim::RunScript],
) -> impl Iterator<Item = &raft_playground::sim::Intervention> {
    scripts
        .iter()
        .flat_map(|s| &s.steps)
        .map(|s| &s.intervention)
}

/// The version-2 fixtures cover what version 2 added: each switch turned mid-run and
/// on from the start, ReadIndex and local reads (one of them stale, caught), leadership
/// transfer, and clusters of 3, 5 and 7 servers.
#[test]
fn the_version_2_fixtures_cover_what_version_2_added() {
    use raft_playground::raft::ReadMode;
    use raft_playground::sim::{Intervention, Invariant, RunScript};
    let scripts = scripts_of(&V2);
    let steps = || steps_of(&scripts);
    let starts = |on: fn(&RunScript) -> bool| scripts.iter().any(on);
    let switched: Vec<(bool, bool, bool)> = steps()
        .filter_map(|i| match i {
            Intervention::SetFeatures {
                pre_vote,
                check_quorum,
                no_op,
            } => Some((*pre_vote, *check_quorum, *no_op)),
            _ => None,
        })
        .collect();
    assert!(starts(|s| s.config.raft.pre_vote), "PreVote from the start");
    assert!(
        starts(|s| s.config.raft.check_quorum),
        "CheckQuorum from the start"
    );
    assert!(starts(|s| s.config.raft.no_op), "the no-op from the start");
    assert!(switched.iter().any(|s| s.0), "PreVote turned on mid-run");
    assert!(
        switched.iter().any(|s| s.1),
        "CheckQuorum turned on mid-run"
    );
    assert!(switched.iter().any(|s| s.2), "the no-op turned on mid-run");
    let read = |mode: ReadMode| {
        steps().any(|i| matches!(i, Intervention::ClientRead { mode: m, .. } if *m == mode))
    };
    assert!(
        read(ReadMode::ReadIndex) && read(ReadMode::Local),
        "both reads"
    );
    assert!(
        steps().any(|i| matches!(i, Intervention::TransferLeadership { .. })),
        "a leadership transfer"
    );
    let mut sizes: Vec<u8> = scripts.iter().map(|s| s.config.servers).collect();
    sizes.sort_unstable();
    sizes.dedup();
    assert_eq!(sizes, [3, 5, 7]);
    // One stale local read, caught; every other run is safe.
    let caught: Vec<&str> = V2
        .links
        .iter()
        .chain(V2.traces)
        .filter(|f| expected(&V2, f.name).violation.is_some())
        .map(|f| f.name)
        .collect();
    assert_eq!(caught, ["link-3-3-servers-stale-local-read"]);
    let link = V2
        .links
        .iter()
        .find(|l| l.name == caught[0])
        .expect("the stale read's link");
    let sim = Sim::replay(&decode_link(payload(link)).expect("decodes")).expect("replays");
    let v = sim.violation().expect("the stale read is caught");
    assert_eq!(v.invariant, Invariant::Linearizability);
    assert!(v.stale.is_some(), "{}", v.detail);
}

/// The version-3 fixtures cover what version 3 added: compaction switched on mid-run and
/// on from the start, a server caught up by the leader's snapshot, servers added, a
/// follower removed and a leader removing itself, and clusters of 3, 5 and 7 servers.
#[test]
fn the_version_3_fixtures_cover_what_version_3_added() {
    use raft_playground::sim::{Intervention, RunScript};
    let scripts = scripts_of(&V3);
    let steps = || steps_of(&scripts);
    assert!(
        scripts.iter().any(|s| s.config.raft.snapshot_every > 0),
        "compaction from the start"
    );
    assert!(
        steps().any(
            |i| matches!(i, Intervention::SetCompaction { snapshot_every } if *snapshot_every > 0)
        ),
        "compaction switched on mid-run"
    );
    assert!(
        steps().any(|i| matches!(i, Intervention::AddServer)),
        "a server added"
    );
    // Who each removal removed: the leader of that moment, or another server.
    let mut removed_leader = false;
    let mut removed_other = false;
    for script in &scripts {
        for (k, step) in script.steps.iter().enumerate() {
            let Intervention::RemoveServer(id) = step.intervention else {
                continue;
            };
            let before = RunScript {
                steps: script.steps[..k].to_vec(),
                playhead: step.at,
                playhead_events: Some(step.after_events),
                ..script.clone()
            };
            let sim = Sim::replay(&before).expect("replays up to the removal");
            if sim.leader() == Some(id) {
                removed_leader = true;
            } else {
                removed_other = true;
            }
        }
    }
    assert!(removed_leader, "a leader removing itself");
    assert!(removed_other, "a server removed by the leader");
    // A server caught up by the leader's snapshot, installed.
    let installed = scripts.iter().any(|s| {
        let sim = Sim::replay(s).expect("replays");
        sim.trace().iter().any(|e| {
            let e = serde_json::to_string(e).expect("an event serialises");
            e.contains("SnapshotHandled") && e.contains("Installed")
        })
    });
    assert!(installed, "a snapshot installed");
    let mut sizes: Vec<u8> = scripts.iter().map(|s| s.config.servers).collect();
    sizes.sort_unstable();
    sizes.dedup();
    assert_eq!(sizes, [3, 5, 7]);
    // Every one of them is safe.
    for f in V3.links.iter().chain(V3.traces) {
        assert!(expected(&V3, f.name).violation.is_none(), "{}", f.name);
    }
}

#[test]
fn a_run_without_what_version_2_added_is_still_written_as_version_1() {
    use raft_playground::raft::ReadMode;
    use raft_playground::sim::{
        Intervention, SCRIPT_VERSION, WriteTarget, encode_link, export_json,
    };
    // Every link already in people's hands was written as version 1: a run that uses
    // nothing newer is written the same way, so a page from before reads it too.
    let mut sim = cluster(5, 3);
    elect(&mut sim, 2 * SECOND);
    write(&mut sim, WriteTarget::Leader, "SET x 1");
    sim.run_for(SECOND);
    assert_eq!(sim.script().version, 1);
    assert!(export_json(&sim).contains("\"version\":1,"));
    // A read makes it version 2, and version 2 opens to the identical run.
    apply(
        &mut sim,
        Intervention::ClientRead {
            to: WriteTarget::Leader,
            key: "x".into(),
            mode: ReadMode::ReadIndex,
        },
    );
    sim.run_for(SECOND);
    let script = sim.script();
    assert_eq!(script.version, 2);
    let link = encode_link(&script);
    let back = Sim::replay(&decode_link(&link).expect("decodes")).expect("replays");
    assert_eq!(back.state_digest(), sim.state_digest());
    assert_eq!(back.reads(), sim.reads());
    let (imported, agreement) = import_trace(&export_json(&sim)).expect("imports");
    assert!(
        matches!(agreement, Agreement::Identical { .. }),
        "{agreement:?}"
    );
    assert_eq!(imported.reads(), sim.reads());
    assert_safe(&sim);
    // A newer version than this page knows is refused, saying so.
    let mut newer = script.clone();
    newer.version = SCRIPT_VERSION + 1;
    let refused = Sim::replay(&newer).map(|_| ());
    assert!(
        refused
            .as_ref()
            .is_err_and(|e| e.contains(&format!("version {SCRIPT_VERSION}"))),
        "{refused:?}"
    );
}
