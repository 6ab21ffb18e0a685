//! Optimiser updates on the flat parameter vector, with the same defaults and update rules as
//! the burn optimisers of [`crate::optimizer`] (burn-optim 0.22's SGD, momentum, Adam, AdamW
//! and RMSProp).

use crate::optimizer::MOMENTUM;
use crate::training::OptimizerKind;

/// burn's Adam and AdamW defaults.
const BETA_1: f32 = 0.9;
const BETA_2: f32 = 0.999;
const ADAM_EPSILON: f32 = 1e-5;
/// burn's AdamW default weight decay.
const ADAMW_DECAY: f32 = 1e-4;
/// burn's RMSProp defaults (momentum 0, not centred).
const RMSPROP_ALPHA: f32 = 0.99;
const RMSPROP_EPSILON: f32 = 1e-5;

/// An optimiser and its state, one entry per parameter.
#[derive(Debug, Clone, PartialEq)]
pub enum Optimizer {
    /// w -= lr·g
    Sgd,
    /// Velocity v = g on the first step, then v = g + 0.9·v; w -= lr·v.
    Momentum {
        /// Per-parameter velocity (empty before the first step).
        velocity: Vec<f32>,
    },
    /// Adam (`decoupled: false`) or AdamW (`decoupled: true`).
    Adam {
        /// Decoupled weight decay (AdamW).
        decoupled: bool,
        /// Steps taken.
        time: i32,
        /// First moments.
        m: Vec<f32>,
        /// Second moments.
        v: Vec<f32>,
    },
    /// RMSProp: running mean of squared gradients.
    RmsProp {
        /// Per-parameter mean square (empty before the first step).
        square_avg: Vec<f32>,
    },
}

impl Optimizer {
    /// A fresh optimiser (empty state) of the given kind.
    pub fn new(kind: OptimizerKind) -> Self {
        match kind {
            OptimizerKind::Sgd => Optimizer::Sgd,
            OptimizerKind::Momentum => Optimizer::Momentum {
                velocity: Vec::new(),
            },
            OptimizerKind::Adam | OptimizerKind::AdamW => Optimizer::Adam {
                decoupled: kind == OptimizerKind::AdamW,
                time: 0,
                m: Vec::new(),
                v: Vec::new(),
            },
            OptimizerKind::RmsProp => Optimizer::RmsProp {
                square_avg: Vec::new(),
            },
        }
    }

    /// Updates `params` from `grads` with learning rate `lr`.
    pub fn step(&mut self, lr: f64, params: &mut [f32], grads: &[f32]) {
        let rate = lr as f32;
        match self {
            Optimizer::Sgd => {
                for (w, &g) in params.iter_mut().zip(grads) {
                    *w -= g * rate;
                }
            }
            Optimizer::Momentum { velocity } => {
                if velocity.is_empty() {
                    velocity.extend_from_slice(grads);
                } else {
                    let momentum = MOMENTUM as f32;
                    for (v, &g) in velocity.iter_mut().zip(grads) {
                        *v = g + *v * momentum;
                    }
                }
                for (w, &v) in params.iter_mut().zip(velocity.iter()) {
                    *w -= v * rate;
                }
            }
            Optimizer::Adam {
                decoupled,
                time,
                m,
                v,
            } => {
                if m.is_empty() {
                    m.extend(grads.iter().map(|&g| g * (1.0 - BETA_1)));
                    v.extend(grads.iter().map(|&g| g * g * (1.0 - BETA_2)));
                    *time = 1;
                } else {
                    for ((m, v), &g) in m.iter_mut().zip(v.iter_mut()).zip(grads) {
                        *m = *m * BETA_1 + g * (1.0 - BETA_1);
                        *v = *v * BETA_2 + g * g * (1.0 - BETA_2);
                    }
                    *time += 1;
                }
                let correction_1 = 1.0 - BETA_1.powi(*time);
                let correction_2 = 1.0 - BETA_2.powi(*time);
                if *decoupled {
                    let keep = (1.0 - lr * f64::from(ADAMW_DECAY)) as f32;
                    for ((w, &m), &v) in params.iter_mut().zip(m.iter()).zip(v.iter()) {
                        let delta = (m / correction_1) / ((v / correction_2).sqrt() + ADAM_EPSILON);
                        *w = *w * keep - delta * rate;
                    }
                } else {
                    let root = correction_2.sqrt();
                    let factor = root / correction_1;
                    for ((w, &m), &v) in params.iter_mut().zip(m.iter()).zip(v.iter()) {
                        let delta = m * factor / (v.sqrt() + ADAM_EPSILON * root);
                        *w -= delta * rate;
                    }
                }
            }
            Optimizer::RmsProp { square_avg } => {
                if square_avg.is_empty() {
                    square_avg.extend(grads.iter().map(|&g| g * g * (1.0 - RMSPROP_ALPHA)));
                } else {
                    for (s, &g) in square_avg.iter_mut().zip(grads) {
                        *s = *s * RMSPROP_ALPHA + g * g * (1.0 - RMSPROP_ALPHA);
                    }
                }
                for ((w, &s), &g) in params.iter_mut().zip(square_avg.iter()).zip(grads) {
                    *w -= g / (s.sqrt() + RMSPROP_EPSILON) * rate;
                }
            }
        }
    }
}
