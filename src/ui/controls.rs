//! The control bar, grouped by what the controls act on: time, the cluster, the network.

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::geometry::{SPEED_MAX_EXP, SPEED_MIN_EXP, speed_label};
use super::playground::Action;
use super::store::PanelProps;
use super::timeline::Timeline;
use crate::raft::{Command, MS};
use crate::sim::{Intervention, WriteTarget};

/// One-way latency choices (min, max) in ms; the first is the default.
const LATENCIES: [(u64, u64); 4] = [(10, 20), (5, 10), (20, 40), (40, 80)];

#[function_component(Controls)]
pub fn controls(props: &PanelProps) -> Html {
    let p = props.view.get();
    let d = &props.dispatch;
    let emit = |action: Action| {
        let d = d.clone();
        Callback::from(move |_: MouseEvent| d.emit(action.clone()))
    };
    let speed = {
        let d = d.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(input) = e.target_dyn_into::<HtmlInputElement>()
                && let Ok(v) = input.value().parse::<f64>()
            {
                d.emit(Action::SetSpeed(v));
            }
        })
    };
    let write_input = use_node_ref();
    let write = {
        let (d, input) = (d.clone(), write_input.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(input) = input.cast::<HtmlInputElement>() else {
                return;
            };
            let text = input.value();
            if text.trim().is_empty() {
                d.emit(Action::WriteToLeader);
                return;
            }
            match Command::parse(&text) {
                Ok(command) => d.emit(Action::Do(Intervention::ClientWrite {
                    to: WriteTarget::Leader,
                    command,
                })),
                Err(e) => d.emit(Action::Notify(e)),
            }
        })
    };
    let loss = {
        let d = d.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(input) = e.target_dyn_into::<HtmlInputElement>()
                && let Ok(percent) = input.value().parse::<u16>()
            {
                d.emit(Action::Do(Intervention::SetLoss {
                    permille: percent.min(100) * 10,
                }));
            }
        })
    };
    let latency = {
        let d = d.clone();
        Callback::from(move |e: Event| {
            if let Some(select) = e.target_dyn_into::<HtmlSelectElement>()
                && let Some(&(min, max)) = select
                    .value()
                    .parse::<usize>()
                    .ok()
                    .and_then(|k| LATENCIES.get(k))
            {
                d.emit(Action::Do(Intervention::SetLatency {
                    min: min * MS,
                    max: max * MS,
                }));
            }
        })
    };
    let net = &p.sim.config().net;
    let loss_percent = net.loss_permille / 10;
    let latency_now = (net.latency_min / MS, net.latency_max / MS);

    html! {
        <footer class="controls">
            <Timeline view={props.view.clone()} dispatch={props.dispatch.clone()} />
            <div class="group" role="group" aria-label="Time">
                <button class="play" onclick={emit(Action::TogglePlay)} aria-label={if p.playing { "Pause" } else { "Play" }}
                    title="Play / pause (Space)">
                    { if p.playing { "❚❚ Pause" } else { "▶ Play" } }
                </button>
                <button onclick={emit(Action::Step)} aria-label="Step one event" title="Process exactly one event (→ or N)">
                    { "Step →" }
                </button>
                <label class="speed">
                    <span>{ "speed" }</span>
                    <input type="range" min={SPEED_MIN_EXP.to_string()} max={SPEED_MAX_EXP.to_string()} step="0.05"
                        value={p.speed_exp.to_string()} oninput={speed} aria-label="Speed" />
                    <output data-speed={p.speed().to_string()}>{ speed_label(p.speed()) }</output>
                </label>
                <span class="events" title="Events processed so far">{ format!("event {}", p.sim.events_processed()) }</span>
            </div>
            <div class="group" role="group" aria-label="Cluster">
                <form class="write" onsubmit={write}>
                    <input ref={write_input} placeholder="SET x 5" aria-label="Command for the leader" size="9" />
                    <button type="submit" title="Client write to the leader (C); empty for a generated value">{ "Write to leader" }</button>
                </form>
                <button onclick={emit(Action::Do(Intervention::AlignTimers))} title="Align timers: provokes a split vote (A)">{ "Align timers" }</button>
                <button onclick={emit(Action::Do(Intervention::SpreadTimers))} title="Spread timers: avoids a split vote (T)">{ "Spread timers" }</button>
            </div>
            <div class="group" role="group" aria-label="Network">
                <button onclick={emit(Action::SplitLeaderInMinority)} title="Cut the cluster in two; the leader ends up in the minority">{ "Split" }</button>
                <button onclick={emit(Action::Do(Intervention::Heal))} title="Restore every link (H)">{ "Heal" }</button>
                <label>
                    <span>{ "loss" }</span>
                    <input type="range" min="0" max="50" step="5" value={loss_percent.to_string()} oninput={loss} aria-label="Message loss percent" />
                    <output>{ format!("{loss_percent}%") }</output>
                </label>
                <label>
                    <span>{ "latency" }</span>
                    <select onchange={latency} aria-label="Latency">
                        { for LATENCIES.iter().enumerate().map(|(k, &(min, max))| html! {
                            <option value={k.to_string()} selected={(min, max) == latency_now}>{ format!("{min}–{max} ms") }</option>
                        }) }
                    </select>
                </label>
            </div>
        </footer>
    }
}
