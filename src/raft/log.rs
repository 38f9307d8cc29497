use std::fmt;
use std::rc::Rc;

use serde::{Deserialize, Serialize};

use super::{LogIndex, Membership, SharedVec, Snapshot, Term};

/// A key a command names. Shared rather than owned: every entry is copied into messages,
/// into each server's log, into events and the checker's record, and a shared key makes
/// each copy a counter increment instead of an allocation. Written as a plain string.
/// `Rc`, not `Arc`: a run lives on one thread (the page's wasm has only one), and a key
/// is counted up and down dozens of times per client write (each copy into a message, a
/// log, an event, the checker's record), where an atomic count is a locked instruction.
pub type Key = Rc<str>;

/// A client's request, as the state machine will apply it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Command {
    Set {
        key: Key,
        value: i64,
    },
    Del {
        key: Key,
    },
    /// A configuration: the servers that vote and those that learn, from this entry on
    /// ([`crate::raft::membership`]). Only a leader proposes one. Boxed: it is rare, and
    /// inline it would make every entry of every log (and message) half as large again.
    Config(Box<Membership>),
    /// The empty entry a new leader appends with the no-op switch on (section 8 of the
    /// paper): it changes no key; it is there so that the leader has an entry of its own
    /// term to commit. No client can write one.
    Noop,
}

/// The longest key a command may name.
pub const MAX_KEY_LEN: usize = 16;

impl Command {
    /// Parses `SET x 5` or `DEL x` (case-insensitive verbs, keys of letters, digits and `_`).
    pub fn parse(text: &str) -> Result<Command, String> {
        let words: Vec<&str> = text.split_whitespace().collect();
        let command = match words.as_slice() {
            [verb, key, value] if verb.eq_ignore_ascii_case("set") => {
                check_key(key)?;
                let value = value
                    .parse::<i64>()
                    .map_err(|_| format!("'{}' is not a whole number", shown(value)))?;
                Command::Set {
                    key: (*key).into(),
                    value,
                }
            }
            [verb, key] if verb.eq_ignore_ascii_case("del") => Command::Del { key: (*key).into() },
            _ => return Err("write a command as SET x 5 or DEL x".to_string()),
        };
        command.validate()?;
        Ok(command)
    }

    /// The rules every command obeys, however it arrives (typed, in a link, in a trace
    /// file, in a scenario): a key of 1 to [`MAX_KEY_LEN`] ASCII letters, digits or `_`.
    /// Any whole number fits in a value.
    pub fn validate(&self) -> Result<(), String> {
        match self {
            Command::Set { key, .. } | Command::Del { key } => check_key(key),
            Command::Noop => {
                Err("a client cannot write a no-op: only a new leader appends one".into())
            }
            Command::Config(_) => {
                Err("a client cannot change the configuration: ask the leader to add or remove a server".into())
            }
        }
    }
}

/// A key as a client names it, in a write or a read.
pub fn check_key(key: &str) -> Result<(), String> {
    let valid = !key.is_empty()
        && key.len() <= MAX_KEY_LEN
        && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if valid {
        Ok(())
    } else {
        Err(format!(
            "'{}' is not a key: use up to {MAX_KEY_LEN} letters, digits or _",
            shown(key)
        ))
    }
}

/// A rejected word as a refusal may quote it: at most 20 characters, with control and
/// direction-changing characters written as escapes, so that a hostile key in a link
/// cannot flood or reorder the notice that refuses it.
fn shown(word: &str) -> String {
    let mut out: String = word
        .chars()
        .take(20)
        .flat_map(|c| {
            let plain = c.is_alphanumeric() || c.is_ascii_punctuation() || c == ' ';
            let escaped: Vec<char> = if plain && !is_bidi_control(c) {
                vec![c]
            } else {
                c.escape_unicode().collect()
            };
            escaped
        })
        .collect();
    if word.chars().nth(20).is_some() {
        out.push('…');
    }
    out
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{061c}')
}

impl fmt::Display for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Command::Set { key, value } => write!(f, "SET {key} {value}"),
            Command::Del { key } => write!(f, "DEL {key}"),
            Command::Noop => write!(f, "no-op"),
            Command::Config(m) => {
                write!(f, "CONFIG")?;
                for v in &m.voters {
                    write!(f, " {}", super::server_name(*v))?;
                }
                for l in &m.learners {
                    write!(f, " +{}", super::server_name(*l))?;
                }
                Ok(())
            }
        }
    }
}

/// Which client write an entry carries, so the simulator can tell the client's fate.
pub type WriteId = u64;

