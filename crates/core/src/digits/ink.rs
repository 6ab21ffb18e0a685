//! A drawn digit turned into the data set's 8 × 8 input, the way the data set was made: NIST's
//! size normalisation (the ink's bounding box scaled, keeping its aspect ratio, to fill a
//! 32 × 32 box, centred), on/off pixels, then the on-pixels of each 4 × 4 block counted (0–16).

use super::limits::{BLOCK, INK_THRESHOLD, NORMALISED_SIDE, PIXELS, SIDE};

/// Sub-samples per side of each normalised pixel: a pixel is on when at least half of its
/// sub-samples land on ink, so thin strokes survive shrinking a large canvas.
const SUBSAMPLES: usize = 4;

/// The 8 × 8 input (row-major, values 0 to 16) of a square drawing: `ink` holds `side × side`
/// ink levels (0 to 1, row-major, top row first; missing values count as no ink). An empty
/// drawing gives all zeros.
pub fn digit_from_ink(ink: &[f32], side: usize) -> [f32; PIXELS] {
    let bitmap = normalised_bitmap(ink, side);
    let mut digit = [0.0; PIXELS];
    for (y, row) in bitmap.iter().enumerate() {
        for (x, &on) in row.iter().enumerate() {
            if on {
                digit[(y / BLOCK) * SIDE + x / BLOCK] += 1.0;
            }
        }
    }
    digit
}

/// The drawing's ink scaled into a centred 32 × 32 on/off bitmap.
fn normalised_bitmap(ink: &[f32], side: usize) -> [[bool; NORMALISED_SIDE]; NORMALISED_SIDE] {
    let mut bitmap = [[false; NORMALISED_SIDE]; NORMALISED_SIDE];
    let on = |x: usize, y: usize| ink.get(y * side + x).is_some_and(|&v| v >= INK_THRESHOLD);
    let Some((x0, y0, x1, y1)) = bounding_box(side, &on) else {
        return bitmap;
    };
    let (w, h) = ((x1 - x0 + 1) as f32, (y1 - y0 + 1) as f32);
    // Normalised pixels per drawn pixel; the longer side fills the box.
    let scale = NORMALISED_SIDE as f32 / w.max(h);
    let left = (NORMALISED_SIDE as f32 - w * scale) / 2.0;
    let top = (NORMALISED_SIDE as f32 - h * scale) / 2.0;
    // The drawn pixel under a point of the normalised box, if it is inside the bounding box.
    let source = |u: f32, offset: f32, start: usize, len: f32| {
        let s = (u - offset) / scale;
        (0.0..len).contains(&s).then(|| start + s as usize)
    };
    for (ty, row) in bitmap.iter_mut().enumerate() {
        for (tx, cell) in row.iter_mut().enumerate() {
            let mut hits = 0;
            for j in 0..SUBSAMPLES {
                let v = ty as f32 + (j as f32 + 0.5) / SUBSAMPLES as f32;
                let Some(sy) = source(v, top, y0, h) else {
                    continue;
                };
                for i in 0..SUBSAMPLES {
                    let u = tx as f32 + (i as f32 + 0.5) / SUBSAMPLES as f32;
                    if source(u, left, x0, w).is_some_and(|sx| on(sx, sy)) {
                        hits += 1;
                    }
                }
            }
            *cell = 2 * hits >= SUBSAMPLES * SUBSAMPLES;
        }
    }
    bitmap
}

/// `(left, top, right, bottom)` of the ink, inclusive, or `None` for an empty drawing.
fn bounding_box(
    side: usize,
    on: &impl Fn(usize, usize) -> bool,
) -> Option<(usize, usize, usize, usize)> {
    let mut bounds: Option<(usize, usize, usize, usize)> = None;
    for y in 0..side {
        for x in 0..side {
            if on(x, y) {
                bounds = Some(match bounds {
                    None => (x, y, x, y),
                    Some((l, t, r, b)) => (l.min(x), t.min(y), r.max(x), b.max(y)),
                });
            }
        }
    }
    bounds
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A `side × side` canvas with ink on the rectangle `[x0, x1) × [y0, y1)`.
    fn canvas(side: usize, x0: usize, x1: usize, y0: usize, y1: usize) -> Vec<f32> {
        let mut ink = vec![0.0; side * side];
        for y in y0..y1 {
            for x in x0..x1 {
                ink[y * side + x] = 1.0;
            }
        }
        ink
    }

    #[test]
    fn an_empty_drawing_is_all_zeros() {
        assert_eq!(digit_from_ink(&vec![0.0; 64 * 64], 64), [0.0; 64]);
        assert_eq!(digit_from_ink(&[], 0), [0.0; 64]);
        // Faint ink below the threshold, and NaN, are not ink.
        assert_eq!(digit_from_ink(&[0.3; 16], 4), [0.0; 64]);
        assert_eq!(digit_from_ink(&[f32::NAN; 16], 4), [0.0; 64]);
    }

    #[test]
    fn a_vertical_stroke_looks_like_a_one() {
        let digit = digit_from_ink(&canvas(64, 29, 35, 10, 50), 64);
        for row in digit.chunks(8) {
            let centre: f32 = row[3] + row[4];
            assert!(centre >= 8.0, "each row has ink in the middle: {row:?}");
            assert!(
                row[..3].iter().chain(&row[5..]).all(|&v| v == 0.0),
                "{row:?}"
            );
        }
        assert!(
            digit
                .iter()
                .all(|v| (0.0..=16.0).contains(v) && v.fract() == 0.0)
        );
    }

    #[test]
    fn position_and_size_do_not_matter_and_values_stay_in_range() {
        let small = digit_from_ink(&canvas(64, 2, 8, 3, 43), 64);
        let moved = digit_from_ink(&canvas(64, 50, 56, 20, 60), 64);
        let large = digit_from_ink(&canvas(256, 116, 140, 40, 200), 256);
        assert_eq!(small, moved);
        assert_eq!(small, large);
        let full = digit_from_ink(&canvas(50, 5, 45, 5, 45), 50);
        assert_eq!(full, [16.0; 64], "a filled square fills the box");
        let dot = digit_from_ink(&canvas(20, 7, 8, 7, 8), 20);
        assert!(dot.iter().all(|v| (0.0..=16.0).contains(v)));
    }
}
