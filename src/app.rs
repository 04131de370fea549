//! The model of the terminal UI and its pure `update`: messages in, state changed,
//! commands out. Nothing here waits on IO, so every behaviour is testable without a terminal.

use crossterm::event::KeyEvent;
use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;
use time::{OffsetDateTime, UtcOffset};

use crate::cognito::error::ErrorContext;
use crate::cognito::lookup::{
    self, Ambiguous, Found, LookupError, LookupMode, LookupOutcome, QueryShape,
};
use crate::cognito::{
    AuthEvent, CognitoError, Device, ErrorKind, Group, PoolId, User, WriteAction,
};
use crate::keymap::{Action, Context, Keymap};
use crate::search::SearchResults;
use crate::search::browse::Pager;

mod finder;
use crate::redact;
use crate::sanitize::sanitize;
pub use finder::{
    BrowseState, Finder, MAX_POOL_PAGES, PoolEntry, PoolSource, PoolsState, SearchState, Throttle,
};

/// Everything that can happen to the app.
#[derive(Debug, Clone)]
pub enum Msg {
    /// A key press from the terminal.
    Key(KeyEvent),
    /// Text pasted into the terminal (bracketed paste).
    Paste(String),
    /// The spinner's clock; only runs while a request is in flight.
    Tick,
    /// The terminal changed size; nothing to update, but the screen must be redrawn.
    Resize,
    /// The worker has built its backend.
    Connected(SessionInfo),
    /// A lookup finished. `id` says which request; stale answers are dropped.
    LookupDone {
        id: u64,
        result: Result<LookupOutcome, LookupError>,
    },
    /// A list pane's fetch finished; stale answers (by `id`) are dropped.
    ListDone {
        id: u64,
        result: Result<Fetched, CognitoError>,
    },
    /// A write action finished.
    WriteDone {
        id: u64,
        result: Result<(), CognitoError>,
    },
    /// The audit log could not be written: loud, because the trail is now incomplete.
    AuditFailed(String),
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
    /// A page of ListUserPools for the pool picker.
    PoolsPage {
        id: u64,
        result: Result<crate::cognito::PoolPage, CognitoError>,
    },
    /// The rate limiter's status changed (None: nothing held back).
    Throttle(Option<Throttle>),
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
        action: WriteAction,
        username: String,
        /// For the audit log.
        sub: Option<String>,
    },
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
    /// One ListUsers page for browsing; answer with [`Msg::BrowsePage`].
    BrowsePage { id: u64, token: Option<String> },
    /// Read every page from `pager` on; each page is a [`Msg::BrowsePage`] with `id`, then
    /// [`Msg::LoadAllDone`].
    LoadAll { id: u64, pager: Pager },
    /// Stop the load-all `id`.
    CancelLoadAll { id: u64 },
    /// One page of ListUserPools; answer with [`Msg::PoolsPage`].
    ListPools { id: u64, token: Option<String> },
    /// Work on another pool (a pool id, or a name from the config file); answer with
    /// [`Msg::Connected`].
    SwitchPool { pool: String },
}

/// The lists fetched on demand, each in a pane of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ListKind {
    Groups,
    Devices,
    SignIns,
}

impl ListKind {
    /// The API operation behind the list.
    pub fn operation(self) -> &'static str {
        match self {
            Self::Groups => "AdminListGroupsForUser",
            Self::Devices => "AdminListDevices",
            Self::SignIns => "AdminListUserAuthEvents",
        }
    }

    /// "groups", for messages.
    pub fn noun(self) -> &'static str {
        match self {
            Self::Groups => "groups",
            Self::Devices => "devices",
            Self::SignIns => "sign-in history",
        }
    }
}

/// The items of one list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Listing {
    Groups(Vec<Group>),
    Devices(Vec<Device>),
    SignIns(Vec<AuthEvent>),
}

/// A fetched list and whether it was cut at `MAX_PAGES`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fetched {
    pub listing: Listing,
    pub more: bool,
}

/// Where a list pane stands.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum ListState {
    /// Not asked for: nothing is fetched until the pane is opened.
    #[default]
    NotLoaded,
    Loading {
        id: u64,
    },
    Loaded(Fetched),
    /// The pool or endpoint can't answer (no threat protection, an emulator): a calm note.
    Unavailable(String),
    /// The fetch failed.
    Failed(ErrorView),
}

/// The on-demand lists of the loaded user.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Lists {
    pub groups: ListState,
    pub devices: ListState,
    pub sign_ins: ListState,
}

impl Lists {
    /// The state of `list`.
    pub fn get(&self, list: ListKind) -> &ListState {
        match list {
            ListKind::Groups => &self.groups,
            ListKind::Devices => &self.devices,
            ListKind::SignIns => &self.sign_ins,
        }
    }

    fn get_mut(&mut self, list: ListKind) -> &mut ListState {
        match list {
            ListKind::Groups => &mut self.groups,
            ListKind::Devices => &mut self.devices,
            ListKind::SignIns => &mut self.sign_ins,
        }
    }

    fn loading(&self) -> bool {
        [&self.groups, &self.devices, &self.sign_ins]
            .iter()
            .any(|s| matches!(s, ListState::Loading { .. }))
    }
}

/// A write action sent to the worker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WritePending {
    pub id: u64,
    pub action: WriteAction,
    pub username: String,
}

/// Where requests go, as the worker found out when it connected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionInfo {
    pub pool: String,
    pub region: Option<String>,
    pub profile: Option<String>,
    pub target: String,
}

impl SessionInfo {
    /// What the worker's session says about where requests go.
    pub fn from_session(session: &crate::session::Session) -> Self {
        Self {
            pool: session.pool.to_string(),
            region: session.region.clone(),
            profile: session.profile.clone(),
            target: session.target.clone(),
        }
    }

    /// Where a request for the pool went, for error hints.
    pub fn error_context<'a>(&'a self, pool_region: Option<&'a str>) -> ErrorContext<'a> {
        ErrorContext {
            pool: Some(&self.pool),
            pool_region,
            region: self.region.as_deref(),
            profile: self.profile.as_deref(),
            target: Some(&self.target),
        }
    }
}

/// The panes, in Tab order. Groups, Devices and Sign-ins share the lower half of the screen
/// with Attributes and MFA, as tabs, and are fetched only when opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Pane {
    Attributes,
    Status,
    Mfa,
    Groups,
    Devices,
    SignIns,
}

impl Pane {
    /// Tab order, which is also the order of the digit keys 1-6.
    pub const ALL: [Pane; 6] = [
        Pane::Status,
        Pane::Attributes,
        Pane::Mfa,
        Pane::Groups,
        Pane::Devices,
        Pane::SignIns,
    ];

    /// Title on the pane's border.
    pub fn title(self) -> &'static str {
        match self {
            Self::Attributes => "Attributes",
            Self::Status => "Status",
            Self::Mfa => "MFA",
            Self::Groups => "Groups",
            Self::Devices => "Devices",
            Self::SignIns => "Sign-ins",
        }
    }

    /// Position in [`Pane::ALL`]; the digit key is this plus one.
    pub fn index(self) -> usize {
        match self {
            Self::Status => 0,
            Self::Attributes => 1,
            Self::Mfa => 2,
            Self::Groups => 3,
            Self::Devices => 4,
            Self::SignIns => 5,
        }
    }

    /// The list this pane shows, for the panes fetched on demand.
    pub fn list(self) -> Option<ListKind> {
        match self {
            Self::Groups => Some(ListKind::Groups),
            Self::Devices => Some(ListKind::Devices),
            Self::SignIns => Some(ListKind::SignIns),
            _ => None,
        }
    }
}

/// A one-line text editor with a cursor (counted in characters).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineInput {
    pub text: String,
    pub cursor: usize,
}

