//! The same seed trains the same network on every back end: the WebGPU training kernel and
//! burn's Flex reproduce the fused CPU engine's losses, epoch for epoch.

use std::cell::RefCell;
use std::time::Duration;

use emberlab_e2e::{Backend, POLL, Playground, Probe, Result, check, on_playground, wait_until};

/// Epochs trained with the step button before the losses are compared.
const EPOCHS: u64 = 4;

/// A configuration set through the page's controls.
#[derive(Clone, Copy, Debug)]
enum Setup {
    /// Circle, 4-2 tanh, SGD, batch 10.
    Default,
    /// Spiral with all features and 10 % noise, GELU, Adam, L2 0.001.
    Spiral,
    /// Three blobs (softmax, categorical cross-entropy), RMSProp, dropout 0.2 on layer 1.
    Blobs,
}

async fn configure(page: &Playground<'_>, setup: Setup) -> Result<()> {
    let b = page.browser();
    match setup {
        Setup::Default => {}
        Setup::Spiral => {
            b.click("dataset-spiral").await?;
            for feature in 2..7 {
                b.click(&format!("feature-{feature}")).await?;
            }
            b.set_range("noise", "10").await?;
            b.select("activation", "gelu").await?;
            b.select("optimizer", "adam").await?;
            b.select("regularization", "l2").await?;
            b.select("regularization-rate", "0.001").await?;
        }
        Setup::Blobs => {
            b.click("dataset-blobs").await?;
            b.select("optimizer", "rmsprop").await?;
            b.select("learning-rate", "0.003").await?;
            let dropout = r#"
                const el = document.querySelector('select[aria-label="Dropout of layer 1"]');
                el.value = "0.2";
                el.dispatchEvent(new Event("change", { bubbles: true }));
            "#;
            b.client().execute(dropout, vec![]).await?;
        }
    }
    // Every edit rebuilds the network with the same seed; let the last one land.
    tokio::time::sleep(Duration::from_millis(500)).await;
    Ok(())
}

/// Trains [`EPOCHS`] epochs of `setup` on `backend` with the step button; the losses shown.
async fn stepped_losses(backend: Backend, setup: Setup) -> Result<(f64, f64)> {
    let seen = RefCell::new((f64::NAN, f64::NAN));
    let name = format!("same_run_{setup:?}").to_lowercase();
    on_playground(&name, backend, async |page: &Playground<'_>| {
        configure(page, setup).await?;
        for epoch in 1..=EPOCHS {
            page.step().await?;
            let timeout = backend.step_timeout();
            wait_until(format_args!("epoch {epoch}"), timeout, POLL, async || {
                let e = page.epoch().await?;
                Ok(if e == epoch {
                    Probe::Ready(())
                } else {
                    Probe::NotYet(format!("epoch {e}"))
                })
            })
            .await?;
        }
        // The losses of the last epoch arrive with its observation.
        let losses = wait_until("the losses", backend.step_timeout(), POLL, async || {
            tokio::time::sleep(Duration::from_millis(300)).await;
            Ok(match (page.train_loss().await?, page.test_loss().await?) {
                (Some(train), Some(test)) => Probe::Ready((train, test)),
                other => Probe::NotYet(format!("{other:?}")),
            })
        })
        .await?;
        page.browser()
            .screenshot(&format!("{name}-{backend}"))
            .await?;
        *seen.borrow_mut() = losses;
        Ok(())
    })
    .await?;
    Ok(seen.into_inner())
}

async fn same_run(setup: Setup, others: &[Backend]) -> Result<()> {
    let cpu = stepped_losses(Backend::Cpu, setup).await?;
    for &backend in others {
        let other = stepped_losses(backend, setup).await?;
        eprintln!(
            "[e2e same run {setup:?}] cpu {cpu:?}, {backend} {other:?} after {EPOCHS} epochs"
        );
        // Shown with three decimals; float rounding differs a little between engines.
        let close = |a: f64, b: f64| (a - b).abs() <= 2e-3;
        check(close(cpu.0, other.0) && close(cpu.1, other.1), || {
            format!("{setup:?}: the CPU shows losses {cpu:?}, {backend} {other:?}")
        })?;
    }
    Ok(())
}

#[tokio::test]
#[ignore = "needs a built app and Chromium: run cargo xtask test"]
async fn the_default_network_trains_the_same_on_every_back_end() -> Result<()> {
    same_run(Setup::Default, &[Backend::WebGpu, Backend::Flex]).await
}

#[tokio::test]
#[ignore = "needs a built app and Chromium: run cargo xtask test"]
async fn gelu_adam_l2_on_the_spiral_trains_the_same_on_webgpu() -> Result<()> {
    same_run(Setup::Spiral, &[Backend::WebGpu]).await
}

#[tokio::test]
#[ignore = "needs a built app and Chromium: run cargo xtask test"]
async fn softmax_rmsprop_dropout_on_blobs_trains_the_same_on_webgpu() -> Result<()> {
    same_run(Setup::Blobs, &[Backend::WebGpu]).await
}
