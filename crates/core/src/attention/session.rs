//! The attention lab's training session: the transformer and (optionally) the LSTM, trained
//! on the same seeded batches, observed in one readback per frame.

use burn::module::Module;
use burn::optim::{GradientsParams, ModuleOptimizer};
use burn::tensor::activation::{log_softmax, softmax};
use burn::tensor::{Device, Tensor};
use serde::{Deserialize, Serialize};

use super::config::{AttentionConfigError, AttentionExperiment, check_learning_rate};
use super::data::{Batch, SequenceSet};
use super::input::{InputError, Probe};
use super::lstm::{LstmTagger, LstmTaggerConfig};
use super::observation::{
    AttentionObservation, AttentionRequest, Layout, ParameterCounts, PendingAttentionObservation,
    ProbeLayout,
};
use super::transformer::{TransformerTagger, TransformerTaggerConfig};
use crate::optimizer::build_optimizer;
use crate::run::SessionError;
use crate::run::error::backend_name;
use crate::run::{Params, PendingParams, load_params, queue_params, seeded_init};
use crate::run::{RunClock, Steps};

/// Training sequences the train metrics are measured on: a fixed sample keeps each
/// observation cheap whatever the training-set size.
pub const EVAL_TRAIN_ROWS: usize = 256;
/// Seed stream of the LSTM's initial weights (the transformer uses the run's seed).
const LSTM_SEED_STREAM: u64 = 0x0157_3A11;

/// Trains one attention-lab experiment on one device. Deterministic from its seed.
pub struct AttentionSession {
    experiment: AttentionExperiment,
    device: Device,
    autodiff: Device,
    transformer: TransformerTagger,
    lstm: Option<(LstmTagger, ModuleOptimizer)>,
    transformer_optimizer: ModuleOptimizer,
    learning_rate: f64,
    train: SequenceSet,
    test: SequenceSet,
    eval_train: Batch,
    eval_test: Batch,
    clock: RunClock,
    indices: Vec<usize>,
    parameters: ParameterCounts,
}

/// Both models' parameters at an epoch: what a share link carries to resume a run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttentionWeights {
    /// Epochs completed when saved.
    pub epoch: u64,
    /// The transformer's parameters.
    pub transformer: Params,
    /// The LSTM's parameters (when it trains).
    pub lstm: Option<Params>,
}

/// Both models' parameters queued for reading.
pub struct PendingAttentionWeights {
    epoch: u64,
    transformer: PendingParams,
    lstm: Option<PendingParams>,
}

impl PendingAttentionWeights {
    /// Reads the parameters back without blocking.
    pub async fn read(self) -> Result<AttentionWeights, SessionError> {
        let transformer = self.transformer.read().await?;
        let lstm = match self.lstm {
            Some(pending) => Some(pending.read().await?),
            None => None,
        };
        Ok(AttentionWeights {
            epoch: self.epoch,
            transformer,
            lstm,
        })
    }
}

impl AttentionExperiment {
    /// The transformer's shape.
    pub fn transformer_config(&self) -> TransformerTaggerConfig {
        let c = self.config();
        TransformerTaggerConfig::new(
            c.symbols + 1,
            self.classes(),
            c.max_length,
            c.width,
            c.heads,
            c.layers,
            c.feed_forward,
            c.positions,
        )
    }

    /// The LSTM's shape.
    pub fn lstm_config(&self) -> LstmTaggerConfig {
        let c = self.config();
        LstmTaggerConfig::new(c.symbols + 1, self.classes(), c.width, c.lstm_hidden)
    }
}

impl AttentionSession {
    /// A fresh session with seeded initial weights.
    pub fn new(experiment: AttentionExperiment, device: Device) -> Self {
        let autodiff = device.clone().autodiff();
        let seed = experiment.config().seed;
        let transformer = seeded_init(experiment.transformer_config().init(&autodiff), seed);
        let lstm = experiment.config().lstm.then(|| {
            seeded_init(
                experiment.lstm_config().init(&autodiff),
                seed ^ LSTM_SEED_STREAM,
            )
        });
        Self::with_models(experiment, device, autodiff, transformer, lstm, 0)
    }

    /// A session that continues from saved weights at their epoch (with fresh optimiser state).
    pub fn resume(
        experiment: AttentionExperiment,
        device: Device,
        weights: &AttentionWeights,
    ) -> Result<Self, SessionError> {
        let autodiff = device.clone().autodiff();
        let transformer = load_params(
            experiment.transformer_config().init(&autodiff),
            &weights.transformer,
        )?;
        let lstm = match (experiment.config().lstm, &weights.lstm) {
            (true, Some(params)) => Some(load_params(
                experiment.lstm_config().init(&autodiff),
                params,
            )?),
            (false, None) => None,
            (true, None) => {
                return Err(SessionError::Weights(
                    "the LSTM is on but no LSTM weights were saved".into(),
                ));
            }
            (false, Some(_)) => {
                return Err(SessionError::Weights(
                    "LSTM weights were saved but the LSTM is off".into(),
                ));
            }
        };
        Ok(Self::with_models(
            experiment,
            device,
            autodiff,
            transformer,
            lstm,
            weights.epoch,
        ))
    }