impl LineInput {
    /// An editor holding `text`, cursor at the end.
    pub fn with_text(text: &str) -> Self {
        Self {
            text: text.to_string(),
            cursor: text.chars().count(),
        }
    }

    fn byte_at(&self, char_index: usize) -> usize {
        self.text
            .char_indices()
            .nth(char_index)
            .map_or(self.text.len(), |(i, _)| i)
    }

    fn len(&self) -> usize {
        self.text.chars().count()
    }

    /// Inserts a character at the cursor; control characters are dropped (a pasted newline
    /// must not submit or corrupt the line).
    pub fn insert(&mut self, c: char) {
        if c.is_control() {
            return;
        }
        let at = self.byte_at(self.cursor);
        self.text.insert(at, c);
        self.cursor += 1;
    }

    /// Applies an editing action; returns whether it was one.
    pub fn edit(&mut self, action: Action) -> bool {
        match action {
            Action::Insert(c) => self.insert(c),
            Action::CursorLeft => self.cursor = self.cursor.saturating_sub(1),
            Action::CursorRight => self.cursor = (self.cursor + 1).min(self.len()),
            Action::CursorHome => self.cursor = 0,
            Action::CursorEnd => self.cursor = self.len(),
            Action::DeleteBack => {
                if self.cursor > 0 {
                    let start = self.byte_at(self.cursor - 1);
                    let end = self.byte_at(self.cursor);
                    self.text.replace_range(start..end, "");
                    self.cursor -= 1;
                }
            }
            Action::DeleteForward => {
                if self.cursor < self.len() {
                    let start = self.byte_at(self.cursor);
                    let end = self.byte_at(self.cursor + 1);
                    self.text.replace_range(start..end, "");
                }
            }
            Action::ClearLine => {
                let end = self.byte_at(self.cursor);
                self.text.replace_range(..end, "");
                self.cursor = 0;
            }
            Action::DeleteWord => {
                let chars: Vec<char> = self.text.chars().collect();
                let mut start = self.cursor;
                while start > 0 && chars[start - 1].is_whitespace() {
                    start -= 1;
                }
                while start > 0 && !chars[start - 1].is_whitespace() {
                    start -= 1;
                }
                let (from, to) = (self.byte_at(start), self.byte_at(self.cursor));
                self.text.replace_range(from..to, "");
                self.cursor = start;
            }
            _ => return false,
        }
        true
    }
}

/// A popup or input line that takes the keyboard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Overlay {
    None,
    /// The lookup bar.
    Lookup {
        mode: LookupMode,
        input: LineInput,
    },
    /// Editing the attribute filter (applied as you type).
    Filter {
        input: LineInput,
    },
    /// Several users matched: choose one.
    Picker {
        ambiguous: Ambiguous,
        cursor: usize,
    },
    /// This session's lookups, fuzzy-filtered.
    Recent {
        input: LineInput,
        cursor: usize,
    },
    /// Every key binding.
    Help {
        scroll: u16,
    },
    /// One value in full.
    Detail {
        title: String,
        text: String,
        copy: String,
        scroll: u16,
    },
    /// The equivalent aws command and the console address (both sanitized).
    Hatch {
        command: String,
        url: String,
    },
    /// The write actions that apply to the user (only with `--allow-write`).
    Actions {
        cursor: usize,
    },
    /// Asking before a write action; `input` holds the typed username where one is required.
    Confirm {
        action: WriteAction,
        username: String,
        input: LineInput,
    },
}

/// A request in flight.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pending {
    pub id: u64,
    pub query: String,
    pub mode: LookupMode,
}

/// The user on screen and how it was asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loaded {
    pub found: Found,
    pub query: String,
    pub mode: LookupMode,
}

/// A failed lookup, ready to show (every field already sanitized).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorView {
    pub title: String,
    /// Cognito's exception name, if there was one.
    pub exception: Option<String>,
    pub message: String,
    pub hint: Option<String>,
}

/// One user looked up in this session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecentEntry {
    pub username: String,
    /// Email, else phone number, else sub: what the engineer will recognise.
    pub detail: String,
    /// `detail` as privacy mode shows it.
    pub detail_masked: String,
    pub status: String,
    pub enabled: bool,
}

/// A note beside a value, and how it should read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Normal,
    Good,
    Warn,
    Bad,
    Dim,
}

/// One selectable row of a pane. Every string is sanitized.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub label: String,
    pub value: String,
    pub value_tone: Tone,
    pub note: Option<(String, Tone)>,
    /// A one-character form of the note for narrow panes ("✓" for "verified").
    pub short_note: Option<String>,
    /// What `y` copies.
    pub copy: String,
    /// What Enter shows in full.
    pub detail: String,
}

impl Row {
    fn new(label: &str, value: impl Into<String>) -> Self {
        let value = value.into();
        Self {
            label: label.to_string(),
            copy: value.clone(),
            detail: value.clone(),
            value,
            value_tone: Tone::Normal,
            note: None,
            short_note: None,
        }
    }

    fn tone(mut self, tone: Tone) -> Self {
        self.value_tone = tone;
        self
    }

    fn note(mut self, note: impl Into<String>, tone: Tone) -> Self {
        let note = note.into();
        self.detail = format!("{}\n\n{note}", self.detail);
        self.note = Some((note, tone));
        self
    }
}

/// How times are shown: a fixed offset (tests) or the system's local time zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeZone {
    Fixed(UtcOffset),
    Local,
}

impl TimeZone {
    /// The offset in force at `t` (daylight saving included, for `Local`).
    pub fn offset_at(self, t: OffsetDateTime) -> UtcOffset {
        match self {
            Self::Fixed(offset) => offset,
            Self::Local => local_offset_at(t).unwrap_or(UtcOffset::UTC),
        }
    }
}

#[cfg(unix)]
fn local_offset_at(t: OffsetDateTime) -> Option<UtcOffset> {
    // time_t is 64-bit on the platforms we build for; the conversion is for the others.
    #[allow(clippy::useless_conversion)]
    let secs: libc::time_t = t.unix_timestamp().try_into().ok()?;
    // SAFETY: `tm` is plain old data and localtime_r writes only to it. The time crate
    // declines this call in multi-threaded programs because a concurrent setenv could race;
    // this program never calls setenv.
    let mut tm: libc::tm = unsafe { std::mem::zeroed() };
    let ok = unsafe { !libc::localtime_r(&secs, &mut tm).is_null() };
    if !ok {
        return None;
    }
    UtcOffset::from_whole_seconds(i32::try_from(tm.tm_gmtoff).ok()?).ok()
}

#[cfg(not(unix))]
fn local_offset_at(t: OffsetDateTime) -> Option<UtcOffset> {
    UtcOffset::local_offset_at(t).ok()
}

/// Most recent lookups kept for the session.
pub const RECENT_MAX: usize = 100;
/// Rows moved by PgUp/PgDn.
const PAGE: usize = 10;

/// The whole state of the UI.
#[derive(Debug, Clone)]
pub struct App {
    /// The pool as given on the command line (shown before the worker connects).
    pub pool: String,
    pub demo: bool,
    pub session: Option<SessionInfo>,
    pub user: Option<Loaded>,
    pub focus: Pane,
    /// Selected row per pane, by [`Pane::ALL`] index.
    pub cursors: [usize; 6],
    /// The loaded user's groups, devices and sign-in history, fetched when opened.
    pub lists: Lists,
    /// Started with `--allow-write`: write actions are offered. Without it no key, help line
    /// or command for a write exists.
    pub allow_write: bool,
    /// A write action in flight.
    pub writing: Option<WritePending>,
    /// Privacy mode: personal values masked on screen and in copies.
    pub redact: bool,
    /// The one row shown unmasked in privacy mode, until the selection moves.
    pub revealed: Option<(Pane, usize)>,
    pub attr_filter: String,
    pub overlay: Overlay,
    pub pending: Option<Pending>,
    next_id: u64,
    pub error: Option<ErrorView>,
    /// A one-line message in the bar (copied, refused input, ...).
    pub notice: Option<String>,
    /// Newest first.
    pub recent: Vec<RecentEntry>,
    pub spinner: usize,
    /// The time ages are measured from; set by the terminal loop, fixed in tests.
    pub now: OffsetDateTime,
    pub tz: TimeZone,
    /// False under NO_COLOR.
    pub color: bool,
    pub should_quit: bool,
    /// The key bindings in use (defaults with the config file's overrides).
    pub keymap: std::sync::Arc<Keymap>,
    /// The finder that has the screen, if any; its state stays when it is closed.
    pub finder: Option<Finder>,
    pub search: SearchState,
    pub browse: BrowseState,
    pub pools: PoolsState,
    /// Requests held back by the rate limiter, for the header.
    pub throttle: Option<Throttle>,
}

