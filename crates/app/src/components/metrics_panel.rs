//! Train and test loss (and accuracy) as numbers.

use leptos::prelude::*;

use crate::state::Playground;

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
    view! {
        <div class="metrics">
            <div>
                <span class="label">"Test loss "</span>
                <span class="value" data-testid="test-loss">{test}</span>
            </div>
            <div>
                <span class="label">"Training loss "</span>
                <span class="value" data-testid="train-loss">{train}</span>
            </div>
            <div class="accuracy" data-testid="accuracy">{accuracy}</div>
        </div>
    }
}
