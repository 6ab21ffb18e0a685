//! Model out: the generated Rust program and PyTorch script (golden text), the safetensors
//! file (read by the reference implementation), and two `#[ignore]`d tests that build and run
//! the generated programs and compare their predictions with the core's:
//!
//! ```text
//! cargo test -p emberlab-core --test export -- --ignored --nocapture
//! ```
//! Set `EMBERLAB_BLESS=1` to rewrite the golden files after an intended change.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::Command;

use emberlab_core::export::pytorch::pytorch_script;
use emberlab_core::export::record::{RECORD_FILE, to_burnpack};
use emberlab_core::export::rust_program::rust_program;
use emberlab_core::export::safetensors::{SAFETENSORS_FILE, tensor_names, to_safetensors};
use emberlab_core::export::{PROBE_POINTS, predict, prediction_line};
use emberlab_core::model::initial_weights;
use emberlab_core::rng::Rng;
use emberlab_core::*;

/// The networks the golden files cover: the default; every feature and activation with a
/// softmax head; no hidden layer with a regression head.
fn cases() -> Vec<(&'static str, Experiment)> {
    let mut every = ExperimentConfig {
        features: FeatureSet::all(),
        ..ExperimentConfig::default()
    };
    every.network.hidden = Activation::ALL
        .iter()
        .enumerate()
        .map(|(i, &a)| LayerSpec::new(3 + i % 3, a))
        .collect();
    every.data.kind = DatasetKind::Blobs;
    every.data.classes = 4;
    every.training.loss = LossKind::CategoricalCrossEntropy;
    let mut regression = ExperimentConfig::default();
    regression.network.hidden.clear();
    regression.data.kind = DatasetKind::MultiGaussian;
    regression.training.loss = LossKind::Mse;
    vec![
        ("default", ExperimentConfig::default().validate().unwrap()),
        ("every_activation", every.validate().unwrap()),
        ("regression", regression.validate().unwrap()),
    ]
}

/// Seeded weights with non-zero biases (so a transposed or misnamed tensor shows).
fn weights(experiment: &Experiment) -> Vec<LayerWeights> {
    let mut rng = Rng::new(17);
    let mut layers = initial_weights(experiment);
    for layer in &mut layers {
        layer.weights.iter_mut().for_each(|w| *w *= 1.5);
        layer
            .biases
            .iter_mut()
            .for_each(|b| *b = rng.uniform(-0.5, 0.5));
    }
    layers
}

fn golden(name: &str, text: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    if std::env::var_os("EMBERLAB_BLESS").is_some() {
        std::fs::write(&path, text).unwrap();
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (EMBERLAB_BLESS=1 writes it)", path.display()));
    assert_eq!(
        text, expected,
        "{name} changed (EMBERLAB_BLESS=1 to accept)"
    );
}

#[test]
fn generated_programs_match_their_golden_text() {
    for (name, experiment) in cases() {
        let project = rust_program(&experiment);
        golden(&format!("{name}.main.rs"), &project.main_rs);
        golden(&format!("{name}.py"), &pytorch_script(&experiment));
        golden("Cargo.toml.golden", &project.cargo_toml);
    }
}

#[test]
fn safetensors_files_read_back_with_pytorch_names_and_layout() {
    for (_, experiment) in cases() {
        let layers = weights(&experiment);
        let bytes = to_safetensors(&experiment, &layers).unwrap();
        let header_len = u64::from_le_bytes(bytes[..8].try_into().unwrap()) as usize;
        assert_eq!((8 + header_len) % 8, 0, "data starts aligned");
        let (_, metadata) = safetensors::SafeTensors::read_metadata(&bytes).unwrap();
        let info = metadata.metadata().as_ref().unwrap();
        assert_eq!(info["format"], "pt");
        assert_eq!(info["producer"], "emberlab");
        let file = safetensors::SafeTensors::deserialize(&bytes).unwrap();
        assert_eq!(file.len(), 2 * layers.len());
        for (index, layer) in layers.iter().enumerate() {
            let (weight_name, bias_name) = tensor_names(index, layers.len());
            let weight = file.tensor(&weight_name).unwrap();
            assert_eq!(weight.dtype(), safetensors::Dtype::F32);
            assert_eq!(weight.shape(), [layer.outputs, layer.inputs]);
            let values: Vec<f32> = weight
                .data()
                .chunks_exact(4)
                .map(|b| f32::from_le_bytes(b.try_into().unwrap()))
                .collect();
            for i in 0..layer.inputs {
                for j in 0..layer.outputs {
                    assert_eq!(
                        values[j * layer.inputs + i],
                        layer.weights[i * layer.outputs + j]
                    );
                }
            }
            let bias = file.tensor(&bias_name).unwrap();
            assert_eq!(bias.shape(), [layer.outputs]);
            let biases: Vec<f32> = bias
                .data()
                .chunks_exact(4)
                .map(|b| f32::from_le_bytes(b.try_into().unwrap()))
                .collect();
            assert_eq!(biases, layer.biases);
        }
    }
    let (_, experiment) = &cases()[0];
    let mut short = weights(experiment);
    short.pop();
    assert!(to_safetensors(experiment, &short).is_err());
}

#[test]
fn predictions_are_probabilities_or_values_per_head() {
    for (name, experiment) in cases() {
        let rows = predict(&experiment, &weights(&experiment), &PROBE_POINTS).unwrap();
        assert_eq!(rows.len(), PROBE_POINTS.len());
        let outputs = experiment.problem().outputs();
        for row in &rows {
            assert_eq!(row.len(), outputs, "{name}");
            match experiment.problem() {
                Problem::Binary => assert!((0.0..=1.0).contains(&row[0])),
                Problem::Multiclass { .. } => {
                    assert!((row.iter().sum::<f32>() - 1.0).abs() < 1e-5)
                }
                Problem::Regression => assert!(row[0].is_finite()),
            }
        }
        let lines: Vec<String> = PROBE_POINTS
            .iter()
            .zip(&rows)
            .map(|(&(x1, x2), row)| prediction_line(x1, x2, row))
            .collect();
        println!("{name}:\n{}", lines.join("\n"));
    }
}

// --- the generated programs, built and run (slow: compiles burn) ----------------------------

/// A fresh directory under the system's temp dir.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("emberlab-export-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("src")).unwrap();
    dir
}

