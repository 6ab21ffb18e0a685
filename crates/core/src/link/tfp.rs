//! TensorFlow Playground links (`#activation=tanh&batchSize=10&dataset=circle&…`, the keys of
//! its `src/state.ts`) translated into the same experiment. Unknown keys are ignored, as
//! TensorFlow Playground does; values Emberlab cannot take as written are clamped or dropped,
//! each with a [`LinkError::Translated`] saying what happened.

use super::LinkError;
use super::fields::{self, shorten};
use super::playground::reconcile;
use crate::data::DatasetKind;
use crate::features::{Feature, FeatureSet};
use crate::limits::*;
use crate::network::{Activation, Init, LayerSpec};
use crate::playground_state::{Control, PlaygroundState, Speed};
use crate::training::{BatchSize, Regularization};

/// TensorFlow Playground's points for classification and for regression data sets.
const TFP_CLASSIFY_POINTS: usize = 500;
const TFP_REGRESS_POINTS: usize = 1200;
/// Suffix of TensorFlow Playground's hidden-control flags.
const HIDE_SUFFIX: &str = "_hide";

/// Whether `hash` reads like a TensorFlow Playground state.
pub(crate) fn looks_like(hash: &str) -> bool {
    fields::pairs(hash).iter().any(|(key, _)| {
        matches!(
            key.as_str(),
            "activation"
                | "batchSize"
                | "dataset"
                | "regDataset"
                | "learningRate"
                | "networkShape"
                | "problem"
                | "noise"
                | "percTrainData"
                | "seed"
        ) || key.ends_with(HIDE_SUFFIX)
    })
}

/// TensorFlow Playground's feature keys.
fn feature(key: &str) -> Option<Feature> {
    Some(match key {
        "x" => Feature::X1,
        "y" => Feature::X2,
        "xSquared" => Feature::X1Squared,
        "ySquared" => Feature::X2Squared,
        "xTimesY" => Feature::X1TimesX2,
        "sinX" => Feature::SinX1,
        "sinY" => Feature::SinX2,
        "cosX" => Feature::CosX1,
        "cosY" => Feature::CosX2,
        _ => return None,
    })
}

/// TensorFlow Playground's hidable controls (`<name>_hide=true`).
fn control(name: &str) -> Option<Control> {
    Some(match name {
        "showTestData" => Control::ShowTestData,
        "discretize" => Control::Discretize,
        "playButton" => Control::Play,
        "stepButton" => Control::Step,
        "resetButton" => Control::Reset,
        "learningRate" => Control::LearningRate,
        "activation" => Control::Activation,
        "regularization" => Control::Regularization,
        "regularizationRate" => Control::RegularizationRate,
        "problem" => Control::Problem,
        "dataset" | "regDataset" => Control::Dataset,
        "percTrainData" => Control::TrainRatio,
        "noise" => Control::Noise,
        "batchSize" => Control::BatchSize,
        "numHiddenLayers" => Control::Layers,
        _ => return None,
    })
}

/// Collects the notes of one translation.
struct Notes(Vec<LinkError>);

impl Notes {
    fn note(&mut self, key: &str, value: &str, what: impl Into<String>) {
        self.0.push(LinkError::Translated {
            key: shorten(key),
            value: shorten(value),
            what: what.into(),
        });
    }
}

