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

thread_local! {
    /// Set by Tab (and by the arrow keys among servers), cleared by the next focus.
    static MOVING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    /// The element the reader moved the focus to themselves, if it still has it.
    static CHOSEN: std::cell::RefCell<Option<web_sys::Element>> = const { std::cell::RefCell::new(None) };
}

/// Whether the reader took the focus to `el` themselves, with Tab or the arrow keys: then
/// Space presses it, as a screen reader says it will. Focus that arrived by a click, or
/// that the page moved (after P, after a dialog closes), leaves Space as play / pause.
pub fn chosen_with_keys(el: &web_sys::Element) -> bool {
    CHOSEN.with(|c| c.borrow().as_ref() == Some(el))
}

/// Watches how the focus moves (see [`chosen_with_keys`]). Returns what removes the
/// watchers.
pub fn watch_how_focus_moves() -> impl FnOnce() {
    use wasm_bindgen::closure::Closure;
    let on_key = Closure::<dyn Fn(web_sys::KeyboardEvent)>::new(|e: web_sys::KeyboardEvent| {
        if e.key() == "Tab" {
            MOVING.with(|m| m.set(true));
        }
    });
    let on_focus = Closure::<dyn Fn(web_sys::FocusEvent)>::new(|e: web_sys::FocusEvent| {
        let moved = MOVING.with(|m| m.replace(false));
        let target = e
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok());
        CHOSEN.with(|c| *c.borrow_mut() = target.filter(|_| moved));
    });
    let window = web_sys::window();
    if let Some(w) = &window {
        let _ = w.add_event_listener_with_callback_and_bool(
            "keydown",
            on_key.as_ref().unchecked_ref(),
            true,
        );
        let _ = w.add_event_listener_with_callback_and_bool(
            "focusin",
            on_focus.as_ref().unchecked_ref(),
            true,
        );
    }
    move || {
        if let Some(w) = &window {
            let _ = w.remove_event_listener_with_callback_and_bool(
                "keydown",
                on_key.as_ref().unchecked_ref(),
                true,
            );
            let _ = w.remove_event_listener_with_callback_and_bool(
                "focusin",
                on_focus.as_ref().unchecked_ref(),
                true,
            );
        }
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

/// When the focus was lost, moves it to the first element matching `selector` that is
/// shown (presenter mode hides some). Focus a person put elsewhere is left alone.
pub fn focus_if_lost(selector: &str) {
    if !focus_is_lost() {
        return;
    }
    if let Some(el) = matching(selector).into_iter().find(shown) {
        focus(&el);
    }
}

/// [`focus_if_lost`], also when what has the focus is no longer drawn (hidden with
/// `display: none`: the browser drops its focus only at its next rendering).
pub fn focus_if_hidden(selector: &str) {
    let hidden = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.active_element())
        .is_some_and(|a| !shown(&a));
    if !(hidden || focus_is_lost()) {
        return;
    }
    if let Some(el) = matching(selector).into_iter().find(shown) {
        focus(&el);
    }
}

/// Every element matching `selector`, in the page's order.
fn matching(selector: &str) -> Vec<web_sys::Element> {
    let Some(list) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector_all(selector).ok())
    else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|k| list.item(k))
        .filter_map(|node| node.dyn_into::<web_sys::Element>().ok())
        .collect()
}

/// Drawn on the page (not `display: none`, nor inside something that is).
fn shown(el: &web_sys::Element) -> bool {
    let r = el.get_bounding_client_rect();
    r.width() > 0.0 || r.height() > 0.0
}

/// Tab and Shift+Tab inside a modal dialog go round its own controls instead of into the
/// page behind it, which a screen reader treats as hidden (aria-modal).
pub fn keep_tab_inside(e: &KeyboardEvent, dialog: &web_sys::Element) {
    if e.key() != "Tab" {
        return;
    }
    let Ok(list) = dialog.query_selector_all("button, input, select, [tabindex]") else {
        return;
    };
    let stops: Vec<web_sys::Element> = (0..list.length())
        .filter_map(|k| list.item(k))
        .filter_map(|node| node.dyn_into::<web_sys::Element>().ok())
        .filter(shown)
        .collect();
    let (Some(first), Some(last)) = (stops.first(), stops.last()) else {
        return;
    };
    let active = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.active_element());
    let at = |el: &web_sys::Element| active.as_ref() == Some(el);
    let outside = !active.as_ref().is_some_and(|a| dialog.contains(Some(a)));
    if e.shift_key() && (at(first) || outside) {
        e.prevent_default();
        focus(last);
    } else if !e.shift_key() && (at(last) || outside) {
        e.prevent_default();
        focus(first);
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
        let Some(current) = e
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|t| t.closest(selector).ok().flatten())
        else {
            return;
        };
        let all = matching(selector);
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
        MOVING.with(|m| m.set(true));
        focus(&all[to as usize]);
    })
}

/// The keys of a glyph that acts like a button in a group (a server, a message in flight):
/// Enter, or Space when the reader moved there with the keys, does what a click does; the
/// arrow keys move among the group's glyphs matching `selector`.
pub fn glyph_keys(select: Callback<()>, selector: &'static str) -> Callback<KeyboardEvent> {
    let arrows = arrow_keys(selector);
    Callback::from(move |e: KeyboardEvent| {
        let keyboard_space = e.key() == " "
            && e.target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .is_some_and(|t| chosen_with_keys(&t));
        if e.key() == "Enter" || keyboard_space {
            e.prevent_default();
            select.emit(());
        } else {
            arrows.emit(e);
        }
    })
}
