//! The labs the app hosts, and the state of each as plain data (what links and autosave carry).

use serde::{Deserialize, Serialize};

use crate::attention::AttentionConfig;
use crate::digits::DigitsConfig;
use crate::playground_state::PlaygroundState;
use crate::recurrence::RecurrenceConfig;

/// One lab of the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum LabKind {
    /// Dense networks on 2-D data (the home page).
    Playground,
    /// A small CNN against a dense network on handwritten digits.
    Digits,
    /// A vanilla RNN, an LSTM and a GRU side by side on memory tasks.
    Recurrence,
    /// A tiny transformer on toy sequence tasks, with its attention maps.
    Attention,
}

impl LabKind {
    /// Every lab, in the order the picker lists them.
    pub const ALL: [LabKind; 4] = [
        LabKind::Playground,
        LabKind::Digits,
        LabKind::Recurrence,
        LabKind::Attention,
    ];

    /// The lab's title.
    pub fn name(self) -> &'static str {
        match self {
            LabKind::Playground => "Playground",
            LabKind::Digits => "Convolution",
            LabKind::Recurrence => "Recurrence",
            LabKind::Attention => "Attention",
        }
    }

    /// What the lab shows, in one line.
    pub fn summary(self) -> &'static str {
        match self {
            LabKind::Playground => "dense networks on 2-D points",
            LabKind::Digits => "a CNN learns handwritten digits",
            LabKind::Recurrence => "RNN, LSTM and GRU: memory and vanishing gradients",
            LabKind::Attention => "a tiny transformer and where it looks",
        }
    }

    /// The lab's default state.
    pub fn default_state(self) -> LabState {
        match self {
            LabKind::Playground => LabState::Playground(PlaygroundState::default()),
            LabKind::Digits => LabState::Digits(DigitsConfig::default()),
            LabKind::Recurrence => LabState::Recurrence(RecurrenceConfig::default()),
            LabKind::Attention => LabState::Attention(AttentionConfig::default()),
        }
    }
}

crate::stable_keys!(LabKind {
    Playground => "playground",
    Digits => "digits",
    Recurrence => "recurrence",
    Attention => "attention",
});

/// The state of one lab.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum LabState {
    /// The playground's state.
    Playground(PlaygroundState),
    /// The convolution lab's experiment.
    Digits(DigitsConfig),
    /// The recurrence lab's experiment.
    Recurrence(RecurrenceConfig),
    /// The attention lab's experiment.
    Attention(AttentionConfig),
}

impl Default for LabState {
    fn default() -> Self {
        LabState::Playground(PlaygroundState::default())
    }
}

impl LabState {
    /// Which lab this state belongs to.
    pub fn kind(&self) -> LabKind {
        match self {
            LabState::Playground(_) => LabKind::Playground,
            LabState::Digits(_) => LabKind::Digits,
            LabState::Recurrence(_) => LabKind::Recurrence,
            LabState::Attention(_) => LabKind::Attention,
        }
    }
}
