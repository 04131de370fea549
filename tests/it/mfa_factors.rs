//! The MFA pane shows the user's auth factors (AdminGetUserAuthFactors), passkeys included,
//! read only when the pane opens: on the demo (a snapshot at 80×24) and through the real
//! binary at a stub in the service model's shapes, where a lookup alone sends no
//! AdminGetUserAuthFactors and opening the pane sends exactly one.

use cognito_tui::app::{Cmd, Pane};
use cognito_tui::cognito::lookup::LookupMode;
use serde_json::{Value, json};
use wiremock::MockServer;

use crate::common::app::{pinned_demo_app, screen, send, serve, typed};
use crate::common::stub::{answer, operations};
use crate::common::{cli, tmux};

fn is_factors(cmd: &Cmd) -> bool {
    matches!(cmd, Cmd::FetchAuthFactors { .. })
}

#[test]
fn the_mfa_pane_reads_auth_factors_when_opened_and_shows_passkeys() {
    let mut app = pinned_demo_app();
    let lookup = app.start_lookup("pia", LookupMode::Auto);
    let after = serve(&mut app, &lookup);
    assert!(!after.iter().any(is_factors), "a lookup alone: {after:?}");
    let cmds = send(&mut app, typed("3"));
    assert_eq!(app.focus(), Pane::Mfa);
    let [Cmd::FetchAuthFactors { username, .. }] = cmds.as_slice() else {
        panic!("{cmds:?}")
    };
    assert_eq!(username, "pia");
    serve(&mut app, &cmds[0]);
    let shown = screen(&app, 80, 24);
    assert!(
        shown.contains("WEB_AUTHN") && shown.contains("passkey"),
        "{shown}"
    );
    insta::assert_snapshot!("mfa_pane_auth_factors_pia", shown);
    // Once read, opening the pane again asks nothing.
    send(&mut app, typed("1"));
    assert!(!send(&mut app, typed("3")).iter().any(is_factors));
}

/// AdminGetUserAuthFactors' answer in the service model's shape.
fn factors() -> Value {
    json!({
        "Username": "pat",
        "PreferredMfaSetting": "SOFTWARE_TOKEN_MFA",
        "UserMFASettingList": ["SOFTWARE_TOKEN_MFA"],
        "ConfiguredUserAuthFactors": ["PASSWORD", "WEB_AUTHN"]
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn at_a_stub_only_opening_the_mfa_pane_sends_admin_get_user_auth_factors() {
    const POOL: &str = "us-east-1_FaStub1";
    let server = MockServer::start().await;
    let pool = json!({"UserPool": {
        "Id": POOL, "Name": "factors", "MfaConfiguration": "OFF",
        "UserPoolTier": "ESSENTIALS", "EstimatedNumberOfUsers": 1
    }});
    answer(&server, "DescribeUserPool", pool).await;
    let user = json!({
        "Username": "pat", "Enabled": true, "UserStatus": "CONFIRMED",
        "UserAttributes": [{"Name": "sub", "Value": "5f0c1e2d-3b4a-4c5d-9e8f-7a6b5c4d3e2f"}],
        "UserMFASettingList": ["SOFTWARE_TOKEN_MFA"],
        "PreferredMfaSetting": "SOFTWARE_TOKEN_MFA",
        "UserCreateDate": 1_700_000_000, "UserLastModifiedDate": 1_700_000_000
    });
    answer(&server, "AdminGetUser", user).await;
    answer(&server, "AdminGetUserAuthFactors", factors()).await;
    let url = server.uri();
    let t = tmux::Tmux::spawn_tui(&cli::target(POOL, &url), 100, 30);
    t.wait_for("No user loaded");
    t.type_text("u");
    t.type_text("pat");
    t.keys(&["Enter"]);
    t.wait_for("Username pat");
    let count = |ops: &[String]| {
        ops.iter()
            .filter(|o| *o == "AdminGetUserAuthFactors")
            .count()
    };
    assert_eq!(count(&operations(&server).await), 0, "a lookup alone");
    t.type_text("3");
    let shown = t.wait_for("WEB_AUTHN");
    assert!(
        shown.contains("passkey") && shown.contains("PASSWORD"),
        "{shown}"
    );
    assert_eq!(count(&operations(&server).await), 1);
    t.type_text("q");
    assert_eq!(t.wait_exit().0, 0);
}
