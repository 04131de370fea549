//! Finding users you can't name exactly, in the model: type-ahead search (`search`), browsing
//! the pool with a local fuzzy filter (`browse`), the pool picker (`pools`) and a list's CSV
//! export (`export`). Moving through any of these lists makes no request that bills a user:
//! only Enter opens one, with one AdminGetUser.

mod browse;
mod export;
mod pools;
mod search;

pub use browse::{BROWSE_FILTERS, BrowseState};
pub use export::{EXPORT_ATTRIBUTES, EXPORT_DEFAULT_FILE};
pub use pools::{MAX_POOL_PAGES, PoolEntry, PoolSource, PoolsState};
pub(super) use search::offer_suggestions;
pub use search::{SearchState, Suggested};

use super::{App, Cmd, LineInput, Msg, move_in_list};
use crate::cognito::lookup::LookupMode;
use crate::keymap::Action;
use crate::ratelimit::ThrottleStatus;

/// The finders and a list's export: the part of the model that finds users by other than
/// their exact name. Each finder's state stays when it is closed.
#[derive(Debug, Clone, Default)]
pub struct Finders {
    /// The finder that has the screen, if any.
    open: Option<Finder>,
    search: SearchState,
    browse: BrowseState,
    pools: PoolsState,
    /// The file name being typed to export the finder's list (Ctrl-S), if any.
    export_prompt: Option<LineInput>,
    /// The list export in flight, and the file it writes.
    exporting: Option<(u64, String)>,
    /// How much of the list the export in flight holds, when not all of it ("60 of ~148 —
    /// the rest not loaded").
    export_scope: Option<String>,
    /// The file to write once the load-all in flight has read every page (Enter in the
    /// export prompt with pages unread).
    export_after_load: Option<String>,
    /// The search reopened on its last query, shown selected: typing replaces it, → or End
    /// keeps it and appends.
    query_selected: bool,
}

impl Finders {
    /// No finder open, browsing matching `search_attributes` too (the config's).
    pub(crate) fn new(search_attributes: Vec<String>) -> Self {
        Self {
            browse: BrowseState {
                search_attributes,
                ..BrowseState::default()
            },
            ..Self::default()
        }
    }

    /// The finder that has the screen, if any.
    pub(crate) fn open(&self) -> Option<Finder> {
        self.open
    }

    /// The finder gives the screen back (its state stays).
    pub(crate) fn close(&mut self) {
        self.open = None;
    }

    /// Type-ahead search.
    pub(crate) fn search(&self) -> &SearchState {
        &self.search
    }

    /// Browsing the pool.
    pub(crate) fn browse(&self) -> &BrowseState {
        &self.browse
    }

    /// The pool picker.
    pub(crate) fn pools(&self) -> &PoolsState {
        &self.pools
    }

    /// The export file name being typed.
    pub(crate) fn export_prompt(&self) -> Option<&LineInput> {
        self.export_prompt.as_ref()
    }

    /// The list export in flight: its id and file.
    pub(crate) fn exporting(&self) -> Option<&(u64, String)> {
        self.exporting.as_ref()
    }

    /// The search reopened on its last query, shown selected.
    pub(crate) fn query_selected(&self) -> bool {
        self.query_selected
    }

    /// The pool in use is left: its search and browse are forgotten (the configured search
    /// attributes kept); the load-all in flight, to cancel.
    pub(crate) fn leave_pool(&mut self) -> Option<u64> {
        let loading = self.browse.loading_all.take();
        self.search = SearchState::default();
        self.browse = BrowseState {
            search_attributes: std::mem::take(&mut self.browse.search_attributes),
            ..BrowseState::default()
        };
        loading
    }

    /// Whether a finder's request is in flight.
    pub(crate) fn busy(&self) -> bool {
        self.search.pending.is_some() || self.browse.busy() || self.pools.pending.is_some()
    }
}

/// Which finder has the screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Finder {
    Search,
    Browse,
    Pools,
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

/// Opens a finder from the panes.
pub(super) fn open(app: &mut App, action: Action) -> Vec<Cmd> {
    if action == Action::Pools {
        return app.open_pools();
    }
    if !app.has_pool() {
        app.layers.say("choose a user pool first");
        return app.open_pools();
    }
    app.layers.clear();
    match action {
        Action::Search => {
            app.finders.open = Some(Finder::Search);
            let input = &mut app.finders.search.input;
            input.cursor = input.text.chars().count();
            app.finders.query_selected = !input.text.is_empty();
            Vec::new()
        }
        Action::Browse => {
            app.finders.open = Some(Finder::Browse);
            app.finders.browse.rerank();
            browse::next_page_if_needed(app)
        }
        Action::LoadAll => {
            app.finders.open = Some(Finder::Browse);
            app.finders.browse.rerank();
            browse::load_all(app)
        }
        _ => Vec::new(),
    }
}

/// Keys while a finder has the screen.
pub(super) fn act(app: &mut App, action: Action) -> Vec<Cmd> {
    let mut cmds = act_on(app, action);
    cmds.extend(export::settle(app));
    cmds
}

