//! Choosing the digit to look inside: a test image (previous/next), or one the learner draws
//! with the mouse or a finger. A drawing becomes an 8×8 input the way the data set was made
//! (core's `digit_from_ink`), and the probabilities follow as they draw.

use emberlab_core::digits::{Digits, DrawnDigit, Probe};
use leptos::html::Canvas;
use leptos::prelude::*;
use web_sys::{HtmlCanvasElement, PointerEvent};

use super::DigitsPage;
use crate::drawing::{context_2d, put_gray};

/// Backing-store side of the drawing canvas (CSS shows it at the same size).
const DRAW_PX: u32 = 160;
/// Side of the ink grid read back from the drawing.
const INK_SIDE: usize = 64;
/// Pen width, in canvas pixels.
const PEN_PX: f64 = 14.0;

/// The ink (0..1) of the drawing on an `INK_SIDE²` grid.
fn ink_of(canvas: &HtmlCanvasElement) -> Option<Vec<f32>> {
    let ctx = context_2d(canvas)?;
    let data = ctx
        .get_image_data(0.0, 0.0, f64::from(DRAW_PX), f64::from(DRAW_PX))
        .ok()?
        .data();
    let side = DRAW_PX as usize;
    let cell = side / INK_SIDE;
    let mut ink = vec![0.0f32; INK_SIDE * INK_SIDE];
    for y in 0..side {
        for x in 0..side {
            let alpha = f32::from(data.get((y * side + x) * 4 + 3).copied().unwrap_or(0)) / 255.0;
            let (gx, gy) = ((x / cell).min(INK_SIDE - 1), (y / cell).min(INK_SIDE - 1));
            ink[gy * INK_SIDE + gx] += alpha / (cell * cell) as f32;
        }
    }
    Some(ink)
}

/// Test images to step through, and the drawing canvas.
#[component]
pub fn ProbePicker(page: DigitsPage) -> impl IntoView {
    let canvas_ref: NodeRef<Canvas> = NodeRef::new();
    let preview_ref: NodeRef<Canvas> = NodeRef::new();
    let drawing = StoredValue::new(false);
    let last = StoredValue::new(None::<(f64, f64)>);
    let tests = Memo::new(move |_| {
        page.config
            .with(|c| c.validate().map(|e| e.split().test.len()).unwrap_or(0))
    });
    let test_index = move || match page.probe.get() {
        Probe::Test(i) => Some(i),
        Probe::Drawn(_) => None,
    };
    let choose = move |delta: i64| {
        let n = tests.get_untracked() as i64;
        if n == 0 {
            return;
        }
        let current = match page.probe.get_untracked() {
            Probe::Test(i) => i64::from(i),
            Probe::Drawn(_) => -delta.signum().min(0),
        };
        let next = (current + delta).rem_euclid(n) as u32;
        page.probe.set(Probe::Test(next));
        page.send_request();
    };
    // The chosen test image, shown as the data set stores it (8×8 grey levels).
    Effect::new(move |_| {
        let Some(canvas) = preview_ref.get() else {
            return;
        };
        let pixels = match page.probe.get() {
            Probe::Test(i) => page.config.with(|c| {
                let split = c.validate().ok()?.split();
                let image = *split.test.get(i as usize)?;
                Digits::get()
                    .pixels(image)
                    .map(|p| p.iter().map(|&v| f32::from(v)).collect::<Vec<f32>>())
            }),
            Probe::Drawn(d) => Some(d.pixels().to_vec()),
        };
        if let Some(pixels) = pixels {
            put_gray(&canvas, &pixels, 8, 16.0);
        }
    });
    let stroke_to = move |canvas: &HtmlCanvasElement, x: f64, y: f64| {
        let Some(ctx) = context_2d(canvas) else {
            return;
        };
        ctx.set_stroke_style_str("#111");
        ctx.set_line_width(PEN_PX);
        ctx.set_line_cap("round");
        ctx.begin_path();
        let (fx, fy) = last.get_value().unwrap_or((x, y));
        ctx.move_to(fx, fy);
        ctx.line_to(x + 0.01, y);
        ctx.stroke();
        last.set_value(Some((x, y)));
    };
    let position = |ev: &PointerEvent, canvas: &HtmlCanvasElement| {
        let rect = canvas.get_bounding_client_rect();
        let scale = f64::from(DRAW_PX) / rect.width().max(1.0);
        (
            (f64::from(ev.client_x()) - rect.left()) * scale,
            (f64::from(ev.client_y()) - rect.top()) * scale,
        )
    };
    let send_drawing = move || {
        let Some(canvas) = canvas_ref.get_untracked() else {
            return;
        };
        if let Some(ink) = ink_of(&canvas) {
            page.probe
                .set(Probe::Drawn(DrawnDigit::from_ink(&ink, INK_SIDE)));
            page.send_request();
        }
    };
    let down = move |ev: PointerEvent| {
        let Some(canvas) = canvas_ref.get_untracked() else {
            return;
        };
        ev.prevent_default();
        let _ = canvas.set_pointer_capture(ev.pointer_id());
        drawing.set_value(true);
        last.set_value(None);
        let (x, y) = position(&ev, &canvas);
        stroke_to(&canvas, x, y);
        send_drawing();
    };
    let moved = move |ev: PointerEvent| {
        if !drawing.get_value() {
            return;
        }
        let Some(canvas) = canvas_ref.get_untracked() else {
            return;
        };
        let (x, y) = position(&ev, &canvas);
        stroke_to(&canvas, x, y);
        send_drawing();
    };
    let up = move |_: PointerEvent| {
        drawing.set_value(false);
        last.set_value(None);
    };
    let clear = move |_| {
        if let Some(canvas) = canvas_ref.get_untracked()
            && let Some(ctx) = context_2d(&canvas)
        {
            ctx.clear_rect(0.0, 0.0, f64::from(DRAW_PX), f64::from(DRAW_PX));
        }
        page.probe.set(Probe::Test(0));
        page.send_request();
    };
    view! {
        <div class="probe-picker">
            <div class="probe-source">
                <div class="probe-tests">
                    <span class="field-label">"A test image"</span>
                    <div class="probe-buttons">
                        <button class="small" aria-label="Previous test image" data-testid="probe-previous" on:click=move |_| choose(-1)>"‹"</button>
                        <canvas
                            node_ref=preview_ref
                            class="digit-preview"
                            width="8"
                            height="8"
                            role="img"
                            aria-label="The digit being looked at, as the networks see it (8×8 pixels)"
                        ></canvas>
                        <button class="small" aria-label="Next test image" data-testid="probe-next" on:click=move |_| choose(1)>"›"</button>
                    </div>
                    <span class="probe-caption" data-testid="probe-caption">
                        {move || match test_index() {
                            Some(i) => format!("test image {} of {}", i + 1, tests.get()),
                            None => "your drawing".to_string(),
                        }}
                    </span>
                </div>
                <div class="probe-draw">
                    <span class="field-label">"…or draw a digit"</span>
                    <canvas
                        node_ref=canvas_ref
                        class="draw-canvas"
                        data-testid="draw-canvas"
                        width=DRAW_PX
                        height=DRAW_PX
                        role="img"
                        aria-label="Drawing area: draw a digit with the mouse or a finger"
                        on:pointerdown=down
                        on:pointermove=moved
                        on:pointerup=up
                        on:pointercancel=up
                    ></canvas>
                    <button class="text-button" data-testid="draw-clear" on:click=clear>"Clear"</button>
                </div>
            </div>
        </div>
    }
}
