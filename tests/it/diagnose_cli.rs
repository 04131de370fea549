//! `cognito-tui diagnose` through the real binary: the demo pool, stubs for what emulators
//! can't do (a refused DescribeUserPool, hostile provider names), and real pools in moto and
//! cognito-local behind a proxy that counts every call and rewrites dates.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use aws_sdk_cognitoidentityprovider as cip;
use cip::types::{
    AccountRecoverySettingType, AdvancedSecurityModeType, AliasAttributeType, MessageActionType,
    PasswordPolicyType, RecoveryOptionNameType, RecoveryOptionType, UserPoolAddOnsType,
    UserPoolMfaType, UserPoolPolicyType,
};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

use cognito_tui::cognito::sdk::{SdkBackend, SdkOptions};
use cognito_tui::cognito::{Backend, PoolId};

use crate::common::cli;
use crate::common::emulator::{Emulator, Kind};
use crate::common::seed;
use crate::common::stub::{operation as target, operations};

fn parse(stdout: &str) -> Value {
    serde_json::from_str(stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}"))
}

fn codes(v: &Value) -> Vec<String> {
    v["Findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["Code"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn demo_json_has_the_documented_shape() {
    let r = cli::run_args(&["diagnose", "--demo", "dave", "-o", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v = parse(&r.stdout);
    // Keys in the documented order (serde_json's Value would sort them, so read the text).
    let at = |key: &str| r.stdout.find(&format!("\"{key}\"")).unwrap();
    let order = [
        "Username",
        "PoolId",
        "Pool",
        "CanSignIn",
        "Findings",
        "NotChecked",
        "HowToCheck",
    ]
    .map(at);
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{}", r.stdout);
    assert_eq!(v.as_object().unwrap().len(), 7);
    assert_eq!(v["Pool"]["Plan"], "PLUS");
    assert_eq!(
        v["Pool"]["AllowedFirstAuthFactors"],
        serde_json::json!(["PASSWORD", "WEB_AUTHN"])
    );
    assert_eq!(v["Username"], "dave");
    assert_eq!(v["PoolId"], "us-east-1_DemoPool1");
    assert_eq!(v["CanSignIn"], false);
    let first = &v["Findings"][0];
    assert_eq!(first.as_object().unwrap().len(), 6);
    let order = ["Rule", "Source", "Code", "Severity", "Message", "Fix"].map(at);
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{}", r.stdout);
    assert_eq!(first["Rule"], "I2");
    assert!(
        first["Source"]
            .as_str()
            .unwrap()
            .starts_with("https://docs.aws.amazon.com/")
    );
    assert_eq!(first["Code"], "temporary_password_expired");
    assert_eq!(first["Severity"], "blocker");
    assert!(
        first["Message"]
            .as_str()
            .unwrap()
            .contains("at the latest 2025-10-02T16:45:10Z (UserLastModifiedDate")
    );
    assert!(
        first["Fix"]
            .as_str()
            .unwrap()
            .contains("MessageAction=RESEND")
    );
}

#[test]
fn demo_users_show_several_findings() {
    let run = |q: &str| {
        let r = cli::run_args(&["diagnose", "--demo", q, "-o", "json"]);
        assert_eq!(r.code, 0, "{q}: {}", r.stderr);
        parse(&r.stdout)
    };
    let v = run("trent");
    assert_eq!(v["CanSignIn"], false);
    assert_eq!(codes(&v), ["unconfirmed", "disabled", "phone_unverified"]);
    let v = run("sam.one");
    assert_eq!(v["CanSignIn"], true);
    assert_eq!(codes(&v), ["email_unverified", "no_recovery_channel"]);
    let v = run("heidi");
    assert_eq!(v["CanSignIn"], Value::Null);
    assert_eq!(codes(&v), ["unknown_status", "email_unverified"]);
    // Found by alias, as `get` would: carol's unverified email is not an alias, so ListUsers.
    let v = run("carol@acme.example");
    assert_eq!(v["Username"], "carol");
    assert_eq!(codes(&v)[0], "unconfirmed");
    let v = run("alice");
    assert_eq!(v["CanSignIn"], true);
    assert_eq!(codes(&v), Vec::<String>::new());
    let v = run("ivan.federated@gmail.example");
    assert_eq!(codes(&v), ["external_provider"]);
}

#[test]
fn demo_text_is_a_short_report() {
    let r = cli::run_args(&["diagnose", "--demo", "grace", "-o", "text"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(lines[0], "User     grace");
    assert_eq!(lines[1], "Pool     us-east-1_DemoPool1");
    assert_eq!(
        lines[2],
        "Sign-in  plan PLUS · first factors PASSWORD, WEB_AUTHN · MFA OPTIONAL (SMS, TOTP, EMAIL)"
    );
    assert_eq!(
        lines[3],
        "Verdict  ✗ cannot sign in: the user is disabled — enable the user (x)"
    );
    assert!(
        r.stdout.contains("\n! warning archived [rule S5]\n"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("\n✗ blocker disabled [rule S1]\n  Enabled=false")
    );
    assert!(r.stdout.contains("  Fix: Enable the user"));
    assert!(
        r.stdout
            .contains("  Source: AdminDisableUser — https://docs.aws.amazon.com/")
    );
    assert!(
        r.stdout.contains("\nNot checked\n  app_client_settings: "),
        "{}",
        r.stdout
    );
}

#[test]
fn exit_codes_are_those_of_get() {
    let r = cli::run_args(&["diagnose", "--demo", "shared@acme.example", "-o", "json"]);
    assert_eq!(r.code, 4, "{}", r.stderr);
    assert!(r.stderr.contains("ambiguous"));
    let r = cli::run_args(&["diagnose", "--demo", "nobody@acme.example"]);
    assert_eq!(r.code, 3);
    assert!(r.stderr.contains("no user matches"), "{}", r.stderr);
    assert!(r.stdout.is_empty());
    let r = cli::run_args(&["diagnose", "--demo", "--by", "sub", "alice"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("a sub is a UUID"), "{}", r.stderr);
    let r = cli::run_args(&["diagnose", "--demo", "  "]);
    assert_eq!(r.code, 2);
    let r = cli::run_args(&[
        "diagnose",
        "--demo",
        "--pool",
        "eu-west-1_Missing1",
        "alice",
    ]);
    assert_eq!(r.code, 5, "{}", r.stderr);
    // --by is honoured: as a username only, carol's (unverified, non-alias) email finds no
    // one, where `auto` falls back to ListUsers and finds her.
    let r = cli::run_args(&[
        "diagnose",
        "--demo",
        "--by",
        "username",
        "carol@acme.example",
    ]);
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(!r.stderr.contains("ListUsers"), "{}", r.stderr);
}

/// `diagnose --pool POOL --endpoint-url URL --region us-east-1 QUERY -o FORMAT`, off the
/// async runtime (the binary blocks).
async fn diagnose_at(url: &str, pool: &str, query: &str, format: &str) -> cli::Run {
    let args: Vec<String> = [
        &["diagnose"][..],
        &cli::target(pool, url),
        &[query, "-o", format],
    ]
    .concat()
    .into_iter()
    .map(str::to_string)
    .collect();
    tokio::task::spawn_blocking(move || {
        cli::run_args(&args.iter().map(String::as_str).collect::<Vec<_>>())
    })
    .await
    .unwrap()
}

/// Without DescribeUserPool permission the user is still diagnosed: what needs the pool is
/// named as not checked, CanSignIn is null, and the exit code is 0 (the user was found).
#[tokio::test]
async fn refused_describe_pool_names_what_was_not_checked() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(target("AdminGetUser"))
        .respond_with(ResponseTemplate::new(200).set_body_string(
            r#"{"Username":"fay","Enabled":true,"UserStatus":"FORCE_CHANGE_PASSWORD",
                "UserAttributes":[{"Name":"email","Value":"fay@example.com"},
                                  {"Name":"email_verified","Value":"false"}],
                "UserCreateDate":1700000000,"UserLastModifiedDate":1700000000}"#,
        ))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(target("DescribeUserPool"))
        .respond_with(ResponseTemplate::new(400).set_body_string(
            r#"{"__type":"AccessDeniedException","message":"not allowed: cognito-idp:DescribeUserPool"}"#,
        ))
        .mount(&server)
        .await;
    let r = diagnose_at(&server.uri(), "eu-west-1_AbC123", "fay", "json").await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("note: DescribeUserPool failed"),
        "{}",
        r.stderr
    );
    let v = parse(&r.stdout);
    assert_eq!(v["CanSignIn"], Value::Null);
    assert_eq!(
        v["NotChecked"],
        json!([
            "temporary_password_expired",
            "email_unverified",
            "no_recovery_channel",
            "mfa_required_not_set_up",
            "blocked_by_risk",
            "recent_failures",
            "app_client_settings",
            "lambda_triggers"
        ])
    );
    assert_eq!(
        codes(&v),
        ["must_change_password", "pool_settings_unavailable"]
    );
    // No history call without knowing the pool has threat protection.
    assert_eq!(
        operations(&server).await,
        ["AdminGetUser", "DescribeUserPool"]
    );
}

/// A provider name from `identities` is untrusted text: sanitized in the text report.
#[tokio::test]
async fn hostile_provider_name_is_sanitized_in_text() {
    let server = MockServer::start().await;
    let identities =
        r#"[{"providerName":"Evil\u001b[2J\u202eIdP","userId":"1","providerType":"OIDC"}]"#;
    let user = json!({
        "Username": "fed_1", "Enabled": true, "UserStatus": "EXTERNAL_PROVIDER",
        "UserAttributes": [{"Name": "identities", "Value": identities}]
    });
    Mock::given(method("POST"))
        .and(target("AdminGetUser"))
        .respond_with(ResponseTemplate::new(200).set_body_string(user.to_string()))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(target("DescribeUserPool"))
        .respond_with(ResponseTemplate::new(200).set_body_string(
            r#"{"UserPool":{"Id":"eu-west-1_AbC123","MfaConfiguration":"OFF",
                "UserPoolAddOns":{"AdvancedSecurityMode":"OFF"}}}"#,
        ))
        .mount(&server)
        .await;
    let r = diagnose_at(&server.uri(), "eu-west-1_AbC123", "fed_1", "text").await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stdout.contains('\u{1b}') && !r.stdout.contains('\u{202e}'));
    assert!(r.stdout.contains(r"Evil\x1b[2J\u{202e}IdP"), "{}", r.stdout);
    assert!(r.stdout.contains("no_sign_in_history"));
}

// ---- real pools in the emulators, behind a counting and rewriting proxy ----

/// Rewrites one answer: (operation, request JSON, upstream status, upstream body) → a new
/// (status, body), or None to pass the upstream answer through.
type Rewrite = dyn Fn(&str, &Value, u16, &[u8]) -> Option<(u16, String)> + Send + Sync;

/// A loopback proxy that records every operation and lets the test rewrite answers: dates
/// the emulators can't be told to set, and the sign-in history they can't produce.
struct RewritingProxy {
    addr: SocketAddr,
    log: Arc<Mutex<Vec<String>>>,
    task: tokio::task::JoinHandle<()>,
}

impl RewritingProxy {
    async fn start(upstream: SocketAddr, rewrite: Arc<Rewrite>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let log = Arc::new(Mutex::new(Vec::new()));
        let task_log = log.clone();
        let task = tokio::spawn(async move {
            while let Ok((inbound, _)) = listener.accept().await {
                let (log, rewrite) = (task_log.clone(), rewrite.clone());
                tokio::spawn(async move {
                    let _ = relay(inbound, upstream, log, rewrite).await;
                });
            }
        });
        Self { addr, log, task }
    }

    fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    fn take(&self) -> Vec<String> {
        std::mem::take(&mut *self.log.lock().unwrap())
    }
}

impl Drop for RewritingProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// One HTTP/1.1 message: head and body (Content-Length, chunked, or read to close).
async fn read_message(
    stream: &mut TcpStream,
    to_close: bool,
) -> std::io::Result<(String, Vec<u8>)> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    let split = loop {
        if let Some(pos) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break pos + 4;
        }
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..split]).into_owned();
    let mut body = buf[split..].to_vec();
    let header = |name: &str| {
        head.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.trim()
                .eq_ignore_ascii_case(name)
                .then(|| v.trim().to_string())
        })
    };
    if let Some(length) = header("content-length").and_then(|v| v.parse::<usize>().ok()) {
        while body.len() < length {
            let n = stream.read(&mut chunk).await?;
            if n == 0 {
                break;
            }
            body.extend_from_slice(&chunk[..n]);
        }
    } else if to_close {
        stream.read_to_end(&mut body).await?;
        if header("transfer-encoding").is_some_and(|v| v.contains("chunked")) {
            body = dechunk(&body);
        }
    }
    Ok((head, body))
}

