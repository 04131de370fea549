//! Finding users you can't name exactly: type-ahead search with ListUsers prefix filters,
//! fuzzy ranking of what came back, and browsing the pool page by page.
//!
//! Nothing here calls AdminGetUser: it bills a monthly active user, so it is left to an
//! explicit open of one user.

pub mod browse;
pub mod plan;
pub mod rank;
pub mod score;
pub mod variants;

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

use futures::StreamExt;
use futures::stream::FuturesUnordered;

use crate::cognito::{
    Backend, CognitoError, FilterAttribute, ListFilter, PageRequest, PoolId, UserSummary,
};
pub use rank::{Field, Highlights, Ranked, Ranker, Scorer, UserRow, UserStore};

/// ListUsers' page maximum; one page per filter is all a search reads.
pub const PAGE_SIZE: i32 = 60;

/// The debounce the TUI waits after a keystroke before searching: long enough that a word
/// typed at speed sends one search, short enough that the first (username) answer shows
/// within 300 ms of the last key.
pub const RECOMMENDED_DEBOUNCE_MS: u64 = 150;

/// Attributes tried for a query with no telling shape, in order.
pub const PLAIN_ATTRIBUTES: [FilterAttribute; 6] = [
    FilterAttribute::Username,
    FilterAttribute::PreferredUsername,
    FilterAttribute::Name,
    FilterAttribute::FamilyName,
    FilterAttribute::GivenName,
    FilterAttribute::Email,
];

/// The prefix (`^=`) filters that fit a query's shape: an `@` means email; `+` and digits a
/// phone number (separators people paste are dropped); a UUID prefix with a digit or dash a
/// sub (or a username, in pools whose usernames are UUIDs); anything else the six name-like
/// attributes. An empty query gets no filter.
pub fn filters_for(query: &str) -> Vec<ListFilter> {
    let query = query.trim();
    let prefix = |attribute, value: &str| ListFilter {
        attribute,
        prefix: true,
        value: value.to_string(),
    };
    if query.is_empty() {
        return Vec::new();
    }
    if query.contains('@') {
        return vec![prefix(FilterAttribute::Email, query)];
    }
    let phone = crate::phone::search_prefix(query, crate::phone::default_country());
    let mut filters: Vec<ListFilter> = phone
        .iter()
        .map(|p| prefix(FilterAttribute::PhoneNumber, p))
        .collect();
    // `+…` and separated digits are a number; digits alone may also be a username or sub.
    if !filters.is_empty() && !crate::phone::is_digits_only(query) {
        return filters;
    }
    if is_uuid_prefix(query) {
        let lower = query.to_ascii_lowercase();
        filters.push(prefix(FilterAttribute::Sub, &lower));
        filters.push(prefix(FilterAttribute::Username, query));
        return filters;
    }
    filters.extend(PLAIN_ATTRIBUTES.iter().map(|&a| prefix(a, query)));
    filters
}

/// Hex digits and dashes where a UUID has them, with at least 4 characters and one digit or
/// dash (so names like "dead" or "cafe" stay names).
fn is_uuid_prefix(query: &str) -> bool {
    let bytes = query.as_bytes();
    bytes.len() >= 4
        && bytes.len() <= 36
        && bytes.iter().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => *b == b'-',
            _ => b.is_ascii_hexdigit(),
        })
        && bytes.iter().any(|b| b.is_ascii_digit() || *b == b'-')
}

/// One user found by a search, with where it matched.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchHit {
    pub user: UserSummary,
    /// Fuzzy score of the query against the user's shown fields; higher is better.
    pub score: i64,
    /// Matched char positions per field, for highlighting.
    pub highlights: Highlights,
    /// The filters whose results contained this user.
    pub matched_by: Vec<FilterAttribute>,
}

