//! One rate (issue 19.5), through the real binary against a stand-in for Cognito that has a
//! quota of its own below the configured limit: it answers TooManyRequestsException in the
//! service model's shape (HTTP 400, `x-amzn-errortype` and `__type`) and records when every
//! request arrived. Retries wait for the limiter like first attempts, so no one-second window
//! holds more than the configured rate; throttling slows the run and it completes.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::common::cli;

/// A window a little under one second: arrival times at the stub differ from start times at
/// the client by the time a request spends between the two processes — under a millisecond
/// on an idle machine, and 50 ms and more when the test suite loads both cores (a window of
/// 950 ms was seen to count 21 lookups at 20 a second then) — so a count over this window
/// never credits the client with the stub's lateness.
const WINDOW: Duration = Duration::from_millis(900);

/// Cognito with a quota: more than `quota` answered requests of one operation within the
/// last second are refused as Cognito refuses them.
struct QuotaStub {
    quota: usize,
    /// Every request: when it came, its operation, whether it was throttled.
    seen: Arc<Mutex<Vec<(Instant, String, bool)>>>,
}

impl Respond for QuotaStub {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let target = request
            .headers
            .get("x-amz-target")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        let operation = target.rsplit('.').next().unwrap_or_default().to_string();
        let now = Instant::now();
        let mut seen = self.seen.lock().unwrap();
        let answered = seen
            .iter()
            .filter(|(t, op, throttled)| {
                !throttled && *op == operation && now.duration_since(*t) < Duration::from_secs(1)
            })
            .count();
        let throttle = operation != "DescribeUserPool" && answered >= self.quota;
        seen.push((now, operation.clone(), throttle));
        if throttle {
            return ResponseTemplate::new(400)
                .insert_header("content-type", "application/x-amz-json-1.1")
                .insert_header("x-amzn-errortype", "TooManyRequestsException:")
                .set_body_string(
                    r#"{"__type":"TooManyRequestsException","message":"Too many requests"}"#,
                );
        }
        let body: serde_json::Value =
            serde_json::from_slice(&request.body).unwrap_or(serde_json::Value::Null);
        ResponseTemplate::new(200)
            .insert_header("content-type", "application/x-amz-json-1.1")
            .set_body_json(answer(&operation, &body))
    }
}

/// Two users per `sub ^= "x"` shard (sub starting with x), alice… for AdminGetUser.
fn answer(operation: &str, body: &serde_json::Value) -> serde_json::Value {
    let user = |name: String, sub: String| {
        serde_json::json!({"Username": name, "Enabled": true, "UserStatus": "CONFIRMED",
            "Attributes": [{"Name": "sub", "Value": sub}]})
    };
    match operation {
        "DescribeUserPool" => serde_json::json!({"UserPool": {"Id": "eu-west-1_AbC123",
            "Name": "quota", "EstimatedNumberOfUsers": 32}}),
        "AdminGetUser" => {
            let name = body["Username"].as_str().unwrap_or("alice");
            serde_json::json!({"Username": name, "Enabled": true, "UserStatus": "CONFIRMED",
                "UserAttributes": [{"Name": "sub", "Value": "0b1c2d3e-0000-4000-8000-000000000001"}]})
        }
        _ => {
            let filter = body["Filter"].as_str().unwrap_or_default();
            let prefix = filter.split('"').nth(1).unwrap_or("0").to_string();
            let users: Vec<_> = (0..2)
                .map(|i| {
                    user(
                        format!("user-{prefix}-{i}"),
                        format!("{prefix}{i}000000-0000-4000-8000-000000000000"),
                    )
                })
                .collect();
            serde_json::json!({ "Users": users })
        }
    }
}

type Seen = Arc<Mutex<Vec<(Instant, String, bool)>>>;

async fn quota_stub(quota: usize) -> (MockServer, Seen) {
    let server = MockServer::start().await;
    let seen = Seen::default();
    Mock::given(wiremock::matchers::method("POST"))
        .respond_with(QuotaStub {
            quota,
            seen: seen.clone(),
        })
        .mount(&server)
        .await;
    (server, seen)
}

/// The most `operation` requests (throttled or not) that arrived within any [`WINDOW`],
/// and how many were throttled.
fn busiest_window(seen: &Seen, operation: &str) -> (usize, usize) {
    let seen = seen.lock().unwrap();
    let times: Vec<Instant> = seen
        .iter()
        .filter(|(_, op, _)| op == operation)
        .map(|(t, _, _)| *t)
        .collect();
    let busiest = times
        .iter()
        .map(|&start| {
            times
                .iter()
                .filter(|&&t| t >= start && t.duration_since(start) < WINDOW)
                .count()
        })
        .max()
        .unwrap_or(0);
    let throttled = seen
        .iter()
        .filter(|(_, op, throttled)| op == operation && *throttled)
        .count();
    (busiest, throttled)
}

