//! Building the Cognito client: Region, timeouts, the HTTPS client (private CAs from
//! `AWS_CA_BUNDLE` or the profile's `ca_bundle`, proxies from `HTTPS_PROXY` / `NO_PROXY`),
//! the credential chain (an explicitly named profile wins over the environment, as in the AWS
//! CLI) and the operator's name in every request's User-Agent. The SDK's own retries are off:
//! every attempt goes through the rate limiter (`ratelimit.rs`), retries included.

use std::borrow::Cow;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use aws_config::environment::EnvironmentVariableRegionProvider;
use aws_config::meta::credentials::CredentialsProviderChain;
use aws_config::meta::region::RegionProviderChain;
use aws_config::profile::ProfileFileRegionProvider;
use aws_config::provider_config::ProviderConfig;
use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region};
use aws_credential_types::provider::{ProvideCredentials, future};
use aws_sdk_cognitoidentityprovider as cip;
use aws_smithy_http_client::proxy::ProxyConfig;
use aws_smithy_http_client::tls::{self, TlsContext, TrustStore};
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::http::SharedHttpClient;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::interceptors::context::BeforeTransmitInterceptorContextMut;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;
use aws_types::os_shim_internal::{Env, Fs};

use super::SdkOptions;
use crate::cognito::PoolId;

/// Which credentials the requests are signed with: the provider that answered (once one has),
/// as the audit records it — `environment`, `profile NAME (SSO)`, `instance role`, …
#[derive(Debug, Clone, Default)]
pub struct CredentialSource {
    /// The only source there can be (a named profile, fixed keys), known before any request.
    fixed: Option<Arc<str>>,
    /// The link of the chain that answered last.
    used: Arc<Mutex<Option<Arc<str>>>>,
}

impl CredentialSource {
    /// The source of the credentials in use: the one that answered, else the only one there
    /// can be, else `environment` when its keys are set (the chain's first link always wins
    /// then); `None` until the chain has answered otherwise.
    pub fn current(&self) -> Option<String> {
        let used = self.used.lock().unwrap_or_else(|p| p.into_inner()).clone();
        used.or_else(|| self.fixed.clone())
            .map(|s| s.to_string())
            .or_else(|| env_keys_set().then(|| "environment".to_string()))
    }

    fn record(&self, label: &Arc<str>) {
        *self.used.lock().unwrap_or_else(|p| p.into_inner()) = Some(label.clone());
    }
}

fn env_keys_set() -> bool {
    let set = |k: &str| std::env::var(k).is_ok_and(|v| !v.is_empty());
    set("AWS_ACCESS_KEY_ID") && set("AWS_SECRET_ACCESS_KEY")
}

/// Everything `SdkBackend::connect` needs from the configuration.
pub(super) struct Built {
    pub client: cip::Client,
    pub region: Option<String>,
    pub credentials: CredentialSource,
    /// Who the credentials are (STS GetCallerIdentity), asked once per session.
    pub caller: CallerIdentity,
    /// Why no request may be sent (a CA bundle that can't be used), said on every request.
    pub refusal: Option<String>,
}

/// Loads configuration (profile, Region, endpoint, CA bundle) and builds the client.
/// Credentials are resolved lazily, on the first request. Region order: `--region`, the
/// environment, the profile, the pool id, then the rest of the default chain (instance
/// metadata).
pub(super) async fn build(options: &SdkOptions, pool: Option<&PoolId>) -> Built {
    let region = region(options, pool).await;
    let profiles = load_profiles(options).await;
    let (trust, refusal) = match ca_bundle(profiles.as_ref()) {
        Ok(trust) => (trust, None),
        Err(e) => (TrustStore::default(), Some(e.to_string())),
    };
    let http = https_client(trust);
    let connect_timeout = options.timeout.min(Duration::from_secs(5));
    let timeouts = TimeoutConfig::builder()
        // One attempt: retries are the rate limiter's, each bounded by this again.
        .operation_timeout(options.timeout)
        .connect_timeout(connect_timeout)
        .build();
    let provider_config = ProviderConfig::without_region()
        .with_region(region.clone())
        .with_http_client(http.clone());
    let (chain, credentials, asks_a_person) = credential_chain(
        options,
        &provider_config,
        profiles.as_ref(),
        (region.clone(), http.clone()),
    );
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .region(region.clone())
        .http_client(http)
        .timeout_config(timeouts)
        // Off: a retry the SDK made itself would not wait for the rate limiter.
        .retry_config(RetryConfig::disabled())
        .profile_files(profile_files(options))
        .credentials_provider(chain);
    if asks_a_person {
        loader = loader.identity_cache(
            aws_config::identity::IdentityCache::lazy()
                .load_timeout(super::mfa::PROMPT_TIMEOUT)
                .build(),
        );
    }
    if let Some(profile) = &options.profile {
        loader = loader.profile_name(profile);
    }
    if let Some(url) = &options.endpoint_url {
        loader = loader.endpoint_url(url);
    }
    let config = loader.load().await;
    let client_config = cip::config::Builder::from(&config)
        .interceptor(OperatorAgent::new(&options.operator))
        .build();
    Built {
        client: cip::Client::from_conf(client_config),
        region: config.region().map(|r| r.to_string()),
        caller: CallerIdentity::new(&config, options, refusal.is_some()),
        credentials,
        refusal,
    }
}

