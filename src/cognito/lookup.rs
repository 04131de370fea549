//! Identifier resolution: turn whatever a support ticket says (username, email, phone,
//! preferred_username or sub) into one user, in as few Cognito calls as possible.
//!
//! AdminGetUser resolves usernames, configured aliases and subs in one call. When it says
//! UserNotFound and the query has the shape of an email, phone number, sub or
//! preferred_username, one exact ListUsers filter finds users whose attribute is not an alias
//! (or whose alias is unverified), then AdminGetUser opens the single match: at most 3 calls.
//! ListUsers is never paged through to find one user.
//!
//! The answer is checked against the mode: `--by sub` takes a user only if its `sub` is the
//! query, `--by alias` only if an alias attribute is, `--by username` only if its username is.
//! AdminGetUser answers for a username first, so a user whose *username* is another user's
//! email or sub would otherwise be shown in that user's place. In auto mode an email- or
//! phone-shaped query found as a username costs one more ListUsers on the attribute, and a
//! second user holding it makes the lookup ambiguous rather than a silent pick.

use std::fmt;

use crate::phone::Reading;

use super::{Backend, CognitoError, ErrorKind, FilterAttribute, ListFilter, PoolId, PoolSchema};
use super::{PageRequest, User, UserSummary};

/// Cognito's maximum username length; longer queries cannot name anyone.
pub const MAX_QUERY_CHARS: usize = 128;

/// How many matches an ambiguous lookup fetches (one ListUsers page, never more).
pub const AMBIGUOUS_PAGE: i32 = 60;

/// Which identifier the user says the query is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum LookupMode {
    /// Detect from the query's shape.
    #[default]
    Auto,
    /// Only a username (one AdminGetUser, no fallback).
    Username,
    /// email, phone_number or preferred_username.
    Alias,
    /// The user's `sub` (a UUID).
    Sub,
}

impl LookupMode {
    /// Short label used in the UI.
    pub fn label(self) -> &'static str {
        match self {
            Self::Auto => "any",
            Self::Username => "username",
            Self::Alias => "alias",
            Self::Sub => "sub",
        }
    }
}

/// The shape of a query, which decides the ListUsers fallback.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueryShape {
    Email,
    /// An E.164 phone number, normalised (spaces, dashes, dots and brackets removed).
    Phone(String),
    Uuid,
    Plain,
    /// Phone-shaped but no number in the default country: why, for the person who typed it.
    BadPhone(String),
}

/// Classifies a (validated) query, reading national-format phone numbers in the default
/// country ([`crate::phone::default_country`]).
pub fn classify(query: &str) -> QueryShape {
    classify_in(query, crate::phone::default_country())
}

/// [`classify`] with national numbers read in `country`.
pub fn classify_in(query: &str, country: Option<phonenumber::country::Id>) -> QueryShape {
    if is_uuid(query) {
        return QueryShape::Uuid;
    }
    match crate::phone::read(query, country) {
        Reading::Number(e164) => return QueryShape::Phone(e164),
        Reading::Unusable(why) => return QueryShape::BadPhone(why),
        Reading::NotAPhone => {}
    }
    if looks_like_email(query) {
        return QueryShape::Email;
    }
    QueryShape::Plain
}

fn is_uuid(s: &str) -> bool {
    let bytes = s.as_bytes();
    bytes.len() == 36
        && bytes.iter().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => *b == b'-',
            _ => b.is_ascii_hexdigit(),
        })
}

fn looks_like_email(s: &str) -> bool {
    match s.rsplit_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.is_empty()
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !s.chars().any(char::is_whitespace)
        }
        None => false,
    }
}

/// `+` and the digits after it, with the separators people paste (spaces, `-`, `.`,
/// brackets) dropped; None when anything else is there. Shared by lookup and search.
pub fn phone_digits(s: &str) -> Option<String> {
    let rest = s.strip_prefix('+')?;
    let mut digits = String::from("+");
    for c in rest.chars() {
        match c {
            '0'..='9' => digits.push(c),
            ' ' | '-' | '.' | '(' | ')' => {}
            _ => return None,
        }
    }
    Some(digits)
}

