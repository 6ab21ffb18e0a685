//! A slice of the loss landscape (issue 12): the training loss on a grid of weights around the
//! current ones, along two filter-normalised random directions (or the two directions the
//! recent path moved most along), computed in a worker of its own, with the optimiser's recent
//! path projected onto it.

use emberlab_core::LayerWeights;
use emberlab_core::inspect::limits::{LANDSCAPE_RADIUS, MAX_LANDSCAPE_RADIUS};
use emberlab_core::inspect::{Directions, LandscapeConfig, PathProjection};
use emberlab_viz::landscape_rgba;
use leptos::html::Canvas;
use leptos::prelude::*;
use web_sys::HtmlCanvasElement;

use crate::drawing::{context_2d, put_rgba};
use crate::frame::{Throttle, now_ms};
use crate::labs::playground::background::{Job, in_worker};
use crate::labs::playground::state::Playground;
use crate::worker::jobs::protocol::{JobReport, JobSpec};

/// Weights kept for the path (the most recent).
const PATH_LENGTH: usize = 120;
/// Least time between two path points while training (ms).
const PATH_INTERVAL_MS: f64 = 100.0;
/// The slice's size in CSS pixels.
const LANDSCAPE_PX: f64 = 240.0;
/// At most this many training points per grid point (a prefix of the shuffled points).
const LANDSCAPE_POINTS: usize = 500;

/// Which plane the slice lies in.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Plane {
    /// Two seeded random directions, filter-normalised.
    Random,
    /// The two directions the recent path moved most along.
    Path,
}

/// What the finished (or growing) slice shows.
#[derive(Clone, PartialEq, Debug)]
struct Slice {
    losses: Vec<f32>,
    size: usize,
    radius: f32,
    computed: usize,
    path: Vec<(f32, f32)>,
    captured: f32,
    epoch: u64,
    range: Option<(f32, f32)>,
}

/// Grid coordinates (α, β) to canvas pixels: α to the right, β up.
fn to_px(alpha: f32, beta: f32, radius: f32) -> (f64, f64) {
    let half = LANDSCAPE_PX / 2.0;
    (
        half + f64::from(alpha / radius) * half,
        half - f64::from(beta / radius) * half,
    )
}

fn draw_slice(heat: &HtmlCanvasElement, overlay: &HtmlCanvasElement, slice: &Slice) {
    put_rgba(heat, &landscape_rgba(&slice.losses), slice.size);
    let Some(ctx) = context_2d(overlay) else {
        return;
    };
    ctx.clear_rect(0.0, 0.0, LANDSCAPE_PX, LANDSCAPE_PX);
    ctx.set_line_width(2.0);
    ctx.set_stroke_style_str("#ffffff");
    ctx.begin_path();
    let mut first = true;
    for &(a, b) in &slice.path {
        let (x, y) = to_px(a, b, slice.radius);
        if first {
            ctx.move_to(x, y);
            first = false;
        } else {
            ctx.line_to(x, y);
        }
    }
    ctx.stroke();
    if let Some(&(a, b)) = slice.path.first() {
        let (x, y) = to_px(a, b, slice.radius);
        ctx.set_fill_style_str("#ffffff");
        ctx.fill_rect(x - 3.0, y - 3.0, 6.0, 6.0);
    }
    // The current weights: the centre.
    let (x, y) = to_px(0.0, 0.0, slice.radius);
    ctx.set_fill_style_str("#e4002b");
    ctx.set_stroke_style_str("#ffffff");
    ctx.begin_path();
    let _ = ctx.arc(x, y, 5.0, 0.0, std::f64::consts::TAU);
    ctx.fill();
    ctx.stroke();
}

