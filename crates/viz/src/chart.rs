//! The loss chart, drawn with plotters on any backend (canvas in the app, SVG in tests).

use std::ops::Range;

use plotters::coord::Shift;
use plotters::coord::ranged1d::{AsRangedCoord, Ranged, ValueFormatter};
use plotters::coord::types::RangedCoordu32;
use plotters::prelude::*;
use thiserror::Error;

use crate::colour::{NEGATIVE_COLOUR, POSITIVE_COLOUR, Rgb};
use crate::series::{LossSeries, Point, clamp_for_log, decimate, epoch_range, loss_range};

/// Training loss line: dark grey, solid.
pub const TRAIN_COLOUR: Rgb = Rgb::from_hex(0x33_33_33);
/// Test loss line: mid grey, dashed.
pub const TEST_COLOUR: Rgb = Rgb::from_hex(0x99_99_99);
/// Training accuracy line (right axis): blue, solid.
pub const TRAIN_ACCURACY_COLOUR: Rgb = POSITIVE_COLOUR;
/// Test accuracy line (right axis): orange, dashed.
pub const TEST_ACCURACY_COLOUR: Rgb = NEGATIVE_COLOUR;

/// Stroke width of the series lines in pixels.
const LINE_WIDTH: u32 = 2;
/// Dash length and gap of dashed series in pixels.
const DASH: (u32, u32) = (6, 4);
/// Space reserved below the plot for the epoch ticks and their name, in font sizes.
const LABEL_AREA_FONTS: u32 = 3;
/// Space beside the plot for the loss (or accuracy) ticks and the axis name, in half font sizes:
/// room for the widest tick (`0.0001`) and the rotated name without the two touching.
const Y_LABEL_AREA_HALF_FONTS: u32 = 9;
/// Radius of the dot marking a series that has a single point.
const DOT_RADIUS: u32 = 3;
/// Length of a legend entry's sample line in pixels.
const LEGEND_LINE_PX: i32 = 16;
/// Target number of tick labels per axis.
const TICKS: usize = 5;

/// Why the chart could not be drawn (a backend failure; the data itself never fails).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ChartError {
    /// The drawing backend reported an error.
    #[error("could not draw the loss chart: {0}")]
    Backend(String),
}

/// Presentation options for [`draw_loss_chart`].
#[derive(Debug, Clone, PartialEq)]
pub struct ChartOptions {
    /// Logarithmic loss axis; losses are clamped to [`crate::LOG_SCALE_FLOOR`].
    pub log_scale: bool,
    /// Label under the horizontal axis.
    pub x_label: String,
    /// Label beside the loss axis.
    pub y_label: String,
    /// Label beside the accuracy axis (drawn only when accuracy series have points).
    pub accuracy_label: String,
    /// Font size in pixels for labels and legend.
    pub font_size: u32,
    /// Margin around the chart in pixels.
    pub margin: u32,
    /// Most points drawn per series; `None` uses the area's width in pixels.
    pub max_points: Option<usize>,
    /// Background fill; `None` leaves the area as it is.
    pub background: Option<Rgb>,
    /// Whether to draw the legend inside the plot (a page may draw its own beside it).
    pub legend: bool,
}

impl Default for ChartOptions {
    fn default() -> Self {
        Self {
            log_scale: false,
            x_label: "epoch".into(),
            y_label: "loss".into(),
            accuracy_label: "accuracy".into(),
            font_size: 12,
            margin: 8,
            max_points: None,
            background: Some(Rgb::from_hex(0xff_ff_ff)),
            legend: true,
        }
    }
}

/// Turns any plotters error into a [`ChartError`].
fn backend<E: std::fmt::Display>(e: E) -> ChartError {
    ChartError::Backend(e.to_string())
}

/// The axes of a loss chart. Ranges are rounded out to round numbers, so they change only now
/// and then while training: a page can keep the drawn axes and redraw only the lines.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartFrame {
    /// Epoch axis.
    pub epochs: Range<u32>,
    /// Loss axis (positive on a log scale).
    pub losses: Range<f32>,
    /// Logarithmic loss axis.
    pub log_scale: bool,
    /// Whether the right-hand accuracy axis is shown.
    pub accuracy: bool,
}

