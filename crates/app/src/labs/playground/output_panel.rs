//! The decision surface of the whole network with the data points on top.

use emberlab_core::{Dataset, Problem};
use emberlab_viz::{
    DEFAULT_DOMAIN_MAX, DEFAULT_DOMAIN_MIN, DivergingScale, NEGATIVE_COLOUR, POSITIVE_COLOUR,
    class_colour,
};
use leptos::html::Canvas;
use leptos::prelude::*;

use crate::drawing::{Fit, GridPainter, PointStyle, draw_points};
use crate::labs::playground::data_editor::DRAG_SPACING;
use crate::labs::playground::runner::use_runner;
use crate::labs::playground::state::Playground;

/// Backing-store side of the points overlay (drawn at half size for sharp points).
const POINTS_CANVAS_PX: u32 = 600;

/// Tick values of the output map's axes (the data's coordinates).
const TICKS: [f32; 7] = [-6.0, -4.0, -2.0, 0.0, 2.0, 4.0, 6.0];

/// Where `value` lies along an axis of the data domain, in percent of its length.
fn axis_percent(value: f32) -> f32 {
    (value - DEFAULT_DOMAIN_MIN) / (DEFAULT_DOMAIN_MAX - DEFAULT_DOMAIN_MIN) * 100.0
}

/// The x axis under the map and the y axis to its right (up is positive y).
#[component]
fn Axes() -> impl IntoView {
    view! {
        <div class="axis axis-x" aria-hidden="true">
            {TICKS.iter().map(|&t| view! {
                <span style:left=format!("{}%", axis_percent(t))>{format!("{t}")}</span>
            }).collect_view()}
        </div>
        <div class="axis axis-y" aria-hidden="true">
            {TICKS.iter().map(|&t| view! {
                <span style:top=format!("{}%", 100.0 - axis_percent(t))>{format!("{t}")}</span>
            }).collect_view()}
        </div>
    }
}

/// What the colours mean: one swatch per class, or the value scale.
#[component]
fn Legend(problem: Signal<Option<Problem>>) -> impl IntoView {
    let gradient = format!(
        "linear-gradient(to right, {}, {}, {})",
        NEGATIVE_COLOUR,
        DivergingScale::PLAYGROUND.colour(0.0),
        POSITIVE_COLOUR
    );
    move || {
        match problem.get() {
        Some(Problem::Multiclass { classes }) => view! {
            <div class="legend classes" data-testid="output-legend">
                {(0..classes).map(|c| view! {
                    <span class="legend-class" data-testid=format!("legend-class-{c}")>
                        <i class="swatch" style:background=class_colour(c).to_string()></i>
                        {format!("class {}", c + 1)}
                    </span>
                }).collect_view()}
            </div>
        }
        .into_any(),
        Some(Problem::Binary) => view! {
            <div class="legend" data-testid="output-legend" title="The colour of the map is the network's prediction: orange for class 0 (−1), blue for class 1 (+1), pale where it is unsure. Points show the true classes.">
                <span>"class 0"</span>
                <div class="legend-bar" style:background=gradient.clone()></div>
                <span>"class 1"</span>
            </div>
        }
        .into_any(),
        _ => view! {
            <div class="legend" data-testid="output-legend" title="The colour of the map is the network's predicted value; points show the true values.">
                <span>"-1"</span>
                <div class="legend-bar" style:background=gradient.clone()></div>
                <span>"1"</span>
            </div>
        }
        .into_any(),
    }
    }
}

/// The output heat-map, its axes and its legend.
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
    // The points change only with the data set, the drawing or the test-point toggle.
    Effect::new(move |_| {
        let Some(canvas) = points_ref.get() else {
            return;
        };
        if let Some(draft) = state.editor.draft.get() {
            let drawn = Dataset {
                train: draft.points,
                test: Vec::new(),
                problem: draft.problem,
            };
            draw_points(&canvas, &drawn, false, PointStyle::OUTPUT);
            return;
        }
        if let Some(dataset) = state.dataset.get() {
            draw_points(&canvas, &dataset, show_test.get(), PointStyle::OUTPUT);
        }
    });
    // Drawing: a click adds (or erases) a point; a drag adds one every DRAG_SPACING.
    let runner = use_runner();
    let last_added = StoredValue::new(None::<(f32, f32)>);
    let plane_at = move |ev: &web_sys::PointerEvent| {
        let canvas = points_ref.get_untracked()?;
        let rect = canvas.get_bounding_client_rect();
        if rect.width() <= 0.0 || rect.height() <= 0.0 {
            return None;
        }
        let fx = ((f64::from(ev.client_x()) - rect.left()) / rect.width()) as f32;
        let fy = ((f64::from(ev.client_y()) - rect.top()) / rect.height()) as f32;
        let span = DEFAULT_DOMAIN_MAX - DEFAULT_DOMAIN_MIN;
        Some((
            (DEFAULT_DOMAIN_MIN + fx * span).clamp(DEFAULT_DOMAIN_MIN, DEFAULT_DOMAIN_MAX),
            (DEFAULT_DOMAIN_MAX - fy * span).clamp(DEFAULT_DOMAIN_MIN, DEFAULT_DOMAIN_MAX),
        ))
    };
    let on_down = move |ev: web_sys::PointerEvent| {
        if !state.editor.on.get_untracked() {
            // Not drawing: the click probes that point (the probe panel follows it).
            if let Some(point) = plane_at(&ev) {
                state.probe.set(Some(point));
            }
            return;
        }
        ev.prevent_default();
        if let Some((x, y)) = plane_at(&ev) {
            last_added.set_value(Some((x, y)));
            state.editor.click(state, runner, x, y);
        }
    };
    let on_move = move |ev: web_sys::PointerEvent| {
        if !state.editor.on.get_untracked()
            || ev.buttons() == 0
            || state.editor.erasing.get_untracked()
        {
            return;
        }
        let (Some((x, y)), Some((lx, ly))) = (plane_at(&ev), last_added.get_value()) else {
            return;
        };
        if (x - lx).hypot(y - ly) >= DRAG_SPACING {
            last_added.set_value(Some((x, y)));
            state.editor.click(state, runner, x, y);
        }
    };
    let problem = Signal::derive(move || state.dataset.with(|d| d.as_ref().map(|d| d.problem)));
    view! {
        <div class="output">
            <div class="output-caption">
                {move || match state.hovered_neuron.get() {
                    Some((l, j)) => format!("Neuron {} of hidden layer {}", j + 1, l + 1),
                    None => "The whole network's output".to_string(),
                }}
            </div>
            <div class="output-plot">
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
                    class:drawing=move || state.editor.on.get()
                    on:pointerdown=on_down
                    on:pointermove=on_move
                    on:pointerup=move |_| last_added.set_value(None)
                    data-testid="output-points"
                    width=POINTS_CANVAS_PX
                    height=POINTS_CANVAS_PX
                    aria-label="The data points; click one to follow it through the network"
                ></canvas>
                {move || state.probe.get().map(|(x, y)| view! {
                    <div class="probe-marker" data-testid="probe-marker"
                         style:left=format!("{}%", axis_percent(x))
                         style:top=format!("{}%", 100.0 - axis_percent(y))></div>
                })}
            </div>
            <Axes />
            </div>
            <Legend problem=problem />
        </div>
    }
}
