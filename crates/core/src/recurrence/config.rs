//! What defines a recurrence run (task, sequence length, network size, training) and its
//! validation.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::limits::*;
use crate::run::{self, LearningRateError};
use crate::training::OptimizerKind;

/// The sequence task the three networks learn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TaskKind {
    /// The first symbol (one of `symbols`), then distractors; name the first symbol at the end.
    Memory,
    /// Pairs (value, marker) with two markers; output the sum of the two marked values.
    Adding,
    /// A string of brackets: is it balanced?
    Brackets,
}

impl TaskKind {
    /// Every task, in display order.
    pub const ALL: [TaskKind; 3] = [TaskKind::Memory, TaskKind::Adding, TaskKind::Brackets];

    /// The name a learner reads.
    pub fn name(self) -> &'static str {
        match self {
            TaskKind::Memory => "Remember the first symbol",
            TaskKind::Adding => "Adding problem",
            TaskKind::Brackets => "Balanced brackets",
        }
    }

    /// Whether the task is a classification (else a regression).
    pub fn is_classification(self) -> bool {
        !matches!(self, TaskKind::Adding)
    }
}

crate::stable_keys!(TaskKind {
    Memory => "memory",
    Adding => "adding",
    Brackets => "brackets",
});

/// The recurrent cell of one of the lab's networks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CellKind {
    /// Elman's vanilla RNN: `h = tanh(W x + U h + b)`.
    Rnn,
    /// Long short-term memory: a cell state guarded by input, forget and output gates.
    Lstm,
    /// Gated recurrent unit: update and reset gates, no separate cell state.
    Gru,
}

impl CellKind {
    /// Every cell, in the order sessions train and report them.
    pub const ALL: [CellKind; 3] = [CellKind::Rnn, CellKind::Lstm, CellKind::Gru];

    /// The name a learner reads.
    pub fn name(self) -> &'static str {
        match self {
            CellKind::Rnn => "Vanilla RNN",
            CellKind::Lstm => "LSTM",
            CellKind::Gru => "GRU",
        }
    }

    /// Position in [`CellKind::ALL`] (and in a session's models).
    pub fn index(self) -> usize {
        match self {
            CellKind::Rnn => 0,
            CellKind::Lstm => 1,
            CellKind::Gru => 2,
        }
    }
}

crate::stable_keys!(CellKind {
    Rnn => "rnn",
    Lstm => "lstm",
    Gru => "gru",
});

/// Everything that defines a recurrence run. Plain data: check it with
/// [`RecurrenceConfig::validate`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecurrenceConfig {
    /// Seeds the data, the initial weights and the shuffles.
    pub seed: u64,
    /// The task.
    pub task: TaskKind,
    /// Time steps per sequence (`T`): for the memory task the symbol, then `T − 1`
    /// distractors.
    pub length: usize,
    /// Symbols to remember (memory task only; chance is 1 / symbols).
    pub symbols: usize,
    /// Size of every network's hidden state.
    pub hidden: usize,
    /// Training sequences (one epoch is one pass over them).
    pub train_size: usize,
    /// Test sequences.
    pub test_size: usize,
    /// Sequences per optimiser step.
    pub batch_size: usize,
    /// The optimiser (each network has its own).
    pub optimizer: OptimizerKind,
    /// Step size (can change live).
    pub learning_rate: f64,
    /// Clip each parameter tensor's gradient to this norm (`None`: no clipping).
    pub clip_norm: Option<f32>,
    /// Memory task only: the spread (standard deviation) of the Gaussian noise added to every
    /// input number of the distractor steps. A vanilla RNN must then hold the first symbol
    /// against noise, which needs contracting dynamics, which make early gradients vanish
    /// (Bengio et al., 1994); an LSTM or GRU shuts its gate instead. Without noise, a vanilla
    /// RNN learns the memory task too (measured up to T = 50).
    pub noise: f32,
    /// Initial bias of the gates that keep memory: the LSTM's forget gate and the GRU's
    /// update gate (0 starts them half open; 2 keeps 88 % of the memory per step).
    pub keep_bias: f32,
}

impl Default for RecurrenceConfig {
    /// Chosen so that within a minute in the browser the LSTM and the GRU master the memory
    /// task at T = 20 while the vanilla RNN stays at chance (see the module documentation for
    /// the measurements).
    fn default() -> Self {
        Self {
            seed: 1,
            task: TaskKind::Memory,
            length: 20,
            symbols: 4,
            hidden: 16,
            train_size: 2000,
            test_size: 256,
            batch_size: 32,
            optimizer: OptimizerKind::Adam,
            learning_rate: 0.01,
            clip_norm: Some(1.0),
            noise: 1.0,
            keep_bias: 2.0,
        }
    }
}

