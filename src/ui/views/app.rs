//! The root component: owns the store, drives the animation clock, listens for shortcuts,
//! and lays out the panels.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;
use yew::prelude::*;

use crate::sim::Intervention;
use crate::ui::clock::FrameView;
use crate::ui::cluster::Cluster;
use crate::ui::controls::Controls;
use crate::ui::event_log::EventLog;
use crate::ui::help::Help;
use crate::ui::inspector::Inspector;
use crate::ui::lang::{self, Lang, STORAGE_KEY};
use crate::ui::logs::Logs;
use crate::ui::notice::Notice;
use crate::ui::playground::{Action, PRESENTING, Playground, Selection, fragment_action};
use crate::ui::progress::LoadingBar;
use crate::ui::store::Store;
use crate::ui::top_bar::TopBar;
use crate::ui::tour_panel::TourPanel;
use crate::ui::views::narration::Narration;

/// The seed a fresh page starts from: random, so every visit shows another run; always
/// shown, so any run can be repeated.
fn fresh_seed() -> u64 {
    let mut bytes = [0u8; 4];
    // Four bytes keep seeds short enough to read out to a class.
    if getrandom::fill(&mut bytes).is_err() {
        return 42;
    }
    u64::from(u32::from_le_bytes(bytes) % 1_000_000)
}

#[function_component(App)]
pub fn app() -> Html {
    let store = use_reducer(|| match Playground::new(fresh_seed(), 5) {
        Ok(mut p) => {
            p.lang = starting_lang();
            p.shortcuts = stored(SHORTCUTS_KEY).as_deref() != Some("off");
            // Reduced motion: nothing moves until the reader presses Play.
            p.reduced_motion = prefers_reduced_motion();
            if p.reduced_motion {
                p.playing = false;
            }
            if let Some(action) = current_fragment().as_deref().and_then(fragment_action) {
                p.apply(action);
            }
            Store::new(p)
        }
        // Five servers and the default timings are always valid; this is unreachable in
        // practice, but a bug here must not blank the page.
        Err(e) => {
            crate::ui::panic::show_banner(&e);
            Store::new(Playground::new(42, 5).unwrap_or_else(|e| panic!("{e}")))
        }
    });
    // One callback for the page's life: props that hold it stay equal from render to
    // render, so a component whose data did not change is not drawn again.
    let dispatch: Callback<Action> = {
        let store = store.dispatcher();
        (*use_memo((), move |_| Callback::from(move |a| store.dispatch(a)))).clone()
    };
    let playing = store.get().playing;
    let wants_frames = store.get().wants_frames();

    use_remembered_lang(store.get().lang);
    use_focus_returns(store.get().help_open);
    use_focus_across_presenter(store.get().presenter);
    use_effect_with((), |_| crate::ui::focus::watch_how_focus_moves());
    use_animation_clock(wants_frames, dispatch.clone());
    use_shortcuts(
        dispatch.clone(),
        store.get().shortcuts,
        store.get().lab.shown.is_some(),
    );
    use_remembered_shortcuts(store.get().shortcuts);
    use_link_opener(dispatch.clone());
    use_pause_when_hidden(dispatch.clone());
    use_test_panic();
    use_tour_address({
        let p = store.get();
        p.tour.as_ref().map(|t| {
            let presenting = if p.presenter { PRESENTING } else { "" };
            format!("{}{presenting}", t.fragment())
        })
    });

    let (help_open, selected, in_tour, presenter, lang) = {
        let p = store.get();
        (
            p.help_open,
            p.selected,
            p.tour.is_some(),
            p.presenter,
            p.lang,
        )
    };
    let by_frame = store.by_frame();
    let by_revision = store.by_revision();
    if store.get().lab.shown.is_some() {
        return html! {
            <>
                <crate::ui::views::lab::page::Lab view={by_frame} dispatch={dispatch.clone()} />
                if help_open { <Help dispatch={dispatch} lang={lang} shortcuts={store.get().shortcuts} /> }
            </>
        };
    }
    html! {
        <div class={classes!("layout", playing.then_some("playing"), in_tour.then_some("in-tour"), presenter.then_some("presenter"))} data-mounted="true">
            // The bar is drawn again when the run changes; its clock every frame.
            <ContextProvider<FrameView> context={FrameView(by_frame.clone())}>
                <TopBar view={by_revision.clone()} dispatch={dispatch.clone()} />
            </ContextProvider<FrameView>>
            <section class="stage" aria-label={lang.pick("Cluster", "集群")}>
                <LoadingBar view={by_frame.clone()} dispatch={dispatch.clone()} />
                <Cluster view={by_frame.clone()} dispatch={dispatch.clone()} />
            </section>
            <aside class="side">
                if in_tour { <TourPanel view={by_frame.clone()} dispatch={dispatch.clone()} /> }
                <Notice view={by_revision.clone()} dispatch={dispatch.clone()} />
                <Inspector view={if matches!(selected, Selection::Message(_)) { by_frame.clone() } else { by_revision.clone() }} dispatch={dispatch.clone()} />
                <EventLog view={by_revision.clone()} dispatch={dispatch.clone()} />
            </aside>
            <section class="logs-panel" aria-label={lang.pick("Logs", "日志")}>
                <Logs view={store.by_logs_revision()} dispatch={dispatch.clone()} />
            </section>
            <Narration view={by_revision.clone()} dispatch={dispatch.clone()} />
            <Controls view={by_revision} dispatch={dispatch.clone()} />
            if help_open { <Help dispatch={dispatch} lang={lang} shortcuts={store.get().shortcuts} /> }
        </div>
    }
}

