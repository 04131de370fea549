//! One identity (issue 19.4) and a named operator (issue 23.4), seen where AWS sees them: at a
//! stand-in for Cognito that records each request's `Authorization` (whose `Credential=` names
//! the access key that signed it) and `User-Agent` (what CloudTrail records as `userAgent`).
//! An explicitly named profile — `--profile`, a named pool's `profile`, the file's `profile` —
//! signs with its own keys even when `AWS_ACCESS_KEY_ID` is set, as the AWS CLI does; the
//! audit line names the credentials that signed. Other ways to sign in: a `credential_process`
//! profile, an expired SSO session (which names the `aws sso login` to run), and an `aws login`
//! profile signing with the console credentials the AWS CLI cached.

use std::path::Path;

use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::cli;

const PROFILE_KEY: &str = "AKIAPROFILEKEYAAAAAA";
const ENV_KEY: &str = "AKIAENVIRONMENTBBBBB";

/// What each request after the first `*looked` carried: the access key id of its signature
/// and its User-Agent; `*looked` moves past them.
async fn seen(server: &MockServer, looked: &mut usize) -> Vec<(String, String)> {
    let requests = server.received_requests().await.unwrap_or_default();
    let from = std::mem::replace(looked, requests.len()).min(requests.len());
    requests[from..]
        .iter()
        .map(|r| {
            let header = |name: &str| {
                r.headers
                    .get(name)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default()
                    .to_string()
            };
            let auth = header("authorization");
            let key = auth
                .split("Credential=")
                .nth(1)
                .and_then(|c| c.split('/').next())
                .unwrap_or_default()
                .to_string();
            (key, header("user-agent"))
        })
        .collect()
}

/// A HOME with an AWS credentials file holding profile `support-prod`, and a config file
/// naming pool `prod` (with that profile) and `plain` (without), both at `url`.
fn home_with_profile(home: &Path, url: &str, extra_config: &str) -> std::path::PathBuf {
    std::fs::write(
        home.join("credentials"),
        format!(
            "[support-prod]\naws_access_key_id = {PROFILE_KEY}\n\
             aws_secret_access_key = profile-secret\n"
        ),
    )
    .unwrap();
    let config = home.join("config.toml");
    std::fs::write(
        &config,
        format!(
            "{extra_config}\n[pools.prod]\npool_id = \"eu-west-1_AbC123\"\n\
             profile = \"support-prod\"\nendpoint_url = \"{url}\"\n\n\
             [pools.plain]\npool_id = \"eu-west-1_AbC123\"\nendpoint_url = \"{url}\"\n"
        ),
    )
    .unwrap();
    config
}

/// The access key ids of the requests after `*looked` ([`seen`]).
async fn signed_by(server: &MockServer, looked: &mut usize) -> Vec<String> {
    (seen(server, looked).await.into_iter())
        .map(|(key, _)| key)
        .collect()
}

