//! A lab's worker that fails is reported, and training goes on from the last good weights.
//! Ignored by a plain `cargo test`: run `cargo xtask test` or `cargo xtask e2e`.

use std::time::Duration;

use emberlab_e2e::{LOAD_TIMEOUT, POLL, Probe, Result, check, on_browser, wait_until};

/// Keeps every Web Worker the page starts in `window.__workers`, so the test can make one fail
/// as a real fault would: an uncaught error, then the worker gone.
const CAPTURE_WORKERS: &str = r#"
window.__workers = [];
const RealWorker = window.Worker;
window.Worker = function (...args) {
  const worker = new RealWorker(...args);
  const terminate = worker.terminate.bind(worker);
  worker.terminate = () => { worker.__terminated = true; terminate(); };
  window.__workers.push(worker);
  return worker;
};
window.Worker.prototype = RealWorker.prototype;
"#;

/// Makes the newest worker still running fail; returns how many workers were started.
const CRASH_LIVE_WORKER: &str = r#"
const live = window.__workers.filter((w) => !w.__terminated);
const worker = live[live.length - 1];
worker.terminate();
worker.dispatchEvent(new ErrorEvent("error", { message: "simulated crash" }));
return window.__workers.length;
"#;

const CRASH_LAST_WORKER: &str = r#"
const worker = window.__workers[window.__workers.length - 1];
worker.terminate();
worker.dispatchEvent(new ErrorEvent("error", { message: "simulated crash" }));
return window.__workers.length;
"#;

async fn number(browser: &emberlab_e2e::Browser, script: &str) -> Result<f64> {
    let value = browser.client().execute(script, vec![]).await?;
    Ok(value.as_f64().unwrap_or(f64::NAN))
}

#[tokio::test]
#[ignore = "needs a built app and Chromium: run cargo xtask test"]
async fn a_failed_lab_worker_is_reported_and_play_goes_on_from_the_last_good_weights() -> Result<()>
{
    on_browser("worker_fault", &[], async |b, site| {
        b.before_each_page(CAPTURE_WORKERS).await?;
        b.goto(&format!("{}/?backend=cpu#v1/recurrence/t=5", site.url()))
            .await?;
        let epoch = async || -> Result<u64> { Ok(b.text_of("epoch").await?.parse().unwrap_or(0)) };
        wait_until("a first loss", LOAD_TIMEOUT, POLL, async || {
            Ok(match b.number_of("train-loss").await {
                Some(l) => Probe::Ready(l),
                None => Probe::NotYet("no loss yet".into()),
            })
        })
        .await?;
        b.click("play").await?;
        // Past a few epochs, so the worker has sent its last good weights (every 2 s).
        let before = wait_until("epoch 3 and 3 s", Duration::from_secs(60), POLL, {
            let started = std::time::Instant::now();
            async move || {
                let e = epoch().await?;
                Ok(if e >= 3 && started.elapsed() >= Duration::from_secs(3) {
                    Probe::Ready(e)
                } else {
                    Probe::NotYet(format!("epoch {e}"))
                })
            }
        })
        .await?;

        let started = number(b, CRASH_LAST_WORKER).await?;
        check(started == 1.0, || format!("{started} workers were started"))?;
        let notice = wait_until("the fault's notice", LOAD_TIMEOUT, POLL, async || {
            let text = b.text_of("notice").await.unwrap_or_default();
            Ok(if text.contains("simulated crash") {
                Probe::Ready(text)
            } else {
                Probe::NotYet(format!("notice {text:?}"))
            })
        })
        .await?;
        check(notice.contains("Training stopped"), || {
            format!("the notice says training stopped: {notice:?}")
        })?;
        check(notice.contains("Play"), || {
            format!("the notice says what to do: {notice:?}")
        })?;
        let pressed = b.attribute_of("play", "aria-pressed").await?;
        check(pressed.as_deref() == Some("false"), || {
            format!("the Play button shows a paused run: aria-pressed {pressed:?}")
        })?;
        let running = number(b, "return window.__emberlabWorkers || 0;").await?;
        check(running == 0.0, || {
            format!("{running} lab workers still counted")
        })?;
        let kept = epoch().await?;
        check(kept >= before, || {
            format!("epoch {kept} after the fault, {before} before")
        })?;
        b.screenshot("fault-reported").await?;

        // Play starts a fresh worker from the last good weights: not from epoch 0.
        b.click("play").await?;
        let mut lowest = u64::MAX;
        let after = wait_until(
            "training again",
            Duration::from_secs(60),
            POLL,
            async || {
                let e = epoch().await?;
                lowest = lowest.min(e);
                let workers = number(b, "return window.__workers.length;").await?;
                Ok(if workers == 2.0 && e > kept {
                    Probe::Ready(e)
                } else {
                    Probe::NotYet(format!("epoch {e}, {workers} workers started"))
                })
            },
        )
        .await?;
        let text = b.text_of("notice").await.unwrap_or_default();
        check(!text.contains("simulated crash"), || {
            format!("the fault's notice is gone once training goes on: {text:?}")
        })?;
        check(lowest >= 1, || {
            format!("the fresh worker went on from the last good weights, not epoch {lowest}")
        })?;
        b.click("play").await?;
        eprintln!(
            "[e2e worker fault] epoch {before} at the fault, {kept} shown after it, lowest \
             {lowest} and {after} after Play"
        );
        Ok(())
    })
    .await
}

