//! Which hidden units still do something: dead ReLUs (zero for every training point, so no
//! gradient reaches their weights) and units whose output does not vary over the data.

use serde::{Deserialize, Serialize};

use super::InspectError;
use super::evaluation::{Blocks, Evaluator, lane_value};
use super::limits::CONSTANT_UNIT_TOLERANCE;
use crate::data::Point;
use crate::experiment::Experiment;
use crate::model::LayerWeights;
use crate::network::Activation;

/// What a hidden unit does over a set of points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum UnitState {
    /// Its output varies with the input.
    Alive,
    /// A ReLU whose output is 0 at every point: no gradient flows through it, so training
    /// cannot bring it back by itself (only changes upstream can).
    Dead,
    /// Its output is the same at every point (within [`CONSTANT_UNIT_TOLERANCE`]), e.g. a
    /// saturated sigmoid or tanh: it tells the next layer nothing about the input.
    Constant,
}

impl UnitState {
    /// Every state, in display order.
    pub const ALL: [UnitState; 3] = [UnitState::Alive, UnitState::Dead, UnitState::Constant];

    /// The name a learner reads.
    pub fn name(self) -> &'static str {
        match self {
            UnitState::Alive => "Alive",
            UnitState::Dead => "Dead (ReLU always 0)",
            UnitState::Constant => "Constant",
        }
    }
}

crate::stable_keys!(UnitState {
    Alive => "alive",
    Dead => "dead",
    Constant => "constant",
});

/// One hidden unit's outputs over a set of points.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct UnitActivity {
    /// Smallest output.
    pub min: f32,
    /// Largest output.
    pub max: f32,
    /// Share of points where the output is above 0 (for ReLUs: where gradient passes).
    pub positive_share: f32,
    /// The verdict.
    pub state: UnitState,
}

/// Per hidden layer, per unit: its outputs over `points` (use the training points) and
/// whether it is alive, dead or constant. Without dropout.
pub fn unit_activity(
    experiment: &Experiment,
    weights: &[LayerWeights],
    points: &[Point],
) -> Result<Vec<Vec<UnitActivity>>, InspectError> {
    if points.is_empty() {
        return Err(InspectError::NoPoints);
    }
    let mut evaluator = Evaluator::new(experiment, weights)?;
    let blocks = Blocks::new(experiment, points);
    let hidden = &experiment.config().network.hidden;
    // Per hidden unit: (min, max, points above 0).
    let mut stats: Vec<Vec<(f32, f32, usize)>> = hidden
        .iter()
        .map(|l| vec![(f32::INFINITY, f32::NEG_INFINITY, 0); l.neurons])
        .collect();
    for block in &blocks.blocks {
        let trace = evaluator.forward(block);
        for (layer, outputs) in stats.iter_mut().zip(&trace.outputs) {
            for (j, unit) in layer.iter_mut().enumerate() {
                for p in 0..block.count {
                    let v = lane_value(outputs, block.lanes, j, p);
                    unit.0 = unit.0.min(v);
                    unit.1 = unit.1.max(v);
                    unit.2 += usize::from(v > 0.0);
                }
            }
        }
    }
    Ok(stats
        .iter()
        .zip(hidden)
        .map(|(layer, spec)| {
            layer
                .iter()
                .map(|&(min, max, positive)| UnitActivity {
                    min,
                    max,
                    positive_share: positive as f32 / points.len() as f32,
                    state: if spec.activation == Activation::Relu && max <= 0.0 {
                        UnitState::Dead
                    } else if max - min < CONSTANT_UNIT_TOLERANCE {
                        UnitState::Constant
                    } else {
                        UnitState::Alive
                    },
                })
                .collect()
        })
        .collect())
}
