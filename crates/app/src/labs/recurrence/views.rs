//! The recurrence lab's views: accuracy per network, the gradient strips, the traced sequence
//! (hidden states, LSTM gates), the accuracy-versus-length sweep and an explanation.

use emberlab_core::recurrence::{CellKind, RecurrenceObservation};
use leptos::html::Canvas;
use leptos::prelude::*;
use web_sys::HtmlCanvasElement;

use super::RecurrencePage;
use crate::drawing::context_2d;
use emberlab_core::run::LabObservation;

/// Pixels per time step in the strips and heat-maps.
const STEP_PX: f64 = 12.0;
/// Pixels per hidden unit in the heat-maps.
const UNIT_PX: f64 = 6.0;

fn latest(page: RecurrencePage) -> Option<RecurrenceObservation> {
    page.run().observation.with(|o| match o.as_deref() {
        Some(LabObservation::Recurrence(r)) => Some((**r).clone()),
        _ => None,
    })
}

fn slug(cell: CellKind) -> &'static str {
    cell.key()
}

/// Each network's latest metrics (kept between observations that carry none).
fn metrics_memo(
    page: RecurrencePage,
) -> RwSignal<[Option<emberlab_core::recurrence::ModelMetrics>; 3]> {
    let kept = RwSignal::new([None; 3]);
    Effect::new(move |_| match latest(page) {
        Some(o) => {
            for m in &o.models {
                if let Some(x) = m.metrics {
                    kept.update(|k| k[m.cell.index()] = Some(x));
                }
            }
        }
        None => kept.set([None; 3]),
    });
    kept
}

/// Test accuracy of each network, against chance.
#[component]
pub fn Figures(page: RecurrencePage) -> impl IntoView {
    let metrics = metrics_memo(page);
    let chance = move || {
        page.config
            .with(|c| c.validate().ok().map(|e| e.chance_accuracy()))
    };
    let params = Memo::new(move |_| {
        latest(page).map(|o| o.models.iter().map(|m| m.params).collect::<Vec<_>>())
    });
    view! {
        <div class="metrics recurrence-metrics">
            {CellKind::ALL.into_iter().map(|cell| {
                let acc = move || metrics.get()[cell.index()].map_or("–".into(), |m| format!("{:.1}%", m.test_accuracy * 100.0));
                let count = move || params.get().and_then(|p| p.get(cell.index()).copied()).map(|p| format!("{p} parameters")).unwrap_or_default();
                view! {
                    <div class=format!("model-figure {}", slug(cell))>
                        <span class="label">{cell.name()} " test accuracy "</span>
                        <span class="value" data-testid=format!("accuracy-{}", slug(cell))>{acc}</span>
                        <span class="params">{count}</span>
                    </div>
                }
            }).collect_view()}
            <div class="accuracy">{move || chance().map(|c| format!("guessing scores {:.0}%", c * 100.0))}</div>
            <div>
                <span class="label">"LSTM test loss "</span>
                <span class="value" data-testid="test-loss">{move || metrics.get()[1].map_or("–".into(), |m| format!("{:.3}", m.test_loss))}</span>
                <span class="label">" · training loss "</span>
                <span class="value" data-testid="train-loss">{move || metrics.get()[1].map_or("–".into(), |m| format!("{:.3}", m.train_loss))}</span>
            </div>
        </div>
    }
}

/// Colour for a shade in `0..=1`: pale for none, deep blue for full.
fn strength_colour(shade: f32) -> String {
    format!(
        "rgba(8, 119, 189, {:.3})",
        0.05 + 0.95 * shade.clamp(0.0, 1.0)
    )
}

/// "1e-7 of the last step's": how much of the gradient survives back to step 1.
fn survival_text(gradient: &[f32]) -> String {
    match emberlab_viz::first_to_last(gradient) {
        Some(r) if r >= 0.01 => {
            format!("step 1 gets {:.0}% of the last step's gradient", r * 100.0)
        }
        Some(r) if r > 0.0 => format!("step 1 gets {r:.0e} of the last step's gradient"),
        Some(_) => "no gradient reaches step 1".into(),
        None => String::new(),
    }
}

