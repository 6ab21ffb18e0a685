//! The inspections of issue 12 ("See inside training"): the probe equals the engines' forward
//! pass, gradients equal finite differences of an independent f64 loss and the step the
//! engine takes, gradient flow vanishes through sigmoids, dead units are found, the landscape
//! is centred and filter-normalised, early stopping keeps the best weights, learning curves
//! close the gap, and races start level.
#![allow(clippy::unwrap_used)]

use std::time::Instant;

use emberlab_core::Steps;
use emberlab_core::inspect::*;
use emberlab_core::*;

/// Largest absolute difference between two equally long lists.
fn max_diff(a: &[f32], b: &[f32]) -> f32 {
    assert_eq!(a.len(), b.len(), "lengths differ");
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y).abs())
        .fold(0.0, f32::max)
}

/// The spiral with noise (keeps points off the origin) and the given hidden layers.
fn spiral(hidden: Vec<LayerSpec>) -> ExperimentConfig {
    let mut config = ExperimentConfig::default();
    config.data.kind = DatasetKind::Spiral;
    config.data.noise_percent = 10;
    config.features = FeatureSet::all();
    config.network.hidden = hidden;
    config
}

fn blobs() -> ExperimentConfig {
    let mut config = ExperimentConfig::default();
    config.data.kind = DatasetKind::Blobs;
    config.data.classes = 4;
    config.training.loss = LossKind::CategoricalCrossEntropy;
    config.network.hidden = vec![
        LayerSpec::new(5, Activation::Gelu),
        LayerSpec::new(3, Activation::Relu),
    ];
    config
}

fn regression() -> ExperimentConfig {
    let mut config = ExperimentConfig::default();
    config.data.kind = DatasetKind::MultiGaussian;
    config.training.loss = LossKind::Huber;
    config.network.hidden = vec![LayerSpec::new(6, Activation::Silu); 2];
    config
}

/// A fused session of `config` trained for `steps` steps.
fn trained(config: &ExperimentConfig, steps: usize) -> FusedSession {
    let mut session = FusedSession::new(config.validate().unwrap());
    session.train_steps(steps);
    session
}

// ---------------------------------------------------------------------------------------
// An independent reference: the forward pass and losses in f64, written from the formulas.

fn activate64(activation: Activation, z: f64) -> f64 {
    match activation {
        Activation::Relu => z.max(0.0),
        Activation::LeakyRelu => {
            if z < 0.0 {
                0.01 * z
            } else {
                z
            }
        }
        Activation::Tanh => z.tanh(),
        Activation::Sigmoid => 1.0 / (1.0 + (-z).exp()),
        Activation::Silu => z / (1.0 + (-z).exp()),
        Activation::Linear => z,
        Activation::Gelu => panic!("the reference has no erf; test GELU elsewhere"),
    }
}

/// The logits of `weights` for one input row.
fn logits64(experiment: &Experiment, weights: &[LayerWeights], x: &[f32]) -> Vec<f64> {
    let hidden = &experiment.config().network.hidden;
    let mut values: Vec<f64> = x.iter().map(|&v| f64::from(v)).collect();
    for (l, w) in weights.iter().enumerate() {
        let activation = hidden.get(l).map_or(Activation::Linear, |s| s.activation);
        values = (0..w.outputs)
            .map(|j| {
                let z = f64::from(w.biases[j])
                    + (0..w.inputs)
                        .map(|i| values[i] * f64::from(w.weights[i * w.outputs + j]))
                        .sum::<f64>();
                activate64(activation, z)
            })
            .collect();
    }
    values
}

/// Mean loss of `weights` over `points` (plus the penalty if asked), in f64.
fn loss64(
    experiment: &Experiment,
    training: &TrainingConfig,
    weights: &[LayerWeights],
    points: &[Point],
    objective: Objective,
) -> f64 {
    let problem = experiment.problem();
    let outputs = problem.outputs();
    let features = experiment.config().features.len();
    let (x, y) = experiment.matrices(points);
    let mut total = 0.0;
    for p in 0..points.len() {
        let z = logits64(experiment, weights, &x[p * features..(p + 1) * features]);
        let t: Vec<f64> = y[p * outputs..(p + 1) * outputs]
            .iter()
            .map(|&v| f64::from(v))
            .collect();
        let softmax = |z: &[f64]| {
            let max = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let e: Vec<f64> = z.iter().map(|v| (v - max).exp()).collect();
            let sum: f64 = e.iter().sum();
            e.into_iter().map(|v| v / sum).collect::<Vec<_>>()
        };
        total += match training.loss {
            LossKind::BinaryCrossEntropy => {
                z[0].max(0.0) - z[0] * t[0] + (-z[0].abs()).exp().ln_1p()
            }
            LossKind::CategoricalCrossEntropy => {
                let s = softmax(&z);
                -(0..outputs).map(|k| t[k] * s[k].ln()).sum::<f64>()
            }
            LossKind::Huber => {
                (0..outputs)
                    .map(|k| {
                        let e = (z[k] - t[k]).abs();
                        if e <= 1.0 { 0.5 * e * e } else { e - 0.5 }
                    })
                    .sum::<f64>()
                    / outputs as f64
            }
            LossKind::Mse => {
                let prediction = match problem {
                    Problem::Binary => vec![1.0 / (1.0 + (-z[0]).exp())],
                    Problem::Multiclass { .. } => softmax(&z),
                    Problem::Regression => z.clone(),
                };
                (0..outputs)
                    .map(|k| (prediction[k] - t[k]).powi(2))
                    .sum::<f64>()
                    / outputs as f64
            }
        };
    }
    let mut loss = total / points.len() as f64;
    if objective == Objective::WithPenalty {
        let rate = training.regularization_rate;
        let ws = weights
            .iter()
            .flat_map(|l| &l.weights)
            .map(|&w| f64::from(w));
        loss += match training.regularization {
            Regularization::None => 0.0,
            Regularization::L1 => rate * ws.map(f64::abs).sum::<f64>(),
            Regularization::L2 => rate * ws.map(|w| w * w).sum::<f64>(),
        };
    }
    loss
}

