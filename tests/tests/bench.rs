//! `cargo xtask bench`: throughput, frame rate, long tasks, redraw rates, first render and
//! bundle size of the release app in headless Chromium, on both back ends. Each workload is
//! set up through the page's own controls. Writes `<target>/bench/report.json`.
//! `labs_bench` trains each burn lab (convolution, recurrence, attention) in the page on the
//! CPU, and the attention lab on WebGPU too, and reports its time to the issues' accuracy
//! targets, the accuracy at the end of the window, and the page's frame rate and long tasks
//! meanwhile; it writes `labs.json`. `views_bench` starts the playground's background views one
//! by one while it trains and writes `views.json`.
//! `EMBERLAB_PROFILE=1` adds a 3 s JavaScript/wasm profile of each playground run (the
//! functions with the most self time), printed after its measurement.
//! `cargo xtask bench` runs the native core bench first: each playground row then shows the page's
//! epochs/s divided by the native fused engine's on the same workload, measured in the same run
//! (`page/native`). With `--check` (`EMBERLAB_BENCH_CHECK` names the floors file,
//! `tests/bench-floors.json`) a figure below its floor fails the test; without it, numbers never
//! fail these tests, only a broken page or harness does.

use std::io::Write;
use std::time::{Duration, Instant};

use emberlab_e2e::{
    Backend, Browser, FrameStats, HarnessError, POLL, Playground, Probe, Result, Site, dist_dir,
    screenshot_dir, wait_until, write_report,
};
use serde_json::{Value, json};

/// The issue's workloads: (a) the default circle net, (b) spiral 8×6 at batch 10,
/// (c) (b) with 2000 points and full-batch Adam, (d) the biggest network the editor allows
/// (8 × 16, every feature) on the spiral at batch 10.
#[derive(Clone, Copy, Debug)]
enum Workload {
    A,
    B,
    C,
    D,
}

impl Workload {
    /// The letter the native bench and the floors file name it by.
    fn letter(self) -> &'static str {
        match self {
            Workload::A => "a",
            Workload::B => "b",
            Workload::C => "c",
            Workload::D => "d",
        }
    }

    fn name(self) -> &'static str {
        match self {
            Workload::A => "a: circle 4-2, batch 10, SGD",
            Workload::B => "b: spiral 8x6, all features, batch 10, SGD",
            Workload::C => "c: spiral 8x6, 2000 points, full-batch Adam",
            Workload::D => "d: spiral 16x8, every feature, batch 10, SGD",
        }
    }

    fn train_points(self) -> f64 {
        match self {
            Workload::C => 1000.0,
            _ => 250.0,
        }
    }

    /// Sets the workload up through the page's controls, as a user would.
    async fn configure(self, page: &Playground<'_>) -> Result<()> {
        let b = page.browser();
        // As fast as possible (the default pace shows learning at one epoch a frame). Builds
        // from before stable keys had it as the default (measuring "before" figures).
        let _ = b.select("speed", "max").await;
        if let Workload::A = self {
            return Ok(());
        }
        b.click("dataset-spiral").await?;
        let (features, layers, neurons) = match self {
            Workload::D => (b.count_testids("feature-").await?, 8, 16),
            _ => (7, 6, 8),
        };
        for feature in 2..features {
            b.click(&format!("feature-{feature}")).await?;
        }
        for layer in 2..layers {
            b.click("add-layer").await?;
            wait_count(b, &format!("neuron-{layer}-"), 4).await?;
        }
        for layer in 0..layers {
            let have = b.count_testids(&format!("neuron-{layer}-")).await?;
            for _ in have..neurons {
                b.click(&format!("add-neuron-{layer}")).await?;
            }
        }
        wait_count(b, "neuron-", layers * neurons).await?;
        if let Workload::C = self {
            b.set_range("data-size", "2000").await?;
            if b.select("optimizer", "adam").await.is_err() {
                b.select("optimizer", "2").await?; // builds before stable keys
            }
            b.set_range("batch-size", "31").await?;
        }
        Ok(())
    }
}

async fn wait_count(b: &Browser, prefix: &str, want: usize) -> Result<()> {
    wait_until(
        format_args!("{want} × {prefix}"),
        Duration::from_secs(20),
        POLL,
        async || {
            let n = b.count_testids(prefix).await?;
            Ok(if n == want {
                Probe::Ready(())
            } else {
                Probe::NotYet(n.to_string())
            })
        },
    )
    .await
}

