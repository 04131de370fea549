//! `cognito-tui diagnose`: resolves the query as `get` does, reads the pool's settings (one
//! DescribeUserPool) and, when the pool has threat protection, one page of sign-in history
//! (one AdminListUserAuthEvents), then prints the diagnosis for a script or a ticket.

use serde::Serialize;
use time::OffsetDateTime;

use super::error::written;
use super::stop::{Ending, Stop};
use super::{CliError, format_for_stdout, usage};
use crate::cli::{DiagnoseArgs, ReportFormat, TargetArgs};
use crate::cognito::lookup::{self, LookupError, LookupOutcome};
use crate::cognito::{
    AuthEvent, CognitoError, ListKind, Listing, ListingPage, PageRequest, PoolSchema, User,
};
use crate::diagnose::{Diagnosis, Inputs, diagnose_with};
use crate::output::{self, Shape, Stdout, WriteError};
use crate::sanitize::sanitize;
use crate::session::Session;

/// Sign-in events read per diagnosis: one page, newest first, which covers the 24-hour and
/// 7-day windows of any user a person could be typing passwords for.
pub const EVENTS_PAGE: i32 = 60;

/// Runs `diagnose`: `Ok` with the exit code (as `get`: 0 when the user was found, whatever
/// the findings), or what stopped it.
pub async fn run(target: &TargetArgs, args: &DiagnoseArgs) -> Result<i32, CliError> {
    let resolved = super::resolve(target)?;
    if args.query == "-" {
        return batch(resolved, args).await;
    }
    lookup::validate_query(&args.query).map_err(usage)?;
    let run = resolved.connect("diagnose", |_| {}).await?;
    let session = &run.session;
    let format = format_for_stdout(args.output, ReportFormat::Text, ReportFormat::Json);
    let result = run.lookup(&args.query, args.by.into()).await?;
    let mut stdout = Stdout::shaped(shape(format, args));
    let redact = run.redact();
    let (write, ended) = match result {
        Ok(LookupOutcome::Found(found)) => {
            let pool = pool_settings(&run).await?;
            let mut diagnosis = diagnose_found(&run, pool.as_ref(), &found.user).await?;
            let mut found = found;
            // The diagnosis reads the real user; only what is printed is masked.
            if redact {
                diagnosis = crate::redact::mask_diagnosis(&diagnosis);
                found.user = crate::redact::mask_user(&found.user, &[]);
            }
            let pool_id = session.pool.as_str();
            let (user, pool) = (&found.user, pool.as_ref());
            let write = match stdout.is_people_text() {
                false => stdout.json(&report_json(user, pool_id, pool, &diagnosis)),
                true => stdout.text(&text(user, pool_id, pool, &diagnosis)),
            };
            (write, Ok(0))
        }
        Ok(LookupOutcome::Ambiguous(ambiguous)) => {
            let ambiguous = match redact {
                true => crate::redact::mask_ambiguous(&ambiguous, &[]),
                false => ambiguous,
            };
            let json = !stdout.is_people_text();
            super::ambiguous_answer(&mut stdout, json, &ambiguous)
        }
        Err(error) => {
            let error = match redact {
                true => crate::redact::mask_lookup_error(&error),
                false => error,
            };
            (Ok(()), Err(CliError::lookup(error, session, false)))
        }
    };
    // A closed pipe (`| head`) keeps the lookup's code; any other failure is exit 8.
    written(write, ended)
}

/// How the sink draws the report: text for people, or JSON (`--query`'s result of it, as
/// the AWS CLI's text with `-o text`).
fn shape(format: ReportFormat, args: &DiagnoseArgs) -> Shape {
    let text = format == ReportFormat::Text;
    Shape::pick(args.jmespath.clone(), text, false, "Diagnose")
}

/// Says on stderr that a fetch failed and which checks therefore did not run.
fn note(session: &Session, what: &str, e: &CognitoError) {
    output::note(format_args!(
        "{what} failed, so the checks that need it did not run: {e}"
    ));
    output::hint(e.hint(&session.error_context()));
}

/// The pool's settings: one DescribeUserPool (and GetUserPoolMfaConfig where MFA is on),
/// shared by every diagnosis in the pool; `Err` when the audit trail refuses it.
async fn pool_settings(run: &super::Run) -> Result<Option<PoolSchema>, CliError> {
    Ok(match run.gate().pool_settings().await? {
        Ok(schema) => Some(schema),
        Err(e) => {
            note(&run.session, "DescribeUserPool", &e);
            None
        }
    })
}

