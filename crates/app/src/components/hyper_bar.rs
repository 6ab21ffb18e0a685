//! The hyper-parameters: learning rate, optimiser, loss, activation, regularisation, batch size,
//! problem kind and speed. Each edits the config signal; the runner decides live vs reset.

use emberlab_core::limits::LEARNING_RATE_PRESETS;
use emberlab_core::{
    Activation, BatchSize, DatasetKind, ExperimentConfig, LossKind, OptimizerKind, Problem,
    Regularization,
};
use leptos::prelude::*;

use crate::runner::Speed;
use crate::state::Playground;

/// Regularisation rates offered (TensorFlow Playground's list).
const REGULARIZATION_RATES: [f64; 10] = [0.0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0];
/// Largest batch size offered by the slider (beyond it: "full").
const MAX_BATCH_SLIDER: usize = 30;
/// Speeds offered.
const SPEEDS: [(&str, Speed); 4] = [
    ("1 epoch / frame", Speed::EpochsPerFrame(1)),
    ("5 epochs / frame", Speed::EpochsPerFrame(5)),
    ("20 epochs / frame", Speed::EpochsPerFrame(20)),
    ("as fast as possible", Speed::Max),
];

/// One labelled `<select>` whose options are `(value, label)` pairs.
#[component]
fn Choice(
    label: &'static str,
    testid: &'static str,
    options: Signal<Vec<(String, String)>>,
    value: Signal<String>,
    on_pick: impl Fn(String) + 'static,
) -> impl IntoView {
    view! {
        <label class="field">
            <span class="field-label">{label}</span>
            <select
                data-testid=testid
                aria-label=label
                prop:value=move || value.get()
                on:change=move |ev| on_pick(event_target_value(&ev))
            >
                {move || {
                    let current = value.get();
                    options
                        .get()
                        .into_iter()
                        .map(|(v, l)| {
                            let selected = v == current;
                            view! { <option value=v selected=selected>{l}</option> }
                        })
                        .collect_view()
                }}
            </select>
        </label>
    }
}

fn indexed<T: Copy>(all: &[T], name: impl Fn(T) -> String) -> Vec<(String, String)> {
    all.iter()
        .enumerate()
        .map(|(i, &x)| (i.to_string(), name(x)))
        .collect()
}

fn index_of<T: PartialEq>(all: &[T], x: &T) -> String {
    all.iter().position(|a| a == x).unwrap_or(0).to_string()
}

fn pick<T: Copy>(all: &[T], v: &str) -> Option<T> {
    v.parse::<usize>().ok().and_then(|i| all.get(i).copied())
}

