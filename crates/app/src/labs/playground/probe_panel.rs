//! A forward pass made visible (issue 12): click a point of the output map and see, for that
//! point, every neuron's weighted sum and activation, what each input contributes to a chosen
//! neuron, and the output; step through it layer by layer. The numbers are core
//! [`probe`](emberlab_core::inspect::probe): the fused engine's own forward pass.

use emberlab_core::inspect::{ProbeTrace, probe};
use emberlab_core::{Feature, Problem};
use emberlab_viz::DivergingScale;
use leptos::prelude::*;

use crate::frame::{Throttle, now_ms};
use crate::labs::playground::runner::use_runner;
use crate::labs::playground::state::Playground;

/// Least time between two recomputations while training (ms).
const PROBE_INTERVAL_MS: f64 = 250.0;

/// A number as the panel shows it.
fn fixed(v: f32) -> String {
    if v.abs() >= 1000.0 {
        format!("{v:.2e}")
    } else {
        format!("{v:.3}")
    }
}

/// The name of layer `l` of `layers` (the output layer last).
fn layer_title(l: usize, layers: usize) -> String {
    if l + 1 == layers {
        "Output layer".into()
    } else {
        format!("Hidden layer {}", l + 1)
    }
}

/// The names of the inputs of layer `l`: the features, or the previous layer's neurons.
fn input_names(trace: &ProbeTrace, l: usize) -> Vec<String> {
    if l == 0 {
        trace
            .features
            .iter()
            .map(|f: &Feature| f.label().to_string())
            .collect()
    } else {
        (0..trace.layers[l - 1].neurons.len())
            .map(|j| format!("neuron {} of layer {}", j + 1, l))
            .collect()
    }
}

/// The prediction in words.
fn prediction_words(trace: &ProbeTrace, problem: Problem) -> String {
    match problem {
        Problem::Binary => trace.prediction.first().map_or(String::new(), |&p| {
            format!(
                "P(class 1) = {p:.3}: the network says class {}",
                u8::from(p >= 0.5)
            )
        }),
        Problem::Multiclass { .. } => {
            let best =
                trace
                    .prediction
                    .iter()
                    .enumerate()
                    .fold(
                        (0, f32::NEG_INFINITY),
                        |b, (k, &p)| if p > b.1 { (k, p) } else { b },
                    );
            let all: Vec<String> = trace
                .prediction
                .iter()
                .enumerate()
                .map(|(k, p)| format!("class {k}: {p:.3}"))
                .collect();
            format!("{}; the network says class {}", all.join(", "), best.0)
        }
        Problem::Regression => trace
            .prediction
            .first()
            .map_or(String::new(), |&v| format!("predicted value {v:.3}")),
    }
}

