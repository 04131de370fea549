//! The pool in use, in the model: [`PoolSession`], the part of [`App`] that owns the pool
//! and its session — its id, the worker's connection, whether writes are allowed there, its
//! name and what DescribeUserPool said, its groups, a write in flight, the rate limiter's
//! hold — and the switch to another (the old pool stays in use until the worker has checked
//! the new one), a lookup typed before any pool was chosen, and recent lookups kept per pool.

use std::collections::HashMap;

use super::{
    App, Cmd, ErrorView, ListState, Overlay, PoolEntry, PoolSettings, PoolSource, RecentEntry,
    RequestIds, SessionInfo, Throttle, cognito_error_view, cognito_error_view_in,
};
use crate::cognito::lookup::{Found, LookupMode, LookupOutcome};
use crate::cognito::{CognitoError, ErrorKind, PoolId, PoolSchema};
use crate::keymap::{Action, Context};
use crate::sanitize::sanitize;
use crate::session::SwitchError;

/// What the model knows about the pool in use, beyond its id.
#[derive(Debug, Clone, Default)]
pub struct PoolStatus {
    /// The pool's own name (DescribeUserPool, else ListUserPools), once known.
    pub name: Option<String>,
    /// What DescribeUserPool said against the pool in use; drawn on the first screen.
    pub problem: Option<ErrorView>,
    /// A switch sent to the worker and not answered yet; the old pool is in use meanwhile.
    pub switching: Option<Switching>,
    /// A lookup asked for before any pool was chosen; run once one is.
    pub deferred: Option<(String, LookupMode)>,
    /// Recent lookups of the other pools used in this session, by pool id.
    pub recent_elsewhere: HashMap<String, Vec<RecentEntry>>,
    /// The last lookup started, found or not: what `A` asks every named pool (a user not
    /// found here is the one most worth looking for elsewhere).
    pub last_query: Option<(String, LookupMode)>,
}

/// A pool switch in flight.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Switching {
    pub id: u64,
    /// The pool asked for (unsanitized), as the header shows it.
    pub label: String,
    /// Its name from the picker (ListUserPools), kept in case DescribeUserPool is refused.
    pub listed_name: Option<String>,
    /// What to show once the new pool is in use; dropped if the switch fails.
    pub then: Option<AfterSwitch>,
}

/// A user to show in the pool switched to (the all-pools popup's Enter).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AfterSwitch {
    /// A user that pool already answered with: shown as it came, without asking again (an
    /// AdminGetUser bills a monthly active user).
    Show {
        found: Box<Found>,
        query: String,
        mode: LookupMode,
    },
    /// A lookup to run there (one of an ambiguous pool's matches, by username).
    Lookup { query: String, mode: LookupMode },
}

impl AfterSwitch {
    /// Shows the user in the pool now in use.
    pub(super) fn run(self, app: &mut App) -> Vec<Cmd> {
        match self {
            Self::Lookup { query, mode } => vec![app.start_lookup(&query, mode)],
            Self::Show { found, query, mode } => {
                // The answer goes through the same path as a lookup's, so the screen, the
                // recent lookups and an open list pane follow as they would.
                let Cmd::Lookup { id, .. } = app.start_lookup(&query, mode) else {
                    unreachable!("start_lookup makes a lookup")
                };
                super::update(
                    app,
                    super::Msg::LookupDone {
                        id,
                        result: Ok(LookupOutcome::Found(found)),
                    },
                )
            }
        }
    }
}

/// The worker's answer to a switch: the new pool's session, and its description when the
/// caller may read it.
#[derive(Debug, Clone)]
pub struct Switched {
    pub info: SessionInfo,
    pub schema: Option<PoolSchema>,
    /// Writes are allowed in the new pool (`--allow-write`, or its `allow_write = true`).
    pub allow_write: bool,
}

/// A write action sent to the worker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WritePending {
    pub id: u64,
    pub write: crate::act::Write,
}

