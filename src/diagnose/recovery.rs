//! Recovery: verified addresses in the roles that need them, and whether "Forgot password" can
//! reach the user. AWS (AccountRecoverySettingType): the setting decides which verified
//! channels recover a password and in which order; "SMS doesn't qualify for a valid password
//! recovery mechanism if the user also has SMS MFA activated. Email MFA is also disqualifying
//! for account recovery with email"; without the setting, Cognito's legacy behaviour prefers
//! SMS over email. `admin_only`: only an administrator can set a password.

use super::{Builder, Code, Draft, Inputs, Severity, has, mfa_active, rules, verified};
use crate::cognito::{
    PoolSchema, TemporaryPassword, User, UserStatus, VerifiedAttribute, WriteAction,
};

/// How a password can be replaced for this user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reset {
    /// "Forgot password" sends a code to this channel ("verified email", "verified phone
    /// number").
    Channel(&'static str),
    /// No channel reaches the user: only an administrator-set password (AdminSetUserPassword).
    AdminOnly,
    /// The pool's settings are unknown.
    Unknown,
}

/// The first recovery channel, by the pool's priority, that can reach `user`.
pub(crate) fn reset_path(user: &User, pool: Option<&PoolSchema>) -> Reset {
    let Some(pool) = pool else {
        return Reset::Unknown;
    };
    // The MFA disqualification is the setting's rule; the legacy order predates it.
    let with_setting = pool.recovery_mechanisms.is_some();
    let active = mfa_active(user);
    for channel in pool.recovery_channels() {
        match channel {
            "verified_email"
                if has(user, "email")
                    && verified(user, "email_verified")
                    && !(with_setting && active.contains(&"EMAIL_OTP")) =>
            {
                return Reset::Channel("verified email");
            }
            "verified_phone_number"
                if has(user, "phone_number")
                    && verified(user, "phone_number_verified")
                    && !(with_setting && active.contains(&"SMS_MFA")) =>
            {
                return Reset::Channel("verified phone number");
            }
            _ => {}
        }
    }
    Reset::AdminOnly
}

/// The fix for "the user needs a new password", as the rules allow it: "Forgot password" only
/// where a channel reaches the user and the status accepts it; an administrator-set temporary
/// password otherwise. Returns the fix and its few-word remedy.
pub(crate) fn password_fix(user: &User, pool: Option<&PoolSchema>) -> (String, &'static str) {
    if user.status == Some(UserStatus::ForceChangePassword) {
        // "Forgot password" is refused in FORCE_CHANGE_PASSWORD.
        return (
            "Resend the invitation (AdminCreateUser with MessageAction=RESEND): it sends a new \
             temporary password."
                .into(),
            "resend the invitation",
        );
    }
    match reset_path(user, pool) {
        Reset::Channel(channel) => (
            format!(
                "The user chooses “Forgot password” and sets a new password with the code \
                 Cognito sends to their {channel}."
            ),
            "the user sets a new password via “Forgot password”",
        ),
        Reset::AdminOnly => (
            ADMIN_SET.into(),
            "set a temporary password (AdminSetUserPassword)",
        ),
        Reset::Unknown => (
            format!(
                "If the pool's recovery setting reaches a verified email or phone number of \
                 theirs, the user sets a new password with a code; otherwise: {ADMIN_SET}"
            ),
            "set a new password",
        ),
    }
}

/// The write action that fixes "the user needs a new password" when only an administrator
/// can set one: a temporary password (AdminSetUserPassword), made at its confirmation.
pub(crate) fn admin_set_action(user: &User, pool: Option<&PoolSchema>) -> Option<WriteAction> {
    (user.status != Some(UserStatus::ForceChangePassword)
        && reset_path(user, pool) == Reset::AdminOnly)
        .then(|| WriteAction::SetTemporaryPassword(TemporaryPassword::to_generate()))
}

/// The one fix when no channel reaches the user.
pub(crate) const ADMIN_SET: &str = "An administrator sets a temporary password \
    (AdminSetUserPassword with Permanent=false; x → set a temporary password, with \
    --allow-write), tells it to the user through a trusted channel, and the user chooses a new \
    one at the next sign-in.";

/// The attributes Cognito verifies, their flags, the finding and its rule.
const VERIFIABLE: [(&str, &str, Code, &rules::Rule); 2] = [
    (
        "email",
        "email_verified",
        Code::EmailUnverified,
        &rules::EMAIL_UNVERIFIED,
    ),
    (
        "phone_number",
        "phone_number_verified",
        Code::PhoneUnverified,
        &rules::PHONE_UNVERIFIED,
    ),
];

