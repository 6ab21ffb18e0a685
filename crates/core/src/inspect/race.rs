//! Optimiser races and "run B": several fused sessions that start from the same weights and
//! differ only in their training settings.
//!
//! Nothing new is needed underneath: [`FusedSession::resume`] takes any weights (for a race
//! from the start, [`crate::model::initial_weights`]), and every session of one experiment
//! draws the same seeded batches, so the runs differ by their settings alone.

use super::InspectError;
use crate::experiment::Experiment;
use crate::fused::FusedSession;
use crate::model::{LayerWeights, initial_weights};
use crate::run::Steps;
use crate::training::{OptimizerKind, TrainingConfig};

/// The optimisers the optimiser race trains, in the order they are shown.
pub const RACERS: [OptimizerKind; 4] = [
    OptimizerKind::Sgd,
    OptimizerKind::Momentum,
    OptimizerKind::Adam,
    OptimizerKind::RmsProp,
];
/// Epochs each racer trains.
pub const RACE_EPOCHS: u64 = 200;
/// Epochs between two recorded losses.
pub const RECORD_EVERY: u64 = 2;

/// The optimiser race: [`RACERS`] from the experiment's initial weights on the same batches,
/// trained a few epochs at a time and kept level; each racer's training loss is recorded every
/// [`RECORD_EVERY`] epochs (and at epoch 0).
pub struct RaceJob {
    sessions: Vec<FusedSession>,
    curves: Vec<Vec<(f64, f64)>>,
}

impl RaceJob {
    /// The race for `experiment`, at epoch 0.
    pub fn new(experiment: &Experiment) -> Result<Self, InspectError> {
        let weights = initial_weights(experiment);
        let variants = optimizer_variants(&experiment.config().training, &RACERS);
        let mut sessions = race(experiment, &weights, 0, &variants)?;
        let curves = sessions
            .iter_mut()
            .map(|s| vec![(0.0, f64::from(s.metrics().train_loss))])
            .collect();
        Ok(Self { sessions, curves })
    }

    /// Trains up to `budget` racer-epochs (the slowest racers first); whether the race is over.
    pub fn step(&mut self, budget: u64) -> bool {
        let mut spent = 0;
        loop {
            let epoch = self.epoch();
            if epoch >= RACE_EPOCHS {
                return true;
            }
            if spent >= budget {
                return false;
            }
            for s in self.sessions.iter_mut().filter(|s| s.epoch() == epoch) {
                s.train_epochs(1);
                spent += 1;
                if spent >= budget {
                    break;
                }
            }
            let level = self.sessions.iter().all(|s| s.epoch() == epoch + 1);
            if level && (epoch + 1).is_multiple_of(RECORD_EVERY) {
                for (s, curve) in self.sessions.iter_mut().zip(self.curves.iter_mut()) {
                    curve.push(((epoch + 1) as f64, f64::from(s.metrics().train_loss)));
                }
            }
        }
    }

    /// Epochs every racer has completed.
    pub fn epoch(&self) -> u64 {
        self.sessions
            .iter()
            .map(Steps::epoch)
            .min()
            .unwrap_or(RACE_EPOCHS)
    }

    /// Each racer's (epoch, training loss) so far, in the order of [`RACERS`].
    pub fn curves(&self) -> &[Vec<(f64, f64)>] {
        &self.curves
    }
}

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

#[cfg(test)]
mod race_job_tests {
    use super::*;
    use crate::ExperimentConfig;

    #[test]
    fn the_racers_start_level_and_finish_in_small_steps() {
        let experiment = ExperimentConfig::default()
            .validate()
            .unwrap_or_else(|e| panic!("{e}"));
        let mut job = RaceJob::new(&experiment).unwrap_or_else(|e| panic!("{e}"));
        let starts: Vec<f64> = job.curves().iter().map(|c| c[0].1).collect();
        assert!(
            starts.windows(2).all(|w| w[0] == w[1]),
            "same weights: {starts:?}"
        );
        let mut calls = 0;
        while !job.step(3) {
            calls += 1;
        }
        assert!(calls > 100, "a budget of 3 racer-epochs is a small step");
        assert_eq!(job.epoch(), RACE_EPOCHS);
        for curve in job.curves() {
            assert_eq!(curve.len(), 1 + (RACE_EPOCHS / RECORD_EVERY) as usize);
            assert!(curve.iter().all(|p| p.1.is_finite()));
        }
    }
}
