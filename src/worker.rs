//! The only code that awaits IO. It builds the session (after the first frame is drawn,
//! because resolving credentials can take seconds), runs lookups, list fetches and confirmed
//! write actions, writes the audit log, and sends the answers back as [`Msg`]s. A new lookup
//! aborts the one in flight, and a new fetch of a list the one of the same list: their answers
//! would be dropped anyway, and Cognito's rate quota is shared with production.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};
use tokio::task::JoinHandle;

use crate::app::{Cmd, Fetched, ListKind, Listing, Msg, SessionInfo};
use crate::audit::{AuditEvent, AuditLog};
use crate::cli::TargetArgs;
use crate::cognito::lookup;
use crate::cognito::resources::collect_pages;
use crate::cognito::{Backend, CognitoError, PoolId};
use crate::sanitize::sanitize;
use crate::session;

/// Artificial latency for the demo pool, in milliseconds, to see the spinner (default 0).
pub const DEMO_LATENCY_ENV: &str = "COGNITO_TUI_DEMO_LATENCY_MS";

/// Starts the worker on the current tokio runtime. Drop the sender to stop it.
pub fn spawn(
    args: TargetArgs,
    pool: PoolId,
    demo: bool,
    audit: Option<Arc<AuditLog>>,
) -> (UnboundedSender<Cmd>, UnboundedReceiver<Msg>) {
    let (job_tx, job_rx) = unbounded_channel();
    let (msg_tx, msg_rx) = unbounded_channel();
    let latency = demo
        .then(|| std::env::var(DEMO_LATENCY_ENV).ok())
        .flatten()
        .and_then(|v| v.parse::<u64>().ok())
        .map(Duration::from_millis)
        .filter(|d| !d.is_zero());
    tokio::spawn(run(args, pool, demo, latency, audit, job_rx, msg_tx));
    (job_tx, msg_rx)
}

/// Appends `event` to the audit log off the async threads; a failure is reported to the UI.
async fn audit_record(
    audit: &Option<Arc<AuditLog>>,
    event: AuditEvent,
    msgs: &UnboundedSender<Msg>,
) {
    let Some(log) = audit.clone() else {
        return;
    };
    let written = tokio::task::spawn_blocking(move || log.record(&event))
        .await
        .unwrap_or_else(|e| Err(format!("audit writer stopped: {e}")));
    if let Err(message) = written {
        tracing::error!("{message}");
        let _ = msgs.send(Msg::AuditFailed(message));
    }
}

/// Every page of `list` for `username` (60 a page, at most `MAX_PAGES`).
pub async fn fetch_list(
    backend: &dyn Backend,
    pool: &PoolId,
    username: &str,
    list: ListKind,
) -> Result<Fetched, CognitoError> {
    const PAGE: i32 = 60;
    let (listing, more) = match list {
        ListKind::Groups => {
            let (items, more) = collect_pages(|token| async move {
                backend
                    .list_groups_for_user(pool, username, PAGE, token.as_deref())
                    .await
            })
            .await?;
            (Listing::Groups(items), more)
        }
        ListKind::Devices => {
            let (items, more) = collect_pages(|token| async move {
                backend
                    .list_devices(pool, username, PAGE, token.as_deref())
                    .await
            })
            .await?;
            (Listing::Devices(items), more)
        }
        ListKind::SignIns => {
            let (items, more) = collect_pages(|token| async move {
                backend
                    .list_auth_events(pool, username, PAGE, token.as_deref())
                    .await
            })
            .await?;
            (Listing::SignIns(items), more)
        }
    };
    Ok(Fetched { listing, more })
}

