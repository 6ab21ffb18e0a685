//! The interface between the shell and the open lab: the signals every lab's run has, and the
//! commands the shared controls send.

use std::rc::Rc;

use emberlab_core::lab::LabState;
use leptos::prelude::*;

use crate::backend::{BackendInfo, BackendKind};
use crate::notice::Notices;

/// Measured training speed.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Throughput {
    /// Epochs per second over the last second or so.
    pub epochs_per_second: f64,
    /// Wall milliseconds per optimiser step.
    pub ms_per_step: f64,
}

/// The signals every lab's run writes and the shell reads.
#[derive(Clone, Copy)]
pub struct RunSignals {
    /// Whether training plays.
    pub playing: RwSignal<bool>,
    /// Epochs completed.
    pub epoch: RwSignal<u64>,
    /// The back end in use, once chosen.
    pub backend: RwSignal<Option<BackendInfo>>,
    /// Training speed.
    pub throughput: RwSignal<Throughput>,
    /// The back ends this lab offers, in picker order.
    pub backends: &'static [BackendKind],
}

impl RunSignals {
    /// Paused at epoch 0, no back end yet, offering `backends`.
    pub fn new(backends: &'static [BackendKind]) -> Self {
        Self {
            playing: RwSignal::new(false),
            epoch: RwSignal::new(0),
            backend: RwSignal::new(None),
            throughput: RwSignal::new(Throughput::default()),
            backends,
        }
    }
}

/// What the shell can ask of the open lab.
pub trait Lab {
    /// The run's signals.
    fn run(&self) -> RunSignals;
    /// Plays or pauses.
    fn toggle_play(&self);
    /// Trains exactly one more epoch.
    fn step(&self);
    /// Starts over from the initial weights.
    fn reset(&self);
    /// Moves training to another back end.
    fn switch_backend(&self, kind: BackendKind);
    /// The lab's state for a link (tracked: an effect re-runs when it changes), with the
    /// trained weights if asked and the lab can carry them.
    fn state(&self, with_weights: bool) -> LabState;
    /// Whether the lab's links can carry trained weights.
    fn shares_weights(&self) -> bool;
    /// Opens a saved or shared state of this lab.
    fn restore(&self, state: LabState);
}

/// The open lab, as the shell reaches it (a `Copy` handle; `None` while a lab is starting).
#[derive(Clone, Copy)]
pub struct OpenLab(pub StoredValue<Option<Rc<dyn Lab>>, LocalStorage>);

impl OpenLab {
    /// No lab yet.
    pub fn new() -> Self {
        Self(StoredValue::new_local(None))
    }

    /// The open lab, if any.
    pub fn get(self) -> Option<Rc<dyn Lab>> {
        self.0.get_value()
    }

    /// Makes `lab` the open lab.
    pub fn set(self, lab: Option<Rc<dyn Lab>>) {
        self.0.set_value(lab);
    }
}

/// Everything the shell shares with the labs through context.
#[derive(Clone, Copy)]
pub struct Shell {
    /// Messages for the user.
    pub notices: Notices,
    /// The open lab's run (the shell's badge and controls read it); replaced when a lab opens.
    pub run: RwSignal<Option<RunSignals>>,
    /// The open lab's commands.
    pub lab: OpenLab,
}

impl Shell {
    /// Registers `lab` as the open one (its run shows in the header).
    pub fn open(self, lab: Rc<dyn Lab>) {
        self.run.set(Some(lab.run()));
        self.lab.set(Some(lab));
    }

    /// Forgets the open lab (it is closing).
    pub fn close(self) {
        self.lab.set(None);
        self.run.set(None);
    }
}

/// The shell, from context.
pub fn use_shell() -> Shell {
    expect_context::<Shell>()
}
