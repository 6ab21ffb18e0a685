//! How the network is trained: loss, optimiser, learning rate, batch size, regularisation.

use serde::{Deserialize, Serialize};

use crate::problem::Problem;

/// The loss minimised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum LossKind {
    /// Mean squared error (any problem; on probabilities for classification).
    Mse,
    /// Binary cross-entropy (binary classification).
    BinaryCrossEntropy,
    /// Categorical cross-entropy (multi-class classification).
    CategoricalCrossEntropy,
    /// Huber loss with δ = 1 (regression).
    Huber,
}

impl LossKind {
    /// Every loss, in display order.
    pub const ALL: [LossKind; 4] = [
        LossKind::Mse,
        LossKind::BinaryCrossEntropy,
        LossKind::CategoricalCrossEntropy,
        LossKind::Huber,
    ];

    /// The name a learner reads.
    pub fn name(self) -> &'static str {
        match self {
            LossKind::Mse => "MSE",
            LossKind::BinaryCrossEntropy => "Binary cross-entropy",
            LossKind::CategoricalCrossEntropy => "Categorical cross-entropy",
            LossKind::Huber => "Huber",
        }
    }

    /// Whether this loss can train a network for `problem`.
    pub fn fits(self, problem: Problem) -> bool {
        matches!(
            (self, problem),
            (LossKind::Mse, _)
                | (LossKind::BinaryCrossEntropy, Problem::Binary)
                | (
                    LossKind::CategoricalCrossEntropy,
                    Problem::Multiclass { .. }
                )
                | (LossKind::Huber, Problem::Regression)
        )
    }

    /// The natural loss for `problem`.
    pub fn default_for(problem: Problem) -> Self {
        match problem {
            Problem::Binary => LossKind::BinaryCrossEntropy,
            Problem::Multiclass { .. } => LossKind::CategoricalCrossEntropy,
            Problem::Regression => LossKind::Mse,
        }
    }
}

crate::stable_keys!(LossKind {
    Mse => "mse",
    BinaryCrossEntropy => "bce",
    CategoricalCrossEntropy => "cce",
    Huber => "huber",
});

/// The optimiser.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum OptimizerKind {
    /// Plain stochastic gradient descent.
    Sgd,
    /// SGD with momentum 0.9.
    Momentum,
    /// Adam.
    Adam,
    /// Adam with decoupled weight decay.
    AdamW,
    /// RMSProp.
    RmsProp,
}

impl OptimizerKind {
    /// Every optimiser, in display order.
    pub const ALL: [OptimizerKind; 5] = [
        OptimizerKind::Sgd,
        OptimizerKind::Momentum,
        OptimizerKind::Adam,
        OptimizerKind::AdamW,
        OptimizerKind::RmsProp,
    ];

    /// The name a learner reads.
    pub fn name(self) -> &'static str {
        match self {
            OptimizerKind::Sgd => "SGD",
            OptimizerKind::Momentum => "SGD + momentum",
            OptimizerKind::Adam => "Adam",
            OptimizerKind::AdamW => "AdamW",
            OptimizerKind::RmsProp => "RMSProp",
        }
    }
}

crate::stable_keys!(OptimizerKind {
    Sgd => "sgd",
    Momentum => "momentum",
    Adam => "adam",
    AdamW => "adamw",
    RmsProp => "rmsprop",
});

/// Penalty on the weights added to the loss.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Regularization {
    /// No penalty.
    None,
    /// rate · Σ|w|
    L1,
    /// rate · Σw²
    L2,
}

impl Regularization {
    /// Every penalty, in display order.
    pub const ALL: [Regularization; 3] =
        [Regularization::None, Regularization::L1, Regularization::L2];

    /// The name a learner reads.
    pub fn name(self) -> &'static str {
        match self {
            Regularization::None => "None",
            Regularization::L1 => "L1",
            Regularization::L2 => "L2",
        }
    }
}

crate::stable_keys!(Regularization {
    None => "none",
    L1 => "l1",
    L2 => "l2",
});

/// Points per optimiser step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum BatchSize {
    /// The whole training set at once.
    Full,
    /// A fixed number of points (the last batch of an epoch may be smaller).
    Points(usize),
}

impl BatchSize {
    /// The number of points per step for a training set of `train_count` points.
    pub fn resolve(self, train_count: usize) -> usize {
        match self {
            BatchSize::Full => train_count,
            BatchSize::Points(n) => n.min(train_count),
        }
        .max(1)
    }
}

/// Everything about training that can change without rebuilding the network.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TrainingConfig {
    /// The loss.
    pub loss: LossKind,
    /// The optimiser.
    pub optimizer: OptimizerKind,
    /// Step size.
    pub learning_rate: f64,
    /// Points per step.
    pub batch_size: BatchSize,
    /// Weight penalty kind.
    pub regularization: Regularization,
    /// Weight penalty rate.
    pub regularization_rate: f64,
}

impl Default for TrainingConfig {
    /// TensorFlow Playground's defaults (with cross-entropy for the sigmoid head).
    fn default() -> Self {
        Self {
            loss: LossKind::BinaryCrossEntropy,
            optimizer: OptimizerKind::Sgd,
            learning_rate: 0.03,
            batch_size: BatchSize::Points(10),
            regularization: Regularization::None,
            regularization_rate: 0.0,
        }
    }
}
