//! `export`: every user of a pool, streamed from ListUsers pages in constant memory (a page
//! per stream at most), at the configured ListUsers rate. Unfiltered, the pool is split into
//! 16 shards by the first hex digit of `sub` (a lower-case UUID: each user is in exactly one
//! shard), read by independent streams so page latency doesn't hold the export below the
//! limiter's rate; when they wrote fewer users than the pool's estimate, a remainder pass reads
//! the pool once more for users whose sub fits no shard. Interrupted (Ctrl-C, SIGTERM, SIGHUP)
//! or stopped by an error, it prints a token ([`token`]) that resumes every shard where its
//! last written page ended. The run is audited by a `start` line before its first request and
//! an `end` line however it ends, with the count and the resume token.

mod before;
mod extras;
mod groups;
mod import;
mod mfa;
mod per_user;
mod signin;
pub mod token;

use std::collections::HashMap;
use std::time::Instant;

use time::OffsetDateTime;

use futures::StreamExt;
use tokio::sync::mpsc;

use crate::cli::{ExportArgs, ExportFormat, TargetArgs};
use crate::cognito::{
    CognitoError, ErrorKind, FilterAttribute, ListFilter, UserStatus, UserSummary,
};
use crate::filter::Filter;
use crate::oneshot::gate::Pages;
use crate::oneshot::stop::{Ending, Stop};
use crate::oneshot::{CliError, usage};
use crate::output::query::Query;
use crate::output::table::{Delimited, TableWriter, UserRow};
use crate::output::{self, Shape, Stdout, TableOut, WriteError};
use crate::redact;
use extras::Extras;
pub use token::TokenError;
use token::{Plan, Resume, in_a_prefix_stream};

/// ListUsers' largest page.
const PAGE: i32 = 60;

/// What a stream sends the writer.
enum Event {
    Page {
        shard: usize,
        users: Vec<UserSummary>,
        next: Option<String>,
    },
    /// A page request failed; `given_token` when it carried the token `--starting-token`
    /// gave its shard (the shard had not moved in this run).
    Failed {
        error: CognitoError,
        given_token: bool,
    },
}

/// Writes users as JSON lines, a table or a Cognito import file, through the output sink.
enum Sink {
    Json(Stdout),
    Table(TableWriter<TableOut>),
    Import(Box<import::ImportFile>),
    /// Privacy mode: each user masked (knowing the pool's username attributes) first.
    Redacted(Box<Sink>, Vec<String>),
}

/// How a write failure ends the run: a closed pipe quietly (`cancelled`), anything else
/// with its message and exit 8.
fn write_ending(e: WriteError) -> Ending {
    match e {
        WriteError::Closed => Ending::ClosedPipe(0),
        e => Ending::Failed(CliError::Output(e)),
    }
}

impl Sink {
    /// Stdout in `format` (a table's header written now), masked when `redact` gives the
    /// pool's username attributes. Not for `cognito-import` ([`import::ImportFile::open`]).
    fn open(
        format: ExportFormat,
        query: Option<Query>,
        columns: Vec<String>,
        redact: Option<Vec<String>>,
    ) -> Result<Self, WriteError> {
        // `--query` and `-o table` are the sink's: each user's JSON line, reshaped there.
        let table = format == ExportFormat::Table;
        let out = Stdout::shaped(Shape::pick(query, false, table, "ListUsers"));
        let sink = match format {
            ExportFormat::Json | ExportFormat::Table | ExportFormat::CognitoImport => {
                Sink::Json(out)
            }
            ExportFormat::Csv => Sink::Table(out.table(Delimited::Csv, &[], columns)?),
            ExportFormat::Tsv => Sink::Table(out.table(Delimited::Tsv, &[], columns)?),
        };
        Ok(match redact {
            Some(username_attributes) => Sink::Redacted(Box::new(sink), username_attributes),
            None => sink,
        })
    }

