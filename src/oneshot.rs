//! One-shot commands: look up or search, print, exit with a documented code.

pub mod batch;
pub mod diagnose;
pub mod error;
pub(crate) mod gate;
pub mod signal;
pub mod stop;

use crate::audit::AuditEvent;
use crate::cli::{GetArgs, Include, OutputFormat, SearchArgs, TargetArgs};
use crate::cognito::listing::ListKind;
use crate::cognito::lookup::{self, Ambiguous, LookupError, LookupMode, LookupOutcome};
use crate::cognito::resources::MAX_PAGES;
use crate::cognito::{CognitoError, ErrorKind, PoolId};
use crate::output::query::Query;
use crate::output::{self, Extras, Shape, Stdout, WriteError};
use crate::redact;
use crate::session::{self, Session};
pub use error::CliError;
pub(crate) use error::settle;
use error::written;
use gate::{Gate, Trail};

/// A usage error with `message`, for `map_err`.
pub(crate) fn usage(message: impl std::fmt::Display) -> CliError {
    CliError::usage(message)
}

/// The format asked for, else `tty` when stdout is a terminal and `piped` when it is not.
pub(crate) fn format_for_stdout<F>(given: Option<F>, tty: F, piped: F) -> F {
    given.unwrap_or(if output::stdout_is_terminal() {
        tty
    } else {
        piped
    })
}

/// A one-shot command's target with the config file applied once, not yet connected: what
/// is wrong with the arguments is still found before any request.
pub(crate) struct Resolved {
    /// The arguments with the config file applied, and the config.
    pub target: session::Target,
    pool: PoolId,
    demo: bool,
}

/// The config file applied once; what is wrong with it is a usage error.
pub(crate) fn resolve(args: &TargetArgs) -> Result<Resolved, CliError> {
    let target = session::Target::resolve(args).map_err(usage)?;
    let (pool, demo) = target.pool().map_err(usage)?;
    Ok(Resolved { target, pool, demo })
}

/// `--where`, parsed before any request: a bad expression is a usage error with its column,
/// said as privacy mode (`redact`) allows. Every command that takes `--where` parses it here.
/// `extra`: the columns this command adds that the expression may name (`LastSignIn`).
pub(crate) fn parse_where(
    source: &str,
    extra: &[&str],
    redact: bool,
) -> Result<crate::filter::Filter, CliError> {
    crate::filter::Filter::parse_with(source, extra)
        .map_err(|e| usage(redact::shown_where_error(redact, &e)))
}

impl Resolved {
    /// The pool the command will use.
    pub(crate) fn pool_id(&self) -> &PoolId {
        &self.pool
    }

    /// Privacy mode: `--redact`, or `redact = true` in the config file.
    pub(crate) fn redact(&self) -> bool {
        self.target.args.redact
    }

    /// Connects, opens the audit log and writes the run's `start` line (`command`, completed
    /// by `start`) before any request: a log that can't be written stops the command.
    pub(crate) async fn connect(
        self,
        command: &str,
        start: impl FnOnce(&mut AuditEvent),
    ) -> Result<Run, CliError> {
        let session = self.target.connect(self.pool, self.demo).await;
        let trail = Trail::open(
            self.target.args.audit_log.as_deref(),
            self.target.args.audit_syslog.as_ref(),
            session.info.profile.clone(),
            session.info.region.clone(),
        )?;
        let mut event = AuditEvent::new(command, &session);
        // Who the credentials are, for the audit: one GetCallerIdentity per audited run,
        // before the start line.
        if self.target.args.audit_log.is_some() {
            event.caller = session.caller_arn().await;
        }
        start(&mut event);
        trail.start(event)?;
        Ok(Run {
            target: self.target,
            session,
            trail,
            command: command.into(),
        })
    }
}

/// A one-shot command ready to send requests: the session, and the audit trail started.
pub(crate) struct Run {
    /// The arguments with the config file applied, and the config.
    pub target: session::Target,
    pub session: Session,
    trail: Trail,
    command: String,
}

impl Run {
    /// Privacy mode: `--redact`, or `redact = true` in the config file.
    pub(crate) fn redact(&self) -> bool {
        self.target.args.redact
    }

