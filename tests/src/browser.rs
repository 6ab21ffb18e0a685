//! Headless Chromium driven through WebDriver, with helpers that read the page like a user.

use std::path::PathBuf;
use std::sync::Mutex;

use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::json;

use crate::console::{LogEntry, get_browser_log, is_error};
use crate::driver::{Driver, configured_path};
use crate::error::{HarnessError, Result, check};
use crate::locations::screenshot_dir;

/// Debian's Chromium, unless `EMBERLAB_CHROMIUM` names another.
const CHROMIUM: &str = "/usr/bin/chromium";
/// Flags verified on these machines (see shared/TOOLCHAIN.md): WebGPU through SwiftShader,
/// and no background traffic into the closed network; plus `--disable-dev-shm-usage` because
/// CI containers often have a 64 MB /dev/shm, too small for Chromium.
const CHROMIUM_FLAGS: [&str; 13] = [
    "--headless",
    "--no-sandbox",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--enable-unsafe-webgpu",
    "--enable-features=Vulkan",
    "--use-vulkan=swiftshader",
    "--use-webgpu-adapter=swiftshader",
    "--window-size=1280,800",
    "--disable-dev-shm-usage",
];

/// A Chromium session; call [`Browser::close`] at the end (drop also cleans up, less gently).
pub struct Browser {
    client: Client,
    /// Every console entry read so far (chromedriver hands each one out only once).
    console: Mutex<Vec<LogEntry>>,
    driver: Driver,
}

impl Browser {
    /// Starts chromedriver and a fresh headless Chromium with console logging on.
    pub async fn start() -> Result<Self> {
        Self::start_with(&[]).await
    }

    /// [`Browser::start`] with extra Chromium flags.
    pub async fn start_with(extra_flags: &[&str]) -> Result<Self> {
        let chromium = configured_path("EMBERLAB_CHROMIUM", CHROMIUM);
        if !chromium.is_file() {
            return Err(HarnessError::ProgramMissing {
                program: "Chromium",
                path: chromium,
                var: "EMBERLAB_CHROMIUM",
            });
        }
        let mut driver = Driver::start()?;
        let mut args: Vec<String> = CHROMIUM_FLAGS.iter().map(|&flag| flag.to_owned()).collect();
        args.push(format!("--user-data-dir={}", driver.profile().display()));
        args.extend(extra_flags.iter().map(|&flag| flag.to_owned()));
        // Extra flags for experiments, e.g. EMBERLAB_CHROMIUM_FLAGS="--disable-gpu".
        if let Ok(extra) = std::env::var("EMBERLAB_CHROMIUM_FLAGS") {
            args.extend(extra.split_whitespace().map(str::to_owned));
        }
        let mut capabilities = serde_json::Map::new();
        capabilities.insert("browserName".into(), json!("chrome"));
        // Downloads land in the profile's `downloads` folder without asking (see `downloads`).
        let downloads = driver.profile().join("downloads");
        capabilities.insert(
            "goog:chromeOptions".into(),
            json!({
                "binary": chromium,
                "args": args,
                "prefs": {
                    "download.default_directory": downloads,
                    "download.prompt_for_download": false,
                },
            }),
        );
        capabilities.insert("goog:loggingPrefs".into(), json!({ "browser": "ALL" }));
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities)
            .connect(&driver.url())
            .await?;
        driver.set_session(client.session_id().await?);
        Ok(Self {
            client,
            console: Mutex::new(Vec::new()),
            driver,
        })
    }

    /// This session's fresh Chromium profile folder.
    pub(crate) fn profile_dir(&self) -> &std::path::Path {
        self.driver.profile()
    }

    /// The WebDriver client, for anything the helpers do not cover.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Runs `source` in every document before its own scripts (e.g. to take an API away).
    pub async fn before_each_page(&self, source: &str) -> Result<()> {
        self.cdp(
            "Page.addScriptToEvaluateOnNewDocument",
            json!({ "source": source }),
        )
        .await?;
        Ok(())
    }

    /// Opens `url` and waits for the document to load.
    pub async fn goto(&self, url: &str) -> Result<()> {
        Ok(self.client.goto(url).await?)
    }

    /// The rendered text of the element with `data-testid="<testid>"`, trimmed.
    pub async fn text_of(&self, testid: &str) -> Result<String> {
        let element = self.client.find(Locator::Css(&by_testid(testid))).await?;
        Ok(element.text().await?.trim().to_owned())
    }

    /// An attribute of the element with `data-testid="<testid>"`, if it has one.
    pub async fn attribute_of(&self, testid: &str, name: &str) -> Result<Option<String>> {
        let element = self.client.find(Locator::Css(&by_testid(testid))).await?;
        Ok(element.attr(name).await?)
    }

    /// Clicks the element with `data-testid="<testid>"`.
    pub async fn click(&self, testid: &str) -> Result<()> {
        let element = self.client.find(Locator::Css(&by_testid(testid))).await?;
        element.click().await?;
        Ok(())
    }

    /// Saves a PNG of the viewport as `<target dir>/e2e-screenshots/<name>.png`.
    pub async fn screenshot(&self, name: &str) -> Result<PathBuf> {
        let png = self.client.screenshot().await?;
        let dir = screenshot_dir();
        std::fs::create_dir_all(&dir)
            .map_err(|err| HarnessError::io(format!("creating {}", dir.display()), err))?;
        let path = dir.join(format!("{}.png", name.trim_end_matches(".png")));
        std::fs::write(&path, png)
            .map_err(|err| HarnessError::io(format!("writing {}", path.display()), err))?;
        Ok(path)
    }

    /// Every console entry since the browser started.
    pub async fn console_log(&self) -> Result<Vec<LogEntry>> {
        let value = self.client.issue_cmd(get_browser_log()).await?;
        let new: Vec<LogEntry> = serde_json::from_value(value).map_err(|err| {
            HarnessError::io(
                "reading chromedriver's browser log",
                std::io::Error::other(err),
            )
        })?;
        let mut console = self
            .console
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        console.extend(new);
        Ok(console.clone())
    }

    /// The console entries that mean the page is broken (see [`is_error`]).
    pub async fn console_errors(&self) -> Result<Vec<LogEntry>> {
        let log = self.console_log().await?;
        Ok(log.into_iter().filter(is_error).collect())
    }

    /// Fails, listing them, if the console holds any errors (see [`is_error`]).
    pub async fn check_console(&self) -> Result<()> {
        let errors = self.console_errors().await?;
        check(errors.is_empty(), || {
            let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
            format!("console errors:\n  {}", lines.join("\n  "))
        })
    }

    /// Ends the session (Chromium quits) and stops chromedriver.
    pub async fn close(mut self) -> Result<()> {
        self.client.clone().close().await?;
        self.driver.set_session(None);
        Ok(())
    }
}

/// The CSS selector for `data-testid` (test ids are plain identifiers, no quoting needed).
fn by_testid(testid: &str) -> String {
    format!("[data-testid=\"{testid}\"]")
}
