//! The recurrence lab: a vanilla RNN, an LSTM and a GRU learn the same sequence tasks side by
//! side, and the learner watches the RNN's gradient vanish over the time steps.
//!
//! # Why the default memory task has noisy distractors
//! Measured natively (Adam, lr 0.01, batch 32, seeded Glorot weights): on the clean memory
//! task (one-hot symbols, then one-hot distractors) a vanilla RNN learns as fast as the LSTM,
//! at T = 20 in ~25–50 steps and at T = 50 in ~100–450 (some seeds stall). Glorot weights give
//! its recurrent matrix a spectral radius near 1, so nothing contracts at these lengths, and
//! with noise-free distractors the only consistent gradient is the long-range one, which Adam
//! rescales. What defeats the RNN is having to *hold* the symbol against input it cannot
//! filter out: robust holding needs contracting dynamics, and contracting dynamics make
//! early gradients vanish (Bengio, Simard & Frasconi, 1994). Hence Gaussian noise (spread
//! `noise`, default 1) on every input of the distractor steps; gated cells simply stop
//! writing. Defaults (hidden 16, keep bias 2, T = 20, 4 symbols, noise 1), sessions with
//! seeds 1–6, test accuracy every 50 steps: the LSTM reached 95 % after 250–400 steps (4–7
//! epochs), the GRU after 200–300; over 2000 steps the RNN's best was 0.27–0.43 (chance 0.25)
//! and it ended at 0.19–0.29 while its running train accuracy crept to ~0.4 (it memorises
//! the noise). At T = 5 all three learn (each network alone, 6 seeds: RNN 75–225 steps, LSTM
//! 75, GRU 100–125). With hidden 32 the RNN escapes at T = 20 in 2 of 3 seeds; with keep bias
//! 0 the GRU stays at chance.
//!
//! # The vanishing-gradient strip
//! For each step, the norm of the loss's gradient with respect to the state (LSTM: hidden and
//! cell), read through zero "probe" leaves added in the unrolled pass (burn keeps gradients of
//! leaves only). On the defaults, first step over last: at the start RNN 5·10⁻³, LSTM
//! 9·10⁻²; observed every 50 steps up to 300 (median) RNN 3·10⁻⁴, LSTM 0.5 (single readings
//! of the LSTM swing between 0.06 and 2). Once the LSTM has converged (loss ≈ 0) its ratio
//! varies by seed (4·10⁻² to ~10²), while the overfitting RNN's rises to 3·10⁻²–2·10⁻¹ after
//! ~1000 steps (seeds 1–3): the contrast belongs to the learning phase.
//!
//! # Costs (native, debug build with dependencies at opt-level 2, burn Flex, defaults)
//! One training step of all three networks: 10.5–13 ms (the page's WebAssembly Flex is
//! 2–3× slower). One observation: metrics ~14 ms (scales with the test set: ~55 µs a sequence),
//! gradient strip ~18 ms, a traced sequence ~2 ms. Ask for metrics and gradients a few times
//! a second, not every frame.
//!
//! - [`config`]: what defines a run ([`RecurrenceConfig`]) and its validation;
//! - [`data`]: the tasks (remember the first symbol, the adding problem, balanced brackets);
//! - [`model`] and [`unroll`]: burn-nn's `Rnn`, `Lstm` and `Gru` with a linear head, run step
//!   by step so the lab can record hidden states, gates and per-step gradients;
//! - [`session`]: training on seeded batches; [`observation`] and [`readback`]: what a
//!   frame asks for and gets back, in one transfer;
//! - [`sweep`]: accuracy against sequence length, in small steps.

pub mod config;
pub mod data;
pub mod lab;
pub mod limits;
mod link;
pub mod model;
pub mod observation;
pub mod readback;
pub mod session;
pub mod sweep;
pub mod unroll;

pub use config::{
    CellKind, RecurrenceConfig, RecurrenceConfigError, RecurrenceExperiment, TaskKind,
};
pub use data::{Sequences, TaskData};
pub use model::{Cell, RecurrentNet, RecurrentNetConfig};
pub use observation::{
    LstmGates, ModelMetrics, ModelObservation, ModelTrace, RecurrenceObservation,
    RecurrenceRequest, TracedSequence,
};
pub use readback::PendingRecurrence;
pub use session::RecurrenceSession;
pub use sweep::{Sweep, SweepError, SweepPoint, SweepProgress};
