//! Project automation, run as `cargo xtask <task>` (matklad's xtask pattern).

mod csp;
mod prerequisites;
mod process;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result, bail};

use crate::process::{cargo, run};

const USAGE: &str = "\
usage: cargo xtask <task>

tasks:
  serve            install missing web tools, then `trunk serve --release` on http://127.0.0.1:8080
  test             native tests, wasm build of the core, release build of the app, browser tests
  e2e [--no-build] browser tests only (`--no-build` reuses dist/, or $EMBERLAB_DIST if set)
  bench [--quick] [--native] [--check]
                   performance figures: the core natively (fused engine, and burn Flex
                   unless --quick), then the release app in headless Chromium (CPU and
                   WebGPU via SwiftShader) against it, page/native per workload; writes
                   <target>/bench/native.json and report.json. --native: the core only.
                   --quick: a short run. --check: fail on a figure below its floor in
                   tests/bench-floors.json
  ci               fmt and clippy checks, everything `test` does, then `bench --quick --check`
  csp              (trunk post-build hook) write the Content-Security-Policy into index.html

Builds go to CARGO_TARGET_DIR when it is set.";

/// Address and port `cargo xtask serve` listens on.
const SERVE_ADDRESS: &str = "127.0.0.1";
const SERVE_PORT: &str = "8080";