/// Why a query was refused before any request.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    /// Nothing but whitespace.
    #[error("the query is empty: type a username, email, phone number or sub")]
    Empty,
    /// Longer than any username or alias can be.
    #[error(
        "the query is {chars} characters long; Cognito usernames and aliases have at most \
         {max}",
        max = MAX_QUERY_CHARS
    )]
    TooLong { chars: usize },
    /// Control characters, which no username can hold (and a terminal would obey).
    #[error("the query contains control characters, which no username can hold")]
    ControlCharacters,
    /// A lookup by sub (`--by sub`, `s`) of something that is not a UUID.
    #[error("a sub is a UUID such as 0f8fad5b-d9cb-469f-a165-70867728950e")]
    NotASub,
    /// Phone-shaped, but no number in the default country ([`crate::phone::read`]).
    #[error("{0}")]
    NotAPhone(String),
}

/// Trims the query and refuses what can never name a user, before any request.
pub fn validate_query(raw: &str) -> Result<String, QueryError> {
    let query = raw.trim();
    if query.is_empty() {
        return Err(QueryError::Empty);
    }
    let chars = query.chars().count();
    if chars > MAX_QUERY_CHARS {
        return Err(QueryError::TooLong { chars });
    }
    if query.chars().any(char::is_control) {
        return Err(QueryError::ControlCharacters);
    }
    Ok(query.to_string())
}

/// How a user was identified.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatchedBy {
    Username,
    Email,
    PhoneNumber,
    PreferredUsername,
    Sub,
}

impl MatchedBy {
    fn from_filter(attribute: FilterAttribute) -> Self {
        match attribute {
            FilterAttribute::Email => Self::Email,
            FilterAttribute::PhoneNumber => Self::PhoneNumber,
            FilterAttribute::PreferredUsername => Self::PreferredUsername,
            FilterAttribute::Sub => Self::Sub,
            _ => Self::Username,
        }
    }

    /// Attribute name, as in "by email".
    pub fn label(self) -> &'static str {
        match self {
            Self::Username => "username",
            Self::Email => "email",
            Self::PhoneNumber => "phone number",
            Self::PreferredUsername => "preferred_username",
            Self::Sub => "sub",
        }
    }
}

/// Which call found the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    AdminGetUser,
    ListUsers,
}

/// How a lookup reached its answer, for the Status pane and the audit trail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Resolution {
    pub matched_by: MatchedBy,
    pub via: Via,
    /// Cognito requests this lookup made.
    pub calls: u32,
}

impl fmt::Display for Resolution {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let via = match self.via {
            Via::AdminGetUser => "AdminGetUser",
            Via::ListUsers => "ListUsers",
        };
        write!(f, "by {}, via {via}", self.matched_by.label())
    }
}

/// A lookup that found exactly one user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub user: User,
    pub resolution: Resolution,
}

/// A lookup whose ListUsers filter matched several users: never a silent pick.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ambiguous {
    pub filter: ListFilter,
    pub matches: Vec<UserSummary>,
    /// How each of `matches` matched the query, in the same order.
    pub matched_by: Vec<MatchedBy>,
    /// More matches exist beyond the first page.
    pub more: bool,
    pub calls: u32,
}

impl Ambiguous {
    /// What matched, for titles: the filter, or `username or email = "…"` for a collision.
    pub fn description(&self) -> String {
        if self.matched_by.contains(&MatchedBy::Username) {
            format!("username or {}", self.filter.expression())
        } else {
            self.filter.expression()
        }
    }
}

/// The answer to a lookup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LookupOutcome {
    Found(Box<Found>),
    Ambiguous(Ambiguous),
}

/// Why a lookup produced no user.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LookupError {
    /// Refused locally; no request was made.
    #[error("{0}")]
    Refused(String),
    /// Every route was tried and none found the user.
    #[error("no user matches {query:?} in {pool}; tried {}", tried.join(", then "))]
    NotFound {
        pool: String,
        query: String,
        tried: Vec<String>,
        calls: u32,
        /// Users close to the query ("did you mean"), from one ListUsers prefix search;
        /// empty unless [`suggest`] ran.
        suggestions: Vec<UserSummary>,
    },
    /// Cognito (or the network) failed.
    #[error("{0}")]
    Cognito(CognitoError),
}

