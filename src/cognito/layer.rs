//! The forwarding from one backend to another, written once. A [`Layer`] is a concern
//! wrapped around every request (rate limiting, demo latency); [`Layered`] applies it to each
//! [`Backend`] and [`Writer`] method, naming the operation by its [`Op`] descriptor.

use std::future::Future;
use std::time::Duration;

use async_trait::async_trait;

use super::op::Op;
use super::{
    AuthFactors, Backend, CognitoError, Group, ListFilter, ListKind, ListingPage, Page,
    PageRequest, PoolId, PoolMfa, PoolPage, PoolSchema, User, UserPage, WriteAction, Writer,
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

impl<L: Layer, B: Sync> Layered<L, B> {
    /// Sends `request` to the inner backend as `op`, inside the layer.
    fn forward<'a, T, F, Fut>(
        &'a self,
        op: Op,
        request: F,
    ) -> impl Future<Output = Result<T, CognitoError>> + Send + 'a
    where
        T: Send + 'a,
        F: Fn(&'a B) -> Fut + Send + 'a,
        Fut: Future<Output = Result<T, CognitoError>> + Send + 'a,
    {
        let inner = &self.inner;
        self.layer.around(op, move || request(inner))
    }
}

#[async_trait]
impl<L: Layer, B: Backend> Backend for Layered<L, B> {
    async fn admin_get_user(&self, pool: &PoolId, username: &str) -> Result<User, CognitoError> {
        self.forward(Op::ADMIN_GET_USER, |b| b.admin_get_user(pool, username))
            .await
    }

    async fn list_users(
        &self,
        pool: &PoolId,
        filter: Option<&ListFilter>,
        page: PageRequest<'_>,
    ) -> Result<UserPage, CognitoError> {
        self.forward(Op::LIST_USERS, |b| b.list_users(pool, filter, page))
            .await
    }

    async fn describe_pool(&self, pool: &PoolId) -> Result<PoolSchema, CognitoError> {
        self.forward(Op::DESCRIBE_USER_POOL, |b| b.describe_pool(pool))
            .await
    }

    async fn list_user_pools(&self, page: PageRequest<'_>) -> Result<PoolPage, CognitoError> {
        self.forward(Op::LIST_USER_POOLS, |b| b.list_user_pools(page))
            .await
    }

    async fn list_groups(
        &self,
        pool: &PoolId,
        page: PageRequest<'_>,
    ) -> Result<Page<Group>, CognitoError> {
        self.forward(Op::LIST_GROUPS, |b| b.list_groups(pool, page))
            .await
    }

    async fn list_users_in_group(
        &self,
        pool: &PoolId,
        group: &str,
        page: PageRequest<'_>,
    ) -> Result<UserPage, CognitoError> {
        self.forward(Op::LIST_USERS_IN_GROUP, |b| {
            b.list_users_in_group(pool, group, page)
        })
        .await
    }

    async fn list_for_user(
        &self,
        pool: &PoolId,
        username: &str,
        list: ListKind,
        page: PageRequest<'_>,
    ) -> Result<ListingPage, CognitoError> {
        self.forward(list.op(), |b| b.list_for_user(pool, username, list, page))
            .await
    }

    async fn get_pool_mfa_config(&self, pool: &PoolId) -> Result<PoolMfa, CognitoError> {
        self.forward(Op::GET_POOL_MFA_CONFIG, |b| b.get_pool_mfa_config(pool))
            .await
    }

    async fn get_user_auth_factors(
        &self,
        pool: &PoolId,
        username: &str,
    ) -> Result<AuthFactors, CognitoError> {
        self.forward(Op::GET_USER_AUTH_FACTORS, |b| {
            b.get_user_auth_factors(pool, username)
        })
        .await
    }

    async fn get_csv_header(&self, pool: &PoolId) -> Result<Vec<String>, CognitoError> {
        self.forward(Op::GET_CSV_HEADER, |b| b.get_csv_header(pool))
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
        self.forward(action.op(), |b| b.write(pool, username, action.clone()))
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
    use crate::cognito::QuotaCategory;
    use crate::cognito::demo::DemoBackend;

    #[tokio::test(start_paused = true)]
    async fn latency_delays_each_request_and_forwards_the_answer() {
        let demo = DemoBackend::embedded();
        let pool = demo.pool_id();
        let first = PageRequest::first(60);
        let direct = demo.list_users(&pool, None, first).await.unwrap();
        let slow = Layered::wrap(Latency(Duration::from_millis(300)), demo);
        let start = tokio::time::Instant::now();
        let page = slow.list_users(&pool, None, first).await.unwrap();
        assert_eq!(start.elapsed(), Duration::from_millis(300));
        assert_eq!(page.users, direct.users);
        assert_eq!(slow.describe_target(), slow.inner().describe_target());
    }

    /// Records the operation of every request it is around.
    #[derive(Default)]
    struct Recorder(std::sync::Mutex<Vec<Op>>);

    impl Layer for Recorder {
        fn before(&self, op: Op) -> impl Future<Output = ()> + Send {
            self.0.lock().unwrap().push(op);
            std::future::ready(())
        }
    }

    #[tokio::test]
    async fn each_list_of_a_users_passes_the_layer_as_its_own_operation() {
        let demo = DemoBackend::embedded();
        let pool = demo.pool_id();
        let layered = Layered::wrap(Recorder::default(), demo);
        let lists = [ListKind::Groups, ListKind::Devices, ListKind::SignIns];
        for list in lists {
            let page = PageRequest::first(60);
            let direct = layered.inner().list_for_user(&pool, "alice", list, page);
            let expected = direct.await.unwrap();
            let through = layered.list_for_user(&pool, "alice", list, page);
            assert_eq!(through.await.unwrap(), expected, "{list:?}");
        }
        let ops = layered.layer().0.lock().unwrap().clone();
        assert_eq!(ops, lists.map(ListKind::op));
        let names: Vec<&str> = ops.iter().map(|op| op.name).collect();
        assert_eq!(
            names,
            [
                "AdminListGroupsForUser",
                "AdminListDevices",
                "AdminListUserAuthEvents"
            ]
        );
        assert!(
            ops.iter()
                .all(|op| op.category == QuotaCategory::UserResourceRead)
        );
    }
}
