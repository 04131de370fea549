//! The domain: our own types for Cognito users and errors, and the `Backend` trait
//! that the AWS SDK and the demo pool both implement. Nothing here depends on SDK types.

pub mod demo;
pub mod error;
pub mod layer;
pub mod listing;
pub mod lookup;
pub mod mfa_code;
pub mod op;
pub mod password;
pub mod resources;
pub mod sdk;

use std::fmt;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

pub use error::{CognitoError, ErrorKind};
pub use listing::{ListKind, Listing, ListingPage};
pub use op::{Access, Op, QuotaCategory};
pub use password::{PasswordPolicy, TemporaryPassword};
pub use resources::{
    AuthEvent, Device, Group, InviteDelivery, Page, VerifiedAttribute, WriteAction,
};

/// One name/value pair from `UserAttributes` (AdminGetUser) or `Attributes` (ListUsers).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attribute {
    #[serde(rename = "Name")]
    pub name: String,
    #[serde(rename = "Value", default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

impl Attribute {
    /// Convenience constructor for an attribute with a value.
    pub fn new(name: impl Into<String>, value: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            value: Some(value.into()),
        }
    }
}

/// `UserStatus` as Cognito reports it; unknown future values are kept verbatim.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum UserStatus {
    Unconfirmed,
    Confirmed,
    Archived,
    Compromised,
    Unknown,
    ResetRequired,
    ForceChangePassword,
    ExternalProvider,
    Other(String),
}

impl UserStatus {
    /// Every status the API reference lists, in its order.
    pub const ALL: [UserStatus; 8] = [
        UserStatus::Unconfirmed,
        UserStatus::Confirmed,
        UserStatus::Archived,
        UserStatus::Compromised,
        UserStatus::Unknown,
        UserStatus::ResetRequired,
        UserStatus::ForceChangePassword,
        UserStatus::ExternalProvider,
    ];

    /// Parses Cognito's wire value.
    pub fn from_wire(s: &str) -> Self {
        match s {
            "UNCONFIRMED" => Self::Unconfirmed,
            "CONFIRMED" => Self::Confirmed,
            "ARCHIVED" => Self::Archived,
            "COMPROMISED" => Self::Compromised,
            "UNKNOWN" => Self::Unknown,
            "RESET_REQUIRED" => Self::ResetRequired,
            "FORCE_CHANGE_PASSWORD" => Self::ForceChangePassword,
            "EXTERNAL_PROVIDER" => Self::ExternalProvider,
            other => Self::Other(other.to_string()),
        }
    }

    /// Cognito's wire value.
    pub fn as_wire(&self) -> &str {
        match self {
            Self::Unconfirmed => "UNCONFIRMED",
            Self::Confirmed => "CONFIRMED",
            Self::Archived => "ARCHIVED",
            Self::Compromised => "COMPROMISED",
            Self::Unknown => "UNKNOWN",
            Self::ResetRequired => "RESET_REQUIRED",
            Self::ForceChangePassword => "FORCE_CHANGE_PASSWORD",
            Self::ExternalProvider => "EXTERNAL_PROVIDER",
            Self::Other(s) => s,
        }
    }

    /// What the status means, in the words a support engineer needs.
    pub fn meaning(&self) -> &'static str {
        match self {
            Self::Unconfirmed => "created but not confirmed: has not verified the sign-up code yet",
            Self::Confirmed => "confirmed: can sign in normally",
            Self::Archived => "archived: no longer active",
            Self::Compromised => {
                "compromised: credentials were found in a breach; must reset the password"
            }
            Self::Unknown => "status is not known to Cognito",
            Self::ResetRequired => {
                "confirmed, but must request a code and reset the password before signing in"
            }
            Self::ForceChangePassword => {
                "confirmed with a temporary password: must set a new password at next sign-in"
            }
            Self::ExternalProvider => "signed up through a federated identity provider",
            Self::Other(_) => "a status this version of cognito-tui does not know",
        }
    }
}

