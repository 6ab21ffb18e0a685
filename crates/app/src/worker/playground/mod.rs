//! The playground's engines in a worker: the page's thread draws, the worker trains (see
//! docs/ARCHITECTURE.md). [`protocol`] is what the two say; [`guest`] is the worker side; the
//! page side is the playground's runner (`labs/playground/runner`).

mod gpu_cap;
pub mod guest;
pub mod protocol;
mod slice;
