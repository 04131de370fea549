//! The one-shot commands reach Cognito only through the audit gate (`src/oneshot/gate.rs`):
//! no other one-shot file names the backend or calls the domain functions that take one, so
//! no request can leave before the run's `start` line, nor without its own line. Read from the
//! source with comments and strings blanked; shown to catch a planted breach.

use crate::invariants::{code_only, sources};

/// The gate: the one one-shot file allowed to hold the backend.
const GATE: &str = "src/oneshot/gate.rs";

/// What reaches Cognito from one-shot code: the backend itself (any spelling: a field, a
/// type, a variable), and the domain functions that send requests with one.
const REACHES_COGNITO: [&str; 10] = [
    "backend",
    "lookup::lookup(",
    "lookup::suggest(",
    "search::search(",
    "search_with_case_variants",
    "fetch_list(",
    "list_for_user(",
    "list_users(",
    "describe_pool(",
    "admin_get_user(",
];

/// Whether `path` is one-shot code: `oneshot.rs`, `oneshot/`, the batch and the export
/// (wherever they live).
fn one_shot(path: &str) -> bool {
    path == "src/oneshot.rs"
        || path.starts_with("src/oneshot/")
        || path.starts_with("src/export")
        || path.starts_with("src/batch")
}

/// Each line of `code` (already blanked) that reaches Cognito, with what it names.
fn bypasses(code: &str) -> Vec<(usize, &'static str)> {
    let lower = code.to_ascii_lowercase();
    let mut found = Vec::new();
    for (n, line) in lower.lines().enumerate() {
        for what in REACHES_COGNITO {
            if line.contains(what) {
                found.push((n + 1, what));
            }
        }
    }
    found
}

#[test]
fn one_shot_code_reaches_cognito_only_through_the_gate() {
    let files: Vec<(String, String)> = (sources().into_iter())
        .filter(|(path, _)| one_shot(path))
        .collect();
    let paths: Vec<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
    for expected in ["src/oneshot.rs", "src/oneshot/diagnose.rs", GATE] {
        assert!(paths.contains(&expected), "{expected} not read: {paths:?}");
    }
    assert!(
        paths.iter().any(|p| p.contains("batch")) && paths.iter().any(|p| p.contains("export")),
        "the batch and export modules not read: {paths:?}"
    );
    let mut breaches = Vec::new();
    for (path, text) in files.iter().filter(|(p, _)| p != GATE) {
        for (line, what) in bypasses(&code_only(text)) {
            breaches.push(format!("{path}:{line}: {what}"));
        }
    }
    assert!(
        breaches.is_empty(),
        "one-shot code reaching Cognito around src/oneshot/gate.rs:\n{}",
        breaches.join("\n")
    );
    // The positive control: the same reading finds the gate's own requests.
    let gate = &files.iter().find(|(p, _)| p == GATE).unwrap().1;
    assert!(
        bypasses(&code_only(gate)).len() >= 5,
        "the check reads nothing"
    );
}

#[test]
fn the_gate_check_catches_a_planted_bypass_and_not_prose() {
    let planted = r#"
        // The backend is reached only through the gate; lookup::lookup( in a comment.
        async fn f(run: &Run) {
            let user = run.session.backend.admin_get_user(&pool, "x").await;
            let r = lookup::lookup(b, &pool, "alice", mode, None).await;
            let message = "describe_pool( in a string";
            let s: Arc<dyn Backend> = make();
        }
    "#;
    let lines: Vec<usize> = (bypasses(&code_only(planted)).iter())
        .map(|(line, _)| *line)
        .collect();
    assert_eq!(lines, [4, 4, 5, 7], "{planted}");
}
