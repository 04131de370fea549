//! Sign-in history (AdminListUserAuthEvents), read as AWS documents it.
//! - Adaptive authentication ("Working with adaptive authentication"): a risk decision `Block`
//!   means that attempt was blocked; in AUDIT mode Cognito only records, so it counts for
//!   nothing; `AccountTakeover` with an MFA challenge is the risk response requiring MFA.
//! - Compromised credentials: `CompromisedCredentialsDetected` on an event.
//! - Lockout ("User pool authentication flow"): Cognito allows five failed sign-in attempts,
//!   then locks sign-in for 1 s, doubling with each further failure up to about 15 minutes;
//!   about 15 minutes without attempts resets it.

use time::{Duration, OffsetDateTime};

use super::recovery::password_fix;
use super::{Builder, Code, Draft, Inputs, Severity, rules, span};
use crate::cognito::{AuthEvent, PoolSchema};
use crate::time::rfc3339;

/// Sign-in attempts this recent count as `recent_failures`.
pub const FAILURE_WINDOW: Duration = Duration::hours(24);
/// Risk and leaked-credential events this recent are read.
pub const RISK_WINDOW: Duration = Duration::days(7);
/// Failed attempts Cognito allows before the lockout starts.
pub const LOCKOUT_AFTER: usize = 5;
/// The documented ceiling of one lockout, and the quiet time that resets the count.
pub const LOCKOUT_MAX: Duration = Duration::minutes(15);

/// H1–H7.
pub(super) fn check(d: &mut Builder, inputs: &Inputs<'_>) {
    let pool = inputs.pool;
    let Some(events) = available(d, pool, inputs.events) else {
        return;
    };
    let audit = pool.and_then(|p| p.advanced_security_mode.as_deref()) == Some("AUDIT");
    let mut sign_ins: Vec<(&AuthEvent, OffsetDateTime)> = events
        .iter()
        .filter(|e| e.event_type.as_deref() == Some("SignIn"))
        .filter_map(|e| e.created.map(|t| (e, t)))
        .collect();
    sign_ins.sort_by_key(|(_, t)| *t);
    if !audit {
        risk_block(d, inputs, &sign_ins);
    }
    risk_mfa(d, inputs.now, &sign_ins);
    leaked(d, inputs, events, audit);
    failures(d, inputs, &sign_ins);
}

/// The events to read, or None after saying why there are none.
fn available<'a>(
    d: &mut Builder,
    pool: Option<&PoolSchema>,
    events: Option<&'a [AuthEvent]>,
) -> Option<&'a [AuthEvent]> {
    // The lockout is read from the same failures as recent_failures: one name for both.
    const HISTORY_CODES: [Code; 2] = [Code::BlockedByRisk, Code::RecentFailures];
    match (pool.map(PoolSchema::threat_protection), events) {
        (Some(false), _) => {
            let pool = pool.expect("matched Some");
            no_history(d, pool);
            None
        }
        (_, Some(events)) => Some(events),
        (Some(true), None) => {
            d.unsure = true;
            HISTORY_CODES.into_iter().for_each(|c| d.skip(c));
            d.add(Draft {
                rule: &rules::HISTORY_NOT_LOADED,
                code: Code::SignInHistoryNotLoaded,
                severity: Severity::Info,
                headline: "sign-in history not loaded".into(),
                message: "The pool has threat protection, but its sign-in history \
                          (AdminListUserAuthEvents) was not loaded, so risk blocks, lockout and \
                          failed sign-ins were not checked."
                    .into(),
                fix: "Load the sign-in history and diagnose again.".into(),
                remedy: "load the sign-in history",
                action: None,
            });
            None
        }
        (None, None) => {
            d.unsure = true;
            HISTORY_CODES.into_iter().for_each(|c| d.skip(c));
            None
        }
    }
}

/// H6: no threat protection, so no history; the plan says whether it can be had.
fn no_history(d: &mut Builder, pool: &PoolSchema) {
    let mode = pool.advanced_security_mode.as_deref().unwrap_or("absent");
    let plan = match pool.tier.as_deref() {
        Some("PLUS") | None => String::new(),
        Some(tier) => format!(
            " Threat protection needs the Plus plan; this pool is on {tier} (UserPoolTier)."
        ),
    };
    d.add(Draft {
        rule: &rules::NO_HISTORY,
        code: Code::NoSignInHistory,
        severity: Severity::Info,
        headline: "no sign-in history".into(),
        message: format!(
            "Threat protection is off (AdvancedSecurityMode={mode}), so Cognito keeps no \
             sign-in history: risk blocks, lockout and failed attempts can't be checked.{plan}"
        ),
        fix: "Ask the user what the app says when sign-in fails.".into(),
        remedy: "ask the user what the app says",
        action: None,
    });
}

