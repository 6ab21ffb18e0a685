//! The networks' forward pass, written out step by step over burn-nn's own parameters.
//!
//! burn-nn's `forward` returns every hidden state (and the LSTM's final cell) but neither the
//! gates nor a handle on each step's hidden state for gradients: burn's autodiff keeps
//! gradients of leaves only. So the lab unrolls the recurrence itself, with the same formulas
//! as burn-nn (checked against its `forward` in the tests), and can
//! - record every hidden state and the LSTM's input, forget and output gates;
//! - add a zero leaf ("probe") to each step's hidden state: the probe's gradient is the
//!   gradient of the loss with respect to that hidden state (the vanishing-gradient strip).
//!
//! Each cell's gate weights are concatenated once per pass, so a step costs two matrix
//! products whatever the number of gates: the op count, not arithmetic, is what a step costs
//! in burn at these sizes.

use burn::nn::activation::Activation;
use burn::nn::{GateController, Gru, Linear, Lstm, Rnn};
use burn::tensor::Tensor;
use burn::tensor::activation::sigmoid;

use super::model::{Cell, RecurrentNet};

/// What an unrolled pass keeps besides the last hidden state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Record {
    /// Every step's hidden state.
    pub hidden: bool,
    /// The LSTM's input, forget and output gates at every step.
    pub gates: bool,
    /// Add a zero leaf that requires gradients to every step's hidden state.
    pub probes: bool,
}

/// The result of an unrolled pass.
pub struct Unrolled {
    /// The head's output: class logits or the predicted value, `[batch, outputs]`.
    pub output: Tensor<2>,
    /// Every step's hidden state `[batch, hidden]`, if recorded.
    pub hidden: Vec<Tensor<2>>,
    /// The LSTM's `[input, forget, output]` gates at every step, if recorded.
    pub gates: Vec<[Tensor<2>; 3]>,
    /// The zero leaves added to each step's hidden state, if asked for.
    pub probes: Vec<Tensor<2>>,
    /// The LSTM's zero leaves added to each step's cell state, if asked for: its memory is
    /// the pair (hidden, cell), and the cell is where it carries what it keeps.
    pub cell_probes: Vec<Tensor<2>>,
}

/// Gate weights side by side: `x·wx + h·wh + bias` gives every gate's pre-activation.
struct Fused {
    wx: Tensor<2>,
    wh: Tensor<2>,
    /// Input and hidden biases summed (absent without biases).
    bias: Option<Tensor<2>>,
    /// The hidden biases alone (the GRU's new gate applies its reset after them).
    hidden_bias: Option<Tensor<2>>,
}

fn fuse(gates: &[&GateController]) -> Fused {
    let cat_weights = |pick: fn(&GateController) -> &Linear| {
        Tensor::cat(gates.iter().map(|g| pick(g).weight.val()).collect(), 1)
    };
    let cat_bias = |pick: fn(&GateController) -> &Linear| -> Option<Tensor<2>> {
        let parts: Option<Vec<Tensor<1>>> = gates
            .iter()
            .map(|g| pick(g).bias.as_ref().map(|b| b.val()))
            .collect();
        parts.map(|p| Tensor::cat(p, 0).unsqueeze())
    };
    let input_bias = cat_bias(|g| &g.input_transform);
    let hidden_bias = cat_bias(|g| &g.hidden_transform);
    let bias = match (input_bias, hidden_bias.clone()) {
        (Some(a), Some(b)) => Some(a + b),
        (a, b) => a.or(b),
    };
    Fused {
        wx: cat_weights(|g| &g.input_transform),
        wh: cat_weights(|g| &g.hidden_transform),
        bias,
        hidden_bias,
    }
}

/// `a + b` where `b` may be absent.
fn plus(a: Tensor<2>, b: &Option<Tensor<2>>) -> Tensor<2> {
    match b {
        Some(b) => a + b.clone(),
        None => a,
    }
}

impl RecurrentNet {
    /// The head's output for a batch given as one `[batch, input]` tensor per time step.
    pub fn forward(&self, steps: &[Tensor<2>]) -> Tensor<2> {
        self.unroll(steps, Record::default()).output
    }

    /// The forward pass, keeping what `record` asks for.
    pub fn unroll(&self, steps: &[Tensor<2>], record: Record) -> Unrolled {
        let mut run = Run {
            record,
            hidden: Vec::new(),
            gates: Vec::new(),
            probes: Vec::new(),
            cell_probes: Vec::new(),
        };
        let last = match &self.cell {
            Cell::Rnn(rnn) => run.rnn(rnn, steps),
            Cell::Lstm(lstm) => run.lstm(lstm, steps),
            Cell::Gru(gru) => run.gru(gru, steps),
        };
        Unrolled {
            output: self.head.forward(last),
            hidden: run.hidden,
            gates: run.gates,
            probes: run.probes,
            cell_probes: run.cell_probes,
        }
    }
}

/// One pass's recordings.
struct Run {
    record: Record,
    hidden: Vec<Tensor<2>>,
    gates: Vec<[Tensor<2>; 3]>,
    probes: Vec<Tensor<2>>,
    cell_probes: Vec<Tensor<2>>,
}

