//! "Why can't this user sign in?": a pure function that reads a user together with the pool's
//! settings and, when available, recent sign-in history, and says what stops sign-in and what
//! the agent does about it. No IO here: callers fetch, this module judges.
//!
//! Messages name the facts they rest on (field names, flags, dates) but never quote personal
//! attribute values, so privacy mode needs nothing extra.

use serde::Serialize;
use time::{Duration, OffsetDateTime};

use crate::cognito::{AuthEvent, PoolSchema, User, UserStatus, WriteAction};
use crate::time::rfc3339;

/// How much a finding matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Context for the agent; nothing is broken.
    Info,
    /// A way in or a recovery path is broken, but the user can still sign in.
    Warning,
    /// The user cannot sign in.
    Blocker,
}

impl Severity {
    /// The wire name: `blocker`, `warning`, `info`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Info => "info",
            Self::Warning => "warning",
            Self::Blocker => "blocker",
        }
    }

    /// The symbol shown before a finding of this severity.
    pub fn symbol(self) -> &'static str {
        match self {
            Self::Info => "i",
            Self::Warning => "!",
            Self::Blocker => "✗",
        }
    }
}

/// A stable finding code; scripts match on its snake_case name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Code {
    Disabled,
    Unconfirmed,
    MustChangePassword,
    TemporaryPasswordExpired,
    ResetRequired,
    Compromised,
    Archived,
    ExternalProvider,
    UnknownStatus,
    EmailUnverified,
    PhoneUnverified,
    NoRecoveryChannel,
    MfaRequiredNotSetUp,
    BlockedByRisk,
    RecentFailures,
    NoSignInHistory,
    SignInHistoryNotLoaded,
    PoolSettingsUnavailable,
}

impl Code {
    /// Every code, in the order findings are produced.
    pub const ALL: [Code; 18] = [
        Code::Disabled,
        Code::Unconfirmed,
        Code::MustChangePassword,
        Code::TemporaryPasswordExpired,
        Code::ResetRequired,
        Code::Compromised,
        Code::Archived,
        Code::ExternalProvider,
        Code::UnknownStatus,
        Code::EmailUnverified,
        Code::PhoneUnverified,
        Code::NoRecoveryChannel,
        Code::MfaRequiredNotSetUp,
        Code::BlockedByRisk,
        Code::RecentFailures,
        Code::NoSignInHistory,
        Code::SignInHistoryNotLoaded,
        Code::PoolSettingsUnavailable,
    ];

    /// The stable snake_case name, as in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Disabled => "disabled",
            Self::Unconfirmed => "unconfirmed",
            Self::MustChangePassword => "must_change_password",
            Self::TemporaryPasswordExpired => "temporary_password_expired",
            Self::ResetRequired => "reset_required",
            Self::Compromised => "compromised",
            Self::Archived => "archived",
            Self::ExternalProvider => "external_provider",
            Self::UnknownStatus => "unknown_status",
            Self::EmailUnverified => "email_unverified",
            Self::PhoneUnverified => "phone_unverified",
            Self::NoRecoveryChannel => "no_recovery_channel",
            Self::MfaRequiredNotSetUp => "mfa_required_not_set_up",
            Self::BlockedByRisk => "blocked_by_risk",
            Self::RecentFailures => "recent_failures",
            Self::NoSignInHistory => "no_sign_in_history",
            Self::SignInHistoryNotLoaded => "sign_in_history_not_loaded",
            Self::PoolSettingsUnavailable => "pool_settings_unavailable",
        }
    }
}

/// One reason, with the facts behind it and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub code: Code,
    pub severity: Severity,
    /// A few words for the verdict line, e.g. "temporary password expired 12 days ago".
    pub headline: String,
    /// The full explanation, naming the fields and settings it rests on.
    pub message: String,
    /// What the agent does; names this project's write action when one applies.
    pub fix: String,
    /// A few words of `fix` for the verdict line, e.g. "resend the invitation".
    pub remedy: String,
    /// The write action (`x` menu, `--allow-write`) that fixes it, when there is one.
    pub action: Option<WriteAction>,
}

