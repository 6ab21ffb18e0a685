//! What a frame of the attention lab draws, read back from the device in one transfer.

use burn::tensor::Tensor;
use serde::{Deserialize, Serialize};

use super::input::{InputError, Probe};
use crate::readback::read_values;
use crate::run::SessionError;

/// What the app asks of one observation.
///
/// Metrics run both models over the training sample and the test set (several training steps'
/// worth of work), the probe over one sequence (cheap): ask for metrics less often than for
/// the probe while training (see the module docs for measured costs).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttentionRequest {
    /// Whether to measure losses and accuracies.
    pub metrics: bool,
    /// The sequence to run through both models, if any.
    pub probe: Option<Probe>,
}

impl AttentionRequest {
    /// Metrics and no probe.
    pub fn metrics() -> Self {
        Self {
            metrics: true,
            probe: None,
        }
    }

    /// Metrics and a probe.
    pub fn with_probe(probe: Probe) -> Self {
        Self {
            metrics: true,
            probe: Some(probe),
        }
    }
}

/// Loss and accuracies of one model on one set.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SetMetrics {
    /// Mean cross-entropy per real (unpadded) position.
    pub loss: f32,
    /// Share of positions predicted right.
    pub token_accuracy: f32,
    /// Share of sequences predicted right at every position.
    pub sequence_accuracy: f32,
}

/// One model's standing.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ModelMetrics {
    /// On the first [`super::session::EVAL_TRAIN_ROWS`] training sequences.
    pub train: SetMetrics,
    /// On the test set.
    pub test: SetMetrics,
}

/// Both models' standing at one epoch.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Metrics {
    /// Epochs completed (both models train on the same batches, so they share it).
    pub epoch: u64,
    /// The transformer.
    pub transformer: ModelMetrics,
    /// The LSTM (when it trains).
    pub lstm: Option<ModelMetrics>,
}

/// Scalar parameters of each model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParameterCounts {
    /// The transformer's.
    pub transformer: usize,
    /// The LSTM's (when it trains).
    pub lstm: Option<usize>,
}

/// A model's output for the probe sequence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Prediction {
    /// The predicted token at each position.
    pub tokens: Vec<u32>,
    /// The probability the model gives its prediction, per position.
    pub confidence: Vec<f32>,
}

/// Both models on the probe sequence, with the transformer's attention.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProbeView {
    /// The sequence.
    pub input: Vec<u32>,
    /// The correct output.
    pub target: Vec<u32>,
    /// The transformer's output.
    pub transformer: Prediction,
    /// The LSTM's output (when it trains).
    pub lstm: Option<Prediction>,
    /// Transformer layers.
    pub layers: usize,
    /// Heads per layer.
    pub heads: usize,
    /// Every layer's and head's attention map, `[layer][head][query][key]` flat, each map
    /// `n × n` for a sequence of `n` symbols; every row sums to 1.
    pub attention: Vec<f32>,
}

impl ProbeView {
    /// The attention map of `layer` and `head`: `n × n` row-major, rows are query positions.
    pub fn attention_map(&self, layer: usize, head: usize) -> Option<&[f32]> {
        if layer >= self.layers || head >= self.heads {
            return None;
        }
        let size = self.input.len() * self.input.len();
        let start = (layer * self.heads + head) * size;
        self.attention.get(start..start + size)
    }
}

/// One frame's data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttentionObservation {
    /// Epochs completed.
    pub epoch: u64,
    /// Optimiser steps taken by this session.
    pub steps: u64,
    /// Scalar parameters of each model.
    pub parameters: ParameterCounts,
    /// Losses and accuracies, when asked for.
    pub metrics: Option<Metrics>,
    /// The probe asked for, or why it could not run (metrics still come).
    pub probe: Option<Result<ProbeView, InputError>>,
}

/// Where each value lies in the flat readback buffer.
pub(crate) struct Layout {
    pub epoch: u64,
    pub steps: u64,
    pub parameters: ParameterCounts,
    pub metrics: bool,
    pub probe: Option<Result<ProbeLayout, InputError>>,
}

/// The probe part of a [`Layout`].
pub(crate) struct ProbeLayout {
    pub input: Vec<u32>,
    pub target: Vec<u32>,
    pub layers: usize,
    pub heads: usize,
    /// Positions read per prediction (the padded length).
    pub padded: usize,
}

/// An observation queued on the device; the session stays free to train while it is read.
pub struct PendingAttentionObservation {
    pub(crate) values: Option<Tensor<1>>,
    pub(crate) layout: Layout,
    pub(crate) backend: String,
}

impl PendingAttentionObservation {
    /// Reads the observation back in one transfer without blocking.
    pub async fn read(self) -> Result<AttentionObservation, SessionError> {
        let values = match self.values {
            Some(values) => read_values(values, &self.backend).await?,
            None => Vec::new(),
        };
        let layout = self.layout;
        let mut reader = Reader {
            values: &values,
            at: 0,
        };
        let with_lstm = layout.parameters.lstm.is_some();
        let metrics = layout.metrics.then(|| Metrics {
            epoch: layout.epoch,
            transformer: reader.metrics(),
            lstm: with_lstm.then(|| reader.metrics()),
        });
        let probe = layout
            .probe
            .map(|probe| probe.map(|p| reader.probe(p, with_lstm)));
        if reader.at != values.len() {
            return Err(SessionError::Device {
                backend: self.backend,
                message: format!("read {} values, expected {}", values.len(), reader.at),
            });
        }
        Ok(AttentionObservation {
            epoch: layout.epoch,
            steps: layout.steps,
            parameters: layout.parameters,
            metrics,
            probe,
        })
    }
}

/// Walks the flat buffer; never panics on a short one (missing values read as NaN, and the
/// length check after reading reports it).
struct Reader<'a> {
    values: &'a [f32],
    at: usize,
}

impl Reader<'_> {
    fn next(&mut self) -> f32 {
        let v = self.values.get(self.at).copied().unwrap_or(f32::NAN);
        self.at += 1;
        v
    }

    fn take(&mut self, len: usize) -> Vec<f32> {
        (0..len).map(|_| self.next()).collect()
    }

    fn set(&mut self) -> SetMetrics {
        SetMetrics {
            loss: self.next(),
            token_accuracy: self.next(),
            sequence_accuracy: self.next(),
        }
    }

    fn metrics(&mut self) -> ModelMetrics {
        ModelMetrics {
            train: self.set(),
            test: self.set(),
        }
    }

    /// Predicted ids then confidences, `padded` each, cut to the sequence's `n`.
    fn prediction(&mut self, padded: usize, n: usize) -> Prediction {
        let tokens = self.take(padded);
        let confidence = self.take(padded);
        Prediction {
            tokens: tokens[..n].iter().map(|&t| t.max(0.0) as u32).collect(),
            confidence: confidence[..n].to_vec(),
        }
    }

    fn probe(&mut self, layout: ProbeLayout, lstm: bool) -> ProbeView {
        let n = layout.input.len();
        let transformer = self.prediction(layout.padded, n);
        let lstm = lstm.then(|| self.prediction(layout.padded, n));
        let attention = self.take(layout.layers * layout.heads * n * n);
        ProbeView {
            input: layout.input,
            target: layout.target,
            transformer,
            lstm,
            layers: layout.layers,
            heads: layout.heads,
            attention,
        }
    }
}
