//! Chooses the training back end: `?backend=` or the picker if the user chose one, else the
//! fused CPU engine, moving to WebGPU only where WebGPU measures faster.

use emberlab_core::Steps;
use emberlab_core::{Device, Engine, Experiment, Observation, Trainer};

use crate::frame::now_ms;

/// Which training back end runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum BackendKind {
    /// Emberlab's fused CPU engine (WebAssembly SIMD).
    Cpu,
    /// burn's WebGPU back end.
    WebGpu,
    /// burn's Flex back end on the CPU (WebAssembly), for comparison.
    Flex,
}

impl BackendKind {
    /// Every back end, in the order the picker lists them.
    pub const ALL: [BackendKind; 3] = [BackendKind::Cpu, BackendKind::WebGpu, BackendKind::Flex];

    /// The label shown in the badge (and read by the browser tests).
    pub fn label(self) -> &'static str {
        match self {
            BackendKind::Cpu => "CPU",
            BackendKind::WebGpu => "WebGPU",
            BackendKind::Flex => "CPU, step by step",
        }
    }

    /// What the picker says about it, in words that mean something to a learner.
    pub fn description(self) -> &'static str {
        match self {
            BackendKind::Cpu => "CPU: fastest for networks this small",
            BackendKind::WebGpu => "Graphics card (WebGPU)",
            BackendKind::Flex => "CPU, one operation at a time (slower, to compare)",
        }
    }

    /// The technical name, for the tooltip.
    pub fn technical(self) -> &'static str {
        match self {
            BackendKind::Cpu => "Emberlab's fused SIMD engine in WebAssembly",
            BackendKind::WebGpu => {
                "burn's WebGPU back end running Emberlab's training kernel on the graphics card"
            }
            BackendKind::Flex => {
                "burn's Flex back end: one tensor operation at a time, with autodiff"
            }
        }
    }

    /// The `?backend=` value that selects it.
    pub fn query(self) -> &'static str {
        match self {
            BackendKind::Cpu => "cpu",
            BackendKind::WebGpu => "webgpu",
            BackendKind::Flex => "flex",
        }
    }

    /// Parses `?backend=` values.
    pub fn from_query(value: &str) -> Option<Self> {
        match value.to_ascii_lowercase().as_str() {
            "webgpu" | "gpu" => Some(BackendKind::WebGpu),
            "cpu" => Some(BackendKind::Cpu),
            "flex" => Some(BackendKind::Flex),
            _ => None,
        }
    }
}

/// The back end in use and why it was chosen.
#[derive(Debug, Clone, PartialEq)]
pub struct BackendInfo {
    /// The back end.
    pub kind: BackendKind,
    /// One sentence a user can read.
    pub reason: String,
}

/// Steps timed per back end when comparing them (after as many warm-up steps).
const PROBE_STEPS: usize = 5;
/// Below this many milliseconds per CPU step WebGPU is not even tried: the CPU then trains an
/// epoch in a few milliseconds, while measuring WebGPU costs a device start-up and shader
/// compilation on the main thread (see docs/ARCHITECTURE.md).
pub const GPU_WORTH_TRYING_MS: f64 = 0.5;

/// The back end forced by the page URL's `?backend=` parameter: none, one, or an unknown
/// value (returned so the page can say so).
pub fn forced_backend() -> Result<Option<BackendKind>, String> {
    let Some(search) = web_sys::window().and_then(|w| w.location().search().ok()) else {
        return Ok(None);
    };
    let Some(value) = web_sys::UrlSearchParams::new_with_str(&search)
        .ok()
        .and_then(|p| p.get("backend"))
    else {
        return Ok(None);
    };
    BackendKind::from_query(&value)
        .map(Some)
        .ok_or_else(|| value.chars().take(40).collect())
}

/// Whether the browser (page or worker) exposes `navigator.gpu`.
pub fn browser_has_webgpu() -> bool {
    js_sys::Reflect::get(&js_sys::global(), &"navigator".into())
        .ok()
        .and_then(|navigator| js_sys::Reflect::get(&navigator, &"gpu".into()).ok())
        .is_some_and(|gpu| !gpu.is_undefined() && !gpu.is_null())
}

thread_local! {
    /// The WebGPU device, once started: burn registers a device once per page, and a second
    /// initialisation fails ("a server is still registered for device"), so every later use
    /// (the picker, the probe) shares this one.
    static WEBGPU: std::cell::RefCell<Option<Device>> = const { std::cell::RefCell::new(None) };
}

/// burn's WebGPU device, started on first use and shared afterwards.
pub async fn init_webgpu() -> Result<Device, String> {
    if let Some(device) = WEBGPU.with(|d| d.borrow().clone()) {
        return Ok(device);
    }
    #[cfg(target_arch = "wasm32")]
    {
        use burn::tensor::wgpu::WgpuBackend;
        let device = Device::wgpu_options()
            .graphics_api(WgpuBackend::WebGpu)
            .init_async()
            .await
            .map_err(|e| plain_webgpu_error(&format!("{e:?}")))?;
        WEBGPU.with(|d| *d.borrow_mut() = Some(device.clone()));
        Ok(device)
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        Err("WebGPU runs only in the browser build".to_string())
    }
}

