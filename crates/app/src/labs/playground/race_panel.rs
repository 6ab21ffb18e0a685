//! The optimiser race (issue 12): SGD, momentum, Adam and RMSProp train the same network from
//! the same initial weights on the same batches, beside the main run, a few milliseconds per
//! frame; their training losses are drawn over one another.

use emberlab_core::FusedSession;
use emberlab_core::Steps;
use emberlab_core::inspect::{optimizer_variants, race};
use emberlab_core::model::initial_weights;
use emberlab_core::training::OptimizerKind;
use leptos::html::Canvas;
use leptos::prelude::*;

use crate::labs::playground::background::{Job, each_frame, past};
use crate::labs::playground::small_chart::{Axes, Line, draw_lines};
use crate::labs::playground::state::Playground;

/// The racers, in the order they are shown.
const RACERS: [OptimizerKind; 4] = [
    OptimizerKind::Sgd,
    OptimizerKind::Momentum,
    OptimizerKind::Adam,
    OptimizerKind::RmsProp,
];
/// Each racer's colour.
const RACER_COLOURS: [&str; 4] = ["#6b7280", "#8e44ad", "#0877bd", "#e07b1a"];
/// Epochs each racer trains.
const RACE_EPOCHS: u64 = 200;
/// Epochs between two recorded losses.
const RECORD_EVERY: u64 = 2;
/// The chart's size in CSS pixels.
const RACE_SIZE: (f64, f64) = (320.0, 170.0);

/// One racer's curve: (epoch, training loss).
#[derive(Clone, Debug, PartialEq, Default)]
struct Curve {
    points: Vec<(f64, f64)>,
}

impl Curve {
    fn first(&self) -> Option<f64> {
        self.points.first().map(|p| p.1)
    }

    fn last(&self) -> Option<f64> {
        self.points.last().map(|p| p.1)
    }
}

/// The racers' names as the panel shows them.
fn racer_name(kind: OptimizerKind) -> &'static str {
    match kind {
        OptimizerKind::Sgd => "SGD",
        OptimizerKind::Momentum => "Momentum",
        OptimizerKind::Adam => "Adam",
        OptimizerKind::AdamW => "AdamW",
        OptimizerKind::RmsProp => "RMSProp",
    }
}

/// Trains every racer to the same next epoch until the deadline; records the losses every
/// [`RECORD_EVERY`] epochs. Returns whether the race goes on.
fn race_frame(sessions: &mut [FusedSession], curves: &mut [Curve], deadline: f64) -> bool {
    loop {
        let epoch = sessions
            .iter()
            .map(Steps::epoch)
            .min()
            .unwrap_or(RACE_EPOCHS);
        if epoch >= RACE_EPOCHS {
            return false;
        }
        for s in sessions.iter_mut().filter(|s| s.epoch() == epoch) {
            s.train_epochs(1);
            if past(deadline) {
                break;
            }
        }
        let level = sessions.iter().all(|s| s.epoch() == epoch + 1);
        if level && (epoch + 1) % RECORD_EVERY == 0 {
            for (s, c) in sessions.iter_mut().zip(curves.iter_mut()) {
                let loss = f64::from(s.metrics().train_loss);
                c.points.push(((epoch + 1) as f64, loss));
            }
        }
        if past(deadline) {
            return true;
        }
    }
}

