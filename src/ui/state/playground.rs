//! What the page is showing and doing, as plain data: the simulator plus the UI's own
//! choices (playing or paused, speed, selection). Components send [`Action`]s; this is
//! the one place they take effect. No web crates here, so it is tested natively.

use crate::raft::{Command, MS, NodeId, ReadMode, Time};
use crate::sim::{
    Agreement, DropReason, EventKind, Intervention, MsgId, RunScript, Sim, SimConfig, TraceEvent,
    WriteTarget, decode_link, encode_link, read_trace, scenario,
};

use crate::ui::geometry::{speed_from_slider, speed_label, virtual_advance};
use crate::ui::history::History;
use crate::ui::lab::{Lab, LabAction, LabPage};
use crate::ui::lang::Lang;
use crate::ui::loading::{Loaded, Loading, Progress, SLICE_EVENTS};
use crate::ui::tour::{Tour, TourAction, parse_tour_path};
use crate::ui::words;

/// The end of a tour address that opens it in presenter mode: `#/tour/election/2/present`.
pub const PRESENTING: &str = "/present";

/// The speed a class starts at: one 15 ms message takes about a second on screen.
pub const DEFAULT_SPEED_EXP: f64 = -1.8;
/// How often, in real milliseconds, the slow panels follow a playing cluster.
pub const PANEL_REFRESH_MS: f64 = 100.0;
/// A long-running page keeps about this many of the newest events for its event log.
pub const TRACE_KEPT: usize = 5_000;
/// The most events one animation frame plays: a busy run of ordinary settings plays a
/// few hundred a frame even at 10×; a storm within the bounds (nine servers, 10 ms
/// heartbeats, churning elections, duplication) asks for about 8,000, more than a frame
/// has time for, and falls behind the clock instead.
pub const FRAME_EVENTS: u64 = 5_000;
/// While playing, the live region speaks at most this often (real milliseconds), so a
/// screen reader can finish a sentence; anything a person does is said at once.
pub const NARRATE_MS: f64 = 2_500.0;

/// What the inspector shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Selection {
    Nothing,
    Server(NodeId),
    Message(MsgId),
}

/// Everything a person can ask the page to do.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// `elapsed_ms` of real time passed since the last animation frame.
    Frame {
        elapsed_ms: f64,
    },
    TogglePlay,
    Pause,
    /// Process exactly one simulator event (and pause).
    Step,
    /// Go back one simulator event (and pause), rebuilt from the history.
    StepBack,
    /// Speed slider position, log10 of the speed.
    SetSpeed(f64),
    /// Start over with this seed and cluster size.
    Reset {
        seed: u64,
        servers: u8,
    },
    Select(Selection),
    /// Anything the simulator itself can do: crash, restart, write, partition, …
    Do(Intervention),
    /// A client write to the leader with a generated command (the `C` key).
    WriteToLeader,
    /// A client read from the leader of the key written last (the `R` key), the way
    /// [`Playground::read_mode`] says.
    ReadFromLeader,
    /// How the control bar's reads are served.
    SetReadMode(ReadMode),
    /// Split into a majority and a minority that holds the current leader.
    SplitLeaderInMinority,
    ToggleHelp,
    /// Single-key shortcuts on or off (WCAG 2.1.4: a speech-input user may need them off).
    ToggleShortcuts,
    ToggleMessagesInLog,
    DismissNotice,
    /// Tell the user something could not be done (bad input in a field).
    Notify(String),
    /// Open a scenario of the gallery by its name (as in `#/scenario/split-vote`).
    OpenScenario(String),
    /// Import a trace file's text: its replay replaces this run; a bad file changes nothing.
    ImportTrace(String),
    /// Show the run as it was (or will be, on the recorded tape) at this virtual time.
    Seek(Time),
    /// Show every word on the page in this language.
    SetLang(Lang),
    /// Anything the guided tour does: open a step, Next, Back, a guess, leave.
    Tour(TourAction),
    /// Open the tour step a page address names (the text after `#/tour`).
    OpenTour(String),
    /// Large type, high contrast, side panels hidden: for a projector.
    TogglePresenter,
    /// → (and N): the tour's Next, else one simulator step.
    Forward,
    /// ← (and B): the tour's Back, else one simulator step back.
    Backward,
    /// Esc: close the help, else leave presenter mode, else close the inspector.
    Escape,
    /// Open a share link's payload (the text after `#/run/`): the run it describes
    /// replaces this one, paused at its playhead; a bad link changes nothing.
    OpenLink(String),
    /// Stop opening a link or a trace, or rebuilding a moment: the run shown stays.
    CancelLoading,
    /// Show a page of the lab (`#/lab/…`), with the rule a break-a-rule address picks.
    OpenLab(LabPage, Option<crate::raft::BrokenRule>),
    /// Anything done on a lab page.
    Lab(LabAction),
}

/// The UI's state around one simulated cluster.
#[derive(Clone, Debug)]
pub struct Playground {
    pub sim: Sim,
    /// The recorded run: checkpoints, tape and timeline marks (time travel).
    pub history: History,
    pub playing: bool,
    pub speed_exp: f64,
    pub selected: Selection,
    /// The last thing that could not be done, in words (shown until dismissed).
    pub notice: Option<String>,
    pub help_open: bool,
    /// The language every word on the page is in.
    pub lang: Lang,
    /// The guided tour, while the page is in it.
    pub tour: Option<Tour>,
    /// Presenter mode: for a projector at the front of a class.
    pub presenter: bool,
    /// Work done a slice per frame (opening a long run, a far seek), while the run
    /// shown waits, paused.
    pub loading: Option<Loading>,
    /// The tour step the reader left for the sandbox, where the Tour button returns.
    pub tour_left_at: Option<(usize, usize)>,
    /// Show every send and delivery in the event log, not only decisions.
    pub messages_in_log: bool,
    /// Letters, Space and ? act as shortcuts (arrows, PageUp/PageDown and Esc always do).
    pub shortcuts: bool,
    /// The reader's system asks for reduced motion: the page starts paused and messages
    /// jump instead of gliding.
    pub reduced_motion: bool,
    /// Bumped whenever something other than the clock changed, so panels that do not
    /// move with time (logs, event log, inspector) re-render only then.
    pub revision: u64,
    /// The revision the slow panels (logs, event log, controls) show. While playing it
    /// follows `revision` at most every [`PANEL_REFRESH_MS`] of real time: at 10× speed
    /// events happen every frame, and redrawing every table 60 times a second is wasted
    /// work nobody can read. Anything a person does shows at once, except a client write
    /// while playing, which the cluster shows at once and the panels at their next refresh.
    pub panel_revision: u64,
    /// The revision the logs table shows: the same as `panel_revision`, except that while
    /// a run plays the table follows the other panels' refresh one frame later. The table
    /// is the page's largest panel, so a refresh is spread over two frames instead of one
    /// (issue 16: the slowest frames were the refreshes). It reads the run as it is when it
    /// draws, so while playing it is at most one frame's events apart from the other
    /// panels; when the run pauses or stops, or a person acts (except a client write while
    /// playing, which all panels show at their next refresh), it shows at once with them.
    pub logs_revision: u64,
    since_panel_ms: f64,
    /// What the live region says now: the news since it last spoke (see
    /// [`crate::ui::narration`]), or the answer to what a person just did.
    pub narration: String,
    /// The trace position (in the whole run's numbering) up to which it has spoken.
    narrated_upto: u64,
    since_narration_ms: f64,
    writes_generated: i64,
    /// How the control bar's Read button and the `R` key read: ReadIndex unless the
    /// reader picks a local read.
    pub read_mode: ReadMode,
    /// The lab's experiments, and whether a lab page is shown instead of the sandbox.
    pub lab: Lab,
}

impl Playground {
    /// The key the control bar reads: the one written last, else `x`.
    pub fn read_key(&self) -> String {
        self.sim
            .writes()
            .last()
            .and_then(|w| match &w.command {
                Command::Set { key, .. } | Command::Del { key } => Some(key.to_string()),
                Command::Noop | Command::Config(_) => None,
            })
            .unwrap_or_else(|| "x".to_string())
    }

    pub fn new(seed: u64, servers: u8) -> Result<Playground, String> {
        Ok(Playground::from_sim(Sim::new(SimConfig::with_seed(
            servers, seed,
        ))?))
    }

