//! The AWS SDK's answers as our domain types: users, pages, pool settings, groups, devices,
//! sign-in events. Pure conversions, no requests.

use aws_sdk_cognitoidentityprovider as cip;
use aws_sdk_cognitoidentityprovider::operation::admin_get_user::AdminGetUserOutput;
use time::OffsetDateTime;

use super::super::{
    Attribute, AuthEvent, Device, Group, MfaOption, Page, PasswordPolicy, PoolMfa, PoolSchema,
    PoolSummary, User, UserStatus, UserSummary,
};

pub(super) fn to_time(dt: Option<aws_smithy_types::DateTime>) -> Option<OffsetDateTime> {
    let dt = dt?;
    let nanos = i128::from(dt.secs()) * 1_000_000_000 + i128::from(dt.subsec_nanos());
    OffsetDateTime::from_unix_timestamp_nanos(nanos).ok()
}

pub(super) fn to_attributes(attrs: Option<Vec<cip::types::AttributeType>>) -> Vec<Attribute> {
    attrs
        .unwrap_or_default()
        .into_iter()
        .map(|a| Attribute {
            name: a.name,
            value: a.value,
        })
        .collect()
}

pub(super) fn wire<T: AsRef<str>>(value: Option<T>) -> Option<String> {
    value.map(|v| v.as_ref().to_string())
}

/// One page: items converted, and an empty token (some emulators send `""`) as none.
pub(super) fn page<I, T: From<I>>(items: Option<Vec<I>>, next_token: Option<String>) -> Page<T> {
    Page {
        items: items.unwrap_or_default().into_iter().map(T::from).collect(),
        next_token: next_token.filter(|t| !t.is_empty()),
    }
}

impl From<cip::types::UserType> for UserSummary {
    fn from(u: cip::types::UserType) -> Self {
        UserSummary {
            username: u.username.unwrap_or_default(),
            attributes: to_attributes(u.attributes),
            created: to_time(u.user_create_date),
            last_modified: to_time(u.user_last_modified_date),
            enabled: u.enabled,
            status: u.user_status.map(|s| UserStatus::from_wire(s.as_str())),
        }
    }
}

impl From<AdminGetUserOutput> for User {
    /// The fields AdminGetUser shares with ListUsers are mapped by the `UserSummary` one.
    fn from(out: AdminGetUserOutput) -> Self {
        let summary = UserSummary::from(
            cip::types::UserType::builder()
                .username(out.username)
                .set_attributes(out.user_attributes)
                .set_user_create_date(out.user_create_date)
                .set_user_last_modified_date(out.user_last_modified_date)
                .enabled(out.enabled)
                .set_user_status(out.user_status)
                .build(),
        );
        User {
            mfa_options: out.mfa_options.map(|list| {
                list.into_iter()
                    .map(|o| MfaOption {
                        delivery_medium: wire(o.delivery_medium),
                        attribute_name: o.attribute_name,
                    })
                    .collect()
            }),
            preferred_mfa: out.preferred_mfa_setting,
            mfa_settings: out.user_mfa_setting_list,
            ..User::from(summary)
        }
    }
}

/// DescribeUserPool's pool, reduced to what resolution needs.
pub(super) fn to_schema(pool: cip::types::UserPoolType) -> PoolSchema {
    fn names<T: AsRef<str>>(list: Option<Vec<T>>) -> Vec<String> {
        list.into_iter()
            .flatten()
            .filter_map(|a| wire(Some(a)))
            .collect()
    }
    // The SDK reads an absent TemporaryPasswordValidityDays as 0, never a real value.
    let temporary_days = pool
        .policies
        .as_ref()
        .and_then(|p| p.password_policy.as_ref())
        .map(|p| p.temporary_password_validity_days)
        .filter(|days| *days > 0);
    let password_policy = pool
        .policies
        .as_ref()
        .and_then(|p| p.password_policy.as_ref())
        .map(to_password_policy);
    let recovery = pool.account_recovery_setting.map(|setting| {
        let mut options = setting.recovery_mechanisms.unwrap_or_default();
        options.sort_by_key(|o| o.priority);
        options
            .iter()
            .map(|o| o.name.as_str().to_string())
            .collect()
    });
    PoolSchema {
        name: pool.name,
        username_attributes: names(pool.username_attributes),
        alias_attributes: names(pool.alias_attributes),
        mfa_configuration: pool.mfa_configuration.map(|m| m.as_str().to_string()),
        temporary_password_validity_days: temporary_days,
        recovery_mechanisms: recovery,
        auto_verified_attributes: names(pool.auto_verified_attributes),
        advanced_security_mode: pool
            .user_pool_add_ons
            .map(|a| a.advanced_security_mode.as_str().to_string()),
        estimated_number_of_users: Some(pool.estimated_number_of_users),
        tier: wire(pool.user_pool_tier),
        allowed_first_factors: pool
            .policies
            .and_then(|p| p.sign_in_policy)
            .and_then(|p| p.allowed_first_auth_factors)
            .map(|list| list.iter().map(|f| f.as_str().to_string()).collect()),
        // Absent reads as 0 in the SDK, and 0 is no real validity.
        unused_account_validity_days: pool
            .admin_create_user_config
            .map(|c| c.unused_account_validity_days)
            .filter(|days| *days > 0),
        email_configuration_failure: pool.email_configuration_failure,
        sms_configuration_failure: pool.sms_configuration_failure,
        mfa: None,
        password_policy,
    }
}

