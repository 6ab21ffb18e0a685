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