async fn region(options: &SdkOptions, pool: Option<&PoolId>) -> Option<Region> {
    let mut profile_region =
        ProfileFileRegionProvider::builder().profile_files(profile_files(options));
    if let Some(profile) = &options.profile {
        profile_region = profile_region.profile_name(profile);
    }
    RegionProviderChain::first_try(options.region.clone().map(Region::new))
        .or_else(EnvironmentVariableRegionProvider::new())
        .or_else(profile_region.build())
        .or_else(
            pool.and_then(|p| p.region())
                .map(|r| Region::new(r.to_string())),
        )
        .or_default_provider()
        .region()
        .await
}

/// The profile files `options` names, else those aws-config reads by default (the
/// environment's `AWS_CONFIG_FILE` and `AWS_SHARED_CREDENTIALS_FILE`, else `~/.aws/`).
#[allow(deprecated)] // aws-config's own names for the aws-runtime types
pub(super) fn profile_files(
    options: &SdkOptions,
) -> aws_config::profile::profile_file::ProfileFiles {
    use aws_config::profile::profile_file::{ProfileFileKind, ProfileFiles};
    match &options.profile_paths {
        Some(paths) => ProfileFiles::builder()
            .with_file(ProfileFileKind::Config, &paths.config)
            .with_file(ProfileFileKind::Credentials, &paths.credentials)
            .build(),
        None => ProfileFiles::default(),
    }
}

/// The selected profile's settings (the named one, else `AWS_PROFILE`, else `default`), or
/// `None` when the files can't be read (the credential chain reports that itself).
async fn load_profiles(options: &SdkOptions) -> Option<aws_config::profile::ProfileSet> {
    let selected = options.profile.as_ref().map(|p| Cow::Owned(p.clone()));
    let files = profile_files(options);
    aws_config::profile::load(&Fs::real(), &Env::real(), &files, selected)
        .await
        .map_err(|e| tracing::debug!(error = %e, "no AWS profile files"))
        .ok()
}

/// The selected profile's property `name`, if the profile exists.
fn profile_setting<'a>(
    profiles: Option<&'a aws_config::profile::ProfileSet>,
    name: &str,
) -> Option<&'a str> {
    profiles?.get(name).filter(|v| !v.trim().is_empty())
}

/// A CA bundle that can't be used: which setting named it, where, and why.
#[derive(Debug, thiserror::Error)]
#[error("{setting} names {}: {problem}", path.display())]
struct CaBundleError {
    setting: &'static str,
    path: PathBuf,
    problem: CaBundleProblem,
}

/// What is wrong with a CA bundle file.
#[derive(Debug, thiserror::Error)]
enum CaBundleProblem {
    #[error("cannot read it: {0}")]
    Read(std::io::Error),
    #[error("not a PEM certificate bundle ({0})")]
    NotPem(rustls::pki_types::pem::Error),
    #[error("no PEM certificate in it (-----BEGIN CERTIFICATE-----)")]
    Empty,
    #[error("certificate {index} of the bundle is not usable: {source}")]
    Unusable { index: usize, source: rustls::Error },
}

