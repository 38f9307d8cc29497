//! The guided tour tells the truth: every chapter's checkpoints hold in the real
//! simulator, with the safety checker on, and Back (a rebuild from the seed) shows
//! exactly what Next showed.

use raft_playground::raft::Role;
use raft_playground::sim::Sim;
use raft_playground::sim::tour::{self, Answer, CHAPTERS, CUT_OFF, Question, build, candidates};
use raft_playground::ui::lang::Lang;
use raft_playground::ui::tour_text::question_text;

fn checkpoint(chapter: &str, step: usize) -> Sim {
    let c = tour::chapter_index(chapter).expect("chapter exists");
    build(c, step).unwrap_or_else(|e| panic!("{chapter} step {}: {e}", step + 1))
}

#[test]
fn every_checkpoint_of_every_chapter_holds_and_nothing_unsafe_happens() {
    for (c, chapter) in CHAPTERS.iter().enumerate() {
        for (k, step) in chapter.steps.iter().enumerate() {
            let sim = build(c, k).unwrap_or_else(|e| panic!("{} step {}: {e}", chapter.id, k + 1));
            if let Err(why) = (step.check)(&sim) {
                panic!("{} step {}: {why}", chapter.id, k + 1);
            }
            assert!(
                tour::safe_as_told(chapter.id, k, &sim),
                "{} step {}: {:?}",
                chapter.id,
                k + 1,
                sim.violation()
            );
        }
    }
}

#[test]
fn a_copy_of_a_checkpoint_continues_exactly_as_a_rebuild_does() {
    // The page plays step k+1 from a copy of step k's run (random generator, timers and
    // messages in flight included); Back rebuilds it from the seed. (That the page's
    // frame-by-frame playing lands on the same state is tested in src/ui/state/tour.rs.)
    for (c, chapter) in CHAPTERS.iter().enumerate() {
        for k in 1..chapter.steps.len() {
            let step = &chapter.steps[k];
            let mut live = match step.fresh {
                Some(_) => tour::begin(step).unwrap(),
                None => build(c, k - 1).unwrap(),
            };
            (step.act)(&mut live).unwrap();
            let rebuilt = build(c, k).unwrap();
            assert_eq!(
                live.state_digest(),
                rebuilt.state_digest(),
                "{} step {}",
                chapter.id,
                k + 1
            );
            assert_eq!(live.script(), rebuilt.script());
        }
    }
}

#[test]
fn the_split_vote_step_shows_two_candidates_of_one_term_with_two_votes_each() {
    let sim = checkpoint("split-vote", 1);
    let c = candidates(&sim);
    assert_eq!(c.len(), 2);
    let (a, b) = (sim.node(c[0]), sim.node(c[1]));
    assert_eq!(a.current_term, b.current_term);
    assert_eq!((a.votes_granted.len(), b.votes_granted.len()), (2, 2));
    assert!(sim.leaders().is_empty(), "nobody wins a split vote");
    let next = checkpoint("split-vote", 3);
    assert_eq!(next.leaders().len(), 1);
    assert_eq!(next.node(next.leader().unwrap()).current_term, 2);
}

#[test]
fn the_split_vote_question_asks_about_the_term_that_splits_not_the_one_after() {
    // Nobody wins term 1, and S1 wins term 2 one step later: "which server becomes
    // leader?" answered "nobody" would mark S1 wrong. The question names its term.
    let c = tour::chapter_index("split-vote").unwrap();
    let (q, later) = CHAPTERS[c].steps[0].question.expect("a question");
    assert_eq!(question_text(Lang::En, q), "Who wins term 1?");
    assert_eq!(question_text(Lang::Zh, q), "谁赢得任期 1？");
    let answer = q.answer(&build(c, 0).unwrap(), &build(c, later).unwrap());
    assert_eq!(answer, Answer::Server(None), "a split vote elects nobody");
    let end = checkpoint("split-vote", CHAPTERS[c].steps.len() - 1);
    assert_eq!(end.leaders_by_term().get(&1), None, "not later either");
    assert_eq!(end.leaders_by_term().get(&2), Some(&0), "S1 wins term 2");
}

#[test]
fn the_partition_step_shows_two_leaders_in_different_terms_and_heal_rolls_back() {
    let sim = checkpoint("partition", 2);
    let leaders = sim.leaders();
    assert_eq!(leaders.len(), 2);
    assert_ne!(
        sim.node(leaders[0]).current_term,
        sim.node(leaders[1]).current_term
    );
    let healed = checkpoint("partition", 6);
    let old = tour::old_leader(&healed).unwrap();
    assert_eq!(healed.node(old).role, Role::Follower);
    assert!(
        healed
            .servers()
            .iter()
            .all(|s| s.node.kv.get("x") == Some(2))
    );
}

