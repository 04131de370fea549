//! "Set a temporary password" through the real binary against a stub answering in the service
//! model's shapes: AdminSetUserPassword is sent with `Permanent=false` and a password made to
//! the pool's policy (DescribeUserPool's `PasswordPolicy`); the password is shown once on
//! screen and is in neither the audit log nor the trace log (each checked to hold the write's
//! own lines, so an empty file can't pass).

use serde_json::{Value, json};
use wiremock::MockServer;

use crate::common::stub::answer;
use crate::common::{cli, tmux};

const POOL: &str = "us-east-1_PwStub1";

/// DescribeUserPool (UserPoolType) with a 20-character minimum, and AdminGetUser for `pat`:
/// RESET_REQUIRED, no verified address (no recovery channel).
async fn stub() -> MockServer {
    let server = MockServer::start().await;
    let pool = json!({"UserPool": {
        "Id": POOL, "Name": "pw",
        "Policies": {"PasswordPolicy": {
            "MinimumLength": 20, "RequireUppercase": true, "RequireLowercase": true,
            "RequireNumbers": true, "RequireSymbols": true, "TemporaryPasswordValidityDays": 3
        }},
        "MfaConfiguration": "OFF",
        "AccountRecoverySetting": {"RecoveryMechanisms": [{"Priority": 1, "Name": "verified_email"}]},
        "EstimatedNumberOfUsers": 1
    }});
    answer(&server, "DescribeUserPool", pool).await;
    let user = json!({
        "Username": "pat", "Enabled": true, "UserStatus": "RESET_REQUIRED",
        "UserAttributes": [
            {"Name": "sub", "Value": "5f0c1e2d-3b4a-4c5d-9e8f-7a6b5c4d3e2f"},
            {"Name": "email", "Value": "pat@example.com"},
            {"Name": "email_verified", "Value": "false"}
        ],
        "UserCreateDate": 1_700_000_000, "UserLastModifiedDate": 1_700_000_000
    });
    answer(&server, "AdminGetUser", user).await;
    answer(&server, "AdminSetUserPassword", json!({})).await;
    server
}

/// The bodies of every AdminSetUserPassword the stub received.
async fn set_password_bodies(server: &MockServer) -> Vec<Value> {
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .filter(|r| {
            r.headers
                .get("x-amz-target")
                .is_some_and(|t| t.to_str().unwrap().ends_with(".AdminSetUserPassword"))
        })
        .map(|r| serde_json::from_slice(&r.body).unwrap())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_password_is_sent_shown_once_and_never_logged_or_audited() {
    let server = stub().await;
    let url = server.uri();
    let dir = tempfile::tempdir().unwrap();
    let (log, audit) = (dir.path().join("tui.log"), dir.path().join("audit.jsonl"));
    let mut args = vec![
        "--allow-write",
        "--log-file",
        log.to_str().unwrap(),
        "--audit-log",
        audit.to_str().unwrap(),
    ];
    args.extend(cli::target(POOL, &url));
    let mut env = tmux::TUI_ENV.to_vec();
    env.push(("RUST_LOG", "trace"));
    let t = tmux::Tmux::spawn(env!("CARGO_BIN_EXE_cognito-tui"), &args, &env, 100, 30);
    t.wait_for("WRITES ON");
    t.type_text("u");
    t.type_text("pat");
    t.keys(&["Enter"]);
    t.wait_for("Username pat");
    t.type_text("x");
    t.wait_for("Temporary password");
    // The line before the last (Delete user).
    t.type_text("Gk");
    t.keys(&["Enter"]);
    t.wait_for("AdminSetUserPassword");
    t.type_text("pat");
    t.keys(&["Enter"]);
    let shown = t.wait_for("Temporary password for pat");

    let bodies = set_password_bodies(&server).await;
    assert_eq!(bodies.len(), 1, "{bodies:?}");
    let body = &bodies[0];
    assert_eq!(body["UserPoolId"], POOL);
    assert_eq!(body["Username"], "pat");
    assert_eq!(body["Permanent"], false, "{body}");
    let password = body["Password"].as_str().expect("a password is sent");
    assert!(
        password.chars().count() >= 20,
        "the pool's minimum: {password}"
    );
    assert!(shown.contains(password), "shown once:\n{shown}");
    assert!(shown.contains("within 3 days"), "{shown}");

    t.keys(&["Escape"]);
    t.wait_until("the popup gone", tmux::DEFAULT_TIMEOUT, |s| {
        !s.contains("Temporary password for pat")
    });
    assert!(!t.screen().contains(password));
    t.type_text("q");
    assert_eq!(t.wait_exit().0, 0);

    let audit = std::fs::read_to_string(&audit).unwrap();
    let writes: Vec<Value> = audit
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|l| l["action"] == "set_temporary_password")
        .collect();
    let phases: Vec<&str> = writes
        .iter()
        .map(|l| l["phase"].as_str().unwrap())
        .collect();
    assert_eq!(phases, ["attempt", "outcome"], "{audit}");
    assert_eq!(writes[1]["outcome"], "ok");
    assert!(!audit.contains(password), "audit log:\n{audit}");

    let log = std::fs::read_to_string(&log).unwrap();
    assert!(
        log.contains("AdminSetUserPassword"),
        "trace log has the write"
    );
    assert!(!log.contains(password), "the trace log holds the password");
}
