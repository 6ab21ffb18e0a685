//! Everything that trains runs in a dedicated Web Worker, so the page's thread only draws:
//! burn's op-by-op labs (convolution, recurrence, attention: [`guest`], [`run`]), the
//! playground's engines ([`playground`]) and its background jobs ([`jobs`]).
//!
//! One wasm module serves page and workers: `web/worker.js` (a module worker, with the WebGPU
//! shim) imports the page's own wasm-bindgen glue and wasm, whose `main` sees it runs in a
//! worker and starts the loop of the worker's [`role`] instead of mounting the page. Messages
//! are postcard bytes ([`protocol`] and each role's own); [`host`] is the page side of any
//! worker, [`wait`] how a worker waits for its messages.

pub mod guest;
pub mod host;
pub mod jobs;
pub mod outbox;
pub mod playground;
pub mod protocol;
pub mod role;
pub mod run;
pub mod wait;
