//! The AWS backend. This is the only module that touches aws-sdk types: it builds the client
//! from aws-config's default chain and maps every SDK answer and error into our domain.

use std::time::Duration;

use async_trait::async_trait;
use aws_config::environment::EnvironmentVariableRegionProvider;
use aws_config::meta::region::RegionProviderChain;
use aws_config::profile::ProfileFileRegionProvider;
use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region};
use aws_sdk_cognitoidentityprovider as cip;
use aws_sdk_cognitoidentityprovider::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use time::OffsetDateTime;

use super::{
    Attribute, Backend, CognitoError, ErrorKind, ListFilter, MfaOption, PoolId, PoolPage,
    PoolSchema, PoolSummary, User, UserPage, UserStatus, UserSummary,
};
use super::{AuthEvent, Device, Group, Page, WriteAction};

/// Default bound on one operation, retries included.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(20);

/// How to reach Cognito.
#[derive(Debug, Clone)]
pub struct SdkOptions {
    pub profile: Option<String>,
    pub region: Option<String>,
    /// `--endpoint-url`; `AWS_ENDPOINT_URL` is honoured by aws-config itself.
    pub endpoint_url: Option<String>,
    /// Bound on one operation including its retries.
    pub timeout: Duration,
    /// Attempts per request, first one included (throttling and 5xx are retried).
    pub max_attempts: u32,
    /// Fixed credentials instead of the default chain (tests, embedding); never probes IMDS.
    pub static_credentials: Option<(String, String)>,
}

impl Default for SdkOptions {
    fn default() -> Self {
        Self {
            profile: None,
            region: None,
            endpoint_url: None,
            timeout: DEFAULT_TIMEOUT,
            max_attempts: 3,
            static_credentials: None,
        }
    }
}

/// Cognito through the AWS SDK.
#[derive(Debug, Clone)]
pub struct SdkBackend {
    client: cip::Client,
    region: Option<String>,
    target: String,
    timeout: Duration,
}

impl SdkBackend {
    /// Loads configuration (profile, Region, endpoint). Credentials are resolved lazily, on
    /// the first request, so this returns quickly even where the credential chain is slow.
    /// Region order: `--region`, the environment, the profile, the pool id, then the rest of
    /// the default chain (instance metadata).
    pub async fn connect(options: &SdkOptions, pool: Option<&PoolId>) -> Self {
        let mut profile_region = ProfileFileRegionProvider::builder();
        if let Some(profile) = &options.profile {
            profile_region = profile_region.profile_name(profile);
        }
        let region_chain = RegionProviderChain::first_try(options.region.clone().map(Region::new))
            .or_else(EnvironmentVariableRegionProvider::new())
            .or_else(profile_region.build())
            .or_else(
                pool.and_then(|p| p.region())
                    .map(|r| Region::new(r.to_string())),
            )
            .or_default_provider();

        let connect_timeout = options.timeout.min(Duration::from_secs(5));
        let mut loader = aws_config::defaults(BehaviorVersion::latest())
            .region(region_chain)
            .timeout_config(
                TimeoutConfig::builder()
                    .operation_timeout(options.timeout)
                    .connect_timeout(connect_timeout)
                    .build(),
            )
            .retry_config(RetryConfig::standard().with_max_attempts(options.max_attempts.max(1)));
        if let Some(profile) = &options.profile {
            loader = loader.profile_name(profile);
        }
        if let Some(url) = &options.endpoint_url {
            loader = loader.endpoint_url(url);
        }
        if let Some((access_key, secret_key)) = &options.static_credentials {
            loader = loader.credentials_provider(
                aws_sdk_cognitoidentityprovider::config::Credentials::new(
                    access_key,
                    secret_key,
                    None,
                    None,
                    "cognito-tui-static",
                ),
            );
        }
        let config = loader.load().await;
        let region = config.region().map(|r| r.to_string());
        let target = match (&options.endpoint_url, std::env::var("AWS_ENDPOINT_URL")) {
            (Some(url), _) => url.clone(),
            (None, Ok(url)) if !url.is_empty() => url,
            _ => match &region {
                Some(r) => format!("Cognito in {r}"),
                None => "Cognito (no Region configured)".into(),
            },
        };
        Self {
            client: cip::Client::new(&config),
            region,
            target,
            timeout: options.timeout,
        }
    }

    /// The Region requests go to, if one was found.
    pub fn region(&self) -> Option<&str> {
        self.region.as_deref()
    }

    fn no_region(&self, operation: &'static str) -> Option<CognitoError> {
        self.region.is_none().then(|| {
            CognitoError::new(
                ErrorKind::Configuration,
                operation,
                "no AWS Region: pass --region, set AWS_REGION, or use a pool id that starts \
                 with its Region (us-east-1_…)",
            )
        })
    }

