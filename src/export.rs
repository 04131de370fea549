//! `export`: every user of a pool, streamed from ListUsers pages in constant memory (a page
//! per stream at most), at the configured ListUsers rate. Unfiltered, the pool is split into
//! 16 shards by the first hex digit of `sub` (a lower-case UUID: each user is in exactly one
//! shard), read by independent streams so page latency doesn't hold the export below the
//! limiter's rate; when they wrote fewer users than the pool's estimate, a remainder pass reads
//! the pool once more for users whose sub fits no shard. Interrupted (Ctrl-C, SIGTERM, SIGHUP)
//! or stopped by an error, it prints a token ([`token`]) that resumes every shard where its
//! last written page ended. The run is audited by a `start` line before its first request and
//! an `end` line however it ends, with the count and the resume token.

mod groups;
mod mfa;
pub mod token;

use std::collections::HashMap;
use std::time::Instant;

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
use crate::output::table::{self, Delimited, TableWriter, UserRow};
use crate::output::{self, Shape, Stdout, TableOut, WriteError};
use crate::redact;
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

/// Writes users as JSON lines or a table, through the output sink.
enum Sink {
    Json(Stdout),
    Table(TableWriter<TableOut>),
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
    /// pool's username attributes.
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
            ExportFormat::Json | ExportFormat::Table => Sink::Json(out),
            ExportFormat::Csv => Sink::Table(out.table(Delimited::Csv, &[], columns)?),
            ExportFormat::Tsv => Sink::Table(out.table(Delimited::Tsv, &[], columns)?),
        };
        Ok(match redact {
            Some(username_attributes) => Sink::Redacted(Box::new(sink), username_attributes),
            None => sink,
        })
    }

    /// Writes `u`, with its groups when `--with-groups` read them and its MFA when
    /// `--with-mfa` did.
    fn user(
        &mut self,
        u: &UserSummary,
        groups: Option<&[String]>,
        mfa: Option<&mfa::Mfa>,
    ) -> Result<(), WriteError> {
        match self {
            Self::Json(w) => match (groups, mfa) {
                (None, None) => w.json_line(&output::list_users_value(u)),
                (Some(g), None) => w.json_line(&groups::with_groups_key(u, g)),
                (None, Some(m)) => w.json_line(&mfa::with_mfa_keys(output::list_users_value(u), m)),
                (Some(g), Some(m)) => {
                    w.json_line(&mfa::with_mfa_keys(groups::with_groups_key(u, g), m))
                }
            },
            Self::Table(t) => {
                let u = match groups {
                    Some(groups) => groups::with_groups_column(u, groups),
                    None => u.clone(),
                };
                let u = match mfa {
                    Some(m) => mfa::with_mfa_columns(u, m),
                    None => u,
                };
                Ok(t.row(&[], Some(UserRow::from(&u)))?)
            }
            Self::Redacted(inner, username_attributes) => {
                inner.user(&redact::mask_summary(u, username_attributes), groups, mfa)
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

/// Runs `export`: `Ok` with its exit code, or what stopped it (a usage error, an audit log
/// that can't be written, a signal, a failed page).
pub async fn run(target: &TargetArgs, args: &ExportArgs) -> Result<i32, CliError> {
    let columns = columns(args)?;
    if args.jmespath.is_some() && args.output.delimited() {
        return Err(usage(
            "--query shapes json and table output, not csv or tsv",
        ));
    }
    // The config file applied once (pool, profile, Region, limiter, redact and audit log);
    // nothing is sent yet.
    let resolved = crate::oneshot::resolve(target)?;
    let Filters {
        server: filter,
        client_enabled,
        local,
    } = plan_filters(args, resolved.redact())?;
    let server = filter.as_ref().map(ListFilter::expression);
    let source = local.as_ref().map(|l| l.source().to_string());
    let pool = resolved.pool_id().to_string();
    // A token is checked against this pool and filters before anything is sent.
    let resume = match &args.starting_token {
        Some(token) => Resume::decode(token, &pool, server.as_deref())
            .and_then(|r| r.check_where(source.as_deref()))
            .map_err(usage)?,
        None => Resume::fresh(&pool, server.clone(), args.streams).with_where(source.clone()),
    };
    let expression = audited_expression(source.as_deref(), server.as_deref());
    // Listening before the first request: every way the run ends writes its end line.
    let mut stop = Stop::listen();
    let run = resolved
        .connect("export", |event| {
            event.query = expression.clone();
            event.resume = args.starting_token.clone();
        })
        .await?;
    let schema = run.gate().pool_settings().await?.ok();
    let estimate = schema
        .as_ref()
        .and_then(|s| s.estimated_number_of_users)
        .and_then(|n| u64::try_from(n).ok());
    let username_attributes = schema.map(|s| s.username_attributes).unwrap_or_default();
    let groups = match args.with_groups {
        true => match read_groups(&run, expression.as_ref()).await {
            Ok(groups) => Some(groups),
            Err(done) => return done,
        },
        false => None,
    };
    let redact = run.redact().then_some(username_attributes);
    let mfa = args.with_mfa.then(|| {
        let rate = run.target.config.rate_limits.user_read;
        let filtered = filter.is_some() || client_enabled.is_some() || local.is_some();
        mfa::Reader::start(run.gate(), estimate, rate, filtered)
    });
    let sink = Sink::open(args.output, args.jmespath.clone(), columns, redact);
    let mut export = Export {
        pages: run.gate().pages()?,
        filter,
        client_enabled,
        local,
        groups,
        mfa,
        streams: usize::from(args.streams),
        resume,
        progress: Progress::new(estimate),
        rejected_token: false,
    };
    let ending = match sink {
        Ok(mut sink) => export.all(&mut sink, &mut stop).await,
        // The header could not be written: stdout is closed, or failed (exit 8).
        Err(e) => write_ending(e),
    };
    // The end line first: after SIGHUP the terminal (stderr) may be gone.
    let token = export.resume_token(&ending);
    let audited = run.end(&ending, |event| {
        event.query = expression.clone();
        event.count = Some(export.progress.written);
        event.resume = token.clone();
    });
    export.report(&ending, token.as_deref());
    if let Some(mfa) = &export.mfa {
        mfa.report();
    }
    crate::oneshot::settle(audited, ending.into_result())
}

/// `--with-groups`' memberships, read before the users; `Err` is how the run ends when
/// they can't be (its end line written).
async fn read_groups(
    run: &crate::oneshot::Run,
    expression: Option<&String>,
) -> Result<HashMap<String, Vec<String>>, Result<i32, CliError>> {
    match groups::read(run.gate()).await.map_err(Err)? {
        Ok(groups) => Ok(groups),
        Err(error) => {
            let ending = Ending::Failed(CliError::Cognito {
                during: "--with-groups: ".into(),
                error: Box::new(error),
                hint: None,
            });
            run.end(&ending, |event| event.query = expression.cloned())
                .map_err(Err)?;
            Err(ending.into_result())
        }
    }
}

/// The csv/tsv attribute columns, `Groups` with `--with-groups`, and `MfaSettings` and
/// `PreferredMfa` with `--with-mfa`.
fn columns(args: &ExportArgs) -> Result<Vec<String>, CliError> {
    let mut columns = table::attribute_columns(&args.attributes).map_err(usage)?;
    if !columns.is_empty() && !args.output.delimited() {
        return Err(usage(
            "--attributes chooses csv/tsv columns: add -o csv or -o tsv",
        ));
    }
    if args.with_groups && args.output.delimited() {
        columns.push(groups::COLUMN.to_string());
    }
    if args.with_mfa && args.output.delimited() {
        columns.extend([mfa::SETTINGS.to_string(), mfa::PREFERRED.to_string()]);
    }
    Ok(columns)
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
    let local = crate::oneshot::parse_where(source, redact)?;
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
    read: u64,
    estimate: Option<u64>,
    live: bool,
}

impl Progress {
    fn new(estimate: Option<u64>) -> Self {
        Self {
            started: Instant::now(),
            written: 0,
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

/// One export run: where its streams read, what they filter, where they stand.
struct Export<'a> {
    pages: Pages,
    filter: Option<ListFilter>,
    /// `--enabled`, checked here when `--status` took ListUsers' only filter.
    client_enabled: Option<bool>,
    /// `--where`, checked here on every user read.
    local: Option<Filter>,
    /// `--with-groups`: each username's groups, read before the users.
    groups: Option<HashMap<String, Vec<String>>>,
    /// `--with-mfa`: AdminGetUser for each user written.
    mfa: Option<mfa::Reader<'a>>,
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
                .is_some_and(|estimate| self.resume.written < estimate)
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

    /// The users of a page that the filters checked here keep.
    fn kept<'u>(&self, shard: usize, users: &'u [UserSummary]) -> Vec<&'u UserSummary> {
        let remainder = self.resume.shards[shard].remainder;
        let keep = |u: &&UserSummary| {
            self.client_enabled.is_none_or(|e| e == u.enabled)
                && self.local.as_ref().is_none_or(|l| l.matches(*u))
                // The remainder pass writes only the users no sub stream holds.
                && !(remainder && in_a_prefix_stream(u.attribute("sub")))
        };
        users.iter().filter(keep).collect()
    }

    /// One page: the users kept, their MFA read when `--with-mfa` asks (a stop signal
    /// ends the wait, the page unwritten), then written.
    async fn page(
        &mut self,
        sink: &mut Sink,
        stop: &mut Stop,
        shard: usize,
        users: &[UserSummary],
        next: Option<String>,
    ) -> Result<(), Ending> {
        let kept = self.kept(shard, users);
        let mfa = match self.mfa.as_mut() {
            None => None,
            Some(reader) => tokio::select! {
                biased;
                signal = stop.recv() => return Err(Ending::Stopped(signal)),
                read = reader.read(&kept) => Some(read.map_err(|e| match e {
                    Ok(error) => Ending::Failed(CliError::Cognito {
                        during: "--with-mfa: AdminGetUser: ".into(),
                        error: Box::new(error),
                        hint: None,
                    }),
                    Err(audit) => Ending::Failed(audit),
                })?),
            },
        };
        self.progress.read += users.len() as u64;
        self.write_page(sink, shard, &kept, mfa.as_deref(), next)
    }

    /// Writes one page's kept users and moves the shard's resume point past it.
    fn write_page(
        &mut self,
        sink: &mut Sink,
        shard: usize,
        users: &[&UserSummary],
        mfa: Option<&[mfa::Mfa]>,
        next: Option<String>,
    ) -> Result<(), Ending> {
        for (i, u) in users.iter().enumerate() {
            // stdout closed (`| head`): stop quietly; any other failure is exit 8.
            let groups =
                (self.groups.as_ref()).map(|g| g.get(&u.username).map_or(&[][..], Vec::as_slice));
            sink.user(u, groups, mfa.map(|m| &m[i]))
                .map_err(write_ending)?;
            self.progress.written += 1;
            self.resume.written += 1;
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
        let apart = written.abs_diff(estimate) > margin(estimate);
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
