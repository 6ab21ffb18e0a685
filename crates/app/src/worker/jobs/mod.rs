//! The playground's background computations in a worker of their own (one per running job):
//! the learning curve and the optimiser race train many short runs, which the page's thread
//! cannot afford beside drawing. [`protocol`] is what the page and the worker say; [`guest`]
//! is the worker side; the page side is `labs/playground/background.rs`.

pub mod guest;
pub mod protocol;
