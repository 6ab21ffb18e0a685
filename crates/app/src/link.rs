//! The URL hash as the page's state: read at start, followed on every edit (replaced, never
//! pushed, so the back button does not walk through slider moves), and obeyed on `hashchange`
//! (see `app.rs`). The codec itself is pure and lives in `emberlab_core::link`.

use std::cell::RefCell;

use emberlab_core::lab::LabState;
use emberlab_core::link;
use leptos::prelude::*;

use crate::autosave;
use crate::notice::{Notices, Topic};

thread_local! {
    /// The hash this page wrote last, so its own writes are not mistaken for a new link.
    static WRITTEN: RefCell<String> = const { RefCell::new(String::new()) };
}

/// The page's hash without its `#`.
pub fn read_hash() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .map(|h| h.trim_start_matches('#').to_string())
        .unwrap_or_default()
}

/// Whether `hash` is the one this page wrote last.
pub fn is_own(hash: &str) -> bool {
    WRITTEN.with(|w| *w.borrow() == hash)
}

/// Replaces the hash with `link` without adding a history entry.
pub fn replace_hash(link: &str) {
    WRITTEN.with(|w| *w.borrow_mut() = link.to_string());
    let Some(window) = web_sys::window() else {
        return;
    };
    if read_hash() == link {
        return;
    }
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(
            &wasm_bindgen::JsValue::NULL,
            "",
            Some(&format!("#{link}")),
        );
    }
}

/// The whole address to share for `link`.
pub fn full_url(link: &str) -> String {
    let location = web_sys::window().map(|w| w.location());
    let base = location
        .and_then(|l| {
            Some(format!(
                "{}{}{}",
                l.origin().ok()?,
                l.pathname().ok()?,
                l.search().ok()?
            ))
        })
        .unwrap_or_default();
    format!("{base}#{link}")
}

/// What a link that could not be used fully says first.
pub const LINK_INTRO: &str =
    "Parts of this link could not be used; they were replaced by defaults:";

/// The state to open: the link in the address if there is one, else what was open last in
/// this browser, else the playground. Problems on the way go to the notices.
pub fn opening_state(notices: Notices) -> LabState {
    let hash = read_hash();
    if !hash.is_empty() {
        let decoded = link::decode(&hash);
        notices.report(Topic::Link, LINK_INTRO, &decoded);
        return decoded.state;
    }
    match autosave::last_lab() {
        Some(kind) => autosave::restore(kind, notices),
        None => autosave::restore(emberlab_core::lab::LabKind::Playground, notices),
    }
}

/// Keeps the hash equal to the lab's state (`current`, tracked; without weights).
pub fn follow(current: impl Fn() -> LabState + 'static) {
    Effect::new(move |_| replace_hash(&link::encode(&current())));
}
