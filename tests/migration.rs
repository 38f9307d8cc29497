//! Old runs keep opening: real version-1 share links and trace files, written by the
//! page's own code before the PreVote/CheckQuorum switches existed (commit 9683a51, see
//! tests/fixtures/v1/README.md), open with the current code and replay to the identical
//! run: the same moment, the same event count, the same events one by one and the same
//! servers, messages and writes. The fixtures are never regenerated with newer code:
//! they are what people already hold.

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
    ($name:literal, $ext:literal) => {
        Fixture {
            name: $name,
            text: include_str!(concat!("fixtures/v1/", $name, $ext)),
            digest: include_str!(concat!("fixtures/v1/", $name, ".digest.json")),
        }
    };
}

/// Share links, each as the page's address bar had it after Copy link (`#/run/…`).
const LINKS: [Fixture; 7] = [
    fixture!("link-1-scenario-figure-8", ".link"),
    fixture!("link-2-scenario-partition-heal", ".link"),
    fixture!("link-3-tour-leader-crash-then-sandbox", ".link"),
    fixture!("link-4-3-servers-crash-restart-drop-seek-fork", ".link"),
    fixture!("link-5-7-servers-network", ".link"),
    fixture!("link-6-5-servers-steps-and-step-backs", ".link"),
    fixture!("link-7-scenario-figure-7", ".link"),
];

/// Trace files, each as the page's Export trace saved it.
const TRACES: [Fixture; 4] = [
    fixture!("trace-1-3-servers-crash-restart", ".json"),
    fixture!("trace-2-5-servers-lossy-partition", ".json"),
    fixture!("trace-3-scenario-split-vote", ".json"),
    fixture!("trace-4-7-servers-cut-link-drop-align", ".json"),
];

const MANIFEST: &str = include_str!("fixtures/v1/manifest.json");

/// Fields of a server's state that version 1 never wrote. `heard_from_leader_at` came
/// with PreVote and CheckQuorum (4a3fb39): kept whatever the switches, it is volatile
/// bookkeeping that no rule reads while they are off, and it is not part of a link or a
/// trace. Anything else new in the state fails these tests.
const SERVER_FIELDS_ADDED_SINCE_V1: [&str; 1] = ["heard_from_leader_at"];

/// What the old code recorded about the end of the fixture's run (see the manifest).
struct Expected {
    now: u64,
    events: u64,
    trace_events: u64,
    trace_fnv64: String,
    /// Trace files only: how many events the file lists.
    events_in_file: Option<u64>,
}

fn expected(name: &str) -> Expected {
    let manifest: Value = serde_json::from_str(MANIFEST).expect("the manifest is JSON");
    let entries = manifest["fixtures"].as_array().expect("a list of fixtures");
    let listed: Vec<&str> = entries.iter().filter_map(|e| e["name"].as_str()).collect();
    let read: Vec<&str> = LINKS.iter().chain(&TRACES).map(|f| f.name).collect();
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
    }
}