/// `PasswordPolicyType`; an absent `MinimumLength` is Cognito's default of 8, and a value is
/// kept within the documented 6–99.
pub(super) fn to_password_policy(p: &cip::types::PasswordPolicyType) -> PasswordPolicy {
    let length = p.minimum_length.unwrap_or(8).clamp(6, 99);
    PasswordPolicy {
        minimum_length: u8::try_from(length).unwrap_or(99),
        require_uppercase: p.require_uppercase,
        require_lowercase: p.require_lowercase,
        require_numbers: p.require_numbers,
        require_symbols: p.require_symbols,
    }
}

/// GetUserPoolMfaConfig's answer: which factors the pool offers.
pub(super) fn to_pool_mfa(
    out: cip::operation::get_user_pool_mfa_config::GetUserPoolMfaConfigOutput,
) -> PoolMfa {
    use cip::types::WebAuthnFactorConfigurationType as Factor;
    PoolMfa {
        sms: out.sms_mfa_configuration.is_some(),
        totp: out
            .software_token_mfa_configuration
            .is_some_and(|t| t.enabled),
        email: out.email_mfa_configuration.is_some(),
        passkey: out
            .web_authn_configuration
            .and_then(|w| w.factor_configuration)
            .is_some_and(|f| f == Factor::MultiFactorWithUserVerification),
    }
}

impl From<cip::types::UserPoolDescriptionType> for PoolSummary {
    fn from(p: cip::types::UserPoolDescriptionType) -> Self {
        PoolSummary {
            id: p.id.unwrap_or_default(),
            name: p.name.unwrap_or_default(),
        }
    }
}

impl From<cip::types::GroupType> for Group {
    fn from(g: cip::types::GroupType) -> Self {
        Group {
            name: g.group_name.unwrap_or_default(),
            description: g.description,
            precedence: g.precedence,
            role_arn: g.role_arn,
        }
    }
}

impl From<cip::types::DeviceType> for Device {
    fn from(d: cip::types::DeviceType) -> Self {
        Device {
            key: d.device_key.unwrap_or_default(),
            attributes: to_attributes(d.device_attributes),
            created: to_time(d.device_create_date),
            last_modified: to_time(d.device_last_modified_date),
            last_authenticated: to_time(d.device_last_authenticated_date),
        }
    }
}

impl From<cip::types::AuthEventType> for AuthEvent {
    fn from(e: cip::types::AuthEventType) -> Self {
        let risk = e.event_risk.as_ref();
        let context = e.event_context_data;
        AuthEvent {
            id: e.event_id,
            event_type: wire(e.event_type),
            created: to_time(e.creation_date),
            response: wire(e.event_response),
            risk_level: wire(risk.and_then(|r| r.risk_level.as_ref())),
            risk_decision: wire(risk.and_then(|r| r.risk_decision.as_ref())),
            ip_address: context.as_ref().and_then(|c| c.ip_address.clone()),
            city: context.as_ref().and_then(|c| c.city.clone()),
            country: context.as_ref().and_then(|c| c.country.clone()),
            device_name: context.and_then(|c| c.device_name),
            compromised_credentials: risk.and_then(|r| r.compromised_credentials_detected),
            challenges: e
                .challenge_responses
                .unwrap_or_default()
                .into_iter()
                .map(|c| {
                    format!(
                        "{}:{}",
                        wire(c.challenge_name).unwrap_or_default(),
                        wire(c.challenge_response).unwrap_or_default()
                    )
                })
                .collect(),
        }
    }
}
