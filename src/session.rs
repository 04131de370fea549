//! A session: the chosen backend, pool and where requests go. Shared by the TUI and the
//! one-shot commands so both build their backend the same way, in one place ([`Target`]).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use crate::cli::TargetArgs;
use crate::cognito::demo::DemoBackend;
use crate::cognito::error::ErrorContext;
use crate::cognito::layer::{Latency, Layered};
use crate::cognito::sdk::{CallerIdentity, CredentialSource, ProfilePaths, SdkBackend, SdkOptions};
use crate::cognito::{Backend, CognitoError, ErrorKind, PoolId, PoolIdError, WriteAction, Writer};
use crate::config::{self, Config, ConfigError};
use crate::ratelimit::{BackoffPolicy, RateLimitedBackend, RateLimiter};

/// Artificial latency for the demo pool, in milliseconds, to see the spinner (default 0).
pub const DEMO_LATENCY_ENV: &str = "COGNITO_TUI_DEMO_LATENCY_MS";

/// Why the target arguments name no usable pool.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SessionError {
    /// The config file could not be used.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// `--pool` is not a pool id (and the config file names no pools).
    #[error(transparent)]
    PoolId(#[from] PoolIdError),
    /// `--pool` is neither a pool id nor one of the config file's pool names.
    #[error("{source}, nor a pool named in the config file ({known})")]
    UnknownPool {
        /// Why it is not a pool id.
        source: PoolIdError,
        /// The names the config file defines, comma-separated.
        known: String,
    },
    /// `--audit-syslog` (or `audit_syslog` in the config) without a file: what is shipped are
    /// the file's lines, links of its hash chain.
    #[error(
        "--audit-syslog (or audit_syslog in the config file) ships the audit log's lines: give \
         --audit-log FILE too (the file is the record; syslog gets a copy of each line)"
    )]
    SyslogWithoutLog,
    /// Neither `--pool` nor `--demo`.
    #[error("no user pool: pass --pool POOL_ID (or --demo to try the demo pool)")]
    NoPool,
}

/// Why a pool switch was refused; the session stays on the pool it had.
#[derive(Debug, Clone, thiserror::Error)]
pub enum SwitchError {
    /// The pool named is neither a pool id nor a pool of the config file.
    #[error(transparent)]
    Target(#[from] SessionError),
    /// DescribeUserPool of the new pool failed: it does not exist there, or no credentials.
    #[error("{error}")]
    Pool {
        /// Where the request went, for the hint.
        info: Box<SessionInfo>,
        error: CognitoError,
    },
}

/// The backend and pool a session works on.
#[derive(Clone)]
pub struct Session {
    /// Every read goes here.
    pub backend: Arc<dyn Backend>,
    /// The write capability: `None` without `--allow-write`, so no write can be sent.
    pub writer: Option<Arc<dyn Writer>>,
    pub pool: PoolId,
    /// Where requests go: what the TUI is told when the worker connects.
    pub info: SessionInfo,
    /// The client-side rate limiter every request goes through (None for the demo pool);
    /// `subscribe()` gives the throttle indicator.
    pub limiter: Option<Arc<RateLimiter>>,
    /// Which credentials sign the requests (none for the demo pool).
    credentials: Option<CredentialSource>,
    /// Who they are, asked of STS once (none for the demo pool).
    caller: Option<CallerIdentity>,
}

impl Session {
    /// The credentials the requests are signed with, as the audit records them:
    /// `environment`, `profile NAME (SSO)`, `profile NAME (keys)`, `instance role`, … — the
    /// link of the chain that answered, or the only one there can be (a named profile); `None`
    /// for the demo pool, or before the default chain first answered.
    pub fn credential_source(&self) -> Option<String> {
        self.credentials
            .as_ref()
            .and_then(CredentialSource::current)
    }

