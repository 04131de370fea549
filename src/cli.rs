//! Command-line definitions.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};
use clap_complete::engine::{ArgValueCompleter, CompletionCandidate};

use crate::cognito::lookup::LookupMode;

/// `--version`: the package version, the git commit it was built from and the target triple
/// it was built for (build.rs).
pub const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (commit ",
    env!("COGNITO_TUI_GIT_COMMIT"),
    ", ",
    env!("COGNITO_TUI_TARGET"),
    ")"
);

/// The heading the options every command takes are listed under, in one order everywhere
/// (`--help`, each command's `--help`, the man page), apart from the command's own.
pub const GLOBAL: &str = "Global options";

pub mod man;

/// Every exit code a command documents, with its meaning (defined in [`crate::exit`]).
pub use crate::exit::CODES as EXIT_CODES;

/// The variable that asks the binary for completions (the shell scripts set it).
pub const COMPLETE_ENV: &str = "COGNITO_TUI_COMPLETE";

/// Look up AWS Cognito user-pool users by username, alias or sub.
#[derive(Debug, Parser)]
#[command(
    name = "cognito-tui",
    version = VERSION,
    about,
    long_about = None,
    after_help = "Examples:\n  \
        cognito-tui --demo                          the terminal UI on the embedded demo pool\n  \
        cognito-tui --pool eu-west-1_AbCdEf123 --lookup alice@example.com"
)]
pub struct Cli {
    #[command(flatten)]
    pub target: TargetArgs,

    /// Open the TUI straight on this user (username, alias or sub).
    #[arg(long, value_name = "QUERY")]
    pub lookup: Option<String>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Where users are looked up.
#[derive(Debug, Clone, Args)]
pub struct TargetArgs {
    /// User pool id, e.g. eu-west-1_AbCdEf123, or a pool named in the config file.
    #[arg(
        long,
        global = true, help_heading = GLOBAL,
        env = "COGNITO_TUI_POOL",
        value_name = "POOL_ID|NAME",
        add = ArgValueCompleter::new(complete_pool)
    )]
    pub pool: Option<String>,

    /// Use the embedded demo pool: no AWS account, credentials or network needed.
    #[arg(long, global = true, help_heading = GLOBAL)]
    pub demo: bool,

    /// AWS profile (default: AWS_PROFILE, then "default").
    #[arg(long, global = true, help_heading = GLOBAL, add = ArgValueCompleter::new(complete_profile))]
    pub profile: Option<String>,

    /// AWS Region (default: AWS_REGION, the profile's, then the pool id's).
    #[arg(long, global = true, help_heading = GLOBAL)]
    pub region: Option<String>,

    /// Send requests to this endpoint instead of AWS (also AWS_ENDPOINT_URL).
    #[arg(long, global = true, help_heading = GLOBAL, value_name = "URL")]
    pub endpoint_url: Option<String>,

    /// Give up on a request after this many seconds, retries included.
    #[arg(long, global = true, help_heading = GLOBAL, value_name = "SECONDS", default_value = "20", value_parser = parse_seconds)]
    pub timeout: Duration,

    /// Attempts per read for server errors and lost connections; throttled requests are
    /// retried by the rate limiter (8 times at most, slowing down).
    #[arg(long, global = true, help_heading = GLOBAL, default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..=10))]
    pub max_attempts: u32,

    /// Config file (default: $XDG_CONFIG_HOME/cognito-tui/config.toml, else
    /// ~/.config/cognito-tui/config.toml).
    #[arg(long, global = true, help_heading = GLOBAL, env = "COGNITO_TUI_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Write logs to this file (default: the user's state directory; one-shot commands log
    /// only when RUST_LOG is set).
    #[arg(long, global = true, help_heading = GLOBAL, value_name = "FILE")]
    pub log_file: Option<PathBuf>,

    /// Offer write actions (enable, disable, reset password, sign out everywhere) in the
    /// terminal UI, each confirmed. Without it cognito-tui is read-only: no write request can
    /// leave it. (Not global: no one-shot command writes, so their help doesn't offer it.)
    #[arg(long)]
    pub allow_write: bool,

    /// Privacy mode: mask personal values (email, phone, names, addresses, custom:…) in every
    /// output — text, JSON (same shape), CSV/TSV, errors — and on screen and in copies in the
    /// terminal UI, where `p` toggles it. `redact = true` in the config does the same.
    #[arg(long, global = true, help_heading = GLOBAL)]
    pub redact: bool,

    /// Append one JSON line per lookup and per action to this file; the app does not start
    /// if it can't be written.
    #[arg(long, global = true, help_heading = GLOBAL, value_name = "FILE")]
    pub audit_log: Option<PathBuf>,

    /// Ship each --audit-log line to syslog too, as RFC 5424 (udp://HOST:PORT,
    /// tcp://HOST:PORT or unix:/dev/log; `audit_syslog = "…"` in the config); the app does not
    /// start if the receiver can't be reached.
    #[arg(long, global = true, help_heading = GLOBAL, value_name = "ADDRESS")]
    pub audit_syslog: Option<crate::config::SyslogTarget>,
}

