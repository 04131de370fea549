//! Whatever bytes arrive in an attribute, the sanitized text holds no control, bidi,
//! zero-width, separator or tag character, and text that needed nothing is returned
//! unchanged. The oracle is a literal list plus `char::is_control`, not the product's own
//! `is_unsafe`; the sink's `terminal_safe` (text with line ends kept) is held to it too.
#![no_main]

use cognito_tui::output::terminal_safe;
use cognito_tui::sanitize::sanitize;
use libfuzzer_sys::fuzz_target;

/// Bidi controls and isolates, zero-width and joiners, separators, invisible operators, BOM,
/// soft hyphen, Mongolian vowel separator, Arabic letter mark, interlinear annotations, tags.
fn forbidden(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{00ad}' | '\u{061c}' | '\u{180e}'
            | '\u{200b}'..='\u{200f}'
            | '\u{2028}'..='\u{202e}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{206f}'
            | '\u{feff}'
            | '\u{fff9}'..='\u{fffb}'
            | '\u{E0000}'..='\u{E007F}')
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let clean = sanitize(&text);
    assert!(!clean.chars().any(forbidden), "{text:?} -> {clean:?}");
    // Printable ASCII needs nothing: it comes back as it went in.
    if text.chars().all(|c| c == ' ' || c.is_ascii_graphic()) {
        assert_eq!(clean, text);
    }
    let shown = terminal_safe(&text);
    assert!(!shown.chars().any(|c| c != '\n' && forbidden(c)), "{text:?} -> {shown:?}");
});
