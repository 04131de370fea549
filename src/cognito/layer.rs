//! The forwarding from one backend to another, written once. A [`Layer`] is a concern
//! wrapped around every request (rate limiting, demo latency); [`Layered`] applies it to each
//! [`Backend`] and [`Writer`] method, naming the operation by its [`Op`] descriptor.

use std::future::Future;
use std::time::Duration;

use async_trait::async_trait;

use super::op::Op;
use super::{
    AuthEvent, Backend, CognitoError, Device, Group, ListFilter, Page, PoolId, PoolPage,
    PoolSchema, User, UserPage, WriteAction, Writer,
};

/// A concern applied around every request of a backend.
pub trait Layer: Send + Sync {
    /// Waits before each request is sent (by default not at all).
    fn before(&self, op: Op) -> impl Future<Output = ()> + Send {
        let _ = op;
        std::future::ready(())
    }

    /// Runs `request` for `op`; `request` may be called again to retry. By default it runs
    /// once, after [`Layer::before`].
    fn around<'a, T, F, Fut>(
        &'a self,
        op: Op,
        mut request: F,
    ) -> impl Future<Output = Result<T, CognitoError>> + Send + 'a
    where
        T: Send + 'a,
        F: FnMut() -> Fut + Send + 'a,
        Fut: Future<Output = Result<T, CognitoError>> + Send + 'a,
    {
        async move {
            self.before(op).await;
            request().await
        }
    }
}

/// `inner` with `layer` around each of its requests.
pub struct Layered<L, B> {
    layer: L,
    inner: B,
}

impl<L, B> Layered<L, B> {
    /// Wraps `inner` in `layer`.
    pub fn wrap(layer: L, inner: B) -> Self {
        Self { layer, inner }
    }

    /// The layer.
    pub fn layer(&self) -> &L {
        &self.layer
    }

    /// The wrapped backend.
    pub fn inner(&self) -> &B {
        &self.inner
    }
}

#[async_trait]
impl<L: Layer, B: Backend> Backend for Layered<L, B> {
    async fn admin_get_user(&self, pool: &PoolId, username: &str) -> Result<User, CognitoError> {
        let inner = &self.inner;
        self.layer
            .around(Op::ADMIN_GET_USER, || inner.admin_get_user(pool, username))
            .await
    }

    async fn list_users(
        &self,
        pool: &PoolId,
        filter: Option<&ListFilter>,
        limit: i32,
        token: Option<&str>,
    ) -> Result<UserPage, CognitoError> {
        let inner = &self.inner;
        self.layer
            .around(Op::LIST_USERS, || {
                inner.list_users(pool, filter, limit, token)
            })
            .await
    }

    async fn describe_pool(&self, pool: &PoolId) -> Result<PoolSchema, CognitoError> {
        let inner = &self.inner;
        self.layer
            .around(Op::DESCRIBE_USER_POOL, || inner.describe_pool(pool))
            .await
    }

    async fn list_user_pools(
        &self,
        max_results: i32,
        token: Option<&str>,
    ) -> Result<PoolPage, CognitoError> {
        let inner = &self.inner;
        self.layer
            .around(Op::LIST_USER_POOLS, || {
                inner.list_user_pools(max_results, token)
            })
            .await
    }

    async fn list_groups_for_user(
        &self,
        pool: &PoolId,
        username: &str,
        limit: i32,
        token: Option<&str>,
    ) -> Result<Page<Group>, CognitoError> {
        let inner = &self.inner;
        self.layer
            .around(Op::LIST_GROUPS_FOR_USER, || {
                inner.list_groups_for_user(pool, username, limit, token)
            })
            .await
    }

    async fn list_groups(
        &self,
        pool: &PoolId,
        limit: i32,
        token: Option<&str>,
    ) -> Result<Page<Group>, CognitoError> {
        let inner = &self.inner;
        self.layer
            .around(Op::LIST_GROUPS, || inner.list_groups(pool, limit, token))
            .await
    }

    async fn list_devices(
        &self,
        pool: &PoolId,
        username: &str,
        limit: i32,
        token: Option<&str>,
    ) -> Result<Page<Device>, CognitoError> {
        let inner = &self.inner;
        self.layer
            .around(Op::LIST_DEVICES, || {
                inner.list_devices(pool, username, limit, token)
            })
            .await
    }

    async fn list_auth_events(
        &self,
        pool: &PoolId,
        username: &str,
        max_results: i32,
        token: Option<&str>,
    ) -> Result<Page<AuthEvent>, CognitoError> {
        let inner = &self.inner;
        self.layer
            .around(Op::LIST_AUTH_EVENTS, || {
                inner.list_auth_events(pool, username, max_results, token)
            })
            .await
    }

    fn describe_target(&self) -> String {
        self.inner.describe_target()
    }
}

#[async_trait]
impl<L: Layer, B: Writer> Writer for Layered<L, B> {
    async fn write(
        &self,
        pool: &PoolId,
        username: &str,
        action: WriteAction,
    ) -> Result<(), CognitoError> {
        let inner = &self.inner;
        self.layer
            .around(action.op(), || inner.write(pool, username, action.clone()))
            .await
    }
}

/// Artificial latency before every request, to see the spinner on the demo pool.
#[derive(Debug, Clone, Copy, Default)]
pub struct Latency(pub Duration);

impl Layer for Latency {
    fn before(&self, _op: Op) -> impl Future<Output = ()> + Send {
        let delay = self.0;
        async move {
            if !delay.is_zero() {
                tokio::time::sleep(delay).await;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cognito::demo::DemoBackend;

    #[tokio::test(start_paused = true)]
    async fn latency_delays_each_request_and_forwards_the_answer() {
        let demo = DemoBackend::embedded();
        let pool = demo.pool_id();
        let direct = demo.list_users(&pool, None, 60, None).await.unwrap();
        let slow = Layered::wrap(Latency(Duration::from_millis(300)), demo);
        let start = tokio::time::Instant::now();
        let page = slow.list_users(&pool, None, 60, None).await.unwrap();
        assert_eq!(start.elapsed(), Duration::from_millis(300));
        assert_eq!(page.users, direct.users);
        assert_eq!(slow.describe_target(), slow.inner().describe_target());
    }
}
