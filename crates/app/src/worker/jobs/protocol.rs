//! What a panel and its job's worker say to each other: the job to run, then its progress.

use emberlab_core::inspect::{CurvePoint, Directions, Landscape, LandscapeConfig};
use emberlab_core::{ExperimentConfig, LayerWeights, Point, Snapshot};
use serde::{Deserialize, Serialize};

use crate::worker::host::Report;
use crate::worker::protocol::WorkerError;

/// Page → worker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ToJob {
    /// The one job this worker runs.
    Start(Box<JobSpec>),
    /// Run B trains up to this epoch (run A's).
    Follow(u64),
}

/// A background job.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum JobSpec {
    /// Run B: this experiment, from `weights` at epoch 0 if given (else its own seed's),
    /// trained up to the epoch it is told to follow.
    RunB {
        /// Run B's experiment.
        config: ExperimentConfig,
        /// Its initial weights (run A's, when the seed is the same).
        weights: Option<Vec<LayerWeights>>,
        /// Side of its snapshot's grids.
        grid: usize,
    },
    /// The learning curve of this experiment.
    LearningCurve(ExperimentConfig),
    /// The optimiser race on this experiment.
    Race(ExperimentConfig),
    /// A slice of the loss landscape.
    Landscape {
        /// The experiment (its training settings give the loss).
        config: ExperimentConfig,
        /// The weights at the slice's centre.
        centre: Vec<LayerWeights>,
        /// The plane's two directions.
        directions: Directions,
        /// The points the loss is measured on.
        points: Vec<Point>,
        /// The grid and its radius.
        slice: LandscapeConfig,
    },
}

/// Worker → page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum JobReport {
    /// The worker's wasm is running; the job can come.
    Ready,
    /// Run B at a new epoch.
    RunB {
        /// Epochs completed.
        epoch: u64,
        /// Mean training loss.
        train_loss: f32,
        /// Mean test loss.
        test_loss: f32,
        /// Its weights and surface, a few times a second and when it caught up.
        snapshot: Option<Snapshot>,
    },
    /// The learning curve so far.
    LearningCurve {
        /// Training-set sizes of its runs.
        sizes: Vec<usize>,
        /// Share of the whole job done (0..1).
        progress: f32,
        /// The finished runs.
        results: Vec<CurvePoint>,
        /// Whether every run finished.
        done: bool,
    },
    /// The optimiser race so far.
    Race {
        /// Epochs every racer has completed.
        epoch: u64,
        /// Each racer's (epoch, training loss) so far.
        curves: Vec<Vec<(f64, f64)>>,
        /// Whether the race is over.
        done: bool,
    },
    /// The landscape slice so far.
    Landscape {
        /// The grid with the points computed so far.
        landscape: Landscape,
        /// Whether every point is computed.
        done: bool,
    },
    /// The job could not start, or its worker failed.
    Failed(WorkerError),
}

impl Report for JobReport {
    fn is_ready(&self) -> bool {
        *self == JobReport::Ready
    }

    fn failure(error: WorkerError) -> Self {
        JobReport::Failed(error)
    }
}
