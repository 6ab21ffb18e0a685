//! Any burn module's parameters as plain numbers: seeded initial values that are the same on
//! every back end, and checkpoints (read back in one transfer, loaded into a fresh module).
//!
//! burn's own initialisers draw from the device's random generator, which differs between
//! WebGPU and Flex (and is global, so parallel tests would race on it). Labs therefore build
//! their modules with burn's `XxxConfig::init` and then overwrite every parameter with values
//! drawn from our seeded [`Rng`], in the module's visiting order.

use burn::module::{Module, ModuleMapper, ModuleVisitor, Param};
use burn::tensor::{Tensor, TensorData};
use serde::{Deserialize, Serialize};

use crate::readback::read_values;
use crate::rng::Rng;
use crate::run::SessionError;

/// Every float parameter of a module, in visiting order: shapes and the values, flat.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Params {
    /// One shape per parameter tensor.
    pub shapes: Vec<Vec<usize>>,
    /// All values, parameter after parameter, each row-major.
    pub values: Vec<f32>,
}

impl Params {
    /// Number of scalar parameters.
    pub fn count(&self) -> usize {
        self.values.len()
    }

    /// Whether every value is finite.
    pub fn is_finite(&self) -> bool {
        self.values.iter().all(|v| v.is_finite())
    }

    /// The values of parameter `index` (empty if there is none).
    pub fn tensor(&self, index: usize) -> &[f32] {
        let start: usize = self.shapes.iter().take(index).map(|s| numel(s)).sum();
        let len = self.shapes.get(index).map_or(0, |s| numel(s));
        self.values.get(start..start + len).unwrap_or(&[])
    }
}

fn numel(shape: &[usize]) -> usize {
    shape.iter().product()
}

/// Overwrites every float parameter of `module` with seeded values: weights uniform in
/// ±√(6 / (fan_in + fan_out)) (Glorot), biases and norm shifts zero, norm scales one.
pub fn seeded_init<M: Module>(module: M, seed: u64) -> M {
    let mut mapper = SeededInit {
        rng: Rng::new(seed ^ 0x1417_5EED),
        path: Vec::new(),
    };
    module.map(&mut mapper)
}

struct SeededInit {
    rng: Rng,
    path: Vec<String>,
}

impl SeededInit {
    fn values(&mut self, shape: &[usize]) -> Vec<f32> {
        let n = numel(shape);
        match self.path.last().map(String::as_str) {
            Some("gamma") => vec![1.0; n],
            Some("beta" | "bias") => vec![0.0; n],
            _ if shape.len() < 2 => vec![0.0; n],
            _ => {
                let bound = glorot_bound(shape);
                (0..n).map(|_| self.rng.uniform(-bound, bound)).collect()
            }
        }
    }
}

/// Glorot's bound for a weight tensor: burn's `Linear` is `[in, out]`, convolutions are
/// `[out, in, kernel…]`, embeddings `[tokens, width]`.
fn glorot_bound(shape: &[usize]) -> f32 {
    let (fan_in, fan_out) = match shape {
        [a, b] => (*a, *b),
        [out, input, kernel @ ..] => {
            let receptive: usize = kernel.iter().product();
            (input * receptive, out * receptive)
        }
        _ => (1, 1),
    };
    (6.0 / (fan_in + fan_out).max(1) as f32).sqrt()
}

impl ModuleMapper for SeededInit {
    fn enter_module(&mut self, name: &str, _container_type: &str) {
        self.path.push(name.to_string());
    }

    fn exit_module(&mut self, _name: &str, _container_type: &str) {
        self.path.pop();
    }

    fn map_float<const D: usize>(&mut self, param: Param<Tensor<D>>) -> Param<Tensor<D>> {
        param.map(|tensor| {
            let shape = tensor.dims();
            let values = self.values(&shape);
            replace(tensor, values)
        })
    }
}

/// A tensor on `old`'s device with `values`, tracking gradients if `old` did.
fn replace<const D: usize>(old: Tensor<D>, values: Vec<f32>) -> Tensor<D> {
    let device = old.device();
    let track = old.is_require_grad();
    let new = Tensor::from_data(TensorData::new(values, old.dims()), &device);
    if track { new.require_grad() } else { new }
}

/// Every parameter of a module queued on its device for one read.
pub struct PendingParams {
    values: Option<Tensor<1>>,
    shapes: Vec<Vec<usize>>,
    backend: String,
}

impl PendingParams {
    /// Reads the parameters back without blocking.
    pub async fn read(self) -> Result<Params, SessionError> {
        let values = match self.values {
            Some(t) => read_values(t, &self.backend).await?,
            None => Vec::new(),
        };
        let expected: usize = self.shapes.iter().map(|s| numel(s)).sum();
        if values.len() != expected {
            return Err(SessionError::Device {
                backend: self.backend,
                message: format!("read {} parameters, expected {expected}", values.len()),
            });
        }
        Ok(Params {
            shapes: self.shapes,
            values,
        })
    }
}

