//! The browser's console log, read through chromedriver's log endpoint.
//!
//! W3C WebDriver has no console API; chromedriver keeps Selenium's `POST /session/{id}/se/log`
//! with `{"type": "browser"}` (needs `goog:loggingPrefs: {"browser": "ALL"}` at session start).
//! Each call returns the entries logged since the previous call.

use serde::Deserialize;

/// One console message, as chromedriver reports it.
#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct LogEntry {
    /// `SEVERE` (console.error, uncaught exceptions, failed loads), `WARNING`, `INFO`, `DEBUG`.
    pub level: String,
    /// The text, prefixed by chromedriver with the source URL and line.
    pub message: String,
    /// Where it came from: `console-api`, `javascript`, `network`, `rendering`...
    #[serde(default)]
    pub source: Option<String>,
}

impl std::fmt::Display for LogEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "[{}] {}", self.level, self.message)
    }
}

/// Text that marks a failure even below level SEVERE: Rust panics, rejected WGSL, invalid GPU
/// objects (Chromium reports WebGPU validation errors as warnings), lost devices.
const FAILURE_MARKERS: [&str; 8] = [
    "panicked",
    "validation error",
    "error while parsing wgsl",
    "wgsl reader failure",
    "[invalid ",
    "device was lost",
    "device lost",
    "too many warnings",
];

/// Whether an entry means the page is broken: any SEVERE entry, or a failure marker.
pub fn is_error(entry: &LogEntry) -> bool {
    if entry.level.eq_ignore_ascii_case("SEVERE") {
        return true;
    }
    let message = entry.message.to_lowercase();
    let webgpu_error =
        message.contains("webgpu") && (message.contains("error") || message.contains("invalid"));
    webgpu_error
        || FAILURE_MARKERS
            .iter()
            .any(|marker| message.contains(marker))
}

/// chromedriver's `POST /session/{id}/se/log` for the browser log.
pub(crate) fn get_browser_log() -> SessionPost {
    SessionPost {
        path: "se/log",
        body: r#"{"type":"browser"}"#.to_owned(),
    }
}

/// A `POST /session/{id}/<path>` to chromedriver's vendor endpoints (browser log, DevTools).
#[derive(Debug)]
pub(crate) struct SessionPost {
    pub(crate) path: &'static str,
    pub(crate) body: String,
}

impl fantoccini::wd::WebDriverCompatibleCommand for SessionPost {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        let session = session_id.unwrap_or_default();
        base_url.join(&format!("session/{session}/{}", self.path))
    }

    fn method_and_body(&self, _request_url: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(self.body.clone()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(level: &str, message: &str) -> LogEntry {
        LogEntry {
            level: level.to_owned(),
            message: message.to_owned(),
            source: None,
        }
    }

    #[test]
    fn severe_entries_and_gpu_failures_are_errors() {
        assert!(is_error(&entry("SEVERE", "http://x/ 3:1 boom")));
        assert!(is_error(&entry(
            "WARNING",
            "[Invalid ShaderModule \"matmul\"] is invalid."
        )));
        assert!(is_error(&entry(
            "WARNING",
            "Error while parsing WGSL: :1:8 error: enable subgroups"
        )));
        assert!(is_error(&entry("INFO", "panicked at src/lib.rs:3:5")));
        assert!(is_error(&entry("WARNING", "WebGPU: Validation Error")));
    }

    #[test]
    fn ordinary_messages_are_not_errors() {
        assert!(!is_error(&entry("INFO", "backend: WebGPU (swiftshader)")));
        assert!(!is_error(&entry("WARNING", "a slow frame")));
    }

    #[test]
    fn parses_chromedriver_entries() -> Result<(), serde_json::Error> {
        let json = r#"[{"level":"SEVERE","message":"http://127.0.0.1:1/ 10:9 \"boom\"",
                        "source":"console-api","timestamp":1700000000000}]"#;
        let entries: Vec<LogEntry> = serde_json::from_str(json)?;
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0].source.as_deref(), Some("console-api"));
        Ok(())
    }
}
