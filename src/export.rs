//! `export`: every user of a pool, streamed from ListUsers pages in constant memory (a page
//! per stream at most), at the configured ListUsers rate. Unfiltered, the pool is split into
//! 16 shards by the first hex digit of `sub` (an immutable, lower-case UUID: each user is in
//! exactly one shard), read by independent streams so page latency doesn't hold the export
//! below the limiter's rate. Interrupted, it prints a token that resumes every shard where
//! its last written page ended.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use std::sync::Arc;
use std::time::Instant;

use futures::StreamExt;
use serde::{Deserialize, Serialize};
use tokio::sync::mpsc;

use crate::audit::AuditEvent;
use crate::batch::EXIT_INTERRUPTED;
use crate::cli::{ExportArgs, ExportFormat, TargetArgs};
use crate::cognito::{
    Backend, CognitoError, FilterAttribute, ListFilter, PoolId, UserStatus, UserSummary,
};
use crate::oneshot::usage;
use crate::output::table::{self, Delimited, TableWriter, UserRow};
use crate::output::{self, Stdout, TableOut, WriteError};
use crate::redact;

/// ListUsers' largest page.
const PAGE: i32 = 60;
/// Prefix of our resume tokens (Cognito's own tokens are accepted as they are).
const TOKEN_PREFIX: &str = "cte1.";
const HEX: &str = "0123456789abcdef";

/// Where one shard's stream stands: what has been written, not what has been fetched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Shard {
    /// The `sub ^=` prefix, or None for the whole (filtered) pool.
    #[serde(rename = "p", default, skip_serializing_if = "Option::is_none")]
    prefix: Option<String>,
    /// Cognito's pagination token for the next page; None before the first page.
    #[serde(rename = "t", default, skip_serializing_if = "Option::is_none")]
    token: Option<String>,
    #[serde(rename = "d", default)]
    done: bool,
}

/// Why `--starting-token` can't resume this export.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    #[error("--starting-token is empty")]
    Empty,
    /// Ours by its prefix, but not decodable: cut short or edited.
    #[error("--starting-token is not a token an export printed")]
    NotOurs,
    /// The token's export ran with another server-side filter.
    #[error(
        "--starting-token comes from an export filtered by {}, not {}: pass the same \
         --status/--enabled",
        token.as_deref().unwrap_or("nothing"),
        export.as_deref().unwrap_or("nothing")
    )]
    OtherFilter {
        token: Option<String>,
        export: Option<String>,
    },
}

/// The resume token's content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Resume {
    /// The server-side filter the export ran with, so a token isn't reused with another.
    #[serde(rename = "f", default, skip_serializing_if = "Option::is_none")]
    filter: Option<String>,
    #[serde(rename = "s")]
    shards: Vec<Shard>,
}

impl Resume {
    fn encode(&self) -> String {
        let json = serde_json::to_string(self).expect("plain data serializes");
        format!("{TOKEN_PREFIX}{}", URL_SAFE_NO_PAD.encode(json.as_bytes()))
    }

    /// Parses `--starting-token`: ours, or a bare Cognito token for one unsplit stream.
    fn decode(token: &str, filter: Option<&ListFilter>) -> Result<Self, TokenError> {
        let token = token.trim();
        let expected = filter.map(ListFilter::expression);
        let Some(body) = token.strip_prefix(TOKEN_PREFIX) else {
            if token.is_empty() {
                return Err(TokenError::Empty);
            }
            return Ok(Self {
                filter: expected,
                shards: vec![Shard {
                    prefix: None,
                    token: Some(token.to_string()),
                    done: false,
                }],
            });
        };
        let bytes = URL_SAFE_NO_PAD
            .decode(body)
            .map_err(|_| TokenError::NotOurs)?;
        let resume: Self = serde_json::from_slice(&bytes).map_err(|_| TokenError::NotOurs)?;
        if resume.shards.is_empty() {
            return Err(TokenError::NotOurs);
        }
        if resume.filter != expected {
            return Err(TokenError::OtherFilter {
                token: resume.filter,
                export: expected,
            });
        }
        Ok(resume)
    }
}

/// What a stream sends the writer.
enum Event {
    Page {
        shard: usize,
        users: Vec<UserSummary>,
        next: Option<String>,
    },
    Failed(CognitoError),
}

