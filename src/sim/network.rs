use std::cmp::Reverse;
use std::collections::{BTreeSet, BinaryHeap};
use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::Intervention;
use crate::raft::{MS, Message, NodeId, Time};

/// Identifies one message for its whole flight (and the copy a duplication makes).
pub type MsgId = u64;

/// How the simulated network behaves. Reordering needs no switch: two messages on one
/// link with different latencies arrive in the other order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NetConfig {
    /// One-way latency is drawn uniformly from `latency_min..=latency_max` for every message.
    pub latency_min: Time,
    pub latency_max: Time,
    /// Chance in a thousand that a message is lost.
    pub loss_permille: u16,
    /// Chance in a thousand that a message is delivered twice.
    pub duplicate_permille: u16,
    /// A stable-storage write before each answer that must follow one: a vote (votedFor
    /// and the term) and an AppendEntries or InstallSnapshot reply (the log) leave the
    /// server only after a write drawn uniformly from `storage_min..=storage_max`. Both 0
    /// (the default): writes take no time, as before this setting existed. The lab's
    /// Figure 16 uses it: the paper's broadcast time includes the disk.
    #[serde(default, skip_serializing_if = "crate::raft::is_zero")]
    pub storage_min: Time,
    #[serde(default, skip_serializing_if = "crate::raft::is_zero")]
    pub storage_max: Time,
}

impl Default for NetConfig {
    /// 10–20 ms one way: election timeouts of 150–300 ms are then 10–20× the latency,
    /// as the Raft thesis recommends.
    fn default() -> Self {
        NetConfig {
            latency_min: 10 * MS,
            latency_max: 20 * MS,
            loss_permille: 0,
            duplicate_permille: 0,
            storage_min: 0,
            storage_max: 0,
        }
    }
}

/// A message on the wire, with the times the animation draws it from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InFlight {
    pub id: MsgId,
    pub from: NodeId,
    pub to: NodeId,
    pub msg: Message,
    pub sent_at: Time,
    pub deliver_at: Time,
    /// The network will lose it: it travels, and vanishes instead of arriving.
    pub lost: bool,
}

/// The messages on the wire, in the order they arrive: by delivery time, then by id
/// (the order they were sent in). Sending and delivering cost O(log n), so a storm of
/// messages (short heartbeats, long latencies, duplication) slows the run gently.
/// It serializes as the list of messages in that order.
///
/// The simulator only ever needs the next message, so the order is a binary heap of small
/// keys, and the messages (a hundred and fifty bytes each) sit in slots beside it: an
/// ordered map of whole messages, rebalanced as every event takes one off and puts more
/// on, was a tenth of the simulator's time. The whole order (for the page, a crash, an
/// export) is sorted out when asked for.
#[derive(Clone, Default)]
pub struct InFlightQueue {
    /// (delivery time, id, slot), the next to arrive on top.
    heap: BinaryHeap<Reverse<(Time, MsgId, usize)>>,
    /// The messages; `None` is a free slot, listed in `free`.
    slots: Vec<Option<InFlight>>,
    free: Vec<usize>,
}

impl InFlightQueue {
    pub fn len(&self) -> usize {
        self.heap.len()
    }

    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }

    /// Every message, the next to arrive first.
    pub fn iter(&self) -> Iter<'_> {
        let mut order: Vec<(Time, MsgId, usize)> = self.heap.iter().map(|r| r.0).collect();
        order.sort_unstable();
        Iter {
            order: order.into_iter(),
            slots: &self.slots,
        }
    }

    /// The next message to arrive.
    pub fn first(&self) -> Option<&InFlight> {
        let Reverse((_, _, slot)) = self.heap.peek()?;
        self.slots[*slot].as_ref()
    }

    /// The message `id`, if it is still on the wire.
    pub fn get(&self, id: MsgId) -> Option<&InFlight> {
        // Ids are unique: any order finds the same one.
        self.slots.iter().flatten().find(|m| m.id == id)
    }

    pub fn insert(&mut self, m: InFlight) {
        let key = (m.deliver_at, m.id);
        let slot = match self.free.pop() {
            Some(slot) => {
                self.slots[slot] = Some(m);
                slot
            }
            None => {
                self.slots.push(Some(m));
                self.slots.len() - 1
            }
        };
        self.heap.push(Reverse((key.0, key.1, slot)));
    }

    /// Takes the next message to arrive off the wire.
    pub fn pop_first(&mut self) -> Option<InFlight> {
        let Reverse((_, _, slot)) = self.heap.pop()?;
        self.take_slot(slot)
    }

    /// Takes message `id` off the wire (a hand-dropped message: a scan, but rare).
    pub fn remove(&mut self, id: MsgId) -> Option<InFlight> {
        self.remove_where(|m| m.id == id).pop()
    }

    /// Takes off the wire every message `gone` picks, in arrival order.
    pub fn remove_where(&mut self, mut gone: impl FnMut(&InFlight) -> bool) -> Vec<InFlight> {
        let mut order: Vec<(Time, MsgId, usize)> = self.heap.drain().map(|r| r.0).collect();
        order.sort_unstable();
        let mut taken = Vec::new();
        for (time, id, slot) in order {
            if self.slots[slot].as_ref().is_some_and(&mut gone) {
                taken.extend(self.take_slot(slot));
            } else {
                self.heap.push(Reverse((time, id, slot)));
            }
        }
        taken
    }

    fn take_slot(&mut self, slot: usize) -> Option<InFlight> {
        // The slot is freed first so that the message is moved once, straight out of its
        // slot into the caller's hands (held in a local, it was copied twice: a message
        // in flight is over a hundred bytes, and this runs once per delivery).
        let m = self.slots.get_mut(slot)?;
        self.free.push(slot);
        m.take()
    }
}

