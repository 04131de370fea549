//! Long runs through the real binary, stopped by a signal mid-run: an export and a batch
//! `get -` on the demo pool with every request slowed (`COGNITO_TUI_DEMO_LATENCY_MS`), sent
//! SIGTERM, SIGHUP (an SSH drop) or SIGINT once their first line is out. Each ends with the
//! signal's exit code and an audit trail bracketed by its `start` and `end` lines; the export's
//! end line holds the token it printed, which resumes it to every user exactly once; every
//! lookup the batch sent is on record, answered (printed or not) or `cancelled`.

use crate::common::cli::{self, Run};

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::process::Stdio;
use std::time::Instant;

use serde_json::Value;

/// The demo pool's users.
const DEMO_USERS: usize = 30;

/// Runs the binary with `args` (stdin fed `stdin`, each demo request taking `latency_ms`),
/// sends `signal` once the first line is on stdout, and returns what it printed.
fn signalled(args: &[&str], stdin: &str, latency_ms: u32, signal: &str) -> Run {
    let home = tempfile::tempdir().expect("home");
    let mut command = cli::command(home.path());
    command
        .args(args)
        .env("COGNITO_TUI_DEMO_LATENCY_MS", latency_ms.to_string())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let started = Instant::now();
    let mut child = command.spawn().expect("spawn");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let err_reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stderr.read_to_string(&mut s);
        s
    });
    let mut stdout = String::new();
    let mut sent = false;
    for line in BufReader::new(child.stdout.take().unwrap()).lines() {
        stdout.push_str(&line.unwrap());
        stdout.push('\n');
        if !sent {
            let pid = child.id().to_string();
            let status = std::process::Command::new("kill")
                .args([&format!("-{signal}"), &pid])
                .status()
                .expect("kill");
            assert!(status.success());
            sent = true;
        }
    }
    let status = child.wait().unwrap();
    assert!(sent, "the run printed nothing before it ended");
    Run {
        code: status.code().unwrap_or(-1),
        stdout,
        stderr: err_reader.join().unwrap(),
        elapsed: started.elapsed(),
    }
}

fn audit_lines(path: &std::path::Path) -> Vec<Value> {
    (std::fs::read_to_string(path).unwrap().lines())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

/// The usernames of JSON lines.
fn usernames(stdout: &str) -> Vec<String> {
    (stdout.lines())
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["Username"]
                .as_str()
                .unwrap()
                .into()
        })
        .collect()
}

const SIGNALS: [(&str, i32); 3] = [("TERM", 143), ("HUP", 129), ("INT", 130)];

#[test]
fn an_export_stopped_by_any_signal_ends_its_audit_trail_with_a_token_that_resumes_it() {
    for (signal, code) in SIGNALS {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("audit.jsonl");
        let log_arg = log.to_str().unwrap();
        // Sixteen shards two at a time, 400 ms a page: about 3 s, stopped after the first.
        let args = [
            "export",
            "--demo",
            "--streams",
            "2",
            "-o",
            "json",
            "--audit-log",
            log_arg,
        ];
        let first = signalled(&args, "", 400, signal);
        assert_eq!(first.code, code, "SIG{signal}: {}", first.stderr);
        let printed = usernames(&first.stdout);
        assert!(
            (1..DEMO_USERS).contains(&printed.len()),
            "SIG{signal} stopped it early: {} users",
            printed.len()
        );
        let token = (first.stderr.lines())
            .find_map(|l| l.strip_prefix("resume with: --starting-token "))
            .unwrap_or_else(|| panic!("SIG{signal}: no resume token: {}", first.stderr))
            .to_string();
        let lines = audit_lines(&log);
        assert_eq!(lines.len(), 2, "SIG{signal}: {lines:?}");
        assert_eq!(
            (&lines[0]["action"], &lines[0]["phase"]),
            (&"export".into(), &"start".into())
        );
        let end = &lines[1];
        assert_eq!(
            (&end["action"], &end["phase"]),
            (&"export".into(), &"end".into())
        );
        assert_eq!(end["outcome"], format!("interrupted (SIG{signal})"));
        assert_eq!(end["count"], printed.len() as u64, "{end}");
        assert_eq!(
            end["resume"],
            token.as_str(),
            "the end line holds the printed token"
        );

        // Resumed from the token: the rest, and every user exactly once in all.
        let resume = [&args[..], &["--starting-token", &token]].concat();
        let second = cli::run_args(&resume);
        assert_eq!(second.code, 0, "{}", second.stderr);
        let mut seen: HashMap<String, usize> = HashMap::new();
        for user in printed.into_iter().chain(usernames(&second.stdout)) {
            *seen.entry(user).or_default() += 1;
        }
        assert_eq!(seen.len(), DEMO_USERS, "SIG{signal}: {seen:?}");
        assert!(
            seen.values().all(|n| *n == 1),
            "SIG{signal}: twice: {seen:?}"
        );
        let last = audit_lines(&log).pop().unwrap();
        assert_eq!(
            (&last["phase"], &last["outcome"]),
            (&"end".into(), &"ok".into())
        );
    }
}

