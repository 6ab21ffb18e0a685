//! Limits and defaults of the convolution lab, shared by validation, the UI and links.

/// Side of a digit image in pixels.
pub const SIDE: usize = 8;
/// Pixels in a digit image.
pub const PIXELS: usize = SIDE * SIDE;
/// Largest pixel value: the number of "on" pixels in a 4 × 4 block of the 32 × 32 bitmap.
pub const MAX_PIXEL: f32 = 16.0;
/// Digit classes, 0 to 9.
pub const CLASSES: usize = 10;

/// Smallest share of the images held out for testing, in percent.
pub const MIN_TEST_PERCENT: u32 = 10;
/// Largest share of the images held out for testing, in percent.
pub const MAX_TEST_PERCENT: u32 = 40;
/// Default test share, in percent.
pub const DEFAULT_TEST_PERCENT: u32 = 20;

/// Fewest convolution layers.
pub const MIN_CONV_LAYERS: usize = 1;
/// Most convolution layers: with 2 × 2 pooling after each, 8 → 4 → 2 → 1 pixels.
pub const MAX_CONV_LAYERS: usize = 3;
/// Fewest filters in a convolution layer.
pub const MIN_FILTERS: usize = 4;
/// Most filters in a convolution layer.
pub const MAX_FILTERS: usize = 32;

/// Fewest hidden layers of the dense network.
pub const MIN_DENSE_LAYERS: usize = 1;
/// Most hidden layers of the dense network.
pub const MAX_DENSE_LAYERS: usize = 2;
/// Fewest neurons in a dense hidden layer.
pub const MIN_DENSE_WIDTH: usize = 8;
/// Most neurons in a dense hidden layer.
pub const MAX_DENSE_WIDTH: usize = 128;

/// Largest dropout probability before a classifier.
pub const MAX_DROPOUT: f32 = 0.8;
/// Largest learning rate accepted.
pub const MAX_LEARNING_RATE: f64 = crate::run::MAX_LAB_LEARNING_RATE;
/// Fewest images per optimiser step.
pub const MIN_BATCH_SIZE: usize = 1;
/// Most images per optimiser step.
pub const MAX_BATCH_SIZE: usize = 512;
/// Learning-rate presets offered by the UI.
pub const LEARNING_RATE_PRESETS: [f64; 7] = [0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3];

/// Training images evaluated for the train loss and accuracy: a fixed sample the size of the
/// default test set, because evaluating all of them (four times the test set) at every epoch
/// would cost about as much as the epoch's training.
pub const TRAIN_SAMPLE: usize = 360;

/// Most misclassified test images an observation lists.
pub const MAX_MISTAKES: usize = 32;

/// Side of the bitmap a drawing is normalised to before counting blocks (as NIST did).
pub const NORMALISED_SIDE: usize = 32;
/// Side of the blocks whose on-pixels make one digit pixel.
pub const BLOCK: usize = NORMALISED_SIDE / SIDE;
/// Ink level (0 to 1) above which a canvas pixel belongs to the stroke.
pub const INK_THRESHOLD: f32 = 0.5;
