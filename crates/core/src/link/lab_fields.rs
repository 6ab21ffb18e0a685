//! Link fields of the burn labs (convolution, attention, recurrence), as tables: each field
//! has a stable key, a writer and a reader. Decoding applies fields one by one and keeps a
//! field only if the config still validates with it, so each bad field is reported with the
//! lab's own message and keeps its default.

use super::LinkError;
use super::fields::{self, Writer};

/// A field holding a number (any `FromStr + ToString` type) at `c.<path>`.
macro_rules! number_field {
    ($key:literal, $($path:ident).+) => {
        $crate::link::lab_fields::Field {
            key: $key,
            write: |c| c.$($path).+.to_string(),
            read: |c, v| {
                c.$($path).+ = $crate::link::lab_fields::number(v)?;
                Ok(())
            },
        }
    };
}

/// A field holding one of `$kind::ALL` at `c.<path>`, written as its stable key.
macro_rules! keyed_field {
    ($key:literal, $($path:ident).+, $kind:ident) => {
        $crate::link::lab_fields::Field {
            key: $key,
            write: |c| c.$($path).+.key().to_string(),
            read: |c, v| {
                c.$($path).+ = $crate::link::lab_fields::keyed(v, &$kind::ALL, $kind::key)?;
                Ok(())
            },
        }
    };
}

/// A field holding a `bool` at `c.<path>`, written as 0 or 1.
macro_rules! flag_field {
    ($key:literal, $($path:ident).+) => {
        $crate::link::lab_fields::Field {
            key: $key,
            write: |c| u8::from(c.$($path).+).to_string(),
            read: |c, v| {
                c.$($path).+ = $crate::link::lab_fields::flag(v)?;
                Ok(())
            },
        }
    };
}

pub(crate) use {flag_field, keyed_field, number_field};

/// One field of a lab's link.
pub(crate) struct Field<C> {
    /// The stable key.
    pub(crate) key: &'static str,
    /// The field's text.
    pub(crate) write: fn(&C) -> String,
    /// Sets the field from its text, or says why the text is not a value.
    pub(crate) read: fn(&mut C, &str) -> Result<(), String>,
}

/// The link body of `config`.
pub(crate) fn encode<C>(config: &C, table: &[Field<C>]) -> String {
    let mut w = Writer::default();
    for field in table {
        w.field(field.key, (field.write)(config));
    }
    w.finish()
}

/// The config a link body describes (starting from the default), with one error per field
/// that could not be used. The result always validates.
pub(crate) fn decode<C: Clone + Default>(
    body: &str,
    table: &[Field<C>],
    validate: fn(&C) -> Result<(), String>,
) -> (C, Vec<LinkError>) {
    let mut config = C::default();
    let mut errors = Vec::new();
    for (key, value) in fields::pairs(body) {
        let Some(field) = table.iter().find(|f| f.key == key) else {
            errors.push(LinkError::UnknownField {
                key: fields::shorten(&key),
            });
            continue;
        };
        let mut next = config.clone();
        let problem = match (field.read)(&mut next, &value) {
            Err(problem) => Some(problem),
            Ok(()) => validate(&next).err(),
        };
        match problem {
            Some(problem) => errors.push(LinkError::Field {
                key: fields::shorten(&key),
                value: fields::shorten(&value),
                problem,
            }),
            None => config = next,
        }
    }
    (config, errors)
}

/// A number, or why it is not one.
pub(crate) fn number<T: std::str::FromStr>(text: &str) -> Result<T, String> {
    text.trim()
        .parse()
        .map_err(|_| "it is not a number of the right kind".to_string())
}

/// `1`/`0` (or `true`/`false`).
pub(crate) fn flag(text: &str) -> Result<bool, String> {
    match text {
        "1" | "true" => Ok(true),
        "0" | "false" => Ok(false),
        _ => Err("use 1 or 0".to_string()),
    }
}

/// A comma list of whole numbers.
pub(crate) fn list(text: &str) -> Result<Vec<usize>, String> {
    text.split(',')
        .filter(|p| !p.is_empty())
        .map(number)
        .collect()
}

/// A comma list of whole numbers as text.
pub(crate) fn list_text(values: &[usize]) -> String {
    values
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

/// A keyed choice, or the list of known keys.
pub(crate) fn keyed<T: Copy>(
    text: &str,
    all: &[T],
    key: fn(T) -> &'static str,
) -> Result<T, String> {
    all.iter()
        .copied()
        .find(|v| key(*v) == text)
        .ok_or_else(|| {
            let known: Vec<&str> = all.iter().map(|v| key(*v)).collect();
            format!("known values are {}", known.join(", "))
        })
}
