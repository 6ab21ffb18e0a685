//! A dismissible banner for messages a user must read (bad input, divergence, failures).

use leptos::prelude::*;

use crate::state::Playground;

/// The notice banner; hidden when there is nothing to say.
#[component]
pub fn Notice(state: Playground) -> impl IntoView {
    move || {
        state.notice.get().map(|text| {
            view! {
                <div class="notice" role="alert" data-testid="notice">
                    <span>{text}</span>
                    <button aria-label="Dismiss" on:click=move |_| state.notice.set(None)>
                        "×"
                    </button>
                </div>
            }
        })
    }
}
