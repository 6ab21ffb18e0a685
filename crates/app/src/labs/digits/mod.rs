//! The convolution lab: a small CNN the learner shapes, trained side by side with a dense
//! network on the same 8×8 handwritten digits, in a Web Worker. Views: the learned filters,
//! the feature maps of a chosen or drawn digit, class probabilities, the confusion matrix, the
//! mistakes, and the shared loss chart.

mod controls;
mod draw;
mod views;

use emberlab_core::digits::{DigitsConfig, DigitsRequest, Probe};
use emberlab_core::lab::{LabKind, LabState};
use leptos::prelude::*;

use crate::shell::loss_chart::LossChart;
use crate::shell::transport::Transport;
use crate::shell::worker_lab::{WorkerLab, WorkerLabKind};
use emberlab_core::run::{LabRequest, LabSetup};

/// The convolution lab's types.
pub struct Digits;

impl WorkerLabKind for Digits {
    type Config = DigitsConfig;
    type Probe = Probe;
    const KIND: LabKind = LabKind::Digits;

    fn first_probe() -> Probe {
        Probe::Test(0)
    }

    fn state(config: DigitsConfig) -> LabState {
        LabState::Digits(config)
    }

    fn config_of(state: LabState) -> Option<DigitsConfig> {
        match state {
            LabState::Digits(config) => Some(config),
            _ => None,
        }
    }

    fn setup(config: DigitsConfig) -> LabSetup {
        LabSetup::Digits(config)
    }

    fn check(config: &DigitsConfig) -> Result<(), String> {
        config.validate().map(|_| ()).map_err(|e| e.to_string())
    }

    fn request(probe: Probe) -> LabRequest {
        LabRequest::Digits(DigitsRequest {
            probe: Some(probe),
            filters: true,
        })
    }
}

/// The convolution lab's page state.
pub type DigitsPage = WorkerLab<Digits>;

/// The convolution lab's page.
#[component]
pub fn DigitsLab(initial: DigitsConfig) -> impl IntoView {
    let page = DigitsPage::open(initial);
    let (history, log_scale) = (page.run().history, page.run().log_scale);

    view! {
        <section class="bar">
            <Transport run=page.run().run />
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