/// The messages of an [`InFlightQueue`], the next to arrive first.
#[derive(Clone)]
pub struct Iter<'a> {
    order: std::vec::IntoIter<(Time, MsgId, usize)>,
    slots: &'a [Option<InFlight>],
}

impl<'a> Iterator for Iter<'a> {
    type Item = &'a InFlight;

    fn next(&mut self) -> Option<&'a InFlight> {
        let (_, _, slot) = self.order.next()?;
        self.slots[slot].as_ref()
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.order.size_hint()
    }
}

impl DoubleEndedIterator for Iter<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        let (_, _, slot) = self.order.next_back()?;
        self.slots[slot].as_ref()
    }
}

impl ExactSizeIterator for Iter<'_> {}

impl<'a> IntoIterator for &'a InFlightQueue {
    type Item = &'a InFlight;
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

/// Two queues are equal when they hold the same messages in the same order, wherever
/// their slots put them.
impl PartialEq for InFlightQueue {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl Eq for InFlightQueue {}

impl fmt::Debug for InFlightQueue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl Serialize for InFlightQueue {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

impl<'de> Deserialize<'de> for InFlightQueue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let mut queue = InFlightQueue::default();
        for m in Vec::<InFlight>::deserialize(deserializer)? {
            queue.insert(m);
        }
        Ok(queue)
    }
}

/// Why a message did not arrive.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DropReason {
    /// Random loss, at the configured rate.
    Lost,
    /// The link from sender to receiver is cut (a partition or an isolated server).
    LinkCut,
    /// The receiver was down when the message arrived.
    ReceiverDown,
    /// The sender crashed while the message was in flight: its connections died with it.
    SenderCrashed,
    /// The receiver crashed while the message was in flight.
    ReceiverCrashed,
    /// Someone dropped this very message by hand.
    DroppedByUser,
}

/// Which directed links are cut. A partition cuts both directions of every link
/// between groups; a one-way cut leaves the other direction working.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Links {
    cut: BTreeSet<(NodeId, NodeId)>,
}

impl Links {
    pub fn is_cut(&self, from: NodeId, to: NodeId) -> bool {
        !self.cut.is_empty() && self.cut.contains(&(from, to))
    }

    pub fn cut(&mut self, from: NodeId, to: NodeId) {
        if from != to {
            self.cut.insert((from, to));
        }
    }

    pub fn restore(&mut self, from: NodeId, to: NodeId) {
        self.cut.remove(&(from, to));
    }

    pub fn heal(&mut self) {
        self.cut.clear();
    }

