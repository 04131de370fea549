//! `--query` and `-o table` through the real binary, with the AWS CLI as the oracle: the same
//! user in moto, read by `aws cognito-idp admin-get-user --query EXPR --output json|text|table`
//! and by `cognito-tui get --query EXPR -o json|text|table`, must print the same thing (JSON
//! compared as values, text and tables byte for byte). The expressions avoid the dates, which
//! the AWS CLI prints in Python's format, not Cognito's. A bad expression is a usage error
//! before any request (a recording proxy sees none; the same command with a good expression,
//! the positive control, is seen).

use std::path::PathBuf;
use std::process::Command;

use crate::common::emulator::{Emulator, Kind};
use crate::common::proxy::RecordingProxy;
use crate::common::{cli, seed, skip};

/// The AWS CLI: `COGNITO_TUI_AWS_CLI`, else `aws` beside moto in the CI venv (`.ci/requirements.txt`
/// installs both); `None` after [`skip`] when neither is there.
fn aws_cli() -> Option<PathBuf> {
    let beside_moto = std::env::var_os("MOTO_SERVER")
        .map(PathBuf::from)
        .and_then(|m| m.parent().map(|d| d.join("aws")));
    let found = std::env::var_os("COGNITO_TUI_AWS_CLI")
        .map(PathBuf::from)
        .or(beside_moto)
        .filter(|p| p.is_file());
    if found.is_none() {
        skip("the AWS CLI is not installed (awscli in .ci/requirements.txt, beside moto_server)");
    }
    found
}

/// Runs the AWS CLI against the emulator at `url`, in a clean environment (no profile, no
/// colour, not a terminal: tables are drawn 80 wide, as ours are when not on a terminal).
fn aws(aws: &PathBuf, url: &str, args: &[&str]) -> cli::Run {
    let home = tempfile::tempdir().unwrap();
    let mut c = Command::new(aws);
    c.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home.path())
        .env("AWS_ACCESS_KEY_ID", "test")
        .env("AWS_SECRET_ACCESS_KEY", "test")
        .env("AWS_DEFAULT_REGION", "us-east-1")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_CONFIG_FILE", home.path().join("none"))
        .env("AWS_SHARED_CREDENTIALS_FILE", home.path().join("none"))
        .args(["--endpoint-url", url, "--color", "off", "cognito-idp"])
        .args(args);
    cli::run(c)
}

/// The expressions both sides evaluate: field picks, projections over the attributes,
/// filters, functions, slices, multiselect lists and hashes, null, booleans, numbers.
const EXPRESSIONS: [&str; 16] = [
    "Username",
    "UserStatus",
    "UserAttributes[?Name=='email'].Value | [0]",
    "UserAttributes[].Name",
    "UserAttributes[?starts_with(Name, 'given')].{N: Name, V: Value}",
    "{User: Username, Enabled: Enabled, Status: UserStatus}",
    "[Username, UserStatus, Enabled]",
    "length(UserAttributes)",
    "sort_by(UserAttributes, &Name)[0:3].Name",
    "UserAttributes[?Name=='nickname'].Value | [0]",
    "max_by(UserAttributes, &Name).Value",
    "UserAttributes[?contains(Value, '@')]",
    "{A: UserAttributes[?Name=='name'] | [0], N: Username, L: UserAttributes[].Name}",
    "join(', ', sort(UserAttributes[].Name))",
    "Enabled && UserStatus == 'FORCE_CHANGE_PASSWORD'",
    "UserAttributes[?Name=='family_name' || Name=='given_name'][Name, Value]",
];

