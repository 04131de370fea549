//! "Which pool is this user in?" in the TUI: the current lookup run in every named pool of
//! the config at once (by the worker, each pool with its own profile, Region and limiter),
//! one row per pool filled in as its answer comes, and Enter on a hit opens it in its pool
//! through the checked pool switch.

use super::pools::{AfterSwitch, switch_pool_then};
use super::{
    App, Cmd, ErrorView, LineInput, Overlay, PoolEntry, PoolSource, SessionInfo, move_in_list,
};
use crate::cognito::ErrorKind;
use crate::cognito::lookup::{self, Ambiguous, Found, LookupError, LookupMode, LookupOutcome};
use crate::keymap::Action;
use crate::sanitize::sanitize;

/// The all-pools popup: what was asked, and each named pool's answer so far.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AllPools {
    /// The request id of this run (0 while the query is still being typed).
    pub id: u64,
    pub query: String,
    pub mode: LookupMode,
    /// One per named pool, in config order.
    pub rows: Vec<PoolRow>,
    pub cursor: usize,
    /// The query being typed, when there was no lookup to take it from.
    pub input: Option<LineInput>,
    /// Choosing among an ambiguous pool's matches: (its row, the selected match).
    pub picking: Option<(usize, usize)>,
    /// The single lookup's ambiguous answer that came while the popup was open: its picker
    /// waits behind the popup and shows when Esc closes it.
    pub behind: Option<Ambiguous>,
}

/// One named pool's line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoolRow {
    /// The config's name for it (`[pools.NAME]`).
    pub name: String,
    pub pool_id: String,
    pub result: PoolResult,
}

/// A pool's answer (unsanitized; the view sanitizes and masks).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PoolResult {
    /// Asked, not answered yet (the spinner).
    Pending,
    Found(Box<Found>),
    NotFound,
    Ambiguous(Ambiguous),
    /// The lookup failed there: access denied, no such pool, a name that can't be used…
    Failed {
        /// A few words for the row (`access denied`, `pool not found`, …).
        reason: &'static str,
        /// The whole error, for the selected row.
        error: ErrorView,
    },
}

impl AllPools {
    /// Whether any pool has not answered yet.
    pub fn in_flight(&self) -> bool {
        self.id != 0 && self.rows.iter().any(|r| r.result == PoolResult::Pending)
    }

    /// How many pools found the user (an ambiguous pool counts: the user may be there).
    pub fn hits(&self) -> usize {
        (self.rows.iter())
            .filter(|r| matches!(r.result, PoolResult::Found(_) | PoolResult::Ambiguous(_)))
            .count()
    }
}

/// `A`: the current query (the lookup in flight, else the last one, found or not, else the
/// user's on screen) in every named pool; with none, a line to type one.
pub(super) fn open(app: &mut App) -> Vec<Cmd> {
    app.layers.clear();
    let current = (app.user.pending().map(|p| (p.query.clone(), p.mode)))
        .or_else(|| app.pool.status().last_query.clone())
        .or_else(|| (app.user.loaded()).map(|l| (l.query.clone(), l.mode)));
    let mut all = AllPools::default();
    match current {
        Some((query, mode)) if !named_pools(app).is_empty() => {
            let cmd = start(app, &mut all, query, mode);
            app.layers.open(Overlay::AllPools(Box::new(all)));
            vec![cmd]
        }
        // No named pools: the popup says how to name them.
        Some((query, mode)) => {
            all.query = query;
            all.mode = mode;
            app.layers.open(Overlay::AllPools(Box::new(all)));
            Vec::new()
        }
        None => {
            all.input = Some(LineInput::default());
            app.layers.open(Overlay::AllPools(Box::new(all)));
            Vec::new()
        }
    }
}

/// The config's named pools: (name, pool id), in config order.
fn named_pools(app: &App) -> Vec<(String, String)> {
    (app.finders.pools().entries.iter())
        .filter(|p| p.source == PoolSource::Named)
        .map(|p| (p.name.clone(), p.id.clone()))
        .collect()
}

