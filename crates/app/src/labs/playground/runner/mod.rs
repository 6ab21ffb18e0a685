//! The playground's runner: the page side of its training. The engines train in the
//! playground's worker (`worker/playground`); the runner tells the worker what each displayed
//! frame trains, reads one observation per frame back, and keeps what the page shows: the loss
//! history, throughput, the divergence guard, early stopping and the stall watch. Components
//! reach it through context and send it commands.

mod meter;
pub mod plan;

use std::cell::RefCell;
use std::rc::{Rc, Weak};
use std::sync::Arc;

use emberlab_core::inspect::{EarlyStopping, Verdict};
use emberlab_core::playground_state::{PlaygroundState, Speed};
use emberlab_core::run::{DivergenceGuard, Health, StallWatch};
use emberlab_core::{Experiment, ExperimentConfig, LayerWeights, Observation, Snapshot};
use emberlab_viz::LossSeries;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::backend::{BackendInfo, BackendKind, Choice, browser_has_webgpu, forced_backend};
use crate::frame::{next_animation_frame, now_ms};
use crate::labs::playground::config_change::{ConfigChange, classify, restart_reason};
use crate::labs::playground::state::{Playground, series_of};
use crate::notice::Topic;
use crate::timing::{record, timed};
use crate::worker::host::LabWorker;
use crate::worker::playground::protocol::{FromEngine, Placement, Resume, ToEngine};
use crate::worker::protocol::{WorkerError, capitalised};
use crate::worker::role::Role;

use meter::Meter;
pub use meter::Throughput;
use plan::{FramePlan, FrameState};

/// Least time between two redraws of the loss chart while playing.
const CHART_INTERVAL_MS: f64 = 250.0;
/// How long the "training restarted" message stays.
pub const RESTART_NOTICE_MS: u64 = 4000;

