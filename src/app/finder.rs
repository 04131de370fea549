//! Finding users you can't name exactly, in the model: type-ahead search (ListUsers prefix
//! queries, debounced in the worker), browsing the pool with a local fuzzy filter (pages read
//! lazily, or all of them with progress), and the pool picker. Moving through any of these
//! lists makes no request that bills a user: only Enter opens one, with one AdminGetUser.

use tokio::time::Instant;

use super::{App, Cmd, ErrorView, LineInput, Msg, Overlay, cognito_error_view, move_in_list};
use crate::cognito::lookup::{LookupError, LookupMode};
use crate::cognito::{
    CognitoError, ErrorKind, FilterAttribute, ListFilter, PoolPage, UserPage, UserSummary,
};
use crate::keymap::Action;
use crate::ratelimit::ThrottleStatus;
use crate::sanitize::sanitize;
use crate::search::browse::{self, Pager};
use crate::search::rank::rank_by_texts;
use crate::search::{RECOMMENDED_DEBOUNCE_MS, Ranker, SearchHit, SearchResults, UserStore};

/// How many ListUserPools pages the picker reads at most (60 pools each).
pub const MAX_POOL_PAGES: usize = 50;

/// Which finder has the screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Finder {
    Search,
    Browse,
    Pools,
}

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
    /// The ListUsers that found the suggestions, and the lookup's requests in all.
    pub cost: String,
}

/// Browsing the pool: every user loaded so far, ranked by the filter as it is typed.
#[derive(Debug, Default)]
pub struct BrowseState {
    pub input: LineInput,
    pub cursor: usize,
    pub store: UserStore,
    /// Incremental: a growing filter narrows the previous matches (≤ 16 ms for 100,000).
    pub ranker: Ranker,
    pub pager: Pager,
    /// A lazily fetched page in flight.
    pub page_pending: Option<u64>,
    /// A load-all in flight (its pages carry this id).
    pub loading_all: Option<u64>,
    pub error: Option<ErrorView>,
    /// Attributes matched by the filter besides the shown fields (the config's
    /// `search_attributes`, e.g. `custom:tenant`).
    pub search_attributes: Vec<String>,
    /// DescribeUserPool's EstimatedNumberOfUsers, once a load-all has asked the worker.
    pub estimated_total: Option<u64>,
    /// When the load-all started and how many users were loaded then.
    pub load_started: Option<(Instant, usize)>,
    /// Users a second the load-all is reading at, once a page has come.
    pub load_rate: Option<f64>,
}

impl Clone for BrowseState {
    /// The ranker is a cache of results: the clone builds its own.
    fn clone(&self) -> Self {
        let mut clone = Self {
            input: self.input.clone(),
            cursor: self.cursor,
            store: self.store.clone(),
            ranker: Ranker::new(),
            pager: self.pager.clone(),
            page_pending: self.page_pending,
            loading_all: self.loading_all,
            error: self.error.clone(),
            search_attributes: self.search_attributes.clone(),
            estimated_total: self.estimated_total,
            load_started: self.load_started,
            load_rate: self.load_rate,
        };
        clone.rerank();
        clone
    }
}

impl BrowseState {
    /// Re-ranks after the filter or the store changed, keeping the cursor in range.
    fn rerank(&mut self) {
        let len = self.ranker.rank(&self.store, &self.input.text).len();
        self.cursor = self.cursor.min(len.saturating_sub(1));
    }

    /// Rows (store indices) matching the filter, best first.
    pub fn matches(&self) -> impl ExactSizeIterator<Item = u32> + '_ {
        self.ranker.results().iter().map(|r| r.row)
    }

    /// How many rows match the filter.
    pub fn match_count(&self) -> usize {
        self.ranker.results().len()
    }

    fn busy(&self) -> bool {
        self.page_pending.is_some() || self.loading_all.is_some()
    }

    /// The load-all's progress against the estimate: (fraction below 1 while loading,
    /// seconds left at the current rate). None without an estimate.
    pub fn progress(&self) -> Option<(f64, Option<f64>)> {
        let total = self.estimated_total.filter(|t| *t > 0)? as f64;
        let loaded = self.store.len() as f64;
        // The estimate is approximate: never claim done before the last page says so.
        let fraction = (loaded / total).min(0.99);
        let left = self
            .load_rate
            .filter(|r| *r > 0.0)
            .map(|r| (total - loaded).max(0.0) / r);
        Some((fraction, left))
    }
}

