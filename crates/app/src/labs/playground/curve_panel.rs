//! The learning curve (issue 12): the same network trained from scratch on growing shares of
//! the training points, a few milliseconds per frame beside the main run; the final training
//! and test losses against the number of training points show that more data narrows the gap.

use emberlab_core::inspect::CurvePoint;
use emberlab_core::inspect::limits::CURVE_STEPS;
use leptos::html::Canvas;
use leptos::prelude::*;

use crate::labs::playground::background::{Job, in_worker};
use crate::labs::playground::small_chart::{Axes, Line, draw_lines};
use crate::labs::playground::state::Playground;
use crate::worker::jobs::protocol::{JobReport, JobSpec};

/// The chart's size in CSS pixels.
const CURVE_SIZE: (f64, f64) = (320.0, 170.0);

/// The learning-curve panel.
#[component]
pub fn CurvePanel(state: Playground) -> impl IntoView {
    let results = RwSignal::new(Vec::<CurvePoint>::new());
    let sizes = RwSignal::new(Vec::<usize>::new());
    let progress = RwSignal::new(0.0f32);
    let running = RwSignal::new(false);
    let problem_text = RwSignal::new(None::<String>);
    let job = StoredValue::new_local(Job::default());
    on_cleanup(move || job.with_value(Job::stop));
    let start = move |_| {
        job.with_value(Job::stop);
        if let Err(e) = state.config.get_untracked().validate() {
            problem_text.set(Some(format!("The learning curve cannot start: {e}.")));
            return;
        }
        problem_text.set(None);
        sizes.set(Vec::new());
        results.set(Vec::new());
        progress.set(0.0);
        running.set(true);
        let spec = JobSpec::LearningCurve(state.config.get_untracked());
        let started = in_worker(&spec, move |report| match report {
            JobReport::LearningCurve {
                sizes: s,
                progress: p,
                results: r,
                done,
            } => {
                if sizes.with_untracked(Vec::len) != s.len() {
                    sizes.set(s);
                }
                progress.set(p);
                if results.with_untracked(Vec::len) != r.len() {
                    results.set(r);
                }
                if done {
                    running.set(false);
                }
            }
            JobReport::Failed(e) => {
                running.set(false);
                problem_text.set(Some(format!("The learning curve stopped: {e}")));
            }
            // Another job's reports never come here.
            _ => {}
        });
        match started {
            Ok(new_job) => job.set_value(new_job),
            Err(e) => {
                running.set(false);
                problem_text.set(Some(format!("The learning curve cannot start: {e}.")));
            }
        }
    };
    let canvas: NodeRef<Canvas> = NodeRef::new();
    Effect::new(move |_| {
        let Some(c) = canvas.get() else {
            return;
        };
        results.with(|r| {
            let train: Vec<(f64, f64)> = r
                .iter()
                .map(|p| (p.size as f64, f64::from(p.train_loss)))
                .collect();
            let test: Vec<(f64, f64)> = r
                .iter()
                .map(|p| (p.size as f64, f64::from(p.test_loss)))
                .collect();
            draw_lines(
                &c,
                &Axes {
                    size: CURVE_SIZE,
                    x_name: "training points",
                    log_y: false,
                },
                &[
                    Line {
                        colour: "#3b6fb6",
                        dashed: true,
                        points: &train,
                        dots: true,
                    },
                    Line {
                        colour: "#e07b1a",
                        dashed: false,
                        points: &test,
                        dots: true,
                    },
                ],
            );
        });
    });
    view! {
        <div class="learning-curve" data-testid="learning-curve"
             data-points=move || results.with(Vec::len).to_string()
             data-running=move || running.get().to_string()>
            <h3>"Learning curve: does more data help?"</h3>
            <p class="explain">{format!(
                "Trains this network from scratch on a growing share of the training points ({CURVE_STEPS} steps each), in the background, then plots the final losses: training dashed blue, test orange."
            )}</p>
            <button data-testid="learning-curve-run" on:click=start
                title="Train the network on 10 %, 20 %, 40 %, 70 % and all of the training points">
                {move || if running.get() { "Start again" } else { "Draw the learning curve" }}
            </button>
            {move || problem_text.get().map(|t| view! { <p class="problem" role="alert">{t}</p> })}
            <canvas
                node_ref=canvas
                class="curve-chart"
                width=CURVE_SIZE.0
                height=CURVE_SIZE.1
                role="img"
                aria-label="Final training and test loss against the number of training points"
            ></canvas>
            <table class="curve-table">
                <thead><tr><th scope="col">"points"</th><th scope="col">"train loss"</th><th scope="col">"test loss"</th><th scope="col">"gap"</th></tr></thead>
                <tbody>
                    {move || results.with(|r| r.iter().map(|p| view! {
                        <tr data-testid=format!("curve-{}", p.size) data-train=p.train_loss.to_string() data-test=p.test_loss.to_string()>
                            <td>{p.size}</td>
                            <td>{format!("{:.3}", p.train_loss)}</td>
                            <td>{format!("{:.3}", p.test_loss)}</td>
                            <td>{format!("{:.3}", p.gap())}</td>
                        </tr>
                    }).collect_view())}
                </tbody>
            </table>
            <p class="curve-status" data-testid="curve-status">{move || {
                let (done, all) = (results.with(Vec::len), sizes.with(Vec::len));
                if all == 0 {
                    "Press the button to train the runs.".to_string()
                } else if running.get() {
                    format!("Training run {} of {all}… ({:.0} %)", done + 1, 100.0 * progress.get())
                } else {
                    format!("Done: {done} runs.")
                }
            }}</p>
            <details class="why">
                <summary>"What to look for"</summary>
                <p>"With few points a big network fits them all (training loss near 0) but guesses on new points (high test loss): a wide gap. More points leave less room to memorise, so the test loss falls towards the training loss. This is why deep learning needs data."</p>
            </details>
        </div>
    }
}
