//! The dense network as one flat parameter vector, with forward and backward passes over
//! blocks of points.
//!
//! A block holds `rows × lanes` vectors, neuron-major: row `r` (one neuron, or one input
//! feature) is `block[r * lanes..(r + 1) * lanes]`, four points per vector. Every inner loop
//! runs along a row, so it is a straight sequence of 4-wide multiply-adds.

use wide::f32x4;

use super::activation::{activate, backpropagate};
use super::lanes::Lanes;
use crate::experiment::Experiment;
use crate::model::LayerWeights;
use crate::network::Activation;

/// One dense layer: its shape, where its numbers live in the parameter vector, and its
/// activation and dropout.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Layer {
    /// Fan-in.
    pub inputs: usize,
    /// Neurons.
    pub outputs: usize,
    /// Offset of the `inputs × outputs` row-major weights (`w[i * outputs + j]`).
    pub weights: usize,
    /// Offset of the `outputs` biases.
    pub biases: usize,
    /// Activation (the output layer is linear).
    pub activation: Activation,
    /// Dropout probability while training (0 for the output layer).
    pub dropout: f32,
}

impl Layer {
    /// The range of this layer's weights in the parameter vector.
    pub fn weight_range(&self) -> std::ops::Range<usize> {
        self.weights..self.weights + self.inputs * self.outputs
    }
}

/// Hidden layers and the output layer over one flat parameter vector.
#[derive(Debug, Clone, PartialEq)]
pub struct Network {
    /// Hidden layers, then the output layer.
    pub layers: Vec<Layer>,
    /// Every weight and bias, layer after layer (weights, then biases).
    pub params: Vec<f32>,
}

impl Network {
    /// The network of `experiment` holding `weights` (one entry per layer, output last; the
    /// caller has checked the shapes).
    pub fn new(experiment: &Experiment, weights: &[LayerWeights]) -> Self {
        let hidden = &experiment.config().network.hidden;
        let mut layers = Vec::with_capacity(weights.len());
        let mut params = Vec::new();
        for (l, w) in weights.iter().enumerate() {
            let (activation, dropout) = match hidden.get(l) {
                Some(spec) => (spec.activation, spec.dropout),
                None => (Activation::Linear, 0.0),
            };
            let offset = params.len();
            params.extend_from_slice(&w.weights);
            params.extend_from_slice(&w.biases);
            layers.push(Layer {
                inputs: w.inputs,
                outputs: w.outputs,
                weights: offset,
                biases: offset + w.inputs * w.outputs,
                activation,
                dropout,
            });
        }
        Self { layers, params }
    }

    /// Weights and biases per layer, output last.
    pub fn layer_weights(&self) -> Vec<LayerWeights> {
        self.layers
            .iter()
            .map(|l| LayerWeights {
                inputs: l.inputs,
                outputs: l.outputs,
                weights: self.params[l.weight_range()].to_vec(),
                biases: self.params[l.biases..l.biases + l.outputs].to_vec(),
            })
            .collect()
    }

    /// The hidden layers (all but the output layer).
    pub fn hidden(&self) -> &[Layer] {
        &self.layers[..self.layers.len() - 1]
    }

    /// Runs `x` (`inputs × lanes`) through every layer, keeping each layer's pre-activations
    /// and outputs in `trace`. With `masks`, hidden outputs are multiplied by their dropout
    /// mask (`masks[l]` is empty for a layer without dropout).
    pub fn forward(&self, x: &[Lanes], trace: &mut Trace, masks: Option<&[Vec<Lanes>]>) {
        let lanes = trace.lanes;
        for (l, layer) in self.layers.iter().enumerate() {
            let (before, rest) = trace.outputs.split_at_mut(l);
            let input = if l == 0 { x } else { &before[l - 1][..] };
            let z = &mut trace.pre[l];
            affine(&self.params, layer, input, z, lanes);
            let out = &mut rest[0];
            activate(layer.activation, z, out);
            if let Some(mask) = masks.and_then(|m| m.get(l)).filter(|m| !m.is_empty()) {
                // Keep the unmasked activations for the derivative; the next layer reads
                // the masked ones.
                let kept = &mut trace.kept[l];
                kept.clear();
                kept.extend_from_slice(out);
                out.iter_mut().zip(mask).for_each(|(o, &m)| *o *= m);
            }
        }
    }