/// Where a pool in the picker came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PoolSource {
    /// `[pools.NAME]` in the config file.
    Named,
    /// ListUserPools.
    Listed,
    /// A pool id typed or pasted into the picker (the way in without ListUserPools).
    Typed,
}

/// One pool the picker offers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoolEntry {
    /// The config name, or the pool's own name (sanitized when drawn).
    pub name: String,
    pub id: String,
    pub source: PoolSource,
}

/// The pool picker.
#[derive(Debug, Clone, Default)]
pub struct PoolsState {
    pub input: LineInput,
    pub cursor: usize,
    pub entries: Vec<PoolEntry>,
    pub pending: Option<u64>,
    pub pages: usize,
    /// Every page read (or the listing is impossible).
    pub done: bool,
    /// Why the pools could not be listed (a calm note, the named pools still work).
    pub note: Option<String>,
    pub error: Option<ErrorView>,
}

/// The throttle indicator, as the header shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Throttle {
    /// Requests waiting for a slot of the client-side limit.
    pub queued: usize,
    /// Cognito answered TooManyRequests and requests are paused.
    pub backing_off: bool,
    /// The quota category last delayed (`user_list`, …).
    pub category: Option<&'static str>,
}

impl Throttle {
    /// The indicator for a limiter's status (None when nothing is held back).
    pub fn from_status(status: &ThrottleStatus) -> Option<Self> {
        status.is_throttled().then(|| Self {
            queued: status.queued,
            backing_off: status
                .backoff_until
                .is_some_and(|t| t > tokio::time::Instant::now()),
            category: status.category.map(|c| c.key()),
        })
    }
}

impl App {
    /// Pools the picker shows, filtered by its input (fuzzy), best first.
    pub fn pool_matches(&self) -> Vec<PoolEntry> {
        let filter = self.pools.input.text.trim();
        if filter.is_empty() {
            return self.pools.entries.clone();
        }
        // A typed or pasted pool id comes first, whether or not a listed name matches.
        if let Some(typed) = self.typed_pool() {
            return vec![typed];
        }
        if let Some(id) = super::pools::typed_pool_id(filter) {
            return (self.pools.entries.iter())
                .filter(|p| p.id == id.as_str())
                .cloned()
                .collect();
        }
        // The browse filter's rules: name or id, whole and contiguous matches first.
        rank_by_texts(filter, &self.pools.entries, |p| {
            [p.name.as_str(), p.id.as_str()]
        })
        .into_iter()
        .cloned()
        .collect()
    }

    /// Whether a pool has been chosen (the TUI can start without one).
    pub fn has_pool(&self) -> bool {
        !self.pool.is_empty()
    }

    /// Whether a finder request is in flight (for the spinner).
    pub(super) fn finder_busy(&self) -> bool {
        self.search.pending.is_some() || self.browse.busy() || self.pools.pending.is_some()
    }

    /// Sets the named pools of the config file, listed first in the picker.
    pub(super) fn set_named_pools(&mut self, named: impl IntoIterator<Item = (String, String)>) {
        self.pools.entries.retain(|p| p.source != PoolSource::Named);
        let named: Vec<PoolEntry> = named
            .into_iter()
            .map(|(name, id)| PoolEntry {
                name,
                id,
                source: PoolSource::Named,
            })
            .collect();
        self.pools.entries.splice(0..0, named);
    }

    /// Opens the pool picker, listing the pools if that has not been done yet.
    pub fn open_pools(&mut self) -> Vec<Cmd> {
        self.finder = Some(Finder::Pools);
        self.pools.input = LineInput::default();
        self.pools.cursor = 0;
        if self.pools.done || self.pools.pending.is_some() {
            return Vec::new();
        }
        let id = self.next_request_id();
        self.pools.pending = Some(id);
        self.pools.error = None;
        vec![Cmd::ListPools { id, token: None }]
    }
}

/// Opens a finder from the panes.
pub(super) fn open(app: &mut App, action: Action) -> Vec<Cmd> {
    if action == Action::Pools {
        return app.open_pools();
    }
    if !app.has_pool() {
        app.notice = Some("choose a user pool first".into());
        return app.open_pools();
    }
    app.error = None;
    app.notice = None;
    match action {
        Action::Search => {
            app.finder = Some(Finder::Search);
            Vec::new()
        }
        Action::Browse => {
            app.finder = Some(Finder::Browse);
            app.browse.rerank();
            next_page_if_needed(app)
        }
        Action::LoadAll => {
            app.finder = Some(Finder::Browse);
            app.browse.rerank();
            load_all(app)
        }
        _ => Vec::new(),
    }
}

