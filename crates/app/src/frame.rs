//! Browser timing: the next animation frame as a future, and a millisecond clock.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Milliseconds since the page or worker started (`Date.now()` where there is no `performance`).
pub fn now_ms() -> f64 {
    // `performance` of the global scope: the page's window or a lab worker's scope (a worker has
    // no window; a clock stuck at 0 there would never end a training slice).
    js_sys::Reflect::get(
        &js_sys::global(),
        &wasm_bindgen::JsValue::from_str("performance"),
    )
    .ok()
    .and_then(|p| p.dyn_into::<web_sys::Performance>().ok())
    .map_or_else(js_sys::Date::now, |p| p.now())
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

/// Work done at most once per interval while it is limited (training plays) and at every
/// change otherwise: views that recompute from the snapshot (a forward pass, a confusion
/// matrix, a weight sample) a few times a second.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Throttle {
    interval_ms: f64,
    last_ms: f64,
}

impl Throttle {
    /// At most once every `interval_ms` while limited.
    pub const fn new(interval_ms: f64) -> Self {
        Self {
            interval_ms,
            last_ms: f64::NEG_INFINITY,
        }
    }

    /// Whether the work is due at `now_ms` (then it counts as done).
    pub fn due(&mut self, now_ms: f64, limited: bool) -> bool {
        if limited && now_ms - self.last_ms < self.interval_ms {
            return false;
        }
        self.last_ms = now_ms;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_throttle_limits_only_while_limited() {
        let mut throttle = Throttle::new(100.0);
        assert!(throttle.due(0.0, true));
        assert!(!throttle.due(50.0, true));
        assert!(throttle.due(60.0, false), "paused: every change");
        assert!(!throttle.due(150.0, true), "counted from the last work");
        assert!(throttle.due(160.0, true));
    }
}
