//! Autosave: each lab's experiment (the playground's with its weights) as a link in
//! localStorage, written at most every few seconds while it changes and when the page is
//! hidden; read back on reload. The lab open last is remembered too.

use emberlab_core::lab::{LabKind, LabState};
use emberlab_core::link;
use leptos::ev;
use leptos::prelude::*;

use crate::frame::now_ms;
use crate::notice::{Notices, Topic};

/// localStorage key of a lab's saved experiment (a share link).
fn key(kind: LabKind) -> String {
    format!("emberlab.autosave.v1.{}", kind.key())
}
/// localStorage key of the lab open last.
const LAST_LAB: &str = "emberlab.lab";
/// Least time between two saves while the experiment changes.
const INTERVAL_MS: f64 = 2000.0;

fn storage() -> Result<web_sys::Storage, String> {
    web_sys::window()
        .ok_or("no window")?
        .local_storage()
        .map_err(|_| "the browser refused access to its storage".to_string())?
        .ok_or_else(|| "this browser has no storage for pages".to_string())
}

fn load(kind: LabKind) -> Result<Option<String>, String> {
    storage()?
        .get_item(&key(kind))
        .map_err(|_| "the saved experiment could not be read".to_string())
}

/// The lab open last in this browser, if known.
pub fn last_lab() -> Option<LabKind> {
    let text = storage().ok()?.get_item(LAST_LAB).ok()??;
    LabKind::from_key(&text)
}

/// The saved state of `kind` (or its default), with any problem reported.
pub fn restore(kind: LabKind, notices: Notices) -> LabState {
    match load(kind) {
        Ok(Some(text)) => {
            let decoded = link::decode(&text);
            notices.report(
                Topic::Storage,
                "The experiment saved in this browser could not be fully restored:",
                &decoded,
            );
            if decoded.state.kind() == kind {
                decoded.state
            } else {
                kind.default_state()
            }
        }
        Ok(None) => kind.default_state(),
        Err(e) => {
            notices.say(Topic::Storage, unavailable(&e), Vec::new());
            kind.default_state()
        }
    }
}

/// Forgets the saved experiment of `kind` (a new experiment starts).
pub fn clear(kind: LabKind) -> Result<(), String> {
    storage()?
        .remove_item(&key(kind))
        .map_err(|_| "the saved experiment could not be removed".to_string())
}

fn save(kind: LabKind, text: &str) -> Result<(), String> {
    let storage = storage()?;
    storage
        .set_item(&key(kind), text)
        .and_then(|()| storage.set_item(LAST_LAB, kind.key()))
        .map_err(|_| "the browser's storage for this page is full".to_string())
}

/// The notice for storage that does not work.
pub fn unavailable(reason: &str) -> String {
    format!(
        "Your experiment cannot be saved in this browser ({reason}). Everything else works; \
         use Share to keep a link to it."
    )
}

/// Saves the lab's state (`current`, built only when saving) as it changes (`changed` reads,
/// tracked, whatever should trigger a save), throttled, and when the page is hidden or closed.
/// Building the state can be costly (the playground's weights and loss history), so a frame
/// that only tracks does not build it.
pub fn follow(
    kind: LabKind,
    notices: Notices,
    changed: impl Fn() + 'static,
    current: impl Fn() -> LabState + Clone + 'static,
) {
    let last_saved = StoredValue::new(f64::NEG_INFINITY);
    let failed = StoredValue::new(false);
    let save_now = {
        let current = current.clone();
        move || {
            if failed.get_value() {
                return;
            }
            last_saved.set_value(now_ms());
            let text = link::encode(&untrack(&current));
            // A link too long to share is still worth keeping here: storage takes megabytes.
            if let Err(e) = save(kind, &text) {
                failed.set_value(true);
                notices.say(Topic::Storage, unavailable(&e), Vec::new());
            }
        }
    };
    // A change within the interval is saved when it ends (a trailing save), unless the lab
    // closed meanwhile (its signals are gone then).
    let alive = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
    let trailing = StoredValue::new(false);
    let on_change = save_now.clone();
    let still = std::sync::Arc::clone(&alive);
    Effect::new(move |_| {
        changed();
        let since = now_ms() - last_saved.get_value();
        if since >= INTERVAL_MS {
            on_change();
        } else if !trailing.get_value() {
            trailing.set_value(true);
            let (save, still) = (on_change.clone(), std::sync::Arc::clone(&still));
            set_timeout(
                move || {
                    if still.load(std::sync::atomic::Ordering::Relaxed) {
                        trailing.set_value(false);
                        save();
                    }
                },
                std::time::Duration::from_millis((INTERVAL_MS - since).max(0.0) as u64),
            );
        }
    });
    let on_hide = save_now.clone();
    let hidden = window_event_listener(ev::visibilitychange, move |_| {
        let hidden_now = web_sys::window()
            .and_then(|w| w.document())
            .is_some_and(|d| d.hidden());
        if hidden_now {
            on_hide();
        }
    });
    let on_leave = save_now.clone();
    let leaving = window_event_listener(ev::pagehide, move |_| on_leave());
    on_cleanup(move || {
        alive.store(false, std::sync::atomic::Ordering::Relaxed);
        hidden.remove();
        leaving.remove();
    });
}