struct Inner {
    /// The engine worker (none once the lab closed, or while it could not start).
    worker: Option<LabWorker<ToEngine>>,
    /// The config the run trains (always valid).
    applied: ExperimentConfig,
    /// The back end the worker trains on.
    kind: BackendKind,
    /// Where the next run goes when it is not where the last one was (the first run, a
    /// picker choice).
    placement: Option<Placement>,
    /// Tags the worker's run; bumped whenever it is replaced, so late reports are dropped.
    generation: u64,
    /// A frame request is out and its report has not come back.
    awaiting: bool,
    /// Whether the worker was last told to train between frames.
    fast: bool,
    plan: FramePlan,
    /// Frames played so far (a big network reports every other one).
    frames: u64,
    /// Optimiser steps taken in the current epoch, as last reported.
    steps_into_epoch: Option<usize>,
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
    /// Starts the engine worker, opens `initial` (continuing from its weights, if any) and
    /// starts the frame loop. Training starts on the CPU while the worker measures whether
    /// WebGPU is faster for this network, unless the address names a back end.
    pub fn start(state: Playground, initial: PlaygroundState) -> Runner {
        let forced = forced_backend();
        if let Err(unknown) = &forced {
            state.notices.say(
                Topic::Backend,
                format!(
                    "The address asks for the back end \"{unknown}\", which does not exist; \
                     use ?backend=cpu, webgpu or flex. The page chose one itself."
                ),
                Vec::new(),
            );
        }
        let placement = match forced {
            Ok(Some(kind)) => Placement::Chosen(kind, Choice::Url),
            _ => Placement::Measure,
        };
        let runner = Runner {
            inner: Rc::new(RefCell::new(Inner {
                worker: None,
                applied: ExperimentConfig::default(),
                kind: BackendKind::Cpu,
                placement: Some(placement),
                generation: 0,
                awaiting: false,
                fast: false,
                plan: FramePlan::default(),
                frames: 0,
                steps_into_epoch: None,
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
        runner.spawn_worker();
        runner.restore(initial);
        let this = runner.clone();
        spawn_local(async move {
            loop {
                next_animation_frame().await;
                if this.inner.borrow().stopped {
                    break;
                }
                this.tick();
            }
            // Terminating the worker frees its engine and device memory.
            this.inner.borrow_mut().worker = None;
        });
        runner
    }

    /// Starts a fresh engine worker (its reports come back to this runner).
    fn spawn_worker(&self) {
        let weak: Weak<RefCell<Inner>> = Rc::downgrade(&self.inner);
        let state = self.state;
        let spawned = LabWorker::spawn(Role::Playground, move |report: FromEngine| {
            if let Some(inner) = weak.upgrade() {
                Runner { inner, state }.on_report(report);
            }
        });
        match spawned {
            Ok(worker) => self.inner.borrow_mut().worker = Some(worker),
            Err(e) => {
                self.state.run.playing.set(false);
                self.state.notices.say(
                    Topic::Training,
                    format!("Training cannot start: {e}."),
                    Vec::new(),
                );
            }
        }
    }

    fn send(&self, command: &ToEngine) {
        let sent = match self.inner.borrow().worker.as_ref() {
            Some(worker) => worker.send(command),
            None => return,
        };
        if let Err(e) = sent {
            self.state
                .notices
                .say(Topic::Training, e.to_string(), Vec::new());
        }
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

    /// Rebuilds the run from the current config (same seed, so the same initial weights) and
    /// pauses.
    pub fn reset(&self) {
        self.state.run.playing.set(false);
        self.open(None);
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
            ConfigChange::Live(training) => emberlab_core::experiment::check_training(
                &training,
                next.problem(),
                next.data.train_count(),
            )
            .map(|()| self.send(&ToEngine::SetTraining(training))),
            ConfigChange::Reset => next.validate().map(|_| {
                let epoch = self.state.metrics.get_untracked().map_or(0, |m| m.epoch);
                if epoch > 0 {
                    self.say_restarted(restart_reason(&applied, &next));
                }
                self.inner.borrow_mut().applied = next.clone();
                self.open(None);
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
        let checkpoint = state.checkpoint;
        let resume = checkpoint.as_ref().map(|c| Resume {
            layers: c.layers.clone(),
            epoch: c.epoch,
        });
        self.open(resume);
        if let Some(c) = &checkpoint {
            self.state.history.set(series_of(&c.history));
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
        self.continue_from(layers, snapshot.epoch);
    }

    /// Optimiser steps already taken in the current epoch (`None` before the first report).
    pub fn steps_into_epoch(&self) -> Option<usize> {
        self.inner.borrow().steps_into_epoch
    }

    /// Moves training to the back end the user picked, keeping the weights and the history.
    pub fn switch_backend(&self, kind: BackendKind) {
        self.inner.borrow_mut().placement = Some(Placement::Chosen(kind, Choice::Picker));
        self.continue_from_snapshot();
    }

    /// Continues the current run in a fresh worker run (same weights, history and play state),
    /// e.g. on another back end.
    fn continue_from_snapshot(&self) {
        match self.state.snapshot.get_untracked() {
            Some(s) => self.continue_from(s.layers.clone(), s.epoch),
            None => self.open(None),
        }
    }

    /// Continues the run from `layers` at `epoch`: the loss history, the best weights and the
    /// play state stay.
    fn continue_from(&self, layers: Vec<LayerWeights>, epoch: u64) {
        let history = self.state.history.get_untracked();
        let playing = self.state.run.playing.get_untracked();
        let watch = self.inner.borrow().watch.clone();
        let best = self.state.best.get_untracked();
        self.open(Some(Resume { layers, epoch }));
        self.inner.borrow_mut().watch = watch;
        self.state.best.set(best);
        self.state.history.set(history);
        self.state.run.playing.set(playing);
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

    /// Replaces the worker's run with one of the applied config (from `resume` if given) and
    /// clears what the page shows of the old one.
    fn open(&self, resume: Option<Resume>) {
        let experiment = self.experiment();
        let dataset = Arc::new(experiment.dataset());
        let chance = chance_accuracy(&dataset);
        let command = {
            let mut inner = self.inner.borrow_mut();
            inner.generation += 1;
            inner.awaiting = false;
            inner.fast = false;
            inner.steps_into_epoch = None;
            inner.stall = StallWatch::default();
            inner.chance = chance;
            inner.plan.clear();
            inner.meter.clear();
            inner.guard = DivergenceGuard::new();
            inner.watch.reset();
            let placement = inner
                .placement
                .take()
                .unwrap_or(Placement::Keep(inner.kind));
            ToEngine::Open {
                generation: inner.generation,
                config: inner.applied.clone(),
                placement,
                resume: resume.clone(),
                page_has_webgpu: browser_has_webgpu(),
            }
        };
        self.state
            .run
            .epoch
            .set(resume.as_ref().map_or(0, |r| r.epoch));
        self.state.best.set(None);
        self.state.dataset.set(Some(dataset));
        self.state.metrics.set(None);
        self.state.snapshot.set(None);
        self.state.history.set(LossSeries::default());
        self.send(&command);
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
        let mut history = self.state.history.get_untracked();
        history.truncate_after(u32::try_from(best.0).unwrap_or(u32::MAX));
        self.continue_from(layers, best.0);
        self.state.run.playing.set(false);
        self.state.history.set(history);
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

    /// One displayed frame: tells the worker what to train (exactly the pace's epochs, one for
    /// a step, or nothing beyond "as fast as possible") and asks for the frame's observation.
    /// At most one request is out at a time, so the page never queues stale observations.
    fn tick(&self) {
        let playing = self.state.run.playing.get_untracked();
        let speed = self.state.speed.get_untracked();
        let mut commands = Vec::new();
        {
            let mut inner = self.inner.borrow_mut();
            let fast = playing && speed == Speed::Max;
            if fast != inner.fast {
                inner.fast = fast;
                commands.push(ToEngine::Fast(fast));
            }
            if !inner.awaiting {
                let widths = layer_widths(&inner.applied);
                let frame = inner.frames;
                inner.frames = frame.wrapping_add(1);
                let gpu = inner.kind == BackendKind::WebGpu;
                if plan::observe_due(frame, plan::macs(&widths), playing, gpu)
                    && let Some(epochs) = inner.plan.frame(FrameState { playing, speed })
                {
                    inner.awaiting = true;
                    commands.push(ToEngine::Frame {
                        epochs,
                        grid: Some(plan::grid_size(&widths)),
                    });
                }
            }
        }
        for command in &commands {
            self.send(command);
        }
    }

    /// A report of the worker.
    fn on_report(&self, report: FromEngine) {
        let current = self.inner.borrow().generation;
        match report {
            FromEngine::Ready => {}
            FromEngine::Opened {
                generation,
                backend,
                reason,
                fell_back,
            } if generation == current => {
                self.inner.borrow_mut().kind = backend;
                let Some(reason) = reason else {
                    return;
                };
                if fell_back {
                    self.state
                        .notices
                        .say(Topic::Backend, reason.clone(), Vec::new());
                } else if !reason.starts_with("measuring") {
                    self.state.notices.clear(Topic::Backend);
                }
                self.state.run.backend.set(Some(BackendInfo {
                    kind: backend,
                    reason,
                }));
            }
            FromEngine::Probed {
                generation,
                faster,
                reason,
            } if generation == current => match faster {
                Some(kind) => {
                    self.inner.borrow_mut().placement = Some(Placement::Keep(kind));
                    self.continue_from_snapshot();
                    self.state
                        .run
                        .backend
                        .set(Some(BackendInfo { kind, reason }));
                }
                None => self.state.run.backend.set(Some(BackendInfo {
                    kind: BackendKind::Cpu,
                    reason,
                })),
            },
            FromEngine::Observed {
                generation,
                observation,
                steps,
                steps_into_epoch,
                observe_ms,
            } if generation == current => {
                record("observe", observe_ms);
                let throughput = {
                    let mut inner = self.inner.borrow_mut();
                    inner.awaiting = false;
                    inner.steps_into_epoch = Some(steps_into_epoch);
                    self.state.run.playing.get_untracked().then(|| {
                        inner
                            .meter
                            .sample(now_ms(), observation.metrics.epoch, steps)
                    })
                };
                timed("publish", || self.publish(observation, throughput));
            }
            FromEngine::Error { generation, error } if generation == current => {
                self.inner.borrow_mut().awaiting = false;
                self.run_failed(error);
            }
            FromEngine::Error {
                generation: u64::MAX,
                error,
            } => self.worker_failed(error),
            // A late report of a run that was replaced.
            _ => {}
        }
    }

    fn publish(&self, observation: Observation, throughput: Option<Throughput>) {
        let metrics = observation.metrics;
        let snapshot = observation.snapshot.map(Arc::new);
        let diverged = {
            let mut inner = self.inner.borrow_mut();
            match snapshot.clone() {
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
        let Some((epoch, snapshot)) = last_good else {
            self.reset();
            self.state
                .notices
                .say(Topic::Training, divergence.explain(), Vec::new());
            return;
        };
        self.state
            .notices
            .say(Topic::Training, divergence.explain(), Vec::new());
        let mut history = self.state.history.get_untracked();
        history.truncate_after(u32::try_from(epoch).unwrap_or(u32::MAX));
        self.open(Some(Resume {
            layers: snapshot.layers.clone(),
            epoch,
        }));
        self.state.history.set(history);
    }

    /// The worker could not do what the current run asked: saved weights that do not fit
    /// start fresh; a refused setting is said; a failed device moves WebGPU to the CPU with
    /// the weights on screen; anything else pauses with the reason.
    fn run_failed(&self, error: WorkerError) {
        match error {
            WorkerError::Open(message) => {
                self.state.history.set(LossSeries::default());
                self.state.run.epoch.set(0);
                self.state.notices.say(
                    Topic::Link,
                    format!("{}.", capitalised(&message)),
                    Vec::new(),
                );
            }
            WorkerError::Settings(_) => {
                self.state
                    .notices
                    .say(Topic::Config, error.to_string(), Vec::new());
            }
            error if self.inner.borrow().kind == BackendKind::WebGpu => {
                self.state.notices.say(
                    Topic::Backend,
                    format!(
                        "WebGPU stopped working ({error}) Training continues on the CPU from the \
                         last weights shown; nothing was lost."
                    ),
                    Vec::new(),
                );
                self.inner.borrow_mut().placement = Some(Placement::Keep(BackendKind::Cpu));
                self.continue_from_snapshot();
            }
            error => {
                self.state.run.playing.set(false);
                self.state.notices.say(
                    Topic::Training,
                    format!("{error} Press reset to start again."),
                    Vec::new(),
                );
            }
        }
    }

    /// The worker itself failed (an uncaught error, a lost message): a fresh worker goes on
    /// from the weights on screen, paused.
    fn worker_failed(&self, error: WorkerError) {
        if let WorkerError::Message(_) = error {
            // One lost message: ask again at the next frame.
            {
                let mut inner = self.inner.borrow_mut();
                inner.awaiting = false;
                inner.plan.show();
            }
            self.state
                .notices
                .say(Topic::Training, error.to_string(), Vec::new());
            return;
        }
        self.state.run.playing.set(false);
        let what = match &error {
            WorkerError::Crashed(what) => what.clone(),
            other => other.to_string(),
        };
        self.state.notices.say(
            Topic::Training,
            format!(
                "Training stopped: the playground's worker failed ({what}). A fresh one goes on \
                 from the weights shown; press Play to continue."
            ),
            Vec::new(),
        );
        let (failed, stopped) = {
            let mut inner = self.inner.borrow_mut();
            (inner.worker.take(), inner.stopped)
        };
        // Dropped after this task: this report came from one of its handlers.
        spawn_local(async move { drop(failed) });
        if !stopped {
            self.spawn_worker();
            self.continue_from_snapshot();
        }
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
fn layer_widths(config: &ExperimentConfig) -> Vec<usize> {
    std::iter::once(config.features.len())
        .chain(config.network.hidden.iter().map(|l| l.neurons))
        .chain(std::iter::once(config.data.problem().outputs()))
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
