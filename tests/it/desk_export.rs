//! `export` through the real binary: a 10,000-user moto pool exported exactly once each over
//! the 16 `sub ^=` shards, `--status`/`--enabled` filtered by the emulator (ListUsers counted
//! at a recording proxy), and an export interrupted with SIGINT then resumed from the token
//! it printed; tokens that can't resume (another filter, another pool, garbage, altered) are
//! refused with their message and not one request. cognito-local ignores ListUsers paging (one page with everyone): exported
//! there as a small pool.

use crate::common::cli::{self, Run};
use crate::common::emulator::{BulkUser, Emulator, Kind};
use crate::common::proxy::RecordingProxy;
use crate::common::seed;

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read};
use std::process::Stdio;
use std::time::Instant;

use serde_json::Value;

const USERS: usize = 10_000;
const CONFIRMED: usize = 100;
const DISABLED: usize = 7;

/// A pool of `USERS` users, created in bulk through the moto launcher; the first `CONFIRMED`
/// get a permanent password (CONFIRMED), and the last `DISABLED` of those are disabled; the
/// rest stay FORCE_CHANGE_PASSWORD.
async fn seed_pool(moto: &Emulator) -> String {
    let client = seed::client(&moto.url());
    let pool = seed::create_pool(&client, "export").await;
    let started = Instant::now();
    let users: Vec<BulkUser> = (0..USERS)
        .map(|i| BulkUser {
            username: format!("user{i:05}"),
            attributes: vec![("email".into(), format!("u{i:05}@example.com"))],
            password: (i < CONFIRMED).then(|| "Perm-Passw0rd!".to_string()),
            disabled: (CONFIRMED - DISABLED..CONFIRMED).contains(&i),
        })
        .collect();
    moto.create_users(&pool, &users);
    eprintln!(
        "seeded {USERS} users in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    pool
}

fn config(dir: &std::path::Path, user_list: u32) -> String {
    let path = dir.join(format!("config-{user_list}.toml"));
    std::fs::write(&path, format!("[rate_limits]\nuser_list = {user_list}\n")).unwrap();
    path.to_str().unwrap().to_string()
}

fn args<'a>(config: &'a str, pool: &'a str, url: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    [
        &["--config", config, "export"][..],
        &cli::target(pool, url),
        extra,
    ]
    .concat()
}

/// Usernames of JSON lines, counted.
fn counted(stdout: &str) -> HashMap<String, usize> {
    let mut seen = HashMap::new();
    for line in stdout.lines() {
        let v: Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("not a JSON line ({e}): {line}"));
        *seen
            .entry(v["Username"].as_str().unwrap().to_string())
            .or_insert(0) += 1;
    }
    seen
}

fn exactly_once(seen: &HashMap<String, usize>, expected: usize) {
    let twice: Vec<_> = seen.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "exported more than once: {twice:?}");
    assert_eq!(seen.len(), expected, "distinct users exported");
}

