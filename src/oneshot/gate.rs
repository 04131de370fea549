//! The one audit gate of the one-shot commands: the only one-shot code that reaches the
//! backend (checked: `tests/it/oneshot_gate.rs`). A run's audit trail is test-written with a
//! `start` line before its first request; each request is sent only while every line so far
//! was written, and its own line is written when its answer comes — before the answer is
//! printed — or as `cancelled` when the run stops first (Ctrl-C, SIGTERM, SIGHUP). A line that
//! can't be written ends the run with [`CliError::Audit`] (exit 9) and no further request is
//! sent.

use std::future::Future;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use super::error::CliError;
use crate::audit::syslog::SyslogState;
use crate::audit::{AuditError, AuditEvent, AuditLog, Phase};
use crate::cognito::listing::{Fetched, fetch_list};
use crate::cognito::lookup::{self, LookupError, LookupMode, LookupOutcome};
use crate::cognito::{
    Backend, CognitoError, ListFilter, ListKind, Listing, ListingPage, PageRequest, PoolId,
    PoolSchema, UserPage,
};
use crate::config::SyslogTarget;
use crate::sanitize::sanitize;
use crate::search::{self, SearchResults};
use crate::session::Session;

/// A run's audit trail: the log `--audit-log` names (if any), and the first line that failed.
pub(crate) struct Trail {
    log: Option<AuditLog>,
    /// The first failure, and whether a line went before it: every request after it is
    /// refused with it.
    failed: Mutex<Option<(Arc<AuditError>, bool)>>,
    /// A line has been written: requests may have been sent since.
    written: AtomicBool,
    /// The syslog receiver's state (`--audit-syslog`): a change is said on stderr.
    syslog: Option<std::sync::Mutex<tokio::sync::watch::Receiver<SyslogState>>>,
}

