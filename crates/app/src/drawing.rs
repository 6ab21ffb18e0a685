//! Canvas glue: puts viz's RGBA grids and points onto HTML canvases.

use emberlab_core::{Dataset, Point, Problem, Snapshot};
use emberlab_viz::{
    ColourTable, DivergingScale, HeatmapMode, SURFACE_ALPHA, TileSheet, Viewport, class_colour,
    class_heatmap_rgba_into, over_white_rgba, shrink_into,
};
use wasm_bindgen::{Clamped, JsCast};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

/// How data points are drawn, in canvas (backing-store) pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PointStyle {
    /// Radius of a point.
    pub radius: f64,
    /// Width of its ring.
    pub ring: f64,
}

impl PointStyle {
    /// The output map's points (600 px canvas shown at 300 CSS px).
    pub const OUTPUT: Self = Self {
        radius: 5.0,
        ring: 1.5,
    };
    /// A data-set thumbnail's points (2 CSS px on a canvas of twice its CSS size).
    pub const THUMBNAIL: Self = Self {
        radius: 3.5,
        ring: 1.0,
    };
}

/// The 2-D context of a canvas. The first call fixes the context's kind: we ask for a
/// CPU-backed one (`willReadFrequently`), because our canvases are small and redrawn every
/// frame with many tiny operations, which a GPU-backed canvas turns into many GPU round trips
/// (measured: network view 9 ms → see docs/ARCHITECTURE.md).
pub fn context_2d(canvas: &HtmlCanvasElement) -> Option<CanvasRenderingContext2d> {
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"willReadFrequently".into(), &true.into());
    canvas
        .get_context_with_context_options("2d", &options)
        .ok()??
        .dyn_into()
        .ok()
}

/// How the output is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fit {
    /// Two flat colours instead of a gradient.
    pub discrete: bool,
    /// Scaled onto the canvas's own size (small fixed canvases, like the output node); else
    /// pixel for pixel, the canvas taking the grid's size (CSS scales it up smoothly).
    pub scaled: bool,
}

/// Most pixels per side of a neuron thumbnail's backing store: finer grids are averaged down
/// (the thumbnails show at 44 CSS px).
const THUMBNAIL_SIDE: usize = 50;

/// The frame of a tile in a sheet (the page's `--line`), as a packed RGBA pixel.
const TILE_BORDER: u32 = u32::from_le_bytes([0xd9, 0xdd, 0xe3, 0xff]);

/// Colour tables and reusable buffers for drawing grids, so a frame allocates nothing.
pub struct GridPainter {
    rgba: Vec<u8>,
    pixels: Vec<u32>,
    values: Vec<f32>,
    /// A tile sheet's pixels.
    sheet: Vec<u32>,
    continuous: ColourTable,
    /// The output surface's tables: lighter, so the points on it stand out.
    surface: ColourTable,
    surface_discrete: ColourTable,
    scratch: Option<HtmlCanvasElement>,
}

impl GridPainter {
    /// Empty buffers.
    pub fn new() -> Self {
        Self {
            rgba: Vec::new(),
            pixels: Vec::new(),
            values: Vec::new(),
            sheet: Vec::new(),
            continuous: ColourTable::new(&DivergingScale::PLAYGROUND, HeatmapMode::Continuous),
            surface: ColourTable::new(&surface_scale(), HeatmapMode::Continuous),
            surface_discrete: ColourTable::new(&surface_scale(), HeatmapMode::Discrete),
            scratch: None,
        }
    }

    /// The network's prediction over the plane as RGBA in `self.rgba`; false if the snapshot
    /// does not fit the problem.
    fn output_rgba(&mut self, snapshot: &Snapshot, problem: Problem, discrete: bool) -> bool {
        let n = snapshot.grid_size;
        let mode = if discrete {
            HeatmapMode::Discrete
        } else {
            HeatmapMode::Continuous
        };
        match problem {
            Problem::Multiclass { classes } => {
                let ok = class_heatmap_rgba_into(
                    &snapshot.output_grid,
                    classes,
                    n,
                    mode,
                    &mut self.rgba,
                )
                .is_ok();
                over_white_rgba(&mut self.rgba, SURFACE_ALPHA);
                ok
            }
            Problem::Binary => {
                // Probability of class 1 onto [-1, 1]: orange = class 0, blue = class 1.
                let mut values = std::mem::take(&mut self.values);
                values.clear();
                values.extend(snapshot.output_grid.iter().map(|p| 2.0 * p - 1.0));
                let ok = self.pack(&values, n, discrete);
                self.values = values;
                ok
            }
            Problem::Regression => self.pack(&snapshot.output_grid, n, discrete),
        }
    }

    /// Colours values in [-1, 1] into `self.rgba`, as a surface.
    fn pack(&mut self, values: &[f32], n: usize, discrete: bool) -> bool {
        let table = if discrete {
            &self.surface_discrete
        } else {
            &self.surface
        };
        let ok = table.fill_pixels(values, n, &mut self.pixels).is_ok();
        if ok {
            self.rgba.clear();
            self.rgba
                .extend_from_slice(bytemuck::cast_slice::<u32, u8>(&self.pixels));
        }
        ok
    }

