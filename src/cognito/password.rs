//! Temporary passwords for "Set a temporary password" (AdminSetUserPassword,
//! `Permanent=false`): generated from the operating system's randomness to the pool's password
//! policy, and held in a type that never prints itself, so no `{:?}`, log line or audit line can
//! carry one by accident.
//!
//! The rules come from AWS's "Adding user pool password requirements"
//! (<https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-policies.html>):
//! a minimum length of 6 to 99; upper and lower Basic Latin letters, numbers and special
//! characters from `^ $ * . [ ] { } ( ) ? " ! @ # % & / \ , > < ' : ; | _ ~ ` = + -`; and
//! "Cognito defaults" (a pool without a custom policy) require 8 characters with all four
//! kinds. `PasswordPolicyType` (API reference) gives the fields DescribeUserPool reports.

use std::fmt;

use rand::TryRng;
use rand::rand_core::UnwrapErr;
use rand::rngs::SysRng;
use rand::seq::{IndexedRandom, SliceRandom};

/// The pool's password rules (DescribeUserPool `Policies.PasswordPolicy`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PasswordPolicy {
    /// `MinimumLength` (6–99).
    pub minimum_length: u8,
    pub require_uppercase: bool,
    pub require_lowercase: bool,
    pub require_numbers: bool,
    pub require_symbols: bool,
}

impl Default for PasswordPolicy {
    /// Cognito's defaults: 8 characters, each of the four kinds required.
    fn default() -> Self {
        Self {
            minimum_length: 8,
            require_uppercase: true,
            require_lowercase: true,
            require_numbers: true,
            require_symbols: true,
        }
    }
}

impl PasswordPolicy {
    /// What the policy asks, in a few words: `8+ characters: upper, lower, number, symbol`.
    pub fn summary(&self) -> String {
        let kinds: Vec<&str> = [
            (self.require_uppercase, "upper"),
            (self.require_lowercase, "lower"),
            (self.require_numbers, "number"),
            (self.require_symbols, "symbol"),
        ]
        .into_iter()
        .filter_map(|(on, name)| on.then_some(name))
        .collect();
        match kinds.is_empty() {
            true => format!("{}+ characters", self.minimum_length),
            false => format!("{}+ characters: {}", self.minimum_length, kinds.join(", ")),
        }
    }
}

/// A password set by an administrator. It prints as `TemporaryPassword(<hidden>)` in debug
/// output and has no `Display`: the only way to its text is [`TemporaryPassword::expose`],
/// called where it is sent and where it is shown once.
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct TemporaryPassword(String);

impl fmt::Debug for TemporaryPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = if self.0.is_empty() {
            "<to be generated>"
        } else {
            "<hidden>"
        };
        write!(f, "TemporaryPassword({state})")
    }
}

impl TemporaryPassword {
    /// None yet: the menu and the diagnosis name the action before the confirmation makes
    /// the password.
    pub fn to_generate() -> Self {
        Self::default()
    }

    /// Whether this is still the placeholder of [`TemporaryPassword::to_generate`].
    pub fn is_pending(&self) -> bool {
        self.0.is_empty()
    }

    /// The password itself: for the request and the one popup that shows it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// A given password (tests, and answers that must be checked against what was sent).
    pub fn from_text(text: impl Into<String>) -> Self {
        Self(text.into())
    }
}

/// The operating system would not give randomness.
#[derive(Debug, thiserror::Error)]
#[error("could not generate a password: the system's random source failed ({0})")]
pub struct PasswordError(String);

/// Letters and digits that can't be misread for one another (no `0 O o 1 l I`), as the
/// password is read off a screen and typed or said to the user.
const UPPER: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ";
const LOWER: &[u8] = b"abcdefghijkmnpqrstuvwxyz";
const DIGITS: &[u8] = b"23456789";
/// Symbols from AWS's special-character set, leaving out quotes, backslash, backtick and space
/// (awkward to say, to paste into a shell, or to see at the end of a line).
const SYMBOLS: &[u8] = b"^$*.[]{}()?!@#%&/,><:;|_~=+-";

