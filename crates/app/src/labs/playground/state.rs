//! The page's reactive state: what the runner writes and the components read.

use std::sync::Arc;

use emberlab_core::inspect::limits::EARLY_STOPPING_PATIENCE;
use emberlab_core::limits::MAX_HISTORY_IN_LINK;
use emberlab_core::playground_state::{
    Checkpoint, Hidden, HistoryPoint, PlaygroundState, Speed, ViewSettings, history_tail,
};
use emberlab_core::{Dataset, ExperimentConfig, Metrics, Snapshot};
use emberlab_viz::LossSeries;
use leptos::prelude::*;

use crate::backend::BackendKind;
use crate::labs::playground::editor_state::Editor;
use crate::labs::playground::step_descent::StepDescent;
use crate::notice::Notices;
use crate::shell::lab::RunSignals;

/// Every signal of the playground, shared by the runner and the components.
#[derive(Clone, Copy)]
pub struct Playground {
    /// The experiment being trained.
    pub config: RwSignal<ExperimentConfig>,
    /// The signals the shell reads: play state, epoch, back end, throughput.
    pub run: RunSignals,
    /// The latest metrics.
    pub metrics: RwSignal<Option<Metrics>>,
    /// The latest snapshot (weights and grids).
    pub snapshot: RwSignal<Option<Arc<Snapshot>>>,
    /// The points being learnt.
    pub dataset: RwSignal<Option<Arc<Dataset>>>,
    /// Loss (and accuracy) per observed epoch.
    pub history: RwSignal<LossSeries>,
    /// The history as points, converted once per change for every view that reads it.
    pub history_points: Memo<Vec<HistoryPoint>>,
    /// Messages for the user (bad input, divergence, device failure, links, storage).
    pub notices: Notices,
    /// Controls a shared demo hides.
    pub hidden: RwSignal<Hidden>,
    /// Whether the loss chart uses a log scale.
    pub log_scale: RwSignal<bool>,
    /// How much to train per frame.
    pub speed: RwSignal<Speed>,
    /// The neuron under the pointer (layer, neuron), shown large in the output panel.
    pub hovered_neuron: RwSignal<Option<(usize, usize)>>,
    /// Whether test points are drawn.
    pub show_test: RwSignal<bool>,
    /// Whether the output is drawn as two flat colours.
    pub discretize: RwSignal<bool>,
    /// Drawing the learner's own points.
    pub editor: Editor,
    /// The point of the input plane being probed (clicked on the output map), if any.
    pub probe: RwSignal<Option<(f32, f32)>>,
    /// Early stopping: pause and restore the best weights once the test loss stops improving.
    pub early_stopping: RwSignal<bool>,
    /// Epochs without a better test loss before early stopping acts.
    pub patience: RwSignal<u64>,
    /// The epoch and test loss of the best weights kept this run (what "restore best" loads).
    pub best: RwSignal<Option<(u64, f32)>>,
    /// While paused with the step view on: the next batch's descent direction, drawn on the
    /// links instead of the weights.
    pub step_descent: RwSignal<Option<StepDescent>>,
}

impl Playground {
    /// Fresh state for `config`, reporting to `notices`.
    pub fn new(config: ExperimentConfig, notices: Notices) -> Self {
        let view = ViewSettings::default();
        let history = RwSignal::new(LossSeries::default());
        Self {
            config: RwSignal::new(config),
            run: RunSignals::new(&BackendKind::ALL),
            metrics: RwSignal::new(None),
            snapshot: RwSignal::new(None),
            dataset: RwSignal::new(None),
            history,
            history_points: Memo::new(move |_| history.with(history_points)),
            notices,
            hidden: RwSignal::new(Hidden::none()),
            log_scale: RwSignal::new(view.log_scale),
            speed: RwSignal::new(view.speed),
            hovered_neuron: RwSignal::new(None),
            show_test: RwSignal::new(view.show_test),
            discretize: RwSignal::new(view.discretize),
            editor: Editor::new(),
            probe: RwSignal::new(None),
            early_stopping: RwSignal::new(false),
            patience: RwSignal::new(EARLY_STOPPING_PATIENCE),
            best: RwSignal::new(None),
            step_descent: RwSignal::new(None),
        }
    }

