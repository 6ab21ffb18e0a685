//! Emberlab's front end: a Leptos CSR app that trains burn networks live in the page.

mod app;
mod backend;
mod components;
mod config_change;
mod drawing;
mod frame;
mod runner;
mod state;
mod timing;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
