//! The one audit gate of the one-shot commands: the only one-shot code that reaches the
//! backend (checked: `tests/it/oneshot_gate.rs`). A run's audit trail is test-written with a
//! `start` line before its first request; each request is sent only while every line so far
//! was written, and its own line is written when its answer comes — before the answer is
//! printed — or as `cancelled` when the run stops first (Ctrl-C, SIGTERM, SIGHUP). A line that
//! can't be written ends the run with [`EXIT_AUDIT`] and no further request is sent.

use std::future::Future;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::audit::syslog::SyslogState;
use crate::audit::{AuditEvent, AuditLog, Phase};
use crate::cognito::listing::{Fetched, fetch_list};
use crate::cognito::lookup::{self, LookupError, LookupMode, LookupOutcome};
use crate::cognito::{
    Backend, CognitoError, ListFilter, ListKind, ListingPage, PageRequest, PoolId, PoolSchema,
    UserPage,
};
use crate::config::SyslogTarget;
use crate::sanitize::sanitize;
use crate::search::{self, SearchResults};
use crate::session::Session;

/// Exit code when the audit log can't be written: the request it would record was not sent.
pub const EXIT_AUDIT: i32 = 9;

/// Says `message` on stderr, through the output sink (a terminal gone with the SSH
/// connection is no reason to panic).
fn say(message: std::fmt::Arguments) {
    crate::output::say(message);
}

/// A run's audit trail: the log `--audit-log` names (if any), and whether a line has failed.
pub(crate) struct Trail {
    log: Option<AuditLog>,
    failed: AtomicBool,
    /// A line has been written: requests may have been sent since.
    written: AtomicBool,
    /// The syslog receiver's state (`--audit-syslog`): a change is said on stderr.
    syslog: Option<std::sync::Mutex<tokio::sync::watch::Receiver<SyslogState>>>,
}

impl Trail {
    /// Opens the log before any request; a log that can't be opened is the exit code.
    pub(crate) fn open(
        path: Option<&Path>,
        syslog: Option<&SyslogTarget>,
        profile: Option<String>,
        region: Option<String>,
    ) -> Result<Self, i32> {
        let open = |path| {
            let log = AuditLog::open(path, profile, region)?;
            match syslog {
                Some(target) => log.ship_to(target),
                None => Ok(log),
            }
        };
        let log = path.map(open).transpose().map_err(|e| {
            say(format_args!(
                "error: {}; nothing was sent",
                sanitize(&e.to_string())
            ));
            EXIT_AUDIT
        })?;
        let syslog = log.as_ref().and_then(AuditLog::syslog_state);
        Ok(Self {
            log,
            failed: AtomicBool::new(false),
            written: AtomicBool::new(false),
            syslog: syslog.map(std::sync::Mutex::new),
        })
    }

    /// Says on stderr when the syslog receiver went away or came back (the file still has
    /// every line), if `announce`; `Some` with why while it is away.
    fn syslog_news(&self, announce: bool) -> Option<String> {
        let mut state = self
            .syslog
            .as_ref()?
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        let changed = state.has_changed().unwrap_or(false);
        let down = match &*state.borrow_and_update() {
            SyslogState::Up => None,
            SyslogState::Down(why) => Some(why.clone()),
        };
        match (&down, changed && announce) {
            (Some(why), true) => say(format_args!(
                "warning: audit: syslog down: {}",
                sanitize(why)
            )),
            (None, true) => say(format_args!(
                "note: audit: syslog back; held-back lines sent"
            )),
            _ => {}
        }
        down
    }

    /// Writes one line; the first failure is said once, and every later request is refused.
    pub(crate) fn record(&self, event: &AuditEvent) -> Result<(), i32> {
        let Some(log) = &self.log else { return Ok(()) };
        if self.failed.load(Ordering::SeqCst) {
            return Err(EXIT_AUDIT);
        }
        let written = log.record(event).map_err(|e| {
            if !self.failed.swap(true, Ordering::SeqCst) {
                let sent = match self.written.load(Ordering::SeqCst) {
                    true => "no further request was sent",
                    false => "nothing was sent",
                };
                say(format_args!("error: {}; {sent}", sanitize(&e.to_string())));
            }
            EXIT_AUDIT
        });
        if self.written.fetch_or(written.is_ok(), Ordering::SeqCst) {
            self.syslog_news(true);
        }
        written
    }

