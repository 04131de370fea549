//! The JSON shapes of one-shot results, in Cognito's own field names and order (AdminGetUser,
//! ListUsers, AdminListDevices, AdminListUserAuthEvents). They are values to serialize, not
//! text: only the sink ([`super::Stdout::json`]) turns them into bytes, through
//! `sanitize::SafeJsonFormatter`.

use serde::Serialize;

use super::Extras;
use crate::cognito::lookup::Ambiguous;
use crate::cognito::{Attribute, Group, MfaOption, User, UserStatus, UserSummary};
use crate::time::rfc3339;

/// A user in Cognito's JSON, field for field, in its order: AdminGetUser's response (its
/// `UserAttributes` and MFA fields) or a ListUsers `Users` item (`Attributes`, no MFA).
#[derive(Serialize)]
struct UserJson<'a> {
    #[serde(rename = "Username")]
    username: &'a str,
    #[serde(rename = "UserAttributes", skip_serializing_if = "Option::is_none")]
    user_attributes: Option<&'a [Attribute]>,
    #[serde(rename = "Attributes", skip_serializing_if = "Option::is_none")]
    attributes: Option<&'a [Attribute]>,
    #[serde(rename = "UserCreateDate", skip_serializing_if = "Option::is_none")]
    created: Option<String>,
    #[serde(
        rename = "UserLastModifiedDate",
        skip_serializing_if = "Option::is_none"
    )]
    last_modified: Option<String>,
    #[serde(rename = "Enabled")]
    enabled: bool,
    #[serde(rename = "UserStatus", skip_serializing_if = "Option::is_none")]
    status: Option<&'a str>,
    #[serde(rename = "MFAOptions", skip_serializing_if = "Option::is_none")]
    mfa_options: Option<&'a [MfaOption]>,
    #[serde(
        rename = "PreferredMfaSetting",
        skip_serializing_if = "Option::is_none"
    )]
    preferred_mfa: Option<&'a str>,
    #[serde(rename = "UserMFASettingList", skip_serializing_if = "Option::is_none")]
    mfa_settings: Option<&'a [String]>,
}

impl<'a> UserJson<'a> {
    /// AdminGetUser's response shape.
    fn admin_get_user(user: &'a User) -> Self {
        Self {
            username: &user.username,
            user_attributes: Some(&user.attributes),
            attributes: None,
            created: user.created.map(rfc3339),
            last_modified: user.last_modified.map(rfc3339),
            enabled: user.enabled,
            status: user.status.as_ref().map(UserStatus::as_wire),
            mfa_options: user.mfa_options.as_deref(),
            preferred_mfa: user.preferred_mfa.as_deref(),
            mfa_settings: user.mfa_settings.as_deref(),
        }
    }

    /// A ListUsers `Users` item.
    fn list_users_item(u: &'a UserSummary) -> Self {
        Self {
            username: &u.username,
            user_attributes: None,
            attributes: Some(&u.attributes),
            created: u.created.map(rfc3339),
            last_modified: u.last_modified.map(rfc3339),
            enabled: u.enabled,
            status: u.status.as_ref().map(UserStatus::as_wire),
            mfa_options: None,
            preferred_mfa: None,
            mfa_settings: None,
        }
    }
}

#[derive(Serialize)]
struct NameValue<'a> {
    #[serde(rename = "Name")]
    name: &'a str,
    #[serde(rename = "Value", skip_serializing_if = "Option::is_none")]
    value: Option<&'a str>,
}

/// AdminListDevices' `DeviceType` shape.
#[derive(Serialize)]
struct DeviceJson<'a> {
    #[serde(rename = "DeviceKey")]
    key: &'a str,
    #[serde(rename = "DeviceAttributes")]
    attributes: Vec<NameValue<'a>>,
    #[serde(rename = "DeviceCreateDate", skip_serializing_if = "Option::is_none")]
    created: Option<String>,
    #[serde(
        rename = "DeviceLastModifiedDate",
        skip_serializing_if = "Option::is_none"
    )]
    last_modified: Option<String>,
    #[serde(
        rename = "DeviceLastAuthenticatedDate",
        skip_serializing_if = "Option::is_none"
    )]
    last_authenticated: Option<String>,
}

/// AdminListUserAuthEvents' `AuthEventType` shape (the fields we read).
#[derive(Serialize)]
struct AuthEventJson<'a> {
    #[serde(rename = "EventId", skip_serializing_if = "Option::is_none")]
    id: Option<&'a str>,
    #[serde(rename = "EventType", skip_serializing_if = "Option::is_none")]
    event_type: Option<&'a str>,
    #[serde(rename = "CreationDate", skip_serializing_if = "Option::is_none")]
    created: Option<String>,
    #[serde(rename = "EventResponse", skip_serializing_if = "Option::is_none")]
    response: Option<&'a str>,
    #[serde(rename = "EventRisk")]
    risk: serde_json::Value,
    #[serde(rename = "EventContextData")]
    context: serde_json::Value,
}