    /// The page around an existing run (a replayed link), paused when it has started.
    pub fn from_sim(mut sim: Sim) -> Playground {
        sim.set_trace_limit(Some(TRACE_KEPT));
        let playing = sim.now() == 0;
        Playground {
            history: History::new(&sim, sim.script().steps, sim.now()),
            sim,
            playing,
            speed_exp: DEFAULT_SPEED_EXP,
            selected: Selection::Nothing,
            notice: None,
            help_open: false,
            lang: Lang::En,
            tour: None,
            presenter: false,
            loading: None,
            tour_left_at: None,
            messages_in_log: false,
            shortcuts: true,
            reduced_motion: false,
            revision: 0,
            panel_revision: 0,
            logs_revision: 0,
            since_panel_ms: 0.0,
            narration: String::new(),
            narrated_upto: 0,
            since_narration_ms: 0.0,
            writes_generated: 0,
            read_mode: ReadMode::ReadIndex,
            lab: Lab::default(),
        }
    }

    /// A shared run: replayed from time 0 with its interventions as the recorded tape,
    /// taking checkpoints on the way, and paused at the link's playhead. At once, for
    /// runs the page itself scripts (scenarios, the tour); links and traces open a
    /// slice per frame ([`Loading`]).
    pub fn from_script(script: RunScript) -> Playground {
        let start = Sim::prepared(&script);
        let mut p = match start {
            Ok(sim) => Playground::opening(sim, &script),
            Err(e) => {
                let mut p =
                    Playground::new(0, 5).unwrap_or_else(|_| unreachable!("defaults are valid"));
                p.notice = Some(e);
                return p;
            }
        };
        if let Err(e) = p
            .history
            .advance_to(&mut p.sim, script.playhead, script.playhead_events)
        {
            p.notice = Some(e);
        }
        p
    }

    /// The page around `sim`, the start of `script`, with the script's interventions as
    /// its recorded tape up to its playhead: what a replay of the script goes on from.
    fn opening(sim: Sim, script: &RunScript) -> Playground {
        let mut p = Playground::from_sim(sim);
        p.history = History::new(&p.sim, script.steps.clone(), script.playhead);
        p.playing = false;
        p
    }

    /// Whether the page needs animation frames: to play, or to go on with its loading.
    pub fn wants_frames(&self) -> bool {
        if self.lab.shown.is_some() {
            return self.lab.running();
        }
        self.playing || self.loading.is_some()
    }

    /// The share link payload for this run at this moment, or, when a link could not
    /// reopen this run (the page refuses links beyond the bounds it replays), why not and
    /// what to do instead: the page never hands out a link it would refuse.
    pub fn link_payload(&self) -> Result<String, String> {
        let script = self.sim.script();
        if let Err(reason) = crate::sim::bounds::check_script(&script) {
            return Err(self.too_big_to_reopen(&reason));
        }
        let payload = encode_link(&script);
        if payload.len() > crate::sim::MAX_LINK_LEN {
            return Err(match self.lang {
                Lang::En => format!(
                    "No link for this run: it would be {} characters long, and a link may have at most {}. Export trace saves the whole run in a file that reopens it.",
                    payload.len(),
                    crate::sim::MAX_LINK_LEN
                ),
                Lang::Zh => format!(
                    "这次运行没有分享链接：链接会长达 {} 个字符，而链接最多只能有 {} 个字符。请用“导出轨迹”把整次运行保存成文件，导入后即可重新打开。",
                    payload.len(),
                    crate::sim::MAX_LINK_LEN
                ),
            });
        }
        Ok(payload)
    }

    /// Why neither a link nor a trace file of this run could reopen it, if that is so.
    /// (A trace file is still saved: its events can be read.)
    pub fn export_problem(&self) -> Option<String> {
        crate::sim::bounds::check_script(&self.sim.script())
            .err()
            .map(|reason| self.too_big_to_reopen(&reason))
    }

    fn too_big_to_reopen(&self, reason: &str) -> String {
        match self.lang {
            Lang::En => format!(
                "This run is beyond what a link or a trace file can reopen ({reason}). Reset, or keep this tab open to go on with it."
            ),
            Lang::Zh => format!(
                "这次运行超出了分享链接或轨迹文件能够重新打开的范围（{}）。请重置，或保留这个标签页继续运行。",
                words::refusal(Lang::Zh, reason)
            ),
        }
    }

    pub fn seed(&self) -> u64 {
        self.sim.config().seed
    }

    pub fn servers(&self) -> usize {
        self.sim.servers().len()
    }

    pub fn speed(&self) -> f64 {
        speed_from_slider(self.speed_exp)
    }

    /// What a page that replaces this one keeps: the reader's settings.
    pub fn carry_over(&mut self, from: &Playground) {
        self.speed_exp = from.speed_exp;
        self.revision = from.revision;
        self.lang = from.lang;
        self.presenter = from.presenter;
        self.tour_left_at = from.tour_left_at;
        self.messages_in_log = from.messages_in_log;
        self.shortcuts = from.shortcuts;
        self.reduced_motion = from.reduced_motion;
        // Opened while a run loaded, the help stays open when the loaded run replaces it.
        self.help_open = from.help_open;
        self.read_mode = from.read_mode;
        // The lab's results wait for the reader's Back from a trial opened in the sandbox.
        self.lab = from.lab.clone();
    }

    pub fn apply(&mut self, action: Action) {
        let notice_before = self.notice.clone();
        let loading_before = self.loading.is_some();
        let said = match &action {
            Action::Frame { elapsed_ms } if elapsed_ms.is_finite() => {
                Said::Frame(elapsed_ms.max(0.0))
            }
            Action::Frame { .. } => Said::Frame(0.0),
            Action::Step | Action::Forward if self.tour.is_none() => Said::Step,
            Action::StepBack | Action::Backward if self.tour.is_none() => Said::StepBack,
            Action::TogglePlay => Said::Playing,
            Action::TogglePresenter => Said::Presenter,
            Action::Escape if !self.help_open && self.presenter => Said::Presenter,
            // Paced like the panels that show it (see `apply_action`): the news it brings
            // is said with the time's, not replaced before the live region shows it.
            Action::WriteToLeader if self.playing => Said::Frame(0.0),
            _ => Said::Action,
        };
        self.apply_action(action);
        let said = match said {
            // Work that outlasts the action: say what is being done and how to stop it.
            Said::Action | Said::StepBack if self.loading.is_some() && !loading_before => {
                Said::Loading
            }
            said => said,
        };
        self.narrate(said, notice_before);
    }

    /// While a lab page is shown: whether `action` is for it (or for the page around it),
    /// running a frame of the lab's work on the way. The sandbox is not on screen, so its
    /// shortcuts do nothing; leaving for a run (a trial's link, the tour) closes the lab.
    fn lab_takes(&mut self, action: &Action) -> bool {
        match action {
            Action::Frame { elapsed_ms } => {
                if self.lab.running() {
                    self.lab.frame(if elapsed_ms.is_finite() {
                        elapsed_ms.max(0.0)
                    } else {
                        0.0
                    });
                    self.revision += 1;
                    self.panel_revision = self.revision;
                }
                false
            }
            Action::Escape if !self.help_open && self.lab.running() => {
                self.lab.apply(LabAction::Cancel);
                self.revision += 1;
                false
            }
            Action::Lab(_)
            | Action::OpenLab(..)
            | Action::SetLang(_)
            | Action::Notify(_)
            | Action::DismissNotice
            | Action::ToggleHelp
            | Action::ToggleShortcuts
            | Action::Escape => true,
            Action::OpenLink(_)
            | Action::OpenTour(_)
            | Action::OpenScenario(_)
            | Action::Tour(TourAction::TryItYourself | TourAction::Resume)
            | Action::Reset { .. }
            | Action::ImportTrace(_) => {
                self.lab.shown = None;
                true
            }
            _ => false,
        }
    }

