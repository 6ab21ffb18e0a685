//! Play/pause, step and reset, with the epoch counter.

use leptos::prelude::*;

use crate::runner::Runner;
use crate::state::Playground;

/// The transport controls.
#[component]
pub fn Controls(state: Playground, runner: Runner) -> impl IntoView {
    let playing = state.playing;
    let (play, step, reset) = (runner.clone(), runner.clone(), runner);
    let epoch = move || {
        state
            .metrics
            .get()
            .map_or_else(|| "0".to_string(), |m| m.epoch.to_string())
    };
    view! {
        <div class="controls">
            <button
                class="round reset"
                data-testid="reset"
                title="Reset the network (r)"
                aria-label="Reset the network"
                on:click=move |_| reset.reset()
            >
                <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
                    <path d="M12 5V2L7 6l5 4V7a5 5 0 1 1-5 5H5a7 7 0 1 0 7-7z" fill="currentColor"></path>
                </svg>
            </button>
            <button
                class="round play"
                data-testid="play"
                aria-pressed=move || playing.get().to_string()
                aria-label=move || if playing.get() { "Pause training" } else { "Start training" }
                title="Play / pause (space)"
                on:click=move |_| play.toggle_play()
            >
                <svg viewBox="0 0 24 24" width="26" height="26" aria-hidden="true">
                    <path d=move || if playing.get() { "M6 5h4v14H6zM14 5h4v14h-4z" } else { "M8 5v14l11-7z" } fill="currentColor"></path>
                </svg>
            </button>
            <button
                class="round step"
                data-testid="step"
                title="Train one epoch (s)"
                aria-label="Train one epoch"
                on:click=move |_| step.step()
            >
                <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
                    <path d="M6 5v14l9-7zM16 5h3v14h-3z" fill="currentColor"></path>
                </svg>
            </button>
            <div class="epoch">
                <span class="label">"Epoch"</span>
                <span class="value" data-testid="epoch">{epoch}</span>
            </div>
        </div>
    }
}
