//! Emberlab's training core: data sets, features, network specs and burn training sessions.
//!
//! Plain data in, plain data out: nothing here knows about the web. The same API runs in the
//! browser (WebGPU or Flex on the CPU) and natively.

pub mod attention;
pub mod config_error;
pub mod csv_io;
pub mod custom_data;
pub mod data;
pub mod digits;
pub mod experiment;
pub mod export;
pub mod features;
pub mod fused;
pub mod gpu;
pub mod grid;
pub mod inspect;
mod keys;
pub mod lab;
pub mod limits;
pub mod link;
pub mod loss;
pub mod model;
pub mod network;
pub mod observation;
pub mod optimizer;
pub mod playground_state;
pub mod points;
pub mod problem;
pub mod readback;
pub mod recurrence;
pub mod rng;
pub mod run;
pub mod schedule;
pub mod session;
pub mod trainer;
pub mod training;

pub use burn::tensor::Device;
pub use custom_data::CustomData;
pub use data::{DataConfig, Dataset, DatasetKind, Point};
pub use experiment::{ConfigError, Experiment, ExperimentConfig};
pub use features::{Feature, FeatureSet};
pub use fused::FusedSession;
pub use model::LayerWeights;
pub use network::{Activation, Init, LayerSpec, NetworkSpec};
pub use observation::{Metrics, Observation, Snapshot};
pub use problem::Problem;
pub use readback::{PendingObservation, PendingWeights, WeightsAt};
pub use run::Steps;
pub use session::{Session, SessionError};
pub use trainer::{Delivered, Engine, PendingResult, Trainer};
pub use training::{BatchSize, LossKind, OptimizerKind, Regularization, TrainingConfig};