/// Starts the run of `query` in every named pool; every row waits for its answer.
fn start(app: &mut App, all: &mut AllPools, query: String, mode: LookupMode) -> Cmd {
    let id = app.next_request_id();
    let pools = named_pools(app);
    // A typed query becomes the current one: A asks it again.
    app.pool.set_last_query(&query, mode);
    all.id = id;
    all.query = query.clone();
    all.mode = mode;
    all.cursor = 0;
    all.picking = None;
    all.input = None;
    all.rows = (pools.iter())
        .map(|(name, pool_id)| PoolRow {
            name: name.clone(),
            pool_id: pool_id.clone(),
            result: PoolResult::Pending,
        })
        .collect();
    Cmd::LookupAllPools {
        id,
        query,
        mode,
        pools: pools.into_iter().map(|(name, _)| name).collect(),
    }
}

/// One pool's answer to [`Cmd::LookupAllPools`] `id`; an answer to a run the popup no longer
/// shows is dropped. `session` says where the request went (None: the pool was not usable).
pub(super) fn pool_done(
    app: &mut App,
    id: u64,
    pool: &str,
    session: Option<SessionInfo>,
    result: Result<LookupOutcome, LookupError>,
) {
    let Overlay::AllPools(all) = app.layers.overlay_mut() else {
        tracing::debug!(id, "dropping an all-pools answer: the popup is closed");
        return;
    };
    if all.id != id {
        tracing::debug!(id, "dropping an answer to a superseded all-pools run");
        return;
    }
    let Some(row) = all.rows.iter_mut().find(|r| r.name == pool) else {
        return;
    };
    if let Some(info) = &session {
        row.pool_id = info.pool.clone();
    }
    row.result = match result {
        Ok(LookupOutcome::Found(found)) => PoolResult::Found(found),
        Ok(LookupOutcome::Ambiguous(ambiguous)) => PoolResult::Ambiguous(ambiguous),
        Err(LookupError::NotFound { .. }) => PoolResult::NotFound,
        Err(LookupError::Refused(message)) => PoolResult::Failed {
            reason: if session.is_none() {
                "pool not usable"
            } else {
                "refused"
            },
            error: ErrorView {
                title: "Not looked up".into(),
                exception: None,
                message: sanitize(&message).into_owned(),
                hint: Some(format!(
                    "check [pools.{}] in the config file",
                    sanitize(&row.name)
                )),
            },
        },
        Err(LookupError::Cognito(e)) => {
            let info = session.unwrap_or_else(|| SessionInfo {
                pool: row.pool_id.clone(),
                region: None,
                profile: None,
                target: "the Cognito endpoint".into(),
            });
            PoolResult::Failed {
                reason: reason(e.kind),
                error: super::cognito_error_view_in(&info, &e),
            }
        }
    };
}

/// A failure in a few words, for the pool's row.
fn reason(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::AccessDenied => "access denied",
        ErrorKind::NotAuthorized => "not authorized",
        ErrorKind::Credentials => "no credentials",
        ErrorKind::PoolNotFound => "pool not found",
        ErrorKind::Throttled => "throttled",
        ErrorKind::Timeout => "timed out",
        ErrorKind::Network => "unreachable",
        ErrorKind::Configuration => "not configured",
        ErrorKind::InvalidParameter => "invalid request",
        _ => "failed",
    }
}

/// Keys while the popup shows the pools (or an ambiguous pool's matches).
pub(super) fn act(app: &mut App, action: Action) -> Vec<Cmd> {
    let Overlay::AllPools(all) = app.layers.overlay_mut() else {
        return Vec::new();
    };
    if let Some((row, cursor)) = &mut all.picking {
        let matches = match &all.rows[*row].result {
            PoolResult::Ambiguous(a) => a.matches.len(),
            _ => 0,
        };
        match action {
            Action::Cancel => all.picking = None,
            Action::Submit => return open_match(app),
            other => *cursor = move_in_list(*cursor, matches, other),
        }
        return Vec::new();
    }
    match action {
        Action::Cancel => close(app),
        Action::Submit => return open_row(app),
        other => all.cursor = move_in_list(all.cursor, all.rows.len(), other),
    }
    Vec::new()
}

