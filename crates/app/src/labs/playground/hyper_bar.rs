//! The hyper-parameters: learning rate, optimiser, loss, activation, regularisation, batch size,
//! problem kind and speed. Each sends its edit to the runner, which checks it and applies it
//! live or by a restart. `<select>` values are the core's stable keys.

use emberlab_core::limits::{LEARNING_RATE_PRESETS, MAX_LEARNING_RATE};
use emberlab_core::playground_state::{Control, Speed};
use emberlab_core::{
    Activation, BatchSize, DatasetKind, ExperimentConfig, LossKind, OptimizerKind, Problem,
    Regularization,
};
use leptos::prelude::*;

use crate::help;
use crate::labs::playground::runner::{RESTART_NOTICE_MS, use_runner};
use crate::labs::playground::state::Playground;
use crate::notice::Topic;
use crate::shell::fields::{Pick, keyed};

/// Regularisation rates offered (TensorFlow Playground's list).
const REGULARIZATION_RATES: [f64; 10] = [0.0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0];
/// Largest batch size offered by the slider (beyond it: "full").
const MAX_BATCH_SLIDER: usize = 30;
/// The activation picker's value when the layers use different activations.
const MIXED: &str = "mixed";

/// The activation all hidden layers share, or [`MIXED`].
fn shared_activation(config: &ExperimentConfig) -> String {
    let mut keys = config.network.hidden.iter().map(|l| l.activation.key());
    match keys.next() {
        Some(first) if keys.all(|k| k == first) => first.to_string(),
        Some(_) => MIXED.to_string(),
        None => Activation::Tanh.key().to_string(),
    }
}

