//! The audit file's hash chain: sessions of the real binary extend one chain, `audit verify`
//! exits 0 for it and 11 at the first broken link of each kind of tampering, older files
//! verify as unchained up to a line, and concurrent writers keep one chain. The expected
//! hashes are computed here with `sha2` directly, not with the product's helper.

use std::path::{Path, PathBuf};

use cognito_tui::audit::chain::verify;
use cognito_tui::audit::{AuditEvent, AuditLog};
use proptest::prelude::*;
use sha2::{Digest, Sha256};

use crate::common::cli;

const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Runs `get --demo QUERY --audit-log LOG` as one session of its own.
fn get_with_log(query: &str, log: &Path) {
    let run = cli::run_args(&["get", "--demo", query, "--audit-log", log.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

fn audit_verify(log: &Path) -> cli::Run {
    cli::run_args(&["audit", "verify", log.to_str().unwrap()])
}

/// A log of six chained lines: three `get` sessions (a start line and a lookup line each).
fn three_sessions() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("audit.jsonl");
    for query in ["alice", "bob", "carol"] {
        get_with_log(query, &log);
    }
    (dir, log)
}

fn file_lines(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

/// Asserts `audit verify` names `line` as the first broken link, with exit code 11.
fn assert_broken_at(log: &Path, line: u64, why: &str) {
    let run = audit_verify(log);
    assert_eq!(run.code, 11, "{why}: {}{}", run.stdout, run.stderr);
    assert!(
        run.stderr.contains(&format!(", line {line}: ")),
        "{why}: expected line {line}: {}",
        run.stderr
    );
    assert!(run.stdout.is_empty(), "{why}: {}", run.stdout);
}

#[test]
fn two_get_sessions_extend_one_chain_that_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("audit.jsonl");
    get_with_log("alice", &log);
    get_with_log("alice", &log);
    let lines = file_lines(&log);
    assert_eq!(lines.len(), 4, "{lines:?}");
    let mut prev = GENESIS.to_string();
    for (i, line) in lines.iter().enumerate() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        assert_eq!(v["seq"], i as u64 + 1, "{line}");
        assert_eq!(v["prev"], prev.as_str(), "{line}");
        // `hash` covers the line without itself, and comes last.
        let hash = v["hash"].as_str().unwrap();
        let unsealed = line.replace(&format!(",\"hash\":\"{hash}\""), "");
        assert_eq!(sha256_hex(unsealed.as_bytes()), hash, "{line}");
        assert!(line.ends_with(&format!("\"hash\":\"{hash}\"}}")), "{line}");
        prev = sha256_hex(line.as_bytes());
    }
    let run = audit_verify(&log);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains(&format!(
            "intact: chained from line 1 to line 4; head seq 4 sha256 {prev}"
        )),
        "{}",
        run.stdout
    );
}

#[test]
fn each_kind_of_tampering_is_reported_at_its_line_with_exit_11() {
    let (dir, log) = three_sessions();
    let original = file_lines(&log);
    assert_eq!(audit_verify(&log).code, 0);
    let tampered = dir.path().join("tampered.jsonl");
    let write = |lines: &[String], tail: &str| {
        std::fs::write(&tampered, lines.join("\n") + tail).unwrap();
    };

    let mut edited = original.clone();
    edited[1] = edited[1].replace("\"query\":\"alice\"", "\"query\":\"alicf\"");
    assert_ne!(edited[1], original[1]);
    write(&edited, "\n");
    assert_broken_at(&tampered, 2, "a field edited");

    let mut deleted = original.clone();
    deleted.remove(2);
    write(&deleted, "\n");
    assert_broken_at(&tampered, 3, "line 3 deleted");

    let mut swapped = original.clone();
    swapped.swap(3, 4);
    write(&swapped, "\n");
    assert_broken_at(&tampered, 4, "lines 4 and 5 swapped");

    let mut cut = original.join("\n");
    cut.truncate(cut.len() - 20);
    std::fs::write(&tampered, cut).unwrap();
    assert_broken_at(&tampered, 6, "the last line truncated");

    write(&original[1..], "\n");
    assert_broken_at(&tampered, 1, "the first line dropped");

    // The control: the same lines written back untouched verify.
    write(&original, "\n");
    assert_eq!(audit_verify(&tampered).code, 0);
}

