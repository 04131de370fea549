//! The audit trail: one JSON line per lookup, search, browse run, list opened and action,
//! appended and flushed per line. It records who looked up whom and how — never attribute
//! values, tokens or credentials. A write is recorded twice: `"phase": "attempt"` before the
//! request is sent and `"phase": "outcome"` after, so a crash between the two still leaves
//! the attempt on record. A one-shot command's run is bracketed: a `"phase": "start"` line
//! before its first request (the test write: no request leaves unless it is taken) and, for
//! the long runs (export, batch), a `"phase": "end"` line however the run ends.
//!
//! The file must be a private regular file reached without another user's symbolic links:
//! mode wider than 0600, a FIFO or device, or a path through a symbolic link owned by someone
//! else (not us, not root) is refused before anything is written.
//!
//! Each line is a link of one hash chain per file ([`chain`]): `seq`, `prev` and `hash`,
//! appended under an advisory lock (`flock`) held from reading the last line to writing the
//! new one, so two sessions sharing the file keep one chain.

pub mod chain;
pub mod syslog;

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::Serialize;
use time::OffsetDateTime;

use crate::cognito::lookup::{LookupError, LookupOutcome};
use crate::login::os_user;
use crate::time::rfc3339;

/// Why the audit log could not be opened or written.
#[derive(Debug, thiserror::Error)]
pub enum AuditError {
    /// The path is a symbolic link: someone may have planted it to redirect the trail.
    #[error(
        "refusing the audit log {}: it is a symbolic link; point --audit-log at the real file",
        path.display()
    )]
    Symlink { path: PathBuf },
    /// A directory on the way is a symbolic link another user owns: they choose where it goes.
    #[error(
        "refusing the audit log {}: {} is a symbolic link owned by another user (uid {owner}); \
         use a path through directories you or root own",
        path.display(), link.display()
    )]
    ForeignSymlink {
        path: PathBuf,
        link: PathBuf,
        owner: u32,
    },
    /// A FIFO, device, socket or directory: not a file that keeps what is appended.
    #[error("refusing the audit log {}: it is {kind}, not a regular file", path.display())]
    NotAFile { path: PathBuf, kind: &'static str },
    /// An existing file others can read or write: the trail names who looked up whom.
    #[error(
        "refusing the audit log {}: its mode is {mode:04o}, open to other users; \
         run `chmod 600 {}` (or point --audit-log at a new file, created 0600)",
        path.display(), path.display()
    )]
    NotPrivate { path: PathBuf, mode: u32 },
    /// Opening or creating the file failed.
    #[error("cannot write the audit log {}: {source}", path.display())]
    Open {
        path: PathBuf,
        source: std::io::Error,
    },
    /// Appending a line failed (disk full, file removed, …).
    #[error("cannot write the audit log {}: {source}", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The syslog receiver `--audit-syslog` names can't be reached at start.
    #[error(
        "cannot reach the audit syslog {target}: {source}; start the receiver (or drop \
         --audit-syslog / audit_syslog)"
    )]
    Syslog {
        target: syslog::SyslogTarget,
        source: std::io::Error,
    },
    /// The syslog receiver did not take a one-shot run's start line (over UDP: a "port
    /// unreachable"); `why` names the address.
    #[error("the audit syslog did not take the start line ({why})")]
    SyslogRefused { why: String },
    /// The line could not be encoded (never for the plain data recorded here).
    #[error("cannot encode an audit line: {0}")]
    Encode(#[from] serde_json::Error),
}

/// Before or after a write request; the start or end of a one-shot run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Recorded before the request is sent.
    Attempt,
    /// Recorded when the answer is known (or the app quit before it came: `unknown`).
    Outcome,
    /// A one-shot command's first line, written before its first request; a TUI
    /// connection's first line (`tui_session`, after its first request).
    Start,
    /// A long run's last line (export, batch): its count, how it ended, how to resume.
    End,
}

