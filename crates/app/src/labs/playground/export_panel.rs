//! Model and data out (and a model back in): the data set and loss history as CSV, pictures of
//! the output and of the network, the trained network as burn's record (which imports back), a
//! Rust program that rebuilds it with burn, and a PyTorch script with a safetensors file.

use emberlab_core::csv_io::{dataset_csv, history_csv};
use emberlab_core::export::pytorch::pytorch_script;
use emberlab_core::export::record::{RECORD_FILE, from_burnpack, to_burnpack};
use emberlab_core::export::rust_program::rust_program;
use emberlab_core::export::safetensors::{SAFETENSORS_FILE, to_safetensors};
use emberlab_core::playground_state::{Checkpoint, PlaygroundState};
use emberlab_core::{Experiment, LayerWeights};
use leptos::html::Input;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::HtmlCanvasElement;

use crate::drawing::{context_2d, new_canvas};
use crate::files::{read_bytes, save_bytes, save_png, save_text};
use crate::labs::playground::runner::use_runner;
use crate::labs::playground::state::{Playground, history_points};
use crate::notice::Topic;

/// The largest model file read back (a record of the biggest network is ~10 KB).
const MAX_MODEL_BYTES: usize = 1 << 20;
/// Side of the exported output picture.
const OUTPUT_PICTURE_PX: u32 = 600;
/// The PyTorch script's file name.
const PYTORCH_FILE: &str = "emberlab_model.py";

/// The canvas with `data-testid` `testid`, if it is on the page.
fn canvas_by_testid(testid: &str) -> Option<HtmlCanvasElement> {
    web_sys::window()?
        .document()?
        .query_selector(&format!("[data-testid={testid}]"))
        .ok()??
        .dyn_into()
        .ok()
}

/// A new canvas of `width` × `height` on white.
fn blank_canvas(
    width: u32,
    height: u32,
) -> Option<(HtmlCanvasElement, web_sys::CanvasRenderingContext2d)> {
    let canvas = new_canvas(width, height)?;
    let ctx = context_2d(&canvas)?;
    ctx.set_fill_style_str("#ffffff");
    ctx.fill_rect(0.0, 0.0, f64::from(width), f64::from(height));
    Some((canvas, ctx))
}

/// The output map with its points, as one picture.
fn output_picture() -> Result<HtmlCanvasElement, String> {
    let surface = canvas_by_testid("output-surface").ok_or("the output is not on the page")?;
    let points = canvas_by_testid("output-points").ok_or("the output is not on the page")?;
    let (canvas, ctx) =
        blank_canvas(OUTPUT_PICTURE_PX, OUTPUT_PICTURE_PX).ok_or("no canvas to draw on")?;
    let side = f64::from(OUTPUT_PICTURE_PX);
    ctx.set_image_smoothing_enabled(true);
    let _ = ctx.draw_image_with_html_canvas_element_and_dw_and_dh(&surface, 0.0, 0.0, side, side);
    let _ = ctx.draw_image_with_html_canvas_element_and_dw_and_dh(&points, 0.0, 0.0, side, side);
    Ok(canvas)
}

/// The network view as one picture: links, every node's thumbnail and the feature names, at
/// its natural size (whatever its scale on screen).
fn network_picture() -> Result<HtmlCanvasElement, String> {
    let links = canvas_by_testid("links").ok_or("the network is not on the page")?;
    let root = links
        .parent_element()
        .ok_or("the network is not on the page")?;
    // The links canvas has as many pixels as it shows on screen; its CSS box is the natural
    // size (transforms do not change offset sizes).
    let (width, height) = (links.offset_width().max(1), links.offset_height().max(1));
    let (canvas, ctx) = blank_canvas(width as u32, height as u32).ok_or("no canvas to draw on")?;
    let _ = ctx.draw_image_with_html_canvas_element_and_dw_and_dh(
        &links,
        0.0,
        0.0,
        f64::from(width),
        f64::from(height),
    );
    let nodes = root
        .query_selector_all("canvas[data-node]")
        .map_err(|_| "the network is not on the page".to_string())?;
    ctx.set_stroke_style_str("#9aa3ad");
    ctx.set_fill_style_str("#20242b");
    ctx.set_font("12px sans-serif");
    ctx.set_text_align("right");
    for i in 0..nodes.length() {
        let Some(node) = nodes
            .item(i)
            .and_then(|n| n.dyn_into::<HtmlCanvasElement>().ok())
        else {
            continue;
        };
        let Some(holder) = node
            .parent_element()
            .and_then(|p| p.dyn_into::<web_sys::HtmlElement>().ok())
        else {
            continue;
        };
        if holder.offset_width() == 0 {
            continue; // hidden by a shared demo
        }
        let (x, y) = (
            f64::from(holder.offset_left()),
            f64::from(holder.offset_top()),
        );
        let side = f64::from(holder.offset_width());
        let _ = ctx.draw_image_with_html_canvas_element_and_dw_and_dh(
            &node,
            x + 1.0,
            y + 1.0,
            side - 2.0,
            side - 2.0,
        );
        ctx.stroke_rect(x + 0.5, y + 0.5, side - 1.0, side - 1.0);
        if let Some(label) = holder.query_selector(".feature-label").ok().flatten() {
            let _ = ctx.fill_text(
                &label.text_content().unwrap_or_default(),
                x - 6.0,
                y + side / 2.0 + 4.0,
            );
        }
    }
    Ok(canvas)
}

/// The trained network on screen: its experiment and weights.
fn trained(state: Playground) -> Result<(Experiment, Vec<LayerWeights>), String> {
    let experiment = state
        .config
        .get_untracked()
        .validate()
        .map_err(|e| e.to_string())?;
    let layers = state
        .snapshot
        .get_untracked()
        .ok_or("there are no weights yet; press Step or Play first")?
        .layers
        .clone();
    Ok((experiment, layers))
}

