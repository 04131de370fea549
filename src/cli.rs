//! Command-line definitions.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::cognito::lookup::LookupMode;

/// Look up AWS Cognito user-pool users by username, alias or sub.
#[derive(Debug, Parser)]
#[command(name = "cognito-tui", version, about, long_about = None)]
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
        global = true,
        env = "COGNITO_TUI_POOL",
        value_name = "POOL_ID|NAME"
    )]
    pub pool: Option<String>,

    /// Use the embedded demo pool: no AWS account, credentials or network needed.
    #[arg(long, global = true)]
    pub demo: bool,

    /// AWS profile (default: AWS_PROFILE, then "default").
    #[arg(long, global = true)]
    pub profile: Option<String>,

    /// AWS Region (default: AWS_REGION, the profile's, then the pool id's).
    #[arg(long, global = true)]
    pub region: Option<String>,

    /// Send requests to this endpoint instead of AWS (also AWS_ENDPOINT_URL).
    #[arg(long, global = true, value_name = "URL")]
    pub endpoint_url: Option<String>,

    /// Give up on a request after this many seconds, retries included.
    #[arg(long, global = true, value_name = "SECONDS", default_value = "20", value_parser = parse_seconds)]
    pub timeout: Duration,

    /// Attempts per request (throttling and server errors are retried with backoff).
    #[arg(long, global = true, default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..=10))]
    pub max_attempts: u32,

    /// Config file (default: $XDG_CONFIG_HOME/cognito-tui/config.toml, else
    /// ~/.config/cognito-tui/config.toml).
    #[arg(long, global = true, env = "COGNITO_TUI_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Write logs to this file (default: the user's state directory; one-shot commands log
    /// only when RUST_LOG is set).
    #[arg(long, global = true, value_name = "FILE")]
    pub log_file: Option<PathBuf>,

    /// Offer write actions (enable, disable, reset password, sign out everywhere), each
    /// confirmed. Without it cognito-tui is read-only: no write request can leave it.
    #[arg(long, global = true)]
    pub allow_write: bool,

    /// Privacy mode: mask personal values (email, phone, names, custom:…) on screen and in
    /// copies; `p` toggles it in the terminal UI.
    #[arg(long, global = true)]
    pub redact: bool,

    /// Append one JSON line per lookup and per action to this file; the app does not start
    /// if it can't be written.
    #[arg(long, global = true, value_name = "FILE")]
    pub audit_log: Option<PathBuf>,
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
    Get(GetArgs),
    /// Find users by prefix (ListUsers only, no AdminGetUser), best fuzzy match first.
    Search(SearchArgs),
    /// Say why a user can't sign in, and what to do: the user read together with the pool's
    /// settings and, with threat protection, recent sign-in history.
    Diagnose(DiagnoseArgs),
}

/// `diagnose` arguments.
#[derive(Debug, Args)]
pub struct DiagnoseArgs {
    /// Username, email, phone number (E.164), preferred_username or sub, resolved as `get`.
    pub query: String,

    /// What the query is; `auto` detects it from its shape.
    #[arg(long, value_enum, default_value_t = ByArg::Auto)]
    pub by: ByArg,

    /// Output format (default: text on a terminal, json otherwise).
    #[arg(long, short, value_enum)]
    pub output: Option<OutputFormat>,
}

/// `search` arguments.
#[derive(Debug, Args)]
pub struct SearchArgs {
    /// The start of a username, email, phone number (+…), name or sub.
    pub query: String,

    /// Output format (default: text on a terminal, json otherwise).
    #[arg(long, short, value_enum)]
    pub output: Option<OutputFormat>,

    /// Print at most this many users.
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..=360))]
    pub limit: u32,
}

/// `get` arguments.
#[derive(Debug, Args)]
pub struct GetArgs {
    /// Username, email, phone number (E.164), preferred_username or sub.
    pub query: String,

    /// What the query is; `auto` detects it from its shape.
    #[arg(long, value_enum, default_value_t = ByArg::Auto)]
    pub by: ByArg,

    /// Output format (default: text on a terminal, json otherwise).
    #[arg(long, short, value_enum)]
    pub output: Option<OutputFormat>,

    /// Also fetch these lists (comma-separated): groups, devices, events.
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
}
