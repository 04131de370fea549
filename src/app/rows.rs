//! What the panes show, as rows: every value sanitized, notes beside them, personal values
//! masked in privacy mode. Pure functions of the model, so the view only lays rows out.

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;

use ::time::OffsetDateTime;

use super::{App, ListState, Loaded, Pane};
use crate::cognito::listing::Listing;
use crate::cognito::lookup::LookupMode;
use crate::cognito::{AuthEvent, Device, Group, User};
use crate::redact;
use crate::sanitize::sanitize;
use crate::time;

/// A note beside a value, and how it should read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Normal,
    Good,
    Warn,
    Bad,
    Dim,
}

/// One selectable row of a pane. Every string is sanitized.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub label: String,
    pub value: String,
    pub value_tone: Tone,
    pub note: Option<(String, Tone)>,
    /// A one-character form of the note for narrow panes ("✓" for "verified").
    pub short_note: Option<String>,
    /// What `y` copies.
    pub copy: String,
    /// What Enter shows in full.
    pub detail: String,
}

impl Row {
    pub(super) fn new(label: &str, value: impl Into<String>) -> Self {
        let value = value.into();
        Self {
            label: label.to_string(),
            copy: value.clone(),
            detail: value.clone(),
            value,
            value_tone: Tone::Normal,
            note: None,
            short_note: None,
        }
    }

    pub(super) fn tone(mut self, tone: Tone) -> Self {
        self.value_tone = tone;
        self
    }

    pub(super) fn note(mut self, note: impl Into<String>, tone: Tone) -> Self {
        let note = note.into();
        self.detail = format!("{}\n\n{note}", self.detail);
        self.note = Some((note, tone));
        self
    }
}

impl App {
    /// "2025-11-20 08:12 +00:00" in the app's time zone, for list rows.
    pub fn format_time_short(&self, t: Option<OffsetDateTime>) -> String {
        time::format_short(self.tz(), t)
    }

    /// "2023-03-14 09:26:53 +00:00 (2 years ago)" in the app's time zone.
    pub fn format_time(&self, t: Option<OffsetDateTime>) -> String {
        time::format_long(self.tz(), self.now, t)
    }

    /// The rows `pane` shows for the loaded user.
    pub fn rows(&self, pane: Pane) -> Vec<Row> {
        let Some(loaded) = self.user.loaded() else {
            return Vec::new();
        };
        let mut rows = match pane {
            Pane::Attributes => attribute_rows(&loaded.found.user, self.user.attr_filter()),
            Pane::Status => self.status_rows(loaded),
            Pane::Mfa => {
                let mut rows = mfa_rows(&loaded.found.user);
                rows.extend(super::diagnosis::factor_rows(
                    &self.user.lists().auth_factors,
                ));
                rows
            }
            Pane::Groups | Pane::Devices | Pane::SignIns => {
                match pane.list().map(|l| self.user.lists().get(l)) {
                    Some(ListState::Loaded(fetched)) if self.redact => {
                        self.list_rows(&redact::mask_listing(&fetched.listing))
                    }
                    Some(ListState::Loaded(fetched)) => self.list_rows(&fetched.listing),
                    _ => Vec::new(),
                }
            }
        };
        if self.redact && pane == Pane::Attributes {
            for (i, row) in rows.iter_mut().enumerate() {
                if self.user.revealed() != Some((pane, i)) {
                    mask_row(row);
                }
            }
        }
        rows
    }

    /// Whether the selected row is masked right now (what `v` would reveal).
    pub fn selected_is_masked(&self) -> bool {
        self.redact
            && self.user.focus() == Pane::Attributes
            && self
                .selected_row()
                .is_some_and(|r| redact::is_personal(&r.label))
            && self.user.revealed() != Some((self.user.focus(), self.cursor(self.user.focus())))
    }

    fn list_rows(&self, listing: &Listing) -> Vec<Row> {
        match listing {
            Listing::Groups(groups) => groups.iter().map(group_row).collect(),
            Listing::Devices(devices) => devices.iter().map(|d| self.device_row(d)).collect(),
            Listing::SignIns(events) => events.iter().map(|e| self.sign_in_row(e)).collect(),
        }
    }

