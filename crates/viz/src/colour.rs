//! Colours: the diverging value scale, the class palette and class-confidence blending.

use std::fmt;

/// An opaque sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Rgb(pub [u8; 3]);

/// An sRGB colour with straight (not premultiplied) alpha, the layout of canvas `ImageData`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Rgba(pub [u8; 4]);

/// Orange for negative values and class 0 (TensorFlow Playground's `#f59322`).
pub const NEGATIVE_COLOUR: Rgb = Rgb::from_hex(0xf5_93_22);
/// Near-white for zero and for "no confidence" (TensorFlow Playground's `#e8eaeb`).
pub const NEUTRAL_COLOUR: Rgb = Rgb::from_hex(0xe8_ea_eb);
/// Blue for positive values and class 1 (TensorFlow Playground's `#0877bd`).
pub const POSITIVE_COLOUR: Rgb = Rgb::from_hex(0x08_77_bd);

/// How strongly an output surface shows its colour over white: TensorFlow Playground paints
/// its heat-maps at alpha 160 of 255, so points in the full colour stand out on them.
pub const SURFACE_ALPHA: u8 = 160;

/// The most classes the palette (and the multiclass heat-map) distinguishes.
pub const MAX_CLASSES: usize = 5;

/// Class colours. Orange/blue stay apart under the common colour-vision deficiencies;
/// classes 2 to 4 are Okabe-Ito bluish green, reddish purple and black-grey.
pub const CLASS_COLOURS: [Rgb; MAX_CLASSES] = [
    NEGATIVE_COLOUR,
    POSITIVE_COLOUR,
    Rgb::from_hex(0x00_9e_73),
    Rgb::from_hex(0xcc_79_a7),
    Rgb::from_hex(0x3a_3a_3a),
];

impl Rgb {
    /// Builds a colour from `0xRRGGBB`.
    pub const fn from_hex(hex: u32) -> Self {
        Self([(hex >> 16) as u8, (hex >> 8) as u8, hex as u8])
    }

    /// Linear interpolation in sRGB (as d3/TensorFlow Playground do); `t` is clamped to [0, 1].
    pub fn lerp(self, other: Rgb, t: f32) -> Rgb {
        let t = if t.is_nan() { 0.0 } else { t.clamp(0.0, 1.0) };
        let mix = |a: u8, b: u8| (f32::from(a) + (f32::from(b) - f32::from(a)) * t).round() as u8;
        Rgb([
            mix(self.0[0], other.0[0]),
            mix(self.0[1], other.0[1]),
            mix(self.0[2], other.0[2]),
        ])
    }

    /// This colour painted with `alpha` over white.
    pub fn over_white(self, alpha: u8) -> Rgb {
        Rgb([255, 255, 255]).lerp(self, f32::from(alpha) / 255.0)
    }

    /// The same colour with the given alpha.
    pub const fn with_alpha(self, alpha: u8) -> Rgba {
        Rgba([self.0[0], self.0[1], self.0[2], alpha])
    }
}

/// Formats as CSS/SVG `#rrggbb`.
impl fmt::Display for Rgb {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [r, g, b] = self.0;
        write!(f, "#{r:02x}{g:02x}{b:02x}")
    }
}

impl From<Rgb> for plotters::style::RGBColor {
    fn from(c: Rgb) -> Self {
        plotters::style::RGBColor(c.0[0], c.0[1], c.0[2])
    }
}

/// A three-stop scale for values in [-1, 1]: `negative` at -1, `neutral` at 0, `positive` at 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DivergingScale {
    /// Colour at -1 and below.
    pub negative: Rgb,
    /// Colour at 0 (and for NaN).
    pub neutral: Rgb,
    /// Colour at 1 and above.
    pub positive: Rgb,
}

impl DivergingScale {
    /// TensorFlow Playground's orange → near-white → blue.
    pub const PLAYGROUND: Self = Self {
        negative: NEGATIVE_COLOUR,
        neutral: NEUTRAL_COLOUR,
        positive: POSITIVE_COLOUR,
    };

    /// The scale with every stop painted with `alpha` over white (sRGB interpolation is
    /// linear, so this is the whole scale painted so).
    pub fn over_white(&self, alpha: u8) -> Self {
        Self {
            negative: self.negative.over_white(alpha),
            neutral: self.neutral.over_white(alpha),
            positive: self.positive.over_white(alpha),
        }
    }

    /// Colour of `value`, clamped to [-1, 1]; NaN maps to neutral.
    pub fn colour(&self, value: f32) -> Rgb {
        if value.is_nan() {
            self.neutral
        } else if value < 0.0 {
            self.neutral.lerp(self.negative, -value)
        } else {
            self.neutral.lerp(self.positive, value)
        }
    }

    /// Discretised colour: the end matching the sign; zero and NaN map to neutral.
    pub fn sign_colour(&self, value: f32) -> Rgb {
        if value < 0.0 {
            self.negative
        } else if value > 0.0 {
            self.positive
        } else {
            self.neutral
        }
    }
}

impl Default for DivergingScale {
    fn default() -> Self {
        Self::PLAYGROUND
    }
}

/// Colour of class `class`; indices past [`MAX_CLASSES`] wrap around.
pub fn class_colour(class: usize) -> Rgb {
    CLASS_COLOURS[class % MAX_CLASSES]
}

