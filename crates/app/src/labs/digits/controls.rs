//! The convolution lab's settings: the CNN's shape, the dense network it is compared with,
//! and training. Every edit is checked before it applies; all but the learning rate rebuild
//! both networks (training restarts, and the page says so).

use emberlab_core::digits::limits::{LEARNING_RATE_PRESETS, MAX_CONV_LAYERS, MIN_CONV_LAYERS};
use emberlab_core::digits::{DigitsConfig, Kernel};
use emberlab_core::{Activation, OptimizerKind};
use leptos::prelude::*;

use super::DigitsPage;
use crate::shell::fields::{Pick, keyed, numbers};

/// Filter counts offered per convolution layer.
const FILTERS: [usize; 4] = [4, 8, 16, 32];
/// Dense hidden widths offered.
const WIDTHS: [usize; 5] = [16, 32, 64, 96, 128];
/// Dropout probabilities offered.
const DROPOUTS: [f32; 5] = [0.0, 0.1, 0.25, 0.4, 0.5];
/// Batch sizes offered.
const BATCHES: [usize; 5] = [8, 16, 32, 64, 128];

/// The settings bar.
#[component]
pub fn DigitsControls(page: DigitsPage) -> impl IntoView {
    let config = page.config;
    let layers = move || config.with(|c| c.cnn.filters.len());
    let key_of = |f: fn(&DigitsConfig) -> String| Signal::derive(move || config.with(f));
    view! {
        <div class="hyper">
            <Pick
                label="Convolution layers"
                testid="conv-layers"
                title="How many convolution layers the CNN stacks; each looks at a wider patch of the image."
                options=numbers(&(MIN_CONV_LAYERS..=MAX_CONV_LAYERS).collect::<Vec<_>>())
                value=key_of(|c| c.cnn.filters.len().to_string())
                on_pick=move |v| {
                    if let Ok(n) = v.parse::<usize>() {
                        page.edit(move |c| {
                            let last = c.cnn.filters.last().copied().unwrap_or(16);
                            c.cnn.filters.resize(n, (last * 2).min(32));
                        });
                    }
                }
            />
            {move || (0..layers()).map(|layer| view! {
                <Pick
                    label=["Filters, layer 1", "Filters, layer 2", "Filters, layer 3"][layer.min(2)]
                    testid=["filters-0", "filters-1", "filters-2"][layer.min(2)]
                    title="How many different patterns (filters) this layer learns to detect."
                    options=numbers(&FILTERS)
                    value=Signal::derive(move || config.with(|c| c.cnn.filters.get(layer).copied().unwrap_or(0).to_string()))
                    on_pick=move |v| {
                        if let Ok(n) = v.parse::<usize>() {
                            page.edit(move |c| {
                                if let Some(f) = c.cnn.filters.get_mut(layer) {
                                    *f = n;
                                }
                            });
                        }
                    }
                />
            }).collect_view()}
            <Pick
                label="Kernel"
                testid="kernel"
                title="The size of the patch each filter looks at."
                options=keyed(&Kernel::ALL, Kernel::key, Kernel::name)
                value=key_of(|c| c.cnn.kernel.key().to_string())
                on_pick=move |v| {
                    if let Some(k) = Kernel::from_key(&v) {
                        page.edit(move |c| c.cnn.kernel = k);
                    }
                }
            />
            <label class="field" title="After each convolution, keep the strongest value of every 2×2 block: the maps shrink and small shifts stop mattering.">
                <span class="field-label">"Pooling"</span>
                <input
                    type="checkbox"
                    data-testid="pooling"
                    prop:checked=move || config.with(|c| c.cnn.pool)
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        page.edit(move |c| c.cnn.pool = on);
                    }
                />
            </label>
            <Pick
                label="Activation"
                testid="activation"
                title="The function applied after each convolution and dense layer."
                options=keyed(&Activation::ALL, Activation::key, Activation::name)
                value=key_of(|c| c.cnn.activation.key().to_string())
                on_pick=move |v| {
                    if let Some(a) = Activation::from_key(&v) {
                        page.edit(move |c| {
                            c.cnn.activation = a;
                            c.dense.activation = a;
                        });
                    }
                }
            />
            <Pick
                label="Dropout"
                testid="dropout"
                title="While training, switch off this share of the classifier's inputs at random, so neither network relies on any single one."
                options=numbers(&DROPOUTS)
                value=key_of(|c| c.cnn.dropout.to_string())
                on_pick=move |v| {
                    if let Ok(p) = v.parse::<f32>() {
                        page.edit(move |c| {
                            c.cnn.dropout = p;
                            c.dense.dropout = p;
                        });
                    }
                }
            />
            <Pick
                label="Dense net: hidden neurons"
                testid="dense-width"
                title="The comparison network: one hidden layer on all 64 pixels, no convolution."
                options=numbers(&WIDTHS)
                value=key_of(|c| c.dense.hidden.first().copied().unwrap_or(0).to_string())
                on_pick=move |v| {
                    if let Ok(n) = v.parse::<usize>() {
                        page.edit(move |c| c.dense.hidden = vec![n]);
                    }
                }
            />
            <Pick
                label="Optimizer"
                testid="optimizer"
                title="The rule that turns gradients into weight updates."
                options=keyed(&OptimizerKind::ALL, OptimizerKind::key, OptimizerKind::name)
                value=key_of(|c| c.training.optimizer.key().to_string())
                on_pick=move |v| {
                    if let Some(o) = OptimizerKind::from_key(&v) {
                        page.edit(move |c| c.training.optimizer = o);
                    }
                }
            />
            <Pick
                label="Learning rate"
                testid="learning-rate"
                title="How big a step the weights take each update. Applies at once: training continues."
                options=numbers(&LEARNING_RATE_PRESETS)
                value=key_of(|c| c.training.learning_rate.to_string())
                on_pick=move |v| {
                    if let Ok(rate) = v.parse::<f64>() {
                        page.set_learning_rate(rate, |c| c.training.learning_rate = rate);
                    }
                }
            />
            <Pick
                label="Batch size"
                testid="batch-size"
                title="How many images each update looks at."
                options=numbers(&BATCHES)
                value=key_of(|c| c.training.batch_size.to_string())
                on_pick=move |v| {
                    if let Ok(n) = v.parse::<usize>() {
                        page.edit(move |c| c.training.batch_size = n);
                    }
                }
            />
        </div>
    }
}
