//! Privacy mode in the one-shot commands, through the real binary: `--redact` (and
//! `redact = true` in the config) masks every personal value that `get`, `get --include`,
//! `search` and `diagnose` print, in JSON (in place, same shape) and in text, and in the
//! errors on stderr. A wiremock server plays Cognito so the user can carry every standard
//! personal attribute, an email-shaped username, devices and sign-in context.

use serde_json::{Value, json};
use wiremock::matchers::{header, method};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::cli;

const POOL: &str = "eu-west-1_AbC123";
const SUB: &str = "7d1e6c2a-4b3f-4e8d-9a10-5c2b7e4f9a31";

/// Every personal value the fixture holds; none may appear in any redacted output.
const PERSONAL: [&str; 25] = [
    "jo.doe@example.com",
    "jo.doe",
    "+351912345678",
    "Josephine Doe",
    "Josephine",
    "Doe-Silva",
    "Maria",
    "Jojo",
    "jojo_dee",
    "nonbinary-x",
    "1988-04-12",
    "pt-BR",
    "Europe/Lisbon",
    "12 Rua Augusta",
    "https://pics.example/jo.png",
    "https://profile.example/jo",
    "https://jo-doe.example",
    "tenant-lisbon-7",
    "devcustomvalue",
    "Pixel 8 of Jo",
    "198.51.100.23",
    "203.0.113.77",
    "Lisbon",
    "Portugal",
    "Chrome 120 on Linux",
];

fn attributes() -> Value {
    let pairs = [
        ("sub", SUB),
        ("email", "jo.doe@example.com"),
        ("email_verified", "true"),
        ("phone_number", "+351912345678"),
        ("phone_number_verified", "false"),
        ("name", "Josephine Doe"),
        ("given_name", "Josephine"),
        ("family_name", "Doe-Silva"),
        ("middle_name", "Maria"),
        ("nickname", "Jojo"),
        ("preferred_username", "jojo_dee"),
        ("gender", "nonbinary-x"),
        ("birthdate", "1988-04-12"),
        ("locale", "pt-BR"),
        ("zoneinfo", "Europe/Lisbon"),
        ("address", "12 Rua Augusta"),
        ("picture", "https://pics.example/jo.png"),
        ("profile", "https://profile.example/jo"),
        ("website", "https://jo-doe.example"),
        ("updated_at", "1700000000"),
        ("custom:tenant", "tenant-lisbon-7"),
        ("dev:custom:device_owner", "devcustomvalue"),
    ];
    Value::Array(
        pairs
            .iter()
            .map(|(n, v)| json!({"Name": n, "Value": v}))
            .collect(),
    )
}

fn target(op: &str) -> wiremock::matchers::HeaderExactMatcher {
    header(
        "x-amz-target",
        format!("AWSCognitoIdentityProviderService.{op}"),
    )
}

async fn answer(server: &MockServer, op: &str, body: Value) {
    Mock::given(method("POST"))
        .and(target(op))
        .respond_with(ResponseTemplate::new(200).set_body_string(body.to_string()))
        .mount(server)
        .await;
}

