//! The notice overlay: every current message, one style, over the page (it never pushes the
//! panels around), each dismissible.

use leptos::prelude::*;

use crate::notice::Notices;

/// The notices; the container is present only while there is something to say.
#[component]
pub fn NoticeOverlay(notices: Notices) -> impl IntoView {
    let all = notices.0;
    move || {
        let list = all.get();
        (!list.is_empty()).then(|| {
            view! {
                <div class="notices" role="alert" aria-live="assertive" data-testid="notice">
                    {list
                        .into_iter()
                        .map(|n| {
                            let topic = n.topic;
                            view! {
                                <div class="notice">
                                    <div class="notice-text">
                                        <p>{n.text}</p>
                                        {(!n.details.is_empty()).then(|| view! {
                                            <ul>
                                                {n.details.into_iter().map(|d| view! { <li>{d}</li> }).collect_view()}
                                            </ul>
                                        })}
                                    </div>
                                    <button
                                        class="dismiss"
                                        aria-label="Dismiss this message"
                                        data-testid="notice-dismiss"
                                        on:click=move |_| notices.clear(topic)
                                    >
                                        "×"
                                    </button>
                                </div>
                            }
                        })
                        .collect_view()}
                </div>
            }
        })
    }
}
