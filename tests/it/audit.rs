//! The audit log: content, no attribute values, concurrent writers, unwritable paths.

use cognito_tui::audit::{AuditEvent, AuditLog};
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
    let err = AuditLog::open(&missing_dir, None, None).unwrap_err();
    assert!(err.contains("no/such/dir/audit.jsonl"), "{err}");
    let err = AuditLog::open(dir.path(), None, None).unwrap_err();
    assert!(err.contains("cannot write the audit log"), "{err}");
}
