//! The written rules the diagnosis applies: one [`Rule`] per judgement, each naming the AWS
//! page it comes from. `docs/cognito-rules.md` is their index (a test holds the two together),
//! and every finding carries the rule that produced it.

/// The family a rule belongs to: the module of `crate::diagnose` that applies it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Family {
    /// The account's state: `Enabled`, `UserStatus`.
    Status,
    /// Administrator-created users and their temporary passwords.
    Invitation,
    /// Multi-factor authentication as the pool offers it.
    Mfa,
    /// Verified addresses and password recovery.
    Recovery,
    /// Sign-in history: risk decisions, lockout, leaked credentials.
    History,
    /// The pool's sign-in policy, feature plan and message delivery.
    SignInPolicy,
}

impl Family {
    /// The module that applies the family's rules.
    pub fn module(self) -> &'static str {
        match self {
            Self::Status => "src/diagnose/status.rs",
            Self::Invitation => "src/diagnose/invitation.rs",
            Self::Mfa => "src/diagnose/mfa.rs",
            Self::Recovery => "src/diagnose/recovery.rs",
            Self::History => "src/diagnose/history.rs",
            Self::SignInPolicy => "src/diagnose/policy.rs",
        }
    }
}

/// An AWS documentation page: the spec a rule is taken from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Source {
    pub title: &'static str,
    pub url: &'static str,
}

/// One rule: a stable id (`S3`), its family, the rule in one sentence and its source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Rule {
    pub id: &'static str,
    pub family: Family,
    pub summary: &'static str,
    pub source: Source,
}

const fn page(title: &'static str, url: &'static str) -> Source {
    Source { title, url }
}

#[cfg(test)]
const API: &str = "https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/";

// The pages, once each. (The API reference's URLs are the base above plus the page.)
const ADMIN_GET_USER: Source = page(
    "AdminGetUser (UserStatus)",
    "https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminGetUser.html",
);
const ADMIN_DISABLE_USER: Source = page(
    "AdminDisableUser",
    "https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminDisableUser.html",
);
const SIGN_UP: Source = page(
    "Signing up and confirming user accounts",
    "https://docs.aws.amazon.com/cognito/latest/developerguide/signing-up-users-in-your-app.html",
);
const FEDERATION: Source = page(
    "User pool sign-in with third party identity providers",
    "https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-identity-federation.html",
);
const CREATE_USERS: Source = page(
    "Creating user accounts as administrator",
    "https://docs.aws.amazon.com/cognito/latest/developerguide/how-to-create-user-accounts.html",
);
const ADMIN_CREATE_USER_CONFIG: Source = page(
    "AdminCreateUserConfigType (UnusedAccountValidityDays)",
    "https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminCreateUserConfigType.html",
);
const ADDING_MFA: Source = page(
    "Adding MFA to a user pool",
    "https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-mfa.html",
);
const VERIFICATION: Source = page(
    "Configuring email or phone verification",
    "https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-email-phone-verification.html",
);
const RECOVERY: Source = page(
    "AccountRecoverySettingType (Recovering user accounts)",
    "https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AccountRecoverySettingType.html",
);
const ADAPTIVE: Source = page(
    "Working with adaptive authentication",
    "https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pool-settings-adaptive-authentication.html",
);
const COMPROMISED_CREDENTIALS: Source = page(
    "Working with compromised-credentials detection",
    "https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pool-settings-compromised-credentials.html",
);
const AUTH_FLOW: Source = page(
    "Authentication with Amazon Cognito user pools (lockout behavior for failed sign-in attempts)",
    "https://docs.aws.amazon.com/cognito/latest/developerguide/authentication.html#authentication-flow-lockout-behavior",
);
const THREAT_PROTECTION: Source = page(
    "Advanced security with threat protection",
    "https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pool-settings-threat-protection.html",
);
const FEATURE_PLANS: Source = page(
    "User pool feature plans",
    "https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-sign-in-feature-plans.html",
);
const AUTH_METHODS: Source = page(
    "Authentication flows (choice-based sign-in, passwordless, passkeys)",
    "https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-authentication-flow-methods.html",
);
const AUTH_FACTORS: Source = page(
    "AdminGetUserAuthFactors",
    "https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminGetUserAuthFactors.html",
);
const USER_POOL_TYPE: Source = page(
    "UserPoolType (EmailConfigurationFailure, SmsConfigurationFailure)",
    "https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_UserPoolType.html",
);
const DESCRIBE_USER_POOL: Source = page(
    "DescribeUserPool",
    "https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_DescribeUserPool.html",
);

const fn rule(id: &'static str, family: Family, summary: &'static str, source: Source) -> Rule {
    Rule {
        id,
        family,
        summary,
        source,
    }
}

use Family::*;

