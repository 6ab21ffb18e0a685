//! The recurrence lab: a vanilla RNN, an LSTM and a GRU trained side by side on memory tasks
//! in a Web Worker; the gradient reaching each time step (the vanishing gradient), hidden
//! states and LSTM gates over time, and accuracy against sequence length.

mod controls;
mod views;

use emberlab_core::lab::{LabKind, LabState};
use emberlab_core::recurrence::{RecurrenceConfig, RecurrenceRequest};
use leptos::prelude::*;

use crate::shell::loss_chart::LossChart;
use crate::shell::transport::Transport;
use crate::shell::worker_lab::{WorkerLab, WorkerLabKind};
use emberlab_core::run::{LabRequest, LabSetup};

/// The recurrence lab's types; its probe is the index of the traced test sequence.
pub struct Recurrence;

impl WorkerLabKind for Recurrence {
    type Config = RecurrenceConfig;
    type Probe = u32;
    const KIND: LabKind = LabKind::Recurrence;

    fn first_probe() -> u32 {
        0
    }

    fn state(config: RecurrenceConfig) -> LabState {
        LabState::Recurrence(config)
    }

    fn config_of(state: LabState) -> Option<RecurrenceConfig> {
        match state {
            LabState::Recurrence(config) => Some(config),
            _ => None,
        }
    }

    fn setup(config: RecurrenceConfig) -> LabSetup {
        LabSetup::Recurrence(config)
    }

    fn check(config: &RecurrenceConfig) -> Result<(), String> {
        config.validate().map(|_| ()).map_err(|e| e.to_string())
    }

    fn request(sequence: u32) -> LabRequest {
        LabRequest::Recurrence(RecurrenceRequest {
            metrics: true,
            gradients: true,
            sequence: Some(sequence),
        })
    }
}

/// The recurrence lab's page state.
pub type RecurrencePage = WorkerLab<Recurrence>;

/// The recurrence lab's page.
#[component]
pub fn RecurrenceLab(initial: RecurrenceConfig) -> impl IntoView {
    let page = RecurrencePage::open(initial);
    let (history, log_scale) = (page.run().history, page.run().log_scale);

    view! {
        <section class="bar">
            <Transport run=page.run().run />
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
