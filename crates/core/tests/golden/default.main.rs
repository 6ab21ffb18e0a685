//! Emberlab's network rebuilt with burn 0.22.1: 2 inputs (x1, x2) -> 4 tanh -> 2 tanh -> 1 (sigmoid).
//! The weights are in `emberlab-model.bpk`, burn's own record format.
//! Run: cargo run --release -- emberlab-model.bpk

use burn::module::Module;
use burn::nn::{Linear, LinearConfig};
use burn::store::ModuleRecord;
use burn::tensor::activation;
use burn::tensor::{Device, Tensor, TensorData};

/// Inputs the network takes per point.
const FEATURES: usize = 2;

/// A dense layer (its activation is applied in `Network::forward`).
#[derive(Module, Debug)]
struct Dense {
    linear: Linear,
}

/// The same modules as Emberlab's, so the record's tensor names match.
#[derive(Module, Debug)]
struct Network {
    hidden: Vec<Dense>,
    output: Dense,
}

impl Network {
    fn new(device: &Device) -> Self {
        let dense = |inputs, outputs| Dense {
            linear: LinearConfig::new(inputs, outputs).init(device),
        };
        Self {
            hidden: vec![dense(2, 4), dense(4, 2)],
            output: dense(2, 1),
        }
    }

    /// Predictions for each row of `x` (`[points, FEATURES]`).
    fn forward(&self, x: Tensor<2>) -> Tensor<2> {
        let x = activation::tanh(self.hidden[0].linear.forward(x));
        let x = activation::tanh(self.hidden[1].linear.forward(x));
        activation::sigmoid(self.output.linear.forward(x))
    }
}

/// A point's inputs, computed as Emberlab computes them.
fn features(x1: f32, x2: f32) -> [f32; FEATURES] {
    [x1, x2]
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).unwrap_or_else(|| "emberlab-model.bpk".to_string());
    let device = Device::flex();
    let network = Network::new(&device).try_load_record(ModuleRecord::load(&path)?)?;
    let points = [(0.0, 0.0), (1.5, -2.0), (-3.0, 4.0), (4.5, 4.5), (-5.0, -1.0)];
    let inputs: Vec<f32> = points.iter().flat_map(|&(x1, x2)| features(x1, x2)).collect();
    let x = Tensor::<2>::from_data(TensorData::new(inputs, [points.len(), FEATURES]), &device);
    let y: Vec<f32> = network.forward(x).into_data().try_into_vec()?;
    for (&(x1, x2), row) in points.iter().zip(y.chunks(y.len() / points.len())) {
        let values: Vec<String> = row.iter().map(|v| format!("{v:.7}")).collect();
        println!("{x1:.3} {x2:.3} -> {}", values.join(" "));
    }
    Ok(())
}
