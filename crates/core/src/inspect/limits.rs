//! Limits and defaults of the inspections, shared by validation, the UI and the tests.

/// Fewest landscape grid points a side.
pub const MIN_LANDSCAPE_SIZE: usize = 3;
/// Most landscape grid points a side (51² = 2601 loss evaluations).
pub const MAX_LANDSCAPE_SIZE: usize = 51;
/// Default landscape side: odd, so the centre (the current weights) is a grid point.
pub const LANDSCAPE_SIZE: usize = 21;
/// Default half-width of the landscape in units of the filter-normalised directions: at 1
/// every neuron's incoming weights move by their own length, which already reaches far
/// outside the valley on the playground's nets.
pub const LANDSCAPE_RADIUS: f32 = 1.0;
/// Largest landscape half-width accepted (principal directions have unit length, so a slice
/// around a long path needs a radius of its length in weight space).
pub const MAX_LANDSCAPE_RADIUS: f32 = 100.0;
/// Default number of histogram bins.
pub const HISTOGRAM_BINS: usize = 20;
/// A unit whose output varies by less than this over the data carries no information.
pub const CONSTANT_UNIT_TOLERANCE: f32 = 1e-6;
/// Default patience of early stopping, in epochs without a better test loss.
pub const EARLY_STOPPING_PATIENCE: u64 = 50;
/// Default optimiser steps per learning-curve run.
pub const CURVE_STEPS: u64 = 3000;
/// Default learning-curve sizes, as shares of the training set.
pub const CURVE_SHARES: [f32; 5] = [0.1, 0.2, 0.4, 0.7, 1.0];
