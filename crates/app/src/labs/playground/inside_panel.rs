//! Inside training (issue 12): how much gradient reaches each layer, over time, and which
//! hidden units still do something. Computed from the snapshot's weights with the fused
//! engine's own passes (core `inspect`), so every back end shows the same numbers.

use emberlab_core::LayerWeights;
use emberlab_core::inspect::limits::HISTOGRAM_BINS;
use emberlab_core::inspect::{
    UnitActivity, UnitState, WeightHistograms, gradient_norms, histogram, unit_activity,
    weight_histograms,
};
use leptos::html::Canvas;
use leptos::prelude::*;
use web_sys::HtmlCanvasElement;

use crate::drawing::context_2d;
use crate::frame::{Throttle, now_ms};
use crate::labs::playground::runner::use_runner;
use crate::labs::playground::state::Playground;

/// How often the views are recomputed while training (ms): each costs one forward and backward
/// pass over the training points.
const INSPECT_INTERVAL_MS: f64 = 500.0;
/// Samples kept for the gradient-flow chart.
const FLOW_SAMPLES: usize = 120;
/// The chart's size in CSS pixels.
const FLOW_SIZE: (f64, f64) = (320.0, 150.0);
/// Smallest gradient the log scale shows.
const FLOW_FLOOR: f32 = 1e-9;

/// What the views show at one moment.
#[derive(Debug, Clone, PartialEq)]
struct Inside {
    /// Per layer (output last): root mean square of the data loss's gradient on its weights,
    /// over the training points.
    flow: Vec<f32>,
    /// Per hidden layer, per unit: alive, dead or constant over the training points.
    units: Vec<Vec<UnitActivity>>,
    /// Per layer: the weights now, on one shared range.
    histograms: WeightHistograms,
    /// Per layer: where the weights started this run, on the same range.
    started: Vec<Vec<u32>>,
}

/// Height of one layer's histogram row in CSS pixels.
const HISTOGRAM_ROW: f64 = 46.0;
/// Width of the histogram canvas in CSS pixels.
const HISTOGRAM_WIDTH: f64 = 320.0;

/// Draws one row per layer: bars for the weights now, an outline where they started.
fn draw_histograms(canvas: &HtmlCanvasElement, inside: &Inside) {
    let Some(ctx) = context_2d(canvas) else {
        return;
    };
    let layers = inside.histograms.weights.len();
    let (w, h) = (HISTOGRAM_WIDTH, HISTOGRAM_ROW * layers as f64 + 16.0);
    if canvas.height() != h as u32 {
        // Resizing clears the canvas and resets the context's state.
        canvas.set_height(h as u32);
    }
    ctx.clear_rect(0.0, 0.0, w, h);
    let (left, right) = (92.0, w - 6.0);
    ctx.set_font("11px sans-serif");
    for (k, now) in inside.histograms.weights.iter().enumerate() {
        let top = HISTOGRAM_ROW * k as f64 + 4.0;
        let bottom = top + HISTOGRAM_ROW - 10.0;
        let start = inside.started.get(k);
        let most = now
            .iter()
            .chain(start.into_iter().flatten())
            .copied()
            .max()
            .unwrap_or(0)
            .max(1);
        let bins = now.len().max(1);
        let bar = (right - left) / bins as f64;
        let y_of = |c: u32| bottom - (bottom - top) * f64::from(c) / f64::from(most);
        ctx.set_fill_style_str(&layer_colour(k, layers));
        for (b, &c) in now.iter().enumerate() {
            let x = left + bar * b as f64;
            ctx.fill_rect(x + 0.5, y_of(c), bar - 1.0, bottom - y_of(c));
        }
        if let Some(start) = start {
            ctx.set_stroke_style_str("#1f2328");
            ctx.set_line_width(1.0);
            ctx.begin_path();
            ctx.move_to(left, bottom);
            for (b, &c) in start.iter().enumerate() {
                let x = left + bar * b as f64;
                ctx.line_to(x, y_of(c));
                ctx.line_to(x + bar, y_of(c));
            }
            ctx.line_to(right, bottom);
            ctx.stroke();
        }
        ctx.set_fill_style_str("#5b6472");
        let name = layer_name(k, layers);
        let _ = ctx.fill_text(&name, 4.0, (top + bottom) / 2.0 + 4.0);
        ctx.set_stroke_style_str("#c9ced6");
        ctx.begin_path();
        ctx.move_to(left, bottom + 0.5);
        ctx.line_to(right, bottom + 0.5);
        ctx.stroke();
    }
    let (low, high) = inside.histograms.range;
    ctx.set_fill_style_str("#5b6472");
    let _ = ctx.fill_text(&format!("{low}"), left, h - 3.0);
    ctx.set_text_align("center");
    let _ = ctx.fill_text("0", (left + right) / 2.0, h - 3.0);
    ctx.set_text_align("right");
    let _ = ctx.fill_text(&format!("{high}"), right, h - 3.0);
    ctx.set_text_align("left");
}