impl fmt::Display for UserStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_wire())
    }
}

impl Serialize for UserStatus {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_wire())
    }
}

impl<'de> Deserialize<'de> for UserStatus {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Ok(Self::from_wire(&s))
    }
}

/// A legacy (deprecated) `MFAOptions` entry: SMS delivery to an attribute.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MfaOption {
    #[serde(
        rename = "DeliveryMedium",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub delivery_medium: Option<String>,
    #[serde(
        rename = "AttributeName",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub attribute_name: Option<String>,
}

/// A user as AdminGetUser returns it. Optional fields stay optional so that the JSON
/// output can reproduce exactly what Cognito sent (omitted vs. empty).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct User {
    pub username: String,
    pub attributes: Vec<Attribute>,
    pub created: Option<OffsetDateTime>,
    pub last_modified: Option<OffsetDateTime>,
    pub enabled: bool,
    pub status: Option<UserStatus>,
    /// Deprecated by AWS; kept because old SMS-MFA users still carry it.
    pub mfa_options: Option<Vec<MfaOption>>,
    pub preferred_mfa: Option<String>,
    pub mfa_settings: Option<Vec<String>>,
}

impl User {
    /// The value of an attribute, if present.
    pub fn attribute(&self, name: &str) -> Option<&str> {
        attribute_value(&self.attributes, name)
    }

    /// The immutable `sub` of the user.
    pub fn sub(&self) -> Option<&str> {
        self.attribute("sub")
    }
}

impl From<UserSummary> for User {
    /// The user without MFA fields, which only AdminGetUser reports.
    fn from(s: UserSummary) -> Self {
        User {
            username: s.username,
            attributes: s.attributes,
            created: s.created,
            last_modified: s.last_modified,
            enabled: s.enabled,
            status: s.status,
            ..User::default()
        }
    }
}

/// A user as ListUsers returns it: no MFA fields.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct UserSummary {
    pub username: String,
    pub attributes: Vec<Attribute>,
    pub created: Option<OffsetDateTime>,
    pub last_modified: Option<OffsetDateTime>,
    pub enabled: bool,
    pub status: Option<UserStatus>,
}

impl UserSummary {
    /// The value of an attribute, if present.
    pub fn attribute(&self, name: &str) -> Option<&str> {
        attribute_value(&self.attributes, name)
    }
}

fn attribute_value<'a>(attributes: &'a [Attribute], name: &str) -> Option<&'a str> {
    attributes
        .iter()
        .find(|a| a.name == name)
        .and_then(|a| a.value.as_deref())
}

/// A validated user pool id (`[\w-]+_[0-9a-zA-Z]+`, at most 55 characters).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PoolId(String);

impl PoolId {
    /// Checks a pool id against Cognito's pattern before any request is made.
    pub fn parse(raw: &str) -> Result<Self, PoolIdError> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Err(PoolIdError::Empty);
        }
        let length = raw.chars().count();
        if length > 55 {
            return Err(PoolIdError::TooLong(length));
        }
        let valid = match raw.rsplit_once('_') {
            Some((prefix, suffix)) => {
                !prefix.is_empty()
                    && !suffix.is_empty()
                    && prefix
                        .chars()
                        .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
                    && suffix.chars().all(|c| c.is_ascii_alphanumeric())
            }
            None => false,
        };
        if !valid {
            return Err(PoolIdError::Malformed(raw.to_string()));
        }
        Ok(Self(raw.to_string()))
    }

    /// The pool id as Cognito spells it.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The Region encoded in the pool id, if it looks like one.
    ///
    /// ```
    /// use cognito_tui::cognito::PoolId;
    /// assert_eq!(PoolId::parse("eu-west-1_AbC123").unwrap().region(), Some("eu-west-1"));
    /// assert_eq!(PoolId::parse("local_AbC123").unwrap().region(), None);
    /// ```
    pub fn region(&self) -> Option<&str> {
        let (prefix, _) = self.0.split_once('_')?;
        let parts: Vec<&str> = prefix.split('-').collect();
        let looks_like_region = parts.len() >= 3
            && parts[0].len() == 2
            && parts[0].chars().all(|c| c.is_ascii_lowercase())
            && parts[parts.len() - 1].chars().all(|c| c.is_ascii_digit())
            && parts[1..parts.len() - 1]
                .iter()
                .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_lowercase()));
        looks_like_region.then_some(prefix)
    }
}

