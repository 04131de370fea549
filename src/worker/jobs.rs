//! One async function per [`Cmd`] on the pool in use, each returning its answer as
//! [`Msg`]s. Every request goes through the audit gate ([`audited`], [`audited_write`]): a job
//! touches the backend or the writer only inside the future it hands the gate. The worker's
//! loop decides which jobs replace which ([`super::slot`]); the tests call [`answer`] too.

use std::sync::atomic::AtomicBool;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use tokio::sync::mpsc::UnboundedSender;
use tokio_util::sync::CancellationToken;

use super::gate::{Audit, OwedLine, answer_or_refusal, audited, audited_write};
use crate::act::Write;
use crate::app::{Cmd, ExportError, Msg};
use crate::audit::AuditEvent;
use crate::cognito::listing::{Fetched, ListKind, Listing, fetch_list};
use crate::cognito::lookup::{self, LookupError, LookupMode};
use crate::cognito::resources::pool_groups;
use crate::cognito::{CognitoError, FilterAttribute, ListFilter, PoolSchema, UserSummary};
use crate::sanitize::sanitize;
use crate::search::browse::{self, Pager};
use crate::search::{self, PrefixCache, SearchResults};
use crate::session::Session;

/// What a job works with: the pool in use and the audit gate.
#[derive(Clone)]
pub struct Job {
    pub session: Session,
    /// DescribeUserPool's answer, once known (lookups skip a ListUsers with it).
    pub schema: Arc<OnceLock<PoolSchema>>,
    /// Complete prefix results of type-ahead search.
    pub cache: Arc<PrefixCache>,
    pub audit: Audit,
}

impl Job {
    /// A job context on `session` with nothing known yet about its pool.
    pub fn new(session: Session, audit: Audit) -> Self {
        Self {
            session,
            schema: Arc::default(),
            cache: Arc::new(PrefixCache::new()),
            audit,
        }
    }
}

/// What the worker gives a job besides the command: the line it owes while its requests are
/// out, where its partial answers go, the flag a write sets once its outcome is on record,
/// and the load-all's stop.
#[derive(Clone)]
pub struct Control {
    pub owed: OwedLine,
    pub progress: UnboundedSender<Msg>,
    pub recorded: Arc<AtomicBool>,
    pub cancel: CancellationToken,
}

impl Control {
    /// A control sending partial answers to `progress`.
    pub fn new(progress: UnboundedSender<Msg>) -> Self {
        Self {
            owed: OwedLine::default(),
            progress,
            recorded: Arc::default(),
            cancel: CancellationToken::new(),
        }
    }
}

/// Runs the job of `cmd` on the pool in use; its answer. Commands that are not jobs (the
/// pool switch, cancellations, the clipboard) answer nothing.
pub async fn answer(job: &Job, cmd: Cmd, control: &Control) -> Vec<Msg> {
    match cmd {
        Cmd::Lookup { id, query, mode } => vec![look_up(job, id, query, mode, &control.owed).await],
        Cmd::FetchList { id, list, username } => vec![list_of(job, id, list, username).await],
        Cmd::FetchPoolGroups { id } => vec![groups_of_pool(job, id).await],
        Cmd::FetchAuthFactors { id, username } => vec![factors_of(job, id, username).await],
        Cmd::Write { id, write } => vec![write_one(job, id, write, &control.recorded).await],
        Cmd::Search {
            id,
            query,
            debounce_ms,
        } => vec![search_for(job, id, query, debounce_ms, &control.progress).await],
        Cmd::BrowsePage { id, token, filter } => vec![browse_page(job, id, token, filter).await],
        Cmd::LoadAll { id, pager } => vec![load_all(job, id, pager, control).await],
        Cmd::ExportList {
            id,
            path,
            users,
            scope,
        } => vec![export_list(job, id, path, users, scope).await],
        _ => Vec::new(),
    }
}

/// Resolves `query` (then "did you mean" suggestions); one `lookup` line.
async fn look_up(job: &Job, id: u64, query: String, mode: LookupMode, owed: &OwedLine) -> Msg {
    let session = &job.session;
    let mut event = AuditEvent::new("lookup", session);
    event.query = Some(query.clone());
    let line = |event: AuditEvent, result: &Result<_, _>| event.lookup(&query, result);
    let resolve = audited(
        &job.audit,
        event,
        Some(owed),
        async {
            let (backend, pool) = (session.backend.as_ref(), &session.pool);
            let result = lookup::lookup(backend, pool, &query, mode, job.schema.get()).await;
            lookup::suggest(backend, pool, mode, result).await
        },
        line,
    );
    let result = match resolve.await {
        Ok(result) => result,
        Err(not_sent) => Err(LookupError::Refused(not_sent.to_string())),
    };
    match &result {
        Ok(_) => tracing::info!(id, mode = mode.label(), "lookup answered"),
        Err(e) => tracing::info!(
            id,
            mode = mode.label(),
            "lookup: {}",
            sanitize(&e.to_string())
        ),
    }
    Msg::LookupDone { id, result }
}