/// The diagnosis of one user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnosis {
    /// true: no blocker; false: at least one blocker; None: no blocker found, but a check
    /// that could have found one did not run.
    pub can_sign_in: Option<bool>,
    /// Blockers first, then warnings, then info.
    pub findings: Vec<Finding>,
    /// Checks that could not run for lack of pool settings or sign-in history.
    pub not_checked: Vec<Code>,
}

impl Diagnosis {
    /// The most severe finding's severity.
    pub fn worst(&self) -> Option<Severity> {
        self.findings.iter().map(|f| f.severity).max()
    }

    /// The findings of one severity.
    pub fn of(&self, severity: Severity) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(move |f| f.severity == severity)
    }

    /// The verdict on one line, e.g.
    /// `✗ cannot sign in: temporary password expired 12 days ago — resend the invitation`.
    pub fn verdict(&self) -> String {
        let more = |n: usize| match n {
            0 => String::new(),
            n => format!(" (+{n} more)"),
        };
        let blockers: Vec<&Finding> = self.of(Severity::Blocker).collect();
        let warnings: Vec<&Finding> = self.of(Severity::Warning).collect();
        match (self.can_sign_in, blockers.first(), warnings.first()) {
            (_, Some(b), _) => format!(
                "✗ cannot sign in: {} — {}{}",
                b.headline,
                b.remedy,
                more(blockers.len() - 1)
            ),
            // Unsure because a check couldn't run: name the checks.
            (None, None, _) if !self.not_checked.is_empty() => format!(
                "? no blocker found, but not checked: {}",
                self.not_checked
                    .iter()
                    .map(|c| c.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            // Unsure because of what the user's own record says (an unknown status).
            (None, None, Some(w)) => format!("? can't tell: {} — {}", w.headline, w.remedy),
            (None, None, None) => "? can't tell whether this user can sign in".into(),
            (_, _, Some(w)) => format!(
                "! can sign in, but {} — {}{}",
                w.headline,
                w.remedy,
                more(warnings.len() - 1)
            ),
            _ => "✓ can sign in: nothing found that stops it".into(),
        }
    }
}

/// Sign-in attempts this recent count as `recent_failures`.
pub const FAILURE_WINDOW: Duration = Duration::hours(24);
/// Risk blocks this recent count as `blocked_by_risk`.
pub const BLOCK_WINDOW: Duration = Duration::days(7);

const INVITE_FIX: &str = "Resend the invitation (AdminCreateUser with MessageAction=RESEND): \
                          it sends a new temporary password";

/// Diagnoses `user`. `pool` is DescribeUserPool's answer (None: not available); `events` is
/// recent sign-in history (None: not fetched or not available); `now` dates the checks.
pub fn diagnose(
    user: &User,
    pool: Option<&PoolSchema>,
    events: Option<&[AuthEvent]>,
    now: OffsetDateTime,
) -> Diagnosis {
    let mut d = Builder::default();
    status_checks(&mut d, user, pool, now);
    if !user.enabled {
        d.push(
            Code::Disabled,
            Severity::Blocker,
            "the user is disabled",
            "Enabled=false: Cognito refuses every sign-in of a disabled user, whatever the \
             password."
                .into(),
            "Enable the user if the account should be active (x → enable user, with \
             --allow-write; AdminEnableUser).",
            "enable the user (x)",
            Some(WriteAction::EnableUser),
        );
    }
    if user.status != Some(UserStatus::ExternalProvider) {
        match pool {
            Some(pool) => {
                attribute_checks(&mut d, user, pool);
                mfa_check(&mut d, user, pool);
            }
            None => {
                for (attribute, flag, code) in VERIFIABLE {
                    if user.attribute(attribute).is_some() && !verified(user, flag) {
                        d.not_checked.push(code);
                    }
                }
                d.not_checked.push(Code::NoRecoveryChannel);
                if factors(user).is_empty() {
                    d.not_checked.push(Code::MfaRequiredNotSetUp);
                    d.unsure = true;
                }
            }
        }
    }
    history_checks(&mut d, pool, events, now);
    if pool.is_none() && !d.not_checked.is_empty() {
        let names: Vec<&str> = d.not_checked.iter().map(|c| c.as_str()).collect();
        d.push(
            Code::PoolSettingsUnavailable,
            Severity::Info,
            "the pool's settings were not available",
            format!(
                "DescribeUserPool was not available, so these checks did not run: {}.",
                names.join(", ")
            ),
            "Allow cognito-idp:DescribeUserPool for this pool (see assets/iam-policy.json) \
             and diagnose again.",
            "allow DescribeUserPool",
            None,
        );
    }
    d.finish()
}

#[derive(Default)]
struct Builder {
    findings: Vec<Finding>,
    not_checked: Vec<Code>,
    /// A check that could have found a blocker did not run, or could not judge.
    unsure: bool,
}

impl Builder {
    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        code: Code,
        severity: Severity,
        headline: impl Into<String>,
        message: String,
        fix: impl Into<String>,
        remedy: &str,
        action: Option<WriteAction>,
    ) {
        self.findings.push(Finding {
            code,
            severity,
            headline: headline.into(),
            message,
            fix: fix.into(),
            remedy: remedy.into(),
            action,
        });
    }

    fn finish(mut self) -> Diagnosis {
        // Stable: within a severity, findings keep the order the checks ran in.
        self.findings.sort_by_key(|f| std::cmp::Reverse(f.severity));
        let blocked = self
            .findings
            .iter()
            .any(|f| f.severity == Severity::Blocker);
        Diagnosis {
            can_sign_in: if blocked {
                Some(false)
            } else if self.unsure {
                None
            } else {
                Some(true)
            },
            findings: self.findings,
            not_checked: self.not_checked,
        }
    }
}

