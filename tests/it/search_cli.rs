//! The one-shot `search` command and the config file, through the real binary: exit codes,
//! ListUsers' JSON shape, sanitized text, named pools from a config file (valid, invalid,
//! missing).

use crate::common::cli;

use std::path::Path;

use serde_json::Value;

fn json(stdout: &str) -> Value {
    serde_json::from_str(stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}"))
}

/// Runs the binary with `args`, HOME and XDG_CONFIG_HOME in `home`.
fn run_in(home: &Path, args: &[&str]) -> cli::Run {
    let mut c = cli::command(home);
    c.env("XDG_CONFIG_HOME", home.join("xdg")).args(args);
    cli::run(c)
}

#[test]
fn json_is_an_array_in_list_users_shape_best_match_first() {
    let r = cli::run_args(&["search", "--demo", "ali", "--output", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v = json(&r.stdout);
    let users = v.as_array().expect("array");
    assert_eq!(users[0]["Username"], "alice");
    let keys: Vec<&str> = users[0]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let expected = [
        "Username",
        "Attributes",
        "UserCreateDate",
        "UserLastModifiedDate",
        "Enabled",
        "UserStatus",
    ];
    assert_eq!(keys.len(), expected.len(), "{keys:?}");
    // serde_json sorts keys on parse; check the order on the raw text of the first user.
    let first = &r.stdout[..r.stdout.find('}').unwrap_or(r.stdout.len())];
    let first_end = r.stdout.find("\"UserStatus\"").unwrap();
    let positions: Vec<usize> = expected
        .iter()
        .map(|k| {
            r.stdout[..first_end + 20]
                .find(&format!("\"{k}\""))
                .expect(k)
        })
        .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{first}");
    assert_eq!(users[0]["Attributes"][0]["Name"], "sub");
    assert!(!r.stdout.contains("MFA"), "ListUsers has no MFA fields");
}

#[test]
fn no_match_exits_3_with_an_empty_array() {
    let r = cli::run_args(&["search", "--demo", "zzz-nobody", "-o", "json"]);
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert_eq!(json(&r.stdout), Value::Array(vec![]));
    assert!(r.stderr.contains("no user"), "{}", r.stderr);

    let r = cli::run_args(&["search", "--demo", "zzz-nobody", "-o", "text"]);
    assert_eq!(r.code, 3);
    assert!(r.stdout.is_empty());
}

#[test]
fn limit_truncates_and_says_so() {
    let r = cli::run_args(&["search", "--demo", "sam", "-o", "json", "--limit", "1"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(json(&r.stdout).as_array().unwrap().len(), 1);
    assert!(r.stderr.contains("showing 1 of 2"), "{}", r.stderr);
}

#[test]
fn email_shape_and_text_table_is_sanitized() {
    let r = cli::run_args(&["search", "--demo", "alice@", "-o", "text"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert!(lines[0].starts_with("USERNAME"), "{}", r.stdout);
    assert!(lines[1].starts_with("alice "), "{}", r.stdout);

    let r = cli::run_args(&["search", "--demo", "mall", "-o", "text"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for c in ['\u{1b}', '\u{7}', '\u{202e}', '\u{200b}'] {
        assert!(!r.stdout.contains(c), "{c:?} reached the terminal");
    }
    assert!(r.stdout.contains("\\x1b"), "{}", r.stdout);
}

#[test]
fn usage_errors_and_unknown_pools() {
    let r = cli::run_args(&["search", "--demo", "  "]);
    assert_eq!(r.code, 2);
    let r = cli::run_args(&["search", "ali"]);
    assert_eq!(r.code, 2, "no pool");
    assert!(r.stderr.contains("--pool"), "{}", r.stderr);
    let r = cli::run_args(&["search", "--demo", "--pool", "us-east-1_Nope", "ali"]);
    assert_eq!(r.code, 5, "{}", r.stderr);
}

const DEMO_POOL: &str = "us-east-1_DemoPool1";

#[test]
fn config_named_pool_resolves() {
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join("xdg/cognito-tui");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("config.toml"),
        format!("[pools.support]\npool_id = \"{DEMO_POOL}\"\n\n[rate_limits]\nuser_list = 2\n"),
    )
    .unwrap();
    let r = run_in(
        home.path(),
        &[
            "search", "--demo", "--pool", "support", "alice@", "-o", "json",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(json(&r.stdout)[0]["Username"], "alice");

    // An unknown name lists the configured ones.
    let r = run_in(
        home.path(),
        &["search", "--demo", "--pool", "prod", "alice"],
    );
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("support"), "{}", r.stderr);
}

#[test]
fn config_given_with_flag_and_invalid_file_names_path_and_line() {
    let home = tempfile::tempdir().unwrap();
    let file = home.path().join("my.toml");
    std::fs::write(
        &file,
        "[pools.x]\npool_id = \"us-east-1_x\"\nregion = eu-west-1\n",
    )
    .unwrap();
    let r = run_in(
        home.path(),
        &[
            "search",
            "--demo",
            "--config",
            file.to_str().unwrap(),
            "ali",
        ],
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("my.toml"), "{}", r.stderr);
    assert!(r.stderr.contains("line 3"), "{}", r.stderr);

    std::fs::write(&file, "[rate_limits]\nuser_list = 300\n").unwrap();
    let r = run_in(
        home.path(),
        &[
            "search",
            "--demo",
            "--config",
            file.to_str().unwrap(),
            "ali",
        ],
    );
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("line 2") && r.stderr.contains("user_list"),
        "{}",
        r.stderr
    );
}

#[test]
fn config_missing_default_file_means_defaults_but_a_named_one_must_exist() {
    let home = tempfile::tempdir().unwrap();
    let r = run_in(home.path(), &["search", "--demo", "ali", "-o", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);

    let missing = home.path().join("absent.toml");
    let r = run_in(
        home.path(),
        &[
            "search",
            "--demo",
            "--config",
            missing.to_str().unwrap(),
            "ali",
        ],
    );
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("absent.toml"), "{}", r.stderr);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn named_pool_brings_its_region_and_endpoint() {
    use wiremock::matchers::{body_string_contains, header, method};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(header(
            "x-amz-target",
            "AWSCognitoIdentityProviderService.ListUsers",
        ))
        .and(body_string_contains("us-east-1_Stub1"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("content-type", "application/x-amz-json-1.1")
                .set_body_string(
                    r#"{"Users":[{"Username":"carol","Attributes":[{"Name":"email","Value":"carol@example.com"}],"UserCreateDate":1.7e9,"Enabled":true,"UserStatus":"CONFIRMED"}]}"#,
                ),
        )
        .mount(&server)
        .await;
    let home = tempfile::tempdir().unwrap();
    let file = home.path().join("c.toml");
    std::fs::write(
        &file,
        format!(
            "[pools.stub]\npool_id = \"us-east-1_Stub1\"\nregion = \"us-east-1\"\nendpoint_url = \"{}\"\n",
            server.uri()
        ),
    )
    .unwrap();
    let home_path = home.path().to_path_buf();
    let r = tokio::task::spawn_blocking(move || {
        run_in(
            &home_path,
            &[
                "search",
                "--config",
                file.to_str().unwrap(),
                "--pool",
                "stub",
                "carol@",
                "-o",
                "json",
            ],
        )
    })
    .await
    .unwrap();
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v = json(&r.stdout);
    assert_eq!(v[0]["Username"], "carol");
    assert_eq!(v[0]["UserCreateDate"], "2023-11-14T22:13:20Z");
    let requests = server.received_requests().await.unwrap();
    assert_eq!(
        requests.len(),
        1,
        "one filter for an email prefix, no AdminGetUser"
    );
}
