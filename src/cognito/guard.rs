//! Read-only by default: a `Backend` decorator that refuses every write locally, so without
//! `--allow-write` no write request can reach Cognito whatever the UI does.

use std::sync::Arc;

use async_trait::async_trait;

use super::{
    AuthEvent, Backend, CognitoError, Device, ErrorKind, Group, ListFilter, Page, PoolId, PoolPage,
    PoolSchema, User, UserPage, WriteAction,
};

/// Delegates every read; refuses every write with `ErrorKind::ReadOnly`.
pub struct ReadOnly {
    inner: Arc<dyn Backend>,
}

impl ReadOnly {
    /// Wraps `inner`.
    pub fn new(inner: Arc<dyn Backend>) -> Self {
        Self { inner }
    }
}

#[async_trait]
impl Backend for ReadOnly {
    async fn admin_get_user(&self, pool: &PoolId, username: &str) -> Result<User, CognitoError> {
        self.inner.admin_get_user(pool, username).await
    }

    async fn list_users(
        &self,
        pool: &PoolId,
        filter: Option<&ListFilter>,
        limit: i32,
        pagination_token: Option<&str>,
    ) -> Result<UserPage, CognitoError> {
        self.inner
            .list_users(pool, filter, limit, pagination_token)
            .await
    }

    async fn describe_pool(&self, pool: &PoolId) -> Result<PoolSchema, CognitoError> {
        self.inner.describe_pool(pool).await
    }

    async fn list_user_pools(
        &self,
        max_results: i32,
        next_token: Option<&str>,
    ) -> Result<PoolPage, CognitoError> {
        self.inner.list_user_pools(max_results, next_token).await
    }

    async fn list_groups_for_user(
        &self,
        pool: &PoolId,
        username: &str,
        limit: i32,
        next_token: Option<&str>,
    ) -> Result<Page<Group>, CognitoError> {
        self.inner
            .list_groups_for_user(pool, username, limit, next_token)
            .await
    }

    async fn list_devices(
        &self,
        pool: &PoolId,
        username: &str,
        limit: i32,
        pagination_token: Option<&str>,
    ) -> Result<Page<Device>, CognitoError> {
        self.inner
            .list_devices(pool, username, limit, pagination_token)
            .await
    }

    async fn list_auth_events(
        &self,
        pool: &PoolId,
        username: &str,
        max_results: i32,
        next_token: Option<&str>,
    ) -> Result<Page<AuthEvent>, CognitoError> {
        self.inner
            .list_auth_events(pool, username, max_results, next_token)
            .await
    }

    async fn write(
        &self,
        _pool: &PoolId,
        _username: &str,
        action: WriteAction,
    ) -> Result<(), CognitoError> {
        Err(CognitoError::new(
            ErrorKind::ReadOnly,
            action.operation(),
            "refused locally: cognito-tui is read-only without --allow-write",
        ))
    }

    fn describe_target(&self) -> String {
        self.inner.describe_target()
    }
}