/// One log entry: the term of the leader that created it, and the command.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Entry {
    pub term: Term,
    pub command: Command,
    /// The client write this entry came from (entries set up by a scenario have none).
    pub write: Option<WriteId>,
}

/// The replicated log, indexed from 1 as in the paper.
///
/// With log compaction (section 7) the log starts with a [`Snapshot`]: the entries up to
/// its last included index are gone, replaced by the state they produced; `entries`
/// holds only what follows. Without one, `entries` starts at index 1.
///
/// Invariant: terms never decrease along the log (the snapshot's term included).
///
/// Copies of a log (the timeline's checkpoints) share its older entries.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Log {
    entries: SharedVec<Entry>,
    /// Left out while there is none, so runs without compaction are written as before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    snapshot: Option<Snapshot>,
    /// The configuration entries among `entries`, with their indexes, oldest first: what
    /// a server must find at once (its newest configuration decides every majority), kept
    /// beside the entries rather than searched for. Empty (and left out) until a
    /// membership change.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    configs: Vec<(LogIndex, Membership)>,
}

impl Log {
    pub fn from_entries(entries: Vec<Entry>) -> Log {
        let configs = entries
            .iter()
            .enumerate()
            .filter_map(|(i, e)| match &e.command {
                Command::Config(m) => Some((i as LogIndex + 1, (**m).clone())),
                _ => None,
            })
            .collect();
        Log {
            entries: entries.into(),
            snapshot: None,
            configs,
        }
    }

    /// The newest configuration in the log (or its snapshot), if any was ever written.
    pub fn membership(&self) -> Option<&Membership> {
        match self.configs.last() {
            Some((_, m)) => Some(m),
            None => self.snapshot.as_ref().and_then(|s| s.membership.as_ref()),
        }
    }

    /// The configuration in force at `index`: the newest at or before it.
    pub fn membership_at(&self, index: LogIndex) -> Option<&Membership> {
        match self.configs.iter().rev().find(|(i, _)| *i <= index) {
            Some((_, m)) => Some(m),
            None => self.snapshot.as_ref().and_then(|s| s.membership.as_ref()),
        }
    }

    /// The index of the newest configuration entry the log holds (0: none after the
    /// snapshot).
    pub fn config_index(&self) -> LogIndex {
        self.configs.last().map_or(0, |(i, _)| *i)
    }

    /// Every configuration entry the log holds, oldest first.
    pub fn configs(&self) -> impl Iterator<Item = &Membership> {
        self.configs.iter().map(|(_, m)| m)
    }

    /// The snapshot the log starts with, if it was ever compacted.
    pub fn snapshot(&self) -> Option<&Snapshot> {
        self.snapshot.as_ref()
    }

    // The accessors marked `#[inline]` run several times per event; the release profile
    // optimises for size and would otherwise call each of them.

    /// The last index the snapshot replaced (0: none).
    #[inline]
    pub fn snapshot_index(&self) -> LogIndex {
        self.snapshot.as_ref().map_or(0, |s| s.last_included_index)
    }

    /// The term of the entry at [`Log::snapshot_index`] (0: none).
    pub fn snapshot_term(&self) -> Term {
        self.snapshot.as_ref().map_or(0, |s| s.last_included_term)
    }

    /// The first index whose entry the log still holds (it may hold none yet).
    #[inline]
    pub fn first_index(&self) -> LogIndex {
        self.snapshot_index() + 1
    }

    #[inline]
    pub fn last_index(&self) -> LogIndex {
        self.snapshot_index() + self.entries.len() as LogIndex
    }

    /// The term of the last entry: the snapshot's if no entry follows it, 0 for an empty log.
    pub fn last_term(&self) -> Term {
        self.entries.last().map_or(self.snapshot_term(), |e| e.term)
    }

    /// The entry at `index` (1-based), if the log has one: none past the end, and none
    /// at or before the snapshot (those entries are gone).
    #[inline]
    pub fn get(&self, index: LogIndex) -> Option<&Entry> {
        let offset = index.checked_sub(self.first_index())?;
        self.entries.get(usize::try_from(offset).ok()?)
    }

    /// The term at `index`: index 0 has term 0, the snapshot's last index has the
    /// snapshot's term, past the end and before the snapshot there is none.
    #[inline]
    pub fn term_at(&self, index: LogIndex) -> Option<Term> {
        if index == self.snapshot_index() {
            Some(self.snapshot_term())
        } else {
            self.get(index).map(|e| e.term)
        }
    }

    /// Whether the entry at `index` was compacted away (it is in the snapshot).
    #[inline]
    pub fn is_compacted(&self, index: LogIndex) -> bool {
        index >= 1 && index <= self.snapshot_index()
    }