impl App {
    /// A fresh app on `pool`.
    pub fn new(pool: &str, demo: bool) -> Self {
        Self {
            pool: pool.to_string(),
            demo,
            session: None,
            user: None,
            focus: Pane::Attributes,
            cursors: [0; 6],
            lists: Lists::default(),
            allow_write: false,
            writing: None,
            redact: false,
            revealed: None,
            attr_filter: String::new(),
            overlay: Overlay::None,
            pending: None,
            next_id: 1,
            error: None,
            notice: None,
            recent: Vec::new(),
            spinner: 0,
            now: OffsetDateTime::UNIX_EPOCH,
            tz: TimeZone::Fixed(UtcOffset::UTC),
            color: true,
            should_quit: false,
            keymap: Default::default(),
            finder: None,
            search: SearchState::default(),
            browse: BrowseState::default(),
            pools: PoolsState::default(),
            throttle: None,
        }
    }

    /// Starts a lookup, superseding any in flight.
    pub fn start_lookup(&mut self, query: &str, mode: LookupMode) -> Cmd {
        let id = self.next_request_id();
        self.pending = Some(Pending {
            id,
            query: query.to_string(),
            mode,
        });
        self.error = None;
        self.notice = None;
        Cmd::Lookup {
            id,
            query: query.to_string(),
            mode,
        }
    }