#[tokio::test]
#[ignore = "needs a built app and Chromium: run cargo xtask test"]
async fn a_failed_playground_worker_is_reported_and_a_fresh_one_goes_on_from_the_weights_shown()
-> Result<()> {
    on_browser("playground_worker_fault", &[], async |b, site| {
        b.before_each_page(CAPTURE_WORKERS).await?;
        b.goto(&format!("{}/?backend=cpu", site.url())).await?;
        let epoch = async || -> Result<u64> {
            Ok(b.text_of("epoch")
                .await?
                .replace(',', "")
                .parse()
                .unwrap_or(0))
        };
        wait_until("a first loss", LOAD_TIMEOUT, POLL, async || {
            Ok(match b.number_of("train-loss").await {
                Some(l) => Probe::Ready(l),
                None => Probe::NotYet("no loss yet".into()),
            })
        })
        .await?;
        b.click("play").await?;
        let before = wait_until("epoch 30", Duration::from_secs(30), POLL, async || {
            let e = epoch().await?;
            Ok(if e >= 30 {
                Probe::Ready(e)
            } else {
                Probe::NotYet(format!("epoch {e}"))
            })
        })
        .await?;

        let running = number(b, "return window.__emberlabPlaygroundWorkers || 0;").await?;
        check(running == 1.0, || {
            format!("{running} playground workers counted before the fault")
        })?;
        let started = number(b, CRASH_LIVE_WORKER).await?;
        println!("[e2e playground worker fault] {started} worker(s) started before the fault");
        let notice = wait_until("the fault's notice", LOAD_TIMEOUT, POLL, async || {
            let text = b.text_of("notice").await.unwrap_or_default();
            Ok(if text.contains("simulated crash") {
                Probe::Ready(text)
            } else {
                Probe::NotYet(format!("notice {text:?}"))
            })
        })
        .await?;
        check(notice.contains("Play"), || {
            format!("the notice says what to do: {notice:?}")
        })?;
        let pressed = b.attribute_of("play", "aria-pressed").await?;
        check(pressed.as_deref() == Some("false"), || {
            format!("the Play button shows a paused run: aria-pressed {pressed:?}")
        })?;
        let kept = wait_until("the weights shown again", LOAD_TIMEOUT, POLL, async || {
            let e = epoch().await?;
            Ok(if e >= before {
                Probe::Ready(e)
            } else {
                Probe::NotYet(format!("epoch {e}"))
            })
        })
        .await?;
        let running = number(b, "return window.__emberlabPlaygroundWorkers || 0;").await?;
        check(running == 1.0, || {
            format!("{running} playground workers counted after the fault")
        })?;
        b.screenshot("playground-fault-reported").await?;

        b.click("play").await?;
        wait_until(
            "training again",
            Duration::from_secs(30),
            POLL,
            async || {
                let e = epoch().await?;
                Ok(if e > kept + 20 {
                    Probe::Ready(())
                } else {
                    Probe::NotYet(format!("epoch {e}, {kept} after the fault"))
                })
            },
        )
        .await
    })
    .await
}
