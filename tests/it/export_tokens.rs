//! Export resume tokens can't lie: any change to a token an export printed — a character
//! replaced, one dropped or added, the token cut short or extended — is refused before any
//! request, and so is a token for another pool or filter. The oracle is the token as printed:
//! only it, unchanged, decodes.

use cognito_tui::export::token::{Resume, TokenError};
use proptest::prelude::*;

const POOL: &str = "eu-west-1_AbC123";

/// A token as an interrupted sixteen-stream export prints it: some streams done, some with
/// Cognito pagination tokens, some not started.
fn printed(tokens: &[String], done: usize, written: u64) -> String {
    let mut resume = Resume::fresh(POOL, None, 16);
    for (shard, token) in resume.shards.iter_mut().zip(tokens) {
        shard.token = Some(token.clone());
    }
    for shard in resume.shards.iter_mut().take(done) {
        shard.done = true;
        shard.token = None;
    }
    resume.written = written;
    resume.encode()
}

fn tokens() -> impl Strategy<Value = Vec<String>> {
    proptest::collection::vec("[A-Za-z0-9+/=]{8,120}", 0..16)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn a_token_with_any_character_replaced_is_refused(
        tokens in tokens(),
        done in 0usize..16,
        written in 0u64..1_000_000,
        at in any::<prop::sample::Index>(),
        with in any::<char>(),
    ) {
        let token = printed(&tokens, done, written);
        prop_assert!(Resume::decode(&token, POOL, None).is_ok());
        let mut chars: Vec<char> = token.chars().collect();
        let i = at.index(chars.len());
        prop_assume!(chars[i] != with && !with.is_whitespace());
        chars[i] = with;
        let tampered: String = chars.into_iter().collect();
        prop_assert!(Resume::decode(&tampered, POOL, None).is_err(), "{tampered}");
    }

    #[test]
    fn a_token_cut_short_extended_or_with_a_character_dropped_is_refused(
        tokens in tokens(),
        done in 0usize..16,
        at in any::<prop::sample::Index>(),
        extra in "[A-Za-z0-9_.-]{1,8}",
    ) {
        let token = printed(&tokens, done, 7);
        let i = at.index(token.len());
        let dropped = format!("{}{}", &token[..i], &token[i + 1..]);
        prop_assert!(Resume::decode(&dropped, POOL, None).is_err(), "{dropped}");
        prop_assert!(Resume::decode(&token[..i], POOL, None).is_err());
        let extended = format!("{token}{extra}");
        prop_assert!(Resume::decode(&extended, POOL, None).is_err(), "{extended}");
    }

    #[test]
    fn a_token_for_another_pool_or_filter_is_refused(tokens in tokens(), other in "[a-z]{1,12}") {
        let token = printed(&tokens, 3, 100);
        let pool = format!("eu-west-1_{other}");
        prop_assert!(
            matches!(Resume::decode(&token, &pool, None), Err(TokenError::OtherPool { .. })),
            "accepted on {pool}"
        );
        let filter = format!("cognito:user_status = \"{}\"", other.to_uppercase());
        let refused = matches!(
            Resume::decode(&token, POOL, Some(&filter)),
            Err(TokenError::OtherFilter { .. })
        );
        prop_assert!(refused, "accepted with {}", filter);
    }
}
