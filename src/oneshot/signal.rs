//! The signals that stop a long run, as the audit line and the shell name them: a leaf, so
//! that how a run ended (`stop.rs`) and how a command failed (`error.rs`) can both say it.

/// A signal that stops a long run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    /// Ctrl-C.
    Interrupt,
    /// `kill`, a service manager stopping the job.
    Terminate,
    /// The terminal went away: an SSH connection dropped.
    HangUp,
}

impl Signal {
    /// The signal's name, as in the audit line.
    pub fn name(self) -> &'static str {
        match self {
            Self::Interrupt => "SIGINT",
            Self::Terminate => "SIGTERM",
            Self::HangUp => "SIGHUP",
        }
    }

    /// 128 + the signal's number, as shells report a process the signal ended.
    pub fn exit_code(self) -> i32 {
        match self {
            Self::Interrupt => crate::exit::INTERRUPT,
            Self::Terminate => crate::exit::TERMINATE,
            Self::HangUp => crate::exit::HANG_UP,
        }
    }
}
