//! Work beside training that must not stall the page (run B, the optimiser race, the learning
//! curve, the landscape slice): a few milliseconds per animation frame, on the main thread,
//! until the job says it is done or its view closes.

use std::cell::Cell;
use std::rc::Rc;

use leptos::task::spawn_local;

use crate::frame::{next_animation_frame, now_ms};

/// Time a background job may take per frame (ms): the playground's own training runs in its
/// worker, so the page stays at 60 frames/s with this on top.
pub const JOB_BUDGET_MS: f64 = 5.0;

/// A running job; stopping it (or dropping the view that holds it) ends its frame loop.
#[derive(Clone, Default)]
pub struct Job {
    alive: Rc<Cell<bool>>,
}

impl Job {
    /// Ends the job before its next frame.
    pub fn stop(&self) {
        self.alive.set(false);
    }
}

/// Runs `work(deadline_ms)` once per animation frame until it returns `false` or the returned
/// job is stopped. `work` should return once `now_ms()` passes the deadline.
pub fn each_frame(mut work: impl FnMut(f64) -> bool + 'static) -> Job {
    let job = Job {
        alive: Rc::new(Cell::new(true)),
    };
    let alive = job.alive.clone();
    spawn_local(async move {
        loop {
            next_animation_frame().await;
            if !alive.get() {
                break;
            }
            let start = now_ms();
            let more = work(start + JOB_BUDGET_MS);
            let spent_ms = now_ms() - start;
            crate::timing::record("background", spent_ms);
            if !more {
                alive.set(false);
                break;
            }
        }
    });
    job
}

/// Whether `deadline` (ms, from [`now_ms`]) has passed. An infinite deadline never passes and
/// reads no clock (native tests run jobs to the end with it).
pub fn past(deadline: f64) -> bool {
    deadline.is_finite() && now_ms() > deadline
}
