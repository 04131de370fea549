//! The server-side part of an expression. ListUsers takes one filter — one attribute, `=` or
//! `^=` — on a fixed set of standard attributes: username, email, phone_number, name,
//! given_name, family_name, preferred_username, cognito:user_status, status and sub; custom
//! attributes are not searchable ("ListUsers", Amazon Cognito User Pools API Reference,
//! <https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ListUsers.html>).
//!
//! Only a top-level conjunct may go to Cognito: every user the whole expression matches then
//! matches it, so nothing is lost; and the whole expression still runs locally on each user
//! read, so Cognito's own matching rules (case, for one) never widen the result.

use super::{Expr, Field, Op, Value};
use crate::cognito::{FilterAttribute, ListFilter};

/// The most selective conjunct ListUsers can serve, as its filter.
pub(super) fn server_side(expr: &Expr) -> Option<ListFilter> {
    let mut conjuncts = Vec::new();
    flatten(expr, &mut conjuncts);
    conjuncts
        .into_iter()
        .filter_map(candidate)
        // The first of the best: the order typed breaks ties.
        .fold(
            None::<(u32, ListFilter)>,
            |best, (score, filter)| match best {
                Some((s, _)) if s >= score => best,
                _ => Some((score, filter)),
            },
        )
        .map(|(_, filter)| filter)
}

fn flatten<'a>(expr: &'a Expr, out: &mut Vec<&'a Expr>) {
    match expr {
        Expr::And(a, b) => {
            flatten(a, out);
            flatten(b, out);
        }
        other => out.push(other),
    }
}

/// A conjunct ListUsers can serve, with how much it narrows the scan (higher is narrower):
/// an identifier picks out one user, a name a few, a prefix more the shorter it is, a status
/// or the enabled flag a large part of the pool.
fn candidate(expr: &Expr) -> Option<(u32, ListFilter)> {
    let Expr::Compare(field, op, value) = expr else {
        return None;
    };
    match (field, op, value) {
        (Field::Enabled, Op::Eq, Value::Bool(b)) => {
            let status = if *b { "Enabled" } else { "Disabled" };
            Some((5, ListFilter::exact(FilterAttribute::Status, status)))
        }
        (Field::UserStatus, Op::Eq, Value::Text(t)) if !t.is_empty() => Some((
            10,
            ListFilter::exact(FilterAttribute::UserStatus, t.clone()),
        )),
        (_, Op::Eq | Op::StartsWith, Value::Text(t)) if !t.is_empty() => {
            let attribute = searchable(field)?;
            let prefix = *op == Op::StartsWith;
            let score = match (prefix, attribute) {
                (true, _) => 20 + u32::try_from(t.chars().count().min(30)).unwrap_or(30),
                (false, FilterAttribute::Name)
                | (false, FilterAttribute::GivenName)
                | (false, FilterAttribute::FamilyName) => 60,
                (false, _) => 100,
            };
            let filter = ListFilter {
                attribute,
                prefix,
                value: t.clone(),
            };
            Some((score, filter))
        }
        _ => None,
    }
}

/// The ListUsers attribute for a text field, if it is searchable.
fn searchable(field: &Field) -> Option<FilterAttribute> {
    match field {
        Field::Username => Some(FilterAttribute::Username),
        Field::Attribute(name) => match FilterAttribute::parse(name)? {
            // Both take only their own exact values (handled above).
            FilterAttribute::Status | FilterAttribute::UserStatus => None,
            attribute => Some(attribute),
        },
        _ => None,
    }
}
