//! The demo pool's file format (`assets/demo-pool.json`): DescribeUserPool's and
//! AdminGetUser's field names, plus what the other operations answer for each user.

use serde::Deserialize;
use time::OffsetDateTime;

use crate::cognito::{Attribute, AuthEvent, Device, Group, MfaOption, UserStatus};

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct PoolFile {
    pub(super) user_pool_id: String,
    pub(super) name: String,
    #[serde(default)]
    pub(super) alias_attributes: Vec<String>,
    #[serde(default)]
    pub(super) username_attributes: Vec<String>,
    #[serde(default = "default_true")]
    pub(super) case_sensitive: bool,
    /// Whether threat protection is on (sign-in history available).
    #[serde(default)]
    pub(super) threat_protection: bool,
    /// `UserPoolAddOns.AdvancedSecurityMode`; derived from `ThreatProtection` when absent.
    pub(super) advanced_security_mode: Option<String>,
    pub(super) mfa_configuration: Option<String>,
    pub(super) temporary_password_validity_days: Option<i32>,
    pub(super) recovery_mechanisms: Option<Vec<String>>,
    #[serde(default)]
    pub(super) auto_verified_attributes: Vec<String>,
    #[serde(default)]
    pub(super) groups: Vec<Group>,
    pub(super) users: Vec<DemoUser>,
    /// `UserPoolTier`: LITE, ESSENTIALS or PLUS.
    pub(super) user_pool_tier: Option<String>,
    /// `Policies.SignInPolicy.AllowedFirstAuthFactors`.
    pub(super) allowed_first_auth_factors: Option<Vec<String>>,
    /// `AdminCreateUserConfig.UnusedAccountValidityDays` (legacy).
    pub(super) unused_account_validity_days: Option<i32>,
    pub(super) email_configuration_failure: Option<String>,
    pub(super) sms_configuration_failure: Option<String>,
    /// What GetUserPoolMfaConfig answers: the factors the pool offers.
    #[serde(default)]
    pub(super) mfa_factors: DemoMfa,
    /// `Policies.PasswordPolicy`; Cognito's defaults when absent.
    pub(super) password_policy: Option<DemoPasswordPolicy>,
}

/// The demo pool's `PasswordPolicy`, in `PasswordPolicyType`'s field names.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct DemoPasswordPolicy {
    pub(super) minimum_length: u8,
    #[serde(default)]
    pub(super) require_uppercase: bool,
    #[serde(default)]
    pub(super) require_lowercase: bool,
    #[serde(default)]
    pub(super) require_numbers: bool,
    #[serde(default)]
    pub(super) require_symbols: bool,
}

impl From<DemoPasswordPolicy> for crate::cognito::PasswordPolicy {
    fn from(p: DemoPasswordPolicy) -> Self {
        Self {
            minimum_length: p.minimum_length.clamp(6, 99),
            require_uppercase: p.require_uppercase,
            require_lowercase: p.require_lowercase,
            require_numbers: p.require_numbers,
            require_symbols: p.require_symbols,
        }
    }
}

/// The demo pool's MFA factors (GetUserPoolMfaConfig), SMS and TOTP by default.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct DemoMfa {
    #[serde(default = "default_true")]
    pub(super) sms: bool,
    #[serde(default = "default_true")]
    pub(super) totp: bool,
    #[serde(default)]
    pub(super) email: bool,
    #[serde(default)]
    pub(super) passkey: bool,
}

impl Default for DemoMfa {
    fn default() -> Self {
        Self {
            sms: true,
            totp: true,
            email: false,
            passkey: false,
        }
    }
}

pub(super) fn default_true() -> bool {
    true
}

