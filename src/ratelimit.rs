//! Client-side rate limiting per Cognito quota category, so cognito-tui is never what
//! throttles a production app: Cognito's quotas are per account and Region and shared with
//! it. [`RateLimitedBackend`] wraps any backend, so every request path is limited.
//!
//! Each category spaces its requests `1/N` s apart, so any one-second window holds at most
//! `N` of them and production sees a smooth trickle rather than bursts (a burst would finish
//! a 6-filter search no sooner: it waits for its slowest filter).
//!
//! Every attempt goes through here, retries included: the SDK's own retry is off
//! (`cognito/sdk/client.rs`), and [`RateLimiter::run`] makes the retries, each waiting for a
//! slot like a first attempt. When Cognito answers TooManyRequests, the whole category — every
//! stream and pool on this limiter — pauses for a jittered, growing backoff and its rate halves
//! (down to an eighth of the limit), then creeps back up with each answer: throttling slows
//! the run instead of stopping it. The bound: a request throttled more than
//! [`BackoffPolicy::retries`] times in a row fails. The UI watches [`ThrottleStatus`].

use std::collections::BTreeSet;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;

use std::future::Future;
use std::sync::Arc;

use serde::Deserialize;
use tokio::sync::watch;
use tokio::time::Instant;

use crate::cognito::layer::{Layer, Layered};
use crate::cognito::{Access, CognitoError, ErrorKind, Op};

pub use crate::cognito::op::QuotaCategory;

/// Requests per second allowed per category (the `[rate_limits]` config table).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RateLimits {
    pub user_list: u32,
    pub user_read: u32,
    pub user_resource_read: u32,
    pub user_pool_read: u32,
    pub user_update: u32,
}

impl Default for RateLimits {
    /// Well under AWS's defaults (30 / 120 / 50 / 15 / 25).
    fn default() -> Self {
        Self {
            user_list: 5,
            user_read: 10,
            user_resource_read: 5,
            user_pool_read: 5,
            user_update: 2,
        }
    }
}

impl RateLimits {
    /// The limit for a category.
    pub fn get(&self, category: QuotaCategory) -> u32 {
        match category {
            QuotaCategory::UserList => self.user_list,
            QuotaCategory::UserRead => self.user_read,
            QuotaCategory::UserResourceRead => self.user_resource_read,
            QuotaCategory::UserPoolRead => self.user_pool_read,
            QuotaCategory::UserUpdate => self.user_update,
        }
    }

    /// Refuses 0 and anything above AWS's quota (which production shares).
    pub fn validate(&self) -> Result<(), RateLimitError> {
        for category in QuotaCategory::ALL {
            let value = self.get(category);
            if value == 0 || value > category.aws_quota() {
                return Err(RateLimitError { category, value });
            }
        }
        Ok(())
    }
}

/// A `[rate_limits]` value outside 1..=AWS's quota.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error(
    "rate_limits.{key} = {value}: must be between 1 and {quota} (AWS's quota, shared with \
     production; keep it well below)",
    key = category.key(),
    quota = category.aws_quota()
)]
pub struct RateLimitError {
    /// The category whose limit is out of range.
    pub category: QuotaCategory,
    /// The configured value.
    pub value: u32,
}

/// Backoff after Cognito answers TooManyRequests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BackoffPolicy {
    /// First delay (before jitter); doubles each retry.
    pub base: Duration,
    /// Longest delay.
    pub cap: Duration,
    /// Retries after the first throttled answer.
    pub retries: u32,
}

impl Default for BackoffPolicy {
    fn default() -> Self {
        Self {
            base: Duration::from_millis(500),
            cap: Duration::from_secs(8),
            retries: 3,
        }
    }
}

impl BackoffPolicy {
    /// The sessions' policy: a request is given up after 8 throttled answers in a row, that
    /// is after 20–40 s of backing off (0.5, 1, 2, 4, then 8 s four times, each jittered to
    /// half or more), while the category's rate is halved after each.
    pub const SESSION: Self = Self {
        base: Duration::from_millis(500),
        cap: Duration::from_secs(8),
        retries: 8,
    };

