//! Emberlab's visual vocabulary: plain numbers to colours, RGBA heat-maps, link strokes and
//! loss charts. No network types and no DOM: inputs are slices of `f32`, outputs are bytes,
//! styles or drawings on any plotters backend.

pub mod chart;
pub mod colour;
pub mod colour_table;
pub mod heatmap;
pub mod landscape;
pub mod links;
pub mod pixels;
pub mod series;
pub mod strength;
pub mod tile_sheet;
pub mod viewport;

pub use chart::{
    ChartError, ChartFrame, ChartOptions, TEST_ACCURACY_COLOUR, TEST_COLOUR, TRAIN_ACCURACY_COLOUR,
    TRAIN_COLOUR, draw_chart_axes, draw_chart_lines, draw_loss_chart,
};
pub use colour::{
    CLASS_COLOURS, DivergingScale, MAX_CLASSES, NEGATIVE_COLOUR, NEUTRAL_COLOUR, POSITIVE_COLOUR,
    Rgb, Rgba, SURFACE_ALPHA, class_colour, confidence_colour,
};
pub use colour_table::{ColourTable, shrink_into};
pub use heatmap::{
    HeatmapError, HeatmapMode, class_heatmap_rgba, class_heatmap_rgba_into, heatmap_rgba,
    heatmap_rgba_into, over_white_rgba,
};
pub use landscape::{LANDSCAPE_PENDING, LANDSCAPE_STOPS, landscape_colour, landscape_rgba};
pub use links::{LinkStyle, link_style};
pub use series::{LOG_SCALE_FLOOR, LossSeries, Point};
pub use strength::{STRENGTH_DECADES, first_to_last, relative_strengths};
pub use tile_sheet::TileSheet;
pub use viewport::{DEFAULT_DOMAIN_MAX, DEFAULT_DOMAIN_MIN, Domain, Viewport, ViewportError};