/// Queues every float parameter of `module` (detached from any graph) for one transfer.
pub fn queue_params<M: Module>(module: &M) -> PendingParams {
    let mut collector = Collector::default();
    module.visit(&mut collector);
    let backend = collector
        .parts
        .first()
        .map(|t| format!("{:?}", t.device()))
        .unwrap_or_default();
    PendingParams {
        values: (!collector.parts.is_empty()).then(|| Tensor::cat(collector.parts, 0)),
        shapes: collector.shapes,
        backend,
    }
}

#[derive(Default)]
struct Collector {
    parts: Vec<Tensor<1>>,
    shapes: Vec<Vec<usize>>,
}

impl ModuleVisitor for Collector {
    fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
        let tensor = param.val().detach();
        let shape = tensor.dims();
        self.parts.push(tensor.reshape([numel(&shape)]));
        self.shapes.push(shape.to_vec());
    }
}

/// Loads `params` into `module` (same architecture), or says why they do not fit.
pub fn load_params<M: Module>(module: M, params: &Params) -> Result<M, SessionError> {
    let mut shapes = Collector::default();
    module.visit(&mut ShapeOnly(&mut shapes.shapes));
    if shapes.shapes != params.shapes {
        return Err(SessionError::Weights(format!(
            "{} parameter tensors saved, the network has {} (or their shapes differ)",
            params.shapes.len(),
            shapes.shapes.len()
        )));
    }
    if numel_all(&params.shapes) != params.values.len() {
        return Err(SessionError::Weights(
            "the saved values do not match their shapes".into(),
        ));
    }
    if !params.is_finite() {
        return Err(SessionError::Weights(
            "the saved weights hold a non-finite number".into(),
        ));
    }
    let mut loader = Loader {
        params,
        index: 0,
        offset: 0,
    };
    Ok(module.map(&mut loader))
}

fn numel_all(shapes: &[Vec<usize>]) -> usize {
    shapes.iter().map(|s| numel(s)).sum()
}

struct ShapeOnly<'a>(&'a mut Vec<Vec<usize>>);

impl ModuleVisitor for ShapeOnly<'_> {
    fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
        self.0.push(param.val().dims().to_vec());
    }
}

struct Loader<'a> {
    params: &'a Params,
    index: usize,
    offset: usize,
}

impl ModuleMapper for Loader<'_> {
    fn map_float<const D: usize>(&mut self, param: Param<Tensor<D>>) -> Param<Tensor<D>> {
        let len = self.params.shapes.get(self.index).map_or(0, |s| numel(s));
        let values = self
            .params
            .values
            .get(self.offset..self.offset + len)
            .map(<[f32]>::to_vec)
            .unwrap_or_default();
        self.index += 1;
        self.offset += len;
        param.map(|tensor| replace(tensor, values))
    }
}

#[cfg(test)]
mod tests {
    use burn::nn::{LayerNormConfig, LinearConfig};
    use burn::tensor::Device;

    use super::*;

    #[derive(Module, Debug)]
    struct Tiny {
        a: burn::nn::Linear,
        norm: burn::nn::LayerNorm,
    }

    fn tiny(device: &Device) -> Tiny {
        Tiny {
            a: LinearConfig::new(3, 2).init(device),
            norm: LayerNormConfig::new(2).init(device),
        }
    }

    #[test]
    fn seeded_init_is_the_same_for_the_same_seed_and_fills_by_role() {
        let device = Device::flex();
        let read = |m: &Tiny| pollster::block_on(queue_params(m).read()).unwrap();
        let a = read(&seeded_init(tiny(&device), 7));
        let b = read(&seeded_init(tiny(&device), 7));
        let c = read(&seeded_init(tiny(&device), 8));
        assert_eq!(a, b);
        assert_ne!(a.values, c.values);
        assert_eq!(a.shapes, vec![vec![3, 2], vec![2], vec![2], vec![2]]);
        let bound = (6.0f32 / 5.0).sqrt();
        assert!(a.tensor(0).iter().all(|w| w.abs() <= bound && *w != 0.0));
        assert_eq!(a.tensor(1), &[0.0, 0.0], "linear bias");
        assert_eq!(a.tensor(2), &[1.0, 1.0], "norm gamma");
        assert_eq!(a.tensor(3), &[0.0, 0.0], "norm beta");
    }

    #[test]
    fn params_round_trip_through_a_fresh_module_and_misfits_are_errors() {
        let device = Device::flex();
        let saved =
            pollster::block_on(queue_params(&seeded_init(tiny(&device), 3)).read()).unwrap();
        let loaded = load_params(tiny(&device), &saved).unwrap();
        assert_eq!(
            pollster::block_on(queue_params(&loaded).read()).unwrap(),
            saved
        );

        let mut short = saved.clone();
        short.values.pop();
        assert!(load_params(tiny(&device), &short).is_err());
        let mut nan = saved.clone();
        nan.values[0] = f32::NAN;
        assert!(load_params(tiny(&device), &nan).is_err());
        let mut other = saved;
        other.shapes[0] = vec![2, 3];
        assert!(load_params(tiny(&device), &other).is_err());
    }
}