/// The system roots, plus the CA bundle `AWS_CA_BUNDLE` (else the profile's `ca_bundle`)
/// names, checked here: the SDK's TLS layer panics on a file that isn't PEM certificates.
fn ca_bundle(
    profiles: Option<&aws_config::profile::ProfileSet>,
) -> Result<TrustStore, CaBundleError> {
    let from_env = std::env::var("AWS_CA_BUNDLE")
        .ok()
        .filter(|v| !v.trim().is_empty());
    let (setting, path) = match (from_env, profile_setting(profiles, "ca_bundle")) {
        (Some(path), _) => ("AWS_CA_BUNDLE", PathBuf::from(path)),
        (None, Some(path)) => ("the profile's ca_bundle", PathBuf::from(path)),
        (None, None) => return Ok(TrustStore::default()),
    };
    let checked = std::fs::read(&path)
        .map_err(CaBundleProblem::Read)
        .and_then(|pem| check_pem_certificates(&pem).map(|()| pem));
    match checked {
        Ok(pem) => Ok(TrustStore::default().with_pem_certificate(pem)),
        Err(problem) => Err(CaBundleError {
            setting,
            path,
            problem,
        }),
    }
}

/// At least one certificate, every one usable as a trust anchor.
fn check_pem_certificates(pem: &[u8]) -> Result<(), CaBundleProblem> {
    use rustls::pki_types::CertificateDer;
    use rustls::pki_types::pem::PemObject;
    let certs = CertificateDer::pem_slice_iter(pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(CaBundleProblem::NotPem)?;
    if certs.is_empty() {
        return Err(CaBundleProblem::Empty);
    }
    let mut roots = rustls::RootCertStore::empty();
    for (i, cert) in certs.into_iter().enumerate() {
        roots
            .add(cert)
            .map_err(|source| CaBundleProblem::Unusable {
                index: i + 1,
                source,
            })?;
    }
    Ok(())
}

/// The SDK's default HTTPS client (rustls with aws-lc), with `trust` and the proxy from the
/// environment (`HTTPS_PROXY`/`https_proxy`, `HTTP_PROXY`, `NO_PROXY`): every request —
/// Cognito, STS, SSO, instance metadata — goes through it.
fn https_client(trust: TrustStore) -> SharedHttpClient {
    let tls_context = TlsContext::builder().with_trust_store(trust).build();
    let tls_context = tls_context.unwrap_or_else(|e| {
        tracing::warn!(error = %e, "TLS settings refused; using the system roots only");
        TlsContext::default()
    });
    // As aws-smithy-runtime's own default client does, with our trust store.
    aws_smithy_http_client::Builder::new().build_with_connector_fn(move |settings, components| {
        let mut builder = aws_smithy_http_client::Connector::builder()
            .tls_provider(tls::Provider::Rustls(
                tls::rustls_provider::CryptoMode::AwsLc,
            ))
            .tls_context(tls_context.clone());
        builder.set_connector_settings(settings.cloned());
        if let Some(components) = components {
            builder.set_sleep_impl(components.sleep_impl());
        }
        builder.set_proxy_config(Some(ProxyConfig::from_env()));
        builder.build()
    })
}

/// The credential chain, a handle on which link answered, and whether it may ask a person (an
/// MFA code: see `mfa.rs`). A named profile is the only
/// link (the AWS CLI's rule: `--profile` wins over `AWS_ACCESS_KEY_ID`); otherwise the
/// default chain's links in its order: environment, profile, web identity, container,
/// instance metadata.
fn credential_chain(
    options: &SdkOptions,
    config: &ProviderConfig,
    profiles: Option<&aws_config::profile::ProfileSet>,
    (region, http): (Option<Region>, SharedHttpClient),
) -> (CredentialsProviderChain, CredentialSource, bool) {
    use aws_config::profile::ProfileFileCredentialsProvider;
    let mut source = CredentialSource::default();
    if let Some((access_key, secret_key)) = &options.static_credentials {
        let fixed =
            cip::config::Credentials::new(access_key, secret_key, None, None, "cognito-tui-static");
        let label: Arc<str> = Arc::from("static");
        source.fixed = Some(label.clone());
        let link = Labelled::new(label, fixed, &source);
        return (
            CredentialsProviderChain::first_try("static", link),
            source,
            false,
        );
    }
    let profile_label: Arc<str> = Arc::from(profile_label(options.profile.as_deref(), profiles));
    let mut profile = ProfileFileCredentialsProvider::builder()
        .configure(config)
        .profile_files(profile_files(options));
    if let Some(name) = &options.profile {
        source.fixed = Some(profile_label.clone());
        let files = profile_files(options);
        let prompt = options.mfa_prompt.clone();
        if let Some(role) =
            super::mfa::from_profile(name, profiles, config, files, (region, http, prompt))
        {
            let link = Labelled::new(profile_label, role, &source);
            return (
                CredentialsProviderChain::first_try("Profile", link),
                source,
                true,
            );
        }
        profile = profile.profile_name(name);
        let link = Labelled::new(profile_label, profile.build(), &source);
        return (
            CredentialsProviderChain::first_try("Profile", link),
            source,
            false,
        );
    }
    let env = aws_config::environment::EnvironmentVariableCredentialsProvider::new();
    let web = aws_config::web_identity_token::WebIdentityTokenCredentialsProvider::builder()
        .configure(config)
        .build();
    let ecs = aws_config::ecs::EcsCredentialsProvider::builder()
        .configure(config)
        .build();
    let imds = aws_config::imds::credentials::ImdsCredentialsProvider::builder()
        .configure(config)
        .build();
    let chain = CredentialsProviderChain::first_try(
        "Environment",
        Labelled::new("environment".into(), env, &source),
    )
    .or_else(
        "Profile",
        Labelled::new(profile_label, profile.build(), &source),
    )
    .or_else(
        "WebIdentityToken",
        Labelled::new("web identity".into(), web, &source),
    )
    .or_else(
        "EcsContainer",
        Labelled::new("container role".into(), ecs, &source),
    )
    .or_else(
        "Ec2InstanceMetadata",
        Labelled::new("instance role".into(), imds, &source),
    );
    (chain, source, false)
}

/// `profile NAME (how)`: SSO, an assumed role, `credential_process`, `aws login` or keys.
fn profile_label(
    named: Option<&str>,
    profiles: Option<&aws_config::profile::ProfileSet>,
) -> String {
    let name = named
        .map(str::to_string)
        .or_else(|| profiles.map(|p| p.selected_profile().to_string()))
        .unwrap_or_else(|| "default".into());
    let has = |key: &str| profile_setting(profiles, key).is_some();
    let how = if has("sso_session") || has("sso_start_url") {
        "SSO"
    } else if has("role_arn") && has("mfa_serial") {
        "assume role, MFA"
    } else if has("role_arn") {
        "assume role"
    } else if has("credential_process") {
        "credential_process"
    } else if has("login_session") {
        "aws login"
    } else {
        "keys"
    };
    format!("profile {name} ({how})")
}

/// A link of the chain that records its label in the session's [`CredentialSource`] when it
/// answers with credentials.
#[derive(Debug)]
struct Labelled<P> {
    label: Arc<str>,
    inner: P,
    source: CredentialSource,
}

impl<P> Labelled<P> {
    fn new(label: Arc<str>, inner: P, source: &CredentialSource) -> Self {
        Self {
            label,
            inner,
            source: source.clone(),
        }
    }
}

impl<P: ProvideCredentials> ProvideCredentials for Labelled<P> {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::new(async move {
            let credentials = self.inner.provide_credentials().await?;
            self.source.record(&self.label);
            Ok(credentials)
        })
    }
}

