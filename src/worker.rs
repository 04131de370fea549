//! The only code that awaits IO. It builds the session (after the first frame is drawn,
//! because resolving credentials can take seconds), runs lookups and sends the answers back
//! as [`Msg`]s. A new lookup aborts the one in flight: its answer would be dropped anyway,
//! and Cognito's rate quota is shared with production.

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};
use tokio::task::JoinHandle;

use crate::app::{Cmd, Msg, SessionInfo};
use crate::cli::TargetArgs;
use crate::cognito::PoolId;
use crate::cognito::lookup;
use crate::sanitize::sanitize;
use crate::session;

/// Artificial latency for the demo pool, in milliseconds, to see the spinner (default 0).
pub const DEMO_LATENCY_ENV: &str = "COGNITO_TUI_DEMO_LATENCY_MS";

/// Starts the worker on the current tokio runtime. Drop the sender to stop it.
pub fn spawn(
    args: TargetArgs,
    pool: PoolId,
    demo: bool,
) -> (UnboundedSender<Cmd>, UnboundedReceiver<Msg>) {
    let (job_tx, job_rx) = unbounded_channel();
    let (msg_tx, msg_rx) = unbounded_channel();
    let latency = demo
        .then(|| std::env::var(DEMO_LATENCY_ENV).ok())
        .flatten()
        .and_then(|v| v.parse::<u64>().ok())
        .map(Duration::from_millis)
        .filter(|d| !d.is_zero());
    tokio::spawn(run(args, pool, demo, latency, job_rx, msg_tx));
    (job_tx, msg_rx)
}

async fn run(
    args: TargetArgs,
    pool: PoolId,
    demo: bool,
    latency: Option<Duration>,
    mut jobs: UnboundedReceiver<Cmd>,
    msgs: UnboundedSender<Msg>,
) {
    let session = session::connect(&args, pool, demo).await;
    tracing::info!(pool = %session.pool, target = %session.target, "connected");
    let _ = msgs.send(Msg::Connected(SessionInfo::from_session(&session)));

    // DescribeUserPool once, in the background, so lookups can skip a redundant ListUsers.
    // Many support roles may not call it; then lookups simply go without.
    let schema = Arc::new(OnceLock::new());
    {
        let (backend, pool, schema) = (
            session.backend.clone(),
            session.pool.clone(),
            schema.clone(),
        );
        tokio::spawn(async move {
            match backend.describe_pool(&pool).await {
                Ok(s) => {
                    let _ = schema.set(s);
                }
                Err(e) => tracing::info!("DescribeUserPool unavailable, continuing without: {e}"),
            }
        });
    }

    let mut in_flight: Option<JoinHandle<()>> = None;
    while let Some(job) = jobs.recv().await {
        match job {
            Cmd::Lookup { id, query, mode } => {
                if let Some(previous) = in_flight.take() {
                    previous.abort();
                }
                let (session, schema, msgs) = (session.clone(), schema.clone(), msgs.clone());
                in_flight = Some(tokio::spawn(async move {
                    if let Some(latency) = latency {
                        tokio::time::sleep(latency).await;
                    }
                    let result = lookup::lookup(
                        session.backend.as_ref(),
                        &session.pool,
                        &query,
                        mode,
                        schema.get(),
                    )
                    .await;
                    match &result {
                        Ok(_) => tracing::info!(id, mode = mode.label(), "lookup answered"),
                        Err(e) => tracing::info!(
                            id,
                            mode = mode.label(),
                            "lookup failed: {}",
                            sanitize(&e.to_string())
                        ),
                    }
                    let _ = msgs.send(Msg::LookupDone { id, result });
                }));
            }
            // The clipboard is the terminal's: the terminal loop writes it.
            Cmd::Copy(_) => {}
        }
    }
    if let Some(task) = in_flight {
        task.abort();
    }
}
