//! What no emulator can produce for `export`: users whose `sub` fits none of the sixteen
//! `sub ^=` streams (moto and cognito-local always make lower-case UUIDs), a pool whose
//! EstimatedNumberOfUsers is off, and a pagination token Cognito refuses. A wiremock stub
//! answers ListUsers and DescribeUserPool in the service model's shapes and filters as
//! ListUsers documents (`sub ^= "x"`: starts with), counting every request.

use crate::common::cli;
use crate::common::stub::{bodies_of, operation_of};

use serde_json::{Value, json};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate, matchers::any};

const POOL: &str = "eu-west-1_AbC123";

/// A pool of users with these subs (None: no sub attribute in the answer).
struct Stub {
    subs: Vec<Option<&'static str>>,
    estimate: i64,
    /// Answer every ListUsers that carries a PaginationToken with InvalidParameterException.
    refuse_tokens: bool,
}

impl Respond for Stub {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let target = operation_of(request);
        let body: Value = serde_json::from_slice(&request.body).unwrap_or_default();
        if target == "DescribeUserPool" {
            return ResponseTemplate::new(200).set_body_json(json!({
                "UserPool": {"Id": POOL, "Name": "stub", "EstimatedNumberOfUsers": self.estimate}
            }));
        }
        assert_eq!(target, "ListUsers", "unexpected operation");
        if self.refuse_tokens && body.get("PaginationToken").is_some() {
            return ResponseTemplate::new(400).set_body_json(json!({
                "__type": "InvalidParameterException",
                "message": "Invalid pagination token."
            }));
        }
        let prefix = (body["Filter"].as_str())
            .map(|f| {
                let f = f.strip_prefix("sub ^= \"").expect("only sub prefixes here");
                f.trim_end_matches('"').to_string()
            })
            .unwrap_or_default();
        let users: Vec<Value> = (self.subs.iter().enumerate())
            .filter(|(_, sub)| prefix.is_empty() || sub.is_some_and(|s| s.starts_with(&prefix)))
            .map(|(i, sub)| {
                let attributes: Vec<Value> = (sub.iter())
                    .map(|s| json!({"Name": "sub", "Value": s}))
                    .collect();
                json!({
                    "Username": format!("user{i}"),
                    "Attributes": attributes,
                    "UserCreateDate": 1.7e9,
                    "UserLastModifiedDate": 1.7e9,
                    "Enabled": true,
                    "UserStatus": "CONFIRMED"
                })
            })
            .collect();
        ResponseTemplate::new(200).set_body_json(json!({"Users": users}))
    }
}

async fn stub(subs: Vec<Option<&'static str>>, estimate: i64, refuse_tokens: bool) -> MockServer {
    let server = MockServer::start().await;
    let stub = Stub {
        subs,
        estimate,
        refuse_tokens,
    };
    Mock::given(any()).respond_with(stub).mount(&server).await;
    server
}

/// ListUsers requests the stub received, by their Filter ("" for none).
async fn list_filters(server: &MockServer) -> Vec<String> {
    (bodies_of(server, "ListUsers").await.iter())
        .map(|body| body["Filter"].as_str().unwrap_or_default().to_string())
        .collect()
}

async fn export(server: &MockServer, extra: &[&str]) -> cli::Run {
    let url = server.uri();
    let args: Vec<String> = [
        &["export", "-o", "json"][..],
        &cli::target(POOL, &url),
        extra,
    ]
    .concat()
    .iter()
    .map(|s| s.to_string())
    .collect();
    cli::blocking(move || cli::run_args(&args.iter().map(String::as_str).collect::<Vec<_>>())).await
}

fn usernames(stdout: &str) -> Vec<String> {
    let mut names: Vec<String> = (cli::json_lines(stdout).iter())
        .map(|v| v["Username"].as_str().unwrap().to_string())
        .collect();
    names.sort();
    names
}

