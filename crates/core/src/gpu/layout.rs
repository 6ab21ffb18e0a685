//! How the GPU kernel's buffers are laid out: plain numbers, built and read on the CPU (and
//! tested natively), so the kernel only indexes.
//!
//! - data: `[header | X (points × features) | Y (points × outputs)]`, uploaded once. The
//!   header holds [`HEADER_FIELDS`] numbers per layer (see [`LayerHeader`]).
//! - state: `[parameters | first moments | second moments]`, `3 × P` long; parameters in the
//!   fused engine's layout (per layer its `inputs × outputs` weights, then its biases).
//! - schedule, per dispatch: `[batch sizes (steps) | point indices (steps × B) | dropout masks
//!   (steps × B × H)]`, B the largest batch, H the hidden neurons.
//! - work: `[pre-activations (B × T) | outputs (B × T) | deltas (2 × B × W)]`, T every
//!   layer's width summed, W the widest layer (or the inputs).
//!
//! Integers travel as `f32`: exact below 2²⁴, far above anything the limits allow.

use crate::experiment::Experiment;
use crate::model::LayerWeights;
use crate::network::Activation;

/// Numbers per layer in the data header.
pub const HEADER_FIELDS: usize = 8;

/// What the kernel needs to know about one layer, as stored in the data header.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LayerHeader {
    /// Fan-in.
    pub inputs: usize,
    /// Neurons.
    pub outputs: usize,
    /// Offset of the weights in the parameters.
    pub weights: usize,
    /// Offset of the biases in the parameters.
    pub biases: usize,
    /// Offset of this layer's input in an activation row (unused for the first layer, which
    /// reads the features).
    pub input_at: usize,
    /// Offset of this layer's output in an activation row.
    pub output_at: usize,
    /// Activation code ([`activation_code`]).
    pub activation: u32,
    /// Offset of this layer's dropout mask in a mask row, if it drops out.
    pub mask_at: Option<usize>,
}

impl LayerHeader {
    fn encode(&self) -> [f32; HEADER_FIELDS] {
        [
            self.inputs as f32,
            self.outputs as f32,
            self.weights as f32,
            self.biases as f32,
            self.input_at as f32,
            self.output_at as f32,
            self.activation as f32,
            self.mask_at.map_or(-1.0, |m| m as f32),
        ]
    }
}

/// The kernel's code for an activation.
pub fn activation_code(activation: Activation) -> u32 {
    match activation {
        Activation::Relu => 0,
        Activation::LeakyRelu => 1,
        Activation::Tanh => 2,
        Activation::Sigmoid => 3,
        Activation::Gelu => 4,
        Activation::Silu => 5,
        Activation::Linear => 6,
    }
}

/// Sizes and offsets of one network's buffers.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    /// Per layer, output last.
    pub layers: Vec<LayerHeader>,
    /// Input features.
    pub features: usize,
    /// Network outputs.
    pub outputs: usize,
    /// Parameters (P).
    pub params: usize,
    /// Every layer's width summed (T).
    pub total_width: usize,
    /// The widest layer or input (W).
    pub max_width: usize,
    /// Hidden neurons (H), the width of a mask row.
    pub hidden: usize,
    /// Whether any layer drops out.
    pub dropout: bool,
}

impl Layout {
    /// The layout of `experiment`'s network.
    pub fn new(experiment: &Experiment) -> Self {
        let widths = experiment.layer_widths();
        let hidden_specs = &experiment.config().network.hidden;
        let mut layers = Vec::with_capacity(widths.len() - 1);
        let (mut params, mut row, mut masks) = (0, 0, 0);
        let mut previous_output_at = 0;
        for (l, pair) in widths.windows(2).enumerate() {
            let (inputs, outputs) = (pair[0], pair[1]);
            let spec = hidden_specs.get(l);
            let activation = spec.map_or(Activation::Linear, |s| s.activation);
            let drops = spec.is_some_and(|s| s.dropout > 0.0);
            layers.push(LayerHeader {
                inputs,
                outputs,
                weights: params,
                biases: params + inputs * outputs,
                input_at: previous_output_at,
                output_at: row,
                activation: activation_code(activation),
                mask_at: drops.then_some(masks),
            });
            previous_output_at = row;
            params += inputs * outputs + outputs;
            row += outputs;
            if spec.is_some() {
                masks += outputs;
            }
        }
        Self {
            features: widths[0],
            outputs: widths[widths.len() - 1],
            max_width: widths.iter().copied().max().unwrap_or(1),
            params,
            total_width: row,
            hidden: masks,
            dropout: layers.iter().any(|l| l.mask_at.is_some()),
            layers,
        }
    }

    /// Length of the data header.
    pub fn header_len(&self) -> usize {
        self.layers.len() * HEADER_FIELDS
    }

    /// The data buffer for inputs `x` (`points × features`) and targets `y`.
    pub fn data(&self, x: &[f32], y: &[f32]) -> Vec<f32> {
        let mut data = Vec::with_capacity(self.header_len() + x.len() + y.len());
        for layer in &self.layers {
            data.extend_from_slice(&layer.encode());
        }
        data.extend_from_slice(x);
        data.extend_from_slice(y);
        data
    }