/// A Cognito with one user whose username is an email address, in a pool with threat
/// protection (so `diagnose` reads its sign-in history).
async fn cognito() -> MockServer {
    let server = MockServer::start().await;
    answer(
        &server,
        "AdminGetUser",
        json!({
            "Username": "jo.doe@example.com", "Enabled": true, "UserStatus": "CONFIRMED",
            "UserAttributes": attributes(),
            "UserCreateDate": 1700000000, "UserLastModifiedDate": 1700000500
        }),
    )
    .await;
    answer(
        &server,
        "ListUsers",
        json!({"Users": [{
            "Username": "jo.doe@example.com", "Enabled": true, "UserStatus": "CONFIRMED",
            "Attributes": attributes(), "UserCreateDate": 1700000000
        }]}),
    )
    .await;
    answer(
        &server,
        "AdminListDevices",
        json!({"Devices": [{
            "DeviceKey": "eu-west-1_0f1e2d3c-dev",
            "DeviceAttributes": [
                {"Name": "device_name", "Value": "Pixel 8 of Jo"},
                {"Name": "last_ip_used", "Value": "198.51.100.23"},
                {"Name": "dev:device_remembered_status", "Value": "remembered"}
            ],
            "DeviceCreateDate": 1700000000, "DeviceLastAuthenticatedDate": 1700000900
        }]}),
    )
    .await;
    answer(
        &server,
        "AdminListUserAuthEvents",
        json!({"AuthEvents": [{
            "EventId": "ev-1", "EventType": "SignIn", "CreationDate": 1700000900,
            "EventResponse": "Pass",
            "EventRisk": {"RiskDecision": "NoRisk", "RiskLevel": "Low"},
            "EventContextData": {"IpAddress": "203.0.113.77", "DeviceName": "Chrome 120 on Linux",
                                  "City": "Lisbon", "Country": "Portugal"}
        }]}),
    )
    .await;
    answer(
        &server,
        "DescribeUserPool",
        json!({"UserPool": {"Id": POOL, "MfaConfiguration": "OFF",
                "UserPoolAddOns": {"AdvancedSecurityMode": "AUDIT"}}}),
    )
    .await;
    server
}

/// The binary with `args` against `server`, off the async runtime.
async fn run(server: &MockServer, args: &[&str]) -> cli::Run {
    let mut all: Vec<String> = ["--pool", POOL, "--endpoint-url", &server.uri()]
        .map(str::to_string)
        .to_vec();
    all.extend(args.iter().map(|a| a.to_string()));
    tokio::task::spawn_blocking(move || {
        cli::run_args(&all.iter().map(String::as_str).collect::<Vec<_>>())
    })
    .await
    .unwrap()
}

fn parse(stdout: &str) -> Value {
    serde_json::from_str(stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}"))
}

/// Every string leaf blanked: two documents with the same shape have the same skeleton.
fn skeleton(v: &Value) -> Value {
    match v {
        Value::String(_) => Value::String(String::new()),
        Value::Array(a) => Value::Array(a.iter().map(skeleton).collect()),
        Value::Object(o) => {
            Value::Object(o.iter().map(|(k, v)| (k.clone(), skeleton(v))).collect())
        }
        other => other.clone(),
    }
}

fn assert_no_personal_value(what: &str, r: &cli::Run) {
    for value in PERSONAL {
        assert!(
            !r.stdout.contains(value) && !r.stderr.contains(value),
            "{what}: {value:?} leaked\nstdout:\n{}\nstderr:\n{}",
            r.stdout,
            r.stderr
        );
    }
}

/// Runs `args` without `--redact`, asserts each of `shown` is in its output (the positive
/// control: the fixture's values really reach this output), then with `--redact` (placed
/// first) and asserts no personal value is. Returns the redacted run.
async fn plain_then_redacted(server: &MockServer, args: &[&str], shown: &[&str]) -> cli::Run {
    let what = args.join(" ");
    let plain = run(server, args).await;
    assert_eq!(plain.code, 0, "{what}: {}", plain.stderr);
    for value in shown {
        assert!(
            plain.stdout.contains(value),
            "{what} without --redact: {value:?} missing\n{}",
            plain.stdout
        );
    }
    let mut redacted = vec!["--redact"];
    redacted.extend(args);
    let r = run(server, &redacted).await;
    assert_eq!(r.code, 0, "{what} --redact: {}", r.stderr);
    assert_no_personal_value(&format!("{what} --redact"), &r);
    r
}

fn attribute<'a>(v: &'a Value, list: &str, name: &str) -> &'a Value {
    v[list]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["Name"] == name)
        .map(|a| &a["Value"])
        .unwrap_or_else(|| panic!("{name} missing in {v}"))
}

