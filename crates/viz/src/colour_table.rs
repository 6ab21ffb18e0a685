//! A colour lookup table over [-1, 1], built once and reused for every heat-map of a frame.

use crate::colour::DivergingScale;
use crate::pixels::{BYTES_PER_PIXEL, HeatmapError, HeatmapMode};

/// Steps of the table over [-1, 1]: finer than the eye can tell apart.
const STEPS: usize = 512;
/// Alpha of every pixel: heat-maps are opaque.
const OPAQUE: u8 = 255;

/// Precomputed colours of a diverging scale in one mode, as RGBA pixels packed in `u32`s (in
/// memory order R, G, B, A on little-endian machines, which WebAssembly is).
///
/// The playground colours ~50 grids per frame; building the table once instead of per grid
/// saves ~25 000 colour interpolations a frame, and whole-pixel writes keep the per-pixel
/// loop a load and a store.
#[derive(Debug, Clone, PartialEq)]
pub struct ColourTable {
    entries: Vec<u32>,
    neutral: u32,
    mode: HeatmapMode,
}

/// An opaque pixel as a `u32` whose bytes in memory are R, G, B, A.
fn pack(rgb: [u8; 3]) -> u32 {
    u32::from_le_bytes([rgb[0], rgb[1], rgb[2], OPAQUE])
}

impl ColourTable {
    /// The table of `scale` in `mode`.
    pub fn new(scale: &DivergingScale, mode: HeatmapMode) -> Self {
        let colour = |v: f32| match mode {
            HeatmapMode::Continuous => scale.colour(v),
            HeatmapMode::Discrete => scale.sign_colour(v),
        };
        Self {
            entries: (0..=STEPS)
                .map(|i| pack(colour(i as f32 / STEPS as f32 * 2.0 - 1.0).0))
                .collect(),
            neutral: pack(colour(f32::NAN).0),
            mode,
        }
    }

    /// The packed pixel of one value (NaN is neutral; so is exact zero in discrete mode).
    pub fn pixel(&self, v: f32) -> u32 {
        if v.is_nan() || (self.mode == HeatmapMode::Discrete && v == 0.0) {
            return self.neutral;
        }
        let t = ((v.clamp(-1.0, 1.0) + 1.0) * (0.5 * STEPS as f32) + 0.5) as usize;
        self.entries.get(t).copied().unwrap_or(self.neutral)
    }

    /// Writes an `n × n` grid of values in [-1, 1] as packed pixels into `out` (reusing its
    /// buffer); `bytemuck::cast_slice` turns them into RGBA bytes.
    pub fn fill_pixels(
        &self,
        values: &[f32],
        n: usize,
        out: &mut Vec<u32>,
    ) -> Result<(), HeatmapError> {
        let count = n.checked_mul(n).filter(|&c| c == values.len());
        if count.is_none() {
            return Err(HeatmapError::SizeMismatch {
                n,
                classes: 1,
                expected: n.saturating_mul(n),
                got: values.len(),
            });
        }
        out.clear();
        out.extend(values.iter().map(|&v| self.pixel(v)));
        Ok(())
    }

    /// Writes an `n × n` grid of values in [-1, 1] as RGBA bytes into `out`.
    pub fn fill_rgba(
        &self,
        values: &[f32],
        n: usize,
        out: &mut Vec<u8>,
    ) -> Result<(), HeatmapError> {
        let mut pixels = Vec::with_capacity(values.len());
        self.fill_pixels(values, n, &mut pixels)?;
        out.clear();
        out.extend(pixels.iter().flat_map(|p| p.to_le_bytes()));
        debug_assert_eq!(out.len(), values.len() * BYTES_PER_PIXEL);
        Ok(())
    }
}

/// Averages `factor × factor` blocks of an `n × n` grid into `out`; returns the new side
/// (`n / factor`, cells beyond a whole block are dropped). A factor of 0 or 1 copies.
pub fn shrink_into(values: &[f32], n: usize, factor: usize, out: &mut Vec<f32>) -> usize {
    out.clear();
    if factor <= 1 || n < factor {
        out.extend_from_slice(values);
        return n;
    }
    let m = n / factor;
    let weight = 1.0 / (factor * factor) as f32;
    out.resize(m * m, 0.0);
    for (row, line) in values.chunks_exact(n).take(m * factor).enumerate() {
        let target = &mut out[(row / factor) * m..(row / factor + 1) * m];
        for (cell, block) in target.iter_mut().zip(line.chunks_exact(factor)) {
            *cell += block.iter().sum::<f32>() * weight;
        }
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wrong_size_is_an_error() {
        let table = ColourTable::new(&DivergingScale::PLAYGROUND, HeatmapMode::Continuous);
        assert!(table.fill_rgba(&[0.0; 5], 2, &mut Vec::new()).is_err());
    }

    #[test]
    fn shrinking_averages_blocks() {
        // 4×4 → 2×2: each output cell is the mean of a 2×2 block.
        let values: Vec<f32> = (0..16).map(|i| i as f32).collect();
        let mut out = Vec::new();
        assert_eq!(shrink_into(&values, 4, 2, &mut out), 2);
        assert_eq!(out, vec![2.5, 4.5, 10.5, 12.5]);
        assert_eq!(shrink_into(&values, 4, 1, &mut out), 4);
        assert_eq!(out, values);
        // 5×5 by 2 keeps the whole 2×2 blocks only.
        let five = vec![1.0; 25];
        assert_eq!(shrink_into(&five, 5, 2, &mut out), 2);
        assert_eq!(out, vec![1.0; 4]);
    }
}