    /// The entries from `from` (1-based, after the snapshot) to the end, at most `max`.
    pub fn slice_from(&self, from: LogIndex, max: usize) -> Vec<Entry> {
        let start = (from.max(self.first_index()) - self.first_index()) as usize;
        let start = start.min(self.entries.len());
        let end = (start + max).min(self.entries.len());
        self.entries.to_vec_range(start, end)
    }

    /// The entries that follow the snapshot (all of them without one).
    pub fn entries(&self) -> &SharedVec<Entry> {
        &self.entries
    }

    pub fn append(&mut self, entry: Entry) -> LogIndex {
        let config = match &entry.command {
            Command::Config(m) => Some((**m).clone()),
            _ => None,
        };
        self.entries.push(entry);
        if let Some(m) = config {
            self.configs.push((self.last_index(), m));
        }
        self.last_index()
    }

    /// Deletes the entry at `index` and all that follow it (Figure 2, AppendEntries rule 3).
    /// The snapshot is never cut: it holds only committed entries.
    pub fn truncate_from(&mut self, index: LogIndex) {
        let keep = index.max(self.first_index()) - self.first_index();
        self.entries.truncate(keep as usize);
        let last = self.last_index();
        self.configs.retain(|(i, _)| *i <= last);
    }

    /// Replaces the entry at `index` and keeps the ones after it: what the lab's broken
    /// [`crate::raft::BrokenRule::OverwriteWithoutTruncate`] does instead of
    /// [`Log::truncate_from`].
    pub fn overwrite(&mut self, index: LogIndex, entry: Entry) {
        let after: Vec<Entry> = self
            .entries
            .iter()
            .skip((index.max(self.first_index()) - self.first_index() + 1) as usize)
            .cloned()
            .collect();
        self.truncate_from(index);
        self.append(entry);
        for e in after {
            self.append(e);
        }
    }

    /// The first index holding `term` among the entries the log still holds, used for
    /// the conflict hint.
    pub fn first_index_of_term(&self, term: Term) -> Option<LogIndex> {
        self.entries
            .iter()
            .position(|e| e.term == term)
            .map(|i| self.first_index() + i as LogIndex)
    }

    /// The last index holding `term` (the snapshot's last index counts), used by the
    /// leader to skip a conflicting term.
    pub fn last_index_of_term(&self, term: Term) -> Option<LogIndex> {
        match self.entries.iter().rposition(|e| e.term == term) {
            Some(i) => Some(self.first_index() + i as LogIndex),
            None => (self.snapshot.is_some() && self.snapshot_term() == term)
                .then(|| self.snapshot_index()),
        }
    }

    /// Log compaction (section 7): replaces the entries up to `snapshot`'s last included
    /// index, which must be in this log, with the snapshot. Returns how many entries went.
    pub fn compact(&mut self, mut snapshot: Snapshot) -> usize {
        let through = snapshot.last_included_index;
        // The snapshot keeps the configuration as of its last entry (Figure 12).
        if snapshot.membership.is_none() {
            snapshot.membership = self.membership_at(through).cloned();
        }
        self.configs.retain(|(i, _)| *i > through);
        debug_assert_eq!(self.term_at(through), Some(snapshot.last_included_term));
        let gone = (through.saturating_sub(self.snapshot_index()) as usize).min(self.entries.len());
        self.entries = self.entries.to_vec_range(gone, self.entries.len()).into();
        self.snapshot = Some(snapshot);
        gone
    }

    /// InstallSnapshot (Figure 13, steps 6 and 7): if the log has the snapshot's last
    /// included entry, the entries that follow it are kept; otherwise the whole log is
    /// discarded. Returns (entries kept, entries discarded).
    pub fn install(&mut self, snapshot: Snapshot) -> (usize, usize) {
        let through = snapshot.last_included_index;
        if self.term_at(through) == Some(snapshot.last_included_term) {
            let kept = (self.last_index() - through) as usize;
            self.compact(snapshot);
            (kept, 0)
        } else {
            let discarded = self.entries.len();
            self.entries = SharedVec::new();
            self.configs.clear();
            self.snapshot = Some(snapshot);
            (0, discarded)
        }
    }

