//! What a support engineer asks after "who is this user": groups, devices, sign-in history,
//! and the few write actions cognito-tui offers (only with `--allow-write`).

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::{Attribute, CognitoError, Op, TemporaryPassword, User};

/// A group the user belongs to (AdminListGroupsForUser).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Group {
    #[serde(rename = "GroupName")]
    pub name: String,
    #[serde(rename = "Description", skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(rename = "Precedence", skip_serializing_if = "Option::is_none")]
    pub precedence: Option<i32>,
    #[serde(rename = "RoleArn", skip_serializing_if = "Option::is_none")]
    pub role_arn: Option<String>,
}

/// A remembered or tracked device (AdminListDevices).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Device {
    pub key: String,
    /// `device_name`, `last_ip_used`, `device_status` (remembered / not_remembered), …
    pub attributes: Vec<Attribute>,
    pub created: Option<OffsetDateTime>,
    pub last_modified: Option<OffsetDateTime>,
    pub last_authenticated: Option<OffsetDateTime>,
}

impl Device {
    /// A device attribute's value.
    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|a| a.name == name)
            .and_then(|a| a.value.as_deref())
    }
}

/// One sign-in attempt (AdminListUserAuthEvents).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AuthEvent {
    pub id: Option<String>,
    /// SignIn, SignUp, ForgotPassword, PasswordChange, ResendCode, …
    pub event_type: Option<String>,
    pub created: Option<OffsetDateTime>,
    /// Pass / Fail.
    pub response: Option<String>,
    /// Low / Medium / High / NoRisk.
    pub risk_level: Option<String>,
    /// Block / Allow / NoChallenge …
    pub risk_decision: Option<String>,
    pub ip_address: Option<String>,
    pub city: Option<String>,
    pub country: Option<String>,
    pub device_name: Option<String>,
    /// `EventRisk.CompromisedCredentialsDetected`.
    pub compromised_credentials: Option<bool>,
    /// `ChallengeResponses` as `Name:Response` (`Password:Success`, `Mfa:Failure`).
    pub challenges: Vec<String>,
}

/// One page of a paginated list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_token: Option<String>,
}

impl<T> Default for Page<T> {
    fn default() -> Self {
        Self {
            items: Vec::new(),
            next_token: None,
        }
    }
}

/// A verification flag an agent may set: the user proved the address some other way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum VerifiedAttribute {
    Email,
    PhoneNumber,
}

impl VerifiedAttribute {
    /// Both, in menu order.
    pub const ALL: [VerifiedAttribute; 2] =
        [VerifiedAttribute::Email, VerifiedAttribute::PhoneNumber];

    /// The attribute whose value is verified: `email`, `phone_number`.
    pub fn attribute(self) -> &'static str {
        match self {
            Self::Email => "email",
            Self::PhoneNumber => "phone_number",
        }
    }

    /// The flag set to `"true"`: `email_verified`, `phone_number_verified`.
    pub fn flag(self) -> &'static str {
        match self {
            Self::Email => "email_verified",
            Self::PhoneNumber => "phone_number_verified",
        }
    }

    /// Whether `user` has this attribute but not yet the flag (the action applies).
    pub fn applies_to(self, user: &User) -> bool {
        user.attribute(self.attribute())
            .is_some_and(|v| !v.is_empty())
            && user.attribute(self.flag()) != Some("true")
    }
}

/// Where a re-sent invitation goes (AdminCreateUser `DesiredDeliveryMediums`). Cognito's
/// default is SMS alone, which fails for a user with only an email, so we always say.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InviteDelivery {
    Email,
    Sms,
    EmailAndSms,
}

impl InviteDelivery {
    /// Every address the user has on record; `None` when there is nowhere to send it.
    pub fn for_user(user: &User) -> Option<Self> {
        let has = |name: &str| user.attribute(name).is_some_and(|v| !v.is_empty());
        match (has("email"), has("phone_number")) {
            (true, true) => Some(Self::EmailAndSms),
            (true, false) => Some(Self::Email),
            (false, true) => Some(Self::Sms),
            (false, false) => None,
        }
    }

