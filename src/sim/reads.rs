//! Client reads in the simulator: sending them (a follower's redirect is followed once,
//! as for writes), recording their answers, and checking after every answer that the
//! reads and writes of its key are linearizable ([`super::linearizability`]). A stale
//! read is a violation with its evidence: which read, which value, which write it missed.

use super::linearizability::{self, Op, OpId, OpKind, Verdict};
use super::{
    ClientRead, EventKind, Invariant, ReadEvent, ReadFailure, ReadFate, RejectReason, Sim,
    Violation, WriteFate, WriteTarget, order_stamp,
};
use crate::raft::{ClientOutcome, Command, LogIndex, NodeEvent, NodeId, ReadId, ReadMode};

fn answered_stamp_of(fate: &ReadFate, stamp: u64) -> Option<u64> {
    matches!(fate, ReadFate::Answered { .. }).then_some(stamp)
}

/// How many steps the linearizability search may take per answered read before it gives
/// up without a verdict (a few milliseconds for the histories a person makes).
pub const SEARCH_BUDGET: usize = 200_000;

/// The end of a read, taken from the leader's event before it goes into the trace.
pub(super) enum ReadDone {
    Answered {
        read: ReadId,
        value: Option<i64>,
        applied: LogIndex,
    },
    Failed {
        read: ReadId,
    },
}

impl ReadDone {
    pub(super) fn of(event: &NodeEvent) -> Option<ReadDone> {
        match *event {
            NodeEvent::ReadAnswered {
                read,
                value,
                applied,
                ..
            } => Some(ReadDone::Answered {
                read,
                value,
                applied,
            }),
            NodeEvent::ReadFailed { read, .. } => Some(ReadDone::Failed { read }),
            _ => None,
        }
    }
}

impl Sim {
    /// A client reads `key`; a follower's redirect is followed once.
    pub(super) fn client_read(&mut self, to: WriteTarget, key: String, mode: ReadMode) {
        let id = self.reads.len() as ReadId + 1;
        let first = match to {
            WriteTarget::Server(s) => Some(s),
            WriteTarget::Leader => self.leader(),
        };
        let mut read = ClientRead {
            id,
            key: key.clone(),
            mode,
            submitted_at: self.now,
            sent_stamp: order_stamp(self.events, self.in_intervention),
            answered_stamp: None,
            first_server: first,
            redirected_to: None,
            fate: ReadFate::Rejected(RejectReason::NoLeader),
        };
        let Some(mut server) = first else {
            self.reads.push(read);
            self.record_read(id, ReadEvent::Rejected(RejectReason::NoLeader));
            return;
        };
        // Whether the refusal was already said, by the server that refused it.
        let mut said = false;
        for hop in 0..2 {
            if !self.is_up(server) {
                read.fate = ReadFate::Rejected(RejectReason::ServerDown(server));
                break;
            }
            let outcome = self.servers[server as usize]
                .node
                .client_read(key.clone(), id, mode);
            self.record_read(
                id,
                ReadEvent::Submitted {
                    server,
                    outcome: outcome.clone(),
                },
            );
            match outcome {
                ClientOutcome::ReadAccepted | ClientOutcome::Appended { .. } => {
                    read.fate = ReadFate::Pending { leader: server };
                    // Pushed before the leader's outputs: a local read is answered at once.
                    self.reads.push(read);
                    self.process_outputs(server);
                    return;
                }
                ClientOutcome::Redirect { leader } if hop == 0 => {
                    read.redirected_to = Some(leader);
                    server = leader;
                }
                ClientOutcome::Redirect { .. } => {
                    read.fate = ReadFate::Rejected(RejectReason::NoLeader);
                    break;
                }
                ClientOutcome::Rejected(why) => {
                    read.fate = ReadFate::Rejected(RejectReason::NotLeader(server, why));
                    said = true;
                    break;
                }
            }
        }
        if let ReadFate::Rejected(why) = read.fate {
            self.reads.push(read);
            if !said {
                self.record_read(id, ReadEvent::Rejected(why));
            }
        }
    }

    fn record_read(&mut self, read: ReadId, event: ReadEvent) {
        self.record(EventKind::Read { read, event });
    }