async fn run(
    args: TargetArgs,
    pool: PoolId,
    demo: bool,
    latency: Option<Duration>,
    audit: Option<Arc<AuditLog>>,
    mut jobs: UnboundedReceiver<Cmd>,
    msgs: UnboundedSender<Msg>,
) {
    let session = session::connect(&args, pool, demo).await;
    tracing::info!(pool = %session.pool, target = %session.target, "connected");
    let _ = msgs.send(Msg::Connected(SessionInfo::from_session(&session)));

    // DescribeUserPool once, in the background, so lookups can skip a redundant ListUsers.
    // Many support roles may not call it; then lookups simply go without.
    let schema = Arc::new(OnceLock::new());
    {
        let (backend, pool, schema) = (
            session.backend.clone(),
            session.pool.clone(),
            schema.clone(),
        );
        tokio::spawn(async move {
            match backend.describe_pool(&pool).await {
                Ok(s) => {
                    let _ = schema.set(s);
                }
                Err(e) => tracing::info!("DescribeUserPool unavailable, continuing without: {e}"),
            }
        });
    }

    let mut in_flight: Option<JoinHandle<()>> = None;
    let mut fetching: HashMap<ListKind, JoinHandle<()>> = HashMap::new();
    while let Some(job) = jobs.recv().await {
        match job {
            Cmd::Lookup { id, query, mode } => {
                if let Some(previous) = in_flight.take() {
                    previous.abort();
                }
                let (session, schema, msgs) = (session.clone(), schema.clone(), msgs.clone());
                let audit = audit.clone();
                in_flight = Some(tokio::spawn(async move {
                    if let Some(latency) = latency {
                        tokio::time::sleep(latency).await;
                    }
                    let result = lookup::lookup(
                        session.backend.as_ref(),
                        &session.pool,
                        &query,
                        mode,
                        schema.get(),
                    )
                    .await;
                    match &result {
                        Ok(_) => tracing::info!(id, mode = mode.label(), "lookup answered"),
                        Err(e) => tracing::info!(
                            id,
                            mode = mode.label(),
                            "lookup failed: {}",
                            sanitize(&e.to_string())
                        ),
                    }
                    let event = AuditEvent::for_lookup(session.pool.as_str(), &query, &result);
                    audit_record(&audit, event, &msgs).await;
                    let _ = msgs.send(Msg::LookupDone { id, result });
                }));
            }
            Cmd::FetchList { id, list, username } => {
                if let Some(previous) = fetching.remove(&list) {
                    previous.abort();
                }
                let (session, msgs) = (session.clone(), msgs.clone());
                let task = tokio::spawn(async move {
                    if let Some(latency) = latency {
                        tokio::time::sleep(latency).await;
                    }
                    let result =
                        fetch_list(session.backend.as_ref(), &session.pool, &username, list).await;
                    match &result {
                        Ok(_) => tracing::info!(id, operation = list.operation(), "list fetched"),
                        Err(e) => tracing::info!(id, "list failed: {}", sanitize(&e.to_string())),
                    }
                    let _ = msgs.send(Msg::ListDone { id, result });
                });
                fetching.insert(list, task);
            }
            // Never aborted: once sent, a write's outcome must be audited and shown.
            Cmd::Write {
                id,
                action,
                username,
                sub,
            } => {
                let (session, msgs, audit) = (session.clone(), msgs.clone(), audit.clone());
                tokio::spawn(async move {
                    let result = session
                        .backend
                        .write(&session.pool, &username, action)
                        .await;
                    let outcome = match &result {
                        Ok(()) => "ok".to_string(),
                        Err(e) => e
                            .exception
                            .clone()
                            .unwrap_or_else(|| format!("{:?}", e.kind)),
                    };
                    tracing::info!(id, operation = action.operation(), %outcome, "write action");
                    let event = AuditEvent {
                        action: action.audit_name().into(),
                        pool: session.pool.to_string(),
                        username: Some(username),
                        sub,
                        outcome,
                        ..AuditEvent::default()
                    };
                    audit_record(&audit, event, &msgs).await;
                    let _ = msgs.send(Msg::WriteDone { id, result });
                });
            }
            // The clipboard is the terminal's: the terminal loop writes it.
            Cmd::Copy(_) => {}
        }
    }
    if let Some(task) = in_flight {
        task.abort();
    }
    for task in fetching.into_values() {
        task.abort();
    }
}