/// The gradient reaching each time step, per network, each row on its own log scale.
#[component]
pub fn GradientStrips(page: RecurrencePage) -> impl IntoView {
    let strips = RwSignal::new(Vec::<(CellKind, Vec<f32>)>::new());
    Effect::new(move |_| {
        if let Some(o) = latest(page) {
            let fresh: Vec<(CellKind, Vec<f32>)> = o
                .models
                .iter()
                .filter(|m| !m.gradient.is_empty())
                .map(|m| (m.cell, m.gradient.clone()))
                .collect();
            if !fresh.is_empty() {
                strips.set(fresh);
            }
        } else {
            strips.set(Vec::new());
        }
    });
    let refs: [NodeRef<Canvas>; 3] = [NodeRef::new(), NodeRef::new(), NodeRef::new()];
    Effect::new(move |_| {
        strips.with(|s| {
            for (cell, gradient) in s {
                let Some(canvas) = refs[cell.index()].get() else {
                    continue;
                };
                draw_strip(
                    &canvas,
                    &emberlab_viz::relative_strengths(gradient, emberlab_viz::STRENGTH_DECADES),
                );
            }
        });
    });
    let survival = move |cell: CellKind| {
        strips.with(|s| {
            s.iter()
                .find(|(c, _)| *c == cell)
                .map(|(_, g)| survival_text(g))
                .unwrap_or_default()
        })
    };
    view! {
        <div class="gradient-strips">
            <h3>"How much gradient reaches each time step"</h3>
            <p class="explain">"Step 1 (the symbol to remember) on the left, the last step on the right. Each row is scaled to its own strongest step: dark is as strong as that, white is a thousand times weaker or less (log scale). Where a row fades to white, that network cannot learn from what happened there, however well it does elsewhere."</p>
            {CellKind::ALL.into_iter().map(|cell| view! {
                <div class="strip-row">
                    <span class="strip-name">{cell.name()}</span>
                    <canvas
                        node_ref=refs[cell.index()]
                        class="gradient-strip"
                        data-testid=format!("gradient-strip-{}", slug(cell))
                        width="10"
                        height="18"
                        role="img"
                        aria-label=move || format!("Gradient reaching each time step in the {}: {}", cell.name(), survival(cell))
                    ></canvas>
                    <span class="strip-survival" data-testid=format!("gradient-survival-{}", slug(cell))>{move || survival(cell)}</span>
                </div>
            }).collect_view()}
        </div>
    }
}

fn draw_strip(canvas: &HtmlCanvasElement, shades: &[f32]) {
    let width = (shades.len() as f64 * STEP_PX) as u32;
    if canvas.width() != width {
        canvas.set_width(width.max(1));
    }
    let Some(ctx) = context_2d(canvas) else {
        return;
    };
    ctx.clear_rect(
        0.0,
        0.0,
        f64::from(canvas.width()),
        f64::from(canvas.height()),
    );
    for (t, &shade) in shades.iter().enumerate() {
        ctx.set_fill_style_str(&strength_colour(shade));
        ctx.fill_rect(
            t as f64 * STEP_PX,
            0.0,
            STEP_PX - 1.0,
            f64::from(canvas.height()),
        );
    }
}

/// Draws a `steps × units` map (step-major) with steps across: `value → colour`.
fn draw_heatmap(
    canvas: &HtmlCanvasElement,
    values: &[f32],
    steps: usize,
    colour: impl Fn(f32) -> String,
) {
    if steps == 0 {
        return;
    }
    let units = values.len() / steps;
    let (w, h) = (
        (steps as f64 * STEP_PX) as u32,
        (units as f64 * UNIT_PX) as u32,
    );
    if canvas.width() != w || canvas.height() != h {
        canvas.set_width(w.max(1));
        canvas.set_height(h.max(1));
    }
    let Some(ctx) = context_2d(canvas) else {
        return;
    };
    for t in 0..steps {
        for u in 0..units {
            let v = values.get(t * units + u).copied().unwrap_or(0.0);
            ctx.set_fill_style_str(&colour(v));
            ctx.fill_rect(t as f64 * STEP_PX, u as f64 * UNIT_PX, STEP_PX, UNIT_PX);
        }
    }
}

