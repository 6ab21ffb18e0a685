//! The attention lab's views: the probed sequence, both models' predictions, the attention
//! maps (scrubbable through snapshots taken while training), figures and an explanation.

use emberlab_core::attention::{AttentionObservation, Probe, ProbeView};
use leptos::html::Div;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::HtmlCanvasElement;

use super::AttentionPage;
use crate::drawing::context_2d;
use emberlab_core::run::LabObservation;

/// Most attention snapshots kept for scrubbing (older ones are thinned out).
const MAX_SNAPSHOTS: usize = 40;
/// Pixels per cell of an attention map.
const CELL_PX: usize = 22;

fn latest(page: AttentionPage) -> Option<AttentionObservation> {
    page.run().observation.with(|o| match o.as_deref() {
        Some(LabObservation::Attention(a)) => Some((**a).clone()),
        _ => None,
    })
}

/// The typed or chosen sequence.
#[component]
pub fn SequenceInput(page: AttentionPage) -> impl IntoView {
    let error = RwSignal::new(None::<String>);
    let text = RwSignal::new(String::new());
    let shown_input = Memo::new(move |_| {
        latest(page).and_then(|o| o.probe.and_then(|p| p.ok()).map(|p| p.input))
    });
    let on_input = move |ev| {
        let value = event_target_value(&ev);
        text.set(value.clone());
        if value.trim().is_empty() {
            error.set(None);
            page.probe.set(Probe::Test(0));
            page.send_request();
            return;
        }
        let parsed = page.config.with_untracked(|c| {
            c.validate()
                .map_err(|e| e.to_string())
                .and_then(|e| e.parse_sequence(&value).map_err(|e| e.to_string()))
        });
        match parsed {
            Ok(sequence) => {
                error.set(None);
                page.probe.set(Probe::Typed(sequence));
                page.send_request();
            }
            Err(e) => error.set(Some(e)),
        }
    };
    let next_test = move |_| {
        let next = match page.probe.get_untracked() {
            Probe::Test(i) => i + 1,
            Probe::Typed(_) => 0,
        };
        let count = page.config.with_untracked(|c| c.test_size);
        text.set(String::new());
        error.set(None);
        page.probe.set(Probe::Test(next % count.max(1)));
        page.send_request();
    };
    view! {
        <div class="sequence-input">
            <label class="field">
                <span class="field-label">"Type a sequence of digits (or pick test sequences)"</span>
                <input
                    type="text"
                    inputmode="numeric"
                    data-testid="sequence-input"
                    aria-label="A sequence to run through the models"
                    placeholder=move || shown_input.get().map(|s| s.iter().map(ToString::to_string).collect::<String>()).unwrap_or_default()
                    prop:value=move || text.get()
                    on:input=on_input
                />
            </label>
            <button class="text-button" data-testid="next-sequence" on:click=next_test>"Another test sequence"</button>
            <p class="input-error" role="status">{move || error.get()}</p>
        </div>
    }
}

