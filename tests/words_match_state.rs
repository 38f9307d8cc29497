//! Every word on the page about the run agrees with the picture. For each tour step (in
//! both languages) and each gallery scenario, the claims the English words make ("S5
//! leads term 5", "4 of 5 servers hold its entry at index 2", "S1 is down", "index 2 is
//! committed") are read with simple patterns and checked against the state on screen;
//! the Chinese words must name the same servers and numbers. Captions, questions,
//! answers and the line under the logs (the quorum meter) are all read.
//!
//! The patterns are deliberately plain: a new caption that states a fact in a form they
//! do not know is not checked, so a caption should prefer the forms below.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Mutex;

use raft_playground::raft::{NodeEvent, NodeId, Role, SnapshotOutcome, Term};
use raft_playground::sim::tour::{Answer, CHAPTERS, Question, build};
use raft_playground::sim::{
    EventKind, Intervention, Links, ReadFate, SCENARIOS, Sim, WriteFate, describe, scenario,
};
use raft_playground::ui::lang::Lang;
use raft_playground::ui::tour_text::{caption, question_text, reveal_text};
use raft_playground::ui::words::{event_sentence, quorum_meter, scenario_caption};
use regex::Regex;

/// What a text is, which decides the rules beyond its claims.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    /// A tour step's caption: it must name every server drawn as a candidate.
    Caption,
    /// The line under the logs: it must speak of every running leader and say how many
    /// servers hold each one's newest entry.
    Meter,
    /// A gallery scenario's caption.
    Scenario,
}

/// A compiled pattern, compiled once (the event check reads thousands of sentences).
fn re(pattern: &str) -> Regex {
    static CACHE: Mutex<BTreeMap<String, Regex>> = Mutex::new(BTreeMap::new());
    let mut cache = CACHE.lock().unwrap_or_else(|e| e.into_inner());
    cache
        .entry(pattern.to_string())
        .or_insert_with(|| Regex::new(pattern).unwrap_or_else(|e| panic!("{pattern}: {e}")))
        .clone()
}

/// `3` (a pattern's digit after "S") as 2.
fn sid(digit: &str) -> NodeId {
    digit.parse::<NodeId>().expect("a server number") - 1
}

/// `S3` as 2.
fn server(name: &str) -> NodeId {
    name.trim_start_matches('S')
        .parse::<NodeId>()
        .expect("S<n>")
        - 1
}

fn number_word(word: &str) -> Option<usize> {
    let words = [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
    ];
    words.iter().position(|w| w.eq_ignore_ascii_case(word))
}

/// Sentences, split where a full stop, question or exclamation mark ends one (not inside
/// "§5.4.2" or "x = 5.5").
fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if matches!(b, b'.' | b'?' | b'!') && bytes.get(i + 1).is_none_or(|&c| c == b' ') {
            out.push(text[start..=i].trim());
            start = i + 1;
        }
    }
    if start < text.len() && !text[start..].trim().is_empty() {
        out.push(text[start..].trim());
    }
    out
}

/// The facts of the run the claims are checked against.
struct Run<'a> {
    sim: &'a Sim,
}

impl Run<'_> {
    fn n(&self) -> usize {
        self.sim.servers().len()
    }
    fn majority(&self) -> usize {
        self.n() / 2 + 1
    }
    fn up(&self, id: NodeId) -> bool {
        (id as usize) < self.n() && self.sim.is_up(id)
    }
    fn role(&self, id: NodeId) -> Option<Role> {
        self.up(id).then(|| self.sim.node(id).role)
    }
    fn term(&self, id: NodeId) -> Term {
        self.sim.node(id).current_term
    }
    fn max_term(&self) -> Term {
        self.sim
            .servers()
            .iter()
            .map(|s| s.node.current_term)
            .max()
            .unwrap_or(0)
    }
    fn running_leaders(&self) -> Vec<NodeId> {
        self.sim.leaders()
    }
    fn candidates(&self) -> Vec<NodeId> {
        raft_playground::sim::tour::candidates(self.sim)
    }
    /// Running as leader of `term`, with no running leader of a newer term.
    fn leads(&self, id: NodeId, term: Term) -> bool {
        self.role(id) == Some(Role::Leader)
            && self.term(id) == term
            && self.running_leaders().iter().all(|&l| self.term(l) <= term)
    }
    fn stale_leader(&self, id: NodeId, term: Term) -> bool {
        self.role(id) == Some(Role::Leader)
            && self.term(id) == term
            && self.running_leaders().iter().any(|&l| self.term(l) > term)
    }
    fn elected(&self, term: Term) -> Option<NodeId> {
        self.sim.leaders_by_term().get(&term).copied()
    }
    /// How many servers, running or not, store `leader`'s entry at `index`.
    fn holders(&self, leader: NodeId, index: u64) -> usize {
        let Some(term) = self.sim.node(leader).log.term_at(index) else {
            return 0;
        };
        // The voters of the leader's configuration (every server unless the membership
        // changed), the entry in their log or their snapshot.
        self.sim
            .node(leader)
            .membership()
            .voters
            .iter()
            .filter(|&&id| self.sim.holds_entry(id, index, term))
            .count()
    }
    fn newest(&self, leader: NodeId) -> u64 {
        self.sim.node(leader).log.last_index()
    }
    /// Whether the entry `leader` holds at `index` is committed anywhere (a down server's
    /// commit index counts: it committed it before it went down).
    fn committed_anywhere(&self, index: u64) -> bool {
        self.sim
            .servers()
            .iter()
            .any(|s| s.node.commit_index >= index)
    }
    /// Whether a running server draws the entry at `index` as committed (solid).
    fn drawn_committed(&self, index: u64) -> bool {
        self.sim
            .servers()
            .iter()
            .any(|s| s.up && s.node.commit_index >= index)
    }
    fn reachable(&self, from: NodeId) -> BTreeSet<NodeId> {
        let links = self.sim.links();
        (0..self.n() as NodeId)
            .filter(|&o| o != from && !links.is_cut(from, o) && !links.is_cut(o, from))
            .collect()
    }
}

