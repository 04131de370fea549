//! Over a slow link (300 ms round trip, from a delaying proxy on loopback, in front of moto)
//! the TUI's first frame and the echo of typed keys don't wait on the network: the proxy
//! holds every byte until the test has seen both, and the lookup then completes through it.

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
        // Nothing can have come back through the held proxy: the frame is drawn without it.
        t.wait_for("No user loaded");
        t.type_text("/");
        t.wait_for("Look up (username, alias or sub)");
        t.type_text("alic");
        t.wait_for("alic");
        t.type_text("e");
        t.keys(&["Enter"]);
        // The lookup is waiting on the link; the UI still answers keys (help opens and closes).
        t.type_text("?");
        t.wait_for("Help");
        t.keys(&["Escape"]);
        let start = Instant::now();
        while proxy.chunks_sent() == 0 && start.elapsed() < Duration::from_secs(20) {
            std::thread::sleep(Duration::from_millis(20));
        }
        assert!(proxy.chunks_sent() > 0, "the lookup reached the proxy");

        let released = Instant::now();
        proxy.release();
        t.wait_for("Username alice");
        let took = released.elapsed();
        eprintln!("lookup over the 300 ms link: {took:?} after release");
        assert!(
            took >= Duration::from_millis(300),
            "at least one round trip: {took:?}"
        );
        t.type_text("q");
        assert_eq!(t.wait_exit().0, 0);
    });
}
