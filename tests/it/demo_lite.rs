//! The second embedded demo pool, on the Lite plan (`assets/demo-pool-lite.json`): each
//! embedded file is valid, `--demo --pool us-east-1_DemoLite1` opens it in `diagnose` (through
//! the real binary) and in the TUI (the Status and MFA panes of lena, whose only factor is
//! email MFA, which the Lite plan doesn't have), the demo's ListUserPools lists both pools,
//! and the pool picker (P) switches to it in a real terminal.

use cognito_tui::app::{App, Pane};
use cognito_tui::cognito::demo::{DemoBackend, EMBEDDED_POOLS};
use cognito_tui::cognito::lookup::LookupMode;
use cognito_tui::cognito::{Backend, PageRequest, PoolId};
use crossterm::event::KeyCode;
use futures::executor::block_on;
use serde_json::Value;

use crate::common::app::{connect_with, key, pinned, screen, send, serve_with, typed};
use crate::common::{cli, tmux};

const LITE: &str = "us-east-1_DemoLite1";
const LITE_ARGS: [&str; 3] = ["--demo", "--pool", LITE];

#[test]
fn every_embedded_pool_parses_with_a_valid_id_and_users() {
    let mut ids = Vec::new();
    for json in EMBEDDED_POOLS {
        let demo = DemoBackend::from_json(json).expect("an embedded demo pool parses");
        assert!(!demo.is_empty(), "{}", demo.pool_id());
        ids.push(demo.pool_id().to_string());
    }
    assert_eq!(ids, ["us-east-1_DemoPool1", LITE]);
}

#[test]
fn the_demo_lists_both_pools_and_serves_each_by_id() {
    let pools = block_on(DemoBackend::embedded().list_user_pools(PageRequest::first(60)));
    let listed: Vec<(String, String)> = (pools.unwrap().pools.into_iter())
        .map(|p| (p.id, p.name))
        .collect();
    assert_eq!(
        listed,
        [
            ("us-east-1_DemoPool1".into(), "Acme support demo".into()),
            (LITE.into(), "Acme Lite demo".into()),
        ]
    );
    let lite = DemoBackend::for_pool(&PoolId::parse(LITE).unwrap());
    assert_eq!(lite.pool_id().as_str(), LITE);
    let schema = block_on(lite.describe_pool(&lite.pool_id())).unwrap();
    assert_eq!(schema.tier.as_deref(), Some("LITE"));
    // Any other id is answered "pool not found", as before.
    let other = PoolId::parse("eu-west-1_Other1").unwrap();
    let err = block_on(DemoBackend::for_pool(&other).describe_pool(&other)).unwrap_err();
    assert_eq!(err.exception.as_deref(), Some("ResourceNotFoundException"));
}

fn diagnose_lite(user: &str) -> Value {
    let r = cli::run_args(&["diagnose", "--demo", "--pool", LITE, user, "-o", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", r.stdout))
}

fn rules(v: &Value) -> Vec<&str> {
    (v["Findings"].as_array().unwrap().iter())
        .map(|f| f["Rule"].as_str().unwrap())
        .collect()
}

/// docs/cognito-rules.md M1: email MFA counts only where the plan is not Lite; H6: threat
/// protection (sign-in history) needs the Plus plan.
#[test]
fn diagnose_on_the_lite_pool_does_not_count_email_mfa_and_names_the_plan() {
    let lena = diagnose_lite("lena");
    assert_eq!(lena["PoolId"], LITE);
    assert_eq!(lena["Pool"]["Plan"], "LITE");
    assert_eq!(
        lena["Pool"]["MfaFactors"],
        serde_json::json!(["SMS", "TOTP"])
    );
    let findings = lena["Findings"].as_array().unwrap();
    let m1 = (findings.iter().find(|f| f["Rule"] == "M1")).unwrap_or_else(|| panic!("{lena}"));
    assert_eq!(m1["Code"], "mfa_required_not_set_up");
    assert_eq!(m1["Severity"], "warning");
    let message = m1["Message"].as_str().unwrap();
    assert!(message.contains("offers (SMS, TOTP)"), "{message}");
    assert!(message.contains("MFA_SETUP"), "{message}");
    let h6 = (findings.iter().find(|f| f["Rule"] == "H6")).unwrap_or_else(|| panic!("{lena}"));
    let message = h6["Message"].as_str().unwrap();
    assert!(
        message.contains("needs the Plus plan; this pool is on LITE"),
        "{message}"
    );
    // Positive control: oscar, with a TOTP, has a factor the pool offers; no M1 for him.
    let oscar = diagnose_lite("oscar");
    assert_eq!(rules(&oscar), ["H6"], "{oscar}");
}

#[test]
fn diagnose_text_on_the_lite_pool_names_the_rule() {
    let r = cli::run_args(&["diagnose", "--demo", "--pool", LITE, "lena", "-o", "text"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let expected = [
        format!("Pool     {LITE}"),
        "plan LITE · first factors PASSWORD · MFA ON (SMS, TOTP)".into(),
        "mfa_required_not_set_up [rule M1]".into(),
    ];
    for needle in expected {
        assert!(r.stdout.contains(&needle), "{needle}: {}", r.stdout);
    }
}

/// The TUI connected to the Lite pool (`--demo --pool us-east-1_DemoLite1`), lena looked up.
fn lena_on_lite() -> App {
    let mut app = App::new(LITE, pinned());
    connect_with(&mut app, &LITE_ARGS);
    let lookup = app.start_lookup("lena", LookupMode::Auto);
    serve_with(&mut app, &lookup, &LITE_ARGS);
    app
}

#[test]
fn status_and_mfa_panes_of_a_lite_pool_user() {
    let mut app = lena_on_lite();
    send(&mut app, typed("1"));
    // The pool's rows (plan, first factors, MFA) are at the pane's end.
    send(&mut app, (0..13).map(|_| key(KeyCode::Down)));
    let status = screen(&app, 80, 24);
    assert!(status.contains("plan LITE"), "{status}");
    assert!(status.contains("mfa_required_not_set_up · M1"), "{status}");
    insta::assert_snapshot!("lite_status_lena", status);
    let cmds = send(&mut app, typed("3"));
    assert_eq!(app.focus(), Pane::Mfa);
    for cmd in &cmds {
        serve_with(&mut app, cmd, &LITE_ARGS);
    }
    let mfa = screen(&app, 80, 24);
    assert!(mfa.contains("EMAIL_OTP"), "{mfa}");
    insta::assert_snapshot!("lite_mfa_lena", mfa);
}

#[test]
fn the_pool_picker_switches_the_demo_to_the_lite_pool() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("tui.log");
    let args = ["--demo", "--log-file", log.to_str().unwrap()];
    let bin = env!("CARGO_BIN_EXE_cognito-tui");
    let t = tmux::Tmux::spawn(bin, &args, &tmux::TUI_ENV, 100, 30);
    t.wait_for("No user loaded");
    t.type_text("P");
    t.wait_for_all(&["Acme support demo", "Acme Lite demo", "2 of 2 pools"]);
    t.type_text("Lite");
    t.keys(&["Enter"]);
    t.wait_for(LITE);
    t.type_text("/");
    t.type_text("lena");
    t.keys(&["Enter"]);
    let shown = t.wait_for("Username lena");
    assert!(shown.contains("LITE"), "{shown}");
    t.type_text("q");
    let (status, _) = t.wait_exit();
    assert_eq!(status, 0, "screen:\n{}", t.screen());
}
