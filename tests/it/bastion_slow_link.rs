//! Over a slow link (300 ms round trip, from a delaying proxy on loopback, in front of moto)
//! the TUI's first frame and the echo of typed keys don't wait on the network: the proxy
//! holds every byte until the test has seen both (it has delivered nothing back when they are
//! drawn), the lookup's own request reaches it while the UI still answers keys, and the
//! lookup then completes through it.

use std::time::{Duration, Instant};

use crate::common::delay_proxy::DelayProxy;
use crate::common::emulator::{Emulator, Kind};
use crate::common::seed;
use crate::common::tmux::Tmux;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn first_frame_and_key_echo_do_not_wait_on_a_300ms_link() {
    let Some(moto) = Emulator::start(Kind::Moto) else {
        return;
    };
    let pool = seed::pool_with_user(&seed::client(&moto.url()), "slow", "alice").await;

    let proxy = DelayProxy::start(moto.addr, Duration::from_millis(150), true).await;
    let url = proxy.url();
    tokio::task::block_in_place(|| {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("tui.log");
        let t = Tmux::spawn(
            env!("CARGO_BIN_EXE_cognito-tui"),
            &[
                "--pool",
                &pool,
                "--endpoint-url",
                &url,
                "--log-file",
                log.to_str().unwrap(),
            ],
            &[
                ("AWS_EC2_METADATA_DISABLED", "true"),
                ("AWS_ACCESS_KEY_ID", "test"),
                ("AWS_SECRET_ACCESS_KEY", "test"),
                ("AWS_REGION", "us-east-1"),
            ],
            100,
            24,
        );
        // The frame is drawn, and typed keys echo, while the proxy has let nothing back.
        t.wait_for("No user loaded");
        assert_eq!(proxy.delivered(), 0, "the first frame waited on an answer");
        t.type_text("/");
        t.wait_for("Look up (username, alias or sub)");
        t.type_text("alic");
        t.wait_for("alic");
        assert_eq!(proxy.delivered(), 0, "the key echo waited on an answer");
        // Start-up's requests are out; no lookup has been asked for yet.
        let before = proxy.operations();
        assert!(!before.iter().any(|op| op == "admingetuser"), "{before:?}");
        t.type_text("e");
        t.keys(&["Enter"]);
        // The lookup is waiting on the link; the UI still answers keys (help opens and closes).
        t.type_text("?");
        t.wait_for("Help");
        t.keys(&["Escape"]);
        let start = Instant::now();
        let asked = |ops: &[String]| ops.iter().any(|op| op == "admingetuser");
        while !asked(&proxy.operations()) && start.elapsed() < Duration::from_secs(20) {
            std::thread::sleep(Duration::from_millis(20));
        }
        let ops = proxy.operations();
        assert!(
            asked(&ops),
            "the lookup (AdminGetUser) reached the proxy: {ops:?}"
        );
        assert_eq!(proxy.delivered(), 0, "nothing came back while held");

        let released = Instant::now();
        proxy.release();
        t.wait_for("Username alice");
        eprintln!(
            "lookup over the 300 ms link: {:?} after release",
            released.elapsed()
        );
        t.type_text("q");
        assert_eq!(t.wait_exit().0, 0);
    });
}
