//! The attention lab as a host runs it ([`crate::run::lab`]).

use burn::tensor::Device;

use super::{
    AttentionConfig, AttentionObservation, AttentionRequest, AttentionSession, AttentionWeights,
};
use crate::Metrics;
use crate::run::Steps;
use crate::run::lab::{Lab, LabSession, Pending};
use crate::run::refresh::{Refresh, Refreshed};

/// Metrics cost many training steps (~70 ms natively): refreshed about once a second while
/// training (probes every frame are cheap), and always once when paused.
const METRICS_EVERY_MS: f64 = 1000.0;

/// The attention lab's registration.
pub struct AttentionLab;

impl Lab for AttentionLab {
    type Config = AttentionConfig;
    type Request = AttentionRequest;
    type Observation = AttentionObservation;
    type Checkpoint = AttentionWeights;
    type Session = Refreshed<AttentionSession>;

    fn open(
        config: &AttentionConfig,
        device: Device,
        resume: Option<&AttentionWeights>,
    ) -> Result<Refreshed<AttentionSession>, String> {
        let experiment = config.validate().map_err(|e| e.to_string())?;
        let session = match resume {
            Some(w) => {
                AttentionSession::resume(experiment, device, w).map_err(|e| e.to_string())?
            }
            None => AttentionSession::new(experiment, device),
        };
        Ok(Refreshed {
            session,
            metrics: Refresh::every(METRICS_EVERY_MS),
        })
    }

    fn train_loss(o: &AttentionObservation) -> Option<f32> {
        o.metrics.as_ref().map(|m| m.transformer.train.loss)
    }

    fn main_metrics(o: &AttentionObservation) -> Option<Metrics> {
        o.metrics.map(|m| Metrics {
            epoch: m.epoch,
            train_loss: m.transformer.train.loss,
            test_loss: m.transformer.test.loss,
            train_accuracy: Some(m.transformer.train.token_accuracy),
            test_accuracy: Some(m.transformer.test.token_accuracy),
        })
    }

    fn epoch(o: &AttentionObservation) -> u64 {
        o.epoch
    }
}

impl LabSession<AttentionLab> for Refreshed<AttentionSession> {
    fn set_learning_rate(&mut self, rate: f64) -> Result<(), String> {
        self.session
            .set_learning_rate(rate)
            .map_err(|e| e.to_string())
    }

    fn observe(
        &mut self,
        request: &AttentionRequest,
        now_ms: f64,
    ) -> Pending<AttentionObservation> {
        let request = AttentionRequest {
            metrics: self.metrics.due(now_ms, self.session.steps()),
            ..request.clone()
        };
        Box::pin(self.session.queue_observation(&request).read())
    }

    fn checkpoint(&self) -> Pending<AttentionWeights> {
        Box::pin(self.session.checkpoint().read())
    }
}
