//! Property tests for the code that handles hostile input: the sanitizer, the query
//! classifier and validator, and the ListUsers filter builder.

use cognito_tui::cognito::lookup::{classify, validate_query};
use cognito_tui::cognito::{FilterAttribute, ListFilter, PoolId};
use cognito_tui::sanitize::{is_unsafe, sanitize, to_json_line, to_json_pretty};
use icu_properties::props::{DefaultIgnorableCodePoint, GeneralCategory, GeneralCategoryGroup};
use icu_properties::{CodePointMapData, CodePointSetData};
use proptest::prelude::*;

/// Every format character (Cf) and default-ignorable code point, from the Unicode data
/// compiled into icu_properties: the sets the sanitizer must escape.
fn invisible_code_points() -> Vec<char> {
    let format = CodePointMapData::<GeneralCategory>::new()
        .iter_ranges_for_group(GeneralCategoryGroup::Format)
        .flat_map(|r| r.collect::<Vec<u32>>());
    let ignorable = CodePointSetData::new::<DefaultIgnorableCodePoint>()
        .iter_ranges()
        .flatten();
    let mut all: Vec<char> = format.chain(ignorable).filter_map(char::from_u32).collect();
    all.sort_unstable();
    all.dedup();
    all
}

#[test]
fn every_format_and_default_ignorable_code_point_is_escaped_everywhere() {
    let all = invisible_code_points();
    // The sets really are the Unicode ones: the tag block, Arabic number signs, Hangul fillers…
    for c in [
        '\u{E0001}',
        '\u{0600}',
        '\u{110BD}',
        '\u{3164}',
        '\u{034F}',
        '\u{180B}',
    ] {
        assert!(all.contains(&c), "U+{:04X} missing from the data", c as u32);
    }
    assert!(all.len() > 4000, "{} code points", all.len());
    for &c in &all {
        let text = format!("a{c}b");
        let clean = sanitize(&text);
        assert!(
            !clean.contains(c),
            "U+{:04X} reached the terminal",
            c as u32
        );
        assert_eq!(clean, format!("a\\u{{{:x}}}b", c as u32));
        let json = to_json_line(&text).unwrap();
        assert!(!json.contains(c), "U+{:04X} raw in JSON", c as u32);
        assert_eq!(serde_json::from_str::<String>(&json).unwrap(), text);
    }
}

/// Strings built from invisible code points, controls and ordinary text.
fn invisible_string() -> impl Strategy<Value = String> {
    let invisible = invisible_code_points();
    let c = prop_oneof![
        prop::sample::select(invisible),
        any::<char>(),
        (0x7fu32..0xa0).prop_map(|c| char::from_u32(c).unwrap()),
        prop::sample::select(vec!['\u{2028}', '\u{2029}', '"', '\\', 'a', '李', '🙂']),
    ];
    prop::collection::vec(c, 0..48).prop_map(|v| v.into_iter().collect())
}

/// Strings rich in the characters that matter: controls, bidi, zero-width, quotes, unicode.
fn hostile_string() -> impl Strategy<Value = String> {
    let interesting = prop_oneof![
        any::<char>(),
        (0u32..0x20).prop_map(|c| char::from_u32(c).unwrap()),
        (0x7fu32..0xa0).prop_map(|c| char::from_u32(c).unwrap()),
        prop::sample::select(vec![
            '\u{202a}', '\u{202b}', '\u{202c}', '\u{202d}', '\u{202e}', '\u{2066}', '\u{2067}',
            '\u{2068}', '\u{2069}', '\u{200b}', '\u{200c}', '\u{200d}', '\u{200e}', '\u{200f}',
            '\u{2060}', '\u{feff}', '\u{061c}', '"', '\\', '@', '+', '-', 'é', '李', '🙂',
        ]),
    ];
    prop::collection::vec(interesting, 0..64).prop_map(|v| v.into_iter().collect())
}

