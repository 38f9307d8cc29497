//! The guided tour's story, as runs of the real simulator. Each chapter starts from a
//! seeded cluster and each step drives it to a checkpoint (a moment worth a caption):
//! "run until the first candidate appears", "crash the leader", and so on. Step `k` of a
//! chapter is always rebuilt the same way, by starting over and doing steps `0..=k`, so
//! Back and deep links show exactly what Next showed. The words are the UI's; this
//! module only knows what happens and checks that it did (`check`), which the native
//! tests run for every step.

use super::{Intervention, ReadFate, Sim, SimConfig, WriteFate, WriteTarget};
use crate::raft::{Command, MS, NodeId, ReadMode, Role, Term, Time};

/// One moment of a chapter.
pub struct Step {
    /// Starts a new cluster instead of continuing the previous step's.
    pub fresh: Option<fn() -> Result<Sim, String>>,
    /// Drives the cluster from the previous checkpoint to this one.
    pub act: fn(&mut Sim) -> Result<(), String>,
    /// What must hold at this checkpoint, or why not.
    pub check: fn(&Sim) -> Result<(), String>,
    /// A question asked at this step, and how many steps later the run answers it.
    pub question: Option<(Question, usize)>,
    /// What the next step does first, offered as a button ("Crash S3").
    pub invite: Option<Invite>,
}

/// A predict-then-reveal question.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Question {
    /// "Which server becomes the next leader?": one of the running servers, or nobody.
    WhichLeader,
    /// "Who wins term 1?": where the next leader may come a term later (a split vote),
    /// the question names the term it is about, and its answer is that term's leader.
    WhoWins(Term),
    /// "Will the write just made commit?"
    WillCommit,
    /// "Is index 2 committed now?"
    IsCommitted(u64),
    /// "A local read of x at the old leader: what does it return?"
    LocalReadReturns,
    /// "How will the leader bring the returning server up to date?": by entries, or by
    /// its snapshot.
    EntriesOrSnapshot,
    /// "Once the new server votes, how many servers make a majority?"
    MajorityOnceVoting,
}

/// A reader's guess, or what the simulation did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Answer {
    /// A server, or `None` for "nobody".
    Server(Option<NodeId>),
    YesNo(bool),
    /// A value of x, or `None` for "no value".
    Value(Option<i64>),
    /// How a lagging server is brought up to date: `true` by InstallSnapshot, `false` by
    /// AppendEntries alone.
    Snapshot(bool),
    /// A number of servers.
    Count(usize),
}

impl Question {
    /// What the simulation did, read from the checkpoint that answers the question.
    /// `before` is the checkpoint the question was asked at.
    pub fn answer(self, before: &Sim, after: &Sim) -> Answer {
        match self {
            Question::WhichLeader => {
                let newest_before = before.leaders_by_term().keys().next_back().copied();
                let newer = after
                    .leaders_by_term()
                    .iter()
                    .rev()
                    .find(|(t, _)| Some(**t) > newest_before)
                    .map(|(_, id)| *id);
                Answer::Server(newer)
            }
            Question::WhoWins(term) => Answer::Server(after.leaders_by_term().get(&term).copied()),
            Question::WillCommit => {
                let last = after.writes().last();
                Answer::YesNo(last.is_some_and(|w| write_committed(&w.fate)))
            }
            Question::IsCommitted(index) => Answer::YesNo(after.committed_len() >= index),
            Question::LocalReadReturns => Answer::Value(
                after
                    .reads()
                    .iter()
                    .rev()
                    .find_map(|r| match r.fate {
                        ReadFate::Answered { value, .. } => Some(value),
                        _ => None,
                    })
                    .flatten(),
            ),
            Question::MajorityOnceVoting => {
                Answer::Count(after.leader().map_or(0, |l| after.node(l).majority()))
            }
            // The server that was down holds a snapshot now, or one is on its way to it.
            Question::EntriesOrSnapshot => Answer::Snapshot(down_server(before).is_some_and(|f| {
                after.node(f).log.snapshot().is_some()
                    || after.in_flight().iter().any(|m| {
                        m.to == f && matches!(m.msg, crate::raft::Message::InstallSnapshot(_))
                    })
            })),
        }
    }
}

/// An action the reader is asked to take; it is the next step's first act.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Invite {
    CrashLeader,
    /// Restart the server that is down.
    RestartDown,
    Heal,
    /// Leave the tour for the sandbox.
    FreePlay,
}

pub struct Chapter {
    /// Its name in links: `#/tour/<id>/<step>`.
    pub id: &'static str,
    pub steps: &'static [Step],
}

const fn step(
    act: fn(&mut Sim) -> Result<(), String>,
    check: fn(&Sim) -> Result<(), String>,
) -> Step {
    Step {
        fresh: None,
        act,
        check,
        question: None,
        invite: None,
    }
}

const fn fresh(
    start: fn() -> Result<Sim, String>,
    act: fn(&mut Sim) -> Result<(), String>,
    check: fn(&Sim) -> Result<(), String>,
) -> Step {
    Step {
        fresh: Some(start),
        act,
        check,
        question: None,
        invite: None,
    }
}

const fn asking(mut s: Step, q: Question, answered_steps_later: usize) -> Step {
    s.question = Some((q, answered_steps_later));
    s
}

const fn inviting(mut s: Step, i: Invite) -> Step {
    s.invite = Some(i);
    s
}

