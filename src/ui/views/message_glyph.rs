//! One message in flight, drawn where the simulator's send and delivery times put it.
//! Each RPC and outcome has its own shape (DESIGN.md's message table).

use yew::prelude::*;

use crate::raft::Time;
use crate::sim::InFlight;
use crate::ui::cluster::fmt;
use crate::ui::geometry::{
    Glyph, message_glyph, message_position, message_position_jumping, server_position, term_colour,
};
use crate::ui::lang::Lang;
use crate::ui::words::rpc_phrase;

#[derive(Properties, PartialEq)]
pub struct MessageProps {
    pub message: InFlight,
    pub now: Time,
    pub n: usize,
    pub lang: Lang,
    pub selected: bool,
    /// Click, or Enter while focused: inspect this message.
    pub onclick: Callback<()>,
    /// Paused: a keyboard can reach it (Tab, then the arrow keys among messages). While
    /// playing, messages come and go too fast to be a tab stop.
    #[prop_or_default]
    pub focusable: bool,
    /// It took the focus (so the cluster can pass the focus on when it arrives).
    #[prop_or_default]
    pub onfocus: Callback<()>,
    /// A dropped message fading out where it was lost (not clickable).
    #[prop_or_default]
    pub fading: Option<f64>,
    /// Reduced motion: two places on its way, not a glide.
    #[prop_or_default]
    pub jump: bool,
}

#[function_component(MessageGlyph)]
pub fn message_glyph_view(props: &MessageProps) -> Html {
    let m = &props.message;
    let at = if props.jump {
        message_position_jumping(m, props.n, props.now)
    } else {
        message_position(m, props.n, props.now)
    };
    let colour = term_colour(m.msg.term());
    // Sized to be at least 24 px on a projector. Replies are outlined in their term's
    // colour (a style, so the glyphs' shared dark outline cannot override it).
    let outline = format!("stroke:{colour}");
    let shape = match message_glyph(&m.msg) {
        Glyph::Request => html! { <circle class="shape" r="23" fill={colour} /> },
        Glyph::VoteReply { ok } => html! {
            <>
                <circle class="shape hollow" r="23" style={outline.clone()} />
                <circle class="edge" r="19.5" />
                <text class="mark">{ if ok { "✓" } else { "✗" } }</text>
            </>
        },
        Glyph::Heartbeat => {
            html! { <rect class="shape" x="-23" y="-23" width="46" height="46" fill={colour} /> }
        }
        Glyph::Entries { count } => html! {
            <>
                <rect class="shape" x="-28" y="-28" width="56" height="56" fill={colour} />
                <text class="count">{ count }</text>
            </>
        },
        Glyph::AppendReply { ok } => html! {
            <>
                <rect class="shape hollow" x="-23" y="-23" width="46" height="46" style={outline.clone()} />
                <rect class="edge" x="-19.5" y="-19.5" width="39" height="39" />
                <text class="mark">{ if ok { "✓" } else { "✗" } }</text>
            </>
        },
        // PreVote: the vote's circle, dashed, as a candidate's ring is: only asking.
        Glyph::PreVote => html! {
            <>
                <circle class="shape hollow dashed" r="23" style={outline.clone()} />
                <text class="mark">{ "?" }</text>
            </>
        },
        Glyph::PreVoteReply { ok } => html! {
            <>
                <circle class="shape hollow dashed" r="23" style={outline.clone()} />
                <text class="mark">{ if ok { "✓" } else { "✗" } }</text>
            </>
        },
        // TimeoutNow: a diamond, the one shape no other message has.
        Glyph::TimeoutNow => html! {
            <polygon class="shape" points="0,-30 30,0 0,30 -30,0" fill={colour} />
        },
        // InstallSnapshot: a page with a folded corner (the state written down), with
        // lines for its contents; the reply is the page's outline with its mark.
        Glyph::Snapshot => html! {
            <>
                <polygon class="shape" points="-24,-30 12,-30 24,-18 24,30 -24,30" fill={colour} />
                <path class="page-lines" d="M -14 -10 H 14 M -14 2 H 14 M -14 14 H 14" />
            </>
        },
        Glyph::SnapshotReply { ok } => html! {
            <>
                <polygon class="shape hollow" points="-22,-28 10,-28 22,-16 22,28 -22,28" style={outline.clone()} />
                <text class="mark">{ if ok { "✓" } else { "✗" } }</text>
            </>
        },
    };
    // Which way it travels: a small arrowhead just ahead of the glyph.
    let heading = {
        let (a, b) = (
            server_position(m.from, props.n),
            server_position(m.to, props.n),
        );
        (b.y - a.y).atan2(b.x - a.x).to_degrees()
    };
    let arrow = html! {
        <path class="heading" d="M 31 -9 L 44 0 L 31 9 Z" transform={format!("rotate({heading:.1})")} aria-hidden="true" />
    };
    let (from, to) = (
        crate::raft::server_name(m.from),
        crate::raft::server_name(m.to),
    );
    // A name begins with what the glyph shows (WCAG 2.5.3): a reply's mark, the number
    // of entries an AppendEntries carries.
    let mark = match (message_glyph(&m.msg), props.lang) {
        (
            Glyph::VoteReply { ok }
            | Glyph::AppendReply { ok }
            | Glyph::PreVoteReply { ok }
            | Glyph::SnapshotReply { ok },
            _,
        ) => if ok { "✓ " } else { "✗ " }.to_string(),
        (Glyph::Entries { count }, Lang::En) => {
            format!("{count} {}: ", if count == 1 { "entry" } else { "entries" })
        }
        (Glyph::Entries { count }, Lang::Zh) => format!("{count} 个条目："),
        _ => String::new(),
    };
    let label = match props.lang {
        Lang::En => format!("{mark}{} from {from} to {to}", rpc_phrase(Lang::En, &m.msg)),
        Lang::Zh => format!("{mark}{from} 发往 {to} 的{}", rpc_phrase(Lang::Zh, &m.msg)),
    };
    if let Some(opacity) = props.fading {
        return html! {
            <g class={classes!("msg", "dropped", m.msg.kind())} opacity={format!("{:.2}", opacity.clamp(0.0, 1.0))}
                transform={format!("translate({},{})", fmt(at.x), fmt(at.y))}
                data-dropped-id={m.id.to_string()} aria-hidden="true">
                { shape }
                <text class="lost" y="-38">{ "✗" }</text>
            </g>
        };
    }
    html! {
        <g class={classes!("msg", m.msg.kind(), props.selected.then_some("selected"))}
            transform={format!("translate({},{})", fmt(at.x), fmt(at.y))}
            data-msg-kind={m.msg.kind()} data-msg-id={m.id.to_string()}
            role="button" aria-label={label} tabindex={props.focusable.then_some("0")}
            onclick={props.onclick.reform(|_: MouseEvent| ())}
            onkeydown={crate::ui::focus::glyph_keys(props.onclick.clone(), ".cluster .msg[tabindex]")} onfocus={props.onfocus.reform(|_: FocusEvent| ())}>
            <circle class="hit" r="34" />
            { arrow }
            { shape }
        </g>
    }
}
