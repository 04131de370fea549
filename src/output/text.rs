//! Text for people: the one-shot summaries and tables, every value from Cognito sanitized
//! (the sink escapes again whatever reaches the terminal, so a value missed here still can't
//! move the cursor).

use time::OffsetDateTime;

use super::Extras;
use crate::cognito::lookup::{Ambiguous, Found};
use crate::cognito::{User, UserSummary};
use crate::sanitize::sanitize;
use crate::time::rfc3339;

/// RFC 3339 for people and tables: whole milliseconds at most, rounded to the nearest
/// (Cognito's timestamps are float seconds, so `.62800002` is `.628` and `.0239999` is
/// `.024`), and none when they are zero.
pub fn text_time(t: OffsetDateTime) -> String {
    // At the end of the representable range there is nothing to round up to.
    let nudged = (t.checked_add(time::Duration::nanoseconds(500_000))).unwrap_or(t);
    let millis = nudged.nanosecond() / 1_000_000 * 1_000_000;
    rfc3339(nudged.replace_nanosecond(millis).unwrap_or(t))
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
