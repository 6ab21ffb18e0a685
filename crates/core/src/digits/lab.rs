//! The convolution lab as a host runs it ([`crate::run::lab`]).

use burn::tensor::Device;

use super::{DigitsCheckpoint, DigitsConfig, DigitsObservation, DigitsRequest, DigitsSession};
use crate::Metrics;
use crate::run::lab::{Lab, LabSession, Pending};

/// The convolution lab's registration.
pub struct DigitsLab;

impl Lab for DigitsLab {
    type Config = DigitsConfig;
    type Request = DigitsRequest;
    type Observation = DigitsObservation;
    type Checkpoint = DigitsCheckpoint;
    type Session = DigitsSession;

    fn open(
        config: &DigitsConfig,
        device: Device,
        resume: Option<&DigitsCheckpoint>,
    ) -> Result<DigitsSession, String> {
        let experiment = config.validate().map_err(|e| e.to_string())?;
        Ok(match resume {
            Some(c) => DigitsSession::resume(experiment, device, c).map_err(|e| e.to_string())?,
            None => DigitsSession::new(experiment, device),
        })
    }

    fn train_loss(o: &DigitsObservation) -> Option<f32> {
        Some(o.cnn.metrics.train_loss)
    }

    fn main_metrics(o: &DigitsObservation) -> Option<Metrics> {
        Some(o.cnn.metrics)
    }

    fn epoch(o: &DigitsObservation) -> u64 {
        o.epoch
    }
}

impl LabSession<DigitsLab> for DigitsSession {
    fn set_learning_rate(&mut self, rate: f64) -> Result<(), String> {
        DigitsSession::set_learning_rate(self, rate).map_err(|e| e.to_string())
    }

    fn observe(&mut self, request: &DigitsRequest, _now_ms: f64) -> Pending<DigitsObservation> {
        let pending = self.queue_observation(request);
        Box::pin(pending.read())
    }

    fn checkpoint(&self) -> Pending<DigitsCheckpoint> {
        Box::pin(DigitsSession::checkpoint(self).read())
    }
}
