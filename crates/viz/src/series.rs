//! Loss and accuracy histories, and their preparation for drawing (cleaning, decimation, ranges).

use std::ops::Range;

/// One chart point: (epoch, value).
pub type Point = (u32, f32);

/// Smallest loss shown on a log scale; smaller (and non-positive) losses are clamped to it.
pub const LOG_SCALE_FLOOR: f32 = 1e-6;

/// Loss (and optional accuracy) histories to chart. Empty series are simply not drawn.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LossSeries {
    /// Training loss per epoch.
    pub train: Vec<Point>,
    /// Test loss per epoch.
    pub test: Vec<Point>,
    /// Training accuracy in [0, 1]; empty to hide.
    pub train_accuracy: Vec<Point>,
    /// Test accuracy in [0, 1]; empty to hide.
    pub test_accuracy: Vec<Point>,
}

impl LossSeries {
    /// True when any accuracy series has points.
    pub fn has_accuracy(&self) -> bool {
        !self.train_accuracy.is_empty() || !self.test_accuracy.is_empty()
    }

    /// Drops every point after `epoch` (training went back to that epoch).
    pub fn truncate_after(&mut self, epoch: u32) {
        for series in [
            &mut self.train,
            &mut self.test,
            &mut self.train_accuracy,
            &mut self.test_accuracy,
        ] {
            series.retain(|p| p.0 <= epoch);
        }
    }
}

/// Drops non-finite values and keeps at most `max_points` points (at least 2), preserving
/// spikes: each bucket of consecutive points contributes its minimum and maximum, and the
/// newest point is always kept.
pub fn decimate(points: &[Point], max_points: usize) -> Vec<Point> {
    let finite: Vec<Point> = points.iter().copied().filter(|p| p.1.is_finite()).collect();
    let max_points = max_points.max(2);
    if finite.len() <= max_points {
        return finite;
    }
    // Two points per bucket, one slot reserved for the newest point.
    let buckets = ((max_points - 1) / 2).max(1);
    let bucket_len = finite.len().div_ceil(buckets);
    let mut out = Vec::with_capacity(max_points);
    for chunk in finite.chunks(bucket_len) {
        let by_value = |a: &(usize, &Point), b: &(usize, &Point)| a.1.1.total_cmp(&b.1.1);
        let (Some(lo), Some(hi)) = (
            chunk.iter().enumerate().min_by(by_value),
            chunk.iter().enumerate().max_by(by_value),
        ) else {
            continue;
        };
        let (first, second) = if lo.0 <= hi.0 { (lo, hi) } else { (hi, lo) };
        out.push(*first.1);
        if first.0 != second.0 {
            out.push(*second.1);
        }
    }
    if let Some(&last) = finite.last()
        && out.last() != Some(&last)
    {
        out.push(last);
    }
    out
}

/// Replaces values below [`LOG_SCALE_FLOOR`] with it, for a log axis.
pub fn clamp_for_log(points: &mut [Point]) {
    for p in points {
        p.1 = p.1.max(LOG_SCALE_FLOOR);
    }
}

/// Epoch axis covering every series; `0..1` when there are none, never empty.
pub fn epoch_range<'a>(series: impl IntoIterator<Item = &'a [Point]>) -> Range<u32> {
    let (lo, hi) = series
        .into_iter()
        .flatten()
        .fold((u32::MAX, 0), |(lo, hi), p| (lo.min(p.0), hi.max(p.0)));
    if lo > hi {
        0..1
    } else {
        lo..hi.max(lo.saturating_add(1))
    }
}

/// Loss axis for cleaned points: from 0 (or the minimum if negative) to 5% above the maximum;
/// on a log scale a decade-padded range above [`LOG_SCALE_FLOOR`]. Never empty.
pub fn loss_range<'a>(
    series: impl IntoIterator<Item = &'a [Point]>,
    log_scale: bool,
) -> Range<f32> {
    let (lo, hi) = series
        .into_iter()
        .flatten()
        .fold((f32::INFINITY, f32::NEG_INFINITY), |(lo, hi), p| {
            (lo.min(p.1), hi.max(p.1))
        });
    if log_scale {
        if lo > hi {
            return 1e-3..1.0;
        }
        let lo = lo.max(LOG_SCALE_FLOOR);
        let hi = hi.max(lo);
        (lo / 2.0)..(hi * 2.0)
    } else {
        if lo > hi {
            return 0.0..1.0;
        }
        let lo = lo.min(0.0);
        let hi = if hi > lo { hi * 1.05 } else { lo + 1.0 };
        lo..hi.max(lo + f32::EPSILON)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimate_drops_non_finite_and_keeps_short_series() {
        let pts = [(0, 1.0), (1, f32::NAN), (2, f32::INFINITY), (3, 0.5)];
        assert_eq!(decimate(&pts, 100), vec![(0, 1.0), (3, 0.5)]);
        assert!(decimate(&[], 10).is_empty());
    }

    #[test]
    fn decimate_bounds_length_keeps_spikes_and_the_newest_point() {
        let mut pts: Vec<Point> = (0..10_000).map(|e| (e, 1.0 / (1.0 + e as f32))).collect();
        pts[5_000].1 = 42.0;
        let out = decimate(&pts, 300);
        assert!(out.len() <= 300, "kept {}", out.len());
        assert!(out.contains(&(5_000, 42.0)));
        assert_eq!(out.last(), pts.last());
        assert_eq!(out.first(), pts.first());
        assert!(
            out.windows(2).all(|w| w[0].0 < w[1].0),
            "epochs must stay ordered"
        );
    }

    #[test]
    fn ranges_are_never_empty() {
        assert_eq!(epoch_range([&[][..]]), 0..1);
        assert_eq!(epoch_range([&[(7, 1.0)][..]]), 7..8);
        assert_eq!(epoch_range([&[(3, 1.0)][..], &[(9, 1.0)][..]]), 3..9);
        assert_eq!(loss_range([&[][..]], false), 0.0..1.0);
        assert_eq!(loss_range([&[(0, 0.0)][..]], false), 0.0..1.0);
        let r = loss_range([&[(0, 2.0)][..]], false);
        assert!(r.start == 0.0 && (r.end - 2.1).abs() < 1e-6);
        let log = loss_range([&[(0, 0.0), (1, 0.5)][..]], true);
        assert!(log.start > 0.0 && log.start < log.end && log.end >= 0.5);
    }

    #[test]
    fn log_clamp_makes_values_positive() {
        let mut pts = vec![(0, 0.0), (1, -3.0), (2, 0.2)];
        clamp_for_log(&mut pts);
        assert_eq!(
            pts,
            vec![(0, LOG_SCALE_FLOOR), (1, LOG_SCALE_FLOOR), (2, 0.2)]
        );
    }
}
