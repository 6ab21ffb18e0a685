//! Mapping between data coordinates and canvas pixels (and back, for clicks).

use thiserror::Error;

/// Lower bound of the default data domain on both axes.
pub const DEFAULT_DOMAIN_MIN: f32 = -6.0;
/// Upper bound of the default data domain on both axes.
pub const DEFAULT_DOMAIN_MAX: f32 = 6.0;

/// Why a domain or viewport is unusable.
#[derive(Debug, Clone, Copy, PartialEq, Error)]
pub enum ViewportError {
    /// The domain's bounds are not finite or not increasing.
    #[error("data domain [{min}, {max}] must be finite with min < max")]
    EmptyDomain {
        /// Lower bound given.
        min: f32,
        /// Upper bound given.
        max: f32,
    },
    /// The canvas has no area.
    #[error("canvas size {width}×{height} px must be positive and finite")]
    EmptyCanvas {
        /// Width given.
        width: f32,
        /// Height given.
        height: f32,
    },
}

/// The square data region `[min, max]²` shown on the canvas.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Domain {
    min: f32,
    max: f32,
}

impl Domain {
    /// The playground's default `[-6, 6]²`.
    pub const DEFAULT: Self = Self {
        min: DEFAULT_DOMAIN_MIN,
        max: DEFAULT_DOMAIN_MAX,
    };

    /// A domain `[min, max]²`; bounds must be finite and increasing.
    pub fn new(min: f32, max: f32) -> Result<Self, ViewportError> {
        if min.is_finite() && max.is_finite() && min < max {
            Ok(Self { min, max })
        } else {
            Err(ViewportError::EmptyDomain { min, max })
        }
    }

    /// Lower bound on both axes.
    pub fn min(&self) -> f32 {
        self.min
    }

    /// Upper bound on both axes.
    pub fn max(&self) -> f32 {
        self.max
    }

    /// Data point at the centre of heat-map cell (`row`, `col`) in an `n`×`n` grid, where
    /// row 0 is the top (largest y) and column 0 the left (smallest x).
    pub fn cell_centre(&self, row: usize, col: usize, n: usize) -> (f32, f32) {
        let cell = (self.max - self.min) / n.max(1) as f32;
        (
            self.min + (col as f32 + 0.5) * cell,
            self.max - (row as f32 + 0.5) * cell,
        )
    }
}

impl Default for Domain {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// A domain stretched over a `width_px`×`height_px` canvas; pixel y grows downward.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Viewport {
    domain: Domain,
    width_px: f32,
    height_px: f32,
}

impl Viewport {
    /// A viewport of `domain` on a canvas of the given size (must be positive).
    pub fn new(domain: Domain, width_px: f32, height_px: f32) -> Result<Self, ViewportError> {
        let ok = |v: f32| v.is_finite() && v > 0.0;
        if ok(width_px) && ok(height_px) {
            Ok(Self {
                domain,
                width_px,
                height_px,
            })
        } else {
            Err(ViewportError::EmptyCanvas {
                width: width_px,
                height: height_px,
            })
        }
    }

    /// The data domain shown.
    pub fn domain(&self) -> Domain {
        self.domain
    }

    /// Pixel position of data point (`x`, `y`); (min, max) maps to the top-left corner (0, 0).
    pub fn to_pixel(&self, x: f32, y: f32) -> (f32, f32) {
        let span = self.domain.max - self.domain.min;
        (
            (x - self.domain.min) / span * self.width_px,
            (self.domain.max - y) / span * self.height_px,
        )
    }

    /// Data point under pixel (`px`, `py`); the inverse of [`Viewport::to_pixel`].
    pub fn to_data(&self, px: f32, py: f32) -> (f32, f32) {
        let span = self.domain.max - self.domain.min;
        (
            self.domain.min + px / self.width_px * span,
            self.domain.max - py / self.height_px * span,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn corners_map_to_canvas_corners() -> Result<(), ViewportError> {
        let v = Viewport::new(Domain::DEFAULT, 300.0, 200.0)?;
        assert_eq!(v.to_pixel(-6.0, 6.0), (0.0, 0.0));
        assert_eq!(v.to_pixel(6.0, -6.0), (300.0, 200.0));
        assert_eq!(v.to_pixel(0.0, 0.0), (150.0, 100.0));
        assert_eq!(v.to_data(0.0, 200.0), (-6.0, -6.0));
        Ok(())
    }

    #[test]
    fn pixel_and_data_round_trip() -> Result<(), ViewportError> {
        let v = Viewport::new(Domain::new(-2.5, 4.0)?, 417.0, 233.0)?;
        for (x, y) in [(-2.5, 4.0), (0.0, 0.0), (1.234, -2.2), (3.9, 3.1)] {
            let (px, py) = v.to_pixel(x, y);
            let (bx, by) = v.to_data(px, py);
            assert!(
                (bx - x).abs() < 1e-4 && (by - y).abs() < 1e-4,
                "({x},{y}) came back as ({bx},{by})"
            );
        }
        Ok(())
    }

    #[test]
    fn cell_centres_follow_the_heatmap_convention() -> Result<(), ViewportError> {
        let d = Domain::DEFAULT;
        assert_eq!(d.cell_centre(0, 0, 4), (-4.5, 4.5));
        assert_eq!(d.cell_centre(3, 3, 4), (4.5, -4.5));
        // A cell centre lands in the middle of its pixel block on a canvas of n×k pixels.
        let v = Viewport::new(d, 40.0, 40.0)?;
        assert_eq!(
            v.to_pixel(d.cell_centre(1, 2, 4).0, d.cell_centre(1, 2, 4).1),
            (25.0, 15.0)
        );
        Ok(())
    }

    #[test]
    fn invalid_domains_and_canvases_are_errors() {
        assert!(Domain::new(1.0, 1.0).is_err());
        assert!(Domain::new(f32::NAN, 1.0).is_err());
        assert_eq!(
            Viewport::new(Domain::DEFAULT, 0.0, 10.0),
            Err(ViewportError::EmptyCanvas {
                width: 0.0,
                height: 10.0
            })
        );
    }
}
