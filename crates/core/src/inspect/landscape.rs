//! A slice of the loss landscape: the training loss on an `n × n` grid of weights
//! `centre + α·d₁ + β·d₂`, α and β in `[-r, r]`, computed a few grid points at a time so the
//! page can spread it over frames.
//!
//! Every grid point is one forward pass over the training points with the engine's own code
//! (the centre's loss is the loss chart's training loss); nothing is allocated per point.

use serde::{Deserialize, Serialize};

use super::InspectError;
use super::directions::Directions;
use super::evaluation::{Blocks, Evaluator, flatten};
use super::gradient::{Objective, penalty};
use super::limits::{
    LANDSCAPE_RADIUS, LANDSCAPE_SIZE, MAX_LANDSCAPE_RADIUS, MAX_LANDSCAPE_SIZE, MIN_LANDSCAPE_SIZE,
};
use crate::data::Point;
use crate::experiment::Experiment;
use crate::model::LayerWeights;
use crate::training::TrainingConfig;

/// The grid of a landscape slice.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LandscapeConfig {
    /// Grid points a side (odd puts the centre on the grid).
    pub size: usize,
    /// Half-width: α and β run over `[-radius, radius]`, in units of the directions.
    pub radius: f32,
    /// What is evaluated: the data loss (the loss chart's) or the loss with the penalty.
    pub objective: Objective,
}

impl Default for LandscapeConfig {
    fn default() -> Self {
        Self {
            size: LANDSCAPE_SIZE,
            radius: LANDSCAPE_RADIUS,
            objective: Objective::DataLoss,
        }
    }
}

impl LandscapeConfig {
    /// The coordinate (α or β) of grid line `i`: `-radius` at 0, `radius` at `size - 1`.
    pub fn coordinate(&self, i: usize) -> f32 {
        if self.size < 2 {
            return 0.0;
        }
        let half = (self.size - 1) as f32 / 2.0;
        self.radius * (i as f32 - half) / half
    }

    fn check(&self) -> Result<(), InspectError> {
        if !(MIN_LANDSCAPE_SIZE..=MAX_LANDSCAPE_SIZE).contains(&self.size) {
            return Err(InspectError::LandscapeSize(self.size));
        }
        if !(self.radius > 0.0 && self.radius <= MAX_LANDSCAPE_RADIUS) {
            return Err(InspectError::LandscapeRadius(self.radius));
        }
        Ok(())
    }
}

/// The losses of a slice, as far as computed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Landscape {
    /// The grid.
    pub config: LandscapeConfig,
    /// `size × size` losses, row-major: row `r` has β = `coordinate(size - 1 - r)` (row 0 at
    /// the top, largest β, like the page's grids), column `c` has α = `coordinate(c)`. NaN
    /// where not computed yet (or where the loss is not finite).
    pub losses: Vec<f32>,
    /// Grid points computed so far.
    pub computed: usize,
}

impl Landscape {
    /// The (α, β) of cell `index` of [`Landscape::losses`].
    pub fn cell(&self, index: usize) -> (f32, f32) {
        let n = self.config.size;
        let (row, col) = (index / n, index % n);
        (
            self.config.coordinate(col),
            self.config.coordinate(n - 1 - row),
        )
    }

    /// Smallest and largest finite loss computed (for a colour scale).
    pub fn range(&self) -> Option<(f32, f32)> {
        self.losses
            .iter()
            .filter(|v| v.is_finite())
            .fold(None, |range, &v| match range {
                None => Some((v, v)),
                Some((lo, hi)) => Some((f32::min(lo, v), f32::max(hi, v))),
            })
    }
}

/// A landscape slice being computed.
pub struct LandscapeJob {
    training: TrainingConfig,
    evaluator: Evaluator,
    blocks: Blocks,
    centre: Vec<f32>,
    first: Vec<f32>,
    second: Vec<f32>,
    landscape: Landscape,
    /// The cells in the order they are computed: the centre first, then outwards.
    order: Vec<usize>,
}

impl LandscapeJob {
    /// A slice through `weights` along `directions` (shaped like the weights), over `points`
    /// (the training points), with the loss and penalty of `training` (the settings in force,
    /// which may differ from the experiment's after live changes). Each grid point costs one
    /// forward pass over `points`: on the largest nets a prefix of the (already shuffled)
    /// training points, say 500, gives nearly the same picture at a fraction of the cost.
    pub fn new(
        experiment: &Experiment,
        training: &TrainingConfig,
        weights: &[LayerWeights],
        directions: &Directions,
        points: &[Point],
        config: LandscapeConfig,
    ) -> Result<Self, InspectError> {
        config.check()?;
        if points.is_empty() {
            return Err(InspectError::NoPoints);
        }
        let evaluator = Evaluator::new(experiment, weights)?;
        for direction in [&directions.first, &directions.second] {
            if let Some(reason) = crate::model::misfit(experiment, direction) {
                return Err(InspectError::Weights(format!("a direction: {reason}")));
            }
        }
        let n = config.size;
        // Centre outwards (by distance from the centre cell), so the first frames already
        // show the neighbourhood that matters most.
        let mid = (n as f32 - 1.0) / 2.0;
        let mut order: Vec<usize> = (0..n * n).collect();
        order.sort_by(|&a, &b| {
            let d = |i: usize| {
                let (r, c) = ((i / n) as f32 - mid, (i % n) as f32 - mid);
                r * r + c * c
            };
            d(a).total_cmp(&d(b)).then(a.cmp(&b))
        });
        order.reverse();
        Ok(Self {
            training: *training,
            blocks: Blocks::new(experiment, points),
            centre: flatten(weights),
            first: flatten(&directions.first),
            second: flatten(&directions.second),
            evaluator,
            landscape: Landscape {
                config,
                losses: vec![f32::NAN; n * n],
                computed: 0,
            },
            order,
        })
    }

    /// Computes up to `budget_points` more grid points, the centre first and then outwards
    /// ring by ring, so a partial slice already shows the neighbourhood of the weights;
    /// returns whether the slice is done.
    pub fn step(&mut self, budget_points: usize) -> bool {
        for _ in 0..budget_points {
            let Some(cell) = self.order.pop() else {
                break;
            };
            let (alpha, beta) = self.landscape.cell(cell);
            let params = &mut self.evaluator.network.params;
            for (((p, &c), &d1), &d2) in params
                .iter_mut()
                .zip(&self.centre)
                .zip(&self.first)
                .zip(&self.second)
            {
                *p = c + alpha * d1 + beta * d2;
            }
            let (loss, _) = self.evaluator.loss(self.training.loss, &self.blocks);
            let value = match self.landscape.config.objective {
                Objective::DataLoss => loss,
                Objective::WithPenalty => {
                    (f64::from(loss) + penalty(&self.training, &self.evaluator.network)) as f32
                }
            };
            self.landscape.losses[cell] = value;
            self.landscape.computed += 1;
        }
        self.is_done()
    }

    /// Whether every grid point is computed.
    pub fn is_done(&self) -> bool {
        self.order.is_empty()
    }

    /// Grid points computed and in all.
    pub fn progress(&self) -> (usize, usize) {
        (self.landscape.computed, self.landscape.losses.len())
    }

    /// The slice as far as computed.
    pub fn landscape(&self) -> &Landscape {
        &self.landscape
    }
}
