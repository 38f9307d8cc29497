//! Every server's log side by side: one row per server, one column per index, coloured by
//! term; committed entries solid, uncommitted ones hatched; the commit index marked; each
//! server's key-value state; and the leader's quorum meter.

use yew::prelude::*;

use super::geometry::{first_shown_index, term_colour, term_text_colour};
use super::playground::{Action, Selection};
use super::store::PanelProps;
use super::words::quorum_meter;
use crate::raft::{Role, server_name};

/// Columns shown at once; older entries scroll out on the left.
const COLUMNS: u64 = 24;

#[function_component(Logs)]
pub fn logs(props: &PanelProps) -> Html {
    let p = props.view.get();
    let sim = &p.sim;
    let longest = sim
        .servers()
        .iter()
        .map(|s| s.node.log.last_index())
        .max()
        .unwrap_or(0);
    let first = first_shown_index(longest, COLUMNS);
    let last = longest.max(first + 7);
    let indexes: Vec<u64> = (first..=last).collect();

    let rows = sim.servers().iter().map(|s| {
        let node = &s.node;
        let id = node.id;
        let onclick = {
            let dispatch = props.dispatch.clone();
            Callback::from(move |_| dispatch.emit(Action::Select(Selection::Server(id))))
        };
        let kv = if node.kv.values.is_empty() {
            "∅".to_string()
        } else {
            node.kv.values.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(" ")
        };
        html! {
            <tr class={classes!("log-row", (!s.up).then_some("down"), (s.up && node.role == Role::Leader).then_some("leader"))}
                data-node-id={id.to_string()}>
                <th scope="row">
                    <button class="row-name" onclick={onclick} aria-label={format!("Inspect {}", server_name(id))}>
                        { server_name(id) }
                    </button>
                </th>
                { for indexes.iter().map(|&i| match node.log.get(i) {
                    Some(e) => {
                        let committed = i <= node.commit_index;
                        html! {
                            <td key={i} class={classes!("entry", if committed { "committed" } else { "uncommitted" }, (i == node.commit_index).then_some("commit-mark"))}
                                style={format!("background-color:{};color:{}", term_colour(e.term), term_text_colour(e.term))}
                                data-node-id={id.to_string()} data-index={i.to_string()} data-term={e.term.to_string()}
                                data-committed={committed.to_string()}
                                title={format!("index {i}, term {}: {}{}", e.term, e.command, if committed { ", committed" } else { ", not committed" })}>
                                <span class="t">{ e.term }</span>
                                <span class="cmd">{ short(&e.command.to_string()) }</span>
                            </td>
                        }
                    }
                    None => html! { <td key={i} class="empty"></td> },
                }) }
                <td class="kv" data-kv={kv.clone()}>{ kv }</td>
            </tr>
        }
    });

    let meter = sim.leader().and_then(|l| quorum_meter(sim.node(l)));
    html! {
        <div class="logs">
            <div class="logs-scroll">
                <table>
                    <thead>
                        <tr>
                            <th scope="col">{ "log" }</th>
                            { for indexes.iter().map(|i| html! { <th scope="col" class="index">{ i }</th> }) }
                            <th scope="col" class="kv">{ "state machine" }</th>
                        </tr>
                    </thead>
                    <tbody>{ for rows }</tbody>
                </table>
            </div>
            <p class="quorum" aria-live="polite">
                { meter.unwrap_or_else(|| "Quorum: no leader, so nothing can commit.".to_string()) }
            </p>
        </div>
    }
}

/// `SET x 12` as `x=12`, `DEL x` as `del x`: short enough for a log cell.
fn short(command: &str) -> String {
    let parts: Vec<&str> = command.split_whitespace().collect();
    match parts.as_slice() {
        ["SET", key, value] => format!("{key}={value}"),
        ["DEL", key] => format!("del {key}"),
        _ => command.to_string(),
    }
}
