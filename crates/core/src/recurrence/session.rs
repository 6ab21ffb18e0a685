//! A recurrence session: the vanilla RNN, the LSTM and the GRU trained side by side on the
//! same seeded batches, stepped by the caller, observed in one transfer.

use burn::module::Module;
use burn::optim::grad_clipping::GradientClipping;
use burn::optim::{GradientsParams, ModuleOptimizer};
use burn::tensor::{Device, Tensor, TensorData};

use super::config::{CellKind, RecurrenceConfigError, RecurrenceExperiment, check_learning_rate};
use super::data::{Sequences, TaskData, describe, generate};
use super::limits::{ADDING_TOLERANCE, GRADIENT_PROBE, TRAIN_METRIC_SAMPLE};
use super::model::RecurrentNet;
use super::observation::{RecurrenceObservation, RecurrenceRequest, TracedSequence};
use super::readback::{Layout, PendingRecurrence};
use super::unroll::Record;
use crate::loss::{accuracy, data_loss, prediction};
use crate::optimizer::build_optimizer;
use crate::problem::Problem;
use crate::run::SessionError;
use crate::run::error::backend_name;
use crate::run::{Params, PendingParams, load_params, queue_params};
use crate::run::{RunClock, Steps};
use crate::training::LossKind;

/// A batch on a device: one `[batch, width]` input per time step, and the targets (one-hot
/// rows, or a column of values).
#[derive(Clone)]
struct Batch {
    steps: Vec<Tensor<2>>,
    targets: Tensor<2>,
}

/// The inputs of `indices` as one `[rows, width]` tensor per time step (one upload).
fn steps_of(set: &Sequences, indices: &[usize], device: &Device) -> Vec<Tensor<2>> {
    let (length, width, rows) = (set.length, set.width, indices.len());
    let inputs = Tensor::<3>::from_data(
        TensorData::new(set.time_major(indices), [length, rows, width]),
        device,
    );
    (0..length)
        .map(|t| inputs.clone().narrow(0, t, 1).reshape([rows, width]))
        .collect()
}

impl Batch {
    fn new(set: &Sequences, indices: &[usize], outputs: usize, device: &Device) -> Self {
        let rows = indices.len();
        let steps = steps_of(set, indices, device);
        let targets = set.targets_of(indices);
        let targets = if outputs == 1 {
            TensorData::new(targets, [rows, 1])
        } else {
            let one_hot = targets
                .iter()
                .flat_map(|&y| (0..outputs).map(move |c| if c as f32 == y { 1.0 } else { 0.0 }))
                .collect();
            TensorData::new(one_hot, [rows, outputs])
        };
        Self {
            steps,
            targets: Tensor::from_data(targets, device),
        }
    }
}

/// Trains the three networks of one experiment on one device. Deterministic from the seed.
pub struct RecurrenceSession {
    experiment: RecurrenceExperiment,
    problem: Problem,
    data: TaskData,
    device: Device,
    autodiff: Device,
    /// One network per [`CellKind::ALL`], trained as one module: the summed loss gives each
    /// network exactly its own gradient, and one backward pass serves all three.
    models: Vec<RecurrentNet>,
    optimizer: ModuleOptimizer,
    learning_rate: f64,
    clock: RunClock,
    indices: Vec<usize>,
    params: [u32; 3],
    test: Batch,
    train_sample: Batch,
    probe: Batch,
    /// Exponential moving averages of each network's training-batch loss and accuracy
    /// (`[loss, accuracy]` per network, on the plain device), not yet bias-corrected.
    running: Tensor<1>,
}

/// Weight of the past in the running training metrics (a window of about 20 steps).
const RUNNING_DECAY: f32 = 0.95;

impl RecurrenceSession {
    /// A fresh session with seeded initial weights.
    pub fn new(experiment: RecurrenceExperiment, device: Device) -> Self {
        let autodiff = device.clone().autodiff();
        let models = seeded_models(&experiment, &autodiff);
        Self::with_models(experiment, device, autodiff, models, 0)
    }

