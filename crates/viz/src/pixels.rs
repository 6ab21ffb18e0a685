//! What every heat-map writer shares: the pixel format, the colouring mode and the errors
//! (used by `heatmap.rs` and `colour_table.rs`).

use thiserror::Error;

use crate::colour::MAX_CLASSES;

/// Bytes per pixel in the output: R, G, B, A.
pub const BYTES_PER_PIXEL: usize = 4;

/// Why a grid could not be turned into an image.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum HeatmapError {
    /// The slice length does not match the grid size.
    #[error(
        "heat-map input has {got} values but {classes} class(es) of a {n}×{n} grid need {expected}"
    )]
    SizeMismatch {
        /// Grid side.
        n: usize,
        /// Number of class planes.
        classes: usize,
        /// Values needed (saturates on overflow).
        expected: usize,
        /// Values given.
        got: usize,
    },
    /// The multiclass heat-map got no classes or more than the palette holds.
    #[error("heat-map supports 1 to {MAX_CLASSES} classes, got {0}")]
    ClassCount(usize),
}

/// How values become colours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum HeatmapMode {
    /// Smooth: colour by value (or by confidence for classes).
    #[default]
    Continuous,
    /// Discretised: colour by sign (or by winning class at full strength).
    Discrete,
}
