//! Train and test loss (and accuracy) as numbers.

use emberlab_core::export::predict;
use emberlab_core::{Dataset, LayerWeights, Problem};
use emberlab_viz::class_colour;
use leptos::prelude::*;

use crate::frame::now_ms;
use crate::labs::playground::state::Playground;

/// How often the per-class figures are recomputed while training (ms).
const BREAKDOWN_INTERVAL_MS: f64 = 500.0;

/// `matrix[true][predicted]` counts of `(true, predicted)` class pairs; pairs outside
/// `classes` are left out.
pub fn confusion_matrix(pairs: &[(usize, usize)], classes: usize) -> Vec<Vec<u32>> {
    let mut matrix = vec![vec![0; classes]; classes];
    for &(truth, guess) in pairs {
        if let Some(cell) = matrix.get_mut(truth).and_then(|row| row.get_mut(guess)) {
            *cell += 1;
        }
    }
    matrix
}

/// The class a network's outputs pick: class 1 above one half for a single (sigmoid) output,
/// else the largest.
fn predicted_class(outputs: &[f32]) -> usize {
    match outputs {
        [p] => usize::from(*p > 0.5),
        many => many
            .iter()
            .enumerate()
            .max_by(|a, b| a.1.total_cmp(b.1))
            .map_or(0, |(i, _)| i),
    }
}

/// The test points' confusion matrix under `layers`, if the data is classification.
fn test_confusion(
    state: Playground,
    dataset: &Dataset,
    layers: &[LayerWeights],
) -> Option<Vec<Vec<u32>>> {
    let classes = match dataset.problem {
        Problem::Binary => 2,
        Problem::Multiclass { classes } => classes,
        Problem::Regression => return None,
    };
    let experiment = state.config.get_untracked().validate().ok()?;
    let points: Vec<(f32, f32)> = dataset.test.iter().map(|p| (p.x, p.y)).collect();
    let outputs = predict(&experiment, layers, &points).ok()?;
    let pairs: Vec<(usize, usize)> = dataset
        .test
        .iter()
        .zip(&outputs)
        .map(|(p, o)| (p.label.max(0.0) as usize, predicted_class(o)))
        .collect();
    Some(confusion_matrix(&pairs, classes))
}

/// Per-class test accuracy and the test confusion matrix, for classification.
#[component]
fn ClassBreakdown(state: Playground) -> impl IntoView {
    let matrix = RwSignal::new(None::<Vec<Vec<u32>>>);
    let computed_at = StoredValue::new(f64::NEG_INFINITY);
    Effect::new(move |_| {
        let snapshot = state.snapshot.get();
        let playing = state.run.playing.get();
        let now = now_ms();
        if playing && now - computed_at.get_value() < BREAKDOWN_INTERVAL_MS {
            return;
        }
        computed_at.set_value(now);
        let result = match (snapshot, state.dataset.get_untracked()) {
            (Some(s), Some(d)) => test_confusion(state, &d, &s.layers),
            _ => None,
        };
        matrix.set(result);
    });
    move || {
        matrix.get().map(|m| {
            let classes = m.len();
            view! {
                <div class="class-breakdown">
                    <table class="confusion" data-testid="confusion" title="Test points: rows are the true class, columns the class the network picks. The diagonal is right.">
                        <tr>
                            <th>"true / picked"</th>
                            {(0..classes).map(|c| view! { <th><i class="swatch" style:background=class_colour(c).to_string()></i>{c + 1}</th> }).collect_view()}
                            <th>"right"</th>
                        </tr>
                        {m.iter().enumerate().map(|(t, row)| {
                            let total: u32 = row.iter().sum();
                            let right = row.get(t).copied().unwrap_or(0);
                            let accuracy = if total > 0 { format!("{:.0}%", 100.0 * f64::from(right) / f64::from(total)) } else { "–".to_string() };
                            view! {
                                <tr>
                                    <th><i class="swatch" style:background=class_colour(t).to_string()></i>{t + 1}</th>
                                    {row.iter().enumerate().map(|(g, n)| view! { <td class:diagonal=g == t data-count=n.to_string()>{n.to_string()}</td> }).collect_view()}
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
        <ClassBreakdown state=state />
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_confusion_matrix_counts_each_pair_once() {
        let pairs = [(0, 0), (0, 1), (1, 1), (2, 2), (2, 0), (2, 2), (7, 0)];
        assert_eq!(
            confusion_matrix(&pairs, 3),
            vec![vec![1, 1, 0], vec![0, 1, 0], vec![1, 0, 2]]
        );
    }

    #[test]
    fn one_output_picks_by_one_half_and_many_by_the_largest() {
        assert_eq!(predicted_class(&[0.7]), 1);
        assert_eq!(predicted_class(&[0.2]), 0);
        assert_eq!(predicted_class(&[0.1, 0.6, 0.3]), 1);
    }
}
