//! One error type for everything a Cognito request can end in, with the exception name
//! Cognito sent and a plain-language hint on what to do next.

use std::fmt;
use std::time::Duration;

use crate::exit;

/// The class of failure; decides the hint and the one-shot exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// UserNotFoundException.
    UserNotFound,
    /// ResourceNotFoundException: the pool does not exist in this account and Region.
    PoolNotFound,
    /// InvalidParameterException.
    InvalidParameter,
    /// TooManyRequestsException / ThrottlingException, after the SDK's bounded retries.
    Throttled,
    /// NotAuthorizedException: Cognito refused the caller.
    NotAuthorized,
    /// AccessDeniedException: IAM does not allow the action.
    AccessDenied,
    /// No credentials could be found, or they expired / were rejected.
    Credentials,
    /// InternalErrorException or an HTTP 5xx, after retries.
    Internal,
    /// No answer within the configured timeout.
    Timeout,
    /// The endpoint could not be reached (DNS, refused, reset).
    Network,
    /// The endpoint does not implement the operation (seen on emulators).
    Unsupported,
    /// An answer we could not understand, or an exception we do not know.
    Other,
    /// Local configuration is incomplete (e.g. no Region); no request was sent.
    Configuration,
    /// A pool feature the operation needs is off (UserPoolAddOnNotEnabledException).
    NotEnabled,
    /// A write was refused locally: cognito-tui runs read-only without --allow-write.
    ReadOnly,
    /// The endpoint's TLS certificate is not trusted, or the CA bundle named can't be used.
    Tls,
}

impl ErrorKind {
    /// The one-shot command's exit code for this kind (documented in README).
    pub fn exit_code(self) -> i32 {
        match self {
            Self::Configuration | Self::ReadOnly => exit::USAGE,
            Self::NotEnabled => exit::POOL_OR_PARAMETER,
            Self::UserNotFound => exit::NOT_FOUND,
            Self::PoolNotFound | Self::InvalidParameter => exit::POOL_OR_PARAMETER,
            Self::NotAuthorized | Self::AccessDenied | Self::Credentials => exit::NOT_AUTHORIZED,
            Self::Tls => exit::TLS,
            Self::Throttled
            | Self::Internal
            | Self::Timeout
            | Self::Network
            | Self::Unsupported
            | Self::Other => exit::SERVICE,
        }
    }
}

/// A failed Cognito request, mapped once from whatever the backend saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CognitoError {
    pub kind: ErrorKind,
    /// The API operation, e.g. `AdminGetUser`.
    pub operation: &'static str,
    /// Cognito's exception name, e.g. `UserNotFoundException`, when there was one.
    pub exception: Option<String>,
    /// Cognito's own message, or the transport's.
    pub message: String,
    /// The timeout that elapsed, for `Timeout`.
    pub timeout: Option<Duration>,
    /// The HTTP status of an answer that was an HTML page (a proxy's or an emulator's), not
    /// Cognito's JSON.
    pub html_status: Option<u16>,
}

impl CognitoError {
    /// Builds an error of `kind` for `operation`.
    pub fn new(kind: ErrorKind, operation: &'static str, message: impl Into<String>) -> Self {
        Self {
            kind,
            operation,
            exception: None,
            message: message.into(),
            timeout: None,
            html_status: None,
        }
    }

    /// The endpoint answered `status` with an HTML page instead of Cognito's JSON: said in
    /// those words, not as the JSON parser's complaint about a `<`.
    pub fn html_page(operation: &'static str, status: u16) -> Self {
        let kind = if status >= 500 {
            ErrorKind::Internal
        } else {
            ErrorKind::Other
        };
        let question = if status >= 400 {
            format!("does it implement {operation}?")
        } else {
            "is it a Cognito endpoint, or a proxy's sign-in page?".to_string()
        };
        let mut error = Self::new(
            kind,
            operation,
            format!(
                "the endpoint answered HTTP {status} with an HTML page, not a Cognito \
                 response — {question}"
            ),
        );
        error.html_status = Some(status);
        error
    }

    /// Records the Cognito exception name.
    pub fn with_exception(mut self, exception: impl Into<String>) -> Self {
        self.exception = Some(exception.into());
        self
    }

    /// Maps a Cognito exception name (the `__type` of a JSON error) to a kind.
    pub fn kind_for_exception(code: &str) -> ErrorKind {
        match code {
            "UserNotFoundException" => ErrorKind::UserNotFound,
            "ResourceNotFoundException" => ErrorKind::PoolNotFound,
            "InvalidParameterException" | "ValidationException" | "SerializationException" => {
                ErrorKind::InvalidParameter
            }
            "TooManyRequestsException" | "ThrottlingException" | "LimitExceededException" => {
                ErrorKind::Throttled
            }
            "NotAuthorizedException" => ErrorKind::NotAuthorized,
            "UserPoolAddOnNotEnabledException" => ErrorKind::NotEnabled,
            "AccessDeniedException" | "AccessDenied" => ErrorKind::AccessDenied,
            "UnrecognizedClientException"
            | "InvalidSignatureException"
            | "ExpiredTokenException"
            | "ExpiredToken"
            | "InvalidClientTokenId"
            | "MissingAuthenticationTokenException"
            | "IncompleteSignature" => ErrorKind::Credentials,
            "InternalErrorException" | "InternalFailure" | "ServiceUnavailable" => {
                ErrorKind::Internal
            }
            _ => ErrorKind::Other,
        }
    }