    /// The state buffer: `weights` (one entry per layer) and zeroed optimiser moments.
    pub fn state(&self, weights: &[LayerWeights]) -> Vec<f32> {
        let mut state = Vec::with_capacity(3 * self.params);
        for w in weights {
            state.extend_from_slice(&w.weights);
            state.extend_from_slice(&w.biases);
        }
        state.resize(3 * self.params, 0.0);
        state
    }

    /// The weights in the first `P` numbers of a state buffer read back.
    pub fn weights(&self, state: &[f32]) -> Option<Vec<LayerWeights>> {
        self.layers
            .iter()
            .map(|l| {
                Some(LayerWeights {
                    inputs: l.inputs,
                    outputs: l.outputs,
                    weights: state.get(l.weights..l.biases)?.to_vec(),
                    biases: state.get(l.biases..l.biases + l.outputs)?.to_vec(),
                })
            })
            .collect()
    }

    /// Length of the work buffer for batches of up to `batch` points.
    pub fn work_len(&self, batch: usize) -> usize {
        2 * batch * self.total_width + 2 * batch * self.max_width
    }
}

/// The schedule of one dispatch: each step's points (and dropout masks), padded to the
/// largest batch.
#[derive(Debug, Clone, PartialEq)]
pub struct Schedule {
    /// Steps.
    pub steps: usize,
    /// The largest batch (B).
    pub batch: usize,
    /// `[sizes | indices | masks]` as the kernel reads it.
    pub values: Vec<f32>,
}

impl Schedule {
    /// Packs `batches` (the points of each step) and, when the network drops out, each step's
    /// masks (`masks[step]`: row-major `points × hidden`, of 0 or 1/(1-p), 1 where a layer
    /// keeps everything).
    pub fn new(batches: &[Vec<usize>], masks: &[Vec<f32>], hidden: usize) -> Self {
        let steps = batches.len();
        let batch = batches.iter().map(Vec::len).max().unwrap_or(1).max(1);
        let mut values = Vec::with_capacity(steps * (1 + batch + batch * hidden));
        values.extend(batches.iter().map(|b| b.len() as f32));
        for b in batches {
            values.extend(b.iter().map(|&i| i as f32));
            values.resize(values.len() + batch - b.len(), 0.0);
        }
        for (b, m) in batches.iter().zip(masks) {
            values.extend_from_slice(m);
            values.resize(values.len() + (batch - b.len()) * hidden, 1.0);
        }
        Self {
            steps,
            batch,
            values,
        }
    }

    /// Offset of the indices.
    pub fn indices_at(&self) -> usize {
        self.steps
    }

    /// Offset of the masks.
    pub fn masks_at(&self) -> usize {
        self.steps + self.steps * self.batch
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::experiment::ExperimentConfig;
    use crate::network::LayerSpec;

    fn experiment() -> Experiment {
        let mut config = ExperimentConfig::default();
        config.network.hidden = vec![
            LayerSpec::new(3, Activation::Tanh),
            LayerSpec {
                dropout: 0.5,
                ..LayerSpec::new(2, Activation::Relu)
            },
        ];
        config.validate().unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn headers_follow_the_fused_parameter_layout() {
        let layout = Layout::new(&experiment());
        // 2 → 3 → 2 → 1
        assert_eq!(layout.params, (2 * 3 + 3) + (3 * 2 + 2) + (2 + 1));
        assert_eq!(layout.total_width, 3 + 2 + 1);
        assert_eq!(layout.max_width, 3);
        assert_eq!(layout.hidden, 5);
        assert!(layout.dropout);
        let second = layout.layers[1];
        assert_eq!((second.weights, second.biases), (9, 15));
        assert_eq!((second.input_at, second.output_at), (0, 3));
        assert_eq!(second.mask_at, Some(3));
        assert_eq!(layout.layers[0].mask_at, None);
        assert_eq!(
            layout.layers[2].activation,
            activation_code(Activation::Linear)
        );
        let data = layout.data(&[1.0, 2.0], &[1.0]);
        assert_eq!(data.len(), 3 * HEADER_FIELDS + 3);
        assert_eq!(
            &data[HEADER_FIELDS..HEADER_FIELDS + 4],
            &[3.0, 2.0, 9.0, 15.0]
        );
    }

    #[test]
    fn weights_round_trip_through_the_state() {
        let experiment = experiment();
        let layout = Layout::new(&experiment);
        let weights = crate::model::initial_weights(&experiment);
        let state = layout.state(&weights);
        assert_eq!(state.len(), 3 * layout.params);
        assert_eq!(layout.weights(&state), Some(weights));
        assert_eq!(layout.weights(&state[..3]), None);
    }

    #[test]
    fn schedules_pad_short_batches() {
        let schedule = Schedule::new(&[vec![4, 2, 7], vec![5]], &[vec![2.0; 6], vec![0.0; 2]], 2);
        assert_eq!((schedule.steps, schedule.batch), (2, 3));
        assert_eq!(&schedule.values[..2], &[3.0, 1.0]);
        assert_eq!(&schedule.values[2..8], &[4.0, 2.0, 7.0, 5.0, 0.0, 0.0]);
        assert_eq!(schedule.masks_at(), 8);
        assert_eq!(&schedule.values[8..14], &[2.0; 6]);
        assert_eq!(&schedule.values[14..], &[0.0, 0.0, 1.0, 1.0, 1.0, 1.0]);
    }
}
