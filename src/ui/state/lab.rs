//! The lab's state as plain data: which experiment is shown, its options, and the work in
//! progress, run a slice per animation frame (as [`crate::ui::loading`] does) so the page
//! keeps answering. The experiments themselves are [`crate::sim::lab`]: the page's numbers
//! come from the same code as the native tests.

use crate::raft::{BrokenRule, MS, Time};
use crate::sim::encode_link;
use crate::sim::lab::break_rule::Search;
use crate::sim::lab::figure16::{self, BOTTOM_PANEL, Experiment, Range, Setup, TOP_PANEL};

/// Simulator events one frame may spend on an experiment: a few milliseconds of work,
/// so the progress bar moves and Cancel is answered at once.
pub const FRAME_EVENTS: u64 = 20_000;

/// The lab's pages, as their addresses name them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LabPage {
    /// `#/lab/figure-16`
    Figure16,
    /// `#/lab/break`
    Break,
}

impl LabPage {
    pub fn fragment(self) -> &'static str {
        match self {
            LabPage::Figure16 => "#/lab/figure-16",
            LabPage::Break => "#/lab/break",
        }
    }

    /// The page an address names (the text after `#/lab`), with the rule a
    /// `#/lab/break/<rule>` address picks.
    pub fn parse(rest: &str) -> Option<(LabPage, Option<BrokenRule>)> {
        match rest.trim_start_matches('/') {
            "" | "figure-16" => Some((LabPage::Figure16, None)),
            "break" => Some((LabPage::Break, None)),
            other => {
                let slug = other.strip_prefix("break/")?;
                Some((LabPage::Break, Some(BrokenRule::from_slug(slug)?)))
            }
        }
    }
}

/// How many trials per range the Figure 16 form offers: the paper's counts, or fewer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Trials {
    /// 1,000 per range, 100 for 150–150 ms.
    Paper,
    Each(u32),
}

impl Trials {
    pub const CHOICES: [Trials; 4] = [
        Trials::Paper,
        Trials::Each(300),
        Trials::Each(100),
        Trials::Each(30),
    ];

    pub fn for_range(self, range: Range) -> u32 {
        match self {
            Trials::Paper => figure16::paper_trials(range),
            Trials::Each(n) => n,
        }
    }

    pub fn value(self) -> String {
        match self {
            Trials::Paper => "paper".into(),
            Trials::Each(n) => n.to_string(),
        }
    }

    pub fn from_value(value: &str) -> Option<Trials> {
        Trials::CHOICES.into_iter().find(|t| t.value() == value)
    }
}

/// The models of time the Figure 16 form offers: one-way latency and the stable-storage
/// write before an answer. The first is the paper's (see [`Setup::paper`]); the second
/// has the same broadcast time with more of it on the wire, which is what makes votes
/// split; the third leaves the disk out.
pub const TIME_MODELS: [((Time, Time), (Time, Time)); 3] = [
    ((2 * MS, 4 * MS), (5 * MS, 13 * MS)),
    ((5 * MS, 6 * MS), (MS, 6 * MS)),
    ((2 * MS, 4 * MS), (0, 0)),
];

/// How many schedules a search may try.
pub const BUDGETS: [u64; 3] = [500, 2_000, 10_000];

/// Everything a person can do in the lab.
#[derive(Clone, Debug, PartialEq)]
pub enum LabAction {
    /// Check or uncheck one of the figure's ranges.
    ToggleRange(Range),
    SetTrials(Trials),
    SetUnevenLogs(bool),
    /// One of [`TIME_MODELS`].
    SetTimeModel(usize),
    /// Run the figure's trials (replacing the last results).
    RunFigure16,
    ChooseRule(Option<BrokenRule>),
    SetBudget(u64),
    /// Search for a counterexample with the chosen rule broken.
    Search,
    /// Stop the work in progress; what it found so far stays.
    Cancel,
}

/// The figure's form and its last run.
#[derive(Clone, Debug)]
pub struct Figure16 {
    pub chosen: Vec<Range>,
    pub trials: Trials,
    pub setup: Setup,
    pub experiment: Option<Experiment>,
    pub running: bool,
    /// Real time spent running it, for trials per second.
    pub elapsed_ms: f64,
}

