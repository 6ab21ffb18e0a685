//! Losses on blocks of logits: the gradient that starts backpropagation, predictions, and
//! per-point loss values and hits for the metrics. The formulas are those of
//! [`crate::loss`] (burn), written out by hand.

use wide::f32x4;

use super::lanes::{Lanes, exp, sigmoid};
use crate::problem::Problem;
use crate::training::LossKind;

/// Huber's δ, as in [`crate::loss`].
const HUBER_DELTA: f32 = 1.0;

/// Turns `logits` (`outputs × lanes`) into predictions in place: probabilities for
/// classification (sigmoid or softmax), the value itself for regression.
pub fn predict(problem: Problem, logits: &mut [Lanes], lanes: usize) {
    match problem {
        Problem::Binary => logits.iter_mut().for_each(|z| *z = sigmoid(*z)),
        Problem::Multiclass { classes } => softmax(logits, classes, lanes),
        Problem::Regression => {}
    }
}

/// Softmax down each column of a `classes × lanes` block.
fn softmax(block: &mut [Lanes], classes: usize, lanes: usize) {
    for q in 0..lanes {
        let max = (0..classes).fold(f32x4::splat(f32::NEG_INFINITY), |m, k| {
            m.max(block[k * lanes + q])
        });
        let mut sum = f32x4::ZERO;
        for k in 0..classes {
            let e = exp(block[k * lanes + q] - max);
            block[k * lanes + q] = e;
            sum += e;
        }
        for k in 0..classes {
            block[k * lanes + q] /= sum;
        }
    }
}

/// dLoss/dlogits for a batch of `count` points, into `delta` (`outputs × lanes`; padding
/// lanes get 0). `logits` are consumed as scratch. The loss is a mean over the batch (and
/// over outputs for MSE and Huber), as in [`crate::loss::data_loss`].
pub fn gradient(
    kind: LossKind,
    problem: Problem,
    logits: &mut [Lanes],
    targets: &[Lanes],
    count: usize,
    lanes: usize,
    delta: &mut Vec<Lanes>,
) {
    let outputs = problem.outputs();
    delta.clear();
    delta.resize(outputs * lanes, f32x4::ZERO);
    let per_point = 1.0 / count as f32;
    let per_value = per_point / outputs as f32;
    match kind {
        LossKind::BinaryCrossEntropy => {
            for ((d, &z), &y) in delta.iter_mut().zip(logits.iter()).zip(targets) {
                *d = (sigmoid(z) - y) * per_point;
            }
        }
        LossKind::CategoricalCrossEntropy => {
            softmax(logits, outputs, lanes);
            for q in 0..lanes {
                let total = (0..outputs).fold(f32x4::ZERO, |s, k| s + targets[k * lanes + q]);
                for k in 0..outputs {
                    let i = k * lanes + q;
                    delta[i] = (logits[i] * total - targets[i]) * per_point;
                }
            }
        }
        LossKind::Huber => {
            let limit = f32x4::splat(HUBER_DELTA);
            for ((d, &z), &y) in delta.iter_mut().zip(logits.iter()).zip(targets) {
                *d = (z - y).fast_max(-limit).fast_min(limit) * per_value;
            }
        }
        LossKind::Mse => {
            predict(problem, logits, lanes);
            // dLoss/dprediction first, then through the prediction function.
            for ((d, &p), &y) in delta.iter_mut().zip(logits.iter()).zip(targets) {
                *d = (p - y) * (2.0 * per_value);
            }
            match problem {
                Problem::Binary => delta
                    .iter_mut()
                    .zip(logits.iter())
                    .for_each(|(d, &p)| *d *= p * (f32x4::ONE - p)),
                Problem::Multiclass { classes } => {
                    for q in 0..lanes {
                        let dot = (0..classes).fold(f32x4::ZERO, |s, k| {
                            s + delta[k * lanes + q] * logits[k * lanes + q]
                        });
                        for k in 0..classes {
                            let i = k * lanes + q;
                            delta[i] = logits[i] * (delta[i] - dot);
                        }
                    }
                }
                Problem::Regression => {}
            }
        }
    }
    clear_padding(delta, count, lanes);
}

