//! Where the config file and the log live: one XDG base-directory rule for both.
//! `$XDG_CONFIG_HOME` / `$XDG_STATE_HOME` when set to an absolute path (the spec says to
//! ignore relative ones), else under `$HOME`. No HOME (a bastion's service account, `env -i`)
//! means no default path, never a panic.

use std::path::PathBuf;

/// The app's directory under an XDG base directory: `$VAR/cognito-tui`, else
/// `$HOME/FALLBACK/cognito-tui`.
fn app_dir(var: &str, fallback: &str) -> Option<PathBuf> {
    let base = std::env::var_os(var)
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| {
            std::env::var_os("HOME")
                .filter(|h| !h.is_empty())
                .map(PathBuf::from)
                .filter(|h| h.is_absolute())
                .map(|h| h.join(fallback))
        })?;
    Some(base.join("cognito-tui"))
}

/// `$XDG_CONFIG_HOME/cognito-tui/config.toml`, else `~/.config/cognito-tui/config.toml`.
pub fn config_file() -> Option<PathBuf> {
    app_dir("XDG_CONFIG_HOME", ".config").map(|d| d.join("config.toml"))
}

/// `$XDG_STATE_HOME/cognito-tui/cognito-tui.log`, else
/// `~/.local/state/cognito-tui/cognito-tui.log`.
pub fn log_file() -> Option<PathBuf> {
    app_dir("XDG_STATE_HOME", ".local/state").map(|d| d.join("cognito-tui.log"))
}
