//! Where things are: the repo, the built app, the screenshots.

use std::path::{Path, PathBuf};

use crate::error::{HarnessError, Result};

/// The workspace root (the parent of this crate).
pub fn repo_root() -> PathBuf {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    crate_dir.parent().unwrap_or(crate_dir).to_path_buf()
}

/// The trunk output named by `EMBERLAB_DIST` (relative paths are taken from the repo root).
pub fn dist_dir() -> Result<PathBuf> {
    let dist = std::env::var_os("EMBERLAB_DIST")
        .filter(|value| !value.is_empty())
        .ok_or(HarnessError::DistNotSet)?;
    let dist = repo_root().join(dist);
    if !dist.join("index.html").is_file() {
        return Err(HarnessError::DistMissing(dist));
    }
    Ok(dist)
}

/// `<target dir>/e2e-screenshots`, where the target dir is `CARGO_TARGET_DIR` or `<repo>/target`.
pub fn screenshot_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .filter(|value| !value.is_empty())
        .map_or_else(|| repo_root().join("target"), |dir| repo_root().join(dir));
    target.join("e2e-screenshots")
}