/// Enter and Esc while the query is typed (editing keys are handled by the line itself).
pub(super) fn act_input(app: &mut App, action: Action) -> Vec<Cmd> {
    let no_pools = named_pools(app).is_empty();
    let Overlay::AllPools(all) = app.layers.overlay_mut() else {
        return Vec::new();
    };
    match action {
        Action::Cancel => close(app),
        Action::Submit => {
            let text = all
                .input
                .as_ref()
                .map(|i| i.text.clone())
                .unwrap_or_default();
            let query = match lookup::validate_query(&text) {
                Ok(q) => q,
                Err(message) => {
                    app.layers.say(message.to_string());
                    return Vec::new();
                }
            };
            if no_pools {
                all.input = None;
                all.query = query;
                return Vec::new();
            }
            let mut all = std::mem::take(all);
            let cmd = start(app, &mut all, query, LookupMode::Auto);
            app.layers.open(Overlay::AllPools(all));
            return vec![cmd];
        }
        _ => {}
    }
    Vec::new()
}

/// Esc: the popup closes onto what waited behind it (a late lookup's picker), else nothing.
fn close(app: &mut App) {
    let behind = match app.layers.overlay_mut() {
        Overlay::AllPools(all) => all.behind.take(),
        _ => None,
    };
    app.layers.open(match behind {
        Some(ambiguous) => Overlay::Picker {
            ambiguous,
            cursor: 0,
        },
        None => Overlay::None,
    });
}

/// Enter on a pool's row: a hit opens in its pool; an ambiguous pool lists its matches.
fn open_row(app: &mut App) -> Vec<Cmd> {
    let Overlay::AllPools(all) = app.layers.overlay_mut() else {
        return Vec::new();
    };
    let Some(row) = all.rows.get(all.cursor) else {
        return Vec::new();
    };
    match &row.result {
        PoolResult::Found(found) => {
            let then = AfterSwitch::Show {
                found: found.clone(),
                query: all.query.clone(),
                mode: all.mode,
            };
            let (name, pool_id) = (row.name.clone(), row.pool_id.clone());
            app.layers.close();
            go_to(app, name, pool_id, then)
        }
        PoolResult::Ambiguous(_) => {
            all.picking = Some((all.cursor, 0));
            Vec::new()
        }
        PoolResult::Pending => {
            app.layers.say("still asking that pool");
            Vec::new()
        }
        PoolResult::NotFound | PoolResult::Failed { .. } => {
            app.layers.say("nothing to open in that pool");
            Vec::new()
        }
    }
}

/// Enter on one of an ambiguous pool's matches: that user, in that pool.
fn open_match(app: &mut App) -> Vec<Cmd> {
    let Overlay::AllPools(all) = app.layers.overlay() else {
        return Vec::new();
    };
    let Some((row, cursor)) = all.picking else {
        return Vec::new();
    };
    let row = &all.rows[row];
    let PoolResult::Ambiguous(a) = &row.result else {
        return Vec::new();
    };
    let Some(m) = a.matches.get(cursor) else {
        return Vec::new();
    };
    let then = AfterSwitch::Lookup {
        query: m.username.clone(),
        mode: LookupMode::Username,
    };
    let (name, pool_id) = (row.name.clone(), row.pool_id.clone());
    app.layers.close();
    go_to(app, name, pool_id, then)
}

/// Shows `then` in the named pool: at once when it is the pool in use, else after the worker
/// has switched to it (a switch that fails leaves the old pool in use, and shows nothing).
fn go_to(app: &mut App, name: String, pool_id: String, then: AfterSwitch) -> Vec<Cmd> {
    if app.has_pool() && app.pool.id() == pool_id {
        return then.run(app);
    }
    let entry = PoolEntry {
        name,
        id: pool_id,
        source: PoolSource::Named,
    };
    switch_pool_then(app, entry, then)
}
