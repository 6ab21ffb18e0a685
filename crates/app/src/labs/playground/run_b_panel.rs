//! Run B (issue 12): the experiment duplicated with one thing changed, trained beside run A
//! (the playground's own run) from the same initial weights, epoch for epoch, in a worker of
//! its own; both losses overlaid and both decision surfaces side by side.

use std::sync::Arc;

use emberlab_core::limits::MAX_LEARNING_RATE;
use emberlab_core::model::initial_weights;
use emberlab_core::training::{OptimizerKind, Regularization};
use emberlab_core::{Activation, ExperimentConfig, Snapshot};
use leptos::html::Canvas;
use leptos::prelude::*;

use crate::drawing::{Fit, GridPainter};
use crate::labs::playground::background::{Job, in_worker};
use crate::labs::playground::runner::use_runner;
use crate::labs::playground::small_chart::{Axes, Line, draw_lines, thinned};
use crate::labs::playground::state::Playground;
use crate::worker::jobs::protocol::{JobReport, JobSpec};

/// Side of run B's decision-surface grid.
const B_GRID: usize = 50;
/// Most history points of each run drawn.
const B_CHART_POINTS: usize = 300;
/// The chart's size in CSS pixels.
const B_CHART: (f64, f64) = (320.0, 170.0);
/// Run A's colour; run B's.
const A_COLOUR: &str = "#3b6fb6";
const B_COLOUR: &str = "#c0392b";
/// L2 rate run B tries when run A has no regularisation.
const B_L2_RATE: f64 = 0.01;

/// The one thing run B changes.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Change {
    LearningRateUp,
    LearningRateDown,
    Optimizer,
    Activation,
    Regularization,
    Seed,
}

impl Change {
    const ALL: [Change; 6] = [
        Change::LearningRateUp,
        Change::LearningRateDown,
        Change::Optimizer,
        Change::Activation,
        Change::Regularization,
        Change::Seed,
    ];

    fn key(self) -> &'static str {
        match self {
            Change::LearningRateUp => "lr-up",
            Change::LearningRateDown => "lr-down",
            Change::Optimizer => "optimizer",
            Change::Activation => "activation",
            Change::Regularization => "regularization",
            Change::Seed => "seed",
        }
    }

    fn from_key(key: &str) -> Self {
        Change::ALL
            .into_iter()
            .find(|c| c.key() == key)
            .unwrap_or(Change::LearningRateUp)
    }

    /// Applies the change to `config`; says what B does differently.
    fn apply(self, config: &mut ExperimentConfig) -> String {
        let training = &mut config.training;
        match self {
            Change::LearningRateUp => {
                let was = training.learning_rate;
                training.learning_rate = (was * 10.0).min(MAX_LEARNING_RATE);
                format!("learning rate {} (A: {was})", training.learning_rate)
            }
            Change::LearningRateDown => {
                let was = training.learning_rate;
                training.learning_rate = was / 10.0;
                format!("learning rate {} (A: {was})", training.learning_rate)
            }
            Change::Optimizer => {
                let was = training.optimizer;
                training.optimizer = if was == OptimizerKind::Adam {
                    OptimizerKind::Sgd
                } else {
                    OptimizerKind::Adam
                };
                format!(
                    "optimiser {} (A: {})",
                    training.optimizer.name(),
                    was.name()
                )
            }
            Change::Activation => {
                let was = config
                    .network
                    .hidden
                    .first()
                    .map_or(Activation::Tanh, |l| l.activation);
                let next = if was == Activation::Tanh {
                    Activation::Relu
                } else {
                    Activation::Tanh
                };
                for layer in &mut config.network.hidden {
                    layer.activation = next;
                }
                format!("activation {} (A: {})", next.name(), was.name())
            }
            Change::Regularization => {
                if training.regularization == Regularization::None {
                    training.regularization = Regularization::L2;
                    training.regularization_rate = B_L2_RATE;
                    format!("L2 regularisation {B_L2_RATE} (A: none)")
                } else {
                    let was = training.regularization.name();
                    training.regularization = Regularization::None;
                    training.regularization_rate = 0.0;
                    format!("no regularisation (A: {was})")
                }
            }
            Change::Seed => {
                config.seed = config.seed.wrapping_add(1);
                format!("seed {} (other data and initial weights)", config.seed)
            }
        }
    }

    fn label(self) -> &'static str {
        match self {
            Change::LearningRateUp => "learning rate × 10",
            Change::LearningRateDown => "learning rate ÷ 10",
            Change::Optimizer => "optimiser (SGD ⇄ Adam)",
            Change::Activation => "activation (tanh ⇄ ReLU)",
            Change::Regularization => "L2 regularisation on/off",
            Change::Seed => "another seed",
        }
    }
}

/// What the panel shows of run B.
#[derive(Clone, Default, PartialEq)]
struct Shown {
    description: String,
    epoch: u64,
    /// (epoch, train loss, test loss) per observation.
    history: Vec<(u64, f32, f32)>,
    snapshot: Option<Arc<Snapshot>>,
    closed: Option<String>,
}

