//! The audit log: content, no attribute values, concurrent writers, unwritable paths, file
//! mode and planted symlinks, the real OS user, and a line for every kind of read and write
//! in the one-shot commands and the TUI.

use crate::common::audit_log::lines;
use crate::common::{cli, tmux};
use cognito_tui::audit::{AuditError, AuditEvent, AuditLog};
use cognito_tui::cognito::demo::DemoBackend;
use cognito_tui::cognito::lookup::{LookupMode, lookup};

#[tokio::test]
async fn a_lookup_line_has_who_and_how_but_no_attribute_values() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("audit.jsonl");
    let log = AuditLog::open(&path, Some("support".into()), Some("us-east-1".into())).unwrap();
    let demo = DemoBackend::embedded();
    let result = lookup(
        &demo,
        &demo.pool_id(),
        "carol@acme.example",
        LookupMode::Auto,
        None,
    )
    .await;
    log.record(&AuditEvent::for_lookup(
        demo.pool_id().as_str(),
        "carol@acme.example",
        &result,
    ))
    .unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    let v: serde_json::Value = serde_json::from_str(text.trim()).unwrap();
    assert_eq!(v["action"], "lookup");
    assert_eq!(v["pool"], "us-east-1_DemoPool1");
    assert_eq!(v["profile"], "support");
    assert_eq!(v["region"], "us-east-1");
    assert_eq!(v["query"], "carol@acme.example");
    assert_eq!(v["resolved"], "by email, via ListUsers");
    assert_eq!(v["username"], "carol");
    assert_eq!(v["outcome"], "found");
    assert!(v["sub"].as_str().unwrap().len() == 36);
    assert!(v["timestamp"].as_str().unwrap().ends_with('Z'));
    assert!(v["os_user"].is_string());
    // carol's other attribute values never reach the log.
    for value in ["Carol", "Chen", "UNCONFIRMED"] {
        assert!(
            !text.contains(value),
            "{value} leaked into the audit log: {text}"
        );
    }
}

#[test]
fn two_writers_never_interleave_lines() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("audit.jsonl");
    let writers: Vec<_> = (0..2)
        .map(|w| {
            let path = path.clone();
            std::thread::spawn(move || {
                // Each writer opens the file itself, as two sessions would.
                let log = AuditLog::open(&path, None, None).unwrap();
                for i in 0..500 {
                    let event = AuditEvent {
                        action: "lookup".into(),
                        pool: "eu-west-1_Pool".into(),
                        query: Some(format!("writer{w}-{i}-{}", "x".repeat(300))),
                        outcome: "not_found".into(),
                        ..AuditEvent::default()
                    };
                    log.record(&event).unwrap();
                }
            })
        })
        .collect();
    for w in writers {
        w.join().unwrap();
    }
    let text = std::fs::read_to_string(&path).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 1000);
    for line in lines {
        let v: serde_json::Value = serde_json::from_str(line).expect("a whole JSON line");
        assert_eq!(v["outcome"], "not_found");
    }
}

#[test]
fn an_unwritable_path_is_refused_with_its_name() {
    let dir = tempfile::tempdir().unwrap();
    let missing_dir = dir.path().join("no/such/dir/audit.jsonl");
    let err = AuditLog::open(&missing_dir, None, None)
        .unwrap_err()
        .to_string();
    assert!(err.contains("no/such/dir/audit.jsonl"), "{err}");
    let err = AuditLog::open(dir.path(), None, None)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("it is a directory, not a regular file"),
        "{err}"
    );
}

#[cfg(unix)]
#[test]
fn a_new_audit_file_is_private_and_an_existing_one_open_to_others_is_refused() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("audit.jsonl");
    AuditLog::open(&path, None, None).unwrap();
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "new audit file mode {mode:o}");
    // An existing private file is appended to.
    AuditLog::open(&path, None, None).unwrap();

    // Group- or world-readable: refused with its mode and the fix, not appended to.
    for loose in [0o640, 0o604, 0o620] {
        let shared = dir.path().join(format!("shared-{loose:o}.jsonl"));
        std::fs::write(&shared, "").unwrap();
        std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(loose)).unwrap();
        let err = AuditLog::open(&shared, None, None).unwrap_err();
        assert!(matches!(err, AuditError::NotPrivate { .. }), "{err:?}");
        let message = err.to_string();
        assert!(message.contains(&format!("{loose:04o}")), "{message}");
        assert!(message.contains("chmod 600"), "{message}");
        let mode = std::fs::metadata(&shared).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, loose, "left as it was");
    }
    // Through the binary: exit 9, nothing looked up or written.
    let shared = dir.path().join("shared-640.jsonl");
    let r = cli::run_args(&[
        "get",
        "--demo",
        "bob",
        "--audit-log",
        shared.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 9, "{}", r.stderr);
    assert!(r.stderr.contains("open to other users"), "{}", r.stderr);
    assert_eq!(r.stdout, "");
    assert_eq!(std::fs::read_to_string(&shared).unwrap(), "");
}