/// A WebGPU start-up error in words a learner can read (the raw text stays in the console).
#[cfg(target_arch = "wasm32")]
fn plain_webgpu_error(raw: &str) -> String {
    web_sys::console::warn_1(&format!("WebGPU failed to start: {raw}").into());
    if raw.contains("Adapter") || raw.contains("adapter") {
        "no suitable graphics adapter was found".to_string()
    } else {
        "the browser refused to start it".to_string()
    }
}

/// How the user chose a back end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
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
/// WebGPU cannot start or is not `offered` (the page that asks has none).
pub async fn chosen_engine(
    kind: BackendKind,
    choice: Choice,
    offered: bool,
) -> (Engine, BackendInfo) {
    let why = match choice {
        Choice::Url => format!("chosen in the address (?backend={})", kind.query()),
        Choice::Picker => "chosen by you".to_string(),
    };
    let info = |kind, reason: String| BackendInfo { kind, reason };
    match kind {
        BackendKind::Cpu => (Engine::Fused, info(kind, why)),
        BackendKind::Flex => (Engine::Burn(Device::flex()), info(kind, why)),
        BackendKind::WebGpu if !(offered && browser_has_webgpu()) => (
            Engine::Fused,
            info(
                BackendKind::Cpu,
                "This browser has no WebGPU, so training runs on the CPU instead.".into(),
            ),
        ),
        BackendKind::WebGpu => match init_webgpu().await {
            Ok(device) => (gpu_engine(device), info(kind, why)),
            Err(e) => (
                Engine::Fused,
                info(
                    BackendKind::Cpu,
                    format!("WebGPU could not start ({e}), so training runs on the CPU instead."),
                ),
            ),
        },
    }
}

/// The burn device for an op-by-op lab (convolution, recurrence, attention): burn's Flex on
/// the CPU (these labs have no fused engine), or WebGPU; with the back end actually used and
/// why.
pub async fn chosen_device(kind: BackendKind, choice: Choice) -> (Device, BackendKind, String) {
    let why = match choice {
        Choice::Url => format!("chosen in the address (?backend={})", kind.query()),
        Choice::Picker => "chosen by you".to_string(),
    };
    match kind {
        BackendKind::Cpu | BackendKind::Flex => (Device::flex(), BackendKind::Cpu, why),
        BackendKind::WebGpu if !browser_has_webgpu() => (
            Device::flex(),
            BackendKind::Cpu,
            "This browser has no WebGPU, so training runs on the CPU instead.".into(),
        ),
        BackendKind::WebGpu => match init_webgpu().await {
            Ok(device) => (device, BackendKind::WebGpu, why),
            Err(e) => (
                Device::flex(),
                BackendKind::Cpu,
                format!("WebGPU could not start ({e}), so training runs on the CPU instead."),
            ),
        },
    }
}

/// Mean wall time per step of `experiment` on `engine`, after a warm-up (which compiles
/// shaders on WebGPU), readback included.
pub async fn ms_per_step(experiment: &Experiment, engine: Engine) -> Result<f64, String> {
    let mut trainer = Trainer::new(experiment.clone(), engine);
    // The warm-up takes as many steps as the timed run, so it compiles the same kernels.
    trainer.train_steps(PROBE_STEPS);
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

/// Times the CPU engine on `experiment`, and WebGPU too where it could plausibly win (and is
/// `offered`: the page that asks has it); WebGPU is chosen only if it is faster.
pub async fn probe(experiment: &Experiment, offered: bool) -> ProbeVerdict {
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
        return cpu_verdict(
            "chosen automatically: for a network this small the CPU is faster than a \
             graphics card can be (pick WebGPU to compare)"
                .into(),
        );
    }
    if !(offered && browser_has_webgpu()) {
        return cpu_verdict("chosen automatically: this browser has no WebGPU".into());
    }
    let gpu = match init_webgpu().await {
        Ok(device) => gpu_engine(device),
        Err(e) => {
            return cpu_verdict(format!(
                "chosen automatically: WebGPU could not start ({e})"
            ));
        }
    };
    match ms_per_step(experiment, gpu.clone()).await {
        Ok(gpu_ms) if gpu_ms < cpu_ms => ProbeVerdict {
            faster: Some(gpu),
            info: BackendInfo {
                kind: BackendKind::WebGpu,
                reason: format!(
                    "chosen automatically: measured {:.0}× faster than the CPU for this network",
                    cpu_ms / gpu_ms.max(1e-9)
                ),
            },
        },
        Ok(gpu_ms) => cpu_verdict(format!(
            "chosen automatically: measured {:.0}× faster than WebGPU for this network",
            gpu_ms / cpu_ms.max(1e-9)
        )),
        Err(e) => cpu_verdict(format!(
            "chosen automatically: WebGPU failed its test run ({e})"
        )),
    }
}
