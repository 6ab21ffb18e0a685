//! The lab's sequence tasks, generated from the seed: the memory task, the adding problem and
//! balanced brackets.

use super::config::{RecurrenceExperiment, TaskKind};
use super::limits::DISTRACTORS;
use crate::rng::Rng;

/// Stream of the training sequences.
const TRAIN_STREAM: u64 = 0x7EA1_5E90;
/// Stream of the test sequences.
const TEST_STREAM: u64 = 0x7E57_5E90;
/// Stream of each memory sequence's distractor noise.
const NOISE_STREAM: u64 = 0x0015_E000;

/// Bracket tokens: one-hot positions of the brackets task's input.
const OPEN: usize = 0;
const CLOSE: usize = 1;
/// Fills the first step when the length is odd (a balanced string has an even length).
const PAD: usize = 2;

/// A set of sequences as plain numbers.
#[derive(Debug, Clone, PartialEq)]
pub struct Sequences {
    /// Time steps per sequence.
    pub length: usize,
    /// Numbers per time step.
    pub width: usize,
    /// `count × length × width`, row-major (sequence, then step).
    pub inputs: Vec<f32>,
    /// One per sequence: the class index, or the value to predict.
    pub targets: Vec<f32>,
    /// `count × length` symbols shown (memory and brackets; before any noise), empty for the
    /// adding problem. Memory: `0..symbols` are the symbols to remember, the distractors
    /// follow; brackets: 0 is `(`, 1 is `)`, 2 the pad of an odd length.
    pub tokens: Vec<u32>,
}

impl Sequences {
    /// Number of sequences.
    pub fn count(&self) -> usize {
        self.targets.len()
    }

    /// Inputs of sequence `index` (`length × width`; empty if there is none).
    pub fn sequence(&self, index: usize) -> &[f32] {
        let size = self.length * self.width;
        self.inputs
            .get(index * size..(index + 1) * size)
            .unwrap_or(&[])
    }

    /// The inputs of `indices`, time-major (`length × indices × width`), ready for a batch
    /// whose time steps are split off the first axis.
    pub fn time_major(&self, indices: &[usize]) -> Vec<f32> {
        let (steps, width) = (self.length, self.width);
        let mut out = Vec::with_capacity(steps * indices.len() * width);
        for t in 0..steps {
            for &i in indices {
                let at = (i * steps + t) * width;
                out.extend_from_slice(&self.inputs[at..at + width]);
            }
        }
        out
    }

    /// Symbols of sequence `index` (empty for the adding problem).
    pub fn tokens_of(&self, index: usize) -> &[u32] {
        self.tokens
            .get(index * self.length..(index + 1) * self.length)
            .unwrap_or(&[])
    }

    /// Pushes a one-hot step showing `token`.
    fn push_token(&mut self, token: usize) {
        self.inputs
            .extend((0..self.width).map(|j| if j == token { 1.0 } else { 0.0 }));
        self.tokens.push(token as u32);
    }

    /// The targets of `indices`.
    pub fn targets_of(&self, indices: &[usize]) -> Vec<f32> {
        indices.iter().map(|&i| self.targets[i]).collect()
    }
}

/// A training and a test set.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskData {
    /// Sequences the networks train on.
    pub train: Sequences,
    /// Held-out sequences.
    pub test: Sequences,
}

/// Generates `experiment`'s training and test sets from its seed.
pub fn generate(experiment: &RecurrenceExperiment) -> TaskData {
    let config = experiment.config();
    let mut train_rng = Rng::new(config.seed ^ TRAIN_STREAM);
    let mut test_rng = Rng::new(config.seed ^ TEST_STREAM);
    TaskData {
        train: sequences(experiment, config.train_size, &mut train_rng),
        test: sequences(experiment, config.test_size, &mut test_rng),
    }
}