    /// What the user should do next, given where the request went.
    pub fn hint(&self, ctx: &ErrorContext<'_>) -> String {
        let pool = ctx.pool.unwrap_or("the pool");
        let action = format!("cognito-idp:{}", self.operation);
        if self.html_status.is_some() {
            return format!(
                "check --endpoint-url ({}): emulators leave some operations out (moto has no \
                 {}), and a proxy may want you to sign in first",
                ctx.target.unwrap_or("the Cognito endpoint"),
                self.operation
            );
        }
        match self.kind {
            ErrorKind::UserNotFound => format!("no such user in {pool}"),
            // The pool answered the lookup just before; what is missing is the group.
            ErrorKind::PoolNotFound
                if matches!(
                    self.operation,
                    "AdminAddUserToGroup" | "AdminRemoveUserFromGroup"
                ) =>
            {
                format!("the group does not exist (any more) in {pool}; reopen the list")
            }
            ErrorKind::PoolNotFound => pool_not_found_hint(pool, ctx),
            ErrorKind::InvalidParameter => {
                "Cognito rejected the request as malformed; check the pool id and the query".into()
            }
            ErrorKind::Throttled => format!(
                "Cognito is throttling this account's {} requests (the quota is shared with \
                 production); wait a few seconds and try again",
                self.operation
            ),
            ErrorKind::NotAuthorized => format!(
                "Cognito refused the caller; check that your credentials may call {action} on {pool}"
            ),
            ErrorKind::AccessDenied => {
                let policy = policy_file_for(self.operation);
                format!("IAM denied {action}; ask for it on {pool} (see assets/{policy})")
            }
            ErrorKind::Credentials => credentials_hint(ctx.profile, &self.message),
            ErrorKind::Internal => {
                "Cognito had an internal error even after retries; try again shortly".into()
            }
            ErrorKind::Timeout => timeout_hint(self.timeout),
            ErrorKind::Network => format!(
                "could not reach {}; check the network, proxy settings or --endpoint-url",
                ctx.target.unwrap_or("the Cognito endpoint")
            ),
            ErrorKind::Unsupported => format!(
                "this endpoint does not implement {} (an emulator?)",
                self.operation
            ),
            ErrorKind::NotEnabled if self.operation == "AdminListUserAuthEvents" => {
                "sign-in history needs threat protection (advanced security) on this pool".into()
            }
            ErrorKind::NotEnabled => format!(
                "{} needs a feature this pool has not enabled",
                self.operation
            ),
            ErrorKind::ReadOnly => {
                "cognito-tui is read-only; start it with --allow-write to change users".into()
            }
            ErrorKind::Configuration => {
                "pass --region REGION (or set AWS_REGION, or region= in the profile)".into()
            }
            ErrorKind::Other => format!("{} failed unexpectedly; see the log file", self.operation),
            ErrorKind::Tls => "behind a TLS-inspecting proxy or with a private CA, point \
                               AWS_CA_BUNDLE or the profile's ca_bundle at the CA's certificate \
                               (PEM); it is added to the system's roots"
                .into(),
        }
    }
}

/// The hint for a pool that was not found: it names the Region asked, and the
/// Region the pool id itself names when the two differ.
fn pool_not_found_hint(pool: &str, ctx: &ErrorContext<'_>) -> String {
    let mut hint = format!(
        "check the pool id and the Region: {pool} was not found{}",
        ctx.region.map(|r| format!(" in {r}")).unwrap_or_default()
    );
    if let (Some(asked), Some(region)) = (ctx.pool_region, ctx.region)
        && asked != region
    {
        hint.push_str(&format!(
            " (the pool id says {asked}; try --region {asked})"
        ));
    }
    hint
}

/// The example IAM policy under assets/ that grants `operation`: writes need the write policy.
fn policy_file_for(operation: &str) -> &'static str {
    match super::Op::ALL.iter().find(|op| op.name == operation) {
        Some(op) if op.access == super::Access::Write => "iam-policy-write.json",
        _ => "iam-policy.json",
    }
}

/// The hint for missing or expired credentials, naming the profile when there is one. An
/// `aws login` profile's cached console session (aws-config's Login provider: its messages
/// all name the "Login token") is renewed with `aws login`, not `aws sso login`.
fn credentials_hint(profile: Option<&str>, message: &str) -> String {
    let console_login = message.contains("Login token");
    match profile {
        Some(p) if console_login => format!(
            "the console sign-in session of profile {p} has expired or can't be read; run \
             `aws login --profile {p}`"
        ),
        None if console_login => {
            "the console sign-in session has expired or can't be read; run `aws login`".into()
        }
        Some(p) => format!(
            "no valid AWS credentials for profile {p}; run `aws sso login --profile {p}` \
             (or check ~/.aws/credentials)"
        ),
        None => "no valid AWS credentials; set AWS_PROFILE and run `aws sso login`, or \
                 export AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or use --profile"
            .into(),
    }
}

/// The hint for a request that got no answer in time, naming the timeout when known.
fn timeout_hint(timeout: Option<Duration>) -> String {
    format!(
        "no answer within {}; check the network or raise --timeout",
        timeout
            .map(|t| format!("{} s", t.as_secs_f64()))
            .unwrap_or_else(|| "the timeout".into())
    )
}

/// Where a request went, so hints can name the pool, Region and profile.
#[derive(Debug, Clone, Copy, Default)]
pub struct ErrorContext<'a> {
    pub pool: Option<&'a str>,
    /// The Region the pool id names, if any.
    pub pool_region: Option<&'a str>,
    /// The Region requests went to.
    pub region: Option<&'a str>,
    pub profile: Option<&'a str>,
    /// Endpoint or Region label.
    pub target: Option<&'a str>,
}

impl fmt::Display for CognitoError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} failed", self.operation)?;
        if let Some(exception) = &self.exception {
            write!(f, ": {exception}")?;
        }
        if !self.message.is_empty() {
            write!(f, ": {}", self.message)?;
        }
        Ok(())
    }
}

impl std::error::Error for CognitoError {}
