//! The playground page as a test sees it: the `data-testid` contract with the app.
//!
//! - `?backend=webgpu|cpu` in the URL forces the training back end.
//! - `backend`: "WebGPU", "CPU" or "CPU, step by step" (burn Flex) once chosen (anything else before that);
//!   `backend-picker` (a select) moves training to another back end.
//! - `play` toggles play/pause; `step` trains one epoch; `reset` starts over at epoch 0.
//!   While training runs, `play` should carry `aria-pressed="true"` (else `"false"`); without
//!   the attribute the harness assumes the page starts paused and tracks its own clicks.
//! - `epoch`: an integer; `train-loss`, `test-loss`: numbers, or "–" before the first one.
//! - `output-canvas`: the decision surface (a canvas) with `output-points` (a canvas) on top.

use std::cell::Cell;
use std::time::Duration;

use crate::browser::Browser;
use crate::error::{HarnessError, Result, check};
use crate::locations::dist_dir;
use crate::site::Site;
use crate::wait::{Probe, wait_until};

/// How long the page may take to load the wasm and pick a back end.
pub const LOAD_TIMEOUT: Duration = Duration::from_secs(60);
/// How often the harness looks at the page while waiting.
pub const POLL: Duration = Duration::from_millis(100);

/// A training back end the page can be forced to use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// WebGPU; in CI that is SwiftShader, about 100x slower than the CPU back end.
    WebGpu,
    /// The fused CPU engine in wasm.
    Cpu,
    /// burn's Flex back end in wasm (the CPU engine before the fused one; for comparison).
    Flex,
}

impl Backend {
    /// The value of the `backend` URL parameter.
    pub fn query(self) -> &'static str {
        match self {
            Self::WebGpu => "webgpu",
            Self::Cpu => "cpu",
            Self::Flex => "flex",
        }
    }

    /// The text the `backend` element shows once this back end is in use.
    pub fn label(self) -> &'static str {
        match self {
            Self::WebGpu => "WebGPU",
            Self::Cpu => "CPU",
            Self::Flex => "CPU, step by step",
        }
    }

    /// Epochs a training run must reach within [`Backend::train_timeout`].
    pub fn min_epochs(self) -> u64 {
        match self {
            Self::WebGpu => 3,
            Self::Cpu | Self::Flex => 20,
        }
    }

    /// How long a training run may take to reach [`Backend::min_epochs`] and a lower loss.
    pub fn train_timeout(self) -> Duration {
        match self {
            Self::WebGpu => Duration::from_secs(120),
            Self::Cpu | Self::Flex => Duration::from_secs(60),
        }
    }

    /// How long one epoch may take, the first one included (shader compilation on WebGPU).
    pub fn step_timeout(self) -> Duration {
        match self {
            Self::WebGpu => Duration::from_secs(60),
            Self::Cpu | Self::Flex => Duration::from_secs(10),
        }
    }

    /// How long the epoch must stay put to count as paused (longer than one step).
    pub fn still_for(self) -> Duration {
        match self {
            Self::WebGpu => Duration::from_secs(3),
            Self::Cpu | Self::Flex => Duration::from_secs(1),
        }
    }
}

impl std::fmt::Display for Backend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.query())
    }
}

/// The playground page open in a browser, with one back end forced.
pub struct Playground<'a> {
    browser: &'a Browser,
    backend: Backend,
    /// Play state by our own clicks, for a page without `aria-pressed`.
    clicked_playing: Cell<bool>,
}

impl<'a> Playground<'a> {
    /// Opens `<site>/?backend=<backend>` and waits until the page shows that back end.
    pub async fn open(browser: &'a Browser, site: &Site, backend: Backend) -> Result<Self> {
        Self::open_at(browser, site, backend, "").await
    }

