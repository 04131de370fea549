//! Case variants of a query. Cognito's `^=` filters are case-sensitive, and people type
//! "smith" for "Smith" or "ALI" for "alice": the lower-case and Capitalised forms are tried
//! too (until the results fill a page), in the order [`super::plan`] gives, and the results say
//! which one found users. Type-ahead and the one-shot `search` both search this way.

pub use super::plan::case_variants;
use super::{PrefixCache, SearchResults};
use crate::cognito::{Backend, PoolId};

/// [`super::search`] for `query` as typed and for its case variants, in one plan
/// ([`super::plan`]): the
/// forms most likely to match go first, and a variant not yet sent is skipped once the
/// results fill a page. [`SearchResults::case_variants`] names the variants that found users
/// the query as typed did not.
pub async fn search_with_case_variants(
    backend: &dyn Backend,
    pool: &PoolId,
    query: &str,
    cache: Option<&PrefixCache>,
) -> SearchResults {
    search_with_case_variants_streaming(backend, pool, query, cache, |_| {}).await
}

/// [`search_with_case_variants`], telling `partial` the results so far after each answer
/// while filters are still out ([`SearchResults::waiting`]); the returned result is final.
pub async fn search_with_case_variants_streaming(
    backend: &dyn Backend,
    pool: &PoolId,
    query: &str,
    cache: Option<&PrefixCache>,
    partial: impl FnMut(&SearchResults),
) -> SearchResults {
    let plan = super::plan::plan(query, true);
    super::run_plan(backend, pool, query, plan, cache, partial).await
}
