//! One-shot commands: look up or search, print, exit with a documented code.

pub mod diagnose;

use std::io::{IsTerminal, Write};

use crate::audit::{AuditEvent, AuditLog};
use crate::cli::{GetArgs, Include, OutputFormat, SearchArgs, TargetArgs};
use crate::cognito::lookup::{self, LookupError, LookupOutcome};
use crate::cognito::resources::{MAX_PAGES, collect_pages};
use crate::cognito::{CognitoError, ErrorKind, PoolId};
use crate::output::{self, Extras};
use crate::redact;
use crate::sanitize::sanitize;
use crate::search;
use crate::session::{self, Session};

/// Exit code for usage errors and locally refused input.
pub const EXIT_USAGE: i32 = 2;

/// The config file applied once; a usage error is reported and becomes the exit code.
pub(crate) fn resolve(args: &TargetArgs) -> Result<(session::Target, PoolId, bool), i32> {
    let resolved = session::Target::resolve(args).and_then(|t| {
        let (pool, demo) = t.pool()?;
        Ok((t, pool, demo))
    });
    resolved.map_err(|e| {
        eprintln!("error: {}", sanitize(&e.to_string()));
        EXIT_USAGE
    })
}

/// Runs `get`; returns the process exit code.
pub async fn get(target: &TargetArgs, args: &GetArgs) -> i32 {
    // Batches, several pools and csv/tsv are the batch module's.
    if crate::batch::handles(args) {
        return crate::batch::get(target, args).await;
    }
    let query = args.query.as_deref().unwrap_or_default();
    let (target, pool, demo) = match resolve(target) {
        Ok(resolved) => resolved,
        Err(code) => return code,
    };
    if let Err(message) = lookup::validate_query(query) {
        eprintln!("error: {message}");
        return EXIT_USAGE;
    }
    let session = target.connect(pool, demo).await;
    // Opened before any request: an audit log that can't be written stops the command.
    let audit = match open_audit(&target.args, &session) {
        Ok(log) => log,
        Err(code) => return code,
    };
    let format = args.output.unwrap_or(if std::io::stdout().is_terminal() {
        OutputFormat::Text
    } else {
        OutputFormat::Json
    });
    let result = lookup::lookup_suggesting(
        session.backend.as_ref(),
        &session.pool,
        query,
        args.by.into(),
        None,
    )
    .await;
    if let Some(log) = &audit {
        let event = AuditEvent::new("lookup", &session).lookup(query, &result);
        if let Err(e) = log.record(&event) {
            eprintln!("error: {}", sanitize(&e.to_string()));
            return EXIT_USAGE;
        }
    }
    let redact = target.args.redact;
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
    match result {
        Ok(LookupOutcome::Found(found)) => {
            let username = username.unwrap_or_default();
            let (extras, code) = fetch_extras(&session, &username, &args.include, redact).await;
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
            if format == OutputFormat::Json {
                let _ = writeln!(stdout, "{}", output::ambiguous_json(&ambiguous));
            }
            eprint!("error: ambiguous: {}", output::ambiguous_text(&ambiguous));
            4
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
    }
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

/// The audit log `--audit-log` names, opened before any request; on failure the message is
/// printed and the exit code returned.
fn open_audit(target: &TargetArgs, session: &Session) -> Result<Option<AuditLog>, i32> {
    let Some(path) = &target.audit_log else {
        return Ok(None);
    };
    AuditLog::open(
        path,
        session.info.profile.clone(),
        session.info.region.clone(),
    )
    .map(Some)
    .map_err(|e| {
        eprintln!("error: {}", sanitize(&e.to_string()));
        EXIT_USAGE
    })
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
    let more = |what: &str, more: bool| {
        if more {
            eprintln!("note: {what}: only the first {MAX_PAGES} pages were fetched");
        }
    };
    if include.contains(&Include::Groups) {
        match collect_pages(|t| async move {
            backend
                .list_groups_for_user(pool, username, 60, t.as_deref())
                .await
        })
        .await
        {
            Ok((items, m)) => {
                more("groups", m);
                extras.groups = Some(items);
            }
            Err(e) => report(e),
        }
    }
    if include.contains(&Include::Devices) {
        match collect_pages(|t| async move {
            backend.list_devices(pool, username, 60, t.as_deref()).await
        })
        .await
        {
            Ok((items, m)) => {
                more("devices", m);
                extras.devices = Some(items);
            }
            Err(e) => report(e),
        }
    }
    if include.contains(&Include::Events) {
        match collect_pages(|t| async move {
            backend
                .list_auth_events(pool, username, 60, t.as_deref())
                .await
        })
        .await
        {
            Ok((items, m)) => {
                more("sign-in history", m);
                extras.events = Some(items);
            }
            Err(e) => report(e),
        }
    }
    (extras, code)
}

/// Runs `search`: prefix filters that fit the query, merged and ranked like the TUI's
/// type-ahead; ListUsers only. Exit 0 with matches, 3 with none, otherwise as for `get`.
pub async fn search(target: &TargetArgs, args: &SearchArgs) -> i32 {
    let (target, pool, demo) = match resolve(target) {
        Ok(resolved) => resolved,
        Err(code) => return code,
    };
    let query = match lookup::validate_query(&args.query) {
        Ok(q) => q,
        Err(message) => {
            eprintln!("error: {message}");
            return EXIT_USAGE;
        }
    };
    let columns = match crate::tabular::attribute_columns(&args.attributes) {
        Ok(c) => c,
        Err(message) => {
            eprintln!("error: {message}");
            return EXIT_USAGE;
        }
    };
    let session = target.connect(pool, demo).await;
    let audit = match open_audit(&target.args, &session) {
        Ok(log) => log,
        Err(code) => return code,
    };
    let format = args.output.unwrap_or(if std::io::stdout().is_terminal() {
        OutputFormat::Text
    } else {
        OutputFormat::Json
    });
    if !columns.is_empty() && format.delimited().is_none() {
        eprintln!("error: --attributes chooses csv/tsv columns: add -o csv or -o tsv");
        return EXIT_USAGE;
    }
    let results = search::search(session.backend.as_ref(), &session.pool, &query, None).await;
    if let Some(log) = &audit {
        let event = AuditEvent::new("search", &session).search(&results);
        if let Err(e) = log.record(&event) {
            eprintln!("error: {}", sanitize(&e.to_string()));
            return EXIT_USAGE;
        }
    }
    let hits = &results.hits[..results.hits.len().min(args.limit as usize)];
    let mut stdout = std::io::stdout().lock();
    let redact = target.args.redact;
    let masked: Vec<_> = hits
        .iter()
        .map(|h| match redact {
            true => redact::mask_summary(&h.user, &[]),
            false => h.user.clone(),
        })
        .collect();
    let users = masked.iter();
    let shown_query = match redact {
        true => redact::mask_query(&query),
        false => query.clone(),
    };
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
    code
}