impl ChartFrame {
    /// The frame that holds every point of `series`.
    pub fn for_series(series: &LossSeries, log_scale: bool) -> Self {
        let lines = Lines::new(series, usize::MAX, log_scale);
        let epochs = epoch_range([
            &lines.train[..],
            &lines.test[..],
            &lines.train_accuracy[..],
            &lines.test_accuracy[..],
        ]);
        let losses = loss_range([&lines.train[..], &lines.test[..]], log_scale);
        Self {
            // Fine steps, so the curve always fills at least 4/5 of the width.
            epochs: 0..round_up(f64::from(epochs.end), NICE).max(10.0) as u32,
            losses: if log_scale {
                let low = 10f32.powf(losses.start.log10().floor());
                let high = 10f32.powf(losses.end.log10().ceil());
                low..high.max(low * 10.0)
            } else {
                let high = round_up(f64::from(losses.end), NICE);
                losses.start..(high as f32).max(losses.start + f32::EPSILON)
            },
            log_scale,
            accuracy: series.has_accuracy(),
        }
    }
}

/// Round axis ends: each at most 1.25× the one before.
const NICE: &[f64] = &[1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0];

/// The smallest `m · 10^k ≥ value` with `m` from `mantissas` (ascending, in [1, 10)).
fn round_up(value: f64, mantissas: &[f64]) -> f64 {
    if !(value.is_finite() && value > 0.0) {
        return 1.0;
    }
    let decade = 10f64.powf(value.log10().floor());
    mantissas
        .iter()
        .map(|m| m * decade)
        .find(|&v| v >= value * (1.0 - 1e-9))
        .unwrap_or(decade * 10.0)
}

/// Draws train/test loss (and accuracy on a right-hand [0, 1] axis, if present) into `area`:
/// [`draw_chart_axes`] then [`draw_chart_lines`] on the series' own [`ChartFrame`].
/// Empty, single-point and NaN/inf-containing series are fine; long ones are decimated.
/// The caller presents the area (the app's canvas shows strokes as they are drawn).
pub fn draw_loss_chart<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    series: &LossSeries,
    opts: &ChartOptions,
) -> Result<(), ChartError> {
    let frame = ChartFrame::for_series(series, opts.log_scale);
    draw_chart_axes(area, &frame, opts)?;
    draw_chart_lines(area, &frame, series, opts)
}

/// The background, mesh, ticks and axis labels of `frame`.
pub fn draw_chart_axes<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    frame: &ChartFrame,
    opts: &ChartOptions,
) -> Result<(), ChartError> {
    if let Some(bg) = opts.background {
        area.fill(&RGBColor::from(bg)).map_err(backend)?;
    }
    if frame.log_scale {
        draw_axes(area, frame, opts, frame.losses.clone().log_scale())
    } else {
        draw_axes(area, frame, opts, frame.losses.clone())
    }
}

/// The series of `series` in `frame`'s coordinates (and the legend if `opts` asks for it),
/// over whatever the area shows.
pub fn draw_chart_lines<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    frame: &ChartFrame,
    series: &LossSeries,
    opts: &ChartOptions,
) -> Result<(), ChartError> {
    let max_points = opts.max_points.unwrap_or(area.dim_in_pixel().0 as usize);
    let lines = Lines::new(series, max_points, frame.log_scale);
    if frame.log_scale {
        draw_lines(area, &lines, frame, opts, frame.losses.clone().log_scale())
    } else {
        draw_lines(area, &lines, frame, opts, frame.losses.clone())
    }
}

/// Cleaned, decimated series ready to draw.
struct Lines {
    train: Vec<Point>,
    test: Vec<Point>,
    train_accuracy: Vec<Point>,
    test_accuracy: Vec<Point>,
}

