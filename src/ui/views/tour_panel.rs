//! The tour's caption box: chapter menu, Back / Next (first, so that they never move
//! whatever the length of the caption or a question under it), the action a step
//! invites, the step's caption, and its question or its answer. In presenter mode the same
//! box is a subtitle band across the bottom of the screen.

use yew::prelude::*;

use crate::sim::tour::{CHAPTERS, Invite};
use crate::ui::lang::Lang;
use crate::ui::playground::Action;
use crate::ui::store::PanelProps;
use crate::ui::tour::TourAction;
use crate::ui::tour_text::{
    answer_text, caption, chapter_title, invite_text, options, question_text, reveal_text,
};

#[function_component(TourPanel)]
pub fn tour_panel(props: &PanelProps) -> Html {
    let p = props.view.get();
    let Some(t) = p.tour.as_ref() else {
        return html! {};
    };
    let lang = p.lang;
    let d = props.dispatch.clone();
    let act = move |a: TourAction| {
        let d = d.clone();
        Callback::from(move |_: MouseEvent| d.emit(Action::Tour(a.clone())))
    };
    let pick_chapter = {
        let d = props.dispatch.clone();
        Callback::from(move |e: Event| {
            let select = e.target_dyn_into::<web_sys::HtmlSelectElement>();
            let value = select.as_ref().map(|s| s.value()).unwrap_or_default();
            // Hand the keys back to the page: ← and → on a focused menu would change
            // the chapter instead of the step.
            if let Some(s) = select {
                let _ = s.blur();
            }
            if let Ok(chapter) = value.parse::<usize>() {
                d.emit(Action::Tour(TourAction::Open { chapter, step: 0 }));
            }
        })
    };
    let toggle_presenter = {
        let d = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| d.emit(Action::TogglePresenter))
    };

    let step = &CHAPTERS[t.chapter].steps[t.step];
    let checkpoint = &t.checkpoint;
    // While a step plays, its caption would tell what the animation is about to show.
    let text = if t.arrived {
        caption(lang, t.chapter, t.step, checkpoint)
    } else {
        lang.pick("▶ Watch the servers…", "▶ 请看服务器……")
            .to_string()
    };
    let expect_leaders = checkpoint.leaders().len();
    let expect_candidates = crate::sim::tour::candidates(checkpoint).len();
    let next_label = match (t.arrived, t.step + 1 == t.steps()) {
        (false, _) => lang.pick("Skip ▶▶", "跳过 ▶▶"),
        (true, true) => lang.pick("Next chapter ▶", "下一章 ▶"),
        (true, false) => lang.pick("Next ▶", "下一步 ▶"),
    };

    let question = t.open_question().filter(|_| t.arrived).map(|asked| {
        let choices = options(asked.question, checkpoint);
        html! {
            <div class="question" data-question="open">
                <p class="ask">{ lang.pick("Predict: ", "先预测：") }{ question_text(lang, asked.question) }</p>
                <div class="choices" role="group">
                    { for choices.into_iter().map(|c| {
                        let picked = asked.guess == Some(c);
                        html! {
                            <button class={classes!("choice", picked.then_some("picked"))}
                                aria-pressed={picked.to_string()}
                                onclick={act(TourAction::Guess(c))}>
                                { answer_text(lang, asked.question, c) }
                            </button>
                        }
                    }) }
                </div>
            </div>
        }
    });
    let reveal = t.revealed().map(|(q, guess, answer)| {
        let right = guess.map(|g| g == answer);
        html! {
            <p class={classes!("reveal", right.map(|r| if r { "right" } else { "wrong" }))} data-question="revealed">
                <span class="asked">{ question_text(lang, q) }</span>{ " " }
                { reveal_text(lang, q, guess, answer) }
            </p>
        }
    });
    let invite = step.invite.filter(|_| t.arrived).map(|i| {
        let action = if i == Invite::FreePlay {
            TourAction::TryItYourself
        } else {
            TourAction::Next
        };
        html! {
            <button class={classes!("invite", (i == Invite::CrashLeader).then_some("danger"))} data-invite="true" onclick={act(action)}>
                { invite_text(lang, i, checkpoint) }
            </button>
        }
    });

    html! {
        <section class="tour" aria-label={lang.pick("Guided tour", "导览")}
            data-tour-chapter={t.chapter_id()}
            data-tour-step={(t.step + 1).to_string()}
            data-tour-state={if t.arrived { "ready" } else { "playing" }}
            data-expect-leaders={expect_leaders.to_string()}
            data-expect-candidates={expect_candidates.to_string()}>
            <header class="tour-head">
                <select class="chapters" aria-label={lang.pick("Chapter", "章节")} onchange={pick_chapter}
                    onkeydown={crate::ui::controls::menu_keys()}>
                    { for (0..CHAPTERS.len()).map(|c| html! {
                        <option value={c.to_string()} selected={c == t.chapter}>
                            { format!("{}. {}", c + 1, chapter_title(lang, c)) }
                        </option>
                    }) }
                </select>
                <span class="where">{ step_counter(lang, t.step + 1, t.steps()) }</span>
                <button class="presenter-toggle" onclick={toggle_presenter}
                    title={lang.pick("Presenter mode: large type for a projector (P)", "演示模式：适合投影的大字体（P）")}>
                    { if p.presenter { lang.pick("Exit presenter", "退出演示") } else { lang.pick("Presenter", "演示模式") } }
                </button>
            </header>
            <nav class="tour-nav">
                // aria-disabled, not disabled: a disabled button drops the focus to <body>
                // when the last step (or the first, going back) is reached. Pressed there,
                // they do nothing.
                <button class="back" onclick={act(TourAction::Back)} aria-disabled={t.is_first().then_some("true")}
                    title={lang.pick("Back (←)", "上一步（←）")}>{ lang.pick("◀ Back", "◀ 上一步") }</button>
                { for invite }
                <button class="next" onclick={act(TourAction::Next)} aria-disabled={(t.is_last() && t.arrived).then_some("true")}
                    title={lang.pick("Next (→)", "下一步（→）")}>{ next_label }</button>
                <button class="try" onclick={act(TourAction::TryItYourself)}
                    title={lang.pick("Leave the tour: the sandbox starts from this exact state", "离开导览：沙盒从当前这一刻的状态开始")}>
                    { lang.pick("Try it yourself", "自己试试") }
                </button>
            </nav>
            <p class={classes!("caption", (!t.arrived).then_some("playing"))} aria-live="polite">{ text }</p>
            // One stable live region for the question and its answer: a line inserted on
            // its own ("You said S3; the run says S2 ✗") is often not read.
            <div class="qa" aria-live="polite">
                { for question }
                { for reveal }
            </div>
        </section>
    }
}

fn step_counter(lang: Lang, k: usize, n: usize) -> String {
    match lang {
        Lang::En => format!("step {k} of {n}"),
        Lang::Zh => format!("第 {k} 步，共 {n} 步"),
    }
}