    /// Section 5.4.1: a log is at least as up to date as (`last_term`, `last_index`)
    /// when its last term is higher, or equal with an index at least as large.
    pub fn is_up_to_date(
        last_term: Term,
        last_index: LogIndex,
        than_term: Term,
        than_index: LogIndex,
    ) -> bool {
        last_term > than_term || (last_term == than_term && last_index >= than_index)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_parse_and_print_back() {
        let set = Command::parse("set x 5").unwrap();
        assert_eq!(
            set,
            Command::Set {
                key: "x".into(),
                value: 5
            }
        );
        assert_eq!(set.to_string(), "SET x 5");
        assert_eq!(Command::parse("DEL y").unwrap().to_string(), "DEL y");
        assert!(Command::parse("SET x five").is_err());
        assert!(Command::parse("PUT x 1").is_err());
        assert!(Command::parse("SET x-y 1").is_err());
        assert!(Command::parse("").is_err());
    }

    #[test]
    fn log_is_indexed_from_one() {
        let mut log = Log::default();
        assert_eq!(log.term_at(0), Some(0));
        assert_eq!(log.term_at(1), None);
        for term in [1, 1, 2] {
            log.append(Entry {
                term,
                command: Command::Del { key: "k".into() },
                write: None,
            });
        }
        assert_eq!(log.last_index(), 3);
        assert_eq!(log.last_term(), 2);
        assert_eq!(log.first_index_of_term(1), Some(1));
        assert_eq!(log.last_index_of_term(1), Some(2));
        assert_eq!(log.slice_from(2, 10).len(), 2);
        assert_eq!(log.slice_from(4, 10).len(), 0);
        log.truncate_from(2);
        assert_eq!(log.last_index(), 1);
    }

    fn log_of_terms(terms: &[Term]) -> Log {
        Log::from_entries(
            terms
                .iter()
                .enumerate()
                .map(|(i, &term)| Entry {
                    term,
                    command: Command::Set {
                        key: "k".into(),
                        value: i as i64 + 1,
                    },
                    write: None,
                })
                .collect(),
        )
    }

    fn snapshot(index: LogIndex, term: Term) -> Snapshot {
        Snapshot {
            last_included_index: index,
            last_included_term: term,
            state: Default::default(),
            membership: None,
        }
    }

    #[test]
    fn a_compacted_log_keeps_its_indexes_and_knows_the_snapshots_term() {
        let mut log = log_of_terms(&[1, 1, 2, 2, 3]);
        assert_eq!(log.compact(snapshot(3, 2)), 3);
        assert_eq!(log.snapshot_index(), 3);
        assert_eq!(
            (log.first_index(), log.last_index(), log.last_term()),
            (4, 5, 3)
        );
        // Before the snapshot: gone. At its last index: the term is known. After: entries.
        assert_eq!(log.get(3), None);
        assert_eq!(log.term_at(2), None);
        assert!(log.is_compacted(2) && log.is_compacted(3) && !log.is_compacted(4));
        assert_eq!(log.term_at(3), Some(2));
        assert_eq!(log.get(4).map(|e| e.term), Some(2));
        assert_eq!(log.slice_from(4, 10).len(), 2);
        assert_eq!(log.last_index_of_term(2), Some(4));
        assert_eq!(log.first_index_of_term(3), Some(5));
        // Truncating never cuts into the snapshot.
        log.truncate_from(2);
        assert_eq!(log.last_index(), 3);
        assert_eq!(log.last_term(), 2);
        assert_eq!(log.last_index_of_term(2), Some(3));
        assert_eq!(
            log.append(Entry {
                term: 4,
                command: Command::Noop,
                write: None
            }),
            4
        );
    }

    #[test]
    fn installing_a_snapshot_keeps_what_follows_a_matching_entry_and_discards_the_rest() {
        // The follower has the snapshot's last entry (index 2, term 1): it keeps 3..5.
        let mut matching = log_of_terms(&[1, 1, 2, 2, 2]);
        assert_eq!(matching.install(snapshot(2, 1)), (3, 0));
        assert_eq!((matching.first_index(), matching.last_index()), (3, 5));
        // It has another term there: the whole log goes.
        let mut conflicting = log_of_terms(&[1, 1, 2, 2, 2]);
        assert_eq!(conflicting.install(snapshot(4, 3)), (0, 5));
        assert_eq!((conflicting.last_index(), conflicting.last_term()), (4, 3));
        // It is too short to have it: the whole log goes too.
        let mut short = log_of_terms(&[1]);
        assert_eq!(short.install(snapshot(6, 2)), (0, 1));
        assert_eq!(short.last_index(), 6);
    }

    #[test]
    fn a_log_without_a_snapshot_serializes_as_before() {
        let log = log_of_terms(&[1]);
        let json = serde_json::to_string(&log).unwrap_or_default();
        assert!(!json.contains("snapshot"), "{json}");
    }
}
