//! The worker side of the playground: it owns the run's [`Trainer`] on whichever engine (the
//! fused CPU engine, the GPU kernel on WebGPU, burn Flex), trains, and answers each frame
//! request of the page with one observation. At "as fast as possible" a CPU engine trains
//! without pause between frames and looks at its messages every few milliseconds; the GPU
//! kernel is given a number of steps per frame that adapts to how long its readback waits.

use std::cell::RefCell;
use std::rc::Rc;

use emberlab_core::{Engine, ExperimentConfig, Steps, Trainer};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::MessageEvent;

use super::gpu_cap::GpuCap;
use super::protocol::{FromEngine, Placement, Resume, ToEngine};
use super::slice::train_for;
use crate::backend::{BackendKind, Choice, chosen_engine, probe};
use crate::frame::now_ms;
use crate::worker::outbox::{self, scope};
use crate::worker::protocol::{WorkerError, decode};
use crate::worker::wait::{Mailbox, next_message, yield_now};

/// Training between two looks at the message queue at "as fast as possible" on a CPU engine:
/// a frame request waits at most about this long for its answer to start.
const SLICE_MS: f64 = 4.0;

/// Posts `message`; its bytes are transferred, not copied.
fn post(message: &FromEngine) {
    outbox::post(message, |error| FromEngine::Error {
        generation: u64::MAX,
        error,
    });
}

fn fail(generation: u64, error: WorkerError) {
    post(&FromEngine::Error { generation, error });
}

/// The run being trained.
struct Run {
    generation: u64,
    trainer: Trainer,
    kind: BackendKind,
    /// Trains between frames ("as fast as possible").
    fast: bool,
    /// CPU: steps between two clock reads.
    chunk: usize,
    /// GPU: steps queued per frame.
    gpu_cap: GpuCap,
}

/// Starts the worker: listens for commands and runs the training loop.
pub fn run() {
    let mailbox = Rc::new(RefCell::new(Mailbox::<ToEngine>::default()));
    let on_message = {
        let mailbox = Rc::clone(&mailbox);
        Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            let bytes = js_sys::Uint8Array::new(&event.data()).to_vec();
            match decode::<ToEngine>(&bytes) {
                Ok(command) => Mailbox::deliver(&mailbox, command),
                Err(error) => fail(u64::MAX, error),
            }
        })
    };
    if let Some(scope) = scope() {
        scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    }
    // The worker lives as long as its page keeps it; so does this handler.
    on_message.forget();
    post(&FromEngine::Ready);
    wasm_bindgen_futures::spawn_local(async move {
        let mut run: Option<Run> = None;
        loop {
            let commands = mailbox.borrow_mut().take();
            for command in commands {
                handle(&mut run, command).await;
            }
            match run.as_mut() {
                Some(r) if r.fast && r.kind != BackendKind::WebGpu => {
                    train_for(&mut r.trainer, &mut r.chunk, SLICE_MS, &now_ms);
                    yield_now().await;
                }
                _ => next_message(&mailbox).await,
            }
        }
    });
}

async fn handle(run: &mut Option<Run>, command: ToEngine) {
    match command {
        ToEngine::Open {
            generation,
            config,
            placement,
            resume,
            page_has_webgpu,
        } => {
            // The old run (and its device memory) goes first.
            *run = None;
            *run = open(generation, config, placement, resume, page_has_webgpu).await;
        }
        ToEngine::SetTraining(training) => {
            if let Some(r) = run.as_mut()
                && let Err(e) = r.trainer.set_training(training)
            {
                fail(r.generation, WorkerError::Settings(e.to_string()));
            }
        }
        ToEngine::Fast(fast) => {
            if let Some(r) = run.as_mut() {
                r.fast = fast;
                r.gpu_cap = GpuCap::default();
            }
        }
        ToEngine::Frame { epochs, grid } => {
            if let Some(r) = run.as_mut() {
                frame(r, epochs, grid).await;
            }
        }
    }
}

/// Builds the run and says where it trains; after [`Placement::Measure`] the back ends are
/// measured beside it and the verdict posted.
async fn open(
    generation: u64,
    config: ExperimentConfig,
    placement: Placement,
    resume: Option<Resume>,
    webgpu: bool,
) -> Option<Run> {
    let experiment = match config.validate() {
        Ok(experiment) => experiment,
        Err(e) => {
            fail(generation, WorkerError::Open(e.to_string()));
            return None;
        }
    };
    let (engine, kind, reason, fell_back) = match placement {
        Placement::Measure => (
            Engine::Fused,
            BackendKind::Cpu,
            Some("measuring which back end is faster for this network…".to_string()),
            false,
        ),
        Placement::Chosen(asked, choice) => {
            let (engine, info) = chosen_engine(asked, choice, webgpu).await;
            (engine, info.kind, Some(info.reason), info.kind != asked)
        }
        Placement::Keep(asked) => {
            let (engine, info) = chosen_engine(asked, Choice::Picker, webgpu).await;
            let fell_back = info.kind != asked;
            (
                engine,
                info.kind,
                fell_back.then_some(info.reason),
                fell_back,
            )
        }
    };
    let trainer = match resume {
        Some(resume) => {
            match Trainer::resume(
                experiment.clone(),
                engine.clone(),
                &resume.layers,
                resume.epoch,
            ) {
                Ok(trainer) => trainer,
                Err(e) => {
                    fail(
                        generation,
                        WorkerError::Open(format!(
                            "the saved weights could not be loaded ({e}); training starts from fresh weights"
                        )),
                    );
                    Trainer::new(experiment.clone(), engine)
                }
            }
        }
        None => Trainer::new(experiment.clone(), engine),
    };
    post(&FromEngine::Opened {
        generation,
        backend: kind,
        reason,
        fell_back,
    });
    if placement == Placement::Measure {
        wasm_bindgen_futures::spawn_local(async move {
            let verdict = probe(&experiment, webgpu).await;
            post(&FromEngine::Probed {
                generation,
                faster: verdict.faster.map(|_| BackendKind::WebGpu),
                reason: verdict.info.reason,
            });
        });
    }
    Some(Run {
        generation,
        trainer,
        kind,
        fast: false,
        chunk: 1,
        gpu_cap: GpuCap::default(),
    })
}

/// One frame: exactly `epochs` more whole epochs (on a GPU at "as fast as possible", also the
/// frame's share of steps), then an observation on a `grid` if asked.
async fn frame(run: &mut Run, epochs: u64, grid: Option<usize>) {
    let gpu_fast = run.fast && run.kind == BackendKind::WebGpu;
    let queued = if gpu_fast { run.gpu_cap.steps() } else { 0 };
    if queued > 0 {
        run.trainer.train_steps(queued);
    }
    if epochs > 0 {
        run.trainer.train_epochs(epochs);
    }
    let observe_start = now_ms();
    let pending = run.trainer.observe(grid);
    let wait_start = now_ms();
    let delivered = pending.read().await;
    let wait_ms = now_ms() - wait_start;
    if gpu_fast {
        run.gpu_cap.after_frame(queued as u64, wait_ms);
    }
    let result = delivered.and_then(|d| run.trainer.complete(d));
    let observe_ms = now_ms() - observe_start - wait_ms;
    match result {
        Ok(observation) => post(&FromEngine::Observed {
            generation: run.generation,
            observation,
            steps: run.trainer.steps(),
            steps_into_epoch: run
                .trainer
                .steps_per_epoch()
                .saturating_sub(run.trainer.steps_left_in_epoch()),
            observe_ms,
        }),
        Err(e) => {
            run.fast = false;
            fail(run.generation, WorkerError::Training(e.to_string()));
        }
    }
}
