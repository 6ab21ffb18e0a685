//! Which back end trains, why, and how fast; a picker moves training to another one.

use leptos::prelude::*;

use crate::runner::Runner;
use crate::state::{BackendKind, Playground};

/// The back-end badge and picker.
#[component]
pub fn BackendBadge(state: Playground, runner: Runner) -> impl IntoView {
    let label = move || state.backend.get().map_or("…", |b| b.kind.label());
    let reason = move || state.backend.get().map(|b| b.reason).unwrap_or_default();
    let current = move || state.backend.get().map(|b| b.kind);
    let speed = move || {
        let t = state.throughput.get();
        if t.epochs_per_second > 0.0 {
            format!(
                "{:.0} epochs/s · {:.3} ms/step",
                t.epochs_per_second, t.ms_per_step
            )
        } else {
            String::new()
        }
    };
    let pick = move |ev| {
        let value = event_target_value(&ev);
        if let Some(kind) = BackendKind::from_query(&value)
            && current() != Some(kind)
        {
            runner.switch_backend(kind);
        }
    };
    view! {
        <div class="backend" title=reason>
            <span class="backend-kind" data-testid="backend">{label}</span>
            <select
                data-testid="backend-picker"
                aria-label="Training back end"
                on:change=pick
            >
                {BackendKind::ALL
                    .iter()
                    .map(|&kind| {
                        view! {
                            <option value=kind.query() selected=move || current() == Some(kind)>
                                {kind.description()}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            <span class="backend-reason">{reason}</span>
            <span class="backend-speed" data-testid="throughput">{speed}</span>
        </div>
    }
}
