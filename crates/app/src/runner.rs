//! The runner: the only place that talks to the training core. It owns the trainer, trains in
//! per-frame time slices, reads results back (asynchronously on a GPU) once per frame and
//! writes signals.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;
use std::sync::Arc;

use emberlab_core::limits::GRID_SIZE;
use emberlab_core::{Engine, Experiment, ExperimentConfig, Observation, Trainer};
use emberlab_viz::LossSeries;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::backend::{Choice, chosen_engine, forced_backend, probe};
use crate::budget::TrainBudget;
use crate::config_change::{ConfigChange, classify};
use crate::frame::{next_animation_frame, now_ms};
use crate::state::{BackendInfo, BackendKind, Playground, Throughput};
use crate::timing::{record, timed};

/// A readback slower than this halves the steps queued per frame (GPU back ends).
const MAX_READBACK_WAIT_MS: f64 = 40.0;
/// Most optimiser steps queued in one frame on a GPU.
const MAX_GPU_STEPS_PER_FRAME: usize = 4096;
/// The CPU trains in chunks of steps between two clock reads, sized to take about this long.
const CHUNK_MS: f64 = 0.25;
/// Most steps in one chunk.
const MAX_CHUNK: usize = 1 << 14;
/// Hard limit on a frame's training in the fixed epochs-per-frame speeds: a big network at
/// "20 epochs / frame" finishes its epochs over several frames instead of freezing the page.
const MAX_FIXED_SPEED_MS: f64 = 30.0;
/// Least time between two redraws of the loss chart while playing.
const CHART_INTERVAL_MS: f64 = 250.0;
/// Window over which throughput is averaged.
const SPEED_WINDOW_MS: f64 = 1000.0;

/// How much to train per frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Speed {
    /// Exactly this many epochs each frame (TensorFlow Playground trains one).
    EpochsPerFrame(u64),
    /// As many steps as fit the frame's time budget.
    Max,
}

struct Inner {
    trainer: Option<Trainer>,
    /// The config the trainer runs (the signal may hold a newer edit).
    applied: ExperimentConfig,
    engine: Engine,
    /// Which back end `engine` is (a GPU trains asynchronously, the CPU within a time budget).
    kind: BackendKind,
    /// Bumped whenever the trainer is replaced, so late results of the old one are dropped.
    generation: u64,
    /// Epochs asked for by the step button.
    step_requests: u32,
    /// Whether an observation is due although nothing trained (new trainer).
    dirty: bool,
    /// GPU: most steps queued per frame, adapted to the device's speed.
    steps_cap: usize,
    /// CPU: training time per frame, adapted to the frame pace.
    budget: TrainBudget,
    /// CPU: steps between two clock reads.
    chunk: usize,
    /// When the previous frame started.
    last_frame_ms: f64,
    /// Epoch a fixed-speed frame is heading for (kept when it needs several frames).
    fixed_target: Option<u64>,
    /// Epoch the step button is heading for.
    step_target: Option<u64>,
    /// (time ms, epoch, steps) samples while playing.
    speed: VecDeque<(f64, u64, u64)>,
    /// When the loss chart was last told to redraw.
    chart_drawn_ms: f64,
}

/// Handle to the runner; cheap to clone into event handlers.
#[derive(Clone)]
pub struct Runner {
    inner: Rc<RefCell<Inner>>,
    state: Playground,
}

