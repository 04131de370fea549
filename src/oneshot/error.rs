//! How a one-shot command fails: one typed error per way (README, Exit codes), made where the
//! failure is found and said once, by `main`, through the output sink ([`CliError::report`]).
//! A run that completes says its answers itself and returns `Ok` with the code they make (a
//! batch's worst line); an `Err` is what stopped it or what it ends on.

use std::sync::Arc;

use super::signal::Signal;
use crate::audit::AuditError;
use crate::audit::chain::VerifyError;
use crate::cognito::CognitoError;
use crate::cognito::lookup::LookupError;
use crate::exit;
use crate::output::{self, WriteError};
use crate::sanitize::sanitize;
use crate::session::Session;

/// Why a one-shot command stopped, or what it ended on.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// Bad arguments, or input refused before any request (exit 2).
    #[error("{0}")]
    Usage(String),
    /// The audit log can't be written (exit 9): the request it would record was not sent,
    /// nor any after it. `sent`: a line was written before, so requests may have gone.
    #[error("{error}; {}", if *sent { "no further request was sent" } else { "nothing was sent" })]
    Audit { error: Arc<AuditError>, sent: bool },
    /// stdout can't be written (exit 8); a closed pipe is not an error ([`written`]).
    #[error(transparent)]
    Output(WriteError),
    /// A single lookup found nobody, was refused, or failed at Cognito (exit 3, 2, or the
    /// Cognito error's). `hint`: what to do next; `suggest`: say the closest users.
    #[error("{error}")]
    Lookup {
        error: Box<LookupError>,
        hint: Option<String>,
        suggest: bool,
    },
    /// Several users match a single lookup (exit 4): the report lists them.
    #[error("ambiguous: {}", .0.trim_end())]
    Ambiguous(String),
    /// `search` found nobody (exit 3).
    #[error("no user in {pool} has a username, email, phone, name or sub starting with {query}")]
    NoMatch { pool: String, query: String },
    /// A request failed at Cognito (exit 5–7, 10 by its kind); `during` says which, `hint`
    /// what to do next.
    #[error("{during}{error}")]
    Cognito {
        during: String,
        error: Box<CognitoError>,
        hint: Option<String>,
    },
    /// A stop signal ended a long run (128 + the signal's number); `printed`: of a batch,
    /// how many of how many queries were printed.
    #[error("interrupted ({}){}", signal.name(), printed.map_or(String::new(), |(n, of)| format!(": the first {n} of {of} queries are printed")))]
    Interrupted {
        signal: Signal,
        printed: Option<(u64, usize)>,
    },
    /// `audit verify`: the chain is broken (exit 11), or the file can't be read (exit 2).
    #[error(transparent)]
    Verify(#[from] VerifyError),
    /// A long run ended on `ended` (a signal, an error) and its end line couldn't be written
    /// either: both are said, and the exit is the audit log's, as when only the line failed.
    #[error("{ended}; and {audit}")]
    Unrecorded {
        ended: Box<CliError>,
        audit: Box<CliError>,
    },
    /// The async runtime can't start (exit 1).
    #[error("cannot start the async runtime: {0}")]
    Runtime(std::io::Error),
}

impl CliError {
    /// A usage error with `message`.
    pub fn usage(message: impl std::fmt::Display) -> Self {
        Self::Usage(message.to_string())
    }

    /// A single lookup's failure in `session`, with what to do next; `suggest`: after a
    /// miss, say the closest users the lookup found.
    pub(crate) fn lookup(error: LookupError, session: &Session, suggest: bool) -> Self {
        let hint = match &error {
            LookupError::Cognito(e) => Some(e.hint(&session.error_context())),
            _ => None,
        };
        Self::Lookup {
            error: Box::new(error),
            hint,
            suggest,
        }
    }

    /// The process's exit code (README, Exit codes).
    pub fn exit_code(&self) -> i32 {
        match self {
            Self::Usage(_) => exit::USAGE,
            Self::Audit { .. } => exit::AUDIT,
            Self::Output(WriteError::Closed) => exit::FOUND,
            Self::Output(e) => e.exit_code(exit::FOUND),
            Self::Lookup { error, .. } => error.exit_code(),
            Self::Ambiguous(_) => exit::AMBIGUOUS,
            Self::NoMatch { .. } => exit::NOT_FOUND,
            Self::Cognito { error, .. } => error.kind.exit_code(),
            Self::Interrupted { signal, .. } => signal.exit_code(),
            Self::Verify(e) => e.exit_code(),
            Self::Unrecorded { audit, .. } => audit.exit_code(),
            Self::Runtime(_) => exit::RUNTIME,
        }
    }

    /// Says the error on stderr, with what to do next: once, from `main`.
    pub fn report(&self) {
        match self {
            // A closed pipe is said by nothing: the reader went away.
            Self::Output(WriteError::Closed) => {}
            // Multi-line reports keep their lines; the sink still escapes them.
            Self::Ambiguous(_) => output::say(format_args!("error: {self}")),
            // A broken chain is the command's finding, said as such; not an error of its own.
            Self::Interrupted { .. } | Self::Verify(VerifyError::Broken { .. }) => {
                output::say(self)
            }
            Self::Lookup {
                error,
                hint,
                suggest,
            } => {
                output::error(self);
                if let Some(hint) = hint {
                    output::hint(hint);
                }
                if let (
                    LookupError::NotFound {
                        suggestions, calls, ..
                    },
                    true,
                ) = (&**error, suggest)
                {
                    did_you_mean(suggestions, *calls);
                }
            }
            Self::Cognito { hint, .. } => {
                output::error(self);
                if let Some(hint) = hint {
                    output::hint(hint);
                }
            }
            Self::Unrecorded { ended, audit } => {
                ended.report();
                audit.report();
            }
            _ => output::error(self),
        }
    }
}

/// What a long run returns once its end line was written (`audited`) and it `ended`: the
/// run's result, unless the line failed; then that failure, with whatever ended the run kept
/// to be said beside it (a signal's "interrupted" is not lost to the audit error).
pub(crate) fn settle(
    audited: Result<(), CliError>,
    ended: Result<i32, CliError>,
) -> Result<i32, CliError> {
    match (audited, ended) {
        (Ok(()), ended) => ended,
        (Err(audit), Ok(_)) => Err(audit),
        (Err(audit), Err(ended)) => Err(CliError::Unrecorded {
            ended: Box::new(ended),
            audit: Box::new(audit),
        }),
    }
}

/// Where `write` failed, the run ends on that (exit 8); a closed pipe (`| head`) or a write
/// that worked leaves `so_far`, what the run had already come to.
pub(crate) fn written(
    write: Result<(), WriteError>,
    so_far: Result<i32, CliError>,
) -> Result<i32, CliError> {
    match write {
        Ok(()) | Err(WriteError::Closed) => so_far,
        Err(e) => Err(CliError::Output(e)),
    }
}

/// The closest users a not-found lookup found, one a line on stderr, with what it cost.
fn did_you_mean(suggestions: &[crate::cognito::UserSummary], calls: u32) {
    let Some(first) = suggestions.first() else {
        output::hint(format_args!(
            "no user is close to it either ({calls} requests in all)"
        ));
        return;
    };
    output::hint(format_args!(
        "did you mean {}? (found by one ListUsers prefix search; {calls} requests in all, \
         no AdminGetUser for them)",
        sanitize(&first.username)
    ));
    for user in suggestions {
        output::say(format_args!("  {}", sanitize(&user.username)));
    }
}
