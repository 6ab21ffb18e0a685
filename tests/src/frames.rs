//! Frame-rate and long-task measurement inside the page, as a user's browser sees it.

use std::time::Duration;

use serde::Deserialize;
use serde_json::json;

use crate::browser::Browser;
use crate::error::{HarnessError, Result};

/// What the page did during a measurement window.
#[derive(Debug, Clone, Copy, Deserialize)]
pub struct FrameStats {
    /// Animation frames per second.
    pub fps: f64,
    /// Long tasks (over 50 ms) reported by `PerformanceObserver`.
    pub long_tasks: u32,
    /// The longest of them, in ms (0 when none).
    pub longest_task_ms: f64,
}

/// Counts animation frames and long tasks for `window` (the page keeps running meanwhile).
const SCRIPT: &str = r#"
const [ms, done] = arguments;
let frames = 0, longTasks = 0, longest = 0;
const observer = new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) { longTasks += 1; longest = Math.max(longest, entry.duration); }
});
observer.observe({ type: "longtask" });
const start = performance.now();
function tick() {
  frames += 1;
  const elapsed = performance.now() - start;
  if (elapsed < ms) { requestAnimationFrame(tick); return; }
  observer.disconnect();
  done({ fps: frames * 1000 / elapsed, long_tasks: longTasks, longest_task_ms: longest });
}
requestAnimationFrame(tick);
"#;

impl Browser {
    /// Measures frames/s and long tasks over `window`.
    pub async fn frame_stats(&self, window: Duration) -> Result<FrameStats> {
        let value = self
            .client()
            .execute_async(SCRIPT, vec![json!(window.as_millis() as u64)])
            .await?;
        serde_json::from_value(value)
            .map_err(|e| HarnessError::Check(format!("frame stats did not parse: {e}")))
    }
}

/// Page interactions beyond clicks: selects, sliders, keys, canvas contents.
impl Browser {
    /// Number of elements whose `data-testid` starts with `prefix`.
    pub async fn count_testids(&self, prefix: &str) -> Result<usize> {
        let css = format!("[data-testid^=\"{prefix}\"]");
        Ok(self
            .client()
            .find_all(fantoccini::Locator::Css(&css))
            .await?
            .len())
    }

    /// Picks `value` in the `<select data-testid=testid>`, as a user would.
    pub async fn select(&self, testid: &str, value: &str) -> Result<()> {
        let css = format!("[data-testid=\"{testid}\"]");
        let element = self.client().find(fantoccini::Locator::Css(&css)).await?;
        element.select_by_value(value).await?;
        Ok(())
    }

    /// Moves the range input `testid` to `value` (fires `input` and `change` like a drag).
    pub async fn set_range(&self, testid: &str, value: &str) -> Result<()> {
        let script = r#"
            const [id, value] = arguments;
            const el = document.querySelector(`[data-testid="${id}"]`);
            el.value = value;
            el.dispatchEvent(new Event("input", { bubbles: true }));
            el.dispatchEvent(new Event("change", { bubbles: true }));
        "#;
        self.client()
            .execute(script, vec![json!(testid), json!(value)])
            .await?;
        Ok(())
    }

    /// Types `keys` into the page body (keyboard shortcuts).
    pub async fn press_keys(&self, keys: &str) -> Result<()> {
        let body = self.client().find(fantoccini::Locator::Css("body")).await?;
        body.send_keys(keys).await?;
        Ok(())
    }

    /// The pixels of canvas `testid` as a data URL (to tell whether a drawing changed).
    pub async fn canvas_pixels(&self, testid: &str) -> Result<String> {
        let script = r#"
            const el = document.querySelector(`[data-testid="${arguments[0]}"]`);
            return el.toDataURL();
        "#;
        let value = self.client().execute(script, vec![json!(testid)]).await?;
        Ok(value.as_str().unwrap_or_default().to_owned())
    }
}

/// Scripts and values the pages expose.
impl Browser {
    /// Runs `script` in the page (with `arguments`) and returns what it returns.
    pub async fn execute(
        &self,
        script: &str,
        args: Vec<serde_json::Value>,
    ) -> Result<serde_json::Value> {
        Ok(self.client().execute(script, args).await?)
    }

    /// The `value` property of the input `testid` (what a user sees in it).
    pub async fn value_of(&self, testid: &str) -> Result<String> {
        let script = r#"
            const el = document.querySelector(`[data-testid="${arguments[0]}"]`);
            return el ? el.value : null;
        "#;
        let value = self.execute(script, vec![json!(testid)]).await?;
        value
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| HarnessError::Check(format!("no input with data-testid {testid}")))
    }

    /// The number the element `testid` shows (a trailing `%` dropped), if it shows one.
    pub async fn number_of(&self, testid: &str) -> Option<f64> {
        let text = self.text_of(testid).await.ok()?;
        text.trim().trim_end_matches('%').trim().parse::<f64>().ok()
    }

    /// Whether the element `testid` exists and is displayed (takes room, not hidden).
    pub async fn is_shown(&self, testid: &str) -> Result<bool> {
        let script = r#"
            const el = document.querySelector(`[data-testid="${arguments[0]}"]`);
            if (!el) return false;
            const style = getComputedStyle(el);
            return style.display !== "none" && style.visibility !== "hidden" && el.getClientRects().length > 0;
        "#;
        let value = self.execute(script, vec![json!(testid)]).await?;
        Ok(value.as_bool().unwrap_or(false))
    }
}