    /// The caller's ARN for the audit's start line (STS GetCallerIdentity: one request the
    /// first time, none after); `None` for the demo pool, or when STS is not asked (an
    /// endpoint override without `AWS_ENDPOINT_URL_STS`).
    pub async fn caller_arn(&self) -> Option<String> {
        self.caller.as_ref()?.arn().await
    }

    /// Context for error hints.
    pub fn error_context(&self) -> ErrorContext<'_> {
        self.info.error_context(self.pool.region())
    }

    /// One write action on this session's pool. Without a writer it is refused here, and no
    /// request exists that could reach Cognito.
    pub async fn write(&self, username: &str, action: WriteAction) -> Result<(), CognitoError> {
        match &self.writer {
            Some(writer) => writer.write(&self.pool, username, action).await,
            None => Err(CognitoError::new(
                ErrorKind::ReadOnly,
                action.operation(),
                "refused locally: cognito-tui is read-only without --allow-write",
            )),
        }
    }
}

/// Where requests go, as the worker found out when it connected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionInfo {
    pub pool: String,
    /// The Region requests go to (None for the demo pool).
    pub region: Option<String>,
    pub profile: Option<String>,
    /// Where requests go, for messages.
    pub target: String,
}

impl SessionInfo {
    /// Where a request for the pool went, for error hints.
    pub fn error_context<'a>(&'a self, pool_region: Option<&'a str>) -> ErrorContext<'a> {
        ErrorContext {
            pool: Some(&self.pool),
            pool_region,
            region: self.region.as_deref(),
            profile: self.profile.as_deref(),
            target: Some(&self.target),
        }
    }
}

/// The target arguments with the config file applied, derived once per command.
#[derive(Debug, Clone)]
pub struct Target {
    /// The arguments, with a named pool's id, profile, Region and endpoint filled in.
    pub args: TargetArgs,
    /// The config file (defaults when there is none).
    pub config: Config,
    /// What the AWS SDK takes from elsewhere than the flags: the environment by default.
    pub sdk: SdkSettings,
    /// The arguments as given, before the config applied: another pool starts from these.
    given: TargetArgs,
}

/// What a [`Target`] tells the AWS SDK beyond the flags and the config file: fixed
/// credentials and AWS files of its own instead of the environment's (tests, embedding).
/// The default takes both from the environment, as the AWS CLI does.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SdkSettings {
    /// Access key id and secret: the only credentials, no chain (no instance metadata).
    pub static_credentials: Option<(String, String)>,
    /// The AWS config and credentials files instead of the environment's; `AWS_PROFILE` is
    /// not read then either.
    pub profile_paths: Option<ProfilePaths>,
    /// Where an assume-role profile with `mfa_serial` asks for its code: the TUI's popup
    /// (set by the worker); `None` asks on the terminal.
    pub mfa_prompt: Option<crate::cognito::mfa_code::MfaPrompt>,
}

impl Target {
    /// Reads the config file and applies it: a `--pool` that names a configured pool becomes
    /// that pool's id (even when the name looks like a pool id, such as `prod_us`), and its
    /// profile, Region and endpoint apply unless given on the command line.
    pub fn resolve(args: &TargetArgs) -> Result<Self, SessionError> {
        let config = config::load(args.config.as_deref())?;
        Self::apply(args, config)
    }

    /// Defaults only: no config file is read.
    pub fn without_config(args: &TargetArgs) -> Self {
        Self {
            args: args.clone(),
            config: Config::default(),
            sdk: SdkSettings::default(),
            given: args.clone(),
        }
    }

    /// The same arguments and config file for another pool (a pool id, or a name the config
    /// file defines), as if it had been given with `--pool`. The file is not read again.
    pub fn for_pool(&self, pool: &str) -> Result<Self, SessionError> {
        let mut given = self.given.clone();
        given.pool = Some(pool.to_string());
        let mut target = Self::apply(&given, self.config.clone())?;
        target.sdk = self.sdk.clone();
        Ok(target)
    }

