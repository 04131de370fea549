//! Type-ahead search (ListUsers prefix queries, debounced in the worker) and the
//! "did you mean" a not-found lookup offers.

use crate::app::{App, Cmd, ErrorView, LineInput, cognito_error_view};
use crate::cognito::lookup::LookupError;
use crate::search::{RECOMMENDED_DEBOUNCE_MS, SearchHit, SearchResults};

use super::Finder;

/// Type-ahead search.
#[derive(Debug, Clone, Default)]
pub struct SearchState {
    pub input: LineInput,
    pub cursor: usize,
    /// The newest search sent; answers to any other are dropped.
    pub pending: Option<u64>,
    pub results: Option<SearchResults>,
    pub error: Option<ErrorView>,
    /// The results are suggestions for a lookup that found no one: what to say above them.
    pub suggested: Option<Suggested>,
}

/// A not-found lookup's "did you mean", shown in the search finder (Enter opens one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggested {
    /// The query that found no one.
    pub query: String,
    /// The lookup's requests in all (the suggestions' ListUsers among them).
    pub cost: String,
}

/// On a not-found lookup with users close to the query, opens the search finder on them:
/// "did you mean alice?", Enter opens the selected one (one AdminGetUser, as any open).
/// Returns whether it did.
pub(in crate::app) fn offer_suggestions(app: &mut App, err: &LookupError) -> bool {
    let LookupError::NotFound {
        query,
        tried,
        calls,
        suggestions,
        ..
    } = err
    else {
        return false;
    };
    if suggestions.is_empty() {
        return false;
    }
    tracing::debug!(tried = ?tried, "offering suggestions");
    let users = suggestions.clone();
    let ranked = crate::search::rank::rank_summaries(&users, query);
    let mut highlights: Vec<_> = vec![Default::default(); users.len()];
    for (i, _, h) in ranked {
        highlights[i] = h;
    }
    let hits = users
        .into_iter()
        .zip(highlights)
        .map(|(user, highlights)| SearchHit {
            user,
            score: 0,
            highlights,
            matched_by: Vec::new(),
        })
        .collect();
    app.finders.search = SearchState {
        input: LineInput::with_text(query),
        cursor: 0,
        pending: None,
        results: Some(SearchResults {
            query: query.clone(),
            hits,
            requests: 1,
            more: false,
            failures: Vec::new(),
            waiting: Vec::new(),
            case_variants: Vec::new(),
        }),
        error: None,
        suggested: Some(Suggested {
            query: query.clone(),
            cost: format!("{calls} requests"),
        }),
    };
    app.finders.open = Some(Finder::Search);
    app.layers.clear_error();
    true
}

/// A search answered; stale ones are dropped.
pub(in crate::app) fn search_done(app: &mut App, id: u64, results: SearchResults) {
    if app.finders.search.pending != Some(id) {
        tracing::debug!(id, "dropping a superseded search result");
        return;
    }
    // Partial results (some filters still out) keep the search pending, and the cursor on
    // the user it was on as better matches arrive above it.
    let selected = app
        .finders
        .search
        .results
        .as_ref()
        .filter(|r| r.query == results.query)
        .and_then(|r| r.hits.get(app.finders.search.cursor))
        .map(|h| h.user.username.clone());
    if results.waiting.is_empty() {
        app.finders.search.pending = None;
    }
    app.finders.search.cursor = selected
        .and_then(|u| results.hits.iter().position(|h| h.user.username == u))
        .unwrap_or(0);
    app.finders.search.error = if results.waiting.is_empty() {
        results.total_failure().map(|e| cognito_error_view(app, e))
    } else {
        None
    };
    app.finders.search.results = Some(results);
}

/// The search line was edited: a new search after the debounce, or none for an empty line.
pub(in crate::app) fn edited(app: &mut App) -> Vec<Cmd> {
    let query = app.finders.search.input.text.trim().to_string();
    app.finders.search.cursor = 0;
    app.finders.search.error = None;
    app.finders.search.suggested = None;
    if query.is_empty() {
        app.finders.search.pending = None;
        app.finders.search.results = None;
        return vec![Cmd::CancelSearch];
    }
    if app
        .finders
        .search
        .results
        .as_ref()
        .is_some_and(|r| r.query == query)
    {
        app.finders.search.pending = None;
        return vec![Cmd::CancelSearch];
    }
    let id = app.next_request_id();
    app.finders.search.pending = Some(id);
    vec![Cmd::Search {
        id,
        query,
        debounce_ms: RECOMMENDED_DEBOUNCE_MS,
    }]
}

/// Ctrl-R: the cache may hide users created or changed since, so ask Cognito again, now.
pub(in crate::app) fn refresh(app: &mut App) -> Vec<Cmd> {
    // The cache may hide users created or changed since: ask Cognito again, now.
    let query = app.finders.search.input.text.trim().to_string();
    if query.is_empty() {
        return vec![Cmd::ForgetSearchCache];
    }
    let id = app.next_request_id();
    app.finders.search.pending = Some(id);
    vec![
        Cmd::ForgetSearchCache,
        Cmd::Search {
            id,
            query,
            debounce_ms: 0,
        },
    ]
}