    /// The delay before retry `attempt` (1-based): half to all of `base·2^(attempt-1)`.
    pub fn delay(&self, attempt: u32, jitter: f64) -> Duration {
        let exp = self
            .base
            .saturating_mul(1u32 << (attempt.saturating_sub(1)).min(16));
        exp.min(self.cap)
            .mul_f64(0.5 + 0.5 * jitter.clamp(0.0, 1.0))
    }
}

/// What the UI shows: whether requests are waiting on the limiter or backing off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ThrottleStatus {
    /// Requests waiting for a slot of the client-side limit.
    pub queued: usize,
    /// Cognito answered TooManyRequests; requests resume at this instant.
    pub backoff_until: Option<Instant>,
    /// The category last delayed.
    pub category: Option<QuotaCategory>,
}

impl ThrottleStatus {
    /// Whether anything is being held back right now.
    pub fn is_throttled(&self) -> bool {
        self.queued > 0 || self.backoff_until.is_some_and(|t| t > Instant::now())
    }
}

#[derive(Debug)]
struct Window {
    /// The configured limit, requests a second.
    limit: f64,
    /// The rate in force: the limit, or less after throttled answers.
    rate: f64,
    /// `1/rate` s.
    interval: Duration,
    /// The earliest start of the next request.
    next_free: Option<Instant>,
    /// When the last request really started.
    last_start: Option<Instant>,
    paused_until: Option<Instant>,
    /// Future slots given up by waits that were dropped (a superseded search), not yet
    /// handed back because a later slot is still held.
    abandoned: BTreeSet<Instant>,
}

/// Per-category limiter (requests spaced evenly) with a watchable throttle status.
#[derive(Debug)]
pub struct RateLimiter {
    windows: [Mutex<Window>; QuotaCategory::ALL.len()],
    backoff: BackoffPolicy,
    /// Attempts per read for server errors and lost connections (`--max-attempts`).
    attempts: u32,
    queued: AtomicUsize,
    status: watch::Sender<ThrottleStatus>,
    jitter_state: AtomicU64,
}

