//! The attention lab as a host runs it ([`crate::run::lab`]).

use burn::tensor::Device;

use super::{
    AttentionConfig, AttentionObservation, AttentionRequest, AttentionSession, AttentionWeights,
};
use crate::Metrics;
use crate::run::Steps;
use crate::run::lab::{Lab, LabCheckpoint, LabObservation, LabRequest, LabSession, Pending};
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

    fn open(
        config: &AttentionConfig,
        device: Device,
        resume: Option<&AttentionWeights>,
    ) -> Result<Box<dyn LabSession>, String> {
        let experiment = config.validate().map_err(|e| e.to_string())?;
        let session = match resume {
            Some(w) => {
                AttentionSession::resume(experiment, device, w).map_err(|e| e.to_string())?
            }
            None => AttentionSession::new(experiment, device),
        };
        Ok(Box::new(Refreshed {
            session,
            metrics: Refresh::every(METRICS_EVERY_MS),
        }))
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

impl LabSession for Refreshed<AttentionSession> {
    fn set_learning_rate(&mut self, rate: f64) -> Result<(), String> {
        self.session
            .set_learning_rate(rate)
            .map_err(|e| e.to_string())
    }

    fn observe(&mut self, request: &LabRequest, now_ms: f64) -> Pending<LabObservation> {
        let mut request = match request {
            LabRequest::Attention(r) => r.clone(),
            _ => AttentionRequest::metrics(),
        };
        request.metrics = self.metrics.due(now_ms, self.session.steps());
        let pending = self.session.queue_observation(&request);
        Box::pin(async move {
            pending
                .read()
                .await
                .map(|o| LabObservation::Attention(Box::new(o)))
        })
    }

    fn checkpoint(&self) -> Pending<LabCheckpoint> {
        let pending = self.session.checkpoint();
        Box::pin(async move { pending.read().await.map(LabCheckpoint::Attention) })
    }
}
