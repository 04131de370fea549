//! `get` for many queries or many pools: a batch from stdin or a file, and "which pool is
//! this user in?" over the config's named pools. Each query is resolved exactly as a single
//! `get`; results print in input order as NDJSON, CSV/TSV or text lines.

use futures::StreamExt;
use serde::{Serialize, Serializer};

use crate::audit::AuditEvent;
use crate::cli::{GetArgs, OutputFormat, TargetArgs};
use crate::cognito::lookup::{self, LookupError, LookupOutcome};
use crate::cognito::{User, UserSummary};
use crate::exit;
use crate::oneshot::error::written;
use crate::oneshot::gate::{Gate, Trail};
use crate::oneshot::stop::{Ending, Stop};
use crate::oneshot::{CliError, format_for_stdout, usage};
use crate::output::table::{TableWriter, UserRow};
use crate::output::{self, Shape, Stdout, TableOut, WriteError};
use crate::redact;
use crate::sanitize::sanitize;
use crate::session::{self, Session};
use crate::width::{pad, width};

/// Whether `get` with these arguments is this module's: a batch, several pools, or csv/tsv
/// (and `--attributes`, which only they use).
pub fn handles(args: &GetArgs) -> bool {
    args.query.as_deref() == Some("-")
        || args.from.is_some()
        || args.all_pools
        || !args.pools.is_empty()
        || !args.attributes.is_empty()
        || args.output.and_then(OutputFormat::delimited).is_some()
}

/// One query's result, as a JSON line and an exit code.
pub(crate) enum Outcome {
    Found(Box<User>),
    NotFound,
    Ambiguous(Vec<UserSummary>),
    Error {
        code: String,
        message: String,
        exit: i32,
    },
}

impl Outcome {
    pub(crate) fn from_lookup(result: Result<LookupOutcome, LookupError>) -> Self {
        match result {
            Ok(LookupOutcome::Found(found)) => Self::Found(Box::new(found.user)),
            Ok(LookupOutcome::Ambiguous(a)) => Self::Ambiguous(a.matches),
            Err(LookupError::NotFound { .. }) => Self::NotFound,
            // Refused before any request: a malformed query, or a pool that can't be used.
            Err(LookupError::Refused(message)) => Self::Error {
                code: "Refused".into(),
                message,
                exit: exit::USAGE,
            },
            Err(LookupError::Cognito(e)) => Self::Error {
                code: e
                    .exception
                    .clone()
                    .unwrap_or_else(|| format!("{:?}", e.kind)),
                message: e.to_string(),
                exit: e.kind.exit_code(),
            },
        }
    }

    pub(crate) fn result(&self) -> &'static str {
        match self {
            Self::Found(_) => "found",
            Self::NotFound => "not_found",
            Self::Ambiguous(_) => "ambiguous",
            Self::Error { .. } => "error",
        }
    }

    pub(crate) fn exit_code(&self) -> i32 {
        match self {
            Self::Found(_) => exit::FOUND,
            Self::NotFound => exit::NOT_FOUND,
            Self::Ambiguous(_) => exit::AMBIGUOUS,
            Self::Error { exit, .. } => *exit,
        }
    }
}

#[derive(Serialize)]
struct ErrorJson<'a> {
    #[serde(rename = "Code")]
    code: &'a str,
    #[serde(rename = "Message")]
    message: &'a str,
}

/// One NDJSON line: the keys that apply only.
#[derive(Serialize)]
struct Line<'a> {
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pool: Option<&'a PoolLabel<'a>>,
    #[serde(rename = "Query")]
    query: &'a str,
    #[serde(rename = "Result")]
    result: &'static str,
    #[serde(
        rename = "User",
        skip_serializing_if = "Option::is_none",
        serialize_with = "admin_get_user"
    )]
    user: Option<&'a User>,
    #[serde(
        rename = "Matches",
        skip_serializing_if = "Option::is_none",
        serialize_with = "list_users"
    )]
    matches: Option<&'a [UserSummary]>,
    #[serde(rename = "Error", skip_serializing_if = "Option::is_none")]
    error: Option<ErrorJson<'a>>,
}

fn admin_get_user<S: Serializer>(user: &Option<&User>, s: S) -> Result<S::Ok, S::Error> {
    match user {
        Some(u) => output::admin_get_user_value(u).serialize(s),
        None => s.serialize_none(),
    }
}

fn list_users<S: Serializer>(users: &Option<&[UserSummary]>, s: S) -> Result<S::Ok, S::Error> {
    match users {
        Some(users) => s.collect_seq(users.iter().map(output::list_users_value)),
        None => s.serialize_none(),
    }
}

