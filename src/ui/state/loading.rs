//! Work too long for one frame, done a slice per animation frame: opening a shared run
//! or a trace file, a seek far into a long run, a step back far from a checkpoint. The
//! run on screen stays as it was, paused, under a progress bar with a Cancel, and the
//! page keeps answering: a key press lands between two slices. Only finished work
//! replaces what is shown; cancelled or refused, nothing changes.
//!
//! A slice pauses the simulator between two events ([`crate::sim::Sim::follow_slice`]),
//! so the result is the same run, event for event, as one long replay would give.

use crate::raft::Time;
use crate::sim::bounds::{MAX_REPLAY_EVENTS, over_budget};
use crate::sim::{Agreement, RunScript, Sim, TraceFile};
use crate::ui::history::History;
use crate::ui::playground::Playground;

/// Events replayed per slice (per animation frame). In the release build a slice of
/// a busy run takes about 10–20 ms of the browser's time (`make bench` measures it),
/// so a key press waits at most about one slice.
pub const SLICE_EVENTS: u64 = 20_000;

/// What is being loaded, for the words around the progress bar.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Loaded {
    /// A share link's run.
    Link,
    /// A trace file's run.
    Trace,
    /// Another moment of this run (a seek or a step back), at this virtual time when it
    /// is known.
    Moment(Option<Time>),
}

#[derive(Clone, Debug)]
enum Work {
    /// A whole run, replayed into the page that will replace this one, with its
    /// checkpoints and timeline marks taken on the way.
    Open {
        page: Box<Playground>,
        script: RunScript,
        /// The trace file whose events the replay is compared with, when importing.
        trace: Option<Box<TraceFile>>,
    },
    /// This run from a checkpoint to a moment in time.
    Seek { sim: Sim, target: Time },
    /// This run from a checkpoint to just before event `events + 1`.
    StepBack { sim: Sim, events: u64 },
}

/// Work in progress.
#[derive(Clone, Debug)]
pub struct Loading {
    pub what: Loaded,
    /// How many slices have run.
    pub slices: u32,
    work: Work,
    /// Where the work started and where it ends (events when known, else time): the
    /// progress bar's measure.
    start: (u64, Time),
    end_events: Option<u64>,
    end_time: Time,
    /// The event count at which the work is refused as too long.
    budget_end: u64,
}

/// What a slice of work came to.
pub enum Progress {
    Working(Loading),
    /// A run, ready to replace the page, and for a trace how its events compare.
    Opened {
        page: Box<Playground>,
        agreement: Option<Agreement>,
    },
    /// This run at the moment asked for.
    Moment(Sim),
}

impl Loading {
    /// Opening `script` into `page` (its start, with the script's steps as its tape);
    /// for a trace import, `trace` is the file to compare the replay with.
    pub fn open(mut page: Playground, script: RunScript, trace: Option<TraceFile>) -> Loading {
        let what = if trace.is_some() {
            Loaded::Trace
        } else {
            Loaded::Link
        };
        if let Some(file) = &trace {
            let keep = file.events_to_keep().max(crate::ui::playground::TRACE_KEPT);
            page.sim.set_trace_limit(Some(keep));
        }
        let start = (page.sim.events_processed(), page.sim.now());
        Loading {
            what,
            slices: 0,
            start,
            end_events: script.playhead_events,
            end_time: script.playhead,
            budget_end: start.0.saturating_add(MAX_REPLAY_EVENTS),
            work: Work::Open {
                page: Box::new(page),
                script,
                trace: trace.map(Box::new),
            },
        }
    }

    /// A seek to `target`, from `sim` (a checkpoint at or before it).
    pub fn seek(sim: Sim, target: Time) -> Loading {
        let start = (sim.events_processed(), sim.now());
        Loading {
            slices: 0,
            what: Loaded::Moment(Some(target)),
            start,
            end_events: None,
            end_time: target,
            budget_end: start.0.saturating_add(MAX_REPLAY_EVENTS),
            work: Work::Seek { sim, target },
        }
    }