    fn apply(given: &TargetArgs, config: Config) -> Result<Self, SessionError> {
        let mut args = given.clone();
        args.redact |= config.redact;
        if let Some(name) = args.pool.clone() {
            let name = name.trim();
            if let Some(named) = config.pool(name) {
                args.pool = Some(named.pool_id.clone());
                args.profile = args.profile.or_else(|| named.profile.clone());
                args.region = args.region.or_else(|| named.region.clone());
                args.endpoint_url = args.endpoint_url.or_else(|| named.endpoint_url.clone());
                args.allow_write |= named.allow_write;
            } else if let Err(source) = PoolId::parse(name) {
                let known: Vec<&str> = config.pools.keys().map(String::as_str).collect();
                return Err(if known.is_empty() {
                    source.into()
                } else {
                    SessionError::UnknownPool {
                        source,
                        known: known.join(", "),
                    }
                });
            }
        }
        // An explicitly named profile, whichever way: the flag, the pool's, the file's.
        args.profile = args.profile.or_else(|| config.profile.clone());
        args.audit_syslog = args.audit_syslog.or_else(|| config.audit_syslog.clone());
        if args.audit_syslog.is_some() && args.audit_log.is_none() {
            return Err(SessionError::SyslogWithoutLog);
        }
        Ok(Self {
            args,
            config,
            sdk: SdkSettings::default(),
            given: given.clone(),
        })
    }

    /// Which pool, and whether it is the demo. No IO.
    pub fn pool(&self) -> Result<(PoolId, bool), SessionError> {
        let pool = self.args.pool.as_deref().map(PoolId::parse).transpose()?;
        match (pool, self.args.demo) {
            (Some(pool), demo) => Ok((pool, demo)),
            (None, true) => Ok((DemoBackend::embedded().pool_id(), true)),
            (None, false) => Err(SessionError::NoPool),
        }
    }

    /// Builds the session. For AWS this loads configuration but resolves no credentials yet.
    pub async fn connect(&self, pool: PoolId, demo: bool) -> Session {
        let stack = self.stack(Some(&pool), demo).await;
        let from_env = || std::env::var("AWS_PROFILE").ok().filter(|p| !p.is_empty());
        let profile = match demo {
            true => None,
            false => (self.args.profile.clone())
                .or_else(|| self.sdk.profile_paths.is_none().then(from_env).flatten()),
        };
        Session {
            backend: stack.backend,
            writer: stack.writer,
            info: SessionInfo {
                pool: pool.to_string(),
                region: stack.region,
                profile,
                target: stack.target,
            },
            pool,
            limiter: stack.limiter,
            credentials: stack.credentials,
            caller: stack.caller,
        }
    }

    /// [`Target::for_pool`], checked and connected: the session of pool `pool` (a config
    /// name or an id) with this target's config applied.
    pub async fn connect_to(&self, pool: &str) -> Result<Session, SessionError> {
        let target = self.for_pool(pool)?;
        let (pool, demo) = target.pool()?;
        Ok(target.connect(pool, demo).await)
    }

    /// A backend with no pool yet, for the TUI's pool picker (ListUserPools); the Region
    /// comes from flags, environment or profile.
    pub async fn connect_without_pool(&self) -> Arc<dyn Backend> {
        self.stack(None, self.args.demo).await.backend
    }

