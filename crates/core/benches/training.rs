//! Native core benchmark: the fused CPU engine and burn's Flex back end, side by side, in one
//! run: `cargo xtask bench --native` (or `cargo bench -p emberlab-core`). Set
//! `EMBERLAB_BENCH_QUICK=1` for a short run (the fused engine only). Prints a table and writes
//! `<target>/bench/native.json`, which `cargo xtask bench` measures the page against.

use std::time::Instant;

use emberlab_core::Steps;
use emberlab_core::*;

/// One benchmark workload (the browser bench's a–d, named by the same letters).
struct Workload {
    name: &'static str,
    config: ExperimentConfig,
}

fn workloads() -> Vec<Workload> {
    let a = ExperimentConfig::default(); // circle, 500 points, 50 %, x1 x2, 4-2 tanh, SGD 0.03, batch 10
    let mut b = ExperimentConfig::default();
    b.data.kind = DatasetKind::Spiral;
    b.features = FeatureSet::all();
    b.network.hidden = vec![LayerSpec::new(8, Activation::Tanh); 6];
    let mut c = b.clone();
    c.data.size = 2000;
    c.training.optimizer = OptimizerKind::Adam;
    c.training.batch_size = BatchSize::Full;
    let mut d = b.clone();
    d.network.hidden = vec![LayerSpec::new(16, Activation::Tanh); 8];
    vec![
        Workload {
            name: "a: circle 4-2 batch 10 SGD",
            config: a,
        },
        Workload {
            name: "b: spiral 8x6 batch 10 SGD",
            config: b,
        },
        Workload {
            name: "c: spiral 8x6 2000 pts full-batch Adam",
            config: c,
        },
        Workload {
            name: "d: spiral 16x8 batch 10 SGD",
            config: d,
        },
    ]
}

/// Median, min and max of samples.
fn summary(mut samples: Vec<f64>) -> (f64, f64, f64) {
    samples.sort_by(f64::total_cmp);
    let median = samples[samples.len() / 2];
    (median, samples[0], samples[samples.len() - 1])
}

/// The engines compared: the fused engine, and burn Flex beside it except in a quick run (the
/// quick run is the reference the browser bench divides the page's figures by).
fn engines(quick: bool) -> Vec<(&'static str, Engine)> {
    let mut engines = vec![("fused", Engine::Fused)];
    if !quick {
        engines.push(("burn-flex", Engine::Burn(Device::flex())));
    }
    engines
}

/// Reads an observation back (both engines; burn's future resolves at once on Flex).
fn observe(trainer: &mut Trainer, grid: Option<usize>) -> Observation {
    let delivered = pollster::block_on(trainer.observe(grid).read());
    delivered
        .and_then(|d| trainer.complete(d))
        .unwrap_or_else(|e| panic!("{e}"))
}

fn main() {
    let quick = std::env::var_os("EMBERLAB_BENCH_QUICK").is_some();
    let runs = if quick { 3 } else { 7 };
    let mut rows = Vec::new();
    println!(
        "{:<10} {:<42} {:>12} {:>12} {:>12}",
        "engine", "workload (native)", "epochs/s med", "min", "max"
    );
    for (engine_name, engine) in engines(quick) {
        for w in workloads() {
            let experiment = w
                .config
                .validate()
                .unwrap_or_else(|e| panic!("{}: {e}", w.name));
            let train_points = experiment.config().data.train_count() as f64;
            // Enough epochs for a fair timing: the fused engine is ~100x faster.
            let epochs = match (&engine, quick) {
                (Engine::Fused, false) => 2000,
                (Engine::Fused, true) => 300,
                (Engine::Burn(_), false) => 30,
                (Engine::Burn(_), true) => 5,
            };
            let samples: Vec<f64> = (0..runs)
                .map(|_| {
                    let mut trainer = Trainer::new(experiment.clone(), engine.clone());
                    trainer.train_epochs(1);
                    let start = Instant::now();
                    trainer.train_epochs(epochs);
                    let _ = observe(&mut trainer, None);
                    epochs as f64 / start.elapsed().as_secs_f64()
                })
                .collect();
            let (med, min, max) = summary(samples);
            println!(
                "{engine_name:<10} {:<42} {med:>12.1} {min:>12.1} {max:>12.1}",
                w.name
            );
            rows.push(format!(
                "{{\"engine\":\"{engine_name}\",\"workload\":\"{}\",\"epochs_per_s\":{{\"median\":{med:.2},\"min\":{min:.2},\"max\":{max:.2}}},\"samples_per_s_median\":{:.0}}}",
                w.name,
                med * train_points
            ));
        }
    }
    // All-grid evaluation for net b: the 100×100 output grid and every neuron's grid.
    let b = &workloads()[1];
    let mut grids = Vec::new();
    for (engine_name, engine) in engines(quick) {
        let experiment = b.config.validate().unwrap_or_else(|e| panic!("{e}"));
        let mut trainer = Trainer::new(experiment, engine);
        let _ = observe(&mut trainer, Some(100));
        let samples: Vec<f64> = (0..runs * 5)
            .map(|_| {
                let start = Instant::now();
                let _ = observe(&mut trainer, Some(100));
                start.elapsed().as_secs_f64() * 1000.0
            })
            .collect();
        let (gmed, gmin, gmax) = summary(samples);
        println!(
            "{engine_name:<10} {:<42} {gmed:>9.3} ms {gmin:>9.3} ms {gmax:>9.3} ms",
            "b: all grids 100x100 + metrics"
        );
        grids.push(format!(
            "\"{engine_name}\":{{\"median\":{gmed:.3},\"min\":{gmin:.3},\"max\":{gmax:.3}}}"
        ));
    }
    let json = format!(
        "{{\"quick\":{quick},\"workloads\":[{}],\"grid_100_ms\":{{{}}}}}\n",
        rows.join(","),
        grids.join(",")
    );
    let target = std::env::var("CARGO_TARGET_DIR")
        .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/../../target").to_string());
    let dir = std::path::Path::new(&target).join("bench");
    if std::fs::create_dir_all(&dir).is_ok()
        && std::fs::write(dir.join("native.json"), json).is_ok()
    {
        println!("wrote {}", dir.join("native.json").display());
    }
}
