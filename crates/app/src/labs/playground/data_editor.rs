//! The learner's own data: drawing points on the output map (add, erase, clear, undo) and
//! importing them from CSV with a preview of what was read and a list of the rows that were
//! not. Either way the points become the experiment's data set (`DatasetKind::Custom`), so they
//! go into share links and autosave like any other setting.

use emberlab_core::csv_io::{CsvError, CsvPreview, LabelReading, import_csv};
use emberlab_core::limits::{MAX_CLASSES, MAX_CSV_BYTES, MAX_CUSTOM_POINTS, MIN_CUSTOM_POINTS};
use emberlab_core::{CustomData, DatasetKind, ExperimentConfig, Point, Problem};
use emberlab_viz::{DivergingScale, class_colour};
use leptos::html::Input;
use leptos::prelude::*;

use crate::files::read_text;
use crate::labs::playground::editor_state::Editor;
use crate::labs::playground::hyper_bar::set_dataset;
use crate::labs::playground::runner::{RunnerRef, use_runner};
use crate::labs::playground::state::Playground;

/// Drafts kept for undo.
const UNDO_DEPTH: usize = 200;
/// A click erases the nearest point within this distance (plane units).
const ERASE_RADIUS: f32 = 0.6;
/// Dragging adds a point each time the pointer has moved this far (plane units).
pub const DRAG_SPACING: f32 = 0.35;
/// Values a regression point can be drawn with, one button each.
const DRAW_VALUES: [f32; 5] = [-1.0, -0.5, 0.0, 0.5, 1.0];

impl Editor {
    /// Starts drawing on the current points, or stops.
    pub fn toggle(self, state: Playground, runner: RunnerRef) {
        if self.on.get_untracked() {
            self.stop();
            return;
        }
        let start = state.config.with_untracked(|c| {
            (c.data.kind == DatasetKind::Custom).then(|| c.data.custom.clone())
        });
        let start = start.or_else(|| {
            state
                .dataset
                .with_untracked(|d| d.as_deref().map(CustomData::from_dataset))
        });
        let Some(start) = start else {
            return;
        };
        self.undo.set_value(Vec::new());
        self.class.set(0);
        self.erasing.set(false);
        self.on.set(true);
        self.draft.set(Some(start));
        self.apply(state, runner);
    }

    /// Stops drawing (the points stay the data set).
    pub fn stop(self) {
        self.on.set(false);
        self.draft.set(None);
        self.hint.set(None);
    }

    /// Changes the draft (remembering the old one for undo) and trains on it if it can.
    fn change(self, state: Playground, runner: RunnerRef, edit: impl FnOnce(&mut CustomData)) {
        let Some(mut next) = self.draft.get_untracked() else {
            return;
        };
        let before = next.clone();
        edit(&mut next);
        if next == before {
            return;
        }
        self.undo.update_value(|u| {
            u.push(before);
            if u.len() > UNDO_DEPTH {
                u.remove(0);
            }
        });
        self.draft.set(Some(next));
        self.apply(state, runner);
    }

    /// Gives the draft to the run if it can train; otherwise says what it lacks.
    fn apply(self, state: Playground, runner: RunnerRef) {
        let Some(draft) = self.draft.get_untracked() else {
            return;
        };
        let mut next = state.config.get_untracked();
        set_custom(&mut next, draft.clone());
        match next.validate() {
            Ok(_) => {
                self.hint.set(None);
                runner.edit(move |c| set_custom(c, draft));
            }
            Err(e) => self
                .hint
                .set(Some(missing(&draft).unwrap_or_else(|| e.to_string()))),
        }
    }

