//! "Break a rule": pick one rule of Figure 2 to switch off (or none), search seeded fault
//! schedules for a run that breaks a safety invariant, and open the shrunk run in the
//! sandbox, paused just before it breaks. Every sentence about a result comes from the
//! search (how many runs, what the checker found); the rule's own sentences say why it
//! is there.

use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::raft::BrokenRule;
use crate::ui::lab::{BUDGETS, LabAction, SearchRecord, fraction};
use crate::ui::lab_text::{rule_broken_means, rule_title, what_went_wrong};
use crate::ui::lang::Lang;
use crate::ui::playground::Action;
use crate::ui::store::PanelProps;
use crate::ui::words::{intervention_words, invariant_name, violation_detail};

#[function_component(BreakRule)]
pub fn break_rule(props: &PanelProps) -> Html {
    let p = props.view.get();
    let lang = p.lang;
    let b = &p.lab.breaking;
    let running = b.running;
    let budget_changed = {
        let d = props.dispatch.clone();
        Callback::from(move |e: Event| {
            if let Some(select) = e.target_dyn_into::<HtmlSelectElement>()
                && let Ok(n) = select.value().parse::<u64>()
            {
                d.emit(Action::Lab(LabAction::SetBudget(n)));
            }
        })
    };
    let open = {
        let view = props.view.clone();
        Callback::from(move |_| {
            let link = view.get().lab.counterexample_link();
            if let (Some(link), Some(w)) = (link, web_sys::window()) {
                let _ = w.location().set_hash(link.trim_start_matches('#'));
            }
        })
    };
    // The address names the rule chosen, so the page can be shared as it is.
    let choose = |rule: Option<BrokenRule>| {
        let d = props.dispatch.clone();
        Callback::from(move |_: Event| {
            d.emit(Action::Lab(LabAction::ChooseRule(rule)));
            let address = match rule {
                Some(r) => format!("#/lab/break/{}", r.slug()),
                None => "#/lab/break".to_string(),
            };
            if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
                let _ = history.replace_state_with_url(
                    &wasm_bindgen::JsValue::NULL,
                    "",
                    Some(&address),
                );
            }
        })
    };
    let choice = |rule: Option<BrokenRule>| {
        let checked = b.rule == rule;
        let (title, means) = match rule {
            Some(r) => (rule_title(lang, r), rule_broken_means(lang, r)),
            None => (
                lang.pick("Keep every rule", "遵守所有规则"),
                lang.pick(
                    "The node as Figure 2 has it: the same schedules should break nothing.",
                    "按图 2 原样实现的节点：同样的调度不应破坏任何性质。",
                ),
            ),
        };
        let liveness = rule.is_some_and(|r| !r.is_about_safety());
        html! {
            <label class={classes!("rule-choice", checked.then_some("chosen"))}>
                <input type="radio" name="broken-rule" checked={checked} disabled={running}
                    value={rule.map_or("none", |r| r.slug())}
                    onchange={choose(rule)} />
                <span class="rule-title">{ title }
                    if liveness { <span class="badge">{ lang.pick(" liveness, not safety", " 关乎活性，不关乎安全") }</span> }
                </span>
                <span class="rule-means">{ means }</span>
            </label>
        }
    };
    let record = b.current.as_ref();
    html! {
        <section class="lab-experiment break-rule" aria-labelledby="break-title">
            <h2 id="break-title" tabindex="-1">{ lang.pick("Break a rule: why each rule of Figure 2 is there", "违反一条规则：图 2 的每条规则为什么存在") }</h2>
            <p class="lab-setup">{ lang.pick(
                "Switch one rule off in every server, and the search runs seeded random fault schedules (crashes and restarts, partitions, lost messages, forced timeouts and client writes on 3 or 5 servers) with the safety checker on after every event, until it fires. Then it shrinks the schedule, removing interventions while the same invariant still breaks, and opens the smallest run in the sandbox.",
                "在每台服务器上关掉一条规则，搜索会运行带种子的随机故障调度（在 3 或 5 台服务器上崩溃和重启、分区、丢消息、强制超时和客户端写入），每个事件之后都运行安全检查器，直到它报警。然后缩减调度：在同一性质仍被破坏的前提下去掉干预，并在沙盒中打开最小的那次运行。") }</p>
            <form class="lab-form" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
                <fieldset class="rules">
                    <legend>{ lang.pick("The rule to break", "要违反的规则") }</legend>
                    { choice(None) }
                    { for BrokenRule::ALL.into_iter().map(|r| choice(Some(r))) }
                </fieldset>
                <div class="lab-run">
                    <label>
                        { lang.pick("schedules to try at most ", "最多尝试的调度数 ") }
                        <select onchange={budget_changed} disabled={running} onkeydown={crate::ui::controls::menu_keys()}>
                            { for BUDGETS.into_iter().map(|n| html! {
                                <option value={n.to_string()} selected={n == b.budget}>{ n }</option>
                            }) }
                        </select>
                    </label>
                    if running {
                        <button type="button" class="cancel" onclick={super::on::<MouseEvent>(&props.dispatch, LabAction::Cancel)}>{ lang.pick("Cancel (Esc)", "取消（Esc）") }</button>
                    } else {
                        <button type="button" class="run primary" onclick={super::on::<MouseEvent>(&props.dispatch, LabAction::Search)}>
                            { lang.pick("Find a counterexample", "寻找反例") }
                        </button>
                    }
                    if let Some(r) = record {
                        <progress max="1000" value={(if r.search.found.is_some() { 1000.0 } else { (fraction(r.search.tried, r.search.budget) * 1000.0).round() }).to_string()}
                            aria-label={lang.pick("Schedules tried", "已尝试的调度")}></progress>
                        // Said once it is over, not at every slice (a live region that
                        // changed each frame would talk over everything).
                        <span class="lab-progress" role={(!running).then_some("status")}>{ progress_line(lang, r, running) }</span>
                    }
                </div>
            </form>
            if let Some(r) = record.filter(|_| !running) {
                { result(lang, r, p.lab.intact_record(r.search.budget), open) }
            }
        </section>
    }
}

