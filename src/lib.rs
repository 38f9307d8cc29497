//! Raft Playground: a real Raft ([`raft`]) in a deterministic simulated cluster
//! ([`sim`]), drawn in the browser by [`ui`].

pub mod raft;
pub mod sim;

#[cfg(target_arch = "wasm32")]
pub mod ui;
