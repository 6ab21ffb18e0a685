//! The trained network as burn's own record: burnpack bytes, made in memory (so it works in the
//! browser too) by burn itself from the core's [`Mlp`], and read back into [`LayerWeights`]
//! with a typed error for each way a file can fail to fit.
//!
//! Tensor names follow the module's fields: `hidden.<i>.linear.weight` (`[inputs, outputs]`),
//! `hidden.<i>.linear.bias`, then `output.linear.weight` and `output.linear.bias`. A burn
//! program with the same module structure loads the file with `ModuleRecord::load` (see
//! [`super::rust_program`]).

use burn::module::Module;
use burn::tensor::Device;
use burn_pack::{Bytes, DType, Reader};
use thiserror::Error;

use super::{ExportError, check_fit};
use crate::experiment::Experiment;
use crate::model::{LayerWeights, Mlp};

/// File name the exports suggest.
pub const RECORD_FILE: &str = "emberlab-model.bpk";

/// Why a record cannot be loaded into the network.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum RecordImportError {
    /// Not a burnpack file, or a damaged one.
    #[error("the file is not a burn record Emberlab can read ({0})")]
    NotARecord(String),
    /// A tensor the network needs is absent.
    #[error(
        "the record has no \"{name}\"; it was saved from another network (change the layers to match)"
    )]
    Missing {
        /// The tensor's name.
        name: String,
    },
    /// The record holds a tensor the network does not have.
    #[error(
        "the record holds \"{name}\", which this network does not have; it was saved from a network with more layers"
    )]
    Unexpected {
        /// The tensor's name.
        name: String,
    },
    /// A tensor has another shape than the network's.
    #[error(
        "\"{name}\" has shape {found:?} in the record, but this network needs {expected:?}; change the features or layers to match"
    )]
    Shape {
        /// The tensor's name.
        name: String,
        /// What the network needs.
        expected: Vec<usize>,
        /// What the record holds.
        found: Vec<usize>,
    },
    /// A tensor holds numbers of another type than 32-bit floats.
    #[error("\"{name}\" holds {found} numbers; Emberlab reads 32-bit floats (F32)")]
    DType {
        /// The tensor's name.
        name: String,
        /// Its type.
        found: String,
    },
    /// A tensor holds a NaN or an infinity.
    #[error("\"{name}\" holds a number that is not finite; the network was diverging when saved")]
    NonFinite {
        /// The tensor's name.
        name: String,
    },
}

/// The record names of layer `index` of `count` (output last): `(weight, bias)`.
pub fn tensor_names(index: usize, count: usize) -> (String, String) {
    let module = if index + 1 == count {
        "output.linear".to_string()
    } else {
        format!("hidden.{index}.linear")
    };
    (format!("{module}.weight"), format!("{module}.bias"))
}

/// The network with `layers` as burn record bytes.
pub fn to_burnpack(
    experiment: &Experiment,
    layers: &[LayerWeights],
) -> Result<Vec<u8>, ExportError> {
    check_fit(experiment, layers)?;
    let model = Mlp::from_weights(experiment, layers, &Device::flex());
    let bytes = model
        .into_record()
        .into_bytes()
        .map_err(|e| ExportError::Record(e.to_string()))?;
    Ok(bytes.to_vec())
}

/// The weights in burn record `bytes`, checked against `experiment`'s network.
pub fn from_burnpack(
    experiment: &Experiment,
    bytes: &[u8],
) -> Result<Vec<LayerWeights>, RecordImportError> {
    let not_a_record = |e: burn_pack::Error| RecordImportError::NotARecord(e.to_string());
    let mut tensors = Reader::from_bytes(Bytes::from_bytes_vec(bytes.to_vec()))
        .map_err(not_a_record)?
        .into_tensors()
        .map_err(not_a_record)?;
    let widths = experiment.layer_widths();
    let count = widths.len() - 1;
    let mut layers = Vec::with_capacity(count);
    for (index, pair) in widths.windows(2).enumerate() {
        let (weight_name, bias_name) = tensor_names(index, count);
        let weights = take(&mut tensors, &weight_name, &[pair[0], pair[1]])?;
        let biases = take(&mut tensors, &bias_name, &[pair[1]])?;
        layers.push(LayerWeights {
            inputs: pair[0],
            outputs: pair[1],
            weights,
            biases,
        });
    }
    if let Some(extra) = tensors.first() {
        return Err(RecordImportError::Unexpected {
            name: extra.name.clone(),
        });
    }
    Ok(layers)
}

