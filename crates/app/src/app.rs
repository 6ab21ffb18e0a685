//! The root component: opens the lab the link (or the last session) names, hosts the shell,
//! and switches labs. A lab's state and runner exist while it is open.

use emberlab_core::lab::{LabKind, LabState};
use emberlab_core::link;
use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::autosave;
use crate::labs::attention::AttentionLab;
use crate::labs::digits::DigitsLab;
use crate::labs::playground::PlaygroundLab;
use crate::labs::recurrence::RecurrenceLab;
use crate::link::{LINK_INTRO, is_own, opening_state, read_hash};
use crate::notice::{Notices, Topic};
use crate::shell::header::{Header, LabSwitch};
use crate::shell::lab::{OpenLab, Shell};
use crate::shell::notice_overlay::NoticeOverlay;

/// Whether a key event comes from a control that gives keys a meaning of its own (a form
/// field, or a focused button, link or tile where Space and Enter press it).
fn aimed_at_a_control(event: &web_sys::KeyboardEvent) -> bool {
    event
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|e| {
            matches!(
                e.tag_name().as_str(),
                "INPUT" | "SELECT" | "TEXTAREA" | "BUTTON" | "A" | "SUMMARY" | "CANVAS"
            ) || e.has_attribute("tabindex")
                || e.get_attribute("role").is_some_and(|r| r == "button")
        })
}

/// The Emberlab page.
#[component]
pub fn App() -> impl IntoView {
    let notices = Notices::new();
    let shell = Shell {
        notices,
        run: RwSignal::new(None),
        lab: OpenLab::new(),
    };
    provide_context(shell);
    let opening = opening_state(notices);
    let switch = LabSwitch {
        open: RwSignal::new(opening.kind()),
        pending: StoredValue::new(Some(opening)),
    };
    provide_context(switch);
    // Text hidden by a focused demo (the playground's `hideText`).
    let text_shown = RwSignal::new(true);
    provide_context(text_shown);

    // A link pasted into the address bar, or the back button across labs.
    let hash_listener = window_event_listener(ev::hashchange, move |_| {
        let hash = read_hash();
        if is_own(&hash) {
            return;
        }
        let decoded = link::decode(&hash);
        notices.report(Topic::Link, LINK_INTRO, &decoded);
        switch.open_state(decoded.state);
    });
    // Keyboard: space = play/pause, s = step, r = reset, when no control has the focus.
    let key_listener = window_event_listener(ev::keydown, move |event| {
        if aimed_at_a_control(&event) || event.ctrl_key() || event.meta_key() || event.alt_key() {
            return;
        }
        let Some(lab) = shell.lab.get() else {
            return;
        };
        match event.key().as_str() {
            " " => {
                event.prevent_default();
                lab.toggle_play();
            }
            "s" | "S" => lab.step(),
            "r" | "R" => lab.reset(),
            _ => {}
        }
    });
    on_cleanup(move || {
        hash_listener.remove();
        key_listener.remove();
    });
    let pick = move |kind: LabKind| {
        if switch.open.get_untracked() != kind {
            notices.clear(Topic::Link);
            notices.clear(Topic::Training);
            notices.clear(Topic::Config);
            switch.open_state(autosave::restore(kind, notices));
        }
    };

    view! {
        <Header switch=switch on_pick=pick text_shown=text_shown.into() />
        <NoticeOverlay notices=notices />
        {move || {
            let kind = switch.open.get();
            let state = untrack(|| switch.take(kind)).unwrap_or_else(|| kind.default_state());
            text_shown.set(true);
            match state {
                LabState::Playground(s) => view! { <PlaygroundLab initial=s /> }.into_any(),
                LabState::Digits(c) => view! { <DigitsLab initial=c /> }.into_any(),
                LabState::Recurrence(c) => view! { <RecurrenceLab initial=c /> }.into_any(),
                LabState::Attention(c) => view! { <AttentionLab initial=c /> }.into_any(),
            }
        }}
    }
}
