//! Network weights to link strokes for the network diagram.

use crate::colour::{DivergingScale, NEUTRAL_COLOUR, Rgb};

/// Width of a zero (or NaN) weight's link: thin but still visible.
pub const MIN_LINK_WIDTH_PX: f32 = 0.5;
/// Width of the largest weight's link.
pub const MAX_LINK_WIDTH_PX: f32 = 8.0;
/// Opacity of a zero weight's link, so the topology stays readable.
pub const MIN_LINK_OPACITY: f32 = 0.25;

/// How to stroke one link.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LinkStyle {
    /// Stroke width in CSS pixels.
    pub width_px: f32,
    /// Stroke colour: the diverging scale's end for the weight's sign.
    pub colour: Rgb,
    /// Stroke opacity in [`MIN_LINK_OPACITY`], 1.
    pub opacity: f32,
}

/// Style of a link with `weight`, relative to the largest magnitude `max_abs` in the network.
///
/// Width grows with `sqrt(|w| / max_abs)`: weights span orders of magnitude, and a linear
/// mapping would leave all but the largest link at the minimum width.
pub fn link_style(weight: f32, max_abs: f32) -> LinkStyle {
    let strength = if weight.is_nan() || max_abs.is_nan() || max_abs <= 0.0 {
        0.0
    } else {
        (weight.abs() / max_abs).min(1.0)
    };
    let root = strength.sqrt();
    let scale = DivergingScale::PLAYGROUND;
    LinkStyle {
        width_px: MIN_LINK_WIDTH_PX + (MAX_LINK_WIDTH_PX - MIN_LINK_WIDTH_PX) * root,
        colour: if strength == 0.0 {
            NEUTRAL_COLOUR
        } else {
            scale.sign_colour(weight)
        },
        opacity: MIN_LINK_OPACITY + (1.0 - MIN_LINK_OPACITY) * root,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::colour::{NEGATIVE_COLOUR, POSITIVE_COLOUR};

    #[test]
    fn width_is_monotonic_in_magnitude_and_clamped() {
        let mut previous = 0.0;
        for i in 0..=40 {
            let w = i as f32 * 0.1;
            let s = link_style(-w, 2.0);
            assert!(s.width_px >= previous, "width fell at {w}");
            assert!((MIN_LINK_WIDTH_PX..=MAX_LINK_WIDTH_PX).contains(&s.width_px));
            previous = s.width_px;
        }
        assert_eq!(link_style(0.0, 2.0).width_px, MIN_LINK_WIDTH_PX);
        assert_eq!(link_style(2.0, 2.0).width_px, MAX_LINK_WIDTH_PX);
        assert_eq!(link_style(50.0, 2.0).width_px, MAX_LINK_WIDTH_PX);
        assert!((link_style(0.5, 2.0).width_px - 4.25).abs() < 1e-6);
    }

    #[test]
    fn colour_follows_sign_and_opacity_follows_strength() {
        assert_eq!(link_style(-0.3, 1.0).colour, NEGATIVE_COLOUR);
        assert_eq!(link_style(0.3, 1.0).colour, POSITIVE_COLOUR);
        assert!(link_style(0.9, 1.0).opacity > link_style(0.1, 1.0).opacity);
        assert_eq!(link_style(1.0, 1.0).opacity, 1.0);
    }

    #[test]
    fn degenerate_inputs_give_the_thinnest_neutral_link() {
        for (w, m) in [(f32::NAN, 1.0), (1.0, 0.0), (1.0, f32::NAN), (0.0, 0.0)] {
            let s = link_style(w, m);
            assert_eq!(s.width_px, MIN_LINK_WIDTH_PX);
            assert_eq!(s.colour, NEUTRAL_COLOUR);
            assert_eq!(s.opacity, MIN_LINK_OPACITY);
        }
        assert_eq!(link_style(f32::INFINITY, 1.0).width_px, MAX_LINK_WIDTH_PX);
    }
}
