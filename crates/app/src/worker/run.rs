//! A burn lab's run as the page sees it: the worker, the shell's run signals, the latest
//! observation and the loss history. Commands go to the worker; reports come back as signals.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::sync::Arc;

use emberlab_viz::LossSeries;
use leptos::prelude::*;

use super::host::LabWorker;
use super::role::Role;
use emberlab_core::run::{LabCheckpoint, LabObservation, LabRequest, LabSetup};

use super::protocol::{FromWorker, ToWorker, WorkerError};
use crate::backend::{BackendInfo, BackendKind, forced_backend};
use crate::notice::{Notices, Topic};
use crate::shell::lab::{RunSignals, Throughput};

/// The back ends a burn lab offers (its CPU back end is burn Flex).
pub const LAB_BACKENDS: [BackendKind; 2] = [BackendKind::Cpu, BackendKind::WebGpu];

/// A burn lab's run, driven in its worker.
#[derive(Clone)]
pub struct WorkerRun {
    /// The shell's signals.
    pub run: RunSignals,
    /// The experiment being trained.
    pub setup: RwSignal<LabSetup>,
    /// The latest observation.
    pub observation: RwSignal<Option<Arc<LabObservation>>>,
    /// The main model's loss (and accuracy) per observed epoch.
    pub history: RwSignal<LossSeries>,
    /// Whether the chart uses a log scale.
    pub log_scale: RwSignal<bool>,
    /// The recurrence lab's sweep: progress (0..1) and the lengths done.
    pub sweep: RwSignal<Option<(f32, Vec<emberlab_core::recurrence::SweepPoint>)>>,
    notices: Notices,
    worker: Rc<RefCell<Option<LabWorker>>>,
    /// Where the next `Open` trains.
    backend: Rc<RefCell<BackendKind>>,
    /// A back-end move waiting for the checkpoint it carries.
    moving_to: Rc<RefCell<Option<BackendKind>>>,
    /// The worker's last weights whose loss was sane: a failed worker is replaced by a fresh
    /// one that goes on from them.
    last_good: Rc<RefCell<Option<LabCheckpoint>>>,
    /// The lab was closed: no worker is started again.
    closed: Rc<Cell<bool>>,
}

impl WorkerRun {
    /// Starts a worker training `setup` (paused), reporting to `notices`.
    pub fn start(setup: LabSetup, notices: Notices) -> WorkerRun {
        let backend = match forced_backend() {
            Ok(Some(kind)) => kind,
            Ok(None) => BackendKind::Cpu,
            Err(unknown) => {
                notices.say(
                    Topic::Backend,
                    format!(
                        "The address asks for the back end \"{unknown}\", which does not exist; \
                         use ?backend=cpu or webgpu. Training runs on the CPU."
                    ),
                    Vec::new(),
                );
                BackendKind::Cpu
            }
        };
        let run = WorkerRun {
            run: RunSignals::new(&LAB_BACKENDS),
            setup: RwSignal::new(setup),
            observation: RwSignal::new(None),
            history: RwSignal::new(LossSeries::default()),
            log_scale: RwSignal::new(false),
            sweep: RwSignal::new(None),
            notices,
            worker: Rc::new(RefCell::new(None)),
            backend: Rc::new(RefCell::new(backend)),
            moving_to: Rc::new(RefCell::new(None)),
            last_good: Rc::new(RefCell::new(None)),
            closed: Rc::new(Cell::new(false)),
        };
        run.open(None);
        run
    }

    /// Starts a worker; whether it started (if not, a notice says why).
    fn spawn(&self) -> bool {
        let reports = self.clone();
        match LabWorker::spawn(Role::Lab, move |report| reports.on_report(report)) {
            Ok(worker) => {
                *self.worker.borrow_mut() = Some(worker);
                true
            }
            Err(e) => {
                self.notices.say(
                    Topic::Training,
                    format!("This lab trains in a Web Worker, which could not start: {e}."),
                    Vec::new(),
                );
                false
            }
        }
    }

    fn send(&self, command: &ToWorker) {
        let sent = match self.worker.borrow().as_ref() {
            Some(worker) => worker.send(command),
            None => Ok(()),
        };
        if let Err(e) = sent {
            self.run.playing.set(false);
            self.notices.say(Topic::Training, e.to_string(), Vec::new());
        }
    }

    /// (Re)builds the session from the current setup, paused at epoch 0 (or `resume`).
    /// A worker that failed is replaced first.
    fn open(&self, resume: Option<LabCheckpoint>) {
        if self.closed.get() {
            return;
        }
        if self.worker.borrow().is_none() && !self.spawn() {
            return;
        }
        let fresh = resume.is_none();
        if fresh {
            self.last_good.borrow_mut().take();
        }
        self.send(&ToWorker::Open {
            setup: self.setup.get_untracked(),
            backend: *self.backend.borrow(),
            resume,
        });
        self.run.playing.set(false);
        if fresh {
            self.sweep.set(None);
            self.history.set(LossSeries::default());
            self.run.epoch.set(0);
            self.observation.set(None);
        }
    }

    /// Stops the worker for good (the lab closed).
    pub fn stop(&self) {
        self.closed.set(true);
        self.worker.borrow_mut().take();
    }

