//! The burn module: a multi-layer perceptron built from a validated experiment.

use burn::module::{Module, Param};
use burn::nn::Linear;
use burn::tensor::activation::{gelu, leaky_relu, relu, sigmoid, silu, tanh};
use burn::tensor::{Device, Tensor, TensorData};
use serde::{Deserialize, Serialize};

use crate::experiment::Experiment;
use crate::network::{Activation, Init, LEAKY_RELU_SLOPE};
use crate::rng::Rng;

/// Weights and biases of one dense layer as plain numbers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LayerWeights {
    /// Fan-in.
    pub inputs: usize,
    /// Fan-out (neurons).
    pub outputs: usize,
    /// `inputs × outputs`, row-major: `weights[i * outputs + j]` links input `i` to neuron `j`.
    pub weights: Vec<f32>,
    /// One per neuron.
    pub biases: Vec<f32>,
}

impl LayerWeights {
    /// Seeded initial weights; biases start at zero.
    pub fn init(inputs: usize, outputs: usize, init: Init, rng: &mut Rng) -> Self {
        let bound = init.bound(inputs, outputs);
        Self {
            inputs,
            outputs,
            weights: (0..inputs * outputs)
                .map(|_| rng.uniform(-bound, bound))
                .collect(),
            biases: vec![0.0; outputs],
        }
    }
}

/// Seeded initial weights of `experiment`'s network, one entry per layer, output last: the
/// same numbers for every engine and device.
pub fn initial_weights(experiment: &Experiment) -> Vec<LayerWeights> {
    let config = experiment.config();
    let mut rng = Rng::new(config.seed ^ 0x005E_ED0F_1417);
    experiment
        .layer_widths()
        .windows(2)
        .map(|w| LayerWeights::init(w[0], w[1], config.network.init, &mut rng))
        .collect()
}

/// Why `weights` cannot be loaded into `experiment`'s network, if they cannot.
pub fn misfit(experiment: &Experiment, weights: &[LayerWeights]) -> Option<String> {
    let widths = experiment.layer_widths();
    if weights.len() + 1 != widths.len() {
        return Some(format!(
            "{} layers saved, the network has {}",
            weights.len(),
            widths.len() - 1
        ));
    }
    for (i, (w, pair)) in weights.iter().zip(widths.windows(2)).enumerate() {
        let fits = w.inputs == pair[0]
            && w.outputs == pair[1]
            && w.weights.len() == pair[0] * pair[1]
            && w.biases.len() == pair[1];
        if !fits {
            return Some(format!("layer {} should be {}×{}", i + 1, pair[0], pair[1]));
        }
        if w.weights.iter().chain(&w.biases).any(|v| !v.is_finite()) {
            return Some(format!("layer {} holds a non-finite number", i + 1));
        }
    }
    None
}

/// A dense layer with its activation and dropout probability.
///
/// Dropout masks come from the session's seeded generator (see [`Mlp::forward_train`]) rather
/// than the device's, so a seed reproduces a run on every back end and thread.
#[derive(Module, Debug)]
pub struct Dense {
    linear: Linear,
    #[module(skip)]
    activation: Activation,
    #[module(skip)]
    dropout: f32,
}

impl Dense {
    fn new(weights: &LayerWeights, activation: Activation, dropout: f32, device: &Device) -> Self {
        let w = Tensor::<2>::from_data(
            TensorData::new(weights.weights.clone(), [weights.inputs, weights.outputs]),
            device,
        );
        let b = Tensor::<1>::from_data(
            TensorData::new(weights.biases.clone(), [weights.outputs]),
            device,
        );
        Self {
            linear: Linear {
                weight: Param::from_tensor(w),
                bias: Some(Param::from_tensor(b)),
            },
            activation,
            dropout,
        }
    }

    fn forward(&self, x: Tensor<2>) -> Tensor<2> {
        activate(self.activation, self.linear.forward(x))
    }

    /// Dropout probability while training.
    pub fn dropout(&self) -> f32 {
        self.dropout
    }

    /// Number of neurons.
    pub fn neurons(&self) -> usize {
        self.linear.weight.val().dims()[1]
    }

    /// The layer's weight tensor `[inputs, outputs]`.
    pub fn weight(&self) -> Tensor<2> {
        self.linear.weight.val()
    }

    /// The layer's bias tensor `[outputs]`.
    pub fn bias(&self) -> Option<Tensor<1>> {
        self.linear.bias.as_ref().map(|b| b.val())
    }
}

/// Applies an activation function.
pub fn activate(activation: Activation, x: Tensor<2>) -> Tensor<2> {
    match activation {
        Activation::Relu => relu(x),
        Activation::LeakyRelu => leaky_relu(x, LEAKY_RELU_SLOPE),
        Activation::Tanh => tanh(x),
        Activation::Sigmoid => sigmoid(x),
        Activation::Gelu => gelu(x),
        Activation::Silu => silu(x),
        Activation::Linear => x,
    }
}

/// Hidden layers plus a linear output layer whose outputs are logits (or the regression value).
#[derive(Module, Debug)]
pub struct Mlp {
    hidden: Vec<Dense>,
    output: Dense,
}