/// The pool in use and its session (see the module's comment). Its id changes only in
/// [`PoolSession::enter`], on the worker's answer to a switch.
#[derive(Debug, Clone)]
pub(crate) struct PoolSession {
    /// The pool as given on the command line (shown before the worker connects), then the
    /// one switched to; empty until one is chosen.
    pool: String,
    session: Option<SessionInfo>,
    /// Writes are allowed in this pool: `--allow-write`, or its `allow_write = true`.
    allow_write: bool,
    /// The pool's settings (DescribeUserPool), for the sign-in diagnosis.
    settings: PoolSettings,
    /// Its name, problems, a switch in flight, other pools' recents.
    status: PoolStatus,
    /// The pool's groups, fetched when the add-to-group picker first opens.
    groups: ListState,
    /// A write action in flight.
    writing: Option<WritePending>,
    /// Requests held back by the rate limiter, for the header.
    throttle: Option<Throttle>,
}

impl PoolSession {
    /// `pool` (empty: none chosen yet), writes allowed there or not.
    pub(crate) fn new(pool: &str, allow_write: bool) -> Self {
        Self {
            pool: pool.to_string(),
            session: None,
            allow_write,
            settings: PoolSettings::Pending,
            status: PoolStatus::default(),
            groups: ListState::NotLoaded,
            writing: None,
            throttle: None,
        }
    }

    /// The id of the pool in use ("" before one is chosen).
    pub(crate) fn id(&self) -> &str {
        &self.pool
    }

    /// Whether a pool has been chosen (the TUI can start without one).
    pub(crate) fn chosen(&self) -> bool {
        !self.pool.is_empty()
    }

    /// The worker's connection to the pool, once connected.
    pub(crate) fn session(&self) -> Option<&SessionInfo> {
        self.session.as_ref()
    }

    /// Writes are allowed in the pool in use.
    pub(crate) fn allow_write(&self) -> bool {
        self.allow_write
    }

    /// The pool's settings, for the sign-in diagnosis.
    pub(crate) fn settings(&self) -> &PoolSettings {
        &self.settings
    }

    /// Its name, problems, a switch in flight.
    pub(crate) fn status(&self) -> &PoolStatus {
        &self.status
    }

    /// The pool's groups, for the add-to-group picker.
    pub(crate) fn groups(&self) -> &ListState {
        &self.groups
    }

    /// The write in flight.
    pub(crate) fn writing(&self) -> Option<&WritePending> {
        self.writing.as_ref()
    }

    /// Requests held back by the rate limiter.
    pub(crate) fn throttle(&self) -> Option<Throttle> {
        self.throttle
    }

    /// `name (id)`, or the id alone while the name is unknown (unsanitized).
    pub(crate) fn label(&self) -> String {
        pool_label(self.status.name.as_deref(), &self.pool)
    }

    /// Whether a write, the pool's groups or a switch is in flight.
    pub(crate) fn busy(&self) -> bool {
        self.writing.is_some()
            || matches!(self.groups, ListState::Loading { .. })
            || self.status.switching.is_some()
    }

    /// Why no write may start now, if one may not: writes are off for this pool, a pool
    /// switch is in flight (the user on screen is about to change), or a write is running.
    pub(crate) fn write_refusal(&self) -> Option<String> {
        if !self.allow_write {
            return Some(super::WRITES_OFF.into());
        }
        if let Some(switching) = &self.status.switching {
            return Some(format!(
                "switching to {}: actions wait until the switch is done",
                sanitize(&switching.label)
            ));
        }
        if self.writing.is_some() {
            return Some("an action is still running".into());
        }
        None
    }

    /// The worker connected: its session, if it is for the pool in use (the start-up one;
    /// the pool in use changes only on a switch). Whether it was.
    pub(crate) fn connected(&mut self, info: SessionInfo) -> bool {
        let ours = info.pool == self.pool;
        if ours {
            self.session = Some(info);
        }
        ours
    }