/// When the help closes (Close, Esc or ?), the focus goes back to the ? button that
/// opens it, after the dialog has left the page (an effect runs after the render).
#[hook]
fn use_focus_returns(help_open: bool) {
    let was_open = use_mut_ref(|| false);
    use_effect_with(help_open, move |open| {
        if std::mem::replace(&mut *was_open.borrow_mut(), *open) && !*open {
            crate::ui::focus::focus_if_lost(".help-button");
        }
    });
}

/// Presenter mode on or off hides what may have had the focus (the top bar, the tour's
/// header): the focus then goes to the button that switches it back, else to a server.
#[hook]
fn use_focus_across_presenter(presenter: bool) {
    let before = use_mut_ref(|| presenter);
    use_effect_with(presenter, move |now| {
        // Only on a change: the page's first render leaves the focus where it is.
        if std::mem::replace(&mut *before.borrow_mut(), *now) != *now {
            crate::ui::focus::focus_if_hidden(".presenter-toggle");
            crate::ui::focus::focus_if_hidden(".cluster .server");
        }
    });
}

/// The reader's earlier choice, else the browser's language.
fn starting_lang() -> Lang {
    let window = web_sys::window();
    let stored = window
        .as_ref()
        .and_then(|w| w.local_storage().ok().flatten())
        .and_then(|s| s.get_item(STORAGE_KEY).ok().flatten());
    let browser = window.as_ref().and_then(|w| w.navigator().language());
    lang::initial(stored.as_deref(), browser.as_deref())
}

/// Keeps the page's `lang` attribute (fonts, screen readers) and the stored choice in
/// step with the language shown.
#[hook]
fn use_remembered_lang(current: Lang) {
    let first = use_mut_ref(|| true);
    use_effect_with(current, move |current| {
        if let Some(w) = web_sys::window() {
            if let Some(root) = w.document().and_then(|d| d.document_element()) {
                let _ = root.set_attribute("lang", current.code());
            }
            // The first render only shows the starting language; storing it would turn
            // a browser default into a choice.
            if !*first.borrow()
                && let Ok(Some(storage)) = w.local_storage()
            {
                let _ = storage.set_item(STORAGE_KEY, current.code());
            }
        }
        *first.borrow_mut() = false;
    });
}

