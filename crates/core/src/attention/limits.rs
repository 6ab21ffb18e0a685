//! Limits of the attention lab's settings, shared by validation, the UI and the link codec.

/// Fewest symbols in the vocabulary.
pub const MIN_SYMBOLS: usize = 2;
/// Most symbols in the vocabulary: the digits 0–9, so a learner can type any sequence.
pub const MAX_SYMBOLS: usize = 10;
/// Shortest sequence.
pub const MIN_LENGTH: usize = 4;
/// Longest sequence (also the number of positions the positional encodings cover).
pub const MAX_LENGTH: usize = 16;
/// Smallest rotation of the rotate task.
pub const MIN_SHIFT: usize = 1;
/// Largest rotation of the rotate task.
pub const MAX_SHIFT: usize = MAX_LENGTH - 1;
/// Fewest training sequences.
pub const MIN_TRAIN_SIZE: usize = 100;
/// Most training sequences.
pub const MAX_TRAIN_SIZE: usize = 20_000;
/// Fewest test sequences.
pub const MIN_TEST_SIZE: usize = 10;
/// Most test sequences.
pub const MAX_TEST_SIZE: usize = 2_000;
/// Fewest transformer layers.
pub const MIN_LAYERS: usize = 1;
/// Most transformer layers.
pub const MAX_LAYERS: usize = 3;
/// Fewest attention heads per layer.
pub const MIN_HEADS: usize = 1;
/// Most attention heads per layer.
pub const MAX_HEADS: usize = 4;
/// Narrowest model width (embedding size).
pub const MIN_WIDTH: usize = 16;
/// Widest model width.
pub const MAX_WIDTH: usize = 64;
/// Narrowest feed-forward hidden layer.
pub const MIN_FEED_FORWARD: usize = 16;
/// Widest feed-forward hidden layer.
pub const MAX_FEED_FORWARD: usize = 256;
/// Smallest LSTM state (per direction).
pub const MIN_LSTM_HIDDEN: usize = 8;
/// Largest LSTM state (per direction).
pub const MAX_LSTM_HIDDEN: usize = 64;
/// Largest learning rate accepted.
pub const MAX_LEARNING_RATE: f64 = 1.0;
/// Smallest batch (sequences per optimiser step).
pub const MIN_BATCH_SIZE: usize = 1;
/// Largest batch.
pub const MAX_BATCH_SIZE: usize = 512;