/// Subs of every shape: lower-case hex (in a stream), upper-case, not hex, none at all.
const SUBS: [Option<&str>; 6] = [
    Some("0f8fad5b-d9cb-469f-a165-70867728950e"),
    Some("a1b2c3d4-0000-4000-8000-000000000000"),
    Some("F00DCAFE-0000-4000-8000-000000000000"),
    Some("legacy-import-42"),
    None,
    Some("7c9e6679-7425-40de-944b-e07fc1f90ae7"),
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn users_whose_sub_fits_no_stream_are_caught_by_the_remainder_pass() {
    let all: Vec<String> = (0..SUBS.len()).map(|i| format!("user{i}")).collect();
    // The positive control: one stream reads everyone.
    let server = stub(SUBS.to_vec(), SUBS.len() as i64, false).await;
    let one = export(&server, &["--streams", "1"]).await;
    assert_eq!(one.code, 0, "{}", one.stderr);
    assert_eq!(usernames(&one.stdout), all);

    // Sixteen streams hold three of the six; the estimate says six, so the remainder pass
    // reads the pool once more and writes the other three, each once.
    let server = stub(SUBS.to_vec(), SUBS.len() as i64, false).await;
    let split = export(&server, &[]).await;
    assert_eq!(split.code, 0, "{}", split.stderr);
    assert_eq!(usernames(&split.stdout), all, "{}", split.stderr);
    assert!(
        split.stderr.contains("reading the pool once more"),
        "{}",
        split.stderr
    );
    let filters = list_filters(&server).await;
    assert_eq!(
        filters.len(),
        17,
        "16 streams and one remainder pass: {filters:?}"
    );
    assert_eq!(
        filters.iter().filter(|f| f.is_empty()).count(),
        1,
        "{filters:?}"
    );
    assert!(
        !split.stderr.contains("estimates"),
        "counts agree: {}",
        split.stderr
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_export_that_differs_from_the_estimate_says_so_and_one_that_matches_does_not() {
    // All subs fit: no remainder pass when the estimate agrees, and no note.
    let fitting: Vec<Option<&str>> = vec![SUBS[0], SUBS[1], SUBS[5]];
    let server = stub(fitting.clone(), 3, false).await;
    let agrees = export(&server, &[]).await;
    assert_eq!(agrees.code, 0, "{}", agrees.stderr);
    assert_eq!(usernames(&agrees.stdout).len(), 3);
    assert_eq!(list_filters(&server).await.len(), 16, "no remainder pass");
    assert!(!agrees.stderr.contains("estimates"), "{}", agrees.stderr);

    // The estimate says 40: the remainder pass finds no one more, and the note says so.
    let server = stub(fitting.clone(), 40, false).await;
    let short = export(&server, &[]).await;
    assert_eq!(short.code, 0, "{}", short.stderr);
    assert_eq!(usernames(&short.stdout).len(), 3, "each user once");
    assert!(
        short
            .stderr
            .contains("3 users were exported; DescribeUserPool estimates 40"),
        "{}",
        short.stderr
    );
    // Over the estimate too (users created during the export).
    let server = stub(fitting, 1, false).await;
    let over = export(&server, &[]).await;
    assert!(
        over.stderr
            .contains("3 users were exported; DescribeUserPool estimates 1"),
        "{}",
        over.stderr
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pagination_token_cognito_refuses_is_never_offered_again() {
    use cognito_tui::export::token::Resume;
    let server = stub(SUBS.to_vec(), 6, true).await;
    let mut resume = Resume::fresh(POOL, None, 1);
    resume.shards[0].token = Some("expired-pagination-token".into());
    let token = resume.encode();
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("audit.jsonl");
    let r = export(
        &server,
        &[
            "--starting-token",
            &token,
            "--audit-log",
            log.to_str().unwrap(),
        ],
    )
    .await;
    assert_eq!(r.code, 5, "InvalidParameterException: {}", r.stderr);
    assert_eq!(
        list_filters(&server).await.len(),
        1,
        "the token was sent once"
    );
    assert!(
        r.stderr.contains("Invalid pagination token"),
        "{}",
        r.stderr
    );
    assert!(
        !r.stderr.contains("resume with"),
        "offered again: {}",
        r.stderr
    );
    assert!(r.stderr.contains("start a new export"), "{}", r.stderr);
    let end: Value = serde_json::from_str(
        std::fs::read_to_string(&log)
            .unwrap()
            .lines()
            .last()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(end["phase"], "end");
    assert!(end.get("resume").is_none(), "{end}");

    // The positive control: refused credentials leave the token good, and it is offered.
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({
            "__type": "NotAuthorizedException", "message": "Token expired."
        })))
        .mount(&server)
        .await;
    let r = export(&server, &["--starting-token", &token]).await;
    assert_eq!(r.code, 6, "{}", r.stderr);
    assert!(
        r.stderr.contains("resume with: --starting-token cte2."),
        "{}",
        r.stderr
    );
}
