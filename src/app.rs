//! The model of the terminal UI and its pure `update`: messages in, state changed,
//! commands out. Nothing here waits on IO, so every behaviour is testable without a terminal.

use crossterm::event::KeyEvent;
use time::OffsetDateTime;

use crate::cognito::CognitoError;
use crate::cognito::lookup::{Found, LookupError, LookupMode, LookupOutcome};
use crate::keymap::{Action, Context, Keymap};
use crate::sanitize::sanitize;
use crate::search::SearchResults;
use crate::search::browse::Pager;

mod actions;
mod allpools;
mod diagnosis;
mod errors;
mod finder;
mod input;
mod layers;
mod lists;
mod main_screen;
mod mfa_code;
mod overlay;
mod pane;
mod pools;
mod read;
mod recent;
mod rows;
mod settings;
mod user;

// The list types are domain types; re-exported so callers of the model need one import.
pub use crate::cognito::listing::{Fetched, ListKind, Listing};
pub use crate::session::SessionInfo;
pub use crate::time::TimeZone;
pub use actions::{
    GroupChange, GroupChoices, MenuItem, POOL_SUFFIX_LEN, PasswordShown, WRITES_OFF,
};
pub use allpools::{AllPools, PoolResult, PoolRow};
pub use diagnosis::PoolSettings;
pub use errors::{ErrorView, ExportError};
use errors::{cognito_error_view, cognito_error_view_in, error_view};
pub use finder::{
    BROWSE_FILTERS, BrowseState, EXPORT_ATTRIBUTES, EXPORT_DEFAULT_FILE, Finder, Finders,
    MAX_POOL_PAGES, PoolEntry, PoolSource, PoolsState, SearchState, Suggested, Throttle,
};
pub use input::LineInput;
use layers::Layers;
pub use lists::{ListState, Lists};
use lists::{list_done, move_in_list};
pub use mfa_code::MfaCodeEntry;
pub use overlay::{HELP_KEYS_WIDTH, HelpRow, Overlay, help_page, help_rows};
use overlay::{
    act_detail, act_hatch, act_help, act_input, act_picker, after_edit, copied_notice, input_mut,
};
pub use pane::Pane;
use pools::PoolSession;
pub use pools::{
    AfterSwitch, PoolStatus, Switched, Switching, WritePending, pool_label, typed_pool_id,
};
pub use recent::{RECENT_MAX, RecentEntry};
pub use rows::{Row, Tone, attribute_rows, decode_identities, mfa_rows};
pub use settings::Settings;
use user::UserPanes;
pub use user::{Loaded, Pending};

/// Everything that can happen to the app.
#[derive(Debug, Clone)]
pub enum Msg {
    /// A key press from the terminal.
    Key(KeyEvent),
    /// Text pasted into the terminal (bracketed paste).
    Paste(String),
    /// The spinner's clock; only runs while a request is in flight.
    Tick,
    /// The terminal's size (columns, rows): at start and whenever it changes. Paging in the
    /// help reads it, and the screen must be redrawn.
    Resize { width: u16, height: u16 },
    /// The worker has built its backend.
    Connected(SessionInfo),
    /// A lookup finished. `id` says which request; stale answers are dropped.
    LookupDone {
        id: u64,
        result: Result<LookupOutcome, LookupError>,
    },
    /// A list pane's fetch finished; stale answers (by `id`) are dropped.
    /// AdminGetUserAuthFactors answered (the MFA pane).
    AuthFactorsDone {
        id: u64,
        result: Result<crate::cognito::AuthFactors, CognitoError>,
    },
    ListDone {
        id: u64,
        result: Result<Fetched, CognitoError>,
    },
    /// A write action finished.
    WriteDone {
        id: u64,
        result: Result<(), CognitoError>,
    },
    /// The pool's groups (every page of ListGroups) for the add-to-group picker.
    PoolGroupsDone {
        id: u64,
        result: Result<Fetched, CognitoError>,
    },
    /// The audit log could not be written: loud, because the trail is now incomplete.
    AuditFailed(String),
    /// The audit syslog receiver went away (why) or came back (None); the file still has
    /// every line.
    AuditSyslog(Option<String>),
    /// A type-ahead search finished; answers to superseded searches are dropped.
    SearchDone { id: u64, results: SearchResults },
    /// A browse page (lazily fetched, or one of a load-all with the same `id`).
    BrowsePage {
        id: u64,
        result: Result<crate::cognito::UserPage, CognitoError>,
    },
    /// A load-all ended: every page read, cancelled (Ok too) or failed.
    LoadAllDone {
        id: u64,
        result: Result<(), CognitoError>,
    },
    /// DescribeUserPool's EstimatedNumberOfUsers (None: not known) for the load-all `id`.
    LoadAllEstimate { id: u64, users: Option<u64> },
    /// A page of ListUserPools for the pool picker.
    PoolsPage {
        id: u64,
        result: Result<crate::cognito::PoolPage, CognitoError>,
    },
    /// The rate limiter's status changed (None: nothing held back).
    Throttle(Option<Throttle>),
    /// A list export finished: how many users were written, or why nothing was.
    ExportDone {
        id: u64,
        result: Result<usize, ExportError>,
    },
    /// DescribeUserPool's answer for `pool`, asked once the worker has connected: the
    /// pool's name, or why it can't be used (said on the first screen).
    PoolDescribed {
        pool: String,
        result: Result<crate::cognito::PoolSchema, CognitoError>,
    },
    /// The answer to [`Cmd::SwitchPool`] `id`: the new pool checked and ready, or why not.
    PoolSwitched {
        id: u64,
        result: Result<Switched, crate::session::SwitchError>,
    },
    /// A credential provider asks for an MFA code (an assume-role profile with
    /// `mfa_serial`): the popup opens; the answer goes back with [`Cmd::AnswerMfa`].
    MfaCodeAsked(crate::cognito::mfa_code::MfaRequest),
    /// One named pool's answer to [`Cmd::LookupAllPools`] `id`; `session` says where the
    /// request went (None when the name could not be used).
    PoolLookupDone {
        id: u64,
        pool: String,
        session: Option<SessionInfo>,
        result: Result<LookupOutcome, LookupError>,
    },
}

