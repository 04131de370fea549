//! The sign-in diagnosis in the Status pane: the verdict on the first row, every finding in a
//! Diagnosis section below the facts. It costs no request of its own: the pool's settings are
//! the worker's one DescribeUserPool per connection, and sign-in history is used only when its
//! pane has loaded it (`d` loads it to complete the diagnosis).

use super::lists::FactorsState;
use super::{App, Cmd, ListState, Pane, Row, Tone};
use crate::cognito::listing::Listing;
use crate::cognito::{AuthFactors, CognitoError, PoolSchema};
use crate::diagnose::{Code, Diagnosis, Finding, Inputs, Severity, diagnose_with};
use crate::keymap::{Action, Context};
use crate::sanitize::sanitize;

/// What the app knows of the pool's settings (DescribeUserPool).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum PoolSettings {
    /// Asked for at connection, not answered yet.
    #[default]
    Pending,
    Known(Box<PoolSchema>),
    /// Refused or failed: the diagnosis says which checks could not run.
    Unavailable,
}

impl PoolSettings {
    /// From DescribeUserPool's answer (None: refused or failed).
    pub fn from_answer(schema: Option<&PoolSchema>) -> Self {
        match schema {
            Some(schema) => Self::Known(Box::new(schema.clone())),
            None => Self::Unavailable,
        }
    }

    /// The pool is known (DescribeUserPool) to lack threat protection, so Cognito keeps no
    /// sign-in history for its users.
    pub fn keeps_no_history(&self) -> bool {
        matches!(self, Self::Known(schema) if !schema.threat_protection())
    }
}

/// The key that loads the sign-in history, as the verdict names it.
const HISTORY_KEY: &str = "d";

impl App {
    /// The loaded user's diagnosis from what the app already holds; None without a user or
    /// while the pool's settings are still being read.
    pub fn diagnosis(&self) -> Option<Diagnosis> {
        let loaded = self.user.loaded()?;
        let schema = match self.pool.settings() {
            PoolSettings::Pending => return None,
            PoolSettings::Known(schema) => Some(schema.as_ref()),
            PoolSettings::Unavailable => None,
        };
        let lists = self.user.lists();
        let events = match &lists.sign_ins {
            ListState::Loaded(fetched) => match &fetched.listing {
                Listing::SignIns(events) => Some(events.as_slice()),
                _ => None,
            },
            _ => None,
        };
        // The auth factors count once the MFA pane has read them.
        let factors = match &lists.auth_factors {
            FactorsState::Loaded(factors) => Some(factors),
            _ => None,
        };
        Some(diagnose_with(&Inputs {
            user: &loaded.found.user,
            pool: schema,
            events,
            factors,
            now: self.now,
        }))
    }

    /// The remedies as this session can act on them: a write action's key is named only
    /// while writes are on (the key as bound), else what turns writes on.
    fn with_action_keys(&self, mut d: Diagnosis) -> Diagnosis {
        let key = self.keymap().label(Context::Main, Action::Actions);
        for f in d.findings.iter_mut().filter(|f| f.action.is_some()) {
            let bare = f.remedy.strip_suffix(" (x)").unwrap_or(&f.remedy);
            f.remedy = match self.allow_write() {
                true => format!("{bare} ({key})"),
                false => format!("{bare} (needs --allow-write)"),
            };
        }
        d
    }

