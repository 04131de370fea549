//! The only code that awaits IO. It builds the session (after the first frame is drawn,
//! because resolving credentials can take seconds), runs lookups, list fetches and confirmed
//! write actions, writes the audit log, and sends the answers back as [`Msg`]s. A new lookup
//! aborts the one in flight, and a new fetch of a list the one of the same list: their answers
//! would be dropped anyway, and Cognito's rate quota is shared with production.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};
use tokio::task::JoinHandle;

use tokio_util::sync::CancellationToken;

use crate::app::{Cmd, ExportError, Msg, Switched, Throttle};
use crate::audit::{AuditEvent, AuditLog, Phase};
pub use crate::cognito::listing::fetch_list;
use crate::cognito::listing::{Fetched, ListKind, Listing};
use crate::cognito::lookup;
use crate::cognito::resources::pool_groups;
use crate::cognito::{Backend, ErrorKind, PoolId};
use crate::ratelimit::ThrottleStatus;
use crate::sanitize::sanitize;
use crate::search::{self, PrefixCache, browse};
use crate::session::{self, SwitchError};

/// Artificial latency for the demo pool; applied by the session to every demo request.
pub use crate::session::DEMO_LATENCY_ENV;

/// How long quitting waits for a write in flight before recording its outcome as `unknown`.
pub const WRITE_GRACE: Duration = Duration::from_secs(5);

/// Starts the worker on the current tokio runtime (without a pool: only the pool picker
/// works until [`Cmd::SwitchPool`]). Drop the sender to stop it.
pub fn spawn(
    target: session::Target,
    pool: Option<PoolId>,
    demo: bool,
    audit: Option<Arc<AuditLog>>,
) -> (UnboundedSender<Cmd>, UnboundedReceiver<Msg>) {
    let (jobs, msgs, _) = spawn_joined(target, pool, demo, audit);
    (jobs, msgs)
}

/// [`spawn`], with the worker's task to give [`wait_until_stopped`] when the app quits.
pub fn spawn_joined(
    target: session::Target,
    pool: Option<PoolId>,
    demo: bool,
    audit: Option<Arc<AuditLog>>,
) -> (UnboundedSender<Cmd>, UnboundedReceiver<Msg>, JoinHandle<()>) {
    let (job_tx, job_rx) = unbounded_channel();
    let (msg_tx, msg_rx) = unbounded_channel();
    let task = tokio::spawn(run(target, pool, demo, audit, job_rx, msg_tx));
    (job_tx, msg_rx, task)
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
    let message = match tokio::task::spawn_blocking(move || log.record(&event)).await {
        Ok(Ok(())) => return,
        Ok(Err(e)) => e.to_string(),
        Err(e) => format!("audit writer stopped: {e}"),
    };
    tracing::error!("{}", sanitize(&message));
    let _ = msgs.send(Msg::AuditFailed(message));
}

/// One pool's session and what the worker keeps for it.
struct Connection {
    session: session::Session,
    /// DescribeUserPool's answer, when the caller may ask (lookups skip a ListUsers).
    schema: Arc<OnceLock<crate::cognito::PoolSchema>>,
    /// Complete prefix results, so a growing type-ahead query is answered locally.
    cache: Arc<PrefixCache>,
    /// Forwards the rate limiter's status to the UI (only while this pool is in use).
    throttle: Option<JoinHandle<()>>,
}

impl Connection {
    fn new(session: session::Session) -> Self {
        Self {
            session,
            schema: Arc::new(OnceLock::new()),
            cache: Arc::new(PrefixCache::new()),
            throttle: None,
        }
    }

