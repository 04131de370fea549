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

#[test]
fn survives_rapid_resizes_and_keys_while_loading() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("tui.log");
    let env = env(&[("COGNITO_TUI_DEMO_LATENCY_MS", "400")]);
    let t = Tmux::spawn(
        env!("CARGO_BIN_EXE_cognito-tui"),
        &["--demo", "--log-file", log.to_str().unwrap()],
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
    // Keys typed during a second lookup: the newer lookup wins, input stays live.
    t.type_text("/bob");
    t.keys(&["Enter"]);
    t.type_text("/carol");
    t.keys(&["Enter"]);
    let screen = t.wait_for("Username carol");
    assert!(!screen.contains("Username bob"), "{screen}");
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
