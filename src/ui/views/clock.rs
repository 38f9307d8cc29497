//! The virtual clock in the top bar: the one thing there that moves with every frame, so
//! a component of its own (the rest of the bar is drawn again only when it changes).

use yew::prelude::*;

use crate::ui::playground::clock_label;
use crate::ui::store::PanelProps;

#[function_component(Clock)]
pub fn clock(props: &PanelProps) -> Html {
    let p = props.view.get();
    let lang = p.lang;
    html! {
        <span class="clock" aria-label={lang.pick("Virtual time", "虚拟时间")} data-now={p.sim.now().to_string()}>
            { clock_label(p.sim.now()) }
        </span>
    }
}
