//! Browser tests of the playground's "inside training" views (issue 12): the generalisation
//! gap with early stopping, and a probed forward pass checked against the exported weights.
//! Ignored by a plain `cargo test`: run `cargo xtask test` or `cargo xtask e2e`.

use std::collections::HashMap;
use std::time::Duration;

use emberlab_e2e::{
    Backend, Browser, POLL, Playground, Probe, Result, check, on_playground, wait_until,
};

/// Time for the page to react to a click.
const REACT: Duration = Duration::from_secs(20);
/// Time for a download to land.
const DOWNLOAD: Duration = Duration::from_secs(15);
/// Time for the overfitting run to stop by itself.
const EARLY_STOP: Duration = Duration::from_secs(90);

/// An attribute parsed as a number (NaN when missing or not a number).
async fn number_attribute(b: &Browser, testid: &str, name: &str) -> Result<f64> {
    let value = b.attribute_of(testid, name).await?;
    Ok(value
        .as_deref()
        .and_then(|v| v.parse().ok())
        .unwrap_or(f64::NAN))
}

/// "Overfit me", early stopping on: training stops by itself once the test loss has not
/// improved for the patience, and the weights on screen give back the best test loss at the
/// epoch the gap chart marks.
#[tokio::test]
#[ignore = "needs a built app and Chromium: run cargo xtask test"]
async fn early_stopping_restores_the_best_test_loss() -> Result<()> {
    on_playground("early_stopping", Backend::Cpu, async |page: &Playground<'_>| {
        let b = page.browser();
        b.click("overfit-me").await?;
        wait_until("the overfitting preset", REACT, POLL, async || {
            let n = b.count_testids("neuron-").await?;
            Ok(if n == 24 {
                Probe::Ready(())
            } else {
                Probe::NotYet(format!("{n} neurons"))
            })
        })
        .await?;
        b.click("early-stopping").await?;
        page.play().await?;
        let stopped = wait_until("training to stop early", EARLY_STOP, POLL, async || {
            Ok(if page.playing().await? {
                Probe::NotYet(format!("epoch {}", page.epoch().await?))
            } else {
                Probe::Ready(page.epoch().await?)
            })
        })
        .await?;
        let notice = b.text_of("notice").await?;
        check(notice.contains("Stopped early"), || {
            format!("the notice says why training stopped: {notice:?}")
        })?;
        let best_epoch = number_attribute(b, "gap-chart", "data-best-epoch").await?;
        let best_loss = number_attribute(b, "gap-chart", "data-best-loss").await?;
        check(stopped as f64 == best_epoch, || {
            format!("the run went back to epoch {best_epoch}, the best test loss, not {stopped}")
        })?;
        let restored = wait_until("the restored weights' losses", REACT, POLL, async || {
            Ok(match page.exact_losses().await? {
                Some((_, test)) => Probe::Ready(test),
                None => Probe::NotYet("no losses".into()),
            })
        })
        .await?;
        check((restored - best_loss).abs() < 1e-5, || {
            format!("restored test loss {restored} vs the best {best_loss}")
        })?;
        let kept = b.text_of("best-kept").await?;
        check(kept.contains(&format!("epoch {best_epoch}")), || {
            format!("the kept weights are named: {kept:?}")
        })?;
        b.execute(
            "document.querySelector('[data-testid=gap-chart]').scrollIntoView();",
            vec![],
        )
        .await?;
        b.screenshot("inside-gap").await?;
        eprintln!("[e2e early stopping] stopped, best test loss {best_loss} at epoch {best_epoch}: {notice}");
        Ok(())
    })
    .await
}

/// One tensor of a safetensors file.
struct Tensor {
    shape: Vec<usize>,
    values: Vec<f32>,
}

