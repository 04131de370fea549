//! Support-desk one-shots through the real binary against moto and cognito-local: batch
//! `get` from stdin and `--from`, CSV/TSV parsed back with a CSV reader, and `get
//! --all-pools` over named pools on two different emulators.

use crate::common::cli;
use crate::common::emulator::{Emulator, Kind};
use crate::common::proxy::RecordingProxy;
use crate::common::seed;

use aws_sdk_cognitoidentityprovider as cip;
use cip::types::{AttributeType, MessageActionType};

fn target<'a>(pool: &'a str, url: &'a str) -> Vec<&'a str> {
    [&cli::target(pool, url)[..], &["--max-attempts", "1"]].concat()
}

/// Found, not found, ambiguous and refused lines in input order, with the worst exit code;
/// then a batch whose every lookup fails at Cognito.
async fn batch_in_order(kind: Kind) {
    let Some(emulator) = Emulator::start(kind) else {
        return;
    };
    let seeded = seed::seed(&seed::client(&emulator.url())).await;
    let proxy = RecordingProxy::start(emulator.addr).await;
    let (url, pool) = (proxy.url(), seeded.alias_pool.clone());
    let input = "alice\n# a comment\n\n  nobody  \nshared@example.com\nbad\u{7}query\nzoë.müller\n";
    let r = tokio::task::spawn_blocking({
        let (url, pool) = (url.clone(), pool.clone());
        move || {
            let args = [&["get", "-", "-o", "json"][..], &target(&pool, &url)].concat();
            cli::run_with_stdin(&args, input)
        }
    })
    .await
    .unwrap();
    let got = cli::json_lines(&r.stdout);
    let summary: Vec<(&str, &str)> = got
        .iter()
        .map(|v| (v["Query"].as_str().unwrap(), v["Result"].as_str().unwrap()))
        .collect();
    assert_eq!(
        summary,
        [
            ("alice", "found"),
            ("nobody", "not_found"),
            ("shared@example.com", "ambiguous"),
            ("bad\u{7}query", "error"),
            ("zoë.müller", "found"),
        ],
        "{}: {}",
        kind.name(),
        r.stderr
    );
    assert_eq!(r.code, 4, "the worst result is the ambiguous one (4)");
    assert_eq!(got[0]["User"]["Username"], "alice");
    assert!(
        got[0]["User"]["UserAttributes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["Name"] == "sub")
    );
    assert!(got[1].get("User").is_none() && got[1].get("Error").is_none());
    let matches: Vec<&str> = got[2]["Matches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["Username"].as_str().unwrap())
        .collect();
    assert_eq!(matches.len(), 2);
    assert!(matches.contains(&"dup.one") && matches.contains(&"dup.two"));
    assert_eq!(got[3]["Error"]["Code"], "Refused");
    assert!(got[3].get("User").is_none());
    // Each line resolved as a single get: 1 + 2 + 2 + 0 + 1 requests.
    let ops = proxy.take();
    assert_eq!(
        ops.iter().filter(|o| *o == "AdminGetUser").count(),
        4,
        "{ops:?}"
    );
    assert_eq!(
        ops.iter().filter(|o| *o == "ListUsers").count(),
        2,
        "{ops:?}"
    );

    // Every lookup fails at Cognito: error lines with Cognito's exception, exit 5.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("queries.txt");
    std::fs::write(&file, "alice\nbob\n").unwrap();
    let r = tokio::task::spawn_blocking({
        let file = file.to_str().unwrap().to_string();
        move || {
            let missing = "us-east-1_NoSuchPool0";
            let args = [
                &["get", "--from", &file, "-o", "json"][..],
                &target(missing, &url),
            ]
            .concat();
            cli::run_with_stdin(&args, "")
        }
    })
    .await
    .unwrap();
    let got = cli::json_lines(&r.stdout);
    assert_eq!(got.len(), 2, "{}", r.stderr);
    assert_eq!(got[1]["Query"], "bob");
    assert!(got.iter().all(|v| v["Result"] == "error"));
    assert_eq!(got[0]["Error"]["Code"], "ResourceNotFoundException");
    assert_eq!(r.code, 5, "{}", r.stderr);

    // All found: exit 0.
    let url = proxy.url();
    let r = tokio::task::spawn_blocking(move || {
        let args = [&["get", "-", "-o", "json"][..], &target(&pool, &url)].concat();
        cli::run_with_stdin(&args, "alice\nbob\n")
    })
    .await
    .unwrap();
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(cli::json_lines(&r.stdout).len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn moto_batch_lines_in_order_with_the_worst_exit_code() {
    batch_in_order(Kind::Moto).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cognito_local_batch_lines_in_order_with_the_worst_exit_code() {
    batch_in_order(Kind::CognitoLocal).await;
}

/// Values a spreadsheet would run as formulas, and values CSV must quote.
const FORMULA_NAME: &str = "=HYPERLINK(\"http://evil.example\",\"click\")";
const QUOTED: &str = "Smith, \"Jr\"\nsecond line";

async fn hostile_user(client: &cip::Client, pool: &str) {
    let attr = |n: &str, v: &str| AttributeType::builder().name(n).value(v).build().unwrap();
    client
        .admin_create_user()
        .user_pool_id(pool)
        .username("formula")
        .message_action(MessageActionType::Suppress)
        .temporary_password("Temp-Passw0rd!")
        .user_attributes(attr("name", FORMULA_NAME))
        .user_attributes(attr("given_name", "+1555"))
        .user_attributes(attr("family_name", QUOTED))
        .user_attributes(attr("middle_name", "@SUM(A1)\tx"))
        .user_attributes(attr("email", "formula@example.com"))
        .send()
        .await
        .expect("AdminCreateUser formula");
}

fn csv_records(text: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.expect("valid CSV").iter().map(str::to_string).collect())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn moto_csv_and_tsv_parse_back_with_formulas_neutralised() {
    let Some(moto) = Emulator::start(Kind::Moto) else {
        return;
    };
    let client = seed::client(&moto.url());
    let seeded = seed::seed(&client).await;
    let pool = seeded.plain_pool.clone();
    hostile_user(&client, &pool).await;
    let url = moto.url();
    let attrs = "name,given_name,family_name,middle_name,email";
    // Five processes, each with its own limiter, side by side (the two exports over 16 shards
    // at the default rate are most of the time).
    let t = target(&pool, &url);
    let (get, batch, search, export, tsv) = tokio::join!(
        cli::run_args_async(
            &[
                &["get", "formula", "-o", "csv", "--attributes", attrs][..],
                &t
            ]
            .concat()
        ),
        cli::run_with_stdin_async(
            &[&["get", "-", "-o", "csv"][..], &t].concat(),
            "formula\nnobody\ncarol\n"
        ),
        cli::run_args_async(
            &[
                &["search", "form", "-o", "csv", "--attributes", attrs][..],
                &t
            ]
            .concat()
        ),
        cli::run_args_async(&[&["export", "-o", "csv", "--attributes", attrs][..], &t].concat()),
        cli::run_args_async(&[&["export", "-o", "tsv", "--attributes", attrs][..], &t].concat()),
    );

    let header: Vec<String> = [
        "Username",
        "Sub",
        "UserStatus",
        "Enabled",
        "UserCreateDate",
        "UserLastModifiedDate",
        "name",
        "given_name",
        "family_name",
        "middle_name",
        "email",
    ]
    .map(String::from)
    .to_vec();
    let expected_cells = |row: &[String]| {
        assert_eq!(row[0], "formula");
        assert_eq!(row[1].len(), 36, "a sub: {row:?}");
        assert_eq!(row[2], "FORCE_CHANGE_PASSWORD");
        assert_eq!(row[3], "true");
        assert!(row[4].ends_with('Z'), "RFC 3339 date: {row:?}");
        assert_eq!(row[6], format!("'{FORMULA_NAME}"));
        assert_eq!(row[7], "'+1555");
        // Escaped for the terminal as `sanitize` does (a newline is `\n`), quoted, not guarded.
        assert_eq!(row[8], "Smith, \"Jr\"\\nsecond line");
        assert_eq!(row[9], "'@SUM(A1)\\tx");
        assert_eq!(row[10], "formula@example.com");
    };
    for (what, run) in [("get", &get), ("search", &search)] {
        assert_eq!(run.code, 0, "{what}: {}", run.stderr);
        let records = csv_records(&run.stdout);
        assert_eq!(records[0], header, "{what}");
        assert_eq!(records.len(), 2, "{what}: {}", run.stdout);
        expected_cells(&records[1]);
    }
    assert!(get.stdout.contains("\r\n"), "RFC 4180 line ends");

    assert_eq!(export.code, 0, "{}", export.stderr);
    let records = csv_records(&export.stdout);
    assert_eq!(records[0], header);
    assert_eq!(records.len(), 3, "carol and formula: {}", export.stdout);
    let formula = records.iter().find(|r| r[0] == "formula").unwrap();
    expected_cells(formula);

    // Batch: the Query, Result and Error columns first; a not-found row says so.
    assert_eq!(batch.code, 3, "{}", batch.stderr);
    let records = csv_records(&batch.stdout);
    assert_eq!(records[0][..4], ["Query", "Result", "Error", "Username"]);
    assert_eq!(records[0].len(), 9);
    let firsts: Vec<(&str, &str, &str, &str)> = records[1..]
        .iter()
        .map(|r| (r[0].as_str(), r[1].as_str(), r[2].as_str(), r[3].as_str()))
        .collect();
    assert_eq!(
        firsts,
        [
            ("formula", "found", "", "formula"),
            ("nobody", "not_found", "", ""),
            ("carol", "found", "", "carol")
        ]
    );

    // TSV: one line per row, tabs and newlines escaped, formulas neutralised.
    assert_eq!(tsv.code, 0, "{}", tsv.stderr);
    let rows: Vec<Vec<&str>> = tsv
        .stdout
        .lines()
        .map(|l| l.split('\t').collect())
        .collect();
    assert_eq!(rows.len(), 3, "{}", tsv.stdout);
    assert!(rows.iter().all(|r| r.len() == header.len()), "{rows:?}");
    let formula = rows.iter().find(|r| r[0] == "formula").unwrap();
    assert_eq!(formula[8], "Smith, \"Jr\"\\nsecond line");
    assert_eq!(formula[9], "'@SUM(A1)\\tx");
    assert_eq!(formula[6], format!("'{FORMULA_NAME}"));
}

#[test]
fn attributes_without_csv_and_include_in_a_batch_are_refused() {
    let r = cli::run_args(&["get", "--demo", "alice", "--attributes", "email"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("-o csv"), "{}", r.stderr);
    let r = cli::run_args(&[
        "search",
        "--demo",
        "al",
        "--attributes",
        "email",
        "-o",
        "json",
    ]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("-o csv"), "{}", r.stderr);
    // No match: csv still prints its header, so a script reads an empty table.
    let r = cli::run_args(&["search", "--demo", "zzzzqq", "-o", "csv"]);
    assert_eq!(r.code, 3);
    assert!(
        r.stdout.starts_with("Username,Sub,UserStatus,"),
        "{}",
        r.stdout
    );
    let r = cli::run_with_stdin(&["get", "--demo", "-", "--include", "groups"], "alice\n");
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--include"), "{}", r.stderr);
    let r = cli::run_args(&["get", "--demo", "--all-pools", "alice"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("config file"), "{}", r.stderr);
}

/// Named pools on two different emulators: each pool brings its own endpoint, and the
/// query is looked up in all of them concurrently.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn all_pools_over_named_pools_on_two_emulators() {
    let (Some(moto), Some(local)) = (
        Emulator::start(Kind::Moto),
        Emulator::start(Kind::CognitoLocal),
    ) else {
        return;
    };
    let on_moto = seed::seed(&seed::client(&moto.url())).await;
    let on_local = seed::seed(&seed::client(&local.url())).await;
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        format!(
            "[pools.moto-aliases]\npool_id = \"{}\"\nregion = \"us-east-1\"\nendpoint_url = \"{}\"\n\n\
             [pools.moto-plain]\npool_id = \"{}\"\nregion = \"us-east-1\"\nendpoint_url = \"{}\"\n\n\
             [pools.local-plain]\npool_id = \"{}\"\nregion = \"us-east-1\"\nendpoint_url = \"{}\"\n",
            on_moto.alias_pool,
            moto.url(),
            on_moto.plain_pool,
            moto.url(),
            on_local.plain_pool,
            local.url()
        ),
    )
    .unwrap();
    // A pool whose endpoint refuses connections: its row must read as an error.
    let down = dir.path().join("down.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(
        &down,
        format!(
            "{text}\n[pools.down]\npool_id = \"us-east-1_Down1\"\nregion = \"us-east-1\"\n\
             endpoint_url = \"http://127.0.0.1:9\"\n"
        ),
    )
    .unwrap();
    let config = config.to_str().unwrap().to_string();
    let down = down.to_str().unwrap().to_string();
    let (alice, carol, nobody, some, text, csv) = tokio::task::spawn_blocking(move || {
        let run = |extra: &[&str]| {
            cli::run_args(&[&["--config", config.as_str(), "get"][..], extra].concat())
        };
        let csv = cli::run_args(&[
            "--config",
            down.as_str(),
            "--max-attempts",
            "1",
            "get",
            "--all-pools",
            "alice",
            "-o",
            "csv",
        ]);
        (
            run(&["--all-pools", "alice", "-o", "json"]),
            run(&["--all-pools", "carol", "-o", "json"]),
            run(&["--all-pools", "nobody", "-o", "json"]),
            run(&["--pools", "moto-plain,local-plain", "alice", "-o", "json"]),
            run(&["--all-pools", "carol", "-o", "text"]),
            csv,
        )
    })
    .await
    .unwrap();

    assert_eq!(alice.code, 0, "{}", alice.stderr);
    let got = cli::json_lines(&alice.stdout);
    let results: Vec<(&str, &str)> = got
        .iter()
        .map(|v| (v["Pool"].as_str().unwrap(), v["Result"].as_str().unwrap()))
        .collect();
    // The config file's order (not sorted by name), one line per pool.
    assert_eq!(
        results,
        [
            ("moto-aliases", "found"),
            ("moto-plain", "not_found"),
            ("local-plain", "not_found"),
        ]
    );
    assert_eq!(got[0]["PoolId"], on_moto.alias_pool.as_str());
    assert_eq!(got[0]["User"]["Username"], "alice");

    // carol is in a pool on each emulator: found twice.
    assert_eq!(carol.code, 0, "{}", carol.stderr);
    let found: Vec<String> = cli::json_lines(&carol.stdout)
        .iter()
        .filter(|v| v["Result"] == "found")
        .map(|v| v["Pool"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(found, ["moto-plain", "local-plain"]);

    assert_eq!(nobody.code, 3, "{}", nobody.stderr);
    assert!(
        cli::json_lines(&nobody.stdout)
            .iter()
            .all(|v| v["Result"] == "not_found")
    );

    assert_eq!(
        some.code, 3,
        "alice is in neither named pool: {}",
        some.stdout
    );
    assert_eq!(cli::json_lines(&some.stdout).len(), 2);

    assert_eq!(text.code, 0);
    assert!(text.stdout.contains("moto-plain"), "{}", text.stdout);
    assert!(text.stdout.contains("found  carol"), "{}", text.stdout);
    // Column-aligned: every line's pool id and result start in the same column.
    let starts: Vec<(usize, usize)> = text
        .stdout
        .lines()
        .map(|l| {
            // Where the field after `from` starts: past two spaces and any padding.
            let next = |from: usize| {
                let gap = from + l[from..].find("  ").expect("two spaces");
                l.len() - l[gap..].trim_start().len()
            };
            let id = next(0);
            (id, next(id))
        })
        .collect();
    assert_eq!(starts.len(), 3, "{}", text.stdout);
    assert!(starts.iter().all(|s| *s == starts[0]), "{}", text.stdout);

    // CSV: Result and Error columns, so the pool that failed is not an empty not-found row.
    assert_eq!(csv.code, 0, "found in one pool: {}", csv.stderr);
    let records = csv_records(&csv.stdout);
    assert_eq!(
        records[0][..5],
        ["Pool", "PoolId", "Result", "Error", "Username"]
    );
    let rows: Vec<(&str, &str, &str)> = records[1..]
        .iter()
        .map(|r| (r[0].as_str(), r[2].as_str(), r[4].as_str()))
        .collect();
    assert_eq!(
        rows,
        [
            ("moto-aliases", "found", "alice"),
            ("moto-plain", "not_found", ""),
            ("local-plain", "not_found", ""),
            ("down", "error", ""),
        ]
    );
    assert!(!records[4][3].is_empty(), "the error says why: {records:?}");
    assert!(records[1..4].iter().all(|r| r[3].is_empty()), "{records:?}");
}

/// Ctrl-C during a batch: the lines printed are the first queries, in order, and the exit
/// code says it was interrupted.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn moto_interrupted_batch_keeps_what_is_done() {
    let Some(moto) = Emulator::start(Kind::Moto) else {
        return;
    };
    let seeded = seed::seed(&seed::client(&moto.url())).await;
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("slow.toml");
    std::fs::write(&config, "[rate_limits]\nuser_read = 2\n").unwrap();
    let queries: String = (0..40).map(|_| "alice\nbob\n").collect();
    let file = dir.path().join("queries.txt");
    std::fs::write(&file, queries).unwrap();
    let (url, pool) = (moto.url(), seeded.alias_pool.clone());
    let r = tokio::task::spawn_blocking(move || {
        let args = [
            &[
                "--config",
                config.to_str().unwrap(),
                "get",
                "--from",
                file.to_str().unwrap(),
                "-o",
                "json",
            ][..],
            &target(&pool, &url),
        ]
        .concat();
        crate::desk_export::interrupted(&args, 3)
    })
    .await
    .unwrap();
    assert_eq!(r.code, 130, "{}", r.stderr);
    assert!(r.stderr.contains("interrupted"), "{}", r.stderr);
    let got = cli::json_lines(&r.stdout);
    assert!((3..80).contains(&got.len()), "{} lines", got.len());
    for (i, v) in got.iter().enumerate() {
        assert_eq!(v["Query"], if i % 2 == 0 { "alice" } else { "bob" });
        assert_eq!(v["Result"], "found");
    }
    assert!(
        r.stderr
            .contains(&format!("the first {} of 80 queries", got.len())),
        "{}",
        r.stderr
    );
}
