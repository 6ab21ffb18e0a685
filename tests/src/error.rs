//! What can go wrong while driving the browser, worded so the fix is clear.

use std::path::PathBuf;
use std::time::Duration;

/// An error from the e2e harness or a failed check in a browser test.
#[derive(thiserror::Error)]
pub enum HarnessError {
    /// The tests were started without a built app.
    #[error("run `cargo xtask test` (or `cargo xtask e2e`): EMBERLAB_DIST is not set")]
    DistNotSet,
    /// EMBERLAB_DIST points somewhere without an index.html.
    #[error("EMBERLAB_DIST={} has no index.html: build the app with `trunk build --release`", .0.display())]
    DistMissing(PathBuf),
    /// A program the harness needs is not installed.
    #[error("{program} not found at {path}: `apt-get install -y chromium chromium-driver` (or set {var})", path = .path.display())]
    ProgramMissing {
        /// What the program is.
        program: &'static str,
        /// Where it was looked for.
        path: PathBuf,
        /// The environment variable that overrides the path.
        var: &'static str,
    },
    /// chromedriver started but never accepted connections.
    #[error("chromedriver did not listen on port {port} within {after:?}")]
    DriverNotReady {
        /// The port it was told to use.
        port: u16,
        /// How long the harness waited.
        after: Duration,
    },
    /// chromedriver could not start a Chromium session.
    #[error("could not start a Chromium session: {0}")]
    Session(#[from] fantoccini::error::NewSessionError),
    /// A WebDriver command failed.
    #[error("WebDriver command failed: {0}")]
    Command(#[from] fantoccini::error::CmdError),
    /// A file or socket operation failed.
    #[error("{what}: {source}")]
    Io {
        /// What the harness was doing.
        what: String,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A condition did not become true in time.
    #[error("timed out after {after:?} waiting for {what}")]
    Timeout {
        /// The condition, with the last values seen.
        what: String,
        /// How long the harness waited.
        after: Duration,
    },
    /// The page did not behave as a user would expect.
    #[error("{0}")]
    Check(String),
}

// Test failures print the Debug form: make it the readable message.
impl std::fmt::Debug for HarnessError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(self, f)
    }
}

impl HarnessError {
    /// An I/O error with a note on what the harness was doing.
    pub fn io(what: impl Into<String>, source: std::io::Error) -> Self {
        Self::Io {
            what: what.into(),
            source,
        }
    }
}

/// The harness's result type.
pub type Result<T, E = HarnessError> = std::result::Result<T, E>;

/// Fails a browser test with `message` unless `condition` holds.
pub fn check(condition: bool, message: impl FnOnce() -> String) -> Result<()> {
    if condition {
        Ok(())
    } else {
        Err(HarnessError::Check(message()))
    }
}
