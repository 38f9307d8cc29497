//! The guided tour's page state: which chapter and step is shown, the step's checkpoint,
//! and the question being asked. Next plays the next step live on the page's own
//! simulator: the step's actions are computed on a copy first (the chapter's script in
//! `sim::tour`), recorded as the run's planned future, and played at the page's speed
//! until the run stands exactly at the checkpoint, where it pauses. Back and deep links
//! rebuild a step from the chapter's seed, which lands on the identical state.

use crate::raft::Time;
use crate::sim::tour::{self, Answer, CHAPTERS, Invite, Question};
use crate::sim::{Intervention, Sim};

use crate::ui::playground::Playground;

/// The tour's speed: a 150 ms election timeout drains in about five seconds.
pub const TOUR_SPEED_EXP: f64 = -1.5;

#[derive(Clone, Debug)]
pub struct Tour {
    pub chapter: usize,
    pub step: usize,
    /// The run at this step's checkpoint: what the caption describes. While the step
    /// plays, the page's run is still on its way there.
    pub checkpoint: Box<Sim>,
    /// The run has reached the checkpoint (and is paused there).
    pub arrived: bool,
    /// The question of this chapter that is open or waiting to be answered by the run.
    pub asked: Option<Asked>,
}

#[derive(Clone, Debug)]
pub struct Asked {
    pub step: usize,
    pub question: Question,
    /// The step whose checkpoint answers it.
    pub answered_at: usize,
    pub before: Box<Sim>,
    pub guess: Option<Answer>,
}

/// What the reader can do in the tour.
#[derive(Clone, Debug, PartialEq)]
pub enum TourAction {
    /// Show this step (0-based), rebuilt from the chapter's seed, paused at its checkpoint.
    Open {
        chapter: usize,
        step: usize,
    },
    /// Play the next step (or finish the one playing).
    Next,
    Back,
    Guess(Answer),
    /// Leave the tour for the sandbox, with the run exactly as it is.
    TryItYourself,
    /// Back to the step the reader left the tour at (the start, the first time).
    Resume,
}

impl Tour {
    pub fn steps(&self) -> usize {
        CHAPTERS[self.chapter].steps.len()
    }

    pub fn chapter_id(&self) -> &'static str {
        CHAPTERS[self.chapter].id
    }

    /// The page address of this step: `#/tour/split-vote/2` (steps count from 1).
    pub fn fragment(&self) -> String {
        format!("#/tour/{}/{}", self.chapter_id(), self.step + 1)
    }

    pub fn is_last(&self) -> bool {
        self.chapter + 1 == CHAPTERS.len() && self.step + 1 == self.steps()
    }

    pub fn is_first(&self) -> bool {
        self.chapter == 0 && self.step == 0
    }

    /// Whether `intervention` is what this step asks the reader to do ("Crash S3"), done
    /// by hand: from the inspector or a key rather than the caption's button.
    pub fn invites(&self, intervention: &Intervention, sim: &Sim) -> bool {
        if !self.arrived {
            return false;
        }
        match (CHAPTERS[self.chapter].steps[self.step].invite, intervention) {
            (Some(Invite::CrashLeader), Intervention::Crash(id)) => sim.leader() == Some(*id),
            (Some(Invite::RestartDown), Intervention::Restart(id)) => {
                tour::down_server(sim) == Some(*id)
            }
            (Some(Invite::Heal), Intervention::Heal) => true,
            _ => false,
        }
    }

    /// The question open at this step, if it has not been answered by the run yet.
    pub fn open_question(&self) -> Option<&Asked> {
        self.asked.as_ref().filter(|a| a.step == self.step)
    }

    /// The run's answer to a question, once this step's checkpoint holds it:
    /// (the question, the reader's guess, what the run did).
    pub fn revealed(&self) -> Option<(Question, Option<Answer>, Answer)> {
        let a = self.asked.as_ref()?;
        (a.answered_at == self.step && self.arrived).then(|| {
            (
                a.question,
                a.guess,
                a.question.answer(&a.before, &self.checkpoint),
            )
        })
    }
}