/// Keys while a finder has the screen.
pub(super) fn act(app: &mut App, action: Action) -> Vec<Cmd> {
    let Some(finder) = app.finder else {
        return Vec::new();
    };
    if let Some(prompt) = &mut app.export_prompt {
        let edited = prompt.edit(action);
        return export_prompt_key(app, action, edited);
    }
    match action {
        Action::BrowseFilter if finder == Finder::Browse => return next_filter(app),
        Action::ExportList if finder != Finder::Pools => {
            if app.exporting.is_some() {
                app.notice = Some("an export is still being written".into());
            } else {
                app.export_prompt = Some(LineInput::with_text(EXPORT_DEFAULT_FILE));
                app.notice = Some(format!(
                    "CSV of the {} users shown: Enter writes (never over a file), Esc cancels",
                    shown_users_count(app)
                ));
            }
            return Vec::new();
        }
        _ => {}
    }
    let input = match finder {
        Finder::Search => &mut app.search.input,
        Finder::Browse => &mut app.browse.input,
        Finder::Pools => &mut app.pools.input,
    };
    if input.edit(action) {
        return edited(app, finder);
    }
    match action {
        Action::Cancel => {
            if finder == Finder::Browse
                && let Some(id) = app.browse.loading_all.take()
            {
                app.notice = Some(format!(
                    "stopped loading: {} users in {} pages ({} resumes)",
                    app.browse.store.len(),
                    app.browse.pager.pages,
                    app.keymap()
                        .label(crate::keymap::Context::Finder, Action::LoadAll)
                ));
                return vec![Cmd::CancelLoadAll { id }];
            }
            app.finder = None;
            Vec::new()
        }
        Action::LoadAll if finder == Finder::Browse => load_all(app),
        Action::Refresh if finder == Finder::Search => {
            // The cache may hide users created or changed since: ask Cognito again, now.
            let query = app.search.input.text.trim().to_string();
            if query.is_empty() {
                return vec![Cmd::ForgetSearchCache];
            }
            let id = app.next_request_id();
            app.search.pending = Some(id);
            vec![
                Cmd::ForgetSearchCache,
                Cmd::Search {
                    id,
                    query,
                    debounce_ms: 0,
                },
            ]
        }
        Action::Up
        | Action::Down
        | Action::PageUp
        | Action::PageDown
        | Action::Top
        | Action::Bottom => {
            match finder {
                Finder::Search => {
                    let len = app.search.results.as_ref().map_or(0, |r| r.hits.len());
                    app.search.cursor = move_in_list(app.search.cursor, len, action);
                }
                Finder::Browse => {
                    let len = app.browse.match_count();
                    app.browse.cursor = move_in_list(app.browse.cursor, len, action);
                    // ListUsers only, as the cursor nears the end of what is loaded.
                    return next_page_if_needed(app);
                }
                Finder::Pools => {
                    let len = app.pool_matches().len();
                    app.pools.cursor = move_in_list(app.pools.cursor, len, action);
                }
            }
            Vec::new()
        }
        Action::Submit => submit(app, finder),
        _ => Vec::new(),
    }
}

/// The effects of editing a finder's line.
fn edited(app: &mut App, finder: Finder) -> Vec<Cmd> {
    match finder {
        Finder::Search => {
            let query = app.search.input.text.trim().to_string();
            app.search.cursor = 0;
            app.search.error = None;
            app.search.suggested = None;
            if query.is_empty() {
                app.search.pending = None;
                app.search.results = None;
                return vec![Cmd::CancelSearch];
            }
            if app
                .search
                .results
                .as_ref()
                .is_some_and(|r| r.query == query)
            {
                app.search.pending = None;
                return vec![Cmd::CancelSearch];
            }
            let id = app.next_request_id();
            app.search.pending = Some(id);
            vec![Cmd::Search {
                id,
                query,
                debounce_ms: RECOMMENDED_DEBOUNCE_MS,
            }]
        }
        Finder::Browse => {
            app.browse.cursor = 0;
            app.browse.rerank();
            Vec::new()
        }
        Finder::Pools => {
            app.pools.cursor = 0;
            Vec::new()
        }
    }
}

