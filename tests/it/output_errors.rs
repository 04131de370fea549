//! A write that fails is not success: through the real binary on `--demo`, every one-shot
//! command with stdout on `/dev/full` stops with exit 8 and says so, and an export's audit
//! line says it ended in an error. A closed pipe (`| head`) stops quietly with the code of
//! what was written, and the export's audit line says `cancelled`.

use std::process::{Command, Stdio};

use crate::common::cli;

/// The commands and, for a batch, what they read on stdin.
const COMMANDS: [(&[&str], &str); 9] = [
    (&["get", "--demo", "alice", "-o", "json"], ""),
    (&["get", "--demo", "alice", "-o", "text"], ""),
    (&["get", "--demo", "alice", "-o", "csv"], ""),
    (&["get", "--demo", "-", "-o", "json"], "alice\nbob\n"),
    (&["get", "--demo", "-", "-o", "tsv"], "alice\nbob\n"),
    (&["search", "--demo", "a", "-o", "json"], ""),
    (&["export", "--demo"], ""),
    (&["export", "--demo", "-o", "csv"], ""),
    (&["diagnose", "--demo", "alice", "-o", "json"], ""),
];

/// The binary with `args`, stdin fed from `input`, stdout to `stdout`; (exit code, stderr).
fn run_to(args: &[&str], input: &str, stdout: Stdio, audit: &std::path::Path) -> (i32, String) {
    let home = tempfile::tempdir().unwrap();
    let mut command: Command = cli::command(home.path());
    command
        .args(args)
        .arg("--audit-log")
        .arg(audit)
        .stdin(Stdio::piped())
        .stdout(stdout)
        .stderr(Stdio::piped());
    let mut child = command.spawn().expect("spawn cognito-tui");
    let mut stdin = child.stdin.take().unwrap();
    // A closed stdin is fine for the commands that don't read it.
    let _ = std::io::Write::write_all(&mut stdin, input.as_bytes());
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    (out.status.code().unwrap_or(-1), stderr)
}

fn dev_full() -> Stdio {
    std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .expect("/dev/full")
        .into()
}

/// The audit log's lines, parsed.
fn audit_lines(path: &std::path::Path) -> Vec<serde_json::Value> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    text.lines()
        .map(|l| serde_json::from_str(l).expect("audit JSON"))
        .collect()
}

#[test]
fn a_full_disk_ends_every_command_with_exit_8_and_a_message() {
    for (args, input) in COMMANDS {
        let dir = tempfile::tempdir().unwrap();
        let audit = dir.path().join("audit.log");
        let (code, stderr) = run_to(args, input, dev_full(), &audit);
        assert_eq!(code, 8, "{args:?}: {stderr}");
        assert!(
            stderr.contains("error: cannot write output: No space left on device"),
            "{args:?}: {stderr}"
        );
        if args[0] == "export" {
            let lines = audit_lines(&audit);
            // The run's last line (its end line) says how it ended.
            let export = lines.iter().rev().find(|l| l["action"] == "export");
            let outcome = export.map(|l| l["outcome"].clone());
            assert_eq!(
                outcome,
                Some("error (exit 8)".into()),
                "{args:?}: {lines:?}"
            );
        }
    }
}

#[test]
fn the_same_commands_to_a_file_exit_0_the_positive_control() {
    for (args, input) in COMMANDS {
        let dir = tempfile::tempdir().unwrap();
        let audit = dir.path().join("audit.log");
        let file = std::fs::File::create(dir.path().join("out")).unwrap();
        let (code, stderr) = run_to(args, input, file.into(), &audit);
        assert_eq!(code, 0, "{args:?}: {stderr}");
        assert!(!stderr.contains("cannot write"), "{args:?}: {stderr}");
        let written = std::fs::read_to_string(dir.path().join("out")).unwrap();
        assert!(written.contains("alice"), "{args:?}: {written}");
        if args[0] == "export" {
            let lines = audit_lines(&audit);
            let export = lines
                .iter()
                .rev()
                .find(|l| l["action"] == "export")
                .unwrap();
            assert_eq!(export["outcome"], "ok", "{args:?}");
        }
    }
}

#[test]
fn a_closed_pipe_stops_quietly_and_an_export_is_audited_as_cancelled() {
    for (args, input) in COMMANDS {
        let dir = tempfile::tempdir().unwrap();
        let audit = dir.path().join("audit.log");
        // The reading end is closed before the command starts: its first write gets EPIPE.
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let (code, stderr) = run_to(args, input, writer.into(), &audit);
        assert_eq!(code, 0, "{args:?}: {stderr}");
        assert!(!stderr.contains("error"), "{args:?}: {stderr}");
        if args[0] == "export" {
            let lines = audit_lines(&audit);
            let export = lines
                .iter()
                .rev()
                .find(|l| l["action"] == "export")
                .unwrap();
            assert_eq!(export["outcome"], "cancelled", "{args:?}");
        }
    }
}
