//! The lab's pages (`#/lab/…`): the page around them ([`page`]), the paper's Figure 16
//! ([`figure16`]) with its plot ([`cdf_plot`]), and "break a rule" ([`break_rule`]).

pub mod break_rule;
pub mod cdf_plot;
pub mod figure16;
pub mod page;

use yew::Callback;

use crate::ui::lab::LabAction;
use crate::ui::playground::Action;

/// A callback, for any event, that does `action` in the lab.
pub fn on<E: 'static>(dispatch: &Callback<Action>, action: LabAction) -> Callback<E> {
    let dispatch = dispatch.clone();
    Callback::from(move |_: E| dispatch.emit(Action::Lab(action.clone())))
}
