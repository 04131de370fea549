//! The config file: named pools, key-binding overrides and rate limits, in TOML at
//! `$XDG_CONFIG_HOME/cognito-tui/config.toml` (else `~/.config/cognito-tui/config.toml`), or
//! the file `--config` names. A missing default file means defaults; a bad file is an error
//! that names the file, line and column.
//!
//! ```toml
//! operator = "alice"   # CloudTrail's userAgent: cognito-tui/alice (default: the login name)
//! audit_syslog = "tcp://syslog.corp:6514"  # each --audit-log line shipped too (RFC 5424)
//! profile = "support"  # for pools that name none (--profile wins, then the pool's)
//!
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

use indexmap::IndexMap;
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use serde::Deserialize;
use toml::Spanned;

use crate::cognito::PoolId;
use crate::ratelimit::{QuotaCategory, RateLimits};

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
    /// `[pools.NAME]` tables, in the file's order (`--all-pools` answers in it).
    pub pools: IndexMap<String, NamedPool>,
    /// `[keys]`: action → key, read by the key map.
    pub keys: BTreeMap<String, String>,
    /// `[rate_limits]`: requests per second per quota category.
    pub rate_limits: RateLimits,
    /// `redact = true`: privacy mode from the start, as `--redact`.
    pub redact: bool,
    /// `search_attributes = ["custom:tenant", …]`: attributes the browse filter matches
    /// besides the shown ones (ListUsers can't filter on custom attributes; the local filter
    /// over loaded users can).
    pub search_attributes: Vec<String>,
    /// `operator = "…"`: who acts, sent as `cognito-tui/OPERATOR` in every request's
    /// User-Agent (so CloudTrail's `userAgent` names them on a shared role); default: the
    /// login name.
    pub operator: Option<String>,
    /// `profile = "…"`: the AWS profile for pools that name none, as `--profile` (it wins over
    /// `AWS_ACCESS_KEY_ID`, as a named profile does in the AWS CLI).
    pub profile: Option<String>,
    /// `default_country = "GB"`: the country national-format phone numbers are read in
    /// (ISO 3166 alpha-2, upper case); None: the locale's territory ([`crate::phone`]).
    pub default_country: Option<String>,
    /// `audit_syslog = "udp://HOST:PORT" | "tcp://HOST:PORT" | "unix:/dev/log"`: where each
    /// audit line is shipped too, as `--audit-syslog` (the flag wins).
    pub audit_syslog: Option<SyslogTarget>,
}

/// How lines travel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transport {
    Udp,
    Tcp,
    Unix,
}

/// Where audit lines are shipped: `udp://HOST:PORT`, `tcp://HOST:PORT` or `unix:/PATH`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct SyslogTarget {
    pub transport: Transport,
    /// `HOST:PORT`, or the socket's absolute path.
    pub address: String,
}

/// A syslog address that can't be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SyslogAddressError {
    /// Not one of the three forms.
    #[error("{0:?} is not a syslog address: use udp://HOST:PORT, tcp://HOST:PORT or unix:/PATH")]
    Scheme(String),
    /// `udp://` or `tcp://` without a host and a port from 1 to 65535.
    #[error("{0:?}: give a host and a port from 1 to 65535, as in udp://127.0.0.1:514")]
    HostPort(String),
    /// `unix:` with a relative path.
    #[error("{0:?}: unix: takes an absolute path, as in unix:/dev/log")]
    Path(String),
}

impl FromStr for SyslogTarget {
    type Err = SyslogAddressError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (transport, rest) = if let Some(rest) = s.strip_prefix("udp://") {
            (Transport::Udp, rest)
        } else if let Some(rest) = s.strip_prefix("tcp://") {
            (Transport::Tcp, rest)
        } else if let Some(rest) = s.strip_prefix("unix:") {
            let path = rest.strip_prefix("//").unwrap_or(rest);
            if !path.starts_with('/') {
                return Err(SyslogAddressError::Path(s.into()));
            }
            return Ok(Self {
                transport: Transport::Unix,
                address: path.into(),
            });
        } else {
            return Err(SyslogAddressError::Scheme(s.into()));
        };
        let port = rest.rsplit_once(':').and_then(|(host, port)| {
            let port: u16 = port.parse().ok().filter(|p| *p != 0)?;
            (!host.is_empty() && !host.contains('/')).then_some(port)
        });
        match port {
            Some(_) => Ok(Self {
                transport,
                address: rest.into(),
            }),
            None => Err(SyslogAddressError::HostPort(s.into())),
        }
    }
}

