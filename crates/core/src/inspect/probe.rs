//! The forward pass at one input point, made visible: every input feature, every weighted
//! contribution, bias, sum and activation, and the prediction.

use serde::{Deserialize, Serialize};

use super::InspectError;
use super::evaluation::{Block, Evaluator, lane_value};
use crate::data::Point;
use crate::experiment::Experiment;
use crate::features::Feature;
use crate::model::LayerWeights;

/// One neuron's computation at the probed point.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NeuronTrace {
    /// Per input (feature or neuron of the layer before): input value × weight.
    pub contributions: Vec<f32>,
    /// The bias.
    pub bias: f32,
    /// The weighted sum: bias plus every contribution (the pre-activation).
    pub sum: f32,
    /// The activation of the sum (equal to the sum in the linear output layer).
    pub output: f32,
}

/// One layer's neurons at the probed point.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LayerTrace {
    /// The neurons, in order.
    pub neurons: Vec<NeuronTrace>,
}

/// The forward pass at one point of the input plane.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProbeTrace {
    /// The enabled features, in input order.
    pub features: Vec<Feature>,
    /// Their values at the point.
    pub inputs: Vec<f32>,
    /// Hidden layers, then the output layer (whose outputs are the logits, or the value).
    pub layers: Vec<LayerTrace>,
    /// The prediction: the probability of class 1 (binary), each class's probability
    /// (multi-class) or the value (regression).
    pub prediction: Vec<f32>,
}

/// Runs `weights` forward at `(x1, x2)` and records every step. The sums and outputs are the
/// fused engine's own (so they equal the page's grids at that point); contributions are
/// input × weight, whose total differs from `sum - bias` only by float rounding.
pub fn probe(
    experiment: &Experiment,
    weights: &[LayerWeights],
    x1: f32,
    x2: f32,
) -> Result<ProbeTrace, InspectError> {
    let mut evaluator = Evaluator::new(experiment, weights)?;
    let point = Point {
        x: x1,
        y: x2,
        label: 0.0,
    };
    let block = Block::new(experiment, &[point]);
    let features: Vec<Feature> = experiment.config().features.iter().collect();
    let inputs: Vec<f32> = features.iter().map(|f| f.value(x1, x2)).collect();
    let trace = evaluator.forward(&block);
    let lanes = block.lanes;
    let mut layers = Vec::with_capacity(weights.len());
    let mut layer_inputs = inputs.clone();
    for (l, w) in weights.iter().enumerate() {
        let neurons: Vec<NeuronTrace> = (0..w.outputs)
            .map(|j| NeuronTrace {
                contributions: layer_inputs
                    .iter()
                    .enumerate()
                    .map(|(i, &x)| x * w.weights[i * w.outputs + j])
                    .collect(),
                bias: w.biases[j],
                sum: lane_value(&trace.pre[l], lanes, j, 0),
                output: lane_value(&trace.outputs[l], lanes, j, 0),
            })
            .collect();
        layer_inputs = neurons.iter().map(|n| n.output).collect();
        layers.push(LayerTrace { neurons });
    }
    let outputs = experiment.problem().outputs();
    let predictions = evaluator.predictions();
    let prediction = (0..outputs)
        .map(|k| lane_value(predictions, lanes, k, 0))
        .collect();
    Ok(ProbeTrace {
        features,
        inputs,
        layers,
        prediction,
    })
}