fn verified(user: &User, flag: &str) -> bool {
    user.attribute(flag) == Some("true")
}

/// "12 days", "5 hours", "3 minutes": the largest whole unit.
fn span(d: Duration) -> String {
    let plural = |n: i64, unit: &str| format!("{n} {unit}{}", if n == 1 { "" } else { "s" });
    let d = d.abs();
    if d.whole_days() >= 1 {
        plural(d.whole_days(), "day")
    } else if d.whole_hours() >= 1 {
        plural(d.whole_hours(), "hour")
    } else {
        plural(d.whole_minutes(), "minute")
    }
}

/// The identity provider named in the `identities` attribute, if it parses.
fn provider_name(user: &User) -> Option<String> {
    let raw = user.attribute("identities")?;
    let list: Vec<serde_json::Value> = serde_json::from_str(raw).ok()?;
    list.iter()
        .find_map(|i| i.get("providerName")?.as_str().map(str::to_string))
}

fn status_checks(d: &mut Builder, user: &User, pool: Option<&PoolSchema>, now: OffsetDateTime) {
    let Some(status) = &user.status else {
        d.unsure = true;
        d.push(
            Code::UnknownStatus,
            Severity::Warning,
            "Cognito sent no status",
            "The answer has no UserStatus, so whether the account is confirmed can't be told."
                .into(),
            "Look the user up again; if UserStatus stays absent, check the user in the AWS \
             console.",
            "look the user up again",
            None,
        );
        return;
    };
    match status {
        UserStatus::Confirmed => {}
        UserStatus::Unconfirmed => d.push(
            Code::Unconfirmed,
            Severity::Blocker,
            "sign-up was never confirmed",
            format!(
                "UserStatus=UNCONFIRMED: the account was created{} but the confirmation code \
                 was never entered, and Cognito refuses sign-in until it is.",
                user.created
                    .map(|t| format!(" on {}", rfc3339(t)))
                    .unwrap_or_default()
            ),
            "Ask the user to enter the code from the sign-up message (the app can send a new \
             one: ResendConfirmationCode), or confirm the sign-up for them \
             (AdminConfirmSignUp) once you trust the address.",
            "confirm the sign-up",
            None,
        ),
        UserStatus::ForceChangePassword => invitation_check(d, user, pool, now),
        UserStatus::ResetRequired => d.push(
            Code::ResetRequired,
            Severity::Blocker,
            "the password was reset",
            "UserStatus=RESET_REQUIRED: an administrator reset the password, so the old one \
             no longer works."
                .into(),
            "The user chooses “Forgot password” and sets a new password with the code Cognito \
             sends to their verified email or phone.",
            "the user sets a new password via “Forgot password”",
            None,
        ),
        UserStatus::Compromised => d.push(
            Code::Compromised,
            Severity::Blocker,
            "the password was found in a breach",
            "UserStatus=COMPROMISED: Cognito found these credentials among leaked ones and \
             blocks sign-in with this password."
                .into(),
            "Reset the password (x → reset password, with --allow-write; \
             AdminResetUserPassword): the user then sets a new one with a code.",
            "reset the password (x)",
            Some(WriteAction::ResetPassword),
        ),
        UserStatus::Archived => d.push(
            Code::Archived,
            Severity::Blocker,
            "the account is archived",
            "UserStatus=ARCHIVED: the account is no longer active.".into(),
            "Cognito has no call that restores an archived user: create a new account for \
             the user.",
            "create a new account",
            None,
        ),
        UserStatus::ExternalProvider => {
            let provider = provider_name(user);
            let name = provider
                .as_deref()
                .unwrap_or("an external identity provider");
            d.push(
                Code::ExternalProvider,
                Severity::Info,
                format!("signs in through {name}"),
                format!(
                    "UserStatus=EXTERNAL_PROVIDER: the user signs in through {name}{}; there is \
                     no Cognito password, so password and MFA settings don't apply.",
                    if provider.is_some() {
                        " (providerName in identities)"
                    } else {
                        ""
                    }
                ),
                format!(
                    "Password actions (reset password) don't help: check the account at \
                     {name}, and that the app client still offers {name}."
                ),
                "check the account at the identity provider",
                None,
            );
        }
        UserStatus::Unknown | UserStatus::Other(_) => {
            d.unsure = true;
            d.push(
                Code::UnknownStatus,
                Severity::Warning,
                format!("status {} can't be judged", status.as_wire()),
                format!(
                    "UserStatus={}: {}; whether the user can sign in can't be told from it.",
                    status.as_wire(),
                    if *status == UserStatus::Unknown {
                        "Cognito itself doesn't know this user's state"
                    } else {
                        "a status this version of cognito-tui doesn't know"
                    }
                ),
                "Check the user in the AWS console; if the status persists, ask AWS Support.",
                "check the user in the AWS console",
                None,
            );
        }
    }
}

