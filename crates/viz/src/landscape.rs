//! A loss-landscape slice as pixels: losses on a log scale, from a dark valley to bright
//! peaks (viridis' stops, readable by colour-blind viewers and in grey).

use crate::colour::Rgb;

/// The sequential scale, low loss first.
pub const LANDSCAPE_STOPS: [Rgb; 5] = [
    Rgb::from_hex(0x44_01_54),
    Rgb::from_hex(0x3b_52_8b),
    Rgb::from_hex(0x21_91_8c),
    Rgb::from_hex(0x5e_c9_62),
    Rgb::from_hex(0xfd_e7_25),
];
/// Cells not computed yet (or not finite).
pub const LANDSCAPE_PENDING: Rgb = Rgb::from_hex(0xee_ef_f1);
/// Smallest loss the log scale distinguishes.
const LANDSCAPE_FLOOR: f32 = 1e-6;

/// The colour at `t` in 0..=1 along [`LANDSCAPE_STOPS`] (clamped; NaN is the lowest).
pub fn landscape_colour(t: f32) -> Rgb {
    let t = if t.is_nan() { 0.0 } else { t.clamp(0.0, 1.0) };
    let span = (LANDSCAPE_STOPS.len() - 1) as f32;
    let at = t * span;
    let k = (at.floor() as usize).min(LANDSCAPE_STOPS.len() - 2);
    LANDSCAPE_STOPS[k].lerp(LANDSCAPE_STOPS[k + 1], at - k as f32)
}

/// Opaque RGBA pixels of `losses` (row-major, as computed), each placed between the smallest
/// and largest finite loss on a log scale; cells that are NaN show as pending.
pub fn landscape_rgba(losses: &[f32]) -> Vec<u8> {
    let log = |v: f32| v.max(LANDSCAPE_FLOOR).ln();
    let (lo, hi) = losses
        .iter()
        .filter(|v| v.is_finite())
        .fold((f32::INFINITY, f32::NEG_INFINITY), |(lo, hi), &v| {
            (lo.min(log(v)), hi.max(log(v)))
        });
    let span = hi - lo;
    let mut rgba = Vec::with_capacity(losses.len() * 4);
    for &v in losses {
        let Rgb([r, g, b]) = if v.is_finite() {
            landscape_colour(if span > 0.0 {
                (log(v) - lo) / span
            } else {
                0.0
            })
        } else {
            LANDSCAPE_PENDING
        };
        rgba.extend_from_slice(&[r, g, b, 255]);
    }
    rgba
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lowest_loss_is_darkest_and_the_highest_brightest() {
        let rgba = landscape_rgba(&[0.1, 10.0, f32::NAN, 1.0]);
        assert_eq!(rgba.len(), 16);
        assert_eq!(rgba[0..3], LANDSCAPE_STOPS[0].0);
        assert_eq!(rgba[4..7], LANDSCAPE_STOPS[4].0);
        assert_eq!(rgba[8..11], LANDSCAPE_PENDING.0);
        // 1.0 sits half-way between 0.1 and 10 on a log scale.
        assert_eq!(rgba[12..15], LANDSCAPE_STOPS[2].0);
        assert!(rgba.chunks(4).all(|p| p[3] == 255));
    }

    #[test]
    fn flat_and_empty_slices_still_draw() {
        assert_eq!(landscape_rgba(&[0.5, 0.5])[0..3], LANDSCAPE_STOPS[0].0);
        assert!(landscape_rgba(&[]).is_empty());
        assert_eq!(landscape_colour(f32::NAN), LANDSCAPE_STOPS[0]);
        assert_eq!(landscape_colour(2.0), LANDSCAPE_STOPS[4]);
    }
}
