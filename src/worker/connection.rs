//! One pool's connection: its session, what the worker keeps for it (DescribeUserPool's
//! answer, the prefix cache of type-ahead search) and the throttle feed to the UI. Opening
//! the start-up pool and preparing another (checked with DescribeUserPool before anything
//! is sent to it) live here.

use std::sync::{Arc, OnceLock};

use tokio::sync::mpsc::UnboundedSender;
use tokio::task::JoinHandle;

use super::gate::{Audit, START_LINE_WAIT, StartTurn};
use super::jobs::Job;
use crate::app::{Msg, Switched, Throttle};
use crate::audit::{AuditEvent, Phase};
use crate::cognito::Backend;
use crate::cognito::{ErrorKind, PoolId};
use crate::ratelimit::ThrottleStatus;
use crate::sanitize::sanitize;
use crate::search::PrefixCache;
use crate::session::{self, SwitchError};

/// The turn `session`'s start line is written in, when it has one: not without an audit
/// log, nor on the demo pool (no AWS identity to name).
pub async fn start_turn(session: &session::Session, audit: &Audit) -> Option<StartTurn> {
    match audit.is_on() && session.limiter.is_some() {
        true => Some(audit.start_turn().await),
        false => None,
    }
}

/// One pool's session and what the worker keeps for it.
pub struct Connection {
    pub session: session::Session,
    /// DescribeUserPool's answer, when the caller may ask (lookups skip a ListUsers).
    pub schema: Arc<OnceLock<crate::cognito::PoolSchema>>,
    /// Complete prefix results, so a growing type-ahead query is answered locally.
    pub cache: Arc<PrefixCache>,
    /// Forwards the rate limiter's status to the UI (only while this pool is in use).
    throttle: Option<JoinHandle<()>>,
    /// Writes this connection's `tui_session` start line; quitting waits for it.
    start_line: Option<JoinHandle<()>>,
}

impl Connection {
    fn new(session: session::Session) -> Self {
        Self {
            session,
            schema: Arc::new(OnceLock::new()),
            cache: Arc::new(PrefixCache::new()),
            throttle: None,
            start_line: None,
        }
    }

    /// This connection's start line, written by `task` (after the first request, when the
    /// credentials are known).
    pub fn records_start(&mut self, task: JoinHandle<()>) {
        self.start_line = Some(task);
    }

    /// Waits, up to [`START_LINE_WAIT`], for the start line: a session quit in its first instant still
    /// leaves its line in the audit, rather than have the runtime's end cut it off.
    pub async fn finish_start_line(&mut self) {
        if let Some(task) = self.start_line.take() {
            let _ = tokio::time::timeout(START_LINE_WAIT, task).await;
        }
    }

    /// The start-up pool: connected without waiting for the network, then described in the
    /// background so a pool that can't be used is said on the first screen.
    pub async fn open(
        target: &session::Target,
        pool: PoolId,
        demo: bool,
        (msgs, audit): (&UnboundedSender<Msg>, &Audit),
    ) -> Self {
        let mut conn = Self::new(target.connect(pool, demo).await);
        let session = &conn.session;
        tracing::info!(pool = %session.pool, target = %session.info.target, "connected");
        let _ = msgs.send(Msg::Connected(session.info.clone()));
        // DescribeUserPool once: its name for the header, and lookups skip a redundant
        // ListUsers. Many support roles may not call it; then lookups simply go without.
        let (session, schema, msgs_to, audit) = (
            session.clone(),
            conn.schema.clone(),
            msgs.clone(),
            audit.clone(),
        );
        // Taken before any job can use the connection: its lines follow the start line.
        let turn = start_turn(&session, &audit).await;
        let described = tokio::spawn(async move {
            let (backend, pool) = (session.backend.as_ref(), &session.pool);
            // With the pool's MFA configuration where MFA is on, cached alike.
            let result = crate::cognito::pool_settings(backend, pool).await;
            // The credentials are resolved now (an MFA code asked with the request's whole
            // `--timeout`, not GetCallerIdentity's 3 s).
            let no_credentials = matches!(&result, Err(e) if e.kind == ErrorKind::Credentials);
            record_start(&session, &audit, turn, no_credentials).await;
            match &result {
                Ok(s) => {
                    let _ = schema.set(s.clone());
                }
                Err(e) => tracing::info!(
                    "DescribeUserPool failed at start-up: {}",
                    sanitize(&e.to_string())
                ),
            }
            let _ = msgs_to.send(Msg::PoolDescribed {
                pool: pool.to_string(),
                result,
            });
        });
        conn.records_start(described);
        conn.start_throttle(msgs);
        conn
    }