impl Runner {
    /// Picks a back end, builds the trainer and starts the frame loop.
    pub fn start(state: Playground) -> Runner {
        let runner = Runner {
            inner: Rc::new(RefCell::new(Inner {
                trainer: None,
                applied: state.config.get_untracked(),
                engine: Engine::Fused,
                kind: BackendKind::Cpu,
                generation: 0,
                step_requests: 0,
                dirty: false,
                steps_cap: 1,
                budget: TrainBudget::default(),
                chunk: 1,
                last_frame_ms: 0.0,
                fixed_target: None,
                step_target: None,
                speed: VecDeque::new(),
                chart_drawn_ms: 0.0,
            })),
            state,
        };
        let this = runner.clone();
        spawn_local(async move {
            let forced = forced_backend();
            let (engine, info) = match forced {
                Some(kind) => chosen_engine(kind, Choice::Url).await,
                None => (
                    Engine::Fused,
                    BackendInfo {
                        kind: BackendKind::Cpu,
                        reason: "measuring the back ends…".into(),
                    },
                ),
            };
            {
                let mut inner = this.inner.borrow_mut();
                inner.engine = engine;
                inner.kind = info.kind;
            }
            this.reset();
            this.state.backend.set(Some(info));
            if forced.is_none() {
                let prober = this.clone();
                spawn_local(async move { prober.probe_and_switch().await });
            }
            loop {
                next_animation_frame().await;
                this.tick().await;
            }
        });
        runner
    }

    /// Plays or pauses.
    pub fn toggle_play(&self) {
        self.state.playing.update(|p| *p = !*p);
        self.inner.borrow_mut().speed.clear();
        if !self.state.playing.get_untracked() {
            // While playing the chart redraws at most every CHART_INTERVAL_MS: show the
            // latest epochs now.
            self.state.history.notify();
        }
    }

    /// Trains exactly one more epoch (pauses first).
    pub fn step(&self) {
        self.state.playing.set(false);
        self.inner.borrow_mut().step_requests += 1;
    }

    /// Rebuilds the trainer from the current config (same seed, so the same initial weights)
    /// and pauses.
    pub fn reset(&self) {
        self.state.playing.set(false);
        let experiment = self.experiment();
        let engine = self.inner.borrow().engine.clone();
        self.inner.borrow_mut().applied = experiment.config().clone();
        self.install(Trainer::new(experiment, engine));
    }

    /// Applies an edited config: training settings live, anything else by a rebuild that keeps
    /// playing. An invalid edit is reported and the config reverts to the running one.
    pub fn apply(&self, config: ExperimentConfig) {
        let applied = self.inner.borrow().applied.clone();
        let outcome = match classify(&applied, &config) {
            ConfigChange::None => return,
            ConfigChange::Live(training) => {
                let mut inner = self.inner.borrow_mut();
                let result = match inner.trainer.as_mut() {
                    Some(trainer) => trainer.set_training(training),
                    None => Ok(()),
                };
                if result.is_ok() {
                    inner.applied = config;
                }
                result
            }
            ConfigChange::Reset => config.validate().map(|experiment| {
                let engine = self.inner.borrow().engine.clone();
                self.inner.borrow_mut().applied = config;
                self.install(Trainer::new(experiment, engine));
            }),
        };
        match outcome {
            Ok(()) => self.state.notice.set(None),
            Err(e) => {
                self.state
                    .notice
                    .set(Some(format!("{e}. The change was not applied.")));
                self.state.config.set(applied);
            }
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
            Err(e) => self.state.notice.set(Some(e.to_string())),
        }
    }

    /// Moves training to the back end the user picked, keeping the weights and the history.
    pub fn switch_backend(&self, kind: BackendKind) {
        let this = self.clone();
        spawn_local(async move {
            let (engine, info) = chosen_engine(kind, Choice::Picker).await;
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
                self.state.backend.set(Some(info));
            }
            Err(e) => self
                .state
                .notice
                .set(Some(format!("Could not move training: {e}"))),
        }
    }

    /// The current config, validated; a bad one is reported and replaced by the defaults.
    fn experiment(&self) -> Experiment {
        let config = self.state.config.get_untracked();
        match config.validate() {
            Ok(experiment) => experiment,
            Err(e) => {
                self.state
                    .notice
                    .set(Some(format!("{e}. Using the default settings instead.")));
                let fallback = ExperimentConfig::default();
                self.state.config.set(fallback.clone());
                // The defaults are valid by construction (a unit test checks it).
                #[allow(clippy::expect_used)]
                fallback.validate().expect("default config is valid")
            }
        }
    }

