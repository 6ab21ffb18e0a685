//! Activation functions and their derivatives over vectors of pre-activations.
//!
//! Derivatives follow burn's Flex back end (the reference the tests compare with): ReLU's
//! gradient is 0 where the output is 0, leaky ReLU's slope applies where the input is
//! negative, GELU uses the exact erf form.

use wide::f32x4;

use super::lanes::{Lanes, erf, exp, sigmoid, tanh};
use crate::network::{Activation, LEAKY_RELU_SLOPE};

const FRAC_1_SQRT_2: f32 = std::f32::consts::FRAC_1_SQRT_2;
/// 1 / √(2π), the standard normal density's factor.
const FRAC_1_SQRT_2PI: f32 = 0.398_942_3;

/// `out = f(z)` element by element.
pub fn activate(kind: Activation, z: &[Lanes], out: &mut [Lanes]) {
    let pairs = out.iter_mut().zip(z);
    match kind {
        Activation::Relu => {
            pairs.for_each(|(o, &z)| *o = z.simd_gt(f32x4::ZERO).select(z, f32x4::ZERO))
        }
        Activation::LeakyRelu => {
            let slope = LEAKY_RELU_SLOPE as f32;
            pairs.for_each(|(o, &z)| *o = z.simd_lt(f32x4::ZERO).select(z * slope, z))
        }
        Activation::Tanh => pairs.for_each(|(o, &z)| *o = tanh(z)),
        Activation::Sigmoid => pairs.for_each(|(o, &z)| *o = sigmoid(z)),
        Activation::Gelu => pairs.for_each(|(o, &z)| {
            *o = z * 0.5 * (f32x4::ONE + erf(z * FRAC_1_SQRT_2));
        }),
        Activation::Silu => pairs.for_each(|(o, &z)| *o = z * sigmoid(z)),
        Activation::Linear => out.copy_from_slice(z),
    }
}

/// `grad *= f'(z)`, given the pre-activations `z` and the activations `a = f(z)`.
pub fn backpropagate(kind: Activation, z: &[Lanes], a: &[Lanes], grad: &mut [Lanes]) {
    match kind {
        Activation::Relu => grad
            .iter_mut()
            .zip(a)
            .for_each(|(g, &a)| *g = a.simd_gt(f32x4::ZERO).select(*g, f32x4::ZERO)),
        Activation::LeakyRelu => {
            let slope = LEAKY_RELU_SLOPE as f32;
            grad.iter_mut()
                .zip(z)
                .for_each(|(g, &z)| *g = z.simd_lt(f32x4::ZERO).select(*g * slope, *g))
        }
        Activation::Tanh => grad
            .iter_mut()
            .zip(a)
            .for_each(|(g, &a)| *g *= a.mul_neg_add(a, f32x4::ONE)),
        Activation::Sigmoid => grad
            .iter_mut()
            .zip(a)
            .for_each(|(g, &a)| *g *= a * (f32x4::ONE - a)),
        Activation::Gelu => grad.iter_mut().zip(z).for_each(|(g, &z)| {
            let cdf = (f32x4::ONE + erf(z * FRAC_1_SQRT_2)) * 0.5;
            let pdf = exp(z * z * -0.5) * FRAC_1_SQRT_2PI;
            *g *= z.mul_add(pdf, cdf);
        }),
        Activation::Silu => grad.iter_mut().zip(z).for_each(|(g, &z)| {
            let s = sigmoid(z);
            *g *= s * (z * (f32x4::ONE - s) + 1.0);
        }),
        Activation::Linear => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every derivative matches a central difference of its activation.
    #[test]
    fn derivatives_match_finite_differences() {
        let xs = [-3.1f32, -0.7, -0.01, 0.02, 0.5, 1.3, 2.9, -1.9];
        let z = [
            f32x4::from([xs[0], xs[1], xs[2], xs[3]]),
            f32x4::from([xs[4], xs[5], xs[6], xs[7]]),
        ];
        for kind in Activation::ALL {
            let mut a = [f32x4::ZERO; 2];
            activate(kind, &z, &mut a);
            let mut grad = [f32x4::ONE; 2];
            backpropagate(kind, &z, &a, &mut grad);
            let eps = 1e-3f32;
            for (i, &x) in xs.iter().enumerate() {
                let f = |x: f32| {
                    let mut out = [f32x4::ZERO];
                    activate(kind, &[f32x4::splat(x)], &mut out);
                    f64::from(out[0].to_array()[0])
                };
                let numeric = (f(x + eps) - f(x - eps)) / (2.0 * f64::from(eps));
                let analytic = f64::from(grad[i / 4].to_array()[i % 4]);
                assert!(
                    (numeric - analytic).abs() < 2e-3,
                    "{kind:?} at {x}: analytic {analytic}, numeric {numeric}"
                );
            }
        }
    }

    #[test]
    fn values_match_the_definitions() {
        let z = [f32x4::from([-2.0, -0.5, 0.5, 2.0])];
        let mut a = [f32x4::ZERO];
        activate(Activation::Gelu, &z, &mut a);
        // GELU(2) = 2 Φ(2) = 1.95450.
        assert!((a[0].to_array()[3] - 1.954_5).abs() < 1e-4);
        activate(Activation::LeakyRelu, &z, &mut a);
        assert_eq!(a[0].to_array(), [-0.02, -0.005, 0.5, 2.0]);
        activate(Activation::Relu, &z, &mut a);
        assert_eq!(a[0].to_array(), [0.0, 0.0, 0.5, 2.0]);
    }
}
