//! `export --with-mfa`: one AdminGetUser per exported user (the only call that reports a
//! user's MFA: UserMFASettingList, PreferredMfaSetting and the legacy MFAOptions — AdminGetUser,
//! Amazon Cognito API Reference), through the audit gate (one `get_user_mfa` line each) and the
//! limiter at the user_read rate. The cost is stated before the first request; a summary by
//! factor at the end.

use futures::StreamExt;

use crate::cognito::{Attribute, CognitoError, ErrorKind, UserSummary};
use crate::oneshot::CliError;
use crate::oneshot::gate::{Gate, UserMfa};
use crate::output;

/// The key (JSON) and column (CSV/TSV) of the user's enabled MFA methods.
pub(super) const SETTINGS: &str = "MfaSettings";
/// The key and column of the user's preferred MFA method.
pub(super) const PREFERRED: &str = "PreferredMfa";

/// AdminGetUser requests in flight at once: the limiter sets the pace, this only keeps
/// request latency from holding the export below it.
const IN_FLIGHT: usize = 8;

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

impl<'a> Reader<'a> {
    /// States the cost and ETA (`estimate` users at `rate` per second) before any request.
    pub(super) fn start(gate: Gate<'a>, estimate: Option<u64>, rate: u32, filtered: bool) -> Self {
        let rate = rate.max(1);
        let users = match estimate {
            Some(n) => format!("~{n} requests"),
            None => "as many requests as users (no estimate)".into(),
        };
        let minutes = estimate.map_or(String::new(), |n| {
            let secs = n as f64 / f64::from(rate);
            match secs < 60.0 {
                true => format!(" ≈ {secs:.0} s"),
                false => format!(" ≈ {:.1} min", secs / 60.0),
            }
        });
        let fewer = match filtered {
            true => " (fewer: only the users the filter keeps)",
            false => "",
        };
        output::note(format_args!(
            "--with-mfa: one AdminGetUser per user: {users} at {rate}/s{minutes}{fewer}"
        ));
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
        let answers: Vec<_> = futures::stream::iter(users.iter())
            .map(|u| async move { (u, gate.user_mfa(&u.username).await) })
            .buffered(IN_FLIGHT)
            .collect()
            .await;
        let mut out = Vec::with_capacity(users.len());
        for (u, answer) in answers {
            self.summary.requests += 1;
            match answer.map_err(Err)? {
                Ok(mfa) => out.push(self.count(Mfa::from(mfa))),
                Err(e) if e.kind == ErrorKind::UserNotFound => {
                    self.summary.gone += 1;
                    output::note(format_args!(
                        "--with-mfa: {} was deleted after ListUsers read it; written with \
                         empty MFA fields",
                        crate::sanitize::sanitize(&u.username)
                    ));
                    out.push(Mfa::default());
                }
                Err(e) => return Err(Ok(e)),
            }
        }
        Ok(out)
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

/// The ListUsers item (with its `Groups` when read) and the MFA keys after its own.
pub(super) fn with_mfa_keys<'a, U: serde::Serialize + 'a>(
    user: U,
    mfa: &'a Mfa,
) -> impl serde::Serialize + 'a {
    #[derive(serde::Serialize)]
    struct WithMfa<'a, U: serde::Serialize> {
        #[serde(flatten)]
        user: U,
        #[serde(rename = "MfaSettings")]
        settings: &'a [String],
        #[serde(rename = "PreferredMfa")]
        preferred: Option<&'a str>,
    }
    WithMfa {
        user,
        settings: &mfa.settings,
        preferred: mfa.preferred.as_deref(),
    }
}

/// The user with its MFA as two more attributes, which the MFA columns write. No Cognito
/// attribute has these names: standard ones are lower-case, custom ones `custom:`.
pub(super) fn with_mfa_columns(mut u: UserSummary, mfa: &Mfa) -> UserSummary {
    u.attributes.push(Attribute {
        name: SETTINGS.into(),
        value: Some(mfa.settings.join(",")),
    });
    u.attributes.push(Attribute {
        name: PREFERRED.into(),
        value: mfa.preferred.clone(),
    });
    u
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