/// Runs `get --demo bob` with `log` as the audit log, killed if it takes over 20 s.
fn get_bob_with_log(log: &std::path::Path) -> (i32, String, String) {
    let home = tempfile::tempdir().unwrap();
    let mut command = cli::command(home.path());
    command
        .args(["get", "--demo", "bob", "--audit-log"])
        .arg(log)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = command.spawn().unwrap();
    let started = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > std::time::Duration::from_secs(20) {
            child.kill().unwrap();
            panic!("hung on the audit log {}", log.display());
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let out = child.wait_with_output().unwrap();
    let text = |b: Vec<u8>| String::from_utf8_lossy(&b).into_owned();
    (
        out.status.code().unwrap_or(-1),
        text(out.stdout),
        text(out.stderr),
    )
}

#[cfg(unix)]
#[test]
fn a_fifo_or_a_device_as_the_audit_log_is_refused_without_hanging() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("audit.fifo");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    // No reader: opening it for writing would block forever without O_NONBLOCK.
    let (code, stdout, stderr) = get_bob_with_log(&fifo);
    assert_eq!(code, 9, "{stderr}");
    assert!(
        stderr.contains("it is a FIFO, not a regular file"),
        "{stderr}"
    );
    assert_eq!(stdout, "");
    // With a reader holding it open: still refused, and nothing reaches the reader.
    use std::os::unix::fs::OpenOptionsExt;
    let mut reader = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(&fifo)
        .unwrap();
    let (code, _, stderr) = get_bob_with_log(&fifo);
    assert_eq!(code, 9, "{stderr}");
    let mut got = Vec::new();
    let _ = std::io::Read::read_to_end(&mut reader, &mut got);
    assert!(got.is_empty(), "{}", String::from_utf8_lossy(&got));
    // Devices: /dev/null would swallow the trail, /dev/full refuse it after the fact.
    for device in ["/dev/null", "/dev/full"] {
        let (code, stdout, stderr) = get_bob_with_log(std::path::Path::new(device));
        assert_eq!(code, 9, "{device}: {stderr}");
        assert!(stderr.contains("it is a device"), "{stderr}");
        assert_eq!(stdout, "", "{device}: looked up before refusing");
    }
    // The positive control: a regular file in the same directory is written.
    let (code, stdout, stderr) = get_bob_with_log(&dir.path().join("audit.jsonl"));
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("bob"));
}

#[cfg(unix)]
#[test]
fn a_directory_symlink_owned_by_another_user_is_refused_ours_is_followed() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("real");
    std::fs::create_dir(&real).unwrap();
    let ours = dir.path().join("ours");
    std::os::unix::fs::symlink(&real, &ours).unwrap();
    let theirs = dir.path().join("theirs");
    std::os::unix::fs::symlink(&real, &theirs).unwrap();
    // Planting another user's link needs root (the test runner is root in CI).
    std::os::unix::fs::lchown(&theirs, Some(65534), Some(65534))
        .expect("lchown needs root: run the tests as root");

    AuditLog::open(&ours.join("audit.jsonl"), None, None).expect("our own link is followed");
    assert!(real.join("audit.jsonl").exists());
    let err = AuditLog::open(&theirs.join("other.jsonl"), None, None).unwrap_err();
    assert!(
        matches!(err, AuditError::ForeignSymlink { owner: 65534, .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("theirs"), "{err}");
    assert!(
        !real.join("other.jsonl").exists(),
        "nothing created through it"
    );
    // Deeper: a link of ours pointing through theirs is refused too.
    let via = dir.path().join("via");
    std::os::unix::fs::symlink(theirs.join("."), &via).unwrap();
    let err = AuditLog::open(&via.join("x.jsonl"), None, None).unwrap_err();
    assert!(matches!(err, AuditError::ForeignSymlink { .. }), "{err:?}");
    // Through the binary: exit 9, nothing printed.
    let r = cli::run_args(&[
        "get",
        "--demo",
        "bob",
        "--audit-log",
        theirs.join("a.jsonl").to_str().unwrap(),
    ]);
    assert_eq!(r.code, 9, "{}", r.stderr);
    assert!(
        r.stderr.contains("symbolic link owned by another user"),
        "{}",
        r.stderr
    );
    assert_eq!(r.stdout, "");
}

#[cfg(unix)]
#[test]
fn a_symlink_planted_in_place_of_the_audit_log_is_refused_not_followed() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("elsewhere.txt");
    std::fs::write(&target, "untouched\n").unwrap();
    let path = dir.path().join("audit.jsonl");
    std::os::unix::fs::symlink(&target, &path).unwrap();
    let err = AuditLog::open(&path, None, None).unwrap_err();
    assert!(matches!(err, AuditError::Symlink { .. }), "{err:?}");
    let message = err.to_string();
    assert!(message.contains("symbolic link"), "{message}");
    assert!(message.contains("audit.jsonl"), "{message}");

    // Through the binary: refused before any lookup, with the message, and nothing written.
    let r = cli::run_args(&[
        "get",
        "--demo",
        "bob",
        "--audit-log",
        path.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 9, "{}", r.stderr);
    assert!(r.stderr.contains("symbolic link"), "{}", r.stderr);
    assert!(r.stdout.is_empty());
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "untouched\n");
}

