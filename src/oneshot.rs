//! One-shot commands: look up or search, print, exit with a documented code.

pub mod diagnose;

use std::io::{IsTerminal, Write};
use std::path::Path;

use crate::audit::{AuditEvent, AuditLog};
use crate::cli::{GetArgs, Include, OutputFormat, SearchArgs, TargetArgs};
use crate::cognito::listing::{ListKind, fetch_list};
use crate::cognito::lookup::{self, Ambiguous, LookupError, LookupMode, LookupOutcome};
use crate::cognito::resources::MAX_PAGES;
use crate::cognito::{CognitoError, ErrorKind, PoolId};
use crate::output::{self, Extras};
use crate::redact;
use crate::sanitize::sanitize;
use crate::search;
use crate::session::{self, Session};

/// Exit code for usage errors and locally refused input.
pub const EXIT_USAGE: i32 = 2;

/// Prints a usage error (sanitized) and gives its exit code.
pub(crate) fn usage(message: impl std::fmt::Display) -> i32 {
    eprintln!("error: {}", sanitize(&message.to_string()));
    EXIT_USAGE
}

/// The format asked for, else `tty` when stdout is a terminal and `piped` when it is not.
pub(crate) fn format_for_stdout<F>(given: Option<F>, tty: F, piped: F) -> F {
    given.unwrap_or(if std::io::stdout().is_terminal() {
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

/// The config file applied once; a usage error is reported and becomes the exit code.
pub(crate) fn resolve(args: &TargetArgs) -> Result<Resolved, i32> {
    let target = session::Target::resolve(args).map_err(usage)?;
    let (pool, demo) = target.pool().map_err(usage)?;
    Ok(Resolved { target, pool, demo })
}

/// [`resolve`] and [`Resolved::connect`], for a command with nothing to check in between.
pub(crate) async fn prepare(args: &TargetArgs) -> Result<Run, i32> {
    resolve(args)?.connect().await
}

impl Resolved {
    /// Privacy mode: `--redact`, or `redact = true` in the config file.
    pub(crate) fn redact(&self) -> bool {
        self.target.args.redact
    }

    /// Connects, and opens the audit log before any request: a log that can't be written
    /// stops the command.
    pub(crate) async fn connect(self) -> Result<Run, i32> {
        let session = self.target.connect(self.pool, self.demo).await;
        let audit = open_audit(
            self.target.args.audit_log.as_deref(),
            session.info.profile.clone(),
            session.info.region.clone(),
        )?;
        Ok(Run {
            target: self.target,
            session,
            audit,
        })
    }
}

/// A one-shot command ready to send requests: the session, and the audit log open.
pub(crate) struct Run {
    /// The arguments with the config file applied, and the config.
    pub target: session::Target,
    pub session: Session,
    audit: Option<AuditLog>,
}

impl Run {
    /// Privacy mode: `--redact`, or `redact = true` in the config file.
    pub(crate) fn redact(&self) -> bool {
        self.target.args.redact
    }

    /// Writes the audit line `event` makes (nothing without `--audit-log`); a line that
    /// can't be written stops the command.
    pub(crate) fn audit(&self, event: impl FnOnce(&Session) -> AuditEvent) -> Result<(), i32> {
        record(self.audit.as_ref(), || event(&self.session))
    }

    /// Resolves `query` in the session's pool ([`lookup::lookup`]).
    pub(crate) async fn lookup(
        &self,
        query: &str,
        mode: LookupMode,
    ) -> Result<LookupOutcome, LookupError> {
        let (backend, pool) = (self.session.backend.as_ref(), &self.session.pool);
        lookup::lookup(backend, pool, query, mode, None).await
    }

    /// Audits one lookup, as [`Run::audit`].
    pub(crate) fn audit_lookup(
        &self,
        query: &str,
        result: &Result<LookupOutcome, LookupError>,
    ) -> Result<(), i32> {
        self.audit(|session| AuditEvent::new("lookup", session).lookup(query, result))
    }
}

/// The audit log `--audit-log` names, opened before any request; on failure the message is
/// printed and the exit code returned.
pub(crate) fn open_audit(
    path: Option<&Path>,
    profile: Option<String>,
    region: Option<String>,
) -> Result<Option<AuditLog>, i32> {
    path.map(|path| AuditLog::open(path, profile, region).map_err(usage))
        .transpose()
}

/// Writes one audit line when there is a log; failing to write it is the exit code.
pub(crate) fn record(
    log: Option<&AuditLog>,
    event: impl FnOnce() -> AuditEvent,
) -> Result<(), i32> {
    match log {
        Some(log) => log.record(&event()).map_err(usage),
        None => Ok(()),
    }
}

/// Runs `get`; returns the process exit code.
pub async fn get(target: &TargetArgs, args: &GetArgs) -> i32 {
    // Batches, several pools and csv/tsv are the batch module's.
    if crate::batch::handles(args) {
        return crate::batch::get(target, args).await;
    }
    get_one(target, args).await.unwrap_or_else(|code| code)
}

/// `get` of one query as text or JSON; `Err` is the exit code of a usage error, printed.
async fn get_one(target: &TargetArgs, args: &GetArgs) -> Result<i32, i32> {
    let query = args.query.as_deref().unwrap_or_default();
    let resolved = resolve(target)?;
    lookup::validate_query(query).map_err(usage)?;
    let run = resolved.connect().await?;
    let session = &run.session;
    let format = format_for_stdout(args.output, OutputFormat::Text, OutputFormat::Json);
    let mode = args.by.into();
    let result = run.lookup(query, mode).await;
    let result = lookup::suggest(session.backend.as_ref(), &session.pool, mode, result).await;
    run.audit_lookup(query, &result)?;
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
    let mut stdout = std::io::stdout().lock();
    Ok(match result {
        Ok(LookupOutcome::Found(found)) => {
            let username = username.unwrap_or_default();
            let (extras, code) = fetch_extras(session, &username, &args.include, redact).await;
            let extras = if redact {
                redact::mask_extras(&extras)
            } else {
                extras
            };
            let text = match format {
                OutputFormat::Text => output::user_text(&found) + &output::extras_text(&extras),
                // csv and tsv went to the batch module above.
                _ => output::user_json_with(&found.user, &extras) + "\n",
            };
            // A closed pipe (`| head`) is not an error worth a panic.
            let _ = stdout.write_all(text.as_bytes());
            code
        }
        Ok(LookupOutcome::Ambiguous(ambiguous)) => {
            ambiguous_answer(&mut stdout, format == OutputFormat::Json, &ambiguous)
        }
        Err(err) => {
            let code = err.exit_code();
            match &err {
                LookupError::Refused(message) => eprintln!("error: {}", sanitize(message)),
                LookupError::NotFound {
                    suggestions, calls, ..
                } => {
                    eprintln!("error: {}", sanitize(&err.to_string()));
                    did_you_mean(suggestions, *calls);
                }
                LookupError::Cognito(e) => {
                    eprintln!("error: {}", sanitize(&e.to_string()));
                    eprintln!("hint: {}", sanitize(&e.hint(&session.error_context())));
                }
            }
            code
        }
    })
}

/// An ambiguous lookup's report: the matches as JSON on stdout when asked for, and the
/// error on stderr; returns its exit code, 4.
pub(crate) fn ambiguous_answer(stdout: &mut impl Write, json: bool, ambiguous: &Ambiguous) -> i32 {
    if json {
        let _ = writeln!(stdout, "{}", output::ambiguous_json(ambiguous));
    }
    eprint!("error: ambiguous: {}", output::ambiguous_text(ambiguous));
    4
}

/// The closest users a not-found lookup found, one a line on stderr, with what it cost.
fn did_you_mean(suggestions: &[crate::cognito::UserSummary], calls: u32) {
    let Some(first) = suggestions.first() else {
        eprintln!("hint: no user is close to it either ({calls} requests in all)");
        return;
    };
    eprintln!(
        "hint: did you mean {}? (found by one ListUsers prefix search; {calls} requests in all, \
         no AdminGetUser for them)",
        sanitize(&first.username)
    );
    for user in suggestions {
        eprintln!("  {}", sanitize(&user.username));
    }
}

/// Fetches the `--include` lists for a found user. A list that fails is left out and reported
/// on stderr; the exit code is the first failure's (0 when all worked). Sign-in history on a
/// pool without threat protection is a note, not a failure.
async fn fetch_extras(
    session: &Session,
    username: &str,
    include: &[Include],
    redact: bool,
) -> (Extras, i32) {
    let (backend, pool) = (session.backend.as_ref(), &session.pool);
    let mut extras = Extras::default();
    let mut code = 0;
    let mut report = |e: CognitoError| {
        let e = if redact { redact::mask_error(&e) } else { e };
        if e.kind == ErrorKind::NotEnabled {
            eprintln!("note: {}", sanitize(&e.hint(&session.error_context())));
            return;
        }
        eprintln!("error: {}", sanitize(&e.to_string()));
        eprintln!("hint: {}", sanitize(&e.hint(&session.error_context())));
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
        match fetch_list(backend, pool, username, *list).await {
            Ok(fetched) => {
                if fetched.more {
                    let what = list.noun();
                    eprintln!("note: {what}: only the first {MAX_PAGES} pages were fetched");
                }
                extras.add(fetched.listing);
            }
            Err(e) => report(e),
        }
    }
    if include.contains(&Include::AuthFactors) {
        match backend.get_user_auth_factors(pool, username).await {
            Ok(factors) => extras.auth_factors = Some(factors),
            Err(e) => report(e),
        }
    }
    (extras, code)
}

/// Runs `search`: prefix filters that fit the query, merged and ranked like the TUI's
/// type-ahead; ListUsers only. Exit 0 with matches, 3 with none, otherwise as for `get`.
pub async fn search(target: &TargetArgs, args: &SearchArgs) -> i32 {
    search_one(target, args).await.unwrap_or_else(|code| code)
}

/// `search`; `Err` is the exit code of a usage error, printed.
async fn search_one(target: &TargetArgs, args: &SearchArgs) -> Result<i32, i32> {
    let resolved = resolve(target)?;
    let query = lookup::validate_query(&args.query).map_err(usage)?;
    let columns = crate::tabular::attribute_columns(&args.attributes).map_err(usage)?;
    let run = resolved.connect().await?;
    let session = &run.session;
    let format = format_for_stdout(args.output, OutputFormat::Text, OutputFormat::Json);
    if !columns.is_empty() && format.delimited().is_none() {
        return Err(usage(
            "--attributes chooses csv/tsv columns: add -o csv or -o tsv",
        ));
    }
    let results = search::search(session.backend.as_ref(), &session.pool, &query, None).await;
    run.audit(|session| AuditEvent::new("search", session).search(&results))?;
    let hits = &results.hits[..results.hits.len().min(args.limit as usize)];
    let mut stdout = std::io::stdout().lock();
    let redact = run.redact();
    let masked: Vec<_> = hits
        .iter()
        .map(|h| match redact {
            true => redact::mask_summary(&h.user, &[]),
            false => h.user.clone(),
        })
        .collect();
    let users = masked.iter();
    let shown_query = redact::shown_query(redact, &query);
    let code = match results.failures.first() {
        Some((attribute, e)) => {
            let e = &match redact {
                true => redact::mask_error(e),
                false => e.clone(),
            };
            eprintln!(
                "error: the {} filter failed: {}",
                attribute.as_str(),
                sanitize(&e.to_string())
            );
            eprintln!("hint: {}", sanitize(&e.hint(&session.error_context())));
            e.kind.exit_code()
        }
        None if hits.is_empty() => {
            eprintln!(
                "error: no user in {} has a username, email, phone, name or sub starting with {}",
                session.pool,
                sanitize(&shown_query)
            );
            3
        }
        None => 0,
    };
    // Print what was found even when a filter failed: the exit code says it is partial.
    if !hits.is_empty() || (format != OutputFormat::Text && code == 3) {
        let text = match format.delimited() {
            Some(delimited) => crate::tabular::render(delimited, columns, users.map(Into::into)),
            None if format == OutputFormat::Text => output::users_table(users),
            None => output::users_json(users) + "\n",
        };
        let _ = stdout.write_all(text.as_bytes());
    }
    if code == 0 && (results.more || results.hits.len() > hits.len()) {
        eprintln!(
            "note: showing {} of {}{}; type more of the query to narrow it",
            hits.len(),
            results.hits.len(),
            if results.more { "+" } else { "" }
        );
    }
    Ok(code)
}