    /// A step back to just before event `events + 1`, from `sim` (a checkpoint before it).
    pub fn step_back(sim: Sim, events: u64) -> Loading {
        let start = (sim.events_processed(), sim.now());
        Loading {
            slices: 0,
            what: Loaded::Moment(None),
            start,
            end_events: Some(events),
            end_time: start.1,
            budget_end: start.0.saturating_add(MAX_REPLAY_EVENTS),
            work: Work::StepBack { sim, events },
        }
    }

    /// The event a step back in progress goes back to (just before it).
    pub fn step_back_target(&self) -> Option<u64> {
        match self.work {
            Work::StepBack { events, .. } => Some(events),
            _ => None,
        }
    }

    fn sim(&self) -> &Sim {
        match &self.work {
            Work::Open { page, .. } => &page.sim,
            Work::Seek { sim, .. } | Work::StepBack { sim, .. } => sim,
        }
    }

    /// How much of the work is done, from 0 to 1: by events when the end's event count
    /// is known (a link records it), else by virtual time.
    pub fn progress(&self) -> f64 {
        let sim = self.sim();
        let (start_events, start_time) = self.start;
        let fraction = match self.end_events {
            Some(end) if end > start_events => {
                sim.events_processed().saturating_sub(start_events) as f64
                    / (end - start_events) as f64
            }
            _ if self.end_time > start_time => {
                sim.now().saturating_sub(start_time) as f64 / (self.end_time - start_time) as f64
            }
            _ => 1.0,
        };
        fraction.clamp(0.0, 1.0)
    }

