//! The fused CPU engine runs the same training as burn's session: same losses, weights and
//! grids, step by step, for every activation, loss, optimiser, regulariser and dropout.
#![allow(clippy::unwrap_used)]

use emberlab_core::Steps;
use emberlab_core::*;

/// Largest absolute difference between two equally long lists.
fn max_diff(a: &[f32], b: &[f32]) -> f32 {
    assert_eq!(a.len(), b.len(), "lengths differ");
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y).abs())
        .fold(0.0, f32::max)
}

/// Trains `config` on both engines for `rounds × steps` steps and checks they agree after
/// every round, then compares full snapshots.
fn assert_same_run(name: &str, config: ExperimentConfig, steps: usize, rounds: usize) {
    let experiment = config.validate().unwrap();
    let mut burn = Session::new(experiment.clone(), Device::flex());
    let mut fused = FusedSession::new(experiment);
    let close = |a: f32, b: f32, what: &str| {
        let tolerance = 2e-4 * (1.0 + a.abs());
        assert!(
            (a - b).abs() <= tolerance,
            "{name}: {what}: burn {a} vs fused {b}"
        );
    };
    for round in 0..=rounds {
        if round > 0 {
            assert_eq!(burn.train_steps(steps), fused.train_steps(steps));
        }
        let a = pollster::block_on(burn.metrics()).unwrap();
        let b = fused.metrics();
        assert_eq!(a.epoch, b.epoch, "{name}");
        close(a.train_loss, b.train_loss, "train loss");
        close(a.test_loss, b.test_loss, "test loss");
        if let (Some(x), Some(y)) = (a.test_accuracy, b.test_accuracy) {
            // A point right on the boundary may flip.
            assert!((x - y).abs() <= 0.02, "{name}: accuracy {x} vs {y}");
        }
    }
    let a = pollster::block_on(burn.snapshot(9)).unwrap();
    let b = fused.snapshot(9).unwrap();
    assert_eq!(a.layers.len(), b.layers.len());
    for (la, lb) in a.layers.iter().zip(&b.layers) {
        assert!(max_diff(&la.weights, &lb.weights) < 1e-3, "{name}: weights");
        let d = max_diff(&la.biases, &lb.biases);
        assert!(
            d < 1e-3,
            "{name}: biases differ by {d}: {:?} vs {:?}",
            la.biases,
            lb.biases
        );
    }
    for (ga, gb) in a.neuron_grids.iter().zip(&b.neuron_grids) {
        let d = max_diff(ga, gb);
        assert!(d < 2e-3, "{name}: neuron grids differ by {d}");
    }
    assert!(
        max_diff(&a.output_grid, &b.output_grid) < 2e-3,
        "{name}: output grid"
    );
}

/// Noise keeps points off the origin: there, with zero initial biases, a logit is exactly 0,
/// where burn's stable cross-entropy takes the subgradient 1 - y instead of σ(0) - y = ½ - y
/// (we use the true derivative).
fn spiral_net(activation: Activation) -> ExperimentConfig {
    let mut config = ExperimentConfig::default();
    config.data.kind = DatasetKind::Spiral;
    config.data.noise_percent = 10;
    // TensorFlow Playground's seven features (the cosines came later; with them and dropout 0.5
    // the two engines' float sums drift past the bias tolerance after 50 steps).
    config.features = FeatureSet::from_features(&Feature::ALL[..7]);
    config.network.hidden = vec![LayerSpec::new(8, activation); 3];
    config
}

#[test]
fn the_default_playground_run_matches_burn() {
    assert_same_run("default", ExperimentConfig::default(), 25, 3);
}

#[test]
fn every_activation_matches_burn() {
    for activation in Activation::ALL {
        let mut config = spiral_net(activation);
        config.network.init = Init::He;
        assert_same_run(activation.name(), config, 25, 2);
    }
}

#[test]
fn every_optimizer_matches_burn() {
    for optimizer in OptimizerKind::ALL {
        let mut config = spiral_net(Activation::Tanh);
        config.training.optimizer = optimizer;
        // RMSProp divides each gradient by its own running size, so in its first steps a
        // gradient that is zero up to rounding still moves its weight by about 10·lr, in a
        // direction set by rounding: a smaller rate keeps that noise below the tolerance.
        config.training.learning_rate = if optimizer == OptimizerKind::RmsProp {
            0.001
        } else {
            0.01
        };
        assert_same_run(optimizer.name(), config, 20, 2);
    }
}

#[test]
fn regularisation_and_dropout_match_burn() {
    for (regularization, rate, dropout) in [
        (Regularization::L2, 0.003, 0.0),
        (Regularization::L1, 0.001, 0.0),
        (Regularization::None, 0.0, 0.3),
        (Regularization::L2, 0.001, 0.5),
    ] {
        let mut config = spiral_net(Activation::Relu);
        config.training.regularization = regularization;
        config.training.regularization_rate = rate;
        for layer in &mut config.network.hidden {
            layer.dropout = dropout;
        }
        assert_same_run(
            &format!("{regularization:?} {rate}, dropout {dropout}"),
            config,
            25,
            2,
        );
    }
}