fn dechunk(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut rest = raw;
    while let Some(pos) = rest.windows(2).position(|w| w == b"\r\n") {
        let size = usize::from_str_radix(
            String::from_utf8_lossy(&rest[..pos])
                .split(';')
                .next()
                .unwrap()
                .trim(),
            16,
        )
        .unwrap_or(0);
        if size == 0 {
            break;
        }
        let start = pos + 2;
        out.extend_from_slice(&rest[start..(start + size).min(rest.len())]);
        rest = &rest[(start + size + 2).min(rest.len())..];
    }
    out
}

fn closing(head: &str) -> String {
    let mut out = String::new();
    for line in head.split("\r\n").filter(|l| !l.is_empty()) {
        let name = line
            .split_once(':')
            .map(|(k, _)| k.trim().to_ascii_lowercase());
        if matches!(name.as_deref(), Some("connection")) {
            continue;
        }
        out.push_str(line);
        out.push_str("\r\n");
    }
    out + "Connection: close\r\n\r\n"
}

async fn relay(
    mut inbound: TcpStream,
    upstream: SocketAddr,
    log: Arc<Mutex<Vec<String>>>,
    rewrite: Arc<Rewrite>,
) -> std::io::Result<()> {
    let (head, body) = read_message(&mut inbound, false).await?;
    let operation = head
        .lines()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.trim()
                .eq_ignore_ascii_case("x-amz-target")
                .then(|| v.trim().rsplit('.').next().unwrap_or("").to_string())
        })
        .unwrap_or_default();
    log.lock().unwrap().push(operation.clone());
    let request: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);

    let mut outbound = TcpStream::connect(upstream).await?;
    outbound.write_all(closing(&head).as_bytes()).await?;
    outbound.write_all(&body).await?;
    let (response_head, response) = read_message(&mut outbound, true).await?;
    let status: u16 = response_head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    match rewrite(&operation, &request, status, &response) {
        Some((status, new_body)) => {
            let head = format!(
                "HTTP/1.1 {status} X\r\nContent-Type: application/x-amz-json-1.1\r\n\
                 Content-Length: {}\r\nConnection: close\r\n\r\n",
                new_body.len()
            );
            inbound.write_all(head.as_bytes()).await?;
            inbound.write_all(new_body.as_bytes()).await?;
        }
        None => {
            // Re-framed with Content-Length: the body was read whole (and de-chunked).
            let mut head = String::new();
            for line in closing(&response_head)
                .split("\r\n")
                .filter(|l| !l.is_empty())
            {
                let name = line
                    .split_once(':')
                    .map(|(k, _)| k.trim().to_ascii_lowercase());
                if matches!(
                    name.as_deref(),
                    Some("content-length" | "transfer-encoding" | "connection")
                ) {
                    continue;
                }
                head.push_str(line);
                head.push_str("\r\n");
            }
            head.push_str(&format!(
                "Content-Length: {}\r\nConnection: close\r\n\r\n",
                response.len()
            ));
            inbound.write_all(head.as_bytes()).await?;
            inbound.write_all(&response).await?;
        }
    }
    inbound.shutdown().await
}

