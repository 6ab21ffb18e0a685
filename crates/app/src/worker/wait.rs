//! Waiting inside a worker: a mailbox of commands that wakes the worker's loop when one comes,
//! and a yield that lets queued messages in without a timer's 4 ms clamp.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use web_sys::MessageChannel;

/// Commands not handled yet, and how to wake the loop when one comes.
pub struct Mailbox<T> {
    inbox: VecDeque<T>,
    wake: Option<js_sys::Function>,
}

impl<T> Default for Mailbox<T> {
    fn default() -> Self {
        Self {
            inbox: VecDeque::new(),
            wake: None,
        }
    }
}

impl<T> Mailbox<T> {
    /// Queues `command` and wakes the loop if it waits.
    pub fn deliver(mailbox: &Rc<RefCell<Mailbox<T>>>, command: T) {
        let wake = {
            let mut m = mailbox.borrow_mut();
            m.inbox.push_back(command);
            m.wake.take()
        };
        if let Some(wake) = wake {
            let _ = wake.call0(&JsValue::NULL);
        }
    }

    /// The commands queued so far, oldest first.
    pub fn take(&mut self) -> Vec<T> {
        self.inbox.drain(..).collect()
    }
}

/// Resolves after the messages already queued (a message-channel round trip: unlike a 0 ms
/// timer, never clamped to 4 ms).
pub async fn yield_now() {
    let Ok(channel) = MessageChannel::new() else {
        return;
    };
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        channel.port1().set_onmessage(Some(&resolve));
    });
    let _ = channel.port2().post_message(&JsValue::NULL);
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Resolves when a command is waiting.
pub async fn next_message<T>(mailbox: &Rc<RefCell<Mailbox<T>>>) {
    if !mailbox.borrow().inbox.is_empty() {
        return;
    }
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        mailbox.borrow_mut().wake = Some(resolve);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
