//! One message in flight, drawn where the simulator's send and delivery times put it.
//! Each RPC and outcome has its own shape (DESIGN.md's message table).

use yew::prelude::*;

use super::cluster::fmt;
use super::geometry::{Glyph, message_glyph, message_position, term_colour};
use super::lang::Lang;
use super::words::rpc_phrase;
use crate::raft::Time;
use crate::sim::InFlight;

#[derive(Properties, PartialEq)]
pub struct MessageProps {
    pub message: InFlight,
    pub now: Time,
    pub n: usize,
    pub lang: Lang,
    pub selected: bool,
    pub onclick: Callback<MouseEvent>,
    /// A dropped message fading out where it was lost (not clickable).
    #[prop_or_default]
    pub fading: Option<f64>,
}

#[function_component(MessageGlyph)]
pub fn message_glyph_view(props: &MessageProps) -> Html {
    let m = &props.message;
    let at = message_position(m, props.n, props.now);
    let colour = term_colour(m.msg.term());
    let shape = match message_glyph(&m.msg) {
        Glyph::Request => html! { <circle class="shape" r="13" fill={colour} /> },
        Glyph::VoteReply { ok } => html! {
            <>
                <circle class="shape hollow" r="12" stroke={colour} />
                <text class="mark">{ if ok { "✓" } else { "✗" } }</text>
            </>
        },
        Glyph::Heartbeat => {
            html! { <rect class="shape" x="-8" y="-8" width="16" height="16" fill={colour} /> }
        }
        Glyph::Entries { count } => html! {
            <>
                <rect class="shape" x="-16" y="-16" width="32" height="32" fill={colour} />
                <text class="count">{ count }</text>
            </>
        },
        Glyph::AppendReply { ok } => html! {
            <>
                <rect class="shape hollow" x="-11" y="-11" width="22" height="22" stroke={colour} />
                <text class="mark">{ if ok { "✓" } else { "✗" } }</text>
            </>
        },
    };
    let (from, to) = (
        crate::raft::server_name(m.from),
        crate::raft::server_name(m.to),
    );
    let label = match props.lang {
        Lang::En => format!("{} from {from} to {to}", rpc_phrase(Lang::En, &m.msg)),
        Lang::Zh => format!("{from} 发往 {to} 的{}", rpc_phrase(Lang::Zh, &m.msg)),
    };
    if let Some(opacity) = props.fading {
        return html! {
            <g class={classes!("msg", "dropped", m.msg.kind())} opacity={format!("{:.2}", opacity.clamp(0.0, 1.0))}
                transform={format!("translate({},{})", fmt(at.x), fmt(at.y))}
                data-dropped-id={m.id.to_string()} aria-hidden="true">
                { shape }
                <text class="lost" y="-20">{ "✗" }</text>
            </g>
        };
    }
    html! {
        <g class={classes!("msg", m.msg.kind(), props.selected.then_some("selected"))}
            transform={format!("translate({},{})", fmt(at.x), fmt(at.y))}
            data-msg-kind={m.msg.kind()} data-msg-id={m.id.to_string()}
            role="button" aria-label={label} onclick={props.onclick.clone()}>
            <circle class="hit" r="22" />
            { shape }
        </g>
    }
}
