//! Inside a company network (issue 23.1, 23.2), through the real binary: a TLS terminator with
//! a private CA made in the test sits in front of a stand-in for Cognito. Without the CA the
//! certificate is refused with one clear message naming `AWS_CA_BUNDLE` and `ca_bundle` and
//! exit code 10; with either it is trusted, added to the system's roots (not replacing them);
//! and through a real forward proxy (tinyproxy) `HTTPS_PROXY` / `https_proxy` carry every
//! request (its access log shows the CONNECT) and `NO_PROXY` bypasses it.

use std::path::Path;

use wiremock::MockServer;

use crate::common::cli;
use crate::common::tls::{PrivateCa, Tinyproxy, TlsTerminator, upstream_of};

/// `get alice` at `url` from `home`, with `env` added.
fn get(home: &Path, url: &str, env: &[(&str, &str)], extra: &[&str]) -> cli::Run {
    let mut c = cli::command(home);
    c.args(["get", "--pool", "eu-west-1_AbC123", "alice", "-o", "json"])
        .args(["--endpoint-url", url])
        .args(extra);
    for (k, v) in env {
        c.env(k, v);
    }
    cli::run(c)
}

/// A HOME, a CA and a terminator presenting its certificate in front of a stub.
struct Network {
    home: tempfile::TempDir,
    ca: PrivateCa,
    terminator: TlsTerminator,
    _stub: MockServer,
}

async fn network() -> Network {
    let stub = crate::common::stub::alice().await;
    let home = tempfile::tempdir().unwrap();
    let ca = PrivateCa::new(home.path(), "corp");
    let terminator = TlsTerminator::start(&ca, upstream_of(&stub.uri())).await;
    Network {
        home,
        ca,
        terminator,
        _stub: stub,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_untrusted_certificate_names_both_settings_and_exits_10() {
    let net = network().await;
    let r = tokio::task::block_in_place(|| get(net.home.path(), &net.terminator.url(), &[], &[]));
    assert_eq!(r.code, 10, "{}", r.stderr);
    assert!(
        r.stderr.contains("TLS certificate is not trusted"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("AWS_CA_BUNDLE"), "{}", r.stderr);
    assert!(r.stderr.contains("ca_bundle"), "{}", r.stderr);
    assert!(!r.stderr.contains("dispatch failure"), "{}", r.stderr);
    assert!(r.stdout.is_empty(), "{}", r.stdout);

    // A bundle that can't be used is named, and nothing is sent.
    let missing = net.home.path().join("missing.pem");
    let not_pem = net.home.path().join("not.pem");
    std::fs::write(&not_pem, "just text\n").unwrap();
    for (bundle, why) in [
        (&missing, "cannot read it"),
        (&not_pem, "no PEM certificate"),
    ] {
        let env = [("AWS_CA_BUNDLE", bundle.to_str().unwrap())];
        let r =
            tokio::task::block_in_place(|| get(net.home.path(), &net.terminator.url(), &env, &[]));
        assert_eq!(r.code, 10, "{}", r.stderr);
        assert!(
            r.stderr
                .contains(&format!("AWS_CA_BUNDLE names {}: {why}", bundle.display())),
            "{}",
            r.stderr
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_private_ca_from_aws_ca_bundle_or_the_profile_is_trusted() {
    let net = network().await;
    let (home, url) = (net.home.path(), net.terminator.url());
    let ca = net.ca.ca.to_str().unwrap();
    let r = tokio::task::block_in_place(|| get(home, &url, &[("AWS_CA_BUNDLE", ca)], &[]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("\"Username\": \"alice\""), "{}", r.stdout);

    // The profile's ca_bundle: the named profile's, and the default profile's.
    let aws_config = home.join("aws-config");
    std::fs::write(
        &aws_config,
        format!("[profile corp]\nca_bundle = {ca}\n\n[default]\nca_bundle = {ca}\n"),
    )
    .unwrap();
    let credentials = home.join("aws-credentials");
    std::fs::write(
        &credentials,
        "[corp]\naws_access_key_id = AKIACORP\naws_secret_access_key = corp\n",
    )
    .unwrap();
    let files = [
        ("AWS_CONFIG_FILE", aws_config.to_str().unwrap()),
        ("AWS_SHARED_CREDENTIALS_FILE", credentials.to_str().unwrap()),
    ];
    for extra in [&["--profile", "corp"][..], &[]] {
        let r = tokio::task::block_in_place(|| get(home, &url, &files, extra));
        assert_eq!(r.code, 0, "{extra:?}: {}", r.stderr);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_bundle_is_added_to_the_system_roots_not_instead_of_them() {
    // The terminator's CA stands for a public one: the "system roots" are SSL_CERT_FILE,
    // which rustls-native-certs reads. AWS_CA_BUNDLE names another CA.
    let net = network().await;
    let other = PrivateCa::new(net.home.path(), "other");
    let (home, url) = (net.home.path(), net.terminator.url());
    let system = [("SSL_CERT_FILE", net.ca.ca.to_str().unwrap())];
    let r = tokio::task::block_in_place(|| get(home, &url, &system, &[]));
    assert_eq!(r.code, 0, "the system roots alone: {}", r.stderr);
    let both = [system[0], ("AWS_CA_BUNDLE", other.ca.to_str().unwrap())];
    let r = tokio::task::block_in_place(|| get(home, &url, &both, &[]));
    assert_eq!(
        r.code, 0,
        "the bundle replaced the system roots: {}",
        r.stderr
    );
    // The control: the other CA alone does not vouch for this certificate.
    let r = tokio::task::block_in_place(|| get(home, &url, &both[1..], &[]));
    assert_eq!(r.code, 10, "{}", r.stderr);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_go_through_the_proxy_unless_no_proxy_says_not() {
    let net = network().await;
    let Some(proxy) = Tinyproxy::start(net.home.path()) else {
        return;
    };
    let (home, url) = (net.home.path(), net.terminator.url());
    let ca = net.ca.ca.to_str().unwrap();
    let connect = format!("CONNECT {}", net.terminator.addr);
    for variable in ["HTTPS_PROXY", "https_proxy"] {
        let before = proxy.connects().len();
        let env = [("AWS_CA_BUNDLE", ca), (variable, proxy.url.as_str())];
        let r = tokio::task::block_in_place(|| get(home, &url, &env, &[]));
        assert_eq!(r.code, 0, "{variable}: {}", r.stderr);
        let connects = proxy.connects();
        assert_eq!(
            connects[before..],
            [connect.as_str()],
            "{variable}: tinyproxy's log"
        );
    }
    // NO_PROXY names the endpoint: straight there, nothing in the proxy's log.
    let before = proxy.connects().len();
    let env = [
        ("AWS_CA_BUNDLE", ca),
        ("HTTPS_PROXY", proxy.url.as_str()),
        ("NO_PROXY", "127.0.0.1"),
    ];
    let r = tokio::task::block_in_place(|| get(home, &url, &env, &[]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(proxy.connects().len(), before, "{:?}", proxy.connects());
}
