//! Privacy mode: masks personal values in every output (screen, copies, one-shot text, JSON
//! and CSV), for screen-sharing with a customer on the line. `alice@example.com` becomes
//! `a•••@e•••.com`. Every output masks through the functions here, so the rules live in one
//! place: attribute values by name, usernames and queries by shape, device and sign-in
//! context (IP, city, country, device name) always.

use std::borrow::Cow;

use crate::cognito::listing::Listing;
use crate::cognito::lookup::{Ambiguous, Found, LookupError, LookupOutcome};
use crate::cognito::{Attribute, AuthEvent, CognitoError, Device, ListFilter, User, UserSummary};
use crate::diagnose::Diagnosis;
use crate::filter::ParseError;
use crate::output::Extras;

const MASK: &str = "•••";

/// The standard OpenID Connect attributes Cognito stores that identify a person.
const STANDARD_PERSONAL: [&str; 17] = [
    "email",
    "phone_number",
    "address",
    "name",
    "given_name",
    "family_name",
    "middle_name",
    "nickname",
    "preferred_username",
    "gender",
    "birthdate",
    "locale",
    "zoneinfo",
    "picture",
    "profile",
    "website",
    "identities",
];

/// Device attributes and sign-in context that locate or name a person's device.
const DEVICE_PERSONAL: [&str; 6] = [
    "device_name",
    "last_ip_used",
    "ip_address",
    "city",
    "country",
    "username",
];

/// Whether an attribute's value is personal data that privacy mode hides: every standard
/// personal attribute, `custom:*` and `dev:custom:*`, and device names and addresses.
pub fn is_personal(attribute: &str) -> bool {
    attribute.starts_with("custom:")
        || attribute.starts_with("dev:custom:")
        || STANDARD_PERSONAL.contains(&attribute)
        || DEVICE_PERSONAL.contains(&attribute)
}

/// The masked form of `value` for `attribute`; non-personal values are returned as they are.
pub fn mask_attribute(attribute: &str, value: &str) -> String {
    if !is_personal(attribute) {
        return value.to_string();
    }
    match attribute {
        "email" => mask_email(value),
        "phone_number" => mask_phone(value),
        "username" => mask_username(value, &[]),
        _ => mask_text(value),
    }
}

/// Whether `value` has the shape of an email address or an E.164-like phone number.
pub fn looks_personal(value: &str) -> bool {
    let v = value.trim();
    looks_like_email(v) || looks_like_phone(v)
}

fn looks_like_email(v: &str) -> bool {
    v.rsplit_once('@')
        .is_some_and(|(local, domain)| !local.is_empty() && !domain.is_empty())
}

/// `+` and 6 digits or more, or a national form of 7 or more (`(555) 010-0123`,
/// `07700 900123`), with the separators people type.
fn looks_like_phone(v: &str) -> bool {
    let digits = v.chars().filter(char::is_ascii_digit).count();
    let (rest, min_digits) = match v.strip_prefix('+') {
        Some(rest) => (rest, 6),
        None => (v, 7),
    };
    digits >= min_digits
        && rest
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '(' | ')' | '.' | '/'))
}

/// A username as privacy mode shows it: masked when the pool signs in with email or phone
/// as username (`username_attributes`, from DescribeUserPool; empty when unknown) or when it
/// has the shape of one; otherwise (an opaque id) as it is.
pub fn mask_username(username: &str, username_attributes: &[String]) -> String {
    let v = username.trim();
    if looks_like_email(v) {
        mask_email(username)
    } else if looks_like_phone(v) {
        mask_phone(username)
    } else if username_attributes
        .iter()
        .any(|a| a == "email" || a == "phone_number")
        && !looks_like_uuid(v)
    {
        mask_text(username)
    } else {
        username.to_string()
    }
}