/// Points of one chart line: (epoch, loss).
type Series = Vec<(f64, f64)>;

/// The run-B panel: pick a change, start, and compare.
#[component]
pub fn RunBPanel(state: Playground) -> impl IntoView {
    let runner = use_runner();
    let change = RwSignal::new(Change::LearningRateUp);
    let shown = RwSignal::new(None::<Shown>);
    let problem_text = RwSignal::new(None::<String>);
    let job = StoredValue::new_local(Job::default());
    on_cleanup(move || job.with_value(Job::stop));
    let close = move |why: String| {
        job.with_value(Job::stop);
        shown.update(|s| {
            if let Some(s) = s {
                s.closed = Some(why);
            }
        });
    };
    let start = move |_| {
        job.with_value(Job::stop);
        let config_a = state.config.get_untracked();
        let mut config_b = config_a.clone();
        let description = change.get_untracked().apply(&mut config_b);
        let (experiment_a, experiment_b) = match (config_a.validate(), config_b.validate()) {
            (Ok(a), Ok(b)) => (a, b),
            (Err(e), _) | (_, Err(e)) => {
                problem_text.set(Some(format!("Run B cannot start: {e}.")));
                return;
            }
        };
        // Both runs start at epoch 0; B from A's initial weights unless its seed differs.
        runner.get().reset();
        let weights = (config_b.seed == config_a.seed).then(|| initial_weights(&experiment_a));
        drop(experiment_b);
        let spec = JobSpec::RunB {
            config: config_b,
            weights,
            grid: B_GRID,
        };
        problem_text.set(None);
        shown.set(Some(Shown {
            description,
            epoch: 0,
            history: Vec::new(),
            snapshot: None,
            closed: None,
        }));
        let started = in_worker(&spec, move |report| match report {
            JobReport::RunB {
                epoch,
                train_loss,
                test_loss,
                snapshot,
            } => shown.update(|s| {
                if let Some(s) = s {
                    s.epoch = epoch;
                    s.history.push((epoch, train_loss, test_loss));
                    if let Some(snap) = snapshot {
                        s.snapshot = Some(Arc::new(snap));
                    }
                }
            }),
            JobReport::Failed(e) => close(format!("Run B stopped: {e}")),
            // Another job's reports never come here.
            _ => {}
        });
        match started {
            Ok(new_job) => job.set_value(new_job),
            Err(e) => {
                shown.set(None);
                problem_text.set(Some(format!("Run B cannot start: {e}.")));
            }
        }
    };
    // Run B follows run A epoch for epoch, and stops when run A goes back.
    Effect::new(move |_| {
        let target = state.run.epoch.get();
        let b_epoch =
            shown.with_untracked(|s| s.as_ref().filter(|s| s.closed.is_none()).map(|s| s.epoch));
        let Some(b_epoch) = b_epoch else {
            return;
        };
        if target < b_epoch {
            close(
                "Run A went back (reset, a restart or restored weights), so run B stopped. Start it again to compare."
                    .into(),
            );
        } else {
            job.with_value(|j| j.follow(target));
        }
    });
    // Both decision surfaces, side by side.
    let surface_a: NodeRef<Canvas> = NodeRef::new();
    let surface_b: NodeRef<Canvas> = NodeRef::new();
    let painter = StoredValue::new_local(GridPainter::new());
    let fit = Fit {
        discrete: false,
        scaled: false,
    };
    Effect::new(move |_| {
        let problem = state.dataset.with(|d| d.as_ref().map(|d| d.problem));
        let open = shown.with(Option::is_some);
        if let (Some(canvas), Some(snapshot), Some(problem), true) =
            (surface_a.get(), state.snapshot.get(), problem, open)
        {
            painter.update_value(|p| p.draw_output(&canvas, &snapshot, problem, fit));
        }
    });
    Effect::new(move |_| {
        let problem = state.dataset.with(|d| d.as_ref().map(|d| d.problem));
        let snapshot = shown.with(|s| s.as_ref().and_then(|s| s.snapshot.clone()));
        if let (Some(canvas), Some(snapshot), Some(problem)) = (surface_b.get(), snapshot, problem)
        {
            painter.update_value(|p| p.draw_output(&canvas, &snapshot, problem, fit));
        }
    });
    let chart: NodeRef<Canvas> = NodeRef::new();
    Effect::new(move |_| {
        let Some(canvas) = chart.get() else {
            return;
        };
        let _time = crate::timing::Span::new("draw run B");
        let (a_train, a_test): (Series, Series) = state
            .history_points
            .with(|a| thinned(a, B_CHART_POINTS))
            .iter()
            .map(|p| {
                let e = f64::from(p.epoch);
                ((e, f64::from(p.train_loss)), (e, f64::from(p.test_loss)))
            })
            .unzip();
        shown.with(|s| {
            let Some(s) = s else {
                return;
            };
            let (b_train, b_test): (Series, Series) = thinned(&s.history, B_CHART_POINTS)
                .iter()
                .map(|&(e, train, test)| {
                    let e = e as f64;
                    ((e, f64::from(train)), (e, f64::from(test)))
                })
                .unzip();
            let line = |colour, dashed, points| Line {
                colour,
                dashed,
                points,
                dots: false,
            };
            draw_lines(
                &canvas,
                &Axes {
                    size: B_CHART,
                    x_name: "epoch",
                    log_y: false,
                },
                &[
                    line(A_COLOUR, true, &a_train),
                    line(A_COLOUR, false, &a_test),
                    line(B_COLOUR, true, &b_train),
                    line(B_COLOUR, false, &b_test),
                ],
            );
        });
    });
    let latest = move || shown.with(|s| s.as_ref().and_then(|s| s.history.last().copied()));
    let b_behind = move || {
        shown.with(|s| {
            s.as_ref()
                .map_or(0, |s| state.run.epoch.get().saturating_sub(s.epoch))
        })
    };
    view! {
        <div class="run-b" data-testid="run-b-panel">
            <h3>"Run B: change one thing"</h3>
            <p class="explain">"Duplicates this experiment with one change and trains both from epoch 0 on the same data and initial weights, epoch for epoch, so any difference comes from that change."</p>
            <div class="run-b-controls">
                <label>"B changes "
                    <select data-testid="run-b-change"
                        on:change=move |ev| change.set(Change::from_key(&event_target_value(&ev)))>
                        {Change::ALL.into_iter().map(|c| view! {
                            <option value=c.key() selected=c == Change::LearningRateUp>{c.label()}</option>
                        }).collect_view()}
                    </select>
                </label>
                <button data-testid="run-b" on:click=start
                    title="Restart this run and train a copy with the change beside it; press Play to train both">
                    "Duplicate into run B"
                </button>
                <Show when=move || shown.with(|s| s.as_ref().is_some_and(|s| s.closed.is_none()))>
                    <button data-testid="run-b-close" on:click=move |_| close("Run B closed.".into())>"Close run B"</button>
                </Show>
            </div>
            {move || problem_text.get().map(|t| view! { <p class="problem" role="alert">{t}</p> })}
            <Show when=move || shown.with(Option::is_some)>
                <p class="run-b-what" data-testid="run-b-what">{move || shown.with(|s| s.as_ref().map(|s| format!("B: {}. Press Play to train both.", s.description)))}</p>
                {move || shown.with(|s| s.as_ref().and_then(|s| s.closed.clone())).map(|t| view! { <p class="hint" data-testid="run-b-closed">{t}</p> })}
                <div class="run-b-surfaces">
                    <figure>
                        <canvas node_ref=surface_a class="run-surface" width="1" height="1" data-testid="run-a-surface" aria-label="Run A's decision surface"></canvas>
                        <figcaption>"Run A (these settings)"</figcaption>
                    </figure>
                    <figure>
                        <canvas node_ref=surface_b class="run-surface" width="1" height="1" data-testid="run-b-surface" aria-label="Run B's decision surface"></canvas>
                        <figcaption>"Run B"</figcaption>
                    </figure>
                </div>
                <canvas node_ref=chart class="run-b-chart" width=B_CHART.0 height=B_CHART.1 role="img"
                    aria-label="Training (dashed) and test (solid) loss of run A (blue) and run B (red)"></canvas>
                <p class="legend-line">
                    <i class="swatch" style:background=A_COLOUR></i>" run A "
                    <i class="swatch" style:background=B_COLOUR></i>" run B; dashed: training loss, solid: test loss"
                </p>
                <p class="run-b-figures">
                    "Run B: epoch "<span data-testid="run-b-epoch">{move || shown.with(|s| s.as_ref().map_or(0, |s| s.epoch)).to_string()}</span>
                    ", training loss "<span data-testid="run-b-train-loss" data-value=move || latest().map_or(String::new(), |l| l.1.to_string())>{move || latest().map_or("–".into(), |l| format!("{:.3}", l.1))}</span>
                    ", test loss "<span data-testid="run-b-test-loss" data-value=move || latest().map_or(String::new(), |l| l.2.to_string())>{move || latest().map_or("–".into(), |l| format!("{:.3}", l.2))}</span>
                    {move || (b_behind() > 0).then(|| format!(" ({} epochs behind A)", b_behind()))}
                </p>
            </Show>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_change_changes_exactly_its_setting_and_stays_valid() {
        for change in Change::ALL {
            let a = ExperimentConfig::default();
            let mut b = a.clone();
            let words = change.apply(&mut b);
            assert_ne!(a, b, "{change:?} changed nothing");
            assert!(b.validate().is_ok(), "{change:?}: {words}");
            assert_eq!(a.data, b.data);
            assert_eq!(Change::from_key(change.key()), change);
            if change == Change::Activation {
                assert_eq!(a.training, b.training);
            } else {
                assert_eq!(a.network, b.network);
            }
        }
    }
}