impl RateLimiter {
    /// A limiter with these limits and backoff.
    pub fn new(limits: RateLimits, backoff: BackoffPolicy) -> Self {
        let window = |c: QuotaCategory| {
            let limit = f64::from(limits.get(c).max(1));
            Mutex::new(Window {
                limit,
                rate: limit,
                interval: Duration::from_secs(1) / limits.get(c).max(1),
                next_free: None,
                last_start: None,
                paused_until: None,
                abandoned: BTreeSet::new(),
            })
        };
        let seed = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0x9e37_79b9_7f4a_7c15)
            | 1;
        Self {
            windows: QuotaCategory::ALL.map(window),
            backoff,
            attempts: 3,
            queued: AtomicUsize::new(0),
            status: watch::Sender::new(ThrottleStatus::default()),
            jitter_state: AtomicU64::new(seed),
        }
    }

    /// A receiver for the throttle indicator.
    pub fn subscribe(&self) -> watch::Receiver<ThrottleStatus> {
        self.status.subscribe()
    }

    /// The current throttle status.
    pub fn status(&self) -> ThrottleStatus {
        *self.status.borrow()
    }

    /// The backoff policy in use.
    pub fn backoff(&self) -> BackoffPolicy {
        self.backoff
    }

    /// Sets the attempts per read for server errors and lost connections (`--max-attempts`;
    /// default 3). Throttled answers are bounded by [`BackoffPolicy::retries`] instead.
    pub fn with_attempts(mut self, attempts: u32) -> Self {
        self.attempts = attempts.max(1);
        self
    }

    /// The rate `category` runs at now, requests a second: its limit, or less while Cognito
    /// throttles.
    pub fn current_rate(&self, category: QuotaCategory) -> f64 {
        self.window(category).rate
    }

    fn window(&self, category: QuotaCategory) -> std::sync::MutexGuard<'_, Window> {
        self.windows[category as usize]
            .lock()
            .unwrap_or_else(|p| p.into_inner())
    }

    /// Sets `category`'s rate from (rate, limit), kept within an eighth of the limit and the
    /// limit.
    fn adjust_rate(&self, category: QuotaCategory, rate: impl FnOnce(f64, f64) -> f64) {
        let mut w = self.window(category);
        w.rate = rate(w.rate, w.limit).clamp(w.limit / 8.0, w.limit);
        w.interval = Duration::from_secs_f64(1.0 / w.rate);
    }

    /// Waits for a slot in `category`'s window. Dropping the future gives up the wait and
    /// its slot: a search superseded by the next keystroke doesn't delay the one that
    /// replaced it.
    pub async fn acquire(&self, category: QuotaCategory) {
        let at = self.reserve(category, Instant::now());
        if at > Instant::now() {
            self.wait_for_slot(category, at).await;
        }
        self.start(category).await;
    }

    async fn wait_for_slot(&self, category: QuotaCategory, at: Instant) {
        let queued = self.queued.fetch_add(1, Ordering::SeqCst) + 1;
        self.status.send_modify(|s| {
            s.queued = queued;
            s.category = Some(category);
        });
        let mut guard = QueueGuard {
            limiter: self,
            slot: Some((category, at)),
        };
        tokio::time::sleep_until(at).await;
        // The slot is used: the request goes out now.
        guard.slot = None;
    }

    /// Holds a start until one interval after the previous request of `category` really
    /// started: slots are spaced, but a wait that woke late (a busy machine) must not bunch
    /// with the next one on the wire.
    async fn start(&self, category: QuotaCategory) {
        loop {
            let wait = {
                let mut w = self.window(category);
                let now = Instant::now();
                match w.last_start {
                    Some(last) if now < last + w.interval => last + w.interval,
                    _ => {
                        w.last_start = Some(now);
                        return;
                    }
                }
            };
            tokio::time::sleep_until(wait).await;
        }
    }

    /// Gives back the slot at `at`, reserved by a wait that was dropped before it came. The
    /// window's end moves back over every given-up slot at its tail, so the next request may
    /// take it; a slot with later ones still held waits until those are given back or used.
    /// The next start never comes closer than one interval to a slot still held.
    fn release(&self, category: QuotaCategory, at: Instant) {
        let mut w = self.windows[category as usize]
            .lock()
            .expect("limiter lock");
        w.abandoned.insert(at);
        while let Some(last) = w.next_free.and_then(|next| next.checked_sub(w.interval)) {
            if !w.abandoned.remove(&last) {
                break;
            }
            w.next_free = Some(last);
        }
        // Slots already past can't be taken by anyone: forget them.
        let now = Instant::now();
        w.abandoned = w.abandoned.split_off(&now);
    }

    /// Reserves the earliest slot at or after `now` and returns it.
    fn reserve(&self, category: QuotaCategory, now: Instant) -> Instant {
        let mut w = self.windows[category as usize]
            .lock()
            .expect("limiter lock");
        let mut at = now;
        if let Some(p) = w.paused_until {
            at = at.max(p);
        }
        if let Some(next) = w.next_free {
            at = at.max(next);
        }
        w.next_free = Some(at + w.interval);
        at
    }

    /// Pauses `category` after a throttled answer; returns how long to wait before retry
    /// `attempt`.
    fn pause(&self, category: QuotaCategory, attempt: u32) -> Duration {
        // Multiplicative decrease, shared by every stream on this limiter.
        self.adjust_rate(category, |rate, _| rate / 2.0);
        let delay = self.backoff.delay(attempt, self.jitter());
        let until = Instant::now() + delay;
        {
            let mut w = self.windows[category as usize]
                .lock()
                .expect("limiter lock");
            w.paused_until = Some(w.paused_until.map_or(until, |p| p.max(until)));
        }
        self.status.send_modify(|s| {
            s.backoff_until = Some(s.backoff_until.map_or(until, |p| p.max(until)));
            s.category = Some(category);
        });
        delay
    }

    fn clear_backoff(&self) {
        self.status.send_if_modified(|s| {
            if s.backoff_until.is_some_and(|t| t <= Instant::now()) {
                s.backoff_until = None;
                true
            } else {
                false
            }
        });
    }

    /// A number in [0, 1) from a xorshift generator: enough to spread retries.
    fn jitter(&self) -> f64 {
        let mut x = self.jitter_state.load(Ordering::Relaxed);
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.jitter_state.store(x, Ordering::Relaxed);
        (x >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Runs a read under `category`'s limit: every attempt waits for a slot; throttled answers
    /// back off (see [`RateLimiter::pause`]) and are retried up to the policy's bound; server
    /// errors and lost connections are retried up to the attempts (`--max-attempts`).
    pub async fn run<T, F, Fut>(
        &self,
        category: QuotaCategory,
        request: F,
    ) -> Result<T, CognitoError>
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = Result<T, CognitoError>>,
    {
        self.run_with(category, Retry::All, request).await
    }

    /// [`RateLimiter::run`], retrying only what `retry` allows.
    pub async fn run_with<T, F, Fut>(
        &self,
        category: QuotaCategory,
        retry: Retry,
        mut request: F,
    ) -> Result<T, CognitoError>
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = Result<T, CognitoError>>,
    {
        let (mut throttled, mut failed) = (0, 0);
        loop {
            self.acquire(category).await;
            let result = request().await;
            match &result {
                Err(e) if e.kind == ErrorKind::Throttled => {
                    throttled += 1;
                    // The pause holds back this category's next requests too, retried or not.
                    let delay = self.pause(category, throttled);
                    tracing::warn!(
                        operation = e.operation,
                        attempt = throttled,
                        delay_ms = delay.as_millis() as u64,
                        rate = self.current_rate(category),
                        "Cognito throttled a request; backing off"
                    );
                    if throttled > self.backoff.retries {
                        return result;
                    }
                    // The retry waits in acquire() until the pause ends.
                }
                Err(e)
                    if retry == Retry::All && transient(e.kind) && failed + 1 < self.attempts =>
                {
                    failed += 1;
                    let delay = self.backoff.delay(failed, self.jitter());
                    tracing::debug!(operation = e.operation, attempt = failed, error = %e, "retrying");
                    tokio::time::sleep(delay).await;
                }
                _ => {
                    if result.is_ok() {
                        // Additive increase: back to the limit over 14 answers.
                        self.adjust_rate(category, |rate, limit| rate + limit / 16.0);
                    }
                    self.clear_backoff();
                    return result;
                }
            }
        }
    }
}

/// Which failed attempts [`RateLimiter::run_with`] tries again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retry {
    /// Reads: throttled answers, server errors and lost connections.
    All,
    /// Writes: only throttled answers, which Cognito refused without acting; a write whose
    /// answer was lost may have been done, and is not sent twice.
    ThrottledOnly,
}