    fn install(&self, trainer: Trainer) {
        let dataset = Arc::new(trainer.dataset().clone());
        {
            let mut inner = self.inner.borrow_mut();
            inner.trainer = Some(trainer);
            inner.generation += 1;
            inner.dirty = true;
            inner.step_requests = 0;
            inner.steps_cap = 1;
            inner.chunk = 1;
            inner.fixed_target = None;
            inner.step_target = None;
            inner.speed.clear();
        }
        self.state.dataset.set(Some(dataset));
        self.state.metrics.set(None);
        self.state.snapshot.set(None);
        self.state.history.set(LossSeries::default());
    }

    /// Installs `trainer` as the continuation of the current run: the loss history and the
    /// play state stay.
    fn install_keeping_history(&self, trainer: Trainer) {
        let history = self.state.history.get_untracked();
        let playing = self.state.playing.get_untracked();
        self.install(trainer);
        self.state.history.set(history);
        self.state.playing.set(playing);
    }

    /// Measures the back ends on the current network and moves training to WebGPU (keeping
    /// the weights) if it is faster.
    async fn probe_and_switch(&self) {
        let experiment = self.experiment();
        let verdict = probe(&experiment).await;
        match verdict.faster {
            Some(engine) => self.move_to(engine, verdict.info),
            None => self.state.backend.set(Some(verdict.info)),
        }
    }

    /// One frame: train for a time slice, then read metrics and a snapshot back.
    async fn tick(&self) {
        let playing = self.state.playing.get_untracked();
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
            let on_gpu = inner.kind == BackendKind::WebGpu;
            if playing {
                inner.budget.after_frame(interval);
                let budget = inner.budget.ms();
                match speed {
                    Speed::EpochsPerFrame(n) => {
                        let target = *inner.fixed_target.get_or_insert(trainer.epoch() + n);
                        let limit = Limit::epoch(target);
                        train_for(trainer, &mut inner.chunk, MAX_FIXED_SPEED_MS, limit);
                        if trainer.epoch() >= target {
                            inner.fixed_target = None;
                        }
                    }
                    // Queueing GPU work costs main-thread time too: the same budget applies,
                    // and at most as many steps as the device kept up with.
                    Speed::Max if on_gpu => {
                        let limit = Limit::steps(inner.steps_cap);
                        train_for(trainer, &mut inner.chunk, budget, limit);
                    }
                    Speed::Max => train_for(trainer, &mut inner.chunk, budget, Limit::default()),
                }
            } else if inner.step_requests > 0 || inner.step_target.is_some() {
                // One epoch per request, over several frames if it is long (a big batch on a
                // slow device), so even a step never freezes the page.
                let target = match inner.step_target {
                    Some(target) => target,
                    None => {
                        inner.step_requests -= 1;
                        trainer.epoch() + 1
                    }
                };
                inner.step_target = Some(target);
                train_for(
                    trainer,
                    &mut inner.chunk,
                    MAX_FIXED_SPEED_MS,
                    Limit::epoch(target),
                );
                if trainer.epoch() >= target {
                    inner.step_target = None;
                }
            } else if !inner.dirty {
                return;
            }
            inner.dirty = false;
            let steps = trainer.steps() - before;
            record("train", now_ms() - frame_start);
            (
                timed("observe", || trainer.observe(Some(GRID_SIZE))),
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
                let cap = inner.steps_cap;
                inner.steps_cap = if wait_ms > MAX_READBACK_WAIT_MS {
                    (cap / 2).max(1)
                } else if steps as usize >= cap {
                    (cap * 2).min(MAX_GPU_STEPS_PER_FRAME)
                } else {
                    cap
                };
            }
            let total_steps = inner.trainer.as_ref().map_or(0, Trainer::steps);
            let throughput = match &result {
                Ok(obs) if playing => Some(speed_sample(&mut inner.speed, obs, total_steps)),
                _ => None,
            };
            (result, throughput)
        };
        match result {
            Ok(observation) => timed("publish", || self.publish(observation, throughput)),
            Err(e) => self.fail(e.to_string()),
        }
    }

    fn publish(&self, observation: Observation, throughput: Option<Throughput>) {
        let metrics = observation.metrics;
        self.state.metrics.set(Some(metrics));
        let now = now_ms();
        let notify = {
            let mut inner = self.inner.borrow_mut();
            let due = !self.state.playing.get_untracked()
                || now - inner.chart_drawn_ms >= CHART_INTERVAL_MS;
            if due {
                inner.chart_drawn_ms = now;
            }
            due
        };
        self.state.record(&metrics, notify);
        if let Some(snapshot) = observation.snapshot {
            self.state.snapshot.set(Some(Arc::new(snapshot)));
        }
        if let Some(t) = throughput {
            self.state.throughput.set(t);
        }
        if metrics.diverged() {
            self.state.playing.set(false);
            self.state.notice.set(Some(
                "Training diverged: the loss became NaN or infinite. Lower the learning rate \
                 (or the regularisation rate), then press reset."
                    .into(),
            ));
        }
    }

    fn fail(&self, message: String) {
        self.state.playing.set(false);
        self.state.notice.set(Some(format!(
            "Training stopped: {message}. Press reset to start again."
        )));
    }
}

