//! The page side of a lab's worker: starts it on the page's own wasm, queues commands until it
//! is ready, hands its reports to a callback, and terminates it when dropped (a closed lab
//! leaves no training behind).

use std::cell::{Cell, RefCell};
use std::marker::PhantomData;
use std::rc::Rc;

use serde::Serialize;
use serde::de::DeserializeOwned;

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{ErrorEvent, Event, MessageEvent, Worker, WorkerOptions, WorkerType};

use super::protocol::{FromWorker, ToWorker, WorkerError, decode, encode};
use super::role::Role;

/// The worker's bootstrap script (copied next to index.html by trunk).
const BOOT_SCRIPT: &str = "./worker.js";

/// Counts the running workers of each role on the page's `window` (`__emberlabWorkers` for the
/// burn labs', `__emberlabPlaygroundWorkers` for the playground's, `__emberlabJobWorkers` for
/// its background jobs): the browser tests check that closing a lab leaves none behind.
fn count_workers(role: Role, delta: f64) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let key = wasm_bindgen::JsValue::from_str(match role {
        Role::Lab => "__emberlabWorkers",
        Role::Playground => "__emberlabPlaygroundWorkers",
        Role::Job => "__emberlabJobWorkers",
    });
    let now = js_sys::Reflect::get(&window, &key)
        .ok()
        .and_then(|v| v.as_f64())
        .unwrap_or(0.0);
    let _ = js_sys::Reflect::set(&window, &key, &(now + delta).into());
}

/// What a worker reports, as the host needs to know it.
pub trait Report: DeserializeOwned + 'static {
    /// Whether this is the worker's "ready" (its wasm runs; queued commands can go).
    fn is_ready(&self) -> bool;
    /// The report standing for a failure the page saw (a crash, an unreadable message).
    fn failure(error: WorkerError) -> Self;
}

impl Report for FromWorker {
    fn is_ready(&self) -> bool {
        *self == FromWorker::Ready
    }

    fn failure(error: WorkerError) -> Self {
        FromWorker::Error(error)
    }
}

/// A running worker that takes `To` commands (a burn lab's by default).
pub struct LabWorker<To = ToWorker> {
    worker: Worker,
    role: Role,
    ready: Rc<Cell<bool>>,
    queue: Rc<RefCell<Vec<Vec<u8>>>>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(Event)>,
    _on_message_error: Closure<dyn FnMut(MessageEvent)>,
    _commands: PhantomData<To>,
}

impl<To: Serialize> LabWorker<To> {
    /// Starts a worker that runs this page's wasm in `role`; `on_report` gets everything it
    /// says, and a [`WorkerError`] when the worker fails (an uncaught error, a script that
    /// cannot load, a message that cannot be read).
    pub fn spawn<From: Report>(
        role: Role,
        on_report: impl Fn(From) + 'static,
    ) -> Result<LabWorker<To>, String> {
        let on_report = Rc::new(on_report);
        let (glue, wasm) = module_urls().ok_or("the page's own module could not be found")?;
        let options = WorkerOptions::new();
        options.set_type(WorkerType::Module);
        let worker = Worker::new_with_options(BOOT_SCRIPT, &options)
            .map_err(|_| "the browser refused to start a Web Worker".to_string())?;
        let ready = Rc::new(Cell::new(false));
        let queue: Rc<RefCell<Vec<Vec<u8>>>> = Rc::new(RefCell::new(Vec::new()));
        let on_message = {
            let (ready, queue, worker) = (Rc::clone(&ready), Rc::clone(&queue), worker.clone());
            let on_report = Rc::clone(&on_report);
            Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
                let bytes = js_sys::Uint8Array::new(&event.data()).to_vec();
                let report = match decode::<From>(&bytes) {
                    Ok(report) => report,
                    Err(e) => From::failure(e),
                };
                if report.is_ready() {
                    ready.set(true);
                    for message in queue.borrow_mut().drain(..) {
                        send_bytes(&worker, &message);
                    }
                }
                on_report(report);
            })
        };
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        let on_error = {
            let on_report = Rc::clone(&on_report);
            Closure::<dyn FnMut(Event)>::new(move |event: Event| {
                event.prevent_default();
                let what = event
                    .dyn_ref::<ErrorEvent>()
                    .map(|e| e.message())
                    .filter(|m| !m.is_empty())
                    .unwrap_or_else(|| "its script could not load".to_string());
                on_report(From::failure(WorkerError::Crashed(what)));
            })
        };
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        let on_message_error = {
            let on_report = Rc::clone(&on_report);
            Closure::<dyn FnMut(MessageEvent)>::new(move |_: MessageEvent| {
                on_report(From::failure(WorkerError::Message(
                    "the browser could not pass it on".to_string(),
                )));
            })
        };
        worker.set_onmessageerror(Some(on_message_error.as_ref().unchecked_ref()));
        let boot = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&boot, &"glue".into(), &glue.into());
        let _ = js_sys::Reflect::set(&boot, &"wasm".into(), &wasm.into());
        let _ = js_sys::Reflect::set(&boot, &"role".into(), &role.name().into());
        worker
            .post_message(&boot)
            .map_err(|_| "the worker could not be started".to_string())?;
        count_workers(role, 1.0);
        Ok(LabWorker {
            worker,
            role,
            ready,
            queue,
            _on_message: on_message,
            _on_error: on_error,
            _on_message_error: on_message_error,
            _commands: PhantomData,
        })
    }

    /// Sends a command (queued until the worker is ready).
    pub fn send(&self, command: &To) -> Result<(), WorkerError> {
        let bytes = encode(command)?;
        if self.ready.get() {
            send_bytes(&self.worker, &bytes);
        } else {
            self.queue.borrow_mut().push(bytes);
        }
        Ok(())
    }
}

impl<To> Drop for LabWorker<To> {
    fn drop(&mut self) {
        self.worker.set_onmessage(None);
        self.worker.set_onerror(None);
        self.worker.set_onmessageerror(None);
        self.worker.terminate();
        count_workers(self.role, -1.0);
    }
}

fn send_bytes(worker: &Worker, bytes: &[u8]) {
    let array = js_sys::Uint8Array::from(bytes);
    let _ = worker.post_message(&array);
}

/// The URLs of this page's wasm-bindgen glue and wasm, from the preload links trunk writes.
fn module_urls() -> Option<(String, String)> {
    let document = web_sys::window()?.document()?;
    let href = |selector: &str| -> Option<String> {
        document
            .query_selector(selector)
            .ok()??
            .dyn_into::<web_sys::HtmlLinkElement>()
            .ok()
            .map(|l| l.href())
    };
    Some((
        href("link[rel=modulepreload][href$='.js']")?,
        href("link[rel=preload][href$='.wasm']")?,
    ))
}
