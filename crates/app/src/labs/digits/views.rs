//! The convolution lab's views, each reading the latest observation.

use emberlab_core::digits::{DigitsObservation, FlatTensor, Mistake};
use emberlab_viz::TileSheet;
use leptos::html::Canvas;
use leptos::prelude::*;

use super::DigitsPage;
use crate::drawing::{GridPainter, put_gray};
use emberlab_core::run::LabObservation;

/// Reads the latest observation, if it is the digits lab's, without copying it: each view
/// takes only what it shows (an observation arrives about ten times a second).
fn with_latest<T>(page: DigitsPage, read: impl FnOnce(&DigitsObservation) -> T) -> Option<T> {
    page.run().observation.with(|o| match o.as_deref() {
        Some(LabObservation::Digits(d)) => Some(read(d)),
        _ => None,
    })
}

/// Values scaled into [-1, 1] by the largest magnitude (0 stays white).
fn normalised(values: &[f32]) -> Vec<f32> {
    let max = values.iter().fold(f32::EPSILON, |m, v| m.max(v.abs()));
    values.iter().map(|v| v / max).collect()
}

/// Tiles in a row of a map sheet.
const SHEET_COLUMNS: usize = 8;
/// A tile's side on screen, its frame included (CSS px; the sheet is drawn at that size).
const TILE_PX: usize = 26;
/// Space between tiles (CSS px).
const TILE_GAP_PX: usize = 3;

/// The `side × side` maps of `tensor` (its last two dimensions, averaged over any dimension
/// between the first and them), each scaled to [-1, 1], one after another: `(count, side,
/// values)`.
fn maps_of(tensor: &FlatTensor) -> Option<(usize, usize, Vec<f32>)> {
    let shape: Vec<usize> = tensor.shape.iter().map(|&d| d as usize).collect();
    let (count, side) = match shape.as_slice() {
        [c, h, _] => (*c, *h),
        [o, _, h, _] => (*o, *h),
        _ => return None,
    };
    let per_map = tensor.values.len().checked_div(count).unwrap_or(0);
    let cells = side * side;
    let mut all = Vec::with_capacity(count * cells);
    for block in tensor.values.chunks_exact(per_map.max(1)).take(count) {
        // Average the input channels of a filter (deeper layers have many).
        let mut map = vec![0.0f32; cells];
        let channels = (per_map / cells.max(1)).max(1);
        for (j, v) in block.iter().enumerate() {
            map[j % cells] += v / channels as f32;
        }
        all.extend(normalised(&map));
    }
    Some((count, side, all))
}

/// A layer's maps as one sheet of tiles on one canvas (one canvas per map cost the browser an
/// upload per map and frame), drawn from `tensor` whenever it changes.
#[component]
fn MapGrid(
    tensor: Signal<Option<FlatTensor>>,
    label: String,
    testid: &'static str,
) -> impl IntoView {
    let canvas: NodeRef<Canvas> = NodeRef::new();
    let painter = StoredValue::new_local(GridPainter::new());
    let count = Memo::new(move |_| {
        tensor.with(|t| {
            t.as_ref()
                .and_then(|t| t.shape.first().copied())
                .unwrap_or(0)
        })
    });
    Effect::new(move |_| {
        let Some(canvas) = canvas.get() else {
            return;
        };
        let Some((count, side, values)) = tensor.with(|t| t.as_ref().and_then(maps_of)) else {
            return;
        };
        let sheet = TileSheet::new(count, SHEET_COLUMNS, TILE_PX, TILE_GAP_PX);
        // Shown at one CSS pixel per pixel (narrower only if its column is).
        let _ = canvas.set_attribute("style", &format!("width: {}px", sheet.width()));
        painter.update_value(|p| p.put_sheet(&canvas, &values, side, &sheet));
    });
    let aria = {
        let label = label.clone();
        move || {
            format!(
                "{} maps of {label}, blue where strong, orange where negative",
                count.get()
            )
        }
    };
    view! {
        <div class="map-block" data-testid=testid>
            <div class="map-label">{label}</div>
            <canvas class="map-sheet" node_ref=canvas width="1" height="1" role="img" aria-label=aria data-maps=move || count.get().to_string()></canvas>
        </div>
    }
}

