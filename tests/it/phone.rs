//! Phone numbers as people say them (issue 22 item 2): national formats read in the default
//! country (`default_country` in the config, else the locale's territory), through the real
//! binary on the demo pool and against moto, plus the parser's forms and robustness.

use crate::common::cli;
use crate::common::emulator::{Emulator, Kind};
use crate::common::proxy::RecordingProxy;
use crate::common::seed;

use cognito_tui::cognito::lookup::{QueryShape, classify_in};
use cognito_tui::phone::{Reading, parse_country, read, search_prefix};
use proptest::prelude::*;

/// A temp dir holding `config.toml` with `default_country = "{country}"`.
fn config_with(country: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("config.toml");
    std::fs::write(&path, format!("default_country = \"{country}\"\n")).expect("config");
    let path = path.to_string_lossy().into_owned();
    (dir, path)
}

fn json(stdout: &str) -> serde_json::Value {
    serde_json::from_str(stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}"))
}

#[test]
fn national_forms_of_five_countries_become_e164() {
    let cases = [
        ("US", "(555) 010-0123", "+15550100123"),
        ("US", "555.010.0123", "+15550100123"),
        ("GB", "020 7946 0018", "+442079460018"),
        ("GB", "07700 900123", "+447700900123"),
        ("DE", "030 1234567", "+49301234567"),
        ("DE", "0151 23456789", "+4915123456789"),
        ("IN", "098765 43210", "+919876543210"),
        ("BR", "(11) 91234-5678", "+5511912345678"),
        // International forms need no default country, whatever it is.
        ("GB", "+1 (555) 010-0123", "+15550100123"),
        ("US", "+44 (0)20 7946 0018", "+442079460018"),
        ("US", "+49 30 1234567", "+49301234567"),
        ("US", "+91 98765 43210", "+919876543210"),
        ("US", "+55 11 91234-5678", "+5511912345678"),
    ];
    for (country, typed, e164) in cases {
        assert_eq!(
            read(typed, parse_country(country)),
            Reading::Number(e164.into()),
            "{typed} in {country}"
        );
        assert_eq!(
            classify_in(typed, parse_country(country)),
            QueryShape::Phone(e164.into()),
            "{typed} in {country}"
        );
    }
}

#[test]
fn no_default_country_says_add_the_country_code() {
    let QueryShape::BadPhone(why) = classify_in("(555) 010-0123", None) else {
        panic!("a national form with no country is not a lookup");
    };
    assert!(why.contains("add the country code (+44…"), "{why}");
    // Digits alone may be a username: they stay plain when no country reads them.
    assert_eq!(classify_in("5550100123", None), QueryShape::Plain);
    assert_eq!(classify_in("alice", parse_country("US")), QueryShape::Plain);
}

proptest! {
    /// Garbage never panics, and whatever reads as a number is E.164: `+`, 2–15 digits.
    #[test]
    fn garbage_never_panics(s in "\\PC{0,40}", digits in "[0-9 ()+.-]{0,30}") {
        for country in [None, parse_country("US"), parse_country("GB"), parse_country("BR")] {
            for q in [s.as_str(), digits.as_str()] {
                if let Reading::Number(n) = read(q, country) {
                    prop_assert!(n.starts_with('+'));
                    prop_assert!((3..=16).contains(&n.len()), "{n}");
                    prop_assert!(n[1..].chars().all(|c| c.is_ascii_digit()), "{n}");
                }
                let _ = search_prefix(q, country);
                let _ = classify_in(q, country);
            }
        }
    }
}