    /// Adds a point at `(x, y)` of the class (or value) chosen, or erases the nearest one.
    pub fn click(self, state: Playground, runner: RunnerRef, x: f32, y: f32) {
        if self.erasing.get_untracked() {
            self.change(state, runner, |d| {
                let nearest = d
                    .points
                    .iter()
                    .enumerate()
                    .map(|(i, p)| (i, (p.x - x).hypot(p.y - y)))
                    .filter(|&(_, dist)| dist <= ERASE_RADIUS)
                    .min_by(|a, b| a.1.total_cmp(&b.1));
                if let Some((i, _)) = nearest {
                    d.points.remove(i);
                }
            });
            return;
        }
        if self.draft.with_untracked(|d| {
            d.as_ref()
                .is_some_and(|d| d.points.len() >= MAX_CUSTOM_POINTS)
        }) {
            self.hint.set(Some(format!(
                "A data set holds at most {MAX_CUSTOM_POINTS} points: erase some first."
            )));
            return;
        }
        let class = self.class.get_untracked();
        self.change(state, runner, |d| {
            let label = match d.problem {
                Problem::Regression => DRAW_VALUES[class.min(DRAW_VALUES.len() - 1)],
                _ => {
                    // A point of a new class turns two classes into three, and so on.
                    let class = class.min(MAX_CLASSES - 1);
                    if class >= d.classes() {
                        d.problem = Problem::Multiclass { classes: class + 1 };
                    }
                    class as f32
                }
            };
            d.points.push(emberlab_core::custom_data::snap_point(
                Point { x, y, label },
                d.problem,
            ));
        });
    }

    /// Takes back the last change.
    pub fn undo(self, state: Playground, runner: RunnerRef) {
        let Some(previous) = self.undo.try_update_value(|u| u.pop()).flatten() else {
            return;
        };
        self.draft.set(Some(previous));
        self.apply(state, runner);
    }

    /// Removes every point (the class count stays).
    pub fn clear(self, state: Playground, runner: RunnerRef) {
        self.change(state, runner, |d| d.points.clear());
    }

    /// Uses imported points: the data set becomes them (and the drawing, if on).
    pub fn import(self, state: Playground, runner: RunnerRef, data: CustomData) {
        if self.on.get_untracked() {
            self.change(state, runner, |d| *d = data);
        } else {
            runner.edit(move |c| set_custom(c, data));
        }
    }
}

/// What a draft lacks to train, in words, if it is a count or a class.
fn missing(draft: &CustomData) -> Option<String> {
    let count = draft.points.len();
    if count < MIN_CUSTOM_POINTS {
        return Some(format!(
            "Add {} more point{} to train (at least {MIN_CUSTOM_POINTS}).",
            MIN_CUSTOM_POINTS - count,
            if MIN_CUSTOM_POINTS - count == 1 {
                ""
            } else {
                "s"
            }
        ));
    }
    (draft.problem.is_classification() && draft.classes_present() < 2)
        .then(|| "Add points of a second class to train.".to_string())
}

/// Makes `data` the experiment's data set, choosing the loss its problem needs; a batch larger
/// than the new training set shrinks to it.
pub fn set_custom(config: &mut ExperimentConfig, data: CustomData) {
    config.data.custom = data;
    set_dataset(config, DatasetKind::Custom);
    config.fit_batch_to_data();
}

/// The colour of draw button `k` for `problem`.
fn button_colour(problem: Problem, k: usize) -> String {
    match problem {
        Problem::Regression => DivergingScale::PLAYGROUND
            .colour(DRAW_VALUES[k.min(DRAW_VALUES.len() - 1)])
            .to_string(),
        _ => class_colour(k).to_string(),
    }
}

