//! The bounds every run respects, whichever way it arrives: the page's own controls, a
//! scenario, a share link or a trace file. They are checked here and nowhere else, so
//! each path refuses the same things with the same words, and each refusal names the
//! bound it hit.
//!
//! The bounds are chosen so that anything accepted is cheap: a link cannot ask for more
//! work than [`MAX_REPLAY_EVENTS`] events, nor for messages that pile up on the wire by
//! the thousand, nor for terms that could overflow.
//!
//! | bound | value | why |
//! |---|---|---|
//! | [`MAX_SERVERS`] | 9 | what the page can draw (S1…S9) |
//! | [`MIN_HEARTBEAT`] | 5 ms | heartbeats are the steady event rate (the lab's 12–24 ms timeouts need 6 ms) |
//! | [`MAX_TIMEOUT`] | 60 s | timers far from overflow |
//! | [`MIN_LATENCY`]…[`MAX_LATENCY`] | 1 ms – 60 s | no instant or endless flights |
//! | [`MAX_LATENCY_HEARTBEATS`] | 20 | at most 20 heartbeats on a link at once (a storage write counts with the latency) |
//! | [`MAX_LOSS_PERMILLE`] | 1000 | losing everything is cheap |
//! | [`MAX_DUPLICATE_PERMILLE`] | 500 | each copy of a request doubles its replies too |
//! | [`MAX_ENTRIES_PER_APPEND`] | 64 | a heartbeat to a lagging follower stays small |
//! | [`MIN_VOTERS`] | 3 | a removal never leaves fewer voting servers |
//! | [`MAX_SNAPSHOT_EVERY`] | 10 000 | log compaction's threshold, in entries (0: off) |
//! | [`MAX_INITIAL_TERM`] | 1 000 000 | prepared terms stay far below [`MAX_TERM`] |
//! | [`MAX_INITIAL_LOG`] | 1 000 | prepared logs stay small |
//! | [`MAX_KEY_LEN`] | 16 | keys are short names of letters, digits and `_` |
//! | [`MAX_PLAYHEAD`] | 24 h | a link replays at most a virtual day |
//! | [`MAX_STEPS`] | 10 000 | interventions in one link |
//! | [`MAX_LINK_LEN`] | 200 000 | characters in a link |
//! | [`MAX_TRACE_BYTES`] | 50 MiB | bytes in a trace file |
//! | [`MAX_REPLAY_EVENTS`] | 20 000 000 | the work one replay may do |

use super::{Intervention, RunScript, SimConfig};
use crate::raft::{MS, NodeId, Term, Time};

pub use crate::raft::{MAX_KEY_LEN, MAX_TERM};

/// Most servers a cluster may have (S1…S9).
pub const MAX_SERVERS: u8 = 9;
/// The shortest heartbeat interval a configuration may ask for.
pub const MIN_HEARTBEAT: Time = 5 * MS;
/// The longest election timeout a configuration may ask for.
pub const MAX_TIMEOUT: Time = 60_000 * MS;
/// The shortest one-way latency.
pub const MIN_LATENCY: Time = MS;
/// The longest one-way latency, whatever the heartbeat.
pub const MAX_LATENCY: Time = 60_000 * MS;
/// The longest one-way latency in heartbeat intervals: how many heartbeats (and their
/// replies) one link may carry at once. It keeps the messages on the wire in the
/// hundreds, not the hundreds of thousands (a 10 ms heartbeat with 60 s latency).
pub const MAX_LATENCY_HEARTBEATS: u64 = 20;
/// The highest chance of loss, in thousandths: a lost message costs no more than one
/// that arrives.
pub const MAX_LOSS_PERMILLE: u16 = 1000;
/// The highest chance of duplication, in thousandths. A duplicated request is answered
/// twice and each answer may be duplicated again: at 100 % every heartbeat costs three
/// times the events; at 50 % less than twice.
pub const MAX_DUPLICATE_PERMILLE: u16 = 500;
/// Most entries one AppendEntries may carry (the default is 16): a heartbeat to a far
/// behind follower resends a batch, so the batch must stay small.
pub const MAX_ENTRIES_PER_APPEND: usize = 64;
/// The fewest voting servers a removal may leave (a cluster started smaller keeps its
/// size): below three, one crash stops the cluster, which a sandbox need not show by
/// shrinking it.
pub const MIN_VOTERS: usize = 3;
/// The largest log compaction threshold: a snapshot every this many applied entries.
pub const MAX_SNAPSHOT_EVERY: u64 = 10_000;
/// The highest term a prepared server may start in: far below [`MAX_TERM`], so that no
/// run within the other bounds can come near it.
pub const MAX_INITIAL_TERM: Term = 1_000_000;
/// The longest log a scenario may prepare for one server.
pub const MAX_INITIAL_LOG: usize = 1_000;
/// The longest run a link may ask to replay: a virtual day (a lecture at 10× is a few
/// virtual hours). The event budget below is what limits busy runs.
pub const MAX_PLAYHEAD: Time = 24 * 3_600_000 * MS;
/// At most this many interventions in one link.
pub const MAX_STEPS: usize = 10_000;
/// Longer links are refused before any decoding.
pub const MAX_LINK_LEN: usize = 200_000;
/// Larger trace files are refused before parsing.
pub const MAX_TRACE_BYTES: usize = 50 * 1024 * 1024;
/// The most events one replay (opening a link or a trace, following a recorded run) may
/// process. The page replays them a slice per frame under a progress bar, about a
/// million a second in the browser, so the longest replay takes about 20 seconds and
/// can be cancelled. An hour of nine servers on a lossy 40–80 ms network, the busiest
/// run the page's own controls make, is estimated below 5 million, and a day at the
/// default settings below 16 million; a replay that would need more is refused before
/// it starts when its settings say so, and stopped when it reaches the budget otherwise.
pub const MAX_REPLAY_EVENTS: u64 = 20_000_000;

