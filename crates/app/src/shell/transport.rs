//! Play/pause, step and reset, with the epoch counter: the same controls for every lab.

use emberlab_core::playground_state::{Control, Hidden};
use leptos::prelude::*;

use crate::shell::lab::{RunSignals, use_shell};

/// The transport controls of the open lab; `hidden` hides some for a focused demo.
#[component]
pub fn Transport(
    run: RunSignals,
    #[prop(optional)] hidden: Option<RwSignal<Hidden>>,
) -> impl IntoView {
    let shell = use_shell();
    let playing = run.playing;
    let shown = move |control: Control| {
        move || {
            if hidden.is_some_and(|h| h.with(|h| h.hides(control))) {
                "none"
            } else {
                ""
            }
        }
    };
    let command = move |f: fn(&dyn crate::shell::lab::Lab)| {
        move |_| {
            if let Some(lab) = shell.lab.get() {
                f(lab.as_ref());
            }
        }
    };
    view! {
        <div class="controls">
            <button
                class="round reset"
                data-testid="reset"
                style:display=shown(Control::Reset)
                title="Start again from the initial weights (r)"
                aria-label="Reset the network"
                on:click=command(|lab| lab.reset())
            >
                <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
                    <path d="M12 5V2L7 6l5 4V7a5 5 0 1 1-5 5H5a7 7 0 1 0 7-7z" fill="currentColor"></path>
                </svg>
            </button>
            <button
                class="round play"
                data-testid="play"
                style:display=shown(Control::Play)
                aria-pressed=move || playing.get().to_string()
                aria-label=move || if playing.get() { "Pause training" } else { "Start training" }
                title="Play / pause (space)"
                on:click=command(|lab| lab.toggle_play())
            >
                <svg viewBox="0 0 24 24" width="26" height="26" aria-hidden="true">
                    <path d=move || if playing.get() { "M6 5h4v14H6zM14 5h4v14h-4z" } else { "M8 5v14l11-7z" } fill="currentColor"></path>
                </svg>
            </button>
            <button
                class="round step"
                data-testid="step"
                style:display=shown(Control::Step)
                title="Train one epoch (s)"
                aria-label="Train one epoch"
                on:click=command(|lab| lab.step())
            >
                <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
                    <path d="M6 5v14l9-7zM16 5h3v14h-3z" fill="currentColor"></path>
                </svg>
            </button>
            <div class="epoch" title="An epoch is one pass over all the training data">
                <span class="label">"Epoch"</span>
                <span class="value" data-testid="epoch">{move || run.epoch.get().to_string()}</span>
            </div>
        </div>
    }
}