    fn with_models(
        experiment: AttentionExperiment,
        device: Device,
        autodiff: Device,
        transformer: TransformerTagger,
        lstm: Option<LstmTagger>,
        epoch: u64,
    ) -> Self {
        let config = experiment.config().clone();
        let (train, test) = experiment.sequence_sets();
        let eval_train = Batch::all(&experiment, &train.head(EVAL_TRAIN_ROWS), &device);
        let eval_test = Batch::all(&experiment, &test, &device);
        let parameters = ParameterCounts {
            transformer: transformer.num_params(),
            lstm: lstm.as_ref().map(|m| m.num_params()),
        };
        Self {
            transformer_optimizer: build_optimizer(config.optimizer),
            lstm: lstm.map(|m| (m, build_optimizer(config.optimizer))),
            learning_rate: config.learning_rate,
            clock: RunClock::new(config.seed, epoch),
            indices: Vec::with_capacity(config.batch_size),
            experiment,
            device,
            autodiff,
            transformer,
            train,
            test,
            eval_train,
            eval_test,
            parameters,
        }
    }

    /// The experiment being trained.
    pub fn experiment(&self) -> &AttentionExperiment {
        &self.experiment
    }

    /// The training sequences.
    pub fn train_set(&self) -> &SequenceSet {
        &self.train
    }

    /// The test sequences (a probe picks one by index).
    pub fn test_set(&self) -> &SequenceSet {
        &self.test
    }

    /// The device training runs on.
    pub fn device(&self) -> &Device {
        &self.device
    }

    /// Scalar parameters of the transformer and of the LSTM (when it trains).
    pub fn parameters(&self) -> ParameterCounts {
        self.parameters
    }

    fn batch_rows(&self) -> usize {
        self.experiment.config().batch_size
    }

    /// The learning rate in force.
    pub fn learning_rate(&self) -> f64 {
        self.learning_rate
    }

    /// Changes the learning rate of both models from the next step on.
    pub fn set_learning_rate(&mut self, rate: f64) -> Result<(), AttentionConfigError> {
        check_learning_rate(rate)?;
        self.learning_rate = rate;
        Ok(())
    }

    fn step_once(&mut self) {
        let (rows, batch) = (self.train.len(), self.batch_rows());
        self.clock.next_batch(rows, batch, &mut self.indices);
        let batch = Batch::new(&self.experiment, &self.train, &self.indices, &self.autodiff);
        let rate = self.learning_rate;

        let logits = self
            .transformer
            .forward(batch.tokens.clone(), batch.pad.clone())
            .logits;
        let loss = tagging_loss(logits, batch.weights.clone());
        let grads = GradientsParams::from_grads(loss.backward(), &self.transformer);
        self.transformer = self
            .transformer_optimizer
            .step(rate, self.transformer.clone(), grads);

        if let Some((model, optimizer)) = &mut self.lstm {
            let loss = tagging_loss(model.forward(batch.tokens), batch.weights);
            let grads = GradientsParams::from_grads(loss.backward(), &*model);
            *model = optimizer.step(rate, model.clone(), grads);
        }
    }

    /// Queues everything a frame draws (both models' metrics on the training sample and the
    /// test set, and the probe) as one device tensor. A probe that cannot run is reported in
    /// the observation; the metrics still come.
    pub fn queue_observation(&self, request: &AttentionRequest) -> PendingAttentionObservation {
        let transformer = self.transformer.valid();
        let lstm = self.lstm.as_ref().map(|(m, _)| m.valid());
        let mut parts = Vec::new();
        if request.metrics {
            for set in [&self.eval_train, &self.eval_test] {
                let out = transformer.forward(set.tokens.clone(), set.pad.clone());
                parts.push(set_metrics(out.logits, set));
            }
            if let Some(lstm) = &lstm {
                for set in [&self.eval_train, &self.eval_test] {
                    parts.push(set_metrics(lstm.forward(set.tokens.clone()), set));
                }
            }
        }
        let probe = request.probe.as_ref().map(|probe| {
            let input = self.probe_input(probe)?;
            Ok(self.queue_probe(input, &transformer, lstm.as_ref(), &mut parts))
        });
        PendingAttentionObservation {
            // Nothing to read for a request with neither metrics nor a (valid) probe.
            values: (!parts.is_empty()).then(|| Tensor::cat(parts, 0)),
            layout: Layout {
                epoch: self.epoch(),
                steps: self.clock.steps(),
                parameters: self.parameters,
                metrics: request.metrics,
                probe,
            },
            backend: backend_name(&self.device),
        }
    }

