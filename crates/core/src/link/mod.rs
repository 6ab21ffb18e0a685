//! Share links: a lab's whole state in the URL hash, `#v1/<lab>/<key>=<value>&…`.
//!
//! The link is text a teacher may read and edit: every field has a stable key (never an
//! enum's position), values are plain words and numbers, and trained weights travel in one
//! field as base64url of deflated postcard bytes, and so do the user's own points. [`decode`] never fails: it returns a state
//! and a typed error for each field it could not use (that field keeps its default). A
//! TensorFlow Playground hash (`activation=tanh&dataset=circle&…`) is translated.

pub(crate) mod error;
mod fields;
pub(crate) mod lab_fields;
mod playground;
mod points;
mod tfp;
mod weights;

pub use error::LinkError;

use crate::lab::{LabKind, LabState};
use crate::limits::MAX_LINK_CHARS;

/// The current link version; older versions keep decoding forever.
pub const VERSION: &str = "v1";

/// What [`decode`] found: always a usable state, and the problems met on the way.
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded {
    /// The state to open.
    pub state: LabState,
    /// One entry per field that could not be used as written.
    pub errors: Vec<LinkError>,
}

impl Decoded {
    fn fallback(error: LinkError) -> Self {
        Self {
            state: LabState::default(),
            errors: vec![error],
        }
    }
}

/// The link (hash without `#`) for `state`. Check its length with [`check_length`].
pub fn encode(state: &LabState) -> String {
    format!("{VERSION}/{}/{}", state.kind().key(), state.encode_link())
}

/// Refuses a link longer than [`MAX_LINK_CHARS`].
pub fn check_length(link: &str) -> Result<(), LinkError> {
    if link.len() > MAX_LINK_CHARS {
        return Err(LinkError::TooLong { len: link.len() });
    }
    Ok(())
}

/// The state a link (a URL hash, with or without its `#`) describes. Never panics: anything it
/// cannot use is reported and replaced by defaults, field by field.
pub fn decode(hash: &str) -> Decoded {
    let hash = hash.strip_prefix('#').unwrap_or(hash).trim();
    if hash.is_empty() {
        return Decoded {
            state: LabState::default(),
            errors: Vec::new(),
        };
    }
    if let Err(e) = check_length(hash) {
        return Decoded::fallback(e);
    }
    if let Some((version, rest)) = split_version(hash) {
        if version != VERSION {
            return Decoded::fallback(LinkError::Version {
                found: fields::shorten(version),
            });
        }
        let (lab, body) = rest.split_once('/').unwrap_or((rest, ""));
        let Some(kind) = LabKind::from_key(lab) else {
            return Decoded::fallback(LinkError::Lab {
                found: fields::shorten(lab),
            });
        };
        let (state, errors) = kind.decode_link(body);
        return Decoded { state, errors };
    }
    if tfp::looks_like(hash) {
        let (state, errors) = tfp::translate(hash);
        return Decoded {
            state: LabState::Playground(state),
            errors,
        };
    }
    Decoded::fallback(LinkError::Unrecognised)
}

/// `("v1", "playground/…")` for a versioned link.
fn split_version(hash: &str) -> Option<(&str, &str)> {
    let (version, rest) = hash.split_once('/').unwrap_or((hash, ""));
    let digits = version.strip_prefix('v')?;
    (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())).then_some((version, rest))
}

#[cfg(test)]
mod tests;
