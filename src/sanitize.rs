//! The one sanitizer every string from Cognito passes through before it reaches a terminal
//! or the clipboard. Control characters (C0, DEL, C1), bidi controls and invisible characters
//! become visible escapes, so no attribute value can move the cursor, clear the screen, set the
//! clipboard, open a link or reorder what the reader sees.

use std::borrow::Cow;
use std::fmt::Write;

/// Whether `c` must not reach a terminal as itself.
pub fn is_unsafe(c: char) -> bool {
    c.is_control() // C0, DEL and C1
        || matches!(
            c,
            '\u{061C}'                  // Arabic letter mark
            | '\u{00AD}'                // soft hyphen (invisible)
            | '\u{180E}'                // Mongolian vowel separator
            | '\u{200B}'..='\u{200F}'   // zero-width space/joiners, LRM, RLM
            | '\u{2028}'..='\u{202E}'   // line/paragraph separators, bidi embeddings/overrides
            | '\u{2060}'..='\u{2064}'   // word joiner, invisible operators
            | '\u{2066}'..='\u{206F}'   // bidi isolates, deprecated format controls
            | '\u{FEFF}'                // zero-width no-break space / BOM
            | '\u{FFF9}'..='\u{FFFB}'   // interlinear annotations
        )
}

/// Returns `s` with every unsafe character replaced by a visible escape
/// (`\n`, `\t`, `\r`, `\x1b`, `\u{202e}`); borrows when nothing needs replacing.
pub fn sanitize(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if !is_unsafe(c) {
            out.push(c);
            continue;
        }
        match c {
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x80 => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_controls_bidi_and_zero_width() {
        assert_eq!(sanitize("plain ünïcode 李"), "plain ünïcode 李");
        assert_eq!(sanitize("a\u{1b}[2Jb"), "a\\x1b[2Jb");
        assert_eq!(sanitize("x\u{7f}\u{9b}"), "x\\x7f\\u{9b}");
        assert_eq!(sanitize("\u{202e}exe"), "\\u{202e}exe");
        assert_eq!(sanitize("mal\u{200b}lory"), "mal\\u{200b}lory");
        assert_eq!(sanitize("l1\nl2\t"), "l1\\nl2\\t");
        assert!(matches!(sanitize("safe"), Cow::Borrowed(_)));
    }
}
