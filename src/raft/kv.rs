use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::Command;

/// The replicated state machine: a tiny key-value store. Every server that applies
/// the same committed log in the same order ends with the same map; that is the
/// whole point of Raft.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KvStore {
    pub values: BTreeMap<String, i64>,
}

impl KvStore {
    pub fn apply(&mut self, command: &Command) {
        match command {
            // An existing key is updated in place: `insert` would allocate a copy of
            // the key only to drop it again (most writes overwrite a key).
            Command::Set { key, value } => match self.values.get_mut(&**key) {
                Some(v) => *v = *value,
                None => {
                    self.values.insert(key.to_string(), *value);
                }
            },
            Command::Del { key } => {
                self.values.remove(&**key);
            }
            Command::Noop | Command::Config(_) => {}
        }
    }

    pub fn get(&self, key: &str) -> Option<i64> {
        self.values.get(key).copied()
    }
}
