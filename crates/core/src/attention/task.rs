//! The toy sequence tasks, each framed as tagging: one output token per input position, so an
//! encoder-only transformer (and a bidirectional LSTM) can learn them.

use serde::{Deserialize, Serialize};

/// What the models learn to output at each position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Task {
    /// Output `i` is input `n - 1 - i`: every position must find its mirror, so order matters.
    Reverse,
    /// Output `i` is the `i`-th smallest input.
    Sort,
    /// Output `i` is input `(i + shift) mod n`: a fixed look-ahead.
    Rotate,
    /// Output `i` is how many times input `i`'s symbol occurs in the sequence: needs no order at
    /// all, so it learns even without positional encoding.
    Count,
}

impl Task {
    /// Every task, in display order.
    pub const ALL: [Task; 4] = [Task::Reverse, Task::Sort, Task::Rotate, Task::Count];

    /// The name a learner reads.
    pub fn name(self) -> &'static str {
        match self {
            Task::Reverse => "Reverse",
            Task::Sort => "Sort",
            Task::Rotate => "Rotate",
            Task::Count => "Count the symbol",
        }
    }

    /// One line saying what the output is.
    pub fn describe(self) -> &'static str {
        match self {
            Task::Reverse => "Write the sequence backwards.",
            Task::Sort => "Write the symbols in ascending order.",
            Task::Rotate => "Write the sequence rotated left by the shift.",
            Task::Count => "Under each symbol, write how many times it occurs.",
        }
    }

    /// Number of output classes: the symbols, or for counting the counts `0..=max_length`.
    pub fn classes(self, symbols: usize, max_length: usize) -> usize {
        match self {
            Task::Count => max_length + 1,
            Task::Reverse | Task::Sort | Task::Rotate => symbols,
        }
    }

    /// Whether the rotation `shift` matters to this task.
    pub fn uses_shift(self) -> bool {
        self == Task::Rotate
    }

    /// The correct output for `input` (one token per position).
    pub fn targets(self, input: &[u32], shift: usize) -> Vec<u32> {
        let n = input.len();
        match self {
            Task::Reverse => input.iter().rev().copied().collect(),
            Task::Sort => {
                let mut sorted = input.to_vec();
                sorted.sort_unstable();
                sorted
            }
            Task::Rotate => (0..n).map(|i| input[(i + shift) % n]).collect(),
            Task::Count => input
                .iter()
                .map(|s| input.iter().filter(|t| *t == s).count() as u32)
                .collect(),
        }
    }
}

crate::stable_keys!(Task {
    Reverse => "reverse",
    Sort => "sort",
    Rotate => "rotate",
    Count => "count",
});

/// How the transformer learns where each token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Positions {
    /// No positional information: attention sees a bag of tokens, so reverse, sort and rotate
    /// cannot be learned (count still can).
    None,
    /// Fixed sine and cosine waves added to the embeddings ("Attention is all you need").
    Sinusoidal,
    /// A learned vector per position added to the embeddings.
    Learned,
}

impl Positions {
    /// Every choice, in display order.
    pub const ALL: [Positions; 3] = [Positions::None, Positions::Sinusoidal, Positions::Learned];

    /// The name a learner reads.
    pub fn name(self) -> &'static str {
        match self {
            Positions::None => "None",
            Positions::Sinusoidal => "Sinusoidal",
            Positions::Learned => "Learned",
        }
    }
}

crate::stable_keys!(Positions {
    None => "none",
    Sinusoidal => "sin",
    Learned => "learned",
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_follow_each_task() {
        let x = [3, 1, 4, 1, 5];
        assert_eq!(Task::Reverse.targets(&x, 0), vec![5, 1, 4, 1, 3]);
        assert_eq!(Task::Sort.targets(&x, 0), vec![1, 1, 3, 4, 5]);
        assert_eq!(Task::Rotate.targets(&x, 2), vec![4, 1, 5, 3, 1]);
        assert_eq!(Task::Rotate.targets(&x, 7), vec![4, 1, 5, 3, 1]);
        assert_eq!(Task::Count.targets(&x, 0), vec![1, 2, 1, 2, 1]);
        assert_eq!(Task::Count.classes(10, 8), 9);
        assert_eq!(Task::Sort.classes(10, 8), 10);
    }

    #[test]
    fn keys_round_trip() {
        for t in Task::ALL {
            assert_eq!(Task::from_key(t.key()), Some(t));
        }
        for p in Positions::ALL {
            assert_eq!(Positions::from_key(p.key()), Some(p));
        }
        assert_eq!(Task::from_key("brackets"), None);
    }
}
