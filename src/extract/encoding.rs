//! Bytes -> string: UTF-8 first, then UTF-16 by its BOM, then Windows-1252 when
//! the bytes are clearly not UTF-8 and decode cleanly as it; else lossy UTF-8.

use std::borrow::Cow;

/// The decoded text and whether any bytes had to be replaced.
pub(crate) fn decode(bytes: &[u8]) -> (Cow<'_, str>, bool) {
    if let Ok(s) = std::str::from_utf8(bytes) {
        return (Cow::Borrowed(s), false);
    }
    if let Some((enc, _)) = encoding_rs::Encoding::for_bom(bytes) {
        let (s, _, had_errors) = enc.decode(bytes);
        return (s, had_errors);
    }
    if !has_utf8_multibyte(bytes) {
        if let Some(s) = decode_windows_1252(bytes) {
            return (Cow::Owned(s), false);
        }
    }
    (String::from_utf8_lossy(bytes), true)
}

/// True when the bytes hold any valid non-ASCII UTF-8 sequence: then invalid
/// bytes are damage in a UTF-8 file, and reading it all as Windows-1252 would
/// garble the good characters.
fn has_utf8_multibyte(bytes: &[u8]) -> bool {
    bytes.utf8_chunks().any(|c| !c.valid().is_ascii())
}

/// Windows-1252, unless the result holds control characters that text does not
/// have (the five undefined bytes decode to C1 controls).
fn decode_windows_1252(bytes: &[u8]) -> Option<String> {
    let (s, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
    let clean = !s.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}'));
    clean.then(|| s.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_1252_is_decoded_without_loss() {
        let (s, lossy) = decode(b"caf\xe9 \x93quoted\x94 \xa3100 \x96 done");
        assert_eq!(s, "caf\u{e9} \u{201c}quoted\u{201d} \u{a3}100 \u{2013} done");
        assert!(!lossy);
    }

    #[test]
    fn damaged_utf8_stays_utf8() {
        let (s, lossy) = decode(b"caf\xc3\xa9 \xff");
        assert_eq!(s, "caf\u{e9} \u{fffd}");
        assert!(lossy);
    }

    #[test]
    fn utf16_by_bom() {
        let (s, lossy) = decode(b"\xff\xfeh\x00i\x00");
        assert_eq!(s, "hi");
        assert!(!lossy);
    }

    #[test]
    fn undefined_1252_bytes_fall_back_to_lossy() {
        let (_, lossy) = decode(b"x\x81y");
        assert!(lossy);
    }
}