    /// The start-up pool: connected without waiting for the network, then described in the
    /// background so a pool that can't be used is said on the first screen.
    async fn open(
        target: &session::Target,
        pool: PoolId,
        demo: bool,
        msgs: &UnboundedSender<Msg>,
    ) -> Self {
        let mut conn = Self::new(target.connect(pool, demo).await);
        let session = &conn.session;
        tracing::info!(pool = %session.pool, target = %session.info.target, "connected");
        let _ = msgs.send(Msg::Connected(session.info.clone()));
        // DescribeUserPool once: its name for the header, and lookups skip a redundant
        // ListUsers. Many support roles may not call it; then lookups simply go without.
        let (backend, pool, schema, msgs_to) = (
            session.backend.clone(),
            session.pool.clone(),
            conn.schema.clone(),
            msgs.clone(),
        );
        tokio::spawn(async move {
            // With the pool's MFA configuration where MFA is on, cached alike.
            let result = crate::cognito::pool_settings(backend.as_ref(), &pool).await;
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
        conn.start_throttle(msgs);
        conn
    }

    /// Another pool, checked before anything is sent to it: the name resolves, the session
    /// builds, and DescribeUserPool finds the pool (a caller not allowed to describe pools
    /// goes on unchecked, as lookups do).
    async fn prepare(
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
        };
        Ok((conn, switched))
    }

    fn start_throttle(&mut self, msgs: &UnboundedSender<Msg>) {
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

fn abort(task: &mut Option<JoinHandle<()>>) {
    if let Some(task) = task.take() {
        task.abort();
    }
}

/// A lookup still in flight and the audit line stopping it would owe.
type LookupInFlight = Option<(JoinHandle<()>, OwedLine)>;

/// Stops the lookup in flight, if any. Its requests may already have reached Cognito (an
/// AdminGetUser bills a monthly active user), so the trail records it as `superseded` —
/// unless it got as far as recording its own answer, which is then the one line.
async fn supersede_lookup(
    lookup: &mut LookupInFlight,
    audit: &Option<Arc<AuditLog>>,
    msgs: &UnboundedSender<Msg>,
) {
    if let Some((task, owed)) = lookup.take() {
        stop_owing(task, &owed, audit, msgs).await;
    }
}

/// Stops a lookup's task, then records its owed line (if it still owes one) as `superseded`.
async fn stop_owing(
    task: JoinHandle<()>,
    owed: &OwedLine,
    audit: &Option<Arc<AuditLog>>,
    msgs: &UnboundedSender<Msg>,
) {
    task.abort();
    // Once the task has stopped, `owed` says for certain whether a line is owed.
    let _ = task.await;
    let owed = owed.lock().expect("not poisoned").take();
    if let Some(mut event) = owed {
        event.outcome = "superseded".into();
        audit_record(audit, event, msgs).await;
    }
}

async fn run(
    target: session::Target,
    pool: Option<PoolId>,
    demo: bool,
    audit: Option<Arc<AuditLog>>,
    mut jobs: UnboundedReceiver<Cmd>,
    msgs: UnboundedSender<Msg>,
) {
    let mut conn = match pool {
        Some(pool) => Some(Connection::open(&target, pool, demo, &msgs).await),
        None => None,
    };
    // A pool switch runs beside the loop, so commands for the pool in use don't wait for it;
    // the checked connection waits in `prepared` until the UI commits it with UsePool.
    let (switch_tx, mut switch_rx) =
        unbounded_channel::<(u64, Result<(Connection, Switched), SwitchError>)>();
    let mut switching: Option<(u64, JoinHandle<()>)> = None;
    let mut prepared: Option<(u64, Connection)> = None;
    // Lists pools before one is chosen (built on first use).
    let mut lister: Option<Arc<dyn Backend>> = None;

    let mut in_flight: LookupInFlight = None;
    let mut fetching: HashMap<ListKind, JoinHandle<()>> = HashMap::new();
    let mut searching: Option<JoinHandle<()>> = None;
    let mut paging: Option<JoinHandle<()>> = None;
    let mut loading_all: Option<(u64, CancellationToken)> = None;
    let mut listing_pools: Option<JoinHandle<()>> = None;
    let mut load_all_task: Option<JoinHandle<()>> = None;
    let mut writes: Vec<WriteInFlight> = Vec::new();
    // The all-pools lookups: each named pool's session, kept for the next run (its limiter
    // with it), and the lookups still out.
    let named_sessions: NamedSessions = Arc::default();
    let mut pool_lookups: Vec<PoolLookupInFlight> = Vec::new();
    loop {
        let job = tokio::select! {
            job = jobs.recv() => match job {
                Some(job) => job,
                None => break,
            },
            Some((id, result)) = switch_rx.recv() => {
                if switching.as_ref().is_some_and(|(current, _)| *current == id) {
                    switching = None;
                    let result = result.map(|(conn, switched)| {
                        prepared = Some((id, conn));
                        switched
                    });
                    if let Err(e) = &result {
                        tracing::warn!("pool switch refused: {}", sanitize(&e.to_string()));
                    }
                    let _ = msgs.send(Msg::PoolSwitched { id, result });
                }
                continue;
            }
        };
        let needs_pool = !matches!(
            job,
            Cmd::Copy(_)
                | Cmd::ListPools { .. }
                | Cmd::SwitchPool { .. }
                | Cmd::UsePool { .. }
                | Cmd::CancelSearch
                | Cmd::CancelLoadAll { .. }
                | Cmd::LookupAllPools { .. }
        );
        if needs_pool && conn.is_none() {
            tracing::warn!("dropping a request made before a pool was chosen: {job:?}");
            continue;
        }
        match job {
            Cmd::Lookup { id, query, mode } => {
                supersede_lookup(&mut in_flight, &audit, &msgs).await;
                let c = conn.as_ref().expect("checked above");
                let (session, schema, msgs) = (c.session.clone(), c.schema.clone(), msgs.clone());
                let audit = audit.clone();
                let mut superseded = AuditEvent::new("lookup", &session);
                superseded.query = Some(query.clone());
                let owed: OwedLine = Arc::new(std::sync::Mutex::new(Some(superseded)));
                let owing = owed.clone();
                let task = tokio::spawn(async move {
                    let (backend, pool) = (session.backend.as_ref(), &session.pool);
                    let result = lookup::lookup(backend, pool, &query, mode, schema.get()).await;
                    let result = lookup::suggest(backend, pool, mode, result).await;
                    match &result {
                        Ok(_) => tracing::info!(id, mode = mode.label(), "lookup answered"),
                        Err(e) => tracing::info!(
                            id,
                            mode = mode.label(),
                            "lookup failed: {}",
                            sanitize(&e.to_string())
                        ),
                    }
                    // From here the answer is this task's to record, not a superseded line.
                    owing.lock().expect("not poisoned").take();
                    let event = AuditEvent::new("lookup", &session).lookup(&query, &result);
                    audit_record(&audit, event, &msgs).await;
                    let _ = msgs.send(Msg::LookupDone { id, result });
                });
                in_flight = Some((task, owed));
            }
            Cmd::FetchList { id, list, username } => {
                if let Some(previous) = fetching.remove(&list) {
                    previous.abort();
                }
                let session = conn.as_ref().expect("checked above").session.clone();
                let (msgs, audit) = (msgs.clone(), audit.clone());
                let task = tokio::spawn(async move {
                    let result =
                        fetch_list(session.backend.as_ref(), &session.pool, &username, list).await;
                    match &result {
                        Ok(_) => tracing::info!(id, operation = list.operation(), "list fetched"),
                        Err(e) => tracing::info!(id, "list failed: {}", sanitize(&e.to_string())),
                    }
                    let mut event = AuditEvent::new(list_audit_name(list), &session);
                    event.username = Some(username);
                    event.count = result.as_ref().ok().map(|f| listing_len(&f.listing));
                    event.outcome = AuditEvent::outcome_of(&result);
                    audit_record(&audit, event, &msgs).await;
                    let _ = msgs.send(Msg::ListDone { id, result });
                });
                fetching.insert(list, task);
            }
            Cmd::FetchPoolGroups { id } => {
                let session = conn.as_ref().expect("checked above").session.clone();
                let msgs = msgs.clone();
                tokio::spawn(async move {
                    let result = pool_groups(session.backend.as_ref(), &session.pool)
                        .await
                        .map(|(groups, more)| Fetched {
                            listing: Listing::Groups(groups),
                            more,
                        });
                    let _ = msgs.send(Msg::PoolGroupsDone { id, result });
                });
            }
            // Never aborted: once sent, a write's outcome must be audited and shown.
            Cmd::Write {
                id,
                action,
                username,
                sub,
            } => {
                let c = conn.as_ref().expect("checked above");
                // The user changes: cached search results may now be wrong.
                c.cache.clear();
                let (session, msgs, audit) = (c.session.clone(), msgs.clone(), audit.clone());
                let mut event = AuditEvent::new(action.audit_name(), &session);
                event.username = Some(username.clone());
                event.sub = sub;
                event.group = action.audit_detail().map(str::to_string);
                let recorded = Arc::new(AtomicBool::new(false));
                let task = {
                    let (event, recorded) = (event.clone(), recorded.clone());
                    tokio::spawn(async move {
                        // On record before it is sent: a crash mid-request leaves the attempt.
                        let attempt = AuditEvent {
                            phase: Some(Phase::Attempt),
                            ..event.clone()
                        };
                        audit_record(&audit, attempt, &msgs).await;
                        let result = session.write(&username, action.clone()).await;
                        let outcome = AuditEvent::outcome_of(&result);
                        tracing::info!(
                            id,
                            operation = action.operation(),
                            outcome = %sanitize(&outcome),
                            "write action"
                        );
                        let done = AuditEvent {
                            phase: Some(Phase::Outcome),
                            outcome,
                            ..event
                        };
                        audit_record(&audit, done, &msgs).await;
                        recorded.store(true, Ordering::SeqCst);
                        let _ = msgs.send(Msg::WriteDone { id, result });
                    })
                };
                writes.retain(|w| !w.task.is_finished());
                writes.push(WriteInFlight {
                    task,
                    event,
                    recorded,
                });
            }
            // Debounced here: a newer keystroke aborts this task while it still sleeps, and
            // a superseded search in flight is dropped with its requests.
            Cmd::Search {
                id,
                query,
                debounce_ms,
            } => {
                abort(&mut searching);
                let c = conn.as_ref().expect("checked above");
                let (session, cache, msgs) = (c.session.clone(), c.cache.clone(), msgs.clone());
                let audit = audit.clone();
                searching = Some(tokio::spawn(async move {
                    tokio::time::sleep(Duration::from_millis(debounce_ms)).await;
                    // Each filter's answer is shown as it arrives (username first); case
                    // variants follow when the query as typed finds less than a page.
                    let results = search::variants::search_with_case_variants_streaming(
                        session.backend.as_ref(),
                        &session.pool,
                        &query,
                        Some(&cache),
                        |partial| {
                            let _ = msgs.send(Msg::SearchDone {
                                id,
                                results: partial.clone(),
                            });
                        },
                    )
                    .await;
                    tracing::info!(
                        id,
                        requests = results.requests,
                        hits = results.hits.len(),
                        "search answered"
                    );
                    let event = AuditEvent::new("search", &session).search(&results);
                    audit_record(&audit, event, &msgs).await;
                    let _ = msgs.send(Msg::SearchDone { id, results });
                }));
            }
            Cmd::CancelSearch => abort(&mut searching),
            Cmd::ForgetSearchCache => conn.as_ref().expect("checked above").cache.clear(),
            Cmd::BrowsePage { id, token, filter } => {
                abort(&mut paging);
                let session = conn.as_ref().expect("checked above").session.clone();
                let (msgs, audit) = (msgs.clone(), audit.clone());
                paging = Some(tokio::spawn(async move {
                    let result = browse::fetch_page(
                        session.backend.as_ref(),
                        &session.pool,
                        filter.as_ref(),
                        token.as_deref(),
                    )
                    .await;
                    let mut event = AuditEvent::new("browse", &session);
                    event.count = result.as_ref().ok().map(|p| p.users.len() as u64);
                    event.outcome = AuditEvent::outcome_of(&result);
                    audit_record(&audit, event, &msgs).await;
                    let _ = msgs.send(Msg::BrowsePage { id, result });
                }));
            }
            Cmd::LoadAll { id, mut pager } => {
                abort(&mut paging);
                if let Some((_, token)) = loading_all.take() {
                    token.cancel();
                }
                let cancel = CancellationToken::new();
                loading_all = Some((id, cancel.clone()));
                let c = conn.as_ref().expect("checked above");
                // The cached DescribeUserPool answer gives the bar a total (no new request).
                let users = c.schema.get().and_then(|s| s.estimated_number_of_users);
                let users = users.and_then(|n| u64::try_from(n).ok());
                let _ = msgs.send(Msg::LoadAllEstimate { id, users });
                let session = c.session.clone();
                let (msgs, audit) = (msgs.clone(), audit.clone());
                load_all_task = Some(tokio::spawn(async move {
                    let before = pager.users;
                    let result = browse::load_all(
                        session.backend.as_ref(),
                        &session.pool,
                        &mut pager,
                        &cancel,
                        |page, progress| {
                            tracing::debug!(id, users = progress.users, "load-all page");
                            let _ = msgs.send(Msg::BrowsePage {
                                id,
                                result: Ok(page),
                            });
                        },
                    )
                    .await;
                    let mut event = AuditEvent::new("load_all", &session);
                    event.count = Some(pager.users.saturating_sub(before) as u64);
                    event.outcome = match &result {
                        Ok(browse::LoadOutcome::Cancelled(_)) => "cancelled".into(),
                        _ => AuditEvent::outcome_of(&result),
                    };
                    audit_record(&audit, event, &msgs).await;
                    let _ = msgs.send(Msg::LoadAllDone {
                        id,
                        result: result.map(|_| ()),
                    });
                }));
            }
            Cmd::CancelLoadAll { id } => {
                if let Some((_, token)) = loading_all.take_if(|(running, _)| *running == id) {
                    token.cancel();
                }
            }
            Cmd::ListPools { id, token } => {
                abort(&mut listing_pools);
                let backend = match &conn {
                    Some(c) => c.session.backend.clone(),
                    None => match &lister {
                        Some(b) => b.clone(),
                        None => lister.insert(target.connect_without_pool().await).clone(),
                    },
                };
                let msgs = msgs.clone();
                listing_pools = Some(tokio::spawn(async move {
                    let result = backend
                        .list_user_pools(crate::cognito::PageRequest::after(60, token.as_deref()))
                        .await;
                    let _ = msgs.send(Msg::PoolsPage { id, result });
                }));
            }
            Cmd::SwitchPool { id, pool } => {
                // Only the newest switch counts.
                if let Some((_, task)) = switching.take() {
                    task.abort();
                }
                prepared = None;
                let (target, switch_tx) = (target.clone(), switch_tx.clone());
                let task = tokio::spawn(async move {
                    let result = Connection::prepare(&target, &pool).await;
                    let _ = switch_tx.send((id, result));
                });
                switching = Some((id, task));
            }
            Cmd::UsePool { id } => {
                let Some((_, mut next)) = prepared.take_if(|(ready, _)| *ready == id) else {
                    tracing::warn!(id, "no prepared pool to use");
                    continue;
                };
                // Answers for the old pool would be dropped by the UI: stop asking for them.
                supersede_lookup(&mut in_flight, &audit, &msgs).await;
                abort(&mut searching);
                abort(&mut paging);
                for task in fetching.drain().map(|(_, t)| t) {
                    task.abort();
                }
                if let Some((_, token)) = loading_all.take() {
                    token.cancel();
                }
                // The old connection (its cache and throttle feed) goes first.
                drop(conn.take());
                let _ = msgs.send(Msg::Throttle(None));
                next.start_throttle(&msgs);
                tracing::info!(pool = %next.session.pool, "switched pools");
                conn = Some(next);
            }
            Cmd::ExportList { id, path, users } => {
                let session = conn.as_ref().expect("checked above").session.clone();
                let (msgs, audit) = (msgs.clone(), audit.clone());
                tokio::spawn(async move {
                    let written = tokio::task::spawn_blocking(move || write_csv(&path, &users))
                        .await
                        .unwrap_or_else(|e| Err(ExportError::Stopped(e.to_string())));
                    let mut event = AuditEvent::new("export_list", &session);
                    event.count = written.as_ref().ok().map(|n| *n as u64);
                    event.outcome = match &written {
                        Ok(_) => "ok".into(),
                        Err(_) => "file_error".into(),
                    };
                    audit_record(&audit, event, &msgs).await;
                    let _ = msgs.send(Msg::ExportDone {
                        id,
                        result: written,
                    });
                });
            }
            Cmd::LookupAllPools {
                id,
                query,
                mode,
                pools,
            } => {
                // A new run replaces the popup's rows: the old run's answers would be dropped.
                supersede_pool_lookups(&mut pool_lookups, &audit, &msgs).await;
                for name in pools {
                    let started = OwedLine::default();
                    let lookup = NamedPoolLookup {
                        target: target.clone(),
                        sessions: named_sessions.clone(),
                        id,
                        name,
                        query: query.clone(),
                        mode,
                        started: started.clone(),
                        audit: audit.clone(),
                        msgs: msgs.clone(),
                    };
                    let task = tokio::spawn(lookup.run());
                    pool_lookups.push(PoolLookupInFlight { task, started });
                }
            }
            // The clipboard is the terminal's: the terminal loop writes it.
            Cmd::Copy(_) => {}
        }
    }
    if let Some((_, task)) = switching {
        task.abort();
    }
    supersede_lookup(&mut in_flight, &audit, &msgs).await;
    supersede_pool_lookups(&mut pool_lookups, &audit, &msgs).await;
    for mut task in [searching, paging, listing_pools, load_all_task] {
        abort(&mut task);
    }
    finish_writes(writes, &audit, &msgs).await;
    for task in fetching.into_values() {
        task.abort();
    }
    if let Some((_, token)) = loading_all {
        token.cancel();
    }
}

/// The sessions of the config's named pools used by all-pools lookups, by name.
type NamedSessions = Arc<std::sync::Mutex<HashMap<String, session::Session>>>;

/// A lookup's audit line, held from the moment its requests may go out until the lookup
/// records its own answer: while held, stopping the lookup owes a `superseded` line.
type OwedLine = Arc<std::sync::Mutex<Option<AuditEvent>>>;

/// One pool's lookup of an all-pools run.
struct PoolLookupInFlight {
    task: JoinHandle<()>,
    started: OwedLine,
}

/// Stops an all-pools run's lookups. One whose requests may have reached Cognito and that
/// had not recorded its answer is audited `superseded`, as a replaced single lookup is.
async fn supersede_pool_lookups(
    lookups: &mut Vec<PoolLookupInFlight>,
    audit: &Option<Arc<AuditLog>>,
    msgs: &UnboundedSender<Msg>,
) {
    for PoolLookupInFlight { task, started } in lookups.drain(..) {
        stop_owing(task, &started, audit, msgs).await;
    }
}

/// The session for the named pool `name` (built once, then reused).
async fn named_session(
    target: &session::Target,
    sessions: &NamedSessions,
    name: &str,
) -> Result<session::Session, session::SessionError> {
    if let Some(session) = sessions.lock().expect("not poisoned").get(name) {
        return Ok(session.clone());
    }
    let session = target.connect_to(name).await?;
    (sessions.lock().expect("not poisoned")).insert(name.to_string(), session.clone());
    Ok(session)
}

/// One named pool's lookup of an all-pools run.
struct NamedPoolLookup {
    target: session::Target,
    sessions: NamedSessions,
    id: u64,
    /// The config's name for the pool.
    name: String,
    query: String,
    mode: lookup::LookupMode,
    started: OwedLine,
    audit: Option<Arc<AuditLog>>,
    msgs: UnboundedSender<Msg>,
}

impl NamedPoolLookup {
    /// Looks the query up with the pool's own profile, Region and limiter, records one audit
    /// line naming them, and answers with [`Msg::PoolLookupDone`].
    async fn run(self) {
        let Self {
            target,
            sessions,
            id,
            name,
            query,
            mode,
            started,
            audit,
            msgs,
        } = self;
        let session = match named_session(&target, &sessions, &name).await {
            Ok(session) => session,
            Err(e) => {
                let why = e.to_string();
                let (pool, why) = (sanitize(&name), sanitize(&why));
                tracing::info!(id, %pool, "all-pools: pool not usable: {why}");
                let result = Err(lookup::LookupError::Refused(format!("pool {name}: {e}")));
                let _ = msgs.send(Msg::PoolLookupDone {
                    id,
                    pool: name,
                    session: None,
                    result,
                });
                return;
            }
        };
        let mut pending = AuditEvent::new("lookup", &session);
        pending.query = Some(query.clone());
        *started.lock().expect("not poisoned") = Some(pending);
        let result =
            lookup::lookup(session.backend.as_ref(), &session.pool, &query, mode, None).await;
        tracing::info!(id, pool = %session.pool, "all-pools lookup answered");
        // From here the answer is this task's to record, not a superseded line.
        started.lock().expect("not poisoned").take();
        let event = AuditEvent::new("lookup", &session).lookup(&query, &result);
        audit_record(&audit, event, &msgs).await;
        let _ = msgs.send(Msg::PoolLookupDone {
            id,
            pool: name,
            session: Some(session.info),
            result,
        });
    }
}

/// A write request sent and not yet known to be answered.
struct WriteInFlight {
    task: JoinHandle<()>,
    /// The event its outcome line would carry.
    event: AuditEvent,
    /// Set once the task has recorded its outcome.
    recorded: Arc<AtomicBool>,
}

/// Waits (at most [`WRITE_GRACE`] in all) for writes still in flight when the app quits;
/// one that doesn't finish is abandoned and recorded with the outcome `unknown`, so the
/// trail never ends on an attempt without saying so.
async fn finish_writes(
    writes: Vec<WriteInFlight>,
    audit: &Option<Arc<AuditLog>>,
    msgs: &UnboundedSender<Msg>,
) {
    let deadline = tokio::time::Instant::now() + WRITE_GRACE;
    for mut write in writes {
        if tokio::time::timeout_at(deadline, &mut write.task)
            .await
            .is_ok()
        {
            continue;
        }
        write.task.abort();
        let _ = (&mut write.task).await;
        if !write.recorded.load(Ordering::SeqCst) {
            tracing::warn!(action = %write.event.action, "quit with a write in flight");
            let event = AuditEvent {
                phase: Some(Phase::Outcome),
                outcome: "unknown".into(),
                ..write.event
            };
            audit_record(audit, event, msgs).await;
        }
    }
}

/// Writes `users` to a new CSV file at `path` with `-o csv`'s columns and cell safety; an
/// existing file is never overwritten. Returns how many users were written.
pub fn write_csv(
    path: &std::path::Path,
    users: &[crate::cognito::UserSummary],
) -> Result<usize, ExportError> {
    use std::io::Write;
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    let attributes = crate::app::EXPORT_ATTRIBUTES.map(String::from).to_vec();
    let mut out = std::io::BufWriter::new(file);
    let mut table = crate::tabular::TableWriter::new(
        &mut out,
        crate::tabular::Delimited::Csv,
        &[],
        attributes,
    )?;
    for user in users {
        table.row(&[], Some(user.into()))?;
    }
    table.flush()?;
    drop(table);
    out.flush()?;
    Ok(users.len())
}

/// The audit action for opening a list pane.
fn list_audit_name(list: ListKind) -> &'static str {
    match list {
        ListKind::Groups => "list_groups",
        ListKind::Devices => "list_devices",
        ListKind::SignIns => "list_sign_ins",
    }
}

/// How many items a list pane received.
fn listing_len(listing: &Listing) -> u64 {
    (match listing {
        Listing::Groups(items) => items.len(),
        Listing::Devices(items) => items.len(),
        Listing::SignIns(items) => items.len(),
    }) as u64
}

/// Waits (bounded) until the worker has stopped: it has audited the lookups it stopped as
/// `superseded` and finished or abandoned the writes in flight, lines the runtime's end
/// would otherwise cut off. Call after the job sender is dropped.
pub async fn wait_until_stopped(worker: JoinHandle<()>) {
    let _ = tokio::time::timeout(WRITE_GRACE + Duration::from_secs(1), worker).await;
}
