//! Emberlab's front end: a Leptos CSR app that trains burn networks live in the page.

mod app;
mod autosave;
mod backend;
mod drawing;
mod files;
mod frame;
mod help;
mod labs;
mod link;
mod notice;
mod shell;
mod timing;
mod worker;

fn main() {
    // Before anything else: see the crate's docs (half the page's time went to re-running
    // constructors without it).
    emberlab_wasm_init::run_static_constructors();
    console_error_panic_hook::set_once();
    // The same module runs the labs' Web Worker (see `worker`).
    if worker::guest::in_worker() {
        match worker::role::Role::of_this_worker() {
            worker::role::Role::Lab => worker::guest::run(),
            worker::role::Role::Playground => worker::playground::guest::run(),
            worker::role::Role::Job => worker::jobs::guest::run(),
        }
        return;
    }
    leptos::mount::mount_to_body(app::App);
}