/// Why a `--timeout` value was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TimeoutError {
    /// Not a number.
    #[error("{0:?} is not a number of seconds")]
    NotANumber(String),
    /// Outside 0.1–600 s.
    #[error("the timeout must be between 0.1 and 600 seconds")]
    OutOfRange,
}

fn parse_seconds(s: &str) -> Result<Duration, TimeoutError> {
    let secs: f64 = s
        .parse()
        .map_err(|_| TimeoutError::NotANumber(s.to_string()))?;
    if !(0.1..=600.0).contains(&secs) {
        return Err(TimeoutError::OutOfRange);
    }
    Ok(Duration::from_secs_f64(secs))
}

/// One-shot commands; without one, the TUI starts.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Look up one user and print it (AdminGetUser's JSON shape, or text).
    #[command(
        override_usage = "cognito-tui get [OPTIONS] <QUERY|->\n       \
                          cognito-tui get [OPTIONS] --from <FILE>",
        after_help = "Examples:\n  \
        cognito-tui get --pool eu-west-1_AbCdEf123 alice@example.com\n  \
        cognito-tui get --pool prod --from tickets.txt -o csv --attributes email"
    )]
    Get(GetArgs),
    /// Find users by prefix (ListUsers only, no AdminGetUser), best fuzzy match first.
    #[command(after_help = "Examples:\n  \
        cognito-tui search --pool eu-west-1_AbCdEf123 jo\n  \
        cognito-tui search --demo al -o json --limit 5")]
    Search(SearchArgs),
    /// Say why a user can't sign in, and what to do: the user read together with the pool's
    /// settings and, with threat protection, recent sign-in history.
    #[command(after_help = "Examples:\n  \
        cognito-tui diagnose --demo dave\n  \
        cognito-tui diagnose --pool prod alice@example.com -o json")]
    Diagnose(DiagnoseArgs),
    /// Stream every user of the pool as JSON lines, CSV, TSV, tables or a Cognito import file.
    #[command(after_help = "Examples:\n  \
        cognito-tui export --pool prod > users.ndjson\n  \
        cognito-tui export --pool prod -o csv --attributes email,name --status CONFIRMED")]
    Export(ExportArgs),
    /// Work with an audit log (`--audit-log`) offline: `audit verify FILE` checks its chain.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Print a shell completion script (pool names and AWS profiles complete too).
    #[command(after_help = COMPLETIONS_HELP)]
    Completions {
        /// The shell to print the script for.
        #[arg(value_enum)]
        shell: Shell,
    },
    /// Print the man page (roff): `cognito-tui man > cognito-tui.1`.
    Man,
}

/// `audit` subcommands.
#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Check the file's hash chain: exit 0 when intact, 11 at the first broken link (an
    /// edited, removed, reordered or cut line, named by its line number).
    #[command(after_help = "Examples:\n  cognito-tui audit verify ~/cognito-audit.jsonl")]
    Verify {
        /// The audit log to check.
        file: std::path::PathBuf,
    },
}

/// `diagnose` arguments.
#[derive(Debug, Args)]
pub struct DiagnoseArgs {
    /// Username, email, phone number (E.164), preferred_username or sub, resolved as `get`;
    /// `-` reads one query per line from stdin (one JSON line per query).
    pub query: String,