/// One audited read answering a `Result`, with no superseded line owed: a read the audit
/// gate refused answers as `operation`'s error, the shape every read job but the lookup has.
async fn audited_read<T>(
    job: &Job,
    event: AuditEvent,
    operation: &'static str,
    line: impl FnOnce(AuditEvent, &Result<T, CognitoError>) -> AuditEvent,
    request: impl Future<Output = Result<T, CognitoError>>,
) -> Result<T, CognitoError> {
    answer_or_refusal(
        audited(&job.audit, event, None, request, line).await,
        operation,
    )
}

/// Every page of a list pane; one `list_groups` / `list_devices` / `list_sign_ins` line.
async fn list_of(job: &Job, id: u64, list: ListKind, username: String) -> Msg {
    let session = &job.session;
    let event = AuditEvent::for_list(session, list, &username);
    let result = audited_read(job, event, list.operation(), AuditEvent::fetched, async {
        fetch_list(session.backend.as_ref(), &session.pool, &username, list).await
    })
    .await;
    match &result {
        Ok(_) => tracing::info!(id, operation = list.operation(), "list fetched"),
        Err(e) => tracing::info!(id, "list failed: {}", sanitize(&e.to_string())),
    }
    Msg::ListDone { id, result }
}

/// Every group of the pool, for the add-to-group picker; one `list_pool_groups` line.
async fn groups_of_pool(job: &Job, id: u64) -> Msg {
    let session = &job.session;
    let event = AuditEvent::new("list_pool_groups", session);
    let result = audited_read(job, event, "ListGroups", AuditEvent::fetched, async {
        let (groups, more) = pool_groups(session.backend.as_ref(), &session.pool).await?;
        Ok(Fetched {
            listing: Listing::Groups(groups),
            more,
        })
    })
    .await;
    Msg::PoolGroupsDone { id, result }
}

/// The user's auth factors for the MFA pane; one `get_auth_factors` line.
async fn factors_of(job: &Job, id: u64, username: String) -> Msg {
    let session = &job.session;
    let mut event = AuditEvent::new("get_auth_factors", session);
    event.username = Some(username.clone());
    let operation = "AdminGetUserAuthFactors";
    let result = audited_read(job, event, operation, AuditEvent::answered, async {
        let (backend, pool) = (session.backend.as_ref(), &session.pool);
        backend.get_user_auth_factors(pool, &username).await
    })
    .await;
    Msg::AuthFactorsDone { id, result }
}

/// The confirmed write, to its own pool only: attempt line, request, outcome line.
async fn write_one(job: &Job, id: u64, write: Write, recorded: &AtomicBool) -> Msg {
    let session = &job.session;
    if let Err(e) = write.check_target(session) {
        tracing::warn!(id, "write refused: {}", sanitize(&e.to_string()));
        recorded.store(true, std::sync::atomic::Ordering::SeqCst);
        return Msg::WriteDone { id, result: Err(e) };
    }
    // The user changes: cached search results may now be wrong.
    job.cache.clear();
    let event = write.audit_event(session);
    let operation = write.action.operation();
    let sent = audited_write(&job.audit, event, recorded, write.request(session)).await;
    let result = answer_or_refusal(sent, operation);
    let outcome = AuditEvent::outcome_of(&result);
    tracing::info!(id, operation, outcome = %sanitize(&outcome), "write action");
    Msg::WriteDone { id, result }
}