/// The hyper-parameter bar.
#[component]
pub fn HyperBar(state: Playground) -> impl IntoView {
    let config = state.config;
    let edit = move |f: Box<dyn FnOnce(&mut ExperimentConfig)>| config.update(f);
    let problem = Memo::new(move |_| config.with(|c| c.problem()));

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
    let optimizer_options = Signal::derive(|| indexed(&OptimizerKind::ALL, |o| o.name().into()));
    let loss_options = Signal::derive(move || {
        let p = problem.get();
        LossKind::ALL
            .iter()
            .enumerate()
            .filter(|(_, l)| l.fits(p))
            .map(|(i, l)| (i.to_string(), l.name().to_string()))
            .collect()
    });
    let activation_options = Signal::derive(|| indexed(&Activation::ALL, |a| a.name().into()));
    let reg_options = Signal::derive(|| {
        vec![
            ("none".into(), "None".into()),
            ("l1".into(), "L1".into()),
            ("l2".into(), "L2".into()),
        ]
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
    let speed_options = Signal::derive(|| {
        SPEEDS
            .iter()
            .enumerate()
            .map(|(i, (l, _))| (i.to_string(), l.to_string()))
            .collect()
    });
    let batch = Signal::derive(move || match config.with(|c| c.training.batch_size) {
        BatchSize::Full => MAX_BATCH_SLIDER + 1,
        BatchSize::Points(n) => n.min(MAX_BATCH_SLIDER),
    });
    let batch_label = move || match config.with(|c| c.training.batch_size) {
        BatchSize::Full => "full".to_string(),
        BatchSize::Points(n) => n.to_string(),
    };

    view! {
        <div class="hyper">
            <Choice
                label="Learning rate"
                testid="learning-rate"
                options=lr_options
                value=Signal::derive(move || config.with(|c| c.training.learning_rate.to_string()))
                on_pick=move |v| {
                    if let Ok(rate) = v.parse::<f64>() {
                        edit(Box::new(move |c| c.training.learning_rate = rate));
                    }
                }
            />
            <label class="field">
                <span class="field-label">"Custom rate"</span>
                <input
                    type="number"
                    step="any"
                    min="0"
                    aria-label="Custom learning rate"
                    data-testid="learning-rate-input"
                    prop:value=move || config.with(|c| c.training.learning_rate.to_string())
                    on:change=move |ev| {
                        match event_target_value(&ev).parse::<f64>() {
                            Ok(rate) => edit(Box::new(move |c| c.training.learning_rate = rate)),
                            Err(_) => state.notice.set(Some("The learning rate must be a number.".into())),
                        }
                    }
                />
            </label>
            <Choice
                label="Optimizer"
                testid="optimizer"
                options=optimizer_options
                value=Signal::derive(move || config.with(|c| index_of(&OptimizerKind::ALL, &c.training.optimizer)))
                on_pick=move |v| {
                    if let Some(o) = pick(&OptimizerKind::ALL, &v) {
                        edit(Box::new(move |c| c.training.optimizer = o));
                    }
                }
            />
            <Choice
                label="Loss"
                testid="loss"
                options=loss_options
                value=Signal::derive(move || config.with(|c| index_of(&LossKind::ALL, &c.training.loss)))
                on_pick=move |v| {
                    if let Some(l) = pick(&LossKind::ALL, &v) {
                        edit(Box::new(move |c| c.training.loss = l));
                    }
                }
            />
            <Choice
                label="Activation"
                testid="activation"
                options=activation_options
                value=Signal::derive(move || config.with(|c| {
                    c.network.hidden.first().map_or(String::new(), |l| index_of(&Activation::ALL, &l.activation))
                }))
                on_pick=move |v| {
                    if let Some(a) = pick(&Activation::ALL, &v) {
                        edit(Box::new(move |c| c.network.hidden.iter_mut().for_each(|l| l.activation = a)));
                    }
                }
            />
            <Choice
                label="Regularization"
                testid="regularization"
                options=reg_options
                value=Signal::derive(move || match config.with(|c| c.training.regularization) {
                    Regularization::None => "none".into(),
                    Regularization::L1 => "l1".into(),
                    Regularization::L2 => "l2".into(),
                })
                on_pick=move |v| {
                    let r = match v.as_str() {
                        "l1" => Regularization::L1,
                        "l2" => Regularization::L2,
                        _ => Regularization::None,
                    };
                    edit(Box::new(move |c| c.training.regularization = r));
                }
            />
            <Choice
                label="Regularization rate"
                testid="regularization-rate"
                options=reg_rate_options
                value=Signal::derive(move || config.with(|c| c.training.regularization_rate.to_string()))
                on_pick=move |v| {
                    if let Ok(r) = v.parse::<f64>() {
                        edit(Box::new(move |c| c.training.regularization_rate = r));
                    }
                }
            />
            <label class="field">
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
                            edit(Box::new(move |c| c.training.batch_size = size));
                        }
                    }
                />
            </label>
            <Choice
                label="Problem type"
                testid="problem"
                options=problem_options
                value=Signal::derive(move || {
                    if problem.get().is_classification() { "classification".into() } else { "regression".into() }
                })
                on_pick=move |v| {
                    let kind = if v == "regression" { DatasetKind::Plane } else { DatasetKind::Circle };
                    edit(Box::new(move |c| set_dataset(c, kind)));
                }
            />
            <Choice
                label="Speed"
                testid="speed"
                options=speed_options
                value=Signal::derive(move || {
                    let s = state.speed.get();
                    SPEEDS.iter().position(|(_, x)| *x == s).unwrap_or(0).to_string()
                })
                on_pick=move |v| {
                    if let Some((_, s)) = v.parse::<usize>().ok().and_then(|i| SPEEDS.get(i)) {
                        state.speed.set(*s);
                    }
                }
            />
        </div>
    }
}

/// Switches the data set, and the loss with it when the old one does not fit the new problem.
pub fn set_dataset(config: &mut ExperimentConfig, kind: DatasetKind) {
    config.data.kind = kind;
    let problem: Problem = config.problem();
    if !config.training.loss.fits(problem) {
        config.training.loss = LossKind::default_for(problem);
    }
}