/// What is wrong with a recurrence config, naming the field so a user can fix it.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum RecurrenceConfigError {
    /// Sequence length out of range.
    #[error("sequence length {length} is out of range; use {MIN_LENGTH} to {MAX_LENGTH} steps")]
    Length {
        /// Length asked for.
        length: usize,
    },
    /// Symbol count out of range.
    #[error("{symbols} symbols to remember is out of range; use {MIN_SYMBOLS} to {MAX_SYMBOLS}")]
    Symbols {
        /// Symbols asked for.
        symbols: usize,
    },
    /// Hidden size out of range.
    #[error("hidden size {hidden} is out of range; use {MIN_HIDDEN} to {MAX_HIDDEN} units")]
    Hidden {
        /// Size asked for.
        hidden: usize,
    },
    /// Training-set size out of range.
    #[error("{size} training sequences is out of range; use {MIN_TRAIN_SIZE} to {MAX_TRAIN_SIZE}")]
    TrainSize {
        /// Size asked for.
        size: usize,
    },
    /// Test-set size out of range.
    #[error("{size} test sequences is out of range; use {MIN_TEST_SIZE} to {MAX_TEST_SIZE}")]
    TestSize {
        /// Size asked for.
        size: usize,
    },
    /// Batch size zero, above the limit or above the training set.
    #[error("batch size {batch} is invalid; use 1 to {largest} sequences")]
    BatchSize {
        /// Batch asked for.
        batch: usize,
        /// The largest batch allowed with this training set.
        largest: usize,
    },
    /// Learning rate not a positive finite number in range.
    #[error(transparent)]
    LearningRate(#[from] LearningRateError),
    /// Clipping norm not a positive finite number in range.
    #[error(
        "gradient clipping norm {norm} is invalid; use a number above 0 and at most \
         {MAX_CLIP_NORM}, or turn clipping off"
    )]
    ClipNorm {
        /// Norm asked for.
        norm: f32,
    },
    /// Noise out of range.
    #[error("distractor noise {noise} is out of range; use 0 to {MAX_NOISE}")]
    Noise {
        /// Noise asked for.
        noise: f32,
    },
    /// Keep-gate bias out of range.
    #[error("keep-gate bias {bias} is out of range; use 0 to {MAX_KEEP_BIAS}")]
    KeepBias {
        /// Bias asked for.
        bias: f32,
    },
}

impl RecurrenceConfig {
    /// Checks every field; the first problem found is returned.
    pub fn validate(&self) -> Result<RecurrenceExperiment, RecurrenceConfigError> {
        self.validate_all().map_err(|mut errors| errors.remove(0))?;
        Ok(RecurrenceExperiment {
            config: self.clone(),
        })
    }