fn invitation_check(d: &mut Builder, user: &User, pool: Option<&PoolSchema>, now: OffsetDateTime) {
    let sent = user
        .last_modified
        .map(|t| (t, "UserLastModifiedDate"))
        .or(user.created.map(|t| (t, "UserCreateDate")));
    let (Some(pool), Some((sent, field))) = (pool, sent) else {
        d.unsure = true;
        d.not_checked.push(Code::TemporaryPasswordExpired);
        d.push(
            Code::MustChangePassword,
            Severity::Info,
            "must set a new password at first sign-in",
            format!(
                "UserStatus=FORCE_CHANGE_PASSWORD: the user signs in with the temporary \
                 password from the invitation and must then choose a new one. Whether it \
                 expired can't be told without {}.",
                if sent.is_none() {
                    "UserLastModifiedDate or UserCreateDate"
                } else {
                    "the pool's TemporaryPasswordValidityDays"
                }
            ),
            format!("If the invitation is lost or old: {INVITE_FIX}."),
            "resend the invitation if it is lost",
            None,
        );
        return;
    };
    let days = pool.temporary_password_days();
    // Saturates at the last date `time` holds: `+` panics past it (a date of 9999-12-31).
    let expires = sent
        .checked_add(Duration::days(i64::from(days)))
        .unwrap_or(time::PrimitiveDateTime::MAX.assume_utc());
    let basis = format!(
        "the invitation was last sent {} ({field}) and this pool's temporary passwords last \
         {days} days (TemporaryPasswordValidityDays{})",
        rfc3339(sent),
        if pool.temporary_password_validity_days.is_none() {
            ", Cognito's default"
        } else {
            ""
        }
    );
    if now >= expires {
        let ago = span(now - expires);
        d.push(
            Code::TemporaryPasswordExpired,
            Severity::Blocker,
            format!("temporary password expired {ago} ago"),
            format!(
                "UserStatus=FORCE_CHANGE_PASSWORD, {basis}: it expired {} ({ago} ago).",
                rfc3339(expires)
            ),
            format!("{INVITE_FIX}, valid {days} days."),
            "resend the invitation",
            None,
        );
    } else {
        d.push(
            Code::MustChangePassword,
            Severity::Info,
            "must set a new password at first sign-in",
            format!(
                "UserStatus=FORCE_CHANGE_PASSWORD, {basis}: the temporary password works until \
                 {} ({} left), and the user must choose a new one at first sign-in.",
                rfc3339(expires),
                span(expires - now)
            ),
            format!(
                "The user signs in with the temporary password from the invitation. If it is \
                 lost: {INVITE_FIX}."
            ),
            "the user signs in with the invitation's temporary password",
            None,
        );
    }
}

