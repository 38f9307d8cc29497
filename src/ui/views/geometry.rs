//! Where things are drawn, as pure functions of simulator state and virtual time.
//! No DOM here: every position, ring fraction and colour is unit-tested natively.

use crate::raft::{MS, Message, Node, NodeId, Role, Term, Time};
use crate::sim::InFlight;

/// The cluster is drawn in an SVG whose viewBox is `-VIEW..VIEW` on both axes.
pub const VIEW: f64 = 500.0;
/// Radius of the circle the servers sit on.
pub const RING_RADIUS: f64 = 330.0;

/// A point in the cluster SVG's coordinates.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Point {
    pub x: f64,
    pub y: f64,
}

/// Radius of one server's circle: as big as fits when `n` servers share the ring.
pub fn server_radius(n: usize) -> f64 {
    let gap = std::f64::consts::PI * RING_RADIUS / n.max(1) as f64;
    (gap * 0.6).clamp(40.0, 86.0)
}

/// Server `id` of `n`, clockwise from 12 o'clock, so S1 is always at the top.
pub fn server_position(id: NodeId, n: usize) -> Point {
    let angle =
        std::f64::consts::TAU * f64::from(id) / n.max(1) as f64 - std::f64::consts::FRAC_PI_2;
    Point {
        x: RING_RADIUS * angle.cos(),
        y: RING_RADIUS * angle.sin(),
    }
}

/// How far along its trip a message is at `now`: 0 at the sender, 1 at the receiver.
pub fn message_progress(sent_at: Time, deliver_at: Time, now: Time) -> f64 {
    if deliver_at <= sent_at {
        return 1.0;
    }
    let done = now.saturating_sub(sent_at) as f64 / (deliver_at - sent_at) as f64;
    done.clamp(0.0, 1.0)
}

/// A message that was dropped recently, drawn where it was lost and fading out.
#[derive(Clone, Debug, PartialEq)]
pub struct FadingDrop {
    pub message: InFlight,
    /// Drawn at this moment of its trip (its drop time).
    pub dropped_at: Time,
    /// 1 just after the drop, 0 when `fade` of virtual time has passed.
    pub opacity: f64,
}

/// The drops of the last `fade` of virtual time, newest last, from the trace.
pub fn fading_drops(trace: &[crate::sim::TraceEvent], now: Time, fade: Time) -> Vec<FadingDrop> {
    let since = now.saturating_sub(fade);
    let mut drops: Vec<FadingDrop> = trace
        .iter()
        .rev()
        .take_while(|e| e.time >= since)
        .filter_map(|e| match &e.kind {
            crate::sim::EventKind::Drop {
                id,
                from,
                to,
                msg,
                sent_at,
                deliver_at,
                ..
            } => Some(FadingDrop {
                message: InFlight {
                    id: *id,
                    from: *from,
                    to: *to,
                    msg: msg.clone(),
                    sent_at: *sent_at,
                    deliver_at: *deliver_at,
                    lost: true,
                },
                dropped_at: e.time,
                opacity: if fade == 0 {
                    0.0
                } else {
                    1.0 - (now - e.time) as f64 / fade as f64
                },
            }),
            _ => None,
        })
        .collect();
    drops.reverse();
    drops
}

/// Where a message in flight is drawn at `now`. It leaves the sender's edge and reaches
/// the receiver's edge; messages in the two directions of one link travel on two lanes
/// beside the centre line, so a request and its reply never hide each other.
pub fn message_position(m: &InFlight, n: usize, now: Time) -> Point {
    message_position_at(m, n, message_progress(m.sent_at, m.deliver_at, now))
}

/// [`message_position`] for a reader who asked for reduced motion: the message does not
/// glide, it stands near its sender for the first half of its trip and near its receiver
/// for the second (a jump, not a movement), its arrowhead still saying which way.
pub fn message_position_jumping(m: &InFlight, n: usize, now: Time) -> Point {
    let progress = message_progress(m.sent_at, m.deliver_at, now);
    message_position_at(m, n, if progress < 0.5 { 0.2 } else { 0.8 })
}