#[derive(Debug, Clone, Deserialize)]
pub(super) struct DemoUser {
    #[serde(rename = "Username")]
    pub(super) username: String,
    #[serde(rename = "UserAttributes", default)]
    pub(super) attributes: Vec<Attribute>,
    #[serde(
        rename = "UserCreateDate",
        with = "time::serde::rfc3339::option",
        default
    )]
    pub(super) created: Option<OffsetDateTime>,
    #[serde(
        rename = "UserLastModifiedDate",
        with = "time::serde::rfc3339::option",
        default
    )]
    pub(super) last_modified: Option<OffsetDateTime>,
    #[serde(rename = "Enabled", default = "default_true")]
    pub(super) enabled: bool,
    #[serde(rename = "UserStatus")]
    pub(super) status: Option<UserStatus>,
    #[serde(rename = "MFAOptions")]
    pub(super) mfa_options: Option<Vec<MfaOption>>,
    #[serde(rename = "PreferredMfaSetting")]
    pub(super) preferred_mfa: Option<String>,
    #[serde(rename = "UserMFASettingList")]
    pub(super) mfa_settings: Option<Vec<String>>,
    /// Names of the pool's groups this user is in.
    #[serde(rename = "Groups", default)]
    pub(super) groups: Vec<String>,
    #[serde(rename = "Devices", default)]
    pub(super) devices: Vec<DemoDevice>,
    #[serde(rename = "AuthEvents", default)]
    pub(super) auth_events: Vec<DemoAuthEvent>,
    /// What AdminGetUserAuthFactors answers (`PASSWORD`, `EMAIL_OTP`, `SMS_OTP`, `WEB_AUTHN`);
    /// `PASSWORD` alone when absent.
    #[serde(rename = "ConfiguredUserAuthFactors")]
    pub(super) auth_factors: Option<Vec<String>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct DemoDevice {
    pub(super) device_key: String,
    #[serde(default)]
    pub(super) device_attributes: Vec<Attribute>,
    #[serde(with = "time::serde::rfc3339::option", default)]
    pub(super) device_create_date: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option", default)]
    pub(super) device_last_modified_date: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option", default)]
    pub(super) device_last_authenticated_date: Option<OffsetDateTime>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct DemoRisk {
    pub(super) risk_level: Option<String>,
    pub(super) risk_decision: Option<String>,
    pub(super) compromised_credentials_detected: Option<bool>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct DemoChallenge {
    pub(super) challenge_name: String,
    pub(super) challenge_response: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct DemoContext {
    pub(super) ip_address: Option<String>,
    pub(super) city: Option<String>,
    pub(super) country: Option<String>,
    pub(super) device_name: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct DemoAuthEvent {
    pub(super) event_id: Option<String>,
    pub(super) event_type: Option<String>,
    #[serde(with = "time::serde::rfc3339::option", default)]
    pub(super) creation_date: Option<OffsetDateTime>,
    pub(super) event_response: Option<String>,
    #[serde(default)]
    pub(super) event_risk: DemoRisk,
    #[serde(default)]
    pub(super) event_context_data: DemoContext,
    #[serde(default)]
    pub(super) challenge_responses: Vec<DemoChallenge>,
    /// Instead of `CreationDate`: minutes before now, for a demo of something in progress
    /// (a lockout).
    pub(super) minutes_ago: Option<i64>,
}

impl From<&DemoDevice> for Device {
    fn from(d: &DemoDevice) -> Self {
        Device {
            key: d.device_key.clone(),
            attributes: d.device_attributes.clone(),
            created: d.device_create_date,
            last_modified: d.device_last_modified_date,
            last_authenticated: d.device_last_authenticated_date,
        }
    }
}

impl From<&DemoAuthEvent> for AuthEvent {
    fn from(e: &DemoAuthEvent) -> Self {
        AuthEvent {
            id: e.event_id.clone(),
            event_type: e.event_type.clone(),
            created: e.creation_date.or_else(|| {
                e.minutes_ago
                    .map(|m| OffsetDateTime::now_utc() - time::Duration::minutes(m))
                    .map(|t| t.replace_nanosecond(0).unwrap_or(t))
            }),
            response: e.event_response.clone(),
            risk_level: e.event_risk.risk_level.clone(),
            risk_decision: e.event_risk.risk_decision.clone(),
            ip_address: e.event_context_data.ip_address.clone(),
            city: e.event_context_data.city.clone(),
            country: e.event_context_data.country.clone(),
            device_name: e.event_context_data.device_name.clone(),
            compromised_credentials: e.event_risk.compromised_credentials_detected,
            challenges: e
                .challenge_responses
                .iter()
                .map(|c| format!("{}:{}", c.challenge_name, c.challenge_response))
                .collect(),
        }
    }
}
