//! Train and test loss curves, drawn with plotters on a canvas.

use emberlab_viz::{
    ChartFrame, ChartOptions, TEST_ACCURACY_COLOUR, TEST_COLOUR, TRAIN_ACCURACY_COLOUR,
    TRAIN_COLOUR, draw_chart_axes, draw_chart_lines,
};
use leptos::html::Canvas;
use leptos::prelude::*;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use web_sys::HtmlCanvasElement;

use emberlab_viz::LossSeries;

/// Points per series drawn (decimated, spikes kept).
const CHART_POINTS: usize = 60;

/// A plotters drawing area on `canvas`, whose context is made CPU-backed first.
fn area_on(canvas: HtmlCanvasElement) -> Option<DrawingArea<CanvasBackend, Shift>> {
    // Fix the context kind before plotters asks for a plain one.
    let _ = crate::drawing::context_2d(&canvas);
    CanvasBackend::with_canvas_object(canvas).map(IntoDrawingArea::into_drawing_area)
}

/// The loss chart with its log-scale toggle.
///
/// Two stacked canvases: the axes (text is the costly part) are redrawn only when the rounded
/// axis ranges change; the lines are redrawn on every update.
#[component]
pub fn LossChart(history: RwSignal<LossSeries>, log_scale: RwSignal<bool>) -> impl IntoView {
    let axes_ref: NodeRef<Canvas> = NodeRef::new();
    let lines_ref: NodeRef<Canvas> = NodeRef::new();
    let drawn_frame = StoredValue::new_local(None::<ChartFrame>);
    Effect::new(move |_| {
        let _frame = crate::timing::Span::new("draw chart");
        let log_scale = log_scale.get();
        history.with(|series| {
            let (Some(axes), Some(lines)) = (axes_ref.get(), lines_ref.get()) else {
                return;
            };
            let options = ChartOptions {
                log_scale,
                legend: false,
                // Each segment is its own canvas stroke in plotters: keep the count small.
                max_points: Some(CHART_POINTS),
                ..ChartOptions::default()
            };
            let frame = ChartFrame::for_series(series, log_scale);
            if drawn_frame.with_value(|d| d.as_ref() != Some(&frame))
                && let Some(area) = area_on(axes)
                && draw_chart_axes(&area, &frame, &options).is_ok()
            {
                let _ = area.present();
                drawn_frame.set_value(Some(frame.clone()));
            }
            if let Some(ctx) = crate::drawing::context_2d(&lines) {
                ctx.clear_rect(
                    0.0,
                    0.0,
                    f64::from(lines.width()),
                    f64::from(lines.height()),
                );
            }
            let lines_options = ChartOptions {
                background: None,
                ..options
            };
            if let Some(area) = area_on(lines)
                && draw_chart_lines(&area, &frame, series, &lines_options).is_ok()
            {
                let _ = area.present();
            }
        });
    });
    let has_accuracy = move || history.with(|h| h.has_accuracy());
    // The chart in words, for screen readers.
    let summary = move || {
        history.with(|h| match (h.train.last(), h.test.last()) {
            (Some(&(epoch, train)), test) => format!(
                "Loss chart: train loss {train:.3}{} at epoch {epoch}",
                test.map_or(String::new(), |&(_, t)| format!(", test loss {t:.3}"))
            ),
            (None, _) => "Loss chart: no training yet".to_string(),
        })
    };
    let key = |colour: emberlab_viz::Rgb, dashed: bool, label: &'static str| {
        let style = format!(
            "border-top: 2px {} {colour}",
            if dashed { "dashed" } else { "solid" }
        );
        view! { <span class="key"><span class="swatch" style=style></span>{label}</span> }
    };
    view! {
        <div class="loss-chart">
            <div
                class="chart-canvas"
                data-testid="loss-chart"
                data-points=move || history.with(|h| h.train.len())
                role="img"
                aria-label=summary
            >
                <canvas node_ref=axes_ref width="320" height="150"></canvas>
                <canvas node_ref=lines_ref width="320" height="150" class="chart-lines"></canvas>
            </div>
            <div class="chart-legend">
                {key(TRAIN_COLOUR, false, "train loss")}
                {key(TEST_COLOUR, true, "test loss")}
                <Show when=has_accuracy>
                    {key(TRAIN_ACCURACY_COLOUR, false, "train accuracy")}
                    {key(TEST_ACCURACY_COLOUR, true, "test accuracy")}
                </Show>
            </div>
            <label class="toggle" title=crate::help::LOG_SCALE.title()>
                <input
                    type="checkbox"
                    data-testid="log-scale"
                    prop:checked=move || log_scale.get()
                    on:change=move |ev| log_scale.set(event_target_checked(&ev))
                />
                " log scale"
            </label>
        </div>
    }
}
