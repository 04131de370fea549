//! `export --last-sign-in`: one AdminListUserAuthEvents with MaxResults 1 per user, through
//! the audit gate (one `get_last_sign_in` line each) and the limiter at the
//! user_resource_read rate — the category "Quotas in Amazon Cognito" (API operation
//! categories) gives AdminListUserAuthEvents, with the other per-user resource reads. The
//! user's history is kept only where threat protection is on: AdminListUserAuthEvents
//! "Requests a history of user activity and any risks detected as part of Amazon Cognito
//! threat protection" and otherwise answers UserPoolAddOnNotEnabledException
//! (AdminListUserAuthEvents, Amazon Cognito API Reference); threat protection is a feature of
//! the Plus plan ("User pool feature plans", Amazon Cognito Developer Guide), on in
//! UserPoolAddOns.AdvancedSecurityMode AUDIT or ENFORCED ("Threat protection"). So a pool
//! without it is refused before the scan, with why.
//!
//! `LastSignIn` is the newest event's CreationDate (RFC 3339, UTC; null or empty when the user
//! has none). The history lists every auth event, newest first — a failed sign-in, a password
//! change or a sign-up as well as a sign-in — so it is when the user last *tried*.

use time::OffsetDateTime;

use super::per_user::PerUser;
use crate::cognito::{CognitoError, ErrorKind, PoolSchema, UserSummary};
use crate::filter::Field;
use crate::oneshot::CliError;
use crate::oneshot::gate::Gate;
use crate::output;

/// The key (JSON), column (CSV/TSV) and `--where` name of the last sign-in.
pub(super) const COLUMN: &str = "LastSignIn";

/// `--last-sign-in` among the per-user options.
const PER_USER: PerUser = PerUser {
    flag: "--last-sign-in",
    call: "AdminListUserAuthEvents (MaxResults 1)",
    when_gone: "an empty LastSignIn",
};

/// `LastSignIn` as `--where` names it.
pub(super) fn field() -> Field {
    Field::Attribute(COLUMN.into())
}

/// Why `--last-sign-in` can't run on a pool with these settings, if it can't.
pub(super) fn refusal(schema: &PoolSchema) -> Option<String> {
    let tier = schema.tier.as_deref();
    let mode = schema.advanced_security_mode.as_deref().unwrap_or("OFF");
    if let Some(plan) = tier.filter(|t| !t.eq_ignore_ascii_case("PLUS")) {
        return Some(format!(
            "--last-sign-in reads each user's sign-in history, which Cognito keeps only with \
             threat protection, a feature of the Plus plan; this pool is on the {plan} plan \
             (\"User pool feature plans\", Amazon Cognito Developer Guide)"
        ));
    }
    (!schema.threat_protection()).then(|| {
        format!(
            "--last-sign-in reads each user's sign-in history, which Cognito keeps only with \
             threat protection on; this pool's AdvancedSecurityMode is {mode} (turn it to \
             AUDIT or ENFORCED: \"Threat protection\", Amazon Cognito Developer Guide)"
        )
    })
}

/// The refusal when AdminListUserAuthEvents itself says the add-on is off (a pool whose
/// DescribeUserPool did not say): the same usage error, with Cognito's word for it.
pub(super) fn not_enabled(error: &CognitoError) -> Option<CliError> {
    (error.kind == ErrorKind::NotEnabled).then(|| {
        CliError::usage(format!(
            "--last-sign-in: Cognito answered {} to AdminListUserAuthEvents: this pool keeps \
             no sign-in history without threat protection (Plus plan, AdvancedSecurityMode \
             AUDIT or ENFORCED)",
            error
                .exception
                .as_deref()
                .unwrap_or("UserPoolAddOnNotEnabledException")
        ))
    })
}

/// The `--last-sign-in` reader: the gate, and what it has read so far.
pub(super) struct Reader<'a> {
    gate: Gate<'a>,
    requests: u64,
    found: u64,
    none: u64,
    gone: u64,
}

impl<'a> Reader<'a> {
    /// States the cost and ETA (`estimate` users at `rate` per second) before any request.
    pub(super) fn start(gate: Gate<'a>, estimate: Option<u64>, rate: u32, filtered: bool) -> Self {
        PER_USER.state_cost(estimate, rate, filtered);
        Self {
            gate,
            requests: 0,
            found: 0,
            none: 0,
            gone: 0,
        }
    }

    /// Each of `users`' last sign-in, in order (`None`: no event, or deleted since ListUsers
    /// read it). `Err(Ok)` is a failed request that ends the export, `Err(Err)` an audit
    /// failure.
    pub(super) async fn read(
        &mut self,
        users: &[&UserSummary],
    ) -> Result<Vec<Option<OffsetDateTime>>, Result<CognitoError, CliError>> {
        let gate = self.gate;
        let read = PER_USER
            .each(users, |u| gate.last_sign_in(&u.username))
            .await?;
        self.requests += users.len() as u64;
        Ok((read.into_iter())
            .map(|last| {
                match last {
                    Some(Some(_)) => self.found += 1,
                    Some(None) => self.none += 1,
                    None => self.gone += 1,
                }
                last.flatten()
            })
            .collect())
    }

    /// The closing summary, on stderr.
    pub(super) fn report(&self) {
        let gone = match self.gone {
            0 => String::new(),
            n => format!(", {n} deleted during the export"),
        };
        output::note(format_args!(
            "--last-sign-in: {} AdminListUserAuthEvents requests; {} users with an auth event \
             on record, {} with none{gone}",
            self.requests, self.found, self.none
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plans_and_modes_without_history_are_refused() {
        let pool = |tier: Option<&str>, mode: Option<&str>| PoolSchema {
            tier: tier.map(str::to_string),
            advanced_security_mode: mode.map(str::to_string),
            ..PoolSchema::default()
        };
        assert_eq!(refusal(&pool(Some("PLUS"), Some("AUDIT"))), None);
        assert_eq!(refusal(&pool(None, Some("ENFORCED"))), None);
        let lite = refusal(&pool(Some("LITE"), Some("OFF"))).unwrap();
        assert!(lite.contains("on the LITE plan"), "{lite}");
        let off = refusal(&pool(Some("PLUS"), Some("OFF"))).unwrap();
        assert!(off.contains("AdvancedSecurityMode is OFF"), "{off}");
        assert!(refusal(&pool(None, None)).unwrap().contains("is OFF"));
    }
}
