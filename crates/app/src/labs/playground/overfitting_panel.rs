//! Overfitting made visible (issue 12): training and test loss with the gap between them
//! shaded and the epoch of the best test loss marked, early stopping, "restore best weights"
//! and the "overfit me" preset.

use emberlab_core::ExperimentConfig;
use emberlab_core::inspect::{best_test_epoch, gap_series};
use emberlab_core::playground_state::HistoryPoint;
use leptos::html::Canvas;
use leptos::prelude::*;
use web_sys::HtmlCanvasElement;

use crate::drawing::context_2d;
use crate::labs::playground::runner::use_runner;
use crate::labs::playground::small_chart::thinned;
use crate::labs::playground::state::Playground;

/// The chart's size in CSS pixels.
const GAP_SIZE: (f64, f64) = (320.0, 160.0);
/// Most history points drawn (the history is thinned evenly beyond that).
const GAP_POINTS: usize = 300;
/// Largest patience the input accepts (epochs).
const MAX_PATIENCE: u64 = 100_000;
/// Training line colour (as the shared loss chart).
const TRAIN_COLOUR: &str = "#3b6fb6";
/// Test line colour.
const TEST_COLOUR: &str = "#e07b1a";

/// The upper end of the loss axis: the largest finite loss, ignoring the first 5 % of the
/// points (the untrained start would flatten the rest), and at least 0.05.
fn loss_top(points: &[HistoryPoint]) -> f32 {
    let skip = points.len() / 20;
    points
        .iter()
        .skip(skip)
        .flat_map(|p| [p.train_loss, p.test_loss])
        .filter(|v| v.is_finite())
        .fold(0.05f32, f32::max)
        * 1.1
}

/// Draws both losses, the gap between them and the best test epoch.
fn draw_gap(canvas: &HtmlCanvasElement, points: &[HistoryPoint], best: Option<HistoryPoint>) {
    let Some(ctx) = context_2d(canvas) else {
        return;
    };
    let (w, h) = GAP_SIZE;
    ctx.clear_rect(0.0, 0.0, w, h);
    let points: Vec<HistoryPoint> = thinned(points, GAP_POINTS)
        .into_iter()
        .filter(|p| p.train_loss.is_finite() && p.test_loss.is_finite())
        .collect();
    let (Some(first), Some(last)) = (points.first(), points.last()) else {
        return;
    };
    let (left, right, top, bottom) = (40.0, w - 8.0, 8.0, h - 20.0);
    let top_loss = loss_top(&points);
    let span = f64::from(last.epoch.saturating_sub(first.epoch).max(1));
    let x_of = |epoch: u32| left + (right - left) * f64::from(epoch - first.epoch) / span;
    let y_of = |loss: f32| bottom - (bottom - top) * f64::from(loss.min(top_loss) / top_loss);
    // Axes and ticks.
    ctx.set_stroke_style_str("#c9ced6");
    ctx.set_fill_style_str("#5b6472");
    ctx.set_font("11px sans-serif");
    ctx.set_line_width(1.0);
    for k in 0..=2 {
        let loss = top_loss * k as f32 / 2.0;
        let y = y_of(loss);
        ctx.begin_path();
        ctx.move_to(left, y);
        ctx.line_to(right, y);
        ctx.stroke();
        let _ = ctx.fill_text(&format!("{loss:.2}"), 4.0, y + 4.0);
    }
    let _ = ctx.fill_text(&format!("epoch {}", first.epoch), left, h - 4.0);
    ctx.set_text_align("right");
    let _ = ctx.fill_text(&format!("epoch {}", last.epoch), right, h - 4.0);
    ctx.set_text_align("left");
    // The gap: from the training line up (or down) to the test line.
    ctx.set_fill_style_str("rgba(214, 69, 65, 0.22)");
    ctx.begin_path();
    for (i, p) in points.iter().enumerate() {
        let (x, y) = (x_of(p.epoch), y_of(p.train_loss));
        if i == 0 {
            ctx.move_to(x, y);
        } else {
            ctx.line_to(x, y);
        }
    }
    for p in points.iter().rev() {
        ctx.line_to(x_of(p.epoch), y_of(p.test_loss));
    }
    ctx.close_path();
    ctx.fill();
    ctx.set_line_width(2.0);
    for (colour, loss) in [
        (
            TRAIN_COLOUR,
            (|p: &HistoryPoint| p.train_loss) as fn(&HistoryPoint) -> f32,
        ),
        (TEST_COLOUR, |p: &HistoryPoint| p.test_loss),
    ] {
        ctx.set_stroke_style_str(colour);
        ctx.begin_path();
        for (i, p) in points.iter().enumerate() {
            let (x, y) = (x_of(p.epoch), y_of(loss(p)));
            if i == 0 {
                ctx.move_to(x, y);
            } else {
                ctx.line_to(x, y);
            }
        }
        ctx.stroke();
    }
    if let Some(best) = best.filter(|b| b.epoch >= first.epoch) {
        let x = x_of(best.epoch);
        ctx.set_stroke_style_str("#1c7c3c");
        ctx.set_line_width(1.5);
        let _ = ctx.set_line_dash(&js_sys::Array::of2(&4.0.into(), &3.0.into()));
        ctx.begin_path();
        ctx.move_to(x, top);
        ctx.line_to(x, bottom);
        ctx.stroke();
        let _ = ctx.set_line_dash(&js_sys::Array::new());
        ctx.set_fill_style_str("#1c7c3c");
        ctx.begin_path();
        let _ = ctx.arc(x, y_of(best.test_loss), 4.0, 0.0, std::f64::consts::TAU);
        ctx.fill();
        ctx.set_text_align(if x > (left + right) / 2.0 {
            "right"
        } else {
            "left"
        });
        let dx = if x > (left + right) / 2.0 { -4.0 } else { 4.0 };
        let _ = ctx.fill_text(
            &format!("best test, epoch {}", best.epoch),
            x + dx,
            top + 10.0,
        );
        ctx.set_text_align("left");
    }
}

