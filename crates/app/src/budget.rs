//! How long each frame may train: adapted from the measured frame pace, so training is as
//! fast as the page allows without making frames late.

/// Least training time per frame while playing (ms).
pub const MIN_TRAIN_MS: f64 = 0.5;
/// Training time per frame at start (ms).
const START_TRAIN_MS: f64 = 3.0;
/// Largest share of a display frame that training may take.
const MAX_FRAME_SHARE: f64 = 0.5;
/// A frame counts as late when it took this many display periods or more.
const LATE_FACTOR: f64 = 1.4;
/// Cut in the budget after a late frame (multiplicative decrease).
const BACK_OFF: f64 = 0.6;
/// The recent pace counts as slow when the smoothed interval is this many display periods or
/// more: frames that are each a little late (a big network's views plus training taking 20 ms
/// of a 16.7 ms period) never trip [`LATE_FACTOR`], yet run the page at 50 frames/s.
const SLOW_FACTOR: f64 = 1.08;
/// Cut in the budget per frame while the pace is slow (gentle: the smoothed pace lags).
const EASE_OFF: f64 = 0.93;
/// Weight of the newest interval in the smoothed pace (exponential moving average).
const PACE_SMOOTHING: f64 = 0.1;
/// Growth of the budget after an on-time frame (additive increase, ms).
const GROWTH_MS: f64 = 0.1;
/// Frames over which the display period is estimated (the shortest interval wins).
const PERIOD_WINDOW: usize = 30;
/// Period assumed before any frame was seen (60 Hz).
const DEFAULT_PERIOD_MS: f64 = 1000.0 / 60.0;
/// Intervals longer than this are pauses (a hidden tab, a breakpoint), not slow frames.
const PAUSE_MS: f64 = 250.0;

/// The per-frame training budget: additive increase while frames are on time, multiplicative
/// decrease when one is late (as TCP does with its window).
#[derive(Debug, Clone, PartialEq)]
pub struct TrainBudget {
    ms: f64,
    recent: Vec<f64>,
    /// Smoothed frame interval (ms); `None` before the first frame.
    pace: Option<f64>,
}

impl Default for TrainBudget {
    fn default() -> Self {
        Self {
            ms: START_TRAIN_MS,
            recent: Vec::with_capacity(PERIOD_WINDOW),
            pace: None,
        }
    }
}

impl TrainBudget {
    /// Milliseconds the next frame may spend training.
    pub fn ms(&self) -> f64 {
        self.ms
    }

    /// The display's frame period: the shortest recent interval, at most 60 Hz's (when every
    /// frame is slow, the slow pace must not pass for the display's).
    pub fn period_ms(&self) -> f64 {
        self.recent
            .iter()
            .copied()
            .fold(DEFAULT_PERIOD_MS, f64::min)
    }

    /// Takes the interval since the previous frame into account.
    pub fn after_frame(&mut self, interval_ms: f64) {
        if !(interval_ms.is_finite() && interval_ms > 0.0) || interval_ms > PAUSE_MS {
            return;
        }
        if self.recent.len() == PERIOD_WINDOW {
            self.recent.remove(0);
        }
        self.recent.push(interval_ms);
        let pace = self
            .pace
            .map_or(interval_ms, |p| p + PACE_SMOOTHING * (interval_ms - p));
        self.pace = Some(pace);
        let period = self.period_ms();
        let ceiling = period * MAX_FRAME_SHARE;
        self.ms = if interval_ms >= period * LATE_FACTOR {
            self.ms * BACK_OFF
        } else if pace >= period * SLOW_FACTOR {
            self.ms * EASE_OFF
        } else {
            self.ms + GROWTH_MS
        }
        .clamp(MIN_TRAIN_MS, ceiling.max(MIN_TRAIN_MS));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn on_time_frames_grow_the_budget_up_to_half_a_frame() {
        let mut budget = TrainBudget::default();
        for _ in 0..500 {
            budget.after_frame(16.0);
        }
        assert!((budget.ms() - 16.0 * MAX_FRAME_SHARE).abs() < 1e-9);
    }

    #[test]
    fn late_frames_shrink_it_to_the_floor() {
        let mut budget = TrainBudget::default();
        for _ in 0..10 {
            budget.after_frame(16.7);
        }
        let before = budget.ms();
        budget.after_frame(40.0);
        assert!(budget.ms() < before * 0.7);
        for _ in 0..50 {
            budget.after_frame(40.0);
        }
        assert_eq!(budget.ms(), MIN_TRAIN_MS);
    }

    /// A frame's own work (views, drawing) plus training: what the page's pace would be.
    fn settle(view_ms: f64) -> (TrainBudget, f64) {
        let mut budget = TrainBudget::default();
        let mut intervals = Vec::new();
        for _ in 0..2_000 {
            // The display's 60 Hz pace, or later when the frame's work takes longer.
            let interval = (view_ms + budget.ms()).max(DEFAULT_PERIOD_MS);
            budget.after_frame(interval);
            intervals.push(interval);
        }
        let last = &intervals[intervals.len() - 500..];
        (budget, last.iter().sum::<f64>() / last.len() as f64)
    }

    #[test]
    fn frames_a_little_late_each_time_ease_the_budget_until_the_pace_holds() {
        // A big network whose views take 13 ms: with half a frame of training every frame
        // would take 21 ms (48 frames/s), never late enough to count as late.
        let (budget, mean) = settle(13.0);
        assert!(mean < 1000.0 / 55.0, "mean interval {mean} ms");
        assert!(budget.ms() >= MIN_TRAIN_MS);
        // Cheap views keep the full budget.
        let (budget, mean) = settle(3.0);
        assert!((budget.ms() - DEFAULT_PERIOD_MS * MAX_FRAME_SHARE).abs() < 1e-9);
        assert!((mean - DEFAULT_PERIOD_MS).abs() < 1e-9);
    }

    #[test]
    fn slow_frames_do_not_pass_for_a_slow_display() {
        let mut budget = TrainBudget::default();
        for _ in 0..100 {
            budget.after_frame(45.0);
        }
        assert_eq!(budget.period_ms(), DEFAULT_PERIOD_MS);
        assert_eq!(budget.ms(), MIN_TRAIN_MS);
    }

    #[test]
    fn the_period_follows_the_display_and_ignores_pauses() {
        let mut budget = TrainBudget::default();
        assert_eq!(budget.period_ms(), DEFAULT_PERIOD_MS);
        for _ in 0..40 {
            budget.after_frame(8.3);
        }
        assert!((budget.period_ms() - 8.3).abs() < 1e-9);
        assert!(budget.ms() <= 8.3 * MAX_FRAME_SHARE + 1e-9);
        let before = budget.clone();
        budget.after_frame(5_000.0);
        budget.after_frame(f64::NAN);
        assert_eq!(budget, before);
    }
}