    fn next_request_id(&mut self) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        id
    }

    /// Whether anything is in flight (the spinner runs only then).
    pub fn busy(&self) -> bool {
        self.pending.is_some()
            || self.writing.is_some()
            || self.lists.loading()
            || self.finder_busy()
    }

    /// Which bindings apply now.
    pub fn context(&self) -> Context {
        match &self.overlay {
            Overlay::None if self.finder.is_some() => Context::Finder,
            Overlay::None => Context::Main,
            Overlay::Lookup { .. } | Overlay::Filter { .. } | Overlay::Recent { .. } => {
                Context::Input
            }
            Overlay::Picker { .. } => Context::List,
            Overlay::Help { .. } => Context::Help,
            Overlay::Detail { .. } => Context::Detail,
            Overlay::Hatch { .. } => Context::Hatch,
            Overlay::Actions { .. } => Context::Menu,
            Overlay::Confirm { action, .. } if action.needs_typed_confirmation() => Context::Input,
            Overlay::Confirm { .. } => Context::Confirm,
        }
    }

    /// The write actions that apply to the loaded user, in menu order (enable only when
    /// disabled, disable only when enabled). Empty without `--allow-write`.
    pub fn menu_actions(&self) -> Vec<WriteAction> {
        let Some(loaded) = self.user.as_ref().filter(|_| self.allow_write) else {
            return Vec::new();
        };
        let enabled = loaded.found.user.enabled;
        [
            WriteAction::EnableUser,
            WriteAction::DisableUser,
            WriteAction::ResetPassword,
            WriteAction::GlobalSignOut,
        ]
        .into_iter()
        .filter(|a| match a {
            WriteAction::EnableUser => !enabled,
            WriteAction::DisableUser => enabled,
            _ => true,
        })
        .collect()
    }

    /// The pool as the session names it.
    pub fn pool_name(&self) -> &str {
        self.session.as_ref().map_or(&self.pool, |s| &s.pool)
    }

    /// The selected row of `pane`.
    pub fn cursor(&self, pane: Pane) -> usize {
        self.cursors[pane.index()]
    }

    /// The rows `pane` shows for the loaded user.
    pub fn rows(&self, pane: Pane) -> Vec<Row> {
        let Some(loaded) = &self.user else {
            return Vec::new();
        };
        let mut rows = match pane {
            Pane::Attributes => attribute_rows(&loaded.found.user, &self.attr_filter),
            Pane::Status => self.status_rows(loaded),
            Pane::Mfa => mfa_rows(&loaded.found.user),
            Pane::Groups | Pane::Devices | Pane::SignIns => {
                match pane.list().map(|l| self.lists.get(l)) {
                    Some(ListState::Loaded(fetched)) => self.list_rows(&fetched.listing),
                    _ => Vec::new(),
                }
            }
        };
        if self.redact && pane == Pane::Attributes {
            for (i, row) in rows.iter_mut().enumerate() {
                if self.revealed != Some((pane, i)) {
                    mask_row(row);
                }
            }
        }
        rows
    }

    /// Whether the selected row is masked right now (what `v` would reveal).
    pub fn selected_is_masked(&self) -> bool {
        self.redact
            && self.focus == Pane::Attributes
            && self
                .selected_row()
                .is_some_and(|r| redact::is_personal(&r.label))
            && self.revealed != Some((self.focus, self.cursor(self.focus)))
    }

    /// "2025-11-20 08:12 +00:00", for list rows.
    pub fn format_time_short(&self, t: Option<OffsetDateTime>) -> String {
        let Some(t) = t else {
            return "-".into();
        };
        let local = t.to_offset(self.tz.offset_at(t));
        let format = time::macros::format_description!(
            "[year]-[month]-[day] [hour]:[minute] [offset_hour sign:mandatory]:[offset_minute]"
        );
        local
            .format(&format)
            .unwrap_or_else(|_| crate::output::rfc3339(t))
    }

    fn list_rows(&self, listing: &Listing) -> Vec<Row> {
        match listing {
            Listing::Groups(groups) => groups.iter().map(group_row).collect(),
            Listing::Devices(devices) => devices.iter().map(|d| self.device_row(d)).collect(),
            Listing::SignIns(events) => events.iter().map(|e| self.sign_in_row(e)).collect(),
        }
    }

    fn device_row(&self, d: &Device) -> Row {
        let name = sanitize(d.attribute("device_name").unwrap_or("(unnamed device)")).into_owned();
        let ip = d.attribute("last_ip_used").map(sanitize);
        let mut value = format!(
            "last signed in {}",
            self.format_time_short(d.last_authenticated)
        );
        if let Some(ip) = &ip {
            value.push_str(&format!(" from {ip}"));
        }
        let key = sanitize(&d.key).into_owned();
        value.push_str(&format!(" · key {key}"));
        let mut row = Row::new(&name, value);
        row.copy = key.clone();
        row.detail = format!(
            "Device key: {key}\nLast signed in: {}\nCreated: {}\nModified: {}",
            self.format_time(d.last_authenticated),
            self.format_time(d.created),
            self.format_time(d.last_modified),
        );
        for a in &d.attributes {
            row.detail.push_str(&format!(
                "\n{}: {}",
                sanitize(&a.name),
                sanitize(a.value.as_deref().unwrap_or("-"))
            ));
        }
        match d.attribute("dev:device_remembered_status") {
            Some("remembered") => row.note("remembered", Tone::Good),
            Some("not_remembered") => row.note("not remembered", Tone::Dim),
            Some(other) => row.note(sanitize(other).into_owned(), Tone::Normal),
            None => row,
        }
    }

    fn sign_in_row(&self, e: &AuthEvent) -> Row {
        let text = |v: &Option<String>| sanitize(v.as_deref().unwrap_or("-")).into_owned();
        let when = self.format_time_short(e.created);
        let response = text(&e.response);
        let mut value = format!("{} {response}", text(&e.event_type));
        let risk = match (&e.risk_level, &e.risk_decision) {
            (None, None) => None,
            (level, decision) => Some(format!("risk {}/{}", text(level), text(decision))),
        };
        if let Some(risk) = &risk {
            value.push_str(&format!(" · {risk}"));
        }
        let place: Vec<String> = [&e.city, &e.country]
            .into_iter()
            .filter_map(|v| v.as_deref().map(|s| sanitize(s).into_owned()))
            .collect();
        let mut from: Vec<String> = e
            .ip_address
            .iter()
            .map(|ip| sanitize(ip).into_owned())
            .collect();
        if !place.is_empty() {
            from.push(place.join(", "));
        }
        if !from.is_empty() {
            value.push_str(&format!(" · {}", from.join(" ")));
        }
        if let Some(device) = &e.device_name {
            value.push_str(&format!(" · {}", sanitize(device)));
        }
        let level = e.risk_level.as_deref().unwrap_or("");
        let tone = if e.response.as_deref() == Some("Fail") || level == "High" {
            Tone::Bad
        } else if level == "Medium" {
            Tone::Warn
        } else {
            Tone::Normal
        };
        let mut row = Row::new(&when, value).tone(tone);
        row.detail = format!(
            "Time: {}\nEvent: {}\nResult: {response}\nRisk level: {}\nRisk decision: {}\n\
             IP address: {}\nCity: {}\nCountry: {}\nDevice: {}\nEvent id: {}",
            self.format_time(e.created),
            text(&e.event_type),
            text(&e.risk_level),
            text(&e.risk_decision),
            text(&e.ip_address),
            text(&e.city),
            text(&e.country),
            text(&e.device_name),
            text(&e.id),
        );
        row
    }

    /// Recent lookups matching the recent-lookups filter, best first.
    pub fn recent_matches(&self) -> Vec<&RecentEntry> {
        let filter = match &self.overlay {
            Overlay::Recent { input, .. } => input.text.trim(),
            _ => "",
        };
        if filter.is_empty() {
            return self.recent.iter().collect();
        }
        let matcher = SkimMatcherV2::default().ignore_case();
        let mut scored: Vec<(i64, usize, &RecentEntry)> = self
            .recent
            .iter()
            .enumerate()
            .filter_map(|(i, e)| {
                let haystack = format!("{} {}", e.username, e.detail);
                matcher.fuzzy_match(&haystack, filter).map(|s| (s, i, e))
            })
            .collect();
        // Best score first; among equals, the most recent.
        scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        scored.into_iter().map(|(_, _, e)| e).collect()
    }

    /// "2023-03-14 09:26:53 +00:00 (2 years ago)".
    pub fn format_time(&self, t: Option<OffsetDateTime>) -> String {
        let Some(t) = t else {
            return "-".into();
        };
        let local = t.to_offset(self.tz.offset_at(t));
        let format = time::macros::format_description!(
            "[year]-[month]-[day] [hour]:[minute]:[second] [offset_hour sign:mandatory]:[offset_minute]"
        );
        let text = local
            .format(&format)
            .unwrap_or_else(|_| crate::output::rfc3339(t));
        format!("{text} ({})", relative_age(self.now, t))
    }

    fn status_rows(&self, loaded: &Loaded) -> Vec<Row> {
        let user = &loaded.found.user;
        let mut rows = vec![
            Row::new("Username", sanitize(&user.username)),
            Row::new("Sub", sanitize(user.sub().unwrap_or("-"))),
        ];
        rows.push(if user.enabled {
            Row::new("Enabled", "yes").tone(Tone::Good)
        } else {
            Row::new("Enabled", "NO").tone(Tone::Bad).note(
                "disabled: cannot sign in until an admin enables the user",
                Tone::Bad,
            )
        });
        rows.push(match &user.status {
            Some(status) => {
                use crate::cognito::UserStatus as S;
                let tone = match status {
                    S::Confirmed | S::ExternalProvider => Tone::Good,
                    S::Unconfirmed | S::ForceChangePassword | S::ResetRequired => Tone::Warn,
                    S::Compromised | S::Archived => Tone::Bad,
                    S::Unknown | S::Other(_) => Tone::Warn,
                };
                Row::new("Status", sanitize(status.as_wire()))
                    .tone(tone)
                    .note(status.meaning(), Tone::Normal)
            }
            None => Row::new("Status", "-"),
        });
        rows.push(Row::new("Created", self.format_time(user.created)));
        rows.push(Row::new("Modified", self.format_time(user.last_modified)));
        let r = loaded.found.resolution;
        let query = if self.redact {
            mask_query(&loaded.query)
        } else {
            loaded.query.clone()
        };
        let mode = match loaded.mode {
            LookupMode::Auto => "",
            LookupMode::Username => ", asked by username",
            LookupMode::Alias => ", asked by alias",
            LookupMode::Sub => ", asked by sub",
        };
        rows.push(Row::new("Found", r.to_string()).note(
            format!(
                "{} call{} for {:?}{mode}",
                r.calls,
                if r.calls == 1 { "" } else { "s" },
                sanitize(&query)
            ),
            Tone::Dim,
        ));
        let mut row = Row::new("Pool", sanitize(self.pool_name()));
        if let Some(s) = &self.session {
            let mut where_ = match &s.region {
                Some(region) if s.target != *region => format!("{region} · {}", s.target),
                Some(region) => region.clone(),
                None => s.target.clone(),
            };
            if let Some(p) = &s.profile {
                where_.push_str(&format!(" · profile {p}"));
            }
            row = row.note(sanitize(&where_), Tone::Dim);
        }
        rows.push(row);
        rows
    }

    fn move_cursor(&mut self, action: Action) {
        self.revealed = None;
        let pane = self.focus;
        let len = self.rows(pane).len();
        let c = &mut self.cursors[pane.index()];
        *c = move_in_list(*c, len, action);
    }

    fn selected_row(&self) -> Option<Row> {
        let rows = self.rows(self.focus);
        rows.get(self.cursor(self.focus).min(rows.len().saturating_sub(1)))
            .cloned()
    }
}

/// Masks a row of a personal attribute (by its label, the attribute's name) in place.
fn mask_row(row: &mut Row) {
    if !redact::is_personal(&row.label) {
        return;
    }
    row.value = redact::mask_attribute(&row.label, &row.value);
    row.copy = row.value.clone();
    row.detail = match &row.note {
        Some((note, _)) => format!("{}\n\n{note}", row.value),
        None => row.value.clone(),
    };
}

/// A query as privacy mode shows it: emails and phone numbers masked.
pub fn mask_query(query: &str) -> String {
    if query.contains('@') {
        redact::mask_attribute("email", query)
    } else if query.trim_start().starts_with('+') {
        redact::mask_attribute("phone_number", query)
    } else {
        query.to_string()
    }
}

fn group_row(g: &Group) -> Row {
    let description = g.description.as_deref().map(sanitize);
    let mut row = Row::new(
        &sanitize(&g.name),
        description.as_deref().unwrap_or("(no description)"),
    );
    if g.description.is_none() {
        row = row.tone(Tone::Dim);
    }
    row.copy = sanitize(&g.name).into_owned();
    let mut note = match g.precedence {
        Some(p) => format!("precedence {p}"),
        None => "no precedence".into(),
    };
    if let Some(arn) = &g.role_arn {
        let role = arn.rsplit_once('/').map_or(arn.as_str(), |(_, r)| r);
        note.push_str(&format!(" · role {}", sanitize(role)));
    }
    row.detail = format!(
        "Group: {}\nDescription: {}\nPrecedence: {}\nRole: {}",
        sanitize(&g.name),
        description.as_deref().unwrap_or("-"),
        g.precedence.map_or("-".into(), |p| p.to_string()),
        g.role_arn
            .as_deref()
            .map_or("-".into(), |r| sanitize(r).into_owned()),
    );
    row.note = Some((note, Tone::Dim));
    row
}