/// What a search found.
#[derive(Debug, Clone, Default)]
pub struct SearchResults {
    /// The query as searched (trimmed).
    pub query: String,
    /// Best first, no username twice.
    pub hits: Vec<SearchHit>,
    /// ListUsers requests sent (filters answered from the cache cost none).
    pub requests: usize,
    /// Whether some filter had more than one page (results are a sample: refine the query).
    pub more: bool,
    /// Filters that failed; the hits come from the others.
    pub failures: Vec<(FilterAttribute, CognitoError)>,
    /// The case variants of the query that found users the query as typed did not, in the
    /// order tried (see [`variants`]).
    pub case_variants: Vec<String>,
    /// Filters not answered yet: these results are partial (see [`search_streaming`]).
    pub waiting: Vec<FilterAttribute>,
}

impl SearchResults {
    /// The first failure, if every filter failed (nothing useful came back).
    pub fn total_failure(&self) -> Option<&CognitoError> {
        (self.hits.is_empty() && !self.failures.is_empty()).then(|| &self.failures[0].1)
    }

    /// While filters are still out: "searching 4 more attributes…" (each attribute once,
    /// whatever its case variants), which partial results say instead of "0 matches".
    pub fn still_searching(&self) -> Option<String> {
        let mut attributes: Vec<FilterAttribute> = Vec::new();
        for a in &self.waiting {
            if !attributes.contains(a) {
                attributes.push(*a);
            }
        }
        match attributes.len() {
            0 => None,
            1 => Some(format!("searching {} too…", attributes[0].as_str())),
            n => Some(format!("searching {n} more attributes…")),
        }
    }
}

/// One filter's users, in Cognito's order.
#[derive(Debug, Clone)]
struct FilterResult {
    attribute: FilterAttribute,
    users: Vec<UserSummary>,
}

/// Merges filter results without duplicates (by username, first occurrence wins) and records
/// every filter that found each user.
fn merge(results: Vec<FilterResult>) -> Vec<(UserSummary, Vec<FilterAttribute>)> {
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut merged: Vec<(UserSummary, Vec<FilterAttribute>)> = Vec::new();
    for result in results {
        for user in result.users {
            match index.get(&user.username) {
                Some(&i) => {
                    if !merged[i].1.contains(&result.attribute) {
                        merged[i].1.push(result.attribute);
                    }
                }
                None => {
                    index.insert(user.username.clone(), merged.len());
                    merged.push((user, vec![result.attribute]));
                }
            }
        }
    }
    merged
}

/// Ranks merged users by fuzzy score against the query, best first.
fn rank_hits(query: &str, merged: Vec<(UserSummary, Vec<FilterAttribute>)>) -> Vec<SearchHit> {
    let users: Vec<UserSummary> = merged.iter().map(|(u, _)| u.clone()).collect();
    let ranked = rank::rank_summaries(&users, query);
    let mut slots: Vec<Option<(UserSummary, Vec<FilterAttribute>)>> =
        merged.into_iter().map(Some).collect();
    let mut hits: Vec<SearchHit> = ranked
        .into_iter()
        .filter_map(|(i, score, highlights)| {
            let (user, matched_by) = slots[i].take()?;
            Some(SearchHit {
                user,
                score,
                highlights,
                matched_by,
            })
        })
        .collect();
    // A prefix match the fuzzy scorer can't see (e.g. a sub, not a shown field) still counts:
    // keep it, after the scored ones.
    hits.extend(
        slots
            .into_iter()
            .flatten()
            .map(|(user, matched_by)| SearchHit {
                user,
                score: 0,
                highlights: Highlights::default(),
                matched_by,
            }),
    );
    hits
}

/// Complete (single-page) filter results kept so a growing query is answered locally: every
/// user whose attribute starts with `joh` is among those that start with `jo`. Entries expire
/// after [`CACHE_TTL`], so a user created or changed elsewhere shows up within a minute.
#[derive(Debug)]
pub struct PrefixCache {
    inner: Mutex<CacheInner>,
    ttl: Duration,
}

impl Default for PrefixCache {
    fn default() -> Self {
        Self::with_ttl(CACHE_TTL)
    }
}

#[derive(Debug, Default)]
struct CacheInner {
    pool: Option<PoolId>,
    /// (attribute, value) → every user matching and when it was fetched, oldest first.
    entries: Vec<CacheEntry>,
}

