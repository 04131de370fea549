//! Pool switches against moto, through the real worker and the model together (as the
//! terminal loop joins them), with every request counted at a recording proxy: a switch to an
//! unknown pool keeps the old pool, and the next lookup's request names the old pool; a slow
//! switch does not hold the commands queued behind it.
//!
//! The worker builds its AWS client from the process environment, as the real TUI does:
//! `main.rs` isolates that environment before any thread starts.

use std::sync::Arc;
use std::time::Duration;

use clap::Parser;
use cognito_tui::app::{App, Msg, Settings};
use cognito_tui::cli::Cli;
use crossterm::event::KeyCode;
use tokio::net::TcpListener;

use crate::common::app::screen;
use crate::common::app::{ch, key, typed};
use crate::common::cli;
use crate::common::emulator::{Emulator, Kind};
use crate::common::joined::Joined;
use crate::common::proxy::RecordingProxy;
use crate::common::seed;

const UNKNOWN: &str = "us-east-1_Unknown1";

/// The model and a real worker for `args`, joined; `pool` is the pool they name.
fn start(args: &[&str], pool: &str) -> Joined {
    let cli = Cli::parse_from(args);
    let target = crate::common::target::resolve(&cli.target);
    let (pool_id, demo) = target.pool().expect("pool");
    assert_eq!(pool_id.as_str(), pool);
    let settings = Settings {
        demo,
        named_pools: (target.config.pools.iter())
            .map(|(name, p)| (name.clone(), p.pool_id.clone()))
            .collect(),
        ..Settings::default()
    };
    Joined::spawn(App::new(pool, settings), target, Some(pool_id), demo, None)
}

/// A pool named `name` with the user alice; its id.
async fn pool_with_alice(url: &str, name: &str) -> String {
    seed::pool_with_user(&seed::client(url), name, "alice").await
}

#[tokio::test]
async fn moto_a_switch_to_an_unknown_pool_keeps_the_old_pool_for_the_next_lookup() {
    let Some(moto) = Emulator::start(Kind::Moto) else {
        return;
    };
    let pool = pool_with_alice(&moto.url(), "support-old").await;
    let proxy = RecordingProxy::start(moto.addr).await;
    let url = proxy.url();
    let mut d = start(
        &[
            &["cognito-tui"][..],
            &cli::target(&pool, &url),
            &["--config", "/dev/null"],
        ]
        .concat(),
        &pool,
    );
    d.until("the start-up DescribeUserPool", |m| {
        matches!(m, Msg::PoolDescribed { .. })
    })
    .await;
    assert_eq!(d.app.pool_label(), format!("support-old ({pool})"));
    assert!(d.app.pool_status().problem.is_none());

    // P, the unknown id typed, Enter: the worker checks it before anything else is sent there.
    d.look_up("alice").await;
    d.send([ch('P')]);
    d.until("the pool list", |m| matches!(m, Msg::PoolsPage { .. }))
        .await;
    d.send([Msg::Paste(UNKNOWN.into())]);
    d.send([key(KeyCode::Enter)]);
    d.until("the switch's answer", |m| {
        matches!(m, Msg::PoolSwitched { result: Err(_), .. })
    })
    .await;
    assert_eq!(d.app.pool_name(), pool, "still on the old pool");
    let error = d
        .app
        .error()
        .cloned()
        .expect("the failed switch is on screen");
    assert_eq!(error.title, format!("Still on support-old ({pool})"));
    assert!(
        error
            .message
            .contains(&format!("could not switch to {UNKNOWN}")),
        "{error:?}"
    );
    let text = screen(&d.app, 100, 30);
    assert!(
        text.contains(&format!("│ support-old ({pool}) │")),
        "{text}"
    );

    d.send([key(KeyCode::Esc)]);
    d.look_up("alice").await;
    assert_eq!(
        d.app.user().map(|u| u.found.user.username.as_str()),
        Some("alice")
    );
    // On the wire: the unknown pool was only described; every lookup asked the old pool.
    assert_eq!(proxy.pools_of("DescribeUserPool"), [pool.as_str(), UNKNOWN]);
    let lookups = proxy.pools_of("AdminGetUser");
    assert!(!lookups.is_empty());
    assert!(lookups.iter().all(|p| *p == pool), "{lookups:?}");
    for op in ["ListUsers", "AdminListGroupsForUser"] {
        assert!(
            proxy.pools_of(op).iter().all(|p| *p == pool),
            "{op}: {:?}",
            proxy.pools_of(op)
        );
    }
}

/// A listener on loopback that accepts connections and never answers, until dropped.
struct BlackHole {
    port: u16,
    accepted: Arc<tokio::sync::Notify>,
    task: tokio::task::JoinHandle<()>,
}

impl BlackHole {
    async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let port = listener.local_addr().unwrap().port();
        let accepted = Arc::new(tokio::sync::Notify::new());
        let notify = accepted.clone();
        let task = tokio::spawn(async move {
            let mut held = Vec::new();
            while let Ok((stream, _)) = listener.accept().await {
                held.push(stream);
                notify.notify_one();
            }
        });
        Self {
            port,
            accepted,
            task,
        }
    }
}

