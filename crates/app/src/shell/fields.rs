//! Form controls the labs' settings bars share.

use leptos::prelude::*;

/// A labelled select over `(value, label)` options; `title` is its tooltip.
#[component]
pub fn Pick(
    label: &'static str,
    testid: &'static str,
    #[prop(into)] title: String,
    #[prop(into)] options: Signal<Vec<(String, String)>>,
    value: Signal<String>,
    on_pick: impl Fn(String) + 'static,
) -> impl IntoView {
    view! {
        <label class="field" title=title>
            <span class="field-label">{label}</span>
            <select
                data-testid=testid
                aria-label=label
                prop:value=move || value.get()
                on:change=move |ev| on_pick(event_target_value(&ev))
            >
                {move || {
                    let current = value.get();
                    options
                        .get()
                        .into_iter()
                        .map(|(v, l)| {
                            let selected = v == current;
                            view! { <option value=v selected=selected>{l}</option> }
                        })
                        .collect_view()
                }}
            </select>
        </label>
    }
}

/// Options whose value and label are both the number as written.
pub fn numbers<T: ToString>(values: &[T]) -> Vec<(String, String)> {
    values
        .iter()
        .map(|v| (v.to_string(), v.to_string()))
        .collect()
}

/// Options of every value of a keyed kind: its stable key and its name.
pub fn keyed<T: Copy>(
    all: &[T],
    key: impl Fn(T) -> &'static str,
    name: impl Fn(T) -> &'static str,
) -> Vec<(String, String)> {
    all.iter()
        .map(|&x| (key(x).to_string(), name(x).to_string()))
        .collect()
}