pub static CHAPTERS: [Chapter; 16] = [
    Chapter {
        id: "consensus",
        steps: &[
            fresh(one_server, until_leader, has_leader),
            step(write_x5_and_commit, all_up_hold_x5),
            step(crash_s1, s1_down),
            fresh(three_servers, until_leader_and_heartbeat, has_leader),
            step(write_x5_and_commit, all_up_hold_x5),
            step(crash_follower_and_write, commits_with_one_down),
        ],
    },
    Chapter {
        id: "roles-and-terms",
        steps: &[
            fresh(five_servers_roles, nothing, all_followers_term_0),
            step(until_candidate, one_candidate),
            step(until_leader, has_leader),
            inviting(step(nothing, has_leader), Invite::CrashLeader),
            step(crash_leader_and_elect, newer_leader),
            inviting(step(nothing, newer_leader), Invite::RestartDown),
            step(restart_and_catch_up, restarted_follows_newer_term),
        ],
    },
    Chapter {
        id: "election",
        steps: &[
            asking(
                fresh(
                    five_servers_election,
                    timers_under_way,
                    all_followers_term_0,
                ),
                Question::WhichLeader,
                3,
            ),
            step(until_candidate, one_candidate_voted_for_itself),
            step(until_first_vote, candidate_has_a_granted_vote),
            step(until_leader, has_leader),
            step(two_heartbeats, followers_heard_the_leader),
        ],
    },
    Chapter {
        id: "split-vote",
        steps: &[
            asking(
                fresh(four_servers_split, nothing, all_followers_term_0),
                Question::WhoWins(1),
                1,
            ),
            step(two_time_out_together, two_candidates_tie),
            step(until_candidate_of_next_term, a_candidate_of_term_2),
            step(until_leader, leader_of_term_2),
        ],
    },
    Chapter {
        id: "log-replication",
        steps: &[
            fresh(
                five_servers_replication,
                until_leader_and_heartbeat,
                has_leader,
            ),
            step(write_x3, leader_has_uncommitted_x3),
            step(until_a_follower_has_it, a_follower_has_x3),
            step(until_leader_commits, leader_committed_followers_not_all),
            step(until_all_commit, all_up_hold_x3),
        ],
    },
    Chapter {
        id: "leader-crash",
        steps: &[
            inviting(
                fresh(five_servers_crash, elect_and_commit_x1, all_up_hold_x1),
                Invite::CrashLeader,
            ),
            asking(step(crash_leader, leader_down), Question::WhichLeader, 1),
            step(until_leader, newer_leader),
            inviting(
                step(write_x2_and_commit, up_servers_hold_x2),
                Invite::RestartDown,
            ),
            step(restart_and_catch_up, old_leader_caught_up),
        ],
    },
    Chapter {
        id: "partition",
        steps: &[
            fresh(
                five_servers_partition,
                until_leader_and_heartbeat,
                has_leader,
            ),
            step(split_two_three, split_with_leader_in_minority),
            step(until_two_leaders, two_leaders_in_different_terms),
            asking(
                step(write_to_old_leader, old_leader_has_x1),
                Question::WillCommit,
                1,
            ),
            step(run_300ms, x1_uncommitted),
            inviting(
                step(write_to_new_leader, x2_committed_on_majority),
                Invite::Heal,
            ),
            step(heal_and_settle, old_leader_rolled_back),
        ],
    },
    Chapter {
        id: "figure-8",
        steps: &[
            fresh(figure_8_start, until_s1_leads, s1_leads_term_4),
            asking(
                step(until_majority_has_index_2, index_2_on_majority_uncommitted),
                Question::IsCommitted(2),
                1,
            ),
            inviting(
                step(nothing, index_2_on_majority_uncommitted),
                Invite::CrashLeader,
            ),
            step(crash_s1_and_elect_s5, s5_leads),
            step(until_index_2_overwritten, index_2_overwritten),
            fresh(
                figure_8_start,
                until_s1_leads_and_commits_its_own_term,
                s1_committed_term_4,
            ),
            step(crash_s1_and_try_s5, s5_cannot_win),
            // A third ending, beyond Figure 2: the leader's no-op (section 8).
            fresh(
                figure_8_start_no_op,
                until_s1_leads_and_its_no_op_commits,
                s1_no_op_committed_index_2,
            ),
        ],
    },
    // Beyond Figure 2: PreVote (the dissertation's section 9.6), told by the problem it
    // solves. The same cluster twice, the paper's Raft first, then with PreVote on.
    Chapter {
        id: "disruptive-server",
        steps: &[
            fresh(
                five_servers_disruptive,
                until_leader_and_heartbeat,
                cut_off_follows,
            ),
            step(cut_off_s4, s4_cut_off),
            asking(
                step(three_seconds_alone, s4_term_climbed),
                Question::WhichLeader,
                2,
            ),
            inviting(step(nothing, s4_term_climbed), Invite::Heal),
            step(heal_and_elect, healthy_leader_deposed),
            fresh(
                five_servers_disruptive_pre_vote,
                until_leader_then_cut_off_s4,
                s4_cut_off,
            ),
            asking(
                step(three_seconds_alone, s4_term_stayed),
                Question::WhichLeader,
                2,
            ),
            inviting(step(nothing, s4_term_stayed), Invite::Heal),
            step(heal_and_rejoin, leader_kept_its_term),
        ],
    },
    // CheckQuorum (dissertation 6.2): a leader cut off in a minority, without and with it.
    Chapter {
        id: "minority-leader",
        steps: &[
            fresh(
                five_servers_minority,
                until_leader_and_heartbeat,
                has_leader,
            ),
            step(split_two_three, split_with_leader_in_minority),
            step(until_two_leaders_and_two_seconds, old_leader_still_leads),
            fresh(
                five_servers_minority_check_quorum,
                until_leader_then_split,
                split_with_leader_in_minority,
            ),
            step(until_old_leader_steps_down, old_leader_stepped_down),
        ],
    },
    // Reads (section 8): a stale local read at a leader in a minority, then ReadIndex.
    Chapter {
        id: "stale-reads",
        steps: &[
            fresh(five_servers_reads, elect_and_commit_x1, all_up_hold_x1),
            step(split_and_elect_in_majority, two_leaders_in_different_terms),
            asking(
                step(write_x2_to_new_leader, new_leader_acknowledged_x2),
                Question::LocalReadReturns,
                1,
            ),
            step(local_read_at_old_leader, stale_read_caught),
            inviting(
                fresh(
                    stale_reads_partitioned,
                    read_index_at_old_leader,
                    read_index_unanswered,
                ),
                Invite::Heal,
            ),
            step(heal_and_read_again, read_failed_then_answered_x2),
        ],
    },
    // Leadership transfer (dissertation 3.10): handing over with no timeout wasted.
    Chapter {
        id: "leadership-transfer",
        steps: &[
            fresh(five_servers_transfer, elect_and_commit_x1, all_up_hold_x1),
            step(transfer_to_target, timeout_now_sent),
            step(until_target_leads, target_leads_next_term),
            step(
                crash_old_leader_and_write_x2,
                x2_committed_without_old_leader,
            ),
        ],
    },
    // Log compaction (section 7): a server back from a crash gets a snapshot.
    Chapter {
        id: "snapshots",
        steps: &[
            fresh(
                three_servers_compacting,
                elect_and_commit_x1,
                all_up_hold_x1,
            ),
            inviting(
                asking(
                    step(
                        crash_follower_and_write_many,
                        leader_compacted_past_the_down_server,
                    ),
                    Question::EntriesOrSnapshot,
                    1,
                ),
                Invite::RestartDown,
            ),
            step(restart_until_snapshot_sent, snapshot_on_its_way),
            step(until_caught_up_by_snapshot, caught_up_by_snapshot),
        ],
    },
    // Membership changes (section 6, dissertation chapter 4): three servers become five.
    Chapter {
        id: "growing-the-cluster",
        steps: &[
            fresh(three_servers_growing, elect_and_commit_x1, all_up_hold_x1),
            asking(
                step(add_a_server, new_server_learning),
                Question::MajorityOnceVoting,
                1,
            ),
            step(until_promoted, new_server_votes),
            step(add_another_and_write_x2, five_vote_and_x2_committed),
        ],
    },
    // The leader removes itself (dissertation 4.2.2).
    Chapter {
        id: "removing-the-leader",
        steps: &[
            fresh(five_servers_removing, elect_and_commit_x1, all_up_hold_x1),
            asking(
                step(leader_removes_itself, removal_proposed),
                Question::WhichLeader,
                2,
            ),
            step(until_removal_committed, removed_leader_stepped_down),
            step(until_next_leader, four_elect_a_leader_without_it),
        ],
    },
    Chapter {
        id: "free-play",
        steps: &[inviting(
            fresh(figure_8_end, nothing, free_play_ready),
            Invite::FreePlay,
        )],
    },
];

/// Whether a step shows, on purpose, what the safety checker exists to catch: the
/// stale-reads chapter's local read at a leader in a minority. It is the one step where
/// the checker fires, and then only for a stale read.
pub fn shows_a_stale_read(chapter: &str, step: usize) -> bool {
    (chapter, step) == ("stale-reads", 3)
}

/// Whether `sim`'s state is as safe as its step promises: no violation, except the
/// stale read a step shows on purpose.
pub fn safe_as_told(chapter: &str, step: usize, sim: &Sim) -> bool {
    match sim.violation() {
        None => true,
        Some(v) => {
            shows_a_stale_read(chapter, step) && v.invariant == super::Invariant::Linearizability
        }
    }
}

/// The chapter with this link name.
pub fn chapter_index(id: &str) -> Option<usize> {
    CHAPTERS.iter().position(|c| c.id == id)
}

/// The cluster at step `step` (0-based) of chapter `chapter`, rebuilt from its seed.
pub fn build(chapter: usize, step: usize) -> Result<Sim, String> {
    let steps = CHAPTERS
        .get(chapter)
        .ok_or_else(|| format!("there is no chapter {}", chapter.saturating_add(1)))?
        .steps;
    if step >= steps.len() {
        return Err(format!("the chapter has {} steps", steps.len()));
    }
    // Start from the last fresh cluster at or before the step.
    let start = (0..=step)
        .rev()
        .find(|&k| steps[k].fresh.is_some())
        .ok_or("the chapter has no starting cluster")?;
    let mut sim = begin(&steps[start])?;
    for s in &steps[start..=step] {
        (s.act)(&mut sim)?;
    }
    Ok(sim)
}

/// The cluster a step starts from when it is fresh.
pub fn begin(step: &Step) -> Result<Sim, String> {
    match step.fresh {
        Some(start) => start(),
        None => Err("this step continues the previous one".into()),
    }
}

// ---- Starting clusters. Seeds were chosen so that each story happens as told; the
// native tests fail if a change to Raft or the simulator makes one untrue.

fn one_server() -> Result<Sim, String> {
    Sim::new(SimConfig::with_seed(1, 101))
}

fn three_servers() -> Result<Sim, String> {
    Sim::new(SimConfig::with_seed(3, 102))
}

fn five_servers_roles() -> Result<Sim, String> {
    Sim::new(SimConfig::with_seed(5, 201))
}

fn five_servers_election() -> Result<Sim, String> {
    Sim::new(SimConfig::with_seed(5, 301))
}

fn four_servers_split() -> Result<Sim, String> {
    Sim::new(SimConfig::with_seed(4, SPLIT_SEED))
}