fn act_on(app: &mut App, action: Action) -> Vec<Cmd> {
    let Some(finder) = app.finders.open else {
        return Vec::new();
    };
    if let Some(prompt) = &mut app.finders.export_prompt {
        let edited = prompt.edit(action);
        return export::export_prompt_key(app, action, edited);
    }
    match action {
        Action::BrowseFilter if finder == Finder::Browse => return browse::next_filter(app),
        Action::ExportList if finder != Finder::Pools => {
            export::open_prompt(app);
            return Vec::new();
        }
        _ => {}
    }
    if finder == Finder::Search && std::mem::take(&mut app.finders.query_selected) {
        replace_selected(app, action);
    }
    let input = match finder {
        Finder::Search => &mut app.finders.search.input,
        Finder::Browse => &mut app.finders.browse.input,
        Finder::Pools => &mut app.finders.pools.input,
    };
    if input.edit(action) {
        return edited(app, finder);
    }
    match action {
        Action::Cancel => cancel(app, finder),
        Action::LoadAll if finder == Finder::Browse => browse::load_all(app),
        Action::Refresh if finder == Finder::Search => search::refresh(app),
        Action::Up
        | Action::Down
        | Action::PageUp
        | Action::PageDown
        | Action::Top
        | Action::Bottom => move_cursor(app, finder, action),
        Action::Submit => submit(app, finder),
        _ => Vec::new(),
    }
}

/// The first key on a reopened search's selected query: a character or a deletion replaces
/// it (the character is then typed as usual); anything else keeps it.
fn replace_selected(app: &mut App, action: Action) {
    if matches!(
        action,
        Action::Insert(_) | Action::DeleteBack | Action::DeleteForward
    ) {
        app.finders.search.input = LineInput::default();
    }
}

/// Esc: stops a load-all if one is running, else closes the finder (its state stays).
fn cancel(app: &mut App, finder: Finder) -> Vec<Cmd> {
    if finder == Finder::Browse
        && let Some(id) = app.finders.browse.loading_all.take()
    {
        app.layers.say(format!(
            "stopped loading: {} users in {} pages ({} resumes)",
            app.finders.browse.store.len(),
            app.finders.browse.pager.pages,
            app.keymap()
                .label(crate::keymap::Context::Finder, Action::LoadAll)
        ));
        return vec![Cmd::CancelLoadAll { id }];
    }
    app.finders.open = None;
    Vec::new()
}

/// The cursor moves in the finder's list; browsing reads the next page near the end.
fn move_cursor(app: &mut App, finder: Finder, action: Action) -> Vec<Cmd> {
    match finder {
        Finder::Search => {
            let len = app
                .finders
                .search
                .results
                .as_ref()
                .map_or(0, |r| r.hits.len());
            app.finders.search.cursor = move_in_list(app.finders.search.cursor, len, action);
        }
        Finder::Browse => {
            let len = app.finders.browse.match_count();
            app.finders.browse.cursor = move_in_list(app.finders.browse.cursor, len, action);
            // ListUsers only, as the cursor nears the end of what is loaded.
            return browse::next_page_if_needed(app);
        }
        Finder::Pools => {
            let len = app.pool_matches().len();
            app.finders.pools.cursor = move_in_list(app.finders.pools.cursor, len, action);
        }
    }
    Vec::new()
}

/// The effects of editing a finder's line.
fn edited(app: &mut App, finder: Finder) -> Vec<Cmd> {
    match finder {
        Finder::Search => search::edited(app),
        Finder::Browse => {
            app.finders.browse.cursor = 0;
            app.finders.browse.rerank();
            Vec::new()
        }
        Finder::Pools => {
            app.finders.pools.cursor = 0;
            Vec::new()
        }
    }
}

fn submit(app: &mut App, finder: Finder) -> Vec<Cmd> {
    let username = match finder {
        Finder::Search => app
            .finders
            .search
            .results
            .as_ref()
            .and_then(|r| r.hits.get(app.finders.search.cursor))
            .map(|h| h.user.username.clone()),
        Finder::Browse => app
            .finders
            .browse
            .ranker
            .results()
            .get(app.finders.browse.cursor)
            .map(|r| {
                app.finders
                    .browse
                    .store
                    .row(r.row as usize)
                    .username
                    .to_string()
            }),
        Finder::Pools => {
            let chosen = app.pool_matches().get(app.finders.pools.cursor).cloned();
            return match chosen {
                Some(entry) => super::pools::switch_pool(app, entry),
                None => Vec::new(),
            };
        }
    };
    match username {
        Some(username) => {
            app.finders.open = None;
            app.layers.close();
            // The one request that bills a monthly active user, on an explicit open.
            app.submit_lookup(&username, LookupMode::Username)
        }
        None => Vec::new(),
    }
}

/// The worker's answers to the finders' requests.
pub(super) fn answered(app: &mut App, msg: Msg) -> Vec<Cmd> {
    let mut cmds = answer(app, msg);
    cmds.extend(export::settle(app));
    cmds
}

fn answer(app: &mut App, msg: Msg) -> Vec<Cmd> {
    match msg {
        Msg::ExportDone { id, result } => export::export_done(app, id, result),
        Msg::SearchDone { id, results } => search::search_done(app, id, results),
        Msg::BrowsePage { id, result } => browse::browse_page(app, id, result),
        Msg::LoadAllDone { id, result } => browse::load_all_done(app, id, result),
        Msg::LoadAllEstimate { id, users } => browse::load_all_estimate(app, id, users),
        Msg::PoolsPage { id, result } => return pools::pools_page(app, id, result),
        // Not a finder's answer: app::update routes only those here.
        _ => {}
    }
    Vec::new()
}