impl TryFrom<String> for SyslogTarget {
    type Error = SyslogAddressError;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl fmt::Display for SyslogTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.transport {
            Transport::Udp => write!(f, "udp://{}", self.address),
            Transport::Tcp => write!(f, "tcp://{}", self.address),
            Transport::Unix => write!(f, "unix:{}", self.address),
        }
    }
}

/// A config file that could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("config file {}{}: {message}", path.display(), location(*line, *column))]
pub struct ConfigError {
    pub path: PathBuf,
    /// 1-based line and column of the problem, when known.
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
}

fn location(line: Option<usize>, column: Option<usize>) -> String {
    match (line, column) {
        (Some(line), Some(column)) => format!(", line {line}, column {column}"),
        (Some(line), None) => format!(", line {line}"),
        _ => String::new(),
    }
}

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
    // Every command reads its config here: the phone default country is set once for all.
    parse(&text, &path).inspect(|c| crate::phone::install_default(c.default_country.as_deref()))
}

/// The file as written, with the spans of the values checked after parsing.
#[derive(Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct RawConfig {
    pools: IndexMap<String, RawPool>,
    keys: BTreeMap<String, String>,
    rate_limits: RawRateLimits,
    redact: bool,
    search_attributes: Vec<Spanned<String>>,
    operator: Option<Spanned<String>>,
    profile: Option<String>,
    default_country: Option<Spanned<String>>,
    audit_syslog: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPool {
    pool_id: Spanned<String>,
    profile: Option<String>,
    region: Option<String>,
    endpoint_url: Option<String>,
    #[serde(default)]
    allow_write: bool,
}

#[derive(Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct RawRateLimits {
    user_list: Option<Spanned<u32>>,
    user_read: Option<Spanned<u32>>,
    user_resource_read: Option<Spanned<u32>>,
    user_pool_read: Option<Spanned<u32>>,
    user_update: Option<Spanned<u32>>,
}

impl RawRateLimits {
    fn get(&self, category: QuotaCategory) -> Option<&Spanned<u32>> {
        match category {
            QuotaCategory::UserList => self.user_list.as_ref(),
            QuotaCategory::UserRead => self.user_read.as_ref(),
            QuotaCategory::UserResourceRead => self.user_resource_read.as_ref(),
            QuotaCategory::UserPoolRead => self.user_pool_read.as_ref(),
            QuotaCategory::UserUpdate => self.user_update.as_ref(),
        }
    }

    /// The limits, defaults where a key is absent.
    fn limits(&self) -> RateLimits {
        let d = RateLimits::default();
        let value = |c: QuotaCategory| self.get(c).map_or(d.get(c), |v| *v.get_ref());
        RateLimits {
            user_list: value(QuotaCategory::UserList),
            user_read: value(QuotaCategory::UserRead),
            user_resource_read: value(QuotaCategory::UserResourceRead),
            user_pool_read: value(QuotaCategory::UserPoolRead),
            user_update: value(QuotaCategory::UserUpdate),
        }
    }
}

/// Parses config text; `path` is for messages.
pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
    let error = |span: Option<Range<usize>>, message: String| {
        let (line, column) = span
            .map(|span| line_column(text, span.start))
            .map_or((None, None), |(l, c)| (Some(l), Some(c)));
        ConfigError {
            path: path.to_path_buf(),
            line,
            column,
            message,
        }
    };
    let raw: RawConfig =
        toml::from_str(text).map_err(|e| error(e.span(), e.message().trim().to_string()))?;
    check_names(&raw, &error)?;
    let default_country = match &raw.default_country {
        Some(code) => match crate::phone::parse_country(code.get_ref()) {
            Some(id) => Some(id.as_ref().to_string()),
            None => {
                return Err(error(
                    Some(code.span()),
                    format!(
                        "default_country: {:?} is not a country code such as \"GB\" or \"US\"",
                        code.get_ref()
                    ),
                ));
            }
        },
        None => None,
    };
    let audit_syslog = audit_syslog(&raw, &error)?;
    let rate_limits = raw.rate_limits.limits();
    if let Err(e) = rate_limits.validate() {
        let span = raw.rate_limits.get(e.category).map(Spanned::span);
        return Err(error(span, e.to_string()));
    }
    let pools = raw
        .pools
        .into_iter()
        .map(|(name, p)| {
            let pool = NamedPool {
                pool_id: p.pool_id.into_inner(),
                profile: p.profile,
                region: p.region,
                endpoint_url: p.endpoint_url,
                allow_write: p.allow_write,
            };
            (name, pool)
        })
        .collect();
    Ok(Config {
        pools,
        keys: raw.keys,
        rate_limits,
        redact: raw.redact,
        search_attributes: raw
            .search_attributes
            .into_iter()
            .map(Spanned::into_inner)
            .collect(),
        operator: raw.operator.map(Spanned::into_inner),
        profile: raw.profile.filter(|p| !p.trim().is_empty()),
        default_country,
        audit_syslog,
    })
}