#[tokio::test]
async fn get_json_masks_every_personal_value_in_place() {
    let server = cognito().await;
    let args = [
        "get",
        "--by",
        "username",
        "jo.doe@example.com",
        "-o",
        "json",
        "--include",
        "devices,events",
    ];
    let plain = run(&server, &args).await;
    assert_eq!(plain.code, 0, "{}", plain.stderr);
    // The fixture really holds the values (so their absence below means something).
    for value in ["Josephine Doe", "198.51.100.23", "Lisbon", "devcustomvalue"] {
        assert!(plain.stdout.contains(value), "{value}: {}", plain.stdout);
    }
    let mut redacted_args = vec!["--redact"];
    redacted_args.extend(args);
    let r = run(&server, &redacted_args).await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_no_personal_value("get -o json --redact", &r);
    let (p, v) = (parse(&plain.stdout), parse(&r.stdout));
    assert_eq!(
        skeleton(&p),
        skeleton(&v),
        "same shape, values masked in place"
    );
    assert_eq!(v["Username"], "j•••@e•••.com");
    assert_eq!(attribute(&v, "UserAttributes", "email"), "j•••@e•••.com");
    assert_eq!(attribute(&v, "UserAttributes", "phone_number"), "+3•••78");
    for (name, masked) in [
        ("gender", "n•••"),
        ("birthdate", "1•••"),
        ("locale", "p•••"),
        ("zoneinfo", "E•••"),
        ("address", "1•••"),
        ("picture", "h•••"),
        ("website", "h•••"),
        ("custom:tenant", "t•••"),
        ("dev:custom:device_owner", "d•••"),
    ] {
        assert_eq!(attribute(&v, "UserAttributes", name), masked, "{name}");
    }
    // Not personal: kept exactly.
    assert_eq!(attribute(&v, "UserAttributes", "sub"), SUB);
    assert_eq!(attribute(&v, "UserAttributes", "email_verified"), "true");
    assert_eq!(
        attribute(&v, "UserAttributes", "phone_number_verified"),
        "false"
    );
    assert_eq!(attribute(&v, "UserAttributes", "updated_at"), "1700000000");
    assert_eq!(v["UserStatus"], "CONFIRMED");
    assert_eq!(v["UserCreateDate"], p["UserCreateDate"]);
    let device = &v["Devices"][0];
    assert_eq!(device["DeviceKey"], "eu-west-1_0f1e2d3c-dev");
    assert_eq!(attribute(device, "DeviceAttributes", "device_name"), "P•••");
    assert_eq!(
        attribute(device, "DeviceAttributes", "last_ip_used"),
        "1•••"
    );
    assert_eq!(
        attribute(device, "DeviceAttributes", "dev:device_remembered_status"),
        "remembered"
    );
    let context = &v["AuthEvents"][0]["EventContextData"];
    assert_eq!(context["IpAddress"], "2•••");
    assert_eq!(context["City"], "L•••");
    assert_eq!(context["Country"], "P•••");
    assert_eq!(context["DeviceName"], "C•••");
    assert_eq!(v["AuthEvents"][0]["EventRisk"]["RiskLevel"], "Low");
}

#[tokio::test]
async fn get_text_masks_every_personal_value() {
    let server = cognito().await;
    let args = [
        "get",
        "--by",
        "username",
        "jo.doe@example.com",
        "-o",
        "text",
        "--include",
        "devices,events",
    ];
    // Every planted value is printed without --redact.
    let r = plain_then_redacted(&server, &args, &PERSONAL).await;
    assert!(r.stdout.contains("j•••@e•••.com"), "{}", r.stdout);
    assert!(
        r.stdout.contains(SUB),
        "the sub is not personal: {}",
        r.stdout
    );
    assert!(r.stdout.contains("CONFIRMED"), "{}", r.stdout);
    assert!(r.stdout.contains("Devices (1)"), "{}", r.stdout);
}

#[tokio::test]
async fn search_json_and_text_are_masked() {
    let server = cognito().await;
    for format in ["json", "text"] {
        let args = ["search", "jo.doe@exa", "-o", format];
        let r = plain_then_redacted(&server, &args, SEARCH_SHOWS).await;
        assert!(r.stdout.contains("j•••@e•••.com"), "{}", r.stdout);
        if format == "json" {
            let v = parse(&r.stdout);
            assert_eq!(v[0]["Username"], "j•••@e•••.com");
            assert_eq!(attribute(&v[0], "Attributes", "sub"), SUB);
        }
    }
}