/// Parses a safetensors file (8-byte header length, JSON header, little-endian f32 data).
fn safetensors(bytes: &[u8]) -> Result<HashMap<String, Tensor>> {
    let bad = |why: &str| emberlab_e2e::HarnessError::Check(format!("safetensors: {why}"));
    let len = bytes
        .get(..8)
        .and_then(|b| b.try_into().ok())
        .map(u64::from_le_bytes)
        .ok_or_else(|| bad("no header length"))? as usize;
    let header: serde_json::Value =
        serde_json::from_slice(bytes.get(8..8 + len).ok_or_else(|| bad("short header"))?)
            .map_err(|e| bad(&e.to_string()))?;
    let data = &bytes[8 + len..];
    let mut tensors = HashMap::new();
    for (name, entry) in header
        .as_object()
        .ok_or_else(|| bad("header is not an object"))?
    {
        if name == "__metadata__" {
            continue;
        }
        let shape: Vec<usize> = entry["shape"]
            .as_array()
            .ok_or_else(|| bad("no shape"))?
            .iter()
            .filter_map(|d| d.as_u64().map(|d| d as usize))
            .collect();
        let (start, end) = (
            entry["data_offsets"][0]
                .as_u64()
                .ok_or_else(|| bad("no offsets"))? as usize,
            entry["data_offsets"][1]
                .as_u64()
                .ok_or_else(|| bad("no offsets"))? as usize,
        );
        let values = data
            .get(start..end)
            .ok_or_else(|| bad("offsets out of range"))?
            .chunks_exact(4)
            .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect();
        tensors.insert(name.clone(), Tensor { shape, values });
    }
    Ok(tensors)
}

/// Clicks the output map at plane point `(x, y)`.
const CLICK_AT: &str = r#"
const [x, y] = arguments;
const c = document.querySelector('[data-testid=output-points]');
const r = c.getBoundingClientRect();
const at = (type) => c.dispatchEvent(new PointerEvent(type, {
  bubbles: true, pointerId: 1, isPrimary: true, buttons: type === 'pointerup' ? 0 : 1,
  clientX: r.left + (x + 6) / 12 * r.width, clientY: r.top + (6 - y) / 12 * r.height,
}));
at('pointerdown'); at('pointerup');
"#;

/// A probed point's numbers equal a forward pass of the exported weights (the default
/// network: x1, x2 → 4 tanh → 2 tanh → sigmoid), computed here; stepping hides later layers.
async fn probe_matches_a_forward_pass(name: &str, backend: Backend) -> Result<()> {
    on_playground(name, backend, async |page: &Playground<'_>| {
        let b = page.browser();
        for _ in 0..3 {
            page.step().await?;
        }
        page.settled_epoch(REACT).await?;
        b.execute(CLICK_AT, vec![1.5.into(), (-2.25).into()]).await?;
        wait_until("the probe's output", REACT, POLL, async || {
            let values = b.attribute_of("probe-prediction", "data-values").await?;
            Ok(match values {
                Some(v) if !v.is_empty() => Probe::Ready(()),
                other => Probe::NotYet(format!("{other:?}")),
            })
        })
        .await?;
        let x1 = number_attribute(b, "probe", "data-x1").await?;
        let x2 = number_attribute(b, "probe", "data-x2").await?;
        check((x1 - 1.5).abs() < 0.05 && (x2 + 2.25).abs() < 0.05, || {
            format!("the probed point is ({x1}, {x2}), not (1.5, -2.25)")
        })?;
        b.downloads().await?;
        b.click("export-safetensors").await?;
        let tensors = safetensors(&b.downloaded("emberlab-model.safetensors", DOWNLOAD).await?)?;
        let names = [
            ("hidden.0.weight", "hidden.0.bias"),
            ("hidden.1.weight", "hidden.1.bias"),
            ("output.weight", "output.bias"),
        ];
        let mut inputs = vec![x1 as f32, x2 as f32];
        let mut worst = 0.0f32;
        for (l, (w, bias)) in names.iter().enumerate() {
            let (Some(w), Some(bias)) = (tensors.get(*w), tensors.get(*bias)) else {
                return Err(emberlab_e2e::HarnessError::Check(format!("no tensor {w} in the export")));
            };
            let (outputs, ins) = (w.shape[0], w.shape[1]);
            check(ins == inputs.len(), || format!("layer {l} takes {ins} inputs"))?;
            let mut next = Vec::new();
            for j in 0..outputs {
                let sum: f32 = bias.values[j]
                    + (0..ins).map(|i| w.values[j * ins + i] * inputs[i]).sum::<f32>();
                let output = if l + 1 == names.len() { sum } else { sum.tanh() };
                let testid = format!("probe-l{l}-n{j}");
                let shown_sum = number_attribute(b, &testid, "data-sum").await? as f32;
                let shown_output = number_attribute(b, &testid, "data-output").await? as f32;
                worst = worst.max((shown_sum - sum).abs()).max((shown_output - output).abs());
                check((shown_sum - sum).abs() < 1e-4 && (shown_output - output).abs() < 1e-4, || {
                    format!("{testid}: the page shows Σ {shown_sum} → {shown_output}, the forward pass gives Σ {sum} → {output}")
                })?;
                next.push(output);
            }
            inputs = next;
        }
        let probability = 1.0 / (1.0 + (-inputs[0]).exp());
        let shown = b.attribute_of("probe-prediction", "data-values").await?.unwrap_or_default();
        let shown: f32 = shown.parse().unwrap_or(f32::NAN);
        check((shown - probability).abs() < 1e-4, || {
            format!("the probe's probability {shown} vs the forward pass's {probability}")
        })?;
        // Stepping: back twice hides the output layer and the second hidden layer.
        b.click("probe-back").await?;
        b.click("probe-back").await?;
        wait_until("two layers hidden", REACT, POLL, async || {
            let text = b.text_of("probe-l2-n0").await?;
            let first = b.text_of("probe-l0-n0").await?;
            Ok(if text.trim() == "?" && first.contains('Σ') {
                Probe::Ready(())
            } else {
                Probe::NotYet(format!("{first:?} … {text:?}"))
            })
        })
        .await?;
        b.click("probe-l0-n1").await?;
        let table = b.text_of("probe-contributions").await?;
        check(table.contains("input × weight") && table.contains("bias"), || {
            format!("the contributions table: {table:?}")
        })?;
        b.click("probe-all").await?;
        b.execute(
            "document.querySelector('[data-testid=probe]').scrollIntoView();",
            vec![],
        )
        .await?;
        b.screenshot(name).await?;
        eprintln!("[e2e probe {name}] largest difference from the forward pass {worst:e}; P(class 1) {shown}");
        Ok(())
    })
    .await
}