/// Clicks Play and resolves with the milliseconds until the epoch counter first changes (-1 if
/// it did not within 5 s).
const PLAY_TO_EPOCH: &str = r#"
const done = arguments[arguments.length - 1];
const el = document.querySelector('[data-testid=epoch]');
const before = el.textContent;
const t0 = performance.now();
const observer = new MutationObserver(() => {
  if (el.textContent !== before) { observer.disconnect(); done(performance.now() - t0); }
});
observer.observe(el, { childList: true, characterData: true, subtree: true });
document.querySelector('[data-testid=play]').click();
setTimeout(() => { observer.disconnect(); done(-1); }, 5000);
"#;

/// Presses Play; the time to the first visible epoch (ms, NaN when none came within 5 s).
async fn play_to_first_epoch(b: &Browser) -> Result<f64> {
    let ms = b.client().execute_async(PLAY_TO_EPOCH, vec![]).await?;
    Ok(ms.as_f64().filter(|ms| *ms >= 0.0).unwrap_or(f64::NAN))
}

/// Median, min and max.
fn spread(mut v: Vec<f64>) -> Value {
    v.sort_by(f64::total_cmp);
    if v.is_empty() {
        return Value::Null;
    }
    json!({ "median": v[v.len() / 2], "min": v[0], "max": v[v.len() - 1] })
}

async fn js(b: &Browser, script: &str) -> Result<Value> {
    Ok(b.client().execute(script, vec![]).await?)
}

/// One measured run of a workload.
struct Run {
    epochs_per_s: f64,
    ms_per_step: f64,
    frames: FrameStats,
    network_redraws_per_s: f64,
    output_redraws_per_s: f64,
    first_render_ms: f64,
    /// From pressing Play to the first epoch on screen.
    first_epoch_ms: f64,
    /// Moving average of one observation's main-thread time: metrics plus every grid (the
    /// 100×100 output grid and all neuron grids), readback wait excluded. On burn's back ends
    /// that is queueing the weights plus evaluating them on the CPU.
    observe_ms: f64,
    phases: Value,
}

async fn run_once(
    browser: &Browser,
    site: &Site,
    backend: Backend,
    workload: Workload,
    window: Duration,
) -> Result<Run> {
    let page = Playground::open(browser, site, backend).await?;
    let b = page.browser();
    let first_render_ms = wait_until(
        "the first frame",
        Duration::from_secs(60),
        POLL,
        async || {
            let v = js(b, "return window.__emberlabFirstFrameMs || null;").await?;
            Ok(match v.as_f64() {
                Some(ms) => Probe::Ready(ms),
                None => Probe::NotYet("none yet".into()),
            })
        },
    )
    .await?;
    workload.configure(&page).await?;
    let first_epoch_ms = play_to_first_epoch(b).await?;
    tokio::time::sleep(window / 2).await; // warm up (shader compilation on WebGPU)
    let counts = "return window.__emberlabCounts || {};";
    let c0 = js(b, counts).await?;
    let e0 = page.epoch().await?;
    let t0 = Instant::now();
    let frames = b.frame_stats(window).await?;
    let seconds = t0.elapsed().as_secs_f64();
    let e1 = page.epoch().await?;
    let c1 = js(b, counts).await?;
    let speed = b.text_of("throughput").await.unwrap_or_default();
    let phases = js(b, "return window.__emberlabTiming || {};").await?;
    if std::env::var_os("EMBERLAB_PROFILE").is_some() {
        // Where the time goes while it trains: the functions with the most self time.
        println!(
            "profile, {} {} (3 s, self time):",
            backend.label(),
            workload.name()
        );
        for (name, ms) in b.profile(Duration::from_secs(3), 25).await? {
            println!("  {ms:8.1} ms  {name}");
        }
    }
    page.pause().await?;
    let rate = |name: &str| {
        (c1[name].as_f64().unwrap_or(0.0) - c0[name].as_f64().unwrap_or(0.0)) / seconds
    };
    let ms_per_step = speed
        .split('·')
        .nth(1)
        .and_then(|s| {
            // "0.012 ms a training step" (older builds: "0.012 ms/step").
            s.split_whitespace().next()?.parse::<f64>().ok()
        })
        .unwrap_or(f64::NAN);
    Ok(Run {
        epochs_per_s: (e1 - e0) as f64 / seconds,
        ms_per_step,
        frames,
        network_redraws_per_s: rate("draw network"),
        output_redraws_per_s: rate("draw output"),
        first_render_ms,
        first_epoch_ms,
        observe_ms: phases["observe"].as_f64().unwrap_or(f64::NAN)
            + phases["evaluate"].as_f64().unwrap_or(0.0),
        phases,
    })
}

