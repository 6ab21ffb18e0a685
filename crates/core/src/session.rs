//! A training session: model, optimiser and data on one device, stepped by the caller.

use burn::module::Module;
use burn::optim::{GradientsParams, ModuleOptimizer};
use burn::tensor::{Device, Int, Tensor, TensorData};

use crate::data::{Dataset, Point};
use crate::experiment::{ConfigError, Experiment, check_training};
use crate::grid::grid_inputs;
use crate::limits::MAX_GRID_SIZE;
use crate::loss::{accuracy, data_loss, penalty, prediction};
use crate::model::{LayerWeights, Mlp, misfit};
use crate::observation::{Metrics, Snapshot};
use crate::optimizer::build_optimizer;
use crate::problem::Problem;
use crate::readback::{GridLayout, Layout, PendingObservation, PendingWeights};
pub use crate::run::SessionError;
use crate::run::error::backend_name;
use crate::run::{RunClock, Steps};
use crate::schedule::Draws;
use crate::training::TrainingConfig;

/// Input and target matrices of a point set.
#[derive(Clone)]
struct Tensors {
    x: Tensor<2>,
    y: Tensor<2>,
}

impl Tensors {
    fn new(points: &[Point], experiment: &Experiment, device: &Device) -> Self {
        let (x, y) = experiment.matrices(points);
        let n = points.len();
        let features = experiment.config().features.len();
        let outputs = experiment.problem().outputs();
        Self {
            x: Tensor::from_data(TensorData::new(x, [n, features]), device),
            y: Tensor::from_data(TensorData::new(y, [n, outputs]), device),
        }
    }

    fn rows(&self) -> usize {
        self.x.dims()[0]
    }
}

/// Trains one experiment on one device. Deterministic from the experiment's seed.
pub struct Session {
    experiment: Experiment,
    training: TrainingConfig,
    problem: Problem,
    dataset: Dataset,
    device: Device,
    autodiff: Device,
    model: Mlp,
    optimizer: ModuleOptimizer,
    train_ad: Tensors,
    train: Tensors,
    test: Tensors,
    clock: RunClock,
    /// This epoch's shuffled training set, with its epoch.
    shuffled: Option<(u64, Tensors)>,
    grid: Option<(usize, Tensor<2>)>,
}

impl Session {
    /// A fresh session with seeded initial weights.
    pub fn new(experiment: Experiment, device: Device) -> Self {
        let autodiff = device.clone().autodiff();
        let model = Mlp::new(&experiment, &autodiff);
        Self::with_model(experiment, device, autodiff, model, 0)
    }

    /// A session that continues from saved weights (one entry per layer, output last).
    pub fn resume(
        experiment: Experiment,
        device: Device,
        weights: &[LayerWeights],
        epoch: u64,
    ) -> Result<Self, SessionError> {
        if let Some(reason) = misfit(&experiment, weights) {
            return Err(SessionError::Weights(reason));
        }
        let autodiff = device.clone().autodiff();
        let model = Mlp::from_weights(&experiment, weights, &autodiff);
        Ok(Self::with_model(experiment, device, autodiff, model, epoch))
    }

    fn with_model(
        experiment: Experiment,
        device: Device,
        autodiff: Device,
        model: Mlp,
        epoch: u64,
    ) -> Self {
        let seed = experiment.config().seed;
        let dataset = experiment.dataset();
        let training = experiment.config().training;
        Self {
            problem: experiment.problem(),
            train_ad: Tensors::new(&dataset.train, &experiment, &autodiff),
            train: Tensors::new(&dataset.train, &experiment, &device),
            test: Tensors::new(&dataset.test, &experiment, &device),
            clock: RunClock::new(seed, epoch),
            shuffled: None,
            optimizer: build_optimizer(training.optimizer),
            training,
            dataset,
            experiment,
            device,
            autodiff,
            model,
            grid: None,
        }
    }

    /// The experiment being trained.
    pub fn experiment(&self) -> &Experiment {
        &self.experiment
    }

