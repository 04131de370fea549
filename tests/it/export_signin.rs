//! `export --last-sign-in`: one AdminListUserAuthEvents (MaxResults 1) per user, against a
//! wiremock stub in the service model's shapes (moto answers the operation with HTTP 500):
//! `AuthEvents[]` with EventId, EventType, CreationDate in epoch seconds, EventResponse,
//! EventRisk, ChallengeResponses, EventContextData. A throttled answer mid-export
//! (TooManyRequestsException) is retried by the limiter and the export completes; a user
//! deleted mid-export (UserNotFoundException) is written with an empty LastSignIn and a note;
//! `--where` on LastSignIn runs once it is read and never reaches ListUsers; a pool without
//! threat protection is refused, exit 2, before any ListUsers.

use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::{Value, json};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate, matchers::any};

use crate::common::cli;
use crate::common::stub::{aws_error, aws_json, bodies_of as bodies, operation_of, operations};

const POOL: &str = "eu-west-1_SignIn1";

/// A Plus pool with threat protection in AUDIT: ann (gold, signed in 2025-11-20), bob (gold,
/// last event 2024-05-01, throttled the first time), cat (silver, no event), ghost (gold,
/// deleted before its AdminListUserAuthEvents).
struct Stub {
    pool: Value,
    /// AdminListUserAuthEvents answers UserPoolAddOnNotEnabledException.
    add_on_off: bool,
    bob_asked: AtomicUsize,
}

impl Stub {
    fn plus() -> Self {
        Self::with_pool(json!({"UserPool": {
            "Id": POOL, "Name": "signin", "EstimatedNumberOfUsers": 4, "UserPoolTier": "PLUS",
            "UserPoolAddOns": {"AdvancedSecurityMode": "AUDIT"}
        }}))
    }

    fn with_pool(pool: Value) -> Self {
        Self {
            pool,
            add_on_off: false,
            bob_asked: AtomicUsize::new(0),
        }
    }
}

fn ok(body: Value) -> ResponseTemplate {
    aws_json(body.to_string())
}

fn user(name: &str, tier: &str) -> Value {
    json!({"Username": name, "Attributes": [{"Name": "custom:tier", "Value": tier}],
           "UserCreateDate": 1.7e9, "UserLastModifiedDate": 1.7e9, "Enabled": true,
           "UserStatus": "CONFIRMED"})
}

/// ann's newest event, in every field AuthEventType has.
fn ann_event() -> Value {
    json!({"EventId": "3f1c0e5a-ann", "EventType": "SignIn", "CreationDate": 1763626320.5,
           "EventResponse": "Pass",
           "EventRisk": {"RiskDecision": "NoRisk", "RiskLevel": "Low",
                         "CompromisedCredentialsDetected": false},
           "ChallengeResponses": [{"ChallengeName": "Password", "ChallengeResponse": "Success"}],
           "EventContextData": {"IpAddress": "192.0.2.1", "DeviceName": "Chrome, Linux",
                                "Timezone": "+01:00", "City": "Paris", "Country": "France"},
           "EventFeedback": {"FeedbackValue": "Valid", "Provider": "Admin",
                             "FeedbackDate": 1763626400}})
}

impl Respond for Stub {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let body: Value = serde_json::from_slice(&request.body).unwrap_or_default();
        match operation_of(request) {
            "DescribeUserPool" if self.pool.is_null() => aws_error("AccessDeniedException"),
            "DescribeUserPool" => ok(self.pool.clone()),
            "ListUsers" => ok(json!({"Users": [
                user("ann", "gold"), user("bob", "gold"), user("cat", "silver"),
                user("ghost", "gold"),
            ]})),
            "AdminListUserAuthEvents" if self.add_on_off => {
                aws_error("UserPoolAddOnNotEnabledException")
            }
            "AdminListUserAuthEvents" => match body["Username"].as_str().unwrap_or_default() {
                "ann" => ok(json!({"AuthEvents": [ann_event()], "NextToken": "more"})),
                "bob" if self.bob_asked.fetch_add(1, Ordering::SeqCst) == 0 => {
                    aws_error("TooManyRequestsException")
                }
                "bob" => ok(
                    json!({"AuthEvents": [{"EventId": "b1", "EventType": "SignIn",
                                   "CreationDate": 1714521600, "EventResponse": "Fail"}]}),
                ),
                "cat" => ok(json!({"AuthEvents": []})),
                _ => aws_error("UserNotFoundException"),
            },
            other => panic!("unexpected {other}"),
        }
    }
}

