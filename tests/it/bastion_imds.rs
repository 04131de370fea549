//! Instance-profile credentials only, as on an EC2 bastion: a local IMDSv2 stub on loopback
//! (`AWS_EC2_METADATA_SERVICE_ENDPOINT`) hands out a session token and role credentials, and
//! `get` finds a user in moto with them. The stub refuses IMDSv1 (no token), as an instance
//! with `HttpTokens=required` does. The hop limit (1 or 2) is a property of the EC2 network
//! and can't be reproduced on loopback; what it means here is that IMDS answers at all.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

use crate::common::cli;
use crate::common::emulator::{Emulator, Kind};
use crate::common::seed;

const TOKEN: &str = "stub-imds-token";
const ROLE: &str = "bastion-role";

/// Requests the stub saw: `METHOD PATH token=yes|no`.
type Seen = Arc<Mutex<Vec<String>>>;

fn imds_stub() -> (String, Seen) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen: Seen = Arc::default();
    let log = seen.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let log = log.clone();
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                loop {
                    let mut request = String::new();
                    if reader.read_line(&mut request).unwrap_or(0) == 0 {
                        return;
                    }
                    let mut token = None;
                    let mut ttl = false;
                    loop {
                        let mut header = String::new();
                        if reader.read_line(&mut header).unwrap_or(0) == 0 {
                            return;
                        }
                        let header = header.trim_end();
                        if header.is_empty() {
                            break;
                        }
                        let (name, value) = header.split_once(':').unwrap_or((header, ""));
                        match name.to_ascii_lowercase().as_str() {
                            "x-aws-ec2-metadata-token" => token = Some(value.trim().to_string()),
                            "x-aws-ec2-metadata-token-ttl-seconds" => ttl = true,
                            _ => {}
                        }
                    }
                    let mut parts = request.split_whitespace();
                    let (method, path) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
                    let with_token = token.as_deref() == Some(TOKEN);
                    log.lock().unwrap().push(format!(
                        "{method} {path} token={}",
                        if with_token { "yes" } else { "no" }
                    ));
                    let creds_path = "/latest/meta-data/iam/security-credentials/";
                    let (status, body) = match (method, path) {
                        ("PUT", "/latest/api/token") if ttl => ("200 OK", TOKEN.to_string()),
                        ("PUT", _) => ("400 Bad Request", String::new()),
                        // IMDSv2 only: no token, no metadata.
                        (_, _) if !with_token => ("401 Unauthorized", String::new()),
                        ("GET", p) if p == creds_path => ("200 OK", ROLE.to_string()),
                        ("GET", p) if p == format!("{creds_path}{ROLE}") => (
                            "200 OK",
                            r#"{"Code":"Success","LastUpdated":"2026-01-01T00:00:00Z","Type":"AWS-HMAC","AccessKeyId":"ASIAIMDSSTUB","SecretAccessKey":"stub-secret","Token":"stub-session","Expiration":"2099-01-01T00:00:00Z"}"#
                                .to_string(),
                        ),
                        _ => ("404 Not Found", String::new()),
                    };
                    // The token's answer carries its TTL, as the real service's does.
                    let ttl_header = if path == "/latest/api/token" {
                        "x-aws-ec2-metadata-token-ttl-seconds: 21600\r\n"
                    } else {
                        ""
                    };
                    let response = format!(
                        "HTTP/1.1 {status}\r\nContent-Type: text/plain\r\n{ttl_header}Content-Length: {}\r\n\r\n{body}",
                        body.len()
                    );
                    if stream.write_all(response.as_bytes()).is_err() {
                        return;
                    }
                }
            });
        }
    });
    (url, seen)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn get_with_instance_profile_credentials_from_imdsv2() {
    let Some(moto) = Emulator::start(Kind::Moto) else {
        return;
    };
    let pool = seed::pool_with_user(&seed::client(&moto.url()), "bastion", "alice").await;

    let (imds, seen) = imds_stub();
    let home = tempfile::tempdir().unwrap();
    let run = |imds: Option<&str>| {
        let mut c = cli::command(home.path());
        c.env_remove("AWS_ACCESS_KEY_ID")
            .env_remove("AWS_SECRET_ACCESS_KEY")
            .env("AWS_REGION", "us-east-1")
            .args(["get", "--pool", &pool, "alice", "-o", "json"])
            .args(["--endpoint-url", &moto.url()]);
        if let Some(imds) = imds {
            c.env_remove("AWS_EC2_METADATA_DISABLED")
                .env("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds);
        }
        cli::run(c)
    };
    let r = tokio::task::block_in_place(|| run(Some(&imds)));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("\"Username\": \"alice\""), "{}", r.stdout);
    let seen = seen.lock().unwrap().clone();
    assert!(
        seen.iter().any(|s| s == "PUT /latest/api/token token=no"),
        "an IMDSv2 session token was asked for: {seen:?}"
    );
    assert!(
        seen.iter()
            .any(|s| s
                == &format!("GET /latest/meta-data/iam/security-credentials/{ROLE} token=yes")),
        "the role's credentials were read with the token: {seen:?}"
    );
    assert!(
        !seen
            .iter()
            .any(|s| s.starts_with("GET") && s.ends_with("token=no")),
        "no IMDSv1 request: {seen:?}"
    );

    // The same command with instance metadata off has no credentials at all: the user above
    // was found with the stub's.
    let r = tokio::task::block_in_place(|| run(None));
    assert_eq!(r.code, 6, "{}", r.stderr);
}
