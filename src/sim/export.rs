//! Trace export and import: a versioned JSON document with the run's script (config,
//! seed, interventions, playhead) and its recorded events. Import checks the format and
//! the version, replays the script, and compares the recorded events with the replay's.

use serde::{Deserialize, Serialize};

use super::bounds::MAX_TRACE_BYTES;
use super::{RunScript, Sim, TraceEvent, describe};

/// Names the document, so that any other JSON is recognised as not a trace.
pub const TRACE_FORMAT: &str = "raft-playground-trace";
/// The newest trace version: as for scripts ([`super::SCRIPT_VERSION`]), a trace is
/// written as version 2 only when its run uses what version 2 added, and every older
/// version still opens.
pub const TRACE_VERSION: u32 = 4;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TraceDocument {
    pub format: String,
    pub version: u32,
    pub script: RunScript,
    /// How many events came before the first one here (a long run keeps only its newest).
    pub first_event: u64,
    pub events: Vec<TraceEvent>,
}

/// What import reads. The events stay as raw JSON and are compared with the replay's own
/// events written the same way: decoding every kind of event would double the page's
/// WebAssembly for no gain.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ImportedDocument<'a> {
    #[allow(dead_code)]
    format: String,
    #[allow(dead_code)]
    version: u32,
    script: RunScript,
    first_event: u64,
    #[serde(borrow)]
    events: Vec<&'a serde_json::value::RawValue>,
}

/// Only the fields that say what a file is, read first so an old or foreign file gets
/// the message that fits it.
#[derive(Deserialize)]
struct Head {
    format: Option<String>,
    version: Option<u64>,
}

/// What an import found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Agreement {
    /// Every recorded event equals the replay's.
    Identical { events: usize },
    /// The file's events differ from what its own script replays to, first at `index`.
    Differs {
        index: u64,
        recorded: String,
        replayed: String,
    },
}

impl Sim {
    pub fn export_trace(&self) -> TraceDocument {
        TraceDocument {
            format: TRACE_FORMAT.to_string(),
            version: self.script_version(),
            script: self.script(),
            first_event: self.trace_forgotten,
            events: self.trace.clone(),
        }
    }
}

/// The trace file's text: one event per line after the header, so it diffs well.
pub fn export_json(sim: &Sim) -> String {
    let doc = sim.export_trace();
    let mut out = String::new();
    out.push_str(&format!(
        "{{\"format\":{},\"version\":{},\"script\":{},\"first_event\":{},\"events\":[",
        serde_json::to_string(&doc.format).unwrap_or_default(),
        doc.version,
        serde_json::to_string(&doc.script).unwrap_or_default(),
        doc.first_event
    ));
    for (k, e) in doc.events.iter().enumerate() {
        out.push_str(if k == 0 { "\n" } else { ",\n" });
        out.push_str(&serde_json::to_string(e).unwrap_or_default());
    }
    out.push_str("\n]}\n");
    out
}

/// A trace file, read and checked but not replayed yet.
#[derive(Clone, Debug)]
pub struct TraceFile {
    pub script: RunScript,
    first_event: u64,
    /// The recorded events, as the file wrote them.
    events: Vec<String>,
}

/// Reads a trace file and replays it. The replay is the run; the file's own events are
/// only compared with it.
pub fn import_trace(text: &str) -> Result<(Sim, Agreement), String> {
    let file = read_trace(text)?;
    let replayed = Sim::replay_keeping(&file.script, Some(file.events_to_keep()))?;
    let agreement = file.agreement(&replayed)?;
    Ok((replayed, agreement))
}

/// Reads a trace file: its format, version and script, and its events as written.
pub fn read_trace(text: &str) -> Result<TraceFile, String> {
    if text.len() > MAX_TRACE_BYTES {
        return Err("the file is too large to be a Raft Playground trace".into());
    }
    let head: Head = serde_json::from_str(text)
        .map_err(|e| format!("the file is not a JSON trace document ({e})"))?;
    if head.format.as_deref() != Some(TRACE_FORMAT) {
        return Err("the file is JSON but not a Raft Playground trace".into());
    }
    match head.version {
        Some(v) if (1..=u64::from(TRACE_VERSION)).contains(&v) => {}
        Some(v) => {
            return Err(format!(
                "the trace is version {v}; this page reads version {TRACE_VERSION}"
            ));
        }
        None => return Err("the trace has no version".into()),
    }
    let doc: ImportedDocument = serde_json::from_str(text)
        .map_err(|e| format!("the trace is damaged or incomplete ({e})"))?;
    Ok(TraceFile {
        script: doc.script,
        first_event: doc.first_event,
        events: doc.events.iter().map(|e| e.get().to_string()).collect(),
    })
}

impl TraceFile {
    /// How many of its newest trace events a replay must keep to be compared with the
    /// file: only the file's window of events is compared, so only that much is kept.
    pub fn events_to_keep(&self) -> usize {
        self.events.len().max(1)
    }

    /// How the file's events compare with `replayed`, its script replayed to the end
    /// (keeping at least [`TraceFile::events_to_keep`] trace events).
    pub fn agreement(&self, replayed: &Sim) -> Result<Agreement, String> {
        let replayed_events = replayed.trace_forgotten() + replayed.trace().len() as u64;
        if self.events.is_empty() && replayed_events > self.first_event {
            // Nothing to compare with: say so rather than report a mismatch at some index.
            return Err(format!(
                "the trace lists no events, but its run has {replayed_events}: the file is incomplete"
            ));
        }
        let offset = self.first_event;
        let Some(start) = offset
            .checked_sub(replayed.trace_forgotten())
            .and_then(|s| usize::try_from(s).ok())
        else {
            return Ok(Agreement::Differs {
                index: offset,
                recorded: format!("events from number {offset} on"),
                replayed: "a run whose recorded tail starts later".into(),
            });
        };
        let ours = replayed.trace();
        for (k, recorded) in self.events.iter().enumerate() {
            let index = offset + k as u64;
            let mine = ours.get(start + k);
            let same = mine.is_some_and(|e| serde_json::to_string(e).is_ok_and(|j| &j == recorded));
            if !same {
                return Ok(Agreement::Differs {
                    index,
                    recorded: recorded.chars().take(160).collect(),
                    replayed: mine.map_or("nothing".to_string(), |e| {
                        format!("{} µs: {}", e.time, describe(&e.kind))
                    }),
                });
            }
        }
        if ours.len() != start + self.events.len() {
            return Ok(Agreement::Differs {
                index: offset + self.events.len() as u64,
                recorded: "the end of the file".into(),
                replayed: format!(
                    "{} more events",
                    ours.len().saturating_sub(start + self.events.len())
                ),
            });
        }
        Ok(Agreement::Identical {
            events: self.events.len(),
        })
    }
}