    /// The generated points (for drawing).
    pub fn dataset(&self) -> &Dataset {
        &self.dataset
    }

    /// The device training runs on.
    pub fn device(&self) -> &Device {
        &self.device
    }

    /// The training settings in force.
    pub fn training(&self) -> &TrainingConfig {
        &self.training
    }

    /// Changes training settings live, keeping the weights. A new optimiser kind starts with
    /// empty optimiser state; a new batch size takes effect at the next epoch.
    pub fn set_training(&mut self, training: TrainingConfig) -> Result<(), ConfigError> {
        check_training(&training, self.problem, self.train.rows())?;
        if training.optimizer != self.training.optimizer {
            self.optimizer = build_optimizer(training.optimizer);
        }
        self.training = training;
        Ok(())
    }

    fn batch_rows(&self) -> usize {
        self.training.batch_size.resolve(self.train.rows())
    }

    fn step_once(&mut self) {
        let rows = self.train_ad.rows();
        let span = self.clock.next_span(rows, self.batch_rows());
        let (x, y) = if span.len >= rows {
            (self.train_ad.x.clone(), self.train_ad.y.clone())
        } else {
            let shuffled = match &self.shuffled {
                Some((epoch, t)) if *epoch == span.epoch => t.clone(),
                _ => {
                    let t = self.shuffled_train(span.epoch);
                    self.shuffled = Some((span.epoch, t.clone()));
                    t
                }
            };
            (
                shuffled.x.narrow(0, span.start, span.len),
                shuffled.y.narrow(0, span.start, span.len),
            )
        };
        let masks = self.dropout_masks(len_of(&x));
        self.optimize(x, y, &masks);
    }

    fn shuffled_train(&self, epoch: u64) -> Tensors {
        let rows = self.train_ad.rows();
        let order: Vec<i64> = Draws::new(self.experiment.config().seed, epoch)
            .epoch_order(rows, epoch)
            .into_iter()
            .map(|i| i as i64)
            .collect();
        let index = Tensor::<1, Int>::from_data(TensorData::new(order, [rows]), &self.autodiff);
        Tensors {
            x: self.train_ad.x.clone().select(0, index.clone()),
            y: self.train_ad.y.clone().select(0, index),
        }
    }

    /// Seeded dropout masks for a batch of `rows` (scaled by 1/(1-p), inverted dropout).
    fn dropout_masks(&mut self, rows: usize) -> Vec<Option<Tensor<2>>> {
        let specs: Vec<(f32, usize)> = self
            .model
            .hidden()
            .iter()
            .map(|l| (l.dropout(), l.neurons()))
            .collect();
        specs
            .into_iter()
            .map(|(p, neurons)| {
                (p > 0.0).then(|| {
                    let mask = self.clock.draws().dropout_mask(p, rows, neurons);
                    Tensor::from_data(TensorData::new(mask, [rows, neurons]), &self.autodiff)
                })
            })
            .collect()
    }

    fn optimize(&mut self, x: Tensor<2>, y: Tensor<2>, masks: &[Option<Tensor<2>>]) {
        let training = self.training;
        let logits = self.model.forward_train(x, masks);
        let mut loss = data_loss(training.loss, self.problem, logits, y);
        if let Some(p) = penalty(
            &self.model,
            training.regularization,
            training.regularization_rate,
        ) {
            loss = loss + p;
        }
        let grads = GradientsParams::from_grads(loss.backward(), &self.model);
        self.model = self
            .optimizer
            .step(training.learning_rate, self.model.clone(), grads);
    }

