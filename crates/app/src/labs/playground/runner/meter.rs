//! Throughput metering (epochs per second and milliseconds per step over the last second).
//! Pure, so it is tested natively.

use std::collections::VecDeque;

pub use crate::shell::lab::Throughput;

/// Window over which throughput is averaged.
const SPEED_WINDOW_MS: f64 = 1000.0;

/// Samples of (time, epoch, steps) while playing.
#[derive(Debug, Clone, Default)]
pub struct Meter {
    samples: VecDeque<(f64, u64, u64)>,
}

impl Meter {
    /// Forgets the samples (after a pause, a new run).
    pub fn clear(&mut self) {
        self.samples.clear();
    }

    /// Adds a sample and returns the throughput over the window.
    pub fn sample(&mut self, now_ms: f64, epoch: u64, steps: u64) -> Throughput {
        self.samples.push_back((now_ms, epoch, steps));
        while self.samples.len() > 2
            && self
                .samples
                .front()
                .is_some_and(|s| now_ms - s.0 > SPEED_WINDOW_MS)
        {
            self.samples.pop_front();
        }
        match (self.samples.front(), self.samples.back()) {
            (Some(&(t0, e0, s0)), Some(&(t1, e1, s1))) if t1 > t0 => Throughput {
                epochs_per_second: e1.saturating_sub(e0) as f64 * 1000.0 / (t1 - t0),
                ms_per_step: if s1 > s0 {
                    (t1 - t0) / (s1 - s0) as f64
                } else {
                    0.0
                },
            },
            _ => Throughput::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn throughput_over_the_window() {
        let mut meter = Meter::default();
        assert_eq!(meter.sample(0.0, 0, 0), Throughput::default());
        let t = meter.sample(500.0, 50, 1000);
        assert_eq!(t.epochs_per_second, 100.0);
        assert_eq!(t.ms_per_step, 0.5);
        // Old samples leave the window.
        meter.sample(1000.0, 100, 2000);
        let t = meter.sample(2000.0, 100, 2000);
        assert_eq!(t.epochs_per_second, 0.0);
    }
}
