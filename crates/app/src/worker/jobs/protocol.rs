//! What a panel and its job's worker say to each other: the job to run, then its progress.

use emberlab_core::ExperimentConfig;
use emberlab_core::inspect::CurvePoint;
use serde::{Deserialize, Serialize};

use crate::worker::host::Report;
use crate::worker::protocol::WorkerError;

/// Page → worker: the one job this worker runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum JobSpec {
    /// The learning curve of this experiment.
    LearningCurve(ExperimentConfig),
    /// The optimiser race on this experiment.
    Race(ExperimentConfig),
}

/// Worker → page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum JobReport {
    /// The worker's wasm is running; the job can come.
    Ready,
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
