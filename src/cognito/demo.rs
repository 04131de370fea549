//! The embedded demo pools: a `Backend` over `assets/demo-pool.json` (a Plus-plan pool, the
//! default) or `assets/demo-pool-lite.json` (a Lite-plan pool) that follows Cognito's rules
//! (username, verified-alias and sub resolution, ListUsers filters and paging, the same
//! exceptions), so `--demo` exercises exactly the code paths a real pool does. What the Lite
//! plan lacks (email MFA, threat protection, passwordless) is from AWS's "User pool feature
//! plans" (https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-sign-in-feature-plans.html).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use time::OffsetDateTime;

use super::{
    Attribute, Backend, CognitoError, ErrorKind, FilterAttribute, ListFilter, ListKind, Listing,
    ListingPage, PageRequest, PoolId, PoolPage, PoolSchema, PoolSummary, User, UserPage,
    UserStatus, UserSummary,
};
use super::{AuthEvent, AuthFactors, Device, Group, Page, PoolMfa, WriteAction, Writer};

mod file;

use file::{DemoUser, PoolFile};

/// The demo pool shipped in the binary, on the Plus plan: the default.
pub const DEMO_POOL_JSON: &str = include_str!("../../assets/demo-pool.json");

/// The second embedded pool, on the Lite plan (no email MFA, no threat protection).
pub const DEMO_POOL_LITE_JSON: &str = include_str!("../../assets/demo-pool-lite.json");

/// Every embedded pool, the default first: what the demo's ListUserPools lists.
pub const EMBEDDED_POOLS: [&str; 2] = [DEMO_POOL_JSON, DEMO_POOL_LITE_JSON];

/// The embedded pools parsed once (each file's validity is tested).
fn embedded_pools() -> &'static [PoolFile] {
    static POOLS: std::sync::OnceLock<Vec<PoolFile>> = std::sync::OnceLock::new();
    POOLS.get_or_init(|| {
        (EMBEDDED_POOLS.iter())
            .map(|json| serde_json::from_str(json).expect("embedded demo pools are valid (tested)"))
            .collect()
    })
}

/// Changes made by write actions (`--allow-write` on the demo pool), by username.
#[derive(Debug, Clone, Default)]
struct Changes {
    enabled: Option<bool>,
    status: Option<UserStatus>,
    last_modified: Option<OffsetDateTime>,
    /// Attributes set since start (replacing the file's value of the same name).
    attributes: Vec<Attribute>,
    /// MFA turned off: the MFA fields are omitted, as Cognito does.
    mfa_reset: bool,
    /// The user's groups, once changed.
    groups: Option<Vec<String>>,
    /// AdminDeleteUser: the user no longer exists.
    deleted: bool,
}

impl Changes {
    fn attributes(&self, original: &[Attribute]) -> Vec<Attribute> {
        let mut merged = original.to_vec();
        for set in &self.attributes {
            match merged.iter_mut().find(|a| a.name == set.name) {
                Some(existing) => existing.value = set.value.clone(),
                None => merged.push(set.clone()),
            }
        }
        merged
    }
}

/// One page of `items` from a numeric token, as the demo hands them out.
fn paginate<T: Clone>(
    items: &[T],
    page: PageRequest<'_>,
    operation: &'static str,
) -> Result<Page<T>, CognitoError> {
    let limit = page.limit;
    let start = match page.token {
        Some(t) => t.parse::<usize>().map_err(|_| {
            CognitoError::new(
                ErrorKind::InvalidParameter,
                operation,
                "Invalid pagination token",
            )
            .with_exception("InvalidParameterException")
        })?,
        None => 0,
    };
    let limit = if limit <= 0 {
        60
    } else {
        limit.min(60) as usize
    };
    let end = (start + limit).min(items.len());
    Ok(Page {
        items: items.get(start..end).unwrap_or_default().to_vec(),
        next_token: (end < items.len()).then(|| end.to_string()),
    })
}

