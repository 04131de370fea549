//! "Why can't this user sign in?": a pure function that reads a user together with the pool's
//! settings and, when available, recent sign-in history and the user's auth factors, and says
//! what stops sign-in and what the agent does about it. No IO here: callers fetch, this module
//! judges.
//!
//! The rules live by family, one module each (`status`, `invitation`, `mfa`, `recovery`,
//! `history`, `policy`); every rule is a [`Rule`] in `rules.rs` naming the AWS page it comes
//! from, `docs/cognito-rules.md` is their index, and every finding carries its rule.
//!
//! Messages name the facts they rest on (field names, flags, dates) but never quote personal
//! attribute values, so privacy mode needs nothing extra.

mod history;
mod invitation;
mod mfa;
mod policy;
mod recovery;
pub mod rules;
mod status;

use serde::Serialize;
use time::{Duration, OffsetDateTime};

use crate::cognito::{AuthEvent, AuthFactors, PoolSchema, User, UserStatus, WriteAction};
pub use rules::{Family, Rule, Source};

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

macro_rules! codes {
    ($($variant:ident => $name:literal,)*) => {
        /// A stable finding code; scripts match on its snake_case name.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
        #[serde(rename_all = "snake_case")]
        pub enum Code {
            $(#[doc = $name] $variant,)*
        }

        impl Code {
            /// Every code, in the order findings are produced.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The stable snake_case name, as in JSON.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $name,)*
                }
            }
        }
    };
}

codes! {
    Disabled => "disabled",
    Unconfirmed => "unconfirmed",
    MustChangePassword => "must_change_password",
    TemporaryPasswordExpired => "temporary_password_expired",
    ResetRequired => "reset_required",
    Compromised => "compromised",
    Archived => "archived",
    ExternalProvider => "external_provider",
    UnknownStatus => "unknown_status",
    EmailUnverified => "email_unverified",
    PhoneUnverified => "phone_unverified",
    NoRecoveryChannel => "no_recovery_channel",
    MfaRequiredNotSetUp => "mfa_required_not_set_up",
    BlockedByRisk => "blocked_by_risk",
    RiskRequiredMfa => "risk_required_mfa",
    CompromisedCredentials => "compromised_credentials",
    LockedOut => "locked_out",
    RecentFailures => "recent_failures",
    NoSignInHistory => "no_sign_in_history",
    SignInHistoryNotLoaded => "sign_in_history_not_loaded",
    MfaExcludesPasswordless => "mfa_excludes_passwordless",
    NoAllowedFirstFactor => "no_allowed_first_factor",
    EmailOtpUnreachable => "email_otp_unreachable",
    MessageDeliveryFailing => "message_delivery_failing",
    PoolSettingsUnavailable => "pool_settings_unavailable",
    AppClientSettings => "app_client_settings",
    LambdaTriggers => "lambda_triggers",
}

impl Code {
    /// Causes outside what cognito-tui reads (the app client, Lambda triggers): listed under
    /// "not checked" on every diagnosis, with how to check them, without making it unsure.
    pub const OUT_OF_SIGHT: [Code; 2] = [Code::AppClientSettings, Code::LambdaTriggers];

    /// How an agent checks what this code names when the diagnosis could not.
    pub fn how_to_check(self) -> &'static str {
        match self {
            Self::AppClientSettings => {
                "App-client causes (an auth flow the client doesn't allow, a client secret the \
                 app doesn't send, an identity provider not enabled on the client): console → \
                 the user pool → App clients → the app's client; or `aws cognito-idp \
                 describe-user-pool-client --user-pool-id POOL --client-id CLIENT` \
                 (ExplicitAuthFlows, GenerateSecret, SupportedIdentityProviders)."
            }
            Self::LambdaTriggers => {
                "Lambda triggers (pre authentication, pre sign-up, user migration, custom auth) \
                 can refuse a sign-in: console → the user pool → Extensions; or `aws \
                 cognito-idp describe-user-pool --user-pool-id POOL --query \
                 UserPool.LambdaConfig`, then the function's CloudWatch logs."
            }
            Self::BlockedByRisk
            | Self::RecentFailures
            | Self::LockedOut
            | Self::CompromisedCredentials
            | Self::RiskRequiredMfa => {
                "Load the sign-in history (AdminListUserAuthEvents; `d` in the TUI) and \
                 diagnose again."
            }
            Self::TemporaryPasswordExpired => {
                "Needs the pool's TemporaryPasswordValidityDays (DescribeUserPool) and the \
                 user's UserLastModifiedDate."
            }
            _ => "Allow cognito-idp:DescribeUserPool (assets/iam-policy.json) and diagnose again.",
        }
    }
}

