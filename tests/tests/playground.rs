//! Browser tests of the playground page, each run once per training back end.
//!
//! They need a built app and Chromium, so they are ignored by a plain `cargo test`:
//! run `cargo xtask test` (everything) or `cargo xtask e2e [--no-build]` (browser tests only).
//! Measured figures go to stderr; `--nocapture` shows them.

use std::time::{Duration, Instant};

use emberlab_e2e::{Backend, POLL, Playground, Probe, Result, check, on_playground, wait_until};

/// Train at least this long, so the epochs/s figure is not noise.
const MIN_TRAINING: Duration = Duration::from_secs(5);
/// How long a pause may take to stop an epoch already in flight.
const PAUSE_TIMEOUT: Duration = Duration::from_secs(30);
/// How long `reset` may take to bring the counter back to 0.
const RESET_TIMEOUT: Duration = Duration::from_secs(10);

#[tokio::test]
#[ignore = "needs a built app and Chromium: run cargo xtask test"]
async fn loads_on_webgpu() -> Result<()> {
    loads(Backend::WebGpu).await
}

#[tokio::test]
#[ignore = "needs a built app and Chromium: run cargo xtask test"]
async fn loads_on_cpu() -> Result<()> {
    loads(Backend::Cpu).await
}

#[tokio::test]
#[ignore = "needs a built app and Chromium: run cargo xtask test"]
async fn trains_on_webgpu() -> Result<()> {
    trains(Backend::WebGpu).await
}

#[tokio::test]
#[ignore = "needs a built app and Chromium: run cargo xtask test"]
async fn trains_on_cpu() -> Result<()> {
    trains(Backend::Cpu).await
}

#[tokio::test]
#[ignore = "needs a built app and Chromium: run cargo xtask test"]
async fn steps_and_resets_on_webgpu() -> Result<()> {
    steps_and_resets(Backend::WebGpu).await
}

#[tokio::test]
#[ignore = "needs a built app and Chromium: run cargo xtask test"]
async fn steps_and_resets_on_cpu() -> Result<()> {
    steps_and_resets(Backend::Cpu).await
}

/// The page loads, shows the forced back end (`on_playground` waits for it), and logs no errors.
async fn loads(backend: Backend) -> Result<()> {
    on_playground("loads", backend, async |page: &Playground<'_>| {
        page.browser().check_console().await
    })
    .await
}

/// Play trains: the epoch rises and the train loss falls; pause stops it.
async fn trains(backend: Backend) -> Result<()> {
    on_playground("trains", backend, async |page: &Playground<'_>| {
        let start_epoch = page.epoch().await?;
        let loss_at_load = page.train_loss().await?;
        page.play().await?;
        let started = Instant::now();

        // The first measured loss: shown at load, or the first one after play.
        let mut first: Option<(f64, Duration)> = loss_at_load.map(|loss| (loss, Duration::ZERO));
        let target_epoch = start_epoch + backend.min_epochs();
        let (end_epoch, end_loss, trained_for) = wait_until(
            format_args!("epoch ≥ {target_epoch} and a train loss below the first one"),
            backend.train_timeout(),
            POLL,
            async || {
                let epoch = page.epoch().await?;
                let loss = page.train_loss().await?;
                let elapsed = started.elapsed();
                if first.is_none() {
                    first = loss.map(|loss| (loss, elapsed));
                }
                let first_loss = first.map(|(loss, _)| loss);
                let fell = matches!((loss, first_loss), (Some(now), Some(then)) if now < then);
                Ok(match loss {
                    Some(loss) if fell && epoch >= target_epoch && elapsed >= MIN_TRAINING => {
                        Probe::Ready((epoch, loss, elapsed))
                    }
                    _ => Probe::NotYet(format!(
                        "epoch {epoch}, train loss {loss:?}, first loss {first_loss:?}"
                    )),
                })
            },
        )
        .await?;
        page.pause().await?;
        let paused_epoch = page.settled_epoch(PAUSE_TIMEOUT).await?;
        tokio::time::sleep(backend.still_for()).await;
        let later_epoch = page.epoch().await?;
        check(later_epoch == paused_epoch, || {
            format!("epoch kept rising after pause: {paused_epoch} → {later_epoch}")
        })?;
        page.browser()
            .screenshot(&format!("train-{backend}"))
            .await?;

        let (first_loss, first_seen) = first.unwrap_or((f64::NAN, Duration::ZERO));
        let epochs = end_epoch - start_epoch;
        let test_loss = page.test_loss().await?;
        eprintln!(
            "[e2e trains {backend}] {epochs} epochs in {:.1} s = {:.2} epochs/s \
             (first loss shown after {:.1} s); train loss {first_loss:.4} → {end_loss:.4}; \
             test loss {test_loss:?}; paused at epoch {paused_epoch}",
            trained_for.as_secs_f64(),
            epochs as f64 / trained_for.as_secs_f64(),
            first_seen.as_secs_f64(),
        );
        Ok(())
    })
    .await
}

/// While paused, `step` trains exactly one epoch; `reset` goes back to epoch 0.
async fn steps_and_resets(backend: Backend) -> Result<()> {
    on_playground(
        "steps_and_resets",
        backend,
        async |page: &Playground<'_>| {
            page.pause().await?;
            let before = page.settled_epoch(PAUSE_TIMEOUT).await?;
            page.step().await?;
            let started = Instant::now();
            let after = wait_until(
                format_args!("epoch {before} → {} after step", before + 1),
                backend.step_timeout(),
                POLL,
                async || {
                    let epoch = page.epoch().await?;
                    Ok(if epoch > before {
                        Probe::Ready(epoch)
                    } else {
                        Probe::NotYet(format!("epoch {epoch}"))
                    })
                },
            )
            .await?;
            let step_took = started.elapsed();
            let settled = page.settled_epoch(PAUSE_TIMEOUT).await?;
            check(after == before + 1 && settled == before + 1, || {
                format!("step should train one epoch: {before} → {after}, then {settled}")
            })?;

            page.reset().await?;
            wait_until("epoch 0 after reset", RESET_TIMEOUT, POLL, async || {
                let epoch = page.epoch().await?;
                Ok(if epoch == 0 {
                    Probe::Ready(())
                } else {
                    Probe::NotYet(format!("epoch {epoch}"))
                })
            })
            .await?;
            eprintln!(
                "[e2e steps_and_resets {backend}] one step showed after {:.2} s",
                step_took.as_secs_f64()
            );
            Ok(())
        },
    )
    .await
}