    fn apply_action(&mut self, action: Action) {
        if self.lab.shown.is_some() && !self.lab_takes(&action) {
            return;
        }
        let events_before = self.sim.events_processed();
        let was_playing = self.playing;
        let was_loading = self.loading.is_some();
        // A second ← while a step back is still replaying goes one further back.
        let stepping_back_to = self.loading.as_ref().and_then(Loading::step_back_target);
        // Doing by hand what a tour step asks for ("Crash S3") is that step's Next.
        if let Action::Do(i) = &action
            && self.tour.as_ref().is_some_and(|t| t.invites(i, &self.sim))
        {
            self.apply(Action::Tour(TourAction::Next));
            return;
        }
        // Changing the run itself is the reader taking over: the tour hands it to the
        // sandbox as it stands.
        if matches!(
            action,
            Action::Step
                | Action::StepBack
                | Action::Reset { .. }
                | Action::Do(_)
                | Action::WriteToLeader
                | Action::ReadFromLeader
                | Action::SplitLeaderInMinority
                | Action::OpenScenario(_)
                | Action::ImportTrace(_)
                | Action::Seek(_)
                | Action::OpenLink(_)
                | Action::OpenLab(..)
        ) {
            self.leave_tour();
        }
        // Anything else that changes the run replaces work in progress (a new seek while
        // an older one is still replaying, say); settings and the view leave it going.
        if !matches!(
            action,
            Action::Frame { .. }
                | Action::Pause
                | Action::SetSpeed(_)
                | Action::Select(_)
                | Action::ToggleHelp
                | Action::ToggleShortcuts
                | Action::ToggleMessagesInLog
                | Action::DismissNotice
                | Action::SetLang(_)
                | Action::Notify(_)
                | Action::TogglePresenter
                | Action::Escape
                | Action::CancelLoading
                | Action::SetReadMode(_)
        ) {
            self.loading = None;
        }
        let frame_ms = match action {
            Action::Frame { elapsed_ms } if elapsed_ms.is_finite() => Some(elapsed_ms.max(0.0)),
            Action::Frame { .. } => Some(0.0),
            _ => None,
        };
        let time_only = frame_ms.is_some();
        // A client write while the run plays (C held down, or pressed every 50 ms) joins
        // the panels' pace: the cluster shows it at once, and the tables follow at the
        // next refresh instead of being redrawn for every key (issue 16).
        let paced = time_only || (self.playing && matches!(action, Action::WriteToLeader));
        match action {
            Action::Frame { .. } if self.loading.is_some() => self.go_on_loading(),
            Action::Frame { elapsed_ms } => {
                if self.playing {
                    let until = self.sim.now() + virtual_advance(elapsed_ms, self.speed());
                    match self.tour_target() {
                        Some(target) => self.play_tour_to(until, target),
                        None => self.run_until(until),
                    }
                }
            }
            // In the tour, Space plays or pauses the step, and at a checkpoint goes on.
            Action::TogglePlay if self.tour.as_ref().is_some_and(|t| t.arrived) => {
                self.tour_action(TourAction::Next)
            }
            Action::TogglePlay => self.playing = !self.playing,
            Action::Tour(action) => self.tour_action(action),
            Action::OpenTour(path) => {
                match parse_tour_path(path.strip_suffix(PRESENTING).unwrap_or(&path)) {
                    Ok((chapter, step)) => {
                        self.tour_action(TourAction::Open { chapter, step });
                        if path.ends_with(PRESENTING) && self.tour.is_some() {
                            self.presenter = true;
                        }
                    }
                    Err(e) => {
                        self.notice = Some(match self.lang {
                            Lang::En => format!("This tour link could not be opened: {e}."),
                            Lang::Zh => format!("无法打开这个导览链接：{e}。"),
                        })
                    }
                }
            }
            // A projector view for the tour and the sandbox alike; it stays on when the
            // reader leaves the tour, since the class is still watching.
            Action::TogglePresenter => self.presenter = !self.presenter,
            Action::Forward if self.tour.is_some() => self.tour_action(TourAction::Next),
            Action::Forward => self.apply(Action::Step),
            Action::Backward if self.tour.is_some() => self.tour_action(TourAction::Back),
            Action::Backward => self.apply(Action::StepBack),
            Action::Escape if self.help_open => self.help_open = false,
            Action::Escape | Action::CancelLoading if self.loading.is_some() => {
                self.loading = None;
                self.notice = Some(
                    self.lang
                        .pick(
                            "Stopped. The run shown is unchanged.",
                            "已停止。显示的运行没有改变。",
                        )
                        .into(),
                );
            }
            Action::CancelLoading => {}
            Action::OpenLab(page, rule) => {
                self.lab.shown = Some(page);
                // What the sandbox last said (a run opened, say) is not the lab's news.
                self.notice = None;
                self.playing = false;
                self.help_open = false;
                if rule.is_some() {
                    self.lab.apply(LabAction::ChooseRule(rule));
                }
            }
            Action::Lab(action) => self.lab.apply(action),
            Action::Escape if self.presenter => self.presenter = false,
            Action::Escape => self.selected = Selection::Nothing,
            Action::Pause => self.playing = false,
            Action::Step => {
                self.playing = false;
                match self.history.step(&mut self.sim) {
                    Ok(true) => {}
                    Ok(false) => {
                        self.notice = Some(
                            self.lang
                                .pick(
                                    "Nothing is scheduled: every server is down.",
                                    "没有待处理的事件：所有服务器都已宕机。",
                                )
                                .into(),
                        )
                    }
                    Err(e) => self.refused(&e),
                }
            }
            Action::StepBack => {
                self.playing = false;
                let from = stepping_back_to.unwrap_or(self.sim.events_processed());
                match from.checked_sub(1) {
                    None => {
                        self.notice = Some(
                            self.lang
                                .pick(
                                    "This is the start of the run: there is no earlier event.",
                                    "这是运行的起点：没有更早的事件了。",
                                )
                                .into(),
                        )
                    }
                    Some(events) => match self.history.before_event_start(events) {
                        Ok(sim) => self.start_loading(Loading::step_back(sim, events)),
                        Err(e) => self.refused(&e),
                    },
                }
            }
            Action::SetSpeed(exp) => {
                if exp.is_finite() {
                    self.speed_exp = exp.clamp(
                        crate::ui::geometry::SPEED_MIN_EXP,
                        crate::ui::geometry::SPEED_MAX_EXP,
                    );
                }
            }
            Action::Reset { seed, servers } => match Playground::new(seed, servers) {
                Ok(mut fresh) => {
                    fresh.carry_over(self);
                    fresh.playing = self.playing;
                    *self = fresh;
                }
                Err(e) => self.refused(&e),
            },
            Action::Select(selection) => {
                self.selected = selection;
                // A moving message is hard to read: hold the cluster still while it is open.
                if matches!(selection, Selection::Message(_)) {
                    self.playing = false;
                }
            }
            Action::Do(intervention) => self.intervene(intervention),
            Action::WriteToLeader => {
                let keys = ["x", "y", "z"];
                let n = self.writes_generated;
                self.writes_generated += 1;
                let command = Command::Set {
                    key: keys[(n % 3) as usize].into(),
                    value: n / 3 + 1,
                };
                self.intervene(Intervention::ClientWrite {
                    to: WriteTarget::Leader,
                    command,
                });
            }
            Action::ReadFromLeader => {
                let key = self.read_key();
                self.intervene(Intervention::ClientRead {
                    to: WriteTarget::Leader,
                    key,
                    mode: self.read_mode,
                });
            }
            Action::SetReadMode(mode) => self.read_mode = mode,
            Action::SplitLeaderInMinority => {
                let groups = minority_with_leader(self.servers(), self.sim.leader());
                self.intervene(Intervention::Partition(groups));
            }
            Action::ToggleHelp => self.help_open = !self.help_open,
            Action::ToggleShortcuts => self.shortcuts = !self.shortcuts,
            Action::ToggleMessagesInLog => self.messages_in_log = !self.messages_in_log,
            Action::DismissNotice => self.notice = None,
            Action::SetLang(lang) => self.lang = lang,
            Action::Notify(text) => self.notice = Some(text),
            Action::OpenScenario(name) => match scenario(&name) {
                Some(Ok(script)) => {
                    let mut opened = Playground::from_script(script);
                    opened.carry_over(self);
                    opened.notice = words::scenario_notice(self.lang, &name);
                    *self = opened;
                }
                Some(Err(e)) => {
                    let e = words::refusal(self.lang, &e);
                    self.notice = Some(match self.lang {
                        Lang::En => format!("The scenario could not be built: {e}"),
                        Lang::Zh => format!("无法构建这个场景：{e}"),
                    })
                }
                None => {
                    self.notice = Some(match self.lang {
                        Lang::En => format!(
                            "There is no scenario called “{name}”. The running cluster is unchanged."
                        ),
                        Lang::Zh => {
                            format!("没有名为“{name}”的场景。正在运行的集群没有改变。")
                        }
                    })
                }
            },
            Action::ImportTrace(text) => {
                match read_trace(&text).and_then(|file| {
                    let start = Sim::replay_start(&file.script)?;
                    Ok(Loading::open(
                        Playground::opening(start, &file.script),
                        file.script.clone(),
                        Some(file),
                    ))
                }) {
                    Ok(loading) => self.start_loading(loading),
                    Err(e) => self.cannot_open(Loaded::Trace, &e),
                }
            }
            Action::Seek(t) => {
                self.playing = false;
                let (sim, target) = self.history.seek_start(t);
                self.start_loading(Loading::seek(sim, target));
            }
            Action::OpenLink(payload) => {
                match decode_link(&payload).and_then(|script| {
                    let start = Sim::replay_start(&script)?;
                    Ok(Loading::open(
                        Playground::opening(start, &script),
                        script,
                        None,
                    ))
                }) {
                    Ok(loading) => self.start_loading(loading),
                    Err(e) => self.cannot_open(Loaded::Link, &e),
                }
            }
        }
        // Work that ended in this frame (done, refused or replaced) gets no more frames
        // either: what it brought (a moment, a run, a notice) must show now.
        let loading_ended = was_loading && self.loading.is_none();
        if !time_only || self.sim.events_processed() != events_before || loading_ended {
            self.revision += 1;
        }
        self.since_panel_ms += frame_ms.unwrap_or(0.0);
        // A run that stopped by itself in this frame (a tour checkpoint reached, a safety
        // violation) gets no more frames: its panels must show the final state now.
        let stopped = (was_playing && !self.playing) || loading_ended;
        // Logs still waiting for the last refresh catch up even when another refresh comes
        // at once (frames of 100 ms or more): they lag by one paced action, never more.
        let logs_behind = self.logs_revision != self.panel_revision;
        let refreshed = self.panel_revision != self.revision
            && (!paced || stopped || self.since_panel_ms >= PANEL_REFRESH_MS);
        if refreshed {
            self.panel_revision = self.revision;
            self.since_panel_ms = 0.0;
        }
        if self.logs_revision != self.panel_revision
            && (!paced || stopped || !refreshed || logs_behind)
        {
            self.logs_revision = self.panel_revision;
        }
    }

