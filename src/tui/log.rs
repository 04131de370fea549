//! The TUI's own log file: private (0700 directory, 0600 file), never through a planted
//! symlink or into another user's directory, written off the UI thread.

use std::path::{Path, PathBuf};

/// The default log file (see `paths::log_file`).
pub fn default_log_path() -> Option<PathBuf> {
    crate::paths::log_file()
}

/// Why there is no log file: the UI runs without one and says this once.
#[derive(Debug, thiserror::Error)]
pub enum LogError {
    /// No `--log-file` and no directory to put the default one in.
    #[error("neither XDG_STATE_HOME nor HOME is set (--log-file names a file)")]
    NoPath,
    #[error("cannot create {}: {source}", dir.display())]
    CreateDir {
        dir: PathBuf,
        source: std::io::Error,
    },
    /// The directory's or the file's metadata could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A foreign or shared HOME: its owner could read what we log.
    #[error("{} belongs to another user (uid {uid}); not writing a log there", dir.display())]
    ForeignDir { dir: PathBuf, uid: u32 },
    /// Possibly planted to redirect the log: never followed.
    #[error("{} is a symbolic link; not following it", path.display())]
    Symlink { path: PathBuf },
    #[error("cannot open {}: {source}", path.display())]
    Open {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{} is not a regular file", path.display())]
    NotAFile { path: PathBuf },
    #[error("{} belongs to another user (uid {uid})", path.display())]
    ForeignFile { path: PathBuf, uid: u32 },
    /// A log left readable by others could not be made private.
    #[error("cannot make {} private: {source}", path.display())]
    Private {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A global subscriber was already set.
    #[error("cannot start the logger: {0}")]
    Logger(#[source] Box<dyn std::error::Error + Send + Sync>),
}

/// Logs to a file through a non-blocking writer; never to the screen the UI owns.
/// Returns the guard that flushes the log when dropped, or why there is no log.
pub(super) fn init_logging(
    path: Option<PathBuf>,
) -> Result<tracing_appender::non_blocking::WorkerGuard, LogError> {
    let path = path.or_else(default_log_path).ok_or(LogError::NoPath)?;
    let file = open_log(&path)?;
    let (writer, guard) = tracing_appender::non_blocking(file);
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("cognito_tui=info,warn"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer)
        .with_ansi(false)
        .try_init()
        .map_err(LogError::Logger)?;
    Ok(guard)
}

/// Opens the log for appending. The log can hold pool ids and usernames: its directory is
/// created 0700 and the file 0600, a symlink planted in place of the file is not followed,
/// and a directory that belongs to another user (a foreign or shared HOME) is not written.
pub fn open_log(path: &Path) -> Result<std::fs::File, LogError> {
    let owned = || path.to_path_buf();
    #[cfg(unix)]
    {
        use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt, PermissionsExt};
        let dir = path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
            .map_err(|source| LogError::CreateDir {
                dir: dir.to_path_buf(),
                source,
            })?;
        // SAFETY: geteuid has no preconditions.
        let me = unsafe { libc::geteuid() };
        let owner = std::fs::metadata(dir)
            .map_err(|source| LogError::Read {
                path: dir.to_path_buf(),
                source,
            })?
            .uid();
        if owner != me {
            return Err(LogError::ForeignDir {
                dir: dir.to_path_buf(),
                uid: owner,
            });
        }
        let file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .mode(0o600)
            .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC)
            .open(path)
            .map_err(|source| {
                if source.raw_os_error() == Some(libc::ELOOP) {
                    LogError::Symlink { path: owned() }
                } else {
                    LogError::Open {
                        path: owned(),
                        source,
                    }
                }
            })?;
        let meta = file.metadata().map_err(|source| LogError::Read {
            path: owned(),
            source,
        })?;
        if !meta.is_file() {
            return Err(LogError::NotAFile { path: owned() });
        }
        if meta.uid() != me {
            return Err(LogError::ForeignFile {
                path: owned(),
                uid: meta.uid(),
            });
        }
        // A log left readable by an older version is tightened.
        if meta.mode() & 0o077 != 0 {
            file.set_permissions(std::fs::Permissions::from_mode(0o600))
                .map_err(|source| LogError::Private {
                    path: owned(),
                    source,
                })?;
        }
        Ok(file)
    }
    #[cfg(not(unix))]
    {
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .map_err(|source| LogError::Open {
                path: owned(),
                source,
            })
    }
}