fn sdk_options(url: &str) -> SdkOptions {
    SdkOptions {
        endpoint_url: Some(url.into()),
        region: Some(seed::REGION.into()),
        static_credentials: Some((seed::ACCESS_KEY.into(), seed::SECRET_KEY.into())),
        ..SdkOptions::default()
    }
}

/// DescribeUserPool's answer mapped field by field: recovery by priority, an absent
/// TemporaryPasswordValidityDays stays absent (the SDK reads it as 0).
#[tokio::test]
async fn describe_pool_maps_the_settings_the_diagnosis_reads() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(target("DescribeUserPool"))
        .respond_with(ResponseTemplate::new(200).set_body_string(
            r#"{"UserPool":{"Id":"eu-west-1_AbC123","Name":"p","MfaConfiguration":"OPTIONAL",
                "UsernameAttributes":["email"],"AutoVerifiedAttributes":["email","phone_number"],
                "Policies":{"PasswordPolicy":{"MinimumLength":8}},
                "AccountRecoverySetting":{"RecoveryMechanisms":[
                    {"Priority":2,"Name":"verified_email"},
                    {"Priority":1,"Name":"verified_phone_number"}]},
                "UserPoolAddOns":{"AdvancedSecurityMode":"AUDIT"},
                "EstimatedNumberOfUsers":10234}}"#,
        ))
        .mount(&server)
        .await;
    let backend = SdkBackend::connect(&sdk_options(&server.uri()), None).await;
    let s = backend
        .describe_pool(&PoolId::parse("eu-west-1_AbC123").unwrap())
        .await
        .unwrap();
    assert_eq!(s.name.as_deref(), Some("p"));
    assert_eq!(s.username_attributes, ["email"]);
    assert_eq!(s.mfa_configuration.as_deref(), Some("OPTIONAL"));
    assert!(!s.mfa_required());
    assert_eq!(s.temporary_password_validity_days, None);
    assert_eq!(s.temporary_password_days(), 7);
    assert_eq!(
        s.recovery_channels(),
        ["verified_phone_number", "verified_email"]
    );
    assert_eq!(s.auto_verified_attributes, ["email", "phone_number"]);
    assert!(s.threat_protection());
    assert_eq!(s.estimated_number_of_users, Some(10234));
}

fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

async fn create_pool(
    client: &cip::Client,
    name: &str,
    mfa: UserPoolMfaType,
    protection: bool,
) -> String {
    client
        .create_user_pool()
        .pool_name(name)
        .alias_attributes(AliasAttributeType::Email)
        .mfa_configuration(mfa)
        .policies(
            UserPoolPolicyType::builder()
                .password_policy(
                    PasswordPolicyType::builder()
                        .minimum_length(8)
                        .temporary_password_validity_days(3)
                        .build(),
                )
                .build(),
        )
        .account_recovery_setting(
            AccountRecoverySettingType::builder()
                .recovery_mechanisms(
                    RecoveryOptionType::builder()
                        .priority(1)
                        .name(RecoveryOptionNameType::VerifiedEmail)
                        .build()
                        .unwrap(),
                )
                .build(),
        )
        .user_pool_add_ons(
            UserPoolAddOnsType::builder()
                .advanced_security_mode(if protection {
                    AdvancedSecurityModeType::Enforced
                } else {
                    AdvancedSecurityModeType::Off
                })
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap_or_else(|e| panic!("CreateUserPool {name}: {e:?}"))
        .user_pool
        .and_then(|p| p.id)
        .unwrap()
}

fn attr(name: &str, value: &str) -> cip::types::AttributeType {
    cip::types::AttributeType::builder()
        .name(name)
        .value(value)
        .build()
        .unwrap()
}

/// An invited user (FORCE_CHANGE_PASSWORD), then optionally confirmed with a password.
async fn create(
    client: &cip::Client,
    pool: &str,
    username: &str,
    email_verified: bool,
    confirm: bool,
) {
    client
        .admin_create_user()
        .user_pool_id(pool)
        .username(username)
        .message_action(MessageActionType::Suppress)
        .temporary_password("Temp-Passw0rd!")
        .user_attributes(attr("email", &format!("{username}@example.com")))
        .user_attributes(attr(
            "email_verified",
            if email_verified { "true" } else { "false" },
        ))
        .send()
        .await
        .unwrap_or_else(|e| panic!("AdminCreateUser {username}: {e:?}"));
    if confirm {
        client
            .admin_set_user_password()
            .user_pool_id(pool)
            .username(username)
            .password("Perm-Passw0rd!1")
            .permanent(true)
            .send()
            .await
            .unwrap_or_else(|e| panic!("AdminSetUserPassword {username}: {e:?}"));
    }
}

struct Expect {
    query: &'static str,
    can_sign_in: Value,
    codes: &'static [&'static str],
    calls: &'static [&'static str],
}

