//! The account's state: `Enabled` and `UserStatus` as AWS documents them. The current
//! AdminGetUser reference lists UNCONFIRMED, CONFIRMED, UNKNOWN, RESET_REQUIRED,
//! FORCE_CHANGE_PASSWORD and EXTERNAL_PROVIDER; COMPROMISED and ARCHIVED are legacy values it
//! no longer lists, so their findings say so rather than guess.

use super::recovery::{admin_set_action, password_fix};
use super::{Builder, Code, Draft, Inputs, Severity, rules};
use crate::cognito::{User, UserStatus, WriteAction};
use crate::time::rfc3339;

/// S1–S7 (FORCE_CHANGE_PASSWORD is the invitation family's).
pub(super) fn check(d: &mut Builder, inputs: &Inputs<'_>) {
    let user = inputs.user;
    match &user.status {
        None => unknown(
            d,
            "Cognito sent no status",
            "The answer has no UserStatus".into(),
        ),
        Some(UserStatus::Confirmed | UserStatus::ForceChangePassword) => {}
        Some(UserStatus::Unconfirmed) => unconfirmed(d, user),
        Some(UserStatus::ResetRequired) => reset_required(d, inputs),
        Some(UserStatus::Compromised) => legacy(d, &rules::COMPROMISED, Code::Compromised),
        Some(UserStatus::Archived) => legacy(d, &rules::ARCHIVED, Code::Archived),
        Some(UserStatus::ExternalProvider) => external(d, user),
        Some(status @ (UserStatus::Unknown | UserStatus::Other(_))) => unknown(
            d,
            &format!("status {} can't be judged", status.as_wire()),
            format!(
                "UserStatus={}: {}",
                status.as_wire(),
                if *status == UserStatus::Unknown {
                    "Cognito itself doesn't know this user's state"
                } else {
                    "a status this version of cognito-tui doesn't know"
                }
            ),
        ),
    }
    if !user.enabled {
        d.add(Draft {
            rule: &rules::DISABLED,
            code: Code::Disabled,
            severity: Severity::Blocker,
            headline: "the user is disabled".into(),
            message: "Enabled=false: Cognito refuses every sign-in of a disabled user, whatever \
                      the password."
                .into(),
            fix: "Enable the user if the account should be active (x → enable user, with \
                  --allow-write; AdminEnableUser)."
                .into(),
            remedy: "enable the user (x)",
            action: Some(WriteAction::EnableUser),
        });
    }
}

fn unknown(d: &mut Builder, headline: &str, why: String) {
    d.unsure = true;
    d.add(Draft {
        rule: &rules::UNKNOWN_STATUS,
        code: Code::UnknownStatus,
        severity: Severity::Warning,
        headline: headline.into(),
        message: format!("{why}; whether the user can sign in can't be told from it."),
        fix: "Look the user up again; if the status persists, check the user in the AWS \
              console, and ask AWS Support."
            .into(),
        remedy: "check the user in the AWS console",
        action: None,
    });
}

fn unconfirmed(d: &mut Builder, user: &User) {
    d.add(Draft {
        rule: &rules::UNCONFIRMED,
        code: Code::Unconfirmed,
        severity: Severity::Blocker,
        headline: "sign-up was never confirmed".into(),
        message: format!(
            "UserStatus=UNCONFIRMED: the account was created{} but the confirmation code was \
             never entered, and Cognito refuses sign-in until it is.",
            user.created
                .map(|t| format!(" on {}", rfc3339(t)))
                .unwrap_or_default()
        ),
        fix: "Ask the user to enter the code from the sign-up message (the app can send a new \
              one: ResendConfirmationCode), or confirm the sign-up for them \
              (AdminConfirmSignUp) once you trust the address."
            .into(),
        remedy: "confirm the sign-up",
        action: Some(WriteAction::ConfirmSignUp),
    });
}

/// S3: the three documented origins, told apart where the history can.
fn reset_required(d: &mut Builder, inputs: &Inputs<'_>) {
    let leaked = inputs
        .events
        .unwrap_or_default()
        .iter()
        .any(|e| e.compromised_credentials == Some(true));
    let origin = if leaked {
        "The sign-in history shows CompromisedCredentialsDetected: compromised-credentials \
         protection blocked a leaked password, which is the likely origin."
    } else if inputs.events.is_some() {
        "The sign-in history shows no CompromisedCredentialsDetected, so an administrator reset \
         (AdminResetUserPassword) or a user import is the likely origin."
    } else {
        "It can't be told which without the sign-in history."
    };
    let (fix, remedy) = password_fix(inputs.user, inputs.pool);
    d.add(Draft {
        rule: &rules::RESET_REQUIRED,
        code: Code::ResetRequired,
        severity: Severity::Blocker,
        headline: "the password must be reset".into(),
        message: format!(
            "UserStatus=RESET_REQUIRED: the current password no longer works. Cognito sets this \
             status after an administrator reset, when compromised-credentials protection \
             blocks a password, or for a user imported without one. {origin}"
        ),
        fix,
        remedy,
        action: admin_set_action(inputs.user, inputs.pool),
    });
}

fn legacy(d: &mut Builder, rule: &'static rules::Rule, code: Code) {
    d.unsure = true;
    let wire = if code == Code::Compromised {
        "COMPROMISED"
    } else {
        "ARCHIVED"
    };
    d.add(Draft {
        rule,
        code,
        severity: Severity::Warning,
        headline: format!("legacy status {wire}"),
        message: format!(
            "UserStatus={wire} is a legacy value: AWS's current AdminGetUser reference no \
             longer lists it, and no current page says what Cognito does with it, so whether \
             the user can sign in can't be told."
        ),
        fix: "Check the user in the AWS console and ask AWS Support what the status means for \
              this account; cognito-tui won't guess."
            .into(),
        remedy: "ask AWS Support",
        action: None,
    });
}

fn external(d: &mut Builder, user: &User) {
    let provider = provider_name(user);
    let name = provider
        .as_deref()
        .unwrap_or("an external identity provider");
    d.add(Draft {
        rule: &rules::EXTERNAL_PROVIDER,
        code: Code::ExternalProvider,
        severity: Severity::Info,
        headline: format!("signs in through {name}"),
        message: format!(
            "UserStatus=EXTERNAL_PROVIDER: the user signs in through {name}{}; there is no \
             Cognito password, so password and MFA settings don't apply.",
            if provider.is_some() {
                " (providerName in identities)"
            } else {
                ""
            }
        ),
        fix: format!(
            "Password actions (reset password) don't help: check the account at {name}, and \
             that the app client still offers {name}."
        ),
        remedy: "check the account at the identity provider",
        action: None,
    });
}

/// The identity provider named in the `identities` attribute, if it parses.
fn provider_name(user: &User) -> Option<String> {
    let raw = user.attribute("identities")?;
    let list: Vec<serde_json::Value> = serde_json::from_str(raw).ok()?;
    list.iter()
        .find_map(|i| i.get("providerName")?.as_str().map(str::to_string))
}