/// Failures worth another attempt: the server's error or a connection lost on the way.
fn transient(kind: ErrorKind) -> bool {
    matches!(kind, ErrorKind::Internal | ErrorKind::Network)
}

/// A wait in the queue: leaves the count when it ends, and gives its slot back when it is
/// dropped before the slot came.
struct QueueGuard<'a> {
    limiter: &'a RateLimiter,
    slot: Option<(QuotaCategory, Instant)>,
}

impl Drop for QueueGuard<'_> {
    fn drop(&mut self) {
        if let Some((category, at)) = self.slot {
            self.limiter.release(category, at);
        }
        let queued = self.limiter.queued.fetch_sub(1, Ordering::SeqCst) - 1;
        self.limiter.status.send_modify(|s| s.queued = queued);
    }
}

/// The layer that puts every request through a [`RateLimiter`], every attempt of it. Reads
/// are retried after TooManyRequests, server errors and lost connections; writes are not
/// idempotent from the user's point of view (a reset sends a code): they wait for a slot like
/// everything else and are retried only after TooManyRequests, which Cognito answers without
/// acting.
#[derive(Debug, Clone)]
pub struct RateLimit(pub Arc<RateLimiter>);

impl Layer for RateLimit {
    async fn around<'a, T, F, Fut>(&'a self, op: Op, mut request: F) -> Result<T, CognitoError>
    where
        T: Send + 'a,
        F: FnMut() -> Fut + Send + 'a,
        Fut: Future<Output = Result<T, CognitoError>> + Send + 'a,
    {
        let retry = match op.access {
            Access::Read => Retry::All,
            Access::Write => Retry::ThrottledOnly,
        };
        self.0.run_with(op.category, retry, &mut request).await
    }
}

