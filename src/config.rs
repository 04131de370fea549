//! The config file: named pools, key-binding overrides and rate limits, in TOML at
//! `$XDG_CONFIG_HOME/cognito-tui/config.toml` (else `~/.config/cognito-tui/config.toml`), or
//! the file `--config` names. A missing default file means defaults; a bad file is an error
//! that names the file, line and column.
//!
//! ```toml
//! [pools.prod]
//! pool_id = "eu-west-1_AbCdEf123"
//! profile = "support-prod"
//! region = "eu-west-1"
//!
//! [keys]
//! quit = "ctrl-q"
//!
//! [rate_limits]
//! user_list = 5
//! ```

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::cognito::PoolId;
use crate::ratelimit::RateLimits;

/// A pool known by name.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NamedPool {
    pub pool_id: String,
    pub profile: Option<String>,
    pub region: Option<String>,
    pub endpoint_url: Option<String>,
    /// Offer write actions for this pool, as `--allow-write` does.
    #[serde(default)]
    pub allow_write: bool,
}

/// The whole config file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// `[pools.NAME]` tables.
    pub pools: BTreeMap<String, NamedPool>,
    /// `[keys]`: action → key, read by the key map.
    pub keys: BTreeMap<String, String>,
    /// `[rate_limits]`: requests per second per quota category.
    pub rate_limits: RateLimits,
}

/// A config file that could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub path: PathBuf,
    /// 1-based line and column of the problem, when known.
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "config file {}", self.path.display())?;
        if let Some(line) = self.line {
            write!(f, ", line {line}")?;
            if let Some(column) = self.column {
                write!(f, ", column {column}")?;
            }
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for ConfigError {}

/// Where the config file is read from when `--config` is not given.
pub fn default_path() -> Option<PathBuf> {
    crate::paths::config_file()
}

/// Loads `explicit` (which must exist), else the default file (defaults when absent).
pub fn load(explicit: Option<&Path>) -> Result<Config, ConfigError> {
    let (path, required) = match explicit {
        Some(p) => (p.to_path_buf(), true),
        None => match default_path() {
            Some(p) => (p, false),
            None => return Ok(Config::default()),
        },
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !required => {
            return Ok(Config::default());
        }
        Err(e) => {
            return Err(ConfigError {
                path,
                line: None,
                column: None,
                message: format!("cannot read it: {e}"),
            });
        }
    };
    parse(&text, &path)
}

/// Parses config text; `path` is for messages.
pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
    let config: Config = toml::from_str(text).map_err(|e| {
        let (line, column) = e
            .span()
            .map(|span| line_column(text, span.start))
            .map_or((None, None), |(l, c)| (Some(l), Some(c)));
        ConfigError {
            path: path.to_path_buf(),
            line,
            column,
            message: e.message().trim().to_string(),
        }
    })?;
    let error = |needle: &str, message: String| {
        let (line, column) = find(text, needle).map_or((None, None), |(l, c)| (Some(l), Some(c)));
        ConfigError {
            path: path.to_path_buf(),
            line,
            column,
            message,
        }
    };
    for (name, pool) in &config.pools {
        if let Err(e) = PoolId::parse(&pool.pool_id) {
            return Err(error(&pool.pool_id, format!("pools.{name}.pool_id: {e}")));
        }
    }
    if let Err(e) = config.rate_limits.validate() {
        let key = e.split(' ').next().unwrap_or("rate_limits");
        let key = key.rsplit('.').next().unwrap_or(key).to_string();
        return Err(error(&key, e));
    }
    Ok(config)
}

/// 1-based line and column (in chars) of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

fn find(text: &str, needle: &str) -> Option<(usize, usize)> {
    text.find(needle).map(|i| line_column(text, i))
}

impl Config {
    /// The named pool, if `name` is one.
    pub fn pool(&self, name: &str) -> Option<&NamedPool> {
        self.pools.get(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(text: &str) -> Result<Config, ConfigError> {
        parse(text, Path::new("/x/config.toml"))
    }

    #[test]
    fn valid_file() {
        let c = parse_str(
            r#"
[pools.prod]
pool_id = "eu-west-1_AbC123"
profile = "support"
region = "eu-west-1"

[pools.local]
pool_id = "us-east-1_x"
endpoint_url = "http://127.0.0.1:9229"

[keys]
quit = "ctrl-q"
search = "/"

[rate_limits]
user_list = 3
"#,
        )
        .unwrap();
        let prod = c.pool("prod").unwrap();
        assert_eq!(prod.pool_id, "eu-west-1_AbC123");
        assert_eq!(prod.profile.as_deref(), Some("support"));
        assert_eq!(c.pool("local").unwrap().region, None);
        assert_eq!(c.keys["quit"], "ctrl-q");
        assert_eq!(c.rate_limits.user_list, 3);
        assert_eq!(c.rate_limits.user_read, RateLimits::default().user_read);
        assert_eq!(parse_str("").unwrap(), Config::default());
    }

    #[test]
    fn syntax_error_names_path_line_and_column() {
        let e =
            parse_str("[pools.prod]\npool_id = \"eu-west-1_x\"\nregion = eu-west-1\n").unwrap_err();
        assert_eq!(e.line, Some(3), "{e}");
        let text = e.to_string();
        assert!(
            text.starts_with("config file /x/config.toml, line 3, column "),
            "{text}"
        );
    }

    #[test]
    fn unknown_keys_and_bad_values_are_located() {
        let e = parse_str("[rate_limits]\nuser_lists = 2\n").unwrap_err();
        assert_eq!(e.line, Some(2), "{e}");
        assert!(e.message.contains("user_lists"), "{e}");

        let e = parse_str("[pools.p]\npool_id = \"not a pool\"\n").unwrap_err();
        assert_eq!(e.line, Some(2), "{e}");
        assert!(e.message.contains("pools.p.pool_id"), "{e}");

        let e = parse_str("\n[rate_limits]\nuser_list = 100\n").unwrap_err();
        assert_eq!(e.line, Some(3), "{e}");
        assert!(e.message.contains("between 1 and 30"), "{e}");
    }

    #[test]
    fn missing_files() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("nope.toml");
        let e = load(Some(&missing)).unwrap_err();
        assert!(e.to_string().contains("nope.toml"), "{e}");
        assert!(e.message.starts_with("cannot read it"), "{e}");
    }
}
