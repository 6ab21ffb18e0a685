//! A short Rust program (a `Cargo.toml` and a `src/main.rs`) that rebuilds the network with
//! burn, loads the record of [`super::record`] and prints its predictions for
//! [`super::PROBE_POINTS`]. Its modules mirror the core's `Mlp` field for field, which is what
//! makes burn's record names match.

use super::record::RECORD_FILE;
use super::{Blueprint, Head, PROBE_POINTS};
use crate::experiment::Experiment;
use crate::features::Feature;
use crate::network::{Activation, LEAKY_RELU_SLOPE};

/// The two files of the generated cargo project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RustProject {
    /// `Cargo.toml`.
    pub cargo_toml: String,
    /// `src/main.rs`.
    pub main_rs: String,
}

/// The project that rebuilds `experiment`'s network and loads the record.
pub fn rust_program(experiment: &Experiment) -> RustProject {
    RustProject {
        cargo_toml: CARGO_TOML.to_string(),
        main_rs: main_rs(&Blueprint::of(experiment)),
    }
}

const CARGO_TOML: &str = r#"[package]
name = "emberlab-model"
version = "0.1.0"
edition = "2024"

[dependencies]
burn = { version = "=0.22.1", default-features = false, features = ["std", "flex"] }
"#;

/// A feature as a Rust expression of `x1` and `x2` (the same operations as the core's).
fn feature(feature: Feature) -> &'static str {
    match feature {
        Feature::X1 => "x1",
        Feature::X2 => "x2",
        Feature::X1Squared => "x1 * x1",
        Feature::X2Squared => "x2 * x2",
        Feature::X1TimesX2 => "x1 * x2",
        Feature::SinX1 => "x1.sin()",
        Feature::SinX2 => "x2.sin()",
        Feature::CosX1 => "x1.cos()",
        Feature::CosX2 => "x2.cos()",
    }
}

/// `inner` passed through `activation`.
fn activate(activation: Activation, inner: &str) -> String {
    match activation {
        Activation::Relu => format!("activation::relu({inner})"),
        Activation::LeakyRelu => format!("activation::leaky_relu({inner}, {LEAKY_RELU_SLOPE:?})"),
        Activation::Tanh => format!("activation::tanh({inner})"),
        Activation::Sigmoid => format!("activation::sigmoid({inner})"),
        Activation::Gelu => format!("activation::gelu({inner})"),
        Activation::Silu => format!("activation::silu({inner})"),
        Activation::Linear => inner.to_string(),
    }
}

fn main_rs(b: &Blueprint) -> String {
    let layers: Vec<String> = b
        .widths
        .windows(2)
        .map(|w| format!("dense({}, {})", w[0], w[1]))
        .collect();
    let (hidden, output) = layers.split_at(layers.len() - 1);
    let mut forward = String::new();
    for (i, activation) in b.activations.iter().enumerate() {
        let inner = format!("self.hidden[{i}].linear.forward(x)");
        forward.push_str(&format!(
            "        let x = {};\n",
            activate(*activation, &inner)
        ));
    }
    let logits = "self.output.linear.forward(x)";
    forward.push_str(&format!(
        "        {}",
        match b.head {
            Head::Sigmoid => format!("activation::sigmoid({logits})"),
            Head::Softmax => format!("activation::softmax({logits}, 1)"),
            Head::Identity => logits.to_string(),
        }
    ));
    let features: Vec<&str> = b.features.iter().map(|f| feature(*f)).collect();
    let points: Vec<String> = PROBE_POINTS
        .iter()
        .map(|(x1, x2)| format!("({x1:?}, {x2:?})"))
        .collect();
    // Only when something uses it: a linear network would warn about an unused import.
    let uses_activation =
        b.head != Head::Identity || b.activations.iter().any(|a| *a != Activation::Linear);
    let activation_import = if uses_activation {
        "use burn::tensor::activation;\n"
    } else {
        ""
    };
    format!(
        r#"//! Emberlab's network rebuilt with burn 0.22.1: {summary}.
//! The weights are in `{RECORD_FILE}`, burn's own record format.
//! Run: cargo run --release -- {RECORD_FILE}

use burn::module::Module;
use burn::nn::{{Linear, LinearConfig}};
use burn::store::ModuleRecord;
{activation_import}use burn::tensor::{{Device, Tensor, TensorData}};

/// Inputs the network takes per point.
const FEATURES: usize = {inputs};

/// A dense layer (its activation is applied in `Network::forward`).
#[derive(Module, Debug)]
struct Dense {{
    linear: Linear,
}}

/// The same modules as Emberlab's, so the record's tensor names match.
#[derive(Module, Debug)]
struct Network {{
    hidden: Vec<Dense>,
    output: Dense,
}}

impl Network {{
    fn new(device: &Device) -> Self {{
        let dense = |inputs, outputs| Dense {{
            linear: LinearConfig::new(inputs, outputs).init(device),
        }};
        Self {{
            hidden: vec![{hidden}],
            output: {output},
        }}
    }}

    /// Predictions for each row of `x` (`[points, FEATURES]`).
    fn forward(&self, x: Tensor<2>) -> Tensor<2> {{
{forward}
    }}
}}

/// A point's inputs, computed as Emberlab computes them.
fn features(x1: f32, x2: f32) -> [f32; FEATURES] {{
    [{features}]
}}

fn main() -> Result<(), Box<dyn std::error::Error>> {{
    let path = std::env::args().nth(1).unwrap_or_else(|| "{RECORD_FILE}".to_string());
    let device = Device::flex();
    let network = Network::new(&device).try_load_record(ModuleRecord::load(&path)?)?;
    let points = [{points}];
    let inputs: Vec<f32> = points.iter().flat_map(|&(x1, x2)| features(x1, x2)).collect();
    let x = Tensor::<2>::from_data(TensorData::new(inputs, [points.len(), FEATURES]), &device);
    let y: Vec<f32> = network.forward(x).into_data().try_into_vec()?;
    for (&(x1, x2), row) in points.iter().zip(y.chunks(y.len() / points.len())) {{
        let values: Vec<String> = row.iter().map(|v| format!("{{v:.7}}")).collect();
        println!("{{x1:.3}} {{x2:.3}} -> {{}}", values.join(" "));
    }}
    Ok(())
}}
"#,
        summary = b.summary(),
        inputs = b.widths[0],
        hidden = hidden.join(", "),
        output = output.join(""),
        features = features.join(", "),
        points = points.join(", "),
    )
}
