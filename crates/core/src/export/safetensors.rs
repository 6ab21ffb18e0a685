//! The trained network as a safetensors file for PyTorch (and anything else that reads one):
//! an 8-byte little-endian header length, a JSON header giving each tensor's dtype, shape and
//! byte range, then the raw little-endian `f32` data. Written by hand: the format is that
//! small, and the core needs no JSON library for it.
//!
//! Names and layouts are PyTorch's `nn.Linear` inside the script's modules (see
//! [`super::pytorch`]): `hidden.<i>.weight` is `[outputs, inputs]` (the core's weights
//! transposed), `hidden.<i>.bias`, then `output.weight` and `output.bias`.

use super::{Blueprint, ExportError, check_fit};
use crate::experiment::Experiment;
use crate::model::LayerWeights;

/// File name the exports suggest.
pub const SAFETENSORS_FILE: &str = "emberlab-model.safetensors";

/// The PyTorch names of layer `index` of `count` (output last): `(weight, bias)`.
pub fn tensor_names(index: usize, count: usize) -> (String, String) {
    let module = if index + 1 == count {
        "output".to_string()
    } else {
        format!("hidden.{index}")
    };
    (format!("{module}.weight"), format!("{module}.bias"))
}

/// The network with `layers` as safetensors bytes (PyTorch names and layouts).
pub fn to_safetensors(
    experiment: &Experiment,
    layers: &[LayerWeights],
) -> Result<Vec<u8>, ExportError> {
    check_fit(experiment, layers)?;
    let blueprint = Blueprint::of(experiment);
    let mut entries = Vec::new();
    let mut data: Vec<u8> = Vec::new();
    let mut push = |name: String, shape: Vec<usize>, values: &mut dyn Iterator<Item = f32>| {
        let start = data.len();
        values.for_each(|v| data.extend_from_slice(&v.to_le_bytes()));
        let dims: Vec<String> = shape.iter().map(usize::to_string).collect();
        entries.push(format!(
            "\"{name}\":{{\"dtype\":\"F32\",\"shape\":[{}],\"data_offsets\":[{start},{}]}}",
            dims.join(","),
            data.len()
        ));
    };
    for (index, layer) in layers.iter().enumerate() {
        let (weight, bias) = tensor_names(index, layers.len());
        // Row-major [outputs, inputs]: element (j, i) is the core's weights[i * outputs + j].
        let mut transposed = (0..layer.outputs)
            .flat_map(|j| (0..layer.inputs).map(move |i| i * layer.outputs + j))
            .map(|k| layer.weights[k]);
        push(weight, vec![layer.outputs, layer.inputs], &mut transposed);
        push(bias, vec![layer.outputs], &mut layer.biases.iter().copied());
    }
    let features: Vec<&str> = blueprint.features.iter().map(|f| f.key()).collect();
    let activations: Vec<&str> = blueprint.activations.iter().map(|a| a.key()).collect();
    let metadata = format!(
        "\"__metadata__\":{{\"format\":\"pt\",\"producer\":\"emberlab\",\"features\":\"{}\",\"activations\":\"{}\",\"head\":\"{:?}\"}}",
        features.join(","),
        activations.join(","),
        blueprint.head
    );
    let mut header = format!("{{{metadata},{}}}", entries.join(","));
    // Pad with spaces so the data starts 8-byte aligned, as the format recommends.
    while header.len() % 8 != 0 {
        header.push(' ');
    }
    let mut out = Vec::with_capacity(8 + header.len() + data.len());
    out.extend_from_slice(&(header.len() as u64).to_le_bytes());
    out.extend_from_slice(header.as_bytes());
    out.extend_from_slice(&data);
    Ok(out)
}
