//! The only code that awaits IO for the TUI. It builds the session (after the first frame is
//! drawn, because resolving credentials can take seconds), runs each [`Cmd`] as a job
//! (`jobs.rs`: one async function per command, every request through the audit gate in
//! `gate.rs`), and sends the answers back as [`Msg`]s. Jobs whose answers a newer command
//! would make stale run in latest-wins [`Slot`]s (`slot.rs`): a new lookup stops the one in
//! flight, a new fetch of a list the one of the same list.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use crate::app::{Cmd, Msg, Switched};
use crate::audit::AuditLog;
use crate::cognito::listing::ListKind;
pub use crate::cognito::listing::fetch_list;
use crate::cognito::mfa_code::MfaPrompt;
use crate::cognito::{Backend, PoolId};
use crate::sanitize::sanitize;
use crate::session::{self, SwitchError};

mod allpools;
mod connection;
pub mod gate;
pub mod jobs;
pub mod slot;

use allpools::AllPools;
use connection::Connection;
pub use connection::list_pools;
use gate::{Audit, WriteInFlight};
pub use jobs::{Control, Job, answer, write_csv};
use slot::Slot;

/// Artificial latency for the demo pool; applied by the session to every demo request.
pub use crate::session::DEMO_LATENCY_ENV;

/// How long quitting waits for a write in flight before recording its outcome as `unknown`.
pub const WRITE_GRACE: Duration = Duration::from_secs(5);

/// Starts the worker on the current tokio runtime (without a pool: only the pool picker
/// works until [`Cmd::SwitchPool`]). Drop the sender to stop it.
pub fn spawn(
    target: session::Target,
    pool: Option<PoolId>,
    demo: bool,
    audit: Option<Arc<AuditLog>>,
) -> (UnboundedSender<Cmd>, UnboundedReceiver<Msg>) {
    let (jobs, msgs, _) = spawn_joined(target, pool, demo, audit);
    (jobs, msgs)
}

/// [`spawn`], with the worker's task to give [`wait_until_stopped`] when the app quits.
pub fn spawn_joined(
    target: session::Target,
    pool: Option<PoolId>,
    demo: bool,
    audit: Option<Arc<AuditLog>>,
) -> (UnboundedSender<Cmd>, UnboundedReceiver<Msg>, JoinHandle<()>) {
    let (job_tx, job_rx) = unbounded_channel();
    let (msg_tx, msg_rx) = unbounded_channel();
    let mut target = target;
    let popup = msg_tx.clone();
    // An MFA role of any session this worker builds asks in the app's popup.
    (target.sdk.mfa_prompt).get_or_insert_with(|| {
        MfaPrompt::new(move |request| popup.send(Msg::MfaCodeAsked(request)).is_ok())
    });
    let task = tokio::spawn(async move {
        let (worker, switched) = Worker::start(target, pool, demo, audit, msg_tx).await;
        run(worker, job_rx, switched).await;
    });
    (job_tx, msg_rx, task)
}

/// Waits (bounded) until the worker has stopped: it has audited the lookups it stopped as
/// `superseded` and finished or abandoned the writes in flight, lines the runtime's end
/// would otherwise cut off. Call after the job sender is dropped.
pub async fn wait_until_stopped(worker: JoinHandle<()>) {
    let _ = tokio::time::timeout(WRITE_GRACE + Duration::from_secs(1), worker).await;
}

/// A checked pool, or why not, for the switch `id`.
type SwitchAnswer = (u64, Result<(Connection, Switched), SwitchError>);

/// The loop: commands in order, and the answer of a pool switch running beside them.
async fn run(
    mut worker: Worker,
    mut jobs: UnboundedReceiver<Cmd>,
    mut switched: UnboundedReceiver<SwitchAnswer>,
) {
    loop {
        tokio::select! {
            job = jobs.recv() => match job {
                Some(job) => worker.handle(job).await,
                None => break,
            },
            Some((id, result)) = switched.recv() => worker.switched(id, result),
        }
    }
    worker.stop().await;
}

