//! A session: the chosen backend, pool and where requests go. Shared by the TUI and the
//! one-shot commands so both build their backend the same way.

use std::sync::Arc;

use crate::cli::TargetArgs;
use crate::cognito::demo::DemoBackend;
use crate::cognito::error::ErrorContext;
use crate::cognito::guard::ReadOnly;
use crate::cognito::sdk::{SdkBackend, SdkOptions};
use crate::cognito::{Backend, PoolId};
use crate::config::{self, Config};
use crate::ratelimit::{BackoffPolicy, RateLimitedBackend, RateLimiter};

/// The backend and pool a session works on.
#[derive(Clone)]
pub struct Session {
    pub backend: Arc<dyn Backend>,
    pub pool: PoolId,
    /// Where requests go: what the TUI is told when the worker connects.
    pub info: SessionInfo,
    /// The client-side rate limiter every request goes through (None for the demo pool);
    /// `subscribe()` gives the throttle indicator.
    pub limiter: Option<Arc<RateLimiter>>,
}

impl Session {
    /// Context for error hints.
    pub fn error_context(&self) -> ErrorContext<'_> {
        self.info.error_context(self.pool.region())
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

/// The target arguments with the config file applied, and the config: a `--pool` that is not
/// a pool id but names a configured pool becomes that pool's id, and its profile, Region and
/// endpoint apply unless given on the command line.
pub fn effective_target(args: &TargetArgs) -> Result<(TargetArgs, Config), String> {
    let config = config::load(args.config.as_deref()).map_err(|e| e.to_string())?;
    let mut args = args.clone();
    if let Some(name) = args.pool.clone()
        && let Err(not_an_id) = PoolId::parse(&name)
    {
        let Some(named) = config.pool(name.trim()) else {
            let known: Vec<&str> = config.pools.keys().map(String::as_str).collect();
            return Err(if known.is_empty() {
                not_an_id
            } else {
                format!(
                    "{not_an_id}, nor a pool named in the config file ({})",
                    known.join(", ")
                )
            });
        };
        args.pool = Some(named.pool_id.clone());
        args.profile = args.profile.or_else(|| named.profile.clone());
        args.region = args.region.or_else(|| named.region.clone());
        args.endpoint_url = args.endpoint_url.or_else(|| named.endpoint_url.clone());
        args.allow_write |= named.allow_write;
    }
    Ok((args, config))
}

/// Checks the target arguments without any IO: which pool, and whether it is the demo.
/// Reads the config file to resolve pool names.
pub fn resolve_pool(args: &TargetArgs) -> Result<(PoolId, bool), String> {
    let (args, _) = effective_target(args)?;
    if args.demo {
        let demo_pool = DemoBackend::embedded().pool_id();
        let pool = match &args.pool {
            Some(p) => PoolId::parse(p)?,
            None => demo_pool,
        };
        return Ok((pool, true));
    }
    match &args.pool {
        Some(p) => Ok((PoolId::parse(p)?, false)),
        None => Err("no user pool: pass --pool POOL_ID (or --demo to try the demo pool)".into()),
    }
}

/// Without `--allow-write`, `backend` behind a guard that refuses every write locally.
fn guard_writes(backend: Arc<dyn Backend>, allow_write: bool) -> Arc<dyn Backend> {
    if allow_write {
        backend
    } else {
        Arc::new(ReadOnly::new(backend))
    }
}

/// Builds the backend. For AWS this loads configuration but resolves no credentials yet.
/// Without `--allow-write` the backend refuses every write before it reaches Cognito.
/// Every AWS request goes through a rate limiter with the config file's limits.
pub async fn connect(args: &TargetArgs, pool: PoolId, demo: bool) -> Session {
    // resolve_pool reported config errors already; here they only mean defaults.
    let (args, config) =
        effective_target(args).unwrap_or_else(|_| (args.clone(), Config::default()));
    let args = &args;
    if demo {
        let backend = DemoBackend::embedded();
        return Session {
            info: SessionInfo {
                pool: pool.to_string(),
                region: None,
                profile: None,
                target: backend.describe_target(),
            },
            backend: guard_writes(Arc::new(backend), args.allow_write),
            pool,
            limiter: None,
        };
    }
    let backend = SdkBackend::connect(&sdk_options(args), Some(&pool)).await;
    let limiter = limiter(&config);
    Session {
        info: SessionInfo {
            pool: pool.to_string(),
            region: backend.region().map(str::to_string),
            profile: args
                .profile
                .clone()
                .or_else(|| std::env::var("AWS_PROFILE").ok().filter(|p| !p.is_empty())),
            target: backend.describe_target(),
        },
        backend: guard_writes(
            Arc::new(RateLimitedBackend::new(backend, limiter.clone())),
            args.allow_write,
        ),
        limiter: Some(limiter),
        pool,
    }
}

/// A backend with no pool yet, for the TUI's pool picker (ListUserPools): the same options,
/// rate limiter and write guard as [`connect`]; the Region comes from flags, environment or
/// profile. The demo backend when `--demo`.
pub async fn connect_without_pool(args: &TargetArgs) -> Arc<dyn Backend> {
    let (args, config) =
        effective_target(args).unwrap_or_else(|_| (args.clone(), Config::default()));
    if args.demo {
        return guard_writes(Arc::new(DemoBackend::embedded()), args.allow_write);
    }
    let backend = SdkBackend::connect(&sdk_options(&args), None).await;
    guard_writes(
        Arc::new(RateLimitedBackend::new(backend, limiter(&config))),
        args.allow_write,
    )
}

fn sdk_options(args: &TargetArgs) -> SdkOptions {
    SdkOptions {
        profile: args.profile.clone(),
        region: args.region.clone(),
        endpoint_url: args.endpoint_url.clone(),
        timeout: args.timeout,
        max_attempts: args.max_attempts,
        static_credentials: None,
    }
}

fn limiter(config: &Config) -> Arc<RateLimiter> {
    Arc::new(RateLimiter::new(
        config.rate_limits,
        // The SDK already retries a throttled request with its own backoff, bounded by
        // --max-attempts; retrying again here would multiply the attempts. The limiter only
        // backs off what follows.
        BackoffPolicy {
            retries: 0,
            ..BackoffPolicy::default()
        },
    ))
}