    /// Checks every field and returns all problems found (for forms that mark each field).
    pub fn validate_all(&self) -> Result<(), Vec<RecurrenceConfigError>> {
        use RecurrenceConfigError as E;
        let mut errors = Vec::new();
        if !(MIN_LENGTH..=MAX_LENGTH).contains(&self.length) {
            errors.push(E::Length {
                length: self.length,
            });
        }
        if !(MIN_SYMBOLS..=MAX_SYMBOLS).contains(&self.symbols) {
            errors.push(E::Symbols {
                symbols: self.symbols,
            });
        }
        if !(MIN_HIDDEN..=MAX_HIDDEN).contains(&self.hidden) {
            errors.push(E::Hidden {
                hidden: self.hidden,
            });
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
        let largest = MAX_BATCH_SIZE.min(self.train_size);
        if !(1..=largest).contains(&self.batch_size) {
            errors.push(E::BatchSize {
                batch: self.batch_size,
                largest,
            });
        }
        errors.extend(check_learning_rate(self.learning_rate).err());
        if let Some(norm) = self.clip_norm
            && !(norm.is_finite() && norm > 0.0 && norm <= MAX_CLIP_NORM)
        {
            errors.push(E::ClipNorm { norm });
        }
        if !(0.0..=MAX_NOISE).contains(&self.noise) {
            errors.push(E::Noise { noise: self.noise });
        }
        if !(0.0..=MAX_KEEP_BIAS).contains(&self.keep_bias) {
            errors.push(E::KeepBias {
                bias: self.keep_bias,
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
pub fn check_learning_rate(rate: f64) -> Result<(), RecurrenceConfigError> {
    Ok(run::check_learning_rate(rate, MAX_LEARNING_RATE)?)
}

/// A config that passed validation; the only way to start a recurrence session.
#[derive(Debug, Clone, PartialEq)]
pub struct RecurrenceExperiment {
    config: RecurrenceConfig,
}

impl RecurrenceExperiment {
    /// The validated config.
    pub fn config(&self) -> &RecurrenceConfig {
        &self.config
    }

    /// Numbers per time step the networks read.
    pub fn input_width(&self) -> usize {
        match self.config.task {
            TaskKind::Memory => self.config.symbols + DISTRACTORS,
            TaskKind::Adding => 2,
            TaskKind::Brackets => 3,
        }
    }

    /// Outputs of the networks' head: one logit per class, or the predicted value.
    pub fn outputs(&self) -> usize {
        match self.config.task {
            TaskKind::Memory => self.config.symbols,
            TaskKind::Adding => 1,
            TaskKind::Brackets => 2,
        }
    }

    /// The accuracy of guessing (classification), or of always answering the mean (adding).
    pub fn chance_accuracy(&self) -> f32 {
        match self.config.task {
            TaskKind::Memory => 1.0 / self.config.symbols as f32,
            // The sum of two U(0,1) values lies within ±0.04 of 1 with probability ≈ 0.078.
            TaskKind::Adding => 1.0 - (1.0 - ADDING_TOLERANCE).powi(2),
            TaskKind::Brackets => 0.5,
        }
    }

    /// The same experiment with another sequence length (validated).
    pub fn with_length(&self, length: usize) -> Result<Self, RecurrenceConfigError> {
        RecurrenceConfig {
            length,
            ..self.config.clone()
        }
        .validate()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error_of(edit: impl FnOnce(&mut RecurrenceConfig)) -> RecurrenceConfigError {
        let mut config = RecurrenceConfig::default();
        edit(&mut config);
        match config.validate() {
            Ok(_) => panic!("config should be invalid: {config:?}"),
            Err(e) => e,
        }
    }

    #[test]
    fn default_config_is_valid() {
        let experiment = RecurrenceConfig::default().validate().unwrap();
        assert_eq!(experiment.input_width(), 4 + DISTRACTORS);
        assert_eq!(experiment.outputs(), 4);
        assert!((experiment.chance_accuracy() - 0.25).abs() < 1e-6);
    }

    #[test]
    fn every_invalid_field_has_its_own_error() {
        let cases: Vec<(RecurrenceConfigError, &str)> = vec![
            (error_of(|c| c.length = 1), "sequence length 1"),
            (error_of(|c| c.length = 51), "use 2 to 50 steps"),
            (error_of(|c| c.symbols = 1), "1 symbols"),
            (error_of(|c| c.symbols = 9), "use 2 to 8"),
            (error_of(|c| c.hidden = 3), "hidden size 3"),
            (error_of(|c| c.hidden = 65), "use 4 to 64 units"),
            (error_of(|c| c.train_size = 10), "10 training sequences"),
            (error_of(|c| c.test_size = 5000), "5000 test sequences"),
            (error_of(|c| c.batch_size = 0), "batch size 0"),
            (
                error_of(|c| {
                    c.train_size = 100;
                    c.batch_size = 101;
                }),
                "use 1 to 100 sequences",
            ),
            (error_of(|c| c.learning_rate = 0.0), "learning rate 0"),
            (
                error_of(|c| c.learning_rate = f64::NAN),
                "learning rate NaN",
            ),
            (error_of(|c| c.clip_norm = Some(0.0)), "clipping norm 0"),
            (
                error_of(|c| c.clip_norm = Some(f32::INFINITY)),
                "turn clipping off",
            ),
            (error_of(|c| c.noise = -0.5), "distractor noise -0.5"),
            (error_of(|c| c.noise = 3.0), "use 0 to 2"),
            (error_of(|c| c.keep_bias = -1.0), "keep-gate bias -1"),
            (error_of(|c| c.keep_bias = f32::NAN), "keep-gate bias NaN"),
        ];
        let mut seen = std::collections::HashSet::new();
        for (error, needle) in cases {
            let text = error.to_string();
            assert!(text.contains(needle), "{text:?} should mention {needle:?}");
            seen.insert(std::mem::discriminant(&error));
        }
        assert_eq!(seen.len(), 10, "each field maps to its own variant");
    }

    #[test]
    fn validate_all_reports_every_problem() {
        let config = RecurrenceConfig {
            length: 0,
            hidden: 0,
            learning_rate: -1.0,
            ..RecurrenceConfig::default()
        };
        assert_eq!(config.validate_all().unwrap_err().len(), 3);
    }

    #[test]
    fn keys_round_trip_and_are_distinct() {
        for task in TaskKind::ALL {
            assert_eq!(TaskKind::from_key(task.key()), Some(task));
        }
        for (i, cell) in CellKind::ALL.into_iter().enumerate() {
            assert_eq!(CellKind::from_key(cell.key()), Some(cell));
            assert_eq!(cell.index(), i);
        }
        assert_eq!(TaskKind::from_key("nope"), None);
    }
}
