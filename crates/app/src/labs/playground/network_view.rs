//! The network: features, hidden layers and output as columns of live heat-map thumbnails,
//! linked by weights (width = magnitude, colour = sign). Hover for values, click to edit.

use std::collections::BTreeMap;

use emberlab_core::grid::feature_grid;
use emberlab_core::limits::{MAX_HIDDEN_LAYERS, MAX_NEURONS, MIN_NEURONS};
use emberlab_core::{Activation, Feature, LayerSpec, Snapshot};
use emberlab_viz::link_style;
use leptos::html::{Canvas, Div};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::HtmlCanvasElement;

use emberlab_core::playground_state::Control;

use crate::drawing::{Fit, GridPainter, context_2d};
use crate::help;
use crate::labs::playground::runner::plan::{NetworkParts, network_parts};
use crate::labs::playground::runner::{Runner, use_runner};
use crate::labs::playground::state::Playground;
use crate::labs::playground::weight_editor::{WeightEdit, WeightEditor};

/// Side of a neuron thumbnail (CSS px).
const NODE: f64 = 44.0;
/// Horizontal distance between columns.
const COLUMN: f64 = 124.0;
/// Vertical distance between neurons.
const ROW: f64 = 54.0;
/// Room above the first neuron for the layer headers.
const TOP: f64 = 84.0;
/// Left padding (room for feature labels) and right padding.
const PAD: f64 = 64.0;
/// Grid side of the feature thumbnails.
const FEATURE_GRID: usize = 24;
/// Pointer distance (px) within which a link counts as hovered.
const LINK_HIT_PX: f64 = 4.0;
/// Dropout choices offered per layer.
const DROPOUTS: [f32; 6] = [0.0, 0.1, 0.2, 0.3, 0.4, 0.5];

/// Centre of node `row` in column `col`.
fn centre(col: usize, row: usize) -> (f64, f64) {
    (
        PAD + col as f64 * COLUMN + NODE / 2.0,
        TOP + row as f64 * ROW + NODE / 2.0,
    )
}

/// A link between two nodes, with where its weight lives.
#[derive(Clone, Copy)]
struct Link {
    from: (f64, f64),
    to: (f64, f64),
    layer: usize,
    input: usize,
    neuron: usize,
    weight: f32,
}

/// Links of the snapshot's network; inputs of layer 0 sit on the rows of enabled features.
fn links(snapshot: &Snapshot, feature_rows: &[usize]) -> Vec<Link> {
    let mut out = Vec::new();
    for (l, layer) in snapshot.layers.iter().enumerate() {
        for i in 0..layer.inputs {
            let from_row = if l == 0 {
                feature_rows.get(i).copied().unwrap_or(i)
            } else {
                i
            };
            for j in 0..layer.outputs {
                out.push(Link {
                    from: centre(l, from_row),
                    to: centre(l + 1, j),
                    layer: l,
                    input: i,
                    neuron: j,
                    weight: layer.weights[i * layer.outputs + j],
                });
            }
        }
    }
    out
}

fn distance_to_segment(p: (f64, f64), a: (f64, f64), b: (f64, f64)) -> f64 {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let len2 = dx * dx + dy * dy;
    let t = if len2 == 0.0 {
        0.0
    } else {
        (((p.0 - a.0) * dx + (p.1 - a.1) * dy) / len2).clamp(0.0, 1.0)
    };
    let (x, y) = (a.0 + t * dx, a.1 + t * dy);
    ((p.0 - x).powi(2) + (p.1 - y).powi(2)).sqrt()
}

/// Width steps links are rounded to, so all links of one (sign, width) share one path.
const LINK_WIDTH_STEPS: f32 = 2.0;
/// Links are drawn thinner than viz's scale: dense layers otherwise turn into a solid band.
const LINK_WIDTH_FACTOR: f32 = 0.5;

