//! [`Trainer`]: one training run on either engine, behind one interface for the app.

use burn::tensor::Device;

use crate::data::Dataset;
use crate::experiment::{ConfigError, Experiment};
use crate::fused::FusedSession;
#[cfg(feature = "gpu")]
use crate::gpu::GpuSession;
use crate::model::LayerWeights;
use crate::observation::Observation;
use crate::readback::{PendingWeights, WeightsAt};
use crate::run::{RunClock, SessionError, Steps};
use crate::session::Session;
use crate::training::TrainingConfig;

/// Where a run trains.
#[derive(Debug, Clone)]
pub enum Engine {
    /// The fused CPU engine.
    Fused,
    /// burn on a device (WebGPU, Flex, or anything burn runs natively).
    Burn(Device),
    /// The training kernel on a CubeCL GPU device (WebGPU in the browser).
    #[cfg(feature = "gpu")]
    Gpu(Device),
}

/// A training run on one engine. Both engines replay the same run from a seed.
pub enum Trainer {
    /// The fused CPU engine.
    Fused(Box<FusedSession>),
    /// burn, with a fused session that evaluates the weights it reads back: a frame reads only
    /// the weights from the device (a few hundred numbers) and computes metrics and grids on
    /// the CPU, which costs ~1 ms where the same graph on a GPU costs a dispatch per operation.
    Burn {
        /// Trains.
        session: Box<Session>,
        /// Evaluates what `session` trained.
        viewer: Box<FusedSession>,
    },
    /// The training kernel on a GPU, with a fused session that evaluates what it reads back.
    #[cfg(feature = "gpu")]
    Gpu {
        /// Trains.
        session: Box<GpuSession>,
        /// Evaluates what `session` trained.
        viewer: Box<FusedSession>,
    },
}

/// An observation on its way: computed already, or weights still on a device.
pub enum PendingResult {
    /// Computed already (the fused engine works synchronously).
    Ready(Result<Observation, SessionError>),
    /// Weights queued on a burn device, to be evaluated on an `n × n` grid if asked.
    Weights(Box<PendingWeights>, Option<usize>),
}

/// What a [`PendingResult`] delivered; [`Trainer::complete`] turns it into an observation.
pub enum Delivered {
    /// A finished observation.
    Observation(Observation),
    /// Weights to evaluate, and the grid asked for.
    Weights(WeightsAt, Option<usize>),
}

impl PendingResult {
    /// Waits for the device (if any). Borrows nothing, so a caller may await it freely.
    pub async fn read(self) -> Result<Delivered, SessionError> {
        match self {
            PendingResult::Ready(result) => result.map(Delivered::Observation),
            PendingResult::Weights(pending, grid) => {
                Ok(Delivered::Weights(pending.read().await?, grid))
            }
        }
    }
}

/// Forwards a call to whichever training session the trainer holds.
macro_rules! each {
    ($trainer:expr, $session:ident => $body:expr) => {
        match $trainer {
            Trainer::Fused($session) => $body,
            Trainer::Burn {
                session: $session, ..
            } => $body,
            #[cfg(feature = "gpu")]
            Trainer::Gpu {
                session: $session, ..
            } => $body,
        }
    };
}

impl Trainer {
    /// A fresh run of `experiment` on `engine`.
    pub fn new(experiment: Experiment, engine: Engine) -> Self {
        match engine {
            Engine::Fused => Trainer::Fused(Box::new(FusedSession::new(experiment))),
            Engine::Burn(device) => Trainer::Burn {
                viewer: Box::new(FusedSession::new(experiment.clone())),
                session: Box::new(Session::new(experiment, device)),
            },
            #[cfg(feature = "gpu")]
            Engine::Gpu(device) => Trainer::Gpu {
                viewer: Box::new(FusedSession::new(experiment.clone())),
                session: Box::new(GpuSession::new(experiment, device)),
            },
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
            Engine::Burn(device) => Trainer::Burn {
                viewer: Box::new(FusedSession::resume(experiment.clone(), weights, epoch)?),
                session: Box::new(Session::resume(experiment, device, weights, epoch)?),
            },
            #[cfg(feature = "gpu")]
            Engine::Gpu(device) => Trainer::Gpu {
                viewer: Box::new(FusedSession::resume(experiment.clone(), weights, epoch)?),
                session: Box::new(GpuSession::resume(experiment, device, weights, epoch)?),
            },
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

    /// The training settings in force.
    pub fn training(&self) -> &TrainingConfig {
        each!(self, s => s.training())
    }

    /// Changes training settings live (see [`Session::set_training`]).
    pub fn set_training(&mut self, training: TrainingConfig) -> Result<(), ConfigError> {
        if let Some(viewer) = self.viewer() {
            // The viewer reports the loss being trained.
            viewer.set_training(training)?;
        }
        each!(self, s => s.set_training(training))
    }

    /// Starts an observation: metrics, and a snapshot on an `n × n` grid if asked. Computed now
    /// on the fused engine; on burn the weights are queued for one small readback.
    pub fn observe(&mut self, grid: Option<usize>) -> PendingResult {
        match self {
            Trainer::Fused(s) => PendingResult::Ready(s.observe(grid)),
            Trainer::Burn { session, .. } => {
                PendingResult::Weights(Box::new(session.queue_weights()), grid)
            }
            #[cfg(feature = "gpu")]
            Trainer::Gpu { session, .. } => {
                PendingResult::Weights(Box::new(session.queue_weights()), grid)
            }
        }
    }

    /// The fused session that evaluates weights read back from a device, if any.
    fn viewer(&mut self) -> Option<&mut FusedSession> {
        match self {
            Trainer::Fused(_) => None,
            Trainer::Burn { viewer, .. } => Some(viewer),
            #[cfg(feature = "gpu")]
            Trainer::Gpu { viewer, .. } => Some(viewer),
        }
    }

    /// Finishes an observation with what its [`PendingResult`] delivered.
    pub fn complete(&mut self, delivered: Delivered) -> Result<Observation, SessionError> {
        match (self.viewer(), delivered) {
            (_, Delivered::Observation(observation)) => Ok(observation),
            (Some(viewer), Delivered::Weights(weights, grid)) => {
                viewer.show_weights(&weights)?;
                viewer.observe(grid)
            }
            (None, Delivered::Weights(..)) => Err(SessionError::Weights(
                "weights read from a device arrived at the CPU engine".into(),
            )),
        }
    }
}

/// The engine's own bookkeeping (the fused engine's shown epoch, the GPU kernel's
/// many-step dispatches) stays in force: those methods are forwarded, not re-derived.
impl Steps for Trainer {
    fn clock(&self) -> &RunClock {
        each!(self, s => s.clock())
    }

    fn epoch_shape(&self) -> (usize, usize) {
        each!(self, s => s.epoch_shape())
    }

    fn step(&mut self) {
        each!(self, s => s.step())
    }

    fn epoch(&self) -> u64 {
        each!(self, s => s.epoch())
    }

    fn train_steps(&mut self, steps: usize) -> u64 {
        each!(self, s => s.train_steps(steps))
    }
}
