//! Administrator-created users (FORCE_CHANGE_PASSWORD). AWS ("Creating user accounts as
//! administrator"; AdminCreateUserConfigType): the temporary password works for the first
//! sign-in only, for TemporaryPasswordValidityDays, else the legacy UnusedAccountValidityDays
//! while a pool still has it, else 7 days; after that only AdminCreateUser with
//! MessageAction=RESEND helps. "Forgot password" is refused in this state.
//!
//! The date it was sent is read from UserLastModifiedDate, which attribute edits also move, so
//! the expiry computed from it is the latest it can be: "at the latest".

use time::Duration;

use super::{Builder, Code, Draft, Inputs, Severity, rules, span};
use crate::cognito::{InviteDelivery, UserStatus, WriteAction};
use crate::time::rfc3339;

const INVITE_FIX: &str = "Resend the invitation (AdminCreateUser with MessageAction=RESEND): \
                          it sends a new temporary password";

const ONCE: &str = "The temporary password works for one sign-in, at which the user must \
                    choose a new password; “Forgot password” is refused while the status is \
                    FORCE_CHANGE_PASSWORD.";

/// I1 and I2.
pub(super) fn check(d: &mut Builder, inputs: &Inputs<'_>) {
    let user = inputs.user;
    if user.status != Some(UserStatus::ForceChangePassword) {
        return;
    }
    let sent = user
        .last_modified
        .map(|t| (t, "UserLastModifiedDate"))
        .or(user.created.map(|t| (t, "UserCreateDate")));
    let (Some(pool), Some((sent, field))) = (inputs.pool, sent) else {
        d.unsure = true;
        d.skip(Code::TemporaryPasswordExpired);
        d.add(Draft {
            rule: &rules::INVITED,
            code: Code::MustChangePassword,
            severity: Severity::Info,
            headline: "must set a new password at first sign-in".into(),
            message: format!(
                "UserStatus=FORCE_CHANGE_PASSWORD. {ONCE} Whether it expired can't be told \
                 without {}.",
                if sent.is_none() {
                    "UserLastModifiedDate or UserCreateDate"
                } else {
                    "the pool's TemporaryPasswordValidityDays"
                }
            ),
            fix: format!("If the invitation is lost or old: {INVITE_FIX}."),
            remedy: "resend the invitation if it is lost",
            action: None,
        });
        return;
    };
    let (days, setting) = pool.invitation_validity();
    // Saturates at the last date `time` holds: `+` panics past it (a date of 9999-12-31).
    let expires = sent
        .checked_add(Duration::days(i64::from(days)))
        .unwrap_or(time::PrimitiveDateTime::MAX.assume_utc());
    let basis = format!(
        "the invitation was last sent at the latest {} ({field}, which attribute edits also \
         move) and this pool's temporary passwords last {days} days ({setting})",
        rfc3339(sent),
    );
    let now = inputs.now;
    if now >= expires {
        let ago = span(now - expires);
        d.add(Draft {
            rule: &rules::INVITATION_EXPIRED,
            code: Code::TemporaryPasswordExpired,
            severity: Severity::Blocker,
            headline: format!("temporary password expired {ago} ago at the latest"),
            message: format!(
                "UserStatus=FORCE_CHANGE_PASSWORD, {basis}: it expired {} at the latest ({ago} \
                 ago).",
                rfc3339(expires)
            ),
            fix: format!("{INVITE_FIX}, valid {days} days."),
            remedy: "resend the invitation",
            action: InviteDelivery::for_user(user).map(WriteAction::ResendInvitation),
        });
    } else {
        d.add(Draft {
            rule: &rules::INVITED,
            code: Code::MustChangePassword,
            severity: Severity::Info,
            headline: "must set a new password at first sign-in".into(),
            message: format!(
                "UserStatus=FORCE_CHANGE_PASSWORD, {basis}: the temporary password works until \
                 {} at the latest ({} left). {ONCE}",
                rfc3339(expires),
                span(expires - now)
            ),
            fix: format!(
                "The user signs in with the temporary password from the invitation. If it is \
                 lost: {INVITE_FIX}."
            ),
            remedy: "the user signs in with the invitation's temporary password",
            action: None,
        });
    }
}
