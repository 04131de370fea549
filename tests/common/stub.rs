//! A stand-in for Cognito (wiremock) answering in the service model's shapes: what the tests
//! against a stub share.
#![allow(dead_code)]

use serde_json::Value;
use wiremock::matchers::{HeaderExactMatcher, header, method};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// AdminGetUser's answer for alice: a sub, enabled, confirmed.
pub const ALICE: &str = r#"{"Username":"alice","UserAttributes":[{"Name":"sub","Value":"0b1c2d3e-0000-4000-8000-000000000001"}],"Enabled":true,"UserStatus":"CONFIRMED"}"#;

/// A 200 answer with `body`, typed as the AWS JSON 1.1 protocol types it.
pub fn aws_json(body: impl Into<String>) -> ResponseTemplate {
    ResponseTemplate::new(200)
        .insert_header("content-type", "application/x-amz-json-1.1")
        .set_body_string(body.into())
}

/// A 400 answer with Cognito's exception `kind` (`__type`), as the AWS JSON 1.1 protocol
/// sends an error.
pub fn aws_error(kind: &str) -> ResponseTemplate {
    ResponseTemplate::new(400)
        .insert_header("content-type", "application/x-amz-json-1.1")
        .set_body_string(serde_json::json!({"__type": kind, "message": kind}).to_string())
}

/// The operation `request` asks for (its `X-Amz-Target`, without the service), or "".
pub fn operation_of(request: &Request) -> &str {
    (request.headers.get("x-amz-target"))
        .and_then(|v| v.to_str().ok())
        .and_then(|t| t.rsplit('.').next())
        .unwrap_or_default()
}

/// The JSON bodies of the `op` requests `server` received, in order.
pub async fn bodies_of(server: &MockServer, op: &str) -> Vec<Value> {
    (server.received_requests().await.unwrap_or_default().iter())
        .filter(|r| operation_of(r) == op)
        .map(|r| serde_json::from_slice(&r.body).unwrap_or_default())
        .collect()
}

/// A stub answering every request with [`ALICE`].
pub async fn alice() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(aws_json(ALICE))
        .mount(&server)
        .await;
    server
}

/// Matches a request for operation `op` (its `X-Amz-Target`).
pub fn operation(op: &str) -> HeaderExactMatcher {
    header(
        "x-amz-target",
        format!("AWSCognitoIdentityProviderService.{op}"),
    )
}

/// Answers operation `op` with `body` at `server`.
pub async fn answer(server: &MockServer, op: &str, body: Value) {
    Mock::given(method("POST"))
        .and(operation(op))
        .respond_with(aws_json(body.to_string()))
        .mount(server)
        .await;
}

/// The operations `server` has received, in order.
pub async fn operations(server: &MockServer) -> Vec<String> {
    (server.received_requests().await.unwrap_or_default().iter())
        .filter_map(|r| r.headers.get("x-amz-target"))
        .map(|t| t.to_str().unwrap().rsplit('.').next().unwrap().to_string())
        .collect()
}