/// R1–R4.
pub(super) fn check(d: &mut Builder, inputs: &Inputs<'_>) {
    let user = inputs.user;
    let Some(pool) = inputs.pool else {
        for (attribute, flag, code, _) in VERIFIABLE {
            if has(user, attribute) && !verified(user, flag) {
                d.skip(code);
            }
        }
        d.skip(Code::NoRecoveryChannel);
        return;
    };
    for entry in VERIFIABLE {
        unverified(d, user, pool, entry);
    }
    channel_check(d, user, pool);
}

fn unverified(
    d: &mut Builder,
    user: &User,
    pool: &PoolSchema,
    (attribute, flag, code, rule): (&str, &str, Code, &'static rules::Rule),
) {
    if !has(user, attribute) || verified(user, flag) {
        return;
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
    if pool.recovery_channels().contains(&channel) {
        roles.push("a password-recovery channel");
        effects.push("“Forgot password” won't send a code to it");
    }
    if roles.is_empty() {
        return;
    }
    let label = if attribute == "email" {
        "email"
    } else {
        "phone number"
    };
    let value = user.attribute(flag).unwrap_or("absent");
    d.add(Draft {
        rule,
        code,
        severity: Severity::Warning,
        headline: format!("{label} not verified"),
        message: format!(
            "{attribute} is {} in this pool and {flag}={value}: {}.",
            roles.join(" and "),
            effects.join("; ")
        ),
        fix: format!(
            "The user verifies the {label} from the app (a code is sent to it), or an \
             administrator marks it verified after checking it (AdminUpdateUserAttributes \
             {flag}=true)."
        ),
        remedy: &format!("verify the {label}"),
        action: Some(WriteAction::MarkVerified(match code {
            Code::EmailUnverified => VerifiedAttribute::Email,
            _ => VerifiedAttribute::PhoneNumber,
        })),
    });
}

/// R3 (CONFIRMED: a warning) and R4 (RESET_REQUIRED: a blocker).
fn channel_check(d: &mut Builder, user: &User, pool: &PoolSchema) {
    let (rule, severity) = match user.status {
        Some(UserStatus::Confirmed) => (&rules::NO_RECOVERY, Severity::Warning),
        Some(UserStatus::ResetRequired) => (&rules::NO_RECOVERY_RESET, Severity::Blocker),
        // Invitees recover by a resent invitation; other statuses have their own findings.
        _ => return,
    };
    if reset_path(user, Some(pool)) != Reset::AdminOnly {
        return;
    }
    let channels = pool.recovery_channels();
    let why = if channels.contains(&"admin_only") {
        "The pool's AccountRecoverySetting is admin_only: only an administrator can set a \
         password."
            .to_string()
    } else {
        format!(
            "The pool recovers passwords through {} ({}), and none reaches this user{}.",
            channels.join(", then "),
            if pool.recovery_mechanisms.is_some() {
                "AccountRecoverySetting"
            } else {
                "no AccountRecoverySetting: Cognito's legacy order"
            },
            excluded_by_mfa(user, pool)
        )
    };
    let stakes = if severity == Severity::Blocker {
        " UserStatus=RESET_REQUIRED needs a new password before any sign-in, so the user is \
         locked out until an administrator sets one."
    } else {
        " If the user forgets the password, no self-service path exists."
    };
    d.add(Draft {
        rule,
        code: Code::NoRecoveryChannel,
        severity,
        headline: "no usable recovery channel".into(),
        message: format!("{why}{stakes}"),
        fix: if severity == Severity::Blocker {
            ADMIN_SET.into()
        } else {
            format!(
                "Nothing stops sign-in today. To give the user a way back: verify an address \
                 that is not their MFA factor, or, when they forget the password: {ADMIN_SET}"
            )
        },
        remedy: if severity == Severity::Blocker {
            "set a temporary password (AdminSetUserPassword)"
        } else {
            "only an administrator can reset the password"
        },
        // Only where sign-in is blocked: a working password is not replaced ahead of time.
        action: (severity == Severity::Blocker)
            .then(|| WriteAction::SetTemporaryPassword(TemporaryPassword::to_generate())),
    });
}

/// Why a verified address still doesn't count: it is the user's MFA factor.
fn excluded_by_mfa(user: &User, pool: &PoolSchema) -> String {
    if pool.recovery_mechanisms.is_none() {
        return String::new();
    }
    let active = mfa_active(user);
    let mut out = Vec::new();
    if active.contains(&"EMAIL_OTP") && verified(user, "email_verified") {
        out.push("the verified email is the user's email-MFA factor, which disqualifies it");
    }
    if active.contains(&"SMS_MFA") && verified(user, "phone_number_verified") {
        out.push("the verified phone number is the user's SMS-MFA factor, which disqualifies it");
    }
    match out.is_empty() {
        true => String::new(),
        false => format!(": {}", out.join("; ")),
    }
}
