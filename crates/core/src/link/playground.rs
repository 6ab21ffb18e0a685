//! The playground's link fields (v1). Keys never change; new fields get new keys.
//!
//! ```text
//! seed=1&data=circle&n=500&noise=0&ratio=50&classes=3&f=x1,x2&net=4:tanh,2:tanh&init=xavier
//! &loss=bce&opt=sgd&lr=0.03&batch=10&reg=none&rr=0&speed=max&test=0&disc=0&log=0&hide=&hidef=
//! [&pts=<points>][&w=<weights>]
//! ```
//! `pts=` carries the user's own points and is written only for `data=custom`.
//! A layer is `neurons:activation[:dropout]`. Missing fields take their defaults (hand-written
//! links may be short); unknown ones are reported.

use super::LinkError;
use super::fields::{self, Writer};
use super::lab_fields::{self, Field};
use super::{points, weights};
use crate::data::DatasetKind;
use crate::experiment::{ConfigError, ExperimentConfig};
use crate::features::{Feature, FeatureSet};
use crate::lab::LabInfo;
use crate::limits::*;
use crate::model::misfit;
use crate::network::{Activation, Init, LayerSpec};
use crate::playground_state::{Control, Hidden, PlaygroundLab, PlaygroundState, Speed};
use crate::run::check_learning_rate;
use crate::training::{BatchSize, LossKind, OptimizerKind, Regularization};

/// Every field but the user's points and the weights, in link order: one table writes and
/// reads them (a field checks itself alone: range, known words; conflicts between fields are
/// resolved after all are read, in [`reconcile`]).
const FIELDS: &[Field<PlaygroundState>] = &[
    Field {
        key: "seed",
        write: |s| s.config.seed.to_string(),
        read: |s, v| {
            s.config.seed = v.parse().map_err(|_| "a seed is a whole number")?;
            Ok(())
        },
    },
    Field {
        key: "data",
        write: |s| s.config.data.kind.key().to_string(),
        read: |s, v| {
            s.config.data.kind = known(v, "data sets", &DatasetKind::ALL, DatasetKind::key)?;
            Ok(())
        },
    },
    Field {
        key: "n",
        write: |s| s.config.data.size.to_string(),
        read: |s, v| {
            s.config.data.size = ranged(v, MIN_DATA_SIZE, MAX_DATA_SIZE, "points")?;
            Ok(())
        },
    },
    Field {
        key: "noise",
        write: |s| s.config.data.noise_percent.to_string(),
        read: |s, v| {
            s.config.data.noise_percent = ranged(v, 0, MAX_NOISE_PERCENT, "percent")?;
            Ok(())
        },
    },
    Field {
        key: "ratio",
        write: |s| s.config.data.train_percent.to_string(),
        read: |s, v| {
            s.config.data.train_percent =
                ranged(v, MIN_TRAIN_PERCENT, MAX_TRAIN_PERCENT, "percent")?;
            Ok(())
        },
    },
    Field {
        key: "classes",
        write: |s| s.config.data.classes.to_string(),
        read: |s, v| {
            s.config.data.classes = ranged(v, MIN_CLASSES, MAX_CLASSES, "classes")?;
            Ok(())
        },
    },
    Field {
        key: "f",
        write: |s| feature_list(s.config.features),
        read: |s, v| {
            s.config.features = features(v, false)?;
            Ok(())
        },
    },
    Field {
        key: "net",
        write: |s| {
            let layers: Vec<String> = s.config.network.hidden.iter().map(layer_text).collect();
            layers.join(",")
        },
        read: |s, v| {
            s.config.network.hidden = network(v)?;
            Ok(())
        },
    },
    Field {
        key: "init",
        write: |s| s.config.network.init.key().to_string(),
        read: |s, v| {
            s.config.network.init = known(v, "inits", &Init::ALL, Init::key)?;
            Ok(())
        },
    },
    Field {
        key: "loss",
        write: |s| s.config.training.loss.key().to_string(),
        read: |s, v| {
            s.config.training.loss = known(v, "losses", &LossKind::ALL, LossKind::key)?;
            Ok(())
        },
    },
    Field {
        key: "opt",
        write: |s| s.config.training.optimizer.key().to_string(),
        read: |s, v| {
            s.config.training.optimizer =
                known(v, "optimizers", &OptimizerKind::ALL, OptimizerKind::key)?;
            Ok(())
        },
    },
    Field {
        key: "lr",
        write: |s| s.config.training.learning_rate.to_string(),
        read: |s, v| {
            s.config.training.learning_rate = learning_rate(v)?;
            Ok(())
        },
    },
    Field {
        key: "batch",
        write: |s| match s.config.training.batch_size {
            BatchSize::Full => "full".to_string(),
            BatchSize::Points(n) => n.to_string(),
        },
        read: |s, v| {
            s.config.training.batch_size = if v == "full" {
                BatchSize::Full
            } else {
                BatchSize::Points(ranged(v, 1, MAX_DATA_SIZE, "points")?)
            };
            Ok(())
        },
    },
    Field {
        key: "reg",
        write: |s| s.config.training.regularization.key().to_string(),
        read: |s, v| {
            s.config.training.regularization =
                Regularization::from_key(v).ok_or("use none, l1 or l2")?;
            Ok(())
        },
    },
    Field {
        key: "rr",
        write: |s| s.config.training.regularization_rate.to_string(),
        read: |s, v| {
            s.config.training.regularization_rate = regularization_rate(v)?;
            Ok(())
        },
    },
    Field {
        key: "speed",
        write: |s| s.view.speed.key(),
        read: |s, v| {
            s.view.speed = Speed::from_key(v).ok_or_else(|| {
                let known: Vec<String> = Speed::ALL.iter().map(|s| s.key()).collect();
                format!("known speeds are {}", known.join(", "))
            })?;
            Ok(())
        },
    },
    Field {
        key: "test",
        write: |s| u8::from(s.view.show_test).to_string(),
        read: |s, v| {
            s.view.show_test = lab_fields::flag(v)?;
            Ok(())
        },
    },
    Field {
        key: "disc",
        write: |s| u8::from(s.view.discretize).to_string(),
        read: |s, v| {
            s.view.discretize = lab_fields::flag(v)?;
            Ok(())
        },
    },
    Field {
        key: "log",
        write: |s| u8::from(s.view.log_scale).to_string(),
        read: |s, v| {
            s.view.log_scale = lab_fields::flag(v)?;
            Ok(())
        },
    },
    Field {
        key: "hide",
        write: |s| {
            let hidden: Vec<&str> = s.hidden.controls.iter().map(|c| c.key()).collect();
            hidden.join(",")
        },
        read: |s, v| {
            s.hidden.controls = controls(v)?;
            Ok(())
        },
    },
    Field {
        key: "hidef",
        write: |s| feature_list(s.hidden.features),
        read: |s, v| {
            s.hidden.features = features(v, true)?;
            Ok(())
        },
    },
];