fn signed_colour(v: f32) -> String {
    emberlab_viz::DivergingScale::PLAYGROUND
        .colour(v.clamp(-1.0, 1.0))
        .to_string()
}

fn gate_colour(v: f32) -> String {
    format!("rgba(8, 119, 189, {:.3})", v.clamp(0.0, 1.0))
}

/// One test sequence: its symbols, each network's hidden state over time, the LSTM's gates.
#[component]
pub fn SequenceTrace(page: RecurrencePage) -> impl IntoView {
    let trace = Memo::new(move |_| latest(page).filter(|o| o.sequence.is_some()));
    let hidden_refs: [NodeRef<Canvas>; 3] = [NodeRef::new(), NodeRef::new(), NodeRef::new()];
    let gate_refs: [NodeRef<Canvas>; 3] = [NodeRef::new(), NodeRef::new(), NodeRef::new()];
    Effect::new(move |_| {
        let Some(o) = trace.get() else {
            return;
        };
        let steps = o.length as usize;
        for m in &o.models {
            let Some(t) = &m.trace else {
                continue;
            };
            if let Some(canvas) = hidden_refs[m.cell.index()].get() {
                draw_heatmap(&canvas, &t.hidden, steps, signed_colour);
            }
            if let Some(gates) = &t.gates {
                for (i, values) in [&gates.input, &gates.forget, &gates.output]
                    .into_iter()
                    .enumerate()
                {
                    if let Some(canvas) = gate_refs[i].get() {
                        draw_heatmap(&canvas, values, steps, gate_colour);
                    }
                }
            }
        }
    });
    let next = move |_| {
        let count = page.config.with_untracked(|c| c.test_size as u32);
        page.probe.update(|s| *s = (*s + 1) % count.max(1));
        page.send_request();
    };
    let prediction = move |cell: CellKind| {
        trace.get().and_then(|o| {
            let m = o.models.iter().find(|m| m.cell == cell)?;
            let p = &m.trace.as_ref()?.prediction;
            Some(if p.len() == 1 {
                format!("{:.2}", p[0])
            } else {
                let best = p.iter().enumerate().max_by(|a, b| a.1.total_cmp(b.1))?;
                format!("{} ({:.0}%)", best.0, best.1 * 100.0)
            })
        })
    };
    view! {
        <div class="sequence-trace">
            <div class="trace-head">
                <p class="tokens" data-testid="sequence-text">{move || trace.get().and_then(|o| o.sequence.map(|s| s.text)).unwrap_or_default()}</p>
                <button class="text-button" on:click=next>"Another sequence"</button>
            </div>
            <p class="explain">{move || trace.get().and_then(|o| o.sequence.map(|s| format!("The answer: {}", if s.target.fract() == 0.0 { format!("{}", s.target as i64) } else { format!("{:.2}", s.target) }))).unwrap_or_default()}</p>
            <h3>"Hidden state over time"</h3>
            <p class="explain">"Columns are time steps, rows are the memory's numbers (orange negative, blue positive)."</p>
            {CellKind::ALL.into_iter().map(|cell| view! {
                <div class="trace-row">
                    <span class="strip-name">{cell.name()} <small>{move || prediction(cell).map(|p| format!(" says {p}")).unwrap_or_default()}</small></span>
                    <canvas node_ref=hidden_refs[cell.index()] class="trace-map" width="10" height="10" role="img" aria-label=format!("Hidden state of the {} over time", cell.name())></canvas>
                </div>
            }).collect_view()}
            <h3>"The LSTM's gates"</h3>
            <p class="explain">"How open each gate is at each step (dark: open). The forget gate staying open is how the LSTM keeps the first symbol; the input gate opens when something worth storing arrives."</p>
            {["input", "forget", "output"].into_iter().enumerate().map(|(i, name)| view! {
                <div class="trace-row">
                    <span class="strip-name">{name} " gate"</span>
                    <canvas node_ref=gate_refs[i] class="trace-map" width="10" height="10" role="img" aria-label=format!("The LSTM's {name} gate over time")></canvas>
                </div>
            }).collect_view()}
        </div>
    }
}

