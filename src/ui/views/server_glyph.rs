//! One server: circle, name, role (by shape and word, not colour alone), term badge,
//! election timer ring, a candidate's votes, and a clear "down" look.

use yew::prelude::*;

use crate::raft::{Role, server_name};
use crate::ui::cluster::fmt;
use crate::ui::geometry::{
    Member, ServerLook, VoteState, ring_dash, server_position, server_radius, term_colour,
    term_text_colour,
};
use crate::ui::lang::Lang;
use crate::ui::words::{
    down_word, member_word, role_word, server_label, server_label_timed, timer_number, vote_word,
};

#[derive(Properties, PartialEq)]
pub struct ServerProps {
    pub look: ServerLook,
    pub lang: Lang,
    pub selected: bool,
    /// Reduced motion: the timer also as a number beside the ring (a ring that jumps
    /// from frame to frame is hard to read).
    #[prop_or_default]
    pub timer_number: bool,
    /// Click, or Enter while focused: inspect this server.
    pub onclick: Callback<()>,
}

#[function_component(ServerGlyph)]
pub fn server_glyph(props: &ServerProps) -> Html {
    let look = &props.look;
    let at = server_position(look.id, look.n);
    let r = server_radius(look.n);
    let ring_r = r + 11.0;
    let up = look.up;
    let lang = props.lang;
    // The class and data-role stay English (styles and tests); the word is the reader's.
    let role = if up { look.role.name() } else { "down" };
    // A learner or a server outside the configuration says so instead of "follower".
    let role_text = if !up {
        down_word(lang)
    } else if look.role == Role::Follower && look.member != Member::Voter {
        member_word(lang, look.member)
    } else {
        role_word(lang, look.role)
    };
    let (dash, offset) = ring_dash(ring_r, look.timer);
    let name = server_name(look.id);
    let term = look.term;
    let timer_text = if props.timer_number {
        timer_number(lang, look)
    } else {
        None
    };
    let label = if timer_text.is_some() {
        server_label_timed(lang, look)
    } else {
        server_label(lang, look)
    };
    let class = classes!(
        "server",
        format!("role-{role}"),
        props.selected.then_some("selected"),
        (look.member == Member::Learner).then_some("learner"),
        (look.member == Member::Outside).then_some("outside"),
    );

    // A long role word ("candidate") gets smaller type so it stays inside the circle.
    let role_size = (r * 0.32).min(1.55 * r / (0.6 * role_text.chars().count().max(1) as f64));
    // The badge grows with its text, so "T1120" stays inside it.
    let badge = format!("T{term}");
    let badge_w = 22.0 + 18.0 * badge.chars().count() as f64;
    // The timer's number sits under the ring; a candidate's votes go below it.
    let votes_below = if timer_text.is_some() { 38.0 } else { 0.0 };
    let votes = (!look.votes.is_empty()).then(|| {
        let peers = look.votes.len();
        let spacing = (2.0 * r / peers as f64).clamp(18.0, 32.0);
        let start = -spacing * (peers as f64 - 1.0) / 2.0;
        html! {
            <g class="votes" transform={format!("translate(0,{})", fmt(r + 36.0 + votes_below))}>
                { for look.votes.iter().enumerate().map(|(p, (voter, vote))| {
                    let state = vote.word();
                    let said = vote_word(lang, *vote);
                    // Shape as well as colour (WCAG 1.4.1): granted a filled dot, denied
                    // a cross, pending a hollow ring.
                    let (cx, dot) = (start + spacing * p as f64, (spacing * 0.4).min(12.0));
                    let title = html! { <title>{ lang.pick(format!("{}: {said}", server_name(*voter)), format!("{}：{said}", server_name(*voter))) }</title> };
                    match vote {
                        VoteState::Denied => html! {
                            <path class={classes!("vote", state)}
                                d={format!("M {a} {b} L {c} {d} M {a} {d} L {c} {b}", a = fmt(cx - dot * 0.8), b = fmt(-dot * 0.8), c = fmt(cx + dot * 0.8), d = fmt(dot * 0.8))}>
                                { title }
                            </path>
                        },
                        _ => html! {
                            <circle class={classes!("vote", state)} cx={fmt(cx)} cy="0" r={fmt(dot)}>{ title }</circle>
                        },
                    }
                }) }
            </g>
        }
    });

    html! {
        <g class={class} transform={format!("translate({},{})", fmt(at.x), fmt(at.y))}
            data-node-id={look.id.to_string()} data-role={role} data-up={up.to_string()}
            data-term={term.to_string()} role="button" tabindex="0" aria-label={label}
            onclick={props.onclick.reform(|_: MouseEvent| ())}
            onkeydown={crate::ui::focus::glyph_keys(props.onclick.clone(), ".cluster .server")}>
            // Up to the timer ring, not beyond: a message leaving or reaching this server
            // passes under it (so it never covers the term badge) and must stay clickable.
            <circle class="hit" r={fmt(ring_r + 1.0)} />
            if up {
                <circle class="timer-track" r={fmt(ring_r)} />
                <circle class="timer" r={fmt(ring_r)} transform="rotate(-90)"
                    stroke-dasharray={fmt(dash)} stroke-dashoffset={fmt(offset)} />
            }
            <circle class="body" r={fmt(r)} />
            // The trailing spaces are not drawn (SVG trims them); they keep the words of
            // the glyph's visible text apart, "S1 leader T1", as its name begins.
            <text class="name" y={fmt(-r * 0.1)} font-size={fmt(r * 0.52)}>{ format!("{name} ") }</text>
            <text class="role-word" y={fmt(r * 0.47)} font-size={fmt(role_size)}>{ format!("{role_text} ") }</text>
            if up && look.role == Role::Leader {
                <text class="crown" y={fmt(-r - 26.0)} font-size={fmt(r * 0.5)} aria-hidden="true">{ "♛" }</text>
            }
            if !up {
                <g class="cross" aria-hidden="true">
                    <line x1={fmt(-r * 0.6)} y1={fmt(-r * 0.6)} x2={fmt(r * 0.6)} y2={fmt(r * 0.6)} />
                    <line x1={fmt(-r * 0.6)} y1={fmt(r * 0.6)} x2={fmt(r * 0.6)} y2={fmt(-r * 0.6)} />
                </g>
            }
            <g class="term-badge" transform={format!("translate({},{})", fmt(r * 0.85), fmt(-r * 0.8))}>
                <rect x={fmt(-badge_w / 2.0)} y="-22" width={fmt(badge_w)} height="44" rx="11" fill={term_colour(term)} />
                <text fill={term_text_colour(term)} y="1" font-size="30">{ badge }</text>
            </g>
            { votes.unwrap_or_default() }
            // Last, as its name says it after the badge: "S1 follower T1 87 ms".
            if let Some(text) = timer_text {
                <text class="timer-number" y={fmt(ring_r + 28.0)} font-size="30">{ text }</text>
            }
        </g>
    }
}