    /// The rate limiter's hold changed.
    pub(crate) fn set_throttle(&mut self, throttle: Option<Throttle>) {
        self.throttle = throttle;
    }

    /// A lookup started: what `A` asks every named pool (found or not).
    pub(crate) fn set_last_query(&mut self, query: &str, mode: LookupMode) {
        self.status.last_query = Some((query.to_string(), mode));
    }

    /// The write `id` is sent.
    pub(crate) fn start_write(&mut self, id: u64, write: crate::act::Write) {
        self.writing = Some(WritePending { id, write });
    }

    /// The write `id` finished (None: not the one in flight).
    pub(crate) fn take_write(&mut self, id: u64) -> Option<WritePending> {
        self.writing.take_if(|w| w.id == id)
    }

    /// Forgets the write in flight (the worker has stopped).
    pub(crate) fn drop_write(&mut self) {
        self.writing = None;
    }

    /// Asks for the pool's groups unless they are loaded or loading (again after a failure).
    pub(crate) fn open_groups(&mut self, ids: &mut RequestIds) -> Option<Cmd> {
        if !matches!(self.groups, ListState::NotLoaded | ListState::Failed(_)) {
            return None;
        }
        let id = ids.next();
        self.groups = ListState::Loading { id };
        Some(Cmd::FetchPoolGroups { id })
    }

    /// Whether the groups fetch `id` is still awaited.
    pub(crate) fn groups_awaited(&self, id: u64) -> bool {
        self.groups == (ListState::Loading { id })
    }

    /// The pool's groups as the picker shows them.
    pub(crate) fn set_groups(&mut self, groups: ListState) {
        self.groups = groups;
    }

    /// DescribeUserPool's settings for `pool`, if it is the pool in use (the diagnosis reads
    /// this same answer: it costs no request of its own).
    pub(crate) fn described(&mut self, pool: &str, schema: Option<&PoolSchema>) {
        if pool == self.pool {
            self.settings = PoolSettings::from_answer(schema);
        }
    }

    /// The pool in use is being left for another: its recent lookups are kept for coming
    /// back, and its groups are forgotten (the add-to-group picker lists the new pool's).
    fn leave(&mut self, recent: Vec<RecentEntry>) {
        if self.chosen() && !recent.is_empty() {
            self.status
                .recent_elsewhere
                .insert(self.pool.clone(), recent);
        }
        self.groups = ListState::NotLoaded;
    }

    /// The checked pool becomes the pool in use, with its own write permission (the one
    /// setting a switch changes); the recent lookups kept from an earlier visit to it.
    fn enter(&mut self, switched: Switched, listed_name: Option<String>) -> Vec<RecentEntry> {
        self.pool = switched.info.pool.clone();
        let recent = self.status.recent_elsewhere.remove(&self.pool);
        self.session = Some(switched.info);
        self.status.name = switched.schema.and_then(|s| s.name).or(listed_name);
        self.status.problem = None;
        self.allow_write = switched.allow_write;
        recent.unwrap_or_default()
    }
}

/// `name (id)`, or the id alone while the name is unknown (unsanitized).
pub fn pool_label(name: Option<&str>, id: &str) -> String {
    match name.filter(|n| !n.is_empty() && *n != id) {
        Some(name) => format!("{name} ({id})"),
        None => id.to_string(),
    }
}

/// The pool id in `text`: a pool id itself, or one inside a pasted console address
/// (`…/user-pools/eu-west-1_AbC123/users?region=…`, or the old console's `#/pool/ID/…`).
pub fn typed_pool_id(text: &str) -> Option<PoolId> {
    let text = text.trim();
    if let Ok(id) = PoolId::parse(text) {
        return Some(id);
    }
    if !text.contains("console.aws") {
        return None;
    }
    text.split(['/', '?', '#', '&', '='])
        // A Region such as `us-east-1` has no `_`; a pool id needs one.
        .filter(|part| part.contains('_') && !part.contains('.'))
        .find_map(|part| PoolId::parse(part).ok())
}

