//! [`FusedSession`]: the same training run as [`crate::Session`], on the CPU without a tensor
//! graph.

use wide::f32x4;

use super::lanes::{LANES, Lanes, lanes_for};
use super::loss::{Totals, accumulate, gradient, predict};
use super::network::{Network, Trace};
use super::optimizer::Optimizer;
use crate::data::{Dataset, Point};
use crate::experiment::{ConfigError, Experiment, check_training};
use crate::grid::grid_inputs;
use crate::limits::MAX_GRID_SIZE;
use crate::model::{LayerWeights, initial_weights, misfit};
use crate::observation::{Metrics, Observation, Snapshot};
use crate::problem::Problem;
use crate::readback::WeightsAt;
use crate::run::SessionError;
use crate::run::{RunClock, Steps};
use crate::training::{Regularization, TrainingConfig};

/// Points per block when evaluating metrics and grids: small enough that a block's
/// activations stay in the L1 cache.
pub(crate) const BLOCK_POINTS: usize = 128;

/// Inputs and targets of a point set, row-major (`count × features`, `count × outputs`).
struct PointSet {
    count: usize,
    x: Vec<f32>,
    y: Vec<f32>,
}

impl PointSet {
    fn new(points: &[Point], experiment: &Experiment) -> Self {
        let (x, y) = experiment.matrices(points);
        Self {
            count: points.len(),
            x,
            y,
        }
    }
}

/// Reused buffers: a step or an observation allocates nothing once they have grown.
#[derive(Default)]
struct Work {
    x: Vec<Lanes>,
    y: Vec<Lanes>,
    trace: Trace,
    masks: Vec<Vec<Lanes>>,
    delta: Vec<Lanes>,
    scratch: Vec<Lanes>,
    grads: Vec<f32>,
    predictions: Vec<Lanes>,
    indices: Vec<usize>,
}

/// Trains one experiment on the CPU with hand-fused loops: the same initial weights, batches,
/// dropout masks, losses and optimiser updates as [`crate::Session`] (the tests check it
/// against burn step by step), at a fraction of the cost for the playground's small networks.
pub struct FusedSession {
    experiment: Experiment,
    training: TrainingConfig,
    problem: Problem,
    dataset: Dataset,
    network: Network,
    optimizer: Optimizer,
    train: PointSet,
    test: PointSet,
    clock: RunClock,
    /// Epoch shown (equal to the cursor's, or that of weights shown from elsewhere).
    epoch: u64,
    work: Work,
    /// Grid side and its inputs, feature-major (`features × n²`).
    grid: Option<(usize, Vec<f32>)>,
}

impl FusedSession {
    /// A fresh session with seeded initial weights.
    pub fn new(experiment: Experiment) -> Self {
        let weights = initial_weights(&experiment);
        Self::with_weights(experiment, &weights, 0)
    }

    /// A session that continues from saved weights (one entry per layer, output last).
    pub fn resume(
        experiment: Experiment,
        weights: &[LayerWeights],
        epoch: u64,
    ) -> Result<Self, SessionError> {
        match misfit(&experiment, weights) {
            Some(reason) => Err(SessionError::Weights(reason)),
            None => Ok(Self::with_weights(experiment, weights, epoch)),
        }
    }

    /// A fresh session (seeded initial weights) that trains on `dataset` instead of the points
    /// the experiment generates, e.g. a subset of them for a learning curve. A batch size
    /// larger than the training set takes the whole set.
    pub fn with_dataset(experiment: Experiment, dataset: Dataset) -> Self {
        let weights = initial_weights(&experiment);
        Self::build(experiment, dataset, &weights, 0)
    }

    fn with_weights(experiment: Experiment, weights: &[LayerWeights], epoch: u64) -> Self {
        let dataset = experiment.dataset();
        Self::build(experiment, dataset, weights, epoch)
    }

