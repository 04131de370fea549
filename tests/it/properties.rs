//! Property tests for the code that handles hostile input: the sanitizer, the query
//! classifier and validator, and the ListUsers filter builder. The oracles are independent
//! of the product: what must be escaped is a literal list of characters below plus
//! `char::is_control` (or the Unicode data itself), never the sanitizer's own `is_unsafe`.

use cognito_tui::cognito::lookup::QueryError;
use cognito_tui::cognito::lookup::{classify, validate_query};
use cognito_tui::cognito::{FilterAttribute, ListFilter, PoolId};
use cognito_tui::sanitize::{sanitize, to_json_line, to_json_pretty};
use icu_properties::props::{DefaultIgnorableCodePoint, GeneralCategory, GeneralCategoryGroup};
use icu_properties::{CodePointMapData, CodePointSetData};
use proptest::prelude::*;

/// The characters README promises never reach a terminal raw, typed out here rather than
/// taken from the sanitizer: bidi controls, zero-width characters, line and paragraph
/// separators, the tag block, other format characters (soft hyphen, Arabic number signs,
/// invisible operators, interlinear annotation) and default-ignorable fillers and variation
/// selectors. `char::is_control` adds C0, DEL and C1.
const MUST_ESCAPE: &[(u32, u32)] = &[
    (0x00AD, 0x00AD),   // soft hyphen
    (0x034F, 0x034F),   // combining grapheme joiner
    (0x061C, 0x061C),   // Arabic letter mark (bidi)
    (0x0600, 0x0605),   // Arabic number signs
    (0x06DD, 0x06DD),   // Arabic end of ayah
    (0x115F, 0x1160),   // Hangul choseong/jungseong fillers
    (0x17B4, 0x17B5),   // Khmer inherent vowels
    (0x180B, 0x180F),   // Mongolian free variation selectors, vowel separator
    (0x200B, 0x200F),   // zero-width space, non-joiner, joiner; LRM, RLM
    (0x2028, 0x2029),   // line and paragraph separators
    (0x202A, 0x202E),   // bidi embeddings and overrides
    (0x2060, 0x2064),   // word joiner, invisible operators
    (0x2066, 0x206F),   // bidi isolates, deprecated format characters
    (0x3164, 0x3164),   // Hangul filler
    (0xFE00, 0xFE0F),   // variation selectors
    (0xFEFF, 0xFEFF),   // zero-width no-break space (BOM)
    (0xFFA0, 0xFFA0),   // halfwidth Hangul filler
    (0xFFF9, 0xFFFB),   // interlinear annotation
    (0x110BD, 0x110BD), // Kaithi number sign
    (0x1D173, 0x1D17A), // musical symbol format characters
    (0xE0000, 0xE007F), // tag characters
    (0xE0100, 0xE01EF), // variation selectors supplement
];

/// Whether `c` must be escaped, by the independent oracle above.
fn must_escape(c: char) -> bool {
    c.is_control()
        || MUST_ESCAPE
            .iter()
            .any(|&(lo, hi)| (lo..=hi).contains(&(c as u32)))
}

/// Every character of [`MUST_ESCAPE`], for the generators.
fn listed_characters() -> Vec<char> {
    MUST_ESCAPE
        .iter()
        .flat_map(|&(lo, hi)| lo..=hi)
        .filter_map(char::from_u32)
        .collect()
}

/// Printable characters that need nothing: sanitize must give them back unchanged.
fn plainly_safe(c: char) -> bool {
    !must_escape(c) && (c.is_alphanumeric() || c.is_ascii_graphic() || c == ' ')
}

#[test]
fn the_oracle_is_not_empty_and_the_sanitizer_escapes_all_of_it() {
    let listed = listed_characters();
    assert!(listed.len() > 300, "{} characters", listed.len());
    for c in listed.into_iter().chain(
        (0u32..0xA0)
            .filter_map(char::from_u32)
            .filter(|c| c.is_control()),
    ) {
        let text = format!("a{c}b");
        let clean = sanitize(&text);
        assert!(
            !clean.contains(c),
            "U+{:04X} reached the terminal",
            c as u32
        );
    }
}

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

