//! Builds burn optimisers for the optimiser kinds a user can pick.

use burn::optim::momentum::MomentumConfig;
use burn::optim::{AdamConfig, AdamWConfig, ModuleOptimizer, RmsPropConfig, SgdConfig};

use crate::training::OptimizerKind;

/// Momentum used by "SGD + momentum".
pub const MOMENTUM: f64 = 0.9;

/// A fresh optimiser (empty state) of the given kind.
pub fn build_optimizer(kind: OptimizerKind) -> ModuleOptimizer {
    match kind {
        OptimizerKind::Sgd => SgdConfig::new().init(),
        OptimizerKind::Momentum => SgdConfig::new()
            .with_momentum(Some(
                MomentumConfig::new()
                    .with_momentum(MOMENTUM)
                    .with_dampening(0.0),
            ))
            .init(),
        OptimizerKind::Adam => AdamConfig::new().init(),
        OptimizerKind::AdamW => AdamWConfig::new().init(),
        OptimizerKind::RmsProp => RmsPropConfig::new().with_momentum(0.0).init(),
    }
}