/// Epochs since the best test loss that [`gap_words`] still calls "a moment ago".
const RECENT_EPOCHS: u32 = 20;

/// What the gap looks like now, in words.
fn gap_words(points: &[HistoryPoint], best: Option<HistoryPoint>) -> String {
    let Some(gap) = gap_series(points)
        .last()
        .copied()
        .filter(|g| g.gap.is_finite())
    else {
        return "No losses yet: press Play or Step.".into();
    };
    let now = format!(
        "Now the test loss is {:.3} above the training loss",
        gap.gap
    );
    match best {
        // A few epochs of noise are not overfitting yet.
        Some(b) if b.epoch < gap.epoch && gap.epoch - b.epoch < RECENT_EPOCHS => format!(
            "{now}. The test loss was lowest ({:.3}) at epoch {}, a moment ago: if it keeps \
             rising, the network is learning its training points rather than the pattern.",
            b.test_loss, b.epoch
        ),
        Some(b) if b.epoch < gap.epoch => format!(
            "{now}. The test loss was lowest ({:.3}) at epoch {}: since then the network has been \
             learning its training points rather than the pattern.",
            b.test_loss, b.epoch
        ),
        _ => format!("{now}; the test loss is still at its lowest."),
    }
}

/// The generalisation-gap chart with early stopping and the overfitting preset.
#[component]
pub fn OverfittingPanel(state: Playground) -> impl IntoView {
    let runner = use_runner();
    let points = state.history_points;
    let best = Memo::new(move |_| points.with(|p| best_test_epoch(p)));
    let canvas: NodeRef<Canvas> = NodeRef::new();
    Effect::new(move |_| {
        if let Some(c) = canvas.get() {
            let _time = crate::timing::Span::new("draw gap");
            points.with(|p| draw_gap(&c, p, best.get()));
        }
    });
    let words = move || points.with(|p| gap_words(p, best.get()));
    let best_kept = move || {
        state.best.get().map_or_else(
            || "No best weights kept yet.".to_string(),
            |(epoch, loss)| format!("Best weights kept: epoch {epoch}, test loss {loss:.3}."),
        )
    };
    let on_patience = move |ev: web_sys::Event| {
        if let Ok(p) = event_target_value(&ev).trim().parse::<u64>() {
            state.patience.set(p.clamp(1, MAX_PATIENCE));
        }
    };
    view! {
        <div class="overfitting" data-testid="gap-chart"
             data-best-epoch=move || best.get().map_or(String::new(), |b| b.epoch.to_string())
             data-best-loss=move || best.get().map_or(String::new(), |b| b.test_loss.to_string())>
            <h3>"Training vs test: the generalisation gap"</h3>
            <p class="explain">"Blue is the loss on the training points, orange on the test points the network never trains on. The shaded band is the gap between them; the green line marks the lowest test loss."</p>
            <canvas
                node_ref=canvas
                class="gap-canvas"
                width=GAP_SIZE.0
                height=GAP_SIZE.1
                role="img"
                aria-label=move || format!("Training and test loss over the epochs. {}", words())
            ></canvas>
            <p class="gap-summary" data-testid="gap-summary">{words}</p>
            <div class="early-stopping-row">
                <label title="Pause and go back to the weights with the lowest test loss once it has not improved for the patience.">
                    <input
                        type="checkbox"
                        data-testid="early-stopping"
                        prop:checked=move || state.early_stopping.get()
                        on:change=move |ev| state.early_stopping.set(event_target_checked(&ev))
                    />
                    " Early stopping after "
                </label>
                <input
                    type="number"
                    class="patience"
                    data-testid="patience"
                    aria-label="Patience in epochs"
                    min="1"
                    max=MAX_PATIENCE
                    prop:value=move || state.patience.get().to_string()
                    on:change=on_patience
                />
                " epochs without a better test loss"
            </div>
            <div class="early-stopping-row">
                <button
                    data-testid="restore-best"
                    disabled=move || state.best.get().is_none()
                    title="Go back to the weights with the lowest test loss this run and continue from there."
                    on:click=move |_| runner.get().restore_best()
                >"Restore best weights"</button>
                <span class="best-kept" data-testid="best-kept">{best_kept}</span>
            </div>
            <div class="early-stopping-row">
                <button
                    data-testid="overfit-me"
                    title="Few noisy points and a big network: watch the test loss turn up, then repair it."
                    on:click=move |_| runner.edit(|c| *c = ExperimentConfig::overfitting())
                >"Overfit me"</button>
                <span class="hint">"50 noisy training points, two layers of 12 ReLUs."</span>
            </div>
            <details class="why">
                <summary>"What to look for"</summary>
                <p>"While both lines fall, the network is learning the pattern. When the orange line turns up while the blue one keeps falling, it is memorising its training points, noise included: that is overfitting, and the band widens. Press Overfit me, train, then repair it: raise L2 regularisation, add dropout, give it more data (a larger train ratio or data size), or turn on early stopping, and watch the band narrow."</p>
            </details>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(epoch: u32, train_loss: f32, test_loss: f32) -> HistoryPoint {
        HistoryPoint {
            epoch,
            train_loss,
            test_loss,
            train_accuracy: None,
            test_accuracy: None,
        }
    }

    #[test]
    fn the_loss_axis_ignores_the_untrained_start() {
        let mut points = vec![point(0, 9.0, 9.0)];
        points.extend((1..40).map(|e| point(e, 0.3, 0.4)));
        assert!((loss_top(&points) - 0.44).abs() < 1e-5);
    }

    #[test]
    fn the_gap_is_told_in_words() {
        let points = [point(0, 0.7, 0.7), point(10, 0.2, 0.3), point(20, 0.1, 0.5)];
        let words = gap_words(&points, best_test_epoch(&points));
        assert!(words.contains("0.400 above"), "{words}");
        assert!(words.contains("epoch 10, a moment ago"), "{words}");
        let later = [point(0, 0.7, 0.7), point(10, 0.2, 0.3), point(60, 0.1, 0.5)];
        let words = gap_words(&later, best_test_epoch(&later));
        assert!(
            words.contains("since then the network has been learning"),
            "{words}"
        );
        assert!(gap_words(&[], None).starts_with("No losses"));
    }
}
