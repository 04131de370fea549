//! `export -o cognito-import`: the CSV a Cognito user import job takes, under the pool's
//! GetCSVHeader header. moto has no GetCSVHeader, so a wiremock stub answers it in the service
//! model's shape (`{"UserPoolId": …, "CSVHeader": [ … ]}`): alone (with ListUsers too) for
//! the golden file, and behind a routing proxy in front of moto, which lists the users, for
//! the round trip — the file read back by the import rules themselves ("Creating the user
//! import CSV file", Amazon Cognito Developer Guide), written here as the test's own parser,
//! gives each user's attributes as moto holds them.

use std::collections::HashMap;

use serde_json::{Value, json};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate, matchers::any};

use crate::common::cli;
use crate::common::emulator::{Emulator, Kind};
use crate::common::proxy::RecordingProxy;
use crate::common::seed;
use crate::common::stub::{answer, aws_json, operations};

const POOL: &str = "eu-west-1_ImPort1";

/// GetCSVHeader's answer for the stub pool: custom attributes among the standard ones, in
/// an order of Cognito's (not ours), `cognito:username` last.
const HEADER: [&str; 14] = [
    "name",
    "given_name",
    "family_name",
    "email",
    "email_verified",
    "birthdate",
    "phone_number",
    "phone_number_verified",
    "address",
    "updated_at",
    "custom:tier",
    "custom:note",
    "cognito:mfa_enabled",
    "cognito:username",
];

/// A ListUsers item.
fn user(name: &str, status: &str, attributes: &[(&str, &str)]) -> Value {
    let attributes: Vec<Value> = (attributes.iter())
        .map(|(n, v)| json!({"Name": n, "Value": v}))
        .collect();
    json!({"Username": name, "Attributes": attributes, "UserCreateDate": 1.7e9,
           "UserLastModifiedDate": 1.7e9, "Enabled": true, "UserStatus": status})
}

/// The stub pool's users: commas, quotes, a line break, an escape sequence, non-ASCII, a
/// formula-looking value, a federated user, a value ending in a backslash, an unverified one.
fn users() -> Value {
    json!({"Users": [
        user("ann", "CONFIRMED", &[
            ("name", "Ann, Jr."), ("given_name", "Zoë\u{1b}[31m"), ("family_name", "Ünal-O'Brien"),
            ("email", "ann@example.com"), ("email_verified", "true"), ("birthdate", "1985-02-01"),
            ("phone_number", "+15555550100"), ("phone_number_verified", "false"),
            ("address", "1 Main St\nSpringfield, IL"), ("updated_at", "1700000000"),
            ("custom:tier", "gold"), ("custom:note", "=SUM(A1:A2)"),
        ]),
        user("bo", "RESET_REQUIRED", &[
            ("email", "bo@example.com"), ("email_verified", "true"),
            ("custom:tier", "say \"hi\", then go"),
        ]),
        user("Google_1234", "EXTERNAL_PROVIDER", &[("email", "g@example.com")]),
        user("cy", "CONFIRMED", &[("email", "cy@example.com"), ("custom:note", "ends with \\")]),
        user("dee", "UNCONFIRMED", &[("email", "dee@example.com")]),
    ]})
}