/// `x` plus a fresh zero leaf that requires gradients, kept in `probes`.
fn probed(x: Tensor<2>, probes: &mut Vec<Tensor<2>>) -> Tensor<2> {
    let probe = x.zeros_like().detach().require_grad();
    probes.push(probe.clone());
    x + probe
}

impl Run {
    /// Records a step's hidden state (after adding its probe, if asked for).
    fn keep(&mut self, h: Tensor<2>) -> Tensor<2> {
        let h = if self.record.probes {
            probed(h, &mut self.probes)
        } else {
            h
        };
        if self.record.hidden {
            self.hidden.push(h.clone());
        }
        h
    }

    /// `h = act(x·Wx + h·Wh + b)`, burn-nn's `Rnn`.
    fn rnn(&mut self, rnn: &Rnn, steps: &[Tensor<2>]) -> Tensor<2> {
        let w = fuse(&[&rnn.gate]);
        let mut h = initial(steps, rnn.d_hidden);
        for x in steps {
            let pre = plus(
                x.clone().matmul(w.wx.clone()) + h.matmul(w.wh.clone()),
                &w.bias,
            );
            let mut next = activate(&rnn.hidden_activation, pre);
            if let Some(clip) = rnn.clip {
                next = next.clamp(-clip, clip);
            }
            h = self.keep(next);
        }
        h
    }

    /// burn-nn's `Lstm`: `c = f·c + i·g`, `h = o·act(c)`.
    fn lstm(&mut self, lstm: &Lstm, steps: &[Tensor<2>]) -> Tensor<2> {
        let size = lstm.d_hidden;
        // Gate order in the fused weights: input, output, cell, then forget if it has one.
        let mut gates = vec![&lstm.input_gate, &lstm.output_gate, &lstm.cell_gate];
        gates.extend(lstm.forget_gate.as_ref());
        let w = fuse(&gates);
        let mut h = initial(steps, size);
        let mut c = h.clone();
        for x in steps {
            let pre = plus(
                x.clone().matmul(w.wx.clone()) + h.matmul(w.wh.clone()),
                &w.bias,
            );
            let part = |k: usize| pre.clone().narrow(1, k * size, size);
            let i = lstm.gate_activation.forward(part(0));
            let o = lstm.gate_activation.forward(part(1));
            let g = activate(&lstm.cell_activation, part(2));
            let f = match lstm.forget_gate {
                Some(_) => lstm.gate_activation.forward(part(3)),
                // Coupled gates (burn-nn's `input_forget`): f = 1 - i.
                None => i.clone().neg().add_scalar(1.0),
            };
            c = f.clone() * c + i.clone() * g;
            if let Some(clip) = lstm.clip {
                c = c.clamp(-clip, clip);
            }
            if self.record.probes {
                c = probed(c, &mut self.cell_probes);
            }
            let next = o.clone() * activate(&lstm.hidden_activation, c.clone());
            if self.record.gates {
                self.gates.push([i, f, o]);
            }
            h = self.keep(next);
        }
        h
    }

    /// burn-nn's `Gru`: `h = (1 - z)·n + z·h`, the reset applied before or after the
    /// hidden weights as the layer says.
    fn gru(&mut self, gru: &Gru, steps: &[Tensor<2>]) -> Tensor<2> {
        let size = gru.d_hidden;
        let w = fuse(&[&gru.update_gate, &gru.reset_gate, &gru.new_gate]);
        let new_gate = &gru.new_gate;
        let mut h = initial(steps, size);
        for x in steps {
            let gx = x.clone().matmul(w.wx.clone());
            let gh = h.clone().matmul(w.wh.clone());
            let zr = plus(
                gx.clone().narrow(1, 0, 2 * size) + gh.clone().narrow(1, 0, 2 * size),
                &w.bias.as_ref().map(|b| b.clone().narrow(1, 0, 2 * size)),
            );
            let z = gru.gate_activation.forward(zr.clone().narrow(1, 0, size));
            let r = gru.gate_activation.forward(zr.narrow(1, size, size));
            let input_part = plus(
                gx.narrow(1, 2 * size, size),
                &new_gate
                    .input_transform
                    .bias
                    .as_ref()
                    .map(|b| b.val().unsqueeze()),
            );
            let hidden_part = if gru.reset_after {
                let part = plus(
                    gh.narrow(1, 2 * size, size),
                    &w.hidden_bias
                        .as_ref()
                        .map(|b| b.clone().narrow(1, 2 * size, size)),
                );
                r * part
            } else {
                let reset = (h.clone() * r).matmul(new_gate.hidden_transform.weight.val());
                plus(
                    reset,
                    &new_gate
                        .hidden_transform
                        .bias
                        .as_ref()
                        .map(|b| b.val().unsqueeze()),
                )
            };
            let n = activate(&gru.hidden_activation, input_part + hidden_part);
            // (1 - z)·n + z·h, written as n + z·(h - n): one operation fewer.
            let mut next = n.clone() + z * (h - n);
            if let Some(clip) = gru.clip {
                next = next.clamp(-clip, clip);
            }
            h = self.keep(next);
        }
        h
    }
}

