//! The fused engine's training step as one GPU kernel: many optimiser steps of a dense network
//! per dispatch, on burn's CubeCL back ends (WebGPU in the browser).
//!
//! burn's op-by-op training submits dozens of small kernels per step and waits on the GPU;
//! for the playground's networks that costs far more than the arithmetic (~130 ms a step under
//! SwiftShader). This kernel runs up to 64 steps in one dispatch of one workgroup, with the
//! fused CPU engine's formulas, seeded batches and dropout masks. The buffer layout is plain
//! data (`layout`, tested natively); the kernel and its session need the `gpu` feature.

pub mod layout;

#[cfg(feature = "gpu")]
mod extension;
#[cfg(feature = "gpu")]
mod kernel;
#[cfg(feature = "gpu")]
mod session;

#[cfg(feature = "gpu")]
pub use session::GpuSession;
