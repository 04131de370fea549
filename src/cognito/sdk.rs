//! The AWS backend. This is the only module that touches aws-sdk types: it builds the client
//! from aws-config's default chain and maps every SDK answer and error into our domain.

use std::future::Future;
use std::time::Duration;

use async_trait::async_trait;
use aws_sdk_cognitoidentityprovider as cip;
use aws_sdk_cognitoidentityprovider::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;

use super::{
    AuthFactors, Backend, CognitoError, ErrorKind, Group, ListFilter, ListKind, Listing,
    ListingPage, Op, Page, PageRequest, PoolId, PoolMfa, PoolPage, PoolSchema, User, UserPage,
    WriteAction, Writer,
};

mod client;
mod convert;
mod mfa;

use convert::{page, to_pool_mfa, to_schema};

pub use client::{CallerIdentity, CredentialSource};

/// Default bound on one attempt of an operation.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(20);

/// How to reach Cognito.
#[derive(Debug, Clone)]
pub struct SdkOptions {
    pub profile: Option<String>,
    pub region: Option<String>,
    /// `--endpoint-url`; `AWS_ENDPOINT_URL` is honoured by aws-config itself.
    pub endpoint_url: Option<String>,
    /// Bound on one attempt (retries are the rate limiter's, in `ratelimit.rs`).
    pub timeout: Duration,
    /// Fixed credentials instead of the default chain (tests, embedding); never probes IMDS.
    pub static_credentials: Option<(String, String)>,
    /// Who is acting: sent as `cognito-tui/OPERATOR` in every request's User-Agent.
    pub operator: String,
    /// The AWS config and credentials files to read instead of those the environment names
    /// (tests, embedding): nothing of the machine's own AWS set-up is read then.
    pub profile_paths: Option<ProfilePaths>,
    /// Where an assume-role profile with `mfa_serial` asks for its code (the TUI's popup);
    /// `None`: on the terminal.
    pub mfa_prompt: Option<crate::cognito::mfa_code::MfaPrompt>,
}

/// The AWS config and credentials files to read, instead of `AWS_CONFIG_FILE` and
/// `AWS_SHARED_CREDENTIALS_FILE` (else `~/.aws/config` and `~/.aws/credentials`). A file that
/// does not exist reads as empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfilePaths {
    pub config: std::path::PathBuf,
    pub credentials: std::path::PathBuf,
}