    /// The one way this run reaches Cognito.
    pub(crate) fn gate(&self) -> Gate<'_> {
        Gate::new(&self.trail, &self.session)
    }

    /// Resolves `query` in the session's pool ([`lookup::lookup`]) and writes its line;
    /// `Err` when the line can't be written (nothing more is sent).
    pub(crate) async fn lookup(
        &self,
        query: &str,
        mode: LookupMode,
    ) -> Result<Result<LookupOutcome, LookupError>, CliError> {
        self.gate().lookup(query, mode, false).await
    }

    /// A long run's `end` line: `finish` completes the event (count, resume token…) and
    /// `ending` gives its outcome. `Err` when it can't be written.
    pub(crate) fn end(
        &self,
        ending: &stop::Ending,
        finish: impl FnOnce(&mut AuditEvent),
    ) -> Result<(), CliError> {
        let mut event = AuditEvent::new(&self.command, &self.session);
        event.outcome = ending.outcome();
        finish(&mut event);
        self.trail.end(event)
    }

    /// How a batch of queries (`get -`, `diagnose -`) ends: its end line with the count
    /// printed; `Ok` with the code the answers make, else what ended it (after a signal,
    /// what was printed of how many). The end line goes first: after SIGHUP the terminal may
    /// be gone. `progress`: a progress line is on stderr, cleared before anything is said.
    pub(crate) fn end_batch(
        &self,
        ending: stop::Ending,
        printed: u64,
        queries: usize,
        progress: bool,
    ) -> Result<i32, CliError> {
        let audited = self.end(&ending, |e| e.count = Some(printed));
        if progress {
            output::clear_progress();
        }
        let ended = match ending {
            stop::Ending::Stopped(signal) => Err(CliError::Interrupted {
                signal,
                printed: Some((printed, queries)),
            }),
            ending => ending.into_result(),
        };
        settle(audited, ended)
    }
}

/// Runs `get`: `Ok` with the exit code its answers make, or what stopped it.
pub async fn get(target: &TargetArgs, args: &GetArgs) -> Result<i32, CliError> {
    // Batches, several pools and csv/tsv are the batch module's.
    if batch::handles(args) {
        return batch::get(target, args).await;
    }
    get_one(target, args).await
}

/// `get` of one query as text or JSON.
async fn get_one(target: &TargetArgs, args: &GetArgs) -> Result<i32, CliError> {
    let query = args.query.as_deref().unwrap_or_default();
    let resolved = resolve(target)?;
    lookup::validate_query(query).map_err(usage)?;
    let run = resolved.connect("get", |_| {}).await?;
    let session = &run.session;
    let format = format_for_stdout(args.output, OutputFormat::Text, OutputFormat::Json);
    let result = run.gate().lookup(query, args.by.into(), true).await?;
    let redact = run.redact();
    // The audit log keeps what was asked; everything printed is masked in privacy mode.
    let username = match &result {
        Ok(LookupOutcome::Found(found)) => Some(found.user.username.clone()),
        _ => None,
    };
    let result = if redact {
        redact::mask_lookup(&result, &[])
    } else {
        result
    };
    let mut stdout = Stdout::shaped(shape(format, &args.jmespath, "AdminGetUser"));
    let (write, ended) = match result {
        Ok(LookupOutcome::Found(found)) => {
            let username = username.unwrap_or_default();
            let (extras, code) = fetch_extras(&run, &username, &args.include).await?;
            let extras = if redact {
                redact::mask_extras(&extras)
            } else {
                extras
            };
            let write = match stdout.is_people_text() {
                true => stdout.text(&(output::user_text(&found) + &output::extras_text(&extras))),
                // JSON, --query's result or a table (csv and tsv went to the batch module).
                false => stdout.json(&output::user_json_with(&found.user, &extras)),
            };
            (write, Ok(code))
        }
        Ok(LookupOutcome::Ambiguous(ambiguous)) => {
            let json = !stdout.is_people_text();
            ambiguous_answer(&mut stdout, json, &ambiguous)
        }
        Err(error) => (Ok(()), Err(CliError::lookup(error, session, true))),
    };
    // A closed pipe (`| head`) keeps the lookup's code; any other failure is exit 8.
    written(write, ended)
}

