//! The scenario gallery: each named scenario opens at the moment it promises, and what
//! its caption says happens next does happen.

mod common;
use common::*;
use raft_playground::raft::{MS, NodeId, Role, server_name};
use raft_playground::sim::{Intervention, SCENARIOS, Sim, decode_link, encode_link, scenario};
use raft_playground::ui::lang::Lang;
use raft_playground::ui::words::scenario_caption;

fn open(name: &str) -> Sim {
    let script = scenario(name).expect("known").expect("builds");
    // Through a link, as a teacher would open it.
    let sim = Sim::replay(&decode_link(&encode_link(&script)).unwrap()).unwrap();
    assert_safe(&sim);
    sim
}

#[test]
fn every_scenario_opens_and_unknown_names_are_refused() {
    for name in SCENARIOS {
        let sim = open(name);
        assert!(sim.violation().is_none(), "{name}");
        for lang in [Lang::En, Lang::Zh] {
            let caption = scenario_caption(lang, name).unwrap_or_default();
            assert!(!caption.is_empty(), "{name} has a caption in {lang:?}");
        }
    }
    assert!(scenario("no-such-thing").is_none());
}

#[test]
fn split_vote_has_candidates_splitting_a_term_then_one_leader() {
    let mut sim = open("split-vote");
    let split = sim.run_until_condition(500 * MS, |s| {
        let candidates: Vec<_> = s
            .servers()
            .iter()
            .filter(|x| x.node.role == Role::Candidate)
            .collect();
        candidates.len() >= 2 && s.leader().is_none()
    });
    assert!(split, "at least two candidates and no leader");
    assert!(sim.run_until_condition(3000 * MS, |s| s.leader().is_some()));
    assert_safe(&sim);
}

#[test]
fn split_vote_all_five_time_out_together_nobody_wins_the_term_and_the_next_settles() {
    // The caption: "all five servers time out together and vote for themselves. Press
    // Play: nobody wins this term; randomised timeouts settle the next one."
    let mut sim = open("split-vote");
    assert!(sim.run_until_condition(1000 * MS, |s| {
        s.servers().iter().any(|x| x.node.role == Role::Candidate)
    }));
    let first = sim.now();
    sim.run_until(first);
    assert!(
        sim.servers().iter().all(|x| x.node.role == Role::Candidate
            && x.node.current_term == 1
            && x.node.voted_for == Some(x.node.id)),
        "all five are candidates of term 1 at {first} µs, each with its own vote"
    );
    assert!(sim.run_until_condition(3000 * MS, |s| s.leader().is_some()));
    assert!(
        !sim.leaders_by_term().contains_key(&1),
        "nobody wins term 1"
    );
    assert!(sim.leaders_by_term().contains_key(&2), "term 2 settles it");
    assert_safe(&sim);
}

#[test]
fn leader_crash_leads_to_a_new_leader_in_a_higher_term() {
    let mut sim = open("leader-crash");
    let down = (0..5)
        .find(|&id| !sim.is_up(id))
        .expect("the crashed leader");
    let term = sim.node(down).current_term;
    assert!(sim.run_until_condition(3000 * MS, |s| {
        s.leader().is_some_and(|l| s.node(l).current_term > term)
    }));
    assert_safe(&sim);
}

#[test]
fn partition_heal_rolls_back_the_minority_write() {
    let mut sim = open("partition-heal");
    assert_eq!(sim.leaders().len(), 2, "two leaders in different terms");
    // "The old leader is cut off with a minority and holds an uncommitted write; the
    // majority has a new leader and a committed write."
    let term = |l: NodeId| sim.node(l).current_term;
    let old = sim.leaders().into_iter().min_by_key(|&l| term(l)).unwrap();
    let new = sim.leaders().into_iter().max_by_key(|&l| term(l)).unwrap();
    let side = |l: NodeId| {
        1 + (0..5)
            .filter(|&o| o != l && !sim.links().is_cut(l, o))
            .count()
    };
    assert_eq!((side(old), side(new)), (2, 3));
    let o = sim.node(old);
    assert!(o.log.last_index() > o.commit_index, "an uncommitted write");
    assert_eq!(sim.node(new).kv.get("x"), Some(2), "a committed write");
    apply(&mut sim, Intervention::Heal);
    sim.run_for(2000 * MS);
    assert_safe(&sim);
    assert_eq!(sim.leaders().len(), 1);
    assert!(
        sim.servers().iter().all(|s| s.node.kv.get("x") == Some(2)),
        "the majority's write everywhere"
    );
}

#[test]
fn stale_leader_steps_down_on_heal() {
    let mut sim = open("stale-leader");
    let leaders = sim.leaders();
    assert_eq!(leaders.len(), 2);
    // The caption names the deposed leader and the one the majority elected.
    let term = |l: NodeId| sim.node(l).current_term;
    let stale = leaders.iter().copied().min_by_key(|&l| term(l)).unwrap();
    let new = leaders.iter().copied().max_by_key(|&l| term(l)).unwrap();
    let caption = scenario_caption(Lang::En, "stale-leader").unwrap();
    let expected = format!(
        "{} still believes it leads term {}, but the majority, cut off from it, elected {} leader of term {}.",
        server_name(stale),
        sim.node(stale).current_term,
        server_name(new),
        sim.node(new).current_term
    );
    assert!(caption.starts_with(&expected), "{caption}");
    apply(&mut sim, Intervention::Heal);
    sim.run_for(1000 * MS);
    assert_eq!(sim.leaders(), [new]);
    assert_eq!(sim.node(stale).role, Role::Follower, "it stepped down");
    assert_safe(&sim);
}

#[test]
fn follower_behind_catches_up() {
    let mut sim = open("follower-behind");
    let leader = sim.leader().unwrap();
    let behind = (0..5u8).rev().find(|&id| id != leader).unwrap();
    assert!(sim.node(leader).log.last_index() >= sim.node(behind).log.last_index() + 30);
    sim.run_for(1500 * MS);
    assert_eq!(
        sim.node(behind).log.last_index(),
        sim.node(leader).log.last_index()
    );
    assert_safe(&sim);
}

#[test]
fn figure_7_opens_with_s1_leading_term_8() {
    let sim = open("figure-7");
    assert_eq!(sim.leader(), Some(0));
    assert_eq!(sim.node(0).current_term, 8);
    assert_eq!(
        sim.node(6).log.last_index(),
        11,
        "(f) keeps its entries until they conflict"
    );
}

#[test]
fn figure_8_holds_an_old_term_entry_on_a_majority_uncommitted() {
    let sim = open("figure-8");
    assert_eq!(sim.leader(), Some(0));
    assert_eq!(sim.node(0).current_term, 4);
    assert_eq!(sim.node(0).replica_count(2), 4, "on a majority");
    assert_eq!(sim.node(0).commit_index, 0, "and still not committed");
}