fn bundle_sizes() -> Result<Value> {
    let dist = dist_dir()?;
    let mut sizes = serde_json::Map::new();
    for entry in std::fs::read_dir(&dist)
        .map_err(|e| HarnessError::io("listing dist", e))?
        .flatten()
    {
        let path = entry.path();
        let Some(ext) = path.extension().and_then(|e| e.to_str()) else {
            continue;
        };
        if !matches!(ext, "wasm" | "js") {
            continue;
        }
        let bytes = std::fs::read(&path).map_err(|e| HarnessError::io("reading the bundle", e))?;
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(&bytes)
            .map_err(|e| HarnessError::io("gzip", e))?;
        let gzipped = gz.finish().map_err(|e| HarnessError::io("gzip", e))?.len();
        sizes.insert(
            ext.to_string(),
            json!({ "raw_bytes": bytes.len(), "gzip_bytes": gzipped }),
        );
    }
    Ok(Value::Object(sizes))
}

/// The native fused engine's epochs/s (median) per workload letter, from the `native.json` the
/// native bench wrote in this run of `cargo xtask bench` (empty when it did not run).
fn native_epochs_per_s() -> serde_json::Map<String, Value> {
    let path = screenshot_dir()
        .parent()
        .map(|p| p.join("bench").join("native.json"));
    let report: Value = path
        .and_then(|p| std::fs::read_to_string(p).ok())
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or(Value::Null);
    let mut by_letter = serde_json::Map::new();
    for row in report["workloads"].as_array().into_iter().flatten() {
        if row["engine"] != "fused" {
            continue;
        }
        if let (Some(name), Some(rate)) = (
            row["workload"].as_str(),
            row["epochs_per_s"]["median"].as_f64(),
        ) && let Some(letter) = name.split(':').next()
        {
            by_letter.insert(letter.to_string(), json!(rate));
        }
    }
    by_letter
}

/// The floors `--check` holds the figures to (`EMBERLAB_BENCH_CHECK` names the file), if asked.
fn floors() -> Result<Option<Value>> {
    let Some(path) = std::env::var_os("EMBERLAB_BENCH_CHECK").filter(|p| !p.is_empty()) else {
        return Ok(None);
    };
    let text = std::fs::read_to_string(&path)
        .map_err(|e| HarnessError::io("reading the bench floors", e))?;
    serde_json::from_str(&text)
        .map(Some)
        .map_err(|e| HarnessError::Check(format!("the bench floors are not JSON: {e}")))
}

/// What a row falls short of in `floors` (`backend` → workload letter → floor), in words.
fn below_floors(floors: &Value, backend: &str, letter: &str, row: &Value) -> Vec<String> {
    let floor = &floors[backend][letter];
    let mut short = Vec::new();
    let median = |key: &str| row[key]["median"].as_f64().unwrap_or(f64::NAN);
    if let Some(min) = floor["page_native"].as_f64() {
        let ratio = row["page_native"].as_f64().unwrap_or(f64::NAN);
        if ratio.is_nan() || ratio < min {
            short.push(format!("page/native {ratio:.3} < {min}"));
        }
    }
    if let Some(min) = floor["fps"].as_f64()
        && (median("fps").is_nan() || median("fps") < min)
    {
        short.push(format!("{:.1} frames/s < {min}", median("fps")));
    }
    if let Some(max) = floor["first_epoch_ms"].as_f64()
        && (median("first_epoch_ms").is_nan() || median("first_epoch_ms") > max)
    {
        short.push(format!(
            "{:.0} ms from Play to the first epoch > {max}",
            median("first_epoch_ms")
        ));
    }
    if let Some(max) = floor["long_tasks"].as_f64()
        && (median("long_tasks").is_nan() || median("long_tasks") > max)
    {
        short.push(format!("{} long tasks > {max}", median("long_tasks")));
    }
    short
        .into_iter()
        .map(|s| format!("{backend} {letter}: {s}"))
        .collect()
}

