use std::borrow::Borrow;
use std::cmp::Ordering;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{Command, Key};

/// The replicated state machine: a tiny key-value store. Every server that applies
/// the same committed log in the same order ends with the same map; that is the
/// whole point of Raft.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KvStore {
    pub values: BTreeMap<KvKey, i64>,
}

/// A key of the state machine: the command's own shared key, so that storing a new key
/// allocates nothing. Written as a plain string, and ordered as strings are.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct KvKey(pub Key);

impl Ord for KvKey {
    fn cmp(&self, other: &Self) -> Ordering {
        // The order of `str` (the map is written in it), compared byte by byte in a loop:
        // `str`'s comparison calls the C library's `memcmp`, which costs more than the
        // comparison itself for keys of a few letters, and every server searches the map
        // for the key of every entry it applies.
        self.0.bytes().cmp(other.0.bytes())
    }
}

impl PartialOrd for KvKey {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// A key is found by a plain `&str` too (reads): the two orders are the same.
impl Borrow<str> for KvKey {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for KvKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl KvStore {
    pub fn apply(&mut self, command: &Command) {
        match command {
            // An existing key keeps its stored copy; a new one shares the command's.
            Command::Set { key, value } => {
                self.values.insert(KvKey(key.clone()), *value);
            }
            Command::Del { key } => {
                self.values.remove(&KvKey(key.clone()));
            }
            Command::Noop | Command::Config(_) => {}
        }
    }

    pub fn get(&self, key: &str) -> Option<i64> {
        self.values.get(key).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_ordered_and_written_as_strings() {
        let mut kv = KvStore::default();
        for (key, value) in [("b", 1), ("a1", 2), ("a", 3), ("B", 4), ("a", 5)] {
            kv.apply(&Command::Set {
                key: key.into(),
                value,
            });
        }
        kv.apply(&Command::Del { key: "b".into() });
        let json = serde_json::to_string(&kv).unwrap_or_default();
        assert_eq!(json, r#"{"values":{"B":4,"a":5,"a1":2}}"#);
        assert_eq!(
            serde_json::from_str::<KvStore>(&json).ok(),
            Some(kv.clone())
        );
        assert_eq!((kv.get("a"), kv.get("b")), (Some(5), None));
    }
}