/// S1: a disabled user can't sign in.
pub const DISABLED: Rule = rule(
    "S1",
    Status,
    "A disabled user (Enabled=false) can't sign in with any credential until AdminEnableUser.",
    ADMIN_DISABLE_USER,
);
/// S2: an unconfirmed sign-up can't sign in.
pub const UNCONFIRMED: Rule = rule(
    "S2",
    Status,
    "UNCONFIRMED: sign-up was never confirmed, and Cognito refuses sign-in until it is.",
    SIGN_UP,
);
/// S3: RESET_REQUIRED and its three origins.
pub const RESET_REQUIRED: Rule = rule(
    "S3",
    Status,
    "RESET_REQUIRED: the password no longer works (an administrator reset, a compromised-credentials \
     block, or a user import) until the user sets a new one.",
    ADMIN_GET_USER,
);
/// S4: COMPROMISED is a legacy value.
pub const COMPROMISED: Rule = rule(
    "S4",
    Status,
    "COMPROMISED is a legacy status AWS no longer documents: say so, don't guess.",
    ADMIN_GET_USER,
);
/// S5: ARCHIVED is a legacy value.
pub const ARCHIVED: Rule = rule(
    "S5",
    Status,
    "ARCHIVED is a legacy status AWS no longer documents: say so, don't guess.",
    ADMIN_GET_USER,
);
/// S6: a federated user signs in at their identity provider.
pub const EXTERNAL_PROVIDER: Rule = rule(
    "S6",
    Status,
    "EXTERNAL_PROVIDER: the user signs in at a third-party identity provider; passwords and MFA \
     in the pool don't apply.",
    FEDERATION,
);
/// S7: an absent or unknown status can't be judged.
pub const UNKNOWN_STATUS: Rule = rule(
    "S7",
    Status,
    "An absent, UNKNOWN or unlisted status can't be judged: the verdict is \"can't tell\".",
    ADMIN_GET_USER,
);
/// I1: FORCE_CHANGE_PASSWORD with the temporary password still valid.
pub const INVITED: Rule = rule(
    "I1",
    Invitation,
    "FORCE_CHANGE_PASSWORD: the temporary password works once, until TemporaryPasswordValidityDays \
     (else the legacy UnusedAccountValidityDays, else 7) after it was sent, at the latest; \
     \"Forgot password\" is refused in this state.",
    CREATE_USERS,
);
/// I2: FORCE_CHANGE_PASSWORD after the temporary password expired.
pub const INVITATION_EXPIRED: Rule = rule(
    "I2",
    Invitation,
    "FORCE_CHANGE_PASSWORD past the validity: the temporary password no longer works; only a \
     resent invitation (AdminCreateUser MessageAction=RESEND) helps.",
    ADMIN_CREATE_USER_CONFIG,
);
/// M1: MFA required and no factor: MFA_SETUP at sign-in.
pub const MFA_SETUP: Rule = rule(
    "M1",
    Mfa,
    "MFA required and no factor the pool offers (SMS to any phone on record, email only where \
     the pool has email MFA, a registered TOTP, passkey MFA): Cognito answers MFA_SETUP at \
     sign-in; a warning, never for a fresh invitee.",
    ADDING_MFA,
);
/// R1: an unverified email in a role that needs it verified.
pub const EMAIL_UNVERIFIED: Rule = rule(
    "R1",
    Recovery,
    "An email that is a username, alias or recovery channel but not verified: no codes go to it \
     and an alias can't be used to sign in.",
    VERIFICATION,
);
/// R2: an unverified phone number in a role that needs it verified.
pub const PHONE_UNVERIFIED: Rule = rule(
    "R2",
    Recovery,
    "A phone number that is a username, alias or recovery channel but not verified: no recovery \
     codes go to it (SMS MFA still does).",
    VERIFICATION,
);
/// R3: a confirmed user no recovery channel reaches.
pub const NO_RECOVERY: Rule = rule(
    "R3",
    Recovery,
    "AccountRecoverySetting decides the channels; an email that is the user's email-MFA factor \
     and a phone that is their SMS-MFA factor don't count; none usable (or admin_only): a \
     warning for a CONFIRMED user.",
    RECOVERY,
);
/// R4: a RESET_REQUIRED user no recovery channel reaches.
pub const NO_RECOVERY_RESET: Rule = rule(
    "R4",
    Recovery,
    "RESET_REQUIRED with no usable recovery channel: a blocker only an administrator-set password \
     (AdminSetUserPassword) lifts.",
    RECOVERY,
);
/// H1: the last sign-in attempt was blocked by adaptive authentication.
pub const RISK_BLOCK: Rule = rule(
    "H1",
    History,
    "Risk decision Block on the latest sign-in attempt (ENFORCED mode): that attempt was blocked; \
     in AUDIT mode no action is taken and it counts for nothing.",
    ADAPTIVE,
);
/// H2: the account-takeover response required MFA.
pub const RISK_MFA: Rule = rule(
    "H2",
    History,
    "Risk decision AccountTakeover with an MFA challenge: the risk response required MFA.",
    ADAPTIVE,
);
/// H3: compromised credentials detected.
pub const LEAKED_PASSWORD: Rule = rule(
    "H3",
    History,
    "CompromisedCredentialsDetected on a recent event: Cognito found the password among leaked \
     credentials.",
    COMPROMISED_CREDENTIALS,
);
/// H4: lockout after five failed sign-ins.
pub const LOCKOUT: Rule = rule(
    "H4",
    History,
    "Five failed sign-ins within 15 minutes start Cognito's lockout (1 s, doubling per further \
     failure, up to about 15 minutes): a blocker until the computed lockout ends.",
    AUTH_FLOW,
);
/// H5: recent failed sign-ins.
pub const FAILURES: Rule = rule(
    "H5",
    History,
    "Failed sign-ins in the last 24 hours that don't lock the user out: a warning.",
    AUTH_FLOW,
);
/// H6: no sign-in history without threat protection.
pub const NO_HISTORY: Rule = rule(
    "H6",
    History,
    "Without threat protection (a Plus-plan feature) Cognito keeps no sign-in history: say it \
     needs the Plus plan, not that a call failed.",
    THREAT_PROTECTION,
);
/// H7: sign-in history not loaded.
pub const HISTORY_NOT_LOADED: Rule = rule(
    "H7",
    History,
    "Threat protection on but the history not loaded: the history checks did not run.",
    THREAT_PROTECTION,
);
/// P1: MFA excludes passwordless sign-in.
pub const MFA_EXCLUDES_PASSWORDLESS: Rule = rule(
    "P1",
    SignInPolicy,
    "A user with MFA active can't use the pool's passwordless first factors (EMAIL_OTP, SMS_OTP): \
     MFA and passwordless exclude each other.",
    AUTH_METHODS,
);
/// P2: none of the user's factors is an allowed first factor.
pub const NO_FIRST_FACTOR: Rule = rule(
    "P2",
    SignInPolicy,
    "None of the user's configured auth factors (AdminGetUserAuthFactors) is in the pool's \
     AllowedFirstAuthFactors, e.g. a passkey-only user after WEB_AUTHN was removed: a blocker.",
    AUTH_FACTORS,
);
/// P3: email OTP sign-in with no verified email.
pub const EMAIL_OTP_UNREACHABLE: Rule = rule(
    "P3",
    SignInPolicy,
    "The pool allows EMAIL_OTP sign-in but the user has no verified email: that way in is closed.",
    AUTH_METHODS,
);
/// P4: the pool reports it can't send email or SMS.
pub const DELIVERY_FAILING: Rule = rule(
    "P4",
    SignInPolicy,
    "DescribeUserPool's EmailConfigurationFailure or SmsConfigurationFailure: codes and \
     invitations through that channel are not being sent.",
    USER_POOL_TYPE,
);
/// P5: pool settings unavailable.
pub const POOL_UNAVAILABLE: Rule = rule(
    "P5",
    SignInPolicy,
    "Without DescribeUserPool the pool-dependent checks don't run, and the diagnosis lists them.",
    DESCRIBE_USER_POOL,
);

