//! The safety checker: the five properties of the paper's Figure 3, plus the promise
//! a client cares about, checked after every event of every run.
//!
//! It watches the events the nodes emit and the nodes' state. Most checks are
//! incremental (each entry is checked once, when it appears), so the checker is cheap
//! enough to run in the browser and in thousands of randomised tests.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::raft::{
    Breach, Command, Entry, LogIndex, Membership, NodeEvent, NodeId, Role, SharedVec,
    SnapshotOutcome, Term, Time, WriteId, server_name as name,
};

use super::Server;
use super::linearizability::Stale;

/// The properties Raft guarantees at all times (Figure 3), plus acknowledged writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Invariant {
    /// At most one leader can be elected in a given term.
    ElectionSafety,
    /// A leader never overwrites or deletes entries in its log; it only appends.
    LeaderAppendOnly,
    /// If two logs contain an entry with the same index and term, the logs are identical up to that index.
    LogMatching,
    /// If an entry is committed in a term, it is in the logs of the leaders of all higher terms.
    LeaderCompleteness,
    /// If a server has applied an entry at an index, no other server ever applies a different one there.
    StateMachineSafety,
    /// A write that a leader acknowledged to its client is never lost.
    AcknowledgedWriteKept,
    /// Every read returns a value that some order of the reads and writes, consistent
    /// with when each was sent and answered, explains: no stale reads.
    Linearizability,
    /// No two configurations in use at once differ by more than one voting server: a
    /// leader's configuration is the committed one or one change beyond it, so any two
    /// majorities overlap (dissertation 4.1).
    OneServerAtATime,
}

impl Invariant {
    pub fn name(self) -> &'static str {
        match self {
            Invariant::ElectionSafety => "Election Safety",
            Invariant::LeaderAppendOnly => "Leader Append-Only",
            Invariant::LogMatching => "Log Matching",
            Invariant::LeaderCompleteness => "Leader Completeness",
            Invariant::StateMachineSafety => "State Machine Safety",
            Invariant::AcknowledgedWriteKept => "Acknowledged writes are kept",
            Invariant::Linearizability => "Linearizable reads",
            Invariant::OneServerAtATime => "One server at a time",
        }
    }
}

/// A broken invariant, with the time and the evidence.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Violation {
    pub invariant: Invariant,
    pub time: Time,
    pub detail: String,
    /// For a stale read, the checker's evidence as data (for the page's words).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stale: Option<Stale>,
}

/// What the checker remembers about a leader, to see that it only appends.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct LeaderWatch {
    node: NodeId,
    term: Term,
    len: LogIndex,
    last: Option<Entry>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SafetyChecker {
    /// The one leader of each term, as elected.
    leaders: BTreeMap<Term, NodeId>,
    /// Every entry ever seen, by index (`seen[index - 1]`) then term, with the term of
    /// the entry before it. By induction on the index, "same (index, term) ⇒ same entry
    /// and same previous term" for every log ever seen is exactly Log Matching.
    /// Invariant: a log is checked from index 1 on, one index after another, so every
    /// index up to the longest log ever seen has a slot. Shared with copies (checkpoints).
    /// The first entry seen at an index is kept here, the entries of other terms at the
    /// same index (a conflict: rare) in `seen_more`: a list per index would be one small
    /// allocation for every entry of the run.
    /// (`None`: a gap, an index no checked log held, as after a snapshot the checker did
    /// not see the log of.)
    seen: SharedVec<Option<(Term, Term, Entry)>>,
    /// The entries of other terms seen at an index after the one in `seen`, oldest first.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    seen_more: BTreeMap<LogIndex, Vec<(Term, Term, Entry)>>,
    /// Per server: how much of its log has been checked against `seen` already.
    checked_len: Vec<LogIndex>,
    /// The entries applied at each index (index 1 first), and the term of the server
    /// that first applied it: the committed log as the state machines see it.
    applied: SharedVec<(Entry, Term)>,
    /// Current leaders being watched for append-only behaviour.
    watched: Vec<LeaderWatch>,
    /// Writes acknowledged to their clients, by index (`acknowledged[index - 1]`).
    acknowledged: SharedVec<Option<WriteId>>,
    /// The newest committed configuration, once the membership ever changed (as applied).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    committed_config: Option<Membership>,
}