/// `activation(x)`, with tanh computed as `2·σ(2x) − 1`: the same function, but burn-flex's
/// tanh costs ~36 ns an element against ~13 for its sigmoid (measured natively), and tanh
/// dominates evaluating the test set. Within 1e-7 of tanh (checked against burn-nn in the
/// tests below).
fn activate(activation: &Activation, x: Tensor<2>) -> Tensor<2> {
    match activation {
        Activation::Tanh(_) => sigmoid(x * 2.0) * 2.0 - 1.0,
        other => other.forward(x),
    }
}

/// The zero initial state `[batch, size]` on the steps' device.
fn initial(steps: &[Tensor<2>], size: usize) -> Tensor<2> {
    let (batch, device) = match steps.first() {
        Some(x) => (x.dims()[0], x.device()),
        None => (0, Default::default()),
    };
    Tensor::zeros([batch, size], &device)
}

#[cfg(test)]
mod tests {
    use burn::tensor::{Device, Distribution, TensorData, Tolerance};

    use super::*;
    use crate::recurrence::config::CellKind;
    use crate::recurrence::model::RecurrentNetConfig;

    /// Random inputs `[batch, steps, input]` and the same as one tensor per step.
    fn inputs(device: &Device) -> (Tensor<3>, Vec<Tensor<2>>) {
        let x = Tensor::<3>::random([3, 5, 4], Distribution::Uniform(-1.0, 1.0), device);
        let steps = (0..5)
            .map(|t| x.clone().narrow(1, t, 1).reshape([3, 4]))
            .collect();
        (x, steps)
    }

    /// burn-nn's own forward: every hidden state `[batch, steps, hidden]`.
    fn burn_hidden(net: &RecurrentNet, x: Tensor<3>) -> Tensor<3> {
        match &net.cell {
            Cell::Rnn(rnn) => rnn.forward(x, None).0,
            Cell::Lstm(lstm) => lstm.forward(x, None).0,
            Cell::Gru(gru) => gru.forward(x, None),
        }
    }

    #[test]
    fn unrolled_steps_match_burn_nn_forward_for_every_cell() {
        let device = Device::flex();
        device.seed(3);
        for cell in CellKind::ALL {
            let mut net = RecurrentNetConfig::new(cell, 4, 6, 2).init(&device);
            if let Cell::Lstm(lstm) = &mut net.cell {
                // Non-zero biases, so a mix-up between gates or bias halves shows.
                lstm.forget_gate = Some(GateController::new(
                    4,
                    6,
                    true,
                    burn::nn::Initializer::Uniform { min: 0.5, max: 1.5 },
                    &device,
                ));
            }
            let (x, steps) = inputs(&device);
            let expected = burn_hidden(&net, x);
            let record = Record {
                hidden: true,
                ..Record::default()
            };
            let ours: Tensor<3> = Tensor::stack(net.unroll(&steps, record).hidden, 1);
            ours.into_data()
                .assert_approx_eq::<f32>(&expected.into_data(), Tolerance::default());
        }
    }

    #[test]
    fn gru_with_reset_before_the_weights_matches_too() {
        let device = Device::flex();
        device.seed(4);
        let gru = burn::nn::GruConfig::new(4, 6, true)
            .with_reset_after(false)
            .init(&device);
        let net = RecurrentNet {
            cell: Cell::Gru(gru),
            head: burn::nn::LinearConfig::new(6, 2).init(&device),
        };
        let (x, steps) = inputs(&device);
        let expected = burn_hidden(&net, x);
        let record = Record {
            hidden: true,
            ..Record::default()
        };
        let ours: Tensor<3> = Tensor::stack(net.unroll(&steps, record).hidden, 1);
        ours.into_data()
            .assert_approx_eq::<f32>(&expected.into_data(), Tolerance::default());
    }

    #[test]
    fn probes_give_the_gradient_of_each_hidden_state() {
        let device = Device::flex().autodiff();
        device.seed(5);
        let net = RecurrentNetConfig::new(CellKind::Rnn, 4, 3, 1).init(&device);
        let (_, steps) = inputs(&device);
        let record = Record {
            probes: true,
            hidden: true,
            ..Record::default()
        };
        let run = net.unroll(&steps, record);
        assert_eq!(run.probes.len(), 5);
        let grads = run.output.sum().backward();
        // The last step's hidden state reaches the output through the head alone: its
        // gradient is the head's weight column.
        let last = run.probes[4].grad(&grads).unwrap();
        let head = net
            .head
            .weight
            .val()
            .inner()
            .reshape([1, 3])
            .repeat_dim(0, 3);
        last.into_data()
            .assert_approx_eq::<f32>(&head.into_data(), Tolerance::default());
        let first = run.probes[0].grad(&grads).unwrap().into_data();
        assert_ne!(first, TensorData::zeros::<f32, _>([3, 3]));
    }
}