fn submit(app: &mut App, finder: Finder) -> Vec<Cmd> {
    let username = match finder {
        Finder::Search => app
            .search
            .results
            .as_ref()
            .and_then(|r| r.hits.get(app.search.cursor))
            .map(|h| h.user.username.clone()),
        Finder::Browse => app
            .browse
            .ranker
            .results()
            .get(app.browse.cursor)
            .map(|r| app.browse.store.row(r.row as usize).username.to_string()),
        Finder::Pools => {
            let chosen = app.pool_matches().get(app.pools.cursor).cloned();
            return match chosen {
                Some(entry) => super::pools::switch_pool(app, entry),
                None => Vec::new(),
            };
        }
    };
    match username {
        Some(username) => {
            app.finder = None;
            app.overlay = Overlay::None;
            // The one request that bills a monthly active user, on an explicit open.
            vec![app.start_lookup(&username, LookupMode::Username)]
        }
        None => Vec::new(),
    }
}

/// The next browse page, if the cursor is near the end of what is loaded.
fn next_page_if_needed(app: &mut App) -> Vec<Cmd> {
    let b = &app.browse;
    if b.busy()
        || b.error.is_some()
        || !browse::needs_next_page(b.cursor, b.match_count(), b.pager.done)
    {
        return Vec::new();
    }
    let id = app.next_request_id();
    app.browse.page_pending = Some(id);
    vec![Cmd::BrowsePage {
        id,
        token: app.browse.pager.next_token.clone(),
        filter: app.browse.pager.filter.clone(),
    }]
}

/// The server-side browse filters Ctrl-T cycles through, after "none": ListUsers takes one
/// filter, so one of these at a time.
pub const BROWSE_FILTERS: [(FilterAttribute, &str); 6] = [
    (FilterAttribute::Status, "Enabled"),
    (FilterAttribute::Status, "Disabled"),
    (FilterAttribute::UserStatus, "CONFIRMED"),
    (FilterAttribute::UserStatus, "UNCONFIRMED"),
    (FilterAttribute::UserStatus, "FORCE_CHANGE_PASSWORD"),
    (FilterAttribute::UserStatus, "RESET_REQUIRED"),
];

/// Ctrl-T in browse: the next server-side filter. The users loaded so far are forgotten and
/// the first page is read again, with the filter in the ListUsers request itself.
fn next_filter(app: &mut App) -> Vec<Cmd> {
    let current = app.browse.pager.filter.as_ref().and_then(|f| {
        BROWSE_FILTERS
            .iter()
            .position(|(a, v)| *a == f.attribute && *v == f.value)
    });
    let next = match current {
        None => Some(0),
        Some(i) if i + 1 < BROWSE_FILTERS.len() => Some(i + 1),
        Some(_) => None,
    };
    let filter = next.map(|i| ListFilter::exact(BROWSE_FILTERS[i].0, BROWSE_FILTERS[i].1));
    let mut cmds = Vec::new();
    if let Some(id) = app.browse.loading_all.take() {
        cmds.push(Cmd::CancelLoadAll { id });
    }
    app.browse.page_pending = None;
    app.browse.error = None;
    app.browse.store.clear();
    app.browse.cursor = 0;
    app.notice = Some(match &filter {
        Some(f) => format!(
            "Cognito filters the list: {} (Ctrl-T: next)",
            f.expression()
        ),
        None => "no filter: every user (Ctrl-T filters by status)".into(),
    });
    app.browse.pager = Pager::new(filter);
    app.browse.rerank();
    cmds.extend(next_page_if_needed(app));
    cmds
}

/// The file name offered when the export prompt opens.
pub const EXPORT_DEFAULT_FILE: &str = "users.csv";

/// Attribute columns of an exported list, after `-o csv`'s fixed ones.
pub const EXPORT_ATTRIBUTES: [&str; 3] = ["email", "phone_number", "name"];