impl Lines {
    fn new(series: &LossSeries, max_points: usize, log_scale: bool) -> Self {
        let mut train = decimate(&series.train, max_points);
        let mut test = decimate(&series.test, max_points);
        if log_scale {
            clamp_for_log(&mut train);
            clamp_for_log(&mut test);
        }
        Self {
            train,
            test,
            train_accuracy: decimate(&series.train_accuracy, max_points),
            test_accuracy: decimate(&series.test_accuracy, max_points),
        }
    }
}

/// A chart on `area` with `frame`'s axes (both layers build the same one, so they line up).
fn chart_on<'a, DB, Y>(
    area: &'a DrawingArea<DB, Shift>,
    frame: &ChartFrame,
    opts: &ChartOptions,
    losses: Y,
) -> Result<ChartContext<'a, DB, Cartesian2d<RangedCoordu32, Y::CoordDescType>>, ChartError>
where
    DB: DrawingBackend,
    Y: AsRangedCoord<Value = f32>,
{
    let x_area = opts.font_size * LABEL_AREA_FONTS;
    let y_area = opts.font_size * Y_LABEL_AREA_HALF_FONTS / 2;
    let mut builder = ChartBuilder::on(area);
    builder
        .margin(opts.margin)
        .x_label_area_size(x_area)
        .y_label_area_size(y_area);
    if frame.accuracy {
        builder.right_y_label_area_size(y_area);
    }
    builder
        .build_cartesian_2d(frame.epochs.clone(), losses)
        .map_err(backend)
}

/// A loss tick as a learner reads it: two significant digits at most, a leading zero, no
/// exponent (`0.0001`, `0.25`, `1.5`, `120`; never `.0001` or `1e-4`).
pub fn loss_tick_label(value: f32) -> String {
    let magnitude = value.abs();
    if magnitude == 0.0 || !magnitude.is_finite() {
        return format!("{value}");
    }
    let decimals = if magnitude >= 10.0 {
        0
    } else {
        (1 - magnitude.log10().floor() as i32).max(0) as usize
    };
    let text = format!("{value:.decimals$}");
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    }
}

/// Draws the mesh and axis labels on a loss axis of type `Y` (linear or log).
fn draw_axes<DB, Y>(
    area: &DrawingArea<DB, Shift>,
    frame: &ChartFrame,
    opts: &ChartOptions,
    losses: Y,
) -> Result<(), ChartError>
where
    DB: DrawingBackend,
    Y: AsRangedCoord<Value = f32>,
    Y::CoordDescType: Ranged<ValueType = f32> + ValueFormatter<f32>,
{
    let font = ("sans-serif", opts.font_size).into_font();
    let mut chart =
        chart_on(area, frame, opts, losses)?.set_secondary_coord(frame.epochs.clone(), 0f32..1f32);
    chart
        .configure_mesh()
        .x_desc(opts.x_label.as_str())
        .y_desc(opts.y_label.as_str())
        .label_style(font.clone())
        .axis_desc_style(font.clone())
        .x_labels(TICKS)
        .y_labels(TICKS)
        .y_label_formatter(&|v| loss_tick_label(*v))
        .light_line_style(TRANSPARENT)
        .draw()
        .map_err(backend)?;
    if frame.accuracy {
        chart
            .configure_secondary_axes()
            .y_desc(opts.accuracy_label.as_str())
            .y_labels(TICKS)
            .label_style(font.clone())
            .axis_desc_style(font)
            .draw()
            .map_err(backend)?;
    }
    Ok(())
}

