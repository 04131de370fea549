//! The pool in use, in the model: its name, what DescribeUserPool said about it at start-up,
//! switching to another (the old pool stays in use until the worker has checked the new one),
//! a lookup typed before any pool was chosen, and recent lookups kept per pool.

use std::collections::HashMap;

use super::{
    App, BrowseState, Cmd, ErrorView, Overlay, PoolEntry, PoolSource, RecentEntry, SearchState,
    SessionInfo, cognito_error_view, cognito_error_view_in,
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
        pool_label(self.pool_status.name.as_deref(), self.pool_name())
    }

    /// The pool the picker's input names by id (typed or pasted), when no entry has it.
    pub fn typed_pool(&self) -> Option<PoolEntry> {
        let id = typed_pool_id(&self.finders.pools.input.text)?;
        let known = self
            .finders
            .pools
            .entries
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
        if let Some(switching) = &self.pool_status.switching {
            self.notice = Some(format!(
                "switching to {}: look up once the switch is done",
                sanitize(&switching.label)
            ));
            return Vec::new();
        }
        if self.has_pool() {
            return vec![self.start_lookup(query, mode)];
        }
        self.pool_status.deferred = Some((query.to_string(), mode));
        let cmds = self.open_pools();
        self.notice = Some(format!(
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
    if app.writing.is_some() {
        app.notice = Some("an action is still running: switch pools when it is done".into());
        return Vec::new();
    }
    let id = app.next_request_id();
    let label = match entry.source {
        PoolSource::Named => format!("{} ({})", entry.name, entry.id),
        PoolSource::Listed => pool_label(Some(&entry.name), &entry.id),
        PoolSource::Typed => entry.id.clone(),
    };
    app.pool_status.switching = Some(Switching {
        id,
        label,
        listed_name: (entry.source == PoolSource::Listed).then(|| entry.name.clone()),
        then: then.into(),
    });
    app.finders.open = None;
    app.notice = None;
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
    let Some(switching) = app.pool_status.switching.take_if(|s| s.id == id) else {
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
    let mut cmds = leave_old_pool(app);
    enter_new_pool(app, switched, switching.listed_name);
    // From here on the worker sends every request to the new pool: commands before this one
    // were made for the old pool and go there.
    cmds.push(Cmd::UsePool { id });
    if let Some((query, mode)) = app.pool_status.deferred.take() {
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
    app.error = Some(view);
}

/// Puts away everything of the pool in use (its recent lookups kept for coming back); the
/// commands that stop its work.
fn leave_old_pool(app: &mut App) -> Vec<Cmd> {
    let old = app.user.leave_pool();
    if app.has_pool() && !old.is_empty() {
        app.pool_status
            .recent_elsewhere
            .insert(app.pool.clone(), old);
    }
    let mut cmds = Vec::new();
    if let Some(load) = app.finders.browse.loading_all.take() {
        cmds.push(Cmd::CancelLoadAll { id: load });
    }
    cmds.push(Cmd::CancelSearch);
    // The add-to-group picker lists the new pool's groups.
    app.pool_groups = super::ListState::NotLoaded;
    app.finders.search = SearchState::default();
    app.finders.browse = BrowseState {
        search_attributes: std::mem::take(&mut app.finders.browse.search_attributes),
        ..BrowseState::default()
    };
    // What was open about the old pool's user goes: a menu or confirmation open now would
    // name a user who is no longer on screen.
    if matches!(
        app.overlay,
        Overlay::Picker { .. }
            | Overlay::Recent { .. }
            | Overlay::Actions { .. }
            | Overlay::Groups { .. }
            | Overlay::Confirm { .. }
    ) {
        app.overlay = Overlay::None;
    }
    cmds
}

/// The checked pool becomes the pool in use, with its own write permission.
fn enter_new_pool(app: &mut App, switched: Switched, listed_name: Option<String>) {
    app.pool = switched.info.pool.clone();
    let recent = app.pool_status.recent_elsewhere.remove(&app.pool);
    app.user.enter_pool(recent.unwrap_or_default());
    app.session = Some(switched.info);
    app.pool_status.name = switched.schema.and_then(|s| s.name).or(listed_name);
    app.pool_status.problem = None;
    // Writes follow the pool: `--allow-write`, or this pool's `allow_write = true`.
    // Writes follow the pool: the one setting a switch changes.
    app.settings.allow_write = switched.allow_write;
    app.error = None;
    app.notice = Some(format!("switched to {}", sanitize(&app.pool_label())));
}

/// DescribeUserPool's answer for the pool in use (sent once the worker has connected).
pub(super) fn pool_described(app: &mut App, pool: &str, result: Result<PoolSchema, CognitoError>) {
    if pool != app.pool {
        return;
    }
    match result {
        Ok(schema) => {
            app.pool_status.name = schema.name.or(app.pool_status.name.take());
            app.pool_status.problem = None;
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
            app.pool_status.problem = Some(view);
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
