//! Weight histograms per layer on one shared, slowly changing axis.

use serde::{Deserialize, Serialize};

use crate::model::LayerWeights;

/// Counts of `values` in `bins` equal bins over `range` (low, high). Values outside the range
/// count in the first or last bin, so every finite value is counted; NaN is skipped. No bins,
/// or a range that is not increasing, gives all counts in no bin (an all-zero or empty list).
pub fn histogram(values: &[f32], bins: usize, range: (f32, f32)) -> Vec<u32> {
    let mut counts = vec![0u32; bins];
    let (low, high) = range;
    let width = high - low;
    // Also refuses NaN bounds: every comparison with NaN is false.
    if bins == 0 || !(width.is_finite() && width > 0.0) {
        return counts;
    }
    let scale = bins as f32 / width;
    for &v in values {
        if v.is_nan() {
            continue;
        }
        // `as usize` saturates: below the range lands in bin 0.
        let bin = (((v - low) * scale).floor().max(0.0) as usize).min(bins - 1);
        counts[bin] += 1;
    }
    counts
}

/// A symmetric range `(-m, m)` holding every weight and bias of `layers`, with `m` rounded up
/// to 1, 2 or 5 times a power of ten, so that the axis changes rarely while training (at
/// least ±0.01; non-finite values are ignored).
pub fn shared_range(layers: &[LayerWeights]) -> (f32, f32) {
    let largest = layers
        .iter()
        .flat_map(|l| l.weights.iter().chain(&l.biases))
        .filter(|v| v.is_finite())
        .fold(0.0f32, |m, v| m.max(v.abs()));
    let m = nice_ceiling(largest.max(0.01));
    (-m, m)
}

/// The smallest of 1, 2, 5 × 10^k at or above `x` (`x` > 0).
fn nice_ceiling(x: f32) -> f32 {
    // In f64 with an integer power, so that e.g. 0.05 comes out as the f32 nearest 0.05.
    let x = f64::from(x);
    let power = 10f64.powi(x.log10().floor() as i32);
    let nice = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * power)
        .find(|&v| v >= x * (1.0 - 1e-6))
        .unwrap_or(10.0 * power);
    nice as f32
}

/// Histograms of every layer's weights and biases on one shared range.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WeightHistograms {
    /// The shared range (low, high), from [`shared_range`].
    pub range: (f32, f32),
    /// Per layer (output last): counts of its weights.
    pub weights: Vec<Vec<u32>>,
    /// Per layer (output last): counts of its biases.
    pub biases: Vec<Vec<u32>>,
}

/// Every layer's weight and bias histogram with `bins` bins on [`shared_range`].
pub fn weight_histograms(layers: &[LayerWeights], bins: usize) -> WeightHistograms {
    let range = shared_range(layers);
    WeightHistograms {
        range,
        weights: layers
            .iter()
            .map(|l| histogram(&l.weights, bins, range))
            .collect(),
        biases: layers
            .iter()
            .map(|l| histogram(&l.biases, bins, range))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_fall_in_their_bins_and_outliers_at_the_edges() {
        let values = [
            -1.0,
            -0.99,
            -0.5,
            0.0,
            0.49,
            0.5,
            0.999,
            1.0,
            7.0,
            -7.0,
            f32::NAN,
        ];
        let counts = histogram(&values, 4, (-1.0, 1.0));
        // Bins [-1,-0.5) [-0.5,0) [0,0.5) [0.5,1]; 1.0, 7 in the last, -7 in the first.
        assert_eq!(counts, vec![3, 1, 2, 4]);
        assert_eq!(counts.iter().sum::<u32>(), 10, "NaN is skipped");
        assert!(histogram(&values, 0, (-1.0, 1.0)).is_empty());
        assert_eq!(histogram(&values, 3, (1.0, 1.0)), vec![0, 0, 0]);
    }

    #[test]
    fn the_shared_range_is_nice_and_covers_everything() {
        let layer = |w: Vec<f32>, b: Vec<f32>| LayerWeights {
            inputs: 1,
            outputs: w.len(),
            weights: w,
            biases: b,
        };
        let layers = [
            layer(vec![0.3, -1.3], vec![0.0, 0.1]),
            layer(vec![0.7], vec![-0.2]),
        ];
        assert_eq!(shared_range(&layers), (-2.0, 2.0));
        assert_eq!(
            shared_range(&[layer(vec![4.2], vec![f32::NAN])]),
            (-5.0, 5.0)
        );
        assert_eq!(shared_range(&[layer(vec![0.0], vec![0.0])]), (-0.01, 0.01));
        assert_eq!(shared_range(&[layer(vec![0.05], vec![0.0])]), (-0.05, 0.05));
        assert_eq!(shared_range(&[layer(vec![10.0], vec![0.0])]), (-10.0, 10.0));
        let h = weight_histograms(&layers, 4);
        assert_eq!(h.weights, vec![vec![1, 0, 1, 0], vec![0, 0, 1, 0]]);
        assert_eq!(h.biases, vec![vec![0, 0, 2, 0], vec![0, 1, 0, 0]]);
    }
}