impl fmt::Display for PoolId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Why a string is not a user pool id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PoolIdError {
    /// Nothing but whitespace.
    #[error("the user pool id is empty; it looks like us-east-1_AbCdEf123")]
    Empty,
    /// Longer than Cognito allows (the length in characters).
    #[error("the user pool id is {0} characters long; Cognito pool ids have at most 55")]
    TooLong(usize),
    /// Not `REGION_ID`.
    #[error("{0:?} is not a user pool id: expected REGION_ID such as us-east-1_AbCdEf123")]
    Malformed(String),
}

/// An attribute that ListUsers can filter on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FilterAttribute {
    Username,
    Email,
    PhoneNumber,
    Name,
    GivenName,
    FamilyName,
    PreferredUsername,
    /// `status`: "Enabled" or "Disabled".
    Status,
    /// `cognito:user_status`: CONFIRMED, UNCONFIRMED, FORCE_CHANGE_PASSWORD…
    UserStatus,
    Sub,
}

impl FilterAttribute {
    /// The attribute name used in the filter expression.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Username => "username",
            Self::Email => "email",
            Self::PhoneNumber => "phone_number",
            Self::Name => "name",
            Self::GivenName => "given_name",
            Self::FamilyName => "family_name",
            Self::PreferredUsername => "preferred_username",
            Self::Status => "status",
            Self::UserStatus => "cognito:user_status",
            Self::Sub => "sub",
        }
    }

    /// Parses a filter attribute name.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "username" => Self::Username,
            "email" => Self::Email,
            "phone_number" => Self::PhoneNumber,
            "name" => Self::Name,
            "given_name" => Self::GivenName,
            "family_name" => Self::FamilyName,
            "preferred_username" => Self::PreferredUsername,
            "status" => Self::Status,
            "cognito:user_status" => Self::UserStatus,
            "sub" => Self::Sub,
            _ => return None,
        })
    }
}

/// A ListUsers filter: `attribute = "value"` or `attribute ^= "value"`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListFilter {
    pub attribute: FilterAttribute,
    pub prefix: bool,
    pub value: String,
}

impl ListFilter {
    /// An exact-match filter.
    pub fn exact(attribute: FilterAttribute, value: impl Into<String>) -> Self {
        Self {
            attribute,
            prefix: false,
            value: value.into(),
        }
    }

    /// The filter expression, with quotes and backslashes escaped.
    pub fn expression(&self) -> String {
        let mut escaped = String::with_capacity(self.value.len() + 2);
        for c in self.value.chars() {
            if c == '"' || c == '\\' {
                escaped.push('\\');
            }
            escaped.push(c);
        }
        let op = if self.prefix { "^=" } else { "=" };
        format!("{} {op} \"{escaped}\"", self.attribute.as_str())
    }

    /// Parses a filter expression as Cognito does (used by the demo backend).
    pub fn parse(expr: &str) -> Option<Self> {
        let expr = expr.trim();
        let (name, _) = expr.split_once(|c: char| c.is_whitespace() || c == '^' || c == '=')?;
        let attribute = FilterAttribute::parse(name.trim())?;
        let rest = expr[name.len()..].trim_start();
        let (prefix, rest) = if let Some(r) = rest.strip_prefix("^=") {
            (true, r)
        } else if let Some(r) = rest.strip_prefix('=') {
            (false, r)
        } else {
            return None;
        };
        let rest = rest.trim();
        let inner = rest.strip_prefix('"')?.strip_suffix('"')?;
        let mut value = String::with_capacity(inner.len());
        let mut chars = inner.chars();
        while let Some(c) = chars.next() {
            if c == '\\' {
                value.push(chars.next()?);
            } else {
                value.push(c);
            }
        }
        Some(Self {
            attribute,
            prefix,
            value,
        })
    }
}

