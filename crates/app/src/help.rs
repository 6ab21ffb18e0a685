//! What each control does, in one plain sentence, and whether changing it keeps training going
//! or restarts it: shown in tooltips and next to the controls.

/// How a change to a control reaches training.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applies {
    /// At once; training continues with the same weights.
    Live,
    /// The network is rebuilt: training restarts from epoch 0.
    Restart,
    /// Only the picture changes.
    View,
}

/// One control's help.
#[derive(Debug, Clone, Copy)]
pub struct Help {
    /// What the control does.
    pub text: &'static str,
    /// How a change reaches training.
    pub applies: Applies,
}

impl Help {
    /// The tooltip: the sentence and how a change applies.
    pub fn title(self) -> String {
        let how = match self.applies {
            Applies::Live => " Applies at once: training continues.",
            Applies::Restart => " Changing it restarts training from epoch 0.",
            Applies::View => "",
        };
        format!("{}{how}", self.text)
    }
}

const fn help(text: &'static str, applies: Applies) -> Help {
    Help { text, applies }
}

pub const LEARNING_RATE: Help = help(
    "How big a step the weights take downhill on the loss each update: too small learns slowly, too big overshoots or blows up.",
    Applies::Live,
);
pub const OPTIMIZER: Help = help(
    "The rule that turns gradients into weight updates (plain SGD, with momentum, or adaptive ones such as Adam).",
    Applies::Live,
);
pub const LOSS: Help = help(
    "The number training makes small: how far the network's outputs are from the labels.",
    Applies::Live,
);
pub const ACTIVATION: Help = help(
    "The function each hidden neuron applies to its weighted sum; it lets the network bend its boundary.",
    Applies::Restart,
);
pub const REGULARIZATION: Help = help(
    "A penalty on large weights (L1 pushes weights to exactly zero, L2 keeps them all small) that fights overfitting.",
    Applies::Live,
);
pub const REGULARIZATION_RATE: Help = help(
    "How strong the weight penalty is compared with the data's loss.",
    Applies::Live,
);
pub const BATCH_SIZE: Help = help(
    "How many training points each update looks at: small batches are noisy but quick, the full set is smooth but slow.",
    Applies::Live,
);
pub const PROBLEM: Help = help(
    "Classification predicts a class for each point; regression predicts a number.",
    Applies::Restart,
);
pub const SPEED: Help = help(
    "How much training happens per screen refresh; slower paces let you watch the boundary form.",
    Applies::View,
);
pub const DATASET: Help = help(
    "The points to learn: orange and blue are the two classes (or low and high values for regression).",
    Applies::Restart,
);
pub const NOISE: Help = help(
    "How much the points are blurred or mislabelled; noisy data cannot be fitted perfectly.",
    Applies::Restart,
);
pub const TRAIN_RATIO: Help = help(
    "The share of points the network trains on; the rest are held out to test it.",
    Applies::Restart,
);
pub const DATA_SIZE: Help = help(
    "How many points there are, training and test together.",
    Applies::Restart,
);
pub const CLASSES: Help = help("How many classes the blobs data set has.", Applies::Restart);
pub const REGENERATE: Help = help(
    "Draws new points (and new starting weights) from the next seed.",
    Applies::Restart,
);
pub const FEATURE: Help = help(
    "An input the network sees for each point, computed from its position; the picture shows it over the plane (orange negative, blue positive). Click to switch it on or off.",
    Applies::Restart,
);
pub const LAYERS: Help = help(
    "Hidden layers between the inputs and the output; more layers can draw more complex boundaries.",
    Applies::Restart,
);
pub const NEURONS: Help = help(
    "Neurons in this layer; each one's picture shows its output over the plane.",
    Applies::Restart,
);
pub const DROPOUT: Help = help(
    "While training, switch off this share of the layer's neurons at random, so the network cannot rely on any single one.",
    Applies::Restart,
);
pub const SHOW_TEST: Help = help(
    "Draws the held-out test points too (with a dark ring).",
    Applies::View,
);
pub const DISCRETIZE: Help = help(
    "Draws the output as two flat colours: the class the network picks at each spot.",
    Applies::View,
);
pub const LOG_SCALE: Help = help(
    "Draws the loss on a logarithmic axis, so small late improvements stay visible.",
    Applies::View,
);
