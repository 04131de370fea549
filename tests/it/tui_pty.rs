//! End to end: the real binary in a real terminal (tmux) on the demo pool. Looks users up
//! with each binding, reads the panes, hits an unknown user, opens the help, quits, and
//! checks the process exited and the terminal was restored.

use crate::common::tmux;

use tmux::Tmux;

const ENV: &[(&str, &str)] = &tmux::TUI_ENV;

fn start(extra: &[&str], width: u16, height: u16) -> (Tmux, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("tui.log");
    let mut args = vec!["--demo", "--log-file", log.to_str().unwrap()];
    args.extend_from_slice(extra);
    let tmux = Tmux::spawn(env!("CARGO_BIN_EXE_cognito-tui"), &args, ENV, width, height);
    (tmux, dir)
}

#[test]
fn look_up_by_each_binding_then_quit_cleanly() {
    let (t, dir) = start(&[], 80, 24);
    t.wait_for("No user loaded");
    assert!(t.alternate_screen(), "the UI owns the alternate screen");

    // `/` detects: an alias (preferred_username) finds alice.
    t.type_text("/");
    t.wait_for("Look up (username, alias or sub)");
    t.type_text("ally");
    t.keys(&["Enter"]);
    let screen = t.wait_for_all(&["Username alice", "13ec8665-a4ff-5525-87b0-8063bbe0cb29"]);
    assert!(screen.contains("Status   CONFIRMED"), "{screen}");
    assert!(screen.contains("Attributes"), "{screen}");
    assert!(screen.contains("SOFTWARE_TOKEN_MFA"), "MFA pane: {screen}");
    assert!(
        screen.contains("by preferred_username"),
        "how found: {screen}"
    );

    // `u` by username, with line editing: type, erase a word, retype.
    t.type_text("u");
    t.wait_for("Username ›");
    t.type_text("nobody");
    t.keys(&["C-w"]);
    t.type_text("bob");
    t.keys(&["Enter"]);
    let screen = t.wait_for("Username bob");
    assert!(screen.contains("Legacy SMS to phone_number"), "{screen}");

    // `a` by alias: an email.
    t.type_text("a");
    t.wait_for("Alias (email, phone, preferred_username)");
    t.type_text("dave@globex.example");
    t.keys(&["Enter"]);
    let screen = t.wait_for("Username dave");
    assert!(screen.contains("FORCE_CHANGE_PASSWORD"), "{screen}");
    assert!(screen.contains("must set a new password"), "{screen}");

    // `s` by sub.
    t.type_text("s");
    t.wait_for("Sub ›");
    t.type_text("0e893230-f0c1-53fa-b515-9944ab004b0b");
    t.keys(&["Enter"]);
    let screen = t.wait_for("Username grace");
    assert!(
        screen.contains("ARCHIVED") && screen.contains("Enabled  NO"),
        "{screen}"
    );

    // An unknown user: the error, then the app still works.
    t.type_text("/");
    t.type_text("nobody-here");
    t.keys(&["Enter"]);
    let screen = t.wait_for("UserNotFoundException");
    assert!(
        screen.contains("no user matches \"nobody-here\""),
        "{screen}"
    );
    t.keys(&["Escape"]);
    t.wait_until("the error to close", tmux::DEFAULT_TIMEOUT, |s| {
        !s.contains("UserNotFoundException")
    });

    // Ambiguous: the picker, then choose the second match.
    t.type_text("/");
    t.type_text("shared@acme.example");
    t.keys(&["Enter"]);
    t.wait_for("2 users match");
    t.type_text("j");
    t.keys(&["Enter"]);
    t.wait_for("Username sam.two");

    // Help lists the bindings.
    t.type_text("?");
    let screen = t.wait_for("Help: key bindings");
    assert!(screen.contains("look up by sub"), "{screen}");
    t.keys(&["Escape"]);
    t.wait_until("the help to close", tmux::DEFAULT_TIMEOUT, |s| {
        !s.contains("Help: key bindings")
    });

    // Recent lookups, filtered.
    t.type_text("h");
    t.wait_for("Recent lookups");
    t.type_text("dave");
    t.keys(&["Enter"]);
    t.wait_for("Username dave");

    t.type_text("q");
    let (status, modes) = t.wait_exit();
    assert_eq!(status, 0, "exit status; screen:\n{}", t.screen());
    assert!(!t.alternate_screen(), "left the alternate screen");
    assert!(
        modes.split_whitespace().any(|m| m == "icanon")
            && modes.split_whitespace().any(|m| m == "echo"),
        "raw mode was not undone: {modes:?}"
    );
    let log = std::fs::read_to_string(dir.path().join("tui.log")).unwrap();
    assert!(
        log.contains("starting the terminal UI"),
        "logs go to the file: {log}"
    );
}

#[test]
fn lookup_flag_opens_straight_on_a_user_and_ctrl_c_quits() {
    let (t, _dir) = start(&["--lookup", "kenji.tanaka"], 120, 40);
    let screen = t.wait_for("Username kenji.tanaka");
    assert!(
        screen.contains("SMS_MFA") && screen.contains("SOFTWARE_TOKEN_MFA"),
        "{screen}"
    );
    // Ctrl-C quits even from the lookup bar.
    t.type_text("/");
    t.wait_for("Look up (");
    t.keys(&["C-c"]);
    let (status, _) = t.wait_exit();
    assert_eq!(status, 0);
}