/// Expressions drawn as tables by both: sections, nested sections, lists of rows, a table
/// that turns vertical at 80 columns.
const TABLES: [&str; 5] = [
    "UserAttributes",
    "{User: Username, Attrs: UserAttributes}",
    "[Username, UserStatus]",
    "{User: Username, Status: UserStatus, Enabled: Enabled, Email: UserAttributes[?Name=='email'].Value | [0], Name: UserAttributes[?Name=='name'].Value | [0]}",
    "UserAttributes[].[Name, Value]",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn query_output_is_the_aws_clis_for_the_same_user() {
    let Some(aws_path) = aws_cli() else {
        return;
    };
    let Some(moto) = Emulator::start(Kind::Moto) else {
        return;
    };
    let client = seed::client(&moto.url());
    let pool = seed::create_pool(&client, "query").await;
    let attributes = [
        ("email", "qalice@example.com"),
        ("name", "Alice Query"),
        ("given_name", "Alice"),
        ("family_name", "Query"),
        ("locale", "en-GB"),
    ];
    seed::create_user(&client, &pool, "qalice", &attributes).await;
    let url = moto.url();
    cli::blocking(move || compare_every_expression(&aws_path, &pool, &url)).await;
}

fn compare_every_expression(aws_path: &PathBuf, pool: &str, url: &str) {
    let target = cli::target(pool, url);
    let theirs = |expr: &str, output: &str| {
        let args = [
            "admin-get-user",
            "--user-pool-id",
            pool,
            "--username",
            "qalice",
            "--query",
            expr,
            "--output",
            output,
        ];
        let run = aws(aws_path, url, &args);
        assert_eq!(run.code, 0, "aws --query {expr}: {}", run.stderr);
        run.stdout
    };
    let ours = |expr: &str, output: &str| {
        let args = [
            &["get", "qalice", "--query", expr, "-o", output][..],
            &target,
        ]
        .concat();
        let run = cli::run_args(&args);
        assert_eq!(run.code, 0, "get --query {expr}: {}", run.stderr);
        run.stdout
    };
    let jobs: Vec<(&str, &str)> = (EXPRESSIONS.iter())
        .flat_map(|e| [(*e, "json"), (*e, "text")])
        .chain(TABLES.iter().map(|e| (*e, "table")))
        .collect();
    // Each AWS CLI run is a Python start-up (about 2 s of CPU): run them four at a time.
    let answers = in_parallel(&jobs, 4, |(expr, output)| {
        (theirs(expr, output), ours(expr, output))
    });
    let mut compared = 0;
    for ((expr, output), (want, got)) in jobs.iter().zip(&answers) {
        if *output == "json" {
            let parse = |s: &str| serde_json::from_str::<serde_json::Value>(s).expect(expr);
            assert_eq!(parse(got), parse(want), "-o json --query {expr}");
        } else {
            assert_eq!(
                got, want,
                "-o {output} --query {expr}\nours:\n{got}\ntheirs:\n{want}"
            );
        }
        compared += 1;
    }
    assert_eq!(compared, 2 * EXPRESSIONS.len() + TABLES.len());
}

/// `f` over `items` on `workers` threads; the answers in the items' order.
fn in_parallel<T: Sync, R: Send>(
    items: &[T],
    workers: usize,
    f: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let done = std::sync::Mutex::new(Vec::with_capacity(items.len()));
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    let Some(item) = items.get(i) else { break };
                    let answer = f(item);
                    done.lock().unwrap().push((i, answer));
                }
            });
        }
    });
    let mut done = done.into_inner().unwrap();
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, answer)| answer).collect()
}