/// Checks the numbers a person (or a share link) could get wrong in a configuration.
pub fn check_config(config: &SimConfig) -> Result<(), String> {
    if !(1..=MAX_SERVERS).contains(&config.servers) {
        return Err(format!(
            "a cluster has 1 to {MAX_SERVERS} servers, not {}",
            config.servers
        ));
    }
    let r = &config.raft;
    if r.election_timeout_min == 0 || r.election_timeout_min > r.election_timeout_max {
        return Err("the election timeout range is empty".into());
    }
    if r.heartbeat_interval >= r.election_timeout_min {
        return Err("heartbeats must come more often than the shortest election timeout".into());
    }
    // Bounds that keep a replay short and the timer arithmetic far from overflow.
    if r.heartbeat_interval < MIN_HEARTBEAT || r.election_timeout_max > MAX_TIMEOUT {
        return Err(format!(
            "heartbeats every {} ms or more and election timeouts up to {} s",
            MIN_HEARTBEAT / MS,
            MAX_TIMEOUT / (1000 * MS)
        ));
    }
    if !(1..=MAX_ENTRIES_PER_APPEND).contains(&r.max_entries_per_append) {
        return Err(format!(
            "an AppendEntries carries 1 to {MAX_ENTRIES_PER_APPEND} entries, not {}",
            r.max_entries_per_append
        ));
    }
    check_snapshot_every(r.snapshot_every)?;
    let n = &config.net;
    check_latency(n.latency_min, n.latency_max, r.heartbeat_interval)?;
    check_storage(n, r.heartbeat_interval)?;
    check_loss(n.loss_permille)?;
    check_duplication(n.duplicate_permille)
}

/// A one-way latency range, for a configuration whose heartbeats come every `heartbeat`.
pub fn check_latency(min: Time, max: Time, heartbeat: Time) -> Result<(), String> {
    if !(MIN_LATENCY <= min && min <= max && max <= MAX_LATENCY) {
        return Err("latency must be a range between 1 ms and 60 s".into());
    }
    let most = heartbeat.saturating_mul(MAX_LATENCY_HEARTBEATS);
    if max > most {
        return Err(format!(
            "latency is at most {MAX_LATENCY_HEARTBEATS} heartbeat intervals ({} ms), not {} ms",
            most / MS,
            max / MS
        ));
    }
    Ok(())
}