    /// The wire values, `EMAIL` and/or `SMS`.
    pub fn mediums(self) -> &'static [&'static str] {
        match self {
            Self::Email => &["EMAIL"],
            Self::Sms => &["SMS"],
            Self::EmailAndSms => &["EMAIL", "SMS"],
        }
    }

    /// How a confirmation names it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Email => "by email",
            Self::Sms => "by SMS",
            Self::EmailAndSms => "by email and SMS",
        }
    }
}

/// The write actions cognito-tui offers, each behind `--allow-write` and a confirmation.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum WriteAction {
    EnableUser,
    DisableUser,
    ResetPassword,
    GlobalSignOut,
    /// Reset MFA: delete the registered TOTP (AdminDeleteSoftwareToken), then turn off SMS,
    /// TOTP, email and passkey MFA (AdminSetUserMFAPreference) — two requests, see
    /// [`WriteAction::steps`]. As a value it names the second.
    ResetMfa,
    /// AdminDeleteSoftwareToken: the first step of [`WriteAction::ResetMfa`]. AWS: "Use this
    /// operation when a user loses access to their TOTP-generating device";
    /// AdminSetUserMFAPreference alone does not remove a registered token.
    DeleteSoftwareToken,
    /// Send the invitation again (AdminCreateUser `MessageAction=RESEND`); only for
    /// FORCE_CHANGE_PASSWORD users, as Cognito refuses it for any other status.
    ResendInvitation(InviteDelivery),
    /// Confirm a sign-up the user never finished (AdminConfirmSignUp).
    ConfirmSignUp,
    /// Set `email_verified` or `phone_number_verified` (AdminUpdateUserAttributes).
    MarkVerified(VerifiedAttribute),
    /// AdminAddUserToGroup.
    AddToGroup(String),
    /// AdminRemoveUserFromGroup.
    RemoveFromGroup(String),
    /// AdminDeleteUser: gone for good.
    DeleteUser,
    /// AdminSetUserPassword with `Permanent=false`: a generated password, shown once, that
    /// the user must change at the next sign-in (FORCE_CHANGE_PASSWORD) — for a user no
    /// recovery channel can reach. The password is made when the confirmation opens
    /// ([`TemporaryPassword::to_generate`] until then) and never printed by `{:?}`.
    SetTemporaryPassword(TemporaryPassword),
}

impl WriteAction {
    /// The API operation's descriptor.
    pub fn op(&self) -> Op {
        match self {
            Self::EnableUser => Op::ENABLE_USER,
            Self::DisableUser => Op::DISABLE_USER,
            Self::ResetPassword => Op::RESET_PASSWORD,
            Self::GlobalSignOut => Op::GLOBAL_SIGN_OUT,
            Self::ResetMfa => Op::SET_MFA_PREFERENCE,
            Self::DeleteSoftwareToken => Op::DELETE_SOFTWARE_TOKEN,
            Self::ResendInvitation(_) => Op::RESEND_INVITATION,
            Self::ConfirmSignUp => Op::CONFIRM_SIGN_UP,
            Self::MarkVerified(_) => Op::UPDATE_ATTRIBUTES,
            Self::AddToGroup(_) => Op::ADD_TO_GROUP,
            Self::RemoveFromGroup(_) => Op::REMOVE_FROM_GROUP,
            Self::DeleteUser => Op::DELETE_USER,
            Self::SetTemporaryPassword(_) => Op::SET_PASSWORD,
        }
    }

