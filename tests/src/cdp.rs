//! Chrome DevTools Protocol commands through chromedriver (`goog/cdp/execute`), e.g. the
//! JavaScript profiler the benchmark uses to find where frame time goes.

use serde_json::{Value, json};

use crate::browser::Browser;
use crate::console::SessionPost;
use crate::error::Result;

impl Browser {
    /// Runs one DevTools command and returns its result.
    pub async fn cdp(&self, cmd: &str, params: Value) -> Result<Value> {
        let body = json!({ "cmd": cmd, "params": params }).to_string();
        Ok(self
            .client()
            .issue_cmd(SessionPost {
                path: "goog/cdp/execute",
                body,
            })
            .await?)
    }

    /// Samples the page's JavaScript and wasm for `window` and returns the functions with the
    /// most self time: `(name, ms)`, largest first.
    pub async fn profile(
        &self,
        window: std::time::Duration,
        top: usize,
    ) -> Result<Vec<(String, f64)>> {
        self.cdp("Profiler.enable", json!({})).await?;
        self.cdp("Profiler.setSamplingInterval", json!({ "interval": 200 }))
            .await?;
        self.cdp("Profiler.start", json!({})).await?;
        tokio::time::sleep(window).await;
        let result = self.cdp("Profiler.stop", json!({})).await?;
        let profile = &result["profile"];
        let interval_ms = {
            let start = profile["startTime"].as_f64().unwrap_or(0.0);
            let end = profile["endTime"].as_f64().unwrap_or(0.0);
            let samples = profile["samples"].as_array().map_or(1, Vec::len).max(1);
            (end - start) / 1000.0 / samples as f64
        };
        let mut by_name: std::collections::HashMap<String, f64> = std::collections::HashMap::new();
        for node in profile["nodes"].as_array().into_iter().flatten() {
            let frame = &node["callFrame"];
            let name = format!(
                "{} ({}:{})",
                frame["functionName"].as_str().unwrap_or("?"),
                frame["url"]
                    .as_str()
                    .unwrap_or("")
                    .rsplit('/')
                    .next()
                    .unwrap_or(""),
                frame["lineNumber"]
            );
            *by_name.entry(name).or_default() +=
                node["hitCount"].as_f64().unwrap_or(0.0) * interval_ms;
        }
        let mut ranked: Vec<(String, f64)> = by_name.into_iter().collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
        ranked.truncate(top);
        Ok(ranked)
    }
}
