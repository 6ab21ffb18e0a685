//! The recurrence lab's settings: the task, the sequence length T, the hidden size, the noise
//! and training. Every edit is checked before it applies; all but the learning rate rebuild
//! the networks.

use emberlab_core::OptimizerKind;
use emberlab_core::recurrence::limits::{MAX_LENGTH, MIN_LENGTH};
use emberlab_core::recurrence::{RecurrenceConfig, TaskKind};
use leptos::prelude::*;

use super::RecurrencePage;
use crate::shell::fields::{Pick, keyed, numbers};

const HIDDEN: [usize; 5] = [4, 8, 16, 32, 64];
const NOISE: [f32; 5] = [0.0, 0.25, 0.5, 1.0, 2.0];
const RATES: [f64; 5] = [0.001, 0.003, 0.01, 0.03, 0.1];

/// The settings bar.
#[component]
pub fn RecurrenceControls(page: RecurrencePage) -> impl IntoView {
    let config = page.config;
    let key_of = |f: fn(&RecurrenceConfig) -> String| Signal::derive(move || config.with(f));
    let length = RwSignal::new(config.with_untracked(|c| c.length));
    view! {
        <div class="hyper">
            <Pick
                label="Task"
                testid="task"
                title="What the networks must do with each sequence."
                options=keyed(&TaskKind::ALL, TaskKind::key, TaskKind::name)
                value=key_of(|c| c.task.key().to_string())
                on_pick=move |v| {
                    if let Some(t) = TaskKind::from_key(&v) {
                        page.edit(move |c| c.task = t);
                    }
                }
            />
            <label class="field" title="T: how many time steps each sequence has. The longer, the further back the networks must remember.">
                <span class="field-label">"Sequence length T: " {move || length.get()}</span>
                <input
                    type="range"
                    min=MIN_LENGTH
                    max=MAX_LENGTH
                    data-testid="seq-length"
                    aria-label="Sequence length T"
                    prop:value=move || length.get().to_string()
                    on:input=move |ev| {
                        if let Ok(t) = event_target_value(&ev).parse::<usize>() {
                            length.set(t);
                        }
                    }
                    on:change=move |ev| {
                        if let Ok(t) = event_target_value(&ev).parse::<usize>() {
                            length.set(t);
                            page.edit(move |c| c.length = t);
                        }
                    }
                />
            </label>
            <Pick
                label="Hidden size"
                testid="hidden-size"
                title="How many numbers each network's memory (its hidden state) holds."
                options=numbers(&HIDDEN)
                value=key_of(|c| c.hidden.to_string())
                on_pick=move |v| {
                    if let Ok(n) = v.parse::<usize>() {
                        page.edit(move |c| c.hidden = n);
                    }
                }
            />
            <Pick
                label="Distractor noise"
                testid="noise"
                title="Noise added to the distractors of the memory task: a plain RNN must then hold the first symbol against noise, which makes its early gradients vanish; gates just shut."
                options=numbers(&NOISE)
                value=key_of(|c| c.noise.to_string())
                on_pick=move |v| {
                    if let Ok(n) = v.parse::<f32>() {
                        page.edit(move |c| c.noise = n);
                    }
                }
            />
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
