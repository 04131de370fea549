//! Whatever bytes arrive in an attribute, the sanitized text holds no control, bidi or
//! zero-width character, and text that needed nothing is returned unchanged.
#![no_main]

use cognito_tui::sanitize::{is_unsafe, sanitize};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let clean = sanitize(&text);
    assert!(!clean.chars().any(is_unsafe), "{text:?} -> {clean:?}");
    if !text.chars().any(is_unsafe) {
        assert_eq!(clean, text);
    }
});