/// How the sink draws a command's JSON: `--query` first, then `-o` (text for people, the AWS
/// CLI's text or table, or JSON), a table titled `title`.
pub(crate) fn shape(format: OutputFormat, query: &Option<Query>, title: &'static str) -> Shape {
    let (text, table) = (format == OutputFormat::Text, format == OutputFormat::Table);
    Shape::pick(query.clone(), text, table, title)
}

/// `--query` with `-o csv`/`tsv`: a usage error.
pub(crate) fn refuse_query_on_delimited(
    query: &Option<Query>,
    format: Option<OutputFormat>,
) -> Result<(), CliError> {
    match query.is_some() && format.and_then(OutputFormat::delimited).is_some() {
        true => Err(usage(
            "--query shapes json, text and table output, not csv or tsv",
        )),
        false => Ok(()),
    }
}

/// `audit verify FILE`: how an intact chain stands, on stdout (exit 0); a report nobody could
/// read (a full disk) is not a verified chain.
pub fn audit_verify(file: &std::path::Path) -> Result<i32, CliError> {
    let report = crate::audit::chain::verify_file(file)?;
    written(Stdout::open().text(&report), Ok(0))
}

/// An ambiguous lookup's answer: the matches as JSON on stdout when asked for; how the write
/// went, and the error that lists them (exit 4).
pub(crate) fn ambiguous_answer(
    stdout: &mut Stdout,
    json: bool,
    ambiguous: &Ambiguous,
) -> (Result<(), WriteError>, Result<i32, CliError>) {
    let write = match json {
        true => stdout.json(&output::ambiguous_json(ambiguous)),
        false => Ok(()),
    };
    let report = output::ambiguous_text(ambiguous);
    (write, Err(CliError::Ambiguous(report)))
}

/// Fetches the `--include` lists for a found user. A list that fails is left out and reported
/// on stderr; the exit code is the first failure's (0 when all worked). Sign-in history on a
/// pool without threat protection is a note, not a failure. Each list read is one audit line,
/// as the TUI's list panes; `Err` when one can't be written.
async fn fetch_extras(
    run: &Run,
    username: &str,
    include: &[Include],
) -> Result<(Extras, i32), CliError> {
    let (session, redact) = (&run.session, run.redact());
    let mut extras = Extras::default();
    let mut code = 0;
    let mut report = |e: CognitoError| {
        let e = if redact { redact::mask_error(&e) } else { e };
        if e.kind == ErrorKind::NotEnabled {
            output::note(e.hint(&session.error_context()));
            return;
        }
        output::error(&e);
        output::hint(e.hint(&session.error_context()));
        if code == 0 {
            code = e.kind.exit_code();
        }
    };
    let lists = [
        (Include::Groups, ListKind::Groups),
        (Include::Devices, ListKind::Devices),
        (Include::Events, ListKind::SignIns),
    ];
    for (_, list) in lists.iter().filter(|(i, _)| include.contains(i)) {
        match run.gate().list(username, *list).await? {
            Ok(fetched) => {
                if fetched.more {
                    let what = list.noun();
                    output::note(format_args!(
                        "{what}: only the first {MAX_PAGES} pages were fetched"
                    ));
                }
                extras.add(fetched.listing);
            }
            Err(e) => report(e),
        }
    }
    if include.contains(&Include::AuthFactors) {
        match run.gate().auth_factors(username).await? {
            Ok(factors) => extras.auth_factors = Some(factors),
            Err(e) => report(e),
        }
    }
    Ok((extras, code))
}