    /// Queues the evaluation of metrics, and of a snapshot on an `n × n` grid if `grid` is
    /// given, as one device-side computation. Read it with [`PendingObservation::read`]; the
    /// session stays free to train meanwhile.
    pub fn observe(&mut self, grid: Option<usize>) -> Result<PendingObservation, SessionError> {
        if let Some(n) = grid
            && !(1..=MAX_GRID_SIZE).contains(&n)
        {
            return Err(SessionError::GridSize(n));
        }
        let model = self.model.valid();
        let mut parts = vec![self.metrics_tensor(&model)];
        let mut layout = Layout {
            epoch: self.clock.epoch(),
            classification: self.problem.is_classification(),
            grid: None,
        };
        if let Some(n) = grid {
            let inputs = self.grid_tensor(n);
            let (hidden, logits) = model.forward_trace(inputs);
            let hidden_widths = hidden.iter().map(|h| h.dims()[1]).collect();
            for h in hidden {
                parts.push(flat(h.transpose()));
            }
            parts.push(flat(prediction(self.problem, logits).transpose()));
            let (weights, shapes) = weight_parts(&model);
            parts.extend(weights);
            layout.grid = Some(GridLayout {
                n,
                hidden_widths,
                outputs: self.problem.outputs(),
                shapes,
            });
        }
        Ok(PendingObservation {
            values: Tensor::cat(parts, 0),
            layout,
            backend: backend_name(&self.device),
        })
    }

    fn metrics_tensor(&self, model: &Mlp) -> Tensor<1> {
        let problem = self.problem;
        let mut parts = Vec::with_capacity(4);
        let mut accuracies = Vec::with_capacity(2);
        for set in [&self.train, &self.test] {
            let logits = model.forward(set.x.clone());
            parts.push(data_loss(
                self.training.loss,
                problem,
                logits.clone(),
                set.y.clone(),
            ));
            accuracies.push(accuracy(
                problem,
                prediction(problem, logits),
                set.y.clone(),
            ));
        }
        parts.extend(accuracies);
        Tensor::cat(parts, 0)
    }

    fn grid_tensor(&mut self, n: usize) -> Tensor<2> {
        match &self.grid {
            Some((size, t)) if *size == n => t.clone(),
            _ => {
                let features = self.experiment.config().features;
                let t = Tensor::from_data(
                    TensorData::new(grid_inputs(features, n), [n * n, features.len()]),
                    &self.device,
                );
                self.grid = Some((n, t.clone()));
                t
            }
        }
    }

    /// Queues a read of every weight and bias (one small transfer).
    pub fn queue_weights(&self) -> PendingWeights {
        let (parts, shapes) = weight_parts(&self.model.valid());
        PendingWeights {
            values: Tensor::cat(parts, 0),
            shapes,
            epoch: self.clock.epoch(),
            backend: backend_name(&self.device),
        }
    }

    /// Metrics now (awaits the device).
    pub async fn metrics(&mut self) -> Result<Metrics, SessionError> {
        Ok(self.observe(None)?.read().await?.metrics)
    }

    /// A snapshot on an `n × n` grid now (awaits the device).
    pub async fn snapshot(&mut self, n: usize) -> Result<Snapshot, SessionError> {
        let observation = self.observe(Some(n))?.read().await?;
        observation.snapshot.ok_or(SessionError::GridSize(n))
    }
}

fn len_of(t: &Tensor<2>) -> usize {
    t.dims()[0]
}

/// Every layer's weights then biases as flat tensors, and the `(inputs, outputs)` shapes.
fn weight_parts(model: &Mlp) -> (Vec<Tensor<1>>, Vec<(usize, usize)>) {
    let mut parts = Vec::new();
    let mut shapes = Vec::new();
    for layer in model.layers() {
        let [inputs, outputs] = layer.weight().dims();
        shapes.push((inputs, outputs));
        parts.push(flat(layer.weight()));
        if let Some(b) = layer.bias() {
            parts.push(b);
        }
    }
    (parts, shapes)
}

fn flat(t: Tensor<2>) -> Tensor<1> {
    let [a, b] = t.dims();
    t.reshape([a * b])
}

impl Steps for Session {
    fn clock(&self) -> &RunClock {
        &self.clock
    }

    fn epoch_shape(&self) -> (usize, usize) {
        (self.train.rows(), self.batch_rows())
    }

    fn step(&mut self) {
        self.step_once();
    }
}
