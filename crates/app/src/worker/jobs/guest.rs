//! The worker side of a background job: it waits for its [`JobSpec`], then computes in slices,
//! posting its progress a few times a second and once more when it ends.

use std::cell::RefCell;
use std::rc::Rc;

use emberlab_core::inspect::{LandscapeJob, LearningCurveJob, RaceJob};
use emberlab_core::{FusedSession, Steps};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::MessageEvent;

use super::protocol::{JobReport, JobSpec, ToJob};
use crate::frame::now_ms;
use crate::worker::outbox::{self, scope};
use crate::worker::protocol::{WorkerError, decode};
use crate::worker::wait::{Mailbox, next_message, yield_now};

/// Computing between two looks at the message queue.
const SLICE_MS: f64 = 8.0;
/// Least time between two progress reports.
const REPORT_EVERY_MS: f64 = 100.0;
/// Optimiser steps of the learning curve per chunk.
const CURVE_STEPS_PER_CHUNK: u64 = 20;
/// Racer-epochs of the race per chunk.
const RACE_EPOCHS_PER_CHUNK: u64 = 1;
/// Grid points of the landscape per chunk.
const LANDSCAPE_POINTS_PER_CHUNK: usize = 4;
/// Least time between two snapshots of run B while it catches up.
const RUN_B_SNAPSHOT_MS: f64 = 250.0;

fn post(report: &JobReport) {
    outbox::post(report, JobReport::Failed);
}

/// Run B, following run A's epoch.
struct RunB {
    session: FusedSession,
    target: u64,
    grid: usize,
    reported_epoch: Option<u64>,
    snapshot_at: f64,
}

/// A job being computed.
enum Running {
    RunB(Box<RunB>),
    LearningCurve(Box<LearningCurveJob>),
    Race(Box<RaceJob>),
    Landscape(Box<LandscapeJob>),
}

/// What one chunk of work left.
#[derive(PartialEq)]
enum Progress {
    /// More to do.
    More,
    /// Nothing to do until told more (run B caught up).
    Idle,
    /// The job is over.
    Done,
}

impl Progress {
    fn from_done(done: bool) -> Progress {
        if done { Progress::Done } else { Progress::More }
    }
}

impl Running {
    fn start(spec: JobSpec) -> Result<Running, String> {
        match spec {
            JobSpec::RunB {
                config,
                weights,
                grid,
            } => {
                let experiment = config.validate().map_err(|e| e.to_string())?;
                let session = match weights {
                    Some(weights) => {
                        FusedSession::resume(experiment, &weights, 0).map_err(|e| e.to_string())?
                    }
                    None => FusedSession::new(experiment),
                };
                Ok(Running::RunB(Box::new(RunB {
                    session,
                    target: 0,
                    grid,
                    reported_epoch: None,
                    snapshot_at: f64::NEG_INFINITY,
                })))
            }
            JobSpec::LearningCurve(config) => {
                let experiment = config.validate().map_err(|e| e.to_string())?;
                LearningCurveJob::with_defaults(experiment)
                    .map(|job| Running::LearningCurve(Box::new(job)))
                    .map_err(|e| e.to_string())
            }
            JobSpec::Race(config) => {
                let experiment = config.validate().map_err(|e| e.to_string())?;
                RaceJob::new(&experiment)
                    .map(|job| Running::Race(Box::new(job)))
                    .map_err(|e| e.to_string())
            }
            JobSpec::Landscape {
                config,
                centre,
                directions,
                points,
                slice,
            } => {
                let experiment = config.validate().map_err(|e| e.to_string())?;
                let training = experiment.config().training;
                LandscapeJob::new(&experiment, &training, &centre, &directions, &points, slice)
                    .map(|job| Running::Landscape(Box::new(job)))
                    .map_err(|e| e.to_string())
            }
        }
    }