/// How a link is drawn, rounded: its colour and width step. Links with the same key share
/// one stroke, and a frame whose keys equal the last frame's skips the redraw.
type LinkKey = ([u8; 3], i32, u8);

/// Everything the links canvas's pixels depend on.
#[derive(Default, PartialEq)]
struct LinksDrawn {
    size: (u32, u32),
    rows: Vec<usize>,
    shapes: Vec<(usize, usize)>,
    keys: Vec<LinkKey>,
}

fn link_keys(links: &[Link]) -> Vec<LinkKey> {
    let max_abs = links.iter().map(|l| l.weight.abs()).fold(0.0f32, f32::max);
    links
        .iter()
        .map(|link| {
            let style = link_style(link.weight, max_abs);
            let width = (style.width_px * LINK_WIDTH_FACTOR * LINK_WIDTH_STEPS).round() as i32;
            let opacity = (style.opacity * 255.0).round() as u8;
            (style.colour.0, width, opacity)
        })
        .collect()
}

/// Links in one stroked path. A software rasteriser (headless Chromium, machines without GPU
/// canvas) fills one path of a thousand crossing lines far slower than many small ones: the
/// 8 × 16 network's links took ~90 ms a frame as one path per style.
const LINKS_PER_STROKE: usize = 8;

/// Links stroked together: same colour and width step.
type GroupKey = ([u8; 3], i32);

/// One stroke's links, with its opacity.
struct LinkGroup<'a> {
    opacity: u8,
    members: Vec<&'a Link>,
}

/// Draws `links` (in the view's unscaled coordinates) on a canvas whose pixels are `pixels`
/// view units each.
fn draw_links(canvas: &HtmlCanvasElement, links: &[Link], keys: &[LinkKey], pixels: f64) {
    let Some(ctx) = context_2d(canvas) else {
        return;
    };
    let _ = ctx.set_transform(1.0, 0.0, 0.0, 1.0, 0.0, 0.0);
    ctx.clear_rect(
        0.0,
        0.0,
        f64::from(canvas.width()),
        f64::from(canvas.height()),
    );
    let _ = ctx.set_transform(pixels, 0.0, 0.0, pixels, 0.0, 0.0);
    // Group links by rounded style: few style changes per frame, and short paths (see
    // [`LINKS_PER_STROKE`]). The group's opacity is its first link's (width and opacity grow
    // together).
    let mut groups: BTreeMap<GroupKey, LinkGroup> = BTreeMap::new();
    for (link, &(colour, width, opacity)) in links.iter().zip(keys) {
        groups
            .entry((colour, width))
            .or_insert_with(|| LinkGroup {
                opacity,
                members: Vec::new(),
            })
            .members
            .push(link);
    }
    for ((colour, width_key), LinkGroup { opacity, members }) in &groups {
        ctx.set_global_alpha(f64::from(*opacity) / 255.0);
        ctx.set_stroke_style_str(&emberlab_viz::Rgb(*colour).to_string());
        ctx.set_line_width(f64::from(*width_key as f32 / LINK_WIDTH_STEPS).max(0.5));
        for chunk in members.chunks(LINKS_PER_STROKE) {
            ctx.begin_path();
            for link in chunk {
                ctx.move_to(link.from.0 + NODE / 2.0, link.from.1);
                ctx.line_to(link.to.0 - NODE / 2.0, link.to.1);
            }
            ctx.stroke();
        }
    }
    ctx.set_global_alpha(1.0);
}

