//! The worker side: receives commands, trains in slices, posts observations about ten times a
//! second, and checkpoints the last sane weights so a divergence can go back to them.

use std::cell::RefCell;
use std::rc::Rc;

use emberlab_core::Device;
use emberlab_core::recurrence::Sweep;
use emberlab_core::recurrence::limits::{SWEEP_LENGTHS, SWEEP_STEPS};
use emberlab_core::run::DivergenceGuard;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

use super::protocol::{FromWorker, LabCheckpoint, LabRequest, LabSetup, ToWorker, decode, encode};
use super::sessions::{self, LabSession};
use crate::backend::{BackendKind, Choice, chosen_device};
use crate::frame::now_ms;

/// Longest stretch of training between two looks at the message queue.
const SLICE_MS: f64 = 30.0;
/// Time between two observations while training.
const OBSERVE_EVERY_MS: f64 = 100.0;
/// How long an idle worker sleeps before looking at its queue again.
const IDLE_MS: i32 = 20;
/// Training steps of the background sweep per turn of the loop.
const SWEEP_STEPS_PER_TURN: usize = 4;

/// Whether this code runs in a dedicated worker (not in the page).
pub fn in_worker() -> bool {
    js_sys::global()
        .dyn_into::<DedicatedWorkerGlobalScope>()
        .is_ok()
}

fn scope() -> Option<DedicatedWorkerGlobalScope> {
    js_sys::global().dyn_into().ok()
}

fn post(message: &FromWorker) {
    if let Some(scope) = scope() {
        let bytes = js_sys::Uint8Array::from(encode(message).as_slice());
        let _ = scope.post_message(&bytes);
    }
}

/// The worker's state between commands.
#[derive(Default)]
struct Guest {
    inbox: Vec<ToWorker>,
    session: Option<Box<dyn LabSession>>,
    setup: Option<LabSetup>,
    backend: Option<BackendKind>,
    playing: bool,
    /// Epoch the step button is heading for.
    step_target: Option<u64>,
    request: Option<LabRequest>,
    /// An observation is due now (new session, new request, paused after a step).
    dirty: bool,
    observed_ms: f64,
    /// (time, epoch, steps) at the start of the throughput window.
    window: Option<(f64, u64, u64)>,
    rate: (f64, f64),
    guard: DivergenceGuard<()>,
    /// The last checkpoint whose loss was sane, with its epoch.
    last_good: Option<(u64, LabCheckpoint)>,
    /// The device the session trains on.
    device: Option<Device>,
    /// The recurrence lab's accuracy-versus-length sweep, while it runs.
    sweep: Option<Sweep>,
}

/// Starts the worker: listens for commands and runs the training loop.
pub fn run() {
    let guest = Rc::new(RefCell::new(Guest::default()));
    let inbox = Rc::clone(&guest);
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        let bytes = js_sys::Uint8Array::new(&event.data()).to_vec();
        match decode::<ToWorker>(&bytes) {
            Ok(command) => inbox.borrow_mut().inbox.push(command),
            Err(e) => post(&FromWorker::Notice(e)),
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
    let trained = guest.borrow_mut().train_slice();
    let swept = sweep_turn(guest).await;
    let due = {
        let g = guest.borrow();
        g.session.is_some()
            && (g.dirty || (trained && now_ms() - g.observed_ms >= OBSERVE_EVERY_MS))
    };
    if due {
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
        Err(e) => post(&FromWorker::Notice(format!(
            "The length sweep stopped: {e}"
        ))),
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
            let opened = sessions::open(&setup, device.clone(), resume.as_ref());
            let mut g = guest.borrow_mut();
            match opened {
                Ok(session) => {
                    g.session = Some(session);
                    g.device = Some(device);
                    g.sweep = None;
                    g.setup = Some(setup);
                    g.backend = Some(kind);
                    g.playing = false;
                    g.step_target = None;
                    g.dirty = true;
                    g.window = None;
                    g.guard = DivergenceGuard::new();
                    if resume.is_none() {
                        g.last_good = None;
                    }
                    drop(g);
                    post(&FromWorker::Opened {
                        backend: kind,
                        reason,
                    });
                }
                Err(e) => {
                    drop(g);
                    post(&FromWorker::Notice(format!("The lab could not start: {e}")));
                }
            }
        }
        ToWorker::Play(playing) => {
            let mut g = guest.borrow_mut();
            g.playing = playing;
            g.step_target = None;
            g.window = None;
            g.dirty = true;
        }
        ToWorker::Step => {
            let mut g = guest.borrow_mut();
            g.playing = false;
            let epoch = g.session.as_ref().map_or(0, |s| s.epoch());
            g.step_target = Some(g.step_target.map_or(epoch + 1, |t| t + 1));
        }
        ToWorker::SetLearningRate(rate) => {
            let result = guest
                .borrow_mut()
                .session
                .as_mut()
                .map(|s| s.set_learning_rate(rate));
            if let Some(Err(e)) = result {
                post(&FromWorker::Notice(format!(
                    "{e}. The learning rate is unchanged."
                )));
            }
        }
        ToWorker::Request(request) => {
            let mut g = guest.borrow_mut();
            g.request = Some(request);
            g.dirty = true;
        }
        ToWorker::Sweep => {
            let mut g = guest.borrow_mut();
            let started = match (&g.setup, &g.device) {
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
                    post(&FromWorker::Notice(format!(
                        "The length sweep could not start: {e}"
                    )));
                }
            }
        }
        ToWorker::Checkpoint => {
            let pending = guest.borrow().session.as_ref().map(|s| s.checkpoint());
            if let Some(pending) = pending {
                match pending.await {
                    Ok(checkpoint) => post(&FromWorker::Checkpoint(checkpoint)),
                    Err(e) => post(&FromWorker::Notice(format!(
                        "The weights could not be read: {e}"
                    ))),
                }
            }
        }
    }
}