impl DemoUser {
    fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|a| a.name == name)
            .and_then(|a| a.value.as_deref())
    }

    fn to_user(&self, changes: &Changes) -> User {
        fn mfa<T: Clone>(changes: &Changes, field: &Option<T>) -> Option<T> {
            field.clone().filter(|_| !changes.mfa_reset)
        }
        User {
            mfa_options: mfa(changes, &self.mfa_options),
            preferred_mfa: mfa(changes, &self.preferred_mfa),
            mfa_settings: mfa(changes, &self.mfa_settings),
            ..User::from(self.to_summary(changes))
        }
    }

    fn groups<'a>(&'a self, changes: &'a Changes) -> &'a [String] {
        changes.groups.as_deref().unwrap_or(&self.groups)
    }

    fn to_summary(&self, changes: &Changes) -> UserSummary {
        UserSummary {
            username: self.username.clone(),
            attributes: changes.attributes(&self.attributes),
            created: self.created,
            last_modified: changes.last_modified.or(self.last_modified),
            enabled: changes.enabled.unwrap_or(self.enabled),
            status: changes.status.clone().or_else(|| self.status.clone()),
        }
    }
}

/// An in-memory pool that answers like Cognito.
#[derive(Debug, Clone)]
pub struct DemoBackend {
    pool: PoolFile,
    /// Shared by clones, so a write made through one handle is seen by all.
    changes: Arc<Mutex<HashMap<String, Changes>>>,
}

impl DemoBackend {
    /// The default embedded demo pool (Plus plan).
    pub fn embedded() -> Self {
        Self::of(embedded_pools()[0].clone())
    }

    /// The embedded pool with id `pool`; the default one for any other id, which then
    /// answers "pool not found" as Cognito would for a pool that isn't there.
    pub fn for_pool(pool: &PoolId) -> Self {
        let pools = embedded_pools();
        let file = pools.iter().find(|p| p.user_pool_id == pool.as_str());
        Self::of(file.unwrap_or(&pools[0]).clone())
    }

    fn of(pool: PoolFile) -> Self {
        Self {
            pool,
            changes: Arc::default(),
        }
    }

    /// A pool from JSON in the demo file's format.
    pub fn from_json(json: &str) -> Result<Self, serde_json::Error> {
        Ok(Self::of(serde_json::from_str(json)?))
    }

    /// The demo pool's id.
    pub fn pool_id(&self) -> PoolId {
        PoolId::parse(&self.pool.user_pool_id).expect("demo pool id is valid (tested)")
    }

    /// How many users the pool holds.
    pub fn len(&self) -> usize {
        self.pool.users.len()
    }

    /// Whether the pool has no users.
    pub fn is_empty(&self) -> bool {
        self.pool.users.is_empty()
    }

    /// The user AdminGetUser would resolve `name` to (username, verified alias or sub).
    fn resolve(&self, name: &str) -> Option<&DemoUser> {
        let users: Vec<&DemoUser> = self.existing().collect();
        let find = |test: &dyn Fn(&DemoUser) -> bool| users.iter().copied().find(|u| test(u));
        find(&|u| self.same_name(&u.username, name))
            .or_else(|| find(&|u| self.is_alias_for(u, name)))
            .or_else(|| find(&|u| u.attribute("sub") == Some(name)))
    }

    /// The users not deleted by a write action.
    fn existing(&self) -> impl Iterator<Item = &DemoUser> {
        let changes = self.changes.lock().unwrap_or_else(|p| p.into_inner());
        let deleted: Vec<bool> = self
            .pool
            .users
            .iter()
            .map(|u| changes.get(&u.username).is_some_and(|c| c.deleted))
            .collect();
        self.pool
            .users
            .iter()
            .zip(deleted)
            .filter_map(|(u, deleted)| (!deleted).then_some(u))
    }

    fn resolve_or_not_found(
        &self,
        name: &str,
        operation: &'static str,
    ) -> Result<&DemoUser, CognitoError> {
        self.resolve(name).ok_or_else(|| {
            CognitoError::new(ErrorKind::UserNotFound, operation, "User does not exist.")
                .with_exception("UserNotFoundException")
        })
    }

    fn changes_for(&self, username: &str) -> Changes {
        self.changes
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(username)
            .cloned()
            .unwrap_or_default()
    }

    /// One page of a list of `username`'s: the pool checked, the user resolved, `items` read
    /// from the user and sliced.
    /// The pool's group of that name, or a bare one for a name the pool does not describe.
    fn group(&self, name: &str) -> Group {
        let known = self.pool.groups.iter().find(|g| g.name == name);
        known.cloned().unwrap_or_else(|| Group {
            name: name.to_string(),
            ..Group::default()
        })
    }

