//! The browser UI. Components read the simulator through [`playground::Playground`] and
//! send [`playground::Action`]s; there is no Raft logic here. The pure parts (geometry,
//! the UI state, the words) compile natively, so they are unit-tested without a browser.

pub mod geometry;
pub mod history;
pub mod lang;
pub mod playground;
pub mod tour;
pub mod tour_text;
pub mod words;
pub mod words_zh;

#[cfg(target_arch = "wasm32")]
mod app;
#[cfg(target_arch = "wasm32")]
mod cluster;
#[cfg(target_arch = "wasm32")]
mod controls;
#[cfg(target_arch = "wasm32")]
mod event_log;
#[cfg(target_arch = "wasm32")]
mod help;
#[cfg(target_arch = "wasm32")]
mod inspector;
#[cfg(target_arch = "wasm32")]
mod logs;
#[cfg(target_arch = "wasm32")]
mod message_glyph;
#[cfg(target_arch = "wasm32")]
pub mod panic;
#[cfg(target_arch = "wasm32")]
mod server_glyph;
#[cfg(target_arch = "wasm32")]
mod store;
#[cfg(target_arch = "wasm32")]
mod timeline;
#[cfg(target_arch = "wasm32")]
mod top_bar;
#[cfg(target_arch = "wasm32")]
mod tour_panel;

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
