//! Rendering of one-shot results: JSON in AdminGetUser's exact shape for scripts, and a
//! sanitized text summary for people.

use serde::Serialize;
use time::OffsetDateTime;

use crate::cognito::listing::Listing;
use crate::cognito::lookup::{Ambiguous, Found};
use crate::cognito::{
    Attribute, AuthEvent, Device, Group, MfaOption, User, UserStatus, UserSummary,
};
use crate::sanitize::{sanitize, to_json_pretty};
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

/// Lists fetched for `get --include`; `None` when not asked for or not available.
#[derive(Debug, Clone, Default)]
pub struct Extras {
    pub groups: Option<Vec<Group>>,
    pub devices: Option<Vec<Device>>,
    pub events: Option<Vec<AuthEvent>>,
    /// AdminGetUserAuthFactors' answer (`--include auth-factors`).
    pub auth_factors: Option<crate::cognito::AuthFactors>,
}

impl Extras {
    /// Keeps a fetched list in its place.
    pub fn add(&mut self, listing: Listing) {
        match listing {
            Listing::Groups(groups) => self.groups = Some(groups),
            Listing::Devices(devices) => self.devices = Some(devices),
            Listing::SignIns(events) => self.events = Some(events),
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
pub fn user_json_with(user: &User, extras: &Extras) -> String {
    let shape = UserWithExtras {
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
    };
    to_json_pretty(&shape).expect("plain data serializes")
}

/// RFC 3339 for people: whole milliseconds at most (Cognito's timestamps are float seconds, so
/// the nanoseconds are noise), and none when they are zero.
pub fn text_time(t: OffsetDateTime) -> String {
    let millis = t.nanosecond() / 1_000_000 * 1_000_000;
    rfc3339(t.replace_nanosecond(millis).unwrap_or(t))
}

/// Text sections for the lists fetched with `--include`; every value sanitized.
pub fn extras_text(extras: &Extras) -> String {
    let mut out = String::new();
    let time = |t: Option<OffsetDateTime>| t.map(text_time).unwrap_or_else(|| "-".into());
    let opt = |v: Option<&str>| sanitize(v.unwrap_or("-")).into_owned();
    if let Some(groups) = &extras.groups {
        out.push_str(&format!("Groups ({})\n", groups.len()));
        for g in groups {
            out.push_str(&format!(
                "  {}  precedence {}  {}{}\n",
                sanitize(&g.name),
                g.precedence.map(|p| p.to_string()).unwrap_or("-".into()),
                opt(g.description.as_deref()),
                g.role_arn
                    .as_deref()
                    .map(|r| format!("  role {}", sanitize(r)))
                    .unwrap_or_default(),
            ));
        }
    }
    if let Some(devices) = &extras.devices {
        out.push_str(&format!("Devices ({})\n", devices.len()));
        for d in devices {
            out.push_str(&format!(
                "  {}  last signed in {}  last IP {}  {}  key {}\n",
                opt(d.attribute("device_name")),
                time(d.last_authenticated),
                opt(d.attribute("last_ip_used")),
                opt(d.attribute("dev:device_remembered_status")),
                sanitize(&d.key),
            ));
        }
    }
    if let Some(factors) = &extras.auth_factors {
        out.push_str(&format!(
            "Auth factors  {} (passkey: {})\n",
            sanitize(&factors.configured.join(", ")),
            if factors.has_passkey() { "yes" } else { "no" }
        ));
    }
    if let Some(events) = &extras.events {
        out.push_str(&format!("Sign-in history ({})\n", events.len()));
        for e in events {
            out.push_str(&format!(
                "  {}  {}  {}  risk {} / {}  {}  {}, {}  {}\n",
                time(e.created),
                opt(e.event_type.as_deref()),
                opt(e.response.as_deref()),
                opt(e.risk_level.as_deref()),
                opt(e.risk_decision.as_deref()),
                opt(e.ip_address.as_deref()),
                opt(e.city.as_deref()),
                opt(e.country.as_deref()),
                opt(e.device_name.as_deref()),
            ));
        }
    }
    out
}

/// A readable summary; every value from Cognito is sanitized.
pub fn user_text(found: &Found) -> String {
    let user = &found.user;
    let mut out = String::new();
    let mut line = |label: &str, value: &str| {
        out.push_str(&format!("{label:<15} {value}\n"));
    };
    line("Username", &sanitize(&user.username));
    line("Sub", &sanitize(user.sub().unwrap_or("-")));
    line(
        "Found",
        &format!(
            "{} ({} call{})",
            found.resolution,
            found.resolution.calls,
            if found.resolution.calls == 1 { "" } else { "s" }
        ),
    );
    match &user.status {
        Some(s) => line(
            "Status",
            &format!("{} ({})", sanitize(s.as_wire()), s.meaning()),
        ),
        None => line("Status", "-"),
    }
    line(
        "Enabled",
        if user.enabled { "yes" } else { "NO (disabled)" },
    );
    line(
        "Created",
        &user.created.map(text_time).unwrap_or("-".into()),
    );
    line(
        "Last modified",
        &user.last_modified.map(text_time).unwrap_or("-".into()),
    );
    line("MFA", &mfa_summary(user));
    if let Some(options) = user.mfa_options.as_ref().filter(|o| !o.is_empty()) {
        let legacy: Vec<String> = options
            .iter()
            .map(|o| {
                format!(
                    "{} to {}",
                    sanitize(o.delivery_medium.as_deref().unwrap_or("?")),
                    sanitize(o.attribute_name.as_deref().unwrap_or("?"))
                )
            })
            .collect();
        line("MFAOptions", &format!("{} (deprecated)", legacy.join(", ")));
    }
    out.push_str("Attributes\n");
    let width = user
        .attributes
        .iter()
        .map(|a| crate::width::width(&sanitize(&a.name)))
        .max()
        .unwrap_or(0);
    for a in &user.attributes {
        let name = sanitize(&a.name);
        let value = a.value.as_deref().map(sanitize).unwrap_or_default();
        out.push_str(&format!("  {}  {value}\n", crate::width::pad(&name, width)));
    }
    out
}

/// "SOFTWARE_TOKEN_MFA (preferred), SMS_MFA" or "none".
pub fn mfa_summary(user: &User) -> String {
    let settings = user.mfa_settings.as_deref().unwrap_or_default();
    if settings.is_empty() {
        return "none".into();
    }
    settings
        .iter()
        .map(|s| {
            let name = sanitize(s).into_owned();
            if user.preferred_mfa.as_deref() == Some(s.as_str()) {
                format!("{name} (preferred)")
            } else {
                name
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// One line per match: username, status, enabled, email.
pub fn summary_line(u: &UserSummary) -> String {
    format!(
        "{}  {}  {}  {}",
        sanitize(&u.username),
        u.status
            .as_ref()
            .map(|s| sanitize(s.as_wire()).into_owned())
            .unwrap_or("-".into()),
        if u.enabled { "enabled" } else { "disabled" },
        sanitize(u.attribute("email").unwrap_or("-")),
    )
}

/// The ambiguity report for stderr.
pub fn ambiguous_text(a: &Ambiguous) -> String {
    let mut out = format!(
        "{} users match {}{}; look one up by username:\n",
        a.matches.len(),
        sanitize(&a.description()),
        if a.more { " (more exist)" } else { "" }
    );
    for (i, m) in a.matches.iter().enumerate() {
        out.push_str("  ");
        out.push_str(&summary_line(m));
        if let Some(by) = a.matched_by.get(i) {
            out.push_str(&format!("  (by {})", by.label()));
        }
        out.push('\n');
    }
    out
}

/// The ambiguity report as JSON, in ListUsers' `Users` shape.
pub fn ambiguous_json(a: &Ambiguous) -> String {
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
    to_json_pretty(&Report {
        ambiguous: true,
        filter: a.filter.expression(),
        more: a.more,
        users,
    })
    .expect("plain data serializes")
}

/// Users as a JSON array in ListUsers' `Users` shape, in the given order; raw values kept.
pub fn users_json<'a>(users: impl IntoIterator<Item = &'a UserSummary>) -> String {
    let shaped: Vec<UserJson> = users.into_iter().map(UserJson::list_users_item).collect();
    to_json_pretty(&shaped).expect("plain data serializes")
}

/// Search results as a sanitized, aligned table: username, email, status, enabled, name.
pub fn users_table<'a>(users: impl IntoIterator<Item = &'a UserSummary>) -> String {
    use crate::width::Cells;
    let header = ["USERNAME", "EMAIL", "STATUS", "ENABLED", "NAME"];
    let rows: Vec<[String; 5]> = users
        .into_iter()
        .map(|u| {
            [
                sanitize(&u.username).into_owned(),
                sanitize(u.attribute("email").unwrap_or("-")).into_owned(),
                u.status
                    .as_ref()
                    .map(|s| sanitize(s.as_wire()).into_owned())
                    .unwrap_or("-".into()),
                if u.enabled { "yes" } else { "NO" }.into(),
                sanitize(u.attribute("name").unwrap_or("-")).into_owned(),
            ]
        })
        .collect();
    let mut widths = header.map(|h| h.len());
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.cells());
        }
    }
    let mut out = String::new();
    let mut line = |cells: [&str; 5]| {
        let mut text = String::new();
        for (i, cell) in cells.iter().enumerate() {
            text.push_str(cell);
            if i + 1 < cells.len() {
                text.push_str(&" ".repeat(widths[i] - cell.cells() + 2));
            }
        }
        out.push_str(text.trim_end());
        out.push('\n');
    };
    line(header);
    for row in &rows {
        line([&row[0], &row[1], &row[2], &row[3], &row[4]]);
    }
    out
}

/// The user in AdminGetUser's shape, to embed in a larger JSON line.
pub fn admin_get_user_value(user: &User) -> impl Serialize + '_ {
    UserJson::admin_get_user(user)
}

/// The user in ListUsers' `Users` item shape, to embed in a larger JSON line.
pub fn list_users_value(u: &UserSummary) -> impl Serialize + '_ {
    UserJson::list_users_item(u)
}