/// Work for the outside world, returned by [`update`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cmd {
    /// Resolve `query` in the worker; answer with [`Msg::LookupDone`] carrying `id`.
    Lookup {
        id: u64,
        query: String,
        mode: LookupMode,
    },
    /// AdminGetUserAuthFactors for `username` (the MFA pane opened); answer with
    /// [`Msg::AuthFactorsDone`].
    FetchAuthFactors { id: u64, username: String },
    /// Fetch every page of a list pane for `username`; answer with [`Msg::ListDone`].
    FetchList {
        id: u64,
        list: ListKind,
        username: String,
    },
    /// Perform a confirmed write action; answer with [`Msg::WriteDone`]. Only ever produced
    /// when the app was started with `--allow-write`.
    Write {
        id: u64,
        /// The write as confirmed: pool, user, call and arguments, fixed from then on.
        write: crate::act::Write,
    },
    /// Every page of ListGroups, for the add-to-group picker (only with `--allow-write`);
    /// answer with [`Msg::PoolGroupsDone`].
    FetchPoolGroups { id: u64 },
    /// Put this (already sanitized) text on the clipboard through the terminal (OSC 52).
    Copy(String),
    /// Type-ahead search after `debounce_ms` of quiet; a newer search (or
    /// [`Cmd::CancelSearch`]) cancels this one. Answer with [`Msg::SearchDone`].
    Search {
        id: u64,
        query: String,
        debounce_ms: u64,
    },
    /// Drop the search waiting or in flight.
    CancelSearch,
    /// Forget cached search results, so the next search asks Cognito again.
    ForgetSearchCache,
    /// One ListUsers page for browsing (narrowed server-side by `filter`); answer with
    /// [`Msg::BrowsePage`].
    BrowsePage {
        id: u64,
        token: Option<String>,
        filter: Option<crate::cognito::ListFilter>,
    },
    /// Write `users` to a new CSV file at `path` (the columns and cell safety of `-o csv`);
    /// answer with [`Msg::ExportDone`].
    ExportList {
        id: u64,
        path: std::path::PathBuf,
        users: Vec<crate::cognito::UserSummary>,
        /// "whole list", or how much of it the file holds ("60 of ~148 — the rest not
        /// loaded"): recorded in the audit line.
        scope: String,
    },
    /// Read every page from `pager` on; each page is a [`Msg::BrowsePage`] with `id`, then
    /// [`Msg::LoadAllDone`].
    LoadAll { id: u64, pager: Pager },
    /// Stop the load-all `id`.
    CancelLoadAll { id: u64 },
    /// One page of ListUserPools; answer with [`Msg::PoolsPage`].
    ListPools { id: u64, token: Option<String> },
    /// Prepare another pool (a pool id, or a name from the config file) and check it with
    /// DescribeUserPool, without leaving the pool in use; answer with [`Msg::PoolSwitched`].
    SwitchPool { id: u64, pool: String },
    /// Send every request from now on to the pool prepared by [`Cmd::SwitchPool`] `id`.
    UsePool { id: u64 },
    /// Resolve `query` in each of the config's named `pools` at once, each with its own
    /// profile, Region and limiter; one [`Msg::PoolLookupDone`] per pool.
    LookupAllPools {
        id: u64,
        query: String,
        mode: LookupMode,
        pools: Vec<String>,
    },
    /// The MFA code typed in the popup (`None`: cancelled), for the provider waiting on
    /// `reply`. The code's `Debug` hides it.
    AnswerMfa {
        reply: crate::cognito::mfa_code::MfaReply,
        code: Option<crate::cognito::mfa_code::MfaCode>,
    },
}

