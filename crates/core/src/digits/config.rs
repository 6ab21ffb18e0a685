//! The convolution lab's config (everything that defines a run) and its validation.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::data::{Digits, Split};
use super::limits::*;
use super::model::{CnnConfig, DenseNetConfig};
use crate::run::{self, LearningRateError};
use crate::training::OptimizerKind;

/// How both models are trained (the same for both, so the comparison is fair).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct DigitsTraining {
    /// The optimiser.
    pub optimizer: OptimizerKind,
    /// Step size (can change live).
    pub learning_rate: f64,
    /// Images per optimiser step (the last batch of an epoch may be smaller).
    pub batch_size: usize,
}

impl Default for DigitsTraining {
    /// Adam at 0.01 with batches of 32: the CNN passes 97 % test accuracy in a few epochs.
    fn default() -> Self {
        Self {
            optimizer: OptimizerKind::Adam,
            learning_rate: 0.01,
            batch_size: 32,
        }
    }
}

/// Everything needed to reproduce a run of the convolution lab. Plain data: check it with
/// [`DigitsConfig::validate`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DigitsConfig {
    /// Seeds the split, initial weights, batches and dropout.
    pub seed: u64,
    /// Share of each digit's images held out for testing, in percent.
    pub test_percent: u32,
    /// The convolutional network.
    pub cnn: CnnConfig,
    /// The dense network it is compared with.
    pub dense: DenseNetConfig,
    /// Optimiser, learning rate and batch size of both.
    pub training: DigitsTraining,
}

impl Default for DigitsConfig {
    fn default() -> Self {
        Self {
            seed: 1,
            test_percent: DEFAULT_TEST_PERCENT,
            cnn: CnnConfig::default(),
            dense: DenseNetConfig::default(),
            training: DigitsTraining::default(),
        }
    }
}

/// What is wrong with a config, naming the field so a user can fix it.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum DigitsConfigError {
    /// Test share out of range.
    #[error(
        "test share {percent}% is out of range; hold out {MIN_TEST_PERCENT} to {MAX_TEST_PERCENT}%"
    )]
    TestPercent {
        /// Share asked for.
        percent: u32,
    },
    /// Too few or too many convolution layers.
    #[error("the CNN has {count} convolution layers; use {MIN_CONV_LAYERS} to {MAX_CONV_LAYERS}")]
    ConvLayers {
        /// Layers asked for.
        count: usize,
    },
    /// A convolution layer's filter count is out of range.
    #[error(
        "convolution layer {layer} has {filters} filters; each layer needs {MIN_FILTERS} to {MAX_FILTERS}"
    )]
    Filters {
        /// 1-based layer number.
        layer: usize,
        /// Filters asked for.
        filters: usize,
    },
    /// The CNN's dropout is out of range.
    #[error("CNN dropout {dropout} is invalid; use a number from 0 to {MAX_DROPOUT}")]
    CnnDropout {
        /// Dropout asked for.
        dropout: f32,
    },
    /// Too few or too many dense hidden layers.
    #[error(
        "the dense network has {count} hidden layers; use {MIN_DENSE_LAYERS} to {MAX_DENSE_LAYERS}"
    )]
    DenseLayers {
        /// Layers asked for.
        count: usize,
    },
    /// A dense hidden layer's width is out of range.
    #[error(
        "dense hidden layer {layer} has {neurons} neurons; each layer needs {MIN_DENSE_WIDTH} to {MAX_DENSE_WIDTH}"
    )]
    DenseWidth {
        /// 1-based layer number.
        layer: usize,
        /// Neurons asked for.
        neurons: usize,
    },
    /// The dense network's dropout is out of range.
    #[error("dense dropout {dropout} is invalid; use a number from 0 to {MAX_DROPOUT}")]
    DenseDropout {
        /// Dropout asked for.
        dropout: f32,
    },
    /// Learning rate not a positive finite number in range.
    #[error(transparent)]
    LearningRate(#[from] LearningRateError),
    /// Batch size out of range.
    #[error("batch size {batch} is invalid; use {MIN_BATCH_SIZE} to {MAX_BATCH_SIZE} images")]
    BatchSize {
        /// Batch asked for.
        batch: usize,
    },
}

