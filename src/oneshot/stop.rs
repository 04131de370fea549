//! How a long run (export, batch `get -`) ends: done, an error, a closed pipe, or a signal —
//! Ctrl-C (SIGINT), SIGTERM, or SIGHUP (the SSH connection dropped). The signals are caught
//! from before the first request, so every end writes the run's `end` audit line.

/// A signal that stops a long run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Signal {
    /// Ctrl-C.
    Interrupt,
    /// `kill`, a service manager stopping the job.
    Terminate,
    /// The terminal went away: an SSH connection dropped.
    HangUp,
}

impl Signal {
    /// The signal's name, as in the audit line.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::Interrupt => "SIGINT",
            Self::Terminate => "SIGTERM",
            Self::HangUp => "SIGHUP",
        }
    }

    /// 128 + the signal's number, as shells report a process the signal ended.
    pub(crate) fn exit_code(self) -> i32 {
        match self {
            Self::Interrupt => 130,
            Self::Terminate => 143,
            Self::HangUp => 129,
        }
    }
}

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

/// How a long run ended: its end line's outcome and its exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ending {
    /// Every request answered; the exit code the answers make.
    Done(i32),
    /// stdout was closed (`| head`): stopped quietly, recorded as `cancelled`.
    ClosedPipe(i32),
    /// A stop signal.
    Stopped(Signal),
    /// An error ended the run, with its exit code.
    Failed(i32),
}

impl Ending {
    /// The end line's outcome: `ok`, `cancelled`, `interrupted (SIGTERM)`, `error (exit 7)`.
    pub(crate) fn outcome(self) -> String {
        match self {
            Self::Done(_) => "ok".into(),
            Self::ClosedPipe(_) => "cancelled".into(),
            Self::Stopped(signal) => format!("interrupted ({})", signal.name()),
            Self::Failed(code) => format!("error (exit {code})"),
        }
    }

    /// The process's exit code.
    pub(crate) fn exit_code(self) -> i32 {
        match self {
            Self::Done(code) | Self::ClosedPipe(code) | Self::Failed(code) => code,
            Self::Stopped(signal) => signal.exit_code(),
        }
    }
}