impl LookupError {
    /// The one-shot command's exit code.
    pub fn exit_code(&self) -> i32 {
        match self {
            Self::Refused(_) => crate::exit::USAGE,
            Self::NotFound { .. } => crate::exit::NOT_FOUND,
            Self::Cognito(e) => e.kind.exit_code(),
        }
    }
}

/// Resolves `raw_query` in `pool`. `schema` is DescribeUserPool's answer if the caller
/// already has it cached; resolution never fetches it, so it costs no call here.
pub async fn lookup(
    backend: &dyn Backend,
    pool: &PoolId,
    raw_query: &str,
    mode: LookupMode,
    schema: Option<&PoolSchema>,
) -> Result<LookupOutcome, LookupError> {
    let query = validate_query(raw_query).map_err(|e| LookupError::Refused(e.to_string()))?;
    let shape = classify(&query);
    let fallback = fallback_attribute(mode, &shape, schema)
        .map_err(|e| LookupError::Refused(e.to_string()))?;
    let (direct_query, attribute_value) = lookup_values(&query, &shape, mode);

    let calls = 1;
    let mut tried = vec![format!(
        "AdminGetUser {direct_query:?} (username, alias or sub)"
    )];
    match backend.admin_get_user(pool, &direct_query).await {
        Ok(user) => match accepted_as(mode, &user, &direct_query) {
            Some(matched_by) => {
                let collision = (mode == LookupMode::Auto && matched_by == MatchedBy::Username)
                    .then(|| collision_attribute(&shape, schema))
                    .flatten();
                let Some(attribute) = collision else {
                    return Ok(found(user, matched_by, Via::AdminGetUser, calls));
                };
                return check_collision(backend, pool, user, attribute, &attribute_value, calls)
                    .await;
            }
            None => {
                tried[0].push_str(&format!(
                    ": answered with {:?}, which is not the {} asked for",
                    user.username,
                    mode.label()
                ));
            }
        },
        Err(e) if e.kind == ErrorKind::UserNotFound => {
            tried[0].push_str(&format!(
                ": {}",
                e.exception.as_deref().unwrap_or("UserNotFoundException")
            ));
        }
        Err(e) => return Err(LookupError::Cognito(e)),
    }

    let Some(attribute) = fallback else {
        return Err(not_found(pool, &query, tried, calls));
    };
    lookup_by_attribute(
        backend,
        pool,
        &query,
        attribute,
        &attribute_value,
        tried,
        calls,
    )
    .await
}

/// The step after AdminGetUser found nothing: one ListUsers `attribute = value`, then
/// AdminGetUser on a single exact match; several matches are [`LookupOutcome::Ambiguous`].
/// `tried` and `calls` carry on from the direct attempt.
async fn lookup_by_attribute(
    backend: &dyn Backend,
    pool: &PoolId,
    query: &str,
    attribute: FilterAttribute,
    attribute_value: &str,
    mut tried: Vec<String>,
    mut calls: u32,
) -> Result<LookupOutcome, LookupError> {
    let filter = ListFilter::exact(attribute, attribute_value.to_owned());
    tried.push(format!("ListUsers {}: no match", filter.expression()));
    calls += 1;
    let page = backend
        .list_users(pool, Some(&filter), PageRequest::first(AMBIGUOUS_PAGE))
        .await
        .map_err(LookupError::Cognito)?;
    // Keep only exact matches, whatever the endpoint's notion of "=".
    let mut matches: Vec<UserSummary> = page
        .users
        .into_iter()
        .filter(|u| {
            u.attribute(attribute.as_str())
                .is_some_and(|v| v.to_lowercase() == attribute_value.to_lowercase())
        })
        .collect();
    match matches.len() {
        0 => Err(not_found(pool, query, tried, calls)),
        1 => {
            let username = matches.remove(0).username;
            calls += 1;
            match backend.admin_get_user(pool, &username).await {
                Ok(user) => Ok(found(
                    user,
                    MatchedBy::from_filter(attribute),
                    Via::ListUsers,
                    calls,
                )),
                Err(e) if e.kind == ErrorKind::UserNotFound => {
                    tried.push(format!("AdminGetUser {username:?} (deleted meanwhile?)"));
                    Err(not_found(pool, query, tried, calls))
                }
                Err(e) => Err(LookupError::Cognito(e)),
            }
        }
        _ => Ok(LookupOutcome::Ambiguous(Ambiguous {
            filter,
            matched_by: vec![MatchedBy::from_filter(attribute); matches.len()],
            matches,
            more: page.next_token.is_some(),
            calls,
        })),
    }
}

