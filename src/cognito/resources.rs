//! What a support engineer asks after "who is this user": groups, devices, sign-in history,
//! and the few write actions cognito-tui offers (only with `--allow-write`).

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::{Attribute, CognitoError, Op};

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

/// The write actions cognito-tui offers, each behind `--allow-write` and a confirmation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WriteAction {
    EnableUser,
    DisableUser,
    ResetPassword,
    GlobalSignOut,
}

impl WriteAction {
    /// Every action, in menu order.
    pub const ALL: [WriteAction; 4] = [
        WriteAction::EnableUser,
        WriteAction::DisableUser,
        WriteAction::ResetPassword,
        WriteAction::GlobalSignOut,
    ];

    /// The API operation's descriptor.
    pub fn op(self) -> Op {
        match self {
            Self::EnableUser => Op::ENABLE_USER,
            Self::DisableUser => Op::DISABLE_USER,
            Self::ResetPassword => Op::RESET_PASSWORD,
            Self::GlobalSignOut => Op::GLOBAL_SIGN_OUT,
        }
    }

    /// The API operation's name.
    pub fn operation(self) -> &'static str {
        self.op().name
    }

    /// The name recorded in the audit log.
    pub fn audit_name(self) -> &'static str {
        match self {
            Self::EnableUser => "enable_user",
            Self::DisableUser => "disable_user",
            Self::ResetPassword => "reset_password",
            Self::GlobalSignOut => "global_sign_out",
        }
    }

    /// What the confirmation dialog says the action does.
    pub fn description(self) -> &'static str {
        match self {
            Self::EnableUser => "enable the user: they can sign in again",
            Self::DisableUser => "disable the user: they can no longer sign in",
            Self::ResetPassword => {
                "reset the password: the user must set a new one with a code sent to them"
            }
            Self::GlobalSignOut => "sign the user out everywhere: all refresh tokens are revoked",
        }
    }

    /// Whether the confirmation requires typing the username (the destructive ones).
    pub fn needs_typed_confirmation(self) -> bool {
        matches!(self, Self::DisableUser | Self::ResetPassword)
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
