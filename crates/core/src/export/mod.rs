//! Model out: the trained network as burn's own record (which imports back), a Rust program
//! that rebuilds it with burn, a safetensors file and a PyTorch script that rebuilds it there.
//!
//! The generated programs depend only on the network's shape (features, layers, activations,
//! head), never on its weights, which travel in the record or safetensors file beside them; so
//! their text is golden-tested. Each prints its predictions for [`PROBE_POINTS`]; the page
//! shows the core's own ([`predict`]) beside the download, to compare.

pub mod pytorch;
pub mod record;
pub mod rust_program;
pub mod safetensors;

use burn::tensor::activation::{sigmoid, softmax};
use burn::tensor::{Device, Tensor, TensorData};
use thiserror::Error;

use crate::experiment::Experiment;
use crate::features::Feature;
use crate::model::{LayerWeights, Mlp, misfit};
use crate::network::Activation;
use crate::problem::Problem;

/// Points every generated program predicts: the centre, one in each quadrant, one near an edge.
pub const PROBE_POINTS: [(f32, f32); 5] = [
    (0.0, 0.0),
    (1.5, -2.0),
    (-3.0, 4.0),
    (4.5, 4.5),
    (-5.0, -1.0),
];

/// Why a network could not be exported.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum ExportError {
    /// The weights belong to another network.
    #[error("the weights do not fit the network ({0}); export the network they were trained on")]
    Misfit(String),
    /// burn failed to write its record.
    #[error("burn could not write the record ({0})")]
    Record(String),
    /// burn failed to compute the predictions.
    #[error("the predictions could not be computed ({0})")]
    Predict(String),
}

/// The function applied to the output layer: what turns logits into predictions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Head {
    /// Binary classification: the probability of class 1.
    Sigmoid,
    /// Multi-class classification: one probability per class.
    Softmax,
    /// Regression: the value itself.
    Identity,
}

impl Head {
    /// The head of `problem`'s network.
    pub fn of(problem: Problem) -> Self {
        match problem {
            Problem::Binary => Head::Sigmoid,
            Problem::Multiclass { .. } => Head::Softmax,
            Problem::Regression => Head::Identity,
        }
    }

    /// A word for comments.
    fn name(self) -> &'static str {
        match self {
            Head::Sigmoid => "sigmoid",
            Head::Softmax => "softmax",
            Head::Identity => "no activation",
        }
    }
}

/// What the generated programs need to know about a network.
struct Blueprint {
    features: Vec<Feature>,
    /// Layer widths from input to output.
    widths: Vec<usize>,
    /// One per hidden layer.
    activations: Vec<Activation>,
    head: Head,
}

impl Blueprint {
    fn of(experiment: &Experiment) -> Self {
        let config = experiment.config();
        Self {
            features: config.features.iter().collect(),
            widths: experiment.layer_widths(),
            activations: config.network.hidden.iter().map(|l| l.activation).collect(),
            head: Head::of(experiment.problem()),
        }
    }

    /// `2 inputs (x1, x2) → 4 tanh → 2 tanh → 1 (sigmoid)`.
    fn summary(&self) -> String {
        let keys: Vec<&str> = self.features.iter().map(|f| f.key()).collect();
        let mut text = format!("{} inputs ({})", self.widths[0], keys.join(", "));
        for (width, activation) in self.widths[1..].iter().zip(&self.activations) {
            text.push_str(&format!(" -> {width} {}", activation.key()));
        }
        let outputs = self.widths.last().copied().unwrap_or_default();
        text.push_str(&format!(" -> {outputs} ({})", self.head.name()));
        text
    }
}

/// Checks that `layers` fit `experiment`'s network.
fn check_fit(experiment: &Experiment, layers: &[LayerWeights]) -> Result<(), ExportError> {
    match misfit(experiment, layers) {
        Some(reason) => Err(ExportError::Misfit(reason)),
        None => Ok(()),
    }
}

/// The network's predictions at `points` (probabilities for classification, the value for
/// regression), computed by the core with burn on the CPU: what the exported programs must
/// print.
pub fn predict(
    experiment: &Experiment,
    layers: &[LayerWeights],
    points: &[(f32, f32)],
) -> Result<Vec<Vec<f32>>, ExportError> {
    check_fit(experiment, layers)?;
    if points.is_empty() {
        return Ok(Vec::new());
    }
    let device = Device::flex();
    let features = experiment.config().features;
    let mut inputs = Vec::with_capacity(points.len() * features.len());
    for &(x1, x2) in points {
        features.push_row(x1, x2, &mut inputs);
    }
    let x = Tensor::<2>::from_data(
        TensorData::new(inputs, [points.len(), features.len()]),
        &device,
    );
    let logits = Mlp::from_weights(experiment, layers, &device).forward(x);
    let y = match Head::of(experiment.problem()) {
        Head::Sigmoid => sigmoid(logits),
        Head::Softmax => softmax(logits, 1),
        Head::Identity => logits,
    };
    // Flex computes on the CPU, so reading back synchronously is fine (also in the browser).
    let values: Vec<f32> = y
        .try_into_data()
        .map_err(|e| ExportError::Predict(format!("{e:?}")))?
        .try_into_vec()
        .map_err(|e| ExportError::Predict(e.to_string()))?;
    let outputs = experiment.problem().outputs();
    Ok(values.chunks(outputs).map(<[f32]>::to_vec).collect())
}

/// One printed prediction line, the same in every generated program and in the tests:
/// `x1 x2 -> y1 y2 …` with 3 and 7 decimals.
pub fn prediction_line(x1: f32, x2: f32, outputs: &[f32]) -> String {
    let values: Vec<String> = outputs.iter().map(|v| format!("{v:.7}")).collect();
    format!("{x1:.3} {x2:.3} -> {}", values.join(" "))
}
