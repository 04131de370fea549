//! MFA as Cognito applies it ("Adding MFA to a user pool"). A factor counts only where the
//! pool offers it (GetUserPoolMfaConfig): SMS MFA goes to any phone number on record, verified
//! or not (SMSMfaSettingsType: "Phone numbers don't need to be verified to be used for SMS
//! MFA"); email MFA only where the pool has it (Essentials or Plus plan); TOTP only once
//! registered; a passkey only where WebAuthn MFA is configured. With MFA required and no
//! factor, Cognito answers MFA_SETUP at sign-in (AdminDeleteSoftwareToken's reference): the
//! user registers one then, so it is a warning; and a new user's first sign-in issues tokens
//! without MFA, so never for an invitee.

use super::{Builder, Code, Draft, Inputs, Severity, has, mfa_active, rules, verified};
use crate::cognito::{PoolMfa, PoolSchema, User, UserStatus};

/// The MFA factors `user` can answer with in this pool: `SMS`, `TOTP`, `email`, `passkey`.
pub(crate) fn usable_factors(inputs: &Inputs<'_>, pool: &PoolSchema) -> Vec<&'static str> {
    let user = inputs.user;
    // Without GetUserPoolMfaConfig every factor on record counts (the lenient reading).
    let offers = |pick: fn(&PoolMfa) -> bool| pool.mfa.as_ref().is_none_or(pick);
    let active = mfa_active(user);
    let mut out = Vec::new();
    if offers(|m| m.sms) && (has(user, "phone_number") || active.contains(&"SMS_MFA")) {
        out.push("SMS");
    }
    if offers(|m| m.totp) && active.contains(&"SOFTWARE_TOKEN_MFA") {
        out.push("TOTP");
    }
    let email_plan = pool.tier.as_deref() != Some("LITE");
    if email_plan
        && offers(|m| m.email)
        && (active.contains(&"EMAIL_OTP")
            || (has(user, "email") && verified(user, "email_verified")))
    {
        out.push("email");
    }
    let passkey_mfa = pool.mfa.as_ref().is_some_and(|m| m.passkey);
    if passkey_mfa && inputs.factors.is_some_and(|f| f.has_passkey()) {
        out.push("passkey");
    }
    out
}

/// M1.
pub(super) fn check(d: &mut Builder, inputs: &Inputs<'_>) {
    let user = inputs.user;
    let Some(pool) = inputs.pool else {
        if mfa_active(user).is_empty() {
            d.skip(Code::MfaRequiredNotSetUp);
        }
        return;
    };
    // New users: the first sign-in issues tokens even where MFA is required.
    let fresh = matches!(
        user.status,
        Some(UserStatus::ForceChangePassword | UserStatus::Unconfirmed)
    );
    if !pool.mfa_required() || fresh || !usable_factors(inputs, pool).is_empty() {
        return;
    }
    let setup = setup_options(pool);
    d.add(Draft {
        rule: &rules::MFA_SETUP,
        code: Code::MfaRequiredNotSetUp,
        severity: Severity::Warning,
        headline: "MFA is required and the user has no factor yet".into(),
        message: format!(
            "The pool requires MFA (MfaConfiguration=ON) and none of this user's factors is one \
             the pool offers ({}): no phone number for SMS MFA, no registered authenticator app \
             (TOTP), no email MFA. At the next sign-in Cognito answers MFA_SETUP and the user \
             must register a factor to finish signing in{}.",
            offered(pool),
            if pool.mfa.is_none() {
                "; the pool's MFA configuration (GetUserPoolMfaConfig) was not read, so every \
                 factor on record was counted"
            } else {
                ""
            }
        ),
        fix: format!(
            "Tell the user to expect the MFA setup step at sign-in ({setup}). If the app \
             doesn't offer that step, add a phone number for SMS MFA (AdminUpdateUserAttributes \
             phone_number) where the pool offers SMS."
        ),
        remedy: "the user sets up MFA at the next sign-in",
        action: None,
    });
}

/// The factors the pool offers, as a list for a message.
fn offered(pool: &PoolSchema) -> String {
    let Some(m) = pool.mfa else {
        return "not read".into();
    };
    let names: Vec<&str> = [
        (m.sms, "SMS"),
        (m.totp, "TOTP"),
        (m.email, "email"),
        (m.passkey, "passkey"),
    ]
    .into_iter()
    .filter_map(|(on, name)| on.then_some(name))
    .collect();
    if names.is_empty() {
        "none".into()
    } else {
        names.join(", ")
    }
}

fn setup_options(pool: &PoolSchema) -> &'static str {
    match pool.mfa {
        Some(m) if m.totp => "an authenticator app can be registered there",
        Some(m) if m.email => "email MFA can be set up there",
        Some(_) => "the pool offers no factor the user can register without a phone number",
        None => "an authenticator app, where the pool offers it",
    }
}

/// Whether the user has MFA active (for the passwordless rule).
pub(crate) fn has_active_mfa(user: &User) -> bool {
    !mfa_active(user).is_empty()
}
