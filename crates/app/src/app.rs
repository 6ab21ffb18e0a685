//! The root component: owns the state, starts the runner, lays out the panels.

use emberlab_core::ExperimentConfig;
use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::components::backend_badge::BackendBadge;
use crate::components::controls::Controls;
use crate::components::data_panel::DataPanel;
use crate::components::hyper_bar::HyperBar;
use crate::components::loss_chart::LossChart;
use crate::components::metrics_panel::MetricsPanel;
use crate::components::network_view::NetworkView;
use crate::components::notice::Notice;
use crate::components::output_panel::OutputPanel;
use crate::runner::Runner;
use crate::state::Playground;

/// Whether a key event comes from a form field (where keys must keep their meaning).
fn typed_into_field(event: &web_sys::KeyboardEvent) -> bool {
    event
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|e| matches!(e.tag_name().as_str(), "INPUT" | "SELECT" | "TEXTAREA"))
}

/// The Emberlab page.
#[component]
pub fn App() -> impl IntoView {
    let state = Playground::new(ExperimentConfig::default());
    let runner = Runner::start(state);

    // Config edits reach the session through the runner only.
    let applier = runner.clone();
    Effect::new(move |_| applier.apply(state.config.get()));

    // Keyboard: space = play/pause, s = step, r = reset.
    let keys = runner.clone();
    let handle = window_event_listener(ev::keydown, move |event| {
        if typed_into_field(&event) || event.ctrl_key() || event.meta_key() || event.alt_key() {
            return;
        }
        match event.key().as_str() {
            " " => {
                event.prevent_default();
                keys.toggle_play();
            }
            "s" | "S" => keys.step(),
            "r" | "R" => keys.reset(),
            _ => {}
        }
    });
    on_cleanup(move || handle.remove());

    view! {
        <header class="top">
            <h1>"Emberlab"</h1>
            <p class="tagline">"Neural networks, trained live in your browser with burn."</p>
            <BackendBadge state=state runner=runner.clone() />
        </header>
        <Notice state=state />
        <section class="bar">
            <Controls state=state runner=runner.clone() />
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
            </section>
            <section class="panel output-panel">
                <h2>"Output"</h2>
                <MetricsPanel state=state />
                <LossChart state=state />
                <OutputPanel state=state />
            </section>
        </main>
    }
}
