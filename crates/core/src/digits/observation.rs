//! What the convolution lab asks for each frame and what it gets back: plain data that crosses
//! a worker boundary as postcard bytes (~100 ms apart), so numbers stay `f32`/`u32`.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::ink::digit_from_ink;
use super::limits::{CLASSES, MAX_PIXEL, PIXELS};
use crate::observation::Metrics;

/// What one observation should show besides the models' metrics.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DigitsRequest {
    /// The image whose feature maps and class probabilities to show, if any.
    pub probe: Option<Probe>,
    /// Whether to read the learned filters back (about 19 KB at the default sizes: ask only
    /// while they are drawn).
    pub filters: bool,
}

/// An image to run through both models.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Probe {
    /// A test image, by its position in the split's test list.
    Test(u32),
    /// A drawn digit (see [`digit_from_ink`]).
    Drawn(DrawnDigit),
}

/// 64 pixel values from 0 to 16 (row-major, top row first), checked on construction and on
/// deserialisation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "Vec<f32>", into = "Vec<f32>")]
pub struct DrawnDigit(Vec<f32>);

/// Why values are not a drawn digit.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum DrawnDigitError {
    /// Not 64 values.
    #[error("a drawn digit has 64 pixels, not {0}")]
    Length(usize),
    /// A value outside 0 to 16 (or not a number).
    #[error("pixel {index} is {value}; pixels go from 0 to {MAX_PIXEL}")]
    Value {
        /// Position of the pixel.
        index: usize,
        /// Its value.
        value: f32,
    },
}

impl DrawnDigit {
    /// Checks 64 pixel values (0 to 16).
    pub fn new(pixels: &[f32]) -> Result<Self, DrawnDigitError> {
        if pixels.len() != PIXELS {
            return Err(DrawnDigitError::Length(pixels.len()));
        }
        if let Some((index, &value)) = pixels
            .iter()
            .enumerate()
            .find(|(_, v)| !(0.0..=MAX_PIXEL).contains(*v))
        {
            return Err(DrawnDigitError::Value { index, value });
        }
        Ok(Self(pixels.to_vec()))
    }

    /// The digit a canvas of `side × side` ink levels (0 to 1) shows; see [`digit_from_ink`].
    pub fn from_ink(ink: &[f32], side: usize) -> Self {
        Self(digit_from_ink(ink, side).to_vec())
    }

    /// The 64 pixel values.
    pub fn pixels(&self) -> &[f32] {
        &self.0
    }
}

impl TryFrom<Vec<f32>> for DrawnDigit {
    type Error = DrawnDigitError;

    fn try_from(pixels: Vec<f32>) -> Result<Self, Self::Error> {
        Self::new(&pixels)
    }
}

impl From<DrawnDigit> for Vec<f32> {
    fn from(digit: DrawnDigit) -> Self {
        digit.0
    }
}

/// A tensor read back as plain numbers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FlatTensor {
    /// Dimensions, outermost first.
    pub shape: Vec<u32>,
    /// Values, row-major.
    pub values: Vec<f32>,
}

/// A misclassified test image.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mistake {
    /// Position in the split's test list.
    pub test_index: u32,
    /// The true digit.
    pub label: u8,
    /// What the model said.
    pub predicted: u8,
}

/// One model's state at the latest evaluation: metrics, size and errors on the test set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelReport {
    /// Losses (cross-entropy) and accuracies, without dropout, over a fixed sample of
    /// [`super::limits::TRAIN_SAMPLE`] training images and over the whole test set; `epoch`
    /// is the epoch count when evaluated.
    pub metrics: Metrics,
    /// Trainable parameters (weights and biases).
    pub parameters: u32,
    /// Test-set confusion matrix, 10 × 10 counts row-major: row = true digit, column =
    /// predicted digit. Sums to the test-set size.
    pub confusion: Vec<u32>,
    /// The first misclassified test images (at most [`super::limits::MAX_MISTAKES`]), in
    /// test-list order.
    pub mistakes: Vec<Mistake>,
}

impl ModelReport {
    /// Test images of digit `label` predicted as `predicted`.
    pub fn confusion_at(&self, label: usize, predicted: usize) -> u32 {
        self.confusion
            .get(label * CLASSES + predicted)
            .copied()
            .unwrap_or(0)
    }
}

/// Both models' view of the probed image.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProbeView {
    /// The image's 64 pixel values (0 to 16).
    pub pixels: Vec<f32>,
    /// Its true digit, for a test image.
    pub label: Option<u8>,
    /// Each convolution layer's output after activation (and pooling): shape
    /// `[channels, side, side]`.
    pub feature_maps: Vec<FlatTensor>,
    /// The CNN's class probabilities (10, summing to 1).
    pub cnn_probabilities: Vec<f32>,
    /// The dense network's class probabilities (10, summing to 1).
    pub dense_probabilities: Vec<f32>,
}

/// Everything a frame of the convolution lab draws.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DigitsObservation {
    /// Epochs completed (both models train on the same batches).
    pub epoch: u64,
    /// Optimiser steps taken by this session.
    pub steps: u64,
    /// Steps taken when the reports' evaluation ran (at an epoch's end, or when observed
    /// while paused; see [`super::DigitsSession::queue_observation`]).
    pub evaluated_steps: u64,
    /// The convolutional network.
    pub cnn: ModelReport,
    /// The dense network.
    pub dense: ModelReport,
    /// Each convolution layer's filters, shape `[out, in, k, k]` (empty unless asked for).
    pub filters: Vec<FlatTensor>,
    /// The probed image, when one was asked for and exists (a test index past the end of the
    /// test list gives none).
    pub probe: Option<ProbeView>,
}