#[derive(Debug)]
struct CacheEntry {
    attribute: FilterAttribute,
    value: String,
    users: Vec<UserSummary>,
    /// tokio's clock, so tests can advance it without sleeping.
    fetched: Instant,
}

/// How long a cached filter result answers searches.
pub const CACHE_TTL: Duration = Duration::from_secs(60);

/// How many complete filter results the cache keeps.
const CACHE_ENTRIES: usize = 64;

impl PrefixCache {
    /// An empty cache whose entries live [`CACHE_TTL`].
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty cache whose entries live `ttl`.
    pub fn with_ttl(ttl: Duration) -> Self {
        Self {
            inner: Mutex::default(),
            ttl,
        }
    }

    fn fresh(&self, entry: &CacheEntry) -> bool {
        entry.fetched.elapsed() < self.ttl
    }

    /// Forgets everything (e.g. after a user was changed).
    pub fn clear(&self) {
        let mut inner = self.inner.lock().expect("cache lock");
        inner.entries.clear();
    }

    fn lookup(&self, pool: &PoolId, filter: &ListFilter) -> Option<Vec<UserSummary>> {
        let inner = self.inner.lock().expect("cache lock");
        if inner.pool.as_ref() != Some(pool) {
            return None;
        }
        let users = &inner
            .entries
            .iter()
            .filter(|e| {
                e.attribute == filter.attribute
                    && filter.value.starts_with(e.value.as_str())
                    && self.fresh(e)
            })
            .max_by_key(|e| e.value.len())?
            .users;
        let wanted = filter.value.to_lowercase();
        // Case-insensitively: whatever case rules Cognito applied to fill the entry, this
        // keeps every user it would return for the longer prefix.
        Some(
            users
                .iter()
                .filter(|u| {
                    attribute_value(u, filter.attribute)
                        .is_some_and(|v| v.to_lowercase().starts_with(&wanted))
                })
                .cloned()
                .collect(),
        )
    }

    fn store(&self, pool: &PoolId, filter: &ListFilter, users: &[UserSummary]) {
        let mut inner = self.inner.lock().expect("cache lock");
        if inner.pool.as_ref() != Some(pool) {
            inner.pool = Some(pool.clone());
            inner.entries.clear();
        }
        inner.entries.retain(|e| e.fetched.elapsed() < self.ttl);
        if inner.entries.len() >= CACHE_ENTRIES {
            inner.entries.remove(0);
        }
        inner.entries.push(CacheEntry {
            attribute: filter.attribute,
            value: filter.value.clone(),
            users: users.to_vec(),
            fetched: Instant::now(),
        });
    }
}

fn attribute_value(user: &UserSummary, attribute: FilterAttribute) -> Option<&str> {
    match attribute {
        FilterAttribute::Username => Some(&user.username),
        other => user.attribute(other.as_str()),
    }
}

/// Type-ahead search for `query` as typed: runs the filters that fit the query's shape (one
/// ListUsers page of up to 60 each; a rate-limited backend paces them), merges them without
/// duplicates and ranks them best first. With a cache, filters it can answer cost no request.
/// Never calls AdminGetUser. Cancel by dropping the future. [`variants::search_with_case_variants`]
/// adds the case variants.
pub async fn search(
    backend: &dyn Backend,
    pool: &PoolId,
    query: &str,
    cache: Option<&PrefixCache>,
) -> SearchResults {
    search_streaming(backend, pool, query, cache, |_| {}).await
}

/// [`search`], calling `partial` with the results so far each time a filter answers before
/// the last, so the first names show without waiting for six requests.
pub async fn search_streaming(
    backend: &dyn Backend,
    pool: &PoolId,
    query: &str,
    cache: Option<&PrefixCache>,
    partial: impl FnMut(&SearchResults),
) -> SearchResults {
    run_plan(
        backend,
        pool,
        query,
        plan::plan(query, false),
        cache,
        partial,
    )
    .await
}

/// How many of a search's filters are out at once. The limiter paces them; a small window
/// lets a case variant still unsent be skipped once the results fill a page, and at
/// AWS's 30 ListUsers a second with 100 ms answers four keep the limiter busy.
const IN_FLIGHT: usize = 4;

