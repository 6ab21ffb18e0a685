//! The attention lab's settings: the task, the data, the transformer's shape and training.
//! Every edit is checked before it applies; all but the learning rate rebuild the models.

use emberlab_core::OptimizerKind;
use emberlab_core::attention::{AttentionConfig, Positions, Task};
use leptos::prelude::*;

use super::AttentionPage;
use crate::shell::fields::{Pick, keyed, numbers};

const LENGTHS: [usize; 7] = [4, 5, 6, 8, 10, 12, 16];
const LAYERS: [usize; 3] = [1, 2, 3];
const HEADS: [usize; 3] = [1, 2, 4];
const WIDTHS: [usize; 3] = [16, 32, 64];
const RATES: [f64; 5] = [0.0003, 0.001, 0.003, 0.01, 0.03];

/// The settings bar.
#[component]
pub fn AttentionControls(page: AttentionPage) -> impl IntoView {
    let config = page.config;
    let key_of = |f: fn(&AttentionConfig) -> String| Signal::derive(move || config.with(f));
    view! {
        <div class="hyper">
            <Pick
                label="Task"
                testid="task"
                title="What the models learn to write under each input sequence."
                options=keyed(&Task::ALL, Task::key, Task::name)
                value=key_of(|c| c.task.key().to_string())
                on_pick=move |v| {
                    if let Some(t) = Task::from_key(&v) {
                        page.edit(move |c| c.task = t);
                    }
                }
            />
            <Pick
                label="Length"
                testid="length"
                title="How many symbols each sequence has."
                options=numbers(&LENGTHS)
                value=key_of(|c| c.max_length.to_string())
                on_pick=move |v| {
                    if let Ok(n) = v.parse::<usize>() {
                        page.edit(move |c| {
                            c.min_length = n;
                            c.max_length = n;
                            c.shift = c.shift.min(n - 1).max(1);
                        });
                    }
                }
            />
            <Pick
                label="Positions"
                testid="positions"
                title="Whether (and how) the transformer is told where each symbol stands. Attention alone does not know the order: without positions it cannot reverse a sequence."
                options=keyed(&Positions::ALL, Positions::key, Positions::name)
                value=key_of(|c| c.positions.key().to_string())
                on_pick=move |v| {
                    if let Some(p) = Positions::from_key(&v) {
                        page.edit(move |c| c.positions = p);
                    }
                }
            />
            <Pick
                label="Layers"
                testid="layers"
                title="Transformer layers stacked on each other."
                options=numbers(&LAYERS)
                value=key_of(|c| c.layers.to_string())
                on_pick=move |v| {
                    if let Ok(n) = v.parse::<usize>() {
                        page.edit(move |c| c.layers = n);
                    }
                }
            />
            <Pick
                label="Heads"
                testid="heads"
                title="Attention heads per layer: each can look at different positions."
                options=numbers(&HEADS)
                value=key_of(|c| c.heads.to_string())
                on_pick=move |v| {
                    if let Ok(n) = v.parse::<usize>() {
                        page.edit(move |c| c.heads = n);
                    }
                }
            />
            <Pick
                label="Width"
                testid="width"
                title="The size of each symbol's vector inside the model."
                options=numbers(&WIDTHS)
                value=key_of(|c| c.width.to_string())
                on_pick=move |v| {
                    if let Ok(n) = v.parse::<usize>() {
                        page.edit(move |c| {
                            c.width = n;
                            c.feed_forward = n * 2;
                        });
                    }
                }
            />
            <label class="field" title="Trains a bidirectional LSTM on the same batches, for comparison.">
                <span class="field-label">"LSTM too"</span>
                <input
                    type="checkbox"
                    data-testid="lstm"
                    prop:checked=move || config.with(|c| c.lstm)
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        page.edit(move |c| c.lstm = on);
                    }
                />
            </label>
            <Pick
                label="Optimizer"
                testid="optimizer"
                title="The rule that turns gradients into weight updates."
                options=keyed(&OptimizerKind::ALL, OptimizerKind::key, OptimizerKind::name)
                value=key_of(|c| c.optimizer.key().to_string())
                on_pick=move |v| {
                    if let Some(o) = OptimizerKind::from_key(&v) {
                        page.edit(move |c| c.optimizer = o);
                    }
                }
            />
            <Pick
                label="Learning rate"
                testid="learning-rate"
                title="How big a step the weights take each update. Applies at once: training continues."
                options=numbers(&RATES)
                value=key_of(|c| c.learning_rate.to_string())
                on_pick=move |v| {
                    if let Ok(rate) = v.parse::<f64>() {
                        page.set_learning_rate(rate, |c| c.learning_rate = rate);
                    }
                }
            />
        </div>
    }
}