/// Cognito makes the username a UUID (the sub) in pools with email or phone as username.
fn looks_like_uuid(v: &str) -> bool {
    v.len() == 36
        && v.char_indices().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => c == '-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// A query (or any value whose kind is unknown) as privacy mode shows it: emails and phone
/// numbers masked, anything else (a username, a sub) as it is.
pub fn mask_query(query: &str) -> String {
    mask_username(query, &[])
}

/// A ListUsers filter as privacy mode shows it: `email = "a•••@e•••.com"`.
pub fn mask_filter(filter: &ListFilter) -> String {
    masked_filter(filter).expression()
}

fn masked_filter(filter: &ListFilter) -> ListFilter {
    let attribute = filter.attribute.as_str();
    let value = match attribute {
        "username" => mask_query(&filter.value),
        // `sub` and `status` are not personal; the other filter attributes all are.
        _ => mask_attribute(attribute, &filter.value),
    };
    ListFilter {
        attribute: filter.attribute,
        value,
        prefix: filter.prefix,
    }
}

/// Every email- or phone-shaped word of a free text (a notice, an error message) masked.
pub fn mask_free_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        // Quotes and punctuation around a value stay; the value inside is masked.
        let trimmed = word.trim_matches(|c: char| "\"'()[],;:.!?«»“”".contains(c));
        if looks_personal(trimmed) {
            let start = word.find(trimmed).unwrap_or(0);
            out.push_str(&word[..start]);
            out.push_str(&mask_query(trimmed));
            out.push_str(&word[start + trimmed.len()..]);
        } else {
            out.push_str(word);
        }
        word.clear();
    };
    for c in text.chars() {
        if c.is_whitespace() {
            flush(&mut word, &mut out);
            out.push(c);
        } else {
            word.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

fn mask_option(attribute: &str, value: &mut Option<String>) {
    if let Some(v) = value {
        *v = mask_attribute(attribute, v);
    }
}

fn mask_attributes(attributes: &mut [Attribute]) {
    for a in attributes {
        mask_option(&a.name, &mut a.value);
    }
}

/// The user with every personal value masked in place: same shape, same fields; `sub`,
/// status, dates and `*_verified` unchanged.
pub fn mask_user(user: &User, username_attributes: &[String]) -> User {
    let mut user = user.clone();
    user.username = mask_username(&user.username, username_attributes);
    mask_attributes(&mut user.attributes);
    user
}

/// A ListUsers entry with every personal value masked in place.
pub fn mask_summary(user: &UserSummary, username_attributes: &[String]) -> UserSummary {
    let mut user = user.clone();
    user.username = mask_username(&user.username, username_attributes);
    mask_attributes(&mut user.attributes);
    user
}

/// A device with its name, last IP and custom attributes masked; key and dates kept.
pub fn mask_device(device: &Device) -> Device {
    let mut device = device.clone();
    mask_attributes(&mut device.attributes);
    device
}

/// A sign-in event with IP address, city, country and device name masked.
pub fn mask_event(event: &AuthEvent) -> AuthEvent {
    let mut event = event.clone();
    mask_option("ip_address", &mut event.ip_address);
    mask_option("city", &mut event.city);
    mask_option("country", &mut event.country);
    mask_option("device_name", &mut event.device_name);
    event
}

/// Text as privacy mode (`on`) shows it: the email- and phone-shaped values in it masked.
/// For screen text built around a value (notices, popups, titles, the escape hatch).
pub fn shown(on: bool, text: &str) -> Cow<'_, str> {
    match on {
        true => Cow::Owned(mask_free_text(text)),
        false => Cow::Borrowed(text),
    }
}

/// A query as privacy mode (`on`) shows it (see [`mask_query`]).
pub fn shown_query(on: bool, query: &str) -> Cow<'_, str> {
    match on {
        true => Cow::Owned(mask_query(query)),
        false => Cow::Borrowed(query),
    }
}

/// A `--where` error as privacy mode (`on`) says it: the column and the reason, with any
/// email- or phone-shaped word of the reason masked, and not the expression, whose values a
/// mask can't find by shape (`name = "Jo Doe"`). The column still points into the command
/// line the operator typed.
pub fn shown_where_error(on: bool, error: &ParseError) -> String {
    match on {
        true => format!(
            "--where, column {}: {} (expression not shown: privacy mode)",
            error.column,
            mask_free_text(&error.message)
        ),
        false => error.to_string(),
    }
}

/// A username as privacy mode (`on`) shows it (see [`mask_username`]).
pub fn shown_username(on: bool, username: &str) -> Cow<'_, str> {
    match on {
        true => Cow::Owned(mask_username(username, &[])),
        false => Cow::Borrowed(username),
    }
}

/// A fetched list pane with devices and sign-in context masked (groups are not personal).
pub fn mask_listing(listing: &Listing) -> Listing {
    match listing {
        Listing::Groups(g) => Listing::Groups(g.clone()),
        Listing::Devices(d) => Listing::Devices(d.iter().map(mask_device).collect()),
        Listing::SignIns(e) => Listing::SignIns(e.iter().map(mask_event).collect()),
    }
}

