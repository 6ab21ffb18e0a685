//! What every lab's training shares, written once: one interface for every lab's session
//! ([`lab`], listed in [`hosted`]) and the driver every host uses ([`driver`]), where a run stands ([`clock`]), the one
//! learning-rate check ([`rate`]), session errors ([`error`]), seeded initial weights and
//! checkpoints of any burn module ([`params`]), and the divergence and stall guards ([`guard`],
//! [`stall`]). The seeded epochs and batches live in [`crate::schedule`].

pub mod clock;
pub mod driver;
pub mod error;
pub mod guard;
pub mod hosted;
pub mod lab;
pub mod params;
pub mod rate;
pub mod refresh;
pub mod stall;

pub use clock::{RunClock, Span, Steps};
pub use driver::{Driver, Observed, Watch};
pub use error::SessionError;
pub use guard::{Divergence, DivergenceGuard};
pub use hosted::{HOSTED_LABS, HostedSession, LabCheckpoint, LabObservation, LabRequest, LabSetup};
pub use lab::{Lab, LabSession, Pending};
pub use params::{Params, PendingParams, load_params, queue_params, seeded_init};
pub use rate::{LearningRateError, MAX_LAB_LEARNING_RATE, check_learning_rate};
pub use stall::{Health, Stall, StallWatch};
