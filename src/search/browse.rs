//! Browsing a pool: ListUsers page by page (60 a page, fetched as the cursor nears the end),
//! or every page with progress until done or cancelled. ListUsers only — browsing never
//! opens a user, so it bills no monthly active user.

use tokio_util::sync::CancellationToken;

use super::PAGE_SIZE;
use crate::cognito::{Backend, CognitoError, ListFilter, PageRequest, PoolId, UserPage};

/// Fetch the next page when the cursor is this close to the last loaded user.
pub const PREFETCH_MARGIN: usize = 20;

/// Whether the list should ask for the next page now.
pub fn needs_next_page(cursor: usize, loaded: usize, done: bool) -> bool {
    !done && cursor + PREFETCH_MARGIN >= loaded
}

/// One ListUsers page of a browse (optionally narrowed by a filter).
pub async fn fetch_page(
    backend: &dyn Backend,
    pool: &PoolId,
    filter: Option<&ListFilter>,
    token: Option<&str>,
) -> Result<UserPage, CognitoError> {
    backend
        .list_users(pool, filter, PageRequest::after(PAGE_SIZE, token))
        .await
}

/// Where a browse is: pages read, users seen, and the token of the next page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pager {
    pub filter: Option<ListFilter>,
    pub next_token: Option<String>,
    pub pages: usize,
    pub users: usize,
    pub done: bool,
}

impl Pager {
    /// A browse from the first page.
    pub fn new(filter: Option<ListFilter>) -> Self {
        Self {
            filter,
            ..Self::default()
        }
    }

    /// Reads the next page (one ListUsers) and advances; an empty page once done.
    pub async fn next_page(
        &mut self,
        backend: &dyn Backend,
        pool: &PoolId,
    ) -> Result<UserPage, CognitoError> {
        if self.done {
            return Ok(UserPage::default());
        }
        let page = fetch_page(
            backend,
            pool,
            self.filter.as_ref(),
            self.next_token.as_deref(),
        )
        .await?;
        self.record(&page);
        Ok(page)
    }

    /// Advances past a page fetched elsewhere (e.g. by the worker with [`fetch_page`]).
    pub fn record(&mut self, page: &UserPage) {
        self.pages += 1;
        self.users += page.users.len();
        // An emulator that ignores paging returns the same token forever; stop on a repeat.
        let repeated = page.next_token.is_some() && page.next_token == self.next_token;
        self.next_token = page.next_token.clone();
        self.done = self.next_token.is_none() || repeated;
    }
}

/// How a load-all ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoadOutcome {
    /// Every page was read.
    Complete(Pager),
    /// Cancelled; the pager says where to resume.
    Cancelled(Pager),
}

/// Reads every remaining page, calling `on_page` with each page and the progress so far,
/// until the pool is exhausted or `cancel` fires (an in-flight request is abandoned).
/// Requests go at the backend's pace: wrap it in a rate limiter so this never throttles
/// production. On error, the pager in the error's context is not lost: `pager` is updated
/// in place.
pub async fn load_all(
    backend: &dyn Backend,
    pool: &PoolId,
    pager: &mut Pager,
    cancel: &CancellationToken,
    mut on_page: impl FnMut(UserPage, &Pager),
) -> Result<LoadOutcome, CognitoError> {
    while !pager.done {
        if cancel.is_cancelled() {
            return Ok(LoadOutcome::Cancelled(pager.clone()));
        }
        let page = tokio::select! {
            biased;
            _ = cancel.cancelled() => return Ok(LoadOutcome::Cancelled(pager.clone())),
            page = fetch_page(backend, pool, pager.filter.as_ref(), pager.next_token.as_deref()) => page?,
        };
        pager.record(&page);
        on_page(page, pager);
    }
    Ok(LoadOutcome::Complete(pager.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cognito::demo::DemoBackend;

    #[test]
    fn prefetch_when_the_cursor_nears_the_end() {
        assert!(needs_next_page(0, 0, false));
        assert!(needs_next_page(40, 60, false));
        assert!(!needs_next_page(39, 60, false));
        assert!(!needs_next_page(59, 60, true));
    }

    #[tokio::test]
    async fn load_all_reads_the_demo_pool_and_stops_when_cancelled() {
        let demo = DemoBackend::embedded();
        let pool = demo.pool_id();
        let mut pager = Pager::new(None);
        let mut seen = 0;
        let outcome = load_all(
            &demo,
            &pool,
            &mut pager,
            &CancellationToken::new(),
            |p, _| seen += p.users.len(),
        )
        .await
        .unwrap();
        assert!(matches!(outcome, LoadOutcome::Complete(_)));
        assert_eq!(seen, demo.len());
        assert_eq!(pager.users, demo.len());

        let cancel = CancellationToken::new();
        cancel.cancel();
        let mut pager = Pager::new(None);
        let outcome = load_all(&demo, &pool, &mut pager, &cancel, |_, _| {})
            .await
            .unwrap();
        assert_eq!(outcome, LoadOutcome::Cancelled(Pager::new(None)));
    }
}
