//! What the page's live region says (WCAG 4.1.3): the events that matter, in the reader's
//! language, short enough for a screen reader to keep up at any speed. Everything else
//! is in the event log, one Tab away.

use crate::raft::{NodeEvent, Role};
use crate::sim::{ClientEvent, EventKind, ReadEvent, Sim};
use crate::ui::lang::Lang;
use crate::ui::words::event_sentence;

/// At most this many sentences at once; older ones are counted, not read.
const SENTENCES: usize = 3;

/// Whether an event is news to someone who cannot see the cluster: a new leader, an
/// election, a commit or a lost write, a rollback, anything a person did, a violation.
fn worth_saying(kind: &EventKind) -> bool {
    match kind {
        EventKind::Node { event, .. } => matches!(
            event,
            NodeEvent::RoleChanged {
                to: Role::Leader | Role::Candidate,
                ..
            } | NodeEvent::EntriesDeleted { .. }
                // A follower catching up by a snapshot: its state jumps at once.
                | NodeEvent::SnapshotHandled {
                    outcome: crate::raft::SnapshotOutcome::Installed { .. },
                    ..
                }
        ),
        EventKind::Client { event, .. } => matches!(
            event,
            ClientEvent::Acknowledged { .. }
                | ClientEvent::CommittedUnacknowledged { .. }
                | ClientEvent::Lost { .. }
        ),
        // A read's answer or failure: what the client asked for.
        EventKind::Read { event, .. } => matches!(
            event,
            ReadEvent::Answered { .. } | ReadEvent::Failed { .. } | ReadEvent::Rejected(_)
        ),
        EventKind::Intervention(_) | EventKind::Violation(_) => true,
        _ => false,
    }
}

/// The events not said one by one, counted ("1 earlier event", "4 earlier events").
fn counted(lang: Lang, n: usize) -> String {
    match lang {
        Lang::En if n == 1 => "1 earlier event in the log. ".to_string(),
        Lang::En => format!("{n} earlier events in the log. "),
        Lang::Zh => format!("日志中还有 {n} 个更早的事件。"),
    }
}

/// The words for the events after position `from` (in the whole run's numbering) up to
/// the newest: the newest few worth saying, the rest counted. `every` says each event,
/// whatever it is (a single Step: the reader asked what happens next).
pub fn narrate(lang: Lang, sim: &Sim, from: u64, every: bool) -> Option<String> {
    let forgotten = sim.trace_forgotten();
    let skip = from.saturating_sub(forgotten) as usize;
    let said: Vec<String> = sim
        .trace()
        .iter()
        .enumerate()
        .skip(skip)
        .filter(|(_, e)| every || worth_saying(&e.kind))
        .map(|(i, e)| event_sentence(lang, sim, forgotten + i as u64, &e.kind))
        .collect();
    let (older, newest) = said.split_at(said.len().saturating_sub(SENTENCES));
    if newest.is_empty() {
        return None;
    }
    let mut text = String::new();
    if !older.is_empty() {
        text = counted(lang, older.len());
    }
    let end = lang.pick(".", "。");
    for sentence in newest {
        let sentence = upper_first(sentence);
        text.push_str(&sentence);
        if !sentence.ends_with(['.', '。', '!', '?']) {
            text.push_str(end);
        }
        if lang == Lang::En {
            text.push(' ');
        }
    }
    Some(text.trim_end().to_string())
}

fn upper_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::raft::MS;
    use crate::sim::{Intervention, SimConfig};

    #[test]
    fn the_events_not_said_are_counted_in_good_english() {
        assert_eq!(counted(Lang::En, 1), "1 earlier event in the log. ");
        assert_eq!(counted(Lang::En, 4), "4 earlier events in the log. ");
        assert_eq!(counted(Lang::Zh, 1), "日志中还有 1 个更早的事件。");
    }

    #[test]
    fn an_election_is_told_in_a_few_sentences_not_every_vote() {
        let mut sim = Sim::new(SimConfig::with_seed(5, 42)).unwrap();
        assert!(sim.run_until_condition(5000 * MS, |s| s.leader().is_some()));
        let leader = sim.leader().unwrap();
        let text = narrate(Lang::En, &sim, 0, false).unwrap();
        assert!(
            text.contains(&format!(
                "{} wins a majority and becomes leader",
                crate::raft::server_name(leader)
            )),
            "{text}"
        );
        assert!(
            !text.contains("grants its vote"),
            "votes are in the log: {text}"
        );
        assert!(text.matches(". ").count() <= SENTENCES, "{text}");
        let zh = narrate(Lang::Zh, &sim, 0, false).unwrap();
        let stray = crate::ui::words_zh::stray_english(&zh, crate::ui::words_zh::IDENTIFIERS);
        assert!(stray.is_empty(), "English {stray:?} in {zh}");
    }

    #[test]
    fn a_crash_is_said_and_nothing_new_says_nothing() {
        let mut sim = Sim::new(SimConfig::with_seed(5, 42)).unwrap();
        assert!(sim.run_until_condition(5000 * MS, |s| s.leader().is_some()));
        let seen = sim.trace_forgotten() + sim.trace().len() as u64;
        assert_eq!(narrate(Lang::En, &sim, seen, false), None);
        sim.apply(Intervention::Crash(0)).unwrap();
        let text = narrate(Lang::En, &sim, seen, false).unwrap();
        assert!(text.to_lowercase().contains("crash"), "{text}");
        // A heartbeat is not news; a single Step still says what it did.
        sim.run_for(60 * MS);
        let every = narrate(Lang::En, &sim, seen + 1, true).unwrap();
        assert!(!every.is_empty());
    }
}
