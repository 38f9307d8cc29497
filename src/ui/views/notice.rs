//! The page's one notice: the answer to the last thing the reader did that could not be
//! done ("… is not a seed"), or news about it ("Link copied"). It sits at the top of the
//! side column, right under the cluster on a phone, so it is seen where it was caused;
//! the narration's live region speaks it.

use yew::prelude::*;

use crate::ui::playground::Action;
use crate::ui::store::PanelProps;

#[function_component(Notice)]
pub fn notice(props: &PanelProps) -> Html {
    let p = props.view.get();
    let lang = p.lang;
    let dismiss = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_| dispatch.emit(Action::DismissNotice))
    };
    match &p.notice {
        // The id lets a refused field point at the reason (aria-describedby).
        Some(notice) => html! {
            <div class="notice" id="notice">
                <span>{ notice }</span>
                <button onclick={dismiss} aria-label={lang.pick("Dismiss message", "关闭这条提示")}>{ "×" }</button>
            </div>
        },
        None => html! {},
    }
}
