//! The leader's no-op (section 8 of the paper; the dissertation's 6.4): a newly elected
//! leader appends an empty entry of its own term at once. A leader commits by counting
//! replicas only entries of its own term (Figure 8's lesson), so without it, entries of
//! earlier terms wait for the next client write to commit; with it, they commit as soon as
//! the no-op reaches a majority. A leader also needs an entry of its own term committed
//! before it can answer a read safely.
//!
//! The switch is [`crate::raft::RaftConfig::no_op`]; the leader appends the entry in
//! [`crate::raft::Node`]'s `become_leader`, with the other role transitions.

use super::{Command, Entry, Node, NodeEvent};

impl Node {
    /// Appends this leader's no-op entry and says so.
    pub(super) fn append_no_op(&mut self) {
        let term = self.current_term;
        let index = self.log.append(Entry {
            term,
            command: Command::Noop,
            write: None,
        });
        self.emit(NodeEvent::NoOpAppended { index, term });
    }
}
