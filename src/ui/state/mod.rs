//! The page's state as plain data: what is shown and done ([`playground`]), the recorded
//! run for time travel ([`history`]), long work done a slice per frame ([`loading`]), the guided tour ([`tour`]), the lab's experiments ([`lab`]), the language
//! ([`lang`]), and the store that hands snapshots to the components.

pub mod history;
pub mod lab;
pub mod lang;
pub mod loading;
pub mod playground;
pub mod tour;

#[cfg(target_arch = "wasm32")]
pub mod store;
