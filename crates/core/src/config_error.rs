//! What is wrong with a playground config, one error per field (shared by validation, the
//! user's own points and links).

use thiserror::Error;

use crate::limits::*;
use crate::problem::Problem;
use crate::run::LearningRateError;
use crate::training::LossKind;

/// What is wrong with a config, naming the field so a user can fix it.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum ConfigError {
    /// Too many hidden layers.
    #[error("the network has {count} hidden layers; at most {MAX_HIDDEN_LAYERS} are allowed")]
    TooManyLayers {
        /// Layers asked for.
        count: usize,
    },
    /// A layer's neuron count is out of range.
    #[error(
        "hidden layer {layer} has {neurons} neurons; each layer needs {MIN_NEURONS} to {MAX_NEURONS}"
    )]
    Neurons {
        /// 1-based layer number.
        layer: usize,
        /// Neurons asked for.
        neurons: usize,
    },
    /// A layer's dropout is out of range.
    #[error("hidden layer {layer} has dropout {dropout}; it must be between 0 and {MAX_DROPOUT}")]
    Dropout {
        /// 1-based layer number.
        layer: usize,
        /// Dropout asked for.
        dropout: f32,
    },
    /// No input feature is enabled.
    #[error("no input feature is enabled; turn on at least one")]
    NoFeatures,
    /// Data size out of range.
    #[error("data size {size} is out of range; use {MIN_DATA_SIZE} to {MAX_DATA_SIZE} points")]
    DataSize {
        /// Size asked for.
        size: usize,
    },
    /// Noise out of range.
    #[error("noise {noise}% is out of range; use 0 to {MAX_NOISE_PERCENT}%")]
    Noise {
        /// Noise asked for.
        noise: u32,
    },
    /// Train ratio out of range.
    #[error(
        "training share {percent}% is out of range; use {MIN_TRAIN_PERCENT} to {MAX_TRAIN_PERCENT}%"
    )]
    TrainPercent {
        /// Share asked for.
        percent: u32,
    },
    /// Class count out of range.
    #[error("{classes} classes asked for; multi-class sets have {MIN_CLASSES} to {MAX_CLASSES}")]
    Classes {
        /// Classes asked for.
        classes: usize,
    },
    /// The user's own data set has too few or too many points.
    #[error(
        "the data set has {count} points of your own; draw or import {MIN_CUSTOM_POINTS} to {MAX_CUSTOM_POINTS}"
    )]
    CustomPointCount {
        /// Points given.
        count: usize,
    },
    /// One of the user's points lies off the plane (or is not a number).
    #[error(
        "point {point} at ({x}, {y}) lies outside the plane; coordinates go from -{DOMAIN} to {DOMAIN}"
    )]
    PointOutside {
        /// 1-based point number.
        point: usize,
        /// Its first coordinate.
        x: f32,
        /// Its second coordinate.
        y: f32,
    },
    /// One of the user's points has a label the problem cannot take.
    #[error("point {point} has label {label}, which {problem} cannot take; {}", label_hint(*problem))]
    Label {
        /// 1-based point number.
        point: usize,
        /// Its label.
        label: f32,
        /// The problem of the data set.
        problem: Problem,
    },
    /// The user's classification points hold fewer than two classes.
    #[error(
        "your points hold only {present} class(es); a classifier needs points of at least 2 classes"
    )]
    TooFewClasses {
        /// Distinct classes among the points.
        present: usize,
    },
    /// Learning rate not a positive finite number in range.
    #[error(transparent)]
    LearningRate(#[from] LearningRateError),
    /// Batch size zero or bigger than the training set.
    #[error("batch size {batch} is invalid; use 1 to {train_count} (the training points) or full")]
    BatchSize {
        /// Batch asked for.
        batch: usize,
        /// Training points available.
        train_count: usize,
    },
    /// Regularisation rate out of range.
    #[error(
        "regularisation rate {rate} is invalid; use a number from 0 to {MAX_REGULARIZATION_RATE}"
    )]
    RegularizationRate {
        /// Rate asked for.
        rate: f64,
    },
    /// The loss cannot train this problem's output head.
    #[error("{} loss does not fit {problem}; use {}", loss.name(), LossKind::default_for(*problem).name())]
    LossDoesNotFit {
        /// Loss asked for.
        loss: LossKind,
        /// The data set's problem.
        problem: Problem,
    },
}

/// What labels `problem` takes, for [`ConfigError::Label`].
fn label_hint(problem: Problem) -> String {
    match problem {
        Problem::Binary => "use class 0 or 1".to_string(),
        Problem::Multiclass { classes } => {
            format!("use a class from 0 to {}", classes.saturating_sub(1))
        }
        Problem::Regression => "use a value from -1 to 1".to_string(),
    }
}