// ---------------------------------------------------------------------------------------
// 1. Probe

/// At every cell centre of a 7×7 grid the probe shows exactly what the fused engine's grids
/// show: every hidden neuron's output and the prediction.
#[test]
fn the_probe_equals_the_fused_forward_pass() {
    let configs = [
        ExperimentConfig::default(),
        spiral(vec![LayerSpec::new(8, Activation::Relu); 3]),
        blobs(),
        regression(),
    ];
    for config in configs {
        let mut session = trained(&config, 60);
        let experiment = config.validate().unwrap();
        let n = 7;
        let snapshot = session.snapshot(n).unwrap();
        let outputs = experiment.problem().outputs();
        for cell in 0..n * n {
            let (x1, x2) = grid::cell_centre(cell / n, cell % n, n);
            let trace = probe(&experiment, &snapshot.layers, x1, x2).unwrap();
            assert_eq!(trace.inputs.len(), experiment.config().features.len());
            assert_eq!(trace.layers.len(), snapshot.layers.len());
            for (l, layer) in trace.layers.iter().take(trace.layers.len() - 1).enumerate() {
                for (j, neuron) in layer.neurons.iter().enumerate() {
                    let grid = snapshot.neuron_grid(l, j).unwrap();
                    let d = (neuron.output - grid[cell]).abs();
                    assert!(d <= 1e-5, "layer {l} neuron {j} cell {cell}: off by {d}");
                }
            }
            for k in 0..outputs {
                let d = (trace.prediction[k] - snapshot.output_grid[k * n * n + cell]).abs();
                assert!(d <= 1e-5, "prediction {k} at cell {cell}: off by {d}");
            }
        }
    }
}

/// The parts of the trace add up: inputs are the feature values, contributions are input ×
/// weight, the sum is bias + contributions, outputs feed the next layer's contributions.
#[test]
fn the_probe_trace_adds_up() {
    let config = spiral(vec![
        LayerSpec::new(5, Activation::Tanh),
        LayerSpec::new(3, Activation::Sigmoid),
    ]);
    let session = trained(&config, 40);
    let experiment = config.validate().unwrap();
    let weights = session.weights();
    let (x1, x2) = (1.5, -2.25);
    let trace = probe(&experiment, &weights, x1, x2).unwrap();
    let expected: Vec<f32> = Feature::ALL.iter().map(|f| f.value(x1, x2)).collect();
    assert_eq!(trace.features, Feature::ALL.to_vec());
    assert_eq!(trace.inputs, expected);
    let mut inputs = trace.inputs.clone();
    for (l, layer) in trace.layers.iter().enumerate() {
        let w = &weights[l];
        for (j, neuron) in layer.neurons.iter().enumerate() {
            for (i, &c) in neuron.contributions.iter().enumerate() {
                assert_eq!(c, inputs[i] * w.weights[i * w.outputs + j]);
            }
            let sum = neuron.bias + neuron.contributions.iter().sum::<f32>();
            assert!((sum - neuron.sum).abs() <= 1e-5 * (1.0 + sum.abs()));
        }
        inputs = layer.neurons.iter().map(|n| n.output).collect();
    }
    let tanh = trace.layers[0].neurons[2].sum.tanh();
    assert!((trace.layers[0].neurons[2].output - tanh).abs() < 1e-6);
    let logit = trace.layers[2].neurons[0].output;
    assert!((trace.prediction[0] - 1.0 / (1.0 + (-logit).exp())).abs() < 1e-6);
    let short = &weights[1..];
    assert!(matches!(
        probe(&experiment, short, 0.0, 0.0),
        Err(InspectError::Weights(_))
    ));
}

/// burn's forward pass on the same weights (a session resumed from them) agrees too.
#[test]
fn the_probe_equals_burn_on_the_same_weights() {
    let config = spiral(vec![LayerSpec::new(8, Activation::Tanh); 2]);
    let fused = trained(&config, 50);
    let experiment = config.validate().unwrap();
    let weights = fused.weights();
    let mut burn = Session::resume(experiment.clone(), Device::flex(), &weights, 0).unwrap();
    let n = 5;
    let snapshot = pollster::block_on(burn.snapshot(n)).unwrap();
    for cell in 0..n * n {
        let (x1, x2) = grid::cell_centre(cell / n, cell % n, n);
        let trace = probe(&experiment, &weights, x1, x2).unwrap();
        for (j, neuron) in trace.layers[1].neurons.iter().enumerate() {
            let d = (neuron.output - snapshot.neuron_grid(1, j).unwrap()[cell]).abs();
            assert!(d <= 1e-5, "neuron {j} at cell {cell}: off by {d}");
        }
        let d = (trace.prediction[0] - snapshot.output_grid[cell]).abs();
        assert!(d <= 1e-5, "prediction at cell {cell}: off by {d}");
    }
}

// ---------------------------------------------------------------------------------------
// 2, 3. Gradients

/// Central differences of the f64 reference loss, shaped like the weights.
fn numeric_gradient(
    experiment: &Experiment,
    training: &TrainingConfig,
    weights: &[LayerWeights],
    points: &[Point],
    objective: Objective,
) -> Vec<LayerWeights> {
    let eps = 1e-3f32;
    let loss = |w: &[LayerWeights]| loss64(experiment, training, w, points, objective);
    let mut out = weights.to_vec();
    for l in 0..weights.len() {
        for i in 0..weights[l].weights.len() + weights[l].biases.len() {
            let nudged = |delta: f32| {
                let mut w = weights.to_vec();
                let n = w[l].weights.len();
                if i < n {
                    w[l].weights[i] += delta;
                } else {
                    w[l].biases[i - n] += delta;
                }
                loss(&w)
            };
            // The nudge actually applied (f32 rounding), for an exact denominator.
            let base = if i < weights[l].weights.len() {
                weights[l].weights[i]
            } else {
                weights[l].biases[i - weights[l].weights.len()]
            };
            let step = f64::from(base + eps) - f64::from(base - eps);
            let value = ((nudged(eps) - nudged(-eps)) / step) as f32;
            let n = out[l].weights.len();
            if i < n {
                out[l].weights[i] = value;
            } else {
                out[l].biases[i - n] = value;
            }
        }
    }
    out
}