/// A config that passed validation; the only way to start a
/// [`DigitsSession`](super::DigitsSession).
#[derive(Debug, Clone, PartialEq)]
pub struct DigitsExperiment {
    config: DigitsConfig,
}

impl DigitsExperiment {
    /// The validated config.
    pub fn config(&self) -> &DigitsConfig {
        &self.config
    }

    /// This run's train/test split (pure and cheap: the page can compute it too, to draw the
    /// test images an observation names by their position in `test`).
    pub fn split(&self) -> Split {
        Digits::get().split(self.config.test_percent, self.config.seed)
    }
}

impl DigitsConfig {
    /// Checks every field; the first problem found is returned.
    pub fn validate(&self) -> Result<DigitsExperiment, DigitsConfigError> {
        match self.validate_all() {
            Ok(()) => Ok(DigitsExperiment {
                config: self.clone(),
            }),
            Err(mut errors) => Err(errors.remove(0)),
        }
    }

    /// Checks every field and returns all problems found (for forms that mark each field).
    pub fn validate_all(&self) -> Result<(), Vec<DigitsConfigError>> {
        let mut errors = Vec::new();
        if !(MIN_TEST_PERCENT..=MAX_TEST_PERCENT).contains(&self.test_percent) {
            errors.push(DigitsConfigError::TestPercent {
                percent: self.test_percent,
            });
        }
        self.check_cnn(&mut errors);
        self.check_dense(&mut errors);
        errors.extend(check_learning_rate(self.training.learning_rate).err());
        let batch = self.training.batch_size;
        if !(MIN_BATCH_SIZE..=MAX_BATCH_SIZE).contains(&batch) {
            errors.push(DigitsConfigError::BatchSize { batch });
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    fn check_cnn(&self, errors: &mut Vec<DigitsConfigError>) {
        let cnn = &self.cnn;
        let count = cnn.filters.len();
        if !(MIN_CONV_LAYERS..=MAX_CONV_LAYERS).contains(&count) {
            errors.push(DigitsConfigError::ConvLayers { count });
        }
        for (i, &filters) in cnn.filters.iter().enumerate() {
            if !(MIN_FILTERS..=MAX_FILTERS).contains(&filters) {
                errors.push(DigitsConfigError::Filters {
                    layer: i + 1,
                    filters,
                });
            }
        }
        if !(0.0..=MAX_DROPOUT).contains(&cnn.dropout) {
            errors.push(DigitsConfigError::CnnDropout {
                dropout: cnn.dropout,
            });
        }
    }

    fn check_dense(&self, errors: &mut Vec<DigitsConfigError>) {
        let dense = &self.dense;
        let count = dense.hidden.len();
        if !(MIN_DENSE_LAYERS..=MAX_DENSE_LAYERS).contains(&count) {
            errors.push(DigitsConfigError::DenseLayers { count });
        }
        for (i, &neurons) in dense.hidden.iter().enumerate() {
            if !(MIN_DENSE_WIDTH..=MAX_DENSE_WIDTH).contains(&neurons) {
                errors.push(DigitsConfigError::DenseWidth {
                    layer: i + 1,
                    neurons,
                });
            }
        }
        if !(0.0..=MAX_DROPOUT).contains(&dense.dropout) {
            errors.push(DigitsConfigError::DenseDropout {
                dropout: dense.dropout,
            });
        }
    }
}

/// Checks a learning rate (also used for live changes).
pub fn check_learning_rate(rate: f64) -> Result<(), DigitsConfigError> {
    Ok(run::check_learning_rate(rate, MAX_LEARNING_RATE)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::digits::model::Kernel;

    fn error_of(edit: impl FnOnce(&mut DigitsConfig)) -> DigitsConfigError {
        let mut config = DigitsConfig::default();
        edit(&mut config);
        match config.validate() {
            Ok(_) => panic!("config should be invalid: {config:?}"),
            Err(e) => e,
        }
    }

    #[test]
    fn default_config_is_valid() {
        let experiment = DigitsConfig::default().validate().unwrap();
        let split = experiment.split();
        assert_eq!((split.train.len(), split.test.len()), (1438, 359));
    }

    #[test]
    fn every_invalid_field_has_its_own_error() {
        let cases: Vec<(DigitsConfigError, &str)> = vec![
            (error_of(|c| c.test_percent = 5), "test share 5%"),
            (error_of(|c| c.test_percent = 41), "hold out 10 to 40%"),
            (error_of(|c| c.cnn.filters = vec![]), "0 convolution layers"),
            (
                error_of(|c| c.cnn.filters = vec![8; 4]),
                "4 convolution layers; use 1 to 3",
            ),
            (
                error_of(|c| c.cnn.filters = vec![8, 33]),
                "convolution layer 2 has 33 filters",
            ),
            (
                error_of(|c| c.cnn.filters[0] = 3),
                "convolution layer 1 has 3 filters; each layer needs 4 to 32",
            ),
            (error_of(|c| c.cnn.dropout = 0.9), "CNN dropout 0.9"),
            (error_of(|c| c.cnn.dropout = f32::NAN), "CNN dropout NaN"),
            (
                error_of(|c| c.dense.hidden = vec![]),
                "dense network has 0 hidden layers",
            ),
            (
                error_of(|c| c.dense.hidden = vec![16; 3]),
                "3 hidden layers; use 1 to 2",
            ),
            (
                error_of(|c| c.dense.hidden = vec![16, 129]),
                "dense hidden layer 2 has 129 neurons",
            ),
            (error_of(|c| c.dense.dropout = -0.1), "dense dropout -0.1"),
            (
                error_of(|c| c.training.learning_rate = 0.0),
                "learning rate 0 is invalid",
            ),
            (error_of(|c| c.training.learning_rate = 2.0), "at most 1"),
            (
                error_of(|c| c.training.batch_size = 0),
                "batch size 0 is invalid; use 1 to 512",
            ),
            (error_of(|c| c.training.batch_size = 513), "batch size 513"),
        ];
        let mut seen = std::collections::HashSet::new();
        for (error, needle) in cases {
            let text = error.to_string();
            assert!(text.contains(needle), "{text:?} should mention {needle:?}");
            seen.insert(std::mem::discriminant(&error));
        }
        assert_eq!(seen.len(), 9, "each field maps to its own variant");
    }

    #[test]
    fn validate_all_reports_every_problem() {
        let mut config = DigitsConfig {
            test_percent: 90,
            ..DigitsConfig::default()
        };
        config.cnn.filters = vec![1, 64];
        config.dense.hidden = vec![1000];
        config.training.batch_size = 0;
        let errors = config.validate_all().unwrap_err();
        assert_eq!(errors.len(), 5, "{errors:?}");
    }

    #[test]
    fn kernel_keys_are_stable_and_round_trip() {
        let keys: Vec<&str> = Kernel::ALL.iter().map(|k| k.key()).collect();
        assert_eq!(keys, ["3x3", "5x5"]);
        for k in Kernel::ALL {
            assert_eq!(Kernel::from_key(k.key()), Some(k));
        }
        assert_eq!(Kernel::from_key("7x7"), None);
    }

    #[test]
    fn configs_round_trip_through_postcard() {
        let mut config = DigitsConfig::default();
        config.cnn.kernel = Kernel::Five;
        config.cnn.dropout = 0.25;
        config.dense.hidden = vec![64, 32];
        let bytes = postcard::to_allocvec(&config).unwrap();
        assert_eq!(
            postcard::from_bytes::<DigitsConfig>(&bytes).unwrap(),
            config
        );
    }
}