    /// The view toggles now (tracked).
    pub fn view_settings(&self) -> ViewSettings {
        ViewSettings {
            speed: self.speed.get(),
            show_test: self.show_test.get(),
            discretize: self.discretize.get(),
            log_scale: self.log_scale.get(),
        }
    }

    /// The view toggles now (untracked).
    pub fn view_settings_untracked(&self) -> ViewSettings {
        ViewSettings {
            speed: self.speed.get_untracked(),
            show_test: self.show_test.get_untracked(),
            discretize: self.discretize.get_untracked(),
            log_scale: self.log_scale.get_untracked(),
        }
    }

    /// The whole state (tracked), with the trained weights if asked and available.
    pub fn playground_state(&self, with_weights: bool) -> PlaygroundState {
        PlaygroundState {
            config: self.config.get(),
            view: self.view_settings(),
            hidden: self.hidden.get(),
            checkpoint: if with_weights {
                self.checkpoint()
            } else {
                None
            },
        }
    }

    /// The trained weights on screen with the loss history's tail (untracked); `None` before
    /// the first observation.
    pub fn checkpoint(&self) -> Option<Checkpoint> {
        let snapshot = self.snapshot.get_untracked()?;
        let history = self.history.with_untracked(history_points);
        Some(Checkpoint {
            epoch: snapshot.epoch,
            layers: snapshot.layers.clone(),
            history: history_tail(&history, MAX_HISTORY_IN_LINK),
        })
    }

    /// Sets everything but the experiment and weights from `state` (the runner restores those).
    pub fn set_view(&self, view: ViewSettings, hidden: Hidden) {
        self.speed.set(view.speed);
        self.show_test.set(view.show_test);
        self.discretize.set(view.discretize);
        self.log_scale.set(view.log_scale);
        self.hidden.set(hidden);
    }

    /// Appends an observation to the loss history (once per epoch). Readers are told only when
    /// `notify` is set, so the runner can redraw the chart less often than every frame.
    pub fn record(&self, metrics: &Metrics, notify: bool) {
        let epoch = u32::try_from(metrics.epoch).unwrap_or(u32::MAX);
        self.history.update_untracked(|h| {
            if h.train.last().is_some_and(|&(e, _)| e == epoch) {
                return;
            }
            h.train.push((epoch, metrics.train_loss));
            h.test.push((epoch, metrics.test_loss));
            if let (Some(a), Some(b)) = (metrics.train_accuracy, metrics.test_accuracy) {
                h.train_accuracy.push((epoch, a));
                h.test_accuracy.push((epoch, b));
            }
        });
        if notify {
            self.history.notify();
        }
    }
}

/// The chart's series as history points. [`Playground::record`] pushes accuracies together
/// with the losses, so for classification the four series share their indices.
pub fn history_points(series: &LossSeries) -> Vec<HistoryPoint> {
    let with_accuracy = series.train_accuracy.len() == series.train.len()
        && series.test_accuracy.len() == series.train.len();
    series
        .train
        .iter()
        .zip(&series.test)
        .enumerate()
        .map(|(i, (&(epoch, train_loss), &(_, test_loss)))| {
            let at = |s: &[(u32, f32)]| with_accuracy.then(|| s.get(i).map(|p| p.1)).flatten();
            HistoryPoint {
                epoch,
                train_loss,
                test_loss,
                train_accuracy: at(&series.train_accuracy),
                test_accuracy: at(&series.test_accuracy),
            }
        })
        .collect()
}

/// The chart's series from saved history points.
pub fn series_of(points: &[HistoryPoint]) -> LossSeries {
    let mut series = LossSeries::default();
    for p in points {
        series.train.push((p.epoch, p.train_loss));
        series.test.push((p.epoch, p.test_loss));
        if let (Some(a), Some(b)) = (p.train_accuracy, p.test_accuracy) {
            series.train_accuracy.push((p.epoch, a));
            series.test_accuracy.push((p.epoch, b));
        }
    }
    series
}
