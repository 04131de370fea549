//! The all-pools lookups (`A`): the current query in every named pool of the config, each with
//! its own session (profile, Region, limiter), kept for the next run, and one audit line per
//! pool naming them.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::sync::mpsc::UnboundedSender;

use super::gate::{Audit, OwedLine, audited};
use super::slot::Slot;
use crate::app::Msg;
use crate::audit::AuditEvent;
use crate::cognito::lookup::{self, LookupError, LookupMode};
use crate::sanitize::sanitize;
use crate::session::{self, Session, SessionError, Target};

/// The sessions of the config's named pools, by name (built once, then reused).
type NamedSessions = Arc<Mutex<HashMap<String, Session>>>;

/// The all-pools lookups: the sessions kept and the lookups still out.
#[derive(Default)]
pub struct AllPools {
    sessions: NamedSessions,
    running: Vec<Slot>,
}

/// One run: the query, and where answers and audit lines go.
pub struct Run {
    pub id: u64,
    pub query: String,
    pub mode: LookupMode,
    pub pools: Vec<String>,
}

impl AllPools {
    /// Starts a run, replacing the one before (its popup rows are gone).
    pub async fn start(
        &mut self,
        run: Run,
        target: &Target,
        audit: &Audit,
        msgs: &UnboundedSender<Msg>,
    ) {
        self.stop(audit).await;
        for name in run.pools {
            let lookup = NamedPoolLookup {
                target: target.clone(),
                sessions: self.sessions.clone(),
                id: run.id,
                name,
                query: run.query.clone(),
                mode: run.mode,
                audit: audit.clone(),
                msgs: msgs.clone(),
            };
            let mut slot = Slot::default();
            slot.spawn(audit, |owed| lookup.run(owed)).await;
            self.running.push(slot);
        }
    }

    /// Stops the run's lookups; one whose requests may have reached Cognito and that had not
    /// recorded its answer is audited `superseded`, as a replaced single lookup is.
    pub async fn stop(&mut self, audit: &Audit) {
        for mut slot in self.running.drain(..) {
            slot.cancel(audit).await;
        }
    }
}

/// The session for the named pool `name` (built once, then reused).
async fn named_session(
    target: &Target,
    sessions: &NamedSessions,
    name: &str,
) -> Result<Session, SessionError> {
    if let Some(session) = sessions.lock().expect("not poisoned").get(name) {
        return Ok(session.clone());
    }
    let session = target.connect_to(name).await?;
    (sessions.lock().expect("not poisoned")).insert(name.to_string(), session.clone());
    Ok(session)
}

/// One named pool's lookup of an all-pools run.
struct NamedPoolLookup {
    target: session::Target,
    sessions: NamedSessions,
    id: u64,
    /// The config's name for the pool.
    name: String,
    query: String,
    mode: LookupMode,
    audit: Audit,
    msgs: UnboundedSender<Msg>,
}

impl NamedPoolLookup {
    /// Looks the query up with the pool's own profile, Region and limiter, records one audit
    /// line naming them, and answers with [`Msg::PoolLookupDone`].
    async fn run(self, owed: OwedLine) {
        let (id, name) = (self.id, self.name.clone());
        let session = match named_session(&self.target, &self.sessions, &name).await {
            Ok(session) => session,
            Err(e) => {
                let (pool, why) = (sanitize(&name), sanitize(&e.to_string()).into_owned());
                tracing::info!(id, %pool, "all-pools: pool not usable: {why}");
                let result = Err(LookupError::Refused(format!("pool {name}: {e}")));
                let _ = self.msgs.send(Msg::PoolLookupDone {
                    id,
                    pool: name,
                    session: None,
                    result,
                });
                return;
            }
        };
        let (query, mode) = (&self.query, self.mode);
        let mut event = AuditEvent::new("lookup", &session);
        event.query = Some(query.clone());
        let line = |event: AuditEvent, result: &Result<_, _>| event.lookup(query, result);
        let resolve = audited(
            &self.audit,
            event,
            Some(&owed),
            async {
                lookup::lookup(session.backend.as_ref(), &session.pool, query, mode, None).await
            },
            line,
        );
        let result = match resolve.await {
            Ok(result) => result,
            Err(not_sent) => Err(LookupError::Refused(not_sent.to_string())),
        };
        tracing::info!(id, pool = %session.pool, "all-pools lookup answered");
        let _ = self.msgs.send(Msg::PoolLookupDone {
            id,
            pool: name,
            session: Some(session.info),
            result,
        });
    }
}