/// The link body of `state`: the table's fields, then the user's points (for `data=custom`)
/// and the weights, if any.
pub(crate) fn encode(state: &PlaygroundState) -> String {
    let mut w = Writer::default();
    for field in FIELDS {
        w.field(field.key, (field.write)(state));
    }
    if state.config.data.kind == DatasetKind::Custom {
        w.field("pts", points::encode(&state.config.data.custom));
    }
    if let Some(checkpoint) = &state.checkpoint {
        w.field("w", weights::encode(checkpoint));
    }
    w.finish()
}

fn feature_list(set: FeatureSet) -> String {
    set.iter().map(Feature::key).collect::<Vec<_>>().join(",")
}

fn layer_text(layer: &LayerSpec) -> String {
    if layer.dropout > 0.0 {
        format!(
            "{}:{}:{}",
            layer.neurons,
            layer.activation.key(),
            layer.dropout
        )
    } else {
        format!("{}:{}", layer.neurons, layer.activation.key())
    }
}

/// The state a link body describes, and a typed error per field it could not use.
pub(crate) fn decode(body: &str) -> (PlaygroundState, Vec<LinkError>) {
    let mut state = PlaygroundState::default();
    let mut errors = Vec::new();
    let mut weights_text = None;
    let mut points_text = None;
    for (key, value) in fields::pairs(body) {
        if key == "w" {
            weights_text = Some(value);
            continue;
        }
        if key == "pts" {
            points_text = Some(value);
            continue;
        }
        let Some(field) = FIELDS.iter().find(|f| f.key == key) else {
            errors.push(LinkError::UnknownField {
                key: fields::shorten(&key),
            });
            continue;
        };
        if let Err(problem) = (field.read)(&mut state, &value) {
            errors.push(LinkError::Field {
                key: fields::shorten(&key),
                value: fields::shorten(&value),
                problem,
            });
        }
    }
    apply_points(&mut state.config, points_text.as_deref(), &mut errors);
    reconcile(&mut state.config, &mut errors);
    if let Some(text) = weights_text {
        state.checkpoint = match checkpoint_for(&state.config, &text) {
            Ok(checkpoint) => Some(checkpoint),
            Err(reason) => {
                errors.push(LinkError::Weights(reason));
                None
            }
        };
    }
    (state, errors)
}