fn config_with(home: &std::path::Path, limits: &str) -> String {
    let path = home.join("config.toml");
    std::fs::write(&path, format!("[rate_limits]\n{limits}\n")).unwrap();
    path.display().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_throttled_export_keeps_its_rate_and_completes() {
    // Cognito lets 3 ListUsers a second through; we are configured for 5, over 16 streams.
    let (server, seen) = quota_stub(3).await;
    let home = tempfile::tempdir().unwrap();
    let config = config_with(home.path(), "user_list = 5");
    let url = server.uri();
    let args = [
        "--config",
        &config,
        "export",
        "--pool",
        "eu-west-1_AbC123",
        "--endpoint-url",
        &url,
    ];
    let r = cli::run_args_async(&args).await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    let users = cli::json_lines(&r.stdout);
    assert_eq!(users.len(), 32, "every shard's users, once");
    let (busiest, throttled) = busiest_window(&seen, "ListUsers");
    assert!(
        throttled > 0,
        "the stub throttled (else this proves nothing)"
    );
    assert!(
        busiest <= 5,
        "{busiest} ListUsers within {WINDOW:?} at user_list = 5 ({throttled} throttled)"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn throttled_lookups_are_retried_within_the_rate() {
    // A batch of 40 lookups at user_read = 20; Cognito lets 8 a second through.
    let (server, seen) = quota_stub(8).await;
    let home = tempfile::tempdir().unwrap();
    let config = config_with(home.path(), "user_read = 20");
    let url = server.uri();
    let queries: String = (0..40).map(|i| format!("user{i:02}\n")).collect();
    let args = [
        "--config",
        &config,
        "get",
        "-",
        "--by",
        "username",
        "--pool",
        "eu-west-1_AbC123",
        "--endpoint-url",
        &url,
    ];
    let r = cli::run_with_stdin_async(&args, &queries).await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(cli::json_lines(&r.stdout).len(), 40, "{}", r.stdout);
    let (busiest, throttled) = busiest_window(&seen, "AdminGetUser");
    assert!(
        throttled > 0,
        "the stub throttled (else this proves nothing)"
    );
    assert!(
        busiest <= 20,
        "{busiest} AdminGetUser within {WINDOW:?} at user_read = 20 ({throttled} throttled)"
    );
    let counts: HashMap<bool, usize> =
        seen.lock()
            .unwrap()
            .iter()
            .fold(HashMap::new(), |mut m, (_, _, t)| {
                *m.entry(*t).or_default() += 1;
                m
            });
    eprintln!(
        "answered {:?}, throttled {:?}",
        counts.get(&false),
        counts.get(&true)
    );
}

/// Where `code` (one file, `path`) could send a request the limiter doesn't see: the SDK's own
/// retry switched on (every `retry_config(…)` must be `RetryConfig::disabled()`), or an SDK
/// backend built outside `session.rs`, whose stack puts it behind the limiter.
fn limiter_bypasses(path: &str, code: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (i, line) in code.lines().enumerate() {
        let line = line.split("//").next().unwrap_or_default();
        if line.contains("retry_config(") && !line.contains("retry_config(RetryConfig::disabled())")
        {
            found.push(format!("{path}:{}: the SDK retries on its own", i + 1));
        }
        if line.contains("SdkBackend::connect(") && path != "src/session.rs" {
            found.push(format!(
                "{path}:{}: an SDK backend without the limiter",
                i + 1
            ));
        }
    }
    found
}

#[test]
fn no_request_goes_around_the_limiter() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = vec![root.join("src")];
    let (mut breaches, mut disabled_seen, mut wrapped_seen) = (Vec::new(), false, false);
    while let Some(path) = files.pop() {
        if path.is_dir() {
            files.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
            continue;
        }
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let code = std::fs::read_to_string(&path).unwrap();
        let name = path.strip_prefix(root).unwrap().display().to_string();
        disabled_seen |= code.contains("retry_config(RetryConfig::disabled())");
        wrapped_seen |= name == "src/session.rs"
            && code.contains("SdkBackend::connect(")
            && code.contains("RateLimitedBackend::new(sdk, limiter");
        breaches.extend(limiter_bypasses(&name, &code));
    }
    assert!(
        disabled_seen,
        "the client turns the SDK's retry off: is the check blind?"
    );
    assert!(
        wrapped_seen,
        "session.rs puts the SDK backend behind the limiter"
    );
    assert!(breaches.is_empty(), "{}", breaches.join("\n"));
    // Planted breaches are caught.
    let planted = ".retry_config(RetryConfig::standard().with_max_attempts(3))\n\
                   let b = SdkBackend::connect(&options, None).await;";
    assert_eq!(limiter_bypasses("src/worker.rs", planted).len(), 2);
}
