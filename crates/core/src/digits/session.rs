//! The convolution lab's session: the CNN and the dense network trained side by side on the
//! same seeded batches, observed in one read-back per frame.

use burn::module::Module;
use burn::optim::{GradientsParams, ModuleOptimizer};
use burn::tensor::activation::softmax;
use burn::tensor::{Device, Int, Tensor, TensorData};
use serde::{Deserialize, Serialize};

use super::config::{DigitsConfigError, DigitsExperiment, check_learning_rate};
use super::data::Digits;
use super::limits::{CLASSES, MAX_PIXEL, PIXELS, SIDE, TRAIN_SAMPLE};
use super::model::{Cnn, DenseNet, accuracy, cross_entropy};
use super::observation::{DigitsObservation, DigitsRequest, Probe};
use super::readback::{Layout, PendingDigitsObservation, ProbeLayout};
use crate::optimizer::build_optimizer;
use crate::run::SessionError;
use crate::run::error::backend_name;
use crate::run::{Params, PendingParams, load_params, queue_params, seeded_init};
use crate::run::{RunClock, Steps};
use crate::schedule::Draws;

/// Seed stream of the dense network's initial weights (the CNN uses the seed itself).
const DENSE_INIT_STREAM: u64 = 0xDE75_E000;
/// Seed streams of each model's dropout masks, so one model's settings never shift the other's.
const CNN_DROPOUT_STREAM: u64 = 0xC441_D209;
const DENSE_DROPOUT_STREAM: u64 = 0xDE75_D209;

/// Images as network inputs `[n, 1, 8, 8]` (pixels / 16) and one-hot targets `[n, 10]`.
#[derive(Clone)]
struct Images {
    x: Tensor<4>,
    y: Tensor<2>,
}

impl Images {
    fn new(digits: &Digits, indices: &[usize], device: &Device) -> Self {
        let (x, labels) = digits.inputs(indices);
        let n = labels.len();
        let y = labels
            .iter()
            .flat_map(|&l| (0..CLASSES).map(move |c| if c == usize::from(l) { 1.0 } else { 0.0 }))
            .collect::<Vec<f32>>();
        Self {
            x: Tensor::from_data(TensorData::new(x, [n, 1, SIDE, SIDE]), device),
            y: Tensor::from_data(TensorData::new(y, [n, CLASSES]), device),
        }
    }

    fn rows(&self) -> usize {
        self.x.dims()[0]
    }
}

/// Both models' parameters at an epoch: what a share link carries to resume a run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DigitsCheckpoint {
    /// Epochs completed.
    pub epoch: u64,
    /// The CNN's parameters.
    pub cnn: Params,
    /// The dense network's parameters.
    pub dense: Params,
}

/// Both models' parameters queued on the device.
pub struct PendingCheckpoint {
    epoch: u64,
    cnn: PendingParams,
    dense: PendingParams,
}

impl PendingCheckpoint {
    /// Reads the parameters back without blocking.
    pub async fn read(self) -> Result<DigitsCheckpoint, SessionError> {
        Ok(DigitsCheckpoint {
            epoch: self.epoch,
            cnn: self.cnn.read().await?,
            dense: self.dense.read().await?,
        })
    }
}

/// Trains the CNN and the dense network of one experiment on one device. Deterministic from
/// the experiment's seed.
pub struct DigitsSession {
    experiment: DigitsExperiment,
    device: Device,
    autodiff: Device,
    cnn: Cnn,
    dense: DenseNet,
    cnn_optimizer: ModuleOptimizer,
    dense_optimizer: ModuleOptimizer,
    learning_rate: f64,
    train_ad: Images,
    /// A fixed sample of the training images, evaluated like the test set.
    train_sample: Images,
    test: Images,
    test_labels: Vec<u8>,
    test_pixels: Vec<f32>,
    clock: RunClock,
    cnn_draws: Draws,
    dense_draws: Draws,
    batch: Vec<usize>,
    /// The latest evaluation, queued on the device.
    evaluation: Option<Evaluation>,
    /// Steps taken when the previous observation was queued.
    observed_at: Option<u64>,
}

