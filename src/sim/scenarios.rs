//! The scenario gallery: named, deterministic runs a teacher opens by link
//! (`#/scenario/split-vote`). Each is built by running the real simulator to the moment
//! worth showing; the page opens it paused there, with the run so far on its timeline.

use super::{Intervention, RunScript, Sim, SimConfig, WriteTarget};
use crate::raft::{Command, MS, Role};

/// The scenarios by the name their links use (`#/scenario/split-vote`). What the page
/// says about each, in English and Chinese, is the UI's business (`ui::words`).
pub const SCENARIOS: [&str; 7] = [
    "split-vote",
    "leader-crash",
    "partition-heal",
    "follower-behind",
    "figure-7",
    "figure-8",
    "stale-leader",
];

/// The log terms of the paper's Figure 7: the leader of term 8, then followers (a)–(f).
pub const FIGURE_7_LOGS: [&[u64]; 7] = [
    &[1, 1, 1, 4, 4, 5, 5, 6, 6, 6],
    &[1, 1, 1, 4, 4, 5, 5, 6, 6],
    &[1, 1, 1, 4],
    &[1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 6],
    &[1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 7, 7],
    &[1, 1, 1, 4, 4, 4, 4],
    &[1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3],
];

fn write(sim: &mut Sim, text: &str) {
    if let Ok(command) = Command::parse(text) {
        let _ = sim.apply(Intervention::ClientWrite {
            to: WriteTarget::Leader,
            command,
        });
    }
}

fn elect(sim: &mut Sim) {
    sim.run_until_condition(5_000 * MS, |s| s.leader().is_some());
}

/// Builds the named scenario's run, or `None` for an unknown name.
pub fn scenario(name: &str) -> Option<Result<RunScript, String>> {
    let build = || -> Result<Sim, String> {
        Ok(match name {
            "split-vote" => {
                let mut sim = Sim::new(SimConfig::with_seed(5, 2))?;
                sim.run_for(50 * MS);
                sim.apply(Intervention::AlignTimers)?;
                sim
            }
            "leader-crash" => {
                let mut sim = Sim::new(SimConfig::with_seed(5, 3))?;
                elect(&mut sim);
                write(&mut sim, "SET x 1");
                sim.run_for(400 * MS);
                let leader = sim.leader().ok_or("no leader")?;
                sim.apply(Intervention::Crash(leader))?;
                sim
            }
            "partition-heal" | "stale-leader" => {
                let mut sim = Sim::new(SimConfig::with_seed(5, 4))?;
                elect(&mut sim);
                let old = sim.leader().ok_or("no leader")?;
                let n = 5u8;
                let minority = vec![old, (old + 1) % n];
                let majority: Vec<u8> = (0..n).filter(|id| !minority.contains(id)).collect();
                sim.apply(Intervention::Partition(vec![minority, majority]))?;
                if name == "partition-heal" {
                    sim.apply(Intervention::ClientWrite {
                        to: WriteTarget::Server(old),
                        command: Command::parse("SET x 1")?,
                    })?;
                }
                sim.run_until_condition(5_000 * MS, |s| s.leaders().len() == 2);
                if name == "partition-heal" {
                    write(&mut sim, "SET x 2");
                }
                sim.run_for(600 * MS);
                sim
            }
            "follower-behind" => {
                let mut sim = Sim::new(SimConfig::with_seed(5, 6))?;
                elect(&mut sim);
                let behind = (0..5u8)
                    .rev()
                    .find(|&id| Some(id) != sim.leader())
                    .unwrap_or(4);
                sim.apply(Intervention::Crash(behind))?;
                for k in 1..=30 {
                    write(&mut sim, &format!("SET k{} {k}", k % 4));
                    sim.run_for(20 * MS);
                }
                sim.run_for(300 * MS);
                sim.apply(Intervention::Restart(behind))?;
                sim
            }
            "figure-7" => {
                let mut sim = Sim::new(SimConfig::with_seed(7, 8))?;
                for (id, log) in FIGURE_7_LOGS.iter().enumerate() {
                    sim.set_persistent_state(id as u8, 7, None, log)?;
                }
                sim.apply(Intervention::Timeout(0))?;
                sim.run_until_condition(1_000 * MS, |s| s.node(0).role == Role::Leader);
                sim
            }
            "figure-8" => {
                // State (c) of the figure: index 2 holds term 2 on S1 and S2, term 3 on S5.
                let mut sim = Sim::new(SimConfig::with_seed(5, 9))?;
                for (id, log) in [&[1, 2][..], &[1, 2], &[1], &[1], &[1, 3]]
                    .iter()
                    .enumerate()
                {
                    sim.set_persistent_state(id as u8, 3, None, log)?;
                }
                sim.apply(Intervention::Crash(4))?;
                sim.apply(Intervention::Timeout(0))?;
                sim.run_until_condition(1_000 * MS, |s| s.leader() == Some(0));
                sim.run_for(1_000 * MS);
                sim
            }
            _ => return Err(String::new()),
        })
    };
    if !SCENARIOS.contains(&name) {
        return None;
    }
    Some(build().map(|sim| sim.script()))
}
