//! The virtual clock in the top bar: the one thing there that moves with every frame, so
//! a component of its own. It reads the frame's view from a context that the page
//! provides around the bar: the bar's own props change only with the run, so Yew skips
//! the bar between changes and still draws the clock, a consumer of the context, every
//! frame.

use yew::prelude::*;

use crate::ui::playground::clock_label;
use crate::ui::store::Snapshot;

/// The page's view of the current frame, for the clock.
#[derive(Clone, PartialEq)]
pub struct FrameView(pub Snapshot);

#[function_component(Clock)]
pub fn clock() -> Html {
    let Some(FrameView(view)) = use_context::<FrameView>() else {
        return html! {};
    };
    let p = view.get();
    let lang = p.lang;
    html! {
        <span class="clock" aria-label={lang.pick("Virtual time", "虚拟时间")} data-now={p.sim.now().to_string()}>
            { clock_label(p.sim.now()) }
        </span>
    }
}