#[tokio::test]
#[ignore = "needs a built app and Chromium: run cargo xtask bench"]
async fn bench() -> Result<()> {
    let quick = std::env::var_os("EMBERLAB_BENCH_QUICK").is_some_and(|v| !v.is_empty());
    let (runs, window) = if quick {
        (1, Duration::from_secs(2))
    } else {
        (3, Duration::from_secs(6))
    };
    // EMBERLAB_BENCH_ONLY=d measures one workload (by its letter), =labs only the labs,
    // =views only the playground's background views.
    let only = std::env::var("EMBERLAB_BENCH_ONLY")
        .ok()
        .filter(|o| !o.is_empty());
    if matches!(only.as_deref(), Some("labs" | "views")) {
        return Ok(());
    }
    let site = Site::serve(&dist_dir()?)?;
    let native = native_epochs_per_s();
    let floors = floors()?;
    let mut short = Vec::new();
    let mut results = Vec::new();
    let mut first_renders = serde_json::Map::new();
    println!(
        "{:<9} {:<46} {:>10} {:>11} {:>10} {:>10} {:>9} {:>6} {:>6} {:>8} {:>9} {:>9} {:>8}",
        "backend",
        "workload",
        "epochs/s",
        "page/native",
        "play→epoch",
        "samples/s",
        "ms/step",
        "fps",
        "long",
        "longest",
        "net/s",
        "out/s",
        "grid ms"
    );
    // burn's Flex back end (the CPU engine before the fused one) only in the full run.
    let backends: &[Backend] = if quick {
        &[Backend::Cpu, Backend::WebGpu]
    } else {
        &[Backend::Cpu, Backend::Flex, Backend::WebGpu]
    };
    for &backend in backends {
        let mut firsts = Vec::new();
        for workload in [Workload::A, Workload::B, Workload::C, Workload::D] {
            if !only
                .as_ref()
                .is_none_or(|o| workload.name().starts_with(o.as_str()))
            {
                continue;
            }
            let mut measured = Vec::new();
            for _ in 0..runs {
                let browser = Browser::start().await?;
                let outcome = run_once(&browser, &site, backend, workload, window).await;
                browser.close().await?;
                measured.push(outcome?);
            }
            firsts.extend(measured.iter().map(|r| r.first_render_ms));
            let pick = |f: fn(&Run) -> f64| spread(measured.iter().map(f).collect());
            let med = |f: fn(&Run) -> f64| pick(f)["median"].as_f64().unwrap_or(f64::NAN);
            let page_native = native
                .get(workload.letter())
                .and_then(Value::as_f64)
                .map_or(f64::NAN, |n| med(|r| r.epochs_per_s) / n);
            println!(
                "{:<9} {:<46} {:>10.1} {:>11.3} {:>8.0}ms {:>10.0} {:>9.3} {:>6.1} {:>6.0} {:>6.0}ms {:>9.1} {:>9.1} {:>8.2}",
                backend.label(),
                workload.name(),
                med(|r| r.epochs_per_s),
                page_native,
                med(|r| r.first_epoch_ms),
                med(|r| r.epochs_per_s) * workload.train_points(),
                med(|r| r.ms_per_step),
                med(|r| r.frames.fps),
                med(|r| f64::from(r.frames.long_tasks)),
                med(|r| r.frames.longest_task_ms),
                med(|r| r.network_redraws_per_s),
                med(|r| r.output_redraws_per_s),
                med(|r| r.observe_ms),
            );
            let row = json!({
                "backend": backend.label(),
                "workload": workload.name(),
                "runs": runs,
                "epochs_per_s": pick(|r| r.epochs_per_s),
                "native_epochs_per_s": native.get(workload.letter()),
                "page_native": if page_native.is_finite() { json!(page_native) } else { Value::Null },
                "first_epoch_ms": pick(|r| r.first_epoch_ms),
                "samples_per_s_median": med(|r| r.epochs_per_s) * workload.train_points(),
                "ms_per_step": pick(|r| r.ms_per_step),
                "fps": pick(|r| r.frames.fps),
                "long_tasks": pick(|r| f64::from(r.frames.long_tasks)),
                "longest_task_ms": pick(|r| r.frames.longest_task_ms),
                "network_redraws_per_s": pick(|r| r.network_redraws_per_s),
                "output_redraws_per_s": pick(|r| r.output_redraws_per_s),
                "observe_ms": pick(|r| r.observe_ms),
                "phase_ms_last_run": measured.last().map(|r| r.phases.clone()),
            });
            if let Some(floors) = &floors {
                short.extend(below_floors(
                    floors,
                    backend.label(),
                    workload.letter(),
                    &row,
                ));
            }
            results.push(row);
        }
        first_renders.insert(backend.label().to_string(), spread(firsts));
    }
    let sizes = bundle_sizes()?;
    println!(
        "first interactive render (ms since navigation): {}",
        Value::Object(first_renders.clone())
    );
    println!("served bundle: {sizes}");
    let report = json!({
        "quick": quick,
        "window_s": window.as_secs_f64(),
        "workloads": results,
        "first_render_ms": first_renders,
        "bundle": sizes,
    });
    let path = write_report("report.json", &report)?;
    println!("wrote {}", path.display());
    if floors.is_some() {
        println!("bench --check: {} figures below their floors", short.len());
    }
    emberlab_e2e::check(short.is_empty(), || {
        format!(
            "figures below their floors (tests/bench-floors.json): {}",
            short.join("; ")
        )
    })
}

