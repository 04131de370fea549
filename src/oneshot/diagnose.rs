//! `cognito-tui diagnose`: resolves the query as `get` does, reads the pool's settings (one
//! DescribeUserPool) and, when the pool has threat protection, one page of sign-in history
//! (one AdminListUserAuthEvents), then prints the diagnosis for a script or a ticket.

use std::io::{IsTerminal, Write};

use serde::Serialize;
use time::OffsetDateTime;

use super::EXIT_USAGE;
use crate::audit::{AuditEvent, AuditLog};
use crate::cli::{DiagnoseArgs, ReportFormat, TargetArgs};
use crate::cognito::lookup::{self, LookupError, LookupOutcome};
use crate::cognito::{AuthEvent, CognitoError, PoolSchema, User};
use crate::diagnose::{Diagnosis, diagnose};
use crate::output;
use crate::sanitize::sanitize;
use crate::session::Session;

/// Sign-in events read per diagnosis: one page, newest first, which covers the 24-hour and
/// 7-day windows of any user a person could be typing passwords for.
pub const EVENTS_PAGE: i32 = 60;

/// Runs `diagnose`; returns the process exit code (as `get`: 0 when the user was found,
/// whatever the findings).
pub async fn run(target: &TargetArgs, args: &DiagnoseArgs) -> i32 {
    let (target, pool, demo) = match super::resolve(target) {
        Ok(resolved) => resolved,
        Err(code) => return code,
    };
    if let Err(message) = lookup::validate_query(&args.query) {
        eprintln!("error: {message}");
        return EXIT_USAGE;
    }
    let session = target.connect(pool, demo).await;
    let audit = match &target.args.audit_log {
        Some(path) => match AuditLog::open(
            path,
            session.info.profile.clone(),
            session.info.region.clone(),
        ) {
            Ok(log) => Some(log),
            Err(message) => {
                eprintln!("error: {}", sanitize(&message.to_string()));
                return EXIT_USAGE;
            }
        },
        None => None,
    };
    let format = args.output.unwrap_or(if std::io::stdout().is_terminal() {
        ReportFormat::Text
    } else {
        ReportFormat::Json
    });
    let result = lookup::lookup(
        session.backend.as_ref(),
        &session.pool,
        &args.query,
        args.by.into(),
        None,
    )
    .await;
    if let Some(log) = &audit {
        let event = AuditEvent::new("lookup", &session).lookup(&args.query, &result);
        if let Err(message) = log.record(&event) {
            eprintln!("error: {}", sanitize(&message.to_string()));
            return EXIT_USAGE;
        }
    }
    let mut stdout = std::io::stdout().lock();
    let redact = target.args.redact;
    match result {
        Ok(LookupOutcome::Found(found)) => {
            let mut diagnosis = diagnose_found(&session, &found.user, redact).await;
            let mut found = found;
            // The diagnosis reads the real user; only what is printed is masked.
            if redact {
                diagnosis = crate::redact::mask_diagnosis(&diagnosis);
                found.user = crate::redact::mask_user(&found.user, &[]);
            }
            let text = match format {
                ReportFormat::Json => json(&found.user, session.pool.as_str(), &diagnosis) + "\n",
                ReportFormat::Text => text(&found.user, session.pool.as_str(), &diagnosis),
            };
            let _ = stdout.write_all(text.as_bytes());
            0
        }
        Ok(LookupOutcome::Ambiguous(ambiguous)) => {
            let ambiguous = match redact {
                true => crate::redact::mask_ambiguous(&ambiguous, &[]),
                false => ambiguous,
            };
            if format == ReportFormat::Json {
                let _ = writeln!(stdout, "{}", output::ambiguous_json(&ambiguous));
            }
            eprint!("error: ambiguous: {}", output::ambiguous_text(&ambiguous));
            4
        }
        Err(err) => {
            let err = match redact {
                true => crate::redact::mask_lookup_error(&err),
                false => err,
            };
            match &err {
                LookupError::Refused(_) | LookupError::NotFound { .. } => {
                    eprintln!("error: {}", sanitize(&err.to_string()))
                }
                LookupError::Cognito(e) => {
                    eprintln!("error: {}", sanitize(&e.to_string()));
                    eprintln!("hint: {}", sanitize(&e.hint(&session.error_context())));
                }
            }
            err.exit_code()
        }
    }
}

