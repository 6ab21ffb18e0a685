//! Work beside training that must not stall the page: the learning curve and the optimiser race
//! in a worker of their own ([`in_worker`]); run B and the landscape slice still a few
//! milliseconds per animation frame on the page's thread ([`each_frame`]), until the job says it
//! is done or its view closes.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use leptos::task::spawn_local;

use crate::frame::{next_animation_frame, now_ms};
use crate::worker::host::LabWorker;
use crate::worker::jobs::protocol::{JobReport, JobSpec};
use crate::worker::role::Role;

/// Time a background job may take per frame (ms): the playground's own training runs in its
/// worker, so the page stays at 60 frames/s with this on top.
pub const JOB_BUDGET_MS: f64 = 5.0;

/// A running job; stopping it (or dropping the view that holds it) ends its frame loop, or
/// terminates its worker.
#[derive(Clone, Default)]
pub struct Job {
    alive: Rc<Cell<bool>>,
    worker: Rc<RefCell<Option<LabWorker<JobSpec>>>>,
}

impl Job {
    /// Ends the job before its next frame (a worker's at once).
    pub fn stop(&self) {
        self.alive.set(false);
        self.worker.borrow_mut().take();
    }
}

/// Runs `spec` in a worker of its own; its reports go to `on_report` until it ends or the job
/// is stopped (a worker that fails reports [`JobReport::Failed`]). An error says why no worker
/// could start.
pub fn in_worker(spec: &JobSpec, on_report: impl Fn(JobReport) + 'static) -> Result<Job, String> {
    let worker = LabWorker::spawn(Role::Job, on_report)?;
    worker.send(spec).map_err(|e| e.to_string())?;
    Ok(Job {
        alive: Rc::new(Cell::new(true)),
        worker: Rc::new(RefCell::new(Some(worker))),
    })
}

/// Runs `work(deadline_ms)` once per animation frame until it returns `false` or the returned
/// job is stopped. `work` should return once `now_ms()` passes the deadline.
pub fn each_frame(mut work: impl FnMut(f64) -> bool + 'static) -> Job {
    let job = Job {
        alive: Rc::new(Cell::new(true)),
        worker: Rc::default(),
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
