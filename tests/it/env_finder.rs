//! The real app model and worker, without a terminal, against moto behind a recording proxy:
//! type-ahead search and browsing make ListUsers calls only, moving the cursor through the
//! results makes no request at all, and Enter makes exactly one AdminGetUser (which bills a
//! monthly active user).

use std::time::{Duration, Instant};

use crate::common::emulator::{Emulator, Kind};
use crate::common::proxy::RecordingProxy;
use crate::common::seed;
use clap::Parser;
use cognito_tui::app::{self, App, Cmd, Msg, PoolSettings};
use cognito_tui::cli::Cli;
use cognito_tui::cognito::PoolId;
use cognito_tui::worker;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender};

struct Harness {
    app: App,
    jobs: UnboundedSender<Cmd>,
    msgs: UnboundedReceiver<Msg>,
}

impl Harness {
    fn send(&mut self, cmds: Vec<Cmd>) {
        for cmd in cmds {
            if !matches!(cmd, Cmd::Copy(_)) {
                self.jobs.send(cmd).expect("worker alive");
            }
        }
    }

    fn key(&mut self, code: KeyCode) {
        let cmds = app::update(
            &mut self.app,
            Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)),
        );
        self.send(cmds);
    }

    fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            self.key(KeyCode::Char(c));
        }
    }

    /// Feeds worker messages into the model until `done` holds (or panics after 20 s).
    async fn pump_until(&mut self, what: &str, done: impl Fn(&App) -> bool) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while !done(&self.app) {
            let left = deadline.saturating_duration_since(Instant::now());
            assert!(!left.is_zero(), "timed out waiting for {what}");
            if let Ok(Some(msg)) =
                tokio::time::timeout(left.min(Duration::from_millis(200)), self.msgs.recv()).await
            {
                let cmds = app::update(&mut self.app, msg);
                self.send(cmds);
            }
        }
    }

    /// Feeds messages for `quiet` without waiting for anything in particular.
    async fn settle(&mut self, quiet: Duration) {
        let end = Instant::now() + quiet;
        while let Ok(Some(msg)) = tokio::time::timeout(
            end.saturating_duration_since(Instant::now()),
            self.msgs.recv(),
        )
        .await
        {
            let cmds = app::update(&mut self.app, msg);
            self.send(cmds);
        }
    }
}

fn admin_get_users(seen: &[String]) -> usize {
    seen.iter().filter(|op| *op == "AdminGetUser").count()
}

#[test]
fn scrolling_search_and_browse_results_costs_no_admin_get_user() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(run());
}

async fn run() {
    let Some(emulator) = Emulator::start(Kind::Moto) else {
        return;
    };
    let seeded = seed::seed(&seed::client(&emulator.url())).await;
    let proxy = RecordingProxy::start(emulator.addr).await;
    let cli = Cli::parse_from([
        "cognito-tui",
        "--pool",
        seeded.alias_pool.as_str(),
        "--endpoint-url",
        proxy.url().as_str(),
        "--region",
        seed::REGION,
        "--config",
        "/dev/null",
    ]);
    let pool = PoolId::parse(&seeded.alias_pool).unwrap();
    let target = crate::common::target::resolve(&cli.target);
    let (jobs, msgs) = worker::spawn(target, Some(pool.clone()), false, None);
    let mut h = Harness {
        app: App::new(pool.as_str(), Default::default()),
        jobs,
        msgs,
    };
    // The worker connects and describes the pool once; that is not a lookup. Waited for by
    // its answer, not by a time, so a slow machine can't leak it into the search's calls.
    h.pump_until("the connection and the pool's settings", |a| {
        a.session().is_some() && !matches!(a.pool_settings(), PoolSettings::Pending)
    })
    .await;
    h.settle(Duration::from_millis(200)).await;
    proxy.take();

    // Type-ahead: "dup" finds dup.one and dup.two with ListUsers only.
    h.key(KeyCode::Char('t'));
    h.type_text("dup");
    // Results show as each filter answers: wait for the last one.
    h.pump_until("search results", |a| {
        a.search().pending.is_none()
            && a.search()
                .results
                .as_ref()
                .is_some_and(|r| r.hits.len() >= 2)
    })
    .await;
    let seen = proxy.take();
    assert!(
        !seen.is_empty() && seen.iter().all(|op| op == "ListUsers"),
        "{seen:?}"
    );

    // Moving through the results: no request at all.
    for code in [
        KeyCode::Down,
        KeyCode::Down,
        KeyCode::Up,
        KeyCode::PageDown,
        KeyCode::PageUp,
    ] {
        h.key(code);
    }
    h.settle(Duration::from_millis(700)).await;
    assert_eq!(
        proxy.take(),
        Vec::<String>::new(),
        "cursor moves made requests"
    );

    // Enter opens the user: exactly one AdminGetUser.
    h.key(KeyCode::Enter);
    h.pump_until("the user to load", |a| a.user().is_some())
        .await;
    h.settle(Duration::from_millis(300)).await;
    let seen = proxy.take();
    assert_eq!(
        seen,
        vec!["AdminGetUser".to_string()],
        "opening costs one call"
    );
    assert!(
        h.app
            .user()
            .unwrap()
            .found
            .user
            .username
            .starts_with("dup.")
    );

    // Browse: pages of ListUsers, scrolling and filtering locally, one AdminGetUser on Enter.
    h.key(KeyCode::Char('b'));
    h.pump_until("a browse page", |a| a.browse().store.len() >= 7)
        .await;
    for code in [KeyCode::Down, KeyCode::Down, KeyCode::Down, KeyCode::Up] {
        h.key(code);
    }
    h.type_text("mal");
    h.settle(Duration::from_millis(500)).await;
    let seen = proxy.take();
    assert!(seen.iter().all(|op| op == "ListUsers"), "{seen:?}");
    assert_eq!(admin_get_users(&seen), 0);
    h.key(KeyCode::Enter);
    h.pump_until("mallory to load", |a| {
        a.user()
            .as_ref()
            .is_some_and(|u| u.found.user.username == "mallory")
    })
    .await;
    h.settle(Duration::from_millis(300)).await;
    assert_eq!(proxy.take(), vec!["AdminGetUser".to_string()]);
}