#[test]
fn an_older_file_verifies_as_unchained_up_to_its_last_line_then_chained() {
    use std::os::unix::fs::OpenOptionsExt;
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("audit.jsonl");
    let old = "{\"timestamp\":\"2026-01-01T00:00:00Z\",\"action\":\"lookup\",\"pool\":\"p\"}\n";
    let mut file = std::fs::OpenOptions::new()
        .create_new(true)
        .write(true)
        .mode(0o600)
        .open(&log)
        .unwrap();
    std::io::Write::write_all(&mut file, old.repeat(3).as_bytes()).unwrap();
    drop(file);
    get_with_log("bob", &log);
    let lines = file_lines(&log);
    let first: serde_json::Value = serde_json::from_str(&lines[3]).unwrap();
    assert_eq!(first["seq"], 4);
    assert_eq!(first["prev"], sha256_hex(old.trim_end().as_bytes()));
    let run = audit_verify(&log);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .contains("intact: unchained up to line 3, chained from line 4 to line 5"),
        "{}",
        run.stdout
    );
    // A line without the fields after the chain began is not "older": it was slipped in.
    std::fs::write(&log, lines.join("\n") + "\n" + old).unwrap();
    assert_broken_at(&log, 6, "an unchained line after the chain");
}

#[test]
fn two_concurrent_batches_keep_one_chain() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("audit.jsonl");
    let batch = "alice\nbob\ncarol\n".repeat(40);
    let runs: Vec<_> = (0..2)
        .map(|_| {
            let (log, batch) = (log.clone(), batch.clone());
            std::thread::spawn(move || {
                let args = ["get", "-", "--demo", "--audit-log", log.to_str().unwrap()];
                cli::run_with_stdin(&args, &batch)
            })
        })
        .collect();
    for run in runs {
        let run = run.join().unwrap();
        assert_eq!(run.code, 0, "{}", run.stderr);
    }
    // Two runs of a start line, 120 lookups and an end line.
    assert_eq!(file_lines(&log).len(), 2 * 122);
    let run = audit_verify(&log);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("chained from line 1 to line 244"),
        "{}",
        run.stdout
    );
}

#[test]
fn two_handles_writing_from_threads_keep_one_chain() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("audit.jsonl");
    let writers: Vec<_> = (0..2)
        .map(|w| {
            let path = path.clone();
            std::thread::spawn(move || {
                // Each writer opens the file itself, as two sessions would.
                let log = AuditLog::open(&path, None, None).unwrap();
                for i in 0..300 {
                    log.record(&event(&format!("writer{w}-{i}"))).unwrap();
                }
            })
        })
        .collect();
    for w in writers {
        w.join().unwrap();
    }
    assert_eq!(file_lines(&path).len(), 600);
    let run = audit_verify(&path);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

fn event(query: &str) -> AuditEvent {
    AuditEvent {
        action: "lookup".into(),
        pool: "eu-west-1_Pool".into(),
        query: Some(query.into()),
        outcome: "not_found".into(),
        ..AuditEvent::default()
    }
}

/// The bytes of a chained log of `n` lines, written by the product's writer.
fn chained_file(n: usize) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("audit.jsonl");
    let log = AuditLog::open(&path, None, None).unwrap();
    for i in 0..n {
        log.record(&event(&format!("user{i}"))).unwrap();
    }
    std::fs::read(&path).unwrap()
}