/// The request ids of one app: every request gets the next, so an answer names its request.
#[derive(Debug, Clone)]
pub(crate) struct RequestIds(u64);

impl RequestIds {
    /// The next id (the first is 1).
    pub(crate) fn next(&mut self) -> u64 {
        let id = self.0;
        self.0 += 1;
        id
    }
}

/// Rows moved by PgUp/PgDn.
const PAGE: usize = 10;

/// The whole state of the UI: what is fixed at start, four parts that each own their state
/// and the methods that change it, and a few app-wide values. Its fields are private: tests
/// and the terminal loop drive it with [`Msg`]s through [`update`], which routes each to
/// the parts, and read it through accessors (`app/read.rs`) and the views.
#[derive(Debug, Clone)]
pub struct App {
    /// Fixed at start: nothing changes it.
    settings: Settings,
    /// The pool in use and its session.
    pool: PoolSession,
    /// The user on screen and its panes.
    user: UserPanes,
    /// The finders (search, browse, the pool picker) and a list's export.
    finders: Finders,
    /// The popup, the error and the notices.
    layers: Layers,
    /// Privacy mode: personal values masked on screen and in copies.
    redact: bool,
    ids: RequestIds,
    spinner: usize,
    /// The time ages are measured from; moved on by the terminal loop, fixed in tests.
    now: OffsetDateTime,
    should_quit: bool,
    /// The terminal's (columns, rows), from [`Msg::Resize`]; paging in the help uses it.
    screen: (u16, u16),
}

impl App {
    /// A fresh app on `pool`, with what is fixed at start.
    pub fn new(pool: &str, settings: Settings) -> Self {
        let mut app = Self {
            pool: PoolSession::new(pool, settings.allow_write),
            user: UserPanes::default(),
            redact: settings.redact,
            layers: Layers::default(),
            ids: RequestIds(1),
            spinner: 0,
            now: settings.now,
            should_quit: false,
            finders: Finders::new(settings.search_attributes.clone()),
            screen: (80, 24),
            settings,
        };
        app.set_named_pools(app.settings.named_pools.clone());
        app
    }

    /// Moves the clock ages are measured from (the terminal loop, before each frame).
    pub(crate) fn set_now(&mut self, now: OffsetDateTime) {
        self.now = now;
    }

    /// Says `text` in the bar (the terminal loop's own notices: a copy that failed, ...).
    pub(crate) fn say(&mut self, text: impl Into<String>) {
        self.layers.say(text);
    }

    /// Adds `text` to the notice in the bar, if one is there (the terminal loop's word on a
    /// copy under tmux).
    pub(crate) fn add_to_notice(&mut self, text: &str) {
        self.layers.add_to_notice(text);
    }

    /// Starts a lookup, superseding any in flight.
    pub fn start_lookup(&mut self, query: &str, mode: LookupMode) -> Cmd {
        let id = self.next_request_id();
        self.pool.set_last_query(query, mode);
        self.user.start_lookup(id, query, mode);
        self.layers.clear();
        Cmd::Lookup {
            id,
            query: query.to_string(),
            mode,
        }
    }

    fn next_request_id(&mut self) -> u64 {
        self.ids.next()
    }

    /// Whether anything is in flight (the spinner runs only then).
    pub fn busy(&self) -> bool {
        self.user.busy()
            || self.pool.busy()
            || self.finder_busy()
            || matches!(self.layers.overlay(), Overlay::AllPools(all) if all.in_flight())
            // A provider waits for a code: the tick closes the popup if it stops waiting.
            || matches!(self.layers.overlay(), Overlay::MfaCode(_))
    }