/// Both models evaluated at one point of the run: `[cnn train-sample loss, test loss,
/// train-sample accuracy, test accuracy, the same for the dense net, cnn test predictions,
/// dense test predictions]`.
#[derive(Clone)]
struct Evaluation {
    epoch: u64,
    steps: u64,
    values: Tensor<1>,
}

impl DigitsSession {
    /// A fresh session with seeded initial weights.
    pub fn new(experiment: DigitsExperiment, device: Device) -> Self {
        let autodiff = device.clone().autodiff();
        let (cnn, dense) = initial_models(&experiment, &autodiff);
        Self::with_models(experiment, device, autodiff, cnn, dense, 0)
    }

    /// A session that continues from a checkpoint (its epoch and both models' parameters).
    /// Optimiser state (Adam's moments) starts afresh.
    pub fn resume(
        experiment: DigitsExperiment,
        device: Device,
        checkpoint: &DigitsCheckpoint,
    ) -> Result<Self, SessionError> {
        let autodiff = device.clone().autodiff();
        let (cnn, dense) = initial_models(&experiment, &autodiff);
        let cnn = load_params(cnn, &checkpoint.cnn)?;
        let dense = load_params(dense, &checkpoint.dense)?;
        Ok(Self::with_models(
            experiment,
            device,
            autodiff,
            cnn,
            dense,
            checkpoint.epoch,
        ))
    }

    fn with_models(
        experiment: DigitsExperiment,
        device: Device,
        autodiff: Device,
        cnn: Cnn,
        dense: DenseNet,
        epoch: u64,
    ) -> Self {
        let config = experiment.config();
        let seed = config.seed;
        let digits = Digits::get();
        let split = experiment.split();
        let (test_pixels, test_labels) = digits.inputs(&split.test);
        Self {
            cnn_optimizer: build_optimizer(config.training.optimizer),
            dense_optimizer: build_optimizer(config.training.optimizer),
            learning_rate: config.training.learning_rate,
            train_ad: Images::new(digits, &split.train, &autodiff),
            train_sample: Images::new(digits, &train_sample(&split.train), &device),
            test: Images::new(digits, &split.test, &device),
            test_labels,
            test_pixels: test_pixels.iter().map(|p| p * MAX_PIXEL).collect(),
            clock: RunClock::new(seed, epoch),
            cnn_draws: Draws::new(seed ^ CNN_DROPOUT_STREAM, epoch),
            dense_draws: Draws::new(seed ^ DENSE_DROPOUT_STREAM, epoch),
            batch: Vec::new(),
            evaluation: None,
            observed_at: None,
            experiment,
            device,
            autodiff,
            cnn,
            dense,
        }
    }

    /// The experiment being trained.
    pub fn experiment(&self) -> &DigitsExperiment {
        &self.experiment
    }

    /// The device training runs on.
    pub fn device(&self) -> &Device {
        &self.device
    }

    /// Images in the training set.
    pub fn train_len(&self) -> usize {
        self.train_ad.rows()
    }

    /// Images in the test set.
    pub fn test_len(&self) -> usize {
        self.test_labels.len()
    }

    fn batch_size(&self) -> usize {
        self.experiment.config().training.batch_size.max(1)
    }

    /// The learning rate in force.
    pub fn learning_rate(&self) -> f64 {
        self.learning_rate
    }

    /// Changes the learning rate of both models live (from the next step).
    pub fn set_learning_rate(&mut self, rate: f64) -> Result<(), DigitsConfigError> {
        check_learning_rate(rate)?;
        self.learning_rate = rate;
        Ok(())
    }

    /// Trainable parameters of the CNN and of the dense network.
    pub fn parameter_counts(&self) -> (usize, usize) {
        (self.cnn.num_params(), self.dense.num_params())
    }

