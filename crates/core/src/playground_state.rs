//! Everything a learner set up in the playground, as plain data: the experiment, the view, the
//! controls a teacher hid, and optionally the trained weights. Share links and autosave carry
//! exactly this.

use serde::{Deserialize, Serialize};

use crate::experiment::ExperimentConfig;
use crate::model::LayerWeights;

/// The playground's registration (its link codec is `link/playground.rs`).
pub struct PlaygroundLab;

/// How much the playground trains per displayed frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Speed {
    /// Exactly this many epochs each frame (TensorFlow Playground trains one).
    EpochsPerFrame(u64),
    /// As many steps as fit the frame's time budget.
    Max,
}

impl Speed {
    /// Speeds the UI offers, slowest first.
    pub const ALL: [Speed; 4] = [
        Speed::EpochsPerFrame(1),
        Speed::EpochsPerFrame(5),
        Speed::EpochsPerFrame(20),
        Speed::Max,
    ];

    /// The stable key (links, storage, UI values): the epochs per frame, or `max`.
    pub fn key(self) -> String {
        match self {
            Speed::EpochsPerFrame(n) => n.to_string(),
            Speed::Max => "max".to_string(),
        }
    }

    /// The speed with this key, if it is one the UI offers.
    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.key() == key)
    }

    /// What the speed picker says.
    pub fn name(self) -> String {
        match self {
            Speed::EpochsPerFrame(1) => "1 epoch / frame".to_string(),
            Speed::EpochsPerFrame(n) => format!("{n} epochs / frame"),
            Speed::Max => "as fast as possible".to_string(),
        }
    }
}

/// View toggles that do not change training.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ViewSettings {
    /// Training pace.
    pub speed: Speed,
    /// Whether test points are drawn on the output.
    pub show_test: bool,
    /// Whether the output is drawn as flat class colours.
    pub discretize: bool,
    /// Whether the loss chart uses a log scale.
    pub log_scale: bool,
}

impl Default for ViewSettings {
    /// One epoch a frame: a learner watches the boundary form and the loss fall (TensorFlow
    /// Playground's pace); the fast modes are one click away.
    fn default() -> Self {
        Self {
            speed: Speed::EpochsPerFrame(1),
            show_test: false,
            discretize: false,
            log_scale: false,
        }
    }
}

/// A control a teacher can hide from a shared demo (TensorFlow Playground's `_hide` flags).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Control {
    /// The "show test data" toggle.
    ShowTestData,
    /// The "discretize output" toggle.
    Discretize,
    /// The play/pause button.
    Play,
    /// The step button.
    Step,
    /// The reset button.
    Reset,
    /// The learning-rate controls.
    LearningRate,
    /// The activation picker.
    Activation,
    /// The regularisation picker.
    Regularization,
    /// The regularisation-rate picker.
    RegularizationRate,
    /// The problem-type picker.
    Problem,
    /// The data-set tiles.
    Dataset,
    /// The train/test ratio slider.
    TrainRatio,
    /// The noise slider.
    Noise,
    /// The batch-size slider.
    BatchSize,
    /// The add/remove layer and neuron buttons.
    Layers,
    /// The explanatory text around the playground.
    Text,
}

impl Control {
    /// Every hidable control.
    pub const ALL: [Control; 16] = [
        Control::ShowTestData,
        Control::Discretize,
        Control::Play,
        Control::Step,
        Control::Reset,
        Control::LearningRate,
        Control::Activation,
        Control::Regularization,
        Control::RegularizationRate,
        Control::Problem,
        Control::Dataset,
        Control::TrainRatio,
        Control::Noise,
        Control::BatchSize,
        Control::Layers,
        Control::Text,
    ];
}

crate::stable_keys!(Control {
    ShowTestData => "showtest",
    Discretize => "discretize",
    Play => "play",
    Step => "step",
    Reset => "reset",
    LearningRate => "lr",
    Activation => "activation",
    Regularization => "reg",
    RegularizationRate => "regrate",
    Problem => "problem",
    Dataset => "data",
    TrainRatio => "ratio",
    Noise => "noise",
    BatchSize => "batch",
    Layers => "layers",
    Text => "text",
});