    /// Writes `u` with what the options added; `false` when it was left out (an import
    /// file's federated users).
    fn user(&mut self, u: &UserSummary, extras: &Extras) -> Result<bool, WriteError> {
        match self {
            Self::Json(w) => w.json_line(&extras::json(u, extras)).map(|()| true),
            Self::Table(t) => {
                let u = extras::with_columns(u, extras);
                Ok(t.row(&[], Some(UserRow::from(&u))).map(|()| true)?)
            }
            Self::Import(file) => file.user(u, extras.mfa),
            Self::Redacted(inner, username_attributes) => {
                inner.user(&redact::mask_summary(u, username_attributes), extras)
            }
        }
    }

    fn flush(&mut self) -> Result<(), WriteError> {
        match self {
            Self::Json(w) => w.flush(),
            Self::Table(t) => Ok(t.flush()?),
            Self::Import(file) => file.flush(),
            Self::Redacted(inner, _) => inner.flush(),
        }
    }

    /// An import file's closing notes (what it left out), on stderr.
    fn report(&self) {
        match self {
            Self::Import(file) => file.report(),
            Self::Redacted(inner, _) => inner.report(),
            Self::Json(_) | Self::Table(_) => {}
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

/// Runs `export`: `Ok` with its exit code, or what stopped it (a usage error, an audit log
/// that can't be written, a signal, a failed page).
pub async fn run(target: &TargetArgs, args: &ExportArgs) -> Result<i32, CliError> {
    let columns = before::columns(args)?;
    // The config file applied once (pool, profile, Region, limiter, redact and audit log);
    // nothing is sent yet.
    let resolved = crate::oneshot::resolve(target)?;
    let filters = plan_filters(args, resolved.redact())?;
    if args.output == ExportFormat::CognitoImport && resolved.redact() {
        return Err(usage(
            "-o cognito-import writes values to be imported; privacy mode would import them \
             masked: run this export without --redact (or the pool's redact = true)",
        ));
    }
    let (resume, expression) = resume_point(args, resolved.pool_id().as_str(), &filters)?;
    // Listening before the first request: every way the run ends writes its end line.
    let mut stop = Stop::listen();
    let run = resolved
        .connect("export", |event| {
            event.query = expression.clone();
            event.resume = args.starting_token.clone();
        })
        .await?;
    let before = match before::Before::read(&run, args, expression.as_ref()).await {
        Ok(before) => before,
        Err(done) => return done,
    };
    let (mut export, sink) = before.start(&run, args, filters, columns, resume)?;
    let (ending, sink) = match sink {
        Ok(mut sink) => (export.all(&mut sink, &mut stop).await, Some(sink)),
        // The header could not be written: stdout is closed, or failed (exit 8).
        Err(e) => (write_ending(e), None),
    };
    // The end line first: after SIGHUP the terminal (stderr) may be gone.
    let token = export.resume_token(&ending);
    let audited = run.end(&ending, |event| {
        event.query = expression.clone();
        event.count = Some(export.progress.written);
        event.resume = token.clone();
    });
    export.report(&ending, token.as_deref());
    if let Some(sink) = &sink {
        sink.report();
    }
    crate::oneshot::settle(audited, ending.into_result())
}

/// Where the export starts (a fresh plan, or `--starting-token`'s point, checked against this
/// pool and filters before anything is sent), and the expression its audit lines record.
fn resume_point(
    args: &ExportArgs,
    pool: &str,
    filters: &Filters,
) -> Result<(Resume, Option<String>), CliError> {
    let server = filters.server.as_ref().map(ListFilter::expression);
    let source = filters.local.as_ref().map(|l| l.source().to_string());
    let resume = match &args.starting_token {
        Some(token) => Resume::decode(token, pool, server.as_deref())
            .and_then(|r| r.check_where(source.as_deref()))
            .map_err(usage)?,
        None => Resume::fresh(pool, server.clone(), args.streams).with_where(source.clone()),
    };
    let expression = audited_expression(source.as_deref(), server.as_deref());
    Ok((resume, expression))
}

/// What the audit lines record: the `--where` expression and the part Cognito serves.
fn audited_expression(source: Option<&str>, server: Option<&str>) -> Option<String> {
    match (source, server) {
        (Some(w), Some(s)) => Some(format!("where {w}; ListUsers {s}")),
        (Some(w), None) => Some(format!("where {w}")),
        (None, s) => s.map(str::to_string),
    }
}

/// The server-side filter, `--enabled` when checked here, and `--where` (parsed before any
/// request: a bad expression is a usage error with its column).
fn plan_filters(args: &ExportArgs, redact: bool) -> Result<Filters, CliError> {
    let Some(source) = &args.where_ else {
        let (server, client_enabled) = filters(args).map_err(usage)?;
        return Ok(Filters {
            server,
            client_enabled,
            local: None,
        });
    };
    let extra: &[&str] = match args.last_sign_in {
        true => &[signin::COLUMN],
        false => &[],
    };
    let local = crate::oneshot::parse_where(source, extra, redact)?;
    let server = local.server_side();
    match &server {
        Some(f) => output::note(format_args!(
            "Cognito filters by {}; the whole --where is checked here on each user read",
            match redact {
                true => crate::redact::mask_filter(f),
                false => f.expression(),
            }
        )),
        None => output::note(
            "no part of --where is a filter ListUsers takes (one =, or startswith, on a \
             standard searchable attribute, UserStatus or Enabled, joined by `and`): every \
             user is read and checked here",
        ),
    }
    Ok(Filters {
        server,
        client_enabled: None,
        local: Some(local),
    })
}

/// What an export filters by: ListUsers' one filter, and what is checked here.
struct Filters {
    server: Option<ListFilter>,
    /// `--enabled` when `--status` took ListUsers' filter.
    client_enabled: Option<bool>,
    /// `--where`.
    local: Option<Filter>,
}

/// Counts and the clock, for the progress line and the summary.
struct Progress {
    started: Instant,
    written: u64,
    /// Read, kept by the filters, and left out by the format (an import file's federated
    /// users): accounted for, when the count is held against the estimate.
    left_out: u64,
    read: u64,
    estimate: Option<u64>,
    live: bool,
}

impl Progress {
    fn new(estimate: Option<u64>) -> Self {
        Self {
            started: Instant::now(),
            written: 0,
            left_out: 0,
            read: 0,
            estimate,
            live: output::stderr_is_terminal(),
        }
    }

    /// Redraws the progress line on a terminal (a gone terminal is no reason to panic).
    fn show(&self) {
        if self.live {
            output::progress(self.line());
        }
    }

    /// Clears the progress line on a terminal.
    fn clear(&self) {
        if self.live {
            output::clear_progress();
        }
    }

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

/// What the per-user options read for one page's kept users, in their order.
#[derive(Clone, Copy)]
struct PageExtras<'p> {
    mfa: Option<&'p [mfa::Mfa]>,
    signins: Option<&'p [Option<OffsetDateTime>]>,
}

/// How a per-user read's failure ends the run: `during` names the option; a pool without
/// sign-in history is the usage error `--last-sign-in` gives before a scan.
fn per_user_failed(during: &str, e: Result<CognitoError, CliError>) -> Ending {
    Ending::Failed(match e {
        Ok(error) => signin::not_enabled(&error).unwrap_or_else(|| CliError::Cognito {
            during: during.into(),
            error: Box::new(error),
            hint: None,
        }),
        Err(audit) => audit,
    })
}

/// One export run: where its streams read, what they filter, where they stand.
struct Export<'a> {
    pages: Pages,
    filter: Option<ListFilter>,
    /// `--enabled`, checked here when `--status` took ListUsers' only filter.
    client_enabled: Option<bool>,
    /// `--where`, checked here on every user read.
    local: Option<Filter>,
    /// A field `--where` names that is read per user (`LastSignIn`): the filter runs in full
    /// only once it is read, and before that only drops users it can't match whatever it is.
    deferred: Option<crate::filter::Field>,
    /// `--with-groups`: each username's groups, read before the users.
    groups: Option<HashMap<String, Vec<String>>>,
    /// `--with-mfa`: AdminGetUser for each user written.
    mfa: Option<mfa::Reader<'a>>,
    /// `--last-sign-in`: AdminListUserAuthEvents for each user kept.
    signin: Option<signin::Reader<'a>>,
    streams: usize,
    resume: Resume,
    progress: Progress,
    /// Cognito refused a pagination token: the resume point can't be trusted to resume.
    rejected_token: bool,
}

impl Export<'_> {
    /// Every pending shard, then the remainder pass when the shards fell short of the
    /// pool's estimate.
    async fn all(&mut self, sink: &mut Sink, stop: &mut Stop) -> Ending {
        let ending = self.shards(sink, stop).await;
        if !ending.clean() || !self.falls_short() {
            return ending;
        }
        let Some(_) = self.resume.add_remainder() else {
            return ending;
        };
        self.progress.clear();
        output::note(format_args!(
            "the 16 sub streams wrote {} users, fewer than the pool's estimate of {}; \
             reading the pool once more for users whose sub starts with no hex digit",
            self.resume.written,
            self.progress.estimate.unwrap_or_default()
        ));
        self.shards(sink, stop).await
    }

    /// Whether a finished sixteen-stream export wrote fewer users than the estimate.
    fn falls_short(&self) -> bool {
        self.resume.plan == Plan::Sub16
            && self.client_enabled.is_none()
            && self.local.is_none()
            && self
                .progress
                .estimate
                .is_some_and(|estimate| self.resume.written + self.progress.left_out < estimate)
    }

    /// Reads the pending shards into `sink` until they are done, an error, a closed pipe or
    /// a stop signal.
    async fn shards(&mut self, sink: &mut Sink, stop: &mut Stop) -> Ending {
        // A page per stream in flight at most: memory stays flat whatever the pool's size.
        let (tx, mut rx) = mpsc::channel::<Event>(self.streams);
        let readers = tokio::spawn(read_shards(
            self.pages.clone(),
            self.filter.clone(),
            self.resume.clone(),
            self.streams,
            tx,
        ));
        let ending = loop {
            let event = tokio::select! {
                biased;
                signal = stop.recv() => break Ending::Stopped(signal),
                event = rx.recv() => event,
            };
            match event {
                None => break Ending::Done(0),
                Some(Event::Page { shard, users, next }) => {
                    if let Err(ending) = self.page(sink, stop, shard, &users, next).await {
                        break ending;
                    }
                }
                Some(Event::Failed { error, given_token }) => {
                    // A pagination token Cognito refuses (InvalidParameterException, or an
                    // exception we don't know) would be refused again: never offered back.
                    let refusal =
                        matches!(error.kind, ErrorKind::InvalidParameter | ErrorKind::Other);
                    self.rejected_token = given_token && refusal;
                    break Ending::Failed(CliError::Cognito {
                        during: String::new(),
                        error: Box::new(error),
                        hint: None,
                    });
                }
            }
        };
        readers.abort();
        match sink.flush() {
            Err(e) if ending.clean() => write_ending(e),
            _ => ending,
        }
    }

    /// The users of a page that the filters checked here keep (with a deferred field, those
    /// that may still match once it is read).
    fn kept<'u>(&self, shard: usize, users: &'u [UserSummary]) -> Vec<&'u UserSummary> {
        let remainder = self.resume.shards[shard].remainder;
        let local = |u: &UserSummary| match (&self.local, &self.deferred) {
            (None, _) => true,
            (Some(l), None) => l.matches(u),
            (Some(l), Some(field)) => l.could_match(u, field),
        };
        let keep = |u: &&UserSummary| {
            self.client_enabled.is_none_or(|e| e == u.enabled)
                && local(u)
                // The remainder pass writes only the users no sub stream holds.
                && !(remainder && in_a_prefix_stream(u.attribute("sub")))
        };
        users.iter().filter(keep).collect()
    }

    /// One page: the users kept, their last sign-in and MFA read when the options ask (a stop
    /// signal ends the wait, the page unwritten), then written.
    async fn page(
        &mut self,
        sink: &mut Sink,
        stop: &mut Stop,
        shard: usize,
        users: &[UserSummary],
        next: Option<String>,
    ) -> Result<(), Ending> {
        let kept = self.kept(shard, users);
        let (kept, signins) = match self.signin.as_mut() {
            None => (kept, None),
            Some(reader) => {
                let read = tokio::select! {
                    biased;
                    signal = stop.recv() => return Err(Ending::Stopped(signal)),
                    read = reader.read(&kept) => read.map_err(|e| per_user_failed("--last-sign-in: ", e))?,
                };
                self.after_sign_in(kept, read)
            }
        };
        let mfa = match self.mfa.as_mut() {
            None => None,
            Some(reader) => tokio::select! {
                biased;
                signal = stop.recv() => return Err(Ending::Stopped(signal)),
                read = reader.read(&kept) => Some(read.map_err(|e| per_user_failed("--with-mfa: AdminGetUser: ", e))?),
            },
        };
        self.progress.read += users.len() as u64;
        let extras = PageExtras {
            mfa: mfa.as_deref(),
            signins: signins.as_deref(),
        };
        self.write_page(sink, shard, &kept, extras, next)
    }

    /// The users the whole `--where` keeps once their last sign-in is known, with it.
    #[allow(clippy::type_complexity)]
    fn after_sign_in<'u>(
        &self,
        kept: Vec<&'u UserSummary>,
        read: Vec<Option<OffsetDateTime>>,
    ) -> (Vec<&'u UserSummary>, Option<Vec<Option<OffsetDateTime>>>) {
        let (Some(local), Some(_)) = (&self.local, &self.deferred) else {
            return (kept, Some(read));
        };
        let with = |u: &UserSummary, last: Option<OffsetDateTime>| {
            let extras = Extras {
                last_sign_in: Some(last),
                ..Extras::default()
            };
            local.matches(&extras::with_columns(u, &extras))
        };
        let (kept, read): (Vec<_>, Vec<_>) = (kept.into_iter().zip(read))
            .filter(|(u, last)| with(u, *last))
            .unzip();
        (kept, Some(read))
    }

    /// Writes one page's kept users and moves the shard's resume point past it.
    fn write_page(
        &mut self,
        sink: &mut Sink,
        shard: usize,
        users: &[&UserSummary],
        page: PageExtras,
        next: Option<String>,
    ) -> Result<(), Ending> {
        for (i, u) in users.iter().enumerate() {
            let groups =
                (self.groups.as_ref()).map(|g| g.get(&u.username).map_or(&[][..], Vec::as_slice));
            let extras = Extras {
                groups,
                mfa: page.mfa.map(|m| &m[i]),
                last_sign_in: page.signins.map(|s| s[i]),
            };
            // stdout closed (`| head`): stop quietly; any other failure is exit 8.
            match sink.user(u, &extras).map_err(write_ending)? {
                true => {
                    self.progress.written += 1;
                    self.resume.written += 1;
                }
                false => self.progress.left_out += 1,
            }
        }
        sink.flush().map_err(write_ending)?;
        // Only now is the page written: the resume point may move past it.
        let state = &mut self.resume.shards[shard];
        state.done = next.is_none();
        state.token = next;
        self.progress.show();
        Ok(())
    }

    /// The token that resumes the run, when it ended early and its resume point can be
    /// trusted (not after Cognito refused a pagination token).
    fn resume_token(&self, ending: &Ending) -> Option<String> {
        let pending = self.resume.shards.iter().any(|s| !s.done);
        let early = matches!(ending, Ending::Stopped(_) | Ending::Failed(_));
        (early && pending && !self.rejected_token).then(|| self.resume.encode())
    }

    /// The summary, the resume token and, for a whole unfiltered export, how the count
    /// compares with the pool's estimate; on stderr.
    fn report(&self, ending: &Ending, token: Option<&str>) {
        self.progress.clear();
        output::say(format_args!("exported {}", self.progress.line()));
        if let Some(signin) = &self.signin {
            signin.report();
        }
        if let Some(mfa) = &self.mfa {
            mfa.report();
        }
        if self.rejected_token {
            output::note(
                "Cognito refused the pagination token the resume point holds (expired, \
                 or from elsewhere); start a new export without --starting-token",
            );
        }
        if let Some(token) = token {
            output::say(format_args!("resume with: --starting-token {token}"));
        }
        if let Some(note) = self.estimate_note(ending) {
            output::note(note);
        }
    }

    /// A note when a whole unfiltered export's count and the pool's estimate differ by more
    /// than the estimate's margin.
    fn estimate_note(&self, ending: &Ending) -> Option<String> {
        let estimate = self.progress.estimate?;
        let whole = ending.clean() && self.resume.filter.is_none();
        let written = self.resume.written;
        let accounted = written + self.progress.left_out;
        let apart = accounted.abs_diff(estimate) > margin(estimate);
        let unfiltered = self.client_enabled.is_none() && self.local.is_none();
        (whole && unfiltered && apart).then(|| {
            format!(
                "{written} users were exported; DescribeUserPool estimates {estimate}. \
                 EstimatedNumberOfUsers is only \"a number estimating the size of the user \
                 pool\" (UserPoolType, Amazon Cognito API Reference): users created or \
                 deleted during the export, or not yet counted, make the difference"
            )
        })
    }
}

