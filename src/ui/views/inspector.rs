//! The inspector: a clicked server's Figure 2 state and what can be done to it, or a
//! clicked message's every field and a button to drop it.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::raft::{Command, ReadMode, check_key, server_name};
use crate::sim::{Intervention, WriteTarget};
use crate::ui::lang::Lang;
use crate::ui::playground::{Action, Selection};
use crate::ui::store::PanelProps;
use crate::ui::words::{
    Field, is_volatile, leader_heard_field, leader_progress, message_fields, pending_reads_field,
    refusal, server_fields, timer_field, transfer_field,
};

#[function_component(Inspector)]
pub fn inspector(props: &PanelProps) -> Html {
    let p = props.view.get();
    let lang = p.lang;
    let close = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_| dispatch.emit(Action::Select(Selection::Nothing)))
    };
    let write_input = use_node_ref();
    let read_input = use_node_ref();
    // A refused command marks its field invalid until it is edited (as in the control bar).
    let invalid = use_state(|| false);
    // Closing the inspector (×, Esc) gives the focus back to the server it showed, not
    // to the page's <body>.
    {
        let shown = use_mut_ref(|| Selection::Nothing);
        use_effect_with(p.selected, move |now| {
            let before = std::mem::replace(&mut *shown.borrow_mut(), *now);
            if let (Selection::Server(id), Selection::Nothing) = (before, *now) {
                crate::ui::focus::focus_if_lost(&format!(".server[data-node-id=\"{id}\"]"));
            }
        });
        // A message dropped (its button goes) or delivered while shown: the focus stays
        // in the inspector, which now says it is no longer in flight.
        let in_flight = match p.selected {
            Selection::Message(id) => p.sim.in_flight().iter().any(|m| m.id == id),
            _ => true,
        };
        use_effect_with(in_flight, |in_flight| {
            if !*in_flight {
                crate::ui::focus::focus_if_lost(".inspector .close");
            }
        });
    }
    let body = match p.selected {
        Selection::Nothing => html! {
            <p class="hint">
                { lang.pick(
                    "Click a server to see its state (currentTerm, votedFor, commitIndex…) and to crash it or send it a write. Click a message to see its fields. Press ? for shortcuts.",
                    "点击一台服务器，查看它的状态（currentTerm、votedFor、commitIndex…），也可以让它宕机或向它发送写入。点击一条消息，查看它的各个字段。按 ? 查看快捷键。",
                ) }
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
                        <h2>{ message_title(lang, id) }</h2>
                        { fields(message_fields(lang, m), true) }
                        <button onclick={drop}>{ lang.pick("Drop this message", "丢弃这条消息") }</button>
                    </>
                }
            }
            None => html! {
                <>
                    <h2>{ message_title(lang, id) }</h2>
                    <p class="hint">{ lang.pick(
                        "This message is no longer in flight: it was delivered or dropped. The event log says which.",
                        "这条消息已经不在途中了：它已被送达或被丢弃，事件日志里写着是哪一种。",
                    ) }</p>
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
                let (dispatch, input, invalid) =
                    (props.dispatch.clone(), write_input.clone(), invalid.clone());
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
                        Ok(command) => {
                            invalid.set(false);
                            dispatch.emit(Action::Do(Intervention::ClientWrite {
                                to: WriteTarget::Server(id),
                                command,
                            }))
                        }
                        Err(e) => {
                            invalid.set(true);
                            dispatch.emit(Action::Notify(refusal(lang, &e)))
                        }
                    }
                })
            };
            // A read of the key typed (x when empty), sent to this server as it is.
            let read = |mode: ReadMode| {
                let (dispatch, input) = (props.dispatch.clone(), read_input.clone());
                Callback::from(move |_: MouseEvent| {
                    let typed = input
                        .cast::<HtmlInputElement>()
                        .map(|i| i.value().trim().to_string())
                        .unwrap_or_default();
                    let key = if typed.is_empty() {
                        "x".to_string()
                    } else {
                        typed
                    };
                    match check_key(&key) {
                        Ok(()) => dispatch.emit(Action::Do(Intervention::ClientRead {
                            to: WriteTarget::Server(id),
                            key,
                            mode,
                        })),
                        Err(e) => dispatch.emit(Action::Notify(refusal(lang, &e))),
                    }
                })
            };
            // Leadership transfer: offered on every server but the leader.
            let leader = p.sim.leader();
            // (Still shown while one is under way, so the focus stays on it: a second
            // click is refused with the reason.)
            // Membership: any member of the configuration in force may be removed; only a
            // voter may be handed the leadership.
            let membership = p.sim.membership();
            let in_cluster = membership.is_member(id);
            let can_transfer = leader.is_some_and(|l| l != id) && membership.voters.contains(&id);
            let progress = leader_progress(node);
            let n = p.servers() as u8;
            let links = p.sim.links();
            html! {
                <>
                    <h2>{ &name }</h2>
                    if !up {
                        <p class="hint persistent-note">{ lang.pick(
                            "Down: only the persistent state survives a crash (currentTerm, votedFor, the log). The volatile state is lost, and rebuilt after the restart.",
                            "已宕机：宕机后只有持久化状态保留下来（currentTerm、votedFor、日志）。易失状态已丢失，重启后重新建立。",
                        ) }</p>
                    }
                    { fields(server_fields(lang, node, up).into_iter()
                        .chain(timer_field(lang, node, up, p.sim.now()))
                        .chain(leader_heard_field(lang, node, up, p.sim.now()))
                        .chain(transfer_field(lang, node, up, p.sim.now()))
                        .chain(pending_reads_field(lang, node, up))
                        .collect(), up) }
                    // nextIndex and matchIndex are volatile: gone with a crashed leader.
                    if up && !progress.is_empty() {
                        <table class="progress">
                            <tr><th>{ lang.pick("follower", "跟随者") }</th><th>{ "nextIndex" }</th><th>{ "matchIndex" }</th></tr>
                            { for progress.iter().map(|(f, next, matched)| html! {
                                <tr><td>{ server_name(*f) }</td><td>{ next }</td><td>{ matched }</td></tr>
                            }) }
                        </table>
                    }
                    <div class="actions">
                        // One button that turns from Crash into Restart: the same element,
                        // so the keyboard focus stays on it after pressing it.
                        <button key="crash-restart" class="crash-restart"
                            onclick={act(if up { Intervention::Crash(id) } else { Intervention::Restart(id) })}>
                            { if up {
                                lang.pick(format!("Crash {name}"), format!("使 {name} 宕机"))
                            } else {
                                lang.pick(format!("Restart {name}"), format!("重启 {name}"))
                            } }
                        </button>
                        <button key="timeout" onclick={act(Intervention::Timeout(id))} disabled={!up}>{ lang.pick("Time out now", "立即超时") }</button>
                        <button key="isolate" onclick={act(Intervention::Isolate(id))}
                            title={lang.pick("Cut every link to and from this server", "断开这台服务器的所有链路")}>
                            { lang.pick("Isolate", "隔离") }
                        </button>
                    </div>
                    <form class="write" onsubmit={write}>
                        <label for="server-write">
                            { lang.pick(format!("Client write to {name}"), format!("向 {name} 发送客户端写入")) }
                        </label>
                        // Named by its visible label ("Client write to S1").
                        <input id="server-write" ref={write_input} placeholder="SET x 1"
                            aria-invalid={invalid.then_some("true")} aria-describedby={(*invalid && p.notice.is_some()).then_some("notice")}
                            oninput={let invalid = invalid.clone(); Callback::from(move |_: InputEvent| invalid.set(false))} />
                        <button type="submit">{ lang.pick("Send", "发送") }</button>
                    </form>
                    <div class="read" role="group" aria-labelledby="server-read-label">
                        <label id="server-read-label" for="server-read">
                            { lang.pick(format!("Client read from {name}"), format!("从 {name} 读取")) }
                        </label>
                        <input id="server-read" ref={read_input.clone()} placeholder="x" size="6" />
                        <button onclick={read(ReadMode::ReadIndex)}
                            title={lang.pick("Safe: the leader confirms with a majority first", "安全：领导者先向多数派确认")}>
                            { "ReadIndex" }
                        </button>
                        <button onclick={read(ReadMode::Local)}
                            title={lang.pick("Fast, unsafe: the leader answers from its own state at once", "快但不安全：领导者立即用自己的状态回答")}>
                            { lang.pick("Local read", "本地读取") }
                        </button>
                    </div>
                    if in_cluster && leader.is_some() {
                        <button class="remove-server" onclick={act(Intervention::RemoveServer(id))}
                            title={lang.pick(
                                "The leader appends a configuration without this server; once it commits, the server no longer takes part",
                                "领导者追加一个不含这台服务器的配置；配置提交后，这台服务器不再参与",
                            )}>
                            { lang.pick(format!("Remove {name} from the cluster"), format!("把 {name} 移出集群")) }
                        </button>
                    }
                    if can_transfer {
                        <button class="transfer" onclick={act(Intervention::TransferLeadership { to: id })}
                            title={lang.pick(
                                "The leader brings this server's log up to date, then tells it to start an election at once (TimeoutNow)",
                                "领导者先补齐这台服务器的日志，再让它立即发起选举（TimeoutNow）",
                            )}>
                            { lang.pick(format!("Transfer leadership to {name}"), format!("把领导权移交给 {name}")) }
                        </button>
                    }
                    <details class="link-table">
                        <summary>{ lang.pick("Links (cut one way or both)", "链路（可以单向或双向断开）") }</summary>
                        <table>
                            { for (0..n).filter(|&o| o != id).map(|o| {
                                let out_cut = links.is_cut(id, o);
                                let in_cut = links.is_cut(o, id);
                                let other = server_name(o);
                                let toggle_out = if out_cut { act(Intervention::RestoreLink { from: id, to: o }) } else { act(Intervention::CutLink { from: id, to: o }) };
                                let toggle_in = if in_cut { act(Intervention::RestoreLink { from: o, to: id }) } else { act(Intervention::CutLink { from: o, to: id }) };
                                html! {
                                    <tr>
                                        <td><button class={classes!(out_cut.then_some("cut"))} onclick={toggle_out}
                                            aria-label={link_action(lang, &name, &other, out_cut)}>
                                            { format!("{name} → {other} {}", link_state(lang, out_cut)) }
                                        </button></td>
                                        <td><button class={classes!(in_cut.then_some("cut"))} onclick={toggle_in}
                                            aria-label={link_action(lang, &other, &name, in_cut)}>
                                            { format!("{other} → {name} {}", link_state(lang, in_cut)) }
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
        <section class="inspector" aria-label={lang.pick("Inspector", "检查器")}>
            if p.selected != Selection::Nothing {
                <button class="close" onclick={close} aria-label={lang.pick("Close inspector", "关闭检查器")}>{ "×" }</button>
            }
            { body }
        </section>
    }
}

fn fields(rows: Vec<Field>, up: bool) -> Html {
    html! {
        <dl class="fields">
            { for rows.into_iter().map(|f| {
                // A down server's volatile rows read "lost": greyed, so the persistent
                // ones stand out (Figure 2's lesson).
                let lost = !up && is_volatile(f.key);
                let class = classes!(lost.then_some("lost"));
                html! { <><dt class={class.clone()}>{ f.label }</dt><dd class={class} data-field={f.key}>{ f.value }</dd></> }
            }) }
        </dl>
    }
}

fn message_title(lang: Lang, id: crate::sim::MsgId) -> String {
    match lang {
        Lang::En => format!("Message #{id}"),
        Lang::Zh => format!("消息 #{id}"),
    }
}

/// A link button's name: its visible text first (WCAG 2.5.3), then what pressing it does:
/// "S1 → S2 ok: cut this link".
fn link_action(lang: Lang, from: &str, to: &str, cut: bool) -> String {
    let shown = format!("{from} → {to} {}", link_state(lang, cut));
    match (lang, cut) {
        (Lang::En, false) => format!("{shown}: cut this link"),
        (Lang::En, true) => format!("{shown}: restore this link"),
        (Lang::Zh, false) => format!("{shown}：断开这条链路"),
        (Lang::Zh, true) => format!("{shown}：恢复这条链路"),
    }
}

fn link_state(lang: Lang, cut: bool) -> &'static str {
    if cut {
        lang.pick("✂ cut", "✂ 已断开")
    } else {
        lang.pick("ok", "正常")
    }
}
