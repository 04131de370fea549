//! An `aws login` profile whose cached console session has expired (issue 23.3): the SDK's
//! Login provider (aws-config's `credentials-login`) refreshes it at AWS Sign-In, and the
//! request is signed with what came back; a refresh Sign-In refuses ends with exit 6 and
//! "run `aws login --profile P`". Sign-In is a loopback stub answering CreateOAuth2Token
//! (`POST /v1/token`, restJson1) in the aws-sdk-signin model's shapes, reached through
//! `AWS_ENDPOINT_URL_SIGNIN` (the SDK's service-specific endpoint variable, which the Login
//! provider's Sign-In client reads). Every other host goes to a dead proxy on loopback
//! (`HTTPS_PROXY`, with `NO_PROXY` for 127.0.0.1), so nothing can leave the machine even if
//! the override were ignored — and then the stub, which must be called, fails the test.

use std::path::Path;

use serde_json::json;
use wiremock::matchers::{body_partial_json, header_exists, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::cli;

const SESSION: &str = "arn:aws:iam::123456789012:user/jane";
const CACHED_KEY: &str = "ASIAEXPIREDLOGINHHHH";
const REFRESHED_KEY: &str = "ASIAREFRESHEDLOGINGG";

/// A P-256 private key in SEC1 PEM, as `aws login` keeps its DPoP key (made by openssl).
fn dpop_key(dir: &Path) -> String {
    let out = std::process::Command::new("openssl")
        .args(["ecparam", "-name", "prime256v1", "-genkey", "-noout"])
        .current_dir(dir)
        .output()
        .expect("openssl (Debian's openssl package) is installed");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The login cache file of `SESSION` (named by the SHA-256 of the session ARN), as the AWS
/// CLI writes it: console credentials that expired in 2020, a refresh token and DPoP key.
fn expired_login_cache(dir: &Path) -> std::path::PathBuf {
    use sha2::Digest;
    let name: String = (sha2::Sha256::digest(SESSION.as_bytes()).iter())
        .map(|b| format!("{b:02x}"))
        .collect();
    let token = json!({
        "accessToken": {
            "accessKeyId": CACHED_KEY,
            "secretAccessKey": "expired-secret",
            "sessionToken": "expired-session-token",
            "accountId": "123456789012",
            "expiresAt": "2020-01-01T00:00:00Z",
        },
        "tokenType": "aws_sigv4",
        "refreshToken": "refresh-from-the-cli",
        "clientId": "arn:aws:signin:::devtools/same-device",
        "dpopKey": dpop_key(dir),
    });
    let cache = dir.join("login-cache");
    std::fs::create_dir_all(&cache).unwrap();
    let file = cache.join(format!("{name}.json"));
    std::fs::write(&file, token.to_string()).unwrap();
    file
}

/// Sign-In's CreateOAuth2Token for the cached refresh token (with its DPoP proof): `answer`.
async fn sign_in(answer: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/token"))
        .and(header_exists("dpop"))
        .and(body_partial_json(json!({
            "clientId": "arn:aws:signin:::devtools/same-device",
            "grantType": "refresh_token",
            "refreshToken": "refresh-from-the-cli",
        })))
        .respond_with(answer)
        .mount(&server)
        .await;
    server
}

/// CreateOAuth2Token's answer (CreateOAuth2TokenResponseBody): new console credentials for
/// 15 minutes and a new refresh token.
fn refreshed() -> ResponseTemplate {
    ResponseTemplate::new(200)
        .insert_header("content-type", "application/json")
        .set_body_json(json!({
            "accessToken": {
                "accessKeyId": REFRESHED_KEY,
                "secretAccessKey": "refreshed-secret",
                "sessionToken": "refreshed-session-token",
            },
            "tokenType": "aws_sigv4",
            "expiresIn": 900,
            "refreshToken": "refresh-next-time",
        }))
}

/// Sign-In refusing: AccessDeniedException (restJson1: its name in `x-amzn-errortype`) with
/// the OAuth2 error code TOKEN_EXPIRED — the console session itself has ended.
fn refused() -> ResponseTemplate {
    ResponseTemplate::new(400)
        .insert_header("content-type", "application/json")
        .insert_header("x-amzn-errortype", "AccessDeniedException")
        .set_body_json(json!({"error": "TOKEN_EXPIRED", "message": "Session expired"}))
}

/// `get alice` with profile `console` (an `aws login` profile) at `cognito`, Sign-In at
/// `sign_in`, in `home`.
fn get_alice(home: &Path, cognito: &MockServer, sign_in: &MockServer) -> cli::Run {
    let config = home.join("aws-config");
    std::fs::write(
        &config,
        format!("[profile console]\nlogin_session = {SESSION}\nregion = eu-west-1\n"),
    )
    .unwrap();
    let mut c = cli::command(home);
    c.env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .env("AWS_CONFIG_FILE", &config)
        .env("AWS_LOGIN_CACHE_DIRECTORY", home.join("login-cache"))
        .env("AWS_ENDPOINT_URL_SIGNIN", sign_in.uri())
        // Anything not for the stubs goes to port 9 (discard) on loopback: refused, not sent.
        .env("HTTPS_PROXY", "http://127.0.0.1:9")
        .env("HTTP_PROXY", "http://127.0.0.1:9")
        .env("NO_PROXY", "127.0.0.1")
        .args(["get", "alice", "-o", "json", "--pool", "eu-west-1_AbC123"])
        .args(["--endpoint-url", &cognito.uri(), "--profile", "console"]);
    cli::run(c)
}

/// The access key ids that signed the requests `server` received.
async fn signing_keys(server: &MockServer) -> Vec<String> {
    (server.received_requests().await.unwrap_or_default().iter())
        .map(|r| {
            let auth = (r.headers.get("authorization"))
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default();
            (auth.split("Credential=").nth(1))
                .and_then(|c| c.split('/').next())
                .unwrap_or_default()
                .to_string()
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_console_session_is_refreshed_at_sign_in_and_signs_with_the_new_keys() {
    let (cognito, sign_in) = (
        crate::common::stub::alice().await,
        sign_in(refreshed()).await,
    );
    let home = tempfile::tempdir().unwrap();
    let cache = expired_login_cache(home.path());
    let r = tokio::task::block_in_place(|| get_alice(home.path(), &cognito, &sign_in));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        sign_in.received_requests().await.unwrap().len(),
        1,
        "the refresh went to the loopback stub"
    );
    assert_eq!(signing_keys(&cognito).await, [REFRESHED_KEY]);
    // The SDK keeps the refreshed session where the AWS CLI will find it.
    let kept: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&cache).unwrap()).unwrap();
    assert_eq!(kept["accessToken"]["accessKeyId"], REFRESHED_KEY, "{kept}");
    assert_eq!(kept["refreshToken"], "refresh-next-time");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refresh_sign_in_refuses_says_run_aws_login_for_the_profile() {
    let (cognito, sign_in) = (crate::common::stub::alice().await, sign_in(refused()).await);
    let home = tempfile::tempdir().unwrap();
    expired_login_cache(home.path());
    let r = tokio::task::block_in_place(|| get_alice(home.path(), &cognito, &sign_in));
    assert_eq!(r.code, 6, "{}", r.stderr);
    assert!(
        r.stderr.contains("run `aws login --profile console`"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("Your session has expired"),
        "{}",
        r.stderr
    );
    assert!(
        !sign_in.received_requests().await.unwrap().is_empty(),
        "asked"
    );
    assert!(
        cognito.received_requests().await.unwrap().is_empty(),
        "nothing sent"
    );
}
