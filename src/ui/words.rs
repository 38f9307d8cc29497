//! What the inspector says about a message or a server, as (field, value) rows named
//! with the paper's words. Pure, so it is unit-tested natively.

use crate::raft::{Message, Node, NodeId, Role, server_name};
use crate::sim::{InFlight, append_reason, format_time, rpc_name, vote_reason};

/// Every field of a message in flight, in Figure 2's names.
pub fn message_fields(m: &InFlight) -> Vec<(&'static str, String)> {
    let mut rows = vec![
        ("message", rpc_name(&m.msg)),
        (
            "from → to",
            format!("{} → {}", server_name(m.from), server_name(m.to)),
        ),
        ("sent at", format_time(m.sent_at)),
        ("arrives at", format_time(m.deliver_at)),
    ];
    if m.lost {
        rows.push((
            "network",
            "will be lost on the way (message loss)".to_string(),
        ));
    }
    match &m.msg {
        Message::RequestVote(v) => {
            rows.push(("term", v.term.to_string()));
            rows.push(("candidateId", server_name(v.candidate_id)));
            rows.push(("lastLogIndex", v.last_log_index.to_string()));
            rows.push(("lastLogTerm", v.last_log_term.to_string()));
        }
        Message::RequestVoteReply(r) => {
            rows.push(("term", r.term.to_string()));
            rows.push(("voteGranted", r.vote_granted.to_string()));
            rows.push(("reason", vote_reason(&r.reason, m.to)));
        }
        Message::AppendEntries(a) => {
            rows.push(("term", a.term.to_string()));
            rows.push(("leaderId", server_name(a.leader_id)));
            rows.push(("prevLogIndex", a.prev_log_index.to_string()));
            rows.push(("prevLogTerm", a.prev_log_term.to_string()));
            let entries = if a.entries.is_empty() {
                "none (heartbeat)".to_string()
            } else {
                a.entries
                    .iter()
                    .enumerate()
                    .map(|(k, e)| {
                        format!(
                            "{}: {} (term {})",
                            a.prev_log_index + 1 + k as u64,
                            e.command,
                            e.term
                        )
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            rows.push(("entries", entries));
            rows.push(("leaderCommit", a.leader_commit.to_string()));
        }
        Message::AppendEntriesReply(r) => {
            rows.push(("term", r.term.to_string()));
            rows.push(("success", r.success.to_string()));
            rows.push(("matchIndex", r.match_index.to_string()));
            rows.push(("reason", append_reason(&r.reason)));
            if let Some(t) = r.conflict_term {
                rows.push(("conflictTerm", t.to_string()));
            }
            if !r.success {
                rows.push(("conflictIndex", r.conflict_index.to_string()));
            }
        }
    }
    rows
}

/// A server's Figure 2 state, as the inspector lists it.
pub fn server_fields(node: &Node, up: bool) -> Vec<(&'static str, String)> {
    let mut rows = vec![
        (
            "state",
            if up {
                role_word(node.role).to_string()
            } else {
                "down (crashed)".to_string()
            },
        ),
        ("currentTerm", node.current_term.to_string()),
        (
            "votedFor",
            node.voted_for
                .map(server_name)
                .unwrap_or_else(|| "null".to_string()),
        ),
        ("log length", node.log.last_index().to_string()),
        ("commitIndex", node.commit_index.to_string()),
        ("lastApplied", node.last_applied.to_string()),
    ];
    if let Some(leader) = node.leader_id.filter(|_| node.role == Role::Follower) {
        rows.push(("knows leader", server_name(leader)));
    }
    if node.role == Role::Candidate && up {
        rows.push(("votes granted", names(node.votes_granted.iter().copied())));
        rows.push(("votes denied", names(node.votes_denied.iter().copied())));
    }
    rows
}

/// For a leader: each follower's nextIndex and matchIndex.
pub fn leader_progress(node: &Node) -> Vec<(NodeId, u64, u64)> {
    if node.role != Role::Leader {
        return Vec::new();
    }
    (0..node.cluster_size)
        .filter(|&p| p != node.id)
        .map(|p| (p, node.next_index[p as usize], node.match_index[p as usize]))
        .collect()
}

/// The leader's quorum meter on its newest entry: "3 of 5 have index 4 → committed".
pub fn quorum_meter(node: &Node) -> Option<String> {
    if node.role != Role::Leader {
        return None;
    }
    if node.log.last_index() == 0 {
        return Some(format!(
            "{} leads term {}; its log is empty, so there is nothing to commit yet.",
            server_name(node.id),
            node.current_term
        ));
    }
    let index = node.log.last_index();
    let have = node.replica_count(index);
    let n = node.cluster_size;
    let verdict = if node.commit_index >= index {
        "committed".to_string()
    } else if node.log.term_at(index) != Some(node.current_term) {
        "not committed: from an earlier term, it commits only with an entry of this term"
            .to_string()
    } else {
        format!("not committed yet: needs {}", node.majority())
    };
    Some(format!(
        "{}: {have} of {n} have index {index} → {verdict}",
        server_name(node.id)
    ))
}

pub fn role_word(role: Role) -> &'static str {
    match role {
        Role::Follower => "follower",
        Role::Candidate => "candidate",
        Role::Leader => "leader",
    }
}

fn names(ids: impl Iterator<Item = NodeId>) -> String {
    let v: Vec<String> = ids.map(server_name).collect();
    if v.is_empty() {
        "none".to_string()
    } else {
        v.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::raft::{Command, MS};
    use crate::sim::{Intervention, Sim, SimConfig, WriteTarget};

    fn elected() -> Sim {
        let mut sim = Sim::new(SimConfig::with_seed(5, 3)).unwrap();
        assert!(sim.run_until_condition(5000 * MS, |s| s.leader().is_some()));
        sim
    }

    #[test]
    fn a_vote_request_lists_its_figure_2_fields() {
        let mut sim = Sim::new(SimConfig::with_seed(5, 3)).unwrap();
        sim.run_until_condition(5000 * MS, |s| !s.in_flight().is_empty());
        let rows = message_fields(&sim.in_flight()[0]);
        let keys: Vec<_> = rows.iter().map(|(k, _)| *k).collect();
        for k in [
            "term",
            "candidateId",
            "lastLogIndex",
            "lastLogTerm",
            "sent at",
            "arrives at",
        ] {
            assert!(keys.contains(&k), "{k} missing from {keys:?}");
        }
    }

    #[test]
    fn an_append_with_entries_lists_them_with_their_indexes() {
        let mut sim = elected();
        sim.apply(Intervention::ClientWrite {
            to: WriteTarget::Leader,
            command: Command::parse("SET x 5").unwrap(),
        })
        .unwrap();
        sim.run_until_condition(1000 * MS, |s| {
            s.in_flight()
                .iter()
                .any(|m| matches!(&m.msg, Message::AppendEntries(a) if !a.entries.is_empty()))
        });
        let m = sim
            .in_flight()
            .iter()
            .find(|m| matches!(&m.msg, Message::AppendEntries(a) if !a.entries.is_empty()))
            .expect("entries on the wire");
        let rows = message_fields(m);
        let entries = &rows.iter().find(|(k, _)| *k == "entries").unwrap().1;
        assert!(entries.starts_with("1: SET x 5 (term "), "{entries}");
    }

    #[test]
    fn the_quorum_meter_counts_replicas_of_the_newest_entry() {
        let mut sim = elected();
        let leader = sim.leader().unwrap();
        let empty = quorum_meter(sim.node(leader)).unwrap();
        assert!(empty.contains("nothing to commit yet"), "{empty}");
        sim.apply(Intervention::ClientWrite {
            to: WriteTarget::Leader,
            command: Command::parse("SET x 5").unwrap(),
        })
        .unwrap();
        let text = quorum_meter(sim.node(leader)).unwrap();
        assert!(
            text.contains("1 of 5 have index 1 → not committed yet: needs 3"),
            "{text}"
        );
        sim.run_for(500 * MS);
        let text = quorum_meter(sim.node(leader)).unwrap();
        assert!(text.contains("5 of 5 have index 1 → committed"), "{text}");
        assert_eq!(leader_progress(sim.node(leader)).len(), 4);
        assert!(
            leader_progress(sim.node(leader))
                .iter()
                .all(|&(_, next, matched)| next == 2 && matched == 1)
        );
    }

    #[test]
    fn a_crashed_server_reads_as_down() {
        let mut sim = elected();
        sim.apply(Intervention::Crash(1)).unwrap();
        let rows = server_fields(sim.node(1), sim.is_up(1));
        assert_eq!(rows[0].1, "down (crashed)");
    }
}
