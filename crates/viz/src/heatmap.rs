//! Grids of values or class probabilities to RGBA bytes for a canvas `ImageData`.
//!
//! Layout convention: a grid of side `n` is row-major, `values[row * n + col]`; row 0 is the
//! TOP of the image, i.e. the LARGEST y of the data domain, and column 0 is the smallest x.
//! [`crate::Domain::cell_centre`] gives the data point each cell should sample.

use crate::colour::{DivergingScale, MAX_CLASSES, Rgb, class_colour, confidence_colour};
use crate::colour_table::ColourTable;
pub use crate::pixels::{BYTES_PER_PIXEL, HeatmapError, HeatmapMode};

/// Alpha of every heat-map pixel: the background is opaque.
const OPAQUE: u8 = 255;

/// Checks `len == classes * n * n` and returns the pixel count `n * n`.
fn pixel_count(len: usize, classes: usize, n: usize) -> Result<usize, HeatmapError> {
    let pixels = n.checked_mul(n);
    let expected = pixels.and_then(|p| p.checked_mul(classes));
    match (pixels, expected) {
        (Some(p), Some(e)) if e == len => Ok(p),
        _ => Err(HeatmapError::SizeMismatch {
            n,
            classes,
            expected: expected.unwrap_or(usize::MAX),
            got: len,
        }),
    }
}

/// Replaces `out`'s contents with the pixels, keeping its allocation.
fn write_pixels(out: &mut Vec<u8>, pixels: impl Iterator<Item = Rgb>, count: usize) {
    out.clear();
    out.reserve(count * BYTES_PER_PIXEL);
    for c in pixels {
        out.extend_from_slice(&c.with_alpha(OPAQUE).0);
    }
}

/// Writes an `n`×`n` grid of values in [-1, 1] as RGBA into `out` (reusing its buffer).
///
/// This runs for every neuron every frame, so it looks colours up in a table and writes bytes
/// directly (measured: per-pixel interpolation and slice copies cost ~1 ms per 50×50 grid in a
/// size-optimised wasm build; the table costs a few µs).
pub fn heatmap_rgba_into(
    values: &[f32],
    n: usize,
    scale: &DivergingScale,
    mode: HeatmapMode,
    out: &mut Vec<u8>,
) -> Result<(), HeatmapError> {
    pixel_count(values.len(), 1, n)?;
    ColourTable::new(scale, mode).fill_rgba(values, n, out)
}

/// The direct (per-pixel interpolation) version the table must match.
#[cfg(test)]
fn heatmap_rgba_into_reference(
    values: &[f32],
    n: usize,
    scale: &DivergingScale,
    mode: HeatmapMode,
    out: &mut Vec<u8>,
) -> Result<(), HeatmapError> {
    let count = pixel_count(values.len(), 1, n)?;
    let colours = values.iter().map(|&v| match mode {
        HeatmapMode::Continuous => scale.colour(v),
        HeatmapMode::Discrete => scale.sign_colour(v),
    });
    write_pixels(out, colours, count);
    Ok(())
}

/// Allocating form of [`heatmap_rgba_into`].
pub fn heatmap_rgba(
    values: &[f32],
    n: usize,
    scale: &DivergingScale,
    mode: HeatmapMode,
) -> Result<Vec<u8>, HeatmapError> {
    let mut out = Vec::new();
    heatmap_rgba_into(values, n, scale, mode, &mut out)?;
    Ok(out)
}

