//! `get` for many queries or many pools: a batch from stdin or a file, and "which pool is
//! this user in?" over the config's named pools. Each query is resolved exactly as a single
//! `get`; results print in input order as NDJSON, CSV/TSV or text lines.

use std::io::{IsTerminal, Write};

use futures::StreamExt;
use serde::{Serialize, Serializer};

use crate::audit::AuditEvent;
use crate::cli::{GetArgs, OutputFormat, TargetArgs};
use crate::cognito::lookup::{self, LookupError, LookupOutcome};
use crate::cognito::{User, UserSummary};
use crate::oneshot::gate::{Gate, Trail};
use crate::oneshot::stop::{Ending, Stop};
use crate::oneshot::{EXIT_USAGE, format_for_stdout, usage};
use crate::output;
use crate::redact;
use crate::sanitize::sanitize;
use crate::session::{self, Session};
use crate::tabular::{self, TableWriter, UserRow};

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
                exit: EXIT_USAGE,
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
            Self::Found(_) => 0,
            Self::NotFound => 3,
            Self::Ambiguous(_) => 4,
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

/// The line for `outcome` as compact JSON.
fn json_line(pool: Option<&PoolLabel>, query: &str, outcome: &Outcome) -> String {
    let line = Line {
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
    };
    // One call site to swap for output's JSON-line formatter once it exists.
    serde_json::to_string(&line).expect("plain data serializes")
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

/// How results are written.
enum Printer<W: Write> {
    Json(W),
    Text(W),
    Table(TableWriter<W>),
}

impl<W: Write> Printer<W> {
    fn new(
        out: W,
        format: OutputFormat,
        leading: &[&str],
        columns: Vec<String>,
    ) -> std::io::Result<Self> {
        Ok(match format.delimited() {
            Some(d) => Self::Table(TableWriter::new(out, d, leading, columns)?),
            None if format == OutputFormat::Text => Self::Text(out),
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
    ) -> std::io::Result<()> {
        match self {
            Self::Json(w) => {
                writeln!(w, "{}", json_line(pool, query, outcome))?;
                w.flush()
            }
            Self::Text(w) => {
                let prefix = match pool {
                    Some(p) => format!("{}  {}", sanitize(p.name), p.id.unwrap_or("-")),
                    None => sanitize(query).into_owned(),
                };
                w.write_all(text_line(&prefix, outcome).as_bytes())?;
                w.flush()
            }
            Self::Table(t) => {
                match outcome {
                    Outcome::Found(u) => t.row(leading, Some(UserRow::from(u.as_ref())))?,
                    // One row per candidate: the agent sees whom the query could mean.
                    Outcome::Ambiguous(matches) => {
                        for m in matches {
                            t.row(leading, Some(UserRow::from(m)))?;
                        }
                    }
                    Outcome::NotFound | Outcome::Error { .. } => t.row(leading, None)?,
                }
                t.flush()
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

/// Reads the batch's queries: one per line, blank lines and `#` comments skipped.
fn read_queries(args: &GetArgs) -> Result<Vec<String>, QueriesError> {
    read_query_lines(args.from.as_deref())
}

/// Queries from `from` (else stdin): one per line, blank lines and `#` comments skipped.
pub fn read_query_lines(from: Option<&std::path::Path>) -> Result<Vec<String>, QueriesError> {
    let text = match from {
        Some(path) => std::fs::read_to_string(path).map_err(|source| QueriesError::File {
            path: path.to_path_buf(),
            source,
        })?,
        None => std::io::read_to_string(std::io::stdin().lock()).map_err(QueriesError::Stdin)?,
    };
    Ok(text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect())
}

/// Runs `get` for a batch, several pools, or one query as csv/tsv; returns the exit code.
pub async fn get(target: &TargetArgs, args: &GetArgs) -> i32 {
    get_all(target, args).await.unwrap_or_else(|code| code)
}

/// [`get`]; `Err` is the exit code of a usage error, printed.
async fn get_all(target: &TargetArgs, args: &GetArgs) -> Result<i32, i32> {
    let columns = tabular::attribute_columns(&args.attributes).map_err(usage)?;
    if !args.attributes.is_empty() && args.output.and_then(OutputFormat::delimited).is_none() {
        return Err(usage(
            "--attributes chooses csv/tsv columns: add -o csv or -o tsv",
        ));
    }
    if !args.include.is_empty() {
        return Err(usage("--include works with one query and -o json or text"));
    }
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
        vec![args.query.clone().unwrap_or_default()]
    };
    // Listening before the first request: every way the run ends writes its end line.
    let mut stop = Stop::listen();
    let run = resolved
        .connect("get", |e| e.count = Some(queries.len() as u64))
        .await?;
    let leading: &[&str] = if batch { &["Query"] } else { &[] };
    let progress = std::io::stderr().is_terminal() && batch;
    let (ending, printed) = match Printer::new(std::io::stdout().lock(), format, leading, columns) {
        Ok(printer) => {
            let how = Answering {
                batch,
                redact,
                progress,
            };
            answer(&run, &queries, args.by.into(), how, printer, &mut stop).await
        }
        // The header could not be written: stdout is closed.
        Err(_) => (Ending::ClosedPipe(0), 0),
    };
    // The lookups still out were dropped (each on record as `cancelled`); then the end line,
    // before anything is said: after SIGHUP the terminal may be gone.
    let audited = run.end(ending, |e| e.count = Some(printed));
    if progress {
        eprint!("\r\x1b[K");
    }
    if let Ending::Stopped(signal) = ending {
        eprintln!(
            "interrupted ({}): the first {printed} of {} queries are printed",
            signal.name(),
            queries.len()
        );
    }
    audited?;
    Ok(ending.exit_code())
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
async fn answer<W: Write>(
    run: &crate::oneshot::Run,
    queries: &[String],
    by: lookup::LookupMode,
    how: Answering,
    mut printer: Printer<W>,
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
        .map(|q| run.lookup(q, by))
        .buffered(in_flight)
        .enumerate();
    let (mut worst, mut printed) = (0, 0);
    let ending = loop {
        let (i, result) = tokio::select! {
            biased;
            signal = stop.recv() => break Ending::Stopped(signal),
            next = results.next() => match next {
                Some((i, Ok(result))) => (i, result),
                Some((_, Err(code))) => break Ending::Failed(code),
                None => break Ending::Done(worst),
            },
        };
        let query = &queries[i];
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
        // A closed pipe (`| head`) ends the batch quietly.
        if printer.print(None, query, leading, &outcome).is_err() {
            break Ending::ClosedPipe(worst);
        }
        printed += 1;
        if progress {
            eprint!("\r\x1b[K{}/{} queries", i + 1, queries.len());
        }
    };
    (ending, printed)
}

/// The stderr report of a single `get` in csv/tsv (the batch says it all on stdout).
fn report_single(session: &Session, query: &str, outcome: &Outcome) {
    match outcome {
        Outcome::Found(_) => {}
        Outcome::NotFound => eprintln!(
            "error: no user matches {} in {}",
            sanitize(query),
            session.pool
        ),
        Outcome::Ambiguous(m) => eprintln!(
            "error: ambiguous: {} users match {}; look one up by username",
            m.len(),
            sanitize(query)
        ),
        Outcome::Error { message, .. } => eprintln!("error: {}", sanitize(message)),
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
) -> Result<Vec<(Option<Session>, Result<LookupOutcome, LookupError>)>, i32> {
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
            Ok::<_, i32>((Some(session), result))
        }
    });
    let results = futures::future::join_all(lookups).await;
    results.into_iter().collect()
}

/// `get --all-pools` / `--pools`: the query in every named pool concurrently, each pool with
/// its own profile, Region and limiter. Exit 0 if found anywhere; else the worst error's
/// code, 3 when every pool answered "not found".
async fn pools(target: &TargetArgs, args: &GetArgs, columns: Vec<String>) -> Result<i32, i32> {
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
    let mut printer = match Printer::new(
        std::io::stdout().lock(),
        format,
        &["Pool", "PoolId"],
        columns,
    ) {
        Ok(p) => p,
        Err(_) => return Ok(0),
    };
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
        let _ = printer.print(
            Some(&label),
            &shown_query,
            &[name, id.unwrap_or("")],
            outcome,
        );
    }
    Ok(if found {
        0
    } else if worst > 0 {
        worst
    } else {
        3
    })
}