/// A burn lab trained in the bench: its link, the accuracies it shows and the target.
struct LabScenario {
    name: &'static str,
    /// Where it trains: the CPU (burn Flex in the worker) or WebGPU.
    backend: Backend,
    /// The link after `#v1/`.
    hash: &'static str,
    /// `data-testid`s of the percentages the lab shows, one per model.
    accuracies: &'static [&'static str],
    /// The issue's target, in percent.
    target: f64,
    /// The issue's time budget.
    window: Duration,
}

/// The issues' targets: the digits CNN at ≥ 97 % within 20 s; on the memory task at T = 20
/// the LSTM at ≥ 95 % within 60 s while the RNN stays near chance, and at T = 5 both learn;
/// the transformer sorting length-8 sequences at ≥ 95 % token accuracy within 60 s, with
/// WebGPU figures beside the CPU ones (under SwiftShader in CI: an emulation, not a GPU).
const LAB_SCENARIOS: [LabScenario; 5] = [
    LabScenario {
        name: "digits: CNN (defaults)",
        backend: Backend::Cpu,
        hash: "digits",
        accuracies: &["test-accuracy"],
        target: 97.0,
        window: Duration::from_secs(20),
    },
    LabScenario {
        name: "recurrence: memory, T = 20",
        backend: Backend::Cpu,
        hash: "recurrence",
        accuracies: &["accuracy-rnn", "accuracy-lstm", "accuracy-gru"],
        target: 95.0,
        window: Duration::from_secs(60),
    },
    LabScenario {
        name: "recurrence: memory, T = 5",
        backend: Backend::Cpu,
        hash: "recurrence/t=5",
        accuracies: &["accuracy-rnn", "accuracy-lstm", "accuracy-gru"],
        target: 95.0,
        window: Duration::from_secs(60),
    },
    LabScenario {
        name: "attention: sort, length 8",
        backend: Backend::Cpu,
        hash: "attention",
        accuracies: &["token-accuracy"],
        target: 95.0,
        window: Duration::from_secs(60),
    },
    LabScenario {
        name: "attention: sort, length 8",
        backend: Backend::WebGpu,
        hash: "attention",
        accuracies: &["token-accuracy"],
        target: 95.0,
        window: Duration::from_secs(60),
    },
];