/// The race: a button, the overlaid curves and each racer's latest loss.
#[component]
pub fn RacePanel(state: Playground) -> impl IntoView {
    let curves = RwSignal::new(Vec::<Curve>::new());
    let epoch = RwSignal::new(0u64);
    let running = RwSignal::new(false);
    let problem_text = RwSignal::new(None::<String>);
    let job = StoredValue::new_local(Job::default());
    on_cleanup(move || job.with_value(Job::stop));
    let start = move |_| {
        job.with_value(Job::stop);
        let Ok(experiment) = state.config.get_untracked().validate() else {
            problem_text.set(Some("The experiment is not valid; fix it first.".into()));
            return;
        };
        let training = experiment.config().training;
        let weights = initial_weights(&experiment);
        let variants = optimizer_variants(&training, &RACERS);
        let mut sessions = match race(&experiment, &weights, 0, &variants) {
            Ok(s) => s,
            Err(e) => {
                problem_text.set(Some(format!("The race cannot start: {e}.")));
                return;
            }
        };
        problem_text.set(None);
        let start: Vec<Curve> = sessions
            .iter_mut()
            .map(|s| Curve {
                points: vec![(0.0, f64::from(s.metrics().train_loss))],
            })
            .collect();
        curves.set(start);
        epoch.set(0);
        running.set(true);
        let new_job = each_frame(move |deadline| {
            let mut go_on = true;
            curves.update(|c| go_on = race_frame(&mut sessions, c, deadline));
            epoch.set(sessions.iter().map(Steps::epoch).min().unwrap_or(0));
            if !go_on {
                running.set(false);
            }
            go_on
        });
        job.set_value(new_job);
    };
    let canvas: NodeRef<Canvas> = NodeRef::new();
    Effect::new(move |_| {
        let Some(c) = canvas.get() else {
            return;
        };
        curves.with(|curves| {
            let lines: Vec<Line<'_>> = curves
                .iter()
                .zip(RACER_COLOURS)
                .map(|(curve, colour)| Line {
                    colour,
                    dashed: false,
                    points: &curve.points,
                    dots: false,
                })
                .collect();
            draw_lines(
                &c,
                &Axes {
                    size: RACE_SIZE,
                    x_name: "epoch",
                    log_y: true,
                },
                &lines,
            );
        });
    });
    let learning_rate = move || state.config.with(|c| c.training.learning_rate);
    view! {
        <div class="race" data-testid="race-panel"
             data-epoch=move || epoch.get().to_string()
             data-running=move || running.get().to_string()>
            <h3>"Optimiser race"</h3>
            <p class="explain">{move || format!(
                "Four optimisers train this network from the same initial weights on the same batches, at learning rate {}, for {RACE_EPOCHS} epochs. The lines are their training losses (log scale).",
                learning_rate()
            )}</p>
            <button data-testid="race" on:click=start
                title="Train SGD, momentum, Adam and RMSProp side by side from the same start (beside the main run)">
                {move || if running.get() { "Restart the race" } else { "Start the race" }}
            </button>
            {move || problem_text.get().map(|t| view! { <p class="problem" role="alert">{t}</p> })}
            <canvas
                node_ref=canvas
                class="race-chart"
                width=RACE_SIZE.0
                height=RACE_SIZE.1
                role="img"
                aria-label="Training loss of each optimiser over the epochs"
            ></canvas>
            <ul class="race-results">
                {RACERS.iter().zip(RACER_COLOURS).enumerate().map(|(k, (&kind, colour))| {
                    let curve = move || curves.with(|c| c.get(k).cloned().unwrap_or_default());
                    view! {
                        <li data-testid=format!("race-{}", kind.key())
                            data-start=move || curve().first().map_or(String::new(), |v| v.to_string())
                            data-loss=move || curve().last().map_or(String::new(), |v| v.to_string())>
                            <i class="swatch" style:background=colour></i>
                            {racer_name(kind)} ": "
                            {move || curve().last().map_or("not started".to_string(), |v| format!("loss {}", emberlab_viz::chart::loss_tick_label(v as f32)))}
                        </li>
                    }
                }).collect_view()}
            </ul>
            <p class="race-status" data-testid="race-status">{move || {
                let e = epoch.get();
                if curves.with(Vec::is_empty) {
                    "Press Start to race.".to_string()
                } else if running.get() {
                    format!("Epoch {e} of {RACE_EPOCHS}…")
                } else {
                    format!("Done: {e} epochs each.")
                }
            }}</p>
            <details class="why">
                <summary>"What to look for"</summary>
                <p>"All four start at the same loss: only the update rule differs. Plain SGD steps along the gradient; momentum keeps a running velocity, so it speeds up along long slopes; Adam and RMSProp divide each weight's step by the size of its recent gradients, so weights with small gradients still move. Try a tiny and a huge learning rate and race again."</p>
            </details>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use emberlab_core::ExperimentConfig;

    #[test]
    fn the_racers_start_level_and_finish() {
        let experiment = ExperimentConfig::default()
            .validate()
            .unwrap_or_else(|e| panic!("{e}"));
        let training = experiment.config().training;
        let weights = initial_weights(&experiment);
        let variants = optimizer_variants(&training, &RACERS);
        let mut sessions =
            race(&experiment, &weights, 0, &variants).unwrap_or_else(|e| panic!("{e}"));
        let mut curves = vec![Curve::default(); RACERS.len()];
        while race_frame(&mut sessions, &mut curves, f64::INFINITY) {}
        assert!(sessions.iter().all(|s| s.epoch() == RACE_EPOCHS));
        assert!(
            curves
                .iter()
                .all(|c| c.points.len() == (RACE_EPOCHS / RECORD_EVERY) as usize)
        );
        let adam = curves[2].last().unwrap_or(f64::NAN);
        let sgd = curves[0].last().unwrap_or(f64::NAN);
        assert!(adam.is_finite() && sgd.is_finite());
    }
}
