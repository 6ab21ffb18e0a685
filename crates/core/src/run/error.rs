//! What can go wrong while a session runs, for every lab and engine.

use burn::tensor::Device;
use thiserror::Error;

use crate::limits::MAX_GRID_SIZE;

/// What can go wrong while running a session.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum SessionError {
    /// The device failed to run or return results.
    #[error("the {backend} device failed: {message}")]
    Device {
        /// Back end name.
        backend: String,
        /// What the device said.
        message: String,
    },
    /// Weights handed in do not fit the network.
    #[error("the saved weights do not fit this network: {0}")]
    Weights(String),
    /// A snapshot grid was asked for with a bad size.
    #[error("grid size {0} is out of range (1 to {MAX_GRID_SIZE})")]
    GridSize(usize),
}

/// The name a [`SessionError::Device`] gives a device.
pub(crate) fn backend_name(device: &Device) -> String {
    format!("{device:?}")
}
