//! A whole run as a small document: the configuration (with its seed), every intervention
//! with the virtual time and event count it came at, and the playhead. Because the
//! simulator is deterministic, that is enough to rebuild the identical state: it is what a
//! share link carries. Decoding trusts nothing: every failure is an error message, never
//! a panic, and a hostile link cannot make the replay run for long.

use serde::{Deserialize, Serialize};

use super::bounds::{self, MAX_LINK_LEN, MAX_REPLAY_EVENTS};
use super::{InitialState, Intervention, Sim, SimConfig};
use crate::raft::Time;

/// The newest script version this page writes and reads. Version 2 added the Raft
/// feature switches, client reads and leadership transfer; a script that uses none of
/// them is still written as version 1, byte for byte as before, so that links made
/// without them stay what they were. Every older version opens (a version-1 script is a
/// version-2 script without the new parts: nothing to migrate); a newer one is refused
/// clearly. Version 3 added log compaction, version 4 the lab's settings (stable-storage
/// writes that take time, a broken rule); a script without them is written as before.
pub const SCRIPT_VERSION: u32 = 4;
/// The oldest script version this page reads.
pub const OLDEST_SCRIPT_VERSION: u32 = 1;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScriptStep {
    pub at: Time,
    /// Events processed before this intervention was applied.
    pub after_events: u64,
    pub intervention: Intervention,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunScript {
    pub version: u32,
    pub config: SimConfig,
    /// Persistent state prepared before the run, if any (Figure 7's logs, say).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub initial: Vec<InitialState>,
    pub steps: Vec<ScriptStep>,
    pub playhead: Time,
    /// Events processed at the playhead: a run paused (or stepped) with more events due
    /// at that same microsecond reopens before them, exactly as it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub playhead_events: Option<u64>,
}

impl Sim {
    /// This run so far, as a script that [`Sim::replay`] turns back into this state.
    pub fn script(&self) -> RunScript {
        RunScript {
            version: self.script_version(),
            // The start, not the settings now: the steps change them again on replay.
            config: self.start_config.clone(),
            initial: self.initial.clone(),
            steps: self
                .interventions
                .iter()
                .zip(&self.intervention_events)
                .map(|((at, intervention), &after_events)| ScriptStep {
                    at: *at,
                    after_events,
                    intervention: intervention.clone(),
                })
                .collect(),
            playhead: self.now,
            playhead_events: Some(self.events),
        }
    }

    /// Everything the page draws at this moment (the trace aside: a replay from a
    /// checkpoint starts its own), as one string: equal digests, identical clusters.
    pub fn state_digest(&self) -> String {
        let state = (
            self.now,
            self.events,
            &self.servers,
            &self.in_flight,
            &self.writes,
        );
        // Reads join the digest only when there are any: the digests of runs without
        // reads (old links' fixtures pin them) stay as they were.
        if self.reads.is_empty() {
            serde_json::to_string(&state).unwrap_or_default()
        } else {
            serde_json::to_string(&(state, &self.reads)).unwrap_or_default()
        }
    }

    /// The run of `script` at time 0: its configuration and prepared persistent state.
    pub fn prepared(script: &RunScript) -> Result<Sim, String> {
        if script.initial.len() > usize::from(script.config.servers) {
            return Err("the link prepares more servers than the cluster has".into());
        }
        let mut sim = Sim::new(script.config.clone())?;
        for i in &script.initial {
            sim.set_persistent_state(i.server, i.current_term, i.voted_for, &i.log_terms)?;
        }
        Ok(sim)
    }

    /// Rebuilds a run from its script, checking everything on the way.
    pub fn replay(script: &RunScript) -> Result<Sim, String> {
        Sim::replay_keeping(script, None)
    }

    /// [`Sim::replay`], keeping only about the newest `trace_limit` events of the trace.
    pub fn replay_keeping(script: &RunScript, trace_limit: Option<usize>) -> Result<Sim, String> {
        let mut sim = Sim::replay_start(script)?;
        sim.set_trace_limit(trace_limit);
        sim.follow_to(&script.steps, script.playhead, script.playhead_events)?;
        sim.check_replayed(script)?;
        Ok(sim)
    }

    /// The version this run's script is written as: 4 when it needs the lab's settings, 3
    /// when it needs log compaction, 2
    /// when it needs what version 2 added (a feature switch on from the start, a read, a
    /// transfer, a switch turned), else 1: the oldest page that can replay it.
    pub fn script_version(&self) -> u32 {
        if self.start_config.uses_version_4() {
            return 4;
        }
        let raft = &self.start_config.raft;
        let compacts = raft.snapshot_every > 0;
        if compacts || self.interventions.iter().any(|(_, i)| i.needs_version_3()) {
            return 3;
        }
        let switched = raft.pre_vote || raft.check_quorum || raft.no_op;
        if switched || self.interventions.iter().any(|(_, i)| i.needs_version_2()) {
            2
        } else {
            OLDEST_SCRIPT_VERSION
        }
    }

    /// Everything about `script` that can be checked before it is replayed (its version,
    /// its sizes and the work its settings imply), then its state at time 0: where a
    /// replay starts, whole or in slices ([`Sim::follow_slice`]).
    pub fn replay_start(script: &RunScript) -> Result<Sim, String> {
        if !(OLDEST_SCRIPT_VERSION..=SCRIPT_VERSION).contains(&script.version) {
            return Err(format!(
                "this link is from version {} of Raft Playground; this page reads version {SCRIPT_VERSION}",
                script.version
            ));
        }
        // Every size, and the work the settings imply, before any of it is done.
        bounds::check_script(script)?;
        if script.steps.iter().any(|step| step.at > script.playhead) {
            return Err("an intervention lies beyond the link's playhead".into());
        }
        Sim::prepared(script)
    }

    /// The check after a replay of `script` reached its playhead: a run that cannot reach
    /// the events its script counted is a different run (a script written with the wrong
    /// settings, say), never to be shown as this one.
    pub fn check_replayed(&self, script: &RunScript) -> Result<(), String> {
        if let Some(expected) = script.playhead_events
            && self.events != expected
        {
            return Err(format!(
                "the run replays to {} events by its playhead, not the {expected} it recorded: it is not the run that was shared",
                self.events
            ));
        }
        Ok(())
    }

    /// Runs to `until`, applying on the way the recorded `steps` this run has not applied
    /// yet (those after the first `self.interventions().len()`), each at its time and
    /// event count: replaying a recorded history from any earlier state of it.
    pub fn follow(&mut self, steps: &[ScriptStep], until: Time) -> Result<(), String> {
        self.follow_to(steps, until, None)
    }

    /// [`Sim::follow`], stopping after `events` events in all when given (and no later
    /// than `until`).
    pub fn follow_to(
        &mut self,
        steps: &[ScriptStep],
        until: Time,
        events: Option<u64>,
    ) -> Result<(), String> {
        let budget = self.events.saturating_add(MAX_REPLAY_EVENTS);
        match self.follow_slice(steps, until, events, budget)? {
            true => Ok(()),
            false => Err(bounds::over_budget()),
        }
    }

    /// One slice of [`Sim::follow_to`]: it pauses, returning `Ok(false)`, when another
    /// event is due but `pause_at` events have been processed in all. Called again with
    /// the same `steps`, it goes on exactly where it paused, so a long replay can run a
    /// slice per animation frame and the page keeps answering; `Ok(true)` once done.
    pub fn follow_slice(
        &mut self,
        steps: &[ScriptStep],
        until: Time,
        events: Option<u64>,
        pause_at: u64,
    ) -> Result<bool, String> {
        let done = self.interventions.len().min(steps.len());
        for (k, step) in steps.iter().enumerate().skip(done) {
            if step.at > until {
                break;
            }
            let which = k + 1;
            if step.at < self.now || step.after_events < self.events {
                return Err(format!("intervention {which} is out of order"));
            }
            while self.events < step.after_events {
                match self.peek() {
                    Some(next) if next.0 <= step.at => {
                        if self.events >= pause_at {
                            return Ok(false);
                        }
                        self.process(next)
                    }
                    _ => return Err(format!("intervention {which} does not fit this run")),
                }
            }
            self.now = step.at;
            self.apply(step.intervention.clone())
                .map_err(|e| format!("intervention {which}: {e}"))?;
        }
        let events = events.unwrap_or(u64::MAX);
        while self.events < events {
            match self.peek() {
                Some(next) if next.0 <= until => {
                    if self.events >= pause_at {
                        return Ok(false);
                    }
                    self.process(next)
                }
                _ => break,
            }
        }
        self.now = self.now.max(until);
        Ok(true)
    }

    /// Replays the recorded `steps` from this state until exactly `events` events have
    /// been processed, with every step recorded before the next event applied: the run
    /// as it stood just before event `events + 1`. Time stops at that moment (the last
    /// event or step), not later, so stepping back one event shows what stepping
    /// forward showed.
    pub fn follow_events(&mut self, steps: &[ScriptStep], events: u64) -> Result<(), String> {
        let budget = self.events.saturating_add(MAX_REPLAY_EVENTS);
        match self.follow_events_slice(steps, events, budget)? {
            true => Ok(()),
            false => Err(bounds::over_budget()),
        }
    }

    /// One slice of [`Sim::follow_events`], pausing as [`Sim::follow_slice`] does.
    pub fn follow_events_slice(
        &mut self,
        steps: &[ScriptStep],
        events: u64,
        pause_at: u64,
    ) -> Result<bool, String> {
        if self.events > events {
            return Err("the run is already past that event".into());
        }
        let done = self.interventions.len().min(steps.len());
        let mut pending = steps.iter().enumerate().skip(done).peekable();
        loop {
            while let Some((k, step)) = pending.next_if(|(_, s)| s.after_events <= self.events) {
                if step.after_events < self.events || step.at < self.now {
                    return Err(format!("intervention {} is out of order", k + 1));
                }
                self.now = step.at;
                self.apply(step.intervention.clone())
                    .map_err(|e| format!("intervention {}: {e}", k + 1))?;
            }
            if self.events >= events {
                return Ok(true);
            }
            match self.peek() {
                Some(_) if self.events >= pause_at => return Ok(false),
                Some(next) => self.process(next),
                None => return Ok(true),
            }
        }
    }
}

/// The text after `#/run/` in a share link.
pub fn encode_link(script: &RunScript) -> String {
    let json = serde_json::to_vec(script).unwrap_or_default();
    base64url_encode(&json)
}

/// Reads a share link's payload; the replay ([`Sim::replay`]) checks the rest.
pub fn decode_link(text: &str) -> Result<RunScript, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err("the link carries no run".into());
    }
    if text.len() > MAX_LINK_LEN {
        return Err("the link is too long to be a Raft Playground run".into());
    }
    let bytes = base64url_decode(text).ok_or("the link is damaged (it is not valid base64url)")?;
    // Through `from_str`, as trace files are read: one copy of every type's JSON reader
    // in the page instead of two (issue 16: the download's size).
    let json = std::str::from_utf8(&bytes)
        .map_err(|e| format!("the link is damaged or incomplete ({e})"))?;
    serde_json::from_str(json).map_err(|e| format!("the link is damaged or incomplete ({e})"))
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// URL-safe base64 without padding: what a link's payload is written in.
pub fn base64url_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | (u32::from(b) << (16 - 8 * i)));
        for i in 0..=chunk.len() {
            out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

fn base64url_decode(text: &str) -> Option<Vec<u8>> {
    let values: Vec<u32> = text
        .bytes()
        .map(|c| ALPHABET.iter().position(|&a| a == c).map(|v| v as u32))
        .collect::<Option<_>>()?;
    if values.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(values.len() * 3 / 4);
    for chunk in values.chunks(4) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &v)| n | (v << (18 - 6 * i)));
        for i in 0..chunk.len() - 1 {
            out.push((n >> (16 - 8 * i)) as u8);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64url_round_trips_every_length() {
        for len in 0..40u8 {
            let bytes: Vec<u8> = (0..len)
                .map(|b| b.wrapping_mul(37).wrapping_add(200))
                .collect();
            assert_eq!(base64url_decode(&base64url_encode(&bytes)), Some(bytes));
        }
        assert_eq!(base64url_encode(b"Man"), "TWFu");
        assert_eq!(base64url_decode("TWE"), Some(b"Ma".to_vec()));
        assert_eq!(base64url_decode("T"), None);
        assert_eq!(base64url_decode("TW=="), None);
    }
}