/// `audit_syslog`, checked, its error placed at its value.
fn audit_syslog(
    raw: &RawConfig,
    error: &dyn Fn(Option<Range<usize>>, String) -> ConfigError,
) -> Result<Option<SyslogTarget>, ConfigError> {
    let Some(value) = &raw.audit_syslog else {
        return Ok(None);
    };
    value
        .get_ref()
        .parse()
        .map(Some)
        .map_err(|e| error(Some(value.span()), format!("audit_syslog: {e}")))
}

/// Checks the names the config gives: pool ids, search attributes and the operator. `error`
/// places a message at a span of the file.
fn check_names(
    raw: &RawConfig,
    error: &dyn Fn(Option<Range<usize>>, String) -> ConfigError,
) -> Result<(), ConfigError> {
    for (name, pool) in &raw.pools {
        if let Err(e) = PoolId::parse(pool.pool_id.get_ref()) {
            return Err(error(
                Some(pool.pool_id.span()),
                format!("pools.{name}.pool_id: {e}"),
            ));
        }
    }
    for name in &raw.search_attributes {
        let value = name.get_ref();
        if value.trim().is_empty() || value.chars().any(char::is_control) || value != value.trim() {
            return Err(error(
                Some(name.span()),
                format!("search_attributes: {value:?} is not an attribute name"),
            ));
        }
    }
    if let Some(operator) = &raw.operator {
        let name = operator.get_ref();
        if !is_operator_name(name) {
            return Err(error(
                Some(operator.span()),
                format!(
                    "operator = {name:?}: use 1 to 64 of letters, digits and . _ - @ + (it \
                     goes into the User-Agent header)"
                ),
            ));
        }
    }
    Ok(())
}

/// Whether an operator name fits a User-Agent token: 1–64 of `A-Z a-z 0-9 . _ - @ +`.
fn is_operator_name(operator: &str) -> bool {
    let fits = |c: char| c.is_ascii_alphanumeric() || ".-_@+".contains(c);
    !operator.is_empty() && operator.len() <= 64 && operator.chars().all(fits)
}

/// 1-based line and column (in chars) of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
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

    #[test]
    fn syslog_addresses_parse_and_bad_ones_say_why() {
        let udp: SyslogTarget = "udp://127.0.0.1:514".parse().unwrap();
        assert_eq!(
            (udp.transport, udp.address.as_str()),
            (Transport::Udp, "127.0.0.1:514")
        );
        assert_eq!(udp.to_string(), "udp://127.0.0.1:514");
        let unix: SyslogTarget = "unix:/dev/log".parse().unwrap();
        assert_eq!(unix.to_string(), "unix:/dev/log");
        assert!("tcp://[::1]:6514".parse::<SyslogTarget>().is_ok());
        for bad in [
            "syslog.corp:514",
            "udp://host",
            "tcp://:514",
            "udp://h:0",
            "udp://h:99999",
        ] {
            assert!(bad.parse::<SyslogTarget>().is_err(), "{bad}");
        }
        assert_eq!(
            "unix:dev/log".parse::<SyslogTarget>(),
            Err(SyslogAddressError::Path("unix:dev/log".into()))
        );
    }

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
    fn a_comment_naming_the_bad_value_does_not_move_the_location() {
        // A text search for the key or the value would land on the comment lines.
        let e = parse_str(
            "# user_list = 100 is too many; \"not a pool\" is no pool id\n\
             [rate_limits]\nuser_read = 5\nuser_list = 100\n",
        )
        .unwrap_err();
        assert_eq!((e.line, e.column), (Some(4), Some(13)), "{e}");

        let e = parse_str(
            "# pool_id = \"not a pool\"\n[pools.p]\nregion = \"eu-west-1\"\n\
             pool_id = \"not a pool\"\n",
        )
        .unwrap_err();
        assert_eq!(e.line, Some(4), "{e}");
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
