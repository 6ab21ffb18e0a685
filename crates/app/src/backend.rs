//! Chooses the training back end: `?backend=` if given, else WebGPU only where it measures faster.

use emberlab_core::{Device, Experiment, Session};

use crate::frame::now_ms;
use crate::state::{BackendInfo, BackendKind};

/// Steps timed per back end when comparing them.
const PROBE_STEPS: usize = 5;

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

/// The device for a back end the user forced, falling back to the CPU with a reason.
pub async fn forced_device(kind: BackendKind) -> (Device, BackendInfo) {
    match kind {
        BackendKind::Cpu => (
            Device::flex(),
            BackendInfo {
                kind: BackendKind::Cpu,
                reason: "chosen by ?backend=cpu".into(),
            },
        ),
        BackendKind::WebGpu => match init_webgpu().await {
            Ok(device) => (
                device,
                BackendInfo {
                    kind: BackendKind::WebGpu,
                    reason: "chosen by ?backend=webgpu".into(),
                },
            ),
            Err(e) => (
                Device::flex(),
                BackendInfo {
                    kind: BackendKind::Cpu,
                    reason: format!("WebGPU failed to start ({e}); training on the CPU instead"),
                },
            ),
        },
    }
}

/// Mean wall time per step of `experiment` on `device`, after a warm-up (which compiles
/// shaders on WebGPU), readback included.
pub async fn ms_per_step(experiment: &Experiment, device: Device) -> Result<f64, String> {
    let mut session = Session::new(experiment.clone(), device);
    session.train_steps(2);
    session.metrics().await.map_err(|e| e.to_string())?;
    let start = now_ms();
    session.train_steps(PROBE_STEPS);
    let metrics = session.metrics().await.map_err(|e| e.to_string())?;
    if metrics.diverged() {
        return Err("the probe's loss was not finite".into());
    }
    Ok((now_ms() - start) / PROBE_STEPS as f64)
}

/// The verdict of comparing WebGPU with the CPU on the current network.
pub struct ProbeVerdict {
    /// The WebGPU device, when it was faster.
    pub faster_device: Option<Device>,
    /// What was measured, for the badge.
    pub info: BackendInfo,
}

/// Times both back ends on `experiment`; WebGPU wins only if it is faster.
pub async fn probe(experiment: &Experiment) -> ProbeVerdict {
    let cpu_verdict = |reason: String| ProbeVerdict {
        faster_device: None,
        info: BackendInfo {
            kind: BackendKind::Cpu,
            reason,
        },
    };
    if !browser_has_webgpu() {
        return cpu_verdict("this browser offers no WebGPU".into());
    }
    let gpu = match init_webgpu().await {
        Ok(device) => device,
        Err(e) => return cpu_verdict(format!("WebGPU failed to start ({e})")),
    };
    let cpu_ms = match ms_per_step(experiment, Device::flex()).await {
        Ok(ms) => ms,
        Err(e) => return cpu_verdict(format!("the CPU measurement failed ({e})")),
    };
    match ms_per_step(experiment, gpu.clone()).await {
        Ok(gpu_ms) if gpu_ms < cpu_ms => ProbeVerdict {
            faster_device: Some(gpu),
            info: BackendInfo {
                kind: BackendKind::WebGpu,
                reason: format!(
                    "measured faster for this network: {gpu_ms:.1} ms/step vs {cpu_ms:.1} on the CPU"
                ),
            },
        },
        Ok(gpu_ms) => cpu_verdict(format!(
            "measured faster for this network: {cpu_ms:.1} ms/step vs {gpu_ms:.1} on WebGPU"
        )),
        Err(e) => cpu_verdict(format!("WebGPU failed its test run ({e})")),
    }
}
