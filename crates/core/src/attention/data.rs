//! Seeded sequence sets and their encoding as padded tensors.

use std::collections::HashSet;

use burn::tensor::{Bool, Device, Int, Tensor, TensorData};

use super::config::AttentionExperiment;
use crate::rng::Rng;

/// Stream of the data draws (the test set forks 0, the training set 1).
const DATA_STREAM: u64 = 0xDA7A_5E0A;
/// Redraws of a training sequence that is already in the test set before it is kept anyway
/// (small vocabularies and lengths have too few sequences to keep the sets apart).
const REDRAWS: usize = 8;

/// Input sequences and the task's outputs for them.
#[derive(Debug, Clone, PartialEq)]
pub struct SequenceSet {
    /// One input sequence per row (symbols `0..symbols`).
    pub inputs: Vec<Vec<u32>>,
    /// The correct output of each row, one token per position.
    pub targets: Vec<Vec<u32>>,
}

impl SequenceSet {
    /// Number of sequences.
    pub fn len(&self) -> usize {
        self.inputs.len()
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.inputs.is_empty()
    }

    /// The first `rows` sequences.
    pub fn head(&self, rows: usize) -> SequenceSet {
        let rows = rows.min(self.len());
        SequenceSet {
            inputs: self.inputs[..rows].to_vec(),
            targets: self.targets[..rows].to_vec(),
        }
    }
}

impl AttentionExperiment {
    /// The training and test sets: random lengths and symbols, training sequences redrawn
    /// (a few times) when they also occur in the test set.
    pub fn sequence_sets(&self) -> (SequenceSet, SequenceSet) {
        let config = self.config();
        let mut root = Rng::new(config.seed ^ DATA_STREAM);
        let mut test_rng = root.fork(0);
        let mut train_rng = root.fork(1);
        let test: Vec<Vec<u32>> = (0..config.test_size)
            .map(|_| self.draw(&mut test_rng))
            .collect();
        let seen: HashSet<&Vec<u32>> = test.iter().collect();
        let train: Vec<Vec<u32>> = (0..config.train_size)
            .map(|_| {
                let mut sequence = self.draw(&mut train_rng);
                for _ in 0..REDRAWS {
                    if !seen.contains(&sequence) {
                        break;
                    }
                    sequence = self.draw(&mut train_rng);
                }
                sequence
            })
            .collect();
        (self.label(train), self.label(test))
    }

    fn draw(&self, rng: &mut Rng) -> Vec<u32> {
        let config = self.config();
        let length = config.min_length + rng.index(config.max_length - config.min_length + 1);
        (0..length)
            .map(|_| rng.index(config.symbols) as u32)
            .collect()
    }

    fn label(&self, inputs: Vec<Vec<u32>>) -> SequenceSet {
        let targets = inputs.iter().map(|x| self.targets(x)).collect();
        SequenceSet { inputs, targets }
    }
}

/// Sequences padded to the longest length, as tensors on one device.
#[derive(Debug, Clone)]
pub(crate) struct Batch {
    /// Token ids `[rows, max_length]`, padding included.
    pub tokens: Tensor<2, Int>,
    /// True at padding `[rows, max_length]`; `None` when no row is padded.
    pub pad: Option<Tensor<2, Bool>>,
    /// Target one-hot rows weighted by 1 / (real positions) `[rows, max_length, classes]`, so
    /// that the cross-entropy is `-(log_softmax · weights).sum()`; zero at padding.
    pub weights: Tensor<3>,
    /// Target class ids `[rows, max_length, 1]` (0 at padding).
    pub targets: Tensor<3, Int>,
    /// 1 at real positions, 0 at padding `[rows, max_length, 1]`.
    pub mask: Tensor<3>,
    /// Real (unpadded) positions in all rows.
    pub positions: usize,
}

impl Batch {
    /// Rows `indices` of `set`, padded and uploaded to `device`.
    pub fn new(
        experiment: &AttentionExperiment,
        set: &SequenceSet,
        indices: &[usize],
        device: &Device,
    ) -> Self {
        let length = experiment.config().max_length;
        let classes = experiment.classes();
        let pad_token = i64::from(experiment.pad_token());
        let rows = indices.len();
        let positions: usize = indices.iter().map(|&i| set.inputs[i].len()).sum();
        let share = 1.0 / positions.max(1) as f32;
        let mut tokens = vec![pad_token; rows * length];
        let mut targets = vec![0i64; rows * length];
        let mut mask = vec![0.0f32; rows * length];
        let mut pad = vec![true; rows * length];
        let mut weights = vec![0.0f32; rows * length * classes];
        for (row, &i) in indices.iter().enumerate() {
            for (t, (&x, &y)) in set.inputs[i].iter().zip(&set.targets[i]).enumerate() {
                let at = row * length + t;
                tokens[at] = i64::from(x);
                targets[at] = i64::from(y);
                mask[at] = 1.0;
                pad[at] = false;
                weights[at * classes + y as usize] = share;
            }
        }
        let padded = positions < rows * length;
        Self {
            tokens: Tensor::from_data(TensorData::new(tokens, [rows, length]), device),
            pad: padded.then(|| Tensor::from_data(TensorData::new(pad, [rows, length]), device)),
            weights: Tensor::from_data(TensorData::new(weights, [rows, length, classes]), device),
            targets: Tensor::from_data(TensorData::new(targets, [rows, length, 1]), device),
            mask: Tensor::from_data(TensorData::new(mask, [rows, length, 1]), device),
            positions,
        }
    }

    /// Every row of `set`.
    pub fn all(experiment: &AttentionExperiment, set: &SequenceSet, device: &Device) -> Self {
        let indices: Vec<usize> = (0..set.len()).collect();
        Self::new(experiment, set, &indices, device)
    }
}

#[cfg(test)]
mod tests {
    use super::super::config::AttentionConfig;
    use super::*;

    #[test]
    fn sets_are_seeded_sized_and_labelled() {
        let mut config = AttentionConfig {
            min_length: 4,
            max_length: 9,
            ..AttentionConfig::default()
        };
        let experiment = config.validate().unwrap();
        let (train, test) = experiment.sequence_sets();
        assert_eq!((train.len(), test.len()), (4000, 256));
        assert_eq!(experiment.sequence_sets(), (train.clone(), test.clone()));
        assert!(
            train
                .inputs
                .iter()
                .all(|x| (4..=9).contains(&x.len()) && x.iter().all(|&s| s < 10))
        );
        for length in 4..=9 {
            assert!(train.inputs.iter().any(|x| x.len() == length));
        }
        assert_eq!(train.targets[3], experiment.targets(&train.inputs[3]));
        let test_rows: HashSet<&Vec<u32>> = test.inputs.iter().collect();
        assert!(train.inputs.iter().all(|x| !test_rows.contains(x)));
        config.seed = 2;
        assert_ne!(config.validate().unwrap().sequence_sets().0, train);
    }
}
