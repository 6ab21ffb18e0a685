//! Emberlab's front end: a Leptos CSR app that trains burn networks live in the page.

mod app;
mod backend;
mod budget;
mod components;
mod config_change;
mod drawing;
mod frame;
mod runner;
mod state;
mod timing;

fn main() {
    // Before anything else: see the crate's docs (half the page's time went to re-running
    // constructors without it).
    emberlab_wasm_init::run_static_constructors();
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
