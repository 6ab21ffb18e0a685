//! The attention lab's settings: the task, the data, the transformer's shape and training.
//! Every edit is checked before it applies; all but the learning rate rebuild the models.

use emberlab_core::OptimizerKind;
use emberlab_core::attention::{AttentionConfig, Positions, Task};
use leptos::prelude::*;

use super::AttentionPage;
use crate::notice::Topic;
use crate::shell::lab::use_shell;
use crate::worker::protocol::LabSetup;

const LENGTHS: [usize; 7] = [4, 5, 6, 8, 10, 12, 16];
const LAYERS: [usize; 3] = [1, 2, 3];
const HEADS: [usize; 3] = [1, 2, 4];
const WIDTHS: [usize; 3] = [16, 32, 64];
const RATES: [f64; 5] = [0.0003, 0.001, 0.003, 0.01, 0.03];
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
pub fn AttentionControls(page: AttentionPage) -> impl IntoView {
    let shell = use_shell();
    let config = page.config;
    let edit = move |change: Box<dyn FnOnce(&mut AttentionConfig)>| {
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
                        "Training restarted from epoch 0: the models were rebuilt for the new settings.",
                        RESTART_MS,
                    );
                }
                config.set(next.clone());
                run.set_setup(LabSetup::Attention(next));
                page.probe.set(emberlab_core::attention::Probe::Test(0));
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
    let key_of = |f: fn(&AttentionConfig) -> String| Signal::derive(move || config.with(f));
    view! {
        <div class="hyper">
            <Pick
                label="Task"
                testid="task"
                title="What the models learn to write under each input sequence."
                options=Task::ALL.iter().map(|t| (t.key().to_string(), t.name().to_string())).collect()
                value=key_of(|c| c.task.key().to_string())
                on_pick=move |v| {
                    if let Some(t) = Task::from_key(&v) {
                        edit(Box::new(move |c| c.task = t));
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
                        edit(Box::new(move |c| {
                            c.min_length = n;
                            c.max_length = n;
                            c.shift = c.shift.min(n - 1).max(1);
                        }));
                    }
                }
            />
            <Pick
                label="Positions"
                testid="positions"
                title="Whether (and how) the transformer is told where each symbol stands. Attention alone does not know the order: without positions it cannot reverse a sequence."
                options=Positions::ALL.iter().map(|p| (p.key().to_string(), p.name().to_string())).collect()
                value=key_of(|c| c.positions.key().to_string())
                on_pick=move |v| {
                    if let Some(p) = Positions::from_key(&v) {
                        edit(Box::new(move |c| c.positions = p));
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
                        edit(Box::new(move |c| c.layers = n));
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
                        edit(Box::new(move |c| c.heads = n));
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
                        edit(Box::new(move |c| {
                            c.width = n;
                            c.feed_forward = n * 2;
                        }));
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
                        edit(Box::new(move |c| c.lstm = on));
                    }
                />
            </label>
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