/// Every claim of `text` (English) that the run does not bear out, with the reason.
fn contradictions(sim: &Sim, text: &str, kind: Kind) -> Vec<String> {
    let run = Run { sim };
    let mut bad = Vec::new();
    let mut fail = |claim: &str, why: String| bad.push(format!("“{claim}”: {why}"));
    let name = re(r"\bS(\d)\b");

    // "S2 leads term 1": running as leader of that term, and no newer leader runs.
    for c in re(r"\bS(\d) leads term (\d+)").captures_iter(text) {
        let (id, t) = (sid(&c[1]), c[2].parse().unwrap());
        if !run.leads(id, t) {
            fail(
                &c[0],
                format!("S{} is {:?} in term {}", id + 1, run.role(id), run.term(id)),
            );
        }
    }
    // "S2 still believes it leads term 1": a leader that a newer term has deposed.
    for c in re(r"\bS(\d) still believes it leads term (\d+)").captures_iter(text) {
        let (id, t) = (sid(&c[1]), c[2].parse().unwrap());
        if !run.stale_leader(id, t) {
            fail(&c[0], "it is not a leader deposed by a newer term".into());
        }
    }
    // "here S1, leader of term 1", "S2 becomes leader of term 1": the nearest server
    // named before it in the same clause was elected in that term and leads it.
    for m in re(r"\bleader of term (\d+)").captures_iter(text) {
        let whole = m.get(0).unwrap();
        let clause_start = text[..whole.start()]
            .rfind(['.', ';', ':'])
            .map_or(0, |i| i + 1);
        let Some(who) = name.find_iter(&text[clause_start..whole.start()]).last() else {
            continue;
        };
        let (id, t) = (server(who.as_str()), m[1].parse().unwrap());
        if run.elected(t) != Some(id) || !run.leads(id, t) {
            fail(
                &format!("{} … {}", who.as_str(), whole.as_str()),
                format!("term {t} was won by {:?}", run.elected(t).map(|l| l + 1)),
            );
        }
    }
    // "S2 won term 2", "S1 has just won term 4", "S3 wins term 7".
    for c in re(r"\bS(\d) (?:has just )?(?:wins|won)(?: the election of)? term (\d+)")
        .captures_iter(text)
    {
        let (id, t) = (sid(&c[1]), c[2].parse().unwrap());
        if run.elected(t) != Some(id) {
            fail(
                &c[0],
                format!("term {t} was won by {:?}", run.elected(t).map(|l| l + 1)),
            );
        }
    }
    // "Nobody wins term 1".
    for c in re(r"\b[Nn]obody (?:wins|won) term (\d+)").captures_iter(text) {
        let t = c[1].parse().unwrap();
        if let Some(l) = run.elected(t) {
            fail(&c[0], format!("S{} won it", l + 1));
        }
    }
    // "S5 is down", "S1 crashed", "S3 has crashed"; "S5 restarted", "came back".
    for c in re(r"\bS(\d) (?:is (?:still )?down|has crashed|crashed|crashes)\b").captures_iter(text)
    {
        let id = sid(&c[1]);
        if run.up(id) {
            fail(&c[0], "it is running".into());
        }
    }
    for c in re(r"\bS(\d) (?:has just restarted|restarted|came back)").captures_iter(text) {
        let id = sid(&c[1]);
        if !run.up(id) {
            fail(&c[0], "it is down".into());
        }
    }
    // Snapshots: "S1's snapshot now covers its log up to index 8 (term 1)", "its log now
    // starts with the snapshot up to index 8 (term 1)" (of the sentence's first server),
    // "S2's log ends at index 1", "S1 would send it entry 2" (a follower's nextIndex).
    for c in re(r"\bS(\d)'s snapshot (?:now )?covers its log up to index (\d+) \(term (\d+)\)")
        .captures_iter(text)
    {
        let log = &sim.node(sid(&c[1])).log;
        let (i, t): (u64, u64) = (c[2].parse().unwrap(), c[3].parse().unwrap());
        if (log.snapshot_index(), log.snapshot_term()) != (i, t) || log.snapshot().is_none() {
            fail(
                &c[0],
                format!(
                    "its snapshot is {:?}",
                    log.snapshot()
                        .map(|s| (s.last_included_index, s.last_included_term))
                ),
            );
        }
    }
    for sentence in sentences(text) {
        let Some(who) = name.find(sentence).map(|m| server(m.as_str())) else {
            continue;
        };
        for c in
            re(r"starts with the snapshot up to index (\d+) \(term (\d+)\)").captures_iter(sentence)
        {
            let log = &sim.node(who).log;
            let (i, t): (u64, u64) = (c[1].parse().unwrap(), c[2].parse().unwrap());
            if log.snapshot().is_none() || (log.snapshot_index(), log.snapshot_term()) != (i, t) {
                fail(
                    &c[0],
                    format!("S{}'s snapshot is up to {}", who + 1, log.snapshot_index()),
                );
            }
        }
    }
    // "…it sends InstallSnapshot instead: its whole state machine, x = 8, as of index 8":
    // the snapshot of the sentence's first server, as it is (not its newer state machine).
    for sentence in sentences(text) {
        let Some(who) = name.find(sentence).map(|m| server(m.as_str())) else {
            continue;
        };
        for c in re(r"state machine, x = (\d+), as of index (\d+)").captures_iter(sentence) {
            let (x, i): (i64, u64) = (c[1].parse().unwrap(), c[2].parse().unwrap());
            let snapshot = sim.node(who).log.snapshot();
            if !snapshot.is_some_and(|s| s.last_included_index == i && s.state.get("x") == Some(x))
            {
                fail(
                    &c[0],
                    format!(
                        "S{}'s snapshot is {:?}",
                        who + 1,
                        snapshot.map(|s| (s.last_included_index, s.state.get("x")))
                    ),
                );
            }
        }
    }
    for c in re(r"\bS(\d)'s log ends at index (\d+)").captures_iter(text) {
        let last = sim.node(sid(&c[1])).log.last_index();
        if last != c[2].parse::<u64>().unwrap() {
            fail(&c[0], format!("it ends at {last}"));
        }
    }
    for c in re(r"\bS(\d) would send it entry (\d+)").captures_iter(text) {
        let (l, i) = (sid(&c[1]), c[2].parse::<u64>().unwrap());
        let node = sim.node(l);
        let some_next = node.role == Role::Leader
            && node
                .next_index
                .iter()
                .enumerate()
                .any(|(p, &n)| p != l as usize && n == i);
        if !some_next || !node.log.is_compacted(i) {
            fail(
                &c[0],
                "no follower's nextIndex is that compacted entry".into(),
            );
        }
    }
    // Every "k of n" counts the whole cluster, or once its membership changed, the
    // voting servers of the configuration in force.
    let voting = sim.membership().voters.len();
    for c in re(r"\b(\d+) (?:votes )?of (?:the (?:other )?)?(\d+)\b").captures_iter(text) {
        let n: usize = c[2].parse().unwrap();
        let other = c[0].contains("other");
        if n != run.n() && n != voting && !(other && n + 1 == voting + 1) {
            fail(
                &c[0],
                format!("the cluster has {} servers, {voting} voting", run.n()),
            );
        }
    }
    // "a majority is 3": of the configuration in force.
    for c in re(r"\ba majority is (?:still |again )?(\d+)").captures_iter(text) {
        let said: usize = c[1].parse().unwrap();
        if said != voting / 2 + 1 {
            fail(&c[0], format!("{voting} servers vote"));
        }
    }
    // How many servers store an entry: "4 of 5 servers hold it", "… hold its entry at
    // index 2" (the leader its sentence names), "… have the entry". What a leader
    // knows ("the leader knows that 3 of 5 servers have the entry") is a different fact,
    // read below. `counted` keeps (leader, index) of every entry whose copies are given.
    let mut counted: Vec<(NodeId, u64)> = Vec::new();
    for sentence in sentences(text) {
        let subject = name
            .find(sentence)
            .map(|m| server(m.as_str()))
            .or(sim.leader());
        for c in re(
            r"(knows (?:that )?)?\b(\d+) of (\d+) (?:voting )?(?:servers?) (?:holds?|have|has) (it\b|the entry|its entry at index (\d+)|index (\d+))",
        )
        .captures_iter(sentence)
        {
            if c.get(1).is_some() {
                continue;
            }
            let Some(leader) = (if c[4].starts_with("its entry") {
                subject
            } else {
                sim.leader()
            }) else {
                fail(&c[0], "no leader whose entry it could be".into());
                continue;
            };
            let index = c
                .get(5)
                .or(c.get(6))
                .map_or(run.newest(leader), |m| m.as_str().parse().unwrap());
            counted.push((leader, index));
            let k: usize = c[2].parse().unwrap();
            if run.holders(leader, index) != k {
                fail(
                    &c[0],
                    format!(
                        "{} servers hold S{}'s entry at index {index}",
                        run.holders(leader, index),
                        leader + 1
                    ),
                );
            }
        }
    }
    // What a leader knows, from its matchIndex and itself: "S1 has confirmed only 2",
    // "the leader knows that 3 of 5". Where that differs from the copies stored, the
    // text must say both: a reader sees the stored copies in the logs above.
    for sentence in sentences(text) {
        for c in re(r"\b(S\d|[Tt]he leader) (?:knows (?:that |of (?:only )?)?|has confirmed (?:only )?|still counts )(\d+)")
            .captures_iter(sentence)
        {
            let leader = if c[1].starts_with('S') {
                Some(server(&c[1]))
            } else {
                sim.leader()
            };
            let Some(leader) = leader else {
                fail(&c[0], "there is no leader".into());
                continue;
            };
            let index = run.newest(leader);
            let known = sim.node(leader).replica_count(index);
            let k: usize = c[2].parse().unwrap();
            if known != k {
                fail(&c[0], format!("S{} knows of {known}", leader + 1));
            }
            let stored = run.holders(leader, index);
            if stored != known && !counted.contains(&(leader, index)) {
                fail(
                    &c[0],
                    format!(
                        "{stored} servers hold the entry at index {index}, which the logs show, but the words give only what S{} knows ({known})",
                        leader + 1
                    ),
                );
            }
        }
    }
    // Candidates: "candidates in term 1", "starts term 2", "increments its term to 1",
    // "S1's timer ran out first", "S2 has 2 votes", "S4 is still a candidate".
    for c in re(r"\bcandidates? (?:in|of|for) term (\d+)|\b(?:started|starts) term (\d+)|\bincrements its term to (\d+)")
        .captures_iter(text)
    {
        let t: Term = c
            .get(1)
            .or(c.get(2))
            .or(c.get(3))
            .unwrap()
            .as_str()
            .parse()
            .unwrap();
        if !run.candidates().iter().any(|&x| run.term(x) == t) {
            fail(&c[0], format!("no running candidate is in term {t}"));
        }
    }
    for c in
        re(r"\bS(\d)'s (?:timer )?ran out first|\bS(\d) is still a candidate").captures_iter(text)
    {
        let id = sid(c.get(1).or(c.get(2)).unwrap().as_str());
        if !run.candidates().contains(&id) {
            fail(&c[0], format!("S{} is not a candidate", id + 1));
        }
    }
    // "S4 also stood in term 5": a candidate of the term someone else won.
    for c in re(r"\bS(\d) also stood in term (\d+)").captures_iter(text) {
        let id = sid(&c[1]);
        let t: Term = c[2].parse().unwrap();
        if !run.candidates().contains(&id) || run.term(id) != t || run.elected(t) == Some(id) {
            fail(
                &c[0],
                format!("S{} is {:?} in term {}", id + 1, run.role(id), run.term(id)),
            );
        }
    }
    for c in re(r"\bS(\d) has (\d+) votes").captures_iter(text) {
        let id = sid(&c[1]);
        let votes = sim.node(id).votes_granted.len();
        if run.role(id) != Some(Role::Candidate) || votes != c[2].parse::<usize>().unwrap() {
            fail(&c[0], format!("it has {votes}"));
        }
    }
    // "S1 grants its vote", "S2 and S3 granted their votes": to the candidate, or to the
    // leader it became.
    for c in re(r"\bS(\d) grants its vote").captures_iter(text) {
        let id = sid(&c[1]);
        let to = sim.node(id).voted_for;
        if !to
            .is_some_and(|v| v != id && (run.candidates().contains(&v) || sim.leader() == Some(v)))
        {
            fail(&c[0], format!("it voted for {to:?}"));
        }
    }
    for c in re(r"((?:S\d(?:, | and )?)+) granted their votes").captures_iter(text) {
        for who in name.find_iter(&c[1]) {
            let id = server(who.as_str());
            if sim.leader().is_none() || sim.node(id).voted_for != sim.leader() {
                fail(
                    &c[0],
                    format!("{} voted for {:?}", who.as_str(), sim.node(id).voted_for),
                );
            }
        }
    }
    // Majorities: "a majority is 3", "3 are needed", "needs 3".
    for c in re(r"\ba majority is (\d+)|\b(\d+) are needed|\bneeds (\d+)").captures_iter(text) {
        let k: usize = c
            .get(1)
            .or(c.get(2))
            .or(c.get(3))
            .unwrap()
            .as_str()
            .parse()
            .unwrap();
        if k != run.majority() {
            fail(&c[0], format!("a majority is {}", run.majority()));
        }
    }
    // Servers counted in words: "Five servers", "the two servers left", "the four
    // servers that are up", "Five followers" (opening a sentence: "if two followers time
    // out" is a supposition).
    for c in re(r"(?i)\b(the other |the )?(two|three|four|five|six|seven|eight|nine) (servers|followers)( that are up| left)?")
        .captures_iter(text)
    {
        if c.get(1).is_some_and(|m| m.as_str().eq_ignore_ascii_case("the other ")) {
            continue;
        }
        let opens = c.get(2).unwrap().as_str().starts_with(char::is_uppercase);
        if c[3].eq_ignore_ascii_case("followers") && !opens {
            continue;
        }
        let k = number_word(&c[2]).unwrap();
        let running = sim.servers().iter().filter(|s| s.up).count();
        let (what, actual) = if c.get(4).is_some() {
            ("running servers", running)
        } else if c[3].eq_ignore_ascii_case("followers") {
            (
                "followers",
                sim.servers()
                    .iter()
                    .filter(|s| s.up && s.node.role == Role::Follower)
                    .count(),
            )
        } else {
            ("servers", run.n())
        };
        if k != actual {
            fail(&c[0], format!("there are {actual} {what}"));
        }
    }
    // Who can talk to whom.
    for c in re(r"\bS(\d) can reach only S(\d)").captures_iter(text) {
        let (a, b) = (sid(&c[1]), sid(&c[2]));
        if run.reachable(a) != BTreeSet::from([b]) {
            fail(&c[0], format!("it reaches {:?}", run.reachable(a)));
        }
    }
    for c in re(r"\bS(\d) and S(\d) can still talk to each other, but not to the other (\w+)")
        .captures_iter(text)
    {
        let (a, b) = (sid(&c[1]), sid(&c[2]));
        let others = number_word(&c[3]).unwrap_or(usize::MAX);
        if run.reachable(a) != BTreeSet::from([b])
            || run.reachable(b) != BTreeSet::from([a])
            || others != run.n() - 2
        {
            fail(
                &c[0],
                format!("{:?} and {:?}", run.reachable(a), run.reachable(b)),
            );
        }
    }
    // "S5 missed 30 writes": the leader's log is that much longer.
    for c in re(r"\bS(\d) missed (\d+) writes").captures_iter(text) {
        let id = sid(&c[1]);
        let missed = sim
            .leader()
            .map(|l| run.newest(l).saturating_sub(sim.node(id).log.last_index()));
        if missed != Some(c[2].parse().unwrap()) {
            fail(&c[0], format!("it is {missed:?} entries behind the leader"));
        }
    }
    // "S5 has it in its log now": the leader's newest entry.
    for c in re(r"\bS(\d) has it in its log").captures_iter(text) {
        let id = sid(&c[1]);
        let ok = sim
            .leader()
            .is_some_and(|l| sim.node(id).log.last_index() >= run.newest(l));
        if !ok {
            fail(&c[0], "it does not hold the leader's newest entry".into());
        }
    }
    // "S2 saw term 2 in a message and stepped down to follower".
    for c in re(r"\bS(\d) saw term (\d+)[^.]*?stepped down to follower").captures_iter(text) {
        let id = sid(&c[1]);
        let t: Term = c[2].parse().unwrap();
        if run.role(id) != Some(Role::Follower) || run.term(id) < t {
            fail(
                &c[0],
                format!("it is {:?} in term {}", run.role(id), run.term(id)),
            );
        }
    }
    // "its term-2 entry at index 2 to a majority".
    for c in re(r"\bits term-(\d+) entry at index (\d+) to a majority").captures_iter(text) {
        let (t, i): (Term, u64) = (c[1].parse().unwrap(), c[2].parse().unwrap());
        let holders = sim
            .servers()
            .iter()
            .filter(|s| s.node.log.term_at(i) == Some(t))
            .count();
        if holders < run.majority() {
            fail(&c[0], format!("{holders} servers hold it"));
        }
    }
    // "every server holds x = 1", "every server's state machine holds x = 5": every
    // running server has applied it.
    for c in
        re(r"\bevery server(?:'s state machine)? (?:now )?holds x = (-?\d+)").captures_iter(text)
    {
        let v: i64 = c[1].parse().unwrap();
        if !sim
            .servers()
            .iter()
            .filter(|s| s.up)
            .all(|s| s.node.kv.get("x") == Some(v))
        {
            fail(&c[0], "not every running server has applied it".into());
        }
    }
    // Commit claims about an index. Committed means some server committed it (a down
    // one counts); the picture draws it solid only on a running server that knows, so
    // when none does, the words must say why it is drawn hatched.
    let committed = re(
        r"\bindex(?:es)? (\d+)(?: and (\d+))? (?:is|are) committed|\bcommitted entr(?:y|ies) at index(?:es)? (\d+)(?: and (\d+))?|\bcommitted index(?:es)? (\d+)(?: and (\d+))?|\b[Cc]ommitting index (\d+) commits index (\d+)",
    );
    for c in committed.captures_iter(text) {
        for i in c.iter().skip(1).flatten() {
            let i: u64 = i.as_str().parse().unwrap();
            if !run.committed_anywhere(i) {
                fail(&c[0], format!("no server has committed index {i}"));
            } else if !run.drawn_committed(i) && !text.contains("hatched") {
                fail(
                    &c[0],
                    format!(
                        "every running server draws index {i} hatched (uncommitted), and the words do not say why"
                    ),
                );
            }
        }
    }
    for c in re(r"\bindex (\d+), uncommitted").captures_iter(text) {
        let i: u64 = c[1].parse().unwrap();
        if run.committed_anywhere(i) {
            fail(&c[0], format!("index {i} is committed"));
        }
    }
    // The meter's verdict on each leader's entry: "its entry at index 2 … → committed"
    // (by this leader), "→ committed by S1" (a server that did, the leader not yet), "→
    // not committed" (by nobody: a commit anywhere would make it false).
    for sentence in sentences(text) {
        let Some(leader) = name.find(sentence).map(|m| server(m.as_str())) else {
            continue;
        };
        let verdict = re(
            r"(?:its entry at|have) index (\d+)[^.]*?→ (not committed|committed by ((?:S\d(?: and )?)+)|committed)",
        );
        for c in verdict.captures_iter(sentence) {
            let i: u64 = c[1].parse().unwrap();
            let term = sim.node(leader).log.term_at(i);
            let has_committed =
                |id: NodeId| sim.node(id).commit_index >= i && sim.node(id).log.term_at(i) == term;
            let anywhere = (0..run.n() as NodeId).any(has_committed);
            let ok = match c.get(3) {
                Some(by) => {
                    !has_committed(leader)
                        && name
                            .find_iter(by.as_str())
                            .all(|m| has_committed(server(m.as_str())))
                }
                None if &c[2] == "committed" => has_committed(leader),
                None => !anywhere,
            };
            if !ok {
                fail(
                    &c[0],
                    format!(
                        "S{}'s commit index is {}; committed by {:?} (as S<n>-1)",
                        leader + 1,
                        sim.node(leader).commit_index,
                        (0..run.n() as NodeId)
                            .filter(|&id| has_committed(id))
                            .collect::<Vec<_>>()
                    ),
                );
            }
        }
    }
    // No term from the future.
    for c in re(r"\bterm[- ](\d+)").captures_iter(text) {
        let t: Term = c[1].parse().unwrap();
        if t > run.max_term() {
            fail(&c[0], format!("no server has reached term {t}"));
        }
    }

    // What each kind of text must cover.
    match kind {
        Kind::Caption | Kind::Scenario => {
            for c in run.candidates() {
                if !name.find_iter(text).any(|m| server(m.as_str()) == c) {
                    fail(
                        text,
                        format!(
                            "S{} is drawn as a candidate of term {} but the words do not name it",
                            c + 1,
                            run.term(c)
                        ),
                    );
                }
            }
        }
        Kind::Meter => {
            for l in run.running_leaders() {
                if !name.find_iter(text).any(|m| server(m.as_str()) == l) {
                    fail(
                        text,
                        format!(
                            "S{} is drawn as a leader (term {}) but the line does not speak of it",
                            l + 1,
                            run.term(l)
                        ),
                    );
                }
                if run.newest(l) > 0 && !counted.contains(&(l, run.newest(l))) {
                    fail(
                        text,
                        format!(
                            "the line does not say how many servers hold S{}'s newest entry",
                            l + 1
                        ),
                    );
                }
            }
        }
    }
    bad
}

