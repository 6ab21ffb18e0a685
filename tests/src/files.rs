//! Files through the page, as a user moves them: downloads it makes and files picked in its
//! `<input type=file>` elements.

use std::path::{Path, PathBuf};
use std::time::Duration;

use fantoccini::Locator;
use serde_json::json;

use crate::browser::Browser;
use crate::error::{HarnessError, Result};
use crate::wait::{Probe, wait_until};

/// How often a download is looked for.
const POLL: Duration = Duration::from_millis(100);

impl Browser {
    /// The folder the page's downloads land in (created; downloads allowed without asking).
    pub async fn downloads(&self) -> Result<PathBuf> {
        let dir = self.profile_dir().join("downloads");
        std::fs::create_dir_all(&dir)
            .map_err(|e| HarnessError::io("creating the downloads folder", e))?;
        // chromedriver applies the download preference itself in headless mode; this also
        // allows it where it does not (an error here only means the browser knows already).
        let _ = self
            .cdp(
                "Browser.setDownloadBehavior",
                json!({ "behavior": "allow", "downloadPath": dir }),
            )
            .await;
        Ok(dir)
    }

    /// Waits until the page has downloaded `name` (complete, not a partial file) and returns
    /// its bytes; the file is then removed, so the next download of that name is fresh.
    pub async fn downloaded(&self, name: &str, timeout: Duration) -> Result<Vec<u8>> {
        let path = self.downloads().await?.join(name);
        let bytes = wait_until(
            format_args!("the download {name}"),
            timeout,
            POLL,
            async || {
                Ok(match std::fs::read(&path) {
                    Ok(bytes) if !bytes.is_empty() => Probe::Ready(bytes),
                    _ => Probe::NotYet("not there yet".into()),
                })
            },
        )
        .await?;
        let _ = std::fs::remove_file(&path);
        Ok(bytes)
    }

    /// Picks `file` in the `<input type=file>` with `data-testid="<testid>"`.
    pub async fn pick_file(&self, testid: &str, file: &Path) -> Result<()> {
        let input = self
            .client()
            .find(Locator::Css(&format!("[data-testid=\"{testid}\"]")))
            .await?;
        input.send_keys(&file.display().to_string()).await?;
        Ok(())
    }
}

/// Writes `bytes` to a fresh file `name` in this process's temp folder (for picking in a page).
pub fn temp_file(name: &str, bytes: &[u8]) -> Result<PathBuf> {
    let dir = std::env::temp_dir().join(format!("emberlab-e2e-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| HarnessError::io("creating a temp folder", e))?;
    let path = dir.join(name);
    std::fs::write(&path, bytes).map_err(|e| HarnessError::io("writing a temp file", e))?;
    Ok(path)
}

/// Writes a bench report as pretty JSON to `<target>/bench/<name>` and returns its path.
pub fn write_report(name: &str, report: &serde_json::Value) -> Result<PathBuf> {
    let dir = crate::locations::screenshot_dir()
        .parent()
        .map(|p| p.join("bench"))
        .unwrap_or_else(|| "target/bench".into());
    std::fs::create_dir_all(&dir).map_err(|e| HarnessError::io("creating the bench folder", e))?;
    let path = dir.join(name);
    std::fs::write(
        &path,
        serde_json::to_string_pretty(report).unwrap_or_default(),
    )
    .map_err(|e| HarnessError::io("writing the report", e))?;
    Ok(path)
}
