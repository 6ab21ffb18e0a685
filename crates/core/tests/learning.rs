//! The core learns every data set, deterministically, with correct gradients and shapes.
#![allow(clippy::unwrap_used)]

use emberlab_core::Steps;
use emberlab_core::*;

fn experiment(
    kind: DatasetKind,
    features: &[Feature],
    hidden: &[usize],
    activation: Activation,
) -> ExperimentConfig {
    let problem = kind.problem(3);
    ExperimentConfig {
        seed: 7,
        data: DataConfig {
            kind,
            classes: 3,
            ..DataConfig::default()
        },
        features: FeatureSet::from_features(features),
        network: NetworkSpec {
            hidden: hidden
                .iter()
                .map(|&n| LayerSpec::new(n, activation))
                .collect(),
            init: Init::Xavier,
        },
        training: TrainingConfig {
            loss: LossKind::default_for(problem),
            optimizer: OptimizerKind::Adam,
            learning_rate: 0.03,
            batch_size: BatchSize::Full,
            ..TrainingConfig::default()
        },
    }
}

fn train(config: ExperimentConfig, epochs: u64) -> Metrics {
    let mut session = Session::new(config.validate().unwrap(), Device::flex());
    session.train_epochs(epochs);
    pollster::block_on(session.metrics()).unwrap()
}

const XY: [Feature; 2] = [Feature::X1, Feature::X2];

/// 16 squares need a wider, ReLU net and more points than the other sets.
fn checkerboard() -> ExperimentConfig {
    let mut config = experiment(
        DatasetKind::Checkerboard,
        &XY,
        &[16, 16, 16],
        Activation::Relu,
    );
    config.data.size = 2000;
    config.data.train_percent = 70;
    config.network.init = Init::He;
    config.training.learning_rate = 0.01;
    config
}

#[test]
fn every_classification_set_is_learnt_to_95_percent_test_accuracy() {
    use Activation::Tanh;
    let cases = [
        (experiment(DatasetKind::Circle, &XY, &[8, 8], Tanh), 300),
        (experiment(DatasetKind::Xor, &XY, &[8, 8], Tanh), 300),
        (experiment(DatasetKind::Gaussian, &XY, &[4], Tanh), 100),
        (experiment(DatasetKind::Moons, &XY, &[8, 8], Tanh), 300),
        (experiment(DatasetKind::Blobs, &XY, &[8], Tanh), 200),
        (
            experiment(DatasetKind::Spiral, &Feature::ALL, &[16, 16, 16], Tanh),
            800,
        ),
        (checkerboard(), 1500),
    ];
    for (config, epochs) in cases {
        let kind = config.data.kind;
        let m = train(config, epochs);
        let acc = m.test_accuracy.unwrap();
        eprintln!(
            "{kind:?}: test accuracy {acc:.3}, test loss {:.3}",
            m.test_loss
        );
        assert!(
            acc >= 0.95,
            "{kind:?}: test accuracy {acc} after {epochs} epochs"
        );
    }
}

#[test]
fn regression_sets_reach_a_low_loss() {
    for (kind, hidden, epochs) in [
        (DatasetKind::Plane, vec![], 300),
        (DatasetKind::MultiGaussian, vec![16, 16], 800),
    ] {
        let m = train(experiment(kind, &XY, &hidden, Activation::Tanh), epochs);
        eprintln!("{kind:?}: test loss {:.4}", m.test_loss);
        assert!(m.test_loss < 0.01, "{kind:?}: test loss {}", m.test_loss);
        assert!(m.test_accuracy.is_none());
    }
}

#[test]
fn mini_batch_sgd_with_tensorflow_playground_defaults_learns_the_circle() {
    let m = train(ExperimentConfig::default(), 150);
    assert!(m.test_accuracy.unwrap() >= 0.95, "{m:?}");
}