fn five_servers_replication() -> Result<Sim, String> {
    Sim::new(SimConfig::with_seed(5, 501))
}

fn five_servers_crash() -> Result<Sim, String> {
    Sim::new(SimConfig::with_seed(5, 601))
}

fn five_servers_partition() -> Result<Sim, String> {
    Sim::new(SimConfig::with_seed(5, 701))
}

/// The disruptive-server chapter's cluster: the paper's Raft, then with PreVote on.
const DISRUPTIVE_SEED: u64 = 903;
/// The server the disruptive-server chapter cuts off: S4, a follower with this seed.
pub const CUT_OFF: NodeId = 3;

fn five_servers_disruptive() -> Result<Sim, String> {
    Sim::new(SimConfig::with_seed(5, DISRUPTIVE_SEED))
}

fn five_servers_disruptive_pre_vote() -> Result<Sim, String> {
    let mut config = SimConfig::with_seed(5, DISRUPTIVE_SEED);
    config.raft.pre_vote = true;
    Sim::new(config)
}

/// The paper's Figure 8 after (b): S1 led term 2 and copied index 2 to S2; S5 led term 3
/// and wrote its own index 2 alone. Everyone has seen term 3; S5 is down.
fn figure_8_start() -> Result<Sim, String> {
    figure_8_after_b(SimConfig::with_seed(5, 801))
}

/// Figure 8 after (b) again, with the leader's no-op switched on.
fn figure_8_start_no_op() -> Result<Sim, String> {
    let mut config = SimConfig::with_seed(5, 801);
    config.raft.no_op = true;
    figure_8_after_b(config)
}

fn figure_8_after_b(config: SimConfig) -> Result<Sim, String> {
    let mut sim = Sim::new(config)?;
    for (id, log) in [&[1, 2][..], &[1, 2], &[1], &[1], &[1, 3]]
        .iter()
        .enumerate()
    {
        sim.set_persistent_state(id as NodeId, 3, None, log)?;
    }
    sim.apply(Intervention::Crash(4))?;
    Ok(sim)
}

/// Where free play starts: the end of Figure 8's second ending (step 7), as it was
/// before the chapter had a third, so that free play and its links stay the same run.
const FIGURE_8_FREE_PLAY_STEP: usize = 6;

fn figure_8_end() -> Result<Sim, String> {
    build(
        chapter_index("figure-8").unwrap_or(7),
        FIGURE_8_FREE_PLAY_STEP,
    )
}

/// The minority-leader chapter's cluster: the paper's Raft, then with CheckQuorum on.
const MINORITY_SEED: u64 = 904;

fn five_servers_minority() -> Result<Sim, String> {
    Sim::new(SimConfig::with_seed(5, MINORITY_SEED))
}

fn five_servers_minority_check_quorum() -> Result<Sim, String> {
    let mut config = SimConfig::with_seed(5, MINORITY_SEED);
    config.raft.check_quorum = true;
    Sim::new(config)
}

fn five_servers_reads() -> Result<Sim, String> {
    Sim::new(SimConfig::with_seed(5, 905))
}

/// The stale-reads chapter's run up to x = 2 on the majority's side (steps 1 to 3).
fn stale_reads_partitioned() -> Result<Sim, String> {
    let mut sim = five_servers_reads()?;
    elect_and_commit_x1(&mut sim)?;
    split_and_elect_in_majority(&mut sim)?;
    write_x2_to_new_leader(&mut sim)?;
    Ok(sim)
}

/// How often the snapshots chapter's servers compact: a few times in a dozen writes.
pub const SNAPSHOT_EVERY: u64 = 8;
/// The writes the snapshots chapter makes while a follower is down: x = 2 to x = 13.
pub const WRITES_WHILE_DOWN: std::ops::RangeInclusive<i64> = 2..=13;

fn three_servers_compacting() -> Result<Sim, String> {
    let mut config = SimConfig::with_seed(3, 907);
    config.raft.snapshot_every = SNAPSHOT_EVERY;
    Sim::new(config)
}

/// The follower the snapshots chapter crashes: the one after the leader.
pub fn snapshot_follower(sim: &Sim) -> Result<NodeId, String> {
    let leader = old_leader(sim)?;
    Ok((leader + 1) % sim.servers().len() as NodeId)
}

fn crash_follower_and_write_many(sim: &mut Sim) -> Result<(), String> {
    let follower = snapshot_follower(sim)?;
    sim.apply(Intervention::Crash(follower))?;
    for x in WRITES_WHILE_DOWN {
        write(sim, WriteTarget::Leader, &format!("SET x {x}"))?;
        sim.run_for(30 * MS);
    }
    let last = *WRITES_WHILE_DOWN.end();
    run_until(sim, "the writes' commit", |s| all_up_applied(s, "x", last))?;
    settle(sim)
}

fn leader_compacted_past_the_down_server(sim: &Sim) -> Result<(), String> {
    let follower = down_server(sim).ok_or("nobody is down")?;
    let leader = sim.leader().ok_or("no leader")?;
    let l = &sim.node(leader).log;
    ensure(
        l.snapshot_index() > sim.node(follower).log.last_index()
            && all_up_applied(sim, "x", *WRITES_WHILE_DOWN.end()),
        || "the leader has not compacted past the down server's log".into(),
    )
}

/// The InstallSnapshot on its way to the snapshots chapter's follower, if any.
pub fn snapshot_in_flight(sim: &Sim) -> Option<&super::InFlight> {
    let follower = snapshot_follower(sim).ok()?;
    sim.in_flight()
        .iter()
        .find(|m| m.to == follower && matches!(m.msg, crate::raft::Message::InstallSnapshot(_)))
}

fn restart_until_snapshot_sent(sim: &mut Sim) -> Result<(), String> {
    let follower = snapshot_follower(sim)?;
    sim.apply(Intervention::Restart(follower))?;
    // The leader sends it once the follower's answer to a heartbeat says its log is short.
    run_until(sim, "the leader's snapshot", |s| {
        snapshot_in_flight(s).is_some()
    })?;
    // Halfway there, so the glyph is on screen.
    let m = snapshot_in_flight(sim).ok_or("no snapshot in flight")?;
    let halfway = m.sent_at + (m.deliver_at - m.sent_at) / 2;
    sim.run_for(halfway.saturating_sub(sim.now()));
    Ok(())
}

fn snapshot_on_its_way(sim: &Sim) -> Result<(), String> {
    let follower = snapshot_follower(sim)?;
    let leader = sim.leader().ok_or("no leader")?;
    ensure(
        snapshot_in_flight(sim).is_some()
            && sim.is_up(follower)
            && sim.node(follower).log.snapshot().is_none()
            && sim.node(leader).next_index[follower as usize]
                <= sim.node(leader).log.snapshot_index(),
        || "no snapshot is on its way to the restarted follower".into(),
    )
}

fn until_caught_up_by_snapshot(sim: &mut Sim) -> Result<(), String> {
    let follower = snapshot_follower(sim)?;
    let leader = sim.leader().ok_or("no leader")?;
    run_until(sim, "the follower's catching up", |s| {
        let (f, l) = (s.node(follower), s.node(leader));
        f.log.snapshot().is_some()
            && f.last_applied == l.commit_index
            && f.log.last_index() == l.log.last_index()
    })?;
    settle(sim)
}

fn caught_up_by_snapshot(sim: &Sim) -> Result<(), String> {
    let follower = snapshot_follower(sim)?;
    ensure(
        sim.node(follower).log.snapshot().is_some()
            && all_up_applied(sim, "x", *WRITES_WHILE_DOWN.end())
            && down_server(sim).is_none(),
        || "the follower did not catch up by the snapshot".into(),
    )
}

fn three_servers_growing() -> Result<Sim, String> {
    Sim::new(SimConfig::with_seed(3, 908))
}

fn five_servers_removing() -> Result<Sim, String> {
    Sim::new(SimConfig::with_seed(5, 909))
}

/// The server the growing chapter added last.
pub fn newest_server(sim: &Sim) -> NodeId {
    sim.server_count().saturating_sub(1)
}

fn add_a_server(sim: &mut Sim) -> Result<(), String> {
    sim.apply(Intervention::AddServer)?;
    // Until the learner holds the configuration entry that names it.
    let new = newest_server(sim);
    run_until(sim, "the learner's first entries", |s| {
        s.node(new).log.config_index() > 0
    })
}