/// The `aws cognito-idp admin-get-user` command that reproduces the lookup, shell-quoted.
pub fn aws_command(session: &SessionInfo, pool: &str, username: &str) -> String {
    let mut words = vec![
        "aws".to_string(),
        "cognito-idp".into(),
        "admin-get-user".into(),
        "--user-pool-id".into(),
        shell_quote(pool),
        "--username".into(),
        shell_quote(username),
    ];
    if let Some(region) = console_region(session, pool) {
        words.push("--region".into());
        words.push(shell_quote(&region));
    }
    if let Some(profile) = &session.profile {
        words.push("--profile".into());
        words.push(shell_quote(profile));
    }
    if session.target.starts_with("http://") || session.target.starts_with("https://") {
        words.push("--endpoint-url".into());
        words.push(shell_quote(&session.target));
    }
    words.join(" ")
}

fn console_region(session: &SessionInfo, pool: &str) -> Option<String> {
    session
        .region
        .clone()
        .or_else(|| PoolId::parse(pool).ok()?.region().map(str::to_string))
}

/// The AWS console page of the user, or None when the Region is unknown.
pub fn console_url(session: &SessionInfo, pool: &str, username: &str) -> Option<String> {
    let region = console_region(session, pool)?;
    let region = url_encode(&region);
    Some(format!(
        "https://{region}.console.aws.amazon.com/cognito/v2/idp/user-pools/{}/user-management/\
         users/details/{}?region={region}",
        url_encode(pool),
        url_encode(username)
    ))
}

/// Percent-encodes everything but RFC 3986's unreserved characters.
pub fn url_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Quotes a word for a POSIX shell: bare when it is plainly safe, in single quotes otherwise,
/// and as bash's `$'…'` with escapes when it holds characters a terminal must not receive
/// (so the command both runs as the real username and displays safely).
pub fn shell_quote(word: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "@%+=:,./_-".contains(c);
    if !word.is_empty() && word.chars().all(plain) {
        return word.to_string();
    }
    if !word.chars().any(crate::sanitize::is_unsafe) {
        return format!("'{}'", word.replace('\'', r"'\''"));
    }
    let mut out = String::from("$'");
    for c in word.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            c if crate::sanitize::is_unsafe(c) && (c as u32) < 0x80 => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c if crate::sanitize::is_unsafe(c) => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

fn move_in_list(cursor: usize, len: usize, action: Action) -> usize {
    let last = len.saturating_sub(1);
    match action {
        Action::Up => cursor.saturating_sub(1),
        Action::Down => (cursor + 1).min(last),
        Action::PageUp => cursor.saturating_sub(PAGE),
        Action::PageDown => (cursor + PAGE).min(last),
        Action::Top => 0,
        Action::Bottom => last,
        _ => cursor.min(last),
    }
}

/// "3 hours ago", "just now", "in 2 days".
pub fn relative_age(now: OffsetDateTime, t: OffsetDateTime) -> String {
    let secs = (now - t).whole_seconds();
    let abs = secs.unsigned_abs();
    if abs < 60 {
        return "just now".into();
    }
    let (n, unit) = match abs {
        s if s < 3_600 => (s / 60, "minute"),
        s if s < 86_400 => (s / 3_600, "hour"),
        s if s < 86_400 * 60 => (s / 86_400, "day"),
        s if s < 86_400 * 365 => (s / (86_400 * 30), "month"),
        s => (s / (86_400 * 365), "year"),
    };
    let plural = if n == 1 { "" } else { "s" };
    if secs < 0 {
        format!("in {n} {unit}{plural}")
    } else {
        format!("{n} {unit}{plural} ago")
    }
}

/// `identities` (federated sign-in) decoded into "Google: 1048… (primary)"; None if it is
/// not the JSON Cognito writes.
pub fn decode_identities(raw: &str) -> Option<Vec<String>> {
    let items: Vec<serde_json::Value> = serde_json::from_str(raw).ok()?;
    let text = |v: &serde_json::Value, key: &str| {
        v.get(key)
            .and_then(|x| {
                x.as_str()
                    .map(str::to_string)
                    .or_else(|| x.as_number().map(|n| n.to_string()))
            })
            .unwrap_or_else(|| "?".into())
    };
    Some(
        items
            .iter()
            .map(|item| {
                let primary = item.get("primary").and_then(|p| p.as_bool()) == Some(true);
                format!(
                    "{}: {}{}",
                    sanitize(&text(item, "providerName")),
                    sanitize(&text(item, "userId")),
                    if primary { " (primary)" } else { "" }
                )
            })
            .collect(),
    )
}

/// Attributes as rows: standard ones first, then `custom:`; verification flags folded
/// into the email and phone rows; `identities` decoded. `filter` is fuzzy over name and value.
pub fn attribute_rows(user: &User, filter: &str) -> Vec<Row> {
    let has = |name: &str| user.attributes.iter().any(|a| a.name == name);
    let folded = |name: &str| match name {
        "email_verified" => has("email"),
        "phone_number_verified" => has("phone_number"),
        _ => false,
    };
    let (standard, custom): (Vec<_>, Vec<_>) = user
        .attributes
        .iter()
        .filter(|a| !folded(&a.name))
        .partition(|a| !a.name.starts_with("custom:"));
    let matcher = SkimMatcherV2::default().ignore_case();
    let filter = filter.trim();
    standard
        .into_iter()
        .chain(custom)
        .map(|a| {
            let raw = a.value.as_deref().unwrap_or("");
            let clean = sanitize(raw).into_owned();
            let mut row = Row::new(&sanitize(&a.name), clean.clone());
            if a.name == "identities"
                && let Some(ids) = decode_identities(raw)
            {
                row.value = ids.join("; ");
                let pretty = serde_json::from_str::<serde_json::Value>(raw)
                    .ok()
                    .and_then(|v| serde_json::to_string_pretty(&v).ok())
                    .map(|p| sanitize(&p).into_owned())
                    .unwrap_or(clean);
                row.detail = format!("{}\n\n{pretty}", ids.join("\n"));
            }
            let flag = match a.name.as_str() {
                "email" => Some("email_verified"),
                "phone_number" => Some("phone_number_verified"),
                _ => None,
            };
            if let Some(flag) = flag {
                let verified = user.attribute(flag) == Some("true");
                row = if verified {
                    row.note("verified", Tone::Good)
                } else {
                    row.note("not verified", Tone::Warn)
                };
                row.short_note = Some(if verified { "✓" } else { "✗" }.into());
            }
            if a.value.is_none() {
                row = row.tone(Tone::Dim);
            }
            row
        })
        .filter(|row| {
            filter.is_empty()
                || matcher
                    .fuzzy_match(&format!("{} {}", row.label, row.value), filter)
                    .is_some()
        })
        .collect()
}

fn mfa_description(setting: &str) -> &'static str {
    match setting {
        "SOFTWARE_TOKEN_MFA" => "authenticator app (TOTP)",
        "SMS_MFA" => "code by text message",
        "EMAIL_OTP" => "code by email",
        _ => "",
    }
}