/// Draws the series and legend on a loss axis of type `Y` (linear or log).
fn draw_lines<DB, Y>(
    area: &DrawingArea<DB, Shift>,
    lines: &Lines,
    frame: &ChartFrame,
    opts: &ChartOptions,
    losses: Y,
) -> Result<(), ChartError>
where
    DB: DrawingBackend,
    Y: AsRangedCoord<Value = f32>,
    Y::CoordDescType: Ranged<ValueType = f32> + ValueFormatter<f32>,
{
    let font = ("sans-serif", opts.font_size).into_font();
    let show_accuracy = frame.accuracy;
    let mut chart =
        chart_on(area, frame, opts, losses)?.set_secondary_coord(frame.epochs.clone(), 0f32..1f32);

    // A macro because primary and secondary series are drawn by different methods.
    macro_rules! draw_line {
        ($method:ident, $points:expr, $colour:expr, $label:expr, $series:expr) => {{
            let points: &[Point] = $points;
            let style = RGBColor::from($colour).stroke_width(LINE_WIDTH);
            // A lone point has no segment to draw, so it gets a dot.
            let lone = points.first().filter(|_| points.len() == 1);
            chart
                .$method(lone.map(|&p| Circle::new(p, DOT_RADIUS, style.filled())))
                .map_err(backend)?;
            let drawn = chart
                .$method($series(points.iter().copied(), style))
                .map_err(backend)?;
            if !points.is_empty() {
                drawn.label($label).legend(move |(x, y)| {
                    PathElement::new([(x, y), (x + LEGEND_LINE_PX, y)], style)
                });
            }
        }};
    }
    let dashed = |points, style| DashedLineSeries::new(points, DASH.0, DASH.1, style);
    draw_line!(
        draw_series,
        &lines.train,
        TRAIN_COLOUR,
        "train",
        LineSeries::new
    );
    draw_line!(draw_series, &lines.test, TEST_COLOUR, "test", dashed);
    if show_accuracy {
        draw_line!(
            draw_secondary_series,
            &lines.train_accuracy,
            TRAIN_ACCURACY_COLOUR,
            "train accuracy",
            LineSeries::new
        );
        draw_line!(
            draw_secondary_series,
            &lines.test_accuracy,
            TEST_ACCURACY_COLOUR,
            "test accuracy",
            dashed
        );
    }
    let any_points = !(lines.train.is_empty() && lines.test.is_empty()) || show_accuracy;
    if any_points && opts.legend {
        chart
            .configure_series_labels()
            .label_font(font)
            .background_style(WHITE.mix(0.8))
            .border_style(RGBColor::from(TEST_COLOUR))
            .position(SeriesLabelPosition::UpperRight)
            .draw()
            .map_err(backend)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SIZE: (u32, u32) = (400, 240);

    fn render(series: &LossSeries, opts: &ChartOptions) -> Result<String, ChartError> {
        let mut svg = String::new();
        {
            let area = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
            draw_loss_chart(&area, series, opts)?;
        }
        Ok(svg)
    }

    fn falling(n: u32) -> Vec<Point> {
        (0..n).map(|e| (e, 1.0 / (1.0 + e as f32))).collect()
    }

    #[test]
    fn loss_ticks_read_as_plain_decimals() {
        let cases = [
            (0.0001, "0.0001"),
            (0.001, "0.001"),
            (0.25, "0.25"),
            (0.3, "0.3"),
            (0.1 + 0.2, "0.3"),
            (1.0, "1"),
            (1.5, "1.5"),
            (10.0, "10"),
            (120.0, "120"),
            (0.0, "0"),
        ];
        for (value, want) in cases {
            assert_eq!(loss_tick_label(value), want, "{value}");
        }
    }

    #[test]
    fn empty_series_draw_axes_with_labels() -> Result<(), ChartError> {
        let svg = render(&LossSeries::default(), &ChartOptions::default())?;
        assert!(
            svg.contains(">epoch<") || svg.contains("epoch"),
            "no x label in {svg}"
        );
        assert!(svg.contains("loss"));
        assert!(
            !svg.contains("accuracy"),
            "accuracy axis drawn without data"
        );
        Ok(())
    }

    #[test]
    fn single_point_and_nan_series_render() -> Result<(), ChartError> {
        let one = LossSeries {
            train: vec![(3, 0.4)],
            test: vec![(3, 0.5)],
            ..Default::default()
        };
        let svg = render(&one, &ChartOptions::default())?;
        assert!(svg.contains("train") && svg.contains("test"));
        assert_eq!(svg.matches("<circle").count(), 2, "lone points need dots");
        let nan = LossSeries {
            train: vec![(0, f32::NAN), (1, 0.7), (2, f32::INFINITY), (3, 0.5)],
            test: vec![(0, f32::NAN)],
            ..Default::default()
        };
        let svg = render(&nan, &ChartOptions::default())?;
        assert!(!svg.contains("NaN") && !svg.contains("inf"));
        Ok(())
    }

    #[test]
    fn log_scale_clamps_zero_and_negative_losses() -> Result<(), ChartError> {
        let series = LossSeries {
            train: vec![(0, 1.0), (1, 0.0), (2, -1.0), (3, 1e-3)],
            test: falling(20),
            ..Default::default()
        };
        let opts = ChartOptions {
            log_scale: true,
            ..Default::default()
        };
        let svg = render(&series, &opts)?;
        assert!(svg.contains("epoch") && svg.contains("loss"));
        assert!(!svg.contains("NaN"));
        Ok(())
    }

    #[test]
    fn accuracy_gets_its_own_labelled_axis_and_legend() -> Result<(), ChartError> {
        let series = LossSeries {
            train: falling(50),
            test: falling(50),
            train_accuracy: (0..50).map(|e| (e, e as f32 / 50.0)).collect(),
            test_accuracy: vec![(10, 0.5)],
        };
        let opts = ChartOptions {
            accuracy_label: "acc %".into(),
            ..Default::default()
        };
        let svg = render(&series, &opts)?;
        assert!(svg.contains("acc %"));
        assert!(svg.contains("test accuracy"));
        Ok(())
    }

    #[test]
    fn frames_round_out_and_stay_put_while_training() {
        let mut series = LossSeries {
            train: falling(37),
            test: falling(37),
            ..Default::default()
        };
        let frame = ChartFrame::for_series(&series, false);
        assert_eq!(frame.epochs, 0..40);
        assert_eq!(frame.losses, 0.0..1.2);
        series.train.push((39, 0.01));
        assert_eq!(
            ChartFrame::for_series(&series, false),
            frame,
            "epoch 39 fits"
        );
        series.train.push((41, 0.01));
        assert_eq!(ChartFrame::for_series(&series, false).epochs, 0..50);
        series.train.push((12_345, 0.01));
        assert_eq!(ChartFrame::for_series(&series, false).epochs, 0..15_000);
        let log = ChartFrame::for_series(&series, true);
        assert!(
            log.losses.start <= 0.005 && log.losses.end >= 2.0,
            "{log:?}"
        );
        assert_eq!(log.losses.start.log10().fract(), 0.0);
    }

    #[test]
    fn axes_and_lines_can_be_drawn_as_separate_layers() -> Result<(), ChartError> {
        let series = LossSeries {
            train: falling(30),
            test: falling(30),
            ..Default::default()
        };
        let frame = ChartFrame::for_series(&series, false);
        let opts = ChartOptions::default();
        let mut axes = String::new();
        let mut lines = String::new();
        {
            let area = SVGBackend::with_string(&mut axes, SIZE).into_drawing_area();
            draw_chart_axes(&area, &frame, &opts)?;
            let area = SVGBackend::with_string(&mut lines, SIZE).into_drawing_area();
            draw_chart_lines(
                &area,
                &frame,
                &series,
                &ChartOptions {
                    legend: false,
                    ..opts
                },
            )?;
        }
        // The train line is #333333; axes are black.
        let train = "#333333";
        assert!(axes.contains("epoch") && !axes.contains(train), "{axes}");
        assert!(lines.contains(train) && !lines.contains("epoch"), "{lines}");
        Ok(())
    }

    #[test]
    fn long_series_are_decimated_to_the_area_width() -> Result<(), ChartError> {
        let series = LossSeries {
            train: falling(100_000),
            ..Default::default()
        };
        let svg = render(&series, &ChartOptions::default())?;
        // The longest polyline is the train series; its point count is bounded by the width.
        let points = svg
            .split("<polyline")
            .filter_map(|p| p.split("points=\"").nth(1)?.split('"').next())
            .map(|p| p.split_whitespace().count())
            .max()
            .unwrap_or(0);
        assert!(
            points > 10 && points <= SIZE.0 as usize,
            "polyline has {points} points"
        );
        Ok(())
    }
}