/// The not-found answer for `query` in `pool`, with what was tried; suggestions come later.
fn not_found(pool: &PoolId, query: &str, tried: Vec<String>, calls: u32) -> LookupError {
    LookupError::NotFound {
        pool: pool.to_string(),
        query: query.to_owned(),
        tried,
        calls,
        suggestions: Vec::new(),
    }
}

/// What AdminGetUser is asked, and what a ListUsers filter compares: a phone number in its
/// E.164 form (Cognito stores no other), except that digits alone go to AdminGetUser as
/// typed (they may be a username) and only the filter reads them as a number.
fn lookup_values(query: &str, shape: &QueryShape, mode: LookupMode) -> (String, String) {
    match shape {
        QueryShape::Phone(e164) if mode == LookupMode::Username => (query.into(), e164.clone()),
        QueryShape::Phone(e164) if crate::phone::is_digits_only(query) => {
            (query.into(), e164.clone())
        }
        QueryShape::Phone(e164) => (e164.clone(), e164.clone()),
        _ => (query.into(), query.into()),
    }
}

/// How many suggestions a not-found lookup offers at most.
pub const MAX_SUGGESTIONS: usize = 5;

/// After a [`lookup`] (its `result`): on not-found, one ListUsers prefix search on the
/// query's first characters for users close to it ("did you mean alice?"). Never another
/// AdminGetUser: suggestions are ListUsers summaries, opened only on an explicit choice. The
/// cost is in `calls` and `tried`; a failed suggestion search leaves the not-found as it was
/// (its call counted). Any other result is returned as it is.
pub async fn suggest(
    backend: &dyn Backend,
    pool: &PoolId,
    mode: LookupMode,
    result: Result<LookupOutcome, LookupError>,
) -> Result<LookupOutcome, LookupError> {
    let Err(LookupError::NotFound {
        pool: pool_name,
        query,
        mut tried,
        calls,
        ..
    }) = result
    else {
        return result;
    };
    let filter = suggestion_filter(&query, mode);
    let suggestions = match backend
        .list_users(pool, Some(&filter), PageRequest::first(AMBIGUOUS_PAGE))
        .await
    {
        Ok(page) => closest(&query, filter.attribute, page.users),
        Err(e) => {
            tracing::info!("suggestion search failed: {}", e.message);
            Vec::new()
        }
    };
    tried.push(format!(
        "ListUsers {} for suggestions: {} close",
        filter.expression(),
        suggestions.len()
    ));
    Err(LookupError::NotFound {
        pool: pool_name,
        query,
        tried,
        calls: calls + 1,
        suggestions,
    })
}

/// The one prefix filter suggestions come from: the attribute the query's shape names, on
/// its first characters (two, or three for queries of eight or more; a typo is likelier
/// later in a word than at its start).
pub fn suggestion_filter(query: &str, mode: LookupMode) -> ListFilter {
    let shape = classify(query);
    let (attribute, value) = match (&shape, mode) {
        (QueryShape::Uuid, _) | (_, LookupMode::Sub) => {
            (FilterAttribute::Sub, query.to_lowercase())
        }
        (QueryShape::Email, _) => (FilterAttribute::Email, query.to_string()),
        (QueryShape::Phone(normalized), _) => (FilterAttribute::PhoneNumber, normalized.clone()),
        (QueryShape::Plain | QueryShape::BadPhone(_), LookupMode::Alias) => {
            (FilterAttribute::PreferredUsername, query.to_string())
        }
        (QueryShape::Plain | QueryShape::BadPhone(_), _) => {
            (FilterAttribute::Username, query.to_string())
        }
    };
    let keep = match attribute {
        // "+" and the first two digits: the country code.
        FilterAttribute::PhoneNumber => 3,
        _ if value.chars().count() >= 8 => 3,
        _ => 2,
    };
    ListFilter {
        attribute,
        prefix: true,
        value: value.chars().take(keep).collect(),
    }
}