fn message_position_at(m: &InFlight, n: usize, progress: f64) -> Point {
    let a = server_position(m.from, n);
    let b = server_position(m.to, n);
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let length = (dx * dx + dy * dy).sqrt().max(1.0);
    let (ux, uy) = (dx / length, dy / length);
    let r = server_radius(n) + 18.0;
    // Offset to the same side of the direction of travel, like traffic on a road: the
    // two directions of a link end up on opposite sides of its centre line.
    let lane = 9.0;
    let travel = (length - 2.0 * r).max(0.0);
    let along = r + travel * progress;
    Point {
        x: a.x + ux * along - uy * lane,
        y: a.y + uy * along + ux * lane,
    }
}

/// The fraction of its timer a server has left at `now`: 1 just after a reset, 0 when it
/// fires. Followers and candidates show their election timeout; a leader, the time to its
/// next heartbeat.
pub fn timer_fraction(node: &Node, now: Time) -> f64 {
    let (deadline, length) = match node.role {
        Role::Leader => (node.heartbeat_deadline, node.config.heartbeat_interval),
        Role::Follower | Role::Candidate | Role::PreCandidate => {
            (node.election_deadline, node.election_timeout)
        }
    };
    if length == 0 {
        return 0.0;
    }
    (deadline.saturating_sub(now) as f64 / length as f64).clamp(0.0, 1.0)
}

/// The time a server's ring has left at `now`: to its election timeout, or for a leader
/// to its next heartbeat (the same deadlines as [`timer_fraction`]).
pub fn timer_left(node: &Node, now: Time) -> Time {
    match node.role {
        Role::Leader => node.heartbeat_deadline.saturating_sub(now),
        Role::Follower | Role::Candidate | Role::PreCandidate => {
            node.election_deadline.saturating_sub(now)
        }
    }
}

/// SVG `stroke-dasharray`/`stroke-dashoffset` pair that shows `fraction` of a ring of radius `r`.
pub fn ring_dash(r: f64, fraction: f64) -> (f64, f64) {
    let circumference = std::f64::consts::TAU * r;
    (
        circumference,
        circumference * (1.0 - fraction.clamp(0.0, 1.0)),
    )
}

/// Okabe–Ito, a palette that colour-blind students can tell apart. Terms cycle through it.
const TERM_COLOURS: [&str; 7] = [
    "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7",
];

/// The colour of a term, for log entries and term badges. Term 0 (no election yet) is grey.
pub fn term_colour(term: Term) -> &'static str {
    if term == 0 {
        return "#BBBBBB";
    }
    TERM_COLOURS[((term - 1) % TERM_COLOURS.len() as u64) as usize]
}

/// Text colour readable (≥ 4.5:1) on [`term_colour`]; also the colour of an uncommitted
/// log cell's hatch (`currentColor` in style.css). Measured in `tests/contrast.rs`.
pub fn term_text_colour(term: Term) -> &'static str {
    if term_colour(term) == "#0072B2" {
        "#FFFFFF"
    } else {
        "#111111"
    }
}