/// Keys while the export prompt is open: typing edits the name, Enter writes, Esc cancels.
fn export_prompt_key(app: &mut App, action: Action, edited: bool) -> Vec<Cmd> {
    if edited {
        return Vec::new();
    }
    match action {
        Action::Cancel => {
            app.export_prompt = None;
            app.notice = Some("export cancelled".into());
            Vec::new()
        }
        Action::Submit => {
            let name = app
                .export_prompt
                .as_ref()
                .map(|p| p.text.trim().to_string())
                .unwrap_or_default();
            if name.is_empty() {
                app.notice = Some("type a file name for the CSV (Esc cancels)".into());
                return Vec::new();
            }
            app.export_prompt = None;
            let mut users = shown_users(app);
            // Privacy mode masks the file as `--redact` masks `-o csv`: the same cells.
            if app.redact {
                users = (users.iter())
                    .map(|u| crate::redact::mask_summary(u, &[]))
                    .collect();
            }
            let id = app.next_request_id();
            app.notice = Some(format!(
                "writing {} users to {}{}…",
                users.len(),
                sanitize(&name),
                if app.redact {
                    " (masked: privacy mode)"
                } else {
                    ""
                }
            ));
            app.exporting = Some((id, name.clone()));
            vec![Cmd::ExportList {
                id,
                path: std::path::PathBuf::from(name),
                users,
            }]
        }
        _ => Vec::new(),
    }
}

fn shown_users_count(app: &App) -> usize {
    match app.finder {
        Some(Finder::Search) => app.search.results.as_ref().map_or(0, |r| r.hits.len()),
        Some(Finder::Browse) => app.browse.match_count(),
        _ => 0,
    }
}

/// The users the finder shows now, in its order: search hits, or the browse matches of the
/// local filter (within the server-side one).
fn shown_users(app: &App) -> Vec<UserSummary> {
    match app.finder {
        Some(Finder::Search) => app
            .search
            .results
            .as_ref()
            .map(|r| r.hits.iter().map(|h| h.user.clone()).collect())
            .unwrap_or_default(),
        Some(Finder::Browse) => app
            .browse
            .matches()
            .map(|i| app.browse.store.row(i as usize).to_summary())
            .collect(),
        _ => Vec::new(),
    }
}

/// The worker's answers to the finders' requests.
pub(super) fn answered(app: &mut App, msg: Msg) -> Vec<Cmd> {
    match msg {
        Msg::ExportDone { id, result } => export_done(app, id, result),
        Msg::SearchDone { id, results } => search_done(app, id, results),
        Msg::BrowsePage { id, result } => browse_page(app, id, result),
        Msg::LoadAllDone { id, result } => load_all_done(app, id, result),
        Msg::LoadAllEstimate { id, users } => load_all_estimate(app, id, users),
        Msg::PoolsPage { id, result } => return pools_page(app, id, result),
        // Not a finder's answer: app::update routes only those here.
        _ => {}
    }
    Vec::new()
}

/// An export finished.
fn export_done(app: &mut App, id: u64, result: Result<usize, super::ExportError>) {
    let Some((_, path)) = app.exporting.take_if(|(running, _)| *running == id) else {
        return;
    };
    let path = sanitize(&path).into_owned();
    app.notice = Some(match result {
        Ok(n) => format!("✓ wrote {n} users to {path} (CSV)"),
        Err(e) => format!("✗ nothing written to {path}: {}", sanitize(&e.to_string())),
    });
}

fn load_all(app: &mut App) -> Vec<Cmd> {
    if app.browse.pager.done {
        app.notice = Some(format!("all {} users are loaded", app.browse.store.len()));
        return Vec::new();
    }
    if app.browse.loading_all.is_some() {
        return Vec::new();
    }
    // The lazy page in flight is superseded: load-all starts from the same place.
    app.browse.page_pending = None;
    app.browse.error = None;
    let id = app.next_request_id();
    app.browse.loading_all = Some(id);
    app.browse.load_started = Some((Instant::now(), app.browse.store.len()));
    app.browse.load_rate = None;
    app.notice = None;
    vec![Cmd::LoadAll {
        id,
        pager: app.browse.pager.clone(),
    }]
}

/// On a not-found lookup with users close to the query, opens the search finder on them:
/// "did you mean alice?", Enter opens the selected one (one AdminGetUser, as any open).
/// Returns whether it did.
pub(super) fn offer_suggestions(app: &mut App, err: &LookupError) -> bool {
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
    app.search = SearchState {
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
            cost: format!("1 ListUsers, {calls} requests in all"),
        }),
    };
    app.finder = Some(Finder::Search);
    app.error = None;
    true
}