/// The experiment a TensorFlow Playground hash describes.
pub(crate) fn translate(hash: &str) -> (PlaygroundState, Vec<LinkError>) {
    let pairs = fields::pairs(hash);
    let get = |name: &str| {
        pairs
            .iter()
            .rev()
            .find(|(k, v)| k == name && !v.trim().is_empty())
            .map(|(_, v)| v.as_str())
    };
    let mut notes = Notes(Vec::new());
    let mut state = PlaygroundState::default();
    // TensorFlow Playground trains one epoch per frame.
    state.view.speed = Speed::EpochsPerFrame(1);
    let c = &mut state.config;

    let regression = match get("problem") {
        None | Some("classification") => false,
        Some("regression") => true,
        Some(other) => {
            notes.note(
                "problem",
                other,
                "unknown problem type; classification is used",
            );
            false
        }
    };
    if regression {
        c.data.kind = match get("regDataset") {
            None | Some("reg-plane") => DatasetKind::Plane,
            Some("reg-gauss") => DatasetKind::MultiGaussian,
            Some(other) => {
                notes.note(
                    "regDataset",
                    other,
                    "Emberlab has no such regression data set; the plane is used",
                );
                DatasetKind::Plane
            }
        };
        c.data.size = TFP_REGRESS_POINTS;
        c.training.loss = crate::training::LossKind::Mse;
    } else {
        c.data.kind = match get("dataset") {
            None | Some("circle") => DatasetKind::Circle,
            Some("xor") => DatasetKind::Xor,
            Some("gauss") => DatasetKind::Gaussian,
            Some("spiral") => DatasetKind::Spiral,
            Some(other) => {
                notes.note("dataset", other, "unknown data set; the circle is used");
                DatasetKind::Circle
            }
        };
        c.data.size = TFP_CLASSIFY_POINTS;
    }

    if let Some(v) = get("noise") {
        c.data.noise_percent = clamped(&mut notes, "noise", v, 0.0, MAX_NOISE_PERCENT as f64)
            .map_or(c.data.noise_percent, |n| n.round() as u32);
    }
    if let Some(v) = get("percTrainData") {
        c.data.train_percent = clamped(
            &mut notes,
            "percTrainData",
            v,
            MIN_TRAIN_PERCENT as f64,
            MAX_TRAIN_PERCENT as f64,
        )
        .map_or(c.data.train_percent, |n| n.round() as u32);
    }
    if let Some(v) = get("seed") {
        c.seed = seed_from(v);
    }

    let activation = match get("activation") {
        None | Some("tanh") => Activation::Tanh,
        Some("relu") => Activation::Relu,
        Some("sigmoid") => Activation::Sigmoid,
        Some("linear") => Activation::Linear,
        Some(other) => {
            notes.note("activation", other, "unknown activation; tanh is used");
            Activation::Tanh
        }
    };
    if let Some((_, shape)) = pairs.iter().rev().find(|(k, _)| k == "networkShape") {
        c.network.hidden = network_shape(&mut notes, shape, activation);
    } else {
        c.network
            .hidden
            .iter_mut()
            .for_each(|l| l.activation = activation);
    }
    if get("initZero").is_some_and(|v| v != "false") {
        c.network.init = Init::NearZero;
        notes.note(
            "initZero",
            "true",
            "weights start near zero (±0.01) rather than exactly zero, so neurons can differ",
        );
    }

    let mut features = Vec::new();
    let mut any_feature_key = false;
    for (key, value) in &pairs {
        if let Some(f) = feature(key) {
            any_feature_key = true;
            if value != "false" && !value.is_empty() {
                features.push(f);
            }
        }
    }
    if any_feature_key {
        if features.is_empty() {
            notes.note("x", "false", "no input feature was on; x₁ and x₂ are used");
        } else {
            c.features = FeatureSet::from_features(&features);
        }
    }

    if let Some(v) = get("learningRate") {
        c.training.learning_rate = clamped(&mut notes, "learningRate", v, 1e-6, MAX_LEARNING_RATE)
            .unwrap_or(c.training.learning_rate);
    }
    c.training.regularization = match get("regularization") {
        None | Some("none") => Regularization::None,
        Some("L1") => Regularization::L1,
        Some("L2") => Regularization::L2,
        Some(other) => {
            notes.note(
                "regularization",
                other,
                "unknown regularisation; none is used",
            );
            Regularization::None
        }
    };
    if let Some(v) = get("regularizationRate") {
        c.training.regularization_rate = clamped(
            &mut notes,
            "regularizationRate",
            v,
            0.0,
            MAX_REGULARIZATION_RATE,
        )
        .unwrap_or(c.training.regularization_rate);
    }
    if let Some(v) = get("batchSize") {
        let most = c.data.train_count() as f64;
        if let Some(n) = clamped(&mut notes, "batchSize", v, 1.0, most) {
            c.training.batch_size = BatchSize::Points(n.round() as usize);
        }
    }

    state.view.show_test = get("showTestData").is_some_and(|v| v != "false");
    state.view.discretize = get("discretize").is_some_and(|v| v != "false");
    if get("hideText").is_some_and(|v| v != "false") {
        state.hidden.hide(Control::Text);
    }
    for (key, value) in &pairs {
        let Some(name) = key.strip_suffix(HIDE_SUFFIX) else {
            continue;
        };
        if value != "true" {
            continue;
        }
        if let Some(control) = control(name) {
            state.hidden.hide(control);
        } else if let Some(f) = feature(name) {
            state.hidden.features = FeatureSet::from_features(
                &state.hidden.features.iter().chain([f]).collect::<Vec<_>>(),
            );
        }
    }

    let mut errors = notes.0;
    reconcile(&mut state.config, &mut errors);
    (state, errors)
}

/// A number clamped into `min..=max` (noted when clamped), or `None` (noted) when it is not one.
fn clamped(notes: &mut Notes, key: &str, value: &str, min: f64, max: f64) -> Option<f64> {
    match value.trim().parse::<f64>() {
        Ok(n) if n.is_finite() => {
            let c = n.clamp(min, max);
            if c != n {
                notes.note(key, value, format!("out of range; {c} is used"));
            }
            Some(c)
        }
        _ => {
            notes.note(key, value, "not a number; the default is used");
            None
        }
    }
}

/// `4,2` → two layers of `activation`; sizes and depth clamped to Emberlab's limits.
fn network_shape(notes: &mut Notes, shape: &str, activation: Activation) -> Vec<LayerSpec> {
    let mut layers = Vec::new();
    for (i, size) in shape
        .split(',')
        .filter(|s| !s.trim().is_empty())
        .enumerate()
    {
        if i == MAX_HIDDEN_LAYERS {
            notes.note(
                "networkShape",
                shape,
                format!("at most {MAX_HIDDEN_LAYERS} hidden layers; the rest were dropped"),
            );
            break;
        }
        let neurons = match size.trim().parse::<f64>() {
            Ok(n) if n.is_finite() => {
                let c = n.round().clamp(MIN_NEURONS as f64, MAX_NEURONS as f64);
                if c != n {
                    notes.note(
                        "networkShape",
                        shape,
                        format!("layer {} uses {c} neurons", i + 1),
                    );
                }
                c as usize
            }
            _ => {
                notes.note(
                    "networkShape",
                    shape,
                    format!("layer {} is not a number; 4 neurons are used", i + 1),
                );
                4
            }
        };
        layers.push(LayerSpec::new(neurons, activation));
    }
    layers
}

/// TensorFlow Playground's seeds are strings such as `0.47230`; the same string always gives
/// the same Emberlab seed (the generators differ, so the points do too).
fn seed_from(text: &str) -> u64 {
    match text.parse::<f64>() {
        Ok(x) if x.is_finite() && (0.0..1.0).contains(&x) => (x * 100_000.0).round() as u64,
        _ => text.bytes().fold(0xCBF2_9CE4_8422_2325u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x100_0000_01B3)
        }),
    }
}