/// What a finished search over some rule found, kept for comparison with the others.
#[derive(Clone, Debug, PartialEq)]
pub struct SearchRecord {
    pub search: Search,
    pub elapsed_ms: f64,
}

/// The "break a rule" form and its searches.
#[derive(Clone, Debug)]
pub struct BreakLab {
    pub rule: Option<BrokenRule>,
    pub budget: u64,
    pub seed: u64,
    /// The search shown: running, or the last one done.
    pub current: Option<SearchRecord>,
    pub running: bool,
    /// The last finished search of each rule (`None`: every rule kept), by budget.
    pub done: Vec<SearchRecord>,
}

/// The lab: shown or not, each experiment's state survives a visit to the sandbox (a
/// trial opened, then the browser's Back).
#[derive(Clone, Debug)]
pub struct Lab {
    pub shown: Option<LabPage>,
    pub figure16: Figure16,
    pub breaking: BreakLab,
}

impl Default for Lab {
    fn default() -> Self {
        Lab {
            shown: None,
            figure16: Figure16 {
                chosen: TOP_PANEL.to_vec(),
                trials: Trials::Paper,
                setup: Setup::paper(),
                experiment: None,
                running: false,
                elapsed_ms: 0.0,
            },
            breaking: BreakLab {
                rule: Some(BrokenRule::VoteWithoutLogCheck),
                budget: BUDGETS[1],
                seed: 1,
                current: None,
                running: false,
                done: Vec::new(),
            },
        }
    }
}

/// Every range either panel shows, each once, in the order they are listed.
pub fn all_ranges() -> Vec<Range> {
    let mut ranges: Vec<Range> = TOP_PANEL.to_vec();
    for r in BOTTOM_PANEL {
        if !ranges.contains(&r) {
            ranges.push(r);
        }
    }
    ranges
}

impl Lab {
    /// Whether work is going on that needs animation frames.
    pub fn running(&self) -> bool {
        self.figure16.running || self.breaking.running
    }

    pub fn apply(&mut self, action: LabAction) {
        let f = &mut self.figure16;
        let b = &mut self.breaking;
        match action {
            LabAction::ToggleRange(range) if !f.running => {
                if let Some(at) = f.chosen.iter().position(|&r| r == range) {
                    f.chosen.remove(at);
                } else {
                    f.chosen.push(range);
                    let order = all_ranges();
                    f.chosen
                        .sort_by_key(|r| order.iter().position(|o| o == r).unwrap_or(usize::MAX));
                }
            }
            LabAction::SetTrials(trials) if !f.running => f.trials = trials,
            LabAction::SetUnevenLogs(on) if !f.running => f.setup.uneven_logs = on,
            LabAction::SetTimeModel(k) if !f.running => {
                if let Some(&(latency, storage)) = TIME_MODELS.get(k) {
                    f.setup.latency = latency;
                    f.setup.storage = storage;
                }
            }
            LabAction::RunFigure16 if !f.chosen.is_empty() && !b.running => {
                let trials = f.trials;
                f.experiment = Some(Experiment::new(f.setup.clone(), f.chosen.clone(), |r| {
                    trials.for_range(r)
                }));
                f.running = true;
                f.elapsed_ms = 0.0;
            }
            LabAction::ChooseRule(rule) if !b.running => {
                b.rule = rule;
                b.current = b.done.iter().find(|r| r.search.rule == rule).cloned();
            }
            LabAction::SetBudget(budget) if !b.running => b.budget = budget,
            LabAction::Search if !f.running => {
                b.current = Some(SearchRecord {
                    search: Search::new(b.rule, b.seed, b.budget),
                    elapsed_ms: 0.0,
                });
                b.running = true;
            }
            LabAction::Cancel => {
                f.running = false;
                b.running = false;
            }
            // Changes while work runs wait for it (the form is disabled meanwhile).
            _ => {}
        }
    }

