//! `export --with-mfa`: one AdminGetUser per exported user (the only call that reports a
//! user's MFA: UserMFASettingList, PreferredMfaSetting and the legacy MFAOptions — AdminGetUser,
//! Amazon Cognito API Reference), through the audit gate (one `get_user_mfa` line each) and the
//! limiter at the user_read rate. The cost is stated before the first request; a summary by
//! factor at the end.

use super::per_user::PerUser;
use crate::cognito::{CognitoError, UserSummary};
use crate::oneshot::CliError;
use crate::oneshot::gate::{Gate, UserMfa};
use crate::output;

/// The key (JSON) and column (CSV/TSV) of the user's enabled MFA methods.
pub(super) const SETTINGS: &str = "MfaSettings";
/// The key and column of the user's preferred MFA method.
pub(super) const PREFERRED: &str = "PreferredMfa";

/// One user's MFA, as written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Mfa {
    /// UserMFASettingList, with SMS_MFA added when only the legacy MFAOptions hold it.
    pub settings: Vec<String>,
    pub preferred: Option<String>,
}

impl From<UserMfa> for Mfa {
    fn from(u: UserMfa) -> Self {
        let mut settings = u.settings;
        // MFAOptions is "no longer supported" and only ever describes SMS (AdminGetUser,
        // Amazon Cognito API Reference): a user it still lists has SMS MFA.
        let legacy_sms =
            (u.legacy.iter().flatten()).any(|o| o.delivery_medium.as_deref() == Some("SMS"));
        if legacy_sms && !settings.iter().any(|s| s == "SMS_MFA") {
            settings.push("SMS_MFA".into());
        }
        // Some backends (moto) send "" for no preference.
        let preferred = u.preferred.filter(|p| !p.is_empty());
        Self {
            settings,
            preferred,
        }
    }
}

/// The `--with-mfa` reader: the gate, and what it has read so far.
pub(super) struct Reader<'a> {
    gate: Gate<'a>,
    summary: Summary,
}

/// Requests made and users by factor, for the closing summary.
#[derive(Debug, Default)]
struct Summary {
    requests: u64,
    sms: u64,
    totp: u64,
    email: u64,
    none: u64,
    gone: u64,
}

/// `--with-mfa` among the per-user options.
const PER_USER: PerUser = PerUser {
    flag: "--with-mfa",
    call: "AdminGetUser",
    when_gone: "empty MFA fields",
};

impl<'a> Reader<'a> {
    /// States the cost and ETA (`estimate` users at `rate` per second) before any request.
    pub(super) fn start(gate: Gate<'a>, estimate: Option<u64>, rate: u32, filtered: bool) -> Self {
        PER_USER.state_cost(estimate, rate, filtered);
        Self {
            gate,
            summary: Summary::default(),
        }
    }

    /// Each of `users`' MFA, in order; a user deleted since ListUsers gets none and a note.
    /// `Err(Ok)` is a failed request that ends the export, `Err(Err)` an audit failure.
    pub(super) async fn read(
        &mut self,
        users: &[&UserSummary],
    ) -> Result<Vec<Mfa>, Result<CognitoError, CliError>> {
        let gate = self.gate;
        let read = PER_USER.each(users, |u| gate.user_mfa(&u.username)).await?;
        self.summary.requests += users.len() as u64;
        Ok((read.into_iter())
            .map(|mfa| match mfa {
                Some(mfa) => self.count(Mfa::from(mfa)),
                None => {
                    self.summary.gone += 1;
                    Mfa::default()
                }
            })
            .collect())
    }

    fn count(&mut self, mfa: Mfa) -> Mfa {
        let has = |name: &str| mfa.settings.iter().any(|s| s == name);
        let s = &mut self.summary;
        s.sms += u64::from(has("SMS_MFA"));
        s.totp += u64::from(has("SOFTWARE_TOKEN_MFA"));
        s.email += u64::from(has("EMAIL_OTP"));
        s.none += u64::from(mfa.settings.is_empty());
        mfa
    }

    /// The closing summary, on stderr.
    pub(super) fn report(&self) {
        let s = &self.summary;
        let gone = match s.gone {
            0 => String::new(),
            n => format!(", {n} deleted during the export"),
        };
        output::note(format_args!(
            "--with-mfa: {} AdminGetUser requests; users with MFA by factor: SMS {}, TOTP {}, \
             email {}, none {}{gone}",
            s.requests, s.sms, s.totp, s.email, s.none
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cognito::MfaOption;

    #[test]
    fn legacy_sms_options_count_as_sms_and_empty_preference_is_none() {
        let mfa = Mfa::from(UserMfa {
            settings: vec![],
            preferred: Some(String::new()),
            legacy: Some(vec![MfaOption {
                delivery_medium: Some("SMS".into()),
                attribute_name: Some("phone_number".into()),
            }]),
        });
        assert_eq!(mfa.settings, ["SMS_MFA"]);
        assert_eq!(mfa.preferred, None);
    }
}