    /// Another pool, checked before anything is sent to it: the name resolves, the session
    /// builds, and DescribeUserPool finds the pool (a caller not allowed to describe pools
    /// goes on unchecked, as lookups do).
    pub async fn prepare(
        target: &session::Target,
        pool: &str,
    ) -> Result<(Self, Switched), SwitchError> {
        let conn = Self::new(target.connect_to(pool).await?);
        let backend = conn.session.backend.as_ref();
        let schema = match crate::cognito::pool_settings(backend, &conn.session.pool).await {
            Ok(schema) => Some(schema),
            Err(e) if matches!(e.kind, ErrorKind::AccessDenied | ErrorKind::Unsupported) => {
                tracing::info!(
                    "DescribeUserPool refused, switching unchecked: {}",
                    sanitize(&e.to_string())
                );
                None
            }
            Err(error) => {
                return Err(SwitchError::Pool {
                    info: Box::new(conn.session.info.clone()),
                    error,
                });
            }
        };
        if let Some(s) = &schema {
            let _ = conn.schema.set(s.clone());
        }
        let switched = Switched {
            info: conn.session.info.clone(),
            schema,
            allow_write: conn.session.writer.is_some(),
        };
        Ok((conn, switched))
    }

    /// What a job on this pool works with.
    pub fn job(&self, audit: &Audit) -> Job {
        Job {
            session: self.session.clone(),
            schema: self.schema.clone(),
            cache: self.cache.clone(),
            audit: audit.clone(),
        }
    }

    /// Starts forwarding this pool's throttle status to the UI.
    pub fn start_throttle(&mut self, msgs: &UnboundedSender<Msg>) {
        self.throttle = self
            .session
            .limiter
            .as_ref()
            .map(|limiter| tokio::spawn(forward_throttle(limiter.subscribe(), msgs.clone())));
    }
}

impl Drop for Connection {
    fn drop(&mut self) {
        if let Some(task) = self.throttle.take() {
            task.abort();
        }
    }
}

/// The TUI's counterpart of a one-shot run's `start` line, once per connection (the start-up
/// pool, each pool switched to): who the credentials are — STS GetCallerIdentity's ARN, asked
/// once per session, bounded at 3 s, not asked with an endpoint override unless
/// `AWS_ENDPOINT_URL_STS` is set — with the pool, profile, Region and credentials. Written
/// after the connection's first request, so the credentials are known, in the connection's
/// `turn`: the connection's other lines wait for it and follow it in the file. Only with
/// `--audit-log`.
pub async fn record_start(
    session: &session::Session,
    audit: &Audit,
    turn: Option<StartTurn>,
    no_credentials: bool,
) {
    let Some(turn) = turn else {
        return;
    };
    let mut event = AuditEvent::new("tui_session", session);
    event.phase = Some(Phase::Start);
    event.caller = match no_credentials {
        // Asking STS would ask for the credentials (and an MFA code) again.
        true => Some("unknown: no credentials".into()),
        false => session.caller_arn().await,
    };
    let _ = audit.record_start(event, turn).await;
}

/// Sends the throttle indicator on every change of the limiter's status, and once more when
/// a backoff ends (the status itself does not change then).
async fn forward_throttle(
    mut status: tokio::sync::watch::Receiver<ThrottleStatus>,
    msgs: UnboundedSender<Msg>,
) {
    let mut last = None;
    loop {
        let current = *status.borrow_and_update();
        let shown = Throttle::from_status(&current);
        if shown != last {
            if msgs.send(Msg::Throttle(shown)).is_err() {
                return;
            }
            last = shown;
        }
        let backoff_end = current
            .backoff_until
            .filter(|t| *t > tokio::time::Instant::now());
        tokio::select! {
            changed = status.changed() => if changed.is_err() { return },
            _ = async {
                match backoff_end {
                    Some(t) => tokio::time::sleep_until(t).await,
                    None => std::future::pending().await,
                }
            } => {}
        }
    }
}

/// One page of ListUserPools for the pool picker: a pool's metadata, not a user's, so it is
/// not an audited read.
pub async fn list_pools(
    backend: Arc<dyn Backend>,
    id: u64,
    token: Option<String>,
    msgs: UnboundedSender<Msg>,
) {
    let page = crate::cognito::PageRequest::after(60, token.as_deref());
    let result = backend.list_user_pools(page).await;
    let _ = msgs.send(Msg::PoolsPage { id, result });
}

/// What lists pools: the pool in use's backend, else one without a pool (built on first use
/// and kept in `lister`).
pub async fn lister(
    conn: Option<&Connection>,
    lister: &mut Option<Arc<dyn Backend>>,
    target: &session::Target,
) -> Arc<dyn Backend> {
    match (conn, &lister) {
        (Some(c), _) => c.session.backend.clone(),
        (None, Some(b)) => b.clone(),
        (None, None) => lister.insert(target.connect_without_pool().await).clone(),
    }
}