/// One download button.
#[component]
fn Save(
    label: &'static str,
    testid: &'static str,
    title: &'static str,
    state: Playground,
    save: fn(Playground) -> Result<(), String>,
) -> impl IntoView {
    view! {
        <button
            class="text-button"
            data-testid=testid
            title=title
            on:click=move |_| match save(state) {
                Ok(()) => state.notices.clear(Topic::Files),
                Err(e) => state.notices.say(Topic::Files, format!("{label}: {e}."), Vec::new()),
            }
        >
            {label}
        </button>
    }
}

/// The export buttons and the model import.
#[component]
pub fn ExportPanel(state: Playground) -> impl IntoView {
    let runner = use_runner();
    let import_ref: NodeRef<Input> = NodeRef::new();
    let on_import = move |_| {
        let Some(input) = import_ref.get() else {
            return;
        };
        leptos::task::spawn_local(async move {
            let Some(read) = read_bytes(&input, MAX_MODEL_BYTES).await else {
                return;
            };
            input.set_value("");
            let loaded = read.and_then(|(name, bytes)| {
                let experiment = state
                    .config
                    .get_untracked()
                    .validate()
                    .map_err(|e| e.to_string())?;
                from_burnpack(&experiment, &bytes)
                    .map_err(|e| format!("\"{name}\" does not fit this network: {e}"))
            });
            match loaded {
                Ok(layers) => {
                    state.notices.clear(Topic::Files);
                    runner.get().restore(PlaygroundState {
                        config: state.config.get_untracked(),
                        view: state.view_settings_untracked(),
                        hidden: state.hidden.get_untracked(),
                        checkpoint: Some(Checkpoint {
                            epoch: 0,
                            layers,
                            history: Vec::new(),
                        }),
                    });
                }
                Err(e) => state.notices.say(
                    Topic::Files,
                    format!("The model was not loaded: {e}."),
                    Vec::new(),
                ),
            }
        });
    };
    view! {
        <details class="exports" data-testid="exports" open=true>
            <summary>"Save and export"</summary>
            <div class="export-row">
                <span class="export-label">"Data"</span>
                <Save label="Data set (CSV)" testid="export-csv" state=state
                    title="The points as x1,x2,label,set rows: open them in a spreadsheet, or import them back."
                    save=|state| {
                        let csv = state.dataset.with_untracked(|d| d.as_deref().map(dataset_csv)).ok_or("no data yet")?;
                        save_text("emberlab-data.csv", &csv, "text/csv")
                    } />
                <Save label="Loss history (CSV)" testid="export-history" state=state
                    title="Loss and accuracy per epoch, for a spreadsheet."
                    save=|state| save_text("emberlab-history.csv", &state.history.with_untracked(|h| history_csv(&history_points(h))), "text/csv") />
            </div>
            <div class="export-row">
                <span class="export-label">"Pictures"</span>
                <Save label="Output (PNG)" testid="export-png" state=state
                    title="The output map with its points, as a picture for slides."
                    save=|_| save_png("emberlab-output.png", &output_picture()?) />
                <Save label="Network (PNG)" testid="export-network-png" state=state
                    title="The network view (every neuron and link), as a picture for slides."
                    save=|_| save_png("emberlab-network.png", &network_picture()?) />
            </div>
            <div class="export-row">
                <span class="export-label">"Model"</span>
                <Save label="burn record" testid="export-model" state=state
                    title="The trained weights in burn's own record format: load it back here, or in the Rust program."
                    save=|state| {
                        let (experiment, layers) = trained(state)?;
                        let bytes = to_burnpack(&experiment, &layers).map_err(|e| e.to_string())?;
                        save_bytes(RECORD_FILE, &bytes, "application/octet-stream")
                    } />
                <Save label="Rust: main.rs" testid="export-rust" state=state
                    title="A Rust program (burn) that rebuilds this network, loads the record and prints its predictions."
                    save=|state| {
                        let (experiment, _) = trained(state)?;
                        save_text("main.rs", &rust_program(&experiment).main_rs, "text/x-rust")
                    } />
                <Save label="Cargo.toml" testid="export-cargo" state=state
                    title="The Rust program's Cargo.toml (put main.rs in src/ beside it)."
                    save=|state| {
                        let (experiment, _) = trained(state)?;
                        save_text("Cargo.toml", &rust_program(&experiment).cargo_toml, "text/plain")
                    } />
                <Save label="PyTorch script" testid="export-pytorch" state=state
                    title="A PyTorch script that rebuilds this network and loads the safetensors weights."
                    save=|state| {
                        let (experiment, _) = trained(state)?;
                        save_text(PYTORCH_FILE, &pytorch_script(&experiment), "text/x-python")
                    } />
                <Save label="safetensors" testid="export-safetensors" state=state
                    title="The trained weights as safetensors, for the PyTorch script."
                    save=|state| {
                        let (experiment, layers) = trained(state)?;
                        let bytes = to_safetensors(&experiment, &layers).map_err(|e| e.to_string())?;
                        save_bytes(SAFETENSORS_FILE, &bytes, "application/octet-stream")
                    } />
            </div>
            <label class="export-row" title="Load weights saved as a burn record from a network of the same shape; training continues from them.">
                <span class="export-label">"Load a model"</span>
                <input
                    type="file"
                    accept=".bpk,application/octet-stream"
                    data-testid="import-model"
                    node_ref=import_ref
                    on:change=on_import
                />
            </label>
        </details>
    }
}