/// Sends `plan`'s filters in its order (those the cache answers cost nothing), telling
/// `partial` the results so far after each answer but the last. Case variants not yet sent
/// are skipped once the results are a sample (a page, or a filter with more pages) or every
/// answer so far failed.
async fn run_plan(
    backend: &dyn Backend,
    pool: &PoolId,
    query: &str,
    plan: Vec<plan::Planned>,
    cache: Option<&PrefixCache>,
    mut partial: impl FnMut(&SearchResults),
) -> SearchResults {
    let query = query.trim();
    let mut answered: Vec<Answered> = Vec::new();
    let mut queue = std::collections::VecDeque::new();
    for planned in plan {
        match cache.and_then(|c| c.lookup(pool, &planned.filter)) {
            Some(users) => answered.push((planned, Ok(UserPageLite { users, more: false }))),
            None => queue.push_back(planned),
        }
    }
    // Every filter neither answered nor skipped, in the plan's order.
    let mut waiting: Vec<ListFilter> = queue.iter().map(|p| p.filter.clone()).collect();
    let mut requests = 0;
    let mut in_flight = FuturesUnordered::new();
    if !answered.is_empty() && !waiting.is_empty() {
        partial(&assemble(query, &answered, requests, &waiting));
    }
    loop {
        while in_flight.len() < IN_FLIGHT
            && let Some(planned) = queue.pop_front()
        {
            if planned.variant.is_some() && enough(&answered) {
                waiting.retain(|f| *f != planned.filter);
                continue;
            }
            requests += 1;
            in_flight.push(fetch(backend, pool, planned));
        }
        let Some((planned, page)) = in_flight.next().await else {
            break;
        };
        // Only what was fetched now: storing an answer derived from the cache again would
        // renew its age, and stale users would outlive the TTL.
        if let (Some(cache), Ok(page)) = (cache, &page)
            && !page.more
        {
            cache.store(pool, &planned.filter, &page.users);
        }
        waiting.retain(|f| *f != planned.filter);
        answered.push((planned, page));
        if !waiting.is_empty() {
            partial(&assemble(query, &answered, requests, &waiting));
        }
    }
    assemble(query, &answered, requests, &[])
}

/// A filter and its answer.
type Answered = (plan::Planned, Result<UserPageLite, CognitoError>);

/// One page of the planned filter's users.
async fn fetch(
    backend: &dyn Backend,
    pool: &PoolId,
    planned: plan::Planned,
) -> (plan::Planned, Result<UserPageLite, CognitoError>) {
    let page = backend
        .list_users(pool, Some(&planned.filter), PageRequest::first(PAGE_SIZE))
        .await
        .map(|p| UserPageLite {
            more: p.next_token.is_some(),
            users: p.users,
        });
    (planned, page)
}

/// Whether the answers so far make the case variants pointless: they already are a sample
/// (a page of users, or a filter with more), or every one failed.
fn enough(answered: &[Answered]) -> bool {
    let mut users = std::collections::HashSet::new();
    let mut failed = 0;
    for (_, page) in answered {
        match page {
            Ok(page) if page.more => return true,
            Ok(page) => users.extend(page.users.iter().map(|u| u.username.as_str())),
            Err(_) => failed += 1,
        }
    }
    users.len() >= PAGE_SIZE as usize || (failed > 0 && failed == answered.len())
}