/// Two users in a fresh moto pool; the emulator, the pool id and its URL.
async fn two_users() -> Option<(Emulator, String, String)> {
    let moto = Emulator::start(Kind::Moto)?;
    let client = seed::client(&moto.url());
    let pool = seed::create_pool(&client, "query-stream").await;
    for (name, email) in [
        ("qalice", "qalice@example.com"),
        ("qbob", "qbob@example.com"),
    ] {
        seed::create_user(&client, &pool, name, &[("email", email)]).await;
    }
    let url = moto.url();
    Some((moto, pool, url))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn query_applies_to_every_command_and_to_each_line_of_a_stream() {
    let Some(aws_path) = aws_cli() else {
        return;
    };
    let Some((_moto, pool, url)) = two_users().await else {
        return;
    };
    cli::blocking(move || every_command(&aws_path, &pool, &url)).await;
}

fn every_command(aws_path: &PathBuf, pool: &str, url: &str) {
    let target = cli::target(pool, url);
    let run = |args: &[&str]| cli::run_args(&[args, &target].concat());
    // The oracle: the pool's usernames as ListUsers gives them to the AWS CLI.
    let listed = aws(aws_path, url, &["list-users", "--user-pool-id", pool]);
    let listed: serde_json::Value = serde_json::from_str(&listed.stdout).expect("list-users");
    let mut usernames: Vec<String> = (listed["Users"].as_array().expect("Users").iter())
        .map(|u| u["Username"].as_str().unwrap().to_string())
        .collect();
    usernames.sort();
    assert_eq!(usernames, ["qalice", "qbob"], "the oracle's own control");

    let exported = run(&["export", "--query", "Username", "--streams", "1"]);
    assert_eq!(exported.code, 0, "{}", exported.stderr);
    let mut lines: Vec<String> = cli::json_lines(&exported.stdout)
        .iter()
        .map(|v| v.as_str().expect("a string per line").to_string())
        .collect();
    lines.sort();
    assert_eq!(lines, usernames, "export: the query on each line");

    let batch = ["get", "-", "--query", "User.Username", "-o", "text"];
    let got = cli::run_with_stdin(&[&batch[..], &target].concat(), "qbob\nqalice\nnobody\n");
    assert_eq!(got.code, 3, "one not found: {}", got.stderr);
    assert_eq!(
        got.stdout, "qbob\nqalice\nNone\n",
        "get -: per line, None for null"
    );

    let searched = run(&["search", "qa", "--query", "[].Username", "-o", "json"]);
    assert_eq!(searched.code, 0, "{}", searched.stderr);
    let searched: serde_json::Value = serde_json::from_str(&searched.stdout).unwrap();
    assert_eq!(searched, serde_json::json!(["qalice"]));

    let diagnosed = run(&[
        "diagnose",
        "qbob",
        "--query",
        "[Username, PoolId]",
        "-o",
        "text",
    ]);
    assert_eq!(diagnosed.code, 0, "{}", diagnosed.stderr);
    assert_eq!(diagnosed.stdout, format!("qbob\t{pool}\n"));

    let args = ["diagnose", "-", "--query", "Username", "-o", "json"];
    let diagnosed = cli::run_with_stdin(&[&args[..], &target].concat(), "qalice\nqbob\n");
    assert_eq!(
        diagnosed.stdout, "\"qalice\"\n\"qbob\"\n",
        "{}",
        diagnosed.stderr
    );

    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    let pools = format!(
        "[pools.one]\npool_id = \"{pool}\"\nregion = \"us-east-1\"\nendpoint_url = \"{url}\"\n"
    );
    std::fs::write(&config, pools).unwrap();
    let config = config.to_str().unwrap();
    let args = ["--config", config, "get", "--all-pools", "qalice"];
    let all = cli::run_args(
        &[
            &args[..],
            &["--query", "[Pool, User.Username]", "-o", "text"],
        ]
        .concat(),
    );
    assert_eq!(all.code, 0, "{}", all.stderr);
    assert_eq!(all.stdout, "one\tqalice\n");
}

/// The commands a bad `--query` must stop before anything is sent, each with a bad and a good
/// expression, and the stdin it reads.
fn commands() -> Vec<(Vec<&'static str>, &'static str)> {
    vec![
        (vec!["get", "qalice"], ""),
        (vec!["get", "-"], "qalice\n"),
        (vec!["search", "qa"], ""),
        (vec!["diagnose", "qalice"], ""),
        (vec!["export"], ""),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_expression_is_a_usage_error_before_any_request() {
    let Some((moto, pool, _url)) = two_users().await else {
        return;
    };
    let proxy = RecordingProxy::start(moto.addr).await;
    let url = proxy.url();
    for (command, stdin) in commands() {
        let target = cli::target(&pool, &url);
        for (expr, good) in [("UserAttributes[?Name=='email'", false), ("Username", true)] {
            let args = [&command[..], &["--query", expr, "-o", "json"], &target].concat();
            let run = cli::run_with_stdin_async(&args, stdin).await;
            let seen = proxy.take();
            if good {
                // The positive control: the same command, a good expression, is sent.
                assert_eq!(run.code, 0, "{command:?}: {}", run.stderr);
                assert!(!seen.is_empty(), "{command:?} sent nothing");
                continue;
            }
            assert_eq!(run.code, 2, "{command:?}: {}", run.stderr);
            assert!(run.stderr.contains("at column 30"), "{}", run.stderr);
            // The caret under the column: two spaces of indent, then 29 before it.
            assert!(
                run.stderr.contains(&format!("\n  {}^", " ".repeat(29))),
                "{}",
                run.stderr
            );
            assert_eq!(seen, Vec::<String>::new(), "{command:?} sent requests");
            assert_eq!(run.stdout, "");
        }
    }
}

#[test]
fn query_with_csv_is_refused() {
    for args in [
        &["--demo", "get", "alice", "--query", "Username", "-o", "csv"][..],
        &["--demo", "search", "al", "--query", "Username", "-o", "tsv"],
        &["--demo", "export", "--query", "Username", "-o", "csv"],
    ] {
        let run = cli::run_args(args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains("--query shapes json"), "{}", run.stderr);
    }
}
