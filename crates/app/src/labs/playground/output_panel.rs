//! The decision surface of the whole network with the data points on top.

use emberlab_viz::{DivergingScale, NEGATIVE_COLOUR, POSITIVE_COLOUR};
use leptos::html::Canvas;
use leptos::prelude::*;

use crate::drawing::{Fit, GridPainter, draw_points};
use crate::labs::playground::state::Playground;

/// Backing-store side of the points overlay (drawn at half size for sharp points).
const POINTS_CANVAS_PX: u32 = 600;

/// The output heat-map and its legend.
#[component]
pub fn OutputPanel(state: Playground) -> impl IntoView {
    let surface_ref: NodeRef<Canvas> = NodeRef::new();
    let points_ref: NodeRef<Canvas> = NodeRef::new();
    let painter = StoredValue::new_local(GridPainter::new());
    let (show_test, discrete) = (state.show_test, state.discretize);
    // The surface changes every frame: one putImageData of the grid, scaled by CSS.
    Effect::new(move |_| {
        let _frame = crate::timing::Span::new("draw output");
        let Some(canvas) = surface_ref.get() else {
            return;
        };
        let snapshot = state.snapshot.get();
        let discrete = discrete.get();
        let hovered = state.hovered_neuron.get();
        let problem = state.dataset.with(|d| d.as_ref().map(|d| d.problem));
        match (snapshot, problem) {
            (Some(snapshot), Some(problem)) => painter.update_value(|p| {
                let neuron = hovered.and_then(|(l, j)| snapshot.neuron_grid(l, j));
                match neuron {
                    // A hovered neuron is shown large instead of the output.
                    Some(grid) => p.put_values(&canvas, grid, snapshot.grid_size),
                    None => p.draw_output(
                        &canvas,
                        &snapshot,
                        problem,
                        Fit {
                            discrete,
                            scaled: false,
                        },
                    ),
                }
            }),
            _ => {
                if let Some(ctx) = crate::drawing::context_2d(&canvas) {
                    ctx.set_fill_style_str(&DivergingScale::PLAYGROUND.colour(0.0).to_string());
                    ctx.fill_rect(
                        0.0,
                        0.0,
                        f64::from(canvas.width()),
                        f64::from(canvas.height()),
                    );
                }
            }
        }
        if state.snapshot.with_untracked(Option::is_some) {
            crate::timing::mark_first_frame();
        }
    });
    // The points change only with the data set or the test-point toggle.
    Effect::new(move |_| {
        let (Some(canvas), Some(dataset)) = (points_ref.get(), state.dataset.get()) else {
            return;
        };
        draw_points(&canvas, &dataset, show_test.get());
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
            <div class="output-canvas" data-testid="output-canvas">
                <canvas
                    node_ref=surface_ref
                    class="surface"
                    data-testid="output-surface"
                    width="1"
                    height="1"
                    aria-label="Decision surface of the network"
                ></canvas>
                <canvas
                    node_ref=points_ref
                    class="points"
                    data-testid="output-points"
                    width=POINTS_CANVAS_PX
                    height=POINTS_CANVAS_PX
                    aria-label="The data points"
                ></canvas>
            </div>
            <div class="legend">
                <span>"-1"</span>
                <div class="legend-bar" style:background=legend></div>
                <span>"1"</span>
            </div>
        </div>
    }
}
