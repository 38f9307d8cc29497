//! One slot of a server's log in the logs table: an entry (term, command, committed or
//! not) or an empty slot, with the leader's matchIndex and nextIndex marks.
//!
//! A component of its own so that a write redraws only the cells it changed: its props
//! are plain data, equal when the cell looks the same, and Yew skips an equal cell
//! without building or comparing its elements (issue 16: the table is up to 25 × 9 cells,
//! and it is redrawn on every write).

use yew::prelude::*;

use crate::raft::server_name;
use crate::ui::geometry::{term_colour, term_text_colour};
use crate::ui::lang::Lang;

/// What a stored entry looks like in its cell.
#[derive(PartialEq, Clone)]
pub struct CellEntry {
    pub term: u64,
    /// The command in full, for the tooltip: "SET x 5".
    pub command: String,
    /// The command short enough for the cell: "x=5".
    pub short: String,
    /// `None`: the server is down and its commitIndex was lost with it.
    pub committed: Option<bool>,
    /// The server's commitIndex is at this entry.
    pub commit_mark: bool,
    pub noop: bool,
    pub config: bool,
}

#[derive(Properties, PartialEq)]
pub struct CellProps {
    pub lang: Lang,
    pub node: u8,
    pub index: u64,
    /// `None`: an empty slot.
    pub entry: Option<CellEntry>,
    /// The leader whose matchIndex for this server is this index.
    pub match_of: Option<u8>,
    /// The leader whose nextIndex for this server is this index.
    pub next_of: Option<u8>,
}

#[function_component(LogCell)]
pub fn log_cell(props: &CellProps) -> Html {
    let (lang, id, i) = (props.lang, props.node, props.index);
    let markers = html! {
        <>
            if let Some(l) = props.match_of {
                <span class="marker match" title={lang.pick(format!("{}'s matchIndex for {}: {i}", server_name(l), server_name(id)), format!("{} 记录的 {} 的 matchIndex：{i}", server_name(l), server_name(id)))}>{ "m" }</span>
            }
            if let Some(l) = props.next_of {
                <span class="marker next" title={lang.pick(format!("{}'s nextIndex for {}: {i}", server_name(l), server_name(id)), format!("{} 记录的 {} 的 nextIndex：{i}", server_name(l), server_name(id)))}>{ "n" }</span>
            }
        </>
    };
    let Some(e) = &props.entry else {
        return html! { <td class="empty">{ markers }</td> };
    };
    // A down server's commitIndex is volatile and lost: its entries are drawn as stored,
    // neither committed nor not.
    let state = match e.committed {
        None => "stored",
        Some(true) => "committed",
        Some(false) => "uncommitted",
    };
    html! {
        <td class={classes!("entry", state, e.commit_mark.then_some("commit-mark"), e.noop.then_some("noop"), e.config.then_some("config"))}
            style={format!("background-color:{};color:{}", term_colour(e.term), term_text_colour(e.term))}
            data-node-id={id.to_string()} data-index={i.to_string()} data-term={e.term.to_string()}
            data-committed={e.committed.map_or("unknown".to_string(), |c| c.to_string())}
            title={entry_title(lang, i, e.term, &e.command, e.committed)}>
            <span class="t">{ e.term }</span>
            <span class="cmd">{ e.short.clone() }</span>
            { markers }
        </td>
    }
}

/// An entry's tooltip: "index 3, term 2: SET x 5, committed". `None`: the server is
/// down and has lost its commitIndex.
fn entry_title(
    lang: Lang,
    index: u64,
    term: u64,
    command: &str,
    committed: Option<bool>,
) -> String {
    let state = match committed {
        Some(true) => lang.pick("committed", "已提交"),
        Some(false) => lang.pick("not committed", "未提交"),
        None => lang.pick(
            "kept on disk; whether it is committed was lost in the crash",
            "保存在磁盘上；它是否已提交的信息随宕机丢失",
        ),
    };
    match lang {
        Lang::En => format!("index {index}, term {term}: {command}, {state}"),
        Lang::Zh => format!("索引 {index}，任期 {term}：{command}，{state}"),
    }
}