/// The users of a prefix search closest to `query` on `attribute` by edit distance
/// (transpositions count one), within a third of the query's length, closest first.
fn closest(query: &str, attribute: FilterAttribute, users: Vec<UserSummary>) -> Vec<UserSummary> {
    let wanted: Vec<char> = query.to_lowercase().chars().collect();
    let limit = (wanted.len().div_ceil(3)).max(1);
    let mut scored: Vec<(usize, String, UserSummary)> = users
        .into_iter()
        .filter_map(|u| {
            let value = match attribute {
                FilterAttribute::Username => u.username.clone(),
                other => u.attribute(other.as_str())?.to_string(),
            };
            let have: Vec<char> = value.to_lowercase().chars().collect();
            let d = edit_distance(&wanted, &have);
            (d <= limit).then_some((d, value, u))
        })
        .collect();
    scored.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
    scored
        .into_iter()
        .take(MAX_SUGGESTIONS)
        .map(|(_, _, u)| u)
        .collect()
}

/// Optimal string alignment distance: insertions, deletions, substitutions and swaps of
/// neighbours (`alcie` → `alice` is one).
pub fn edit_distance(a: &[char], b: &[char]) -> usize {
    let (n, m) = (a.len(), b.len());
    let mut d = vec![vec![0usize; m + 1]; n + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=n {
        for j in 1..=m {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = v;
        }
    }
    d[n][m]
}

/// Whether AdminGetUser's answer is the user `mode` asked for, and how it matched.
fn accepted_as(mode: LookupMode, user: &User, query: &str) -> Option<MatchedBy> {
    let same = |v: &str| v == query || v.to_lowercase() == query.to_lowercase();
    match mode {
        LookupMode::Auto => Some(identify(user, query)),
        LookupMode::Username => same(&user.username).then_some(MatchedBy::Username),
        LookupMode::Sub => user.sub().is_some_and(same).then_some(MatchedBy::Sub),
        LookupMode::Alias => [
            ("email", MatchedBy::Email),
            ("phone_number", MatchedBy::PhoneNumber),
            ("preferred_username", MatchedBy::PreferredUsername),
        ]
        .into_iter()
        .find(|(name, _)| user.attribute(name).is_some_and(same))
        .map(|(_, by)| by),
    }
}

/// The attribute another user may hold when an email- or phone-shaped query was found as a
/// username: only where that attribute is neither an alias nor a username attribute (there
/// AdminGetUser would have resolved it, and Cognito refuses such usernames). Unknown schema:
/// check, since the collision cannot be ruled out.
fn collision_attribute(shape: &QueryShape, schema: Option<&PoolSchema>) -> Option<FilterAttribute> {
    let attribute = match shape {
        QueryShape::Email => FilterAttribute::Email,
        QueryShape::Phone(_) => FilterAttribute::PhoneNumber,
        QueryShape::Uuid | QueryShape::Plain | QueryShape::BadPhone(_) => return None,
    };
    (!schema.is_some_and(|s| s.resolves_directly(attribute.as_str()))).then_some(attribute)
}

/// One exact ListUsers on `attribute`: if a user other than `user` holds the query, the
/// lookup is ambiguous, naming both and how each matched.
async fn check_collision(
    backend: &dyn Backend,
    pool: &PoolId,
    user: User,
    attribute: FilterAttribute,
    query: &str,
    calls: u32,
) -> Result<LookupOutcome, LookupError> {
    let filter = ListFilter::exact(attribute, query.to_string());
    let calls = calls + 1;
    let page = backend
        .list_users(pool, Some(&filter), PageRequest::first(AMBIGUOUS_PAGE))
        .await
        .map_err(LookupError::Cognito)?;
    let others: Vec<UserSummary> = page
        .users
        .into_iter()
        .filter(|u| {
            u.username != user.username
                && u.attribute(attribute.as_str())
                    .is_some_and(|v| v.to_lowercase() == query.to_lowercase())
        })
        .collect();
    if others.is_empty() {
        return Ok(found(user, MatchedBy::Username, Via::AdminGetUser, calls));
    }
    let by_attribute = MatchedBy::from_filter(attribute);
    let mut matched_by = vec![MatchedBy::Username];
    matched_by.extend(others.iter().map(|_| by_attribute));
    let mut matches = vec![summary_of(user)];
    matches.extend(others);
    Ok(LookupOutcome::Ambiguous(Ambiguous {
        filter,
        matches,
        matched_by,
        more: page.next_token.is_some(),
        calls,
    }))
}

/// The ListUsers view of a user AdminGetUser returned.
fn summary_of(user: User) -> UserSummary {
    UserSummary {
        username: user.username,
        attributes: user.attributes,
        created: user.created,
        last_modified: user.last_modified,
        enabled: user.enabled,
        status: user.status,
    }
}

fn found(user: User, matched_by: MatchedBy, via: Via, calls: u32) -> LookupOutcome {
    LookupOutcome::Found(Box::new(Found {
        user,
        resolution: Resolution {
            matched_by,
            via,
            calls,
        },
    }))
}

/// Which attribute a ListUsers fallback should filter on, or a local refusal.
fn fallback_attribute(
    mode: LookupMode,
    shape: &QueryShape,
    schema: Option<&PoolSchema>,
) -> Result<Option<FilterAttribute>, QueryError> {
    let by_shape = match shape {
        QueryShape::Email => FilterAttribute::Email,
        QueryShape::Phone(_) => FilterAttribute::PhoneNumber,
        QueryShape::Uuid => FilterAttribute::Sub,
        QueryShape::Plain => FilterAttribute::PreferredUsername,
        // A query shaped like a number the default country can't have: say why, before any
        // request (a username can't hold its spaces or brackets either).
        QueryShape::BadPhone(why) if mode != LookupMode::Username => {
            return Err(QueryError::NotAPhone(why.clone()));
        }
        QueryShape::BadPhone(_) => FilterAttribute::PreferredUsername,
    };
    Ok(match mode {
        LookupMode::Username => None,
        LookupMode::Sub => {
            if *shape != QueryShape::Uuid {
                return Err(QueryError::NotASub);
            }
            Some(FilterAttribute::Sub)
        }
        LookupMode::Alias if by_shape == FilterAttribute::Sub => {
            Some(FilterAttribute::PreferredUsername)
        }
        LookupMode::Alias | LookupMode::Auto => {
            // When DescribeUserPool told us preferred_username is an alias, AdminGetUser has
            // already looked it up: a ListUsers would only repeat the question.
            let redundant = by_shape == FilterAttribute::PreferredUsername
                && schema.is_some_and(|s| s.resolves_directly("preferred_username"));
            (!redundant).then_some(by_shape)
        }
    })
}

/// Works out which identifier AdminGetUser matched, by comparing the answer to the query.
fn identify(user: &User, query: &str) -> MatchedBy {
    let same = |v: &str| v == query || v.to_lowercase() == query.to_lowercase();
    if same(&user.username) {
        MatchedBy::Username
    } else if user.sub().is_some_and(same) {
        MatchedBy::Sub
    } else if user.attribute("email").is_some_and(same) {
        MatchedBy::Email
    } else if user.attribute("phone_number").is_some_and(same) {
        MatchedBy::PhoneNumber
    } else if user.attribute("preferred_username").is_some_and(same) {
        MatchedBy::PreferredUsername
    } else {
        MatchedBy::Username
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_query_shapes() {
        assert_eq!(classify("alice"), QueryShape::Plain);
        assert_eq!(classify("alice@example.com"), QueryShape::Email);
        assert_eq!(
            classify("+1 (555) 010-2030"),
            QueryShape::Phone("+15550102030".into())
        );
        assert!(matches!(classify("+0123"), QueryShape::BadPhone(_)));
        let us = crate::phone::parse_country("US");
        assert_eq!(
            classify_in("(555) 010-0123", us),
            QueryShape::Phone("+15550100123".into())
        );
        assert!(matches!(
            classify_in("(555) 010-0123", None),
            QueryShape::BadPhone(why) if why.contains("add the country code")
        ));
        assert_eq!(classify_in("5550100123", None), QueryShape::Plain);
        assert_eq!(
            classify("0f8fad5b-d9cb-469f-a165-70867728950e"),
            QueryShape::Uuid
        );
        assert_eq!(classify("@handle"), QueryShape::Plain);
    }

    #[test]
    fn refuses_empty_long_and_control_queries() {
        assert_eq!(validate_query("   "), Err(QueryError::Empty));
        let long = validate_query(&"x".repeat(129)).unwrap_err();
        assert_eq!(long, QueryError::TooLong { chars: 129 });
        assert_eq!(
            long.to_string(),
            "the query is 129 characters long; Cognito usernames and aliases have at most 128"
        );
        assert_eq!(
            validate_query(&"é".repeat(128)).unwrap().chars().count(),
            128
        );
        assert_eq!(
            validate_query("bob\u{1b}[2J"),
            Err(QueryError::ControlCharacters)
        );
        assert_eq!(validate_query("  bob \n").unwrap(), "bob");
    }

    #[test]
    fn suggestions_come_from_one_prefix_filter_ranked_by_edit_distance() {
        let chars = |s: &str| s.chars().collect::<Vec<_>>();
        assert_eq!(edit_distance(&chars("alcie"), &chars("alice")), 1);
        assert_eq!(edit_distance(&chars("bob"), &chars("bob")), 0);
        assert_eq!(edit_distance(&chars("kitten"), &chars("sitting")), 3);
        let f = suggestion_filter("alcie", LookupMode::Auto);
        assert_eq!(f.expression(), r#"username ^= "al""#);
        let f = suggestion_filter("bulk-00778", LookupMode::Auto);
        assert_eq!(f.expression(), r#"username ^= "bul""#);
        let f = suggestion_filter("alcie@example.com", LookupMode::Auto);
        assert_eq!(f.expression(), r#"email ^= "alc""#);
        let f = suggestion_filter("+44 20 7946 0000", LookupMode::Auto);
        assert_eq!(f.expression(), r#"phone_number ^= "+44""#);
        let user = |name: &str| UserSummary {
            username: name.into(),
            ..Default::default()
        };
        let got = closest(
            "alcie",
            FilterAttribute::Username,
            vec![user("alan"), user("alice"), user("alicia"), user("al")],
        );
        let names: Vec<&str> = got.iter().map(|u| u.username.as_str()).collect();
        assert_eq!(names, ["alice", "alicia"]);
    }

    #[test]
    fn sub_mode_requires_a_uuid() {
        assert_eq!(
            fallback_attribute(LookupMode::Sub, &QueryShape::Plain, None),
            Err(QueryError::NotASub)
        );
        assert_eq!(
            fallback_attribute(LookupMode::Sub, &QueryShape::Uuid, None),
            Ok(Some(FilterAttribute::Sub))
        );
        assert_eq!(
            fallback_attribute(LookupMode::Username, &QueryShape::Email, None),
            Ok(None)
        );
    }

    #[test]
    fn schema_skips_redundant_preferred_username_fallback() {
        let schema = PoolSchema {
            alias_attributes: vec!["preferred_username".into()],
            ..Default::default()
        };
        assert_eq!(
            fallback_attribute(LookupMode::Auto, &QueryShape::Plain, Some(&schema)),
            Ok(None)
        );
        assert_eq!(
            fallback_attribute(LookupMode::Auto, &QueryShape::Plain, None),
            Ok(Some(FilterAttribute::PreferredUsername))
        );
    }
}