/// Runs `search`: prefix filters that fit the query, merged and ranked like the TUI's
/// type-ahead; ListUsers only. Exit 0 with matches, 3 with none, otherwise as for `get`.
pub async fn search(target: &TargetArgs, args: &SearchArgs) -> Result<i32, CliError> {
    let resolved = resolve(target)?;
    let query = lookup::validate_query(&args.query).map_err(usage)?;
    let columns = output::table::attribute_columns(&args.attributes).map_err(usage)?;
    refuse_query_on_delimited(&args.jmespath, args.output)?;
    // `--where` is parsed before any request, and recorded on the run's start line.
    let local = (args.where_.as_deref())
        .map(|source| parse_where(source, &[], resolved.redact()))
        .transpose()?;
    let run = resolved
        .connect("search", |event| {
            event.query = local.as_ref().map(|l| format!("where {}", l.source()));
        })
        .await?;
    let session = &run.session;
    let format = format_for_stdout(args.output, OutputFormat::Text, OutputFormat::Json);
    if !columns.is_empty() && format.delimited().is_none() {
        return Err(usage(
            "--attributes chooses csv/tsv columns: add -o csv or -o tsv",
        ));
    }
    let results = search_showing_progress(&run, &query).await?;
    let kept: Vec<_> = (results.hits.iter())
        .filter(|h| local.as_ref().is_none_or(|l| l.matches(&h.user)))
        .collect();
    let hits = &kept[..kept.len().min(args.limit as usize)];
    if let Some(local) = local.as_ref().filter(|_| kept.len() < results.hits.len()) {
        output::note(format_args!(
            "{} of {} users found match --where {}",
            kept.len(),
            results.hits.len(),
            local.source()
        ));
    }
    let redact = run.redact();
    let masked: Vec<_> = hits
        .iter()
        .map(|h| match redact {
            true => redact::mask_summary(&h.user, &[]),
            false => h.user.clone(),
        })
        .collect();
    let shown_query = redact::shown_query(redact, &query);
    let ended = match results.failures.first() {
        Some((attribute, e)) => {
            let error = match redact {
                true => redact::mask_error(e),
                false => e.clone(),
            };
            Err(CliError::Cognito {
                during: format!("the {} filter failed: ", attribute.as_str()),
                hint: Some(error.hint(&session.error_context())),
                error: Box::new(error),
            })
        }
        None if hits.is_empty() => Err(CliError::NoMatch {
            pool: session.pool.to_string(),
            query: shown_query.into_owned(),
        }),
        None => Ok(0),
    };
    let code = ended.as_ref().map_or_else(CliError::exit_code, |c| *c);
    // Print what was found even when a filter failed: the exit code says it is partial.
    let shape = shape(format, &args.jmespath, "ListUsers");
    let print = !hits.is_empty() || (!shape.is_people_text() && code == 3);
    if print {
        let write = print_users(format, shape, columns, &masked);
        if write.is_err() {
            return written(write, ended);
        }
    }
    if code == 0 && (results.more || kept.len() > hits.len()) {
        output::note(format_args!(
            "showing {} of {}{}; type more of the query to narrow it",
            hits.len(),
            kept.len(),
            if results.more { "+" } else { "" }
        ));
    }
    ended
}

/// The search, with (on a terminal) what is found so far and what is still out on stderr
/// while the filters answer: at 5 ListUsers a second the last case variant can be seconds
/// behind the first.
async fn search_showing_progress(
    run: &Run,
    query: &str,
) -> Result<crate::search::SearchResults, CliError> {
    let live = output::stderr_is_terminal();
    let progress = |r: &crate::search::SearchResults| {
        if live && let Some(more) = r.still_searching() {
            let n = r.hits.len();
            let s = if n == 1 { "" } else { "es" };
            output::progress(format_args!("{n} match{s} so far · {more}"));
        }
    };
    let results = run.gate().search(query, progress).await;
    if live {
        output::clear_progress();
    }
    results
}

/// Search results on stdout: a table for people, a JSON array, or CSV/TSV rows.
fn print_users(
    format: OutputFormat,
    shape: Shape,
    columns: Vec<String>,
    users: &[crate::cognito::UserSummary],
) -> Result<(), WriteError> {
    let mut stdout = Stdout::shaped(shape);
    match format.delimited() {
        Some(delimited) => {
            let mut table = stdout.table(delimited, &[], columns)?;
            for user in users {
                table.row(&[], Some(user.into()))?;
            }
            Ok(table.flush()?)
        }
        None if stdout.is_people_text() => stdout.text(&output::users_table(users)),
        None => stdout.json(&output::users_json(users)),
    }
}
