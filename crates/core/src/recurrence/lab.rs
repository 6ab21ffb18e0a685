//! The recurrence lab as a host runs it ([`crate::run::lab`]).

use burn::tensor::Device;

use super::{
    CellKind, RecurrenceConfig, RecurrenceObservation, RecurrenceRequest, RecurrenceSession,
};
use crate::Metrics;
use crate::run::lab::{Lab, LabSession, Pending};
use crate::run::refresh::{Refresh, Refreshed};
use crate::run::{Params, Steps};

/// Metrics and gradient strips cost ~30 ms natively: refreshed this often while training
/// (the traced sequence every frame), and always once when paused.
const METRICS_EVERY_MS: f64 = 400.0;

/// The recurrence lab's registration.
pub struct RecurrenceLab;

/// The three networks' parameters, at an epoch.
pub type RecurrenceCheckpoint = (Params, u64);

impl Lab for RecurrenceLab {
    type Config = RecurrenceConfig;
    type Request = RecurrenceRequest;
    type Observation = RecurrenceObservation;
    type Checkpoint = RecurrenceCheckpoint;
    type Session = Refreshed<RecurrenceSession>;

    fn open(
        config: &RecurrenceConfig,
        device: Device,
        resume: Option<&RecurrenceCheckpoint>,
    ) -> Result<Refreshed<RecurrenceSession>, String> {
        let experiment = config.validate().map_err(|e| e.to_string())?;
        let session = match resume {
            Some((params, epoch)) => RecurrenceSession::resume(experiment, device, params, *epoch)
                .map_err(|e| e.to_string())?,
            None => RecurrenceSession::new(experiment, device),
        };
        Ok(Refreshed {
            session,
            metrics: Refresh::every(METRICS_EVERY_MS),
        })
    }

    fn train_loss(o: &RecurrenceObservation) -> Option<f32> {
        o.models
            .iter()
            .filter_map(|m| m.metrics.map(|m| m.train_loss))
            .reduce(f32::max)
    }

    /// The LSTM is the lab's hero; each network's figures show beside the chart.
    fn main_metrics(o: &RecurrenceObservation) -> Option<Metrics> {
        let lstm = o.models.iter().find(|m| m.cell == CellKind::Lstm)?;
        let x = lstm.metrics?;
        Some(Metrics {
            epoch: o.epoch,
            train_loss: x.train_loss,
            test_loss: x.test_loss,
            train_accuracy: Some(x.train_accuracy),
            test_accuracy: Some(x.test_accuracy),
        })
    }

    fn epoch(o: &RecurrenceObservation) -> u64 {
        o.epoch
    }
}

impl LabSession<RecurrenceLab> for Refreshed<RecurrenceSession> {
    fn set_learning_rate(&mut self, rate: f64) -> Result<(), String> {
        self.session
            .set_learning_rate(rate)
            .map_err(|e| e.to_string())
    }

    fn observe(
        &mut self,
        request: &RecurrenceRequest,
        now_ms: f64,
    ) -> Pending<RecurrenceObservation> {
        let due = self.metrics.due(now_ms, self.session.steps());
        let request = RecurrenceRequest {
            metrics: due,
            gradients: due,
            ..request.clone()
        };
        Box::pin(self.session.queue_observation(&request).read())
    }

    fn checkpoint(&self) -> Pending<RecurrenceCheckpoint> {
        let pending = self.session.checkpoint();
        let epoch = self.session.epoch();
        Box::pin(async move { pending.read().await.map(|p| (p, epoch)) })
    }
}