#[test]
fn get_demo_finds_a_national_number_with_default_country() {
    let (_dir, config) = config_with("US");
    let r = cli::run_args(&[
        "get",
        "--demo",
        "--config",
        &config,
        "(555) 010-0001",
        "-o",
        "json",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v = json(&r.stdout);
    assert_eq!(v["Username"], "alice");
    let phone = v["UserAttributes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["Name"] == "phone_number")
        .map(|a| a["Value"].clone());
    assert_eq!(phone, Some("+15550100001".into()));
}

#[test]
fn get_demo_without_a_country_says_why_and_exits_2() {
    let r = cli::run_args(&["get", "--demo", "(555) 010-0001"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("add the country code"), "{}", r.stderr);
    assert!(r.stderr.contains("default_country"), "{}", r.stderr);
}

#[test]
fn the_locale_territory_is_the_default_without_config() {
    let home = tempfile::tempdir().unwrap();
    let mut c = cli::command(home.path());
    c.env("LANG", "en_US.UTF-8")
        .args(["get", "--demo", "555-010-0001", "-o", "json"]);
    let r = cli::run(c);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(json(&r.stdout)["Username"], "alice");
}

#[test]
fn a_bad_default_country_is_a_located_config_error() {
    let (_dir, config) = config_with("XX");
    let r = cli::run_args(&["get", "--demo", "--config", &config, "alice"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("line 1"), "{}", r.stderr);
    assert!(r.stderr.contains("default_country"), "{}", r.stderr);
}

#[test]
fn one_shot_search_reads_digits_as_a_number() {
    let (_dir, config) = config_with("US");
    let r = cli::run_args(&[
        "search",
        "--demo",
        "--config",
        &config,
        "5550100001",
        "-o",
        "json",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let names: Vec<String> = json(&r.stdout)
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["Username"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(names, ["alice"]);
}

#[test]
fn privacy_mode_masks_a_national_query() {
    let (_dir, config) = config_with("US");
    let args = ["get", "--demo", "--config", &config, "(555) 010-9999"];
    // Positive control: without --redact the query is shown as typed.
    let plain = cli::run_args(&args);
    assert_eq!(plain.code, 3, "{}", plain.stderr);
    assert!(plain.stderr.contains("(555) 010-9999"), "{}", plain.stderr);
    let masked = cli::run_args(&[&args[..], &["--redact"]].concat());
    assert_eq!(masked.code, 3, "{}", masked.stderr);
    assert!(!masked.stderr.contains("010-9999"), "{}", masked.stderr);
    assert!(!masked.stderr.contains("+15550109999"), "{}", masked.stderr);
}

/// moto answers `phone_number = "+1555…"` (exact, in the lookup) and `^=` (the search) for
/// a pool where phone_number is no alias: a national form that reached it un-normalised
/// would match no one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn moto_sees_the_e164_phone_filter() {
    let Some(emulator) = Emulator::start(Kind::Moto) else {
        return;
    };
    let client = seed::client(&emulator.url());
    let pool = seed::create_pool(&client, "phones").await;
    seed::create_user(&client, &pool, "pat", &[("phone_number", "+15550100123")]).await;
    let proxy = RecordingProxy::start(emulator.addr).await;
    let url = format!("http://{}", proxy.addr);
    let (_dir, config) = config_with("US");
    let (get, search) = tokio::task::spawn_blocking(move || {
        let base = [
            &["--config", config.as_str()][..],
            &cli::target(&pool, &url),
        ]
        .concat();
        let get = cli::run_args(&[&["get"][..], &base, &["(555) 010-0123", "-o", "json"]].concat());
        let search = cli::run_args(&[&["search"][..], &base, &["555010", "-o", "json"]].concat());
        (get, search)
    })
    .await
    .unwrap();
    assert_eq!(get.code, 0, "{}", get.stderr);
    assert_eq!(json(&get.stdout)["Username"], "pat");
    let seen = proxy.take();
    assert_eq!(
        seen[..3],
        ["AdminGetUser", "ListUsers", "AdminGetUser"],
        "{seen:?}"
    );
    assert_eq!(search.code, 0, "{}", search.stderr);
    let hits = json(&search.stdout);
    let names: Vec<&str> = hits
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["Username"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["pat"], "{}", search.stdout);
}