/// The lists of `get --include` with devices and sign-in context masked.
pub fn mask_extras(extras: &Extras) -> Extras {
    Extras {
        groups: extras.groups.clone(),
        devices: extras
            .devices
            .as_ref()
            .map(|d| d.iter().map(mask_device).collect()),
        events: extras
            .events
            .as_ref()
            .map(|e| e.iter().map(mask_event).collect()),
        // Factor names only: nothing personal to mask.
        auth_factors: extras.auth_factors.clone(),
    }
}

/// An ambiguity report with its filter value and every match masked.
pub fn mask_ambiguous(a: &Ambiguous, username_attributes: &[String]) -> Ambiguous {
    Ambiguous {
        filter: masked_filter(&a.filter),
        matches: a
            .matches
            .iter()
            .map(|m| mask_summary(m, username_attributes))
            .collect(),
        matched_by: a.matched_by.clone(),
        more: a.more,
        calls: a.calls,
    }
}

/// A Cognito error with personal values in its message masked.
pub fn mask_error(e: &CognitoError) -> CognitoError {
    let mut e = e.clone();
    e.message = mask_free_text(&e.message);
    e
}

/// A lookup's answer as privacy mode shows it: the user, the matches, the query and the
/// routes tried all masked.
pub fn mask_lookup(
    result: &Result<LookupOutcome, LookupError>,
    username_attributes: &[String],
) -> Result<LookupOutcome, LookupError> {
    match result {
        Ok(LookupOutcome::Found(found)) => Ok(LookupOutcome::Found(Box::new(Found {
            user: mask_user(&found.user, username_attributes),
            resolution: found.resolution,
        }))),
        Ok(LookupOutcome::Ambiguous(a)) => Ok(LookupOutcome::Ambiguous(mask_ambiguous(
            a,
            username_attributes,
        ))),
        Err(e) => Err(mask_lookup_error(e)),
    }
}

/// A failed lookup with its query, the routes tried and Cognito's message masked.
pub fn mask_lookup_error(e: &LookupError) -> LookupError {
    match e {
        LookupError::Refused(m) => LookupError::Refused(mask_free_text(m)),
        LookupError::NotFound {
            pool,
            query,
            tried,
            calls,
            suggestions,
        } => LookupError::NotFound {
            pool: pool.clone(),
            query: mask_query(query),
            tried: tried.iter().map(|t| mask_free_text(t)).collect(),
            calls: *calls,
            suggestions: suggestions.iter().map(|u| mask_summary(u, &[])).collect(),
        },
        LookupError::Cognito(e) => LookupError::Cognito(mask_error(e)),
    }
}

/// A diagnosis with personal values in its prose masked (it names settings, not values, but
/// a free-text field can't be trusted to stay that way).
pub fn mask_diagnosis(d: &Diagnosis) -> Diagnosis {
    let mut d = d.clone();
    for f in &mut d.findings {
        f.headline = mask_free_text(&f.headline);
        f.message = mask_free_text(&f.message);
        f.fix = mask_free_text(&f.fix);
        f.remedy = mask_free_text(&f.remedy);
    }
    d
}

/// `alice@mail.example.com` → `a•••@m•••.com`.
pub fn mask_email(value: &str) -> String {
    let Some((local, domain)) = value.rsplit_once('@') else {
        return mask_text(value);
    };
    // A top-level domain is kept only when every character of it may be shown.
    let tld = (domain.rsplit_once('.').map(|(_, tld)| tld)).filter(|tld| all_shown(tld));
    let domain_masked = match tld {
        Some(tld) => format!("{}.{tld}", mask_text(domain)),
        None => mask_text(domain),
    };
    format!("{}@{domain_masked}", mask_text(local))
}

/// `+15550100001` → `+1•••01`: country code's first digit and the last two digits.
pub fn mask_phone(value: &str) -> String {
    let chars: Vec<char> = value.chars().collect();
    if chars.len() < 6 {
        return MASK.into();
    }
    let head: String = chars[..2].iter().collect();
    let tail: String = chars[chars.len() - 2..].iter().collect();
    if !all_shown(&head) || !all_shown(&tail) {
        return MASK.into();
    }
    format!("{head}{MASK}{tail}")
}