/// Fetches what the diagnosis needs beyond the user and the pool's settings: at most one
/// AdminListUserAuthEvents, and AdminGetUserAuthFactors only where the pool's sign-in policy
/// allows more than PASSWORD (a password-only pool costs the same calls as before). A fetch
/// that fails leaves its checks undone, says so on stderr, and the diagnosis reports them as
/// not checked. Each read is audited as the TUI's are; `Err` when a line can't be written.
async fn diagnose_found(
    run: &super::Run,
    pool: Option<&PoolSchema>,
    user: &User,
) -> Result<Diagnosis, CliError> {
    let events = sign_in_history(run, pool, user).await?;
    let factors = match pool {
        Some(p) if p.allows_passwordless() => {
            match run.gate().auth_factors(&user.username).await? {
                Ok(factors) => Some(factors),
                Err(e) => {
                    note(&run.session, "AdminGetUserAuthFactors", &e);
                    None
                }
            }
        }
        _ => None,
    };
    Ok(diagnose_with(&Inputs {
        user,
        pool,
        events: events.as_deref(),
        factors: factors.as_ref(),
        now: OffsetDateTime::now_utc(),
    }))
}

/// One page of sign-in history, where the pool keeps it (audited as `list_sign_ins`).
async fn sign_in_history(
    run: &super::Run,
    pool: Option<&PoolSchema>,
    user: &User,
) -> Result<Option<Vec<AuthEvent>>, CliError> {
    if !pool.is_some_and(PoolSchema::threat_protection) {
        return Ok(None);
    }
    let (list, page) = (ListKind::SignIns, PageRequest::first(EVENTS_PAGE));
    Ok(
        match run.gate().list_page(&user.username, list, page).await? {
            Ok(ListingPage {
                listing: Listing::SignIns(events),
                ..
            }) => Some(events),
            // Backends answer the list asked for; any other is no sign-in history.
            Ok(_) => None,
            Err(e) => {
                note(&run.session, list.operation(), &e);
                None
            }
        },
    )
}

/// The pool's sign-in model as `diagnose` reports it.
#[derive(Serialize)]
struct PoolJson<'a> {
    #[serde(rename = "Plan")]
    plan: Option<&'a str>,
    #[serde(rename = "AllowedFirstAuthFactors")]
    first_factors: Vec<&'a str>,
    #[serde(rename = "MfaConfiguration")]
    mfa: Option<&'a str>,
    #[serde(rename = "MfaFactors", skip_serializing_if = "Option::is_none")]
    mfa_factors: Option<Vec<&'static str>>,
}

impl<'a> PoolJson<'a> {
    fn of(pool: &'a PoolSchema) -> Self {
        PoolJson {
            plan: pool.tier.as_deref(),
            first_factors: pool.first_factors(),
            mfa: pool.mfa_configuration.as_deref(),
            mfa_factors: pool.mfa_factor_names(),
        }
    }
}

#[derive(Serialize)]
struct FindingJson<'a> {
    #[serde(rename = "Rule")]
    rule: &'a str,
    #[serde(rename = "Source")]
    source: &'a str,
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
    /// The pool's plan and sign-in policy; null when DescribeUserPool was not available.
    #[serde(rename = "Pool")]
    pool: Option<PoolJson<'a>>,
    #[serde(rename = "CanSignIn")]
    can_sign_in: Option<bool>,
    #[serde(rename = "Findings")]
    findings: Vec<FindingJson<'a>>,
    #[serde(rename = "NotChecked")]
    not_checked: Vec<&'a str>,
    /// How to check each of `NotChecked` by hand.
    #[serde(rename = "HowToCheck")]
    how_to_check: std::collections::BTreeMap<&'a str, &'a str>,
}

/// `{"Username", "PoolId", "CanSignIn", "Findings": [{"Code", "Severity", "Message", "Fix"}],
/// "NotChecked": [codes]}`: a value for the sink to serialize.
fn report_json<'a>(
    user: &'a User,
    pool_id: &'a str,
    pool: Option<&'a PoolSchema>,
    diagnosis: &'a Diagnosis,
) -> DiagnosisJson<'a> {
    DiagnosisJson {
        pool: pool.map(PoolJson::of),
        username: &user.username,
        pool_id,
        can_sign_in: diagnosis.can_sign_in,
        findings: diagnosis
            .findings
            .iter()
            .map(|f| FindingJson {
                rule: f.rule.id,
                source: f.rule.source.url,
                code: f.code.as_str(),
                severity: f.severity.as_str(),
                message: &f.message,
                fix: &f.fix,
            })
            .collect(),
        not_checked: diagnosis.not_checked.iter().map(|c| c.as_str()).collect(),
        how_to_check: diagnosis
            .not_checked
            .iter()
            .map(|c| (c.as_str(), c.how_to_check()))
            .collect(),
    }
}

