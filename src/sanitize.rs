//! The one sanitizer every string from Cognito passes through before it reaches a terminal,
//! the clipboard or a JSON document. Control characters (C0, DEL, C1), line and paragraph
//! separators, every Unicode format character (General_Category Cf: bidi controls, zero-width
//! characters, the tag block, Arabic number signs…) and every default-ignorable code point
//! (Hangul fillers, variation selectors, Mongolian free variation selectors…) become visible
//! escapes, so no attribute value can move the cursor, clear the screen, set the clipboard,
//! open a link, reorder what the reader sees or hide a character in a name.
//!
//! The sets come from the Unicode Character Database as compiled into `icu_properties`, not
//! from a hand-typed list, so a new Unicode version updates them with the crate.

use std::borrow::Cow;
use std::fmt::Write;
use std::io;

use icu_properties::props::{DefaultIgnorableCodePoint, GeneralCategory};
use icu_properties::{CodePointMapData, CodePointSetData};

/// Whether `c` must not reach a terminal as itself.
pub fn is_unsafe(c: char) -> bool {
    // Everything below U+00A0 is either printable ASCII or a control: no table lookup.
    if (c as u32) < 0xA0 {
        return c.is_control();
    }
    c.is_control()
        || matches!(c, '\u{2028}' | '\u{2029}') // line/paragraph separators (Zl, Zp)
        || is_format(c)
        || is_default_ignorable(c)
}

/// Unicode General_Category Cf (format characters).
pub fn is_format(c: char) -> bool {
    CodePointMapData::<GeneralCategory>::new().get(c) == GeneralCategory::Format
}

/// Unicode Default_Ignorable_Code_Point: characters a renderer may draw as nothing.
pub fn is_default_ignorable(c: char) -> bool {
    CodePointSetData::new::<DefaultIgnorableCodePoint>().contains(c)
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

/// A serde_json formatter that writes every character the sanitizer would escape as a JSON
/// `\uXXXX` escape (a surrogate pair above U+FFFF). serde_json itself escapes only C0, `"` and
/// `\`, leaving DEL, C1, bidi controls, zero-width characters and U+2028/2029 raw for the
/// terminal that shows the output. The parsed values are unchanged.
pub struct SafeJsonFormatter<F = serde_json::ser::CompactFormatter>(pub F);

/// Writes `c` as one or two `\uXXXX` escapes.
fn write_json_escape<W: ?Sized + io::Write>(writer: &mut W, c: char) -> io::Result<()> {
    let mut units = [0u16; 2];
    for unit in c.encode_utf16(&mut units) {
        write!(writer, "\\u{unit:04x}")?;
    }
    Ok(())
}

impl<F: serde_json::ser::Formatter> serde_json::ser::Formatter for SafeJsonFormatter<F> {
    fn write_string_fragment<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let mut start = 0;
        for (i, c) in fragment.char_indices() {
            if is_unsafe(c) {
                writer.write_all(&fragment.as_bytes()[start..i])?;
                write_json_escape(writer, c)?;
                start = i + c.len_utf8();
            }
        }
        writer.write_all(&fragment.as_bytes()[start..])
    }

    fn begin_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn end_object_key<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object_key(w)
    }
    fn begin_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object_value(w)
    }
}

/// `value` as pretty JSON (two-space indent) with unsafe characters escaped.
pub fn to_json_pretty<T: serde::Serialize + ?Sized>(value: &T) -> serde_json::Result<String> {
    to_json_with(value, serde_json::ser::PrettyFormatter::new())
}

/// `value` as one line of JSON with unsafe characters escaped.
pub fn to_json_line<T: serde::Serialize + ?Sized>(value: &T) -> serde_json::Result<String> {
    to_json_with(value, serde_json::ser::CompactFormatter)
}

fn to_json_with<T, F>(value: &T, formatter: F) -> serde_json::Result<String>
where
    T: serde::Serialize + ?Sized,
    F: serde_json::ser::Formatter,
{
    let mut out = Vec::with_capacity(128);
    let mut ser = serde_json::Serializer::with_formatter(&mut out, SafeJsonFormatter(formatter));
    value.serialize(&mut ser)?;
    // Only whole UTF-8 strings and ASCII escapes were written.
    Ok(String::from_utf8(out).expect("serde_json writes UTF-8"))
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

    #[test]
    fn escapes_the_format_and_ignorable_characters_issue_10_names() {
        for c in [
            '\u{E0001}',
            '\u{E0041}',
            '\u{E007F}',
            '\u{0600}',
            '\u{0605}',
            '\u{06DD}',
            '\u{070F}',
            '\u{08E2}',
            '\u{110BD}',
            '\u{115F}',
            '\u{1160}',
            '\u{3164}',
            '\u{FFA0}',
            '\u{034F}',
            '\u{FE0F}',
            '\u{E0100}',
            '\u{180B}',
            '\u{180F}',
            '\u{2028}',
            '\u{2029}',
        ] {
            assert!(is_unsafe(c), "U+{:04X} must be escaped", c as u32);
        }
        assert_eq!(sanitize("a\u{E0041}b"), "a\\u{e0041}b");
        for c in ['a', 'é', '李', '🙂', ' ', '\u{00A0}', '\u{0301}'] {
            assert!(!is_unsafe(c), "U+{:04X} is printable", c as u32);
        }
    }

    #[test]
    fn json_escapes_what_the_sanitizer_escapes_and_parses_back() {
        let raw = "a\u{7f}\u{85}\u{202e}\u{200b}\u{2028}\u{E0041}\"\\\n李🙂";
        let json = to_json_line(&raw).unwrap();
        assert_eq!(
            json,
            r#""a\u007f\u0085\u202e\u200b\u2028\udb40\udc41\"\\\n李🙂""#
        );
        assert_eq!(serde_json::from_str::<String>(&json).unwrap(), raw);
        let pretty = to_json_pretty(&serde_json::json!({"k": ["\u{feff}"]})).unwrap();
        assert_eq!(pretty, "{\n  \"k\": [\n    \"\\ufeff\"\n  ]\n}");
    }
}