/// One audited event. Only identifiers, counts and outcomes: no attribute values.
#[derive(Debug, Clone, Default, Serialize)]
pub struct AuditEvent {
    /// `lookup`, `search`, `browse`, `load_all`, `list_groups`…, or the action's name
    /// (`disable_user`, …).
    pub action: String,
    /// Set for writes only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phase: Option<Phase>,
    pub pool: String,
    /// The AWS profile the request used (the named pool's included); overrides the log's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub profile: Option<String>,
    /// The Region the request went to; overrides the log's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// The credentials the requests were signed with (`Session::credential_source`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credentials: Option<String>,
    /// On a one-shot run's start line: who the credentials are (STS GetCallerIdentity's ARN).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub caller: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub query: Option<String>,
    /// How the user was found, e.g. "by email, via ListUsers".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resolved: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sub: Option<String>,
    /// The group a write added the user to or removed them from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// How many users (search hits, browsed users) or list items the event returned.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub count: Option<u64>,
    /// `found`, `not_found`, `ambiguous`, `ok`, `unknown`, or the error's exception name;
    /// empty (and left out) on a write's attempt line.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub outcome: String,
    /// On an export's end line: the `--starting-token` that resumes it (pagination state,
    /// no credential).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resume: Option<String>,
}

impl AuditEvent {
    /// An event for `action` on `pool` through the session's profile and Region.
    pub fn new(action: &str, session: &crate::session::Session) -> Self {
        Self {
            action: action.into(),
            pool: session.pool.to_string(),
            profile: session.info.profile.clone(),
            region: session.info.region.clone(),
            credentials: session.credential_source(),
            ..Self::default()
        }
    }

    /// The line of a list read (groups, devices, sign-in history) for `username`, as the TUI
    /// writes it for a list pane: `list_groups`, `list_devices` or `list_sign_ins`.
    pub fn for_list(
        session: &crate::session::Session,
        kind: crate::cognito::ListKind,
        username: &str,
    ) -> Self {
        use crate::cognito::ListKind;
        let action = match kind {
            ListKind::Groups => "list_groups",
            ListKind::Devices => "list_devices",
            ListKind::SignIns => "list_sign_ins",
        };
        let mut event = Self::new(action, session);
        event.username = Some(username.into());
        event
    }

    /// This event completed by a list read's answer: how many items came back, and the
    /// outcome. The TUI's list panes and the one-shot `--include` write the same line.
    pub fn fetched(
        mut self,
        result: &Result<crate::cognito::listing::Fetched, crate::cognito::CognitoError>,
    ) -> Self {
        self.count = result.as_ref().ok().map(|f| f.listing.item_count() as u64);
        self.outcome = Self::outcome_of(result);
        self
    }

    /// This event with the outcome of `result` (`ok` or the exception): the line of a read
    /// that counts nothing.
    pub fn answered<T>(mut self, result: &Result<T, crate::cognito::CognitoError>) -> Self {
        self.outcome = Self::outcome_of(result);
        self
    }

    /// The outcome of a Cognito call: `ok` or the exception's name.
    pub fn outcome_of<T>(result: &Result<T, crate::cognito::CognitoError>) -> String {
        match result {
            Ok(_) => "ok".into(),
            Err(e) => e
                .exception
                .clone()
                .unwrap_or_else(|| format!("{:?}", e.kind)),
        }
    }

    /// The event for a finished lookup: who was found and how, or why not.
    pub fn for_lookup(
        pool: &str,
        query: &str,
        result: &Result<LookupOutcome, LookupError>,
    ) -> Self {
        let event = AuditEvent {
            pool: pool.into(),
            ..AuditEvent::default()
        };
        event.lookup(query, result)
    }

    /// Fills this event in as a search: its query, how many users it found, and `ok`,
    /// `not_found` or the first failed filter's exception.
    pub fn search(mut self, results: &crate::search::SearchResults) -> Self {
        self.action = "search".into();
        self.query = Some(results.query.clone());
        self.count = Some(results.hits.len() as u64);
        self.outcome = match results.failures.first() {
            Some((_, e)) => e
                .exception
                .clone()
                .unwrap_or_else(|| format!("{:?}", e.kind)),
            None if results.hits.is_empty() => "not_found".into(),
            None => "ok".into(),
        };
        self
    }