async fn serve(stub: Stub) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(stub).mount(&server).await;
    server
}

async fn export(server: &MockServer, extra: &[&str]) -> cli::Run {
    let url = server.uri();
    let args = [
        &["export", "--streams", "1", "--last-sign-in"][..],
        extra,
        &cli::target(POOL, &url),
    ]
    .concat();
    cli::run_args_async(&args).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_users_newest_event_through_a_throttle_and_a_deletion() {
    let server = serve(Stub::plus()).await;
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("audit.jsonl");
    let run = export(&server, &["--audit-log", log.to_str().unwrap()]).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines = cli::json_lines(&run.stdout);
    let last: Vec<(String, Value)> = (lines.iter())
        .map(|l| {
            (
                l["Username"].as_str().unwrap().to_string(),
                l["LastSignIn"].clone(),
            )
        })
        .collect();
    assert_eq!(
        last,
        [
            ("ann".to_string(), json!("2025-11-20T08:12:00.5Z")),
            ("bob".to_string(), json!("2024-05-01T00:00:00Z")),
            ("cat".to_string(), Value::Null),
            ("ghost".to_string(), Value::Null),
        ]
    );
    // One request per user, MaxResults 1, and bob's once more after the throttle.
    let asked = bodies(&server, "AdminListUserAuthEvents").await;
    assert!(
        asked
            .iter()
            .all(|b| b["MaxResults"] == 1 && b["UserPoolId"] == POOL),
        "{asked:?}"
    );
    let mut names: Vec<&str> = asked
        .iter()
        .map(|b| b["Username"].as_str().unwrap())
        .collect();
    names.sort();
    assert_eq!(names, ["ann", "bob", "bob", "cat", "ghost"]);
    // The cost before the export's own summary, then the sign-in summary.
    let cost = run.stderr.find(
        "--last-sign-in: one AdminListUserAuthEvents (MaxResults 1) per user: ~4 requests at ",
    );
    let exported = run.stderr.find("exported 4 users");
    let summary = run.stderr.find(
        "--last-sign-in: 4 AdminListUserAuthEvents requests; 2 users with an auth event on \
         record, 1 with none, 1 deleted during the export",
    );
    assert!(
        cost.is_some() && cost < exported && exported < summary,
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("ghost was deleted after ListUsers read it"),
        "{}",
        run.stderr
    );
    // One get_last_sign_in line per user, before the run's end line.
    let audit: Vec<Value> = (std::fs::read_to_string(&log).unwrap().lines())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let outcomes: Vec<(String, String)> = (audit.iter())
        .filter(|l| l["action"] == "get_last_sign_in")
        .map(|l| {
            (
                l["username"].as_str().unwrap().into(),
                l["outcome"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(outcomes.len(), 4, "{outcomes:?}");
    assert!(outcomes.contains(&("ghost".into(), "UserNotFoundException".into())));
    assert!(
        outcomes.contains(&("bob".into(), "ok".into())),
        "{outcomes:?}"
    );

    // The control: without the flag, no AdminListUserAuthEvents and no LastSignIn key.
    let before = bodies(&server, "AdminListUserAuthEvents").await.len();
    let url = server.uri();
    let args = [&["export", "--streams", "1"][..], &cli::target(POOL, &url)].concat();
    let run = cli::run_args_async(&args).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        bodies(&server, "AdminListUserAuthEvents").await.len(),
        before
    );
    assert!(!run.stdout.contains("LastSignIn"), "{}", run.stdout);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn where_on_last_sign_in_runs_after_it_is_read_and_never_reaches_list_users() {
    let server = serve(Stub::plus()).await;
    let run = export(
        &server,
        &[
            "-o",
            "csv",
            "--where",
            "custom:tier = gold and LastSignIn < 2025-01-01",
        ],
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut rows = run.stdout.lines();
    assert!(
        rows.next().unwrap().ends_with(",LastSignIn"),
        "{}",
        run.stdout
    );
    let rows: Vec<&str> = rows.collect();
    assert_eq!(rows.len(), 1, "{}", run.stdout);
    assert!(rows[0].starts_with("bob,") && rows[0].ends_with(",2024-05-01T00:00:00Z"));
    // cat (silver) can't match whatever its sign-in: never asked about.
    let asked: Vec<String> = (bodies(&server, "AdminListUserAuthEvents").await.iter())
        .map(|b| b["Username"].as_str().unwrap().to_string())
        .collect();
    assert!(!asked.contains(&"cat".to_string()), "{asked:?}");
    assert!(asked.contains(&"ann".to_string()), "{asked:?}");
    // Nothing of LastSignIn in what ListUsers was sent.
    for body in bodies(&server, "ListUsers").await {
        assert!(!body.to_string().contains("LastSignIn"), "{body}");
    }

    // Dormant accounts: none since 2025, or none at all.
    let server = serve(Stub::plus()).await;
    let dormant = "LastSignIn < 2025-01-01 or not has(LastSignIn)";
    let run = export(&server, &["--where", dormant]).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let names: Vec<String> = (cli::json_lines(&run.stdout).iter())
        .map(|l| l["Username"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(names, ["bob", "cat", "ghost"]);

    // Without --last-sign-in, LastSignIn is a usage error, before any request.
    let server = serve(Stub::plus()).await;
    let url = server.uri();
    let args = [
        &["export", "--where", dormant][..],
        &cli::target(POOL, &url),
    ]
    .concat();
    let run = cli::run_args_async(&args).await;
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("only --last-sign-in reads"),
        "{}",
        run.stderr
    );
    assert_eq!(operations(&server).await, Vec::<String>::new());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pools_without_threat_protection_are_refused_before_the_scan() {
    let pool = |tier: &str, mode: &str| {
        json!({"UserPool": {"Id": POOL, "UserPoolTier": tier,
                            "UserPoolAddOns": {"AdvancedSecurityMode": mode}}})
    };
    for (described, says) in [
        (pool("PLUS", "OFF"), "AdvancedSecurityMode is OFF"),
        (pool("ESSENTIALS", "AUDIT"), "on the ESSENTIALS plan"),
    ] {
        let server = serve(Stub::with_pool(described)).await;
        let run = export(&server, &[]).await;
        assert_eq!(run.code, 2, "{}", run.stderr);
        assert!(run.stderr.contains(says), "{}", run.stderr);
        assert_eq!(operations(&server).await, ["DescribeUserPool"]);
    }
    // DescribeUserPool refused (it is optional): Cognito's own answer says why, exit 2 too.
    let mut stub = Stub::with_pool(Value::Null);
    stub.add_on_off = true;
    let server = serve(stub).await;
    let run = export(&server, &[]).await;
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("answered UserPoolAddOnNotEnabledException"),
        "{}",
        run.stderr
    );
    assert_eq!(run.stdout, "", "nothing written once the pool said no");
}

/// A Plus pool of 16 users without history, answering AdminGetUser too.
struct Many;

impl Respond for Many {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        match operation_of(request) {
            "DescribeUserPool" => ok(json!({"UserPool": {
                "Id": POOL, "EstimatedNumberOfUsers": 16, "UserPoolTier": "PLUS",
                "UserPoolAddOns": {"AdvancedSecurityMode": "ENFORCED"}
            }})),
            "ListUsers" => {
                let users: Vec<Value> = (0..16).map(|i| user(&format!("u{i:02}"), "x")).collect();
                ok(json!({"Users": users}))
            }
            "AdminListUserAuthEvents" => ok(json!({"AuthEvents": []})),
            "AdminGetUser" => ok(json!({"Username": "u", "UserAttributes": [],
                                        "Enabled": true, "UserStatus": "CONFIRMED"})),
            other => panic!("unexpected {other}"),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_ins_are_read_at_the_user_resource_read_rate() {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(Many).mount(&server).await;
    let proxy = crate::common::proxy::RecordingProxy::start(*server.address()).await;
    let url = proxy.url();
    let since = std::time::Instant::now();
    let args = [
        &["export", "--streams", "1", "--last-sign-in", "--with-mfa"][..],
        &cli::target(POOL, &url),
    ]
    .concat();
    let run = cli::run_args_async(&args).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("~16 requests at 5/s ≈ 3 s"),
        "{}",
        run.stderr
    );
    let sign_ins = proxy.max_per_second("AdminListUserAuthEvents", since);
    let gets = proxy.max_per_second("AdminGetUser", since);
    eprintln!(
        "16 users: at most {sign_ins} AdminListUserAuthEvents and {gets} AdminGetUser a second"
    );
    // The default user_resource_read is 5/s (one more at a second's edge).
    assert!(
        sign_ins <= 6,
        "{sign_ins} AdminListUserAuthEvents in one second"
    );
    // The control: AdminGetUser, drawn from user_read (10/s), goes faster in the same run.
    assert!(gets > 6, "{gets} AdminGetUser in one second");
}
