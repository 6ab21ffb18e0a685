//! The page's reactive state: what the runner writes and the components read.

use std::sync::Arc;

use emberlab_core::{Dataset, ExperimentConfig, Metrics, Snapshot};
use emberlab_viz::LossSeries;
use leptos::prelude::*;

use crate::runner::Speed;

/// Which training back end runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
            BackendKind::Flex => "burn Flex",
        }
    }

    /// What the picker says about it.
    pub fn description(self) -> &'static str {
        match self {
            BackendKind::Cpu => "CPU (fused SIMD)",
            BackendKind::WebGpu => "WebGPU (burn)",
            BackendKind::Flex => "CPU (burn Flex)",
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

/// Measured training speed.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Throughput {
    /// Epochs per second over the last second or so.
    pub epochs_per_second: f64,
    /// Wall milliseconds per optimiser step, readback included.
    pub ms_per_step: f64,
}

/// Every signal of the playground, shared by the runner and the components.
#[derive(Clone, Copy)]
pub struct Playground {
    /// The experiment being trained.
    pub config: RwSignal<ExperimentConfig>,
    /// Whether training runs.
    pub playing: RwSignal<bool>,
    /// The latest metrics.
    pub metrics: RwSignal<Option<Metrics>>,
    /// The latest snapshot (weights and grids).
    pub snapshot: RwSignal<Option<Arc<Snapshot>>>,
    /// The points being learnt.
    pub dataset: RwSignal<Option<Arc<Dataset>>>,
    /// Loss (and accuracy) per observed epoch.
    pub history: RwSignal<LossSeries>,
    /// The back end in use, once chosen.
    pub backend: RwSignal<Option<BackendInfo>>,
    /// Training speed.
    pub throughput: RwSignal<Throughput>,
    /// A message for the user (bad input, divergence, device failure).
    pub notice: RwSignal<Option<String>>,
    /// Whether the loss chart uses a log scale.
    pub log_scale: RwSignal<bool>,
    /// How much to train per frame.
    pub speed: RwSignal<Speed>,
    /// The neuron under the pointer (layer, neuron), shown large in the output panel.
    pub hovered_neuron: RwSignal<Option<(usize, usize)>>,
    /// Whether test points are drawn.
    pub show_test: RwSignal<bool>,
    /// Whether the output is drawn as two flat colours.
    pub discretize: RwSignal<bool>,
}

impl Playground {
    /// Fresh state for `config`.
    pub fn new(config: ExperimentConfig) -> Self {
        Self {
            config: RwSignal::new(config),
            playing: RwSignal::new(false),
            metrics: RwSignal::new(None),
            snapshot: RwSignal::new(None),
            dataset: RwSignal::new(None),
            history: RwSignal::new(LossSeries::default()),
            backend: RwSignal::new(None),
            throughput: RwSignal::new(Throughput::default()),
            notice: RwSignal::new(None),
            log_scale: RwSignal::new(false),
            speed: RwSignal::new(Speed::Max),
            hovered_neuron: RwSignal::new(None),
            show_test: RwSignal::new(false),
            discretize: RwSignal::new(false),
        }
    }

    /// Appends an observation to the loss history (once per epoch). Readers are told only when
    /// `notify` is set, so the runner can redraw the chart less often than every frame.
    pub fn record(&self, metrics: &Metrics, notify: bool) {
        let epoch = u32::try_from(metrics.epoch).unwrap_or(u32::MAX);
        self.history.update_untracked(|h| {
            if h.train.last().is_some_and(|&(e, _)| e == epoch) {
                return;
            }
            h.train.push((epoch, metrics.train_loss));
            h.test.push((epoch, metrics.test_loss));
            if let (Some(a), Some(b)) = (metrics.train_accuracy, metrics.test_accuracy) {
                h.train_accuracy.push((epoch, a));
                h.test_accuracy.push((epoch, b));
            }
        });
        if notify {
            self.history.notify();
        }
    }
}
