//! The bar that shows work done a slice per frame ([`crate::ui::loading`]): what is
//! being opened or rebuilt, how far it has got, and a Cancel (Esc does the same). It
//! sits over the top of the cluster, which stays as it was until the work is done.

use yew::prelude::*;

use crate::ui::playground::Action;
use crate::ui::store::PanelProps;
use crate::ui::words;

#[function_component(LoadingBar)]
pub fn loading_bar(props: &PanelProps) -> Html {
    let p = props.view.get();
    let Some(loading) = &p.loading else {
        return html! {};
    };
    let lang = p.lang;
    let line = words::loading_line(lang, loading);
    let permille = (loading.progress() * 1000.0).round();
    let cancel = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_| dispatch.emit(Action::CancelLoading))
    };
    html! {
        <div class="loading" role="group" aria-labelledby="loading-line">
            <span id="loading-line">{ line }</span>
            <progress max="1000" value={permille.to_string()} aria-labelledby="loading-line"></progress>
            <button class="cancel" onclick={cancel}>{ lang.pick("Cancel (Esc)", "取消（Esc）") }</button>
        </div>
    }
}