/// The servers and numbers a text names: `S3`, digits, and small numbers in words
/// ("three servers", "三台"), so that two languages can be compared.
fn named_facts(text: &str, lang: Lang) -> BTreeSet<String> {
    let mut facts: BTreeSet<String> = re(r"S\d\b")
        .find_iter(text)
        .map(|m| m.as_str().to_string())
        .collect();
    for m in re(r"\d+").find_iter(text) {
        let after_s = text[..m.start()].ends_with('S');
        if !after_s {
            facts.insert(m.as_str().to_string());
        }
    }
    match lang {
        Lang::En => {
            for m in re(r"(?i)\b(two|three|four|five|six|seven|eight|nine)\b").captures_iter(text) {
                facts.insert(number_word(&m[1]).unwrap().to_string());
            }
        }
        Lang::Zh => {
            for m in re(r"([两二三四五六七八九])[台个种票次名]").captures_iter(text)
            {
                let k = "零一二三四五六七八九"
                    .chars()
                    .position(|c| m[1].starts_with(c));
                let k = if &m[1] == "两" { Some(2) } else { k };
                facts.insert(k.unwrap().to_string());
            }
        }
    }
    facts
}

fn same_facts(en: &str, zh: &str) -> Option<String> {
    let (e, z) = (named_facts(en, Lang::En), named_facts(zh, Lang::Zh));
    (e != z).then(|| {
        format!(
            "English and Chinese name different facts: only English {:?}, only Chinese {:?}\n  {en}\n  {zh}",
            e.difference(&z).collect::<Vec<_>>(),
            z.difference(&e).collect::<Vec<_>>()
        )
    })
}