    /// Updates what the live region says after an action (see [`NARRATE_MS`]).
    fn narrate(&mut self, said: Said, notice_before: Option<String>) {
        let total = self.sim.trace_forgotten() + self.sim.trace().len() as u64;
        // A run rebuilt from a checkpoint (a seek, a step back) or replaced: its trace
        // is not news.
        if self.narrated_upto > total {
            self.narrated_upto = total;
        }
        let news = |p: &Playground, every: bool| {
            crate::ui::narration::narrate(p.lang, &p.sim, p.narrated_upto, every)
        };
        let text = match said {
            _ if self.notice.is_some() && self.notice != notice_before => self.notice.clone(),
            Said::Frame(elapsed_ms) => {
                self.since_narration_ms += elapsed_ms;
                let stopped = !self.playing;
                if self.since_narration_ms < NARRATE_MS && !stopped {
                    return;
                }
                news(self, false)
            }
            Said::Step => news(self, true),
            Said::StepBack => Some(match self.lang {
                Lang::En => format!("Back one event: event {}.", self.sim.events_processed()),
                Lang::Zh => format!("退回一个事件：现在是事件 {}。", self.sim.events_processed()),
            }),
            Said::Playing => Some(match (self.lang, self.playing) {
                (Lang::En, true) => format!("Playing at {}.", speed_label(self.speed())),
                (Lang::Zh, true) => format!("以 {} 的速度播放。", speed_label(self.speed())),
                (Lang::En, false) => format!(
                    "Paused at event {}, {}.",
                    self.sim.events_processed(),
                    clock_label(self.sim.now())
                ),
                (Lang::Zh, false) => format!(
                    "已暂停：事件 {}，{}。",
                    self.sim.events_processed(),
                    clock_label(self.sim.now())
                ),
            }),
            Said::Presenter => Some(
                match (self.lang, self.presenter) {
                    (Lang::En, true) => "Presenter mode on.",
                    (Lang::Zh, true) => "演示模式已开启。",
                    (Lang::En, false) => "Presenter mode off.",
                    (Lang::Zh, false) => "演示模式已关闭。",
                }
                .to_string(),
            ),
            Said::Action => news(self, false),
            Said::Loading => self.loading.as_ref().map(|loading| {
                let line = words::loading_line(self.lang, loading);
                format!(
                    "{line} {}",
                    self.lang
                        .pick("The Cancel button stops it.", "按“取消”按钮可以停止。")
                )
            }),
        };
        self.narrated_upto = total;
        self.since_narration_ms = 0.0;
        if let Some(text) = text {
            self.narration = text;
        }
    }

    /// Starts work that may take longer than a frame: the first slice runs at once (so
    /// short work is done before the page draws again), the rest one slice per frame.
    fn start_loading(&mut self, loading: Loading) {
        self.playing = false;
        self.go_on_loading_with(loading);
    }

    /// One more slice of the work in progress.
    fn go_on_loading(&mut self) {
        if let Some(loading) = self.loading.take() {
            self.go_on_loading_with(loading);
        }
    }

    fn go_on_loading_with(&mut self, loading: Loading) {
        let what = loading.what;
        let slices = loading.slices + 1;
        match loading.run(&self.history, SLICE_EVENTS) {
            Ok(Progress::Working(loading)) => self.loading = Some(loading),
            Ok(Progress::Moment(mut sim)) => {
                sim.adopt_trace_prefix(&self.sim);
                self.sim = sim;
                // Work that took frames ends unannounced otherwise: say where it landed.
                if slices > 1 {
                    self.narration = match (self.lang, what) {
                        (Lang::En, Loaded::Moment(None)) => {
                            format!("Back one event: event {}.", self.sim.events_processed())
                        }
                        (Lang::Zh, Loaded::Moment(None)) => {
                            format!("退回一个事件：现在是事件 {}。", self.sim.events_processed())
                        }
                        (Lang::En, _) => format!(
                            "The run at {}, event {}.",
                            clock_label(self.sim.now()),
                            self.sim.events_processed()
                        ),
                        (Lang::Zh, _) => format!(
                            "{} 时的运行，事件 {}。",
                            clock_label(self.sim.now()),
                            self.sim.events_processed()
                        ),
                    };
                }
            }
            Ok(Progress::Opened {
                mut page,
                agreement,
            }) => {
                page.carry_over(self);
                page.notice = Some(self.opened_notice(&page, agreement));
                *self = *page;
            }
            Err(e) => self.cannot_open(what, &e),
        }
    }

    /// What the page says when a link or a trace has opened.
    fn opened_notice(&self, page: &Playground, agreement: Option<Agreement>) -> String {
        let at = clock_label(page.sim.now());
        // The file's and the replay's own sentences are quoted as they are: the trace
        // file is written in English.
        match (self.lang, agreement) {
            (Lang::En, None) => "Opened the shared run, paused where it was shared.".into(),
            (Lang::Zh, None) => "已打开分享的运行，暂停在分享时的位置。".into(),
            (Lang::En, Some(Agreement::Identical { events })) => format!(
                "Imported the trace: its {events} recorded events match the replay exactly. Paused at {at}."
            ),
            (Lang::Zh, Some(Agreement::Identical { events })) => {
                format!("已导入轨迹：文件记录的 {events} 个事件与回放完全一致。暂停在 {at}。")
            }
            (
                Lang::En,
                Some(Agreement::Differs {
                    index,
                    recorded,
                    replayed,
                }),
            ) => format!(
                "Imported, but the file's events differ from its replay from event #{index}: the file says “{recorded}”, the replay “{replayed}”. The page shows the replay."
            ),
            (
                Lang::Zh,
                Some(Agreement::Differs {
                    index,
                    recorded,
                    replayed,
                }),
            ) => format!(
                "已导入，但从第 #{index} 个事件起，文件里的事件与回放不同：文件记录的是“{recorded}”，回放得到的是“{replayed}”。页面显示的是回放。"
            ),
        }
    }