fn attribute() -> impl Strategy<Value = FilterAttribute> {
    prop::sample::select(vec![
        FilterAttribute::Username,
        FilterAttribute::Email,
        FilterAttribute::PhoneNumber,
        FilterAttribute::Name,
        FilterAttribute::GivenName,
        FilterAttribute::FamilyName,
        FilterAttribute::PreferredUsername,
        FilterAttribute::Status,
        FilterAttribute::UserStatus,
        FilterAttribute::Sub,
    ])
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn sanitized_text_has_no_unsafe_character(s in hostile_string()) {
        let clean = sanitize(&s);
        prop_assert!(!clean.chars().any(is_unsafe), "{:?} -> {:?}", s, clean);
        prop_assert!(!clean.chars().any(|c| c.is_control()));
    }

    #[test]
    fn json_has_no_unsafe_character_and_parses_back_exactly(s in invisible_string()) {
        for json in [to_json_line(&s).unwrap(), to_json_pretty(&vec![&s]).unwrap()] {
            // Pretty output breaks lines itself; within strings nothing unsafe is raw.
            prop_assert!(!json.chars().any(|c| c != '\n' && is_unsafe(c)), "{:?} -> {:?}", s, json);
            let back: serde_json::Value = serde_json::from_str(&json).unwrap();
            let back = back.as_str().or_else(|| back[0].as_str()).unwrap().to_string();
            prop_assert_eq!(back, s.clone());
        }
        let clean = sanitize(&s);
        prop_assert!(!clean.chars().any(is_unsafe), "{:?} -> {:?}", s, clean);
    }

    #[test]
    fn safe_text_is_left_alone(s in "[a-zA-Z0-9 @._+-]{0,40}") {
        prop_assert_eq!(sanitize(&s), s.as_str());
    }

    #[test]
    fn classifier_and_validator_never_panic(s in hostile_string()) {
        let _ = classify(&s);
        if let Ok(q) = validate_query(&s) {
            prop_assert!(!q.is_empty());
            prop_assert!(q.chars().count() <= 128);
            prop_assert!(!q.chars().any(char::is_control));
            let _ = classify(&q);
        }
        let _ = PoolId::parse(&s).map(|p| p.region().map(str::len));
    }

    #[test]
    fn filter_expressions_round_trip(value in hostile_string(), attr in attribute(), prefix: bool) {
        let filter = ListFilter { attribute: attr, prefix, value };
        let expr = filter.expression();
        // Every quote inside the value is escaped: the expression has exactly two bare quotes.
        let mut bare_quotes = 0;
        let mut escaped = false;
        for c in expr.chars() {
            if escaped { escaped = false; continue; }
            match c { '\\' => escaped = true, '"' => bare_quotes += 1, _ => {} }
        }
        prop_assert_eq!(bare_quotes, 2, "{}", expr);
        prop_assert_eq!(ListFilter::parse(&expr), Some(filter));
    }
}

/// The escape hatch's quoting gives back exactly the username in bash, zsh, dash and fish
/// (each run as a real shell): quotes, backslashes, spaces, controls, bidi overrides, the tag
/// block above U+FFFF, Hangul fillers, variation selectors, newlines inside a word. A shell
/// that isn't installed fails the test under CI=true (.ci/run installs them) and is skipped,
/// loudly, elsewhere.
#[test]
fn shell_quoting_round_trips_in_bash_zsh_dash_and_fish() {
    let words = [
        "plain",
        "it's",
        "back\\slash\\",
        "a'b\\'c",
        "two words",
        "$HOME `id` $(id) \"q\" ; | & * ? ~ # !",
        "esc\u{1b}[31mred",
        "bidi\u{202e}txt",
        "tag\u{E0041}\u{E007F}x",
        "fill\u{3164}er",
        "vs\u{FE0F}1",
        "a\u{115F}",
        "line\nbreak",
        "two\n\nlines",
        "\u{1b}",
        "ünï李雷🎉",
    ];
    for shell in ["bash", "zsh", "dash", "fish"] {
        let Some(path) = crate::common::installed_shell(shell) else {
            continue;
        };
        for word in words {
            let quoted = cognito_tui::hatch::shell_quote(word);
            assert!(!quoted.chars().any(is_unsafe), "{quoted:?}");
            let out = std::process::Command::new(&path)
                .env("LC_ALL", "C.UTF-8")
                .env("HOME", "/nonexistent")
                .arg("-c")
                .arg(format!("printf '%s' {quoted}"))
                .output()
                .unwrap();
            assert_eq!(
                String::from_utf8_lossy(&out.stdout),
                word,
                "{shell} read {quoted} back differently; stderr: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
}