/// The network view.
#[component]
pub fn NetworkView(state: Playground, runner: Runner) -> impl IntoView {
    let edit = use_runner();
    let config = state.config;
    let layers_shown = move || !state.hidden.with(|h| h.hides(Control::Layers));
    let container: NodeRef<Div> = NodeRef::new();
    let links_canvas: NodeRef<Canvas> = NodeRef::new();
    let painter = StoredValue::new_local(GridPainter::new());
    let feature_grids = StoredValue::new(
        Feature::ALL
            .iter()
            .map(|&f| {
                let grid = feature_grid(f, FEATURE_GRID);
                let max = grid.iter().fold(f32::EPSILON, |m, v| m.max(v.abs()));
                grid.into_iter().map(|v| v / max).collect::<Vec<f32>>()
            })
            .collect::<Vec<_>>(),
    );
    let hidden = Memo::new(move |_| config.with(|c| c.network.hidden.clone()));
    let features = Memo::new(move |_| config.with(|c| c.features));
    let columns = move || hidden.with(Vec::len) + 2;
    let rows = move || {
        hidden.with(|h| {
            h.iter()
                .map(|l| l.neurons)
                .max()
                .unwrap_or(1)
                .max(Feature::ALL.len())
        })
    };
    let width = move || PAD * 2.0 + (columns() - 1) as f64 * COLUMN + NODE;
    let height = move || TOP + rows() as f64 * ROW;
    // A network wider than its panel is scaled down to fit (TensorFlow Playground's 6 × 8 at
    // 1280 px, any big one on a phone): the output column stays on screen, no sideways
    // scrolling. Pointer offsets stay in the unscaled coordinates (CSS transforms).
    let panel: NodeRef<Div> = NodeRef::new();
    let available = RwSignal::new(f64::INFINITY);
    let measure = move || {
        if let Some(panel) = panel.get_untracked() {
            let w = f64::from(panel.client_width());
            if w > 0.0 {
                available.set(w);
            }
        }
    };
    Effect::new(move |_| {
        if panel.get().is_some() {
            measure();
        }
    });
    let resize = window_event_listener(leptos::ev::resize, move |_| measure());
    on_cleanup(move || resize.remove());
    let scale = move || (available.get() / width()).clamp(0.1, 1.0);
    let hover_text = RwSignal::new(String::new());
    // Pointer or keyboard: a neuron under the pointer or with the focus shows large in the
    // output panel, and its bias below the network.
    let show_neuron = move |l: usize, j: usize| {
        state.hovered_neuron.set(Some((l, j)));
        let bias = state
            .snapshot
            .get_untracked()
            .and_then(|s| s.layers.get(l).and_then(|w| w.biases.get(j).copied()));
        hover_text.set(match bias {
            Some(b) => format!(
                "Neuron {} of layer {}: bias {b:.3} (shown large in the output)",
                j + 1,
                l + 1
            ),
            None => String::new(),
        });
    };
    let editing = RwSignal::new(None::<WeightEdit>);
    let hide_neuron = move || {
        state.hovered_neuron.set(None);
        // Enter on a focused neuron moves the focus to the weight editor: keep its text.
        if editing.with_untracked(Option::is_none) {
            hover_text.set(String::new());
        }
    };
    let current_links = StoredValue::new_local(Vec::<Link>::new());
    // What the links canvas shows now: canvas size, feature rows, layer shapes and each link's
    // key (resizing a canvas clears it; shapes move the links).
    let drawn_links = StoredValue::new_local(LinksDrawn::default());
    // Snapshots drawn so far (which parts a big network redraws alternates with it).
    let redraws = StoredValue::new(0u64);

    // Redraw every thumbnail and link from each snapshot (one batched readback feeds them all).
    Effect::new(move |_| {
        let _frame = crate::timing::Span::new("draw network");
        let snapshot = state.snapshot.get();
        let feature_set = features.get();
        hidden.track();
        // Pausing redraws everything (a big network draws half its parts a frame).
        let playing = state.run.playing.get();
        let due = snapshot.as_ref().map_or(NetworkParts::ALL, |s| {
            let frame = redraws.get_value();
            redraws.set_value(frame.wrapping_add(1));
            let macs = s.layers.iter().map(|l| l.inputs * l.outputs).sum();
            network_parts(frame, macs, playing)
        });
        let Some(root) = container.get() else {
            return;
        };
        let Ok(canvases) = root.query_selector_all("canvas[data-node]") else {
            return;
        };
        for i in 0..canvases.length() {
            let Some(canvas) = canvases
                .item(i)
                .and_then(|n| n.dyn_into::<HtmlCanvasElement>().ok())
            else {
                continue;
            };
            let node = canvas.get_attribute("data-node").unwrap_or_default();
            let mut parts = node.split(':');
            let (kind, a, b) = (
                parts.next().unwrap_or(""),
                parts.next().and_then(|v| v.parse::<usize>().ok()),
                parts.next().and_then(|v| v.parse::<usize>().ok()),
            );
            match (kind, a, b, &snapshot) {
                // Feature maps never change: draw each canvas once.
                ("feature", Some(f), _, _) if !canvas.has_attribute("data-drawn") => feature_grids
                    .with_value(|grids| {
                        if let Some(grid) = grids.get(f) {
                            painter.update_value(|p| p.put_values(&canvas, grid, FEATURE_GRID));
                            let _ = canvas.set_attribute("data-drawn", "");
                        }
                    }),
                ("neuron", Some(l), Some(j), Some(s)) if due.neurons => {
                    if let Some(grid) = s.neuron_grid(l, j) {
                        painter.update_value(|p| p.put_thumbnail(&canvas, grid, s.grid_size));
                    }
                }
                ("output", _, _, Some(s)) => {
                    let problem = config.with_untracked(|c| c.problem());
                    let fit = Fit {
                        discrete: false,
                        scaled: true,
                    };
                    painter.update_value(|p| p.draw_output(&canvas, s, problem, fit));
                }
                _ => {}
            }
        }
        if let (Some(canvas), Some(s)) = (links_canvas.get(), &snapshot) {
            let rows: Vec<usize> = Feature::ALL
                .iter()
                .enumerate()
                .filter(|(_, f)| feature_set.contains(**f))
                .map(|(i, _)| i)
                .collect();
            let all = links(s, &rows);
            // The step view draws each link's push (minus the gradient) instead of its weight.
            let shown: Vec<Link> = state.step_descent.with(|d| match d {
                Some(d) => all
                    .iter()
                    .map(|link| Link {
                        weight: d
                            .descent
                            .get(link.layer)
                            .and_then(|l| l.weights.get(link.input * l.outputs + link.neuron))
                            .copied()
                            .unwrap_or(0.0),
                        ..*link
                    })
                    .collect(),
                None => all.clone(),
            });
            // The canvas has as many pixels as it shows (a scaled-down network's links cost
            // the rasteriser a quarter at half size), its CSS box stays in view units.
            let pixels = scale();
            let size = (
                (width() * pixels).ceil().max(1.0) as u32,
                (height() * pixels).ceil().max(1.0) as u32,
            );
            if (canvas.width(), canvas.height()) != size {
                canvas.set_width(size.0);
                canvas.set_height(size.1);
            }
            let drawn = LinksDrawn {
                size,
                shapes: s.layers.iter().map(|l| (l.inputs, l.outputs)).collect(),
                keys: link_keys(&shown),
                rows,
            };
            if due.links && drawn_links.with_value(|d| *d != drawn) {
                draw_links(&canvas, &shown, &drawn.keys, pixels);
                drawn_links.set_value(drawn);
            }
            current_links.set_value(all);
        }
    });

    let link_at = move |x: f64, y: f64| {
        current_links.with_value(|links| {
            links
                .iter()
                .map(|l| {
                    let a = (l.from.0 + NODE / 2.0, l.from.1);
                    let b = (l.to.0 - NODE / 2.0, l.to.1);
                    (distance_to_segment((x, y), a, b), *l)
                })
                .filter(|(d, _)| *d <= LINK_HIT_PX)
                .min_by(|a, b| a.0.total_cmp(&b.0))
                .map(|(_, l)| l)
        })
    };
    let describe = move |l: &Link| {
        format!(
            "Weight {:.3} from {} to neuron {} of {}",
            l.weight,
            if l.layer == 0 {
                format!("input {}", l.input + 1)
            } else {
                format!("neuron {} of layer {}", l.input + 1, l.layer)
            },
            l.neuron + 1,
            if l.layer + 1 == columns() - 1 {
                "the output".to_string()
            } else {
                format!("layer {}", l.layer + 1)
            },
        )
    };
    let on_move = move |ev: web_sys::MouseEvent| {
        let (x, y) = (f64::from(ev.offset_x()), f64::from(ev.offset_y()));
        hover_text.set(match link_at(x, y) {
            Some(l) => format!("{} — click to edit", describe(&l)),
            None => String::new(),
        });
    };
    let edit_at = move |l: Link, at: (f64, f64)| WeightEdit {
        layer: l.layer,
        input: l.input,
        neuron: l.neuron,
        weight: l.weight,
        at,
    };
    let on_click = move |ev: web_sys::MouseEvent| {
        let (x, y) = (f64::from(ev.offset_x()), f64::from(ev.offset_y()));
        editing.set(link_at(x, y).map(|l| edit_at(l, (x, y))));
    };
    // The keyboard's way to the same editor: Enter on a focused neuron (or the output) edits
    // its first incoming link; in the editor, the up and down arrows move between them.
    let incoming = move |layer: usize, neuron: usize| {
        current_links.with_value(|links| {
            links
                .iter()
                .filter(|l| l.layer == layer && l.neuron == neuron)
                .copied()
                .collect::<Vec<Link>>()
        })
    };
    let edit_by_keyboard = move |link: Option<Link>| {
        if let Some(l) = link {
            let middle = (
                (l.from.0 + l.to.0) / 2.0,
                (l.from.1 + l.to.1) / 2.0 - NODE / 4.0,
            );
            hover_text.set(format!(
                "Editing: {} (up and down arrows: the other links into this neuron)",
                describe(&l)
            ));
            editing.set(Some(edit_at(l, middle)));
        }
    };
    let on_node_key = move |ev: web_sys::KeyboardEvent, layer: usize, neuron: usize| {
        if ev.key() == "Enter" {
            ev.prevent_default();
            edit_by_keyboard(incoming(layer, neuron).first().copied());
        }
    };
    let on_editor_key = move |ev: web_sys::KeyboardEvent| {
        let step: isize = match ev.key().as_str() {
            "ArrowDown" => 1,
            "ArrowUp" => -1,
            _ => return,
        };
        let Some(edit) = editing.get_untracked() else {
            return;
        };
        ev.prevent_default();
        let links = incoming(edit.layer, edit.neuron);
        let Some(at) = links.iter().position(|l| l.input == edit.input) else {
            return;
        };
        let next = (at as isize + step).rem_euclid(links.len() as isize) as usize;
        edit_by_keyboard(links.get(next).copied());
    };

    let layer_limit = move || {
        let n = hidden.with(Vec::len);
        if n >= MAX_HIDDEN_LAYERS {
            format!("{MAX_HIDDEN_LAYERS} hidden layers is the most a network may have.")
        } else {
            String::new()
        }
    };

    let layers_full = move || hidden.with(Vec::len) >= MAX_HIDDEN_LAYERS;
    let add_layer_title = move || {
        if layers_full() {
            format!("At most {MAX_HIDDEN_LAYERS} hidden layers")
        } else {
            "Add a hidden layer".to_string()
        }
    };
    let add_layer = move |_| {
        edit.edit(|c| {
            let activation = c
                .network
                .hidden
                .last()
                .map_or(Activation::Tanh, |l| l.activation);
            c.network.hidden.push(LayerSpec::new(4, activation));
        })
    };

    view! {
        <div class="network" node_ref=panel>
            <div class="network-header" title=help::LAYERS.title() style:visibility=move || if layers_shown() { "visible" } else { "hidden" }>
                <button
                    class="small"
                    data-testid="add-layer"
                    aria-label="Add a hidden layer"
                    title=add_layer_title
                    disabled=layers_full
                    on:click=add_layer
                >"+"</button>
                <button
                    class="small"
                    data-testid="remove-layer"
                    aria-label="Remove the last hidden layer"
                    disabled=move || hidden.with(Vec::is_empty)
                    on:click=move |_| edit.edit(|c| {
                        c.network.hidden.pop();
                    })
                >"−"</button>
                <span data-testid="layer-count">{move || hidden.with(Vec::len)}</span>
                " hidden layers"
                <span class="limit" data-testid="limit-hint">{layer_limit}</span>
            </div>
            <div
                class="network-fit"
                style:width=move || format!("{}px", width() * scale())
                style:height=move || format!("{}px", height() * scale())
            >
            <div
                class="network-canvas"
                node_ref=container
                on:keydown=on_editor_key
                style:width=move || format!("{}px", width())
                style:height=move || format!("{}px", height())
                style:transform=move || format!("scale({})", scale())
            >
                <canvas
                    node_ref=links_canvas
                    class="links"
                    data-testid="links"
                    data-showing=move || if state.step_descent.with(Option::is_some) { "gradient" } else { "weights" }
                    role="img"
                    aria-label=move || if state.step_descent.with(Option::is_some) {
                        "The next step's gradient, one line per link: blue links will grow, orange ones shrink; the thicker, the bigger the push."
                    } else {
                        "The weights, one line per link: the thicker, the larger; blue positive, orange negative. Hover a link to read it, click it to edit it."
                    }
                    width="1"
                    height="1"
                    style:width=move || format!("{}px", width())
                    style:height=move || format!("{}px", height())
                    on:mousemove=on_move
                    on:mouseleave=move |_| hover_text.set(String::new())
                    on:click=on_click
                ></canvas>
                <div class="column-title" style:left=format!("{PAD}px")>"Features"</div>
                {Feature::ALL
                    .iter()
                    .enumerate()
                    .map(|(row, &feature)| {
                        let (x, y) = centre(0, row);
                        let on = move || features.get().contains(feature);
                        view! {
                            <button
                                class="node feature"
                                class:off=move || !on()
                                style:left=format!("{}px", x - NODE / 2.0)
                                style:top=format!("{}px", y - NODE / 2.0)
                                aria-pressed=move || on().to_string()
                                aria-label=format!("Feature {}", feature.label())
                                title=format!("{}: {}", feature.label(), help::FEATURE.title())
                                data-testid=format!("feature-{row}")
                                style:display=move || if state.hidden.with(|h| h.features.contains(feature)) { "none" } else { "" }
                                on:click=move |_| edit.edit(|c| c.features.toggle(feature))
                            >
                                <canvas data-node=format!("feature:{row}") width=FEATURE_GRID height=FEATURE_GRID></canvas>
                                <span class="feature-label">{feature.label()}</span>
                            </button>
                        }
                    })
                    .collect_view()}
                {move || hidden.get().into_iter().enumerate().map(|(l, layer)| view! {
                    <LayerColumn state=state layer=l spec=layer />
                    {(0..layer.neurons).map(|j| {
                        let (x, y) = centre(l + 1, j);
                        view! {
                            <div
                                class="node neuron"
                                style:left=format!("{}px", x - NODE / 2.0)
                                style:top=format!("{}px", y - NODE / 2.0)
                                data-testid=format!("neuron-{l}-{j}")
                                tabindex="0"
                                role="img"
                                aria-label=format!("Neuron {} of hidden layer {}: focus to show its output large, Enter to edit the weights into it", j + 1, l + 1)
                                on:mouseenter=move |_| show_neuron(l, j)
                                on:focus=move |_| show_neuron(l, j)
                                on:keydown=move |ev| on_node_key(ev, l, j)
                                on:mouseleave=move |_| hide_neuron()
                                on:blur=move |_| hide_neuron()
                            >
                                <canvas data-node=format!("neuron:{l}:{j}") width="50" height="50"></canvas>
                            </div>
                        }
                    }).collect_view()}
                }).collect_view()}
                {move || {
                    let col = columns() - 1;
                    let (x, y) = centre(col, 0);
                    view! {
                        <div class="column-title" style:left=format!("{}px", x - NODE / 2.0)>"Output"</div>
                        <div class="node output-node" data-testid="output-node" tabindex="0" role="img" aria-label="The network's output (shown large in the output panel): Enter to edit the weights into it" style:left=format!("{}px", x - NODE / 2.0) style:top=format!("{}px", y - NODE / 2.0) on:keydown=move |ev| on_node_key(ev, col - 1, 0)>
                            <canvas data-node="output" width="50" height="50"></canvas>
                        </div>
                    }
                }}
                <WeightEditor editing=editing state=state runner=runner.clone() />
            </div>
            </div>
            <div class="hover-text" data-testid="hover-text">{move || hover_text.get()}</div>
        </div>
    }
}