    /// The verdict row (first in the pane) and the Diagnosis section (last).
    pub(super) fn diagnosis_rows(&self) -> (Row, Vec<Row>) {
        // Privacy mode: findings are prose about settings, but masked like any free text.
        let masked = |d: Diagnosis| match self.redact {
            true => crate::redact::mask_diagnosis(&d),
            false => d,
        };
        let Some(d) = self
            .diagnosis()
            .map(masked)
            .map(|d| self.with_action_keys(d))
        else {
            let verdict = Row::new(
                "Sign-in",
                "… reading the pool's settings (DescribeUserPool)",
            )
            .tone(Tone::Dim);
            return (verdict, Vec::new());
        };
        let mut text = d.verdict();
        if d.not_checked.contains(&Code::BlockedByRisk) && d.findings.iter().all(not_blocker) {
            text.push_str(&format!(" — {HISTORY_KEY} loads the sign-in history"));
        }
        let tone = match (d.worst(), d.can_sign_in) {
            (Some(Severity::Blocker), _) => Tone::Bad,
            (_, None) | (Some(Severity::Warning), _) => Tone::Warn,
            _ => Tone::Good,
        };
        let mut verdict = Row::new("Sign-in", sanitize(&text)).tone(tone);
        verdict.detail = full_report(&d);
        let counts = [Severity::Blocker, Severity::Warning, Severity::Info]
            .into_iter()
            .filter_map(|s| {
                let n = d.of(s).count();
                (n > 0).then(|| format!("{n} {}", plural(s.as_str(), n)))
            })
            .collect::<Vec<_>>();
        let summary = if counts.is_empty() {
            "nothing found".to_string()
        } else {
            counts.join(", ")
        };
        // A section heading, not a fact: no label, so it reads as a rule across the pane.
        let mut heading = Row::new("", format!("── Diagnosis: {summary} ──")).tone(Tone::Dim);
        heading.copy = verdict.value.clone();
        let mut section = vec![heading];
        // The pool's sign-in model: plan, allowed first factors, MFA (2024–2026 model).
        if let PoolSettings::Known(schema) = self.pool.settings() {
            section.push(Row::new("Policy", sanitize(&schema.sign_in_summary())).tone(Tone::Dim));
        }
        section.extend(d.findings.iter().map(finding_row));
        (verdict, section)
    }
}

fn not_blocker(f: &Finding) -> bool {
    f.severity != Severity::Blocker
}

fn plural(word: &str, n: usize) -> String {
    if n == 1 {
        word.to_string()
    } else {
        format!("{word}s")
    }
}

fn severity_tone(severity: Severity) -> Tone {
    match severity {
        Severity::Blocker => Tone::Bad,
        Severity::Warning => Tone::Warn,
        Severity::Info => Tone::Dim,
    }
}

/// One finding: its symbol as the label, headline and remedy as the value, the code as the
/// note; Enter shows the message and the fix in full, `y` copies the code.
fn finding_row(f: &Finding) -> Row {
    let remedy = if f.code == Code::SignInHistoryNotLoaded {
        format!("{} ({HISTORY_KEY})", f.remedy)
    } else {
        f.remedy.clone()
    };
    let mut row = Row::new(
        f.severity.symbol(),
        sanitize(&format!("{} — {remedy}", f.headline)),
    )
    .tone(severity_tone(f.severity))
    .note(format!("{} · {}", f.code.as_str(), f.rule.id), Tone::Dim);
    row.copy = f.code.as_str().to_string();
    row.detail = sanitize(&finding_text(f)).into_owned();
    row
}

fn finding_text(f: &Finding) -> String {
    format!(
        "{} {} ({}, rule {})\n\n{}\n\nFix: {}\n\nSource: {} — {}",
        f.severity.symbol(),
        f.headline,
        f.code.as_str(),
        f.rule.id,
        f.message,
        f.fix,
        f.rule.source.title,
        f.rule.source.url
    )
}

/// Every finding in full, for Enter on the verdict.
fn full_report(d: &Diagnosis) -> String {
    let mut out = d.verdict();
    for f in &d.findings {
        out.push_str("\n\n");
        out.push_str(&finding_text(f));
    }
    if !d.not_checked.is_empty() {
        out.push_str("\n\nNot checked:");
        for c in &d.not_checked {
            out.push_str(&format!("\n· {}: {}", c.as_str(), c.how_to_check()));
        }
    }
    sanitize(&out).into_owned()
}

/// The finding on the selected row of the Status pane, if the cursor is on one (findings are
/// the pane's last rows).
fn selected_finding(app: &App) -> Option<Finding> {
    if app.user.focus() != Pane::Status {
        return None;
    }
    let findings = app.diagnosis()?.findings;
    let rows = app.rows(Pane::Status).len();
    let cursor = app.cursor(Pane::Status).min(rows.saturating_sub(1));
    let first = rows.checked_sub(findings.len())?;
    findings.into_iter().nth(cursor.checked_sub(first)?)
}

