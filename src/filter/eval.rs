//! Evaluating an expression on one user. A field the user lacks makes every comparison false
//! except `!=` and `!~`, which are the negations of `=` and `~`.

use std::borrow::Cow;
use std::cmp::Ordering;

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::{Expr, Field, Op, Value};
use crate::cognito::UserSummary;

/// A field's value on one user.
#[derive(Debug, Clone)]
pub enum FieldValue<'a> {
    Text(Cow<'a, str>),
    Date(OffsetDateTime),
    Bool(bool),
}

/// Something an expression can be evaluated on: a ListUsers user, or a row the TUI keeps.
pub trait Record {
    /// The value of `field`, if the user has it.
    fn field(&self, field: &Field) -> Option<FieldValue<'_>>;
}

impl Record for UserSummary {
    fn field(&self, field: &Field) -> Option<FieldValue<'_>> {
        Some(match field {
            Field::Username => FieldValue::Text(Cow::Borrowed(&self.username)),
            Field::UserStatus => FieldValue::Text(Cow::Borrowed(self.status.as_ref()?.as_wire())),
            Field::Enabled => FieldValue::Bool(self.enabled),
            Field::UserCreateDate => FieldValue::Date(self.created?),
            Field::UserLastModifiedDate => FieldValue::Date(self.last_modified?),
            Field::Attribute(name) => FieldValue::Text(Cow::Borrowed(self.attribute(name)?)),
        })
    }
}

pub(super) fn eval(expr: &Expr, user: &impl Record) -> bool {
    match expr {
        Expr::And(a, b) => eval(a, user) && eval(b, user),
        Expr::Or(a, b) => eval(a, user) || eval(b, user),
        Expr::Not(a) => !eval(a, user),
        Expr::Has(field) => user.field(field).is_some(),
        Expr::Compare(field, Op::Ne, value) => !compare(user.field(field), Op::Eq, value),
        Expr::Compare(field, Op::NotMatches, value) => {
            !compare(user.field(field), Op::Matches, value)
        }
        Expr::Compare(field, op, value) => compare(user.field(field), *op, value),
    }
}

/// [`eval`] in Kleene's three-valued logic, `deferred` unknown: `None` where the answer
/// depends on it.
pub(super) fn eval_unknown(expr: &Expr, user: &impl Record, deferred: &Field) -> Option<bool> {
    match expr {
        Expr::And(a, b) => match (
            eval_unknown(a, user, deferred),
            eval_unknown(b, user, deferred),
        ) {
            (Some(false), _) | (_, Some(false)) => Some(false),
            (Some(true), Some(true)) => Some(true),
            _ => None,
        },
        Expr::Or(a, b) => match (
            eval_unknown(a, user, deferred),
            eval_unknown(b, user, deferred),
        ) {
            (Some(true), _) | (_, Some(true)) => Some(true),
            (Some(false), Some(false)) => Some(false),
            _ => None,
        },
        Expr::Not(a) => eval_unknown(a, user, deferred).map(|v| !v),
        Expr::Has(field) | Expr::Compare(field, _, _) if field == deferred => None,
        leaf => Some(eval(leaf, user)),
    }
}

/// Whether `expr` names `field`.
pub(super) fn mentions(expr: &Expr, field: &Field) -> bool {
    match expr {
        Expr::And(a, b) | Expr::Or(a, b) => mentions(a, field) || mentions(b, field),
        Expr::Not(a) => mentions(a, field),
        Expr::Has(f) | Expr::Compare(f, _, _) => f == field,
    }
}

fn compare(found: Option<FieldValue>, op: Op, value: &Value) -> bool {
    let Some(found) = found else { return false };
    match (op, value) {
        (Op::Eq, Value::Bool(b)) => matches!(found, FieldValue::Bool(f) if f == *b),
        (Op::Eq, Value::Date(d)) => date_of(&found) == Some(*d),
        (Op::Eq, Value::Text(t)) => text_of(&found) == t.as_str(),
        (Op::Matches, Value::Regex(r)) => r.is_match(&text_of(&found)),
        (Op::Contains, Value::Text(t)) => text_of(&found).contains(t.as_str()),
        (Op::StartsWith, Value::Text(t)) => text_of(&found).starts_with(t.as_str()),
        (Op::EndsWith, Value::Text(t)) => text_of(&found).ends_with(t.as_str()),
        (Op::Lt | Op::Le | Op::Gt | Op::Ge, Value::Date(d)) => {
            ordered(op, date_of(&found).map(|f| f.cmp(d)))
        }
        (Op::Lt | Op::Le | Op::Gt | Op::Ge, Value::Number(n)) => ordered(
            op,
            super::parse::number(&text_of(&found)).and_then(|f| f.partial_cmp(n)),
        ),
        // The parser types every literal for its operator: no other pair is built.
        _ => false,
    }
}

fn ordered(op: Op, ordering: Option<Ordering>) -> bool {
    let Some(o) = ordering else { return false };
    match op {
        Op::Lt => o.is_lt(),
        Op::Le => o.is_le(),
        Op::Gt => o.is_gt(),
        _ => o.is_ge(),
    }
}

/// The field as text: booleans `true`/`false`, dates in RFC 3339.
fn text_of<'a>(found: &'a FieldValue) -> Cow<'a, str> {
    match found {
        FieldValue::Text(t) => Cow::Borrowed(t.as_ref()),
        FieldValue::Bool(b) => Cow::Borrowed(if *b { "true" } else { "false" }),
        FieldValue::Date(d) => Cow::Owned(d.format(&Rfc3339).unwrap_or_default()),
    }
}

/// The field as a time: a date field, or an attribute holding a date, an RFC 3339 time or
/// epoch seconds (`updated_at` is "the time, in seconds since 1970" — OpenID Connect's
/// standard claims, which Cognito's standard attributes follow).
fn date_of(found: &FieldValue) -> Option<OffsetDateTime> {
    match found {
        FieldValue::Date(d) => Some(*d),
        FieldValue::Text(t) => super::parse::date(t).or_else(|| {
            let seconds = t.trim().parse::<i64>().ok()?;
            OffsetDateTime::from_unix_timestamp(seconds).ok()
        }),
        FieldValue::Bool(_) => None,
    }
}