    /// The API operation's name.
    pub fn operation(&self) -> &'static str {
        self.op().name
    }

    /// The name recorded in the audit log.
    pub fn audit_name(&self) -> &'static str {
        match self {
            Self::EnableUser => "enable_user",
            Self::DisableUser => "disable_user",
            Self::ResetPassword => "reset_password",
            Self::GlobalSignOut => "global_sign_out",
            Self::ResetMfa => "reset_mfa",
            Self::DeleteSoftwareToken => "delete_software_token",
            Self::ResendInvitation(_) => "resend_invitation",
            Self::ConfirmSignUp => "confirm_sign_up",
            Self::MarkVerified(VerifiedAttribute::Email) => "mark_email_verified",
            Self::MarkVerified(VerifiedAttribute::PhoneNumber) => "mark_phone_verified",
            Self::AddToGroup(_) => "add_to_group",
            Self::RemoveFromGroup(_) => "remove_from_group",
            Self::DeleteUser => "delete_user",
            Self::SetTemporaryPassword(_) => "set_temporary_password",
        }
    }

    /// The parameter the audit log records beside the action (the group), if any.
    pub fn audit_detail(&self) -> Option<&str> {
        match self {
            Self::AddToGroup(group) | Self::RemoveFromGroup(group) => Some(group),
            _ => None,
        }
    }

    /// What the action does, for the menu and the confirmation (about 50 characters: one
    /// menu column).
    pub fn description(&self) -> String {
        match self {
            Self::EnableUser => "enable the user: they can sign in again".into(),
            Self::DisableUser => "disable the user: they can no longer sign in".into(),
            Self::ResetPassword => "reset the password: they set a new one with a code".into(),
            Self::GlobalSignOut => "sign out everywhere: revoke every refresh token".into(),
            Self::ResetMfa => "reset MFA: delete the TOTP, turn every MFA factor off".into(),
            Self::DeleteSoftwareToken => "delete the registered authenticator app (TOTP)".into(),
            Self::ResendInvitation(delivery) => format!(
                "resend the invite {}: new temporary password",
                delivery.label()
            ),
            Self::ConfirmSignUp => "confirm the sign-up without the user's code".into(),
            Self::MarkVerified(attribute) => format!(
                "mark {} verified without sending a code",
                attribute.attribute()
            ),
            Self::AddToGroup(group) => format!("add the user to the group {group}"),
            Self::RemoveFromGroup(group) => format!("remove the user from the group {group}"),
            Self::DeleteUser => "DELETE the user and every attribute, for good".into(),
            Self::SetTemporaryPassword(_) => {
                "generated, shown once; they change it at sign-in".into()
            }
        }
    }

    /// The requests the action is, in order: Reset MFA is AdminDeleteSoftwareToken then
    /// AdminSetUserMFAPreference; every other action is itself.
    pub fn steps(&self) -> Vec<WriteAction> {
        match self {
            Self::ResetMfa => vec![Self::DeleteSoftwareToken, Self::ResetMfa],
            other => vec![other.clone()],
        }
    }

    /// What the confirmation says beyond the description: each call, and what an
    /// administrator can't do.
    pub fn confirmation_note(&self) -> Option<&'static str> {
        match self {
            Self::ResetMfa => Some(
                "Calls: 1. AdminDeleteSoftwareToken (removes the registered authenticator app); \
                 2. AdminSetUserMFAPreference (SMS, TOTP, email and passkey MFA off). An \
                 administrator can't delete the user's passkeys: that needs the user's own \
                 token (DeleteWebAuthnCredential).",
            ),
            Self::SetTemporaryPassword(_) => Some(
                "Calls AdminSetUserPassword with Permanent=false and a password generated to the \
                 pool's password policy. It is shown once, when set: give it to the user, who \
                 must choose a new one at the next sign-in (FORCE_CHANGE_PASSWORD). Their \
                 current password stops working. It is not logged or audited.",
            ),
            _ => None,
        }
    }

    /// Whether the confirmation requires typing the username (the destructive ones).
    pub fn needs_typed_confirmation(&self) -> bool {
        matches!(
            self,
            Self::DisableUser
                | Self::ResetPassword
                | Self::ResetMfa
                | Self::DeleteUser
                | Self::SetTemporaryPassword(_)
        )
    }
}