/// Colour of a probability surface: neutral at chance (`1 / classes`), the full class colour at
/// certainty, linear in between. NaN confidence maps to neutral.
pub fn confidence_colour(class: usize, confidence: f32, classes: usize) -> Rgb {
    let chance = 1.0 / classes.max(1) as f32;
    let t = if classes <= 1 {
        1.0
    } else {
        (confidence - chance) / (1.0 - chance)
    };
    NEUTRAL_COLOUR.lerp(class_colour(class), t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_surface_is_lighter_than_the_points_on_it() {
        for class in 0..MAX_CLASSES {
            let point = class_colour(class);
            let surface = point.over_white(SURFACE_ALPHA);
            assert!(
                lightness(surface) > lightness(point) + 10.0,
                "class {class}: surface {surface} vs point {point}"
            );
        }
        assert_eq!(POSITIVE_COLOUR.over_white(255), POSITIVE_COLOUR);
        assert_eq!(POSITIVE_COLOUR.over_white(0), Rgb([255, 255, 255]));
        // Painting the scale's stops equals painting its colours, to the rounding (±1).
        let light = DivergingScale::PLAYGROUND.over_white(SURFACE_ALPHA);
        for v in [-1.0, -0.5, 0.0, 0.3, 1.0] {
            let (a, b) = (
                light.colour(v).0,
                DivergingScale::PLAYGROUND
                    .colour(v)
                    .over_white(SURFACE_ALPHA)
                    .0,
            );
            assert!(
                a.iter().zip(b).all(|(x, y)| x.abs_diff(y) <= 1),
                "{v}: {a:?} vs {b:?}"
            );
        }
    }

    /// CIE L* of an sRGB colour, to check perceived lightness.
    fn lightness(c: Rgb) -> f32 {
        let lin = |v: u8| {
            let s = f32::from(v) / 255.0;
            if s <= 0.04045 {
                s / 12.92
            } else {
                ((s + 0.055) / 1.055).powf(2.4)
            }
        };
        let y = 0.2126 * lin(c.0[0]) + 0.7152 * lin(c.0[1]) + 0.0722 * lin(c.0[2]);
        if y > 0.008_856 {
            116.0 * y.cbrt() - 16.0
        } else {
            903.3 * y
        }
    }

    #[test]
    fn scale_hits_its_stops_and_clamps() {
        let s = DivergingScale::PLAYGROUND;
        assert_eq!(s.colour(-1.0), NEGATIVE_COLOUR);
        assert_eq!(s.colour(0.0), NEUTRAL_COLOUR);
        assert_eq!(s.colour(1.0), POSITIVE_COLOUR);
        assert_eq!(s.colour(-7.0), NEGATIVE_COLOUR);
        assert_eq!(s.colour(f32::INFINITY), POSITIVE_COLOUR);
        assert_eq!(s.colour(f32::NAN), NEUTRAL_COLOUR);
        assert_eq!(s.colour(0.5), Rgb([120, 177, 212]));
    }

    #[test]
    fn lightness_rises_monotonically_toward_zero() {
        let s = DivergingScale::PLAYGROUND;
        for side in [-1.0_f32, 1.0] {
            let mut previous = lightness(s.colour(side));
            for step in (0..20).rev() {
                let l = lightness(s.colour(side * step as f32 / 20.0));
                assert!(
                    l >= previous,
                    "lightness fell to {l} from {previous} on side {side}"
                );
                previous = l;
            }
        }
    }

    #[test]
    fn sign_colour_is_discrete() {
        let s = DivergingScale::default();
        assert_eq!(s.sign_colour(-0.01), NEGATIVE_COLOUR);
        assert_eq!(s.sign_colour(0.01), POSITIVE_COLOUR);
        assert_eq!(s.sign_colour(0.0), NEUTRAL_COLOUR);
    }

    #[test]
    fn classes_zero_and_one_match_the_scale_ends_and_palette_is_distinct() {
        assert_eq!(class_colour(0), DivergingScale::PLAYGROUND.negative);
        assert_eq!(class_colour(1), DivergingScale::PLAYGROUND.positive);
        assert_eq!(class_colour(MAX_CLASSES + 2), class_colour(2));
        for (i, a) in CLASS_COLOURS.iter().enumerate() {
            for b in &CLASS_COLOURS[i + 1..] {
                assert_ne!(a, b);
            }
        }
    }

    #[test]
    fn confidence_blends_from_neutral_at_chance_to_class_colour() {
        assert_eq!(confidence_colour(2, 1.0 / 3.0, 3), NEUTRAL_COLOUR);
        assert_eq!(confidence_colour(2, 1.0, 3), class_colour(2));
        assert_eq!(confidence_colour(1, 0.1, 2), NEUTRAL_COLOUR);
        assert_eq!(confidence_colour(3, f32::NAN, 4), NEUTRAL_COLOUR);
        assert_eq!(confidence_colour(0, 0.2, 1), class_colour(0));
    }

    #[test]
    fn displays_as_css_hex() {
        assert_eq!(POSITIVE_COLOUR.to_string(), "#0877bd");
        assert_eq!(NEGATIVE_COLOUR.with_alpha(7), Rgba([0xf5, 0x93, 0x22, 7]));
    }
}