/// The header of one hidden layer: neuron count buttons, activation and dropout.
#[component]
fn LayerColumn(state: Playground, layer: usize, spec: LayerSpec) -> impl IntoView {
    let runner = use_runner();
    let layers_shown = move || !state.hidden.with(|h| h.hides(Control::Layers));
    let (x, _) = centre(layer + 1, 0);
    let set = move |f: Box<dyn Fn(&mut LayerSpec)>| {
        runner.edit(|c| {
            if let Some(l) = c.network.hidden.get_mut(layer) {
                f(l);
            }
        })
    };
    let full = spec.neurons >= MAX_NEURONS;
    let empty = spec.neurons <= MIN_NEURONS;
    view! {
        <div class="layer-header" style:left=format!("{}px", x - NODE / 2.0 - 30.0)>
            <div class="layer-buttons" title=help::NEURONS.title() style:visibility=move || if layers_shown() { "visible" } else { "hidden" }>
                <button
                    class="small"
                    data-testid=format!("add-neuron-{layer}")
                    aria-label=format!("Add a neuron to layer {}", layer + 1)
                    title=if full { format!("At most {MAX_NEURONS} neurons per layer") } else { "Add a neuron".into() }
                    disabled=full
                    on:click=move |_| set(Box::new(|l| l.neurons += 1))
                >"+"</button>
                <button
                    class="small"
                    data-testid=format!("remove-neuron-{layer}")
                    aria-label=format!("Remove a neuron from layer {}", layer + 1)
                    title=if empty { format!("At least {MIN_NEURONS} neuron per layer") } else { "Remove a neuron".into() }
                    disabled=empty
                    on:click=move |_| set(Box::new(|l| l.neurons -= 1))
                >"−"</button>
            </div>
            <div class="layer-name">{format!("{} neurons", spec.neurons)}</div>
            <select
                class="tiny"
                aria-label=format!("Activation of layer {}", layer + 1)
                title=help::ACTIVATION.title()
                on:change=move |ev| {
                    if let Some(a) = Activation::from_key(&event_target_value(&ev)) {
                        set(Box::new(move |l| l.activation = a));
                    }
                }
            >
                {Activation::ALL.iter().map(|a| view! {
                    <option value=a.key() selected=*a == spec.activation>{a.name()}</option>
                }).collect_view()}
            </select>
            <select
                class="tiny"
                aria-label=format!("Dropout of layer {}", layer + 1)
                title=help::DROPOUT.title()
                on:change=move |ev| {
                    if let Ok(p) = event_target_value(&ev).parse::<f32>() {
                        set(Box::new(move |l| l.dropout = p));
                    }
                }
            >
                {DROPOUTS.iter().map(|p| view! {
                    <option value=p.to_string() selected=*p == spec.dropout>{format!("dropout {p}")}</option>
                }).collect_view()}
            </select>
        </div>
    }
}
