//! The fused CPU engine: the playground's dense networks trained by hand-written loops over
//! 4-wide vectors instead of a tensor graph.
//!
//! burn's autodiff builds and walks a graph of small tensor operations each step; for the
//! playground's networks (a few hundred weights, batches of ten points) that bookkeeping costs
//! far more than the arithmetic. This engine does the same computation (same initial weights,
//! batches, dropout masks, losses and optimiser rules; checked against burn in the tests) in
//! one pass over reused buffers. burn remains the engine on WebGPU and the reference.

mod activation;
pub(crate) mod lanes;
pub(crate) mod loss;
pub(crate) mod network;
mod optimizer;
mod session;

pub use session::FusedSession;
pub(crate) use session::{BLOCK_POINTS, add_penalty, gather};