    fn check_pool(&self, pool: &PoolId, operation: &'static str) -> Result<(), CognitoError> {
        if pool.as_str() == self.pool.user_pool_id {
            Ok(())
        } else {
            Err(CognitoError::new(
                ErrorKind::PoolNotFound,
                operation,
                format!("User pool {pool} does not exist."),
            )
            .with_exception("ResourceNotFoundException"))
        }
    }

    fn same_name(&self, a: &str, b: &str) -> bool {
        if self.pool.case_sensitive {
            a == b
        } else {
            a.to_lowercase() == b.to_lowercase()
        }
    }

    fn is_alias_for(&self, user: &DemoUser, name: &str) -> bool {
        let changes = self.changes_for(&user.username);
        let attributes = changes.attributes(&user.attributes);
        let attribute = |name: &str| {
            attributes
                .iter()
                .find(|a| a.name == name)
                .and_then(|a| a.value.as_deref())
        };
        let configured = |attr: &str| {
            self.pool.alias_attributes.iter().any(|a| a == attr)
                || self.pool.username_attributes.iter().any(|a| a == attr)
        };
        let verified = |flag: &str| attribute(flag) == Some("true");
        let matches = |attr: &str| attribute(attr).is_some_and(|v| self.same_name(v, name));
        (configured("email") && verified("email_verified") && matches("email"))
            || (configured("phone_number")
                && verified("phone_number_verified")
                && matches("phone_number"))
            || (configured("preferred_username") && matches("preferred_username"))
    }
}

fn filter_value<'a>(
    user: &'a DemoUser,
    attribute: FilterAttribute,
    changes: &'a Changes,
) -> Option<&'a str> {
    match attribute {
        FilterAttribute::Username => Some(&user.username),
        FilterAttribute::Status => Some(if changes.enabled.unwrap_or(user.enabled) {
            "Enabled"
        } else {
            "Disabled"
        }),
        FilterAttribute::UserStatus => changes
            .status
            .as_ref()
            .or(user.status.as_ref())
            .map(UserStatus::as_wire),
        other => user.attribute(other.as_str()),
    }
}

#[async_trait]
impl Backend for DemoBackend {
    async fn admin_get_user(&self, pool: &PoolId, username: &str) -> Result<User, CognitoError> {
        self.check_pool(pool, "AdminGetUser")?;
        let user = self.resolve_or_not_found(username, "AdminGetUser")?;
        Ok(user.to_user(&self.changes_for(&user.username)))
    }

    async fn list_users(
        &self,
        pool: &PoolId,
        filter: Option<&ListFilter>,
        page: PageRequest<'_>,
    ) -> Result<UserPage, CognitoError> {
        self.check_pool(pool, "ListUsers")?;
        let limit = page.limit;
        let invalid = |message: String| {
            CognitoError::new(ErrorKind::InvalidParameter, "ListUsers", message)
                .with_exception("InvalidParameterException")
        };
        if !(0..=60).contains(&limit) {
            return Err(invalid(format!(
                "1 validation error detected: Value '{limit}' at 'limit' failed to satisfy \
                 constraint: Member must have value less than or equal to 60"
            )));
        }
        // Round-trip through the expression, as a request would, so escaping is exercised.
        let filter = match filter {
            Some(f) => Some(
                ListFilter::parse(&f.expression())
                    .ok_or_else(|| invalid(format!("Invalid filter: {}", f.expression())))?,
            ),
            None => None,
        };
        let matching: Vec<&DemoUser> = self
            .existing()
            .filter(|u| match &filter {
                None => true,
                Some(f) => filter_value(u, f.attribute, &self.changes_for(&u.username))
                    .is_some_and(|v| {
                        if f.prefix {
                            v.starts_with(&f.value)
                        } else {
                            v == f.value
                        }
                    }),
            })
            .collect();
        let page = paginate(&matching, page, "ListUsers")?;
        Ok(UserPage {
            users: page
                .items
                .iter()
                .map(|u| u.to_summary(&self.changes_for(&u.username)))
                .collect(),
            next_token: page.next_token,
        })
    }

