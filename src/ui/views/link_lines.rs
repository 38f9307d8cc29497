//! The links between the servers, a cut one dashed and titled: a component of its own,
//! drawn again only when the cluster's size, a cut or the language changes (issue 16:
//! 36 lines for 9 servers, which the cluster would otherwise build every frame).

use yew::prelude::*;

use crate::sim::Links;
use crate::ui::cluster::fmt;
use crate::ui::geometry::server_position;
use crate::ui::lang::Lang;

#[derive(Properties, PartialEq)]
pub struct LinkProps {
    pub n: usize,
    pub links: Links,
    pub lang: Lang,
}

#[function_component(LinkLines)]
pub fn link_lines(props: &LinkProps) -> Html {
    let (n, lang, links) = (props.n, props.lang, &props.links);
    let lines = (0..n as u8)
        .flat_map(|a| (a + 1..n as u8).map(move |b| (a, b)))
        .map(|(a, b)| {
            let (pa, pb) = (server_position(a, n), server_position(b, n));
            let cut_ab = links.is_cut(a, b);
            let cut_ba = links.is_cut(b, a);
            let class = match (cut_ab, cut_ba) {
                (false, false) => "link",
                (true, true) => "link cut",
                _ => "link cut one-way",
            };
            html! {
                <line class={class} x1={fmt(pa.x)} y1={fmt(pa.y)} x2={fmt(pb.x)} y2={fmt(pb.y)}
                    data-link={format!("{a}-{b}")}>
                    if cut_ab || cut_ba {
                        <title>{ link_title(lang, a, b, cut_ab, cut_ba) }</title>
                    }
                </line>
            }
        });

    html! { <g class="links">{ for lines }</g> }
}

fn link_title(lang: Lang, a: u8, b: u8, cut_ab: bool, cut_ba: bool) -> String {
    let (sa, sb) = (crate::raft::server_name(a), crate::raft::server_name(b));
    let (from, arrow, to) = match (cut_ab, cut_ba) {
        (true, true) => (&sa, "↔", &sb),
        (true, false) => (&sa, "→", &sb),
        _ => (&sb, "→", &sa),
    };
    let both = cut_ab && cut_ba;
    match lang {
        Lang::En => format!(
            "link {from} {arrow} {to} is cut{}",
            if both { "" } else { " (one way)" }
        ),
        Lang::Zh => format!(
            "{from} {arrow} {to} 的链路已断开{}",
            if both { "" } else { "（单向）" }
        ),
    }
}