/// Every weight's and bias's gradient equals a central difference of an independent f64
/// loss, for each loss, problem and penalty, on tiny nets.
#[test]
fn batch_gradients_match_finite_differences() {
    let mut cases = Vec::new();
    let tiny = |mut config: ExperimentConfig, hidden: Vec<LayerSpec>| {
        config.network.hidden = hidden;
        config.data.size = 60;
        config.data.noise_percent = 20;
        config
    };
    let small = vec![
        LayerSpec::new(3, Activation::Tanh),
        LayerSpec::new(2, Activation::Sigmoid),
    ];
    let mut bce = tiny(ExperimentConfig::default(), small.clone());
    bce.training.regularization = Regularization::L2;
    bce.training.regularization_rate = 0.01;
    cases.push((bce.clone(), Objective::WithPenalty));
    cases.push((bce, Objective::DataLoss));
    let mut mse = tiny(ExperimentConfig::default(), small.clone());
    mse.training.loss = LossKind::Mse;
    mse.training.regularization = Regularization::L1;
    mse.training.regularization_rate = 0.003;
    cases.push((mse, Objective::WithPenalty));
    let mut cce = tiny(blobs(), vec![LayerSpec::new(3, Activation::Silu)]);
    cce.network
        .hidden
        .push(LayerSpec::new(2, Activation::LeakyRelu));
    cases.push((cce.clone(), Objective::DataLoss));
    cce.training.loss = LossKind::Mse;
    cases.push((cce, Objective::DataLoss));
    let huber = tiny(regression(), small);
    cases.push((huber, Objective::DataLoss));
    for (config, objective) in cases {
        let session = trained(&config, 30);
        let experiment = config.validate().unwrap();
        let training = config.training;
        let points = &session.dataset().train[..12];
        let weights = session.weights();
        let analytic = batch_gradient(&experiment, &training, &weights, points, objective).unwrap();
        let numeric = numeric_gradient(&experiment, &training, &weights, points, objective);
        for (l, (a, n)) in analytic.iter().zip(&numeric).enumerate() {
            assert_eq!(
                (a.inputs, a.outputs),
                (weights[l].inputs, weights[l].outputs)
            );
            for (i, (&a, &n)) in a
                .weights
                .iter()
                .chain(&a.biases)
                .zip(n.weights.iter().chain(&n.biases))
                .enumerate()
            {
                assert!(
                    (a - n).abs() <= 1e-4 + 1e-3 * n.abs(),
                    "{:?} {objective:?} layer {l} parameter {i}: analytic {a}, numeric {n}",
                    training.loss
                );
            }
        }
        // The norms are those of the finite-difference gradient too.
        if objective == Objective::DataLoss {
            let norms = gradient_norms(&experiment, &training, &weights, points).unwrap();
            for (a, n) in norms.iter().zip(layer_norms(&numeric)) {
                assert!((a.weights - n.weights).abs() <= 1e-4 + 1e-3 * n.weights);
                assert!((a.biases - n.biases).abs() <= 1e-4 + 1e-3 * n.biases);
            }
        }
    }
}

/// The gradient on the batch the next step takes is the one the step applies: after one SGD
/// step every weight has moved by exactly -learning rate × gradient (with the penalty when
/// there is one), mid-epoch too.
#[test]
fn the_next_batch_gradient_is_the_step() {
    for (regularization, rate) in [(Regularization::None, 0.0), (Regularization::L2, 0.01)] {
        let mut config = spiral(vec![LayerSpec::new(6, Activation::Relu); 2]);
        config.training.regularization = regularization;
        config.training.regularization_rate = rate;
        config.training.learning_rate = 0.05;
        let mut session = trained(&config, 37);
        let experiment = config.validate().unwrap();
        for _ in 0..3 {
            let before = session.weights();
            let batch: Vec<Point> = session
                .next_batch()
                .iter()
                .map(|&i| session.dataset().train[i])
                .collect();
            assert_eq!(batch.len(), 10);
            let gradient = batch_gradient(
                &experiment,
                session.training(),
                &before,
                &batch,
                Objective::WithPenalty,
            )
            .unwrap();
            session.train_steps(1);
            let after = session.weights();
            let lr = 0.05f32;
            for ((b, a), g) in before.iter().zip(&after).zip(&gradient) {
                let expected: Vec<f32> = b
                    .weights
                    .iter()
                    .chain(&b.biases)
                    .zip(g.weights.iter().chain(&g.biases))
                    .map(|(&w, &g)| w - g * lr)
                    .collect();
                let got: Vec<f32> = a.weights.iter().chain(&a.biases).copied().collect();
                assert!(max_diff(&expected, &got) <= 1e-6, "{regularization:?}");
            }
        }
    }
}

/// A session resumed at the same epoch looks ahead to the batches the running one takes, also
/// in the middle of an epoch (the page's step view resumes one from the weights on screen).
#[test]
fn a_resumed_session_sees_the_running_sessions_batches() {
    let config = spiral(vec![LayerSpec::new(6, Activation::Relu); 2]);
    let experiment = config.validate().unwrap();
    let mut session = trained(&config, 37);
    let into = session.steps_per_epoch() - session.steps_left_in_epoch();
    assert!(into > 0, "37 steps end mid-epoch");
    let resumed =
        FusedSession::resume(experiment.clone(), &session.weights(), session.epoch()).unwrap();
    assert_eq!(resumed.batch_after(into), session.next_batch());
    assert_eq!(session.batch_after(0), session.next_batch());
    let ahead = session.batch_after(3);
    session.train_steps(3);
    assert_eq!(session.next_batch(), ahead);
}

