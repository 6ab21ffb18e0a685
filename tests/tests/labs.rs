//! Browser tests of the burn labs (convolution, recurrence, attention) and of the lab shell:
//! each lab opens from its link, trains in its Web Worker on the CPU and on WebGPU with the
//! loss falling, shows its views, and stops its training when the learner leaves it.
//! Ignored by a plain `cargo test`: run `cargo xtask test` or `cargo xtask e2e`.

use std::time::{Duration, Instant};

use emberlab_e2e::{
    Backend, Browser, LOAD_TIMEOUT, POLL, Probe, Result, Site, check, on_browser, wait_until,
};
use serde_json::json;

/// How long a lab may take to train to what a test asserts on the CPU.
const CPU_TRAINING: Duration = Duration::from_secs(90);
/// WebGPU under SwiftShader is an emulation: a few steps are all a test can afford.
const GPU_TRAINING: Duration = Duration::from_secs(180);

/// Opens `#v1/<link>` (a lab's name, or a lab's link such as `recurrence/t=5`) on `backend` and
/// waits until the lab shows that back end.
async fn open_lab(browser: &Browser, site: &Site, link: &str, backend: Backend) -> Result<()> {
    browser
        .goto(&format!(
            "{}/?backend={}#v1/{link}",
            site.url(),
            backend.query()
        ))
        .await?;
    let lab = link.split('/').next().unwrap_or(link);
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

/// The first training loss the lab shows (before any training).
async fn first_loss(browser: &Browser) -> Result<f64> {
    wait_until("a first loss", LOAD_TIMEOUT, POLL, async || {
        Ok(match browser.number_of("train-loss").await {
            Some(l) => Probe::Ready(l),
            None => Probe::NotYet("no loss yet".into()),
        })
    })
    .await
}

/// The training loss once it has stayed the same for a second (after a pause the lab sends
/// one last observation).
async fn settled_loss(browser: &Browser) -> Result<f64> {
    let mut last: Option<(f64, Instant)> = None;
    wait_until("the loss to settle", LOAD_TIMEOUT, POLL, async || {
        let loss = browser.number_of("train-loss").await;
        match (loss, last) {
            (Some(now), Some((seen, since))) if now == seen => {
                if since.elapsed() >= Duration::from_secs(1) {
                    return Ok(Probe::Ready(now));
                }
            }
            (Some(now), _) => last = Some((now, Instant::now())),
            (None, _) => {}
        }
        Ok(Probe::NotYet(format!("loss {loss:?}")))
    })
    .await
}

/// Starts or pauses training (clicks `play` only when needed) and waits until the button says
/// so.
async fn set_playing(browser: &Browser, playing: bool) -> Result<()> {
    let want = playing.to_string();
    if browser
        .attribute_of("play", "aria-pressed")
        .await?
        .as_deref()
        != Some(want.as_str())
    {
        browser.click("play").await?;
    }
    wait_until(
        format_args!("play to read aria-pressed={want}"),
        LOAD_TIMEOUT,
        POLL,
        async || {
            let pressed = browser.attribute_of("play", "aria-pressed").await?;
            Ok(if pressed.as_deref() == Some(want.as_str()) {
                Probe::Ready(())
            } else {
                Probe::NotYet(format!("{pressed:?}"))
            })
        },
    )
    .await
}

/// Plays until `probe` is ready (or fails after `timeout`), then pauses.
async fn play_until<T>(
    browser: &Browser,
    what: &str,
    timeout: Duration,
    probe: impl AsyncFnMut() -> Result<Probe<T>>,
) -> Result<T> {
    set_playing(browser, true).await?;
    let reached = wait_until(what, timeout, POLL, probe).await?;
    set_playing(browser, false).await?;
    Ok(reached)
}

/// Plays until `epochs` epochs, returning the first and the last training loss seen.
async fn train(browser: &Browser, epochs: u64, timeout: Duration) -> Result<(f64, f64)> {
    let first = first_loss(browser).await?;
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

/// The number of playground (engine) workers the page runs.
async fn playground_workers(browser: &Browser) -> Result<f64> {
    let value = browser
        .execute("return window.__emberlabPlaygroundWorkers || 0;", vec![])
        .await?;
    Ok(value.as_f64().unwrap_or(0.0))
}

/// Leaving a lab for the playground terminates its worker, and the playground starts its own
/// (while a lab is open, the playground's is gone).
async fn leaving_stops_the_worker(browser: &Browser) -> Result<()> {
    check(workers(browser).await? == 1.0, || {
        "one lab worker runs".into()
    })?;
    let engines = playground_workers(browser).await?;
    check(engines == 0.0, || {
        format!("{engines} playground workers run beside the lab")
    })?;
    browser.click("lab-playground").await?;
    wait_until(
        "the worker to stop and the playground's to start",
        Duration::from_secs(10),
        POLL,
        async || {
            let n = workers(browser).await?;
            let p = playground_workers(browser).await?;
            Ok(if n == 0.0 && p == 1.0 {
                Probe::Ready(())
            } else {
                Probe::NotYet(format!("{n} lab workers, {p} playground workers"))
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

/// The memory task's figure the LSTM and the GRU must reach: the issue's target, which both
/// reach within seconds on the default task (T = 20); the plain RNN stays near chance there.
const RECURRENCE_TARGET: f64 = 95.0;

/// How much of the last step's gradient reaches step 1, from `gradient-survival-<cell>`'s
/// "step 1 gets 37% of the last step's gradient" or "step 1 gets 3e-7 of …".
fn survival_ratio(text: &str) -> Option<f64> {
    let amount = text
        .strip_prefix("step 1 gets ")?
        .split_whitespace()
        .next()?;
    match amount.strip_suffix('%') {
        Some(percent) => percent.parse::<f64>().ok().map(|p| p / 100.0),
        None => amount.parse().ok(),
    }
}

/// The alpha of the middle pixel of each time step's cell in a gradient strip (12 px a step):
/// its strength, from 13 (a thousand times weaker than the row's strongest) to 255.
const STRIP_CELLS: &str = r#"
const c = document.querySelector(`[data-testid="gradient-strip-${arguments[0]}"]`);
const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
const y = Math.floor(c.height / 2), cells = [];
for (let x = 5; x < c.width; x += 12) cells.push(data[(y * c.width + x) * 4 + 3]);
return cells;
"#;

#[tokio::test]
#[ignore = "needs a built app and Chromium: run cargo xtask test"]
async fn the_recurrence_lab_trains_shows_gradient_strips_and_stops_when_left() -> Result<()> {
    on_browser("recurrence_cpu", &[], async |browser: &Browser, site: &Site| {
        open_lab(browser, site, "recurrence", Backend::Cpu).await?;
        let first = first_loss(browser).await?;
        let started = Instant::now();
        let (lstm, gru) = play_until(
            browser,
            "the LSTM and the GRU at 95 % test accuracy",
            CPU_TRAINING,
            async || {
                let lstm = browser.number_of("accuracy-lstm").await;
                let gru = browser.number_of("accuracy-gru").await;
                Ok(match (lstm, gru) {
                    (Some(l), Some(g)) if l >= RECURRENCE_TARGET && g >= RECURRENCE_TARGET => {
                        Probe::Ready((l, g))
                    }
                    _ => Probe::NotYet(format!(
                        "epoch {}, LSTM {lstm:?}, GRU {gru:?}",
                        epoch(browser).await?
                    )),
                })
            },
        )
        .await?;
        let seconds = started.elapsed().as_secs_f64();
        let last = settled_loss(browser).await?;
        check(last < first, || format!("the LSTM's loss falls: {first} → {last}"))?;
        let rnn = browser.number_of("accuracy-rnn").await;
        check(rnn.is_some_and(|a| (0.0..=100.0).contains(&a)), || {
            format!("accuracy-rnn shows a percentage: {rnn:?}")
        })?;
        for cell in ["rnn", "lstm", "gru"] {
            // One cell per time step (T = 20), each drawn, the strongest at full strength.
            let cells = browser.execute(STRIP_CELLS, vec![json!(cell)]).await?;
            let cells: Vec<u64> = cells
                .as_array()
                .map(|a| a.iter().filter_map(serde_json::Value::as_u64).collect())
                .unwrap_or_default();
            check(
                cells.len() == 20 && cells.iter().all(|&a| a >= 12) && cells.contains(&255),
                || format!("gradient strip {cell}: 20 drawn steps, one at full strength; alphas {cells:?}"),
            )?;
            let survival = browser.text_of(&format!("gradient-survival-{cell}")).await?;
            let ratio = survival_ratio(&survival);
            check(ratio.is_some_and(|r| r.is_finite() && r > 0.0), || {
                format!("gradient-survival-{cell} gives how much reaches step 1: {survival:?}")
            })?;
            println!("{cell}: {survival}");
        }
        println!(
            "recurrence: LSTM {lstm} %, GRU {gru} % after {seconds:.1} s (epoch {}), RNN {rnn:?} %; loss {first} → {last}",
            epoch(browser).await?
        );
        browser.screenshot("labs-recurrence").await?;
        leaving_stops_the_worker(browser).await
    })
    .await
}

/// What the recurrence lab shows of its run: each network's test accuracy and the LSTM's
/// losses, as text.
async fn recurrence_figures(browser: &Browser) -> Result<String> {
    let mut figures = Vec::new();
    for testid in [
        "accuracy-rnn",
        "accuracy-lstm",
        "accuracy-gru",
        "train-loss",
        "test-loss",
    ] {
        figures.push(format!("{testid} {}", browser.text_of(testid).await?));
    }
    Ok(figures.join(", "))
}

/// Plays until epoch `epochs` (or fails after [`CPU_TRAINING`]), pauses, and returns the
/// epoch and the figures once both have stayed the same for a second (the paused lab's last
/// observation).
async fn recurrence_at_epoch(browser: &Browser, epochs: u64) -> Result<(u64, String)> {
    play_until(
        browser,
        &format!("epoch {epochs}"),
        CPU_TRAINING,
        async || {
            let e = epoch(browser).await?;
            Ok(if e >= epochs {
                Probe::Ready(())
            } else {
                Probe::NotYet(format!("epoch {e}"))
            })
        },
    )
    .await?;
    let mut last: Option<((u64, String), Instant)> = None;
    wait_until("the paused lab's figures", LOAD_TIMEOUT, POLL, async || {
        let now = (epoch(browser).await?, recurrence_figures(browser).await?);
        match &last {
            Some((seen, since)) if *seen == now => {
                if since.elapsed() >= Duration::from_secs(1) {
                    return Ok(Probe::Ready(now));
                }
            }
            _ => last = Some((now.clone(), Instant::now())),
        }
        Ok(Probe::NotYet(format!("epoch {}: {}", now.0, now.1)))
    })
    .await
}

/// The value of `key` in the page's link (the URL hash), if it has that field.
async fn link_field(browser: &Browser, key: &str) -> Result<Option<String>> {
    let hash = browser
        .execute("return window.location.hash;", vec![])
        .await?;
    let hash = hash.as_str().unwrap_or_default();
    let fields = hash.rsplit_once('/').map_or(hash, |(_, fields)| fields);
    Ok(fields
        .split('&')
        .find_map(|field| field.strip_prefix(key)?.strip_prefix('='))
        .map(str::to_owned))
}

/// The training loss in [`recurrence_figures`]' text.
fn figures_loss(figures: &str) -> f64 {
    figures
        .split(", ")
        .find_map(|f| f.strip_prefix("train-loss "))
        .and_then(|l| l.parse().ok())
        .unwrap_or(f64::NAN)
}

/// Epochs trained after the change before the runs are compared.
const EPOCHS_AFTER_THE_CHANGE: u64 = 4;

/// The recurrence lab's learning rate applies live: the picker and the link show the new rate,
/// training goes on without a restart, and the worker trains at the new rate.
///
/// The page shows no figure that is the worker's rate, and the lab does not train bit for bit
/// the same twice (two runs of the same link differ by a few hundredths in loss after an
/// epoch), so the last claim is checked by its effect: the rate drops from the default 0.01
/// to 0.001 after the first epoch, a tenth of the step. Four epochs later (epoch 5) the runs
/// seen here showed a training loss of 1.01-1.05 with the GRU near chance, where the same
/// run left at 0.01 shows 0.10 with the LSTM and GRU near 100 %; the test asks for a gap of
/// 0.4 against a run left at the old rate in the same browser. (0.1, the other way, is no
/// clean test: it speeds the GRU up but stalls the LSTM.)
#[tokio::test]
#[ignore = "needs a built app and Chromium: run cargo xtask test"]
async fn the_recurrence_labs_learning_rate_applies_live_and_trains_at_the_new_rate() -> Result<()> {
    on_browser("recurrence_live_rate", &[], async |browser: &Browser, site: &Site| {
        let rate = "0.001";
        open_lab(browser, site, "recurrence", Backend::Cpu).await?;
        first_loss(browser).await?;
        let old_rate = browser.value_of("learning-rate").await?;
        check(old_rate == "0.01", || format!("the lab trains at 0.01 by default, not {old_rate}"))?;
        set_playing(browser, true).await?;
        let before = wait_until("a first epoch", CPU_TRAINING, POLL, async || {
            let e = epoch(browser).await?;
            Ok(if e >= 1 { Probe::Ready(e) } else { Probe::NotYet(format!("epoch {e}")) })
        })
        .await?;
        browser.select("learning-rate", rate).await?;
        // The picker and the link show the new rate.
        wait_until("the picker and the link to show the new rate", LOAD_TIMEOUT, POLL, async || {
            let picked = browser.value_of("learning-rate").await?;
            let linked = link_field(browser, "lr").await?;
            Ok(if picked == rate && linked.as_deref() == Some(rate) {
                Probe::Ready(())
            } else {
                Probe::NotYet(format!("picker {picked:?}, link lr {linked:?}"))
            })
        })
        .await?;
        // Training goes on from where it was: the epoch never falls back, play stays on, and
        // no restart is announced.
        let mut lowest = u64::MAX;
        let after = wait_until("training to go on", CPU_TRAINING, POLL, async || {
            let e = epoch(browser).await?;
            lowest = lowest.min(e);
            Ok(if e > before { Probe::Ready(e) } else { Probe::NotYet(format!("epoch {e}")) })
        })
        .await?;
        check(lowest >= before, || {
            format!("the epoch fell from {before} to {lowest}: training restarted")
        })?;
        let pressed = browser.attribute_of("play", "aria-pressed").await?;
        check(pressed.as_deref() == Some("true"), || {
            format!("still playing after the change: aria-pressed {pressed:?}")
        })?;
        let notice = browser.text_of("notice").await.unwrap_or_default();
        check(!notice.contains("restarted"), || {
            format!("the change restarted training: {notice:?}")
        })?;
        // The worker trains at the new rate: compare with a run left at the old one.
        let until = before + EPOCHS_AFTER_THE_CHANGE;
        let (changed_at, changed) = recurrence_at_epoch(browser, until).await?;
        browser.screenshot("labs-recurrence-live-rate").await?;
        // Reset starts over at the rate shown, not at the one the lab opened with.
        browser.click("reset").await?;
        wait_until("the reset", LOAD_TIMEOUT, POLL, async || {
            let e = epoch(browser).await?;
            Ok(if e == 0 { Probe::Ready(()) } else { Probe::NotYet(format!("epoch {e}")) })
        })
        .await?;
        let (reset_at, reset) = recurrence_at_epoch(browser, until).await?;
        browser.goto("about:blank").await?;
        open_lab(browser, site, "recurrence", Backend::Cpu).await?;
        first_loss(browser).await?;
        let (left_at, left) = recurrence_at_epoch(browser, until).await?;
        println!(
            "recurrence live rate: epoch {before} → {after} across the change to {rate}; \
             changed, at epoch {changed_at}: {changed}; reset at {rate}, at epoch {reset_at}: \
             {reset}; left at {old_rate}, at epoch {left_at}: {left}"
        );
        let (slow, fast) = (figures_loss(&changed), figures_loss(&left));
        let after_reset = figures_loss(&reset);
        check(after_reset - fast >= 0.4, || {
            format!(
                "after Reset the loss at epoch {reset_at} is {after_reset}, against {fast} at \
                 {old_rate}: Reset went back to the old rate"
            )
        })?;
        check(slow - fast >= 0.4, || {
            format!(
                "{EPOCHS_AFTER_THE_CHANGE} epochs after changing the rate to {rate} the loss is \
                 {slow}, against {fast} for the run left at {old_rate}: the worker does not train \
                 at the new rate"
            )
        })?;
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

/// Token accuracy on the test sequences the transformer must reach before its answer to a
/// typed sequence is checked (it sorts length-8 sequences perfectly within seconds).
const ATTENTION_TARGET: f64 = 99.0;

#[tokio::test]
#[ignore = "needs a built app and Chromium: run cargo xtask test"]
async fn the_attention_lab_trains_shows_a_typed_sequence_and_stops_when_left() -> Result<()> {
    on_browser("attention_cpu", &[], async |browser: &Browser, site: &Site| {
        open_lab(browser, site, "attention", Backend::Cpu).await?;
        let task = browser.value_of("task").await?;
        check(task == "sort", || format!("the default task is sort, not {task:?}"))?;
        let first = first_loss(browser).await?;
        let started = Instant::now();
        set_playing(browser, true).await?;
        let accuracy = wait_until(
            "token accuracy of at least 99 %",
            CPU_TRAINING,
            POLL,
            async || {
                let accuracy = browser.number_of("token-accuracy").await;
                Ok(match accuracy {
                    Some(a) if a >= ATTENTION_TARGET => Probe::Ready(a),
                    _ => Probe::NotYet(format!("epoch {}, {accuracy:?}", epoch(browser).await?)),
                })
            },
        )
        .await?;
        let seconds = started.elapsed().as_secs_f64();
        // Typed while it trains; the prediction follows every observation.
        let typed = "31415926";
        let mut digits: Vec<char> = typed.chars().collect();
        digits.sort_unstable();
        let answer = digits.iter().map(char::to_string).collect::<Vec<_>>().join(" ");
        let typed_row = typed.chars().map(|c| c.to_string()).collect::<Vec<_>>().join(" ");
        let input = browser
            .client()
            .find(fantoccini::Locator::Css("[data-testid=sequence-input]"))
            .await?;
        input.send_keys(typed).await?;
        // The table's input and right-answer rows, and the transformer's prediction, once the
        // paused lab's last observation of the typed sequence has stayed for a second.
        let settled_table = async || -> Result<(String, String, String)> {
            let mut last: Option<((String, String, String), Instant)> = None;
            wait_until("the typed sequence's prediction", LOAD_TIMEOUT, POLL, async || {
                let table = browser
                    .execute(
                        "const rows = [...document.querySelectorAll('.sequence-table tr')].map(r => r.querySelector('td.tokens')?.textContent ?? ''); return [rows[0] ?? '', rows[1] ?? ''];",
                        vec![],
                    )
                    .await?;
                let cell = |i: usize| table[i].as_str().unwrap_or_default().trim().to_owned();
                let prediction = browser.text_of("prediction").await.unwrap_or_default();
                let now = (cell(0), cell(1), prediction);
                match &last {
                    Some((seen, since)) if *seen == now && now.0 == typed_row => {
                        if since.elapsed() >= Duration::from_secs(1) {
                            return Ok(Probe::Ready(now));
                        }
                    }
                    _ => last = Some((now.clone(), Instant::now())),
                }
                Ok(Probe::NotYet(format!("{now:?}")))
            })
            .await
        };
        // At 99 % of the test tokens a given sequence may still have a wrong token (seen in one
        // run of seven): train on a second at a time, for at most 30 s, until the paused model
        // sorts it.
        let deadline = Instant::now() + Duration::from_secs(30);
        let mut pauses = 0;
        let (input, correct, prediction) = loop {
            set_playing(browser, false).await?;
            pauses += 1;
            let shown = settled_table().await?;
            if shown.2 == answer || Instant::now() >= deadline {
                break shown;
            }
            set_playing(browser, true).await?;
            tokio::time::sleep(Duration::from_secs(1)).await;
        };
        check(input == typed_row && correct == answer && prediction == answer, || {
            format!("{typed} sorted is {answer}; the paused page shows input {input:?}, correct {correct:?}, prediction {prediction:?}")
        })?;
        let last = settled_loss(browser).await?;
        check(last < first, || format!("the loss falls: {first} → {last}"))?;
        let maps = browser
            .execute(
                "return [...document.querySelectorAll('[data-testid=attention-map]')].map(c => c.width);",
                vec![],
            )
            .await?;
        let widths: Vec<u64> = maps.as_array().map(|a| a.iter().filter_map(|w| w.as_u64()).collect()).unwrap_or_default();
        check(widths.len() == 4 && widths.iter().all(|&w| w > 100), || {
            format!("2 layers × 2 heads of drawn maps, got widths {widths:?}")
        })?;
        println!(
            "attention: token accuracy {accuracy} % after {seconds:.1} s (epoch {}); {typed} → {prediction} (paused {pauses} times); loss {first} → {last}",
            epoch(browser).await?
        );
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
