//! The worker side of a background job: it waits for its [`JobSpec`], then computes in slices,
//! posting its progress a few times a second and once more when it ends.

use std::cell::RefCell;
use std::rc::Rc;

use emberlab_core::inspect::{LearningCurveJob, RaceJob};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

use super::protocol::{JobReport, JobSpec};
use crate::frame::now_ms;
use crate::worker::protocol::{WorkerError, decode, encode};
use crate::worker::wait::{Mailbox, next_message, yield_now};

/// Computing between two looks at the message queue.
const SLICE_MS: f64 = 8.0;
/// Least time between two progress reports.
const REPORT_EVERY_MS: f64 = 100.0;
/// Optimiser steps of the learning curve per chunk.
const CURVE_STEPS_PER_CHUNK: u64 = 20;
/// Racer-epochs of the race per chunk.
const RACE_EPOCHS_PER_CHUNK: u64 = 1;

fn scope() -> Option<DedicatedWorkerGlobalScope> {
    js_sys::global().dyn_into().ok()
}

fn post(report: &JobReport) {
    let Some(scope) = scope() else {
        return;
    };
    let Ok(bytes) = encode(report) else {
        return;
    };
    let array = js_sys::Uint8Array::from(bytes.as_slice());
    let transfer = js_sys::Array::of1(&array.buffer());
    let _ = scope.post_message_with_transfer(&array, &transfer);
}

/// A job being computed.
enum Running {
    LearningCurve(Box<LearningCurveJob>),
    Race(Box<RaceJob>),
}

impl Running {
    fn start(spec: JobSpec) -> Result<Running, String> {
        match spec {
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
        }
    }

    /// One chunk of work; whether the job is done.
    fn chunk(&mut self) -> bool {
        match self {
            Running::LearningCurve(job) => job.step(CURVE_STEPS_PER_CHUNK),
            Running::Race(job) => job.step(RACE_EPOCHS_PER_CHUNK),
        }
    }

    fn report(&self, done: bool) -> JobReport {
        match self {
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
        }
    }
}

/// Starts the worker: waits for its job, computes it, reports.
pub fn run() {
    let mailbox = Rc::new(RefCell::new(Mailbox::<JobSpec>::default()));
    let on_message = {
        let mailbox = Rc::clone(&mailbox);
        Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            let bytes = js_sys::Uint8Array::new(&event.data()).to_vec();
            match decode::<JobSpec>(&bytes) {
                Ok(spec) => Mailbox::deliver(&mailbox, spec),
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
        let spec = loop {
            next_message(&mailbox).await;
            if let Some(spec) = mailbox.borrow_mut().take().pop() {
                break spec;
            }
        };
        let mut job = match Running::start(spec) {
            Ok(job) => job,
            Err(e) => {
                post(&JobReport::Failed(WorkerError::Open(e)));
                return;
            }
        };
        post(&job.report(false));
        let mut reported = now_ms();
        loop {
            let start = now_ms();
            let mut done = false;
            while !done && now_ms() - start < SLICE_MS {
                done = job.chunk();
            }
            if done || now_ms() - reported >= REPORT_EVERY_MS {
                post(&job.report(done));
                reported = now_ms();
            }
            if done {
                return;
            }
            yield_now().await;
        }
    });
}
