//! What the recurrence lab's page asks for each frame and what it gets back: plain data,
//! small enough to cross a worker boundary every ~100 ms.

use serde::{Deserialize, Serialize};

use super::config::CellKind;

/// What one observation should hold. Each part costs device time, so a page asks only for
/// what it draws (metrics for the charts, gradients for the strip, a sequence for the
/// heat-maps).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecurrenceRequest {
    /// Losses and accuracies (the test set, and running averages over the training batches).
    pub metrics: bool,
    /// The vanishing-gradient strip of every network.
    pub gradients: bool,
    /// Trace this test sequence (hidden states, prediction, the LSTM's gates). An index past
    /// the test set traces the last test sequence.
    pub sequence: Option<u32>,
}

impl Default for RecurrenceRequest {
    fn default() -> Self {
        Self {
            metrics: true,
            gradients: true,
            sequence: Some(0),
        }
    }
}

/// One frame's view of the three networks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecurrenceObservation {
    /// Epochs completed.
    pub epoch: u64,
    /// Optimiser steps taken by this session.
    pub steps: u64,
    /// Time steps per sequence (`T`).
    pub length: u32,
    /// Hidden state size (`H`).
    pub hidden: u32,
    /// One entry per network, in [`CellKind::ALL`] order.
    pub models: Vec<ModelObservation>,
    /// The traced test sequence, if one was asked for.
    pub sequence: Option<TracedSequence>,
}

/// One network's part of an observation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelObservation {
    /// Which network.
    pub cell: CellKind,
    /// Number of trained parameters.
    pub params: u32,
    /// Losses and accuracies, if asked for.
    pub metrics: Option<ModelMetrics>,
    /// `T` numbers, time step 1 first: the norm of the loss's gradient with respect to each
    /// step's state (the hidden state; for the LSTM the hidden and cell states together),
    /// per sequence, averaged over a fixed probe batch of test sequences (empty if not asked
    /// for). Vanishing gradients fade towards step 1; the numbers span decades, so draw them
    /// on a log scale.
    pub gradient: Vec<f32>,
    /// The traced sequence through this network, if asked for.
    pub trace: Option<ModelTrace>,
}

/// Losses and accuracies of one network.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ModelMetrics {
    /// Loss on the training batches, averaged over the last ~20 steps (an exponential moving
    /// average; before the first step: on a fixed sample of the training set). Cross-entropy,
    /// or squared error for the adding problem.
    pub train_loss: f32,
    /// Mean loss on the test set.
    pub test_loss: f32,
    /// Share right on the training batches, averaged like the loss (adding problem: within
    /// the tolerance).
    pub train_accuracy: f32,
    /// Share right on the test set.
    pub test_accuracy: f32,
}

/// One sequence through one network.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelTrace {
    /// `T × H`, step-major: the hidden state after each step (heat-map rows).
    pub hidden: Vec<f32>,
    /// Class probabilities, or the predicted value.
    pub prediction: Vec<f32>,
    /// The LSTM's gates over time (absent for the other cells).
    pub gates: Option<LstmGates>,
}

/// The LSTM's gate activations over one sequence, each `T × H` step-major, in (0, 1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LstmGates {
    /// How much of the new candidate enters the cell.
    pub input: Vec<f32>,
    /// How much of the cell is kept.
    pub forget: Vec<f32>,
    /// How much of the cell is shown as the hidden state.
    pub output: Vec<f32>,
}

/// The traced test sequence itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TracedSequence {
    /// Its index in the test set.
    pub index: u32,
    /// Numbers per time step.
    pub width: u32,
    /// `T × width`, step-major (with the memory task's noise).
    pub inputs: Vec<f32>,
    /// The symbol at each step (memory and brackets; see [`super::data::Sequences::tokens`]).
    pub tokens: Vec<u32>,
    /// The class index, or the value to predict.
    pub target: f32,
    /// The sequence as text (symbols, brackets, or the two marked values).
    pub text: String,
}