/// While playing, one `Frame` action per animation frame with the real time elapsed.
/// Browsers do not run animation frames in a hidden tab, so a hidden page does nothing.
/// The callback lives as long as the page: dropping a closure from inside its own call
/// (a re-render it triggered) would be a bug, so it is never dropped.
/// The one animation-frame callback of the page, shared with itself to schedule the next frame.
type FrameCallback = Rc<RefCell<Option<Rc<Closure<dyn FnMut(f64)>>>>>;

#[hook]
fn use_animation_clock(playing: bool, dispatch: Callback<Action>) {
    let running = use_mut_ref(|| Rc::new(Cell::new(false)));
    let scheduled = use_mut_ref(|| Rc::new(Cell::new(false)));
    let callback: FrameCallback = use_mut_ref(|| None);
    let dispatch_cell = use_mut_ref(|| dispatch.clone());
    *dispatch_cell.borrow_mut() = dispatch;

    let running = running.borrow().clone();
    let scheduled = scheduled.borrow().clone();
    running.set(playing);

    if callback.borrow().is_none() {
        let last = Rc::new(Cell::new(None::<f64>));
        let holder = callback.clone();
        let (running, scheduled) = (running.clone(), scheduled.clone());
        let closure = Closure::<dyn FnMut(f64)>::new(move |timestamp: f64| {
            scheduled.set(false);
            if !running.get() {
                last.set(None);
                return;
            }
            if let Some(previous) = last.get() {
                let d = dispatch_cell.borrow().clone();
                d.emit(Action::Frame {
                    elapsed_ms: timestamp - previous,
                });
            }
            last.set(Some(timestamp));
            if running.get() && !scheduled.get() {
                scheduled.set(request_frame(&holder));
            } else if !running.get() {
                last.set(None);
            }
        });
        *callback.borrow_mut() = Some(Rc::new(closure));
    }

    if playing && !scheduled.get() {
        scheduled.set(request_frame(&callback));
    }
}

fn request_frame(holder: &FrameCallback) -> bool {
    let Some(closure) = holder.borrow().clone() else {
        return false;
    };
    web_sys::window()
        .map(|w| {
            w.request_animation_frame((*closure).as_ref().unchecked_ref())
                .is_ok()
        })
        .unwrap_or(false)
}

fn current_fragment() -> Option<String> {
    web_sys::window().and_then(|w| w.location().hash().ok())
}

/// A share link or scenario link pasted into the address bar of an open page opens too.
#[hook]
fn use_link_opener(dispatch: Callback<Action>) {
    use_effect_with((), move |_| {
        let listener = Closure::<dyn Fn(web_sys::Event)>::new(move |_: web_sys::Event| {
            if let Some(action) = current_fragment().as_deref().and_then(fragment_action) {
                dispatch.emit(action);
            }
        });
        listen_on_window("hashchange", listener)
    });
}

/// The test-only panic (see `panic::TEST_PANIC_EVENT`): a panic in an event handler of the
/// running page, after Yew has started (which is when Yew used to replace the hook).
#[hook]
fn use_test_panic() {
    use_effect_with((), move |_| {
        let listener = Closure::<dyn Fn(web_sys::Event)>::new(move |_: web_sys::Event| {
            panic!(
                "a panic on purpose ({})",
                crate::ui::panic::TEST_PANIC_EVENT
            );
        });
        listen_on_window(crate::ui::panic::TEST_PANIC_EVENT, listener)
    });
}

