//! The optimiser race (issue 12): SGD, momentum, Adam and RMSProp train the same network from
//! the same initial weights on the same batches, beside the main run, a few milliseconds per
//! frame; their training losses are drawn over one another.

use emberlab_core::inspect::{RACE_EPOCHS, RACERS};
use emberlab_core::training::OptimizerKind;
use leptos::html::Canvas;
use leptos::prelude::*;

use crate::labs::playground::background::{Job, in_worker};
use crate::labs::playground::small_chart::{Axes, Line, draw_lines};
use crate::labs::playground::state::Playground;
use crate::worker::jobs::protocol::{JobReport, JobSpec};

/// Each racer's colour.
const RACER_COLOURS: [&str; 4] = ["#6b7280", "#8e44ad", "#0877bd", "#e07b1a"];
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
        if state.config.get_untracked().validate().is_err() {
            problem_text.set(Some("The experiment is not valid; fix it first.".into()));
            return;
        }
        problem_text.set(None);
        curves.set(Vec::new());
        epoch.set(0);
        running.set(true);
        let spec = JobSpec::Race(state.config.get_untracked());
        let started = in_worker(&spec, move |report| match report {
            JobReport::Race {
                epoch: e,
                curves: c,
                done,
            } => {
                curves.set(c.into_iter().map(|points| Curve { points }).collect());
                epoch.set(e);
                if done {
                    running.set(false);
                }
            }
            JobReport::Failed(e) => {
                running.set(false);
                problem_text.set(Some(format!("The race stopped: {e}")));
            }
            // Another job's reports never come here.
            _ => {}
        });
        match started {
            Ok(new_job) => job.set_value(new_job),
            Err(e) => {
                running.set(false);
                problem_text.set(Some(format!("The race cannot start: {e}.")));
            }
        }
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