    fn map_error<E>(&self, operation: &'static str, err: SdkError<E, HttpResponse>) -> CognitoError
    where
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    {
        map_sdk_error(operation, err, self.timeout)
    }
}

/// Maps any SDK error into our domain error. Kept apart so it is testable on its own.
fn map_sdk_error<E>(
    operation: &'static str,
    err: SdkError<E, HttpResponse>,
    timeout: Duration,
) -> CognitoError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    let full = DisplayErrorContext(&err).to_string();
    tracing::debug!(operation, error = %full, "request failed");
    let detail = concise(&full);
    match &err {
        SdkError::ServiceError(ctx) => {
            let status = ctx.raw().status().as_u16();
            let code = ctx.err().code().map(str::to_string);
            let message = ctx.err().message().unwrap_or_default().to_string();
            let kind = match code.as_deref() {
                Some("Unsupported" | "UnsupportedOperationException" | "NotImplemented") => {
                    ErrorKind::Unsupported
                }
                Some(code) => match CognitoError::kind_for_exception(code) {
                    ErrorKind::Other if status >= 500 => ErrorKind::Internal,
                    kind => kind,
                },
                None if status == 403 => ErrorKind::AccessDenied,
                None if status >= 500 => ErrorKind::Internal,
                None => ErrorKind::Other,
            };
            let message = if message.is_empty() && code.is_none() {
                format!("HTTP {status} with no Cognito error in the body")
            } else {
                message
            };
            let mut mapped = CognitoError::new(kind, operation, message);
            mapped.exception = code;
            mapped
        }
        SdkError::TimeoutError(_) => {
            let mut mapped = CognitoError::new(
                ErrorKind::Timeout,
                operation,
                format!("no answer within {} s", timeout.as_secs_f64()),
            );
            mapped.timeout = Some(timeout);
            mapped
        }
        SdkError::DispatchFailure(failure) => {
            if failure.is_timeout() {
                let mut mapped = CognitoError::new(ErrorKind::Timeout, operation, detail);
                mapped.timeout = Some(timeout);
                mapped
            } else if looks_like_credentials_problem(&detail) {
                CognitoError::new(ErrorKind::Credentials, operation, detail)
            } else {
                CognitoError::new(ErrorKind::Network, operation, detail)
            }
        }
        SdkError::ResponseError(ctx) => {
            let status = ctx.raw().status().as_u16();
            // A 5xx whose body is not JSON (a proxy's or emulator's HTML page) is still a
            // server error, retried like one.
            let kind = if status >= 500 {
                ErrorKind::Internal
            } else {
                ErrorKind::Other
            };
            CognitoError::new(
                kind,
                operation,
                format!(
                    "the endpoint sent HTTP {status} with an answer that is not a Cognito \
                     response: {detail}"
                ),
            )
        }
        _ if looks_like_credentials_problem(&detail) => {
            CognitoError::new(ErrorKind::Credentials, operation, detail)
        }
        _ => CognitoError::new(ErrorKind::Other, operation, detail),
    }
}

/// The readable head of an SDK error chain, without the Debug dump the SDK appends.
fn concise(full: &str) -> String {
    let head = full
        .split(['\n'])
        .next()
        .unwrap_or(full)
        .split(" (DispatchFailure")
        .next()
        .unwrap_or(full)
        .split(" (ResponseError")
        .next()
        .unwrap_or(full)
        .split(" (TimeoutError")
        .next()
        .unwrap_or(full)
        .replace("\\n", " ");
    let mut head = head.as_str();
    for prefix in ["dispatch failure: ", "other: ", "io error: "] {
        head = head.strip_prefix(prefix).unwrap_or(head);
    }
    let head = head.trim_end_matches(" Attempted:").trim();
    head.to_string()
}

fn looks_like_credentials_problem(detail: &str) -> bool {
    let lower = detail.to_lowercase();
    [
        "credential",
        "identity",
        "sso",
        "token has expired",
        "no profile",
        "profile",
    ]
    .iter()
    .any(|needle| lower.contains(needle))
}

fn to_time(dt: Option<aws_smithy_types::DateTime>) -> Option<OffsetDateTime> {
    let dt = dt?;
    let nanos = i128::from(dt.secs()) * 1_000_000_000 + i128::from(dt.subsec_nanos());
    OffsetDateTime::from_unix_timestamp_nanos(nanos).ok()
}

fn to_attributes(attrs: Option<Vec<cip::types::AttributeType>>) -> Vec<Attribute> {
    attrs
        .unwrap_or_default()
        .into_iter()
        .map(|a| Attribute {
            name: a.name,
            value: a.value,
        })
        .collect()
}

