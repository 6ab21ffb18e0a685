//! The page's Content-Security-Policy, written into the built `index.html` as a trunk
//! post-build hook (`cargo xtask csp`): a static site cannot send headers or nonces, so the
//! policy lives in a `<meta>` tag and allows exactly the inline scripts trunk and we wrote, by
//! their SHA-256. No `unsafe-eval`: WebAssembly needs only `wasm-unsafe-eval`.

use std::path::Path;

use anyhow::{Context, Result, bail};
use base64::Engine as _;
use sha2::{Digest, Sha256};

/// Marks the tag this step writes, so a rebuild replaces it.
const MARKER: &str = "data-emberlab-csp";

/// Everything but scripts: same origin only, styles inline too (Leptos sets `style`
/// attributes), canvases' data URLs, Web Workers from the page's own files.
const POLICY: &str = "default-src 'self'; style-src 'self' 'unsafe-inline'; \
img-src 'self' data: blob:; connect-src 'self'; worker-src 'self' blob:; \
object-src 'none'; base-uri 'none'; form-action 'none'";

/// Adds (or replaces) the policy in `dir/index.html`.
pub fn apply(dir: &Path) -> Result<()> {
    let path = dir.join("index.html");
    let html =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let with_policy = with_policy(&html)?;
    std::fs::write(&path, with_policy).with_context(|| format!("writing {}", path.display()))?;
    eprintln!("csp: policy written into {}", path.display());
    Ok(())
}

/// `html` with a policy meta tag first in its `<head>`.
fn with_policy(html: &str) -> Result<String> {
    let html = without_old_policy(html);
    let hashes: Vec<String> = inline_scripts(&html)
        .into_iter()
        .map(|body| {
            let digest = Sha256::digest(body.as_bytes());
            format!(
                "'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest)
            )
        })
        .collect();
    let meta = format!(
        "<meta http-equiv=\"Content-Security-Policy\" {MARKER} content=\"{POLICY}; \
         script-src 'self' 'wasm-unsafe-eval' {}\">",
        hashes.join(" ")
    );
    let Some(head) = html.find("<head>") else {
        bail!("index.html has no <head>");
    };
    let at = head + "<head>".len();
    Ok(format!("{}\n  {meta}{}", &html[..at], &html[at..]))
}

fn without_old_policy(html: &str) -> String {
    html.lines()
        .filter(|line| !line.contains(MARKER))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The bodies of `<script>` elements without a `src`.
fn inline_scripts(html: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let after = &rest[start..];
        let Some(open_end) = after.find('>') else {
            break;
        };
        let tag = &after[..open_end];
        let body_start = open_end + 1;
        let Some(close) = after[body_start..].find("</script>") else {
            break;
        };
        if !tag.contains(" src=") {
            out.push(&after[body_start..body_start + close]);
        }
        rest = &after[body_start + close..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_each_inline_script_and_replaces_an_old_policy() {
        let html = "<html><head>\n<script>a()</script><script src=\"x.js\"></script>\
                    <script type=\"module\">\nb()\n</script></head></html>";
        let once = with_policy(html).unwrap();
        assert!(once.contains("Content-Security-Policy"));
        assert_eq!(once.matches("'sha256-").count(), 2);
        assert!(!once.contains(" 'unsafe-eval'"));
        // SHA-256 of "a()", base64.
        assert!(
            once.contains("'sha256-qVpDBgj7bpq5hMAcGp3AOc79J3Y1Z4HvySTwKrWDoy4='"),
            "{once}"
        );
        let twice = with_policy(&once).unwrap();
        assert_eq!(twice.matches("Content-Security-Policy").count(), 1);
    }
}