    fn device_row(&self, d: &Device) -> Row {
        let name = sanitize(d.attribute("device_name").unwrap_or("(unnamed device)")).into_owned();
        let ip = d.attribute("last_ip_used").map(sanitize);
        let mut value = format!(
            "last signed in {}",
            self.format_time_short(d.last_authenticated)
        );
        if let Some(ip) = &ip {
            value.push_str(&format!(" from {ip}"));
        }
        let key = sanitize(&d.key).into_owned();
        value.push_str(&format!(" · key {key}"));
        let mut row = Row::new(&name, value);
        row.copy = key.clone();
        row.detail = format!(
            "Device key: {key}\nLast signed in: {}\nCreated: {}\nModified: {}",
            self.format_time(d.last_authenticated),
            self.format_time(d.created),
            self.format_time(d.last_modified),
        );
        for a in &d.attributes {
            row.detail.push_str(&format!(
                "\n{}: {}",
                sanitize(&a.name),
                sanitize(a.value.as_deref().unwrap_or("-"))
            ));
        }
        match d.attribute("dev:device_remembered_status") {
            Some("remembered") => row.note("remembered", Tone::Good),
            Some("not_remembered") => row.note("not remembered", Tone::Dim),
            Some(other) => row.note(sanitize(other).into_owned(), Tone::Normal),
            None => row,
        }
    }

    fn sign_in_row(&self, e: &AuthEvent) -> Row {
        let text = |v: &Option<String>| sanitize(v.as_deref().unwrap_or("-")).into_owned();
        let when = self.format_time_short(e.created);
        let response = text(&e.response);
        let mut value = format!("{} {response}", text(&e.event_type));
        let risk = match (&e.risk_level, &e.risk_decision) {
            (None, None) => None,
            (level, decision) => Some(format!("risk {}/{}", text(level), text(decision))),
        };
        if let Some(risk) = &risk {
            value.push_str(&format!(" · {risk}"));
        }
        let place: Vec<String> = [&e.city, &e.country]
            .into_iter()
            .filter_map(|v| v.as_deref().map(|s| sanitize(s).into_owned()))
            .collect();
        let mut from: Vec<String> = e
            .ip_address
            .iter()
            .map(|ip| sanitize(ip).into_owned())
            .collect();
        if !place.is_empty() {
            from.push(place.join(", "));
        }
        if !from.is_empty() {
            value.push_str(&format!(" · {}", from.join(" ")));
        }
        if let Some(device) = &e.device_name {
            value.push_str(&format!(" · {}", sanitize(device)));
        }
        let level = e.risk_level.as_deref().unwrap_or("");
        let tone = if e.response.as_deref() == Some("Fail") || level == "High" {
            Tone::Bad
        } else if level == "Medium" {
            Tone::Warn
        } else {
            Tone::Normal
        };
        let mut row = Row::new(&when, value).tone(tone);
        row.detail = format!(
            "Time: {}\nEvent: {}\nResult: {response}\nRisk level: {}\nRisk decision: {}\n\
             IP address: {}\nCity: {}\nCountry: {}\nDevice: {}\nEvent id: {}",
            self.format_time(e.created),
            text(&e.event_type),
            text(&e.risk_level),
            text(&e.risk_decision),
            text(&e.ip_address),
            text(&e.city),
            text(&e.country),
            text(&e.device_name),
            text(&e.id),
        );
        row
    }

