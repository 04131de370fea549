//! The export's resume token: where each stream stands, bound to the pool, the server-side
//! filter and the shard plan, with a SHA-256 integrity check over all of it. A token for
//! another pool or filter, cut short, edited or forged is refused before any request: it
//! could otherwise skip users or write them twice with exit 0.
//!
//! Shape: `cte2.` base64url(JSON) `.` base64url(first 16 bytes of SHA-256 over a domain tag
//! and the JSON). The check is not a secret: it catches a token altered by hand or by a
//! copy-paste, not someone who recomputes it — nothing in a token is more than the pool's
//! own pagination state, which they could read anyway.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Prefix of the tokens this version prints.
const PREFIX: &str = "cte2.";
/// Prefix of the tokens earlier versions printed (no pool, no check): refused.
const OLD_PREFIX: &str = "cte1.";
/// Bytes of SHA-256 kept as the check.
const CHECK_BYTES: usize = 16;
/// Separates the check's input from any other use of SHA-256.
const DOMAIN: &[u8] = b"cognito-tui export resume token v2\0";
/// The first characters of a `sub` (a lower-case UUID), one shard each.
pub const HEX: &str = "0123456789abcdef";

/// How the pool is split into streams.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Plan {
    /// One stream over the whole (filtered) pool.
    #[serde(rename = "one")]
    One,
    /// Sixteen streams, `sub ^= "0"` … `sub ^= "f"`, and at most one remainder stream after
    /// them for users whose sub starts with anything else.
    #[serde(rename = "sub16")]
    Sub16,
}

/// Where one stream stands: what has been written, not what has been fetched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shard {
    /// The `sub ^=` prefix; None for the whole pool (one stream, or the remainder pass).
    #[serde(rename = "p", default, skip_serializing_if = "Option::is_none")]
    pub prefix: Option<String>,
    /// Cognito's pagination token for the next page; None before the first page.
    #[serde(rename = "t", default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
    /// Every page of the stream has been written.
    #[serde(rename = "d", default)]
    pub done: bool,
    /// The remainder pass: the whole pool, writing only users no prefix stream holds.
    #[serde(rename = "r", default, skip_serializing_if = "std::ops::Not::not")]
    pub remainder: bool,
}

impl Shard {
    fn new(prefix: Option<String>, remainder: bool) -> Self {
        Self {
            prefix,
            token: None,
            done: false,
            remainder,
        }
    }
}

/// An export's resume point.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resume {
    /// The pool exported.
    #[serde(rename = "u")]
    pub pool: String,
    /// The server-side filter's expression, if any.
    #[serde(rename = "f", default, skip_serializing_if = "Option::is_none")]
    pub filter: Option<String>,
    /// The `--where` expression applied to each user read, if any.
    #[serde(rename = "w", default, skip_serializing_if = "Option::is_none")]
    pub local: Option<String>,
    #[serde(rename = "k")]
    pub plan: Plan,
    #[serde(rename = "s")]
    pub shards: Vec<Shard>,
    /// Users written so far, over every run of this export.
    #[serde(rename = "n", default)]
    pub written: u64,
}

/// Why `--starting-token` can't resume this export.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    #[error("--starting-token is empty")]
    Empty,
    /// Not a token this version prints.
    #[error(
        "--starting-token is not a token an export printed (they start with {PREFIX}); \
         start a new export without it"
    )]
    NotOurs,
    /// A token of an earlier version, which can't say which pool it was for.
    #[error(
        "--starting-token comes from an earlier cognito-tui, whose tokens don't name their \
         pool; start a new export without it"
    )]
    Old,
    /// The check does not match: edited, cut short or joined with something.
    #[error(
        "--starting-token has been altered or cut short (its check does not match); copy \
         the whole token from the export's last line, or start a new export without it"
    )]
    Altered,
    /// The token's export read another pool.
    #[error("--starting-token comes from an export of pool {token}, not {export}")]
    OtherPool { token: String, export: String },
    /// The token's export ran with another server-side filter.
    #[error(
        "--starting-token comes from an export filtered by {}, not {}: pass the same \
         --status/--enabled",
        token.as_deref().unwrap_or("nothing"),
        export.as_deref().unwrap_or("nothing")
    )]
    OtherFilter {
        token: Option<String>,
        export: Option<String>,
    },
    /// The token's export ran with another `--where`.
    #[error(
        "--starting-token comes from an export with --where {}, not {}: pass the same --where",
        token.as_deref().unwrap_or("(none)"),
        export.as_deref().unwrap_or("(none)")
    )]
    OtherWhere {
        token: Option<String>,
        export: Option<String>,
    },
}

