//! Browser tests of the burn labs (convolution, recurrence, attention) and of the lab shell:
//! each lab opens from its link, trains in its Web Worker on the CPU and on WebGPU with the
//! loss falling, shows its views, and stops its training when the learner leaves it.
//! Ignored by a plain `cargo test`: run `cargo xtask test` or `cargo xtask e2e`.

use std::time::Duration;

use emberlab_e2e::{
    Backend, Browser, LOAD_TIMEOUT, POLL, Probe, Result, Site, check, on_browser, wait_until,
};
use serde_json::json;

/// How long a lab may take to train to what a test asserts on the CPU.
const CPU_TRAINING: Duration = Duration::from_secs(90);
/// WebGPU under SwiftShader is an emulation: a few steps are all a test can afford.
const GPU_TRAINING: Duration = Duration::from_secs(180);

/// Opens `#v1/<lab>` on `backend` and waits until the lab shows that back end.
async fn open_lab(browser: &Browser, site: &Site, lab: &str, backend: Backend) -> Result<()> {
    browser
        .goto(&format!(
            "{}/?backend={}#v1/{lab}",
            site.url(),
            backend.query()
        ))
        .await?;
    let want = match backend {
        Backend::WebGpu => "WebGPU",
        _ => "CPU",
    };
    wait_until(
        format_args!("the {lab} lab on {want}"),
        LOAD_TIMEOUT,
        POLL,
        async || {
            let text = browser.text_of("backend").await.unwrap_or_default();
            let current = browser
                .attribute_of(&format!("lab-{lab}"), "aria-current")
                .await
                .ok()
                .flatten();
            Ok(if text == want && current.as_deref() == Some("page") {
                Probe::Ready(())
            } else {
                Probe::NotYet(format!("backend {text:?}, picker {current:?}"))
            })
        },
    )
    .await
}

async fn epoch(browser: &Browser) -> Result<u64> {
    Ok(browser.text_of("epoch").await?.parse().unwrap_or(0))
}

/// Plays until `epochs` epochs, returning the first and the last training loss seen.
async fn train(browser: &Browser, epochs: u64, timeout: Duration) -> Result<(f64, f64)> {
    let first = wait_until("a first loss", LOAD_TIMEOUT, POLL, async || {
        Ok(match browser.number_of("train-loss").await {
            Some(l) => Probe::Ready(l),
            None => Probe::NotYet("no loss yet".into()),
        })
    })
    .await?;
    browser.click("play").await?;
    let last = wait_until(format_args!("epoch {epochs}"), timeout, POLL, async || {
        let e = epoch(browser).await?;
        let loss = browser.number_of("train-loss").await;
        Ok(match loss {
            Some(l) if e >= epochs => Probe::Ready(l),
            _ => Probe::NotYet(format!("epoch {e}, loss {loss:?}")),
        })
    })
    .await?;
    browser.click("play").await?;
    Ok((first, last))
}

/// Relative difference allowed between the CPU's and WebGPU's losses for the same seed.
const SAME_LOSS_TOLERANCE: f64 = 2e-3;

/// The exact training loss the page shows (its `data-value`).
async fn exact_loss(browser: &Browser) -> Result<Option<f64>> {
    let value = browser.attribute_of("train-loss", "data-value").await?;
    Ok(value.and_then(|v| v.parse::<f64>().ok()))
}

/// Presses Step once (exactly one epoch) and returns the exact training loss before and after.
async fn one_epoch_by_step(browser: &Browser, timeout: Duration) -> Result<(f64, f64)> {
    let first = wait_until("a first loss", LOAD_TIMEOUT, POLL, async || {
        Ok(match exact_loss(browser).await? {
            Some(l) => Probe::Ready(l),
            None => Probe::NotYet("no loss yet".into()),
        })
    })
    .await?;
    browser.click("step").await?;
    let last = wait_until("epoch 1 and its loss", timeout, POLL, async || {
        let e = epoch(browser).await?;
        let loss = exact_loss(browser).await?;
        Ok(match loss {
            Some(l) if e == 1 && l != first => Probe::Ready(l),
            _ => Probe::NotYet(format!("epoch {e}, loss {loss:?}")),
        })
    })
    .await?;
    // The epoch's last observation may still be on its way: read until it settles.
    tokio::time::sleep(Duration::from_secs(1)).await;
    let settled = exact_loss(browser).await?.unwrap_or(last);
    Ok((first, settled))
}

