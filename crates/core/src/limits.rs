//! Limits and defaults shared by validation, the UI and the URL codec.

/// The input plane is `[-DOMAIN, DOMAIN]²`.
pub const DOMAIN: f32 = 6.0;
/// Most hidden layers a network may have.
pub const MAX_HIDDEN_LAYERS: usize = 8;
/// Fewest neurons in a hidden layer.
pub const MIN_NEURONS: usize = 1;
/// Most neurons in a hidden layer.
pub const MAX_NEURONS: usize = 16;
/// Largest dropout probability a layer may use.
pub const MAX_DROPOUT: f32 = 0.9;
/// Fewest points a data set may have.
pub const MIN_DATA_SIZE: usize = 50;
/// Most points a data set may have.
pub const MAX_DATA_SIZE: usize = 2000;
/// Most noise, in percent.
pub const MAX_NOISE_PERCENT: u32 = 50;
/// Smallest share of points used for training, in percent.
pub const MIN_TRAIN_PERCENT: u32 = 10;
/// Largest share of points used for training, in percent.
pub const MAX_TRAIN_PERCENT: u32 = 90;
/// Fewest classes of a multi-class data set.
pub const MIN_CLASSES: usize = 3;
/// Most classes of a multi-class data set.
pub const MAX_CLASSES: usize = 5;
/// Largest learning rate accepted.
pub const MAX_LEARNING_RATE: f64 = 10.0;
/// Largest L1/L2 regularisation rate accepted.
pub const MAX_REGULARIZATION_RATE: f64 = 10.0;
/// Learning-rate presets offered by the UI (TensorFlow Playground's list).
pub const LEARNING_RATE_PRESETS: [f64; 12] = [
    0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 5.0, 10.0,
];
/// Side of the snapshot grid (neuron heat-maps and decision surface): TensorFlow Playground's
/// density, cheap enough to evaluate every frame on the CPU.
pub const GRID_SIZE: usize = 100;
/// Largest snapshot grid side accepted.
pub const MAX_GRID_SIZE: usize = 200;
