//! Harness for Emberlab's browser tests: serves the trunk-built app from `EMBERLAB_DIST`,
//! drives headless Chromium through Debian's chromedriver, and reads what a user would see.
//!
//! The tests themselves live in `tests/playground.rs` and are `#[ignore]`d: run them with
//! `cargo xtask test` or `cargo xtask e2e`, which build the app and set `EMBERLAB_DIST`.

mod browser;
mod cdp;
mod console;
mod driver;
mod error;
mod files;
mod frames;
mod locations;
mod playground;
mod site;
mod wait;

pub use browser::Browser;
pub use console::{LogEntry, is_error};
pub use error::{HarnessError, Result, check};
pub use files::{temp_file, write_report};
pub use frames::FrameStats;
pub use locations::{dist_dir, repo_root, screenshot_dir};
pub use playground::{Backend, LOAD_TIMEOUT, POLL, Playground, on_browser, on_playground};
pub use site::Site;
pub use wait::{Probe, wait_until};
