//! A static file server for the built app on 127.0.0.1, in a background thread.

use std::fs::File;
use std::net::TcpListener;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::thread::JoinHandle;

use tiny_http::{Header, Request, Response, Server};

use crate::error::{HarnessError, Result};

/// The app served from a directory; stops when dropped.
pub struct Site {
    url: String,
    server: Arc<Server>,
    thread: Option<JoinHandle<()>>,
}

impl Site {
    /// Serves `root` (a trunk `dist/`) on a free port of 127.0.0.1.
    pub fn serve(root: &Path) -> Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0")
            .map_err(|err| HarnessError::io("binding the static file server", err))?;
        let address = listener
            .local_addr()
            .map_err(|err| HarnessError::io("reading the file server's address", err))?;
        let server = Server::from_listener(listener, None).map_err(|err| {
            HarnessError::io(
                "starting the static file server",
                std::io::Error::other(err),
            )
        })?;
        let server = Arc::new(server);
        let root = root.to_path_buf();
        let thread = {
            let server = Arc::clone(&server);
            std::thread::spawn(move || {
                for request in server.incoming_requests() {
                    respond(&root, request);
                }
            })
        };
        Ok(Self {
            url: format!("http://{address}"),
            server,
            thread: Some(thread),
        })
    }

    /// The base URL, like `http://127.0.0.1:41234` (no trailing slash).
    pub fn url(&self) -> &str {
        &self.url
    }
}

impl Drop for Site {
    fn drop(&mut self) {
        self.server.unblock();
        if let Some(thread) = self.thread.take() {
            // A panic in the server thread has already been reported on stderr.
            let _ = thread.join();
        }
    }
}

fn respond(root: &Path, request: Request) {
    let file = file_for(root, request.url()).and_then(|path| {
        let file = File::open(&path).ok()?;
        Some((file, mime_type(&path)))
    });
    // The browser may have gone away mid-response; nothing to do about it here.
    let _ = match file {
        Some((file, mime)) => {
            let response = Response::from_file(file)
                .with_header(header("Content-Type", mime))
                .with_header(header("Cache-Control", "no-store"));
            request.respond(response)
        }
        None => request.respond(Response::from_string("not found").with_status_code(404)),
    };
}

/// The file a URL path names inside `root`; `None` for anything outside it or missing.
fn file_for(root: &Path, url: &str) -> Option<PathBuf> {
    let path = url.split(['?', '#']).next().unwrap_or_default();
    let relative = Path::new(path.trim_start_matches('/'));
    if !relative
        .components()
        .all(|part| matches!(part, Component::Normal(_)))
    {
        return None;
    }
    let mut file = root.join(relative);
    if file.is_dir() {
        file.push("index.html");
    }
    file.is_file().then_some(file)
}

/// The Content-Type for a file, by extension (browsers insist on `application/wasm`).
fn mime_type(path: &Path) -> &'static str {
    let extension = path.extension().and_then(|ext| ext.to_str()).unwrap_or("");
    match extension.to_ascii_lowercase().as_str() {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        "json" | "map" => "application/json",
        "png" => "image/png",
        "svg" => "image/svg+xml",
        "ico" => "image/x-icon",
        "txt" | "csv" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

fn header(name: &str, value: &str) -> Header {
    // Both parts are ASCII constants, which tiny_http always accepts.
    #[allow(clippy::expect_used)]
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("ASCII header")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wasm_and_js_get_the_types_browsers_require() {
        assert_eq!(mime_type(Path::new("app_bg.wasm")), "application/wasm");
        assert!(mime_type(Path::new("app.js")).starts_with("text/javascript"));
        assert!(mime_type(Path::new("index.HTML")).starts_with("text/html"));
        assert_eq!(mime_type(Path::new("logo.svg")), "image/svg+xml");
    }

    #[test]
    fn paths_cannot_leave_the_root() {
        let root = std::env::temp_dir();
        assert_eq!(file_for(&root, "/../etc/passwd"), None);
        assert_eq!(file_for(&root, "/a/../../etc/passwd?x=1"), None);
    }
}