    /// One animation frame: `elapsed_ms` of real time passed; runs a slice of the work.
    pub fn frame(&mut self, elapsed_ms: f64) {
        let f = &mut self.figure16;
        if f.running
            && let Some(e) = f.experiment.as_mut()
        {
            f.elapsed_ms += elapsed_ms;
            if e.run_slice(FRAME_EVENTS) {
                f.running = false;
            }
        }
        let b = &mut self.breaking;
        if b.running
            && let Some(record) = b.current.as_mut()
        {
            record.elapsed_ms += elapsed_ms;
            if record.search.run_slice(FRAME_EVENTS) {
                b.running = false;
                let rule = record.search.rule;
                let budget = record.search.budget;
                b.done
                    .retain(|r| r.search.rule != rule || r.search.budget != budget);
                b.done.push(record.clone());
            }
        }
    }

    /// The address that opens trial `number` of `range` in the sandbox, paused at the
    /// crash: a share link, so Back returns to the lab and the link can be passed on.
    pub fn trial_link(&self, range: Range, number: u32) -> Result<String, String> {
        // The setup the trials ran with, whatever the form says now.
        let setup = self
            .figure16
            .experiment
            .as_ref()
            .map_or(&self.figure16.setup, |e| &e.setup);
        let script = figure16::trial_script(setup, range, number)?;
        Ok(format!("#/run/{}", encode_link(&script)))
    }

    /// The address that opens the counterexample found, paused just before it breaks.
    pub fn counterexample_link(&self) -> Option<String> {
        let found = self.breaking.current.as_ref()?.search.found.as_ref()?;
        Some(format!("#/run/{}", encode_link(&found.script)))
    }

    /// The finished search over every rule kept, with this budget, if one ran.
    pub fn intact_record(&self, budget: u64) -> Option<&SearchRecord> {
        self.breaking
            .done
            .iter()
            .find(|r| r.search.rule.is_none() && r.search.budget == budget)
    }
}

/// How far the work goes, as a fraction for a progress bar.
pub fn fraction(done: u64, all: u64) -> f64 {
    if all == 0 {
        1.0
    } else {
        done as f64 / all as f64
    }
}

