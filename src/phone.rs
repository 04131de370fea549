//! Phone numbers as people say them: `(555) 010-0123`, `07946 000000`, `+49 30 1234567`.
//!
//! Cognito stores `phone_number` in E.164 (`+15550100123`; "Phone numbers must follow these
//! formatting rules: A phone number must start with a plus (+) sign, followed immediately by
//! the country code", Cognito developer guide, "Working with user attributes"), and its
//! ListUsers filters compare strings. So every lookup and search turns what was typed into
//! E.164 here first, with the `phonenumber` crate (a port of Google's libphonenumber)
//! reading national formats in a default country: the config's `default_country`, else the
//! locale's territory (`en_GB.UTF-8` → GB), else none — and then a national-format input is
//! refused with the reason, rather than searched as a username.

use std::str::FromStr;
use std::sync::RwLock;

use phonenumber::country::Id;
use phonenumber::metadata::DATABASE;

/// The default country once [`install_default`] ran; `None` inside means "none known".
static DEFAULT: RwLock<Option<Option<Id>>> = RwLock::new(None);

/// A country as ISO 3166 alpha-2 (`GB`, `us`), or None for anything else.
pub fn parse_country(code: &str) -> Option<Id> {
    let code = code.trim().to_ascii_uppercase();
    if code.len() != 2 {
        return None;
    }
    let id = Id::from_str(&code).ok()?;
    DATABASE.by_id(id.as_ref()).map(|_| id)
}

/// The territory of a POSIX locale name: `en_GB.UTF-8` → GB; `C`, `POSIX`, `en` → None.
pub fn territory_of(locale: &str) -> Option<Id> {
    let name = locale.split(['.', '@']).next()?;
    let (_, territory) = name.split_once('_')?;
    parse_country(territory)
}

/// The locale's territory, from the first set of LC_ALL, LC_MESSAGES and LANG (POSIX's
/// order of precedence).
pub fn locale_country() -> Option<Id> {
    ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .filter_map(|var| std::env::var(var).ok())
        .find(|v| !v.trim().is_empty())
        .and_then(|v| territory_of(&v))
}

/// Sets the process's default country: the config's `default_country` if given, else the
/// locale's territory. Called by [`crate::config::load`], which every command goes through.
pub fn install_default(configured: Option<&str>) {
    let country = configured.and_then(parse_country).or_else(locale_country);
    if let Ok(mut slot) = DEFAULT.write() {
        *slot = Some(country);
    }
}

/// The default country national-format numbers are read in ([`install_default`]; the
/// locale's territory before it ran).
pub fn default_country() -> Option<Id> {
    match DEFAULT.read().ok().and_then(|slot| *slot) {
        Some(country) => country,
        None => locale_country(),
    }
}

/// How a query reads as a phone number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reading {
    /// Not phone-shaped: a name, an email, or digits too few to be a number.
    NotAPhone,
    /// A whole number, in E.164.
    Number(String),
    /// Phone-shaped, but it cannot be a number here: why, for the person who typed it.
    Unusable(String),
}

/// Characters people put between a number's digits.
fn is_separator(c: char) -> bool {
    matches!(c, ' ' | '-' | '.' | '(' | ')' | '/')
}

/// An optional `+`, then only digits and separators, with at least `min_digits` digits.
fn phone_shaped(s: &str, min_digits: usize) -> bool {
    let rest = s.strip_prefix('+').unwrap_or(s);
    rest.chars().all(|c| c.is_ascii_digit() || is_separator(c))
        && rest.chars().filter(char::is_ascii_digit).count() >= min_digits
}

/// The digits of `s`, separators dropped.
fn digits_of(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

/// Whether `s` is digits alone (a username can be that; a pasted number rarely is).
pub fn is_digits_only(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_digit())
}