/// The import file for [`users`], byte for byte.
const GOLDEN: &str = "\
name,given_name,family_name,email,email_verified,birthdate,phone_number,phone_number_verified,address,updated_at,custom:tier,custom:note,cognito:mfa_enabled,cognito:username
Ann\\, Jr.,Zoë\\x1b[31m,Ünal-O'Brien,ann@example.com,true,02/01/1985,+15555550100,false,1 Main St\\nSpringfield\\, IL,1700000000,gold,=SUM(A1:A2),false,ann
,,,bo@example.com,true,,,false,,,say \"hi\"\\, then go,,false,bo
,,,dee@example.com,false,,,false,,,,,false,dee
";

/// A stub pool: MFA off, the users above, GetCSVHeader's [`HEADER`].
async fn stub_pool() -> MockServer {
    let server = MockServer::start().await;
    let pool = json!({"UserPool": {"Id": POOL, "Name": "import", "EstimatedNumberOfUsers": 5,
                                   "MfaConfiguration": "OFF"}});
    answer(&server, "DescribeUserPool", pool).await;
    answer(
        &server,
        "GetCSVHeader",
        json!({"UserPoolId": POOL, "CSVHeader": HEADER}),
    )
    .await;
    answer(&server, "ListUsers", users()).await;
    server
}

fn audit_lines(path: &std::path::Path) -> Vec<Value> {
    (std::fs::read_to_string(path).unwrap().lines())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_import_file_is_exact_and_says_who_it_left_out() {
    let server = stub_pool().await;
    let url = server.uri();
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("audit.jsonl");
    let args = [
        &["export", "--streams", "1", "-o", "cognito-import"][..],
        &cli::target(POOL, &url),
        &["--audit-log", log.to_str().unwrap()],
    ]
    .concat();
    let run = cli::run_args_async(&args).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, GOLDEN);
    for said in [
        "1 EXTERNAL_PROVIDER (federated) users not written",
        "stand in its way: Google_1234",
        "1 users not written: a value the import file can't carry",
        "space or tab in the username): cy",
        "1 users have a value with a control character",
        "1 users have neither email_verified nor phone_number_verified true",
        "exported 3 users",
    ] {
        assert!(run.stderr.contains(said), "{said}: {}", run.stderr);
    }
    // Written + left out = the estimate: no note that the count is off.
    assert!(
        !run.stderr.contains("DescribeUserPool estimates"),
        "{}",
        run.stderr
    );
    // GetCSVHeader before the users, on record.
    let ops = operations(&server).await;
    assert_eq!(ops, ["DescribeUserPool", "GetCSVHeader", "ListUsers"]);
    let actions: Vec<Value> = audit_lines(&log)
        .iter()
        .map(|l| l["action"].clone())
        .collect();
    assert_eq!(
        actions,
        [json!("export"), json!("get_csv_header"), json!("export")]
    );
    let header_line = &audit_lines(&log)[1];
    assert_eq!(header_line["outcome"], "ok", "{header_line}");

    // The control: -o csv guards the same formula-looking value; the import file must not,
    // or the importer would store the guard's quote as part of the value.
    let args = [
        &[
            "export",
            "--streams",
            "1",
            "-o",
            "csv",
            "--attributes",
            "custom:note",
        ][..],
        &cli::target(POOL, &url),
    ]
    .concat();
    let run = cli::run_args_async(&args).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains(",'=SUM(A1:A2)"), "{}", run.stdout);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_an_import_file_cant_hold_is_refused_before_any_request() {
    let server = stub_pool().await;
    let url = server.uri();
    for (extra, says) in [
        (&["--with-groups"][..], "--with-groups would add one"),
        (&["--last-sign-in"][..], "--last-sign-in would add one"),
        (
            &["--query", "Username"][..],
            "not csv, tsv or cognito-import",
        ),
        (
            &["--attributes", "email"][..],
            "--attributes chooses csv/tsv columns",
        ),
        (&["--redact"][..], "privacy mode would import them"),
    ] {
        let args = [
            &["export", "-o", "cognito-import"][..],
            extra,
            &cli::target(POOL, &url),
        ]
        .concat();
        let run = cli::run_args_async(&args).await;
        assert_eq!(run.code, 2, "{extra:?}: {}", run.stderr);
        assert!(run.stderr.contains(says), "{extra:?}: {}", run.stderr);
    }
    assert_eq!(operations(&server).await, Vec::<String>::new());

    // A header that is not an import header (no cognito:username) ends the run before the
    // users are read.
    let server = MockServer::start().await;
    answer(
        &server,
        "DescribeUserPool",
        json!({"UserPool": {"Id": POOL}}),
    )
    .await;
    answer(
        &server,
        "GetCSVHeader",
        json!({"UserPoolId": POOL, "CSVHeader": ["email"]}),
    )
    .await;
    let url = server.uri();
    let args = [
        &["export", "-o", "cognito-import"][..],
        &cli::target(POOL, &url),
    ]
    .concat();
    let run = cli::run_args_async(&args).await;
    assert_ne!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("no cognito:username column"),
        "{}",
        run.stderr
    );
    assert!(!operations(&server).await.contains(&"ListUsers".to_string()));
}

/// The import rules, read back: fields split at commas without a backslash before them,
/// `\,` a comma of the value ("Formatting the CSV file").
fn read_row(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, chars.peek()) {
            ('\\', Some(',')) => {
                fields.last_mut().unwrap().push(',');
                chars.next();
            }
            (',', _) => fields.push(String::new()),
            (c, _) => fields.last_mut().unwrap().push(c),
        }
    }
    fields
}

/// Passes GetCSVHeader to a stub that answers it for `pool` with `header`.
struct CsvHeader {
    pool: String,
    header: Vec<&'static str>,
}

