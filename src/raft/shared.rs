//! A growable list whose copies share their older elements: what lets the timeline keep
//! many copies of a long run (logs, the checker's record, the clients' writes) for
//! little more than one.

use std::fmt;
use std::ops::Index;
use std::sync::Arc;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Elements per shared chunk: a copy costs one pointer per chunk plus up to this many
/// elements of the unshared tail, and changing an old element copies one chunk.
const CHUNK: usize = 64;

/// A `Vec` in full chunks shared between clones (copy on write) and a short tail of its
/// own. Indexing is O(1); `push` is amortised O(1); `clone` is O(len / CHUNK + CHUNK).
/// Serializes exactly as the `Vec` of its elements.
///
/// Invariant: every chunk holds exactly `CHUNK` elements; the tail fewer.
#[derive(Clone)]
pub struct SharedVec<T> {
    chunks: Vec<Arc<Vec<T>>>,
    tail: Vec<T>,
}

impl<T> Default for SharedVec<T> {
    fn default() -> Self {
        SharedVec {
            chunks: Vec::new(),
            tail: Vec::new(),
        }
    }
}

impl<T: Clone> SharedVec<T> {
    pub fn new() -> Self {
        Self::default()
    }

    // `len` and `get` are `#[inline]`: every log access uses them, several times per
    // event, and the release profile optimises for size and would otherwise call them.

    #[inline]
    pub fn len(&self) -> usize {
        self.chunks.len() * CHUNK + self.tail.len()
    }

    pub fn is_empty(&self) -> bool {
        self.chunks.is_empty() && self.tail.is_empty()
    }

    #[inline]
    pub fn get(&self, i: usize) -> Option<&T> {
        let (c, o) = (i / CHUNK, i % CHUNK);
        match self.chunks.get(c) {
            Some(chunk) => chunk.get(o),
            None => self.tail.get(i - self.chunks.len() * CHUNK),
        }
    }

    /// The element at `i`, for changing; an element of a chunk shared with a copy is
    /// changed in a fresh copy of its chunk, so other copies keep theirs.
    pub fn get_mut(&mut self, i: usize) -> Option<&mut T> {
        let (c, o) = (i / CHUNK, i % CHUNK);
        let full = self.chunks.len() * CHUNK;
        match self.chunks.get_mut(c) {
            Some(chunk) => Arc::make_mut(chunk).get_mut(o),
            None => self.tail.get_mut(i - full),
        }
    }

    pub fn first(&self) -> Option<&T> {
        self.get(0)
    }

    pub fn last(&self) -> Option<&T> {
        self.len().checked_sub(1).and_then(|i| self.get(i))
    }

    pub fn push(&mut self, value: T) {
        if self.tail.capacity() == 0 {
            self.tail.reserve_exact(CHUNK);
        }
        self.tail.push(value);
        if self.tail.len() == CHUNK {
            let full = std::mem::replace(&mut self.tail, Vec::with_capacity(CHUNK));
            self.chunks.push(Arc::new(full));
        }
    }

    /// Keeps the first `len` elements.
    pub fn truncate(&mut self, len: usize) {
        let full = self.chunks.len() * CHUNK;
        if len >= full {
            self.tail.truncate(len - full);
            return;
        }
        let keep = len / CHUNK;
        let mut tail = Vec::with_capacity(CHUNK);
        tail.extend_from_slice(&self.chunks[keep][..len % CHUNK]);
        self.chunks.truncate(keep);
        self.tail = tail;
    }

    /// Every element, first to last.
    pub fn iter(&self) -> Iter<'_, T> {
        Iter {
            list: self,
            front: 0,
            back: self.len(),
        }
    }

    /// Elements `start..end` (clamped to the list), copied out.
    pub fn to_vec_range(&self, start: usize, end: usize) -> Vec<T> {
        let end = end.min(self.len());
        let mut i = start.min(end);
        let mut out = Vec::with_capacity(end - i);
        // A chunk (or the tail) at a time: slices copy faster than elements one by one.
        while i < end {
            let (slice, first) = match self.chunks.get(i / CHUNK) {
                Some(chunk) => (&chunk[..], (i / CHUNK) * CHUNK),
                None => (&self.tail[..], self.chunks.len() * CHUNK),
            };
            let stop = (end - first).min(slice.len());
            out.extend_from_slice(&slice[i - first..stop]);
            i = first + stop;
        }
        out
    }

    pub fn to_vec(&self) -> Vec<T> {
        self.iter().cloned().collect()
    }
}