/// The probe panel: the trace of the clicked point through the network.
#[component]
pub fn ProbePanel(state: Playground) -> impl IntoView {
    // How many layers are shown (stepping through); `usize::MAX` shows them all.
    let shown = RwSignal::new(usize::MAX);
    // The neuron whose incoming contributions are listed (layer, neuron).
    let chosen = RwSignal::new(None::<(usize, usize)>);
    let trace = RwSignal::new(None::<ProbeTrace>);
    let runner = use_runner();
    let throttle = StoredValue::new(Throttle::new(PROBE_INTERVAL_MS));
    Effect::new(move |_| {
        let point = state.probe.get();
        let snapshot = state.snapshot.get();
        let playing = state.run.playing.get();
        // While training, at most a few times a second: the DOM is rebuilt each time.
        let limited = playing && point.is_some();
        if throttle.try_update_value(|t| t.due(now_ms(), limited)) != Some(true) {
            return;
        }
        let next = (|| {
            let (x1, x2) = point?;
            probe(&runner.get().experiment(), &snapshot?.layers, x1, x2).ok()
        })();
        trace.set(next);
    });
    let problem = move || state.dataset.with(|d| d.as_ref().map(|d| d.problem));
    let layers = move || trace.with(|t| t.as_ref().map_or(0, |t| t.layers.len()));
    let visible = move |l: usize| l < shown.get();
    let scale = DivergingScale::PLAYGROUND;
    let cell_colour = move |v: f32| scale.colour(v.clamp(-1.0, 1.0)).to_string();
    let contributions = move || {
        let (l, j) = chosen.get()?;
        trace.with(|t| {
            let t = t.as_ref()?;
            let neuron = t.layers.get(l)?.neurons.get(j)?;
            let names = input_names(t, l);
            let rows: Vec<(String, f32)> = names
                .into_iter()
                .zip(neuron.contributions.iter().copied())
                .collect();
            Some((l, j, rows, neuron.bias, neuron.sum, neuron.output))
        })
    };
    view! {
        <div class="probe" data-testid="probe"
             data-x1=move || state.probe.get().map_or(String::new(), |p| p.0.to_string())
             data-x2=move || state.probe.get().map_or(String::new(), |p| p.1.to_string())>
            <h3>"Forward pass at one point"</h3>
            {move || match state.probe.get() {
                None => view! {
                    <p class="explain" data-testid="probe-hint">"Click a point of the output map to follow it through the network: each neuron adds up its weighted inputs and its bias, then applies its activation."</p>
                }.into_any(),
                Some((x1, x2)) => view! {
                    <p class="explain">{format!("The point ({x1:.2}, {x2:.2}). Click a neuron to see what each input adds to it.")}</p>
                }.into_any(),
            }}
            <Show when=move || trace.with(Option::is_some)>
                <div class="probe-steps">
                    <button data-testid="probe-back" title="Hide the last layer shown"
                        disabled=move || shown.get().min(layers()) == 0
                        on:click=move |_| shown.set(shown.get_untracked().min(layers()).saturating_sub(1))
                    >"◀ Back"</button>
                    <button data-testid="probe-next" title="Compute the next layer"
                        disabled=move || { shown.get() >= layers() }
                        on:click=move |_| shown.set(shown.get_untracked().min(layers()) + 1)
                    >"Next layer ▶"</button>
                    <button data-testid="probe-all" on:click=move |_| shown.set(usize::MAX)>"Whole pass"</button>
                    <span class="probe-step-text">{move || {
                        let (n, s) = (layers(), shown.get().min(layers()));
                        if s >= n { "All layers computed.".to_string() } else { format!("{s} of {n} layers computed.") }
                    }}</span>
                </div>
                <div class="probe-columns">
                    <div class="probe-column">
                        <h4>"Inputs"</h4>
                        {move || trace.with(|t| t.as_ref().map(|t| t.features.iter().zip(&t.inputs).enumerate().map(|(i, (f, &v))| view! {
                            <div class="probe-cell" data-testid=format!("probe-input-{i}") data-value=v.to_string() style:background=cell_colour(v)>
                                <span class="probe-name">{f.label()}</span>
                                <span class="probe-value">{fixed(v)}</span>
                            </div>
                        }).collect_view()))}
                    </div>
                    {move || trace.with(|t| t.as_ref().map(|t| {
                        let n = t.layers.len();
                        t.layers.iter().enumerate().map(|(l, layer)| {
                            let cells = layer.neurons.iter().enumerate().map(|(j, neuron)| {
                                let (sum, output) = (neuron.sum, neuron.output);
                                view! {
                                    <button class="probe-cell neuron"
                                        class:hidden-step=move || !visible(l)
                                        class:chosen=move || chosen.get() == Some((l, j))
                                        data-testid=format!("probe-l{l}-n{j}")
                                        data-sum=sum.to_string()
                                        data-output=output.to_string()
                                        title="Weighted sum → activation. Click to see each input's share."
                                        style:background=move || if visible(l) { cell_colour(output) } else { "#eef0f3".to_string() }
                                        on:click=move |_| chosen.set(Some((l, j)))>
                                        {move || if visible(l) {
                                            format!("Σ {} → {}", fixed(sum), fixed(output))
                                        } else {
                                            "?".to_string()
                                        }}
                                    </button>
                                }
                            }).collect_view();
                            view! {
                                <div class="probe-column">
                                    <h4>{layer_title(l, n)}</h4>
                                    {cells}
                                </div>
                            }
                        }).collect_view()
                    }))}
                </div>
                <p class="probe-prediction" data-testid="probe-prediction"
                   data-values=move || trace.with(|t| t.as_ref().map_or(String::new(), |t| t.prediction.iter().map(f32::to_string).collect::<Vec<_>>().join(",")))>
                    {move || if shown.get() >= layers() {
                        trace.with(|t| match (t.as_ref(), problem()) {
                            (Some(t), Some(p)) => format!("Output: {}.", prediction_words(t, p)),
                            _ => String::new(),
                        })
                    } else {
                        "Output: press Next layer until the output layer is computed.".to_string()
                    }}
                </p>
                {move || contributions().filter(|c| visible(c.0)).map(|(l, j, rows, bias, sum, output)| view! {
                    <table class="probe-contributions" data-testid="probe-contributions">
                        <caption>{format!("Neuron {} of {}", j + 1, layer_title(l, layers()).to_lowercase())}</caption>
                        <tbody>
                            {rows.into_iter().map(|(name, c)| view! {
                                <tr><th scope="row">{name}</th><td>{format!("input × weight = {}", fixed(c))}</td></tr>
                            }).collect_view()}
                            <tr><th scope="row">"bias"</th><td>{fixed(bias)}</td></tr>
                            <tr class="total"><th scope="row">"weighted sum Σ"</th><td>{fixed(sum)}</td></tr>
                            <tr class="total"><th scope="row">"after the activation"</th><td>{fixed(output)}</td></tr>
                        </tbody>
                    </table>
                })}
            </Show>
            <details class="why">
                <summary>"What this shows"</summary>
                <p>"This is forward propagation, the network's only way to compute anything. Each neuron multiplies every input by the weight of its link, adds them up with its bias (Σ), and passes the sum through its activation. The outputs of one layer are the inputs of the next. The colour is the value: orange for negative, blue for positive."</p>
            </details>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_names_read_plainly() {
        assert_eq!(fixed(0.12345), "0.123");
        assert_eq!(fixed(-1234.5), "-1.23e3");
        assert_eq!(layer_title(1, 2), "Output layer");
        assert_eq!(layer_title(0, 2), "Hidden layer 1");
    }
}
