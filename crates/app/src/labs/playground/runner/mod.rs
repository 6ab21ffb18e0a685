//! The playground's runner: the only place that talks to the training core. It owns the
//! trainer, trains in per-frame time slices, reads results back (asynchronously on a GPU) once
//! per frame and writes signals. Components reach it through context and send it commands.

mod meter;
pub mod plan;
mod slice;

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

use emberlab_core::Steps;
use emberlab_core::inspect::{EarlyStopping, Verdict};
use emberlab_core::playground_state::PlaygroundState;
use emberlab_core::run::{DivergenceGuard, Health, StallWatch};
use emberlab_core::{Engine, Experiment, ExperimentConfig, Observation, Snapshot, Trainer};
use emberlab_viz::LossSeries;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::backend::{BackendInfo, BackendKind, Choice, chosen_engine, forced_backend, probe};
use crate::budget::{MIN_TRAIN_MS, TrainBudget};
use crate::frame::{next_animation_frame, now_ms};
use crate::labs::playground::config_change::{ConfigChange, classify, restart_reason};
use crate::labs::playground::state::{Playground, series_of};
use crate::notice::Topic;
use crate::timing::{record, timed};

pub use meter::Throughput;
use meter::{GpuCap, Meter};
use plan::{FramePlan, FrameState};
use slice::train_for;

/// Least time between two redraws of the loss chart while playing.
const CHART_INTERVAL_MS: f64 = 250.0;
/// How long the "training restarted" message stays.
pub const RESTART_NOTICE_MS: u64 = 4000;

struct Inner {
    trainer: Option<Trainer>,
    /// The config the trainer runs (always valid).
    applied: ExperimentConfig,
    engine: Engine,
    /// Which back end `engine` is (a GPU trains asynchronously, the CPU within a time budget).
    kind: BackendKind,
    /// Bumped whenever the trainer is replaced, so late results of the old one are dropped.
    generation: u64,
    /// Whether an observation is due although nothing trained (new trainer).
    dirty: bool,
    plan: FramePlan,
    gpu_cap: GpuCap,
    /// CPU: training time per frame, adapted to the frame pace.
    budget: TrainBudget,
    /// CPU: steps between two clock reads.
    chunk: usize,
    /// When the previous frame started.
    last_frame_ms: f64,
    /// Frames played so far (a big network observes every other one).
    frames: u64,
    meter: Meter,
    /// When the loss chart was last told to redraw.
    chart_drawn_ms: f64,
    /// Watches the loss; keeps the last snapshot whose loss was sane.
    guard: DivergenceGuard<Arc<Snapshot>>,
    /// Notices a classifier stuck at chance.
    stall: StallWatch,
    /// The lab closed: the frame loop ends.
    stopped: bool,
    /// Accuracy of always guessing the most common class (classification), else `None`.
    chance: Option<f32>,
    /// Watches the test loss and keeps the best weights of this run (early stopping and
    /// "restore best weights").
    watch: EarlyStopping,
}

/// Handle to the runner; cheap to clone into event handlers.
#[derive(Clone)]
pub struct Runner {
    inner: Rc<RefCell<Inner>>,
    state: Playground,
}

