//! `export --with-mfa`: one AdminGetUser per exported user, counted at a recording proxy in
//! front of moto (which gives users SMS MFA through AdminSetUserMFAPreference), each user's
//! `MfaSettings` / `PreferredMfa` exact, one `get_user_mfa` audit line per request, the cost
//! stated first and the summary last. TOTP and email MFA (moto needs a verified software
//! token, and has no email MFA) and a user deleted between ListUsers and AdminGetUser come
//! from a wiremock stub in AdminGetUser's shapes.

use crate::common::cli;
use crate::common::emulator::{BulkUser, Emulator, Kind};
use crate::common::proxy::RecordingProxy;
use crate::common::seed;
use crate::common::stub::{aws_error, operation_of};

use serde_json::{Value, json};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate, matchers::any};

const USERS: usize = 12;

/// user00…user11; every third (0, 3, 6, 9) with SMS MFA, preferred on 0 and 6.
async fn seed_pool(moto: &Emulator) -> String {
    let client = seed::client(&moto.url());
    let pool = seed::create_pool(&client, "mfa").await;
    let users: Vec<BulkUser> = (0..USERS)
        .map(|i| BulkUser {
            username: format!("user{i:02}"),
            attributes: vec![("phone_number".into(), "+15555550100".into())],
            password: None,
            disabled: false,
        })
        .collect();
    moto.create_users(&pool, &users);
    for i in (0..USERS).step_by(3) {
        let sms = aws_sdk_cognitoidentityprovider::types::SmsMfaSettingsType::builder()
            .enabled(true)
            .preferred_mfa(i % 2 == 0)
            .build();
        client
            .admin_set_user_mfa_preference()
            .user_pool_id(&pool)
            .username(format!("user{i:02}"))
            .sms_mfa_settings(sms)
            .send()
            .await
            .expect("AdminSetUserMFAPreference");
    }
    pool
}

/// What the seeding gave user `i`: its MfaSettings and PreferredMfa.
fn mfa_of(i: usize) -> (Vec<&'static str>, Value) {
    match (i % 3, i % 2) {
        (0, 0) => (vec!["SMS_MFA"], json!("SMS_MFA")),
        (0, _) => (vec!["SMS_MFA"], Value::Null),
        _ => (vec![], Value::Null),
    }
}