    /// Draws the network's prediction onto `canvas`, fitted as `fit` says.
    pub fn draw_output(
        &mut self,
        canvas: &HtmlCanvasElement,
        snapshot: &Snapshot,
        problem: Problem,
        fit: Fit,
    ) {
        if !self.output_rgba(snapshot, problem, fit.discrete) {
            return;
        }
        if fit.scaled {
            self.blit(canvas, snapshot.grid_size);
        } else {
            put_rgba(canvas, &self.rgba, snapshot.grid_size);
        }
    }

    /// Puts values in [-1, 1] on an `n × n` grid onto a thumbnail canvas, averaged down to at
    /// most [`THUMBNAIL_SIDE`] pixels a side.
    pub fn put_thumbnail(&mut self, canvas: &HtmlCanvasElement, values: &[f32], n: usize) {
        let side = shrink_into(values, n, n.div_ceil(THUMBNAIL_SIDE), &mut self.values);
        if self
            .continuous
            .fill_pixels(&self.values, side, &mut self.pixels)
            .is_ok()
        {
            put_rgba(canvas, bytemuck::cast_slice(&self.pixels), side);
        }
    }

    /// Puts values in [-1, 1] on an `n × n` grid pixel for pixel onto `canvas`.
    pub fn put_values(&mut self, canvas: &HtmlCanvasElement, values: &[f32], n: usize) {
        if self
            .continuous
            .fill_pixels(values, n, &mut self.pixels)
            .is_ok()
        {
            put_rgba(canvas, bytemuck::cast_slice(&self.pixels), n);
        }
    }

    /// Draws maps of `side × side` values in [-1, 1], stored one after another in `values`,
    /// as the tiles of `sheet` on `canvas` (its backing store is the sheet's size).
    pub fn put_sheet(
        &mut self,
        canvas: &HtmlCanvasElement,
        values: &[f32],
        side: usize,
        sheet: &TileSheet,
    ) {
        self.pixels.clear();
        self.pixels
            .extend(values.iter().map(|&v| self.continuous.pixel(v)));
        let mut sheet_pixels = std::mem::take(&mut self.sheet);
        sheet.compose(&self.pixels, side, TILE_BORDER, &mut sheet_pixels);
        put_rgba_rect(
            canvas,
            bytemuck::cast_slice(&sheet_pixels),
            sheet.width(),
            sheet.height(),
        );
        self.sheet = sheet_pixels;
    }

    /// Scales the RGBA buffer (n × n) onto the canvas through a scratch canvas.
    fn blit(&mut self, canvas: &HtmlCanvasElement, n: usize) {
        let Some(scratch) = self.scratch_canvas(n) else {
            return;
        };
        let (Some(small), Some(ctx)) = (context_2d(&scratch), context_2d(canvas)) else {
            return;
        };
        let side = n as u32;
        let Ok(image) =
            web_sys::ImageData::new_with_u8_clamped_array_and_sh(Clamped(&self.rgba), side, side)
        else {
            return;
        };
        let _ = small.put_image_data(&image, 0.0, 0.0);
        ctx.set_image_smoothing_enabled(true);
        let _ = ctx.draw_image_with_html_canvas_element_and_dw_and_dh(
            &scratch,
            0.0,
            0.0,
            f64::from(canvas.width()),
            f64::from(canvas.height()),
        );
    }

    fn scratch_canvas(&mut self, n: usize) -> Option<HtmlCanvasElement> {
        let side = n as u32;
        if let Some(c) = &self.scratch
            && c.width() == side
        {
            return Some(c.clone());
        }
        let canvas = new_canvas(side, side)?;
        self.scratch = Some(canvas.clone());
        Some(canvas)
    }
}

/// A canvas of `width` × `height` that is not in the page (scratch space, pictures to save).
pub fn new_canvas(width: u32, height: u32) -> Option<HtmlCanvasElement> {
    let canvas: HtmlCanvasElement = web_sys::window()?
        .document()?
        .create_element("canvas")
        .ok()?
        .dyn_into()
        .ok()?;
    canvas.set_width(width);
    canvas.set_height(height);
    Some(canvas)
}

/// The playground's scale as a surface under points: painted at [`SURFACE_ALPHA`] over white.
fn surface_scale() -> DivergingScale {
    DivergingScale::PLAYGROUND.over_white(SURFACE_ALPHA)
}

/// Puts `n × n` RGBA pixels onto `canvas`, resizing its backing store to `n × n`.
pub fn put_rgba(canvas: &HtmlCanvasElement, rgba: &[u8], n: usize) {
    put_rgba_rect(canvas, rgba, n, n);
}