impl Runner {
    /// Picks a back end, builds the trainer for `initial` (continuing from its weights, if
    /// any) and starts the frame loop.
    pub fn start(state: Playground, initial: PlaygroundState) -> Runner {
        let config = match initial.config.validate() {
            Ok(_) => initial.config.clone(),
            Err(_) => ExperimentConfig::default(),
        };
        let runner = Runner {
            inner: Rc::new(RefCell::new(Inner {
                trainer: None,
                applied: config,
                engine: Engine::Fused,
                kind: BackendKind::Cpu,
                generation: 0,
                dirty: false,
                plan: FramePlan::default(),
                gpu_cap: GpuCap::default(),
                budget: TrainBudget::default(),
                chunk: 1,
                last_frame_ms: 0.0,
                frames: 0,
                meter: Meter::default(),
                chart_drawn_ms: 0.0,
                guard: DivergenceGuard::new(),
                stall: StallWatch::default(),
                chance: None,
                stopped: false,
                watch: EarlyStopping::default(),
            })),
            state,
        };
        let this = runner.clone();
        spawn_local(async move {
            let forced = forced_backend();
            if let Err(unknown) = &forced {
                this.state.notices.say(
                    Topic::Backend,
                    format!(
                        "The address asks for the back end \"{unknown}\", which does not exist; \
                         use ?backend=cpu, webgpu or flex. The page chose one itself."
                    ),
                    Vec::new(),
                );
            }
            let forced = forced.ok().flatten();
            let (engine, info) = match forced {
                Some(kind) => chosen_engine(kind, Choice::Url).await,
                None => (
                    Engine::Fused,
                    BackendInfo {
                        kind: BackendKind::Cpu,
                        reason: "measuring which back end is faster for this network…".into(),
                    },
                ),
            };
            if let Some(kind) = forced
                && info.kind != kind
            {
                this.state
                    .notices
                    .say(Topic::Backend, info.reason.clone(), Vec::new());
            }
            {
                let mut inner = this.inner.borrow_mut();
                inner.engine = engine;
                inner.kind = info.kind;
            }
            this.restore(initial);
            this.state.run.backend.set(Some(info));
            if forced.is_none() {
                let prober = this.clone();
                spawn_local(async move { prober.probe_and_switch().await });
            }
            loop {
                next_animation_frame().await;
                if this.inner.borrow().stopped {
                    break;
                }
                this.tick().await;
            }
            // Dropping the trainer frees its device memory.
            this.inner.borrow_mut().trainer = None;
        });
        runner
    }

    /// Stops the frame loop for good (the lab closed).
    pub fn stop(&self) {
        self.inner.borrow_mut().stopped = true;
    }

    /// Plays or pauses.
    pub fn toggle_play(&self) {
        self.state.run.playing.update(|p| *p = !*p);
        {
            let mut inner = self.inner.borrow_mut();
            inner.meter.clear();
            inner.plan.clear();
        }
        if !self.state.run.playing.get_untracked() {
            // While playing the chart redraws at most every CHART_INTERVAL_MS: show the
            // latest epochs now.
            self.state.history.notify();
        }
    }

    /// Trains exactly one more epoch (pauses first).
    pub fn step(&self) {
        self.state.run.playing.set(false);
        self.inner.borrow_mut().plan.request_step();
    }

    /// Rebuilds the trainer from the current config (same seed, so the same initial weights)
    /// and pauses.
    pub fn reset(&self) {
        self.state.run.playing.set(false);
        let experiment = self.experiment();
        let engine = self.inner.borrow().engine.clone();
        self.install(Trainer::new(experiment, engine));
        self.state.notices.clear(Topic::Training);
    }

    /// Applies an edit of the experiment: checked first, then applied (training settings live,
    /// anything else by a rebuild that keeps playing), and only then shown. A refused edit
    /// leaves everything as it was and says why.
    pub fn edit(&self, change: impl FnOnce(&mut ExperimentConfig)) {
        let applied = self.inner.borrow().applied.clone();
        let mut next = applied.clone();
        change(&mut next);
        // Fewer training points (data set, size, ratio) can leave the batch too big: shrink it.
        if next.data != applied.data {
            next.fit_batch_to_data();
        }
        let outcome = match classify(&applied, &next) {
            ConfigChange::None => Ok(()),
            ConfigChange::Live(training) => {
                let mut inner = self.inner.borrow_mut();
                match inner.trainer.as_mut() {
                    Some(trainer) => trainer.set_training(training),
                    None => emberlab_core::experiment::check_training(
                        &training,
                        next.problem(),
                        next.data.train_count(),
                    ),
                }
            }
            ConfigChange::Reset => next.validate().map(|experiment| {
                let epoch = self.state.metrics.get_untracked().map_or(0, |m| m.epoch);
                if epoch > 0 {
                    self.say_restarted(restart_reason(&applied, &next));
                }
                let engine = self.inner.borrow().engine.clone();
                self.install(Trainer::new(experiment, engine));
            }),
        };
        match outcome {
            Ok(()) => {
                self.inner.borrow_mut().applied = next.clone();
                self.state.config.set(next);
                self.state.notices.clear(Topic::Config);
            }
            Err(e) => self.state.notices.say(
                Topic::Config,
                format!("{e}. The change was not applied."),
                Vec::new(),
            ),
        }
    }

    fn say_restarted(&self, reason: &str) {
        self.state.notices.flash(
            Topic::Restart,
            format!("Training restarted from epoch 0: {reason}."),
            RESTART_NOTICE_MS,
        );
    }