    /// Opens `<site>/?backend=<backend>#<hash>` (a share link) and waits until the page shows
    /// that back end.
    pub async fn open_at(
        browser: &'a Browser,
        site: &Site,
        backend: Backend,
        hash: &str,
    ) -> Result<Self> {
        let hash = if hash.is_empty() {
            String::new()
        } else {
            format!("#{}", hash.trim_start_matches('#'))
        };
        browser
            .goto(&format!(
                "{}/?backend={}{hash}",
                site.url(),
                backend.query()
            ))
            .await?;
        let shown = wait_until(
            format_args!("the backend label to show {}", backend.label()),
            LOAD_TIMEOUT,
            POLL,
            async || {
                let text = browser.text_of("backend").await.unwrap_or_default();
                Ok(match text.as_str() {
                    "WebGPU" | "CPU" | "CPU, step by step" => Probe::Ready(text),
                    _ => Probe::NotYet(format!("{text:?}")),
                })
            },
        )
        .await?;
        check(shown == backend.label(), || {
            format!("asked for ?backend={backend}, but the page trains on {shown}")
        })?;
        Ok(Self {
            browser,
            backend,
            clicked_playing: Cell::new(false),
        })
    }

    /// The browser showing the page.
    pub fn browser(&self) -> &'a Browser {
        self.browser
    }

    /// The back end the page was opened with.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The epoch counter.
    pub async fn epoch(&self) -> Result<u64> {
        let text = self.browser.text_of("epoch").await?;
        let digits: String = text.chars().filter(|c| !matches!(c, ',' | ' ')).collect();
        digits
            .parse()
            .map_err(|_| HarnessError::Check(format!("epoch shows {text:?}, not an integer")))
    }

    /// The train and test losses at full precision (`data-value`), `None` before the first
    /// measurement.
    pub async fn exact_losses(&self) -> Result<Option<(f64, f64)>> {
        let read = async |testid: &str| -> Result<Option<f64>> {
            let value = self.browser.attribute_of(testid, "data-value").await?;
            Ok(value.and_then(|v| v.parse().ok()))
        };
        Ok(
            match (read("train-loss").await?, read("test-loss").await?) {
                (Some(a), Some(b)) => Some((a, b)),
                _ => None,
            },
        )
    }

    /// The train loss, `None` before the first measurement.
    pub async fn train_loss(&self) -> Result<Option<f64>> {
        self.loss("train-loss").await
    }

    /// The test loss, `None` before the first measurement.
    pub async fn test_loss(&self) -> Result<Option<f64>> {
        self.loss("test-loss").await
    }

    async fn loss(&self, testid: &str) -> Result<Option<f64>> {
        let text = self.browser.text_of(testid).await?;
        parse_loss(&text)
            .map_err(|()| HarnessError::Check(format!("{testid} shows {text:?}, not a number")))
    }

    /// Whether training runs, from `aria-pressed` on `play` (or from our own clicks).
    pub async fn playing(&self) -> Result<bool> {
        let pressed = self.browser.attribute_of("play", "aria-pressed").await?;
        Ok(match pressed.as_deref() {
            Some("true") => true,
            Some(_) => false,
            None => self.clicked_playing.get(),
        })
    }

    /// Starts training (clicks `play` unless it already runs).
    pub async fn play(&self) -> Result<()> {
        self.set_playing(true).await
    }

    /// Pauses training (clicks `play` unless it is already paused).
    pub async fn pause(&self) -> Result<()> {
        self.set_playing(false).await
    }

    async fn set_playing(&self, playing: bool) -> Result<()> {
        if self.playing().await? != playing {
            self.browser.click("play").await?;
            self.clicked_playing.set(playing);
        }
        Ok(())
    }

    /// Clicks `step`.
    pub async fn step(&self) -> Result<()> {
        self.browser.click("step").await
    }

    /// Clicks `reset`.
    pub async fn reset(&self) -> Result<()> {
        self.browser.click("reset").await
    }

    /// Waits until the epoch counter has not moved for [`Backend::still_for`]; returns it.
    pub async fn settled_epoch(&self, timeout: Duration) -> Result<u64> {
        let mut last: Option<(u64, tokio::time::Instant)> = None;
        wait_until("the epoch to stop changing", timeout, POLL, async || {
            let epoch = self.epoch().await?;
            let now = tokio::time::Instant::now();
            match last {
                Some((seen, since)) if seen == epoch => {
                    if now - since >= self.backend.still_for() {
                        return Ok(Probe::Ready(epoch));
                    }
                }
                _ => last = Some((epoch, now)),
            }
            Ok(Probe::NotYet(format!("epoch {epoch}")))
        })
        .await
    }
}

