//! The attention lab's settings and their validation.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::input::{InputError, SYMBOL_DIGITS};
use super::limits::*;
use super::task::{Positions, Task};
use crate::run::{self, LearningRateError};
use crate::training::OptimizerKind;

/// Everything that defines an attention-lab run. Plain data: check it with
/// [`AttentionConfig::validate`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttentionConfig {
    /// Seeds the data, the initial weights and the batch order.
    pub seed: u64,
    /// What the models learn.
    pub task: Task,
    /// Vocabulary size: the symbols are the digits `0..symbols`.
    pub symbols: usize,
    /// Shortest sequence.
    pub min_length: usize,
    /// Longest sequence (shorter ones are padded to it and the padding is masked).
    pub max_length: usize,
    /// Rotation of the rotate task (ignored by the others).
    pub shift: usize,
    /// Training sequences.
    pub train_size: usize,
    /// Test sequences.
    pub test_size: usize,
    /// The transformer's positional encoding.
    pub positions: Positions,
    /// Transformer layers.
    pub layers: usize,
    /// Attention heads per layer.
    pub heads: usize,
    /// Model width (embedding size), even and a multiple of `heads`.
    pub width: usize,
    /// Hidden units of each layer's feed-forward block.
    pub feed_forward: usize,
    /// Whether a bidirectional LSTM tagger trains alongside, for comparison.
    pub lstm: bool,
    /// The LSTM's state size per direction.
    pub lstm_hidden: usize,
    /// Optimiser of both models.
    pub optimizer: OptimizerKind,
    /// Learning rate of both models (changeable live).
    pub learning_rate: f64,
    /// Sequences per optimiser step.
    pub batch_size: usize,
}

impl Default for AttentionConfig {
    /// Sorts length-8 sequences of the ten digits: the product target is ≥ 95 % token accuracy
    /// within a minute of training in the browser (see the module docs for the measurements).
    fn default() -> Self {
        Self {
            seed: 1,
            task: Task::Sort,
            symbols: 10,
            min_length: 8,
            max_length: 8,
            shift: 2,
            train_size: 4000,
            test_size: 256,
            positions: Positions::Sinusoidal,
            layers: 2,
            heads: 2,
            width: 32,
            feed_forward: 64,
            lstm: true,
            lstm_hidden: 32,
            optimizer: OptimizerKind::Adam,
            learning_rate: 0.001,
            batch_size: 64,
        }
    }
}

/// What is wrong with an attention-lab config, naming the field so a user can fix it.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum AttentionConfigError {
    /// Vocabulary size out of range.
    #[error("{symbols} symbols asked for; use {MIN_SYMBOLS} to {MAX_SYMBOLS}")]
    Symbols {
        /// Symbols asked for.
        symbols: usize,
    },
    /// Shortest length out of range.
    #[error("shortest length {length} is out of range; use {MIN_LENGTH} to {MAX_LENGTH}")]
    MinLength {
        /// Length asked for.
        length: usize,
    },
    /// Longest length out of range or below the shortest.
    #[error(
        "longest length {length} is invalid; use {shortest} to {MAX_LENGTH} (not below the shortest length)"
    )]
    MaxLength {
        /// Length asked for.
        length: usize,
        /// The smallest value allowed.
        shortest: usize,
    },
    /// Rotation out of range.
    #[error("shift {shift} is out of range; use {MIN_SHIFT} to {MAX_SHIFT}")]
    Shift {
        /// Shift asked for.
        shift: usize,
    },
    /// Training-set size out of range.
    #[error("{size} training sequences asked for; use {MIN_TRAIN_SIZE} to {MAX_TRAIN_SIZE}")]
    TrainSize {
        /// Size asked for.
        size: usize,
    },
    /// Test-set size out of range.
    #[error("{size} test sequences asked for; use {MIN_TEST_SIZE} to {MAX_TEST_SIZE}")]
    TestSize {
        /// Size asked for.
        size: usize,
    },
    /// Layer count out of range.
    #[error("{layers} transformer layers asked for; use {MIN_LAYERS} to {MAX_LAYERS}")]
    Layers {
        /// Layers asked for.
        layers: usize,
    },
    /// Head count out of range or not dividing the width.
    #[error(
        "{heads} attention heads do not fit width {width}; use {MIN_HEADS} to {MAX_HEADS} heads that divide the width"
    )]
    Heads {
        /// Heads asked for.
        heads: usize,
        /// The model width they must divide.
        width: usize,
    },
    /// Width out of range or odd.
    #[error("model width {width} is invalid; use an even number from {MIN_WIDTH} to {MAX_WIDTH}")]
    Width {
        /// Width asked for.
        width: usize,
    },
    /// Feed-forward size out of range.
    #[error(
        "feed-forward size {size} is out of range; use {MIN_FEED_FORWARD} to {MAX_FEED_FORWARD}"
    )]
    FeedForward {
        /// Size asked for.
        size: usize,
    },
    /// LSTM state size out of range.
    #[error("LSTM size {size} is out of range; use {MIN_LSTM_HIDDEN} to {MAX_LSTM_HIDDEN}")]
    LstmHidden {
        /// Size asked for.
        size: usize,
    },
    /// Learning rate not a positive finite number in range.
    #[error(transparent)]
    LearningRate(#[from] LearningRateError),
    /// Batch size zero, too big, or bigger than the training set.
    #[error(
        "batch size {batch} is invalid; use {MIN_BATCH_SIZE} to {largest} (at most the training sequences)"
    )]
    BatchSize {
        /// Batch asked for.
        batch: usize,
        /// The largest batch allowed.
        largest: usize,
    },
}