/// The MFA pane: methods (preferred marked), an explicit "no MFA", legacy MFAOptions.
pub fn mfa_rows(user: &User) -> Vec<Row> {
    let settings = user.mfa_settings.as_deref().unwrap_or_default();
    let mut rows = Vec::new();
    for s in settings {
        let preferred = user.preferred_mfa.as_deref() == Some(s.as_str());
        let mut row = Row::new("Method", sanitize(s)).tone(Tone::Good);
        if preferred {
            row.value.push_str(" ★ preferred");
        }
        let description = mfa_description(s);
        if !description.is_empty() {
            row = row.note(description, Tone::Dim);
        }
        rows.push(row);
    }
    if settings.is_empty() {
        rows.push(
            Row::new("MFA", "none")
                .tone(Tone::Warn)
                .note("no MFA method is set up", Tone::Warn),
        );
    }
    if let Some(p) = user
        .preferred_mfa
        .as_deref()
        .filter(|p| !settings.iter().any(|s| s == p))
    {
        rows.push(
            Row::new("Preferred", sanitize(p))
                .tone(Tone::Warn)
                .note("not in UserMFASettingList", Tone::Warn),
        );
    }
    for option in user.mfa_options.as_deref().unwrap_or_default() {
        let value = format!(
            "{} to {}",
            sanitize(option.delivery_medium.as_deref().unwrap_or("?")),
            sanitize(option.attribute_name.as_deref().unwrap_or("?"))
        );
        rows.push(
            Row::new("Legacy", value)
                .tone(Tone::Dim)
                .note("MFAOptions, deprecated", Tone::Warn),
        );
    }
    rows
}

fn recent_entry(user: &User) -> RecentEntry {
    let detail = user
        .attribute("email")
        .or_else(|| user.attribute("phone_number"))
        .or_else(|| user.sub())
        .unwrap_or("");
    let kind = if user.attribute("email").is_some() {
        "email"
    } else if user.attribute("phone_number").is_some() {
        "phone_number"
    } else {
        "sub"
    };
    RecentEntry {
        username: user.username.clone(),
        detail: sanitize(detail).into_owned(),
        detail_masked: sanitize(&redact::mask_attribute(kind, detail)).into_owned(),
        status: user
            .status
            .as_ref()
            .map_or("-".into(), |s| sanitize(s.as_wire()).into_owned()),
        enabled: user.enabled,
    }
}

fn error_view(app: &App, err: LookupError) -> ErrorView {
    match err {
        LookupError::Refused(message) => ErrorView {
            title: "Not looked up".into(),
            exception: None,
            message: sanitize(&message).into_owned(),
            hint: None,
        },
        LookupError::NotFound {
            pool,
            query,
            tried,
            calls,
        } => ErrorView {
            title: "No such user".into(),
            exception: Some("UserNotFoundException".into()),
            message: format!(
                "no user matches {:?} in {}",
                sanitize(&query),
                sanitize(&pool)
            ),
            hint: Some(format!(
                "tried {} ({calls} call{}); check the spelling, or try another kind of lookup \
                 (u username, a alias, s sub)",
                sanitize(&tried.join(", then ")),
                if calls == 1 { "" } else { "s" }
            )),
        },
        LookupError::Cognito(e) => cognito_error_view(app, &e),
    }
}

fn cognito_error_view(app: &App, e: &CognitoError) -> ErrorView {
    let fallback = SessionInfo {
        pool: app.pool.clone(),
        region: None,
        profile: None,
        target: "the Cognito endpoint".into(),
    };
    let session = app.session.as_ref().unwrap_or(&fallback);
    let pool = PoolId::parse(&session.pool).ok();
    ErrorView {
        title: format!("{} failed", e.operation),
        exception: Some(
            e.exception
                .as_deref()
                .map(|x| sanitize(x).into_owned())
                .unwrap_or_else(|| format!("{:?} error", e.kind)),
        ),
        message: sanitize(&e.message).into_owned(),
        hint: Some(
            sanitize(&e.hint(&session.error_context(pool.as_ref().and_then(PoolId::region))))
                .into_owned(),
        ),
    }
}

/// Starts fetching the list `pane` shows if it has not been asked for yet (or `again`).
fn open_list(app: &mut App, pane: Pane, again: bool) -> Vec<Cmd> {
    let (Some(list), Some(loaded)) = (pane.list(), app.user.as_ref()) else {
        return Vec::new();
    };
    let username = loaded.found.user.username.clone();
    let state = app.lists.get(list);
    if !again && *state != ListState::NotLoaded {
        return Vec::new();
    }
    let id = app.next_request_id();
    *app.lists.get_mut(list) = ListState::Loading { id };
    vec![Cmd::FetchList { id, list, username }]
}

fn list_done(app: &mut App, id: u64, result: Result<Fetched, CognitoError>) {
    let Some(list) = [ListKind::Groups, ListKind::Devices, ListKind::SignIns]
        .into_iter()
        .find(|l| *app.lists.get(*l) == ListState::Loading { id })
    else {
        tracing::debug!(id, "dropping a superseded list result");
        return;
    };
    let state = match result {
        Ok(fetched) => ListState::Loaded(fetched),
        Err(e) if e.kind == ErrorKind::NotEnabled && list == ListKind::SignIns => {
            ListState::Unavailable(
                "sign-in history needs threat protection on this pool (AdminListUserAuthEvents \
                 answers only when advanced security is on)"
                    .into(),
            )
        }
        Err(e) if e.kind == ErrorKind::NotEnabled => ListState::Unavailable(format!(
            "{} needs a feature this pool has not enabled",
            list.noun()
        )),
        Err(e) if e.kind == ErrorKind::Unsupported => ListState::Unavailable(format!(
            "this endpoint does not implement {} (an emulator?), so {} can't be shown",
            list.operation(),
            list.noun()
        )),
        Err(e) => ListState::Failed(cognito_error_view(app, &e)),
    };
    *app.lists.get_mut(list) = state;
    let pane = Pane::ALL
        .into_iter()
        .find(|p| p.list() == Some(list))
        .expect("every list has a pane");
    let len = app.rows(pane).len();
    let c = &mut app.cursors[pane.index()];
    *c = (*c).min(len.saturating_sub(1));
}

/// Past tense of an action, for the result notice.
fn done_phrase(action: &WriteAction) -> &'static str {
    match action {
        WriteAction::EnableUser => "enabled",
        WriteAction::DisableUser => "disabled",
        WriteAction::ResetPassword => "password reset for",
        WriteAction::GlobalSignOut => "signed out everywhere:",
        WriteAction::ResetMfa => "MFA reset for",
        WriteAction::ResendInvitation(_) => "invitation re-sent to",
        WriteAction::ConfirmSignUp => "sign-up confirmed for",
        WriteAction::MarkVerified(_) => "marked verified:",
        WriteAction::AddToGroup(_) => "added to the group:",
        WriteAction::RemoveFromGroup(_) => "removed from the group:",
        WriteAction::DeleteUser => "deleted",
    }
}

