//! [`GpuSession`]: the fused engine's training run on a GPU, many steps per dispatch.

use burn::tensor::{Device, Tensor, TensorData};

use super::extension::{TrainArgs, train_dense};
use super::kernel::{
    LOSS_BCE, LOSS_CCE, LOSS_HUBER, LOSS_MSE, OPT_ADAM, OPT_ADAMW, OPT_MOMENTUM, OPT_RMSPROP,
    OPT_SGD, PROBLEM_BINARY, PROBLEM_MULTICLASS, PROBLEM_REGRESSION,
};
use super::layout::{Layout, Schedule};
use crate::data::Dataset;
use crate::experiment::{ConfigError, Experiment, check_training};
use crate::model::{LayerWeights, initial_weights, misfit};
use crate::problem::Problem;
use crate::readback::PendingWeights;
use crate::run::SessionError;
use crate::run::error::backend_name;
use crate::run::{RunClock, Steps};
use crate::training::{LossKind, OptimizerKind, Regularization, TrainingConfig};

/// Steps per dispatch, largest first: a request is split greedily, so a network compiles at
/// most this many kernel variants.
const DISPATCH_STEPS: [usize; 4] = [64, 16, 4, 1];

/// Trains one experiment on a CubeCL GPU device with the training kernel: the same run as
/// [`crate::FusedSession`] (same weights, batches, dropout masks and update rules), with one
/// dispatch for up to 64 optimiser steps.
pub struct GpuSession {
    experiment: Experiment,
    training: TrainingConfig,
    problem: Problem,
    dataset: Dataset,
    device: Device,
    layout: Layout,
    /// `[parameters | moments | moments]` on the device.
    state: Tensor<1>,
    /// `[header | X | Y]` on the device.
    data: Tensor<1>,
    train_rows: usize,
    clock: RunClock,
    /// Steps taken by the current optimiser (Adam's bias correction counts them).
    optimizer_steps: u64,
}

impl GpuSession {
    /// A fresh session with seeded initial weights.
    pub fn new(experiment: Experiment, device: Device) -> Self {
        let weights = initial_weights(&experiment);
        Self::with_weights(experiment, device, &weights, 0)
    }

    /// A session that continues from saved weights (one entry per layer, output last), with
    /// fresh optimiser state.
    pub fn resume(
        experiment: Experiment,
        device: Device,
        weights: &[LayerWeights],
        epoch: u64,
    ) -> Result<Self, SessionError> {
        match misfit(&experiment, weights) {
            Some(reason) => Err(SessionError::Weights(reason)),
            None => Ok(Self::with_weights(experiment, device, weights, epoch)),
        }
    }

    fn with_weights(
        experiment: Experiment,
        device: Device,
        weights: &[LayerWeights],
        epoch: u64,
    ) -> Self {
        let dataset = experiment.dataset();
        let layout = Layout::new(&experiment);
        let (x, y) = experiment.matrices(&dataset.train);
        let state = layout.state(weights);
        let data = layout.data(&x, &y);
        let upload = |values: Vec<f32>| {
            let len = values.len();
            Tensor::<1>::from_data(TensorData::new(values, [len]), &device)
        };
        Self {
            training: experiment.config().training,
            problem: experiment.problem(),
            state: upload(state),
            data: upload(data),
            train_rows: dataset.train.len(),
            clock: RunClock::new(experiment.config().seed, epoch),
            optimizer_steps: 0,
            layout,
            dataset,
            device: device.clone(),
            experiment,
        }
    }

    /// The experiment being trained.
    pub fn experiment(&self) -> &Experiment {
        &self.experiment
    }

    /// The generated points.
    pub fn dataset(&self) -> &Dataset {
        &self.dataset
    }

    /// The training settings in force.
    pub fn training(&self) -> &TrainingConfig {
        &self.training
    }

    /// Changes training settings live, keeping the weights; a new optimiser kind starts from
    /// empty moments.
    pub fn set_training(&mut self, training: TrainingConfig) -> Result<(), ConfigError> {
        check_training(&training, self.problem, self.train_rows)?;
        if training.optimizer != self.training.optimizer {
            let weights = self.layout.params;
            let keep = self.state.clone().narrow(0, 0, weights);
            let moments = Tensor::<1>::zeros([2 * weights], &self.device);
            self.state = Tensor::cat(vec![keep, moments], 0);
            self.optimizer_steps = 0;
        }
        self.training = training;
        Ok(())
    }

    fn batch_rows(&self) -> usize {
        self.training.batch_size.resolve(self.train_rows)
    }