/// The two networks and their sizes.
#[component]
pub fn Architecture(page: DigitsPage) -> impl IntoView {
    let counts = Memo::new(move |_| with_latest(page, |o| (o.cnn.parameters, o.dense.parameters)));
    let cnn = move || {
        page.config.with(|c| {
            let layers: Vec<String> = c
                .cnn
                .filters
                .iter()
                .map(|f| format!("{f} filters"))
                .collect();
            format!(
                "CNN: {} ({}{}), then 10 outputs",
                layers.join(" → "),
                c.cnn.kernel.name(),
                if c.cnn.pool { ", 2×2 pooling" } else { "" }
            )
        })
    };
    let dense = move || {
        page.config.with(|c| {
            let hidden: Vec<String> = c.dense.hidden.iter().map(ToString::to_string).collect();
            format!("Dense net: 64 pixels → {} → 10 outputs", hidden.join(" → "))
        })
    };
    view! {
        <div class="architecture">
            <p>{cnn} <span class="params" data-testid="cnn-parameters">{move || counts.get().map(|c| format!(" · {} parameters", c.0)).unwrap_or_default()}</span></p>
            <p>{dense} <span class="params" data-testid="dense-parameters">{move || counts.get().map(|c| format!(" · {} parameters", c.1)).unwrap_or_default()}</span></p>
            <p class="explain">
                "A convolution slides each small filter over the image and reacts where its pattern appears, so the same stroke detector works anywhere in the image; the dense net must learn every position separately."
            </p>
        </div>
    }
}

/// The learned filters of each convolution layer.
#[component]
pub fn Filters(page: DigitsPage) -> impl IntoView {
    let filters = Memo::new(move |_| with_latest(page, |o| o.filters.clone()).unwrap_or_default());
    let layers = Memo::new(move |_| filters.with(Vec::len));
    view! {
        <div class="filters" data-testid="filters">
            <h3>"Learned filters"</h3>
            <p class="explain">"Blue: the filter wants ink there; orange: it wants none. Deeper layers are shown averaged over their inputs."</p>
            {move || {
                (0..layers.get())
                    .map(|l| {
                        let tensor = Signal::derive(move || filters.with(|f| f.get(l).cloned()));
                        view! { <MapGrid tensor=tensor label=format!("layer {}", l + 1) testid="filter-layer" /> }
                    })
                    .collect_view()
            }}
        </div>
    }
}

/// Feature maps of every layer for the probed digit.
#[component]
pub fn FeatureMaps(page: DigitsPage) -> impl IntoView {
    let maps = Memo::new(move |_| {
        with_latest(page, |o| o.probe.as_ref().map(|p| p.feature_maps.clone()))
            .flatten()
            .unwrap_or_default()
    });
    let layers = Memo::new(move |_| maps.with(Vec::len));
    view! {
        <div class="feature-maps" data-testid="feature-maps">
            <h3>"Feature maps"</h3>
            <p class="explain">"Where each filter found its pattern in this digit (blue: strong)."</p>
            {move || {
                (0..layers.get())
                    .map(|l| {
                        let tensor = Signal::derive(move || maps.with(|m| m.get(l).cloned()));
                        view! { <MapGrid tensor=tensor label=format!("after layer {}", l + 1) testid="feature-layer" /> }
                    })
                    .collect_view()
            }}
        </div>
    }
}