    /// The run's first line, before its first request: the test write of the gate — of the
    /// syslog receiver too, which must take it (over UDP the first sign of a receiver).
    pub(crate) fn start(&self, mut event: AuditEvent) -> Result<(), i32> {
        event.phase = Some(Phase::Start);
        self.record(&event)?;
        match self.syslog_news(false) {
            Some(why) => {
                say(format_args!(
                    "error: the audit syslog did not take the start line ({}); nothing was sent",
                    sanitize(&why)
                ));
                Err(EXIT_AUDIT)
            }
            None => Ok(()),
        }
    }

    /// A long run's last line: its count, how it ended and, for an export, how to resume.
    pub(crate) fn end(&self, mut event: AuditEvent) -> Result<(), i32> {
        event.phase = Some(Phase::End);
        // Written even after an earlier line failed: the end is worth a last try.
        self.failed.store(false, Ordering::SeqCst);
        self.record(&event)
    }

    /// `Err` once a line has failed: nothing more may be sent.
    fn admit(&self) -> Result<(), i32> {
        match self.failed.load(Ordering::SeqCst) {
            true => Err(EXIT_AUDIT),
            false => Ok(()),
        }
    }
}

/// A line owed for a request that has been sent: written as `cancelled` if the request is
/// dropped before its answer (the run stopped), so every request sent is on record.
struct Owed<'a> {
    trail: &'a Trail,
    event: Option<AuditEvent>,
}

impl Drop for Owed<'_> {
    fn drop(&mut self) {
        if let Some(mut event) = self.event.take() {
            event.outcome = "cancelled".into();
            let _ = self.trail.record(&event);
        }
    }
}

/// A session seen through its trail: every request a one-shot command makes.
#[derive(Clone, Copy)]
pub(crate) struct Gate<'a> {
    trail: &'a Trail,
    session: &'a Session,
}

impl<'a> Gate<'a> {
    /// The gate to `session` through `trail`.
    pub(crate) fn new(trail: &'a Trail, session: &'a Session) -> Self {
        Self { trail, session }
    }

    /// Sends `request` only while every line so far was written, then writes the line
    /// `finish` makes of `pending` and the answer; `Err` is the exit code when it can't be.
    pub(crate) async fn audited<T, F, Fut>(
        &self,
        pending: AuditEvent,
        request: F,
        finish: impl FnOnce(AuditEvent, &T) -> AuditEvent,
    ) -> Result<T, i32>
    where
        F: FnOnce(&'a dyn Backend, &'a PoolId) -> Fut,
        Fut: Future<Output = T>,
    {
        self.trail.admit()?;
        let mut owed = Owed {
            trail: self.trail,
            event: Some(pending),
        };
        let answer = request(self.session.backend.as_ref(), &self.session.pool).await;
        let mut event = owed.event.take().expect("taken once, here");
        // The credentials are known once the first request has resolved them.
        event.credentials = self.session.credential_source();
        self.trail.record(&finish(event, &answer))?;
        Ok(answer)
    }

    /// Resolves `query` ([`lookup::lookup`]), with the did-you-mean search after a miss when
    /// `suggest`: one `lookup` line for all of it.
    pub(crate) async fn lookup(
        &self,
        query: &str,
        mode: LookupMode,
        suggest: bool,
    ) -> Result<Result<LookupOutcome, LookupError>, i32> {
        let mut pending = AuditEvent::new("lookup", self.session);
        pending.query = Some(query.into());
        let request = |backend: &'a dyn Backend, pool: &'a PoolId| async move {
            let result = lookup::lookup(backend, pool, query, mode, None).await;
            match suggest {
                true => lookup::suggest(backend, pool, mode, result).await,
                false => result,
            }
        };
        self.audited(pending, request, |event, result| {
            event.lookup(query, result)
        })
        .await
    }