/// Plays until the training loss is 0.01 below the first one (SwiftShader is far too slow for
/// whole epochs of the recurrence and attention labs), returning the first and the last loss.
async fn train_until_the_loss_falls(browser: &Browser, timeout: Duration) -> Result<(f64, f64)> {
    let first = wait_until("a first loss", LOAD_TIMEOUT, POLL, async || {
        Ok(match browser.number_of("train-loss").await {
            Some(l) => Probe::Ready(l),
            None => Probe::NotYet("no loss yet".into()),
        })
    })
    .await?;
    browser.click("play").await?;
    let last = wait_until("a falling loss", timeout, POLL, async || {
        let loss = browser.number_of("train-loss").await;
        Ok(match loss {
            Some(l) if l < first - 0.01 => Probe::Ready(l),
            _ => Probe::NotYet(format!("loss {loss:?}, first {first}")),
        })
    })
    .await?;
    browser.click("play").await?;
    Ok((first, last))
}

/// The number of lab workers the page runs.
async fn workers(browser: &Browser) -> Result<f64> {
    let value = browser
        .execute("return window.__emberlabWorkers || 0;", vec![])
        .await?;
    Ok(value.as_f64().unwrap_or(0.0))
}

/// Leaving a lab for the playground terminates its worker.
async fn leaving_stops_the_worker(browser: &Browser) -> Result<()> {
    check(workers(browser).await? == 1.0, || {
        "one lab worker runs".into()
    })?;
    browser.click("lab-playground").await?;
    wait_until(
        "the worker to stop",
        Duration::from_secs(10),
        POLL,
        async || {
            let n = workers(browser).await?;
            Ok(if n == 0.0 {
                Probe::Ready(())
            } else {
                Probe::NotYet(format!("{n} workers"))
            })
        },
    )
    .await
}

#[tokio::test]
#[ignore = "needs a built app and Chromium: run cargo xtask test"]
async fn the_digits_lab_trains_shows_its_views_and_stops_when_left() -> Result<()> {
    on_browser("digits_cpu", &[], async |browser: &Browser, site: &Site| {
        open_lab(browser, site, "digits", Backend::Cpu).await?;
        let (first, last) = train(browser, 3, CPU_TRAINING).await?;
        check(last < first, || format!("the loss falls: {first} → {last}"))?;
        let accuracy = browser.number_of("test-accuracy").await.unwrap_or(0.0);
        check(accuracy > 90.0, || format!("test accuracy {accuracy} after 3 epochs"))?;
        // The confusion matrix counts every test image once.
        let sum = browser
            .execute(
                "return [...document.querySelectorAll('[data-testid=confusion-matrix] td')].reduce((s, td) => s + Number(td.dataset.count), 0);",
                vec![],
            )
            .await?;
        check(sum.as_f64() == Some(359.0), || format!("the confusion matrix sums to {sum}, not 359"))?;
        // Each layer's maps are tiles of one drawn canvas (`data-maps` of them).
        let drawn_maps = async |testid: &str| {
            browser
                .execute(
                    "return [...document.querySelectorAll(`[data-testid=${arguments[0]}] canvas[data-maps]`)].filter((c) => c.width > 26).reduce((s, c) => s + Number(c.dataset.maps), 0);",
                    vec![testid.into()],
                )
                .await
        };
        let filters = drawn_maps("filters").await?;
        check(filters.as_u64().unwrap_or(0) >= 16, || format!("{filters} filters drawn"))?;
        let maps = drawn_maps("feature-maps").await?;
        check(maps.as_u64().unwrap_or(0) >= 16, || format!("{maps} feature maps drawn"))?;
        browser.screenshot("labs-digits").await?;
        leaving_stops_the_worker(browser).await
    })
    .await
}