/// Where one result came from, for multi-pool lines.
#[derive(Serialize)]
struct PoolLabel<'a> {
    #[serde(rename = "Pool")]
    name: &'a str,
    #[serde(rename = "PoolId", skip_serializing_if = "Option::is_none")]
    id: Option<&'a str>,
}

/// The line for `outcome`, for the sink to write as one NDJSON line.
fn json_line<'a>(pool: Option<&'a PoolLabel>, query: &'a str, outcome: &'a Outcome) -> Line<'a> {
    Line {
        pool,
        query,
        result: outcome.result(),
        user: match outcome {
            Outcome::Found(u) => Some(u),
            _ => None,
        },
        matches: match outcome {
            Outcome::Ambiguous(m) => Some(m),
            _ => None,
        },
        error: match outcome {
            Outcome::Error { code, message, .. } => Some(ErrorJson { code, message }),
            _ => None,
        },
    }
}

/// A short, sanitized text line.
fn text_line(prefix: &str, outcome: &Outcome) -> String {
    let detail = match outcome {
        Outcome::Found(u) => format!(
            "found  {}  {}  {}  {}",
            sanitize(&u.username),
            u.status.as_ref().map(|s| s.as_wire()).unwrap_or("-"),
            if u.enabled { "enabled" } else { "DISABLED" },
            sanitize(u.attribute("email").unwrap_or("-")),
        ),
        Outcome::NotFound => "not found".into(),
        Outcome::Ambiguous(m) => format!(
            "ambiguous: {}",
            m.iter()
                .map(|u| sanitize(&u.username).into_owned())
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Outcome::Error { code, message, .. } => {
            format!("error  {}: {}", sanitize(code), sanitize(message))
        }
    };
    format!("{prefix}  {detail}\n")
}

/// The `Result` and `Error` cells of a table row: what the query came to, so a failed
/// lookup never reads as an empty not-found row.
fn result_cells(outcome: &Outcome) -> [String; 2] {
    let error = match outcome {
        Outcome::Error { code, message, .. } => format!("{code}: {message}"),
        _ => String::new(),
    };
    [outcome.result().to_string(), error]
}

/// How results are written.
enum Printer {
    Json(Stdout),
    /// Text lines; `widths` are the pool name's and id's columns (several pools), so the
    /// lines align.
    Text {
        out: Stdout,
        widths: [usize; 2],
    },
    /// CSV/TSV; `tagged` when each row carries `Result` and `Error` after its leading cells
    /// (batches and several pools: a single `get` says it on stderr and in its exit code).
    Table {
        table: TableWriter<TableOut>,
        tagged: bool,
    },
}

impl Printer {
    /// A printer on stdout; a table's header is written at once: `leading` columns, then
    /// `Result` and `Error` when there are leading ones, then the user's.
    fn new(
        format: OutputFormat,
        shape: Shape,
        leading: &[&str],
        columns: Vec<String>,
    ) -> Result<Self, WriteError> {
        let out = Stdout::shaped(shape);
        Ok(match format.delimited() {
            Some(d) => {
                let tagged = !leading.is_empty();
                let mut header = leading.to_vec();
                if tagged {
                    header.extend(["Result", "Error"]);
                }
                let table = out.table(d, &header, columns)?;
                Self::Table { table, tagged }
            }
            None if out.is_people_text() => Self::Text {
                out,
                widths: [0, 0],
            },
            None => Self::Json(out),
        })
    }

    /// Writes one result; `leading` are the cells before the user's (query, pool…).
    fn print(
        &mut self,
        pool: Option<&PoolLabel>,
        query: &str,
        leading: &[&str],
        outcome: &Outcome,
    ) -> Result<(), WriteError> {
        match self {
            Self::Json(w) => {
                w.json_line(&json_line(pool, query, outcome))?;
                w.flush()
            }
            Self::Text { out, widths } => {
                let prefix = match pool {
                    Some(p) => format!(
                        "{}  {}",
                        pad(&sanitize(p.name), widths[0]),
                        pad(p.id.unwrap_or("-"), widths[1])
                    ),
                    None => sanitize(query).into_owned(),
                };
                out.text(&text_line(&prefix, outcome))
            }
            Self::Table { table, tagged } => {
                let tags = result_cells(outcome);
                let mut cells = leading.to_vec();
                if *tagged {
                    cells.extend(tags.iter().map(String::as_str));
                }
                match outcome {
                    Outcome::Found(u) => table.row(&cells, Some(UserRow::from(u.as_ref())))?,
                    // One row per candidate: the agent sees whom the query could mean.
                    Outcome::Ambiguous(matches) => {
                        for m in matches {
                            table.row(&cells, Some(UserRow::from(m)))?;
                        }
                    }
                    Outcome::NotFound | Outcome::Error { .. } => table.row(&cells, None)?,
                }
                Ok(table.flush()?)
            }
        }
    }
}

/// Why a batch's queries could not be read.
#[derive(Debug, thiserror::Error)]
pub enum QueriesError {
    /// The file `--from` names.
    #[error("cannot read {}: {source}", path.display())]
    File {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
    /// Standard input (`get -`, `diagnose -`).
    #[error("cannot read queries from stdin: {0}")]
    Stdin(std::io::Error),
}

/// One line of a batch's input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueryLine {
    /// A query, trimmed.
    Query(String),
    /// A line that is not UTF-8: answered as an error naming its line number, and the batch
    /// goes on. `shown` is the line with the bad bytes as U+FFFD.
    NotUtf8 { line: usize, shown: String },
}

impl QueryLine {
    /// The query as printed in the `Query` column.
    pub fn text(&self) -> &str {
        match self {
            Self::Query(q) => q,
            Self::NotUtf8 { shown, .. } => shown,
        }
    }

    /// The refusal a line that is not UTF-8 gets instead of a lookup.
    pub fn refusal(&self) -> Option<LookupError> {
        match self {
            Self::Query(_) => None,
            Self::NotUtf8 { line, .. } => Some(LookupError::Refused(format!(
                "line {line} is not UTF-8; save the file as UTF-8"
            ))),
        }
    }
}

/// Reads the batch's queries: one per line, blank lines and `#` comments skipped.
fn read_queries(args: &GetArgs) -> Result<Vec<QueryLine>, QueriesError> {
    read_query_lines(args.from.as_deref())
}

/// Queries from `from` (else stdin): one per line, blank lines and `#` comments skipped, a
/// leading byte-order mark dropped (editors on Windows write one), and a line that is not
/// UTF-8 kept as [`QueryLine::NotUtf8`] so the others still run.
pub fn read_query_lines(from: Option<&std::path::Path>) -> Result<Vec<QueryLine>, QueriesError> {
    let bytes = match from {
        Some(path) => std::fs::read(path).map_err(|source| QueriesError::File {
            path: path.to_path_buf(),
            source,
        })?,
        None => {
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(&mut std::io::stdin().lock(), &mut bytes)
                .map_err(QueriesError::Stdin)?;
            bytes
        }
    };
    Ok(query_lines(&bytes))
}

/// [`read_query_lines`] on bytes already read.
pub fn query_lines(bytes: &[u8]) -> Vec<QueryLine> {
    let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    bytes
        .split(|&b| b == b'\n')
        .enumerate()
        .filter_map(|(i, raw)| match std::str::from_utf8(raw) {
            Ok(line) => {
                let line = line.trim();
                (!line.is_empty() && !line.starts_with('#'))
                    .then(|| QueryLine::Query(line.to_string()))
            }
            Err(_) => {
                let shown = String::from_utf8_lossy(raw).trim().to_string();
                (!shown.starts_with('#')).then_some(QueryLine::NotUtf8 { line: i + 1, shown })
            }
        })
        .collect()
}

/// Runs `get` for a batch, several pools, or one query as csv/tsv: `Ok` with the worst
/// line's exit code, or what stopped it.
pub async fn get(target: &TargetArgs, args: &GetArgs) -> Result<i32, CliError> {
    let columns = output::table::attribute_columns(&args.attributes).map_err(usage)?;
    if !args.attributes.is_empty() && args.output.and_then(OutputFormat::delimited).is_none() {
        return Err(usage(
            "--attributes chooses csv/tsv columns: add -o csv or -o tsv",
        ));
    }
    if !args.include.is_empty() {
        return Err(usage("--include works with one query and -o json or text"));
    }
    crate::oneshot::refuse_query_on_delimited(&args.jmespath, args.output)?;
    if args.all_pools || !args.pools.is_empty() {
        return pools(target, args, columns).await;
    }
    let batch = args.from.is_some() || args.query.as_deref() == Some("-");
    // The config file applied once: pool, profile, limiter, redact, audit log.
    let resolved = crate::oneshot::resolve(target)?;
    let redact = resolved.redact();
    let format = format_for_stdout(args.output, OutputFormat::Text, OutputFormat::Json);
    let queries = if batch {
        read_queries(args).map_err(usage)?
    } else {
        vec![QueryLine::Query(args.query.clone().unwrap_or_default())]
    };
    // Listening before the first request: every way the run ends writes its end line.
    let mut stop = Stop::listen();
    let run = resolved
        .connect("get", |e| e.count = Some(queries.len() as u64))
        .await?;
    let leading: &[&str] = if batch { &["Query"] } else { &[] };
    let progress = output::stderr_is_terminal() && batch;
    let shape = crate::oneshot::shape(format, &args.jmespath, "AdminGetUser");
    let (ending, printed) = match Printer::new(format, shape, leading, columns) {
        Ok(printer) => {
            let how = Answering {
                batch,
                redact,
                progress,
            };
            answer(&run, &queries, args.by.into(), how, printer, &mut stop).await
        }
        // The header could not be written: stdout is closed, or failed (exit 8).
        Err(WriteError::Closed) => (Ending::ClosedPipe(0), 0),
        Err(e) => (Ending::Failed(CliError::Output(e)), 0),
    };
    // The lookups still out were dropped (each on record as `cancelled`); then the end line.
    run.end_batch(ending, printed, queries.len(), progress)
}

/// How a batch's answers are shown.
#[derive(Clone, Copy)]
struct Answering {
    /// Many queries (a `Query` column and no per-query report on stderr).
    batch: bool,
    redact: bool,
    /// A progress line on stderr.
    progress: bool,
}

/// Looks `queries` up, printing each answer in input order, until they are answered, a line
/// can't be audited or printed, or a stop signal; returns how it ended and how many were
/// printed. The lookups still out are dropped on return, each on record as `cancelled`.
async fn answer(
    run: &crate::oneshot::Run,
    queries: &[QueryLine],
    by: lookup::LookupMode,
    how: Answering,
    mut printer: Printer,
    stop: &mut Stop,
) -> (Ending, u64) {
    let session = &run.session;
    let Answering {
        batch,
        redact,
        progress,
    } = how;
    // Enough lookups in flight to keep the AdminGetUser limiter busy, which paces them.
    let in_flight = (run.target.config.rate_limits.user_read as usize * 2).clamp(4, 64);
    // Each lookup writes its own line when its answer comes, printed or not; one stopped
    // in flight writes `cancelled` when the stream is dropped.
    let mut results = futures::stream::iter(queries.iter())
        .map(|q| async move {
            // A line that is not UTF-8 is refused here, on record like any refusal.
            let Some(refused) = q.refusal() else {
                return run.lookup(q.text(), by).await;
            };
            let refused = Err(refused);
            run.gate().refused(q.text(), &refused)?;
            Ok(refused)
        })
        .buffered(in_flight)
        .enumerate();
    let (mut worst, mut printed) = (0, 0);
    let ending = loop {
        let (i, result) = tokio::select! {
            biased;
            signal = stop.recv() => break Ending::Stopped(signal),
            next = results.next() => match next {
                Some((i, Ok(result))) => (i, result),
                Some((_, Err(error))) => break Ending::Failed(error),
                None => break Ending::Done(worst),
            },
        };
        let query = &queries[i].text().to_string();
        // Privacy mode masks what is printed; the audit line keeps what was asked.
        let (query, result) = match redact {
            true => (
                &redact::mask_query(query),
                redact::mask_lookup(&result, &[]),
            ),
            false => (query, result),
        };
        let outcome = Outcome::from_lookup(result);
        if !batch {
            report_single(session, query, &outcome);
        }
        worst = worst.max(outcome.exit_code());
        let row = [query.as_str()];
        let leading = if batch { &row[..] } else { &[] };
        // A closed pipe (`| head`) ends the batch quietly; any other failure is exit 8.
        match printer.print(None, query, leading, &outcome) {
            Ok(()) => {}
            Err(WriteError::Closed) => break Ending::ClosedPipe(worst),
            Err(e) => break Ending::Failed(CliError::Output(e)),
        }
        printed += 1;
        if progress {
            output::progress(format_args!("{}/{} queries", i + 1, queries.len()));
        }
    };
    (ending, printed)
}

/// The stderr report of a single `get` in csv/tsv (the batch says it all on stdout).
fn report_single(session: &Session, query: &str, outcome: &Outcome) {
    match outcome {
        Outcome::Found(_) => {}
        Outcome::NotFound => output::error(format_args!(
            "no user matches {} in {}",
            query, session.pool
        )),
        Outcome::Ambiguous(m) => output::error(format_args!(
            "ambiguous: {} users match {}; look one up by username",
            m.len(),
            query
        )),
        Outcome::Error { message, .. } => output::error(message),
    }
}

/// `query` in every pool of `names` concurrently, each through the gate with that pool's
/// session (its own profile, Region and limiter); a pool that can't be used is refused.
async fn ask_pools(
    base: &session::Target,
    names: &[String],
    query: &str,
    by: lookup::LookupMode,
    trail: &Trail,
) -> Result<Vec<(Option<Session>, Result<LookupOutcome, LookupError>)>, CliError> {
    let lookups = names.iter().map(|name| {
        let query = query.to_string();
        async move {
            let session = match base.connect_to(name).await {
                Ok(session) => session,
                Err(message) => {
                    return Ok((
                        None,
                        Err(LookupError::Refused(format!("pool {name}: {message}"))),
                    ));
                }
            };
            let result = Gate::new(trail, &session).lookup(&query, by, false).await?;
            Ok::<_, CliError>((Some(session), result))
        }
    });
    let results = futures::future::join_all(lookups).await;
    results.into_iter().collect()
}

/// `get --all-pools` / `--pools`: the query in every named pool concurrently, each pool with
/// its own profile, Region and limiter. Exit 0 if found anywhere; else the worst error's
/// code, 3 when every pool answered "not found".
async fn pools(target: &TargetArgs, args: &GetArgs, columns: Vec<String>) -> Result<i32, CliError> {
    let Some(query) = args.query.clone().filter(|q| q != "-") else {
        return Err(usage(
            "--all-pools and --pools look up one query given on the command line",
        ));
    };
    lookup::validate_query(&query).map_err(usage)?;
    // The config file applied once; each pool's target is derived from it.
    let base = session::Target::resolve(&TargetArgs {
        pool: None,
        ..target.clone()
    })
    .map_err(usage)?;
    let names: Vec<String> = if args.all_pools {
        base.config.pools.keys().cloned().collect()
    } else {
        args.pools.iter().map(|p| p.trim().to_string()).collect()
    };
    if names.is_empty() {
        return Err(usage(
            "--all-pools needs pools named in the config file ([pools.NAME] with pool_id)",
        ));
    }
    let format = format_for_stdout(args.output, OutputFormat::Text, OutputFormat::Json);
    let by = args.by.into();
    let redact = base.args.redact;
    let shown_query = redact::shown_query(redact, &query);
    // The trail opens and starts before any pool is asked; each pool's line names that pool's
    // own profile and Region.
    let trail = Trail::open(
        target.audit_log.as_deref(),
        base.args.audit_syslog.as_ref(),
        target.profile.clone(),
        target.region.clone(),
    )?;
    trail.start(AuditEvent {
        action: "get".into(),
        pool: names.join(","),
        query: Some(query.clone()),
        count: Some(names.len() as u64),
        ..AuditEvent::default()
    })?;
    let results = ask_pools(&base, &names, &query, by, &trail).await?;
    let shape = crate::oneshot::shape(format, &args.jmespath, "AdminGetUser");
    let mut printer = match Printer::new(format, shape, &["Pool", "PoolId"], columns) {
        Ok(p) => p,
        Err(e) => return written(Err(e), Ok(0)),
    };
    // Text lines align on the widest pool name and id.
    if let Printer::Text { widths, .. } = &mut printer {
        for (name, (session, _)) in names.iter().zip(&results) {
            let id = session.as_ref().map_or("-", |s| s.pool.as_str());
            widths[0] = widths[0].max(width(&sanitize(name)));
            widths[1] = widths[1].max(width(id));
        }
    }
    let (mut found, mut worst) = (false, 0);
    for (name, (session, result)) in names.iter().zip(results) {
        let id = session.as_ref().map(|s| s.pool.as_str());
        let result = match redact {
            true => redact::mask_lookup(&result, &[]),
            false => result,
        };
        let outcome = &Outcome::from_lookup(result);
        found |= matches!(outcome, Outcome::Found(_));
        if let Outcome::Error { exit, .. } = outcome {
            worst = worst.max(*exit);
        }
        let label = PoolLabel { name, id };
        let leading = [name.as_str(), id.unwrap_or("")];
        let printed = printer.print(Some(&label), &shown_query, &leading, outcome);
        // A closed pipe (`| head`) ends quietly; any other failure is exit 8.
        if printed.is_err() {
            return written(printed, Ok(if found { 0 } else { worst }));
        }
    }
    Ok(if found {
        0
    } else if worst > 0 {
        worst
    } else {
        3
    })
}
