//! Which job a worker of this module does: one wasm module serves the page and its workers,
//! and the page names the job in the message that boots a worker (`web/worker.js` keeps it on
//! the worker's global scope before the module starts).

/// What a worker runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// A burn lab's session (convolution, recurrence, attention): [`super::guest`].
    Lab,
    /// The playground's engines: [`super::playground::guest`].
    Playground,
    /// One of the playground's background jobs: [`super::jobs::guest`].
    Job,
}

/// Where `web/worker.js` keeps the role on the worker's global scope.
const ROLE_KEY: &str = "__emberlabRole";

impl Role {
    /// The name the boot message carries.
    pub fn name(self) -> &'static str {
        match self {
            Role::Lab => "lab",
            Role::Playground => "playground",
            Role::Job => "job",
        }
    }

    /// The role this worker was booted with (a lab's, if none was named).
    pub fn of_this_worker() -> Role {
        let named = js_sys::Reflect::get(&js_sys::global(), &ROLE_KEY.into())
            .ok()
            .and_then(|v| v.as_string());
        match named.as_deref() {
            Some("playground") => Role::Playground,
            Some("job") => Role::Job,
            _ => Role::Lab,
        }
    }
}
