//! What the page and a lab's worker say to each other: plain data, as postcard bytes.

use emberlab_core::attention::{
    AttentionConfig, AttentionObservation, AttentionRequest, AttentionWeights,
};
use emberlab_core::digits::{DigitsCheckpoint, DigitsConfig, DigitsObservation, DigitsRequest};
use emberlab_core::recurrence::{
    RecurrenceConfig, RecurrenceObservation, RecurrenceRequest, SweepPoint, SweepProgress,
};
use emberlab_core::run::Params;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::backend::BackendKind;

/// The experiment a lab's worker trains.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum LabSetup {
    /// The convolution lab.
    Digits(DigitsConfig),
    /// The recurrence lab.
    Recurrence(RecurrenceConfig),
    /// The attention lab.
    Attention(AttentionConfig),
}

/// What each observation should show besides the metrics.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum LabRequest {
    /// The convolution lab's request.
    Digits(DigitsRequest),
    /// The recurrence lab's request.
    Recurrence(RecurrenceRequest),
    /// The attention lab's request.
    Attention(AttentionRequest),
}

/// One frame's worth of a lab's results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum LabObservation {
    /// The convolution lab's observation.
    Digits(Box<DigitsObservation>),
    /// The recurrence lab's observation.
    Recurrence(Box<RecurrenceObservation>),
    /// The attention lab's observation.
    Attention(Box<AttentionObservation>),
}

impl LabObservation {
    /// The loss the divergence guard watches (the lab's main model on the training data), if
    /// this observation has one.
    pub fn train_loss(&self) -> Option<f32> {
        match self {
            LabObservation::Digits(o) => Some(o.cnn.metrics.train_loss),
            LabObservation::Recurrence(o) => o
                .models
                .iter()
                .filter_map(|m| m.metrics.map(|m| m.train_loss))
                .reduce(f32::max),
            LabObservation::Attention(o) => o.metrics.as_ref().map(|m| m.transformer.train.loss),
        }
    }
}

impl LabObservation {
    /// The main model's losses and accuracies, when this observation carries fresh ones (the
    /// shared loss chart and the metric figures show them).
    pub fn main_metrics(&self) -> Option<emberlab_core::Metrics> {
        match self {
            LabObservation::Digits(o) => Some(o.cnn.metrics),
            // The LSTM is the lab's hero; each network's figures show beside the chart.
            LabObservation::Recurrence(o) => o
                .models
                .iter()
                .find(|m| m.cell == emberlab_core::recurrence::CellKind::Lstm)
                .and_then(|m| {
                    let x = m.metrics?;
                    Some(emberlab_core::Metrics {
                        epoch: o.epoch,
                        train_loss: x.train_loss,
                        test_loss: x.test_loss,
                        train_accuracy: Some(x.train_accuracy),
                        test_accuracy: Some(x.test_accuracy),
                    })
                }),
            LabObservation::Attention(o) => o.metrics.map(|m| emberlab_core::Metrics {
                epoch: m.epoch,
                train_loss: m.transformer.train.loss,
                test_loss: m.transformer.test.loss,
                train_accuracy: Some(m.transformer.train.token_accuracy),
                test_accuracy: Some(m.transformer.test.token_accuracy),
            }),
        }
    }

    /// Epochs completed.
    pub fn epoch(&self) -> u64 {
        match self {
            LabObservation::Digits(o) => o.epoch,
            LabObservation::Recurrence(o) => o.epoch,
            LabObservation::Attention(o) => o.epoch,
        }
    }
}

/// A lab's trained parameters (to resume, share, or go back after a divergence).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum LabCheckpoint {
    /// The convolution lab's two models.
    Digits(DigitsCheckpoint),
    /// The recurrence lab's three networks, at an epoch.
    Recurrence(Params, u64),
    /// The attention lab's models.
    Attention(AttentionWeights),
}

/// Page → worker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ToWorker {
    /// Builds (or rebuilds) the lab's session on `backend`, from `resume` if given; paused.
    Open {
        /// The experiment.
        setup: LabSetup,
        /// Where to train.
        backend: BackendKind,
        /// Trained parameters to continue from.
        resume: Option<LabCheckpoint>,
    },
    /// Plays or pauses.
    Play(bool),
    /// Trains exactly one more epoch (pauses).
    Step,
    /// Changes the learning rate live.
    SetLearningRate(f64),
    /// What later observations show.
    Request(LabRequest),
    /// Asks for the trained parameters.
    Checkpoint,
    /// Starts the recurrence lab's accuracy-versus-length sweep (in the background).
    Sweep,
}

/// Worker → page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum FromWorker {
    /// The worker's wasm is running; commands can come.
    Ready,
    /// A session was built on this back end (the reason says why, e.g. a fallback).
    Opened {
        /// The back end in use.
        backend: BackendKind,
        /// One sentence for the badge.
        reason: String,
    },
    /// The latest results.
    Observation {
        /// The lab's results.
        observation: LabObservation,
        /// Whether training plays.
        playing: bool,
        /// Epochs per second over the last second (0 while paused).
        epochs_per_second: f64,
        /// Milliseconds per optimiser step over the last second.
        ms_per_step: f64,
    },
    /// The parameters asked for.
    Checkpoint(LabCheckpoint),
    /// The sweep's progress and the lengths finished so far.
    Sweep {
        /// How far it is.
        progress: SweepProgress,
        /// One point per finished length.
        points: Vec<SweepPoint>,
    },
    /// Training stopped or went back; the text says why and what to try.
    Notice(String),
}

/// Postcard bytes of `message`.
pub fn encode<T: Serialize>(message: &T) -> Vec<u8> {
    // Plain data into a Vec cannot fail to serialise.
    postcard::to_allocvec(message).unwrap_or_default()
}

/// The message in `bytes`, or why it is not one.
pub fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, String> {
    postcard::from_bytes(bytes).map_err(|e| format!("a worker message could not be read: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_round_trip() {
        let open = ToWorker::Open {
            setup: LabSetup::Digits(DigitsConfig::default()),
            backend: BackendKind::Flex,
            resume: None,
        };
        assert_eq!(decode::<ToWorker>(&encode(&open)), Ok(open));
        assert!(decode::<ToWorker>(&[0xFF, 0xFF]).is_err());
    }
}
