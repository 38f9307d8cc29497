//! Helpers shared by the simulator tests. Every test ends with [`assert_safe`], so the
//! safety checker's verdict is part of every scenario.
#![allow(dead_code)]

use raft_playground::raft::{MS, NodeId, Role, Term, Time};
use raft_playground::sim::{Intervention, Sim, SimConfig, WriteTarget};

pub const SECOND: Time = 1000 * MS;

pub fn cluster(servers: u8, seed: u64) -> Sim {
    Sim::new(SimConfig::with_seed(servers, seed)).expect("valid configuration")
}

/// Fails the test with the checker's finding and the last events of the trace.
pub fn assert_safe(sim: &Sim) {
    if let Some(v) = sim.violation() {
        let tail: Vec<String> = sim
            .trace()
            .iter()
            .rev()
            .take(30)
            .rev()
            .map(|e| e.sentence())
            .collect();
        panic!(
            "safety violation: {} at {} µs: {}\nlast events:\n{}",
            v.invariant.name(),
            v.time,
            v.detail,
            tail.join("\n")
        );
    }
}

pub fn apply(sim: &mut Sim, i: Intervention) {
    sim.apply(i.clone())
        .unwrap_or_else(|e| panic!("{i:?} refused: {e}"));
}

pub fn write(sim: &mut Sim, to: WriteTarget, command: &str) {
    let command = raft_playground::raft::Command::parse(command).expect("a valid command");
    apply(sim, Intervention::ClientWrite { to, command });
}

/// Runs until some server is leader (of the highest term), at most `limit`.
pub fn elect(sim: &mut Sim, limit: Time) -> NodeId {
    assert!(
        sim.run_until_condition(limit, |s| s.leader().is_some()),
        "no leader within {limit} µs"
    );
    assert_safe(sim);
    sim.leader().expect("a leader")
}

pub fn role(sim: &Sim, id: NodeId) -> Role {
    sim.node(id).role
}

pub fn log_terms(sim: &Sim, id: NodeId) -> Vec<Term> {
    sim.node(id).log.entries().iter().map(|e| e.term).collect()
}

/// How many elections (RequestVote rounds) have started so far.
pub fn elections_started(sim: &Sim) -> usize {
    use raft_playground::raft::NodeEvent;
    use raft_playground::sim::EventKind;
    sim.trace()
        .iter()
        .filter(|e| {
            matches!(
                e.kind,
                EventKind::Node {
                    event: NodeEvent::ElectionTimeout { .. },
                    ..
                }
            )
        })
        .count()
}

/// The node events of the trace from position `since` on, with the server that emitted each.
pub fn node_events_since(
    sim: &Sim,
    since: usize,
) -> Vec<(NodeId, raft_playground::raft::NodeEvent)> {
    use raft_playground::sim::EventKind;
    sim.trace()[since..]
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Node { node, event } => Some((*node, event.clone())),
            _ => None,
        })
        .collect()
}

/// An allocator that counts the bytes allocated and not yet freed, for the memory tests:
/// a test binary that declares it its `#[global_allocator]` reads the count with
/// [`live_bytes`]. (Each memory test file holds one test, so nothing else allocates while
/// it measures.)
pub struct Counting;

static LIVE: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

unsafe impl std::alloc::GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: std::alloc::Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size(), std::sync::atomic::Ordering::Relaxed);
        unsafe { std::alloc::System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: std::alloc::Layout) {
        LIVE.fetch_sub(layout.size(), std::sync::atomic::Ordering::Relaxed);
        unsafe { std::alloc::System.dealloc(ptr, layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: std::alloc::Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size(), std::sync::atomic::Ordering::Relaxed);
        unsafe { std::alloc::System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: std::alloc::Layout, new_size: usize) -> *mut u8 {
        LIVE.fetch_add(new_size, std::sync::atomic::Ordering::Relaxed);
        LIVE.fetch_sub(layout.size(), std::sync::atomic::Ordering::Relaxed);
        unsafe { std::alloc::System.realloc(ptr, layout, new_size) }
    }
}

/// The bytes [`Counting`] counts as live now.
pub fn live_bytes() -> usize {
    LIVE.load(std::sync::atomic::Ordering::Relaxed)
}

/// FNV-1a (64 bits) of every trace event as JSON, one per line: what pins a run's events
/// (the fixtures' manifests and `tests/determinism.rs` use it).
pub fn trace_fnv64(sim: &Sim) -> String {
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