    /// Opens a whole saved or shared state: experiment, view, hidden controls, and the trained
    /// weights with their history when it carries them (training then continues from there).
    pub fn restore(&self, state: PlaygroundState) {
        self.state.run.playing.set(false);
        self.state.set_view(state.view, state.hidden);
        let config = match state.config.validate() {
            Ok(_) => state.config,
            Err(e) => {
                self.state.notices.say(
                    Topic::Config,
                    format!("{e}. The default experiment is shown instead."),
                    Vec::new(),
                );
                ExperimentConfig::default()
            }
        };
        self.inner.borrow_mut().applied = config.clone();
        self.state.config.set(config);
        let experiment = self.experiment();
        let engine = self.inner.borrow().engine.clone();
        let checkpoint = state.checkpoint;
        let resumed = checkpoint
            .as_ref()
            .map(|c| Trainer::resume(experiment.clone(), engine.clone(), &c.layers, c.epoch));
        match resumed {
            Some(Ok(trainer)) => {
                self.install(trainer);
                if let Some(c) = &checkpoint {
                    self.state.history.set(series_of(&c.history));
                }
            }
            Some(Err(e)) => {
                self.state.notices.say(
                    Topic::Link,
                    format!("The saved weights could not be loaded ({e}); training starts from fresh weights."),
                    Vec::new(),
                );
                self.install(Trainer::new(experiment, engine));
            }
            None => self.install(Trainer::new(experiment, engine)),
        }
    }

    /// Sets one weight (layer `layer`, from input `from` to neuron `to`) by hand; training
    /// continues from the edited network with fresh optimiser state.
    pub fn edit_weight(&self, layer: usize, from: usize, to: usize, value: f32) {
        let Some(snapshot) = self.state.snapshot.get_untracked() else {
            return;
        };
        let mut layers = snapshot.layers.clone();
        let Some(l) = layers.get_mut(layer) else {
            return;
        };
        let Some(w) = l.weights.get_mut(from * l.outputs + to) else {
            return;
        };
        *w = value;
        let experiment = self.experiment();
        let engine = self.inner.borrow().engine.clone();
        match Trainer::resume(experiment, engine, &layers, snapshot.epoch) {
            Ok(trainer) => self.install_keeping_history(trainer),
            Err(e) => self
                .state
                .notices
                .say(Topic::Config, e.to_string(), Vec::new()),
        }
    }

    /// Optimiser steps already taken in the current epoch (`None` before a trainer exists).
    pub fn steps_into_epoch(&self) -> Option<usize> {
        let inner = self.inner.borrow();
        let trainer = inner.trainer.as_ref()?;
        Some(
            trainer
                .steps_per_epoch()
                .saturating_sub(trainer.steps_left_in_epoch()),
        )
    }

    /// Moves training to the back end the user picked, keeping the weights and the history.
    pub fn switch_backend(&self, kind: BackendKind) {
        let this = self.clone();
        spawn_local(async move {
            let (engine, info) = chosen_engine(kind, Choice::Picker).await;
            if info.kind == kind {
                this.state.notices.clear(Topic::Backend);
            } else {
                this.state
                    .notices
                    .say(Topic::Backend, info.reason.clone(), Vec::new());
            }
            this.move_to(engine, info);
        });
    }

    /// Continues the current run on `engine`.
    fn move_to(&self, engine: Engine, info: BackendInfo) {
        let experiment = self.experiment();
        let snapshot = self.state.snapshot.get_untracked();
        let resumed = match &snapshot {
            Some(s) => Trainer::resume(experiment, engine.clone(), &s.layers, s.epoch),
            None => Ok(Trainer::new(experiment, engine.clone())),
        };
        match resumed {
            Ok(trainer) => {
                {
                    let mut inner = self.inner.borrow_mut();
                    inner.engine = engine;
                    inner.kind = info.kind;
                }
                self.install_keeping_history(trainer);
                self.state.run.backend.set(Some(info));
            }
            Err(e) => self.state.notices.say(
                Topic::Backend,
                format!("Could not move training to another back end: {e}"),
                Vec::new(),
            ),
        }
    }

    /// The applied config, validated (it always is: edits are checked before they apply).
    pub fn experiment(&self) -> Experiment {
        let config = self.inner.borrow().applied.clone();
        match config.validate() {
            Ok(experiment) => experiment,
            Err(_) => {
                let fallback = ExperimentConfig::default();
                self.inner.borrow_mut().applied = fallback.clone();
                self.state.config.set(fallback.clone());
                // The defaults are valid by construction (a unit test checks it).
                #[allow(clippy::expect_used)]
                fallback.validate().expect("default config is valid")
            }
        }
    }

