//! Gradients from outside the training loop: one batch's gradient on every weight, and its
//! size per layer (how much signal reaches each layer: vanishing or exploding gradients).
//!
//! Computed on demand for given weights and points with the engine's own backward pass, so
//! the training loop stays as it is and every back end gets the same numbers.

use serde::{Deserialize, Serialize};

use super::InspectError;
use super::evaluation::{Block, Evaluator, unflatten};
use crate::data::Point;
use crate::experiment::Experiment;
use crate::fused::add_penalty;
use crate::fused::network::Network;
use crate::model::LayerWeights;
use crate::training::{Regularization, TrainingConfig};

/// Which function is differentiated (or evaluated).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Objective {
    /// The mean data loss over the points (what the loss chart shows).
    DataLoss,
    /// The data loss plus the weight penalty: what an optimiser step follows.
    WithPenalty,
}

impl Objective {
    /// Both objectives, in display order.
    pub const ALL: [Objective; 2] = [Objective::DataLoss, Objective::WithPenalty];

    /// The name a learner reads.
    pub fn name(self) -> &'static str {
        match self {
            Objective::DataLoss => "Data loss",
            Objective::WithPenalty => "Loss + penalty",
        }
    }
}

crate::stable_keys!(Objective {
    DataLoss => "data",
    WithPenalty => "penalty",
});

/// The gradient of `objective` over `points` (their mean loss) with respect to every weight
/// and bias, shaped like `weights`: `weights[i * outputs + j]` holds dL/dw for the link from
/// input `i` to neuron `j`, `biases[j]` dL/db. Without dropout. For the batch the next step
/// trains on, pass the training points at [`FusedSession::next_batch`](crate::FusedSession::next_batch),
/// in that order: with SGD and no dropout, the step then moves each weight by exactly
/// `-learning rate × gradient`.
pub fn batch_gradient(
    experiment: &Experiment,
    training: &TrainingConfig,
    weights: &[LayerWeights],
    points: &[Point],
    objective: Objective,
) -> Result<Vec<LayerWeights>, InspectError> {
    if points.is_empty() {
        return Err(InspectError::NoPoints);
    }
    let mut evaluator = Evaluator::new(experiment, weights)?;
    let block = Block::new(experiment, points);
    let mut grads = Vec::new();
    evaluator.gradient(training.loss, &block, &mut grads);
    if objective == Objective::WithPenalty {
        add_penalty(&evaluator.network, training, &mut grads);
    }
    Ok(unflatten(&grads, weights))
}

/// The size of one layer's gradient.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LayerNorms {
    /// L2 norm of the gradient on the layer's weights.
    pub weights: f32,
    /// L2 norm of the gradient on its biases.
    pub biases: f32,
    /// Root mean square over the layer's weights (comparable between layers of different
    /// sizes).
    pub weights_rms: f32,
}

/// Per layer (output last), the norms of a gradient shaped like the weights.
pub fn layer_norms(gradient: &[LayerWeights]) -> Vec<LayerNorms> {
    gradient
        .iter()
        .map(|l| {
            let weights = norm(&l.weights);
            LayerNorms {
                weights,
                biases: norm(&l.biases),
                weights_rms: weights / (l.weights.len().max(1) as f32).sqrt(),
            }
        })
        .collect()
}

/// Per layer (output last), the norms of the data loss's gradient over `points`: the
/// gradient flow. The whole training set makes a steady probe (a mini-batch adds its noise);
/// it costs one forward and backward pass over those points.
pub fn gradient_norms(
    experiment: &Experiment,
    training: &TrainingConfig,
    weights: &[LayerWeights],
    points: &[Point],
) -> Result<Vec<LayerNorms>, InspectError> {
    let gradient = batch_gradient(experiment, training, weights, points, Objective::DataLoss)?;
    Ok(layer_norms(&gradient))
}

/// The weight penalty of `training` on `network` (biases are not penalised), as
/// [`crate::loss::penalty`] defines it.
pub(crate) fn penalty(training: &TrainingConfig, network: &Network) -> f64 {
    let rate = training.regularization_rate;
    let values = network
        .layers
        .iter()
        .flat_map(|l| &network.params[l.weight_range()])
        .map(|&w| f64::from(w));
    match training.regularization {
        Regularization::None => 0.0,
        Regularization::L1 => rate * values.map(f64::abs).sum::<f64>(),
        Regularization::L2 => rate * values.map(|w| w * w).sum::<f64>(),
    }
}

fn norm(values: &[f32]) -> f32 {
    values
        .iter()
        .map(|&v| f64::from(v) * f64::from(v))
        .sum::<f64>()
        .sqrt() as f32
}