/// The attributes Cognito verifies, their flags, and the finding for an unverified one.
const VERIFIABLE: [(&str, &str, Code); 2] = [
    ("email", "email_verified", Code::EmailUnverified),
    (
        "phone_number",
        "phone_number_verified",
        Code::PhoneUnverified,
    ),
];

fn attribute_checks(d: &mut Builder, user: &User, pool: &PoolSchema) {
    let channels = pool.recovery_channels();
    for (attribute, flag, code) in VERIFIABLE {
        if user.attribute(attribute).is_none() || verified(user, flag) {
            continue;
        }
        let channel = if attribute == "email" {
            "verified_email"
        } else {
            "verified_phone_number"
        };
        let mut roles = Vec::new();
        let mut effects = Vec::new();
        if pool.username_attributes.iter().any(|a| a == attribute) {
            roles.push("a username attribute");
            effects.push("sign-in with it still works, but Cognito won't send codes to it");
        }
        if pool.alias_attributes.iter().any(|a| a == attribute) {
            roles.push("a sign-in alias");
            effects.push("the user can't sign in with it, only with the username");
        }
        if channels.contains(&channel) {
            roles.push("a password-recovery channel");
            effects.push("“Forgot password” won't send a code to it");
        }
        if roles.is_empty() {
            continue;
        }
        let label = if attribute == "email" {
            "email"
        } else {
            "phone number"
        };
        let value = user.attribute(flag).unwrap_or("absent");
        d.push(
            code,
            Severity::Warning,
            format!("{label} not verified"),
            format!(
                "{attribute} is {} in this pool and {flag}={value}: {}.",
                roles.join(" and "),
                effects.join("; ")
            ),
            format!(
                "The user verifies the {label} from the app (a code is sent to it), or an \
                 administrator marks it verified after checking it (AdminUpdateUserAttributes \
                 {flag}=true)."
            ),
            &format!("verify the {label}"),
            None,
        );
    }

    if channels.contains(&"admin_only") {
        return;
    }
    let reachable = channels.iter().any(|c| match *c {
        "verified_email" => user.attribute("email").is_some() && verified(user, "email_verified"),
        "verified_phone_number" => {
            user.attribute("phone_number").is_some() && verified(user, "phone_number_verified")
        }
        _ => false,
    });
    if !reachable {
        d.push(
            Code::NoRecoveryChannel,
            Severity::Warning,
            "no verified recovery channel",
            format!(
                "The pool sends recovery codes through {} ({}), and this user has none of them \
                 verified: “Forgot password” can't reach the user.",
                channels.join(", then "),
                if pool.recovery_mechanisms.is_some() {
                    "AccountRecoverySetting"
                } else {
                    "no AccountRecoverySetting: Cognito's legacy order"
                }
            ),
            "Verify the user's email or phone number first; until then only an administrator \
             can set a password (AdminSetUserPassword).",
            "verify the email or phone number",
            None,
        );
    }
}