    fn step_once(&mut self) {
        let (rows, batch) = (self.train_len(), self.batch_size());
        let epoch = self.clock.epoch();
        self.clock.next_batch(rows, batch, &mut self.batch);
        let len = self.batch.len();
        let order: Vec<i64> = self.batch.iter().map(|&i| i as i64).collect();
        let index = Tensor::<1, Int>::from_data(TensorData::new(order, [len]), &self.autodiff);
        let x = self.train_ad.x.clone().select(0, index.clone());
        let y = self.train_ad.y.clone().select(0, index);

        let mask = dropout_mask(
            &mut self.cnn_draws,
            self.cnn.dropout(),
            len,
            self.cnn.classifier_inputs(),
            &self.autodiff,
        );
        let loss = cross_entropy(self.cnn.forward_trace(x.clone(), mask).1, y.clone());
        let grads = GradientsParams::from_grads(loss.backward(), &self.cnn);
        self.cnn = self
            .cnn_optimizer
            .step(self.learning_rate, self.cnn.clone(), grads);

        let mask = dropout_mask(
            &mut self.dense_draws,
            self.dense.dropout(),
            len,
            self.dense.classifier_inputs(),
            &self.autodiff,
        );
        let loss = cross_entropy(self.dense.forward_masked(x.reshape([len, PIXELS]), mask), y);
        let grads = GradientsParams::from_grads(loss.backward(), &self.dense);
        self.dense = self
            .dense_optimizer
            .step(self.learning_rate, self.dense.clone(), grads);
        if self.clock.epoch() != epoch {
            self.evaluation = Some(self.evaluate());
        }
    }

    /// Queues everything a frame draws as one device-side tensor; read it with
    /// [`PendingDigitsObservation::read`]. The session stays free to train meanwhile.
    ///
    /// Metrics, confusion matrices and mistakes come from the latest evaluation: one runs at
    /// the end of every epoch, and here when there is none yet or when no step was taken since
    /// the previous observation (training paused) and the weights changed since.
    pub fn queue_observation(&mut self, request: &DigitsRequest) -> PendingDigitsObservation {
        let paused = self.observed_at == Some(self.clock.steps());
        self.observed_at = Some(self.clock.steps());
        let evaluation = match &self.evaluation {
            Some(e) if e.steps == self.clock.steps() || !paused => e.clone(),
            _ => {
                let e = self.evaluate();
                self.evaluation = Some(e.clone());
                e
            }
        };
        let config = self.experiment.config();
        let cnn = self.cnn.valid();
        let mut parts = vec![evaluation.values];
        let filter_shapes = if request.filters {
            parts.extend(cnn.filters().into_iter().map(flat));
            config.cnn.filter_shapes()
        } else {
            Vec::new()
        };
        let probe = request.probe.as_ref().and_then(|p| self.probe_input(p));
        let probe_layout = probe.map(|(pixels, label)| {
            let x = pixels.iter().map(|p| p / MAX_PIXEL).collect::<Vec<f32>>();
            let x = Tensor::<4>::from_data(TensorData::new(x, [1, 1, SIDE, SIDE]), &self.device);
            let (maps, logits) = cnn.forward_trace(x.clone(), None);
            parts.extend(maps.into_iter().map(flat));
            parts.push(flat(softmax(logits, 1)));
            let dense_logits = self.dense.valid().forward(x.reshape([1, PIXELS]));
            parts.push(flat(softmax(dense_logits, 1)));
            ProbeLayout {
                pixels,
                label,
                map_shapes: config.cnn.map_shapes(),
            }
        });
        let (cnn_parameters, dense_parameters) = self.parameter_counts();
        PendingDigitsObservation {
            values: Tensor::cat(parts, 0),
            layout: Layout {
                epoch: self.epoch(),
                steps: self.clock.steps(),
                evaluated_epoch: evaluation.epoch,
                evaluated_steps: evaluation.steps,
                parameters: [cnn_parameters, dense_parameters],
                test_labels: self.test_labels.clone(),
                filter_shapes,
                probe: probe_layout,
            },
            backend: backend_name(&self.device),
        }
    }