impl Drop for BlackHole {
    fn drop(&mut self) {
        // Dropping the task drops the held connections: the requests fail at once.
        self.task.abort();
    }
}

#[tokio::test]
async fn moto_commands_queued_during_a_slow_switch_are_not_held() {
    let Some(moto) = Emulator::start(Kind::Moto) else {
        return;
    };
    let pool = pool_with_alice(&moto.url(), "support-old").await;
    let proxy = RecordingProxy::start(moto.addr).await;
    let hole = BlackHole::start().await;
    let home = tempfile::tempdir().unwrap();
    let config = home.path().join("config.toml");
    // Each named pool brings its own endpoint: the old one moto (through the proxy), the
    // new one an endpoint that takes the connection and never answers.
    std::fs::write(
        &config,
        format!(
            "[pools.old]\npool_id = \"{pool}\"\nendpoint_url = \"{}\"\n\n\
             [pools.slow]\npool_id = \"us-east-1_Slow1\"\nendpoint_url = \"http://127.0.0.1:{}\"\n",
            proxy.url(),
            hole.port
        ),
    )
    .unwrap();
    let mut d = start(
        &[
            "cognito-tui",
            "--pool",
            "old",
            "--region",
            "us-east-1",
            "--max-attempts",
            "1",
            "--config",
            config.to_str().unwrap(),
        ],
        &pool,
    );
    d.until("the start-up DescribeUserPool", |m| {
        matches!(m, Msg::PoolDescribed { .. })
    })
    .await;

    d.look_up("alice").await;
    d.send([ch('P')]);
    d.until("the pool list", |m| matches!(m, Msg::PoolsPage { .. }))
        .await;
    d.send(typed("slow"));
    d.send([key(KeyCode::Enter)]);
    // The switch's DescribeUserPool has reached the endpoint that does not answer.
    tokio::time::timeout(Duration::from_secs(30), hole.accepted.notified())
        .await
        .expect("the switch asked the slow endpoint");
    assert!(d.app.pool_status().switching.is_some());

    // A refresh now is answered by the old pool while the switch still waits (a new lookup
    // is refused until the switch is done: it would name a user of which pool?).
    d.send([ch('r')]);
    d.until("the lookup, before the switch", |m| {
        assert!(
            !matches!(m, Msg::PoolSwitched { .. }),
            "the switch answered first: {m:?}"
        );
        matches!(m, Msg::LookupDone { .. })
    })
    .await;
    assert_eq!(
        d.app.user().map(|u| u.found.user.username.as_str()),
        Some("alice")
    );
    assert_eq!(d.app.pool_name(), pool);
    assert!(d.app.pool_status().switching.is_some(), "still switching");
    let text = screen(&d.app, 100, 30);
    assert!(
        text.contains("switching to slow (us-east-1_Slow1)"),
        "{text}"
    );

    // The slow endpoint gives up: the switch fails and the old pool stays.
    drop(hole);
    d.until("the switch's answer", |m| {
        matches!(m, Msg::PoolSwitched { .. })
    })
    .await;
    assert_eq!(d.app.pool_name(), pool);
    assert!(d.app.pool_status().switching.is_none());
    let error = d.app.error().expect("the failure is on screen");
    assert!(
        error
            .message
            .contains("could not switch to slow (us-east-1_Slow1)"),
        "{error:?}"
    );
    assert!(proxy.pools_of("AdminGetUser").iter().all(|p| *p == pool));
}

/// The real binary in a terminal (tmux): a pool that does not exist is the first screen, and
/// `P` with a typed id leads to a pool that does.
#[tokio::test]
async fn moto_a_missing_pool_is_said_on_the_first_screen() {
    use crate::common::tmux::Tmux;
    let Some(moto) = Emulator::start(Kind::Moto) else {
        return;
    };
    let pool = pool_with_alice(&moto.url(), "support-old").await;
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("tui.log");
    let url = moto.url();
    let args = [
        &cli::target(UNKNOWN, &url)[..],
        &["--config", "/dev/null", "--log-file", log.to_str().unwrap()],
    ]
    .concat();
    let t = Tmux::spawn_tui(&args, 80, 24);
    t.wait_for_all(&[
        &format!("Pool not found: {UNKNOWN}"),
        "P  choose another pool",
    ]);
    t.type_text("P");
    t.wait_for("Choose a user pool");
    t.type_text(&pool);
    t.keys(&["Enter"]);
    let screen = t.wait_for(&format!("switched to support-old ({pool})"));
    assert!(!screen.contains("Pool not found"), "{screen}");
    t.type_text("/alice");
    t.keys(&["Enter"]);
    t.wait_for("Username alice");
    t.type_text("q");
    let (code, _) = t.wait_exit();
    assert_eq!(code, 0);
}
