//! Accuracy against sequence length: a short training of fresh networks per length, run in
//! small slices so a worker can interleave it with other work.

use burn::tensor::Device;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::config::{CellKind, RecurrenceConfigError, RecurrenceExperiment};
use super::limits::{MAX_SWEEP_LENGTHS, MAX_SWEEP_STEPS};
use super::observation::RecurrenceRequest;
use super::session::RecurrenceSession;
use crate::run::{SessionError, Steps};

/// Why a sweep cannot start.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum SweepError {
    /// No length to visit.
    #[error("the sweep has no sequence length; add at least one")]
    NoLengths,
    /// Too many lengths.
    #[error("the sweep has {count} sequence lengths; at most {MAX_SWEEP_LENGTHS} are allowed")]
    TooManyLengths {
        /// Lengths asked for.
        count: usize,
    },
    /// A length (or the base config) is invalid.
    #[error(transparent)]
    Config(#[from] RecurrenceConfigError),
    /// Steps per length out of range.
    #[error("{steps} training steps per length is out of range; use 1 to {MAX_SWEEP_STEPS}")]
    Steps {
        /// Steps asked for.
        steps: usize,
    },
}

/// The networks' final scores at one length.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SweepPoint {
    /// Time steps per sequence.
    pub length: u32,
    /// Test accuracy of each network, in [`CellKind::ALL`] order.
    pub test_accuracy: [f32; 3],
    /// Test loss of each network, in [`CellKind::ALL`] order.
    pub test_loss: [f32; 3],
}

impl SweepPoint {
    /// The test accuracy of `cell`.
    pub fn accuracy(&self, cell: CellKind) -> f32 {
        self.test_accuracy[cell.index()]
    }
}

/// How far a sweep has come.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SweepProgress {
    /// Lengths finished.
    pub lengths_done: usize,
    /// Lengths in the sweep.
    pub lengths: usize,
    /// Training steps taken so far, all lengths together.
    pub steps_done: u64,
    /// Training steps of the whole sweep.
    pub steps_total: u64,
}

impl SweepProgress {
    /// Share done, from 0 to 1.
    pub fn fraction(&self) -> f32 {
        if self.steps_total == 0 {
            1.0
        } else {
            self.steps_done as f32 / self.steps_total as f32
        }
    }
}

/// Trains fresh networks (same seed and settings) for `steps_per_length` steps at each
/// length, and records their test accuracy.
pub struct Sweep {
    experiments: Vec<RecurrenceExperiment>,
    steps_per_length: usize,
    device: Device,
    current: Option<RecurrenceSession>,
    results: Vec<SweepPoint>,
}

impl Sweep {
    /// A sweep of `base` over `lengths`, `steps_per_length` optimiser steps each.
    pub fn new(
        base: &RecurrenceExperiment,
        lengths: &[usize],
        steps_per_length: usize,
        device: Device,
    ) -> Result<Self, SweepError> {
        if lengths.is_empty() {
            return Err(SweepError::NoLengths);
        }
        if lengths.len() > MAX_SWEEP_LENGTHS {
            return Err(SweepError::TooManyLengths {
                count: lengths.len(),
            });
        }
        if !(1..=MAX_SWEEP_STEPS).contains(&steps_per_length) {
            return Err(SweepError::Steps {
                steps: steps_per_length,
            });
        }
        let experiments = lengths
            .iter()
            .map(|&length| base.with_length(length))
            .collect::<Result<_, _>>()?;
        Ok(Self {
            experiments,
            steps_per_length,
            device,
            current: None,
            results: Vec::new(),
        })
    }

    /// Trains up to `steps` steps of the current length; when the length's budget is spent,
    /// measures it (one transfer) and moves on. Returns whether the sweep is finished.
    pub async fn step(&mut self, steps: usize) -> Result<bool, SessionError> {
        let Some(experiment) = self.experiments.get(self.results.len()) else {
            return Ok(true);
        };
        let session = self
            .current
            .get_or_insert_with(|| RecurrenceSession::new(experiment.clone(), self.device.clone()));
        let left = self.steps_per_length as u64 - session.steps();
        session.train_steps((steps as u64).min(left) as usize);
        if session.steps() < self.steps_per_length as u64 {
            return Ok(false);
        }
        let request = RecurrenceRequest {
            metrics: true,
            gradients: false,
            sequence: None,
        };
        let observation = session.observe(&request).await?;
        let mut point = SweepPoint {
            length: observation.length,
            test_accuracy: [0.0; 3],
            test_loss: [0.0; 3],
        };
        for model in &observation.models {
            if let Some(m) = model.metrics {
                point.test_accuracy[model.cell.index()] = m.test_accuracy;
                point.test_loss[model.cell.index()] = m.test_loss;
            }
        }
        self.results.push(point);
        self.current = None;
        Ok(self.is_done())
    }

    /// Whether every length has been measured.
    pub fn is_done(&self) -> bool {
        self.results.len() == self.experiments.len()
    }

    /// How far the sweep has come.
    pub fn progress(&self) -> SweepProgress {
        let per = self.steps_per_length as u64;
        let done = self.results.len() as u64 * per + self.current.as_ref().map_or(0, |s| s.steps());
        SweepProgress {
            lengths_done: self.results.len(),
            lengths: self.experiments.len(),
            steps_done: done,
            steps_total: self.experiments.len() as u64 * per,
        }
    }

    /// The lengths measured so far, in the order given.
    pub fn results(&self) -> &[SweepPoint] {
        &self.results
    }
}
