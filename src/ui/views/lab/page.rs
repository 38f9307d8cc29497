//! The page around the lab: its name, a way back to the playground, the two experiments
//! as tabs (links, so each has an address to share), and the language toggle.

use yew::prelude::*;

use crate::ui::lab::LabPage;
use crate::ui::playground::Action;
use crate::ui::store::PanelProps;
use crate::ui::views::lab::break_rule::BreakRule;
use crate::ui::views::lab::figure16::Figure16;

#[function_component(Lab)]
pub fn lab(props: &PanelProps) -> Html {
    let p = props.view.get();
    let lang = p.lang;
    // Arriving on a lab page (from the sandbox, a tab, Back), a keyboard or screen
    // reader starts at its heading rather than nowhere.
    use_effect_with(p.lab.shown, |_| {
        crate::ui::focus::focus_if_lost(".lab-experiment h2");
    });
    let Some(shown) = p.lab.shown else {
        return html! {};
    };
    let switch_lang = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_| dispatch.emit(Action::SetLang(lang.other())))
    };
    let tab = |page: LabPage, label: &'static str| {
        let current = shown == page;
        html! {
            <a href={page.fragment()} class={classes!("lab-tab", current.then_some("current"))}
                aria-current={current.then_some("page")}>{ label }</a>
        }
    };
    html! {
        <div class="lab-page" data-mounted="true">
            <header class="top-bar lab-bar">
                <h1>{ "Raft Playground" }<span class="lab-name">{ lang.pick(" · Lab", " · 实验室") }</span></h1>
                <nav aria-label={lang.pick("Experiments", "实验")}>
                    { tab(LabPage::Figure16, lang.pick("Figure 16: election time", "图 16：选举用时")) }
                    { tab(LabPage::Break, lang.pick("Break a rule", "违反一条规则")) }
                </nav>
                <a class="back-to-playground" href="#/">{ lang.pick("← Playground", "← 演练场") }</a>
                <button class="lang-toggle" data-lang-toggle="" onclick={switch_lang} lang={lang.other().code()}
                    aria-label={lang.pick("切换到中文 · Switch to Chinese", "Switch to English · 切换到英文")}>
                    { lang.other().own_name() }
                </button>
            </header>
            <div class="lab-main">
                if let Some(notice) = &p.notice {
                    <p class="lab-notice" role="alert">{ notice }</p>
                }
                {
                    match shown {
                        LabPage::Figure16 => html! { <Figure16 view={props.view.clone()} dispatch={props.dispatch.clone()} /> },
                        LabPage::Break => html! { <BreakRule view={props.view.clone()} dispatch={props.dispatch.clone()} /> },
                    }
                }
            </div>
        </div>
    }
}