impl Mlp {
    /// The network of `experiment` with seeded initial weights (the same on every device).
    pub fn new(experiment: &Experiment, device: &Device) -> Self {
        Self::from_weights(experiment, &initial_weights(experiment), device)
    }

    /// The network of `experiment` with the given weights: one entry per layer, output last
    /// (callers guarantee the count and shapes).
    pub(crate) fn from_weights(
        experiment: &Experiment,
        weights: &[LayerWeights],
        device: &Device,
    ) -> Self {
        let spec = &experiment.config().network.hidden;
        let hidden = spec
            .iter()
            .zip(weights)
            .map(|(layer, w)| Dense::new(w, layer.activation, layer.dropout, device))
            .collect();
        let last = &weights[weights.len() - 1];
        Self {
            hidden,
            output: Dense::new(last, Activation::Linear, 0.0, device),
        }
    }

    /// Logits `[batch, outputs]` for inputs `[batch, features]`.
    pub fn forward(&self, x: Tensor<2>) -> Tensor<2> {
        let x = self.hidden.iter().fold(x, |x, layer| layer.forward(x));
        self.output.forward(x)
    }

    /// Logits while training: each hidden layer's output is multiplied by its dropout mask
    /// (`masks[i]` is `[batch, neurons]` of 0 or 1/(1-p), or `None` for no dropout).
    pub fn forward_train(&self, x: Tensor<2>, masks: &[Option<Tensor<2>>]) -> Tensor<2> {
        let x = self
            .hidden
            .iter()
            .enumerate()
            .fold(x, |x, (i, layer)| match masks.get(i) {
                Some(Some(mask)) => layer.forward(x) * mask.clone(),
                _ => layer.forward(x),
            });
        self.output.forward(x)
    }

    /// Hidden layers, input side first.
    pub fn hidden(&self) -> &[Dense] {
        &self.hidden
    }

    /// Every hidden layer's output, then the logits: one forward pass, all intermediate values.
    pub fn forward_trace(&self, x: Tensor<2>) -> (Vec<Tensor<2>>, Tensor<2>) {
        let mut outputs = Vec::with_capacity(self.hidden.len());
        let mut x = x;
        for layer in &self.hidden {
            x = layer.forward(x);
            outputs.push(x.clone());
        }
        (outputs, self.output.forward(x))
    }

    /// Every dense layer, output last.
    pub fn layers(&self) -> impl Iterator<Item = &Dense> {
        self.hidden.iter().chain(std::iter::once(&self.output))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::experiment::ExperimentConfig;
    use crate::loss::data_loss;
    use crate::network::LayerSpec;
    use burn::optim::GradientsParams;

    /// Analytic gradients from burn's autodiff match central finite differences.
    #[test]
    fn gradients_match_finite_differences() {
        let mut config = ExperimentConfig::default();
        config.network.hidden = vec![
            LayerSpec::new(3, Activation::Tanh),
            LayerSpec::new(2, Activation::Sigmoid),
        ];
        let experiment = config.validate().unwrap();
        let mut rng = Rng::new(11);
        let widths = experiment.layer_widths();
        let weights: Vec<LayerWeights> = widths
            .windows(2)
            .map(|w| LayerWeights::init(w[0], w[1], Init::He, &mut rng))
            .collect();
        let xs: Vec<f32> = (0..8).map(|_| rng.uniform(-2.0, 2.0)).collect();
        let ys: Vec<f32> = (0..4).map(|i| (i % 2) as f32).collect();
        let loss_on = |weights: &[LayerWeights], device: &Device| {
            let model = Mlp::from_weights(&experiment, weights, device);
            let x = Tensor::<2>::from_data(TensorData::new(xs.clone(), [4, 2]), device);
            let y = Tensor::<2>::from_data(TensorData::new(ys.clone(), [4, 1]), device);
            let loss = data_loss(
                crate::training::LossKind::BinaryCrossEntropy,
                experiment.problem(),
                model.forward(x),
                y,
            );
            (model, loss)
        };
        let ad = Device::flex().autodiff();
        let (model, loss) = loss_on(&weights, &ad);
        let grads = GradientsParams::from_grads(loss.backward(), &model);
        let eps = 1e-2f32;
        for (l, layer) in model.layers().enumerate() {
            let analytic: Vec<f32> = grads
                .get::<2>(layer.linear.weight.id)
                .unwrap()
                .into_data()
                .try_into_vec()
                .unwrap();
            for (i, &analytic_i) in analytic.iter().enumerate() {
                let mut plus = weights.clone();
                plus[l].weights[i] += eps;
                let mut minus = weights.clone();
                minus[l].weights[i] -= eps;
                let value = |w: &[LayerWeights]| {
                    let (_, loss) = loss_on(w, &Device::flex());
                    f64::from(loss.into_data().try_into_vec::<f32>().unwrap()[0])
                };
                let numeric = (value(&plus) - value(&minus)) / (2.0 * f64::from(eps));
                let diff = (numeric - f64::from(analytic_i)).abs();
                assert!(
                    diff < 1e-3 + 1e-2 * numeric.abs(),
                    "layer {l} weight {i}: analytic {analytic_i} vs numeric {numeric}"
                );
            }
        }
    }
}
