//! What every lab that trains in the Web Worker shares: its page state (the run, the
//! experiment, the probed input), its handle for the shell, its set-up (link, autosave,
//! clean-up) and the checked edit that rebuilds its models. A lab supplies a
//! [`WorkerLabKind`]: its types and how they map onto the shared link, setup and request.

use std::marker::PhantomData;
use std::rc::Rc;

use emberlab_core::lab::{LabKind, LabState};
use leptos::prelude::*;

use crate::backend::BackendKind;
use crate::notice::Topic;
use crate::shell::lab::{Lab, RunSignals, Shell, use_shell};
use crate::worker::run::WorkerRun;
use crate::{autosave, link};
use emberlab_core::run::{LabRequest, LabSetup};

/// How long a restart message stays.
const RESTART_MS: u64 = 4000;

/// One worker lab's types and their mapping onto what the shell and worker share.
pub trait WorkerLabKind: 'static {
    /// The experiment (what a link holds).
    type Config: Clone + Default + PartialEq + Send + Sync + 'static;
    /// The input whose insides the views show.
    type Probe: Clone + Send + Sync + 'static;
    /// Which lab this is.
    const KIND: LabKind;
    /// The probe a new or rebuilt run shows.
    fn first_probe() -> Self::Probe;
    /// The experiment as a link state.
    fn state(config: Self::Config) -> LabState;
    /// The experiment in a link state of this lab.
    fn config_of(state: LabState) -> Option<Self::Config>;
    /// The worker's setup for the experiment.
    fn setup(config: Self::Config) -> LabSetup;
    /// Why the experiment cannot run, in words.
    fn check(config: &Self::Config) -> Result<(), String>;
    /// What the observations should show for `probe`.
    fn request(probe: Self::Probe) -> LabRequest;
    /// The probe once the models are rebuilt for another experiment (by default the same).
    fn probe_after_rebuild(probe: Self::Probe) -> Self::Probe {
        probe
    }
}

/// A worker lab's page state (a `Copy` handle the views share).
pub struct WorkerLab<K: WorkerLabKind> {
    /// The run in the worker.
    pub run: StoredValue<WorkerRun, LocalStorage>,
    /// The experiment (mirrors the run's setup).
    pub config: RwSignal<K::Config>,
    /// The input whose insides show.
    pub probe: RwSignal<K::Probe>,
    shell: Shell,
    kind: PhantomData<fn() -> K>,
}

impl<K: WorkerLabKind> Clone for WorkerLab<K> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<K: WorkerLabKind> Copy for WorkerLab<K> {}

impl<K: WorkerLabKind> WorkerLab<K> {
    /// Opens the lab on `initial` (its defaults if `initial` cannot run): starts the worker
    /// run, registers with the shell, keeps the link and the autosave current, and stops the
    /// run when the page goes.
    pub fn open(initial: K::Config) -> Self {
        let shell = use_shell();
        let config = if K::check(&initial).is_ok() {
            initial
        } else {
            K::Config::default()
        };
        let run = WorkerRun::start(K::setup(config.clone()), shell.notices);
        let page = Self {
            run: StoredValue::new_local(run),
            config: RwSignal::new(config),
            probe: RwSignal::new(K::first_probe()),
            shell,
            kind: PhantomData,
        };
        page.send_request();
        shell.open(Rc::new(Handle { page }));
        link::follow(move || K::state(page.config.get()));
        autosave::follow(
            K::KIND,
            shell.notices,
            move || page.config.track(),
            move || K::state(page.config.get()),
        );
        on_cleanup(move || {
            page.run().stop();
            shell.close();
        });
        page
    }

    /// The run.
    pub fn run(self) -> WorkerRun {
        self.run.get_value()
    }

    /// Sends what observations should show (the worker decides when metrics are due).
    pub fn send_request(self) {
        self.run().request(K::request(self.probe.get_untracked()));
    }

    /// Applies `change` to the experiment if the result can run: the models are rebuilt
    /// (training restarts, and the page says so when it had started). Otherwise the page says
    /// why and nothing changes.
    pub fn edit(self, change: impl FnOnce(&mut K::Config)) {
        let shell = self.shell;
        let mut next = self.config.get_untracked();
        change(&mut next);
        if next == self.config.get_untracked() {
            return;
        }
        match K::check(&next) {
            Ok(()) => {
                let run = self.run();
                if run.run.epoch.get_untracked() > 0 {
                    shell.notices.flash(
                        Topic::Restart,
                        "Training restarted from epoch 0: the models were rebuilt for the new settings.",
                        RESTART_MS,
                    );
                }
                self.config.set(next.clone());
                run.set_setup(K::setup(next));
                self.probe
                    .update(|p| *p = K::probe_after_rebuild(p.clone()));
                self.send_request();
                shell.notices.clear(Topic::Config);
            }
            Err(e) => shell.notices.say(
                Topic::Config,
                format!("{e}. The change was not applied."),
                Vec::new(),
            ),
        }
    }

    /// Changes the learning rate live (training goes on): `write` puts it into the config,
    /// which links, autosave and a later reset use.
    pub fn set_learning_rate(self, rate: f64, write: impl FnOnce(&mut K::Config)) {
        self.config.update(write);
        self.run()
            .set_learning_rate(K::setup(self.config.get_untracked()), rate);
    }

    /// Opens a saved or shared experiment of this lab.
    fn restore(self, config: K::Config) {
        self.config.set(config.clone());
        self.run().set_setup(K::setup(config));
        self.probe
            .update(|p| *p = K::probe_after_rebuild(p.clone()));
        self.send_request();
    }
}

/// The shell's handle on an open worker lab.
struct Handle<K: WorkerLabKind> {
    page: WorkerLab<K>,
}

impl<K: WorkerLabKind> Lab for Handle<K> {
    fn run(&self) -> RunSignals {
        self.page.run().run
    }

    fn toggle_play(&self) {
        self.page.run().toggle_play();
    }

    fn step(&self) {
        self.page.run().step();
    }

    fn reset(&self) {
        self.page.run().reset();
        self.page.send_request();
    }

    fn switch_backend(&self, kind: BackendKind) {
        self.page.run().switch_backend(kind);
    }

    fn state(&self, _with_weights: bool) -> LabState {
        K::state(self.page.config.get())
    }

    fn shares_weights(&self) -> bool {
        false
    }

    fn restore(&self, state: LabState) {
        if let Some(config) = K::config_of(state) {
            self.page.restore(config);
        }
    }
}
