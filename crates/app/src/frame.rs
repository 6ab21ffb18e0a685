//! Browser timing: the next animation frame as a future, and a millisecond clock.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Milliseconds since navigation start (0 where no clock exists, e.g. native tests).
pub fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map(|p| p.now())
        .unwrap_or(0.0)
}

/// Resolves at the browser's next animation frame (right away if there is no window).
pub async fn next_animation_frame() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        let callback: &js_sys::Function = resolve.unchecked_ref();
        // A failed request only means this frame is skipped; the promise then never resolves,
        // so resolve it at once instead.
        if window.request_animation_frame(callback).is_err() {
            let _ = callback.call0(&wasm_bindgen::JsValue::NULL);
        }
    });
    let _ = JsFuture::from(promise).await;
}