/// One page of ListUsers.
#[derive(Debug, Clone, Default)]
pub struct UserPage {
    pub users: Vec<UserSummary>,
    pub next_token: Option<String>,
}

impl From<Page<UserSummary>> for UserPage {
    fn from(page: Page<UserSummary>) -> Self {
        UserPage {
            users: page.items,
            next_token: page.next_token,
        }
    }
}

/// What DescribeUserPool tells us: how users can be named, and the settings that decide
/// whether a user can sign in (read by `crate::diagnose`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PoolSchema {
    pub name: Option<String>,
    /// `UsernameAttributes`: email and/or phone_number replace the username.
    pub username_attributes: Vec<String>,
    /// `AliasAttributes`: email, phone_number, preferred_username usable as sign-in aliases.
    pub alias_attributes: Vec<String>,
    /// `MfaConfiguration`: `OFF`, `ON` (required) or `OPTIONAL`; None when not reported.
    pub mfa_configuration: Option<String>,
    /// `Policies.PasswordPolicy.TemporaryPasswordValidityDays`; None when not reported.
    pub temporary_password_validity_days: Option<i32>,
    /// `AccountRecoverySetting.RecoveryMechanisms` names by priority (`verified_email`,
    /// `verified_phone_number`, `admin_only`); None when the pool has no such setting.
    pub recovery_mechanisms: Option<Vec<String>>,
    /// `AutoVerifiedAttributes`: email and/or phone_number, verified by a code at sign-up.
    pub auto_verified_attributes: Vec<String>,
    /// `UserPoolAddOns.AdvancedSecurityMode` (threat protection): `OFF`, `AUDIT`, `ENFORCED`.
    pub advanced_security_mode: Option<String>,
    /// `EstimatedNumberOfUsers`.
    pub estimated_number_of_users: Option<i32>,
    /// `UserPoolTier`, the feature plan: `LITE`, `ESSENTIALS` or `PLUS`; None when not reported.
    pub tier: Option<String>,
    /// `Policies.SignInPolicy.AllowedFirstAuthFactors` (`PASSWORD`, `EMAIL_OTP`, `SMS_OTP`,
    /// `WEB_AUTHN`); None when the pool has no sign-in policy (password only).
    pub allowed_first_factors: Option<Vec<String>>,
    /// `AdminCreateUserConfig.UnusedAccountValidityDays`: the legacy invitation validity,
    /// effective while `TemporaryPasswordValidityDays` is not set.
    pub unused_account_validity_days: Option<i32>,
    /// `EmailConfigurationFailure`: why Cognito can't send email, when it can't.
    pub email_configuration_failure: Option<String>,
    /// `SmsConfigurationFailure`: why Cognito can't send SMS, when it can't.
    pub sms_configuration_failure: Option<String>,
    /// GetUserPoolMfaConfig's answer, read with DescribeUserPool; None when not read (MFA off,
    /// or the call was refused).
    pub mfa: Option<PoolMfa>,
    /// `Policies.PasswordPolicy` (length and kinds); None when not reported, where Cognito's
    /// defaults apply.
    pub password_policy: Option<PasswordPolicy>,
}