/// Both networks' class probabilities for the probed digit. The rows are made once; each
/// observation moves their bars and numbers.
#[component]
pub fn Probabilities(page: DigitsPage) -> impl IntoView {
    let probe = Memo::new(move |_| {
        with_latest(page, |o| {
            o.probe.as_ref().map(|p| {
                (
                    p.cnn_probabilities.clone(),
                    p.dense_probabilities.clone(),
                    p.label,
                )
            })
        })
        .flatten()
    });
    let best = |v: &[f32]| {
        v.iter()
            .enumerate()
            .max_by(|a, b| a.1.total_cmp(b.1))
            .map_or(0, |(i, _)| i)
    };
    let verdict = move || {
        probe.with(|p| {
            p.as_ref().map_or_else(
                || "Waiting for the first results…".to_string(),
                |(cnn, dense, label)| {
                    format!(
                        "CNN: {} · dense net: {}{}",
                        best(cnn),
                        best(dense),
                        label.map(|l| format!(" · truth: {l}")).unwrap_or_default()
                    )
                },
            )
        })
    };
    let cnn =
        move |d: usize| probe.with(|p| p.as_ref().and_then(|p| p.0.get(d).copied()).unwrap_or(0.0));
    let dense =
        move |d: usize| probe.with(|p| p.as_ref().and_then(|p| p.1.get(d).copied()).unwrap_or(0.0));
    view! {
        <div class="probabilities" data-testid="probabilities">
            <h3>"What the networks say"</h3>
            <p class="verdict">{verdict}</p>
            <div class="prob-bars">
                {(0..10usize).map(|d| view! {
                    <div class="prob-row">
                        <span class="prob-digit">{d}</span>
                        <div class="prob-track">
                            <div class="prob-bar cnn" style:width=move || format!("{:.1}%", cnn(d) * 100.0)></div>
                            <div class="prob-bar dense" style:width=move || format!("{:.1}%", dense(d) * 100.0)></div>
                        </div>
                        <span class="prob-value" data-testid=format!("prob-{d}") title="CNN probability">
                            {move || probe.with(|p| p.as_ref().map(|_| format!("{:.3}", cnn(d))).unwrap_or_default())}
                        </span>
                    </div>
                }).collect_view()}
            </div>
            <p class="legend-line"><span class="swatch cnn"></span>" CNN "<span class="swatch dense"></span>" dense net"</p>
        </div>
    }
}

fn percent(v: Option<f32>) -> String {
    v.map_or("–".into(), |a| format!("{:.1}%", a * 100.0))
}

fn loss(v: f32) -> String {
    if v.is_finite() {
        format!("{v:.3}")
    } else {
        "NaN".into()
    }
}

/// Losses and accuracies of both networks.
#[component]
pub fn Figures(page: DigitsPage) -> impl IntoView {
    let reports = Memo::new(move |_| with_latest(page, |o| (o.cnn.metrics, o.dense.metrics)));
    let cnn = move || reports.get().map(|r| r.0);
    view! {
        <div class="metrics digits-metrics">
            <div>
                <span class="label">"Test accuracy (CNN) "</span>
                <span class="value" data-testid="test-accuracy">{move || percent(cnn().and_then(|m| m.test_accuracy))}</span>
            </div>
            <div>
                <span class="label">"Test loss "</span>
                <span class="value" data-testid="test-loss" data-value=move || cnn().map(|m| m.test_loss.to_string())>{move || cnn().map_or("–".into(), |m| loss(m.test_loss))}</span>
            </div>
            <div>
                <span class="label">"Training loss "</span>
                <span class="value" data-testid="train-loss" data-value=move || cnn().map(|m| m.train_loss.to_string())>{move || cnn().map_or("–".into(), |m| loss(m.train_loss))}</span>
            </div>
            <div class="accuracy" data-testid="dense-accuracy">
                {move || reports.get().map(|(_, d)| format!("dense net: {} test accuracy", percent(d.test_accuracy)))}
            </div>
        </div>
    }
}

/// Background of a confusion cell: blue on the diagonal, orange off it, stronger for more.
fn confusion_colour(row: usize, col: usize, count: u32) -> String {
    let strength = (count as f32 / 36.0).min(1.0);
    // At most 0.6 of the blue: the dark count stays readable (contrast ≥ 4.5).
    if row == col {
        format!("rgba(8, 119, 189, {:.2})", strength * 0.6)
    } else {
        format!("rgba(245, 147, 34, {:.2})", (strength * 3.0).min(1.0))
    }
}

