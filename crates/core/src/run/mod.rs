//! What every lab's training shares, written once: seeded initial weights and checkpoints of
//! any burn module ([`params`]), and the divergence guard ([`guard`]). The seeded epochs and
//! batches live in [`crate::schedule`].

pub mod guard;
pub mod params;
pub mod stall;

pub use guard::{Divergence, DivergenceGuard};
pub use params::{Params, PendingParams, load_params, queue_params, seeded_init};
pub use stall::{Health, Stall, StallWatch};
