//! The one write value. A write is made when its confirmation opens, from what that
//! confirmation shows — the pool, the user on screen (username *and* sub), the call and its
//! arguments — and from then on it is a value nothing can change: a pool switch in flight, a
//! refresh or a late answer can't retarget it. The worker sends it only to its own pool (a
//! write for any other pool than the one in use is refused, not sent), its audit lines are
//! made from it, and its result names it ("✓ disabled alice in w1").
//!
//! A new write action is a new [`WriteAction`] variant: the value carries it unchanged.

use crate::audit::AuditEvent;
use crate::cognito::{CognitoError, ErrorKind, WriteAction};
use crate::session::Session;

/// One confirmed write: where it goes, to whom, and what it does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Write {
    /// The id of the pool it is for (the pool on screen when the confirmation opened).
    pub pool: String,
    /// That pool as the confirmation named it, `name (id)` (unsanitized), for the result.
    pub pool_label: String,
    /// The user's username, as the confirmation named it.
    pub username: String,
    /// The user's `sub`, when known: the audit line records who it was, even after a rename.
    pub sub: Option<String>,
    /// The call and its arguments.
    pub action: WriteAction,
}

impl Write {
    /// The event its attempt and outcome lines carry (before the phase is set).
    pub fn audit_event(&self, session: &Session) -> AuditEvent {
        let mut event = AuditEvent::new(self.action.audit_name(), session);
        event.pool = self.pool.clone();
        event.username = Some(self.username.clone());
        event.sub = self.sub.clone();
        event.group = self.action.audit_detail().map(str::to_string);
        event
    }

    /// Refuses the write unless `session` is on its pool: a write is never sent anywhere
    /// but where it was confirmed.
    pub fn check_target(&self, session: &Session) -> Result<(), CognitoError> {
        if session.pool.as_str() == self.pool {
            return Ok(());
        }
        Err(CognitoError::new(
            ErrorKind::Configuration,
            self.action.operation(),
            format!(
                "not sent: it was confirmed for pool {}, and pool {} is in use now",
                self.pool, session.pool
            ),
        ))
    }

    /// The one request: this action on this user, through `session`'s writer (refused
    /// locally without one). Called only by the worker's audit gate.
    pub async fn request(&self, session: &Session) -> Result<(), CognitoError> {
        self.check_target(session)?;
        // Reset MFA is two requests, each through the layers as its own operation.
        for step in self.action.steps() {
            session.write(&self.username, step).await?;
        }
        Ok(())
    }
}