    fn status_rows(&self, loaded: &Loaded) -> Vec<Row> {
        let user = &loaded.found.user;
        let (verdict, diagnosis) = self.diagnosis_rows();
        let mut rows = vec![
            verdict,
            Row::new(
                "Username",
                sanitize(&redact::shown_username(self.redact, &user.username)),
            ),
            Row::new("Sub", sanitize(user.sub().unwrap_or("-"))),
        ];
        rows.push(if user.enabled {
            Row::new("Enabled", "yes").tone(Tone::Good)
        } else {
            Row::new("Enabled", "NO").tone(Tone::Bad).note(
                "disabled: cannot sign in until an admin enables the user",
                Tone::Bad,
            )
        });
        rows.push(match &user.status {
            Some(status) => {
                use crate::cognito::UserStatus as S;
                let tone = match status {
                    S::Confirmed | S::ExternalProvider => Tone::Good,
                    S::Unconfirmed | S::ForceChangePassword | S::ResetRequired => Tone::Warn,
                    S::Compromised | S::Archived => Tone::Bad,
                    S::Unknown | S::Other(_) => Tone::Warn,
                };
                Row::new("Status", sanitize(status.as_wire()))
                    .tone(tone)
                    .note(status.meaning(), Tone::Normal)
            }
            None => Row::new("Status", "-"),
        });
        rows.push(Row::new("Created", self.format_time(user.created)));
        rows.push(Row::new("Modified", self.format_time(user.last_modified)));
        let r = loaded.found.resolution;
        let query = redact::shown_query(self.redact, &loaded.query);
        let mode = match loaded.mode {
            LookupMode::Auto => "",
            LookupMode::Username => ", asked by username",
            LookupMode::Alias => ", asked by alias",
            LookupMode::Sub => ", asked by sub",
        };
        rows.push(Row::new("Found", r.to_string()).note(
            format!(
                "{} call{} for {:?}{mode}",
                r.calls,
                if r.calls == 1 { "" } else { "s" },
                sanitize(&query)
            ),
            Tone::Dim,
        ));
        let mut row = Row::new("Pool", sanitize(&self.pool_label()));
        if let Some(s) = self.pool.session() {
            let mut where_ = match &s.region {
                Some(region) if s.target != *region => format!("{region} · {}", s.target),
                Some(region) => region.clone(),
                None => s.target.clone(),
            };
            if let Some(p) = &s.profile {
                where_.push_str(&format!(" · profile {p}"));
            }
            row = row.note(sanitize(&where_), Tone::Dim);
        }
        rows.push(row);
        rows.extend(diagnosis);
        rows
    }

    pub(super) fn selected_row(&self) -> Option<Row> {
        let focus = self.user.focus();
        let rows = self.rows(focus);
        rows.get(self.cursor(focus).min(rows.len().saturating_sub(1)))
            .cloned()
    }
}

/// Masks a row of a personal attribute (by its label, the attribute's name) in place.
fn mask_row(row: &mut Row) {
    if !redact::is_personal(&row.label) {
        return;
    }
    row.value = redact::mask_attribute(&row.label, &row.value);
    row.copy = row.value.clone();
    row.detail = match &row.note {
        Some((note, _)) => format!("{}\n\n{note}", row.value),
        None => row.value.clone(),
    };
}

fn group_row(g: &Group) -> Row {
    let description = g.description.as_deref().map(sanitize);
    let mut row = Row::new(
        &sanitize(&g.name),
        description.as_deref().unwrap_or("(no description)"),
    );
    if g.description.is_none() {
        row = row.tone(Tone::Dim);
    }
    row.copy = sanitize(&g.name).into_owned();
    let mut note = match g.precedence {
        Some(p) => format!("precedence {p}"),
        None => "no precedence".into(),
    };
    if let Some(arn) = &g.role_arn {
        let role = arn.rsplit_once('/').map_or(arn.as_str(), |(_, r)| r);
        note.push_str(&format!(" · role {}", sanitize(role)));
    }
    row.detail = format!(
        "Group: {}\nDescription: {}\nPrecedence: {}\nRole: {}",
        sanitize(&g.name),
        description.as_deref().unwrap_or("-"),
        g.precedence.map_or("-".into(), |p| p.to_string()),
        g.role_arn
            .as_deref()
            .map_or("-".into(), |r| sanitize(r).into_owned()),
    );
    row.note = Some((note, Tone::Dim));
    row
}

/// `identities` (federated sign-in) decoded into "Google: 1048… (primary)"; None if it is
/// not the JSON Cognito writes.
pub fn decode_identities(raw: &str) -> Option<Vec<String>> {
    let items: Vec<serde_json::Value> = serde_json::from_str(raw).ok()?;
    let text = |v: &serde_json::Value, key: &str| {
        v.get(key)
            .and_then(|x| {
                x.as_str()
                    .map(str::to_string)
                    .or_else(|| x.as_number().map(|n| n.to_string()))
            })
            .unwrap_or_else(|| "?".into())
    };
    Some(
        items
            .iter()
            .map(|item| {
                let primary = item.get("primary").and_then(|p| p.as_bool()) == Some(true);
                format!(
                    "{}: {}{}",
                    sanitize(&text(item, "providerName")),
                    sanitize(&text(item, "userId")),
                    if primary { " (primary)" } else { "" }
                )
            })
            .collect(),
    )
}

