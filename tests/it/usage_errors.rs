//! The one-shot commands' refusals of bad input, word for word: each is a typed error now
//! (no `Result<_, String>`), and what the user reads, and the exit code, stay as they were.

use std::io::Write;
use std::process::Stdio;

use crate::common::cli;

/// Runs the binary with `args`, feeding it `stdin` as raw bytes (not necessarily UTF-8).
fn run_with_bytes(args: &[&str], stdin: &[u8]) -> cli::Run {
    let home = tempfile::tempdir().unwrap();
    let mut command = cli::command(home.path());
    command
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command.spawn().expect("spawn cognito-tui");
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    let out = child.wait_with_output().unwrap();
    cli::Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        elapsed: std::time::Duration::ZERO,
    }
}

#[test]
fn bad_input_is_refused_with_the_same_words_and_exit_code_2() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("queries.txt");
    let missing_arg = missing.to_str().unwrap();
    let dir_arg = dir.path().to_str().unwrap();
    let cases: [(&[&str], String); 6] = [
        (
            &["get", "--demo", "--from", missing_arg],
            format!("cannot read {missing_arg}: No such file or directory (os error 2)"),
        ),
        (
            &["get", "--demo", "--from", dir_arg],
            format!("cannot read {dir_arg}: Is a directory (os error 21)"),
        ),
        (
            &["export", "--demo", "--status", "not-a status"],
            "--status \"NOT-A STATUS\" is not a user status; one of UNCONFIRMED, CONFIRMED, \
             ARCHIVED, COMPROMISED, UNKNOWN, RESET_REQUIRED, FORCE_CHANGE_PASSWORD, \
             EXTERNAL_PROVIDER"
                .into(),
        ),
        (
            &[
                "get",
                "--demo",
                "alice",
                "-o",
                "csv",
                "--attributes",
                "email,,name",
            ],
            "--attributes has an empty name; list them as email,phone_number".into(),
        ),
        (
            &["export", "--demo", "-o", "tsv", "--attributes", "a\u{1b}b"],
            "--attributes: \"a\\u{1b}b\" is not an attribute name (at most 64 printable \
             characters)"
                .into(),
        ),
        (
            &["get", "--demo", "--by", "sub", "alice"],
            "a sub is a UUID such as 0f8fad5b-d9cb-469f-a165-70867728950e".into(),
        ),
    ];
    for (args, message) in cases {
        let r = cli::run_args(args);
        assert_eq!(
            (r.code, r.stderr.as_str(), r.stdout.as_str()),
            (2, format!("error: {message}\n").as_str(), ""),
            "{args:?}"
        );
    }
}

#[test]
fn a_batch_line_that_is_not_utf8_is_answered_with_its_number_and_the_rest_go_on() {
    // A leading byte-order mark is dropped; line 2 is not UTF-8; line 3 still runs.
    let input = b"\xef\xbb\xbfalice\n\xff\nbob\n";
    for command in ["get", "diagnose"] {
        let r = run_with_bytes(&[command, "--demo", "-", "-o", "json"], input);
        assert_eq!(r.code, 2, "{command}: a line refused locally: {}", r.stderr);
        let lines = cli::json_lines(&r.stdout);
        let results: Vec<(&str, &str)> = lines
            .iter()
            .map(|l| (l["Query"].as_str().unwrap(), l["Result"].as_str().unwrap()))
            .collect();
        assert_eq!(
            results,
            [("alice", "found"), ("\u{fffd}", "error"), ("bob", "found")],
            "{command}: {}",
            r.stdout
        );
        assert_eq!(lines[1]["Error"]["Code"], "Refused", "{command}");
        assert_eq!(
            lines[1]["Error"]["Message"], "line 2 is not UTF-8; save the file as UTF-8",
            "{command}"
        );
    }
    // CSV: the same line as a row whose Result and Error say so.
    let r = run_with_bytes(&["get", "--demo", "-", "-o", "csv"], input);
    let rows: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(rows.len(), 4, "{}", r.stdout);
    assert!(rows[1].starts_with("alice,found,,alice,"), "{}", rows[1]);
    assert!(
        rows[2].starts_with("\u{fffd},error,Refused: line 2 is not UTF-8"),
        "{}",
        rows[2]
    );
}
