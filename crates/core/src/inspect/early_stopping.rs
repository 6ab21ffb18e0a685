//! Early stopping: watch the test (or validation) loss, keep the best weights, and say when
//! it has not improved for long enough.

use serde::{Deserialize, Serialize};

use super::limits::EARLY_STOPPING_PATIENCE;
use crate::model::LayerWeights;

/// What [`EarlyStopping::observe`] concluded from one observation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Verdict {
    /// A new best loss: its weights were kept.
    Improved,
    /// No improvement yet, but still within the patience.
    Waiting,
    /// No improvement for `patience` epochs or more: stop and restore the best weights.
    Stop,
}

/// The best observation so far.
#[derive(Debug, Clone, PartialEq)]
struct Best {
    epoch: u64,
    loss: f32,
    weights: Vec<LayerWeights>,
}

/// Watches a loss over epochs and keeps the weights where it was lowest.
///
/// Patience counts epochs, not observations: the page observes at a rate that follows the
/// frame rate and the training speed, so a count of observations would mean a different
/// amount of training on every machine.
#[derive(Debug, Clone, PartialEq)]
pub struct EarlyStopping {
    /// Epochs without improvement after which to stop.
    pub patience: u64,
    /// How much lower than the best a loss must be to count as better.
    pub min_delta: f32,
    best: Option<Best>,
    last_epoch: Option<u64>,
}

impl Default for EarlyStopping {
    fn default() -> Self {
        Self::new(EARLY_STOPPING_PATIENCE, 0.0)
    }
}

impl EarlyStopping {
    /// A watcher with the given patience (epochs) and minimum improvement.
    pub fn new(patience: u64, min_delta: f32) -> Self {
        Self {
            patience,
            min_delta,
            best: None,
            last_epoch: None,
        }
    }

    /// Takes the loss observed at `epoch`. `weights` is called only for a new best (so a
    /// caller that reads weights back from a device pays only then). A non-finite loss never
    /// improves.
    pub fn observe(
        &mut self,
        epoch: u64,
        loss: f32,
        weights: impl FnOnce() -> Vec<LayerWeights>,
    ) -> Verdict {
        self.last_epoch = Some(epoch);
        let improved = loss.is_finite()
            && self
                .best
                .as_ref()
                .is_none_or(|best| loss < best.loss - self.min_delta);
        if improved {
            self.best = Some(Best {
                epoch,
                loss,
                weights: weights(),
            });
            return Verdict::Improved;
        }
        if self.should_stop() {
            Verdict::Stop
        } else {
            Verdict::Waiting
        }
    }

    /// Whether the loss has not improved for `patience` epochs since its best (never before
    /// a finite loss was seen).
    pub fn should_stop(&self) -> bool {
        match (self.last_epoch, &self.best) {
            (Some(last), Some(best)) => last.saturating_sub(best.epoch) >= self.patience,
            _ => false,
        }
    }

    /// The epoch and loss of the best observation.
    pub fn best(&self) -> Option<(u64, f32)> {
        self.best.as_ref().map(|b| (b.epoch, b.loss))
    }

    /// The weights at the best observation.
    pub fn best_weights(&self) -> Option<&[LayerWeights]> {
        self.best.as_ref().map(|b| b.weights.as_slice())
    }

    /// Forgets everything (a new run).
    pub fn reset(&mut self) {
        self.best = None;
        self.last_epoch = None;
    }
}