/// The CNN's confusion matrix on the test set. The 100 cells are made once; each observation
/// changes their counts and colours.
#[component]
pub fn Confusion(page: DigitsPage) -> impl IntoView {
    let counts = Memo::new(move |_| {
        with_latest(page, |o| {
            (0..10usize)
                .flat_map(|row| (0..10usize).map(move |col| (row, col)))
                .map(|(row, col)| o.cnn.confusion_at(row, col))
                .collect::<Vec<u32>>()
        })
        .unwrap_or_else(|| vec![0; 100])
    });
    let count =
        move |row: usize, col: usize| counts.with(|c| c.get(row * 10 + col).copied().unwrap_or(0));
    view! {
        <div class="confusion">
            <h3>"Confusion matrix (CNN, test set)"</h3>
            <p class="explain">"Row: the true digit; column: what the CNN said. The diagonal is right; everything else is a mistake."</p>
            <table data-testid="confusion-matrix" aria-label="Confusion matrix: rows true digits, columns predictions">
                <thead>
                    <tr><th></th>{(0..10).map(|d| view! { <th scope="col">{d}</th> }).collect_view()}</tr>
                </thead>
                <tbody>
                    {(0..10usize).map(|row| view! {
                        <tr>
                            <th scope="row">{row}</th>
                            {(0..10usize).map(|col| view! {
                                <td
                                    data-count=move || count(row, col).to_string()
                                    style:background=move || confusion_colour(row, col, count(row, col))
                                >
                                    {move || match count(row, col) { 0 => String::new(), n => n.to_string() }}
                                </td>
                            }).collect_view()}
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// One misclassified test image as a button that looks inside it; draws its pixels once.
#[component]
fn MistakeButton(page: DigitsPage, mistake: Mistake, image: Option<usize>) -> impl IntoView {
    let canvas: NodeRef<leptos::html::Canvas> = NodeRef::new();
    Effect::new(move |_| {
        let (Some(canvas), Some(image)) = (canvas.get(), image) else {
            return;
        };
        if let Some(pixels) = emberlab_core::digits::Digits::get().pixels(image) {
            let values: Vec<f32> = pixels.iter().map(|&v| f32::from(v)).collect();
            put_gray(&canvas, &values, 8, 16.0);
        }
    });
    let Mistake {
        test_index,
        label,
        predicted,
    } = mistake;
    view! {
        <button
            class="mistake"
            title=format!("a {label} the CNN read as {predicted}: click to look inside")
            aria-label=format!("{label}→{predicted}: test image {}, a {label} read as {predicted}", test_index + 1)
            on:click=move |_| {
                page.probe.set(emberlab_core::digits::Probe::Test(test_index));
                page.send_request();
            }
        >
            <canvas node_ref=canvas width="8" height="8" aria-hidden="true"></canvas>
            <span>{format!("{label}→{predicted}")}</span>
        </button>
    }
}

/// Misclassified test images; clicking one looks inside it. Kept by test image, so a mistake
/// that stays between observations keeps its button.
#[component]
pub fn Mistakes(page: DigitsPage) -> impl IntoView {
    let mistakes =
        Memo::new(move |_| with_latest(page, |o| o.cnn.mistakes.clone()).unwrap_or_default());
    // The split's test images, made once per configuration rather than per observation.
    let test_images = Memo::new(move |_| {
        page.config
            .with(|c| c.validate().map(|e| e.split().test).unwrap_or_default())
    });
    view! {
        <div class="mistakes" data-testid="mistakes">
            <h3>"Mistakes (CNN)"</h3>
            <div class="mistake-grid">
                <For
                    each=move || {
                        test_images.with(|t| {
                            mistakes
                                .get()
                                .into_iter()
                                .map(|m| (m, t.get(m.test_index as usize).copied()))
                                .collect::<Vec<_>>()
                        })
                    }
                    key=|(m, image): &(Mistake, Option<usize>)| (m.test_index, m.predicted, *image)
                    children=move |(m, image): (Mistake, Option<usize>)| {
                        view! { <MistakeButton page=page mistake=m image=image /> }
                    }
                />
            </div>
        </div>
    }
}
