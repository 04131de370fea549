//! The 2024–2026 sign-in model through the real binary and the SDK, against a stub answering
//! in the service model's exact shapes (the emulators have no feature plans, sign-in
//! policies, GetUserPoolMfaConfig or AdminGetUserAuthFactors): what is read, what it costs,
//! and the findings it gives.

use serde_json::{Value, json};
use wiremock::MockServer;

use crate::common::cli;
use crate::common::stub::{answer, operations};

async fn diagnose_json(url: &str, query: &str) -> Value {
    let args: Vec<String> = [
        &["diagnose"][..],
        &cli::target("eu-west-1_AbC123", url),
        &[query, "-o", "json"],
    ]
    .concat()
    .into_iter()
    .map(str::to_string)
    .collect();
    let r = tokio::task::spawn_blocking(move || {
        cli::run_args(&args.iter().map(String::as_str).collect::<Vec<_>>())
    })
    .await
    .unwrap();
    assert_eq!(r.code, 0, "{}", r.stderr);
    serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}: {}", r.stdout))
}

/// AdminGetUser's answer for a confirmed user with a verified email and no MFA.
fn user(name: &str) -> Value {
    json!({
        "Username": name, "Enabled": true, "UserStatus": "CONFIRMED",
        "UserAttributes": [
            {"Name": "sub", "Value": "7d2f4c7e-3a1b-4c5d-8e9f-0a1b2c3d4e5f"},
            {"Name": "email", "Value": "pia@example.com"},
            {"Name": "email_verified", "Value": "true"}
        ],
        "UserCreateDate": 1_700_000_000, "UserLastModifiedDate": 1_700_000_000
    })
}

/// DescribeUserPool's answer (UserPoolType), with the fields of the 2024–2026 model.
fn pool(first: &[&str], mfa: &str, tier: &str) -> Value {
    let mut policies = json!({
        "PasswordPolicy": {"MinimumLength": 8, "TemporaryPasswordValidityDays": 7}
    });
    if !first.is_empty() {
        policies["SignInPolicy"] = json!({"AllowedFirstAuthFactors": first});
    }
    json!({"UserPool": {
        "Id": "eu-west-1_AbC123", "Name": "model",
        "Policies": policies,
        "MfaConfiguration": mfa,
        "UserPoolTier": tier,
        "AccountRecoverySetting": {"RecoveryMechanisms": [{"Priority": 1, "Name": "verified_email"}]},
        "AdminCreateUserConfig": {"AllowAdminCreateUserOnly": true, "UnusedAccountValidityDays": 30},
        "UserPoolAddOns": {"AdvancedSecurityMode": "OFF"},
        "EmailConfigurationFailure": "SES identity arn:aws:ses:eu-west-1:111122223333:identity/example.com is not verified",
        "EstimatedNumberOfUsers": 3
    }})
}

/// GetUserPoolMfaConfig's answer: TOTP, email and passkey MFA.
fn mfa_config() -> Value {
    json!({
        "MfaConfiguration": "ON",
        "SoftwareTokenMfaConfiguration": {"Enabled": true},
        "EmailMfaConfiguration": {"Message": "Your code is {####}", "Subject": "Your code"},
        "WebAuthnConfiguration": {
            "RelyingPartyId": "auth.example.com",
            "UserVerification": "required",
            "FactorConfiguration": "MULTI_FACTOR_WITH_USER_VERIFICATION"
        }
    })
}

fn factors(name: &str, configured: &[&str]) -> Value {
    json!({
        "Username": name,
        "UserMFASettingList": [],
        "ConfiguredUserAuthFactors": configured
    })
}

/// A stub answering AdminGetUser with `name`, DescribeUserPool with `pool`, and each of
/// `more` (an operation and its answer).
async fn stub(name: &str, pool: Value, more: &[(&str, Value)]) -> MockServer {
    let server = MockServer::start().await;
    answer(&server, "AdminGetUser", user(name)).await;
    answer(&server, "DescribeUserPool", pool).await;
    for (op, body) in more {
        answer(&server, op, body.clone()).await;
    }
    server
}

