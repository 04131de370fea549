//! The query classifier, validator, pool-id parser and ListUsers filter builder never panic,
//! the validator refuses exactly the queries README says it refuses, and every filter they
//! build escapes its value so it parses back to the same filter.
#![no_main]

use cognito_tui::cognito::lookup::{classify, validate_query};
use cognito_tui::cognito::{FilterAttribute, ListFilter, PoolId};
use libfuzzer_sys::fuzz_target;

const ATTRIBUTES: [FilterAttribute; 9] = [
    FilterAttribute::Username,
    FilterAttribute::Email,
    FilterAttribute::PhoneNumber,
    FilterAttribute::Name,
    FilterAttribute::GivenName,
    FilterAttribute::FamilyName,
    FilterAttribute::PreferredUsername,
    FilterAttribute::Status,
    FilterAttribute::Sub,
];

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let _ = classify(&text);
    let _ = PoolId::parse(&text).map(|p| p.region().map(str::len));
    let _ = ListFilter::parse(&text);
    // README: refused when empty, over 128 characters or holding a control character.
    let trimmed = text.trim_matches(char::is_whitespace);
    let refused = trimmed.is_empty()
        || trimmed.chars().count() > 128
        || trimmed.chars().any(char::is_control);
    match validate_query(&text) {
        Ok(query) => {
            assert!(!refused, "{text:?} accepted");
            assert_eq!(query, trimmed);
            let _ = classify(&query);
        }
        Err(e) => assert!(refused, "{text:?} refused: {e}"),
    }
    let filter = ListFilter {
        attribute: ATTRIBUTES[usize::from(selector) % ATTRIBUTES.len()],
        prefix: selector & 0x80 != 0,
        value: text.into_owned(),
    };
    assert_eq!(ListFilter::parse(&filter.expression()), Some(filter));
});