/// Applies `msg` to `app`; returns the IO to perform.
pub fn update(app: &mut App, msg: Msg) -> Vec<Cmd> {
    match msg {
        Msg::Key(key) => match app.keymap.action(app.context(), &key, app.allow_write) {
            Some(action) => act(app, action),
            None => Vec::new(),
        },
        Msg::Paste(text) => {
            if let Some(input) = input_mut(&mut app.overlay) {
                for c in text.chars() {
                    input.insert(c);
                }
                after_edit(app);
            } else if app.finder.is_some() && app.overlay == Overlay::None {
                // Only the last edit's commands count: one search for the whole paste.
                let mut cmds = Vec::new();
                for c in text.chars().filter(|c| !c.is_control()) {
                    cmds = finder::act(app, Action::Insert(c));
                }
                return cmds;
            }
            Vec::new()
        }
        Msg::Tick => {
            if app.busy() {
                app.spinner = app.spinner.wrapping_add(1);
            }
            Vec::new()
        }
        Msg::Resize => Vec::new(),
        Msg::Connected(info) => {
            app.pool = info.pool.clone();
            app.session = Some(info);
            Vec::new()
        }
        Msg::SearchDone { id, results } => {
            finder::search_done(app, id, results);
            Vec::new()
        }
        Msg::BrowsePage { id, result } => {
            finder::browse_page(app, id, result);
            Vec::new()
        }
        Msg::LoadAllDone { id, result } => {
            finder::load_all_done(app, id, result);
            Vec::new()
        }
        Msg::PoolsPage { id, result } => finder::pools_page(app, id, result),
        Msg::Throttle(throttle) => {
            app.throttle = throttle;
            Vec::new()
        }
        Msg::LookupDone { id, result } => {
            if app.pending.as_ref().is_none_or(|p| p.id != id) {
                tracing::debug!(id, "dropping a superseded lookup result");
                return Vec::new();
            }
            let pending = app.pending.take().expect("checked above");
            match result {
                Ok(LookupOutcome::Found(found)) => {
                    let same_user = app
                        .user
                        .as_ref()
                        .is_some_and(|l| l.found.user.username == found.user.username);
                    if !same_user {
                        app.cursors = [0; 6];
                        app.attr_filter.clear();
                        app.lists = Lists::default();
                    }
                    app.revealed = None;
                    let entry = recent_entry(&found.user);
                    app.recent.retain(|e| e.username != entry.username);
                    app.recent.insert(0, entry);
                    app.recent.truncate(RECENT_MAX);
                    app.user = Some(Loaded {
                        found: *found,
                        query: pending.query,
                        mode: pending.mode,
                    });
                    for pane in Pane::ALL {
                        let len = app.rows(pane).len();
                        let c = &mut app.cursors[pane.index()];
                        *c = (*c).min(len.saturating_sub(1));
                    }
                    app.error = None;
                    if same_user && app.notice.is_none() {
                        app.notice = Some("refreshed".into());
                    }
                    // A list pane that is open shows the new user's list.
                    let focus = app.focus;
                    return open_list(app, focus, false);
                }
                Ok(LookupOutcome::Ambiguous(ambiguous)) => {
                    app.overlay = Overlay::Picker {
                        ambiguous,
                        cursor: 0,
                    };
                }
                Err(err) => app.error = Some(error_view(app, err)),
            }
            Vec::new()
        }
        Msg::ListDone { id, result } => {
            list_done(app, id, result);
            Vec::new()
        }
        Msg::WriteDone { id, result } => {
            let Some(write) = app.writing.take_if(|w| w.id == id) else {
                return Vec::new();
            };
            match result {
                Ok(()) => {
                    app.notice = Some(format!(
                        "✓ {} {} in {}",
                        done_phrase(&write.action),
                        sanitize(&write.username),
                        sanitize(app.pool_name())
                    ));
                    // One AdminGetUser shows the user as the action left them.
                    let id = app.next_request_id();
                    app.pending = Some(Pending {
                        id,
                        query: write.username.clone(),
                        mode: LookupMode::Username,
                    });
                    return vec![Cmd::Lookup {
                        id,
                        query: write.username,
                        mode: LookupMode::Username,
                    }];
                }
                Err(e) => app.error = Some(cognito_error_view(app, &e)),
            }
            Vec::new()
        }
        Msg::AuditFailed(message) => {
            app.error = Some(ErrorView {
                title: "Audit log not written".into(),
                exception: None,
                message: sanitize(&message).into_owned(),
                hint: Some(
                    "the audit trail is incomplete; fix the file (disk full? permissions?) \
                     or quit"
                        .into(),
                ),
            });
            Vec::new()
        }
    }
}

fn input_mut(overlay: &mut Overlay) -> Option<&mut LineInput> {
    match overlay {
        Overlay::Lookup { input, .. }
        | Overlay::Filter { input }
        | Overlay::Recent { input, .. }
        | Overlay::Confirm { input, .. } => Some(input),
        _ => None,
    }
}

/// Live effects of editing: the attribute filter applies as you type; the recent list
/// jumps back to its best match.
fn after_edit(app: &mut App) {
    match &mut app.overlay {
        Overlay::Filter { input } => {
            app.attr_filter = input.text.clone();
            app.cursors[Pane::Attributes.index()] = 0;
        }
        Overlay::Recent { cursor, .. } => *cursor = 0,
        _ => {}
    }
}

fn act(app: &mut App, action: Action) -> Vec<Cmd> {
    if action == Action::ForceQuit {
        app.should_quit = true;
        return Vec::new();
    }
    match app.context() {
        Context::Main | Context::Global => act_main(app, action),
        Context::Finder => finder::act(app, action),
        Context::Input => act_input(app, action),
        Context::List => act_picker(app, action),
        Context::Help => {
            if let Overlay::Help { scroll } = &mut app.overlay {
                match action {
                    Action::Up => *scroll = scroll.saturating_sub(1),
                    Action::Down => *scroll = scroll.saturating_add(1),
                    _ => app.overlay = Overlay::None,
                }
            }
            Vec::new()
        }
        Context::Hatch => {
            if let Overlay::Hatch { command, url } = &app.overlay {
                let text = match action {
                    Action::Copy => command.clone(),
                    Action::CopyUrl => url.clone(),
                    _ => {
                        app.overlay = Overlay::None;
                        return Vec::new();
                    }
                };
                app.notice = Some(copied_notice(&text));
                return vec![Cmd::Copy(text)];
            }
            Vec::new()
        }
        Context::Menu => act_menu(app, action),
        Context::Confirm => act_confirm(app, action),
        Context::Detail => {
            if let Overlay::Detail { scroll, copy, .. } = &mut app.overlay {
                match action {
                    Action::Up => *scroll = scroll.saturating_sub(1),
                    Action::Down => *scroll = scroll.saturating_add(1),
                    Action::Copy => {
                        let text = copy.clone();
                        app.notice = Some(copied_notice(&text));
                        return vec![Cmd::Copy(text)];
                    }
                    _ => app.overlay = Overlay::None,
                }
            }
            Vec::new()
        }
    }
}

fn copied_notice(text: &str) -> String {
    let n = text.chars().count();
    format!(
        "copied {n} character{} to the clipboard (OSC 52)",
        if n == 1 { "" } else { "s" }
    )
}