/// How a message looks: one visual kind per RPC and outcome (see DESIGN.md).
pub fn message_glyph(msg: &Message) -> Glyph {
    match msg {
        Message::RequestVote(_) => Glyph::Request,
        Message::RequestVoteReply(r) => Glyph::VoteReply { ok: r.vote_granted },
        Message::AppendEntries(a) if a.entries.is_empty() => Glyph::Heartbeat,
        Message::AppendEntries(a) => Glyph::Entries {
            count: a.entries.len(),
        },
        Message::AppendEntriesReply(r) => Glyph::AppendReply { ok: r.success },
        Message::PreVote(_) => Glyph::PreVote,
        Message::PreVoteReply(r) => Glyph::PreVoteReply { ok: r.vote_granted },
        Message::TimeoutNow(_) => Glyph::TimeoutNow,
        Message::InstallSnapshot(_) => Glyph::Snapshot,
        Message::InstallSnapshotReply(r) => Glyph::SnapshotReply {
            ok: r.match_index > 0,
        },
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Glyph {
    Request,
    VoteReply {
        ok: bool,
    },
    Heartbeat,
    Entries {
        count: usize,
    },
    AppendReply {
        ok: bool,
    },
    /// A RequestVote's dashed outline with a "?": asking, not yet an election.
    PreVote,
    PreVoteReply {
        ok: bool,
    },
    /// TimeoutNow: a filled diamond, "start your election now" (leadership transfer).
    TimeoutNow,
    /// InstallSnapshot: a filled page with a folded corner, the state machine written down.
    Snapshot,
    SnapshotReply {
        ok: bool,
    },
}

/// The first log index shown when a log row holds at most `columns` entries: the log's
/// tail, so a long run still shows what is happening now.
pub fn first_shown_index(longest_log: u64, columns: u64) -> u64 {
    longest_log.saturating_sub(columns.max(1)) + 1
}

/// Whether the event log redraws its lines in the elements it already has (each line
/// keyed by its place) rather than each event in an element of its own (keyed by the
/// event). While a fast run plays, most lines are new at every refresh, and making and
/// dropping 50 lines ten times a second was the event log's largest DOM work (issue 16:
/// 7,291 DOM mutations in 3 s with 9 servers at 10×, about 2,970 when lines are reused).
/// Paused, or when few lines are new, each event keeps its element: one step adds one
/// line and moves nothing.
///
/// `fresh` of the `shown` lines are newer than the last ones drawn. Reuse starts when more
/// than half are new and stops when fewer than a quarter are, so a speed that brings about
/// half does not switch keys at every refresh (each switch makes every line again). With
/// none new (a redraw for another reason), the log keeps the keys it had.
pub fn reuse_log_lines(playing: bool, was_reusing: bool, fresh: usize, shown: usize) -> bool {
    if !playing {
        false
    } else if fresh == 0 {
        was_reusing
    } else if was_reusing {
        fresh * 4 >= shown
    } else {
        fresh * 2 > shown
    }
}

/// The speed slider is logarithmic: position `p` in `[-3, 1]` is `10^p` times real Raft time.
pub fn speed_from_slider(p: f64) -> f64 {
    10f64.powf(p.clamp(SPEED_MIN_EXP, SPEED_MAX_EXP))
}
pub const SPEED_MIN_EXP: f64 = -3.0;
pub const SPEED_MAX_EXP: f64 = 1.0;

/// One-way latency choices (min, max) in ms the control bar offers; the first is the
/// default. Each is within `sim::bounds` (tested below).
pub const LATENCIES: [(u64, u64); 4] = [(10, 20), (5, 10), (20, 40), (40, 80)];
/// The loss slider's top, in percent.
pub const LOSS_MAX_PERCENT: u16 = 50;

/// `0.01` as "1/100×", `2.5` as "2.5×": how the speed reads to a person.
pub fn speed_label(speed: f64) -> String {
    if speed >= 0.995 {
        let rounded = (speed * 10.0).round() / 10.0;
        if rounded.fract() == 0.0 {
            format!("{rounded:.0}×")
        } else {
            format!("{rounded:.1}×")
        }
    } else {
        format!("1/{:.0}×", (1.0 / speed).round())
    }
}

/// The virtual time that passes while `elapsed_ms` of real time passes at `speed`.
/// A long real gap (a frame after the tab was hidden) counts as one ordinary frame, so
/// coming back to the tab never fast-forwards the cluster.
pub fn virtual_advance(elapsed_ms: f64, speed: f64) -> Time {
    let elapsed_ms = if elapsed_ms.is_finite() {
        elapsed_ms.clamp(0.0, 100.0)
    } else {
        0.0
    };
    (elapsed_ms * 1000.0 * speed).round() as Time
}

/// A candidate's view of one server's vote.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VoteState {
    Granted,
    Denied,
    Pending,
}

impl VoteState {
    pub fn word(self) -> &'static str {
        match self {
            VoteState::Granted => "granted",
            VoteState::Denied => "denied",
            VoteState::Pending => "pending",
        }
    }
}

/// Everything a server's glyph shows, and nothing more: small, cheap to compare, so an
/// unchanged server is not redrawn.
#[derive(Clone, Debug, PartialEq)]
pub struct ServerLook {
    pub id: NodeId,
    pub n: usize,
    pub up: bool,
    pub role: Role,
    pub term: Term,
    /// Timer ring fraction, rounded to 1/500 so a still ring compares equal.
    pub timer: f64,
    /// What the ring shows, as a number: whole milliseconds left on it (the election
    /// timer, or a leader's heartbeat timer); 0 when down.
    pub timer_left_ms: u64,
    /// A candidate's votes, one per voting server of its configuration, with the server;
    /// empty otherwise.
    pub votes: Vec<(NodeId, VoteState)>,
    /// Its place in the configuration in force (see [`Member`]).
    pub member: Member,
    /// The newest index in its log (persistent), and its commitIndex (volatile: 0 when down).
    pub last_index: u64,
    pub commit_index: u64,
}