/// First character, then a mask: `Alice Anders` → `A•••`. Empty stays empty. A first
/// character that a terminal would act on or hide (ESC, a bidi control, a zero-width space,
/// a blank) is not kept: the mask alone, so no raw character survives masking.
pub fn mask_text(value: &str) -> String {
    match value.chars().next() {
        Some(first) if all_shown(first.encode_utf8(&mut [0; 4])) => format!("{first}{MASK}"),
        Some(_) => MASK.into(),
        None => String::new(),
    }
}

/// Whether every character of `kept` may be shown as it is: printable, not blank.
fn all_shown(kept: &str) -> bool {
    kept.chars()
        .all(|c| !crate::sanitize::is_unsafe(c) && !c.is_whitespace())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_like_the_issue_says() {
        assert_eq!(mask_email("alice@example.com"), "a•••@e•••.com");
        assert_eq!(mask_email("zoe@müller.example"), "z•••@m•••.example");
        assert_eq!(mask_email("no-at-sign"), "n•••");
        assert_eq!(mask_phone("+15550100001"), "+1•••01");
        assert_eq!(mask_phone("+1"), "•••");
        // National-format queries are phone numbers too (issue 19).
        assert_eq!(mask_query("(555) 010-0123"), "(5•••23");
        assert_eq!(mask_query("07700 900123"), "07•••23");
        assert_eq!(mask_query("alice"), "alice");
        assert_eq!(mask_query("12345"), "12345");
        assert_eq!(mask_attribute("custom:tenant", "acme"), "a•••");
        assert_eq!(mask_attribute("family_name", "Müller"), "M•••");
        assert_eq!(mask_attribute("email_verified", "true"), "true");
        assert_eq!(mask_attribute("sub", "abc"), "abc");
        assert_eq!(mask_attribute("name", ""), "");
    }

    #[test]
    fn masking_keeps_no_character_a_terminal_would_act_on() {
        assert_eq!(mask_text("\u{1b}[2J"), "•••");
        assert_eq!(mask_text("\u{202e}exe"), "•••");
        assert_eq!(mask_text("\u{200b}x"), "•••");
        assert_eq!(mask_email("\u{9b}a@b.\u{7f}"), "•••@b•••");
        assert_eq!(mask_phone("\u{1b}1555010\u{7}"), "•••");
        assert_eq!(mask_attribute("nickname", "\u{E0041}tag"), "•••");
    }

    #[test]
    fn every_standard_personal_attribute_is_personal() {
        for a in [
            "gender",
            "birthdate",
            "locale",
            "zoneinfo",
            "address",
            "picture",
            "profile",
            "website",
            "dev:custom:tenant",
            "custom:x",
            "middle_name",
        ] {
            assert!(is_personal(a), "{a}");
        }
        for a in [
            "sub",
            "email_verified",
            "phone_number_verified",
            "updated_at",
            "cognito:user_status",
            "dev:device_remembered_status",
        ] {
            assert!(!is_personal(a), "{a}");
        }
    }

    #[test]
    fn usernames_are_masked_by_shape_or_by_the_pool() {
        assert_eq!(mask_username("alice", &[]), "alice");
        assert_eq!(mask_username("bob@example.com", &[]), "b•••@e•••.com");
        assert_eq!(mask_username("+4915112345678", &[]), "+4•••78");
        let email_pool = vec!["email".to_string()];
        assert_eq!(mask_username("alice", &email_pool), "a•••");
        let sub = "3f1c2a9e-0b7d-4e8a-9c61-2d5b7e4f9a10";
        assert_eq!(mask_username(sub, &email_pool), sub);
    }

    #[test]
    fn free_text_masks_the_values_inside_it() {
        assert_eq!(
            mask_free_text("no user matches \"alice@example.com\" (tried +15550100001)."),
            "no user matches \"a•••@e•••.com\" (tried +1•••01)."
        );
        assert_eq!(mask_free_text("copied alice"), "copied alice");
    }

    #[test]
    fn filters_keep_their_attribute_and_mask_the_value() {
        use crate::cognito::FilterAttribute;
        let f = ListFilter::exact(FilterAttribute::Email, "alice@example.com");
        assert_eq!(mask_filter(&f), "email = \"a•••@e•••.com\"");
        let f = ListFilter::exact(FilterAttribute::Sub, "abc-1");
        assert_eq!(mask_filter(&f), "sub = \"abc-1\"");
    }
}