/// Writes users as JSON lines or a table, through the output sink.
enum Sink {
    Json(Stdout),
    Table(TableWriter<TableOut>),
    /// Privacy mode: each user masked (knowing the pool's username attributes) first.
    Redacted(Box<Sink>, Vec<String>),
}

impl Sink {
    fn user(&mut self, u: &UserSummary) -> Result<(), WriteError> {
        match self {
            Self::Json(w) => w.json_line(&output::list_users_value(u)),
            Self::Table(t) => Ok(t.row(&[], Some(UserRow::from(u)))?),
            Self::Redacted(inner, username_attributes) => {
                inner.user(&redact::mask_summary(u, username_attributes))
            }
        }
    }

    fn flush(&mut self) -> Result<(), WriteError> {
        match self {
            Self::Json(w) => w.flush(),
            Self::Table(t) => Ok(t.flush()?),
            Self::Redacted(inner, _) => inner.flush(),
        }
    }
}

/// Why `--status` can't filter the export.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StatusError {
    /// Not a word of capitals and underscores, as every Cognito status is.
    #[error("--status {0:?} is not a user status; one of {names}", names = status_names())]
    NotAStatus(String),
}

/// The filters: the server-side one, and the enabled flag checked here when --status took
/// ListUsers' only filter.
fn filters(args: &ExportArgs) -> Result<(Option<ListFilter>, Option<bool>), StatusError> {
    let status = match &args.status {
        Some(s) => {
            let s = s.trim().to_ascii_uppercase();
            if s.is_empty() || !s.chars().all(|c| c.is_ascii_uppercase() || c == '_') {
                return Err(StatusError::NotAStatus(s));
            }
            if let UserStatus::Other(_) = UserStatus::from_wire(&s) {
                output::note(format_args!(
                    "{s} is not a status this version knows ({}); asking Cognito anyway",
                    status_names()
                ));
            }
            Some(s)
        }
        None => None,
    };
    let enabled = |e: bool| if e { "Enabled" } else { "Disabled" };
    Ok(match (status, args.enabled) {
        (Some(s), None) => (
            Some(ListFilter::exact(FilterAttribute::UserStatus, s)),
            None,
        ),
        (None, Some(e)) => (
            Some(ListFilter::exact(FilterAttribute::Status, enabled(e))),
            None,
        ),
        (Some(s), Some(e)) => {
            output::note(format_args!(
                "ListUsers takes one filter: Cognito filters by status {s}; \
                 --enabled {e} is applied here, to every {s} user read"
            ));
            (
                Some(ListFilter::exact(FilterAttribute::UserStatus, s)),
                Some(e),
            )
        }
        (None, None) => (None, None),
    })
}