impl SafetyChecker {
    pub fn new(servers: usize) -> SafetyChecker {
        SafetyChecker {
            checked_len: vec![0; servers],
            ..SafetyChecker::default()
        }
    }

    /// Makes room for a server added to the run.
    pub fn server_added(&mut self) {
        self.checked_len.push(0);
    }

    /// The leader of each term so far.
    pub fn leaders_by_term(&self) -> &BTreeMap<Term, NodeId> {
        &self.leaders
    }

    /// The highest index that some state machine has applied.
    pub fn committed_len(&self) -> LogIndex {
        self.applied.len() as LogIndex
    }

    /// The entry committed at `index`, as applied.
    pub fn committed_entry(&self, index: LogIndex) -> Option<&Entry> {
        index
            .checked_sub(1)
            .and_then(|i| self.applied.get(i as usize))
            .map(|(e, _)| e)
    }

    /// Forget what was checked of a server's log: its log was replaced by a scenario.
    pub fn log_replaced(&mut self, node: NodeId) {
        self.checked_len[node as usize] = 0;
        self.watched.retain(|w| w.node != node);
    }

    /// Election Safety: `node` leads `term`, which no other server may have led.
    fn leads(&mut self, now: Time, node: NodeId, term: Term) -> Result<(), Violation> {
        if let Some(&other) = self.leaders.get(&term).filter(|&&o| o != node) {
            return Err(Violation {
                invariant: Invariant::ElectionSafety,
                time: now,
                detail: format!(
                    "{} and {} are both leaders of term {term}",
                    name(other),
                    name(node)
                ),
                stale: None,
            });
        }
        self.leaders.insert(term, node);
        Ok(())
    }

    /// `node` leads `term` from now on: Election Safety, Leader Completeness (every entry
    /// committed in an earlier term is in its log), the configuration it uses, and a
    /// watch on its log (Leader Append-Only).
    fn new_leader(
        &mut self,
        now: Time,
        node: NodeId,
        term: Term,
        servers: &[Server],
    ) -> Result<(), Violation> {
        self.leads(now, node, term)?;
        let log = &servers[node as usize].node.log;
        // Entries in its snapshot are there too, as the state they produced; the
        // snapshot's own last entry was checked against the committed one when the
        // snapshot was taken or installed.
        let compacted = log.snapshot_index() as usize;
        for (i, (entry, commit_term)) in self.applied.iter().enumerate().skip(compacted) {
            let index = i as LogIndex + 1;
            if *commit_term < term && log.get(index) != Some(entry) {
                return Err(Violation {
                    invariant: Invariant::LeaderCompleteness,
                    time: now,
                    detail: format!(
                        "{} leads term {term} without entry {index} ({}), committed in term {commit_term}",
                        name(node),
                        entry.command
                    ),
                    stale: None,
                });
            }
        }
        self.config_in_use(now, node, &servers[node as usize].node.membership())?;
        self.watched.retain(|w| w.node != node);
        self.watched.push(LeaderWatch {
            node,
            term,
            len: log.last_index(),
            last: log.get(log.last_index()).cloned(),
        });
        Ok(())
    }

