//! `--where` through the real binary on moto, ListUsers counted at a recording proxy: the
//! conjunct ListUsers can serve is sent (moto filters by it, so the export reads one page
//! where the whole pool takes sixteen streams), the rest is applied locally, an expression
//! with nothing servable reads everything, and a bad expression is exit 2 with its column
//! before any request. `search --where` keeps only the hits that match.

use crate::common::cli;
use crate::common::emulator::{BulkUser, Emulator, Kind};
use crate::common::proxy::RecordingProxy;
use crate::common::seed;

const USERS: usize = 300;

/// `user000` … `user299`, each with an email and `nickname` even/odd by its number; the
/// first 20 CONFIRMED, the rest FORCE_CHANGE_PASSWORD.
async fn seed_pool(moto: &Emulator) -> String {
    let client = seed::client(&moto.url());
    let pool = seed::create_pool(&client, "where").await;
    let users: Vec<BulkUser> = (0..USERS)
        .map(|i| BulkUser {
            username: format!("user{i:03}"),
            attributes: vec![
                ("email".into(), format!("u{i:03}@example.com")),
                (
                    "nickname".into(),
                    if i % 2 == 0 { "even" } else { "odd" }.into(),
                ),
            ],
            password: (i < 20).then(|| "Perm-Passw0rd!".to_string()),
            disabled: false,
        })
        .collect();
    moto.create_users(&pool, &users);
    pool
}

fn usernames(stdout: &str) -> Vec<String> {
    let mut names: Vec<String> = cli::json_lines(stdout)
        .iter()
        .map(|v| v["Username"].as_str().unwrap().to_string())
        .collect();
    names.sort();
    names
}

async fn export(pool: &str, proxy: &RecordingProxy, extra: &[&str]) -> cli::Run {
    let url = proxy.url();
    let args = [&["export"][..], &cli::target(pool, &url), extra].concat();
    cli::run_args_async(&args).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn where_sends_one_servable_conjunct_and_applies_the_rest() {
    let Some(moto) = Emulator::start(Kind::Moto) else {
        return;
    };
    let pool = seed_pool(&moto).await;
    let proxy = RecordingProxy::start(moto.addr).await;
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("audit.jsonl");
    let log_arg = log.to_str().unwrap();

    // `username startswith user01` goes to Cognito (ten users, one page); `nickname`, which
    // ListUsers can't filter by, is checked here.
    let where_ = "nickname = even and username startswith user01";
    let run = export(&pool, &proxy, &["--where", where_, "--audit-log", log_arg]).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let expected: Vec<String> = (10..20).step_by(2).map(|i| format!("user{i:03}")).collect();
    assert_eq!(usernames(&run.stdout), expected);
    assert_eq!(
        proxy.take().iter().filter(|op| *op == "ListUsers").count(),
        1
    );
    assert!(
        run.stderr
            .contains("Cognito filters by username ^= \"user01\""),
        "{}",
        run.stderr
    );
    let audit = std::fs::read_to_string(&log).unwrap();
    assert!(audit.contains("where nickname = even and username startswith user01; ListUsers username ^= \\\"user01\\\""), "{audit}");

    // Nothing servable: the sixteen sub streams read the whole pool, every user checked here.
    let run = export(
        &pool,
        &proxy,
        &["--where", "nickname = odd and email ~ '^u0[0-4]'"],
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let expected: Vec<String> = (1..50).step_by(2).map(|i| format!("user{i:03}")).collect();
    assert_eq!(usernames(&run.stdout), expected);
    assert!(proxy.take().iter().filter(|op| *op == "ListUsers").count() >= 16);
    assert!(run.stderr.contains("(300 read)"), "{}", run.stderr);

    // UserStatus goes to Cognito as cognito:user_status; the local part narrows it further.
    let run = export(
        &pool,
        &proxy,
        &["--where", "UserStatus = confirmed and not nickname = even"],
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let expected: Vec<String> = (1..20).step_by(2).map(|i| format!("user{i:03}")).collect();
    assert_eq!(usernames(&run.stdout), expected);
    assert_eq!(
        proxy.take().iter().filter(|op| *op == "ListUsers").count(),
        1
    );

    // A bad expression: exit 2 with the column, and not one request (the runs above are
    // the positive control: the proxy sees this binary's requests).
    let run = export(&pool, &proxy, &["--where", "nickname = even and"]).await;
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("column 20"), "{}", run.stderr);
    assert_eq!(proxy.take(), Vec::<String>::new());

    // search: the prefix search's hits, only those matching.
    let url = proxy.url();
    let args = [
        &["search", "user00"][..],
        &cli::target(&pool, &url),
        &["-o", "json", "--where", "nickname = odd"],
    ]
    .concat();
    let run = cli::run_args_async(&args).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let found: Vec<String> = serde_json::from_str::<serde_json::Value>(&run.stdout)
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["Username"].as_str().unwrap().to_string())
        .collect();
    let mut found = found;
    found.sort();
    let expected: Vec<String> = (1..10).step_by(2).map(|i| format!("user{i:03}")).collect();
    assert_eq!(found, expected);
    assert!(
        run.stderr
            .contains("5 of 10 users found match --where nickname = odd"),
        "{}",
        run.stderr
    );
}