    async fn describe_pool(&self, pool: &PoolId) -> Result<PoolSchema, CognitoError> {
        self.check_pool(pool, "DescribeUserPool")?;
        let pool = &self.pool;
        let security_mode = pool.advanced_security_mode.clone().unwrap_or_else(|| {
            if pool.threat_protection {
                "ENFORCED"
            } else {
                "OFF"
            }
            .to_string()
        });
        Ok(PoolSchema {
            name: Some(pool.name.clone()),
            username_attributes: pool.username_attributes.clone(),
            alias_attributes: pool.alias_attributes.clone(),
            mfa_configuration: Some(pool.mfa_configuration.clone().unwrap_or("OFF".into())),
            temporary_password_validity_days: pool.temporary_password_validity_days,
            recovery_mechanisms: pool.recovery_mechanisms.clone(),
            auto_verified_attributes: pool.auto_verified_attributes.clone(),
            advanced_security_mode: Some(security_mode),
            estimated_number_of_users: Some(i32::try_from(pool.users.len()).unwrap_or(i32::MAX)),
            tier: pool.user_pool_tier.clone(),
            allowed_first_factors: pool.allowed_first_auth_factors.clone(),
            unused_account_validity_days: pool.unused_account_validity_days,
            email_configuration_failure: pool.email_configuration_failure.clone(),
            sms_configuration_failure: pool.sms_configuration_failure.clone(),
            mfa: None,
            password_policy: pool.password_policy.map(Into::into),
        })
    }

    async fn get_pool_mfa_config(&self, pool: &PoolId) -> Result<PoolMfa, CognitoError> {
        self.check_pool(pool, "GetUserPoolMfaConfig")?;
        let m = &self.pool.mfa_factors;
        Ok(PoolMfa {
            sms: m.sms,
            totp: m.totp,
            email: m.email,
            passkey: m.passkey,
        })
    }

    async fn get_user_auth_factors(
        &self,
        pool: &PoolId,
        username: &str,
    ) -> Result<AuthFactors, CognitoError> {
        const OP: &str = "AdminGetUserAuthFactors";
        self.check_pool(pool, OP)?;
        let user = self.resolve_or_not_found(username, OP)?;
        let current = user.to_user(&self.changes_for(&user.username));
        Ok(AuthFactors {
            preferred_mfa: current.preferred_mfa,
            mfa_settings: current.mfa_settings.unwrap_or_default(),
            configured: user
                .auth_factors
                .clone()
                .unwrap_or_else(|| vec!["PASSWORD".into()]),
        })
    }

    async fn list_user_pools(&self, page: PageRequest<'_>) -> Result<PoolPage, CognitoError> {
        let max_results = page.limit;
        if !(1..=60).contains(&max_results) {
            return Err(CognitoError::new(
                ErrorKind::InvalidParameter,
                "ListUserPools",
                format!("MaxResults {max_results} must be between 1 and 60"),
            )
            .with_exception("InvalidParameterException"));
        }
        // Every embedded pool, whichever this backend serves: the pool picker offers them all.
        let pools: Vec<PoolSummary> = (embedded_pools().iter())
            .map(|p| PoolSummary {
                id: p.user_pool_id.clone(),
                name: p.name.clone(),
            })
            .collect();
        Ok(paginate(&pools, page, "ListUserPools")?.into())
    }

    async fn list_groups(
        &self,
        pool: &PoolId,
        page: PageRequest<'_>,
    ) -> Result<Page<Group>, CognitoError> {
        const OP: &str = "ListGroups";
        self.check_pool(pool, OP)?;
        paginate(&self.pool.groups, page, OP)
    }

    async fn list_users_in_group(
        &self,
        pool: &PoolId,
        group: &str,
        page: PageRequest<'_>,
    ) -> Result<UserPage, CognitoError> {
        const OP: &str = "ListUsersInGroup";
        self.check_pool(pool, OP)?;
        let members: Vec<&DemoUser> = (self.existing())
            .filter(|u| {
                let changes = self.changes_for(&u.username);
                u.groups(&changes).iter().any(|g| g == group)
            })
            .collect();
        let page = paginate(&members, page, OP)?;
        Ok(UserPage {
            users: (page.items.iter())
                .map(|u| u.to_summary(&self.changes_for(&u.username)))
                .collect(),
            next_token: page.next_token,
        })
    }

