//! Rendering of one-shot results: JSON in AdminGetUser's exact shape for scripts, and a
//! sanitized text summary for people.

use serde::Serialize;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::cognito::lookup::{Ambiguous, Found};
use crate::cognito::{Attribute, MfaOption, User, UserSummary};
use crate::sanitize::sanitize;

/// AdminGetUser's response shape, field for field, in its order.
#[derive(Serialize)]
struct AdminGetUserJson<'a> {
    #[serde(rename = "Username")]
    username: &'a str,
    #[serde(rename = "UserAttributes")]
    attributes: &'a [Attribute],
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

/// RFC 3339 in UTC, e.g. `2024-05-01T12:00:00.123Z`.
pub fn rfc3339(t: OffsetDateTime) -> String {
    t.to_offset(time::UtcOffset::UTC)
        .format(&Rfc3339)
        .unwrap_or_else(|_| t.unix_timestamp().to_string())
}

/// The user as AdminGetUser's JSON: raw values kept exactly (JSON escapes controls).
pub fn user_json(user: &User) -> String {
    let shape = AdminGetUserJson {
        username: &user.username,
        attributes: &user.attributes,
        created: user.created.map(rfc3339),
        last_modified: user.last_modified.map(rfc3339),
        enabled: user.enabled,
        status: user.status.as_ref().map(|s| s.as_wire()),
        mfa_options: user.mfa_options.as_deref(),
        preferred_mfa: user.preferred_mfa.as_deref(),
        mfa_settings: user.mfa_settings.as_deref(),
    };
    serde_json::to_string_pretty(&shape).expect("plain data serializes")
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
    line("Created", &user.created.map(rfc3339).unwrap_or("-".into()));
    line(
        "Last modified",
        &user.last_modified.map(rfc3339).unwrap_or("-".into()),
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
        .map(|a| sanitize(&a.name).chars().count())
        .max()
        .unwrap_or(0);
    for a in &user.attributes {
        let name = sanitize(&a.name);
        let value = a.value.as_deref().map(sanitize).unwrap_or_default();
        out.push_str(&format!("  {name:<width$}  {value}\n"));
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
        sanitize(&a.filter.expression()),
        if a.more { " (more exist)" } else { "" }
    );
    for m in &a.matches {
        out.push_str("  ");
        out.push_str(&summary_line(m));
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
    }
    let users: Vec<Match> = a
        .matches
        .iter()
        .map(|m| Match {
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
    serde_json::to_string_pretty(&Report {
        ambiguous: true,
        filter: a.filter.expression(),
        more: a.more,
        users,
    })
    .expect("plain data serializes")
}

/// A ListUsers `Users` entry, field for field, in its order.
#[derive(Serialize)]
struct ListUsersUserJson<'a> {
    #[serde(rename = "Username")]
    username: &'a str,
    #[serde(rename = "Attributes")]
    attributes: &'a [Attribute],
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
}

/// Users as a JSON array in ListUsers' `Users` shape, in the given order; raw values kept.
pub fn users_json<'a>(users: impl IntoIterator<Item = &'a UserSummary>) -> String {
    let shaped: Vec<ListUsersUserJson> = users
        .into_iter()
        .map(|u| ListUsersUserJson {
            username: &u.username,
            attributes: &u.attributes,
            created: u.created.map(rfc3339),
            last_modified: u.last_modified.map(rfc3339),
            enabled: u.enabled,
            status: u.status.as_ref().map(|s| s.as_wire()),
        })
        .collect();
    serde_json::to_string_pretty(&shaped).expect("plain data serializes")
}

/// Search results as a sanitized, aligned table: username, email, status, enabled, name.
pub fn users_table<'a>(users: impl IntoIterator<Item = &'a UserSummary>) -> String {
    use unicode_width::UnicodeWidthStr;
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
            *w = (*w).max(cell.width());
        }
    }
    let mut out = String::new();
    let mut line = |cells: [&str; 5]| {
        let mut text = String::new();
        for (i, cell) in cells.iter().enumerate() {
            text.push_str(cell);
            if i + 1 < cells.len() {
                text.push_str(&" ".repeat(widths[i] - cell.width() + 2));
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
