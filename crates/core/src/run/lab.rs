//! What a lab's folder implements to be hosted (by the page's worker, native tests, a command
//! line): [`Lab`], its plain-data types and how to open its session, and [`LabSession`], the
//! session as a host drives it. Each lab implements them in its own `lab.rs`; the hosted labs
//! are listed once in [`super::hosted`].

use std::future::Future;
use std::pin::Pin;

use burn::tensor::Device;

use super::{SessionError, Steps};
use crate::Metrics;

/// A future that borrows nothing (it owns the tensors it reads back).
pub type Pending<T> = Pin<Box<dyn Future<Output = Result<T, SessionError>>>>;

/// One lab's training session, as a host drives it: the run's bookkeeping from [`Steps`],
/// live settings, observations and checkpoints.
pub trait LabSession<L: Lab>: Steps {
    /// Changes the learning rate live.
    fn set_learning_rate(&mut self, rate: f64) -> Result<(), String>;
    /// Queues an observation (`now_ms` lets costly metrics be refreshed less often).
    fn observe(&mut self, request: &L::Request, now_ms: f64) -> Pending<L::Observation>;
    /// Queues a read of the parameters.
    fn checkpoint(&self) -> Pending<L::Checkpoint>;
}

/// What a lab's folder supplies to be hosted: its types and how to open its session.
pub trait Lab: Sized {
    /// The lab's experiment (what links and autosave carry).
    type Config;
    /// What observations show besides the metrics.
    type Request: Default;
    /// One frame's worth of results.
    type Observation;
    /// Trained parameters.
    type Checkpoint;
    /// The session a host drives.
    type Session: LabSession<Self>;

    /// Builds a session for `config` on `device`, continuing from `resume` if given.
    fn open(
        config: &Self::Config,
        device: Device,
        resume: Option<&Self::Checkpoint>,
    ) -> Result<Self::Session, String>;

    /// The loss the divergence guard watches, if the observation has one.
    fn train_loss(observation: &Self::Observation) -> Option<f32>;

    /// The main model's losses and accuracies, when the observation carries fresh ones.
    fn main_metrics(observation: &Self::Observation) -> Option<Metrics>;

    /// Epochs completed when the observation was made.
    fn epoch(observation: &Self::Observation) -> u64;
}
