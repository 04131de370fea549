//! Failures as the error pane shows them: title, Cognito's exception, message and a hint.

use super::{App, SessionInfo};
use crate::cognito::lookup::LookupError;
use crate::cognito::{CognitoError, PoolId};
use crate::sanitize::sanitize;

/// A failed lookup, ready to show (every field already sanitized).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorView {
    pub title: String,
    /// Cognito's exception name, if there was one.
    pub exception: Option<String>,
    pub message: String,
    pub hint: Option<String>,
}

impl ErrorView {
    /// The view as privacy mode (`on`) shows it: the query and the routes tried masked.
    pub fn shown(&self, on: bool) -> ErrorView {
        let mask = |t: &str| crate::redact::shown(on, t).into_owned();
        ErrorView {
            title: mask(&self.title),
            exception: self.exception.clone(),
            message: mask(&self.message),
            hint: self.hint.as_deref().map(mask),
        }
    }
}

pub(super) fn error_view(app: &App, err: LookupError) -> ErrorView {
    match err {
        LookupError::Refused(message) => ErrorView {
            title: "Not looked up".into(),
            exception: None,
            message: sanitize(&message).into_owned(),
            hint: None,
        },
        LookupError::NotFound {
            pool,
            query,
            tried,
            calls,
            ..
        } => ErrorView {
            title: "No such user".into(),
            exception: Some("UserNotFoundException".into()),
            message: format!(
                "no user matches {:?} in {}",
                sanitize(&query),
                sanitize(&pool)
            ),
            hint: Some(format!(
                "tried {} ({calls} call{}); check the spelling, or try another kind of lookup \
                 (u username, a alias, s sub)",
                sanitize(&tried.join(", then ")),
                if calls == 1 { "" } else { "s" }
            )),
        },
        LookupError::Cognito(e) => cognito_error_view(app, &e),
    }
}

pub(super) fn cognito_error_view(app: &App, e: &CognitoError) -> ErrorView {
    let fallback = SessionInfo {
        pool: app.pool.id().to_string(),
        region: None,
        profile: None,
        target: "the Cognito endpoint".into(),
    };
    cognito_error_view_in(app.pool.session().unwrap_or(&fallback), e)
}

/// A failure of a request that went to `session` (which may not be the pool in use).
pub(super) fn cognito_error_view_in(session: &SessionInfo, e: &CognitoError) -> ErrorView {
    let pool = PoolId::parse(&session.pool).ok();
    ErrorView {
        title: format!("{} failed", e.operation),
        exception: Some(
            e.exception
                .as_deref()
                .map(|x| sanitize(x).into_owned())
                .unwrap_or_else(|| format!("{:?} error", e.kind)),
        ),
        message: sanitize(&e.message).into_owned(),
        hint: Some(
            sanitize(&e.hint(&session.error_context(pool.as_ref().and_then(PoolId::region))))
                .into_owned(),
        ),
    }
}

/// Why a list export wrote nothing, as the notice says it. It holds the message rather than
/// the `io::Error`, which isn't `Clone`, so a `Msg` can carry it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExportError {
    /// An export never overwrites a file.
    #[error("the file exists: choose another name")]
    Exists,
    /// Creating or writing the file failed.
    #[error("{0}")]
    Io(String),
    /// The writing task ended before the file was written (it panicked or was cancelled).
    #[error("export stopped: {0}")]
    Stopped(String),
}

impl From<std::io::Error> for ExportError {
    fn from(e: std::io::Error) -> Self {
        match e.kind() {
            std::io::ErrorKind::AlreadyExists => Self::Exists,
            _ => Self::Io(e.to_string()),
        }
    }
}