    /// What the query is; `auto` detects it from its shape.
    #[arg(long, value_enum, default_value_t = ByArg::Auto)]
    pub by: ByArg,

    /// Output format (default: text on a terminal, json otherwise).
    #[arg(long, short, value_enum)]
    pub output: Option<ReportFormat>,

    /// A JMESPath expression applied to the JSON output before it is printed, as the AWS
    /// CLI's --query (e.g. "UserAttributes[?Name=='email'].Value | [0]"); with -o text the
    /// result prints as the AWS CLI's text output, with -o table as its table.
    #[arg(long = "query", value_name = "JMESPATH", value_parser = crate::output::query::parse_query)]
    pub jmespath: Option<crate::output::query::Query>,
}

/// Formats of a one-user report (`diagnose`): no table shape fits it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Json,
    Text,
}

/// `export` arguments.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Output format: one ListUsers `Users` item per line (json), csv / tsv, table (one
    /// AWS CLI-style table per user, as wide as the terminal), or cognito-import (the CSV a
    /// Cognito user import job takes, under the pool's GetCSVHeader header).
    #[arg(long, short, value_enum, default_value_t = ExportFormat::Json)]
    pub output: ExportFormat,

    /// Attribute columns after the fixed ones, for csv and tsv (comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "NAME,…")]
    pub attributes: Vec<String>,

    /// Only users with this UserStatus (CONFIRMED, UNCONFIRMED, FORCE_CHANGE_PASSWORD,
    /// RESET_REQUIRED, …); filtered by Cognito.
    #[arg(long, value_name = "STATUS")]
    pub status: Option<String>,

    /// Only enabled (true) or disabled (false) users; filtered by Cognito unless --status
    /// takes ListUsers' one filter, then here.
    #[arg(long, value_name = "true|false")]
    pub enabled: Option<bool>,

    /// Only users matching this expression (README: The filter language), e.g.
    /// `custom:tier = gold and UserCreateDate < 2026-01-01`. One conjunct ListUsers can serve
    /// goes to Cognito; the whole expression is checked here on every user read.
    #[arg(long = "where", value_name = "EXPR", conflicts_with_all = ["status", "enabled"])]
    pub where_: Option<String>,

    /// Add each user's groups (a `Groups` key, or column: names joined by commas), read
    /// first per group — ListGroups, then ListUsersInGroup's pages — never one request per
    /// user.
    #[arg(long)]
    pub with_groups: bool,

    /// Add each user's MFA (`MfaSettings`: UserMFASettingList; `PreferredMfa`), read with one
    /// AdminGetUser per exported user at the user_read rate: the cost and ETA are stated
    /// before it starts.
    #[arg(long)]
    pub with_mfa: bool,

    /// Add each user's last sign-in (`LastSignIn`: the newest auth event's time, RFC 3339 UTC),
    /// read with one AdminListUserAuthEvents (MaxResults 1) per user at the
    /// user_resource_read rate; needs threat protection (Plus plan). `--where 'LastSignIn <
    /// 2026-01-01'` then finds dormant accounts. The cost and ETA are stated before it starts.
    #[arg(long)]
    pub last_sign_in: bool,

    /// Resume an interrupted export from the token it printed.
    #[arg(long, value_name = "TOKEN")]
    pub starting_token: Option<String>,

    /// Independent ListUsers streams (split by the first hex digit of `sub`) so page latency
    /// doesn't hold the export below the configured rate; 1 for one sequential stream.
    /// Without a filter only: with --status or --enabled it is one stream.
    #[arg(long, default_value_t = 16, value_parser = clap::value_parser!(u8).range(1..=16))]
    pub streams: u8,

    /// A JMESPath expression applied to each user's JSON line before it is printed, as the AWS
    /// CLI's --query (e.g. "UserAttributes[?Name=='email'].Value | [0]"); with -o text the
    /// result prints as the AWS CLI's text output, with -o table as its table.
    #[arg(long = "query", value_name = "JMESPATH", value_parser = crate::output::query::parse_query)]
    pub jmespath: Option<crate::output::query::Query>,
}

/// `export --output` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Json,
    Csv,
    Tsv,
    Table,
    /// The CSV Cognito's user import jobs accept.
    CognitoImport,
}

