//! The convolution lab: a small CNN learns the 8 × 8 handwritten digits beside a dense network
//! on the same pixels, so a learner sees what convolution buys; its filters, feature maps,
//! confusion matrix and a drawn digit's prediction are observed live.
//!
//! - [`data`]: the shipped digits and the seeded, stratified split;
//! - [`model`]: [`CnnConfig`] / [`Cnn`] and [`DenseNetConfig`] / [`DenseNet`] (burn modules);
//! - [`config`]: [`DigitsConfig`], validated into a [`DigitsExperiment`];
//! - [`session`]: [`DigitsSession`], both models trained on the same seeded batches;
//! - [`observation`]: requests and observations (plain data for the worker boundary);
//! - [`ink`]: [`digit_from_ink`], a canvas drawing turned into the data set's 8 × 8 input.
//!
//! Measured natively (debug build, dependencies at opt-level 2, burn Flex, on a 2-core machine
//! shared with other builds): one step of both models at the defaults takes 4.6–6.4 ms;
//! evaluating both on the test set and a 360-image training sample takes 32–44 ms (about seven
//! steps: burn Flex's convolution costs ~0.1 ms an image), so evaluations run once per epoch
//! and when paused, not every frame, which would halve training in the browser. An observation
//! without an evaluation takes ~0.3 ms. The default CNN passes 97 % test accuracy after 3–4
//! epochs (seeds 1–3): about 1.2 s natively, so a few seconds in the browser.

pub mod config;
pub mod data;
pub mod ink;
pub mod lab;
pub mod limits;
mod link;
pub mod model;
pub mod observation;
mod readback;
pub mod session;

pub use config::{DigitsConfig, DigitsConfigError, DigitsExperiment, DigitsTraining};
pub use data::{Digits, Split};
pub use ink::digit_from_ink;
pub use model::{Cnn, CnnConfig, DenseNet, DenseNetConfig, Kernel};
pub use observation::{
    DigitsObservation, DigitsRequest, DrawnDigit, DrawnDigitError, FlatTensor, Mistake,
    ModelReport, Probe, ProbeView,
};
pub use readback::PendingDigitsObservation;
pub use session::{DigitsCheckpoint, DigitsSession, PendingCheckpoint};
