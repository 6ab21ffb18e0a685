//! Train and test loss (and accuracy) as numbers.

use leptos::prelude::*;

use crate::labs::playground::state::Playground;

fn format_loss(v: f32) -> String {
    if v.is_finite() {
        format!("{v:.3}")
    } else {
        "NaN".into()
    }
}

/// The current figures.
#[component]
pub fn MetricsPanel(state: Playground) -> impl IntoView {
    let train = move || {
        state
            .metrics
            .get()
            .map_or("–".into(), |m| format_loss(m.train_loss))
    };
    let test = move || {
        state
            .metrics
            .get()
            .map_or("–".into(), |m| format_loss(m.test_loss))
    };
    let accuracy = move || {
        state.metrics.get().and_then(|m| {
            Some(format!(
                "accuracy {:.1}% train · {:.1}% test",
                m.train_accuracy? * 100.0,
                m.test_accuracy? * 100.0
            ))
        })
    };
    // Full precision for tests and for a curious user's hover.
    let exact = move |pick: fn(&emberlab_core::Metrics) -> f32| {
        move || state.metrics.get().map(|m| pick(&m).to_string())
    };
    view! {
        <div class="metrics">
            <div>
                <span class="label">"Test loss "</span>
                <span class="value" data-testid="test-loss" data-value=exact(|m| m.test_loss) title=exact(|m| m.test_loss)>{test}</span>
            </div>
            <div>
                <span class="label">"Training loss "</span>
                <span class="value" data-testid="train-loss" data-value=exact(|m| m.train_loss) title=exact(|m| m.train_loss)>{train}</span>
            </div>
            <div class="accuracy" data-testid="accuracy">{accuracy}</div>
        </div>
    }
}
