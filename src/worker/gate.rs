//! The audit gate: the one way a worker job reaches Cognito. A read goes out only while the
//! audit log takes lines, and its line is written from the answer; a write goes out only once
//! its attempt line is written, and its outcome line follows. A job holds the backend or the
//! writer only inside the future it hands to [`audited`] or [`audited_write`] (checked by a
//! source test, `tests/it/worker_gate.rs`).

use std::fmt;
use std::future::Future;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use tokio::sync::mpsc::UnboundedSender;
use tokio::sync::{OwnedRwLockWriteGuard, RwLock};

use crate::app::Msg;
use crate::audit::{AuditEvent, AuditLog, Phase};
use crate::cognito::{CognitoError, ErrorKind};
use crate::sanitize::sanitize;

/// A read's audit line, held from the moment its requests may go out until the job records
/// its own answer: while held, stopping the job owes a `superseded` line.
pub type OwedLine = Arc<Mutex<Option<AuditEvent>>>;

/// The audit log as the worker's jobs use it. Without `--audit-log` every gate is open.
#[derive(Clone)]
pub struct Audit {
    log: Option<Arc<AuditLog>>,
    /// Where a line that could not be written is reported (the UI shows it).
    msgs: UnboundedSender<Msg>,
    /// Set when a line could not be written; reads are not sent until a line is again.
    broken: Arc<Mutex<Option<String>>>,
    /// Held by a connection until its start line is written ([`StartTurn`]): every other
    /// line waits for it, so a session's lines follow its start line in the file.
    starting: Arc<RwLock<()>>,
}

/// How long a line waits for a connection's start line before it is written anyway, and
/// quitting for the start line itself: about GetCallerIdentity's own limit (3 s).
pub const START_LINE_WAIT: std::time::Duration = std::time::Duration::from_secs(3);

/// A connection's turn to write its start line first; dropping it lets the other lines go.
pub struct StartTurn {
    _held: OwnedRwLockWriteGuard<()>,
}

/// A request not sent because its audit line could not be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotSent {
    path: PathBuf,
    why: String,
}

impl fmt::Display for NotSent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "not sent: the audit log {} can't be written ({}); free the disk or fix the \
             file, then try again",
            self.path.display(),
            self.why
        )
    }
}

impl NotSent {
    /// The refusal as the Cognito error of `operation` (no request was sent).
    pub fn as_error(&self, operation: &'static str) -> CognitoError {
        CognitoError::new(ErrorKind::Configuration, operation, self.to_string())
    }
}

/// An audited read's answer, or its refusal at the gate as `operation`'s error: what the
/// model is told either way.
pub fn answer_or_refusal<T>(
    answer: Result<Result<T, CognitoError>, NotSent>,
    operation: &'static str,
) -> Result<T, CognitoError> {
    answer.unwrap_or_else(|not_sent| Err(not_sent.as_error(operation)))
}

impl Audit {
    /// The gate for `log` (None: not auditing), reporting failed lines to `msgs`.
    pub fn new(log: Option<Arc<AuditLog>>, msgs: UnboundedSender<Msg>) -> Self {
        Self {
            log,
            msgs,
            broken: Arc::default(),
            starting: Arc::default(),
        }
    }

    /// Whether lines are being recorded (`--audit-log`).
    pub fn is_on(&self) -> bool {
        self.log.is_some()
    }

    /// Takes the turn a new connection's start line is written in: lines recorded from now
    /// on wait until it is written, or the turn is dropped.
    pub async fn start_turn(&self) -> StartTurn {
        StartTurn {
            _held: self.starting.clone().write_owned().await,
        }
    }

    /// Writes a connection's start line in its `turn`, then lets the lines waiting go.
    pub async fn record_start(&self, event: AuditEvent, turn: StartTurn) -> Result<(), NotSent> {
        let written = self.append(event).await;
        drop(turn);
        written
    }

    /// Appends `event` off the async threads, after the start line of a connection being
    /// opened (waiting up to [`START_LINE_WAIT`] for it); a failure is reported to the UI and closes the gate for reads until a line is
    /// written again. Returns why it failed.
    pub async fn record(&self, event: AuditEvent) -> Result<(), NotSent> {
        if self.log.is_none() {
            return Ok(());
        }
        // Bounded: a start line held up by a slow first request must not hold the others (nor
        // the lines quitting writes) past it.
        let _after_start = tokio::time::timeout(START_LINE_WAIT, self.starting.read()).await;
        self.append(event).await
    }