fn sequences(experiment: &RecurrenceExperiment, count: usize, rng: &mut Rng) -> Sequences {
    let config = experiment.config();
    let (length, width) = (config.length, experiment.input_width());
    let mut set = Sequences {
        length,
        width,
        inputs: Vec::with_capacity(count * length * width),
        targets: Vec::with_capacity(count),
        tokens: Vec::new(),
    };
    for i in 0..count {
        let target = match config.task {
            TaskKind::Memory => memory(config.symbols, config.noise, rng, &mut set),
            TaskKind::Adding => adding(length, rng, &mut set.inputs),
            // Alternating labels: exactly half of the strings are balanced.
            TaskKind::Brackets => brackets(i % 2 == 0, rng, &mut set),
        };
        set.targets.push(target);
    }
    set
}

/// The first step is one of `symbols`, the others distractors from their own set with
/// Gaussian noise of spread `noise` on every number; the target is the first symbol.
fn memory(symbols: usize, noise: f32, rng: &mut Rng, set: &mut Sequences) -> f32 {
    // Noise has its own stream: the same seed shows the same symbols at any noise level.
    let mut noise_rng = rng.fork(NOISE_STREAM);
    let first = rng.index(symbols);
    set.push_token(first);
    for _ in 1..set.length {
        let start = set.inputs.len();
        set.push_token(symbols + rng.index(DISTRACTORS));
        if noise > 0.0 {
            for v in &mut set.inputs[start..] {
                *v += noise * noise_rng.normal();
            }
        }
    }
    first as f32
}

/// Steps of (value in [0, 1), marker); one marker in each half; the target is the sum of the
/// two marked values.
fn adding(length: usize, rng: &mut Rng, out: &mut Vec<f32>) -> f32 {
    let half = length / 2;
    let first = rng.index(half);
    let second = half + rng.index(length - half);
    let mut sum = 0.0;
    for t in 0..length {
        let value = rng.unit();
        let marked = t == first || t == second;
        if marked {
            sum += value;
        }
        out.extend([value, if marked { 1.0 } else { 0.0 }]);
    }
    sum
}

/// A bracket string of `length` (an odd length starts with a pad step); the target is 1 when
/// it is balanced. Unbalanced strings are near misses of balanced ones: half have one bracket
/// flipped (the counts differ), half two brackets swapped so that a prefix closes more than it
/// opened (the counts agree), so counting alone does not solve the task.
fn brackets(balanced: bool, rng: &mut Rng, set: &mut Sequences) -> f32 {
    let length = set.length;
    let mut tokens = balanced_string(length / 2, rng);
    if !balanced {
        unbalance(&mut tokens, rng);
    }
    if length % 2 == 1 {
        set.push_token(PAD);
    }
    for token in tokens {
        set.push_token(token);
    }
    if balanced { 1.0 } else { 0.0 }
}

/// A random balanced string of `pairs` pairs: open when nothing is open, close when what is
/// open fills the rest, otherwise either at random.
fn balanced_string(pairs: usize, rng: &mut Rng) -> Vec<usize> {
    let length = 2 * pairs;
    let mut tokens = Vec::with_capacity(length);
    let mut open = 0;
    for t in 0..length {
        let left = length - t;
        let token = if open == 0 {
            OPEN
        } else if open == left {
            CLOSE
        } else if rng.unit() < 0.5 {
            OPEN
        } else {
            CLOSE
        };
        open = if token == OPEN { open + 1 } else { open - 1 };
        tokens.push(token);
    }
    tokens
}

/// Makes a balanced string unbalanced (see [`brackets`]).
fn unbalance(tokens: &mut [usize], rng: &mut Rng) {
    let length = tokens.len();
    if rng.unit() < 0.5 {
        let at = rng.index(length);
        tokens[at] = OPEN + CLOSE - tokens[at];
        return;
    }
    // Swapping an opening bracket with a later closing one lowers the depth between them by
    // two; pick a pair where that goes below zero. The first bracket always opens at depth 0,
    // so (0, first close) always qualifies: the search cannot fail.
    let depth: Vec<i32> = tokens
        .iter()
        .scan(0, |d, &t| {
            *d += if t == OPEN { 1 } else { -1 };
            Some(*d)
        })
        .collect();
    let mut candidates = Vec::new();
    for i in (0..length).filter(|&i| tokens[i] == OPEN) {
        for j in (i + 1..length).filter(|&j| tokens[j] == CLOSE) {
            if depth[i..j].iter().any(|&d| d < 2) {
                candidates.push((i, j));
            }
        }
    }
    if candidates.is_empty() {
        tokens[0] = CLOSE;
        return;
    }
    let (i, j) = candidates[rng.index(candidates.len())];
    tokens.swap(i, j);
}