    /// Which bindings apply now.
    pub fn context(&self) -> Context {
        match self.layers.overlay() {
            Overlay::None if self.finders.open().is_some() => Context::Finder,
            Overlay::None => Context::Main,
            Overlay::Lookup { .. }
            | Overlay::Filter { .. }
            | Overlay::Recent { .. }
            | Overlay::MfaCode(_) => Context::Input,
            Overlay::Picker { .. } => Context::List,
            Overlay::Help { typing: true, .. } => Context::Input,
            Overlay::Help { .. } => Context::Help,
            Overlay::Detail { .. } | Overlay::Password(_) => Context::Detail,
            Overlay::Hatch { .. } => Context::Hatch,
            Overlay::Actions { .. } | Overlay::Groups { .. } => Context::Menu,
            Overlay::Confirm {
                phrase: Some(_), ..
            } => Context::Input,
            Overlay::Confirm { .. } => Context::Confirm,
            Overlay::AllPools(all) if all.input.is_some() => Context::Input,
            Overlay::AllPools(_) => Context::List,
        }
    }

    /// The id of the pool in use (changed only when the worker has switched to another).
    pub fn pool_name(&self) -> &str {
        self.pool.id()
    }

    /// The selected row of `pane`.
    pub fn cursor(&self, pane: Pane) -> usize {
        self.user.cursor(pane)
    }

    fn move_cursor(&mut self, action: Action) {
        let len = self.rows(self.user.focus()).len();
        self.user.move_cursor(action, len);
    }

    /// Opens the list `pane` shows for the user on screen, if not yet asked for (or `again`).
    fn open_list(&mut self, pane: Pane, again: bool) -> Vec<Cmd> {
        (self.user).open_list(pane, again, self.pool.settings(), &mut self.ids)
    }

    /// The worker has stopped: nothing in flight will be answered, and the bar says so.
    pub(crate) fn worker_stopped(&mut self) {
        self.layers
            .say("internal error: the worker stopped; see the log");
        self.user.drop_pending();
        self.pool.drop_write();
    }
}

/// Applies `msg` to `app`; returns the IO to perform.
pub fn update(app: &mut App, msg: Msg) -> Vec<Cmd> {
    match msg {
        Msg::Key(key) => match app.keymap().action(app.context(), &key, app.allow_write()) {
            Some(action) => act(app, action),
            // A write key while writes are off says why, rather than nothing.
            None => match app.keymap().action(app.context(), &key, true) {
                Some(action @ Action::Actions) => act(app, action),
                _ => Vec::new(),
            },
        },
        Msg::Paste(text) => pasted(app, &text),
        Msg::Tick => {
            if app.busy() {
                app.spinner = app.spinner.wrapping_add(1);
            }
            mfa_code::withdrawn(app);
            Vec::new()
        }
        Msg::Resize { width, height } => {
            app.screen = (width, height);
            Vec::new()
        }
        // The start-up pool's session; the pool in use changes only on PoolSwitched.
        Msg::Connected(info) => {
            let pool = info.pool.clone();
            if !app.pool.connected(info) {
                tracing::warn!(pool = %sanitize(&pool), "ignoring a session for another pool");
            }
            Vec::new()
        }
        msg @ (Msg::ExportDone { .. }
        | Msg::SearchDone { .. }
        | Msg::BrowsePage { .. }
        | Msg::LoadAllDone { .. }
        | Msg::LoadAllEstimate { .. }
        | Msg::PoolsPage { .. }) => finder::answered(app, msg),
        Msg::Throttle(throttle) => {
            app.pool.set_throttle(throttle);
            Vec::new()
        }
        Msg::PoolDescribed { pool, result } => {
            pools::pool_described(app, &pool, result);
            Vec::new()
        }
        Msg::PoolSwitched { id, result } => pools::pool_switched(app, id, result),
        Msg::LookupDone { id, result } => lookup_done(app, id, result),
        Msg::PoolLookupDone {
            id,
            pool,
            session,
            result,
        } => {
            allpools::pool_done(app, id, &pool, session, result);
            Vec::new()
        }
        Msg::ListDone { id, result } => {
            list_done(app, id, result);
            Vec::new()
        }
        Msg::AuthFactorsDone { id, result } => {
            diagnosis::factors_done(app, id, result);
            Vec::new()
        }
        Msg::WriteDone { id, result } => actions::write_done(app, id, result),
        Msg::PoolGroupsDone { id, result } => {
            actions::pool_groups_done(app, id, result);
            Vec::new()
        }
        Msg::AuditFailed(message) => {
            app.layers.fail(audit_failed(&message));
            Vec::new()
        }
        Msg::AuditSyslog(down) => audit_syslog(app, down),
        Msg::MfaCodeAsked(request) => mfa_code::asked(app, request),
    }
}

