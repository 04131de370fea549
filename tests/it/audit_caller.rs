//! Who the credentials are, in the audit (issue 23, item 4): a one-shot run's start line
//! carries `caller`, STS GetCallerIdentity's ARN — asked once per run, of moto's STS here —
//! and an endpoint override without `AWS_ENDPOINT_URL_STS` never sends STS anywhere else.

use crate::common::emulator::{Emulator, Kind};
use crate::common::{cli, seed};

fn lines(path: &std::path::Path) -> Vec<serde_json::Value> {
    cli::json_lines(&std::fs::read_to_string(path).unwrap_or_default())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_start_line_names_the_caller_as_sts_says_and_only_the_start_line() {
    let Some(moto) = Emulator::start(Kind::Moto) else {
        return;
    };
    let pool = seed::pool_with_user(&seed::client(&moto.url()), "callers", "alice").await;
    let home = tempfile::tempdir().unwrap();
    let audit = home.path().join("audit.jsonl");
    let url = moto.url();
    let run_with_sts = |sts: Option<&str>| {
        let mut command = cli::command(home.path());
        if let Some(sts) = sts {
            command.env("AWS_ENDPOINT_URL_STS", sts);
        }
        command
            .args(["get", "alice"])
            .args(cli::target(&pool, &url));
        command.arg("--audit-log").arg(&audit);
        tokio::task::block_in_place(|| cli::run(command))
    };
    let run = run_with_sts(Some(&url));
    assert_eq!(run.code, 0, "{}", run.stderr);
    let written = lines(&audit);
    assert_eq!(written.len(), 2, "{written:#?}");
    // moto answers GetCallerIdentity for keys it never issued with its default user.
    assert_eq!(written[0]["phase"], "start");
    assert_eq!(written[0]["caller"], "arn:aws:sts::123456789012:user/moto");
    assert!(written[1].get("caller").is_none(), "{}", written[1]);
    // An endpoint override without one for STS: nothing is asked (and nothing goes to AWS).
    let run = run_with_sts(None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let written = lines(&audit);
    assert_eq!(written[2]["phase"], "start");
    assert!(written[2].get("caller").is_none(), "{}", written[2]);
}

#[test]
fn the_demo_pool_asks_nobody() {
    let home = tempfile::tempdir().unwrap();
    let audit = home.path().join("audit.jsonl");
    let mut command = cli::command(home.path());
    command
        .args(["--demo", "get", "alice", "--audit-log"])
        .arg(&audit);
    let run = cli::run(command);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let written = lines(&audit);
    assert_eq!(written[0]["phase"], "start");
    assert!(written[0].get("caller").is_none(), "{}", written[0]);
}

/// The TUI on `pool` at moto with `--audit-log`, `AWS_ENDPOINT_URL_STS` at moto when `sts`:
/// looks alice up and quits; the audit's lines.
fn tui_session(moto: &str, pool: &str, sts: bool) -> Vec<serde_json::Value> {
    let home = tempfile::tempdir().unwrap();
    let audit = home.path().join("audit.jsonl");
    let mut env = crate::common::tmux::TUI_ENV.to_vec();
    if sts {
        env.push(("AWS_ENDPOINT_URL_STS", moto));
    }
    let mut args = cli::target(pool, moto).to_vec();
    args.extend(["--audit-log", audit.to_str().unwrap()]);
    let t =
        crate::common::tmux::Tmux::spawn(env!("CARGO_BIN_EXE_cognito-tui"), &args, &env, 100, 30);
    t.wait_for("No user loaded");
    t.type_text("/");
    t.type_text("alice");
    t.keys(&["Enter"]);
    t.wait_for("Username alice");
    t.type_text("q");
    assert_eq!(t.wait_exit().0, 0);
    lines(&audit)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tui_connection_records_the_caller_once_in_its_start_line() {
    let Some(moto) = Emulator::start(Kind::Moto) else {
        return;
    };
    let pool = seed::pool_with_user(&seed::client(&moto.url()), "tui-callers", "alice").await;
    let url = moto.url();
    let written = tokio::task::block_in_place(|| tui_session(&url, &pool, true));
    let starts: Vec<&serde_json::Value> =
        (written.iter()).filter(|l| l["phase"] == "start").collect();
    assert_eq!(
        starts.len(),
        1,
        "one start line per connection: {written:#?}"
    );
    let start = starts[0];
    assert_eq!(start["action"], "tui_session", "{start}");
    assert_eq!(start["pool"], pool.as_str(), "{start}");
    assert_eq!(start["caller"], "arn:aws:sts::123456789012:user/moto");
    assert_eq!(start["credentials"], "environment", "{start}");
    let lookup = written.iter().find(|l| l["action"] == "lookup");
    let lookup = lookup.unwrap_or_else(|| panic!("the lookup's line: {written:#?}"));
    assert!(lookup.get("caller").is_none(), "{lookup}");
    // An endpoint override without one for STS: the start line, without a caller.
    let written = tokio::task::block_in_place(|| tui_session(&url, &pool, false));
    assert_eq!(written[0]["action"], "tui_session", "{written:#?}");
    assert!(written[0].get("caller").is_none(), "{}", written[0]);
}
