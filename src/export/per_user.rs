//! What the per-user options share (`--with-mfa`'s AdminGetUser, `--last-sign-in`'s
//! AdminListUserAuthEvents): one request per user, through the audit gate and the limiter
//! at the operation's own rate; the cost and ETA stated before the first request; requests
//! kept a few in flight (the limiter sets the pace, this only keeps request latency from
//! holding the export below it); a user deleted since ListUsers read it written with empty
//! fields and a note, any other failure ending the export.

use std::future::Future;

use futures::StreamExt;

use crate::cognito::{CognitoError, ErrorKind, UserSummary};
use crate::oneshot::CliError;
use crate::output;

/// Requests in flight at once.
const IN_FLIGHT: usize = 8;

/// One per-user option: its flag and the request it makes for each user.
#[derive(Debug, Clone, Copy)]
pub(super) struct PerUser {
    /// `--with-mfa`.
    pub flag: &'static str,
    /// `AdminGetUser`, as the cost statement names it.
    pub call: &'static str,
    /// What a deleted user is written with, e.g. `empty MFA fields`.
    pub when_gone: &'static str,
}

impl PerUser {
    /// States the cost and ETA (`estimate` users at `rate` per second) on stderr, before any
    /// request; `filtered`: fewer, only the users the filter keeps.
    pub(super) fn state_cost(&self, estimate: Option<u64>, rate: u32, filtered: bool) {
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
            "{}: one {} per user: {users} at {rate}/s{minutes}{fewer}",
            self.flag, self.call
        ));
    }

    /// `fetch` for each of `users`, in order: `None` for a user deleted since ListUsers read
    /// it (said in a note). `Err(Ok)` is a failed request that ends the export, `Err(Err)` an
    /// audit failure.
    pub(super) async fn each<'u, T, F, Fut>(
        &self,
        users: &[&'u UserSummary],
        fetch: F,
    ) -> Result<Vec<Option<T>>, Result<CognitoError, CliError>>
    where
        F: Fn(&'u UserSummary) -> Fut,
        Fut: Future<Output = Result<Result<T, CognitoError>, CliError>>,
    {
        let answers: Vec<_> = futures::stream::iter(users.iter().copied())
            .map(|u| {
                let answer = fetch(u);
                async move { (u, answer.await) }
            })
            .buffered(IN_FLIGHT)
            .collect()
            .await;
        let mut out = Vec::with_capacity(users.len());
        for (u, answer) in answers {
            match answer.map_err(Err)? {
                Ok(value) => out.push(Some(value)),
                Err(e) if e.kind == ErrorKind::UserNotFound => {
                    output::note(format_args!(
                        "{}: {} was deleted after ListUsers read it; written with {}",
                        self.flag,
                        crate::sanitize::sanitize(&u.username),
                        self.when_gone
                    ));
                    out.push(None);
                }
                Err(e) => return Err(Ok(e)),
            }
        }
        Ok(out)
    }
}
