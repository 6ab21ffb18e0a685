//! Which back end trains, why, and how fast; a picker moves training to another one. Plain
//! words for the learner, the technical names in tooltips. The same for every lab.

use leptos::prelude::*;

use crate::backend::BackendKind;
use crate::shell::lab::use_shell;

/// The back-end badge and picker of the open lab, offering the back ends it has.
#[component]
pub fn BackendBadge() -> impl IntoView {
    let shell = use_shell();
    let backend = move || shell.run.get().and_then(|r| r.backend.get());
    let label = move || backend().map_or("…", |b| b.kind.label());
    let reason = move || backend().map(|b| b.reason).unwrap_or_default();
    let current = move || backend().map(|b| b.kind);
    let technical = move || current().map_or("", BackendKind::technical);
    let speed = move || {
        let t = shell
            .run
            .get()
            .map(|r| r.throughput.get())
            .unwrap_or_default();
        if t.epochs_per_second > 0.0 {
            let epochs = if t.epochs_per_second >= 10.0 {
                format!("{:.0}", t.epochs_per_second)
            } else {
                format!("{:.2}", t.epochs_per_second)
            };
            format!(
                "{epochs} epochs/s · {:.3} ms a training step",
                t.ms_per_step
            )
        } else {
            String::new()
        }
    };
    let pick = move |ev| {
        let value = event_target_value(&ev);
        if let Some(kind) = BackendKind::from_query(&value)
            && current() != Some(kind)
            && let Some(lab) = shell.lab.get()
        {
            lab.switch_backend(kind);
        }
    };
    view! {
        <div class="backend">
            <span class="backend-kind" data-testid="backend" title=technical>{label}</span>
            <select
                data-testid="backend-picker"
                aria-label="Where training runs"
                title="Where training runs: pick one to move the running network there, with its weights"
                prop:value=move || current().map_or("cpu", BackendKind::query)
                on:change=pick
            >
                {move || shell.run.get().map_or(&[][..], |r| r.backends)
                    .iter()
                    .map(|&kind| {
                        view! {
                            <option value=kind.query() title=kind.technical()>
                                {kind.description()}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            <span class="backend-reason">{reason}</span>
            <span class="backend-speed" data-testid="throughput">{speed}</span>
        </div>
    }
}