/// The results of the filters answered so far, merged in a fixed order (the query as typed
/// before its variants, username before email) whatever answered first; `waiting` are the
/// filters still out.
fn assemble(
    query: &str,
    answered: &[Answered],
    requests: usize,
    waiting: &[ListFilter],
) -> SearchResults {
    let variants = plan::case_variants(query);
    let order = |p: &plan::Planned| {
        let variant = match &p.variant {
            None => 0,
            Some(v) => {
                1 + variants
                    .iter()
                    .position(|x| x == v)
                    .unwrap_or(variants.len())
            }
        };
        let attribute = PLAIN_ATTRIBUTES
            .iter()
            .position(|a| *a == p.filter.attribute)
            .unwrap_or(usize::MAX);
        (variant, attribute)
    };
    let mut sorted: Vec<&Answered> = answered.iter().collect();
    sorted.sort_by_key(|(p, _)| order(p));
    let mut results = Vec::new();
    let mut failures = Vec::new();
    let mut more = false;
    for (planned, page) in &sorted {
        match page {
            Ok(page) => {
                more |= page.more;
                results.push(FilterResult {
                    attribute: planned.filter.attribute,
                    users: page.users.clone(),
                });
            }
            Err(e) => failures.push((planned.filter.attribute, e.clone())),
        }
    }
    SearchResults {
        query: query.to_string(),
        hits: rank_hits(query, merge(results)),
        requests,
        more,
        failures,
        case_variants: variants_that_found(&sorted),
        waiting: waiting.iter().map(|f| f.attribute).collect(),
    }
}

/// The case variants that found users the query as typed (and the variants before them)
/// did not, in the order they are tried.
fn variants_that_found(sorted: &[&Answered]) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    let mut named: Vec<String> = Vec::new();
    for (planned, page) in sorted {
        let Ok(page) = page else { continue };
        for user in &page.users {
            if seen.insert(user.username.as_str())
                && let Some(v) = &planned.variant
                && !named.contains(v)
            {
                named.push(v.clone());
            }
        }
    }
    named
}

struct UserPageLite {
    users: Vec<UserSummary>,
    more: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cognito::Attribute;
    use crate::cognito::demo::DemoBackend;

