//! Property tests for the code that handles hostile input: the sanitizer, the query
//! classifier and validator, and the ListUsers filter builder.

use cognito_tui::cognito::lookup::{classify, validate_query};
use cognito_tui::cognito::{FilterAttribute, ListFilter, PoolId};
use cognito_tui::sanitize::{is_unsafe, sanitize};
use proptest::prelude::*;

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
