//! The kind of problem a data set poses, which fixes the network's output head.

use serde::{Deserialize, Serialize};

/// Binary classification, multi-class classification or regression.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Problem {
    /// Two classes, one sigmoid output.
    Binary,
    /// `classes` classes, a softmax over as many outputs.
    Multiclass {
        /// Number of classes.
        classes: usize,
    },
    /// One real-valued output in `[-1, 1]`.
    Regression,
}

impl Problem {
    /// Number of network outputs.
    pub fn outputs(self) -> usize {
        match self {
            Problem::Multiclass { classes } => classes,
            Problem::Binary | Problem::Regression => 1,
        }
    }

    /// Whether accuracy is a meaningful metric.
    pub fn is_classification(self) -> bool {
        !matches!(self, Problem::Regression)
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Problem::Binary => write!(f, "binary classification"),
            Problem::Multiclass { classes } => write!(f, "{classes}-class classification"),
            Problem::Regression => write!(f, "regression"),
        }
    }
}