/// A stable-storage write is a range like the latency, and with the longest latency
/// still within [`MAX_LATENCY_HEARTBEATS`] heartbeats (an answer waits for both).
pub fn check_storage(net: &super::NetConfig, heartbeat: Time) -> Result<(), String> {
    if net.storage_min > net.storage_max {
        return Err("the stable-storage write time is an empty range".into());
    }
    let most = heartbeat.saturating_mul(MAX_LATENCY_HEARTBEATS);
    if net.latency_max.saturating_add(net.storage_max) > most {
        return Err(format!(
            "latency and a stable-storage write together take at most {MAX_LATENCY_HEARTBEATS} heartbeat intervals ({} ms)",
            most / MS
        ));
    }
    Ok(())
}

pub fn check_loss(permille: u16) -> Result<(), String> {
    if permille > MAX_LOSS_PERMILLE {
        return Err(format!(
            "loss is at most {MAX_LOSS_PERMILLE} in a thousand, not {permille}"
        ));
    }
    Ok(())
}

pub fn check_duplication(permille: u16) -> Result<(), String> {
    if permille > MAX_DUPLICATE_PERMILLE {
        return Err(format!(
            "duplication is at most {MAX_DUPLICATE_PERMILLE} in a thousand, not {permille}"
        ));
    }
    Ok(())
}

/// What an intervention carries, whatever the state of the run: commands, chances,
/// latencies, partitions. (Whether its server is up or its message in flight is the
/// simulator's own check.)
pub fn check_intervention(intervention: &Intervention, config: &SimConfig) -> Result<(), String> {
    match intervention {
        Intervention::ClientWrite { command, .. } => command.validate(),
        Intervention::ClientRead { key, .. } => crate::raft::check_key(key),
        Intervention::SetLoss { permille } => check_loss(*permille),
        Intervention::SetCompaction { snapshot_every } => check_snapshot_every(*snapshot_every),
        Intervention::SetDuplication { permille } => check_duplication(*permille),
        Intervention::SetLatency { min, max } => {
            check_latency(*min, *max, config.raft.heartbeat_interval)?;
            let net = super::NetConfig {
                latency_min: *min,
                latency_max: *max,
                ..config.net.clone()
            };
            check_storage(&net, config.raft.heartbeat_interval)
        }
        Intervention::Partition(groups) if groups.len() > usize::from(MAX_SERVERS) => Err(format!(
            "a partition has at most {MAX_SERVERS} groups, not {}",
            groups.len()
        )),
        _ => Ok(()),
    }
}

/// Log compaction's threshold: 0 (off) or a snapshot every 1 to [`MAX_SNAPSHOT_EVERY`]
/// applied entries.
pub fn check_snapshot_every(every: u64) -> Result<(), String> {
    if every > MAX_SNAPSHOT_EVERY {
        return Err(format!(
            "a snapshot comes every 1 to {MAX_SNAPSHOT_EVERY} entries (0: never), not every {every}"
        ));
    }
    Ok(())
}

/// One server's prepared persistent state, in a cluster of `servers`.
pub fn check_initial(
    servers: u8,
    current_term: Term,
    voted_for: Option<NodeId>,
    log_terms: &[Term],
) -> Result<(), String> {
    if current_term > MAX_INITIAL_TERM {
        return Err(format!(
            "a prepared server's term is at most {MAX_INITIAL_TERM}, not {current_term}"
        ));
    }
    if log_terms.len() > MAX_INITIAL_LOG {
        return Err(format!(
            "a prepared server has at most {MAX_INITIAL_LOG} log entries, not {}",
            log_terms.len()
        ));
    }
    if voted_for.is_some_and(|v| v >= servers) {
        return Err("a prepared server votes for a server of the cluster".into());
    }
    if log_terms.windows(2).any(|w| w[0] > w[1])
        || log_terms.last().is_some_and(|&t| t > current_term)
    {
        return Err("log terms must not decrease and not exceed the current term".into());
    }
    Ok(())
}

/// The sizes of a script, checked before any of it is replayed: its length, its steps,
/// and the work its settings imply.
pub fn check_script(script: &RunScript) -> Result<(), String> {
    if script.playhead > MAX_PLAYHEAD {
        return Err("the run lasts longer than 24 virtual hours".into());
    }
    if script.steps.len() > MAX_STEPS {
        return Err(format!("the run holds more than {MAX_STEPS} interventions"));
    }
    if script.initial.len() > usize::from(script.config.servers) {
        return Err("the link prepares more servers than the cluster has".into());
    }
    check_config(&script.config)?;
    let estimate = estimated_events(script);
    if estimate > MAX_REPLAY_EVENTS {
        return Err(format!(
            "replaying this run would take about {estimate} events, more than the {MAX_REPLAY_EVENTS} a replay may take (about {} events per virtual second at its settings)",
            events_per_second(&script.config)
        ));
    }
    Ok(())
}