/// FNV-1a (64 bits) of every trace event as JSON, one per line: the generator's hash.
fn trace_fnv64(sim: &Sim) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for (k, e) in sim.trace().iter().enumerate() {
        let line = serde_json::to_string(e).expect("an event serialises");
        let newline = if k > 0 { &b"\n"[..] } else { &[] };
        for &b in newline.iter().chain(line.as_bytes()) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{h:016x}")
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

/// The old run's digest and `sim`'s are the same state: every server, message in flight
/// and client write, but for the fields version 1 never had.
fn assert_same_state(name: &str, old_digest: &str, sim: &Sim) {
    let old: Value = serde_json::from_str(old_digest).expect("the old digest is JSON");
    let mut new: Value = serde_json::from_str(&sim.state_digest()).expect("a digest is JSON");
    for server in new[2].as_array_mut().expect("the servers").iter_mut() {
        if let Some(node) = server.get_mut("node").and_then(Value::as_object_mut) {
            for field in SERVER_FIELDS_ADDED_SINCE_V1 {
                node.remove(field);
            }
        }
    }
    if let Some(difference) = first_difference(&old, &new, "digest") {
        panic!("{name}: the state differs from the old run's at {difference}");
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

#[test]
fn every_real_version_1_link_replays_to_the_identical_run() {
    for link in &LINKS {
        let name = link.name;
        let script = decode_link(payload(link)).unwrap_or_else(|e| panic!("{name}: {e}"));
        let sim = Sim::replay(&script).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_safe(&sim);
        assert_same_run(name, &sim, &expected(name));
        assert_same_state(name, link.digest, &sim);
    }
}

#[test]
fn every_real_version_1_link_opens_in_the_page_paused_where_it_was_shared() {
    for link in &LINKS {
        let name = link.name;
        let p = open_in_page(Action::OpenLink(payload(link).to_string()));
        assert_eq!(
            p.notice.as_deref(),
            Some("Opened the shared run, paused where it was shared."),
            "{name}"
        );
        assert!(!p.playing, "{name}: opens paused");
        assert_safe(&p.sim);
        let want = expected(name);
        assert_eq!(p.sim.now(), want.now, "{name}");
        assert_eq!(p.sim.events_processed(), want.events, "{name}");
        assert_same_state(name, link.digest, &p.sim);
    }
}

#[test]
fn every_real_version_1_trace_file_reimports_as_a_match() {
    for trace in &TRACES {
        let name = trace.name;
        let want = expected(name);
        let (sim, agreement) = import_trace(trace.text).unwrap_or_else(|e| panic!("{name}: {e}"));
        let listed = want.events_in_file.expect("a trace lists its events") as usize;
        assert_eq!(
            agreement,
            Agreement::Identical { events: listed },
            "{name}: every recorded event equals the replay's"
        );
        assert_safe(&sim);
        assert_eq!(sim.now(), want.now, "{name}");
        assert_eq!(sim.events_processed(), want.events, "{name}");
        assert_same_state(name, trace.digest, &sim);
        // The whole replay of its script, event by event, as the old code had it.
        let file = read_trace(trace.text).unwrap_or_else(|e| panic!("{name}: {e}"));
        let whole = Sim::replay(&file.script).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_safe(&whole);
        assert_same_run(name, &whole, &want);
    }
}

#[test]
fn every_real_version_1_trace_file_imports_in_the_page_as_a_match() {
    for trace in &TRACES {
        let name = trace.name;
        let want = expected(name);
        let p = open_in_page(Action::ImportTrace(trace.text.to_string()));
        let listed = want.events_in_file.expect("a trace lists its events");
        let notice = p.notice.as_deref().unwrap_or_default();
        assert!(
            notice.starts_with(&format!(
                "Imported the trace: its {listed} recorded events match the replay exactly."
            )),
            "{name}: {notice}"
        );
        assert_safe(&p.sim);
        assert_eq!(p.sim.now(), want.now, "{name}");
        assert_eq!(p.sim.events_processed(), want.events, "{name}");
        assert_same_state(name, trace.digest, &p.sim);
    }
}

#[test]
fn a_version_1_link_is_read_as_version_1() {
    for link in &LINKS {
        let script = decode_link(payload(link)).unwrap_or_else(|e| panic!("{}: {e}", link.name));
        assert_eq!(script.version, 1, "{}", link.name);
    }
}

#[test]
fn a_version_1_trace_file_is_read_as_version_1() {
    for trace in &TRACES {
        let name = trace.name;
        let head: Value = serde_json::from_str(trace.text).expect("a trace is JSON");
        assert_eq!(head["version"], 1, "{name}: the file's version");
        let file = read_trace(trace.text).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(file.script.version, 1, "{name}: its script's version");
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
        refused.as_ref().is_err_and(|e| e.contains("version 3")),
        "{refused:?}"
    );
}
