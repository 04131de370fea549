//! Browsing the pool with a local fuzzy filter: pages read lazily, or all of them with
//! progress, and the server-side filters Ctrl-T cycles through.

use tokio::time::Instant;

use crate::app::{App, Cmd, ErrorView, LineInput, cognito_error_view};
use crate::cognito::{CognitoError, FilterAttribute, ListFilter, UserPage};
use crate::search::browse::{self, Pager};
use crate::search::{Ranker, UserStore};

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
    /// `where EXPR` typed in the filter line (`--where`'s language): the rows it keeps, or
    /// why it doesn't parse; None for fuzzy text.
    pub where_rows: Option<Result<Vec<crate::search::Ranked>, crate::filter::ParseError>>,
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
            where_rows: None,
        };
        clone.rerank();
        clone
    }
}

impl BrowseState {
    /// Re-ranks after the filter or the store changed, keeping the cursor in range.
    pub(in crate::app) fn rerank(&mut self) {
        self.where_rows = crate::filter::browse_rows(&self.store, &self.input.text);
        let len = match &self.where_rows {
            Some(_) => self.shown().len(),
            None => {
                let query = filter_query(&self.input.text);
                self.ranker.rank(&self.store, &query).len()
            }
        };
        self.cursor = self.cursor.min(len.saturating_sub(1));
    }

    /// Rows (store indices) matching the filter, best first.
    pub fn matches(&self) -> impl ExactSizeIterator<Item = u32> + '_ {
        self.shown().iter().map(|r| r.row)
    }

    /// How many rows match the filter.
    pub fn match_count(&self) -> usize {
        self.shown().len()
    }

    /// The rows shown: a `where` expression's, else the fuzzy ranking's.
    fn shown(&self) -> &[crate::search::Ranked] {
        match &self.where_rows {
            Some(Ok(rows)) => rows,
            Some(Err(_)) => &[],
            None => self.ranker.results(),
        }
    }

    pub(in crate::app) fn busy(&self) -> bool {
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

/// The filter as the ranker reads it: a phone number typed as people say it ("(555)
/// 010-0123", "+44 20 7946 0958") becomes the start of its E.164 form, as Cognito stores
/// `phone_number`, in the default country (`phone.rs`); anything else is ranked as typed.
/// Digits alone stay as typed: they may be part of a username, and they match the stored
/// number's digits anyway.
fn filter_query(text: &str) -> std::borrow::Cow<'_, str> {
    let trimmed = text.trim();
    let phone_like = trimmed.starts_with('+')
        || (trimmed.chars().any(|c| c.is_ascii_digit()) && !crate::phone::is_digits_only(trimmed));
    match phone_like
        .then(|| crate::phone::search_prefix(trimmed, crate::phone::default_country()))
        .flatten()
    {
        Some(prefix) => std::borrow::Cow::Owned(prefix),
        None => std::borrow::Cow::Borrowed(text),
    }
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

/// The next browse page, if the cursor is near the end of what is loaded.
pub(in crate::app) fn next_page_if_needed(app: &mut App) -> Vec<Cmd> {
    let b = &app.finders.browse;
    if b.busy()
        || b.error.is_some()
        || !browse::needs_next_page(b.cursor, b.match_count(), b.pager.done)
    {
        return Vec::new();
    }
    let id = app.next_request_id();
    app.finders.browse.page_pending = Some(id);
    vec![Cmd::BrowsePage {
        id,
        token: app.finders.browse.pager.next_token.clone(),
        filter: app.finders.browse.pager.filter.clone(),
    }]
}

/// Ctrl-T in browse: the next server-side filter. The users loaded so far are forgotten and
/// the first page is read again, with the filter in the ListUsers request itself.
pub(in crate::app) fn next_filter(app: &mut App) -> Vec<Cmd> {
    let current = app.finders.browse.pager.filter.as_ref().and_then(|f| {
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
    if let Some(id) = app.finders.browse.loading_all.take() {
        cmds.push(Cmd::CancelLoadAll { id });
    }
    app.finders.browse.page_pending = None;
    app.finders.browse.error = None;
    app.finders.browse.store.clear();
    app.finders.browse.cursor = 0;
    app.layers.say(match &filter {
        Some(f) => format!(
            "Cognito filters the list: {} (Ctrl-T: next)",
            f.expression()
        ),
        None => "no filter: every user (Ctrl-T filters by status)".into(),
    });
    app.finders.browse.pager = Pager::new(filter);
    app.finders.browse.rerank();
    cmds.extend(next_page_if_needed(app));
    cmds
}

pub(in crate::app) fn load_all(app: &mut App) -> Vec<Cmd> {
    if app.finders.browse.pager.done {
        app.layers.say(format!(
            "all {} users are loaded",
            app.finders.browse.store.len()
        ));
        return Vec::new();
    }
    if app.finders.browse.loading_all.is_some() {
        return Vec::new();
    }
    // The lazy page in flight is superseded: load-all starts from the same place.
    app.finders.browse.page_pending = None;
    app.finders.browse.error = None;
    let id = app.next_request_id();
    app.finders.browse.loading_all = Some(id);
    app.finders.browse.load_started = Some((Instant::now(), app.finders.browse.store.len()));
    app.finders.browse.load_rate = None;
    app.layers.quiet();
    vec![Cmd::LoadAll {
        id,
        pager: app.finders.browse.pager.clone(),
    }]
}

/// A browse page answered (lazily fetched or one of a load-all).
pub(in crate::app) fn browse_page(app: &mut App, id: u64, result: Result<UserPage, CognitoError>) {
    let lazy = app.finders.browse.page_pending == Some(id);
    if !lazy && app.finders.browse.loading_all != Some(id) {
        tracing::debug!(id, "dropping a superseded browse page");
        return;
    }
    if lazy {
        app.finders.browse.page_pending = None;
    }
    match result {
        Ok(page) => {
            let b = &mut app.finders.browse;
            b.pager.record(&page);
            b.store.extend_searching(&page.users, &b.search_attributes);
            b.rerank();
            if !lazy && let Some((started, before)) = app.finders.browse.load_started {
                let secs = started.elapsed().as_secs_f64();
                let gained = app.finders.browse.store.len().saturating_sub(before);
                if secs > 0.0 && gained > 0 {
                    app.finders.browse.load_rate = Some(gained as f64 / secs);
                }
            }
        }
        Err(e) => {
            app.finders.browse.loading_all = None;
            app.finders.browse.error = Some(cognito_error_view(app, &e));
        }
    }
}

/// The worker's estimate of the pool's size for the load-all `id`.
pub(in crate::app) fn load_all_estimate(app: &mut App, id: u64, users: Option<u64>) {
    if app.finders.browse.loading_all == Some(id) {
        app.finders.browse.estimated_total = users;
    }
}

/// A load-all ended (complete, cancelled or failed).
pub(in crate::app) fn load_all_done(app: &mut App, id: u64, result: Result<(), CognitoError>) {
    if app.finders.browse.loading_all != Some(id) {
        return;
    }
    app.finders.browse.loading_all = None;
    app.finders.browse.load_started = None;
    match result {
        Ok(()) => app.layers.say(format!(
            "loaded all {} users ({} pages)",
            app.finders.browse.store.len(),
            app.finders.browse.pager.pages
        )),
        Err(e) => app.finders.browse.error = Some(cognito_error_view(app, &e)),
    }
}