    fn build(
        experiment: Experiment,
        dataset: Dataset,
        weights: &[LayerWeights],
        epoch: u64,
    ) -> Self {
        let training = experiment.config().training;
        Self {
            problem: experiment.problem(),
            network: Network::new(&experiment, weights),
            optimizer: Optimizer::new(training.optimizer),
            train: PointSet::new(&dataset.train, &experiment),
            test: PointSet::new(&dataset.test, &experiment),
            clock: RunClock::new(experiment.config().seed, epoch),
            epoch,
            work: Work::default(),
            grid: None,
            training,
            dataset,
            experiment,
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

    /// The training settings in force.
    pub fn training(&self) -> &TrainingConfig {
        &self.training
    }

    /// The current weights, output layer last.
    pub fn weights(&self) -> Vec<LayerWeights> {
        self.network.layer_weights()
    }

    /// Shows `weights` (trained elsewhere, e.g. on a GPU) at their epoch: later metrics and
    /// snapshots evaluate them. Data and settings stay.
    pub fn show_weights(&mut self, weights: &WeightsAt) -> Result<(), SessionError> {
        if let Some(reason) = misfit(&self.experiment, &weights.layers) {
            return Err(SessionError::Weights(reason));
        }
        self.network = Network::new(&self.experiment, &weights.layers);
        self.epoch = weights.epoch;
        Ok(())
    }

    /// Changes training settings live, keeping the weights. A new optimiser kind starts with
    /// empty optimiser state; a new batch size takes effect at the next step.
    pub fn set_training(&mut self, training: TrainingConfig) -> Result<(), ConfigError> {
        check_training(&training, self.problem, self.train.count)?;
        if training.optimizer != self.training.optimizer {
            self.optimizer = Optimizer::new(training.optimizer);
        }
        self.training = training;
        Ok(())
    }

    /// Indices (into the training points) of the batch the next step will train on, in the
    /// order the step takes them. Draws nothing: a clone of the cursor looks ahead.
    pub fn next_batch(&self) -> Vec<usize> {
        self.batch_after(0)
    }

    /// Indices of the batch `ahead` steps after the next one (`0`: the next, as
    /// [`Self::next_batch`]), crossing into later epochs as training would. Draws nothing.
    pub fn batch_after(&self, ahead: usize) -> Vec<usize> {
        self.clock
            .batch_after(ahead, self.train.count, self.batch_rows())
    }

    fn batch_rows(&self) -> usize {
        self.training.batch_size.resolve(self.train.count)
    }

    fn step_once(&mut self) {
        let rows = self.train.count;
        let batch = self.batch_rows();
        let mut indices = std::mem::take(&mut self.work.indices);
        self.clock.next_batch(rows, batch, &mut indices);
        let len = indices.len();
        let lanes = lanes_for(len);
        let features = self.experiment.config().features.len();
        let outputs = self.problem.outputs();
        let index = |i: usize| indices[i];
        gather(&mut self.work.x, &self.train.x, features, len, lanes, index);
        gather(&mut self.work.y, &self.train.y, outputs, len, lanes, index);
        self.work.indices = indices;
        self.draw_masks(len, lanes);
        let work = &mut self.work;
        let masks = (!work.masks.is_empty()).then_some(&work.masks[..]);
        work.trace.fit(&self.network, lanes);
        self.network.forward(&work.x, &mut work.trace, masks);
        let logits = work
            .trace
            .pre
            .last_mut()
            .map_or(&mut [][..], Vec::as_mut_slice);
        gradient(
            self.training.loss,
            self.problem,
            logits,
            &work.y,
            len,
            lanes,
            &mut work.delta,
        );
        work.grads.resize(self.network.params.len(), 0.0);
        self.network.backward(
            &work.x,
            &work.trace,
            masks,
            &mut work.delta,
            &mut work.scratch,
            &mut work.grads,
        );
        add_penalty(&self.network, &self.training, &mut work.grads);
        self.optimizer.step(
            self.training.learning_rate,
            &mut self.network.params,
            &work.grads,
        );
    }

    /// This step's dropout masks in block layout (none at all when no layer drops out).
    fn draw_masks(&mut self, rows: usize, lanes: usize) {
        let masks = &mut self.work.masks;
        masks.clear();
        let hidden = self.network.hidden();
        if hidden.iter().all(|l| l.dropout <= 0.0) {
            return;
        }
        for layer in hidden {
            let mut block = Vec::new();
            if layer.dropout > 0.0 {
                let drawn = self
                    .clock
                    .draws()
                    .dropout_mask(layer.dropout, rows, layer.outputs);
                // Row-major (point, neuron) into neuron-major blocks.
                gather(&mut block, &drawn, layer.outputs, rows, lanes, |i| i);
            }
            masks.push(block);
        }
    }

    /// Metrics, and a snapshot on an `n × n` grid if `grid` is given.
    pub fn observe(&mut self, grid: Option<usize>) -> Result<Observation, SessionError> {
        let snapshot = grid.map(|n| self.snapshot(n)).transpose()?;
        Ok(Observation {
            metrics: self.metrics(),
            snapshot,
        })
    }

    /// Losses and accuracies over the train and test sets now.
    pub fn metrics(&mut self) -> Metrics {
        let train = self.evaluate(Set::Train);
        let test = self.evaluate(Set::Test);
        let classification = self.problem.is_classification();
        Metrics {
            epoch: self.epoch,
            train_loss: train.0,
            test_loss: test.0,
            train_accuracy: classification.then_some(train.1),
            test_accuracy: classification.then_some(test.1),
        }
    }

    /// Every hidden neuron's output and the prediction over an `n × n` grid, with the weights.
    pub fn snapshot(&mut self, n: usize) -> Result<Snapshot, SessionError> {
        if !(1..=MAX_GRID_SIZE).contains(&n) {
            return Err(SessionError::GridSize(n));
        }
        Ok(self.snapshot_on(n))
    }

    /// Mean loss and accuracy over one point set.
    fn evaluate(&mut self, set: Set) -> (f32, f32) {
        let points = match set {
            Set::Train => &self.train,
            Set::Test => &self.test,
        };
        let features = self.experiment.config().features.len();
        let outputs = self.problem.outputs();
        let work = &mut self.work;
        let mut totals = Totals::default();
        for start in (0..points.count).step_by(BLOCK_POINTS) {
            let len = BLOCK_POINTS.min(points.count - start);
            let lanes = lanes_for(len);
            gather(&mut work.x, &points.x, features, len, lanes, |i| start + i);
            gather(&mut work.y, &points.y, outputs, len, lanes, |i| start + i);
            work.trace.fit(&self.network, lanes);
            self.network.forward(&work.x, &mut work.trace, None);
            work.predictions.clear();
            work.predictions.extend_from_slice(work.trace.logits());
            predict(self.problem, &mut work.predictions, lanes);
            accumulate(
                self.training.loss,
                self.problem,
                (
                    as_scalars(work.trace.logits()),
                    as_scalars(&work.predictions),
                    as_scalars(&work.y),
                ),
                len,
                lanes,
                &mut totals,
            );
        }
        totals.means()
    }

    fn snapshot_on(&mut self, n: usize) -> Snapshot {
        let features = self.experiment.config().features;
        if !matches!(&self.grid, Some((size, _)) if *size == n) {
            // Feature-major, so a block's input rows are plain slices.
            let rows = grid_inputs(features, n);
            let count = features.len();
            let mut by_feature = vec![0.0; rows.len()];
            for (cell, row) in rows.chunks_exact(count).enumerate() {
                for (f, &v) in row.iter().enumerate() {
                    by_feature[f * n * n + cell] = v;
                }
            }
            self.grid = Some((n, by_feature));
        }
        let cells = n * n;
        let hidden = self.network.hidden();
        let mut neuron_grids: Vec<Vec<f32>> = hidden
            .iter()
            .map(|l| vec![0.0; l.outputs * cells])
            .collect();
        let outputs = self.problem.outputs();
        let mut output_grid = vec![0.0; outputs * cells];
        let inputs = self.grid.as_ref().map_or(&[][..], |(_, v)| v.as_slice());
        let work = &mut self.work;
        for start in (0..cells).step_by(BLOCK_POINTS) {
            let len = BLOCK_POINTS.min(cells - start);
            let lanes = lanes_for(len);
            load_rows(&mut work.x, inputs, cells, start, len, lanes);
            work.trace.fit(&self.network, lanes);
            self.network.forward(&work.x, &mut work.trace, None);
            for (grid, out) in neuron_grids.iter_mut().zip(&work.trace.outputs) {
                store_rows(out, grid, cells, start, len, lanes);
            }
            work.predictions.clear();
            work.predictions.extend_from_slice(work.trace.logits());
            predict(self.problem, &mut work.predictions, lanes);
            store_rows(
                &work.predictions,
                &mut output_grid,
                cells,
                start,
                len,
                lanes,
            );
        }
        Snapshot {
            epoch: self.epoch,
            grid_size: n,
            layers: self.network.layer_weights(),
            neuron_grids,
            output_grid,
        }
    }
}

/// Which point set to evaluate.
#[derive(Clone, Copy)]
enum Set {
    Train,
    Test,
}

/// The block (`columns × lanes`, zero-padded) holding, for each of `len` points, row
/// `index(i)` of the row-major matrix `source` (`? × columns`).
pub(crate) fn gather(
    block: &mut Vec<Lanes>,
    source: &[f32],
    columns: usize,
    len: usize,
    lanes: usize,
    index: impl Fn(usize) -> usize,
) {
    block.clear();
    block.resize(columns * lanes, f32x4::ZERO);
    let values = wide::bytemuck::cast_slice_mut::<Lanes, f32>(block);
    let row = lanes * LANES;
    for i in 0..len {
        let from = &source[index(i) * columns..][..columns];
        for (c, &v) in from.iter().enumerate() {
            values[c * row + i] = v;
        }
    }
}

/// The block of `len` consecutive columns from `start` of a row-major matrix whose rows are
/// `stride` long.
fn load_rows(
    block: &mut Vec<Lanes>,
    source: &[f32],
    stride: usize,
    start: usize,
    len: usize,
    lanes: usize,
) {
    let rows = source.len() / stride;
    block.clear();
    block.resize(rows * lanes, f32x4::ZERO);
    let values = wide::bytemuck::cast_slice_mut::<Lanes, f32>(block);
    let width = lanes * LANES;
    for r in 0..rows {
        values[r * width..r * width + len]
            .copy_from_slice(&source[r * stride + start..r * stride + start + len]);
    }
}

/// The inverse of [`load_rows`]: the first `len` values of each block row into `target`.
fn store_rows(
    block: &[Lanes],
    target: &mut [f32],
    stride: usize,
    start: usize,
    len: usize,
    lanes: usize,
) {
    let values = as_scalars(block);
    let width = lanes * LANES;
    let rows = target.len() / stride;
    for r in 0..rows {
        target[r * stride + start..r * stride + start + len]
            .copy_from_slice(&values[r * width..r * width + len]);
    }
}

fn as_scalars(block: &[Lanes]) -> &[f32] {
    wide::bytemuck::cast_slice(block)
}

/// Adds the gradient of the weight penalty (biases are not penalised), as
/// [`crate::loss::penalty`] defines it.
pub(crate) fn add_penalty(network: &Network, training: &TrainingConfig, grads: &mut [f32]) {
    let rate = training.regularization_rate as f32;
    if rate == 0.0 {
        return;
    }
    for layer in &network.layers {
        let range = layer.weight_range();
        let weights = &network.params[range.clone()];
        let g = &mut grads[range];
        match training.regularization {
            Regularization::None => return,
            Regularization::L2 => g
                .iter_mut()
                .zip(weights)
                .for_each(|(g, &w)| *g += 2.0 * rate * w),
            Regularization::L1 => g.iter_mut().zip(weights).for_each(|(g, &w)| {
                if w != 0.0 {
                    *g += rate * w.signum();
                }
            }),
        }
    }
}

impl Steps for FusedSession {
    fn clock(&self) -> &RunClock {
        &self.clock
    }

    fn epoch_shape(&self) -> (usize, usize) {
        (self.train.count, self.batch_rows())
    }

    fn step(&mut self) {
        self.step_once();
        self.epoch = self.clock.epoch();
    }

    /// The epoch shown: the clock's, or that of weights shown from elsewhere.
    fn epoch(&self) -> u64 {
        self.epoch
    }
}
