//! Faults no emulator produces, from a raw loopback stub: a connection dropped mid-response,
//! a truncated body, an unexpected but valid JSON shape, and a very large answer. Each ends
//! with the documented exit code and a clear message within a bounded time.

use crate::common::cli;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::time::Duration;

/// Serves every connection with `respond(request_number)` raw bytes, then closes it.
fn raw_stub(
    respond: impl Fn(usize) -> Vec<u8> + Send + 'static,
) -> (String, std::thread::JoinHandle<usize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    listener.set_nonblocking(false).unwrap();
    let handle = std::thread::spawn(move || {
        let mut served = 0;
        // Stop after a quiet spell: the binary has exited by then.
        listener.set_nonblocking(true).unwrap();
        let mut idle = std::time::Instant::now();
        while idle.elapsed() < Duration::from_secs(3) {
            match listener.accept() {
                Ok((mut stream, _)) => {
                    stream.set_nonblocking(false).unwrap();
                    stream
                        .set_read_timeout(Some(Duration::from_secs(2)))
                        .unwrap();
                    let mut buf = vec![0u8; 65536];
                    let _ = stream.read(&mut buf);
                    let _ = stream.write_all(&respond(served));
                    served += 1;
                    idle = std::time::Instant::now();
                }
                Err(_) => std::thread::sleep(Duration::from_millis(10)),
            }
        }
        served
    });
    (url, handle)
}

fn get(url: &str, extra: &[&str]) -> cli::Run {
    cli::get_alice(url, extra)
}

fn http_200(body: &str) -> Vec<u8> {
    format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/x-amz-json-1.1\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

#[test]
fn connection_dropped_mid_response_is_a_network_failure() {
    let (url, stub) = raw_stub(|_| {
        b"HTTP/1.1 200 OK\r\ncontent-type: application/x-amz-json-1.1\r\ncontent-length: 400\r\n\r\n{\"Username\":\"al".to_vec()
    });
    let r = get(&url, &[]);
    assert_eq!(r.code, 7, "{}", r.stderr);
    assert!(r.stderr.contains("AdminGetUser failed"), "{}", r.stderr);
    assert!(r.elapsed < Duration::from_secs(15), "{:?}", r.elapsed);
    assert!(stub.join().unwrap() >= 1);
}

#[test]
fn a_truncated_json_body_is_reported_not_trusted() {
    let (url, _stub) =
        raw_stub(|_| http_200("{\"Username\":\"alice\",\"UserAttributes\":[{\"Name\""));
    let r = get(&url, &[]);
    assert_eq!(r.code, 7, "{}", r.stderr);
    assert!(r.stderr.contains("not a Cognito response"), "{}", r.stderr);
}

#[test]
fn unexpected_but_valid_json_is_handled() {
    // Extra fields are ignored; a wrong type is an error, not a panic.
    let (url, _stub) = raw_stub(|_| {
        http_200(
            r#"{"Username":"alice","Enabled":true,"Surprise":{"nested":[1,2,3]},"UserAttributes":[]}"#,
        )
    });
    let r = get(&url, &["-o", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("\"Username\": \"alice\""));

    let (url, _stub) = raw_stub(|_| http_200(r#"{"Username":42,"Enabled":"yes"}"#));
    let r = get(&url, &[]);
    assert_eq!(r.code, 7, "{}", r.stderr);
    assert!(r.stderr.contains("not a Cognito response"), "{}", r.stderr);
}

#[test]
fn a_very_large_answer_is_printed_safely_and_quickly() {
    // 2,000 attributes of 1 KiB each, full of escape sequences: about 2 MiB of JSON.
    let value = "\\u001b[2J".repeat(100) + &"x".repeat(400);
    let attributes: Vec<String> = (0..2000)
        .map(|i| format!(r#"{{"Name":"custom:a{i}","Value":"{value}"}}"#))
        .collect();
    let body = format!(
        r#"{{"Username":"alice","Enabled":true,"UserStatus":"CONFIRMED","UserAttributes":[{}]}}"#,
        attributes.join(",")
    );
    let (url, _stub) = raw_stub(move |_| http_200(&body));
    let r = get(&url, &["-o", "text"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout.matches("custom:a").count(), 2000);
    assert!(!r.stdout.contains('\u{1b}'));
    assert!(r.elapsed < Duration::from_secs(10), "{:?}", r.elapsed);
}