/// "0.482" → `Some(0.482)`; "–", "-" or "" → `None`; anything else is an error.
fn parse_loss(text: &str) -> Result<Option<f64>, ()> {
    match text.trim() {
        "" | "–" | "-" | "—" | "…" => Ok(None),
        number => number.parse().map(Some).map_err(|_| ()),
    }
}

/// Serves `EMBERLAB_DIST`, starts a fresh Chromium (with `flags`), runs `body` with the
/// browser and the site, then checks the console for errors; on failure it saves
/// `fail-<test>.png` and adds the console log to the error.
pub async fn on_browser(
    test: &str,
    flags: &[&str],
    body: impl AsyncFn(&Browser, &Site) -> Result<()>,
) -> Result<()> {
    let site = Site::serve(&dist_dir()?)?;
    let browser = Browser::start_with(flags).await?;
    let outcome = async {
        body(&browser, &site).await?;
        browser.check_console().await
    }
    .await;
    let result = match outcome {
        Ok(()) => Ok(()),
        Err(err) => {
            let shot = browser
                .screenshot(&format!("fail-{test}"))
                .await
                .map_or_else(|e| format!("none ({e})"), |p| p.display().to_string());
            let log = browser.console_log().await.unwrap_or_default();
            let lines: Vec<String> = log.iter().map(ToString::to_string).collect();
            Err(HarnessError::Check(format!(
                "{test}: {err}\nscreenshot: {shot}\nconsole log:\n  {}",
                lines.join("\n  ")
            )))
        }
    };
    let closed = browser.close().await;
    result.and(closed)
}

/// Serves `EMBERLAB_DIST`, opens the playground on `backend` in a fresh Chromium, runs `body`,
/// then checks the console for errors. On failure it saves `fail-<test>-<backend>.png` and
/// adds the console log to the error.
pub async fn on_playground(
    test: &str,
    backend: Backend,
    body: impl AsyncFn(&Playground<'_>) -> Result<()>,
) -> Result<()> {
    // chromedriver was once seen gone mid-test on a loaded 2-core machine; such a harness
    // failure (never an assertion) gets one fresh browser and a second try.
    match on_playground_once(test, backend, &body).await {
        Err(err) if err.to_string().contains("could not be reached") => {
            eprintln!("[e2e {test} {backend}] chromedriver unreachable ({err}); retrying once");
            on_playground_once(test, backend, &body).await
        }
        other => other,
    }
}

async fn on_playground_once(
    test: &str,
    backend: Backend,
    body: &impl AsyncFn(&Playground<'_>) -> Result<()>,
) -> Result<()> {
    let site = Site::serve(&dist_dir()?)?;
    let browser = Browser::start().await?;
    let outcome = async {
        let page = Playground::open(&browser, &site, backend).await?;
        body(&page).await?;
        browser.check_console().await
    }
    .await;
    let result = match outcome {
        Ok(()) => Ok(()),
        Err(err) => {
            let shot = browser
                .screenshot(&format!("fail-{test}-{backend}"))
                .await
                .map_or_else(|e| format!("none ({e})"), |p| p.display().to_string());
            let log = browser.console_log().await.unwrap_or_default();
            let lines: Vec<String> = log.iter().map(ToString::to_string).collect();
            Err(HarnessError::Check(format!(
                "{test} on {backend}: {err}\nscreenshot: {shot}\nconsole log:\n  {}",
                lines.join("\n  ")
            )))
        }
    };
    let closed = browser.close().await;
    result.and(closed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn losses_parse_or_read_as_not_yet_measured() {
        assert_eq!(parse_loss("0.482"), Ok(Some(0.482)));
        assert_eq!(parse_loss(" 1.5e-3 "), Ok(Some(0.0015)));
        assert_eq!(parse_loss("–"), Ok(None));
        assert_eq!(parse_loss("loss?"), Err(()));
    }
}