/// Through six sigmoid layers the gradient shrinks layer by layer towards the input (each
/// sigmoid passes at most a quarter of it); through ReLU (He init) or tanh layers it does not
/// fall nearly as much.
#[test]
fn gradients_vanish_through_stacked_sigmoids() {
    let ratio = |activation: Activation, init: Init| {
        let mut config = spiral(vec![LayerSpec::new(8, activation); 6]);
        config.features = FeatureSet::default();
        config.network.init = init;
        let experiment = config.validate().unwrap();
        let session = FusedSession::new(experiment.clone());
        let norms = gradient_norms(
            &experiment,
            &config.training,
            &session.weights(),
            &session.dataset().train,
        )
        .unwrap();
        let biases: Vec<f32> = norms.iter().map(|n| n.biases).collect();
        println!("{activation:?}: bias gradient norms by layer {biases:?}");
        (biases[0] / biases[5], biases)
    };
    let (sigmoid, norms) = ratio(Activation::Sigmoid, Init::Xavier);
    assert!(
        norms[..6].windows(2).all(|w| w[0] < w[1]),
        "sigmoid norms fall towards the input: {norms:?}"
    );
    assert!(sigmoid < 1e-2, "sigmoid: first/last hidden layer {sigmoid}");
    let (relu, _) = ratio(Activation::Relu, Init::He);
    let (tanh, _) = ratio(Activation::Tanh, Init::Xavier);
    println!("first/last hidden layer: sigmoid {sigmoid:.2e}, relu {relu:.2e}, tanh {tanh:.2e}");
    assert!(relu > 20.0 * sigmoid && tanh > 20.0 * sigmoid);
}

// ---------------------------------------------------------------------------------------
// 4. Dead units and histograms

/// A ReLU pushed below zero everywhere is dead; a unit whose weights are zero is constant;
/// the rest are alive.
#[test]
fn dead_and_constant_units_are_found() {
    let mut config = ExperimentConfig::default();
    config.network.hidden = vec![
        LayerSpec::new(4, Activation::Relu),
        LayerSpec::new(3, Activation::Sigmoid),
    ];
    let experiment = config.validate().unwrap();
    let mut weights = model::initial_weights(&experiment);
    weights[0].biases[1] = -100.0;
    // Neuron 2 of layer 2: no incoming weights, so sigmoid(bias) at every point.
    for i in 0..4 {
        weights[1].weights[i * 3 + 2] = 0.0;
    }
    weights[1].biases[2] = 3.0;
    let dataset = experiment.dataset();
    let layers = unit_activity(&experiment, &weights, &dataset.train).unwrap();
    let states: Vec<Vec<UnitState>> = layers
        .iter()
        .map(|l| l.iter().map(|u| u.state).collect())
        .collect();
    use UnitState::*;
    assert_eq!(
        states,
        vec![
            vec![Alive, Dead, Alive, Alive],
            vec![Alive, Alive, Constant]
        ]
    );
    let dead = layers[0][1];
    assert_eq!((dead.min, dead.max, dead.positive_share), (0.0, 0.0, 0.0));
    let alive = layers[0][0];
    assert!(
        alive.positive_share > 0.1 && alive.positive_share < 0.9,
        "{alive:?}"
    );
    let constant = layers[1][2];
    assert_eq!(constant.min, constant.max);
    assert!((constant.min - 1.0 / (1.0 + (-3.0f32).exp())).abs() < 1e-6);
    assert!(matches!(
        unit_activity(&experiment, &weights, &[]),
        Err(InspectError::NoPoints)
    ));
}

/// A learning rate far too high kills ReLU units that a sensible one keeps alive.
#[test]
fn a_huge_learning_rate_kills_relu_units() {
    let dead_after = |learning_rate: f64| {
        let mut config = spiral(vec![LayerSpec::new(8, Activation::Relu); 3]);
        config.network.init = Init::He;
        config.training.learning_rate = learning_rate;
        let session = trained(&config, 500);
        let experiment = config.validate().unwrap();
        let layers =
            unit_activity(&experiment, &session.weights(), &session.dataset().train).unwrap();
        layers
            .iter()
            .flatten()
            .filter(|u| u.state == UnitState::Dead)
            .count()
    };
    let (calm, wild) = (dead_after(0.01), dead_after(1.0));
    println!("dead ReLU units after 500 steps: lr 0.01 → {calm}, lr 1 → {wild}");
    assert!(wild >= calm + 4, "lr 0.01: {calm} dead, lr 1: {wild} dead");
}

#[test]
fn weight_histograms_count_every_weight() {
    let session = trained(&spiral(vec![LayerSpec::new(8, Activation::Tanh); 3]), 100);
    let weights = session.weights();
    let h = weight_histograms(&weights, inspect::limits::HISTOGRAM_BINS);
    let (low, high) = h.range;
    assert_eq!(low, -high);
    for (l, layer) in weights.iter().enumerate() {
        assert!(layer.weights.iter().all(|w| w.abs() <= high));
        assert_eq!(h.weights[l].len(), inspect::limits::HISTOGRAM_BINS);
        assert_eq!(
            h.weights[l].iter().sum::<u32>() as usize,
            layer.weights.len()
        );
        assert_eq!(h.biases[l].iter().sum::<u32>() as usize, layer.biases.len());
    }
}

// ---------------------------------------------------------------------------------------
// 5. Loss landscape