/// One sample of the gradient flow: the epoch and each layer's value.
type FlowSample = (u64, Vec<f32>);

/// Layer `k` of `layers` (output last) as a learner reads it.
fn layer_name(k: usize, layers: usize) -> String {
    if k + 1 == layers {
        "output layer".into()
    } else {
        format!("hidden layer {}", k + 1)
    }
}

/// A colour per layer: orange near the inputs to dark blue at the output.
fn layer_colour(k: usize, layers: usize) -> String {
    let t = if layers > 1 {
        k as f64 / (layers - 1) as f64
    } else {
        1.0
    };
    format!("hsl({:.0}, 75%, {:.0}%)", 30.0 + 180.0 * t, 48.0 - 14.0 * t)
}

/// A gradient size in short scientific form (`3.1e-4`).
fn short(v: f32) -> String {
    if v == 0.0 {
        "0".into()
    } else {
        format!("{v:.1e}")
    }
}

/// Draws each layer's gradient over the kept samples, on one log scale.
fn draw_flow(canvas: &HtmlCanvasElement, history: &[FlowSample]) {
    let Some(ctx) = context_2d(canvas) else {
        return;
    };
    let (w, h) = FLOW_SIZE;
    ctx.clear_rect(0.0, 0.0, w, h);
    let values = || {
        history
            .iter()
            .flat_map(|(_, f)| f.iter().copied())
            .filter(|v| v.is_finite())
            .map(|v| v.max(FLOW_FLOOR).log10())
    };
    let (low, high) = values().fold((f32::INFINITY, f32::NEG_INFINITY), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    });
    if !low.is_finite() {
        return;
    }
    let (low, high) = (low.floor(), high.ceil().max(low.floor() + 1.0));
    let (left, right, top, bottom) = (44.0, w - 6.0, 8.0, h - 18.0);
    let y_of = |v: f32| {
        let t = (v.max(FLOW_FLOOR).log10() - low) / (high - low);
        bottom - f64::from(t) * (bottom - top)
    };
    let x_of = |i: usize| {
        left + (right - left) * i as f64 / (history.len().saturating_sub(1).max(1)) as f64
    };
    ctx.set_stroke_style_str("#c9ced6");
    ctx.set_fill_style_str("#5b6472");
    ctx.set_font("11px sans-serif");
    ctx.set_line_width(1.0);
    for decade in (low as i32)..=(high as i32) {
        let y = y_of(10f32.powi(decade));
        ctx.begin_path();
        ctx.move_to(left, y);
        ctx.line_to(right, y);
        ctx.stroke();
        let _ = ctx.fill_text(&format!("1e{decade}"), 4.0, y + 4.0);
    }
    if let (Some(first), Some(last)) = (history.first(), history.last()) {
        let _ = ctx.fill_text(&format!("epoch {}", first.0), left, h - 4.0);
        ctx.set_text_align("right");
        let _ = ctx.fill_text(&format!("epoch {}", last.0), right, h - 4.0);
        ctx.set_text_align("left");
    }
    let layers = history.last().map_or(0, |(_, f)| f.len());
    ctx.set_line_width(2.0);
    for k in 0..layers {
        ctx.set_stroke_style_str(&layer_colour(k, layers));
        ctx.begin_path();
        for (i, (_, flow)) in history.iter().enumerate() {
            let y = y_of(flow.get(k).copied().unwrap_or(FLOW_FLOOR));
            if i == 0 {
                ctx.move_to(x_of(i), y);
            } else {
                ctx.line_to(x_of(i), y);
            }
        }
        ctx.stroke();
    }
}

