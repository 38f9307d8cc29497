//! The reducer behind the whole page (Yew's State + Action pattern). The simulator is
//! large and changes every frame, so the store holds it behind an `Rc<RefCell>` and
//! hands out a new, cheap `Store` per change: Yew re-renders only on a new `Rc`.

use std::cell::{Ref, RefCell};
use std::rc::Rc;

use yew::prelude::*;

use crate::ui::playground::{Action, Playground};

#[derive(Clone)]
pub struct Store {
    playground: Rc<RefCell<Playground>>,
    /// Bumped on every action, frames included.
    pub frame: u64,
}

impl Store {
    pub fn new(playground: Playground) -> Store {
        Store {
            playground: Rc::new(RefCell::new(playground)),
            frame: 0,
        }
    }

    pub fn get(&self) -> Ref<'_, Playground> {
        self.playground.borrow()
    }

    /// A view of the store that compares equal until something other than the clock
    /// changes: for panels that do not move with time.
    pub fn by_revision(&self) -> Snapshot {
        Snapshot {
            store: self.clone(),
            stamp: self.get().panel_revision,
        }
    }

    /// The logs table's view: like [`Store::by_revision`], a frame later while a run
    /// plays (see `Playground::logs_revision`).
    pub fn by_logs_revision(&self) -> Snapshot {
        Snapshot {
            store: self.clone(),
            stamp: self.get().logs_revision,
        }
    }

    /// A view that changes on every frame: for the animated cluster.
    pub fn by_frame(&self) -> Snapshot {
        Snapshot {
            store: self.clone(),
            stamp: self.frame,
        }
    }
}

impl PartialEq for Store {
    fn eq(&self, other: &Store) -> bool {
        Rc::ptr_eq(&self.playground, &other.playground) && self.frame == other.frame
    }
}

impl Reducible for Store {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        self.playground.borrow_mut().apply(action);
        Rc::new(Store {
            playground: self.playground.clone(),
            frame: self.frame + 1,
        })
    }
}

/// What a component gets: the store, and a stamp that decides when it re-renders.
#[derive(Clone)]
pub struct Snapshot {
    store: Store,
    stamp: u64,
}

impl Snapshot {
    pub fn get(&self) -> Ref<'_, Playground> {
        self.store.get()
    }
}

impl PartialEq for Snapshot {
    fn eq(&self, other: &Snapshot) -> bool {
        Rc::ptr_eq(&self.store.playground, &other.store.playground) && self.stamp == other.stamp
    }
}

/// The props most components take.
#[derive(Properties, PartialEq, Clone)]
pub struct PanelProps {
    pub view: Snapshot,
    pub dispatch: Callback<Action>,
}
