//! Train and test loss curves, drawn with plotters on a canvas.

use emberlab_viz::{
    ChartOptions, TEST_ACCURACY_COLOUR, TEST_COLOUR, TRAIN_ACCURACY_COLOUR, TRAIN_COLOUR,
    draw_loss_chart,
};
use leptos::html::Canvas;
use leptos::prelude::*;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;

use crate::state::Playground;

/// Points per series drawn (decimated, spikes kept).
const CHART_POINTS: usize = 60;

/// The loss chart with its log-scale toggle.
#[component]
pub fn LossChart(state: Playground) -> impl IntoView {
    let canvas_ref: NodeRef<Canvas> = NodeRef::new();
    Effect::new(move |_| {
        let _frame = crate::timing::Span::new("draw chart");
        let log_scale = state.log_scale.get();
        state.history.with(|series| {
            let Some(canvas) = canvas_ref.get() else {
                return;
            };
            // Fix the context kind before plotters asks for a plain one.
            let _ = crate::drawing::context_2d(&canvas);
            let Some(backend) = CanvasBackend::with_canvas_object(canvas) else {
                return;
            };
            let area = backend.into_drawing_area();
            let options = ChartOptions {
                log_scale,
                legend: false,
                // Each segment is its own canvas stroke in plotters: keep the count small.
                max_points: Some(CHART_POINTS),
                ..ChartOptions::default()
            };
            if draw_loss_chart(&area, series, &options).is_ok() {
                let _ = area.present();
            }
        });
    });
    let has_accuracy = move || state.history.with(|h| h.has_accuracy());
    let key = |colour: emberlab_viz::Rgb, dashed: bool, label: &'static str| {
        let style = format!(
            "border-top: 2px {} {colour}",
            if dashed { "dashed" } else { "solid" }
        );
        view! { <span class="key"><span class="swatch" style=style></span>{label}</span> }
    };
    view! {
        <div class="loss-chart">
            <canvas node_ref=canvas_ref width="320" height="150" data-testid="loss-chart"></canvas>
            <div class="chart-legend">
                {key(TRAIN_COLOUR, false, "train loss")}
                {key(TEST_COLOUR, true, "test loss")}
                <Show when=has_accuracy>
                    {key(TRAIN_ACCURACY_COLOUR, false, "train accuracy")}
                    {key(TEST_ACCURACY_COLOUR, true, "test accuracy")}
                </Show>
            </div>
            <label class="toggle">
                <input
                    type="checkbox"
                    prop:checked=move || state.log_scale.get()
                    on:change=move |ev| state.log_scale.set(event_target_checked(&ev))
                />
                " log scale"
            </label>
        </div>
    }
}
