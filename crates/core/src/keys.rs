//! Stable keys for the enums a user picks from: the one name each choice has in share links,
//! saved state, `<select>` values and tests, independent of the enum's order or its label.

/// Implements `key()` and `from_key()` for a fieldless enum from a variant → key table.
/// A key, once released in a link, must never change.
#[macro_export]
macro_rules! stable_keys {
    ($ty:ty { $($variant:ident => $key:literal),+ $(,)? }) => {
        impl $ty {
            /// The stable key used by links, saved state, UI values and tests.
            pub fn key(self) -> &'static str {
                match self {
                    $(Self::$variant => $key,)+
                }
            }

            /// The choice with this key, if any.
            pub fn from_key(key: &str) -> Option<Self> {
                match key {
                    $($key => Some(Self::$variant),)+
                    _ => None,
                }
            }
        }
    };
}