/// Runs the binary, sends SIGINT after `after` lines of stdout, and returns what it printed.
pub fn interrupted(args: &[&str], after: usize) -> Run {
    let home = tempfile::tempdir().expect("home");
    let mut command = cli::command(home.path());
    command
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let started = Instant::now();
    let mut child = command.spawn().expect("spawn");
    let mut stderr = child.stderr.take().unwrap();
    let err_reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stderr.read_to_string(&mut s);
        s
    });
    let mut stdout = String::new();
    let mut signalled = false;
    for line in BufReader::new(child.stdout.take().unwrap()).lines() {
        stdout.push_str(&line.unwrap());
        stdout.push('\n');
        if !signalled && stdout.lines().count() >= after {
            let status = std::process::Command::new("kill")
                .args(["-INT", &child.id().to_string()])
                .status()
                .expect("kill -INT");
            assert!(status.success());
            signalled = true;
        }
    }
    let status = child.wait().unwrap();
    Run {
        code: status.code().unwrap_or(-1),
        stdout,
        stderr: err_reader.join().unwrap(),
        elapsed: started.elapsed(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn moto_export_10k_exactly_once_server_side_filters_and_resume() {
    let Some(moto) = Emulator::start(Kind::Moto) else {
        return;
    };
    let pool = seed_pool(&moto).await;
    let dir = tempfile::tempdir().unwrap();
    let (fast, slow) = (config(dir.path(), 30), config(dir.path(), 10));
    // Three independent runs, each with its own proxy to count at, side by side: each is
    // bound by its own limiter, not by the others.
    let ((), (), token) = tokio::join!(
        whole_pool_over_16_shards(&moto, &pool, &fast),
        status_and_enabled_filters(&moto, &pool, &fast),
        interrupted_then_resumed(&moto, &pool, &fast, &slow),
    );
    tokens_that_cant_resume_send_nothing(&moto, &pool, &fast, &token).await;
}

/// A real unfiltered token resumed with `--status`, the same token on another pool, garbage,
/// and the token with one character changed: each refused with its message, exit 2, and not
/// one request at the proxy; the real token as printed is sent (the positive control).
async fn tokens_that_cant_resume_send_nothing(
    moto: &Emulator,
    pool: &str,
    config: &str,
    token: &str,
) {
    let other = seed::create_pool(&seed::client(&moto.url()), "export-other").await;
    let proxy = RecordingProxy::start(moto.addr).await;
    let mut altered: Vec<char> = token.chars().collect();
    let middle = altered.len() / 2;
    altered[middle] = if altered[middle] == 'A' { 'B' } else { 'A' };
    let altered: String = altered.into_iter().collect();
    let cases: [(&str, &[&str], &str); 4] = [
        (
            pool,
            &["--status", "CONFIRMED", "--starting-token", token],
            "filtered by nothing, not cognito:user_status",
        ),
        (
            &other,
            &["--starting-token", token],
            "comes from an export of pool",
        ),
        (
            pool,
            &["--starting-token", "garbage"],
            "is not a token an export printed",
        ),
        (
            pool,
            &["--starting-token", &altered],
            "has been altered or cut short",
        ),
    ];
    for (on, extra, message) in cases {
        let (config, on, url) = (config.to_string(), on.to_string(), proxy.url());
        let extra: Vec<String> = extra.iter().map(|s| s.to_string()).collect();
        let r = cli::blocking(move || {
            let extra: Vec<&str> = extra.iter().map(String::as_str).collect();
            cli::run_args(&args(&config, &on, &url, &extra))
        })
        .await;
        assert_eq!(r.code, 2, "{message}: {}", r.stderr);
        assert!(r.stderr.contains(message), "{message}: {}", r.stderr);
        assert_eq!(r.stdout, "");
        let sent = proxy.take();
        assert!(sent.is_empty(), "{message}: sent {sent:?}");
    }
    let (config, pool, url, token) = (
        config.to_string(),
        pool.to_string(),
        proxy.url(),
        token.to_string(),
    );
    let r = cli::blocking(move || {
        cli::run_args(&args(&config, &pool, &url, &["--starting-token", &token]))
    })
    .await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        proxy.take().iter().any(|op| op == "ListUsers"),
        "the real token is sent"
    );
}

/// The whole pool over 16 shards: every user once, each shard's pages counted.
async fn whole_pool_over_16_shards(moto: &Emulator, pool: &str, config: &str) {
    let proxy = RecordingProxy::start(moto.addr).await;
    let (config, pool, url) = (config.to_string(), pool.to_string(), proxy.url());
    let all = cli::blocking(move || cli::run_args(&args(&config, &pool, &url, &[]))).await;
    assert_eq!(all.code, 0, "{}", all.stderr);
    let seen = counted(&all.stdout);
    exactly_once(&seen, USERS);
    let ops = proxy.take();
    let lists = ops.iter().filter(|o| *o == "ListUsers").count();
    // Each shard reads ceil(n / 60) pages (one more when it ends on a full page).
    let mut per_shard: HashMap<char, usize> = HashMap::new();
    for line in all.stdout.lines() {
        let v: Value = serde_json::from_str(line).unwrap();
        let sub = v["Attributes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["Name"] == "sub")
            .and_then(|a| a["Value"].as_str())
            .unwrap()
            .to_string();
        *per_shard.entry(sub.chars().next().unwrap()).or_insert(0) += 1;
    }
    assert_eq!(per_shard.len(), 16, "every hex digit starts some sub");
    let pages: usize = per_shard.values().map(|n| n.div_ceil(60)).sum();
    assert!(
        (pages..=pages + 16).contains(&lists),
        "{lists} ListUsers for {pages} pages"
    );
    assert_eq!(ops.iter().filter(|o| *o == "DescribeUserPool").count(), 1);
    assert!(
        all.stderr.contains("exported 10000 users"),
        "{}",
        all.stderr
    );
    eprintln!(
        "export of {USERS}: {lists} ListUsers in {:.1} s",
        all.elapsed.as_secs_f64()
    );
}

/// `--status` is Cognito's filter (100 users, two pages, two ListUsers), `--enabled` too
/// (one page); with both, Cognito takes the status and the enabled flag is checked here.
async fn status_and_enabled_filters(moto: &Emulator, pool: &str, config: &str) {
    let proxy = RecordingProxy::start(moto.addr).await;
    let (config, pool, url) = (config.to_string(), pool.to_string(), proxy.url());
    let ((confirmed, ops), (disabled, ops2), (both, ops3)) = cli::blocking(move || {
        let run = |extra: &[&str]| {
            let run = cli::run_args(&args(&config, &pool, &url, extra));
            (run, proxy.take())
        };
        (
            run(&["--status", "CONFIRMED", "-o", "csv"]),
            run(&["--enabled", "false"]),
            run(&["--status", "CONFIRMED", "--enabled", "false"]),
        )
    })
    .await;
    assert_eq!(confirmed.code, 0, "{}", confirmed.stderr);
    let rows: Vec<csv::StringRecord> = csv::Reader::from_reader(confirmed.stdout.as_bytes())
        .records()
        .map(Result::unwrap)
        .collect();
    assert_eq!(rows.len(), CONFIRMED);
    assert!(rows.iter().all(|r| &r[2] == "CONFIRMED"));
    assert_eq!(
        ops.iter().filter(|o| *o == "ListUsers").count(),
        CONFIRMED.div_ceil(60),
        "server-side: {ops:?}"
    );
    assert_eq!(disabled.code, 0, "{}", disabled.stderr);
    exactly_once(&counted(&disabled.stdout), DISABLED);
    assert_eq!(
        ops2.iter().filter(|o| *o == "ListUsers").count(),
        1,
        "{ops2:?}"
    );
    // Two filters: Cognito takes the status, the enabled flag is checked here, and it says so.
    assert_eq!(both.code, 0, "{}", both.stderr);
    exactly_once(&counted(&both.stdout), DISABLED);
    assert!(
        both.stderr.contains("ListUsers takes one filter"),
        "{}",
        both.stderr
    );
    let lists = ops3.iter().filter(|o| *o == "ListUsers").count();
    assert_eq!(lists, CONFIRMED.div_ceil(60), "{ops3:?}");
}

/// Interrupted: what was printed plus the resumed run is every user exactly once. Returns the
/// token the interrupted run printed.
async fn interrupted_then_resumed(moto: &Emulator, pool: &str, fast: &str, slow: &str) -> String {
    let (fast, slow, pool, url) = (
        fast.to_string(),
        slow.to_string(),
        pool.to_string(),
        moto.url(),
    );
    let (first, second, token) = cli::blocking(move || {
        let first = interrupted(&args(&slow, &pool, &url, &[]), 1500);
        let token = first
            .stderr
            .lines()
            .find_map(|l| l.strip_prefix("resume with: --starting-token "))
            .unwrap_or_else(|| panic!("no resume token: {}", first.stderr))
            .to_string();
        let second = cli::run_args(&args(&fast, &pool, &url, &["--starting-token", &token]));
        (first, second, token)
    })
    .await;
    assert_eq!(first.code, 130, "{}", first.stderr);
    assert!(first.stderr.contains("interrupted"), "{}", first.stderr);
    let printed = first.stdout.lines().count();
    assert!((1500..USERS).contains(&printed), "stopped early: {printed}");
    assert_eq!(second.code, 0, "{}", second.stderr);
    let mut seen = counted(&first.stdout);
    for (user, n) in counted(&second.stdout) {
        *seen.entry(user).or_insert(0) += n;
    }
    exactly_once(&seen, USERS);
    token
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cognito_local_export_small_pool_exactly_once() {
    let Some(local) = Emulator::start(Kind::CognitoLocal) else {
        return;
    };
    let seeded = seed::seed(&seed::client(&local.url())).await;
    let url = local.url();
    let pool = seeded.alias_pool.clone();
    let r = tokio::task::spawn_blocking(move || {
        cli::run_args(&[&["export"][..], &cli::target(&pool, &url)].concat())
    })
    .await
    .unwrap();
    assert_eq!(r.code, 0, "{}", r.stderr);
    // Gap: cognito-local ignores Limit and PaginationToken, so each shard is one page.
    exactly_once(&counted(&r.stdout), 7);
}
