//! The convolution lab as a host runs it ([`crate::run::lab`]).

use burn::tensor::Device;

use super::{DigitsCheckpoint, DigitsConfig, DigitsObservation, DigitsRequest, DigitsSession};
use crate::Metrics;
use crate::run::lab::{Lab, LabCheckpoint, LabObservation, LabRequest, LabSession, Pending};

/// The convolution lab's registration.
pub struct DigitsLab;

impl Lab for DigitsLab {
    type Config = DigitsConfig;
    type Request = DigitsRequest;
    type Observation = DigitsObservation;
    type Checkpoint = DigitsCheckpoint;

    fn open(
        config: &DigitsConfig,
        device: Device,
        resume: Option<&DigitsCheckpoint>,
    ) -> Result<Box<dyn LabSession>, String> {
        let experiment = config.validate().map_err(|e| e.to_string())?;
        Ok(Box::new(match resume {
            Some(c) => DigitsSession::resume(experiment, device, c).map_err(|e| e.to_string())?,
            None => DigitsSession::new(experiment, device),
        }))
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

impl LabSession for DigitsSession {
    fn set_learning_rate(&mut self, rate: f64) -> Result<(), String> {
        DigitsSession::set_learning_rate(self, rate).map_err(|e| e.to_string())
    }

    fn observe(&mut self, request: &LabRequest, _now_ms: f64) -> Pending<LabObservation> {
        let request = match request {
            LabRequest::Digits(r) => r.clone(),
            _ => DigitsRequest::default(),
        };
        let pending = self.queue_observation(&request);
        Box::pin(async move {
            pending
                .read()
                .await
                .map(|o| LabObservation::Digits(Box::new(o)))
        })
    }

    fn checkpoint(&self) -> Pending<LabCheckpoint> {
        let pending = DigitsSession::checkpoint(self);
        Box::pin(async move { pending.read().await.map(LabCheckpoint::Digits) })
    }
}