fn codes(v: &Value) -> Vec<&str> {
    v["Findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["Code"].as_str().unwrap())
        .collect()
}

/// A passwordless pool with MFA on: DescribeUserPool, GetUserPoolMfaConfig and
/// AdminGetUserAuthFactors are each read once, and their fields reach the report.
#[tokio::test]
async fn a_passwordless_pool_reads_its_mfa_configuration_and_the_users_factors() {
    let pool = pool(&["PASSWORD", "WEB_AUTHN"], "ON", "ESSENTIALS");
    let more = [
        ("GetUserPoolMfaConfig", mfa_config()),
        (
            "AdminGetUserAuthFactors",
            factors("pia", &["PASSWORD", "WEB_AUTHN"]),
        ),
    ];
    let server = stub("pia", pool, &more).await;
    let v = diagnose_json(&server.uri(), "pia").await;
    assert_eq!(
        operations(&server).await,
        [
            "AdminGetUser",
            "DescribeUserPool",
            "GetUserPoolMfaConfig",
            "AdminGetUserAuthFactors"
        ]
    );
    assert_eq!(v["Pool"]["Plan"], "ESSENTIALS");
    assert_eq!(
        v["Pool"]["AllowedFirstAuthFactors"],
        json!(["PASSWORD", "WEB_AUTHN"])
    );
    assert_eq!(
        v["Pool"]["MfaFactors"],
        json!(["TOTP", "EMAIL", "WEB_AUTHN"])
    );
    // Her verified email counts as a factor: the pool has email MFA. The pool can't send
    // email (EmailConfigurationFailure), and history needs the Plus plan.
    assert_eq!(v["CanSignIn"], true, "{v:#}");
    assert_eq!(
        codes(&v),
        ["message_delivery_failing", "no_sign_in_history"]
    );
    let history = &v["Findings"][1]["Message"];
    assert!(
        history.as_str().unwrap().contains("needs the Plus plan"),
        "{history}"
    );
}

/// A passkey-only user in a pool whose first factors no longer include WEB_AUTHN.
#[tokio::test]
async fn a_passkey_only_user_in_a_pool_without_passkeys_is_blocked() {
    let pool = pool(&["PASSWORD", "EMAIL_OTP"], "OFF", "ESSENTIALS");
    let more = [("AdminGetUserAuthFactors", factors("pia", &["WEB_AUTHN"]))];
    let server = stub("pia", pool, &more).await;
    let v = diagnose_json(&server.uri(), "pia").await;
    assert_eq!(v["CanSignIn"], false, "{v:#}");
    assert_eq!(v["Findings"][0]["Code"], "no_allowed_first_factor");
    assert_eq!(v["Findings"][0]["Rule"], "P2");
    // MFA off: no GetUserPoolMfaConfig.
    assert_eq!(
        operations(&server).await,
        [
            "AdminGetUser",
            "DescribeUserPool",
            "AdminGetUserAuthFactors"
        ]
    );
}

/// A pool that allows only PASSWORD and has MFA off costs what a lookup cost before: no
/// GetUserPoolMfaConfig, no AdminGetUserAuthFactors.
#[tokio::test]
async fn a_password_only_pool_costs_the_same_calls_as_before() {
    let server = stub("pat", pool(&[], "OFF", "LITE"), &[]).await;
    let v = diagnose_json(&server.uri(), "pat").await;
    assert_eq!(
        operations(&server).await,
        ["AdminGetUser", "DescribeUserPool"]
    );
    assert_eq!(v["Pool"]["AllowedFirstAuthFactors"], json!(["PASSWORD"]));
    assert_eq!(v["Pool"]["Plan"], "LITE");
    // Positive control of the counting: the same pool allowing EMAIL_OTP reads the factors.
    let pool = pool(&["PASSWORD", "EMAIL_OTP"], "OFF", "ESSENTIALS");
    let more = [(
        "AdminGetUserAuthFactors",
        factors("pat", &["PASSWORD", "EMAIL_OTP"]),
    )];
    let server = stub("pat", pool, &more).await;
    diagnose_json(&server.uri(), "pat").await;
    assert_eq!(
        operations(&server).await,
        [
            "AdminGetUser",
            "DescribeUserPool",
            "AdminGetUserAuthFactors"
        ]
    );
}

/// Reset MFA is two requests, each seen at the stub in the service model's shapes:
/// AdminDeleteSoftwareToken (AdminSetUserMFAPreference alone leaves a registered TOTP),
/// then AdminSetUserMFAPreference with SMS, TOTP, email and passkey MFA off.
#[tokio::test]
async fn reset_mfa_deletes_the_totp_then_turns_every_factor_off() {
    use clap::Parser;
    use cognito_tui::act::Write;
    use cognito_tui::cognito::{PoolId, WriteAction};
    let server = MockServer::start().await;
    answer(&server, "AdminDeleteSoftwareToken", json!({})).await;
    answer(&server, "AdminSetUserMFAPreference", json!({})).await;
    let url = server.uri();
    let mut args = vec!["cognito-tui", "--allow-write", "--config", "/dev/null"];
    args.extend(cli::target("eu-west-1_AbC123", &url));
    args.push("tui");
    let parsed = cognito_tui::cli::Cli::try_parse_from(&args)
        .or_else(|_| cognito_tui::cli::Cli::try_parse_from(&args[..args.len() - 1]))
        .expect("arguments parse");
    let pool = PoolId::parse("eu-west-1_AbC123").unwrap();
    let target = crate::common::target::resolve(&parsed.target);
    let session = target.connect(pool, false).await;
    let write = Write {
        pool: "eu-west-1_AbC123".into(),
        pool_label: "model (eu-west-1_AbC123)".into(),
        username: "walter".into(),
        sub: None,
        action: WriteAction::ResetMfa,
    };
    write.request(&session).await.expect("both calls answered");
    assert_eq!(
        operations(&server).await,
        ["AdminDeleteSoftwareToken", "AdminSetUserMFAPreference"]
    );
    let requests = server.received_requests().await.unwrap();
    let delete: Value = serde_json::from_slice(&requests[0].body).unwrap();
    assert_eq!(
        delete,
        json!({"UserPoolId": "eu-west-1_AbC123", "Username": "walter"})
    );
    let preference: Value = serde_json::from_slice(&requests[1].body).unwrap();
    for settings in [
        "SMSMfaSettings",
        "SoftwareTokenMfaSettings",
        "EmailMfaSettings",
        "WebAuthnMfaSettings",
    ] {
        assert_eq!(
            preference[settings]["Enabled"], false,
            "{settings}: {preference}"
        );
    }
    // The confirmation says so, and what an administrator can't do.
    let note = WriteAction::ResetMfa.confirmation_note().unwrap();
    assert!(note.contains("AdminDeleteSoftwareToken") && note.contains("passkeys"));
}
