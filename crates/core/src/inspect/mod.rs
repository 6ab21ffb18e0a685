//! What happens inside training, computed from weights and data (issue 12, "See inside
//! training"): a forward pass made visible, gradients per weight and per layer, dead units,
//! weight histograms, a slice of the loss landscape, the generalisation gap, early stopping,
//! learning curves over data size, optimiser races and the confusion matrix.
//!
//! Everything here works from plain weights ([`LayerWeights`](crate::LayerWeights)) and the
//! experiment's data on the CPU, with the fused engine's own forward and backward passes, so it
//! gives the same numbers on every back end: on burn or the GPU the page already reads the
//! weights back each frame. Nothing here changes a training run.

mod confusion;
mod directions;
mod early_stopping;
mod evaluation;
mod generalisation;
mod gradient;
mod histogram;
mod landscape;
mod learning_curve;
pub mod limits;
mod probe;
mod race;
mod units;

use thiserror::Error;

pub use confusion::{Confusion, confusion};
pub use directions::{Directions, PathProjection};
pub use early_stopping::{EarlyStopping, Verdict};
pub use generalisation::{GapPoint, best_test_epoch, gap_series};
pub use gradient::{LayerNorms, Objective, batch_gradient, gradient_norms, layer_norms};
pub use histogram::{WeightHistograms, histogram, shared_range, weight_histograms};
pub use landscape::{Landscape, LandscapeConfig, LandscapeJob};
pub use learning_curve::{CurvePoint, LearningCurveJob};
pub use probe::{LayerTrace, NeuronTrace, ProbeTrace, probe};
pub use race::{RACE_EPOCHS, RACERS, RECORD_EVERY, RaceJob, optimizer_variants, race};
pub use units::{UnitActivity, UnitState, unit_activity};

/// Why an inspection cannot run on what it was given.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum InspectError {
    /// The weights do not fit the experiment's network.
    #[error("the weights do not fit the network: {0}")]
    Weights(String),
    /// No points to compute over.
    #[error("no data points to compute over; the set is empty")]
    NoPoints,
    /// A landscape grid side out of range.
    #[error(
        "a landscape of {0}×{0} points is out of range; use {min} to {max} points a side",
        min = limits::MIN_LANDSCAPE_SIZE,
        max = limits::MAX_LANDSCAPE_SIZE
    )]
    LandscapeSize(usize),
    /// A landscape radius that is not a positive number in range.
    #[error(
        "a landscape radius of {0} is invalid; use a number above 0 and at most {max}",
        max = limits::MAX_LANDSCAPE_RADIUS
    )]
    LandscapeRadius(f32),
    /// A learning-curve training-set size out of range.
    #[error(
        "a learning curve cannot train on {size} points; use 1 to {available} (the training points)"
    )]
    CurveSize {
        /// Size asked for.
        size: usize,
        /// Training points available.
        available: usize,
    },
    /// Training settings that do not fit the experiment.
    #[error("{0}")]
    Training(crate::experiment::ConfigError),
    /// A learning curve without any size or without steps.
    #[error("a learning curve needs at least one training-set size and one step per run")]
    EmptyCurve,
}
