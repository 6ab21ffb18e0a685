//! The worker side: a thin pump around core's [`Driver`]. It receives commands, trains in
//! slices, posts observations about ten times a second, and posts the last sane weights every
//! few seconds so the page can start over from them if this worker fails.

use std::cell::RefCell;
use std::rc::Rc;

use emberlab_core::recurrence::Sweep;
use emberlab_core::recurrence::limits::{SWEEP_LENGTHS, SWEEP_STEPS};
use emberlab_core::run::{Driver, LabSetup, Watch};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::MessageEvent;

use super::outbox::{self, scope};
use super::protocol::{FromWorker, ToWorker, WorkerError, decode};
use crate::backend::{BackendKind, Choice, chosen_device};
use crate::frame::now_ms;

/// Longest stretch of training between two looks at the message queue.
const SLICE_MS: f64 = 30.0;
/// How long an idle worker sleeps before looking at its queue again.
const IDLE_MS: i32 = 20;
/// Training steps of the background sweep per turn of the loop.
const SWEEP_STEPS_PER_TURN: usize = 4;
/// Least time between two posts of the last good weights to the page.
const LAST_GOOD_EVERY_MS: f64 = 2000.0;

/// Whether this code runs in a dedicated worker (not in the page).
pub fn in_worker() -> bool {
    scope().is_some()
}

fn post(message: &FromWorker) {
    outbox::post(message, FromWorker::Error);
}

fn fail(error: WorkerError) {
    post(&FromWorker::Error(error));
}

/// The worker's state between commands.
#[derive(Default)]
struct Guest {
    inbox: Vec<ToWorker>,
    driver: Driver,
    /// The back end the session trains on, and why (for the badge).
    opened: Option<(BackendKind, String)>,
    /// The recurrence lab's accuracy-versus-length sweep, while it runs.
    sweep: Option<Sweep>,
    /// When the last good weights were last posted, and their epoch.
    last_good_posted: Option<(f64, u64)>,
}

/// Starts the worker: listens for commands and runs the training loop.
pub fn run() {
    let guest = Rc::new(RefCell::new(Guest::default()));
    let inbox = Rc::clone(&guest);
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        let bytes = js_sys::Uint8Array::new(&event.data()).to_vec();
        match decode::<ToWorker>(&bytes) {
            Ok(command) => inbox.borrow_mut().inbox.push(command),
            Err(e) => fail(e),
        }
    });
    if let Some(scope) = scope() {
        scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    }
    // The worker lives as long as its page keeps it; so does this handler.
    on_message.forget();
    post(&FromWorker::Ready);
    wasm_bindgen_futures::spawn_local(async move {
        loop {
            let busy = turn(&guest).await;
            sleep(if busy { 0 } else { IDLE_MS }).await;
        }
    });
}

/// One turn of the loop: commands, a training slice, an observation if due. Whether it trained.
async fn turn(guest: &Rc<RefCell<Guest>>) -> bool {
    let commands = std::mem::take(&mut guest.borrow_mut().inbox);
    for command in commands {
        handle(guest, command).await;
    }
    let trained = guest.borrow_mut().driver.train_slice(&now_ms, SLICE_MS);
    let swept = sweep_turn(guest).await;
    if guest.borrow().driver.observation_due(now_ms(), trained) {
        observe(guest).await;
    }
    trained || swept
}

/// A few steps of the background sweep, if one runs; whether it did.
async fn sweep_turn(guest: &Rc<RefCell<Guest>>) -> bool {
    let Some(mut sweep) = guest.borrow_mut().sweep.take() else {
        return false;
    };
    match sweep.step(SWEEP_STEPS_PER_TURN).await {
        Ok(done) => {
            post(&FromWorker::Sweep {
                progress: sweep.progress(),
                points: sweep.results().to_vec(),
            });
            if !done {
                guest.borrow_mut().sweep = Some(sweep);
            }
        }
        Err(e) => fail(WorkerError::Sweep(e.to_string())),
    }
    true
}

