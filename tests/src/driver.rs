//! The chromedriver process and Chromium's profile directory, cleaned up on drop (even on panic).

use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crate::error::{HarnessError, Result};

/// Debian's chromedriver, unless `EMBERLAB_CHROMEDRIVER` names another.
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// How long chromedriver may take to listen.
const READY_TIMEOUT: Duration = Duration::from_secs(15);
/// How long ending the session (and so Chromium) may take on drop.
const QUIT_TIMEOUT: Duration = Duration::from_secs(10);

/// A running chromedriver on 127.0.0.1, plus a fresh Chromium profile directory.
pub(crate) struct Driver {
    child: Child,
    port: u16,
    profile: PathBuf,
    session: Option<String>,
}

impl Driver {
    /// Starts chromedriver on a free port and waits until it accepts connections.
    pub fn start() -> Result<Self> {
        let program = configured_path("EMBERLAB_CHROMEDRIVER", CHROMEDRIVER);
        if !program.is_file() {
            return Err(HarnessError::ProgramMissing {
                program: "chromedriver",
                path: program,
                var: "EMBERLAB_CHROMEDRIVER",
            });
        }
        let profile = fresh_profile_dir()?;
        let port = free_port()?;
        let child = Command::new(&program)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .spawn()
            .map_err(|err| {
                let _ = std::fs::remove_dir_all(&profile);
                HarnessError::io(format!("starting {}", program.display()), err)
            })?;
        // From here on, Drop ends the process and removes the profile.
        let mut driver = Self {
            child,
            port,
            profile,
            session: None,
        };
        driver.wait_until_listening()?;
        Ok(driver)
    }

    /// The WebDriver URL, like `http://127.0.0.1:9515`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// A fresh, empty directory for Chromium's `--user-data-dir`.
    pub fn profile(&self) -> &Path {
        &self.profile
    }

    /// Remembers the WebDriver session so that drop can end it (`None` once closed).
    pub fn set_session(&mut self, session: Option<String>) {
        self.session = session;
    }

    fn wait_until_listening(&mut self) -> Result<()> {
        let address = SocketAddr::from((Ipv4Addr::LOCALHOST, self.port));
        let started = Instant::now();
        while started.elapsed() < READY_TIMEOUT {
            if TcpStream::connect_timeout(&address, Duration::from_millis(200)).is_ok() {
                return Ok(());
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                let err = std::io::Error::other(format!("exited early ({status})"));
                return Err(HarnessError::io("starting chromedriver", err));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Err(HarnessError::DriverNotReady {
            port: self.port,
            after: READY_TIMEOUT,
        })
    }

    /// Ends the session with a blocking `DELETE /session/{id}`, which makes chromedriver quit
    /// Chromium; async clean-up cannot run here, the test's runtime may be gone.
    fn quit_session(&self, session: &str) -> std::io::Result<()> {
        let address = SocketAddr::from((Ipv4Addr::LOCALHOST, self.port));
        let mut stream = TcpStream::connect_timeout(&address, QUIT_TIMEOUT)?;
        stream.set_read_timeout(Some(QUIT_TIMEOUT))?;
        stream.set_write_timeout(Some(QUIT_TIMEOUT))?;
        write!(
            stream,
            "DELETE /session/{session} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n\
             Content-Length: 0\r\nConnection: close\r\n\r\n",
            self.port
        )?;
        // The reply comes once Chromium has quit; chromedriver may keep the connection open,
        // so read the status line rather than to the end.
        let mut reply = [0; 64];
        let read = stream.read(&mut reply)?;
        let reply = String::from_utf8_lossy(&reply[..read]);
        if reply.starts_with("HTTP/1.1 200") {
            Ok(())
        } else {
            Err(std::io::Error::other(format!(
                "chromedriver replied {reply:?}"
            )))
        }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        if let Some(session) = self.session.take()
            && let Err(err) = self.quit_session(&session)
        {
            eprintln!("e2e: could not end the Chromium session {session}: {err}");
        }
        // Only our own child, by PID; it may already have exited.
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

/// The path in `var` when set (xtask checks the same variables), else `default`.
pub(crate) fn configured_path(var: &str, default: &str) -> PathBuf {
    std::env::var_os(var).map_or_else(|| PathBuf::from(default), PathBuf::from)
}

/// A port that was free a moment ago (chromedriver cannot be handed a bound socket).
fn free_port() -> Result<u16> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .map_err(|err| HarnessError::io("finding a free port", err))?;
    let address = listener
        .local_addr()
        .map_err(|err| HarnessError::io("finding a free port", err))?;
    Ok(address.port())
}

fn fresh_profile_dir() -> Result<PathBuf> {
    static COUNT: AtomicUsize = AtomicUsize::new(0);
    let name = format!(
        "emberlab-e2e-{}-{}",
        std::process::id(),
        COUNT.fetch_add(1, Ordering::Relaxed)
    );
    let dir = std::env::temp_dir().join(name);
    // A leftover from a killed run with the same PID would not be fresh.
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)
        .map_err(|err| HarnessError::io(format!("creating {}", dir.display()), err))?;
    Ok(dir)
}