/// The MFA factors the user can answer with: TOTP, SMS, email.
fn factors(user: &User) -> Vec<&'static str> {
    let settings = user.mfa_settings.as_deref().unwrap_or_default();
    let listed = |s: &str| settings.iter().any(|x| x == s);
    let legacy_sms = user
        .mfa_options
        .as_deref()
        .unwrap_or_default()
        .iter()
        .any(|o| o.delivery_medium.as_deref() == Some("SMS"));
    let mut out = Vec::new();
    if listed("SOFTWARE_TOKEN_MFA") {
        out.push("TOTP");
    }
    if listed("SMS_MFA")
        || legacy_sms
        || (user.attribute("phone_number").is_some() && verified(user, "phone_number_verified"))
    {
        out.push("SMS");
    }
    if listed("EMAIL_OTP")
        || (user.attribute("email").is_some() && verified(user, "email_verified"))
    {
        out.push("EMAIL_OTP");
    }
    out
}

fn mfa_check(d: &mut Builder, user: &User, pool: &PoolSchema) {
    if !pool.mfa_required() || !factors(user).is_empty() {
        return;
    }
    d.push(
        Code::MfaRequiredNotSetUp,
        Severity::Blocker,
        "MFA is required and the user has no factor",
        "The pool requires MFA (MfaConfiguration=ON) and this user has no factor: no TOTP app \
         (UserMFASettingList has no SOFTWARE_TOKEN_MFA), no verified phone_number for SMS, no \
         verified email for EMAIL_OTP. Sign-in stops at an MFA step the user can't complete, \
         unless the app offers authenticator setup (the MFA_SETUP challenge)."
            .into(),
        "Verify the user's phone number or email (AdminUpdateUserAttributes), or have the \
         user set up an authenticator app where the app offers it.",
        "verify a phone number or email for MFA",
        None,
    );
}