/// Adds `cognito-tui/OPERATOR` to every Cognito request's User-Agent, so CloudTrail's
/// `userAgent` names the person acting on a shared role. User-Agent is not signed (SigV4
/// leaves it out), so it is appended after signing, where nothing rewrites it.
#[derive(Debug)]
struct OperatorAgent(String);

impl OperatorAgent {
    fn new(operator: &str) -> Self {
        Self(format!("cognito-tui/{}", agent_token(operator)))
    }
}

/// The operator as a User-Agent token: characters outside `A-Z a-z 0-9 . _ - @ +` become `_`.
pub(crate) fn agent_token(operator: &str) -> String {
    let token: String = operator
        .chars()
        .take(64)
        .map(|c| match c {
            'A'..='Z' | 'a'..='z' | '0'..='9' | '.' | '_' | '-' | '@' | '+' => c,
            _ => '_',
        })
        .collect();
    if token.is_empty() {
        "unknown".into()
    } else {
        token
    }
}

impl Intercept for OperatorAgent {
    fn name(&self) -> &'static str {
        "OperatorAgent"
    }

    fn modify_before_transmit(
        &self,
        context: &mut BeforeTransmitInterceptorContextMut<'_>,
        _components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let headers = context.request_mut().headers_mut();
        let agent = match headers.get("user-agent") {
            Some(sdk) => format!("{sdk} {}", self.0),
            None => self.0.clone(),
        };
        headers.insert("user-agent", agent);
        Ok(())
    }
}