/// The hyper-parameter bar.
#[component]
pub fn HyperBar(state: Playground) -> impl IntoView {
    let runner = use_runner();
    let config = state.config;
    let problem = Memo::new(move |_| config.with(|c| c.problem()));
    let shown = move |control: Control| move || !state.hidden.with(|h| h.hides(control));

    let lr_options = Signal::derive(move || {
        let current = config.with(|c| c.training.learning_rate);
        let mut rates: Vec<f64> = LEARNING_RATE_PRESETS.to_vec();
        if !rates.contains(&current) {
            rates.push(current);
            rates.sort_by(f64::total_cmp);
        }
        rates
            .into_iter()
            .map(|r| (r.to_string(), r.to_string()))
            .collect()
    });
    let optimizer_options =
        Signal::derive(|| keyed(&OptimizerKind::ALL, OptimizerKind::key, OptimizerKind::name));
    let loss_options = Signal::derive(move || {
        let p = problem.get();
        let fitting: Vec<LossKind> = LossKind::ALL.into_iter().filter(|l| l.fits(p)).collect();
        keyed(&fitting, LossKind::key, LossKind::name)
    });
    let activation_options = Signal::derive(move || {
        let mut options = keyed(&Activation::ALL, Activation::key, Activation::name);
        if config.with(shared_activation) == MIXED {
            options.insert(0, (MIXED.into(), "mixed (per layer)".into()));
        }
        options
    });
    let reg_options = Signal::derive(|| {
        keyed(
            &Regularization::ALL,
            Regularization::key,
            Regularization::name,
        )
    });
    let reg_rate_options = Signal::derive(|| {
        REGULARIZATION_RATES
            .iter()
            .map(|r| (r.to_string(), r.to_string()))
            .collect()
    });
    let problem_options = Signal::derive(|| {
        vec![
            ("classification".into(), "Classification".into()),
            ("regression".into(), "Regression".into()),
        ]
    });
    let speed_options = Signal::derive(|| Speed::ALL.iter().map(|s| (s.key(), s.name())).collect());
    let batch = Signal::derive(move || match config.with(|c| c.training.batch_size) {
        BatchSize::Full => MAX_BATCH_SLIDER + 1,
        BatchSize::Points(n) => n.min(MAX_BATCH_SLIDER),
    });
    let batch_label = move || match config.with(|c| c.training.batch_size) {
        BatchSize::Full => "full".to_string(),
        BatchSize::Points(n) => n.to_string(),
    };
    let set_rate = move |rate: f64| runner.edit(move |c| c.training.learning_rate = rate);

    view! {
        <div class="hyper">
            <Show when=shown(Control::LearningRate)>
                <Pick
                    label="Learning rate"
                    testid="learning-rate"
                    title=help::LEARNING_RATE.title()
                    options=lr_options
                    value=Signal::derive(move || config.with(|c| c.training.learning_rate.to_string()))
                    on_pick=move |v| {
                        if let Ok(rate) = v.parse::<f64>() {
                            set_rate(rate);
                        }
                    }
                />
                <label class="field" title=help::LEARNING_RATE.title()>
                    <span class="field-label">"Custom rate"</span>
                    <input
                        type="number"
                        step="any"
                        min="0"
                        max=MAX_LEARNING_RATE
                        aria-label="Custom learning rate"
                        data-testid="learning-rate-input"
                        prop:value=move || config.with(|c| c.training.learning_rate.to_string())
                        on:change=move |ev| {
                            match event_target_value(&ev).trim().parse::<f64>() {
                                Ok(rate) => set_rate(rate),
                                Err(_) => state.notices.say(
                                    Topic::Config,
                                    format!("The learning rate must be a number above 0 and at most {MAX_LEARNING_RATE}; it is unchanged."),
                                    Vec::new(),
                                ),
                            }
                        }
                    />
                </label>
            </Show>
            <Pick
                label="Optimizer"
                testid="optimizer"
                title=help::OPTIMIZER.title()
                options=optimizer_options
                value=Signal::derive(move || config.with(|c| c.training.optimizer.key().to_string()))
                on_pick=move |v| {
                    if let Some(o) = OptimizerKind::from_key(&v) {
                        runner.edit(move |c| c.training.optimizer = o);
                    }
                }
            />
            <Pick
                label="Loss"
                testid="loss"
                title=help::LOSS.title()
                options=loss_options
                value=Signal::derive(move || config.with(|c| c.training.loss.key().to_string()))
                on_pick=move |v| {
                    if let Some(l) = LossKind::from_key(&v) {
                        runner.edit(move |c| c.training.loss = l);
                    }
                }
            />
            <Show when=shown(Control::Activation)>
                <Pick
                    label="Activation"
                    testid="activation"
                    title=help::ACTIVATION.title()
                    options=activation_options
                    value=Signal::derive(move || config.with(shared_activation))
                    on_pick=move |v| {
                        if let Some(a) = Activation::from_key(&v) {
                            runner.edit(move |c| c.network.hidden.iter_mut().for_each(|l| l.activation = a));
                        }
                    }
                />
            </Show>
            <Show when=shown(Control::Regularization)>
                <Pick
                    label="Regularization"
                    testid="regularization"
                    title=help::REGULARIZATION.title()
                    options=reg_options
                    value=Signal::derive(move || config.with(|c| c.training.regularization.key().to_string()))
                    on_pick=move |v| {
                        if let Some(r) = Regularization::from_key(&v) {
                            runner.edit(move |c| c.training.regularization = r);
                        }
                    }
                />
            </Show>
            <Show when=shown(Control::RegularizationRate)>
                <Pick
                    label="Regularization rate"
                    testid="regularization-rate"
                    title=help::REGULARIZATION_RATE.title()
                    options=reg_rate_options
                    value=Signal::derive(move || config.with(|c| c.training.regularization_rate.to_string()))
                    on_pick=move |v| {
                        if let Ok(r) = v.parse::<f64>() {
                            runner.edit(move |c| c.training.regularization_rate = r);
                        }
                    }
                />
            </Show>
            <Show when=shown(Control::BatchSize)>
                <label class="field" title=help::BATCH_SIZE.title()>
                    <span class="field-label">"Batch size: " {batch_label}</span>
                    <input
                        type="range"
                        min="1"
                        max=MAX_BATCH_SLIDER + 1
                        aria-label="Batch size (rightmost: the full training set)"
                        data-testid="batch-size"
                        prop:value=move || batch.get().to_string()
                        on:input=move |ev| {
                            if let Ok(n) = event_target_value(&ev).parse::<usize>() {
                                let size = if n > MAX_BATCH_SLIDER { BatchSize::Full } else { BatchSize::Points(n) };
                                runner.edit(move |c| c.training.batch_size = size);
                            }
                        }
                    />
                </label>
            </Show>
            <Show when=shown(Control::Problem)>
                <Pick
                    label="Problem type"
                    testid="problem"
                    title=help::PROBLEM.title()
                    options=problem_options
                    value=Signal::derive(move || {
                        if problem.get().is_classification() { "classification".into() } else { "regression".into() }
                    })
                    on_pick=move |v| {
                        let kind = if v == "regression" { DatasetKind::Plane } else { DatasetKind::Circle };
                        runner.edit(move |c| set_dataset(c, kind));
                        let (data, loss) = config.with_untracked(|c| (c.data.kind, c.training.loss));
                        state.notices.flash(
                            Topic::Restart,
                            format!(
                                "Problem type changed: the data set is now \"{}\" and the loss {}. Training restarted from epoch 0.",
                                data.name(),
                                loss.name()
                            ),
                            RESTART_NOTICE_MS,
                        );
                    }
                />
            </Show>
            <Pick
                label="Speed"
                testid="speed"
                title=help::SPEED.title()
                options=speed_options
                value=Signal::derive(move || state.speed.get().key())
                on_pick=move |v| {
                    if let Some(s) = Speed::from_key(&v) {
                        state.speed.set(s);
                    }
                }
            />
        </div>
    }
}

/// Switches the data set; when the problem kind changes, the loss becomes that problem's
/// default (so coming back to classification restores cross-entropy).
pub fn set_dataset(config: &mut ExperimentConfig, kind: DatasetKind) {
    let before: Problem = config.problem();
    config.data.kind = kind;
    let after = config.problem();
    let kind_changed = before.is_classification() != after.is_classification()
        || matches!(before, Problem::Multiclass { .. })
            != matches!(after, Problem::Multiclass { .. });
    if kind_changed || !config.training.loss.fits(after) {
        config.training.loss = LossKind::default_for(after);
    }
}