impl ExportFormat {
    /// Whether the format is CSV or TSV (columns, not JSON).
    pub fn delimited(self) -> bool {
        matches!(self, Self::Csv | Self::Tsv)
    }
}

const COMPLETIONS_HELP: &str = "Install:
  bash:  cognito-tui completions bash > ~/.local/share/bash-completion/completions/cognito-tui
  zsh:   cognito-tui completions zsh > ~/.zfunc/_cognito-tui  (with fpath+=(~/.zfunc) before compinit)
  fish:  cognito-tui completions fish > ~/.config/fish/completions/cognito-tui.fish
The script calls cognito-tui (on PATH) to complete, so --pool offers the pools of the
config file and --profile the profiles of the AWS config as they are now.";

/// Shells `completions` writes for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
    Elvish,
    Powershell,
}

impl Shell {
    /// clap_complete's name for it.
    pub fn name(self) -> &'static str {
        match self {
            Shell::Bash => "bash",
            Shell::Zsh => "zsh",
            Shell::Fish => "fish",
            Shell::Elvish => "elvish",
            Shell::Powershell => "powershell",
        }
    }
}

/// `--pool` candidates: the named pools of the config file (`COGNITO_TUI_CONFIG`, else the
/// default path), each with its pool id as the description. A bad or missing file offers none.
fn complete_pool(current: &std::ffi::OsStr) -> Vec<CompletionCandidate> {
    let current = current.to_string_lossy();
    let explicit = std::env::var_os("COGNITO_TUI_CONFIG").map(PathBuf::from);
    let Ok(config) = crate::config::load(explicit.as_deref()) else {
        return Vec::new();
    };
    config
        .pools
        .iter()
        .filter(|(name, _)| name.starts_with(current.as_ref()))
        .map(|(name, pool)| CompletionCandidate::new(name).help(Some(pool.pool_id.clone().into())))
        .collect()
}

/// `--profile` candidates: the profiles of the AWS config and credentials files (the SDK's
/// `AWS_CONFIG_FILE` / `AWS_SHARED_CREDENTIALS_FILE`, else `~/.aws/`).
fn complete_profile(current: &std::ffi::OsStr) -> Vec<CompletionCandidate> {
    let current = current.to_string_lossy();
    let home = std::env::var_os("HOME").map(PathBuf::from);
    let file = |var: &str, name: &str| {
        std::env::var_os(var)
            .map(PathBuf::from)
            .or_else(|| home.as_ref().map(|h| h.join(".aws").join(name)))
    };
    let mut names = std::collections::BTreeSet::new();
    for (path, config) in [
        (file("AWS_CONFIG_FILE", "config"), true),
        (file("AWS_SHARED_CREDENTIALS_FILE", "credentials"), false),
    ] {
        if let Some(text) = path.and_then(|p| std::fs::read_to_string(p).ok()) {
            names.extend(aws_profiles(&text, config));
        }
    }
    names
        .into_iter()
        .filter(|n| n.starts_with(current.as_ref()))
        .map(CompletionCandidate::new)
        .collect()
}

/// Profile names in an AWS config (`[default]`, `[profile NAME]`) or credentials (`[NAME]`)
/// file; `[sso-session …]` and `[services …]` sections are not profiles.
pub fn aws_profiles(text: &str, config_file: bool) -> Vec<String> {
    text.lines()
        .filter_map(|line| {
            let inner = line.trim().strip_prefix('[')?.strip_suffix(']')?.trim();
            let name = if config_file {
                match inner.split_once(char::is_whitespace) {
                    Some(("profile", name)) => name.trim(),
                    None if inner == "default" => inner,
                    _ => return None,
                }
            } else {
                inner
            };
            (!name.is_empty()).then(|| name.to_string())
        })
        .collect()
}

/// `search` arguments.
#[derive(Debug, Args)]
pub struct SearchArgs {
    /// The start of a username, email, phone number (+…), name or sub.
    pub query: String,

    /// Output format (default: text on a terminal, json otherwise).
    #[arg(long, short, value_enum)]
    pub output: Option<OutputFormat>,