/// How far the export's count may be from EstimatedNumberOfUsers before it is worth a note.
/// AWS documents no precision for the estimate; 1% (at least one user) says "not the same
/// pool size" without a note on every export of a pool that changed during it.
fn margin(estimate: u64) -> u64 {
    (estimate / 100).max(1)
}

/// The readers: each pending shard as a stream of pages, `streams` at a time.
async fn read_shards(
    pages: Pages,
    filter: Option<ListFilter>,
    resume: Resume,
    streams: usize,
    tx: mpsc::Sender<Event>,
) {
    let pending: Vec<(usize, token::Shard)> = (resume.shards.into_iter().enumerate())
        .filter(|(_, s)| !s.done)
        .collect();
    futures::stream::iter(pending)
        .for_each_concurrent(streams, |(i, shard)| {
            let (pages, tx) = (pages.clone(), tx.clone());
            let filter = match &shard.prefix {
                Some(p) => Some(ListFilter {
                    attribute: FilterAttribute::Sub,
                    prefix: true,
                    value: p.clone(),
                }),
                // The remainder pass reads the whole pool: no filter is "none of the prefixes".
                None if shard.remainder => None,
                None => filter.clone(),
            };
            async move {
                let mut token = shard.token;
                let mut first = true;
                loop {
                    let page = pages.page(filter.as_ref(), PAGE, token.as_deref()).await;
                    let event = match page {
                        Ok(page) => {
                            token = page.next_token.clone();
                            Event::Page {
                                shard: i,
                                users: page.users,
                                next: page.next_token,
                            }
                        }
                        Err(error) => Event::Failed {
                            error,
                            given_token: first && token.is_some(),
                        },
                    };
                    first = false;
                    let last = !matches!(&event, Event::Page { next: Some(_), .. });
                    if tx.send(event).await.is_err() || last {
                        return;
                    }
                }
            }
        })
        .await;
}