fn new_server_learning(sim: &Sim) -> Result<(), String> {
    let leader = sim.leader().ok_or("no leader")?;
    let m = sim.node(leader).membership();
    let new = newest_server(sim);
    ensure(
        m.learners.contains(&new) && m.voters.len() == 3 && sim.node(leader).majority() == 2,
        || "the new server is not a learner beside three voters".into(),
    )
}

fn until_promoted(sim: &mut Sim) -> Result<(), String> {
    let new = newest_server(sim);
    run_until(sim, "the new server's promotion", |s| {
        s.leader().is_some_and(|l| {
            let n = s.node(l);
            n.membership().voters.contains(&new) && n.commit_index >= n.log.config_index()
        })
    })?;
    settle(sim)
}

fn new_server_votes(sim: &Sim) -> Result<(), String> {
    let leader = sim.leader().ok_or("no leader")?;
    let n = sim.node(leader);
    ensure(
        n.membership().voters.len() == 4 && n.majority() == 3 && catch_up_round(sim).is_some(),
        || "four servers do not vote".into(),
    )
}

/// The newest server's last catch-up round: (round, how long it took).
pub fn catch_up_round(sim: &Sim) -> Option<(u32, Time)> {
    let new = newest_server(sim);
    sim.trace().iter().rev().find_map(|e| match &e.kind {
        super::EventKind::Node {
            event:
                crate::raft::NodeEvent::CatchUpRound {
                    learner,
                    round,
                    took,
                    caught_up: true,
                },
            ..
        } if *learner == new => Some((*round, *took)),
        _ => None,
    })
}

fn add_another_and_write_x2(sim: &mut Sim) -> Result<(), String> {
    add_a_server(sim)?;
    until_promoted(sim)?;
    write(sim, WriteTarget::Leader, "SET x 2")?;
    run_until(sim, "the write's commit", |s| all_up_applied(s, "x", 2))?;
    settle(sim)
}

fn five_vote_and_x2_committed(sim: &Sim) -> Result<(), String> {
    let leader = sim.leader().ok_or("no leader")?;
    let n = sim.node(leader);
    ensure(
        n.membership().voters.len() == 5 && n.majority() == 3 && all_up_applied(sim, "x", 2),
        || "five servers do not vote, or x = 2 is not everywhere".into(),
    )
}

fn leader_removes_itself(sim: &mut Sim) -> Result<(), String> {
    let leader = sim.leader().ok_or("no leader")?;
    sim.apply(Intervention::RemoveServer(leader))?;
    // Until the entry is on its way to the others.
    sim.run_for(5 * MS);
    Ok(())
}

fn removal_proposed(sim: &Sim) -> Result<(), String> {
    let old = old_leader(sim)?;
    let n = sim.node(old);
    ensure(
        n.role == Role::Leader
            && !n.membership().is_member(old)
            && n.commit_index < n.log.config_index()
            && n.majority() == 3,
        || "the leader has not proposed its own removal".into(),
    )
}

fn until_removal_committed(sim: &mut Sim) -> Result<(), String> {
    let old = old_leader(sim)?;
    run_until(sim, "the leader's stepping down", |s| {
        s.node(old).role != Role::Leader
    })?;
    sim.run_for(5 * MS);
    Ok(())
}

fn removed_leader_stepped_down(sim: &Sim) -> Result<(), String> {
    let old = old_leader(sim)?;
    let n = sim.node(old);
    ensure(
        n.role == Role::Follower && !n.membership().is_member(old) && sim.leader().is_none(),
        || "the removed leader did not step down, or another leads already".into(),
    )
}

fn until_next_leader(sim: &mut Sim) -> Result<(), String> {
    until_leader(sim)?;
    settle(sim)
}

fn four_elect_a_leader_without_it(sim: &Sim) -> Result<(), String> {
    let old = old_leader(sim)?;
    let leader = sim.leader().ok_or("no leader")?;
    ensure(
        leader != old
            && sim.node(leader).membership().voters.len() == 4
            && sim.node(leader).majority() == 3
            && sim.node(old).role == Role::Follower,
        || "the four did not elect a leader without the old one".into(),
    )
}

fn five_servers_transfer() -> Result<Sim, String> {
    Sim::new(SimConfig::with_seed(5, 906))
}

/// The seed of the split-vote chapter: S1 and S3 time out together and, with this seed's
/// latencies, S2 and S4 each vote for a different one of them.
const SPLIT_SEED: u64 = 3;
pub const SPLIT_CANDIDATES: [NodeId; 2] = [0, 2];

// ---- Acts: each drives the cluster from one checkpoint to the next.

const LIMIT: Time = 10_000 * MS;

fn nothing(_: &mut Sim) -> Result<(), String> {
    Ok(())
}

/// Long enough for the timer rings to differ visibly, short of the shortest timeout.
fn timers_under_way(sim: &mut Sim) -> Result<(), String> {
    sim.run_for(sim.config().raft.election_timeout_min / 2);
    Ok(())
}

fn run_until(sim: &mut Sim, what: &str, done: impl FnMut(&Sim) -> bool) -> Result<(), String> {
    if sim.run_until_condition(LIMIT, done) {
        Ok(())
    } else {
        Err(format!("{what} did not happen within 10 s"))
    }
}

fn until_leader(sim: &mut Sim) -> Result<(), String> {
    let before = newest_term_led(sim);
    run_until(sim, "an election", |s| {
        newest_term_led(s) > before && s.leader().is_some()
    })
}

fn until_leader_and_heartbeat(sim: &mut Sim) -> Result<(), String> {
    until_leader(sim)?;
    sim.run_for(60 * MS);
    Ok(())
}

fn until_candidate(sim: &mut Sim) -> Result<(), String> {
    run_until(sim, "a candidate", |s| !candidates(s).is_empty())
}

fn until_first_vote(sim: &mut Sim) -> Result<(), String> {
    run_until(sim, "a granted vote", |s| {
        candidates(s)
            .iter()
            .any(|&c| s.node(c).votes_granted.len() >= 2)
    })
}

fn two_heartbeats(sim: &mut Sim) -> Result<(), String> {
    sim.run_for(2 * sim.config().raft.heartbeat_interval + 20 * MS);
    Ok(())
}

fn write(sim: &mut Sim, to: WriteTarget, text: &str) -> Result<(), String> {
    sim.apply(Intervention::ClientWrite {
        to,
        command: Command::parse(text)?,
    })
}

fn all_up_applied(sim: &Sim, key: &str, value: i64) -> bool {
    sim.servers()
        .iter()
        .filter(|s| s.up)
        .all(|s| s.node.kv.get(key) == Some(value))
}

fn write_x5_and_commit(sim: &mut Sim) -> Result<(), String> {
    write(sim, WriteTarget::Leader, "SET x 5")?;
    run_until(sim, "the write's commit", |s| all_up_applied(s, "x", 5))
}

fn crash_s1(sim: &mut Sim) -> Result<(), String> {
    sim.apply(Intervention::Crash(0))
}

fn crash_follower_and_write(sim: &mut Sim) -> Result<(), String> {
    let leader = sim.leader().ok_or("no leader")?;
    let follower = (0..sim.servers().len() as NodeId)
        .rev()
        .find(|&id| id != leader)
        .ok_or("no follower")?;
    sim.apply(Intervention::Crash(follower))?;
    write(sim, WriteTarget::Leader, "SET y 7")?;
    run_until(sim, "the write's commit", |s| all_up_applied(s, "y", 7))
}

fn crash_leader(sim: &mut Sim) -> Result<(), String> {
    let leader = sim.leader().ok_or("no leader to crash")?;
    sim.apply(Intervention::Crash(leader))
}

/// A moment of ordinary heartbeats after a change, so that what comes next (a restart,
/// say) does not meet messages still on their way from it.
fn settle(sim: &mut Sim) -> Result<(), String> {
    sim.run_for(150 * MS);
    Ok(())
}

fn crash_leader_and_elect(sim: &mut Sim) -> Result<(), String> {
    crash_leader(sim)?;
    until_leader(sim)?;
    settle(sim)
}

fn restart_and_catch_up(sim: &mut Sim) -> Result<(), String> {
    let down = down_server(sim).ok_or("nobody is down")?;
    sim.apply(Intervention::Restart(down))?;
    run_until(sim, "the restarted server's catching up", |s| {
        let Some(leader) = s.leader() else {
            return false;
        };
        let (l, d) = (s.node(leader), s.node(down));
        d.current_term == l.current_term
            && d.log == l.log
            && d.commit_index == l.commit_index
            && d.last_applied == d.commit_index
    })
}

