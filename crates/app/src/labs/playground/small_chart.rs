//! A small line chart on a 2-D canvas, shared by the comparison views (run B, the optimiser
//! race, the learning curve): a few coloured series over one x axis, linear or log y.

use web_sys::HtmlCanvasElement;

use crate::drawing::context_2d;

/// One line of the chart.
pub struct Line<'a> {
    /// CSS colour.
    pub colour: &'a str,
    /// Dashed (a second run, or the training loss beside the test loss).
    pub dashed: bool,
    /// Points (x, y) in drawing order; non-finite values leave a gap.
    pub points: &'a [(f64, f64)],
    /// Whether each point gets a dot (few points, e.g. a learning curve).
    pub dots: bool,
}

/// What the axes show.
pub struct Axes<'a> {
    /// The chart's size in CSS pixels.
    pub size: (f64, f64),
    /// Name of the x axis ("epoch", "training points").
    pub x_name: &'a str,
    /// Log scale on y (losses that fall by decades).
    pub log_y: bool,
}

/// Every `k`-th item so that at most `max` remain, always keeping the last: a long history
/// drawn on a chart a few hundred pixels wide.
pub fn thinned<T: Copy>(items: &[T], max: usize) -> Vec<T> {
    if items.len() <= max {
        return items.to_vec();
    }
    let stride = items.len().div_ceil(max);
    let mut out: Vec<T> = items.iter().step_by(stride).copied().collect();
    if !(items.len() - 1).is_multiple_of(stride)
        && let Some(&last) = items.last()
    {
        out.push(last);
    }
    out
}

/// Smallest value a log axis shows.
const LOG_FLOOR: f64 = 1e-6;

/// The (x min, x max, y min, y max) over every finite point, with y as drawn (log10 on a log
/// axis); `None` without a finite point. A flat range is widened so it can be drawn.
pub fn extent(lines: &[Line<'_>], log_y: bool) -> Option<(f64, f64, f64, f64)> {
    let y_of = |y: f64| if log_y { y.max(LOG_FLOOR).log10() } else { y };
    let mut e: Option<(f64, f64, f64, f64)> = None;
    for &(x, y) in lines.iter().flat_map(|l| l.points.iter()) {
        if !(x.is_finite() && y.is_finite()) {
            continue;
        }
        let y = y_of(y);
        e = Some(match e {
            None => (x, x, y, y),
            Some((a, b, c, d)) => (a.min(x), b.max(x), c.min(y), d.max(y)),
        });
    }
    e.map(|(x0, x1, y0, y1)| {
        let (x0, x1) = if x1 > x0 {
            (x0, x1)
        } else {
            (x0 - 1.0, x0 + 1.0)
        };
        let (y0, y1) = if y1 > y0 {
            (y0, y1)
        } else {
            (y0 - 0.5, y0 + 0.5)
        };
        // Linear losses start at 0 when they are all positive: gaps then read fairly.
        let y0 = if !log_y && y0 > 0.0 { 0.0 } else { y0 };
        (x0, x1, y0, y1)
    })
}

/// A tick label for a y value as drawn.
fn y_label(v: f64, log_y: bool) -> String {
    let value = if log_y { 10f64.powf(v) } else { v };
    if value == 0.0 {
        "0".into()
    } else if value.abs() >= 0.01 && value.abs() < 1000.0 {
        format!("{value:.2}")
    } else {
        format!("{value:.0e}")
    }
}

/// Draws `lines` on `canvas` with light axes.
pub fn draw_lines(canvas: &HtmlCanvasElement, axes: &Axes<'_>, lines: &[Line<'_>]) {
    let Some(ctx) = context_2d(canvas) else {
        return;
    };
    let (w, h) = axes.size;
    ctx.clear_rect(0.0, 0.0, w, h);
    let Some((x0, x1, y0, y1)) = extent(lines, axes.log_y) else {
        return;
    };
    let (left, right, top, bottom) = (44.0, w - 8.0, 8.0, h - 20.0);
    let px = |x: f64| left + (right - left) * (x - x0) / (x1 - x0);
    let py = |y: f64| {
        let y = if axes.log_y {
            y.max(LOG_FLOOR).log10()
        } else {
            y
        };
        bottom - (bottom - top) * (y - y0) / (y1 - y0)
    };
    ctx.set_stroke_style_str("#c9ced6");
    ctx.set_fill_style_str("#5b6472");
    ctx.set_font("11px sans-serif");
    ctx.set_line_width(1.0);
    for k in 0..=2 {
        let v = y0 + (y1 - y0) * f64::from(k) / 2.0;
        let y = bottom - (bottom - top) * f64::from(k) / 2.0;
        ctx.begin_path();
        ctx.move_to(left, y);
        ctx.line_to(right, y);
        ctx.stroke();
        let _ = ctx.fill_text(&y_label(v, axes.log_y), 2.0, y + 4.0);
    }
    let _ = ctx.fill_text(
        &format!("{} {}", axes.x_name, round_label(x0)),
        left,
        h - 4.0,
    );
    ctx.set_text_align("right");
    let _ = ctx.fill_text(&round_label(x1), right, h - 4.0);
    ctx.set_text_align("left");
    ctx.set_line_width(2.0);
    for line in lines {
        ctx.set_stroke_style_str(line.colour);
        let dash = if line.dashed {
            js_sys::Array::of2(&5.0.into(), &3.0.into())
        } else {
            js_sys::Array::new()
        };
        let _ = ctx.set_line_dash(&dash);
        ctx.begin_path();
        let mut pen_down = false;
        for &(x, y) in line.points {
            if !(x.is_finite() && y.is_finite()) {
                pen_down = false;
                continue;
            }
            if pen_down {
                ctx.line_to(px(x), py(y));
            } else {
                ctx.move_to(px(x), py(y));
                pen_down = true;
            }
        }
        ctx.stroke();
        if line.dots {
            ctx.set_fill_style_str(line.colour);
            for &(x, y) in line
                .points
                .iter()
                .filter(|p| p.0.is_finite() && p.1.is_finite())
            {
                ctx.begin_path();
                let _ = ctx.arc(px(x), py(y), 3.0, 0.0, std::f64::consts::TAU);
                ctx.fill();
            }
        }
    }
    let _ = ctx.set_line_dash(&js_sys::Array::new());
}

