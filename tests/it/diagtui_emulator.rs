//! The Status pane's diagnosis costs no request of its own: counted at a proxy in front of
//! moto while the real TUI looks users up.

use crate::common::emulator::{Emulator, Kind};
use crate::common::proxy::RecordingProxy;
use crate::common::{cli, seed, tmux};

fn count(seen: &[String], operation: &str) -> usize {
    seen.iter().filter(|o| *o == operation).count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tui_lookup_costs_nothing_beyond_the_one_cached_describe_user_pool() {
    let Some(moto) = Emulator::start(Kind::Moto) else {
        return;
    };
    let seeded = seed::seed(&seed::client(&moto.url())).await;
    let proxy = RecordingProxy::start(moto.addr).await;
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("tui.log");
    let url = proxy.url();
    let args: Vec<String> = [
        &cli::target(&seeded.alias_pool, &url)[..],
        &["--log-file", log.to_str().unwrap(), "--lookup", "alice"],
    ]
    .concat()
    .into_iter()
    .map(String::from)
    .collect();
    let screens = tokio::task::spawn_blocking(move || {
        let t = tmux::Tmux::spawn_tui(&args, 120, 40);
        let first = t.wait_until("alice's diagnosis", tmux::DEFAULT_TIMEOUT, |s| {
            s.contains("Username alice") && s.contains("Sign-in  ") && s.contains("Diagnosis")
        });
        t.type_text("u");
        t.wait_for("Username ›");
        t.type_text("bob");
        t.keys(&["Enter"]);
        let second = t.wait_until("bob's diagnosis", tmux::DEFAULT_TIMEOUT, |s| {
            s.contains("Username bob") && s.contains("Diagnosis")
        });
        // moto's pools have no threat protection: `d` explains and asks nothing.
        t.type_text("d");
        let third = t.wait_for("no threat protection");
        t.type_text("q");
        assert_eq!(t.wait_exit().0, 0);
        [first, second, third]
    })
    .await
    .unwrap();
    let seen = proxy.seen();
    assert_eq!(count(&seen, "DescribeUserPool"), 1, "{seen:?}");
    assert_eq!(count(&seen, "AdminGetUser"), 2, "{seen:?}");
    assert_eq!(count(&seen, "AdminListUserAuthEvents"), 0, "{seen:?}");
    assert_eq!(
        seen.len(),
        3,
        "two lookups and the one DescribeUserPool, nothing else: {seen:?}"
    );
    // The diagnosis read moto's answer: threat protection off, so no history is expected.
    for screen in &screens[..2] {
        assert!(screen.contains("no_sign_in_history"), "{screen}");
        assert!(!screen.contains("reading the pool's settings"), "{screen}");
    }
}