/// Puts `width × height` RGBA pixels onto `canvas`, resizing its backing store to match.
fn put_rgba_rect(canvas: &HtmlCanvasElement, rgba: &[u8], width: usize, height: usize) {
    let (w, h) = (width as u32, height as u32);
    if w == 0 || h == 0 {
        return;
    }
    if canvas.width() != w || canvas.height() != h {
        canvas.set_width(w);
        canvas.set_height(h);
    }
    if let (Some(ctx), Ok(image)) = (
        context_2d(canvas),
        web_sys::ImageData::new_with_u8_clamped_array_and_sh(Clamped(rgba), w, h),
    ) {
        let _ = ctx.put_image_data(&image, 0.0, 0.0);
    }
}

/// The fill colour of a point's label.
fn point_colour(point: &Point, problem: Problem) -> String {
    match problem {
        Problem::Regression => DivergingScale::PLAYGROUND.colour(point.label).to_string(),
        Problem::Binary | Problem::Multiclass { .. } => {
            class_colour(point.label.max(0.0) as usize).to_string()
        }
    }
}

/// The marker of a point: its class's shape (circle, square, triangle, diamond, star), so
/// classes differ by more than colour; regression values are circles.
fn point_shape(point: &Point, problem: Problem) -> usize {
    match problem {
        Problem::Regression => 0,
        _ => (point.label.max(0.0) as usize) % 5,
    }
}

/// Adds marker `shape` of radius `r` at `(x, y)` to the current path.
fn add_marker(ctx: &CanvasRenderingContext2d, shape: usize, x: f64, y: f64, r: f64) {
    let polygon = |corners: &[(f64, f64)]| {
        for (i, &(dx, dy)) in corners.iter().enumerate() {
            if i == 0 {
                ctx.move_to(x + dx * r, y + dy * r);
            } else {
                ctx.line_to(x + dx * r, y + dy * r);
            }
        }
        ctx.close_path();
    };
    match shape {
        1 => polygon(&[(-0.85, -0.85), (0.85, -0.85), (0.85, 0.85), (-0.85, 0.85)]),
        2 => polygon(&[(0.0, -1.15), (1.05, 0.75), (-1.05, 0.75)]),
        3 => polygon(&[(0.0, -1.2), (1.1, 0.0), (0.0, 1.2), (-1.1, 0.0)]),
        4 => {
            let corners: Vec<(f64, f64)> = (0..10)
                .map(|i| {
                    let angle =
                        std::f64::consts::PI * f64::from(i) / 5.0 - std::f64::consts::FRAC_PI_2;
                    let radius = if i % 2 == 0 { 1.3 } else { 0.6 };
                    (radius * angle.cos(), radius * angle.sin())
                })
                .collect();
            polygon(&corners);
        }
        _ => {
            ctx.move_to(x + r, y);
            let _ = ctx.arc(x, y, r, 0.0, std::f64::consts::TAU);
        }
    }
}

/// Draws the data points on a clear overlay: training points with a white ring, test points
/// with a dark ring.
pub fn draw_points(
    canvas: &HtmlCanvasElement,
    dataset: &Dataset,
    show_test: bool,
    style: PointStyle,
) {
    let Some(ctx) = context_2d(canvas) else {
        return;
    };
    let Ok(viewport) = Viewport::new(
        emberlab_viz::Domain::DEFAULT,
        canvas.width() as f32,
        canvas.height() as f32,
    ) else {
        return;
    };
    ctx.clear_rect(
        0.0,
        0.0,
        f64::from(canvas.width()),
        f64::from(canvas.height()),
    );
    let sets: &[(&[Point], &str)] = if show_test {
        &[(&dataset.train, "#ffffff"), (&dataset.test, "#222222")]
    } else {
        &[(&dataset.train, "#ffffff")]
    };
    ctx.set_line_width(style.ring);
    // One path per (set, colour, shape): a few canvas calls instead of two per point.
    for (points, ring) in sets {
        ctx.set_stroke_style_str(ring);
        let mut kinds: Vec<(String, usize)> = points
            .iter()
            .map(|p| {
                (
                    point_colour(p, dataset.problem),
                    point_shape(p, dataset.problem),
                )
            })
            .collect();
        kinds.sort_unstable();
        kinds.dedup();
        for (colour, shape) in &kinds {
            ctx.begin_path();
            for p in points.iter().filter(|p| {
                point_shape(p, dataset.problem) == *shape
                    && point_colour(p, dataset.problem) == *colour
            }) {
                let (x, y) = viewport.to_pixel(p.x, p.y);
                add_marker(&ctx, *shape, f64::from(x), f64::from(y), style.radius);
            }
            ctx.set_fill_style_str(colour);
            ctx.fill();
            ctx.stroke();
        }
    }
}

/// Puts grey levels (`0..=max` → white to black ink) on an `n × n` canvas, pixel for pixel.
pub fn put_gray(canvas: &HtmlCanvasElement, values: &[f32], n: usize, max: f32) {
    let mut rgba = Vec::with_capacity(n * n * 4);
    for i in 0..n * n {
        let v = values.get(i).copied().unwrap_or(0.0);
        let shade = (255.0 * (1.0 - (v / max.max(f32::EPSILON)).clamp(0.0, 1.0))) as u8;
        rgba.extend_from_slice(&[shade, shade, shade, 255]);
    }
    put_rgba(canvas, &rgba, n);
}
