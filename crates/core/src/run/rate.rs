//! The learning rate's one check, shared by every lab's validation and live changes.

use thiserror::Error;

/// Largest learning rate the burn labs (convolution, recurrence, attention) accept.
pub const MAX_LAB_LEARNING_RATE: f64 = 1.0;

/// A learning rate that is not a finite number above 0 and at most the lab's limit.
#[derive(Debug, Clone, Copy, PartialEq, Error)]
#[error("learning rate {rate} is invalid; use a number above 0 and at most {max}")]
pub struct LearningRateError {
    /// Rate asked for.
    pub rate: f64,
    /// The lab's largest rate.
    pub max: f64,
}

/// Checks `rate` against a lab's largest rate `max`.
pub fn check_learning_rate(rate: f64, max: f64) -> Result<(), LearningRateError> {
    if rate.is_finite() && rate > 0.0 && rate <= max {
        Ok(())
    } else {
        Err(LearningRateError { rate, max })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_finite_positive_rates_up_to_the_limit_pass() {
        assert!(check_learning_rate(0.03, 1.0).is_ok());
        assert!(check_learning_rate(1.0, 1.0).is_ok());
        for bad in [0.0, -0.1, 1.5, f64::NAN, f64::INFINITY] {
            assert_eq!(
                check_learning_rate(bad, 1.0).map_err(|e| e.max),
                Err(1.0),
                "{bad}"
            );
        }
        assert_eq!(
            LearningRateError {
                rate: 2.0,
                max: 1.0
            }
            .to_string(),
            "learning rate 2 is invalid; use a number above 0 and at most 1"
        );
    }
}