    /// Fills this event in as the lookup of `query` that gave `result`.
    pub fn lookup(mut self, query: &str, result: &Result<LookupOutcome, LookupError>) -> Self {
        self.action = "lookup".into();
        self.query = Some(query.into());
        self.outcome = match result {
            Ok(LookupOutcome::Found(found)) => {
                self.resolved = Some(found.resolution.to_string());
                self.username = Some(found.user.username.clone());
                self.sub = found.user.sub().map(str::to_string);
                "found".into()
            }
            Ok(LookupOutcome::Ambiguous(a)) => {
                self.count = Some(a.matches.len() as u64);
                format!("ambiguous ({} matches)", a.matches.len())
            }
            Err(LookupError::NotFound { .. }) => "not_found".into(),
            Err(LookupError::Refused(_)) => "refused".into(),
            Err(LookupError::Cognito(e)) => e
                .exception
                .clone()
                .unwrap_or_else(|| format!("{:?}", e.kind)),
        };
        self
    }
}

#[derive(Serialize)]
struct Line<'a> {
    timestamp: String,
    os_user: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    profile: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<&'a str>,
    #[serde(flatten)]
    event: &'a EventBody<'a>,
    /// The line's number in the file, from 1.
    seq: u64,
    /// SHA-256 of the previous line; the chain's `hash` is appended after serialising.
    prev: &'a str,
}

/// The event without the fields `Line` carries itself.
#[derive(Serialize)]
struct EventBody<'a> {
    action: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    phase: Option<Phase>,
    pool: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    credentials: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    caller: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    query: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    resolved: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    username: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sub: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    group: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    count: Option<u64>,
    #[serde(skip_serializing_if = "str::is_empty")]
    outcome: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    resume: Option<&'a str>,
}

/// An open audit log.
#[derive(Debug)]
pub struct AuditLog {
    path: PathBuf,
    file: Mutex<File>,
    os_user: String,
    profile: Option<String>,
    region: Option<String>,
    /// Where each line is shipped too (`--audit-syslog`); locked after the file's lock, so
    /// the receiver gets the lines in the file's order.
    syslog: Option<Mutex<syslog::Syslog>>,
}

impl AuditLog {
    /// Opens (creating, mode 0600) `path` for appending; `profile` and `region` are the
    /// defaults for events that don't carry their own. Fails loudly: an unwritable audit log
    /// must stop the app from starting rather than silently not auditing. A symbolic link in
    /// place of the file is refused, never followed.
    pub fn open(
        path: &Path,
        profile: Option<String>,
        region: Option<String>,
    ) -> Result<Self, AuditError> {
        let file = open_private_append(path)?;
        Ok(Self {
            path: path.to_path_buf(),
            file: Mutex::new(file),
            os_user: os_user(),
            profile,
            region,
            syslog: None,
        })
    }

    /// This log with every line also shipped to `target`, which must be reachable now:
    /// a receiver that can't be reached stops the app from starting, as an unwritable file
    /// does. Later, lines it does not take still reach the file ([`syslog::Syslog::ship`]).
    pub fn ship_to(mut self, target: &syslog::SyslogTarget) -> Result<Self, AuditError> {
        let shipper = syslog::Syslog::connect(target).map_err(|source| AuditError::Syslog {
            target: target.clone(),
            source,
        })?;
        self.syslog = Some(Mutex::new(shipper));
        Ok(self)
    }

    /// Whether the syslog receiver takes lines, as it changes (None: not shipping).
    pub fn syslog_state(&self) -> Option<tokio::sync::watch::Receiver<syslog::SyslogState>> {
        let shipper = self.syslog.as_ref()?;
        Some(shipper.lock().unwrap_or_else(|p| p.into_inner()).watch())
    }