/// What the worker holds between commands.
struct Worker {
    target: session::Target,
    /// The pool in use (None until one is chosen).
    conn: Option<Connection>,
    /// Lists pools before one is chosen (built on first use).
    lister: Option<Arc<dyn Backend>>,
    audit: Audit,
    msgs: UnboundedSender<Msg>,
    /// A pool switch runs beside the loop, so commands for the pool in use don't wait for
    /// it; the checked connection waits in `prepared` until the UI commits it with UsePool.
    switching: Option<u64>,
    switch: Slot,
    switch_tx: UnboundedSender<SwitchAnswer>,
    prepared: Option<(u64, Connection)>,
    lookup: Slot,
    factors: Slot,
    lists: HashMap<ListKind, Slot>,
    search: Slot,
    paging: Slot,
    pools_page: Slot,
    loading_all: Option<(u64, CancellationToken)>,
    /// Never stopped: once sent, a write's outcome must be audited and shown.
    writes: Vec<WriteInFlight>,
    all_pools: AllPools,
}

impl Worker {
    async fn start(
        target: session::Target,
        pool: Option<PoolId>,
        demo: bool,
        audit: Option<Arc<AuditLog>>,
        msgs: UnboundedSender<Msg>,
    ) -> (Self, UnboundedReceiver<SwitchAnswer>) {
        let audit = Audit::new(audit, msgs.clone());
        let conn = match pool {
            Some(pool) => Some(Connection::open(&target, pool, demo, (&msgs, &audit)).await),
            None => None,
        };
        let (switch_tx, switched) = unbounded_channel();
        let worker = Self {
            target,
            conn,
            lister: None,
            audit,
            msgs,
            switching: None,
            switch: Slot::default(),
            switch_tx,
            prepared: None,
            lookup: Slot::default(),
            factors: Slot::default(),
            lists: HashMap::new(),
            search: Slot::default(),
            paging: Slot::default(),
            pools_page: Slot::default(),
            loading_all: None,
            writes: Vec::new(),
            all_pools: AllPools::default(),
        };
        (worker, switched)
    }

    async fn handle(&mut self, job: Cmd) {
        match job {
            // The clipboard is the terminal's: the terminal loop writes it.
            Cmd::Copy(_) => {}
            // The credential provider waiting for it sends it; nothing here logs it.
            Cmd::AnswerMfa { reply, code } => reply.send(code),
            Cmd::ListPools { id, token } => self.list_pools(id, token).await,
            Cmd::SwitchPool { id, pool } => self.switch_to(id, pool).await,
            Cmd::UsePool { id } => self.use_pool(id).await,
            Cmd::CancelSearch => self.search.cancel(&self.audit).await,
            Cmd::CancelLoadAll { id } => {
                if let Some((_, token)) = self.loading_all.take_if(|(running, _)| *running == id) {
                    token.cancel();
                }
            }
            Cmd::ForgetSearchCache => {
                if let Some(conn) = &self.conn {
                    conn.cache.clear();
                }
            }
            Cmd::LookupAllPools {
                id,
                query,
                mode,
                pools,
            } => {
                let run = allpools::Run {
                    id,
                    query,
                    mode,
                    pools,
                };
                let (target, audit, msgs) = (&self.target, &self.audit, &self.msgs);
                self.all_pools.start(run, target, audit, msgs).await;
            }
            job => self.on_pool(job).await,
        }
    }

    /// A job on the pool in use: in its slot (latest wins), or beside the others.
    async fn on_pool(&mut self, cmd: Cmd) {
        let Some(conn) = &self.conn else {
            tracing::warn!("dropping a request made before a pool was chosen: {cmd:?}");
            return;
        };
        let job = conn.job(&self.audit);
        let mut control = Control::new(self.msgs.clone());
        let msgs = self.msgs.clone();
        let audit = self.audit.clone();
        let slot = match &cmd {
            Cmd::Lookup { .. } => &mut self.lookup,
            Cmd::FetchList { list, .. } => self.lists.entry(*list).or_default(),
            Cmd::FetchAuthFactors { .. } => &mut self.factors,
            Cmd::Search { .. } => &mut self.search,
            Cmd::BrowsePage { .. } => &mut self.paging,
            Cmd::LoadAll { id, .. } => {
                self.paging.cancel(&audit).await;
                if let Some((_, token)) = self.loading_all.take() {
                    token.cancel();
                }
                self.loading_all = Some((*id, control.cancel.clone()));
                tokio::spawn(deliver(job, cmd, control, msgs));
                return;
            }
            Cmd::Write { write, .. } => {
                let event = write.audit_event(&job.session);
                let recorded = control.recorded.clone();
                let task = tokio::spawn(deliver(job, cmd, control, msgs));
                self.writes.retain(|w| !w.task.is_finished());
                self.writes.push(WriteInFlight {
                    task,
                    event,
                    recorded,
                });
                return;
            }
            _ => {
                tokio::spawn(deliver(job, cmd, control, msgs));
                return;
            }
        };
        slot.spawn(&audit, move |owed| {
            control.owed = owed;
            deliver(job, cmd, control, msgs)
        })
        .await;
    }

