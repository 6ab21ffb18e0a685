//! A short PyTorch script that rebuilds the network (same features, activations and head),
//! loads the weights from the safetensors file of [`super::safetensors`] and prints its
//! predictions for [`super::PROBE_POINTS`].

use super::safetensors::SAFETENSORS_FILE;
use super::{Blueprint, Head, PROBE_POINTS};
use crate::experiment::Experiment;
use crate::features::Feature;
use crate::network::{Activation, LEAKY_RELU_SLOPE};

/// File name the exports suggest for the script.
pub const SCRIPT_FILE: &str = "emberlab_model.py";

/// The script that rebuilds `experiment`'s network in PyTorch.
pub fn pytorch_script(experiment: &Experiment) -> String {
    script(&Blueprint::of(experiment))
}

/// A feature as a PyTorch expression of the tensors `x1` and `x2`.
fn feature(feature: Feature) -> &'static str {
    match feature {
        Feature::X1 => "x1",
        Feature::X2 => "x2",
        Feature::X1Squared => "x1 * x1",
        Feature::X2Squared => "x2 * x2",
        Feature::X1TimesX2 => "x1 * x2",
        Feature::SinX1 => "torch.sin(x1)",
        Feature::SinX2 => "torch.sin(x2)",
        Feature::CosX1 => "torch.cos(x1)",
        Feature::CosX2 => "torch.cos(x2)",
    }
}

/// `inner` passed through `activation`.
fn activate(activation: Activation, inner: &str) -> String {
    match activation {
        Activation::Relu => format!("F.relu({inner})"),
        Activation::LeakyRelu => format!("F.leaky_relu({inner}, {LEAKY_RELU_SLOPE:?})"),
        Activation::Tanh => format!("torch.tanh({inner})"),
        Activation::Sigmoid => format!("torch.sigmoid({inner})"),
        Activation::Gelu => format!("F.gelu({inner})"),
        Activation::Silu => format!("F.silu({inner})"),
        Activation::Linear => inner.to_string(),
    }
}

fn script(b: &Blueprint) -> String {
    let linears: Vec<String> = b
        .widths
        .windows(2)
        .map(|w| format!("nn.Linear({}, {})", w[0], w[1]))
        .collect();
    let (hidden, output) = linears.split_at(linears.len() - 1);
    let mut forward = String::new();
    for (i, activation) in b.activations.iter().enumerate() {
        let inner = format!("self.hidden[{i}](x)");
        forward.push_str(&format!("        x = {}\n", activate(*activation, &inner)));
    }
    let logits = "self.output(x)";
    forward.push_str(&format!(
        "        return {}",
        match b.head {
            Head::Sigmoid => format!("torch.sigmoid({logits})"),
            Head::Softmax => format!("torch.softmax({logits}, dim=-1)"),
            Head::Identity => logits.to_string(),
        }
    ));
    let features: Vec<&str> = b.features.iter().map(|f| feature(*f)).collect();
    let points: Vec<String> = PROBE_POINTS
        .iter()
        .map(|(x1, x2)| format!("[{x1:?}, {x2:?}]"))
        .collect();
    format!(
        r#""""Emberlab's network rebuilt in PyTorch: {summary}.

The weights are in {SAFETENSORS_FILE}.
Run: python3 {SCRIPT_FILE} [{SAFETENSORS_FILE}]   (needs: pip install torch safetensors)
"""
import sys

import torch
import torch.nn.functional as F
from safetensors.torch import load_file
from torch import nn


def features(x1, x2):
    """A point's inputs, computed as Emberlab computes them."""
    return torch.stack([{features}], dim=-1)


class Network(nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden = nn.ModuleList([{hidden}])
        self.output = {output}

    def forward(self, x):
{forward}


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else "{SAFETENSORS_FILE}"
    network = Network()
    network.load_state_dict(load_file(path))
    network.eval()
    points = torch.tensor([{points}], dtype=torch.float32)
    with torch.no_grad():
        y = network(features(points[:, 0], points[:, 1]))
    for (x1, x2), row in zip(points.tolist(), y.tolist()):
        print(f"{{x1:.3f}} {{x2:.3f}} -> " + " ".join(f"{{v:.7f}}" for v in row))


if __name__ == "__main__":
    main()
"#,
        summary = b.summary(),
        hidden = hidden.join(", "),
        output = output.join(""),
        features = features.join(", "),
        points = points.join(", "),
    )
}
