//! Which class the network picks for each point against its true class: a confusion matrix
//! and per-class accuracy, from the fused engine's forward pass (the same decision as the
//! accuracy in [`Metrics`](crate::Metrics): above one half for one output, else the largest).

use serde::{Deserialize, Serialize};

use super::InspectError;
use super::evaluation::{Blocks, Evaluator, lane_value};
use crate::data::Point;
use crate::experiment::Experiment;
use crate::model::LayerWeights;
use crate::problem::Problem;

/// Counts of (true class, picked class) pairs, `classes × classes`, row-major: row = true.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Confusion {
    /// Number of classes (rows and columns).
    pub classes: usize,
    /// `counts[truth * classes + picked]`.
    pub counts: Vec<u32>,
}

impl Confusion {
    /// Points of class `truth` the network put in class `picked` (0 outside the matrix).
    pub fn at(&self, truth: usize, picked: usize) -> u32 {
        if truth >= self.classes || picked >= self.classes {
            return 0;
        }
        self.counts
            .get(truth * self.classes + picked)
            .copied()
            .unwrap_or(0)
    }

    /// Points of class `truth`.
    pub fn row_total(&self, truth: usize) -> u32 {
        (0..self.classes).map(|picked| self.at(truth, picked)).sum()
    }

    /// Share of class `truth`'s points picked right; `None` when it has none.
    pub fn class_accuracy(&self, truth: usize) -> Option<f32> {
        let total = self.row_total(truth);
        (total > 0).then(|| self.at(truth, truth) as f32 / total as f32)
    }
}

/// The largest value's index (the first on ties).
fn argmax(values: impl Iterator<Item = f32>) -> usize {
    values
        .enumerate()
        .fold((0, f32::NEG_INFINITY), |best, (i, v)| {
            if v > best.1 { (i, v) } else { best }
        })
        .0
}

/// The confusion matrix of `points` under `weights`, without dropout; `None` for regression.
pub fn confusion(
    experiment: &Experiment,
    weights: &[LayerWeights],
    points: &[Point],
) -> Result<Option<Confusion>, InspectError> {
    let problem = experiment.problem();
    let classes = match problem {
        Problem::Binary => 2,
        Problem::Multiclass { classes } => classes,
        Problem::Regression => return Ok(None),
    };
    let outputs = problem.outputs();
    let mut evaluator = Evaluator::new(experiment, weights)?;
    let blocks = Blocks::new(experiment, points);
    let mut counts = vec![0; classes * classes];
    for block in &blocks.blocks {
        evaluator.forward(block);
        let predictions = evaluator.predictions();
        for p in 0..block.count {
            let pick = |values: &[crate::fused::lanes::Lanes]| match problem {
                Problem::Multiclass { .. } => {
                    argmax((0..outputs).map(|k| lane_value(values, block.lanes, k, p)))
                }
                _ => usize::from(lane_value(values, block.lanes, 0, p) > 0.5),
            };
            let (truth, picked) = (pick(&block.y), pick(predictions));
            if let Some(cell) = counts.get_mut(truth * classes + picked) {
                *cell += 1;
            }
        }
    }
    Ok(Some(Confusion { classes, counts }))
}
