//! Labelled points on the plane and a data set of them: plain data shared by the generators,
//! the user's own points and every engine.

use serde::{Deserialize, Serialize};

use crate::problem::Problem;

/// One sample: a position on the plane and its label.
///
/// The label is 0 or 1 for binary sets, the class index for multi-class sets and a value in
/// `[-1, 1]` for regression sets.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Point {
    /// First input coordinate.
    pub x: f32,
    /// Second input coordinate.
    pub y: f32,
    /// Class or target value.
    pub label: f32,
}

/// Generated points, split into train and test.
#[derive(Debug, Clone, PartialEq)]
pub struct Dataset {
    /// Points the network learns from.
    pub train: Vec<Point>,
    /// Held-out points for the test loss.
    pub test: Vec<Point>,
    /// The problem the labels pose.
    pub problem: Problem,
}