    /// One chunk of work.
    fn chunk(&mut self) -> Progress {
        match self {
            Running::RunB(b) if b.session.epoch() < b.target => {
                b.session.train_epochs(1);
                Progress::More
            }
            Running::RunB(_) => Progress::Idle,
            Running::LearningCurve(job) => Progress::from_done(job.step(CURVE_STEPS_PER_CHUNK)),
            Running::Race(job) => Progress::from_done(job.step(RACE_EPOCHS_PER_CHUNK)),
            Running::Landscape(job) => Progress::from_done(job.step(LANDSCAPE_POINTS_PER_CHUNK)),
        }
    }

    /// What to tell the page now, if anything (`due`: a report is due by the clock).
    fn report_now(&mut self, done: bool, due: bool) -> Option<JobReport> {
        let Running::RunB(b) = self else {
            return (done || due).then(|| self.report(done));
        };
        let epoch = b.session.epoch();
        let caught_up = epoch >= b.target;
        if b.reported_epoch == Some(epoch) || !(due || caught_up) {
            return None;
        }
        let now = now_ms();
        let grid = (caught_up || now - b.snapshot_at >= RUN_B_SNAPSHOT_MS).then_some(b.grid);
        if grid.is_some() {
            b.snapshot_at = now;
        }
        let observation = b.session.observe(grid).ok()?;
        b.reported_epoch = Some(epoch);
        Some(JobReport::RunB {
            epoch,
            train_loss: observation.metrics.train_loss,
            test_loss: observation.metrics.test_loss,
            snapshot: observation.snapshot,
        })
    }

    fn report(&self, done: bool) -> JobReport {
        match self {
            Running::RunB(b) => JobReport::RunB {
                epoch: b.session.epoch(),
                train_loss: f32::NAN,
                test_loss: f32::NAN,
                snapshot: None,
            },
            Running::LearningCurve(job) => JobReport::LearningCurve {
                sizes: job.sizes().to_vec(),
                progress: job.progress(),
                results: job.results().to_vec(),
                done,
            },
            Running::Race(job) => JobReport::Race {
                epoch: job.epoch(),
                curves: job.curves().to_vec(),
                done,
            },
            Running::Landscape(job) => JobReport::Landscape {
                landscape: job.landscape().clone(),
                done,
            },
        }
    }
}

/// Starts the worker: waits for its job, computes it, reports.
pub fn run() {
    let mailbox = Rc::new(RefCell::new(Mailbox::<ToJob>::default()));
    let on_message = {
        let mailbox = Rc::clone(&mailbox);
        Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            let bytes = js_sys::Uint8Array::new(&event.data()).to_vec();
            match decode::<ToJob>(&bytes) {
                Ok(command) => Mailbox::deliver(&mailbox, command),
                Err(error) => post(&JobReport::Failed(error)),
            }
        })
    };
    if let Some(scope) = scope() {
        scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    }
    // The worker lives as long as its page keeps it; so does this handler.
    on_message.forget();
    post(&JobReport::Ready);
    wasm_bindgen_futures::spawn_local(async move {
        let mut job: Option<Running> = None;
        let mut reported = f64::NEG_INFINITY;
        loop {
            for command in mailbox.borrow_mut().take() {
                match command {
                    ToJob::Start(spec) => match Running::start(*spec) {
                        Ok(started) => job = Some(started),
                        Err(e) => {
                            post(&JobReport::Failed(WorkerError::Open(e)));
                            return;
                        }
                    },
                    ToJob::Follow(target) => {
                        if let Some(Running::RunB(b)) = job.as_mut() {
                            b.target = target;
                        }
                    }
                }
            }
            let Some(running) = job.as_mut() else {
                next_message(&mailbox).await;
                continue;
            };
            let start = now_ms();
            let mut progress = Progress::More;
            while progress == Progress::More && now_ms() - start < SLICE_MS {
                progress = running.chunk();
            }
            let done = progress == Progress::Done;
            let due = now_ms() - reported >= REPORT_EVERY_MS;
            if let Some(report) = running.report_now(done, due) {
                post(&report);
                reported = now_ms();
            }
            match progress {
                Progress::Done => return,
                Progress::Idle => next_message(&mailbox).await,
                Progress::More => yield_now().await,
            }
        }
    });
}
