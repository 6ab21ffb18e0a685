//! The training kernel: many optimiser steps of a dense network in one dispatch of one
//! workgroup. Each step runs the forward pass layer by layer, the loss gradient, then the
//! backward pass and the optimiser update layer by layer, with a barrier between phases.
//!
//! Every loop that contains a barrier has a compile-time bound (steps, layers), so all
//! invocations reach each barrier together, as WGSL's uniformity rules require. Everything
//! else (shapes, offsets, batch sizes) is read from the buffers; see [`super::layout`].
//! The formulas are those of the fused CPU engine (`crate::fused`).

use cubecl::prelude::*;

/// Invocations in the workgroup.
pub const UNITS: u32 = 256;

/// Loss codes.
pub const LOSS_MSE: u32 = 0;
pub const LOSS_BCE: u32 = 1;
pub const LOSS_CCE: u32 = 2;
pub const LOSS_HUBER: u32 = 3;
/// Problem codes.
pub const PROBLEM_BINARY: u32 = 0;
pub const PROBLEM_MULTICLASS: u32 = 1;
pub const PROBLEM_REGRESSION: u32 = 2;
/// Optimiser codes.
pub const OPT_SGD: u32 = 0;
pub const OPT_MOMENTUM: u32 = 1;
pub const OPT_ADAM: u32 = 2;
pub const OPT_ADAMW: u32 = 3;
pub const OPT_RMSPROP: u32 = 4;

/// Reads an integer stored as `f32`.
#[cube]
fn int(buffer: &Tensor<f32>, at: usize) -> usize {
    u32::cast_from(buffer[at]) as usize
}

/// Logistic function, clamped so `exp` cannot overflow.
#[cube]
fn sigmoid(z: f32) -> f32 {
    let z = max(min(z, 80.0f32), -80.0f32);
    1.0f32 / (1.0f32 + (-z).exp())
}

/// `f(z)` for an activation code (see `layout::activation_code`).
#[cube]
fn activate(kind: u32, z: f32) -> f32 {
    let mut a = z;
    if kind == 0u32 {
        a = max(z, 0.0f32);
    } else if kind == 1u32 {
        if z < 0.0f32 {
            a = z * 0.01f32;
        }
    } else if kind == 2u32 {
        a = max(min(z, 15.0f32), -15.0f32).tanh();
    } else if kind == 3u32 {
        a = sigmoid(z);
    } else if kind == 4u32 {
        a = 0.5f32 * z * (1.0f32 + Erf::erf(z * 0.707_106_77f32));
    } else if kind == 5u32 {
        a = z * sigmoid(z);
    }
    a
}

/// `f'(z)` for an activation code.
#[cube]
fn derivative(kind: u32, z: f32) -> f32 {
    let mut d = 1.0f32;
    if kind == 0u32 {
        d = select(z > 0.0f32, 1.0f32, 0.0f32);
    } else if kind == 1u32 {
        d = select(z < 0.0f32, 0.01f32, 1.0f32);
    } else if kind == 2u32 {
        let t = max(min(z, 15.0f32), -15.0f32).tanh();
        d = 1.0f32 - t * t;
    } else if kind == 3u32 {
        let s = sigmoid(z);
        d = s * (1.0f32 - s);
    } else if kind == 4u32 {
        let cdf = 0.5f32 * (1.0f32 + Erf::erf(z * 0.707_106_77f32));
        let pdf = 0.398_942_3f32 * (-0.5f32 * z * z).exp();
        d = cdf + z * pdf;
    } else if kind == 5u32 {
        let s = sigmoid(z);
        d = s * (1.0f32 + z * (1.0f32 - s));
    }
    d
}