/// The drawing tools: on/off, the class (or value) to draw, erase, undo, clear.
#[component]
pub fn DrawTools(state: Playground) -> impl IntoView {
    let runner = use_runner();
    let editor = state.editor;
    // Choosing a generated data set (or another problem type) ends drawing.
    Effect::new(move |_| {
        let custom = state.config.with(|c| c.data.kind == DatasetKind::Custom);
        if !custom && editor.on.get_untracked() {
            editor.stop();
        }
    });
    let problem = move || {
        editor
            .draft
            .with(|d| d.as_ref().map_or(Problem::Binary, |d| d.problem))
    };
    // The classes present, plus one new class while there is room.
    let buttons = move || match problem() {
        Problem::Regression => DRAW_VALUES.len(),
        p => {
            let classes = match p {
                Problem::Multiclass { classes } => classes,
                _ => 2,
            };
            (classes + 1).min(MAX_CLASSES)
        }
    };
    let label = move |k: usize| match problem() {
        Problem::Regression => format!("value {}", DRAW_VALUES[k.min(DRAW_VALUES.len() - 1)]),
        _ => format!("class {}", k + 1),
    };
    view! {
        <div class="draw-tools">
            <button
                class="text-button"
                class:active=move || editor.on.get()
                data-testid="data-editor"
                aria-pressed=move || editor.on.get().to_string()
                title="Draw your own points on the output map: click or drag to add points of the chosen class, or erase them. Your points become the data set (and go into links)."
                on:click=move |_| editor.toggle(state, runner)
            >
                {move || if editor.on.get() { "Stop drawing" } else { "Draw your own points" }}
            </button>
            <Show when=move || editor.on.get()>
                <div class="draw-classes" role="group" aria-label="Class of new points">
                    {move || (0..buttons()).map(|k| view! {
                        <button
                            class="draw-class"
                            class:selected=move || editor.class.get() == k && !editor.erasing.get()
                            data-testid=format!("draw-class-{k}")
                            aria-pressed=move || (editor.class.get() == k && !editor.erasing.get()).to_string()
                            aria-label=label(k)
                            title=format!("Draw points of {}", label(k))
                            on:click=move |_| { editor.class.set(k); editor.erasing.set(false); }
                        >
                            <i class="swatch" style:background=button_colour(problem(), k)></i>
                        </button>
                    }).collect_view()}
                    <button
                        class="text-button small-text"
                        class:selected=move || editor.erasing.get()
                        data-testid="draw-erase"
                        aria-pressed=move || editor.erasing.get().to_string()
                        title="Click a point to remove it"
                        on:click=move |_| editor.erasing.update(|e| *e = !*e)
                    >"Erase"</button>
                    <button
                        class="text-button small-text"
                        data-testid="draw-undo"
                        title="Take back the last change"
                        on:click=move |_| editor.undo(state, runner)
                    >"Undo"</button>
                    <button
                        class="text-button small-text"
                        data-testid="draw-clear"
                        title="Remove every point"
                        on:click=move |_| editor.clear(state, runner)
                    >"Clear"</button>
                </div>
                <p class="draw-help">
                    {move || editor.draft.with(|d| d.as_ref().map_or(0, |d| d.points.len()))}
                    " points. Click or drag on the output map."
                </p>
                <Show when=move || editor.hint.with(Option::is_some)>
                    <p class="draw-hint" data-testid="draw-hint" role="status">
                        {move || editor.hint.get().unwrap_or_default()}
                    </p>
                </Show>
            </Show>
        </div>
    }
}