#[tokio::test]
#[ignore = "needs a built app and Chromium: run cargo xtask test"]
async fn a_drawn_digit_gets_probabilities_that_sum_to_one() -> Result<()> {
    on_browser("digits_draw", &[], async |browser: &Browser, site: &Site| {
        open_lab(browser, site, "digits", Backend::Cpu).await?;
        // A stroke down the middle of the drawing area, as a finger would draw a "1".
        let stroke = r#"
            const c = document.querySelector('[data-testid=draw-canvas]');
            const r = c.getBoundingClientRect();
            const at = (y, type) => c.dispatchEvent(new PointerEvent(type, {
                bubbles: true, pointerId: 1, clientX: r.left + r.width / 2, clientY: r.top + y * r.height,
            }));
            at(0.15, 'pointerdown');
            for (let y = 0.2; y <= 0.85; y += 0.05) at(y, 'pointermove');
            at(0.85, 'pointerup');
        "#;
        browser.execute(stroke, vec![json!(null)]).await?;
        let total = wait_until("probabilities of the drawing", LOAD_TIMEOUT, POLL, async || {
            let caption = browser.text_of("probe-caption").await?;
            let mut sum = 0.0;
            for d in 0..10 {
                sum += browser.number_of(&format!("prob-{d}")).await.unwrap_or(f64::NAN);
            }
            Ok(if caption.contains("drawing") && sum.is_finite() {
                Probe::Ready(sum)
            } else {
                Probe::NotYet(format!("{caption:?}, sum {sum}"))
            })
        })
        .await?;
        check((total - 1.0).abs() < 0.01, || format!("probabilities sum to {total}"))?;
        browser.screenshot("labs-digits-drawn").await?;
        Ok(())
    })
    .await
}

#[tokio::test]
#[ignore = "needs a built app and Chromium: run cargo xtask test"]
async fn the_digits_lab_gives_the_same_losses_on_webgpu_and_the_cpu() -> Result<()> {
    on_browser(
        "digits_webgpu",
        &[],
        async |browser: &Browser, site: &Site| {
            open_lab(browser, site, "digits", Backend::WebGpu).await?;
            let (gpu_first, gpu_last) = one_epoch_by_step(browser, GPU_TRAINING).await?;
            check(gpu_last < gpu_first, || {
                format!("the loss falls on WebGPU: {gpu_first} → {gpu_last}")
            })?;
            open_lab(browser, site, "digits", Backend::Cpu).await?;
            let (cpu_first, cpu_last) = one_epoch_by_step(browser, CPU_TRAINING).await?;
            // Same seed: same initial weights, batches and dropout masks; only float rounding
            // differs between burn Flex and WebGPU.
            let close = |a: f64, b: f64| (a - b).abs() <= SAME_LOSS_TOLERANCE * a.abs().max(1.0);
            check(
                close(gpu_first, cpu_first) && close(gpu_last, cpu_last),
                || {
                    format!(
                        "same seed, same losses (relative tolerance {SAME_LOSS_TOLERANCE}): \
                     WebGPU {gpu_first} → {gpu_last}, CPU {cpu_first} → {cpu_last}"
                    )
                },
            )?;
            println!(
                "digits, one epoch: WebGPU {gpu_first} → {gpu_last}, CPU {cpu_first} → {cpu_last}"
            );
            Ok(())
        },
    )
    .await
}