/// `get alice` with the environment's keys set, in `home`; the audit log's lines.
fn get_with_env_keys(home: &Path, args: &[&str]) -> (cli::Run, Vec<serde_json::Value>) {
    let audit = home.join("audit.jsonl");
    let _ = std::fs::remove_file(&audit);
    let mut c = cli::command(home);
    c.env("AWS_ACCESS_KEY_ID", ENV_KEY)
        .env("AWS_SECRET_ACCESS_KEY", "environment-secret")
        .env("AWS_SHARED_CREDENTIALS_FILE", home.join("credentials"))
        .args(["get", "alice", "-o", "json", "--audit-log"])
        .arg(&audit)
        .args(args);
    (cli::run(c), crate::common::audit_log::lines(&audit))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_named_profile_signs_with_its_own_keys_and_the_audit_says_so() {
    let server = crate::common::stub::alice().await;
    let mut looked = 0;
    let home = tempfile::tempdir().unwrap();
    let config = home_with_profile(home.path(), &server.uri(), "");
    let config = config.to_str().unwrap();
    let url = server.uri();
    let ways: [(&str, Vec<&str>); 2] = [
        (
            "--profile",
            vec!["--pool", "eu-west-1_AbC123", "--endpoint-url", &url],
        ),
        (
            "a named pool's profile",
            vec!["--config", config, "--pool", "prod"],
        ),
    ];
    for (way, args) in ways {
        let mut args = args.clone();
        if way == "--profile" {
            args.extend(["--profile", "support-prod"]);
        }
        let (r, audit) = tokio::task::block_in_place(|| get_with_env_keys(home.path(), &args));
        assert_eq!(r.code, 0, "{way}: {}", r.stderr);
        let keys = signed_by(&server, &mut looked).await;
        assert_eq!(keys, [PROFILE_KEY], "{way}: the profile's keys signed");
        let line = audit.last().expect("an audit line");
        assert_eq!(line["profile"], "support-prod", "{way}: {line}");
        assert_eq!(
            line["credentials"], "profile support-prod (keys)",
            "{way}: {line}"
        );
    }

    // The control: with no profile named, the environment's keys sign (the chain's first
    // link), and the audit says so; the stub tells the two keys apart.
    let (r, audit) = tokio::task::block_in_place(|| {
        get_with_env_keys(home.path(), &["--config", config, "--pool", "plain"])
    });
    assert_eq!(r.code, 0, "{}", r.stderr);
    let keys = signed_by(&server, &mut looked).await;
    assert_eq!(keys, [ENV_KEY]);
    assert_eq!(audit.last().unwrap()["credentials"], "environment");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_config_files_profile_is_named_too() {
    let server = crate::common::stub::alice().await;
    let mut looked = 0;
    let home = tempfile::tempdir().unwrap();
    let config = home_with_profile(home.path(), &server.uri(), "profile = \"support-prod\"");
    let args = ["--config", config.to_str().unwrap(), "--pool", "plain"];
    let (r, audit) = tokio::task::block_in_place(|| get_with_env_keys(home.path(), &args));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let keys = signed_by(&server, &mut looked).await;
    assert_eq!(keys, [PROFILE_KEY]);
    assert_eq!(
        audit.last().unwrap()["credentials"],
        "profile support-prod (keys)"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_request_names_the_operator_in_its_user_agent() {
    let server = crate::common::stub::alice().await;
    let mut looked = 0;
    let home = tempfile::tempdir().unwrap();
    let config = home_with_profile(home.path(), &server.uri(), "operator = \"jane.doe@corp\"");
    let args = ["--config", config.to_str().unwrap(), "--pool", "plain"];
    let (r, _) = tokio::task::block_in_place(|| get_with_env_keys(home.path(), &args));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let agents: Vec<String> = seen(&server, &mut looked)
        .await
        .into_iter()
        .map(|(_, a)| a)
        .collect();
    assert!(!agents.is_empty());
    for agent in &agents {
        assert!(
            agent.ends_with(" cognito-tui/jane.doe@corp"),
            "the operator from the config: {agent}"
        );
        assert!(
            agent.starts_with("aws-sdk-rust/"),
            "the SDK's own part kept: {agent}"
        );
    }

    // Without `operator`, the login name of the user running it.
    let login = String::from_utf8(
        std::process::Command::new("id")
            .arg("-un")
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let (r, _) = tokio::task::block_in_place(|| {
        get_with_env_keys(
            home.path(),
            &[
                "--pool",
                "eu-west-1_AbC123",
                "--endpoint-url",
                &server.uri(),
            ],
        )
    });
    assert_eq!(r.code, 0, "{}", r.stderr);
    let agents: Vec<String> = seen(&server, &mut looked)
        .await
        .into_iter()
        .map(|(_, a)| a)
        .collect();
    let expected = format!(" cognito-tui/{}", login.trim());
    assert!(
        !agents.is_empty() && agents.iter().all(|a| a.ends_with(&expected)),
        "{agents:?} end with {expected}"
    );

    // A name that can't go into a header is refused where it is written.
    std::fs::write(&config, "operator = \"jane doe\"\n").unwrap();
    let r = cli::run_args(&[
        "--config",
        config.to_str().unwrap(),
        "--demo",
        "get",
        "alice",
    ]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("line 1, column 12"), "{}", r.stderr);
    assert!(r.stderr.contains("operator = \"jane doe\""), "{}", r.stderr);
}

/// `get alice` at `url` with `--profile NAME` and the AWS config file `aws_config` (no
/// environment keys), in `home`; the run and the audit's lines.
fn get_with_profile(
    home: &Path,
    url: &str,
    profile: &str,
    aws_config: &str,
) -> (cli::Run, Vec<serde_json::Value>) {
    let config_file = home.join("aws-config");
    std::fs::write(&config_file, aws_config).unwrap();
    let audit = home.join("audit.jsonl");
    let _ = std::fs::remove_file(&audit);
    let mut c = cli::command(home);
    c.env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .env("AWS_CONFIG_FILE", &config_file)
        .args(["get", "alice", "-o", "json", "--pool", "eu-west-1_AbC123"])
        .args(["--endpoint-url", url, "--profile", profile, "--audit-log"])
        .arg(&audit);
    (cli::run(c), crate::common::audit_log::lines(&audit))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_credential_process_profile_signs_with_what_the_process_prints() {
    use std::os::unix::fs::PermissionsExt;
    let server = crate::common::stub::alice().await;
    let mut looked = 0;
    let home = tempfile::tempdir().unwrap();
    let script = home.path().join("creds.sh");
    std::fs::write(
        &script,
        "#!/bin/sh\necho '{\"Version\": 1, \"AccessKeyId\": \"AKIAFROMPROCESSCCCCC\", \
         \"SecretAccessKey\": \"process-secret\"}'\n",
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o700)).unwrap();
    let aws_config = format!(
        "[profile vault]\ncredential_process = {}\n",
        script.display()
    );
    let (r, audit) = tokio::task::block_in_place(|| {
        get_with_profile(home.path(), &server.uri(), "vault", &aws_config)
    });
    assert_eq!(r.code, 0, "{}", r.stderr);
    let keys = signed_by(&server, &mut looked).await;
    assert_eq!(keys, ["AKIAFROMPROCESSCCCCC"]);
    assert_eq!(
        audit.last().unwrap()["credentials"],
        "profile vault (credential_process)"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_sso_session_says_which_login_to_run_and_sends_nothing() {
    let server = crate::common::stub::alice().await;
    let home = tempfile::tempdir().unwrap();
    // The token cache `aws sso login` leaves, expired an hour ago.
    let cache = home.path().join(".aws/sso/cache");
    std::fs::create_dir_all(&cache).unwrap();
    let session = "corp";
    // The cache file of an sso-session is named by the SHA-1 of the session's name.
    let name = "ee0bfd2552fbd840c02cc48b6e823320543c450f.json";
    std::fs::write(
        cache.join(name),
        r#"{"accessToken":"expired","expiresAt":"2020-01-01T00:00:00Z","region":"eu-west-1","startUrl":"https://corp.awsapps.com/start"}"#,
    )
    .unwrap();
    let aws_config = format!(
        "[profile support-sso]\nsso_session = {session}\nsso_account_id = 111122223333\n\
         sso_role_name = Support\nregion = eu-west-1\n\n[sso-session {session}]\n\
         sso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\n"
    );
    let (r, _) = tokio::task::block_in_place(|| {
        get_with_profile(home.path(), &server.uri(), "support-sso", &aws_config)
    });
    assert_eq!(r.code, 6, "{}", r.stderr);
    assert!(r.stderr.contains("SSO token has expired"), "{}", r.stderr);
    assert!(
        r.stderr.contains("aws sso login --profile support-sso"),
        "{}",
        r.stderr
    );
    assert!(
        server.received_requests().await.unwrap().is_empty(),
        "no Cognito request without credentials"
    );
}

/// STS's answer to `action` (AssumeRole, AssumeRoleWithWebIdentity) in the service model's
/// XML shape: temporary credentials with access key id `key_id`, for the assumed role `arn`,
/// valid until 2099.
fn sts_credentials(action: &str, key_id: &str, arn: &str) -> String {
    sts_credentials_until(action, key_id, arn, "2099-01-01T00:00:00Z")
}

/// [`sts_credentials`] valid until `expires` (ISO 8601).
pub(crate) fn sts_credentials_until(
    action: &str,
    key_id: &str,
    arn: &str,
    expires: &str,
) -> String {
    let session = arn.rsplit('/').next().unwrap_or_default();
    format!(
        r#"<{action}Response xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <{action}Result>
    <Credentials>
      <AccessKeyId>{key_id}</AccessKeyId>
      <SecretAccessKey>{key_id}-secret</SecretAccessKey>
      <SessionToken>{key_id}-session</SessionToken>
      <Expiration>{expires}</Expiration>
    </Credentials>
    <AssumedRoleUser>
      <Arn>{arn}</Arn>
      <AssumedRoleId>AROAEXAMPLE:{session}</AssumedRoleId>
    </AssumedRoleUser>
  </{action}Result>
  <ResponseMetadata><RequestId>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE</RequestId></ResponseMetadata>
</{action}Response>"#
    )
}

/// STS's AssumeRoleWithWebIdentity in its XML shape, handing out `ASIAWEBIDENTITYDDDDD`.
async fn sts_stub() -> MockServer {
    let server = MockServer::start().await;
    let body = sts_credentials(
        "AssumeRoleWithWebIdentity",
        "ASIAWEBIDENTITYDDDDD",
        "arn:aws:sts::123456789012:assumed-role/bastion/pod",
    );
    Mock::given(method("POST"))
        .and(wiremock::matchers::body_string_contains(
            "Action=AssumeRoleWithWebIdentity",
        ))
        .and(wiremock::matchers::body_string_contains(
            "WebIdentityToken=token-from-the-cluster",
        ))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("content-type", "text/xml")
                .set_body_string(body),
        )
        .mount(&server)
        .await;
    // GetCallerIdentity, answered only when signed with the role's credentials.
    let caller = r#"<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <GetCallerIdentityResult>
    <Arn>arn:aws:sts::123456789012:assumed-role/bastion/pod</Arn>
    <UserId>AROAEXAMPLE:pod</UserId>
    <Account>123456789012</Account>
  </GetCallerIdentityResult>
  <ResponseMetadata><RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId></ResponseMetadata>
</GetCallerIdentityResponse>"#;
    Mock::given(method("POST"))
        .and(wiremock::matchers::body_string_contains(
            "Action=GetCallerIdentity",
        ))
        .and(wiremock::matchers::header_regex(
            "authorization",
            "Credential=ASIAWEBIDENTITYDDDDD/",
        ))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("content-type", "text/xml")
                .set_body_string(caller),
        )
        .mount(&server)
        .await;
    server
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn web_identity_credentials_come_from_sts_with_the_token_file() {
    let (server, sts) = (crate::common::stub::alice().await, sts_stub().await);
    let mut looked = 0;
    let home = tempfile::tempdir().unwrap();
    let token = home.path().join("token");
    std::fs::write(&token, "token-from-the-cluster").unwrap();
    let audit = home.path().join("audit.jsonl");
    let mut c = cli::command(home.path());
    c.env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .env("AWS_WEB_IDENTITY_TOKEN_FILE", &token)
        .env("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/bastion")
        .env("AWS_ROLE_SESSION_NAME", "pod")
        .env("AWS_ENDPOINT_URL_STS", sts.uri())
        .args(["get", "alice", "-o", "json", "--pool", "eu-west-1_AbC123"])
        .args(["--endpoint-url", &server.uri(), "--audit-log"])
        .arg(&audit);
    let r = tokio::task::block_in_place(|| cli::run(c));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let actions: Vec<String> = (sts.received_requests().await.unwrap().iter())
        .map(|r| {
            String::from_utf8_lossy(&r.body)
                .split('&')
                .next()
                .unwrap()
                .to_string()
        })
        .collect();
    // The credentials, then who they are for the audit's start line (with those credentials).
    assert_eq!(
        actions,
        [
            "Action=AssumeRoleWithWebIdentity",
            "Action=GetCallerIdentity"
        ]
    );
    let keys = signed_by(&server, &mut looked).await;
    assert_eq!(keys, ["ASIAWEBIDENTITYDDDDD"]);
    let lines = crate::common::audit_log::lines(&audit);
    assert_eq!(lines.last().unwrap()["credentials"], "web identity");
    assert_eq!(
        lines[0]["caller"], "arn:aws:sts::123456789012:assumed-role/bastion/pod",
        "the start line says who the role's credentials are"
    );
}

/// STS's AssumeRole in its XML shape, only with the MFA device and code given, handing out
/// `ASIAMFAROLEEEEEEEEEE`.
async fn sts_mfa_stub() -> MockServer {
    let server = MockServer::start().await;
    let body = sts_credentials(
        "AssumeRole",
        "ASIAMFAROLEEEEEEEEEE",
        "arn:aws:sts::123456789012:assumed-role/support/cognito-tui",
    );
    Mock::given(method("POST"))
        .and(wiremock::matchers::body_string_contains(
            "Action=AssumeRole",
        ))
        .and(wiremock::matchers::body_string_contains("TokenCode=123456"))
        .and(wiremock::matchers::body_string_contains(
            "SerialNumber=arn%3Aaws%3Aiam%3A%3A123456789012%3Amfa%2Fjane",
        ))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("content-type", "text/xml")
                .set_body_string(body),
        )
        .mount(&server)
        .await;
    server
}

/// An AWS config with profile `support` (a role with an MFA device, from profile `base`) and
/// a credentials file with `base`'s keys, in `home`; the environment to use them.
pub(crate) fn mfa_profile(home: &Path, sts: &str) -> Vec<(String, String)> {
    let config = home.join("aws-config");
    std::fs::write(
        &config,
        "[profile support]\nrole_arn = arn:aws:iam::123456789012:role/support\n\
         source_profile = base\nmfa_serial = arn:aws:iam::123456789012:mfa/jane\n",
    )
    .unwrap();
    let credentials = home.join("aws-credentials");
    std::fs::write(
        &credentials,
        "[base]\naws_access_key_id = AKIABASE\naws_secret_access_key = base\n",
    )
    .unwrap();
    [
        ("AWS_CONFIG_FILE", config.display().to_string()),
        (
            "AWS_SHARED_CREDENTIALS_FILE",
            credentials.display().to_string(),
        ),
        ("AWS_ENDPOINT_URL_STS", sts.to_string()),
        ("AWS_EC2_METADATA_DISABLED", "true".into()),
        ("AWS_REGION", "eu-west-1".into()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_mfa_role_asks_for_the_code_on_the_terminal() {
    let (server, sts) = (crate::common::stub::alice().await, sts_mfa_stub().await);
    let mut looked = 0;
    let home = tempfile::tempdir().unwrap();
    let env = mfa_profile(home.path(), &sts.uri());
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let url = server.uri();
    let args = [
        "get",
        "alice",
        "-o",
        "json",
        "--pool",
        "eu-west-1_AbC123",
        "--profile",
        "support",
        "--endpoint-url",
        &url,
    ];
    let (status, screen) = tokio::task::block_in_place(|| {
        let tmux = crate::common::tmux::Tmux::spawn(
            env!("CARGO_BIN_EXE_cognito-tui"),
            &args,
            &env,
            120,
            30,
        );
        // (tmux drops the prompt's trailing space.)
        tmux.wait_for("MFA code for arn:aws:iam::123456789012:mfa/jane (profile support):");
        tmux.type_text("123456");
        tmux.keys(&["Enter"]);
        let (status, _) = tmux.wait_exit();
        (status, tmux.screen())
    });
    assert_eq!(status, 0, "{screen}");
    assert!(screen.contains("\"Username\": \"alice\""), "{screen}");
    assert_eq!(sts.received_requests().await.unwrap().len(), 1);
    let keys = signed_by(&server, &mut looked).await;
    assert_eq!(
        keys,
        ["ASIAMFAROLEEEEEEEEEE"],
        "signed with the role's credentials"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_mfa_role_without_a_terminal_says_so_and_sends_nothing() {
    use std::os::unix::process::CommandExt;
    let (server, sts) = (crate::common::stub::alice().await, sts_mfa_stub().await);
    let home = tempfile::tempdir().unwrap();
    let mut c = cli::command(home.path());
    for (k, v) in mfa_profile(home.path(), &sts.uri()) {
        c.env(k, v);
    }
    c.env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .args([
            "get",
            "alice",
            "--pool",
            "eu-west-1_AbC123",
            "--profile",
            "support",
        ])
        .args(["--endpoint-url", &server.uri()]);
    // SAFETY: setsid() only detaches the child from the controlling terminal, before exec.
    unsafe {
        c.pre_exec(|| {
            libc::setsid();
            Ok(())
        });
    }
    let r = tokio::task::block_in_place(|| cli::run(c));
    assert_eq!(r.code, 6, "{}", r.stderr);
    assert!(
        r.stderr.contains(
            "profile support assumes its role with an MFA device \
             (mfa_serial = arn:aws:iam::123456789012:mfa/jane), and there is no terminal"
        ),
        "{}",
        r.stderr
    );
    assert!(sts.received_requests().await.unwrap().is_empty());
    assert!(server.received_requests().await.unwrap().is_empty());
}

/// An `aws login` profile's cached console credentials, as the AWS CLI writes them (the file
/// named by the SHA-256 of the `login_session` ARN), valid until `expires_at`.
fn login_cache(dir: &Path, session: &str, expires_at: &str) {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(session.as_bytes());
    let name: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    std::fs::create_dir_all(dir).unwrap();
    let token = serde_json::json!({
        "accessToken": {
            "accessKeyId": "ASIALOGINFFFFFFFFFFF",
            "secretAccessKey": "login-secret",
            "sessionToken": "login-session-token",
            "accountId": "123456789012",
            "expiresAt": expires_at,
        },
        "tokenType": "aws_sigv4",
        "refreshToken": "opaque",
        "clientId": "arn:aws:signin:::devtools/same-device",
        "dpopKey": "-----BEGIN EC PRIVATE KEY-----\nnot used unless refreshed\n-----END EC PRIVATE KEY-----\n",
    });
    std::fs::write(dir.join(format!("{name}.json")), token.to_string()).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_aws_login_profile_signs_with_its_cached_console_credentials() {
    let server = crate::common::stub::alice().await;
    let mut looked = 0;
    let home = tempfile::tempdir().unwrap();
    let session = "arn:aws:iam::123456789012:user/jane";
    let cache = home.path().join("login-cache");
    login_cache(&cache, session, "2099-01-01T00:00:00Z");
    let aws_config = format!("[profile console]\nlogin_session = {session}\nregion = eu-west-1\n");
    let config_file = home.path().join("aws-config");
    std::fs::write(&config_file, aws_config).unwrap();
    let audit = home.path().join("audit.jsonl");
    let mut c = cli::command(home.path());
    c.env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .env("AWS_CONFIG_FILE", &config_file)
        .env("AWS_LOGIN_CACHE_DIRECTORY", &cache)
        .args(["get", "alice", "-o", "json", "--pool", "eu-west-1_AbC123"])
        .args([
            "--endpoint-url",
            &server.uri(),
            "--profile",
            "console",
            "--audit-log",
        ])
        .arg(&audit);
    let r = tokio::task::block_in_place(|| cli::run(c));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let keys = signed_by(&server, &mut looked).await;
    assert_eq!(keys, ["ASIALOGINFFFFFFFFFFF"]);
    let lines = cli::json_lines(&std::fs::read_to_string(&audit).unwrap());
    assert_eq!(
        lines.last().unwrap()["credentials"],
        "profile console (aws login)"
    );
}

/// An `aws login` profile whose cached console session can't be used (here: a cache file that
/// is not JSON, so nothing is refreshed over the network) is exit 6 with `aws login --profile
/// P`, not the SSO hint; and nothing reaches Cognito.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unusable_aws_login_session_says_run_aws_login_for_its_profile() {
    let server = crate::common::stub::alice().await;
    let mut looked = 0;
    let home = tempfile::tempdir().unwrap();
    let session = "arn:aws:iam::123456789012:user/jane";
    let cache = home.path().join("login-cache");
    login_cache(&cache, session, "2099-01-01T00:00:00Z");
    for entry in std::fs::read_dir(&cache).unwrap() {
        std::fs::write(entry.unwrap().path(), "{ not json").unwrap();
    }
    let aws_config = format!("[profile console]\nlogin_session = {session}\nregion = eu-west-1\n");
    let config_file = home.path().join("aws-config");
    std::fs::write(&config_file, aws_config).unwrap();
    let mut c = cli::command(home.path());
    c.env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .env("AWS_CONFIG_FILE", &config_file)
        .env("AWS_LOGIN_CACHE_DIRECTORY", &cache)
        .args(["get", "alice", "--pool", "eu-west-1_AbC123"])
        .args(["--endpoint-url", &server.uri(), "--profile", "console"]);
    let r = tokio::task::block_in_place(|| cli::run(c));
    assert_eq!(r.code, 6, "{}", r.stderr);
    assert!(
        r.stderr.contains("run `aws login --profile console`"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("aws sso login"), "{}", r.stderr);
    assert!(seen(&server, &mut looked).await.is_empty());
}