/// Which MFA factors the pool offers (GetUserPoolMfaConfig).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PoolMfa {
    /// `SmsMfaConfiguration` present: SMS MFA.
    pub sms: bool,
    /// `SoftwareTokenMfaConfiguration.Enabled`: authenticator apps (TOTP).
    pub totp: bool,
    /// `EmailMfaConfiguration` present: email MFA (Essentials or Plus plan).
    pub email: bool,
    /// `WebAuthnConfiguration.FactorConfiguration=MULTI_FACTOR_WITH_USER_VERIFICATION`: a
    /// passkey with user verification satisfies MFA.
    pub passkey: bool,
}

/// A user's sign-in factors (AdminGetUserAuthFactors).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct AuthFactors {
    #[serde(
        rename = "PreferredMfaSetting",
        skip_serializing_if = "Option::is_none"
    )]
    pub preferred_mfa: Option<String>,
    /// `SMS_MFA`, `EMAIL_OTP`, `SOFTWARE_TOKEN_MFA`.
    #[serde(rename = "UserMFASettingList")]
    pub mfa_settings: Vec<String>,
    /// `PASSWORD`, `EMAIL_OTP`, `SMS_OTP`, `WEB_AUTHN`: what the user can sign in with.
    #[serde(rename = "ConfiguredUserAuthFactors")]
    pub configured: Vec<String>,
}

impl AuthFactors {
    /// Whether the user has a passkey registered (`WEB_AUTHN` among the configured factors).
    pub fn has_passkey(&self) -> bool {
        self.configured.iter().any(|f| f == "WEB_AUTHN")
    }
}

/// Cognito's default `TemporaryPasswordValidityDays`.
pub const DEFAULT_TEMPORARY_PASSWORD_DAYS: i32 = 7;

impl PoolSchema {
    /// Whether AdminGetUser resolves this attribute directly in this pool.
    pub fn resolves_directly(&self, attribute: &str) -> bool {
        self.alias_attributes.iter().any(|a| a == attribute)
            || self.username_attributes.iter().any(|a| a == attribute)
    }

    /// Whether the pool requires MFA of every user (`MfaConfiguration=ON`).
    pub fn mfa_required(&self) -> bool {
        self.mfa_configuration.as_deref() == Some("ON")
    }

    /// Whether threat protection records sign-in history (AUDIT or ENFORCED).
    pub fn threat_protection(&self) -> bool {
        matches!(
            self.advanced_security_mode.as_deref(),
            Some("AUDIT" | "ENFORCED")
        )
    }

    /// Days a temporary password stays valid (Cognito's default when not reported).
    pub fn temporary_password_days(&self) -> i32 {
        self.temporary_password_validity_days
            .unwrap_or(DEFAULT_TEMPORARY_PASSWORD_DAYS)
    }

    /// How long an invitation's temporary password lasts, and the setting that says so:
    /// `TemporaryPasswordValidityDays`, else the legacy `UnusedAccountValidityDays`, else 7.
    /// AdminCreateUserConfigType (API reference): "For older user pools that have a
    /// UnusedAccountValidityDays configuration, that value is effective until you set a value
    /// for TemporaryPasswordValidityDays."
    pub fn invitation_validity(&self) -> (i32, &'static str) {
        match (
            self.temporary_password_validity_days,
            self.unused_account_validity_days,
        ) {
            (Some(days), _) => (days, "TemporaryPasswordValidityDays"),
            (None, Some(days)) => (days, "UnusedAccountValidityDays, the legacy setting"),
            (None, None) => (
                DEFAULT_TEMPORARY_PASSWORD_DAYS,
                "Cognito's default, as neither TemporaryPasswordValidityDays nor \
                 UnusedAccountValidityDays is set",
            ),
        }
    }

    /// The first factors users may sign in with; a pool without a sign-in policy allows only
    /// `PASSWORD`.
    pub fn first_factors(&self) -> Vec<&str> {
        match &self.allowed_first_factors {
            Some(list) if !list.is_empty() => list.iter().map(String::as_str).collect(),
            _ => vec!["PASSWORD"],
        }
    }