#[cfg(unix)]
#[test]
fn the_os_user_is_the_real_uid_not_the_user_variable() {
    let real = std::process::Command::new("id")
        .arg("-un")
        .output()
        .unwrap();
    let real = String::from_utf8(real.stdout).unwrap().trim().to_string();
    assert!(!real.is_empty());
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("audit.jsonl");
    let mut command = cli::command(dir.path());
    command
        .env("USER", "someone-else")
        .env("LOGNAME", "someone-else")
        .args(["get", "--demo", "bob", "-o", "json", "--audit-log"])
        .arg(&log);
    let r = cli::run(command);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let lines = lines(&log);
    assert_eq!(lines.len(), 2, "the start line, the lookup: {lines:?}");
    assert!(
        lines.iter().all(|l| l["os_user"] == real.as_str()),
        "{lines:?}"
    );
}

#[test]
fn an_export_is_a_start_and_an_end_line_with_its_filter_and_count() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("audit.jsonl");
    let r = cli::run_args(&[
        "export",
        "--demo",
        "--enabled",
        "false",
        "-o",
        "json",
        "--audit-log",
        log.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let exported = r.stdout.lines().count() as u64;
    assert!(exported > 0, "the demo pool has disabled users");
    let lines = lines(&log);
    assert_eq!(
        lines.len(),
        2,
        "a start and an end line per export run: {lines:?}"
    );
    for (line, phase) in lines.iter().zip(["start", "end"]) {
        assert_eq!(line["action"], "export");
        assert_eq!(line["phase"], phase);
        assert_eq!(line["query"], "status = \"Disabled\"");
        assert_eq!(line["pool"], "us-east-1_DemoPool1");
    }
    assert_eq!(lines[1]["count"], exported);
    assert_eq!(lines[1]["outcome"], "ok");
    assert!(
        lines[1].get("resume").is_none(),
        "a finished export has no resume token"
    );
}

#[test]
fn a_one_shot_search_is_audited_with_its_count() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("audit.jsonl");
    let r = cli::run_args(&[
        "search",
        "--demo",
        "al",
        "-o",
        "json",
        "--audit-log",
        log.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let printed: Vec<serde_json::Value> = serde_json::from_str(&r.stdout).unwrap();
    let mut first = lines(&log);
    assert_eq!(first.len(), 2, "the start line, the search: {first:?}");
    assert_eq!(
        (&first[0]["action"], &first[0]["phase"]),
        (&"search".into(), &"start".into())
    );
    first.remove(0);
    assert_eq!(first[0]["action"], "search");
    assert_eq!(first[0]["query"], "al");
    assert_eq!(first[0]["outcome"], "ok");
    assert_eq!(first[0]["pool"], "us-east-1_DemoPool1");
    assert!(first[0]["count"].as_u64().unwrap() >= printed.len() as u64);

    let r = cli::run_args(&[
        "search",
        "--demo",
        "zzzz-nobody",
        "--audit-log",
        log.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 3, "{}", r.stderr);
    let last = lines(&log).pop().unwrap();
    assert_eq!(last["outcome"], "not_found");
    assert_eq!(last["count"], 0);
}

#[test]
fn audit_lines_escape_invisible_characters_in_queries() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("audit.jsonl");
    let log = AuditLog::open(&path, None, None).unwrap();
    let query = "bob\u{202e}\u{200b}\u{E0041}\u{2028}";
    log.record(&AuditEvent {
        action: "lookup".into(),
        pool: "eu-west-1_Pool".into(),
        query: Some(query.into()),
        outcome: "not_found".into(),
        ..AuditEvent::default()
    })
    .unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    for c in ['\u{202e}', '\u{200b}', '\u{E0041}', '\u{2028}'] {
        assert!(!text.contains(c), "raw {c:?} in {text:?}");
    }
    assert_eq!(
        lines(&path)[0]["query"],
        query,
        "the value parses back exactly"
    );
}

const TUI_ENV: &[(&str, &str)] = &tmux::TUI_ENV;

fn start_tui(extra: &[&str], env: &[(&str, &str)]) -> (tmux::Tmux, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("tui.log");
    let audit = dir.path().join("audit.jsonl");
    let mut args = vec![
        "--demo",
        "--log-file",
        log.to_str().unwrap(),
        "--audit-log",
        audit.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let mut all_env = TUI_ENV.to_vec();
    all_env.extend_from_slice(env);
    let t = tmux::Tmux::spawn(env!("CARGO_BIN_EXE_cognito-tui"), &args, &all_env, 100, 30);
    (t, dir)
}

#[test]
fn a_lookup_replaced_while_in_flight_is_audited_as_superseded() {
    // Every demo request takes 2 s, so the first lookup is still out when the second starts.
    let (t, dir) = start_tui(&[], &[("COGNITO_TUI_DEMO_LATENCY_MS", "2000")]);
    t.wait_for("No user loaded");
    t.type_text("u");
    t.type_text("alice");
    t.keys(&["Enter"]);
    t.type_text("u");
    t.type_text("bob");
    t.keys(&["Enter"]);
    t.wait_for("Username bob");
    t.type_text("q");
    assert_eq!(t.wait_exit().0, 0);
    let lines = lines(&dir.path().join("audit.jsonl"));
    let lookups: Vec<_> = lines.iter().filter(|l| l["action"] == "lookup").collect();
    assert_eq!(lookups.len(), 2, "{lines:#?}");
    assert_eq!(lookups[0]["query"], "alice");
    assert_eq!(lookups[0]["outcome"], "superseded");
    assert_eq!(lookups[1]["query"], "bob");
    assert_eq!(lookups[1]["username"], "bob");
}

/// Three named pools on the demo: the demo pool, and two the demo answers "pool not found".
const THREE_POOLS: &str = "[pools.acme]\npool_id = \"us-east-1_DemoPool1\"\n\n\
                           [pools.emea]\npool_id = \"eu-west-1_Emea1\"\n\n\
                           [pools.staging]\npool_id = \"us-east-1_Staging1\"\n";

/// The TUI on the demo with [`THREE_POOLS`] and every request taking 5 s (the keys that
/// follow must land before any pool answers, even on a loaded machine); `A alice Enter` sent
/// and both pools being asked. The config's directory comes back with the log's.
fn all_pools_asking() -> (tmux::Tmux, tempfile::TempDir, tempfile::TempDir) {
    let config_dir = tempfile::tempdir().unwrap();
    let config = config_dir.path().join("config.toml");
    std::fs::write(&config, THREE_POOLS).unwrap();
    let (t, dir) = start_tui(
        &["--config", config.to_str().unwrap()],
        &[("COGNITO_TUI_DEMO_LATENCY_MS", "5000")],
    );
    t.wait_for("No user loaded");
    t.type_text("A");
    t.wait_for("Look up in every named pool");
    t.type_text("alice");
    t.keys(&["Enter"]);
    t.wait_for("\"alice\" in 3 named pools");
    (t, dir, config_dir)
}

/// The audit log's lookup lines as (pool, query, outcome), in the order written.
fn lookup_lines(dir: &tempfile::TempDir) -> Vec<(String, String, String)> {
    (lines(&dir.path().join("audit.jsonl")).iter())
        .filter(|l| l["action"] == "lookup")
        .map(|l| {
            let s = |k: &str| l[k].as_str().unwrap_or_default().to_string();
            (s("pool"), s("query"), s("outcome"))
        })
        .collect()
}

#[test]
fn quitting_while_all_pools_lookups_are_in_flight_audits_them_as_superseded() {
    let (t, dir, _config) = all_pools_asking();
    // Closed and quit well inside the 5 s every pool takes to answer.
    t.keys(&["Escape"]);
    t.type_text("q");
    assert_eq!(t.wait_exit().0, 0);
    let mut got = lookup_lines(&dir);
    got.sort();
    let line = |pool: &str| {
        (
            pool.to_string(),
            "alice".to_string(),
            "superseded".to_string(),
        )
    };
    assert_eq!(
        got,
        [
            line("eu-west-1_Emea1"),
            line("us-east-1_DemoPool1"),
            line("us-east-1_Staging1")
        ],
        "one superseded line per pool asked"
    );
}

#[test]
fn quitting_while_a_lookup_is_in_flight_audits_it_as_superseded() {
    let (t, dir) = start_tui(&[], &[("COGNITO_TUI_DEMO_LATENCY_MS", "2000")]);
    t.wait_for("No user loaded");
    t.type_text("u");
    t.type_text("alice");
    t.keys(&["Enter"]);
    t.wait_for("looking up \"alice\"");
    t.type_text("q");
    assert_eq!(t.wait_exit().0, 0);
    let line = ("us-east-1_DemoPool1".to_string(), "alice".to_string());
    let got: Vec<_> = (lookup_lines(&dir).into_iter())
        .map(|(pool, query, outcome)| ((pool, query), outcome))
        .collect();
    assert_eq!(got, [(line, "superseded".to_string())]);
}

#[test]
fn a_second_all_pools_run_stops_the_first_and_audits_it_as_superseded() {
    let (t, dir, _config) = all_pools_asking();
    // A again before the first run answered: the same query, asked anew.
    t.keys(&["Escape"]);
    t.type_text("A");
    t.wait_for("\"alice\": in 1 of 3 named pools");
    t.keys(&["Escape"]);
    t.type_text("q");
    assert_eq!(t.wait_exit().0, 0);
    let got = lookup_lines(&dir);
    assert_eq!(got.len(), 6, "three pools, two runs: {got:#?}");
    let outcomes = |lines: &[(String, String, String)]| {
        let mut v: Vec<(String, String)> = (lines.iter())
            .map(|(pool, query, outcome)| {
                assert_eq!(query, "alice");
                (pool.clone(), outcome.clone())
            })
            .collect();
        v.sort();
        v
    };
    let pair = |pool: &str, outcome: &str| (pool.to_string(), outcome.to_string());
    // The first run's lookups were stopped when the second began, before it answered.
    assert_eq!(
        outcomes(&got[..3]),
        [
            pair("eu-west-1_Emea1", "superseded"),
            pair("us-east-1_DemoPool1", "superseded"),
            pair("us-east-1_Staging1", "superseded")
        ],
        "{got:#?}"
    );
    assert_eq!(
        outcomes(&got[3..]),
        [
            pair("eu-west-1_Emea1", "ResourceNotFoundException"),
            pair("us-east-1_DemoPool1", "found"),
            pair("us-east-1_Staging1", "ResourceNotFoundException")
        ],
        "{got:#?}"
    );
}

#[test]
fn the_tui_audits_searches_browsing_and_list_panes() {
    let (t, dir) = start_tui(&[], &[]);
    t.wait_for("No user loaded");
    t.type_text("t");
    t.type_text("priya@");
    t.wait_for("priya@umbrella.example");
    t.keys(&["Escape"]);
    t.wait_until("the search to close", tmux::DEFAULT_TIMEOUT, |s| {
        !s.contains("priya@umbrella.example")
    });
    t.type_text("b");
    t.wait_for("kenji.tanaka");
    t.keys(&["Escape"]);
    t.wait_until("browse to close", tmux::DEFAULT_TIMEOUT, |s| {
        !s.contains("kenji.tanaka")
    });
    t.type_text("u");
    t.type_text("bob");
    t.keys(&["Enter"]);
    t.wait_for("Username bob");
    t.type_text("4");
    t.wait_for("support Support desk: read customer records");
    t.type_text("q");
    assert_eq!(t.wait_exit().0, 0);

    let lines = lines(&dir.path().join("audit.jsonl"));
    let find = |action: &str| {
        lines
            .iter()
            .find(|l| l["action"] == action)
            .unwrap_or_else(|| panic!("no {action} line in {lines:#?}"))
    };
    let search = find("search");
    assert_eq!(search["query"], "priya@");
    assert_eq!(search["count"], 1);
    assert_eq!(search["outcome"], "ok");
    let browse = find("browse");
    assert!(browse["count"].as_u64().unwrap() > 0, "{browse}");
    let lookup = find("lookup");
    assert_eq!(lookup["username"], "bob");
    let groups = find("list_groups");
    assert_eq!(groups["username"], "bob");
    assert_eq!(groups["outcome"], "ok");
    assert!(groups["count"].as_u64().unwrap() >= 1, "{groups}");
    for line in &lines {
        assert_eq!(line["pool"], "us-east-1_DemoPool1", "{line}");
    }
}

#[test]
fn a_write_is_logged_before_it_is_sent_and_quitting_waits_for_its_outcome() {
    // Each demo request takes 1.5 s, so `q` arrives while the write is in flight.
    let (t, dir) = start_tui(
        &["--allow-write"],
        &[("COGNITO_TUI_DEMO_LATENCY_MS", "1500")],
    );
    t.wait_for("WRITES ON");
    t.type_text("u");
    t.type_text("bob");
    t.keys(&["Enter"]);
    t.wait_for_all(&["Username bob", "Enabled  yes"]);
    t.type_text("x");
    t.wait_for("Actions on bob in Acme support demo (us-east-1_DemoPool1)");
    t.keys(&["Enter"]);
    t.wait_for("Type the username (bob)");
    t.type_text("bob");
    t.keys(&["Enter"]);
    let audit = dir.path().join("audit.jsonl");
    // The attempt is on record before the answer comes.
    let deadline = std::time::Instant::now() + tmux::DEFAULT_TIMEOUT;
    while !lines(&audit).iter().any(|l| l["phase"] == "attempt") {
        assert!(std::time::Instant::now() < deadline, "no attempt line");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert!(
        !lines(&audit).iter().any(|l| l["phase"] == "outcome"),
        "the outcome came before the write could finish"
    );
    t.type_text("q");
    let (status, _) = t.wait_exit();
    assert_eq!(status, 0);

    let lines = lines(&audit);
    let writes: Vec<&serde_json::Value> = lines
        .iter()
        .filter(|l| l["action"] == "disable_user")
        .collect();
    assert_eq!(writes.len(), 2, "{lines:#?}");
    assert_eq!(writes[0]["phase"], "attempt");
    assert!(writes[0].get("outcome").is_none(), "{}", writes[0]);
    assert_eq!(writes[1]["phase"], "outcome");
    assert_eq!(writes[1]["outcome"], "ok");
    for w in &writes {
        assert_eq!(w["username"], "bob");
        assert!(w["sub"].is_string());
    }
}

/// The TUI opened on a named pool records the profile that pool's config gives, the one its
/// requests really use — not the command line's (none here).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_tui_records_a_named_pools_profile() {
    use crate::common::emulator::{Emulator, Kind};
    use crate::common::seed;
    let Some(emulator) = Emulator::start(Kind::Moto) else {
        return;
    };
    let seeded = seed::seed(&seed::client(&emulator.url())).await;
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        format!(
            "[pools.support]\npool_id = \"{}\"\nprofile = \"support-ro\"\nregion = \"{}\"\n\
             endpoint_url = \"{}\"\n",
            seeded.plain_pool,
            seed::REGION,
            emulator.url()
        ),
    )
    .unwrap();
    let credentials = dir.path().join("credentials");
    std::fs::write(
        &credentials,
        "[support-ro]\naws_access_key_id = test\naws_secret_access_key = test\n",
    )
    .unwrap();
    let aws_config = dir.path().join("aws-config");
    std::fs::write(&aws_config, "").unwrap();
    let audit = dir.path().join("audit.jsonl");
    let log = dir.path().join("tui.log");
    let args: Vec<String> = [
        "--config",
        config.to_str().unwrap(),
        "--pool",
        "support",
        "--log-file",
        log.to_str().unwrap(),
        "--audit-log",
        audit.to_str().unwrap(),
        "--lookup",
        "carol",
    ]
    .map(String::from)
    .to_vec();
    let env: Vec<(&'static str, String)> = vec![
        ("AWS_EC2_METADATA_DISABLED", "true".into()),
        (
            "AWS_SHARED_CREDENTIALS_FILE",
            credentials.to_str().unwrap().into(),
        ),
        ("AWS_CONFIG_FILE", aws_config.to_str().unwrap().into()),
        ("HOME", dir.path().to_str().unwrap().into()),
    ];
    let audit_lines = tokio::task::spawn_blocking(move || {
        let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let t = tmux::Tmux::spawn(env!("CARGO_BIN_EXE_cognito-tui"), &args, &env, 100, 30);
        t.wait_for("Username carol");
        t.type_text("q");
        assert_eq!(t.wait_exit().0, 0);
        lines(&audit)
    })
    .await
    .unwrap();
    let lookup = audit_lines
        .iter()
        .find(|l| l["action"] == "lookup")
        .unwrap_or_else(|| panic!("{audit_lines:?}"));
    assert_eq!(lookup["username"], "carol");
    assert_eq!(lookup["profile"], "support-ro", "{lookup}");
    assert_eq!(lookup["region"], seed::REGION);
    assert_eq!(lookup["pool"], seeded.plain_pool.as_str());
}

#[test]
fn every_one_shot_command_stops_before_any_output_when_the_audit_log_cannot_be_opened() {
    // A directory is no file to append to: every command prepares its run the same way, so
    // each refuses with exit 9 and the log's name, having printed nothing (not even a header).
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().to_str().unwrap();
    let commands: [&[&str]; 7] = [
        &["get", "--demo", "alice", "-o", "json"],
        &["get", "--demo", "alice", "-o", "csv"],
        &["get", "--demo", "-"],
        &["search", "--demo", "al", "-o", "json"],
        &["diagnose", "--demo", "alice", "-o", "json"],
        &["diagnose", "--demo", "-", "-o", "json"],
        &["export", "--demo", "-o", "csv"],
    ];
    for args in commands {
        let args = [args, &["--audit-log", log]].concat();
        let r = cli::run_with_stdin(&args, "alice\n");
        assert_eq!(r.code, 9, "{args:?}: {}", r.stderr);
        assert_eq!(r.stdout, "", "{args:?} printed before refusing");
        assert!(
            r.stderr.contains("audit log") && r.stderr.contains("it is a directory"),
            "{args:?}: {}",
            r.stderr
        );
    }
}

/// The binary with `args` (stdin fed `stdin`), the process's file-size limit at `blocks`
/// (512-byte blocks; SIGXFSZ ignored, so an append past it fails with EFBIG, as on a full
/// disk): an audit file that takes no more bytes.
#[cfg(unix)]
fn with_file_limit(blocks: &str, args: &[&str], stdin: &str) -> cli::Run {
    use std::io::Write;
    let home = tempfile::tempdir().unwrap();
    let command = cli::command(home.path());
    let binary = env!("CARGO_BIN_EXE_cognito-tui");
    let script = format!("trap '' XFSZ; ulimit -f {blocks}; exec \"$0\" \"$@\"");
    let mut shell = std::process::Command::new("sh");
    shell.args(["-c", &script, binary]).args(args).env_clear();
    for (key, value) in command.get_envs() {
        if let Some(value) = value {
            shell.env(key, value);
        }
    }
    shell
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = shell.spawn().unwrap();
    let _ = child.stdin.take().unwrap().write_all(stdin.as_bytes());
    let out = child.wait_with_output().unwrap();
    let text = |b: Vec<u8>| String::from_utf8_lossy(&b).into_owned();
    cli::Run {
        code: out.status.code().unwrap_or(-1),
        stdout: text(out.stdout),
        stderr: text(out.stderr),
        elapsed: std::time::Duration::ZERO,
    }
}

/// `get alice` against `url` with `log` as the audit log, at a file-size limit of `blocks`.
#[cfg(unix)]
fn get_alice_with_file_limit(url: &str, log: &std::path::Path, blocks: &str) -> cli::Run {
    let args = [
        "get",
        "--pool",
        "eu-west-1_AbC123",
        "alice",
        "-o",
        "json",
        "--endpoint-url",
        url,
        "--region",
        "eu-west-1",
        "--audit-log",
        log.to_str().unwrap(),
    ];
    with_file_limit(blocks, &args, "")
}

/// A stub answering every request with AdminGetUser's shape for alice.
async fn alice_stub() -> wiremock::MockServer {
    use wiremock::{Mock, MockServer, ResponseTemplate, matchers::any};
    let server = MockServer::start().await;
    let user = serde_json::json!({
        "Username": "alice",
        "UserAttributes": [{"Name": "sub", "Value": "0f8fad5b-d9cb-469f-a165-70867728950e"}],
        "UserStatus": "CONFIRMED",
        "Enabled": true,
        "UserCreateDate": 1.7e9,
        "UserLastModifiedDate": 1.7e9
    });
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(user))
        .mount(&server)
        .await;
    server
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_whose_audit_file_fills_up_stops_sending() {
    use std::os::unix::fs::PermissionsExt;
    let server = alice_stub().await;
    let dir = tempfile::tempdir().unwrap();
    let (log, config) = (
        dir.path().join("audit.jsonl"),
        dir.path().join("config.toml"),
    );
    std::fs::write(&log, "").unwrap();
    std::fs::set_permissions(&log, std::fs::Permissions::from_mode(0o600)).unwrap();
    // Four lookups in flight, one a second: the batch would take 30 s to the end.
    std::fs::write(&config, "[rate_limits]\nuser_read = 1\n").unwrap();
    let (url, log_arg, config_arg) = (
        server.uri(),
        log.to_str().unwrap().to_string(),
        config.to_str().unwrap().to_string(),
    );
    let stdin: String = (0..30).map(|i| format!("alice{i}\n")).collect();
    // 1 block: the start line and a lookup line fit, then appends fail.
    let r = cli::blocking(move || {
        let args = [
            "--config",
            &config_arg,
            "get",
            "--pool",
            "eu-west-1_AbC123",
            "-",
            "-o",
            "json",
            "--endpoint-url",
            &url,
            "--region",
            "eu-west-1",
            "--audit-log",
            &log_arg,
        ];
        with_file_limit("1", &args, &stdin)
    })
    .await;
    assert_eq!(r.code, 9, "{}", r.stderr);
    assert!(
        r.stderr.contains("no further request was sent"),
        "{}",
        r.stderr
    );
    let sent = server.received_requests().await.unwrap().len();
    assert!(
        (1..=6).contains(&sent),
        "{sent} of 30 lookups sent after the log filled up"
    );
    assert!(
        r.stdout.lines().count() < sent.max(1),
        "an answer printed without its line"
    );
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_audit_file_that_takes_no_line_stops_get_before_any_request() {
    use std::os::unix::fs::PermissionsExt;
    let server = alice_stub().await;
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("audit.jsonl");
    std::fs::write(&log, "").unwrap();
    std::fs::set_permissions(&log, std::fs::Permissions::from_mode(0o600)).unwrap();
    let (url, path) = (server.uri(), log.clone());
    let full = cli::blocking(move || get_alice_with_file_limit(&url, &path, "0")).await;
    assert_eq!(full.code, 9, "{}", full.stderr);
    assert!(
        full.stderr.contains("cannot write the audit log"),
        "{}",
        full.stderr
    );
    assert!(
        full.stderr.contains("nothing"),
        "says nothing was sent: {}",
        full.stderr
    );
    assert_eq!(full.stdout, "", "nothing printed");
    let sent = server.received_requests().await.unwrap().len();
    assert_eq!(
        sent, 0,
        "a request left before its audit line could be written"
    );
    assert_eq!(std::fs::read_to_string(&log).unwrap(), "");
    // Every one-shot command: the same test write, the same refusal, nothing printed or sent.
    let commands: [&[&str]; 5] = [
        &["export", "-o", "json"],
        &["export", "-o", "csv"],
        &["get", "-"],
        &["search", "al"],
        &["diagnose", "alice"],
    ];
    for command in commands {
        let (url, log_arg) = (server.uri(), log.to_str().unwrap().to_string());
        let args: Vec<String> = [command, &["--pool", "eu-west-1_AbC123", "--endpoint-url"]]
            .concat()
            .iter()
            .map(|a| a.to_string())
            .chain([
                url,
                "--region".into(),
                "eu-west-1".into(),
                "--audit-log".into(),
                log_arg,
            ])
            .collect();
        let r = cli::blocking(move || {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            with_file_limit("0", &args, "alice\n")
        })
        .await;
        assert_eq!(r.code, 9, "{command:?}: {}", r.stderr);
        assert_eq!(r.stdout, "", "{command:?} printed before refusing");
        let sent = server.received_requests().await.unwrap().len();
        assert_eq!(sent, 0, "{command:?} sent a request before its audit line");
    }

    // The positive control: the same run with room in the file is sent and audited.
    let (url, path) = (server.uri(), log.clone());
    let room = cli::blocking(move || get_alice_with_file_limit(&url, &path, "unlimited")).await;
    assert_eq!(room.code, 0, "{}", room.stderr);
    assert!(room.stdout.contains("alice"));
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
    let lines = lines(&log);
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert_eq!(lines[1]["outcome"], "found");
}

#[test]
fn get_include_and_diagnose_audit_every_list_they_read() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("audit.jsonl");
    let log_arg = log.to_str().unwrap();
    let args = [
        "get",
        "--demo",
        "alice",
        "-o",
        "json",
        "--include",
        "groups,devices,events",
    ];
    let r = cli::run_args(&[&args[..], &["--audit-log", log_arg]].concat());
    assert_eq!(r.code, 0, "{}", r.stderr);
    let actions: Vec<(String, String)> = (lines(&log).iter())
        .map(|l| {
            (
                l["action"].as_str().unwrap().into(),
                l["username"].as_str().unwrap_or("").into(),
            )
        })
        .collect();
    let alice = |a: &str| (a.to_string(), "alice".to_string());
    assert_eq!(
        actions,
        [
            ("get".into(), String::new()),
            alice("lookup"),
            alice("list_groups"),
            alice("list_devices"),
            alice("list_sign_ins")
        ]
    );
    let printed: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let groups = printed["Groups"].as_array().map_or(0, Vec::len) as u64;
    assert!(groups > 0, "{printed}");
    assert_eq!(
        lines(&log)[2]["count"],
        groups,
        "the line counts what was read"
    );

    std::fs::remove_file(&log).unwrap();
    let r = cli::run_args(&[
        "diagnose",
        "--demo",
        "alice",
        "-o",
        "json",
        "--audit-log",
        log_arg,
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let actions: Vec<String> = (lines(&log).iter())
        .map(|l| l["action"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        actions,
        // The demo pool allows passkeys, so the diagnosis reads the user's factors too.
        ["diagnose", "lookup", "list_sign_ins", "get_auth_factors"],
        "the history read is on record"
    );
}