fn two_time_out_together(sim: &mut Sim) -> Result<(), String> {
    for c in SPLIT_CANDIDATES {
        sim.apply(Intervention::Timeout(c))?;
    }
    // Both have started their election and every RequestVote and reply has arrived.
    run_until(sim, "the votes", |s| {
        candidates(s).len() == 2 && s.in_flight().is_empty()
    })
}

fn until_candidate_of_next_term(sim: &mut Sim) -> Result<(), String> {
    let term = sim.node(SPLIT_CANDIDATES[0]).current_term;
    run_until(sim, "a candidate of the next term", |s| {
        candidates(s).iter().any(|&c| s.node(c).current_term > term)
    })
}

fn elect_and_commit_x1(sim: &mut Sim) -> Result<(), String> {
    until_leader(sim)?;
    write(sim, WriteTarget::Leader, "SET x 1")?;
    run_until(sim, "the write's commit", |s| all_up_applied(s, "x", 1))
}

fn write_x2_and_commit(sim: &mut Sim) -> Result<(), String> {
    write(sim, WriteTarget::Leader, "SET x 2")?;
    run_until(sim, "the write's commit", |s| all_up_applied(s, "x", 2))?;
    settle(sim)
}

fn write_x3(sim: &mut Sim) -> Result<(), String> {
    write(sim, WriteTarget::Leader, "SET x 3")
}

fn until_a_follower_has_it(sim: &mut Sim) -> Result<(), String> {
    run_until(sim, "a follower's copy", |s| followers_with_entry_1(s) >= 1)
}

fn until_leader_commits(sim: &mut Sim) -> Result<(), String> {
    run_until(sim, "the leader's commit", |s| {
        s.leader().is_some_and(|l| s.node(l).commit_index >= 1)
    })
}

fn until_all_commit(sim: &mut Sim) -> Result<(), String> {
    run_until(sim, "every server's commit", |s| all_up_applied(s, "x", 3))
}

/// Splits the cluster 2/3 with the leader on the side of two.
fn cut_off_s4(sim: &mut Sim) -> Result<(), String> {
    sim.apply(Intervention::Isolate(CUT_OFF))
}

fn until_leader_then_cut_off_s4(sim: &mut Sim) -> Result<(), String> {
    until_leader_and_heartbeat(sim)?;
    cut_off_s4(sim)
}

fn three_seconds_alone(sim: &mut Sim) -> Result<(), String> {
    sim.run_for(3_000 * MS);
    Ok(())
}

/// Heals, then runs until a leader of a newer term than the healthy one leads every
/// server, and a heartbeat more.
fn heal_and_elect(sim: &mut Sim) -> Result<(), String> {
    let before = newest_term_led(sim);
    sim.apply(Intervention::Heal)?;
    run_until(sim, "an election after the heal", |s| {
        s.leader().is_some_and(|l| {
            let term = s.node(l).current_term;
            term > before && s.servers().iter().all(|x| x.node.current_term == term)
        })
    })?;
    sim.run_for(60 * MS);
    Ok(())
}

/// Heals, then runs until S4 follows the leader again, and a heartbeat more.
fn heal_and_rejoin(sim: &mut Sim) -> Result<(), String> {
    sim.apply(Intervention::Heal)?;
    run_until(sim, "S4's return to the leader", |s| {
        let node = s.node(CUT_OFF);
        node.role == Role::Follower && node.leader_id.is_some() && node.leader_id == s.leader()
    })?;
    sim.run_for(60 * MS);
    Ok(())
}

fn split_two_three(sim: &mut Sim) -> Result<(), String> {
    let leader = sim.leader().ok_or("no leader")?;
    let n = sim.servers().len() as NodeId;
    let minority = vec![leader, (leader + 1) % n];
    let majority = (0..n).filter(|id| !minority.contains(id)).collect();
    sim.apply(Intervention::Partition(vec![minority, majority]))
}

fn until_two_leaders(sim: &mut Sim) -> Result<(), String> {
    run_until(sim, "a second leader", |s| s.leaders().len() == 2)?;
    sim.run_for(60 * MS);
    Ok(())
}

fn write_to_old_leader(sim: &mut Sim) -> Result<(), String> {
    write(sim, WriteTarget::Server(old_leader(sim)?), "SET x 1")
}

fn run_300ms(sim: &mut Sim) -> Result<(), String> {
    sim.run_for(300 * MS);
    Ok(())
}

fn write_to_new_leader(sim: &mut Sim) -> Result<(), String> {
    let new = sim.leader().ok_or("no leader")?;
    write(sim, WriteTarget::Server(new), "SET x 2")?;
    run_until(sim, "the majority's commit", |s| {
        s.node(new).kv.get("x") == Some(2)
    })
}

fn heal_and_settle(sim: &mut Sim) -> Result<(), String> {
    sim.apply(Intervention::Heal)?;
    run_until(sim, "the logs' agreement", |s| {
        let Some(l) = s.leader() else { return false };
        let leader = s.node(l);
        s.servers()
            .iter()
            .all(|x| x.node.log == leader.log && x.node.commit_index == leader.commit_index)
            && all_up_applied(s, "x", 2)
    })
}

fn until_s1_leads(sim: &mut Sim) -> Result<(), String> {
    sim.apply(Intervention::Timeout(0))?;
    run_until(sim, "S1's election", |s| s.leader() == Some(0))
}

fn until_majority_has_index_2(sim: &mut Sim) -> Result<(), String> {
    // S3 is the last to get it with this seed: by then S1 to S4 all hold index 2.
    run_until(sim, "a majority's copy of index 2", |s| {
        s.node(2).log.term_at(2) == Some(2)
    })
}

fn crash_s1_and_elect_s5(sim: &mut Sim) -> Result<(), String> {
    sim.apply(Intervention::Crash(0))?;
    sim.apply(Intervention::Restart(4))?;
    sim.apply(Intervention::Timeout(4))?;
    run_until(sim, "S5's election", |s| s.leader() == Some(4))
}

fn until_index_2_overwritten(sim: &mut Sim) -> Result<(), String> {
    // Until S5 also knows it (its matchIndex): the quorum meter then shows a majority
    // holding index 2, still not committed, since it is not of S5's own term.
    run_until(sim, "index 2 overwritten", |s| {
        (1..4).all(|id| s.node(id).log.term_at(2) == Some(3)) && s.node(4).replica_count(2) >= 4
    })
}

fn until_s1_leads_and_commits_its_own_term(sim: &mut Sim) -> Result<(), String> {
    until_s1_leads(sim)?;
    write(sim, WriteTarget::Server(0), "SET x 4")?;
    run_until(sim, "S1's commit of index 3", |s| {
        s.node(0).commit_index >= 3
    })
}

fn crash_s1_and_try_s5(sim: &mut Sim) -> Result<(), String> {
    sim.apply(Intervention::Crash(0))?;
    sim.apply(Intervention::Restart(4))?;
    sim.apply(Intervention::Timeout(4))?;
    // S5 asks for votes and is refused; someone else with the committed entries wins.
    run_until(sim, "a new leader", |s| {
        s.leader().is_some_and(|l| s.node(l).current_term > 4)
    })?;
    sim.run_for(100 * MS);
    Ok(())
}

fn write_committed(fate: &WriteFate) -> bool {
    matches!(
        fate,
        WriteFate::Committed { .. } | WriteFate::Acknowledged { .. }
    )
}

// ---- Facts the checks (and the captions) read.

pub fn candidates(sim: &Sim) -> Vec<NodeId> {
    sim.servers()
        .iter()
        .filter(|s| s.up && s.node.role == Role::Candidate)
        .map(|s| s.node.id)
        .collect()
}

/// The newest term that has had a leader (0: none yet).
pub fn newest_term_led(sim: &Sim) -> Term {
    sim.leaders_by_term()
        .keys()
        .next_back()
        .copied()
        .unwrap_or(0)
}

/// The leader of the oldest term that had one: the one a crash or partition deposed.
pub fn old_leader(sim: &Sim) -> Result<NodeId, String> {
    sim.leaders_by_term()
        .values()
        .next()
        .copied()
        .ok_or_else(|| "nobody has led yet".to_string())
}

pub fn down_server(sim: &Sim) -> Option<NodeId> {
    sim.servers().iter().find(|s| !s.up).map(|s| s.node.id)
}

