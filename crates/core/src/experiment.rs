//! A whole experiment (data, features, network, training, seed) and its validation.

use serde::{Deserialize, Serialize};

pub use crate::config_error::ConfigError;
use crate::data::{DataConfig, Dataset, DatasetKind, Point};
use crate::features::FeatureSet;
use crate::limits::*;
use crate::network::{Activation, Init, LayerSpec, NetworkSpec};
use crate::problem::Problem;
use crate::run::check_learning_rate;
use crate::training::{BatchSize, OptimizerKind, TrainingConfig};

/// Everything needed to reproduce a run. Plain data: check it with [`ExperimentConfig::validate`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExperimentConfig {
    /// Seeds data, initial weights, shuffling and dropout.
    pub seed: u64,
    /// The data set.
    pub data: DataConfig,
    /// Enabled input features.
    pub features: FeatureSet,
    /// Hidden layers and init.
    pub network: NetworkSpec,
    /// Loss, optimiser and friends.
    pub training: TrainingConfig,
}

impl Default for ExperimentConfig {
    fn default() -> Self {
        Self {
            seed: 1,
            data: DataConfig::default(),
            features: FeatureSet::default(),
            network: NetworkSpec::default(),
            training: TrainingConfig::default(),
        }
    }
}

/// A config that passed validation; the only way to start a [`crate::Session`].
#[derive(Debug, Clone, PartialEq)]
pub struct Experiment {
    config: ExperimentConfig,
}

impl Experiment {
    /// The validated config.
    pub fn config(&self) -> &ExperimentConfig {
        &self.config
    }

    /// The problem the data set poses.
    pub fn problem(&self) -> Problem {
        self.config.data.problem()
    }

    /// Generates this experiment's data.
    pub fn dataset(&self) -> Dataset {
        self.config.data.generate(self.config.seed)
    }

    /// Layer widths from input to output, e.g. `[2, 4, 2, 1]`.
    pub fn layer_widths(&self) -> Vec<usize> {
        let mut widths = vec![self.config.features.len()];
        widths.extend(self.config.network.hidden.iter().map(|l| l.neurons));
        widths.push(self.problem().outputs());
        widths
    }

    /// The network's inputs and targets for `points`, row-major: `points × features` and
    /// `points × outputs` (a 0/1 column for binary sets, one-hot rows for multi-class sets,
    /// the value for regression).
    pub fn matrices(&self, points: &[Point]) -> (Vec<f32>, Vec<f32>) {
        let features = self.config.features;
        let problem = self.problem();
        let mut x = Vec::with_capacity(points.len() * features.len());
        let mut y = Vec::with_capacity(points.len() * problem.outputs());
        for p in points {
            features.push_row(p.x, p.y, &mut x);
            match problem {
                Problem::Multiclass { classes } => {
                    y.extend((0..classes).map(|c| if c as f32 == p.label { 1.0 } else { 0.0 }))
                }
                Problem::Binary | Problem::Regression => y.push(p.label),
            }
        }
        (x, y)
    }
}

impl ExperimentConfig {
    /// "Overfit me": few noisy points (50 to train on) and a big ReLU network trained with
    /// Adam. The test loss falls, then climbs while the training loss keeps falling, so the
    /// learner can repair it with L2, dropout, more data or early stopping.
    pub fn overfitting() -> Self {
        let mut config = Self::default();
        config.data.kind = DatasetKind::Xor;
        config.data.noise_percent = 30;
        config.data.size = 100;
        config.network.hidden = vec![LayerSpec::new(12, Activation::Relu); 2];
        config.network.init = Init::He;
        config.training.optimizer = OptimizerKind::Adam;
        config.training.learning_rate = 0.01;
        config
    }

    /// Shrinks a batch size that no longer fits the training points (after the data set, its
    /// size or the train ratio changed) to all of them; any other batch is kept.
    pub fn fit_batch_to_data(&mut self) {
        let train = self.data.train_count().max(1);
        if let BatchSize::Points(batch) = self.training.batch_size
            && batch > train
        {
            self.training.batch_size = BatchSize::Points(train);
        }
    }

    /// Checks every field; the first problem found is returned.
    pub fn validate(&self) -> Result<Experiment, ConfigError> {
        self.validate_all().map_err(|mut errors| errors.remove(0))?;
        Ok(Experiment {
            config: self.clone(),
        })
    }

