//! Per-phase frame timings (moving averages and counts), published on
//! `window.__emberlabTiming` / `__emberlabCounts` so the benchmark (and a curious user) can see
//! where a frame's time goes.

use std::cell::RefCell;
use std::collections::BTreeMap;

use crate::frame::now_ms;

/// Weight of the newest sample in the moving average.
const SMOOTHING: f64 = 0.1;
/// How often the averages are copied to `window`.
const PUBLISH_EVERY_MS: f64 = 100.0;

#[derive(Default)]
struct Timings {
    average_ms: BTreeMap<&'static str, f64>,
    counts: BTreeMap<&'static str, u64>,
    published_ms: f64,
}

thread_local! {
    static TIMINGS: RefCell<Timings> = RefCell::new(Timings::default());
}

/// Runs `work`, adding its duration to the phase `name`.
pub fn timed<T>(name: &'static str, work: impl FnOnce() -> T) -> T {
    let start = now_ms();
    let out = work();
    record(name, now_ms() - start);
    out
}

/// Adds one sample of `ms` to the phase `name`.
pub fn record(name: &'static str, ms: f64) {
    TIMINGS.with(|t| {
        let mut t = t.borrow_mut();
        let avg = t.average_ms.entry(name).or_insert(ms);
        *avg += SMOOTHING * (ms - *avg);
        *t.counts.entry(name).or_insert(0) += 1;
        let now = now_ms();
        if now - t.published_ms >= PUBLISH_EVERY_MS {
            t.published_ms = now;
            publish(
                "__emberlabTiming",
                t.average_ms.iter().map(|(k, v)| (*k, *v)),
            );
            publish(
                "__emberlabCounts",
                t.counts.iter().map(|(k, v)| (*k, *v as f64)),
            );
        }
    });
}

fn publish(global: &str, values: impl Iterator<Item = (&'static str, f64)>) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let object = js_sys::Object::new();
    for (name, value) in values {
        let _ = js_sys::Reflect::set(&object, &name.into(), &value.into());
    }
    let _ = js_sys::Reflect::set(&window, &global.into(), &object);
}

/// Marks the first drawn frame (`window.__emberlabFirstFrameMs`, ms since navigation start).
pub fn mark_first_frame() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let key = "__emberlabFirstFrameMs".into();
    if js_sys::Reflect::has(&window, &key).unwrap_or(true) {
        return;
    }
    let _ = js_sys::Reflect::set(&window, &key, &now_ms().into());
}

/// Times the rest of a scope (for closures with early returns).
pub struct Span {
    name: &'static str,
    start: f64,
}

impl Span {
    /// Starts timing phase `name`; the sample is taken when the span drops.
    pub fn new(name: &'static str) -> Self {
        Self {
            name,
            start: now_ms(),
        }
    }
}

impl Drop for Span {
    fn drop(&mut self) {
        record(self.name, now_ms() - self.start);
    }
}