fn followers_with_entry_1(sim: &Sim) -> usize {
    sim.servers()
        .iter()
        .filter(|s| s.node.role == Role::Follower && s.node.log.last_index() >= 1)
        .count()
}

// ---- Checks: what each checkpoint promises.

fn ensure(ok: bool, why: impl FnOnce() -> String) -> Result<(), String> {
    if ok { Ok(()) } else { Err(why()) }
}

fn has_leader(sim: &Sim) -> Result<(), String> {
    ensure(sim.leader().is_some(), || "no leader".into())
}

fn cut_off_follows(sim: &Sim) -> Result<(), String> {
    has_leader(sim)?;
    ensure(sim.leader() != Some(CUT_OFF), || {
        "S4 leads: the chapter cuts off a follower".into()
    })
}

fn s4_cut_off(sim: &Sim) -> Result<(), String> {
    cut_off_follows(sim)?;
    ensure(
        (0..sim.servers().len() as NodeId)
            .filter(|&id| id != CUT_OFF)
            .all(|id| sim.links().is_cut(CUT_OFF, id) && sim.links().is_cut(id, CUT_OFF)),
        || "S4 can still reach another server".into(),
    )
}

/// Alone, S4 went through election after election: its term is well above the leader's.
fn s4_term_climbed(sim: &Sim) -> Result<(), String> {
    s4_cut_off(sim)?;
    let (leader, s4) = (newest_term_led(sim), sim.node(CUT_OFF).current_term);
    ensure(s4 >= leader + 5, || {
        format!("S4 is in term {s4}, the leader in {leader}")
    })
}

/// With PreVote, S4 asked again and again and never raised its term.
fn s4_term_stayed(sim: &Sim) -> Result<(), String> {
    s4_cut_off(sim)?;
    ensure(sim.config().raft.pre_vote, || "PreVote is off".into())?;
    let (leader, s4) = (newest_term_led(sim), sim.node(CUT_OFF).current_term);
    ensure(
        s4 == leader && sim.node(CUT_OFF).role != Role::Candidate,
        || format!("S4 is in term {s4}, the leader in {leader}"),
    )
}

/// The healthy leader of the first term stepped down for S4's term, and another leads.
fn healthy_leader_deposed(sim: &Sim) -> Result<(), String> {
    let first = sim.leaders_by_term().keys().next().copied().unwrap_or(0);
    let leader = sim.leader().ok_or("no leader")?;
    let term = sim.node(leader).current_term;
    ensure(term >= first + 5, || {
        format!("the leader's term {term} is close to the first {first}")
    })?;
    ensure(sim.links().is_empty(), || "the network is still cut".into())
}

/// With PreVote, the heal changed nothing: one leader in one term all along, and S4
/// follows it.
fn leader_kept_its_term(sim: &Sim) -> Result<(), String> {
    ensure(sim.leaders_by_term().len() == 1, || {
        format!("{} terms had a leader", sim.leaders_by_term().len())
    })?;
    let leader = sim.leader().ok_or("no leader")?;
    let term = sim.node(leader).current_term;
    ensure(
        sim.servers().iter().all(|s| s.node.current_term == term),
        || "the terms differ".into(),
    )?;
    ensure(sim.node(CUT_OFF).leader_id == Some(leader), || {
        "S4 does not follow the leader".into()
    })?;
    // The caption says S4 followed the heartbeat rather than ask again.
    let healed = sim
        .trace()
        .iter()
        .rposition(|e| matches!(e.kind, super::EventKind::Intervention(Intervention::Heal)))
        .ok_or("no heal in the trace")?;
    ensure(
        !sim.trace()[healed..].iter().any(|e| {
            matches!(
                e.kind,
                super::EventKind::Node {
                    node: CUT_OFF,
                    event: crate::raft::NodeEvent::PreVoteStarted { .. }
                }
            )
        }),
        || "S4 asked for pre-votes after the heal".into(),
    )
}

fn all_up_hold_x5(sim: &Sim) -> Result<(), String> {
    ensure(all_up_applied(sim, "x", 5), || {
        "not every running server holds x = 5".into()
    })
}

fn s1_down(sim: &Sim) -> Result<(), String> {
    ensure(!sim.is_up(0), || "S1 is still up".into())
}

fn commits_with_one_down(sim: &Sim) -> Result<(), String> {
    ensure(down_server(sim).is_some(), || "nobody is down".into())?;
    ensure(all_up_applied(sim, "y", 7), || {
        "y = 7 did not commit".into()
    })
}

fn all_followers_term_0(sim: &Sim) -> Result<(), String> {
    ensure(
        sim.servers()
            .iter()
            .all(|s| s.node.role == Role::Follower && s.node.current_term == 0),
        || "not every server is a follower of term 0".into(),
    )
}

fn one_candidate(sim: &Sim) -> Result<(), String> {
    ensure(candidates(sim).len() == 1 && sim.leader().is_none(), || {
        format!(
            "candidates {:?}, leader {:?}",
            candidates(sim),
            sim.leader()
        )
    })
}

fn one_candidate_voted_for_itself(sim: &Sim) -> Result<(), String> {
    one_candidate(sim)?;
    let c = candidates(sim)[0];
    ensure(sim.node(c).voted_for == Some(c), || {
        "the candidate did not vote for itself".into()
    })
}

fn candidate_has_a_granted_vote(sim: &Sim) -> Result<(), String> {
    let c = candidates(sim);
    ensure(
        c.len() == 1 && sim.node(c[0]).votes_granted.len() == 2,
        || format!("candidates {c:?}"),
    )
}

fn followers_heard_the_leader(sim: &Sim) -> Result<(), String> {
    let leader = sim.leader().ok_or("no leader")?;
    let term = sim.node(leader).current_term;
    ensure(
        sim.servers()
            .iter()
            .all(|s| s.node.current_term == term && s.node.leader_id == Some(leader)),
        || "a follower has not heard from the leader".into(),
    )
}

fn newer_leader(sim: &Sim) -> Result<(), String> {
    let leader = sim.leader().ok_or("no leader")?;
    ensure(
        sim.leaders_by_term().len() >= 2 && sim.node(leader).current_term == newest_term_led(sim),
        || "no second leader".into(),
    )
}

fn restarted_follows_newer_term(sim: &Sim) -> Result<(), String> {
    let old = old_leader(sim)?;
    let leader = sim.leader().ok_or("no leader")?;
    // The caption says the new leader's message brought it in: no election since.
    ensure(
        sim.leaders_by_term().len() == 2
            && sim.leaders_by_term().values().next_back() == Some(&leader),
        || format!("leaders by term {:?}", sim.leaders_by_term()),
    )?;
    ensure(
        sim.is_up(old)
            && old != leader
            && sim.node(old).role == Role::Follower
            && sim.node(old).current_term == sim.node(leader).current_term,
        || "the old leader is not a follower of the new term".into(),
    )
}

fn two_candidates_tie(sim: &Sim) -> Result<(), String> {
    let c = candidates(sim);
    ensure(c == SPLIT_CANDIDATES, || format!("tie candidates {c:?}"))?;
    let (a, b) = (sim.node(c[0]), sim.node(c[1]));
    ensure(
        a.current_term == b.current_term
            && a.votes_granted.len() == 2
            && b.votes_granted.len() == 2
            && sim.leaders().is_empty(),
        || {
            format!(
                "terms {} {}, votes {:?} {:?}, leaders {:?}",
                a.current_term,
                b.current_term,
                a.votes_granted,
                b.votes_granted,
                sim.leaders()
            )
        },
    )
}

fn a_candidate_of_term_2(sim: &Sim) -> Result<(), String> {
    // Exactly one server has started term 2, and nobody leads yet.
    let in_term_2: Vec<NodeId> = sim
        .servers()
        .iter()
        .filter(|s| s.node.current_term == 2)
        .map(|s| s.node.id)
        .collect();
    ensure(
        in_term_2.len() == 1
            && sim.node(in_term_2[0]).role == Role::Candidate
            && sim.leaders().is_empty(),
        || format!("servers in term 2: {in_term_2:?}"),
    )
}

fn leader_of_term_2(sim: &Sim) -> Result<(), String> {
    let l = sim.leader().ok_or("no leader")?;
    ensure(sim.node(l).current_term == 2, || {
        "the leader is not of term 2".into()
    })?;
    // The caption says one server timed out well first: no second candidate this round.
    ensure(candidates(sim).is_empty(), || {
        format!("candidates {:?}", candidates(sim))
    })
}