impl Default for SdkOptions {
    fn default() -> Self {
        Self {
            profile: None,
            region: None,
            endpoint_url: None,
            timeout: DEFAULT_TIMEOUT,
            static_credentials: None,
            operator: crate::login::os_user(),
            profile_paths: None,
            mfa_prompt: None,
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
    credentials: CredentialSource,
    caller: CallerIdentity,
    /// Set when no request may be sent (a CA bundle that can't be used): the reason.
    refusal: Option<String>,
}

impl SdkBackend {
    /// Loads configuration (profile, Region, endpoint, CA bundle, proxy). Credentials are
    /// resolved lazily, on the first request, so this returns quickly even where the
    /// credential chain is slow. Region order: `--region`, the environment, the profile, the
    /// pool id, then the rest of the default chain (instance metadata).
    pub async fn connect(options: &SdkOptions, pool: Option<&PoolId>) -> Self {
        let built = client::build(options, pool).await;
        let region = built.region;
        let target = match (&options.endpoint_url, std::env::var("AWS_ENDPOINT_URL")) {
            (Some(url), _) => url.clone(),
            (None, Ok(url)) if !url.is_empty() => url,
            _ => match &region {
                Some(r) => format!("Cognito in {r}"),
                None => "Cognito (no Region configured)".into(),
            },
        };
        Self {
            client: built.client,
            region,
            target,
            timeout: options.timeout,
            credentials: built.credentials,
            caller: built.caller,
            refusal: built.refusal,
        }
    }

    /// Which credentials sign the requests (see [`CredentialSource`]).
    pub fn credential_source(&self) -> CredentialSource {
        self.credentials.clone()
    }

    /// Who the credentials are, asked of STS once (see [`CallerIdentity`]).
    pub fn caller_identity(&self) -> CallerIdentity {
        self.caller.clone()
    }

    /// The Region requests go to, if one was found.
    pub fn region(&self) -> Option<&str> {
        self.region.as_deref()
    }

    /// Sends one request: refuses locally without a Region, maps the SDK's error once.
    async fn call<T, E>(
        &self,
        op: Op,
        request: impl Future<Output = Result<T, SdkError<E, HttpResponse>>>,
    ) -> Result<T, CognitoError>
    where
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    {
        // The fluent builder's future sends nothing until awaited.
        if let Some(why) = &self.refusal {
            return Err(CognitoError::new(ErrorKind::Tls, op.name, why.clone()));
        }
        if self.region.is_none() {
            return Err(CognitoError::new(
                ErrorKind::Configuration,
                op.name,
                "no AWS Region: pass --region, set AWS_REGION, or use a pool id that starts \
                 with its Region (us-east-1_…)",
            ));
        }
        request
            .await
            .map_err(|e| map_sdk_error(op.name, e, self.timeout))
    }
}

/// Maps an error Cognito itself answered with (HTTP `status`, exception `code`, `message`):
/// the exception name decides the kind; without one, the status does.
fn map_service_error(
    operation: &'static str,
    status: u16,
    code: Option<String>,
    message: String,
) -> CognitoError {
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
    let html_status = match &err {
        SdkError::ServiceError(ctx) if ctx.err().code().is_none() => html_page_status(ctx.raw()),
        SdkError::ResponseError(ctx) => html_page_status(ctx.raw()),
        _ => None,
    };
    if let Some(status) = html_status {
        return CognitoError::html_page(operation, status);
    }
    match &err {
        SdkError::ServiceError(ctx) => map_service_error(
            operation,
            ctx.raw().status().as_u16(),
            ctx.err().code().map(str::to_string),
            ctx.err().message().unwrap_or_default().to_string(),
        ),
        SdkError::TimeoutError(_) => {
            let mut mapped = CognitoError::new(
                ErrorKind::Timeout,
                operation,
                format!("no answer within {} s", timeout.as_secs_f64()),
            );
            mapped.timeout = Some(timeout);
            mapped
        }
        SdkError::DispatchFailure(_) if certificate_refusal(&err).is_some() => {
            let why = certificate_refusal(&err).unwrap_or_default();
            CognitoError::new(
                ErrorKind::Tls,
                operation,
                format!("the endpoint's TLS certificate is not trusted ({why})"),
            )
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

/// The TLS layer's refusal of the server's certificate, found in the error's source chain
/// (an unknown issuer: a private CA, or a TLS-inspecting proxy).
fn certificate_refusal(err: &(dyn std::error::Error + 'static)) -> Option<String> {
    let mut next = Some(err);
    while let Some(e) = next {
        if let Some(tls @ rustls::Error::InvalidCertificate(_)) = e.downcast_ref::<rustls::Error>()
        {
            return Some(tls.to_string());
        }
        // io::Error's source() skips the error it wraps.
        let wrapped = e
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref());
        if let Some(found) = wrapped.and_then(|inner| certificate_refusal(inner)) {
            return Some(found);
        }
        next = e.source();
    }
    None
}

/// The status of an answer that is an HTML page (by its content-type, or a body that opens
/// with `<`), which the SDK could only report as malformed JSON.
fn html_page_status(raw: &HttpResponse) -> Option<u16> {
    let html_type = raw
        .headers()
        .get("content-type")
        .is_some_and(|t| t.to_ascii_lowercase().contains("html"));
    let html_body = raw
        .body()
        .bytes()
        .is_some_and(|b| b.trim_ascii_start().starts_with(b"<"));
    (html_type || html_body).then(|| raw.status().as_u16())
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

#[async_trait]
impl Backend for SdkBackend {
    async fn admin_get_user(&self, pool: &PoolId, username: &str) -> Result<User, CognitoError> {
        let request = self
            .client
            .admin_get_user()
            .user_pool_id(pool.as_str())
            .username(username)
            .send();
        Ok(self.call(Op::ADMIN_GET_USER, request).await?.into())
    }

    async fn list_users(
        &self,
        pool: &PoolId,
        filter: Option<&ListFilter>,
        request: PageRequest<'_>,
    ) -> Result<UserPage, CognitoError> {
        let request = self
            .client
            .list_users()
            .user_pool_id(pool.as_str())
            .set_filter(filter.map(ListFilter::expression))
            .limit(request.limit)
            .set_pagination_token(request.token.map(str::to_string))
            .send();
        let out = self.call(Op::LIST_USERS, request).await?;
        Ok(page(out.users, out.pagination_token).into())
    }

    async fn describe_pool(&self, pool: &PoolId) -> Result<PoolSchema, CognitoError> {
        let request = self
            .client
            .describe_user_pool()
            .user_pool_id(pool.as_str())
            .send();
        let out = self.call(Op::DESCRIBE_USER_POOL, request).await?;
        Ok(out.user_pool.map(to_schema).unwrap_or_default())
    }

    async fn list_user_pools(&self, request: PageRequest<'_>) -> Result<PoolPage, CognitoError> {
        let request = self
            .client
            .list_user_pools()
            .max_results(request.limit)
            .set_next_token(request.token.map(str::to_string))
            .send();
        let out = self.call(Op::LIST_USER_POOLS, request).await?;
        Ok(page(out.user_pools, out.next_token).into())
    }

    async fn list_groups(
        &self,
        pool: &PoolId,
        request: PageRequest<'_>,
    ) -> Result<Page<Group>, CognitoError> {
        let request = self
            .client
            .list_groups()
            .user_pool_id(pool.as_str())
            .limit(request.limit)
            .set_next_token(request.token.map(str::to_string))
            .send();
        let out = self.call(Op::LIST_GROUPS, request).await?;
        Ok(page(out.groups, out.next_token))
    }

    async fn list_users_in_group(
        &self,
        pool: &PoolId,
        group: &str,
        request: PageRequest<'_>,
    ) -> Result<UserPage, CognitoError> {
        let request = self
            .client
            .list_users_in_group()
            .user_pool_id(pool.as_str())
            .group_name(group)
            .limit(request.limit)
            .set_next_token(request.token.map(str::to_string))
            .send();
        let out = self.call(Op::LIST_USERS_IN_GROUP, request).await?;
        Ok(page(out.users, out.next_token).into())
    }

    async fn list_for_user(
        &self,
        pool: &PoolId,
        username: &str,
        list: ListKind,
        request: PageRequest<'_>,
    ) -> Result<ListingPage, CognitoError> {
        let (limit, token) = (request.limit, request.token.map(str::to_string));
        // The three operations name their paging fields differently: the builder's setters
        // for the page size and token, and the output's items and token.
        macro_rules! user_list {
            (
                $operation:ident($limit:ident, $token:ident)
                    => $variant:ident(out.$items:ident, out.$next:ident)
            ) => {{
                let request = self
                    .client
                    .$operation()
                    .user_pool_id(pool.as_str())
                    .username(username)
                    .$limit(limit)
                    .$token(token)
                    .send();
                let out = self.call(list.op(), request).await?;
                Ok(ListingPage::of(
                    page(out.$items, out.$next),
                    Listing::$variant,
                ))
            }};
        }
        match list {
            ListKind::Groups => user_list!(
                admin_list_groups_for_user(limit, set_next_token)
                    => Groups(out.groups, out.next_token)
            ),
            ListKind::Devices => user_list!(
                admin_list_devices(limit, set_pagination_token)
                    => Devices(out.devices, out.pagination_token)
            ),
            ListKind::SignIns => user_list!(
                admin_list_user_auth_events(max_results, set_next_token)
                    => SignIns(out.auth_events, out.next_token)
            ),
        }
    }

    async fn get_pool_mfa_config(&self, pool: &PoolId) -> Result<PoolMfa, CognitoError> {
        let request = self
            .client
            .get_user_pool_mfa_config()
            .user_pool_id(pool.as_str())
            .send();
        Ok(to_pool_mfa(
            self.call(Op::GET_POOL_MFA_CONFIG, request).await?,
        ))
    }

    async fn get_user_auth_factors(
        &self,
        pool: &PoolId,
        username: &str,
    ) -> Result<AuthFactors, CognitoError> {
        let request = self
            .client
            .admin_get_user_auth_factors()
            .user_pool_id(pool.as_str())
            .username(username)
            .send();
        let out = self.call(Op::GET_USER_AUTH_FACTORS, request).await?;
        Ok(AuthFactors {
            preferred_mfa: out.preferred_mfa_setting,
            mfa_settings: out.user_mfa_setting_list.unwrap_or_default(),
            configured: out
                .configured_user_auth_factors
                .unwrap_or_default()
                .iter()
                .map(|f| f.as_str().to_string())
                .collect(),
        })
    }

    async fn get_csv_header(&self, pool: &PoolId) -> Result<Vec<String>, CognitoError> {
        let request = self
            .client
            .get_csv_header()
            .user_pool_id(pool.as_str())
            .send();
        let out = self.call(Op::GET_CSV_HEADER, request).await?;
        Ok(out.csv_header.unwrap_or_default())
    }

    fn describe_target(&self) -> String {
        self.target.clone()
    }
}

#[async_trait]
impl Writer for SdkBackend {
    async fn write(
        &self,
        pool: &PoolId,
        username: &str,
        action: WriteAction,
    ) -> Result<(), CognitoError> {
        use cip::types::{
            DeliveryMediumType, EmailMfaSettingsType, MessageActionType, SmsMfaSettingsType,
            SoftwareTokenMfaSettingsType, WebAuthnMfaSettingsType,
        };
        // Every write names the pool and the user, and answers nothing we use; `$extra` adds
        // the action's own parameters to the builder.
        macro_rules! admin_write {
            ($operation:ident $(. $extra:ident($value:expr))*) => {{
                let request = self
                    .client
                    .$operation()
                    .user_pool_id(pool.as_str())
                    .username(username)
                    $(.$extra($value))*
                    .send();
                self.call(action.op(), request).await.map(drop)
            }};
        }
        match &action {
            WriteAction::EnableUser => admin_write!(admin_enable_user),
            WriteAction::DisableUser => admin_write!(admin_disable_user),
            WriteAction::ResetPassword => admin_write!(admin_reset_user_password),
            WriteAction::GlobalSignOut => admin_write!(admin_user_global_sign_out),
            WriteAction::ResetMfa => admin_write!(
                admin_set_user_mfa_preference
                    .sms_mfa_settings(
                        SmsMfaSettingsType::builder()
                            .enabled(false)
                            .preferred_mfa(false)
                            .build()
                    )
                    .software_token_mfa_settings(
                        SoftwareTokenMfaSettingsType::builder()
                            .enabled(false)
                            .preferred_mfa(false)
                            .build()
                    )
                    .email_mfa_settings(
                        EmailMfaSettingsType::builder()
                            .enabled(false)
                            .preferred_mfa(false)
                            .build()
                    )
                    .web_authn_mfa_settings(
                        WebAuthnMfaSettingsType::builder().enabled(false).build()
                    )
            ),
            WriteAction::DeleteSoftwareToken => admin_write!(admin_delete_software_token),
            WriteAction::ResendInvitation(delivery) => {
                let mediums = delivery
                    .mediums()
                    .iter()
                    .map(|m| DeliveryMediumType::from(*m))
                    .collect();
                admin_write!(
                    admin_create_user
                        .message_action(MessageActionType::Resend)
                        .set_desired_delivery_mediums(Some(mediums))
                )
            }
            WriteAction::ConfirmSignUp => admin_write!(admin_confirm_sign_up),
            WriteAction::MarkVerified(attribute) => {
                let flag = verified_flag(&action, attribute.flag())?;
                admin_write!(admin_update_user_attributes.user_attributes(flag))
            }
            WriteAction::AddToGroup(group) => {
                admin_write!(admin_add_user_to_group.group_name(group))
            }
            WriteAction::RemoveFromGroup(group) => {
                admin_write!(admin_remove_user_from_group.group_name(group))
            }
            WriteAction::DeleteUser => admin_write!(admin_delete_user),
            // The SDK's Debug of this request redacts the password ("Sensitive Data").
            WriteAction::SetTemporaryPassword(password) => {
                self.set_temporary_password(pool, username, password).await
            }
        }
    }
}

impl SdkBackend {
    /// AdminSetUserPassword with `Permanent=false`. The SDK's Debug of this request redacts
    /// the password ("Sensitive Data Redacted"); a placeholder is refused, not sent.
    async fn set_temporary_password(
        &self,
        pool: &PoolId,
        username: &str,
        password: &super::TemporaryPassword,
    ) -> Result<(), CognitoError> {
        if password.is_pending() {
            return Err(CognitoError::new(
                ErrorKind::InvalidParameter,
                Op::SET_PASSWORD.name,
                "not sent: no password was generated for it",
            ));
        }
        let request = self
            .client
            .admin_set_user_password()
            .user_pool_id(pool.as_str())
            .username(username)
            .password(password.expose())
            .permanent(false)
            .send();
        self.call(Op::SET_PASSWORD, request).await.map(drop)
    }
}

/// The attribute `flag = "true"` that marks an email or phone number verified; `action` names
/// the operation if the SDK's builder refuses it.
fn verified_flag(
    action: &WriteAction,
    flag: &'static str,
) -> Result<cip::types::AttributeType, CognitoError> {
    cip::types::AttributeType::builder()
        .name(flag)
        .value("true")
        .build()
        .map_err(|e| {
            CognitoError::new(
                ErrorKind::InvalidParameter,
                action.operation(),
                e.to_string(),
            )
        })
}