/// A short report for pasting into a ticket; every value from Cognito is sanitized.
pub fn text(
    user: &User,
    pool_id: &str,
    pool: Option<&PoolSchema>,
    diagnosis: &Diagnosis,
) -> String {
    let mut out = format!(
        "User     {}\nPool     {}{}\nVerdict  {}\n",
        sanitize(&user.username),
        sanitize(pool_id),
        pool.map(|p| format!("\nSign-in  {}", sanitize(&p.sign_in_summary())))
            .unwrap_or_default(),
        sanitize(&diagnosis.verdict())
    );
    for f in &diagnosis.findings {
        out.push_str(&format!(
            "\n{} {} {} [rule {}]\n  {}\n  Fix: {}\n  Source: {} — {}\n",
            f.severity.symbol(),
            f.severity.as_str(),
            f.code.as_str(),
            f.rule.id,
            sanitize(&f.message),
            sanitize(&f.fix),
            f.rule.source.title,
            f.rule.source.url
        ));
    }
    if !diagnosis.not_checked.is_empty() {
        out.push_str("\nNot checked\n");
        for c in &diagnosis.not_checked {
            out.push_str(&format!("  {}: {}\n", c.as_str(), c.how_to_check()));
        }
    }
    out
}

/// One line of a `diagnose -` batch: the query, how it resolved, and the diagnosis when found
/// (the keys of the single report), else the matches or the error, as `get -` prints them.
#[derive(Serialize)]
struct BatchLine<'a> {
    #[serde(rename = "Query")]
    query: &'a str,
    #[serde(rename = "Result")]
    result: &'static str,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    diagnosis: Option<DiagnosisJson<'a>>,
    #[serde(rename = "Matches", skip_serializing_if = "Option::is_none")]
    matches: Option<Vec<serde_json::Value>>,
    #[serde(rename = "Error", skip_serializing_if = "Option::is_none")]
    error: Option<serde_json::Value>,
}

/// `diagnose --pool P -`: queries from stdin (read as `get -` reads them), each resolved as
/// `get` resolves it, one line per query in input order: a JSON line, or a text report.
/// DescribeUserPool once for the whole batch. Exit code: the highest among the queries.
async fn batch(resolved: super::Resolved, args: &DiagnoseArgs) -> Result<i32, CliError> {
    let queries = super::batch::read_query_lines(None).map_err(usage)?;
    // Listening before the first request: every way the run ends writes its end line.
    let mut stop = Stop::listen();
    let run = resolved
        .connect("diagnose", |e| e.count = Some(queries.len() as u64))
        .await?;
    let format = format_for_stdout(args.output, ReportFormat::Text, ReportFormat::Json);
    let mut settings: Option<Option<PoolSchema>> = None;
    let (mut worst, mut printed) = (0, 0);
    let mut stdout = Stdout::shaped(shape(format, args));
    let how = match (stdout.is_people_text(), stdout.reshapes()) {
        (true, _) => Printing::Text,
        (false, false) => Printing::Line,
        (false, true) => Printing::Value,
    };
    let mut queue = queries.iter();
    let ending = loop {
        let Some(line) = queue.next() else {
            break Ending::Done(worst);
        };
        let report = report_one(&run, line, args, how, &mut settings);
        let (printed_report, code) = tokio::select! {
            biased;
            signal = stop.recv() => break Ending::Stopped(signal),
            report = report => match report {
                Ok(report) => report,
                Err(error) => break Ending::Failed(error),
            },
        };
        worst = worst.max(code);
        // A closed pipe (`| head`) ends the batch quietly; any other failure is exit 8.
        let written = match printed_report {
            Printed::Text(text) => stdout.text(&text),
            Printed::Value(value) => stdout.json_line(&value).and_then(|()| stdout.flush()),
        };
        match written {
            Ok(()) => {}
            Err(WriteError::Closed) => break Ending::ClosedPipe(worst),
            Err(e) => break Ending::Failed(CliError::Output(e)),
        }
        printed += 1;
    };
    run.end_batch(ending, printed, queries.len(), false)
}

