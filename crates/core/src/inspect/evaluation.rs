//! The fused engine's forward and backward passes over weights given from outside: losses,
//! gradients and per-neuron outputs for a set of points, with the same code (so the same
//! numbers) as training and the page's grids.

use super::InspectError;
use crate::data::Point;
use crate::experiment::Experiment;
use crate::fused::lanes::{LANES, Lanes, lanes_for};
use crate::fused::loss::{Totals, accumulate, gradient, predict};
use crate::fused::network::{Network, Trace};
use crate::fused::{BLOCK_POINTS, gather};
use crate::model::{LayerWeights, misfit};
use crate::problem::Problem;
use crate::training::LossKind;

/// Points in the engine's block layout: inputs `features × lanes`, targets `outputs × lanes`.
pub(crate) struct Block {
    /// Points held (the rest of the last vector is zero padding).
    pub count: usize,
    /// Vectors per row.
    pub lanes: usize,
    /// Inputs.
    pub x: Vec<Lanes>,
    /// Targets.
    pub y: Vec<Lanes>,
}

impl Block {
    /// `points` (in order) as one block.
    pub fn new(experiment: &Experiment, points: &[Point]) -> Self {
        let (x, y) = experiment.matrices(points);
        Self::from_rows(experiment, &x, &y, 0, points.len())
    }

    fn from_rows(experiment: &Experiment, x: &[f32], y: &[f32], start: usize, len: usize) -> Self {
        let features = experiment.config().features.len();
        let outputs = experiment.problem().outputs();
        let lanes = lanes_for(len);
        let mut block = Self {
            count: len,
            lanes,
            x: Vec::new(),
            y: Vec::new(),
        };
        gather(&mut block.x, x, features, len, lanes, |i| start + i);
        gather(&mut block.y, y, outputs, len, lanes, |i| start + i);
        block
    }
}

/// A point set cut into cache-sized blocks, gathered once and evaluated many times.
pub(crate) struct Blocks {
    /// The blocks, in point order.
    pub blocks: Vec<Block>,
}

impl Blocks {
    /// `points` in blocks of the engine's evaluation size.
    pub fn new(experiment: &Experiment, points: &[Point]) -> Self {
        let (x, y) = experiment.matrices(points);
        let blocks = (0..points.len())
            .step_by(BLOCK_POINTS)
            .map(|start| {
                let len = BLOCK_POINTS.min(points.len() - start);
                Block::from_rows(experiment, &x, &y, start, len)
            })
            .collect();
        Self { blocks }
    }
}

/// A network with given weights and the buffers its passes reuse.
pub(crate) struct Evaluator {
    /// The weights, as the fused engine holds them (callers may move `params` in place).
    pub network: Network,
    problem: Problem,
    trace: Trace,
    predictions: Vec<Lanes>,
    delta: Vec<Lanes>,
    scratch: Vec<Lanes>,
}

impl Evaluator {
    /// `experiment`'s network holding `weights`, if they fit it.
    pub fn new(experiment: &Experiment, weights: &[LayerWeights]) -> Result<Self, InspectError> {
        if let Some(reason) = misfit(experiment, weights) {
            return Err(InspectError::Weights(reason));
        }
        Ok(Self {
            network: Network::new(experiment, weights),
            problem: experiment.problem(),
            trace: Trace::default(),
            predictions: Vec::new(),
            delta: Vec::new(),
            scratch: Vec::new(),
        })
    }

    /// The forward pass over `block` (without dropout); the trace holds every layer's values.
    pub fn forward(&mut self, block: &Block) -> &Trace {
        self.trace.fit(&self.network, block.lanes);
        self.network.forward(&block.x, &mut self.trace, None);
        &self.trace
    }

    /// The predictions (probabilities, or the value) of the last forward pass.
    pub fn predictions(&mut self) -> &[Lanes] {
        self.predictions.clear();
        self.predictions.extend_from_slice(self.trace.logits());
        predict(self.problem, &mut self.predictions, self.trace.lanes);
        &self.predictions
    }

    /// Mean data loss and accuracy over `blocks`, summed as the engine's metrics sum them.
    pub fn loss(&mut self, loss: LossKind, blocks: &Blocks) -> (f32, f32) {
        let mut totals = Totals::default();
        for block in &blocks.blocks {
            self.forward(block);
            self.predictions();
            accumulate(
                loss,
                self.problem,
                (
                    scalars(self.trace.logits()),
                    scalars(&self.predictions),
                    scalars(&block.y),
                ),
                block.count,
                block.lanes,
                &mut totals,
            );
        }
        totals.means()
    }

    /// dLoss/dparameter of the mean data loss over `block` (no dropout, no penalty), in the
    /// layout of the network's parameter vector: the computation of a training step.
    pub fn gradient(&mut self, loss: LossKind, block: &Block, grads: &mut Vec<f32>) {
        self.forward(block);
        let lanes = block.lanes;
        let logits = self
            .trace
            .pre
            .last_mut()
            .map_or(&mut [][..], Vec::as_mut_slice);
        gradient(
            loss,
            self.problem,
            logits,
            &block.y,
            block.count,
            lanes,
            &mut self.delta,
        );
        grads.clear();
        grads.resize(self.network.params.len(), 0.0);
        self.network.backward(
            &block.x,
            &self.trace,
            None,
            &mut self.delta,
            &mut self.scratch,
            grads,
        );
    }
}

/// A block's values as plain numbers (row `r`, point `p` at `r * lanes * LANES + p`).
pub(crate) fn scalars(block: &[Lanes]) -> &[f32] {
    wide::bytemuck::cast_slice(block)
}

/// Value `p` of row `row` in a block with `lanes` vectors per row.
pub(crate) fn lane_value(block: &[Lanes], lanes: usize, row: usize, p: usize) -> f32 {
    scalars(block)[row * lanes * LANES + p]
}

/// Flat parameters (the engine's layout: per layer, weights then biases) as per-layer weights
/// shaped like `like`.
pub(crate) fn unflatten(flat: &[f32], like: &[LayerWeights]) -> Vec<LayerWeights> {
    let mut offset = 0;
    like.iter()
        .map(|l| {
            let w = l.inputs * l.outputs;
            let layer = LayerWeights {
                inputs: l.inputs,
                outputs: l.outputs,
                weights: flat[offset..offset + w].to_vec(),
                biases: flat[offset + w..offset + w + l.outputs].to_vec(),
            };
            offset += w + l.outputs;
            layer
        })
        .collect()
}

/// Per-layer weights as one flat vector in the engine's layout.
pub(crate) fn flatten(layers: &[LayerWeights]) -> Vec<f32> {
    layers
        .iter()
        .flat_map(|l| l.weights.iter().chain(&l.biases).copied())
        .collect()
}