#[tokio::test]
#[ignore = "needs a built app and Chromium: run cargo xtask test"]
async fn the_probe_matches_a_forward_pass_on_the_cpu() -> Result<()> {
    probe_matches_a_forward_pass("inside-probe-cpu", Backend::Cpu).await
}

#[tokio::test]
#[ignore = "needs a built app and Chromium: run cargo xtask test"]
async fn the_probe_matches_a_forward_pass_on_webgpu() -> Result<()> {
    probe_matches_a_forward_pass("inside-probe-webgpu", Backend::WebGpu).await
}

/// A number shown by `testid` in its `data-value`, waiting until it is one.
async fn value_of(b: &Browser, testid: &str, attribute: &str) -> Result<f64> {
    wait_until(
        format_args!("a number in {testid}"),
        REACT,
        POLL,
        async || {
            let v = number_attribute(b, testid, attribute).await?;
            Ok(if v.is_finite() {
                Probe::Ready(v)
            } else {
                Probe::NotYet(format!("{v}"))
            })
        },
    )
    .await
}

/// Waits until `testid`'s `attribute` reads `want`.
async fn attribute_becomes(
    b: &Browser,
    testid: &str,
    attribute: &str,
    want: &str,
    timeout: Duration,
) -> Result<()> {
    wait_until(
        format_args!("{testid} {attribute}={want}"),
        timeout,
        POLL,
        async || {
            let got = b.attribute_of(testid, attribute).await?;
            Ok(if got.as_deref() == Some(want) {
                Probe::Ready(())
            } else {
                Probe::NotYet(format!("{got:?}"))
            })
        },
    )
    .await
}

/// The optimiser race trains SGD, momentum, Adam and RMSProp from the same weights: they
/// start at the same loss and end apart; the page keeps its frame loop.
#[tokio::test]
#[ignore = "needs a built app and Chromium: run cargo xtask test"]
async fn the_race_trains_four_optimisers_from_the_same_weights() -> Result<()> {
    on_playground("race", Backend::Cpu, async |page: &Playground<'_>| {
        let b = page.browser();
        b.click("race").await?;
        attribute_becomes(
            b,
            "race-panel",
            "data-running",
            "false",
            Duration::from_secs(60),
        )
        .await?;
        check(
            b.attribute_of("race-panel", "data-epoch").await?.as_deref() == Some("200"),
            || "the race ran 200 epochs".into(),
        )?;
        let mut starts = Vec::new();
        let mut ends = Vec::new();
        for key in ["sgd", "momentum", "adam", "rmsprop"] {
            let testid = format!("race-{key}");
            starts.push(number_attribute(b, &testid, "data-start").await?);
            ends.push(number_attribute(b, &testid, "data-loss").await?);
        }
        check(
            starts.iter().all(|s| s.is_finite() && *s == starts[0]),
            || format!("every racer starts at the same loss: {starts:?}"),
        )?;
        check(ends.iter().all(|e| e.is_finite() && *e < starts[0]), || {
            format!("every racer lowers the loss: {starts:?} → {ends:?}")
        })?;
        check(ends.iter().any(|e| *e != ends[0]), || {
            format!("the racers differ: {ends:?}")
        })?;
        b.execute(
            "document.querySelector('[data-testid=race-panel]').scrollIntoView();",
            vec![],
        )
        .await?;
        b.screenshot("inside-race").await?;
        eprintln!(
            "[e2e race] start {} → SGD, momentum, Adam, RMSProp {ends:?}",
            starts[0]
        );
        Ok(())
    })
    .await
}

