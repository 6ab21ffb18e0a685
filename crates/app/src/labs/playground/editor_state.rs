//! The data editor's state, shared by the data panel's tools and the output map (the tools
//! themselves are in `data_editor.rs`).

use emberlab_core::CustomData;
use leptos::prelude::*;

/// The drawing state the data panel's tools and the output map share.
#[derive(Clone, Copy)]
pub struct Editor {
    /// Whether clicks on the output map edit the points.
    pub on: RwSignal<bool>,
    /// The class (or, for regression, the index into the drawn values) new points get.
    pub class: RwSignal<usize>,
    /// Whether clicks erase the nearest point instead of adding one.
    pub erasing: RwSignal<bool>,
    /// The points being edited: shown while drawing, and given to the run whenever they can
    /// train.
    pub draft: RwSignal<Option<CustomData>>,
    /// Why the draft cannot train yet.
    pub hint: RwSignal<Option<String>>,
    /// Earlier drafts, newest last.
    pub(crate) undo: StoredValue<Vec<CustomData>>,
}

impl Editor {
    /// Not drawing.
    pub fn new() -> Self {
        Self {
            on: RwSignal::new(false),
            class: RwSignal::new(0),
            erasing: RwSignal::new(false),
            draft: RwSignal::new(None),
            hint: RwSignal::new(None),
            undo: StoredValue::new(Vec::new()),
        }
    }
}