/// A sequence written out for people: the memory task's symbols (`A`, `B`… to remember,
/// `a`, `b`… distractors), the bracket string, or the two marked values of the adding problem.
pub fn describe(task: TaskKind, symbols: usize, tokens: &[u32], inputs: &[f32]) -> String {
    match task {
        TaskKind::Memory => tokens
            .iter()
            .map(|&t| {
                let t = t as usize;
                let (base, offset) = if t < symbols {
                    (b'A', t)
                } else {
                    (b'a', t - symbols)
                };
                char::from(base + offset.min(25) as u8)
            })
            .collect(),
        TaskKind::Brackets => tokens
            .iter()
            .map(|&t| match t as usize {
                OPEN => '(',
                CLOSE => ')',
                _ => '·',
            })
            .collect(),
        TaskKind::Adding => inputs
            .chunks(2)
            .filter(|s| s.len() == 2 && s[1] > 0.5)
            .map(|s| format!("{:.2}", s[0]))
            .collect::<Vec<_>>()
            .join(" + "),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::recurrence::config::RecurrenceConfig;

    /// Whether a bracket string is balanced (the definition the generator is tested against).
    fn is_balanced(tokens: &[usize]) -> bool {
        let mut depth = 0i32;
        for &t in tokens {
            match t {
                OPEN => depth += 1,
                CLOSE => depth -= 1,
                _ => {}
            }
            if depth < 0 {
                return false;
            }
        }
        depth == 0
    }

    fn data(task: TaskKind, length: usize) -> TaskData {
        data_with_noise(task, length, 0.0)
    }

    fn data_with_noise(task: TaskKind, length: usize, noise: f32) -> TaskData {
        let config = RecurrenceConfig {
            task,
            length,
            noise,
            train_size: 400,
            test_size: 100,
            ..RecurrenceConfig::default()
        };
        generate(&config.validate().unwrap())
    }

    #[test]
    fn memory_sequences_hide_the_target_in_the_first_step_only() {
        let d = data(TaskKind::Memory, 7);
        assert_eq!(d.train.inputs.len(), 400 * 7 * 8);
        let mut seen = [0usize; 4];
        for i in 0..d.train.count() {
            let toks = d.train.tokens_of(i);
            let hot: Vec<u32> = d
                .train
                .sequence(i)
                .chunks(8)
                .map(|s| s.iter().position(|&v| v == 1.0).unwrap() as u32)
                .collect();
            assert_eq!(toks, hot.as_slice());
            assert_eq!(toks[0] as f32, d.train.targets[i]);
            assert!(toks[1..].iter().all(|&t| t >= 4), "distractors only");
            seen[toks[0] as usize] += 1;
        }
        assert!(
            seen.iter().all(|&n| n > 70),
            "classes roughly even: {seen:?}"
        );
        assert_ne!(d.train, data(TaskKind::Memory, 7).test);
        assert_eq!(d, data(TaskKind::Memory, 7), "same seed, same data");
    }

    #[test]
    fn noise_shakes_the_distractor_steps_only_and_keeps_the_symbols() {
        let clean = data(TaskKind::Memory, 6);
        let noisy = data_with_noise(TaskKind::Memory, 6, 1.0);
        assert_eq!(clean.train.targets, noisy.train.targets);
        let (mut sum, mut sq, mut n) = (0.0f64, 0.0f64, 0.0f64);
        for i in 0..clean.train.count() {
            let (c, x) = (clean.train.sequence(i), noisy.train.sequence(i));
            assert_eq!(&c[..8], &x[..8], "the first step stays clean");
            for (a, b) in c[8..].iter().zip(&x[8..]) {
                let d = f64::from(b - a);
                sum += d;
                sq += d * d;
                n += 1.0;
            }
        }
        let (mean, spread) = (sum / n, (sq / n - (sum / n).powi(2)).sqrt());
        assert!(
            mean.abs() < 0.03 && (spread - 1.0).abs() < 0.03,
            "{mean} {spread}"
        );
    }

    #[test]
    fn adding_targets_are_the_two_marked_values() {
        for length in [2, 3, 50] {
            let d = data(TaskKind::Adding, length);
            for i in 0..d.test.count() {
                let s = d.test.sequence(i);
                let marked: Vec<(usize, f32)> = (0..length)
                    .filter(|&t| s[2 * t + 1] == 1.0)
                    .map(|t| (t, s[2 * t]))
                    .collect();
                assert_eq!(marked.len(), 2);
                assert!(marked[0].0 < length / 2 && marked[1].0 >= length / 2);
                let sum = marked[0].1 + marked[1].1;
                assert!((sum - d.test.targets[i]).abs() < 1e-6);
            }
        }
    }

    #[test]
    fn bracket_labels_match_the_strings_and_counting_is_not_enough() {
        for length in [2, 3, 20, 21] {
            let d = data(TaskKind::Brackets, length);
            let mut same_counts_unbalanced = 0;
            for i in 0..d.train.count() {
                let toks: Vec<usize> = d.train.tokens_of(i).iter().map(|&t| t as usize).collect();
                assert_eq!(toks.len(), length);
                assert_eq!(length % 2 == 1, toks[0] == PAD);
                let balanced = is_balanced(&toks);
                assert_eq!(balanced, d.train.targets[i] == 1.0, "{toks:?}");
                let opens = toks.iter().filter(|&&t| t == OPEN).count();
                let closes = toks.iter().filter(|&&t| t == CLOSE).count();
                if !balanced && opens == closes {
                    same_counts_unbalanced += 1;
                }
            }
            let balanced = d.train.targets.iter().filter(|&&y| y == 1.0).count();
            assert_eq!(balanced, 200, "half balanced");
            if length >= 20 {
                assert!(same_counts_unbalanced > 60, "{same_counts_unbalanced}");
            }
        }
    }

    #[test]
    fn time_major_batches_take_each_step_of_each_sequence() {
        let d = data(TaskKind::Memory, 3);
        let batch = d.train.time_major(&[5, 2]);
        let w = 8;
        assert_eq!(&batch[0..w], &d.train.sequence(5)[0..w]);
        assert_eq!(&batch[w..2 * w], &d.train.sequence(2)[0..w]);
        assert_eq!(&batch[2 * w..3 * w], &d.train.sequence(5)[w..2 * w]);
        assert_eq!(
            d.train.targets_of(&[5, 2]),
            vec![d.train.targets[5], d.train.targets[2]]
        );
    }

    #[test]
    fn sequences_read_as_text() {
        let d = data_with_noise(TaskKind::Memory, 5, 0.5);
        let text = describe(
            TaskKind::Memory,
            4,
            d.train.tokens_of(0),
            d.train.sequence(0),
        );
        assert_eq!(text.chars().count(), 5);
        assert!(text.starts_with(['A', 'B', 'C', 'D']));
        assert!(
            text.chars().skip(1).all(|c| ('a'..='d').contains(&c)),
            "{text}"
        );
        let d = data(TaskKind::Brackets, 3);
        let text = describe(
            TaskKind::Brackets,
            4,
            d.train.tokens_of(0),
            d.train.sequence(0),
        );
        assert!(text.starts_with('·'), "{text}");
        let d = data(TaskKind::Adding, 6);
        assert!(describe(TaskKind::Adding, 4, &[], d.train.sequence(0)).contains(" + "));
    }
}
