//! Training burn's op-by-op labs (convolution, recurrence, attention) in a dedicated Web
//! Worker, so the page never freezes: a burn step costs milliseconds in WebAssembly, an
//! evaluation tens of them.
//!
//! One wasm module serves page and worker: `web/worker.js` (a module worker, with the WebGPU
//! shim) imports the page's own wasm-bindgen glue and wasm, whose `main` sees it runs in a
//! worker and starts [`guest::run`] instead of mounting the page. Messages are postcard bytes
//! of [`protocol`] types.

pub mod guest;
pub mod host;
pub mod playground;
pub mod protocol;
pub mod role;
pub mod run;
