//! Runs the module's static constructors exactly once.
//!
//! Some dependencies (cubecl, through `inventory`) register things in static constructors.
//! When nothing in a wasm module calls `__wasm_call_ctors` itself, wasm-ld links it as a
//! "command" and wraps *every* export so that it runs all constructors first. wasm-bindgen
//! calls exports for every value passed between JS and Rust, so the page re-ran cubecl's
//! constructors hundreds of times a frame: about half of the main thread's time (measured
//! with a CPU profile). One explicit call at start-up tells wasm-ld to drop the wrappers.
//! See wasm-ld's `createCommandExportWrappers` and dtolnay/inventory#76.

#[cfg(target_arch = "wasm32")]
#[allow(unsafe_code)]
unsafe extern "C" {
    /// Synthesised by wasm-ld: calls every static constructor of the module.
    fn __wasm_call_ctors();
}

/// Runs the static constructors. Call it once, first thing in `main`; elsewhere a no-op.
pub fn run_static_constructors() {
    #[cfg(target_arch = "wasm32")]
    #[allow(unsafe_code)]
    // SAFETY: `__wasm_call_ctors` takes no arguments and only runs the module's constructors
    // (which register entries in `inventory` lists). It is called once, before any code that
    // reads those lists, from the single thread a browser page runs this module on.
    unsafe {
        __wasm_call_ctors();
    }
}