    /// Gradients of the loss with respect to every parameter, into `grads` (same layout as
    /// `params`), given the inputs `x`, the forward `trace` and `delta` = dLoss/dlogits
    /// (`outputs × lanes`, zero in padding lanes). `delta` is used as scratch.
    pub fn backward(
        &self,
        x: &[Lanes],
        trace: &Trace,
        masks: Option<&[Vec<Lanes>]>,
        delta: &mut Vec<Lanes>,
        scratch: &mut Vec<Lanes>,
        grads: &mut [f32],
    ) {
        let lanes = trace.lanes;
        for (l, layer) in self.layers.iter().enumerate().rev() {
            let input = if l == 0 { x } else { &trace.outputs[l - 1][..] };
            let w = &self.params[layer.weight_range()];
            let (n_in, n_out) = (layer.inputs, layer.outputs);
            for j in 0..n_out {
                let d = &delta[j * lanes..(j + 1) * lanes];
                grads[layer.biases + j] = d.iter().copied().sum::<f32x4>().reduce_add();
                for i in 0..n_in {
                    let xi = &input[i * lanes..(i + 1) * lanes];
                    let dot = xi
                        .iter()
                        .zip(d)
                        .fold(f32x4::ZERO, |acc, (&x, &d)| x.mul_add(d, acc));
                    grads[layer.weights + i * n_out + j] = dot.reduce_add();
                }
            }
            if l == 0 {
                break;
            }
            // dLoss/d(input) = W · delta, then through the previous layer's mask and
            // activation.
            scratch.clear();
            scratch.resize(n_in * lanes, f32x4::ZERO);
            for i in 0..n_in {
                let row = &mut scratch[i * lanes..(i + 1) * lanes];
                for j in 0..n_out {
                    let wij = f32x4::splat(w[i * n_out + j]);
                    let d = &delta[j * lanes..(j + 1) * lanes];
                    row.iter_mut()
                        .zip(d)
                        .for_each(|(r, &d)| *r = d.mul_add(wij, *r));
                }
            }
            let previous = &self.layers[l - 1];
            let mask = masks.and_then(|m| m.get(l - 1)).filter(|m| !m.is_empty());
            let activations = match mask {
                Some(mask) => {
                    scratch.iter_mut().zip(mask).for_each(|(s, &m)| *s *= m);
                    &trace.kept[l - 1][..]
                }
                None => &trace.outputs[l - 1][..],
            };
            backpropagate(previous.activation, &trace.pre[l - 1], activations, scratch);
            std::mem::swap(delta, scratch);
        }
    }
}

/// `z = Wᵀx + b` for one layer over `lanes` vectors per row.
fn affine(params: &[f32], layer: &Layer, x: &[Lanes], z: &mut [Lanes], lanes: usize) {
    let w = &params[layer.weight_range()];
    let b = &params[layer.biases..layer.biases + layer.outputs];
    for (j, zj) in z.chunks_exact_mut(lanes).enumerate().take(layer.outputs) {
        zj.fill(f32x4::splat(b[j]));
        for i in 0..layer.inputs {
            let wij = f32x4::splat(w[i * layer.outputs + j]);
            let xi = &x[i * lanes..(i + 1) * lanes];
            zj.iter_mut()
                .zip(xi)
                .for_each(|(z, &x)| *z = x.mul_add(wij, *z));
        }
    }
}

/// Every layer's pre-activations and outputs for one block of points.
#[derive(Debug, Default)]
pub struct Trace {
    /// Vectors per row.
    pub lanes: usize,
    /// Per layer: `outputs × lanes` pre-activations (the last layer's are the logits).
    pub pre: Vec<Vec<Lanes>>,
    /// Per layer: `outputs × lanes` outputs, after dropout where it applies.
    pub outputs: Vec<Vec<Lanes>>,
    /// Per layer with dropout: the outputs before the mask.
    pub kept: Vec<Vec<Lanes>>,
}

impl Trace {
    /// Sizes the buffers for `network` and `lanes` vectors per row (reusing allocations).
    pub fn fit(&mut self, network: &Network, lanes: usize) {
        let n = network.layers.len();
        self.lanes = lanes;
        for buffers in [&mut self.pre, &mut self.outputs, &mut self.kept] {
            buffers.resize_with(n, Vec::new);
        }
        for (l, layer) in network.layers.iter().enumerate() {
            let len = layer.outputs * lanes;
            self.pre[l].resize(len, f32x4::ZERO);
            self.outputs[l].resize(len, f32x4::ZERO);
        }
    }

    /// The logits (`outputs × lanes`).
    pub fn logits(&self) -> &[Lanes] {
        self.pre.last().map_or(&[], Vec::as_slice)
    }
}