/// What a tour fragment asks for: `#/tour`, `#/tour/<chapter>`, `#/tour/<chapter>/<step>`.
/// `Err` explains a link that names no chapter or step.
pub fn parse_tour_path(path: &str) -> Result<(usize, usize), String> {
    let mut parts = path.split('/').filter(|p| !p.is_empty());
    let Some(id) = parts.next() else {
        return Ok((0, 0));
    };
    let chapter = tour::chapter_index(id).ok_or_else(|| format!("no tour chapter “{id}”"))?;
    let step = match parts.next() {
        None => 0,
        Some(n) => match n.parse::<usize>() {
            Ok(k) if (1..=CHAPTERS[chapter].steps.len()).contains(&k) => k - 1,
            _ => {
                return Err(format!(
                    "chapter “{id}” has steps 1 to {}, not “{n}”",
                    CHAPTERS[chapter].steps.len()
                ));
            }
        },
    };
    if parts.next().is_some() {
        return Err(format!("“{path}” is not a tour step"));
    }
    Ok((chapter, step))
}

impl Playground {
    /// A page showing this tour step, paused at its checkpoint.
    pub fn at_tour_step(chapter: usize, step: usize) -> Result<Playground, String> {
        let sim = tour::build(chapter, step)?;
        let mut p = Playground::from_script(sim.script());
        if let Some(e) = p.notice.take() {
            return Err(e);
        }
        p.tour = Some(Tour {
            chapter,
            step,
            checkpoint: Box::new(sim),
            arrived: true,
            asked: pending_question(chapter, step)?,
        });
        p.ask_if_asking();
        Ok(p)
    }

    pub(super) fn tour_action(&mut self, action: TourAction) {
        match action {
            TourAction::Open { chapter, step } => self.open_tour_step(chapter, step),
            TourAction::Resume => {
                let (chapter, step) = self.tour_left_at.unwrap_or((0, 0));
                self.open_tour_step(chapter, step);
            }
            TourAction::Next => self.tour_next(),
            TourAction::Back => {
                let Some(t) = &self.tour else { return };
                let (chapter, step) = (t.chapter, t.step);
                if step > 0 {
                    self.open_tour_step(chapter, step - 1);
                } else if chapter > 0 {
                    self.open_tour_step(chapter - 1, CHAPTERS[chapter - 1].steps.len() - 1);
                }
            }
            TourAction::Guess(answer) => {
                if let Some(asked) = self.tour.as_mut().and_then(|t| t.asked.as_mut()) {
                    asked.guess = Some(answer);
                }
            }
            TourAction::TryItYourself => self.leave_tour(),
        }
    }

    /// The sandbox takes over the run as it stands. The rest of a step that was playing
    /// is not the reader's future: it is dropped from the recorded tape.
    pub fn leave_tour(&mut self) {
        if let Some(t) = self.tour.take() {
            self.tour_left_at = Some((t.chapter, t.step));
            self.playing = false;
            let _ = self
                .history
                .plan(&self.sim, self.sim.script().steps, self.sim.now());
        }
    }

    fn open_tour_step(&mut self, chapter: usize, step: usize) {
        match Playground::at_tour_step(chapter, step) {
            Ok(mut opened) => {
                // The tour's own speed the first time; after that, the reader's.
                if self.tour.is_none() && self.tour_left_at.is_none() {
                    self.speed_exp = TOUR_SPEED_EXP;
                }
                opened.carry_over(self);
                *self = opened;
            }
            Err(e) => self.notice = Some(e),
        }
    }

    fn tour_next(&mut self) {
        let Some(t) = &self.tour else { return };
        if !t.arrived {
            // Next while a step plays: finish it at once.
            let target = (t.checkpoint.now(), t.checkpoint.events_processed());
            self.play_tour_to(target.0, target);
            return;
        }
        let (chapter, step) = if t.step + 1 < t.steps() {
            (t.chapter, t.step + 1)
        } else if t.chapter + 1 < CHAPTERS.len() {
            (t.chapter + 1, 0)
        } else {
            return;
        };
        let asked = t.asked.clone().filter(|_| chapter == t.chapter);
        if let Err(e) = self.start_tour_step(chapter, step, asked) {
            self.notice = Some(e);
        }
    }

