//! Four-lane vectors and the transcendental functions the fused engine needs on them.
//!
//! `wide::f32x4` is SSE on x86 and `simd128` in WebAssembly (built with `+simd128`, see
//! `.cargo/config.toml`). The functions below clamp their input instead of special-casing
//! infinities, which keeps them branch-free; NaN still propagates through the arithmetic.

use wide::{f32x4, i32x4};

/// The vector type every buffer of the fused engine is made of.
pub type Lanes = f32x4;
/// Values per [`Lanes`].
pub const LANES: usize = 4;

const LOG2_E: f32 = std::f32::consts::LOG2_E;
// ln 2 split in two (Cody and Waite) so that `x - n ln 2` keeps f32 precision.
const LN2_HI: f32 = 0.693_359_4;
const LN2_LO: f32 = -2.121_944_4e-4;
/// e^x overflows f32 above this, and is below the smallest normal under its negative.
const EXP_LIMIT: f32 = 87.0;

/// Vectors needed for `len` values.
pub fn lanes_for(len: usize) -> usize {
    len.div_ceil(LANES)
}

/// e^x, accurate to about 2 ulp for |x| ≤ 87 (clamped outside).
#[inline(always)]
pub fn exp(x_in: Lanes) -> Lanes {
    let x = x_in
        .fast_max(f32x4::splat(-EXP_LIMIT))
        .fast_min(f32x4::splat(EXP_LIMIT));
    let n = (x * LOG2_E).round_ties_even();
    let r = n.mul_neg_add(f32x4::splat(LN2_HI), x);
    let r = n.mul_neg_add(f32x4::splat(LN2_LO), r);
    // Cephes' minimax polynomial for e^r - 1 - r on |r| ≤ ln2 / 2.
    let mut p = f32x4::splat(1.987_569_1e-4);
    p = p.mul_add(r, f32x4::splat(1.398_2e-3));
    p = p.mul_add(r, f32x4::splat(8.333_452e-3));
    p = p.mul_add(r, f32x4::splat(4.166_579_6e-2));
    p = p.mul_add(r, f32x4::splat(1.666_666_5e-1));
    p = p.mul_add(r, f32x4::splat(0.5));
    let e_r = p.mul_add(r * r, r) + 1.0;
    // 2^n: adding 2^23 + 127 leaves n + 127 in the low mantissa bits; shift them into the
    // exponent field.
    let biased: i32x4 = bytemuck_cast(n + f32x4::splat(8_388_608.0 + 127.0));
    let value = e_r * bytemuck_cast::<i32x4, f32x4>(biased << 23);
    // The clamp above turns NaN into a number; a diverged run must stay visibly NaN.
    x_in.is_nan().select(x_in, value)
}

/// tanh x, within 1e-7 of the true value.
#[inline(always)]
pub fn tanh(x: Lanes) -> Lanes {
    // tanh|x| = (1 - e^-2|x|) / (1 + e^-2|x|), then the sign of x.
    let e = exp(x.abs() * -2.0);
    let magnitude = (f32x4::ONE - e) / (f32x4::ONE + e);
    magnitude.flip_signs(x)
}

/// The logistic function 1 / (1 + e^-x).
#[inline(always)]
pub fn sigmoid(x: Lanes) -> Lanes {
    f32x4::ONE / (f32x4::ONE + exp(-x))
}

/// erf x, within 1e-6 (Abramowitz and Stegun 7.1.26: 1.5e-7, plus f32 rounding near 0).
#[inline(always)]
pub fn erf(x: Lanes) -> Lanes {
    let a = x.abs();
    let t = f32x4::ONE / a.mul_add(f32x4::splat(0.327_591_1), f32x4::ONE);
    let mut p = f32x4::splat(1.061_405_4);
    p = p.mul_add(t, f32x4::splat(-1.453_152_1));
    p = p.mul_add(t, f32x4::splat(1.421_413_7));
    p = p.mul_add(t, f32x4::splat(-0.284_496_72));
    p = p.mul_add(t, f32x4::splat(0.254_829_6));
    let magnitude = f32x4::ONE - p * t * exp(-(a * a));
    magnitude.flip_signs(x)
}

/// Reinterprets the bits of one vector type as another of the same size.
#[inline(always)]
fn bytemuck_cast<A: wide::bytemuck::Pod, B: wide::bytemuck::Pod>(a: A) -> B {
    wide::bytemuck::cast(a)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Largest absolute error of `f` against `reference` over `range`.
    fn max_error(
        f: fn(Lanes) -> Lanes,
        reference: fn(f64) -> f64,
        range: (f64, f64),
        relative: bool,
    ) -> f64 {
        let steps = 200_000;
        let mut worst = 0.0f64;
        for i in 0..steps {
            let x = range.0 + (range.1 - range.0) * i as f64 / steps as f64;
            let got = f64::from(f(f32x4::splat(x as f32)).to_array()[0]);
            let want = reference(f64::from(x as f32));
            let err = (got - want).abs() / if relative { want.abs().max(1e-30) } else { 1.0 };
            worst = worst.max(err);
        }
        worst
    }

    #[test]
    fn exp_is_accurate_to_a_few_ulp() {
        let err = max_error(exp, f64::exp, (-87.0, 87.0), true);
        assert!(err < 5e-7, "relative error {err}");
    }

    #[test]
    fn exp_clamps_instead_of_overflowing() {
        let v = exp(f32x4::from([1000.0, -1000.0, 0.0, 1.0])).to_array();
        assert!(v[0].is_finite() && v[0] > 1e37);
        assert!(v[1] >= 0.0 && v[1] < 1e-37);
        assert_eq!(v[2], 1.0);
        assert!((v[3] - std::f32::consts::E).abs() < 1e-6);
    }

    #[test]
    fn tanh_sigmoid_and_erf_match_the_reference() {
        assert!(max_error(tanh, f64::tanh, (-20.0, 20.0), false) < 2e-7);
        let logistic = |x: f64| 1.0 / (1.0 + (-x).exp());
        assert!(max_error(sigmoid, logistic, (-40.0, 40.0), false) < 2e-7);
        let err = max_error(erf, erf_reference, (-3.5, 3.5), false);
        assert!(err < 1e-6, "erf error {err}");
        // erfc(4) is 1.5e-8: beyond 4 the reference is ±1.
        assert!(max_error(erf, |_| 1.0, (4.0, 9.0), false) < 1e-6);
    }

    #[test]
    fn nan_propagates() {
        let v = tanh(f32x4::splat(f32::NAN)).to_array();
        assert!(v[0].is_nan());
    }

    /// erf by its Taylor series, 2/√π Σ (-1)^n x^(2n+1) / (n! (2n+1)), in f64: accurate to
    /// ~1e-11 for |x| ≤ 3.5 (cancellation grows beyond).
    fn erf_reference(x: f64) -> f64 {
        let mut sum = 0.0;
        let mut term = x;
        for n in 0..200 {
            let contribution = term / (2 * n + 1) as f64;
            sum += contribution;
            if contribution.abs() < 1e-17 {
                break;
            }
            term *= -x * x / (n + 1) as f64;
        }
        sum * 2.0 / std::f64::consts::PI.sqrt()
    }
}