/// The learning curve trains its runs in the background and lists one row per size; the
/// landscape slice is centred on the training loss of the weights on screen; run B trains
/// beside run A epoch for epoch; the step view draws the next batch's gradient on the links.
async fn views_work_on(name: &str, backend: Backend, min_epochs: u64) -> Result<()> {
    on_playground(name, backend, async |page: &Playground<'_>| {
        let b = page.browser();
        // Run B first: it restarts run A.
        b.click("run-b").await?;
        page.play().await?;
        wait_until(format_args!("run A past epoch {min_epochs}"), Duration::from_secs(60), POLL, async || {
            let e = page.epoch().await?;
            Ok(if e >= min_epochs { Probe::Ready(()) } else { Probe::NotYet(e.to_string()) })
        })
        .await?;
        page.pause().await?;
        let epoch_a = page.settled_epoch(REACT).await?;
        wait_until("run B to catch up", REACT, POLL, async || {
            let e = b.text_of("run-b-epoch").await?;
            Ok(if e.trim() == epoch_a.to_string() { Probe::Ready(()) } else { Probe::NotYet(e) })
        })
        .await?;
        let b_test = value_of(b, "run-b-test-loss", "data-value").await?;
        let (_, a_test) = page.exact_losses().await?.unwrap_or((f64::NAN, f64::NAN));
        check(b_test != a_test, || format!("run B (learning rate × 10) differs from run A: {b_test} vs {a_test}"))?;
        // The landscape around the paused weights.
        b.click("landscape-run").await?;
        wait_until("the whole slice", Duration::from_secs(60), POLL, async || {
            let (c, t) = (b.attribute_of("landscape", "data-computed").await?, b.attribute_of("landscape", "data-total").await?);
            Ok(if c.is_some() && c == t && c.as_deref() != Some("0") { Probe::Ready(()) } else { Probe::NotYet(format!("{c:?} of {t:?}")) })
        })
        .await?;
        let centre = number_attribute(b, "landscape", "data-centre").await?;
        let (train, _) = page.exact_losses().await?.unwrap_or((f64::NAN, f64::NAN));
        check((centre - train).abs() < 1e-4, || format!("the slice's centre {centre} is the training loss {train}"))?;
        // The next step's gradient on the links.
        b.click("step-gradients").await?;
        attribute_becomes(b, "links", "data-showing", "gradient", REACT).await?;
        let largest = value_of(b, "step-gradient", "data-largest").await?;
        check(largest != 0.0, || "the next batch pushes some weight".into())?;
        b.click("step-gradients").await?;
        attribute_becomes(b, "links", "data-showing", "weights", REACT).await?;
        // The learning curve.
        b.click("learning-curve-run").await?;
        attribute_becomes(b, "learning-curve", "data-points", "5", Duration::from_secs(90)).await?;
        attribute_becomes(b, "learning-curve", "data-running", "false", REACT).await?;
        for testid in ["landscape", "learning-curve", "run-b-panel"] {
            b.execute(&format!("document.querySelector('[data-testid={testid}]').scrollIntoView();"), vec![]).await?;
            b.screenshot(&format!("{name}-{testid}")).await?;
        }
        eprintln!("[e2e views {name}] epoch {epoch_a}: run B test loss {b_test} vs A {a_test}; slice centre {centre} = train {train}; largest push {largest}");
        Ok(())
    })
    .await
}

#[tokio::test]
#[ignore = "needs a built app and Chromium: run cargo xtask test"]
async fn the_background_views_work_on_the_cpu() -> Result<()> {
    views_work_on("inside-views-cpu", Backend::Cpu, 30).await
}

#[tokio::test]
#[ignore = "needs a built app and Chromium: run cargo xtask test"]
async fn the_background_views_work_on_webgpu() -> Result<()> {
    views_work_on("inside-views-webgpu", Backend::WebGpu, 5).await
}
