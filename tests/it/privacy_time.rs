//! No crash on any value (issue 10, item 6): the real binary in a real terminal (tmux) under
//! `TZ=Europe/Berlin` shows a user, a device and a sign-in dated 9999-12-31T23:59:59Z (an
//! hour past `time`'s last local date in Berlin), before the epoch, and past any date `time`
//! can hold. A wiremock server plays Cognito, because no emulator lets a test set dates.

use serde_json::{Value, json};
use wiremock::matchers::{header, method};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::tmux::Tmux;

/// 9999-12-31T23:59:59Z: the last second `time` holds; one hour east of UTC it is year 10000.
const LAST_SECOND: i64 = 253_402_300_799;

async fn answer(server: &MockServer, op: &str, body: Value) {
    Mock::given(method("POST"))
        .and(header(
            "x-amz-target",
            format!("AWSCognitoIdentityProviderService.{op}"),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_string(body.to_string()))
        .mount(server)
        .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn dates_at_and_past_the_end_of_time_render_in_berlin() {
    let server = MockServer::start().await;
    answer(
        &server,
        "AdminGetUser",
        json!({
            "Username": "edge", "Enabled": true, "UserStatus": "CONFIRMED",
            "UserAttributes": [{"Name": "email", "Value": "edge@example.com"}],
            "UserCreateDate": LAST_SECOND,
            // Before the epoch, and far past any date `time` can hold.
            "UserLastModifiedDate": -62_135_596_800i64
        }),
    )
    .await;
    answer(
        &server,
        "DescribeUserPool",
        json!({"UserPool": {"Id": "eu-west-1_AbC123", "MfaConfiguration": "OFF",
                "UserPoolAddOns": {"AdvancedSecurityMode": "AUDIT"}}}),
    )
    .await;
    answer(
        &server,
        "AdminListDevices",
        json!({"Devices": [{
            "DeviceKey": "eu-west-1_edge-device",
            "DeviceAttributes": [{"Name": "device_name", "Value": "edge phone"}],
            "DeviceCreateDate": -1, "DeviceLastModifiedDate": 1.0e15,
            "DeviceLastAuthenticatedDate": LAST_SECOND
        }]}),
    )
    .await;
    answer(
        &server,
        "AdminListUserAuthEvents",
        json!({"AuthEvents": [{
            "EventId": "ev-edge", "EventType": "SignIn", "CreationDate": LAST_SECOND,
            "EventResponse": "Pass", "EventRisk": {"RiskLevel": "Low"},
            "EventContextData": {"City": "Berlin"}
        }]}),
    )
    .await;
    let url = server.uri();
    let (status, screens) = tokio::task::spawn_blocking(move || {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("tui.log");
        let args = [
            "--pool",
            "eu-west-1_AbC123",
            "--region",
            "eu-west-1",
            "--endpoint-url",
            &url,
            "--log-file",
            log.to_str().unwrap(),
            "--lookup",
            "edge",
        ];
        let env = [
            ("AWS_EC2_METADATA_DISABLED", "true"),
            ("AWS_ACCESS_KEY_ID", "test"),
            ("AWS_SECRET_ACCESS_KEY", "test"),
            ("TZ", "Europe/Berlin"),
        ];
        let t = Tmux::spawn(env!("CARGO_BIN_EXE_cognito-tui"), &args, &env, 120, 40);
        let mut screens = vec![t.wait_for("Username edge")];
        t.type_text("5");
        screens.push(t.wait_for("edge phone"));
        t.type_text("6");
        screens.push(t.wait_for("SignIn"));
        t.keys(&["Enter"]);
        screens.push(t.wait_for("Event id: ev-edge"));
        t.keys(&["Escape"]);
        t.type_text("q");
        let (status, last) = t.wait_exit();
        screens.push(last);
        (status, screens)
    })
    .await
    .unwrap();
    let all = screens.join("\n");
    assert_eq!(status, 0, "the TUI exited cleanly\n{all}");
    assert!(!all.contains("panicked"), "{all}");
    // The last second is shown (in UTC: Berlin's local date would be year 10000).
    assert!(
        screens[0].contains("Created  9999-12-31 23:59:59 +00:00"),
        "{}",
        screens[0]
    );
    assert!(screens[0].contains("Modified 0001-01-01"), "{}", screens[0]);
    assert!(screens[1].contains("9999-12-31 23:59"), "{}", screens[1]);
    assert!(
        screens[3].contains("Time: 9999-12-31 23:59:59"),
        "{}",
        screens[3]
    );
}

/// The diagnosis adds the pool's temporary-password validity to the invitation's date: on
/// the last second `time` holds that addition would panic, and must not.
#[tokio::test]
async fn diagnose_a_temporary_password_sent_at_the_end_of_time() {
    let server = MockServer::start().await;
    answer(
        &server,
        "AdminGetUser",
        json!({
            "Username": "edge", "Enabled": true, "UserStatus": "FORCE_CHANGE_PASSWORD",
            "UserAttributes": [], "UserCreateDate": LAST_SECOND,
            "UserLastModifiedDate": LAST_SECOND
        }),
    )
    .await;
    answer(
        &server,
        "DescribeUserPool",
        json!({"UserPool": {"Id": "eu-west-1_AbC123", "MfaConfiguration": "OFF",
                "Policies": {"PasswordPolicy": {"TemporaryPasswordValidityDays": 365}},
                "UserPoolAddOns": {"AdvancedSecurityMode": "OFF"}}}),
    )
    .await;
    let url = server.uri();
    let r = tokio::task::spawn_blocking(move || {
        crate::common::cli::run_args(&[
            "diagnose",
            "--pool",
            "eu-west-1_AbC123",
            "--endpoint-url",
            &url,
            "--region",
            "eu-west-1",
            "edge",
            "-o",
            "text",
        ])
    })
    .await
    .unwrap();
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    assert!(r.stdout.contains("must_change_password"), "{}", r.stdout);
}