fn progress_line(lang: Lang, r: &SearchRecord, running: bool) -> String {
    let s = &r.search;
    // A rate over less than half a second of frames says little: none is shown then.
    let rate = if r.elapsed_ms >= 500.0 {
        let per_second = (s.tried as f64 * 1000.0 / r.elapsed_ms).round() as u64;
        match lang {
            Lang::En => format!(" ({per_second} runs a second)"),
            Lang::Zh => format!("（每秒 {per_second} 次运行）"),
        }
    } else {
        String::new()
    };
    let (tried, budget) = (s.tried, s.budget);
    if let (true, Some(left)) = (running, s.shrinking_steps()) {
        return match lang {
            Lang::En => {
                format!("Run {tried} broke an invariant; shrinking it: {left} interventions left")
            }
            Lang::Zh => format!("第 {tried} 次运行破坏了一条性质；正在缩减：还剩 {left} 个干预"),
        };
    }
    match (lang, running, s.found.is_some()) {
        (Lang::En, true, _) => format!("{tried} of at most {budget} schedules tried{rate}"),
        (Lang::Zh, true, _) => format!("已尝试 {tried} / 最多 {budget} 个调度{rate}"),
        (Lang::En, false, true) => {
            format!("Found by run {tried} of at most {budget}, then shrunk{rate}.")
        }
        (Lang::Zh, false, true) => {
            format!("在第 {tried} 次运行（最多 {budget} 次）时找到，随后已缩减{rate}。")
        }
        (Lang::En, false, false) if tried >= budget => {
            format!("Tried all {tried} schedules{rate}.")
        }
        (Lang::Zh, false, false) if tried >= budget => {
            format!("已尝试全部 {tried} 个调度{rate}。")
        }
        (Lang::En, false, false) => format!("Stopped after {tried} of {budget} schedules."),
        (Lang::Zh, false, false) => format!("已在 {tried} / {budget} 个调度后停止。"),
    }
}

/// What the search found, or that it found nothing, with the rule's lesson.
fn result(
    lang: Lang,
    r: &SearchRecord,
    intact: Option<&SearchRecord>,
    open: Callback<MouseEvent>,
) -> Html {
    let s = &r.search;
    let Some(found) = &s.found else {
        if s.tried < s.budget {
            return html! {};
        }
        let terms = |r: &SearchRecord| r.search.terms;
        return html! {
            <div class="lab-result nothing" data-found="false" role="status">
                <p><strong>{ match lang {
                    Lang::En => format!("No safety violation in {} runs.", s.tried),
                    Lang::Zh => format!("{} 次运行中没有发现安全性被违反。", s.tried),
                } }</strong></p>
                if let Some(rule) = s.rule {
                    <p>{ what_went_wrong(lang, rule) }</p>
                    <p class="terms">{ match (lang, intact) {
                        (Lang::En, Some(i)) => format!("Terms started over these {} runs: {} with this rule broken, {} with every rule kept (the same schedules).", s.tried, s.terms, terms(i)),
                        (Lang::Zh, Some(i)) => format!("这 {} 次运行中开始的任期数：违反这条规则时 {}，遵守所有规则时 {}（同样的调度）。", s.tried, s.terms, terms(i)),
                        (Lang::En, None) => format!("Terms started over these {} runs: {}. Search again with every rule kept to compare.", s.tried, s.terms),
                        (Lang::Zh, None) => format!("这 {} 次运行中开始的任期数：{}。选“遵守所有规则”再搜索一次即可比较。", s.tried, s.terms),
                    } }</p>
                }
            </div>
        };
    };
    let v = &found.violation;
    let steps: Vec<String> = found
        .shrunk
        .steps
        .iter()
        .map(|(at, i)| {
            format!(
                "{} {}",
                crate::sim::format_time(*at),
                intervention_words(lang, i, s.rule)
            )
        })
        .collect();
    html! {
        <div class="lab-result found" data-found="true" role="status">
            <p class="lab-violation"><strong>{ lang.pick("The safety checker fired: ", "安全检查器报警：") }</strong>
                { invariant_name(lang, v.invariant) }{ lang.pick(": ", "：") }{ violation_detail(lang, v) }</p>
            if let Some(rule) = s.rule {
                <p>{ what_went_wrong(lang, rule) }</p>
            }
            <p>{ match lang {
                Lang::En => format!("Shrunk from {} interventions to {}:", found.original_steps, steps.len()),
                Lang::Zh => format!("从 {} 个干预缩减到 {} 个：", found.original_steps, steps.len()),
            } }</p>
            <ol class="shrunk-steps">{ for steps.iter().map(|s| html! { <li>{ s }</li> }) }</ol>
            <button type="button" class="open-counterexample primary" onclick={open}>
                { lang.pick("Open it in the sandbox, paused just before the violation", "在沙盒中打开，停在违反发生之前") }
            </button>
        </div>
    }
}