    /// A link, a trace or a moment that could not be opened: why, and that nothing changed.
    fn cannot_open(&mut self, what: Loaded, e: &str) {
        let e = words::refusal(self.lang, e);
        self.notice = Some(match (self.lang, what) {
            (Lang::En, Loaded::Link) => {
                format!("This link could not be opened: {e}. The running cluster is unchanged.")
            }
            (Lang::Zh, Loaded::Link) => {
                format!("无法打开这个链接：{e}。正在运行的集群没有改变。")
            }
            (Lang::En, Loaded::Trace) => {
                format!("This file could not be imported: {e}. The running cluster is unchanged.")
            }
            (Lang::Zh, Loaded::Trace) => {
                format!("无法导入这个文件：{e}。正在运行的集群没有改变。")
            }
            (_, Loaded::Moment(_)) => e,
        });
    }

    fn intervene(&mut self, intervention: Intervention) {
        match self.sim.apply(intervention) {
            Ok(()) => {
                self.history.recorded(&self.sim);
                self.notice = None;
            }
            Err(e) => self.refused(&e),
        }
    }

    /// A refusal from the simulator, as a notice in the page's language.
    fn refused(&mut self, text: &str) {
        self.notice = Some(words::refusal(self.lang, text));
    }

    /// Plays on to `until`, or as far as [`FRAME_EVENTS`] events go: a run busier than
    /// a frame can show falls behind the clock rather than freezing the page.
    fn run_until(&mut self, until: Time) {
        let pause_at = self.sim.events_processed().saturating_add(FRAME_EVENTS);
        if let Err(e) = self
            .history
            .advance_slice(&mut self.sim, until, None, pause_at)
        {
            self.refused(&e);
            self.playing = false;
        }
        if self.sim.violation().is_some() {
            // Never expected; if it happens the class should see the moment it did.
            self.playing = false;
        }
    }

    /// In a run that breaks a rule (the lab's counterexamples), the violation the next
    /// event brings, if it brings one: found by doing that event on a copy, so what the
    /// page says about it is what a step shows.
    pub fn next_violation(&self) -> Option<crate::sim::Violation> {
        // Not while playing: the next event is a frame away, and a copy per redraw is
        // work for nothing.
        if self.playing || self.sim.config().raft.broken.is_none() || self.sim.violation().is_some()
        {
            return None;
        }
        let mut next = self.sim.checkpoint();
        next.step();
        next.violation().cloned()
    }

    /// The newest events worth a line in the event log, newest first.
    /// Each comes with its position in the whole run, stable as the run grows: a DOM key.
    pub fn recent_events(&self, max: usize) -> Vec<(u64, &TraceEvent)> {
        let filter = EventFilter {
            messages: self.messages_in_log,
        };
        let forgotten = self.sim.trace_forgotten();
        self.sim
            .trace()
            .iter()
            .enumerate()
            .rev()
            .filter(|(_, e)| filter.shows(&e.kind))
            .take(max)
            .map(|(i, e)| (forgotten + i as u64, e))
            .collect()
    }
}

/// What kind of thing the live region answers.
#[derive(Clone, Copy)]
enum Said {
    /// Time passing while playing (real ms): news at most every [`NARRATE_MS`].
    Frame(f64),
    /// One event forward: say it, whatever it is.
    Step,
    StepBack,
    /// Play or pause, presenter mode on or off: a change a screen reader cannot see.
    Playing,
    Presenter,
    /// Anything else a person did: say its result now.
    Action,
    /// Something a person did started work that takes more than a frame.
    Loading,
}

/// Groups for "split the cluster": a minority that holds the leader (so the class sees a
/// leader that can no longer commit) and the majority that elects a new one.
pub fn minority_with_leader(n: usize, leader: Option<NodeId>) -> Vec<Vec<NodeId>> {
    let minority = (n - 1) / 2;
    let start = leader.unwrap_or(0) as usize;
    let small: Vec<NodeId> = (0..minority).map(|k| ((start + k) % n) as NodeId).collect();
    let large: Vec<NodeId> = (0..n as NodeId).filter(|id| !small.contains(id)).collect();
    vec![small, large]
}

/// The payload of a page address's fragment, if it is a share link: `#/run/<payload>`.
pub fn link_in_fragment(fragment: &str) -> Option<&str> {
    fragment
        .strip_prefix('#')
        .unwrap_or(fragment)
        .strip_prefix("/run/")
}

/// What a page address's fragment asks to open, if anything.
pub fn fragment_action(fragment: &str) -> Option<Action> {
    let path = fragment.strip_prefix('#').unwrap_or(fragment);
    // The browser's Back from the tour to the page it was entered from.
    if path.is_empty() || path == "/" {
        return Some(Action::Tour(TourAction::TryItYourself));
    }
    if let Some(rest) = path.strip_prefix("/tour")
        && (rest.is_empty() || rest.starts_with('/'))
    {
        return Some(Action::OpenTour(rest.to_string()));
    }
    if let Some(payload) = path.strip_prefix("/run/") {
        return Some(Action::OpenLink(payload.to_string()));
    }
    if let Some(rest) = path.strip_prefix("/lab")
        && (rest.is_empty() || rest.starts_with('/'))
    {
        return LabPage::parse(rest).map(|(page, rule)| Action::OpenLab(page, rule));
    }
    path.strip_prefix("/scenario/")
        .map(|name| Action::OpenScenario(name.to_string()))
}

/// A seed typed by a person: decimal digits, at most `u64::MAX`.
pub fn parse_seed(lang: Lang, text: &str) -> Result<u64, String> {
    let text = text.trim();
    text.parse::<u64>().map_err(|_| match lang {
        Lang::En => format!(
            "“{text}” is not a seed: use a whole number from 0 to {}",
            u64::MAX
        ),
        Lang::Zh => format!("“{text}”不是种子：请用 0 到 {} 之间的整数", u64::MAX),
    })
}

/// Milliseconds of virtual time as a person reads them: `1234.5 ms`.
pub fn clock_label(t: Time) -> String {
    format!("{}.{} ms", t / MS, (t % MS) / 100)
}

/// Which trace events get a line in the event log.
struct EventFilter {
    /// Every send and delivery, and every heartbeat that changed nothing.
    messages: bool,
}

