//! The top bar: the product's name, the virtual clock, the seed (always shown, so any run
//! can be repeated), the cluster size, the scenarios, trace files, share links and the
//! language toggle.

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::ui::clock::Clock;
use crate::ui::lang::Lang;
use crate::ui::playground::{Action, clock_label, parse_seed};
use crate::ui::store::PanelProps;
use crate::ui::tour::TourAction;
use crate::ui::words::scenario_title;

#[function_component(TopBar)]
pub fn top_bar(props: &PanelProps) -> Html {
    let p = props.view.get();
    let lang = p.lang;
    let seed_input = use_node_ref();
    let size_select = use_node_ref();
    let seed = p.seed();
    let servers = p.servers() as u8;
    // The field is not controlled: this bar redraws whenever the run changes, and a
    // controlled value would wipe out what the user is typing. It shows the new seed after each reset.
    {
        let seed_input = seed_input.clone();
        use_effect_with(seed, move |seed| {
            if let Some(input) = seed_input.cast::<HtmlInputElement>() {
                input.set_value(&seed.to_string());
            }
        });
    }

    // A refused seed stays in its field, marked invalid and described by the notice that
    // says why (WCAG 3.3.1), until it is edited.
    let seed_invalid = use_state(|| false);
    let reset_with_typed_seed = {
        let (dispatch, seed_input, invalid) = (
            props.dispatch.clone(),
            seed_input.clone(),
            seed_invalid.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(input) = seed_input.cast::<HtmlInputElement>() else {
                return;
            };
            match parse_seed(lang, &input.value()) {
                Ok(seed) => {
                    invalid.set(false);
                    dispatch.emit(Action::Reset { seed, servers })
                }
                Err(message) => {
                    invalid.set(true);
                    dispatch.emit(Action::Notify(message));
                }
            }
        })
    };
    let new_seed = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_| {
            let mut bytes = [0u8; 4];
            let fresh = if getrandom::fill(&mut bytes).is_ok() {
                u64::from(u32::from_le_bytes(bytes) % 1_000_000)
            } else {
                seed.wrapping_add(1)
            };
            dispatch.emit(Action::Reset {
                seed: fresh,
                servers,
            });
        })
    };
    let resize = {
        let (dispatch, size_select) = (props.dispatch.clone(), size_select.clone());
        Callback::from(move |_| {
            let Some(select) = size_select.cast::<HtmlSelectElement>() else {
                return;
            };
            // Arrows on a focused menu would change it again (and reset the run).
            let _ = select.blur();
            if let Ok(n) = select.value().parse::<u8>() {
                dispatch.emit(Action::Reset { seed, servers: n });
            }
        })
    };
    let copy_link = {
        let dispatch = props.dispatch.clone();
        let view = props.view.clone();
        Callback::from(move |_| {
            let Some(window) = web_sys::window() else {
                return;
            };
            // Built on click, not on every frame: the script grows with the run.
            let (payload, clock_label_now) = {
                let p = view.get();
                (p.link_payload(), clock_label(p.sim.now()))
            };
            let payload = match payload {
                Ok(payload) => payload,
                Err(why) => {
                    dispatch.emit(Action::Notify(why));
                    return;
                }
            };
            let fragment = format!("#/run/{payload}");
            // replaceState, not location.hash: the page already shows this run, so no
            // hashchange should reopen it.
            if let Ok(history) = window.history() {
                let _ = history.replace_state_with_url(
                    &wasm_bindgen::JsValue::NULL,
                    "",
                    Some(&fragment),
                );
            }
            let url = window.location().href().unwrap_or(fragment);
            let promise = window.navigator().clipboard().write_text(&url);
            // Without clipboard permission the promise rejects; the address bar still has
            // the link, so a refusal is not an error worth a console message.
            let ignore =
                wasm_bindgen::closure::Closure::once_into_js(|_: wasm_bindgen::JsValue| {});
            if let Ok(catch) = js_sys::Reflect::get(&promise, &"catch".into())
                && let Some(catch) = wasm_bindgen::JsCast::dyn_ref::<js_sys::Function>(&catch)
            {
                let _ = catch.call1(&promise, &ignore);
            }
            dispatch.emit(Action::Notify(match lang {
                Lang::En => format!(
                    "Link copied: it reopens this run at {clock_label_now} (the address bar shows it too)."
                ),
                Lang::Zh => format!(
                    "分享链接已复制：它会在 {clock_label_now} 处重新打开这次运行（地址栏里也有这个链接）。"
                ),
            }));
        })
    };
    let export = {
        let view = props.view.clone();
        let dispatch = props.dispatch.clone();
        Callback::from(move |_| {
            let (json, name, problem) = {
                let p = view.get();
                (
                    crate::sim::export_json(&p.sim),
                    format!("raft-trace-seed-{}.json", p.seed()),
                    p.export_problem(),
                )
            };
            // Saved even then (its events can be read), but never as if it would reopen.
            if let Some(problem) = problem {
                dispatch.emit(Action::Notify(problem));
            }
            if download(&json, &name, "application/json").is_none() {
                dispatch.emit(Action::Notify(
                    lang.pick(
                        "The browser refused to save the trace file.",
                        "浏览器拒绝保存轨迹文件。",
                    )
                    .into(),
                ));
            }
        })
    };
    let import = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |e: Event| {
            let Some(input) = e.target_dyn_into::<HtmlInputElement>() else {
                return;
            };
            let Some(file) = input.files().and_then(|f| f.get(0)) else {
                return;
            };
            input.set_value("");
            // Keys go back to the page: Space on a focused file input would reopen
            // the file chooser instead of playing.
            let _ = input.blur();
            if file.size() > crate::sim::MAX_TRACE_BYTES as f64 {
                dispatch.emit(Action::Notify(
                    lang.pick(
                        "This file is too large to be a Raft Playground trace. The running cluster is unchanged.",
                        "这个文件太大，不可能是 Raft Playground 的轨迹文件。正在运行的集群没有改变。",
                    )
                    .into(),
                ));
                return;
            }
            let dispatch = dispatch.clone();
            on_resolve(&file.text(), move |text| match text.as_string() {
                Some(text) => dispatch.emit(Action::ImportTrace(text)),
                None => dispatch.emit(Action::Notify(
                    lang.pick(
                        "The file could not be read as text.",
                        "无法把这个文件读成文本。",
                    )
                    .into(),
                )),
            });
        })
    };
    let pick_scenario = Callback::from(move |e: Event| {
        let Some(select) = e.target_dyn_into::<HtmlSelectElement>() else {
            return;
        };
        let name = select.value();
        select.set_value("");
        // → right after would otherwise pick the next scenario on a focused menu.
        let _ = select.blur();
        if !name.is_empty()
            && let Some(window) = web_sys::window()
        {
            // Through the address, so the scenario's link is there to copy, and opening
            // the same scenario twice in a row still reloads it.
            let _ = window.location().set_hash("");
            let _ = window.location().set_hash(&format!("/scenario/{name}"));
        }
    });
    let help = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_| dispatch.emit(Action::ToggleHelp))
    };
    let switch_lang = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_| dispatch.emit(Action::SetLang(lang.other())))
    };
    // Said in both languages: whoever cannot read the page's language can still find it.
    let switch_label = lang.pick(
        "切换到中文 · Switch to Chinese",
        "Switch to English · 切换到英文",
    );

    let in_tour = p.tour.is_some();
    let tour = {
        let d = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| {
            d.emit(Action::Tour(if in_tour {
                TourAction::TryItYourself
            } else {
                TourAction::Resume
            }))
        })
    };
    html! {
        <header class="top-bar">
            <h1>{ "Raft Playground" }</h1>
            <button class={classes!("tour-button", in_tour.then_some("active"))} data-tour-button="" onclick={tour}
                title={if in_tour { lang.pick("Leave the tour for the sandbox, keeping this run", "离开导览，带着当前运行进入沙盒") } else { lang.pick("A guided tour of Raft, step by step", "Raft 分步导览") }}>
                { if in_tour { lang.pick("Sandbox", "沙盒") } else { lang.pick("Tour ▸", "导览 ▸") } }
            </button>
            <a class="lab-link button-like" href="#/lab/figure-16"
                title={lang.pick("Experiments: the paper's Figure 16, and breaking a rule of Figure 2", "实验：论文的图 16，以及违反图 2 的一条规则")}>
                { lang.pick("Lab", "实验室") }
            </a>
            <Clock />
            <form class="seed" onsubmit={reset_with_typed_seed}>
                <label for="seed-input">{ lang.pick("seed", "种子") }</label>
                <input id="seed-input" ref={seed_input} inputmode="numeric" aria-label={lang.pick("Seed", "种子")} size="8"
                    aria-invalid={seed_invalid.then_some("true")} aria-describedby={(*seed_invalid && p.notice.is_some()).then_some("notice")}
                    oninput={let invalid = seed_invalid.clone(); Callback::from(move |_: InputEvent| invalid.set(false))} />
                <button type="submit" title={lang.pick("Start again from this seed", "用这个种子重新开始")}>
                    { lang.pick("Reset", "重置") }
                </button>
                <button type="button" onclick={new_seed} title={lang.pick("Start again from a new random seed", "换一个随机种子重新开始")}>
                    { lang.pick("New seed", "新种子") }
                </button>
            </form>
            <label class="size">
                { lang.pick("servers ", "服务器 ") }
                <select ref={size_select} aria-label={lang.pick("Cluster size", "集群规模")} onchange={resize}
                    onkeydown={crate::ui::controls::menu_keys()}>
                    { for (1..=crate::sim::MAX_SERVERS).filter(|&n| offered_size(n) || n == servers).map(|n| html! {
                        <option value={n.to_string()} selected={n == servers}>{ n }</option>
                    }) }
                </select>
            </label>
            <select class="scenarios" onchange={pick_scenario} onkeydown={crate::ui::controls::menu_keys()} aria-label={lang.pick("Scenarios", "场景")}>
                <option value="" selected=true>{ lang.pick("Scenarios…", "场景…") }</option>
                { for crate::sim::SCENARIOS.iter().map(|name| html! {
                    <option value={*name}>{ scenario_title(lang, name).unwrap_or(*name) }</option>
                }) }
            </select>
            <button class="export" onclick={export} title={lang.pick("Save this run as a JSON trace file", "把这次运行保存为轨迹文件（JSON）")}>
                { lang.pick("Export trace", "导出轨迹") }
            </button>
            <label class="import button-like" title={lang.pick("Open a trace file saved with Export trace", "打开用“导出轨迹”保存的轨迹文件")}>
                { lang.pick("Import trace", "导入轨迹") }
                <input type="file" accept=".json,application/json" onchange={import} aria-label={lang.pick("Import trace", "导入轨迹")} />
            </label>
            <button class="copy-link" onclick={copy_link} title={lang.pick("Copy a link that reopens exactly this run", "复制一个分享链接，它能原样重新打开这次运行")}>
                { lang.pick("Copy link", "复制链接") }
            </button>
            <button class="lang-toggle" data-lang-toggle="" onclick={switch_lang} lang={lang.other().code()}
                aria-label={switch_label}>
                { lang.other().own_name() }
            </button>
            <button class="help-button" onclick={help} aria-label={lang.pick("Keyboard shortcuts", "键盘快捷键")}
                title={lang.pick("Keyboard shortcuts (?)", "键盘快捷键（?）")}>{ "?" }</button>
        </header>
    }
}