    /// The one place the backend stack is built: the demo pool (with its optional latency) or
    /// the SDK behind the rate limiter; a writer only with `--allow-write`.
    async fn stack(&self, pool: Option<&PoolId>, demo: bool) -> Stack {
        let allow_write = self.args.allow_write;
        if demo {
            // The embedded pool of that id; any other id is answered "pool not found".
            let demo = pool.map_or_else(DemoBackend::embedded, DemoBackend::for_pool);
            let backend = Layered::wrap(Latency(demo_latency()), demo);
            return Stack::new(Arc::new(backend), allow_write, None);
        }
        let options = sdk_options(&self.args, &self.config, &self.sdk);
        let sdk = SdkBackend::connect(&options, pool).await;
        let region = sdk.region().map(str::to_string);
        let credentials = sdk.credential_source();
        let caller = sdk.caller_identity();
        let limiter = limiter(&self.args, &self.config, region.as_deref());
        let limited = RateLimitedBackend::new(sdk, limiter.clone());
        let mut stack = Stack::new(Arc::new(limited), allow_write, region);
        stack.limiter = Some(limiter);
        stack.credentials = Some(credentials);
        stack.caller = Some(caller);
        stack
    }
}

struct Stack {
    backend: Arc<dyn Backend>,
    writer: Option<Arc<dyn Writer>>,
    target: String,
    region: Option<String>,
    limiter: Option<Arc<RateLimiter>>,
    credentials: Option<CredentialSource>,
    caller: Option<CallerIdentity>,
}

impl Stack {
    fn new<B: Backend + Writer + 'static>(
        backend: Arc<B>,
        allow_write: bool,
        region: Option<String>,
    ) -> Self {
        Self {
            target: backend.describe_target(),
            writer: allow_write.then(|| backend.clone() as Arc<dyn Writer>),
            backend,
            region,
            limiter: None,
            credentials: None,
            caller: None,
        }
    }
}

/// The target arguments with the config file applied, and the config.
pub fn effective_target(args: &TargetArgs) -> Result<(TargetArgs, Config), SessionError> {
    Target::resolve(args).map(|t| (t.args, t.config))
}

/// Checks the target arguments without any IO: which pool, and whether it is the demo.
/// Reads the config file to resolve pool names.
pub fn resolve_pool(args: &TargetArgs) -> Result<(PoolId, bool), SessionError> {
    Target::resolve(args)?.pool()
}

/// [`Target::connect`] from raw arguments; a config error (reported by [`resolve_pool`]
/// already) only means defaults here.
pub async fn connect(args: &TargetArgs, pool: PoolId, demo: bool) -> Session {
    target_or_defaults(args).connect(pool, demo).await
}

fn target_or_defaults(args: &TargetArgs) -> Target {
    Target::resolve(args).unwrap_or_else(|_| Target::without_config(args))
}

/// The demo latency from [`DEMO_LATENCY_ENV`] (zero when unset or not a number).
fn demo_latency() -> Duration {
    std::env::var(DEMO_LATENCY_ENV)
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
        .map_or(Duration::ZERO, Duration::from_millis)
}

fn sdk_options(args: &TargetArgs, config: &Config, sdk: &SdkSettings) -> SdkOptions {
    SdkOptions {
        profile: args.profile.clone(),
        region: args.region.clone(),
        endpoint_url: args.endpoint_url.clone(),
        timeout: args.timeout,
        static_credentials: sdk.static_credentials.clone(),
        profile_paths: sdk.profile_paths.clone(),
        mfa_prompt: sdk.mfa_prompt.clone(),
        operator: config
            .operator
            .clone()
            .unwrap_or_else(crate::login::os_user),
    }
}

