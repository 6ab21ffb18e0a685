//! Tools the web build and the browser tests need, installed when missing.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail, ensure};

use crate::process::{cargo, command, run, stdout_of};

/// The target the app (and the core, for the wasm check) compiles to.
pub const WASM_TARGET: &str = "wasm32-unknown-unknown";
/// trunk 0.22 needs a newer rustc than the pinned 1.95.
const TRUNK_VERSION_REQ: &str = "^0.21";
const TRUNK_SERIES: &str = "0.21.";
/// Used when Cargo.lock has no wasm-bindgen yet; otherwise the CLI must match the lock.
const DEFAULT_WASM_BINDGEN: &str = "0.2.130";
/// Debian's Chromium and its matching driver (the harness uses the same paths).
const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const BROWSER_PACKAGES: [&str; 2] = ["chromium", "chromium-driver"];

/// Everything `trunk build` needs: the wasm target, trunk, the wasm-bindgen CLI, npm packages.
pub fn web_tools(root: &Path) -> Result<()> {
    wasm_target(root)?;
    trunk(root)?;
    wasm_bindgen(root)?;
    npm_packages(root)
}

/// Adds the wasm32 target to the pinned toolchain when it is missing.
pub fn wasm_target(root: &Path) -> Result<()> {
    let installed = stdout_of(command("rustup", root).args(["target", "list", "--installed"]))
        .context(
            "`rustup` is needed to add the wasm32 target; install it from https://rustup.rs",
        )?;
    if installed.lines().any(|line| line.trim() == WASM_TARGET) {
        return Ok(());
    }
    run(command("rustup", root).args(["target", "add", WASM_TARGET]))
}

fn trunk(root: &Path) -> Result<()> {
    let version = tool_version("trunk", root);
    if version
        .as_deref()
        .is_some_and(|v| v.starts_with(TRUNK_SERIES))
    {
        return Ok(());
    }
    eprintln!(
        "trunk {TRUNK_VERSION_REQ} needed, found {}: installing",
        version.as_deref().unwrap_or("none")
    );
    run(cargo(root).args([
        "install",
        "trunk",
        "--version",
        TRUNK_VERSION_REQ,
        "--locked",
    ]))?;
    let version = tool_version("trunk", root);
    ensure!(
        version
            .as_deref()
            .is_some_and(|v| v.starts_with(TRUNK_SERIES)),
        "installed trunk {TRUNK_VERSION_REQ}, but `trunk --version` on PATH still says {version:?}: \
         put ~/.cargo/bin first on PATH"
    );
    Ok(())
}

/// trunk cannot download wasm-bindgen here, and the CLI must match the library exactly.
fn wasm_bindgen(root: &Path) -> Result<()> {
    let wanted =
        locked_version(root, "wasm-bindgen")?.unwrap_or_else(|| DEFAULT_WASM_BINDGEN.to_owned());
    let found = tool_version("wasm-bindgen", root);
    if found.as_deref() == Some(wanted.as_str()) {
        return Ok(());
    }
    eprintln!(
        "wasm-bindgen CLI {wanted} needed, found {}: installing",
        found.as_deref().unwrap_or("none")
    );
    // Not `--locked`: its lock file pins a webpki-roots that fails to build.
    run(cargo(root).args(["install", "wasm-bindgen-cli", "--version", &wanted]))?;
    let found = tool_version("wasm-bindgen", root);
    ensure!(
        found.as_deref() == Some(wanted.as_str()),
        "installed wasm-bindgen-cli {wanted}, but `wasm-bindgen --version` on PATH still says \
         {found:?}: put ~/.cargo/bin first on PATH"
    );
    Ok(())
}

/// Installs the npm packages (e.g. binaryen's wasm-opt) when the repo declares any.
fn npm_packages(root: &Path) -> Result<()> {
    if !root.join("package.json").is_file() || root.join("node_modules").is_dir() {
        return Ok(());
    }
    // `npm --version` prints a bare version, so ask only whether it runs.
    if stdout_of(command("npm", root).arg("--version")).is_none() {
        apt_install(&["npm"])?;
    }
    let install = if root.join("package-lock.json").is_file() {
        "ci"
    } else {
        "install"
    };
    run(command("npm", root).args([install, "--no-audit", "--no-fund"]))
}

/// Debian's Chromium and chromedriver, from apt when missing (root only).
pub fn browser() -> Result<()> {
    let chromium = configured_path("EMBERLAB_CHROMIUM", CHROMIUM);
    let chromedriver = configured_path("EMBERLAB_CHROMEDRIVER", CHROMEDRIVER);
    if chromium.is_file() && chromedriver.is_file() {
        return Ok(());
    }
    apt_install(&BROWSER_PACKAGES)?;
    ensure!(
        chromium.is_file() && chromedriver.is_file(),
        "apt installed {BROWSER_PACKAGES:?}, but {} or {} is still missing",
        chromium.display(),
        chromedriver.display()
    );
    Ok(())
}

/// The path in `var` when set (the e2e harness reads the same variables), else `default`.
fn configured_path(var: &str, default: &str) -> PathBuf {
    std::env::var_os(var).map_or_else(|| PathBuf::from(default), PathBuf::from)
}

fn apt_install(packages: &[&str]) -> Result<()> {
    let uid = stdout_of(Command::new("id").arg("-u"));
    if uid.as_deref() != Some("0") {
        bail!(
            "missing system packages; install them as root: \
             `apt-get update && apt-get install -y {}`",
            packages.join(" ")
        );
    }
    run(Command::new("apt-get")
        .arg("update")
        .env("DEBIAN_FRONTEND", "noninteractive"))?;
    run(Command::new("apt-get")
        .args(["install", "-y"])
        .args(packages)
        .env("DEBIAN_FRONTEND", "noninteractive"))
}

/// The version `program --version` reports (`trunk 0.21.14` gives `0.21.14`).
fn tool_version(program: &str, dir: &Path) -> Option<String> {
    let out = stdout_of(command(program, dir).arg("--version"))?;
    out.split_whitespace().nth(1).map(str::to_owned)
}

/// The version of `package` in the workspace's Cargo.lock, if it is there.
fn locked_version(root: &Path, package: &str) -> Result<Option<String>> {
    let path = root.join("Cargo.lock");
    let lock = match std::fs::read_to_string(&path) {
        Ok(lock) => lock,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(err) => return Err(err).with_context(|| format!("reading {}", path.display())),
    };
    Ok(version_in_lock(&lock, package))
}

fn version_in_lock(lock: &str, package: &str) -> Option<String> {
    let name_line = format!("name = \"{package}\"");
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == name_line {
            let version = lines.next()?.trim().strip_prefix("version = \"")?;
            return version.strip_suffix('"').map(str::to_owned);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_a_version_in_a_lock_file() {
        let lock = "[[package]]\nname = \"wasm-bindgen-macro\"\nversion = \"0.2.99\"\n\n\
                    [[package]]\nname = \"wasm-bindgen\"\nversion = \"0.2.130\"\n";
        assert_eq!(
            version_in_lock(lock, "wasm-bindgen").as_deref(),
            Some("0.2.130")
        );
        assert_eq!(version_in_lock(lock, "trunk"), None);
    }
}
