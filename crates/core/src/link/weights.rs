//! Trained weights in a link: postcard bytes (wire types of their own), deflated, base64url.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};

use crate::limits::{MAX_HISTORY_IN_LINK, MAX_WEIGHTS_BYTES};
use crate::model::LayerWeights;
use crate::playground_state::{Checkpoint, HistoryPoint};

/// The payload's own format number, so the weights can change shape without a new link version.
const FORMAT: u8 = 1;
/// deflate level: the best ratio; payloads are a few kilobytes.
const LEVEL: u8 = 9;

#[derive(Serialize, Deserialize)]
struct CheckpointWire {
    format: u8,
    epoch: u64,
    layers: Vec<LayerWire>,
    history: Vec<HistoryWire>,
}

#[derive(Serialize, Deserialize)]
struct LayerWire {
    inputs: u32,
    outputs: u32,
    weights: Vec<f32>,
    biases: Vec<f32>,
}

#[derive(Serialize, Deserialize)]
struct HistoryWire {
    epoch: u32,
    train_loss: f32,
    test_loss: f32,
    train_accuracy: Option<f32>,
    test_accuracy: Option<f32>,
}

/// The link field's value for `checkpoint`.
pub(crate) fn encode(checkpoint: &Checkpoint) -> String {
    let wire = CheckpointWire {
        format: FORMAT,
        epoch: checkpoint.epoch,
        layers: checkpoint
            .layers
            .iter()
            .map(|l| LayerWire {
                inputs: u32::try_from(l.inputs).unwrap_or(u32::MAX),
                outputs: u32::try_from(l.outputs).unwrap_or(u32::MAX),
                weights: l.weights.clone(),
                biases: l.biases.clone(),
            })
            .collect(),
        history: checkpoint
            .history
            .iter()
            .map(|h| HistoryWire {
                epoch: h.epoch,
                train_loss: h.train_loss,
                test_loss: h.test_loss,
                train_accuracy: h.train_accuracy,
                test_accuracy: h.test_accuracy,
            })
            .collect(),
    };
    // Serialising plain numbers into a Vec cannot fail; an empty payload would be refused on
    // decoding anyway.
    let bytes = postcard::to_allocvec(&wire).unwrap_or_default();
    URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(&bytes, LEVEL))
}

/// The checkpoint in a link field's value, or why it cannot be read. Shapes are checked
/// against the network by the caller.
pub(crate) fn decode(text: &str) -> Result<Checkpoint, String> {
    let compressed = URL_SAFE_NO_PAD
        .decode(text.trim_end_matches('='))
        .map_err(|_| "they are not valid base64url".to_string())?;
    let bytes = miniz_oxide::inflate::decompress_to_vec_with_limit(&compressed, MAX_WEIGHTS_BYTES)
        .map_err(|_| "they are damaged or too large".to_string())?;
    let wire: CheckpointWire =
        postcard::from_bytes(&bytes).map_err(|_| "they are damaged".to_string())?;
    if wire.format != FORMAT {
        return Err(format!("their format {} is unknown", wire.format));
    }
    if wire.history.len() > MAX_HISTORY_IN_LINK {
        return Err("their loss history is too long".into());
    }
    Ok(Checkpoint {
        epoch: wire.epoch,
        layers: wire
            .layers
            .into_iter()
            .map(|l| LayerWeights {
                inputs: l.inputs as usize,
                outputs: l.outputs as usize,
                weights: l.weights,
                biases: l.biases,
            })
            .collect(),
        history: wire
            .history
            .into_iter()
            .map(|h| HistoryPoint {
                epoch: h.epoch,
                train_loss: h.train_loss,
                test_loss: h.test_loss,
                train_accuracy: h.train_accuracy,
                test_accuracy: h.test_accuracy,
            })
            .collect(),
    })
}
