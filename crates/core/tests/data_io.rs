//! Data in, model out: the rings generator and the user's own points are learnt; CSV and model
//! exports round-trip (the generated programs are checked in `export.rs`).
#![allow(clippy::unwrap_used)]

use emberlab_core::Steps;
use emberlab_core::*;

fn rings(classes: usize, noise_percent: u32) -> ExperimentConfig {
    ExperimentConfig {
        seed: 7,
        data: DataConfig {
            kind: DatasetKind::Rings,
            classes,
            noise_percent,
            ..DataConfig::default()
        },
        features: FeatureSet::from_features(&[Feature::X1, Feature::X2]),
        network: NetworkSpec {
            hidden: vec![LayerSpec::new(8, Activation::Tanh); 2],
            init: Init::Xavier,
        },
        training: TrainingConfig {
            loss: LossKind::CategoricalCrossEntropy,
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

#[test]
fn rings_of_three_to_five_classes_are_learnt_to_90_percent_test_accuracy() {
    for (classes, noise, epochs) in [(3, 0, 300), (4, 10, 400), (5, 0, 500)] {
        let m = train(rings(classes, noise), epochs);
        let acc = m.test_accuracy.unwrap();
        eprintln!(
            "rings, {classes} classes, noise {noise}%: test accuracy {acc:.3} after {epochs} epochs"
        );
        assert!(acc >= 0.9, "{classes} rings: {acc}");
    }
}

/// Two noisy clusters per class in opposite corners (an XOR), as CSV text in the file's own
/// units (metres, say): off the plane, so the import scales them.
fn xor_csv(points: usize) -> String {
    let mut rng = rng::Rng::new(11);
    let mut text = String::from("east,north,kind\n");
    for i in 0..points {
        let (sx, sy) = [(1.0, 1.0), (-1.0, -1.0), (1.0, -1.0), (-1.0, 1.0)][i % 4];
        let kind = if i % 4 < 2 { "oak" } else { "pine" };
        let x = 500.0 + 40.0 * sx + 12.0 * rng.normal();
        let y = 200.0 + 40.0 * sy + 12.0 * rng.normal();
        text.push_str(&format!("{x},{y},{kind}\n"));
    }
    text
}

#[test]
fn imported_points_train_like_any_data_set_on_both_engines() {
    let preview = csv_io::import_csv(&xor_csv(400)).unwrap();
    assert!(!preview.scaling.is_identity());
    assert_eq!(preview.class_names(), ["oak", "pine"]);
    let mut config = ExperimentConfig::default();
    config.data.kind = DatasetKind::Custom;
    config.data.custom = preview.data;
    config.data.train_percent = 70;
    config.network.hidden = vec![LayerSpec::new(8, Activation::Tanh); 2];
    config.training.optimizer = OptimizerKind::Adam;
    config.training.learning_rate = 0.03;
    let experiment = config.validate().unwrap();
    let data = experiment.dataset();
    assert_eq!((data.train.len(), data.test.len()), (280, 120));

    let m = train(config.clone(), 100);
    let acc = m.test_accuracy.unwrap();
    eprintln!("imported XOR (burn): test accuracy {acc:.3} after 100 epochs");
    assert!(acc >= 0.95, "{acc}");

    // The fused engine reads the same points and split.
    let mut fused = FusedSession::new(experiment);
    fused.train_epochs(100);
    let f = fused.metrics();
    eprintln!(
        "imported XOR (fused): test accuracy {:.3}",
        f.test_accuracy.unwrap()
    );
    assert!((f.test_loss - m.test_loss).abs() < 1e-3, "{f:?} vs {m:?}");
}