/// Reads `query` as a whole phone number in `country` (international forms need none).
pub fn read(query: &str, country: Option<Id>) -> Reading {
    let query = query.trim();
    if let Some(rest) = query.strip_prefix('+') {
        return read_international(query, rest);
    }
    // Seven digits is the shortest national number people paste in the countries we serve
    // (shorter digit runs are more likely usernames or order numbers).
    if !phone_shaped(query, 7) {
        return Reading::NotAPhone;
    }
    let digits_only = is_digits_only(query);
    let Some(country) = country else {
        if digits_only {
            return Reading::NotAPhone;
        }
        return Reading::Unusable(
            "the query looks like a phone number without its country code, and no default \
             country is set: add the country code (+44…, +1…), or set default_country = \"GB\" \
             in the config file"
                .to_string(),
        );
    };
    match national(query, country) {
        Ok(e164) => Reading::Number(e164),
        Err(_) if digits_only => Reading::NotAPhone,
        Err(why) => Reading::Unusable(why.to_string()),
    }
}

/// `+` forms: the crate's reading when it has one (it drops a bracketed national prefix,
/// `+44 (0)20…`), else `+` and the digits, as Cognito would store them.
fn read_international(query: &str, rest: &str) -> Reading {
    if !phone_shaped(query, 1) {
        return Reading::NotAPhone;
    }
    if let Ok(number) = phonenumber::parse(None, query)
        && plausible(&number, None)
    {
        return Reading::Number(e164(&number));
    }
    let digits = digits_of(rest);
    if (2..=15).contains(&digits.len()) && !digits.starts_with('0') {
        Reading::Number(format!("+{digits}"))
    } else {
        Reading::Unusable(
            "the query is not a phone number: after the + come the country code and number, \
             2 to 15 digits, not starting with 0"
                .to_string(),
        )
    }
}

/// Why a national-format query can't be a number in the default country.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
enum NotANumber {
    #[error(
        "the query has {digits} digits, which no phone number in {country} has: add the \
         country code (+{code}…) if it is from elsewhere"
    )]
    Length {
        digits: usize,
        country: String,
        code: u16,
    },
    #[error(
        "the query can't be a phone number in {country} ({reason}): add the country code \
         (+{code}…) if it is from elsewhere"
    )]
    Unparsable {
        reason: String,
        country: String,
        code: u16,
    },
}

/// A national-format number in `country`, in E.164, or why it can't be one there.
fn national(query: &str, country: Id) -> Result<String, NotANumber> {
    let code = country_code(country);
    let name = country.as_ref().to_string();
    match phonenumber::parse(Some(country), query) {
        Ok(number) if plausible(&number, Some(country)) && number.code().value() == code => {
            Ok(e164(&number))
        }
        Ok(_) => Err(NotANumber::Length {
            digits: digits_of(query).len(),
            country: name,
            code,
        }),
        Err(e) => Err(NotANumber::Unparsable {
            reason: e.to_string(),
            country: name,
            code,
        }),
    }
}

/// Valid by the metadata, or of a length numbers of its country have (555-01xx numbers
/// are reserved for fiction and fail validity, but are the shape of a real number).
/// `country` stands in where the number names no region (an invalid NANP number has none).
fn plausible(number: &phonenumber::PhoneNumber, country: Option<Id>) -> bool {
    if number.is_valid() {
        return true;
    }
    let length = number.national().to_string().len();
    let Some(meta) = country
        .or_else(|| number.country().id())
        .and_then(|id| DATABASE.by_id(id.as_ref()))
    else {
        return false;
    };
    let d = meta.descriptors();
    let kinds = [phonenumber::Type::FixedLine, phonenumber::Type::Mobile];
    std::iter::once(d.general())
        .chain(kinds.into_iter().filter_map(|k| d.get(k)))
        .any(|desc| {
            desc.possible_length()
                .iter()
                .any(|&l| usize::from(l) == length)
        })
}

fn e164(number: &phonenumber::PhoneNumber) -> String {
    number.format().mode(phonenumber::Mode::E164).to_string()
}

/// The calling code of `country` (GB → 44).
pub fn country_code(country: Id) -> u16 {
    DATABASE
        .by_id(country.as_ref())
        .map_or(0, phonenumber::Metadata::country_code)
}

