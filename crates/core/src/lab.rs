//! The labs the app hosts, and the state of each as plain data (what links and autosave carry).
//!
//! A lab is registered once, in [`registered_labs!`] below: its kind, state, name, key and link
//! codec come from its [`LabInfo`] (written in the lab's own folder), and the burn labs are also
//! listed in [`crate::run::lab`], which hosts their sessions.

use serde::{Deserialize, Serialize};

use crate::link::error::LinkError;

/// What a lab tells the shell, links and autosave about itself.
pub trait LabInfo {
    /// The lab's whole state (what links and autosave carry).
    type State: Default;
    /// The lab's stable key in links and saved state. Never changes once released.
    const KEY: &'static str;
    /// The lab's title.
    const NAME: &'static str;
    /// What the lab shows, in one line.
    const SUMMARY: &'static str;

    /// The link body (after `v1/<key>/`) for `state`.
    fn encode_link(state: &Self::State) -> String;

    /// The state a link body describes, and each field it could not use (that field keeps its
    /// default). Never panics.
    fn decode_link(body: &str) -> (Self::State, Vec<LinkError>);
}

/// Generates [`LabKind`], [`LabState`] and their dispatch from one list: `Variant => Info`.
macro_rules! registered_labs {
    ($($lab:ident => $info:ty),+ $(,)?) => {
        /// One lab of the app.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum LabKind {
            $(#[doc = concat!("The ", stringify!($lab), " lab.")] $lab,)+
        }

        /// The state of one lab.
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        pub enum LabState {
            $(#[doc = concat!("The ", stringify!($lab), " lab's state.")] $lab(<$info as LabInfo>::State),)+
        }

        impl LabKind {
            /// Every lab, in the order the picker lists them.
            pub const ALL: [LabKind; [$(stringify!($lab)),+].len()] = [$(LabKind::$lab),+];

            /// The lab's title.
            pub fn name(self) -> &'static str {
                match self {
                    $(LabKind::$lab => <$info as LabInfo>::NAME,)+
                }
            }

            /// What the lab shows, in one line.
            pub fn summary(self) -> &'static str {
                match self {
                    $(LabKind::$lab => <$info as LabInfo>::SUMMARY,)+
                }
            }

            /// The stable key used by links and saved state.
            pub fn key(self) -> &'static str {
                match self {
                    $(LabKind::$lab => <$info as LabInfo>::KEY,)+
                }
            }

            /// The lab with this key, if any.
            pub fn from_key(key: &str) -> Option<Self> {
                match key {
                    $(k if k == <$info as LabInfo>::KEY => Some(LabKind::$lab),)+
                    _ => None,
                }
            }

            /// The lab's default state.
            pub fn default_state(self) -> LabState {
                match self {
                    $(LabKind::$lab => LabState::$lab(Default::default()),)+
                }
            }

            /// The state a link body of this lab describes, and what it could not use.
            pub fn decode_link(self, body: &str) -> (LabState, Vec<LinkError>) {
                match self {
                    $(LabKind::$lab => {
                        let (state, errors) = <$info as LabInfo>::decode_link(body);
                        (LabState::$lab(state), errors)
                    })+
                }
            }
        }

        impl LabState {
            /// Which lab this state belongs to.
            pub fn kind(&self) -> LabKind {
                match self {
                    $(LabState::$lab(_) => LabKind::$lab,)+
                }
            }

            /// The link body (after `v1/<key>/`) of this state.
            pub fn encode_link(&self) -> String {
                match self {
                    $(LabState::$lab(state) => <$info as LabInfo>::encode_link(state),)+
                }
            }
        }
    };
}

registered_labs! {
    Playground => crate::playground_state::PlaygroundLab,
    Digits => crate::digits::lab::DigitsLab,
    Recurrence => crate::recurrence::lab::RecurrenceLab,
    Attention => crate::attention::lab::AttentionLab,
}

impl Default for LabState {
    fn default() -> Self {
        LabState::Playground(Default::default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_unique_and_round_trip() {
        for kind in LabKind::ALL {
            assert_eq!(LabKind::from_key(kind.key()), Some(kind));
            assert_eq!(kind.default_state().kind(), kind);
            assert!(!kind.name().is_empty() && !kind.summary().is_empty());
        }
        let keys: std::collections::HashSet<&str> = LabKind::ALL.iter().map(|k| k.key()).collect();
        assert_eq!(keys.len(), LabKind::ALL.len());
        assert_eq!(LabKind::from_key("nope"), None);
    }
}
