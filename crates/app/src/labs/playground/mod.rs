//! The playground: dense networks on 2-D data, TensorFlow-Playground style, trained on the
//! main thread by the fused CPU engine (or WebGPU, or burn Flex) in per-frame slices.

pub mod background;
pub mod config_change;
pub mod curve_panel;
pub mod data_editor;
pub mod data_panel;
pub mod editor_state;
pub mod export_panel;
pub mod hyper_bar;
pub mod inside_panel;
pub mod landscape_panel;
pub mod metrics_panel;
pub mod network_view;
pub mod output_panel;
pub mod overfitting_panel;
pub mod probe_panel;
pub mod race_panel;
pub mod run_b_panel;
pub mod runner;
pub mod small_chart;
pub mod state;
pub mod step_descent;
pub mod step_gradient;
pub mod weight_editor;

use std::rc::Rc;

use emberlab_core::ExperimentConfig;
use emberlab_core::lab::{LabKind, LabState};
use emberlab_core::playground_state::{Control, PlaygroundState};
use leptos::prelude::*;

use crate::backend::BackendKind;
use crate::shell::lab::{Lab, RunSignals, use_shell};
use crate::shell::loss_chart::LossChart;
use crate::shell::transport::Transport;
use crate::{autosave, link};
use curve_panel::CurvePanel;
use data_panel::DataPanel;
use export_panel::ExportPanel;
use hyper_bar::HyperBar;
use inside_panel::InsidePanel;
use landscape_panel::LandscapePanel;
use metrics_panel::{ClassBreakdown, MetricsPanel};
use network_view::NetworkView;
use output_panel::OutputPanel;
use overfitting_panel::OverfittingPanel;
use probe_panel::ProbePanel;
use race_panel::RacePanel;
use run_b_panel::RunBPanel;
use runner::{Runner, RunnerRef};
use state::Playground;
use step_gradient::StepGradient;

/// The playground as the shell sees it.
struct PlaygroundHandle {
    state: Playground,
    runner: Runner,
}

impl Lab for PlaygroundHandle {
    fn run(&self) -> RunSignals {
        self.state.run
    }

    fn toggle_play(&self) {
        self.runner.toggle_play();
    }

    fn step(&self) {
        self.runner.step();
    }

    fn reset(&self) {
        self.runner.reset();
    }

    fn switch_backend(&self, kind: BackendKind) {
        self.runner.switch_backend(kind);
    }

    fn state(&self, with_weights: bool) -> LabState {
        LabState::Playground(self.state.playground_state(with_weights))
    }

    fn shares_weights(&self) -> bool {
        true
    }

    fn restore(&self, state: LabState) {
        if let LabState::Playground(s) = state {
            self.runner.restore(s);
        }
    }
}

/// The playground page.
#[component]
pub fn PlaygroundLab(initial: PlaygroundState) -> impl IntoView {
    let shell = use_shell();
    let state = Playground::new(ExperimentConfig::default(), shell.notices);
    let runner = Runner::start(state, initial);
    let runner_ref = RunnerRef::provide(runner.clone());
    shell.open(Rc::new(PlaygroundHandle {
        state,
        runner: runner.clone(),
    }));
    link::follow(move || LabState::Playground(state.playground_state(false)));
    autosave::follow(
        LabKind::Playground,
        shell.notices,
        move || {
            // A new snapshot is a change too (the weights are saved with the experiment).
            state.snapshot.track();
            let _ = state.playground_state(false);
        },
        move || LabState::Playground(state.playground_state(true)),
    );
    // `hideText`: the shell's text hides with the playground's flag.
    if let Some(text_shown) = use_context::<RwSignal<bool>>() {
        Effect::new(move |_| {
            text_shown.set(!state.hidden.with(|h| h.hides(Control::Text)));
        });
    }
    on_cleanup(move || {
        runner_ref.get().stop();
        shell.close();
    });

    view! {
        <section class="bar">
            <Transport run=state.run hidden=state.hidden />
            <HyperBar state=state />
        </section>
        <main class="panels">
            <section class="panel data">
                <h2>"Data"</h2>
                <DataPanel state=state />
            </section>
            <section class="panel network-panel">
                <h2>"Network"</h2>
                <NetworkView state=state runner=runner />
                <StepGradient state=state />
                <ProbePanel state=state />
            </section>
            <section class="panel output-panel">
                <h2>"Output"</h2>
                <MetricsPanel state=state />
                <OutputPanel state=state />
                <LossChart history=state.history log_scale=state.log_scale />
                <ClassBreakdown state=state />
                <ExportPanel state=state />
            </section>
            <section class="panel inside-panel">
                <h2>"Inside training"</h2>
                <div class="inside">
                    <OverfittingPanel state=state />
                    <CurvePanel state=state />
                </div>
                <InsidePanel state=state />
                <div class="inside">
                    <LandscapePanel state=state />
                </div>
            </section>
            <section class="panel compare-panel">
                <h2>"Compare runs"</h2>
                <div class="inside">
                    <RunBPanel state=state />
                    <RacePanel state=state />
                </div>
            </section>
        </main>
    }
}