    /// Does up to `slice` more events of the work. `history` is the shown run's: a seek
    /// or a step back follows its tape.
    pub fn run(self, history: &History, slice: u64) -> Result<Progress, String> {
        let pause_at = self
            .sim()
            .events_processed()
            .saturating_add(slice)
            .min(self.budget_end);
        let Loading {
            what,
            slices,
            work,
            start,
            end_events,
            end_time,
            budget_end,
        } = self;
        let over = |sim: &Sim| sim.events_processed() >= budget_end;
        let work = match work {
            Work::Open {
                mut page,
                script,
                trace,
            } => {
                let p = &mut *page;
                let done = p.history.advance_slice(
                    &mut p.sim,
                    script.playhead,
                    script.playhead_events,
                    pause_at,
                )?;
                if done {
                    page.sim.check_replayed(&script)?;
                    let agreement = match &trace {
                        Some(file) => Some(file.agreement(&page.sim)?),
                        None => None,
                    };
                    page.sim
                        .set_trace_limit(Some(crate::ui::playground::TRACE_KEPT));
                    page.playing = false;
                    return Ok(Progress::Opened { page, agreement });
                }
                if over(&page.sim) {
                    return Err(over_budget());
                }
                Work::Open {
                    page,
                    script,
                    trace,
                }
            }
            Work::Seek { mut sim, target } => {
                if sim.follow_slice(history.steps(), target, None, pause_at)? {
                    return Ok(Progress::Moment(sim));
                }
                if over(&sim) {
                    return Err(over_budget());
                }
                Work::Seek { sim, target }
            }
            Work::StepBack { mut sim, events } => {
                if sim.follow_events_slice(history.steps(), events, pause_at)? {
                    return Ok(Progress::Moment(sim));
                }
                if over(&sim) {
                    return Err(over_budget());
                }
                Work::StepBack { sim, events }
            }
        };
        Ok(Progress::Working(Loading {
            what,
            slices: slices + 1,
            work,
            start,
            end_events,
            end_time,
            budget_end,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::raft::MS;
    use crate::sim::{Intervention, export_json};
    use crate::ui::history::Mark;
    use crate::ui::lang::Lang;
    use crate::ui::playground::Action;

    /// Frames until the work in progress is done; how many it took.
    fn settle(p: &mut Playground) -> usize {
        let mut frames = 0;
        while p.loading.is_some() {
            p.apply(Action::Frame { elapsed_ms: 16.0 });
            frames += 1;
            assert!(frames < 10_000, "the work never ends");
        }
        frames
    }

    /// Ten virtual minutes of seed 7 with a write every second, a crash, a partition
    /// and a heal: over two slices' worth of events.
    fn long_run() -> Playground {
        let mut p = Playground::new(7, 5).expect("valid");
        p.apply(Action::SetSpeed(1.0));
        for second in 1..=600u64 {
            while p.sim.now() < second * 1000 * MS {
                p.apply(Action::Frame { elapsed_ms: 50.0 });
            }
            p.apply(Action::WriteToLeader);
            match second {
                30 | 350 => {
                    let leader = p.sim.leader().unwrap_or(0);
                    p.apply(Action::Do(Intervention::Crash(leader)));
                }
                60 => p.apply(Action::SplitLeaderInMinority),
                90 => p.apply(Action::Do(Intervention::Heal)),
                _ => {}
            }
        }
        p.apply(Action::Pause);
        assert!(p.sim.violation().is_none());
        assert!(
            p.sim.events_processed() > 2 * SLICE_EVENTS,
            "{} events",
            p.sim.events_processed()
        );
        p
    }

    fn marks(p: &Playground) -> Vec<Mark> {
        p.history.marks().to_vec()
    }

    #[test]
    fn a_long_link_opens_a_slice_per_frame_into_the_identical_run_with_all_its_marks() {
        let original = long_run();
        let payload = original.link_payload().expect("a link");
        let mut p = Playground::new(1, 3).expect("valid");
        let before = p.sim.state_digest();
        p.apply(Action::OpenLink(payload));
        let loading = p.loading.as_ref().expect("too long for one frame");
        assert_eq!(loading.what, Loaded::Link);
        // A screen reader hears what is going on, from the work itself.
        let percent = (loading.progress() * 100.0).floor();
        assert_eq!(
            p.narration,
            format!("Opening the shared run: {percent}% replayed. The Cancel button stops it.")
        );
        let mut progress = vec![loading.progress()];
        // The run shown waits, unchanged, until the new one is ready.
        assert_eq!(p.sim.state_digest(), before);
        while p.loading.is_some() {
            p.apply(Action::Frame { elapsed_ms: 16.0 });
            assert!(p.sim.state_digest() == before || p.loading.is_none());
            if let Some(l) = &p.loading {
                progress.push(l.progress());
            }
        }
        assert!(progress.len() >= 3, "{progress:?}");
        assert!(progress.windows(2).all(|w| w[0] < w[1]), "{progress:?}");
        assert_eq!(p.sim.state_digest(), original.sim.state_digest());
        assert!(p.sim.violation().is_none());
        // Issue 12: a link opened in one go read only its last few thousand events for
        // the timeline's marks, and the first leaders and crashes were missing.
        assert_eq!(marks(&p), marks(&original));
        assert_eq!(p.history.horizon(), original.sim.now());
        assert!(!p.playing);
        assert_eq!(
            p.notice.as_deref(),
            Some("Opened the shared run, paused where it was shared.")
        );
        // Its own link is the same run again.
        assert_eq!(
            p.link_payload().expect("a link"),
            original.link_payload().expect("a link")
        );
    }

    #[test]
    fn cancel_or_another_action_leaves_the_run_shown_as_it_was() {
        let original = long_run();
        let payload = original.link_payload().expect("a link");
        for stop in [Action::CancelLoading, Action::Escape, Action::TogglePlay] {
            let mut p = Playground::new(1, 3).expect("valid");
            let before = p.sim.state_digest();
            p.apply(Action::OpenLink(payload.clone()));
            p.apply(Action::Frame { elapsed_ms: 16.0 });
            assert!(p.loading.is_some());
            p.apply(stop.clone());
            assert!(p.loading.is_none(), "{stop:?} stops it");
            if stop != Action::TogglePlay {
                assert_eq!(p.sim.state_digest(), before, "{stop:?}");
                assert_eq!(
                    p.notice.as_deref(),
                    Some("Stopped. The run shown is unchanged.")
                );
            }
            assert_eq!(p.servers(), 3);
        }
        // Changing the language, the presenter mode or the help does not stop it, and the
        // run opens in the language chosen meanwhile.
        let mut p = Playground::new(1, 3).expect("valid");
        p.apply(Action::OpenLink(payload));
        p.apply(Action::SetLang(Lang::Zh));
        for loading in [
            p.loading.clone().expect("still loading"),
            Loading::seek(original.sim.clone(), 61_000 * MS),
            Loading::step_back(original.sim.clone(), 5),
        ] {
            let line = crate::ui::words::loading_line(Lang::Zh, &loading);
            let stray = crate::ui::words_zh::stray_english(&line, crate::ui::words_zh::IDENTIFIERS);
            assert!(stray.is_empty(), "English left in {line}: {stray:?}");
        }
        p.apply(Action::ToggleHelp);
        p.apply(Action::TogglePresenter);
        p.apply(Action::SetReadMode(crate::raft::ReadMode::Local));
        settle(&mut p);
        assert_eq!(p.sim.state_digest(), original.sim.state_digest());
        assert_eq!(p.lang, Lang::Zh);
        assert!(p.presenter);
        // The help opened meanwhile stays open (it closed as the run opened, under the
        // reader's eyes: the e2e storm journey caught it), and the read mode stays chosen.
        assert!(p.help_open);
        assert_eq!(p.read_mode, crate::raft::ReadMode::Local);
        assert_eq!(
            p.notice.as_deref(),
            Some("已打开分享的运行，暂停在分享时的位置。")
        );
    }

    #[test]
    fn a_long_trace_imports_a_slice_per_frame_and_matches_exactly() {
        let original = long_run();
        let file = export_json(&original.sim);
        let mut p = Playground::new(1, 3).expect("valid");
        p.apply(Action::ImportTrace(file.clone()));
        assert_eq!(p.loading.as_ref().map(|l| l.what), Some(Loaded::Trace));
        assert!(settle(&mut p) >= 2);
        assert_eq!(p.sim.state_digest(), original.sim.state_digest());
        let notice = p.notice.clone().unwrap_or_default();
        assert!(
            notice.starts_with("Imported the trace: its ")
                && notice.contains("match the replay exactly"),
            "{notice}"
        );
        // A file whose events were changed is imported as its replay, and says where it
        // differs.
        let tampered = file.replacen("\"duplicate\":false", "\"duplicate\":true", 1);
        assert!(tampered != file, "the file has a message to tamper with");
        p.apply(Action::ImportTrace(tampered));
        settle(&mut p);
        let notice = p.notice.clone().unwrap_or_default();
        assert!(
            notice.starts_with("Imported, but the file's events differ"),
            "{notice}"
        );
    }

    #[test]
    fn a_far_seek_and_a_step_back_rebuild_the_moment_exactly() {
        let p0 = long_run();
        for t in [3_000 * MS, 61_234 * MS, 125_000 * MS, 200_001 * MS] {
            let mut p = p0.clone();
            p.apply(Action::Seek(t));
            settle(&mut p);
            let expected = p0.history.seek(t).expect("seek");
            assert_eq!(p.sim.state_digest(), expected.state_digest(), "at {t}");
            // One event back from there, then forward again: the same moment.
            let events = p.sim.events_processed();
            p.apply(Action::StepBack);
            settle(&mut p);
            assert_eq!(p.sim.events_processed(), events - 1);
            assert_eq!(
                p.sim.state_digest(),
                p0.history
                    .before_event(events - 1)
                    .expect("back")
                    .state_digest()
            );
        }
    }

    /// Nine servers with 10 ms heartbeats, eleven virtual minutes: about 100,000 events a
    /// minute. Checkpoints more than ten minutes old thin to one a minute, so a seek or a
    /// step back into the run's first minute replays several slices.
    fn busy_run() -> Playground {
        let mut config = crate::sim::SimConfig::with_seed(9, 12);
        config.raft.heartbeat_interval = 10 * MS;
        let mut p = Playground::from_sim(Sim::new(config).expect("within the bounds"));
        p.apply(Action::SetSpeed(crate::ui::geometry::SPEED_MAX_EXP));
        while p.sim.now() < 660_000 * MS {
            p.apply(Action::Frame { elapsed_ms: 100.0 });
        }
        p.apply(Action::Pause);
        p
    }

    #[test]
    fn a_seek_and_step_backs_that_take_frames_land_exactly_and_show_at_once() {
        let p0 = busy_run();
        let mut p = p0.clone();
        // 55 s from the start, the checkpoint at 0 the nearest kept one before it.
        let t = 55_000 * MS;
        p.apply(Action::Seek(t));
        assert!(p.loading.is_some(), "more than a slice from its checkpoint");
        assert!(settle(&mut p) >= 2);
        assert_eq!(
            p.sim.state_digest(),
            p0.history.seek(t).expect("seek").state_digest()
        );
        // Done in a frame: the panels show it now, and the live region says where it is.
        assert_eq!(
            (p.panel_revision, p.logs_revision),
            (p.revision, p.revision)
        );
        assert!(p.narration.starts_with("The run at "), "{}", p.narration);
        // Two ← while the first step back is still replaying: two events back.
        let events = p.sim.events_processed();
        p.apply(Action::StepBack);
        assert!(p.loading.is_some(), "a step back far from its checkpoint");
        p.apply(Action::StepBack);
        settle(&mut p);
        assert_eq!(p.sim.events_processed(), events - 2);
        assert_eq!(
            p.sim.state_digest(),
            p0.history
                .before_event(events - 2)
                .expect("back")
                .state_digest()
        );
        assert_eq!(
            (p.panel_revision, p.logs_revision),
            (p.revision, p.revision)
        );
        assert_eq!(
            p.narration,
            format!("Back one event: event {}.", events - 2)
        );
    }

    #[test]
    fn slices_of_any_size_give_the_same_moment_as_one_replay() {
        let p0 = long_run();
        // Moments between checkpoints (every 5 s), so each replays something.
        for (t, slice) in [(203_700 * MS, 97), (421_300 * MS, 1), (599_000 * MS, 50)] {
            let (start, target) = p0.history.seek_start(t);
            let mut work = Loading::seek(start, target);
            let mut slices = 0;
            let sim = loop {
                slices += 1;
                match work.run(&p0.history, slice).expect("replays") {
                    Progress::Working(next) => work = next,
                    Progress::Moment(sim) => break sim,
                    Progress::Opened { .. } => unreachable!("a seek opens nothing"),
                }
            };
            assert!(slices > 2, "{slices} slices of {slice}");
            assert_eq!(
                sim.state_digest(),
                p0.history.seek(t).expect("seek").state_digest()
            );
            let events = sim.events_processed();
            let start = p0.history.before_event_start(events - 1).expect("start");
            let mut work = Loading::step_back(start, events - 1);
            let back = loop {
                match work.run(&p0.history, slice).expect("replays") {
                    Progress::Working(next) => work = next,
                    Progress::Moment(sim) => break sim,
                    Progress::Opened { .. } => unreachable!("a step back opens nothing"),
                }
            };
            assert_eq!(
                back.state_digest(),
                p0.history
                    .before_event(events - 1)
                    .expect("back")
                    .state_digest()
            );
        }
    }

    #[test]
    fn a_frame_plays_at_most_one_slice_so_a_busy_run_falls_behind_instead_of_freezing() {
        // Nine servers, heartbeats every 10 ms, elections that churn on a slow network
        // where every other message arrives twice: within the bounds, and busier than
        // a frame can show.
        let mut config = crate::sim::SimConfig::with_seed(9, 3);
        config.raft.heartbeat_interval = 10 * MS;
        config.raft.election_timeout_min = 20 * MS;
        config.raft.election_timeout_max = 30 * MS;
        config.net.latency_min = MS;
        config.net.latency_max = 200 * MS;
        config.net.duplicate_permille = 500;
        let mut p = Playground::from_sim(Sim::new(config.clone()).expect("within the bounds"));
        p.apply(Action::SetSpeed(crate::ui::geometry::SPEED_MAX_EXP));
        p.playing = true;
        let before = p.sim.events_processed();
        p.apply(Action::Frame { elapsed_ms: 100.0 });
        let done = p.sim.events_processed() - before;
        assert_eq!(done, crate::ui::playground::FRAME_EVENTS);
        assert!(p.sim.now() < 1_000 * MS, "behind the clock");
        // The clock stopped where the events did; the run is the same run.
        let mut alone = Sim::new(config).expect("valid");
        alone
            .follow_events(&[], p.sim.events_processed())
            .expect("replay");
        assert_eq!(alone.state_digest(), p.sim.state_digest());
    }
}