impl Trail {
    /// Opens the log before any request; `Err` when it can't be opened (nothing was sent).
    pub(crate) fn open(
        path: Option<&Path>,
        syslog: Option<&SyslogTarget>,
        profile: Option<String>,
        region: Option<String>,
    ) -> Result<Self, CliError> {
        let open = |path| {
            let log = AuditLog::open(path, profile, region)?;
            match syslog {
                Some(target) => log.ship_to(target),
                None => Ok(log),
            }
        };
        let log = path.map(open).transpose().map_err(|e| CliError::Audit {
            error: Arc::new(e),
            sent: false,
        })?;
        let syslog = log.as_ref().and_then(AuditLog::syslog_state);
        Ok(Self {
            log,
            failed: Mutex::new(None),
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
            (Some(why), true) => crate::output::say(format_args!(
                "warning: audit: syslog down: {}",
                sanitize(why)
            )),
            (None, true) => crate::output::say("note: audit: syslog back; held-back lines sent"),
            _ => {}
        }
        down
    }

    /// The first failure, kept (a poisoned lock still holds it).
    fn failed(&self) -> std::sync::MutexGuard<'_, Option<(Arc<AuditError>, bool)>> {
        self.failed.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Writes one line; after the first failure every later request is refused with it.
    pub(crate) fn record(&self, event: &AuditEvent) -> Result<(), CliError> {
        let Some(log) = &self.log else { return Ok(()) };
        self.admit()?;
        let Err(e) = log.record(event) else {
            if self.written.swap(true, Ordering::SeqCst) {
                self.syslog_news(true);
            }
            return Ok(());
        };
        let error = Arc::new(e);
        let sent = self.written.load(Ordering::SeqCst);
        self.failed().get_or_insert((error.clone(), sent));
        Err(CliError::Audit { error, sent })
    }

    /// The run's first line, before its first request: the test write of the gate — of the
    /// syslog receiver too, which must take it (over UDP the first sign of a receiver).
    pub(crate) fn start(&self, mut event: AuditEvent) -> Result<(), CliError> {
        event.phase = Some(Phase::Start);
        self.record(&event)?;
        match self.syslog_news(false) {
            Some(why) => Err(CliError::Audit {
                error: Arc::new(AuditError::SyslogRefused { why }),
                sent: false,
            }),
            None => Ok(()),
        }
    }

    /// A long run's last line: its count, how it ended and, for an export, how to resume.
    pub(crate) fn end(&self, mut event: AuditEvent) -> Result<(), CliError> {
        event.phase = Some(Phase::End);
        // Written even after an earlier line failed: the end is worth a last try.
        self.failed().take();
        self.record(&event)
    }

    /// `Err` once a line has failed: nothing more may be sent.
    fn admit(&self) -> Result<(), CliError> {
        match self.failed().as_ref() {
            Some((error, sent)) => Err(CliError::Audit {
                error: error.clone(),
                sent: *sent,
            }),
            None => Ok(()),
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
    ) -> Result<T, CliError>
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
    ) -> Result<Result<LookupOutcome, LookupError>, CliError> {
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
    ) -> Result<(), CliError> {
        let event = AuditEvent::new("lookup", self.session).lookup(query, result);
        self.trail.record(&event)
    }

    /// The prefix search `search` makes, with the case variants as type-ahead tries them
    /// ([`search::variants::search_with_case_variants_streaming`]), telling `partial` the
    /// results so far while filters are out: one `search` line.
    pub(crate) async fn search(
        &self,
        query: &str,
        partial: impl FnMut(&SearchResults) + 'a,
    ) -> Result<SearchResults, CliError> {
        let mut pending = AuditEvent::new("search", self.session);
        pending.query = Some(query.into());
        let request = |backend: &'a dyn Backend, pool: &'a PoolId| async move {
            search::variants::search_with_case_variants_streaming(
                backend, pool, query, None, partial,
            )
            .await
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
    ) -> Result<Result<Fetched, CognitoError>, CliError> {
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
    ) -> Result<Result<crate::cognito::AuthFactors, CognitoError>, CliError> {
        let mut pending = AuditEvent::new("get_auth_factors", self.session);
        pending.username = Some(username.into());
        let request = |backend: &'a dyn Backend, pool: &'a PoolId| async move {
            backend.get_user_auth_factors(pool, username).await
        };
        self.audited(pending, request, AuditEvent::answered).await
    }

    /// One page of one of a user's lists (diagnose's sign-in history): one list line.
    pub(crate) async fn list_page(
        &self,
        username: &str,
        kind: ListKind,
        page: PageRequest<'a>,
    ) -> Result<Result<ListingPage, CognitoError>, CliError> {
        let pending = AuditEvent::for_list(self.session, kind, username);
        let request = |backend: &'a dyn Backend, pool: &'a PoolId| async move {
            backend.list_for_user(pool, username, kind, page).await
        };
        self.audited(pending, request, |mut event, result| {
            event.count = result.as_ref().ok().map(|p| p.listing.item_count() as u64);
            event.answered(result)
        })
        .await
    }

    /// The pool's settings (DescribeUserPool). It reads no user, so it has no line of its own
    /// (as in the TUI), but it passes the gate: not sent once a line has failed.
    pub(crate) async fn pool_settings(&self) -> Result<Result<PoolSchema, CognitoError>, CliError> {
        self.trail.admit()?;
        // DescribeUserPool, and GetUserPoolMfaConfig where MFA is on (the pool's settings).
        Ok(crate::cognito::pool_settings(self.session.backend.as_ref(), &self.session.pool).await)
    }

    /// Every group of the pool with its members, for `export --with-groups`: ListGroups,
    /// then ListUsersInGroup for each group, every page (groups × pages requests, never one
    /// per user). One `list_group_members` line, counting the memberships read.
    pub(crate) async fn group_members(
        &self,
    ) -> Result<Result<GroupMembers, CognitoError>, CliError> {
        let pending = AuditEvent::new("list_group_members", self.session);
        let request =
            |backend: &'a dyn Backend, pool: &'a PoolId| read_group_members(backend, pool);
        self.audited(pending, request, |mut event, result| {
            event.count = result.as_ref().ok().map(|m| m.memberships);
            event.answered(result)
        })
        .await
    }

    /// One user's MFA for `export --with-mfa`: AdminGetUser (user_read rate), one
    /// `get_user_mfa` line naming the user.
    pub(crate) async fn user_mfa(
        &self,
        username: &str,
    ) -> Result<Result<UserMfa, CognitoError>, CliError> {
        let mut pending = AuditEvent::new("get_user_mfa", self.session);
        pending.username = Some(username.into());
        let request = |backend: &'a dyn Backend, pool: &'a PoolId| {
            let username = username.to_string();
            async move {
                let user = backend.admin_get_user(pool, &username).await?;
                Ok(UserMfa {
                    settings: user.mfa_settings.unwrap_or_default(),
                    preferred: user.preferred_mfa,
                    legacy: user.mfa_options,
                })
            }
        };
        self.audited(pending, request, AuditEvent::answered).await
    }

    /// The pool's user import header (GetCSVHeader) for `export -o cognito-import`: one
    /// `get_csv_header` line.
    pub(crate) async fn csv_header(&self) -> Result<Result<Vec<String>, CognitoError>, CliError> {
        let pending = AuditEvent::new("get_csv_header", self.session);
        let request = |backend: &'a dyn Backend, pool: &'a PoolId| async move {
            backend.get_csv_header(pool).await
        };
        self.audited(pending, request, AuditEvent::answered).await
    }

    /// When the user's newest auth event happened, for `export --last-sign-in`: one
    /// AdminListUserAuthEvents with MaxResults 1 (user_resource_read rate), one
    /// `get_last_sign_in` line naming the user. `None`: no event on record.
    pub(crate) async fn last_sign_in(
        &self,
        username: &str,
    ) -> Result<Result<Option<time::OffsetDateTime>, CognitoError>, CliError> {
        let mut pending = AuditEvent::new("get_last_sign_in", self.session);
        pending.username = Some(username.into());
        let request = |backend: &'a dyn Backend, pool: &'a PoolId| {
            let username = username.to_string();
            async move {
                let page = PageRequest::first(1);
                let page =
                    (backend.list_for_user(pool, &username, ListKind::SignIns, page)).await?;
                Ok(match page.listing {
                    // The newest of what came back: one event, MaxResults 1.
                    Listing::SignIns(events) => events.iter().filter_map(|e| e.created).max(),
                    _ => None,
                })
            }
        };
        self.audited(pending, request, AuditEvent::answered).await
    }

    /// The ListUsers pages of an export's streams, in the session's pool. An export is audited
    /// per run (its `start` and `end` lines), not per page.
    pub(crate) fn pages(&self) -> Result<Pages, CliError> {
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

/// What AdminGetUser says of a user's MFA.
#[derive(Debug, Default)]
pub(crate) struct UserMfa {
    /// UserMFASettingList.
    pub settings: Vec<String>,
    /// PreferredMfaSetting.
    pub preferred: Option<String>,
    /// The legacy MFAOptions.
    pub legacy: Option<Vec<crate::cognito::MfaOption>>,
}

/// Each username's groups (in ListGroups' order), and what reading them took.
#[derive(Debug, Default)]
pub(crate) struct GroupMembers {
    pub by_user: std::collections::HashMap<String, Vec<String>>,
    pub groups: u64,
    pub memberships: u64,
    /// ListGroups and ListUsersInGroup requests sent.
    pub requests: u64,
}

/// ListGroups' and ListUsersInGroup's largest page.
const GROUP_PAGE: i32 = 60;

/// Groups whose members are read at once. One group at a time is held by page latency, not
/// the limiter: at the ListUsers quota (30 rps) a request may start every 33 ms, and a page
/// takes longer than that to come back. 16, as the export's streams; the limiter still
/// spaces every request.
const GROUP_STREAMS: usize = 16;

async fn read_group_members(
    backend: &dyn Backend,
    pool: &PoolId,
) -> Result<GroupMembers, CognitoError> {
    use futures::{StreamExt, TryStreamExt};
    let mut members = GroupMembers::default();
    let mut names = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let page = PageRequest::after(GROUP_PAGE, token.as_deref());
        let page = backend.list_groups(pool, page).await?;
        members.requests += 1;
        names.extend(page.items.into_iter().map(|g| g.name));
        token = page.next_token;
        if token.is_none() {
            break;
        }
    }
    members.groups = names.len() as u64;
    // `buffered` keeps ListGroups' order, so each user's groups stay in it.
    let groups: Vec<(String, Vec<String>, u64)> = futures::stream::iter(names)
        .map(|group| one_group_members(backend, pool, group))
        .buffered(GROUP_STREAMS)
        .try_collect()
        .await?;
    for (group, usernames, requests) in groups {
        members.requests += requests;
        for username in usernames {
            members.memberships += 1;
            members
                .by_user
                .entry(username)
                .or_default()
                .push(group.clone());
        }
    }
    Ok(members)
}

/// One group's members, every page: (group, usernames, requests sent).
async fn one_group_members(
    backend: &dyn Backend,
    pool: &PoolId,
    group: String,
) -> Result<(String, Vec<String>, u64), CognitoError> {
    let (mut usernames, mut requests) = (Vec::new(), 0);
    let mut token: Option<String> = None;
    loop {
        let page = PageRequest::after(GROUP_PAGE, token.as_deref());
        let page = backend.list_users_in_group(pool, &group, page).await?;
        requests += 1;
        usernames.extend(page.users.into_iter().map(|u| u.username));
        token = page.next_token;
        if token.is_none() {
            return Ok((group, usernames, requests));
        }
    }
}