    /// One dispatch of `steps` steps.
    fn dispatch(&mut self, steps: usize) {
        let rows = self.train_rows;
        let batch = self.batch_rows();
        let mut batches = Vec::with_capacity(steps);
        let mut masks = Vec::new();
        for _ in 0..steps {
            let mut indices = Vec::with_capacity(batch);
            self.clock.next_batch(rows, batch, &mut indices);
            if self.layout.dropout {
                masks.push(self.mask_rows(indices.len()));
            }
            batches.push(indices);
        }
        let schedule = Schedule::new(&batches, &masks, self.layout.hidden);
        let len = schedule.values.len();
        let args = self.args(&schedule);
        let schedule_tensor =
            Tensor::<1>::from_data(TensorData::new(schedule.values, [len]), &self.device);
        self.state = train_dense(self.state.clone(), self.data.clone(), schedule_tensor, args);
        self.optimizer_steps += steps as u64;
    }

    /// One step's dropout masks as rows of every hidden neuron (1 where a layer keeps all),
    /// drawn in the fused engine's order: layer by layer, point-major within a layer.
    fn mask_rows(&mut self, points: usize) -> Vec<f32> {
        let hidden = self.layout.hidden;
        let mut rows = vec![1.0; points * hidden];
        let specs = self.experiment.config().network.hidden.clone();
        let mut at = 0;
        for spec in specs {
            if spec.dropout > 0.0 {
                let drawn = self
                    .clock
                    .draws()
                    .dropout_mask(spec.dropout, points, spec.neurons);
                for (p, row) in drawn.chunks_exact(spec.neurons).enumerate() {
                    rows[p * hidden + at..p * hidden + at + spec.neurons].copy_from_slice(row);
                }
            }
            at += spec.neurons;
        }
        rows
    }

    fn args(&self, schedule: &Schedule) -> TrainArgs {
        let layout = &self.layout;
        let training = &self.training;
        let rate = training.regularization_rate as f32;
        let (l1, l2) = match training.regularization {
            Regularization::None => (0.0, 0.0),
            Regularization::L1 => (rate, 0.0),
            Regularization::L2 => (0.0, rate),
        };
        let x_at = layout.header_len();
        TrainArgs {
            learning_rate: training.learning_rate as f32,
            l1,
            l2,
            adam_steps: self.optimizer_steps as f32,
            batch: schedule.batch as u32,
            params: layout.params as u32,
            total: layout.total_width as u32,
            widest: layout.max_width.max(layout.features) as u32,
            hidden: layout.hidden as u32,
            features: layout.features as u32,
            outputs: layout.outputs as u32,
            x_at: x_at as u32,
            y_at: (x_at + self.train_rows * layout.features) as u32,
            layers: layout.layers.len(),
            steps: schedule.steps,
            loss: match training.loss {
                LossKind::Mse => LOSS_MSE,
                LossKind::BinaryCrossEntropy => LOSS_BCE,
                LossKind::CategoricalCrossEntropy => LOSS_CCE,
                LossKind::Huber => LOSS_HUBER,
            },
            problem: match self.problem {
                Problem::Binary => PROBLEM_BINARY,
                Problem::Multiclass { .. } => PROBLEM_MULTICLASS,
                Problem::Regression => PROBLEM_REGRESSION,
            },
            optimizer: match training.optimizer {
                OptimizerKind::Sgd => OPT_SGD,
                OptimizerKind::Momentum => OPT_MOMENTUM,
                OptimizerKind::Adam => OPT_ADAM,
                OptimizerKind::AdamW => OPT_ADAMW,
                OptimizerKind::RmsProp => OPT_RMSPROP,
            },
            dropout: layout.dropout,
            work_len: layout.work_len(schedule.batch),
        }
    }

    /// Queues a read of the weights (the first `P` numbers of the state).
    pub fn queue_weights(&self) -> PendingWeights {
        let shapes = self
            .layout
            .layers
            .iter()
            .map(|l| (l.inputs, l.outputs))
            .collect();
        PendingWeights {
            values: self.state.clone().narrow(0, 0, self.layout.params),
            shapes,
            epoch: self.epoch(),
            backend: backend_name(&self.device),
        }
    }
}

impl Steps for GpuSession {
    fn clock(&self) -> &RunClock {
        &self.clock
    }

    fn epoch_shape(&self) -> (usize, usize) {
        (self.train_rows, self.batch_rows())
    }

    fn step(&mut self) {
        self.dispatch(1);
    }

    /// Queues the steps in dispatches of up to 64 steps each.
    fn train_steps(&mut self, steps: usize) -> u64 {
        let start = self.epoch();
        let mut left = steps;
        while left > 0 {
            let size = DISPATCH_STEPS
                .iter()
                .copied()
                .find(|&s| s <= left)
                .unwrap_or(1);
            self.dispatch(size);
            left -= size;
        }
        self.epoch() - start
    }
}