fn status_names() -> String {
    UserStatus::ALL
        .iter()
        .map(|s| s.as_wire())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The shards of a fresh export.
fn fresh(filter: Option<&ListFilter>, streams: u8) -> Resume {
    let shards = if filter.is_some() || streams == 1 {
        vec![Shard {
            prefix: None,
            token: None,
            done: false,
        }]
    } else {
        HEX.chars()
            .map(|c| Shard {
                prefix: Some(c.to_string()),
                token: None,
                done: false,
            })
            .collect()
    };
    Resume {
        filter: filter.map(ListFilter::expression),
        shards,
    }
}

/// Runs `export`; returns the exit code.
pub async fn run(target: &TargetArgs, args: &ExportArgs) -> i32 {
    run_export(target, args).await.unwrap_or_else(|code| code)
}

/// [`run`]; `Err` is the exit code of a usage error, printed.
async fn run_export(target: &TargetArgs, args: &ExportArgs) -> Result<i32, i32> {
    let columns = table::attribute_columns(&args.attributes).map_err(usage)?;
    if !columns.is_empty() && args.output == ExportFormat::Json {
        return Err(usage(
            "--attributes chooses csv/tsv columns: add -o csv or -o tsv",
        ));
    }
    let (filter, client_enabled) = filters(args).map_err(usage)?;
    let resume = match &args.starting_token {
        Some(token) => Resume::decode(token, filter.as_ref()).map_err(usage)?,
        None => fresh(filter.as_ref(), args.streams),
    };
    // The config file applied once: pool, profile, Region, limiter, redact and audit log,
    // which is opened before any request: one that can't be written stops the export.
    let run = crate::oneshot::prepare(target).await?;
    let session = &run.session;
    let out = Stdout::open();
    let sink = match args.output {
        ExportFormat::Json => Ok(Sink::Json(out)),
        ExportFormat::Csv => out.table(Delimited::Csv, &[], columns).map(Sink::Table),
        ExportFormat::Tsv => out.table(Delimited::Tsv, &[], columns).map(Sink::Table),
    };
    let sink = match sink {
        Ok(sink) => sink,
        Err(e) => return Ok(e.report(0)),
    };
    let schema = session.backend.describe_pool(&session.pool).await.ok();
    let estimate = schema
        .as_ref()
        .and_then(|s| s.estimated_number_of_users)
        .and_then(|n| u64::try_from(n).ok());
    let sink = match run.redact() {
        true => Sink::Redacted(
            Box::new(sink),
            schema.map(|s| s.username_attributes).unwrap_or_default(),
        ),
        false => sink,
    };
    let streams = usize::from(args.streams);
    let (code, written, write_error) = export(
        session.backend.clone(),
        session.pool.clone(),
        filter.clone(),
        client_enabled,
        resume,
        streams,
        sink,
        estimate,
    )
    .await;
    // One line per export run: the filter, how many users were written, and how it ended.
    let audited = run.audit(|session| {
        let mut event = AuditEvent::new("export", session);
        event.query = filter.as_ref().map(ListFilter::expression);
        event.count = Some(written);
        event.outcome = match (&write_error, code) {
            (Some(e), _) => e.outcome().into(),
            (None, 0) => "ok".into(),
            (None, EXIT_INTERRUPTED) => "cancelled".into(),
            (None, _) => format!("error (exit {code})"),
        };
        event
    });
    Ok(match audited {
        Ok(()) => code,
        Err(usage) => code.max(usage),
    })
}

/// Counts and the clock, for the progress line and the summary.
struct Progress {
    started: Instant,
    written: u64,
    read: u64,
    estimate: Option<u64>,
    live: bool,
}

impl Progress {
    fn line(&self) -> String {
        let secs = self.started.elapsed().as_secs_f64().max(0.001);
        let of = match self.estimate {
            Some(e) => format!(" of ~{e} estimated"),
            None => String::new(),
        };
        let skipped = if self.read > self.written {
            format!(" ({} read)", self.read)
        } else {
            String::new()
        };
        format!(
            "{} users{skipped}{of} in {:.1} s, {:.0} users/s",
            self.written,
            secs,
            self.read as f64 / secs
        )
    }
}

#[allow(clippy::too_many_arguments)]
async fn export(
    backend: Arc<dyn Backend>,
    pool: PoolId,
    filter: Option<ListFilter>,
    client_enabled: Option<bool>,
    mut resume: Resume,
    streams: usize,
    mut sink: Sink,
    estimate: Option<u64>,
) -> (i32, u64, Option<WriteError>) {
    // A page per stream in flight at most: memory stays flat whatever the pool's size.
    let (tx, mut rx) = mpsc::channel::<Event>(streams);
    let pending: Vec<(usize, Shard)> = resume
        .shards
        .iter()
        .cloned()
        .enumerate()
        .filter(|(_, s)| !s.done)
        .collect();
    let readers = tokio::spawn(async move {
        futures::stream::iter(pending)
            .for_each_concurrent(streams, |(i, shard)| {
                let (backend, pool, tx) = (backend.clone(), pool.clone(), tx.clone());
                let filter = match &shard.prefix {
                    Some(p) => Some(ListFilter {
                        attribute: FilterAttribute::Sub,
                        prefix: true,
                        value: p.clone(),
                    }),
                    None => filter.clone(),
                };
                async move {
                    let mut token = shard.token;
                    loop {
                        let page = backend
                            .list_users(
                                &pool,
                                filter.as_ref(),
                                crate::cognito::PageRequest::after(PAGE, token.as_deref()),
                            )
                            .await;
                        let event = match page {
                            Ok(page) => {
                                token = page.next_token.clone();
                                Event::Page {
                                    shard: i,
                                    users: page.users,
                                    next: page.next_token,
                                }
                            }
                            Err(e) => Event::Failed(e),
                        };
                        let last = !matches!(&event, Event::Page { next: Some(_), .. });
                        if tx.send(event).await.is_err() || last {
                            return;
                        }
                    }
                }
            })
            .await;
    });
    let mut progress = Progress {
        started: Instant::now(),
        written: 0,
        read: 0,
        estimate,
        live: output::stderr_is_terminal(),
    };
    let interrupt = tokio::signal::ctrl_c();
    tokio::pin!(interrupt);
    let mut code = 0;
    let mut write_error = None;
    loop {
        let event = tokio::select! {
            event = rx.recv() => event,
            _ = &mut interrupt => {
                if progress.live {
                    output::clear_progress();
                }
                output::say("interrupted");
                code = EXIT_INTERRUPTED;
                break;
            }
        };
        let Some(event) = event else { break };
        match event {
            Event::Page { shard, users, next } => {
                let page = write_page(&mut sink, &users, client_enabled, &mut progress);
                match page {
                    Ok(()) => {}
                    // stdout closed (`| head`): stop quietly.
                    Err(WriteError::Closed) => {
                        readers.abort();
                        return (0, progress.written, Some(WriteError::Closed));
                    }
                    Err(e) => {
                        code = e.report(code);
                        write_error = Some(e);
                        break;
                    }
                }
                // Only now is the page written: the resume point may move past it.
                let state = &mut resume.shards[shard];
                state.done = next.is_none();
                state.token = next;
                if progress.live {
                    output::progress(progress.line());
                }
            }
            Event::Failed(e) => {
                if progress.live {
                    output::clear_progress();
                }
                output::error(&e);
                code = e.kind.exit_code();
                break;
            }
        }
    }
    readers.abort();
    if write_error.is_none()
        && let Err(e) = sink.flush()
    {
        code = code.max(e.report(0));
        write_error = Some(e);
    }
    if progress.live {
        output::clear_progress();
    }
    output::say(format_args!("exported {}", progress.line()));
    if code != 0 && resume.shards.iter().any(|s| !s.done) {
        output::say(format_args!(
            "resume with: --starting-token {}",
            resume.encode()
        ));
    }
    (code, progress.written, write_error)
}

/// Writes one page's users (those `client_enabled` keeps) and flushes them.
fn write_page(
    sink: &mut Sink,
    users: &[UserSummary],
    client_enabled: Option<bool>,
    progress: &mut Progress,
) -> Result<(), WriteError> {
    for u in users {
        progress.read += 1;
        if client_enabled.is_some_and(|e| e != u.enabled) {
            continue;
        }
        sink.user(u)?;
        progress.written += 1;
    }
    sink.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resume_tokens_round_trip_and_check_the_filter() {
        let filter = ListFilter::exact(FilterAttribute::UserStatus, "CONFIRMED");
        let mut r = fresh(Some(&filter), 16);
        assert_eq!(r.shards.len(), 1, "a filter leaves no room to split");
        r.shards[0].token = Some("abc/+=".into());
        let token = r.encode();
        assert_eq!(Resume::decode(&token, Some(&filter)), Ok(r));
        assert_eq!(
            Resume::decode(&token, None).unwrap_err().to_string(),
            "--starting-token comes from an export filtered by cognito:user_status = \
             \"CONFIRMED\", not nothing: pass the same --status/--enabled"
        );
        assert_eq!(Resume::decode("cte1.!!", None), Err(TokenError::NotOurs));
        assert_eq!(Resume::decode("  ", None), Err(TokenError::Empty));
        let bare = Resume::decode("cognito-token", None).unwrap();
        assert_eq!(bare.shards[0].token.as_deref(), Some("cognito-token"));
    }

    #[test]
    fn unfiltered_exports_split_by_every_hex_digit() {
        let r = fresh(None, 16);
        let prefixes: String = r.shards.iter().map(|s| s.prefix.clone().unwrap()).collect();
        assert_eq!(prefixes, HEX);
        assert_eq!(fresh(None, 1).shards.len(), 1);
    }
}