#[test]
fn a_batch_stopped_by_any_signal_audits_every_lookup_it_sent_and_ends_its_trail() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    // Lookups start every 125 ms (user_read 8) and take 1 s each, so about eight are in
    // flight at any moment: the signal, sent after the first answer, always finds some out
    // (at 2/s and 500 ms it could land between one finishing and the next starting).
    std::fs::write(&config, "[rate_limits]\nuser_read = 8\n").unwrap();
    let queries: Vec<String> = (0..24).map(|i| format!("nobody{i:02}")).collect();
    let stdin = queries.join("\n") + "\n";
    for (signal, code) in SIGNALS {
        let log = dir.path().join(format!("audit-{signal}.jsonl"));
        let args = [
            "--config",
            config.to_str().unwrap(),
            "get",
            "--demo",
            "-",
            "-o",
            "json",
            "--audit-log",
            log.to_str().unwrap(),
        ];
        let run = signalled(&args, &stdin, 1000, signal);
        assert_eq!(run.code, code, "SIG{signal}: {}", run.stderr);
        let printed: Vec<String> = (run.stdout.lines())
            .map(|l| {
                serde_json::from_str::<Value>(l).unwrap()["Query"]
                    .as_str()
                    .unwrap()
                    .into()
            })
            .collect();
        assert!((1..queries.len()).contains(&printed.len()), "{printed:?}");
        let lines = audit_lines(&log);
        let (start, end) = (&lines[0], lines.last().unwrap());
        assert_eq!(
            (&start["action"], &start["phase"]),
            (&"get".into(), &"start".into())
        );
        assert_eq!(start["count"], queries.len() as u64);
        assert_eq!(
            (&end["action"], &end["phase"]),
            (&"get".into(), &"end".into())
        );
        assert_eq!(end["outcome"], format!("interrupted (SIG{signal})"));
        assert_eq!(end["count"], printed.len() as u64);
        let lookups: HashMap<String, String> = (lines.iter())
            .filter(|l| l["action"] == "lookup")
            .map(|l| {
                (
                    l["query"].as_str().unwrap().into(),
                    l["outcome"].as_str().unwrap().into(),
                )
            })
            .collect();
        let lookup_lines = lines.iter().filter(|l| l["action"] == "lookup").count();
        assert_eq!(lookup_lines, lookups.len(), "one line per query: {lines:?}");
        for query in &printed {
            assert_eq!(
                lookups.get(query).map(String::as_str),
                Some("not_found"),
                "{query}"
            );
        }
        // The lookups out when the signal came are on record too: answered, or cancelled.
        assert!(
            lookups.len() > printed.len(),
            "SIG{signal}: the lookups in flight left no line: {lines:?}"
        );
        assert!(
            lookups
                .values()
                .all(|o| o == "not_found" || o == "cancelled"),
            "{lookups:?}"
        );
    }
}