#[derive(Serialize)]
struct UserWithExtras<'a> {
    #[serde(flatten)]
    user: UserJson<'a>,
    #[serde(rename = "Groups", skip_serializing_if = "Option::is_none")]
    groups: Option<&'a [Group]>,
    #[serde(rename = "Devices", skip_serializing_if = "Option::is_none")]
    devices: Option<Vec<DeviceJson<'a>>>,
    #[serde(rename = "AuthEvents", skip_serializing_if = "Option::is_none")]
    events: Option<Vec<AuthEventJson<'a>>>,
    /// AdminGetUserAuthFactors' fields, in its own shape.
    #[serde(rename = "AuthFactors", skip_serializing_if = "Option::is_none")]
    auth_factors: Option<&'a crate::cognito::AuthFactors>,
}

/// A JSON object of the present fields only.
fn object(fields: &[(&str, Option<&str>)]) -> serde_json::Value {
    serde_json::Value::Object(
        fields
            .iter()
            .filter_map(|(k, v)| v.map(|v| (k.to_string(), serde_json::Value::from(v))))
            .collect(),
    )
}

/// The user as AdminGetUser's JSON, plus `Groups`, `Devices` and `AuthEvents` in the shapes
/// of their own APIs when they were fetched.
pub fn user_json_with<'a>(user: &'a User, extras: &'a Extras) -> impl Serialize + 'a {
    UserWithExtras {
        user: UserJson::admin_get_user(user),
        groups: extras.groups.as_deref(),
        devices: extras.devices.as_ref().map(|devices| {
            devices
                .iter()
                .map(|d| DeviceJson {
                    key: &d.key,
                    attributes: d
                        .attributes
                        .iter()
                        .map(|a| NameValue {
                            name: &a.name,
                            value: a.value.as_deref(),
                        })
                        .collect(),
                    created: d.created.map(rfc3339),
                    last_modified: d.last_modified.map(rfc3339),
                    last_authenticated: d.last_authenticated.map(rfc3339),
                })
                .collect()
        }),
        events: extras.events.as_ref().map(|events| {
            events
                .iter()
                .map(|e| AuthEventJson {
                    id: e.id.as_deref(),
                    event_type: e.event_type.as_deref(),
                    created: e.created.map(rfc3339),
                    response: e.response.as_deref(),
                    risk: object(&[
                        ("RiskDecision", e.risk_decision.as_deref()),
                        ("RiskLevel", e.risk_level.as_deref()),
                    ]),
                    context: object(&[
                        ("IpAddress", e.ip_address.as_deref()),
                        ("DeviceName", e.device_name.as_deref()),
                        ("City", e.city.as_deref()),
                        ("Country", e.country.as_deref()),
                    ]),
                })
                .collect()
        }),
        auth_factors: extras.auth_factors.as_ref(),
    }
}

/// The ambiguity report as JSON, in ListUsers' `Users` shape.
pub fn ambiguous_json(a: &Ambiguous) -> impl Serialize + '_ {
    #[derive(Serialize)]
    struct Match<'a> {
        #[serde(rename = "Username")]
        username: &'a str,
        #[serde(rename = "Attributes")]
        attributes: &'a [Attribute],
        #[serde(rename = "Enabled")]
        enabled: bool,
        #[serde(rename = "UserStatus", skip_serializing_if = "Option::is_none")]
        status: Option<&'a str>,
        /// Not in ListUsers' shape: how this user matched the query.
        #[serde(rename = "MatchedBy", skip_serializing_if = "Option::is_none")]
        matched_by: Option<&'static str>,
    }
    let users: Vec<Match> = a
        .matches
        .iter()
        .enumerate()
        .map(|(i, m)| Match {
            matched_by: a.matched_by.get(i).map(|by| by.label()),
            username: &m.username,
            attributes: &m.attributes,
            enabled: m.enabled,
            status: m.status.as_ref().map(|s| s.as_wire()),
        })
        .collect();
    #[derive(Serialize)]
    struct Report<'a> {
        #[serde(rename = "Ambiguous")]
        ambiguous: bool,
        #[serde(rename = "Filter")]
        filter: String,
        #[serde(rename = "More")]
        more: bool,
        #[serde(rename = "Users")]
        users: Vec<Match<'a>>,
    }
    Report {
        ambiguous: true,
        filter: a.filter.expression(),
        more: a.more,
        users,
    }
}

/// Users as a JSON array in ListUsers' `Users` shape, in the given order; raw values kept.
pub fn users_json<'a>(users: impl IntoIterator<Item = &'a UserSummary>) -> impl Serialize + 'a {
    users
        .into_iter()
        .map(UserJson::list_users_item)
        .collect::<Vec<_>>()
}

/// The user in AdminGetUser's shape, to embed in a larger JSON line.
pub fn admin_get_user_value(user: &User) -> impl Serialize + '_ {
    UserJson::admin_get_user(user)
}

/// The user in ListUsers' `Users` item shape, to embed in a larger JSON line.
pub fn list_users_value(u: &UserSummary) -> impl Serialize + '_ {
    UserJson::list_users_item(u)
}