    /// The leader `id` answered a read, or gave up on it.
    pub(super) fn read_done(&mut self, id: NodeId, done: ReadDone) {
        let read = match done {
            ReadDone::Answered { read, .. } | ReadDone::Failed { read } => read,
        };
        let at = (read as usize).wrapping_sub(1);
        let Some(r) = self.reads.get(at).filter(|r| r.id == read) else {
            return;
        };
        let (key, mode) = (r.key.clone(), r.mode);
        let (fate, event) = match done {
            ReadDone::Answered { value, applied, .. } => (
                ReadFate::Answered {
                    leader: id,
                    value,
                    applied,
                    at: self.now,
                },
                ReadEvent::Answered {
                    leader: id,
                    key: key.clone(),
                    value,
                    applied,
                    mode,
                },
            ),
            ReadDone::Failed { .. } => (
                ReadFate::Failed {
                    leader: id,
                    why: ReadFailure::SteppedDown,
                },
                ReadEvent::Failed {
                    leader: id,
                    why: ReadFailure::SteppedDown,
                },
            ),
        };
        let stamp = order_stamp(self.events, self.in_intervention);
        if let Some(r) = self.reads.get_mut(at) {
            r.fate = fate;
            r.answered_stamp = answered_stamp_of(&fate, stamp);
        }
        let answered = matches!(event, ReadEvent::Answered { .. });
        self.record_read(read, event);
        if answered && self.check_safety {
            self.check_linearizable(&key);
        }
    }

    /// A crashed leader answers none of the reads it took.
    pub(super) fn reads_lost_in_crash(&mut self, id: NodeId) {
        let pending: Vec<ReadId> = self
            .servers
            .get(id as usize)
            .map(|s| s.node.pending_reads.iter().map(|r| r.id).collect())
            .unwrap_or_default();
        for read in pending {
            let why = ReadFailure::LeaderCrashed;
            if let Some(r) = self.reads.get_mut((read as usize).wrapping_sub(1)) {
                r.fate = ReadFate::Failed { leader: id, why };
            }
            self.record_read(read, ReadEvent::Failed { leader: id, why });
        }
    }

    /// The history of `key`: every write that may have taken effect and every answered
    /// read, with when the client sent them and heard back, as [`order_stamp`]s.
    pub fn history_of(&self, key: &str) -> Vec<Op> {
        let mut ops = Vec::new();
        // Entries a scenario put in the logs before the run (Figure 7's): writes that may
        // have happened at time 0, never acknowledged to anyone.
        // (Scenario entries write x = its index, so one op per index is enough.)
        let longest = self.initial.iter().map(|i| i.log_terms.len()).max();
        if key == "x" {
            for value in 1..=longest.unwrap_or(0) {
                ops.push(Op {
                    id: OpId::Write(0),
                    kind: OpKind::Write(Some(value as i64)),
                    invoked: 0,
                    responded: None,
                });
            }
        }
        for w in self.writes.iter() {
            let value = match &w.command {
                Command::Set { key: k, value } if **k == *key => Some(*value),
                Command::Del { key: k } if **k == *key => None,
                _ => continue,
            };
            let Some(&(sent, acknowledged)) = self.write_stamps.get(w.id as usize - 1) else {
                continue;
            };
            let responded = match w.fate {
                WriteFate::Acknowledged { .. } => acknowledged,
                WriteFate::Pending { .. } | WriteFate::Committed { .. } => None,
                // Never took effect: another entry holds its index, or no leader took it.
                WriteFate::Lost { .. } | WriteFate::Rejected(_) => continue,
            };
            ops.push(Op {
                id: OpId::Write(w.id),
                kind: OpKind::Write(value),
                invoked: sent,
                responded,
            });
        }
        for r in self.reads.iter().filter(|r| r.key == key) {
            if let (ReadFate::Answered { value, .. }, Some(answered)) = (r.fate, r.answered_stamp) {
                ops.push(Op {
                    id: OpId::Read(r.id),
                    kind: OpKind::Read(value),
                    invoked: r.sent_stamp,
                    responded: Some(answered),
                });
            }
        }
        ops
    }

    /// Checks `key`'s history; a history no order of the operations explains is a
    /// violation, with the stale read as its evidence.
    fn check_linearizable(&mut self, key: &str) {
        let ops = self.history_of(key);
        let Verdict::NotLinearizable(stale) = linearizability::check(None, &ops, SEARCH_BUDGET)
        else {
            return;
        };
        let shown = |v: Option<i64>| v.map_or("no value".to_string(), |v| v.to_string());
        let read = match stale.read {
            OpId::Read(id) => id,
            OpId::Write(_) => 0,
        };
        let missed = match (stale.missed, stale.missed_value) {
            (Some(OpId::Write(w)), Some(v)) => format!(
                "; write #{w} ({key} = {}) was acknowledged before the read began",
                shown(v)
            ),
            _ => String::new(),
        };
        let detail = format!(
            "read #{read} of {key} answered {} is stale: no order of the reads and writes of {key} explains it{missed}",
            shown(stale.returned)
        );
        self.fail(Violation {
            invariant: Invariant::Linearizability,
            time: self.now,
            detail,
            stale: Some(stale),
        });
    }
}