/// A search answered; stale ones are dropped.
fn search_done(app: &mut App, id: u64, results: SearchResults) {
    if app.search.pending != Some(id) {
        tracing::debug!(id, "dropping a superseded search result");
        return;
    }
    // Partial results (some filters still out) keep the search pending, and the cursor on
    // the user it was on as better matches arrive above it.
    let selected = app
        .search
        .results
        .as_ref()
        .filter(|r| r.query == results.query)
        .and_then(|r| r.hits.get(app.search.cursor))
        .map(|h| h.user.username.clone());
    if results.waiting.is_empty() {
        app.search.pending = None;
    }
    app.search.cursor = selected
        .and_then(|u| results.hits.iter().position(|h| h.user.username == u))
        .unwrap_or(0);
    app.search.error = if results.waiting.is_empty() {
        results.total_failure().map(|e| cognito_error_view(app, e))
    } else {
        None
    };
    app.search.results = Some(results);
}

/// A browse page answered (lazily fetched or one of a load-all).
fn browse_page(app: &mut App, id: u64, result: Result<UserPage, CognitoError>) {
    let lazy = app.browse.page_pending == Some(id);
    if !lazy && app.browse.loading_all != Some(id) {
        tracing::debug!(id, "dropping a superseded browse page");
        return;
    }
    if lazy {
        app.browse.page_pending = None;
    }
    match result {
        Ok(page) => {
            let b = &mut app.browse;
            b.pager.record(&page);
            b.store.extend_searching(&page.users, &b.search_attributes);
            b.rerank();
            if !lazy && let Some((started, before)) = app.browse.load_started {
                let secs = started.elapsed().as_secs_f64();
                let gained = app.browse.store.len().saturating_sub(before);
                if secs > 0.0 && gained > 0 {
                    app.browse.load_rate = Some(gained as f64 / secs);
                }
            }
        }
        Err(e) => {
            app.browse.loading_all = None;
            app.browse.error = Some(cognito_error_view(app, &e));
        }
    }
}

/// The worker's estimate of the pool's size for the load-all `id`.
fn load_all_estimate(app: &mut App, id: u64, users: Option<u64>) {
    if app.browse.loading_all == Some(id) {
        app.browse.estimated_total = users;
    }
}

/// A load-all ended (complete, cancelled or failed).
fn load_all_done(app: &mut App, id: u64, result: Result<(), CognitoError>) {
    if app.browse.loading_all != Some(id) {
        return;
    }
    app.browse.loading_all = None;
    app.browse.load_started = None;
    match result {
        Ok(()) => {
            app.notice = Some(format!(
                "loaded all {} users ({} pages)",
                app.browse.store.len(),
                app.browse.pager.pages
            ))
        }
        Err(e) => app.browse.error = Some(cognito_error_view(app, &e)),
    }
}

/// A page of ListUserPools; asks for the next one while there are more.
pub(super) fn pools_page(
    app: &mut App,
    id: u64,
    result: Result<PoolPage, CognitoError>,
) -> Vec<Cmd> {
    if app.pools.pending != Some(id) {
        return Vec::new();
    }
    app.pools.pending = None;
    match result {
        Ok(page) => {
            app.pools.pages += 1;
            for pool in page.pools {
                if !app
                    .pools
                    .entries
                    .iter()
                    .any(|p| p.id == pool.id && p.source == PoolSource::Listed)
                {
                    app.pools.entries.push(PoolEntry {
                        name: pool.name,
                        id: pool.id,
                        source: PoolSource::Listed,
                    });
                }
            }
            match page.next_token {
                Some(token) if app.pools.pages < MAX_POOL_PAGES => {
                    app.pools.pending = Some(id);
                    return vec![Cmd::ListPools {
                        id,
                        token: Some(token),
                    }];
                }
                Some(_) => {
                    app.pools.done = true;
                    app.pools.note = Some(format!(
                        "only the first {} pools are listed: type to filter",
                        app.pools.entries.len()
                    ));
                }
                None => app.pools.done = true,
            }
        }
        Err(e) if matches!(e.kind, ErrorKind::Unsupported | ErrorKind::AccessDenied) => {
            app.pools.done = true;
            app.pools.note = Some(format!(
                "pools can't be listed here ({}): named pools from the config file only",
                sanitize(e.exception.as_deref().unwrap_or(&e.message))
            ));
        }
        Err(e) => app.pools.error = Some(cognito_error_view(app, &e)),
    }
    Vec::new()
}