/// `(x1, x2, outputs)` from the programs' printed lines.
fn parse_predictions(stdout: &str) -> Vec<(f32, f32, Vec<f32>)> {
    stdout
        .lines()
        .filter_map(|line| {
            let (point, values) = line.split_once(" -> ")?;
            let mut xy = point.split(' ').map(|v| v.parse::<f32>().unwrap());
            let (x1, x2) = (xy.next()?, xy.next()?);
            let values = values
                .split(' ')
                .map(|v| v.parse::<f32>().unwrap())
                .collect();
            Some((x1, x2, values))
        })
        .collect()
}

fn assert_same_predictions(name: &str, experiment: &Experiment, stdout: &str) {
    let expected = predict(experiment, &weights(experiment), &PROBE_POINTS).unwrap();
    let found = parse_predictions(stdout);
    assert_eq!(found.len(), PROBE_POINTS.len(), "{name}: {stdout}");
    let mut worst = 0.0f32;
    for ((x1, x2, values), (&point, want)) in found.iter().zip(PROBE_POINTS.iter().zip(&expected)) {
        assert_eq!((*x1, *x2), point);
        for (a, b) in values.iter().zip(want) {
            worst = worst.max((a - b).abs());
        }
    }
    println!("{name}: largest difference from the core {worst:e}");
    assert!(worst <= 1e-5, "{name}: {worst}");
}

#[test]
#[ignore = "compiles burn in a generated project (minutes); run by hand"]
fn the_generated_rust_program_builds_runs_and_agrees_with_the_core() {
    // One target dir for every case: burn compiles once.
    let target = std::env::temp_dir().join("emberlab-export-target");
    for (name, experiment) in cases() {
        let dir = scratch(name);
        let project = rust_program(&experiment);
        std::fs::write(dir.join("Cargo.toml"), &project.cargo_toml).unwrap();
        std::fs::write(dir.join("src/main.rs"), &project.main_rs).unwrap();
        let record = to_burnpack(&experiment, &weights(&experiment)).unwrap();
        std::fs::write(dir.join(RECORD_FILE), record).unwrap();
        let out = Command::new(env!("CARGO"))
            .args(["run", "--quiet", "--offline", "--", RECORD_FILE])
            .current_dir(&dir)
            .env("CARGO_TARGET_DIR", &target)
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        println!("{name} (burn program):\n{stdout}");
        assert_same_predictions(name, &experiment, &stdout);
        let _ = std::fs::remove_dir_all(&dir);
    }
}

#[test]
#[ignore = "needs python3 with torch and safetensors; run by hand"]
fn the_pytorch_script_runs_and_agrees_with_the_core() {
    for (name, experiment) in cases() {
        let dir = scratch(name);
        std::fs::write(dir.join("model.py"), pytorch_script(&experiment)).unwrap();
        let weights = to_safetensors(&experiment, &weights(&experiment)).unwrap();
        std::fs::write(dir.join(SAFETENSORS_FILE), weights).unwrap();
        let out = Command::new("python3")
            .args(["model.py", SAFETENSORS_FILE])
            .current_dir(&dir)
            .output()
            .expect("python3 runs");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        println!("{name} (PyTorch):\n{stdout}");
        assert_same_predictions(name, &experiment, &stdout);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
