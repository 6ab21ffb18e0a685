//! How often a lab's costly metrics are measured while it trains.

use super::{RunClock, Steps};

/// Refreshes something costly (a lab's metrics) at most once per `every_ms` while training,
/// and once whenever training has moved on since the last one while paused.
#[derive(Debug, Clone, Copy)]
pub struct Refresh {
    every_ms: f64,
    at_ms: f64,
    /// Steps when it was last refreshed.
    at_steps: Option<u64>,
}

impl Refresh {
    /// At most once per `every_ms` milliseconds.
    pub fn every(every_ms: f64) -> Self {
        Self {
            every_ms,
            at_ms: f64::NEG_INFINITY,
            at_steps: None,
        }
    }

    /// Whether a refresh is due at `now_ms` after `steps` steps; marks it done if so.
    pub fn due(&mut self, now_ms: f64, steps: u64) -> bool {
        let due = self.at_steps != Some(steps)
            && (now_ms - self.at_ms >= self.every_ms || self.at_steps.is_none());
        if due {
            self.at_ms = now_ms;
            self.at_steps = Some(steps);
        }
        due
    }
}

/// A lab's session whose costly metrics are refreshed at most so often while it trains.
pub struct Refreshed<S> {
    /// The lab's session.
    pub session: S,
    /// When its metrics are due.
    pub metrics: Refresh,
}

impl<S: Steps> Steps for Refreshed<S> {
    fn clock(&self) -> &RunClock {
        self.session.clock()
    }

    fn epoch_shape(&self) -> (usize, usize) {
        self.session.epoch_shape()
    }

    fn step(&mut self) {
        self.session.step();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refreshes_once_per_interval_and_once_per_new_step_count() {
        let mut r = Refresh::every(400.0);
        assert!(r.due(0.0, 0));
        assert!(!r.due(10.0, 0), "nothing trained since");
        assert!(!r.due(100.0, 5), "too soon");
        assert!(r.due(400.0, 5));
        assert!(!r.due(900.0, 5), "paused: once is enough");
    }
}