/// Takes the user's own points from `pts=`, if they are usable. When the link asks for
/// `data=custom` and they are not, the default data set is shown instead (so the rest of the
/// experiment still opens).
fn apply_points(config: &mut ExperimentConfig, text: Option<&str>, errors: &mut Vec<LinkError>) {
    let custom = config.data.kind == DatasetKind::Custom;
    let result = match text {
        Some(text) => points::decode(text).and_then(|data| {
            let mut problems = Vec::new();
            data.check(&mut problems);
            match problems.into_iter().next() {
                Some(problem) => Err(problem.to_string()),
                None => Ok(data),
            }
        }),
        None if custom => Err("the link has none".to_string()),
        None => return,
    };
    match result {
        Ok(data) => config.data.custom = data,
        Err(reason) => {
            let replaced_by = custom.then(|| crate::data::DataConfig::default().kind);
            if let Some(kind) = replaced_by {
                config.data.kind = kind;
            }
            errors.push(LinkError::Points {
                reason,
                replaced_by,
            });
        }
    }
}

fn checkpoint_for(
    config: &ExperimentConfig,
    text: &str,
) -> Result<crate::playground_state::Checkpoint, String> {
    let checkpoint = weights::decode(text)?;
    let experiment = config.validate().map_err(|e| e.to_string())?;
    match misfit(&experiment, &checkpoint.layers) {
        Some(reason) => Err(reason),
        None => Ok(checkpoint),
    }
}

fn bad(problem: impl Into<String>) -> String {
    problem.into()
}

/// One of `all`, by its key, or the list of known `what`.
fn known<T: Copy, const N: usize>(
    value: &str,
    what: &str,
    all: &[T; N],
    key: fn(T) -> &'static str,
) -> Result<T, String> {
    all.iter()
        .copied()
        .find(|v| key(*v) == value)
        .ok_or_else(|| format!("known {what} are {}", keys(all.map(key))))
}

fn keys<const N: usize>(all: [&str; N]) -> String {
    all.join(", ")
}

/// A whole number in `min..=max`.
fn ranged<T>(value: &str, min: T, max: T, unit: &str) -> Result<T, String>
where
    T: std::str::FromStr + PartialOrd + std::fmt::Display + Copy,
{
    match value.parse::<T>() {
        Ok(n) if n >= min && n <= max => Ok(n),
        _ => Err(bad(format!(
            "use a whole number of {unit} from {min} to {max}"
        ))),
    }
}

fn learning_rate(value: &str) -> Result<f64, String> {
    match value.parse::<f64>() {
        Ok(r) if check_learning_rate(r, MAX_LEARNING_RATE).is_ok() => Ok(r),
        _ => Err(bad(format!(
            "the learning rate is a number above 0 and at most {MAX_LEARNING_RATE}"
        ))),
    }
}

fn regularization_rate(value: &str) -> Result<f64, String> {
    match value.parse::<f64>() {
        Ok(r) if r.is_finite() && (0.0..=MAX_REGULARIZATION_RATE).contains(&r) => Ok(r),
        _ => Err(bad(format!(
            "the regularisation rate is a number from 0 to {MAX_REGULARIZATION_RATE}"
        ))),
    }
}

