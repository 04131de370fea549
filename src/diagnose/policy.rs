//! The pool's sign-in policy and plan, as the 2024–2026 sign-in model has them
//! ("Authentication flows"; "User pool feature plans"; AdminGetUserAuthFactors): which first
//! factors the pool allows (SignInPolicy.AllowedFirstAuthFactors), which the user has
//! configured, and whether Cognito can send messages at all (UserPoolType's
//! EmailConfigurationFailure and SmsConfigurationFailure).

use super::mfa::has_active_mfa;
use super::recovery::ADMIN_SET;
use super::{Builder, Code, Draft, Inputs, Severity, has, rules, verified};
use crate::cognito::PoolSchema;

/// P1–P4.
pub(super) fn check(d: &mut Builder, inputs: &Inputs<'_>) {
    let Some(pool) = inputs.pool else {
        return;
    };
    passwordless_with_mfa(d, inputs, pool);
    no_first_factor(d, inputs, pool);
    email_otp(d, inputs, pool);
    delivery(d, pool);
}

/// P1: MFA and passwordless exclude each other for a user.
fn passwordless_with_mfa(d: &mut Builder, inputs: &Inputs<'_>, pool: &PoolSchema) {
    let otp: Vec<&str> = pool
        .first_factors()
        .into_iter()
        .filter(|f| matches!(*f, "EMAIL_OTP" | "SMS_OTP"))
        .collect();
    if otp.is_empty() || !has_active_mfa(inputs.user) {
        return;
    }
    d.add(Draft {
        rule: &rules::MFA_EXCLUDES_PASSWORDLESS,
        code: Code::MfaExcludesPasswordless,
        severity: Severity::Info,
        headline: "MFA is on, so passwordless sign-in is not offered".into(),
        message: format!(
            "The pool allows {} as a first factor, but this user has MFA active, and MFA and \
             passwordless sign-in exclude each other: the user signs in with a password (or a \
             passkey) and then MFA.",
            otp.join(" and ")
        ),
        fix: "Nothing is broken: the user signs in with their password and MFA. Only if they \
              should sign in without a password, turn their MFA off (Reset MFA)."
            .into(),
        remedy: "the user signs in with password and MFA",
        action: None,
    });
}

/// P2: no configured factor is an allowed first factor.
fn no_first_factor(d: &mut Builder, inputs: &Inputs<'_>, pool: &PoolSchema) {
    let Some(factors) = inputs.factors else {
        return;
    };
    let first: Vec<&str> = factors
        .configured
        .iter()
        .map(String::as_str)
        .filter(|f| matches!(*f, "PASSWORD" | "EMAIL_OTP" | "SMS_OTP" | "WEB_AUTHN"))
        .collect();
    let allowed = pool.first_factors();
    if first.is_empty() || first.iter().any(|f| allowed.contains(f)) {
        return;
    }
    let passkey_only = first == ["WEB_AUTHN"];
    d.add(Draft {
        rule: &rules::NO_FIRST_FACTOR,
        code: Code::NoAllowedFirstFactor,
        severity: Severity::Blocker,
        headline: if passkey_only {
            "passkey-only user, and the pool no longer allows passkeys".into()
        } else {
            "none of the user's factors is allowed to start a sign-in".into()
        },
        message: format!(
            "The user's configured auth factors (AdminGetUserAuthFactors) are {}, and the \
             pool's SignInPolicy.AllowedFirstAuthFactors is {}: no way to start a sign-in.",
            first.join(", "),
            allowed.join(", ")
        ),
        fix: format!(
            "Allow one of the user's factors again in the pool's sign-in policy \
             (UpdateUserPool Policies.SignInPolicy), or give the user a password: {ADMIN_SET}"
        ),
        remedy: "set a temporary password (AdminSetUserPassword)",
        action: None,
    });
}

/// P3: email one-time passwords with no verified email.
fn email_otp(d: &mut Builder, inputs: &Inputs<'_>, pool: &PoolSchema) {
    let user = inputs.user;
    if !pool.first_factors().contains(&"EMAIL_OTP")
        || (has(user, "email") && verified(user, "email_verified"))
    {
        return;
    }
    d.add(Draft {
        rule: &rules::EMAIL_OTP_UNREACHABLE,
        code: Code::EmailOtpUnreachable,
        severity: Severity::Info,
        headline: "email sign-in codes can't reach this user".into(),
        message: format!(
            "The pool allows EMAIL_OTP as a first factor, but the user's email is {}: sign-in \
             with a code by email is not available to them.",
            if has(user, "email") {
                "not verified (email_verified is not true)"
            } else {
                "absent"
            }
        ),
        fix: "The user signs in another way; to offer email codes, the user verifies the email \
              from the app, or an administrator marks it verified after checking it \
              (AdminUpdateUserAttributes email_verified=true)."
            .into(),
        remedy: "verify the email for email sign-in",
        action: None,
    });
}

/// P4: Cognito reports it can't send email or SMS.
fn delivery(d: &mut Builder, pool: &PoolSchema) {
    let failing: Vec<String> = [
        (
            "EmailConfigurationFailure",
            &pool.email_configuration_failure,
        ),
        ("SmsConfigurationFailure", &pool.sms_configuration_failure),
    ]
    .into_iter()
    .filter_map(|(field, v)| v.as_ref().map(|v| format!("{field}: {v}")))
    .collect();
    if failing.is_empty() {
        return;
    }
    d.add(Draft {
        rule: &rules::DELIVERY_FAILING,
        code: Code::MessageDeliveryFailing,
        severity: Severity::Warning,
        headline: "the pool reports it can't send messages".into(),
        message: format!(
            "DescribeUserPool reports {}: codes, invitations and MFA messages through that \
             channel are not being sent.",
            failing.join("; ")
        ),
        fix: "Fix the pool's message configuration: console → the user pool → Authentication \
              methods (email: SES identity and sending authorization; SMS: the IAM role and \
              SNS sandbox/origination)."
            .into(),
        remedy: "fix the pool's email or SMS configuration",
        action: None,
    });
}

/// P5: the checks that could not run without DescribeUserPool.
pub(super) fn pool_unavailable(d: &mut Builder, pool: Option<&PoolSchema>) {
    if pool.is_some() || d.not_checked.is_empty() {
        return;
    }
    let names: Vec<&str> = d.not_checked.iter().map(|c| c.as_str()).collect();
    d.add(Draft {
        rule: &rules::POOL_UNAVAILABLE,
        code: Code::PoolSettingsUnavailable,
        severity: Severity::Info,
        headline: "the pool's settings were not available".into(),
        message: format!(
            "DescribeUserPool was not available, so these checks did not run: {}.",
            names.join(", ")
        ),
        fix: "Allow cognito-idp:DescribeUserPool for this pool (see assets/iam-policy.json) and \
              diagnose again."
            .into(),
        remedy: "allow DescribeUserPool",
        action: None,
    });
}