    async fn append(&self, event: AuditEvent) -> Result<(), NotSent> {
        let Some(log) = self.log.clone() else {
            return Ok(());
        };
        let path = log.path().to_path_buf();
        let why = match tokio::task::spawn_blocking(move || log.record(&event)).await {
            Ok(Ok(())) => {
                *self.broken.lock().expect("not poisoned") = None;
                return Ok(());
            }
            Ok(Err(e)) => e.to_string(),
            Err(e) => format!("audit writer stopped: {e}"),
        };
        tracing::error!("{}", sanitize(&why));
        *self.broken.lock().expect("not poisoned") = Some(why.clone());
        let _ = self.msgs.send(Msg::AuditFailed(why.clone()));
        Err(NotSent { path, why })
    }

    /// Whether a read may go out: the last line was written. While the log is failing, the
    /// read is refused and its refusal recorded (`not_sent`); a refusal that is written
    /// shows the log works again, so the next read goes out.
    async fn open_for_reads(&self, event: &AuditEvent) -> Result<(), NotSent> {
        let Some(why) = self.broken.lock().expect("not poisoned").clone() else {
            return Ok(());
        };
        let path = self.log.as_ref().map(|l| l.path().to_path_buf());
        let refused = AuditEvent {
            outcome: "not_sent".into(),
            ..event.clone()
        };
        let _ = self.record(refused).await;
        Err(NotSent {
            path: path.unwrap_or_default(),
            why,
        })
    }

    /// Records `owed` as `superseded`, if a stopped job still owed its line.
    pub async fn settle(&self, owed: &OwedLine) {
        let owed = owed.lock().expect("not poisoned").take();
        if let Some(mut event) = owed {
            event.outcome = "superseded".into();
            let _ = self.record(event).await;
        }
    }
}

/// One audited read: `job` (the only place a read job touches the backend) runs only while
/// the log takes lines; then `line` makes the one line from `event` and the answer. With
/// `owed`, the line is owed as `superseded` while the requests are out.
pub async fn audited<T, F>(
    audit: &Audit,
    event: AuditEvent,
    owed: Option<&OwedLine>,
    job: F,
    line: impl FnOnce(AuditEvent, &T) -> AuditEvent,
) -> Result<T, NotSent>
where
    F: Future<Output = T>,
{
    audit.open_for_reads(&event).await?;
    if let Some(owed) = owed {
        *owed.lock().expect("not poisoned") = Some(event.clone());
    }
    // From here a line is owed whatever happens: the log says so (tests wait for it).
    tracing::debug!(action = %event.action, "request on its way");
    let answer = job.await;
    // From here the answer is this job's to record, not a superseded line.
    if let Some(owed) = owed {
        owed.lock().expect("not poisoned").take();
    }
    let _ = audit.record(line(event, &answer)).await;
    Ok(answer)
}

/// One audited write: the attempt line first — not written, not sent — then `job`, then the
/// outcome line; `recorded` is set once the outcome is on record.
pub async fn audited_write<F>(
    audit: &Audit,
    event: AuditEvent,
    recorded: &AtomicBool,
    job: F,
) -> Result<Result<(), CognitoError>, NotSent>
where
    F: Future<Output = Result<(), CognitoError>>,
{
    let attempt = AuditEvent {
        phase: Some(Phase::Attempt),
        ..event.clone()
    };
    // On record before it is sent: a crash mid-request leaves the attempt.
    if let Err(not_sent) = audit.record(attempt).await {
        recorded.store(true, Ordering::SeqCst);
        return Err(not_sent);
    }
    let result = job.await;
    let done = AuditEvent {
        phase: Some(Phase::Outcome),
        outcome: AuditEvent::outcome_of(&result),
        ..event
    };
    let _ = audit.record(done).await;
    recorded.store(true, Ordering::SeqCst);
    Ok(result)
}

/// A write sent and not yet known to be answered, for quitting.
pub struct WriteInFlight {
    pub task: tokio::task::JoinHandle<()>,
    /// The event its outcome line would carry.
    pub event: AuditEvent,
    /// Set once the outcome is on record (or nothing was sent).
    pub recorded: Arc<AtomicBool>,
}

/// Waits (at most `grace` in all) for writes still in flight when the app quits; one that
/// doesn't finish is abandoned and recorded with the outcome `unknown`, so the trail never
/// ends on an attempt without saying so.
pub async fn finish_writes(writes: Vec<WriteInFlight>, audit: &Audit, grace: std::time::Duration) {
    let deadline = tokio::time::Instant::now() + grace;
    for mut write in writes {
        if tokio::time::timeout_at(deadline, &mut write.task)
            .await
            .is_ok()
        {
            continue;
        }
        write.task.abort();
        let _ = (&mut write.task).await;
        if !write.recorded.load(Ordering::SeqCst) {
            tracing::warn!(action = %write.event.action, "quit with a write in flight");
            let event = AuditEvent {
                phase: Some(Phase::Outcome),
                outcome: "unknown".into(),
                ..write.event
            };
            let _ = audit.record(event).await;
        }
    }
}
