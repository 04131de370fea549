//! `where EXPR` in the TUI's browse filter line: the same language as `--where`, over the
//! rows the browse store keeps (username, the shown attributes, `sub`, status, enabled and
//! dates; not custom attributes, which the compact store doesn't hold).

use std::borrow::Cow;

use super::{Field, FieldValue, Filter, ParseError, Record};
use crate::search::{Ranked, UserRow, UserStore};

/// What starts a filter line that is an expression rather than fuzzy text.
const PREFIX: &str = "where ";

/// The rows of `store` the line's expression keeps, in load order, when `line` starts with
/// `where `; why it doesn't parse otherwise. None: fuzzy text, ranked as before.
pub fn browse_rows(store: &UserStore, line: &str) -> Option<Result<Vec<Ranked>, ParseError>> {
    let line = line.trim_start();
    let head = line.get(..PREFIX.len())?;
    if !head.eq_ignore_ascii_case(PREFIX) {
        return None;
    }
    let filter = match Filter::parse(&line[PREFIX.len()..]) {
        Ok(filter) => filter,
        Err(e) => return Some(Err(e)),
    };
    let rows = (0..store.len())
        .filter(|&i| filter.matches(&store.row(i)))
        .map(|i| Ranked {
            row: u32::try_from(i).unwrap_or(u32::MAX),
            score: 0,
        })
        .collect();
    Some(Ok(rows))
}

fn text(s: Option<&str>) -> Option<FieldValue<'_>> {
    s.map(|s| FieldValue::Text(Cow::Borrowed(s)))
}

impl Record for UserRow<'_> {
    fn field(&self, field: &Field) -> Option<FieldValue<'_>> {
        match field {
            Field::Username => text(Some(self.username)),
            Field::UserStatus => text(self.status_wire),
            Field::Enabled => Some(FieldValue::Bool(self.enabled)),
            Field::UserCreateDate => self.created.map(FieldValue::Date),
            Field::UserLastModifiedDate => self.last_modified.map(FieldValue::Date),
            Field::Attribute(name) => text(match name.as_str() {
                "email" => self.email,
                "phone_number" => self.phone_number,
                "preferred_username" => self.preferred_username,
                "name" => self.name,
                "given_name" => self.given_name,
                "family_name" => self.family_name,
                "sub" => self.sub,
                _ => None,
            }),
        }
    }
}