impl App {
    /// The pool in use as every screen names it: `name (id)` (unsanitized).
    pub fn pool_label(&self) -> String {
        self.pool.label()
    }

    /// The pool the picker's input names by id (typed or pasted), when no entry has it.
    pub fn typed_pool(&self) -> Option<PoolEntry> {
        let id = typed_pool_id(&self.finders.pools().input.text)?;
        let known = (self.finders.pools().entries)
            .iter()
            .any(|p| p.id == id.as_str());
        (!known).then(|| PoolEntry {
            name: String::new(),
            id: id.to_string(),
            source: PoolSource::Typed,
        })
    }

    /// Runs a lookup, or with no pool chosen yet keeps it for the pool the picker chooses.
    pub fn submit_lookup(&mut self, query: &str, mode: LookupMode) -> Vec<Cmd> {
        if let Some(switching) = &self.pool.status.switching {
            self.layers.say(format!(
                "switching to {}: look up once the switch is done",
                sanitize(&switching.label)
            ));
            return Vec::new();
        }
        if self.has_pool() {
            return vec![self.start_lookup(query, mode)];
        }
        self.pool.status.deferred = Some((query.to_string(), mode));
        let cmds = self.open_pools();
        self.layers.say(format!(
            "choose a user pool to look up {:?} in",
            sanitize(&crate::redact::shown_query(self.redact, query))
        ));
        cmds
    }
}

/// Asks the worker for `entry`'s pool. Nothing of the pool in use changes until the worker
/// answers: a pool that can't be used leaves the session where it was.
pub(super) fn switch_pool(app: &mut App, entry: PoolEntry) -> Vec<Cmd> {
    switch_pool_then(app, entry, None)
}

/// [`switch_pool`], then `then` once the new pool is in use.
pub(super) fn switch_pool_then(
    app: &mut App,
    entry: PoolEntry,
    then: impl Into<Option<AfterSwitch>>,
) -> Vec<Cmd> {
    // Its outcome, and the refresh after it, belong to the pool it was sent to.
    if app.pool.writing.is_some() {
        app.layers
            .say("an action is still running: switch pools when it is done");
        return Vec::new();
    }
    let id = app.next_request_id();
    let label = match entry.source {
        PoolSource::Named => format!("{} ({})", entry.name, entry.id),
        PoolSource::Listed => pool_label(Some(&entry.name), &entry.id),
        PoolSource::Typed => entry.id.clone(),
    };
    app.pool.status.switching = Some(Switching {
        id,
        label,
        listed_name: (entry.source == PoolSource::Listed).then(|| entry.name.clone()),
        then: then.into(),
    });
    app.finders.close();
    app.layers.quiet();
    vec![Cmd::SwitchPool {
        id,
        pool: match entry.source {
            // The name carries the profile, Region and endpoint of the config file.
            PoolSource::Named => entry.name,
            PoolSource::Listed | PoolSource::Typed => entry.id,
        },
    }]
}

/// The worker's answer to [`Cmd::SwitchPool`]. On success everything of the old pool is put
/// away (its recent lookups kept for coming back) and the worker is told to commit; on
/// failure the old pool stays, with the reason on screen. This is the one place the pool in
/// use changes.
pub(super) fn pool_switched(
    app: &mut App,
    id: u64,
    result: Result<Switched, SwitchError>,
) -> Vec<Cmd> {
    let Some(switching) = app.pool.status.switching.take_if(|s| s.id == id) else {
        tracing::debug!(id, "dropping the answer to a superseded pool switch");
        return Vec::new();
    };
    let switched = match result {
        Ok(switched) => switched,
        Err(e) => {
            switch_refused(app, &switching, &e);
            return Vec::new();
        }
    };
    let settings = PoolSettings::from_answer(switched.schema.as_ref());
    let mut cmds = leave_old_pool(app);
    enter_new_pool(app, switched, switching.listed_name);
    // The new pool's settings count before the user the switch brings is shown: an open
    // Sign-ins pane asks the new pool, not the old one's "no threat protection".
    app.pool.settings = settings;
    // From here on the worker sends every request to the new pool: commands before this one
    // were made for the old pool and go there.
    cmds.push(Cmd::UsePool { id });
    if let Some((query, mode)) = app.pool.status.deferred.take() {
        cmds.push(app.start_lookup(&query, mode));
    }
    if let Some(then) = switching.then {
        cmds.extend(then.run(app));
    }
    cmds
}