    /// The log's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends one event as one line. The line is written with a single `write` on an
    /// O_APPEND file, so concurrent writers (two sessions) never interleave within a line.
    pub fn record(&self, event: &AuditEvent) -> Result<(), AuditError> {
        self.record_at(event, OffsetDateTime::now_utc())
    }

    /// `record` with an explicit timestamp (tests).
    pub fn record_at(&self, event: &AuditEvent, at: OffsetDateTime) -> Result<(), AuditError> {
        let body = EventBody {
            action: &event.action,
            phase: event.phase,
            pool: &event.pool,
            credentials: event.credentials.as_deref(),
            caller: event.caller.as_deref(),
            query: event.query.as_deref(),
            resolved: event.resolved.as_deref(),
            username: event.username.as_deref(),
            sub: event.sub.as_deref(),
            group: event.group.as_deref(),
            count: event.count,
            outcome: &event.outcome,
            resume: event.resume.as_deref(),
        };
        let guard = self.file.lock().unwrap_or_else(|p| p.into_inner());
        let mut file: &File = &guard;
        let write_error = |source| AuditError::Write {
            path: self.path.clone(),
            source,
        };
        // Held from reading the last line to appending ours: another session's line can't
        // come between, so both extend one chain.
        let _lock = FileLock::exclusive(file).map_err(write_error)?;
        let next = chain::next_link(file).map_err(write_error)?;
        let line = Line {
            timestamp: rfc3339(at),
            os_user: &self.os_user,
            profile: event.profile.as_deref().or(self.profile.as_deref()),
            region: event.region.as_deref().or(self.region.as_deref()),
            event: &body,
            seq: next.seq,
            prev: &next.prev,
        };
        // Queries and usernames are untrusted text: escaped so `cat audit.jsonl` is safe.
        let sealed = chain::seal(crate::sanitize::to_json_line(&line)?.into_bytes());
        // After a write cut short, the partial line stays a line of its own (verify names it).
        let mut bytes = Vec::with_capacity(sealed.len() + 2);
        if next.needs_newline {
            bytes.push(b'\n');
        }
        bytes.extend_from_slice(&sealed);
        bytes.push(b'\n');
        file.write_all(&bytes)
            .and_then(|_| file.flush())
            .map_err(write_error)?;
        // After the file took it, under the file's lock: the receiver gets the file's order.
        if let Some(shipper) = &self.syslog {
            let mut shipper = shipper.lock().unwrap_or_else(|p| p.into_inner());
            shipper.ship(at, &sealed);
        }
        Ok(())
    }
}

/// An advisory exclusive lock on an open file, released when dropped (or the file closed).
struct FileLock<'a>(&'a File);

impl<'a> FileLock<'a> {
    /// Waits for the lock; other cognito-tui processes take it around each line.
    fn exclusive(file: &'a File) -> std::io::Result<Self> {
        #[cfg(unix)]
        {
            use std::os::fd::AsRawFd;
            // SAFETY: flock only reads the descriptor, which `file` keeps open.
            while unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX) } != 0 {
                let error = std::io::Error::last_os_error();
                // A signal (SIGHUP, SIGTERM: their handlers record lines) while waiting.
                if error.kind() != std::io::ErrorKind::Interrupted {
                    return Err(error);
                }
            }
        }
        Ok(Self(file))
    }
}

impl Drop for FileLock<'_> {
    fn drop(&mut self) {
        #[cfg(unix)]
        {
            use std::os::fd::AsRawFd;
            // SAFETY: as above; unlocking a held lock has no other effect.
            unsafe { libc::flock(self.0.as_raw_fd(), libc::LOCK_UN) };
        }
    }
}

