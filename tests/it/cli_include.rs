//! `get --include groups,devices,events` and `get --audit-log`, through the real binary.

use crate::common::cli;

use serde_json::Value;
use wiremock::matchers::{header, method};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn json(stdout: &str) -> Value {
    serde_json::from_str(stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}"))
}

#[test]
fn include_adds_lists_in_their_api_shapes_after_the_user() {
    let r = cli::run_args(&[
        "get",
        "--demo",
        "alice",
        "-o",
        "json",
        "--include",
        "groups,devices,events",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v = json(&r.stdout);
    let groups = v["Groups"].as_array().unwrap();
    assert_eq!(groups.len(), 2);
    assert_eq!(groups[0]["GroupName"], "admins");
    assert_eq!(groups[0]["Precedence"], 1);
    let devices = v["Devices"].as_array().unwrap();
    assert_eq!(devices.len(), 2);
    assert!(
        devices[0]["DeviceKey"]
            .as_str()
            .unwrap()
            .starts_with("us-east-1_")
    );
    assert_eq!(devices[0]["DeviceAttributes"][0]["Name"], "device_name");
    assert_eq!(
        devices[0]["DeviceLastAuthenticatedDate"],
        "2025-11-20T08:12:00Z"
    );
    let events = v["AuthEvents"].as_array().unwrap();
    assert_eq!(events[1]["EventRisk"]["RiskLevel"], "High");
    assert_eq!(events[1]["EventContextData"]["IpAddress"], "192.0.2.200");
    // The AdminGetUser fields come first, the lists after.
    assert!(r.stdout.find("\"UserStatus\"").unwrap() < r.stdout.find("\"Groups\"").unwrap());

    // Without --include the output stays exactly AdminGetUser's.
    let plain = json(&cli::run_args(&["get", "--demo", "alice", "-o", "json"]).stdout);
    assert!(plain.get("Groups").is_none() && plain.get("AuthEvents").is_none());
}

#[test]
fn include_in_text_is_sanitized() {
    let r = cli::run_args(&[
        "get",
        "--demo",
        "mallory",
        "-o",
        "text",
        "--include",
        "devices",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("Devices (1)"), "{}", r.stdout);
    assert!(
        r.stdout.contains("Evil\\x1b[31m device\\u{202e}"),
        "{}",
        r.stdout
    );
    assert!(!r.stdout.contains('\u{1b}'));
}

#[test]
fn an_unknown_include_is_a_usage_error() {
    let r = cli::run_args(&["get", "--demo", "alice", "--include", "groups,passwords"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("passwords"), "{}", r.stderr);
}

#[tokio::test]
async fn events_without_threat_protection_are_a_note_and_other_failures_set_the_code() {
    let server = MockServer::start().await;
    let target = |op: &str| {
        header(
            "x-amz-target",
            format!("AWSCognitoIdentityProviderService.{op}"),
        )
    };
    Mock::given(method("POST"))
        .and(target("AdminGetUser"))
        .respond_with(ResponseTemplate::new(200).set_body_string(
            r#"{"Username":"alice","Enabled":true,"UserStatus":"CONFIRMED","UserAttributes":[]}"#,
        ))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(target("AdminListUserAuthEvents"))
        .respond_with(ResponseTemplate::new(400).set_body_string(
            r#"{"__type":"UserPoolAddOnNotEnabledException","message":"Advanced security is not enabled"}"#,
        ))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(target("AdminListGroupsForUser"))
        .respond_with(
            ResponseTemplate::new(400)
                .set_body_string(r#"{"__type":"AccessDeniedException","message":"not allowed"}"#),
        )
        .mount(&server)
        .await;
    let url = server.uri();
    let run = |include: &'static str| {
        let url = url.clone();
        tokio::task::spawn_blocking(move || {
            cli::get_alice(&url, &["-o", "json", "--include", include])
        })
    };
    let r = run("events").await.unwrap();
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("sign-in history needs threat protection"),
        "{}",
        r.stderr
    );
    assert!(json(&r.stdout).get("AuthEvents").is_none());

    let r = run("groups,events").await.unwrap();
    assert_eq!(r.code, 6, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("IAM denied cognito-idp:AdminListGroupsForUser"),
        "{}",
        r.stderr
    );
    assert_eq!(
        json(&r.stdout)["Username"],
        "alice",
        "the user is still printed"
    );
}

#[test]
fn get_writes_the_audit_log_or_refuses_to_run() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("audit.jsonl");
    let r = cli::run_args(&[
        "get",
        "--demo",
        "bob@acme.example",
        "-o",
        "json",
        "--audit-log",
        log.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let lines = crate::common::audit_log::lines(&log);
    assert_eq!(
        (&lines[0]["action"], &lines[0]["phase"]),
        (&"get".into(), &"start".into())
    );
    let line = &lines[1];
    assert_eq!(line["action"], "lookup");
    assert_eq!(line["username"], "bob");
    assert_eq!(line["resolved"], "by email, via AdminGetUser");
    assert!(
        !std::fs::read_to_string(&log).unwrap().contains("Brown"),
        "no attribute values"
    );

    let bad = dir.path().join("missing-dir/audit.jsonl");
    let r = cli::run_args(&["get", "--demo", "bob", "--audit-log", bad.to_str().unwrap()]);
    assert_eq!(r.code, 9, "{}", r.stderr);
    assert!(
        r.stderr.contains("cannot write the audit log"),
        "{}",
        r.stderr
    );
    assert!(r.stdout.is_empty(), "nothing is looked up unaudited");
}

/// `--include auth-factors` adds AdminGetUserAuthFactors' answer in its own shape; pia is the
/// demo's passkey user. Without it, no `AuthFactors` key (the positive control).
#[test]
fn include_auth_factors_adds_the_users_sign_in_factors() {
    let get = |extra: &[&str]| {
        let mut args = vec!["get", "--demo", "pia", "-o", "json"];
        args.extend(extra);
        let r = cli::run_args(&args);
        assert_eq!(r.code, 0, "{}", r.stderr);
        json(&r.stdout)
    };
    let v = get(&["--include", "auth-factors"]);
    assert_eq!(
        v["AuthFactors"]["ConfiguredUserAuthFactors"],
        serde_json::json!(["WEB_AUTHN"])
    );
    assert_eq!(
        v["AuthFactors"]["UserMFASettingList"],
        serde_json::json!([])
    );
    assert!(get(&[]).get("AuthFactors").is_none());
    let r = cli::run_args(&[
        "get",
        "--demo",
        "pia",
        "--include",
        "auth-factors",
        "-o",
        "text",
    ]);
    assert!(
        r.stdout.contains("Auth factors  WEB_AUTHN (passkey: yes)"),
        "{}",
        r.stdout
    );
}