    /// Checks one event a node emitted. `servers` is the state after the event.
    pub fn observe(
        &mut self,
        now: Time,
        node: NodeId,
        event: &NodeEvent,
        servers: &[Server],
    ) -> Result<(), Violation> {
        let fail = |invariant, detail: String| {
            Err(Violation {
                invariant,
                time: now,
                detail,
                stale: None,
            })
        };
        match event {
            NodeEvent::RoleChanged {
                to: Role::Leader,
                term,
                ..
            } => self.new_leader(now, node, *term, servers)?,
            // A leader that kept its role in a newer term (the lab's broken rule) leads
            // that term too, without an election: it is that term's leader as much as
            // one elected in it, and owes it the same.
            NodeEvent::RuleBroken(Breach::KeptRole {
                role: Role::Leader,
                term,
            }) => self.new_leader(now, node, *term, servers)?,
            // Entries the broken rule kept after one it replaced: the log is checked again
            // from there, as after a deletion (Log Matching sees what follows).
            NodeEvent::RuleBroken(Breach::KeptEntriesAfterConflict { index, .. }) => {
                let checked = &mut self.checked_len[node as usize];
                *checked = (*checked).min(index.saturating_sub(1));
            }
            NodeEvent::EntriesDeleted { from_index, .. } => {
                if servers[node as usize].node.role == Role::Leader {
                    return fail(
                        Invariant::LeaderAppendOnly,
                        format!(
                            "leader {} deleted entries from index {from_index}",
                            name(node)
                        ),
                    );
                }
                let checked = &mut self.checked_len[node as usize];
                *checked = (*checked).min(from_index - 1);
            }
            NodeEvent::Applied { index, entry } => {
                let i = *index as usize - 1;
                match self.applied.get(i) {
                    Some((first, _)) if first != entry => {
                        return fail(
                            Invariant::StateMachineSafety,
                            format!(
                                "{} applies {} at index {index}, but {} was applied there before",
                                name(node),
                                entry.command,
                                first.command
                            ),
                        );
                    }
                    Some(_) => {}
                    None if i == self.applied.len() => {
                        if let Command::Config(m) = &entry.command {
                            self.committed_config = Some((**m).clone());
                        }
                        let term = servers[node as usize].node.current_term;
                        self.applied.push((entry.clone(), term));
                        // Leader Completeness for leaders already in office.
                        for w in &self.watched {
                            let leader = &servers[w.node as usize].node;
                            if w.term > term
                                && !leader.log.is_compacted(*index)
                                && leader.log.get(*index) != Some(entry)
                            {
                                return fail(
                                    Invariant::LeaderCompleteness,
                                    format!(
                                        "leader {} of term {} lacks committed entry {index}",
                                        name(w.node),
                                        w.term
                                    ),
                                );
                            }
                        }
                    }
                    None => {
                        return fail(
                            Invariant::StateMachineSafety,
                            format!(
                                "{} applies index {index} before any server applied index {}",
                                name(node),
                                self.applied.len() + 1
                            ),
                        );
                    }
                }
                if let Some(&Some(write)) = self.acknowledged.get(i)
                    && entry.write != Some(write)
                {
                    return fail(
                        Invariant::AcknowledgedWriteKept,
                        format!(
                            "{} applies {} at index {index}, where write #{write} was acknowledged",
                            name(node),
                            entry.command
                        ),
                    );
                }
            }
            NodeEvent::ConfigChangeProposed { index, config, .. } => {
                let leader = &servers[node as usize].node;
                let before = leader.membership_at(index.saturating_sub(1));
                if before.voters_changed(config) > 1 {
                    return fail(
                        Invariant::OneServerAtATime,
                        format!(
                            "{} proposes a configuration at index {index} that changes {} voting servers at once",
                            name(node),
                            before.voters_changed(config)
                        ),
                    );
                }
                // A deposed leader that does not know it yet may hold an old configuration;
                // it cannot commit with it. The leader of the newest term must be close.
                if self.leaders.keys().next_back() == Some(&leader.current_term) {
                    self.config_in_use(now, node, config)?;
                }
            }
            NodeEvent::SnapshotTaken { index, term, .. }
            | NodeEvent::SnapshotHandled {
                index,
                term,
                outcome: SnapshotOutcome::Installed { .. },
                ..
            } => {
                // State Machine Safety for snapshots: a snapshot holds committed entries
                // only, the same ones every state machine applies.
                let committed = self.committed_entry(*index).map(|e| e.term);
                if committed != Some(*term) {
                    let verb = match event {
                        NodeEvent::SnapshotTaken { .. } => "takes",
                        _ => "installs",
                    };
                    return fail(
                        Invariant::StateMachineSafety,
                        match committed {
                            Some(t) => format!(
                                "{} {verb} a snapshot up to index {index} of term {term}, but the entry committed there is of term {t}",
                                name(node)
                            ),
                            None => format!(
                                "{} {verb} a snapshot up to index {index}, which no server has applied",
                                name(node)
                            ),
                        },
                    );
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// A leader's configuration in use must be the committed one or one server from it.
    fn config_in_use(&self, now: Time, node: NodeId, config: &Membership) -> Result<(), Violation> {
        let Some(committed) = &self.committed_config else {
            return Ok(());
        };
        if committed.voters_changed(config) > 1 {
            return Err(Violation {
                invariant: Invariant::OneServerAtATime,
                time: now,
                detail: format!(
                    "{} uses a configuration {} voting servers away from the committed one",
                    name(node),
                    committed.voters_changed(config)
                ),
                stale: None,
            });
        }
        Ok(())
    }

    /// Records that `write` was acknowledged at `index`; it must stay there forever.
    pub fn acknowledged(
        &mut self,
        now: Time,
        write: WriteId,
        index: LogIndex,
    ) -> Result<(), Violation> {
        let i = index.max(1) as usize - 1;
        while self.acknowledged.len() <= i {
            self.acknowledged.push(None);
        }
        if let Some(slot) = self.acknowledged.get_mut(i) {
            *slot = Some(write);
        }
        match self.committed_entry(index) {
            Some(e) if e.write == Some(write) => Ok(()),
            _ => Err(Violation {
                invariant: Invariant::AcknowledgedWriteKept,
                time: now,
                detail: format!(
                    "write #{write} was acknowledged at index {index} before it was committed there"
                ),
                stale: None,
            }),
        }
    }

    /// Checks the state of one server after an event touched it.
    pub fn check_server(
        &mut self,
        now: Time,
        node: NodeId,
        servers: &[Server],
    ) -> Result<(), Violation> {
        let fail = |invariant, detail: String| {
            Err(Violation {
                invariant,
                time: now,
                detail,
                stale: None,
            })
        };
        let n = &servers[node as usize].node;

        // Log Matching, incrementally: each new entry is compared with every entry ever
        // seen at the same index and term.
        // Entries in a snapshot are gone from the log; its boundary was checked when the
        // snapshot came (see `observe`).
        let mut checked = self.checked_len[node as usize]
            .min(n.log.last_index())
            .max(n.log.snapshot_index());
        while checked < n.log.last_index() {
            let index = checked + 1;
            let Some(entry) = n.log.get(index) else { break };
            let prev_term = n.log.term_at(checked).unwrap_or(0);
            let slot = index as usize - 1;
            while self.seen.len() < slot {
                self.seen.push(None);
            }
            // The usual case: an index no log had before.
            if slot == self.seen.len() {
                self.seen.push(Some((entry.term, prev_term, entry.clone())));
                checked = index;
                continue;
            }
            // Read first: changing a slot of a chunk shared with a checkpoint copies it.
            let first = self.seen.get(slot).into_iter().flatten();
            let more = self.seen_more.get(&index).into_iter().flatten();
            match first.chain(more).find(|(term, _, _)| *term == entry.term) {
                Some((_, seen_prev, seen_entry))
                    if *seen_prev != prev_term || seen_entry != entry =>
                {
                    return fail(
                        Invariant::LogMatching,
                        format!(
                            "{} has {} at index {index} term {} after an entry of term {prev_term}, but a log seen earlier had {} there after an entry of term {seen_prev}",
                            name(node),
                            entry.command,
                            entry.term,
                            seen_entry.command
                        ),
                    );
                }
                Some(_) => {}
                None => {
                    let new = (entry.term, prev_term, entry.clone());
                    match self.seen.get_mut(slot) {
                        Some(gap @ None) => *gap = Some(new),
                        _ => self.seen_more.entry(index).or_default().push(new),
                    }
                }
            }
            checked = index;
        }
        self.checked_len[node as usize] = checked;

        // Leader Append-Only: the log a leader had is still a prefix of its log. With Log
        // Matching checked above, the same last entry at the same index proves it.
        if let Some(w) = self.watched.iter_mut().find(|w| w.node == node) {
            if n.role != Role::Leader || n.current_term != w.term || !servers[node as usize].up {
                self.watched.retain(|w| w.node != node);
            } else {
                // An entry the leader compacted is in its snapshot: committed, not changed.
                let kept = n.log.is_compacted(w.len) || n.log.get(w.len) == w.last.as_ref();
                if n.log.last_index() < w.len || !kept {
                    return fail(
                        Invariant::LeaderAppendOnly,
                        format!(
                            "leader {} of term {} changed entry {} of its log",
                            name(node),
                            w.term,
                            w.len
                        ),
                    );
                }
                // Copied only when it changed: this runs after every event at the leader.
                let len = n.log.last_index();
                let last = n.log.get(len);
                if w.len != len || w.last.as_ref() != last {
                    w.len = len;
                    w.last = last.cloned();
                }
            }
        }
        Ok(())
    }
}