/// An axis end as a short number.
fn round_label(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.2}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thinning_keeps_the_ends() {
        let items: Vec<u32> = (0..1001).collect();
        let kept = thinned(&items, 300);
        assert!(kept.len() <= 301, "{}", kept.len());
        assert_eq!(kept.first(), Some(&0));
        assert_eq!(kept.last(), Some(&1000));
        assert_eq!(thinned(&items[..10], 300).len(), 10);
        let even: Vec<u32> = (0..1000).collect();
        assert_eq!(thinned(&even, 300).last(), Some(&999));
    }

    fn line(points: &[(f64, f64)]) -> Line<'_> {
        Line {
            colour: "#000",
            dashed: false,
            points,
            dots: false,
        }
    }

    #[test]
    fn the_extent_covers_every_finite_point() {
        let a = [(0.0, 0.5), (10.0, 0.2), (20.0, f64::NAN)];
        let b = [(5.0, 0.9)];
        assert_eq!(
            extent(&[line(&a), line(&b)], false),
            Some((0.0, 10.0, 0.0, 0.9))
        );
        let (_, _, lo, hi) = extent(&[line(&a)], true).unwrap_or_default();
        assert!((lo - 0.2f64.log10()).abs() < 1e-12 && (hi - 0.5f64.log10()).abs() < 1e-12);
        assert_eq!(extent(&[line(&[(f64::NAN, 1.0)])], false), None);
        // One point still gives a drawable range.
        let (x0, x1, y0, y1) = extent(&[line(&[(3.0, 2.0)])], true).unwrap_or_default();
        assert!(x1 > x0 && y1 > y0);
    }

    #[test]
    fn labels_are_short() {
        assert_eq!(y_label(0.25, false), "0.25");
        assert_eq!(y_label(-3.0, true), "1e-3");
        assert_eq!(round_label(300.0), "300");
    }
}