/// Trains one lab for its window, measuring as it goes (1 s frame windows, accuracies read
/// between them).
async fn run_lab(
    browser: &Browser,
    site: &Site,
    lab: &LabScenario,
    window: Duration,
) -> Result<Value> {
    let b = browser;
    b.goto(&format!(
        "{}/?backend={}#v1/{}",
        site.url(),
        lab.backend.query(),
        lab.hash
    ))
    .await?;
    wait_until(
        "the lab's first loss",
        // WebGPU compiles its shaders first: minutes under SwiftShader.
        match lab.backend {
            Backend::WebGpu => Duration::from_secs(180),
            _ => Duration::from_secs(60),
        },
        POLL,
        async || {
            Ok(match b.number_of("train-loss").await {
                Some(_) => Probe::Ready(()),
                None => Probe::NotYet("no loss yet".into()),
            })
        },
    )
    .await?;
    b.click("play").await?;
    let started = Instant::now();
    let mut reached: Vec<Option<f64>> = vec![None; lab.accuracies.len()];
    let (mut frames, mut measured_s, mut long_tasks, mut longest) = (0.0, 0.0, 0u32, 0.0f64);
    while started.elapsed() < window {
        let slice = Duration::from_secs(1).min(window.saturating_sub(started.elapsed()));
        let stats = b.frame_stats(slice.max(Duration::from_millis(100))).await?;
        frames += stats.fps * slice.as_secs_f64();
        measured_s += slice.as_secs_f64();
        long_tasks += stats.long_tasks;
        longest = longest.max(stats.longest_task_ms);
        let seconds = started.elapsed().as_secs_f64();
        for (testid, first) in lab.accuracies.iter().zip(reached.iter_mut()) {
            if first.is_none() && b.number_of(testid).await.is_some_and(|a| a >= lab.target) {
                *first = Some(seconds);
            }
        }
    }
    b.click("play").await?;
    let epoch = b.text_of("epoch").await.unwrap_or_default();
    let mut models = serde_json::Map::new();
    for (testid, first) in lab.accuracies.iter().zip(&reached) {
        models.insert(
            (*testid).to_string(),
            json!({ "accuracy_at_end": b.number_of(testid).await, "seconds_to_target": first }),
        );
    }
    b.screenshot(&format!(
        "bench-lab-{}-{}",
        lab.hash.replace(['/', '='], "-"),
        lab.backend.query()
    ))
    .await?;
    Ok(json!({
        "lab": lab.name,
        "backend": lab.backend.label(),
        "target_percent": lab.target,
        "window_s": window.as_secs_f64(),
        "epoch_at_end": epoch,
        "models": models,
        "fps": if measured_s > 0.0 { frames / measured_s } else { f64::NAN },
        "long_tasks": long_tasks,
        "longest_task_ms": longest,
    }))
}