impl Guest {
    /// Trains for up to [`SLICE_MS`] if playing or stepping; whether it trained.
    fn train_slice(&mut self) -> bool {
        let Some(session) = self.session.as_mut() else {
            return false;
        };
        if !self.playing && self.step_target.is_none() {
            return false;
        }
        let start = now_ms();
        if self.window.is_none() {
            self.window = Some((start, session.epoch(), session.steps()));
        }
        while now_ms() - start < SLICE_MS {
            if let Some(target) = self.step_target {
                if session.epoch() >= target {
                    self.step_target = None;
                    self.dirty = true;
                    break;
                }
                let left = session.steps_left_in_epoch().max(1);
                session.train_steps(left.min(1));
            } else {
                session.train_steps(1);
            }
        }
        if let Some((t0, e0, s0)) = self.window {
            let elapsed = now_ms() - t0;
            if elapsed > 0.0 {
                let steps = session.steps().saturating_sub(s0);
                self.rate = (
                    session.epoch().saturating_sub(e0) as f64 * 1000.0 / elapsed,
                    if steps > 0 {
                        elapsed / steps as f64
                    } else {
                        0.0
                    },
                );
            }
            if elapsed > 2000.0 {
                self.window = Some((now_ms(), session.epoch(), session.steps()));
            }
        }
        true
    }
}

/// Reads an observation back and posts it; watches it for divergence.
async fn observe(guest: &Rc<RefCell<Guest>>) {
    let (pending, playing, rate) = {
        let mut g = guest.borrow_mut();
        g.dirty = false;
        g.observed_ms = now_ms();
        let request = g.request.clone();
        let (playing, rate) = (g.playing || g.step_target.is_some(), g.rate);
        let request = request.unwrap_or_else(|| default_request(g.setup.as_ref()));
        let Some(session) = g.session.as_mut() else {
            return;
        };
        (session.observe(&request, now_ms()), playing, rate)
    };
    match pending.await {
        Ok(observation) => {
            if let Some(loss) = observation.train_loss()
                && watch(guest, loss).await
            {
                return;
            }
            post(&FromWorker::Observation {
                observation,
                playing,
                epochs_per_second: if playing { rate.0 } else { 0.0 },
                ms_per_step: rate.1,
            });
        }
        Err(e) => {
            guest.borrow_mut().playing = false;
            post(&FromWorker::Notice(format!("Training stopped: {e}")));
        }
    }
}

/// The request a lab starts with before the page sends its own.
fn default_request(setup: Option<&LabSetup>) -> LabRequest {
    match setup {
        Some(LabSetup::Attention(_)) => {
            LabRequest::Attention(emberlab_core::attention::AttentionRequest::metrics())
        }
        Some(LabSetup::Recurrence(_)) => LabRequest::Recurrence(Default::default()),
        _ => LabRequest::Digits(Default::default()),
    }
}

/// Checks the loss; keeps a checkpoint each new epoch while sane. On divergence: pauses, goes
/// back to the last sane checkpoint, and tells the page. Whether it diverged.
async fn watch(guest: &Rc<RefCell<Guest>>, loss: f32) -> bool {
    let (epoch, verdict, needs_checkpoint) = {
        let mut g = guest.borrow_mut();
        let epoch = g.session.as_ref().map_or(0, |s| s.epoch());
        let verdict = g.guard.check(epoch, loss, || ());
        let needs = g.last_good.as_ref().is_none_or(|(e, _)| *e != epoch);
        (epoch, verdict, needs)
    };
    let Some(divergence) = verdict else {
        if needs_checkpoint {
            let pending = guest.borrow().session.as_ref().map(|s| s.checkpoint());
            if let Some(pending) = pending
                && let Ok(checkpoint) = pending.await
            {
                guest.borrow_mut().last_good = Some((epoch, checkpoint));
            }
        }
        return false;
    };
    let (setup, backend, last) = {
        let g = guest.borrow();
        (
            g.setup.clone(),
            g.backend.unwrap_or(BackendKind::Flex),
            g.last_good.as_ref().map(|(_, c)| c.clone()),
        )
    };
    post(&FromWorker::Notice(divergence.explain()));
    if let Some(setup) = setup {
        let open = ToWorker::Open {
            setup,
            backend,
            resume: last,
        };
        Box::pin(handle(guest, open)).await;
    }
    true
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