/// Zeroes the lanes at or past `count` in every row, so padding adds nothing to gradients.
fn clear_padding(block: &mut [Lanes], count: usize, lanes: usize) {
    let full = count / 4;
    let partial = count % 4;
    for row in block.chunks_exact_mut(lanes) {
        if partial > 0 {
            let mut v = row[full].to_array();
            v[partial..].fill(0.0);
            row[full] = f32x4::from(v);
        }
        let first_empty = full + usize::from(partial > 0);
        row[first_empty.min(lanes)..].fill(f32x4::ZERO);
    }
}

/// Running sums of loss and hits over points, accumulated in f64.
#[derive(Debug, Default, Clone, Copy)]
pub struct Totals {
    /// Sum of per-point losses (already divided by outputs where the loss averages them).
    pub loss: f64,
    /// Points classified right.
    pub hits: f64,
    /// Points seen.
    pub points: usize,
}

impl Totals {
    /// Mean loss and accuracy.
    pub fn means(&self) -> (f32, f32) {
        let n = self.points.max(1) as f64;
        ((self.loss / n) as f32, (self.hits / n) as f32)
    }
}

/// Adds the losses and hits of the first `count` points of a block: `logits` and
/// `predictions` as `outputs × lanes` blocks, `targets` likewise.
pub fn accumulate(
    kind: LossKind,
    problem: Problem,
    blocks: (&[f32], &[f32], &[f32]),
    count: usize,
    lanes: usize,
    totals: &mut Totals,
) {
    let (logits, predictions, targets) = blocks;
    let outputs = problem.outputs();
    let row = lanes * 4;
    let at = |values: &[f32], k: usize, p: usize| values[k * row + p];
    for p in 0..count {
        let loss = match kind {
            LossKind::BinaryCrossEntropy => {
                let (z, y) = (at(logits, 0, p), at(targets, 0, p));
                f64::from(z.max(0.0) - z * y + (-z.abs()).exp().ln_1p())
            }
            LossKind::CategoricalCrossEntropy => {
                let max = (0..outputs).fold(f32::NEG_INFINITY, |m, k| m.max(at(logits, k, p)));
                let log_sum = (0..outputs)
                    .map(|k| (at(logits, k, p) - max).exp())
                    .sum::<f32>()
                    .ln();
                -(0..outputs)
                    .map(|k| f64::from(at(targets, k, p) * (at(logits, k, p) - max - log_sum)))
                    .sum::<f64>()
            }
            LossKind::Huber => {
                (0..outputs)
                    .map(|k| {
                        let e = (at(logits, k, p) - at(targets, k, p)).abs();
                        let quadratic = e.min(HUBER_DELTA);
                        f64::from(0.5 * quadratic * quadratic + (e - quadratic) * HUBER_DELTA)
                    })
                    .sum::<f64>()
                    / outputs as f64
            }
            LossKind::Mse => {
                (0..outputs)
                    .map(|k| f64::from((at(predictions, k, p) - at(targets, k, p)).powi(2)))
                    .sum::<f64>()
                    / outputs as f64
            }
        };
        totals.loss += loss;
        let hit = match problem {
            Problem::Multiclass { .. } => {
                argmax((0..outputs).map(|k| at(predictions, k, p)))
                    == argmax((0..outputs).map(|k| at(targets, k, p)))
            }
            Problem::Binary | Problem::Regression => {
                (at(predictions, 0, p) > 0.5) == (at(targets, 0, p) > 0.5)
            }
        };
        totals.hits += f64::from(u8::from(hit));
        totals.points += 1;
    }
}

/// Index of the first largest value.
fn argmax(values: impl Iterator<Item = f32>) -> usize {
    let mut best = (0, f32::NEG_INFINITY);
    for (i, v) in values.enumerate() {
        if v > best.1 {
            best = (i, v);
        }
    }
    best.0
}
