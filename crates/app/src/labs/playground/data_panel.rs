//! The data panel: data-set thumbnails, noise, train/test ratio, size, classes, regenerate.

use emberlab_core::limits::{
    MAX_CLASSES, MAX_DATA_SIZE, MAX_NOISE_PERCENT, MAX_TRAIN_PERCENT, MIN_CLASSES, MIN_DATA_SIZE,
    MIN_TRAIN_PERCENT,
};
use emberlab_core::playground_state::Control;
use emberlab_core::{DataConfig, DatasetKind};
use leptos::html::Canvas;
use leptos::prelude::*;

use crate::drawing::{PointStyle, draw_points};
use crate::help::{self, Help};
use crate::labs::playground::data_editor::{CsvImport, DrawTools};
use crate::labs::playground::hyper_bar::set_dataset;
use crate::labs::playground::runner::use_runner;
use crate::labs::playground::state::Playground;

/// Points drawn in a thumbnail.
const THUMBNAIL_POINTS: usize = 200;
/// Backing-store side of a thumbnail: twice its 56 CSS px, so it stays crisp on high-density
/// screens and when the browser zooms.
const THUMBNAIL_PX: u32 = 112;

/// A real mini plot of one generator.
#[component]
fn Thumbnail(state: Playground, kind: DatasetKind) -> impl IntoView {
    let runner = use_runner();
    let canvas_ref: NodeRef<Canvas> = NodeRef::new();
    Effect::new(move |_| {
        let Some(canvas) = canvas_ref.get() else {
            return;
        };
        let config = DataConfig {
            kind,
            size: THUMBNAIL_POINTS,
            noise_percent: 0,
            train_percent: 90,
            classes: state.config.with(|c| c.data.classes),
            ..DataConfig::default()
        };
        let data = config.generate(1);
        draw_points(&canvas, &data, false, PointStyle::THUMBNAIL);
    });
    let selected = move || state.config.with(|c| c.data.kind == kind);
    view! {
        <button
            class="thumbnail"
            class:selected=selected
            aria-pressed=move || selected().to_string()
            aria-label=format!("{} data set", kind.name())
            title=format!("{}: {}", kind.name(), help::DATASET.title())
            data-testid=format!("dataset-{}", kind.key())
            on:click=move |_| runner.edit(|c| set_dataset(c, kind))
        >
            <canvas node_ref=canvas_ref width=THUMBNAIL_PX height=THUMBNAIL_PX></canvas>
            <span>{kind.name()}</span>
        </button>
    }
}

/// One labelled range slider over integers.
#[component]
fn Slider(
    label: &'static str,
    testid: &'static str,
    help: Help,
    min: usize,
    max: usize,
    step: usize,
    value: Signal<usize>,
    on_set: impl Fn(usize) + 'static,
) -> impl IntoView {
    view! {
        <label class="field" title=help.title()>
            <span class="field-label">{label} ": " {move || value.get()}</span>
            <input
                type="range"
                min=min
                max=max
                step=step
                aria-label=label
                data-testid=testid
                prop:value=move || value.get().to_string()
                on:change=move |ev| {
                    if let Ok(v) = event_target_value(&ev).parse::<usize>() {
                        on_set(v);
                    }
                }
            />
        </label>
    }
}

/// The data panel.
#[component]
pub fn DataPanel(state: Playground) -> impl IntoView {
    let runner = use_runner();
    let config = state.config;
    let shown = move |control: Control| move || !state.hidden.with(|h| h.hides(control));
    let has_classes =
        move || config.with(|c| matches!(c.data.kind, DatasetKind::Blobs | DatasetKind::Rings));
    view! {
        <div class="data-panel">
            <Show when=shown(Control::Dataset)>
                <div class="thumbnails">
                    {DatasetKind::GENERATORS
                        .into_iter()
                        .map(|kind| view! { <Thumbnail state=state kind=kind /> })
                        .collect_view()}
                </div>
            </Show>
            <Show when=shown(Control::TrainRatio)>
            <Slider
                label="Ratio of training data (%)"
                help=help::TRAIN_RATIO
                testid="train-percent"
                min=MIN_TRAIN_PERCENT as usize
                max=MAX_TRAIN_PERCENT as usize
                step=10
                value=Signal::derive(move || config.with(|c| c.data.train_percent as usize))
                on_set=move |v| runner.edit(|c| c.data.train_percent = v as u32)
            />
            </Show>
            <Show when=shown(Control::Noise)>
            <Slider
                label="Noise (%)"
                help=help::NOISE
                testid="noise"
                min=0
                max=MAX_NOISE_PERCENT as usize
                step=5
                value=Signal::derive(move || config.with(|c| c.data.noise_percent as usize))
                on_set=move |v| runner.edit(|c| c.data.noise_percent = v as u32)
            />
            </Show>
            <Slider
                label="Data size"
                help=help::DATA_SIZE
                testid="data-size"
                min=MIN_DATA_SIZE
                max=MAX_DATA_SIZE
                step=50
                value=Signal::derive(move || config.with(|c| c.data.size))
                on_set=move |v| runner.edit(|c| c.data.size = v)
            />
            <Show when=has_classes>
                <Slider
                    label="Classes"
                    help=help::CLASSES
                    testid="classes"
                    min=MIN_CLASSES
                    max=MAX_CLASSES
                    step=1
                    value=Signal::derive(move || config.with(|c| c.data.classes))
                    on_set=move |v| runner.edit(|c| c.data.classes = v)
                />
            </Show>
            <DrawTools state=state />
            <CsvImport state=state />
            <button
                class="text-button"
                data-testid="regenerate"
                aria-label="Regenerate the data with a new seed"
                title=help::REGENERATE.title()
                on:click=move |_| runner.edit(|c| c.seed = c.seed.wrapping_add(1))
            >
                "Regenerate"
            </button>
            <span class="seed">"seed " {move || config.with(|c| c.seed)}</span>
            <Show when=shown(Control::ShowTestData)>
                <label class="toggle" title=help::SHOW_TEST.title()>
                    <input
                        type="checkbox"
                        data-testid="show-test"
                        prop:checked=move || state.show_test.get()
                        on:change=move |ev| state.show_test.set(event_target_checked(&ev))
                    />
                    " Show test data"
                </label>
            </Show>
            <Show when=shown(Control::Discretize)>
                <label class="toggle" title=help::DISCRETIZE.title()>
                    <input
                        type="checkbox"
                        data-testid="discretize"
                        prop:checked=move || state.discretize.get()
                        on:change=move |ev| state.discretize.set(event_target_checked(&ev))
                    />
                    " Discretize output"
                </label>
            </Show>
        </div>
    }
}
