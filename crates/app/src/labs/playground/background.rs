//! Work beside training that the page's thread must not do: run B, the optimiser race, the
//! learning curve and the landscape slice each run in a worker of their own
//! (`worker/jobs`), until the job ends or its view closes.

use std::cell::RefCell;
use std::rc::Rc;

use leptos::task::spawn_local;

use crate::worker::host::LabWorker;
use crate::worker::jobs::protocol::{JobReport, JobSpec, ToJob};
use crate::worker::role::Role;

/// A running job; stopping it (or dropping the view that holds it) terminates its worker.
#[derive(Clone, Default)]
pub struct Job {
    worker: Rc<RefCell<Option<LabWorker<ToJob>>>>,
}

impl Job {
    /// Ends the job: its worker is terminated.
    pub fn stop(&self) {
        // Dropped after this task: a report of the worker may be what stops it, and its
        // handler must not be freed while it runs.
        let worker = self.worker.borrow_mut().take();
        spawn_local(async move { drop(worker) });
    }

    /// Tells a following job (run B) how far to train.
    pub fn follow(&self, epoch: u64) {
        if let Some(worker) = self.worker.borrow().as_ref() {
            let _ = worker.send(&ToJob::Follow(epoch));
        }
    }
}

/// Runs `spec` in a worker of its own; its reports go to `on_report` until it ends or the job
/// is stopped (a worker that fails reports [`JobReport::Failed`]). An error says why no worker
/// could start.
pub fn in_worker(spec: &JobSpec, on_report: impl Fn(JobReport) + 'static) -> Result<Job, String> {
    let worker = LabWorker::spawn(Role::Job, on_report)?;
    worker
        .send(&ToJob::Start(Box::new(spec.clone())))
        .map_err(|e| e.to_string())?;
    Ok(Job {
        worker: Rc::new(RefCell::new(Some(worker))),
    })
}