/// Saves `text` as a file of type `mime` through a temporary link to a Blob.
pub fn download(text: &str, name: &str, mime: &str) -> Option<()> {
    use wasm_bindgen::JsCast;
    let document = web_sys::window()?.document()?;
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).ok()?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).ok()?;
    let link: web_sys::HtmlAnchorElement = document.create_element("a").ok()?.dyn_into().ok()?;
    link.set_href(&url);
    link.set_download(name);
    link.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Some(())
}

/// Calls `then` with what `promise` resolves to; a rejection is ignored (callers report
/// what they can without it).
pub fn on_resolve(promise: &js_sys::Promise, then: impl FnOnce(wasm_bindgen::JsValue) + 'static) {
    use wasm_bindgen::JsCast;
    let ok = wasm_bindgen::closure::Closure::once_into_js(then);
    let ignore = wasm_bindgen::closure::Closure::once_into_js(|_: wasm_bindgen::JsValue| {});
    if let Ok(method) = js_sys::Reflect::get(promise, &"then".into())
        && let Some(method) = method.dyn_ref::<js_sys::Function>()
    {
        let _ = method.call2(promise, &ok, &ignore);
    }
}

/// The cluster sizes the menu offers: odd ones, as real clusters are, and 4, the smallest
/// where two candidates can tie 2 to 2 (a clean split vote).
fn offered_size(n: u8) -> bool {
    n >= 3 && (n % 2 == 1 || n == 4)
}