/// The controls (and input features) hidden from a demo.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hidden {
    /// Hidden controls, sorted, without repeats.
    pub controls: Vec<Control>,
    /// Input features whose tiles are hidden (they keep their on/off state).
    pub features: crate::features::FeatureSet,
}

impl Default for Hidden {
    fn default() -> Self {
        Self::none()
    }
}

impl Hidden {
    /// Nothing hidden.
    pub fn none() -> Self {
        Self {
            controls: Vec::new(),
            features: crate::features::FeatureSet::EMPTY,
        }
    }

    /// Whether `control` is hidden.
    pub fn hides(&self, control: Control) -> bool {
        self.controls.contains(&control)
    }

    /// Hides `control` (keeps the list sorted and free of repeats).
    pub fn hide(&mut self, control: Control) {
        if let Err(at) = self.controls.binary_search(&control) {
            self.controls.insert(at, control);
        }
    }
}

/// One point of the loss history.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct HistoryPoint {
    /// Epochs completed.
    pub epoch: u32,
    /// Training loss.
    pub train_loss: f32,
    /// Test loss.
    pub test_loss: f32,
    /// Training accuracy (classification only).
    pub train_accuracy: Option<f32>,
    /// Test accuracy (classification only).
    pub test_accuracy: Option<f32>,
}

/// Trained weights and what continuing from them needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Checkpoint {
    /// Epochs completed.
    pub epoch: u64,
    /// Weights and biases per layer, output last.
    pub layers: Vec<LayerWeights>,
    /// The tail of the loss history (at most [`crate::limits::MAX_HISTORY_IN_LINK`] points).
    pub history: Vec<HistoryPoint>,
}

/// The whole playground state.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct PlaygroundState {
    /// The experiment (data, features, network, training, seed).
    pub config: ExperimentConfig,
    /// View toggles and pace.
    pub view: ViewSettings,
    /// Controls hidden from the learner.
    pub hidden: Hidden,
    /// Trained weights to start from, if any.
    pub checkpoint: Option<Checkpoint>,
}

/// At most `max` points of `history`, evenly spread, always keeping the newest.
pub fn history_tail(history: &[HistoryPoint], max: usize) -> Vec<HistoryPoint> {
    if max == 0 {
        return Vec::new();
    }
    if history.len() <= max {
        return history.to_vec();
    }
    let stride = history.len().div_ceil(max);
    let mut out: Vec<HistoryPoint> = history.iter().step_by(stride).copied().collect();
    out.truncate(max.saturating_sub(1));
    if let Some(&last) = history.last() {
        out.push(last);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(epoch: u32) -> HistoryPoint {
        HistoryPoint {
            epoch,
            train_loss: 1.0,
            test_loss: 1.0,
            train_accuracy: None,
            test_accuracy: None,
        }
    }

    #[test]
    fn history_tail_keeps_the_newest_and_the_limit() {
        let history: Vec<HistoryPoint> = (0..1000).map(point).collect();
        let tail = history_tail(&history, 100);
        assert!(tail.len() <= 100);
        assert_eq!(tail.first().map(|p| p.epoch), Some(0));
        assert_eq!(tail.last().map(|p| p.epoch), Some(999));
        assert_eq!(history_tail(&history[..10], 100).len(), 10);
        assert!(history_tail(&history, 0).is_empty());
    }

    #[test]
    fn speed_and_control_keys_round_trip() {
        for s in Speed::ALL {
            assert_eq!(Speed::from_key(&s.key()), Some(s));
        }
        for c in Control::ALL {
            assert_eq!(Control::from_key(c.key()), Some(c));
        }
        let mut hidden = Hidden::none();
        hidden.hide(Control::Noise);
        hidden.hide(Control::Play);
        hidden.hide(Control::Noise);
        assert_eq!(hidden.controls, vec![Control::Play, Control::Noise]);
    }
}
