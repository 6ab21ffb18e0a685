//! The recurrence lab's settings: the task, the sequence length T, the hidden size, the noise
//! and training. Every edit is checked before it applies; all but the learning rate rebuild
//! the networks.

use emberlab_core::OptimizerKind;
use emberlab_core::recurrence::limits::{MAX_LENGTH, MIN_LENGTH};
use emberlab_core::recurrence::{RecurrenceConfig, TaskKind};
use leptos::prelude::*;

use super::RecurrencePage;
use crate::notice::Topic;
use crate::shell::lab::use_shell;
use crate::worker::protocol::LabSetup;

const HIDDEN: [usize; 5] = [4, 8, 16, 32, 64];
const NOISE: [f32; 5] = [0.0, 0.25, 0.5, 1.0, 2.0];
const RATES: [f64; 5] = [0.001, 0.003, 0.01, 0.03, 0.1];
const RESTART_MS: u64 = 4000;

#[component]
fn Pick(
    label: &'static str,
    testid: &'static str,
    title: &'static str,
    options: Vec<(String, String)>,
    value: Signal<String>,
    on_pick: impl Fn(String) + 'static,
) -> impl IntoView {
    view! {
        <label class="field" title=title>
            <span class="field-label">{label}</span>
            <select
                data-testid=testid
                aria-label=label
                prop:value=move || value.get()
                on:change=move |ev| on_pick(event_target_value(&ev))
            >
                {options
                    .into_iter()
                    .map(|(v, l)| view! { <option value=v.clone() selected=move || value.get() == v>{l}</option> })
                    .collect_view()}
            </select>
        </label>
    }
}

fn numbers<T: ToString>(values: &[T]) -> Vec<(String, String)> {
    values
        .iter()
        .map(|v| (v.to_string(), v.to_string()))
        .collect()
}

/// The settings bar.
#[component]
pub fn RecurrenceControls(page: RecurrencePage) -> impl IntoView {
    let shell = use_shell();
    let config = page.config;
    let edit = move |change: Box<dyn FnOnce(&mut RecurrenceConfig)>| {
        let mut next = config.get_untracked();
        change(&mut next);
        if next == config.get_untracked() {
            return;
        }
        match next.validate() {
            Ok(_) => {
                let run = page.run();
                if run.run.epoch.get_untracked() > 0 {
                    shell.notices.flash(
                        Topic::Restart,
                        "Training restarted from epoch 0: the networks were rebuilt for the new settings.",
                        RESTART_MS,
                    );
                }
                config.set(next.clone());
                run.set_setup(LabSetup::Recurrence(next));
                page.send_request();
                shell.notices.clear(Topic::Config);
            }
            Err(e) => shell.notices.say(
                Topic::Config,
                format!("{e}. The change was not applied."),
                Vec::new(),
            ),
        }
    };
    let key_of = |f: fn(&RecurrenceConfig) -> String| Signal::derive(move || config.with(f));
    let length = RwSignal::new(config.with_untracked(|c| c.length));
    view! {
        <div class="hyper">
            <Pick
                label="Task"
                testid="task"
                title="What the networks must do with each sequence."
                options=TaskKind::ALL.iter().map(|t| (t.key().to_string(), t.name().to_string())).collect()
                value=key_of(|c| c.task.key().to_string())
                on_pick=move |v| {
                    if let Some(t) = TaskKind::from_key(&v) {
                        edit(Box::new(move |c| c.task = t));
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
                            edit(Box::new(move |c| c.length = t));
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
                        edit(Box::new(move |c| c.hidden = n));
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
                        edit(Box::new(move |c| c.noise = n));
                    }
                }
            />
            <Pick
                label="Optimizer"
                testid="optimizer"
                title="The rule that turns gradients into weight updates."
                options=OptimizerKind::ALL.iter().map(|o| (o.key().to_string(), o.name().to_string())).collect()
                value=key_of(|c| c.optimizer.key().to_string())
                on_pick=move |v| {
                    if let Some(o) = OptimizerKind::from_key(&v) {
                        edit(Box::new(move |c| c.optimizer = o));
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
                        config.update(|c| c.learning_rate = rate);
                        page.run().set_learning_rate(rate);
                    }
                }
            />
        </div>
    }
}
