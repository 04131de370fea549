//! `export -o cognito-import`: the CSV a Cognito user import job takes, under the header
//! GetCSVHeader gives for the pool (so its custom attributes line up), one row per user.
//! What the columns hold follows "Creating the user import CSV file" (Formatting the CSV
//! file, Amazon Cognito Developer Guide); how values are escaped is the output module's
//! ([`crate::output::import`]):
//!
//! - `cognito:username`: the username ("required and must be unique … it cannot contain
//!   spaces or tabs");
//! - `cognito:mfa_enabled`: required, never empty — `true` for every user where the pool
//!   requires MFA, `false` where MFA is off; where it is optional, whether AdminGetUser lists
//!   an MFA method for the user (`--with-mfa`), else `false` with a note saying so;
//! - `email_verified`, `phone_number_verified`: `true` or `false` (absent: `false`);
//! - `birthdate`: the importer wants mm/dd/yyyy, Cognito holds OpenID Connect's YYYY-MM-DD
//!   ("User pool attributes"): converted;
//! - any other column, custom attributes included: the attribute of that name, or empty.
//!
//! `sub` and the creation date are not imported ("Importing users into a user pool from a
//! CSV file": the creation date is the import's); every imported user starts in
//! RESET_REQUIRED, a local user with no password. So a federated user (UserStatus
//! EXTERNAL_PROVIDER: "User signed in with a third-party IdP", UserType, API Reference) can't
//! be carried over — its IdP creates it at sign-in, and an imported local user of the same
//! name would stand in its way: such users are counted and named on stderr, not written. So
//! is a user with a value the file can't carry.

use super::mfa::Mfa;
use crate::cognito::{CognitoError, ErrorKind, UserStatus, UserSummary};
use crate::output::import::{ImportWriter, Row, Unwritable};
use crate::output::{self, Stdout, WriteError};
use crate::sanitize::sanitize;

/// Names given on stderr for each kind of user left out, at most.
const NAMED: usize = 5;

/// "The maximum number of rows (users) in the file is 500,000."
const MAX_USERS: u64 = 500_000;

/// What `cognito:mfa_enabled` holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MfaColumn {
    /// The pool requires MFA (`true`) or has it off (`false`): the same for every user.
    Every(bool),
    /// Optional MFA, read per user with `--with-mfa`.
    PerUser,
    /// Optional MFA, not read: `false`, said once.
    Unknown,
}

/// Users left out for one reason: how many, and the first few names.
#[derive(Debug, Default)]
struct LeftOut {
    count: u64,
    names: Vec<String>,
}

impl LeftOut {
    fn add(&mut self, username: &str) {
        self.count += 1;
        if self.names.len() < NAMED {
            self.names.push(sanitize(username).into_owned());
        }
    }

    fn list(&self) -> String {
        let more = self.count.saturating_sub(self.names.len() as u64);
        match more {
            0 => self.names.join(", "),
            n => format!("{}, and {n} more", self.names.join(", ")),
        }
    }
}

/// The import file being written, and what it left out.
pub(super) struct ImportFile {
    writer: ImportWriter,
    header: Vec<String>,
    mfa: MfaColumn,
    written: u64,
    altered: u64,
    unverified: u64,
    federated: LeftOut,
    unwritable: LeftOut,
}

/// Why GetCSVHeader's answer can't head an import file.
pub(super) fn check_header(header: &[String]) -> Result<(), CognitoError> {
    match header.iter().any(|c| c == "cognito:username") {
        true => Ok(()),
        false => Err(CognitoError::new(
            ErrorKind::Other,
            "GetCSVHeader",
            "the header has no cognito:username column: not a user import header",
        )),
    }
}

impl ImportFile {
    /// Writes `header` on `out`; `pool_mfa` is the pool's MfaConfiguration, `with_mfa`
    /// whether each user's MFA is read.
    pub(super) fn open(
        out: Stdout,
        header: Vec<String>,
        pool_mfa: Option<&str>,
        with_mfa: bool,
    ) -> Result<Self, WriteError> {
        let mfa = match (pool_mfa, with_mfa) {
            (Some("ON"), _) => MfaColumn::Every(true),
            (Some("OFF"), _) => MfaColumn::Every(false),
            (_, true) => MfaColumn::PerUser,
            (_, false) => MfaColumn::Unknown,
        };
        if mfa == MfaColumn::Unknown {
            output::note(
                "cognito-import: the pool's MFA is optional; cognito:mfa_enabled is written \
                 false for every user (add --with-mfa, one AdminGetUser per user, to write \
                 each user's own)",
            );
        }
        Ok(Self {
            writer: out.import(&header)?,
            header,
            mfa,
            written: 0,
            altered: 0,
            unverified: 0,
            federated: LeftOut::default(),
            unwritable: LeftOut::default(),
        })
    }