impl Resume {
    /// A fresh export of `pool` with `filter` (its expression): one stream when filtered or
    /// when one stream is asked for, else the sixteen sub-prefix streams.
    pub fn fresh(pool: &str, filter: Option<String>, streams: u8) -> Self {
        let (plan, shards) = if filter.is_some() || streams == 1 {
            (Plan::One, vec![Shard::new(None, false)])
        } else {
            let shards = HEX
                .chars()
                .map(|c| Shard::new(Some(c.to_string()), false))
                .collect();
            (Plan::Sub16, shards)
        };
        Self {
            pool: pool.into(),
            filter,
            local: None,
            plan,
            shards,
            written: 0,
        }
    }

    /// The same export, with `--where` `local` applied to each user read.
    pub fn with_where(mut self, local: Option<String>) -> Self {
        self.local = local;
        self
    }

    /// Refuses a token whose export had another `--where` than `local`: resuming it would
    /// write users by another rule after the resume point.
    pub fn check_where(self, local: Option<&str>) -> Result<Self, TokenError> {
        match self.local.as_deref() == local {
            true => Ok(self),
            false => Err(TokenError::OtherWhere {
                token: self.local,
                export: local.map(str::to_string),
            }),
        }
    }

    /// Adds the remainder pass (sixteen-stream plan only, once); its index.
    pub fn add_remainder(&mut self) -> Option<usize> {
        let has = self.shards.iter().any(|s| s.remainder);
        (self.plan == Plan::Sub16 && !has).then(|| {
            self.shards.push(Shard::new(None, true));
            self.shards.len() - 1
        })
    }

    /// The token that resumes from here.
    pub fn encode(&self) -> String {
        let json = serde_json::to_vec(self).expect("plain data serializes");
        format!(
            "{PREFIX}{}.{}",
            URL_SAFE_NO_PAD.encode(&json),
            URL_SAFE_NO_PAD.encode(check(&json))
        )
    }

    /// Parses `--starting-token` for an export of `pool` with `filter` (its expression).
    pub fn decode(token: &str, pool: &str, filter: Option<&str>) -> Result<Self, TokenError> {
        let token = token.trim();
        if token.is_empty() {
            return Err(TokenError::Empty);
        }
        if token.starts_with(OLD_PREFIX) {
            return Err(TokenError::Old);
        }
        let body = token.strip_prefix(PREFIX).ok_or(TokenError::NotOurs)?;
        let (json, sum) = body.split_once('.').ok_or(TokenError::NotOurs)?;
        let json = URL_SAFE_NO_PAD
            .decode(json)
            .map_err(|_| TokenError::Altered)?;
        let sum = URL_SAFE_NO_PAD
            .decode(sum)
            .map_err(|_| TokenError::Altered)?;
        if sum != check(&json) {
            return Err(TokenError::Altered);
        }
        let resume: Self = serde_json::from_slice(&json).map_err(|_| TokenError::Altered)?;
        if !resume.fits_its_plan() {
            return Err(TokenError::Altered);
        }
        if resume.pool != pool {
            return Err(TokenError::OtherPool {
                token: resume.pool,
                export: pool.into(),
            });
        }
        if resume.filter.as_deref() != filter {
            return Err(TokenError::OtherFilter {
                token: resume.filter,
                export: filter.map(str::to_string),
            });
        }
        Ok(resume)
    }