    /// Plays step `step` live: from a fresh cluster when the step starts one, else from
    /// the run as it stands (the previous checkpoint).
    fn start_tour_step(
        &mut self,
        chapter: usize,
        step: usize,
        asked: Option<Asked>,
    ) -> Result<(), String> {
        let s = CHAPTERS
            .get(chapter)
            .and_then(|c| c.steps.get(step))
            .ok_or("there is no such step")?;
        // Everything that can fail happens before the page changes: a step that cannot
        // be played leaves the page as it was, with a notice.
        let mut fresh = match s.fresh {
            Some(_) => {
                let mut p = Playground::from_script(tour::begin(s)?.script());
                if let Some(e) = p.notice.take() {
                    return Err(e);
                }
                p.carry_over(self);
                Some(p)
            }
            None => None,
        };
        let page = fresh.as_mut().unwrap_or(self);
        let mut target = page.sim.clone();
        (s.act)(&mut target)?;
        (s.check)(&target)?;
        page.history
            .plan(&page.sim, target.script().steps, target.now())?;
        if let Some(fresh) = fresh {
            *self = fresh;
        }
        self.tour = Some(Tour {
            chapter,
            step,
            checkpoint: Box::new(target),
            arrived: false,
            asked,
        });
        self.selected = crate::ui::playground::Selection::Nothing;
        self.playing = true;
        // A step with nothing to play (a question, or an action at this instant) arrives
        // at once.
        self.play_tour_to(self.sim.now(), self.tour_target().unwrap_or_default());
        Ok(())
    }

    /// Where the playing step stops: its checkpoint's time and event count.
    pub fn tour_target(&self) -> Option<(Time, u64)> {
        let t = self.tour.as_ref().filter(|t| !t.arrived)?;
        Some((t.checkpoint.now(), t.checkpoint.events_processed()))
    }

    /// Runs the page's simulator towards the playing step's checkpoint, no further than
    /// `until`; pauses there once it is reached.
    pub(super) fn play_tour_to(&mut self, until: Time, target: (Time, u64)) {
        let until = until.min(target.0);
        let events = (until == target.0).then_some(target.1);
        if let Err(e) = self.history.advance_to(&mut self.sim, until, events) {
            self.notice = Some(e);
            self.playing = false;
        }
        let reached = self.sim.now() >= target.0 && self.sim.events_processed() >= target.1;
        if reached && let Some(t) = self.tour.as_mut() {
            t.arrived = true;
            self.playing = false;
            self.ask_if_asking();
        }
    }

    /// Opens the question of the step just reached, if it has one.
    fn ask_if_asking(&mut self) {
        let Some(t) = self.tour.as_mut() else { return };
        if let Some((question, later)) = CHAPTERS[t.chapter].steps[t.step].question {
            t.asked = Some(Asked {
                step: t.step,
                question,
                answered_at: t.step + later,
                before: t.checkpoint.clone(),
                guess: None,
            });
        }
    }
}

