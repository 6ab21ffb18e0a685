//! The labs' core sessions behind one interface for the worker loop.

use std::future::Future;
use std::pin::Pin;

use emberlab_core::Device;
use emberlab_core::attention::{AttentionRequest, AttentionSession};
use emberlab_core::digits::{DigitsRequest, DigitsSession};
use emberlab_core::recurrence::{RecurrenceRequest, RecurrenceSession};
use emberlab_core::session::SessionError;

use super::protocol::{LabCheckpoint, LabObservation, LabRequest, LabSetup};

/// A future that borrows nothing (it owns the tensors it reads back).
pub type Pending<T> = Pin<Box<dyn Future<Output = Result<T, SessionError>>>>;

/// Metrics and gradient strips of the recurrence lab cost ~30 ms natively: refreshed this often.
const RECURRENCE_METRICS_MS: f64 = 400.0;

/// A least-frequent metrics refresh for labs whose metrics cost many training steps
/// (attention: ~70 ms natively).
const ATTENTION_METRICS_MS: f64 = 1000.0;

/// One lab's training session, as the worker drives it.
pub trait LabSession {
    /// Epochs completed.
    fn epoch(&self) -> u64;
    /// Optimiser steps taken.
    fn steps(&self) -> u64;
    /// Steps until the current epoch ends.
    fn steps_left_in_epoch(&self) -> usize;
    /// Takes `steps` optimiser steps.
    fn train_steps(&mut self, steps: usize);
    /// Changes the learning rate live.
    fn set_learning_rate(&mut self, rate: f64) -> Result<(), String>;
    /// Queues an observation (`now_ms` lets costly metrics be refreshed less often).
    fn observe(&mut self, request: &LabRequest, now_ms: f64) -> Pending<LabObservation>;
    /// Queues a read of the parameters.
    fn checkpoint(&self) -> Pending<LabCheckpoint>;
}

/// Builds a session for `setup` on `device`, continuing from `resume` if given.
pub fn open(
    setup: &LabSetup,
    device: Device,
    resume: Option<&LabCheckpoint>,
) -> Result<Box<dyn LabSession>, String> {
    Ok(match (setup, resume) {
        (LabSetup::Digits(config), resume) => {
            let experiment = config.validate().map_err(|e| e.to_string())?;
            Box::new(match resume {
                Some(LabCheckpoint::Digits(c)) => {
                    DigitsSession::resume(experiment, device, c).map_err(|e| e.to_string())?
                }
                _ => DigitsSession::new(experiment, device),
            })
        }
        (LabSetup::Recurrence(config), resume) => {
            let experiment = config.validate().map_err(|e| e.to_string())?;
            Box::new(Recurrence {
                session: match resume {
                    Some(LabCheckpoint::Recurrence(params, epoch)) => {
                        RecurrenceSession::resume(experiment, device, params, *epoch)
                            .map_err(|e| e.to_string())?
                    }
                    _ => RecurrenceSession::new(experiment, device),
                },
                metrics_at: f64::NEG_INFINITY,
                metrics_steps: None,
            })
        }
        (LabSetup::Attention(config), resume) => {
            let experiment = config.validate().map_err(|e| e.to_string())?;
            Box::new(Attention {
                session: match resume {
                    Some(LabCheckpoint::Attention(w)) => {
                        AttentionSession::resume(experiment, device, w)
                            .map_err(|e| e.to_string())?
                    }
                    _ => AttentionSession::new(experiment, device),
                },
                metrics_at: f64::NEG_INFINITY,
                metrics_steps: None,
            })
        }
    })
}

impl LabSession for DigitsSession {
    fn epoch(&self) -> u64 {
        DigitsSession::epoch(self)
    }

    fn steps(&self) -> u64 {
        DigitsSession::steps(self)
    }

    fn steps_left_in_epoch(&self) -> usize {
        DigitsSession::steps_left_in_epoch(self)
    }

    fn train_steps(&mut self, steps: usize) {
        DigitsSession::train_steps(self, steps);
    }

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

/// The attention session, with its metrics refreshed about once a second while training
/// (probes every frame are cheap) and always when paused.
struct Attention {
    session: AttentionSession,
    metrics_at: f64,
    /// Steps when metrics were last read (a paused run needs them once).
    metrics_steps: Option<u64>,
}

impl LabSession for Attention {
    fn epoch(&self) -> u64 {
        self.session.epoch()
    }

    fn steps(&self) -> u64 {
        self.session.steps()
    }

    fn steps_left_in_epoch(&self) -> usize {
        self.session.steps_left_in_epoch()
    }

    fn train_steps(&mut self, steps: usize) {
        self.session.train_steps(steps);
    }

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
        let steps = self.session.steps();
        let stale = self.metrics_steps != Some(steps);
        request.metrics = stale
            && (now_ms - self.metrics_at >= ATTENTION_METRICS_MS || self.metrics_steps.is_none());
        if request.metrics {
            self.metrics_at = now_ms;
            self.metrics_steps = Some(steps);
        }
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

/// The recurrence session, with its metrics and gradient strips refreshed a few times a second
/// while training (the traced sequence every frame) and always once when paused.
struct Recurrence {
    session: RecurrenceSession,
    metrics_at: f64,
    metrics_steps: Option<u64>,
}

impl LabSession for Recurrence {
    fn epoch(&self) -> u64 {
        self.session.epoch()
    }

    fn steps(&self) -> u64 {
        self.session.steps()
    }

    fn steps_left_in_epoch(&self) -> usize {
        self.session.steps_left_in_epoch()
    }

    fn train_steps(&mut self, steps: usize) {
        self.session.train_steps(steps);
    }

    fn set_learning_rate(&mut self, rate: f64) -> Result<(), String> {
        self.session
            .set_learning_rate(rate)
            .map_err(|e| e.to_string())
    }

    fn observe(&mut self, request: &LabRequest, now_ms: f64) -> Pending<LabObservation> {
        let mut request = match request {
            LabRequest::Recurrence(r) => r.clone(),
            _ => RecurrenceRequest::default(),
        };
        let steps = self.session.steps();
        let due = self.metrics_steps != Some(steps)
            && (now_ms - self.metrics_at >= RECURRENCE_METRICS_MS || self.metrics_steps.is_none());
        request.metrics = due;
        request.gradients = due;
        if due {
            self.metrics_at = now_ms;
            self.metrics_steps = Some(steps);
        }
        let pending = self.session.queue_observation(&request);
        Box::pin(async move {
            pending
                .read()
                .await
                .map(|o| LabObservation::Recurrence(Box::new(o)))
        })
    }

    fn checkpoint(&self) -> Pending<LabCheckpoint> {
        let pending = self.session.checkpoint();
        let epoch = self.session.epoch();
        Box::pin(async move {
            pending
                .read()
                .await
                .map(|p| LabCheckpoint::Recurrence(p, epoch))
        })
    }
}
