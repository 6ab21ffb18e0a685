//! The network a user designs: hidden layers, activations, dropout and weight init.

use serde::{Deserialize, Serialize};

/// Activation function of a layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Activation {
    /// max(0, x)
    Relu,
    /// max(0.01x, x)
    LeakyRelu,
    /// tanh x
    Tanh,
    /// 1 / (1 + e^-x)
    Sigmoid,
    /// Gaussian error linear unit.
    Gelu,
    /// x · sigmoid(x), also called Swish.
    Silu,
    /// x
    Linear,
}

impl Activation {
    /// Every activation, in display order.
    pub const ALL: [Activation; 7] = [
        Activation::Relu,
        Activation::LeakyRelu,
        Activation::Tanh,
        Activation::Sigmoid,
        Activation::Gelu,
        Activation::Silu,
        Activation::Linear,
    ];

    /// The name a learner reads.
    pub fn name(self) -> &'static str {
        match self {
            Activation::Relu => "ReLU",
            Activation::LeakyRelu => "Leaky ReLU",
            Activation::Tanh => "Tanh",
            Activation::Sigmoid => "Sigmoid",
            Activation::Gelu => "GELU",
            Activation::Silu => "SiLU (Swish)",
            Activation::Linear => "Linear",
        }
    }
}

crate::stable_keys!(Activation {
    Relu => "relu",
    LeakyRelu => "leaky",
    Tanh => "tanh",
    Sigmoid => "sigmoid",
    Gelu => "gelu",
    Silu => "silu",
    Linear => "linear",
});

/// Slope of leaky ReLU for negative inputs.
pub const LEAKY_RELU_SLOPE: f64 = 0.01;

/// How initial weights are drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Init {
    /// Glorot/Xavier uniform: suits tanh and sigmoid.
    Xavier,
    /// He/Kaiming uniform: suits ReLU-like activations.
    He,
    /// Tiny uniform weights (±0.01): shows how symmetry slows learning.
    NearZero,
}

impl Init {
    /// Every scheme, in display order.
    pub const ALL: [Init; 3] = [Init::Xavier, Init::He, Init::NearZero];

    /// The name a learner reads.
    pub fn name(self) -> &'static str {
        match self {
            Init::Xavier => "Xavier",
            Init::He => "He",
            Init::NearZero => "Near zero",
        }
    }

    /// Half-width of the uniform distribution for a layer of the given fan-in and fan-out.
    pub fn bound(self, fan_in: usize, fan_out: usize) -> f32 {
        match self {
            Init::Xavier => (6.0 / (fan_in + fan_out) as f32).sqrt(),
            Init::He => (6.0 / fan_in as f32).sqrt(),
            Init::NearZero => 0.01,
        }
    }
}

crate::stable_keys!(Init {
    Xavier => "xavier",
    He => "he",
    NearZero => "zero",
});

/// One hidden layer.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LayerSpec {
    /// Number of neurons.
    pub neurons: usize,
    /// Activation applied after the affine map.
    pub activation: Activation,
    /// Probability of dropping a neuron's output while training.
    pub dropout: f32,
}

impl LayerSpec {
    /// A layer without dropout.
    pub fn new(neurons: usize, activation: Activation) -> Self {
        Self {
            neurons,
            activation,
            dropout: 0.0,
        }
    }
}

/// The hidden layers and the init scheme; the output head follows from the problem.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NetworkSpec {
    /// Hidden layers, input side first.
    pub hidden: Vec<LayerSpec>,
    /// Weight initialisation.
    pub init: Init,
}

impl Default for NetworkSpec {
    /// TensorFlow Playground's default: 4 and 2 tanh neurons.
    fn default() -> Self {
        Self {
            hidden: vec![
                LayerSpec::new(4, Activation::Tanh),
                LayerSpec::new(2, Activation::Tanh),
            ],
            init: Init::Xavier,
        }
    }
}