fn landscape_of(
    session: &FusedSession,
    directions: &Directions,
    config: LandscapeConfig,
) -> LandscapeJob {
    LandscapeJob::new(
        session.experiment(),
        session.training(),
        &session.weights(),
        directions,
        &session.dataset().train,
        config,
    )
    .unwrap()
}

/// Same seed, same directions; each neuron's incoming direction is as long as its incoming
/// weights; bias directions are zero.
#[test]
fn directions_are_seeded_and_filter_normalised() {
    let session = trained(&spiral(vec![LayerSpec::new(8, Activation::Relu); 3]), 200);
    let weights = session.weights();
    let a = Directions::random(&weights, 7);
    assert_eq!(a, Directions::random(&weights, 7));
    assert_ne!(a.first, Directions::random(&weights, 8).first);
    assert_ne!(a.first, a.second);
    let column = |w: &LayerWeights, j: usize| {
        (0..w.inputs)
            .map(|i| f64::from(w.weights[i * w.outputs + j]).powi(2))
            .sum::<f64>()
            .sqrt()
    };
    for direction in [&a.first, &a.second] {
        for (w, d) in weights.iter().zip(direction) {
            assert_eq!((w.inputs, w.outputs), (d.inputs, d.outputs));
            assert!(d.biases.iter().all(|&b| b == 0.0));
            for j in 0..w.outputs {
                let (target, got) = (column(w, j), column(d, j));
                assert!((target - got).abs() <= 1e-5 * target, "{target} vs {got}");
            }
        }
    }
}

/// The centre of the slice is the current training loss (the loss chart's); every cell is
/// the loss at `centre + α·d₁ + β·d₂` for its (α, β); a trained net sits in a valley.
#[test]
fn the_landscape_is_centred_on_the_current_loss() {
    let mut config = spiral(vec![LayerSpec::new(8, Activation::Tanh); 2]);
    config.training.optimizer = OptimizerKind::Adam;
    config.training.learning_rate = 0.01;
    config.training.regularization = Regularization::L2;
    config.training.regularization_rate = 0.001;
    let mut session = trained(&config, 1500);
    let weights = session.weights();
    let directions = Directions::random(&weights, 3);
    let grid = LandscapeConfig {
        size: 9,
        radius: 0.5,
        objective: Objective::DataLoss,
    };
    let mut job = landscape_of(&session, &directions, grid);
    assert!(!job.step(1));
    let centre = 4 * 9 + 4;
    assert_eq!(job.landscape().cell(centre), (0.0, 0.0));
    let metrics = session.metrics();
    let landscape = job.landscape();
    assert_eq!(landscape.computed, 1);
    assert!(
        (landscape.losses[centre] - metrics.train_loss).abs() <= 1e-6,
        "centre {} vs train loss {}",
        landscape.losses[centre],
        metrics.train_loss
    );
    while !job.step(10) {}
    let landscape = job.landscape().clone();
    assert_eq!(job.progress(), (81, 81));
    assert!(landscape.losses.iter().all(|v| v.is_finite()));
    // Row 0 is the top (β = +r), column 0 the left (α = -r).
    assert_eq!(landscape.cell(0), (-0.5, 0.5));
    assert_eq!(landscape.cell(80), (0.5, -0.5));
    let experiment = session.experiment().clone();
    let training = *session.training();
    let points = session.dataset().train.clone();
    for cell in [0, 13, 44, 80] {
        let (alpha, beta) = landscape.cell(cell);
        let at = directions.point(&weights, alpha, beta);
        let reference = loss64(&experiment, &training, &at, &points, Objective::DataLoss);
        let d = (f64::from(landscape.losses[cell]) - reference).abs();
        assert!(d <= 1e-4 * (1.0 + reference), "cell {cell}: off by {d}");
    }
    let border: Vec<f32> = (0..81)
        .filter(|i| i / 9 == 0 || i / 9 == 8 || i % 9 == 0 || i % 9 == 8)
        .map(|i| landscape.losses[i])
        .collect();
    let mean_border = border.iter().sum::<f32>() / border.len() as f32;
    assert!(
        mean_border > 1.5 * landscape.losses[centre],
        "border {mean_border} vs centre {}",
        landscape.losses[centre]
    );
    // With the penalty, the centre adds rate × Σw².
    let mut with_penalty = landscape_of(
        &session,
        &directions,
        LandscapeConfig {
            objective: Objective::WithPenalty,
            ..grid
        },
    );
    with_penalty.step(1);
    let penalty: f64 = weights
        .iter()
        .flat_map(|l| &l.weights)
        .map(|&w| 0.001 * f64::from(w) * f64::from(w))
        .sum();
    let expected = f64::from(metrics.train_loss) + penalty;
    assert!((f64::from(with_penalty.landscape().losses[centre]) - expected).abs() < 1e-5);
    // A job done in one go gives the same numbers.
    let mut at_once = landscape_of(&session, &directions, grid);
    assert!(at_once.step(usize::MAX));
    assert_eq!(at_once.landscape(), &landscape);
}

#[test]
fn bad_landscape_settings_are_refused() {
    let session = trained(&ExperimentConfig::default(), 1);
    let weights = session.weights();
    let directions = Directions::random(&weights, 1);
    let job = |config: LandscapeConfig, directions: &Directions, points: &[Point]| {
        LandscapeJob::new(
            session.experiment(),
            session.training(),
            &weights,
            directions,
            points,
            config,
        )
        .err()
    };
    let train = &session.dataset().train;
    let sized = |size| LandscapeConfig {
        size,
        ..LandscapeConfig::default()
    };
    let radius = |radius| LandscapeConfig {
        radius,
        ..LandscapeConfig::default()
    };
    assert_eq!(
        job(sized(2), &directions, train),
        Some(InspectError::LandscapeSize(2))
    );
    assert_eq!(
        job(sized(52), &directions, train),
        Some(InspectError::LandscapeSize(52))
    );
    assert!(matches!(
        job(radius(f32::NAN), &directions, train),
        Some(InspectError::LandscapeRadius(_))
    ));
    assert_eq!(
        job(radius(0.0), &directions, train),
        Some(InspectError::LandscapeRadius(0.0))
    );
    assert_eq!(
        job(LandscapeConfig::default(), &directions, &[]),
        Some(InspectError::NoPoints)
    );
    let mut bent = directions.clone();
    bent.second.pop();
    assert!(matches!(
        job(LandscapeConfig::default(), &bent, train),
        Some(InspectError::Weights(_))
    ));
    for error in [
        InspectError::LandscapeSize(2),
        InspectError::LandscapeRadius(0.0),
    ] {
        assert!(error.to_string().contains("use"), "{error}");
    }
}