    /// Whether the shards are exactly the plan's: one unfiltered-by-prefix stream, or the
    /// sixteen prefixes in order and at most a remainder pass.
    fn fits_its_plan(&self) -> bool {
        match self.plan {
            Plan::One => {
                self.shards.len() == 1
                    && self.shards[0].prefix.is_none()
                    && !self.shards[0].remainder
            }
            Plan::Sub16 => {
                let (prefixed, rest) = self.shards.split_at(self.shards.len().min(16));
                let prefixes_fit = prefixed.len() == 16
                    && prefixed.iter().zip(HEX.chars()).all(|(s, c)| {
                        s.prefix.as_deref() == Some(c.to_string().as_str()) && !s.remainder
                    });
                let rest_fits = match rest {
                    [] => true,
                    [r] => r.remainder && r.prefix.is_none() && prefixed.iter().all(|s| s.done),
                    _ => false,
                };
                prefixes_fit && rest_fits && self.filter.is_none()
            }
        }
    }
}

/// The integrity check over a token's JSON.
fn check(json: &[u8]) -> Vec<u8> {
    let mut hasher = Sha256::new();
    hasher.update(DOMAIN);
    hasher.update(json);
    hasher.finalize()[..CHECK_BYTES].to_vec()
}

/// Whether a user with this `sub` is in one of the sixteen prefix streams.
pub fn in_a_prefix_stream(sub: Option<&str>) -> bool {
    sub.and_then(|s| s.chars().next())
        .is_some_and(|c| HEX.contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    const POOL: &str = "eu-west-1_Pool";

    #[test]
    fn tokens_round_trip_and_are_bound_to_pool_and_filter() {
        let filter = Some("cognito:user_status = \"CONFIRMED\"".to_string());
        let mut r = Resume::fresh(POOL, filter.clone(), 16);
        assert_eq!(r.shards.len(), 1, "a filter leaves no room to split");
        r.shards[0].token = Some("abc/+=".into());
        let token = r.encode();
        assert_eq!(Resume::decode(&token, POOL, filter.as_deref()), Ok(r));
        assert!(matches!(
            Resume::decode(&token, POOL, None),
            Err(TokenError::OtherFilter { .. })
        ));
        assert!(matches!(
            Resume::decode(&token, "eu-west-1_Other", filter.as_deref()),
            Err(TokenError::OtherPool { .. })
        ));
        assert_eq!(Resume::decode("  ", POOL, None), Err(TokenError::Empty));
        assert_eq!(Resume::decode("cte1.e30", POOL, None), Err(TokenError::Old));
        assert_eq!(
            Resume::decode("cognito-token", POOL, None),
            Err(TokenError::NotOurs)
        );
    }

    #[test]
    fn tokens_are_bound_to_their_where_expression() {
        let r = Resume::fresh(POOL, None, 16).with_where(Some("custom:tier = gold".into()));
        assert_eq!(
            r.shards.len(),
            16,
            "a --where with nothing for Cognito keeps the streams"
        );
        let token = r.encode();
        let back = Resume::decode(&token, POOL, None).unwrap();
        assert_eq!(back.clone().check_where(Some("custom:tier = gold")), Ok(r));
        for other in [None, Some("custom:tier = silver")] {
            assert!(matches!(
                back.clone().check_where(other),
                Err(TokenError::OtherWhere { .. })
            ));
        }
    }

    #[test]
    fn unfiltered_exports_split_by_every_hex_digit_then_one_remainder() {
        let mut r = Resume::fresh(POOL, None, 16);
        let prefixes: String = r.shards.iter().map(|s| s.prefix.clone().unwrap()).collect();
        assert_eq!(prefixes, HEX);
        assert_eq!(r.add_remainder(), Some(16));
        assert_eq!(r.add_remainder(), None);
        assert_eq!(Resume::fresh(POOL, None, 1).shards.len(), 1);
    }
}