/// Where a frame's training stops besides its time budget.
#[derive(Debug, Clone, Copy, Default)]
struct Limit {
    /// Stop at this epoch.
    epoch: Option<u64>,
    /// Stop after this many steps.
    steps: Option<usize>,
}

impl Limit {
    fn epoch(epoch: u64) -> Self {
        Self {
            epoch: Some(epoch),
            steps: None,
        }
    }

    fn steps(steps: usize) -> Self {
        Self {
            epoch: None,
            steps: Some(steps),
        }
    }
}

/// Trains in chunks until `budget_ms` has passed or `limit` is reached, resizing `chunk` so
/// one chunk takes about [`CHUNK_MS`].
fn train_for(trainer: &mut Trainer, chunk: &mut usize, budget_ms: f64, limit: Limit) {
    let start = now_ms();
    let mut done = 0;
    loop {
        let mut size = *chunk;
        if let Some(target) = limit.epoch {
            if trainer.epoch() >= target {
                return;
            }
            // Never past the epoch asked for: "one epoch" is exactly one.
            size = size.min(trainer.steps_left_in_epoch());
        }
        if let Some(most) = limit.steps {
            if done >= most {
                return;
            }
            size = size.min(most - done);
        }
        let chunk_start = now_ms();
        trainer.train_steps(size);
        done += size;
        let now = now_ms();
        let took = now - chunk_start;
        *chunk = if took < CHUNK_MS / 2.0 {
            (size * 2).min(MAX_CHUNK)
        } else if took > CHUNK_MS * 2.0 {
            (size / 2).max(1)
        } else {
            size
        };
        if now - start >= budget_ms {
            return;
        }
    }
}

/// Adds a sample and returns the throughput over the window.
fn speed_sample(
    samples: &mut VecDeque<(f64, u64, u64)>,
    observation: &Observation,
    steps: u64,
) -> Throughput {
    let now = now_ms();
    samples.push_back((now, observation.metrics.epoch, steps));
    while samples.len() > 2 && samples.front().is_some_and(|s| now - s.0 > SPEED_WINDOW_MS) {
        samples.pop_front();
    }
    match (samples.front(), samples.back()) {
        (Some(&(t0, e0, s0)), Some(&(t1, e1, s1))) if t1 > t0 => Throughput {
            epochs_per_second: (e1 - e0) as f64 * 1000.0 / (t1 - t0),
            ms_per_step: if s1 > s0 {
                (t1 - t0) / (s1 - s0) as f64
            } else {
                0.0
            },
        },
        _ => Throughput::default(),
    }
}