fn act_main(app: &mut App, action: Action) -> Vec<Cmd> {
    if matches!(action, Action::OpenLookup(_) | Action::Recent) && !app.has_pool() {
        app.notice = Some("choose a user pool first".into());
        return app.open_pools();
    }
    match action {
        Action::Quit => app.should_quit = true,
        Action::OpenLookup(mode) => {
            app.error = None;
            app.notice = None;
            app.overlay = Overlay::Lookup {
                mode,
                input: LineInput::default(),
            };
        }
        Action::FocusNext | Action::FocusPrev => {
            let i = app.focus.index();
            let n = Pane::ALL.len();
            let next = if action == Action::FocusNext {
                (i + 1) % n
            } else {
                (i + n - 1) % n
            };
            app.focus = Pane::ALL[next];
            app.revealed = None;
            let focus = app.focus;
            return open_list(app, focus, false);
        }
        Action::FocusPane(i) => {
            if let Some(pane) = Pane::ALL.get(i) {
                app.focus = *pane;
                app.revealed = None;
                return open_list(app, *pane, false);
            }
        }
        Action::Up
        | Action::Down
        | Action::PageUp
        | Action::PageDown
        | Action::Top
        | Action::Bottom => app.move_cursor(action),
        Action::Open => {
            if app.error.take().is_some() {
                return Vec::new();
            }
            if let Some(row) = app.selected_row() {
                app.overlay = Overlay::Detail {
                    title: row.label,
                    text: row.detail,
                    copy: row.copy,
                    scroll: 0,
                };
            }
        }
        Action::Copy => match app.selected_row() {
            Some(row) => {
                app.notice = Some(format!("{}: {}", row.label, copied_notice(&row.copy)));
                return vec![Cmd::Copy(row.copy)];
            }
            None => app.notice = Some("nothing to copy: look a user up first (/)".into()),
        },
        Action::Refresh if app.focus.list().is_some() && app.user.is_some() => {
            let focus = app.focus;
            return open_list(app, focus, true);
        }
        Action::Refresh => match &app.user {
            Some(loaded) => {
                let username = loaded.found.user.username.clone();
                return vec![app.start_lookup(&username, LookupMode::Username)];
            }
            None => app.notice = Some("nothing to refresh: look a user up first (/)".into()),
        },
        Action::Filter => {
            app.focus = Pane::Attributes;
            app.overlay = Overlay::Filter {
                input: LineInput::with_text(&app.attr_filter),
            };
        }
        Action::Recent => {
            if app.recent.is_empty() {
                app.notice = Some("no lookups yet in this session".into());
            } else {
                app.overlay = Overlay::Recent {
                    input: LineInput::default(),
                    cursor: 0,
                };
            }
        }
        Action::Help => app.overlay = Overlay::Help { scroll: 0 },
        Action::Search | Action::Browse | Action::LoadAll | Action::Pools => {
            return finder::open(app, action);
        }

        Action::Privacy => {
            app.redact = !app.redact;
            app.revealed = None;
            app.notice = Some(if app.redact {
                "privacy mode on: personal values are masked (v reveals the selected one)".into()
            } else {
                "privacy mode off".into()
            });
        }
        Action::Reveal => {
            if app.selected_is_masked() {
                app.revealed = Some((app.focus, app.cursor(app.focus)));
                app.notice = Some("revealed until the selection moves".into());
            } else if !app.redact {
                app.notice = Some("nothing is masked: privacy mode is off (p)".into());
            } else {
                app.notice = Some("the selected value is not masked".into());
            }
        }
        Action::EscapeHatch => {
            let (Some(loaded), Some(session)) = (&app.user, &app.session) else {
                app.notice = Some("look a user up first (/)".into());
                return Vec::new();
            };
            let username = &loaded.found.user.username;
            let command = sanitize(&aws_command(session, &session.pool, username)).into_owned();
            let url = console_url(session, &session.pool, username)
                .map(|u| sanitize(&u).into_owned())
                .unwrap_or_else(|| "(no console address: the Region is not known)".into());
            app.notice = Some(format!("aws command: {}", copied_notice(&command)));
            app.overlay = Overlay::Hatch {
                command: command.clone(),
                url,
            };
            return vec![Cmd::Copy(command)];
        }
        Action::Actions if app.allow_write => {
            if app.user.is_none() {
                app.notice = Some("look a user up first (/)".into());
            } else if app.writing.is_some() {
                app.notice = Some("an action is still running".into());
            } else {
                app.overlay = Overlay::Actions { cursor: 0 };
            }
        }
        // Esc peels one layer: the error, else the notice, else the attribute filter.
        Action::Cancel if app.error.take().is_none() && app.notice.take().is_none() => {
            app.attr_filter.clear();
        }
        _ => {}
    }
    Vec::new()
}

fn act_input(app: &mut App, action: Action) -> Vec<Cmd> {
    if let Some(input) = input_mut(&mut app.overlay)
        && input.edit(action)
    {
        after_edit(app);
        return Vec::new();
    }
    match (&mut app.overlay, action) {
        (Overlay::Lookup { .. }, Action::Cancel) => app.overlay = Overlay::None,
        (Overlay::Lookup { mode, input }, Action::Submit) => {
            let mode = *mode;
            let query = match lookup::validate_query(&input.text) {
                Ok(q) => q,
                Err(message) => {
                    app.notice = Some(message);
                    return Vec::new();
                }
            };
            if mode == LookupMode::Sub && lookup::classify(&query) != QueryShape::Uuid {
                app.notice =
                    Some("a sub is a UUID such as 0f8fad5b-d9cb-469f-a165-70867728950e".into());
                return Vec::new();
            }
            app.overlay = Overlay::None;
            return vec![app.start_lookup(&query, mode)];
        }
        (Overlay::Filter { .. }, Action::Submit) => app.overlay = Overlay::None,
        (Overlay::Filter { .. }, Action::Cancel) => {
            app.attr_filter.clear();
            app.overlay = Overlay::None;
        }
        (Overlay::Recent { .. }, Action::Cancel) => app.overlay = Overlay::None,
        (Overlay::Confirm { .. }, Action::Cancel) => {
            app.overlay = Overlay::None;
            app.notice = Some("cancelled: nothing was changed".into());
        }
        (
            Overlay::Confirm {
                username, input, ..
            },
            Action::Submit,
        ) => {
            if input.text != *username {
                app.notice = Some(format!(
                    "type the username {} exactly to confirm, or Esc",
                    sanitize(username)
                ));
                return Vec::new();
            }
            return confirm(app);
        }
        (Overlay::Recent { .. }, Action::Up | Action::Down) => {
            let len = app.recent_matches().len();
            if let Overlay::Recent { cursor, .. } = &mut app.overlay {
                *cursor = move_in_list(*cursor, len, action);
            }
        }
        (Overlay::Recent { cursor, .. }, Action::Submit) => {
            let cursor = *cursor;
            let chosen = app.recent_matches().get(cursor).map(|e| e.username.clone());
            if let Some(username) = chosen {
                app.overlay = Overlay::None;
                return vec![app.start_lookup(&username, LookupMode::Username)];
            }
        }
        _ => {}
    }
    Vec::new()
}

fn act_menu(app: &mut App, action: Action) -> Vec<Cmd> {
    let actions = app.menu_actions();
    let Overlay::Actions { cursor } = &mut app.overlay else {
        return Vec::new();
    };
    match action {
        Action::Cancel => app.overlay = Overlay::None,
        Action::Submit => {
            let (Some(chosen), Some(loaded)) = (actions.get(*cursor), &app.user) else {
                return Vec::new();
            };
            app.overlay = Overlay::Confirm {
                action: chosen.clone(),
                username: loaded.found.user.username.clone(),
                input: LineInput::default(),
            };
        }
        other => *cursor = move_in_list(*cursor, actions.len(), other),
    }
    Vec::new()
}

fn act_confirm(app: &mut App, action: Action) -> Vec<Cmd> {
    match action {
        Action::Submit => confirm(app),
        _ => {
            app.overlay = Overlay::None;
            app.notice = Some("cancelled: nothing was changed".into());
            Vec::new()
        }
    }
}

/// The confirmed action goes to the worker (only ever with `--allow-write`).
fn confirm(app: &mut App) -> Vec<Cmd> {
    let Overlay::Confirm {
        action, username, ..
    } = std::mem::replace(&mut app.overlay, Overlay::None)
    else {
        return Vec::new();
    };
    if !app.allow_write {
        return Vec::new();
    }
    let sub = app
        .user
        .as_ref()
        .filter(|l| l.found.user.username == username)
        .and_then(|l| l.found.user.sub().map(str::to_string));
    let id = app.next_request_id();
    app.notice = Some(format!("{} {}…", action.operation(), sanitize(&username)));
    app.writing = Some(WritePending {
        id,
        action: action.clone(),
        username: username.clone(),
    });
    vec![Cmd::Write {
        id,
        action,
        username,
        sub,
    }]
}

fn act_picker(app: &mut App, action: Action) -> Vec<Cmd> {
    let Overlay::Picker { ambiguous, cursor } = &mut app.overlay else {
        return Vec::new();
    };
    match action {
        Action::Cancel => app.overlay = Overlay::None,
        Action::Submit => {
            if let Some(m) = ambiguous.matches.get(*cursor) {
                let username = m.username.clone();
                app.overlay = Overlay::None;
                return vec![app.start_lookup(&username, LookupMode::Username)];
            }
        }
        other => *cursor = move_in_list(*cursor, ambiguous.matches.len(), other),
    }
    Vec::new()
}
