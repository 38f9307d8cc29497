//! The page's one live region: always in the page (a region inserted together with its
//! text is often not read), polite, visually hidden; it says what
//! [`crate::ui::narration`] derives from the run, or the answer to what a person did.

use yew::prelude::*;

use crate::ui::store::PanelProps;

#[function_component(Narration)]
pub fn narration(props: &PanelProps) -> Html {
    let p = props.view.get();
    html! {
        <div class="narration visually-hidden" role="status" aria-live="polite" aria-atomic="true"
            data-narration="true">
            { p.narration.clone() }
        </div>
    }
}