async fn handle(guest: &Rc<RefCell<Guest>>, command: ToWorker) {
    match command {
        ToWorker::Open {
            setup,
            backend,
            resume,
        } => {
            let (device, kind, reason) = chosen_device(backend, Choice::Picker).await;
            let mut g = guest.borrow_mut();
            match g.driver.open(setup, device, resume) {
                Ok(()) => {
                    g.sweep = None;
                    g.opened = Some((kind, reason.clone()));
                    g.last_good_posted = None;
                    drop(g);
                    post(&FromWorker::Opened {
                        backend: kind,
                        reason,
                    });
                }
                Err(e) => {
                    drop(g);
                    fail(WorkerError::Open(e));
                }
            }
        }
        ToWorker::Play(playing) => guest.borrow_mut().driver.play(playing),
        ToWorker::Step => guest.borrow_mut().driver.step_epoch(),
        ToWorker::SetLearningRate(rate) => {
            let result = guest.borrow_mut().driver.set_learning_rate(rate);
            if let Err(e) = result {
                fail(WorkerError::LearningRate(e));
            }
        }
        ToWorker::Request(request) => guest.borrow_mut().driver.set_request(request),
        ToWorker::Sweep => {
            let mut g = guest.borrow_mut();
            let started = match (g.driver.setup(), g.driver.device()) {
                (Some(LabSetup::Recurrence(config)), Some(device)) => config
                    .validate()
                    .map_err(|e| e.to_string())
                    .and_then(|experiment| {
                        Sweep::new(&experiment, &SWEEP_LENGTHS, SWEEP_STEPS, device.clone())
                            .map_err(|e| e.to_string())
                    }),
                _ => Err("only the recurrence lab has a length sweep".to_string()),
            };
            match started {
                Ok(sweep) => g.sweep = Some(sweep),
                Err(e) => {
                    drop(g);
                    fail(WorkerError::Sweep(e));
                }
            }
        }
        ToWorker::Checkpoint => {
            let pending = guest.borrow().driver.checkpoint();
            if let Some(pending) = pending {
                match pending.await {
                    Ok(checkpoint) => post(&FromWorker::Checkpoint(checkpoint)),
                    Err(e) => fail(WorkerError::Checkpoint(e.to_string())),
                }
            }
        }
    }
}

/// Reads an observation back and posts it; watches it for divergence.
async fn observe(guest: &Rc<RefCell<Guest>>) {
    let Some(pending) = guest.borrow_mut().driver.queue_observation(now_ms()) else {
        return;
    };
    let observation = match pending.await {
        Ok(observation) => observation,
        Err(e) => {
            guest.borrow_mut().driver.pause();
            fail(WorkerError::Training(e.to_string()));
            return;
        }
    };
    let watch = guest.borrow_mut().driver.watch(&observation);
    match watch {
        Watch::Sane(checkpoint) => {
            if let Some((epoch, pending)) = checkpoint
                && let Ok(checkpoint) = pending.await
            {
                guest.borrow_mut().driver.keep_good(epoch, checkpoint);
            }
            let observed = guest.borrow().driver.observed(observation);
            post(&FromWorker::Observation {
                observation: observed.observation,
                playing: observed.playing,
                epochs_per_second: observed.epochs_per_second,
                ms_per_step: observed.ms_per_step,
            });
            post_last_good(guest);
        }
        Watch::Diverged(why) => {
            post(&FromWorker::Diverged(why));
            let recovered = guest.borrow_mut().driver.recover();
            match recovered {
                Ok(()) => {
                    let opened = guest.borrow().opened.clone();
                    if let Some((backend, reason)) = opened {
                        post(&FromWorker::Opened { backend, reason });
                    }
                }
                Err(e) => fail(WorkerError::Open(e)),
            }
        }
    }
}

/// Posts the last good weights when they are newer than those the page has and the last post
/// is a while ago (each is a few hundred kilobytes at most).
fn post_last_good(guest: &Rc<RefCell<Guest>>) {
    let mut g = guest.borrow_mut();
    let now = now_ms();
    let Some((epoch, checkpoint)) = g.driver.last_good() else {
        return;
    };
    let due = g
        .last_good_posted
        .is_none_or(|(at, posted)| posted != *epoch && now - at >= LAST_GOOD_EVERY_MS);
    if due {
        let message = FromWorker::LastGood(checkpoint.clone());
        g.last_good_posted = Some((now, *epoch));
        drop(g);
        post(&message);
    }
}

/// Resolves after `ms` milliseconds (0: after the pending messages).
async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(scope) = scope() {
            let _ = scope.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
