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
/// Fewest points of a user's own data set (drawn or imported): a handful of clicks, enough
/// for a training and a test point of each of two classes.
pub const MIN_CUSTOM_POINTS: usize = 10;
/// Most points of a user's own data set: the generators' limit, and what a share link carries
/// in about 12 000 characters.
pub const MAX_CUSTOM_POINTS: usize = MAX_DATA_SIZE;
/// Steps per unit of a user's own points: coordinates and regression values are kept at
/// 1/1000 (links carry them as whole numbers of these steps, so a link reproduces them exactly).
pub const POINT_STEPS_PER_UNIT: f32 = 1000.0;
/// Most bytes of CSV text accepted for import (a full data set is ~60 kB).
pub const MAX_CSV_BYTES: usize = 1 << 20;
/// Most unreadable CSV rows listed one by one (the rest are counted).
pub const MAX_CSV_ROW_ERRORS_LISTED: usize = 50;
/// Half-width of the square imported data is scaled into when it does not fit the plane: a
/// margin inside `DOMAIN` keeps points off the heat-map's edge.
pub const CSV_SCALED_HALF_WIDTH: f32 = 5.0;
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
/// Longest share link accepted or produced, in characters after the `#`. Far below what
/// browsers take (Chrome: 2 MB), and what chat and mail clients pass on unbroken.
pub const MAX_LINK_CHARS: usize = 32_000;
/// Most loss-history points a link with weights carries.
pub const MAX_HISTORY_IN_LINK: usize = 100;
/// Largest decompressed points payload accepted from a link (a full data set is ~10 kB).
pub const MAX_POINTS_BYTES: usize = 1 << 16;
/// Largest decompressed weights payload accepted from a link (guards against deflate bombs).
pub const MAX_WEIGHTS_BYTES: usize = 1 << 20;