#[test]
fn every_loss_and_problem_matches_burn() {
    let cases = [
        (DatasetKind::Circle, LossKind::Mse, 2),
        (DatasetKind::Blobs, LossKind::CategoricalCrossEntropy, 4),
        (DatasetKind::Blobs, LossKind::Mse, 5),
        (DatasetKind::MultiGaussian, LossKind::Mse, 3),
        (DatasetKind::MultiGaussian, LossKind::Huber, 3),
    ];
    for (kind, loss, classes) in cases {
        let mut config = ExperimentConfig::default();
        config.data.kind = kind;
        config.data.classes = classes;
        config.training.loss = loss;
        config.training.optimizer = OptimizerKind::Adam;
        config.training.learning_rate = 0.01;
        assert_same_run(&format!("{kind:?} {loss:?}"), config, 30, 2);
    }
}

#[test]
fn full_batch_and_odd_batch_sizes_match_burn() {
    for batch in [BatchSize::Full, BatchSize::Points(7), BatchSize::Points(1)] {
        let mut config = spiral_net(Activation::Tanh);
        config.training.batch_size = batch;
        config.data.size = 130;
        assert_same_run(&format!("{batch:?}"), config, 9, 3);
    }
}

#[test]
fn live_changes_and_resume_match_burn() {
    let experiment = spiral_net(Activation::Tanh).validate().unwrap();
    let mut burn = Session::new(experiment.clone(), Device::flex());
    let mut fused = FusedSession::new(experiment.clone());
    burn.train_steps(30);
    fused.train_steps(30);
    let mut training = *fused.training();
    training.optimizer = OptimizerKind::RmsProp;
    training.batch_size = BatchSize::Points(4);
    training.learning_rate = 0.003;
    burn.set_training(training).unwrap();
    fused.set_training(training).unwrap();
    burn.train_steps(40);
    fused.train_steps(40);
    let a = pollster::block_on(burn.metrics()).unwrap();
    let b = fused.metrics();
    assert!((a.train_loss - b.train_loss).abs() < 2e-4, "{a:?} vs {b:?}");
    let weights = fused.weights();
    let resumed = FusedSession::resume(experiment.clone(), &weights, fused.epoch());
    let mut resumed = resumed.unwrap();
    assert_eq!(resumed.metrics().train_loss, fused.metrics().train_loss);
    assert!(FusedSession::resume(experiment, &weights[1..], 0).is_err());
}

#[test]
fn snapshots_have_the_documented_layout() {
    let mut config = ExperimentConfig::default();
    config.data.kind = DatasetKind::Blobs;
    config.data.classes = 4;
    config.training.loss = LossKind::CategoricalCrossEntropy;
    config.features = FeatureSet::all();
    config.network.hidden = vec![
        LayerSpec::new(5, Activation::Relu),
        LayerSpec::new(3, Activation::Relu),
    ];
    let mut session = FusedSession::new(config.validate().unwrap());
    // 13² = 169 cells: not a multiple of the vector width nor of a block.
    let snap = session.snapshot(13).unwrap();
    assert_eq!(snap.neuron_grids[0].len(), 5 * 169);
    assert_eq!(snap.neuron_grids[1].len(), 3 * 169);
    assert_eq!(snap.output_grid.len(), 4 * 169);
    for cell in [0, 100, 168] {
        let total: f32 = (0..4).map(|c| snap.output_grid[c * 169 + cell]).sum();
        assert!((total - 1.0).abs() < 1e-5, "cell {cell}: {total}");
    }
    assert!(snap.neuron_grids.iter().flatten().all(|&v| v >= 0.0));
    assert!(matches!(
        session.snapshot(0),
        Err(SessionError::GridSize(0))
    ));
}

#[test]
fn a_diverging_run_reports_non_finite_loss() {
    let mut config = ExperimentConfig::default();
    config.data.kind = DatasetKind::MultiGaussian;
    config.features = FeatureSet::all();
    config.network.hidden = vec![LayerSpec::new(8, Activation::Linear); 3];
    config.training.loss = LossKind::Mse;
    config.training.learning_rate = 10.0;
    let mut session = FusedSession::new(config.validate().unwrap());
    session.train_epochs(20);
    assert!(session.metrics().diverged());
}

#[test]
fn a_burn_run_is_observed_through_its_weights() {
    let experiment = spiral_net(Activation::Tanh).validate().unwrap();
    let mut trainer = Trainer::new(experiment, Engine::Burn(Device::flex()));
    trainer.train_steps(40);
    let delivered = pollster::block_on(trainer.observe(Some(9)).read()).unwrap();
    let seen = trainer.complete(delivered).unwrap();
    let Trainer::Burn { session, .. } = &mut trainer else {
        panic!("a burn engine makes a burn trainer");
    };
    let direct = pollster::block_on(session.observe(Some(9)).unwrap().read()).unwrap();
    assert_eq!(seen.metrics.epoch, direct.metrics.epoch);
    assert!((seen.metrics.train_loss - direct.metrics.train_loss).abs() < 1e-4);
    let (a, b) = (seen.snapshot.unwrap(), direct.snapshot.unwrap());
    assert_eq!(a.layers, b.layers, "the weights are read back exactly");
    assert!(max_diff(&a.output_grid, &b.output_grid) < 1e-4);
    for (ga, gb) in a.neuron_grids.iter().zip(&b.neuron_grids) {
        assert!(max_diff(ga, gb) < 1e-4);
    }
}
