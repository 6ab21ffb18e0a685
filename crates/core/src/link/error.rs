//! Why (part of) a link could not be used.

use thiserror::Error;

use crate::experiment::ConfigError;
use crate::limits::MAX_LINK_CHARS;

/// Why (part of) a link could not be used. Each message says what was done instead.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum LinkError {
    /// The link is longer than any link Emberlab makes.
    #[error(
        "the link is {len} characters long, more than the {MAX_LINK_CHARS} allowed; the default experiment is shown"
    )]
    TooLong {
        /// Its length.
        len: usize,
    },
    /// A version this build does not know (made by a newer Emberlab?).
    #[error(
        "the link has version \"{found}\", which this version of Emberlab cannot read; the default experiment is shown"
    )]
    Version {
        /// The version found.
        found: String,
    },
    /// A lab this build does not have.
    #[error("the link names the lab \"{found}\", which does not exist; the playground is shown")]
    Lab {
        /// The lab named.
        found: String,
    },
    /// Not a link Emberlab or TensorFlow Playground makes.
    #[error(
        "the address does not hold an Emberlab or TensorFlow Playground link; the default experiment is shown"
    )]
    Unrecognised,
    /// A field whose value cannot be used.
    #[error("\"{key}={value}\" in the link: {problem}; the default is used")]
    Field {
        /// The field's key.
        key: String,
        /// Its value (shortened if long).
        value: String,
        /// What is wrong with it.
        problem: String,
    },
    /// A key Emberlab does not know.
    #[error("the link's field \"{key}\" is unknown and was ignored")]
    UnknownField {
        /// The key.
        key: String,
    },
    /// Fields that are fine alone but not together.
    #[error("the link's settings do not fit together ({0}); that setting was reset")]
    Conflict(ConfigError),
    /// The trained weights could not be used.
    #[error(
        "the trained weights in the link cannot be used ({0}); training starts from fresh weights"
    )]
    Weights(String),
    /// The user's own points could not be used.
    #[error(
        "the link's own points cannot be used ({reason}){}",
        replaced_by.map(|k| format!("; the {} data set is shown instead", k.name())).unwrap_or_default()
    )]
    Points {
        /// What is wrong with them.
        reason: String,
        /// The data set shown instead, when the link asked for its own points.
        replaced_by: Option<crate::data::DatasetKind>,
    },
    /// A TensorFlow Playground setting that was translated with a change.
    #[error("TensorFlow Playground's \"{key}={value}\": {what}")]
    Translated {
        /// TensorFlow Playground's key.
        key: String,
        /// Its value.
        value: String,
        /// What Emberlab did with it.
        what: String,
    },
}