    /// A lookup refused before any request (a malformed query in a batch), on record as
    /// the others are.
    pub(crate) fn refused(
        &self,
        query: &str,
        result: &Result<LookupOutcome, LookupError>,
    ) -> Result<(), i32> {
        let event = AuditEvent::new("lookup", self.session).lookup(query, result);
        self.trail.record(&event)
    }

    /// The prefix search `search` makes ([`search::search`]), one `search` line.
    pub(crate) async fn search(&self, query: &str) -> Result<SearchResults, i32> {
        let mut pending = AuditEvent::new("search", self.session);
        pending.query = Some(query.into());
        let request = |backend: &'a dyn Backend, pool: &'a PoolId| async move {
            search::search(backend, pool, query, None).await
        };
        self.audited(pending, request, |event, results| event.search(results))
            .await
    }

    /// One of a user's lists, every page up to the cap ([`fetch_list`]): one line as the
    /// TUI's list panes write it.
    pub(crate) async fn list(
        &self,
        username: &str,
        kind: ListKind,
    ) -> Result<Result<Fetched, CognitoError>, i32> {
        let pending = AuditEvent::for_list(self.session, kind, username);
        let request = |backend: &'a dyn Backend, pool: &'a PoolId| async move {
            fetch_list(backend, pool, username, kind).await
        };
        self.audited(pending, request, AuditEvent::fetched).await
    }

    /// The user's configured sign-in factors (AdminGetUserAuthFactors): one line.
    pub(crate) async fn auth_factors(
        &self,
        username: &str,
    ) -> Result<Result<crate::cognito::AuthFactors, CognitoError>, i32> {
        let mut pending = AuditEvent::new("get_auth_factors", self.session);
        pending.username = Some(username.into());
        let request = |backend: &'a dyn Backend, pool: &'a PoolId| async move {
            backend.get_user_auth_factors(pool, username).await
        };
        self.audited(pending, request, |mut event, result| {
            event.outcome = AuditEvent::outcome_of(result);
            event
        })
        .await
    }

    /// One page of one of a user's lists (diagnose's sign-in history): one list line.
    pub(crate) async fn list_page(
        &self,
        username: &str,
        kind: ListKind,
        page: PageRequest<'a>,
    ) -> Result<Result<ListingPage, CognitoError>, i32> {
        let pending = AuditEvent::for_list(self.session, kind, username);
        let request = |backend: &'a dyn Backend, pool: &'a PoolId| async move {
            backend.list_for_user(pool, username, kind, page).await
        };
        self.audited(pending, request, |mut event, result| {
            event.count = result.as_ref().ok().map(|p| p.listing.item_count() as u64);
            event.outcome = AuditEvent::outcome_of(result);
            event
        })
        .await
    }

    /// The pool's settings (DescribeUserPool). It reads no user, so it has no line of its own
    /// (as in the TUI), but it passes the gate: not sent once a line has failed.
    pub(crate) async fn pool_settings(&self) -> Result<Result<PoolSchema, CognitoError>, i32> {
        self.trail.admit()?;
        // DescribeUserPool, and GetUserPoolMfaConfig where MFA is on (the pool's settings).
        Ok(crate::cognito::pool_settings(self.session.backend.as_ref(), &self.session.pool).await)
    }

    /// The ListUsers pages of an export's streams, in the session's pool. An export is audited
    /// per run (its `start` and `end` lines), not per page.
    pub(crate) fn pages(&self) -> Result<Pages, i32> {
        self.trail.admit()?;
        Ok(Pages {
            backend: self.session.backend.clone(),
            pool: self.session.pool.clone(),
        })
    }
}

/// ListUsers in one pool, for an export's concurrent streams (which outlive a borrow).
#[derive(Clone)]
pub(crate) struct Pages {
    backend: Arc<dyn Backend>,
    pool: PoolId,
}

impl Pages {
    /// One page of at most `size` users matching `filter`, after `token`.
    pub(crate) async fn page(
        &self,
        filter: Option<&ListFilter>,
        size: i32,
        token: Option<&str>,
    ) -> Result<UserPage, CognitoError> {
        let request = PageRequest::after(size, token);
        self.backend.list_users(&self.pool, filter, request).await
    }
}