    /// Plays or pauses. Play after a failed worker starts a fresh one from the last good
    /// weights.
    pub fn toggle_play(&self) {
        let playing = !self.run.playing.get_untracked();
        if playing && !self.revive() {
            return;
        }
        self.run.playing.set(playing);
        self.send(&ToWorker::Play(playing));
        if !playing {
            self.history.notify();
        }
    }

    /// After a worker failed: starts a fresh one from the last good weights. Whether a worker
    /// runs.
    fn revive(&self) -> bool {
        if self.worker.borrow().is_some() {
            return true;
        }
        self.notices.clear(Topic::Training);
        let resume = self.last_good.borrow().clone();
        self.open(resume);
        self.worker.borrow().is_some()
    }

    /// Trains one more epoch.
    pub fn step(&self) {
        if !self.revive() {
            return;
        }
        self.run.playing.set(false);
        self.send(&ToWorker::Step);
    }

    /// Starts over from the initial weights.
    pub fn reset(&self) {
        self.open(None);
    }

    /// A new experiment: rebuilt from scratch, paused.
    pub fn set_setup(&self, setup: LabSetup) {
        self.setup.set(setup);
        self.open(None);
    }

    /// Changes the learning rate live; `setup` is the experiment with the new rate, which a
    /// reset or a fresh worker starts from.
    pub fn set_learning_rate(&self, setup: LabSetup, rate: f64) {
        self.setup.set(setup);
        self.send(&ToWorker::SetLearningRate(rate));
    }

    /// Starts the accuracy-versus-length sweep in the background (recurrence lab).
    pub fn start_sweep(&self) {
        self.sweep.set(Some((0.0, Vec::new())));
        self.send(&ToWorker::Sweep);
    }

    /// What observations show from now on.
    pub fn request(&self, request: LabRequest) {
        self.send(&ToWorker::Request(request));
    }

    /// Moves training to `kind`, keeping the weights (through a checkpoint).
    pub fn switch_backend(&self, kind: BackendKind) {
        if self.worker.borrow().is_none() {
            *self.backend.borrow_mut() = kind;
            self.revive();
            return;
        }
        *self.moving_to.borrow_mut() = Some(kind);
        self.run.playing.set(false);
        self.send(&ToWorker::Play(false));
        self.send(&ToWorker::Checkpoint);
    }

    fn on_report(&self, report: FromWorker) {
        match report {
            FromWorker::Ready => {}
            FromWorker::Opened { backend, reason } => {
                if self
                    .moving_to
                    .borrow()
                    .is_some_and(|wanted| wanted != backend)
                {
                    self.notices.say(Topic::Backend, reason.clone(), Vec::new());
                }
                *self.moving_to.borrow_mut() = None;
                *self.backend.borrow_mut() = backend;
                self.run.backend.set(Some(BackendInfo {
                    kind: backend,
                    reason,
                }));
            }
            // The page owns play/pause: an observation may have left the worker before the
            // page's last Play arrived there (after a Reset, say), so its `playing` is not
            // followed. The worker stops by itself only with a message of its own (Diverged,
            // Error), and a Step pauses on the page at once.
            FromWorker::Observation {
                observation,
                playing: _,
                epochs_per_second,
                ms_per_step,
            } => {
                self.run.epoch.set(observation.epoch());
                self.run.throughput.set(Throughput {
                    epochs_per_second,
                    ms_per_step,
                });
                if let Some(m) = observation.main_metrics() {
                    let epoch = u32::try_from(m.epoch).unwrap_or(u32::MAX);
                    self.history.update(|h| {
                        if h.train.last().is_some_and(|&(e, _)| e >= epoch) {
                            return;
                        }
                        h.train.push((epoch, m.train_loss));
                        h.test.push((epoch, m.test_loss));
                        if let (Some(a), Some(b)) = (m.train_accuracy, m.test_accuracy) {
                            h.train_accuracy.push((epoch, a));
                            h.test_accuracy.push((epoch, b));
                        }
                    });
                }
                self.observation.set(Some(Arc::new(observation)));
            }
            FromWorker::Checkpoint(checkpoint) => {
                let target = *self.moving_to.borrow();
                if let Some(kind) = target {
                    *self.backend.borrow_mut() = kind;
                    self.open(Some(checkpoint));
                }
            }
            FromWorker::Sweep { progress, points } => {
                self.sweep.set(Some((progress.fraction(), points)));
            }
            FromWorker::LastGood(checkpoint) => {
                *self.last_good.borrow_mut() = Some(checkpoint);
            }
            FromWorker::Diverged(text) => {
                self.run.playing.set(false);
                self.notices.say(Topic::Training, text, Vec::new());
            }
            FromWorker::Error(error) => self.on_error(error),
        }
    }

    /// Shows what failed; a failed worker is dropped (Play starts a fresh one).
    fn on_error(&self, error: WorkerError) {
        if error.stops_training() {
            self.run.playing.set(false);
            self.run.throughput.set(Throughput::default());
        }
        if matches!(error, WorkerError::Crashed(_)) {
            // Terminated after this callback returns: it belongs to the worker's handlers.
            let worker = self.worker.borrow_mut().take();
            wasm_bindgen_futures::spawn_local(async move { drop(worker) });
            self.moving_to.borrow_mut().take();
        }
        let topic = match error {
            WorkerError::LearningRate(_) | WorkerError::Sweep(_) => Topic::Config,
            _ => Topic::Training,
        };
        self.notices.say(topic, error.to_string(), Vec::new());
    }
}