#[test]
fn every_optimizer_and_loss_lowers_the_loss() {
    for optimizer in OptimizerKind::ALL {
        for loss in [LossKind::Mse, LossKind::BinaryCrossEntropy] {
            let mut config = ExperimentConfig::default();
            config.training.optimizer = optimizer;
            config.training.loss = loss;
            config.training.learning_rate = 0.01;
            config.training.regularization = Regularization::L2;
            config.training.regularization_rate = 0.001;
            config.network.hidden[0].dropout = 0.1;
            let mut session = Session::new(config.validate().unwrap(), Device::flex());
            let before = pollster::block_on(session.metrics()).unwrap().train_loss;
            session.train_epochs(20);
            let after = pollster::block_on(session.metrics()).unwrap().train_loss;
            assert!(
                after < before,
                "{optimizer:?}/{loss:?}: {before} -> {after}"
            );
        }
    }
}

#[test]
fn same_seed_same_losses_other_seed_other_losses() {
    let run = |seed: u64| {
        let mut config = ExperimentConfig {
            seed,
            ..ExperimentConfig::default()
        };
        config.network.hidden[0].dropout = 0.2;
        let mut session = Session::new(config.validate().unwrap(), Device::flex());
        (0..5)
            .map(|_| {
                session.train_epochs(2);
                pollster::block_on(session.metrics()).unwrap().train_loss
            })
            .collect::<Vec<f32>>()
    };
    assert_eq!(run(3), run(3));
    assert_ne!(run(3), run(4));
}

#[test]
fn snapshot_shapes_match_the_network() {
    let mut config = experiment(DatasetKind::Blobs, &Feature::ALL, &[5, 3], Activation::Relu);
    config.data.classes = 4;
    let experiment = config.validate().unwrap();
    let mut session = Session::new(experiment, Device::flex());
    let snap = pollster::block_on(session.snapshot(12)).unwrap();
    assert_eq!(snap.grid_size, 12);
    assert_eq!(snap.neuron_grids.len(), 2);
    assert_eq!(snap.neuron_grids[0].len(), 5 * 144);
    assert_eq!(snap.neuron_grids[1].len(), 3 * 144);
    assert_eq!(snap.output_grid.len(), 4 * 144);
    let shapes: Vec<(usize, usize)> = snap.layers.iter().map(|l| (l.inputs, l.outputs)).collect();
    assert_eq!(shapes, vec![(Feature::ALL.len(), 5), (5, 3), (3, 4)]);
    assert!(
        snap.layers
            .iter()
            .all(|l| l.weights.len() == l.inputs * l.outputs)
    );
    // ReLU outputs are non-negative; class probabilities of a cell sum to one.
    assert!(snap.neuron_grids[0].iter().all(|&v| v >= 0.0));
    let total: f32 = (0..4).map(|c| snap.output_grid[c * 144]).sum();
    assert!((total - 1.0).abs() < 1e-4);
    assert!(snap.neuron_grid(1, 2).is_some() && snap.neuron_grid(1, 3).is_none());
}

#[test]
fn resume_continues_from_saved_weights_and_rejects_misfits() {
    let experiment = ExperimentConfig::default().validate().unwrap();
    let mut a = Session::new(experiment.clone(), Device::flex());
    a.train_epochs(5);
    let snap = pollster::block_on(a.snapshot(4)).unwrap();
    let mut b = Session::resume(experiment.clone(), Device::flex(), &snap.layers, 5).unwrap();
    let (ma, mb) = (
        pollster::block_on(a.metrics()).unwrap(),
        pollster::block_on(b.metrics()).unwrap(),
    );
    assert!((ma.train_loss - mb.train_loss).abs() < 1e-6);
    assert_eq!(mb.epoch, 5);
    let mut bad = snap.layers.clone();
    bad[0].weights.pop();
    assert!(matches!(
        Session::resume(experiment.clone(), Device::flex(), &bad, 0),
        Err(SessionError::Weights(_))
    ));
    assert!(Session::resume(experiment, Device::flex(), &snap.layers[1..], 0).is_err());
}

#[test]
fn a_bad_grid_size_is_an_error_not_a_panic() {
    let mut session = Session::new(
        ExperimentConfig::default().validate().unwrap(),
        Device::flex(),
    );
    assert!(matches!(
        session.observe(Some(0)),
        Err(SessionError::GridSize(0))
    ));
}