/// A path built on the plane is recovered exactly; a real training path is mostly off a
/// random plane (which is why the captured share is reported).
#[test]
fn paths_project_onto_the_plane() {
    let mut session = FusedSession::new(
        spiral(vec![LayerSpec::new(8, Activation::Tanh); 2])
            .validate()
            .unwrap(),
    );
    let mut path = Vec::new();
    for _ in 0..20 {
        session.train_steps(25);
        path.push(session.weights());
    }
    let centre = session.weights();
    let directions = Directions::random(&centre, 5);
    let on_plane: Vec<Vec<LayerWeights>> = [(0.3, -0.2), (-1.0, 0.5), (0.0, 0.0)]
        .iter()
        .map(|&(a, b)| directions.point(&centre, a, b))
        .collect();
    let projection = directions.project(&centre, &on_plane);
    for (&(a, b), &(x, y)) in [(0.3f32, -0.2f32), (-1.0, 0.5), (0.0, 0.0)]
        .iter()
        .zip(&projection.coordinates)
    {
        assert!(
            (a - x).abs() < 1e-4 && (b - y).abs() < 1e-4,
            "({a}, {b}) vs ({x}, {y})"
        );
    }
    assert!(projection.captured > 0.9999, "{}", projection.captured);
    let real = directions.project(&centre, &path);
    assert_eq!(real.coordinates.len(), 20);
    assert_eq!(real.coordinates[19], (0.0, 0.0));
    // The path's principal plane holds most of it, and a slice of its extent shows it all.
    let principal = Directions::principal(&centre, &path).unwrap();
    let along = principal.project(&centre, &path);
    println!(
        "the training path in a random plane: {:.1} %, in its principal plane: {:.1} %",
        100.0 * real.captured,
        100.0 * along.captured
    );
    assert!((0.0..0.1).contains(&real.captured));
    assert!(along.captured > 0.8);
    assert!(along.extent() > 0.0 && along.extent() < inspect::limits::MAX_LANDSCAPE_RADIUS);
    let unit = |d: &[LayerWeights]| {
        d.iter()
            .flat_map(|l| l.weights.iter().chain(&l.biases))
            .map(|&v| f64::from(v) * f64::from(v))
            .sum::<f64>()
    };
    let cross: f64 = principal
        .first
        .iter()
        .zip(&principal.second)
        .flat_map(|(a, b)| {
            a.weights
                .iter()
                .chain(&a.biases)
                .zip(b.weights.iter().chain(&b.biases))
        })
        .map(|(&a, &b)| f64::from(a) * f64::from(b))
        .sum();
    assert!((unit(&principal.first) - 1.0).abs() < 1e-5);
    assert!((unit(&principal.second) - 1.0).abs() < 1e-5);
    assert!(cross.abs() < 1e-5, "orthogonal: {cross}");
    // A path in a plane through the centre is captured whole by its principal plane; one on a
    // line, or a single point, spans no plane.
    let planar = directions.project(&centre, &on_plane);
    let refound = Directions::principal(&centre, &on_plane).unwrap();
    assert!(refound.project(&centre, &on_plane).captured > 0.9999);
    assert_eq!(planar.coordinates.len(), 3);
    let line: Vec<Vec<LayerWeights>> = [0.5, 1.0, 2.0]
        .iter()
        .map(|&a| directions.point(&centre, a, 0.0))
        .collect();
    assert_eq!(Directions::principal(&centre, &line), None);
    assert_eq!(Directions::principal(&centre, &path[..1]), None);
}

/// Native times of the inspections on the playground's nets (the figures in the report).
/// Slow in a debug build (the core at opt-level 0): run `cargo test -p emberlab-core
/// --profile bench --test inspect -- --ignored --nocapture timings`.
#[test]
#[ignore = "timings, meaningful only in an optimised build"]
fn timings() {
    let ms = |start: Instant| start.elapsed().as_secs_f64() * 1e3;
    let mut big = spiral(vec![LayerSpec::new(16, Activation::Tanh); 8]);
    big.data.size = 2000;
    big.data.train_percent = 90;
    let mut six = spiral(vec![LayerSpec::new(8, Activation::Tanh); 6]);
    six.features = FeatureSet::from_features(&Feature::ALL[..7]);
    for (name, config) in [
        ("default 4-2, 250 points", ExperimentConfig::default()),
        ("spiral 6×8, 250 points", six),
        ("spiral 8×16, 1800 points", big),
    ] {
        let mut session = FusedSession::new(config.validate().unwrap());
        let mut path = Vec::new();
        for _ in 0..50 {
            session.train_steps(10);
            path.push(session.weights());
        }
        let (experiment, training) = (session.experiment().clone(), *session.training());
        let (weights, train) = (session.weights(), session.dataset().train.clone());
        let directions = Directions::random(&weights, 1);
        let mut job = landscape_of(&session, &directions, LandscapeConfig::default());
        let start = Instant::now();
        assert!(job.step(usize::MAX));
        let landscape = ms(start);
        let sample = &train[..train.len().min(500)];
        let mut sampled = LandscapeJob::new(
            &experiment,
            &training,
            &weights,
            &directions,
            sample,
            LandscapeConfig::default(),
        )
        .unwrap();
        let start = Instant::now();
        assert!(sampled.step(usize::MAX));
        let landscape_sampled = ms(start);
        let start = Instant::now();
        let principal = Directions::principal(&weights, &path).unwrap();
        principal.project(&weights, &path);
        let pca = ms(start);
        let start = Instant::now();
        for _ in 0..100 {
            gradient_norms(&experiment, &training, &weights, &train).unwrap();
        }
        let norms = ms(start) / 100.0;
        let start = Instant::now();
        for _ in 0..100 {
            unit_activity(&experiment, &weights, &train).unwrap();
        }
        let units = ms(start) / 100.0;
        let start = Instant::now();
        for _ in 0..1000 {
            probe(&experiment, &weights, 1.0, -2.0).unwrap();
        }
        let probes = ms(start);
        let start = Instant::now();
        let mut curve = LearningCurveJob::with_defaults(experiment).unwrap();
        assert!(curve.step(u64::MAX));
        let curve = ms(start);
        println!(
            "{name}: landscape 21×21 {landscape:.1} ms ({landscape_sampled:.1} ms on ≤500 \
             points), principal directions of 50 snapshots {pca:.2} ms, gradient norms over the \
             training set {norms:.3} ms, unit activity {units:.3} ms, probe {probes:.1} µs, \
             default learning curve (5 × 3000 steps) {curve:.0} ms"
        );
    }
}