/// A hidden tab pauses the run: nothing plays to an empty room, and coming back does not
/// jump ahead. (Animation frames stop in a hidden tab anyway; this also stops the clock.)
#[hook]
fn use_pause_when_hidden(dispatch: Callback<Action>) {
    use_effect_with((), move |_| {
        let listener = Closure::<dyn Fn(web_sys::Event)>::new(move |_: web_sys::Event| {
            let hidden = web_sys::window()
                .and_then(|w| w.document())
                .is_some_and(|d| d.hidden());
            if hidden {
                dispatch.emit(Action::Pause);
            }
        });
        // `visibilitychange` bubbles from the document to the window.
        listen_on_window("visibilitychange", listener)
    });
}

/// The address bar names the tour step shown (`#/tour/split-vote/3`), so a reload or a
/// copied address opens it again. `replaceState` does not fire `hashchange`, and Back in
/// the browser is not flooded with one entry per step.
#[hook]
fn use_tour_address(fragment: Option<String>) {
    use_effect_with(fragment, |fragment| {
        let Some(w) = web_sys::window() else { return };
        let (Ok(history), Ok(current)) = (w.history(), w.location().hash()) else {
            return;
        };
        let wanted = match fragment {
            Some(f) => f.clone(),
            // Leaving the tour: the address no longer names a step.
            None if current.starts_with("#/tour") => {
                let path = w.location().pathname().unwrap_or_default();
                let search = w.location().search().unwrap_or_default();
                format!("{path}{search}")
            }
            None => return,
        };
        if wanted != current {
            // Entering the tour keeps the page it came from (a share link, say) one
            // browser Back away; steps within the tour replace each other.
            let entering = fragment.is_some() && !current.starts_with("#/tour");
            let null = wasm_bindgen::JsValue::NULL;
            let _ = if entering {
                history.push_state_with_url(&null, "", Some(&wanted))
            } else {
                history.replace_state_with_url(&null, "", Some(&wanted))
            };
        }
    });
}

/// Adds `listener` to the window; the returned cleanup removes it (and frees it).
fn listen_on_window<E: 'static>(
    event: &'static str,
    listener: Closure<dyn Fn(E)>,
) -> impl FnOnce() {
    let window = web_sys::window();
    if let Some(w) = &window {
        let _ = w.add_event_listener_with_callback(event, listener.as_ref().unchecked_ref());
    }
    move || {
        if let Some(w) = &window {
            let _ = w.remove_event_listener_with_callback(event, listener.as_ref().unchecked_ref());
        }
    }
}

/// Whether the reader's system asks pages to reduce motion.
fn prefers_reduced_motion() -> bool {
    web_sys::window()
        .and_then(|w| {
            w.match_media("(prefers-reduced-motion: reduce)")
                .ok()
                .flatten()
        })
        .is_some_and(|m| m.matches())
}

/// Where the reader's choice to turn single-key shortcuts off is kept.
const SHORTCUTS_KEY: &str = "raft-playground-shortcuts";

fn stored(key: &str) -> Option<String> {
    web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .and_then(|s| s.get_item(key).ok().flatten())
}

/// Remembers the shortcuts switch once the reader has touched it.
#[hook]
fn use_remembered_shortcuts(on: bool) {
    let first = use_mut_ref(|| true);
    use_effect_with(on, move |on| {
        if !std::mem::replace(&mut *first.borrow_mut(), false)
            && let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten())
        {
            let _ = storage.set_item(SHORTCUTS_KEY, if *on { "on" } else { "off" });
        }
    });
}

