//! The header: the app's name, the lab picker, sharing, a new experiment, and where training
//! runs.

use emberlab_core::lab::{LabKind, LabState};
use leptos::prelude::*;

use crate::shell::backend_badge::BackendBadge;
use crate::shell::share::{NewExperiment, SharePanel};

/// Which lab is open, and the state the next one opens with.
#[derive(Clone, Copy)]
pub struct LabSwitch {
    /// The open lab.
    pub open: RwSignal<LabKind>,
    /// The state the lab opening next starts from (taken when it mounts).
    pub pending: StoredValue<Option<LabState>>,
}

impl LabSwitch {
    /// Opens `state`'s lab with it (or restores it into the open lab, if the same).
    pub fn open_state(self, state: LabState) {
        self.pending.set_value(Some(state.clone()));
        if self.open.get_untracked() == state.kind() {
            // The same lab: re-mount it with the new state.
            self.open.notify();
        } else {
            self.open.set(state.kind());
        }
    }

    /// The state a lab of `kind` opens with, if one is waiting.
    pub fn take(self, kind: LabKind) -> Option<LabState> {
        let waiting = self.pending.get_value()?;
        (waiting.kind() == kind).then(|| {
            self.pending.set_value(None);
            waiting
        })
    }
}

/// The lab picker: one entry per lab, `lab-<name>`; the open one is marked.
#[component]
fn LabPicker(switch: LabSwitch, on_pick: impl Fn(LabKind) + Copy + 'static) -> impl IntoView {
    view! {
        <nav class="lab-picker" aria-label="Labs">
            {LabKind::ALL
                .into_iter()
                .map(|kind| {
                    let current = move || switch.open.get() == kind;
                    view! {
                        <a
                            href=format!("#v1/{}", kind.key())
                            class="lab-link"
                            class:current=current
                            aria-current=move || if current() { "page" } else { "false" }
                            data-testid=format!("lab-{}", kind.key())
                            title=kind.summary()
                            on:click=move |ev| {
                                ev.prevent_default();
                                on_pick(kind);
                            }
                        >
                            {kind.name()}
                        </a>
                    }
                })
                .collect_view()}
        </nav>
    }
}

/// The header shared by every lab.
#[component]
pub fn Header(
    switch: LabSwitch,
    on_pick: impl Fn(LabKind) + Copy + 'static,
    text_shown: Signal<bool>,
) -> impl IntoView {
    view! {
        <header class="top">
            <h1>"Emberlab"</h1>
            <LabPicker switch=switch on_pick=on_pick />
            <p class="tagline" style:visibility=move || if text_shown.get() { "visible" } else { "hidden" }>
                "Neural networks, trained live in your browser."
            </p>
            <div class="header-actions">
                <SharePanel />
                <NewExperiment />
            </div>
            <BackendBadge />
        </header>
    }
}
