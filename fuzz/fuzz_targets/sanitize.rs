//! Whatever bytes arrive in an attribute, the sanitized text holds no control, bidi,
//! zero-width, separator, tag or other format character, and text made only of plainly
//! printable characters is returned unchanged. The oracle is the literal list below plus
//! `char::is_control`, not the sanitizer's own `is_unsafe` (tests/it/properties.rs keeps the
//! same list).
#![no_main]

use cognito_tui::output::terminal_safe;
use cognito_tui::sanitize::sanitize;
use libfuzzer_sys::fuzz_target;

/// Bidi controls, zero-width characters, separators, the tag block, other format characters
/// and default-ignorable fillers and variation selectors (inclusive ranges).
const MUST_ESCAPE: &[(u32, u32)] = &[
    (0x00AD, 0x00AD),
    (0x034F, 0x034F),
    (0x061C, 0x061C),
    (0x0600, 0x0605),
    (0x06DD, 0x06DD),
    (0x115F, 0x1160),
    (0x17B4, 0x17B5),
    (0x180B, 0x180F),
    (0x200B, 0x200F),
    (0x2028, 0x2029),
    (0x202A, 0x202E),
    (0x2060, 0x2064),
    (0x2066, 0x206F),
    (0x3164, 0x3164),
    (0xFE00, 0xFE0F),
    (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0),
    (0xFFF9, 0xFFFB),
    (0x110BD, 0x110BD),
    (0x1D173, 0x1D17A),
    (0xE0000, 0xE007F),
    (0xE0100, 0xE01EF),
];

fn must_escape(c: char) -> bool {
    c.is_control()
        || MUST_ESCAPE
            .iter()
            .any(|&(lo, hi)| (lo..=hi).contains(&(c as u32)))
}

fn plainly_safe(c: char) -> bool {
    !must_escape(c) && (c.is_alphanumeric() || c.is_ascii_graphic() || c == ' ')
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let clean = sanitize(&text);
    assert!(!clean.chars().any(must_escape), "{text:?} -> {clean:?}");
    if text.chars().all(plainly_safe) {
        assert_eq!(clean, text);
    }
    let shown = terminal_safe(&text);
    assert!(!shown.chars().any(|c| c != '\n' && must_escape(c)), "{text:?} -> {shown:?}");
});
