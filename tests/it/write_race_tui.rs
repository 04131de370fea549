//! The real binary in tmux, for the two ways a write went wrong: a pool switch in flight
//! retargeting it, and an audit log that can no longer be written. A stub answers in the
//! service model's shapes for two named pools, w1 and w2, each with an `alice`; w2's
//! DescribeUserPool takes 2.5 s, so the switch is in flight while keys arrive. The audit log
//! is made unwritable after start by lowering the running process's file-size limit
//! (`prlimit --fsize`, SIGXFSZ ignored), so every append fails with EFBIG as on a full disk.

use std::time::Duration;

use wiremock::matchers::{body_string_contains, header, method};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::tmux::{self, Tmux};

const W1: &str = "us-east-1_WOne111";
const W2: &str = "us-east-1_WTwo222";

fn target(op: &str) -> wiremock::matchers::HeaderExactMatcher {
    header(
        "x-amz-target",
        format!("AWSCognitoIdentityProviderService.{op}"),
    )
}

/// Each pool's alice (a sub of its own), its description (w2's slow), an empty pool list,
/// and writes that take `write_delay`.
async fn two_pools(write_delay: Duration) -> MockServer {
    let server = MockServer::start().await;
    for (pool, name, sub, delay) in [
        (W1, "w1", "11111111-1111-4111-8111-111111111111", 0),
        (W2, "w2", "22222222-2222-4222-8222-222222222222", 2500),
    ] {
        let user = serde_json::json!({
            "Username": "alice", "Enabled": true, "UserStatus": "CONFIRMED",
            "UserAttributes": [{"Name": "sub", "Value": sub}],
            "UserCreateDate": 1700000000, "UserLastModifiedDate": 1700000000
        });
        Mock::given(method("POST"))
            .and(target("AdminGetUser"))
            .and(body_string_contains(pool))
            .respond_with(ResponseTemplate::new(200).set_body_string(user.to_string()))
            .mount(&server)
            .await;
        let described = serde_json::json!({"UserPool": {"Id": pool, "Name": name}});
        Mock::given(method("POST"))
            .and(target("DescribeUserPool"))
            .and(body_string_contains(pool))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_string(described.to_string())
                    .set_delay(Duration::from_millis(delay)),
            )
            .mount(&server)
            .await;
    }
    Mock::given(method("POST"))
        .and(target("ListUserPools"))
        .respond_with(ResponseTemplate::new(200).set_body_string(r#"{"UserPools":[]}"#))
        .mount(&server)
        .await;
    for op in ["AdminDisableUser", "AdminEnableUser"] {
        Mock::given(method("POST"))
            .and(target(op))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_string("{}")
                    .set_delay(write_delay),
            )
            .mount(&server)
            .await;
    }
    server
}

/// The pool id of every `op` request the stub received.
async fn pools_of(server: &MockServer, op: &str) -> Vec<String> {
    let wanted = format!("AWSCognitoIdentityProviderService.{op}");
    (server.received_requests().await.unwrap_or_default().iter())
        .filter(|r| {
            r.headers
                .get("x-amz-target")
                .is_some_and(|t| t == &wanted[..])
        })
        .map(|r| {
            let body: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
            body["UserPoolId"].as_str().unwrap_or_default().to_string()
        })
        .collect()
}

/// The TUI on w1 with `--allow-write`, both pools named in its config, at the stub.
fn tui_on_w1(url: &str, dir: &std::path::Path) -> Tmux {
    let config = dir.join("config.toml");
    let named = |name: &str, id: &str| {
        format!(
            "[pools.{name}]\npool_id = \"{id}\"\nendpoint_url = \"{url}\"\nregion = \"us-east-1\"\n\n"
        )
    };
    std::fs::write(&config, [named("w1", W1), named("w2", W2)].concat()).unwrap();
    let log = dir.join("tui.log");
    let args = [
        "--config",
        config.to_str().unwrap(),
        "--pool",
        "w1",
        "--allow-write",
        "--log-file",
        log.to_str().unwrap(),
    ];
    Tmux::spawn_tui(&args, 100, 30)
}