/// Attributes as rows: standard ones first, then `custom:`; verification flags folded
/// into the email and phone rows; `identities` decoded. `filter` is fuzzy over name and value.
pub fn attribute_rows(user: &User, filter: &str) -> Vec<Row> {
    let has = |name: &str| user.attributes.iter().any(|a| a.name == name);
    let folded = |name: &str| match name {
        "email_verified" => has("email"),
        "phone_number_verified" => has("phone_number"),
        _ => false,
    };
    let (standard, custom): (Vec<_>, Vec<_>) = user
        .attributes
        .iter()
        .filter(|a| !folded(&a.name))
        .partition(|a| !a.name.starts_with("custom:"));
    let matcher = SkimMatcherV2::default().ignore_case();
    let filter = filter.trim();
    standard
        .into_iter()
        .chain(custom)
        .map(|a| {
            let raw = a.value.as_deref().unwrap_or("");
            let clean = sanitize(raw).into_owned();
            let mut row = Row::new(&sanitize(&a.name), clean.clone());
            if a.name == "identities"
                && let Some(ids) = decode_identities(raw)
            {
                row.value = ids.join("; ");
                let pretty = serde_json::from_str::<serde_json::Value>(raw)
                    .ok()
                    .and_then(|v| serde_json::to_string_pretty(&v).ok())
                    .map(|p| sanitize(&p).into_owned())
                    .unwrap_or(clean);
                row.detail = format!("{}\n\n{pretty}", ids.join("\n"));
            }
            let flag = match a.name.as_str() {
                "email" => Some("email_verified"),
                "phone_number" => Some("phone_number_verified"),
                _ => None,
            };
            if let Some(flag) = flag {
                let verified = user.attribute(flag) == Some("true");
                row = if verified {
                    row.note("verified", Tone::Good)
                } else {
                    row.note("not verified", Tone::Warn)
                };
                row.short_note = Some(if verified { "✓" } else { "✗" }.into());
            }
            if a.value.is_none() {
                row = row.tone(Tone::Dim);
            }
            row
        })
        .filter(|row| {
            filter.is_empty()
                || matcher
                    .fuzzy_match(&format!("{} {}", row.label, row.value), filter)
                    .is_some()
        })
        .collect()
}

fn mfa_description(setting: &str) -> &'static str {
    match setting {
        "SOFTWARE_TOKEN_MFA" => "authenticator app (TOTP)",
        "SMS_MFA" => "code by text message",
        "EMAIL_OTP" => "code by email",
        _ => "",
    }
}

/// The MFA pane: methods (preferred marked), an explicit "no MFA", legacy MFAOptions.
pub fn mfa_rows(user: &User) -> Vec<Row> {
    let settings = user.mfa_settings.as_deref().unwrap_or_default();
    let mut rows = Vec::new();
    for s in settings {
        let preferred = user.preferred_mfa.as_deref() == Some(s.as_str());
        let mut row = Row::new("Method", sanitize(s)).tone(Tone::Good);
        if preferred {
            row.value.push_str(" ★ preferred");
        }
        let description = mfa_description(s);
        if !description.is_empty() {
            row = row.note(description, Tone::Dim);
        }
        rows.push(row);
    }
    if settings.is_empty() {
        rows.push(
            Row::new("MFA", "none")
                .tone(Tone::Warn)
                .note("no MFA method is set up", Tone::Warn),
        );
    }
    if let Some(p) = user
        .preferred_mfa
        .as_deref()
        .filter(|p| !settings.iter().any(|s| s == p))
    {
        rows.push(
            Row::new("Preferred", sanitize(p))
                .tone(Tone::Warn)
                .note("preferred, but not among the methods set up", Tone::Warn),
        );
    }
    for option in user.mfa_options.as_deref().unwrap_or_default() {
        let value = format!(
            "{} to {}",
            sanitize(option.delivery_medium.as_deref().unwrap_or("?")),
            sanitize(option.attribute_name.as_deref().unwrap_or("?"))
        );
        rows.push(
            Row::new("Legacy", value)
                .tone(Tone::Dim)
                .note("MFAOptions, deprecated", Tone::Warn),
        );
    }
    rows
}
