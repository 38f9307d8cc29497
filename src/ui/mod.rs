//! The browser UI. Components read the simulator through [`playground::Playground`] and
//! send [`playground::Action`]s; there is no Raft logic here. The pure parts (the page's
//! state, the geometry, the words) compile natively, so they are unit-tested without a
//! browser. Grouped by what the files are:
//!
//! - `state/`: the page's state as plain data (`playground`, `history`, `tour`, `lang`)
//!   and the store that hands it to the components;
//! - `texts/`: every word the page says about the run, in English and 简体中文;
//! - `views/`: the Yew components, one per file, and the pure drawing math (`geometry`).
//!
//! Each module is also reachable as `crate::ui::<name>`, so a file never needs to know
//! which group another one is in.

pub mod state;
pub mod texts;
pub mod views;

pub use state::{history, lab, lang, loading, playground, tour};
pub use texts::{lab_text, narration, tour_text, words, words_zh};
pub use views::{geometry, plot};

#[cfg(target_arch = "wasm32")]
pub use state::store;
#[cfg(target_arch = "wasm32")]
pub use views::{
    app, clock, cluster, controls, event_line, event_log, focus, help, inspector, link_lines,
    log_cell, logs, message_glyph, notice, panic, progress, server_glyph, timeline, top_bar,
    tour_panel,
};

/// Mounts the playground into the page's `<main id="app">`.
#[cfg(target_arch = "wasm32")]
pub fn start() {
    panic::install();
    let root = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("app"));
    match root {
        Some(root) => {
            yew::Renderer::<app::App>::with_root(root).render();
        }
        None => panic::show_banner(
            "the page has no element with id \"app\" to draw in / 页面里没有 id 为 \"app\" 的元素",
        ),
    }
}