/// Trains `steps` optimiser steps of a `layers`-layer network in place in `state`.
#[cube(launch)]
#[allow(clippy::too_many_arguments)]
pub fn train(
    state: &mut Tensor<f32>,
    data: &Tensor<f32>,
    schedule: &Tensor<f32>,
    work: &mut Tensor<f32>,
    learning_rate: f32,
    l1: f32,
    l2: f32,
    adam_steps_before: f32,
    batch: u32,
    params: u32,
    total: u32,
    widest: u32,
    hidden: u32,
    features: u32,
    outputs: u32,
    x_at: u32,
    y_at: u32,
    #[comptime] layers: usize,
    #[comptime] steps: usize,
    #[comptime] loss: u32,
    #[comptime] problem: u32,
    #[comptime] optimizer: u32,
    #[comptime] dropout: bool,
) {
    let batch = batch as usize;
    let params = params as usize;
    let total = total as usize;
    let widest = widest as usize;
    let hidden = hidden as usize;
    let features = features as usize;
    let outputs = outputs as usize;
    let x_at = x_at as usize;
    let y_at = y_at as usize;
    let unit = UNIT_POS as usize;
    let stride = CUBE_DIM as usize;
    // Work buffer regions.
    let pre_at = 0usize;
    let out_at = batch * total;
    let delta_at = 2 * batch * total;
    let masks_at = steps + steps * batch;

    // Not unrolled: the bound is a constant, so the loop stays uniform without multiplying
    // the shader by the step count.
    for step in 0..steps {
        let count = u32::cast_from(schedule[step]) as usize;
        let indices_at = steps + step * batch;
        // Forward.
        #[unroll]
        for l in 0..layers {
            let h = l * 8;
            let n_in = int(data, h);
            let n_out = int(data, h + 1);
            let w_at = int(data, h + 2);
            let b_at = int(data, h + 3);
            let in_at = int(data, h + 4);
            let o_at = int(data, h + 5);
            let kind = u32::cast_from(data[h + 6]);
            let mask = data[h + 7];
            let mut item = unit;
            while item < count * n_out {
                let s = item / n_out;
                let j = item % n_out;
                let point = int(schedule, indices_at + s);
                let mut z = state[b_at + j];
                for i in 0..n_in {
                    let x = if l == 0 {
                        data[x_at + point * features + i]
                    } else {
                        work[out_at + s * total + in_at + i]
                    };
                    z += x * state[w_at + i * n_out + j];
                }
                work[pre_at + s * total + o_at + j] = z;
                let mut a = activate(kind, z);
                if dropout && mask >= 0.0f32 {
                    let m_at = masks_at
                        + (step * batch + s) * hidden
                        + (u32::cast_from(mask) as usize)
                        + j;
                    a *= schedule[m_at];
                }
                work[out_at + s * total + o_at + j] = a;
                item += stride;
            }
            sync_storage();
        }
        // dLoss/dlogits into the first delta region.
        let last = (layers - 1) * 8;
        let logits_at = int(data, last + 5);
        let per_point = 1.0f32 / f32::cast_from(count as u32);
        let per_value = per_point / f32::cast_from(outputs as u32);
        let mut s = unit;
        while s < count {
            let point = int(schedule, indices_at + s);
            let z_at = pre_at + s * total + logits_at;
            let y_point = y_at + point * outputs;
            let d_at = delta_at + s * widest;
            if problem == PROBLEM_MULTICLASS {
                let mut top = work[z_at];
                for k in 1..outputs {
                    top = max(top, work[z_at + k]);
                }
                let mut sum = 0.0f32;
                for k in 0..outputs {
                    sum += (work[z_at + k] - top).exp();
                }
                let mut target_sum = 0.0f32;
                let mut dot = 0.0f32;
                for k in 0..outputs {
                    let p = (work[z_at + k] - top).exp() / sum;
                    target_sum += data[y_point + k];
                    dot += 2.0f32 * (p - data[y_point + k]) * per_value * p;
                }
                for k in 0..outputs {
                    let p = (work[z_at + k] - top).exp() / sum;
                    let y = data[y_point + k];
                    let mut d = (p * target_sum - y) * per_point;
                    if loss == LOSS_MSE {
                        d = p * (2.0f32 * (p - y) * per_value - dot);
                    }
                    work[d_at + k] = d;
                }
            } else {
                for k in 0..outputs {
                    let z = work[z_at + k];
                    let y = data[y_point + k];
                    let mut d = (sigmoid(z) - y) * per_point;
                    if loss == LOSS_HUBER {
                        d = max(min(z - y, 1.0f32), -1.0f32) * per_value;
                    } else if loss == LOSS_MSE {
                        if problem == PROBLEM_BINARY {
                            let p = sigmoid(z);
                            d = 2.0f32 * (p - y) * per_value * p * (1.0f32 - p);
                        } else {
                            d = 2.0f32 * (z - y) * per_value;
                        }
                    }
                    work[d_at + k] = d;
                }
            }
            s += stride;
        }
        sync_storage();
        // Backward and update, output layer first. Deltas alternate between two regions.
        #[unroll]
        for r in 0..layers {
            let l = layers - 1 - r;
            let h = l * 8;
            let n_in = int(data, h);
            let n_out = int(data, h + 1);
            let w_at = int(data, h + 2);
            let b_at = int(data, h + 3);
            let in_at = int(data, h + 4);
            let current = delta_at + (r % 2) * batch * widest;
            let next = delta_at + ((r + 1) % 2) * batch * widest;
            // The previous layer's delta, through the weights before their update.
            if l > 0 {
                let hp = (l - 1) * 8;
                let kind = u32::cast_from(data[hp + 6]);
                let mask = data[hp + 7];
                let p_at = int(data, hp + 5);
                let mut item = unit;
                while item < count * n_in {
                    let s = item / n_in;
                    let i = item % n_in;
                    let mut g = 0.0f32;
                    for j in 0..n_out {
                        g += state[w_at + i * n_out + j] * work[current + s * widest + j];
                    }
                    if dropout && mask >= 0.0f32 {
                        let m_at = masks_at
                            + (step * batch + s) * hidden
                            + (u32::cast_from(mask) as usize)
                            + i;
                        g *= schedule[m_at];
                    }
                    let z = work[pre_at + s * total + p_at + i];
                    work[next + s * widest + i] = g * derivative(kind, z);
                    item += stride;
                }
            }
            sync_storage();
            // Gradients and the optimiser step, one parameter per invocation.
            let time = adam_steps_before + f32::cast_from(step as u32) + 1.0f32;
            let mut q = unit;
            while q < n_in * n_out + n_out {
                let mut g = 0.0f32;
                let mut at = b_at + (q - n_in * n_out);
                if q < n_in * n_out {
                    let i = q / n_out;
                    let j = q % n_out;
                    at = w_at + q;
                    for s in 0..count {
                        let point = int(schedule, indices_at + s);
                        let x = if l == 0 {
                            data[x_at + point * features + i]
                        } else {
                            work[out_at + s * total + in_at + i]
                        };
                        g += x * work[current + s * widest + j];
                    }
                    let w = state[at];
                    g += 2.0f32 * l2 * w;
                    if w != 0.0f32 {
                        g += select(w > 0.0f32, l1, -l1);
                    }
                } else {
                    let j = q - n_in * n_out;
                    for s in 0..count {
                        g += work[current + s * widest + j];
                    }
                }
                update(state, at, params, g, learning_rate, time, optimizer);
                q += stride;
            }
            sync_storage();
        }
    }
}