/// The audit syslog receiver went away (`down`: why) or came back: said once, and kept for
/// the header's badge.
fn audit_syslog(app: &mut App, down: Option<String>) -> Vec<Cmd> {
    app.say(match &down {
        Some(why) => format!("audit: syslog down: {}", sanitize(why)),
        None => "audit: syslog back; held-back lines sent".into(),
    });
    app.layers.set_syslog(down);
    Vec::new()
}

/// The error shown when the audit log could not be written.
fn audit_failed(message: &str) -> ErrorView {
    ErrorView {
        title: "Audit log not written".into(),
        exception: None,
        message: sanitize(message).into_owned(),
        hint: Some(
            "the audit trail is incomplete; fix the file (disk full? permissions?) or quit".into(),
        ),
    }
}

/// Pasted text goes into the line being typed: a popup's, else the finder's.
fn pasted(app: &mut App, text: &str) -> Vec<Cmd> {
    if let Some(input) = input_mut(app.layers.overlay_mut()) {
        for c in text.chars() {
            input.insert(c);
        }
        after_edit(app);
    } else if app.finders.open().is_some() && *app.layers.overlay() == Overlay::None {
        // Only the last edit's commands count: one search for the whole paste.
        let mut cmds = Vec::new();
        for c in text.chars().filter(|c| !c.is_control()) {
            cmds = finder::act(app, Action::Insert(c));
        }
        return cmds;
    }
    Vec::new()
}

/// A lookup's answer: the user, several to choose from, or why not (stale answers dropped).
fn lookup_done(app: &mut App, id: u64, result: Result<LookupOutcome, LookupError>) -> Vec<Cmd> {
    let Some(pending) = app.user.take_pending(id) else {
        tracing::debug!(id, "dropping a superseded lookup result");
        return Vec::new();
    };
    if let Err(err) = &result {
        let not_found = matches!(err, LookupError::NotFound { .. });
        app.user.lookup_failed(pending.query.clone(), not_found);
    }
    match result {
        Ok(LookupOutcome::Found(found)) => return user_found(app, *found, pending),
        Ok(LookupOutcome::Ambiguous(ambiguous)) => match app.layers.overlay_mut() {
            // The all-pools popup stays; the picker waits behind it until Esc.
            Overlay::AllPools(all) => all.behind = Some(ambiguous),
            _ => app.layers.open(Overlay::Picker {
                ambiguous,
                cursor: 0,
            }),
        },
        // A not-found with close users opens them ("did you mean"), which says it.
        Err(err) if finder::offer_suggestions(app, &err) => {}
        Err(err) => app.layers.fail(error_view(app, err)),
    }
    Vec::new()
}

/// The looked-up user goes on screen (their panes reset unless it is the same user again).
fn user_found(app: &mut App, found: Found, pending: Pending) -> Vec<Cmd> {
    let found_username = found.user.username.clone();
    let same_user = app.user.show(found, pending);
    for pane in Pane::ALL {
        let len = app.rows(pane).len();
        app.user.clamp_cursor(pane, len);
    }
    app.layers.clear_error();
    if same_user && app.layers.notice().is_none() {
        app.layers.say(format!(
            "{} read again from Cognito: this is how it is now",
            sanitize(&found_username)
        ));
    }
    // A list pane that is open shows the new user's list.
    app.open_list(app.user.focus(), false)
}

fn act(app: &mut App, action: Action) -> Vec<Cmd> {
    if action == Action::ForceQuit {
        app.should_quit = true;
        return Vec::new();
    }
    // F1 (and `?` where no line is typed) opens the help from every mode.
    if action == Action::Help && !matches!(app.layers.overlay(), Overlay::Help { .. }) {
        return overlay::open_help(app);
    }
    match app.context() {
        Context::Main | Context::Global => main_screen::act_main(app, action),
        Context::Finder => finder::act(app, action),
        Context::Input => act_input(app, action),
        Context::List if matches!(app.layers.overlay(), Overlay::AllPools(_)) => {
            allpools::act(app, action)
        }
        Context::List => act_picker(app, action),
        Context::Help => act_help(app, action),
        Context::Hatch => act_hatch(app, action),
        Context::Menu if matches!(app.layers.overlay(), Overlay::Groups { .. }) => {
            actions::act_groups(app, action)
        }
        Context::Menu => actions::act_menu(app, action),
        Context::Confirm => actions::act_confirm(app, action),
        Context::Detail if matches!(app.layers.overlay(), Overlay::Password(_)) => {
            actions::act_password(app, action)
        }
        Context::Detail => act_detail(app, action),
    }
}