/// Every rule, in the order of `docs/cognito-rules.md`.
pub const ALL: [&Rule; 26] = [
    &DISABLED,
    &UNCONFIRMED,
    &RESET_REQUIRED,
    &COMPROMISED,
    &ARCHIVED,
    &EXTERNAL_PROVIDER,
    &UNKNOWN_STATUS,
    &INVITED,
    &INVITATION_EXPIRED,
    &MFA_SETUP,
    &EMAIL_UNVERIFIED,
    &PHONE_UNVERIFIED,
    &NO_RECOVERY,
    &NO_RECOVERY_RESET,
    &RISK_BLOCK,
    &RISK_MFA,
    &LEAKED_PASSWORD,
    &LOCKOUT,
    &FAILURES,
    &NO_HISTORY,
    &HISTORY_NOT_LOADED,
    &MFA_EXCLUDES_PASSWORDLESS,
    &NO_FIRST_FACTOR,
    &EMAIL_OTP_UNREACHABLE,
    &DELIVERY_FAILING,
    &POOL_UNAVAILABLE,
];

/// Pages cited beside the rules (feature plans): kept so the index can name them.
pub const PLAN_PAGE: Source = FEATURE_PLANS;

/// The rule with this id.
pub fn by_id(id: &str) -> Option<&'static Rule> {
    ALL.iter().copied().find(|r| r.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_sources_are_aws_pages() {
        let mut seen = std::collections::HashSet::new();
        for r in ALL {
            assert!(seen.insert(r.id), "{} twice", r.id);
            assert!(
                r.source.url.starts_with("https://docs.aws.amazon.com/"),
                "{}",
                r.id
            );
            if r.source.url.contains("APIReference") {
                assert!(r.source.url.starts_with(API), "{}", r.id);
            }
        }
    }
}