/// The switch failed: the old pool stays, and the screen says why.
fn switch_refused(app: &mut App, switching: &Switching, e: &SwitchError) {
    let mut view = match e {
        SwitchError::Pool { info, error } => cognito_error_view_in(info, error),
        SwitchError::Target(e) => ErrorView {
            title: "Pool not usable".into(),
            exception: None,
            message: sanitize(&e.to_string()).into_owned(),
            hint: None,
        },
    };
    view.title = format!("Still on {}", sanitize(&app.pool_label()));
    view.message = format!(
        "could not switch to {}: {}",
        sanitize(&switching.label),
        view.message
    );
    offer_the_picker(app, &mut view);
    app.layers.fail(view);
}

/// Puts away everything of the pool in use (its recent lookups kept for coming back); the
/// commands that stop its work.
fn leave_old_pool(app: &mut App) -> Vec<Cmd> {
    let old = app.user.leave_pool();
    app.pool.leave(old);
    let mut cmds = Vec::new();
    if let Some(load) = app.finders.leave_pool() {
        cmds.push(Cmd::CancelLoadAll { id: load });
    }
    cmds.push(Cmd::CancelSearch);
    // What was open about the old pool's user goes: a menu or confirmation open now would
    // name a user who is no longer on screen.
    if matches!(
        app.layers.overlay(),
        Overlay::Picker { .. }
            | Overlay::Recent { .. }
            | Overlay::Actions { .. }
            | Overlay::Groups { .. }
            | Overlay::Confirm { .. }
    ) {
        app.layers.close();
    }
    cmds
}

/// The checked pool becomes the pool in use, with its own write permission.
fn enter_new_pool(app: &mut App, switched: Switched, listed_name: Option<String>) {
    let recent = app.pool.enter(switched, listed_name);
    app.user.enter_pool(recent);
    app.layers.clear_error();
    app.layers
        .say(format!("switched to {}", sanitize(&app.pool_label())));
}

/// DescribeUserPool's answer for the pool in use (sent once the worker has connected).
pub(super) fn pool_described(app: &mut App, pool: &str, result: Result<PoolSchema, CognitoError>) {
    app.pool.described(pool, result.as_ref().ok());
    if pool != app.pool.id() {
        return;
    }
    match result {
        Ok(schema) => {
            let status = &mut app.pool.status;
            status.name = schema.name.or(status.name.take());
            status.problem = None;
        }
        Err(e) => {
            let mut view = cognito_error_view(app, &e);
            let what = match e.kind {
                ErrorKind::PoolNotFound => "Pool not found".to_string(),
                ErrorKind::AccessDenied => "Pool not checked".to_string(),
                _ => "Pool not reachable".to_string(),
            };
            view.title = format!("{what}: {}", sanitize(&app.pool_label()));
            offer_the_picker(app, &mut view);
            app.pool.status.problem = Some(view);
        }
    }
}

/// Ends the hint with the way out: another pool, by the key bound to the picker.
fn offer_the_picker(app: &App, view: &mut ErrorView) {
    let hint = view
        .hint
        .take()
        .map(|h| format!("{h}; "))
        .unwrap_or_default();
    let key = app.keymap().label(Context::Main, Action::Pools);
    view.hint = Some(format!("{hint}{key} chooses another pool"));
}