/// A backend whose every request goes through a [`RateLimiter`].
pub type RateLimitedBackend<B> = Layered<RateLimit, B>;

impl<B> Layered<RateLimit, B> {
    /// Wraps `inner`.
    pub fn new(inner: B, limiter: Arc<RateLimiter>) -> Self {
        Layered::wrap(RateLimit(limiter), inner)
    }

    /// The limiter, for its throttle status.
    pub fn limiter(&self) -> &Arc<RateLimiter> {
        &self.layer().0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cognito::demo::DemoBackend;
    use crate::cognito::{Backend, PageRequest};

    fn limits(user_list: u32) -> RateLimits {
        RateLimits {
            user_list,
            ..RateLimits::default()
        }
    }

    /// Counts of request start times in every one-second window starting at each request.
    fn max_in_any_second(times: &[Instant]) -> usize {
        times
            .iter()
            .map(|&t| {
                times
                    .iter()
                    .filter(|&&u| u >= t && u < t + Duration::from_secs(1))
                    .count()
            })
            .max()
            .unwrap_or(0)
    }

    #[tokio::test(start_paused = true)]
    async fn holds_its_rate_in_any_one_second_window() {
        let limiter = Arc::new(RateLimiter::new(limits(5), BackoffPolicy::default()));
        let start = Instant::now();
        let times = Arc::new(Mutex::new(Vec::new()));
        let tasks: Vec<_> = (0..23)
            .map(|_| {
                let (limiter, times) = (limiter.clone(), times.clone());
                tokio::spawn(async move {
                    limiter.acquire(QuotaCategory::UserList).await;
                    times.lock().unwrap().push(Instant::now());
                })
            })
            .collect();
        for t in tasks {
            t.await.unwrap();
        }
        let times = times.lock().unwrap().clone();
        assert_eq!(max_in_any_second(&times), 5);
        // 23 requests at 5/s, 200 ms apart: the last starts at 4.4 s.
        let last = *times.iter().max().unwrap();
        assert_eq!(last - start, Duration::from_millis(4400));
        assert_eq!(limiter.status().queued, 0);
    }

    /// A wait for a rate-limiter slot, answering when it came.
    type Wait = tokio::task::JoinHandle<Instant>;

    /// Starts a wait for a `UserList` slot that can be dropped (aborted) before it comes.
    fn waiting(limiter: &Arc<RateLimiter>) -> Wait {
        let limiter = limiter.clone();
        tokio::spawn(async move {
            limiter.acquire(QuotaCategory::UserList).await;
            Instant::now()
        })
    }

    /// Aborts `wait` and lets the abort (and its drop) happen.
    async fn give_up(wait: Wait) {
        wait.abort();
        assert!(wait.await.unwrap_err().is_cancelled());
    }

    /// A limiter of one `UserList` request a second whose first slot is taken now, and two
    /// waits queued behind it (slots at 1 s and 2 s); the start is when the first was taken.
    async fn two_queued() -> (Arc<RateLimiter>, Instant, Wait, Wait) {
        let limiter = Arc::new(RateLimiter::new(limits(1), BackoffPolicy::default()));
        let start = Instant::now();
        limiter.acquire(QuotaCategory::UserList).await;
        let (second, third) = (waiting(&limiter), waiting(&limiter));
        tokio::task::yield_now().await;
        (limiter, start, second, third)
    }

    #[tokio::test(start_paused = true)]
    async fn a_superseded_wait_gives_its_slot_back() {
        // A search queued two requests, then the next keystroke replaced it: the replacing
        // search's request takes the 1 s slot, not the 3 s one.
        let (limiter, start, second, third) = two_queued().await;
        give_up(second).await;
        give_up(third).await;
        assert_eq!(limiter.status().queued, 0);
        let next = waiting(&limiter).await.unwrap();
        assert_eq!(next - start, Duration::from_secs(1));
    }

    #[tokio::test(start_paused = true)]
    async fn a_slot_given_back_before_a_held_one_never_breaks_the_rate() {
        let (limiter, start, second, third) = two_queued().await;
        // The 1 s slot is given up while the 2 s one is still held: the next request still
        // comes after the held one.
        give_up(second).await;
        let fourth = waiting(&limiter);
        tokio::task::yield_now().await;
        give_up(fourth).await;
        // Now the 2 s one goes too: everything back to the 1 s slot.
        give_up(third).await;
        let next = waiting(&limiter).await.unwrap();
        assert_eq!(next - start, Duration::from_secs(1));
        // And a held slot is never shared: the one after comes a second later.
        let after = waiting(&limiter).await.unwrap();
        assert_eq!(after - start, Duration::from_secs(2));
    }

    #[tokio::test(start_paused = true)]
    async fn given_back_slots_keep_the_rate_in_any_one_second_window() {
        let limiter = Arc::new(RateLimiter::new(limits(5), BackoffPolicy::default()));
        let mut times = Vec::new();
        // Bursts of type-ahead: each keystroke queues six requests, and every other burst is
        // replaced by the next keystroke before its requests go out.
        for burst in 0..8 {
            let waits: Vec<_> = (0..6).map(|_| waiting(&limiter)).collect();
            tokio::time::sleep(Duration::from_millis(150)).await;
            for (i, wait) in waits.into_iter().enumerate() {
                if burst % 2 == 0 && i >= 1 {
                    wait.abort();
                }
                if let Ok(t) = wait.await {
                    times.push(t);
                }
            }
        }
        assert!(
            times.len() >= 8 * 6 / 2,
            "{} requests went out",
            times.len()
        );
        assert!(max_in_any_second(&times) <= 5, "{times:?}");
        assert_eq!(limiter.status().queued, 0);
    }

    #[tokio::test(start_paused = true)]
    async fn categories_are_independent() {
        let limiter = RateLimiter::new(limits(1), BackoffPolicy::default());
        let start = Instant::now();
        limiter.acquire(QuotaCategory::UserList).await;
        limiter.acquire(QuotaCategory::UserRead).await;
        assert_eq!(Instant::now(), start);
        limiter.acquire(QuotaCategory::UserList).await;
        assert_eq!(Instant::now() - start, Duration::from_secs(1));
    }

    #[tokio::test(start_paused = true)]
    async fn queued_requests_show_as_throttled() {
        let limiter = Arc::new(RateLimiter::new(limits(1), BackoffPolicy::default()));
        let mut status = limiter.subscribe();
        limiter.acquire(QuotaCategory::UserList).await;
        let l = limiter.clone();
        let waiting = tokio::spawn(async move { l.acquire(QuotaCategory::UserList).await });
        status.changed().await.unwrap();
        let s = *status.borrow_and_update();
        assert!(s.is_throttled());
        assert_eq!(s.queued, 1);
        assert_eq!(s.category, Some(QuotaCategory::UserList));
        waiting.await.unwrap();
        assert!(!limiter.status().is_throttled());
    }

    #[tokio::test(start_paused = true)]
    async fn throttled_answers_back_off_with_jitter_then_succeed() {
        let limiter = RateLimiter::new(limits(5), BackoffPolicy::default());
        let calls = AtomicUsize::new(0);
        let start = Instant::now();
        let result = limiter
            .run(QuotaCategory::UserList, || async {
                if calls.fetch_add(1, Ordering::SeqCst) < 2 {
                    Err(CognitoError::new(
                        ErrorKind::Throttled,
                        "ListUsers",
                        "slow down",
                    ))
                } else {
                    Ok(7)
                }
            })
            .await;
        assert_eq!(result, Ok(7));
        assert_eq!(calls.load(Ordering::SeqCst), 3);
        let waited = Instant::now() - start;
        // 250–500 ms, then 500–1000 ms.
        assert!(waited >= Duration::from_millis(750), "{waited:?}");
        assert!(waited <= Duration::from_millis(1500), "{waited:?}");
        assert!(!limiter.status().is_throttled());
    }

    #[tokio::test(start_paused = true)]
    async fn gives_up_after_the_retries() {
        let limiter = RateLimiter::new(limits(5), BackoffPolicy::default());
        let calls = AtomicUsize::new(0);
        let result: Result<(), _> = limiter
            .run(QuotaCategory::UserList, || async {
                calls.fetch_add(1, Ordering::SeqCst);
                Err(CognitoError::new(
                    ErrorKind::Throttled,
                    "ListUsers",
                    "slow down",
                ))
            })
            .await;
        assert_eq!(result.unwrap_err().kind, ErrorKind::Throttled);
        assert_eq!(calls.load(Ordering::SeqCst), 4);
    }

    #[tokio::test(start_paused = true)]
    async fn throttling_halves_the_rate_for_everyone_then_it_creeps_back() {
        let limiter = RateLimiter::new(limits(16), BackoffPolicy::default());
        let throttled = || async {
            Err::<(), _>(CognitoError::new(
                ErrorKind::Throttled,
                "ListUsers",
                "slow down",
            ))
        };
        let _ = limiter.run(QuotaCategory::UserList, throttled).await;
        // Four throttled answers: halved down to the floor, an eighth of the limit.
        assert_eq!(limiter.current_rate(QuotaCategory::UserList), 2.0);
        assert_eq!(limiter.current_rate(QuotaCategory::UserRead), 10.0);
        limiter
            .run(QuotaCategory::UserList, || async { Ok(()) })
            .await
            .unwrap();
        assert_eq!(limiter.current_rate(QuotaCategory::UserList), 3.0);
        for _ in 0..20 {
            limiter
                .run(QuotaCategory::UserList, || async { Ok(()) })
                .await
                .unwrap();
        }
        assert_eq!(limiter.current_rate(QuotaCategory::UserList), 16.0);
    }

    #[tokio::test(start_paused = true)]
    async fn reads_retry_server_errors_writes_only_throttling() {
        let limiter = RateLimiter::new(limits(5), BackoffPolicy::default()).with_attempts(3);
        let calls = AtomicUsize::new(0);
        let failing = |kind| {
            let calls = &calls;
            move || async move {
                calls.fetch_add(1, Ordering::SeqCst);
                Err::<(), _>(CognitoError::new(kind, "AdminDisableUser", "x"))
            }
        };
        let count = |calls: &AtomicUsize| calls.swap(0, Ordering::SeqCst);
        let _ = limiter
            .run(QuotaCategory::UserRead, failing(ErrorKind::Internal))
            .await;
        assert_eq!(count(&calls), 3, "a read: --max-attempts");
        let write = Retry::ThrottledOnly;
        let _ = limiter
            .run_with(
                QuotaCategory::UserUpdate,
                write,
                failing(ErrorKind::Network),
            )
            .await;
        assert_eq!(
            count(&calls),
            1,
            "a write whose answer was lost is not sent again"
        );
        let _ = limiter
            .run_with(
                QuotaCategory::UserUpdate,
                write,
                failing(ErrorKind::Throttled),
            )
            .await;
        assert_eq!(count(&calls), 4, "a throttled write was not done: retried");
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        let p = BackoffPolicy::default();
        assert_eq!(p.delay(1, 1.0), Duration::from_millis(500));
        assert_eq!(p.delay(1, 0.0), Duration::from_millis(250));
        assert_eq!(p.delay(3, 1.0), Duration::from_secs(2));
        assert_eq!(p.delay(30, 1.0), Duration::from_secs(8));
    }

    #[test]
    fn limits_are_validated_against_aws_quotas() {
        assert!(RateLimits::default().validate().is_ok());
        assert!(limits(0).validate().is_err());
        let too_many = limits(31).validate().unwrap_err();
        assert_eq!(too_many.category, QuotaCategory::UserList);
        assert!(
            too_many
                .to_string()
                .starts_with("rate_limits.user_list = 31: must be between 1 and 30")
        );
        assert!(limits(30).validate().is_ok());
    }

    #[tokio::test(start_paused = true)]
    async fn the_decorator_limits_the_demo_backend() {
        let demo = DemoBackend::embedded();
        let pool = demo.pool_id();
        let backend = RateLimitedBackend::new(
            demo,
            Arc::new(RateLimiter::new(limits(2), BackoffPolicy::default())),
        );
        let start = Instant::now();
        for _ in 0..5 {
            backend
                .list_users(&pool, None, PageRequest::first(60))
                .await
                .unwrap();
        }
        assert_eq!(Instant::now() - start, Duration::from_secs(2));
    }
}