/// The question a step of the chapter asked that this step or a later one answers:
/// opening a step by link or Back shows the answer too (with no guess).
fn pending_question(chapter: usize, step: usize) -> Result<Option<Asked>, String> {
    let steps = CHAPTERS.get(chapter).map(|c| c.steps).unwrap_or(&[]);
    for (k, s) in steps.iter().enumerate().take(step) {
        if let Some((question, later)) = s.question
            && step <= k + later
        {
            return Ok(Some(Asked {
                step: k,
                question,
                answered_at: k + later,
                before: Box::new(tour::build(chapter, k)?),
                guess: None,
            }));
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::playground::Action;

    fn at(chapter: &str, step: usize) -> Playground {
        let c = tour::chapter_index(chapter).expect("chapter");
        Playground::at_tour_step(c, step).expect("step builds")
    }

    /// Plays frames until the step reaches its checkpoint.
    fn play_out(p: &mut Playground) -> usize {
        let mut frames = 0;
        while p.tour_target().is_some() && frames < 100_000 {
            p.apply(Action::Frame { elapsed_ms: 16.0 });
            frames += 1;
        }
        frames
    }

    #[test]
    fn next_plays_each_step_live_to_the_same_state_back_rebuilds() {
        for (c, chapter) in CHAPTERS.iter().enumerate() {
            let mut p = Playground::at_tour_step(c, 0).unwrap();
            for k in 1..chapter.steps.len() {
                p.apply(Action::Tour(TourAction::Next));
                let t = p.tour.as_ref().unwrap();
                assert_eq!((t.chapter, t.step), (c, k));
                play_out(&mut p);
                assert!(
                    !p.playing,
                    "{} step {}: paused at the checkpoint",
                    chapter.id,
                    k + 1
                );
                assert_eq!(
                    (p.panel_revision, p.logs_revision),
                    (p.revision, p.revision),
                    "{} step {}: the logs and event log show the checkpoint",
                    chapter.id,
                    k + 1
                );
                let rebuilt = tour::build(c, k).unwrap();
                assert_eq!(
                    p.sim.state_digest(),
                    rebuilt.state_digest(),
                    "{} step {}",
                    chapter.id,
                    k + 1
                );
                assert!(tour::safe_as_told(chapter.id, k, &p.sim));
            }
            for k in (0..chapter.steps.len() - 1).rev() {
                p.apply(Action::Tour(TourAction::Back));
                assert_eq!(
                    p.sim.state_digest(),
                    tour::build(c, k).unwrap().state_digest()
                );
                assert!(!p.playing);
            }
        }
    }

    #[test]
    fn next_at_a_chapter_end_opens_the_next_chapter_and_back_returns() {
        let mut p = at("consensus", CHAPTERS[0].steps.len() - 1);
        p.apply(Action::Tour(TourAction::Next));
        play_out(&mut p);
        let t = p.tour.as_ref().unwrap();
        assert_eq!((t.chapter_id(), t.step), ("roles-and-terms", 0));
        p.apply(Action::Tour(TourAction::Back));
        let t = p.tour.as_ref().unwrap();
        assert_eq!((t.chapter, t.step), (0, CHAPTERS[0].steps.len() - 1));
    }

    #[test]
    fn next_while_playing_finishes_the_step_and_pause_holds_it() {
        let mut p = at("election", 0);
        p.apply(Action::Tour(TourAction::Next));
        p.apply(Action::Frame { elapsed_ms: 16.0 });
        assert!(
            p.tour_target().is_some(),
            "the timer takes seconds to drain"
        );
        p.apply(Action::Pause);
        let paused = p.sim.now();
        p.apply(Action::Frame { elapsed_ms: 500.0 });
        assert_eq!(p.sim.now(), paused, "nothing runs while paused");
        p.apply(Action::Tour(TourAction::Next));
        assert!(p.tour_target().is_none());
        assert_eq!(
            p.sim.state_digest(),
            tour::build(2, 1).unwrap().state_digest()
        );
    }

    #[test]
    fn a_guess_is_revealed_by_the_run() {
        let mut p = at("split-vote", 0);
        assert!(p.tour.as_ref().unwrap().open_question().is_some());
        p.apply(Action::Tour(TourAction::Guess(Answer::Server(Some(0)))));
        p.apply(Action::Tour(TourAction::Next));
        play_out(&mut p);
        let (_, guess, answer) = p.tour.as_ref().unwrap().revealed().expect("revealed");
        assert_eq!(guess, Some(Answer::Server(Some(0))));
        assert_eq!(answer, Answer::Server(None), "a split vote elects nobody");
        // Opened by link or by Back, an answering step shows its answer, with no guess.
        for (chapter, step, expected) in [
            ("split-vote", 1, Answer::Server(None)),
            ("partition", 4, Answer::YesNo(false)),
            ("figure-8", 2, Answer::YesNo(false)),
        ] {
            let q = at(chapter, step);
            let (_, guess, answer) = q.tour.as_ref().unwrap().revealed().expect(chapter);
            assert_eq!((guess, answer), (None, expected), "{chapter}");
        }
        // Between a question and its answer, the question waits; it is not open again.
        let q = at("election", 2);
        let t = q.tour.as_ref().unwrap();
        assert!(t.open_question().is_none() && t.revealed().is_none());
        assert_eq!(t.asked.as_ref().map(|a| a.answered_at), Some(3));
    }

    #[test]
    fn leaving_in_the_middle_of_a_step_drops_the_rest_of_it() {
        let mut p = at("leader-crash", 0);
        p.apply(Action::Tour(TourAction::Next)); // crash the leader: instantaneous
        p.apply(Action::Tour(TourAction::Next)); // the election: plays
        p.apply(Action::Frame { elapsed_ms: 16.0 });
        assert!(p.tour_target().is_some());
        let down = p.sim.servers().iter().filter(|s| !s.up).count();
        p.apply(Action::Tour(TourAction::TryItYourself));
        let at_leave = p.sim.interventions().len();
        p.apply(Action::SetSpeed(1.0));
        p.apply(Action::TogglePlay);
        for _ in 0..200 {
            p.apply(Action::Frame { elapsed_ms: 16.0 });
        }
        assert_eq!(
            p.sim.interventions().len(),
            at_leave,
            "no tour action replays"
        );
        assert_eq!(p.sim.servers().iter().filter(|s| !s.up).count(), down);
        assert!(!p.history.in_past(&p.sim));
        // The Tour button brings the reader back to that step, at their speed.
        p.apply(Action::Tour(TourAction::Resume));
        let t = p.tour.as_ref().unwrap();
        assert_eq!((t.chapter_id(), t.step), ("leader-crash", 2));
        assert_eq!(p.speed_exp, 1.0);
    }

    #[test]
    fn acting_in_the_tour_hands_the_run_to_the_sandbox_unchanged() {
        let mut p = at("partition", 2);
        let before = p.sim.state_digest();
        p.apply(Action::Tour(TourAction::TryItYourself));
        assert!(p.tour.is_none());
        assert_eq!(p.sim.state_digest(), before);
        let mut q = at("partition", 2);
        q.apply(Action::WriteToLeader);
        assert!(q.tour.is_none(), "a write is the reader taking over");
        assert_eq!(q.sim.writes().len(), p.sim.writes().len() + 1);
        // The sandbox can rewind into the tour's run.
        q.apply(Action::Seek(0));
        assert_eq!(q.sim.now(), 0);
    }

    #[test]
    fn doing_what_a_step_invites_by_hand_is_next() {
        let mut p = at("leader-crash", 0);
        let leader = p.sim.leader().unwrap();
        p.apply(Action::Do(Intervention::Crash(leader)));
        let t = p.tour.as_ref().expect("still in the tour");
        assert_eq!(t.step, 1);
        play_out(&mut p);
        assert_eq!(
            p.sim.state_digest(),
            tour::build(5, 1).unwrap().state_digest()
        );
        // Anything else is the reader taking over.
        let mut q = at("leader-crash", 0);
        let follower = (leader + 1) % 5;
        q.apply(Action::Do(Intervention::Crash(follower)));
        assert!(q.tour.is_none());
    }

    #[test]
    fn tour_links_name_a_chapter_and_a_step_or_explain_why_not() {
        assert_eq!(parse_tour_path(""), Ok((0, 0)));
        assert_eq!(parse_tour_path("split-vote"), Ok((3, 0)));
        assert_eq!(parse_tour_path("split-vote/3"), Ok((3, 2)));
        assert!(parse_tour_path("split-vote/0").is_err());
        assert!(parse_tour_path("split-vote/99").is_err());
        assert!(parse_tour_path("nope/1").unwrap_err().contains("nope"));
        assert!(parse_tour_path("split-vote/1/x").is_err());
        let mut q = Playground::new(1, 3).unwrap();
        q.apply(crate::ui::playground::fragment_action("#/tour/partition/3/present").unwrap());
        assert!(q.presenter);
        assert_eq!(q.tour.as_ref().unwrap().fragment(), "#/tour/partition/3");
        let before = q.sim.state_digest();
        q.apply(crate::ui::playground::fragment_action("#/tour/partition/x").unwrap());
        assert!(q.notice.as_deref().unwrap_or("").contains("partition"));
        assert_eq!(
            q.sim.state_digest(),
            before,
            "a bad tour link changes nothing"
        );
        let p = at("split-vote", 2);
        assert_eq!(p.tour.as_ref().unwrap().fragment(), "#/tour/split-vote/3");
    }
}
