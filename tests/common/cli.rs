//! Runs the real `cognito-tui` binary with a clean, loopback-only environment.
#![allow(dead_code)]

use std::process::{Command, Output};
use std::time::{Duration, Instant};

/// The binary's output and how long it took.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    pub elapsed: Duration,
}

/// A command for the binary with no inherited AWS settings: dummy credentials, instance
/// metadata disabled, and an empty HOME so no real profile is read.
pub fn command(home: &std::path::Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_cognito-tui"));
    c.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_ACCESS_KEY_ID", "test")
        .env("AWS_SECRET_ACCESS_KEY", "test")
        .env("AWS_CONFIG_FILE", home.join("no-config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", home.join("no-credentials"));
    c
}

/// Runs `command` to completion.
pub fn run(mut command: Command) -> Run {
    let start = Instant::now();
    let Output {
        status,
        stdout,
        stderr,
    } = command.output().expect("run cognito-tui");
    Run {
        code: status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
        elapsed: start.elapsed(),
    }
}

/// `--pool POOL --endpoint-url URL --region us-east-1`: a one-shot command aimed at an
/// emulator.
pub fn target<'a>(pool: &'a str, url: &'a str) -> [&'a str; 6] {
    [
        "--pool",
        pool,
        "--endpoint-url",
        url,
        "--region",
        "us-east-1",
    ]
}

/// Runs the binary with `args` in a fresh HOME.
pub fn run_args(args: &[&str]) -> Run {
    let home = tempfile::tempdir().expect("home");
    let mut c = command(home.path());
    c.args(args);
    run(c)
}

/// Runs the binary with `args` in a clean environment, feeding `stdin` (batch input).
pub fn run_with_stdin(args: &[&str], stdin: &str) -> Run {
    use std::io::Write;
    use std::process::Stdio;
    let home = tempfile::tempdir().expect("home");
    let mut command = command(home.path());
    command
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let started = Instant::now();
    let mut child = command.spawn().expect("spawn cognito-tui");
    // A command that refuses its arguments exits without reading stdin: the write then
    // meets a closed pipe, which is the command's answer, not the test's failure.
    let written = child.stdin.take().unwrap().write_all(stdin.as_bytes());
    if let Err(e) = written {
        assert_eq!(
            e.kind(),
            std::io::ErrorKind::BrokenPipe,
            "writing stdin: {e}"
        );
    }
    let out = child.wait_with_output().expect("wait");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        elapsed: started.elapsed(),
    }
}

/// Runs `work` (which runs the binary) on a blocking thread, so several runs can go side by
/// side in an async test; its panic is the test's.
pub async fn blocking<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> T {
    match tokio::task::spawn_blocking(work).await {
        Ok(value) => value,
        Err(e) => std::panic::resume_unwind(e.into_panic()),
    }
}

/// [`run_args`] on a blocking thread (see [`blocking`]).
pub fn run_args_async(args: &[&str]) -> impl Future<Output = Run> + use<> {
    let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    blocking(move || run_args(&args.iter().map(String::as_str).collect::<Vec<_>>()))
}

/// `get --pool eu-west-1_AbC123 alice --endpoint-url URL EXTRA…`: the lookup the tests
/// against a stand-in for Cognito at `url` make.
fn get_alice_args(url: &str, extra: &[&str]) -> Vec<String> {
    let args = [
        "get",
        "--pool",
        "eu-west-1_AbC123",
        "alice",
        "--endpoint-url",
        url,
    ];
    args.iter().chain(extra).map(|a| a.to_string()).collect()
}

/// Runs `get … alice` against `url` (see [`get_alice_args`]).
pub fn get_alice(url: &str, extra: &[&str]) -> Run {
    run_args(
        &get_alice_args(url, extra)
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>(),
    )
}

/// [`get_alice`] on a blocking thread (see [`blocking`]).
pub fn get_alice_async(url: &str, extra: &[&str]) -> impl Future<Output = Run> + use<> {
    let args = get_alice_args(url, extra);
    blocking(move || run_args(&args.iter().map(String::as_str).collect::<Vec<_>>()))
}

/// [`run_with_stdin`] on a blocking thread (see [`blocking`]).
pub fn run_with_stdin_async(args: &[&str], stdin: &str) -> impl Future<Output = Run> + use<> {
    let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    let stdin = stdin.to_string();
    blocking(move || run_with_stdin(&args.iter().map(String::as_str).collect::<Vec<_>>(), &stdin))
}

/// Each line of NDJSON output, parsed (panics on a line that isn't JSON).
pub fn json_lines(stdout: &str) -> Vec<serde_json::Value> {
    stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not a JSON line ({e}): {l}")))
        .collect()
}