/// Fetches what the diagnosis needs beyond the user: at most one DescribeUserPool and at most
/// one AdminListUserAuthEvents. A fetch that fails leaves its checks undone, says so on
/// stderr, and the diagnosis reports them as not checked.
async fn diagnose_found(session: &Session, user: &User, redact: bool) -> Diagnosis {
    let note = |what: &str, e: &CognitoError| {
        let e = &match redact {
            true => crate::redact::mask_error(e),
            false => e.clone(),
        };
        eprintln!(
            "note: {what} failed, so the checks that need it did not run: {}",
            sanitize(&e.to_string())
        );
        eprintln!("hint: {}", sanitize(&e.hint(&session.error_context())));
    };
    let backend = session.backend.as_ref();
    let pool: Option<PoolSchema> = match backend.describe_pool(&session.pool).await {
        Ok(schema) => Some(schema),
        Err(e) => {
            note("DescribeUserPool", &e);
            None
        }
    };
    let events: Option<Vec<AuthEvent>> = match &pool {
        Some(p) if p.threat_protection() => match backend
            .list_auth_events(&session.pool, &user.username, EVENTS_PAGE, None)
            .await
        {
            Ok(page) => Some(page.items),
            Err(e) => {
                note("AdminListUserAuthEvents", &e);
                None
            }
        },
        _ => None,
    };
    diagnose(
        user,
        pool.as_ref(),
        events.as_deref(),
        OffsetDateTime::now_utc(),
    )
}

#[derive(Serialize)]
struct FindingJson<'a> {
    #[serde(rename = "Code")]
    code: &'a str,
    #[serde(rename = "Severity")]
    severity: &'a str,
    #[serde(rename = "Message")]
    message: &'a str,
    #[serde(rename = "Fix")]
    fix: &'a str,
}

#[derive(Serialize)]
struct DiagnosisJson<'a> {
    #[serde(rename = "Username")]
    username: &'a str,
    #[serde(rename = "PoolId")]
    pool_id: &'a str,
    #[serde(rename = "CanSignIn")]
    can_sign_in: Option<bool>,
    #[serde(rename = "Findings")]
    findings: Vec<FindingJson<'a>>,
    #[serde(rename = "NotChecked")]
    not_checked: Vec<&'a str>,
}

/// `{"Username", "PoolId", "CanSignIn", "Findings": [{"Code", "Severity", "Message", "Fix"}],
/// "NotChecked": [codes]}`.
pub fn json(user: &User, pool_id: &str, diagnosis: &Diagnosis) -> String {
    let shape = DiagnosisJson {
        username: &user.username,
        pool_id,
        can_sign_in: diagnosis.can_sign_in,
        findings: diagnosis
            .findings
            .iter()
            .map(|f| FindingJson {
                code: f.code.as_str(),
                severity: f.severity.as_str(),
                message: &f.message,
                fix: &f.fix,
            })
            .collect(),
        not_checked: diagnosis.not_checked.iter().map(|c| c.as_str()).collect(),
    };
    serde_json::to_string_pretty(&shape).expect("plain data serializes")
}

/// A short report for pasting into a ticket; every value from Cognito is sanitized.
pub fn text(user: &User, pool_id: &str, diagnosis: &Diagnosis) -> String {
    let mut out = format!(
        "User     {}\nPool     {}\nVerdict  {}\n",
        sanitize(&user.username),
        sanitize(pool_id),
        sanitize(&diagnosis.verdict())
    );
    for f in &diagnosis.findings {
        out.push_str(&format!(
            "\n{} {} {}\n  {}\n  Fix: {}\n",
            f.severity.symbol(),
            f.severity.as_str(),
            f.code.as_str(),
            sanitize(&f.message),
            sanitize(&f.fix)
        ));
    }
    out
}