    /// A session that continues from saved parameters (from [`RecurrenceSession::checkpoint`],
    /// all three networks) at `epoch`: same data, the batches a run starting at `epoch` draws
    /// ([`EpochCursor`]), and a fresh optimiser (Adam's moments are not saved), so the losses
    /// continue from where they were saved.
    pub fn resume(
        experiment: RecurrenceExperiment,
        device: Device,
        params: &Params,
        epoch: u64,
    ) -> Result<Self, SessionError> {
        let autodiff = device.clone().autodiff();
        let models = load_params(seeded_models(&experiment, &autodiff), params)?;
        Ok(Self::with_models(
            experiment, device, autodiff, models, epoch,
        ))
    }

    fn with_models(
        experiment: RecurrenceExperiment,
        device: Device,
        autodiff: Device,
        models: Vec<RecurrentNet>,
        epoch: u64,
    ) -> Self {
        let config = experiment.config().clone();
        let data = generate(&experiment);
        let outputs = experiment.outputs();
        let problem = if config.task.is_classification() {
            Problem::Multiclass { classes: outputs }
        } else {
            Problem::Regression
        };
        let first = |n: usize| (0..n).collect::<Vec<_>>();
        let test = Batch::new(&data.test, &first(data.test.count()), outputs, &device);
        let sample = first(data.train.count().min(TRAIN_METRIC_SAMPLE));
        let train_sample = Batch::new(&data.train, &sample, outputs, &device);
        let probe_rows = first(GRADIENT_PROBE.min(data.test.count()));
        let probe = Batch::new(&data.test, &probe_rows, outputs, &autodiff);
        let running = Tensor::zeros([2 * models.len()], &device);
        let mut params = [0; 3];
        for (count, model) in params.iter_mut().zip(&models) {
            *count = model.num_params() as u32;
        }
        Self {
            optimizer: optimizer(&experiment),
            learning_rate: config.learning_rate,
            clock: RunClock::new(config.seed, epoch),
            indices: Vec::with_capacity(config.batch_size),
            problem,
            data,
            experiment,
            device,
            autodiff,
            models,
            params,
            test,
            train_sample,
            probe,
            running,
        }
    }

    /// The experiment being trained.
    pub fn experiment(&self) -> &RecurrenceExperiment {
        &self.experiment
    }

    /// The generated sequences (for drawing).
    pub fn data(&self) -> &TaskData {
        &self.data
    }

    /// The device training runs on.
    pub fn device(&self) -> &Device {
        &self.device
    }

    /// The learning rate in force.
    pub fn learning_rate(&self) -> f64 {
        self.learning_rate
    }

    /// Changes the learning rate live (the optimiser keeps its state).
    pub fn set_learning_rate(&mut self, rate: f64) -> Result<(), RecurrenceConfigError> {
        check_learning_rate(rate)?;
        self.learning_rate = rate;
        Ok(())
    }

    /// Parameters of each network, in [`CellKind::ALL`] order.
    pub fn param_counts(&self) -> [u32; 3] {
        self.params
    }

    fn step_once(&mut self) {
        let rows = self.data.train.count();
        let batch_size = self.experiment.config().batch_size;
        self.clock.next_batch(rows, batch_size, &mut self.indices);
        let batch = Batch::new(
            &self.data.train,
            &self.indices,
            self.experiment.outputs(),
            &self.autodiff,
        );
        let mut losses = Vec::with_capacity(self.models.len());
        let mut seen = Vec::with_capacity(2 * self.models.len());
        for model in &self.models {
            let output = model.forward(&batch.steps);
            let loss = self.loss(output.clone(), batch.targets.clone());
            seen.push(loss.clone().detach().inner());
            seen.push(self.accuracy(output.detach().inner(), batch.targets.clone().inner()));
            losses.push(loss);
        }
        let Some(loss) = losses.into_iter().reduce(|a, b| a + b) else {
            return;
        };
        self.running =
            self.running.clone() * RUNNING_DECAY + Tensor::cat(seen, 0) * (1.0 - RUNNING_DECAY);
        let grads = GradientsParams::from_grads(loss.backward(), &self.models);
        let models = std::mem::take(&mut self.models);
        self.models = self.optimizer.step(self.learning_rate, models, grads);
    }

