//! Native core benchmark on the Flex back end: `cargo xtask bench --native` (or
//! `cargo bench -p emberlab-core`). Set `EMBERLAB_BENCH_QUICK=1` for a short run.
//! Prints a table and writes `<target>/bench/native.json`.

use std::time::Instant;

use emberlab_core::*;

/// One benchmark workload (the configs a, b and c).
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
    ]
}

/// Median, min and max of samples.
fn summary(mut samples: Vec<f64>) -> (f64, f64, f64) {
    samples.sort_by(f64::total_cmp);
    let median = samples[samples.len() / 2];
    (median, samples[0], samples[samples.len() - 1])
}

fn main() {
    let quick = std::env::var_os("EMBERLAB_BENCH_QUICK").is_some();
    let (runs, epochs) = if quick { (3, 5) } else { (7, 30) };
    let mut rows = Vec::new();
    println!(
        "{:<42} {:>14} {:>14} {:>14}",
        "workload (Flex, native)", "epochs/s med", "min", "max"
    );
    for w in workloads() {
        let experiment = w
            .config
            .validate()
            .unwrap_or_else(|e| panic!("{}: {e}", w.name));
        let train_points = experiment.config().data.train_count() as f64;
        let samples: Vec<f64> = (0..runs)
            .map(|_| {
                let mut session = Session::new(experiment.clone(), Device::flex());
                session.train_epochs(1);
                let start = Instant::now();
                session.train_epochs(epochs);
                let _ = pollster::block_on(session.metrics());
                epochs as f64 / start.elapsed().as_secs_f64()
            })
            .collect();
        let (med, min, max) = summary(samples);
        println!("{:<42} {med:>14.1} {min:>14.1} {max:>14.1}", w.name);
        rows.push(format!(
            "{{\"workload\":\"{}\",\"epochs_per_s\":{{\"median\":{med:.2},\"min\":{min:.2},\"max\":{max:.2}}},\"samples_per_s_median\":{:.0}}}",
            w.name,
            med * train_points
        ));
    }
    // All-grid evaluation for net b: the 100×100 output grid and every neuron's grid, read back.
    let b = &workloads()[1];
    let mut session = Session::new(
        b.config.validate().unwrap_or_else(|e| panic!("{e}")),
        Device::flex(),
    );
    let _ = pollster::block_on(session.snapshot(100));
    let grid_samples: Vec<f64> = (0..runs * 3)
        .map(|_| {
            let start = Instant::now();
            let _ = pollster::block_on(session.snapshot(100));
            start.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    let (gmed, gmin, gmax) = summary(grid_samples);
    println!(
        "{:<42} {gmed:>11.2} ms {gmin:>11.2} ms {gmax:>11.2} ms",
        "b: all grids 100x100 (snapshot)"
    );
    let json = format!(
        "{{\"backend\":\"flex-native\",\"quick\":{quick},\"workloads\":[{}],\"grid_100_ms\":{{\"median\":{gmed:.3},\"min\":{gmin:.3},\"max\":{gmax:.3}}}}}\n",
        rows.join(",")
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