/// A server's place in the configuration in force (membership changes).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Member {
    #[default]
    Voter,
    /// Receives the log but does not vote yet.
    Learner,
    /// Not in the configuration (removed, or started and not yet added).
    Outside,
}

impl Member {
    pub fn of(m: &crate::raft::Membership, id: NodeId) -> Member {
        if m.voters.contains(&id) {
            Member::Voter
        } else if m.learners.contains(&id) {
            Member::Learner
        } else {
            Member::Outside
        }
    }
}

pub fn server_look(node: &Node, up: bool, n: usize, now: Time, member: Member) -> ServerLook {
    // A candidate's votes, or a pre-candidate's pre-votes: the same dots, one per voter.
    let votes = if up && matches!(node.role, Role::Candidate | Role::PreCandidate) {
        node.membership()
            .voters
            .into_iter()
            .map(|p| {
                let vote = if node.votes_granted.contains(&p) {
                    VoteState::Granted
                } else if node.votes_denied.contains(&p) {
                    VoteState::Denied
                } else {
                    VoteState::Pending
                };
                (p, vote)
            })
            .collect()
    } else {
        Vec::new()
    };
    ServerLook {
        id: node.id,
        n,
        up,
        role: node.role,
        term: node.current_term,
        timer: if up {
            (timer_fraction(node, now) * 500.0).round() / 500.0
        } else {
            0.0
        },
        timer_left_ms: if up { timer_left(node, now) / MS } else { 0 },
        votes,
        member,
        last_index: node.log.last_index(),
        commit_index: if up { node.commit_index } else { 0 },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::raft::{MS, RequestVote};

    #[test]
    fn every_network_choice_the_controls_offer_is_within_the_bounds() {
        use crate::sim::bounds::{check_latency, check_loss};
        let heartbeat = crate::sim::SimConfig::default().raft.heartbeat_interval;
        for (min, max) in LATENCIES {
            assert_eq!(check_latency(min * MS, max * MS, heartbeat), Ok(()));
        }
        assert_eq!(check_loss(LOSS_MAX_PERCENT * 10), Ok(()));
    }

    fn near(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-6
    }

    #[test]
    fn first_server_sits_at_the_top_and_the_rest_go_clockwise() {
        let s1 = server_position(0, 5);
        assert!(near(s1.x, 0.0) && near(s1.y, -RING_RADIUS));
        let s2 = server_position(1, 5);
        assert!(s2.x > 0.0, "S2 is right of S1 (clockwise on screen)");
        for id in 0..9 {
            let p = server_position(id, 9);
            assert!(near((p.x * p.x + p.y * p.y).sqrt(), RING_RADIUS));
            assert!(p.x.abs() + server_radius(9) <= VIEW && p.y.abs() + server_radius(9) <= VIEW);
        }
    }

    #[test]
    fn with_reduced_motion_a_message_takes_two_places_not_a_glide() {
        let m = vote_request(0, 2, 100 * MS, 120 * MS);
        let places: Vec<Point> = (100..=119)
            .map(|t| message_position_jumping(&m, 5, t * MS))
            .collect();
        let mut distinct: Vec<Point> = Vec::new();
        for p in places {
            if !distinct.iter().any(|d| near(d.x, p.x) && near(d.y, p.y)) {
                distinct.push(p);
            }
        }
        assert_eq!(distinct.len(), 2, "{distinct:?}");
        // The first place is nearer the sender, the second nearer the receiver.
        let (a, b) = (server_position(0, 5), server_position(2, 5));
        let d = |p: Point, q: Point| ((p.x - q.x).powi(2) + (p.y - q.y).powi(2)).sqrt();
        assert!(d(distinct[0], a) < d(distinct[0], b));
        assert!(d(distinct[1], b) < d(distinct[1], a));
    }

    #[test]
    fn servers_do_not_overlap_even_with_nine() {
        for n in [3usize, 5, 7, 9] {
            let a = server_position(0, n);
            let b = server_position(1, n);
            let distance = ((a.x - b.x).powi(2) + (a.y - b.y).powi(2)).sqrt();
            assert!(distance > 2.0 * server_radius(n) + 20.0, "n = {n}");
        }
    }

    fn vote_request(from: NodeId, to: NodeId, sent_at: Time, deliver_at: Time) -> InFlight {
        InFlight {
            id: 1,
            from,
            to,
            msg: Message::RequestVote(RequestVote {
                term: 2,
                candidate_id: from,
                last_log_index: 0,
                last_log_term: 0,
                transfer: false,
            }),
            sent_at,
            deliver_at,
            lost: false,
        }
    }

    #[test]
    fn a_message_moves_from_sender_edge_to_receiver_edge_in_proportion_to_time() {
        let m = vote_request(0, 2, 100 * MS, 120 * MS);
        assert!(near(
            message_progress(m.sent_at, m.deliver_at, 100 * MS),
            0.0
        ));
        assert!(near(
            message_progress(m.sent_at, m.deliver_at, 110 * MS),
            0.5
        ));
        assert!(near(
            message_progress(m.sent_at, m.deliver_at, 130 * MS),
            1.0
        ));
        let (a, b) = (server_position(0, 5), server_position(2, 5));
        let start = message_position(&m, 5, 100 * MS);
        let mid = message_position(&m, 5, 110 * MS);
        let end = message_position(&m, 5, 120 * MS);
        let dist = |p: Point, q: Point| ((p.x - q.x).powi(2) + (p.y - q.y).powi(2)).sqrt();
        let r = server_radius(5);
        assert!(
            dist(start, a) > r && dist(start, a) < r + 30.0,
            "starts just outside the sender"
        );
        assert!(
            dist(end, b) > r && dist(end, b) < r + 30.0,
            "ends just outside the receiver"
        );
        let centre = Point {
            x: (a.x + b.x) / 2.0,
            y: (a.y + b.y) / 2.0,
        };
        assert!(
            dist(mid, centre) < 10.0,
            "halfway in time is halfway in space"
        );
    }

    #[test]
    fn replies_travel_on_the_other_lane() {
        let there = message_position(&vote_request(0, 2, 0, 10 * MS), 5, 5 * MS);
        let back = message_position(&vote_request(2, 0, 0, 10 * MS), 5, 5 * MS);
        let gap = ((there.x - back.x).powi(2) + (there.y - back.y).powi(2)).sqrt();
        assert!(gap > 12.0, "the two directions are {gap} apart");
    }

    #[test]
    fn the_timer_ring_drains_from_full_to_empty() {
        let mut sim = crate::sim::Sim::new(crate::sim::SimConfig::with_seed(5, 7)).unwrap();
        let node = sim.node(0).clone();
        let deadline = node.election_deadline;
        let timeout = node.election_timeout;
        assert!(near(timer_fraction(&node, deadline - timeout), 1.0));
        assert!((timer_fraction(&node, deadline - timeout / 2) - 0.5).abs() < 1e-3);
        assert!(near(timer_fraction(&node, deadline), 0.0));
        assert!(near(timer_fraction(&node, deadline + MS), 0.0));
        let (c, offset) = ring_dash(10.0, 0.25);
        assert!(near(offset, c * 0.75));
        sim.run_for(2000 * MS);
        let leader = sim.leader().expect("a leader after two seconds");
        let f = timer_fraction(sim.node(leader), sim.now());
        assert!((0.0..=1.0).contains(&f));
    }

    #[test]
    fn a_candidate_shows_its_own_vote_as_granted_and_the_rest_pending() {
        let mut sim = crate::sim::Sim::new(crate::sim::SimConfig::with_seed(5, 7)).unwrap();
        sim.run_until_condition(1000 * MS, |s| {
            s.servers().iter().any(|x| x.node.role == Role::Candidate)
        });
        let c = sim
            .servers()
            .iter()
            .find(|x| x.node.role == Role::Candidate)
            .unwrap();
        let look = server_look(&c.node, true, 5, sim.now(), Member::Voter);
        assert_eq!(look.votes.len(), 5);
        assert_eq!(
            look.votes[c.node.id as usize],
            (c.node.id, VoteState::Granted)
        );
        assert_eq!(
            look.votes
                .iter()
                .filter(|(_, v)| *v == VoteState::Pending)
                .count(),
            4
        );
        let down = server_look(&c.node, false, 5, sim.now(), Member::Voter);
        assert!(down.votes.is_empty() && down.timer == 0.0);
    }

    #[test]
    fn a_dropped_message_fades_out_where_it_was_lost() {
        let mut sim = crate::sim::Sim::new(crate::sim::SimConfig::with_seed(5, 7)).unwrap();
        sim.run_until_condition(1000 * MS, |s| !s.in_flight().is_empty());
        let m = sim.in_flight().first().unwrap().clone();
        sim.run_for((m.deliver_at - m.sent_at) / 2);
        let t = sim.now();
        sim.apply(crate::sim::Intervention::DropMessage(m.id))
            .unwrap();
        let drops = fading_drops(sim.trace(), t, 10 * MS);
        assert_eq!(drops.len(), 1);
        assert!(near(drops[0].opacity, 1.0));
        let at = message_position(&drops[0].message, 5, drops[0].dropped_at);
        let was = message_position(&m, 5, t);
        assert!(
            near(at.x, was.x) && near(at.y, was.y),
            "drawn where it was dropped"
        );
        let later = fading_drops(sim.trace(), t + 5 * MS, 10 * MS);
        assert!(near(later[0].opacity, 0.5));
        assert!(fading_drops(sim.trace(), t + 11 * MS, 10 * MS).is_empty());
    }

    #[test]
    fn terms_get_distinct_colours_and_readable_text() {
        let colours: std::collections::BTreeSet<_> = (1..=7).map(term_colour).collect();
        assert_eq!(colours.len(), 7);
        assert_eq!(term_colour(1), term_colour(8));
        assert_eq!(term_text_colour(5), "#FFFFFF");
    }

    #[test]
    fn the_speed_slider_is_logarithmic_and_reads_as_a_fraction() {
        assert!(near(speed_from_slider(-3.0), 0.001));
        assert!(near(speed_from_slider(0.0), 1.0));
        assert!(near(speed_from_slider(5.0), 10.0));
        assert_eq!(speed_label(0.01), "1/100×");
        assert_eq!(speed_label(1.0), "1×");
        assert_eq!(speed_label(2.5), "2.5×");
        assert_eq!(speed_label(10.0), "10×");
    }

    #[test]
    fn a_long_gap_between_frames_counts_as_one_short_frame() {
        assert_eq!(virtual_advance(16.0, 0.01), 160);
        assert_eq!(virtual_advance(60_000.0, 1.0), 100 * MS);
        assert_eq!(virtual_advance(f64::NAN, 1.0), 0);
        assert_eq!(virtual_advance(-5.0, 1.0), 0);
    }

    #[test]
    fn the_event_log_reuses_its_lines_only_while_a_fast_run_replaces_most_of_them() {
        // Paused: every event its own element, whatever changed.
        assert!(!reuse_log_lines(false, true, 50, 50));
        // Playing: most lines new, reuse; a few new, keep each event's element.
        assert!(reuse_log_lines(true, false, 50, 50));
        assert!(reuse_log_lines(true, false, 26, 50));
        assert!(!reuse_log_lines(true, false, 25, 50));
        assert!(!reuse_log_lines(true, true, 12, 50));
        assert!(!reuse_log_lines(true, true, 1, 50));
        // Between a quarter and a half new, the keys stay as they were: no switch (and no
        // rebuild of every line) at each refresh.
        assert!(reuse_log_lines(true, true, 25, 50));
        assert!(reuse_log_lines(true, true, 13, 50));
        assert!(!reuse_log_lines(true, false, 13, 50));
        // Nothing new (a redraw for another reason): keep the keys, so nothing is rebuilt.
        assert!(reuse_log_lines(true, true, 0, 50));
        assert!(!reuse_log_lines(true, false, 0, 50));
    }

    #[test]
    fn long_logs_show_their_tail() {
        assert_eq!(first_shown_index(5, 30), 1);
        assert_eq!(first_shown_index(100, 30), 71);
    }
}
