//! The data set and the loss history as CSV text for a spreadsheet (or a later import).
//!
//! Numbers are written with Rust's shortest round-trip form, so reading them back as `f32`
//! gives the same values; class labels are their index (`0`, `1`, …).

use std::fmt::Write as _;

use crate::data::{Dataset, Point};
use crate::playground_state::HistoryPoint;

/// `x1,x2,label,set` rows: the training points, then the test points (`set` is `train` or
/// `test`).
pub fn dataset_csv(dataset: &Dataset) -> String {
    let mut out = String::from("x1,x2,label,set\n");
    let mut rows = |points: &[Point], set: &str| {
        for p in points {
            // Writing to a String cannot fail.
            let _ = writeln!(out, "{},{},{},{set}", p.x, p.y, p.label);
        }
    };
    rows(&dataset.train, "train");
    rows(&dataset.test, "test");
    out
}

/// `epoch,train_loss,test_loss,train_accuracy,test_accuracy` rows, oldest first; accuracies are
/// empty for regression.
pub fn history_csv(history: &[HistoryPoint]) -> String {
    let mut out = String::from("epoch,train_loss,test_loss,train_accuracy,test_accuracy\n");
    let optional = |v: Option<f32>| v.map(|v| v.to_string()).unwrap_or_default();
    for h in history {
        // Writing to a String cannot fail.
        let _ = writeln!(
            out,
            "{},{},{},{},{}",
            h.epoch,
            h.train_loss,
            h.test_loss,
            optional(h.train_accuracy),
            optional(h.test_accuracy)
        );
    }
    out
}
