//! Losses on the network's logits, predictions for display, and weight penalties.

use burn::tensor::Tensor;
use burn::tensor::activation::{log_softmax, sigmoid, softmax};

use crate::model::Mlp;
use crate::problem::Problem;
use crate::training::{LossKind, Regularization};

/// Huber's δ: quadratic below, linear above.
const HUBER_DELTA: f32 = 1.0;

/// Mean loss of `logits` against `targets` (0/1 column, one-hot rows or regression values).
pub fn data_loss(
    kind: LossKind,
    problem: Problem,
    logits: Tensor<2>,
    targets: Tensor<2>,
) -> Tensor<1> {
    match kind {
        LossKind::BinaryCrossEntropy => {
            // Stable form of -[y log σ(z) + (1-y) log(1-σ(z))] = max(z,0) - zy + log(1+e^-|z|).
            let softplus_tail = logits.clone().abs().neg().exp().log1p();
            (logits.clone().clamp_min(0.0) - logits * targets + softplus_tail).mean()
        }
        LossKind::CategoricalCrossEntropy => {
            let log_p = log_softmax(logits, 1);
            (log_p * targets).sum_dim(1).neg().mean()
        }
        LossKind::Huber => {
            let error = (logits - targets).abs();
            let quadratic = error.clone().clamp_max(HUBER_DELTA);
            let linear = error - quadratic.clone();
            (quadratic.square() * 0.5 + linear * HUBER_DELTA).mean()
        }
        LossKind::Mse => (prediction(problem, logits) - targets).square().mean(),
    }
}

/// What the network predicts: probabilities for classification, the value for regression.
pub fn prediction(problem: Problem, logits: Tensor<2>) -> Tensor<2> {
    match problem {
        Problem::Binary => sigmoid(logits),
        Problem::Multiclass { .. } => softmax(logits, 1),
        Problem::Regression => logits,
    }
}

/// Share of correct predictions (classification only): `predictions` from [`prediction`].
pub fn accuracy(problem: Problem, predictions: Tensor<2>, targets: Tensor<2>) -> Tensor<1> {
    match problem {
        Problem::Multiclass { .. } => predictions
            .argmax(1)
            .equal(targets.argmax(1))
            .float()
            .mean(),
        Problem::Binary | Problem::Regression => predictions
            .greater_elem(0.5)
            .equal(targets.greater_elem(0.5))
            .float()
            .mean(),
    }
}

/// The weight penalty (biases are not penalised), or `None` when there is none.
pub fn penalty(model: &Mlp, kind: Regularization, rate: f64) -> Option<Tensor<1>> {
    if rate == 0.0 {
        return None;
    }
    let per_layer = model.layers().map(|layer| {
        let w = layer.weight();
        match kind {
            Regularization::L1 => w.abs().sum(),
            _ => w.square().sum(),
        }
    });
    match kind {
        Regularization::None => None,
        Regularization::L1 | Regularization::L2 => {
            per_layer.reduce(|a, b| a + b).map(|total| total * rate)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use burn::tensor::{Device, TensorData};

    fn column(values: &[f32]) -> Tensor<2> {
        Tensor::from_data(
            TensorData::new(values.to_vec(), [values.len(), 1]),
            &Device::flex(),
        )
    }

    fn scalar(t: Tensor<1>) -> f32 {
        t.into_data().try_into_vec::<f32>().unwrap()[0]
    }

    #[test]
    fn binary_cross_entropy_matches_the_formula_and_survives_large_logits() {
        let z = [0.0f32, 2.0, -3.0, 40.0];
        let y = [1.0f32, 0.0, 0.0, 1.0];
        let expected: f32 = z
            .iter()
            .zip(y)
            .map(|(&z, y)| {
                let p = 1.0 / (1.0 + (-z).exp());
                -(y * p.max(1e-30).ln() + (1.0 - y) * (1.0 - p).max(1e-30).ln())
            })
            .sum::<f32>()
            / 4.0;
        let got = scalar(data_loss(
            LossKind::BinaryCrossEntropy,
            Problem::Binary,
            column(&z),
            column(&y),
        ));
        assert!((got - expected).abs() < 1e-4, "{got} vs {expected}");
    }

    #[test]
    fn huber_is_quadratic_then_linear() {
        let got = scalar(data_loss(
            LossKind::Huber,
            Problem::Regression,
            column(&[0.5, 3.0]),
            column(&[0.0, 0.0]),
        ));
        assert!((got - (0.125 + 2.5) / 2.0).abs() < 1e-6, "{got}");
    }

    #[test]
    fn categorical_accuracy_uses_argmax() {
        let device = Device::flex();
        let p = Tensor::<2>::from_data(
            TensorData::new(vec![0.7f32, 0.2, 0.1, 0.1, 0.1, 0.8], [2, 3]),
            &device,
        );
        let y = Tensor::<2>::from_data(
            TensorData::new(vec![1.0f32, 0.0, 0.0, 0.0, 1.0, 0.0], [2, 3]),
            &device,
        );
        assert_eq!(
            scalar(accuracy(Problem::Multiclass { classes: 3 }, p, y)),
            0.5
        );
    }
}
