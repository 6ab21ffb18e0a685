//! What the page and a lab's worker say to each other: plain data, as postcard bytes. The
//! lab payloads (setup, request, observation, checkpoint) are core's ([`emberlab_core::run`]).

use emberlab_core::recurrence::{SweepPoint, SweepProgress};
use emberlab_core::run::{LabCheckpoint, LabObservation, LabRequest, LabSetup};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::backend::BackendKind;

/// Largest message either side sends or accepts: a checkpoint of the biggest lab is well under
/// 1 MB; anything far larger is a bug or a corrupted message, refused rather than read.
pub const MAX_MESSAGE_BYTES: usize = 8 * 1024 * 1024;

/// Page → worker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ToWorker {
    /// Builds (or rebuilds) the lab's session on `backend`, from `resume` if given; paused.
    Open {
        /// The experiment.
        setup: LabSetup,
        /// Where to train.
        backend: BackendKind,
        /// Trained parameters to continue from.
        resume: Option<LabCheckpoint>,
    },
    /// Plays or pauses.
    Play(bool),
    /// Trains exactly one more epoch (pauses).
    Step,
    /// Changes the learning rate live.
    SetLearningRate(f64),
    /// What later observations show.
    Request(LabRequest),
    /// Asks for the trained parameters.
    Checkpoint,
    /// Starts the recurrence lab's accuracy-versus-length sweep (in the background).
    Sweep,
}

/// Worker → page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum FromWorker {
    /// The worker's wasm is running; commands can come.
    Ready,
    /// A session was built on this back end (the reason says why, e.g. a fallback).
    Opened {
        /// The back end in use.
        backend: BackendKind,
        /// One sentence for the badge.
        reason: String,
    },
    /// The latest results.
    Observation {
        /// The lab's results.
        observation: LabObservation,
        /// Whether training plays.
        playing: bool,
        /// Epochs per second over the last second (0 while paused).
        epochs_per_second: f64,
        /// Milliseconds per optimiser step over the last second.
        ms_per_step: f64,
    },
    /// The parameters asked for.
    Checkpoint(LabCheckpoint),
    /// The last parameters whose loss was sane (sent every few seconds while training), so
    /// the page can start a fresh worker from them if this one fails.
    LastGood(LabCheckpoint),
    /// The sweep's progress and the lengths finished so far.
    Sweep {
        /// How far it is.
        progress: SweepProgress,
        /// One point per finished length.
        points: Vec<SweepPoint>,
    },
    /// Training diverged: it paused and went back to the last good weights; the text says
    /// why and what to try.
    Diverged(String),
    /// Something the worker was asked to do failed.
    Error(WorkerError),
}

/// What can go wrong in or with a lab's worker, in words for the page's notice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum WorkerError {
    /// The lab's session could not be built.
    Open(String),
    /// A message could not be read (or was too large).
    Message(String),
    /// An observation could not be read back: training stopped.
    Training(String),
    /// The weights could not be read.
    Checkpoint(String),
    /// A live learning-rate change was refused.
    LearningRate(String),
    /// A live change of the training settings was refused.
    Settings(String),
    /// The recurrence lab's length sweep could not start or stopped.
    Sweep(String),
    /// The worker itself failed (an uncaught error, or it could not load); seen by the page.
    Crashed(String),
}

impl WorkerError {
    /// Whether training stopped because of it (the page shows the run as paused).
    pub fn stops_training(&self) -> bool {
        !matches!(
            self,
            WorkerError::LearningRate(_) | WorkerError::Settings(_) | WorkerError::Sweep(_)
        )
    }
}

impl std::fmt::Display for WorkerError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WorkerError::Open(e) => write!(f, "The lab could not start: {e}."),
            WorkerError::Message(e) => write!(f, "A message from the lab's worker was lost: {e}."),
            WorkerError::Training(e) => write!(f, "Training stopped: {e}."),
            WorkerError::Checkpoint(e) => write!(f, "The weights could not be read: {e}."),
            WorkerError::LearningRate(e) => {
                write!(f, "{}. The learning rate is unchanged.", capitalised(e))
            }
            WorkerError::Settings(e) => {
                write!(f, "{}. The change was not applied.", capitalised(e))
            }
            WorkerError::Sweep(e) => write!(f, "The length sweep stopped: {e}."),
            WorkerError::Crashed(e) => write!(
                f,
                "Training stopped: the lab's worker failed ({e}). The last good weights are kept; \
                 press Play to go on from them."
            ),
        }
    }
}

/// `text` with its first letter in upper case.
pub fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Postcard bytes of `message`, or why it cannot be sent.
pub fn encode<T: Serialize>(message: &T) -> Result<Vec<u8>, WorkerError> {
    let bytes = postcard::to_allocvec(message)
        .map_err(|e| WorkerError::Message(format!("it could not be written ({e})")))?;
    if bytes.len() > MAX_MESSAGE_BYTES {
        return Err(too_large(bytes.len()));
    }
    Ok(bytes)
}

/// The message in `bytes`, or why it is not one.
pub fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, WorkerError> {
    if bytes.len() > MAX_MESSAGE_BYTES {
        return Err(too_large(bytes.len()));
    }
    postcard::from_bytes(bytes)
        .map_err(|e| WorkerError::Message(format!("it could not be read ({e})")))
}

fn too_large(len: usize) -> WorkerError {
    WorkerError::Message(format!(
        "it is {len} bytes, over the limit of {MAX_MESSAGE_BYTES}"
    ))
}

#[cfg(test)]
mod tests;
