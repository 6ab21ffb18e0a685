//! [`Trainer`]: one training run on either engine, behind one interface for the app.

use burn::tensor::Device;

use crate::data::Dataset;
use crate::experiment::{ConfigError, Experiment};
use crate::fused::FusedSession;
use crate::model::LayerWeights;
use crate::observation::Observation;
use crate::session::{PendingObservation, Session, SessionError};
use crate::training::TrainingConfig;

/// Where a run trains.
#[derive(Debug, Clone)]
pub enum Engine {
    /// The fused CPU engine.
    Fused,
    /// burn on a device (WebGPU, Flex, or anything burn runs natively).
    Burn(Device),
}

/// A training run on one engine. Both engines replay the same run from a seed.
pub enum Trainer {
    /// The fused CPU engine.
    Fused(Box<FusedSession>),
    /// burn.
    Burn(Box<Session>),
}

/// An observation that is ready, or still on its way back from a device.
pub enum PendingResult {
    /// Computed already (the fused engine works synchronously).
    Ready(Result<Observation, SessionError>),
    /// Queued on a burn device.
    Queued(Box<PendingObservation>),
}

impl PendingResult {
    /// The observation, once the device has delivered it.
    pub async fn read(self) -> Result<Observation, SessionError> {
        match self {
            PendingResult::Ready(result) => result,
            PendingResult::Queued(pending) => pending.read().await,
        }
    }
}

/// Forwards a call to whichever session the trainer holds.
macro_rules! each {
    ($trainer:expr, $session:ident => $body:expr) => {
        match $trainer {
            Trainer::Fused($session) => $body,
            Trainer::Burn($session) => $body,
        }
    };
}

impl Trainer {
    /// A fresh run of `experiment` on `engine`.
    pub fn new(experiment: Experiment, engine: Engine) -> Self {
        match engine {
            Engine::Fused => Trainer::Fused(Box::new(FusedSession::new(experiment))),
            Engine::Burn(device) => Trainer::Burn(Box::new(Session::new(experiment, device))),
        }
    }

    /// A run of `experiment` on `engine` that continues from `weights` at `epoch`.
    pub fn resume(
        experiment: Experiment,
        engine: Engine,
        weights: &[LayerWeights],
        epoch: u64,
    ) -> Result<Self, SessionError> {
        Ok(match engine {
            Engine::Fused => {
                Trainer::Fused(Box::new(FusedSession::resume(experiment, weights, epoch)?))
            }
            Engine::Burn(device) => Trainer::Burn(Box::new(Session::resume(
                experiment, device, weights, epoch,
            )?)),
        })
    }

    /// The experiment being trained.
    pub fn experiment(&self) -> &Experiment {
        each!(self, s => s.experiment())
    }

    /// The generated points.
    pub fn dataset(&self) -> &Dataset {
        each!(self, s => s.dataset())
    }

    /// Epochs completed.
    pub fn epoch(&self) -> u64 {
        each!(self, s => s.epoch())
    }

    /// Optimiser steps taken.
    pub fn steps(&self) -> u64 {
        each!(self, s => s.steps())
    }

    /// Optimiser steps in one epoch at the current batch size.
    pub fn steps_per_epoch(&self) -> usize {
        each!(self, s => s.steps_per_epoch())
    }

    /// The training settings in force.
    pub fn training(&self) -> &TrainingConfig {
        each!(self, s => s.training())
    }

    /// Changes training settings live (see [`Session::set_training`]).
    pub fn set_training(&mut self, training: TrainingConfig) -> Result<(), ConfigError> {
        each!(self, s => s.set_training(training))
    }

    /// Takes up to `steps` optimiser steps; returns the epochs completed meanwhile.
    pub fn train_steps(&mut self, steps: usize) -> u64 {
        each!(self, s => s.train_steps(steps))
    }

    /// Trains `epochs` whole epochs.
    pub fn train_epochs(&mut self, epochs: u64) {
        each!(self, s => s.train_epochs(epochs))
    }

    /// Metrics, and a snapshot on an `n × n` grid if asked: computed now on the fused engine,
    /// queued on a burn device.
    pub fn observe(&mut self, grid: Option<usize>) -> PendingResult {
        match self {
            Trainer::Fused(s) => PendingResult::Ready(s.observe(grid)),
            Trainer::Burn(s) => match s.observe(grid) {
                Ok(pending) => PendingResult::Queued(Box::new(pending)),
                Err(e) => PendingResult::Ready(Err(e)),
            },
        }
    }
}