/// The `phone_number ^=` prefix for a partial number typed in a search: `+` forms as typed
/// (separators dropped); digits in national format (national prefix and all) as `+`, the
/// default country's code and the national digits. None when `query` is no number's start.
pub fn search_prefix(query: &str, country: Option<Id>) -> Option<String> {
    let query = query.trim();
    if let Some(rest) = query.strip_prefix('+') {
        let digits = digits_of(rest);
        return (phone_shaped(query, 1) && digits.len() <= 15).then(|| format!("+{digits}"));
    }
    // Three digits at least: fewer match too many numbers to be a search.
    if !phone_shaped(query, 3) {
        return None;
    }
    let country = country?;
    if let Reading::Number(e164) = read(query, Some(country)) {
        return Some(e164);
    }
    let meta = DATABASE.by_id(country.as_ref())?;
    let digits = digits_of(query);
    let national = meta
        .national_prefix()
        .and_then(|p| digits.strip_prefix(p))
        .unwrap_or(&digits);
    (!national.is_empty() && national.len() <= 14)
        .then(|| format!("+{}{national}", meta.country_code()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn number(query: &str, country: &str) -> Reading {
        read(query, parse_country(country))
    }

    #[test]
    fn national_and_international_forms() {
        let n = |s: &str| Reading::Number(s.to_string());
        assert_eq!(number("(555) 010-0123", "US"), n("+15550100123"));
        assert_eq!(number("555-010-0123", "US"), n("+15550100123"));
        assert_eq!(number("+1 555 010 0123", "GB"), n("+15550100123"));
        assert_eq!(number("020 7946 0018", "GB"), n("+442079460018"));
        assert_eq!(number("07700 900123", "GB"), n("+447700900123"));
        assert_eq!(number("+44 (0)20 7946 0018", "US"), n("+442079460018"));
        assert_eq!(number("030 1234567", "DE"), n("+49301234567"));
        assert_eq!(number("+49 30 1234567", "US"), n("+49301234567"));
        assert_eq!(number("098765 43210", "IN"), n("+919876543210"));
        assert_eq!(number("+91 98765 43210", "GB"), n("+919876543210"));
        assert_eq!(number("(11) 91234-5678", "BR"), n("+5511912345678"));
        assert_eq!(number("+55 11 91234-5678", "US"), n("+5511912345678"));
        assert_eq!(number("5550100123", "US"), n("+15550100123"));
    }

    #[test]
    fn what_is_not_a_number_says_why_or_stays_a_name() {
        assert_eq!(number("alice", "US"), Reading::NotAPhone);
        assert_eq!(number("12345", "US"), Reading::NotAPhone);
        assert_eq!(read("5550100123", None), Reading::NotAPhone);
        let Reading::Unusable(why) = read("(555) 010-0123", None) else {
            panic!("a bracketed national number with no country is refused");
        };
        assert!(why.contains("add the country code (+44…"), "{why}");
        let Reading::Unusable(why) = number("(555) 010-01234567", "US") else {
            panic!("too many digits for the US");
        };
        assert!(why.contains("+1…"), "{why}");
    }

    #[test]
    fn locale_territory_and_config_country() {
        assert_eq!(territory_of("en_GB.UTF-8"), Some(Id::GB));
        assert_eq!(territory_of("de_DE@euro"), Some(Id::DE));
        assert_eq!(territory_of("pt_BR"), Some(Id::BR));
        assert_eq!(territory_of("C.UTF-8"), None);
        assert_eq!(territory_of("POSIX"), None);
        assert_eq!(parse_country("gb"), Some(Id::GB));
        assert_eq!(parse_country("XX"), None);
        assert_eq!(parse_country("GBR"), None);
    }

    #[test]
    fn search_prefixes() {
        let us = parse_country("US");
        let gb = parse_country("GB");
        assert_eq!(search_prefix("555010", us).as_deref(), Some("+1555010"));
        assert_eq!(search_prefix("(555) 01", us).as_deref(), Some("+155501"));
        assert_eq!(search_prefix("07700 9", gb).as_deref(), Some("+4477009"));
        assert_eq!(search_prefix("+44 77", None).as_deref(), Some("+4477"));
        assert_eq!(search_prefix("555010", None), None);
        assert_eq!(search_prefix("55", us), None);
        assert_eq!(search_prefix("alice", us), None);
    }
}