    fn install(&self, trainer: Trainer) {
        self.state.run.epoch.set(trainer.epoch());
        let dataset = Arc::new(trainer.dataset().clone());
        let chance = chance_accuracy(&dataset);
        {
            let mut inner = self.inner.borrow_mut();
            inner.stall = StallWatch::default();
            inner.chance = chance;
            inner.trainer = Some(trainer);
            inner.generation += 1;
            inner.dirty = true;
            inner.plan.clear();
            inner.gpu_cap = GpuCap::default();
            inner.chunk = 1;
            inner.meter.clear();
            inner.guard = DivergenceGuard::new();
            inner.watch.reset();
        }
        self.state.best.set(None);
        self.state.dataset.set(Some(dataset));
        self.state.metrics.set(None);
        self.state.snapshot.set(None);
        self.state.history.set(LossSeries::default());
    }

    /// Installs `trainer` as the continuation of the current run: the loss history and the
    /// play state stay.
    fn install_keeping_history(&self, trainer: Trainer) {
        let history = self.state.history.get_untracked();
        let playing = self.state.run.playing.get_untracked();
        let watch = self.inner.borrow().watch.clone();
        let best = self.state.best.get_untracked();
        self.install(trainer);
        self.inner.borrow_mut().watch = watch;
        self.state.best.set(best);
        self.state.history.set(history);
        self.state.run.playing.set(playing);
    }

    /// Goes back to the weights of this run's best test loss: the history after that epoch is
    /// dropped and training continues from there (paused).
    pub fn restore_best(&self) {
        let (best, layers) = {
            let inner = self.inner.borrow();
            let (Some(best), Some(layers)) = (inner.watch.best(), inner.watch.best_weights())
            else {
                return;
            };
            (best, layers.to_vec())
        };
        self.state.run.playing.set(false);
        let experiment = self.experiment();
        let engine = self.inner.borrow().engine.clone();
        match Trainer::resume(experiment, engine, &layers, best.0) {
            Ok(trainer) => {
                let mut history = self.state.history.get_untracked();
                history.truncate_after(u32::try_from(best.0).unwrap_or(u32::MAX));
                self.install_keeping_history(trainer);
                self.state.run.playing.set(false);
                self.state.history.set(history);
            }
            Err(e) => self
                .state
                .notices
                .say(Topic::Training, e.to_string(), Vec::new()),
        }
    }

    /// Feeds the test loss to the watch; with early stopping on, a loss that has not improved
    /// for the patience pauses training and restores the best weights.
    fn watch_test_loss(&self, metrics: &emberlab_core::Metrics, snapshot: &Snapshot) {
        let patience = self.state.patience.get_untracked();
        let verdict = {
            let mut inner = self.inner.borrow_mut();
            inner.watch.patience = patience;
            inner
                .watch
                .observe(metrics.epoch, metrics.test_loss, || snapshot.layers.clone())
        };
        if verdict == Verdict::Improved {
            self.state.best.set(self.inner.borrow().watch.best());
        }
        let stop = verdict == Verdict::Stop
            && self.state.early_stopping.get_untracked()
            && self.state.run.playing.get_untracked();
        if !stop {
            return;
        }
        let Some((epoch, loss)) = self.inner.borrow().watch.best() else {
            return;
        };
        self.restore_best();
        self.state.notices.say(
            Topic::Training,
            format!(
                "Stopped early at epoch {}: the test loss has not improved for {patience} \
                 epochs. The best weights (epoch {epoch}, test loss {loss:.3}) are restored.",
                metrics.epoch
            ),
            Vec::new(),
        );
    }

    /// Measures the back ends on the current network and moves training to WebGPU (keeping
    /// the weights) if it is faster.
    async fn probe_and_switch(&self) {
        let experiment = self.experiment();
        let verdict = probe(&experiment).await;
        match verdict.faster {
            Some(engine) => self.move_to(engine, verdict.info),
            None => self.state.run.backend.set(Some(verdict.info)),
        }
    }