#[test]
fn an_export_whose_reader_goes_away_ends_its_trail_as_cancelled() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("audit.jsonl");
    let home = tempfile::tempdir().unwrap();
    let mut command = cli::command(home.path());
    command
        .args([
            "export",
            "--demo",
            "--streams",
            "2",
            "-o",
            "json",
            "--audit-log",
        ])
        .arg(&log)
        .env("COGNITO_TUI_DEMO_LATENCY_MS", "300")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command.spawn().unwrap();
    // `| head -1`: one line read, then the pipe closed.
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    stdout.read_line(&mut first).unwrap();
    assert!(first.contains("Username"), "{first}");
    drop(stdout);
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0), "a closed pipe stops quietly");
    let lines = audit_lines(&log);
    let end = lines.last().unwrap();
    assert_eq!(
        (&end["phase"], &end["outcome"]),
        (&"end".into(), &"cancelled".into()),
        "{lines:?}"
    );
    assert!(end["count"].as_u64().unwrap() < DEMO_USERS as u64, "{end}");
}

#[test]
fn a_diagnose_batch_stopped_by_sigterm_ends_its_trail() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("audit.jsonl");
    let queries: String = (0..12).map(|i| format!("nobody{i}\n")).collect();
    let args = [
        "diagnose",
        "--demo",
        "-",
        "-o",
        "json",
        "--audit-log",
        log.to_str().unwrap(),
    ];
    let run = signalled(&args, &queries, 300, "TERM");
    assert_eq!(run.code, 143, "{}", run.stderr);
    let printed = run.stdout.lines().count();
    assert!((1..12).contains(&printed), "{}", run.stdout);
    let lines = audit_lines(&log);
    let (start, end) = (&lines[0], lines.last().unwrap());
    assert_eq!(
        (&start["action"], &start["phase"]),
        (&"diagnose".into(), &"start".into())
    );
    assert_eq!(
        (&end["phase"], &end["outcome"]),
        (&"end".into(), &"interrupted (SIGTERM)".into())
    );
    assert_eq!(end["count"], printed as u64);
}

/// A batch stopped by Ctrl-C whose end line can't be written (the file-size limit reached, as
/// on a full disk) says both: the interruption, with what was printed, and the audit log's
/// failure; the exit is the audit log's. The end line's absence is checked in the file.
#[cfg(unix)]
#[test]
fn an_interrupted_batch_whose_end_line_fails_says_both() {
    if std::process::Command::new("prlimit")
        .arg("--version")
        .output()
        .is_err()
    {
        return crate::common::skip("prlimit (util-linux) is not installed");
    }
    let home = tempfile::tempdir().expect("home");
    let log = home.path().join("audit.jsonl");
    // One lookup that takes 30 s: the signal comes while it is in flight.
    // Through sh, to ignore SIGXFSZ (inherited across exec): an append past the limit then
    // fails with EFBIG, as on a full disk, instead of killing the process.
    let binary = env!("CARGO_BIN_EXE_cognito-tui");
    let mut command = std::process::Command::new("sh");
    command
        .args(["-c", "trap '' XFSZ; exec \"$0\" \"$@\"", binary])
        .args(["get", "--demo", "-", "-o", "json", "--audit-log"])
        .arg(&log)
        .env_clear();
    for (key, value) in cli::command(home.path()).get_envs() {
        if let Some(value) = value {
            command.env(key, value);
        }
    }
    let mut child = command
        .env("COGNITO_TUI_DEMO_LATENCY_MS", "30000")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    child.stdin.take().unwrap().write_all(b"alice\n").unwrap();
    // The start line is written before the lookup's request; then the run waits on the answer
    // (a lookup's own line says its outcome, so it comes after).
    let deadline = Instant::now() + std::time::Duration::from_secs(20);
    let lines = loop {
        let lines = std::fs::read_to_string(&log).unwrap_or_default();
        if lines.lines().count() == 1 && lines.ends_with('\n') {
            break lines;
        }
        assert!(Instant::now() < deadline, "no start line: {lines}");
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    let pid = child.id().to_string();
    let limited = std::process::Command::new("prlimit")
        .args(["--pid", &pid, &format!("--fsize={}:", lines.len())])
        .status()
        .unwrap();
    assert!(limited.success());
    let sent = std::process::Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .unwrap();
    assert!(sent.success());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(9), "{stderr}");
    assert!(stderr.contains("interrupted (SIGINT)"), "{stderr}");
    assert!(stderr.contains("audit log"), "{stderr}");
    let after = std::fs::read_to_string(&log).unwrap();
    assert_eq!(after, lines, "nothing more reached the file");
}