/// Gradient flow and unit health, recomputed from each snapshot (at most twice a second while
/// training).
#[component]
pub fn InsidePanel(state: Playground) -> impl IntoView {
    let latest = RwSignal::new(None::<Inside>);
    let history = RwSignal::new(Vec::<FlowSample>::new());
    let runner = use_runner();
    let throttle = StoredValue::new(Throttle::new(INSPECT_INTERVAL_MS));
    // The first weights seen this run (the histograms' outline).
    let start = StoredValue::new(None::<(u64, Vec<LayerWeights>)>);
    Effect::new(move |_| {
        let snapshot = state.snapshot.get();
        let playing = state.run.playing.get();
        if throttle.try_update_value(|t| t.due(now_ms(), playing)) != Some(true) {
            return;
        }
        let inside = (|| {
            let snapshot = snapshot?;
            let dataset = state.dataset.get_untracked()?;
            let experiment = runner.get().experiment();
            let training = experiment.config().training;
            let flow = gradient_norms(&experiment, &training, &snapshot.layers, &dataset.train)
                .ok()?
                .iter()
                .map(|l| l.weights_rms)
                .collect::<Vec<f32>>();
            let units = unit_activity(&experiment, &snapshot.layers, &dataset.train).ok()?;
            let new_run = start.with_value(|s| {
                s.as_ref()
                    .is_none_or(|(epoch, layers)| !snapshot.continues(*epoch, layers))
            });
            if new_run {
                start.set_value(Some((snapshot.epoch, snapshot.layers.clone())));
            }
            let histograms = weight_histograms(&snapshot.layers, HISTOGRAM_BINS);
            let started = start.with_value(|s| {
                s.as_ref().map_or_else(Vec::new, |(_, layers)| {
                    layers
                        .iter()
                        .map(|l| histogram(&l.weights, HISTOGRAM_BINS, histograms.range))
                        .collect()
                })
            });
            Some((
                snapshot.epoch,
                Inside {
                    flow,
                    units,
                    histograms,
                    started,
                },
            ))
        })();
        match inside {
            Some((epoch, inside)) => {
                history.update(|h| {
                    // New layers start again; when the epoch goes back (a reset, "restore
                    // best weights") the samples after it go.
                    if h.last().is_some_and(|(_, f)| f.len() != inside.flow.len()) {
                        h.clear();
                    }
                    h.retain(|(e, _)| *e <= epoch);
                    match h.last_mut() {
                        Some(last) if last.0 == epoch => last.1.clone_from(&inside.flow),
                        _ => h.push((epoch, inside.flow.clone())),
                    }
                    if h.len() > FLOW_SAMPLES {
                        h.remove(0);
                    }
                });
                latest.set(Some(inside));
            }
            None => {
                history.set(Vec::new());
                latest.set(None);
            }
        }
    });
    let canvas: NodeRef<Canvas> = NodeRef::new();
    Effect::new(move |_| {
        if let Some(c) = canvas.get() {
            history.with(|h| draw_flow(&c, h));
        }
    });
    let histogram_canvas: NodeRef<Canvas> = NodeRef::new();
    Effect::new(move |_| {
        if let Some(c) = histogram_canvas.get() {
            latest.with(|l| {
                if let Some(l) = l {
                    draw_histograms(&c, l);
                }
            });
        }
    });
    let histogram_layers =
        move || latest.with(|l| l.as_ref().map_or(0, |l| l.histograms.weights.len()));
    let flow_summary = move || {
        latest.with(|l| {
            let Some(l) = l else {
                return "No gradients yet: press Play or Step.".to_string();
            };
            match (l.flow.first(), l.flow.last()) {
                (Some(&first), Some(&last)) if l.flow.len() > 1 && last > 0.0 => {
                    let ratio = first / last;
                    format!(
                        "The first layer gets {} the output layer's gradient.",
                        if ratio >= 1.0 {
                            format!("{ratio:.1}×")
                        } else if ratio >= 0.01 {
                            format!("{:.0}% of", 100.0 * ratio)
                        } else {
                            format!("{ratio:.0e} of")
                        }
                    )
                }
                _ => String::new(),
            }
        })
    };
    let layers = move || latest.with(|l| l.as_ref().map_or(0, |l| l.flow.len()));
    view! {
        <div class="inside">
            <div class="gradient-flow" data-testid="gradient-flow" data-layers=move || layers().to_string()>
                <h3>"Gradient flow"</h3>
                <p class="explain">"How big the gradient is on each layer's weights (root mean square over the training points, log scale). Backpropagation carries it from the output back towards the inputs."</p>
                <canvas
                    node_ref=canvas
                    class="flow-chart"
                    width=FLOW_SIZE.0
                    height=FLOW_SIZE.1
                    role="img"
                    aria-label=move || format!("Gradient size per layer over training. {}", flow_summary())
                ></canvas>
                <ul class="flow-layers">
                    {move || latest.with(|l| l.as_ref().map(|l| {
                        let n = l.flow.len();
                        l.flow.iter().enumerate().map(|(k, &v)| view! {
                            <li>
                                <i class="swatch" style:background=layer_colour(k, n)></i>
                                {layer_name(k, n)} ": "
                                <span data-testid=format!("flow-layer-{k}") data-value=v.to_string()>{short(v)}</span>
                            </li>
                        }).collect_view()
                    }))}
                </ul>
                <p class="flow-summary">{flow_summary}</p>
                <details class="why">
                    <summary>"What to look for"</summary>
                    <p>"Each layer's gradient is the output's gradient multiplied back through the layers after it. Sigmoids multiply it by at most 0.25 per layer, so in a deep sigmoid network the first layers' lines sink far below the output's: they barely learn (vanishing gradients). Too high a learning rate makes the lines jump up instead (exploding). ReLU and tanh keep them closer together."</p>
                </details>
            </div>
            <div class="dead-units" data-testid="dead-units">
                <h3>"Units that still work"</h3>
                <p class="explain">"Each square is a hidden unit, judged over the training points."</p>
                <table>
                    {move || latest.with(|l| l.as_ref().map(|l| l.units.iter().enumerate().map(|(k, layer)| {
                        let count = |s: UnitState| layer.iter().filter(|u| u.state == s).count();
                        let (dead, constant) = (count(UnitState::Dead), count(UnitState::Constant));
                        view! {
                            <tr data-testid=format!("units-layer-{k}") data-dead=dead.to_string() data-constant=constant.to_string() data-units=layer.len().to_string()>
                                <th scope="row">{format!("layer {}", k + 1)}</th>
                                <td class="unit-squares">
                                    {layer.iter().enumerate().map(|(j, u)| view! {
                                        <i class=format!("unit {}", match u.state { UnitState::Alive => "alive", UnitState::Dead => "dead", UnitState::Constant => "constant" })
                                           title=format!("unit {}: {} (output {:.2} to {:.2}, above 0 for {:.0}% of points)", j + 1, u.state.name(), u.min, u.max, 100.0 * u.positive_share)></i>
                                    }).collect_view()}
                                </td>
                                <td>{match (dead, constant) {
                                    (0, 0) => "all working".to_string(),
                                    (d, 0) => format!("{d} dead"),
                                    (0, c) => format!("{c} constant"),
                                    (d, c) => format!("{d} dead, {c} constant"),
                                }}</td>
                            </tr>
                        }
                    }).collect_view()))}
                </table>
                <p class="legend-line"><i class="unit alive"></i>" works "<i class="unit dead"></i>" dead ReLU (0 for every point: no gradient reaches it) "<i class="unit constant"></i>" constant (tells the next layer nothing)"</p>
            </div>
            <div class="weight-histograms" data-testid="weight-histograms"
                 data-layers=move || histogram_layers().to_string()
                 data-counts=move || latest.with(|l| l.as_ref().map_or(String::new(), |l| l.histograms.weights.iter().map(|h| h.iter().sum::<u32>().to_string()).collect::<Vec<_>>().join(",")))
                 data-range=move || latest.with(|l| l.as_ref().map_or(String::new(), |l| l.histograms.range.1.to_string()))>
                <h3>"Weights per layer"</h3>
                <p class="explain">"How many weights of each layer have each value: coloured bars now, the black outline where they started this run."</p>
                <canvas
                    node_ref=histogram_canvas
                    class="histogram-canvas"
                    width=HISTOGRAM_WIDTH
                    height="16"
                    style:height=move || format!("{}px", HISTOGRAM_ROW * histogram_layers() as f64 + 16.0)
                    role="img"
                    aria-label="Histograms of each layer's weights now and at the start of the run"
                ></canvas>
                <details class="why">
                    <summary>"What to look for"</summary>
                    <p>"Training spreads the weights out from where initialisation put them. L2 regularisation pulls them back towards 0; L1 piles many exactly at 0. Weights that grow without end (the bars running to the edges) often mean too high a learning rate or a network memorising its points."</p>
                </details>
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layers_are_named_from_the_inputs_to_the_output() {
        assert_eq!(layer_name(0, 3), "hidden layer 1");
        assert_eq!(layer_name(2, 3), "output layer");
        assert_ne!(layer_colour(0, 3), layer_colour(2, 3));
        assert_eq!(short(0.00031), "3.1e-4");
        assert_eq!(short(0.0), "0");
    }
}