/// Time in ms with one decimal when short: what the tables show.
pub fn ms_label(t: Option<Time>) -> String {
    match t {
        Some(t) if t < 100 * MS => format!("{:.1}", t as f64 / MS as f64),
        Some(t) => (t / MS).to_string(),
        None => "—".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::decode_link;

    #[test]
    fn addresses_name_the_pages_and_the_rule() {
        assert_eq!(
            LabPage::parse("/figure-16"),
            Some((LabPage::Figure16, None))
        );
        assert_eq!(LabPage::parse(""), Some((LabPage::Figure16, None)));
        assert_eq!(LabPage::parse("/break"), Some((LabPage::Break, None)));
        assert_eq!(
            LabPage::parse("/break/commit-earlier-term"),
            Some((LabPage::Break, Some(BrokenRule::CommitEarlierTerm)))
        );
        assert_eq!(LabPage::parse("/break/nonsense"), None);
        assert_eq!(LabPage::parse("/elsewhere"), None);
        for page in [LabPage::Figure16, LabPage::Break] {
            let rest = page.fragment().strip_prefix("#/lab").expect("lab address");
            assert_eq!(LabPage::parse(rest).map(|p| p.0), Some(page));
        }
    }

    #[test]
    fn a_small_figure_runs_in_slices_and_its_trials_open_as_links() {
        let mut lab = Lab::default();
        lab.apply(LabAction::SetTrials(Trials::Each(300)));
        for r in TOP_PANEL {
            lab.apply(LabAction::ToggleRange(r));
        }
        assert!(lab.figure16.chosen.is_empty());
        // Nothing chosen: nothing to run.
        lab.apply(LabAction::RunFigure16);
        assert!(!lab.running());
        lab.apply(LabAction::ToggleRange(TOP_PANEL[5]));
        lab.apply(LabAction::ToggleRange(TOP_PANEL[3]));
        assert_eq!(lab.figure16.chosen, vec![TOP_PANEL[3], TOP_PANEL[5]]);
        lab.apply(LabAction::RunFigure16);
        let mut frames = 0;
        while lab.running() {
            // The form waits while it runs.
            lab.apply(LabAction::ToggleRange(TOP_PANEL[0]));
            lab.frame(16.7);
            frames += 1;
        }
        assert!(frames > 1, "it ran in slices");
        let e = lab.figure16.experiment.clone().expect("ran");
        assert_eq!(e.progress(), (600, 600));
        assert_eq!(lab.figure16.chosen.len(), 2);
        assert_eq!(
            (lab.figure16.setup.latency, lab.figure16.setup.storage),
            TIME_MODELS[0],
            "the paper's model by default"
        );
        // The form changes after the run: the trials still open as they ran.
        lab.apply(LabAction::SetTimeModel(2));
        assert_eq!(lab.figure16.setup.storage, (0, 0));
        let link = lab.trial_link(TOP_PANEL[5], 3).expect("a link");
        let script = decode_link(link.strip_prefix("#/run/").expect("run link")).expect("decodes");
        assert_eq!(
            Some(script.playhead),
            e.results[1].get(3).map(|t| t.crash_at)
        );
        assert_eq!(
            script.config.net.storage_max,
            13 * MS,
            "the run's own setup"
        );
    }

    #[test]
    fn cancel_stops_a_search_and_a_finished_one_is_kept_per_rule() {
        let mut lab = Lab::default();
        lab.apply(LabAction::ChooseRule(None));
        lab.apply(LabAction::SetBudget(500));
        lab.apply(LabAction::Search);
        lab.frame(16.7);
        lab.apply(LabAction::Cancel);
        assert!(!lab.running());
        let tried = lab.breaking.current.as_ref().map(|r| r.search.tried);
        lab.frame(16.7);
        assert_eq!(lab.breaking.current.as_ref().map(|r| r.search.tried), tried);
        assert!(
            lab.breaking.done.is_empty(),
            "a cancelled search is no result"
        );

        lab.apply(LabAction::ChooseRule(Some(
            BrokenRule::KeepRoleOnHigherTerm,
        )));
        lab.apply(LabAction::Search);
        while lab.running() {
            lab.frame(16.7);
        }
        let link = lab.counterexample_link().expect("found");
        assert!(link.starts_with("#/run/"));
        // Back to another rule and again: each shows its own last search.
        lab.apply(LabAction::ChooseRule(None));
        assert_eq!(lab.breaking.current, None);
        lab.apply(LabAction::ChooseRule(Some(
            BrokenRule::KeepRoleOnHigherTerm,
        )));
        assert!(lab.breaking.current.is_some());
    }

    #[test]
    fn a_counterexample_opens_from_the_lab_paused_before_the_violation_the_page_announces() {
        use crate::ui::playground::{Action, Playground, fragment_action};
        let mut p = Playground::new(1, 5).expect("valid");
        p.apply(fragment_action("#/lab/break/keep-role-on-higher-term").expect("a lab address"));
        assert_eq!(p.lab.shown, Some(LabPage::Break));
        assert!(!p.playing, "the sandbox waits behind the lab");
        // The sandbox's shortcuts do nothing on a lab page.
        let now = p.sim.now();
        p.apply(Action::Step);
        p.apply(Action::TogglePlay);
        assert_eq!((p.sim.now(), p.playing), (now, false));
        p.apply(Action::Lab(LabAction::Search));
        while p.wants_frames() {
            p.apply(Action::Frame { elapsed_ms: 16.7 });
        }
        let link = p.lab.counterexample_link().expect("found");
        let found = p
            .lab
            .breaking
            .current
            .clone()
            .and_then(|r| r.search.found)
            .expect("found");
        // The page follows the link, as the Open button's address change makes it.
        p.apply(fragment_action(&link).expect("a run address"));
        assert_eq!(p.lab.shown, None, "the sandbox shows the run");
        while p.loading.is_some() {
            p.apply(Action::Frame { elapsed_ms: 16.7 });
        }
        assert_eq!(
            p.sim.config().raft.broken,
            Some(BrokenRule::KeepRoleOnHigherTerm)
        );
        assert_eq!(p.sim.violation(), None);
        let announced = p.next_violation().expect("the next event breaks it");
        assert_eq!(announced, found.violation);
        p.apply(Action::Step);
        assert_eq!(p.sim.violation(), Some(&announced));
        assert_eq!(p.next_violation(), None);
        // Back to the lab: the search is still there.
        p.apply(fragment_action("#/lab/break").expect("a lab address"));
        assert!(p.lab.counterexample_link().is_some());
    }
}