/// H1: the latest sign-in attempt was blocked (ENFORCED only).
fn risk_block(d: &mut Builder, inputs: &Inputs<'_>, sign_ins: &[(&AuthEvent, OffsetDateTime)]) {
    let Some((latest, at)) = sign_ins.last() else {
        return;
    };
    if latest.risk_decision.as_deref() != Some("Block") || inputs.now - *at > RISK_WINDOW {
        return;
    }
    let ago = span(inputs.now - *at);
    let (reset, _) = password_fix(inputs.user, inputs.pool);
    d.add(Draft {
        rule: &rules::RISK_BLOCK,
        code: Code::BlockedByRisk,
        severity: Severity::Warning,
        headline: format!("threat protection blocked the last sign-in, {ago} ago"),
        message: format!(
            "The latest sign-in attempt ({}, {ago} ago) had the risk decision Block: adaptive \
             authentication refused that attempt. The next attempt is judged afresh; from the \
             same device and place it may be blocked again.",
            rfc3339(*at)
        ),
        fix: format!(
            "If it was the user, mark the event valid (AdminUpdateAuthEventFeedback, \
             FeedbackValue=Valid) so Cognito learns the context is theirs. If it wasn't, mark it \
             invalid and have the password replaced: {reset}"
        ),
        remedy: "mark the event valid if it was the user",
        action: None,
    });
}

/// H2: the account-takeover response asked for MFA.
fn risk_mfa(d: &mut Builder, now: OffsetDateTime, sign_ins: &[(&AuthEvent, OffsetDateTime)]) {
    let asked = sign_ins.iter().rev().find(|(e, t)| {
        e.risk_decision.as_deref() == Some("AccountTakeover")
            && e.challenges.iter().any(|c| c.starts_with("Mfa"))
            && now - *t <= RISK_WINDOW
    });
    let Some((event, at)) = asked else {
        return;
    };
    let outcome = match event.response.as_deref() {
        Some("Pass") => "the user passed it",
        Some("Fail") => "the attempt failed",
        _ => "its outcome is not recorded",
    };
    d.add(Draft {
        rule: &rules::RISK_MFA,
        code: Code::RiskRequiredMfa,
        severity: Severity::Info,
        headline: "the risk response required MFA".into(),
        message: format!(
            "A sign-in at {} had the risk decision AccountTakeover and an MFA challenge: the \
             pool's account-takeover response required MFA, and {outcome}.",
            rfc3339(*at)
        ),
        fix: "Nothing to undo: the user answers the MFA challenge when the risk is high. If \
              they can't, check their MFA factors (MFA pane)."
            .into(),
        remedy: "the user answers the MFA challenge",
        action: None,
    });
}

/// H3: leaked credentials.
fn leaked(d: &mut Builder, inputs: &Inputs<'_>, events: &[AuthEvent], audit: bool) {
    let latest = events
        .iter()
        .filter(|e| e.compromised_credentials == Some(true))
        .filter_map(|e| e.created)
        .filter(|t| inputs.now - *t <= RISK_WINDOW)
        .max();
    let Some(at) = latest else {
        return;
    };
    let (fix, remedy) = password_fix(inputs.user, inputs.pool);
    d.add(Draft {
        rule: &rules::LEAKED_PASSWORD,
        code: Code::CompromisedCredentials,
        severity: if audit {
            Severity::Info
        } else {
            Severity::Warning
        },
        headline: "the password was found among leaked credentials".into(),
        message: format!(
            "An event at {} has CompromisedCredentialsDetected=true: Cognito found the \
             password among leaked credentials{}.",
            rfc3339(at),
            if audit {
                "; in AUDIT mode it only records this"
            } else {
                ", and blocks sign-in with it where the pool's compromised-credentials action \
                 is Block"
            }
        ),
        fix,
        remedy,
        action: None,
    });
}