    /// Mean loss of a batch: cross-entropy, or squared error for the adding problem.
    fn loss(&self, output: Tensor<2>, targets: Tensor<2>) -> Tensor<1> {
        let kind = match self.problem {
            Problem::Regression => LossKind::Mse,
            _ => LossKind::CategoricalCrossEntropy,
        };
        data_loss(kind, self.problem, output, targets)
    }

    fn accuracy(&self, output: Tensor<2>, targets: Tensor<2>) -> Tensor<1> {
        match self.problem {
            Problem::Regression => (output - targets)
                .abs()
                .lower_elem(ADDING_TOLERANCE)
                .float()
                .mean(),
            problem => accuracy(problem, output, targets),
        }
    }

    /// Every network's parameters (in [`CellKind::ALL`] order), queued for one read.
    pub fn checkpoint(&self) -> PendingParams {
        queue_params(&self.models)
    }

    /// Queues what `request` asks for as one device-side buffer. Read it with
    /// [`PendingRecurrence::read`]; the session stays free to train meanwhile.
    pub fn queue_observation(&self, request: &RecurrenceRequest) -> PendingRecurrence {
        let models = self.models.valid();
        let mut parts = Vec::new();
        if request.metrics {
            parts.push(self.train_metrics(&models));
            for model in &models {
                parts.push(self.test_metrics(model));
            }
        }
        if request.gradients {
            parts.extend(self.gradient_strips());
        }
        let sequence = request.sequence.map(|i| {
            let index = (i as usize).min(self.data.test.count().saturating_sub(1));
            let steps = steps_of(&self.data.test, &[index], &self.device);
            for model in &models {
                parts.extend(trace(model, &steps, self.problem));
            }
            self.traced_sequence(index)
        });
        let config = self.experiment.config();
        PendingRecurrence {
            values: (!parts.is_empty()).then(|| Tensor::cat(parts, 0)),
            layout: Layout {
                request: request.clone(),
                length: config.length,
                hidden: config.hidden,
                outputs: self.experiment.outputs(),
                params: self.params,
            },
            observation: RecurrenceObservation {
                epoch: self.epoch(),
                steps: self.clock.steps(),
                length: config.length as u32,
                hidden: config.hidden as u32,
                models: Vec::new(),
                sequence,
            },
            backend: backend_name(&self.device),
        }
    }

    /// Reads what `request` asks for now (one transfer, awaits the device).
    pub async fn observe(
        &mut self,
        request: &RecurrenceRequest,
    ) -> Result<RecurrenceObservation, SessionError> {
        self.queue_observation(request).read().await
    }

    /// `[loss, accuracy]` of each network on the training set: the running averages over
    /// recent batches (bias-corrected), or before the first step a fixed training sample.
    fn train_metrics(&self, models: &[RecurrentNet]) -> Tensor<1> {
        if self.clock.steps() == 0 {
            let parts = models
                .iter()
                .flat_map(|model| {
                    let output = model.forward(&self.train_sample.steps);
                    let targets = self.train_sample.targets.clone();
                    [
                        self.loss(output.clone(), targets.clone()),
                        self.accuracy(output, targets),
                    ]
                })
                .collect();
            return Tensor::cat(parts, 0);
        }
        let weight = 1.0 - RUNNING_DECAY.powi(self.clock.steps().min(i32::MAX as u64) as i32);
        self.running.clone() / weight
    }

    /// `[loss, accuracy]` of one network on the test set.
    fn test_metrics(&self, model: &RecurrentNet) -> Tensor<1> {
        let output = model.forward(&self.test.steps);
        let targets = self.test.targets.clone();
        Tensor::cat(
            vec![
                self.loss(output.clone(), targets.clone()),
                self.accuracy(output, targets),
            ],
            0,
        )
    }

