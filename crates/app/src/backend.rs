//! Chooses the training back end: `?backend=` or the picker if the user chose one, else the
//! fused CPU engine, moving to WebGPU only where WebGPU measures faster.

use emberlab_core::{Device, Engine, Experiment, Observation, Trainer};

use crate::frame::now_ms;
use crate::state::{BackendInfo, BackendKind};

/// Steps timed per back end when comparing them (after two warm-up steps).
const PROBE_STEPS: usize = 5;
/// Below this many milliseconds per CPU step WebGPU is not even tried: a burn WebGPU step
/// dispatches dozens of kernels and waits for the GPU at least once, which costs more than
/// this in a browser (see docs/ARCHITECTURE.md for the measurements).
pub const GPU_WORTH_TRYING_MS: f64 = 0.5;

/// The back end forced by the page URL's `?backend=` parameter, if any.
pub fn forced_backend() -> Option<BackendKind> {
    let search = web_sys::window()?.location().search().ok()?;
    let params = web_sys::UrlSearchParams::new_with_str(&search).ok()?;
    BackendKind::from_query(&params.get("backend")?)
}

/// Whether the browser exposes `navigator.gpu`.
pub fn browser_has_webgpu() -> bool {
    web_sys::window()
        .and_then(|w| js_sys::Reflect::get(&w.navigator(), &"gpu".into()).ok())
        .is_some_and(|gpu| !gpu.is_undefined() && !gpu.is_null())
}

/// Initialises burn's WebGPU device.
pub async fn init_webgpu() -> Result<Device, String> {
    #[cfg(target_arch = "wasm32")]
    {
        use burn::tensor::wgpu::WgpuBackend;
        Device::wgpu_options()
            .graphics_api(WgpuBackend::WebGpu)
            .init_async()
            .await
            .map_err(|e| format!("{e:?}"))
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        Err("WebGPU runs only in the browser build".to_string())
    }
}

/// How the user chose a back end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    /// `?backend=` in the page's URL.
    Url,
    /// The back-end picker.
    Picker,
}

/// The engine that trains on a WebGPU device: the training kernel (many steps a dispatch).
fn gpu_engine(device: Device) -> Engine {
    #[cfg(target_arch = "wasm32")]
    {
        Engine::Gpu(device)
    }
    // Native builds (tests, clippy) have no GPU kernel; they never get a WebGPU device either.
    #[cfg(not(target_arch = "wasm32"))]
    {
        Engine::Burn(device)
    }
}

/// The engine for a back end the user chose, falling back to the CPU with a reason when
/// WebGPU cannot start.
pub async fn chosen_engine(kind: BackendKind, choice: Choice) -> (Engine, BackendInfo) {
    let why = match choice {
        Choice::Url => format!("chosen by ?backend={}", kind.query()),
        Choice::Picker => "chosen in the picker".to_string(),
    };
    let info = |kind, reason: String| BackendInfo { kind, reason };
    match kind {
        BackendKind::Cpu => (Engine::Fused, info(kind, why)),
        BackendKind::Flex => (Engine::Burn(Device::flex()), info(kind, why)),
        BackendKind::WebGpu if !browser_has_webgpu() => (
            Engine::Fused,
            info(
                BackendKind::Cpu,
                "this browser offers no WebGPU; training on the CPU instead".into(),
            ),
        ),
        BackendKind::WebGpu => match init_webgpu().await {
            Ok(device) => (gpu_engine(device), info(kind, why)),
            Err(e) => (
                Engine::Fused,
                info(
                    BackendKind::Cpu,
                    format!("WebGPU failed to start ({e}); training on the CPU instead"),
                ),
            ),
        },
    }
}

/// Mean wall time per step of `experiment` on `engine`, after a warm-up (which compiles
/// shaders on WebGPU), readback included.
pub async fn ms_per_step(experiment: &Experiment, engine: Engine) -> Result<f64, String> {
    let mut trainer = Trainer::new(experiment.clone(), engine);
    trainer.train_steps(2);
    observe(&mut trainer).await?;
    let start = now_ms();
    trainer.train_steps(PROBE_STEPS);
    let observation = observe(&mut trainer).await?;
    if observation.metrics.diverged() {
        return Err("the probe's loss was not finite".into());
    }
    Ok((now_ms() - start) / PROBE_STEPS as f64)
}

/// Metrics now (awaiting the device, if any).
async fn observe(trainer: &mut Trainer) -> Result<Observation, String> {
    let delivered = trainer
        .observe(None)
        .read()
        .await
        .map_err(|e| e.to_string())?;
    trainer.complete(delivered).map_err(|e| e.to_string())
}

/// The verdict of comparing WebGPU with the CPU on the current network.
pub struct ProbeVerdict {
    /// The WebGPU engine, when it was faster.
    pub faster: Option<Engine>,
    /// What was measured, for the badge.
    pub info: BackendInfo,
}

/// Times the CPU engine on `experiment`, and WebGPU too where it could plausibly win; WebGPU
/// is chosen only if it is faster.
pub async fn probe(experiment: &Experiment) -> ProbeVerdict {
    let cpu_verdict = |reason: String| ProbeVerdict {
        faster: None,
        info: BackendInfo {
            kind: BackendKind::Cpu,
            reason,
        },
    };
    let cpu_ms = match ms_per_step(experiment, Engine::Fused).await {
        Ok(ms) => ms,
        Err(e) => return cpu_verdict(format!("the CPU measurement failed ({e})")),
    };
    if cpu_ms < GPU_WORTH_TRYING_MS {
        return cpu_verdict(format!(
            "{cpu_ms:.3} ms/step on the CPU: faster than any WebGPU step can be for this \
             network (pick WebGPU to compare)"
        ));
    }
    if !browser_has_webgpu() {
        return cpu_verdict("this browser offers no WebGPU".into());
    }
    let gpu = match init_webgpu().await {
        Ok(device) => gpu_engine(device),
        Err(e) => return cpu_verdict(format!("WebGPU failed to start ({e})")),
    };
    match ms_per_step(experiment, gpu.clone()).await {
        Ok(gpu_ms) if gpu_ms < cpu_ms => ProbeVerdict {
            faster: Some(gpu),
            info: BackendInfo {
                kind: BackendKind::WebGpu,
                reason: format!(
                    "measured faster for this network: {gpu_ms:.1} ms/step vs {cpu_ms:.1} on the CPU"
                ),
            },
        },
        Ok(gpu_ms) => cpu_verdict(format!(
            "measured faster for this network: {cpu_ms:.2} ms/step vs {gpu_ms:.1} on WebGPU"
        )),
        Err(e) => cpu_verdict(format!("WebGPU failed its test run ({e})")),
    }
}