impl<T: Clone> From<Vec<T>> for SharedVec<T> {
    fn from(values: Vec<T>) -> Self {
        values.into_iter().collect()
    }
}

impl<T: Clone> FromIterator<T> for SharedVec<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        let mut list = SharedVec::new();
        for value in iter {
            list.push(value);
        }
        list
    }
}

impl<T: Clone> Index<usize> for SharedVec<T> {
    type Output = T;

    fn index(&self, i: usize) -> &T {
        match self.get(i) {
            Some(value) => value,
            None => panic!("index {i} out of range for a list of {}", self.len()),
        }
    }
}

/// Iterator over a [`SharedVec`], from either end.
#[derive(Clone)]
pub struct Iter<'a, T> {
    list: &'a SharedVec<T>,
    front: usize,
    back: usize,
}

impl<'a, T: Clone> Iterator for Iter<'a, T> {
    type Item = &'a T;

    fn next(&mut self) -> Option<&'a T> {
        if self.front == self.back {
            return None;
        }
        self.front += 1;
        self.list.get(self.front - 1)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.back - self.front;
        (n, Some(n))
    }
}

impl<T: Clone> DoubleEndedIterator for Iter<'_, T> {
    fn next_back(&mut self) -> Option<Self::Item> {
        if self.front == self.back {
            return None;
        }
        self.back -= 1;
        self.list.get(self.back)
    }
}

impl<T: Clone> ExactSizeIterator for Iter<'_, T> {}

impl<'a, T: Clone> IntoIterator for &'a SharedVec<T> {
    type Item = &'a T;
    type IntoIter = Iter<'a, T>;

    fn into_iter(self) -> Iter<'a, T> {
        self.iter()
    }
}

impl<T: Clone + PartialEq> PartialEq for SharedVec<T> {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl<T: Clone + Eq> Eq for SharedVec<T> {}

impl<T: Clone + fmt::Debug> fmt::Debug for SharedVec<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<T: Clone + Serialize> Serialize for SharedVec<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

impl<'de, T: Clone + Deserialize<'de>> Deserialize<'de> for SharedVec<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Vec::<T>::deserialize(deserializer).map(SharedVec::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_copy_keeps_its_elements_when_the_original_changes() {
        let mut a: SharedVec<u32> = (0..200).collect();
        let b = a.clone();
        *a.get_mut(3).unwrap() = 1000;
        a.truncate(130);
        a.push(7);
        assert_eq!(b.len(), 200);
        assert_eq!(b[3], 3);
        assert_eq!(b.to_vec(), (0..200).collect::<Vec<_>>());
        assert_eq!(a.len(), 131);
        assert_eq!(a[3], 1000);
        assert_eq!(a[129], 129);
        assert_eq!(a.last(), Some(&7));
        assert_eq!(a.iter().rev().nth(1), Some(&129));
        assert_eq!(a.to_vec_range(126, 500), vec![126, 127, 128, 129, 7]);
        assert_eq!(b.to_vec_range(10, 150), (10..150).collect::<Vec<_>>());
        assert_eq!(b.to_vec_range(64, 64), Vec::<u32>::new());
        assert_eq!(b.to_vec_range(199, 400), vec![199]);
    }

    #[test]
    fn it_serializes_as_a_plain_list() {
        let v: Vec<u32> = (0..150).collect();
        let shared = SharedVec::from(v.clone());
        let json = serde_json::to_string(&shared).unwrap();
        assert_eq!(json, serde_json::to_string(&v).unwrap());
        let back: SharedVec<u32> = serde_json::from_str(&json).unwrap();
        assert_eq!(back, shared);
        let mut cut = shared.clone();
        cut.truncate(64);
        assert_eq!(cut.to_vec(), (0..64).collect::<Vec<_>>());
        cut.truncate(0);
        assert!(cut.is_empty());
    }
}
