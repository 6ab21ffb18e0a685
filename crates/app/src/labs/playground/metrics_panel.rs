//! Train and test loss (and accuracy) as numbers.

use emberlab_core::inspect::{Confusion, confusion};
use emberlab_core::{Dataset, Experiment, LayerWeights};
use emberlab_viz::class_colour;
use leptos::prelude::*;

use crate::frame::{Throttle, now_ms};
use crate::labs::playground::runner::use_runner;
use crate::labs::playground::state::Playground;

/// How often the per-class figures are recomputed while training (ms).
const BREAKDOWN_INTERVAL_MS: f64 = 500.0;

/// The test points' confusion matrix under `layers`, if the data is classification: the fused
/// engine's forward pass on the CPU (tens of microseconds), whatever engine trains.
fn test_confusion(
    experiment: &Experiment,
    dataset: &Dataset,
    layers: &[LayerWeights],
) -> Option<Confusion> {
    confusion(experiment, layers, &dataset.test).ok().flatten()
}

/// Per-class test accuracy and the test confusion matrix, for classification.
#[component]
pub fn ClassBreakdown(state: Playground) -> impl IntoView {
    let matrix = RwSignal::new(None::<Confusion>);
    let runner = use_runner();
    let throttle = StoredValue::new(Throttle::new(BREAKDOWN_INTERVAL_MS));
    Effect::new(move |_| {
        let snapshot = state.snapshot.get();
        let playing = state.run.playing.get();
        if throttle.try_update_value(|t| t.due(now_ms(), playing)) != Some(true) {
            return;
        }
        let result = match (snapshot, state.dataset.get_untracked()) {
            (Some(s), Some(d)) => test_confusion(&runner.get().experiment(), &d, &s.layers),
            _ => None,
        };
        matrix.set(result);
    });
    move || {
        matrix.get().map(|m| {
            let classes = m.classes;
            view! {
                <div class="class-breakdown">
                    <table class="confusion" data-testid="confusion" title="Test points: rows are the true class, columns the class the network picks. The diagonal is right.">
                        <tr>
                            <th>"true / picked"</th>
                            {(0..classes).map(|c| view! { <th><i class="swatch" style:background=class_colour(c).to_string()></i>{c + 1}</th> }).collect_view()}
                            <th>"right"</th>
                        </tr>
                        {(0..classes).map(|t| {
                            let accuracy = m.class_accuracy(t).map_or("–".to_string(), |a| format!("{:.0}%", 100.0 * a));
                            view! {
                                <tr>
                                    <th><i class="swatch" style:background=class_colour(t).to_string()></i>{t + 1}</th>
                                    {(0..classes).map(|g| { let n = m.at(t, g); view! { <td class:diagonal=g == t data-count=n.to_string()>{n.to_string()}</td> } }).collect_view()}
                                    <td class="class-accuracy" data-testid=format!("class-accuracy-{t}")>{accuracy}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </table>
                </div>
            }
        })
    }
}

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
