//! The embedded demo pool: a `Backend` over `assets/demo-pool.json` that follows Cognito's
//! rules (username, verified-alias and sub resolution, ListUsers filters and paging, the same
//! exceptions), so `--demo` exercises exactly the code paths a real pool does.

use async_trait::async_trait;
use serde::Deserialize;
use time::OffsetDateTime;

use super::{
    Attribute, Backend, CognitoError, ErrorKind, FilterAttribute, ListFilter, MfaOption, PoolId,
    PoolSchema, User, UserPage, UserStatus, UserSummary,
};

/// The demo pool shipped in the binary.
pub const DEMO_POOL_JSON: &str = include_str!("../../assets/demo-pool.json");

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct PoolFile {
    user_pool_id: String,
    name: String,
    #[serde(default)]
    alias_attributes: Vec<String>,
    #[serde(default)]
    username_attributes: Vec<String>,
    #[serde(default = "default_true")]
    case_sensitive: bool,
    users: Vec<DemoUser>,
}

fn default_true() -> bool {
    true
}

#[derive(Debug, Clone, Deserialize)]
struct DemoUser {
    #[serde(rename = "Username")]
    username: String,
    #[serde(rename = "UserAttributes", default)]
    attributes: Vec<Attribute>,
    #[serde(
        rename = "UserCreateDate",
        with = "time::serde::rfc3339::option",
        default
    )]
    created: Option<OffsetDateTime>,
    #[serde(
        rename = "UserLastModifiedDate",
        with = "time::serde::rfc3339::option",
        default
    )]
    last_modified: Option<OffsetDateTime>,
    #[serde(rename = "Enabled", default = "default_true")]
    enabled: bool,
    #[serde(rename = "UserStatus")]
    status: Option<UserStatus>,
    #[serde(rename = "MFAOptions")]
    mfa_options: Option<Vec<MfaOption>>,
    #[serde(rename = "PreferredMfaSetting")]
    preferred_mfa: Option<String>,
    #[serde(rename = "UserMFASettingList")]
    mfa_settings: Option<Vec<String>>,
    /// Group names; used by the groups pane.
    #[serde(rename = "Groups", default)]
    #[allow(dead_code)]
    groups: Vec<String>,
}

impl DemoUser {
    fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|a| a.name == name)
            .and_then(|a| a.value.as_deref())
    }

    fn to_user(&self) -> User {
        User {
            username: self.username.clone(),
            attributes: self.attributes.clone(),
            created: self.created,
            last_modified: self.last_modified,
            enabled: self.enabled,
            status: self.status.clone(),
            mfa_options: self.mfa_options.clone(),
            preferred_mfa: self.preferred_mfa.clone(),
            mfa_settings: self.mfa_settings.clone(),
        }
    }

    fn to_summary(&self) -> UserSummary {
        UserSummary {
            username: self.username.clone(),
            attributes: self.attributes.clone(),
            created: self.created,
            last_modified: self.last_modified,
            enabled: self.enabled,
            status: self.status.clone(),
        }
    }
}

/// An in-memory pool that answers like Cognito.
#[derive(Debug, Clone)]
pub struct DemoBackend {
    pool: PoolFile,
}

impl DemoBackend {
    /// The embedded demo pool.
    pub fn embedded() -> Self {
        Self::from_json(DEMO_POOL_JSON).expect("assets/demo-pool.json is valid (tested)")
    }

    /// A pool from JSON in the demo file's format.
    pub fn from_json(json: &str) -> Result<Self, serde_json::Error> {
        Ok(Self {
            pool: serde_json::from_str(json)?,
        })
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
        let configured = |attr: &str| {
            self.pool.alias_attributes.iter().any(|a| a == attr)
                || self.pool.username_attributes.iter().any(|a| a == attr)
        };
        let verified = |flag: &str| user.attribute(flag) == Some("true");
        let matches = |attr: &str| {
            user.attribute(attr)
                .is_some_and(|v| self.same_name(v, name))
        };
        (configured("email") && verified("email_verified") && matches("email"))
            || (configured("phone_number")
                && verified("phone_number_verified")
                && matches("phone_number"))
            || (configured("preferred_username") && matches("preferred_username"))
    }
}

fn filter_value(user: &DemoUser, attribute: FilterAttribute) -> Option<&str> {
    match attribute {
        FilterAttribute::Username => Some(&user.username),
        FilterAttribute::Status => Some(if user.enabled { "Enabled" } else { "Disabled" }),
        other => user.attribute(other.as_str()),
    }
}

#[async_trait]
impl Backend for DemoBackend {
    async fn admin_get_user(&self, pool: &PoolId, username: &str) -> Result<User, CognitoError> {
        self.check_pool(pool, "AdminGetUser")?;
        let users = &self.pool.users;
        users
            .iter()
            .find(|u| self.same_name(&u.username, username))
            .or_else(|| users.iter().find(|u| self.is_alias_for(u, username)))
            .or_else(|| users.iter().find(|u| u.attribute("sub") == Some(username)))
            .map(DemoUser::to_user)
            .ok_or_else(|| {
                CognitoError::new(
                    ErrorKind::UserNotFound,
                    "AdminGetUser",
                    "User does not exist.",
                )
                .with_exception("UserNotFoundException")
            })
    }

    async fn list_users(
        &self,
        pool: &PoolId,
        filter: Option<&ListFilter>,
        limit: i32,
        pagination_token: Option<&str>,
    ) -> Result<UserPage, CognitoError> {
        self.check_pool(pool, "ListUsers")?;
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
        let start = match pagination_token {
            Some(token) => token
                .parse::<usize>()
                .map_err(|_| invalid("Invalid pagination token".into()))?,
            None => 0,
        };
        // Round-trip through the expression, as a request would, so escaping is exercised.
        let filter = match filter {
            Some(f) => Some(
                ListFilter::parse(&f.expression())
                    .ok_or_else(|| invalid(format!("Invalid filter: {}", f.expression())))?,
            ),
            None => None,
        };
        let matching: Vec<&DemoUser> = self
            .pool
            .users
            .iter()
            .filter(|u| match &filter {
                None => true,
                Some(f) => filter_value(u, f.attribute).is_some_and(|v| {
                    if f.prefix {
                        v.starts_with(&f.value)
                    } else {
                        v == f.value
                    }
                }),
            })
            .collect();
        let limit = if limit == 0 { 60 } else { limit as usize };
        let end = (start + limit).min(matching.len());
        let users = matching
            .get(start..end)
            .unwrap_or_default()
            .iter()
            .map(|u| u.to_summary())
            .collect();
        Ok(UserPage {
            users,
            next_token: (end < matching.len()).then(|| end.to_string()),
        })
    }

    async fn describe_pool(&self, pool: &PoolId) -> Result<PoolSchema, CognitoError> {
        self.check_pool(pool, "DescribeUserPool")?;
        Ok(PoolSchema {
            name: Some(self.pool.name.clone()),
            username_attributes: self.pool.username_attributes.clone(),
            alias_attributes: self.pool.alias_attributes.clone(),
        })
    }

    fn describe_target(&self) -> String {
        "the embedded demo pool".into()
    }
}
