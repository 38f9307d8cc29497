//! The hero of the page: servers on a ring, the links between them, and every message in
//! flight at its true position for the current virtual time.

use yew::prelude::*;
use yew::virtual_dom::Key;

use crate::ui::geometry::{Member, VIEW, fading_drops, server_look};
use crate::ui::link_lines::LinkLines;
use crate::ui::message_glyph::MessageGlyph;
use crate::ui::playground::{Action, Selection};
use crate::ui::server_glyph::ServerGlyph;
use crate::ui::store::PanelProps;

#[function_component(Cluster)]
pub fn cluster(props: &PanelProps) -> Html {
    let p = props.view.get();
    let lang = p.lang;
    let sim = &p.sim;
    let n = sim.servers().len();
    let now = sim.now();
    // The configuration in force: learners and servers outside it are drawn as such.
    let membership = sim.membership();
    let links = sim.links();

    let selected_server = match p.selected {
        Selection::Server(id) => Some(id),
        _ => None,
    };
    let selected_message = match p.selected {
        Selection::Message(id) => Some(id),
        _ => None,
    };
    // A callback per server made once (the page's dispatch never changes), so a server
    // that looks the same as in the last frame is not drawn again.
    let select_server = use_memo(props.dispatch.clone(), |dispatch| {
        (0..=u8::MAX)
            .map(|id| dispatch.reform(move |_: ()| Action::Select(Selection::Server(id))))
            .collect::<Vec<Callback<()>>>()
    });
    let servers = sim.servers().iter().map(|s| {
        let id = s.node.id;
        let onclick = select_server[id as usize].clone();
        html! {
            <ServerGlyph key={id} look={server_look(&s.node, s.up, n, now, Member::of(&membership, id))} lang={lang}
                selected={selected_server == Some(id)} onclick={onclick} timer_number={p.reduced_motion} />
        }
    });
    // The message that last took the focus: when it arrives (a step) or is dropped, the
    // focus goes on to its receiver instead of falling back to the page.
    let focused_message = use_mut_ref(|| None::<(crate::sim::MsgId, u8)>);
    {
        let focused_message = focused_message.clone();
        let in_flight: Vec<_> = sim.in_flight().iter().map(|m| m.id).collect();
        // A selected message is the inspector's to follow (it says where it went).
        let inspected = selected_message;
        use_effect(move || {
            let gone = match *focused_message.borrow() {
                Some((id, to)) if !in_flight.contains(&id) && inspected != Some(id) => Some(to),
                _ => None,
            };
            if let Some(to) = gone {
                *focused_message.borrow_mut() = None;
                crate::ui::focus::focus_if_lost(&format!(
                    ".cluster .server[data-node-id=\"{to}\"]"
                ));
            }
        });
    }
    // While playing fast, most messages are on screen for a frame or two, and each new
    // one would be a new element. Keyed by their link, kind and rank instead, the next
    // heartbeat on a link takes over the last one's element and only moves it (issue 16).
    // Paused, or while it has the keyboard focus, a message keeps its own element, so the
    // focus stays on it.
    let mut ranks = std::collections::HashMap::<(u8, u8, &'static str), u32>::new();
    let messages = sim.in_flight().iter().map(|m| {
        let (id, to) = (m.id, m.to);
        let focused = matches!(*focused_message.borrow(), Some((f, _)) if f == id);
        let key = if p.playing && !focused {
            let rank = ranks.entry((m.from, to, m.msg.kind())).or_default();
            *rank += 1;
            Key::from(format!("{}-{to}-{}-{rank}", m.from, m.msg.kind()))
        } else {
            Key::from(id.to_string())
        };
        let onclick = {
            let dispatch = props.dispatch.clone();
            Callback::from(move |_| dispatch.emit(Action::Select(Selection::Message(id))))
        };
        let onfocus = {
            let focused_message = focused_message.clone();
            Callback::from(move |_| *focused_message.borrow_mut() = Some((id, to)))
        };
        html! {
            <MessageGlyph {key} message={m.clone()} now={now} n={n} lang={lang} jump={p.reduced_motion}
                selected={selected_message == Some(id)} onclick={onclick}
                focusable={!p.playing} onfocus={onfocus} />
        }
    });

    // A dropped message fades out where it was lost over about 0.7 s of real time.
    let fade = (700.0 * 1000.0 * p.speed()).round() as crate::raft::Time;
    let drops = fading_drops(sim.trace(), now, fade.max(1))
        .into_iter()
        .map(|d| {
            let key = format!("drop-{}", d.message.id);
            html! {
                <MessageGlyph key={key} message={d.message} now={d.dropped_at} n={n} lang={lang}
                    selected={false} onclick={Callback::noop()} fading={Some(d.opacity)} />
            }
        });
    let view_box = format!("{} {} {} {}", -VIEW, -VIEW, 2.0 * VIEW, 2.0 * VIEW);
    html! {
        // A group, not an image: it holds servers and messages one can focus and press.
        <svg class="cluster" viewBox={view_box} role="group"
            aria-label={lang.pick(if n == 1 { "A cluster of 1 server".to_string() } else { format!("A cluster of {n} servers") }, format!("由 {n} 台服务器组成的集群"))}>
            <LinkLines {n} links={links.clone()} {lang} />
            // Messages under the servers: one leaving or reaching a server passes under
            // its term badge instead of hiding it.
            <g class="messages">{ for messages }{ for drops }</g>
            <g class="servers">{ for servers }</g>
        </svg>
    }
}

/// SVG numbers with one decimal: enough for a smooth glide, short in the DOM.
pub fn fmt(v: f64) -> String {
    format!("{v:.1}")
}
