//! One folder per lab: its state, its runner, its views.

pub mod attention;
pub mod digits;
pub mod playground;
pub mod recurrence;
