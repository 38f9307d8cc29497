//! A linearizability checker for the history of one register (one key of the
//! key-value store): could the reads and writes the clients saw have happened one at
//! a time, each at some instant between its invocation and its response?
//!
//! The search is Wing & Gong's (1993): repeatedly pick a *minimal* pending operation,
//! one invoked no later than every un-linearized operation's response, apply it to a
//! sequential register, and backtrack when a read returned something the register does
//! not hold. Lowe's memoisation (2017) makes it practical: a configuration is the set of
//! linearized operations plus the register's value, and a configuration already
//! explored is never explored again, since everything that follows depends on nothing
//! else.
//!
//! When the history is not linearizable, the evidence is the read that first makes it
//! so: the shortest prefix of the operations in response order that is already not
//! linearizable ends with it. Same input, same verdict and same evidence: the memo is a
//! hash set used only for membership, never iterated.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use crate::raft::Time;

/// Which client operation: ids are the simulator's write ids and read ids.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum OpId {
    Write(u64),
    Read(u64),
}

/// What a client operation did to the register, or saw in it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum OpKind {
    /// Sets the register to the value (None: the key was deleted).
    Write(Option<i64>),
    /// Returned this value (None: the key had no value).
    Read(Option<i64>),
}

/// One client operation on the key, with the interval in which it may take effect.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Op {
    pub id: OpId,
    pub kind: OpKind,
    pub invoked: Time,
    /// When the client got its answer; None: never answered (it may or may not have
    /// taken effect, so it may be linearized at any point after its invocation, or never).
    pub responded: Option<Time>,
}

/// The evidence of a non-linearizable history: the read whose value no order of the
/// operations explains, the value it returned, and the write it missed: the last write
/// (by response time) that completed before the read was invoked, if it wrote a
/// different value than the read returned.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stale {
    pub read: OpId,
    pub returned: Option<i64>,
    pub missed: Option<OpId>,
    pub missed_value: Option<Option<i64>>,
}

/// The checker's answer for one key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Verdict {
    Linearizable,
    NotLinearizable(Stale),
    /// The search gave up after `budget` steps without an answer (never reported as a violation).
    Unknown,
}

/// Checks one key's history. `initial` is the register's value before any op (None: no
/// value). `budget` bounds the number of search steps (one step: one operation tried
/// at one point of the order), summed over every search this check runs.
///
/// The verdict comes from one search of the whole history. Only when it fails are
/// prefixes searched, to find the evidence: prefix `k` is the first `k` answered
/// operations by response time, with every other write still pending (not answered,
/// so it may or may not have taken effect): that is the history as it stood when the
/// `k`-th answer arrived. Linearizability is prefix-closed, so a longer prefix of a
/// failing one fails too, and a binary search finds the shortest. Its last operation is
/// the culprit: always a read when the search finishes (an answer to a write can be
/// explained by linearizing the write last). If the budget runs out during the binary
/// search, the verdict stays NotLinearizable (the whole history was shown to be) and
/// the evidence comes from the shortest failing prefix found so far: its last read by
/// response time.
pub fn check(initial: Option<i64>, ops: &[Op], budget: usize) -> Verdict {
    let mut steps = budget;
    // Unanswered reads carry no information; every other op sorted by response, the
    // unanswered writes (which are never part of a prefix) last.
    let mut order: Vec<usize> = (0..ops.len())
        .filter(|&i| ops[i].responded.is_some() || matches!(ops[i].kind, OpKind::Write(_)))
        .collect();
    order.sort_by_key(|&i| {
        (
            ops[i].responded.is_none(),
            answer(&ops[i]),
            ops[i].invoked,
            i,
        )
    });
    let answered = order
        .iter()
        .filter(|&&i| ops[i].responded.is_some())
        .count();

    match search(initial, &prefix(ops, &order, answered), &mut steps) {
        Outcome::Linearizable => return Verdict::Linearizable,
        Outcome::Unknown => return Verdict::Unknown,
        Outcome::NotLinearizable => {}
    }
    // Invariant: prefix `lo` is linearizable (the empty one is), prefix `hi` is not.
    let (mut lo, mut hi) = (0, answered);
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        match search(initial, &prefix(ops, &order, mid), &mut steps) {
            Outcome::Linearizable => lo = mid,
            Outcome::NotLinearizable => hi = mid,
            Outcome::Unknown => break,
        }
    }
    Verdict::NotLinearizable(evidence(ops, &order[..hi]))
}