    /// One frame: train for a time slice, then read metrics and a snapshot back.
    async fn tick(&self) {
        let playing = self.state.run.playing.get_untracked();
        let speed = self.state.speed.get_untracked();
        let (pending, generation, steps) = {
            let mut guard = self.inner.borrow_mut();
            let inner = &mut *guard;
            let frame_start = now_ms();
            let interval = frame_start - inner.last_frame_ms;
            inner.last_frame_ms = frame_start;
            let Some(trainer) = inner.trainer.as_mut() else {
                return;
            };
            let before = trainer.steps();
            // Background views (run B, the race, …) share the frame with training.
            let background_ms = super::background::take_spent_ms();
            if playing {
                inner.budget.after_frame(interval);
            }
            let slice = inner.plan.slice(FrameState {
                playing,
                speed,
                epoch: trainer.epoch(),
                budget_ms: (inner.budget.ms() - background_ms).max(MIN_TRAIN_MS),
                gpu_cap: (inner.kind == BackendKind::WebGpu).then(|| inner.gpu_cap.steps()),
            });
            match slice {
                Some(slice) => {
                    train_for(trainer, &mut inner.chunk, slice);
                    inner.plan.trained(trainer.epoch());
                }
                None if !inner.dirty => return,
                None => {}
            }
            inner.dirty = false;
            let steps = trainer.steps() - before;
            record("train", now_ms() - frame_start);
            let widths = layer_widths(trainer.experiment());
            let frame = inner.frames;
            inner.frames = frame.wrapping_add(1);
            let gpu = inner.kind == BackendKind::WebGpu;
            if !plan::observe_due(frame, plan::macs(&widths), playing, gpu) {
                // The next frame observes, even if training stops meanwhile.
                inner.dirty = true;
                return;
            }
            (
                timed("observe", || {
                    let grid = plan::grid_size(&widths);
                    trainer.observe(Some(grid))
                }),
                inner.generation,
                steps,
            )
        };
        let wait_start = now_ms();
        let result = pending.read().await;
        let wait_ms = now_ms() - wait_start;
        record("readback", wait_ms);
        let (result, throughput) = {
            let mut inner = self.inner.borrow_mut();
            if inner.generation != generation {
                return;
            }
            let result = match (result, inner.trainer.as_mut()) {
                (Ok(delivered), Some(trainer)) => timed("evaluate", || trainer.complete(delivered)),
                (Ok(_), None) => return,
                (Err(e), _) => Err(e),
            };
            if playing {
                inner.gpu_cap.after_frame(steps, wait_ms);
            }
            let total_steps = inner.trainer.as_ref().map_or(0, Steps::steps);
            let throughput = match &result {
                Ok(obs) if playing => {
                    Some(inner.meter.sample(now_ms(), obs.metrics.epoch, total_steps))
                }
                _ => None,
            };
            (result, throughput)
        };
        match result {
            Ok(observation) => timed("publish", || self.publish(observation, throughput)),
            Err(e) => self.device_failed(e.to_string()),
        }
    }

    fn publish(&self, observation: Observation, throughput: Option<Throughput>) {
        let metrics = observation.metrics;
        let snapshot = observation.snapshot.map(Arc::new);
        let diverged = {
            let mut inner = self.inner.borrow_mut();
            let sane = snapshot.clone();
            match sane {
                Some(s) => inner.guard.check(metrics.epoch, metrics.train_loss, || s),
                // Without a snapshot there is nothing to restore; only NaN counts.
                None => metrics
                    .diverged()
                    .then_some(emberlab_core::run::Divergence::NotFinite),
            }
        };
        if let Some(divergence) = diverged {
            self.recover(divergence);
            return;
        }
        self.state.metrics.set(Some(metrics));
        self.state.run.epoch.set(metrics.epoch);
        let now = now_ms();
        let notify = {
            let mut inner = self.inner.borrow_mut();
            let due = !self.state.run.playing.get_untracked()
                || now - inner.chart_drawn_ms >= CHART_INTERVAL_MS;
            if due {
                inner.chart_drawn_ms = now;
            }
            due
        };
        self.state.record(&metrics, notify);
        if let Some(snapshot) = snapshot {
            self.watch_for_a_stall(&metrics, &snapshot);
            self.state.snapshot.set(Some(snapshot.clone()));
            self.watch_test_loss(&metrics, &snapshot);
        }
        if let Some(t) = throughput {
            self.state.run.throughput.set(t);
        }
    }

