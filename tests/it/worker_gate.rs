//! The worker's one audit gate, checked by reading the source: in `src/worker/`, a job holds
//! the backend or the writer only inside the future it hands `audited(…)` or
//! `audited_write(…)` (`src/worker/gate.rs`), so no request can leave before the gate has
//! checked the audit log. `gate.rs` itself and `connection.rs` (DescribeUserPool and
//! ListUserPools: a pool's metadata, not a user's) are the exceptions. The check is shown to
//! catch a planted breach, and to see the real calls it allows.

use std::path::Path;

use super::invariants::code_only;

/// What reaches Cognito from a job: the backend, the writer, a write, a [`Write`]'s request.
///
/// [`Write`]: cognito_tui::act::Write
const REQUEST_TOKENS: [&str; 4] = [".backend", ".writer", ".write(", ".request("];

/// Calls that open the gate (`audited_read` is `audited` for the read jobs, in jobs.rs).
const GATES: [&str; 3] = ["audited(", "audited_write(", "audited_read("];

/// The byte ranges of `code` inside the parentheses of a gate call.
fn gated_spans(code: &str) -> Vec<(usize, usize)> {
    let bytes = code.as_bytes();
    let mut spans = Vec::new();
    for gate in GATES {
        for (start, _) in code.match_indices(gate) {
            // `audited_write(` also ends in `write(`; a word before `audited` is another name.
            let before = code[..start].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue;
            }
            let open = start + gate.len() - 1;
            let mut depth = 0usize;
            for (i, b) in bytes.iter().enumerate().skip(open) {
                match b {
                    b'(' => depth += 1,
                    b')' => {
                        depth -= 1;
                        if depth == 0 {
                            spans.push((open, i));
                            break;
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    spans
}

/// Each request token of `text` outside a gate call, as `line: code`; and how many were
/// inside one.
fn ungated(text: &str) -> (Vec<String>, usize) {
    let code = code_only(text);
    let spans = gated_spans(&code);
    let (mut outside, mut inside) = (Vec::new(), 0);
    for token in REQUEST_TOKENS {
        for (at, _) in code.match_indices(token) {
            if spans.iter().any(|(s, e)| *s < at && at < *e) {
                inside += 1;
            } else {
                let line = code[..at].matches('\n').count() + 1;
                let shown = code.lines().nth(line - 1).unwrap_or_default().trim();
                outside.push(format!("{line}: {shown}"));
            }
        }
    }
    (outside, inside)
}

/// The worker's files the rule covers, as (name, text).
fn worker_files() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/worker");
    let mut files: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&p).unwrap())
        })
        .filter(|(name, _)| name != "gate.rs" && name != "connection.rs")
        .collect();
    files.sort();
    files
}

#[test]
fn every_request_a_worker_job_makes_goes_through_the_audit_gate() {
    let files = worker_files();
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    assert!(
        names.contains(&"jobs.rs") && names.contains(&"allpools.rs"),
        "{names:?}"
    );
    let mut breaches = Vec::new();
    let mut gated = 0;
    for (name, text) in &files {
        let (outside, inside) = ungated(text);
        breaches.extend(
            outside
                .into_iter()
                .map(|b| format!("src/worker/{name}:{b}")),
        );
        gated += inside;
    }
    assert!(
        breaches.is_empty(),
        "requests outside the audit gate:\n{}",
        breaches.join("\n")
    );
    // The positive control: the jobs' real requests are seen, inside the gate (lookup, lists,
    // pool groups, write, search, browse, load-all, all-pools lookup).
    assert!(gated >= 8, "only {gated} gated requests found");
}

#[test]
fn a_request_planted_outside_the_gate_is_caught() {
    let jobs =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/worker/jobs.rs"))
            .unwrap();
    assert!(ungated(&jobs).0.is_empty());
    let planted = format!(
        "{jobs}\nasync fn leak(job: &Job) {{\n    \
         let _ = job.session.backend.admin_get_user(&job.session.pool, \"alice\").await;\n}}\n"
    );
    let (outside, _) = ungated(&planted);
    assert_eq!(outside.len(), 1, "{outside:?}");
    assert!(outside[0].contains("admin_get_user"), "{outside:?}");
    // A write sent beside the gate, after an audited read, is caught too.
    let planted = format!(
        "{jobs}\nasync fn leak(job: &Job, w: Write) {{\n    \
         let _ = audited(&job.audit, e, None, async {{}}, |e, _| e).await;\n    \
         let _ = w.request(&job.session).await;\n}}\n"
    );
    let (outside, _) = ungated(&planted);
    assert_eq!(outside.len(), 1, "{outside:?}");
    // Mentions in comments and strings are not requests.
    let prose = "// the .backend is never touched here\nlet s = \".write(\";\n";
    assert!(ungated(prose).0.is_empty());
}
