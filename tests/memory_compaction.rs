//! What log compaction saves (issue 14): one virtual hour of writes, five servers, with
//! snapshots every 8 applied entries and without, the heap counted by a counting
//! allocator. Assertions are on entries and bytes, never on time.
//!
//! `cargo test --release --test memory_compaction -- --nocapture` prints the figures.

mod common;

use raft_playground::raft::{Command, MS, Time};
use raft_playground::sim::{Intervention, Sim, SimConfig, WriteTarget};
use raft_playground::ui::playground::TRACE_KEPT;

/// The heap is counted: see [`common::Counting`].
#[global_allocator]
static ALLOCATOR: common::Counting = common::Counting;

const MB: f64 = 1024.0 * 1024.0;
const HOUR: Time = 3_600_000 * MS;

/// One virtual hour, a write to the leader every 250 ms (14,400 writes), the trace capped
/// as on the page. Returns the heap the run holds at the end, and the longest log kept.
fn an_hour(snapshot_every: u64) -> (usize, usize) {
    let start = common::live_bytes();
    let mut config = SimConfig::with_seed(5, 42);
    config.raft.snapshot_every = snapshot_every;
    let mut sim = Sim::new(config).expect("valid config");
    sim.set_trace_limit(Some(TRACE_KEPT));
    let mut value = 0;
    while sim.now() < HOUR {
        sim.run_for(250 * MS);
        value += 1;
        let command = Command::Set {
            key: format!("k{}", value % 8).into(),
            value,
        };
        let _ = sim.apply(Intervention::ClientWrite {
            to: WriteTarget::Leader,
            command,
        });
    }
    assert!(sim.violation().is_none(), "{:?}", sim.violation());
    assert!(sim.writes().len() >= 14_000, "the run was busy");
    let longest = sim
        .servers()
        .iter()
        .map(|s| s.node.log.entries().len())
        .max()
        .unwrap_or(0);
    let heap = common::live_bytes().saturating_sub(start);
    println!(
        "one virtual hour, 5 servers, {} writes, snapshots {}: longest log {} entries, heap {:.1} MB",
        sim.writes().len(),
        if snapshot_every == 0 {
            "off".to_string()
        } else {
            format!("every {snapshot_every} entries")
        },
        longest,
        heap as f64 / MB
    );
    drop(sim);
    (heap, longest)
}

#[test]
fn compaction_keeps_the_logs_short_and_the_heap_smaller() {
    let (without, longest_without) = an_hour(0);
    let (with, longest_with) = an_hour(8);
    assert!(
        longest_without >= 14_000,
        "every entry is kept without compaction"
    );
    // A server keeps at most the entries since its last snapshot, and those not yet applied.
    assert!(
        longest_with < 64,
        "{longest_with} entries kept with compaction"
    );
    assert!(
        with < without,
        "{with} bytes with compaction, {without} without"
    );
}
