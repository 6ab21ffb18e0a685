//! Messages for the user: one per topic, shown together in the notice overlay, each dismissible,
//! and cleared by the code that fixes its cause.

use emberlab_core::link::Decoded;
use leptos::prelude::*;

/// What a message is about; a new message replaces the old one of the same topic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Topic {
    /// A link that could not be used as written.
    Link,
    /// The browser's storage (autosave).
    Storage,
    /// An edit that was refused.
    Config,
    /// Training diverged or stalled.
    Training,
    /// The back end (WebGPU missing or lost, `?backend=`).
    Backend,
    /// Training restarted after an edit (brief).
    Restart,
    /// Sharing (a link too long, the clipboard).
    Share,
    /// Files saved or loaded (exports, a model or CSV import).
    Files,
}

/// One message.
#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    /// Its topic.
    pub topic: Topic,
    /// The sentence to read.
    pub text: String,
    /// Items listed under it (e.g. each field of a link that could not be used).
    pub details: Vec<String>,
}

/// The messages on screen.
#[derive(Clone, Copy)]
pub struct Notices(pub RwSignal<Vec<Notice>>);

impl Notices {
    /// Lists a decoded link's problems under `topic`, after `intro`; clears the topic when
    /// there are none.
    pub fn report(&self, topic: Topic, intro: &str, decoded: &Decoded) {
        if decoded.errors.is_empty() {
            self.clear(topic);
            return;
        }
        self.say(
            topic,
            intro,
            decoded.errors.iter().map(ToString::to_string).collect(),
        );
    }

    /// No messages.
    pub fn new() -> Self {
        Self(RwSignal::new(Vec::new()))
    }

    /// Shows `text` (and `details`) under `topic`, replacing that topic's message.
    pub fn say(&self, topic: Topic, text: impl Into<String>, details: Vec<String>) {
        let notice = Notice {
            topic,
            text: text.into(),
            details,
        };
        self.0
            .update(|all| match all.iter_mut().find(|n| n.topic == topic) {
                Some(old) => *old = notice,
                None => all.push(notice),
            });
    }

    /// Shows a brief message that goes by itself after `ms` (unless replaced meanwhile).
    pub fn flash(&self, topic: Topic, text: impl Into<String>, ms: u64) {
        let text = text.into();
        self.say(topic, text.clone(), Vec::new());
        let this = *self;
        set_timeout(
            move || {
                if this.get(topic).is_some_and(|n| n.text == text) {
                    this.clear(topic);
                }
            },
            std::time::Duration::from_millis(ms),
        );
    }

    /// Removes `topic`'s message, if any (its cause is fixed).
    pub fn clear(&self, topic: Topic) {
        if self
            .0
            .with_untracked(|all| all.iter().any(|n| n.topic == topic))
        {
            self.0.update(|all| all.retain(|n| n.topic != topic));
        }
    }

    /// The message of `topic`, if shown.
    pub fn get(&self, topic: Topic) -> Option<Notice> {
        self.0
            .with_untracked(|all| all.iter().find(|n| n.topic == topic).cloned())
    }
}