/// Enter on a finding: the confirmation of the write action that fixes it, through the same
/// path as `x` (the write is made when the confirmation opens). When no write may start
/// (writes off, a switch or a write in flight) or no action fixes the finding, the finding is
/// shown in full and the notice says why no action was offered. None: not on a finding.
pub(super) fn open_finding(app: &mut App) -> Option<Vec<Cmd>> {
    let finding = selected_finding(app)?;
    let refusal = match finding.action {
        Some(action) => match app.write_refusal() {
            None => {
                app.open_confirmation(action);
                return Some(Vec::new());
            }
            Some(why) => format!("{} needs a write: {why}", finding.code.as_str()),
        },
        None => format!(
            "{}: no write action fixes this here; the fix says what to do",
            finding.code.as_str()
        ),
    };
    let row = app.selected_row()?;
    app.layers.open(super::Overlay::Detail {
        title: row.label,
        text: row.detail,
        copy: row.copy,
        scroll: 0,
    });
    app.layers.say(refusal);
    Some(Vec::new())
}

/// Opening the MFA pane: the user's auth factors, once per user shown.
pub(super) fn open_factors(app: &mut App) -> Vec<Cmd> {
    app.user.open_factors(&mut app.ids)
}

/// AdminGetUserAuthFactors answered; a stale answer (another user since) is dropped.
pub(super) fn factors_done(app: &mut App, id: u64, result: Result<AuthFactors, CognitoError>) {
    if !app.user.factors_awaited(id) {
        tracing::debug!(id, "dropping a superseded AdminGetUserAuthFactors result");
        return;
    }
    let state = match result {
        Ok(factors) => FactorsState::Loaded(factors),
        Err(e) => {
            let view = super::cognito_error_view(app, &e);
            FactorsState::Failed(match view.hint {
                Some(hint) => format!("{}: {hint}", view.message),
                None => view.message,
            })
        }
    };
    app.user.set_factors(state);
}

/// The MFA pane's rows for the user's auth factors (AdminGetUserAuthFactors): each first
/// factor they can sign in with, a passkey marked. Its MFA list and preference repeat
/// AdminGetUser's, shown above, so they are not drawn twice.
pub(super) fn factor_rows(state: &FactorsState) -> Vec<Row> {
    match state {
        FactorsState::NotLoaded => Vec::new(),
        FactorsState::Loading { .. } => {
            vec![Row::new("Factors", "… AdminGetUserAuthFactors").tone(Tone::Dim)]
        }
        FactorsState::Failed(why) => vec![Row::new("Factors", sanitize(why)).tone(Tone::Warn)],
        FactorsState::Loaded(f) if f.configured.is_empty() => {
            vec![Row::new("Factor", "none reported").tone(Tone::Warn)]
        }
        FactorsState::Loaded(f) => f
            .configured
            .iter()
            .map(|factor| {
                let (note, tone) = match factor.as_str() {
                    "WEB_AUTHN" => ("passkey", Tone::Good),
                    "PASSWORD" => ("password", Tone::Normal),
                    "EMAIL_OTP" => ("code by email", Tone::Normal),
                    "SMS_OTP" => ("code by SMS", Tone::Normal),
                    _ => ("", Tone::Normal),
                };
                Row::new("Factor", sanitize(factor))
                    .tone(tone)
                    .note(note, Tone::Dim)
            })
            .collect(),
    }
}

/// `d`: loads the sign-in history (one AdminListUserAuthEvents per page) so the diagnosis can
/// check risk blocks and failed sign-ins; the only request the diagnosis ever asks for.
pub(super) fn load_history(app: &mut App) -> Vec<Cmd> {
    if app.user.loaded().is_none() {
        app.layers.say("look a user up first (/)");
        return Vec::new();
    }
    if app.pool.settings().keeps_no_history() {
        app.layers.say(super::lists::NO_THREAT_PROTECTION);
        return Vec::new();
    }
    match app.user.lists().sign_ins {
        ListState::Loaded(_) => {
            app.layers
                .say("sign-in history already loaded (6 shows it, r reloads)");
            Vec::new()
        }
        ListState::Loading { .. } => {
            app.layers.say("sign-in history is loading");
            Vec::new()
        }
        _ => {
            app.layers
                .say("loading the sign-in history to complete the diagnosis");
            let again = !matches!(app.user.lists().sign_ins, ListState::NotLoaded);
            app.open_list(Pane::SignIns, again)
        }
    }
}