#[test]
fn a_too_small_terminal_says_so_and_resizing_recovers() {
    let (t, _dir) = start(&[], 50, 12);
    t.wait_for("Terminal too small");
    t.resize(80, 24);
    t.wait_for("No user loaded");
    t.type_text("q");
    assert_eq!(t.wait_exit().0, 0);
}

#[test]
fn with_allow_write_a_user_is_disabled_end_to_end_and_audited() {
    let audit = tempfile::tempdir().unwrap();
    let audit_log = audit.path().join("audit.jsonl");
    let (t, _dir) = start(
        &["--allow-write", "--audit-log", audit_log.to_str().unwrap()],
        80,
        24,
    );
    t.wait_for("WRITES ON");
    t.type_text("u");
    t.type_text("bob");
    t.keys(&["Enter"]);
    t.wait_for_all(&["Username bob", "Enabled  yes"]);

    t.type_text("x");
    let screen = t.wait_for("Actions on bob in Acme support demo (us-east-1_DemoPool1)");
    assert!(screen.contains("Disable "), "{screen}");
    t.keys(&["Enter"]);
    t.wait_for("Type the username (bob)");
    // A wrong name is refused; the right one goes through.
    t.type_text("bo");
    t.keys(&["Enter"]);
    t.wait_for("type the username bob exactly");
    t.type_text("b");
    t.keys(&["Enter"]);
    let screen = t.wait_for_all(&[
        "disabled bob in Acme support demo (us-east-1_DemoPool1)",
        "Enabled  NO",
    ]);
    assert!(!screen.contains("Confirm:"), "{screen}");

    t.type_text("q");
    assert_eq!(t.wait_exit().0, 0);
    let lines = crate::common::audit_log::lines(&audit_log);
    let actions: Vec<&str> = lines
        .iter()
        .map(|l| l["action"].as_str().unwrap())
        .collect();
    // The write twice: its attempt before the request, its outcome after.
    assert_eq!(
        actions,
        ["lookup", "disable_user", "disable_user", "lookup"],
        "{lines:?}"
    );
    assert_eq!(lines[1]["phase"], "attempt");
    assert_eq!(lines[2]["phase"], "outcome");
    assert_eq!(lines[2]["username"], "bob");
    assert_eq!(lines[2]["outcome"], "ok");
    assert_eq!(lines[2]["pool"], "us-east-1_DemoPool1");
    assert!(lines[2]["sub"].is_string());
}

#[test]
fn without_allow_write_no_action_is_offered() {
    let (t, _dir) = start(&[], 100, 40);
    t.wait_for("No user loaded");
    t.type_text("u");
    t.type_text("bob");
    t.keys(&["Enter"]);
    t.wait_for("Username bob");
    // x says why nothing is offered, and how to turn writes on; the help has no write
    // lines; no badge.
    t.type_text("x");
    t.wait_for("writes are off: start with --allow-write, or allow_write = true for this pool");
    t.type_text("?");
    let screen = t.wait_for("Help: key bindings");
    for absent in ["actions", "Actions", "WRITES ON", "Confirm"] {
        assert!(!screen.contains(absent), "{absent:?} on screen:\n{screen}");
    }
    t.keys(&["Escape"]);
    // The list panes load on demand, and privacy mode masks.
    t.type_text("4");
    t.wait_for("support Support desk: read customer records");
    t.type_text("2p");
    let screen = t.wait_for_all(&["PRIVACY", "b•••@a•••.example"]);
    assert!(!screen.contains("bob@acme.example"), "{screen}");
    t.type_text("q");
    assert_eq!(t.wait_exit().0, 0);
}

#[test]
fn an_unwritable_audit_log_stops_the_app_before_the_ui_starts() {
    let dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_cognito-tui"))
        .args(["--demo", "--audit-log"])
        .arg(dir.path().join("no/such/dir/audit.jsonl"))
        .env("HOME", dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(cognito_tui::exit::AUDIT));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("cannot write the audit log"), "{stderr}");
    assert!(out.stdout.is_empty(), "the terminal UI never started");
}

#[test]
fn browse_filter_and_search_open_users_from_the_list() {
    let (t, _dir) = start(&[], 100, 30);
    t.wait_for("No user loaded");
    // Browse: the list fills from ListUsers; typing filters it locally; Enter opens.
    t.type_text("b");
    t.wait_for("kenji.tanaka");
    t.type_text("kenj");
    t.keys(&["Enter"]);
    t.wait_for("Username kenji.tanaka");
    // Type-ahead search by email prefix, then Enter.
    t.type_text("t");
    t.type_text("priya@");
    t.wait_for("priya@umbrella.example");
    t.keys(&["Enter"]);
    let screen = t.wait_for("Username priya.sharma");
    assert!(screen.contains("SMS_MFA"), "{screen}");
    // The pool picker lists the demo pool.
    t.type_text("P");
    t.wait_for("Choose a user pool");
    t.keys(&["Escape"]);
    // Esc then q at once would read as Alt-q: wait for the picker to close first.
    t.wait_until("the picker to close", tmux::DEFAULT_TIMEOUT, |s| {
        !s.contains("Choose a user pool")
    });
    t.type_text("q");
    let (status, _) = t.wait_exit();
    assert_eq!(status, 0, "screen:\n{}", t.screen());
}
