//! The attention lab: a tiny transformer trained live on toy sequence tasks (sort, reverse,
//! rotate, count) in a Web Worker, next to an LSTM on the same task; its attention maps per
//! layer and head for a test or typed sequence, and how they sharpen over training.

mod controls;
mod views;

use std::rc::Rc;

use emberlab_core::attention::{AttentionConfig, AttentionRequest, Probe};
use emberlab_core::lab::{LabKind, LabState};
use leptos::prelude::*;

use crate::backend::BackendKind;
use crate::shell::lab::{Lab, RunSignals, use_shell};
use crate::shell::loss_chart::LossChart;
use crate::shell::transport::Transport;
use crate::worker::protocol::{LabRequest, LabSetup};
use crate::worker::run::WorkerRun;
use crate::{autosave, link};

/// The attention lab's page state.
#[derive(Clone, Copy)]
pub struct AttentionPage {
    /// The run in the worker.
    pub run: StoredValue<WorkerRun, LocalStorage>,
    /// The experiment (mirrors the run's setup).
    pub config: RwSignal<AttentionConfig>,
    /// The sequence being looked at.
    pub probe: RwSignal<Probe>,
}

impl AttentionPage {
    /// The run.
    pub fn run(self) -> WorkerRun {
        self.run.get_value()
    }

    /// Sends what observations should show (the worker decides when metrics are due).
    pub fn send_request(self) {
        let probe = self.probe.get_untracked();
        self.run()
            .request(LabRequest::Attention(AttentionRequest::with_probe(probe)));
    }
}

struct AttentionHandle {
    page: AttentionPage,
}

impl Lab for AttentionHandle {
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
        LabState::Attention(self.page.config.get())
    }

    fn shares_weights(&self) -> bool {
        false
    }

    fn restore(&self, state: LabState) {
        if let LabState::Attention(config) = state {
            self.page.config.set(config.clone());
            self.page.run().set_setup(LabSetup::Attention(config));
            self.page.send_request();
        }
    }
}

/// The attention lab's page.
#[component]
pub fn AttentionLab(initial: AttentionConfig) -> impl IntoView {
    let shell = use_shell();
    let config = match initial.validate() {
        Ok(_) => initial,
        Err(_) => AttentionConfig::default(),
    };
    let run = WorkerRun::start(LabSetup::Attention(config.clone()), shell.notices);
    let page = AttentionPage {
        run: StoredValue::new_local(run.clone()),
        config: RwSignal::new(config),
        probe: RwSignal::new(Probe::Test(0)),
    };
    page.send_request();
    shell.open(Rc::new(AttentionHandle { page }));
    link::follow(move || LabState::Attention(page.config.get()));
    autosave::follow(LabKind::Attention, shell.notices, move || {
        LabState::Attention(page.config.get())
    });
    on_cleanup(move || {
        page.run().stop();
        shell.close();
    });
    let (history, log_scale) = (run.history, run.log_scale);

    view! {
        <section class="bar">
            <Transport run=run.run />
            <controls::AttentionControls page=page />
        </section>
        <main class="panels attention-lab">
            <section class="panel attention-probe">
                <h2>"Where the transformer looks"</h2>
                <views::SequenceInput page=page />
                <views::Predictions page=page />
                <views::AttentionMaps page=page />
            </section>
            <section class="panel attention-results">
                <h2>"Learning"</h2>
                <views::Figures page=page />
                <LossChart history=history log_scale=log_scale />
                <views::Explanation page=page />
            </section>
        </main>
    }
}