/// Opens `path` for appending, creating it `0600`, never through a symbolic link (nor
/// another user's symbolic link on the way), never a FIFO or device, never a file others
/// can read or write.
fn open_private_append(path: &Path) -> Result<File, AuditError> {
    #[cfg(unix)]
    {
        if let Some((link, owner)) = foreign_symlink_on_the_way(path) {
            return Err(AuditError::ForeignSymlink {
                path: path.to_path_buf(),
                link,
                owner,
            });
        }
        // Refused before opening: opening a device or FIFO can itself have effects.
        if let Ok(meta) = std::fs::symlink_metadata(path) {
            check_regular_and_private(path, &meta)?;
        }
    }
    let mut options = OpenOptions::new();
    options.create(true).read(true).append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // O_NONBLOCK: a FIFO put in place between the check and the open fails at once
        // (ENXIO without a reader) instead of hanging; it is refused below when it opens.
        options
            .mode(0o600)
            .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(|source| {
        let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
        if is_link {
            AuditError::Symlink {
                path: path.to_path_buf(),
            }
        } else {
            AuditError::Open {
                path: path.to_path_buf(),
                source,
            }
        }
    })?;
    // What was opened, not what the path named a moment before.
    #[cfg(unix)]
    {
        let meta = file.metadata().map_err(|source| AuditError::Open {
            path: path.to_path_buf(),
            source,
        })?;
        check_regular_and_private(path, &meta)?;
    }
    Ok(file)
}

/// A regular file with no permission for group or others, else why not.
#[cfg(unix)]
fn check_regular_and_private(path: &Path, meta: &std::fs::Metadata) -> Result<(), AuditError> {
    use std::os::unix::fs::{FileTypeExt, PermissionsExt};
    let file_type = meta.file_type();
    let kind = if file_type.is_symlink() {
        return Err(AuditError::Symlink {
            path: path.to_path_buf(),
        });
    } else if file_type.is_fifo() {
        "a FIFO"
    } else if file_type.is_char_device() || file_type.is_block_device() {
        "a device"
    } else if file_type.is_socket() {
        "a socket"
    } else if file_type.is_dir() {
        "a directory"
    } else {
        let mode = meta.permissions().mode() & 0o7777;
        if mode & 0o077 != 0 {
            return Err(AuditError::NotPrivate {
                path: path.to_path_buf(),
                mode,
            });
        }
        return Ok(());
    };
    Err(AuditError::NotAFile {
        path: path.to_path_buf(),
        kind,
    })
}

/// The first directory on the way to `path` that is a symbolic link owned by neither us nor
/// root, with its owner; links we may follow are followed, and their targets checked too. The
/// last component is left to O_NOFOLLOW.
#[cfg(unix)]
fn foreign_symlink_on_the_way(path: &Path) -> Option<(PathBuf, u32)> {
    use std::collections::VecDeque;
    use std::os::unix::fs::MetadataExt;
    use std::path::Component;
    let absolute = std::env::current_dir().ok()?.join(path);
    let mut pending: VecDeque<PathBuf> = components(&absolute);
    // SAFETY: getuid has no preconditions and cannot fail.
    let me = unsafe { libc::getuid() };
    let mut resolved = PathBuf::from("/");
    let mut hops = 0;
    while let Some(part) = pending.pop_front() {
        if pending.is_empty() {
            break;
        }
        match part.components().next() {
            Some(Component::RootDir) => resolved = PathBuf::from("/"),
            Some(Component::ParentDir) => {
                resolved.pop();
            }
            Some(Component::Normal(name)) => {
                let next = resolved.join(name);
                let link = std::fs::symlink_metadata(&next)
                    .ok()
                    .filter(|m| m.file_type().is_symlink());
                let Some(meta) = link else {
                    resolved = next;
                    continue;
                };
                if meta.uid() != me && meta.uid() != 0 {
                    return Some((next, meta.uid()));
                }
                hops += 1;
                // A loop: the open fails with its own error (ELOOP).
                let target = std::fs::read_link(&next).ok().filter(|_| hops <= 40)?;
                for (i, c) in components(&target).into_iter().enumerate() {
                    pending.insert(i, c);
                }
            }
            _ => {}
        }
    }
    None
}

/// A path's components, each as a path of its own.
#[cfg(unix)]
fn components(path: &Path) -> std::collections::VecDeque<PathBuf> {
    path.components()
        .map(|c| PathBuf::from(c.as_os_str()))
        .collect()
}