    /// A classifier stuck at chance (dead units, a swinging loss) is explained once per run.
    fn watch_for_a_stall(&self, metrics: &emberlab_core::Metrics, snapshot: &Snapshot) {
        let stall = {
            let mut inner = self.inner.borrow_mut();
            let (Some(chance), Some(accuracy)) = (inner.chance, metrics.train_accuracy) else {
                return;
            };
            let (dead_units, units) = snapshot.dead_units();
            inner.stall.check(Health {
                epoch: metrics.epoch,
                accuracy,
                chance,
                dead_units,
                units,
            })
        };
        if let Some(stall) = stall {
            let rate = self.inner.borrow().applied.training.learning_rate;
            self.state
                .notices
                .say(Topic::Training, stall.explain(rate), Vec::new());
        }
    }

    /// Training diverged: pause, go back to the last sane weights, and say what to try.
    fn recover(&self, divergence: emberlab_core::run::Divergence) {
        self.state.run.playing.set(false);
        let last_good = self.inner.borrow().guard.last_good().cloned();
        self.state
            .notices
            .say(Topic::Training, divergence.explain(), Vec::new());
        let Some((epoch, snapshot)) = last_good else {
            self.reset();
            self.state
                .notices
                .say(Topic::Training, divergence.explain(), Vec::new());
            return;
        };
        let experiment = self.experiment();
        let engine = self.inner.borrow().engine.clone();
        match Trainer::resume(experiment, engine, &snapshot.layers, epoch) {
            Ok(trainer) => {
                let mut history = self.state.history.get_untracked();
                history.truncate_after(u32::try_from(epoch).unwrap_or(u32::MAX));
                self.install(trainer);
                self.state.history.set(history);
            }
            Err(_) => self.reset(),
        }
    }

    /// The device failed: WebGPU moves to the CPU engine with the weights on screen; anything
    /// else pauses with the reason.
    fn device_failed(&self, message: String) {
        let kind = self.inner.borrow().kind;
        if kind == BackendKind::WebGpu {
            let info = BackendInfo {
                kind: BackendKind::Cpu,
                reason: "WebGPU stopped working; training continues on the CPU".into(),
            };
            self.state.notices.say(
                Topic::Backend,
                format!(
                    "WebGPU stopped working ({message}). Training continues on the CPU from \
                     the last weights shown; nothing was lost."
                ),
                Vec::new(),
            );
            self.move_to(Engine::Fused, info);
            return;
        }
        self.state.run.playing.set(false);
        self.state.notices.say(
            Topic::Training,
            format!("Training stopped: {message}. Press reset to start again."),
            Vec::new(),
        );
    }
}

/// The runner as components reach it: a `Copy` handle held in context (the runner itself is
/// single-threaded, so it lives in a local arena slot).
#[derive(Clone, Copy)]
pub struct RunnerRef(StoredValue<Runner, LocalStorage>);

impl RunnerRef {
    /// Puts `runner` into the context of the current component tree.
    pub fn provide(runner: Runner) -> RunnerRef {
        let handle = RunnerRef(StoredValue::new_local(runner));
        provide_context(handle);
        handle
    }

    /// The runner.
    pub fn get(self) -> Runner {
        self.0.get_value()
    }

    /// Applies an edit of the experiment (see [`Runner::edit`]).
    pub fn edit(self, change: impl FnOnce(&mut ExperimentConfig)) {
        self.get().edit(change);
    }
}

/// The runner of the lab this component belongs to.
pub fn use_runner() -> RunnerRef {
    expect_context::<RunnerRef>()
}

/// The experiment's layer widths: features, each hidden layer, outputs.
fn layer_widths(experiment: &Experiment) -> Vec<usize> {
    let config = experiment.config();
    std::iter::once(config.features.len())
        .chain(config.network.hidden.iter().map(|l| l.neurons))
        .chain(std::iter::once(experiment.problem().outputs()))
        .collect()
}

/// Accuracy of always guessing the training set's most common class; `None` for regression.
fn chance_accuracy(dataset: &emberlab_core::Dataset) -> Option<f32> {
    let classes = match dataset.problem {
        emberlab_core::Problem::Binary => 2,
        emberlab_core::Problem::Multiclass { classes } => classes,
        emberlab_core::Problem::Regression => return None,
    };
    let mut counts = vec![0usize; classes];
    for p in &dataset.train {
        if let Some(c) = counts.get_mut(p.label as usize) {
            *c += 1;
        }
    }
    let most = counts.into_iter().max().unwrap_or(0);
    Some(most as f32 / dataset.train.len().max(1) as f32)
}