/// The refusal of a replay that reached [`MAX_REPLAY_EVENTS`] before its end.
pub fn over_budget() -> String {
    format!("replaying this run takes more than the {MAX_REPLAY_EVENTS} events a replay may take")
}

/// Events one round of messages costs, in thousandths: one timer firing, then a request
/// to each of the other servers and a reply to each, every message duplicated at the
/// configured chance (a duplicated request is answered twice).
fn round_millis(servers: u8, duplicate_permille: u16) -> u128 {
    let copies = 1000 + u128::from(duplicate_permille); // per 1000 messages sent
    let per_peer = copies + copies * copies / 1000; // requests + replies, in thousandths
    1000 + u128::from(servers.saturating_sub(1)) * per_peer
}

/// Whether elections may follow one another without end: when a round trip can outlast
/// the shortest election timeout, or messages are lost, followers may time out before
/// they hear from a leader.
fn elections_may_churn(latency_max: Time, loss_permille: u16, timeout_min: Time) -> bool {
    loss_permille > 0 || latency_max.saturating_mul(2) >= timeout_min
}

/// An upper estimate of the events per virtual second of a run with this configuration:
/// a leader's heartbeat rounds, and when elections may churn, every server starting an
/// election as often as its timer allows. (Interventions and prepared logs add events
/// of their own: see [`estimated_events`].)
pub fn events_per_second(config: &SimConfig) -> u64 {
    let net = &config.net;
    rate_millis(
        config,
        net.duplicate_permille,
        net.latency_max,
        net.loss_permille,
    )
    .div_ceil(1000)
    .try_into()
    .unwrap_or(u64::MAX)
}

fn rate_millis(config: &SimConfig, duplicate: u16, latency_max: Time, loss: u16) -> u128 {
    let r = &config.raft;
    let round = round_millis(config.servers, duplicate);
    let second = u128::from(1000 * MS);
    let heartbeats = round * second / u128::from(r.heartbeat_interval.max(1));
    let elections = if elections_may_churn(latency_max, loss, r.election_timeout_min) {
        u128::from(config.servers) * round * second / u128::from(r.election_timeout_min.max(1))
    } else {
        0
    };
    heartbeats + elections
}

/// An upper estimate of the events replaying `script` takes: its playhead at the
/// busiest network settings the script ever asks for; a first election (every server
/// timing out once); for each intervention, one round of messages, or when elections
/// do not churn anyway, an election in which every server may time out (a crash, a
/// partition, a timeout can each set one off); and one round for each prepared entry a
/// follower may have to be sent back through.
pub fn estimated_events(script: &RunScript) -> u64 {
    // Servers added during the run count from the start: an upper estimate.
    let added = script
        .steps
        .iter()
        .filter(|s| matches!(s.intervention, Intervention::AddServer))
        .count();
    let mut grown = script.config.clone();
    grown.servers = (usize::from(grown.servers) + added).min(usize::from(MAX_SERVERS)) as u8;
    let config = &grown;
    let net = &config.net;
    let (mut duplicate, mut latency, mut loss) =
        (net.duplicate_permille, net.latency_max, net.loss_permille);
    for step in &script.steps {
        match step.intervention {
            Intervention::SetDuplication { permille } => duplicate = duplicate.max(permille),
            Intervention::SetLoss { permille } => loss = loss.max(permille),
            Intervention::SetLatency { max, .. } => latency = latency.max(max),
            _ => {}
        }
    }
    let rate = rate_millis(config, duplicate, latency, loss);
    let round = round_millis(config.servers, duplicate);
    let servers = u128::from(config.servers);
    let per_step = if elections_may_churn(latency, loss, config.raft.election_timeout_min) {
        round
    } else {
        servers * round
    };
    let prepared: u128 = script
        .initial
        .iter()
        .map(|i| i.log_terms.len() as u128)
        .sum();
    let total = rate * u128::from(script.playhead) / u128::from(1000 * MS)
        + servers * round
        + per_step * script.steps.len() as u128
        + round * prepared;
    total.div_ceil(1000).try_into().unwrap_or(u64::MAX)
}
