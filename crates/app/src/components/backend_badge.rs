//! Which back end trains, why, and how fast.

use leptos::prelude::*;

use crate::state::Playground;

/// The back-end badge.
#[component]
pub fn BackendBadge(state: Playground) -> impl IntoView {
    let label = move || state.backend.get().map_or("…", |b| b.kind.label());
    let reason = move || state.backend.get().map(|b| b.reason).unwrap_or_default();
    let speed = move || {
        let t = state.throughput.get();
        if t.epochs_per_second > 0.0 {
            format!(
                "{:.0} epochs/s · {:.2} ms/step",
                t.epochs_per_second, t.ms_per_step
            )
        } else {
            String::new()
        }
    };
    view! {
        <div class="backend" title=reason>
            <span class="backend-kind" data-testid="backend">{label}</span>
            <span class="backend-reason">{reason}</span>
            <span class="backend-speed" data-testid="throughput">{speed}</span>
        </div>
    }
}
