//! The model joined to a real worker, as the terminal loop joins them: commands go to the
//! worker, its messages back through `update`.
#![allow(dead_code)]

use std::sync::Arc;
use std::time::Duration;

use cognito_tui::app::{App, Cmd, Msg, update};
use cognito_tui::audit::AuditLog;
use cognito_tui::cognito::PoolId;
use cognito_tui::session::Target;
use cognito_tui::worker;
use crossterm::event::KeyCode;
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender};

use super::app::{ch, key, typed};

/// How long `until` waits for the worker: generous for a loaded 2-core CI machine.
const WAIT: Duration = Duration::from_secs(30);

/// `app` and the worker for `target`.
pub struct Joined {
    pub app: App,
    jobs: UnboundedSender<Cmd>,
    msgs: UnboundedReceiver<Msg>,
    /// Every command the model has sent, in order.
    pub sent: Vec<Cmd>,
}

impl Joined {
    /// Starts the worker for `target` (as `worker::spawn` takes it) beside `app`.
    pub fn spawn(
        app: App,
        target: Target,
        pool: Option<PoolId>,
        demo: bool,
        audit: Option<Arc<AuditLog>>,
    ) -> Self {
        let (jobs, msgs) = worker::spawn(target, pool, demo, audit);
        Self {
            app,
            jobs,
            msgs,
            sent: Vec::new(),
        }
    }

    /// Feeds `msgs` to the model and every command it gives to the worker.
    pub fn send(&mut self, msgs: impl IntoIterator<Item = Msg>) {
        for msg in msgs {
            for cmd in update(&mut self.app, msg) {
                self.sent.push(cmd.clone());
                self.jobs.send(cmd).expect("worker running");
            }
        }
    }

    /// Feeds the worker's messages to the model until `done` has been true `times` times.
    pub async fn until_n(&mut self, what: &str, times: usize, done: impl Fn(&Msg) -> bool) {
        let wait = async {
            let mut seen = 0;
            while seen < times {
                let msg = self.msgs.recv().await.expect("worker running");
                seen += usize::from(done(&msg));
                self.send([msg]);
            }
        };
        tokio::time::timeout(WAIT, wait)
            .await
            .unwrap_or_else(|_| panic!("timed out waiting for {what}"));
    }

    /// Feeds the worker's messages to the model until one satisfies `done` (fed too).
    pub async fn until(&mut self, what: &str, done: impl Fn(&Msg) -> bool) {
        self.until_n(what, 1, done).await
    }

    /// Sends `cmd` to the worker as it is (not through the model) and returns the first
    /// message satisfying `done`; the messages before it are fed to the model.
    pub async fn ask(&mut self, cmd: Cmd, done: impl Fn(&Msg) -> bool) -> Msg {
        self.jobs.send(cmd).expect("worker running");
        let wait = async {
            loop {
                let msg = self.msgs.recv().await.expect("worker running");
                if done(&msg) {
                    return msg;
                }
                self.send([msg]);
            }
        };
        tokio::time::timeout(WAIT, wait)
            .await
            .expect("timed out waiting for the worker's answer")
    }

    /// `/ QUERY Enter`, answered.
    pub async fn look_up(&mut self, query: &str) {
        self.send([ch('/')]);
        self.send(typed(query));
        self.send([key(KeyCode::Enter)]);
        self.until("the lookup", |m| matches!(m, Msg::LookupDone { .. }))
            .await;
    }
}