/// Checks one text in both languages against the run; collects what is wrong.
fn check(problems: &mut Vec<String>, at: &str, sim: &Sim, en: &str, zh: &str, kind: Kind) {
    for why in contradictions(sim, en, kind) {
        problems.push(format!("{at} ({kind:?}): {why}\n  {en}"));
    }
    if let Some(why) = same_facts(en, zh) {
        problems.push(format!("{at} ({kind:?}): {why}"));
    }
}

/// The leader first elected in a term newer than any `before` had seen, in `run`.
fn next_leader(before: &Sim, run: &Sim) -> Option<NodeId> {
    let newest = before.leaders_by_term().keys().next_back().copied();
    run.leaders_by_term()
        .iter()
        .find(|(t, _)| Some(**t) > newest)
        .map(|(_, l)| *l)
}

/// A question's answer must be what the whole run shows, not only the next step: a
/// "which server becomes leader?" answered "nobody" is wrong if one wins a step later.
fn question_problems(c: usize, k: usize, q: Question, later: usize) -> Vec<String> {
    let chapter = &CHAPTERS[c];
    let at = format!("{} step {}", chapter.id, k + 1);
    let before = build(c, k).unwrap();
    let after = build(c, k + later).unwrap();
    // The end of the run the question is about: the chapter's last step, or the step
    // before a fresh cluster starts (the disruptive-server chapter tells two runs).
    let last = (k + 1..chapter.steps.len())
        .find(|&j| chapter.steps[j].fresh.is_some())
        .map_or(chapter.steps.len() - 1, |fresh| fresh - 1);
    let end = build(c, last).unwrap();
    let answer = q.answer(&before, &after);
    let (en, zh) = (question_text(Lang::En, q), question_text(Lang::Zh, q));
    let mut problems = Vec::new();
    if let Some(why) = same_facts(&en, &zh) {
        problems.push(format!("{at} (question): {why}"));
    }
    for (en, zh) in [(
        reveal_text(Lang::En, q, None, answer),
        reveal_text(Lang::Zh, q, None, answer),
    )] {
        if let Some(why) = same_facts(&en, &zh) {
            problems.push(format!("{at} (reveal): {why}"));
        }
    }
    let term_asked = re(r"\bterm (\d+)")
        .captures(&en)
        .map(|c| c[1].parse::<Term>().unwrap());
    let wrong = |what: String| format!("{at} (question “{en}”, answer {answer:?}): {what}");
    match (q, answer) {
        (_, Answer::Server(said)) => {
            let truth = match term_asked {
                Some(t) => end.leaders_by_term().get(&t).copied(),
                None => next_leader(&before, &end),
            };
            if said != truth {
                problems.push(wrong(format!(
                    "the chapter's run elects {:?} (as S<n>-1)",
                    truth
                )));
            }
        }
        (Question::WillCommit, Answer::YesNo(said)) => {
            // The write just made when the question is asked, as it ends up.
            let asked = before.writes().last().map(|w| w.id);
            let fate = end
                .writes()
                .iter()
                .find(|w| Some(w.id) == asked)
                .map(|w| &w.fate);
            let truth = matches!(
                fate,
                Some(WriteFate::Committed { .. } | WriteFate::Acknowledged { .. })
            );
            if said != truth {
                problems.push(wrong(format!("the write ends {fate:?}")));
            }
        }
        (Question::IsCommitted(i), Answer::YesNo(said)) => {
            let run = Run { sim: &after };
            if said != run.committed_anywhere(i) || !en.contains(&format!("index {i}")) {
                problems.push(wrong(format!(
                    "index {i} committed: {}",
                    run.committed_anywhere(i)
                )));
            }
        }
        (Question::LocalReadReturns, Answer::Value(said)) => {
            // The local read the next step makes, as the run answers it, and a value some
            // running server held when the question was asked (one of the options).
            let truth = after.reads().last().and_then(|r| match r.fate {
                ReadFate::Answered { value, .. } => Some(value),
                _ => None,
            });
            let offered = before
                .servers()
                .iter()
                .any(|s| s.up && s.node.kv.get("x") == said);
            if truth != Some(said) || !offered || !en.contains("local read of x") {
                problems.push(wrong(format!("the read answered {truth:?}")));
            }
        }
        (Question::EntriesOrSnapshot, Answer::Snapshot(said)) => {
            // How the server down when the question was asked caught up, by the end:
            // whether it installed a snapshot.
            let down = before.servers().iter().find(|s| !s.up).map(|s| s.node.id);
            let installed = down.is_some_and(|f| {
                end.trace().iter().any(|e| {
                    matches!(
                        &e.kind,
                        EventKind::Node {
                            node,
                            event: NodeEvent::SnapshotHandled {
                                outcome: SnapshotOutcome::Installed { .. },
                                ..
                            },
                        } if *node == f
                    )
                })
            });
            if said != installed || down.is_none() {
                problems.push(wrong(format!(
                    "the down server installed a snapshot: {installed}"
                )));
            }
        }
        (Question::MajorityOnceVoting, Answer::Count(said)) => {
            // The newest server votes at the answering step, and the majority is said.
            let new = after.server_count() - 1;
            let m = after.membership();
            if !m.voters.contains(&new) || said != m.voters.len() / 2 + 1 {
                problems.push(wrong(format!("{} vote then", m.voters.len())));
            }
        }
        (q, a) => problems.push(wrong(format!("{q:?} answered {a:?}"))),
    }
    problems
}