    async fn list_for_user(
        &self,
        pool: &PoolId,
        username: &str,
        list: ListKind,
        page: PageRequest<'_>,
    ) -> Result<ListingPage, CognitoError> {
        let op = list.operation();
        self.check_pool(pool, op)?;
        if list == ListKind::SignIns && !self.pool.threat_protection {
            return Err(CognitoError::new(
                ErrorKind::NotEnabled,
                op,
                "Advanced security features are not enabled for this user pool.",
            )
            .with_exception("UserPoolAddOnNotEnabledException"));
        }
        let user = self.resolve_or_not_found(username, op)?;
        Ok(match list {
            ListKind::Groups => {
                let changes = self.changes_for(&user.username);
                let groups: Vec<Group> = user
                    .groups(&changes)
                    .iter()
                    .map(|g| self.group(g))
                    .collect();
                ListingPage::of(paginate(&groups, page, op)?, Listing::Groups)
            }
            ListKind::Devices => {
                let devices: Vec<Device> = user.devices.iter().map(Device::from).collect();
                ListingPage::of(paginate(&devices, page, op)?, Listing::Devices)
            }
            ListKind::SignIns => {
                let events: Vec<AuthEvent> = user.auth_events.iter().map(AuthEvent::from).collect();
                ListingPage::of(paginate(&events, page, op)?, Listing::SignIns)
            }
        })
    }

    async fn get_csv_header(&self, pool: &PoolId) -> Result<Vec<String>, CognitoError> {
        self.check_pool(pool, "GetCSVHeader")?;
        Ok(self.import_header())
    }

    fn describe_target(&self) -> String {
        "the embedded demo pool".into()
    }
}

/// GetCSVHeader's standard columns, in the order of AWS's sample response ("Creating the user
/// import CSV file", Amazon Cognito Developer Guide); the pool's custom attributes come after
/// `updated_at`, then `cognito:mfa_enabled` and `cognito:username`, as Cognito answers.
const IMPORT_STANDARD: [&str; 19] = [
    "name",
    "given_name",
    "family_name",
    "middle_name",
    "nickname",
    "preferred_username",
    "profile",
    "picture",
    "website",
    "email",
    "email_verified",
    "gender",
    "birthdate",
    "zoneinfo",
    "locale",
    "phone_number",
    "phone_number_verified",
    "address",
    "updated_at",
];

impl DemoBackend {
    /// The import header from the pool's schema: the standard columns, the custom attributes
    /// its users hold (the demo file's schema, sorted), then Cognito's two own columns.
    fn import_header(&self) -> Vec<String> {
        let custom: std::collections::BTreeSet<&str> = (self.pool.users.iter())
            .flat_map(|u| u.attributes.iter())
            .map(|a| a.name.as_str())
            .filter(|name| name.starts_with("custom:"))
            .collect();
        (IMPORT_STANDARD.iter().copied())
            .chain(custom)
            .chain(["cognito:mfa_enabled", "cognito:username"])
            .map(str::to_string)
            .collect()
    }
}

impl DemoBackend {
    /// Cognito's own refusals of `action` on `current` (named `username`), checked before
    /// anything changes.
    fn refusal(
        &self,
        username: &str,
        current: &User,
        action: &WriteAction,
    ) -> Result<(), CognitoError> {
        let op = action.operation();
        let refuse = |kind: ErrorKind, exception: &str, message: String| {
            Err(CognitoError::new(kind, op, message).with_exception(exception))
        };
        match action {
            WriteAction::ResendInvitation(_)
                if current.status != Some(UserStatus::ForceChangePassword) =>
            {
                let status = current.status.as_ref().map_or("unknown", |s| s.as_wire());
                return refuse(
                    ErrorKind::Other,
                    "UnsupportedUserStateException",
                    format!("Resend not possible. {} status is {status}.", username),
                );
            }
            WriteAction::ConfirmSignUp if current.status != Some(UserStatus::Unconfirmed) => {
                let status = current.status.as_ref().map_or("unknown", |s| s.as_wire());
                return refuse(
                    ErrorKind::NotAuthorized,
                    "NotAuthorizedException",
                    format!("User cannot be confirmed. Current status is {status}"),
                );
            }
            WriteAction::AddToGroup(group) | WriteAction::RemoveFromGroup(group)
                if !self.pool.groups.iter().any(|g| &g.name == group) =>
            {
                return refuse(
                    ErrorKind::PoolNotFound,
                    "ResourceNotFoundException",
                    "Group not found.".into(),
                );
            }
            WriteAction::SetTemporaryPassword(password) => {
                let policy = self
                    .pool
                    .password_policy
                    .map(Into::into)
                    .unwrap_or_default();
                if !crate::cognito::password::meets(password.expose(), &policy) {
                    return refuse(
                        ErrorKind::InvalidParameter,
                        "InvalidPasswordException",
                        "Password did not conform with password policy".into(),
                    );
                }
            }
            _ => {}
        }
        Ok(())
    }
}

