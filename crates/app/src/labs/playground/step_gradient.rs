//! Backpropagation made visible (issue 12): while paused, the gradient of the next mini-batch
//! on every weight, drawn on the links before the update is applied. Blue links will grow,
//! orange ones shrink; the thicker, the bigger the push.

use std::sync::Arc;

use emberlab_core::inspect::{Objective, batch_gradient};
use emberlab_core::{FusedSession, LayerWeights, Point};
use leptos::prelude::*;

use crate::labs::playground::runner::use_runner;
use crate::labs::playground::state::Playground;
pub use crate::labs::playground::step_descent::{Push, StepDescent};

/// Minus `gradient`, and where its largest weight entry is.
fn descent_of(gradient: Vec<LayerWeights>) -> (Vec<LayerWeights>, Option<Push>) {
    let mut largest: Option<Push> = None;
    let descent = gradient
        .into_iter()
        .enumerate()
        .map(|(l, mut layer)| {
            for (k, w) in layer.weights.iter_mut().enumerate() {
                *w = -*w;
                if largest.is_none_or(|m| w.abs() > m.3.abs()) {
                    largest = Some((l, k / layer.outputs, k % layer.outputs, *w));
                }
            }
            for b in &mut layer.biases {
                *b = -*b;
            }
            layer
        })
        .collect();
    (descent, largest)
}

/// The toggle and its explanation; the network view draws the links from `state.step_descent`.
#[component]
pub fn StepGradient(state: Playground) -> impl IntoView {
    let runner = use_runner();
    let on = RwSignal::new(false);
    let problem_text = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        let wanted = on.get() && !state.run.playing.get();
        let snapshot = state.snapshot.get();
        if !wanted {
            // Only a change notifies: the network view redraws on every notification, and
            // this runs on every snapshot.
            if state.step_descent.with_untracked(Option::is_some) {
                state.step_descent.set(None);
            }
            return;
        }
        let Some(snapshot) = snapshot else {
            return;
        };
        let computed = (|| -> Result<StepDescent, String> {
            let experiment = runner.get().experiment();
            let training = experiment.config().training;
            let into = runner.get().steps_into_epoch().ok_or("no run yet")?;
            let session =
                FusedSession::resume(experiment.clone(), &snapshot.layers, snapshot.epoch)
                    .map_err(|e| e.to_string())?;
            let points: Vec<Point> = session
                .batch_after(into)
                .iter()
                .filter_map(|&i| session.dataset().train.get(i).copied())
                .collect();
            let gradient = batch_gradient(
                &experiment,
                &training,
                &snapshot.layers,
                &points,
                Objective::WithPenalty,
            )
            .map_err(|e| e.to_string())?;
            let (descent, largest) = descent_of(gradient);
            Ok(StepDescent {
                descent: Arc::new(descent),
                batch: points.len(),
                at: (snapshot.epoch, into),
                largest,
            })
        })();
        match computed {
            Ok(d) => {
                problem_text.set(None);
                state.step_descent.set(Some(d));
            }
            Err(e) => {
                problem_text.set(Some(format!("No gradient to show: {e}.")));
                state.step_descent.set(None);
            }
        }
    });
    let rate = move || state.config.with(|c| c.training.learning_rate);
    let words = move || {
        state.step_descent.with(|d| {
            let Some(d) = d else {
                return if state.run.playing.get() {
                    "Shown while paused: pause, then press Step to watch one update at a time."
                        .to_string()
                } else {
                    String::new()
                };
            };
            let largest = d.largest.map_or(String::new(), |(l, i, j, g)| {
                format!(
                    " The biggest push is on the link from input {} into neuron {} of layer {}: {} (SGD would change it by {:+.4}).",
                    i + 1,
                    j + 1,
                    l + 1,
                    if g > 0.0 { "up" } else { "down" },
                    f64::from(g) * rate()
                )
            });
            format!(
                "The links show the gradient of the next batch ({} points, step {} of epoch {}), before the update: blue links will grow, orange ones shrink.{largest}",
                d.batch,
                d.at.1 + 1,
                d.at.0 + 1,
            )
        })
    };
    view! {
        <div class="step-gradient" data-testid="step-gradient"
             data-showing=move || state.step_descent.with(Option::is_some).to_string()
             data-largest=move || state.step_descent.with(|d| d.as_ref().and_then(|d| d.largest).map_or(String::new(), |m| m.3.to_string()))>
            <label title="While paused, colour each link by how the next mini-batch pushes its weight (minus the gradient), before the update is applied.">
                <input type="checkbox" data-testid="step-gradients"
                    prop:checked=move || on.get()
                    on:change=move |ev| on.set(event_target_checked(&ev)) />
                " Show the next step's gradient on the links"
            </label>
            {move || problem_text.get().map(|t| view! { <p class="problem" role="alert">{t}</p> })}
            <p class="explain" data-testid="step-gradient-words">{words}</p>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_descent_is_minus_the_gradient_and_its_largest_entry_is_found() {
        let gradient = vec![LayerWeights {
            inputs: 2,
            outputs: 2,
            weights: vec![0.1, -0.5, 0.2, 0.3],
            biases: vec![1.0, -1.0],
        }];
        let (descent, largest) = descent_of(gradient);
        assert_eq!(descent[0].weights, vec![-0.1, 0.5, -0.2, -0.3]);
        assert_eq!(descent[0].biases, vec![-1.0, 1.0]);
        assert_eq!(largest, Some((0, 0, 1, 0.5)));
    }
}