#[test]
fn every_tour_step_says_what_its_checkpoint_shows_in_both_languages() {
    let mut problems = Vec::new();
    for (c, chapter) in CHAPTERS.iter().enumerate() {
        for k in 0..chapter.steps.len() {
            let sim = build(c, k).unwrap();
            let at = format!("{} step {}", chapter.id, k + 1);
            let (en, zh) = (caption(Lang::En, c, k, &sim), caption(Lang::Zh, c, k, &sim));
            check(&mut problems, &at, &sim, &en, &zh, Kind::Caption);
            match (quorum_meter(Lang::En, &sim), quorum_meter(Lang::Zh, &sim)) {
                (Some(en), Some(zh)) => check(&mut problems, &at, &sim, &en, &zh, Kind::Meter),
                (None, None) => assert!(sim.leaders().is_empty(), "{at}: a leader and no meter"),
                _ => problems.push(format!("{at}: a meter in one language only")),
            }
            if let Some((q, later)) = chapter.steps[k].question {
                problems.extend(question_problems(c, k, q, later));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn every_gallery_caption_says_what_its_scenario_opens_on() {
    let mut problems = Vec::new();
    for name in SCENARIOS {
        let script = scenario(name).expect("known").expect("builds");
        let sim = Sim::replay(&script).unwrap();
        let en = scenario_caption(Lang::En, name).unwrap();
        let zh = scenario_caption(Lang::Zh, name).unwrap();
        check(&mut problems, name, &sim, en, zh, Kind::Scenario);
    }
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// Words that give a lone server others to ask, or a majority of others to win.
fn speaks_of_others(en: &str, zh: &str) -> bool {
    en.contains("the others")
        || en.contains("wins a majority")
        || zh.contains("其他服务器")
        || zh.contains("获得多数派的选票")
}

/// What a partition's sentence says against the links after it: it must list the groups
/// they form, or, where one-way cuts leave none, say that earlier cuts stay.
fn partition_problem(en: &str, links_after: Option<Links>, n: NodeId) -> Option<String> {
    let mut said: Vec<Vec<NodeId>> = re(r"\{([^}]*)\}")
        .captures_iter(en)
        .map(|g| {
            re(r"S\d")
                .find_iter(&g[1])
                .map(|m| server(m.as_str()))
                .collect()
        })
        .collect();
    said.iter_mut().for_each(|g| g.sort());
    said.sort();
    match links_after.map(|l| l.groups(n)) {
        Some(Some(groups)) if groups == said => None,
        Some(None) if en.contains("links cut earlier stay cut") => None,
        actual => Some(format!("“{en}”, but the links form {actual:?}")),
    }
}

/// The event log's words about one run, as the page shows them.
fn event_problems(at: &str, sim: &Sim) -> Vec<String> {
    let mut problems = Vec::new();
    let n = sim.servers().len() as NodeId;
    for (i, e) in sim.trace().iter().enumerate() {
        let seq = sim.trace_forgotten() + i as u64;
        let en = event_sentence(Lang::En, sim, seq, &e.kind);
        let zh = event_sentence(Lang::Zh, sim, seq, &e.kind);
        if n == 1 && speaks_of_others(&en, &zh) {
            problems.push(format!("{at}: a lone server: {en} / {zh}"));
        }
        if let EventKind::Intervention(Intervention::Partition(_)) = &e.kind
            && let Some(why) = partition_problem(&en, sim.links_after(seq), n)
        {
            problems.push(format!("{at}: {why}"));
        }
        if let Some(why) = same_facts(&en, &zh) {
            problems.push(format!("{at} (event): {why}"));
        }
    }
    problems
}

#[test]
fn every_event_the_tour_and_the_gallery_log_fits_its_cluster() {
    let mut problems = Vec::new();
    for (c, chapter) in CHAPTERS.iter().enumerate() {
        for k in 0..chapter.steps.len() {
            let sim = build(c, k).unwrap();
            problems.extend(event_problems(
                &format!("{} step {}", chapter.id, k + 1),
                &sim,
            ));
        }
    }
    for name in SCENARIOS {
        let sim = Sim::replay(&scenario(name).unwrap().unwrap()).unwrap();
        problems.extend(event_problems(name, &sim));
    }
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// The checker is only as good as its patterns: each contradiction issue 10 reported,
/// in the words the page used before, must be caught.
#[test]
fn the_checker_catches_the_contradictions_it_was_written_for() {
    let at = |chapter: &str, step: usize| {
        build(
            raft_playground::sim::tour::chapter_index(chapter).unwrap(),
            step,
        )
        .unwrap()
    };
    let caught = |sim: &Sim, text: &str, kind: Kind| {
        let found = contradictions(sim, text, kind);
        assert!(!found.is_empty(), "not caught: {text}");
    };
    // Snapshots: a snapshot boundary, a log's end or a nextIndex the state does not have.
    let snapshots = at("snapshots", 1);
    let leader = snapshots.leader().map_or(0, |l| l + 1);
    caught(
        &snapshots,
        &format!("S{leader}'s snapshot now covers its log up to index 3 (term 1)."),
        Kind::Caption,
    );
    caught(
        &at("snapshots", 2),
        &format!("S{leader} would send it entry 14."),
        Kind::Caption,
    );
    // The leader's state machine (x = 13) given as its snapshot's, which is of index 8.
    caught(
        &at("snapshots", 2),
        &format!(
            "S{leader} would send it entry 2, but that entry is inside its snapshot, so it sends InstallSnapshot (the page) instead: its whole state machine, x = 13, as of index 8."
        ),
        Kind::Caption,
    );
    // Figure 8: four logs hold index 2, the line said only what S1 knew.
    caught(
        &at("figure-8", 1),
        "S1 knows 2 of 5 have index 2 → not committed: from an earlier term, it commits only with an entry of this term",
        Kind::Meter,
    );
    // A leader just elected: "knows 1 … committed" under five copies.
    caught(
        &at("leader-crash", 2),
        "S2 knows 1 of 5 have index 1 → committed",
        Kind::Meter,
    );
    // Figure 8: S4 drawn as a candidate of term 5, unnamed.
    caught(
        &at("figure-8", 3),
        "S1 crashed; S5 restarted and timed out. Its last log term, 3, is newer than any other running server's, so they grant their votes: S5 leads term 5.",
        Kind::Caption,
    );
    // Figure 8's end: committed entries, drawn hatched on every running server.
    caught(
        &at("figure-8", 6),
        "The committed entries at index 2 and 3 are in every running server's log: a committed entry is never lost.",
        Kind::Caption,
    );
    // The partition: the line spoke of S5's empty log only, the step of S2's write.
    caught(
        &at("partition", 4),
        "S5 leads term 2; its log is empty, so there is nothing to commit yet.",
        Kind::Meter,
    );
    // Figure 8's end: the line said "not committed" of an entry S1 had committed, even
    // with both counts given.
    caught(
        &at("figure-8", 6),
        "S3 leads term 7: 5 of 5 servers hold its entry at index 3; S3 has confirmed only 4 of them so far (itself and its matchIndex) → not committed: from an earlier term, it commits only with an entry of this term.",
        Kind::Meter,
    );
    // The split vote: "nobody" becomes leader, yet S1 wins term 2 a step later.
    assert!(!question_problems(3, 0, Question::WhichLeader, 1).is_empty());
    // And what the checker found besides: S3 unnamed as a candidate, the leader's count
    // given for five copies, the stale leader misnamed in the gallery.
    caught(
        &at("split-vote", 2),
        "Nobody won term 1. S1's ran out first: it starts term 2 and asks for votes.",
        Kind::Caption,
    );
    caught(
        &at("log-replication", 3),
        "The leader knows that 3 of 5 servers have the entry: a majority.",
        Kind::Caption,
    );
    let stale = Sim::replay(&scenario("stale-leader").unwrap().unwrap()).unwrap();
    caught(&stale, "S1 still believes it leads term 1.", Kind::Scenario);
    // The event log: a lone server "asks the others"; a second split named two groups.
    let alone = at("consensus", 0);
    assert!(alone.trace().iter().any(|e| {
        let old = describe(&e.kind);
        speaks_of_others(&old, "")
    }));
    let mut sim = at("partition", 1);
    sim.apply(Intervention::Partition(vec![vec![2, 3], vec![4, 0, 1]]))
        .unwrap();
    let seq = sim.trace_forgotten() + sim.trace().len() as u64 - 1;
    let old = describe(&sim.trace().last().unwrap().kind);
    assert!(
        partition_problem(&old, sim.links_after(seq), 5).is_some(),
        "{old}"
    );
    let now = event_sentence(Lang::En, &sim, seq, &sim.trace().last().unwrap().kind);
    assert_eq!(
        partition_problem(&now, sim.links_after(seq), 5),
        None,
        "{now}"
    );
}
