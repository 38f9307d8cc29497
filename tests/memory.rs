//! Memory that does not grow with time (issue 12, finding 2): a class leaves the tab
//! open. Two virtual hours of continuous writes, recorded for the timeline as the page
//! records them; the heap is counted by a counting allocator, so the figures are bytes
//! really held, shared data counted once. Assertions are on counts and bytes, never on
//! time.
//!
//! `cargo test --test memory -- --nocapture` prints the figures every ten virtual minutes.

mod common;

use raft_playground::raft::{Command, MS, Time};
use raft_playground::sim::{Intervention, Sim, SimConfig, WriteTarget};
use raft_playground::ui::history::{CHECKPOINT_EVERY, History};
use raft_playground::ui::playground::TRACE_KEPT;

/// The heap is counted: see [`common::Counting`].
#[global_allocator]
static ALLOCATOR: common::Counting = common::Counting;

const MINUTE: Time = 60_000 * MS;
const MB: f64 = 1024.0 * 1024.0;

/// The bytes one more copy of `sim` as a checkpoint costs: what the timeline would pay
/// every five seconds without thinning. (Before copies shared their older data, this
/// summed to 6.6 GB over this run, and the thinned timeline alone held 244 MB.)
fn checkpoint_bytes(sim: &Sim) -> usize {
    let before = common::live_bytes();
    let copy = sim.checkpoint();
    let bytes = common::live_bytes().saturating_sub(before);
    drop(copy);
    bytes
}

#[test]
fn two_virtual_hours_of_writes_hold_a_bounded_heap() {
    let start = common::live_bytes();
    let mut sim = Sim::new(SimConfig::with_seed(5, 42)).expect("valid config");
    sim.set_trace_limit(Some(TRACE_KEPT));
    let mut history = History::new(&sim, Vec::new(), 0);
    // A write every 500 ms of virtual time: a class pressing C at 10x, for two hours.
    let every = 500 * MS;
    let hours = 2;
    let mut value = 0;
    let mut every_checkpoint_bytes = 0usize;
    let mut next_checkpoint = CHECKPOINT_EVERY;
    let mut heap_at_ten_minutes = Vec::new();
    while sim.now() < hours * 60 * MINUTE {
        let next = sim.now() + every;
        history.advance(&mut sim, next).expect("recorded run");
        if sim.now() >= next_checkpoint {
            every_checkpoint_bytes += checkpoint_bytes(&sim);
            next_checkpoint += CHECKPOINT_EVERY;
        }
        value += 1;
        let command = Command::Set {
            key: format!("k{}", value % 8).into(),
            value,
        };
        if sim
            .apply(Intervention::ClientWrite {
                to: WriteTarget::Leader,
                command,
            })
            .is_ok()
        {
            history.recorded(&sim);
        }
        if sim.now().is_multiple_of(10 * MINUTE) {
            let heap = common::live_bytes().saturating_sub(start);
            println!(
                "{:>3} virtual minutes: {} writes, {} checkpoints kept, heap {:.1} MB \
                 (one more checkpoint now: {:.2} MB; keeping every checkpoint, unthinned, would add {:.1} MB)",
                sim.now() / MINUTE,
                sim.writes().len(),
                history.checkpoint_count(),
                heap as f64 / MB,
                checkpoint_bytes(&sim) as f64 / MB,
                every_checkpoint_bytes as f64 / MB,
            );
            heap_at_ten_minutes.push(heap);
        }
    }
    assert!(sim.violation().is_none());
    assert!(sim.writes().len() >= 14_000, "the run was busy");

    // Every checkpoint of the last ten minutes, one a minute until a hundred minutes old,
    // one every ten minutes before that, and the start: 120 + 90 + 2 + 1 or so.
    let kept = history.checkpoint_count();
    assert!(kept <= 215, "{kept} checkpoints kept after two hours");

    // The oldest moments are still there, exactly.
    let mut replayed = Sim::new(SimConfig::with_seed(5, 42)).unwrap();
    let early = history.seek(7 * MINUTE + 250 * MS).expect("seek");
    replayed
        .follow(&sim.script().steps, 7 * MINUTE + 250 * MS)
        .unwrap();
    assert_eq!(early.state_digest(), replayed.state_digest());

    let heap = *heap_at_ten_minutes.last().unwrap();
    println!(
        "after two virtual hours: heap {:.1} MB with {kept} checkpoints; keeping every checkpoint would add {:.1} MB",
        heap as f64 / MB,
        every_checkpoint_bytes as f64 / MB
    );
    // The run itself (five logs, the checker's record, 14,400 writes and the tape) is
    // most of it; the checkpoints share all but their newest few entries.
    assert!(
        heap < 40 * 1024 * 1024,
        "heap {:.1} MB after two virtual hours",
        heap as f64 / MB
    );
}
