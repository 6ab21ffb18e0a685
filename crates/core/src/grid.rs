//! The grid of input-plane points on which snapshots evaluate the network.

use crate::features::FeatureSet;
use crate::limits::DOMAIN;

/// The centre of cell `(row, col)` of an `n × n` grid over `[-DOMAIN, DOMAIN]²`.
/// Row 0 is the top (largest x2), column 0 the left (smallest x1).
pub fn cell_centre(row: usize, col: usize, n: usize) -> (f32, f32) {
    let step = 2.0 * DOMAIN / n as f32;
    (
        -DOMAIN + (col as f32 + 0.5) * step,
        DOMAIN - (row as f32 + 0.5) * step,
    )
}

/// Feature rows for every cell, row-major: an `n² × features` matrix.
pub fn grid_inputs(features: FeatureSet, n: usize) -> Vec<f32> {
    let mut out = Vec::with_capacity(n * n * features.len());
    for row in 0..n {
        for col in 0..n {
            let (x1, x2) = cell_centre(row, col, n);
            features.push_row(x1, x2, &mut out);
        }
    }
    out
}

/// One feature's values over the grid (for the features column's heat-maps).
pub fn feature_grid(feature: crate::features::Feature, n: usize) -> Vec<f32> {
    (0..n * n)
        .map(|i| {
            let (x1, x2) = cell_centre(i / n, i % n, n);
            feature.value(x1, x2)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn corners_follow_the_convention() {
        let (x, y) = cell_centre(0, 0, 4);
        assert!(x < 0.0 && y > 0.0, "top-left is (-, +)");
        let (x, y) = cell_centre(3, 3, 4);
        assert!(x > 0.0 && y < 0.0, "bottom-right is (+, -)");
        assert_eq!(cell_centre(0, 0, 4), (-4.5, 4.5));
    }

    #[test]
    fn inputs_have_one_row_per_cell() {
        assert_eq!(
            grid_inputs(FeatureSet::all(), 10).len(),
            100 * crate::Feature::ALL.len()
        );
    }
}
