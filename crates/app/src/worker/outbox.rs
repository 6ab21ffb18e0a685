//! What a worker sends its page: postcard bytes whose buffer is transferred, not copied.

use serde::Serialize;
use wasm_bindgen::JsCast;
use web_sys::DedicatedWorkerGlobalScope;

use super::protocol::{WorkerError, encode};

/// The worker's global scope (none in the page).
pub fn scope() -> Option<DedicatedWorkerGlobalScope> {
    js_sys::global().dyn_into().ok()
}

/// Posts `message` to the page; one that cannot be written is replaced by `failure` of why.
pub fn post<T: Serialize>(message: &T, failure: impl FnOnce(WorkerError) -> T) {
    let Some(scope) = scope() else {
        return;
    };
    let bytes = match encode(message) {
        Ok(bytes) => bytes,
        Err(e) => match encode(&failure(e)) {
            Ok(bytes) => bytes,
            Err(_) => return,
        },
    };
    let array = js_sys::Uint8Array::from(bytes.as_slice());
    let transfer = js_sys::Array::of1(&array.buffer());
    let _ = scope.post_message_with_transfer(&array, &transfer);
}
