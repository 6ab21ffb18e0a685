//! The generalisation gap from a loss history: where the test loss was lowest, and how far
//! the test loss sits above the training loss over time.

use serde::{Deserialize, Serialize};

use crate::playground_state::HistoryPoint;

/// The gap at one point of the history.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GapPoint {
    /// Epochs completed.
    pub epoch: u32,
    /// Test loss minus training loss (positive when the network does worse on unseen points).
    pub gap: f32,
}

/// The history point with the lowest finite test loss (the earliest of equals), if any.
pub fn best_test_epoch(history: &[HistoryPoint]) -> Option<HistoryPoint> {
    history
        .iter()
        .filter(|p| p.test_loss.is_finite())
        .fold(None, |best: Option<&HistoryPoint>, p| match best {
            Some(b) if b.test_loss <= p.test_loss => Some(b),
            _ => Some(p),
        })
        .copied()
}

/// Test loss minus training loss at every point of `history`, in order (NaN where a loss is
/// not finite, so a chart can leave a hole).
pub fn gap_series(history: &[HistoryPoint]) -> Vec<GapPoint> {
    history
        .iter()
        .map(|p| GapPoint {
            epoch: p.epoch,
            gap: if p.train_loss.is_finite() && p.test_loss.is_finite() {
                p.test_loss - p.train_loss
            } else {
                f32::NAN
            },
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(epoch: u32, train_loss: f32, test_loss: f32) -> HistoryPoint {
        HistoryPoint {
            epoch,
            train_loss,
            test_loss,
            train_accuracy: None,
            test_accuracy: None,
        }
    }

    #[test]
    fn the_best_epoch_is_the_first_lowest_finite_test_loss() {
        let history = [
            point(0, 0.7, 0.7),
            point(10, 0.4, 0.5),
            point(20, 0.2, f32::NAN),
            point(30, 0.1, 0.45),
            point(40, 0.05, 0.45),
            point(50, 0.02, 0.6),
        ];
        assert_eq!(best_test_epoch(&history).map(|p| p.epoch), Some(30));
        assert_eq!(best_test_epoch(&[]), None);
        assert_eq!(best_test_epoch(&[point(0, 1.0, f32::INFINITY)]), None);
        let gaps = gap_series(&history);
        assert_eq!(gaps.len(), 6);
        assert!((gaps[5].gap - 0.58).abs() < 1e-6 && gaps[5].epoch == 50);
        assert!(gaps[2].gap.is_nan());
        assert_eq!(gaps[0].gap, 0.0);
    }
}
