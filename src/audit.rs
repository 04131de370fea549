//! The audit trail: one JSON line per lookup and per action, appended and flushed per line.
//! It records who looked up whom and how — never attribute values, tokens or credentials.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::Serialize;
use time::OffsetDateTime;

use crate::cognito::lookup::{LookupError, LookupOutcome};
use crate::time::rfc3339;

/// One audited event. Only identifiers and outcomes: no attribute values.
#[derive(Debug, Clone, Default, Serialize)]
pub struct AuditEvent {
    /// `lookup`, or the action's name (`disable_user`, …).
    pub action: String,
    pub pool: String,
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
    /// `found`, `not_found`, `ambiguous`, `ok`, or the error's exception name.
    pub outcome: String,
}

impl AuditEvent {
    /// The event for a finished lookup: who was found and how, or why not.
    pub fn for_lookup(
        pool: &str,
        query: &str,
        result: &Result<LookupOutcome, LookupError>,
    ) -> Self {
        let mut event = AuditEvent {
            action: "lookup".into(),
            pool: pool.into(),
            query: Some(query.into()),
            ..AuditEvent::default()
        };
        event.outcome = match result {
            Ok(LookupOutcome::Found(found)) => {
                event.resolved = Some(found.resolution.to_string());
                event.username = Some(found.user.username.clone());
                event.sub = found.user.sub().map(str::to_string);
                "found".into()
            }
            Ok(LookupOutcome::Ambiguous(a)) => format!("ambiguous ({} matches)", a.matches.len()),
            Err(LookupError::NotFound { .. }) => "not_found".into(),
            Err(LookupError::Refused(_)) => "refused".into(),
            Err(LookupError::Cognito(e)) => e
                .exception
                .clone()
                .unwrap_or_else(|| format!("{:?}", e.kind)),
        };
        event
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
    event: &'a AuditEvent,
}

/// An open audit log.
#[derive(Debug)]
pub struct AuditLog {
    path: PathBuf,
    file: Mutex<File>,
    os_user: String,
    profile: Option<String>,
    region: Option<String>,
}

impl AuditLog {
    /// Opens (creating) `path` for appending. Fails loudly: an unwritable audit log must stop
    /// the app from starting rather than silently not auditing.
    pub fn open(
        path: &Path,
        profile: Option<String>,
        region: Option<String>,
    ) -> Result<Self, String> {
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .map_err(|e| format!("cannot write the audit log {}: {e}", path.display()))?;
        Ok(Self {
            path: path.to_path_buf(),
            file: Mutex::new(file),
            os_user: os_user(),
            profile,
            region,
        })
    }

    /// The log's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends one event as one line. The line is written with a single `write` on an
    /// O_APPEND file, so concurrent writers (two sessions) never interleave within a line.
    pub fn record(&self, event: &AuditEvent) -> Result<(), String> {
        self.record_at(event, OffsetDateTime::now_utc())
    }

    /// `record` with an explicit timestamp (tests).
    pub fn record_at(&self, event: &AuditEvent, at: OffsetDateTime) -> Result<(), String> {
        let line = Line {
            timestamp: rfc3339(at),
            os_user: &self.os_user,
            profile: self.profile.as_deref(),
            region: self.region.as_deref(),
            event,
        };
        let mut bytes = serde_json::to_vec(&line).map_err(|e| e.to_string())?;
        bytes.push(b'\n');
        let mut file = self.file.lock().unwrap_or_else(|p| p.into_inner());
        file.write_all(&bytes)
            .and_then(|_| file.flush())
            .map_err(|e| format!("cannot write the audit log {}: {e}", self.path.display()))
    }
}

fn os_user() -> String {
    ["USER", "LOGNAME", "USERNAME"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|s| !s.is_empty()))
        .unwrap_or_else(|| "unknown".into())
}