fn to_mfa_options(options: Option<Vec<cip::types::MfaOptionType>>) -> Option<Vec<MfaOption>> {
    options.map(|list| {
        list.into_iter()
            .map(|o| MfaOption {
                delivery_medium: o.delivery_medium.map(|d| d.as_str().to_string()),
                attribute_name: o.attribute_name,
            })
            .collect()
    })
}

fn to_status(status: Option<cip::types::UserStatusType>) -> Option<UserStatus> {
    status.map(|s| UserStatus::from_wire(s.as_str()))
}

#[async_trait]
impl Backend for SdkBackend {
    async fn admin_get_user(&self, pool: &PoolId, username: &str) -> Result<User, CognitoError> {
        if let Some(e) = self.no_region("AdminGetUser") {
            return Err(e);
        }
        let out = self
            .client
            .admin_get_user()
            .user_pool_id(pool.as_str())
            .username(username)
            .send()
            .await
            .map_err(|e| self.map_error("AdminGetUser", e))?;
        Ok(User {
            username: out.username,
            attributes: to_attributes(out.user_attributes),
            created: to_time(out.user_create_date),
            last_modified: to_time(out.user_last_modified_date),
            enabled: out.enabled,
            status: to_status(out.user_status),
            mfa_options: to_mfa_options(out.mfa_options),
            preferred_mfa: out.preferred_mfa_setting,
            mfa_settings: out.user_mfa_setting_list,
        })
    }

    async fn list_users(
        &self,
        pool: &PoolId,
        filter: Option<&ListFilter>,
        limit: i32,
        pagination_token: Option<&str>,
    ) -> Result<UserPage, CognitoError> {
        if let Some(e) = self.no_region("ListUsers") {
            return Err(e);
        }
        let out = self
            .client
            .list_users()
            .user_pool_id(pool.as_str())
            .set_filter(filter.map(ListFilter::expression))
            .limit(limit)
            .set_pagination_token(pagination_token.map(str::to_string))
            .send()
            .await
            .map_err(|e| self.map_error("ListUsers", e))?;
        let users = out
            .users
            .unwrap_or_default()
            .into_iter()
            .map(|u| UserSummary {
                username: u.username.unwrap_or_default(),
                attributes: to_attributes(u.attributes),
                created: to_time(u.user_create_date),
                last_modified: to_time(u.user_last_modified_date),
                enabled: u.enabled,
                status: to_status(u.user_status),
            })
            .collect();
        Ok(UserPage {
            users,
            next_token: out.pagination_token.filter(|t| !t.is_empty()),
        })
    }

    async fn describe_pool(&self, pool: &PoolId) -> Result<PoolSchema, CognitoError> {
        if let Some(e) = self.no_region("DescribeUserPool") {
            return Err(e);
        }
        let out = self
            .client
            .describe_user_pool()
            .user_pool_id(pool.as_str())
            .send()
            .await
            .map_err(|e| self.map_error("DescribeUserPool", e))?;
        let Some(pool) = out.user_pool else {
            return Ok(PoolSchema::default());
        };
        Ok(PoolSchema {
            estimated_users: u64::try_from(pool.estimated_number_of_users).ok(),
            name: pool.name,
            username_attributes: pool
                .username_attributes
                .unwrap_or_default()
                .iter()
                .map(|a| a.as_str().to_string())
                .collect(),
            alias_attributes: pool
                .alias_attributes
                .unwrap_or_default()
                .iter()
                .map(|a| a.as_str().to_string())
                .collect(),
        })
    }

    async fn list_user_pools(
        &self,
        max_results: i32,
        next_token: Option<&str>,
    ) -> Result<PoolPage, CognitoError> {
        if let Some(e) = self.no_region("ListUserPools") {
            return Err(e);
        }
        let out = self
            .client
            .list_user_pools()
            .max_results(max_results)
            .set_next_token(next_token.map(str::to_string))
            .send()
            .await
            .map_err(|e| self.map_error("ListUserPools", e))?;
        Ok(PoolPage {
            pools: out
                .user_pools
                .unwrap_or_default()
                .into_iter()
                .map(|p| PoolSummary {
                    id: p.id.unwrap_or_default(),
                    name: p.name.unwrap_or_default(),
                })
                .collect(),
            next_token: out.next_token.filter(|t| !t.is_empty()),
        })
    }