fn history_checks(
    d: &mut Builder,
    pool: Option<&PoolSchema>,
    events: Option<&[AuthEvent]>,
    now: OffsetDateTime,
) {
    let protection = pool.map(PoolSchema::threat_protection);
    let events = match (protection, events) {
        (Some(false), _) => {
            let mode = pool
                .and_then(|p| p.advanced_security_mode.as_deref())
                .unwrap_or("absent");
            d.push(
                Code::NoSignInHistory,
                Severity::Info,
                "no sign-in history",
                format!(
                    "Threat protection is off (AdvancedSecurityMode={mode}), so Cognito keeps no \
                     sign-in history: risk blocks and failed attempts can't be checked."
                ),
                "Ask the user what the app says when sign-in fails.",
                "ask the user what the app says",
                None,
            );
            return;
        }
        (_, Some(events)) => events,
        (Some(true), None) => {
            d.unsure = true;
            d.not_checked
                .extend([Code::BlockedByRisk, Code::RecentFailures]);
            d.push(
                Code::SignInHistoryNotLoaded,
                Severity::Info,
                "sign-in history not loaded",
                "The pool has threat protection, but its sign-in history \
                 (AdminListUserAuthEvents) was not loaded, so blocked_by_risk and \
                 recent_failures were not checked."
                    .into(),
                "Load the sign-in history and diagnose again.",
                "load the sign-in history",
                None,
            );
            return;
        }
        (None, None) => {
            d.unsure = true;
            d.not_checked
                .extend([Code::BlockedByRisk, Code::RecentFailures]);
            return;
        }
    };
    let sign_ins: Vec<(&AuthEvent, OffsetDateTime)> = events
        .iter()
        .filter(|e| e.event_type.as_deref() == Some("SignIn"))
        .filter_map(|e| e.created.map(|t| (e, t)))
        .collect();

    let blocked: Vec<OffsetDateTime> = sign_ins
        .iter()
        .filter(|(e, t)| e.risk_decision.as_deref() == Some("Block") && now - *t <= BLOCK_WINDOW)
        .map(|(_, t)| *t)
        .collect();
    if let Some(&latest_block) = blocked.iter().max() {
        let latest_sign_in = sign_ins.iter().map(|(_, t)| *t).max();
        // Blocked now only if no sign-in got through since.
        let still = latest_sign_in == Some(latest_block);
        let ago = span(now - latest_block);
        d.push(
            Code::BlockedByRisk,
            if still {
                Severity::Blocker
            } else {
                Severity::Warning
            },
            format!("threat protection blocked a sign-in {ago} ago"),
            format!(
                "{} sign-in{} in the last {} had the risk decision Block (latest {}, {ago} \
                 ago){}.",
                blocked.len(),
                if blocked.len() == 1 { "" } else { "s" },
                span(BLOCK_WINDOW),
                rfc3339(latest_block),
                if still {
                    "; no sign-in has succeeded since"
                } else {
                    "; a later sign-in was not blocked"
                }
            ),
            "If it was the user, mark the event valid (AdminUpdateAuthEventFeedback, \
             FeedbackValue=Valid) so Cognito stops blocking them; if it wasn't, reset the \
             password (x → reset password, with --allow-write).",
            "mark the event valid if it was the user",
            None,
        );
    }

    let failed: Vec<OffsetDateTime> = sign_ins
        .iter()
        // A blocked attempt is blocked_by_risk's, not a wrong password.
        .filter(|(e, t)| {
            e.response.as_deref() == Some("Fail")
                && e.risk_decision.as_deref() != Some("Block")
                && now - *t <= FAILURE_WINDOW
        })
        .map(|(_, t)| *t)
        .collect();
    if let Some(&latest) = failed.iter().max() {
        let n = failed.len();
        d.push(
            Code::RecentFailures,
            Severity::Warning,
            format!(
                "{n} failed sign-in{} in the last 24 hours",
                if n == 1 { "" } else { "s" }
            ),
            format!(
                "{n} sign-in{} failed in the last 24 hours (latest {}, {} ago).",
                if n == 1 { "" } else { "s" },
                rfc3339(latest),
                span(now - latest)
            ),
            "Most often a wrong password or username: the user can set a new password with \
             “Forgot password”. After repeated failures Cognito locks sign-in for a while, \
             so wait a few minutes between attempts.",
            "the user resets the password via “Forgot password”",
            None,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_use_the_largest_whole_unit() {
        assert_eq!(span(Duration::days(12) + Duration::hours(5)), "12 days");
        assert_eq!(span(Duration::hours(1)), "1 hour");
        assert_eq!(span(Duration::minutes(-3)), "3 minutes");
    }

    #[test]
    fn codes_are_snake_case_in_json_and_unique() {
        let mut seen = std::collections::HashSet::new();
        for code in Code::ALL {
            let json = serde_json::to_string(&code).unwrap();
            assert_eq!(json, format!("\"{}\"", code.as_str()));
            assert!(seen.insert(code.as_str()));
        }
    }
}