/// The landscape panel.
#[component]
pub fn LandscapePanel(state: Playground) -> impl IntoView {
    let slice = RwSignal::new(None::<Slice>);
    let plane = RwSignal::new(Plane::Random);
    let running = RwSignal::new(false);
    let problem_text = RwSignal::new(None::<String>);
    let job = StoredValue::new_local(Job::default());
    on_cleanup(move || job.with_value(Job::stop));
    // The recent path: weights sampled while training.
    let path = StoredValue::new(Vec::<(u64, Vec<LayerWeights>)>::new());
    let sampler = StoredValue::new(Throttle::new(PATH_INTERVAL_MS));
    Effect::new(move |_| {
        let Some(snapshot) = state.snapshot.get() else {
            return;
        };
        let playing = state.run.playing.get_untracked();
        if sampler.try_update_value(|t| t.due(now_ms(), playing)) != Some(true) {
            return;
        }
        path.update_value(|p| {
            let new_run = p
                .last()
                .is_some_and(|(epoch, layers)| !snapshot.continues(*epoch, layers));
            if new_run {
                p.clear();
            }
            if p.last().is_none_or(|(epoch, _)| *epoch != snapshot.epoch) {
                p.push((snapshot.epoch, snapshot.layers.clone()));
            }
            if p.len() > PATH_LENGTH {
                p.remove(0);
            }
        });
    });
    let start = move |_| {
        job.with_value(Job::stop);
        let setup = (|| -> Result<_, String> {
            let snapshot = state
                .snapshot
                .get_untracked()
                .ok_or("no weights yet: press Step first")?;
            let experiment = state
                .config
                .get_untracked()
                .validate()
                .map_err(|e| e.to_string())?;
            let dataset = state.dataset.get_untracked().ok_or("no data yet")?;
            let centre = snapshot.layers.clone();
            let recent: Vec<Vec<LayerWeights>> =
                path.with_value(|p| p.iter().map(|(_, l)| l.clone()).collect());
            let (directions, radius) = match plane.get_untracked() {
                Plane::Random => (
                    Directions::random(&centre, experiment.config().seed),
                    LANDSCAPE_RADIUS,
                ),
                Plane::Path => {
                    let directions = Directions::principal(&centre, &recent).ok_or(
                        "the path is too short: train a little (Play, then Pause) and try again",
                    )?;
                    let extent = directions.project(&centre, &recent).extent();
                    (
                        directions,
                        (extent * 1.25).clamp(1e-3, MAX_LANDSCAPE_RADIUS),
                    )
                }
            };
            let projection: PathProjection = directions.project(&centre, &recent);
            let config = LandscapeConfig {
                radius,
                ..LandscapeConfig::default()
            };
            let points = dataset.train[..dataset.train.len().min(LANDSCAPE_POINTS)].to_vec();
            let spec = JobSpec::Landscape {
                config: experiment.config().clone(),
                centre,
                directions,
                points,
                slice: config,
            };
            Ok((spec, projection, snapshot.epoch))
        })();
        let (spec, projection, epoch) = match setup {
            Ok(s) => s,
            Err(e) => {
                problem_text.set(Some(format!("No slice: {e}.")));
                return;
            }
        };
        problem_text.set(None);
        running.set(true);
        let started = in_worker(&spec, move |report| match report {
            JobReport::Landscape { landscape: l, done } => {
                slice.set(Some(Slice {
                    losses: l.losses.clone(),
                    size: l.config.size,
                    radius: l.config.radius,
                    computed: l.computed,
                    path: projection.coordinates.clone(),
                    captured: projection.captured,
                    epoch,
                    range: l.range(),
                }));
                if done {
                    running.set(false);
                }
            }
            JobReport::Failed(e) => {
                running.set(false);
                problem_text.set(Some(format!("No slice: {e}")));
            }
            // Another job's reports never come here.
            _ => {}
        });
        match started {
            Ok(new_job) => job.set_value(new_job),
            Err(e) => {
                running.set(false);
                problem_text.set(Some(format!("No slice: {e}.")));
            }
        }
    };
    let heat: NodeRef<Canvas> = NodeRef::new();
    let overlay: NodeRef<Canvas> = NodeRef::new();
    Effect::new(move |_| {
        if let (Some(h), Some(o)) = (heat.get(), overlay.get()) {
            slice.with(|s| {
                if let Some(s) = s {
                    draw_slice(&h, &o, s);
                }
            });
        }
    });
    let words = move || {
        slice.with(|s| match s {
            None => "Pause training, then compute a slice around the weights on screen.".to_string(),
            Some(s) => {
                let total = s.size * s.size;
                let range = s.range.map_or(String::new(), |(lo, hi)| {
                    format!(" Losses from {lo:.3} (dark) to {hi:.3} (bright).")
                });
                let progress = if s.computed < total {
                    format!("{} of {total} points computed.", s.computed)
                } else {
                    format!("Around the weights of epoch {}.", s.epoch)
                };
                format!(
                    "{progress}{range} The white line is the last {} weights shown; this plane holds {:.0} % of their movement.",
                    s.path.len(),
                    100.0 * s.captured
                )
            }
        })
    };
    view! {
        <div class="landscape" data-testid="landscape"
             data-computed=move || slice.with(|s| s.as_ref().map_or(0, |s| s.computed)).to_string()
             data-total=move || slice.with(|s| s.as_ref().map_or(0, |s| s.size * s.size)).to_string()
             data-centre=move || slice.with(|s| s.as_ref().and_then(|s| s.losses.get(s.losses.len() / 2).map(|v| v.to_string())).unwrap_or_default())>
            <h3>"Loss landscape"</h3>
            <p class="explain">"The training loss for weights around the current ones (the red dot), moved along two directions in weight space. Gradient descent walks downhill on this surface."</p>
            <div class="landscape-controls">
                <label>"Directions "
                    <select data-testid="landscape-directions"
                        on:change=move |ev| plane.set(if event_target_value(&ev) == "path" { Plane::Path } else { Plane::Random })>
                        <option value="random" selected=true>"random (filter-normalised)"</option>
                        <option value="path">"where the path went (PCA)"</option>
                    </select>
                </label>
                <button data-testid="landscape-run" on:click=start>
                    {move || if running.get() { "Start again" } else { "Compute the slice" }}
                </button>
            </div>
            {move || problem_text.get().map(|t| view! { <p class="problem" role="alert">{t}</p> })}
            <div class="landscape-plot">
                <canvas node_ref=heat class="landscape-heat" width="1" height="1"
                    role="img" aria-label=move || format!("Loss landscape slice. {}", words())></canvas>
                <canvas node_ref=overlay class="landscape-overlay" width=LANDSCAPE_PX height=LANDSCAPE_PX></canvas>
            </div>
            <p class="landscape-words" data-testid="landscape-words">{words}</p>
            <details class="why">
                <summary>"What to look for"</summary>
                <p>"A network has thousands of weights, so its loss lives in thousands of dimensions; this is one flat slice through them. Random directions are scaled to each neuron's weights (filter normalisation), so slices of different networks compare fairly. A wide, round valley is easy for gradient descent; narrow ravines make it zig-zag. The path rarely lies in a random plane; choose the path's own directions to see it walk downhill."</p>
            </details>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_centre_is_the_middle_and_beta_points_up() {
        assert_eq!(to_px(0.0, 0.0, 1.0), (120.0, 120.0));
        assert_eq!(to_px(1.0, 1.0, 1.0), (240.0, 0.0));
        assert_eq!(to_px(-0.5, -0.5, 0.5), (0.0, 240.0));
    }
}