/// What `search` prints of the fixture in every format (its columns).
const SEARCH_SHOWS: &[&str] = &["jo.doe@example.com", "Josephine"];

/// What `diagnose` prints of the fixture in every format.
const DIAGNOSE_SHOWS: &[&str] = &["jo.doe@example.com"];

#[tokio::test]
async fn diagnose_json_and_text_are_masked() {
    let server = cognito().await;
    for format in ["json", "text"] {
        let args = [
            "diagnose",
            "--by",
            "username",
            "jo.doe@example.com",
            "-o",
            format,
        ];
        let r = plain_then_redacted(&server, &args, DIAGNOSE_SHOWS).await;
        let user = if format == "json" {
            parse(&r.stdout)["Username"].as_str().map(str::to_string)
        } else {
            (r.stdout.lines())
                .find_map(|l| l.strip_prefix("User     "))
                .map(str::to_string)
        };
        assert_eq!(user.as_deref(), Some("j•••@e•••.com"), "{}", r.stdout);
    }
}

#[tokio::test]
async fn redact_true_in_the_config_masks_like_the_flag() {
    let server = cognito().await;
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(&config, "redact = true\n").unwrap();
    let config = config.to_str().unwrap();
    let r = run(
        &server,
        &[
            "--config",
            config,
            "get",
            "--by",
            "username",
            "jo.doe@example.com",
            "-o",
            "json",
            "--include",
            "devices,events",
        ],
    )
    .await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_no_personal_value("get with redact = true", &r);
    assert_eq!(parse(&r.stdout)["Username"], "j•••@e•••.com");
}

/// The query, the routes tried and an ambiguity's filter are personal too.
#[test]
fn not_found_and_ambiguous_reports_are_masked() {
    let r = cli::run_args(&["get", "--demo", "--redact", "nobody.here@acme.example"]);
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(!r.stderr.contains("nobody.here"), "{}", r.stderr);
    assert!(r.stderr.contains("n•••@a•••.example"), "{}", r.stderr);

    let r = cli::run_args(&[
        "get",
        "--demo",
        "--redact",
        "shared@acme.example",
        "-o",
        "json",
    ]);
    assert_eq!(r.code, 4, "{}", r.stderr);
    assert!(!r.stdout.contains("shared@") && !r.stderr.contains("shared@"));
    let v = parse(&r.stdout);
    assert_eq!(v["Filter"], "email = \"s•••@a•••.example\"");
    assert_eq!(
        v["Users"][0]["Username"], "sam.one",
        "not email-shaped: kept"
    );
    assert_eq!(
        attribute(&v["Users"][0], "Attributes", "given_name"),
        "S•••"
    );

    let r = cli::run_args(&["search", "--demo", "--redact", "+1555000", "-o", "text"]);
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(!r.stderr.contains("+1555000"), "{}", r.stderr);
}

