//! How a long run (export, batch `get -`) ends: done, an error, a closed pipe, or a signal —
//! Ctrl-C (SIGINT), SIGTERM, or SIGHUP (the SSH connection dropped). The signals are caught
//! from before the first request, so every end writes the run's `end` audit line.

use super::error::CliError;
pub use super::signal::Signal;

/// The stop signals, listened for from [`Stop::listen`] on (their default action, ending the
/// process unaudited, is replaced for the rest of the process).
pub(crate) struct Stop {
    #[cfg(unix)]
    signals: Option<[tokio::signal::unix::Signal; 3]>,
}

impl Stop {
    /// Starts listening; call before the run's first request.
    pub(crate) fn listen() -> Self {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            let kinds = [
                SignalKind::interrupt(),
                SignalKind::terminate(),
                SignalKind::hangup(),
            ];
            let signals = (|| {
                Some([
                    signal(kinds[0]).ok()?,
                    signal(kinds[1]).ok()?,
                    signal(kinds[2]).ok()?,
                ])
            })();
            Self { signals }
        }
        #[cfg(not(unix))]
        Self {}
    }

    /// The next stop signal (never, if they could not be listened for).
    pub(crate) async fn recv(&mut self) -> Signal {
        #[cfg(unix)]
        {
            let Some([int, term, hup]) = &mut self.signals else {
                return std::future::pending().await;
            };
            tokio::select! {
                _ = int.recv() => Signal::Interrupt,
                _ = term.recv() => Signal::Terminate,
                _ = hup.recv() => Signal::HangUp,
            }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
            Signal::Interrupt
        }
    }
}

/// How a long run ended: its end line's outcome and what the command returns.
#[derive(Debug)]
pub(crate) enum Ending {
    /// Every request answered; the exit code the answers make.
    Done(i32),
    /// stdout was closed (`| head`): stopped quietly, recorded as `cancelled`.
    ClosedPipe(i32),
    /// A stop signal.
    Stopped(Signal),
    /// An error ended the run.
    Failed(CliError),
}

impl Ending {
    /// The end line's outcome: `ok`, `cancelled`, `interrupted (SIGTERM)`, `error (exit 7)`.
    pub(crate) fn outcome(&self) -> String {
        match self {
            Self::Done(_) => "ok".into(),
            Self::ClosedPipe(_) => "cancelled".into(),
            Self::Stopped(signal) => format!("interrupted ({})", signal.name()),
            Self::Failed(error) => format!("error (exit {})", error.exit_code()),
        }
    }

    /// What the command returns: the answers' code, or the error or signal that ended it.
    pub(crate) fn into_result(self) -> Result<i32, CliError> {
        match self {
            Self::Done(code) | Self::ClosedPipe(code) => Ok(code),
            Self::Stopped(signal) => Err(CliError::Interrupted {
                signal,
                printed: None,
            }),
            Self::Failed(error) => Err(error),
        }
    }

    /// Whether every request was answered and the answers make exit 0.
    pub(crate) fn clean(&self) -> bool {
        matches!(self, Self::Done(0))
    }
}
