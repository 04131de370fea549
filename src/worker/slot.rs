//! A latest-wins task slot (after gitui's `AsyncSingleJob`): spawning into a slot stops the
//! task it held, because that task's answer would be dropped anyway and Cognito's rate
//! quota is shared with production. A stopped read that may already have reached Cognito
//! owes its audit line, which the slot records as `superseded`.

use std::future::Future;

use tokio::task::JoinHandle;

use super::gate::{Audit, OwedLine};

/// At most one running job of a kind.
#[derive(Default)]
pub struct Slot {
    running: Option<(JoinHandle<()>, OwedLine)>,
}

impl Slot {
    /// Stops the job in the slot (see [`Slot::cancel`]), then runs `job` there; `job` is
    /// given the line it owes while its requests are out.
    pub async fn spawn<F, Fut>(&mut self, audit: &Audit, job: F)
    where
        F: FnOnce(OwedLine) -> Fut,
        Fut: Future<Output = ()> + Send + 'static,
    {
        self.cancel(audit).await;
        let owed = OwedLine::default();
        self.running = Some((tokio::spawn(job(owed.clone())), owed));
    }

    /// Stops the job, if any. Once it has stopped, its owed line (if it still owes one) is
    /// recorded as `superseded`: its requests may have reached Cognito (an AdminGetUser bills
    /// a monthly active user) — unless it got as far as recording its own answer.
    pub async fn cancel(&mut self, audit: &Audit) {
        if let Some((task, owed)) = self.running.take() {
            task.abort();
            // Once the task has stopped, `owed` says for certain whether a line is owed.
            let _ = task.await;
            audit.settle(&owed).await;
        }
    }

    /// Whether a job is in the slot and has not finished.
    pub fn is_pending(&self) -> bool {
        self.running.as_ref().is_some_and(|(t, _)| !t.is_finished())
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        if let Some((task, _)) = self.running.take() {
            task.abort();
        }
    }
}
