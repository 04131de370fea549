//! The one-shot `get` command through the real binary: output shapes and every exit code.

use crate::common::cli;

use serde_json::Value;

fn json(stdout: &str) -> Value {
    serde_json::from_str(stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}"))
}

#[test]
fn json_output_has_admin_get_user_shape_in_order() {
    let r = cli::run_args(&["get", "--demo", "alice", "--output", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v = json(&r.stdout);
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    let expected = [
        "Username",
        "UserAttributes",
        "UserCreateDate",
        "UserLastModifiedDate",
        "Enabled",
        "UserStatus",
        "PreferredMfaSetting",
        "UserMFASettingList",
    ];
    // serde_json without preserve_order sorts keys, so check order on the raw text instead.
    let positions: Vec<usize> = expected
        .iter()
        .map(|k| r.stdout.find(&format!("\"{k}\"")).expect(k))
        .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{}", r.stdout);
    assert_eq!(
        keys.len(),
        expected.len(),
        "alice has no legacy MFAOptions: {keys:?}"
    );
    assert_eq!(v["Username"], "alice");
    assert_eq!(v["UserCreateDate"], "2021-06-01T08:00:00Z");
    assert_eq!(v["Enabled"], true);
    assert_eq!(v["UserStatus"], "CONFIRMED");
    assert_eq!(v["UserMFASettingList"][0], "SOFTWARE_TOKEN_MFA");
    assert_eq!(v["UserAttributes"][0]["Name"], "sub");
}

#[test]
fn json_keeps_legacy_mfa_options_and_raw_hostile_values() {
    let r = cli::run_args(&["get", "--demo", "bob", "-o", "json"]);
    assert_eq!(r.code, 0);
    let v = json(&r.stdout);
    assert_eq!(v["MFAOptions"][0]["DeliveryMedium"], "SMS");
    assert_eq!(v["MFAOptions"][0]["AttributeName"], "phone_number");

    let r = cli::run_args(&["get", "--demo", "mallory", "-o", "json"]);
    assert_eq!(r.code, 0);
    assert!(!r.stdout.contains('\u{1b}'), "raw ESC in JSON output");
    let v = json(&r.stdout);
    let name = v["UserAttributes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["Name"] == "name")
        .unwrap();
    assert_eq!(name["Value"], "Mallory \u{1b}[2J\u{1b}[Hpwned");
}

#[test]
fn text_output_escapes_control_bidi_and_zero_width_characters() {
    let r = cli::run_args(&["get", "--demo", "mallory", "-o", "text"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for c in [
        '\u{1b}', '\u{7}', '\u{202e}', '\u{200b}', '\u{9b}', '\u{7f}',
    ] {
        assert!(!r.stdout.contains(c), "{c:?} reached the terminal");
    }
    assert!(
        r.stdout.contains("Mallory \\x1b[2J\\x1b[Hpwned"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("\\u{202e}exe.txt"));
    assert!(r.stdout.contains("mal\\u{200b}lory"));
}

#[test]
fn text_output_says_how_the_user_was_found() {
    let r = cli::run_args(&["get", "--demo", "carol@acme.example", "-o", "text"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("by email, via ListUsers (3 calls)"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("UNCONFIRMED"));
    let r = cli::run_args(&["get", "--demo", "ally", "-o", "text"]);
    assert!(
        r.stdout
            .contains("by preferred_username, via AdminGetUser (1 call)"),
        "{}",
        r.stdout
    );
}

#[test]
fn usage_errors_and_refused_input_exit_2() {
    for args in [
        vec!["get", "--demo", ""],
        vec!["get", "--demo", "   "],
        vec!["get", "--demo", &"x".repeat(129)],
        vec!["get", "--pool", "not-a-pool", "alice"],
        vec!["get", "--pool", "us-east-1_has space", "alice"],
        vec!["get", "alice"],
        vec!["get", "--demo", "--by", "sub", "alice"],
        vec!["get", "--demo", "--no-such-flag", "alice"],
        vec!["get", "--demo", "--timeout", "0", "alice"],
    ] {
        let r = cli::run_args(&args);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(r.stderr.contains("error"), "{args:?}: {}", r.stderr);
        assert!(r.stdout.is_empty(), "{args:?}");
    }
}

#[test]
fn unknown_user_exits_3_naming_pool_query_and_what_was_tried() {
    let r = cli::run_args(&["get", "--demo", "nobody@acme.example"]);
    assert_eq!(r.code, 3);
    assert!(r.stderr.contains("us-east-1_DemoPool1"), "{}", r.stderr);
    assert!(r.stderr.contains("nobody@acme.example"));
    assert!(r.stderr.contains("AdminGetUser"));
    assert!(
        r.stderr
            .contains("ListUsers email = \"nobody@acme.example\""),
        "{}",
        r.stderr
    );
}

#[test]
fn ambiguous_exits_4_listing_every_match() {
    let r = cli::run_args(&["get", "--demo", "shared@acme.example", "-o", "text"]);
    assert_eq!(r.code, 4);
    assert!(r.stderr.contains("2 users match"), "{}", r.stderr);
    assert!(r.stderr.contains("sam.one") && r.stderr.contains("sam.two"));
    let r = cli::run_args(&["get", "--demo", "shared@acme.example", "-o", "json"]);
    assert_eq!(r.code, 4);
    assert_eq!(json(&r.stdout)["Users"].as_array().unwrap().len(), 2);
}

#[test]
fn unknown_pool_exits_5() {
    let r = cli::run_args(&["get", "--demo", "--pool", "eu-west-1_Missing1", "alice"]);
    assert_eq!(r.code, 5);
    assert!(
        r.stderr.contains("ResourceNotFoundException"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("eu-west-1_Missing1"));
}

#[test]
fn no_credentials_exits_6_quickly_without_probing_imds() {
    let home = tempfile::tempdir().unwrap();
    let mut c = cli::command(home.path());
    c.env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .args(["get", "--pool", "us-east-1_AbC123", "alice"])
        .args(["--endpoint-url", "http://127.0.0.1:9"]);
    let r = cli::run(c);
    assert_eq!(r.code, 6, "{}", r.stderr);
    assert!(r.stderr.contains("credentials"), "{}", r.stderr);
    assert!(r.stderr.contains("aws sso login"), "{}", r.stderr);
    assert!(r.elapsed.as_secs() < 10, "took {:?}", r.elapsed);

    let mut c = cli::command(home.path());
    c.env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .args([
            "get",
            "--pool",
            "us-east-1_AbC123",
            "alice",
            "--profile",
            "support",
        ])
        .args(["--endpoint-url", "http://127.0.0.1:9"]);
    let r = cli::run(c);
    assert_eq!(r.code, 6, "{}", r.stderr);
    assert!(
        r.stderr.contains("aws sso login --profile support"),
        "{}",
        r.stderr
    );
}

#[test]
fn unreachable_endpoint_exits_7() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port(); // bound then released: nothing listens there now
    let url = format!("http://127.0.0.1:{port}");
    let r = cli::run_args(&[
        "get",
        "--pool",
        "us-east-1_AbC123",
        "alice",
        "--endpoint-url",
        &url,
        "--max-attempts",
        "1",
    ]);
    assert_eq!(r.code, 7, "{}", r.stderr);
    assert!(r.stderr.contains("could not reach"), "{}", r.stderr);
}

#[test]
fn missing_region_is_a_usage_error() {
    let r = cli::run_args(&[
        "get",
        "--pool",
        "local_AbC123",
        "alice",
        "--endpoint-url",
        "http://127.0.0.1:9",
    ]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("--region"), "{}", r.stderr);
}

#[test]
fn json_escapes_every_invisible_character_yet_values_parse_exactly() {
    let r = cli::run_args(&["get", "--demo", "mallory", "-o", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for c in [
        '\u{1b}', '\u{7}', '\u{7f}', '\u{9b}', '\u{202e}', '\u{200b}',
    ] {
        assert!(!r.stdout.contains(c), "raw {c:?} in JSON output");
    }
    assert!(r.stdout.contains(r"\u202eexe.txt"), "{}", r.stdout);
    let v = json(&r.stdout);
    let value = |name: &str| {
        v["UserAttributes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["Name"] == name)
            .unwrap()["Value"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(value("family_name"), "\u{202e}exe.txt");
    assert_eq!(value("preferred_username"), "mal\u{200b}lory");
    assert_eq!(value("custom:bell"), "ding\u{7}\u{8}\u{7f}\u{9b}31m");
}

/// Every `cognito-tui … --demo` example in README, run as written, succeeds and prints
/// something: the examples are promises too.
#[test]
fn every_demo_example_in_the_readme_works_as_written() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md");
    let mut ran = 0;
    for line in readme.lines() {
        let line = line.split(" # ").next().unwrap().trim();
        let Some(args) = line.strip_prefix("cognito-tui ") else {
            continue;
        };
        let args: Vec<&str> = args.split_whitespace().collect();
        // One-shot commands only: the TUI examples are exercised by the tmux tests.
        if !args.contains(&"--demo") || !matches!(args.first(), Some(&"get" | &"search")) {
            continue;
        }
        let r = cli::run_args(&args);
        assert_eq!(r.code, 0, "`{line}` exited {}: {}", r.code, r.stderr);
        assert!(!r.stdout.trim().is_empty(), "`{line}` printed nothing");
        if args.contains(&"json") {
            json(&r.stdout);
        }
        ran += 1;
    }
    assert!(ran >= 1, "no demo example found in README");
}

/// README's test table names every module of `tests/it/`, so a reader finds where each
/// promise is proved.
#[test]
fn the_readme_test_table_names_every_test_module() {
    let root = env!("CARGO_MANIFEST_DIR");
    let readme = std::fs::read_to_string(format!("{root}/README.md")).expect("README.md");
    let missing: Vec<String> = std::fs::read_dir(format!("{root}/tests/it"))
        .expect("tests/it")
        .filter_map(|entry| {
            let name = entry.ok()?.file_name().into_string().ok()?;
            let module = name.strip_suffix(".rs")?.to_string();
            (module != "main" && !readme.contains(&format!("`{module}`"))).then_some(module)
        })
        .collect();
    assert!(missing.is_empty(), "README's test table misses {missing:?}");
}

/// Every file path README names under `tests/`, `src/`, `benches/` or `scripts/` exists.
#[test]
fn every_path_the_readme_names_exists() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).expect("README.md");
    let paths: Vec<&str> = readme
        .split(|c: char| !(c.is_ascii_alphanumeric() || "/._-".contains(c)))
        .filter(|w| {
            ["tests/", "src/", "benches/", "scripts/"]
                .iter()
                .any(|dir| w.starts_with(dir))
                && w.rsplit('/').next().is_some_and(|name| name.contains('.'))
        })
        .map(|w| w.trim_end_matches('.'))
        .collect();
    assert!(paths.len() >= 5, "found only {paths:?}");
    let missing: Vec<&&str> = paths.iter().filter(|p| !root.join(p).exists()).collect();
    assert!(
        missing.is_empty(),
        "README names files that don't exist: {missing:?}"
    );
}