/// Most pages a pane loads on its own; a user in thousands of groups is a data problem, and
/// the quota is shared with production.
pub const MAX_PAGES: usize = 20;

/// Every item of a paginated list, page by page (60 a page), stopping after `MAX_PAGES`.
/// Returns the items and whether more remained.
pub async fn collect_pages<T, F, Fut>(mut fetch: F) -> Result<(Vec<T>, bool), CognitoError>
where
    F: FnMut(Option<String>) -> Fut,
    Fut: std::future::Future<Output = Result<Page<T>, CognitoError>>,
{
    let mut items = Vec::new();
    let mut token = None;
    for _ in 0..MAX_PAGES {
        let page = fetch(token.take()).await?;
        items.extend(page.items);
        match page.next_token {
            Some(next) => token = Some(next),
            None => return Ok((items, false)),
        }
    }
    Ok((items, true))
}

/// Every group of the pool (ListGroups, page by page), for the add-to-group picker.
pub async fn pool_groups(
    backend: &dyn super::Backend,
    pool: &super::PoolId,
) -> Result<(Vec<Group>, bool), CognitoError> {
    collect_pages(|token| async move {
        let page = super::PageRequest::after(60, token.as_deref());
        backend.list_groups(pool, page).await
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cognito::ErrorKind;
    use crate::cognito::error::ErrorContext;

    fn user(attributes: &[(&str, &str)]) -> User {
        User {
            username: "u".into(),
            attributes: attributes
                .iter()
                .map(|(n, v)| Attribute::new(*n, *v))
                .collect(),
            ..User::default()
        }
    }

    #[test]
    fn invitations_go_wherever_the_user_can_receive_them() {
        let both = user(&[("email", "a@example.com"), ("phone_number", "+15550100")]);
        assert_eq!(
            InviteDelivery::for_user(&both),
            Some(InviteDelivery::EmailAndSms)
        );
        let email = user(&[("email", "a@example.com"), ("phone_number", "")]);
        assert_eq!(
            InviteDelivery::for_user(&email),
            Some(InviteDelivery::Email)
        );
        assert_eq!(InviteDelivery::Email.mediums(), ["EMAIL"]);
        assert_eq!(InviteDelivery::for_user(&user(&[])), None);
    }

    #[test]
    fn mark_verified_applies_only_to_an_unverified_address_on_record() {
        let email = VerifiedAttribute::Email;
        assert!(email.applies_to(&user(&[("email", "a@example.com")])));
        assert!(email.applies_to(&user(&[
            ("email", "a@example.com"),
            ("email_verified", "false")
        ])));
        assert!(!email.applies_to(&user(&[
            ("email", "a@example.com"),
            ("email_verified", "true")
        ])));
        assert!(!email.applies_to(&user(&[("email_verified", "false")])));
        assert!(!VerifiedAttribute::PhoneNumber.applies_to(&user(&[("email", "a@example.com")])));
    }

    #[test]
    fn an_iam_denial_names_the_policy_that_grants_the_operation() {
        let ctx = ErrorContext {
            pool: Some("us-east-1_Abc123"),
            ..ErrorContext::default()
        };
        let denied = |op| CognitoError::new(ErrorKind::AccessDenied, op, "denied").hint(&ctx);
        assert!(denied("AdminDeleteUser").contains("assets/iam-policy-write.json"));
        assert!(denied("ListGroups").contains("assets/iam-policy.json"));
        let no_group = CognitoError::new(
            ErrorKind::PoolNotFound,
            WriteAction::AddToGroup("x".into()).operation(),
            "Group not found.",
        );
        assert!(no_group.hint(&ctx).starts_with("the group does not exist"));
    }
}