    /// Metrics and the probe now (awaits the device; one transfer).
    pub async fn observe(
        &mut self,
        request: &AttentionRequest,
    ) -> Result<AttentionObservation, SessionError> {
        self.queue_observation(request).read().await
    }

    fn probe_input(&self, probe: &Probe) -> Result<Vec<u32>, InputError> {
        match probe {
            Probe::Test(index) => {
                self.test
                    .inputs
                    .get(*index)
                    .cloned()
                    .ok_or(InputError::TestIndex {
                        index: *index,
                        count: self.test.len(),
                    })
            }
            Probe::Typed(sequence) => {
                self.experiment.check_sequence(sequence)?;
                Ok(sequence.clone())
            }
        }
    }

    /// Pushes both models' predictions (ids, then confidences, padded length each) and the
    /// attention maps cut to the sequence's `n × n`.
    fn queue_probe(
        &self,
        input: Vec<u32>,
        transformer: &TransformerTagger,
        lstm: Option<&LstmTagger>,
        parts: &mut Vec<Tensor<1>>,
    ) -> ProbeLayout {
        let n = input.len();
        let target = self.experiment.targets(&input);
        let set = SequenceSet {
            inputs: vec![input],
            targets: vec![target],
        };
        let batch = Batch::all(&self.experiment, &set, &self.device);
        let out = transformer.forward(batch.tokens.clone(), batch.pad.clone());
        prediction_parts(out.logits, parts);
        if let Some(lstm) = lstm {
            prediction_parts(lstm.forward(batch.tokens), parts);
        }
        let heads = self.experiment.config().heads;
        let layers = out.attention.len();
        for weights in out.attention {
            parts.push(
                weights
                    .slice([0..1, 0..heads, 0..n, 0..n])
                    .reshape([heads * n * n]),
            );
        }
        let padded = self.experiment.config().max_length;
        let SequenceSet {
            mut inputs,
            mut targets,
        } = set;
        ProbeLayout {
            input: inputs.pop().unwrap_or_default(),
            target: targets.pop().unwrap_or_default(),
            layers,
            heads,
            padded,
        }
    }

    /// Queues both models' parameters for one read each.
    pub fn checkpoint(&self) -> PendingAttentionWeights {
        PendingAttentionWeights {
            epoch: self.epoch(),
            transformer: queue_params(&self.transformer),
            lstm: self.lstm.as_ref().map(|(m, _)| queue_params(m)),
        }
    }

    /// The transformer being trained (for inspection and tests).
    pub fn transformer(&self) -> &TransformerTagger {
        &self.transformer
    }
}

/// Mean cross-entropy per real position: `weights` hold the one-hot targets scaled by one over
/// the number of real positions (zero at padding).
fn tagging_loss(logits: Tensor<3>, weights: Tensor<3>) -> Tensor<1> {
    (log_softmax(logits, 2) * weights).sum().neg()
}

/// `[loss, token accuracy, sequence accuracy]` of `logits` on `set`.
fn set_metrics(logits: Tensor<3>, set: &Batch) -> Tensor<1> {
    let loss = tagging_loss(logits.clone(), set.weights.clone());
    let right = logits
        .argmax(2)
        .equal(set.targets.clone())
        .float()
        .mul(set.mask.clone());
    let tokens = right.clone().sum().div_scalar(set.positions.max(1) as f32);
    let wrong_per_row = (set.mask.clone() - right).sum_dim(1);
    let sequences = wrong_per_row.lower_elem(0.5).float().mean();
    Tensor::cat(vec![loss, tokens, sequences], 0)
}

/// Predicted ids then their probabilities, for the one row of `logits`.
fn prediction_parts(logits: Tensor<3>, parts: &mut Vec<Tensor<1>>) {
    let [_, length, _] = logits.dims();
    let probabilities = softmax(logits, 2);
    let (confidence, ids) = probabilities.max_dim_with_indices(2);
    parts.push(ids.float().reshape([length]));
    parts.push(confidence.reshape([length]));
}

impl Steps for AttentionSession {
    fn clock(&self) -> &RunClock {
        &self.clock
    }

    fn epoch_shape(&self) -> (usize, usize) {
        (self.train.len(), self.batch_rows())
    }

    fn step(&mut self) {
        self.step_once();
    }
}