/// Writes per-class probabilities (`classes` planes of `n`×`n`, class-major:
/// `probabilities[class * n * n + row * n + col]`) as RGBA: the argmax class colour,
/// faded toward neutral as confidence falls to chance. NaN probabilities never win.
pub fn class_heatmap_rgba_into(
    probabilities: &[f32],
    classes: usize,
    n: usize,
    mode: HeatmapMode,
    out: &mut Vec<u8>,
) -> Result<(), HeatmapError> {
    if classes == 0 || classes > MAX_CLASSES {
        return Err(HeatmapError::ClassCount(classes));
    }
    let count = pixel_count(probabilities.len(), classes, n)?;
    let colours = (0..count).map(|pixel| {
        let (best, p) = (0..classes)
            .map(|class| (class, probabilities[class * count + pixel]))
            .fold((0, f32::NAN), |(bc, bp), (c, p)| {
                if p > bp || bp.is_nan() {
                    (c, p)
                } else {
                    (bc, bp)
                }
            });
        match mode {
            HeatmapMode::Continuous => confidence_colour(best, p, classes),
            HeatmapMode::Discrete => class_colour(best),
        }
    });
    write_pixels(out, colours, count);
    Ok(())
}

/// Paints RGBA pixels with `alpha` over white, in place (a lighter surface under points).
pub fn over_white_rgba(rgba: &mut [u8], alpha: u8) {
    let a = u32::from(alpha);
    for pixel in rgba.chunks_exact_mut(BYTES_PER_PIXEL) {
        for channel in &mut pixel[..3] {
            *channel = (255 - ((255 - u32::from(*channel)) * a + 127) / 255) as u8;
        }
    }
}

/// Allocating form of [`class_heatmap_rgba_into`].
pub fn class_heatmap_rgba(
    probabilities: &[f32],
    classes: usize,
    n: usize,
    mode: HeatmapMode,
) -> Result<Vec<u8>, HeatmapError> {
    let mut out = Vec::new();
    class_heatmap_rgba_into(probabilities, classes, n, mode, &mut out)?;
    Ok(out)
}

#[cfg(test)]
mod tests {

    #[test]
    fn pixels_over_white_match_colours_over_white() {
        use crate::colour::{CLASS_COLOURS, SURFACE_ALPHA};
        let mut rgba: Vec<u8> = CLASS_COLOURS
            .iter()
            .flat_map(|c| c.with_alpha(255).0)
            .collect();
        over_white_rgba(&mut rgba, SURFACE_ALPHA);
        for (pixel, colour) in rgba.chunks_exact(4).zip(CLASS_COLOURS) {
            let want = colour.over_white(SURFACE_ALPHA).0;
            for (got, want) in pixel[..3].iter().zip(want) {
                assert!(got.abs_diff(want) <= 1, "{pixel:?} vs {want:?}");
            }
            assert_eq!(pixel[3], 255);
        }
    }

    #[test]
    fn lookup_table_matches_direct_interpolation() {
        let values: Vec<f32> = (0..400)
            .map(|i| i as f32 / 199.5 - 1.0)
            .chain([0.0, f32::NAN, 3.0, -7.0])
            .collect();
        let n = 1;
        for mode in [HeatmapMode::Continuous, HeatmapMode::Discrete] {
            for chunk in values.chunks(1) {
                let (mut fast, mut slow) = (Vec::new(), Vec::new());
                heatmap_rgba_into(chunk, n, &DivergingScale::PLAYGROUND, mode, &mut fast).unwrap();
                heatmap_rgba_into_reference(chunk, n, &DivergingScale::PLAYGROUND, mode, &mut slow)
                    .unwrap();
                for (a, b) in fast.iter().zip(&slow) {
                    assert!(
                        a.abs_diff(*b) <= 2,
                        "{chunk:?} {mode:?}: {fast:?} vs {slow:?}"
                    );
                }
            }
        }
    }

    use super::*;
    use crate::colour::{NEGATIVE_COLOUR, NEUTRAL_COLOUR, POSITIVE_COLOUR};