    async fn list_groups_for_user(
        &self,
        pool: &PoolId,
        username: &str,
        limit: i32,
        next_token: Option<&str>,
    ) -> Result<Page<Group>, CognitoError> {
        const OP: &str = "AdminListGroupsForUser";
        if let Some(e) = self.no_region(OP) {
            return Err(e);
        }
        let out = self
            .client
            .admin_list_groups_for_user()
            .user_pool_id(pool.as_str())
            .username(username)
            .limit(limit)
            .set_next_token(next_token.map(str::to_string))
            .send()
            .await
            .map_err(|e| self.map_error(OP, e))?;
        Ok(Page {
            items: out
                .groups
                .unwrap_or_default()
                .into_iter()
                .map(|g| Group {
                    name: g.group_name.unwrap_or_default(),
                    description: g.description,
                    precedence: g.precedence,
                    role_arn: g.role_arn,
                })
                .collect(),
            next_token: out.next_token.filter(|t| !t.is_empty()),
        })
    }

    async fn list_devices(
        &self,
        pool: &PoolId,
        username: &str,
        limit: i32,
        pagination_token: Option<&str>,
    ) -> Result<Page<Device>, CognitoError> {
        const OP: &str = "AdminListDevices";
        if let Some(e) = self.no_region(OP) {
            return Err(e);
        }
        let out = self
            .client
            .admin_list_devices()
            .user_pool_id(pool.as_str())
            .username(username)
            .limit(limit)
            .set_pagination_token(pagination_token.map(str::to_string))
            .send()
            .await
            .map_err(|e| self.map_error(OP, e))?;
        Ok(Page {
            items: out
                .devices
                .unwrap_or_default()
                .into_iter()
                .map(|d| Device {
                    key: d.device_key.unwrap_or_default(),
                    attributes: to_attributes(d.device_attributes),
                    created: to_time(d.device_create_date),
                    last_modified: to_time(d.device_last_modified_date),
                    last_authenticated: to_time(d.device_last_authenticated_date),
                })
                .collect(),
            next_token: out.pagination_token.filter(|t| !t.is_empty()),
        })
    }

    async fn list_auth_events(
        &self,
        pool: &PoolId,
        username: &str,
        max_results: i32,
        next_token: Option<&str>,
    ) -> Result<Page<AuthEvent>, CognitoError> {
        const OP: &str = "AdminListUserAuthEvents";
        if let Some(e) = self.no_region(OP) {
            return Err(e);
        }
        let out = self
            .client
            .admin_list_user_auth_events()
            .user_pool_id(pool.as_str())
            .username(username)
            .max_results(max_results)
            .set_next_token(next_token.map(str::to_string))
            .send()
            .await
            .map_err(|e| self.map_error(OP, e))?;
        Ok(Page {
            items: out
                .auth_events
                .unwrap_or_default()
                .into_iter()
                .map(|e| {
                    let risk = e.event_risk.as_ref();
                    let context = e.event_context_data;
                    AuthEvent {
                        id: e.event_id,
                        event_type: e.event_type.map(|t| t.as_str().to_string()),
                        created: to_time(e.creation_date),
                        response: e.event_response.map(|r| r.as_str().to_string()),
                        risk_level: risk
                            .and_then(|r| r.risk_level.as_ref())
                            .map(|r| r.as_str().to_string()),
                        risk_decision: risk
                            .and_then(|r| r.risk_decision.as_ref())
                            .map(|r| r.as_str().to_string()),
                        ip_address: context.as_ref().and_then(|c| c.ip_address.clone()),
                        city: context.as_ref().and_then(|c| c.city.clone()),
                        country: context.as_ref().and_then(|c| c.country.clone()),
                        device_name: context.and_then(|c| c.device_name),
                    }
                })
                .collect(),
            next_token: out.next_token.filter(|t| !t.is_empty()),
        })
    }

    async fn write(
        &self,
        pool: &PoolId,
        username: &str,
        action: WriteAction,
    ) -> Result<(), CognitoError> {
        let op = action.operation();
        if let Some(e) = self.no_region(op) {
            return Err(e);
        }
        // The four write operations take the same two parameters and answer nothing we use.
        macro_rules! admin_write {
            ($operation:ident) => {
                self.client
                    .$operation()
                    .user_pool_id(pool.as_str())
                    .username(username)
                    .send()
                    .await
                    .map(drop)
                    .map_err(|e| self.map_error(op, e))
            };
        }
        match action {
            WriteAction::EnableUser => admin_write!(admin_enable_user),
            WriteAction::DisableUser => admin_write!(admin_disable_user),
            WriteAction::ResetPassword => admin_write!(admin_reset_user_password),
            WriteAction::GlobalSignOut => admin_write!(admin_user_global_sign_out),
        }
    }

    fn describe_target(&self) -> String {
        self.target.clone()
    }
}
