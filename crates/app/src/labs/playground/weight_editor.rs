//! The inline editor that opens where a weight's link was clicked.

use leptos::html::Input;
use leptos::prelude::*;

use crate::labs::playground::runner::Runner;
use crate::labs::playground::state::Playground;

/// The largest weight (either sign) the editor sets: larger ones only saturate the
/// activations, and a typo like 1e9 would wreck the run.
pub const MAX_EDITED_WEIGHT: f32 = 10.0;

/// A weight being edited: where it lives in the network and where its editor shows.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WeightEdit {
    /// Layer of the weight (0 = from the features).
    pub layer: usize,
    /// Input it comes from.
    pub input: usize,
    /// Neuron it feeds.
    pub neuron: usize,
    /// Its value when clicked.
    pub weight: f32,
    /// Where the click was, in the network canvas's pixels.
    pub at: (f64, f64),
}

/// A number field over the network: Enter sets the weight, Escape (or clicking away) cancels.
#[component]
pub fn WeightEditor(
    editing: RwSignal<Option<WeightEdit>>,
    state: Playground,
    runner: Runner,
) -> impl IntoView {
    let input_ref: NodeRef<Input> = NodeRef::new();
    // `Show` needs thread-safe children; the runner lives in a local arena slot instead.
    let runner = StoredValue::new_local(runner);
    // Value, focus and selection are set here, after the field is in the page: setting a
    // value moves the caret to the end, so the selection must come after it.
    Effect::new(move |_| {
        if let (Some(edit), Some(input)) = (editing.get(), input_ref.get()) {
            input.set_value(&format!("{:.4}", edit.weight));
            let _ = input.focus();
            input.select();
        }
    });
    let commit = move || {
        let (Some(edit), Some(input)) = (editing.get_untracked(), input_ref.get_untracked()) else {
            return;
        };
        let text = input.value();
        editing.set(None);
        match text.trim().parse::<f32>() {
            Ok(v) if v.abs() <= MAX_EDITED_WEIGHT => {
                state.notices.clear(crate::notice::Topic::Config);
                runner.with_value(|r| r.edit_weight(edit.layer, edit.input, edit.neuron, v))
            }
            Ok(v) if v.is_finite() => state.notices.say(
                crate::notice::Topic::Config,
                format!(
                    "A weight can be set from -{MAX_EDITED_WEIGHT} to {MAX_EDITED_WEIGHT}; {v} is outside, so the weight is unchanged."
                ),
                Vec::new(),
            ),
            _ => state.notices.say(
                crate::notice::Topic::Config,
                format!(
                    "\"{}\" is not a number; the weight is unchanged.",
                    text.trim()
                ),
                Vec::new(),
            ),
        }
    };
    let at = move || editing.get().map_or((0.0, 0.0), |e| e.at);
    view! {
        <Show when=move || editing.with(Option::is_some)>
            <input
                node_ref=input_ref
                class="weight-editor"
                data-testid="weight-editor"
                type="text"
                inputmode="decimal"
                title=format!("A number from -{MAX_EDITED_WEIGHT} to {MAX_EDITED_WEIGHT}")
                aria-label="New value of the weight (Enter to set, Escape to cancel)"
                style:left=move || format!("{}px", at().0)
                style:top=move || format!("{}px", at().1)
                on:keydown=move |ev: web_sys::KeyboardEvent| match ev.key().as_str() {
                    "Enter" => commit(),
                    "Escape" => editing.set(None),
                    _ => {}
                }
                on:blur=move |_| editing.set(None)
            />
        </Show>
    }
}
