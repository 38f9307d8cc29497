//! The inspector: a clicked server's Figure 2 state and what can be done to it, or a
//! clicked message's every field and a button to drop it.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::playground::{Action, Selection};
use super::store::PanelProps;
use super::words::{leader_progress, message_fields, server_fields};
use crate::raft::{Command, server_name};
use crate::sim::{Intervention, WriteTarget};

#[function_component(Inspector)]
pub fn inspector(props: &PanelProps) -> Html {
    let p = props.view.get();
    let close = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_| dispatch.emit(Action::Select(Selection::Nothing)))
    };
    let write_input = use_node_ref();
    let body = match p.selected {
        Selection::Nothing => html! {
            <p class="hint">
                { "Click a server to see its state (currentTerm, votedFor, commitIndex…) and to crash it or send it a write. Click a message to see its fields. Press ? for shortcuts." }
            </p>
        },
        Selection::Message(id) => match p.sim.in_flight().iter().find(|m| m.id == id) {
            Some(m) => {
                let drop = {
                    let dispatch = props.dispatch.clone();
                    Callback::from(move |_| {
                        dispatch.emit(Action::Do(Intervention::DropMessage(id)))
                    })
                };
                html! {
                    <>
                        <h2>{ format!("Message #{id}") }</h2>
                        { fields(message_fields(m)) }
                        <button onclick={drop}>{ "Drop this message" }</button>
                    </>
                }
            }
            None => html! {
                <>
                    <h2>{ format!("Message #{id}") }</h2>
                    <p class="hint">{ "This message is no longer in flight: it was delivered or dropped. The event log says which." }</p>
                </>
            },
        },
        Selection::Server(id) => {
            let node = p.sim.node(id);
            let up = p.sim.is_up(id);
            let name = server_name(id);
            let act = |intervention: Intervention| {
                let dispatch = props.dispatch.clone();
                Callback::from(move |_| dispatch.emit(Action::Do(intervention.clone())))
            };
            let write = {
                let (dispatch, input) = (props.dispatch.clone(), write_input.clone());
                Callback::from(move |e: SubmitEvent| {
                    e.prevent_default();
                    let Some(input) = input.cast::<HtmlInputElement>() else {
                        return;
                    };
                    let text = input.value();
                    let text = if text.trim().is_empty() {
                        "SET x 1".to_string()
                    } else {
                        text
                    };
                    match Command::parse(&text) {
                        Ok(command) => dispatch.emit(Action::Do(Intervention::ClientWrite {
                            to: WriteTarget::Server(id),
                            command,
                        })),
                        Err(e) => dispatch.emit(Action::Notify(e)),
                    }
                })
            };
            let progress = leader_progress(node);
            let n = p.servers() as u8;
            let links = p.sim.links();
            html! {
                <>
                    <h2>{ &name }</h2>
                    { fields(server_fields(node, up)) }
                    if !progress.is_empty() {
                        <table class="progress">
                            <tr><th>{ "follower" }</th><th>{ "nextIndex" }</th><th>{ "matchIndex" }</th></tr>
                            { for progress.iter().map(|(f, next, matched)| html! {
                                <tr><td>{ server_name(*f) }</td><td>{ next }</td><td>{ matched }</td></tr>
                            }) }
                        </table>
                    }
                    <div class="actions">
                        if up {
                            <button onclick={act(Intervention::Crash(id))}>{ format!("Crash {name}") }</button>
                            <button onclick={act(Intervention::Timeout(id))}>{ "Time out now" }</button>
                        } else {
                            <button onclick={act(Intervention::Restart(id))}>{ format!("Restart {name}") }</button>
                        }
                        <button onclick={act(Intervention::Isolate(id))}>{ "Isolate" }</button>
                    </div>
                    <form class="write" onsubmit={write}>
                        <label for="server-write">{ format!("Client write to {name}") }</label>
                        <input id="server-write" ref={write_input} placeholder="SET x 1" aria-label={format!("Command for {name}")} />
                        <button type="submit">{ "Send" }</button>
                    </form>
                    <details class="link-table">
                        <summary>{ "Links (cut one way or both)" }</summary>
                        <table>
                            { for (0..n).filter(|&o| o != id).map(|o| {
                                let out_cut = links.is_cut(id, o);
                                let in_cut = links.is_cut(o, id);
                                let toggle_out = if out_cut { act(Intervention::RestoreLink { from: id, to: o }) } else { act(Intervention::CutLink { from: id, to: o }) };
                                let toggle_in = if in_cut { act(Intervention::RestoreLink { from: o, to: id }) } else { act(Intervention::CutLink { from: o, to: id }) };
                                html! {
                                    <tr>
                                        <td><button class={classes!(out_cut.then_some("cut"))} onclick={toggle_out}
                                            aria-label={format!("{} link {name} to {}", if out_cut { "Restore" } else { "Cut" }, server_name(o))}>
                                            { format!("{name} → {} {}", server_name(o), if out_cut { "✂ cut" } else { "ok" }) }
                                        </button></td>
                                        <td><button class={classes!(in_cut.then_some("cut"))} onclick={toggle_in}
                                            aria-label={format!("{} link {} to {name}", if in_cut { "Restore" } else { "Cut" }, server_name(o))}>
                                            { format!("{} → {name} {}", server_name(o), if in_cut { "✂ cut" } else { "ok" }) }
                                        </button></td>
                                    </tr>
                                }
                            }) }
                        </table>
                    </details>
                </>
            }
        }
    };
    html! {
        <section class="inspector" aria-label="Inspector">
            if p.selected != Selection::Nothing {
                <button class="close" onclick={close} aria-label="Close inspector">{ "×" }</button>
            }
            { body }
        </section>
    }
}

fn fields(rows: Vec<(&'static str, String)>) -> Html {
    html! {
        <dl class="fields">
            { for rows.into_iter().map(|(k, v)| html! { <><dt>{ k }</dt><dd data-field={k}>{ v }</dd></> }) }
        </dl>
    }
}