    pub fn cut_links(&self) -> impl Iterator<Item = (NodeId, NodeId)> + '_ {
        self.cut.iter().copied()
    }

    pub fn is_empty(&self) -> bool {
        self.cut.is_empty()
    }

    /// What an intervention does to the links of a cluster of `servers` (nothing, for
    /// most). Cuts add to those already made: a second partition does not undo the first.
    pub fn apply(&mut self, intervention: &Intervention, servers: NodeId) {
        match intervention {
            Intervention::CutLink { from, to } => self.cut(*from, *to),
            Intervention::RestoreLink { from, to } => self.restore(*from, *to),
            Intervention::Isolate(id) => {
                for other in 0..servers {
                    self.cut(*id, other);
                    self.cut(other, *id);
                }
            }
            Intervention::Partition(groups) => {
                let group_of = |s: NodeId| groups.iter().position(|g| g.contains(&s));
                for a in 0..servers {
                    for b in 0..servers {
                        if group_of(a) != group_of(b) {
                            self.cut(a, b);
                        }
                    }
                }
            }
            Intervention::Heal => self.heal(),
            _ => {}
        }
    }

    /// The groups the network is split into: servers that can all talk to one another
    /// both ways, cut both ways from every other group, ordered by their first server.
    /// `None` when one-way cuts (or a cut inside a group) make it no clean partition.
    pub fn groups(&self, servers: NodeId) -> Option<Vec<Vec<NodeId>>> {
        let talk = |a: NodeId, b: NodeId| !self.is_cut(a, b) && !self.is_cut(b, a);
        let mut groups: Vec<Vec<NodeId>> = Vec::new();
        for s in 0..servers {
            match groups.iter_mut().find(|g| talk(g[0], s)) {
                Some(g) => g.push(s),
                None => groups.push(vec![s]),
            }
        }
        let clean = (0..servers).all(|a| {
            (0..servers).all(|b| {
                let same = groups.iter().any(|g| g.contains(&a) && g.contains(&b));
                a == b || (same && talk(a, b)) || (!same && self.is_cut(a, b))
            })
        });
        clean.then_some(groups)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(links: &mut Links, groups: &[&[NodeId]]) {
        links.apply(
            &Intervention::Partition(groups.iter().map(|g| g.to_vec()).collect()),
            5,
        );
    }

    #[test]
    fn a_second_partition_adds_its_cuts_to_the_first() {
        let mut links = Links::default();
        split(&mut links, &[&[0, 1], &[2, 3, 4]]);
        assert_eq!(links.groups(5), Some(vec![vec![0, 1], vec![2, 3, 4]]));
        split(&mut links, &[&[2, 3], &[4, 0, 1]]);
        assert_eq!(
            links.groups(5),
            Some(vec![vec![0, 1], vec![2, 3], vec![4]]),
            "{{S1, S2}} stays cut from {{S5}}, and {{S3, S4}} is now cut from it too"
        );
        links.apply(&Intervention::Heal, 5);
        assert_eq!(links.groups(5), Some(vec![vec![0, 1, 2, 3, 4]]));
    }

    #[test]
    fn the_links_after_an_intervention_are_rebuilt_from_the_run() {
        use crate::sim::{EventKind, Sim, SimConfig};
        let mut sim = Sim::new(SimConfig::with_seed(5, 1)).unwrap();
        let split = Intervention::Partition(vec![vec![0], vec![1, 2, 3, 4]]);
        // The same partition twice at one instant, a heal between: the first lands on a
        // one-way cut made before it, the second on a whole network.
        for i in [
            Intervention::CutLink { from: 2, to: 3 },
            split.clone(),
            Intervention::Heal,
            split.clone(),
        ] {
            sim.apply(i).unwrap();
        }
        sim.run_for(400 * MS);
        let splits: Vec<u64> = (0..sim.trace().len())
            .filter(|&i| sim.trace()[i].kind == EventKind::Intervention(split.clone()))
            .map(|i| i as u64)
            .collect();
        assert_eq!(splits.len(), 2);
        assert_eq!(sim.links_after(splits[0]).unwrap().groups(5), None);
        assert_eq!(
            sim.links_after(splits[1]).unwrap().groups(5),
            Some(vec![vec![0], vec![1, 2, 3, 4]])
        );
        assert_eq!(sim.links_after(splits[1]).as_ref(), Some(sim.links()));
        let last = sim.trace().len() as u64 - 1;
        assert!(!matches!(
            sim.trace().last().unwrap().kind,
            EventKind::Intervention(_)
        ));
        assert_eq!(sim.links_after(last), None, "not an intervention");
        assert_eq!(sim.links_after(last + 1), None, "no such event");
    }

    #[test]
    fn servers_named_in_no_group_form_one_and_one_way_cuts_are_no_partition() {
        let mut links = Links::default();
        split(&mut links, &[&[0]]);
        assert_eq!(links.groups(5), Some(vec![vec![0], vec![1, 2, 3, 4]]));
        let mut links = Links::default();
        links.apply(&Intervention::CutLink { from: 0, to: 1 }, 5);
        assert_eq!(links.groups(5), None);
        links.apply(&Intervention::Isolate(0), 5);
        assert_eq!(links.groups(5), Some(vec![vec![0], vec![1, 2, 3, 4]]));
    }
}