// ---------------------------------------------------------------------------------------
// 6. Generalisation gap and early stopping

/// Few noisy points and a big network: the test loss falls, then climbs as it memorises.
fn overfitting() -> ExperimentConfig {
    ExperimentConfig::overfitting()
}

#[test]
fn early_stopping_waits_for_its_patience() {
    let mut watcher = EarlyStopping::new(30, 0.0);
    let mut kept = 0;
    let losses = [1.0, 0.8, 0.7, 0.75, 0.72, f32::NAN, 0.71, 0.9];
    let verdicts: Vec<Verdict> = losses
        .iter()
        .enumerate()
        .map(|(i, &loss)| {
            watcher.observe(10 * i as u64, loss, || {
                kept += 1;
                Vec::new()
            })
        })
        .collect();
    use Verdict::*;
    assert_eq!(
        verdicts,
        vec![
            Improved, Improved, Improved, Waiting, Waiting, Stop, Stop, Stop
        ]
    );
    assert_eq!(kept, 3, "weights are taken only for a new best");
    assert_eq!(watcher.best(), Some((20, 0.7)));
    assert!(watcher.should_stop());
    watcher.reset();
    assert_eq!(watcher.best(), None);
    assert!(!watcher.should_stop());
    // An improvement smaller than min_delta does not count.
    let mut strict = EarlyStopping::new(10, 0.05);
    assert_eq!(strict.observe(0, 1.0, Vec::new), Improved);
    assert_eq!(strict.observe(5, 0.97, Vec::new), Waiting);
    assert_eq!(strict.observe(10, 0.96, Vec::new), Stop);
    assert_eq!(strict.observe(11, 0.90, Vec::new), Improved);
}

/// On an overfitting run early stopping stops soon after the test loss turns, and its kept
/// weights give back the best test loss; the history helpers find the same epoch.
#[test]
fn early_stopping_keeps_the_best_weights_of_an_overfitting_run() {
    let mut session = FusedSession::new(overfitting().validate().unwrap());
    let mut watcher = EarlyStopping::new(50, 0.0);
    let mut history = Vec::new();
    let stopped_at = loop {
        session.train_epochs(10);
        let m = session.metrics();
        history.push(playground_state::HistoryPoint {
            epoch: m.epoch as u32,
            train_loss: m.train_loss,
            test_loss: m.test_loss,
            train_accuracy: m.train_accuracy,
            test_accuracy: m.test_accuracy,
        });
        if watcher.observe(m.epoch, m.test_loss, || session.weights()) == Verdict::Stop {
            break m.epoch;
        }
        assert!(m.epoch < 1000, "never stopped: {history:?}");
    };
    let (best_epoch, best_loss) = watcher.best().unwrap();
    println!("stopped at epoch {stopped_at}, best test loss {best_loss} at epoch {best_epoch}");
    assert_eq!(stopped_at, best_epoch + 50);
    let best = best_test_epoch(&history).unwrap();
    assert_eq!(
        (u64::from(best.epoch), best.test_loss),
        (best_epoch, best_loss)
    );
    assert!(history.last().unwrap().test_loss > best_loss);
    let gaps = gap_series(&history);
    assert!(
        gaps.last().unwrap().gap > gaps[0].gap,
        "the gap widens: {gaps:?}"
    );
    let experiment = session.experiment().clone();
    let weights = watcher.best_weights().unwrap();
    let mut restored = FusedSession::resume(experiment, weights, best_epoch).unwrap();
    assert_eq!(restored.metrics().test_loss, best_loss);
    // Stopping was right: training on makes the test loss much worse.
    session.train_epochs(200);
    let later = session.metrics().test_loss;
    assert!(
        later > best_loss + 0.2,
        "200 epochs later: {later} vs best {best_loss}"
    );
}

// ---------------------------------------------------------------------------------------
// 7. Learning curve

