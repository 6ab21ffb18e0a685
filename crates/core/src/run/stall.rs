//! The stall watch: a classifier that stopped learning without any NaN (a learning rate so high
//! that the units die or the loss swings, while accuracy sits at chance) is noticed and
//! explained, as divergence is.

/// Accuracy within this of chance counts as "at chance".
const CHANCE_MARGIN: f32 = 0.05;
/// Epochs a run gets before it is judged.
const GRACE_EPOCHS: u64 = 20;
/// Epochs at chance, in a row, that make a stall.
const STUCK_EPOCHS: u64 = 20;

/// What one observation says about the run's health.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Health {
    /// Epochs completed.
    pub epoch: u64,
    /// Training accuracy.
    pub accuracy: f32,
    /// Accuracy of always guessing the most common class.
    pub chance: f32,
    /// Hidden units whose output is the same everywhere (dead).
    pub dead_units: usize,
    /// Hidden units in all.
    pub units: usize,
}

/// A run that stopped learning.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stall {
    /// Training accuracy now.
    pub accuracy: f32,
    /// Chance accuracy.
    pub chance: f32,
    /// Dead hidden units.
    pub dead_units: usize,
    /// Hidden units in all.
    pub units: usize,
}

impl Stall {
    /// What is happening and what to try, for a learner.
    pub fn explain(&self, learning_rate: f64) -> String {
        let dead = if self.dead_units > 0 {
            format!(
                " and {} of the {} hidden neurons are dead (they give the same output \
                 everywhere, so no gradient flows through them)",
                self.dead_units, self.units
            )
        } else {
            String::new()
        };
        format!(
            "The network has stopped learning: its accuracy is stuck at {:.0}%, what guessing \
             would give ({:.0}%){dead}. A learning rate of {learning_rate} is probably too \
             high: reset and try 0.03, or a smoother activation such as tanh.",
            self.accuracy * 100.0,
            self.chance * 100.0
        )
    }
}

/// Watches one run.
#[derive(Debug, Clone, Default)]
pub struct StallWatch {
    stuck_since: Option<u64>,
    reported: bool,
}

impl StallWatch {
    /// Checks one observation; returns a stall once per run, when accuracy has sat at chance
    /// for [`STUCK_EPOCHS`] epochs after the first [`GRACE_EPOCHS`].
    pub fn check(&mut self, health: Health) -> Option<Stall> {
        if self.reported || health.epoch < GRACE_EPOCHS {
            return None;
        }
        if health.accuracy > health.chance + CHANCE_MARGIN {
            self.stuck_since = None;
            return None;
        }
        let since = *self.stuck_since.get_or_insert(health.epoch);
        if health.epoch - since < STUCK_EPOCHS {
            return None;
        }
        self.reported = true;
        Some(Stall {
            accuracy: health.accuracy,
            chance: health.chance,
            dead_units: health.dead_units,
            units: health.units,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(epoch: u64, accuracy: f32) -> Health {
        Health {
            epoch,
            accuracy,
            chance: 0.5,
            dead_units: 3,
            units: 8,
        }
    }

    #[test]
    fn a_run_at_chance_for_long_enough_stalls_once() {
        let mut watch = StallWatch::default();
        assert_eq!(watch.check(at(5, 0.5)), None, "grace period");
        assert_eq!(watch.check(at(25, 0.5)), None);
        assert_eq!(watch.check(at(40, 0.52)), None);
        let stall = watch.check(at(45, 0.51)).unwrap();
        assert_eq!(stall.dead_units, 3);
        assert!(
            stall
                .explain(10.0)
                .contains("3 of the 8 hidden neurons are dead")
        );
        assert!(stall.explain(10.0).contains("learning rate of 10"));
        assert_eq!(watch.check(at(90, 0.5)), None, "said once");
    }

    #[test]
    fn learning_resets_the_count() {
        let mut watch = StallWatch::default();
        watch.check(at(20, 0.5));
        watch.check(at(30, 0.9));
        assert_eq!(watch.check(at(45, 0.5)), None);
        assert!(watch.check(at(65, 0.5)).is_some());
    }
}