/// A task named on the command line.
#[derive(Debug, PartialEq)]
enum Task {
    Serve,
    Test,
    E2e {
        build: bool,
    },
    Ci,
    Bench {
        quick: bool,
        native: bool,
        check: bool,
    },
    Csp,
    Help,
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let task = match parse(&args) {
        Ok(task) => task,
        Err(err) => {
            eprintln!("xtask: {err}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match execute(task) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("\nxtask: {err:#}");
            ExitCode::FAILURE
        }
    }
}

fn parse(args: &[String]) -> Result<Task> {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    Ok(match args.as_slice() {
        [] | ["help" | "-h" | "--help"] => Task::Help,
        ["serve"] => Task::Serve,
        ["test"] => Task::Test,
        ["e2e"] => Task::E2e { build: true },
        ["e2e", "--no-build"] => Task::E2e { build: false },
        ["ci"] => Task::Ci,
        ["csp"] => Task::Csp,
        ["bench", flags @ ..] => {
            let mut task = (false, false, false);
            for flag in flags {
                match *flag {
                    "--quick" => task.0 = true,
                    "--native" => task.1 = true,
                    "--check" => task.2 = true,
                    other => bail!("unknown bench flag: {other}"),
                }
            }
            Task::Bench {
                quick: task.0,
                native: task.1,
                check: task.2,
            }
        }
        _ => bail!("unknown arguments: {}", args.join(" ")),
    })
}

fn execute(task: Task) -> Result<()> {
    let root = repo_root()?;
    let root = root.as_path();
    match task {
        Task::Help => {
            println!("{USAGE}");
            Ok(())
        }
        Task::Serve => serve(root),
        Task::Test => test(root),
        Task::E2e { build } => e2e(root, build),
        Task::Bench {
            quick,
            native,
            check,
        } => bench(root, quick, native, true, check),
        Task::Ci => ci(root),
        // trunk runs hooks with its staging directory in this variable.
        Task::Csp => match std::env::var_os("TRUNK_STAGING_DIR") {
            Some(dir) => csp::apply(Path::new(&dir)),
            None => csp::apply(&root.join("dist")),
        },
    }
}

/// The workspace root: the parent of this crate's directory.
fn repo_root() -> Result<PathBuf> {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir
        .parent()
        .map(Path::to_path_buf)
        .context("xtask's manifest directory has no parent")
}

fn serve(root: &Path) -> Result<()> {
    step("prerequisites", || prerequisites::web_tools(root))?;
    step("trunk serve", || {
        run(process::trunk(root).args([
            "serve",
            "--release",
            "--address",
            SERVE_ADDRESS,
            "--port",
            SERVE_PORT,
        ]))
    })
}

fn ci(root: &Path) -> Result<()> {
    let started = Instant::now();
    step("rustfmt", || {
        run(cargo(root).args(["fmt", "--all", "--", "--check"]))
    })?;
    step("clippy (native)", || {
        run(cargo(root).args([
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]))
    })?;
    step("clippy (emberlab-app, wasm32)", || {
        prerequisites::wasm_target(root)?;
        run(cargo(root).args([
            "clippy",
            "-p",
            "emberlab-app",
            "--target",
            prerequisites::WASM_TARGET,
            "--",
            "-D",
            "warnings",
        ]))
    })?;
    test(root)?;
    // The harness must work; its numbers never fail CI. The app was just built by `test`.
    bench(root, true, false, false, true)?;
    eprintln!("\nxtask ci: all steps passed in {:.0?}", started.elapsed());
    Ok(())
}

fn test(root: &Path) -> Result<()> {
    step("native tests", || {
        run(cargo(root).args(["test", "--workspace"]))
    })?;
    step("wasm build of emberlab-core", || {
        prerequisites::wasm_target(root)?;
        run(cargo(root).args([
            "build",
            "-p",
            "emberlab-core",
            "--target",
            prerequisites::WASM_TARGET,
        ]))
    })?;
    e2e(root, true)
}

/// Steps 3–5 of `test`: tools, `trunk build --release`, browser tests.
fn e2e(root: &Path, build: bool) -> Result<()> {
    step("prerequisites", || {
        prerequisites::web_tools(root)?;
        prerequisites::browser()
    })?;
    // trunk always writes dist/; without a build, an existing EMBERLAB_DIST may point elsewhere.
    let dist = match std::env::var_os("EMBERLAB_DIST") {
        Some(dist) if !build && !dist.is_empty() => root.join(dist),
        _ => root.join("dist"),
    };
    if build {
        step("trunk build --release", || {
            run(process::trunk(root).args(["build", "--release"]))
        })?;
    } else if !dist.join("index.html").is_file() {
        bail!(
            "--no-build needs a built app, but {} is missing: run `cargo xtask e2e` once",
            dist.join("index.html").display()
        );
    }
    step("browser tests", || {
        // The benchmark is its own task (`cargo xtask bench`), not a test.
        run(cargo(root)
            .args(["test", "-p", "emberlab-e2e", "--lib"])
            .args(["--test", "playground", "--test", "playground_ui"])
            .args([
                "--test", "same_run", "--test", "links", "--test", "labs", "--test", "data_io",
                "--test", "inside", "--test", "faults", "--",
            ])
            .args(["--ignored", "--test-threads=1", "--nocapture"])
            .env("EMBERLAB_DIST", &dist))
    })
}

/// `cargo xtask bench`: the native core figures, then (unless `--native`) the release app in
/// headless Chromium measured against them; `--check` fails on a figure below its floor in
/// `tests/bench-floors.json`.
fn bench(root: &Path, quick: bool, native: bool, build: bool, check: bool) -> Result<()> {
    step("native bench", || {
        let mut cmd = cargo(root);
        cmd.args(["bench", "-p", "emberlab-core", "--bench", "training"]);
        if quick {
            cmd.env("EMBERLAB_BENCH_QUICK", "1");
        } else {
            cmd.env_remove("EMBERLAB_BENCH_QUICK");
        }
        run(&mut cmd)
    })?;
    if native {
        return Ok(());
    }
    step("prerequisites", || {
        prerequisites::web_tools(root)?;
        prerequisites::browser()
    })?;
    if build {
        step("trunk build --release", || {
            run(process::trunk(root).args(["build", "--release"]))
        })?;
    }
    step("browser bench", || {
        let mut cmd = cargo(root);
        cmd.args(["test", "-p", "emberlab-e2e", "--test", "bench", "--"])
            .args(["--ignored", "--test-threads=1", "--nocapture"])
            .env("EMBERLAB_DIST", root.join("dist"));
        if quick {
            cmd.env("EMBERLAB_BENCH_QUICK", "1");
        } else {
            cmd.env_remove("EMBERLAB_BENCH_QUICK");
        }
        if check {
            cmd.env(
                "EMBERLAB_BENCH_CHECK",
                root.join("tests").join("bench-floors.json"),
            );
        } else {
            cmd.env_remove("EMBERLAB_BENCH_CHECK");
        }
        run(&mut cmd)
    })
}

/// Runs one named step between headers; a failure names the step.
fn step(name: &str, body: impl FnOnce() -> Result<()>) -> Result<()> {
    eprintln!("\n==> {name}");
    let started = Instant::now();
    body().with_context(|| format!("step `{name}` failed"))?;
    eprintln!("<== {name}: ok in {:.1?}", started.elapsed());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn parses_known_tasks() {
        assert_eq!(parse(&args(&["test"])).ok(), Some(Task::Test));
        assert_eq!(
            parse(&args(&["e2e", "--no-build"])).ok(),
            Some(Task::E2e { build: false })
        );
        assert_eq!(parse(&args(&[])).ok(), Some(Task::Help));
    }

    #[test]
    fn rejects_unknown_tasks() {
        assert_eq!(
            parse(&args(&["bench", "--quick"])).ok(),
            Some(Task::Bench {
                quick: true,
                native: false,
                check: false,
            })
        );
        assert_eq!(
            parse(&args(&["bench", "--quick", "--check"])).ok(),
            Some(Task::Bench {
                quick: true,
                native: false,
                check: true,
            })
        );
        assert!(parse(&args(&["bench", "--fast"])).is_err());
        assert!(parse(&args(&["test", "--no-build"])).is_err());
    }
}