#[test]
fn questions_are_answered_by_the_next_checkpoint() {
    let mut asked = 0;
    for (c, chapter) in CHAPTERS.iter().enumerate() {
        for (k, step) in chapter.steps.iter().enumerate() {
            let Some((q, later)) = step.question else {
                continue;
            };
            asked += 1;
            let before = build(c, k).unwrap();
            let after = build(c, k + later).expect("a question is followed by its answer");
            let answer = q.answer(&before, &after);
            match (chapter.id, q) {
                ("split-vote", Question::WhoWins(1)) if k == 0 => {
                    assert_eq!(answer, Answer::Server(None), "a split vote elects nobody")
                }
                ("partition", Question::WillCommit) => assert_eq!(answer, Answer::YesNo(false)),
                ("figure-8", Question::IsCommitted(2)) => assert_eq!(answer, Answer::YesNo(false)),
                // The disruptive server: without PreVote, it wins the election its term
                // forces; with PreVote nobody new leads, since nobody stepped down.
                ("disruptive-server", Question::WhichLeader) if k == 2 => {
                    assert_eq!(answer, Answer::Server(Some(CUT_OFF)))
                }
                ("disruptive-server", Question::WhichLeader) if k == 6 => {
                    assert_eq!(answer, Answer::Server(None));
                    assert_eq!(after.leader(), before.leader());
                }
                (_, Question::WhichLeader) => {
                    assert_eq!(
                        answer,
                        Answer::Server(after.leader()),
                        "{} step {}",
                        chapter.id,
                        k + 1
                    );
                    assert!(after.leader().is_some());
                }
                // The stale read: the old leader answers what it still holds, x = 1,
                // though the majority's side holds x = 2.
                ("stale-reads", Question::LocalReadReturns) => {
                    assert_eq!(answer, Answer::Value(Some(1)));
                    assert!(
                        before
                            .servers()
                            .iter()
                            .any(|s| s.node.kv.get("x") == Some(2))
                    );
                }
                // The follower back from its crash is sent the leader's snapshot.
                // Three voters and a learner: once the learner votes, four vote.
                ("growing-the-cluster", Question::MajorityOnceVoting) => {
                    assert_eq!(answer, Answer::Count(3));
                }
                ("snapshots", Question::EntriesOrSnapshot) => {
                    assert_eq!(answer, Answer::Snapshot(true));
                }
                other => panic!("unexpected question {other:?}"),
            }
        }
    }
    assert!(asked >= 4);
}

#[test]
fn the_figure_8_chapter_overwrites_an_uncommitted_majority_entry_but_never_a_committed_one() {
    let overwritten = checkpoint("figure-8", 4);
    assert!((1..5).all(|id| overwritten.node(id).log.term_at(2) == Some(3)));
    let kept = checkpoint("figure-8", 6);
    assert_ne!(kept.leader(), Some(4));
    assert!((1..4).all(|id| kept.node(id).log.term_at(2) == Some(2)));
}

#[test]
fn building_a_step_twice_gives_the_identical_run_and_bad_positions_are_errors() {
    for (c, chapter) in CHAPTERS.iter().enumerate() {
        let last = chapter.steps.len() - 1;
        assert_eq!(
            build(c, last).unwrap().state_digest(),
            build(c, last).unwrap().state_digest()
        );
        assert!(build(c, last + 1).is_err());
    }
    assert!(build(CHAPTERS.len(), 0).is_err());
    assert_eq!(tour::chapter_index("split-vote"), Some(3));
    assert_eq!(tour::chapter_index("nope"), None);
}

#[test]
fn free_play_still_starts_where_figure_8s_second_ending_ends() {
    // Figure 8 gained a third ending (the leader's no-op); free play, and every link made
    // from it, must stay the run it was: the end of the second ending.
    let figure_8 = checkpoint("figure-8", 6);
    let free = checkpoint("free-play", 0);
    assert_eq!(free.state_digest(), figure_8.state_digest());
    assert!(!free.config().raft.no_op);
    let no_op = checkpoint("figure-8", 7);
    assert!(no_op.config().raft.no_op);
    assert!(no_op.writes().is_empty(), "the no-op ending needs no write");
}