/// The limiter for this session's quota budget: one per account and Region (known here by
/// the profile, Region and endpoint that reach it) and limits, shared by every session of
/// this process that draws on the same budget — two named pools in one account, the TUI's
/// pool switches, every export stream — so together they never exceed the limits.
fn limiter(args: &TargetArgs, config: &Config, region: Option<&str>) -> Arc<RateLimiter> {
    type Budgets = Mutex<HashMap<String, Arc<RateLimiter>>>;
    static BUDGETS: OnceLock<Budgets> = OnceLock::new();
    let profile = args
        .profile
        .clone()
        .or_else(|| std::env::var("AWS_PROFILE").ok());
    let key = format!(
        "{profile:?} {region:?} {:?} {:?} {}",
        args.endpoint_url, config.rate_limits, args.max_attempts
    );
    let mut budgets = BUDGETS
        .get_or_init(Budgets::default)
        .lock()
        .unwrap_or_else(|p| p.into_inner());
    let limiter = budgets.entry(key).or_insert_with(|| {
        Arc::new(
            RateLimiter::new(config.rate_limits, BackoffPolicy::SESSION)
                .with_attempts(args.max_attempts),
        )
    });
    limiter.clone()
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    fn target(config: &std::path::Path, pool: &str) -> TargetArgs {
        let config = config.to_str().unwrap();
        crate::cli::Cli::parse_from(["cognito-tui", "--config", config, "--pool", pool]).target
    }

    #[test]
    fn a_configured_name_wins_even_when_it_looks_like_a_pool_id() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        std::fs::write(
            &path,
            "[pools.prod_us]\npool_id = \"us-east-1_Real1\"\nregion = \"us-east-1\"\n",
        )
        .unwrap();
        let resolved = Target::resolve(&target(&path, "prod_us")).unwrap();
        assert_eq!(resolved.args.region.as_deref(), Some("us-east-1"));
        assert_eq!(
            resolved.pool().unwrap(),
            (PoolId::parse("us-east-1_Real1").unwrap(), false)
        );
        // A pool id the config does not name is still taken as given.
        let (pool, _) = resolve_pool(&target(&path, "eu-west-1_Other")).unwrap();
        assert_eq!(pool.as_str(), "eu-west-1_Other");
        let err = resolve_pool(&target(&path, "prod")).unwrap_err();
        assert!(
            matches!(&err, SessionError::UnknownPool { known, .. } if known == "prod_us"),
            "{err}"
        );
    }

    #[tokio::test]
    async fn pools_of_one_account_and_region_share_one_limiter() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        std::fs::write(
            &path,
            "[pools.a]\npool_id = \"eu-west-1_Aaa111\"\nprofile = \"p1\"\n\
             endpoint_url = \"http://127.0.0.1:9\"\n\
             [pools.b]\npool_id = \"eu-west-1_Bbb222\"\nprofile = \"p1\"\n\
             endpoint_url = \"http://127.0.0.1:9\"\n\
             [pools.c]\npool_id = \"eu-west-1_Ccc333\"\nprofile = \"p2\"\n\
             endpoint_url = \"http://127.0.0.1:9\"\n",
        )
        .unwrap();
        let target = Target::resolve(&target(&path, "a")).unwrap();
        let limiter = |pool: &'static str| {
            let target = target.for_pool(pool).unwrap();
            async move { target.connect_to(pool).await.unwrap().limiter.unwrap() }
        };
        let (a, b, c) = (limiter("a").await, limiter("b").await, limiter("c").await);
        assert!(Arc::ptr_eq(&a, &b), "one budget for one profile and Region");
        assert!(
            !Arc::ptr_eq(&a, &c),
            "another profile is another account's budget"
        );
    }

    #[tokio::test]
    async fn read_only_sessions_hold_no_writer() {
        let args = crate::cli::Cli::parse_from(["cognito-tui", "--demo"]).target;
        let target = Target::without_config(&args);
        let (pool, demo) = target.pool().unwrap();
        let session = target.connect(pool.clone(), demo).await;
        assert!(session.writer.is_none());
        let err = session
            .write("alice", WriteAction::DisableUser)
            .await
            .unwrap_err();
        assert_eq!(err.kind, ErrorKind::ReadOnly);

        let mut writable = target.clone();
        writable.args.allow_write = true;
        let session = writable.connect(pool, demo).await;
        session
            .write("alice", WriteAction::DisableUser)
            .await
            .unwrap();
        let alice = session
            .backend
            .admin_get_user(&session.pool, "alice")
            .await
            .unwrap();
        assert!(
            !alice.enabled,
            "the write reached the same demo pool the reads see"
        );
    }
}