/// On a noisy set a big network memorises 10 points (test loss far above train loss) and
/// generalises from 200: the gap at 200 points is under half the gap at 10 and the test
/// loss lower. (The margin held on every seed tried: gaps of 1.4–14 at 10 points, 0.1–0.4
/// at 200, on xor, circle and spiral.)
#[test]
fn more_data_narrows_the_gap() {
    let mut config = overfitting();
    config.data.size = 400;
    let experiment = config.validate().unwrap();
    let mut job = LearningCurveJob::new(experiment.clone(), &[200, 10, 40, 40], 1000).unwrap();
    assert_eq!(job.sizes(), &[10, 40, 200]);
    let mut progress = Vec::new();
    while !job.step(700) {
        progress.push(job.progress());
    }
    assert!(progress.windows(2).all(|w| w[0] < w[1]), "{progress:?}");
    assert_eq!(progress.len(), 4, "3000 steps in budgets of 700");
    assert_eq!(job.progress(), 1.0);
    let results = job.results();
    println!("{results:?}");
    assert_eq!(
        results.iter().map(|p| p.size).collect::<Vec<_>>(),
        vec![10, 40, 200]
    );
    let (small, large) = (results[0], results[2]);
    assert!(large.gap() < 0.5 * small.gap(), "{small:?} vs {large:?}");
    assert!(large.test_loss < small.test_loss);
    assert!(
        small.train_loss < large.train_loss,
        "few points are easier to fit"
    );
    // The same job again gives the same curve.
    let mut again = LearningCurveJob::new(experiment.clone(), &[10, 40, 200], 1000).unwrap();
    assert!(again.step(u64::MAX));
    assert_eq!(again.results(), results);
    // The full-size run is the experiment's own run.
    let mut own = FusedSession::new(experiment);
    own.train_steps(1000);
    assert_eq!(own.metrics().test_loss, large.test_loss);
}

#[test]
fn bad_learning_curves_are_refused() {
    let experiment = ExperimentConfig::default().validate().unwrap();
    let curve =
        |sizes: &[usize], steps| LearningCurveJob::new(experiment.clone(), sizes, steps).err();
    assert_eq!(
        curve(&[0, 10], 10),
        Some(InspectError::CurveSize {
            size: 0,
            available: 250
        })
    );
    assert!(
        curve(&[251], 10)
            .unwrap()
            .to_string()
            .contains("use 1 to 250")
    );
    assert_eq!(curve(&[], 10), Some(InspectError::EmptyCurve));
    assert_eq!(curve(&[10], 0), Some(InspectError::EmptyCurve));
    assert_eq!(
        LearningCurveJob::default_sizes(250),
        vec![25, 50, 100, 175, 250]
    );
    assert_eq!(LearningCurveJob::default_sizes(5), vec![1, 2, 4, 5]);
    let job = LearningCurveJob::with_defaults(experiment).unwrap();
    assert_eq!(job.sizes(), &[25, 50, 100, 175, 250]);
    assert_eq!(job.progress(), 0.0);
}

// ---------------------------------------------------------------------------------------
// 8. Optimiser race

/// Four optimisers start from identical weights, take the same first batch, and have
/// diverged after 200 steps.
#[test]
fn an_optimiser_race_starts_level_and_diverges() {
    let experiment = spiral(vec![LayerSpec::new(8, Activation::Tanh); 2])
        .validate()
        .unwrap();
    let kinds = [
        OptimizerKind::Sgd,
        OptimizerKind::Momentum,
        OptimizerKind::Adam,
        OptimizerKind::RmsProp,
    ];
    let trainings = optimizer_variants(&experiment.config().training, &kinds);
    let start = model::initial_weights(&experiment);
    let mut sessions = race(&experiment, &start, 0, &trainings).unwrap();
    for (session, kind) in sessions.iter().zip(kinds) {
        assert_eq!(
            session.weights(),
            FusedSession::new(experiment.clone()).weights()
        );
        assert_eq!(session.training().optimizer, kind);
        assert_eq!(session.next_batch(), sessions[0].next_batch());
    }
    for session in &mut sessions {
        session.train_steps(200);
    }
    let losses: Vec<f32> = sessions
        .iter_mut()
        .map(|s| s.metrics().train_loss)
        .collect();
    println!("train loss after 200 steps (SGD, momentum, Adam, RMSProp): {losses:?}");
    for a in 0..4 {
        for b in a + 1..4 {
            assert_ne!(sessions[a].weights(), sessions[b].weights());
            assert!((losses[a] - losses[b]).abs() > 1e-4, "{losses:?}");
        }
    }
    let mut bad = trainings[0];
    bad.learning_rate = 0.0;
    assert!(matches!(
        race(&experiment, &start, 0, &[bad]),
        Err(InspectError::Training(_))
    ));
    assert!(matches!(
        race(&experiment, &start[1..], 0, &trainings),
        Err(InspectError::Weights(_))
    ));
}

#[test]
fn the_confusion_matrix_agrees_with_the_engines_test_accuracy() {
    for config in [spiral(vec![LayerSpec::new(6, Activation::Tanh)]), blobs()] {
        let mut session = trained(&config, 300);
        let (experiment, test) = (session.experiment().clone(), session.dataset().test.clone());
        let matrix = confusion(&experiment, &session.weights(), &test)
            .unwrap()
            .expect("classification");
        let classes = match experiment.problem() {
            Problem::Multiclass { classes } => classes,
            _ => 2,
        };
        assert_eq!(matrix.classes, classes);
        let total: u32 = matrix.counts.iter().sum();
        assert_eq!(total as usize, test.len(), "every test point counted once");
        let right: u32 = (0..classes).map(|c| matrix.at(c, c)).sum();
        let accuracy = session.metrics().test_accuracy.unwrap();
        assert!(
            (right as f32 / total as f32 - accuracy).abs() < 1e-6,
            "diagonal {right}/{total} against the engine's {accuracy}"
        );
        let rows: u32 = (0..classes).map(|c| matrix.row_total(c)).sum();
        assert_eq!(rows, total);
        assert_eq!(matrix.at(classes, 0), 0, "outside the matrix");
    }
    let session = trained(&regression(), 10);
    let none = confusion(
        session.experiment(),
        &session.weights(),
        &session.dataset().test,
    );
    assert_eq!(none.unwrap(), None, "no classes in regression");
}