/// The length generated: at least 16, more when the pool's minimum asks for more.
pub const GENERATED_LENGTH: usize = 16;

/// A new password for `policy` (Cognito's defaults when unknown): at least
/// [`GENERATED_LENGTH`] characters, never fewer than the policy's minimum, with an upper-case
/// letter, a lower-case letter, a number and a symbol whatever the policy asks — so it also
/// satisfies a policy that was changed since it was read.
pub fn generate(policy: Option<&PasswordPolicy>) -> Result<TemporaryPassword, PasswordError> {
    let policy = policy.copied().unwrap_or_default();
    let length = GENERATED_LENGTH.max(usize::from(policy.minimum_length));
    // One fallible draw first: a failing source is a message, not a panic in the draws below.
    let mut probe = SysRng;
    probe
        .try_next_u32()
        .map_err(|e| PasswordError(e.to_string()))?;
    let mut rng = UnwrapErr(SysRng);
    let classes = [UPPER, LOWER, DIGITS, SYMBOLS];
    let all: Vec<u8> = classes.concat();
    let mut chars: Vec<u8> = classes
        .iter()
        .filter_map(|class| class.choose(&mut rng).copied())
        .collect();
    while chars.len() < length {
        chars.extend(all.choose(&mut rng));
    }
    chars.shuffle(&mut rng);
    Ok(TemporaryPassword(
        chars.into_iter().map(char::from).collect(),
    ))
}

/// Whether `password` meets `policy` as AWS states it (used by the tests as an oracle apart
/// from the generator's own construction).
pub fn meets(password: &str, policy: &PasswordPolicy) -> bool {
    let has = |f: fn(&char) -> bool| password.chars().any(|c| f(&c));
    let special = |c: &char| "^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+- ".contains(*c);
    password.chars().count() >= usize::from(policy.minimum_length)
        && (!policy.require_uppercase || has(char::is_ascii_uppercase))
        && (!policy.require_lowercase || has(char::is_ascii_lowercase))
        && (!policy.require_numbers || has(char::is_ascii_digit))
        && (!policy.require_symbols || has(special))
        && password
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || special(&c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_passwords_meet_the_default_and_a_long_policy() {
        let long = PasswordPolicy {
            minimum_length: 40,
            ..PasswordPolicy::default()
        };
        for policy in [None, Some(&long)] {
            for _ in 0..200 {
                let p = generate(policy).unwrap();
                assert!(meets(
                    p.expose(),
                    policy.unwrap_or(&PasswordPolicy::default())
                ));
            }
        }
        assert_eq!(generate(Some(&long)).unwrap().expose().len(), 40);
        assert_eq!(generate(None).unwrap().expose().len(), GENERATED_LENGTH);
    }

    #[test]
    fn two_passwords_differ_and_neither_prints_itself() {
        let (a, b) = (generate(None).unwrap(), generate(None).unwrap());
        assert_ne!(a, b);
        let shown = format!("{a:?}");
        assert!(!shown.contains(a.expose()), "{shown}");
        assert_eq!(shown, "TemporaryPassword(<hidden>)");
    }

    #[test]
    fn the_oracle_refuses_what_a_policy_forbids() {
        let policy = PasswordPolicy::default();
        assert!(!meets("Short1!", &policy));
        assert!(!meets("nouppercase1!", &policy));
        assert!(!meets("NoSymbol1234", &policy));
        assert!(!meets("Ünicode1!aaaa", &policy));
        assert!(meets("Good-Pass1", &policy));
    }

    #[test]
    fn the_summary_names_what_is_required() {
        assert_eq!(
            PasswordPolicy::default().summary(),
            "8+ characters: upper, lower, number, symbol"
        );
    }
}
