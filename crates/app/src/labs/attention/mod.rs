//! The attention lab: a tiny transformer trained live on toy sequence tasks (sort, reverse,
//! rotate, count) in a Web Worker, next to an LSTM on the same task; its attention maps per
//! layer and head for a test or typed sequence, and how they sharpen over training.

mod controls;
mod views;

use emberlab_core::attention::{AttentionConfig, AttentionRequest, Probe};
use emberlab_core::lab::{LabKind, LabState};
use leptos::prelude::*;

use crate::shell::loss_chart::LossChart;
use crate::shell::transport::Transport;
use crate::shell::worker_lab::{WorkerLab, WorkerLabKind};
use emberlab_core::run::{LabRequest, LabSetup};

/// The attention lab's types.
pub struct Attention;

impl WorkerLabKind for Attention {
    type Config = AttentionConfig;
    type Probe = Probe;
    const KIND: LabKind = LabKind::Attention;

    fn first_probe() -> Probe {
        Probe::Test(0)
    }

    fn state(config: AttentionConfig) -> LabState {
        LabState::Attention(config)
    }

    fn config_of(state: LabState) -> Option<AttentionConfig> {
        match state {
            LabState::Attention(config) => Some(config),
            _ => None,
        }
    }

    fn setup(config: AttentionConfig) -> LabSetup {
        LabSetup::Attention(config)
    }

    fn check(config: &AttentionConfig) -> Result<(), String> {
        config.validate().map(|_| ()).map_err(|e| e.to_string())
    }

    fn request(probe: Probe) -> LabRequest {
        LabRequest::Attention(AttentionRequest::with_probe(probe))
    }

    /// A typed sequence may not fit the new task's symbols and lengths.
    fn probe_after_rebuild(_probe: Probe) -> Probe {
        Self::first_probe()
    }
}

/// The attention lab's page state.
pub type AttentionPage = WorkerLab<Attention>;

/// The attention lab's page.
#[component]
pub fn AttentionLab(initial: AttentionConfig) -> impl IntoView {
    let page = AttentionPage::open(initial);
    let (history, log_scale) = (page.run().history, page.run().log_scale);

    view! {
        <section class="bar">
            <Transport run=page.run().run />
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