/// When the op's answer arrived. A response before the invocation is malformed; it is
/// read as an instantaneous op at its invocation.
fn answer(op: &Op) -> Option<Time> {
    op.responded.map(|r| r.max(op.invoked))
}

/// The stale read of a failing prefix (`failing`: its ops in response order) and the
/// write it missed.
fn evidence(ops: &[Op], failing: &[usize]) -> Stale {
    // A failing history holds a read (writes alone always linearize), so the fallback
    // to the last op is never taken; it only keeps this total.
    let read = failing
        .iter()
        .rev()
        .copied()
        .find(|&i| matches!(ops[i].kind, OpKind::Read(_)))
        .or(failing.last().copied())
        .expect("a failing prefix is never empty");
    let returned = match ops[read].kind {
        OpKind::Read(v) | OpKind::Write(v) => v,
    };
    let invoked = ops[read].invoked;
    // Only the last completed write is "missed": an older one with a different value
    // was overwritten legitimately, and blaming it would mislead.
    let last_write = failing.iter().rev().copied().find(|&i| {
        matches!(ops[i].kind, OpKind::Write(_)) && answer(&ops[i]).is_some_and(|r| r < invoked)
    });
    let missed = last_write.and_then(|w| match ops[w].kind {
        OpKind::Write(v) if v != returned => Some((ops[w].id, v)),
        _ => None,
    });
    Stale {
        read: ops[read].id,
        returned,
        missed: missed.map(|(id, _)| id),
        missed_value: missed.map(|(_, v)| v),
    }
}

/// One operation as the search sees it.
#[derive(Clone, Copy)]
struct Call {
    invoked: Time,
    /// None: pending; it may be linearized after its invocation, or left out.
    responded: Option<Time>,
    write: bool,
    value: Option<i64>,
}