/// `get -o csv|tsv`, a batch from a file (NDJSON and CSV), `--all-pools`, `search -o csv` and
/// `export` (JSON lines and CSV): the same masking, the query cells included.
#[tokio::test]
async fn batch_tables_all_pools_and_export_are_masked() {
    let server = cognito().await;
    let dir = tempfile::tempdir().unwrap();
    let queries = dir.path().join("queries.txt");
    std::fs::write(&queries, "jo.doe@example.com\nann.other@example.com\n").unwrap();
    let queries = queries.to_str().unwrap();
    let columns = "email,phone_number,gender,custom:tenant,email_verified";
    let runs: Vec<(&str, Vec<&str>)> = vec![
        (
            "get -o csv",
            vec!["get", "--by", "username", "jo.doe@example.com", "-o", "csv"],
        ),
        (
            "get -o tsv --attributes",
            vec![
                "get",
                "--by",
                "username",
                "jo.doe@example.com",
                "-o",
                "tsv",
                "--attributes",
                columns,
            ],
        ),
        (
            "batch ndjson",
            vec!["get", "--by", "username", "--from", queries, "-o", "json"],
        ),
        (
            "batch csv",
            vec![
                "get",
                "--by",
                "username",
                "--from",
                queries,
                "-o",
                "csv",
                "--attributes",
                columns,
            ],
        ),
        (
            "search csv",
            vec!["search", "jo.doe@exa", "-o", "csv", "--attributes", columns],
        ),
        ("export json", vec!["export", "--streams", "1"]),
        (
            "export csv",
            vec![
                "export",
                "--streams",
                "1",
                "-o",
                "csv",
                "--attributes",
                columns,
            ],
        ),
    ];
    for (what, args) in runs {
        let plain = run(&server, &args).await;
        assert!(
            plain.stdout.contains("jo.doe@example.com"),
            "{what} without --redact shows the value:\n{}\n{}",
            plain.stdout,
            plain.stderr
        );
        let mut redacted = vec!["--redact"];
        redacted.extend(&args);
        let r = run(&server, &redacted).await;
        assert_eq!(r.code, plain.code, "{what}: {}", r.stderr);
        assert_no_personal_value(what, &r);
        assert!(r.stdout.contains("j•••@e•••.com"), "{what}: {}", r.stdout);
        assert!(
            r.stdout.contains(SUB),
            "{what}: the sub stays\n{}",
            r.stdout
        );
        if what.starts_with("batch") {
            assert!(r.stdout.contains("a•••@e•••.com"), "{what}: {}", r.stdout);
        }
    }

    // Every named pool, privacy mode from the config file.
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        format!(
            "redact = true\n[pools.one]\npool_id = \"{POOL}\"\nendpoint_url = \"{0}\"\n\
             region = \"eu-west-1\"\n[pools.two]\npool_id = \"eu-west-1_Two222\"\n\
             endpoint_url = \"{0}\"\nregion = \"eu-west-1\"\n",
            server.uri()
        ),
    )
    .unwrap();
    let config = config.to_str().unwrap().to_string();
    for format in ["json", "text", "csv"] {
        let config = config.clone();
        let r = tokio::task::spawn_blocking(move || {
            cli::run_args(&[
                "--config",
                &config,
                "get",
                "--all-pools",
                "--by",
                "username",
                "jo.doe@example.com",
                "-o",
                format,
            ])
        })
        .await
        .unwrap();
        assert_eq!(r.code, 0, "--all-pools -o {format}: {}", r.stderr);
        assert_no_personal_value(&format!("--all-pools -o {format}"), &r);
        assert!(
            r.stdout.matches("j•••@e•••.com").count() >= 2,
            "{}",
            r.stdout
        );
    }
}

/// `--where`: a parse error says its column without echoing the expression, and the note
/// naming the part Cognito filters by masks its value. Without `--redact` both show the
/// value (the positive control).
#[test]
fn where_errors_and_the_server_filter_note_are_masked() {
    let broken = r#"email = "jo.doe@example.com" and"#;
    for command in ["export", "search"] {
        let mut args = vec![command, "--demo", "--where", broken];
        if command == "search" {
            args.insert(1, "jo");
        }
        let plain = cli::run_args(&args);
        assert_eq!(plain.code, 2, "{command}: {}", plain.stderr);
        assert!(
            plain.stderr.contains("jo.doe@example.com"),
            "{}",
            plain.stderr
        );
        args.insert(1, "--redact");
        let r = cli::run_args(&args);
        assert_eq!(r.code, 2, "{command} --redact: {}", r.stderr);
        assert!(r.stderr.contains("column 33"), "{}", r.stderr);
        assert!(!r.stderr.contains("jo.doe"), "{command}: {}", r.stderr);
    }
    let servable = r#"email = "jo.doe@example.com""#;
    let plain = cli::run_args(&["export", "--demo", "--where", servable]);
    assert!(
        plain
            .stderr
            .contains("filters by email = \"jo.doe@example.com\""),
        "{}",
        plain.stderr
    );
    let r = cli::run_args(&["export", "--demo", "--redact", "--where", servable]);
    assert_eq!(r.code, plain.code, "{}", r.stderr);
    assert!(
        r.stderr.contains("filters by email = \"j•••@e•••.com\""),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("jo.doe"), "{}", r.stderr);
}