#[tokio::test]
#[ignore = "needs a built app and Chromium: run cargo xtask bench"]
async fn labs_bench() -> Result<()> {
    let quick = std::env::var_os("EMBERLAB_BENCH_QUICK").is_some_and(|v| !v.is_empty());
    if std::env::var("EMBERLAB_BENCH_ONLY").is_ok_and(|o| !o.is_empty() && o != "labs") {
        return Ok(());
    }
    let site = Site::serve(&dist_dir()?)?;
    let mut results = Vec::new();
    println!(
        "{:<30} {:>6} {:>6} {:>8}  models: accuracy at end (s to target)",
        "lab (in the page)", "fps", "long", "longest"
    );
    for lab in &LAB_SCENARIOS {
        let window = if quick {
            Duration::from_secs(3)
        } else {
            lab.window
        };
        let browser = Browser::start().await?;
        let outcome = run_lab(&browser, &site, lab, window).await;
        browser.close().await?;
        let r = outcome?;
        let models = r["models"]
            .as_object()
            .map(|m| {
                m.iter()
                    .map(|(k, v)| {
                        format!(
                            "{k} {} ({})",
                            v["accuracy_at_end"]
                                .as_f64()
                                .map_or("–".into(), |a| format!("{a:.1}%")),
                            v["seconds_to_target"]
                                .as_f64()
                                .map_or("not reached".into(), |s| format!("{s:.0} s")),
                        )
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .unwrap_or_default();
        println!(
            "{:<30} {:>6.1} {:>6} {:>6.0}ms  epoch {} in {:.0} s: {models}",
            format!("{} ({})", lab.name, lab.backend.query()),
            r["fps"].as_f64().unwrap_or(f64::NAN),
            r["long_tasks"],
            r["longest_task_ms"].as_f64().unwrap_or(f64::NAN),
            r["epoch_at_end"].as_str().unwrap_or("?"),
            window.as_secs_f64(),
        );
        results.push(r);
    }
    let path = write_report("labs.json", &json!({ "quick": quick, "labs": results }))?;
    println!("wrote {}", path.display());
    Ok(())
}

/// The playground's background views (issue 12), started one after another while the default
/// network trains as fast as possible: each row is the page's frame rate and long tasks with
/// that view and the ones above it running. `EMBERLAB_BENCH_ONLY=views` runs only this.
#[tokio::test]
#[ignore = "needs a built app and Chromium: run cargo xtask bench"]
async fn views_bench() -> Result<()> {
    let quick = std::env::var_os("EMBERLAB_BENCH_QUICK").is_some_and(|v| !v.is_empty());
    if std::env::var("EMBERLAB_BENCH_ONLY").is_ok_and(|o| !o.is_empty() && o != "views") {
        return Ok(());
    }
    let window = Duration::from_secs(if quick { 2 } else { 5 });
    let site = Site::serve(&dist_dir()?)?;
    println!(
        "{:<9} {:<44} {:>10} {:>6} {:>6} {:>8}",
        "backend", "views running", "epochs/s", "fps", "long", "longest"
    );
    let mut rows = Vec::new();
    for backend in [Backend::Cpu, Backend::WebGpu] {
        let browser = Browser::start().await?;
        let outcome = views_once(&browser, &site, backend, window).await;
        browser.close().await?;
        rows.extend(outcome?);
    }
    let path = write_report(
        "views.json",
        &json!({ "window_s": window.as_secs_f64(), "rows": rows }),
    )?;
    println!("wrote {}", path.display());
    Ok(())
}

/// A pointer click on the output map at the plane point (1.5, -2.25).
const PROBE_CLICK: &str = r#"
const c = document.querySelector('[data-testid=output-points]');
const r = c.getBoundingClientRect();
const at = (type) => c.dispatchEvent(new PointerEvent(type, {
  bubbles: true, pointerId: 1, isPrimary: true, buttons: type === 'pointerup' ? 0 : 1,
  clientX: r.left + 7.5 / 12 * r.width, clientY: r.top + 8.25 / 12 * r.height,
}));
at('pointerdown'); at('pointerup');
return null;
"#;

/// One browser's pass of [`views_bench`].
async fn views_once(
    browser: &Browser,
    site: &Site,
    backend: Backend,
    window: Duration,
) -> Result<Vec<Value>> {
    let page = Playground::open(browser, site, backend).await?;
    let b = page.browser();
    b.select("speed", "max").await?;
    // Run B starts from run A's initial weights, so it is set up before Play.
    b.click("run-b").await?;
    page.play().await?;
    tokio::time::sleep(window / 2).await;
    // (label, the button that starts the view; None for the views already on).
    // (The step view's gradients show only while paused.)
    let stages: [(&str, Option<&str>); 4] = [
        ("training, probe, gap, run B", None),
        ("+ optimiser race", Some("race")),
        ("+ learning curve", Some("learning-curve-run")),
        ("+ loss landscape", Some("landscape-run")),
    ];
    let mut rows = Vec::new();
    let mut first = true;
    for (label, start) in stages {
        if let Some(testid) = start {
            b.click(testid).await?;
        }
        if first {
            // The probe: the point (1.5, -2.25) of the output map, clicked.
            js(b, PROBE_CLICK).await?;
            first = false;
        }
        let e0 = page.epoch().await?;
        let t0 = Instant::now();
        let frames = b.frame_stats(window).await?;
        let epochs_per_s = (page.epoch().await? - e0) as f64 / t0.elapsed().as_secs_f64();
        println!(
            "{:<9} {:<44} {:>10.1} {:>6.1} {:>6} {:>6.0}ms",
            backend.label(),
            label,
            epochs_per_s,
            frames.fps,
            frames.long_tasks,
            frames.longest_task_ms
        );
        let phases = js(b, "return window.__emberlabTiming || {};").await?;
        println!("          phases (ms, moving average): {phases}");
        rows.push(json!({
            "backend": backend.label(),
            "views": label,
            "phases": phases,
            "epochs_per_s": epochs_per_s,
            "fps": frames.fps,
            "long_tasks": frames.long_tasks,
            "longest_task_ms": frames.longest_task_ms,
        }));
    }
    page.pause().await?;
    Ok(rows)
}
