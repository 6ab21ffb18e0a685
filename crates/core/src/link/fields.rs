//! The `key=value&key=value` text of a link: splitting, percent-decoding and writing.

/// Longest value quoted back in an error message.
const QUOTE_CHARS: usize = 40;

/// The `(key, value)` pairs of a link body, percent-decoded, in order. Empty pieces are
/// skipped; a piece without `=` has an empty value.
pub(crate) fn pairs(body: &str) -> Vec<(String, String)> {
    body.split('&')
        .filter(|piece| !piece.is_empty())
        .map(|piece| {
            let (key, value) = piece.split_once('=').unwrap_or((piece, ""));
            (percent_decode(key), percent_decode(value))
        })
        .collect()
}

/// Decodes `%XX` escapes (links pasted through mail or chat often get some); anything that is
/// not a valid escape, or not UTF-8 once decoded, is kept as written.
pub(crate) fn percent_decode(text: &str) -> String {
    if !text.contains('%') {
        return text.to_string();
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = (bytes[i] == b'%')
            .then(|| bytes.get(i + 1..i + 3))
            .flatten()
            .and_then(|hex| std::str::from_utf8(hex).ok())
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match escaped {
            Some(byte) => {
                out.push(byte);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

/// A value shortened for quoting in a message (hostile links can be long).
pub(crate) fn shorten(value: &str) -> String {
    if value.chars().count() <= QUOTE_CHARS {
        value.to_string()
    } else {
        let head: String = value.chars().take(QUOTE_CHARS).collect();
        format!("{head}…")
    }
}

/// Builds a link body field by field.
#[derive(Default)]
pub(crate) struct Writer {
    out: String,
}

impl Writer {
    /// Appends `key=value` (values are written with URL-safe characters only).
    pub(crate) fn field(&mut self, key: &str, value: impl std::fmt::Display) {
        if !self.out.is_empty() {
            self.out.push('&');
        }
        self.out.push_str(key);
        self.out.push('=');
        self.out.push_str(&value.to_string());
    }

    /// The body.
    pub(crate) fn finish(self) -> String {
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_split_and_decode() {
        assert_eq!(
            pairs("a=1&&b=%3Ax&c&=d"),
            vec![
                ("a".into(), "1".into()),
                ("b".into(), ":x".into()),
                ("c".into(), "".into()),
                ("".into(), "d".into()),
            ]
        );
        assert_eq!(percent_decode("%zz%4"), "%zz%4");
        assert_eq!(percent_decode("%FF"), "%FF", "not UTF-8 once decoded");
        assert_eq!(shorten(&"x".repeat(100)).chars().count(), QUOTE_CHARS + 1);
    }
}
