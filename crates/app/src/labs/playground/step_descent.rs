//! What the step view shows: the next mini-batch's descent direction on every weight (computed
//! in `step_gradient.rs`, drawn on the links by the network view).

use std::sync::Arc;

use emberlab_core::LayerWeights;

/// One weight's push: (layer, input, neuron, minus the gradient).
pub type Push = (usize, usize, usize, f32);

/// The next step's descent direction (minus the gradient) and what it is computed over.
#[derive(Clone, Debug, PartialEq)]
pub struct StepDescent {
    /// Minus the gradient, shaped like the weights.
    pub descent: Arc<Vec<LayerWeights>>,
    /// Points in the batch.
    pub batch: usize,
    /// Epoch and step within it that the batch belongs to (both from 0).
    pub at: (u64, usize),
    /// The largest push.
    pub largest: Option<Push>,
}