/// One reason, with the facts behind it and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The written rule that produced it (`docs/cognito-rules.md`).
    pub rule: &'static Rule,
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
    /// Checks that could not run for lack of pool settings or sign-in history, then the causes
    /// out of sight ([`Code::OUT_OF_SIGHT`]).
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

    /// The checks that could have run but did not (the out-of-sight causes left aside).
    pub fn skipped(&self) -> impl Iterator<Item = Code> + '_ {
        self.not_checked
            .iter()
            .copied()
            .filter(|c| !Code::OUT_OF_SIGHT.contains(c))
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
        let skipped: Vec<&str> = self.skipped().map(Code::as_str).collect();
        match (self.can_sign_in, blockers.first(), warnings.first()) {
            (_, Some(b), _) => format!(
                "✗ cannot sign in: {} — {}{}",
                b.headline,
                b.remedy,
                more(blockers.len() - 1)
            ),
            // Unsure because a check couldn't run: name the checks.
            (None, None, _) if !skipped.is_empty() => format!(
                "? no blocker found, but not checked: {}",
                skipped.join(", ")
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

/// What the diagnosis reads. Only `user` and `now` are required; each other input, when
/// absent, leaves its checks listed as not checked.
#[derive(Debug, Clone, Copy)]
pub struct Inputs<'a> {
    pub user: &'a User,
    /// DescribeUserPool's answer, with GetUserPoolMfaConfig's in `mfa`.
    pub pool: Option<&'a PoolSchema>,
    /// Recent sign-in history (AdminListUserAuthEvents), newest first or in any order.
    pub events: Option<&'a [AuthEvent]>,
    /// AdminGetUserAuthFactors' answer, when it was read.
    pub factors: Option<&'a AuthFactors>,
    pub now: OffsetDateTime,
}

/// Diagnoses `user`. `pool` is DescribeUserPool's answer (None: not available); `events` is
/// recent sign-in history (None: not fetched or not available); `now` dates the checks.
pub fn diagnose(
    user: &User,
    pool: Option<&PoolSchema>,
    events: Option<&[AuthEvent]>,
    now: OffsetDateTime,
) -> Diagnosis {
    diagnose_with(&Inputs {
        user,
        pool,
        events,
        factors: None,
        now,
    })
}

/// Diagnoses with every input the caller has, the user's auth factors included.
pub fn diagnose_with(inputs: &Inputs<'_>) -> Diagnosis {
    let mut d = Builder::default();
    status::check(&mut d, inputs);
    invitation::check(&mut d, inputs);
    if inputs.user.status != Some(UserStatus::ExternalProvider) {
        recovery::check(&mut d, inputs);
        mfa::check(&mut d, inputs);
        policy::check(&mut d, inputs);
    }
    history::check(&mut d, inputs);
    policy::pool_unavailable(&mut d, inputs.pool);
    d.not_checked.extend(Code::OUT_OF_SIGHT);
    d.finish()
}

/// The findings as the family checks add them.
#[derive(Default)]
pub(crate) struct Builder {
    findings: Vec<Finding>,
    not_checked: Vec<Code>,
    /// A check that could have found a blocker did not run, or could not judge.
    unsure: bool,
}

/// One finding as a check writes it, before the builder files it.
pub(crate) struct Draft<'a> {
    pub rule: &'static Rule,
    pub code: Code,
    pub severity: Severity,
    pub headline: String,
    pub message: String,
    pub fix: String,
    pub remedy: &'a str,
    pub action: Option<WriteAction>,
}

impl Builder {
    fn add(&mut self, draft: Draft<'_>) {
        self.findings.push(Finding {
            rule: draft.rule,
            code: draft.code,
            severity: draft.severity,
            headline: draft.headline,
            message: draft.message,
            fix: draft.fix,
            remedy: draft.remedy.into(),
            action: draft.action,
        });
    }

    fn skip(&mut self, code: Code) {
        if !self.not_checked.contains(&code) {
            self.not_checked.push(code);
        }
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

fn has(user: &User, attribute: &str) -> bool {
    user.attribute(attribute).is_some_and(|v| !v.is_empty())
}

/// The MFA methods activated for the user (UserMFASettingList, and the legacy MFAOptions for
/// SMS): `SMS_MFA`, `SOFTWARE_TOKEN_MFA`, `EMAIL_OTP`.
fn mfa_active(user: &User) -> Vec<&str> {
    let mut out: Vec<&str> = user
        .mfa_settings
        .as_deref()
        .unwrap_or_default()
        .iter()
        .map(String::as_str)
        .collect();
    let legacy_sms = user
        .mfa_options
        .as_deref()
        .unwrap_or_default()
        .iter()
        .any(|o| o.delivery_medium.as_deref() == Some("SMS"));
    if legacy_sms && !out.contains(&"SMS_MFA") {
        out.push("SMS_MFA");
    }
    out
}

/// "12 days", "5 hours", "3 minutes", "40 seconds": the largest whole unit.
fn span(d: Duration) -> String {
    let plural = |n: i64, unit: &str| format!("{n} {unit}{}", if n == 1 { "" } else { "s" });
    let d = d.abs();
    if d.whole_days() >= 1 {
        plural(d.whole_days(), "day")
    } else if d.whole_hours() >= 1 {
        plural(d.whole_hours(), "hour")
    } else if d.whole_minutes() >= 1 {
        plural(d.whole_minutes(), "minute")
    } else {
        plural(d.whole_seconds(), "second")
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
        assert_eq!(span(Duration::seconds(40)), "40 seconds");
    }

    #[test]
    fn codes_are_snake_case_in_json_and_unique() {
        let mut seen = std::collections::HashSet::new();
        for &code in Code::ALL {
            let json = serde_json::to_string(&code).unwrap();
            assert_eq!(json, format!("\"{}\"", code.as_str()));
            assert!(seen.insert(code.as_str()));
        }
    }
}