/// How long GetCallerIdentity may take: it only names the caller in the audit, so a network
/// that can't reach STS costs a run at most this.
const CALLER_TIMEOUT: Duration = Duration::from_secs(3);

/// Who the credentials are, as STS's GetCallerIdentity says (the ARN of the user or the
/// assumed role's session), asked at most once per session and kept: what the audit's start
/// line records as `caller`. It needs no permission (GetCallerIdentity can't be denied).
#[derive(Clone)]
pub struct CallerIdentity {
    /// None when it is not asked: an endpoint override without one for STS.
    sts: Option<aws_sdk_sts::Client>,
    answer: Arc<tokio::sync::OnceCell<String>>,
}

impl std::fmt::Debug for CallerIdentity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CallerIdentity")
            .field("asks", &self.sts.is_some())
            .finish()
    }
}

impl CallerIdentity {
    /// STS through the session's configuration (credentials, proxy, CA bundle, operator). An
    /// endpoint override (`--endpoint-url`, `AWS_ENDPOINT_URL`: an emulator, or a network
    /// that reaches AWS through its own endpoints) sends STS nowhere unless
    /// `AWS_ENDPOINT_URL_STS` names where it goes: never surprise traffic to the public STS.
    /// `refused`: no request may be sent at all (a CA bundle that can't be used).
    fn new(config: &aws_config::SdkConfig, options: &SdkOptions, refused: bool) -> Self {
        let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        let overridden = options.endpoint_url.is_some() || env("AWS_ENDPOINT_URL").is_some();
        // The session's own endpoint override is Cognito's: STS gets its own or none.
        let endpoint = match (env("AWS_ENDPOINT_URL_STS"), overridden) {
            (Some(sts), _) => Some(Some(sts)),
            (None, false) => Some(None),
            (None, true) => None,
        };
        let sts = endpoint.filter(|_| !refused).map(|endpoint| {
            let timeouts = TimeoutConfig::builder()
                .operation_timeout(CALLER_TIMEOUT)
                .build();
            let mut conf = aws_sdk_sts::config::Builder::from(config)
                .timeout_config(timeouts)
                .interceptor(OperatorAgent::new(&options.operator));
            conf.set_endpoint_url(endpoint);
            aws_sdk_sts::Client::from_conf(conf.build())
        });
        Self {
            sts,
            answer: Arc::default(),
        }
    }

    /// The caller's ARN, or why it is not known (`unknown: …`); one request the first time,
    /// none after. `None` when it is not asked.
    pub async fn arn(&self) -> Option<String> {
        let sts = self.sts.as_ref()?;
        let ask = || async {
            match sts.get_caller_identity().send().await {
                Ok(answer) => answer
                    .arn
                    .unwrap_or_else(|| "unknown: no ARN answered".into()),
                Err(e) => match aws_sdk_sts::error::ProvideErrorMetadata::code(&e) {
                    Some(code) => format!("unknown: {code}"),
                    None => format!("unknown: {}", error_kind(&e)),
                },
            }
        };
        Some(self.answer.get_or_init(ask).await.clone())
    }
}

/// A short name for a failure with no AWS error code (no credentials, timeout, network).
fn error_kind<E>(error: &aws_sdk_sts::error::SdkError<E>) -> &'static str {
    use aws_sdk_sts::error::SdkError;
    match error {
        SdkError::TimeoutError(_) => "timeout",
        SdkError::DispatchFailure(_) => "no connection",
        SdkError::ConstructionFailure(_) => "no credentials",
        _ => "no answer",
    }
}