fn tokens(t: &[u32]) -> String {
    t.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Both models' outputs for the probed sequence.
#[component]
pub fn Predictions(page: AttentionPage) -> impl IntoView {
    let probe = Memo::new(move |_| latest(page).and_then(|o| o.probe));
    view! {
        <div class="predictions">
            {move || match probe.get() {
                None => view! { <p class="explain">"Waiting for the first results…"</p> }.into_any(),
                Some(Err(e)) => view! { <p class="input-error">{e.to_string()}</p> }.into_any(),
                Some(Ok(p)) => {
                    let right = p.transformer.tokens.iter().zip(&p.target).filter(|(a, b)| a == b).count();
                    view! {
                        <table class="sequence-table">
                            <tr><th>"input"</th><td class="tokens">{tokens(&p.input)}</td></tr>
                            <tr><th>"correct"</th><td class="tokens">{tokens(&p.target)}</td></tr>
                            <tr>
                                <th>"transformer"</th>
                                <td class="tokens" data-testid="prediction">{tokens(&p.transformer.tokens)}</td>
                                <td class="score">{format!("{right}/{} right", p.target.len())}</td>
                            </tr>
                            {p.lstm.as_ref().map(|l| {
                                let right = l.tokens.iter().zip(&p.target).filter(|(a, b)| a == b).count();
                                view! {
                                    <tr>
                                        <th>"LSTM"</th>
                                        <td class="tokens" data-testid="lstm-prediction">{tokens(&l.tokens)}</td>
                                        <td class="score">{format!("{right}/{} right", p.target.len())}</td>
                                    </tr>
                                }
                            })}
                        </table>
                    }.into_any()
                }
            }}
        </div>
    }
}

/// Draws one `n × n` attention map (rows sum to 1) as blue cells, tokens along both sides.
fn draw_map(canvas: &HtmlCanvasElement, map: &[f32], input: &[u32], output: &[u32]) {
    let n = input.len();
    let margin = CELL_PX;
    let side = (margin + n * CELL_PX) as u32;
    if canvas.width() != side {
        canvas.set_width(side);
        canvas.set_height(side);
    }
    let Some(ctx) = context_2d(canvas) else {
        return;
    };
    ctx.set_fill_style_str("#ffffff");
    ctx.fill_rect(0.0, 0.0, f64::from(side), f64::from(side));
    ctx.set_font("12px system-ui, sans-serif");
    ctx.set_text_align("center");
    ctx.set_text_baseline("middle");
    for (k, token) in input.iter().enumerate() {
        ctx.set_fill_style_str("#667085");
        let x = (margin + k * CELL_PX + CELL_PX / 2) as f64;
        let _ = ctx.fill_text(&token.to_string(), x, (margin / 2) as f64);
    }
    for q in 0..n {
        let y = (margin + q * CELL_PX) as f64;
        ctx.set_fill_style_str("#1f2328");
        let label = output.get(q).map_or(String::new(), ToString::to_string);
        let _ = ctx.fill_text(&label, (margin / 2) as f64, y + (CELL_PX / 2) as f64);
        for k in 0..n {
            let w = map.get(q * n + k).copied().unwrap_or(0.0).clamp(0.0, 1.0);
            ctx.set_fill_style_str(&format!("rgba(8, 119, 189, {w:.3})"));
            ctx.fill_rect(
                (margin + k * CELL_PX) as f64,
                y,
                CELL_PX as f64 - 1.0,
                CELL_PX as f64 - 1.0,
            );
        }
    }
}

/// Every layer's and head's attention map, with a scrubber through earlier snapshots.
#[component]
pub fn AttentionMaps(page: AttentionPage) -> impl IntoView {
    let snapshots = RwSignal::new(Vec::<(u64, ProbeView)>::new());
    // None: follow the latest; Some(i): show snapshot i.
    let scrub = RwSignal::new(None::<usize>);
    // Keep a snapshot per new epoch of the same probe; start over when the probe changes.
    Effect::new(move |_| {
        let Some(o) = latest(page) else {
            return;
        };
        let Some(Ok(view)) = o.probe else {
            return;
        };
        snapshots.update(|list| {
            let same_probe = list.last().is_some_and(|(_, v)| {
                v.input == view.input && v.layers == view.layers && v.heads == view.heads
            });
            if !same_probe || o.epoch == 0 && list.last().is_some_and(|(e, _)| *e > 0) {
                list.clear();
                scrub.set(None);
            }
            match list.last_mut() {
                Some((epoch, last)) if *epoch == o.epoch => *last = view,
                _ => list.push((o.epoch, view)),
            }
            if list.len() > MAX_SNAPSHOTS {
                // Thin out every other early snapshot, keeping the first and the latest.
                let keep: Vec<(u64, ProbeView)> = list
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| *i == 0 || i % 2 == 1 || *i + 1 == list.len())
                    .map(|(_, s)| s.clone())
                    .collect();
                *list = keep;
            }
        });
    });
    let shown = Memo::new(move |_| {
        snapshots.with(|list| {
            let i = scrub
                .get()
                .unwrap_or(list.len().saturating_sub(1))
                .min(list.len().saturating_sub(1));
            list.get(i).cloned()
        })
    });
    let root: NodeRef<Div> = NodeRef::new();
    Effect::new(move |_| {
        let (Some(root), Some((_, view))) = (root.get(), shown.get()) else {
            return;
        };
        let Ok(canvases) = root.query_selector_all("canvas") else {
            return;
        };
        for layer in 0..view.layers {
            for head in 0..view.heads {
                let i = (layer * view.heads + head) as u32;
                let (Some(canvas), Some(map)) = (
                    canvases
                        .item(i)
                        .and_then(|n| n.dyn_into::<HtmlCanvasElement>().ok()),
                    view.attention_map(layer, head),
                ) else {
                    continue;
                };
                draw_map(&canvas, map, &view.input, &view.transformer.tokens);
            }
        }
    });
    let grid = move || shown.with(|s| s.as_ref().map_or((0, 0), |(_, v)| (v.layers, v.heads)));
    view! {
        <div class="attention-maps">
            <p class="explain">
                "Each square: when writing the output on the left (a query), how much the head looks at each input symbol along the top (a key). Each row sums to 1."
            </p>
            <div class="map-heads" node_ref=root>
                {move || {
                    let (layers, heads) = grid();
                    (0..layers).flat_map(|l| (0..heads).map(move |h| (l, h))).map(|(l, h)| view! {
                        <figure class="attention-head">
                            <canvas
                                data-testid="attention-map"
                                width="10"
                                height="10"
                                role="img"
                                aria-label=format!("Attention of layer {} head {}: rows are output positions, columns input positions", l + 1, h + 1)
                            ></canvas>
                            <figcaption>{format!("layer {} · head {}", l + 1, h + 1)}</figcaption>
                        </figure>
                    }).collect_view()
                }}
            </div>
            <label class="field scrubber">
                <span class="field-label">
                    {move || shown.get().map(|(e, _)| format!("Snapshot at epoch {e}")).unwrap_or_default()}
                    {move || if scrub.get().is_none() { " (live)" } else { "" }}
                </span>
                <input
                    type="range"
                    min="0"
                    data-testid="attention-scrub"
                    aria-label="Scrub through the attention maps saved during training"
                    max=move || snapshots.with(|l| l.len().saturating_sub(1))
                    prop:value=move || scrub.get().unwrap_or_else(|| snapshots.with(|l| l.len().saturating_sub(1))).to_string()
                    on:input=move |ev| {
                        let last = snapshots.with_untracked(|l| l.len().saturating_sub(1));
                        scrub.set(event_target_value(&ev).parse::<usize>().ok().filter(|&i| i < last));
                    }
                />
            </label>
        </div>
    }
}