#[async_trait]
impl Writer for DemoBackend {
    async fn write(
        &self,
        pool: &PoolId,
        username: &str,
        action: WriteAction,
    ) -> Result<(), CognitoError> {
        let op = action.operation();
        self.check_pool(pool, op)?;
        let user = self.resolve_or_not_found(username, op)?;
        let current = user.to_user(&self.changes_for(&user.username));
        self.refusal(&user.username, &current, &action)?;
        let mut all = self.changes.lock().unwrap_or_else(|p| p.into_inner());
        let changes = all.entry(user.username.clone()).or_default();
        match action {
            WriteAction::EnableUser => changes.enabled = Some(true),
            WriteAction::DisableUser => changes.enabled = Some(false),
            WriteAction::ResetPassword => changes.status = Some(UserStatus::ResetRequired),
            // AdminSetUserPassword (API reference): "If the password is temporary, the
            // user's Status becomes FORCE_CHANGE_PASSWORD."
            WriteAction::SetTemporaryPassword(_) => {
                changes.status = Some(UserStatus::ForceChangePassword);
            }
            WriteAction::GlobalSignOut | WriteAction::ResendInvitation(_) => {}
            WriteAction::ResetMfa | WriteAction::DeleteSoftwareToken => changes.mfa_reset = true,
            WriteAction::ConfirmSignUp => changes.status = Some(UserStatus::Confirmed),
            WriteAction::MarkVerified(attribute) => {
                changes.attributes.retain(|a| a.name != attribute.flag());
                changes
                    .attributes
                    .push(Attribute::new(attribute.flag(), "true"));
            }
            WriteAction::AddToGroup(group) => {
                let groups = changes.groups.get_or_insert_with(|| user.groups.clone());
                if !groups.contains(&group) {
                    groups.push(group);
                }
            }
            WriteAction::RemoveFromGroup(group) => {
                let groups = changes.groups.get_or_insert_with(|| user.groups.clone());
                groups.retain(|g| *g != group);
            }
            WriteAction::DeleteUser => changes.deleted = true,
        }
        changes.last_modified = Some(OffsetDateTime::now_utc());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cognito::resources::collect_pages;
    use crate::cognito::{InviteDelivery, VerifiedAttribute};

    async fn get(demo: &DemoBackend, name: &str) -> Result<User, CognitoError> {
        demo.admin_get_user(&demo.pool_id(), name).await
    }

    async fn write(
        demo: &DemoBackend,
        name: &str,
        action: WriteAction,
    ) -> Result<(), CognitoError> {
        demo.write(&demo.pool_id(), name, action).await
    }

    async fn groups_of(demo: &DemoBackend, name: &str) -> Vec<String> {
        let (pool, page) = (demo.pool_id(), PageRequest::first(60));
        let listed = demo.list_for_user(&pool, name, ListKind::Groups, page);
        let Listing::Groups(groups) = listed.await.unwrap().listing else {
            panic!("AdminListGroupsForUser answered another list")
        };
        groups.into_iter().map(|g| g.name).collect()
    }

    #[tokio::test]
    async fn reset_mfa_clears_every_mfa_field() {
        let demo = DemoBackend::embedded();
        let before = get(&demo, "kenji.tanaka").await.unwrap();
        assert!(before.mfa_settings.is_some_and(|s| s.len() == 2));
        write(&demo, "kenji.tanaka", WriteAction::ResetMfa)
            .await
            .unwrap();
        let after = get(&demo, "kenji.tanaka").await.unwrap();
        assert_eq!(
            (after.mfa_settings, after.preferred_mfa, after.mfa_options),
            (None, None, None)
        );
    }

    #[tokio::test]
    async fn resend_is_refused_unless_force_change_password() {
        let demo = DemoBackend::embedded();
        write(
            &demo,
            "dave",
            WriteAction::ResendInvitation(InviteDelivery::Email),
        )
        .await
        .expect("dave is FORCE_CHANGE_PASSWORD");
        let err = write(
            &demo,
            "alice",
            WriteAction::ResendInvitation(InviteDelivery::Email),
        )
        .await
        .expect_err("alice is CONFIRMED");
        assert_eq!(
            err.exception.as_deref(),
            Some("UnsupportedUserStateException")
        );
        assert_eq!(err.operation, "AdminCreateUser");
        assert!(err.message.contains("CONFIRMED"), "{}", err.message);
    }

    #[tokio::test]
    async fn confirm_sign_up_confirms_only_unconfirmed_users() {
        let demo = DemoBackend::embedded();
        write(&demo, "carol", WriteAction::ConfirmSignUp)
            .await
            .unwrap();
        let carol = get(&demo, "carol").await.unwrap();
        assert_eq!(carol.status, Some(UserStatus::Confirmed));
        let again = write(&demo, "carol", WriteAction::ConfirmSignUp).await;
        assert_eq!(again.unwrap_err().kind, ErrorKind::NotAuthorized);
    }

    #[tokio::test]
    async fn mark_verified_sets_the_flag_and_makes_the_alias_resolve() {
        let demo = DemoBackend::embedded();
        let carol = get(&demo, "carol").await.unwrap();
        assert!(VerifiedAttribute::Email.applies_to(&carol));
        let email = carol.attribute("email").unwrap().to_string();
        // An unverified email is no alias: AdminGetUser can't find carol by it yet.
        assert!(get(&demo, &email).await.is_err());
        write(
            &demo,
            "carol",
            WriteAction::MarkVerified(VerifiedAttribute::Email),
        )
        .await
        .unwrap();
        let carol = get(&demo, &email)
            .await
            .expect("resolves by verified email");
        assert_eq!(carol.attribute("email_verified"), Some("true"));
        assert!(!VerifiedAttribute::Email.applies_to(&carol));
        assert_eq!(
            carol
                .attributes
                .iter()
                .filter(|a| a.name == "email_verified")
                .count(),
            1,
            "the flag is replaced, not added twice"
        );
    }

    #[tokio::test]
    async fn group_membership_changes_and_unknown_groups_are_refused() {
        let demo = DemoBackend::embedded();
        assert_eq!(groups_of(&demo, "alice").await, ["admins", "support"]);
        let beta = || WriteAction::AddToGroup("beta-testers".into());
        for (action, why) in [
            (beta(), "adds"),
            (beta(), "adding twice is harmless, as in Cognito"),
            (WriteAction::RemoveFromGroup("admins".into()), "removes"),
        ] {
            write(&demo, "alice", action).await.expect(why);
        }
        assert_eq!(groups_of(&demo, "alice").await, ["support", "beta-testers"]);
        let err = write(&demo, "alice", WriteAction::AddToGroup("nope".into()))
            .await
            .unwrap_err();
        assert_eq!(err.exception.as_deref(), Some("ResourceNotFoundException"));
        assert_eq!(err.operation, "AdminAddUserToGroup");
    }

    #[tokio::test]
    async fn deleted_users_are_gone_from_get_and_list() {
        let demo = DemoBackend::embedded();
        let pool = demo.pool_id();
        let before = demo
            .list_users(&pool, None, PageRequest::first(60))
            .await
            .unwrap()
            .users
            .len();
        write(&demo, "judy", WriteAction::DeleteUser).await.unwrap();
        assert_eq!(
            get(&demo, "judy").await.unwrap_err().kind,
            ErrorKind::UserNotFound
        );
        let after = demo
            .list_users(&pool, None, PageRequest::first(60))
            .await
            .unwrap()
            .users;
        assert_eq!(after.len(), before - 1);
        assert!(after.iter().all(|u| u.username != "judy"));
        let again = write(&demo, "judy", WriteAction::DeleteUser).await;
        assert_eq!(again.unwrap_err().kind, ErrorKind::UserNotFound);
    }

    #[tokio::test]
    async fn list_groups_pages_the_pools_groups() {
        let demo = DemoBackend::embedded();
        let pool = demo.pool_id();
        let (groups, more) = collect_pages(|token| {
            let (demo, pool) = (&demo, &pool);
            async move {
                demo.list_groups(pool, PageRequest::after(3, token.as_deref()))
                    .await
            }
        })
        .await
        .unwrap();
        assert!(!more);
        let names: Vec<&str> = groups.iter().map(|g| g.name.as_str()).collect();
        assert_eq!(names[..3], ["admins", "support", "beta-testers"]);
        assert_eq!(groups.len(), 4);
        let other = PoolId::parse("us-east-1_Other").unwrap();
        let err = demo
            .list_groups(&other, PageRequest::first(60))
            .await
            .unwrap_err();
        assert_eq!(err.kind, ErrorKind::PoolNotFound);
    }
}