fn leader_has_uncommitted_x3(sim: &Sim) -> Result<(), String> {
    let l = sim.node(sim.leader().ok_or("no leader")?);
    ensure(l.log.last_index() == 1 && l.commit_index == 0, || {
        "the leader's entry is missing or already committed".into()
    })
}

fn a_follower_has_x3(sim: &Sim) -> Result<(), String> {
    let l = sim.node(sim.leader().ok_or("no leader")?);
    ensure(
        followers_with_entry_1(sim) >= 1 && l.commit_index == 0,
        || "no follower has the entry, or it is already committed".into(),
    )
}

fn leader_committed_followers_not_all(sim: &Sim) -> Result<(), String> {
    let l = sim.node(sim.leader().ok_or("no leader")?);
    ensure(
        matches!(
            sim.writes().last().map(|w| &w.fate),
            Some(WriteFate::Acknowledged { .. })
        ),
        || "the leader has not answered the client".into(),
    )?;
    ensure(
        l.commit_index == 1
            && l.replica_count(1) * 2 > sim.servers().len()
            && sim.servers().iter().any(|s| s.node.commit_index == 0),
        || "the leader has not committed, or every follower already knows".into(),
    )
}

fn all_up_hold_x3(sim: &Sim) -> Result<(), String> {
    ensure(all_up_applied(sim, "x", 3), || {
        "not every server holds x = 3".into()
    })
}

fn all_up_hold_x1(sim: &Sim) -> Result<(), String> {
    ensure(all_up_applied(sim, "x", 1), || {
        "not every server holds x = 1".into()
    })
}

fn leader_down(sim: &Sim) -> Result<(), String> {
    ensure(sim.leader().is_none() && down_server(sim).is_some(), || {
        "the leader is still up".into()
    })
}

fn up_servers_hold_x2(sim: &Sim) -> Result<(), String> {
    newer_leader(sim)?;
    ensure(all_up_applied(sim, "x", 2), || {
        "x = 2 is not everywhere".into()
    })
}

fn old_leader_caught_up(sim: &Sim) -> Result<(), String> {
    restarted_follows_newer_term(sim)?;
    ensure(
        all_up_applied(sim, "x", 2) && down_server(sim).is_none(),
        || "the old leader did not catch up".into(),
    )
}

fn split_with_leader_in_minority(sim: &Sim) -> Result<(), String> {
    let leader = sim.leader().ok_or("no leader")?;
    let reachable = (0..sim.servers().len() as NodeId)
        .filter(|&id| id != leader && !sim.links().is_cut(leader, id))
        .count();
    ensure(reachable == 1, || {
        format!("the leader reaches {reachable} servers")
    })
}

fn two_leaders_in_different_terms(sim: &Sim) -> Result<(), String> {
    let leaders = sim.leaders();
    ensure(leaders.len() == 2, || format!("leaders {leaders:?}"))?;
    ensure(
        sim.node(leaders[0]).current_term != sim.node(leaders[1]).current_term,
        || "both leaders are in the same term".into(),
    )
}

fn old_leader_has_x1(sim: &Sim) -> Result<(), String> {
    two_leaders_in_different_terms(sim)?;
    let old = sim.node(old_leader(sim)?);
    ensure(old.log.last_index() > old.commit_index, || {
        "no uncommitted entry".into()
    })
}

fn x1_uncommitted(sim: &Sim) -> Result<(), String> {
    old_leader_has_x1(sim)?;
    ensure(
        sim.writes()
            .last()
            .is_some_and(|w| !write_committed(&w.fate)),
        || "the minority's write committed".into(),
    )
}

fn x2_committed_on_majority(sim: &Sim) -> Result<(), String> {
    two_leaders_in_different_terms(sim)?;
    let new = sim.node(sim.leader().ok_or("no leader")?);
    ensure(new.kv.get("x") == Some(2), || "x = 2 did not commit".into())
}

fn old_leader_rolled_back(sim: &Sim) -> Result<(), String> {
    let old = old_leader(sim)?;
    ensure(
        sim.leaders().len() == 1 && sim.node(old).role == Role::Follower,
        || "the old leader did not step down".into(),
    )?;
    ensure(
        sim.servers().iter().all(|s| {
            s.node.kv.get("x") == Some(2)
                && s.node
                    .log
                    .entries()
                    .iter()
                    .all(|e| e.command.to_string() != "SET x 1")
        }),
        || "the minority's entry is still somewhere".into(),
    )
}

fn s1_leads_term_4(sim: &Sim) -> Result<(), String> {
    ensure(
        sim.leader() == Some(0) && sim.node(0).current_term == 4,
        || "S1 does not lead term 4".into(),
    )
}

fn index_2_on_majority_uncommitted(sim: &Sim) -> Result<(), String> {
    s1_leads_term_4(sim)?;
    let holders = sim
        .servers()
        .iter()
        .filter(|s| s.node.log.term_at(2) == Some(2))
        .count();
    ensure(holders >= 3 && sim.node(0).commit_index < 2, || {
        format!(
            "{holders} servers hold index 2; S1 committed {}",
            sim.node(0).commit_index
        )
    })
}

fn s5_leads(sim: &Sim) -> Result<(), String> {
    ensure(sim.leader() == Some(4) && !sim.is_up(0), || {
        "S5 does not lead".into()
    })
}

fn index_2_overwritten(sim: &Sim) -> Result<(), String> {
    s5_leads(sim)?;
    ensure(sim.node(4).commit_index < 2, || {
        "S5 committed index 2 without an entry of its own term".into()
    })?;
    ensure(
        (1..5).all(|id| sim.node(id).log.term_at(2) == Some(3)),
        || "index 2 still holds term 2 somewhere".into(),
    )
}

fn s1_committed_term_4(sim: &Sim) -> Result<(), String> {
    let s1 = sim.node(0);
    ensure(
        s1.commit_index >= 3 && s1.log.term_at(3) == Some(4) && s1.log.term_at(2) == Some(2),
        || "S1 has not committed its term-4 entry".into(),
    )
}

fn s5_cannot_win(sim: &Sim) -> Result<(), String> {
    let leader = sim.leader().ok_or("no leader")?;
    ensure(leader != 4 && !sim.is_up(0), || "S5 won".into())?;
    ensure(
        (1..4).all(|id| sim.node(id).log.term_at(2) == Some(2))
            && sim.node(leader).log.term_at(3) == Some(4),
        || "a committed entry at index 2 or 3 was lost".into(),
    )?;
    // The caption says S1 committed them and no running server knows it yet (which is
    // why the logs draw them hatched there).
    ensure(
        sim.node(0).commit_index >= 3
            && sim
                .servers()
                .iter()
                .all(|s| !s.up || s.node.commit_index < 2),
        || "a running server already knows index 2 is committed".into(),
    )
}

fn free_play_ready(sim: &Sim) -> Result<(), String> {
    ensure(sim.leader().is_some(), || "no leader to play with".into())
}

// ---- The chapters beyond Figure 2: their acts and checks.

fn until_s1_leads_and_its_no_op_commits(sim: &mut Sim) -> Result<(), String> {
    until_s1_leads(sim)?;
    run_until(sim, "S1's commit of its no-op", |s| {
        s.node(0).commit_index >= 3
    })?;
    sim.run_for(60 * MS);
    Ok(())
}

fn s1_no_op_committed_index_2(sim: &Sim) -> Result<(), String> {
    let s1 = sim.node(0);
    ensure(
        s1.role == Role::Leader
            && s1.commit_index >= 3
            && s1
                .log
                .get(3)
                .is_some_and(|e| e.command == Command::Noop && e.term == s1.current_term)
            && s1.log.term_at(2) == Some(2)
            && sim.writes().is_empty(),
        || "S1 has not committed index 2 with its no-op, without a write".into(),
    )
}

fn until_two_leaders_and_two_seconds(sim: &mut Sim) -> Result<(), String> {
    until_two_leaders(sim)?;
    sim.run_for(2_000 * MS);
    Ok(())
}

fn old_leader_still_leads(sim: &Sim) -> Result<(), String> {
    let old = old_leader(sim)?;
    ensure(
        sim.node(old).role == Role::Leader && sim.leaders().len() == 2,
        || "the old leader no longer leads".into(),
    )
}