    /// Writes `u` (its MFA when `--with-mfa` read it); `false` when it was left out.
    pub(super) fn user(&mut self, u: &UserSummary, mfa: Option<&Mfa>) -> Result<bool, WriteError> {
        if u.status == Some(UserStatus::ExternalProvider) {
            self.federated.add(&u.username);
            return Ok(false);
        }
        if u.username.contains([' ', '\t']) {
            self.unwritable.add(&u.username);
            return Ok(false);
        }
        let values: Vec<String> = (self.header.iter())
            .map(|column| self.value(column, u, mfa))
            .collect();
        match self.writer.row(&values)? {
            Row::Written { altered } => {
                self.written += 1;
                self.altered += u64::from(altered);
                let verified = |a: &str| u.attribute(a).is_some_and(is_true);
                let unverified = !verified("email_verified") && !verified("phone_number_verified");
                self.unverified += u64::from(unverified);
                Ok(true)
            }
            Row::Refused(Unwritable::Backslash | Unwritable::TooLong) => {
                self.unwritable.add(&u.username);
                Ok(false)
            }
        }
    }

    /// The value of `column` for `u`.
    fn value(&self, column: &str, u: &UserSummary, mfa: Option<&Mfa>) -> String {
        match column {
            "cognito:username" => u.username.clone(),
            "cognito:mfa_enabled" => match self.mfa {
                MfaColumn::Every(on) => on,
                MfaColumn::PerUser => mfa.is_some_and(|m| !m.settings.is_empty()),
                MfaColumn::Unknown => false,
            }
            .to_string(),
            "email_verified" | "phone_number_verified" => {
                u.attribute(column).is_some_and(is_true).to_string()
            }
            "birthdate" => u.attribute(column).map(birthdate).unwrap_or_default(),
            other => u.attribute(other).unwrap_or_default().to_string(),
        }
    }

    /// Sends what is buffered on.
    pub(super) fn flush(&mut self) -> Result<(), WriteError> {
        Ok(self.writer.flush()?)
    }

    /// What was left out or changed, on stderr.
    pub(super) fn report(&self) {
        if self.federated.count > 0 {
            output::note(format_args!(
                "cognito-import: {} EXTERNAL_PROVIDER (federated) users not written: their \
                 identity provider creates them at sign-in, and an imported local user of the \
                 same name would stand in its way: {}",
                self.federated.count,
                self.federated.list()
            ));
        }
        if self.unwritable.count > 0 {
            output::note(format_args!(
                "cognito-import: {} users not written: a value the import file can't carry \
                 (a backslash before a comma or at a value's end, a row over 16,000 \
                 characters, or a space or tab in the username): {}",
                self.unwritable.count,
                self.unwritable.list()
            ));
        }
        self.report_written();
    }

    fn report_written(&self) {
        if self.altered > 0 {
            output::note(format_args!(
                "cognito-import: {} users have a value with a control character, written as \
                 its visible escape (\\n, \\x1b…): the import stores that text",
                self.altered
            ));
        }
        if self.unverified > 0 {
            output::note(format_args!(
                "cognito-import: {} users have neither email_verified nor \
                 phone_number_verified true; an import job fails them where the pool has an \
                 auto-verified attribute (at least one must be true for each user)",
                self.unverified
            ));
        }
        if self.written > MAX_USERS {
            output::note(format_args!(
                "cognito-import: {} users written; an import file takes at most 500,000: \
                 split it, the header on each part",
                self.written
            ));
        }
    }
}

/// Cognito's booleans are the strings `true` and `false`.
fn is_true(value: &str) -> bool {
    value.eq_ignore_ascii_case("true")
}

/// YYYY-MM-DD (OpenID Connect, as Cognito holds it) as mm/dd/yyyy (as the importer wants
/// it); anything else as it is.
fn birthdate(value: &str) -> String {
    let parts: Vec<&str> = value.split('-').collect();
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    match parts[..] {
        [y, m, d] if digits(y, 4) && digits(m, 2) && digits(d, 2) => format!("{m}/{d}/{y}"),
        _ => value.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn birthdates_turn_to_the_importers_order() {
        assert_eq!(birthdate("1985-02-01"), "02/01/1985");
        assert_eq!(birthdate("02/01/1985"), "02/01/1985");
        assert_eq!(birthdate("1985-2-1"), "1985-2-1");
    }
}
