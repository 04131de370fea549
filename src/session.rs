//! A session: the chosen backend, pool and where requests go. Shared by the TUI and the
//! one-shot commands so both build their backend the same way.

use std::sync::Arc;

use crate::cli::TargetArgs;
use crate::cognito::demo::DemoBackend;
use crate::cognito::error::ErrorContext;
use crate::cognito::sdk::{SdkBackend, SdkOptions};
use crate::cognito::{Backend, PoolId};

/// The backend and pool a session works on.
#[derive(Clone)]
pub struct Session {
    pub backend: Arc<dyn Backend>,
    pub pool: PoolId,
    pub profile: Option<String>,
    /// The Region requests go to (None for the demo pool).
    pub region: Option<String>,
    /// Where requests go, for messages.
    pub target: String,
}

impl Session {
    /// Context for error hints.
    pub fn error_context(&self) -> ErrorContext<'_> {
        ErrorContext {
            pool: Some(self.pool.as_str()),
            pool_region: self.pool.region(),
            region: self.region.as_deref(),
            profile: self.profile.as_deref(),
            target: Some(&self.target),
        }
    }
}

/// Checks the target arguments without any IO: which pool, and whether it is the demo.
pub fn resolve_pool(args: &TargetArgs) -> Result<(PoolId, bool), String> {
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

/// Builds the backend. For AWS this loads configuration but resolves no credentials yet.
pub async fn connect(args: &TargetArgs, pool: PoolId, demo: bool) -> Session {
    if demo {
        let backend = DemoBackend::embedded();
        return Session {
            target: backend.describe_target(),
            backend: Arc::new(backend),
            pool,
            profile: None,
            region: None,
        };
    }
    let options = SdkOptions {
        profile: args.profile.clone(),
        region: args.region.clone(),
        endpoint_url: args.endpoint_url.clone(),
        timeout: args.timeout,
        max_attempts: args.max_attempts,
        static_credentials: None,
    };
    let backend = SdkBackend::connect(&options, Some(&pool)).await;
    Session {
        target: backend.describe_target(),
        region: backend.region().map(str::to_string),
        backend: Arc::new(backend),
        pool,
        profile: args
            .profile
            .clone()
            .or_else(|| std::env::var("AWS_PROFILE").ok().filter(|p| !p.is_empty())),
    }
}