/// Loss and token accuracy of both models, parameter counts.
#[component]
pub fn Figures(page: AttentionPage) -> impl IntoView {
    let metrics = RwSignal::new(None::<emberlab_core::attention::Metrics>);
    let params = RwSignal::new(None::<emberlab_core::attention::ParameterCounts>);
    Effect::new(move |_| {
        if let Some(o) = latest(page) {
            params.set(Some(o.parameters));
            if o.metrics.is_some() {
                metrics.set(o.metrics);
            }
        } else {
            metrics.set(None);
        }
    });
    let pct = |v: f32| format!("{:.1}%", v * 100.0);
    view! {
        <div class="metrics attention-metrics">
            <div>
                <span class="label">"Token accuracy (test) "</span>
                <span class="value" data-testid="token-accuracy">{move || metrics.get().map_or("–".into(), |m| pct(m.transformer.test.token_accuracy))}</span>
            </div>
            <div>
                <span class="label">"Test loss "</span>
                <span class="value" data-testid="test-loss">{move || metrics.get().map_or("–".into(), |m| format!("{:.3}", m.transformer.test.loss))}</span>
            </div>
            <div>
                <span class="label">"Training loss "</span>
                <span class="value" data-testid="train-loss">{move || metrics.get().map_or("–".into(), |m| format!("{:.3}", m.transformer.train.loss))}</span>
            </div>
            <div class="accuracy">
                {move || metrics.get().map(|m| format!("whole sequences right: {}", pct(m.transformer.test.sequence_accuracy)))}
            </div>
            <div class="accuracy" data-testid="lstm-accuracy">
                {move || metrics.get().and_then(|m| m.lstm).map(|l| format!("LSTM: {} of tokens right", pct(l.test.token_accuracy)))}
            </div>
            <div class="accuracy" data-testid="parameters">
                {move || params.get().map(|p| match p.lstm {
                    Some(l) => format!("{} parameters (LSTM: {l})", p.transformer),
                    None => format!("{} parameters", p.transformer),
                })}
            </div>
        </div>
    }
}

/// What is on screen, in words.
#[component]
pub fn Explanation(page: AttentionPage) -> impl IntoView {
    let task = move || page.config.with(|c| c.task.describe());
    view! {
        <details class="explanation" open>
            <summary>"How attention works here"</summary>
            <p>{task}</p>
            <p>
                "Every symbol becomes a vector. For each output position, the transformer makes a "
                <b>"query"</b>" (what am I looking for?); every input symbol offers a "<b>"key"</b>
                " (what am I?) and a "<b>"value"</b>" (what I carry). The match between query and keys, turned into shares that sum to 1, is the attention you see; the output mixes the values by those shares."
            </p>
            <p>
                "To sort, a head learns to look, for each output position, at the input symbol that belongs there: watch the maps sharpen from a blur into a few bright cells as accuracy rises. Turn positions off and reversing becomes impossible: attention alone does not know where a symbol stands."
            </p>
        </details>
    }
}