/// One tampering of a file of lines.
#[derive(Debug, Clone)]
enum Tamper {
    /// Line (index), byte within it, new byte (different from the old one).
    Edit(usize, usize, u8),
    /// A line other than the last removed (the last one's removal is a cut at a line
    /// boundary, which the file alone can't show).
    Delete(usize),
    /// Two different lines exchanged.
    Swap(usize, usize),
    /// The file cut inside a line: after at least one of its bytes, at most all but its
    /// newline.
    Truncate(usize, usize),
}

/// Applies `tamper` to `lines` (each with its newline); the file and the 1-based line at
/// which it first differs in a way the chain must catch.
fn apply(lines: &[Vec<u8>], tamper: &Tamper) -> (Vec<u8>, u64) {
    let mut lines = lines.to_vec();
    let at = match *tamper {
        Tamper::Edit(line, byte, new) => {
            let byte = byte % (lines[line].len() - 1);
            let old = lines[line][byte];
            lines[line][byte] = if new == old { old.wrapping_add(1) } else { new };
            line
        }
        Tamper::Delete(line) => {
            lines.remove(line);
            line
        }
        Tamper::Swap(a, b) => {
            lines.swap(a, b);
            a.min(b)
        }
        Tamper::Truncate(line, keep) => {
            let keep = 1 + keep % (lines[line].len() - 1);
            lines[line].truncate(keep);
            lines.truncate(line + 1);
            line
        }
    };
    (lines.concat(), at as u64 + 1)
}

fn tamper(n: usize) -> impl Strategy<Value = Tamper> {
    prop_oneof![
        (0..n, any::<usize>(), any::<u8>()).prop_map(|(l, b, v)| Tamper::Edit(l, b, v)),
        (0..n - 1).prop_map(Tamper::Delete),
        (0..n, 0..n)
            .prop_filter("two lines", |(a, b)| a != b)
            .prop_map(|(a, b)| Tamper::Swap(a, b)),
        (0..n, any::<usize>()).prop_map(|(l, k)| Tamper::Truncate(l, k)),
    ]
}

const LINES: usize = 8;

fn chained_lines() -> &'static [Vec<u8>] {
    static LINES_OF_FILE: std::sync::OnceLock<Vec<Vec<u8>>> = std::sync::OnceLock::new();
    LINES_OF_FILE.get_or_init(|| {
        chained_file(LINES)
            .split_inclusive(|&b| b == b'\n')
            .map(<[u8]>::to_vec)
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn any_single_tampering_is_reported_at_its_line(tamper in tamper(LINES)) {
        let lines = chained_lines();
        prop_assert_eq!(lines.len(), LINES);
        let (file, at) = apply(lines, &tamper);
        let broken = verify(file.as_slice()).unwrap().expect_err("tampering not caught");
        prop_assert_eq!(broken.line, at, "{:?}: {}", tamper, broken.reason);
    }
}

#[test]
fn the_untampered_file_verifies_the_control() {
    let file = chained_lines().concat();
    let intact = verify(file.as_slice()).unwrap().expect("intact");
    assert_eq!((intact.lines, intact.unchained), (LINES as u64, 0));
}

#[test]
fn a_line_cut_by_an_interrupted_write_stays_reported_after_later_sessions() {
    let (_dir, log) = three_sessions();
    let mut bytes = std::fs::read(&log).unwrap();
    bytes.truncate(bytes.len() - 30);
    std::fs::write(&log, &bytes).unwrap();
    get_with_log("dave", &log);
    let lines = file_lines(&log);
    assert_eq!(
        lines.len(),
        8,
        "the cut line keeps a line of its own: {lines:?}"
    );
    let next: serde_json::Value = serde_json::from_str(&lines[6]).unwrap();
    assert_eq!(next["seq"], 7);
    assert_eq!(next["prev"], sha256_hex(lines[5].as_bytes()));
    assert_broken_at(&log, 6, "a line cut before the next session");
}

#[test]
fn verify_names_a_file_it_cannot_read_and_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no-such-audit.jsonl");
    let run = audit_verify(&missing);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains(&format!("cannot read the audit log {}", missing.display())),
        "{}",
        run.stderr
    );
}
