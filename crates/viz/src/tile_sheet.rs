//! Many small square maps (a layer's filters, its feature maps) laid out as tiles of one image.
//!
//! One canvas per map cost the browser a texture upload per map and frame: with a hundred maps
//! changing ten times a second, Chromium's commit of a software-rasterised page took 150–370 ms
//! after Play in the convolution lab. One sheet per layer is one upload.

/// The layout of `count` square tiles of `tile` pixels (a one-pixel border included), in rows
/// of at most `max_cols`, `gap` pixels apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TileSheet {
    count: usize,
    cols: usize,
    tile: usize,
    gap: usize,
}

impl TileSheet {
    /// A sheet for `count` tiles; `max_cols` and `tile` are at least 1 and 3.
    pub fn new(count: usize, max_cols: usize, tile: usize, gap: usize) -> Self {
        Self {
            count,
            cols: count.clamp(1, max_cols.max(1)),
            tile: tile.max(3),
            gap,
        }
    }

    /// Tiles in a row.
    pub fn cols(&self) -> usize {
        self.cols
    }

    /// Rows of tiles.
    pub fn rows(&self) -> usize {
        self.count.div_ceil(self.cols)
    }

    /// Width of the sheet in pixels.
    pub fn width(&self) -> usize {
        self.span(self.cols())
    }

    /// Height of the sheet in pixels.
    pub fn height(&self) -> usize {
        self.span(self.rows())
    }

    fn span(&self, tiles: usize) -> usize {
        (tiles * (self.tile + self.gap)).saturating_sub(self.gap)
    }

    /// Top-left pixel of tile `i`.
    pub fn origin(&self, i: usize) -> (usize, usize) {
        let step = self.tile + self.gap;
        ((i % self.cols) * step, (i / self.cols) * step)
    }

    /// Draws the sheet into `out` (width × height packed pixels, transparent between tiles):
    /// tile `i` is `pixels[i * side² ..]`, `side × side` pixels scaled to the tile's inside by
    /// nearest neighbour, framed by `border`. Tiles missing from `pixels` stay blank.
    pub fn compose(&self, pixels: &[u32], side: usize, border: u32, out: &mut Vec<u32>) {
        let width = self.width();
        out.clear();
        out.resize(width * self.height(), 0);
        let inner = self.tile - 2;
        let cells = side * side;
        if side == 0 {
            return;
        }
        for i in 0..self.count {
            let Some(map) = pixels.get(i * cells..(i + 1) * cells) else {
                break;
            };
            let (x0, y0) = self.origin(i);
            for dy in 0..self.tile {
                let row = &mut out[(y0 + dy) * width + x0..][..self.tile];
                if dy == 0 || dy == self.tile - 1 {
                    row.fill(border);
                    continue;
                }
                row[0] = border;
                row[self.tile - 1] = border;
                let source = &map[(dy - 1) * side / inner * side..][..side];
                for (dx, pixel) in row[1..=inner].iter_mut().enumerate() {
                    *pixel = source[dx * side / inner];
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiles_wrap_into_rows_with_gaps() {
        let sheet = TileSheet::new(10, 4, 26, 3);
        assert_eq!((sheet.cols(), sheet.rows()), (4, 3));
        assert_eq!(sheet.width(), 4 * 26 + 3 * 3);
        assert_eq!(sheet.height(), 3 * 26 + 2 * 3);
        assert_eq!(sheet.origin(5), (29, 29));
        let small = TileSheet::new(2, 8, 26, 3);
        assert_eq!((small.width(), small.height()), (55, 26));
        assert_eq!(TileSheet::new(0, 8, 26, 3).height(), 0);
    }

    #[test]
    fn each_map_fills_its_framed_tile_by_nearest_neighbour() {
        // Two 2 × 2 maps into 6-pixel tiles (4 inside), 1 pixel apart.
        let sheet = TileSheet::new(2, 8, 6, 1);
        let maps = [1, 2, 3, 4, 5, 6, 7, 8];
        let mut out = Vec::new();
        sheet.compose(&maps, 2, 9, &mut out);
        let width = sheet.width();
        assert_eq!(out.len(), width * 6);
        let at = |x: usize, y: usize| out[y * width + x];
        assert_eq!((at(0, 0), at(5, 3), at(3, 5)), (9, 9, 9), "border");
        assert_eq!(at(6, 2), 0, "the gap is transparent");
        assert_eq!((at(1, 1), at(2, 2), at(3, 1), at(4, 4)), (1, 1, 2, 4));
        assert_eq!((at(7 + 1, 1), at(7 + 4, 4)), (5, 8), "second tile");
    }

    #[test]
    fn missing_maps_leave_their_tiles_blank() {
        let sheet = TileSheet::new(3, 3, 5, 0);
        let mut out = Vec::new();
        sheet.compose(&[7; 9], 3, 1, &mut out);
        assert_eq!(out[sheet.width() + 1], 7);
        assert!(
            out[5..].iter().take(5).all(|&p| p != 7),
            "tile 2 holds no map"
        );
        sheet.compose(&[7; 9], 0, 1, &mut out);
        assert!(out.iter().all(|&p| p == 0));
    }
}