    /// Each network's `T` gradient norms over the probe batch (one backward pass for all).
    fn gradient_strips(&self) -> Vec<Tensor<1>> {
        let record = Record {
            probes: true,
            ..Record::default()
        };
        let runs: Vec<_> = self
            .models
            .iter()
            .map(|model| model.unroll(&self.probe.steps, record))
            .collect();
        // Summed (not mean) losses: each sequence's probe gradient is that of its own loss.
        let rows = GRADIENT_PROBE as f32;
        let total = runs
            .iter()
            .map(|run| self.loss(run.output.clone(), self.probe.targets.clone()) * rows)
            .reduce(|a, b| a + b);
        let Some(total) = total else {
            return Vec::new();
        };
        let grads = total.backward();
        runs.iter()
            .map(|run| {
                let norms: Vec<Tensor<1>> = (0..run.probes.len())
                    .map(|t| {
                        // The state's gradient: hidden and (LSTM) cell parts together.
                        let squares = [run.probes.get(t), run.cell_probes.get(t)]
                            .into_iter()
                            .flatten()
                            .filter_map(|probe| probe.grad(&grads))
                            .map(|g| g.square().sum_dim(1))
                            .reduce(|a, b| a + b);
                        match squares {
                            Some(s) => s.sqrt().mean(),
                            None => Tensor::zeros([1], &self.device),
                        }
                    })
                    .collect();
                Tensor::cat(norms, 0)
            })
            .collect()
    }

    fn traced_sequence(&self, index: usize) -> TracedSequence {
        let set = &self.data.test;
        let config = self.experiment.config();
        let inputs = set.sequence(index).to_vec();
        let tokens = set.tokens_of(index).to_vec();
        TracedSequence {
            index: index as u32,
            width: set.width as u32,
            text: describe(config.task, config.symbols, &tokens, &inputs),
            tokens,
            inputs,
            target: set.targets.get(index).copied().unwrap_or(0.0),
        }
    }
}

/// One sequence through one network: hidden states `T × H`, the prediction, and for the
/// LSTM its input, forget and output gates (`T × H` each).
fn trace(model: &RecurrentNet, steps: &[Tensor<2>], problem: Problem) -> Vec<Tensor<1>> {
    let record = Record {
        hidden: true,
        gates: true,
        probes: false,
    };
    let run = model.unroll(steps, record);
    let flat = |rows: Vec<Tensor<2>>| {
        let t = Tensor::cat(rows, 0);
        let [a, b] = t.dims();
        t.reshape([a * b])
    };
    let mut parts = vec![flat(run.hidden)];
    let outputs = run.output.dims()[1];
    parts.push(prediction(problem, run.output).reshape([outputs]));
    if model.kind() == CellKind::Lstm {
        for g in 0..3 {
            parts.push(flat(
                run.gates.iter().map(|gates| gates[g].clone()).collect(),
            ));
        }
    }
    parts
}

/// The three networks with seeded initial weights, in [`CellKind::ALL`] order.
fn seeded_models(experiment: &RecurrenceExperiment, device: &Device) -> Vec<RecurrentNet> {
    CellKind::ALL
        .iter()
        .map(|&cell| RecurrentNet::seeded(cell, experiment, device))
        .collect()
}

fn optimizer(experiment: &RecurrenceExperiment) -> ModuleOptimizer {
    let config = experiment.config();
    let optimizer = build_optimizer(config.optimizer);
    match config.clip_norm {
        Some(norm) => optimizer.with_grad_clipping(GradientClipping::Norm(norm)),
        None => optimizer,
    }
}

impl Steps for RecurrenceSession {
    fn clock(&self) -> &RunClock {
        &self.clock
    }

    fn epoch_shape(&self) -> (usize, usize) {
        (self.data.train.count(), self.experiment.config().batch_size)
    }

    fn step(&mut self) {
        self.step_once();
    }
}