    /// Whether the sign-in policy allows more than `PASSWORD` (choice-based sign-in).
    pub fn allows_passwordless(&self) -> bool {
        self.first_factors().iter().any(|f| *f != "PASSWORD")
    }

    /// The MFA factors the pool offers (`SMS`, `TOTP`, `EMAIL`, `WEB_AUTHN`), when read.
    pub fn mfa_factor_names(&self) -> Option<Vec<&'static str>> {
        self.mfa.map(|m| {
            [
                (m.sms, "SMS"),
                (m.totp, "TOTP"),
                (m.email, "EMAIL"),
                (m.passkey, "WEB_AUTHN"),
            ]
            .into_iter()
            .filter_map(|(on, name)| on.then_some(name))
            .collect()
        })
    }

    /// The pool's sign-in model on one line:
    /// `plan ESSENTIALS · first factors PASSWORD, EMAIL_OTP · MFA OPTIONAL (SMS, TOTP)`.
    pub fn sign_in_summary(&self) -> String {
        format!(
            "plan {} · first factors {} · MFA {}{}",
            self.plan(),
            self.first_factors().join(", "),
            self.mfa_configuration.as_deref().unwrap_or("not reported"),
            self.mfa_factor_names()
                .map(|f| format!(" ({})", f.join(", ")))
                .unwrap_or_default()
        )
    }

    /// The feature plan as shown: `PLUS`, or "not reported".
    pub fn plan(&self) -> &str {
        self.tier.as_deref().unwrap_or("not reported")
    }

    /// The recovery channels in force; a pool without the setting uses Cognito's legacy
    /// order, verified phone then verified email.
    pub fn recovery_channels(&self) -> Vec<&str> {
        match &self.recovery_mechanisms {
            Some(list) => list.iter().map(String::as_str).collect(),
            None => vec!["verified_phone_number", "verified_email"],
        }
    }
}

/// A user pool as ListUserPools names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoolSummary {
    pub id: String,
    pub name: String,
}

/// One page of ListUserPools.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PoolPage {
    pub pools: Vec<PoolSummary>,
    pub next_token: Option<String>,
}

impl From<Page<PoolSummary>> for PoolPage {
    fn from(page: Page<PoolSummary>) -> Self {
        PoolPage {
            pools: page.items,
            next_token: page.next_token,
        }
    }
}

/// Which page of a paginated list to ask for: at most `limit` items (the operation's `Limit`
/// or `MaxResults`), after `token` (the first page when None).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest<'a> {
    pub limit: i32,
    pub token: Option<&'a str>,
}

impl<'a> PageRequest<'a> {
    /// The first page, of at most `limit` items.
    pub const fn first(limit: i32) -> Self {
        Self { limit, token: None }
    }

    /// The page after `token`, of at most `limit` items.
    pub const fn after(limit: i32, token: Option<&'a str>) -> Self {
        Self { limit, token }
    }
}

/// The Cognito operations a backend performs. Every method is one request.
#[async_trait]
pub trait Backend: Send + Sync {
    /// AdminGetUser. Counts the user as a monthly active user: call on an explicit open only.
    async fn admin_get_user(&self, pool: &PoolId, username: &str) -> Result<User, CognitoError>;

    /// ListUsers, one page (`limit` ≤ 60).
    async fn list_users(
        &self,
        pool: &PoolId,
        filter: Option<&ListFilter>,
        page: PageRequest<'_>,
    ) -> Result<UserPage, CognitoError>;

    /// DescribeUserPool, reduced to what resolution needs.
    async fn describe_pool(&self, pool: &PoolId) -> Result<PoolSchema, CognitoError>;

    /// ListUserPools, one page (`limit` 1–60). Backends that can't list pools say so.
    async fn list_user_pools(&self, page: PageRequest<'_>) -> Result<PoolPage, CognitoError> {
        let _ = page;
        Err(unsupported(Op::LIST_USER_POOLS, "list user pools"))
    }

