//! Case variants of a type-ahead query. Cognito's `^=` filters are case-sensitive in a
//! case-sensitive pool, and people type "smith" for "Smith": when the query as typed finds
//! less than a page, the lower-case and Capitalised forms are tried too, and the results say
//! which one found users.

use super::{PAGE_SIZE, PrefixCache, SearchResults, search, search_streaming};
use crate::cognito::{Backend, PoolId};

/// The forms tried after `query` as typed: lower case, then Capitalised (first letter upper,
/// the rest lower), each once and never the query itself.
pub fn case_variants(query: &str) -> Vec<String> {
    let query = query.trim();
    let lower = query.to_lowercase();
    let mut chars = lower.chars();
    let capitalised: String = match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    };
    let mut out: Vec<String> = Vec::new();
    for v in [lower, capitalised] {
        if !v.is_empty() && v != query && !out.contains(&v) {
            out.push(v);
        }
    }
    out
}

/// [`search`] for `query` as typed; if that finds less than a page (and nothing failed
/// outright), each case variant in turn, adding the users it finds that are not already
/// listed. [`SearchResults::case_variants`] names the variants that found users.
pub async fn search_with_case_variants(
    backend: &dyn Backend,
    pool: &PoolId,
    query: &str,
    cache: Option<&PrefixCache>,
) -> SearchResults {
    search_with_case_variants_streaming(backend, pool, query, cache, |_| {}).await
}

/// [`search_with_case_variants`], telling `partial` about the results of the query as typed
/// while some of its filters are still out (username first); the returned result is final.
pub async fn search_with_case_variants_streaming(
    backend: &dyn Backend,
    pool: &PoolId,
    query: &str,
    cache: Option<&PrefixCache>,
    partial: impl Fn(&SearchResults),
) -> SearchResults {
    // Only answers still waiting for a filter are partial here: once the query as typed is
    // answered, the caller's final result (with any variants) is the next thing it hears.
    let mut results = search_streaming(backend, pool, query, cache, |r: &SearchResults| {
        if !r.waiting.is_empty() {
            partial(r)
        }
    })
    .await;
    if results.more || results.hits.len() >= PAGE_SIZE as usize || results.total_failure().is_some()
    {
        return results;
    }
    for variant in case_variants(query) {
        let found = search(backend, pool, &variant, cache).await;
        results.requests += found.requests;
        results.more |= found.more;
        let before = results.hits.len();
        for hit in found.hits {
            if !results
                .hits
                .iter()
                .any(|h| h.user.username == hit.user.username)
            {
                results.hits.push(hit);
            }
        }
        if results.hits.len() > before {
            results.case_variants.push(variant);
        }
    }
    results
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variants_are_lower_then_capitalised_without_repeats() {
        assert_eq!(case_variants("sMiTh"), ["smith", "Smith"]);
        assert_eq!(case_variants("smith"), ["Smith"]);
        assert_eq!(case_variants("Smith"), ["smith"]);
        assert_eq!(case_variants("42"), Vec::<String>::new());
        assert_eq!(case_variants("ÉLODIE"), ["élodie", "Élodie"]);
    }
}