fn audit_lines(path: &std::path::Path) -> Vec<Value> {
    (std::fs::read_to_string(path).unwrap().lines())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_admin_get_user_per_user_and_each_users_mfa_exact() {
    let Some(moto) = Emulator::start(Kind::Moto) else {
        return;
    };
    let pool = seed_pool(&moto).await;
    let proxy = RecordingProxy::start(moto.addr).await;
    let url = proxy.url();
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("audit.jsonl");
    let log_arg = log.to_str().unwrap();
    let args = [
        &["export"][..],
        &cli::target(&pool, &url),
        &["--with-mfa", "--with-groups", "--audit-log", log_arg],
    ]
    .concat();
    let run = cli::run_args_async(&args).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let seen = proxy.take();
    let gets = seen.iter().filter(|o| *o == "AdminGetUser").count();
    assert_eq!(gets, USERS, "{seen:?}");
    let lines = cli::json_lines(&run.stdout);
    assert_eq!(lines.len(), USERS);
    for line in &lines {
        let name = line["Username"].as_str().unwrap();
        let i: usize = name.trim_start_matches("user").parse().unwrap();
        let (settings, preferred) = mfa_of(i);
        assert_eq!(line["MfaSettings"], json!(settings), "{name}: {line}");
        assert_eq!(line["PreferredMfa"], preferred, "{name}: {line}");
        assert_eq!(
            line["Groups"],
            json!([]),
            "together with --with-groups: {line}"
        );
    }
    // The keys after the user's own, as Groups: in the printed line's order.
    for raw in run.stdout.lines() {
        let at = |key: &str| raw.find(&format!("\"{key}\":")).unwrap();
        let order = [
            at("UserStatus"),
            at("Groups"),
            at("MfaSettings"),
            at("PreferredMfa"),
        ];
        assert!(order.is_sorted(), "{raw}");
    }
    // The cost first, the summary last (after the export's own).
    let cost = "--with-mfa: one AdminGetUser per user: ~12 requests at 10/s ≈ 1 s";
    let summary = "--with-mfa: 12 AdminGetUser requests; users with MFA by factor: SMS 4, \
                   TOTP 0, email 0, none 8";
    let (at_cost, at_summary) = (run.stderr.find(cost), run.stderr.find(summary));
    let at_exported = run.stderr.find("exported 12 users");
    assert!(at_cost.is_some() && at_summary.is_some(), "{}", run.stderr);
    assert!(
        at_cost < at_exported && at_exported < at_summary,
        "{}",
        run.stderr
    );
    // One get_user_mfa line per request, naming each user once.
    let mut audited: Vec<String> = (audit_lines(&log).iter())
        .filter(|l| l["action"] == "get_user_mfa")
        .inspect(|l| assert_eq!(l["outcome"], "ok", "{l}"))
        .map(|l| l["username"].as_str().unwrap().to_string())
        .collect();
    audited.sort();
    let expected: Vec<String> = (0..USERS).map(|i| format!("user{i:02}")).collect();
    assert_eq!(audited, expected);

    // CSV with --where: the two columns, and AdminGetUser only for the users written.
    let args = [
        &["export"][..],
        &cli::target(&pool, &url),
        &[
            "-o",
            "csv",
            "--with-mfa",
            "--where",
            "username startswith user0",
        ],
    ]
    .concat();
    let run = cli::run_args_async(&args).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let seen = proxy.take();
    assert_eq!(seen.iter().filter(|o| *o == "AdminGetUser").count(), 10);
    let mut rows = run.stdout.lines();
    let header = rows.next().unwrap();
    assert!(header.ends_with(",MfaSettings,PreferredMfa"), "{header}");
    let row = |name: &str| {
        (run.stdout.lines())
            .find(|r| r.starts_with(&format!("{name},")))
            .unwrap_or_else(|| panic!("{name}: {}", run.stdout))
            .to_string()
    };
    assert!(
        row("user00").ends_with(",SMS_MFA,SMS_MFA"),
        "{}",
        row("user00")
    );
    assert!(row("user03").ends_with(",SMS_MFA,"), "{}", row("user03"));
    assert!(row("user04").ends_with(",,"), "{}", row("user04"));

    // The control: without the flag, not one AdminGetUser.
    let run = cli::run_args_async(&[&["export"][..], &cli::target(&pool, &url)].concat()).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let seen = proxy.take();
    assert_eq!(seen.iter().filter(|o| *o == "AdminGetUser").count(), 0);
    assert!(seen.contains(&"ListUsers".to_string()), "{seen:?}");
    assert!(!run.stderr.contains("--with-mfa"), "{}", run.stderr);
}

const POOL: &str = "eu-west-1_MfA123";

/// ListUsers: `ann` (TOTP and email, TOTP preferred), `ghost` (deleted before its
/// AdminGetUser), `bob` (AdminGetUser refused when `deny_bob`).
struct Stub {
    deny_bob: bool,
}

impl Respond for Stub {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let body: Value = serde_json::from_slice(&request.body).unwrap_or_default();
        let user = |name: &str| {
            json!({"Username": name, "Attributes": [], "UserCreateDate": 1.7e9,
                   "UserLastModifiedDate": 1.7e9, "Enabled": true, "UserStatus": "CONFIRMED"})
        };
        match operation_of(request) {
            "DescribeUserPool" => ResponseTemplate::new(200).set_body_json(json!({
                "UserPool": {"Id": POOL, "Name": "stub", "EstimatedNumberOfUsers": 3}
            })),
            "ListUsers" => ResponseTemplate::new(200)
                .set_body_json(json!({"Users": [user("ann"), user("ghost"), user("bob")]})),
            "AdminGetUser" => match body["Username"].as_str().unwrap_or_default() {
                "ann" => ResponseTemplate::new(200).set_body_json(json!({
                    "Username": "ann", "UserAttributes": [], "Enabled": true,
                    "UserStatus": "CONFIRMED",
                    "UserMFASettingList": ["SOFTWARE_TOKEN_MFA", "EMAIL_OTP"],
                    "PreferredMfaSetting": "SOFTWARE_TOKEN_MFA"
                })),
                "bob" if self.deny_bob => aws_error("AccessDeniedException"),
                "bob" => ResponseTemplate::new(200).set_body_json(json!({
                    "Username": "bob", "UserAttributes": [], "Enabled": true,
                    "UserStatus": "CONFIRMED",
                    "MFAOptions": [{"DeliveryMedium": "SMS", "AttributeName": "phone_number"}]
                })),
                _ => aws_error("UserNotFoundException"),
            },
            other => panic!("unexpected {other}"),
        }
    }
}

async fn stub_export(deny_bob: bool) -> cli::Run {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(Stub { deny_bob })
        .mount(&server)
        .await;
    let url = server.uri();
    let args = [
        &["export", "--streams", "1", "--with-mfa"][..],
        &cli::target(POOL, &url),
    ]
    .concat();
    cli::run_args_async(&args).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn totp_email_legacy_sms_and_a_deleted_user_from_a_stub() {
    let run = stub_export(false).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines = cli::json_lines(&run.stdout);
    let by_name = |name: &str| {
        (lines.iter())
            .find(|l| l["Username"] == name)
            .unwrap_or_else(|| panic!("{name}: {}", run.stdout))
    };
    let ann = by_name("ann");
    assert_eq!(
        ann["MfaSettings"],
        json!(["SOFTWARE_TOKEN_MFA", "EMAIL_OTP"])
    );
    assert_eq!(ann["PreferredMfa"], "SOFTWARE_TOKEN_MFA");
    let ghost = by_name("ghost");
    assert_eq!(ghost["MfaSettings"], json!([]));
    assert_eq!(ghost["PreferredMfa"], Value::Null);
    // The legacy MFAOptions alone: SMS.
    assert_eq!(by_name("bob")["MfaSettings"], json!(["SMS_MFA"]));
    let cost = run.stderr.find("one AdminGetUser per user: ~3 requests");
    let note = run.stderr.find("ghost was deleted after ListUsers read it");
    assert!(cost.is_some() && cost < note, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "3 AdminGetUser requests; users with MFA by factor: SMS 1, TOTP 1, email 1, \
             none 0, 1 deleted during the export"
        ),
        "{}",
        run.stderr
    );

    // Any other refusal fails the export, after the cost was stated.
    let run = stub_export(true).await;
    assert_ne!(run.code, 0, "{}", run.stderr);
    let cost = run.stderr.find("one AdminGetUser per user");
    let error = run.stderr.find("AccessDeniedException");
    assert!(cost.is_some() && cost < error, "{}", run.stderr);
}
