//! One interface for every burn lab's session, as any host drives it (the page's worker,
//! native tests, a command line): the lab's experiment, requests, observations and
//! checkpoints as plain data (they cross the worker boundary as postcard bytes), and
//! [`LabSession`], implemented in each lab's folder (`digits/lab.rs`, ...).
//!
//! A lab is registered here once, in [`hosted_labs!`]: the enums and their dispatch are
//! generated from that list.

use std::future::Future;
use std::pin::Pin;

use burn::tensor::Device;
use serde::{Deserialize, Serialize};

use super::{SessionError, Steps};
use crate::Metrics;
use crate::lab::{LabKind, LabState};

/// A future that borrows nothing (it owns the tensors it reads back).
pub type Pending<T> = Pin<Box<dyn Future<Output = Result<T, SessionError>>>>;

/// One lab's training session, as a host drives it: the run's bookkeeping from [`Steps`],
/// live settings, observations and checkpoints.
pub trait LabSession: Steps {
    /// Changes the learning rate live.
    fn set_learning_rate(&mut self, rate: f64) -> Result<(), String>;
    /// Queues an observation (`now_ms` lets costly metrics be refreshed less often).
    fn observe(&mut self, request: &LabRequest, now_ms: f64) -> Pending<LabObservation>;
    /// Queues a read of the parameters.
    fn checkpoint(&self) -> Pending<LabCheckpoint>;
}

/// What a lab's folder supplies to be hosted: its types and how to open its session.
pub trait Lab {
    /// The lab's experiment (what links and autosave carry).
    type Config;
    /// What observations show besides the metrics.
    type Request: Default;
    /// One frame's worth of results.
    type Observation;
    /// Trained parameters.
    type Checkpoint;

    /// Builds a session for `config` on `device`, continuing from `resume` if given.
    fn open(
        config: &Self::Config,
        device: Device,
        resume: Option<&Self::Checkpoint>,
    ) -> Result<Box<dyn LabSession>, String>;

    /// The loss the divergence guard watches, if the observation has one.
    fn train_loss(observation: &Self::Observation) -> Option<f32>;

    /// The main model's losses and accuracies, when the observation carries fresh ones.
    fn main_metrics(observation: &Self::Observation) -> Option<Metrics>;

    /// Epochs completed when the observation was made.
    fn epoch(observation: &Self::Observation) -> u64;
}

/// Generates the lab enums and their dispatch from one list: `Variant => LabType`.
macro_rules! hosted_labs {
    ($($lab:ident => $ty:ty),+ $(,)?) => {
        /// The experiment a lab's worker trains.
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        pub enum LabSetup {
            $(#[doc = concat!("The ", stringify!($lab), " lab.")] $lab(<$ty as Lab>::Config),)+
        }

        /// What each observation should show besides the metrics.
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        pub enum LabRequest {
            $(#[doc = concat!("The ", stringify!($lab), " lab's request.")] $lab(<$ty as Lab>::Request),)+
        }

        /// One frame's worth of a lab's results.
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        pub enum LabObservation {
            $(#[doc = concat!("The ", stringify!($lab), " lab's observation.")] $lab(Box<<$ty as Lab>::Observation>),)+
        }

        /// A lab's trained parameters (to resume, share, or go back after a divergence).
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        pub enum LabCheckpoint {
            $(#[doc = concat!("The ", stringify!($lab), " lab's parameters.")] $lab(<$ty as Lab>::Checkpoint),)+
        }

        impl LabSetup {
            /// Which lab this is.
            pub fn kind(&self) -> LabKind {
                match self {
                    $(LabSetup::$lab(_) => LabKind::$lab,)+
                }
            }

            /// Builds the lab's session on `device`, from `resume` when it is this lab's.
            pub fn open(
                &self,
                device: Device,
                resume: Option<&LabCheckpoint>,
            ) -> Result<Box<dyn LabSession>, String> {
                match self {
                    $(LabSetup::$lab(config) => {
                        let resume = match resume {
                            Some(LabCheckpoint::$lab(c)) => Some(c),
                            Some(_) => return Err(format!(
                                "the saved weights belong to another lab than {}",
                                LabKind::$lab.name()
                            )),
                            None => None,
                        };
                        <$ty as Lab>::open(config, device, resume)
                    })+
                }
            }

            /// The experiment of a lab's state (links, autosave), for the labs hosted here.
            pub fn from_state(state: &LabState) -> Option<LabSetup> {
                match state {
                    $(LabState::$lab(config) => Some(LabSetup::$lab(config.clone())),)+
                    #[allow(unreachable_patterns)]
                    _ => None,
                }
            }

            /// The request a lab starts with before its page sends one.
            pub fn default_request(&self) -> LabRequest {
                match self {
                    $(LabSetup::$lab(_) => LabRequest::$lab(Default::default()),)+
                }
            }
        }

        impl LabObservation {
            /// The loss the divergence guard watches (the lab's main model on the training
            /// data), if this observation has one.
            pub fn train_loss(&self) -> Option<f32> {
                match self {
                    $(LabObservation::$lab(o) => <$ty as Lab>::train_loss(o),)+
                }
            }

            /// The main model's losses and accuracies, when this observation carries fresh
            /// ones (the shared loss chart and the metric figures show them).
            pub fn main_metrics(&self) -> Option<Metrics> {
                match self {
                    $(LabObservation::$lab(o) => <$ty as Lab>::main_metrics(o),)+
                }
            }

            /// Epochs completed.
            pub fn epoch(&self) -> u64 {
                match self {
                    $(LabObservation::$lab(o) => <$ty as Lab>::epoch(o),)+
                }
            }
        }

        /// The labs hosted through [`LabSession`], in the picker's order.
        pub const HOSTED_LABS: &[LabKind] = &[$(LabKind::$lab),+];
    };
}

hosted_labs! {
    Digits => crate::digits::lab::DigitsLab,
    Recurrence => crate::recurrence::lab::RecurrenceLab,
    Attention => crate::attention::lab::AttentionLab,
}
