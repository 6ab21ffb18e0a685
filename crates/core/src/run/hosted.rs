//! The labs a host can run, listed once in [`hosted_labs!`]: the plain-data enums that cross
//! the worker boundary as postcard bytes (setup, request, observation, checkpoint), the
//! hosted session, and their dispatch are generated from that list and each lab's [`Lab`].

use burn::tensor::Device;
use serde::{Deserialize, Serialize};

use super::lab::{Lab, LabSession, Pending};
use super::{RunClock, Steps};
use crate::Metrics;
use crate::lab::{LabKind, LabState};

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
            ) -> Result<HostedSession, String> {
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
                        Ok(HostedSession::$lab(Box::new(<$ty as Lab>::open(config, device, resume)?)))
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

        /// A hosted lab's session.
        pub enum HostedSession {
            $(#[doc = concat!("The ", stringify!($lab), " lab's session.")] $lab(Box<<$ty as Lab>::Session>),)+
        }

        impl Steps for HostedSession {
            fn clock(&self) -> &RunClock {
                match self {
                    $(HostedSession::$lab(s) => s.clock(),)+
                }
            }

            fn epoch_shape(&self) -> (usize, usize) {
                match self {
                    $(HostedSession::$lab(s) => s.epoch_shape(),)+
                }
            }

            fn step(&mut self) {
                match self {
                    $(HostedSession::$lab(s) => s.step(),)+
                }
            }

            fn epoch(&self) -> u64 {
                match self {
                    $(HostedSession::$lab(s) => s.epoch(),)+
                }
            }

            fn train_steps(&mut self, steps: usize) -> u64 {
                match self {
                    $(HostedSession::$lab(s) => s.train_steps(steps),)+
                }
            }
        }

        impl HostedSession {
            /// Changes the learning rate live.
            pub fn set_learning_rate(&mut self, rate: f64) -> Result<(), String> {
                match self {
                    $(HostedSession::$lab(s) => LabSession::<$ty>::set_learning_rate(&mut **s, rate),)+
                }
            }

            /// Queues an observation; a request of another lab counts as this lab's default.
            pub fn observe(&mut self, request: &LabRequest, now_ms: f64) -> Pending<LabObservation> {
                match self {
                    $(HostedSession::$lab(s) => {
                        #[allow(unreachable_patterns)]
                        let request = match request {
                            LabRequest::$lab(r) => r.clone(),
                            _ => Default::default(),
                        };
                        let pending = LabSession::<$ty>::observe(&mut **s, &request, now_ms);
                        Box::pin(async move {
                            pending.await.map(|o| LabObservation::$lab(Box::new(o)))
                        })
                    })+
                }
            }

            /// Queues a read of the parameters.
            pub fn checkpoint(&self) -> Pending<LabCheckpoint> {
                match self {
                    $(HostedSession::$lab(s) => {
                        let pending = LabSession::<$ty>::checkpoint(&**s);
                        Box::pin(async move { pending.await.map(LabCheckpoint::$lab) })
                    })+
                }
            }
        }

        /// The labs hosted here, in the picker's order.
        pub const HOSTED_LABS: &[LabKind] = &[$(LabKind::$lab),+];
    };
}

hosted_labs! {
    Digits => crate::digits::lab::DigitsLab,
    Recurrence => crate::recurrence::lab::RecurrenceLab,
    Attention => crate::attention::lab::AttentionLab,
}