    fn pixel(bytes: &[u8], n: usize, row: usize, col: usize) -> [u8; 4] {
        let i = (row * n + col) * BYTES_PER_PIXEL;
        [bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3]]
    }

    #[test]
    fn first_pixel_is_top_left_of_row_zero_and_all_opaque() -> Result<(), HeatmapError> {
        // Row 0 (top, max y) is all positive; row 1 (bottom) negative then zero.
        let values = [1.0, 1.0, -1.0, 0.0];
        let bytes = heatmap_rgba(
            &values,
            2,
            &DivergingScale::PLAYGROUND,
            HeatmapMode::Continuous,
        )?;
        assert_eq!(bytes.len(), 2 * 2 * BYTES_PER_PIXEL);
        assert_eq!(pixel(&bytes, 2, 0, 0), POSITIVE_COLOUR.with_alpha(255).0);
        assert_eq!(pixel(&bytes, 2, 1, 0), NEGATIVE_COLOUR.with_alpha(255).0);
        assert_eq!(pixel(&bytes, 2, 1, 1), NEUTRAL_COLOUR.with_alpha(255).0);
        assert!(bytes.chunks_exact(4).all(|p| p[3] == 255));
        Ok(())
    }

    #[test]
    fn discrete_mode_uses_sign_and_buffer_is_reused() -> Result<(), HeatmapError> {
        let mut out = vec![9; 100];
        heatmap_rgba_into(
            &[0.1, -0.1, 0.2, 0.3],
            2,
            &DivergingScale::PLAYGROUND,
            HeatmapMode::Discrete,
            &mut out,
        )?;
        assert_eq!(out.len(), 16);
        assert!(out.capacity() >= 100);
        assert_eq!(pixel(&out, 2, 0, 0), POSITIVE_COLOUR.with_alpha(255).0);
        assert_eq!(pixel(&out, 2, 0, 1), NEGATIVE_COLOUR.with_alpha(255).0);
        Ok(())
    }

    #[test]
    fn wrong_sizes_are_errors() {
        let err = heatmap_rgba(
            &[0.0; 5],
            2,
            &DivergingScale::PLAYGROUND,
            HeatmapMode::Continuous,
        );
        assert_eq!(
            err,
            Err(HeatmapError::SizeMismatch {
                n: 2,
                classes: 1,
                expected: 4,
                got: 5
            })
        );
        assert_eq!(
            class_heatmap_rgba(&[], 0, 2, HeatmapMode::Continuous),
            Err(HeatmapError::ClassCount(0))
        );
        assert_eq!(
            class_heatmap_rgba(&[0.0; 7], 2, 2, HeatmapMode::Continuous),
            Err(HeatmapError::SizeMismatch {
                n: 2,
                classes: 2,
                expected: 8,
                got: 7
            })
        );
        assert!(
            heatmap_rgba(&[], 0, &DivergingScale::PLAYGROUND, HeatmapMode::Continuous)
                .is_ok_and(|b| b.is_empty())
        );
    }

    #[test]
    fn multiclass_picks_argmax_and_fades_by_confidence() -> Result<(), HeatmapError> {
        // 3 classes on a 2×2 grid: certain class 2; chance; NaN vs 0.4 tie (first wins); class 0.
        let third = 1.0 / 3.0;
        let probs = [
            0.0,
            third,
            f32::NAN,
            0.6, // class 0
            0.0,
            third,
            0.4,
            0.4, // class 1
            1.0,
            third,
            0.0,
            0.0, // class 2
        ];
        let bytes = class_heatmap_rgba(&probs, 3, 2, HeatmapMode::Continuous)?;
        assert_eq!(pixel(&bytes, 2, 0, 0), class_colour(2).with_alpha(255).0);
        assert_eq!(pixel(&bytes, 2, 0, 1), NEUTRAL_COLOUR.with_alpha(255).0);
        assert_eq!(
            pixel(&bytes, 2, 1, 0),
            confidence_colour(1, 0.4, 3).with_alpha(255).0
        );
        let discrete = class_heatmap_rgba(&probs, 3, 2, HeatmapMode::Discrete)?;
        assert_eq!(pixel(&discrete, 2, 1, 1), class_colour(0).with_alpha(255).0);
        Ok(())
    }
}