/// Type-ahead search after `debounce_ms` of quiet (a newer keystroke stops this job while it
/// still sleeps); each filter's answer goes to `progress` as it arrives. One `search` line.
async fn search_for(
    job: &Job,
    id: u64,
    query: String,
    debounce_ms: u64,
    progress: &UnboundedSender<Msg>,
) -> Msg {
    tokio::time::sleep(Duration::from_millis(debounce_ms)).await;
    let session = &job.session;
    let event = AuditEvent::new("search", session);
    let line = |event: AuditEvent, results: &SearchResults| event.search(results);
    let partial = |partial: &SearchResults| {
        let results = partial.clone();
        let _ = progress.send(Msg::SearchDone { id, results });
    };
    // Case variants follow when the query as typed finds less than a page.
    let run = audited(
        &job.audit,
        event,
        None,
        async {
            let (backend, pool) = (session.backend.as_ref(), &session.pool);
            let cache = Some(job.cache.as_ref());
            search::variants::search_with_case_variants_streaming(
                backend, pool, &query, cache, partial,
            )
            .await
        },
        line,
    );
    let results = match run.await {
        Ok(results) => results,
        Err(not_sent) => SearchResults {
            query: query.trim().to_string(),
            failures: vec![(FilterAttribute::Username, not_sent.as_error("ListUsers"))],
            ..SearchResults::default()
        },
    };
    let (requests, hits) = (results.requests, results.hits.len());
    tracing::info!(id, requests, hits, "search answered");
    Msg::SearchDone { id, results }
}

/// One ListUsers page for browsing; one `browse` line.
async fn browse_page(job: &Job, id: u64, token: Option<String>, filter: Option<ListFilter>) -> Msg {
    let session = &job.session;
    let event = AuditEvent::new("browse", session);
    let line = |mut event: AuditEvent, result: &Result<crate::cognito::UserPage, _>| {
        event.count = result.as_ref().ok().map(|p| p.users.len() as u64);
        event.answered(result)
    };
    let result = audited_read(job, event, "ListUsers", line, async {
        let (backend, pool) = (session.backend.as_ref(), &session.pool);
        browse::fetch_page(backend, pool, filter.as_ref(), token.as_deref()).await
    })
    .await;
    Msg::BrowsePage { id, result }
}

/// Every page from `pager` on, each to `progress` as a browse page, until done or stopped;
/// one `load_all` line with the users read.
async fn load_all(job: &Job, id: u64, mut pager: Pager, control: &Control) -> Msg {
    let session = &job.session;
    // The cached DescribeUserPool answer gives the bar a total (no new request).
    let users = job.schema.get().and_then(|s| s.estimated_number_of_users);
    let users = users.and_then(|n| u64::try_from(n).ok());
    let _ = control.progress.send(Msg::LoadAllEstimate { id, users });
    let before = pager.users;
    let event = AuditEvent::new("load_all", session);
    let pager = &mut pager;
    let on_page = |page, progress: &Pager| {
        tracing::debug!(id, users = progress.users, "load-all page");
        let _ = control.progress.send(Msg::BrowsePage {
            id,
            result: Ok(page),
        });
    };
    let line = |mut event: AuditEvent, (result, read): &(Result<_, _>, u64)| {
        event.count = Some(*read);
        event.outcome = match result {
            Ok(browse::LoadOutcome::Cancelled(_)) => "cancelled".into(),
            _ => AuditEvent::outcome_of(result),
        };
        event
    };
    let read = audited(
        &job.audit,
        event,
        None,
        async {
            let (backend, pool) = (session.backend.as_ref(), &session.pool);
            let result = browse::load_all(backend, pool, pager, &control.cancel, on_page).await;
            (result, pager.users.saturating_sub(before) as u64)
        },
        line,
    );
    let result = match read.await {
        Ok((result, _)) => result.map(|_| ()),
        Err(not_sent) => Err(not_sent.as_error("ListUsers")),
    };
    Msg::LoadAllDone { id, result }
}

/// Writes the list shown to a new CSV file (no request); one `export_list` line.
async fn export_list(
    job: &Job,
    id: u64,
    path: std::path::PathBuf,
    users: Vec<UserSummary>,
    scope: String,
) -> Msg {
    let written = tokio::task::spawn_blocking(move || write_csv(&path, &users))
        .await
        .unwrap_or_else(|e| Err(ExportError::Stopped(e.to_string())));
    let mut event = AuditEvent::new("export_list", &job.session);
    event.count = written.as_ref().ok().map(|n| *n as u64);
    // Whether the file is the whole list or only what was loaded, as the screen said.
    event.query = Some(scope);
    event.outcome = match &written {
        Ok(_) => "ok".into(),
        Err(_) => "file_error".into(),
    };
    let _ = job.audit.record(event).await;
    Msg::ExportDone {
        id,
        result: written,
    }
}

/// Writes `users` to a new CSV file at `path` with `-o csv`'s columns and cell safety; an
/// existing file is never overwritten. Returns how many users were written.
pub fn write_csv(path: &std::path::Path, users: &[UserSummary]) -> Result<usize, ExportError> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.create_new(true).append(true);
    let file = options.open(path)?;
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