/// Looks `alice` up by username and waits for her.
fn look_up_alice(t: &Tmux) {
    t.type_text("u");
    t.type_text("alice");
    t.keys(&["Enter"]);
    t.wait_for("Username alice");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_write_is_never_retargeted_by_a_pool_switch_in_flight() {
    let server = two_pools(Duration::ZERO).await;
    let dir = tempfile::tempdir().unwrap();
    let url = server.uri();
    let dir_path = dir.path().to_path_buf();
    tokio::task::spawn_blocking(move || {
        let t = tui_on_w1(&url, &dir_path);
        t.wait_for("w1 (us-east-1_WOne111)");
        look_up_alice(&t);
        // The switch to w2 is in flight for 2.5 s; the keys of a disable follow at once.
        t.type_text("P");
        t.wait_for("w2");
        t.type_text("w2");
        t.keys(&["Enter"]);
        t.wait_for("switching to w2");
        // Before the fix, x opened the menu on w1's alice and the confirmation, typed while
        // the switch landed, disabled w2's alice.
        t.type_text("x");
        t.wait_for("actions wait until the switch is done");
        t.wait_for("switched to w2 (us-east-1_WTwo222)");
        t.type_text("q");
        t.wait_exit();
    })
    .await
    .unwrap();
    assert_eq!(
        pools_of(&server, "AdminDisableUser").await,
        Vec::<String>::new()
    );
    // The positive control: the switch did reach w2.
    assert!(
        pools_of(&server, "DescribeUserPool")
            .await
            .contains(&W2.to_string())
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_write_lands_and_is_reported_in_the_pool_it_was_sent_to() {
    let server = two_pools(Duration::from_millis(2500)).await;
    let dir = tempfile::tempdir().unwrap();
    let url = server.uri();
    let dir_path = dir.path().to_path_buf();
    let screen = tokio::task::spawn_blocking(move || {
        let t = tui_on_w1(&url, &dir_path);
        t.wait_for("w1 (us-east-1_WOne111)");
        look_up_alice(&t);
        t.type_text("x");
        t.wait_for("Actions on alice");
        t.keys(&["Enter"]);
        t.wait_for("Type the username (alice)");
        t.type_text("alice");
        t.keys(&["Enter"]);
        // While the write is out, the pool can't change under it.
        t.type_text("P");
        t.wait_for("w2");
        t.type_text("w2");
        t.keys(&["Enter"]);
        t.wait_for("an action is still running");
        let screen = t.wait_for("✓ disabled alice in w1 (us-east-1_WOne111)");
        t.keys(&["Escape"]);
        t.type_text("q");
        t.wait_exit();
        screen
    })
    .await
    .unwrap();
    assert_eq!(
        pools_of(&server, "AdminDisableUser").await,
        [W1],
        "{screen}"
    );
}

/// The binary under `sh` with SIGXFSZ ignored (so a write past the file-size limit fails with
/// EFBIG instead of killing it), on the demo pool with writes and an audit log.
fn demo_with_audit(audit: &std::path::Path, dir: &std::path::Path) -> Tmux {
    let log = dir.join("tui.log");
    let args = [
        "-c",
        "trap '' XFSZ; exec \"$0\" \"$@\"",
        env!("CARGO_BIN_EXE_cognito-tui"),
        "--demo",
        "--allow-write",
        "--audit-log",
        audit.to_str().unwrap(),
        "--log-file",
        log.to_str().unwrap(),
    ];
    Tmux::spawn("sh", &args, &tmux::TUI_ENV, 100, 30)
}

/// The pid of the running `cognito-tui`, by its command line (only this test's audit path).
fn pid_of(audit: &std::path::Path) -> String {
    let out = std::process::Command::new("pgrep")
        .args(["-f", &format!("audit-log {}", audit.display())])
        .output()
        .unwrap();
    let pids = String::from_utf8_lossy(&out.stdout).into_owned();
    let pids: Vec<&str> = pids.split_whitespace().collect();
    assert_eq!(pids.len(), 1, "{pids:?}");
    pids[0].to_string()
}

/// Sets the soft file-size limit of `pid` to `bytes` (raised again within the hard limit).
fn file_size_limit(pid: &str, bytes: &str) {
    let status = std::process::Command::new("prlimit")
        .args(["--pid", pid, &format!("--fsize={bytes}:")])
        .status()
        .unwrap();
    assert!(status.success());
}

#[test]
fn with_the_audit_log_unwritable_no_write_and_no_lookup_is_sent() {
    if std::process::Command::new("prlimit")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("SKIPPED: prlimit (util-linux) is not installed");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let audit = dir.path().join("audit.jsonl");
    let t = demo_with_audit(&audit, dir.path());
    t.wait_for("WRITES ON");
    t.type_text("u");
    t.type_text("bob");
    t.keys(&["Enter"]);
    t.wait_for_all(&["Username bob", "Enabled  yes"]);
    let pid = pid_of(&audit);
    let size = std::fs::metadata(&audit).unwrap().len().to_string();
    file_size_limit(&pid, &size);

    // The write: its attempt line can't be written, so it is not sent, and the user is told.
    t.type_text("x");
    t.wait_for("Actions on bob");
    t.keys(&["Enter"]);
    t.wait_for("Type the username (bob)");
    t.type_text("bob");
    t.keys(&["Enter"]);
    t.wait_for("not sent: the audit log");
    t.keys(&["Escape"]);
    // A lookup now is not sent either.
    t.type_text("u");
    t.type_text("alice");
    t.keys(&["Enter"]);
    let screen = t.wait_for("not sent: the audit log");
    assert!(!screen.contains("Username alice"), "{screen}");
    t.keys(&["Escape"]);

    // The log writable again: the next read's refusal is recorded, and then reads go out —
    // bob is still enabled, so the disable never reached the pool.
    file_size_limit(&pid, "unlimited");
    t.type_text("r");
    t.wait_for("not sent: the audit log");
    t.keys(&["Escape"]);
    t.type_text("r");
    t.wait_for("read again from Cognito");
    let screen = t.wait_for("Enabled  yes");
    t.type_text("q");
    assert_eq!(t.wait_exit().0, 0, "{screen}");
    let lines = crate::common::audit_log::lines(&audit);
    let actions: Vec<(&str, &str)> = (lines.iter())
        .map(|l| {
            let outcome = l["outcome"].as_str().unwrap_or_default();
            (l["action"].as_str().unwrap(), outcome)
        })
        .collect();
    assert_eq!(
        actions,
        [
            ("lookup", "found"),
            ("lookup", "not_sent"),
            ("lookup", "found")
        ],
        "no disable_user line: the write was never sent"
    );
}
