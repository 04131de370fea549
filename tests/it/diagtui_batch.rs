//! `diagnose --pool P -`: queries from stdin, one JSON line per query in input order, the
//! exit code the highest among them, DescribeUserPool once for the whole batch (counted at a
//! proxy in front of moto).

use crate::common::cli;
use crate::common::emulator::{Emulator, Kind};
use crate::common::proxy::RecordingProxy;
use crate::common::seed;

#[test]
fn a_batch_prints_one_line_per_query_in_order_with_the_worst_exit_code() {
    let input = "alice\n# a comment\n\njudy@acme.example\nnobody\nsam\nbad\u{7}query\n";
    let run = cli::run_with_stdin(&["--demo", "diagnose", "-", "-o", "json"], input);
    let got = cli::json_lines(&run.stdout);
    let summary: Vec<(&str, &str)> = got
        .iter()
        .map(|l| (l["Query"].as_str().unwrap(), l["Result"].as_str().unwrap()))
        .collect();
    assert_eq!(
        summary,
        [
            ("alice", "found"),
            ("judy@acme.example", "found"),
            ("nobody", "not_found"),
            ("sam", "not_found"),
            ("bad\u{7}query", "error"),
        ],
        "{}",
        run.stdout
    );
    // Found lines carry the single report's keys.
    assert_eq!(got[0]["Username"], "alice");
    assert_eq!(got[0]["PoolId"], "us-east-1_DemoPool1");
    assert_eq!(got[0]["CanSignIn"], true);
    assert_eq!(got[1]["Username"], "judy");
    assert_eq!(got[1]["CanSignIn"], false);
    assert_eq!(got[1]["Findings"][0]["Code"], "disabled");
    assert_eq!(got[1]["Findings"][0]["Severity"], "blocker");
    assert!(got[2].get("Findings").is_none(), "{}", got[2]);
    assert_eq!(got[4]["Error"]["Code"], "Refused", "{}", got[4]);
    // The highest code wins, as with `get -`: not found (3) over a refused query (2).
    assert_eq!(run.code, 3, "{}", run.stderr);
    // The control character never reaches the terminal raw.
    assert!(!run.stdout.contains('\u{7}'), "{}", run.stdout);

    let text = cli::run_with_stdin(&["--demo", "diagnose", "-", "-o", "text"], "judy\nnobody\n");
    assert!(
        text.stdout.contains("Query    judy\nUser     judy"),
        "{}",
        text.stdout
    );
    assert!(
        text.stdout.contains("✗ blocker disabled"),
        "{}",
        text.stdout
    );
    assert!(
        text.stdout.contains("Query    nobody\nResult   not found"),
        "{}",
        text.stdout
    );
    assert_eq!(text.code, 3);

    let empty = cli::run_with_stdin(&["--demo", "diagnose", "-"], "# nothing\n\n");
    assert_eq!((empty.code, empty.stdout.as_str()), (0, ""));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_at_moto_reads_the_pool_settings_once() {
    let Some(moto) = Emulator::start(Kind::Moto) else {
        return;
    };
    let seeded = seed::seed(&seed::client(&moto.url())).await;
    let proxy = RecordingProxy::start(moto.addr).await;
    let (pool, url) = (seeded.alias_pool.clone(), proxy.url());
    let run = tokio::task::spawn_blocking(move || {
        cli::run_with_stdin(
            &[
                "diagnose",
                "-",
                "-o",
                "json",
                "--pool",
                &pool,
                "--endpoint-url",
                &url,
                "--region",
                seed::REGION,
            ],
            "alice\nbob\nnobody\nzoë.müller\n",
        )
    })
    .await
    .unwrap();
    let got = cli::json_lines(&run.stdout);
    let results: Vec<&str> = got.iter().map(|l| l["Result"].as_str().unwrap()).collect();
    assert_eq!(
        results,
        ["found", "found", "not_found", "found"],
        "{}",
        run.stderr
    );
    assert_eq!(run.code, 3);
    let seen = proxy.seen();
    let count = |op: &str| seen.iter().filter(|o| *o == op).count();
    assert_eq!(count("DescribeUserPool"), 1, "{seen:?}");
    // moto's pools have no threat protection: no sign-in history is asked for.
    assert_eq!(count("AdminListUserAuthEvents"), 0, "{seen:?}");
    assert!(
        got.iter()
            .filter(|l| l["Result"] == "found")
            .all(|l| l["Findings"]
                .as_array()
                .unwrap()
                .iter()
                .any(|f| f["Code"] == "no_sign_in_history")),
        "{}",
        run.stdout
    );
}