/// H4 (locked out now) and H5 (failures without a lockout in force).
fn failures(d: &mut Builder, inputs: &Inputs<'_>, sign_ins: &[(&AuthEvent, OffsetDateTime)]) {
    let now = inputs.now;
    let streak = failure_streak(sign_ins);
    if let (Some(&last), n) = (streak.last(), streak.len())
        && n >= LOCKOUT_AFTER
        && now - last < LOCKOUT_MAX
    {
        let until = last + lockout(n);
        if now < until {
            return locked_out(d, inputs, n, last, until);
        }
    }
    let failed: Vec<OffsetDateTime> = sign_ins
        .iter()
        // A blocked attempt is blocked_by_risk's, not a wrong password.
        .filter(|(e, t)| {
            e.response.as_deref() == Some("Fail")
                && e.risk_decision.as_deref() != Some("Block")
                && now - *t <= FAILURE_WINDOW
        })
        .map(|(_, t)| *t)
        .collect();
    let Some(&latest) = failed.iter().max() else {
        return;
    };
    let n = failed.len();
    let counting = if streak.len() >= LOCKOUT_AFTER && now - latest < LOCKOUT_MAX {
        format!(
            " Cognito's lockout count is running: the next failed attempt locks sign-in for \
             about {}; it resets about {} if no attempt is made.",
            span(lockout(streak.len() + 1)),
            hh_mm(latest + LOCKOUT_MAX)
        )
    } else {
        String::new()
    };
    let (reset, remedy) = password_fix(inputs.user, inputs.pool);
    let s = if n == 1 { "" } else { "s" };
    d.add(Draft {
        rule: &rules::FAILURES,
        code: Code::RecentFailures,
        severity: Severity::Warning,
        headline: format!("{n} failed sign-in{s} in the last 24 hours"),
        message: format!(
            "{n} sign-in{s} failed in the last 24 hours (latest {}, {} ago).{counting}",
            rfc3339(latest),
            span(now - latest)
        ),
        fix: format!(
            "Most often a wrong password or username. If the user has forgotten the password: \
             {reset} After five failures Cognito locks sign-in for a while, so wait between \
             attempts."
        ),
        remedy,
        action: None,
    });
}

/// The failed attempts of the current run: the latest sign-ins back to the last success or
/// a quiet gap of 15 minutes, oldest first. Risk-blocked attempts are not password failures.
fn failure_streak(sign_ins: &[(&AuthEvent, OffsetDateTime)]) -> Vec<OffsetDateTime> {
    let mut streak: Vec<OffsetDateTime> = Vec::new();
    for (e, t) in sign_ins.iter().rev() {
        if e.response.as_deref() != Some("Fail") {
            break;
        }
        if e.risk_decision.as_deref() == Some("Block") {
            continue;
        }
        if streak
            .last()
            .is_some_and(|later| *later - *t >= LOCKOUT_MAX)
        {
            break;
        }
        streak.push(*t);
    }
    streak.reverse();
    streak
}

/// The lockout after the `n`th failure in a run (n ≥ 5): 1 s after the fifth, doubling, at
/// most about 15 minutes.
pub fn lockout(n: usize) -> Duration {
    let doublings = u32::try_from(n.saturating_sub(LOCKOUT_AFTER)).unwrap_or(u32::MAX);
    let seconds = 1i64.checked_shl(doublings.min(20)).unwrap_or(i64::MAX);
    Duration::seconds(seconds).min(LOCKOUT_MAX)
}

/// `14:05 UTC`.
fn hh_mm(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    format!("{:02}:{:02} UTC", t.hour(), t.minute())
}

fn locked_out(
    d: &mut Builder,
    inputs: &Inputs<'_>,
    n: usize,
    last: OffsetDateTime,
    until: OffsetDateTime,
) {
    let (reset, _) = password_fix(inputs.user, inputs.pool);
    d.add(Draft {
        rule: &rules::LOCKOUT,
        code: Code::LockedOut,
        severity: Severity::Blocker,
        headline: format!("locked out until about {}", hh_mm(until)),
        message: format!(
            "{n} failed sign-ins in a row, the latest at {}: after five, Cognito locks sign-in \
             for 1 s, doubling with each further failure up to about 15 minutes, so this one \
             runs until about {} ({} from the last failure). Attempts during it are ignored, \
             and another failure after it doubles it again.",
            rfc3339(last),
            rfc3339(until),
            span(until - last)
        ),
        fix: format!(
            "Wait until about {} and try once, carefully. If the password is forgotten: {reset}",
            hh_mm(until)
        ),
        remedy: "wait for the lockout to end",
        action: None,
    });
}