    /// Checks every field and returns all problems found (for forms that mark each field).
    pub fn validate_all(&self) -> Result<(), Vec<ConfigError>> {
        let mut errors = Vec::new();
        self.check_network(&mut errors);
        self.check_data(&mut errors);
        errors
            .extend(check_training(&self.training, self.problem(), self.data.train_count()).err());
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    /// The problem the data set poses.
    pub fn problem(&self) -> Problem {
        self.data.problem()
    }

    fn check_network(&self, errors: &mut Vec<ConfigError>) {
        let hidden = &self.network.hidden;
        if hidden.len() > MAX_HIDDEN_LAYERS {
            errors.push(ConfigError::TooManyLayers {
                count: hidden.len(),
            });
        }
        for (i, layer) in hidden.iter().enumerate() {
            if !(MIN_NEURONS..=MAX_NEURONS).contains(&layer.neurons) {
                errors.push(ConfigError::Neurons {
                    layer: i + 1,
                    neurons: layer.neurons,
                });
            }
            if !(0.0..=MAX_DROPOUT).contains(&layer.dropout) {
                errors.push(ConfigError::Dropout {
                    layer: i + 1,
                    dropout: layer.dropout,
                });
            }
        }
        if self.features.is_empty() {
            errors.push(ConfigError::NoFeatures);
        }
    }

    fn check_data(&self, errors: &mut Vec<ConfigError>) {
        let data = &self.data;
        if !(MIN_DATA_SIZE..=MAX_DATA_SIZE).contains(&data.size) {
            errors.push(ConfigError::DataSize { size: data.size });
        }
        if data.noise_percent > MAX_NOISE_PERCENT {
            errors.push(ConfigError::Noise {
                noise: data.noise_percent,
            });
        }
        if !(MIN_TRAIN_PERCENT..=MAX_TRAIN_PERCENT).contains(&data.train_percent) {
            errors.push(ConfigError::TrainPercent {
                percent: data.train_percent,
            });
        }
        if data.kind == DatasetKind::Custom {
            data.custom.check(errors);
        } else if matches!(self.problem(), Problem::Multiclass { .. })
            && !(MIN_CLASSES..=MAX_CLASSES).contains(&data.classes)
        {
            errors.push(ConfigError::Classes {
                classes: data.classes,
            });
        }
    }
}

/// Checks a training config against the problem and training-set size (also used for live
/// changes, which do not rebuild the network).
pub fn check_training(
    training: &TrainingConfig,
    problem: Problem,
    train_count: usize,
) -> Result<(), ConfigError> {
    check_learning_rate(training.learning_rate, MAX_LEARNING_RATE)?;
    if let BatchSize::Points(batch) = training.batch_size
        && (batch == 0 || batch > train_count)
    {
        return Err(ConfigError::BatchSize { batch, train_count });
    }
    let reg = training.regularization_rate;
    if !(reg.is_finite() && (0.0..=MAX_REGULARIZATION_RATE).contains(&reg)) {
        return Err(ConfigError::RegularizationRate { rate: reg });
    }
    if !training.loss.fits(problem) {
        return Err(ConfigError::LossDoesNotFit {
            loss: training.loss,
            problem,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::custom_data::CustomData;
    use crate::network::{Activation, LayerSpec};
    use crate::training::LossKind;

    fn error_of(edit: impl FnOnce(&mut ExperimentConfig)) -> ConfigError {
        let mut config = ExperimentConfig::default();
        edit(&mut config);
        match config.validate() {
            Ok(_) => panic!("config should be invalid: {config:?}"),
            Err(e) => e,
        }
    }

    #[test]
    fn default_config_is_valid() {
        let experiment = ExperimentConfig::default().validate().unwrap();
        assert_eq!(experiment.layer_widths(), vec![2, 4, 2, 1]);
    }

    #[test]
    fn every_invalid_field_has_its_own_error() {
        let mut cases: Vec<(ConfigError, &str)> = vec![
            (
                error_of(|c| c.network.hidden = vec![LayerSpec::new(2, Activation::Relu); 9]),
                "9 hidden layers",
            ),
            (
                error_of(|c| c.network.hidden[1].neurons = 17),
                "hidden layer 2 has 17 neurons",
            ),
            (
                error_of(|c| c.network.hidden[0].neurons = 0),
                "hidden layer 1 has 0 neurons",
            ),
            (
                error_of(|c| c.network.hidden[0].dropout = 0.95),
                "dropout 0.95",
            ),
            (
                error_of(|c| c.features = FeatureSet::EMPTY),
                "no input feature",
            ),
            (error_of(|c| c.data.size = 10), "data size 10"),
            (error_of(|c| c.data.noise_percent = 80), "noise 80%"),
            (
                error_of(|c| c.data.train_percent = 95),
                "training share 95%",
            ),
            (
                error_of(|c| {
                    c.data.kind = DatasetKind::Blobs;
                    c.data.classes = 7;
                    c.training.loss = LossKind::CategoricalCrossEntropy;
                }),
                "7 classes",
            ),
            (
                error_of(|c| c.training.learning_rate = 0.0),
                "learning rate 0",
            ),
            (
                error_of(|c| c.training.learning_rate = f64::NAN),
                "learning rate NaN",
            ),
            (
                error_of(|c| c.training.batch_size = BatchSize::Points(0)),
                "batch size 0",
            ),
            (
                error_of(|c| c.training.batch_size = BatchSize::Points(251)),
                "use 1 to 250",
            ),
            (
                error_of(|c| c.training.regularization_rate = -1.0),
                "regularisation rate -1",
            ),
            (
                error_of(|c| c.training.loss = LossKind::Huber),
                "Huber loss does not fit binary classification",
            ),
        ];
        let custom = |edit: fn(&mut CustomData)| {
            error_of(move |c| {
                c.data.kind = DatasetKind::Custom;
                c.data.custom = CustomData::new(
                    Problem::Binary,
                    (0..40).map(|i| Point {
                        x: i as f32 / 10.0,
                        y: -1.0,
                        label: (i % 2) as f32,
                    }),
                );
                edit(&mut c.data.custom);
            })
        };
        cases.extend([
            (custom(|d| d.points.truncate(3)), "3 points of your own"),
            (
                custom(|d| d.points[7].y = -6.5),
                "point 8 at (0.7, -6.5) lies outside",
            ),
            (custom(|d| d.points[1].label = 3.0), "use class 0 or 1"),
            (
                custom(|d| d.points.iter_mut().for_each(|p| p.label = 0.0)),
                "only 1 class",
            ),
        ]);
        let mut seen = std::collections::HashSet::new();
        for (error, needle) in cases {
            let text = error.to_string();
            assert!(text.contains(needle), "{text:?} should mention {needle:?}");
            seen.insert(std::mem::discriminant(&error));
        }
        assert_eq!(seen.len(), 16, "each field maps to its own variant");
    }

    #[test]
    fn custom_points_set_the_problem_size_and_split() {
        let mut config = ExperimentConfig::default();
        config.data.kind = DatasetKind::Custom;
        config.data.train_percent = 70;
        config.data.custom = CustomData::new(
            Problem::Multiclass { classes: 3 },
            (0..30).map(|i| Point {
                x: (i as f32 / 10.0) - 1.5,
                y: 0.5,
                label: (i % 3) as f32,
            }),
        );
        config.training.loss = LossKind::CategoricalCrossEntropy;
        let experiment = config.validate().unwrap();
        assert_eq!(experiment.layer_widths(), vec![2, 4, 2, 3]);
        let data = experiment.dataset();
        assert_eq!((data.train.len(), data.test.len()), (21, 9));
        assert_eq!(data, experiment.dataset(), "the split is seeded");
        let mut all: Vec<Point> = data.train.iter().chain(&data.test).copied().collect();
        all.sort_by(|a, b| a.x.total_cmp(&b.x));
        assert_eq!(
            all, config.data.custom.points,
            "the split keeps every point"
        );
        config.seed = 2;
        assert_ne!(config.validate().unwrap().dataset(), data);
        // A generator ignores the kept drawing; a bad drawing does not matter then.
        config.data.kind = DatasetKind::Circle;
        config.data.custom.points.truncate(2);
        config.training.loss = LossKind::BinaryCrossEntropy;
        assert!(config.validate().is_ok());
    }

    #[test]
    fn a_batch_too_big_for_the_data_shrinks_to_it() {
        let mut config = ExperimentConfig::default();
        config.training.batch_size = BatchSize::Points(40);
        config.data.size = 50;
        config.data.train_percent = 50;
        assert!(config.validate().is_err(), "40 of 25 training points");
        config.fit_batch_to_data();
        assert_eq!(
            config.training.batch_size,
            BatchSize::Points(config.data.train_count())
        );
        assert!(config.validate().is_ok());
        config.training.batch_size = BatchSize::Points(2);
        config.fit_batch_to_data();
        assert_eq!(
            config.training.batch_size,
            BatchSize::Points(2),
            "a fitting batch stays"
        );
        config.training.batch_size = BatchSize::Full;
        config.fit_batch_to_data();
        assert_eq!(config.training.batch_size, BatchSize::Full);
    }

    #[test]
    fn validate_all_reports_every_problem() {
        let mut config = ExperimentConfig::default();
        config.data.size = 1;
        config.data.noise_percent = 99;
        config.features = FeatureSet::EMPTY;
        let errors = config.validate_all().unwrap_err();
        assert!(errors.len() >= 3, "{errors:?}");
    }
}
