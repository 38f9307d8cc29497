//! The Yew components, one per file, and [`geometry`]: where things are drawn, as pure
//! functions of the simulator's state and the virtual time (tested natively).

pub mod geometry;
pub mod plot;

#[cfg(target_arch = "wasm32")]
pub mod app;
#[cfg(target_arch = "wasm32")]
pub mod clock;
#[cfg(target_arch = "wasm32")]
pub mod cluster;
#[cfg(target_arch = "wasm32")]
pub mod controls;
#[cfg(target_arch = "wasm32")]
pub mod event_line;
#[cfg(target_arch = "wasm32")]
pub mod event_log;
#[cfg(target_arch = "wasm32")]
pub mod focus;
#[cfg(target_arch = "wasm32")]
pub mod help;
#[cfg(target_arch = "wasm32")]
pub mod inspector;
#[cfg(target_arch = "wasm32")]
pub mod lab;
#[cfg(target_arch = "wasm32")]
pub mod log_cell;
#[cfg(target_arch = "wasm32")]
pub mod logs;
#[cfg(target_arch = "wasm32")]
pub mod message_glyph;
#[cfg(target_arch = "wasm32")]
pub mod narration;
#[cfg(target_arch = "wasm32")]
pub mod notice;
#[cfg(target_arch = "wasm32")]
pub mod panic;
#[cfg(target_arch = "wasm32")]
pub mod progress;
#[cfg(target_arch = "wasm32")]
pub mod server_glyph;
#[cfg(target_arch = "wasm32")]
pub mod timeline;
#[cfg(target_arch = "wasm32")]
pub mod top_bar;
#[cfg(target_arch = "wasm32")]
pub mod tour_panel;
