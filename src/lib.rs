//! Raft Playground: a real Raft ([`raft`]) in a deterministic simulated cluster
//! ([`sim`]), drawn in the browser by [`ui`].

pub mod raft;
pub mod sim;
pub mod ui;