/// Strings of up to 200 characters (over the 128 a query may hold), some with nothing
/// unusual in them, some with blanks around, some with controls: each of the validator's
/// answers is reached (counted in the test).
fn query_string() -> impl Strategy<Value = String> {
    let clean = prop_oneof![
        prop::sample::select(vec![
            'a', 'Z', '0', '@', '.', '+', '-', '_', 'é', '李', '🙂', ' '
        ]),
        prop::sample::select(listed_characters()),
    ];
    let blank = prop::sample::select(vec![' ', '\u{3000}', '\u{a0}', '\u{2003}']);
    let control = (0u32..0x20).prop_map(|c| char::from_u32(c).unwrap());
    let text = prop_oneof![
        3 => prop::collection::vec(clean, 0..200),
        1 => prop::collection::vec(prop_oneof![4 => clean_char(), 1 => control], 0..200),
        1 => prop::collection::vec(blank, 0..4),
    ];
    (
        text,
        prop::collection::vec(prop::sample::select(vec![' ', '\t', '\n']), 0..3),
    )
        .prop_map(|(body, pad)| {
            let pad: String = pad.into_iter().collect();
            format!("{pad}{}{pad}", body.into_iter().collect::<String>())
        })
}

fn clean_char() -> impl Strategy<Value = char> {
    prop::sample::select(vec!['a', 'b', '1', '@', '.', '李'])
}

/// What README says `validate_query` answers: the query trimmed of blanks; refused when
/// empty, over 128 characters, or holding a control character.
fn expected_validation(raw: &str) -> Result<String, &'static str> {
    let query = raw.trim_matches(char::is_whitespace);
    if query.is_empty() {
        Err("empty")
    } else if query.chars().count() > 128 {
        Err("too long")
    } else if query.chars().any(char::is_control) {
        Err("control")
    } else {
        Ok(query.to_string())
    }
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
        prop_assert!(!clean.chars().any(must_escape), "{:?} -> {:?}", s, clean);
        if s.chars().all(plainly_safe) {
            prop_assert_eq!(clean.as_ref(), s.as_str());
        }
    }

    #[test]
    fn json_has_no_unsafe_character_and_parses_back_exactly(s in invisible_string()) {
        for json in [to_json_line(&s).unwrap(), to_json_pretty(&vec![&s]).unwrap()] {
            // Pretty output breaks lines itself; within strings nothing unsafe is raw.
            prop_assert!(!json.chars().any(|c| c != '\n' && must_escape(c)), "{:?} -> {:?}", s, json);
            let back: serde_json::Value = serde_json::from_str(&json).unwrap();
            let back = back.as_str().or_else(|| back[0].as_str()).unwrap().to_string();
            prop_assert_eq!(back, s.clone());
        }
        let clean = sanitize(&s);
        prop_assert!(!clean.chars().any(must_escape), "{:?} -> {:?}", s, clean);
    }

    #[test]
    fn safe_text_is_left_alone(s in "[a-zA-Z0-9 @._+-]{0,40}") {
        prop_assert_eq!(sanitize(&s), s.as_str());
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

/// The validator refuses exactly what README says it refuses (empty, over 128 characters,
/// control characters) and the classifier never panics; 2,000 generated queries of up to 200
/// characters, with each answer counted so a generator that stopped reaching one fails.
#[test]
fn validator_refuses_exactly_the_documented_queries() {
    use proptest::test_runner::{Config, TestRunner};
    let counts = std::cell::RefCell::new(std::collections::BTreeMap::<&str, usize>::new());
    let mut runner = TestRunner::new(Config::with_cases(2000));
    runner
        .run(&query_string(), |s| {
            let _ = classify(&s);
            let _ = PoolId::parse(&s).map(|p| p.region().map(str::len));
            let got = match validate_query(&s) {
                Ok(q) => {
                    let _ = classify(&q);
                    Ok(q)
                }
                Err(QueryError::Empty) => Err("empty"),
                Err(QueryError::TooLong { chars }) => {
                    prop_assert_eq!(chars, s.trim().chars().count());
                    Err("too long")
                }
                Err(QueryError::ControlCharacters) => Err("control"),
                Err(other) => panic!("{s:?}: {other}"),
            };
            let expected = expected_validation(&s);
            prop_assert_eq!(&got, &expected, "{:?}", s);
            *counts
                .borrow_mut()
                .entry(expected.err().unwrap_or("accepted"))
                .or_default() += 1;
            Ok(())
        })
        .unwrap();
    let counts = counts.into_inner();
    for answer in ["accepted", "empty", "too long", "control"] {
        assert!(
            counts.get(answer).copied().unwrap_or(0) >= 20,
            "the generator reached {answer:?} too rarely: {counts:?}"
        );
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
            assert!(!quoted.chars().any(must_escape), "{quoted:?}");
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
