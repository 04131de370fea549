//! Read-only access to the model, for the view and the tests: what they may read of `App`,
//! never a way to change it (changes come only through [`super::update`]).

use time::OffsetDateTime;

use super::{
    App, BrowseState, ErrorView, Finder, Keymap, LineInput, ListState, Lists, Loaded, Overlay,
    Pane, Pending, PoolSettings, PoolStatus, PoolsState, RecentEntry, SearchState, SessionInfo,
    Throttle, TimeZone, WritePending,
};

impl App {
    /// Running on the embedded demo pool.
    pub fn demo(&self) -> bool {
        self.settings.demo
    }

    /// Started with `--allow-write`.
    pub fn allow_write(&self) -> bool {
        self.pool.allow_write()
    }

    /// The key bindings in use.
    pub fn keymap(&self) -> &Keymap {
        &self.settings.keymap
    }

    /// Colours are drawn (false under NO_COLOR).
    pub fn color(&self) -> bool {
        self.settings.color
    }

    /// The zone times are shown in.
    pub fn tz(&self) -> TimeZone {
        self.settings.tz
    }

    /// The time ages are measured from.
    pub fn now(&self) -> OffsetDateTime {
        self.now
    }

    /// The worker's connection, once it has connected.
    pub fn session(&self) -> Option<&SessionInfo> {
        self.pool.session()
    }

    /// The user on screen.
    pub fn user(&self) -> Option<&Loaded> {
        self.user.loaded()
    }

    /// The newest lookup's query, when it failed with a user still shown, and whether it
    /// found no one.
    pub fn failed_lookup(&self) -> Option<&(String, bool)> {
        self.user.failed_lookup()
    }

    /// The pane with the focus.
    pub fn focus(&self) -> Pane {
        self.user.focus()
    }

    /// The loaded user's list panes.
    pub fn lists(&self) -> &Lists {
        self.user.lists()
    }

    /// The write action in flight.
    pub fn writing(&self) -> Option<&WritePending> {
        self.pool.writing()
    }

    /// The pool's groups for the add-to-group picker.
    pub fn pool_groups(&self) -> &ListState {
        self.pool.groups()
    }

    /// Privacy mode is on.
    pub fn redact(&self) -> bool {
        self.redact
    }

    /// The one row shown unmasked in privacy mode.
    pub fn revealed(&self) -> Option<(Pane, usize)> {
        self.user.revealed()
    }

    /// The attribute filter.
    pub fn attr_filter(&self) -> &str {
        self.user.attr_filter()
    }

    /// The popup, if any.
    pub fn overlay(&self) -> &Overlay {
        self.layers.overlay()
    }

    /// The lookup in flight.
    pub fn pending(&self) -> Option<&Pending> {
        self.user.pending()
    }

    /// The error popup, if any.
    pub fn error(&self) -> Option<&ErrorView> {
        self.layers.error()
    }

    /// The bar's one-line message.
    pub fn notice(&self) -> Option<&str> {
        self.layers.notice()
    }

    /// The session's lookups, newest first.
    pub fn recent(&self) -> &[RecentEntry] {
        self.user.recent()
    }

    /// The spinner's frame.
    pub fn spinner(&self) -> usize {
        self.spinner
    }

    /// The user asked to quit.
    pub fn should_quit(&self) -> bool {
        self.should_quit
    }

    /// The finder that has the screen.
    pub fn finder(&self) -> Option<Finder> {
        self.finders.open()
    }

    /// Type-ahead search.
    pub fn search(&self) -> &SearchState {
        self.finders.search()
    }

    /// Browsing the pool.
    pub fn browse(&self) -> &BrowseState {
        self.finders.browse()
    }

    /// The pool picker.
    pub fn pools(&self) -> &PoolsState {
        self.finders.pools()
    }

    /// Requests held back by the rate limiter.
    pub fn throttle(&self) -> Option<Throttle> {
        self.pool.throttle()
    }

    /// The pool's settings, for the sign-in diagnosis.
    pub fn pool_settings(&self) -> &PoolSettings {
        self.pool.settings()
    }

    /// The search reopened on its last query, shown selected (typing replaces it).
    pub fn query_selected(&self) -> bool {
        self.finders.query_selected()
    }

    /// Why the audit syslog receiver is not taking lines, if it is not.
    pub fn syslog_down(&self) -> Option<&str> {
        self.layers.syslog_down()
    }

    /// The export file name being typed.
    pub fn export_prompt(&self) -> Option<&LineInput> {
        self.finders.export_prompt()
    }

    /// The list export in flight: its id and file.
    pub fn exporting(&self) -> Option<&(u64, String)> {
        self.finders.exporting()
    }

    /// The terminal's (columns, rows).
    pub fn screen(&self) -> (u16, u16) {
        self.screen
    }

    /// The pool in use: its name, problems, a switch in flight.
    pub fn pool_status(&self) -> &PoolStatus {
        self.pool.status()
    }
}
