//! Optimiser races and "run B": several fused sessions that start from the same weights and
//! differ only in their training settings.
//!
//! Nothing new is needed underneath: [`FusedSession::resume`] takes any weights (for a race
//! from the start, [`crate::model::initial_weights`]), and every session of one experiment
//! draws the same seeded batches, so the runs differ by their settings alone.

use super::InspectError;
use crate::experiment::Experiment;
use crate::fused::FusedSession;
use crate::model::LayerWeights;
use crate::training::{OptimizerKind, TrainingConfig};

/// `training` once per optimiser in `optimizers`, everything else equal.
pub fn optimizer_variants(
    training: &TrainingConfig,
    optimizers: &[OptimizerKind],
) -> Vec<TrainingConfig> {
    optimizers
        .iter()
        .map(|&optimizer| TrainingConfig {
            optimizer,
            ..*training
        })
        .collect()
}

/// One session per entry of `trainings`, each starting from `weights` at `epoch` with fresh
/// optimiser state and the same batches.
pub fn race(
    experiment: &Experiment,
    weights: &[LayerWeights],
    epoch: u64,
    trainings: &[TrainingConfig],
) -> Result<Vec<FusedSession>, InspectError> {
    trainings
        .iter()
        .map(|training| {
            let mut session = FusedSession::resume(experiment.clone(), weights, epoch)
                .map_err(|e| InspectError::Weights(e.to_string()))?;
            session
                .set_training(*training)
                .map_err(InspectError::Training)?;
            Ok(session)
        })
        .collect()
}
