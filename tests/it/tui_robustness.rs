//! The terminal under stress, in a real pseudo-terminal (tmux): rapid resizes down to 10×4
//! while a lookup is in flight, keys typed during loading, and the terminal restored after
//! quitting and after a panic injected in the render path (debug builds only).

use crate::common::tmux;

use tmux::Tmux;

fn env(extra: &[(&'static str, &'static str)]) -> Vec<(&'static str, &'static str)> {
    let mut env = crate::common::tmux::TUI_ENV.to_vec();
    env.extend_from_slice(extra);
    env
}

fn assert_restored(t: &Tmux, expected_status: i32) {
    let (status, modes) = t.wait_exit();
    assert_eq!(
        status,
        expected_status,
        "exit status; screen:\n{}",
        t.screen()
    );
    assert!(!t.alternate_screen(), "still on the alternate screen");
    let modes: Vec<&str> = modes.split_whitespace().collect();
    assert!(
        modes.contains(&"icanon") && modes.contains(&"echo"),
        "raw mode was not undone: {modes:?}"
    );
}

/// The audit trail's lines.
fn audit_lines(path: &std::path::Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect()
}

#[test]
fn survives_rapid_resizes_and_keys_while_loading() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("tui.log");
    let audit = dir.path().join("audit.jsonl");
    let env = env(&[("COGNITO_TUI_DEMO_LATENCY_MS", "400")]);
    let t = Tmux::spawn(
        env!("CARGO_BIN_EXE_cognito-tui"),
        &[
            "--demo",
            "--log-file",
            log.to_str().unwrap(),
            "--audit-log",
            audit.to_str().unwrap(),
        ],
        &env,
        80,
        24,
    );
    t.wait_for("No user loaded");
    t.type_text("/alice");
    t.keys(&["Enter"]);
    // While the lookup is in flight: resize through tiny and odd sizes, and keep typing.
    for (w, h) in [
        (10, 4),
        (200, 60),
        (20, 10),
        (10, 4),
        (61, 16),
        (33, 7),
        (80, 24),
    ] {
        t.resize(w, h);
        t.keys(&["j"]);
    }
    t.resize(10, 4);
    t.wait_for("small");
    t.resize(80, 24);
    t.wait_for("Username alice");
    // Keys typed during a second lookup: the newer lookup wins, input stays live. Bob is
    // looked up by his phone number (AdminGetUser, ListUsers, AdminGetUser: 1.2 s at 400 ms
    // a call) and carol by username (0.4 s), so an answer for bob that were not dropped would
    // come after carol's and stay on screen. Every frame is read until carol is on screen and
    // bob's lookup is in the audit trail (its answer, if any, has been sent by then).
    t.type_text("/+15550100002");
    t.keys(&["Enter"]);
    t.type_text("/carol");
    t.keys(&["Enter"]);
    let bob_line = || {
        audit_lines(&audit)
            .into_iter()
            .find(|l| l["action"] == "lookup" && l["query"] == "+15550100002")
    };
    let deadline = std::time::Instant::now() + crate::common::tmux::DEFAULT_TIMEOUT;
    let mut frames = 0;
    loop {
        let screen = t.screen();
        frames += 1;
        assert!(
            !screen.contains("Username bob"),
            "bob's answer drew:\n{screen}"
        );
        if screen.contains("Username carol") && bob_line().is_some() {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "carol never drew:\n{screen}"
        );
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let bob = bob_line().unwrap();
    assert_eq!(bob["outcome"], "superseded", "{bob}");
    // Bob's answer, had it been sent with that line, is drawn by the time the screen settles.
    let screen = t.wait_for("Username");
    assert!(
        screen.contains("Username carol") && !screen.contains("Username bob"),
        "{screen}"
    );
    eprintln!("{frames} frames read while bob and carol were looked up");
    t.type_text("?");
    t.wait_for("Help: key bindings");
    t.keys(&["Escape"]);
    t.type_text("q");
    assert_restored(&t, 0);
}

#[test]
fn a_panic_while_drawing_restores_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("tui.log");
    let env = env(&[("COGNITO_TUI_TEST_PANIC", "bob")]);
    let t = Tmux::spawn(
        env!("CARGO_BIN_EXE_cognito-tui"),
        &["--demo", "--log-file", log.to_str().unwrap()],
        &env,
        80,
        24,
    );
    t.wait_for("No user loaded");
    t.type_text("/bob");
    t.keys(&["Enter"]);
    // Rust's panic exit status is 101; the panic hook restored the screen first.
    assert_restored(&t, 101);
    assert!(
        t.screen().contains("injected render panic"),
        "the panic message is printed on the restored screen:\n{}",
        t.screen()
    );
}
