//! Sequences a learner types or picks to probe the models, and what can be wrong with them.

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// The characters of the symbols `0..10`, in order.
pub const SYMBOL_DIGITS: &str = "0123456789";

/// Which sequence an observation runs through the models.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Probe {
    /// A sequence of the test set, by index.
    Test(usize),
    /// A sequence the learner typed (symbols as numbers; see
    /// [`super::AttentionExperiment::parse_sequence`] for text).
    Typed(Vec<u32>),
}

/// Why a probe sequence cannot be run.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
pub enum InputError {
    /// A typed character is not a digit.
    #[error("character {position} ('{character}') is not a symbol; type digits only")]
    Character {
        /// 0-based position among the typed symbols.
        position: usize,
        /// What was typed.
        character: char,
    },
    /// A symbol outside the vocabulary.
    #[error("symbol {position} is {symbol}; this run uses the symbols 0 to {}", symbols - 1)]
    Symbol {
        /// 0-based position.
        position: usize,
        /// The symbol given.
        symbol: u32,
        /// Vocabulary size.
        symbols: usize,
    },
    /// Too short or too long.
    #[error("the sequence has {length} symbols; this run was trained on {min} to {max}")]
    Length {
        /// Symbols given.
        length: usize,
        /// Shortest allowed.
        min: usize,
        /// Longest allowed.
        max: usize,
    },
    /// No test sequence with this index.
    #[error("there is no test sequence {index}; pick 0 to {}", count.saturating_sub(1))]
    TestIndex {
        /// Index asked for.
        index: usize,
        /// Test sequences available.
        count: usize,
    },
}