/// Removes the tensor `name` from `tensors` and reads it as finite `f32`s of shape `expected`.
fn take(
    tensors: &mut Vec<burn_pack::Tensor>,
    name: &str,
    expected: &[usize],
) -> Result<Vec<f32>, RecordImportError> {
    let at =
        tensors
            .iter()
            .position(|t| t.name == name)
            .ok_or_else(|| RecordImportError::Missing {
                name: name.to_string(),
            })?;
    let tensor = tensors.swap_remove(at);
    if tensor.dtype != DType::F32 {
        return Err(RecordImportError::DType {
            name: name.to_string(),
            found: format!("{:?}", tensor.dtype),
        });
    }
    let found = tensor.shape.to_vec();
    if found != expected {
        return Err(RecordImportError::Shape {
            name: name.to_string(),
            expected: expected.to_vec(),
            found,
        });
    }
    let bytes = tensor
        .into_bytes()
        .map_err(|e| RecordImportError::NotARecord(e.to_string()))?;
    let values: Vec<f32> = bytes
        .chunks_exact(4)
        .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .collect();
    if values.len() != expected.iter().product::<usize>() {
        return Err(RecordImportError::NotARecord(format!(
            "\"{name}\" holds {} numbers",
            values.len()
        )));
    }
    if values.iter().any(|v| !v.is_finite()) {
        return Err(RecordImportError::NonFinite {
            name: name.to_string(),
        });
    }
    Ok(values)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::DatasetKind;
    use crate::experiment::ExperimentConfig;
    use crate::features::FeatureSet;
    use crate::model::initial_weights;
    use crate::network::{Activation, LayerSpec};
    use crate::rng::Rng;
    use crate::training::LossKind;
    use burn::store::ModuleRecord;
    use burn::tensor::{Tensor, TensorData};
    use proptest::prelude::*;

    fn experiment(hidden: &[(usize, Activation)], kind: DatasetKind) -> Experiment {
        let mut config = ExperimentConfig {
            features: FeatureSet::all(),
            ..ExperimentConfig::default()
        };
        config.network.hidden = hidden.iter().map(|&(n, a)| LayerSpec::new(n, a)).collect();
        config.data.kind = kind;
        config.training.loss = LossKind::default_for(config.problem());
        config.validate().unwrap()
    }

    /// Initial weights with noise in the biases, so every number differs.
    fn weights(experiment: &Experiment) -> Vec<LayerWeights> {
        let mut rng = Rng::new(3);
        let mut layers = initial_weights(experiment);
        for layer in &mut layers {
            layer
                .biases
                .iter_mut()
                .for_each(|b| *b = rng.uniform(-1.0, 1.0));
        }
        layers
    }

    fn shapes() -> Vec<Experiment> {
        use Activation::*;
        vec![
            experiment(&[(4, Tanh), (2, Tanh)], DatasetKind::Circle),
            experiment(&[], DatasetKind::Plane),
            experiment(&[(16, Relu), (8, Gelu), (3, Silu)], DatasetKind::Blobs),
        ]
    }

    #[test]
    fn the_record_round_trips_bit_exactly() {
        for experiment in shapes() {
            let layers = weights(&experiment);
            let bytes = to_burnpack(&experiment, &layers).unwrap();
            assert_eq!(from_burnpack(&experiment, &bytes).unwrap(), layers);
        }
    }

    #[test]
    fn burn_itself_loads_the_record_into_the_same_modules() {
        let experiment = &shapes()[2];
        let layers = weights(experiment);
        let bytes = to_burnpack(experiment, &layers).unwrap();
        let device = Device::flex();
        let record = ModuleRecord::from_bytes(Bytes::from_bytes_vec(bytes)).unwrap();
        assert_eq!(record.len(), 2 * layers.len());
        let loaded = Mlp::new(experiment, &device)
            .try_load_record(record)
            .unwrap();
        let direct = Mlp::from_weights(experiment, &layers, &device);
        let x = || {
            Tensor::<2>::from_data(
                TensorData::new((0..18).map(|i| i as f32 * 0.3 - 2.0).collect(), [2, 9]),
                &device,
            )
        };
        let a: Vec<f32> = loaded.forward(x()).into_data().try_into_vec().unwrap();
        let b: Vec<f32> = direct.forward(x()).into_data().try_into_vec().unwrap();
        assert_eq!(a, b);
    }

    #[test]
    fn tensor_names_are_the_modules_field_paths() {
        let experiment = &shapes()[0];
        let bytes = to_burnpack(experiment, &weights(experiment)).unwrap();
        let names: Vec<String> = Reader::from_bytes(Bytes::from_bytes_vec(bytes))
            .unwrap()
            .tensor_names()
            .into_iter()
            .map(str::to_string)
            .collect();
        let mut expected: Vec<String> = (0..3)
            .flat_map(|i| {
                let (w, b) = tensor_names(i, 3);
                [w, b]
            })
            .collect();
        expected.sort();
        assert_eq!(names, expected);
        assert_eq!(tensor_names(0, 3).0, "hidden.0.linear.weight");
        assert_eq!(tensor_names(2, 3).1, "output.linear.bias");
    }

    #[test]
    fn records_of_other_networks_give_typed_errors() {
        use Activation::Tanh;
        let saved = experiment(&[(4, Tanh), (2, Tanh)], DatasetKind::Circle);
        let bytes = to_burnpack(&saved, &weights(&saved)).unwrap();
        let wider = experiment(&[(5, Tanh), (2, Tanh)], DatasetKind::Circle);
        assert_eq!(
            from_burnpack(&wider, &bytes),
            Err(RecordImportError::Shape {
                name: "hidden.0.linear.weight".into(),
                expected: vec![9, 5],
                found: vec![9, 4],
            })
        );
        let deeper = experiment(&[(4, Tanh), (2, Tanh), (2, Tanh)], DatasetKind::Circle);
        assert_eq!(
            from_burnpack(&deeper, &bytes),
            Err(RecordImportError::Missing {
                name: "hidden.2.linear.weight".into()
            })
        );
        let shallower = experiment(&[(4, Tanh)], DatasetKind::Circle);
        assert!(matches!(
            from_burnpack(&shallower, &bytes),
            Err(RecordImportError::Shape { .. })
        ));
        let err = from_burnpack(&wider, &bytes).unwrap_err().to_string();
        assert!(err.contains("needs [9, 5]"), "{err}");
        assert!(matches!(
            from_burnpack(&saved, b"not a record"),
            Err(RecordImportError::NotARecord(_))
        ));

        // NaN weights (burn writes them; Emberlab refuses them).
        let mut nan = weights(&saved);
        nan[1].biases[0] = f32::NAN;
        let nan_bytes = Mlp::from_weights(&saved, &nan, &Device::flex())
            .into_record()
            .into_bytes()
            .unwrap()
            .to_vec();
        assert_eq!(
            from_burnpack(&saved, &nan_bytes),
            Err(RecordImportError::NonFinite {
                name: "hidden.1.linear.bias".into()
            })
        );

        // Another number type, written with burn's own pack writer.
        let f64_bytes = burn_pack::Writer::new(vec![burn_pack::Tensor::new(
            "hidden.0.linear.weight".into(),
            DType::F64,
            [9, 4],
            None,
            Bytes::from_bytes_vec(vec![0; 9 * 4 * 8]),
        )])
        .into_bytes()
        .unwrap()
        .to_vec();
        assert!(matches!(
            from_burnpack(&saved, &f64_bytes),
            Err(RecordImportError::DType { .. })
        ));
        // A record with more layers than the network.
        let extra = experiment(&[(4, Tanh), (2, Tanh)], DatasetKind::Circle);
        let mut layers = weights(&extra);
        layers.truncate(3);
        assert!(
            to_burnpack(&shallower, &layers).is_err(),
            "misfits are refused"
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        /// Damaged records never panic: a typed error, or weights that fit.
        #[test]
        fn damaged_records_never_panic(
            cut in any::<prop::sample::Index>(),
            flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..6),
            noise in proptest::collection::vec(any::<u8>(), 0..64),
        ) {
            let experiment = &shapes()[0];
            let mut bytes = to_burnpack(experiment, &weights(experiment)).unwrap();
            for (i, b) in flips {
                let at = i.index(bytes.len());
                bytes[at] = b;
            }
            bytes.truncate(cut.index(bytes.len() + 1));
            bytes.extend(noise);
            if let Ok(layers) = from_burnpack(experiment, &bytes) {
                prop_assert_eq!(crate::model::misfit(experiment, &layers), None);
            }
        }
    }
}
