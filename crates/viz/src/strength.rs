//! Shades for a row of positive magnitudes (e.g. the gradient reaching each time step), each row
//! on its own log scale: the row's largest value is full strength and a value `decades` powers of
//! ten smaller is none. Scaling per row keeps a fade visible whatever the row's overall size, so a
//! trained network with a tiny loss still shows how far back its gradient reaches.

/// How many powers of ten below its peak a row's shade reaches zero: a thousandth of the
/// peak is white, so a gradient that keeps a few percent still shows a visible fade.
pub const STRENGTH_DECADES: f32 = 3.0;

/// Each value's shade in `0.0..=1.0` relative to the row's largest finite positive value.
/// Zero, negative and non-finite values shade 0; a row with no positive value is all 0.
#[must_use]
pub fn relative_strengths(row: &[f32], decades: f32) -> Vec<f32> {
    let peak = row
        .iter()
        .copied()
        .filter(|v| *v > 0.0 && v.is_finite())
        .fold(0.0_f32, f32::max);
    if peak <= 0.0 {
        return vec![0.0; row.len()];
    }
    let top = peak.log10();
    let span = decades.max(1e-3);
    row.iter()
        .map(|&v| {
            if v > 0.0 && v.is_finite() {
                ((v.log10() - (top - span)) / span).clamp(0.0, 1.0)
            } else {
                0.0
            }
        })
        .collect()
}

/// The first value as a fraction of the last (how much of the gradient at the last step
/// survives back to the first), when both are finite and positive.
#[must_use]
pub fn first_to_last(row: &[f32]) -> Option<f32> {
    let (first, last) = (*row.first()?, *row.last()?);
    (first.is_finite() && last.is_finite() && first >= 0.0 && last > 0.0).then(|| first / last)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn peak_is_full_and_decades_below_is_none() {
        let s = relative_strengths(&[1e-9, 1e-6, 1e-3, 1.0], 6.0);
        assert_eq!(s[3], 1.0);
        assert!((s[2] - 0.5).abs() < 1e-6);
        assert_eq!(s[1], 0.0);
        assert_eq!(s[0], 0.0);
    }

    #[test]
    fn scale_follows_the_row_not_its_size() {
        let big = relative_strengths(&[10.0, 100.0], 6.0);
        let tiny = relative_strengths(&[1e-7, 1e-6], 6.0);
        for (a, b) in big.iter().zip(&tiny) {
            assert!((a - b).abs() < 1e-5, "{big:?} vs {tiny:?}");
        }
    }

    #[test]
    fn bad_values_shade_nothing() {
        assert_eq!(
            relative_strengths(&[0.0, -1.0, f32::NAN, f32::INFINITY], 6.0),
            vec![0.0; 4]
        );
        assert_eq!(relative_strengths(&[f32::NAN, 2.0], 6.0), vec![0.0, 1.0]);
        assert!(relative_strengths(&[], 6.0).is_empty());
    }

    #[test]
    fn first_to_last_ratio() {
        assert_eq!(first_to_last(&[1e-3, 0.5, 1.0]), Some(1e-3));
        assert_eq!(first_to_last(&[1.0, 0.0]), None);
        assert_eq!(first_to_last(&[]), None);
    }
}
