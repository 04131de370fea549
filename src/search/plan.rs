//! The order a search sends its ListUsers filters in. At the default 5 ListUsers a second the
//! sixth filter leaves a second after the first, so the filters most likely to find the
//! person go first: each attribute in the case its values usually have (usernames and emails
//! in lower case, names Capitalised), the attributes a support desk is given most (username,
//! then the family and given names for a word, the email for a handle), then the query as
//! typed where it differs, then the remaining case variants.
//!
//! ListUsers' filters compare case-sensitively (username explicitly; the API reference
//! lists `cognito:user_status` as the only case-insensitive one): "ListUsers", Amazon
//! Cognito API Reference,
//! <https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ListUsers.html>.

use crate::cognito::{FilterAttribute, ListFilter};

use super::filters_for;

/// One filter of a search's plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planned {
    pub filter: ListFilter,
    /// The case variant this filter searches for, or `None` for the query as typed. A
    /// variant is sent only while what came back is short of a page.
    pub variant: Option<String>,
}

/// The filters for `query` as typed and, with `variants`, for its case variants, in the
/// order they are sent (most likely first), each (attribute, value) once.
pub fn plan(query: &str, variants: bool) -> Vec<Planned> {
    let query = query.trim();
    let mut all: Vec<Planned> = filters_for(query)
        .into_iter()
        .map(|filter| Planned {
            filter,
            variant: None,
        })
        .collect();
    if variants {
        for variant in case_variants(query) {
            for filter in filters_for(&variant) {
                // Emails (and numbers, subs) are stored in lower case: "Carol@" is not worth
                // a request; usernames and names may be in any case.
                let wanted = matches!(
                    filter.attribute,
                    FilterAttribute::Username
                        | FilterAttribute::PreferredUsername
                        | FilterAttribute::Name
                        | FilterAttribute::GivenName
                        | FilterAttribute::FamilyName
                ) || natural(filter.attribute, &filter.value);
                if wanted && !all.iter().any(|p| p.filter == filter) {
                    all.push(Planned {
                        filter,
                        variant: Some(variant.clone()),
                    });
                }
            }
        }
    }
    let order = attribute_order(query);
    let rank = |a: FilterAttribute| order.iter().position(|o| *o == a).unwrap_or(usize::MAX);
    // Stable: among equals, the query as typed comes before its variants.
    all.sort_by_key(|p| {
        let tier = match (natural(p.filter.attribute, &p.filter.value), &p.variant) {
            (true, _) => 0,
            (false, None) => 1,
            (false, Some(_)) => 2,
        };
        (tier, rank(p.filter.attribute))
    });
    all
}

/// The forms tried after `query` as typed: lower case, then Capitalised (first letter upper,
/// the rest lower), each once and never the query itself.
pub fn case_variants(query: &str) -> Vec<String> {
    let query = query.trim();
    let lower = query.to_lowercase();
    let mut chars = lower.chars();
    let capitalised: String = match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    };
    let mut out: Vec<String> = Vec::new();
    for v in [lower, capitalised] {
        if !v.is_empty() && v != query && !out.contains(&v) {
            out.push(v);
        }
    }
    out
}

/// The attributes in the order a query of this shape most likely matches them: several
/// words can only be a name; a word of letters a username or a person's name; anything with
/// digits or punctuation a username, an email or a handle.
fn attribute_order(query: &str) -> [FilterAttribute; 8] {
    use FilterAttribute::*;
    if query.contains(char::is_whitespace) {
        [
            Name,
            FamilyName,
            GivenName,
            Username,
            Email,
            PreferredUsername,
            PhoneNumber,
            Sub,
        ]
    } else if query.chars().all(char::is_alphabetic) {
        [
            Username,
            FamilyName,
            GivenName,
            Email,
            Name,
            PreferredUsername,
            PhoneNumber,
            Sub,
        ]
    } else {
        [
            Username,
            Email,
            PreferredUsername,
            FamilyName,
            GivenName,
            Name,
            PhoneNumber,
            Sub,
        ]
    }
}

/// Whether `value` is in the case `attribute`'s values usually have: names with each word
/// Capitalised (not in capitals throughout),
/// everything else (usernames, emails, handles, subs, numbers) in lower case.
fn natural(attribute: FilterAttribute, value: &str) -> bool {
    match attribute {
        FilterAttribute::Name | FilterAttribute::GivenName | FilterAttribute::FamilyName => {
            let letters = value.chars().filter(|c| c.is_alphabetic()).count();
            let shouting = letters > 1 && !value.chars().any(char::is_lowercase);
            !shouting
                && value
                    .split_whitespace()
                    .all(|word| word.chars().next().is_none_or(|c| !c.is_lowercase()))
        }
        _ => !value.chars().any(char::is_uppercase),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sent(query: &str) -> Vec<String> {
        plan(query, true)
            .iter()
            .map(|p| format!("{}={}", p.filter.attribute.as_str(), p.filter.value))
            .collect()
    }

    #[test]
    fn variants_are_lower_then_capitalised_without_repeats() {
        assert_eq!(case_variants("sMiTh"), ["smith", "Smith"]);
        assert_eq!(case_variants("smith"), ["Smith"]);
        assert_eq!(case_variants("Smith"), ["smith"]);
        assert_eq!(case_variants("42"), Vec::<String>::new());
        assert_eq!(case_variants("ÉLODIE"), ["élodie", "Élodie"]);
    }

    #[test]
    fn a_lower_case_name_asks_for_the_capitalised_family_name_second() {
        assert_eq!(
            sent("kowal")[..6],
            [
                "username=kowal",
                "family_name=Kowal",
                "given_name=Kowal",
                "email=kowal",
                "name=Kowal",
                "preferred_username=kowal",
            ]
        );
        assert_eq!(
            sent("kowal").len(),
            11,
            "both cases, but no Capitalised email"
        );
    }

    #[test]
    fn capitals_are_tried_as_typed_after_the_natural_forms_and_variants_are_marked() {
        let p = plan("ALI", true);
        assert_eq!(p.len(), 17);
        assert_eq!(p[0].filter.value, "ali");
        assert_eq!(p[0].variant.as_deref(), Some("ali"));
        assert_eq!(p[1].filter.value, "Ali");
        assert!(p[6..12].iter().all(|p| p.variant.is_none()));
        assert!(p[12..].iter().all(|p| p.variant.is_some()));
    }

    #[test]
    fn handles_and_shapes_keep_their_filters() {
        assert_eq!(
            sent("bulk-00777")[..2],
            ["username=bulk-00777", "email=bulk-00777"]
        );
        assert_eq!(sent("jo@ex"), ["email=jo@ex"]);
        assert_eq!(sent("Jo@ex"), ["email=jo@ex", "email=Jo@ex"]);
        assert_eq!(sent("Jan Kow")[0], "name=Jan Kow");
        // Without variants: only the query as typed, in the same order.
        let typed: Vec<_> = plan("kowal", false)
            .into_iter()
            .map(|p| p.variant)
            .collect();
        assert_eq!(typed, vec![None; 6]);
    }
}
