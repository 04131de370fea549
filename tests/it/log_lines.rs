//! Server text in the log file is sanitized: a newline in an exception message cannot forge a
//! log line.

use crate::common::tmux;

use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_newline_in_a_server_message_cannot_forge_a_log_line() {
    let server = MockServer::start().await;
    // Every request (DescribeUserPool, AdminGetUser) is refused with a two-line message.
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(400)
                .insert_header("content-type", "application/x-amz-json-1.1")
                .insert_header("x-amzn-errortype", "NotAuthorizedException")
                .set_body_string(
                    r#"{"__type":"NotAuthorizedException","message":"denied\nFORGED  INFO cognito_tui: all good"}"#,
                ),
        )
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("tui.log");
    let args: Vec<String> = [
        "--pool",
        "eu-west-1_AbC123",
        "--region",
        "eu-west-1",
        "--config",
        "/dev/null",
        "--endpoint-url",
        &server.uri(),
        "--max-attempts",
        "1",
        "--log-file",
        log.to_str().unwrap(),
        "--lookup",
        "alice",
    ]
    .map(String::from)
    .to_vec();
    let home = dir.path().to_str().unwrap().to_string();
    tokio::task::spawn_blocking(move || {
        let env = [
            ("AWS_EC2_METADATA_DISABLED", "true"),
            ("AWS_ACCESS_KEY_ID", "test"),
            ("AWS_SECRET_ACCESS_KEY", "test"),
            ("HOME", home.as_str()),
        ];
        let t = tmux::Tmux::spawn(env!("CARGO_BIN_EXE_cognito-tui"), &args, &env, 100, 30);
        t.wait_for("NotAuthorized");
        t.type_text("q");
        assert_eq!(t.wait_exit().0, 0);
    })
    .await
    .unwrap();
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(
        text.contains("denied\\nFORGED"),
        "the message was logged escaped:\n{text}"
    );
    for line in text.lines() {
        assert!(!line.starts_with("FORGED"), "forged log line:\n{text}");
    }
}
