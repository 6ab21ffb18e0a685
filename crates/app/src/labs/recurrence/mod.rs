//! The recurrence lab: a vanilla RNN, an LSTM and a GRU trained side by side on memory tasks
//! in a Web Worker; the gradient reaching each time step (the vanishing gradient), hidden
//! states and LSTM gates over time, and accuracy against sequence length.

mod controls;
mod views;

use std::rc::Rc;

use emberlab_core::lab::{LabKind, LabState};
use emberlab_core::recurrence::{RecurrenceConfig, RecurrenceRequest};
use leptos::prelude::*;

use crate::backend::BackendKind;
use crate::shell::lab::{Lab, RunSignals, use_shell};
use crate::shell::loss_chart::LossChart;
use crate::shell::transport::Transport;
use crate::worker::protocol::{LabRequest, LabSetup};
use crate::worker::run::WorkerRun;
use crate::{autosave, link};

/// The recurrence lab's page state.
#[derive(Clone, Copy)]
pub struct RecurrencePage {
    /// The run in the worker.
    pub run: StoredValue<WorkerRun, LocalStorage>,
    /// The experiment (mirrors the run's setup).
    pub config: RwSignal<RecurrenceConfig>,
    /// The traced test sequence.
    pub sequence: RwSignal<u32>,
}

impl RecurrencePage {
    /// The run.
    pub fn run(self) -> WorkerRun {
        self.run.get_value()
    }

    /// Sends what observations should show (the worker decides when metrics are due).
    pub fn send_request(self) {
        self.run()
            .request(LabRequest::Recurrence(RecurrenceRequest {
                metrics: true,
                gradients: true,
                sequence: Some(self.sequence.get_untracked()),
            }));
    }
}

struct RecurrenceHandle {
    page: RecurrencePage,
}

impl Lab for RecurrenceHandle {
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
        LabState::Recurrence(self.page.config.get())
    }

    fn shares_weights(&self) -> bool {
        false
    }

    fn restore(&self, state: LabState) {
        if let LabState::Recurrence(config) = state {
            self.page.config.set(config.clone());
            self.page.run().set_setup(LabSetup::Recurrence(config));
            self.page.send_request();
        }
    }
}

/// The recurrence lab's page.
#[component]
pub fn RecurrenceLab(initial: RecurrenceConfig) -> impl IntoView {
    let shell = use_shell();
    let config = match initial.validate() {
        Ok(_) => initial,
        Err(_) => RecurrenceConfig::default(),
    };
    let run = WorkerRun::start(LabSetup::Recurrence(config.clone()), shell.notices);
    let page = RecurrencePage {
        run: StoredValue::new_local(run.clone()),
        config: RwSignal::new(config),
        sequence: RwSignal::new(0),
    };
    page.send_request();
    shell.open(Rc::new(RecurrenceHandle { page }));
    link::follow(move || LabState::Recurrence(page.config.get()));
    autosave::follow(LabKind::Recurrence, shell.notices, move || {
        LabState::Recurrence(page.config.get())
    });
    on_cleanup(move || {
        page.run().stop();
        shell.close();
    });
    let (history, log_scale) = (run.history, run.log_scale);

    view! {
        <section class="bar">
            <Transport run=run.run />
            <controls::RecurrenceControls page=page />
        </section>
        <main class="panels recurrence-lab" data-testid="lab-recurrence">
            <section class="panel recurrence-gradients">
                <h2>"Memory and the vanishing gradient"</h2>
                <views::Figures page=page />
                <views::GradientStrips page=page />
                <views::Explanation />
            </section>
            <section class="panel recurrence-inside">
                <h2>"Inside, for one sequence"</h2>
                <views::SequenceTrace page=page />
            </section>
            <section class="panel recurrence-results">
                <h2>"Learning"</h2>
                <LossChart history=history log_scale=log_scale />
                <views::LengthSweep page=page />
            </section>
        </main>
    }
}