    /// A JMESPath expression applied to the JSON output before it is printed, as the AWS
    /// CLI's --query (e.g. "UserAttributes[?Name=='email'].Value | [0]"); with -o text the
    /// result prints as the AWS CLI's text output, with -o table as its table.
    #[arg(long = "query", value_name = "JMESPATH", value_parser = crate::output::query::parse_query)]
    pub jmespath: Option<crate::output::query::Query>,

    /// Print at most this many users.
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..=360))]
    pub limit: u32,

    /// Attribute columns after the fixed ones, for csv and tsv (comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "NAME,…")]
    pub attributes: Vec<String>,

    /// Keep only the users found that match this expression (README: The filter language).
    #[arg(long = "where", value_name = "EXPR")]
    pub where_: Option<String>,
}

/// `get` arguments: a query, `-` (one query a line from stdin) or `--from FILE` is required.
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("input").required(true).args(["query", "from"])))]
pub struct GetArgs {
    /// Username, email, phone number (E.164), preferred_username or sub; `-` reads one
    /// query per line from stdin.
    /// Required, unless `--from` names a file of queries.
    #[arg(value_name = "QUERY|-")]
    pub query: Option<String>,

    /// Read one query per line from this file (blank lines and `#` comments skipped).
    #[arg(long, value_name = "FILE", conflicts_with_all = ["query", "all_pools", "pools"])]
    pub from: Option<PathBuf>,

    /// Look the query up in every pool named in the config file, concurrently.
    #[arg(long, conflicts_with = "pools")]
    pub all_pools: bool,

    /// Look the query up in these pools (names from the config file, or pool ids).
    #[arg(long, value_delimiter = ',', value_name = "NAME,…")]
    pub pools: Vec<String>,

    /// Attribute columns after the fixed ones, for csv and tsv (comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "NAME,…")]
    pub attributes: Vec<String>,

    /// What the query is; `auto` detects it from its shape.
    #[arg(long, value_enum, default_value_t = ByArg::Auto)]
    pub by: ByArg,

    /// Output format (default: text on a terminal, json otherwise).
    #[arg(long, short, value_enum)]
    pub output: Option<OutputFormat>,

    /// A JMESPath expression applied to the JSON output (to each line of a batch) before it is printed, as the AWS
    /// CLI's --query (e.g. "UserAttributes[?Name=='email'].Value | [0]"); with -o text the
    /// result prints as the AWS CLI's text output, with -o table as its table.
    #[arg(long = "query", value_name = "JMESPATH", value_parser = crate::output::query::parse_query)]
    pub jmespath: Option<crate::output::query::Query>,

    /// Also fetch these (comma-separated): groups, devices, events, auth-factors.
    #[arg(long, value_enum, value_delimiter = ',', value_name = "LIST")]
    pub include: Vec<Include>,
}

/// `--include` values: lists fetched after the user is found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Include {
    /// AdminListGroupsForUser, as `Groups`.
    Groups,
    /// AdminListDevices, as `Devices`.
    Devices,
    /// AdminListUserAuthEvents (needs threat protection), as `AuthEvents`.
    Events,
    /// AdminGetUserAuthFactors (configured sign-in factors, passkeys), as `AuthFactors`.
    AuthFactors,
}

/// `--by` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ByArg {
    Auto,
    Username,
    Alias,
    Sub,
}

impl From<ByArg> for LookupMode {
    fn from(by: ByArg) -> Self {
        match by {
            ByArg::Auto => LookupMode::Auto,
            ByArg::Username => LookupMode::Username,
            ByArg::Alias => LookupMode::Alias,
            ByArg::Sub => LookupMode::Sub,
        }
    }
}

/// `--output` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Json,
    Text,
    /// RFC 4180, spreadsheet-safe.
    Csv,
    /// Tab-separated, spreadsheet-safe.
    Tsv,
    /// The AWS CLI's table, sized to the terminal (COLUMNS; 80 when not a terminal).
    Table,
}

impl OutputFormat {
    /// The delimited format, for csv and tsv.
    pub fn delimited(self) -> Option<crate::tabular::Delimited> {
        match self {
            Self::Csv => Some(crate::tabular::Delimited::Csv),
            Self::Tsv => Some(crate::tabular::Delimited::Tsv),
            Self::Json | Self::Text | Self::Table => None,
        }
    }
}
