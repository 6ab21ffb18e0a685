//! The runner: the only place that talks to the training core. It owns the session, trains in
//! per-frame time slices, reads results back asynchronously once per frame and writes signals.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;
use std::sync::Arc;

use emberlab_core::limits::DEFAULT_GRID_SIZE;
use emberlab_core::{Device, Experiment, ExperimentConfig, Observation, Session};
use emberlab_viz::LossSeries;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::backend::{forced_backend, forced_device, probe};
use crate::config_change::{ConfigChange, classify};
use crate::frame::{next_animation_frame, now_ms};
use crate::state::{BackendInfo, BackendKind, Playground, Throughput};
use crate::timing::{record, timed};

/// Main-thread milliseconds per frame spent queueing training steps.
const TRAIN_BUDGET_MS: f64 = 8.0;
/// A readback slower than this halves the steps queued per frame (GPU back ends).
const MAX_READBACK_WAIT_MS: f64 = 40.0;
/// Most optimiser steps queued in one frame.
const MAX_STEPS_PER_FRAME: usize = 4096;
/// Least time between two redraws of the loss chart while playing.
const CHART_INTERVAL_MS: f64 = 500.0;
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
    session: Option<Session>,
    /// The config the session runs (the signal may hold a newer edit).
    applied: ExperimentConfig,
    device: Device,
    /// Bumped whenever the session is replaced, so late results of the old one are dropped.
    generation: u64,
    /// Epochs asked for by the step button.
    step_requests: u32,
    /// Whether an observation is due although nothing trained (new session).
    dirty: bool,
    /// Most steps queued per frame, adapted to the device's speed.
    steps_cap: usize,
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
    /// Picks a back end, builds the session and starts the frame loop.
    pub fn start(state: Playground) -> Runner {
        let runner = Runner {
            inner: Rc::new(RefCell::new(Inner {
                session: None,
                applied: state.config.get_untracked(),
                device: Device::flex(),
                generation: 0,
                step_requests: 0,
                dirty: false,
                steps_cap: 1,
                speed: VecDeque::new(),
                chart_drawn_ms: 0.0,
            })),
            state,
        };
        let this = runner.clone();
        spawn_local(async move {
            let forced = forced_backend();
            let (device, info) = match forced {
                Some(kind) => forced_device(kind).await,
                None => (
                    Device::flex(),
                    BackendInfo {
                        kind: BackendKind::Cpu,
                        reason: "starting on the CPU while WebGPU is measured".into(),
                    },
                ),
            };
            this.inner.borrow_mut().device = device;
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
    }

    /// Trains exactly one more epoch (pauses first).
    pub fn step(&self) {
        self.state.playing.set(false);
        self.inner.borrow_mut().step_requests += 1;
    }

    /// Rebuilds the session from the current config (same seed, so the same initial weights)
    /// and pauses.
    pub fn reset(&self) {
        self.state.playing.set(false);
        let experiment = self.experiment();
        let device = self.inner.borrow().device.clone();
        self.inner.borrow_mut().applied = experiment.config().clone();
        self.install(Session::new(experiment, device));
    }

    /// Applies an edited config: training settings live, anything else by a rebuild that keeps
    /// playing. An invalid edit is reported and the config reverts to the running one.
    pub fn apply(&self, config: ExperimentConfig) {
        let applied = self.inner.borrow().applied.clone();
        let outcome = match classify(&applied, &config) {
            ConfigChange::None => return,
            ConfigChange::Live(training) => {
                let mut inner = self.inner.borrow_mut();
                let result = match inner.session.as_mut() {
                    Some(session) => session.set_training(training),
                    None => Ok(()),
                };
                if result.is_ok() {
                    inner.applied = config;
                }
                result
            }
            ConfigChange::Reset => config.validate().map(|experiment| {
                let device = self.inner.borrow().device.clone();
                self.inner.borrow_mut().applied = config;
                self.install(Session::new(experiment, device));
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
        let device = self.inner.borrow().device.clone();
        match Session::resume(experiment, device, &layers, snapshot.epoch) {
            Ok(session) => {
                let history = self.state.history.get_untracked();
                let playing = self.state.playing.get_untracked();
                self.install(session);
                self.state.history.set(history);
                self.state.playing.set(playing);
            }
            Err(e) => self.state.notice.set(Some(e.to_string())),
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

    fn install(&self, session: Session) {
        let dataset = Arc::new(session.dataset().clone());
        {
            let mut inner = self.inner.borrow_mut();
            inner.session = Some(session);
            inner.generation += 1;
            inner.dirty = true;
            inner.step_requests = 0;
            inner.steps_cap = 1;
            inner.speed.clear();
        }
        self.state.dataset.set(Some(dataset));
        self.state.metrics.set(None);
        self.state.snapshot.set(None);
        self.state.history.set(LossSeries::default());
    }

    /// Compares WebGPU with the CPU on the current network and moves training to WebGPU
    /// (keeping the weights) if it is faster.
    async fn probe_and_switch(&self) {
        let experiment = self.experiment();
        let verdict = probe(&experiment).await;
        if let Some(device) = verdict.faster_device {
            let weights = self.state.snapshot.get_untracked();
            let epoch = weights.as_ref().map_or(0, |s| s.epoch);
            let resumed = match &weights {
                Some(s) => Session::resume(experiment.clone(), device.clone(), &s.layers, epoch),
                None => Ok(Session::new(experiment.clone(), device.clone())),
            };
            match resumed {
                Ok(session) => {
                    self.inner.borrow_mut().device = device;
                    let playing = self.state.playing.get_untracked();
                    let history = self.state.history.get_untracked();
                    self.install(session);
                    self.state.history.set(history);
                    self.state.playing.set(playing);
                }
                Err(e) => {
                    self.state.backend.set(Some(BackendInfo {
                        kind: BackendKind::Cpu,
                        reason: format!("staying on the CPU: {e}"),
                    }));
                    return;
                }
            }
        }
        self.state.backend.set(Some(verdict.info));
    }

    /// One frame: train for a time slice, then read metrics and a snapshot back.
    async fn tick(&self) {
        let playing = self.state.playing.get_untracked();
        let (pending, generation, steps) = {
            let mut guard = self.inner.borrow_mut();
            let inner = &mut *guard;
            let Some(session) = inner.session.as_mut() else {
                return;
            };
            let before = session.steps();
            let tick_start = now_ms();
            if let (true, Speed::EpochsPerFrame(n)) = (playing, self.state.speed.get_untracked()) {
                session.train_epochs(n);
            } else if playing {
                let start = now_ms();
                let mut steps = 0;
                while steps < inner.steps_cap && (steps == 0 || now_ms() - start < TRAIN_BUDGET_MS)
                {
                    session.train_steps(1);
                    steps += 1;
                }
            } else if inner.step_requests > 0 {
                inner.step_requests -= 1;
                session.train_epochs(1);
            } else if !inner.dirty {
                return;
            }
            inner.dirty = false;
            let steps = session.steps() - before;
            record("train", now_ms() - tick_start);
            (
                timed("observe", || session.observe(Some(DEFAULT_GRID_SIZE))),
                inner.generation,
                steps,
            )
        };
        let pending = match pending {
            Ok(p) => p,
            Err(e) => return self.fail(e.to_string()),
        };
        let wait_start = now_ms();
        let result = pending.read().await;
        let wait_ms = now_ms() - wait_start;
        record("readback", wait_ms);
        let throughput = {
            let mut inner = self.inner.borrow_mut();
            if inner.generation != generation {
                return;
            }
            if playing {
                let cap = inner.steps_cap;
                inner.steps_cap = if wait_ms > MAX_READBACK_WAIT_MS {
                    (cap / 2).max(1)
                } else if steps as usize >= cap {
                    (cap * 2).min(MAX_STEPS_PER_FRAME)
                } else {
                    cap
                };
            }
            let total_steps = inner.session.as_ref().map_or(0, Session::steps);
            match &result {
                Ok(obs) if playing => Some(speed_sample(&mut inner.speed, obs, total_steps)),
                _ => None,
            }
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
