//! Limits and fixed sizes of the recurrence lab, shared by validation, the UI and links.

/// Shortest sequence (time steps).
pub const MIN_LENGTH: usize = 2;
/// Longest sequence (time steps).
pub const MAX_LENGTH: usize = 50;
/// Fewest symbols the memory task may ask to remember.
pub const MIN_SYMBOLS: usize = 2;
/// Most symbols the memory task may ask to remember.
pub const MAX_SYMBOLS: usize = 8;
/// Distractor symbols of the memory task (a set apart from the symbols to remember).
pub const DISTRACTORS: usize = 4;
/// Smallest hidden state.
pub const MIN_HIDDEN: usize = 4;
/// Largest hidden state.
pub const MAX_HIDDEN: usize = 64;
/// Fewest training sequences.
pub const MIN_TRAIN_SIZE: usize = 64;
/// Most training sequences.
pub const MAX_TRAIN_SIZE: usize = 10_000;
/// Fewest test sequences (also the most a gradient probe or a metric sample needs).
pub const MIN_TEST_SIZE: usize = 64;
/// Most test sequences.
pub const MAX_TEST_SIZE: usize = 2_000;
/// Largest batch.
pub const MAX_BATCH_SIZE: usize = 512;
/// Largest learning rate accepted.
pub const MAX_LEARNING_RATE: f64 = 1.0;
/// Largest gradient-clipping norm accepted.
pub const MAX_CLIP_NORM: f32 = 100.0;
/// Largest initial bias of the memory-keeping gates (σ(5) ≈ 0.993: almost never forget).
pub const MAX_KEEP_BIAS: f32 = 5.0;
/// Largest distractor noise of the memory task (standard deviation).
pub const MAX_NOISE: f32 = 2.0;
/// Training sequences the train metrics are measured on before the first step (afterwards
/// they average the training batches, which costs nothing extra).
pub const TRAIN_METRIC_SAMPLE: usize = 256;
/// Test sequences the vanishing-gradient strip averages over.
pub const GRADIENT_PROBE: usize = 64;
/// A prediction of the adding problem counts as right within this distance of the target
/// (Hochreiter & Schmidhuber's criterion).
pub const ADDING_TOLERANCE: f32 = 0.04;
/// Most sequence lengths one accuracy-versus-length sweep may visit.
pub const MAX_SWEEP_LENGTHS: usize = 16;
/// Most optimiser steps a sweep may spend on one length.
pub const MAX_SWEEP_STEPS: usize = 20_000;
/// The lengths a sweep visits unless the learner picks others.
pub const SWEEP_LENGTHS: [usize; 7] = [5, 10, 15, 20, 30, 40, 50];
/// Optimiser steps a sweep spends on each length unless the learner picks another number:
/// enough for the gated cells at the default settings (95 % at T = 20 after ~300 steps).
pub const SWEEP_STEPS: usize = 400;