    /// Everything a frame draws, now (awaits the device; one transfer).
    pub async fn observe(
        &mut self,
        request: &DigitsRequest,
    ) -> Result<DigitsObservation, SessionError> {
        self.queue_observation(request).read().await
    }

    /// The probed image's 64 pixel values (0 to 16) and its label, if it exists.
    fn probe_input(&self, probe: &Probe) -> Option<(Vec<f32>, Option<u8>)> {
        match probe {
            Probe::Test(index) => {
                let i = usize::try_from(*index).ok()?;
                let pixels = self.test_pixels.get(i * PIXELS..(i + 1) * PIXELS)?;
                Some((pixels.to_vec(), self.test_labels.get(i).copied()))
            }
            Probe::Drawn(digit) => Some((digit.pixels().to_vec(), None)),
        }
    }

    /// Evaluates both models on the training sample and the test set (queued on the device).
    fn evaluate(&self) -> Evaluation {
        let cnn = self.cnn.valid();
        let dense = self.dense.valid();
        let pixels = |set: &Images| {
            let n = set.rows();
            set.x.clone().reshape([n, PIXELS])
        };
        let (sample, test) = (&self.train_sample, &self.test);
        let logits = [
            [cnn.forward(sample.x.clone()), cnn.forward(test.x.clone())],
            [dense.forward(pixels(sample)), dense.forward(pixels(test))],
        ];
        let mut parts = Vec::new();
        let mut predictions = Vec::new();
        for [train, test] in logits {
            parts.push(cross_entropy(train.clone(), sample.y.clone()));
            parts.push(cross_entropy(test.clone(), self.test.y.clone()));
            parts.push(accuracy(train, sample.y.clone()));
            parts.push(accuracy(test.clone(), self.test.y.clone()));
            let n = test.dims()[0];
            predictions.push(test.argmax(1).float().reshape([n]));
        }
        parts.extend(predictions);
        Evaluation {
            epoch: self.epoch(),
            steps: self.clock.steps(),
            values: Tensor::cat(parts, 0),
        }
    }

    /// Queues both models' parameters for one read (a checkpoint for share links).
    pub fn checkpoint(&self) -> PendingCheckpoint {
        PendingCheckpoint {
            epoch: self.epoch(),
            cnn: queue_params(&self.cnn),
            dense: queue_params(&self.dense),
        }
    }
}

/// An evenly spread, fixed sample of the training images (all of them if there are fewer).
fn train_sample(train: &[usize]) -> Vec<usize> {
    let n = train.len().min(TRAIN_SAMPLE);
    (0..n).map(|i| train[i * train.len() / n]).collect()
}

/// Both models built burn's way, then given seeded initial weights.
fn initial_models(experiment: &DigitsExperiment, device: &Device) -> (Cnn, DenseNet) {
    let config = experiment.config();
    let cnn = seeded_init(config.cnn.init(device), config.seed);
    let dense = seeded_init(config.dense.init(device), config.seed ^ DENSE_INIT_STREAM);
    (cnn, dense)
}

/// A seeded inverted-dropout mask `[rows, width]`, or none when `p` is 0.
fn dropout_mask(
    draws: &mut Draws,
    p: f32,
    rows: usize,
    width: usize,
    device: &Device,
) -> Option<Tensor<2>> {
    (p > 0.0).then(|| {
        let values = draws.dropout_mask(p, rows, width);
        Tensor::from_data(TensorData::new(values, [rows, width]), device)
    })
}

fn flat<const D: usize>(t: Tensor<D>) -> Tensor<1> {
    let n: usize = t.dims().iter().product();
    t.reshape([n])
}

impl Steps for DigitsSession {
    fn clock(&self) -> &RunClock {
        &self.clock
    }

    fn epoch_shape(&self) -> (usize, usize) {
        (self.train_len(), self.batch_size())
    }

    fn step(&mut self) {
        self.step_once();
    }
}
