//! What a session reports: metrics every frame and snapshots of every value worth drawing.

use serde::{Deserialize, Serialize};

use crate::model::LayerWeights;

/// Losses and accuracies over the whole train and test sets.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Metrics {
    /// Epochs completed when measured.
    pub epoch: u64,
    /// Mean data loss on the training points (without the weight penalty).
    pub train_loss: f32,
    /// Mean data loss on the test points.
    pub test_loss: f32,
    /// Share of training points classified right (classification only).
    pub train_accuracy: Option<f32>,
    /// Share of test points classified right (classification only).
    pub test_accuracy: Option<f32>,
}

impl Metrics {
    /// Whether training has blown up (NaN or infinite loss).
    pub fn diverged(&self) -> bool {
        !(self.train_loss.is_finite() && self.test_loss.is_finite())
    }
}

/// Every weight, and every neuron's output over an `n × n` grid of the input plane.
///
/// Grids are row-major with row 0 at the top of the plane (largest x2) and column 0 at the
/// left (smallest x1); see [`crate::grid`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    /// Epochs completed when taken.
    pub epoch: u64,
    /// Side of the grids.
    pub grid_size: usize,
    /// Weights and biases per layer, output layer last.
    pub layers: Vec<LayerWeights>,
    /// Per hidden layer, the neurons' outputs: `neurons × n²`, neuron-major.
    pub neuron_grids: Vec<Vec<f32>>,
    /// The network's prediction over the grid: `outputs × n²`, output-major (probability of
    /// class 1 for binary, class probabilities for multi-class, the value for regression).
    pub output_grid: Vec<f32>,
}

impl Snapshot {
    /// Hidden neurons whose output is the same over the whole grid (dead units), and all
    /// hidden neurons.
    pub fn dead_units(&self) -> (usize, usize) {
        let cells = self.grid_size * self.grid_size;
        let mut dead = 0;
        let mut all = 0;
        for layer in &self.neuron_grids {
            for grid in layer.chunks(cells.max(1)) {
                all += 1;
                let (lo, hi) = grid
                    .iter()
                    .fold((f32::INFINITY, f32::NEG_INFINITY), |(lo, hi), &v| {
                        (lo.min(v), hi.max(v))
                    });
                if hi - lo < 1e-6 {
                    dead += 1;
                }
            }
        }
        (dead, all)
    }

    /// Whether this snapshot continues the run that was at `epoch` with `layers`: the epoch did
    /// not go back (a reset, "restore best") and every layer kept its shape. Views that keep
    /// samples over a run start again when it does not.
    pub fn continues(&self, epoch: u64, layers: &[LayerWeights]) -> bool {
        epoch <= self.epoch
            && layers.len() == self.layers.len()
            && layers
                .iter()
                .zip(&self.layers)
                .all(|(a, b)| (a.inputs, a.outputs) == (b.inputs, b.outputs))
    }

    /// One hidden neuron's grid (`n²` values), if it exists.
    pub fn neuron_grid(&self, layer: usize, neuron: usize) -> Option<&[f32]> {
        let cells = self.grid_size * self.grid_size;
        self.neuron_grids
            .get(layer)?
            .get(neuron * cells..(neuron + 1) * cells)
    }
}

/// Metrics, and a snapshot when one was asked for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Observation {
    /// Always present.
    pub metrics: Metrics,
    /// Present when the request asked for a grid.
    pub snapshot: Option<Snapshot>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snapshot(epoch: u64, shapes: &[(usize, usize)]) -> Snapshot {
        Snapshot {
            epoch,
            grid_size: 1,
            layers: shapes
                .iter()
                .map(|&(inputs, outputs)| LayerWeights {
                    inputs,
                    outputs,
                    weights: vec![0.0; inputs * outputs],
                    biases: vec![0.0; outputs],
                })
                .collect(),
            neuron_grids: Vec::new(),
            output_grid: Vec::new(),
        }
    }

    #[test]
    fn a_run_continues_while_its_epoch_grows_and_its_shapes_stay() {
        let before = snapshot(10, &[(2, 4), (4, 1)]);
        assert!(snapshot(10, &[(2, 4), (4, 1)]).continues(before.epoch, &before.layers));
        assert!(snapshot(11, &[(2, 4), (4, 1)]).continues(before.epoch, &before.layers));
        assert!(!snapshot(3, &[(2, 4), (4, 1)]).continues(before.epoch, &before.layers));
        assert!(!snapshot(11, &[(2, 5), (5, 1)]).continues(before.epoch, &before.layers));
        assert!(!snapshot(11, &[(2, 4), (4, 2), (2, 1)]).continues(before.epoch, &before.layers));
    }
}