/// One query of a `diagnose -` batch: resolved, diagnosed when found, and its report as
/// printed, with its exit code. `settings` holds the pool's, read at the first user found.
async fn report_one(
    run: &super::Run,
    line: &super::batch::QueryLine,
    args: &DiagnoseArgs,
    how: Printing,
    settings: &mut Option<Option<PoolSchema>>,
) -> Result<(Printed, i32), CliError> {
    let query = line.text();
    // A line that is not UTF-8, or a malformed query: refused here, audited, answered.
    let refused = match (line.refusal(), lookup::validate_query(query)) {
        (Some(refused), _) => Some(refused),
        (None, Err(message)) => Some(LookupError::Refused(message.to_string())),
        (None, Ok(_)) => None,
    };
    let result = match refused {
        None => run.lookup(query, args.by.into()).await?,
        Some(refused) => {
            let refused = Err(refused);
            run.gate().refused(query, &refused)?;
            refused
        }
    };
    let masked = run
        .redact()
        .then(|| super::batch::Outcome::from_lookup(crate::redact::mask_lookup(&result, &[])));
    let outcome = super::batch::Outcome::from_lookup(result);
    let code = outcome.exit_code();
    let diagnosis = match &outcome {
        super::batch::Outcome::Found(user) => {
            // Read lazily: a batch that finds nobody never asks for the pool's settings.
            if settings.is_none() {
                *settings = Some(pool_settings(run).await?);
            }
            let pool = settings.as_ref().and_then(|s| s.as_ref());
            Some(diagnose_found(run, pool, user).await?)
        }
        _ => None,
    };
    // Privacy mode: the diagnosis read the real user; what is printed is masked.
    let (query, outcome, diagnosis) = match masked {
        Some(masked) => (
            crate::redact::mask_query(query),
            masked,
            diagnosis.as_ref().map(crate::redact::mask_diagnosis),
        ),
        None => (query.to_string(), outcome, diagnosis),
    };
    let report = QueryReport {
        query: &query,
        pool_id: run.session.pool.as_str(),
        pool: settings.as_ref().and_then(|s| s.as_ref()),
        outcome: &outcome,
        diagnosis: diagnosis.as_ref(),
    };
    let printed = match how {
        Printing::Text => Printed::Text(report.text()),
        Printing::Line => Printed::Text(report.json_line() + "\n"),
        Printing::Value => Printed::Value(report.json_value()),
    };
    Ok((printed, code))
}

/// How a batch's reports reach the sink.
#[derive(Clone, Copy)]
enum Printing {
    /// The text report for people.
    Text,
    /// A JSON line made here, through the safe formatter, keys in the report's order.
    Line,
    /// A JSON value for the sink to reshape (`--query`, the AWS CLI's text).
    Value,
}

/// One query's report for the sink: text (or a JSON line made here), or a JSON value.
enum Printed {
    Text(String),
    Value(serde_json::Value),
}

/// What a `diagnose -` batch prints for one query.
struct QueryReport<'a> {
    query: &'a str,
    pool_id: &'a str,
    pool: Option<&'a PoolSchema>,
    outcome: &'a super::batch::Outcome,
    diagnosis: Option<&'a Diagnosis>,
}

impl QueryReport<'_> {
    /// The report as one JSON line, through the safe formatter, keys in the report's order.
    fn json_line(&self) -> String {
        crate::sanitize::to_json_line(&self.line()).expect("plain data serializes")
    }

    /// The report as one JSON value, for the sink to reshape.
    fn json_value(&self) -> serde_json::Value {
        serde_json::to_value(self.line()).expect("plain data serializes")
    }

    /// The report's JSON line, to serialize.
    fn line(&self) -> BatchLine<'_> {
        use super::batch::Outcome;
        let outcome = self.outcome;
        BatchLine {
            query: self.query,
            result: outcome.result(),
            diagnosis: match (outcome, self.diagnosis) {
                (Outcome::Found(user), Some(d)) => {
                    Some(report_json(user, self.pool_id, self.pool, d))
                }
                _ => None,
            },
            matches: match outcome {
                Outcome::Ambiguous(m) => Some(
                    m.iter()
                        .map(|u| {
                            serde_json::to_value(output::list_users_value(u)).unwrap_or_default()
                        })
                        .collect(),
                ),
                _ => None,
            },
            error: match outcome {
                Outcome::Error { code, message, .. } => {
                    Some(serde_json::json!({"Code": code, "Message": message}))
                }
                _ => None,
            },
        }
    }

    /// The report as text, every value sanitized.
    fn text(&self) -> String {
        use super::batch::Outcome;
        let body = match (self.outcome, self.diagnosis) {
            (Outcome::Found(user), Some(d)) => text(user, self.pool_id, self.pool, d),
            (Outcome::NotFound, _) => "Result   not found\n".into(),
            (Outcome::Ambiguous(m), _) => format!(
                "Result   ambiguous: {} users match; look one up by username\n",
                m.len()
            ),
            (Outcome::Error { message, .. }, _) => {
                format!("Result   error: {}\n", sanitize(message))
            }
            (Outcome::Found(user), None) => format!("User     {}\n", sanitize(&user.username)),
        };
        format!("Query    {}\n{body}\n", sanitize(self.query))
    }
}
