//! The convolution lab: a small CNN the learner shapes, trained side by side with a dense
//! network on the same 8×8 handwritten digits, in a Web Worker. Views: the learned filters,
//! the feature maps of a chosen or drawn digit, class probabilities, the confusion matrix, the
//! mistakes, and the shared loss chart.

mod controls;
mod draw;
mod views;

use std::rc::Rc;

use emberlab_core::digits::{DigitsConfig, DigitsRequest, Probe};
use emberlab_core::lab::{LabKind, LabState};
use leptos::prelude::*;

use crate::backend::BackendKind;
use crate::shell::lab::{Lab, RunSignals, use_shell};
use crate::shell::loss_chart::LossChart;
use crate::shell::transport::Transport;
use crate::worker::protocol::{LabRequest, LabSetup};
use crate::worker::run::WorkerRun;
use crate::{autosave, link};

/// The convolution lab's page state.
#[derive(Clone, Copy)]
pub struct DigitsPage {
    /// The run in the worker.
    pub run: StoredValue<WorkerRun, LocalStorage>,
    /// The experiment (mirrors the run's setup).
    pub config: RwSignal<DigitsConfig>,
    /// The image whose feature maps show.
    pub probe: RwSignal<Probe>,
}

impl DigitsPage {
    /// The run.
    pub fn run(self) -> WorkerRun {
        self.run.get_value()
    }

    /// Sends what observations should show (filters always: they are drawn).
    pub fn send_request(self) {
        let probe = self.probe.get_untracked();
        self.run().request(LabRequest::Digits(DigitsRequest {
            probe: Some(probe),
            filters: true,
        }));
    }
}

struct DigitsHandle {
    page: DigitsPage,
}

impl Lab for DigitsHandle {
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
        LabState::Digits(self.page.config.get())
    }

    fn shares_weights(&self) -> bool {
        false
    }

    fn restore(&self, state: LabState) {
        if let LabState::Digits(config) = state {
            self.page.config.set(config.clone());
            self.page.run().set_setup(LabSetup::Digits(config));
            self.page.send_request();
        }
    }
}

/// The convolution lab's page.
#[component]
pub fn DigitsLab(initial: DigitsConfig) -> impl IntoView {
    let shell = use_shell();
    let config = match initial.validate() {
        Ok(_) => initial,
        Err(_) => DigitsConfig::default(),
    };
    let run = WorkerRun::start(LabSetup::Digits(config.clone()), shell.notices);
    let page = DigitsPage {
        run: StoredValue::new_local(run.clone()),
        config: RwSignal::new(config),
        probe: RwSignal::new(Probe::Test(0)),
    };
    page.send_request();
    shell.open(Rc::new(DigitsHandle { page }));
    link::follow(move || LabState::Digits(page.config.get()));
    autosave::follow(LabKind::Digits, shell.notices, move || {
        LabState::Digits(page.config.get())
    });
    on_cleanup(move || {
        page.run().stop();
        shell.close();
    });
    let history = run.history;
    let log_scale = run.log_scale;

    view! {
        <section class="bar">
            <Transport run=run.run />
            <controls::DigitsControls page=page />
        </section>
        <main class="panels digits-lab" data-testid="lab-digits-page">
            <section class="panel digits-network">
                <h2>"The two networks"</h2>
                <views::Architecture page=page />
                <views::Filters page=page />
            </section>
            <section class="panel digits-inside">
                <h2>"Inside, for one digit"</h2>
                <draw::ProbePicker page=page />
                <views::FeatureMaps page=page />
                <views::Probabilities page=page />
            </section>
            <section class="panel digits-results">
                <h2>"Results"</h2>
                <views::Figures page=page />
                <LossChart history=history log_scale=log_scale />
                <views::Confusion page=page />
                <views::Mistakes page=page />
            </section>
        </main>
    }
}
