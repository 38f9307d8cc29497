//! Tests that run inside headless Chromium (`make test` runs them with
//! `cargo test --target wasm32-unknown-unknown --test browser`).
#![cfg(target_arch = "wasm32")]

use raft_playground::raft::MS;
use raft_playground::sim::{Sim, SimConfig};
use raft_playground::ui::panic::{BANNER_ID, show_banner};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn a_panic_shows_a_visible_banner_instead_of_a_frozen_page() {
    show_banner("test detail");
    let document = web_sys::window().unwrap().document().unwrap();
    let banner = document
        .get_element_by_id(BANNER_ID)
        .expect("banner in the DOM");
    let text = banner.text_content().unwrap_or_default();
    assert!(text.contains("Reload the page"), "{text}");
    assert!(text.contains("test detail"), "{text}");
    assert_eq!(banner.get_attribute("role").as_deref(), Some("alert"));
    show_banner("second");
    assert_eq!(
        document
            .query_selector_all(&format!("#{BANNER_ID}"))
            .unwrap()
            .length(),
        1
    );
}

#[wasm_bindgen_test]
fn the_simulator_runs_the_same_in_the_browser_as_natively() {
    // Same seed, same run: the browser's wasm must not depend on anything native.
    let mut a = Sim::new(SimConfig::with_seed(5, 11)).unwrap();
    let mut b = Sim::new(SimConfig::with_seed(5, 11)).unwrap();
    a.run_for(3000 * MS);
    b.run_for(3000 * MS);
    assert!(
        a.leader().is_some(),
        "a leader within three virtual seconds"
    );
    assert!(a.violation().is_none());
    assert_eq!(a.trace(), b.trace());
}
