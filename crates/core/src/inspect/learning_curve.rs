//! A learning curve over data size: the same network trained on growing subsets of the
//! training points, each for the same number of steps, with the losses on its own training
//! points and on the whole test set. Runs a little at a time so the page can spread it over
//! frames.
//!
//! The subsets are nested prefixes of the (already shuffled) training points and every run
//! starts from the experiment's seeded initial weights with its seeded batches, so the
//! curve shows the effect of data alone and is the same on every machine. Every run takes the
//! same number of optimiser steps (equal effort), not epochs: a run on 20 points would
//! otherwise take a twentieth of the steps of a run on 400.

use serde::{Deserialize, Serialize};

use super::InspectError;
use super::limits::{CURVE_SHARES, CURVE_STEPS};
use crate::data::Dataset;
use crate::experiment::Experiment;
use crate::fused::FusedSession;
use crate::run::Steps;

/// One finished run of a learning curve.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CurvePoint {
    /// Training points the run used.
    pub size: usize,
    /// Final mean loss on those training points.
    pub train_loss: f32,
    /// Final mean loss on the whole test set.
    pub test_loss: f32,
    /// Final training accuracy (classification only).
    pub train_accuracy: Option<f32>,
    /// Final test accuracy (classification only).
    pub test_accuracy: Option<f32>,
}

impl CurvePoint {
    /// Test loss minus training loss.
    pub fn gap(&self) -> f32 {
        self.test_loss - self.train_loss
    }
}

/// A learning curve being computed.
pub struct LearningCurveJob {
    experiment: Experiment,
    dataset: Dataset,
    sizes: Vec<usize>,
    steps_per_run: u64,
    /// The run in progress (for `sizes[results.len()]`).
    current: Option<FusedSession>,
    results: Vec<CurvePoint>,
}

impl LearningCurveJob {
    /// A curve over `sizes` training points (each 1 to the training-set size; sorted, repeats
    /// dropped), `steps_per_run` optimiser steps each, with `experiment`'s settings.
    pub fn new(
        experiment: Experiment,
        sizes: &[usize],
        steps_per_run: u64,
    ) -> Result<Self, InspectError> {
        let dataset = experiment.dataset();
        let available = dataset.train.len();
        if let Some(&size) = sizes.iter().find(|&&s| s == 0 || s > available) {
            return Err(InspectError::CurveSize { size, available });
        }
        let mut sizes = sizes.to_vec();
        sizes.sort_unstable();
        sizes.dedup();
        if sizes.is_empty() || steps_per_run == 0 {
            return Err(InspectError::EmptyCurve);
        }
        Ok(Self {
            experiment,
            dataset,
            sizes,
            steps_per_run,
            current: None,
            results: Vec::new(),
        })
    }

    /// The default curve of `experiment`: 10, 20, 40, 70 and 100 % of its training points,
    /// [`CURVE_STEPS`] steps each.
    pub fn with_defaults(experiment: Experiment) -> Result<Self, InspectError> {
        let sizes = Self::default_sizes(experiment.config().data.train_count());
        Self::new(experiment, &sizes, CURVE_STEPS)
    }

    /// The default sizes for a training set of `train_count` points.
    pub fn default_sizes(train_count: usize) -> Vec<usize> {
        let mut sizes: Vec<usize> = CURVE_SHARES
            .iter()
            .map(|share| ((train_count as f32 * share).round() as usize).clamp(1, train_count))
            .collect();
        sizes.dedup();
        sizes
    }

    /// Takes up to `budget_steps` optimiser steps (across runs); returns whether the curve is
    /// done.
    pub fn step(&mut self, budget_steps: u64) -> bool {
        let mut budget = budget_steps;
        while budget > 0 && !self.is_done() {
            let size = self.sizes[self.results.len()];
            let session = self.current.get_or_insert_with(|| {
                let subset = Dataset {
                    train: self.dataset.train[..size].to_vec(),
                    test: self.dataset.test.clone(),
                    problem: self.dataset.problem,
                };
                FusedSession::with_dataset(self.experiment.clone(), subset)
            });
            let left = self.steps_per_run - session.steps();
            let take = left.min(budget);
            session.train_steps(take as usize);
            budget -= take;
            if session.steps() >= self.steps_per_run {
                let metrics = session.metrics();
                self.results.push(CurvePoint {
                    size,
                    train_loss: metrics.train_loss,
                    test_loss: metrics.test_loss,
                    train_accuracy: metrics.train_accuracy,
                    test_accuracy: metrics.test_accuracy,
                });
                self.current = None;
            }
        }
        self.is_done()
    }

    /// Whether every run is finished.
    pub fn is_done(&self) -> bool {
        self.results.len() == self.sizes.len()
    }

    /// Share of all steps taken, 0 to 1.
    pub fn progress(&self) -> f32 {
        let total = self.sizes.len() as u64 * self.steps_per_run;
        let done = self.results.len() as u64 * self.steps_per_run
            + self.current.as_ref().map_or(0, FusedSession::steps);
        done as f32 / total as f32
    }

    /// The training-set sizes, smallest first.
    pub fn sizes(&self) -> &[usize] {
        &self.sizes
    }

    /// The finished runs, smallest first.
    pub fn results(&self) -> &[CurvePoint] {
        &self.results
    }
}
