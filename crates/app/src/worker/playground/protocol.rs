//! What the playground's page and its engine worker say to each other: plain data, as postcard
//! bytes. Every report carries the generation of the run it belongs to, so the page drops the
//! late reports of a run it has replaced.

use emberlab_core::{ExperimentConfig, LayerWeights, Observation, TrainingConfig};
use serde::{Deserialize, Serialize};

use crate::backend::{BackendKind, Choice};
use crate::worker::host::Report;
use crate::worker::protocol::WorkerError;

/// Where the run trains.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Placement {
    /// The fused CPU engine; the worker then measures whether WebGPU is faster for this
    /// network and says so ([`FromEngine::Probed`]).
    Measure,
    /// The back end the user chose (falling back to the CPU, with the reason, if it cannot
    /// start).
    Chosen(BackendKind, Choice),
    /// This back end, as the previous run had it (no measurement, no notice).
    Keep(BackendKind),
}

/// Trained weights to continue from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Resume {
    /// Every layer's weights and biases.
    pub layers: Vec<LayerWeights>,
    /// Epochs they were trained for.
    pub epoch: u64,
}

/// Page → worker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ToEngine {
    /// Builds the run (replacing any other), paused.
    Open {
        /// Tags every later report of this run.
        generation: u64,
        /// The experiment (valid: the page checked it).
        config: ExperimentConfig,
        /// Where to train.
        placement: Placement,
        /// Weights to continue from.
        resume: Option<Resume>,
        /// Whether the page has WebGPU: a worker may expose it where the page does not, and
        /// the page's word counts (it is what the user's browser offers).
        page_has_webgpu: bool,
    },
    /// Changes the training settings live (checked by the page first).
    SetTraining(TrainingConfig),
    /// Trains without pause between frames ("as fast as possible"), or stops doing so.
    Fast(bool),
    /// One displayed frame: train exactly `epochs` more whole epochs (0: none, beyond what
    /// "as fast as possible" trains anyway), then report.
    Frame {
        /// Whole epochs to train first.
        epochs: u64,
        /// Side of the grids the snapshot carries (none: metrics only).
        grid: Option<usize>,
    },
}

/// Worker → page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum FromEngine {
    /// The worker's wasm is running; commands can come.
    Ready,
    /// A run was built on this back end.
    Opened {
        /// The run.
        generation: u64,
        /// The back end in use.
        backend: BackendKind,
        /// One sentence for the badge; none when the run stays where the previous one was.
        reason: Option<String>,
        /// Whether the back end is not the one asked for (the reason is then a notice).
        fell_back: bool,
    },
    /// The measurement after [`Placement::Measure`]: `faster` is WebGPU when it won.
    Probed {
        /// The run measured.
        generation: u64,
        /// The back end to move to, if any.
        faster: Option<BackendKind>,
        /// What was measured, for the badge.
        reason: String,
    },
    /// One frame's results.
    Observed {
        /// The run.
        generation: u64,
        /// Metrics, and a snapshot if one was asked for.
        observation: Observation,
        /// Optimiser steps taken by the run so far.
        steps: u64,
        /// Optimiser steps already taken in the current epoch.
        steps_into_epoch: usize,
        /// The worker's time for the observation (metrics and grids), readback wait excluded.
        observe_ms: f64,
    },
    /// Something failed; training in the worker stopped.
    Error {
        /// The run.
        generation: u64,
        /// What went wrong.
        error: WorkerError,
    },
}

impl Report for FromEngine {
    fn is_ready(&self) -> bool {
        *self == FromEngine::Ready
    }

    fn failure(error: WorkerError) -> Self {
        // A failure of the worker itself belongs to whichever run it was training.
        FromEngine::Error {
            generation: u64::MAX,
            error,
        }
    }
}