/// A comma list of feature keys; `allow_empty` for the hidden-features list.
fn features(value: &str, allow_empty: bool) -> Result<FeatureSet, String> {
    let mut list = Vec::new();
    for key in value.split(',').filter(|k| !k.is_empty()) {
        list.push(Feature::from_key(key).ok_or_else(|| {
            bad(format!(
                "\"{}\" is not a feature; known are {}",
                fields::shorten(key),
                keys(Feature::ALL.map(Feature::key))
            ))
        })?);
    }
    if list.is_empty() && !allow_empty {
        return Err(bad("at least one input feature must be on"));
    }
    Ok(FeatureSet::from_features(&list))
}

fn controls(value: &str) -> Result<Vec<Control>, String> {
    let mut hidden = Hidden::none();
    for key in value.split(',').filter(|k| !k.is_empty()) {
        hidden.hide(
            Control::from_key(key)
                .ok_or_else(|| bad(format!("\"{}\" is not a control", fields::shorten(key))))?,
        );
    }
    Ok(hidden.controls)
}

/// `neurons:activation[:dropout]` per layer, comma-separated; empty for no hidden layer.
fn network(value: &str) -> Result<Vec<LayerSpec>, String> {
    let layers: Vec<&str> = value.split(',').filter(|l| !l.is_empty()).collect();
    if layers.len() > MAX_HIDDEN_LAYERS {
        return Err(bad(format!("at most {MAX_HIDDEN_LAYERS} hidden layers")));
    }
    layers
        .into_iter()
        .enumerate()
        .map(|(i, text)| {
            let mut parts = text.split(':');
            let neurons = parts.next().unwrap_or_default();
            let neurons = ranged(neurons, MIN_NEURONS, MAX_NEURONS, "neurons").map_err(|_| {
                bad(format!(
                    "layer {} needs {MIN_NEURONS} to {MAX_NEURONS} neurons",
                    i + 1
                ))
            })?;
            let activation = match parts.next() {
                None => Activation::Tanh,
                Some(key) => Activation::from_key(key).ok_or_else(|| {
                    bad(format!(
                        "layer {}: known activations are {}",
                        i + 1,
                        keys(Activation::ALL.map(Activation::key))
                    ))
                })?,
            };
            let dropout = match parts.next() {
                None => 0.0,
                Some(p) => match p.parse::<f32>() {
                    Ok(p) if (0.0..=MAX_DROPOUT).contains(&p) => p,
                    _ => {
                        return Err(bad(format!(
                            "layer {}: dropout is a number from 0 to {MAX_DROPOUT}",
                            i + 1
                        )));
                    }
                },
            };
            if parts.next().is_some() {
                return Err(bad(format!(
                    "layer {}: write neurons:activation:dropout",
                    i + 1
                )));
            }
            Ok(LayerSpec {
                neurons,
                activation,
                dropout,
            })
        })
        .collect()
}

/// Fixes fields that are fine alone but not together, each reset reported; the result always
/// validates.
pub(crate) fn reconcile(config: &mut ExperimentConfig, errors: &mut Vec<LinkError>) {
    // Each pass fixes one kind of conflict; a handful of passes covers them all.
    for _ in 0..4 {
        let Err(problems) = config.validate_all() else {
            return;
        };
        for problem in problems {
            match &problem {
                ConfigError::BatchSize { .. } => {
                    let default = crate::training::TrainingConfig::default().batch_size;
                    config.training.batch_size = match default {
                        BatchSize::Points(n) if n <= config.data.train_count() => default,
                        _ => BatchSize::Full,
                    };
                }
                ConfigError::LossDoesNotFit { problem, .. } => {
                    config.training.loss = LossKind::default_for(*problem);
                }
                _ => {
                    // Field checks keep everything else in range; should a future field slip
                    // through, the whole config falls back rather than failing to open.
                    *config = ExperimentConfig::default();
                }
            }
            errors.push(LinkError::Conflict(problem));
        }
    }
}

impl LabInfo for PlaygroundLab {
    type State = PlaygroundState;
    const KEY: &'static str = "playground";
    const NAME: &'static str = "Playground";
    const SUMMARY: &'static str = "dense networks on 2-D points";

    fn encode_link(state: &PlaygroundState) -> String {
        encode(state)
    }

    fn decode_link(body: &str) -> (PlaygroundState, Vec<LinkError>) {
        decode(body)
    }
}