impl Respond for CsvHeader {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        aws_json(json!({"UserPoolId": self.pool, "CSVHeader": self.header}).to_string())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_moto_pool_round_trips_through_the_import_rules() {
    let Some(moto) = Emulator::start(Kind::Moto) else {
        return;
    };
    let client = seed::client(&moto.url());
    let pool = seed::create_pool(&client, "import").await;
    let people: [(&str, &[(&str, &str)]); 3] = [
        (
            "amy",
            &[
                ("email", "amy@example.com"),
                ("email_verified", "true"),
                ("name", "Amy, \"the\" Great"),
                ("custom:tier", "gold, silver"),
            ],
        ),
        (
            "björn",
            &[
                ("phone_number", "+15555550123"),
                ("phone_number_verified", "true"),
                ("given_name", "Björn"),
                ("birthdate", "1990-12-31"),
            ],
        ),
        (
            "cat",
            &[("email", "cat@example.com"), ("custom:tier", "=1+1")],
        ),
    ];
    for (name, attributes) in &people {
        seed::create_user(&client, &pool, name, attributes).await;
    }
    let stub = MockServer::start().await;
    let header = vec![
        "name",
        "given_name",
        "email",
        "email_verified",
        "phone_number",
        "phone_number_verified",
        "birthdate",
        "custom:tier",
        "cognito:mfa_enabled",
        "cognito:username",
    ];
    Mock::given(any())
        .respond_with(CsvHeader {
            pool: pool.clone(),
            header: header.clone(),
        })
        .mount(&stub)
        .await;
    let proxy = RecordingProxy::routed(moto.addr, &[("GetCSVHeader", *stub.address())]).await;
    let url = proxy.url();
    let args = [
        &["export", "-o", "cognito-import"][..],
        &cli::target(&pool, &url),
    ]
    .concat();
    let run = cli::run_args_async(&args).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let seen = proxy.take();
    assert!(seen.contains(&"GetCSVHeader".to_string()) && seen.contains(&"ListUsers".to_string()));

    let mut lines = run.stdout.lines();
    assert_eq!(
        lines.next(),
        Some(header.join(",").as_str()),
        "{}",
        run.stdout
    );
    let rows: HashMap<String, HashMap<&str, String>> = lines
        .map(|line| {
            let fields = read_row(line);
            assert_eq!(fields.len(), header.len(), "{line}");
            let row: HashMap<&str, String> = header.iter().copied().zip(fields).collect();
            (row["cognito:username"].clone(), row)
        })
        .collect();
    assert_eq!(rows.len(), people.len(), "{}", run.stdout);
    for (name, attributes) in &people {
        let row = &rows[*name];
        for column in &header[..header.len() - 2] {
            let source = (attributes.iter())
                .find(|(n, _)| n == column)
                .map(|(_, v)| *v);
            let expected = match (*column, source) {
                ("birthdate", Some(d)) => {
                    let [y, m, day] = d.split('-').collect::<Vec<_>>()[..] else {
                        panic!()
                    };
                    format!("{m}/{day}/{y}")
                }
                ("email_verified" | "phone_number_verified", v) => v.unwrap_or("false").into(),
                (_, v) => v.unwrap_or_default().to_string(),
            };
            assert_eq!(row[column], expected, "{name} {column}: {}", run.stdout);
        }
        // moto's pools have MFA off: false for every user, never empty.
        assert_eq!(row["cognito:mfa_enabled"], "false");
    }
}

#[test]
fn the_demo_pool_exports_under_its_own_header_with_each_users_mfa() {
    let run = cli::run_args(&["--demo", "export", "-o", "cognito-import", "--with-mfa"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let header = run.stdout.lines().next().unwrap();
    assert!(header.starts_with("name,given_name,"), "{header}");
    assert!(header.contains(",updated_at,custom:"), "{header}");
    assert!(
        header.ends_with(",cognito:mfa_enabled,cognito:username"),
        "{header}"
    );
    assert!(
        run.stderr
            .contains("EXTERNAL_PROVIDER (federated) users not written")
    );
    // The demo pool's MFA is optional: each user's own, read with --with-mfa.
    let mfa: Vec<&str> = (run.stdout.lines().skip(1))
        .map(|l| read_row(l).into_iter().rev().nth(1).unwrap())
        .map(|v| if v == "true" { "true" } else { "false" })
        .collect();
    assert!(
        mfa.contains(&"true") && mfa.contains(&"false"),
        "{}",
        run.stdout
    );
    assert!(
        !run.stderr.contains("cognito:mfa_enabled is written false"),
        "{}",
        run.stderr
    );
    let without = cli::run_args(&["--demo", "export", "-o", "cognito-import"]);
    assert!(
        without
            .stderr
            .contains("cognito:mfa_enabled is written false for every user"),
        "{}",
        without.stderr
    );
}