    /// One page of ListUserPools for the picker (a pool's metadata, not a user: no line).
    async fn list_pools(&mut self, id: u64, token: Option<String>) {
        let backend = connection::lister(self.conn.as_ref(), &mut self.lister, &self.target).await;
        let msgs = self.msgs.clone();
        let list = connection::list_pools(backend, id, token, msgs);
        self.pools_page.spawn(&self.audit, |_| list).await;
    }

    /// Prepares `pool` beside the loop; only the newest switch counts.
    async fn switch_to(&mut self, id: u64, pool: String) {
        self.prepared = None;
        self.switching = Some(id);
        let (target, tx) = (self.target.clone(), self.switch_tx.clone());
        let prepare = async move {
            let result = Connection::prepare(&target, &pool).await;
            let _ = tx.send((id, result));
        };
        self.switch.spawn(&self.audit, |_| prepare).await;
    }

    /// A switch's answer: the checked pool waits for UsePool; the UI is told either way.
    fn switched(&mut self, id: u64, result: Result<(Connection, Switched), SwitchError>) {
        if self.switching != Some(id) {
            return;
        }
        self.switching = None;
        let result = result.map(|(conn, switched)| {
            self.prepared = Some((id, conn));
            switched
        });
        if let Err(e) = &result {
            tracing::warn!("pool switch refused: {}", sanitize(&e.to_string()));
        }
        let _ = self.msgs.send(Msg::PoolSwitched { id, result });
    }

    /// Sends every request from now on to the pool prepared by the switch `id`.
    async fn use_pool(&mut self, id: u64) {
        let Some((_, mut next)) = self.prepared.take_if(|(ready, _)| *ready == id) else {
            tracing::warn!(id, "no prepared pool to use");
            return;
        };
        // Answers for the old pool would be dropped by the UI: stop asking for them.
        self.stop_reads().await;
        // The old connection (its cache and throttle feed) goes first.
        drop(self.conn.take());
        let _ = self.msgs.send(Msg::Throttle(None));
        next.start_throttle(&self.msgs);
        tracing::info!(pool = %next.session.pool, "switched pools");
        // A new connection, a new start line (its credentials were used by the switch's check).
        let (session, audit) = (next.session.clone(), self.audit.clone());
        let turn = connection::start_turn(&session, &audit).await;
        next.records_start(tokio::spawn(async move {
            connection::record_start(&session, &audit, turn, false).await
        }));
        self.conn = Some(next);
    }

    /// Stops every read of the pool in use (writes are never stopped).
    async fn stop_reads(&mut self) {
        let audit = &self.audit;
        for slot in [&mut self.lookup, &mut self.search, &mut self.paging] {
            slot.cancel(audit).await;
        }
        for slot in self.lists.values_mut() {
            slot.cancel(audit).await;
        }
        if let Some((_, token)) = self.loading_all.take() {
            token.cancel();
        }
    }

    /// The job sender is gone: stop what runs, audit what was stopped, finish the writes.
    async fn stop(mut self) {
        self.switch.cancel(&self.audit).await;
        self.pools_page.cancel(&self.audit).await;
        self.stop_reads().await;
        self.all_pools.stop(&self.audit).await;
        let writes = std::mem::take(&mut self.writes);
        gate::finish_writes(writes, &self.audit, WRITE_GRACE).await;
        if let Some(conn) = &mut self.conn {
            conn.finish_start_line().await;
        }
    }
}

/// Runs `cmd`'s job and sends its answer.
async fn deliver(job: Job, cmd: Cmd, control: Control, msgs: UnboundedSender<Msg>) {
    for msg in answer(&job, cmd, &control).await {
        let _ = msgs.send(msg);
    }
}