    fn attrs(filters: &[ListFilter]) -> Vec<&'static str> {
        filters.iter().map(|f| f.attribute.as_str()).collect()
    }

    #[test]
    fn shape_decides_the_filters() {
        assert_eq!(attrs(&filters_for("jo@ex")), ["email"]);
        assert_eq!(attrs(&filters_for("@acme")), ["email"]);
        let phone = filters_for("+44 20-7");
        assert_eq!(attrs(&phone), ["phone_number"]);
        assert_eq!(phone[0].value, "+44207");
        assert!(phone[0].prefix);
        assert_eq!(attrs(&filters_for("3f2a9c")), ["sub", "username"]);
        assert_eq!(attrs(&filters_for("3F2A9C1B-")), ["sub", "username"]);
        assert_eq!(filters_for("3F2A")[0].value, "3f2a");
        assert_eq!(
            attrs(&filters_for("jo")),
            [
                "username",
                "preferred_username",
                "name",
                "family_name",
                "given_name",
                "email"
            ]
        );
        // Hex-only words are names, not subs; a bare "+" is not a phone.
        assert_eq!(filters_for("cafe").len(), 6);
        assert_eq!(filters_for("+").len(), 6);
        assert_eq!(filters_for("+1x").len(), 6);
        assert!(filters_for("   ").is_empty());
        assert!(filters_for("  jo ").iter().all(|f| f.value == "jo"));
    }

    #[test]
    fn prefix_filters_escape_quotes_and_backslashes() {
        let f = &filters_for(r#"o"b\x"#)[0];
        assert_eq!(f.expression(), r#"username ^= "o\"b\\x""#);
        assert_eq!(ListFilter::parse(&f.expression()).as_ref(), Some(f));
        let f = &filters_for(r#"a"@b"#)[0];
        assert_eq!(f.expression(), r#"email ^= "a\"@b""#);
    }

    fn user(name: &str, email: &str) -> UserSummary {
        UserSummary {
            username: name.into(),
            attributes: vec![Attribute::new("email", email)],
            enabled: true,
            ..Default::default()
        }
    }

    #[test]
    fn merge_dedupes_by_username_and_records_every_filter() {
        let merged = merge(vec![
            FilterResult {
                attribute: FilterAttribute::Username,
                users: vec![user("jo", "jo@x"), user("joe", "joe@x")],
            },
            FilterResult {
                attribute: FilterAttribute::Email,
                users: vec![user("joe", "joe@x"), user("ann", "jo@y")],
            },
        ]);
        let names: Vec<&str> = merged.iter().map(|(u, _)| u.username.as_str()).collect();
        assert_eq!(names, ["jo", "joe", "ann"]);
        assert_eq!(
            merged[1].1,
            [FilterAttribute::Username, FilterAttribute::Email]
        );
    }

    #[test]
    fn ranking_puts_the_tightest_match_first_with_highlights() {
        let merged = vec![
            (user("xjxoxx", "a@b"), vec![FilterAttribute::Username]),
            (user("jo", "jo@x"), vec![FilterAttribute::Username]),
            (user("other", "q@q"), vec![FilterAttribute::Sub]),
        ];
        let hits = rank_hits("jo", merged);
        let names: Vec<&str> = hits.iter().map(|h| h.user.username.as_str()).collect();
        assert_eq!(names, ["jo", "xjxoxx", "other"]);
        assert_eq!(hits[0].highlights.for_field(Field::Username), &[0, 1]);
        assert!(hits[0].score > hits[1].score);
        assert!(
            hits[2].highlights.is_empty(),
            "kept though fuzzy can't see it"
        );
    }

    #[tokio::test]
    async fn demo_pool_search_by_each_shape() {
        let demo = DemoBackend::embedded();
        let pool = demo.pool_id();
        let r = search(&demo, &pool, "ali", None).await;
        assert_eq!(r.requests, 6);
        assert_eq!(r.hits[0].user.username, "alice", "{:?}", r.hits);
        assert!(r.failures.is_empty());

        let r = search(&demo, &pool, "alice@", None).await;
        assert_eq!(r.requests, 1);
        assert!(r.hits.iter().any(|h| h.user.username == "alice"));

        let r = search(&demo, &pool, "zzzz-nobody", None).await;
        assert!(r.hits.is_empty());
    }

    #[tokio::test]
    async fn partial_results_come_as_each_filter_answers() {
        let demo = DemoBackend::embedded();
        let pool = demo.pool_id();
        let mut partials = Vec::new();
        let done = search_streaming(&demo, &pool, "ali", None, |r| partials.push(r.clone())).await;
        assert_eq!(
            partials.len(),
            5,
            "one after each of the first five filters"
        );
        assert!(partials.iter().all(|p| !p.waiting.is_empty()));
        assert_eq!(partials[0].waiting.len(), 5);
        assert!(done.waiting.is_empty());
        assert_eq!(done.hits[0].user.username, "alice");
        // Partial results grow towards the final ones.
        assert!(
            partials
                .windows(2)
                .all(|w| w[0].hits.len() <= w[1].hits.len())
        );
    }

    #[tokio::test]
    async fn the_cache_answers_a_growing_query_without_requests() {
        let demo = DemoBackend::embedded();
        let pool = demo.pool_id();
        let cache = PrefixCache::new();
        let first = search(&demo, &pool, "a", Some(&cache)).await;
        assert_eq!(first.requests, 6);
        let grown = search(&demo, &pool, "al", Some(&cache)).await;
        assert_eq!(grown.requests, 0, "every filter answered from the cache");
        let fresh = search(&demo, &pool, "al", None).await;
        let names = |r: &SearchResults| {
            r.hits
                .iter()
                .map(|h| h.user.username.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(names(&grown), names(&fresh));
    }

    #[tokio::test(start_paused = true)]
    async fn cached_results_expire_after_the_ttl() {
        let demo = DemoBackend::embedded();
        let pool = demo.pool_id();
        let cache = PrefixCache::new();
        assert_eq!(search(&demo, &pool, "a", Some(&cache)).await.requests, 6);
        tokio::time::advance(CACHE_TTL - Duration::from_secs(1)).await;
        assert_eq!(search(&demo, &pool, "al", Some(&cache)).await.requests, 0);
        tokio::time::advance(Duration::from_secs(1)).await;
        let stale = search(&demo, &pool, "al", Some(&cache)).await;
        assert!(stale.requests > 0, "an expired entry answered the search");
        let again = search(&demo, &pool, "ali", Some(&cache)).await;
        assert_eq!(again.requests, 0, "the refetched entries answer again");
    }
}
