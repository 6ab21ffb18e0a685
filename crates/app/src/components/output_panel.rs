//! The decision surface of the whole network with the data points on top.

use emberlab_viz::{DivergingScale, NEGATIVE_COLOUR, POSITIVE_COLOUR};
use leptos::html::Canvas;
use leptos::prelude::*;

use crate::drawing::{GridPainter, draw_points};
use crate::state::Playground;

/// Backing-store side of the output canvas (drawn at half size for sharp points).
const OUTPUT_CANVAS_PX: u32 = 600;

/// The output heat-map and its legend.
#[component]
pub fn OutputPanel(state: Playground) -> impl IntoView {
    let canvas_ref: NodeRef<Canvas> = NodeRef::new();
    let painter = StoredValue::new_local(GridPainter::new());
    let (show_test, discrete) = (state.show_test, state.discretize);
    Effect::new(move |_| {
        let _frame = crate::timing::Span::new("draw output");
        let (Some(canvas), Some(dataset)) = (canvas_ref.get(), state.dataset.get()) else {
            return;
        };
        let snapshot = state.snapshot.get();
        let (show_test, discrete) = (show_test.get(), discrete.get());
        let hovered = state.hovered_neuron.get();
        match snapshot {
            Some(snapshot) => painter.update_value(|p| {
                let neuron = hovered.and_then(|(l, j)| snapshot.neuron_grid(l, j));
                match neuron {
                    // A hovered neuron is shown large instead of the output.
                    Some(grid) => p.draw_values(&canvas, grid, snapshot.grid_size),
                    None => p.draw_output(&canvas, &snapshot, dataset.problem, discrete),
                }
            }),
            None => {
                if let Some(ctx) = crate::drawing::context_2d(&canvas) {
                    ctx.set_fill_style_str(&DivergingScale::PLAYGROUND.colour(0.0).to_string());
                    ctx.fill_rect(
                        0.0,
                        0.0,
                        f64::from(OUTPUT_CANVAS_PX),
                        f64::from(OUTPUT_CANVAS_PX),
                    );
                }
            }
        }
        draw_points(&canvas, &dataset, show_test);
        if state.snapshot.with_untracked(Option::is_some) {
            crate::timing::mark_first_frame();
        }
    });
    let legend = format!(
        "linear-gradient(to right, {}, {}, {})",
        NEGATIVE_COLOUR,
        DivergingScale::PLAYGROUND.colour(0.0),
        POSITIVE_COLOUR
    );
    view! {
        <div class="output">
            <div class="output-caption">
                {move || match state.hovered_neuron.get() {
                    Some((l, j)) => format!("Neuron {} of hidden layer {}", j + 1, l + 1),
                    None => "The whole network's output".to_string(),
                }}
            </div>
            <canvas
                node_ref=canvas_ref
                class="output-canvas"
                data-testid="output-canvas"
                width=OUTPUT_CANVAS_PX
                height=OUTPUT_CANVAS_PX
                aria-label="Decision surface of the network with the data points"
            ></canvas>
            <div class="legend">
                <span>"-1"</span>
                <div class="legend-bar" style:background=legend></div>
                <span>"1"</span>
            </div>
        </div>
    }
}
