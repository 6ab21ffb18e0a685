//! The divergence guard: notices a loss that became NaN or infinite, or that exploded far above
//! where it started, and keeps the last checkpoint whose loss was still sane, so a lab can pause
//! and restore it instead of showing garbage.

/// A loss this many times its first observed value counts as exploded.
pub const EXPLODE_FACTOR: f32 = 100.0;
/// ... and never below this absolute value (a tiny starting loss would make the factor fire on
/// ordinary noise).
pub const EXPLODE_FLOOR: f32 = 10.0;

/// Why training was judged to have diverged.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Divergence {
    /// The loss became NaN or infinite.
    NotFinite,
    /// The loss grew past [`EXPLODE_FACTOR`] times its start.
    Exploded {
        /// The first loss observed.
        start: f32,
        /// The loss now.
        now: f32,
    },
}

impl Divergence {
    /// What happened and what to try, in words a learner can act on.
    pub fn explain(&self) -> String {
        let what = match self {
            Divergence::NotFinite => "the loss became NaN or infinite".to_string(),
            Divergence::Exploded { start, now } => {
                format!("the loss exploded from {start:.3} to {now:.3}")
            }
        };
        format!(
            "Training diverged: {what}. It was paused and the last good weights were restored. \
             Try a lower learning rate, a smoother activation (tanh instead of ReLU), or some \
             L2 regularisation."
        )
    }
}

/// Watches the losses of one run and remembers its last sane checkpoint.
#[derive(Debug, Clone)]
pub struct DivergenceGuard<C> {
    start: Option<f32>,
    last_good: Option<(u64, C)>,
}

impl<C> Default for DivergenceGuard<C> {
    fn default() -> Self {
        Self {
            start: None,
            last_good: None,
        }
    }
}

impl<C> DivergenceGuard<C> {
    /// A guard for a fresh run.
    pub fn new() -> Self {
        Self::default()
    }

    /// Checks the loss observed at `epoch`. A sane loss stores `checkpoint()` (called only
    /// then) as the last good state; a diverged one returns why, keeping the older checkpoint.
    pub fn check(
        &mut self,
        epoch: u64,
        loss: f32,
        checkpoint: impl FnOnce() -> C,
    ) -> Option<Divergence> {
        if !loss.is_finite() {
            return Some(Divergence::NotFinite);
        }
        let start = *self.start.get_or_insert(loss);
        if loss > (start * EXPLODE_FACTOR).max(EXPLODE_FLOOR) {
            return Some(Divergence::Exploded { start, now: loss });
        }
        self.last_good = Some((epoch, checkpoint()));
        None
    }

    /// The last checkpoint whose loss was sane, with its epoch.
    pub fn last_good(&self) -> Option<&(u64, C)> {
        self.last_good.as_ref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_last_sane_checkpoint_and_names_the_cause() {
        let mut guard = DivergenceGuard::new();
        assert_eq!(guard.check(0, 0.7, || "w0"), None);
        assert_eq!(guard.check(5, 3.0, || "w5"), None);
        assert_eq!(
            guard.check(6, f32::NAN, || "nan"),
            Some(Divergence::NotFinite)
        );
        assert_eq!(guard.last_good(), Some(&(5, "w5")));
        assert_eq!(
            guard.check(7, 71.0, || "big"),
            Some(Divergence::Exploded {
                start: 0.7,
                now: 71.0
            })
        );
        assert_eq!(guard.last_good(), Some(&(5, "w5")));
        assert!(
            Divergence::NotFinite
                .explain()
                .contains("lower learning rate")
        );
    }

    #[test]
    fn a_tiny_start_needs_the_absolute_floor_to_fire() {
        let mut guard = DivergenceGuard::new();
        guard.check(0, 0.001, || ());
        assert_eq!(guard.check(1, 0.5, || ()), None);
        assert!(guard.check(2, 11.0, || ()).is_some());
    }
}
