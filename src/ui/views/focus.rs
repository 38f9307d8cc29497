//! Where the keyboard's focus goes when what had it disappears, and how it moves inside
//! the cluster (WAI-ARIA's arrow keys within a group of like controls).

use wasm_bindgen::JsCast;
use yew::prelude::*;

/// Focuses an element, an SVG glyph included (HTML and SVG elements both have focus()).
pub fn focus(el: &web_sys::Element) {
    if let Some(html) = el.dyn_ref::<web_sys::HtmlElement>() {
        let _ = html.focus();
    } else if let Some(svg) = el.dyn_ref::<web_sys::SvgElement>() {
        let _ = svg.focus();
    }
}

/// True when nothing has the focus: what had it disappeared, so it fell back to `<body>`.
pub fn focus_is_lost() -> bool {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return false;
    };
    match (document.active_element(), document.body()) {
        (None, _) => true,
        (Some(active), Some(body)) => active == *body.as_ref(),
        (Some(_), None) => false,
    }
}

/// When the focus was lost, moves it to the first element matching `selector`. Focus a
/// person put elsewhere is left alone.
pub fn focus_if_lost(selector: &str) {
    if !focus_is_lost() {
        return;
    }
    if let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector(selector).ok().flatten())
    {
        focus(&el);
    }
}

/// Arrow keys (and Home, End) move the focus among the elements matching `selector`, in
/// the order the page draws them, wrapping around: → and ↓ to the next, ← and ↑ to the
/// previous. The keys are kept from the page's shortcuts (→ would step the run).
pub fn arrow_keys(selector: &'static str) -> Callback<KeyboardEvent> {
    Callback::from(move |e: KeyboardEvent| {
        let key = e.key();
        let step: isize = match key.as_str() {
            "ArrowRight" | "ArrowDown" => 1,
            "ArrowLeft" | "ArrowUp" => -1,
            "Home" | "End" => 0,
            _ => return,
        };
        // The glyph the key was pressed on (Yew listens at its root, so not the event's
        // currentTarget).
        let (Some(document), Some(current)) = (
            web_sys::window().and_then(|w| w.document()),
            e.target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .and_then(|t| t.closest(selector).ok().flatten()),
        ) else {
            return;
        };
        let Ok(list) = document.query_selector_all(selector) else {
            return;
        };
        let all: Vec<web_sys::Element> = (0..list.length())
            .filter_map(|k| list.item(k))
            .filter_map(|node| node.dyn_into::<web_sys::Element>().ok())
            .collect();
        if all.is_empty() {
            return;
        }
        let Some(here) = all.iter().position(|el| *el == current) else {
            return;
        };
        let here = here as isize;
        let len = all.len() as isize;
        let to = match key.as_str() {
            "Home" => 0,
            "End" => len - 1,
            _ => (here + step).rem_euclid(len),
        };
        e.prevent_default();
        e.stop_propagation();
        focus(&all[to as usize]);
    })
}
