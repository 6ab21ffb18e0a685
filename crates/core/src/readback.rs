//! Reading a session's results back from its device: one transfer each, never blocking.

use burn::tensor::Tensor;

use crate::model::LayerWeights;
use crate::observation::{Metrics, Observation, Snapshot};
use crate::run::SessionError;

/// Where the grids and weights sit in an observation's flat buffer.
pub(crate) struct GridLayout {
    pub(crate) n: usize,
    pub(crate) hidden_widths: Vec<usize>,
    pub(crate) outputs: usize,
    pub(crate) shapes: Vec<(usize, usize)>,
}

/// What an observation's flat buffer holds.
pub(crate) struct Layout {
    pub(crate) epoch: u64,
    pub(crate) classification: bool,
    pub(crate) grid: Option<GridLayout>,
}

/// Results queued on the device; owns its tensors, so it borrows nothing from the session.
pub struct PendingObservation {
    pub(crate) values: Tensor<1>,
    pub(crate) layout: Layout,
    pub(crate) backend: String,
}

impl PendingObservation {
    /// Reads everything back in one transfer, without blocking (on WebGPU the future resolves
    /// when the GPU is done).
    pub async fn read(self) -> Result<Observation, SessionError> {
        let values = read_values(self.values, &self.backend).await?;
        let mut reader = Reader {
            values: &values,
            at: 0,
        };
        // A short buffer (a device that returned less than asked) is an error, not a panic.
        let Ok(m) = <[f32; 4]>::try_from(reader.take(4)) else {
            return Err(reader.mismatch(&self.backend));
        };
        let classification = self.layout.classification;
        let metrics = Metrics {
            epoch: self.layout.epoch,
            train_loss: m[0],
            test_loss: m[1],
            train_accuracy: classification.then_some(m[2]),
            test_accuracy: classification.then_some(m[3]),
        };
        let snapshot = self.layout.grid.map(|g| {
            let cells = g.n * g.n;
            let neuron_grids = g
                .hidden_widths
                .iter()
                .map(|w| reader.take(w * cells).to_vec())
                .collect();
            let output_grid = reader.take(g.outputs * cells).to_vec();
            let layers = reader.layers(&g.shapes);
            Snapshot {
                epoch: self.layout.epoch,
                grid_size: g.n,
                layers,
                neuron_grids,
                output_grid,
            }
        });
        reader.finish(&self.backend)?;
        Ok(Observation { metrics, snapshot })
    }
}

/// Every weight and bias queued on the device (one small transfer): what a page needs to draw
/// a network trained on a GPU, evaluated on the CPU.
pub struct PendingWeights {
    pub(crate) values: Tensor<1>,
    /// `(inputs, outputs)` per layer, output last.
    pub(crate) shapes: Vec<(usize, usize)>,
    pub(crate) epoch: u64,
    pub(crate) backend: String,
}

/// Weights read back, with the epoch they belong to.
#[derive(Debug, Clone, PartialEq)]
pub struct WeightsAt {
    /// Epochs completed when they were queued.
    pub epoch: u64,
    /// One entry per layer, output last.
    pub layers: Vec<LayerWeights>,
}

impl PendingWeights {
    /// Reads the weights back without blocking.
    pub async fn read(self) -> Result<WeightsAt, SessionError> {
        let values = read_values(self.values, &self.backend).await?;
        let mut reader = Reader {
            values: &values,
            at: 0,
        };
        let layers = reader.layers(&self.shapes);
        reader.finish(&self.backend)?;
        Ok(WeightsAt {
            epoch: self.epoch,
            layers,
        })
    }
}

/// One tensor's values, read back without blocking.
pub(crate) async fn read_values(
    values: Tensor<1>,
    backend: &str,
) -> Result<Vec<f32>, SessionError> {
    let device_error = |message: String| SessionError::Device {
        backend: backend.to_string(),
        message,
    };
    values
        .into_data_async()
        .await
        .map_err(|e| device_error(format!("{e:?}")))?
        .try_into_vec::<f32>()
        .map_err(|e| device_error(format!("{e:?}")))
}

/// Walks the flat readback buffer; never panics on a short buffer (yields empty slices).
struct Reader<'a> {
    values: &'a [f32],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, len: usize) -> &'a [f32] {
        let end = (self.at + len).min(self.values.len());
        let start = self.at.min(end);
        self.at += len;
        &self.values[start..end]
    }

    /// Weights then biases of each `(inputs, outputs)` layer.
    fn layers(&mut self, shapes: &[(usize, usize)]) -> Vec<LayerWeights> {
        shapes
            .iter()
            .map(|&(inputs, outputs)| LayerWeights {
                inputs,
                outputs,
                weights: self.take(inputs * outputs).to_vec(),
                biases: self.take(outputs).to_vec(),
            })
            .collect()
    }

    /// Checks that everything was read, no more and no less.
    fn finish(&self, backend: &str) -> Result<(), SessionError> {
        if self.at == self.values.len() {
            return Ok(());
        }
        Err(self.mismatch(backend))
    }

    /// The buffer did not hold what the layout says.
    fn mismatch(&self, backend: &str) -> SessionError {
        SessionError::Device {
            backend: backend.to_string(),
            message: format!(
                "read back {} values where the layout needs {}",
                self.values.len(),
                self.at
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use burn::tensor::{Device, Tensor, TensorData};

    use super::*;

    fn pending(values: Vec<f32>) -> PendingObservation {
        let len = values.len();
        PendingObservation {
            values: Tensor::from_data(TensorData::new(values, [len]), &Device::flex()),
            layout: Layout {
                epoch: 3,
                classification: true,
                grid: None,
            },
            backend: "test".into(),
        }
    }

    #[test]
    fn a_short_buffer_is_an_error_not_a_panic() {
        for len in 0..4 {
            let read = pollster::block_on(pending(vec![0.5; len]).read());
            assert!(
                matches!(&read, Err(SessionError::Device { message, .. }) if message.contains("needs 4")),
                "{len} values: {read:?}"
            );
        }
        let read = pollster::block_on(pending(vec![0.5, 0.25, 0.75, 1.0]).read()).expect("reads");
        assert_eq!(read.metrics.test_accuracy, Some(1.0));
        assert!(pollster::block_on(pending(vec![0.5; 5]).read()).is_err());
    }
}
