//! Reading an observation back from the device: one flat buffer, one transfer, then cut
//! into the plain-data [`RecurrenceObservation`].

use burn::tensor::Tensor;

use super::config::CellKind;
use super::observation::*;
use crate::readback::read_values;
use crate::run::SessionError;

/// Where each part sits in an observation's flat buffer.
pub(crate) struct Layout {
    pub(crate) request: RecurrenceRequest,
    pub(crate) length: usize,
    pub(crate) hidden: usize,
    pub(crate) outputs: usize,
    pub(crate) params: [u32; 3],
}

/// An observation queued on the device; owns its tensors, so it borrows nothing from the
/// session.
pub struct PendingRecurrence {
    pub(crate) values: Option<Tensor<1>>,
    pub(crate) layout: Layout,
    /// Everything known without the device (epoch, steps, the traced sequence).
    pub(crate) observation: RecurrenceObservation,
    pub(crate) backend: String,
}

impl PendingRecurrence {
    /// Reads everything back in one transfer, without blocking.
    pub async fn read(self) -> Result<RecurrenceObservation, SessionError> {
        let values = match self.values {
            Some(t) => read_values(t, &self.backend).await?,
            None => Vec::new(),
        };
        let layout = self.layout;
        let (length, hidden) = (layout.length, layout.hidden);
        let mut reader = Reader::new(&values);
        let mut models: Vec<ModelObservation> = CellKind::ALL
            .iter()
            .map(|&cell| ModelObservation {
                cell,
                params: layout.params[cell.index()],
                metrics: None,
                gradient: Vec::new(),
                trace: None,
            })
            .collect();
        if layout.request.metrics {
            let train = reader.take(2 * models.len());
            for (i, model) in models.iter_mut().enumerate() {
                let test = reader.take(2);
                let at = |values: &[f32], j: usize| values.get(j).copied().unwrap_or(f32::NAN);
                model.metrics = Some(ModelMetrics {
                    train_loss: at(train, 2 * i),
                    test_loss: at(test, 0),
                    train_accuracy: at(train, 2 * i + 1),
                    test_accuracy: at(test, 1),
                });
            }
        }
        if layout.request.gradients {
            for model in &mut models {
                model.gradient = reader.take(length).to_vec();
            }
        }
        if layout.request.sequence.is_some() {
            for model in &mut models {
                let hidden_states = reader.take(length * hidden).to_vec();
                let prediction = reader.take(layout.outputs).to_vec();
                let gates = (model.cell == CellKind::Lstm).then(|| LstmGates {
                    input: reader.take(length * hidden).to_vec(),
                    forget: reader.take(length * hidden).to_vec(),
                    output: reader.take(length * hidden).to_vec(),
                });
                model.trace = Some(ModelTrace {
                    hidden: hidden_states,
                    prediction,
                    gates,
                });
            }
        }
        reader
            .finish()
            .map_err(|(read, expected)| SessionError::Device {
                backend: self.backend.clone(),
                message: format!("read {read} values, expected {expected}"),
            })?;
        Ok(RecurrenceObservation {
            models,
            ..self.observation
        })
    }
}

/// Walks a flat readback buffer; never panics on a short buffer (yields short slices, which
/// [`Reader::finish`] then reports).
pub(crate) struct Reader<'a> {
    values: &'a [f32],
    at: usize,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(values: &'a [f32]) -> Self {
        Self { values, at: 0 }
    }

    pub(crate) fn take(&mut self, len: usize) -> &'a [f32] {
        let end = (self.at + len).min(self.values.len());
        let start = self.at.min(end);
        self.at += len;
        &self.values[start..end]
    }

    /// Whether exactly everything was read; else `(read, expected)`.
    pub(crate) fn finish(&self) -> Result<(), (usize, usize)> {
        if self.at == self.values.len() {
            Ok(())
        } else {
            Err((self.values.len(), self.at))
        }
    }
}