    /// ListGroups, one page of the pool's groups (`limit` ≤ 60), for the add-to-group picker.
    /// Backends that can't list groups say so.
    async fn list_groups(
        &self,
        pool: &PoolId,
        page: PageRequest<'_>,
    ) -> Result<Page<Group>, CognitoError> {
        let _ = (pool, page);
        Err(unsupported(Op::LIST_GROUPS, "list groups"))
    }

    /// ListUsersInGroup, one page (`limit` ≤ 60) of the group's members. Backends that can't
    /// list a group's members say so.
    async fn list_users_in_group(
        &self,
        pool: &PoolId,
        group: &str,
        page: PageRequest<'_>,
    ) -> Result<UserPage, CognitoError> {
        let _ = (pool, group, page);
        Err(unsupported(
            Op::LIST_USERS_IN_GROUP,
            "list a group's members",
        ))
    }

    /// One page (`limit` ≤ 60) of one of the user's lists: its groups, devices or sign-in
    /// history, by `list`'s own operation. Sign-in history needs threat protection.
    async fn list_for_user(
        &self,
        pool: &PoolId,
        username: &str,
        list: ListKind,
        page: PageRequest<'_>,
    ) -> Result<ListingPage, CognitoError>;

    /// GetUserPoolMfaConfig: which MFA factors the pool offers. Backends that can't tell say so.
    async fn get_pool_mfa_config(&self, pool: &PoolId) -> Result<PoolMfa, CognitoError> {
        let _ = pool;
        Err(unsupported(
            Op::GET_POOL_MFA_CONFIG,
            "read the pool's MFA configuration",
        ))
    }

    /// AdminGetUserAuthFactors: the user's configured sign-in factors, passkeys included.
    /// Backends that can't tell say so.
    async fn get_user_auth_factors(
        &self,
        pool: &PoolId,
        username: &str,
    ) -> Result<AuthFactors, CognitoError> {
        let _ = (pool, username);
        Err(unsupported(
            Op::GET_USER_AUTH_FACTORS,
            "read a user's auth factors",
        ))
    }

    /// A short label for where requests go ("demo pool", "eu-west-1", an endpoint URL).
    fn describe_target(&self) -> String;
}

/// The pool's settings as the diagnosis reads them: DescribeUserPool, then, when the pool has
/// MFA on (`ON` or `OPTIONAL`), GetUserPoolMfaConfig for which factors it offers. Callers
/// read this once per pool and keep it, as they keep DescribeUserPool's answer. A refused
/// GetUserPoolMfaConfig leaves `mfa` unknown rather than failing the whole read.
pub async fn pool_settings(
    backend: &(impl Backend + ?Sized),
    pool: &PoolId,
) -> Result<PoolSchema, CognitoError> {
    let mut schema = backend.describe_pool(pool).await?;
    if matches!(schema.mfa_configuration.as_deref(), Some("ON" | "OPTIONAL")) {
        match backend.get_pool_mfa_config(pool).await {
            Ok(mfa) => schema.mfa = Some(mfa),
            Err(e) => tracing::info!(
                "GetUserPoolMfaConfig failed; MFA factors are judged without it: {}",
                crate::sanitize::sanitize(&e.to_string())
            ),
        }
    }
    Ok(schema)
}

/// The answer of a backend that cannot send `op`.
fn unsupported(op: Op, what: &str) -> CognitoError {
    CognitoError::new(
        ErrorKind::Unsupported,
        op.name,
        format!("this backend cannot {what}"),
    )
}

/// The write capability, apart from [`Backend`]: a session without `--allow-write` holds no
/// `Writer` at all, so read-only is the absence of a value rather than a check at each call.
#[async_trait]
pub trait Writer: Send + Sync {
    /// One write action (one request).
    async fn write(
        &self,
        pool: &PoolId,
        username: &str,
        action: WriteAction,
    ) -> Result<(), CognitoError>;
}
