//! Sharing: the link to exactly this experiment (optionally with the trained weights), its
//! size, and a copy button; a link over the limit is refused with a message, never cut short.
//! Also "New experiment", which forgets the saved state and starts from the defaults.

use emberlab_core::limits::MAX_LINK_CHARS;
use emberlab_core::link;
use leptos::prelude::*;

use crate::autosave;
use crate::link::{full_url, replace_hash};
use crate::notice::Topic;
use crate::shell::lab::use_shell;

/// The link on offer, or why there is none.
#[derive(Debug, Clone, PartialEq)]
enum Offer {
    Link(String),
    TooLong(usize),
}

fn size_text(offer: &Offer) -> String {
    match offer {
        Offer::Link(url) => format!("{} characters", url.chars().count()),
        Offer::TooLong(len) => format!(
            "Too long to share: {len} characters, over the {MAX_LINK_CHARS} a link may have. \
             Share without the trained weights, or use a smaller network."
        ),
    }
}

/// The Share button and its panel.
#[component]
pub fn SharePanel() -> impl IntoView {
    let shell = use_shell();
    let open = RwSignal::new(false);
    let with_weights = RwSignal::new(false);
    let copied = RwSignal::new(false);
    let weights_possible = move || {
        shell.run.track();
        shell.lab.get().is_some_and(|lab| lab.shares_weights())
    };
    // Computed when the panel opens and when the checkbox changes; weights are those on screen.
    let current = Memo::new(move |_| {
        if !open.get() {
            return Offer::Link(String::new());
        }
        let weights = with_weights.get() && weights_possible();
        let Some(lab) = shell.lab.get() else {
            return Offer::Link(String::new());
        };
        let text = untrack(|| link::encode(&lab.state(weights)));
        match link::check_length(&text) {
            Ok(()) => Offer::Link(full_url(&text)),
            Err(_) => Offer::TooLong(text.len()),
        }
    });
    let copy = move |_| {
        let Offer::Link(url) = current.get_untracked() else {
            return;
        };
        let notices = shell.notices;
        let Some(clipboard) = web_sys::window().map(|w| w.navigator().clipboard()) else {
            return;
        };
        let promise = clipboard.write_text(&url);
        leptos::task::spawn_local(async move {
            match wasm_bindgen_futures::JsFuture::from(promise).await {
                Ok(_) => copied.set(true),
                Err(_) => notices.say(
                    Topic::Share,
                    "The browser did not allow copying; select the link and copy it by hand.",
                    Vec::new(),
                ),
            }
        });
    };
    view! {
        <div class="share">
            <button
                class="header-button"
                data-testid="share"
                aria-expanded=move || open.get().to_string()
                aria-controls="share-panel"
                title="Get a link to exactly this experiment"
                on:click=move |_| {
                    copied.set(false);
                    open.update(|o| *o = !*o);
                }
            >
                "Share"
            </button>
            <Show when=move || open.get()>
                <div class="share-panel" id="share-panel" role="dialog" aria-label="Share this experiment">
                    <Show when=weights_possible>
                        <label class="toggle">
                            <input
                                type="checkbox"
                                data-testid="share-weights"
                                prop:checked=move || with_weights.get()
                                on:change=move |ev| {
                                    copied.set(false);
                                    with_weights.set(event_target_checked(&ev));
                                }
                            />
                            " Include the trained weights (opens exactly this network, to continue training)"
                        </label>
                    </Show>
                    {move || match current.get() {
                        Offer::Link(url) => view! {
                            <div class="share-row">
                                <input
                                    type="text"
                                    readonly
                                    class="share-link"
                                    aria-label="Link to this experiment"
                                    data-testid="share-link"
                                    prop:value=url
                                    on:focus=move |ev| {
                                        use wasm_bindgen::JsCast;
                                        if let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) {
                                            input.select();
                                        }
                                    }
                                />
                                <button class="text-button" data-testid="share-copy" on:click=copy>
                                    {move || if copied.get() { "Copied" } else { "Copy" }}
                                </button>
                            </div>
                        }.into_any(),
                        Offer::TooLong(_) => view! {
                            <p class="share-refused">"No link: see below."</p>
                        }.into_any(),
                    }}
                    <p class="share-size" data-testid="share-size">{move || size_text(&current.get())}</p>
                </div>
            </Show>
        </div>
    }
}

/// "New experiment": forgets the saved experiment and the link, and starts the open lab from
/// its defaults.
#[component]
pub fn NewExperiment() -> impl IntoView {
    let shell = use_shell();
    view! {
        <button
            class="header-button"
            data-testid="new-experiment"
            title="Start again from the default experiment (forgets the one saved in this browser)"
            on:click=move |_| {
                let Some(lab) = shell.lab.get() else {
                    return;
                };
                let kind = lab.state(false).kind();
                if let Err(e) = autosave::clear(kind) {
                    shell.notices.say(Topic::Storage, autosave::unavailable(&e), Vec::new());
                }
                let fresh = kind.default_state();
                replace_hash(&link::encode(&fresh));
                shell.notices.clear(Topic::Link);
                shell.notices.clear(Topic::Training);
                lab.restore(fresh);
            }
        >
            "New experiment"
        </button>
    }
}