/// The history as it stood when the `k`-th answer (in `order`) arrived: those `k`
/// ops answered, every write invoked by then pending.
///
/// Two kinds of pending write are left out, since no linearization needs them: those
/// invoked after the `k`-th answer (they could only come after all `k` answered ops),
/// and those whose value no read returned (nothing may observe them, so the next read
/// after one would need another write in between, and leaving it out changes no read).
/// The second keeps a crashed leader's many unanswered writes from making the search
/// exponential.
fn prefix(ops: &[Op], order: &[usize], k: usize) -> Vec<Call> {
    let Some(cut) = order[..k].iter().filter_map(|&i| answer(&ops[i])).max() else {
        return Vec::new();
    };
    let mut seen: Vec<Option<i64>> = order[..k]
        .iter()
        .filter_map(|&i| match ops[i].kind {
            OpKind::Read(v) => Some(v),
            OpKind::Write(_) => None,
        })
        .collect();
    seen.sort_unstable();
    seen.dedup();
    let observed = |i: usize| match ops[i].kind {
        OpKind::Write(v) => ops[i].invoked <= cut && seen.binary_search(&v).is_ok(),
        OpKind::Read(_) => false,
    };
    let call = |i: usize, answered: bool| {
        let op = &ops[i];
        let (write, value) = match op.kind {
            OpKind::Write(v) => (true, v),
            OpKind::Read(v) => (false, v),
        };
        Call {
            invoked: op.invoked,
            responded: if answered { answer(op) } else { None },
            write,
            value,
        }
    };
    let answered = order[..k].iter().map(|&i| call(i, true));
    let pending = order[k..]
        .iter()
        .filter(|&&i| observed(i))
        .map(|&i| call(i, false));
    answered.chain(pending).collect()
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Outcome {
    Linearizable,
    NotLinearizable,
    Unknown,
}

/// The set of linearized ops, one bit each: cheap to copy into the memo and to hash.
#[derive(Clone, PartialEq, Eq, Hash)]
struct Bits(Vec<u64>);

impl Bits {
    fn new(n: usize) -> Bits {
        Bits(vec![0; n.div_ceil(64)])
    }
    fn has(&self, i: usize) -> bool {
        (self.0[i / 64] >> (i % 64)) & 1 == 1
    }
    fn set(&mut self, i: usize) {
        self.0[i / 64] |= 1 << (i % 64);
    }
    fn clear(&mut self, i: usize) {
        self.0[i / 64] &= !(1 << (i % 64));
    }
}

/// The ops linearized so far, and where the un-linearized ones begin in invocation
/// order and in response order: in a mostly sequential history the linearized ops are
/// a prefix of both, and these positions spare rescanning it at every step.
struct Linearized {
    bits: Bits,
    by_call: Vec<usize>,
    by_return: Vec<usize>,
    call_rank: Vec<usize>,
    /// usize::MAX for a pending op, which is not in `by_return`.
    return_rank: Vec<usize>,
    first_call: usize,
    first_return: usize,
}

impl Linearized {
    fn new(calls: &[Call]) -> Linearized {
        let n = calls.len();
        // Candidates are tried in invocation order, so the minimal ops are a prefix of it.
        let mut by_call: Vec<usize> = (0..n).collect();
        by_call.sort_by_key(|&i| (calls[i].invoked, i));
        // The earliest response of an un-linearized op bounds which ops are minimal.
        let mut by_return: Vec<usize> = (0..n).filter(|&i| calls[i].responded.is_some()).collect();
        by_return.sort_by_key(|&i| (calls[i].responded, i));
        let mut call_rank = vec![0; n];
        let mut return_rank = vec![usize::MAX; n];
        for (rank, &i) in by_call.iter().enumerate() {
            call_rank[i] = rank;
        }
        for (rank, &i) in by_return.iter().enumerate() {
            return_rank[i] = rank;
        }
        Linearized {
            bits: Bits::new(n),
            by_call,
            by_return,
            call_rank,
            return_rank,
            first_call: 0,
            first_return: 0,
        }
    }

    /// Every answered op is linearized; pending ones may be left out.
    fn complete(&self) -> bool {
        self.first_return == self.by_return.len()
    }

    fn set(&mut self, i: usize) {
        self.bits.set(i);
        while self
            .by_call
            .get(self.first_call)
            .is_some_and(|&j| self.bits.has(j))
        {
            self.first_call += 1;
        }
        while self
            .by_return
            .get(self.first_return)
            .is_some_and(|&j| self.bits.has(j))
        {
            self.first_return += 1;
        }
    }

    fn clear(&mut self, i: usize) {
        self.bits.clear(i);
        self.first_call = self.first_call.min(self.call_rank[i]);
        self.first_return = self.first_return.min(self.return_rank[i]);
    }
}

/// Depth-first search for a linearization of `calls`, spending one of `steps` per op
/// tried. Success: every answered op linearized (pending ones may be left out).
fn search(initial: Option<i64>, calls: &[Call], steps: &mut usize) -> Outcome {
    let mut done = Linearized::new(calls);
    if done.complete() {
        return Outcome::Linearizable;
    }
    let mut seen: HashSet<(Bits, Option<i64>)> = HashSet::new();
    let mut state = initial;
    // One frame per linearized op: its position in `by_call` and the value before it.
    let mut stack: Vec<(usize, Option<i64>)> = Vec::new();
    let mut pos = 0;
    loop {
        // An op invoked after some un-linearized op responded must come after that op,
        // so it is not minimal. Equal times are concurrent: hence `>`, not `>=`.
        let horizon = done
            .by_return
            .get(done.first_return)
            .and_then(|&i| calls[i].responded)
            .unwrap_or(Time::MAX);
        let mut descended = false;
        while let Some(&i) = done.by_call.get(pos) {
            let call = calls[i];
            if call.invoked > horizon {
                break;
            }
            if !done.bits.has(i) {
                if *steps == 0 {
                    return Outcome::Unknown;
                }
                *steps -= 1;
                if call.write || call.value == state {
                    done.set(i);
                    // Lowe: the same ops linearized reaching the same value have the same
                    // future, so a configuration explored once is never explored again.
                    if seen.insert((done.bits.clone(), call.value)) {
                        if done.complete() {
                            return Outcome::Linearizable;
                        }
                        stack.push((pos, state));
                        state = call.value;
                        pos = done.first_call;
                        descended = true;
                        break;
                    }
                    done.clear(i);
                }
            }
            pos += 1;
        }
        if descended {
            continue;
        }
        // No minimal op extends this order: undo the last choice and try the next one.
        let Some((p, before)) = stack.pop() else {
            return Outcome::NotLinearizable;
        };
        done.clear(done.by_call[p]);
        state = before;
        pos = p + 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BUDGET: usize = 1_000_000;

    fn write(id: u64, value: Option<i64>, invoked: Time, responded: Option<Time>) -> Op {
        Op {
            id: OpId::Write(id),
            kind: OpKind::Write(value),
            invoked,
            responded,
        }
    }

    fn read(id: u64, value: Option<i64>, invoked: Time, responded: Time) -> Op {
        Op {
            id: OpId::Read(id),
            kind: OpKind::Read(value),
            invoked,
            responded: Some(responded),
        }
    }

    #[test]
    fn sequential_write_then_read_is_linearizable() {
        let ops = [write(1, Some(7), 0, Some(10)), read(1, Some(7), 20, 30)];
        assert_eq!(check(None, &ops, BUDGET), Verdict::Linearizable);
    }

    #[test]
    fn read_of_a_value_overwritten_before_it_started_is_stale() {
        let ops = [
            write(1, Some(1), 0, Some(10)),
            write(2, Some(2), 20, Some(30)),
            read(1, Some(1), 40, 50),
        ];
        assert_eq!(
            check(None, &ops, BUDGET),
            Verdict::NotLinearizable(Stale {
                read: OpId::Read(1),
                returned: Some(1),
                missed: Some(OpId::Write(2)),
                missed_value: Some(Some(2)),
            })
        );
    }

    #[test]
    fn read_concurrent_with_a_write_may_see_the_old_value_or_the_new() {
        let old = [write(1, Some(1), 10, Some(30)), read(1, Some(0), 15, 25)];
        let new = [write(1, Some(1), 10, Some(30)), read(1, Some(1), 15, 25)];
        assert_eq!(check(Some(0), &old, BUDGET), Verdict::Linearizable);
        assert_eq!(check(Some(0), &new, BUDGET), Verdict::Linearizable);
    }

    #[test]
    fn reads_observing_two_concurrent_writes_in_one_order_are_linearizable() {
        // Both writes overlap both reads: 2 then 1 is one linearization.
        let ops = [
            write(1, Some(1), 0, Some(50)),
            write(2, Some(2), 0, Some(50)),
            read(1, Some(2), 10, 20),
            read(2, Some(1), 30, 40),
            read(3, Some(1), 60, 70),
        ];
        assert_eq!(check(None, &ops, BUDGET), Verdict::Linearizable);
    }

    #[test]
    fn sequential_reads_seeing_new_then_old_during_one_write_are_not_linearizable() {
        // The write of 2 overlaps both reads; once a read saw 2, a later read cannot see
        // 1 again. The last completed write wrote 1, what the read returned: no missed write.
        let ops = [
            write(1, Some(1), 0, Some(5)),
            write(2, Some(2), 10, Some(100)),
            read(1, Some(2), 20, 30),
            read(2, Some(1), 40, 50),
        ];
        assert_eq!(
            check(None, &ops, BUDGET),
            Verdict::NotLinearizable(Stale {
                read: OpId::Read(2),
                returned: Some(1),
                missed: None,
                missed_value: None,
            })
        );
    }

    #[test]
    fn the_evidence_is_the_read_no_order_explains_not_the_one_before_it() {
        // Read 1 saw the write before it was answered, which is fine; read 2 then saw
        // the initial value again, which is not.
        let ops = [
            write(1, Some(1), 0, Some(100)),
            read(1, Some(1), 10, 20),
            read(2, None, 30, 40),
        ];
        assert_eq!(
            check(None, &ops, BUDGET),
            Verdict::NotLinearizable(Stale {
                read: OpId::Read(2),
                returned: None,
                missed: None,
                missed_value: None,
            })
        );
    }

    #[test]
    fn unanswered_write_seen_by_a_later_read_is_linearizable() {
        let ops = [write(1, Some(1), 0, None), read(1, Some(1), 100, 110)];
        assert_eq!(check(None, &ops, BUDGET), Verdict::Linearizable);
    }

    #[test]
    fn unanswered_write_seen_by_no_read_is_linearizable() {
        let ops = [write(1, Some(1), 0, None), read(1, None, 100, 110)];
        assert_eq!(check(None, &ops, BUDGET), Verdict::Linearizable);
    }

    #[test]
    fn read_of_a_deleted_key_returns_none() {
        let ops = [
            write(1, Some(5), 0, Some(10)),
            write(2, None, 20, Some(30)),
            read(1, None, 40, 50),
        ];
        assert_eq!(check(None, &ops, BUDGET), Verdict::Linearizable);
    }

    #[test]
    fn read_of_a_value_after_its_key_was_deleted_is_stale() {
        let ops = [
            write(1, Some(5), 0, Some(10)),
            write(2, None, 20, Some(30)),
            read(1, Some(5), 40, 50),
        ];
        assert_eq!(
            check(None, &ops, BUDGET),
            Verdict::NotLinearizable(Stale {
                read: OpId::Read(1),
                returned: Some(5),
                missed: Some(OpId::Write(2)),
                missed_value: Some(None),
            })
        );
    }

    #[test]
    fn unanswered_read_is_ignored() {
        let ops = [
            write(1, Some(1), 0, Some(10)),
            Op {
                id: OpId::Read(1),
                kind: OpKind::Read(Some(9)),
                invoked: 20,
                responded: None,
            },
        ];
        assert_eq!(check(None, &ops, BUDGET), Verdict::Linearizable);
    }

    /// 150 writes, each read back before the next: 300 ops, one after another.
    fn sequential_history() -> Vec<Op> {
        (0..150u64)
            .flat_map(|i| {
                let t = i * 40;
                [
                    write(i, Some(i as i64), t, Some(t + 10)),
                    read(i, Some(i as i64), t + 20, t + 30),
                ]
            })
            .collect()
    }

    #[test]
    fn three_hundred_sequential_ops_are_linearizable() {
        assert_eq!(
            check(None, &sequential_history(), BUDGET),
            Verdict::Linearizable
        );
    }

    #[test]
    fn three_hundred_sequential_ops_and_one_stale_read_at_the_end_are_not() {
        let mut ops = sequential_history();
        ops.push(read(150, Some(100), 6_000, 6_010));
        assert_eq!(
            check(None, &ops, BUDGET),
            Verdict::NotLinearizable(Stale {
                read: OpId::Read(150),
                returned: Some(100),
                missed: Some(OpId::Write(149)),
                missed_value: Some(Some(149)),
            })
        );
    }

    #[test]
    fn exhausted_budget_returns_unknown() {
        let ops = [
            write(1, Some(1), 0, Some(50)),
            write(2, Some(2), 0, Some(50)),
            read(1, Some(2), 10, 20),
            read(2, Some(1), 30, 40),
        ];
        assert_eq!(check(None, &ops, 1), Verdict::Unknown);
    }

    /// Every order of every choice of unanswered writes, tried one by one.
    fn linearizable_by_brute_force(initial: Option<i64>, ops: &[Op]) -> bool {
        let answered: Vec<&Op> = ops.iter().filter(|o| o.responded.is_some()).collect();
        let unanswered: Vec<&Op> = ops
            .iter()
            .filter(|o| o.responded.is_none() && matches!(o.kind, OpKind::Write(_)))
            .collect();
        (0..1u32 << unanswered.len()).any(|mask| {
            let mut chosen = answered.clone();
            chosen.extend(
                (0..unanswered.len())
                    .filter(|b| mask >> b & 1 == 1)
                    .map(|b| unanswered[b]),
            );
            permutations(chosen.len()).iter().any(|perm| {
                let respects_real_time = perm.iter().enumerate().all(|(x, &a)| {
                    perm[x + 1..].iter().all(|&b| {
                        chosen[b]
                            .responded
                            .is_none_or(|r| r.max(chosen[b].invoked) >= chosen[a].invoked)
                    })
                });
                let mut state = initial;
                respects_real_time
                    && perm.iter().all(|&a| match chosen[a].kind {
                        OpKind::Write(v) => {
                            state = v;
                            true
                        }
                        OpKind::Read(v) => v == state,
                    })
            })
        })
    }

    fn permutations(n: usize) -> Vec<Vec<usize>> {
        if n == 0 {
            return vec![vec![]];
        }
        let mut all = Vec::new();
        for p in permutations(n - 1) {
            for at in 0..=p.len() {
                let mut q = p.clone();
                q.insert(at, n - 1);
                all.push(q);
            }
        }
        all
    }

    #[test]
    fn agrees_with_trying_every_order_on_small_random_histories() {
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = |bound: u64| {
            // xorshift64: a fixed stream, so the test is the same on every run.
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % bound
        };
        let value = |x: u64| if x == 0 { None } else { Some(x as i64) };
        let mut failing = 0;
        for _ in 0..3_000 {
            let len = 1 + next(6);
            let ops: Vec<Op> = (0..len)
                .map(|id| {
                    let invoked = next(20);
                    let responded = invoked + next(8);
                    if next(2) == 0 {
                        let answered = next(5) != 0;
                        write(id, value(next(3)), invoked, answered.then_some(responded))
                    } else {
                        read(id, value(next(3)), invoked, responded)
                    }
                })
                .collect();
            let initial = value(next(2));
            let verdict = check(initial, &ops, BUDGET);
            assert_eq!(
                verdict == Verdict::Linearizable,
                linearizable_by_brute_force(initial, &ops),
                "{ops:?}"
            );
            if let Verdict::NotLinearizable(stale) = verdict {
                failing += 1;
                // The evidence ends the shortest failing prefix by response time, the
                // ops answered later turned into pending writes (or dropped, if reads).
                let mut by_response: Vec<&Op> =
                    ops.iter().filter(|o| o.responded.is_some()).collect();
                by_response.sort_by_key(|o| (o.responded, o.invoked));
                let shortest = (1..=by_response.len())
                    .find(|&k| {
                        let later = by_response[k..].iter().copied();
                        let unanswered = ops.iter().filter(|o| o.responded.is_none());
                        let pending = later.chain(unanswered).filter_map(|o| match o.kind {
                            OpKind::Write(_) => Some(Op {
                                responded: None,
                                ..o.clone()
                            }),
                            OpKind::Read(_) => None,
                        });
                        let history: Vec<Op> = by_response[..k]
                            .iter()
                            .map(|&o| o.clone())
                            .chain(pending)
                            .collect();
                        !linearizable_by_brute_force(initial, &history)
                    })
                    .expect("the whole history fails");
                assert_eq!(by_response[shortest - 1].id, stale.read, "{ops:?}");
            }
        }
        assert!(failing > 300, "only {failing} failing histories");
    }

    #[test]
    fn many_unanswered_writes_that_no_read_saw_do_not_slow_the_search() {
        // A crashed leader's 60 unanswered writes, all overlapping a stale read: tried
        // as pending, they would give 2^60 configurations to explore.
        let mut ops = sequential_history();
        ops.extend((0..60).map(|i| write(1_000 + i, Some(1_000 + i as i64), 5_000, None)));
        ops.push(read(150, Some(100), 6_000, 6_010));
        assert_eq!(
            check(None, &ops, 100_000),
            Verdict::NotLinearizable(Stale {
                read: OpId::Read(150),
                returned: Some(100),
                missed: Some(OpId::Write(149)),
                missed_value: Some(Some(149)),
            })
        );
    }
}