impl EventFilter {
    fn shows(&self, kind: &EventKind) -> bool {
        use crate::raft::NodeEvent;
        match kind {
            EventKind::Send { .. } | EventKind::Deliver { .. } => self.messages,
            // A down server or a cut link drops a message every heartbeat: they would
            // bury everything else. Random loss and a drop by hand are news.
            EventKind::Drop { reason, .. } => {
                self.messages || matches!(reason, DropReason::Lost | DropReason::DroppedByUser)
            }
            // A successful heartbeat changes nothing; rejections and entries always show.
            EventKind::Node {
                event:
                    NodeEvent::AppendHandled {
                        success: true,
                        entries: 0,
                        ..
                    },
                ..
            } => self.messages,
            _ => true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::raft::Role;

    fn playground() -> Playground {
        Playground::new(42, 5).expect("valid")
    }

    /// Seed 42, played for `frames` frames of 16 ms at speed `10^speed_exp`.
    fn played(speed_exp: f64, frames: usize) -> Playground {
        let mut p = playground();
        p.apply(Action::SetSpeed(speed_exp));
        for _ in 0..frames {
            p.apply(Action::Frame { elapsed_ms: 16.0 });
        }
        p
    }

    #[test]
    fn play_pause_and_presenter_mode_are_spoken() {
        let mut p = played(0.0, 30);
        p.apply(Action::TogglePlay);
        assert!(!p.playing);
        assert_eq!(
            p.narration,
            format!(
                "Paused at event {}, {}.",
                p.sim.events_processed(),
                clock_label(p.sim.now())
            )
        );
        p.apply(Action::TogglePlay);
        assert_eq!(
            p.narration,
            format!("Playing at {}.", speed_label(p.speed()))
        );
        p.apply(Action::TogglePresenter);
        assert_eq!(p.narration, "Presenter mode on.");
        p.apply(Action::SetLang(Lang::Zh));
        p.apply(Action::Escape);
        assert!(!p.presenter);
        assert_eq!(p.narration, "演示模式已关闭。");
    }

    #[test]
    fn the_page_never_hands_out_a_link_it_would_refuse() {
        // Issue 12, finding 4: more interventions than a link may carry.
        let mut p = played(0.0, 30);
        assert!(p.link_payload().is_ok());
        assert_eq!(p.export_problem(), None);
        for _ in 0..=crate::sim::MAX_STEPS {
            p.apply(Action::Do(Intervention::Heal));
        }
        let why = p
            .link_payload()
            .expect_err("too many interventions for a link");
        assert!(
            why.contains("beyond what a link or a trace file can reopen"),
            "{why}"
        );
        assert!(why.contains("10000 interventions"), "{why}");
        assert_eq!(p.export_problem(), Some(why));
        p.apply(Action::SetLang(Lang::Zh));
        let zh = p.link_payload().expect_err("in Chinese too");
        assert!(
            zh.contains("超出了分享链接或轨迹文件能够重新打开的范围"),
            "{zh}"
        );
        let stray = crate::ui::words_zh::stray_english(&zh, crate::ui::words_zh::IDENTIFIERS);
        assert!(stray.is_empty(), "English left in {zh}: {stray:?}");
    }

    #[test]
    fn frames_advance_virtual_time_by_real_time_times_speed() {
        let mut p = playground();
        p.apply(Action::SetSpeed(-2.0));
        p.apply(Action::Frame { elapsed_ms: 50.0 });
        assert_eq!(p.sim.now(), 500, "50 ms at 1/100× is 0.5 ms of Raft time");
        p.apply(Action::Pause);
        p.apply(Action::Frame { elapsed_ms: 50.0 });
        assert_eq!(p.sim.now(), 500, "nothing runs while paused");
    }

    #[test]
    fn slow_panels_follow_a_playing_cluster_ten_times_a_second_and_user_actions_at_once() {
        let mut p = playground();
        p.apply(Action::SetSpeed(1.0));
        let (mut panel_updates, mut logs_updates) = (0, 0);
        let mut last = p.panel_revision;
        for _ in 0..60 {
            let (panels_before, logs_before) = (p.panel_revision, p.logs_revision);
            p.apply(Action::Frame {
                elapsed_ms: 1000.0 / 60.0,
            });
            if p.panel_revision != last {
                panel_updates += 1;
                last = p.panel_revision;
                assert_eq!(p.logs_revision, logs_before, "the logs wait a frame");
            }
            if p.logs_revision != logs_before {
                logs_updates += 1;
                assert_eq!(
                    (p.logs_revision, p.panel_revision),
                    (panels_before, panels_before),
                    "the logs follow the refresh one frame later, never in the same frame"
                );
            }
        }
        assert!(p.revision > 50, "events happened in most frames");
        assert!(
            (9..=11).contains(&panel_updates),
            "{panel_updates} panel updates in one second"
        );
        assert!(
            (panel_updates - 1..=panel_updates).contains(&logs_updates),
            "{logs_updates} logs updates for {panel_updates} panel updates"
        );
        p.apply(Action::Pause);
        assert_eq!(
            (p.panel_revision, p.logs_revision),
            (p.revision, p.revision),
            "pausing shows the latest state"
        );
        p.apply(Action::Step);
        assert_eq!(
            (p.panel_revision, p.logs_revision),
            (p.revision, p.revision),
            "a step shows at once"
        );
    }

    #[test]
    fn with_frames_of_100_ms_or_more_the_logs_still_follow_every_refresh() {
        // A slow machine at 10×: every frame is a refresh, and the logs must not wait for
        // a frame without one (they would never come).
        let mut p = playground();
        p.apply(Action::SetSpeed(1.0));
        let mut logs_updates = 0;
        for _ in 0..20 {
            let logs_before = p.logs_revision;
            p.apply(Action::Frame { elapsed_ms: 120.0 });
            assert!(p.panel_revision > logs_before, "every frame refreshes");
            if p.logs_revision != logs_before {
                logs_updates += 1;
            }
        }
        assert!(
            logs_updates >= 9,
            "the logs follow at least every other refresh: {logs_updates} of 20"
        );
        p.apply(Action::Pause);
        assert_eq!(p.logs_revision, p.revision, "paused, at once");
    }

    #[test]
    fn client_writes_while_playing_show_in_the_panels_at_their_pace_and_paused_at_once() {
        let mut p = playground();
        p.apply(Action::SetSpeed(1.0));
        while p.sim.leader().is_none() {
            p.apply(Action::Frame { elapsed_ms: 16.0 });
        }
        // A write every 50 ms for a second: the panels still follow ten times a second.
        let mut panel_updates = 0;
        let mut last = p.panel_revision;
        for frame in 0..60 {
            if frame % 3 == 0 {
                p.apply(Action::WriteToLeader);
            }
            p.apply(Action::Frame {
                elapsed_ms: 1000.0 / 60.0,
            });
            if p.panel_revision != last {
                panel_updates += 1;
                last = p.panel_revision;
            }
        }
        assert!(p.sim.writes().len() >= 20, "the writes were sent");
        assert!(
            (9..=11).contains(&panel_updates),
            "{panel_updates} panel updates in one second of writes"
        );
        // Within a refresh, the panels show the last write's state.
        p.apply(Action::WriteToLeader);
        let written = p.revision;
        for _ in 0..7 {
            p.apply(Action::Frame {
                elapsed_ms: 1000.0 / 60.0,
            });
        }
        assert!(p.panel_revision >= written, "shown within 100 ms");
        p.apply(Action::Frame {
            elapsed_ms: 1000.0 / 60.0,
        });
        assert!(p.logs_revision >= written, "in the logs a frame later");
        p.apply(Action::Pause);
        p.apply(Action::WriteToLeader);
        assert_eq!(
            (p.panel_revision, p.logs_revision),
            (p.revision, p.revision),
            "paused, a write shows at once"
        );
    }

    #[test]
    fn r_reads_the_key_written_last_from_the_leader_the_way_chosen() {
        use crate::sim::ReadFate;
        let mut p = played(0.0, 60);
        assert_eq!(p.read_key(), "x", "x before any write");
        p.apply(Action::Do(Intervention::ClientWrite {
            to: WriteTarget::Leader,
            command: Command::parse("SET k 4").expect("a command"),
        }));
        for _ in 0..20 {
            p.apply(Action::Frame { elapsed_ms: 16.0 });
        }
        assert_eq!(p.read_key(), "k");
        p.apply(Action::ReadFromLeader);
        let read = p.sim.reads().last().expect("a read").clone();
        assert_eq!((read.key.as_str(), read.mode), ("k", ReadMode::ReadIndex));
        for _ in 0..20 {
            p.apply(Action::Frame { elapsed_ms: 16.0 });
        }
        assert!(
            matches!(
                p.sim.reads()[0].fate,
                ReadFate::Answered { value: Some(4), .. }
            ),
            "{:?}",
            p.sim.reads()[0].fate
        );
        p.apply(Action::SetReadMode(ReadMode::Local));
        p.apply(Action::ReadFromLeader);
        assert_eq!(p.sim.reads()[1].mode, ReadMode::Local);
        // A local read at the leader is answered at once, and said.
        assert!(matches!(p.sim.reads()[1].fate, ReadFate::Answered { .. }));
        assert!(p.sim.violation().is_none());
    }

    #[test]
    fn step_processes_exactly_one_event_and_pauses() {
        let mut p = playground();
        p.apply(Action::Step);
        assert!(!p.playing);
        assert_eq!(p.sim.events_processed(), 1);
        p.apply(Action::Step);
        assert_eq!(p.sim.events_processed(), 2);
    }

    #[test]
    fn step_back_returns_to_the_identical_state_and_step_replays_the_same_event() {
        let mut p = played(0.0, 40);
        p.apply(Action::WriteToLeader);
        for _ in 0..5 {
            p.apply(Action::Step);
        }
        let before = p.sim.state_digest();
        let (events, now) = (p.sim.events_processed(), p.sim.now());
        p.apply(Action::Step);
        let after = p.sim.state_digest();
        assert_ne!(before, after, "a step changed something");
        p.apply(Action::StepBack);
        assert_eq!(p.notice, None);
        assert!(!p.playing);
        assert_eq!(p.sim.events_processed(), events);
        assert_eq!(p.sim.now(), now, "the clock is back at that event too");
        assert_eq!(
            p.sim.state_digest(),
            before,
            "identical to what Step showed"
        );
        p.apply(Action::Step);
        assert_eq!(p.sim.state_digest(), after, "Step replays the same event");
        // Back twice across the write: the write is undone, and replayed by Step.
        for _ in 0..7 {
            p.apply(Action::Backward);
        }
        assert_eq!(p.sim.events_processed(), events - 6);
        // Forward again: one press replays the write (it is a step of its own), then
        // the six events.
        for _ in 0..8 {
            p.apply(Action::Forward);
        }
        assert_eq!(p.sim.state_digest(), after);
        assert!(p.sim.violation().is_none());
    }

    #[test]
    fn step_back_across_a_five_second_mark_shows_the_moment_not_the_checkpoint() {
        // Steps that cross a checkpoint's time: the step that crosses it takes a copy
        // holding the same event count with its clock at the mark. Stepping back must
        // show the moment of that event, and keep the event log.
        let mut p = playground();
        p.apply(Action::SetSpeed(1.0));
        while p.sim.now() < crate::ui::history::CHECKPOINT_EVERY - 60 * MS {
            p.apply(Action::Frame { elapsed_ms: 1.0 });
        }
        p.apply(Action::Step);
        let mut seen = vec![(p.sim.state_digest(), p.sim.trace().to_vec())];
        while p.sim.now() <= crate::ui::history::CHECKPOINT_EVERY + 20 * MS {
            p.apply(Action::Step);
            seen.push((p.sim.state_digest(), p.sim.trace().to_vec()));
        }
        assert!(seen.len() > 2);
        for (digest, trace) in seen.iter().rev().skip(1) {
            p.apply(Action::StepBack);
            assert_eq!(&p.sim.state_digest(), digest);
            assert_eq!(p.sim.trace(), &trace[..], "the event log is kept");
        }
    }

    #[test]
    fn a_replayed_intervention_is_a_step_of_its_own() {
        let mut p = played(0.0, 40);
        let follower = (p.sim.leader().unwrap() + 1) % 5;
        p.apply(Action::Do(Intervention::Timeout(follower)));
        let timed_out = p.sim.state_digest();
        p.apply(Action::Step);
        let fired = p.sim.state_digest();
        p.apply(Action::StepBack);
        assert_eq!(p.sim.state_digest(), timed_out);
        p.apply(Action::StepBack);
        assert_eq!(p.sim.interventions().len(), 0, "before the timeout");
        p.apply(Action::Step);
        p.apply(Action::Step);
        assert_eq!(
            p.sim.state_digest(),
            timed_out,
            "the timeout alone, as it was when it was made"
        );
        p.apply(Action::Step);
        assert_eq!(p.sim.state_digest(), fired);
    }

    #[test]
    fn the_live_region_tells_the_news_at_a_pace_a_screen_reader_can_follow() {
        let mut p = playground();
        p.apply(Action::SetSpeed(0.0));
        let mut changes = 0;
        let mut last = p.narration.clone();
        let mut frames = 0;
        while p.sim.leader().is_none() || frames < 400 {
            p.apply(Action::Frame { elapsed_ms: 16.0 });
            frames += 1;
            if p.narration != last {
                changes += 1;
                last = p.narration.clone();
            }
        }
        // 400 frames of 16 ms are 6.4 s: at most three updates, one every 2.5 s.
        assert!((1..=3).contains(&changes), "{changes} updates");
        let leader = p.sim.leader().unwrap();
        assert!(p.narration.len() < 400, "short: {}", p.narration);
        // What a person does is said at once, in the page's language.
        p.apply(Action::Do(Intervention::Crash(leader)));
        assert!(p.narration.contains("crash"), "{}", p.narration);
        p.apply(Action::Do(Intervention::Crash(9)));
        assert_eq!(Some(&p.narration), p.notice.as_ref(), "an error is spoken");
        p.apply(Action::Step);
        assert!(!p.narration.is_empty());
        p.apply(Action::StepBack);
        assert!(p.narration.starts_with("Back one event"), "{}", p.narration);
        p.apply(Action::SetLang(Lang::Zh));
        p.apply(Action::Do(Intervention::Restart(leader)));
        let stray =
            crate::ui::words_zh::stray_english(&p.narration, crate::ui::words_zh::IDENTIFIERS);
        assert!(stray.is_empty(), "{stray:?} in {}", p.narration);
    }

    #[test]
    fn shortcuts_can_be_turned_off_and_stay_off_across_a_new_run() {
        let mut p = playground();
        assert!(p.shortcuts);
        p.apply(Action::ToggleShortcuts);
        p.apply(Action::Reset {
            seed: 7,
            servers: 3,
        });
        assert!(!p.shortcuts, "a reset keeps the reader's choice");
        p.apply(Action::OpenScenario("leader-crash".into()));
        assert!(!p.shortcuts);
    }

    #[test]
    fn step_back_at_the_start_says_so_and_changes_nothing() {
        let mut p = playground();
        p.apply(Action::StepBack);
        assert!(
            p.notice
                .as_deref()
                .unwrap_or("")
                .contains("start of the run")
        );
        assert_eq!(p.sim.events_processed(), 0);
    }

    #[test]
    fn step_back_replays_from_the_newest_checkpoint() {
        let mut p = played(0.0, 400);
        assert!(
            p.sim.now() > crate::ui::history::CHECKPOINT_EVERY,
            "{}",
            p.sim.now()
        );
        // Step back returns to moments a Step showed (a paused frame's clock may lie
        // between two events).
        p.apply(Action::Step);
        let mut digests = vec![p.sim.state_digest()];
        for _ in 0..3 {
            p.apply(Action::Step);
            digests.push(p.sim.state_digest());
        }
        for k in (0..3).rev() {
            p.apply(Action::StepBack);
            assert_eq!(p.sim.state_digest(), digests[k]);
        }
    }

    #[test]
    fn presenter_mode_works_in_the_sandbox_and_survives_leaving_the_tour() {
        let mut p = playground();
        p.apply(Action::TogglePresenter);
        assert!(p.presenter, "P works in the sandbox");
        p.apply(Action::OpenTour("/split-vote/2".into()));
        assert!(p.presenter, "and stays on into the tour");
        p.apply(Action::Tour(TourAction::TryItYourself));
        assert!(p.tour.is_none());
        assert!(p.presenter, "Try it yourself keeps the projector view");
        p.apply(Action::ToggleHelp);
        p.apply(Action::Escape);
        assert!(!p.help_open && p.presenter, "Esc closes the help first");
        p.apply(Action::Escape);
        assert!(!p.presenter, "then leaves presenter mode");
    }

    #[test]
    fn four_servers_can_split_their_vote_two_to_two() {
        // Two servers time out together in a cluster of four: each gets one vote besides
        // its own, 2 of 4 is not a majority, and nobody leads that term.
        let mut p = Playground::new(3, 4).unwrap();
        p.apply(Action::Do(Intervention::Timeout(0)));
        p.apply(Action::Do(Intervention::Timeout(2)));
        // Both time out at once; step until every RequestVote and reply has arrived.
        let tied = |p: &Playground| {
            p.sim.in_flight().is_empty()
                && [0, 2]
                    .iter()
                    .all(|&c| p.sim.node(c).role == Role::Candidate)
        };
        for _ in 0..100 {
            if tied(&p) {
                break;
            }
            p.apply(Action::Step);
        }
        let (a, b) = (p.sim.node(0), p.sim.node(2));
        assert_eq!((a.role, b.role), (Role::Candidate, Role::Candidate));
        assert_eq!(a.current_term, b.current_term);
        assert_eq!((a.votes_granted.len(), b.votes_granted.len()), (2, 2));
        assert!(p.sim.leaders().is_empty());
        assert!(p.sim.violation().is_none());
    }

    #[test]
    fn a_generated_write_reaches_the_leader_and_commits() {
        let mut p = playground();
        p.apply(Action::SetSpeed(1.0));
        while p.sim.leader().is_none() {
            p.apply(Action::Frame { elapsed_ms: 16.0 });
        }
        p.apply(Action::WriteToLeader);
        assert_eq!(p.notice, None);
        for _ in 0..20 {
            p.apply(Action::Frame { elapsed_ms: 16.0 });
        }
        assert!(
            p.sim
                .servers()
                .iter()
                .all(|s| s.node.kv.get("x") == Some(1))
        );
        assert!(p.sim.violation().is_none());
    }

    #[test]
    fn impossible_requests_become_a_notice_and_change_nothing() {
        let mut p = playground();
        let before = p.sim.clone();
        p.apply(Action::Do(Intervention::Crash(7)));
        assert!(
            p.notice.as_deref().unwrap_or("").contains("S8"),
            "{:?}",
            p.notice
        );
        assert_eq!(p.sim.now(), before.now());
        assert_eq!(p.sim.interventions().len(), 0);
        p.apply(Action::Reset {
            seed: 1,
            servers: 0,
        });
        assert!(p.notice.is_some());
        assert_eq!(p.seed(), 42, "a failed reset keeps the running cluster");
        p.apply(Action::SetSpeed(f64::NAN));
        assert!(p.speed().is_finite());
    }

    #[test]
    fn split_puts_the_leader_in_the_minority() {
        assert_eq!(
            minority_with_leader(5, Some(3)),
            vec![vec![3, 4], vec![0, 1, 2]]
        );
        assert_eq!(
            minority_with_leader(5, None),
            vec![vec![0, 1], vec![2, 3, 4]]
        );
        assert_eq!(minority_with_leader(3, Some(2)), vec![vec![2], vec![0, 1]]);
        let mut p = playground();
        p.apply(Action::SetSpeed(1.0));
        while p.sim.leader().is_none() {
            p.apply(Action::Frame { elapsed_ms: 16.0 });
        }
        let old = p.sim.leader().unwrap();
        p.apply(Action::SplitLeaderInMinority);
        for _ in 0..100 {
            p.apply(Action::Frame { elapsed_ms: 16.0 });
        }
        let leaders = p.sim.leaders();
        assert!(leaders.len() == 2 && leaders.contains(&old), "{leaders:?}");
        assert!(p.sim.node(old).role == Role::Leader);
    }

    #[test]
    fn selecting_a_message_pauses_and_the_event_log_hides_idle_heartbeats() {
        let mut p = played(1.0, 60);
        let quiet = p.recent_events(10_000).len();
        assert!(
            p.recent_events(10_000)
                .iter()
                .all(|(_, e)| !matches!(e.kind, EventKind::Send { .. }))
        );
        p.apply(Action::ToggleMessagesInLog);
        assert!(p.recent_events(10_000).len() > quiet);
        let (newest_seq, newest) = p.recent_events(1)[0];
        let newest = newest.time;
        let all = p.recent_events(10_000);
        assert!(all.iter().all(|(_, e)| e.time <= newest), "newest first");
        assert!(
            all[0].0 == newest_seq && all.windows(2).all(|w| w[0].0 > w[1].0),
            "stable keys"
        );
        let id = p.sim.in_flight().first().map(|m| m.id).unwrap_or(1);
        p.apply(Action::Select(Selection::Message(id)));
        assert!(!p.playing);
    }

    #[test]
    fn a_shared_link_reopens_the_same_run_and_a_bad_one_changes_nothing() {
        let mut p = played(0.0, 30);
        p.apply(Action::WriteToLeader);
        p.apply(Action::Step);
        let link = format!("#/run/{}", p.link_payload().unwrap());
        let mut q = Playground::new(1, 3).unwrap();
        q.apply(Action::OpenLink(
            link_in_fragment(&link).unwrap().to_string(),
        ));
        assert_eq!(q.sim.now(), p.sim.now());
        assert_eq!(q.sim.events_processed(), p.sim.events_processed());
        assert_eq!(q.sim.trace(), p.sim.trace());
        assert!(!q.playing, "a shared run opens paused");
        let before = serde_json::to_string(&q.sim).unwrap();
        q.apply(Action::OpenLink("not-a-link".into()));
        assert!(q.notice.as_deref().unwrap().contains("could not be opened"));
        assert_eq!(
            serde_json::to_string(&q.sim).unwrap(),
            before,
            "the running cluster is unchanged"
        );
        assert_eq!(link_in_fragment("#/tour/x"), None);
    }

    #[test]
    fn an_exported_trace_imports_to_the_same_run_and_a_bad_file_changes_nothing() {
        let mut p = played(0.0, 40);
        p.apply(Action::WriteToLeader);
        p.apply(Action::Step);
        let file = crate::sim::export_json(&p.sim);
        let mut q = Playground::new(9, 3).unwrap();
        q.apply(Action::ImportTrace(file));
        assert!(
            q.notice
                .as_deref()
                .unwrap()
                .contains("match the replay exactly"),
            "{:?}",
            q.notice
        );
        assert_eq!(q.sim.now(), p.sim.now());
        assert_eq!(q.sim.servers(), p.sim.servers());
        let before = serde_json::to_string(&q.sim).unwrap();
        q.apply(Action::ImportTrace("{\"format\": 3".into()));
        assert!(
            q.notice
                .as_deref()
                .unwrap()
                .contains("could not be imported")
        );
        assert_eq!(serde_json::to_string(&q.sim).unwrap(), before);
    }

    #[test]
    fn scenarios_open_by_fragment_paused_with_their_caption() {
        let mut p = playground();
        let open = fragment_action("#/scenario/leader-crash").unwrap();
        p.apply(open);
        assert!(!p.playing);
        assert!(p.notice.as_deref().unwrap().starts_with("Leader crash"));
        assert!(p.sim.servers().iter().any(|s| !s.up));
        let before = p.sim.now();
        p.apply(fragment_action("#/scenario/nope").unwrap());
        assert!(p.notice.as_deref().unwrap().contains("no scenario called"));
        assert_eq!(p.sim.now(), before);
        assert_eq!(fragment_action("#/elsewhere"), None);
    }

    #[test]
    fn seeds_are_parsed_with_a_clear_message() {
        assert_eq!(parse_seed(Lang::En, " 42 "), Ok(42));
        assert!(
            parse_seed(Lang::En, "-1")
                .unwrap_err()
                .contains("not a seed")
        );
        assert!(parse_seed(Lang::En, "99999999999999999999999").is_err());
        assert!(
            parse_seed(Lang::Zh, "abc")
                .unwrap_err()
                .starts_with("“abc”不是种子")
        );
        assert_eq!(clock_label(1_234_567), "1234.5 ms");
    }

    #[test]
    fn notices_are_written_in_the_pages_language() {
        use crate::ui::words_zh::{IDENTIFIERS, stray_english};
        let chinese = |p: &Playground| {
            let notice = p.notice.clone().unwrap_or_default();
            assert!(!notice.is_empty());
            let stray = stray_english(&notice, IDENTIFIERS);
            assert!(stray.is_empty(), "English {stray:?} in “{notice}”");
        };
        let mut p = playground();
        p.apply(Action::SetLang(Lang::Zh));
        p.apply(Action::OpenLink("not-a-link".into()));
        chinese(&p);
        assert!(p.notice.as_deref().unwrap().starts_with("无法打开这个链接"));
        p.apply(Action::ImportTrace("{\"format\": 3".into()));
        chinese(&p);
        p.apply(Action::OpenScenario("no".into()));
        chinese(&p);
        p.apply(Action::Do(Intervention::Crash(7)));
        chinese(&p);
        for name in crate::sim::SCENARIOS {
            p.apply(Action::OpenScenario(name.to_string()));
            chinese(&p);
            assert_eq!(p.lang, Lang::Zh, "a scenario keeps the language");
        }
        p.apply(Action::Reset {
            seed: 3,
            servers: 3,
        });
        assert_eq!(p.lang, Lang::Zh, "a reset keeps the language");
        for id in 0..3 {
            p.apply(Action::Do(Intervention::Crash(id)));
        }
        assert_eq!(p.notice, None);
        for _ in 0..100 {
            p.apply(Action::Step);
            if p.notice.is_some() {
                break;
            }
        }
        chinese(&p);
        assert!(p.notice.as_deref().unwrap().contains("所有服务器都已宕机"));
        let shared = played(0.0, 30).link_payload().unwrap();
        p.apply(Action::OpenLink(shared));
        chinese(&p);
        assert_eq!(p.lang, Lang::Zh, "a link keeps the language");
    }
}