async fn diagnose_in(kind: Kind) {
    let Some(emulator) = Emulator::start(kind) else {
        return;
    };
    let client = seed::client(&emulator.url());
    let pool = create_pool(&client, "diagnose", UserPoolMfaType::Off, true).await;
    let mfa_pool = create_pool(&client, "mfa-on", UserPoolMfaType::On, false).await;

    // The settings the diagnosis reads, as the SDK backend maps DescribeUserPool.
    let backend = SdkBackend::connect(&sdk_options(&emulator.url()), None).await;
    let settings = backend
        .describe_pool(&PoolId::parse(&mfa_pool).unwrap())
        .await
        .unwrap();
    assert_eq!(
        settings.mfa_configuration.as_deref(),
        Some("ON"),
        "{}",
        kind.name()
    );
    assert_eq!(settings.temporary_password_validity_days, Some(3));
    assert_eq!(
        settings.recovery_mechanisms,
        Some(vec!["verified_email".to_string()])
    );
    assert_eq!(settings.alias_attributes, ["email"]);
    assert_eq!(settings.advanced_security_mode.as_deref(), Some("OFF"));
    assert_eq!(settings.estimated_number_of_users, Some(0));

    create(&client, &pool, "dora", true, true).await;
    client
        .admin_disable_user()
        .user_pool_id(&pool)
        .username("dora")
        .send()
        .await
        .unwrap();
    let app = client
        .create_user_pool_client()
        .user_pool_id(&pool)
        .client_name("app")
        .send()
        .await
        .unwrap()
        .user_pool_client
        .and_then(|c| c.client_id)
        .unwrap();
    client
        .sign_up()
        .client_id(&app)
        .username("uma")
        .password("Perm-Passw0rd!1")
        .user_attributes(attr("email", "uma@example.com"))
        .send()
        .await
        .unwrap_or_else(|e| panic!("SignUp: {e:?}"));
    create(&client, &pool, "fresh", true, false).await;
    create(&client, &pool, "stale", true, false).await;
    create(&client, &pool, "alma", false, true).await;
    create(&client, &pool, "bea", true, true).await;
    create(&client, &mfa_pool, "max", false, true).await;
    // Gap: cognito-local has no AdminResetUserPassword, so RESET_REQUIRED only in moto.
    let reset = kind == Kind::Moto;
    if reset {
        create(&client, &pool, "rita", true, true).await;
        client
            .admin_reset_user_password()
            .user_pool_id(&pool)
            .username("rita")
            .send()
            .await
            .unwrap();
    }

    // Invitations last 3 days in this pool: one sent a day ago, one ten days ago.
    let sent: HashMap<&str, i64> =
        HashMap::from([("fresh", now() - 86_400), ("stale", now() - 10 * 86_400)]);
    let block_at = now() - 3600;
    let rewrite: Arc<Rewrite> = Arc::new(move |op, request, status, body| {
        let username = request["Username"].as_str().unwrap_or_default();
        match op {
            "AdminGetUser" if status == 200 => {
                let date = sent.get(username)?;
                let mut v: Value = serde_json::from_slice(body).ok()?;
                v["UserLastModifiedDate"] = json!(date);
                Some((200, v.to_string()))
            }
            // Gap: neither emulator implements AdminListUserAuthEvents (HTTP 500); the proxy
            // answers it, one blocked sign-in for bea and none for anyone else.
            "AdminListUserAuthEvents" => {
                let events = if username == "bea" {
                    json!([{"EventId": "e1", "EventType": "SignIn", "CreationDate": block_at,
                            "EventResponse": "Fail",
                            "EventRisk": {"RiskDecision": "Block", "RiskLevel": "High"}}])
                } else {
                    json!([])
                };
                Some((200, json!({ "AuthEvents": events }).to_string()))
            }
            _ => None,
        }
    });
    let proxy = RewritingProxy::start(emulator.addr, rewrite).await;

    const DIRECT: &[&str] = &[
        "AdminGetUser",
        "DescribeUserPool",
        "AdminListUserAuthEvents",
    ];
    let mut cases = vec![
        Expect {
            query: "dora",
            can_sign_in: json!(false),
            codes: &["disabled"],
            calls: DIRECT,
        },
        Expect {
            query: "uma",
            can_sign_in: json!(false),
            // Not a recovery finding: an unconfirmed user recovers by confirming.
            codes: &["unconfirmed", "email_unverified"],
            calls: DIRECT,
        },
        Expect {
            query: "fresh",
            can_sign_in: json!(true),
            codes: &["must_change_password"],
            calls: DIRECT,
        },
        Expect {
            query: "stale",
            can_sign_in: json!(false),
            codes: &["temporary_password_expired"],
            calls: DIRECT,
        },
        Expect {
            query: "alma",
            can_sign_in: json!(true),
            codes: &["email_unverified", "no_recovery_channel"],
            calls: DIRECT,
        },
        // Found by email: the emulators don't resolve aliases, so ListUsers then AdminGetUser
        // (real Cognito: one AdminGetUser); the diagnosis adds its two calls after.
        Expect {
            query: "bea@example.com",
            // A blocked attempt is about that attempt, not an account state.
            can_sign_in: json!(true),
            codes: &["blocked_by_risk"],
            calls: &[
                "AdminGetUser",
                "ListUsers",
                "AdminGetUser",
                "DescribeUserPool",
                "AdminListUserAuthEvents",
            ],
        },
    ];
    if reset {
        cases.push(Expect {
            query: "rita",
            can_sign_in: json!(false),
            codes: &["reset_required"],
            calls: DIRECT,
        });
    }
    let url = proxy.url();
    for case in &cases {
        let r = diagnose_at(&url, &pool, case.query, "json").await;
        let label = format!("{} {}", kind.name(), case.query);
        assert_eq!(r.code, 0, "{label}: {}", r.stderr);
        let v = parse(&r.stdout);
        assert_eq!(v["CanSignIn"], case.can_sign_in, "{label}: {v:#}");
        assert_eq!(codes(&v), case.codes, "{label}: {v:#}");
        assert_eq!(proxy.take(), case.calls, "{label}");
    }

    // MFA ON without a factor; no threat protection, so no history call.
    let r = diagnose_at(&url, &mfa_pool, "max", "json").await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v = parse(&r.stdout);
    // MFA_SETUP at the next sign-in: a warning, not a blocker.
    assert_eq!(v["CanSignIn"], true, "{v:#}");
    assert_eq!(
        codes(&v),
        [
            "email_unverified",
            "no_recovery_channel",
            "mfa_required_not_set_up",
            "no_sign_in_history"
        ]
    );
    // MFA on: the pool's MFA configuration is read with its settings.
    assert_eq!(
        proxy.take(),
        ["AdminGetUser", "DescribeUserPool", "GetUserPoolMfaConfig"]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn moto_diagnoses_real_pools() {
    diagnose_in(Kind::Moto).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cognito_local_diagnoses_real_pools() {
    diagnose_in(Kind::CognitoLocal).await;
}