#[tokio::test]
#[ignore = "needs a built app and Chromium: run cargo xtask test"]
async fn the_recurrence_lab_trains_shows_gradient_strips_and_stops_when_left() -> Result<()> {
    on_browser("recurrence_cpu", &[], async |browser: &Browser, site: &Site| {
        open_lab(browser, site, "recurrence", Backend::Cpu).await?;
        let (first, last) = train(browser, 2, CPU_TRAINING).await?;
        check(last < first, || format!("the LSTM's loss falls: {first} → {last}"))?;
        for cell in ["rnn", "lstm", "gru"] {
            let accuracy = browser.number_of(&format!("accuracy-{cell}")).await;
            check(accuracy.is_some(), || format!("accuracy-{cell} shows a percentage"))?;
            let width = browser
                .execute(
                    &format!("return document.querySelector('[data-testid=gradient-strip-{cell}]').width;"),
                    vec![],
                )
                .await?;
            check(width.as_u64().unwrap_or(0) >= 20 * 12, || format!("gradient strip {cell}: {width}"))?;
            let survival = browser.text_of(&format!("gradient-survival-{cell}")).await?;
            check(survival.starts_with("step 1 gets") || survival.starts_with("no gradient"), || {
                format!("gradient-survival-{cell} says how much reaches step 1: {survival:?}")
            })?;
            println!("{cell}: {survival}");
        }
        browser.screenshot("labs-recurrence").await?;
        leaving_stops_the_worker(browser).await
    })
    .await
}

#[tokio::test]
#[ignore = "needs a built app and Chromium: run cargo xtask test"]
async fn the_recurrence_lab_trains_on_webgpu_with_the_loss_falling() -> Result<()> {
    on_browser(
        "recurrence_webgpu",
        &[],
        async |browser: &Browser, site: &Site| {
            open_lab(browser, site, "recurrence", Backend::WebGpu).await?;
            let (first, last) = train_until_the_loss_falls(browser, GPU_TRAINING).await?;
            check(last < first, || {
                format!("the loss falls on WebGPU: {first} → {last}")
            })?;
            Ok(())
        },
    )
    .await
}

#[tokio::test]
#[ignore = "needs a built app and Chromium: run cargo xtask test"]
async fn the_attention_lab_trains_shows_a_typed_sequence_and_stops_when_left() -> Result<()> {
    on_browser("attention_cpu", &[], async |browser: &Browser, site: &Site| {
        open_lab(browser, site, "attention", Backend::Cpu).await?;
        let (first, last) = train(browser, 2, CPU_TRAINING).await?;
        check(last < first, || format!("the loss falls: {first} → {last}"))?;
        let accuracy = browser.number_of("token-accuracy").await;
        check(accuracy.is_some(), || "token accuracy shows a percentage".into())?;
        let input = browser
            .client()
            .find(fantoccini::Locator::Css("[data-testid=sequence-input]"))
            .await?;
        input.send_keys("31415926").await?;
        let prediction = wait_until("a prediction of the typed sequence", LOAD_TIMEOUT, POLL, async || {
            let p = browser.text_of("prediction").await.unwrap_or_default();
            let table = browser.text_of("prediction").await.unwrap_or_default();
            Ok(if p.split_whitespace().count() == 8 && !table.is_empty() {
                Probe::Ready(p)
            } else {
                Probe::NotYet(p)
            })
        })
        .await?;
        let maps = browser
            .execute(
                "return [...document.querySelectorAll('[data-testid=attention-map]')].map(c => c.width);",
                vec![],
            )
            .await?;
        let widths: Vec<u64> = maps.as_array().map(|a| a.iter().filter_map(|w| w.as_u64()).collect()).unwrap_or_default();
        check(widths.len() == 4 && widths.iter().all(|&w| w > 100), || {
            format!("2 layers × 2 heads of drawn maps, got widths {widths:?} (prediction {prediction})")
        })?;
        browser.screenshot("labs-attention").await?;
        leaving_stops_the_worker(browser).await
    })
    .await
}

#[tokio::test]
#[ignore = "needs a built app and Chromium: run cargo xtask test"]
async fn the_attention_lab_trains_on_webgpu_with_the_loss_falling() -> Result<()> {
    on_browser(
        "attention_webgpu",
        &[],
        async |browser: &Browser, site: &Site| {
            open_lab(browser, site, "attention", Backend::WebGpu).await?;
            let (first, last) = train_until_the_loss_falls(browser, GPU_TRAINING).await?;
            check(last < first, || {
                format!("the loss falls on WebGPU: {first} → {last}")
            })?;
            Ok(())
        },
    )
    .await
}