/// Accuracy against the sequence length, from short runs in the background.
#[component]
pub fn LengthSweep(page: RecurrencePage) -> impl IntoView {
    let sweep = page.run().sweep;
    let canvas_ref: NodeRef<Canvas> = NodeRef::new();
    Effect::new(move |_| {
        let (Some(canvas), Some((_, points))) = (canvas_ref.get(), sweep.get()) else {
            return;
        };
        let Some(ctx) = context_2d(&canvas) else {
            return;
        };
        let (w, h) = (f64::from(canvas.width()), f64::from(canvas.height()));
        let (left, bottom, top) = (34.0, h - 20.0, 8.0);
        ctx.set_fill_style_str("#fff");
        ctx.fill_rect(0.0, 0.0, w, h);
        ctx.set_stroke_style_str("#d9dde3");
        ctx.set_fill_style_str("#667085");
        ctx.set_font("11px system-ui, sans-serif");
        for a in [0.0, 0.5, 1.0] {
            let y = bottom - a * (bottom - top);
            ctx.begin_path();
            ctx.move_to(left, y);
            ctx.line_to(w - 4.0, y);
            ctx.stroke();
            let _ = ctx.fill_text(&format!("{:.0}%", a * 100.0), 2.0, y + 4.0);
        }
        let max_t = emberlab_core::recurrence::limits::MAX_LENGTH as f64;
        let x = |t: f64| left + t / max_t * (w - left - 8.0);
        for t in [10.0, 20.0, 30.0, 40.0, 50.0] {
            let _ = ctx.fill_text(&format!("T={t}"), x(t) - 12.0, h - 4.0);
        }
        for (cell, colour) in [
            (CellKind::Rnn, "#f59322"),
            (CellKind::Lstm, "#0877bd"),
            (CellKind::Gru, "#2f9e44"),
        ] {
            ctx.set_stroke_style_str(colour);
            ctx.set_fill_style_str(colour);
            ctx.set_line_width(2.0);
            ctx.begin_path();
            for (i, p) in points.iter().enumerate() {
                let (px, py) = (
                    x(f64::from(p.length)),
                    bottom - f64::from(p.accuracy(cell)) * (bottom - top),
                );
                if i == 0 {
                    ctx.move_to(px, py)
                } else {
                    ctx.line_to(px, py)
                }
                ctx.fill_rect(px - 2.0, py - 2.0, 4.0, 4.0);
            }
            ctx.stroke();
        }
        ctx.set_line_width(1.0);
    });
    view! {
        <div class="length-sweep">
            <h3>"Accuracy against sequence length"</h3>
            <p class="explain">"Short training runs at T = 5 to 50 in the background, the same settings otherwise."</p>
            <button class="text-button" data-testid="sweep" on:click=move |_| page.run().start_sweep()>
                {move || match sweep.get() {
                    Some((f, _)) if f < 1.0 => format!("Running… {:.0}%", f * 100.0),
                    Some(_) => "Run again".to_string(),
                    None => "Measure accuracy for every length".to_string(),
                }}
            </button>
            <canvas node_ref=canvas_ref class="sweep-chart" data-testid="length-sweep" width="320" height="150" role="img" aria-label="Test accuracy of the three networks against the sequence length"></canvas>
            <p class="legend-line"><span class="swatch" style="background:#f59322"></span>" RNN "<span class="swatch" style="background:#0877bd"></span>" LSTM "<span class="swatch" style="background:#2f9e44"></span>" GRU"</p>
        </div>
    }
}

/// What is on screen, in words.
#[component]
pub fn Explanation() -> impl IntoView {
    view! {
        <details class="explanation" open>
            <summary>"Why the plain RNN forgets"</summary>
            <p>
                "A recurrent network reads one step at a time and carries a memory (its hidden state) to the next. To learn that step 1 decided the answer, the error must flow back through every step in between; a plain RNN multiplies it by nearly the same matrix at each step, so over many steps it shrinks to nothing (the vanishing gradient) and the network never learns to keep step 1."
            </p>
            <p>
                "An LSTM adds gates: learned switches that decide what to store, what to keep and what to show. With its forget gate open, the memory passes from step to step almost unchanged, and so does the gradient: watch its strip stay dark back to step 1 while the RNN's fades. The GRU does the same with fewer gates."
            </p>
        </details>
    }
}
