//! Reading an observation back: one flat tensor, one `into_data_async`, then split on the CPU
//! into metrics, confusion matrices, filters and feature maps.
//!
//! Buffer: `[evaluation (8 metrics, 2 × test predictions)][filters, if asked][probe: feature
//! maps, 10 + 10 probabilities, if asked]`.

use burn::tensor::Tensor;

use super::limits::{CLASSES, MAX_MISTAKES};
use super::observation::{DigitsObservation, FlatTensor, Mistake, ModelReport, ProbeView};
use crate::observation::Metrics;
use crate::readback::read_values;
use crate::run::SessionError;

/// What the probe part of the buffer holds.
pub(crate) struct ProbeLayout {
    pub(crate) pixels: Vec<f32>,
    pub(crate) label: Option<u8>,
    pub(crate) map_shapes: Vec<[usize; 3]>,
}

/// What an observation's flat buffer holds.
pub(crate) struct Layout {
    pub(crate) epoch: u64,
    pub(crate) steps: u64,
    pub(crate) evaluated_epoch: u64,
    pub(crate) evaluated_steps: u64,
    pub(crate) parameters: [usize; 2],
    pub(crate) test_labels: Vec<u8>,
    pub(crate) filter_shapes: Vec<[usize; 4]>,
    pub(crate) probe: Option<ProbeLayout>,
}

/// An observation queued on the device; owns its tensors, so it borrows nothing from the
/// session.
pub struct PendingDigitsObservation {
    pub(crate) values: Tensor<1>,
    pub(crate) layout: Layout,
    pub(crate) backend: String,
}

impl PendingDigitsObservation {
    /// Reads everything back in one transfer, without blocking.
    pub async fn read(self) -> Result<DigitsObservation, SessionError> {
        let values = read_values(self.values, &self.backend).await?;
        let observation = parse(&values, self.layout);
        observation.ok_or_else(|| SessionError::Device {
            backend: self.backend,
            message: format!("read {} values, fewer or more than expected", values.len()),
        })
    }
}

/// Splits the buffer; `None` if its length does not match the layout.
fn parse(values: &[f32], layout: Layout) -> Option<DigitsObservation> {
    let mut reader = Reader { values, at: 0 };
    let metrics = [reader.take(4)?, reader.take(4)?];
    let n = layout.test_labels.len();
    let predictions = [reader.take(n)?, reader.take(n)?];
    let filters = layout
        .filter_shapes
        .iter()
        .map(|shape| reader.tensor(shape))
        .collect::<Option<Vec<_>>>()?;
    let probe = match layout.probe {
        None => None,
        Some(p) => Some(ProbeView {
            feature_maps: p
                .map_shapes
                .iter()
                .map(|shape| reader.tensor(shape))
                .collect::<Option<Vec<_>>>()?,
            cnn_probabilities: reader.take(CLASSES)?.to_vec(),
            dense_probabilities: reader.take(CLASSES)?.to_vec(),
            pixels: p.pixels,
            label: p.label,
        }),
    };
    if reader.at != values.len() {
        return None;
    }
    let [cnn, dense] = [0, 1].map(|m| {
        report(
            layout.evaluated_epoch,
            metrics[m],
            predictions[m],
            &layout.test_labels,
            layout.parameters[m],
        )
    });
    Some(DigitsObservation {
        epoch: layout.epoch,
        steps: layout.steps,
        evaluated_steps: layout.evaluated_steps,
        cnn,
        dense,
        filters,
        probe,
    })
}

/// One model's report from its metrics `[train loss, test loss, train accuracy, test
/// accuracy]` and its test predictions. Test accuracy is counted from the predictions, so it
/// agrees with the confusion matrix exactly.
fn report(
    epoch: u64,
    metrics: &[f32],
    predictions: &[f32],
    labels: &[u8],
    parameters: usize,
) -> ModelReport {
    let mut confusion = vec![0u32; CLASSES * CLASSES];
    let mut mistakes = Vec::new();
    let mut correct = 0usize;
    for (i, (&p, &label)) in predictions.iter().zip(labels).enumerate() {
        // Predictions are class indices sent as floats; anything else counts as class 0.
        let predicted = if (0.0..CLASSES as f32).contains(&p) {
            p as u8
        } else {
            0
        };
        confusion[usize::from(label) * CLASSES + usize::from(predicted)] += 1;
        if predicted == label {
            correct += 1;
        } else if mistakes.len() < MAX_MISTAKES {
            mistakes.push(Mistake {
                test_index: u32::try_from(i).unwrap_or(u32::MAX),
                label,
                predicted,
            });
        }
    }
    let test_accuracy = correct as f32 / labels.len().max(1) as f32;
    ModelReport {
        metrics: Metrics {
            epoch,
            train_loss: metrics[0],
            test_loss: metrics[1],
            train_accuracy: Some(metrics[2]),
            test_accuracy: Some(test_accuracy),
        },
        parameters: u32::try_from(parameters).unwrap_or(u32::MAX),
        confusion,
        mistakes,
    }
}

/// Walks the flat buffer; a short buffer yields `None`, never a panic.
struct Reader<'a> {
    values: &'a [f32],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, len: usize) -> Option<&'a [f32]> {
        let slice = self.values.get(self.at..self.at + len)?;
        self.at += len;
        Some(slice)
    }

    fn tensor(&mut self, shape: &[usize]) -> Option<FlatTensor> {
        let values = self.take(shape.iter().product())?.to_vec();
        Some(FlatTensor {
            shape: shape
                .iter()
                .map(|&d| u32::try_from(d).unwrap_or(u32::MAX))
                .collect(),
            values,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layout(probe: bool) -> Layout {
        Layout {
            epoch: 3,
            steps: 7,
            evaluated_epoch: 3,
            evaluated_steps: 5,
            parameters: [100, 200],
            test_labels: vec![0, 1, 2],
            filter_shapes: vec![[2, 1, 1, 1]],
            probe: probe.then(|| ProbeLayout {
                pixels: vec![0.0; 64],
                label: Some(1),
                map_shapes: vec![[2, 1, 1]],
            }),
        }
    }

    #[test]
    fn buffers_split_into_reports_and_short_ones_are_refused() {
        let mut values = vec![0.5, 0.6, 0.9, 0.0, 1.5, 1.6, 0.4, 0.0];
        values.extend([0.0, 1.0, 1.0, 2.0, 2.0, 9.0, 0.1, 0.2]);
        let observation = parse(&values, layout(false)).unwrap();
        assert_eq!(
            observation.cnn.mistakes,
            vec![Mistake {
                test_index: 2,
                label: 2,
                predicted: 1
            }]
        );
        assert_eq!(observation.cnn.metrics.test_accuracy, Some(2.0 / 3.0));
        assert_eq!(observation.dense.confusion_at(0, 2), 1);
        assert_eq!(observation.dense.confusion.iter().sum::<u32>(), 3);
        assert_eq!(observation.filters[0].values, vec![0.1, 0.2]);
        assert_eq!(observation.dense.parameters, 200);
        assert!(parse(&values[..15], layout(false)).is_none());
        assert!(parse(&values, layout(true)).is_none());
        values.extend([0.0; 22]);
        assert!(parse(&values, layout(true)).is_some());
    }
}