/// One parameter's optimiser step (burn-optim's rules and defaults, as `fused::optimizer`).
#[cube]
fn update(
    state: &mut Tensor<f32>,
    at: usize,
    params: usize,
    g: f32,
    lr: f32,
    time: f32,
    #[comptime] optimizer: u32,
) {
    let w = state[at];
    if optimizer == OPT_SGD {
        state[at] = w - g * lr;
    } else if optimizer == OPT_MOMENTUM {
        let v = g + state[params + at] * 0.9f32;
        state[params + at] = v;
        state[at] = w - v * lr;
    } else if optimizer == OPT_RMSPROP {
        let s = state[2 * params + at] * 0.99f32 + g * g * 0.01f32;
        state[2 * params + at] = s;
        state[at] = w - g / (s.sqrt() + 0.00001f32) * lr;
    } else {
        let m = state[params + at] * 0.9f32 + g * 0.1f32;
        let v = state[2 * params + at] * 0.999f32 + g * g * 0.001f32;
        state[params + at] = m;
        state[2 * params + at] = v;
        // β^t as e^(t ln β).
        let c1 = 1.0f32 - (time * -0.105_360_52f32).exp();
        let c2 = 1.0f32 - (time * -0.001_000_500_3f32).exp();
        if optimizer == OPT_ADAM {
            let root = c2.sqrt();
            state[at] = w - m * (root / c1) / (v.sqrt() + 0.00001f32 * root) * lr;
        } else {
            let keep = 1.0f32 - lr * 0.0001f32;
            state[at] = w * keep - (m / c1) / ((v / c2).sqrt() + 0.00001f32) * lr;
        }
    }
}