/// A config that passed validation; the only way to start an [`super::AttentionSession`].
#[derive(Debug, Clone, PartialEq)]
pub struct AttentionExperiment {
    config: AttentionConfig,
}

impl AttentionConfig {
    /// Checks every field; the first problem found is returned.
    pub fn validate(&self) -> Result<AttentionExperiment, AttentionConfigError> {
        self.validate_all().map_err(|mut errors| errors.remove(0))?;
        Ok(AttentionExperiment {
            config: self.clone(),
        })
    }

    /// Checks every field and returns all problems found (for forms that mark each field).
    pub fn validate_all(&self) -> Result<(), Vec<AttentionConfigError>> {
        use AttentionConfigError as E;
        let mut errors = Vec::new();
        if !(MIN_SYMBOLS..=MAX_SYMBOLS).contains(&self.symbols) {
            errors.push(E::Symbols {
                symbols: self.symbols,
            });
        }
        if !(MIN_LENGTH..=MAX_LENGTH).contains(&self.min_length) {
            errors.push(E::MinLength {
                length: self.min_length,
            });
        }
        let shortest = self.min_length.clamp(MIN_LENGTH, MAX_LENGTH);
        if !(shortest..=MAX_LENGTH).contains(&self.max_length) {
            errors.push(E::MaxLength {
                length: self.max_length,
                shortest,
            });
        }
        if !(MIN_SHIFT..=MAX_SHIFT).contains(&self.shift) {
            errors.push(E::Shift { shift: self.shift });
        }
        if !(MIN_TRAIN_SIZE..=MAX_TRAIN_SIZE).contains(&self.train_size) {
            errors.push(E::TrainSize {
                size: self.train_size,
            });
        }
        if !(MIN_TEST_SIZE..=MAX_TEST_SIZE).contains(&self.test_size) {
            errors.push(E::TestSize {
                size: self.test_size,
            });
        }
        if !(MIN_LAYERS..=MAX_LAYERS).contains(&self.layers) {
            errors.push(E::Layers {
                layers: self.layers,
            });
        }
        let width_ok =
            (MIN_WIDTH..=MAX_WIDTH).contains(&self.width) && self.width.is_multiple_of(2);
        if !width_ok {
            errors.push(E::Width { width: self.width });
        }
        if !(MIN_HEADS..=MAX_HEADS).contains(&self.heads) || !self.width.is_multiple_of(self.heads)
        {
            errors.push(E::Heads {
                heads: self.heads,
                width: self.width,
            });
        }
        if !(MIN_FEED_FORWARD..=MAX_FEED_FORWARD).contains(&self.feed_forward) {
            errors.push(E::FeedForward {
                size: self.feed_forward,
            });
        }
        if !(MIN_LSTM_HIDDEN..=MAX_LSTM_HIDDEN).contains(&self.lstm_hidden) {
            errors.push(E::LstmHidden {
                size: self.lstm_hidden,
            });
        }
        errors.extend(check_learning_rate(self.learning_rate).err());
        let largest = MAX_BATCH_SIZE.min(self.train_size.max(MIN_BATCH_SIZE));
        if !(MIN_BATCH_SIZE..=largest).contains(&self.batch_size) {
            errors.push(E::BatchSize {
                batch: self.batch_size,
                largest,
            });
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

/// Checks a learning rate (also used for live changes).
pub fn check_learning_rate(rate: f64) -> Result<(), AttentionConfigError> {
    Ok(run::check_learning_rate(rate, MAX_LEARNING_RATE)?)
}

impl AttentionExperiment {
    /// The validated config.
    pub fn config(&self) -> &AttentionConfig {
        &self.config
    }

    /// Output classes of the task.
    pub fn classes(&self) -> usize {
        self.config
            .task
            .classes(self.config.symbols, self.config.max_length)
    }

    /// The padding token (one past the last symbol); the embeddings have `symbols + 1` rows.
    pub fn pad_token(&self) -> u32 {
        self.config.symbols as u32
    }

    /// The correct output for `input`.
    pub fn targets(&self, input: &[u32]) -> Vec<u32> {
        self.config.task.targets(input, self.config.shift)
    }

    /// Checks a sequence a learner gave: its length and every symbol.
    pub fn check_sequence(&self, input: &[u32]) -> Result<(), InputError> {
        let (min, max) = (self.config.min_length, self.config.max_length);
        if !(min..=max).contains(&input.len()) {
            return Err(InputError::Length {
                length: input.len(),
                min,
                max,
            });
        }
        let symbols = self.config.symbols;
        match input.iter().position(|&s| s as usize >= symbols) {
            Some(position) => Err(InputError::Symbol {
                position,
                symbol: input[position],
                symbols,
            }),
            None => Ok(()),
        }
    }

    /// Reads a typed sequence such as `"3 1 4 1 5"` or `"31415"` (digits; spaces and commas
    /// are ignored) and checks it.
    pub fn parse_sequence(&self, text: &str) -> Result<Vec<u32>, InputError> {
        let mut sequence = Vec::new();
        for (position, character) in text
            .chars()
            .filter(|c| !c.is_whitespace() && *c != ',')
            .enumerate()
        {
            match SYMBOL_DIGITS.find(character) {
                Some(digit) => sequence.push(digit as u32),
                None => {
                    return Err(InputError::Character {
                        position,
                        character,
                    });
                }
            }
        }
        self.check_sequence(&sequence)?;
        Ok(sequence)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error_of(edit: impl FnOnce(&mut AttentionConfig)) -> AttentionConfigError {
        let mut config = AttentionConfig::default();
        edit(&mut config);
        match config.validate() {
            Ok(_) => panic!("config should be invalid: {config:?}"),
            Err(e) => e,
        }
    }

    #[test]
    fn default_config_is_valid() {
        let experiment = AttentionConfig::default().validate().unwrap();
        assert_eq!(experiment.classes(), 10);
        assert_eq!(experiment.pad_token(), 10);
    }

    #[test]
    fn every_invalid_field_has_its_own_error() {
        use AttentionConfigError as E;
        let cases: Vec<(AttentionConfigError, &str)> = vec![
            (error_of(|c| c.symbols = 1), "1 symbols"),
            (error_of(|c| c.symbols = 11), "use 2 to 10"),
            (error_of(|c| c.min_length = 3), "shortest length 3"),
            (error_of(|c| c.min_length = 17), "shortest length 17"),
            (
                error_of(|c| {
                    c.min_length = 9;
                    c.max_length = 8;
                }),
                "longest length 8 is invalid; use 9 to 16",
            ),
            (error_of(|c| c.max_length = 17), "longest length 17"),
            (error_of(|c| c.shift = 0), "shift 0"),
            (error_of(|c| c.shift = 16), "shift 16"),
            (error_of(|c| c.train_size = 99), "99 training sequences"),
            (error_of(|c| c.test_size = 9), "9 test sequences"),
            (error_of(|c| c.test_size = 2001), "2001 test sequences"),
            (error_of(|c| c.layers = 0), "0 transformer layers"),
            (error_of(|c| c.layers = 4), "4 transformer layers"),
            (error_of(|c| c.heads = 0), "0 attention heads"),
            (error_of(|c| c.heads = 5), "5 attention heads"),
            (
                error_of(|c| c.heads = 3),
                "3 attention heads do not fit width 32",
            ),
            (error_of(|c| c.width = 14), "model width 14"),
            (error_of(|c| c.width = 66), "model width 66"),
            (error_of(|c| c.feed_forward = 8), "feed-forward size 8"),
            (error_of(|c| c.lstm_hidden = 65), "LSTM size 65"),
            (error_of(|c| c.learning_rate = 0.0), "learning rate 0"),
            (
                error_of(|c| c.learning_rate = f64::NAN),
                "learning rate NaN",
            ),
            (error_of(|c| c.learning_rate = 2.0), "learning rate 2"),
            (error_of(|c| c.batch_size = 0), "batch size 0"),
            (error_of(|c| c.batch_size = 513), "use 1 to 512"),
            (
                error_of(|c| {
                    c.train_size = 100;
                    c.batch_size = 101;
                }),
                "use 1 to 100",
            ),
        ];
        for (error, needle) in &cases {
            assert!(error.to_string().contains(needle), "{error} / {needle}");
        }
        // Odd widths are refused even when the heads divide them.
        assert_eq!(
            error_of(|c| {
                c.width = 33;
                c.heads = 1;
            }),
            E::Width { width: 33 }
        );
        // One variant per field: every variant appears among the cases.
        let variants: std::collections::HashSet<_> = cases
            .iter()
            .map(|(e, _)| std::mem::discriminant(e))
            .collect();
        assert_eq!(variants.len(), 13);
    }

    #[test]
    fn validate_all_reports_every_bad_field() {
        let config = AttentionConfig {
            symbols: 0,
            layers: 9,
            batch_size: 0,
            ..AttentionConfig::default()
        };
        let errors = config.validate_all().unwrap_err();
        assert_eq!(errors.len(), 3, "{errors:?}");
        assert_eq!(config.validate(), Err(errors[0].clone()));
    }

    #[test]
    fn counting_outputs_the_counts() {
        let config = AttentionConfig {
            task: Task::Count,
            max_length: 12,
            ..AttentionConfig::default()
        };
        let experiment = config.validate().unwrap();
        assert_eq!(experiment.classes(), 13);
        assert_eq!(experiment.targets(&[2, 2, 7, 2]), vec![3, 3, 1, 3]);
    }
}