/// What an import found, in words.
fn describe(preview: &CsvPreview) -> String {
    let points = preview.data.points.len();
    let kind = match &preview.labels {
        LabelReading::ClassIndices { classes } => format!("{classes} classes (numbered labels)"),
        LabelReading::ClassNames { names } => format!(
            "{} classes: {}",
            names.len(),
            names
                .iter()
                .enumerate()
                .map(|(i, n)| format!("{} = \"{n}\"", i + 1))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        LabelReading::Values { scaled: None } => "regression values".to_string(),
        LabelReading::Values { scaled: Some(s) } => format!(
            "regression values, mapped from [{}, {}] onto [-1, 1]",
            s.min, s.max
        ),
    };
    let scaling = if preview.scaling.is_identity() {
        "Coordinates kept as written.".to_string()
    } else {
        format!(
            "Coordinates centred on ({:.3}, {:.3}) and scaled by {:.4} to fit the plane.",
            preview.scaling.centre_x, preview.scaling.centre_y, preview.scaling.scale
        )
    };
    let header = preview
        .header
        .as_ref()
        .map(|h| format!(" Header: {}.", h.join(", ")))
        .unwrap_or_default();
    let ignored = if preview.ignored_columns > 0 {
        format!(
            " {} column(s) after the third were ignored.",
            preview.ignored_columns
        )
    } else {
        String::new()
    };
    format!("{points} points read as {kind}. {scaling}{header}{ignored}")
}

/// The CSV import: a file picker, then a preview to accept or cancel.
#[component]
pub fn CsvImport(state: Playground) -> impl IntoView {
    let runner = use_runner();
    let input: NodeRef<Input> = NodeRef::new();
    let preview = RwSignal::new(None::<Result<CsvPreview, String>>);
    let errors = RwSignal::new((Vec::<String>::new(), 0usize));
    let on_pick = move |_| {
        let Some(el) = input.get() else {
            return;
        };
        leptos::task::spawn_local(async move {
            let Some(read) = read_text(&el, MAX_CSV_BYTES).await else {
                return;
            };
            el.set_value("");
            let result = read.and_then(|(name, text)| {
                import_csv(&text).map_err(|e| {
                    if let CsvError::TooFewRows { skipped, .. } = &e {
                        errors.set((
                            skipped.iter().map(ToString::to_string).collect(),
                            skipped.len(),
                        ));
                    }
                    format!("\"{name}\" could not be used: {e}")
                })
            });
            if let Ok(p) = &result {
                errors.set((
                    p.skipped.iter().map(ToString::to_string).collect(),
                    p.skipped_count,
                ));
            }
            preview.set(Some(result));
        });
    };
    let close = move || {
        preview.set(None);
        errors.set((Vec::new(), 0));
    };
    view! {
        <label class="csv-pick" title="Import points from a CSV file: x1,x2,label rows (header optional; labels are class names, class numbers 0-4, or values for regression).">
            <span class="text-button">"Import CSV…"</span>
            <input
                type="file"
                accept=".csv,.tsv,.txt,text/csv,text/plain"
                data-testid="csv-import"
                node_ref=input
                on:change=on_pick
            />
        </label>
        <Show when=move || preview.with(Option::is_some)>
            <div class="csv-preview" data-testid="csv-preview" role="dialog" aria-label="CSV import">
                <p>{move || preview.with(|p| match p {
                    Some(Ok(p)) => describe(p),
                    Some(Err(e)) => format!("{e}."),
                    None => String::new(),
                })}</p>
                <Show when=move || errors.with(|(_, count)| *count > 0)>
                    <p class="csv-skipped">{move || errors.with(|(_, count)| format!("{count} row(s) skipped:"))}</p>
                    <ul class="csv-report" data-testid="csv-report">
                        {move || errors.with(|(listed, _)| listed.iter().map(|e| view! { <li>{e.clone()}</li> }).collect_view())}
                    </ul>
                    <Show when=move || errors.with(|(listed, count)| *count > listed.len())>
                        <p class="csv-skipped">{move || errors.with(|(listed, count)| format!("…and {} more.", count - listed.len()))}</p>
                    </Show>
                </Show>
                <div class="csv-buttons">
                    <Show when=move || preview.with(|p| matches!(p, Some(Ok(_))))>
                        <button
                            class="text-button"
                            data-testid="csv-use"
                            on:click=move |_| {
                                if let Some(Ok(p)) = preview.get_untracked() {
                                    state.editor.import(state, runner, p.data);
                                }
                                close();
                            }
                        >"Use these points"</button>
                    </Show>
                    <button class="text-button" data-testid="csv-cancel" on:click=move |_| close()>"Close"</button>
                </div>
            </div>
        </Show>
    }
}