fn until_leader_then_split(sim: &mut Sim) -> Result<(), String> {
    until_leader_and_heartbeat(sim)?;
    split_two_three(sim)
}

/// Whether the old leader stepped down because it lost its quorum (CheckQuorum).
pub fn quorum_lost(sim: &Sim) -> Option<(NodeId, Vec<NodeId>)> {
    sim.trace().iter().rev().find_map(|e| match &e.kind {
        super::EventKind::Node {
            node,
            event: crate::raft::NodeEvent::QuorumLost { heard_from, .. },
        } => Some((*node, heard_from.clone())),
        _ => None,
    })
}

fn until_old_leader_steps_down(sim: &mut Sim) -> Result<(), String> {
    let old = old_leader(sim)?;
    run_until(sim, "the old leader's stepping down", |s| {
        s.node(old).role != Role::Leader
    })?;
    sim.run_for(60 * MS);
    Ok(())
}

fn old_leader_stepped_down(sim: &Sim) -> Result<(), String> {
    let old = old_leader(sim)?;
    ensure(
        sim.node(old).role == Role::Follower && quorum_lost(sim).is_some_and(|(n, _)| n == old),
        || "the old leader did not step down for lack of a quorum".into(),
    )
}

/// The server that leads the majority's side after the stale-reads chapter's split.
pub fn new_leader(sim: &Sim) -> Option<NodeId> {
    let old = old_leader(sim).ok()?;
    sim.leaders().into_iter().find(|&l| l != old)
}

fn split_and_elect_in_majority(sim: &mut Sim) -> Result<(), String> {
    split_two_three(sim)?;
    until_two_leaders(sim)
}

fn write_x2_to_new_leader(sim: &mut Sim) -> Result<(), String> {
    let new = new_leader(sim).ok_or("no leader on the majority's side")?;
    write(sim, WriteTarget::Server(new), "SET x 2")?;
    run_until(sim, "x = 2 acknowledged", |s| {
        matches!(
            s.writes().last().map(|w| w.fate),
            Some(WriteFate::Acknowledged { .. })
        )
    })?;
    sim.run_for(60 * MS);
    Ok(())
}

fn new_leader_acknowledged_x2(sim: &Sim) -> Result<(), String> {
    let old = old_leader(sim)?;
    ensure(
        matches!(
            sim.writes().last().map(|w| w.fate),
            Some(WriteFate::Acknowledged { .. })
        ) && sim.node(old).kv.get("x") == Some(1)
            && sim.node(old).role == Role::Leader,
        || "x = 2 is not acknowledged while the old leader still holds x = 1".into(),
    )
}

fn read_at_old_leader(sim: &mut Sim, mode: ReadMode) -> Result<(), String> {
    let old = old_leader(sim)?;
    sim.apply(Intervention::ClientRead {
        to: WriteTarget::Server(old),
        key: "x".into(),
        mode,
    })
}

fn local_read_at_old_leader(sim: &mut Sim) -> Result<(), String> {
    read_at_old_leader(sim, ReadMode::Local)
}

fn stale_read_caught(sim: &Sim) -> Result<(), String> {
    let answered = sim
        .reads()
        .last()
        .is_some_and(|r| matches!(r.fate, ReadFate::Answered { value: Some(1), .. }));
    let caught = sim
        .violation()
        .is_some_and(|v| v.invariant == super::Invariant::Linearizability && v.stale.is_some());
    ensure(answered && caught, || {
        "the old leader's local read was not answered x = 1 and caught as stale".into()
    })
}

fn read_index_at_old_leader(sim: &mut Sim) -> Result<(), String> {
    read_at_old_leader(sim, ReadMode::ReadIndex)?;
    sim.run_for(1_000 * MS);
    Ok(())
}

fn read_index_unanswered(sim: &Sim) -> Result<(), String> {
    let old = old_leader(sim)?;
    let waiting = sim.node(old).pending_reads.first();
    ensure(
        sim.reads()
            .last()
            .is_some_and(|r| r.fate == ReadFate::Pending { leader: old })
            && waiting
                .is_some_and(|r| r.index.is_some() && r.acks.len() < sim.node(old).majority()),
        || "the ReadIndex read is not waiting for a majority".into(),
    )
}

fn heal_and_read_again(sim: &mut Sim) -> Result<(), String> {
    let old = old_leader(sim)?;
    sim.apply(Intervention::Heal)?;
    run_until(sim, "the old leader's stepping down", |s| {
        s.node(old).role == Role::Follower
    })?;
    sim.apply(Intervention::ClientRead {
        to: WriteTarget::Leader,
        key: "x".into(),
        mode: ReadMode::ReadIndex,
    })?;
    run_until(sim, "the second read's answer", |s| {
        s.reads()
            .last()
            .is_some_and(|r| matches!(r.fate, ReadFate::Answered { .. }))
    })?;
    sim.run_for(60 * MS);
    Ok(())
}

fn read_failed_then_answered_x2(sim: &Sim) -> Result<(), String> {
    let reads = sim.reads();
    let failed = reads
        .get(0)
        .is_some_and(|r| matches!(r.fate, ReadFate::Failed { .. }));
    let answered = reads
        .get(1)
        .is_some_and(|r| matches!(r.fate, ReadFate::Answered { value: Some(2), .. }));
    ensure(failed && answered && sim.violation().is_none(), || {
        "the first read did not fail, or the second did not answer x = 2".into()
    })
}

/// The server the leadership-transfer chapter hands over to: the leader's opposite.
pub fn transfer_target(sim: &Sim) -> Option<NodeId> {
    let first = old_leader(sim).ok()?;
    Some((first + 2) % sim.servers().len() as NodeId)
}

fn transfer_to_target(sim: &mut Sim) -> Result<(), String> {
    let target = transfer_target(sim).ok_or("no leader")?;
    sim.apply(Intervention::TransferLeadership { to: target })
}

fn timeout_now_sent(sim: &Sim) -> Result<(), String> {
    let leader = sim.leader().ok_or("no leader")?;
    ensure(
        sim.node(leader)
            .transfer
            .is_some_and(|t| t.timeout_now_sent)
            && sim
                .in_flight()
                .iter()
                .any(|m| matches!(m.msg, crate::raft::Message::TimeoutNow(_))),
        || "the leader has not sent TimeoutNow".into(),
    )
}

fn until_target_leads(sim: &mut Sim) -> Result<(), String> {
    let target = transfer_target(sim).ok_or("no leader")?;
    run_until(sim, "the target's leadership", |s| {
        s.leader() == Some(target)
    })?;
    sim.run_for(60 * MS);
    Ok(())
}

/// When the transfer was asked for and when its target became leader.
pub fn transfer_times(sim: &Sim) -> Option<(Time, Time)> {
    let asked = sim
        .interventions()
        .iter()
        .find_map(|(at, i)| matches!(i, Intervention::TransferLeadership { .. }).then_some(*at))?;
    let target = transfer_target(sim)?;
    let led = sim.trace().iter().find_map(|e| match &e.kind {
        super::EventKind::Node {
            node,
            event:
                crate::raft::NodeEvent::RoleChanged {
                    to: Role::Leader, ..
                },
        } if *node == target && e.time >= asked => Some(e.time),
        _ => None,
    })?;
    Some((asked, led))
}

fn target_leads_next_term(sim: &Sim) -> Result<(), String> {
    let old = old_leader(sim)?;
    let target = transfer_target(sim).ok_or("no target")?;
    let (asked, led) = transfer_times(sim).ok_or("no transfer")?;
    ensure(
        sim.leader() == Some(target)
            && sim.node(target).current_term == sim.node(old).current_term
            && led - asked < sim.config().raft.election_timeout_min,
        || "the target does not lead, or it took longer than an election timeout".into(),
    )
}

fn crash_old_leader_and_write_x2(sim: &mut Sim) -> Result<(), String> {
    let old = old_leader(sim)?;
    sim.apply(Intervention::Crash(old))?;
    write(sim, WriteTarget::Leader, "SET x 2")?;
    run_until(sim, "the write's commit", |s| all_up_applied(s, "x", 2))?;
    sim.run_for(60 * MS);
    Ok(())
}

fn x2_committed_without_old_leader(sim: &Sim) -> Result<(), String> {
    let old = old_leader(sim)?;
    ensure(
        !sim.is_up(old) && all_up_applied(sim, "x", 2) && sim.leaders_by_term().len() == 2,
        || "x = 2 is not committed, or another election happened".into(),
    )
}