/// RaftScope's single-key shortcuts, plus a few of our own (see the `?` panel). With
/// the switch off (WCAG 2.1.4), printable keys (letters, Space, ?) do nothing here;
/// the arrows, PageUp/PageDown and Esc still work.
#[hook]
fn use_shortcuts(dispatch: Callback<Action>, on: bool, in_lab: bool) {
    let enabled = use_mut_ref(|| Rc::new(Cell::new(on)));
    let enabled = enabled.borrow().clone();
    enabled.set(on);
    // The lab is a page to read and fill in: its keys scroll and press, and only Esc
    // (Cancel) is the page's.
    let lab = use_mut_ref(|| Rc::new(Cell::new(in_lab)));
    let lab = lab.borrow().clone();
    lab.set(in_lab);
    use_effect_with((), move |_| {
        let on_release = enabled.clone();
        let listener =
            Closure::<dyn Fn(web_sys::KeyboardEvent)>::new(move |e: web_sys::KeyboardEvent| {
                // A widget that used the key itself (arrows among the servers) keeps it.
                if e.default_prevented()
                    || e.ctrl_key()
                    || e.meta_key()
                    || e.alt_key()
                    || typing_in_a_field(&e)
                {
                    return;
                }
                if !enabled.get() && e.key().chars().count() == 1 {
                    return;
                }
                if lab.get() && e.key() != "Escape" {
                    return;
                }
                let action = match e.key().as_str() {
                    " " => Some(Action::TogglePlay),
                    // PageDown / PageUp: what a presenter's clicker sends.
                    "ArrowRight" | "n" | "N" | "PageDown" => Some(Action::Forward),
                    "ArrowLeft" | "b" | "B" | "PageUp" => Some(Action::Backward),
                    "p" | "P" => Some(Action::TogglePresenter),
                    "c" | "C" => Some(Action::WriteToLeader),
                    "r" | "R" => Some(Action::ReadFromLeader),
                    "t" | "T" => Some(Action::Do(Intervention::SpreadTimers)),
                    "a" | "A" => Some(Action::Do(Intervention::AlignTimers)),
                    "h" | "H" => Some(Action::Do(Intervention::Heal)),
                    "?" => Some(Action::ToggleHelp),
                    "Escape" => Some(Action::Escape),
                    _ => None,
                };
                if let Some(action) = action {
                    e.prevent_default();
                    dispatch.emit(action);
                }
            });
        // A button is pressed by Space on key *up*; the key down above already was
        // play/pause, so the release must not also press the last clicked button.
        let release =
            Closure::<dyn Fn(web_sys::KeyboardEvent)>::new(move |e: web_sys::KeyboardEvent| {
                if e.key() == " " && on_release.get() && !typing_in_a_field(&e) {
                    e.prevent_default();
                }
            });
        let remove_down = listen_on_window("keydown", listener);
        let remove_up = listen_on_window("keyup", release);
        move || {
            remove_down();
            remove_up();
        }
    });
}

/// Keys meant for a form field are not shortcuts: anything typed into a text field, the
/// arrows on a slider, Space on a checkbox, and a list's own keys. Space presses a button
/// the reader reached with Tab; otherwise it is play / pause, even on the button clicked
/// last (which would press it again). Enter presses the focused button. Letters still work after touching a slider, so the
/// speed can be changed and `C` pressed right after.
fn typing_in_a_field(e: &web_sys::KeyboardEvent) -> bool {
    let Some(target) = e
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
    else {
        return false;
    };
    let key = e.key();
    let arrow = matches!(
        key.as_str(),
        "ArrowLeft" | "ArrowRight" | "ArrowUp" | "ArrowDown"
    );
    match target.tag_name().as_str() {
        "INPUT" => match target.get_attribute("type").unwrap_or_default().as_str() {
            "range" => arrow || key == "Enter",
            "checkbox" => key == " " || key == "Enter",
            // A file input is a button that opens the file chooser.
            "file" => key == "Enter",
            _ => true,
        },
        "SELECT" => arrow || key == " " || key == "Enter" || key.len() == 1,
        "TEXTAREA" => true,
        // Space presses a button the reader reached with Tab, as a screen reader says it
        // will; after a click, or where the page put the focus, it is play / pause.
        "BUTTON" | "SUMMARY" => {
            key == "Enter" || (key == " " && crate::ui::focus::chosen_with_keys(&target))
        }
        _ => {
            (key == "Enter" || (key == " " && crate::ui::focus::chosen_with_keys(&target)))
                && target.get_attribute("role").as_deref() == Some("button")
        }
    }
}
